"""When each API token was last used: shown to its member, written at most once a minute."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Flask

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, text_of


def row_of(page_text: str, name: str) -> str:
    """Return the text of the token table's row for the token called ``name``."""
    found = re.search(rf"{re.escape(name)} coop_\S+… .*?Revoke {re.escape(name)}", page_text)
    assert found, page_text
    return found.group(0)


def test_the_tokens_page_shows_when_each_token_was_last_used(
        app: Flask, auth: AuthActions, net: Network, ids: dict[str, Any]) -> None:
    used = net.tokens.create(ids["alice"], name="mailing list")["token"]
    net.tokens.create(ids["alice"], name="chat bot")
    assert auth.sign_in("alice").status_code == 302

    page = text_of(auth.client.get("/profile/tokens/"))
    assert "Last used" in page
    assert row_of(page, "mailing list").endswith("never Revoke mailing list")

    called = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {used}"})
    assert called.status_code == 200

    page = text_of(auth.client.get("/profile/tokens/"))
    now = datetime.now(timezone.utc)
    assert f"{now:%-d %B %Y}, " in row_of(page, "mailing list")
    assert "UTC" in row_of(page, "mailing list")
    assert row_of(page, "chat bot").endswith("never Revoke chat bot")


def test_a_token_in_steady_use_is_written_down_at_most_once_a_minute(
        net: Network, ids: dict[str, Any]) -> None:
    token = net.tokens.create(ids["bob"])["token"]
    start = datetime(2030, 5, 1, 9, 0, tzinfo=timezone.utc)

    def use_at(seconds: float) -> datetime | None:
        net.tokens.now = lambda: start + timedelta(seconds=seconds)
        assert net.tokens.member_for(token) == ids["bob"]
        [listed] = net.tokens.list(ids["bob"])
        return listed["last_used_at"]  # type: ignore[no-any-return]

    assert net.tokens.list(ids["bob"])[0]["last_used_at"] is None
    assert use_at(0) == start
    assert use_at(30) == start  # a request a second: still one write a minute
    assert use_at(59) == start
    assert use_at(60) == start + timedelta(seconds=60)
    assert use_at(61) == start + timedelta(seconds=60)


def test_a_token_that_is_not_one_notes_nothing(net: Network, ids: dict[str, Any]) -> None:
    net.tokens.create(ids["carol"])
    assert net.tokens.member_for("coop_not-a-real-token") is None
    assert net.tokens.list(ids["carol"])[0]["last_used_at"] is None
