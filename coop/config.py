"""Configuration, read from the environment in this one place.

Everything else receives a :class:`Settings`; tests build one explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

EVENTS_FILE = "events.sqlite"
READ_MODELS_FILE = "read_models.sqlite"
BALLOT_KEY_FILE = "ballot.key"
# A sync gunicorn worker serves one request at a time; a few spare connections cover
# the projector's catch-up and a burst of threads in a command-line run.
DEFAULT_POOL_SIZE = 5
DEFAULT_MAX_OVERFLOW = 10


class ConfigurationError(Exception):
    """The configuration cannot work; the message says which setting and why."""


@dataclass(frozen=True)
class Settings:
    """Where the log and read models live, and how to reach them."""

    data_dir: Path = Path("instance")
    database_url: str | None = None
    extra_env: Mapping[str, str] = field(default_factory=dict)
    # Seals secret ballots and derives tie-break seeds; unset: the data dir's ballot.key.
    ballot_key: str | None = field(default=None, repr=False)
    # PostgreSQL connections kept open per process, and how many more it may open briefly.
    pool_size: int = DEFAULT_POOL_SIZE
    max_overflow: int = DEFAULT_MAX_OVERFLOW

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = (env.get("COOP_DATABASE_URL") or "").strip() or None
        settings = cls(data_dir=Path(env.get("COOP_DATA_DIR") or "instance"), database_url=url,
                       ballot_key=(env.get("COOP_BALLOT_KEY") or "").strip() or None,
                       pool_size=_positive_int(env, "COOP_DB_POOL_SIZE", DEFAULT_POOL_SIZE),
                       max_overflow=_positive_int(env, "COOP_DB_MAX_OVERFLOW",
                                                  DEFAULT_MAX_OVERFLOW))
        settings.check()
        return settings

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "sqlite"

    @property
    def events_path(self) -> Path:
        return self.data_dir / EVENTS_FILE

    @property
    def read_models_path(self) -> Path:
        return self.data_dir / READ_MODELS_FILE

    @property
    def ballot_key_path(self) -> Path:
        return self.data_dir / BALLOT_KEY_FILE

    def check(self) -> None:
        if self.ballot_key is not None and len(self.ballot_key) < 32:
            raise ConfigurationError("COOP_BALLOT_KEY must be at least 32 characters long")
        if self.database_url:
            self.postgres_params()

    def postgres_params(self) -> dict[str, str]:
        """Return the connection parameters of a ``postgresql://`` URL."""
        assert self.database_url
        parts = urlsplit(self.database_url)
        if parts.scheme not in ("postgresql", "postgres"):
            raise ConfigurationError(
                "COOP_DATABASE_URL must start with postgresql:// "
                "(leave it unset to use the embedded SQLite store)"
            )
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise ConfigurationError("COOP_DATABASE_URL must name a database, e.g. .../coop")
        query = parse_qs(parts.query)
        try:
            port = str(parts.port or 5432)
        except ValueError:
            raise ConfigurationError("COOP_DATABASE_URL has a port that is not a number") from None
        return {
            "dbname": dbname,
            "host": parts.hostname or "localhost",
            "port": port,
            "user": unquote(parts.username or "postgres"),
            "password": unquote(parts.password or ""),
            "schema": query.get("schema", [""])[0],
        }

    def event_store_env(self, *, create_tables: bool) -> dict[str, str]:
        """Return the eventsourcing library's environment for this configuration."""
        env: dict[str, str] = {"CREATE_TABLE": "y" if create_tables else "n"}
        if self.database_url:
            p = self.postgres_params()
            env |= {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": p["dbname"],
                "POSTGRES_HOST": p["host"],
                "POSTGRES_PORT": p["port"],
                "POSTGRES_USER": p["user"],
                "POSTGRES_PASSWORD": p["password"],
                "POSTGRES_CONNECT_TIMEOUT": "5",
                # A short lock timeout turns a stuck writer into a clear error.
                "POSTGRES_LOCK_TIMEOUT": "5",
                "POSTGRES_POOL_SIZE": str(self.pool_size),
                "POSTGRES_MAX_OVERFLOW": str(self.max_overflow),
                # No POSTGRES_PRE_PING: the pool's check backs off 1, 2, 4... s for each
                # dead connection after a restart. The library instead retries a failed
                # statement on the next connection (10 times, 0.2 s apart), and the pool
                # drops each broken one as it comes back, so a restart costs well under
                # a second (tests/integration/test_faults.py).
            }
            if p["schema"]:
                env["POSTGRES_SCHEMA"] = p["schema"]
        else:
            env |= {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.events_path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        return env | dict(self.extra_env)


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    """Return the variable ``name`` as a whole number above zero (``default`` when unset)."""
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(f"{name} must be a whole number above zero, not {text!r}")
    return value
