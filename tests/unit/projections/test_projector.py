"""The projector on its own: a fake log (with gaps in its positions) and a tally."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from projections.projector import ProjectionFailed, ProjectionOutdated, Projector, create_tables
from projections.store import ReadModelsNotInitialised, ReadModelStore, StoreParams
from tests.unit.projections.fakes import FakeLog, Failure, Tally, rows_of


@pytest.fixture
def store(tmp_path: Path) -> ReadModelStore:
    s = ReadModelStore(StoreParams(sqlite_path=tmp_path / "read_models.sqlite"))
    create_tables(s, [Tally()])
    yield s
    s.close()


def projector(log: FakeLog, store: ReadModelStore, tally: Tally | None = None,
              batch_size: int = 4) -> Projector:
    return Projector(log, log, store, [tally or Tally()], batch_size=batch_size)


def tallied(store: ReadModelStore) -> tuple[list[int], int]:
    """Return the positions the tally holds and how many events its total counted."""
    rows = rows_of(store, Tally())
    return [r[0] for r in rows["tally"]], (rows["tally_total"] or [(1, 0, 0)])[0][1]


def test_catch_up_writes_every_event_once_and_stands_at_the_head(store):
    log = FakeLog()
    log.add(23, every_third_ignored=True)
    p = projector(log, store)

    done = p.catch_up()

    noted = [n.id for n in log.notes if n.topic.endswith("Noted")]
    assert done == {"tally": len(noted)}
    assert tallied(store) == (noted, len(noted))
    # Events of other topics are passed over, and the gaps in positions too.
    assert p.position(Tally()) == log.notes[-1].id
    # Nothing new: nothing done.
    assert p.catch_up() == {"tally": 0}


def test_a_failing_batch_leaves_no_rows_and_the_next_run_resumes_where_it_stopped(store):
    log = FakeLog()
    log.add(12, gaps=False)
    tally = Tally()
    tally.fail_at = 7  # the third event of the second batch of four
    p = projector(log, store, tally)

    with pytest.raises(ProjectionFailed, match="'tally' .* after log position 4") as failed:
        p.catch_up()
    assert isinstance(failed.value.__cause__, Failure)

    # The first batch stands; of the second, not even the events before the failure.
    assert tallied(store) == ([1, 2, 3, 4], 4)
    assert p.position(tally) == 4

    tally.fail_at = None
    p.catch_up()
    assert tallied(store) == (list(range(1, 13)), 12)


def test_a_batch_someone_else_wrote_meanwhile_is_dropped_and_the_projector_carries_on(store):
    log = FakeLog()
    log.add(10, gaps=False)
    a, b = projector(log, store), projector(log, store)
    tally = a.projection("tally")

    # A reads its batch; before it writes, B catches up the whole way.
    batch = a.pending(tally, a.position(tally), log.max_notification_id())
    b.catch_up()

    assert a.apply(tally, batch) is False
    log.add(3, gaps=False)
    assert a.catch_up() == {"tally": 3}
    assert tallied(store) == (list(range(1, 14)), 13)


def test_projectors_side_by_side_write_each_event_exactly_once(tmp_path, store):
    log = FakeLog()
    log.add(300)
    # Each with its own connection, as two processes would have.
    stores = [ReadModelStore(StoreParams(sqlite_path=tmp_path / "read_models.sqlite"))
              for _ in range(3)]
    projectors = [projector(log, s, batch_size=3) for s in stores]
    threads = [threading.Thread(target=p.catch_up) for p in projectors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()

    noted = [n.id for n in log.notes]
    assert tallied(store) == (noted, len(noted))


def test_a_restarted_projector_goes_on_from_the_stored_position(tmp_path, store):
    log = FakeLog()
    log.add(9)
    projector(log, store).catch_up()
    log.add(5)

    # A new process: new store object, new connections.
    again = ReadModelStore(StoreParams(sqlite_path=tmp_path / "read_models.sqlite"))
    assert projector(log, again).catch_up() == {"tally": 5}
    again.close()
    assert tallied(store)[1] == 14


def test_rebuild_gives_the_rows_the_live_projector_wrote(store):
    log = FakeLog()
    log.add(40, every_third_ignored=True)
    p = projector(log, store, batch_size=3)
    p.catch_up()
    live = rows_of(store, Tally())
    seen: list[tuple[int, int]] = []

    position = p.rebuild("tally", progress=lambda done, head: seen.append((done, head)))

    assert rows_of(store, Tally()) == live
    assert position == p.position(Tally()) == log.notes[-1].id
    assert seen[-1] == (position, position)
    # The old tables went with the swap; only the live names remain.
    with store.reading() as tx:
        assert store.table_names(tx) == {"rm_tracking", "rm_tally", "rm_tally_total"}


def test_rebuild_drops_what_an_interrupted_rebuild_left_behind(store):
    log = FakeLog()
    log.add(10, gaps=False)
    tally = Tally()
    tally.fail_at = 6
    p = projector(log, store, tally)
    with pytest.raises(ProjectionFailed):
        p.rebuild("tally")
    with store.reading() as tx:
        assert store.table_names(tx) == {"rm_tracking", "rm_tally", "rm_tally_total"}

    tally.fail_at = None
    p.rebuild("tally")
    p.catch_up()
    assert tallied(store) == (list(range(1, 11)), 10)


def test_a_read_model_of_another_version_asks_for_a_rebuild(store):
    log = FakeLog()
    log.add(3)
    newer = Tally()
    newer.version = 2
    p = projector(log, store, newer)

    with pytest.raises(ProjectionOutdated, match="coop projections rebuild tally"):
        p.catch_up()
    assert p.status()[0]["outdated"] is True

    p.rebuild("tally")
    assert p.status()[0]["outdated"] is False
    assert tallied(store)[1] == 3


def test_status_reports_lag_in_positions_and_in_seconds(store):
    log = FakeLog()
    log.add(4, gaps=False)
    p = projector(log, store)
    p.catch_up()
    log.add(6, gaps=False)  # one event a minute

    [status] = p.status()

    assert status["position"] == 4
    assert status["lag_events"] == 6
    assert status["lag_seconds"] == 6 * 60.0
    p.catch_up()
    assert p.status()[0]["lag_events"] == 0


def test_run_polls_until_told_to_stop(store):
    log = FakeLog()
    log.add(5, gaps=False)
    p = projector(log, store)
    stop = threading.Event()
    said: list[str] = []

    def report(message: str) -> None:
        said.append(message)
        stop.set()  # as SIGTERM would

    p.run(0.01, stop, report)

    assert said == ["tally: wrote 5 events, now at position 5"]


def test_without_tables_the_error_says_to_run_init(tmp_path):
    log = FakeLog()
    log.add(1)
    bare = ReadModelStore(StoreParams(sqlite_path=tmp_path / "nothing.sqlite"))
    with pytest.raises(ReadModelsNotInitialised, match="coop init"):
        projector(log, bare).catch_up()
    assert not (tmp_path / "nothing.sqlite").exists()
