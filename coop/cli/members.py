"""``coop member ...``: administration of members and stewards."""

from __future__ import annotations

import click

from coop.cli.common import network, resolve_member


def register(cli: click.Group) -> None:
    cli.add_command(member)


@click.group()
def member() -> None:
    """Add members and manage stewards."""


@member.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The member's full name.")
@click.option("--business", default="", help="Their business or trade.")
@click.option("--steward", is_flag=True, help="Make them a steward as well.")
def add(email: str, name: str, business: str, steward: bool) -> None:
    """Add the member with EMAIL to the network."""
    with network() as net:
        member_id = net.members.add(email=email, name=name, business=business, steward=steward)
        role = " as a steward" if steward else ""
        click.echo(f"Added {name.strip()} <{email.strip().lower()}>{role}: {member_id}")


@member.command("show")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
def show(member_ref: str) -> None:
    """Show one member."""
    with network() as net:
        m = net.members.get(resolve_member(net, member_ref))
        click.echo(f"{m['name']} <{m['email']}>  id {m['id']}")
        click.echo(f"  business: {m['business'] or '-'}")
        click.echo(f"  roles:    {', '.join(m['roles']) or '-'}")
        click.echo(f"  joined:   {m['joined_at']:%Y-%m-%d}" + ("  (has left)" if m["has_left"] else ""))


@member.command("grant-steward")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
def grant_steward(member_ref: str) -> None:
    """Make a member a steward."""
    with network() as net:
        member_id = resolve_member(net, member_ref)
        net.members.grant_steward(member_id)
        click.echo(f"{net.members.get(member_id)['name']} is now a steward.")


@member.command("revoke-steward")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
def revoke_steward(member_ref: str) -> None:
    """Take the steward role from a member."""
    with network() as net:
        member_id = resolve_member(net, member_ref)
        net.members.revoke_steward(member_id)
        click.echo(f"{net.members.get(member_id)['name']} is no longer a steward.")
