"""Gives through the portal: record, confirm, dispute, reverse; and every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, email_of, text_of

Browser = Callable[[str], AuthActions]
GIVE = {"receiver_email": email_of("bob"), "hours": "1.5", "description": "Fixed the oven"}


def recorded(net: Network, ids: dict[str, Any], giver: str = "alice",
             receiver: str = "bob") -> UUID:
    return net.gives.record(receiver_id=ids[receiver], hours="2", description="Baked bread",
                            by=ids[giver])


def test_a_member_records_a_give_and_the_receiver_confirms_it(
        net: Network, browser: Browser) -> None:
    # Alice records the help she gave Bob; she lands on the give's page.
    alice = browser("alice")
    sent = alice.post("/gives/new", GIVE)
    assert sent.status_code == 302
    page = alice.client.get(sent.headers["Location"])
    assert "1.5 hours from Alice Steward to Bob Baker" in text_of(page)
    assert "Pending" in text_of(page)
    assert "Confirm the give" not in page.text  # only the receiver may confirm

    # Bob sees the buttons to confirm or dispute, and confirms.
    bob = browser("bob")
    path = sent.headers["Location"]
    assert "Confirm the give" in bob.client.get(path).text
    assert bob.post(f"{path}/confirm").headers["Location"] == path

    # The page shows the new status and the whole history.
    text = text_of(bob.client.get(path))
    assert "Confirmed" in text
    assert "Recorded by Alice Steward" in text and "Confirmed by Bob Baker" in text
    assert "Confirm the give" not in text


def test_a_give_answering_an_ask_fulfils_it_when_confirmed(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    ask = net.postings.post_ask(title="Oven repair", by=ids["bob"])
    alice = browser("alice")
    form = alice.client.get(f"/gives/new?ask={ask}&to={email_of('bob')}")
    assert "Answering the ask Oven repair by Bob Baker." in text_of(form)
    give = alice.post("/gives/new", {**GIVE, "ask_id": str(ask)}).headers["Location"]
    browser("bob").post(f"{give}/confirm")
    assert net.postings.get_ask(ask)["fulfilled_by"] == UUID(give.rsplit("/", 1)[1])


def test_the_receiver_disputes_a_give_with_a_reason(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    give = recorded(net, ids)
    bob = browser("bob")
    bob.post(f"/gives/{give}/dispute", {"reason": "It was one hour, not two"})
    text = text_of(bob.client.get(f"/gives/{give}"))
    assert "Disputed" in text and "It was one hour, not two" in text
    # A disputed give can still be confirmed once the two agree.
    assert "Confirm the give" in text


def test_a_steward_reverses_a_give_and_its_history_stays(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    give = recorded(net, ids, giver="bob", receiver="carol")
    alice = browser("alice")
    assert "Reverse the give" in alice.client.get(f"/gives/{give}").text
    alice.post(f"/gives/{give}/reverse", {"reason": "Entered twice"})
    text = text_of(alice.client.get(f"/gives/{give}"))
    assert "Reversed because Entered twice" in text
    assert "Recorded by Bob Baker" in text and "Reversed by Alice Steward: “Entered twice”" in text
    assert "Reverse the give" not in text


def test_only_stewards_see_the_reverse_form(net: Network, ids: dict[str, Any],
                                           browser: Browser) -> None:
    give = recorded(net, ids)
    assert "Reverse the give" not in browser("bob").client.get(f"/gives/{give}").text


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"hours": "0"}, "hours", "Hours must be more than 0."),
    ({"hours": "lots"}, "hours", "Hours must be a number, not 'lots'."),
    ({"hours": "1.234"}, "hours", "Hours take at most 2 decimal places."),
    ({"hours": "201"}, "hours", "Hours must be at most 200 for one give."),
    ({"hours": ""}, "hours", "Hours is required."),
    ({"description": " "}, "description", "Description is required."),
    ({"description": "x" * 1001}, "description", "Description must be at most 1000 characters."),
    ({"receiver_email": "bob"}, "receiver_email", "'bob' is not an email address."),
    ({"receiver_email": email_of("alice")}, "receiver_email",
     "A give needs a giver and a receiver who differ."),
    ({"ask_id": "nope"}, "ask_id", "The ask is not a valid id"),
])
def test_a_bad_give_is_refused_beside_its_field_and_nothing_is_written(
        net: Network, browser: Browser, changes: dict[str, str], field: str,
        message: str) -> None:
    alice = browser("alice")
    before = net.app.last_position()
    page = alice.post("/gives/new", {**GIVE, **changes})
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    assert 'aria-invalid="true"' in page.text
    assert net.app.last_position() == before


@pytest.mark.parametrize(("changes", "message"), [
    ({"receiver_email": "nobody@coop.test"}, "No member with email 'nobody@coop.test'."),
    ({"ask_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"},
     "No ask with id '1b4e28ba-2fa1-11d2-883f-0016d3cca427'."),
])
def test_recording_a_give_for_something_missing_is_a_404(
        net: Network, browser: Browser, changes: dict[str, str], message: str) -> None:
    before = net.app.last_position()
    page = browser("alice").post("/gives/new", {**GIVE, **changes})
    assert page.status_code == 404
    assert message in text_of(page)
    assert net.app.last_position() == before


def test_recording_a_give_in_a_circle_one_is_not_in_is_a_403(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    circle = net.circles.form(name="Bakers")
    net.circles.admit(circle, ids["bob"])
    before = net.app.last_position()
    page = browser("alice").post("/gives/new", {**GIVE, "circle_id": str(circle)})
    assert page.status_code == 403
    assert "Only members of the circle 'Bakers' may do that." in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize(("action", "data"), [
    ("confirm", {}), ("dispute", {"reason": "Never happened"}),
])
@pytest.mark.parametrize("who", ["alice", "carol"])
def test_only_the_receiver_confirms_or_disputes(
        net: Network, ids: dict[str, Any], browser: Browser, action: str,
        data: dict[str, str], who: str) -> None:
    give = recorded(net, ids)
    before = net.app.last_position()
    page = browser(who).post(f"/gives/{give}/{action}", data)
    assert page.status_code == 403
    assert "Only the receiver of a give confirms or disputes it." in text_of(page)
    assert net.app.last_position() == before


def test_only_a_steward_reverses(net: Network, ids: dict[str, Any], browser: Browser) -> None:
    give = recorded(net, ids)
    before = net.app.last_position()
    page = browser("bob").post(f"/gives/{give}/reverse", {"reason": "I would rather not"})
    assert page.status_code == 403
    assert "Only a steward may reverse a give." in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize(("action", "who", "data"), [
    ("confirm", "bob", {}), ("dispute", "bob", {"reason": "No"}),
    ("reverse", "alice", {"reason": "No"}),
])
def test_acting_on_a_missing_give_is_a_404(browser: Browser, action: str, who: str,
                                           data: dict[str, str]) -> None:
    page = browser(who).post(f"/gives/{uuid4()}/{action}", data)
    assert page.status_code == 404
    assert "No give with id" in text_of(page)


def test_a_missing_give_page_is_a_404(browser: Browser) -> None:
    assert browser("bob").client.get(f"/gives/{uuid4()}").status_code == 404
    assert browser("bob").client.get("/gives/not-an-id").status_code == 404


@pytest.mark.parametrize(("action", "who", "field", "message"), [
    ("dispute", "bob", "dispute-reason", "Reason is required."),
    ("reverse", "alice", "reverse-reason", "Reason for the reversal is required."),
])
def test_a_blank_reason_is_refused_on_the_give_page(
        net: Network, ids: dict[str, Any], browser: Browser, action: str, who: str,
        field: str, message: str) -> None:
    give = recorded(net, ids)
    before = net.app.last_position()
    page = browser(who).post(f"/gives/{give}/{action}", {"reason": ""})
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    assert net.app.last_position() == before


def test_confirming_twice_is_a_conflict(net: Network, ids: dict[str, Any],
                                        browser: Browser) -> None:
    give = recorded(net, ids)
    bob = browser("bob")
    bob.post(f"/gives/{give}/confirm")
    page = bob.post(f"/gives/{give}/confirm")
    assert page.status_code == 409
    assert "This give is already confirmed" in text_of(page)
