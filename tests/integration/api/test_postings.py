"""Offers and asks through the API: post, browse, read, withdraw."""

from __future__ import annotations

from typing import Any

import pytest

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


@pytest.mark.parametrize("kind", ["offers", "asks"])
def test_a_member_posts_browses_and_withdraws(api: Caller, kind: str) -> None:
    bob = api("bob")
    posted = bob.post(f"/{kind}", {"title": "Sourdough", "description": "Weekly",
                                   "tags": ["Baking", "bread"]})
    assert posted.status_code == 201
    posting = posted.get_json()
    assert posting["tags"] == ["baking", "bread"] and posting["status"] == "open"
    assert posting["kind"] == kind[:-1]

    # Another member finds it in the list at once, and by tag.
    listed = api("carol").get(f"/{kind}?tag=baking").get_json()["items"]
    assert [(p["title"], p["author"]["name"]) for p in listed] == [("Sourdough", "Bob Baker")]
    assert api("carol").get(f"/{kind}?tag=pottery").get_json()["items"] == []

    withdrawn = bob.post(f"/{kind}/{posting['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert bob.get(f"/{kind}").get_json()["items"] == []
    assert len(bob.get(f"/{kind}?status=withdrawn").get_json()["items"]) == 1
    assert_problem(bob.post(f"/{kind}/{posting['id']}/withdraw"), 409)


@pytest.mark.parametrize("kind", ["offers", "asks"])
def test_refusals(api: Caller, net: Network, ids: dict[str, Any], kind: str) -> None:
    posting = api("bob").post(f"/{kind}", {"title": "Sourdough"}).get_json()
    assert_problem(api("carol").post(f"/{kind}/{posting['id']}/withdraw"), 403)
    assert_problem(api("bob").post(f"/{kind}/{MISSING}/withdraw"), 404)
    assert_problem(api("bob").get(f"/{kind}/{MISSING}"), 404)
    assert_problem(api("nobody").get(f"/{kind}"), 401)
    assert_problem(api("bob").post(f"/{kind}", {"title": ""}), 422, "title")
    assert_problem(api("bob").post(f"/{kind}", {"title": "T", "tags": ["no/slash"]}), 422,
                   "tags")
    assert_problem(api("bob").post(f"/{kind}", {"title": "T", "tags": "a,b", "extra": 1}), 422,
                   "extra")
    assert_problem(api("bob").get(f"/{kind}?status=lost"), 422, "status")
    # An offer is not an ask.
    other = "asks" if kind == "offers" else "offers"
    assert_problem(api("bob").get(f"/{other}/{posting['id']}"), 404)


def test_a_circle_posting_is_for_its_members(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    circle = net.circles.form(name="Bakers")
    net.circles.admit(circle, ids["bob"])
    bob, carol = api("bob"), api("carol")
    assert_problem(carol.post("/asks", {"title": "Flour", "circle_id": str(circle)}), 403)
    posted = bob.post("/asks", {"title": "Flour", "circle_id": str(circle)}).get_json()
    assert posted["circle_id"] == str(circle)
    assert [a["title"] for a in bob.get(f"/asks?circle={circle}").get_json()["items"]] \
        == ["Flour"]
    # Carol, not in the circle, neither sees it nor may read it.
    assert carol.get("/asks").get_json()["items"] == []
    assert_problem(carol.get(f"/asks/{posted['id']}"), 403)
    assert bob.get(f"/asks/{posted['id']}").status_code == 200
