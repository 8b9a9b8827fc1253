"""Browsing offers and asks, and a member's own gives and referrals: filters, pages,
and bad filters refused with a message (400), never a 500."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from coop.bootstrap import Network
from domain import clock
from tests.integration.conftest import AuthActions, email_of, text_of

Browser = Callable[[str], AuthActions]


def titles(page_text: str) -> list[str]:
    return re.findall(r'class="posting__title"><a href="[^"]+">([^<]+)</a>', page_text)


def test_asks_are_listed_newest_first_and_filtered_by_tag(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    net.postings.post_ask(title="Oven repair", tags="baking, repair", by=ids["bob"])
    net.postings.post_ask(title="Tax return", tags="tax", by=ids["carol"])
    alice = browser("alice")

    page = alice.client.get("/asks/")
    assert titles(page.text) == ["Tax return", "Oven repair"]
    assert 'href="/asks/?tag=baking"' in page.text  # the popular tags

    assert titles(alice.client.get("/asks/?tag=Baking").text) == ["Oven repair"]
    assert "No asks match these filters." in text_of(alice.client.get("/asks/?tag=knitting"))


def test_statuses_and_mine(net: Network, ids: dict[str, Any], browser: Browser) -> None:
    bob_ask = net.postings.post_ask(title="Oven repair", by=ids["bob"])
    net.postings.post_ask(title="Tax return", by=ids["carol"])
    net.postings.withdraw_ask(bob_ask, by=ids["bob"])
    bob = browser("bob")

    assert titles(bob.client.get("/asks/").text) == ["Tax return"]
    assert titles(bob.client.get("/asks/?status=withdrawn").text) == ["Oven repair"]
    assert titles(bob.client.get("/asks/?status=any&mine=1").text) == ["Oven repair"]
    assert titles(bob.client.get(f"/asks/?status=any&author={ids['carol']}").text) == [
        "Tax return"]


def test_a_posting_in_a_circle_is_listed_for_its_members_only(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    circle = net.circles.form(name="Bakers")
    net.circles.admit(circle, ids["bob"])
    net.postings.post_offer(title="Rye starter", circle_id=circle, by=ids["bob"])
    net.postings.post_offer(title="Open to all", by=ids["bob"])

    assert titles(browser("carol").client.get("/offers/").text) == ["Open to all"]
    bob = browser("bob")
    assert titles(bob.client.get("/offers/").text) == ["Open to all", "Rye starter"]
    assert titles(bob.client.get(f"/offers/?circle={circle}").text) == ["Rye starter"]


def test_a_long_list_comes_in_pages_linked_by_rel_next_and_prev(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    for i in range(27):
        with clock.frozen_at(start + timedelta(hours=i)):
            net.postings.post_ask(title=f"Ask number {i:02d}", tags="many", by=ids["bob"])
    carol = browser("carol")

    first = carol.client.get("/asks/?tag=many")
    assert len(titles(first.text)) == 25 and titles(first.text)[0] == "Ask number 26"
    assert 'rel="next" href="/asks/?tag=many&amp;page=2"' in first.text
    assert 'rel="prev"' not in first.text

    second = carol.client.get("/asks/?tag=many&page=2")
    assert titles(second.text) == ["Ask number 01", "Ask number 00"]
    assert 'rel="prev" href="/asks/?tag=many"' in second.text and 'rel="next"' not in second.text

    past = carol.client.get("/asks/?tag=many&page=3")
    assert past.status_code == 404 and "There is no page 3 of this list" in text_of(past)


@pytest.mark.parametrize(("query", "field", "message"), [
    ("page=abc", "page", "The page number must be a whole number from 1 to 400."),
    ("page=0", "page", "The page number must be a whole number from 1 to 400."),
    ("page=100000", "page", "The page number must be a whole number from 1 to 400."),
    ("status=lost", "status", "The status must be one of: open, fulfilled, withdrawn, any."),
    ("tag=b%40d", "tag", "'b@d' is not a tag"),
    ("circle=not-an-id", "circle", "The circle is not a valid id"),
    ("circle=1b4e28ba-2fa1-11d2-883f-0016d3cca427", "circle", "There is no circle with id"),
    ("mine=perhaps", "mine", "'mine' is either on or off."),
])
def test_bad_filters_are_refused_with_a_message(
        browser: Browser, query: str, field: str, message: str) -> None:
    page = browser("bob").client.get(f"/asks/?{query}")
    assert page.status_code == 400
    assert message in text_of(page)
    assert f'href="#{field}"' in page.text  # the summary links to the field


def test_an_ask_page_shows_who_offered_help(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    ask = net.postings.post_ask(title="Oven repair", by=ids["bob"])
    assert "No one has recorded a give for this ask yet." in text_of(
        browser("bob").client.get(f"/asks/{ask}"))

    carol = browser("carol")
    carol.post("/gives/new", {"receiver_email": email_of("bob"), "hours": "1.5",
                              "description": "Fixed the door seal", "ask_id": str(ask)})
    text = text_of(browser("bob").client.get(f"/asks/{ask}"))
    assert "Who offered help" in text
    assert "Carol Carpenter gave Bob Baker 1.5 hours Pending" in text
    assert browser("bob").client.get(f"/asks/{ask}?page=x").status_code == 400


def test_my_gives_and_referrals_are_listed_with_filters(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    give = net.gives.record(receiver_id=ids["bob"], hours="2", description="Baked bread",
                            by=ids["alice"])
    net.gives.record(receiver_id=ids["carol"], hours="1", description="Moved a sofa",
                     by=ids["bob"])
    net.referrals.make(receiver_id=ids["bob"], prospect="Corner Café", need="bread",
                       warmth=4, by=ids["carol"])
    bob = browser("bob")

    gives = text_of(bob.client.get("/gives/"))
    assert "You gave Carol Carpenter 1 hour" in gives and "Alice Steward gave you 2 hours" in gives
    waiting = bob.client.get("/gives/?waiting=1")
    assert "Moved a sofa" not in text_of(waiting) and f"/gives/{give}" in waiting.text
    assert "No gives match." in text_of(bob.client.get("/gives/?status=confirmed"))
    assert bob.client.get("/gives/?status=lost").status_code == 400

    assert "Corner Café from Carol Carpenter" in text_of(bob.client.get("/referrals/?waiting=1"))
    assert "No referrals match." in text_of(bob.client.get("/referrals/?role=made"))
    assert bob.client.get("/referrals/?role=sideways").status_code == 400
    assert bob.client.get("/referrals/?page=2").status_code == 404
