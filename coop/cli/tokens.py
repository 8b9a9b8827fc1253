"""``coop token ...``: personal API tokens, made by the operator for a member."""

from __future__ import annotations

import click

from coop.cli.common import network, resolve_member
from coop.services.authority import OPERATOR


def register(cli: click.Group) -> None:
    cli.add_command(token)


@click.group()
def token() -> None:
    """Make, list and revoke members' personal API tokens."""


@token.command("create")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
@click.option("--name", default="", help="What the token is for, e.g. 'mailing list sync'.")
def create(member_ref: str, name: str) -> None:
    """Make an API token acting as the member and print it (shown this once only)."""
    with network() as net:
        made = net.tokens.create(resolve_member(net, member_ref), name=name)
        click.echo(made["token"])
        click.echo(f"token {made['id']} ({made['name']}): keep it secret, it acts as this "
                   "member; it is not shown again", err=True)


@token.command("list")
@click.argument("member_ref", metavar="EMAIL_OR_ID")
def list_tokens(member_ref: str) -> None:
    """List a member's API tokens (their names and first characters, never the tokens)."""
    with network() as net:
        for t in net.tokens.list(resolve_member(net, member_ref)):
            click.echo(f"{t['id']}  {t['hint']}…  {t['created_at']:%Y-%m-%d %H:%M}  {t['name']}")


@token.command("revoke")
@click.argument("token_id")
def revoke(token_id: str) -> None:
    """Revoke an API token by its id: it stops working at once."""
    with network() as net:
        net.tokens.revoke(token_id, by=OPERATOR)
        click.echo(f"Revoked token {token_id}.")

