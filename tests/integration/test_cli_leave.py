"""``coop member leave``: recording that a member left, from the command line, and
the rule that a departure ends the member's sessions and API tokens (both backends)."""

from __future__ import annotations

import pytest

from coop.accounts.errors import InvitationNotFound
from coop.bootstrap import build
from coop.config import Settings
from tests.integration.test_cli import Coop, assert_one_error_line, position, runner

PASSWORD = "a long enough passphrase"


@pytest.fixture
def coop(settings: Settings, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Coop:
    run = runner(settings, monkeypatch, capsys)
    assert run("init").code == 0
    return run


def test_a_member_is_recorded_as_having_left(coop: Coop, settings: Settings) -> None:
    coop("member", "add", "ana@coop.test", "--name", "Ana", "--steward")

    left = coop("member", "leave", "ANA@coop.test", "--reason", "moving away")

    assert left.code == 0, left.err
    assert left.out.splitlines() == [
        "Ana <ana@coop.test> has left the network.",
        "  Their roles ended, and so did their sessions and API tokens. Welcome them back "
        "with 'coop member rejoin ana@coop.test'.",
    ]
    shown = coop("member", "show", "ana@coop.test").out
    assert "(has left)" in shown and "roles:    -" in shown and "left:" in shown


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (["member", "leave", "ana@coop.test"], 1, "Ana has left the network already"),
    (["member", "leave", "nobody@coop.test"], 1, "no member with email 'nobody@coop.test'"),
    (["member", "leave", "not-an-id"], 1, "no member with id 'not-an-id'"),
    (["member", "leave", "bo@coop.test", "--reason", "x" * 501], 1,
     "reason must be at most 500 characters"),
    (["member", "leave"], 2, "Missing argument"),
    (["member", "leave", "bo@coop.test", "--note", "x"], 2, "No such option"),
])
def test_a_refusal_is_one_error_line_and_writes_nothing(
        coop: Coop, settings: Settings, args: list[str], code: int, fragment: str) -> None:
    coop("member", "add", "ana@coop.test", "--name", "Ana")
    coop("member", "add", "bo@coop.test", "--name", "Bo")
    assert coop("member", "leave", "ana@coop.test").code == 0
    before = position(settings)

    result = coop(*args)

    assert result.code == code
    assert_one_error_line(result, fragment)
    assert position(settings) == before


def test_old_keys_stay_dead_after_rejoining_but_the_password_works(
        coop: Coop, settings: Settings) -> None:
    ana = coop("member", "add", "ana@coop.test", "--name", "Ana").out.split()[-1]
    coop("member", "add", "bo@coop.test", "--name", "Bo")
    net = build(settings)
    try:
        net.accounts.set_password(ana, PASSWORD)
        session = net.accounts.sign_in("ana@coop.test", PASSWORD, address=None)
        token = net.tokens.create(ana, name="laptop")["token"]
        invitation = net.accounts.invite("ana@coop.test")
        # Bo's keys are not Ana's: they must survive her leaving.
        bo = net.members.id_for_email("bo@coop.test")
        bo_token = net.tokens.create(bo)["token"]
    finally:
        net.close()

    assert coop("member", "leave", "ana@coop.test").code == 0
    assert coop("member", "rejoin", "ana@coop.test").code == 0

    net = build(settings)
    try:
        assert net.tokens.member_for(token) is None
        assert net.tokens.list(ana) == []
        assert net.accounts.member_for(session) is None
        with pytest.raises(InvitationNotFound):
            net.accounts.invitation(invitation)
        fresh = net.accounts.sign_in("ana@coop.test", PASSWORD, address=None)
        assert str(net.accounts.member_for(fresh)) == ana
        assert net.tokens.member_for(bo_token) == bo
    finally:
        net.close()
