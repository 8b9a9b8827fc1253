"""Members: one email is one member, and a member who has left cannot act."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from domain import clock
from domain.errors import InvalidEmail, InvalidText, MemberHasLeft, RoleUnchanged
from domain.member import STEWARD, Member
from domain.values import member_id_for

STEWARD_ID = uuid4()


def ana() -> Member:
    return Member.join(email="ana@example.org", name="Ana Lima", business="Lima Bakery")


def event_names(aggregate: type) -> set[str]:
    """Return the names of the events an aggregate class defines."""
    return {name for name, value in vars(aggregate).items()
            if isinstance(value, type) and issubclass(value, aggregate.Event)} - {"Event", "Created"}


def test_the_member_id_comes_from_the_normalised_email() -> None:
    member = Member.join(email="  Ana@Example.ORG ", name="Ana")
    assert member.id == member_id_for("ana@example.org")
    assert member.email == "ana@example.org"
    # Written differently, the same email is the same member.
    assert Member.join(email="ANA@example.org", name="Someone").id == member.id


@pytest.mark.parametrize("email", ["ana", "ana@example", "", "ana @example.org"])
def test_a_member_needs_an_email_address(email: str) -> None:
    with pytest.raises(InvalidEmail, match="is not an email address"):
        Member.join(email=email, name="Ana")


def test_a_member_needs_a_name() -> None:
    with pytest.raises(InvalidText, match="name is required"):
        Member.join(email="ana@example.org", name="  ")


def test_joining_is_done_by_the_member_unless_someone_adds_them() -> None:
    assert ana().collect_events()[0].by == member_id_for("ana@example.org")
    added = Member.join(email="ben@example.org", name="Ben", by=STEWARD_ID)
    assert added.collect_events()[0].by == STEWARD_ID


def test_a_steward_role_is_granted_once_and_revoked_once() -> None:
    member = ana()
    member.grant_role(role=STEWARD, by=STEWARD_ID)
    assert member.is_steward
    with pytest.raises(RoleUnchanged, match="Ana Lima is already a steward"):
        member.grant_role(role=STEWARD, by=STEWARD_ID)
    member.revoke_role(role=STEWARD, by=STEWARD_ID)
    assert not member.is_steward
    with pytest.raises(RoleUnchanged, match="Ana Lima is not a steward"):
        member.revoke_role(role=STEWARD, by=STEWARD_ID)


def test_only_known_roles_are_granted() -> None:
    with pytest.raises(RoleUnchanged, match="'king' is not a role"):
        ana().grant_role(role="king", by=STEWARD_ID)


def test_a_profile_is_cleaned() -> None:
    member = ana()
    member.update_profile(name=" Ana L. ", business="", about=" bakes ", by=member.id)
    assert (member.name, member.business, member.about) == ("Ana L.", "", "bakes")
    with pytest.raises(InvalidText, match="name is required"):
        member.update_profile(name="", business="", about="", by=member.id)


def test_leaving_takes_away_roles() -> None:
    member = ana()
    member.grant_role(role=STEWARD, by=STEWARD_ID)
    member.leave(reason="moving away", by=member.id)
    assert member.has_left
    assert member.roles == []


@pytest.mark.parametrize("act", [
    lambda m: m.check_can_act(),
    lambda m: m.update_profile(name="Ana", business="", about="", by=m.id),
    lambda m: m.grant_role(role=STEWARD, by=STEWARD_ID),
    lambda m: m.leave(reason="again", by=m.id),
], ids=["act", "update profile", "become steward", "leave again"])
def test_a_member_who_has_left_cannot_act(act) -> None:
    member = ana()
    member.leave(reason="", by=member.id)
    version = member.version
    with pytest.raises(MemberHasLeft, match="Ana Lima has left the network and can no longer act"):
        act(member)
    assert member.version == version


def test_every_event_carries_by_and_the_clock_time() -> None:
    moment = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
    with clock.frozen_at(moment):
        member = Member.join(email="ana@example.org", name="Ana", by=STEWARD_ID)
        member.update_profile(name="Ana", business="", about="", by=STEWARD_ID)
        member.grant_role(role=STEWARD, by=STEWARD_ID)
        member.revoke_role(role=STEWARD, by=STEWARD_ID)
        member.leave(reason="", by=STEWARD_ID)
        member.rejoin(note="", by=STEWARD_ID)
    events = member.collect_events()
    assert {type(e).__name__ for e in events} == event_names(Member)
    assert all(e.by == STEWARD_ID for e in events)
    assert all(e.timestamp == moment for e in events)
    assert member.created_on == member.modified_on == moment


def test_the_clock_keeps_time_in_utc() -> None:
    paris = timezone(timedelta(hours=2))
    with clock.frozen_at(datetime(2024, 5, 1, 11, 30, tzinfo=paris)):
        member = ana()
    assert member.created_on == datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
    assert member.created_on.utcoffset() == timedelta(0)
    # Outside the block, events happen now.
    assert ana().created_on > datetime(2025, 1, 1, tzinfo=timezone.utc)


def test_the_clock_refuses_a_time_without_a_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        with clock.frozen_at(datetime(2024, 5, 1, 9, 30)):
            pass  # pragma: no cover
