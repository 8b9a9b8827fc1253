"""Fixtures for the JSON API: each of Alice (a steward), Bob and Carol as an API client
with a personal token of their own, and the objects the tests act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from coop.bootstrap import Network

API = "/api/v1"


class ApiClient:
    """Send API requests as one member, with their Bearer token."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client, self.token = client, token

    def request(self, method: str, path: str, *, json: Any = None,
                headers: dict[str, str] | None = None, **kwargs: Any) -> TestResponse:
        sent = dict(headers or {})
        if self.token is not None:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        url = path if path.startswith(API) else API + path
        return self.client.open(url, method=method, json=json, headers=sent, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("PUT", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("DELETE", path, **kwargs)


Caller = Callable[[str], ApiClient]


@pytest.fixture
def tokens(net: Network, ids: dict[str, Any]) -> dict[str, str]:
    """A personal API token for each of Alice, Bob and Carol."""
    return {who: net.tokens.create(member_id, name="tests")["token"]
            for who, member_id in ids.items()}


@pytest.fixture
def api(app: Flask, tokens: dict[str, str]) -> Caller:
    """Return an API client acting as the named member ("nobody": no token at all)."""

    def as_(who: str) -> ApiClient:
        return ApiClient(app.test_client(), tokens.get(who))

    return as_


def assert_problem(response: TestResponse, status: int, *fields: str) -> dict[str, Any]:
    """Check a response is a problem detail with this status (and these field errors)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    for field in fields:
        assert field in body.get("errors", {}), body
    return body


def uuid_of(response: TestResponse) -> UUID:
    return UUID(response.get_json()["id"])


MISSING = "00000000-0000-4000-8000-000000000000"
