"""Every refusal is a problem detail, bad input is never a 500 (on either backend), and
the document is public. The portal's own error pages stay HTML."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from coop.application import StoreUnavailable
from coop.bootstrap import Network
from coop.config import Settings
from tests.integration.api.conftest import Caller, assert_problem

# Every path the API promises (issue #7), stable from now on.
PROMISED = {
    "/api/v1/me": {"get"}, "/api/v1/members": {"get", "post"}, "/api/v1/members/{id}": {"get"},
    "/api/v1/circles": {"get", "post"}, "/api/v1/circles/{id}": {"get"},
    "/api/v1/circles/{id}/members": {"post"},
    "/api/v1/circles/{id}/members/{member_id}": {"delete"},
    "/api/v1/offers": {"get", "post"}, "/api/v1/asks": {"get", "post"},
    "/api/v1/offers/{id}/withdraw": {"post"}, "/api/v1/asks/{id}/withdraw": {"post"},
    "/api/v1/gives": {"post"}, "/api/v1/gives/{id}/confirm": {"post"},
    "/api/v1/gives/{id}/dispute": {"post"}, "/api/v1/gives/{id}/reverse": {"post"},
    "/api/v1/referrals": {"post"},
    **{f"/api/v1/referrals/{{id}}/{a}": {"post"}
       for a in ("accept", "decline", "close", "lost", "thank")},
    "/api/v1/ledger": {"get"}, "/api/v1/ledger/members/{id}": {"get"},
    "/api/v1/ledger/members/{id}/statement": {"get"},
    "/api/v1/distributions": {"post"}, "/api/v1/distributions/{id}": {"get"},
    "/api/v1/circles/{id}/contribution-rule": {"put"},
    "/api/v1/proposals": {"post"}, "/api/v1/proposals/{id}": {"get"},
    **{f"/api/v1/proposals/{{id}}/{a}": {"post"} for a in ("open", "close", "withdraw")},
    "/api/v1/proposals/{id}/ballot": {"put"}, "/api/v1/proposals/{id}/tally": {"get"},
    "/api/v1/circles/{id}/delegation": {"put", "delete"},
    "/api/v1/audit/export": {"get"},
}


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return settings


def test_the_openapi_document_is_public_and_has_every_promised_path(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json")
    assert document.status_code == 200
    paths = document.get_json()["paths"]
    for path, methods in PROMISED.items():
        assert methods <= set(paths.get(path, {})), path


@pytest.mark.parametrize("body", ["{not json", "1" * 5000, "[" * 50000, "\xff\xfe"])
def test_a_body_that_is_not_json_is_a_400(api: Caller, body: str) -> None:
    answer = api("alice").request("POST", "/asks", data=body.encode("latin-1"),
                                  content_type="application/json")
    assert_problem(answer, 400)


def test_a_body_of_another_type_counts_as_missing_fields(api: Caller) -> None:
    answer = api("alice").request("POST", "/asks", data="title=Flour",
                                  content_type="application/x-www-form-urlencoded")
    assert_problem(answer, 422, "title")


def test_wrong_types_and_huge_values_are_422s(api: Caller, ids: dict[str, Any]) -> None:
    alice = api("alice")
    assert_problem(alice.post("/asks", {"title": ["a list"]}), 422, "title")
    assert_problem(alice.post("/asks", ["not", "an", "object"]), 422)
    assert_problem(alice.post("/referrals", {"receiver_id": str(ids["bob"]), "prospect": "P",
                                             "need": "N", "warmth": 10 ** 4000}), 422, "warmth")
    assert_problem(alice.get("/members?page=99999999999999999999"), 422, "page")
    assert_problem(alice.get("/gives?waiting=perhaps"), 422, "waiting")


def test_control_characters_are_refused_before_they_reach_the_store(api: Caller) -> None:
    # PostgreSQL's text columns refuse NUL: one in an event would stop a read model.
    alice = api("alice")
    assert_problem(alice.post("/offers", {"title": "Bread\u0000"}), 422, "title")
    assert_problem(alice.get("/members?search=a%00b"), 422, "search")
    assert alice.get("/offers").status_code == 200


def test_ids_that_are_not_ids(api: Caller) -> None:
    assert_problem(api("alice").get("/gives/12345"), 404)
    assert_problem(api("alice").get("/offers?circle=12345"), 422, "circle")


def test_unknown_query_parameters_are_ignored(api: Caller) -> None:
    assert api("alice").get("/offers?colour=blue").status_code == 200


def test_wrong_addresses_and_methods(api: Caller) -> None:
    assert_problem(api("alice").get("/nothing/here"), 404)
    wrong = api("alice").delete("/offers")
    assert_problem(wrong, 405)
    assert "POST" in wrong.headers["Allow"]


def test_a_busy_store_is_a_503_with_retry_after(
        api: Caller, net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*args: Any, **kwargs: Any) -> None:
        raise StoreUnavailable("the event store is busy or unreachable: locked")

    monkeypatch.setattr(net.members, "get", busy)
    answer = api("alice").get("/me")
    assert_problem(answer, 503)
    assert int(answer.headers["Retry-After"]) > 0


def test_the_portal_keeps_its_html_error_pages(app: Flask) -> None:
    page = app.test_client().get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
