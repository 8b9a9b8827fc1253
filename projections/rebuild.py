"""Rebuild a projection from the whole log into fresh tables, then swap them in.

Readers and the live projector keep using the old tables while the new ones fill
up. The swap is one transaction that locks the tracking row (so no batch of the
live projector is in flight), writes the few events that arrived meanwhile, drops
the old tables, renames the new ones and sets the position.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from projections.base import Projection, now_micros
from projections.projector import Projector, process
from projections.store import ReadModelStore, Tx

# Bigger than the live projector's batches: nobody waits on a rebuild's transactions.
REBUILD_BATCH = 20_000
BUILD_MARK = "__b"


def rebuild(projector: Projector, projection: Projection,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild ``projection``; call ``progress(position, head)`` after each batch.

    Return the position the rebuilt read model stands at.
    """
    store = projector.store
    tag = uuid4().hex[:8]
    names = {t.name: f"{store.physical(t.name)}{BUILD_MARK}{tag}" for t in projection.tables}
    _drop_leftovers(store, projection)
    with store.transaction(names=names) as tx:
        for table in projection.tables:
            tx.execute(table.create_sql(names[table.name], store.dialect))
            for sql in table.index_sql(names[table.name], lookups=True):
                tx.execute(sql)
    try:
        position, head = 0, projector.head()
        for batch in projector.batches(projection, 0, head, REBUILD_BATCH):
            if batch.events:
                with store.transaction(names=names) as tx:
                    process(projection, batch, tx)
            position = batch.end
            if progress:
                progress(position, head)
        with store.transaction(names=names) as tx:
            # Indexes after the bulk load: building them once is faster than keeping
            # them up to date row by row.
            for table in projection.tables:
                for sql in table.index_sql(names[table.name], lookups=False):
                    tx.execute(sql)
        with store.transaction(names=names) as tx:
            _lock(tx, projection)
            head = projector.head()
            while position < head:
                batch = projector.pending(projection, position, head, REBUILD_BATCH)
                if batch.events:
                    process(projection, batch, tx)
                position = batch.end
            for table in projection.tables:
                live = store.physical(table.name)
                tx.execute(f"DROP TABLE IF EXISTS {live}")
                tx.execute(f"ALTER TABLE {names[table.name]} RENAME TO {live}")
            tx.execute(
                "INSERT INTO {tracking} (projection, version, position, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (projection) DO UPDATE SET "
                "version = excluded.version, position = excluded.position, "
                "updated_at = excluded.updated_at",
                (projection.name, projection.version, position, now_micros()))
    except BaseException:
        _drop_leftovers(store, projection)
        raise
    return position


def _lock(tx: Tx, projection: Projection) -> None:
    """Wait for any batch of the live projector to finish, and hold it off."""
    sql = "SELECT position FROM {tracking} WHERE projection = ?"
    if tx.store.dialect == "postgres":
        tx.fetchall(sql + " FOR UPDATE", (projection.name,))
    # On SQLite the transaction's BEGIN IMMEDIATE already holds the write lock.


def _drop_leftovers(store: ReadModelStore, projection: Projection) -> None:
    """Drop build tables an interrupted rebuild of ``projection`` left behind."""
    with store.transaction() as tx:
        marks = tuple(f"{store.physical(t.name)}{BUILD_MARK}" for t in projection.tables)
        for name in sorted(store.table_names(tx)):
            if name.startswith(marks):
                tx.execute(f"DROP TABLE IF EXISTS {name}")
