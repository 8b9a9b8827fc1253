"""The directory: members with their circles and offers, and circle pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, text_of

Browser = Callable[[str], AuthActions]


@pytest.fixture
def bakers(net: Network, ids: dict[str, Any]) -> Any:
    """A circle of Alice and Bob, with a mandate and a circle within it."""
    circle = net.circles.form(name="Bakers", purpose="Bread for the street.")
    net.circles.admit(circle, ids["alice"])
    net.circles.admit(circle, ids["bob"])
    net.circles.grant_mandate(circle, domain="the shared oven", decision="assembly of 3 May")
    net.circles.form(name="Sourdough", parent_id=circle)
    return circle


def names(page_text: str) -> list[str]:
    return re.findall(r'<h2><a href="/members/[^"]+">([^<]+)</a>', page_text)


def test_members_are_listed_with_their_circles_and_offers(
        net: Network, ids: dict[str, Any], bakers: Any, browser: Browser) -> None:
    net.postings.post_offer(title="Rye lessons", by=ids["bob"])
    net.postings.post_offer(title="Oven time", circle_id=bakers, by=ids["bob"])
    page = browser("carol").client.get("/members/")

    assert names(page.text) == ["Alice Steward", "Bob Baker", "Carol Carpenter"]
    text = text_of(page)
    assert "Bob Baker Circles: Bakers Offers Rye lessons" in text
    assert "Oven time" not in text  # offered in a circle Carol is not in
    assert "Alice Steward Steward" in text


def test_members_are_found_by_name_and_by_circle(
        net: Network, bakers: Any, browser: Browser) -> None:
    carol = browser("carol")
    assert names(carol.client.get("/members/?q=carp").text) == ["Carol Carpenter"]
    assert names(carol.client.get(f"/members/?circle={bakers}").text) == [
        "Alice Steward", "Bob Baker"]
    assert "No member matches." in text_of(carol.client.get("/members/?q=zebra"))
    bad = carol.client.get("/members/?circle=1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    assert bad.status_code == 400 and "There is no circle with id" in text_of(bad)
    assert carol.client.get("/members/?q=" + "x" * 101).status_code == 400


def test_the_directory_comes_in_pages(net: Network, browser: Browser) -> None:
    for i in range(25):
        net.members.add(email=f"m{i:02d}@coop.test", name=f"Member {i:02d}")
    carol = browser("carol")
    first = carol.client.get("/members/")
    assert len(names(first.text)) == 25 and 'rel="next" href="/members/?page=2"' in first.text
    assert names(carol.client.get("/members/?page=2").text) == [
        "Member 22", "Member 23", "Member 24"]
    assert carol.client.get("/members/?page=3").status_code == 404


def test_a_member_page_shows_their_circles_offers_and_statement(
        net: Network, ids: dict[str, Any], bakers: Any, browser: Browser) -> None:
    net.postings.post_offer(title="Rye lessons", by=ids["bob"])
    page = browser("alice").client.get(f"/members/{ids['bob']}")
    text = text_of(page)
    assert "Circles Bakers" in text and "Offers Rye lessons" in text
    assert f'href="/ledger/members/{ids["bob"]}"' in page.text


def test_circles_are_listed_with_parent_and_members(bakers: Any, browser: Browser) -> None:
    text = text_of(browser("carol").client.get("/circles/"))
    assert "Bakers 2 members Bread for the street." in text
    assert "Sourdough Within Bakers 0 members" in text


def test_a_circle_page_shows_mandates_members_and_circles_within(
        net: Network, ids: dict[str, Any], bakers: Any, browser: Browser) -> None:
    page = browser("bob").client.get(f"/circles/{bakers}")
    text = text_of(page)
    assert "Bakers" in text and "Bread for the street." in text
    assert "the shared oven Granted by assembly of 3 May" in text
    assert "Circles within Sourdough (0)" in text
    assert "Members Alice Steward" in text and "Bob Baker" in text
    assert f'href="/ledger/circles/{bakers}"' in page.text
    assert f'href="/asks/?circle={bakers}"' in page.text  # Bob is a member

    carol = browser("carol").client.get(f"/circles/{bakers}")
    assert f'href="/asks/?circle={bakers}"' not in carol.text


def test_a_missing_circle_is_404_and_a_bad_page_400(bakers: Any, browser: Browser) -> None:
    carol = browser("carol")
    assert carol.client.get("/circles/1b4e28ba-2fa1-11d2-883f-0016d3cca427").status_code == 404
    assert carol.client.get("/circles/not-an-id").status_code == 404
    assert carol.client.get(f"/circles/{bakers}?page=-1").status_code == 400
    assert carol.client.get("/circles/?page=two").status_code == 400
