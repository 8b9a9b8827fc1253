"""The portal's own settings: read from the environment here and nowhere else in web/.

COOP_ENV        production (default) or development; ``coop serve`` sets development.
COOP_SECRET_KEY signs session cookies and CSRF tokens; required outside development.
COOP_PROXY_HOPS how many reverse proxies stand in front (so the client address, used
                to throttle sign-ins, is read from X-Forwarded-For); default 0.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coop.accounts import SESSION_LIFETIME
from coop.config import ConfigurationError, Settings

DEVELOPMENT, PRODUCTION = "development", "production"
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY_LENGTH = 32


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the Flask config the environment asks for."""
    env = os.environ if environ is None else environ
    mode = (env.get("COOP_ENV") or PRODUCTION).strip().lower()
    if mode not in (DEVELOPMENT, PRODUCTION):
        raise ConfigurationError("COOP_ENV must be 'production' or 'development'")
    try:
        hops = int(env.get("COOP_PROXY_HOPS") or 0)
    except ValueError:
        raise ConfigurationError("COOP_PROXY_HOPS must be a whole number (0 without a proxy)") from None
    config: dict[str, Any] = {"COOP_ENV": mode, "COOP_PROXY_HOPS": hops}
    if env.get("COOP_SECRET_KEY"):
        config["SECRET_KEY"] = env["COOP_SECRET_KEY"]
    return config


def defaults(production: bool) -> dict[str, Any]:
    """Return the settings that do not depend on the environment."""
    return {
        "SESSION_COOKIE_NAME": "coop_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Plain http on a developer's machine would never send a Secure cookie back.
        "SESSION_COOKIE_SECURE": production,
        # The cookie lives as long as the server-side session it points to.
        "PERMANENT_SESSION_LIFETIME": SESSION_LIFETIME,
        # The CSRF token is tied to the session, which is renewed at every sign-in;
        # an hourly expiry would only lose the work of members who write slowly.
        "WTF_CSRF_TIME_LIMIT": None,
        # Forms only: nothing a member types needs more than this.
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "TEMPLATES_AUTO_RELOAD": not production,
    }


def secret_key(config: Mapping[str, Any], settings: Settings) -> str:
    """Return the key that signs sessions, refusing to run without one in production."""
    key = config.get("SECRET_KEY")
    development = config.get("COOP_ENV") == DEVELOPMENT or config.get("TESTING")
    if key:
        if not development and len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigurationError(
                f"COOP_SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters"
            )
        return str(key)
    if not development:
        raise ConfigurationError(
            "COOP_SECRET_KEY must be set outside development; make one with: "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return _development_key(settings.data_dir)


def _development_key(data_dir: Path) -> str:
    """Return the key kept in the data dir, making it on first use, so that a restart of
    ``coop serve`` does not sign everyone out."""
    path = data_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.touch(mode=0o600)
    path.write_text(key + "\n")
    return key


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Raise ConfigurationError now if the portal could not start with this environment
    (gunicorn's master calls this before it forks workers)."""
    config = from_env(environ)
    settings = Settings.from_env(environ)
    if config["COOP_ENV"] != DEVELOPMENT:
        secret_key(config, settings)
