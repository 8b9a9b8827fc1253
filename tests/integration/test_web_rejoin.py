"""Welcoming back a member who left, through the portal: the steward's button, the
member's page telling when they left and came back, and every refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from flask.testing import FlaskClient

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, password_of, text_of

Browser = Callable[[str], AuthActions]
WELCOME = "Welcome back"


def carol_left(net: Network, ids: dict[str, Any], *, circle: bool = False) -> None:
    if circle:
        garden = net.circles.form(name="Garden")
        net.circles.admit(garden, ids["carol"])
    net.members.leave(ids["carol"], reason="moving away", by=ids["carol"])


def today() -> str:
    return f"{datetime.now(timezone.utc):%-d %B %Y}"


def test_a_steward_welcomes_back_a_member_from_their_page(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    carol_left(net, ids, circle=True)
    alice = browser("alice")
    page = text_of(alice.client.get(f"/members/{ids['carol']}"))
    assert "Has left the network" in page and f"Away Left on {today()}" in page
    assert "rejoined" not in page
    assert "Welcome Carol Carpenter back" in page

    done = alice.post(f"/members/{ids['carol']}/rejoin", {"note": "back in town"},
                      follow_redirects=True)

    assert done.status_code == 200
    text = text_of(done)
    assert "Welcome back, Carol Carpenter: a member again" in text
    assert "They are no longer listed in Garden" in text
    assert "Has left the network" not in text and "Welcome Carol Carpenter back" not in text
    member = net.members.get(ids["carol"])
    assert not member["has_left"] and member["roles"] == []
    # Every member reads when she left and when she came back.
    bob_sees = text_of(browser("bob").client.get(f"/members/{ids['carol']}"))
    assert f"Away Left on {today()} , rejoined on {today()}" in bob_sees  # tags read as spaces
    # Her old password works again, and the news says she is back.
    carol = browser("carol")
    assert "Carol Carpenter came back to the network" in text_of(carol.client.get("/"))


def test_members_see_no_button_and_may_not_post_it(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    carol_left(net, ids)
    bob = browser("bob")
    page = text_of(bob.client.get(f"/members/{ids['carol']}"))
    assert "Has left the network" in page and WELCOME not in page
    before = net.app.last_position()

    refused = bob.post(f"/members/{ids['carol']}/rejoin", {"note": "let her in"})

    assert refused.status_code == 403
    assert "Only a steward may welcome back a member who left." in text_of(refused)
    assert net.app.last_position() == before and net.members.get(ids["carol"])["has_left"]


def test_a_post_without_its_csrf_token_writes_nothing(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    carol_left(net, ids)
    alice = browser("alice")
    before = net.app.last_position()
    refused = alice.client.post(f"/members/{ids['carol']}/rejoin", data={})
    assert refused.status_code == 400
    assert net.app.last_position() == before


def test_a_note_too_long_is_shown_beside_the_field_and_writes_nothing(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    carol_left(net, ids)
    alice = browser("alice")
    before = net.app.last_position()
    page = alice.post(f"/members/{ids['carol']}/rejoin", {"note": "x" * 501})
    assert page.status_code == 400
    assert "Note must be at most 500 characters." in text_of(page)
    assert 'id="rejoin-note"' in page.text
    assert net.app.last_position() == before


def test_welcoming_back_one_who_has_not_left_is_a_409_and_writes_nothing(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    alice = browser("alice")
    assert WELCOME not in alice.client.get(f"/members/{ids['bob']}").text
    before = net.app.last_position()
    refused = alice.post(f"/members/{ids['bob']}/rejoin")
    assert refused.status_code == 409
    assert "Bob Baker is already a member and has not left." in text_of(refused)
    assert net.app.last_position() == before


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, net: Network,
                                                 ids: dict[str, Any], auth: AuthActions) -> None:
    carol_left(net, ids)
    before = net.app.last_position()
    page = client.post(f"/members/{ids['carol']}/rejoin",
                       data={"csrf_token": auth.csrf_token()})
    assert page.status_code == 302 and "/sign-in" in page.headers["Location"]
    assert net.app.last_position() == before


def test_one_who_left_cannot_sign_in_until_welcomed_back(
        net: Network, ids: dict[str, Any], browser: Browser, auth: AuthActions) -> None:
    carol_left(net, ids)
    assert auth.sign_in("carol", password_of("carol")).status_code != 302
    browser("alice").post(f"/members/{ids['carol']}/rejoin")
    assert auth.sign_in("carol", password_of("carol")).status_code == 302
