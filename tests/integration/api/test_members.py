"""Members through the API: the caller, the directory, adding and inviting members."""

from __future__ import annotations

from typing import Any

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem
from tests.integration.conftest import email_of

DANA = {"email": "Dana@Coop.test", "name": "Dana Weaver", "business": "Looms"}


def test_me_is_the_calling_member(api: Caller, ids: dict[str, Any]) -> None:
    me = api("alice").get("/me").get_json()
    assert me["id"] == str(ids["alice"]) and me["roles"] == ["steward"]
    assert_problem(api("nobody").get("/me"), 401)


def test_the_directory_lists_members_by_name_a_page_at_a_time(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    bob = api("bob")
    first = bob.get("/members?per_page=2").get_json()
    assert [m["name"] for m in first["items"]] == ["Alice Steward", "Bob Baker"]
    assert first["has_next"] and first["next"].endswith("page=2")
    second = bob.get(first["next"]).get_json()
    assert [m["name"] for m in second["items"]] == ["Carol Carpenter"]
    assert second["next"] is None and not second["has_next"]
    # Filtered by a circle and by words in the name.
    circle = net.circles.form(name="Bakers")
    net.circles.admit(circle, ids["bob"])
    assert [m["name"] for m in bob.get(f"/members?circle={circle}").get_json()["items"]] \
        == ["Bob Baker"]
    assert [m["name"] for m in bob.get("/members?search=carp").get_json()["items"]] \
        == ["Carol Carpenter"]
    assert_problem(bob.get(f"/members?circle={MISSING}"), 404)
    assert_problem(bob.get("/members?per_page=1000"), 422, "per_page")
    assert_problem(api("nobody").get("/members"), 401)


def test_one_member(api: Caller, ids: dict[str, Any]) -> None:
    carol = api("bob").get(f"/members/{ids['carol']}").get_json()
    assert carol["email"] == email_of("carol") and carol["has_left"] is False
    assert_problem(api("bob").get(f"/members/{MISSING}"), 404)
    assert_problem(api("bob").get("/members/not-an-id"), 404)


def test_a_steward_adds_a_member_and_gets_their_invitation_link(
        api: Caller, net: Network) -> None:
    added = api("alice").post("/members", DANA)
    assert added.status_code == 201
    dana = added.get_json()
    assert dana["email"] == "dana@coop.test" and dana["business"] == "Looms"
    assert added.headers["Location"].endswith(f"/api/v1/members/{dana['id']}")
    # The link is a working invitation for Dana.
    token = dana["invitation_url"].rsplit("/", 1)[1]
    assert net.accounts.invitation(token)["email"] == "dana@coop.test"
    # Read your own write: the directory lists Dana at once.
    names = [m["name"] for m in api("alice").get("/members").get_json()["items"]]
    assert "Dana Weaver" in names


def test_adding_members_is_refused_to_members_twice_and_with_bad_input(
        api: Caller, net: Network) -> None:
    assert_problem(api("bob").post("/members", DANA), 403)
    assert api("alice").post("/members", DANA).status_code == 201
    assert_problem(api("alice").post("/members", DANA), 409)
    body = assert_problem(api("alice").post("/members", {"email": "nope", "nick": "x"}), 422,
                          "email", "name", "nick")
    assert "not an email address" in body["errors"]["email"][0]
    assert_problem(api("alice").post("/members", {"email": "e@coop.test", "name": ""}), 422,
                   "name")


def test_a_steward_makes_a_new_invitation(api: Caller, ids: dict[str, Any]) -> None:
    made = api("alice").post(f"/members/{ids['carol']}/invitation")
    assert made.status_code == 201 and "/invitations/" in made.get_json()["invitation_url"]
    assert_problem(api("bob").post(f"/members/{ids['carol']}/invitation"), 403)
    assert_problem(api("alice").post(f"/members/{MISSING}/invitation"), 404)
