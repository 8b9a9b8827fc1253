"""Fixtures for the web portal: ``app``, ``client`` and ``auth`` (after flaskr's tests).

CSRF protection stays on in every test: helpers fetch the token from a page, as a
browser would. The network starts with three members who have passwords:
Alice (a steward), Bob and Carol.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from coop.bootstrap import Network, build
from coop.config import Settings
from web import close, create_app

# Still argon2id, with a low cost: these tests check behaviour, not hashing strength.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

PEOPLE = {
    "alice": ("alice@coop.test", "Alice Steward", True),
    "bob": ("bob@coop.test", "Bob Baker", False),
    "carol": ("carol@coop.test", "Carol Carpenter", False),
}
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def password_of(who: str) -> str:
    return f"{who}-password-1234"


def email_of(who: str) -> str:
    return PEOPLE[who][0]


@pytest.fixture
def web_settings(sqlite_settings: Settings) -> Settings:
    """The store the portal runs on; test modules that must cover every backend
    override this with ``settings``."""
    return sqlite_settings


@pytest.fixture
def app(web_settings: Settings) -> Iterator[Flask]:
    """A portal on a freshly initialised store holding Alice, Bob and Carol."""
    setup = build(web_settings, create_tables=True)
    try:
        setup.accounts.hasher = FAST_HASHER
        for who, (email, name, steward) in PEOPLE.items():
            member_id = setup.members.add(email=email, name=name, steward=steward)
            setup.accounts.set_password(member_id, password_of(who))
    finally:
        setup.close()
    portal = create_app(web_settings, {"TESTING": True, "SECRET_KEY": TEST_SECRET_KEY})
    net_of(portal).accounts.hasher = FAST_HASHER
    yield portal
    close(portal)


def net_of(app: Flask) -> Network:
    return app.extensions["coop"]  # type: ignore[no-any-return]


@pytest.fixture
def net(app: Flask) -> Network:
    """The portal's own network, for arranging and checking what the pages did."""
    return net_of(app)


@pytest.fixture
def ids(net: Network) -> dict[str, Any]:
    return {who: net.members.id_for_email(email) for who, (email, _, _) in PEOPLE.items()}


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class AuthActions:
    """Sign in and out, and post forms with their CSRF token, as one browser would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def csrf_token(self) -> str:
        """Return the form token of this browser's session, read from a page."""
        page = self.client.get("/")
        if page.status_code == 302:
            page = self.client.get("/sign-in")
        found = _TOKEN.search(page.text)
        assert found, "no form with a CSRF token on the page"
        return found.group(1)

    def sign_in(self, who: str = "alice", password: str | None = None,
                **extra: str) -> TestResponse:
        return self.post("/sign-in", {"email": email_of(who),
                                      "password": password or password_of(who), **extra})

    def sign_out(self) -> TestResponse:
        return self.post("/sign-out")

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        """Post a form the way the page's own form would, token included."""
        return self.client.post(path, data={"csrf_token": self.csrf_token(), **(data or {})},
                                **kwargs)

    def is_signed_in(self) -> bool:
        return self.client.get("/").status_code == 200


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def browser(app: Flask) -> Callable[[str], AuthActions]:
    """Return a function giving a new browser signed in as the named member."""

    def open_as(who: str) -> AuthActions:
        actions = AuthActions(app.test_client())
        assert actions.sign_in(who).status_code == 302
        return actions

    return open_as


def text_of(response: TestResponse) -> str:
    """Return the text of the page's main content, tags stripped, spaces squeezed."""
    main = response.text.split('<main', 1)[-1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main.split(">", 1)[-1])).split())
