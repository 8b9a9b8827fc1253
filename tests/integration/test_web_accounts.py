"""Accounts through the portal: invitations, signing in and out, passwords, throttling.

The account tables differ per backend, so these tests run on every backend.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient

from coop.bootstrap import Network
from coop.cli import main
from coop.config import Settings
from tests.integration.conftest import AuthActions, email_of, password_of, text_of


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return settings


def invite_on_the_web(steward: AuthActions, email: str) -> str:
    """Return the path of the invitation link a steward makes on the invite page."""
    page = steward.post("/members/invite", {"email": email})
    assert page.status_code == 200, text_of(page)
    link = re.search(r"<code>(\S+)</code>", page.text)
    assert link
    return "/" + link.group(1).split("/", 3)[3]


def test_invited_member_sets_a_password_signs_in_and_out(
        net: Network, client: FlaskClient, auth: AuthActions,
        browser: Callable[[str], AuthActions]) -> None:
    # A steward adds Dan and makes him an invitation link.
    net.members.add(email="dan@coop.test", name="Dan Dyer")
    link = invite_on_the_web(browser("alice"), "dan@coop.test")

    # Dan opens it and chooses a password.
    assert "Welcome, Dan Dyer" in text_of(client.get(link))
    chosen = auth.post(link, {"password": "a long enough secret",
                              "password_again": "a long enough secret"})
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == "/sign-in?email=dan@coop.test"

    # He signs in with it and lands on his dashboard.
    signed_in = auth.post("/sign-in", {"email": "dan@coop.test",
                                       "password": "a long enough secret"})
    assert signed_in.headers["Location"] == "/"
    assert "Welcome, Dan Dyer" in text_of(client.get("/"))

    # He signs out; the dashboard sends him to the sign-in page again.
    assert auth.sign_out().headers["Location"] == "/sign-in"
    assert client.get("/").headers["Location"].startswith("/sign-in")


def test_an_invitation_works_once(client: FlaskClient, auth: AuthActions,
                                  browser: Callable[[str], AuthActions]) -> None:
    link = invite_on_the_web(browser("alice"), email_of("bob"))
    form = {"password": "bob's new password", "password_again": "bob's new password"}
    assert auth.post(link, form).status_code == 302

    again = client.get(link)
    assert again.status_code == 409
    assert "This invitation has been used already" in text_of(again)
    assert auth.post(link, form).status_code == 409


def test_a_new_invitation_replaces_the_old_one(
        client: FlaskClient, browser: Callable[[str], AuthActions]) -> None:
    alice = browser("alice")
    first = invite_on_the_web(alice, email_of("bob"))
    second = invite_on_the_web(alice, email_of("bob"))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_an_invitation_expires_after_seven_days(
        net: Network, client: FlaskClient, browser: Callable[[str], AuthActions]) -> None:
    link = invite_on_the_web(browser("alice"), email_of("bob"))
    net.accounts.now = lambda: datetime.now(timezone.utc) + timedelta(days=7, minutes=1)
    page = client.get(link)
    assert page.status_code == 409
    assert "This invitation has expired: ask a steward for a new one." in text_of(page)


def test_an_unknown_invitation_is_not_found(client: FlaskClient) -> None:
    page = client.get("/invitations/not-a-real-token")
    assert page.status_code == 404
    assert "This invitation link is not valid" in text_of(page)


@pytest.mark.parametrize(("password", "again", "field", "message"), [
    ("short", "short", "password", "A password needs at least 10 characters."),
    ("Bob@Coop.Test", "Bob@Coop.Test", "password", "A password must not be your email address."),
    ("long enough one", "long enough two", "password_again",
     "The two passwords are not the same."),
    ("", "", "password", "Password is required."),
])
def test_a_weak_password_is_refused_beside_its_field(
        client: FlaskClient, auth: AuthActions, browser: Callable[[str], AuthActions],
        password: str, again: str, field: str, message: str) -> None:
    link = invite_on_the_web(browser("alice"), email_of("bob"))
    page = auth.post(link, {"password": password, "password_again": again})
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    # The invitation is still good for a better password.
    assert client.get(link).status_code == 200


def test_only_a_steward_invites(net: Network, browser: Callable[[str], AuthActions]) -> None:
    bob = browser("bob")
    assert bob.client.get("/members/invite").status_code == 403
    refused = bob.post("/members/invite", {"email": email_of("carol")})
    assert refused.status_code == 403
    assert "Only a steward may invite members." in text_of(refused)


def test_inviting_someone_who_is_not_a_member_says_to_add_them(
        browser: Callable[[str], AuthActions]) -> None:
    page = browser("alice").post("/members/invite", {"email": "stranger@coop.test"})
    assert page.status_code == 404
    assert "add them first with 'coop member add'" in text_of(page)


def run_coop(settings: Settings, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("COOP_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("COOP_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("COOP_DATABASE_URL", raising=False)
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_coop_member_invite_prints_a_link_that_works(
        settings: Settings, client: FlaskClient, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_coop(settings, monkeypatch, capsys, "member", "invite", "BOB@coop.test",
                            "--base-url", "https://coop.example/")
    assert code == 0
    assert "Invitation for bob@coop.test (works once, expires in 7 days):" in out
    link = out.split()[-1]
    assert link.startswith("https://coop.example/invitations/")
    assert "Welcome, Bob Baker" in text_of(client.get(link.removeprefix("https://coop.example")))


def test_coop_member_invite_needs_an_existing_member(
        settings: Settings, app: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_coop(settings, monkeypatch, capsys, "member", "invite", "new@coop.test")
    assert code == 1 and out == ""
    assert err == ("coop: error: no member with email 'new@coop.test': "
                   "add them first with 'coop member add'\n")


@pytest.mark.parametrize("email", [email_of("bob"), "nobody@coop.test", "not an email"])
def test_a_wrong_password_is_refused(client: FlaskClient, auth: AuthActions, email: str) -> None:
    page = auth.post("/sign-in", {"email": email, "password": "not the password"})
    assert page.status_code == 400
    # The same words whether or not the account exists: they tell a guesser nothing.
    assert "That email and password do not match an account." in text_of(page)
    assert f'value="{email}"' in page.text  # the email is kept, the password is not
    assert "not the password" not in page.text
    assert not auth.is_signed_in()


def test_sign_in_is_throttled_per_account(auth: AuthActions) -> None:
    for _ in range(5):
        assert auth.sign_in("bob", "a wrong guess!").status_code == 400
    # Now even the right password waits: the account is being guessed at.
    page = auth.sign_in("bob")
    assert page.status_code == 429
    assert int(page.headers["Retry-After"]) > 14 * 60
    assert "Too many failed sign-ins: wait 15 minutes and try again" in text_of(page)
    assert not auth.is_signed_in()


def test_sign_in_is_throttled_per_address(app: Any, auth: AuthActions) -> None:
    for n in range(20):
        auth.post("/sign-in", {"email": f"guess{n}@coop.test", "password": "a wrong guess!"})
    assert auth.sign_in("carol").status_code == 429
    # Carol, from her own address, is not held up by someone else's guessing.
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    elsewhere = AuthActions(other_address)
    assert elsewhere.sign_in("carol").status_code == 302


def test_changing_the_password_ends_every_other_session(
        client: FlaskClient, browser: Callable[[str], AuthActions]) -> None:
    here, elsewhere = browser("bob"), browser("bob")
    changed = here.post("/account/password", {
        "current_password": password_of("bob"), "new_password": "a brand new secret",
        "new_password_again": "a brand new secret"})
    assert changed.status_code == 302
    assert here.is_signed_in()
    assert not elsewhere.is_signed_in()
    # The old password no longer works; the new one does.
    stranger = AuthActions(client)
    assert stranger.sign_in("bob").status_code == 400
    assert stranger.sign_in("bob", "a brand new secret").status_code == 302


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"current_password": "wrong password!", "new_password": "a brand new secret",
      "new_password_again": "a brand new secret"},
     "current_password", "Your current password is not right."),
    ({"current_password": password_of("bob"), "new_password": "too short",
      "new_password_again": "too short"},
     "new_password", "A password needs at least 10 characters."),
    ({"current_password": password_of("bob"), "new_password": "a brand new secret",
      "new_password_again": "another secret"},
     "new_password_again", "The two passwords are not the same."),
])
def test_a_refused_password_change_changes_nothing(
        client: FlaskClient, browser: Callable[[str], AuthActions],
        form: dict[str, str], field: str, message: str) -> None:
    bob, elsewhere = browser("bob"), browser("bob")
    page = bob.post("/account/password", form)
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    assert elsewhere.is_signed_in()
    assert AuthActions(client).sign_in("bob").status_code == 302


def test_signing_out_ends_every_session(browser: Callable[[str], AuthActions]) -> None:
    here, elsewhere = browser("carol"), browser("carol")
    here.sign_out()
    assert not here.is_signed_in()
    assert not elsewhere.is_signed_in()


def test_a_password_is_rehashed_when_the_hashing_parameters_change(
        net: Network, ids: dict[str, Any], auth: AuthActions) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    net.accounts.hasher = stronger
    assert auth.sign_in("bob").status_code == 302
    with net.accounts.store.transaction() as cur:
        row = cur.one("SELECT password_hash FROM {passwords} WHERE member_id = ?",
                      [str(ids["bob"])])
    assert row is not None and row[0].startswith("$argon2id$")
    assert not stronger.check_needs_rehash(row[0])


def test_pages_ask_for_sign_in_then_lead_back(client: FlaskClient, auth: AuthActions) -> None:
    sent = client.get("/gives/new?to=bob%40coop.test")
    assert sent.status_code == 302
    assert sent.headers["Location"] == "/sign-in?next=/gives/new?to%3Dbob%2540coop.test"
    form = client.get(sent.headers["Location"])
    assert 'name="next" value="/gives/new?to=bob%40coop.test"' in form.text
    arrived = auth.sign_in("alice", next="/gives/new?to=bob%40coop.test")
    assert arrived.headers["Location"] == "/gives/new?to=bob%40coop.test"


def test_a_member_edits_their_profile(net: Network, ids: dict[str, Any],
                                      browser: Callable[[str], AuthActions]) -> None:
    bob = browser("bob")
    saved = bob.post("/profile/edit", {"name": "Bob Baker", "business": "Bakery",
                                       "about": "Sourdough, mostly."})
    assert saved.headers["Location"] == "/profile"
    page = bob.client.get(f"/members/{ids['bob']}")
    assert "Business Bakery" in text_of(page) and "Sourdough, mostly." in text_of(page)


def test_a_bad_profile_is_refused_and_nothing_is_written(
        net: Network, browser: Callable[[str], AuthActions]) -> None:
    bob = browser("bob")
    before = net.app.last_position()
    page = bob.post("/profile/edit", {"name": "", "business": "x" * 121})
    assert page.status_code == 400
    assert "Name is required." in text_of(page)
    assert "Business must be at most 120 characters." in text_of(page)
    assert net.app.last_position() == before


def test_a_blank_sign_in_is_refused_beside_its_fields(auth: AuthActions) -> None:
    page = auth.post("/sign-in", {"email": "", "password": ""})
    assert page.status_code == 400
    assert 'id="email-error"' in page.text and "Email is required." in text_of(page)
    assert 'id="password-error"' in page.text and "Password is required." in text_of(page)


def test_an_invitation_for_a_bad_email_is_refused(
        net: Network, browser: Callable[[str], AuthActions]) -> None:
    page = browser("alice").post("/members/invite", {"email": "not-an-email"})
    assert page.status_code == 400
    assert 'id="email-error"' in page.text
    assert "'not-an-email' is not an email address." in text_of(page)
