"""Who is signed in: the network of this process, the session and the member behind it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from flask import Flask, current_app, g, redirect, request, session, url_for

from coop.bootstrap import Network
from domain.errors import NotFound

F = TypeVar("F", bound=Callable[..., Any])

SESSION_TOKEN = "token"


def network() -> Network:
    """Return the network built once for this process."""
    return current_app.extensions["coop"]  # type: ignore[no-any-return]


def register(app: Flask) -> None:
    app.before_request(_load_member)


def _load_member() -> None:
    g.member = None
    if request.endpoint == "static":
        return
    token = session.get(SESSION_TOKEN)
    if not token:
        return
    member_id = network().accounts.member_for(token)
    try:
        member = network().members.get(member_id) if member_id else None
    except NotFound:  # an account whose member is not in this log (a store reset)
        member = None
    if member is None or member["has_left"]:
        # The session was ended elsewhere (sign-out, password change) or expired.
        session.pop(SESSION_TOKEN, None)
        return
    g.member = member


def member_id() -> UUID:
    """Return the id of the signed-in member (views behind sign_in_required only)."""
    return g.member["id"]  # type: ignore[no-any-return]


def is_steward() -> bool:
    return bool(g.get("member")) and "steward" in g.member["roles"]


def start_session(token: str) -> None:
    """Replace the whole cookie session, so nothing from before sign-in (including
    the CSRF token) carries over into the signed-in one."""
    session.clear()
    session[SESSION_TOKEN] = token
    session.permanent = True


def end_session() -> None:
    network().accounts.sign_out(session.get(SESSION_TOKEN))
    session.clear()


def current_token() -> str | None:
    return session.get(SESSION_TOKEN)


def sign_in_required(view: F) -> F:
    """Send visitors who are not signed in to the sign-in page, then back here."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("member") is None:
            back = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("accounts.sign_in", next=back))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
