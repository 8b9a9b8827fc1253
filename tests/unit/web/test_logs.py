"""The portal's log lines name the request they belong to."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask, g

from web import logs


@pytest.fixture(autouse=True)
def loggers_as_they_were() -> Iterator[None]:
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level,
                    logging.getLogger(name).propagate) for name in logs.PACKAGES}
    yield
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate


def test_a_line_logged_in_a_request_carries_its_id_once(capsys: pytest.CaptureFixture[str]) -> None:
    logs.log_to_stderr()
    logs.log_to_stderr()  # a second call adds no second handler
    with Flask(__name__).test_request_context("/"):
        g.request_id = "abc-123-def"
        logging.getLogger("web.errors").warning("database unavailable: restarting")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "[WARNING] web.errors rid=abc-123-def database unavailable: restarting" in lines[0]


def test_a_line_outside_a_request_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    logs.log_to_stderr()
    logging.getLogger("projections.projector").info("caught up")
    assert "projections.projector rid=- caught up" in capsys.readouterr().err
