"""gunicorn settings for the portal: ``gunicorn wsgi:app`` reads this file by default.

Environment: COOP_BIND (default 127.0.0.1:8000), COOP_WORKERS (default from the cores).
"""

import os
import sys


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may really use
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("COOP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("COOP_WORKERS") or 2 * _cores() + 1)
worker_class = "sync"

# Never preload: the app, and with it the database connections, must be built in each
# worker after the fork, or workers would share one connection's socket.
preload_app = False

timeout = 30
graceful_timeout = 30  # a restarting worker finishes the requests it holds
keepalive = 5
max_requests = 10000  # recycle workers now and then, jittered so they do not all go at once
max_requests_jitter = 1000

accesslog = "-"
errorlog = "-"
# The request id (set by the app, or kept from a proxy's X-Request-ID) joins this line to
# the app's own logs.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s "%(a)s"'


def on_starting(server):  # noqa: ANN001 - gunicorn's hook signature
    """Refuse to start, with one clear line, when the configuration cannot work, rather
    than with a traceback from every worker."""
    from coop.config import ConfigurationError
    from web.config import check_environment

    try:
        check_environment()
    except ConfigurationError as error:
        print(f"coop: error: {error}", file=sys.stderr)
        sys.exit(1)


def post_worker_init(worker):  # noqa: ANN001 - gunicorn's hook signature
    """The app's own log lines (a 503, a refused idempotent retry) go to the error log
    with the same request id as the access log line."""
    from web.logs import log_to_stderr

    log_to_stderr()


def worker_exit(server, worker):  # noqa: ANN001 - gunicorn's hook signature
    """Close the worker's database connections when it stops."""
    app = getattr(worker, "wsgi", None)
    if app is not None and "coop.close" in getattr(app, "extensions", {}):
        app.extensions["coop.close"]()
