"""One small network per backend, shared by the read-only tests of a module.

The list read models' query tests only read, so building the history once per module
(and backend) rather than once per test keeps them fast on PostgreSQL too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from coop.bootstrap import Network, build
from coop.config import Settings
from tests.conftest import POSTGRES_URL_VAR, fresh_postgres_schema, postgres_url
from tests.unit.projections.histories import History, small_network


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Network, History]]:
    """A network holding ``small_network``'s history; tests must not change it."""
    data_dir = tmp_path_factory.mktemp("shared") / "instance"
    with ExitStack() as stack:
        if request.param == "postgres":
            url = postgres_url()
            if url is None:
                pytest.skip(f"{POSTGRES_URL_VAR} is not set, so PostgreSQL tests are skipped")
            settings = Settings(data_dir=data_dir,
                                database_url=stack.enter_context(fresh_postgres_schema(url)))
        else:
            settings = Settings(data_dir=data_dir)
        net = build(settings, create_tables=True)
        stack.callback(net.close)
        yield net, small_network(net)


@pytest.fixture
def net(shared: tuple[Network, History]) -> Network:
    return shared[0]


@pytest.fixture
def history(shared: tuple[Network, History]) -> History:
    return shared[1]
