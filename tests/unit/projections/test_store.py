"""SQL written once: table names and placeholders per database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from projections.base import Table, micros
from projections.pg_copy import copyable
from projections.store import ReadModelStore, StoreParams


def test_templates_name_the_live_tables_or_a_rebuilds_fresh_ones(tmp_path):
    store = ReadModelStore(StoreParams(sqlite_path=tmp_path / "rm.sqlite"))
    sql = "SELECT * FROM {gives} WHERE give_id = ?"
    assert store.compile(sql, {}) == "SELECT * FROM rm_gives WHERE give_id = ?"
    assert store.compile(sql, {"gives": "rm_gives__b1"}) == (
        "SELECT * FROM rm_gives__b1 WHERE give_id = ?")


def test_postgresql_gets_its_own_placeholders():
    store = ReadModelStore(StoreParams(postgres={"dbname": "x", "host": "h", "port": "1",
                                                 "user": "u", "password": ""}))
    assert store.compile("UPDATE {t} SET a = ? WHERE b = ?", {}) == (
        "UPDATE rm_t SET a = %s WHERE b = %s")


def test_index_names_follow_the_physical_table_so_rebuilds_never_clash():
    table = Table("entries", "a TEXT NOT NULL, b BIGINT NOT NULL", key=("a",), indexes=("b",))
    assert table.index_sql("rm_entries__b9") == [
        "CREATE INDEX IF NOT EXISTS rm_entries__b9_ix0 ON rm_entries__b9 (b)"]


def test_times_are_exact_microseconds():
    moment = datetime(2025, 6, 30, 23, 59, 59, 999999, tzinfo=timezone.utc)
    assert micros(moment) - micros(moment - timedelta(microseconds=1)) == 1
    assert micros(datetime(1970, 1, 1, tzinfo=timezone.utc)) == 0


def test_postgresql_takes_many_rows_by_copy_only_where_it_means_the_same():
    plain = "INSERT INTO rm_t (a, b) VALUES (%s, %s)"
    upsert = plain + " ON CONFLICT (a) DO UPDATE SET b = rm_t.b + excluded.b"
    assert copyable(plain, [(1, 2), (1, 3)]) == ("rm_t", "a, b", "")
    assert copyable(upsert, [(1, 2), (2, 3)]) == (
        "rm_t", "a, b", "ON CONFLICT (a) DO UPDATE SET b = rm_t.b + excluded.b")
    # Row by row, the second row would add to the first: one INSERT ... SELECT cannot.
    assert copyable(upsert, [(1, 2), (1, 3)]) is None
    # A value that is not a parameter cannot be copied.
    assert copyable("INSERT INTO rm_t (a, b) VALUES (%s, 0)", [(1,)]) is None
    assert copyable("UPDATE rm_t SET a = %s", [(1,)]) is None
