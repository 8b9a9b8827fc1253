"""Serve the portal on a free loopback port in a thread: for the browser tests and the
screenshots script, which need a real HTTP server but not gunicorn."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from web import close


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Yield the address of ``app`` served on 127.0.0.1; stop and close it afterwards."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        close(app)
