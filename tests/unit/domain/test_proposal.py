"""The proposal's life: drafted, opened under locked rules, objected to, closed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest

from domain.counting import tally_ballots
from domain.counting.common import Rules
from domain.errors import (
    InvalidRules,
    InvalidText,
    NotAllowed,
    NotInElectorate,
    ProposalStateConflict,
    VotingClosed,
)
from domain.proposal import (
    CLOSED,
    OPEN,
    WITHDRAWN,
    Proposal,
    electorate_hash,
    seed_commitment,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=7)
AUTHOR, ANA, BEN = UUID(int=1), UUID(int=2), UUID(int=3)
SEED = "seed"


def drafted(method: str = "yes_no", options: tuple[str, ...] = ()) -> Proposal:
    return Proposal.draft(circle_id=uuid4(), title="Plant an orchard", text="Ten trees.",
                          method=method, options=options, by=AUTHOR)


def opened(method: str = "yes_no", options: tuple[str, ...] = (), **rules: object) -> Proposal:
    p = drafted(method, options)
    p.open(rules=Rules.make(method=p.method, options=p.options, **rules), closes_at=LATER,
           electorate=[BEN, AUTHOR, ANA], mandate=None, tie_break_commitment=seed_commitment(SEED),
           now=NOW, by=AUTHOR)
    return p


def close(p: Proposal, *, now: datetime = LATER, early: bool = False) -> None:
    tally, mixed = tally_ballots(p.open_rules(), electorate=p.electorate, choices={},
                                 delegations={}, seed=SEED)
    p.close(tally=tally, seed=SEED, mixed=mixed, cut=1, now=now, early=early, by=AUTHOR)


def test_a_draft_is_editable_until_opened() -> None:
    p = drafted()
    p.edit(title="Plant a hedge", text="Forty metres.", method="approval",
           options=["hawthorn", "hazel"], by=AUTHOR)
    assert (p.title, p.method, p.options) == ("Plant a hedge", "approval", ["hawthorn", "hazel"])
    p.open(rules=Rules.make(method=p.method, options=p.options), closes_at=LATER,
           electorate=[ANA], mandate=None, tie_break_commitment="c", now=NOW, by=AUTHOR)
    with pytest.raises(ProposalStateConflict, match="open: one cannot edit"):
        p.edit(title="x", text="y", method="yes_no", options=(), by=AUTHOR)


def test_opening_locks_the_rules_and_freezes_a_sorted_electorate_with_its_hash() -> None:
    p = opened(quorum="1/2", secret=True, hidden_results=True)
    assert p.state == OPEN
    assert p.electorate == [AUTHOR, ANA, BEN]  # sorted by id text
    assert p.electorate_hash == electorate_hash([ANA, BEN, AUTHOR])
    assert p.rules is not None and p.rules.secret and p.rules.hidden_results
    assert p.tie_break_commitment == seed_commitment(SEED)


def test_the_electorate_hash_is_of_the_canonical_list() -> None:
    import hashlib
    canonical = ('["00000000-0000-0000-0000-000000000001",'
                 '"00000000-0000-0000-0000-000000000002"]')
    assert electorate_hash([ANA, AUTHOR]) == hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.parametrize("closes_at, message", [
    (NOW - timedelta(minutes=1), "in the future"),
    (datetime(2026, 4, 1, 12), "time zone"),
])
def test_the_closing_time_must_be_an_aware_future_time(closes_at: datetime,
                                                       message: str) -> None:
    p = drafted()
    with pytest.raises(InvalidRules, match=message):
        p.open(rules=Rules.make(method="yes_no", options=()), closes_at=closes_at,
               electorate=[ANA], mandate=None, tie_break_commitment="c", now=NOW, by=AUTHOR)


def test_a_circle_without_members_cannot_open_a_vote() -> None:
    with pytest.raises(ProposalStateConflict, match="no members"):
        drafted().open(rules=Rules.make(method="yes_no", options=()), closes_at=LATER,
                       electorate=[], mandate=None, tie_break_commitment="c", now=NOW,
                       by=AUTHOR)


def test_ballots_only_from_the_electorate_and_only_while_open() -> None:
    p = opened()
    p.check_takes_ballots(ANA, NOW)
    with pytest.raises(NotInElectorate):
        p.check_takes_ballots(uuid4(), NOW)
    with pytest.raises(VotingClosed, match="voting closed at"):
        p.check_takes_ballots(ANA, LATER)
    with pytest.raises(VotingClosed, match="not opened"):
        drafted().check_takes_ballots(ANA, NOW)


def test_closing_waits_for_the_closing_time_unless_early_close_is_allowed() -> None:
    p = opened()
    with pytest.raises(ProposalStateConflict, match="closes at"):
        close(p, now=NOW)
    with pytest.raises(ProposalStateConflict, match="do not allow closing early"):
        close(p, now=NOW, early=True)
    q = opened(allow_early_close=True)
    close(q, now=NOW, early=True)
    assert q.state == CLOSED and q.result is not None and q.result["early"]


def test_a_closed_proposal_records_the_tally_seed_and_counting_version() -> None:
    p = opened()
    close(p)
    assert p.result is not None
    assert (p.result["outcome"], p.result["tie_break_seed"]) == ("failed", SEED)
    assert p.result["counting_version"] == "1"
    with pytest.raises(ProposalStateConflict):
        p.withdraw(reason="too late", now=LATER, by=AUTHOR)


def test_a_seed_that_does_not_match_its_commitment_cannot_close() -> None:
    p = opened()
    tally, _ = tally_ballots(p.open_rules(), electorate=p.electorate, choices={},
                             delegations={}, seed="other")
    with pytest.raises(ProposalStateConflict, match="commitment"):
        p.close(tally=tally, seed="other", mixed=None, cut=1, now=LATER, early=False, by=AUTHOR)


def test_withdrawn_before_close_with_a_reason() -> None:
    p = opened()
    p.withdraw(reason="Superseded by the hedge proposal", now=NOW, by=AUTHOR)
    assert (p.state, p.withdrawal_reason) == (WITHDRAWN, "Superseded by the hedge proposal")
    with pytest.raises(VotingClosed, match="withdrawn"):
        p.check_takes_ballots(ANA, NOW)


def test_consent_objections_are_amended_ruled_out_or_withdrawn() -> None:
    p = opened("consent")
    first = p.raise_objection(reason="Too close to the well", now=NOW, by=ANA)
    second = p.raise_objection(reason="Who waters them?", now=NOW, by=BEN)
    third = p.raise_objection(reason="Wrong season", now=NOW, by=BEN)
    assert p.open_objections() == [first, second, third]
    # The author amends the text: objection 1 is resolved and the text version moves on.
    p.resolve_objection(number=first, how="amended", amended_text="Ten trees, by the gate.",
                        now=NOW, by=AUTHOR)
    assert (p.text, p.text_version) == ("Ten trees, by the gate.", 2)
    # Ruling out needs a reason.
    with pytest.raises(InvalidText, match="reason for ruling it out is required"):
        p.resolve_objection(number=second, how="ruled_out", now=NOW, by=AUTHOR)
    p.resolve_objection(number=second, how="ruled_out", note="The rota covers it",
                        now=NOW, by=AUTHOR)
    # Only the objector withdraws their own objection.
    with pytest.raises(NotAllowed):
        p.resolve_objection(number=third, how="withdrawn", now=NOW, by=ANA)
    p.resolve_objection(number=third, how="withdrawn", now=NOW, by=BEN)
    assert p.open_objections() == []
    with pytest.raises(ProposalStateConflict, match="no open objection number 1"):
        p.resolve_objection(number=first, how="ruled_out", note="again", now=NOW, by=AUTHOR)


def test_objections_belong_to_consent_and_to_the_electorate() -> None:
    with pytest.raises(ProposalStateConflict, match="consent proposals only"):
        opened().raise_objection(reason="no", now=NOW, by=ANA)
    with pytest.raises(NotInElectorate):
        opened("consent").raise_objection(reason="no", now=NOW, by=uuid4())


def test_a_vote_closes_within_two_years_of_opening() -> None:
    from datetime import timedelta

    from domain.counting.common import Rules
    from domain.errors import InvalidRules
    from domain.proposal import Proposal

    author = uuid4()
    proposal = Proposal.draft(circle_id=uuid4(), title="Figs", text="Plant two.", method="yes_no",
                              by=author)
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with pytest.raises(InvalidRules, match="within two years"):
        proposal.open(rules=Rules.make(method="yes_no", options=proposal.options),
                      closes_at=now + timedelta(days=800), electorate=[author], mandate=None,
                      tie_break_commitment="0" * 64, now=now, by=author)
