"""The composition root: builds the application and its services once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coop.accounts import Accounts
from coop.accounts.idempotency import Idempotency
from coop.accounts.tokens import Tokens
from coop.audit import audit_projection
from coop.audit.export import AuditLog
from coop.application import CoopApplication
from coop.config import Settings
from coop.services.audit import Audit
from coop.services.authority import Authority
from coop.services.ballot_box import BallotBox
from coop.services.ballots import Ballots
from coop.services.delegations import Delegations
from coop.services.fairshare import FairShare
from coop.services.proposals import Proposals
from coop.services.tallies import Tallies
from coop.services.circles import Circles
from coop.services.gives import Gives
from coop.services.members import Members
from coop.services.postings import Postings
from coop.services.referrals import Referrals
from projections.activity import ActivityProjection
from projections.activity_queries import Activity
from projections.base import Projection
from projections.board import Board
from projections.directory import DirectoryProjection
from projections.directory_queries import Directory
from projections.decisions import DecisionsProjection
from projections.decisions_queries import Decisions
from projections.distributions import Distributions, DistributionsProjection
from projections.ledger import LedgerProjection, LedgerQueries
from projections.listing import CatchingUp
from projections.postings import PostingsProjection
from projections.projector import Projector
from projections.projector import create_tables as create_read_model_tables
from projections.store import ReadModelStore, StoreParams


@dataclass
class Network:
    """Everything a caller (CLI, web) needs, built from one Settings."""

    settings: Settings
    app: CoopApplication
    authority: Authority
    members: Members
    circles: Circles
    postings: Postings
    gives: Gives
    referrals: Referrals
    accounts: Accounts
    tokens: Tokens
    idempotency: Idempotency
    read_models: ReadModelStore
    projector: Projector
    ledger: LedgerQueries
    directory: Directory
    board: Board
    activity: Activity
    distributions: Distributions
    decisions: Decisions
    fairshare: FairShare
    ballot_box: BallotBox
    proposals: Proposals
    ballots: Ballots
    delegations: Delegations
    audit: Audit

    def close(self) -> None:
        self.accounts.close()
        self.read_models.close()
        self.app.close()


def build(settings: Settings | None = None, *, create_tables: bool = False) -> Network:
    """Return the network's services for ``settings`` (default: from the environment).

    Only ``coop init`` passes ``create_tables=True`` (create what is missing, bring
    the account tables to this code's version); everything else expects the store
    to exist at that version and says so clearly when it does not.
    """
    settings = settings or Settings.from_env()
    app = CoopApplication(settings, create_tables=create_tables)
    authority = Authority(app)
    ballot_box = BallotBox(settings)
    read_models = ReadModelStore(read_model_params(settings))
    accounts: Accounts | None = None
    try:
        if create_tables:
            ballot_box.ensure_key()
        # Credentials live beside the log, in tables of their own (coop/accounts);
        # coop init creates or upgrades them (coop/accounts/migrations.py).
        accounts = Accounts(settings, authority, create_tables=create_tables)
        projector = Projector(app.recorder, app.mapper, read_models,
                              [LedgerProjection(), audit_projection(ballot_box),
                               *list_projections()])
        if create_tables:
            create_read_model_tables(read_models, projector.projections.values())
    except BaseException:
        # A refused init (e.g. account tables from a newer Coop) leaves no connection open.
        for opened in (accounts, read_models, app):
            if opened is not None:
                opened.close()
        raise
    # Every ledger query first catches the ledger up: members read their own writes.
    ledger = LedgerQueries(read_models, catch_up=CatchingUp(projector, ["ledger"]))
    lists = list_queries(read_models, projector)
    return Network(
        settings=settings,
        app=app,
        authority=authority,
        members=Members(app, authority),
        circles=Circles(app, authority),
        postings=Postings(app, authority),
        gives=Gives(app, authority),
        referrals=Referrals(app, authority),
        accounts=accounts,
        tokens=Tokens(accounts.store, authority),
        idempotency=Idempotency(accounts.store),
        read_models=read_models,
        projector=projector,
        ledger=ledger,
        **lists,
        fairshare=FairShare(app, authority, ledger),
        ballot_box=ballot_box,
        proposals=Proposals(app, authority, ballot_box, Tallies(app, ballot_box)),
        ballots=Ballots(app, authority, ballot_box),
        delegations=Delegations(app, authority),
        audit=Audit(authority, projector, AuditLog(read_models)),
    )


def read_model_params(settings: Settings) -> StoreParams:
    """Return where the read models live: beside the events, in their own SQLite file
    or in the events' PostgreSQL schema."""
    if settings.database_url:
        return StoreParams(postgres=settings.postgres_params())
    return StoreParams(sqlite_path=settings.read_models_path)


def list_projections() -> list[Projection]:
    """Return the read models behind the portal's lists, dashboard and directory."""
    return [DirectoryProjection(), PostingsProjection(), ActivityProjection(),
            DistributionsProjection(), DecisionsProjection()]


def list_queries(store: ReadModelStore, projector: Projector) -> dict[str, Any]:
    """Return the list queries; each catches up the read models it reads first."""

    def catching_up(*names: str) -> Callable[[], object]:
        return CatchingUp(projector, names)

    return {
        "directory": Directory(store, catch_up=catching_up("directory", "postings")),
        "board": Board(store, catch_up=catching_up("directory", "postings")),
        "activity": Activity(store, catch_up=catching_up("directory", "postings", "activity")),
        "distributions": Distributions(store, catch_up=catching_up("directory", "distributions")),
        "decisions": Decisions(store, catch_up=catching_up("directory", "decisions")),
    }
