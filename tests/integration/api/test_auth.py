"""Who may call the API: personal tokens (made in the portal or by `coop token
create`), revoked at once; the portal's session cookie with its CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from coop.bootstrap import Network
from coop.cli import main
from coop.config import Settings
from tests.integration.api.conftest import ApiClient, Caller, assert_problem
from tests.integration.conftest import AuthActions, email_of, text_of

Browser = Callable[[str], AuthActions]


def test_a_request_without_credentials_is_refused_with_a_bearer_challenge(api: Caller) -> None:
    answer = api("nobody").get("/me")
    assert_problem(answer, 401)
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer coop_not-a-token",
                                    "Bearer not-even-shaped-like-one"])
def test_a_malformed_or_unknown_token_is_refused(app: Flask, header: str) -> None:
    answer = app.test_client().get("/api/v1/me", headers={"Authorization": header})
    assert_problem(answer, 401)
    assert "error=" in answer.headers["WWW-Authenticate"]


def test_a_token_acts_as_its_member(api: Caller, ids: dict[str, Any]) -> None:
    me = api("bob").get("/me")
    assert me.status_code == 200
    assert me.get_json()["id"] == str(ids["bob"])
    assert me.get_json()["email"] == email_of("bob")


def test_a_revoked_token_stops_working_at_once(
        net: Network, ids: dict[str, Any], app: Flask) -> None:
    made = net.tokens.create(ids["bob"], name="bot")
    bob = ApiClient(app.test_client(), made["token"])
    assert bob.get("/me").status_code == 200
    net.tokens.revoke(made["id"], by=ids["bob"])
    assert_problem(bob.get("/me"), 401)


def test_the_token_of_a_member_who_left_stops_working(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    bob = api("bob")
    net.members.leave(ids["bob"], by=ids["bob"])
    assert_problem(bob.get("/me"), 401)


def test_tokens_are_stored_hashed(net: Network, ids: dict[str, Any]) -> None:
    made = net.tokens.create(ids["carol"], name="secret")
    assert made["token"].startswith("coop_") and len(made["token"]) > 40
    with net.accounts.store.transaction() as cur:
        stored = cur.rows("SELECT * FROM {tokens}")
    assert not any(made["token"] in str(value) for row in stored for value in row)
    assert [t["name"] for t in net.tokens.list(ids["carol"])] == ["secret"]


def test_a_member_manages_only_their_own_tokens(net: Network, ids: dict[str, Any]) -> None:
    from domain.errors import NotAllowed

    made = net.tokens.create(ids["bob"])
    with pytest.raises(NotAllowed, match="own API tokens"):
        net.tokens.revoke(made["id"], by=ids["carol"])
    with pytest.raises(NotAllowed, match="own API tokens"):
        net.tokens.create(ids["bob"], by=ids["alice"])  # not even a steward


# The portal's session


def test_the_session_cookie_works_and_a_write_needs_the_csrf_header(
        browser: Browser, net: Network) -> None:
    bob = browser("bob")
    assert bob.client.get("/api/v1/me").get_json()["name"] == "Bob Baker"

    # Without the X-CSRFToken header a write is refused, and nothing is posted.
    refused = bob.client.post("/api/v1/asks", json={"title": "Flour"})
    assert_problem(refused, 403)
    assert refused.get_json()["type"].endswith("csrf")

    # With the form token of one of its pages, the same write goes through.
    posted = bob.client.post("/api/v1/asks", json={"title": "Flour"},
                             headers={"X-CSRFToken": bob.csrf_token()})
    assert posted.status_code == 201


# The portal's token pages


def test_a_member_makes_a_token_in_the_portal_and_revokes_it(
        browser: Browser, app: Flask) -> None:
    bob = browser("bob")
    assert "API tokens" in bob.client.get("/profile", follow_redirects=True).text

    # Bob makes a token: it is shown once, and it works.
    made = bob.post("/profile/tokens/", {"name": "mailing list"})
    assert made.status_code == 201
    token = next(word for word in text_of(made).split() if word.startswith("coop_"))
    assert ApiClient(app.test_client(), token).get("/me").status_code == 200

    # The list names it and shows only its first characters.
    listing = bob.client.get("/profile/tokens/")
    assert "mailing list" in text_of(listing) and token not in listing.text

    # Revoking it from the list stops it at once.
    revoke = re.search(r'action="(/profile/tokens/[^"]+/revoke)"', listing.text).group(1)
    assert bob.post(revoke).status_code == 302
    assert_problem(ApiClient(app.test_client(), token).get("/me"), 401)


def test_a_member_cannot_revoke_another_members_token(
        browser: Browser, net: Network, ids: dict[str, Any]) -> None:
    made = net.tokens.create(ids["bob"])
    assert browser("carol").post(f"/profile/tokens/{made['id']}/revoke").status_code == 403
    assert net.tokens.list(ids["bob"])


# The command line


def test_coop_token_create_prints_a_working_token(
        web_settings: Settings, app: Flask, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COOP_DATA_DIR", str(web_settings.data_dir))
    monkeypatch.delenv("COOP_DATABASE_URL", raising=False)
    capsys.readouterr()
    assert main(["token", "create", email_of("carol"), "--name", "accounts"]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith("coop_") and "not shown again" in err
    assert ApiClient(app.test_client(), token).get("/me").get_json()["name"] == "Carol Carpenter"

    assert main(["token", "create", "nobody@coop.test"]) == 1
    assert capsys.readouterr().err.startswith("coop: error: no member")
