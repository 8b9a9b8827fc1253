"""The portal's own log lines carry the request id, as gunicorn's access log does,
so a 503 or an error in the log can be found again from the line a member reports."""

from __future__ import annotations

import logging
import sys

from flask import g, has_request_context

# Like gunicorn's own error log lines, plus which logger spoke and for which request.
FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s rid=%(request_id)s %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"
# The loggers of our own packages; gunicorn's loggers keep their own handlers.
PACKAGES = ("web", "coop", "projections", "domain")


class RequestId(logging.Filter):
    """Add ``request_id`` to every record: the request's id, or "-" outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def log_to_stderr(level: int = logging.INFO) -> None:
    """Send our packages' log lines to stderr (gunicorn's error log) with the request
    id. Safe to call twice: the handler is added once."""
    for name in PACKAGES:
        logger = logging.getLogger(name)
        if any(isinstance(f, RequestId) for h in logger.handlers for f in h.filters):
            continue
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT))
        handler.addFilter(RequestId())
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False  # not twice through the root logger
