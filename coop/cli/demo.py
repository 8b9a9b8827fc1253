"""``coop demo``: load the demo network into an empty store."""

from __future__ import annotations

import click

from coop.cli.common import network


def register(cli: click.Group) -> None:
    cli.add_command(demo)


@click.command()
def demo() -> None:
    """Load a deterministic demo network (a year of activity) into an empty store."""
    from coop.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD, DEMO_STEWARD_EMAIL, load

    with network() as net:
        summary = load(net)
    click.echo("Loaded the demo network:")
    for what, count in summary.items():
        click.echo(f"  {count:>6}  {what}")
    click.echo(f"Sign in as {DEMO_STEWARD_EMAIL} (a steward) or {DEMO_MEMBER_EMAIL} "
               f"(a busy member), password {DEMO_PASSWORD}")
