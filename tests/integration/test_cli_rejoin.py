"""``coop member rejoin``: welcoming back a member who left, from the command line."""

from __future__ import annotations

import pytest

from coop.config import Settings
from tests.integration.test_cli import Coop, assert_one_error_line, position
from tests.integration.test_cli_leave import coop  # noqa: F401 - the fixture: `coop init` done


def leave(coop: Coop, email: str) -> None:
    assert coop("member", "leave", email, "--reason", "moving away").code == 0


def test_a_member_who_left_is_welcomed_back(coop: Coop, settings: Settings) -> None:
    ana_id = coop("member", "add", "ana@coop.test", "--name", "Ana", "--steward").out.split()[-1]
    circle = coop("circle", "add", "Riverside").out.split()[-1]
    coop("circle", "admit", circle, "ana@coop.test")
    leave(coop, "ana@coop.test")
    assert "(has left)" in coop("member", "show", "ana@coop.test").out

    welcomed = coop("member", "rejoin", "ANA@coop.test", "--note", "back from abroad")

    assert welcomed.code == 0, welcomed.err
    assert welcomed.out.splitlines() == [
        "Welcome back, Ana <ana@coop.test>: a member again.",
        "  No longer listed in 'Riverside': admit them again with "
        "'coop circle admit CIRCLE_ID EMAIL'.",
        "  Roles are not restored. They sign in with their old password, or with a link "
        "from 'coop member invite ana@coop.test' if they never set one.",
    ]
    shown = coop("member", "show", ana_id).out
    assert "(has left)" not in shown and "roles:    -" in shown
    assert "left:" in shown and "rejoined:" in shown
    assert coop("circle", "admit", circle, "ana@coop.test").code == 0


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (["member", "rejoin", "bo@coop.test"], 1, "Bo is already a member and has not left"),
    (["member", "rejoin", "nobody@coop.test"], 1, "no member with email 'nobody@coop.test'"),
    (["member", "rejoin", "not-an-id"], 1, "no member with id 'not-an-id'"),
    (["member", "rejoin", "ana@coop.test", "--note", "x" * 501], 1,
     "note must be at most 500 characters"),
    (["member", "rejoin"], 2, "Missing argument"),
    (["member", "rejoin", "ana@coop.test", "--boss"], 2, "No such option"),
    (["member", "add", "ana@coop.test", "--name", "Ana"], 1,
     "ana@coop.test left the network on "),
])
def test_a_refusal_is_one_error_line_and_writes_nothing(
        coop: Coop, settings: Settings, args: list[str], code: int, fragment: str) -> None:
    coop("member", "add", "ana@coop.test", "--name", "Ana")
    coop("member", "add", "bo@coop.test", "--name", "Bo")
    leave(coop, "ana@coop.test")
    before = position(settings)

    result = coop(*args)

    assert result.code == code
    assert_one_error_line(result, fragment)
    assert position(settings) == before


def test_adding_again_points_to_rejoin(coop: Coop, settings: Settings) -> None:
    coop("member", "add", "ana@coop.test", "--name", "Ana")
    leave(coop, "ana@coop.test")
    refused = coop("member", "add", "Ana@coop.test", "--name", "Ana")
    assert_one_error_line(refused, "welcome them back instead of adding them again "
                                   "('coop member rejoin ana@coop.test'")
