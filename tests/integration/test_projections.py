"""The projector over the real log, on each backend: exactly once, restartable,
rebuilds identical to the live read model, and "as of" equal to a cut log."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import HealthCheck, given, settings, strategies as st

from coop.bootstrap import Network, build, read_model_params
from coop.cli import main
from coop.config import Settings
from domain import clock
from domain.errors import CoopError
from domain.give import CONFIRMED, Give
from projections.ledger import LedgerProjection
from projections.ledger_tables import day_end
from projections.projector import ProjectionFailed, Projector, create_tables
from projections.store import ReadModelStore
from tests.unit.projections.fakes import Tally, rows_of

T0 = datetime(2025, 1, 1, 9, tzinfo=timezone.utc)


def second_projector(net: Network, projection: Any = None, batch_size: int = 1000,
                     ) -> tuple[Projector, ReadModelStore]:
    """Return another projector on ``net``'s log and read models, as a second process has."""
    store = ReadModelStore(read_model_params(net.settings))
    return Projector(net.app.recorder, net.app.mapper, store,
                     [projection or LedgerProjection()], batch_size=batch_size), store


def busy(net: Network, gives: int = 40, seed: int = 1) -> list[UUID]:
    """Play a few months of gives, disputes, reversals and referrals; return the members."""
    rng = random.Random(seed)
    moment = T0
    with clock.frozen_at(moment):
        steward = net.members.add(email="steward@coop.test", name="Steward", steward=True)
        people = [net.members.add(email=f"m{i}@coop.test", name=f"Member {i}") for i in range(5)]
        circle = net.circles.form(name="Makers")
        for p in people:
            net.circles.admit(circle, p)
    for i in range(gives):
        moment += timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 12))
        giver, receiver = rng.sample(people, 2)
        with clock.frozen_at(moment):
            give = net.gives.record(receiver_id=receiver, hours=f"{rng.randint(1, 16) / 4}",
                                    description="help", by=giver,
                                    circle_id=circle if i % 3 else None)
            fate = rng.random()
            if fate < 0.7:
                net.gives.confirm(give, by=receiver)
            elif fate < 0.85:
                net.gives.dispute(give, reason="not so", by=receiver)
            if fate < 0.1 or 0.8 < fate < 0.85:
                net.gives.reverse(give, reason="mistake", by=steward)
            if i % 4 == 0:
                referral = net.referrals.make(receiver_id=giver, prospect="a shop", need="x",
                                              warmth=3, by=receiver)
                net.referrals.accept(referral, by=giver)
                net.referrals.close_business(referral, value=f"{rng.randint(1, 900)}.50",
                                             currency=rng.choice(["EUR", "USD"]), by=giver)
    return people


def test_two_projectors_side_by_side_write_each_event_exactly_once(network):
    busy(network)
    others = [second_projector(network, batch_size=7) for _ in range(2)]
    threads = [threading.Thread(target=p.catch_up) for p, _ in others]
    for t in threads:
        t.start()
    network.projector.catch_up()  # and an in-request catch-up at the same time
    for t in threads:
        t.join()
    live = rows_of(network.read_models, LedgerProjection())

    network.projector.rebuild("ledger")

    assert rows_of(network.read_models, LedgerProjection()) == live
    for _, store in others:
        store.close()


def test_a_stale_batch_is_refused_and_writes_nothing(network):
    busy(network, gives=5)
    other, store = second_projector(network)
    ledger = other.projection("ledger")
    batch = other.pending(ledger, other.position(ledger), other.head())

    network.projector.catch_up()
    live = rows_of(network.read_models, ledger)

    assert other.apply(ledger, batch) is False
    assert rows_of(network.read_models, ledger) == live
    store.close()


def test_a_failure_mid_batch_leaves_no_rows_and_a_restart_resumes_there(network):
    busy(network, gives=6)
    tally = Tally(events=(Give.Recorded, Give.Confirmed))
    store = ReadModelStore(read_model_params(network.settings))
    create_tables(store, [tally])
    positions = [n.id for n in network.app.recorder.select_notifications(
        1, 1000, topics=tally.topics())]
    tally.fail_at = positions[6]  # the third event of the second batch of four
    crashing = Projector(network.app.recorder, network.app.mapper, store, [tally], batch_size=4)

    with pytest.raises(ProjectionFailed):
        crashing.catch_up()
    assert [r[0] for r in rows_of(store, tally)["tally"]] == positions[:4]
    store.close()

    # Started again (new connections), without the poison: every event, once.
    tally.fail_at = None
    again, store = second_projector(network, tally, batch_size=4)
    again.catch_up()
    rows = rows_of(store, tally)
    assert [r[0] for r in rows["tally"]] == positions
    assert rows["tally_total"][0][1] == len(positions)
    store.close()


def test_rebuild_equals_the_read_model_built_batch_by_batch(network):
    busy(network, gives=30, seed=2)
    network.projector.batch_size = 5
    network.projector.catch_up()
    live = rows_of(network.read_models, LedgerProjection())
    assert live["give_entries"] and live["closed_months"] and live["disputes"]

    network.projector.rebuild("ledger")

    assert rows_of(network.read_models, LedgerProjection()) == live


def test_as_of_equals_a_ledger_built_from_the_log_cut_at_that_date(network, tmp_path):
    busy(network, gives=40, seed=3)
    notes = network.app.recorder.select_notifications(1, 10_000)
    times = [network.app.mapper.to_domain_event(n).timestamp for n in notes]
    assert times == sorted(times)
    cut_day = (times[len(times) // 2]).date()

    # A second network holding only the events up to the end of that day.
    cut = build(Settings(data_dir=tmp_path / "cut"), create_tables=True)
    try:
        kept = [n for n, t in zip(notes, times) if t < datetime.combine(
            cut_day + timedelta(days=1), datetime.min.time(), timezone.utc)]
        cut.app.recorder.insert_events([StoredEvent(n.originator_id, n.originator_version,
                                                    n.topic, n.state) for n in kept])
        for circle in (None, *_circles(network)):
            as_of = network.ledger.ledger(circle, as_of=cut_day)
            built = cut.ledger.ledger(circle)
            for part in ("members", "totals", "months", "concentration"):
                assert as_of[part] == built[part]
            assert network.ledger.statement(_member(network, 1), as_of=cut_day)["lines"] == \
                cut.ledger.statement(_member(network, 1))["lines"]
    finally:
        cut.close()


def _circles(net: Network) -> list[str]:
    with net.read_models.reading() as tx:
        return [r[0] for r in tx.fetchall("SELECT circle_id FROM {circles}")]


def _member(net: Network, i: int) -> UUID:
    return net.members.id_for_email(f"m{i}@coop.test")


def test_coop_projections_status_and_rebuild(network, monkeypatch, capsys):
    monkeypatch.setenv("COOP_DATA_DIR", str(network.settings.data_dir))
    if network.settings.database_url:
        monkeypatch.setenv("COOP_DATABASE_URL", network.settings.database_url)
    else:
        monkeypatch.delenv("COOP_DATABASE_URL", raising=False)
    busy(network, gives=3)
    head = network.app.last_position()

    assert main(["projections", "status"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[:4] for line in out.splitlines()[1:]}
    assert rows["ledger"] == ["ledger", "0", str(head), str(head)]

    assert main(["projector", "--once"]) == 0
    assert main(["projections", "rebuild", "ledger"]) == 0
    assert f"Rebuilt ledger up to log position {head}" in capsys.readouterr().out
    assert main(["projections", "rebuild", "nothing"]) == 1
    assert "no projection called 'nothing'" in capsys.readouterr().err


# -- random histories (SQLite: a fresh store per example) ---------------------------------

OPS = ["give", "give", "confirm", "confirm", "dispute", "reverse", "refer", "depart",
       "admit", "catch_up"]
step = st.tuples(st.sampled_from(OPS), st.integers(0, 3), st.integers(0, 3),
                 st.sampled_from(["0.25", "1", "2.5", "7"]), st.integers(0, 2),
                 st.integers(0, 19))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(history=st.lists(step, min_size=1, max_size=30), batch=st.integers(1, 6),
       as_of_days=st.integers(0, 400))
def test_random_histories_keep_the_ledger_exact(history, batch, as_of_days):
    with tempfile.TemporaryDirectory() as folder:
        net = build(Settings(data_dir=Path(folder)), create_tables=True)
        try:
            net.projector.batch_size = batch
            _play(net, history)
            net.projector.catch_up()
            live = rows_of(net.read_models, LedgerProjection())

            # Rebuild equals incremental, row for row.
            net.projector.rebuild("ledger")
            assert rows_of(net.read_models, LedgerProjection()) == live

            now = net.ledger.ledger()
            assert sum(m["balance"] for m in now["members"]) == 0
            for m in now["members"]:
                assert net.ledger.statement(m["member_id"])["balance"] == m["balance"]

            as_of = T0.date() + timedelta(days=as_of_days)
            expected = _recount(net, day_end(as_of))
            got = {m["member_id"]: (m["given"], m["received"])
                   for m in net.ledger.ledger(as_of=as_of)["members"]}
            assert {k: v for k, v in got.items() if v != (0, 0)} == expected
        finally:
            net.close()


def _play(net: Network, history: list[tuple]) -> None:
    moment = T0
    with clock.frozen_at(moment):
        steward = net.members.add(email="s@coop.test", name="Steward", steward=True)
        people = [net.members.add(email=f"p{i}@coop.test", name=f"P{i}") for i in range(4)]
        outer = net.circles.form(name="Outer")
        inner = net.circles.form(name="Inner", parent_id=outer)
        for p in people:
            net.circles.admit(outer, p)
        for p in people[:2]:
            net.circles.admit(inner, p)
    gives: list[tuple[UUID, UUID]] = []
    for op, a, b, hours, where, days in history:
        moment += timedelta(days=days, minutes=1)
        circle = (None, outer, inner)[where]
        with clock.frozen_at(moment):
            try:
                if op == "give" and a != b:
                    gives.append((net.gives.record(receiver_id=people[b], hours=hours,
                                                   description="h", circle_id=circle,
                                                   by=people[a]), people[b]))
                elif op in ("confirm", "dispute", "reverse") and gives:
                    give, receiver = gives[(a * 4 + b) % len(gives)]
                    if op == "confirm":
                        net.gives.confirm(give, by=receiver)
                    elif op == "dispute":
                        net.gives.dispute(give, reason="no", by=receiver)
                    else:
                        net.gives.reverse(give, reason="undo", by=steward)
                elif op == "refer" and a != b:
                    r = net.referrals.make(receiver_id=people[b], prospect="p", need="n",
                                           warmth=3, circle_id=circle, by=people[a])
                    net.referrals.accept(r, by=people[b])
                    if where:
                        net.referrals.close_business(r, value="10.50", currency="EUR",
                                                     by=people[b])
                elif op == "depart":
                    net.circles.depart(outer, people[a], by=people[a])
                elif op == "admit":
                    net.circles.admit(outer, people[a])
                elif op == "catch_up":
                    net.projector.catch_up()
            except CoopError:
                pass  # a refused command leaves no event, as in real life


def _recount(net: Network, before: int) -> dict[UUID, tuple[D, D]]:
    """Recount hours given and received straight from the events before ``before``."""
    gives: dict[UUID, Any] = {}
    totals: dict[UUID, list[D]] = {}
    for note in net.app.recorder.select_notifications(1, 100_000):
        event = net.app.mapper.to_domain_event(note)
        if event.timestamp >= datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(
                microseconds=before):
            break
        if isinstance(event, Give.Recorded):
            gives[event.originator_id] = event
        sign = {Give.Confirmed: 1, Give.Reversed: -1}.get(type(event), 0)
        if type(event) is Give.Reversed and event.was != CONFIRMED:
            sign = 0
        if sign:
            g = gives[event.originator_id]
            totals.setdefault(g.giver, [D(0), D(0)])[0] += sign * g.hours
            totals.setdefault(g.receiver, [D(0), D(0)])[1] += sign * g.hours
    return {m: (g, r) for m, (g, r) in totals.items() if (g, r) != (0, 0)}


def test_coop_projector_stops_cleanly_on_sigterm(sqlite_network):
    busy(sqlite_network, gives=2)
    env = {**os.environ, "COOP_DATA_DIR": str(sqlite_network.settings.data_dir),
           "PYTHONUNBUFFERED": "1"}
    env.pop("COOP_DATABASE_URL", None)
    projector = subprocess.Popen(
        [sys.executable, "-c", "from coop.cli import run; run()", "projector", "--interval",
         "0.1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Wait until it has caught up (its first report), then ask it to stop.
        assert projector.stdout.readline().startswith("Projecting ")
        for line in projector.stdout:  # ends early only if the projector died
            if "ledger: wrote" in line:
                break
        projector.send_signal(signal.SIGTERM)
        out, err = projector.communicate(timeout=30)
    finally:
        if projector.poll() is None:  # never leave it running, whatever failed
            projector.kill()
            projector.wait()

    assert projector.returncode == 0, err
    assert out.strip().endswith("Projector stopped.")
    [ledger] = [p for p in sqlite_network.projector.status() if p["name"] == "ledger"]
    assert ledger["lag_events"] == 0
