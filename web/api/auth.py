"""Who is calling the API: a personal token (``Authorization: Bearer``) or the portal's
own session cookie, which must then carry the CSRF token on every write.

A token is checked against the store on every request, so a revoked token (or the
token of a member who has left) is refused from the very next request on.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, g, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from domain.errors import NotFound
from web.api.problem import problem
from web.auth import network

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRFToken"
REALM = 'Bearer realm="coop"'


def authenticate() -> Response | None:
    """Find the calling member, or answer 401 (403 for a session write without its
    CSRF token)."""
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return unauthorized("send a personal API token as 'Authorization: Bearer <token>'",
                                error="invalid_request")
        member = _active(network().tokens.member_for(token.strip()))
        if member is None:
            return unauthorized("this API token is not valid: it may have been revoked",
                                error="invalid_token")
        g.api_member, g.api_session = member, False
        return None
    member = g.get("member")  # the portal's session (web.auth)
    if member is None:
        return unauthorized("send a personal API token as 'Authorization: Bearer <token>' "
                            "(make one on your profile page)")
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.headers.get(CSRF_HEADER))
        except ValidationError:
            return problem(403, f"a write with the session cookie needs the {CSRF_HEADER} "
                                "header: the csrf_token of a portal page", kind="csrf")
    g.api_member, g.api_session = member, True
    return None


def _active(member_id: UUID | None) -> dict[str, Any] | None:
    if member_id is None:
        return None
    try:
        member = network().members.get(member_id)
    except NotFound:  # an account whose member is not in this log (a store reset)
        return None
    return None if member["has_left"] else member


def unauthorized(detail: str, *, error: str | None = None) -> Response:
    challenge = f'{REALM}, error="{error}"' if error else REALM
    return problem(401, detail, kind="unauthorized", headers={"WWW-Authenticate": challenge})


def caller() -> dict[str, Any]:
    """Return the calling member (a plain dict from the members service)."""
    return g.api_member  # type: ignore[no-any-return]


def caller_id() -> UUID:
    return caller()["id"]  # type: ignore[no-any-return]


def is_steward() -> bool:
    return "steward" in caller()["roles"]
