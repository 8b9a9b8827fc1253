"""The ``coop`` command line: one clear line per error, nothing written on refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from coop.bootstrap import build
from coop.cli import main
from coop.config import Settings


@dataclass
class Result:
    code: int
    out: str
    err: str


Coop = Callable[..., Result]


def runner(settings: Settings, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> Coop:
    """Return a function running ``coop ARGS...`` in-process against ``settings``' store."""
    monkeypatch.setenv("COOP_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("COOP_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("COOP_DATABASE_URL", raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()  # start from clean output
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def coop(settings: Settings, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Coop:
    """``coop`` on each backend in turn."""
    return runner(settings, monkeypatch, capsys)


@pytest.fixture
def sqlite_coop(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> Coop:
    """``coop`` on SQLite only, for what concerns the embedded store's files."""
    return runner(sqlite_settings, monkeypatch, capsys)


def position(settings: Settings) -> int:
    """Return how far the log has grown, read by a fresh process view."""
    net = build(settings)
    try:
        return net.app.last_position()
    finally:
        net.close()


def assert_one_error_line(result: Result, fragment: str) -> None:
    assert result.code != 0
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("coop: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.err + result.out


def test_help_is_there(coop: Coop) -> None:
    result = coop("--help")
    assert result.code == 0
    assert "Usage: coop" in result.out
    for command in ("init", "member", "circle"):
        assert command in result.out
    assert coop().out == result.out  # no arguments: the same help
    assert "Usage: coop member add" in coop("member", "add", "--help").out


@pytest.mark.parametrize("args", [
    ["member", "add", "ana@coop.test", "--name", "Ana"],
    ["member", "show", "ana@coop.test"],
    ["member", "grant-steward", "ana@coop.test"],
    ["member", "revoke-steward", "ana@coop.test"],
    ["circle", "add", "Riverside"],
    ["circle", "admit", "e3b0c442-98fc-1c14-9afb-f4c8996fb924", "ana@coop.test"],
    ["circle", "show", "e3b0c442-98fc-1c14-9afb-f4c8996fb924"],
], ids=lambda args: " ".join(args[:2]))
def test_before_init_every_command_says_to_run_coop_init(coop: Coop, args: list[str]) -> None:
    result = coop(*args)
    assert_one_error_line(result, "run 'coop init' first")
    assert result.code == 1


def test_init_is_idempotent(coop: Coop, settings: Settings) -> None:
    first = coop("init")
    assert first.code == 0 and "Store ready" in first.out and "(0 events in the log)" in first.out
    assert coop("member", "add", "ana@coop.test", "--name", "Ana").code == 0
    again = coop("init")
    assert again.code == 0 and "(1 events in the log)" in again.out
    assert position(settings) == 1
    assert "Ana <ana@coop.test>" in coop("member", "show", "ANA@coop.test").out


def test_member_and_circle_administration(coop: Coop) -> None:
    coop("init")
    added = coop("member", "add", " Ana@Coop.Test", "--name", "Ana", "--business", "Bakery")
    assert added.code == 0 and added.out.startswith("Added Ana <ana@coop.test>: ")
    assert coop("member", "grant-steward", "ana@coop.test").out == "Ana is now a steward.\n"
    assert "roles:    steward" in coop("member", "show", "ana@coop.test").out
    assert coop("member", "revoke-steward", "ana@coop.test").out == "Ana is no longer a steward.\n"
    formed = coop("circle", "add", "Riverside", "--purpose", "Local chapter")
    circle_id = formed.out.strip().rsplit(" ", 1)[-1]
    admitted = coop("circle", "admit", circle_id, "ana@coop.test")
    assert admitted.out == "Admitted Ana to 'Riverside' (1 members).\n"
    shown = coop("circle", "show", circle_id).out
    assert "purpose: Local chapter" in shown and "- Ana <ana@coop.test>" in shown


@pytest.fixture
def populated(coop: Coop) -> dict[str, str]:
    """Initialise the store with two members, a circle and a nested circle."""
    assert coop("init").code == 0
    ids = {"member": coop("member", "add", "ana@coop.test", "--name", "Ana").out.split()[-1]}
    coop("member", "add", "sam@coop.test", "--name", "Sam", "--steward")
    ids["circle"] = coop("circle", "add", "Riverside").out.split()[-1]
    ids["nested"] = coop("circle", "add", "Bakers", "--parent", ids["circle"]).out.split()[-1]
    coop("circle", "admit", ids["circle"], "sam@coop.test")
    return ids


BAD_INVOCATIONS = [
    (["init", "extra"], 2, "unexpected extra argument"),
    (["frobnicate"], 2, "No such command 'frobnicate'"),
    (["member", "add", "not-an-email", "--name", "X"], 1, "'not-an-email' is not an email address"),
    (["member", "add", "ANA@coop.test ", "--name", "Ana"], 1, "ana@coop.test is already a member"),
    (["member", "add", "dee@coop.test"], 2, "Missing option '--name'"),
    (["member", "add", "dee@coop.test", "--name", "  "], 1, "name is required"),
    (["member", "add", "dee@coop.test", "--name", "Dee", "--boss"], 2, "No such option"),
    (["member", "show"], 2, "Missing argument"),
    (["member", "show", "nobody@coop.test"], 1, "no member with email 'nobody@coop.test'"),
    (["member", "show", "not-an-id"], 1, "no member with id 'not-an-id'"),
    (["member", "show", "{circle}"], 1, "no member with id"),
    (["member", "show", "bad@"], 1, "is not an email address"),
    (["member", "grant-steward", "sam@coop.test"], 1, "Sam is already a steward"),
    (["member", "grant-steward", "nobody@coop.test"], 1, "no member with email"),
    (["member", "revoke-steward", "ana@coop.test"], 1, "Ana is not a steward"),
    (["member", "revoke-steward", "{nested}"], 1, "no member with id"),
    (["circle", "add", " "], 1, "circle name is required"),
    (["circle", "add", "x" * 81], 1, "circle name must be at most 80 characters"),
    (["circle", "add", "Sub", "--parent", "{member}"], 1, "no circle with id"),
    (["circle", "add", "Sub", "--parent", "nope"], 1, "no circle with id 'nope'"),
    (["circle", "admit", "{circle}"], 2, "Missing argument"),
    (["circle", "admit", "nope", "ana@coop.test"], 1, "no circle with id 'nope'"),
    (["circle", "admit", "{member}", "ana@coop.test"], 1, "no circle with id"),
    (["circle", "admit", "{circle}", "nobody@coop.test"], 1, "no member with email"),
    (["circle", "admit", "{nested}", "ana@coop.test"], 1, "first be a member of 'Riverside'"),
    (["circle", "admit", "{circle}", "sam@coop.test"], 1, "already a member of 'Riverside'"),
    (["circle", "show", "{member}"], 1, "no circle with id"),
    (["circle", "show", "nope"], 1, "no circle with id 'nope'"),
]


@pytest.mark.parametrize("area", ["init", "frobnicate", "member", "circle"])
def test_bad_input_is_one_error_line_and_writes_nothing(
        coop: Coop, settings: Settings, populated: dict[str, str], area: str,
        subtests: pytest.Subtests) -> None:
    # One store per area rather than per invocation: each PostgreSQL store costs a schema.
    before = position(settings)
    for args, code, fragment in (i for i in BAD_INVOCATIONS if i[0][0] == area):
        with subtests.test(msg=" ".join(args)):
            result = coop(*(arg.format(**populated) for arg in args))
            assert_one_error_line(result, fragment)
            assert (result.code, result.out) == (code, "")
            assert position(settings) == before


def test_a_database_url_that_cannot_work_is_one_error_line(
        sqlite_coop: Coop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOP_DATABASE_URL", "mysql://db/coop")
    result = sqlite_coop("init")
    assert_one_error_line(result, "COOP_DATABASE_URL must start with postgresql://")
    assert result.code == 3


def test_a_data_folder_that_is_a_file_is_one_error_line(
        sqlite_coop: Coop, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a folder")
    monkeypatch.setenv("COOP_DATA_DIR", str(tmp_path / "taken"))
    assert_one_error_line(sqlite_coop("init"), "COOP_DATA_DIR: cannot use")
    monkeypatch.setenv("COOP_DATA_DIR", str(tmp_path / "taken" / "below"))
    assert_one_error_line(sqlite_coop("init"), "COOP_DATA_DIR: cannot use")


def test_an_events_file_that_is_not_a_database_is_one_error_line(
        sqlite_coop: Coop, sqlite_settings: Settings) -> None:
    sqlite_settings.data_dir.mkdir()
    sqlite_settings.events_path.write_text("this is not a database, " * 10)
    for args in (["member", "show", "ana@coop.test"], ["init"]):
        result = sqlite_coop(*args)
        assert_one_error_line(result, "not a database")
        assert result.code == 3


def test_a_postgres_schema_that_does_not_exist_is_one_error_line(
        postgres_settings: Settings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert postgres_settings.database_url
    url = postgres_settings.database_url.rsplit("schema=", 1)[0] + "schema=coop_no_such_schema"
    coop = runner(Settings(data_dir=postgres_settings.data_dir, database_url=url),
                  monkeypatch, capsys)
    before_init = coop("member", "show", "ana@coop.test")
    assert_one_error_line(before_init, "run 'coop init' first")
    result = coop("init")
    assert_one_error_line(result, 'schema "coop_no_such_schema" does not exist')
    assert result.code == 3


def installed_coop() -> str:
    found = shutil.which("coop") or str(Path(sys.executable).parent / "coop")
    assert Path(found).exists(), "the coop command is not installed in the venv"
    return found


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOP_")}
    env["COOP_DATA_DIR"] = str(tmp_path / "instance")
    run = lambda *args: subprocess.run(  # noqa: E731
        [installed_coop(), *args], env=env, capture_output=True, text=True, timeout=60)
    # Before init, then a refused command after init.
    before = run("member", "show", "ana@coop.test")
    assert before.returncode == 1
    assert before.stderr.startswith("coop: error: ") and "run 'coop init' first" in before.stderr
    assert run("init").returncode == 0
    refused = run("member", "add", "not-an-email", "--name", "X")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == "coop: error: 'not-an-email' is not an email address\n"
