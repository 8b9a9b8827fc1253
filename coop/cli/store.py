"""``coop init``: the one place the store's tables are created."""

from __future__ import annotations

import click

from coop.cli.common import network


def register(cli: click.Group) -> None:
    cli.add_command(init)


@click.command()
def init() -> None:
    """Create the event store (and read models). Safe to run again."""
    with network(create_tables=True) as net:
        where = (
            f"PostgreSQL database {net.settings.postgres_params()['dbname']}"
            if net.settings.backend == "postgres" else str(net.settings.data_dir)
        )
        click.echo(f"Store ready in {where} ({net.app.last_position()} events in the log).")
        behind = [f"{p['name']} at position {p['position']}" for p in net.projector.status()]
        click.echo(f"Read models: {', '.join(behind)} (the projector or any query catches up).")
