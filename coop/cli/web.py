"""``coop serve`` (the portal for development) and ``coop member invite``."""

from __future__ import annotations

import click

from coop.accounts import INVITATION_LIFETIME, INVITATION_PATH
from coop.cli.common import network

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def register(cli: click.Group) -> None:
    cli.add_command(serve)
    member = cli.commands["member"]
    assert isinstance(member, click.Group)
    member.add_command(invite)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Run the web portal for development (production: gunicorn wsgi:app)."""
    from web import create_app

    app = create_app(test_config={"COOP_ENV": "development"})
    click.echo(f"Coop portal (development mode) on http://{host}:{port}/  - Ctrl+C stops it")
    click.echo(_sign_in_hint(app.extensions["coop"]))
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None


@click.command()
@click.argument("email")
@click.option("--base-url", envvar="COOP_BASE_URL", default=DEFAULT_BASE_URL,
              show_default=True, help="Where members reach the portal (env COOP_BASE_URL).")
def invite(email: str, base_url: str) -> None:
    """Print a one-time invitation link for the member with EMAIL.

    The member must exist already ('coop member add'). The link lets them choose a
    password; it works once and expires in 7 days. A new link replaces older ones.
    """
    with network() as net:
        token = net.accounts.invite(email)
    link = base_url.rstrip("/") + INVITATION_PATH.format(token=token)
    click.echo(f"Invitation for {email.strip().lower()} "
               f"(works once, expires in {INVITATION_LIFETIME.days} days):")
    click.echo(link)


def _sign_in_hint(net: object) -> str:
    """Return how to sign in: the demo's sign-in when this store holds the demo."""
    from coop.demo import DEMO_PASSWORD, DEMO_STEWARD_EMAIL
    from domain.errors import NotFound

    try:
        net.members.id_for_email(DEMO_STEWARD_EMAIL)  # type: ignore[attr-defined]
    except (AttributeError, NotFound):
        return "Sign in with a password set through 'coop member invite EMAIL'."
    return f"Demo sign-in: {DEMO_STEWARD_EMAIL}  password {DEMO_PASSWORD}"
