"""Leaving the network through the portal: a member's own "Leave the network", a
steward's "Record that they left", and every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, password_of, text_of

Browser = Callable[[str], AuthActions]
OWN = "Yes, leave the network"
STEWARDS = "Record that they left"


def test_a_member_leaves_from_their_own_page_and_is_signed_out_everywhere(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    carol, elsewhere = browser("carol"), browser("carol")
    token = net.tokens.create(ids["carol"], name="phone")["token"]
    page = text_of(carol.client.get(f"/members/{ids['carol']}"))
    assert "Leave the network" in page and "you are signed out everywhere" in page

    done = carol.post(f"/members/{ids['carol']}/leave", {"reason": "moving away"})

    assert done.status_code == 200
    text = text_of(done)
    assert "You have left the network" in text and "Goodbye, Carol Carpenter" in text
    assert net.members.get(ids["carol"])["has_left"]
    assert not carol.is_signed_in() and not elsewhere.is_signed_in()
    assert net.tokens.member_for(token) is None
    # Every member reads that she left.
    assert "Has left the network" in text_of(browser("bob").client.get(f"/members/{ids['carol']}"))


def test_old_sessions_stay_ended_after_rejoining_but_the_password_works(
        net: Network, ids: dict[str, Any], browser: Browser, auth: AuthActions) -> None:
    carol, elsewhere = browser("carol"), browser("carol")
    carol.post(f"/members/{ids['carol']}/leave")
    browser("alice").post(f"/members/{ids['carol']}/rejoin")

    assert not elsewhere.is_signed_in()  # the cookie of before her leaving opens nothing
    assert auth.sign_in("carol", password_of("carol")).status_code == 302
    assert auth.is_signed_in()


def test_a_steward_records_that_another_member_left(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    bob_elsewhere = browser("bob")
    token = net.tokens.create(ids["bob"])["token"]
    alice = browser("alice")
    assert "Record that Bob Baker left" in text_of(alice.client.get(f"/members/{ids['bob']}"))

    done = alice.post(f"/members/{ids['bob']}/leave", {"reason": "asked us to"},
                      follow_redirects=True)

    assert done.status_code == 200
    text = text_of(done)
    assert "Recorded that Bob Baker left the network." in text
    assert "Has left the network" in text and STEWARDS not in text
    assert "Welcome Bob Baker back" in text
    assert not bob_elsewhere.is_signed_in() and net.tokens.member_for(token) is None
    assert alice.is_signed_in()  # the steward's own session is untouched


def test_a_member_may_not_record_that_another_left(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    bob = browser("bob")
    page = text_of(bob.client.get(f"/members/{ids['carol']}"))
    assert STEWARDS not in page and OWN not in page
    token = net.tokens.create(ids["carol"])["token"]
    before = net.app.last_position()

    refused = bob.post(f"/members/{ids['carol']}/leave", {"reason": "bye"})

    assert refused.status_code == 403
    assert "Only a steward may record that another member left." in text_of(refused)
    assert net.app.last_position() == before
    assert not net.members.get(ids["carol"])["has_left"]
    assert net.tokens.member_for(token) == ids["carol"]


def test_leaving_twice_is_a_409_and_writes_nothing(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    net.members.leave(ids["bob"], by=ids["bob"])
    alice = browser("alice")
    assert STEWARDS not in text_of(alice.client.get(f"/members/{ids['bob']}"))
    before = net.app.last_position()
    refused = alice.post(f"/members/{ids['bob']}/leave")
    assert refused.status_code == 409
    assert "Bob Baker has left the network already." in text_of(refused)
    assert net.app.last_position() == before


def test_a_reason_too_long_is_shown_beside_the_field_and_writes_nothing(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    carol = browser("carol")
    before = net.app.last_position()
    page = carol.post(f"/members/{ids['carol']}/leave", {"reason": "x" * 501})
    assert page.status_code == 400
    assert "Reason must be at most 500 characters." in text_of(page)
    assert 'id="leave-reason"' in page.text
    assert net.app.last_position() == before and carol.is_signed_in()


def test_a_post_without_its_csrf_token_writes_nothing(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    carol = browser("carol")
    before = net.app.last_position()
    refused = carol.client.post(f"/members/{ids['carol']}/leave", data={})
    assert refused.status_code == 400
    assert net.app.last_position() == before and carol.is_signed_in()


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, net: Network,
                                                 ids: dict[str, Any], auth: AuthActions) -> None:
    before = net.app.last_position()
    page = client.post(f"/members/{ids['carol']}/leave",
                       data={"csrf_token": auth.csrf_token()})
    assert page.status_code == 302 and "/sign-in" in page.headers["Location"]
    assert net.app.last_position() == before
