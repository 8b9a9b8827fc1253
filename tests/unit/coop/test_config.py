"""Settings: the one place the environment is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from coop.config import ConfigurationError, Settings


def test_by_default_the_store_is_sqlite_in_the_instance_folder() -> None:
    settings = Settings.from_env({})
    assert settings.backend == "sqlite"
    assert settings.data_dir == Path("instance")
    assert settings.events_path == Path("instance/events.sqlite")
    assert settings.read_models_path == Path("instance/read_models.sqlite")


def test_the_data_folder_comes_from_coop_data_dir() -> None:
    settings = Settings.from_env({"COOP_DATA_DIR": "/srv/coop"})
    assert settings.events_path == Path("/srv/coop/events.sqlite")


def test_a_blank_database_url_means_sqlite() -> None:
    assert Settings.from_env({"COOP_DATABASE_URL": "  "}).backend == "sqlite"


def test_the_environment_is_read_from_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOP_DATA_DIR", "/tmp/elsewhere")
    monkeypatch.delenv("COOP_DATABASE_URL", raising=False)
    assert Settings.from_env().data_dir == Path("/tmp/elsewhere")


def test_a_postgres_url_is_taken_apart() -> None:
    settings = Settings.from_env(
        {"COOP_DATABASE_URL": "postgresql://coop:s%40cret@db.example.org:6543/network?schema=river"})
    assert settings.backend == "postgres"
    assert settings.postgres_params() == {
        "dbname": "network", "host": "db.example.org", "port": "6543", "user": "coop",
        "password": "s@cret", "schema": "river",
    }


def test_a_postgres_url_has_sensible_defaults() -> None:
    params = Settings(database_url="postgres:///coop").postgres_params()
    assert params == {"dbname": "coop", "host": "localhost", "port": "5432", "user": "postgres",
                      "password": "", "schema": ""}


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://db/coop", "COOP_DATABASE_URL must start with postgresql://"),
    ("sqlite:///coop.db", "COOP_DATABASE_URL must start with postgresql://"),
    ("db.example.org/coop", "COOP_DATABASE_URL must start with postgresql://"),
    ("postgresql://db.example.org", "COOP_DATABASE_URL must name a database"),
    ("postgresql://db.example.org/", "COOP_DATABASE_URL must name a database"),
    ("postgresql://db.example.org:port/coop", "COOP_DATABASE_URL has a port that is not a number"),
])
def test_a_database_url_that_cannot_work_is_refused_at_once(url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings.from_env({"COOP_DATABASE_URL": url})


def test_the_sqlite_event_store_never_creates_tables_unless_asked() -> None:
    settings = Settings(data_dir=Path("/srv/coop"))
    env = settings.event_store_env(create_tables=False)
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == "/srv/coop/events.sqlite"
    assert env["CREATE_TABLE"] == "n"
    assert settings.event_store_env(create_tables=True)["CREATE_TABLE"] == "y"


def test_the_postgres_event_store_uses_the_url_and_its_schema() -> None:
    env = Settings(database_url="postgresql://u:p@h:5433/d?schema=s").event_store_env(
        create_tables=False)
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (env["POSTGRES_DBNAME"], env["POSTGRES_HOST"], env["POSTGRES_PORT"],
            env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_SCHEMA"]) == \
        ("d", "h", "5433", "u", "p", "s")
    assert env["CREATE_TABLE"] == "n"
    # Without a schema in the URL the library's default (public) applies.
    assert "POSTGRES_SCHEMA" not in Settings(database_url="postgresql://h/d").event_store_env(
        create_tables=False)


def test_extra_settings_override_the_defaults() -> None:
    settings = Settings(extra_env={"SQLITE_LOCK_TIMEOUT": "1"})
    assert settings.event_store_env(create_tables=False)["SQLITE_LOCK_TIMEOUT"] == "1"


def test_the_connection_pool_has_defaults_sized_for_one_worker() -> None:
    settings = Settings.from_env({"COOP_DATABASE_URL": "postgresql://h/d"})
    env = settings.event_store_env(create_tables=False)
    assert (env["POSTGRES_POOL_SIZE"], env["POSTGRES_MAX_OVERFLOW"]) == ("5", "10")


def test_the_connection_pool_size_comes_from_the_environment() -> None:
    settings = Settings.from_env({"COOP_DATABASE_URL": "postgresql://h/d",
                                  "COOP_DB_POOL_SIZE": "12", "COOP_DB_MAX_OVERFLOW": " 3 "})
    assert (settings.pool_size, settings.max_overflow) == (12, 3)
    env = settings.event_store_env(create_tables=False)
    assert (env["POSTGRES_POOL_SIZE"], env["POSTGRES_MAX_OVERFLOW"]) == ("12", "3")


@pytest.mark.parametrize("name", ["COOP_DB_POOL_SIZE", "COOP_DB_MAX_OVERFLOW"])
@pytest.mark.parametrize("value", ["0", "-2", "five", "2.5"])
def test_a_pool_size_that_is_not_a_positive_number_is_refused(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=f"^{name} must be a whole number above zero"):
        Settings.from_env({name: value})
