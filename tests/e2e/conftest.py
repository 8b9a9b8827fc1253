"""A real portal on a free port of 127.0.0.1, and real Chromium to drive it.

Debian's Chromium (apt install chromium) is used through Playwright; the tests are
skipped, saying why, when either is missing. Playwright's own browser download is
never needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coop.bootstrap import build
from coop.config import Settings
from tests.integration.conftest import FAST_HASHER, PEOPLE, TEST_SECRET_KEY, password_of
from web import create_app
from web.local_server import serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    """Serve a portal holding Alice (a steward), Bob and Carol; yield its address."""
    settings = Settings(data_dir=tmp_path / "instance")
    setup = build(settings, create_tables=True)
    try:
        setup.accounts.hasher = FAST_HASHER
        for who, (email, name, steward) in PEOPLE.items():
            member_id = setup.members.add(email=email, name=name, steward=steward)
            setup.accounts.set_password(member_id, password_of(who))
    finally:
        setup.close()
    app = create_app(settings, {"TESTING": True, "SECRET_KEY": TEST_SECRET_KEY})
    app.extensions["coop"].accounts.hasher = FAST_HASHER
    with serving(app) as address:
        yield address


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is missing: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def signed_in(chromium: Any, base_url: str) -> Iterator[Callable[[str], Any]]:
    """Return a function giving a page in a browser context of its own, signed in."""
    contexts: list[Any] = []

    def open_as(who: str) -> Any:
        context = chromium.new_context(base_url=base_url, viewport={"width": 1100, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(PEOPLE[who][0])
        page.get_by_label("Password").fill(password_of(who))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base_url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
