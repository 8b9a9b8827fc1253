"""``coop init`` creates and upgrades the store; workers never do, and say so.

An older Coop is played by giving the code fewer migrations (``MIGRATIONS[:1]``: the
Coop from before API tokens recorded their last use), a newer one by giving it one
more. The store such a Coop made is then met by this code, as after an upgrade.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from coop.accounts import migrations
from coop.accounts.migrations import MIGRATIONS, Migration
from coop.accounts.store import AccountStore
from coop.application import StoreNotInitialised
from coop.bootstrap import build
from coop.config import Settings
from projections.listing import Paging
from projections.projector import ProjectionOutdated
from tests.integration.conftest import FAST_HASHER, TEST_SECRET_KEY, AuthActions, text_of
from tests.integration.test_cli import Coop, assert_one_error_line, installed_coop, runner
from web import close, create_app

LATEST = migrations.latest()
EMAIL, PASSWORD = "ana@coop.test", "ana-password-1234"
OLDER = f"are at schema version 1 and this Coop needs {LATEST}: run 'coop init' to upgrade"
NEWER = (f"were upgraded by a newer Coop (version {LATEST + 1}, this one knows {LATEST}): "
         "upgrade Coop on this host")
# What a newer Coop might add; any idempotent statement does.
NEXT = Migration(LATEST + 1, "when each token was made, indexed",
                 ("CREATE INDEX IF NOT EXISTS coop_accounts_tokens_created "
                  "ON {tokens} (created_at)",))


@pytest.fixture
def coop(settings: Settings, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Coop:
    return runner(settings, monkeypatch, capsys)


@contextmanager
def coop_knowing(known: tuple[Migration, ...]) -> Iterator[None]:
    """Run the block as a Coop that knows only the migrations ``known``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", known)
        yield


def make_store(settings: Settings) -> dict[str, Any]:
    """Initialise the store and give Ana a password and an API token."""
    net = build(settings, create_tables=True)
    try:
        net.accounts.hasher = FAST_HASHER
        member_id = net.members.add(email=EMAIL, name="Ana", steward=True)
        net.accounts.set_password(member_id, PASSWORD)
        token = net.tokens.create(member_id, name="sync")["token"]
    finally:
        net.close()
    return {"member_id": member_id, "token": token}


def records(settings: Settings) -> list[tuple[Any, ...]]:
    """Return the migrations recorded in the store: version, description, when."""
    store = AccountStore(settings)
    try:
        with store.unchecked() as cur:
            return cur.rows("SELECT version, description, applied_at FROM {migrations} "
                            "ORDER BY version")
    finally:
        store.close()


def drop_the_record(settings: Settings) -> None:
    """Leave the tables as a Coop from before versioning made them: no record table."""
    store = AccountStore(settings)
    try:
        with store.unchecked() as cur:
            cur.run("DROP TABLE {migrations}")
    finally:
        store.close()


@pytest.fixture(params=["version 1", "unversioned"])
def old_store(request: pytest.FixtureRequest, settings: Settings) -> dict[str, Any]:
    """A store made by the Coop before migration 2, with Ana's password and token:
    recorded at version 1, or made before versions were recorded at all."""
    with coop_knowing(MIGRATIONS[:1]):
        made = make_store(settings)
    if request.param == "unversioned":
        drop_the_record(settings)
    return made


def test_a_fresh_init_creates_the_latest_version_and_a_second_changes_nothing(
        coop: Coop, settings: Settings) -> None:
    first = coop("init")
    assert first.code == 0, first.err
    assert f"Account tables: created at version {LATEST}.\n" in first.out
    made = records(settings)
    assert [r[0] for r in made] == [m.number for m in MIGRATIONS]

    again = coop("init")
    assert again.code == 0, again.err
    assert f"Account tables: at version {LATEST}, nothing to do.\n" in again.out
    assert "rebuilt" not in again.out
    assert records(settings) == made  # not re-applied, not re-stamped


def test_init_upgrades_an_old_store_and_keeps_its_data(
        coop: Coop, settings: Settings, old_store: dict[str, Any]) -> None:
    result = coop("init")
    assert result.code == 0, result.err
    assert (f"Account tables: upgraded from version 1 to {LATEST} "
            "(added: when each API token was last used).\n") in result.out
    assert [r[0] for r in records(settings)] == [m.number for m in MIGRATIONS]

    net = build(settings)
    try:
        net.accounts.hasher = FAST_HASHER
        assert net.accounts.member_for(net.accounts.sign_in(EMAIL, PASSWORD, address=None)) \
            == old_store["member_id"]
        [token] = net.tokens.list(old_store["member_id"])
        assert token["name"] == "sync" and token["last_used_at"] is None
        assert net.tokens.member_for(old_store["token"]) == old_store["member_id"]
        [token] = net.tokens.list(old_store["member_id"])
        assert token["last_used_at"] is not None
    finally:
        net.close()

    again = coop("init")
    assert f"Account tables: at version {LATEST}, nothing to do.\n" in again.out


def test_a_worker_on_an_old_store_says_to_run_coop_init(
        settings: Settings, old_store: dict[str, Any]) -> None:
    net = build(settings)  # a worker: builds without creating anything
    try:
        with pytest.raises(StoreNotInitialised, match=re.escape(OLDER)):
            net.tokens.member_for(old_store["token"])
        with pytest.raises(StoreNotInitialised, match=re.escape(OLDER)):
            net.accounts.sign_in(EMAIL, PASSWORD, address=None)
    finally:
        net.close()
    # The refusals changed nothing: still the old tables.
    store = AccountStore(settings)
    try:
        assert migrations.version(store) == 1
    finally:
        store.close()


@pytest.mark.parametrize("old_store", ["version 1"], indirect=True)
def test_a_command_on_an_old_store_is_one_line_saying_to_run_coop_init(
        coop: Coop, settings: Settings, old_store: dict[str, Any]) -> None:
    result = coop("token", "list", EMAIL)
    assert_one_error_line(result, f"the account tables {OLDER}")
    assert result.code == 1 and result.out == ""
    assert coop("init").code == 0
    assert "sync" in coop("token", "list", EMAIL).out


@pytest.mark.parametrize("old_store", ["version 1"], indirect=True)
def test_the_portal_on_an_old_store_answers_503_with_the_message_until_init(
        coop: Coop, settings: Settings, old_store: dict[str, Any]) -> None:
    portal = create_app(settings, {"TESTING": True, "SECRET_KEY": TEST_SECRET_KEY})
    try:
        auth = AuthActions(portal.test_client())
        page = auth.post("/sign-in", {"email": EMAIL, "password": PASSWORD})
        assert page.status_code == 503
        assert page.headers["Retry-After"]
        assert f"The account tables {OLDER}." in text_of(page)

        api = portal.test_client().get(
            "/api/v1/me", headers={"Authorization": f"Bearer {old_store['token']}"})
        assert api.status_code == 503 and api.mimetype == "application/problem+json"
        assert api.get_json()["detail"] == f"the account tables {OLDER}"

        # Once 'coop init' has run, the same workers serve again: a refusal is not kept.
        assert coop("init").code == 0
        assert auth.post("/sign-in", {"email": EMAIL, "password": PASSWORD}).status_code == 302
        api = portal.test_client().get(
            "/api/v1/me", headers={"Authorization": f"Bearer {old_store['token']}"})
        assert api.status_code == 200 and api.get_json()["email"] == EMAIL
    finally:
        close(portal)


def test_a_store_from_a_newer_coop_is_refused_by_workers_and_by_init(
        coop: Coop, settings: Settings) -> None:
    with coop_knowing((*MIGRATIONS, NEXT)):
        made = make_store(settings)
    before = records(settings)
    assert before[-1][0] == LATEST + 1

    net = build(settings)
    try:
        with pytest.raises(StoreNotInitialised, match=re.escape(NEWER)):
            net.tokens.member_for(made["token"])
    finally:
        net.close()

    result = coop("init")
    assert_one_error_line(result, f"the account tables {NEWER}")
    assert result.code == 1
    assert records(settings) == before

    portal = create_app(settings, {"TESTING": True, "SECRET_KEY": TEST_SECRET_KEY})
    try:
        api = portal.test_client().get(
            "/api/v1/me", headers={"Authorization": f"Bearer {made['token']}"})
        assert api.status_code == 503 and api.get_json()["detail"] == f"the account tables {NEWER}"
    finally:
        close(portal)


def test_migrations_run_at_once_each_apply_once(settings: Settings) -> None:
    """Two upgrades racing on an empty store (no 'coop init' lock around them)."""
    settings.data_dir.mkdir(parents=True)
    results: list[Any] = []
    start = threading.Barrier(2, timeout=30)

    def upgrade() -> None:
        store = AccountStore(settings)
        try:
            start.wait()
            results.append(store.upgrade())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(r, migrations.Upgrade) for r in results), results
    applied = sorted(m.number for r in results for m in r.applied)
    assert applied == [m.number for m in MIGRATIONS]  # each once, by one or the other
    assert [r[0] for r in records(settings)] == [m.number for m in MIGRATIONS]


@pytest.mark.postgres
def test_two_inits_at_once_on_postgres_both_succeed(postgres_settings: Settings) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOP_")}
    env["COOP_DATA_DIR"] = str(postgres_settings.data_dir)
    assert postgres_settings.database_url
    env["COOP_DATABASE_URL"] = postgres_settings.database_url
    runs = [subprocess.Popen([installed_coop(), "init"], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    outputs = []
    for run in runs:
        try:
            out, err = run.communicate(timeout=120)
        finally:
            run.kill()
        outputs.append((run.returncode, out, err))
    assert [code for code, _, _ in outputs] == [0, 0], outputs
    assert all(err == "" for _, _, err in outputs), outputs
    said = sorted(line for _, out, _ in outputs for line in out.splitlines()
                  if line.startswith("Account tables:"))
    assert said == [f"Account tables: at version {LATEST}, nothing to do.",
                    f"Account tables: created at version {LATEST}."]
    assert [r[0] for r in records(postgres_settings)] == [m.number for m in MIGRATIONS]


def set_read_model_version(settings: Settings, name: str, version: int) -> None:
    net = build(settings)
    try:
        with net.read_models.transaction() as tx:
            tx.execute("UPDATE {tracking} SET version = ? WHERE projection = ?", (version, name))
    finally:
        net.close()


def test_init_rebuilds_an_outdated_read_model_which_then_catches_up(
        coop: Coop, settings: Settings) -> None:
    made = make_store(settings)
    net = build(settings)
    try:
        current = net.projector.projection("directory").version
        assert net.directory.member(made["member_id"])["name"] == "Ana"
    finally:
        net.close()
    set_read_model_version(settings, "directory", current - 1)

    net = build(settings)
    try:
        with pytest.raises(ProjectionOutdated, match="run 'coop init'"):
            net.directory.member(made["member_id"])
    finally:
        net.close()

    result = coop("init")
    assert result.code == 0, result.err
    assert (f"Read models: rebuilt directory (was version {current - 1}, now {current}).\n"
            in result.out)
    assert "rebuilt ledger" not in result.out  # only what was outdated

    net = build(settings)
    try:
        assert net.directory.member(made["member_id"])["name"] == "Ana"
        net.members.add(email="bo@coop.test", name="Bo")
        assert [m["name"] for m in net.directory.members(Paging()).items] == ["Ana", "Bo"]
        assert not any(p["outdated"] for p in net.projector.status())
    finally:
        net.close()
    assert "rebuilt" not in coop("init").out


def test_init_leaves_a_read_model_of_a_newer_coop_alone(coop: Coop, settings: Settings) -> None:
    make_store(settings)
    net = build(settings)
    try:
        current = net.projector.projection("directory").version
    finally:
        net.close()
    set_read_model_version(settings, "directory", current + 1)

    result = coop("init")
    assert_one_error_line(result, f"the read model 'directory' was built by a newer Coop "
                                  f"(version {current + 1}, this one knows {current}): "
                                  "upgrade Coop on this host")
    net = build(settings)
    try:
        assert [p["outdated"] for p in net.projector.status() if p["name"] == "directory"] \
            == [True]
        version, _ = net.projector.tracking(net.projector.projection("directory"))
        assert version == current + 1
    finally:
        net.close()
