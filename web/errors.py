"""Domain errors and HTTP errors become status codes and pages, in this one place."""

from __future__ import annotations

import logging
import sqlite3

from eventsourcing.persistence import InterfaceError, OperationalError
from flask import Flask, Response, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from coop.accounts import TooManyAttempts
from coop.application import StoreNotInitialised, StoreUnavailable
from domain.errors import CoopError, InvalidValue, NotAllowed, NotFound, StateConflict
from projections.projector import ProjectionOutdated
from projections.store import ReadModelsNotInitialised, ReadModelsUnavailable

# Checked in order: the first class the error is an instance of decides.
STATUS_FOR: tuple[tuple[type[CoopError], int], ...] = (
    (StoreUnavailable, 503),
    (StoreNotInitialised, 503),
    (ReadModelsUnavailable, 503),
    (ReadModelsNotInitialised, 503),
    (ProjectionOutdated, 503),
    (TooManyAttempts, 429),
    (NotFound, 404),
    (NotAllowed, 403),
    (InvalidValue, 400),
    (StateConflict, 409),
)

# The errors a form shows beside its fields; the rest get a page of their own.
FORM_ERRORS = (NotFound, NotAllowed, InvalidValue, StateConflict)

# Database trouble that passes (SQLite busy, PostgreSQL restarting, a connection cut)
# when it escapes a store without being named: a 503, never a 500.
TRANSIENT: tuple[type[Exception], ...] = (OperationalError, InterfaceError,
                                          sqlite3.OperationalError)
try:  # the driver is there whenever PostgreSQL is configured
    import psycopg
    from psycopg_pool import PoolTimeout

    TRANSIENT += (psycopg.OperationalError, PoolTimeout)
except ImportError:  # pragma: no cover
    pass

log = logging.getLogger(__name__)

# How long a client should wait before retrying when the store is busy.
RETRY_AFTER_UNAVAILABLE = 5

TITLES = {
    400: "The request could not be used",
    403: "You may not do that",
    404: "Page not found",
    405: "That is not how this page works",
    409: "That cannot be done now",
    413: "That was too much to send",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "The service is busy",
}

MESSAGES = {
    400: "Something in the request was not right. Go back and try again.",
    403: "Your account is not allowed to do that.",
    404: "There is nothing at this address. Check it, or start again from the dashboard.",
    405: "This page cannot be used that way. Use the buttons and links on the site.",
    409: "That is not possible in the state things are in now.",
    413: "The form sent more than the site accepts.",
    429: "Too many attempts. Wait a little and try again.",
    500: "The error has been logged. Try again in a moment.",
    503: "The service cannot be reached just now. Try again in a moment.",
}


def status_for(error: CoopError) -> int:
    """Return the HTTP status that answers a domain error."""
    for kind, status in STATUS_FOR:
        if isinstance(error, kind):
            return status
    return 400


def register(app: Flask) -> None:
    """Answer every error with a page in the site's layout."""
    app.register_error_handler(CoopError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    for kind in TRANSIENT:
        app.register_error_handler(kind, _transient_error)


def unavailable(error: Exception) -> StoreUnavailable:
    """Return the domain error for database trouble that a retry may get past."""
    log.warning("database unavailable: %s: %s", type(error).__name__,
                (str(error).strip().splitlines() or [""])[0])
    return StoreUnavailable("the database is busy or restarting; try again in a moment")


def error_page(status: int, message: str | None = None) -> Response:
    response = Response(render_template(
        "errors/error.html", status=status, title=TITLES.get(status, "Error"),
        message=message or MESSAGES.get(status, ""),
    ), status=status)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    return response


def _domain_error(error: CoopError) -> Response:
    response = error_page(status_for(error), str(error))
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _transient_error(error: Exception) -> Response:
    return _domain_error(unavailable(error))


def _csrf_error(error: CSRFError) -> Response:
    return error_page(400, "This form has expired or was not sent from this site. "
                           "Go back, reload the page and try again.")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    response = error_page(status)
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response
