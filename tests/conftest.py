"""Shared fixtures: a network on each supported backend.

PostgreSQL runs when COOP_TEST_DATABASE_URL is set (CI sets it); each test gets a
schema of its own, dropped afterwards, so tests never see each other's events.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from coop.bootstrap import Network, build
from coop.config import Settings

POSTGRES_URL_VAR = "COOP_TEST_DATABASE_URL"

# Property tests judge behaviour, not speed: on a busy shared machine a slow example
# is no failure. Under CI (.ci/run sets CI) they draw the same examples every run, so
# a landing never hangs on the luck of the draw; locally they explore afresh.
hypothesis_settings.register_profile(
    "coop", deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")))
hypothesis_settings.load_profile("coop")


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VAR) or None


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "instance")


@contextmanager
def fresh_postgres_schema(url: str) -> Iterator[str]:
    """Yield ``url`` pointing at an empty schema of its own, dropped afterwards."""
    import psycopg

    schema = f"coop_test_{uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}schema={schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def postgres_settings(tmp_path: Path) -> Iterator[Settings]:
    url = postgres_url()
    if url is None:
        pytest.skip(f"{POSTGRES_URL_VAR} is not set, so PostgreSQL tests are skipped")
    with fresh_postgres_schema(url) as schema_url:
        yield Settings(data_dir=tmp_path / "instance", database_url=schema_url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest) -> Settings:
    """Settings for a fresh, empty store on each backend in turn."""
    return request.getfixturevalue(f"{request.param}_settings")


@pytest.fixture
def network(settings: Settings) -> Iterator[Network]:
    """A freshly initialised network on each backend."""
    net = build(settings, create_tables=True)
    try:
        yield net
    finally:
        net.close()


@pytest.fixture
def sqlite_network(sqlite_settings: Settings) -> Iterator[Network]:
    """A freshly initialised network on SQLite only, for fast unit-level service tests."""
    net = build(sqlite_settings, create_tables=True)
    try:
        yield net
    finally:
        net.close()
