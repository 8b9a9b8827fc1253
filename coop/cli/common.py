"""What every subcommand shares: the group, the network, parsing of ids."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import click

from coop.bootstrap import Network, build
from coop.config import Settings


@click.group(
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="coop", prog_name="coop")
def cli() -> None:
    """Coop: give, ask, refer and decide together in a member-owned network.

    The store is chosen by the environment: COOP_DATA_DIR (default ./instance)
    holds the SQLite files; COOP_DATABASE_URL=postgresql://... uses PostgreSQL.
    """


@contextmanager
def network(*, create_tables: bool = False) -> Iterator[Network]:
    """Yield the network built from the environment, closing it afterwards."""
    net = build(Settings.from_env(), create_tables=create_tables)
    try:
        yield net
    finally:
        net.close()




def resolve_member(net: Network, ref: str) -> UUID:
    """Return the id of the member named by an email or an id."""
    if "@" in ref:
        return net.members.id_for_email(ref)
    return net.members.get(ref)["id"]
