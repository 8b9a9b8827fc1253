"""The portal's defences: CSRF, safe methods, headers, redirects, cookies, keys, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coop.application import StoreUnavailable
from coop.bootstrap import Network, build
from coop.cli import main
from coop.config import ConfigurationError, Settings
from tests.integration.conftest import TEST_SECRET_KEY, AuthActions, email_of, text_of
from web import close, create_app
from web.config import check_environment

GIVE = {"receiver_email": email_of("bob"), "hours": "2", "description": "Fixed the oven"}


def test_a_form_without_its_csrf_token_is_refused_and_writes_nothing(
        net: Network, browser: Callable[[str], AuthActions]) -> None:
    alice = browser("alice")
    before = net.app.last_position()
    for token in (None, "forged-token"):
        data = GIVE if token is None else {**GIVE, "csrf_token": token}
        page = alice.client.post("/gives/new", data=data)
        assert page.status_code == 400
        assert "This form has expired or was not sent from this site." in text_of(page)
    assert net.app.last_position() == before


def test_signing_in_needs_the_csrf_token_too(client: FlaskClient, auth: AuthActions) -> None:
    page = client.post("/sign-in", data={"email": email_of("bob"), "password": "x" * 12})
    assert page.status_code == 400
    assert not auth.is_signed_in()


def test_a_token_from_another_session_is_refused(
        net: Network, browser: Callable[[str], AuthActions]) -> None:
    alice, bob = browser("alice"), browser("bob")
    page = bob.client.post("/gives/new", data={**GIVE, "receiver_email": email_of("carol"),
                                               "csrf_token": alice.csrf_token()})
    assert page.status_code == 400


def post_only_paths(net: Network, ids: dict[str, Any]) -> list[str]:
    give = net.gives.record(receiver_id=ids["bob"], hours="1", description="x", by=ids["alice"])
    ask = net.postings.post_ask(title="Help", by=ids["bob"])
    offer = net.postings.post_offer(title="Help", by=ids["alice"])
    referral = net.referrals.make(receiver_id=ids["bob"], prospect="P", need="N", warmth=3,
                                  by=ids["alice"])
    return [
        "/sign-out", f"/gives/{give}/confirm", f"/gives/{give}/dispute",
        f"/gives/{give}/reverse", f"/asks/{ask}/withdraw", f"/offers/{offer}/withdraw",
        *(f"/referrals/{referral}/{answer}"
          for answer in ("accept", "decline", "close", "lost", "thank")),
    ]


def test_no_state_changes_on_get(net: Network, ids: dict[str, Any],
                                 browser: Callable[[str], AuthActions]) -> None:
    paths = post_only_paths(net, ids)
    before = net.app.last_position()
    for who in ("alice", "bob"):
        signed_in = browser(who)
        for path in paths:
            page = signed_in.client.get(path)
            assert page.status_code == 405, path
            assert "POST" in page.headers["Allow"]
        # Signing out by GET would be a state change too: still signed in.
        assert signed_in.is_signed_in()
    assert net.app.last_position() == before


def test_every_response_carries_the_security_headers(
        client: FlaskClient, browser: Callable[[str], AuthActions]) -> None:
    alice = browser("alice")
    responses = [client.get("/sign-in"), client.get("/"), client.get("/static/coop.css"),
                 client.get("/no-such-page"), alice.client.get("/"),
                 alice.client.get(f"/gives/{uuid4()}"), alice.client.post("/gives/new")]
    for response in responses:
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "form-action 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Request-ID"]
        response.close()  # the stylesheet is streamed from an open file


def test_pages_have_no_inline_script_or_style(browser: Callable[[str], AuthActions]) -> None:
    alice = browser("alice")
    for path in ("/", "/gives/new", "/asks/new", "/referrals/new", "/profile/edit"):
        page = alice.client.get(path).text
        assert "<script" not in page and "<style" not in page and " style=" not in page


def test_a_request_id_from_a_proxy_is_kept(client: FlaskClient) -> None:
    assert client.get("/sign-in", headers={"X-Request-ID": "abc-123-def"}
                      ).headers["X-Request-ID"] == "abc-123-def"
    # One that could smuggle text into the access log is replaced.
    assert client.get("/sign-in", headers={"X-Request-ID": "bad id; rm"}
                      ).headers["X-Request-ID"] != "bad id; rm"


@pytest.mark.parametrize("target", [
    "//evil.example/", "http://evil.example/", "https:evil.example", "/\\evil.example",
    "\\\\evil.example", "/\t/evil.example", "evil.example", "javascript:alert(1)",
])
def test_sign_in_never_redirects_off_site(auth: AuthActions, target: str) -> None:
    assert auth.sign_in("bob", next=target).headers["Location"] == "/"


def test_sign_in_redirects_to_a_path_of_ours(auth: AuthActions) -> None:
    assert auth.sign_in("bob", next="/asks/new").headers["Location"] == "/asks/new"


def test_the_session_cookie_is_httponly_and_samesite(auth: AuthActions) -> None:
    cookie = auth.sign_in("bob").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("COOP_ENV", "COOP_SECRET_KEY", "COOP_PROXY_HOPS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def initialised(sqlite_settings: Settings) -> Settings:
    build(sqlite_settings, create_tables=True).close()
    return sqlite_settings


def test_production_refuses_to_start_without_a_secret_key(
        clean_env: pytest.MonkeyPatch, initialised: Settings) -> None:
    with pytest.raises(ConfigurationError, match="COOP_SECRET_KEY must be set outside development"):
        create_app(initialised)
    clean_env.setenv("COOP_SECRET_KEY", "too-short")
    with pytest.raises(ConfigurationError, match="at least 32 characters"):
        create_app(initialised)


def test_production_sends_the_session_cookie_over_https_only(
        clean_env: pytest.MonkeyPatch, initialised: Settings) -> None:
    clean_env.setenv("COOP_SECRET_KEY", TEST_SECRET_KEY)
    app = create_app(initialised)
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is True
        page = app.test_client().get("/sign-in", base_url="https://coop.example")
        assert "Secure" in page.headers["Set-Cookie"]
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        close(app)


def test_development_keeps_a_generated_key_in_the_data_dir(
        clean_env: pytest.MonkeyPatch, initialised: Settings) -> None:
    clean_env.setenv("COOP_ENV", "development")
    first = create_app(initialised)
    second = create_app(initialised)
    try:
        key_file = Path(initialised.data_dir) / "secret_key"
        assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
        assert key_file.read_text().strip() == first.config["SECRET_KEY"]
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"
        assert first.config["SESSION_COOKIE_SECURE"] is False
    finally:
        close(first)
        close(second)


def test_an_uninitialised_store_is_named_at_start(clean_env: pytest.MonkeyPatch,
                                                  sqlite_settings: Settings) -> None:
    clean_env.setenv("COOP_SECRET_KEY", TEST_SECRET_KEY)
    with pytest.raises(Exception, match="run 'coop init' first"):
        create_app(sqlite_settings)


def test_a_missing_page_is_a_404_in_the_layout(client: FlaskClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Skip to main content" in page.text
    assert "Page not found" in text_of(page)


def test_a_busy_store_is_a_503_with_retry_after(
        net: Network, browser: Callable[[str], AuthActions], ids: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    alice = browser("alice")

    def busy(*args: Any, **kwargs: Any) -> None:
        raise StoreUnavailable("the event store is busy or unreachable: database is locked")

    monkeypatch.setattr(net.gives, "get", busy)
    page = alice.client.get(f"/gives/{uuid4()}")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "The event store is busy or unreachable" in text_of(page)


def test_an_unexpected_error_is_a_500_page_without_details(
        app: Flask, net: Network, browser: Callable[[str], AuthActions],
        monkeypatch: pytest.MonkeyPatch) -> None:
    alice = browser("alice")
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(net.gives, "get", broken)
    monkeypatch.setattr(app.logger, "error", lambda *a, **k: None)  # expected; keep output clean
    page = alice.client.get(f"/gives/{uuid4()}")
    assert page.status_code == 500
    assert "Something went wrong on our side" in text_of(page)
    assert "secret internals" not in page.text


def test_the_startup_check_refuses_production_without_a_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="COOP_SECRET_KEY must be set"):
        check_environment({"COOP_DATA_DIR": str(tmp_path)})
    check_environment({"COOP_DATA_DIR": str(tmp_path), "COOP_SECRET_KEY": TEST_SECRET_KEY})
    check_environment({"COOP_DATA_DIR": str(tmp_path), "COOP_ENV": "development"})


def serve(initialised: Settings, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          run: Callable[..., None], *args: str) -> tuple[int, str, str]:
    env.setenv("COOP_DATA_DIR", str(initialised.data_dir))
    env.delenv("COOP_DATABASE_URL", raising=False)
    env.setattr(Flask, "run", run)
    code = main(["serve", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_coop_serve_runs_the_portal_in_development_mode(
        clean_env: pytest.MonkeyPatch, initialised: Settings,
        capsys: pytest.CaptureFixture[str]) -> None:
    started: dict[str, Any] = {}

    def run(app: Flask, **kwargs: Any) -> None:
        started.update(kwargs, env=app.config["COOP_ENV"], key=app.config["SECRET_KEY"])
        close(app)

    code, out, _ = serve(initialised, clean_env, capsys, run, "--port", "5099")
    assert code == 0
    assert "on http://127.0.0.1:5099/" in out
    assert started["host"] == "127.0.0.1" and started["port"] == 5099
    assert started["env"] == "development" and started["key"]


def test_coop_serve_says_in_one_line_when_the_port_is_taken(
        clean_env: pytest.MonkeyPatch, initialised: Settings,
        capsys: pytest.CaptureFixture[str]) -> None:
    def run(app: Flask, **kwargs: Any) -> None:
        close(app)
        raise OSError(98, "Address already in use")

    code, _, err = serve(initialised, clean_env, capsys, run)
    assert code != 0
    assert err == "coop: error: cannot listen on 127.0.0.1:5000: Address already in use\n"
