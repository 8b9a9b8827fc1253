"""Reading the decision views: open proposals, drafts, outcomes, withdrawals, pending votes.

Every list may be read for the whole network or one circle, now or as of a past
moment. As of a moment, a proposal is in the state it was in then: open proposals show
no outcome even if they have closed since, and no count of any kind is given for a
proposal that was open then (the read model has none: see projections/decisions.py).
Titles are as they are now (an edited draft shows its latest title).

Results are plain values: dicts, UUIDs, datetimes and timedeltas (time left, computed
at read time from the ``now`` given).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.errors import InvalidValue
from projections.base import micros
from projections.directory import circle_names, names
from projections.ledger_tables import time_of
from projections.listing import Page, Paging, Reader, parse_id, uuid_of
from projections.store import Tx

OPEN, DRAFTS, OUTCOMES, WITHDRAWN = "open", "drafts", "outcomes", "withdrawn"
SECTIONS = (OPEN, DRAFTS, OUTCOMES, WITHDRAWN)

# Each section: its condition now (by state), as of a moment (by the times of the
# events; each ? is the moment), and its order.
_WHERE_NOW = {
    OPEN: "p.state = 'open'",
    DRAFTS: "p.state = 'drafted'",
    OUTCOMES: "p.state = 'closed'",
    WITHDRAWN: "p.state = 'withdrawn'",
}
_WHERE_AS_OF = {
    OPEN: "p.opened_at <= ? AND (p.ended_at IS NULL OR p.ended_at > ?)",
    DRAFTS: "p.drafted_at <= ? AND (p.opened_at IS NULL OR p.opened_at > ?) "
            "AND (p.ended_at IS NULL OR p.ended_at > ?)",
    OUTCOMES: "p.state = 'closed' AND p.ended_at <= ?",
    WITHDRAWN: "p.state = 'withdrawn' AND p.ended_at <= ?",
}
_ORDER = {
    OPEN: "p.closes_at, p.proposal_id",
    DRAFTS: "p.drafted_position DESC",
    OUTCOMES: "p.ended_position DESC",
    WITHDRAWN: "p.ended_position DESC",
}
_COLUMNS = ("p.proposal_id, p.circle_id, p.title, p.method, p.author_id, p.drafted_at, "
            "p.opened_at, p.closes_at, p.secret, p.hidden_results, p.delegation, "
            "p.electorate, p.decided_under, p.ended_at, p.outcome, p.winner, p.ballots, "
            "p.votes, p.turnout, p.quorum_met, p.early, p.withdrawal_reason")


class Decisions(Reader):
    """The decision views of the network and of each circle."""

    def section(self, name: str, paging: Paging, *, now: datetime,
                circle_id: Any = None, as_of: datetime | None = None,
                ) -> Page[dict[str, Any]]:
        """Return a page of one section (open, drafts, outcomes, withdrawn).

        ``now`` is the moment time left is counted from; ``as_of``, when given, reads
        the section as it stood then (and time left is counted from it).
        """
        if name not in SECTIONS:
            raise ValueError(f"no such section: {name}")  # a programming error
        where, params = [], []
        if as_of is None:
            where.append(_WHERE_NOW[name])
        else:
            moment = micros(_aware(as_of))
            where.append(_WHERE_AS_OF[name])
            params += [moment] * _WHERE_AS_OF[name].count("?")
        if circle_id is not None:
            where.append("p.circle_id = ?")
            params.append(parse_id(circle_id, "circle"))
        with self._read() as tx:
            rows = tx.fetchall(
                f"SELECT {_COLUMNS} FROM {{decision_proposals}} p WHERE {' AND '.join(where)} "
                f"ORDER BY {_ORDER[name]} LIMIT ? OFFSET ?",
                [*params, paging.limit, paging.offset])
            page = paging.page(rows)
            items = _proposals(tx, page.items, name, as_of or _aware(now))
        return Page(items, page.number, page.size, page.has_next)

    def pending(self, member_id: Any, *, now: datetime,
                circle_id: Any = None) -> list[dict[str, Any]]:
        """Return the open proposals (closing after ``now``) on which the member may vote
        and has not voted, soonest closing first.

        On a proposal whose results are hidden the read model does not know who voted:
        such a proposal is listed with ``ballot_known`` False, for the caller to ask the
        member's own ballot.
        """
        member = parse_id(member_id, "member")
        where, params = ["e.member_id = ?", "p.state = 'open'", "p.closes_at > ?"], [
            member, micros(_aware(now))]
        if circle_id is not None:
            where.append("p.circle_id = ?")
            params.append(parse_id(circle_id, "circle"))
        with self._read() as tx:
            rows = tx.fetchall(
                f"SELECT {_COLUMNS} FROM {{decision_electorate}} e JOIN {{decision_proposals}} p "
                f"ON p.proposal_id = e.proposal_id WHERE {' AND '.join(where)} "
                "AND NOT EXISTS (SELECT 1 FROM {decision_voters} v "
                "WHERE v.proposal_id = e.proposal_id AND v.member_id = e.member_id) "
                f"ORDER BY {_ORDER[OPEN]}", params)
            items = _proposals(tx, rows, OPEN, _aware(now))
        for item in items:
            item["ballot_known"] = not item["hidden_results"]
        return items

    def counts(self, *, circle_id: Any = None) -> dict[str, int]:
        """Return how many proposals each section holds now."""
        where, params = "", []
        if circle_id is not None:
            where, params = "WHERE circle_id = ? ", [parse_id(circle_id, "circle")]
        with self._read() as tx:
            found = dict(tx.fetchall(  # type: ignore[arg-type]
                f"SELECT state, COUNT(*) FROM {{decision_proposals}} {where}GROUP BY state",
                params))
        return {OPEN: found.get("open", 0), DRAFTS: found.get("drafted", 0),
                OUTCOMES: found.get("closed", 0), WITHDRAWN: found.get("withdrawn", 0)}


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidValue("a moment to read decisions at must carry its time zone")
    return moment


def _proposals(tx: Tx, rows: list[tuple[Any, ...]], section: str,
               moment: datetime) -> list[dict[str, Any]]:
    """Return rows of ``_COLUMNS`` as plain values, as the section shows them at
    ``moment``: the outcome only in the outcomes section."""
    who = names(tx, [r[4] for r in rows])
    where = circle_names(tx, [r[1] for r in rows])
    items = []
    for (p, circle, title, method, author, drafted, opened, closes, secret, hidden,
         delegation, electorate, under, ended, outcome, winner, ballots, votes, turnout,
         quorum_met, early, reason) in rows:
        item: dict[str, Any] = {
            "id": uuid_of(p), "circle": {"id": uuid_of(circle), "name": where.get(circle, "")},
            "title": title, "method": method,
            "author": {"id": uuid_of(author), "name": who.get(author, "")},
            "state": {OPEN: "open", DRAFTS: "drafted", OUTCOMES: "closed",
                      WITHDRAWN: "withdrawn"}[section],
            "drafted_at": time_of(drafted),
        }
        if section != DRAFTS:
            item |= {
                "opened_at": time_of(opened) if opened is not None else None,
                "closes_at": time_of(closes) if closes is not None else None,
                "secret": bool(secret), "hidden_results": bool(hidden),
                "delegation": bool(delegation), "electorate": electorate,
                "decided_under": under or None,
            }
        if section == OPEN:
            item["time_left"] = time_of(closes) - moment
        elif section == OUTCOMES:
            item |= {"closed_at": time_of(ended), "outcome": outcome, "winner": winner,
                     "ballots": ballots, "votes": votes, "turnout": turnout,
                     "quorum_met": bool(quorum_met), "early": bool(early)}
        elif section == WITHDRAWN:
            item |= {"withdrawn_at": time_of(ended), "reason": reason}
        items.append(item)
    return items
