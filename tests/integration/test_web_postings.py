"""Offers and asks through the portal: post, edit, withdraw; and every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, text_of

Browser = Callable[[str], AuthActions]
KINDS = ["offer", "ask"]
POSTING = {"title": "Sourdough lessons", "description": "Saturday mornings",
           "tags": "Baking, bread"}


def posted(net: Network, ids: dict[str, Any], kind: str, by: str = "bob") -> UUID:
    post = net.postings.post_offer if kind == "offer" else net.postings.post_ask
    return post(title="Oven help", description="", by=ids[by])


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_posts_changes_and_withdraws(net: Network, browser: Browser,
                                              kind: str) -> None:
    bob = browser("bob")
    sent = bob.post(f"/{kind}s/new", POSTING)
    assert sent.status_code == 302
    path = sent.headers["Location"]
    text = text_of(bob.client.get(path))
    assert "Sourdough lessons" in text and "baking" in text and "bread" in text

    form = bob.client.get(f"{path}/edit")
    assert 'value="Sourdough lessons"' in form.text and 'value="baking, bread"' in form.text
    bob.post(f"{path}/edit", {**POSTING, "title": "Rye lessons"})
    assert "Rye lessons" in text_of(bob.client.get(path))

    bob.post(f"{path}/withdraw")
    text = text_of(bob.client.get(path))
    assert "Withdrawn" in text and "Withdraw it" not in text


def test_an_ask_page_lets_others_record_a_give(net: Network, ids: dict[str, Any],
                                              browser: Browser) -> None:
    ask = posted(net, ids, "ask")
    page = browser("carol").client.get(f"/asks/{ask}")
    assert f"/gives/new?ask={ask}&amp;to=bob@coop.test" in page.text
    assert "Change it" not in page.text and "Withdraw it" not in page.text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": ""}, "title", "Title is required."),
    ({"title": "x" * 121}, "title", "Title must be at most 120 characters."),
    ({"tags": "ok, b@d"}, "tags", "'b@d' is not a tag"),
    ({"circle_id": "nope"}, "circle_id", "The circle is not a valid id"),
])
def test_a_bad_posting_is_refused_and_nothing_is_written(
        net: Network, browser: Browser, kind: str, changes: dict[str, str], field: str,
        message: str) -> None:
    bob = browser("bob")
    before = net.app.last_position()
    page = bob.post(f"/{kind}s/new", {**POSTING, **changes})
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_edit_is_refused_and_nothing_is_written(
        net: Network, ids: dict[str, Any], browser: Browser, kind: str) -> None:
    posting = posted(net, ids, kind)
    before = net.app.last_position()
    page = browser("bob").post(f"/{kind}s/{posting}/edit", {"title": " "})
    assert page.status_code == 400 and "Title is required." in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize("kind", KINDS)
def test_posting_in_a_circle_one_is_not_in_is_a_403(
        net: Network, browser: Browser, kind: str) -> None:
    circle = net.circles.form(name="Bakers")
    before = net.app.last_position()
    page = browser("bob").post(f"/{kind}s/new", {**POSTING, "circle_id": str(circle)})
    assert page.status_code == 403
    assert "Only members of the circle 'Bakers' may do that." in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("action", "data"), [("edit", POSTING), ("withdraw", {})])
def test_only_the_author_changes_or_withdraws(
        net: Network, ids: dict[str, Any], browser: Browser, kind: str, action: str,
        data: dict[str, str]) -> None:
    posting = posted(net, ids, kind)
    carol = browser("carol")
    before = net.app.last_position()
    page = carol.post(f"/{kind}s/{posting}/{action}", data)
    assert page.status_code == 403
    assert f"Only the member who posted this {kind} may change it." in text_of(page)
    assert net.app.last_position() == before
    assert carol.client.get(f"/{kind}s/{posting}/edit").status_code == 403
    assert "Change it" not in carol.client.get(f"/{kind}s/{posting}").text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("action", "data"), [("edit", POSTING), ("withdraw", {})])
def test_changing_a_missing_posting_is_a_404(browser: Browser, kind: str, action: str,
                                            data: dict[str, str]) -> None:
    bob = browser("bob")
    missing = uuid4()
    page = bob.post(f"/{kind}s/{missing}/{action}", data)
    assert page.status_code == 404
    assert f"No {kind} with id '{missing}'." in text_of(page)
    assert bob.client.get(f"/{kind}s/{missing}").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_withdrawing_twice_is_a_conflict(net: Network, ids: dict[str, Any], browser: Browser,
                                         kind: str) -> None:
    posting = posted(net, ids, kind)
    bob = browser("bob")
    bob.post(f"/{kind}s/{posting}/withdraw")
    page = bob.post(f"/{kind}s/{posting}/withdraw")
    assert page.status_code == 409
    assert f"This {kind} has been withdrawn." in text_of(page)


def test_a_posting_made_in_a_circle_is_shown_to_its_members_only(
        net: Network, ids: dict[str, Any], browser: Callable[[str], AuthActions]) -> None:
    # Bob asks the Garden circle for help; Carol is not in it.
    garden = net.circles.form(name="Garden")
    for who in ("alice", "bob"):
        net.circles.admit(garden, ids[who])
    ask = net.postings.post_ask(title="Help turn the compost", circle_id=garden, by=ids["bob"])
    assert browser("carol").client.get(f"/asks/{ask}").status_code == 403
    assert browser("alice").client.get(f"/asks/{ask}").status_code == 200
