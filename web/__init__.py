"""The member web portal: a Flask app built around one Network per process."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from coop.bootstrap import build
from coop.config import Settings
from web import auth, errors, security, templating
from web import config as web_config


def create_app(settings: Settings | None = None,
               test_config: Mapping[str, Any] | None = None) -> Flask:
    """Return the portal for ``settings`` (default: from the environment).

    ``test_config`` overrides Flask settings; ``{"COOP_ENV": "development"}`` is what
    ``coop serve`` passes. Outside development COOP_SECRET_KEY is required.
    """
    app = Flask(__name__)
    config = {**web_config.from_env(), **(test_config or {})}
    production = config["COOP_ENV"] == web_config.PRODUCTION and not config.get("TESTING")
    app.config.update(web_config.defaults(production))
    app.config.update(config)
    settings = settings or Settings.from_env()
    app.config["SECRET_KEY"] = web_config.secret_key(app.config, settings)
    hops = int(app.config.get("COOP_PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops)

    CSRFProtect(app)
    security.register(app)
    auth.register(app)
    errors.register(app)
    templating.register(app)
    _register_blueprints(app)

    network = build(settings)
    app.extensions["coop"] = network
    # Closed when the process ends (or by close() in tests and gunicorn's worker_exit).
    app.extensions["coop.close"] = weakref.finalize(app, network.close)
    return app


def close(app: Flask) -> None:
    """Close the app's network (its database connections); safe to call twice."""
    app.extensions["coop.close"]()


def _register_blueprints(app: Flask) -> None:
    from web import (accounts, api, audit, ballots, dashboard, decisions, delegations,
                     directory, distributions, gives, ledger, listing, members, postings,
                     proposals, referrals, tokens)

    for blueprint in (dashboard.bp, accounts.bp, members.bp, gives.bp, postings.offers,
                      postings.asks, referrals.bp, audit.bp, directory.bp, ledger.bp,
                      distributions.bp, tokens.bp, decisions.bp, proposals.bp, ballots.bp,
                      delegations.bp):
        app.register_blueprint(blueprint)
    listing.register(app)
    api.register(app)
