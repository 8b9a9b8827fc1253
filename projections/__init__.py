"""Read models built from the one event log (see docs/ARCHITECTURE.md, docs/ledger.md).

- ``store``: where read models live (an SQLite file, or the events' PostgreSQL
  schema) behind a small adapter, so projection SQL is written once.
- ``base``: what a projection is (name, events read, tables, ``process``).
- ``projector``: reads the log in position order and writes each batch's rows and
  position in one transaction, exactly once; ``rebuild`` rebuilds into fresh tables.
- ``ledger*``: the fair-share ledger (tables, projection, sums, queries).

Imports ``domain`` and the eventsourcing library only, never ``coop``.
"""
