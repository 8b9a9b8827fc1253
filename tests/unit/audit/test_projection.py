"""The audit projection on its own: real domain events through a fake log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from coop.audit import LineFormat
from coop.audit.canonical import GENESIS, Line, body_text, chain_hash
from coop.audit.privacy import Commitments
from domain import clock
from domain.ballot import Ballot
from domain.circle import Circle
from domain.counting.common import Rules
from domain.give import Give
from domain.member import Member
from domain.proposal import Proposal
from domain.referral import Referral
from projections.audit import LINE_COLUMNS, REDACTED, AuditProjection
from projections.projector import Projector, create_tables
from projections.store import ReadModelStore, StoreParams
from tests.unit.projections.fakes import FakeLog, rows_of


def audit(secret: bytes = b"k" * 32) -> AuditProjection:
    return AuditProjection(LineFormat(Commitments(lambda: secret)))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReadModelStore]:
    s = ReadModelStore(StoreParams(sqlite_path=tmp_path / "read_models.sqlite"))
    create_tables(s, [audit()])
    yield s
    s.close()


@pytest.fixture
def log() -> FakeLog:
    return story()


def story() -> FakeLog:
    """A small network: two members, a circle, a give in it, a referral closed, and
    a secret and an open proposal voted on, with gaps in the positions."""
    log = FakeLog()
    now = clock.now()

    def record(*aggregates: Any) -> None:
        for aggregate in aggregates:
            for i, event in enumerate(aggregate.collect_events()):
                log.append(event, gap=1 if i == 1 else 0)

    ana = Member.join(email="ana@coop.test", name="Ana Lima", business="Lima Bakery")
    ben = Member.join(email="ben@coop.test", name="Ben Okafor")
    cat = Member.join(email="cat@coop.test", name="Cat Wu")
    garden = Circle.form(name="Garden", purpose="", parent=None, by=ana.id)
    garden.admit(member_id=ana.id, parent=None, by=ana.id)
    garden.admit(member_id=ben.id, parent=None, by=ana.id)
    record(ana, ben, cat, garden)
    give = Give.record(giver=ana.id, receiver=ben.id, hours="1.5", description="Pruned trees",
                       circle_id=garden.id, by=ana.id)
    referral = Referral.make(referrer=ben.id, receiver=ana.id, prospect="Dora Diaz",
                             need="bread", warmth=5, by=ben.id)
    record(give, referral)
    give.confirm(by=ben.id)
    referral.accept(by=ana.id)
    referral.close_business(value="120.50", currency="EUR", by=ana.id)
    record(give, referral)
    for secret in (True, False):
        proposal = Proposal.draft(circle_id=garden.id, title="Plant figs", text="Two figs.",
                                  method="yes_no", by=ana.id)
        proposal.open(rules=Rules.make(method="yes_no", options=(), secret=secret),
                      closes_at=now + timedelta(days=1), electorate=[ana.id, ben.id],
                      mandate=None, tie_break_commitment="c" * 64, now=now, by=ana.id)
        record(proposal)
        marked = {"sealed": "U2VhbGVk"} if secret else {"choice": "yes"}
        ballot = Ballot.cast(proposal_id=proposal.id, by=ben.id, **marked)
        ballot.change(by=ben.id, **({"sealed": "Q2hhbmdlZA=="} if secret else {"choice": "no"}))
        record(ballot)
    return log


def project(log: FakeLog, store: ReadModelStore, batch_size: int = 1000,
            projection: AuditProjection | None = None) -> dict[str, list[tuple[Any, ...]]]:
    Projector(log, log, store, [projection or audit()], batch_size=batch_size).catch_up()
    return rows_of(store, projection or audit())


def lines_of(rows: dict[str, list[tuple[Any, ...]]]) -> list[dict[str, Any]]:
    columns = ("position", "recorded_at", "at", *LINE_COLUMNS[2:])
    return [dict(zip(columns, row)) for row in rows["audit_lines"]]


def test_every_event_of_the_log_is_a_line_chained_in_log_order(log, store) -> None:
    lines = lines_of(project(log, store))
    assert [line["position"] for line in lines] == [n.id for n in log.notes]
    prev = GENESIS
    for row in lines:
        line = Line(*(row[c] for c in LINE_COLUMNS))
        assert line.prev_hash == prev
        assert line.hash == chain_hash(prev, body_text(line))
        prev = line.hash


def test_a_line_names_its_action_actor_target_and_circle(log, store) -> None:
    lines = lines_of(project(log, store))
    by_action = {line["action"]: line for line in lines}
    assert {"member.joined", "circle.formed", "circle.member_admitted", "give.recorded",
            "give.confirmed", "referral.business_closed", "proposal.opened",
            "ballot.cast", "ballot.changed"} <= set(by_action)
    formed = by_action["circle.formed"]
    assert formed["circle"] == formed["target_id"]
    recorded, confirmed = by_action["give.recorded"], by_action["give.confirmed"]
    # The confirmation carries no circle of its own: it is the give's.
    assert confirmed["circle"] == recorded["circle"] == formed["target_id"]
    assert (confirmed["target_type"], confirmed["target_version"]) == ("give", 2)
    assert confirmed["actor"] == json.loads(recorded["details"])["receiver"]
    # A ballot belongs to its proposal's circle.
    assert by_action["ballot.cast"]["circle"] == formed["target_id"]
    closed = json.loads(by_action["referral.business_closed"]["details"])
    assert closed == {"value": {"amount": "120.50", "currency": "EUR"}}
    assert by_action["member.joined"]["recorded_at"].endswith("Z")


def test_personal_text_appears_as_a_keyed_commitment_never_in_clear(log, store) -> None:
    text = json.dumps(project(log, store))
    for personal in ("ana@coop.test", "Ana Lima", "Lima Bakery", "Pruned trees", "Dora Diaz",
                     "bread"):
        assert personal not in text
    joined = [json.loads(line["details"]) for line in lines_of(rows_of(store, audit()))
              if line["action"] == "member.joined"]
    assert all(d["email"].startswith("hmac-sha256:") for d in joined)
    assert joined[2]["business"] == ""  # nothing to hide stays empty
    # Governance text stays readable.
    assert "Plant figs" in text


def test_a_commitment_depends_on_the_networks_secret(log, tmp_path) -> None:
    def first_email(secret: bytes, name: str) -> str:
        store = ReadModelStore(StoreParams(sqlite_path=tmp_path / name))
        create_tables(store, [audit(secret)])
        rows = project(log, store, projection=audit(secret))
        store.close()
        return json.loads(lines_of(rows)[0]["details"])["email"]

    assert first_email(b"a" * 32, "a.sqlite") != first_email(b"b" * 32, "b.sqlite")


def test_a_secret_ballot_shows_no_choice_an_open_one_does(log, store) -> None:
    ballots = [line for line in lines_of(project(log, store, batch_size=2))
               if line["target_type"] == "ballot"]
    secret, open_ = ballots[:2], ballots[2:]
    for line in secret:
        details = json.loads(line["details"])
        assert details.get("sealed") == REDACTED and details.get("choice") is None
    assert [json.loads(line["details"])["choice"] for line in open_] == ["yes", "no"]
    assert "U2VhbGVk" not in json.dumps(rows_of(store, audit()))


def test_a_ballot_field_named_sealed_is_redacted_whatever_the_proposal(store) -> None:
    log = FakeLog()
    # A ballot on a proposal the chain has never seen opened.
    orphan = Ballot.cast(proposal_id=uuid4(), sealed="c2VjcmV0", by=Member.create_id("y@y.co"))
    for event in orphan.collect_events():
        log.append(event)
    [line] = lines_of(project(log, store))
    assert json.loads(line["details"])["sealed"] == REDACTED


def test_the_members_lines_are_those_they_acted_in_or_are_party_to(log, store) -> None:
    rows = project(log, store)
    actions = {line["position"]: line["action"] for line in lines_of(rows)}
    ben = str(Member.create_id("ben@coop.test"))
    cat = str(Member.create_id("cat@coop.test"))
    bens = [actions[p] for m, p in rows["audit_involved"] if m == ben]
    # His joining, his admission, the give he received (every event of it), the
    # referral he made (including what its receiver did with it), his ballots.
    assert bens.count("give.recorded") == bens.count("give.confirmed") == 1
    assert {"member.joined", "circle.member_admitted", "referral.business_closed",
            "ballot.changed"} <= set(bens)
    assert "circle.formed" not in bens
    assert [actions[p] for m, p in rows["audit_involved"] if m == cat] == ["member.joined"]
    # Ana gave: Ben's confirmation of her give is one of her lines too.
    ana = str(Member.create_id("ana@coop.test"))
    assert "give.confirmed" in [actions[p] for m, p in rows["audit_involved"] if m == ana]


def test_batches_of_any_size_give_the_same_rows(log, tmp_path) -> None:
    def rows(batch_size: int) -> dict[str, list[tuple[Any, ...]]]:
        store = ReadModelStore(StoreParams(sqlite_path=tmp_path / f"{batch_size}.sqlite"))
        create_tables(store, [audit()])
        found = project(log, store, batch_size)
        store.close()
        return found

    assert rows(1) == rows(3) == rows(1000)
