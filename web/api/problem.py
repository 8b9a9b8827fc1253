"""Errors as problem details (RFC 9457): every refusal of the API, in one shape.

``{"type", "title", "status", "detail"}`` and, for invalid input, ``errors``:
``{field: [messages]}``. The portal's own error pages are left as they are: the
handlers here answer only requests under ``/api/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from coop.accounts import TooManyAttempts
from coop.application import StoreNotInitialised, StoreUnavailable
from coop.services.ballot_box import BallotKeyMissing, SealBroken
from domain.errors import (
    ConcurrentChange,
    CoopError,
    InvalidValue,
    NotAllowed,
    NotFound,
    StateConflict,
)
from projections.projector import ProjectionFailed, ProjectionOutdated
from projections.store import ReadModelsNotInitialised, ReadModelsUnavailable
from web.errors import TRANSIENT, unavailable

MIMETYPE = "application/problem+json"
PREFIX = "/api/"
# Seconds a client should wait before trying again when the store is busy.
RETRY_AFTER = 5

UNAVAILABLE = (StoreUnavailable, StoreNotInitialised, ReadModelsUnavailable,
               ReadModelsNotInitialised, ProjectionOutdated, ProjectionFailed)

# Checked in order: the first class the error is an instance of decides.
DOMAIN: tuple[tuple[type[Exception] | tuple[type[Exception], ...], int, str], ...] = (
    (UNAVAILABLE, 503, "unavailable"),
    # The ballot key is the server's to keep: nothing a client can change.
    ((BallotKeyMissing, SealBroken), 500, "server-error"),
    (TooManyAttempts, 429, "too-many-attempts"),
    (NotFound, 404, "not-found"),
    (NotAllowed, 403, "not-allowed"),
    (InvalidValue, 422, "invalid-value"),
    (ConcurrentChange, 409, "concurrent-change"),
    (StateConflict, 409, "state-conflict"),
)

# The problem types for HTTP errors raised outside the domain.
HTTP_TYPES = {400: "malformed", 401: "unauthorized", 404: "not-found", 405: "method-not-allowed",
              413: "too-large", 422: "validation", 500: "server-error"}

TITLES = {
    400: "The request could not be read",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with the current state",
    413: "Request too large",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Server error",
    503: "Service unavailable",
}


def type_uri(kind: str | None) -> str:
    """Return the problem type URI for a kind (see docs/api.md for the list)."""
    return f"urn:coop:problem:{kind}" if kind else "about:blank"


def problem(status: int, detail: str, *, kind: str | None = None,
            errors: Mapping[str, list[str]] | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
    """Return a problem-details response."""
    body: dict[str, Any] = {
        "type": type_uri(kind), "title": TITLES.get(status) or _phrase(status),
        "status": status, "detail": detail,
    }
    if errors:
        body["errors"] = {field: list(messages) for field, messages in errors.items()}
    response = Response(json.dumps(body), status=status, mimetype=MIMETYPE)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def invalid(errors: Mapping[str, list[str]]) -> Response:
    """Return the 422 problem for input that breaks the schema."""
    return problem(422, "some fields are not valid: " + ", ".join(sorted(errors)),
                   kind="validation", errors=errors)


def from_domain(error: CoopError) -> Response:
    """Answer a domain error."""
    for kinds, status, kind in DOMAIN:
        if isinstance(error, kinds):
            headers = {}
            if isinstance(error, TooManyAttempts):
                headers["Retry-After"] = str(error.retry_after)
            return problem(status, str(error), kind=kind, headers=headers)
    return problem(422, str(error), kind="refused")


def from_http(error: HTTPException) -> Response:
    """Answer an HTTP error: routing, parsing and validation by the schemas."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    headers = dict(data.get("headers") or {})
    if status == 422 and messages:
        return invalid(flatten(messages))
    if status == 400 and messages:
        return problem(400, "the body is not valid JSON", kind="malformed")
    if status == 405:
        allow = error.get_response().headers.get("Allow")
        if allow:
            headers["Allow"] = allow
    detail = {
        404: "there is nothing at this address",
        405: f"{request.method} cannot be used on this address",
        413: "the request is larger than the API accepts",
        500: "something went wrong on our side; it has been logged",
    }.get(status) or error.description or _phrase(status)
    return problem(status, detail, kind=HTTP_TYPES.get(status), headers=headers)


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Return validation messages as {field: [messages]}, whatever their nesting.

    webargs nests them by location first ({"json": {"hours": [...]}}); nested fields
    are joined with dots ("options.2"); schema-wide ones are under "_schema".
    """
    if isinstance(messages, Mapping):
        out: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = str(key)
            if not prefix and name in ("json", "query", "querystring", "headers", "view_args",
                                       "path", "form"):
                name = ""
            for field, texts in flatten(value, _join(prefix, name)).items():
                out.setdefault(field, []).extend(texts)
        return out
    if isinstance(messages, (list, tuple)):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_schema": [str(m) for m in messages]}
        out = {}
        for value in messages:
            for field, texts in flatten(value, prefix).items():
                out.setdefault(field, []).extend(texts)
        return out
    return {prefix or "_schema": [str(messages)]}


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix and name else prefix or name


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def register(app: Flask) -> None:
    """Answer errors of API requests with problem details; leave the portal's pages
    to the handlers already registered (web/errors.py)."""
    handlers = app.error_handler_spec.setdefault(None, {}).setdefault(None, {})
    for kind, answer in ((HTTPException, from_http), (CoopError, from_domain)):
        app.register_error_handler(kind, _for_api(answer, handlers.get(kind)))
    for transient in TRANSIENT:  # database trouble no store named: 503 as well
        app.register_error_handler(transient, _for_api(
            lambda error: from_domain(unavailable(error)), handlers.get(transient)))


def _for_api(answer: Callable[[Any], Response],
             fallback: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    def handle(error: Exception) -> Any:
        if is_api_request():
            return answer(error)
        if fallback is not None:
            return fallback(error)
        if isinstance(error, HTTPException):
            return error
        raise error

    return handle

