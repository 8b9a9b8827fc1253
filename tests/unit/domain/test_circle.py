"""Circles: nested under the network, joined through the parent circle."""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import uuid4

import pytest

from domain import clock
from domain.circle import Circle
from domain.errors import AlreadyInCircle, InvalidText, NotACircleMember, NotInParentCircle
from tests.unit.domain.test_member import event_names

STEWARD = uuid4()
ANA, BEN = uuid4(), uuid4()


def network_circle(name: str = "Riverside") -> Circle:
    return Circle.form(name=name, purpose="Local chapter", parent=None, by=STEWARD)


def test_a_circle_sits_under_the_network_or_under_a_parent() -> None:
    riverside = network_circle()
    bakers = Circle.form(name=" Bakers ", purpose="", parent=riverside, by=STEWARD)
    assert riverside.parent_id is None
    assert bakers.parent_id == riverside.id
    assert bakers.name == "Bakers"


def test_a_circle_needs_a_name() -> None:
    with pytest.raises(InvalidText, match="circle name is required"):
        Circle.form(name=" ", purpose="", parent=None, by=STEWARD)
    with pytest.raises(InvalidText, match="circle name must be at most 80 characters"):
        Circle.form(name="x" * 81, purpose="", parent=None, by=STEWARD)


def test_a_member_is_admitted_once() -> None:
    circle = network_circle()
    circle.admit(member_id=ANA, parent=None, by=STEWARD)
    assert circle.has_member(ANA)
    with pytest.raises(AlreadyInCircle, match="already a member of 'Riverside'"):
        circle.admit(member_id=ANA, parent=None, by=STEWARD)
    assert circle.members == [ANA]


def test_joining_a_nested_circle_needs_membership_of_the_parent() -> None:
    riverside = network_circle()
    bakers = Circle.form(name="Bakers", purpose="", parent=riverside, by=STEWARD)
    with pytest.raises(NotInParentCircle,
                       match="to join 'Bakers' one must first be a member of 'Riverside'"):
        bakers.admit(member_id=ANA, parent=riverside, by=STEWARD)
    assert bakers.members == []
    # Once in the parent circle, the nested circle admits them.
    riverside.admit(member_id=ANA, parent=None, by=STEWARD)
    bakers.admit(member_id=ANA, parent=riverside, by=STEWARD)
    assert bakers.members == [ANA]


def test_a_nested_circle_must_be_given_its_own_parent() -> None:
    riverside, hillside = network_circle(), network_circle("Hillside")
    hillside.admit(member_id=ANA, parent=None, by=STEWARD)
    bakers = Circle.form(name="Bakers", purpose="", parent=riverside, by=STEWARD)
    # A caller passing the wrong parent is a programming error, not a member's.
    with pytest.raises(ValueError, match="needs this circle's parent circle"):
        bakers.admit(member_id=ANA, parent=hillside, by=STEWARD)
    with pytest.raises(ValueError, match="needs this circle's parent circle"):
        bakers.admit(member_id=ANA, parent=None, by=STEWARD)


def test_acting_in_a_circle_needs_membership() -> None:
    circle = network_circle()
    circle.admit(member_id=ANA, parent=None, by=STEWARD)
    circle.check_is_member(ANA)
    with pytest.raises(NotACircleMember, match="only members of the circle 'Riverside' may do that"):
        circle.check_is_member(BEN)


def test_only_members_depart() -> None:
    circle = network_circle()
    circle.admit(member_id=ANA, parent=None, by=STEWARD)
    circle.depart(member_id=ANA, by=ANA)
    assert circle.members == []
    with pytest.raises(NotACircleMember, match="only members of the circle 'Riverside'"):
        circle.depart(member_id=ANA, by=ANA)
    # One who departed may be admitted again.
    circle.admit(member_id=ANA, parent=None, by=STEWARD)
    assert circle.members == [ANA]


def test_a_mandate_cites_the_decision_that_granted_it() -> None:
    circle = network_circle()
    circle.grant_mandate(domain="local events", decision="AGM 2024, item 4", by=STEWARD)
    assert circle.mandates == [{"domain": "local events", "decision": "AGM 2024, item 4"}]
    with pytest.raises(InvalidText, match="granting decision is required"):
        circle.grant_mandate(domain="budget", decision="", by=STEWARD)
    with pytest.raises(InvalidText, match="mandate domain is required"):
        circle.grant_mandate(domain=" ", decision="AGM", by=STEWARD)


def test_every_event_carries_by_and_the_clock_time() -> None:
    moment = datetime(2024, 2, 29, 23, 59, tzinfo=timezone.utc)
    with clock.frozen_at(moment):
        circle = network_circle()
        circle.admit(member_id=ANA, parent=None, by=STEWARD)
        circle.depart(member_id=ANA, by=STEWARD)
        circle.grant_mandate(domain="events", decision="AGM", by=STEWARD)
    events = circle.collect_events()
    assert {type(e).__name__ for e in events} == event_names(Circle)
    assert all(e.by == STEWARD for e in events)
    assert all(e.timestamp == moment for e in events)
