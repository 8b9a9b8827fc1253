"""The JSON API under /api/v1, with its OpenAPI document at /api/v1/openapi.json.

Each area is a blueprint of its own module; schemas live in ``web.api.schemas``.
Every request to an area is authenticated first (``web.api.auth``), then its
Idempotency-Key, if any, is reserved (``web.api.idempotency``); errors are answered
as problem details (``web.api.problem``). See docs/api.md.
"""

from __future__ import annotations

from flask import Flask, Response, request

from web.api import auth, idempotency, problem
from web.api.spec import API_PREFIX, Api, Blueprint

VERSION = "1.0.0"


def blueprints() -> list[Blueprint]:
    """Return the API's areas, in the order the document lists them."""
    from web.api import (audit, circles, delegations, fairshare, gives, ledger, members,
                         postings, proposals, referrals)

    return [members.bp, circles.bp, postings.offers, postings.asks, gives.bp, referrals.bp,
            ledger.bp, fairshare.bp, proposals.bp, delegations.bp, audit.bp]


def register(app: Flask) -> None:
    """Add the API to the portal's app."""
    app.config.update({
        "API_TITLE": "Coop API",
        "API_VERSION": VERSION,
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {"description": "The JSON API of a Coop network: members, circles, "
                                    "offers and asks, gives, referrals, the fair-share "
                                    "ledger, distributions, proposals and the audit log. "
                                    "See docs/api.md."},
            "security": [{"bearer": []}, {"session": []}],
        },
    })
    api = Api(app)
    csrf = app.extensions["csrf"]
    names = set()
    for blueprint in blueprints():
        api.register_blueprint(blueprint)
        # Bearer requests carry no cookie to forge; session writes are checked in auth.
        csrf.exempt(blueprint)
        names.add(blueprint.name)
    app.extensions["coop.api"] = api
    problem.register(app)

    def guard() -> Response | None:
        if request.blueprint not in names:
            return None
        return auth.authenticate() or idempotency.reserve()

    def finish(response: Response) -> Response:
        if problem.is_api_request():
            # Every answer is one member's view of the network: no shared cache keeps it.
            response.headers.setdefault("Cache-Control", "no-store")
            if response.status_code == 204:
                response.headers.pop("Content-Type", None)
        return idempotency.remember(response)

    app.before_request(guard)
    app.after_request(finish)
    app.teardown_request(idempotency.release_unanswered)
