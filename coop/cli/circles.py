"""``coop circle ...``: forming circles and admitting members."""

from __future__ import annotations

import click

from coop.cli.common import network, resolve_member


def register(cli: click.Group) -> None:
    cli.add_command(circle)


@click.group()
def circle() -> None:
    """Form circles and admit members to them."""


@circle.command("add")
@click.argument("name")
@click.option("--purpose", default="", help="What the circle is for.")
@click.option("--parent", "parent_id", default=None, metavar="CIRCLE_ID",
              help="Nest it under this circle (default: directly under the network).")
def add(name: str, purpose: str, parent_id: str | None) -> None:
    """Form a circle called NAME."""
    with network() as net:
        circle_id = net.circles.form(name=name, purpose=purpose, parent_id=parent_id)
        click.echo(f"Formed circle '{name.strip()}': {circle_id}")


@circle.command("admit")
@click.argument("circle_id")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
def admit(circle_id: str, member_ref: str) -> None:
    """Admit a member to a circle."""
    with network() as net:
        member_id = resolve_member(net, member_ref)
        net.circles.admit(circle_id, member_id)
        c = net.circles.get(circle_id)
        click.echo(f"Admitted {net.members.get(member_id)['name']} to '{c['name']}' "
                   f"({len(c['members'])} members).")


@circle.command("show")
@click.argument("circle_id")
def show(circle_id: str) -> None:
    """Show a circle and its members."""
    with network() as net:
        c = net.circles.get(circle_id)
        click.echo(f"{c['name']}  id {c['id']}")
        click.echo(f"  purpose: {c['purpose'] or '-'}")
        click.echo(f"  parent:  {c['parent_id'] or 'the network'}")
        for member_id in c["members"]:
            m = net.members.get(member_id)
            click.echo(f"  - {m['name']} <{m['email']}>")
