"""``coop member ...``: administration of members and stewards."""

from __future__ import annotations

import click

from coop.cli.common import network, resolve_member
from coop.services.authority import OPERATOR
from coop.services.leaving import leave as record_leaving


def register(cli: click.Group) -> None:
    cli.add_command(member)


@click.group()
def member() -> None:
    """Add members, record that they left, welcome them back, and manage stewards."""


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
        for away in net.members.absences(m["id"]):
            back = away["rejoined_at"]
            click.echo(f"  left:     {away['left_at']:%Y-%m-%d}"
                       + (f"  rejoined: {back:%Y-%m-%d}" if back else ""))


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


@member.command("leave")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
@click.option("--reason", default="", help="A short reason, e.g. 'moving away'.")
def leave(member_ref: str, reason: str) -> None:
    """Record that a member left: their roles, sessions and API tokens end."""
    with network() as net:
        m = record_leaving(net, resolve_member(net, member_ref), reason=reason,
                           by=OPERATOR)
        click.echo(f"{m['name']} <{m['email']}> has left the network.")
        click.echo("  Their roles ended, and so did their sessions and API tokens. Welcome "
                   f"them back with 'coop member rejoin {m['email']}'.")


@member.command("rejoin")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
@click.option("--note", default="", help="A short note, e.g. 'back from a sabbatical'.")
def rejoin(member_ref: str, note: str) -> None:
    """Welcome back a member who left: same member, history intact, no roles or circles."""
    with network() as net:
        member_id = resolve_member(net, member_ref)
        ended = net.members.rejoin(member_id, note=note)
        m = net.members.get(member_id)
        click.echo(f"Welcome back, {m['name']} <{m['email']}>: a member again.")
        if ended:
            names = ", ".join(f"'{c['name']}'" for c in ended)
            click.echo(f"  No longer listed in {names}: admit them again with "
                       "'coop circle admit CIRCLE_ID EMAIL'.")
        click.echo("  Roles are not restored. They sign in with their old password, or "
                   f"with a link from 'coop member invite {m['email']}' if they never set one.")
