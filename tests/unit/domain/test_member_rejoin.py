"""Coming back: a member who left is welcomed back as the same member, without roles."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import InvalidText, MemberAlreadyJoined, MemberHasLeft
from domain.member import STEWARD, Member

STEWARD_ID = uuid4()


def steward_who_left() -> Member:
    member = Member.join(email="ana@example.org", name="Ana Lima")
    member.grant_role(role=STEWARD, by=STEWARD_ID)
    member.leave(reason="a year abroad", by=member.id)
    return member


def test_a_member_who_has_not_left_cannot_rejoin_and_nothing_is_recorded() -> None:
    member = Member.join(email="ana@example.org", name="Ana Lima")
    version = member.version

    with pytest.raises(MemberAlreadyJoined, match="Ana Lima is already a member and has not left"):
        member.rejoin(by=STEWARD_ID)

    assert member.version == version and not member.has_left


def test_one_who_left_and_came_back_can_act_again_but_is_no_steward() -> None:
    member = steward_who_left()
    with pytest.raises(MemberHasLeft):
        member.update_profile(name="Ana", business="", about="", by=member.id)

    member.rejoin(note="back from a year abroad", by=STEWARD_ID)

    assert not member.has_left and member.roles == [] and not member.is_steward
    member.update_profile(name="Ana Lima", business="Bakery", about="Back!", by=member.id)
    assert member.business == "Bakery"
    # Stewardship comes back only when granted again, deliberately.
    member.grant_role(role=STEWARD, by=STEWARD_ID)
    assert member.is_steward


def test_coming_back_twice_in_a_row_is_refused_and_leaving_again_is_possible() -> None:
    member = steward_who_left()
    member.rejoin(by=STEWARD_ID)
    with pytest.raises(MemberAlreadyJoined):
        member.rejoin(by=STEWARD_ID)
    member.leave(reason="", by=member.id)
    member.rejoin(by=STEWARD_ID)
    names = [type(e).__name__ for e in member.collect_events()]
    assert names == ["Joined", "RoleGranted", "Left", "Rejoined", "Left", "Rejoined"]


def test_the_note_is_cleaned_like_any_text_and_a_bad_one_records_nothing() -> None:
    member = steward_who_left()
    version = member.version
    with pytest.raises(InvalidText, match="note"):
        member.rejoin(note="x" * 501, by=STEWARD_ID)
    assert member.version == version and member.has_left
    member.rejoin(note="  back  ", by=STEWARD_ID)
    rejoined = member.collect_events()[-1]
    assert (rejoined.note, rejoined.by) == ("back", STEWARD_ID)


def test_replaying_the_events_gives_the_same_member() -> None:
    member = steward_who_left()
    member.rejoin(by=STEWARD_ID)
    events = member.collect_events()
    rebuilt = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    assert rebuilt is not None
    assert (rebuilt.has_left, rebuilt.roles, rebuilt.version) == (False, [], member.version)
