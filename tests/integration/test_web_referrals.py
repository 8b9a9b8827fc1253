"""Referrals through the portal: make one, and the receiver's answers; every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, email_of, text_of

Browser = Callable[[str], AuthActions]
REFERRAL = {"receiver_email": email_of("bob"), "prospect": "Dana's Deli",
            "need": "Bread for forty sandwiches a day", "warmth": "4"}
ANSWERS = {"accept": {}, "decline": {"reason": "Too far"}, "close": {"value": "1200",
           "currency": "EUR"}, "lost": {"reason": "Went elsewhere"}, "thank": {"message": "Thanks"}}


def made(net: Network, ids: dict[str, Any], status: str = "made") -> UUID:
    referral = net.referrals.make(receiver_id=ids["bob"], prospect="Dana's Deli",
                                  need="Bread", warmth=3, by=ids["alice"])
    if status in ("accepted", "closed"):
        net.referrals.accept(referral, by=ids["bob"])
    if status == "closed":
        net.referrals.close_business(referral, value="10", currency="EUR", by=ids["bob"])
    return referral


def test_a_referral_is_made_accepted_closed_and_thanked(browser: Browser) -> None:
    # Alice refers Dana's Deli to Bob.
    alice, bob = browser("alice"), browser("bob")
    sent = alice.post("/referrals/new", REFERRAL)
    assert sent.status_code == 302
    path = sent.headers["Location"]
    assert "Accept the referral" not in alice.client.get(path).text  # only Bob answers

    # Bob accepts, closes business worth 1200 EUR and thanks Alice.
    assert "Accept the referral" in bob.client.get(path).text
    bob.post(f"{path}/accept")
    bob.post(f"{path}/close", {"value": "1200", "currency": "EUR"})
    bob.post(f"{path}/thank", {"message": "Lovely people"})

    # Alice sees the outcome.
    text = text_of(alice.client.get(path))
    assert "Business closed" in text and "1200.00 EUR" in text and "Thanked" in text


def test_a_referral_can_be_declined(net: Network, ids: dict[str, Any], browser: Browser) -> None:
    referral = made(net, ids)
    bob = browser("bob")
    bob.post(f"/referrals/{referral}/decline", {"reason": "Too far"})
    assert "Declined" in text_of(bob.client.get(f"/referrals/{referral}"))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"warmth": "9"}, "warmth", "Warmth must be from 1 to 5, not 9."),
    ({"prospect": ""}, "prospect", "Prospect is required."),
    ({"need": ""}, "need", "What they need is required."),
    ({"receiver_email": email_of("alice")}, "receiver_email",
     "A referral goes to another member."),
])
def test_a_bad_referral_is_refused_and_nothing_is_written(
        net: Network, browser: Browser, changes: dict[str, str], field: str,
        message: str) -> None:
    before = net.app.last_position()
    page = browser("alice").post("/referrals/new", {**REFERRAL, **changes})
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    assert net.app.last_position() == before


def test_referring_to_someone_who_is_not_a_member_is_a_404(net: Network,
                                                          browser: Browser) -> None:
    before = net.app.last_position()
    page = browser("alice").post("/referrals/new",
                                 {**REFERRAL, "receiver_email": "who@coop.test"})
    assert page.status_code == 404 and "No member with email 'who@coop.test'." in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize(("value", "currency", "message"), [
    ("", "EUR", "The value is required."),
    ("-5", "EUR", "The value must be more than 0."),
    ("10.123", "EUR", "EUR takes at most 2 decimal places."),
    ("10", "XYZ", "'XYZ' is not a currency code we know"),
])
def test_bad_closed_business_is_refused_beside_its_field(
        net: Network, ids: dict[str, Any], browser: Browser, value: str, currency: str,
        message: str) -> None:
    referral = made(net, ids, "accepted")
    before = net.app.last_position()
    page = browser("bob").post(f"/referrals/{referral}/close",
                               {"value": value, "currency": currency})
    assert page.status_code == 400
    assert message in text_of(page) and 'aria-invalid="true"' in page.text
    assert net.app.last_position() == before


STATE_FOR = {"accept": "made", "decline": "made", "close": "accepted", "lost": "accepted",
             "thank": "closed"}


@pytest.mark.parametrize("answer", list(ANSWERS))
@pytest.mark.parametrize("who", ["alice", "carol"])
def test_only_the_receiver_answers_a_referral(
        net: Network, ids: dict[str, Any], browser: Browser, answer: str, who: str) -> None:
    referral = made(net, ids, STATE_FOR[answer])
    before = net.app.last_position()
    page = browser(who).post(f"/referrals/{referral}/{answer}", ANSWERS[answer])
    assert page.status_code == 403
    assert "Only the member who received the referral" in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize("answer", list(ANSWERS))
def test_answering_a_missing_referral_is_a_404(browser: Browser, answer: str) -> None:
    page = browser("bob").post(f"/referrals/{uuid4()}/{answer}", ANSWERS[answer])
    assert page.status_code == 404 and "No referral with id" in text_of(page)


def test_an_answer_out_of_turn_is_a_conflict(net: Network, ids: dict[str, Any],
                                             browser: Browser) -> None:
    referral = made(net, ids)
    page = browser("bob").post(f"/referrals/{referral}/close", ANSWERS["close"])
    assert page.status_code == 409
    assert "A referral that is made cannot become business closed." in text_of(page)


@pytest.mark.parametrize(("answer", "status", "field"), [
    ("decline", "made", "reason"), ("lost", "accepted", "reason"), ("thank", "closed", "message"),
])
def test_an_overlong_answer_is_refused_beside_its_field(
        net: Network, ids: dict[str, Any], browser: Browser, answer: str, status: str,
        field: str) -> None:
    referral = made(net, ids, status)
    before = net.app.last_position()
    page = browser("bob").post(f"/referrals/{referral}/{answer}", {field: "x" * 1001})
    assert page.status_code == 400
    assert f'id="{answer}-{field}-error"' in page.text
    assert f"{field.capitalize()} must be at most 1000 characters." in text_of(page)
    assert net.app.last_position() == before


def test_a_referral_is_seen_only_by_its_two_members_and_stewards(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    # Who was referred, and what they need, is business between Alice and Bob.
    referral = made(net, ids)
    assert browser("carol").client.get(f"/referrals/{referral}").status_code == 403
    for who in ("alice", "bob"):
        assert browser(who).client.get(f"/referrals/{referral}").status_code == 200
