"""The API's contract, fuzzed: schemathesis sends what the OpenAPI document allows (and
what it does not) to every operation, in-process, as a real member with a real token.

No answer may be a 5xx, and every answer must be one the document names: its status,
its content type and the shape of its body. The seed is fixed and generation is
deterministic, so a run repeats exactly; the example budget keeps it under a couple of
minutes on one core.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coop.bootstrap import Network, build
from coop.config import Settings
from tests.conftest import POSTGRES_URL_VAR, postgres_url
from tests.integration.conftest import TEST_SECRET_KEY
from web import close, create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
SEED = 20260501
# Examples per operation and mode; set COOP_CONTRACT_EXAMPLES higher for a deeper run.
EXAMPLES = int(os.environ.get("COOP_CONTRACT_EXAMPLES") or 25)


def small_network(net: Network) -> dict[str, Any]:
    """Arrange a few members and one object of every kind; return their ids."""
    alice = net.members.add(email="alice@coop.test", name="Alice", steward=True)
    bob = net.members.add(email="bob@coop.test", name="Bob")
    net.members.add(email="carol@coop.test", name="Carol")
    circle = net.circles.form(name="Bakers")
    for member in (alice, bob):
        net.circles.admit(circle, member)
    later = datetime.now(timezone.utc) + timedelta(days=7)
    open_vote = net.proposals.draft(circle_id=circle, title="Buy a bike", text="A cargo bike",
                                    method="yes_no", by=alice)
    net.proposals.open(open_vote, closes_at=later, allow_early_close=True, by=alice)
    closed = net.proposals.draft(circle_id=circle, title="Bake on Sundays", text="Yes",
                                 method="yes_no", by=alice)
    net.proposals.open(closed, closes_at=later, allow_early_close=True, by=alice)
    net.ballots.cast(closed, "yes", by=bob)
    net.proposals.close_early(closed, by=alice)
    return {
        "alice": alice, "bob": bob, "circle": circle,
        "offer": net.postings.post_offer(title="Bread", by=alice),
        "ask": net.postings.post_ask(title="Oven repair", by=bob),
        "give": net.gives.record(receiver_id=alice, hours="2", description="Oven", by=bob),
        "referral": net.referrals.make(receiver_id=alice, prospect="Café", need="Bread",
                                       warmth=4, by=bob),
        "proposal": open_vote, "closed": closed,
        "distribution": net.fairshare.distribute(circle, period_start="2026-01-01",
                                                 period_end="2026-12-31", pool="100",
                                                 currency="EUR"),
        "token": net.tokens.create(alice, name="contract")["token"],
    }


# Which object each operation's {id} names (the others get generated ids: 404s).
IDS = {
    "/api/v1/members/{id}": "bob", "/api/v1/members/{id}/invitation": "bob",
    "/api/v1/circles/{id}": "circle", "/api/v1/circles/{id}/members": "circle",
    "/api/v1/circles/{id}/members/{member_id}": "circle",
    "/api/v1/circles/{id}/contribution-rule": "circle",
    "/api/v1/circles/{id}/delegation": "circle",
    "/api/v1/offers/{id}": "offer", "/api/v1/offers/{id}/withdraw": "offer",
    "/api/v1/asks/{id}": "ask", "/api/v1/asks/{id}/withdraw": "ask",
    "/api/v1/gives/{id}": "give", "/api/v1/gives/{id}/confirm": "give",
    "/api/v1/gives/{id}/dispute": "give", "/api/v1/gives/{id}/reverse": "give",
    "/api/v1/referrals/{id}": "referral", "/api/v1/ledger/members/{id}": "alice",
    "/api/v1/ledger/members/{id}/statement": "alice",
    "/api/v1/distributions/{id}": "distribution",
    "/api/v1/proposals/{id}": "proposal", "/api/v1/proposals/{id}/ballot": "proposal",
    "/api/v1/proposals/{id}/open": "proposal", "/api/v1/proposals/{id}/close": "proposal",
    "/api/v1/proposals/{id}/withdraw": "proposal", "/api/v1/proposals/{id}/tally": "closed",
    **{f"/api/v1/referrals/{{id}}/{a}": "referral"
       for a in ("accept", "decline", "close", "lost", "thank")},
}


@pytest.fixture(scope="module")
def contract_settings(request: pytest.FixtureRequest,
                      tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The store of the contract's network: SQLite, then PostgreSQL (whose text columns
    refuse what SQLite takes, such as NUL)."""
    data_dir = Path(tmp_path_factory.mktemp("contract")) / "instance"
    if request.param == "sqlite":
        yield Settings(data_dir=data_dir)
        return
    url = postgres_url()
    if url is None:
        pytest.skip(f"{POSTGRES_URL_VAR} is not set, so PostgreSQL tests are skipped")
    import psycopg

    schema = f"coop_contract_{uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in url else "?"
    try:
        yield Settings(data_dir=data_dir, database_url=f"{url}{sep}schema={schema}")
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="module")
def contract(contract_settings: Settings) -> Iterator[tuple[Flask, dict[str, Any]]]:
    setup = build(contract_settings, create_tables=True)
    try:
        objects = small_network(setup)
    finally:
        setup.close()
    app = create_app(contract_settings, {"TESTING": True, "SECRET_KEY": TEST_SECRET_KEY})
    yield app, objects
    close(app)


@pytest.mark.parametrize("contract_settings", [
    "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_every_answer_conforms_to_the_document(
        contract: tuple[Flask, dict[str, Any]]) -> None:
    # schemathesis' own pytest integration (schema.parametrize) does not run under
    # pytest 9 ('Function' object has no attribute '_nodeid'), so each operation's
    # Hypothesis test is built here from its strategy. @seed fixes the examples and no
    # example database carries anything from one run to the next.
    app, objects = contract
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    auth = {"Authorization": f"Bearer {objects['token']}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        named = IDS.get(operation.path)
        fixed = {"id": str(objects[named])} if named else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

            @seed(SEED)
            @settings(max_examples=EXAMPLES, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck), print_blob=False)
            @given(case=strategy)
            def exchange(case: Any) -> None:
                case.call_and_validate(headers=auth, checks=CHECKS)

            try:
                exchange()
            except Exception as error:  # collect them all: one report names every failure
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
