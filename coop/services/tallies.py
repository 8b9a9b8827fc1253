"""Counting a proposal at close, provisionally while open, and again from the log.

The close and the recount read the same events (up to the cut the close recorded) and
call the same pure counting functions of ``domain/counting``; the recount also checks
the frozen electorate's hash, the tie-break seed against its commitment and, for a
secret ballot, the mixed box against the ballots cast.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from coop.application import CoopApplication
from coop.services.ballot_box import BallotBox
from coop.services.ballot_log import CastBallots, read_cast
from domain.ballot import Ballot
from domain.counting import (
    COUNTING_VERSION,
    check_choice,
    delegation_effect,
    tally_ballots,
    tally_mixed,
)
from domain.counting.common import Rules, canonical
from domain.errors import InvalidChoice, ResultsHidden
from domain.proposal import CLOSED, OPEN, Proposal, electorate_hash, seed_commitment

# Provisional counts must not hint at the real seed before it is revealed.
PROVISIONAL_SEED = "provisional"


def objections_of(proposal: Proposal) -> list[dict[str, Any]]:
    return [{"number": o["number"], "status": o["status"], "resolution": o["resolution"]}
            for o in proposal.objections]


class Tallies:
    def __init__(self, app: CoopApplication, box: BallotBox) -> None:
        self.app, self.box = app, box

    def at_close(self, proposal: Proposal) -> tuple[dict[str, Any], list[Any], int, str]:
        """Return the tally, the mixed box, the cut and the seed to close a proposal."""
        rules = proposal.open_rules()
        cut = self.app.last_position()
        cast = read_cast(self.app, proposal, upto=cut)
        seed = self.box.seed(proposal.id)
        tally, mixed = tally_ballots(
            rules, electorate=proposal.electorate, choices=self._choices(proposal, rules, cast),
            delegations=cast.delegations, seed=seed, objections=objections_of(proposal))
        return tally, mixed, cut, seed

    def provisional(self, proposal: Proposal) -> dict[str, Any]:
        """Return the running count of an open proposal whose rules show counts."""
        rules = proposal.open_rules()
        if not rules.shows_counts_while_open:
            raise ResultsHidden("counts of this proposal are hidden until it closes")
        cast = read_cast(self.app, proposal, upto=self.app.last_position())
        tally, _ = tally_ballots(
            rules, electorate=proposal.electorate, choices=cast.plain,
            delegations=cast.delegations, seed=PROVISIONAL_SEED,
            objections=objections_of(proposal))
        for final in ("outcome", "winner", "why", "tie_break_order"):
            tally.pop(final, None)
        return tally

    def turnout(self, proposal: Proposal) -> int:
        """Return how many members of the electorate have cast a ballot so far."""
        cast = read_cast(self.app, proposal, upto=self.app.last_position())
        return len(cast.voters)

    def _choices(self, proposal: Proposal, rules: Rules, cast: CastBallots) -> dict[UUID, Any]:
        if not rules.secret:
            return dict(cast.plain)
        return {
            voter: check_choice(rules, self.box.open(
                proposal.id, Ballot.create_id(proposal.id, voter), sealed))
            for voter, sealed in cast.sealed.items()
        }

    # The recount
    def recount(self, proposal: Proposal) -> dict[str, Any]:
        """Recount a proposal from its events; say what agrees and what does not."""
        report: dict[str, Any] = {
            "proposal_id": proposal.id, "title": proposal.title, "state": proposal.state,
            "tally": None, "recorded": None, "agrees": None, "problems": [], "checks": [],
        }
        if proposal.state not in (OPEN, CLOSED):
            return report
        rules = proposal.open_rules()
        electorate = proposal.electorate
        problems, checks = report["problems"], report["checks"]
        if electorate_hash(electorate) == proposal.electorate_hash:
            checks.append(f"electorate of {len(electorate)} matches its hash")
        else:
            problems.append("the electorate does not match the hash recorded at opening")
        if proposal.state == OPEN:
            if rules.shows_counts_while_open:
                report["tally"] = self.provisional(proposal)
            report["agrees"] = not problems
            return report
        result = proposal.result
        assert result is not None
        report["recorded"] = result["tally"]
        seed = result["tie_break_seed"]
        if seed_commitment(seed) == proposal.tie_break_commitment:
            checks.append("tie-break seed matches the commitment made at opening")
        else:
            problems.append("the revealed tie-break seed does not match its commitment")
        if result["counting_version"] != COUNTING_VERSION:
            checks.append(f"recorded with counting version {result['counting_version']}, "
                          f"recounted with version {COUNTING_VERSION}")
        cast = read_cast(self.app, proposal, upto=result["cut"])
        objections = objections_of(proposal)
        if rules.secret:
            tally = self._recount_secret(proposal, rules, cast, result, seed, objections,
                                         problems, checks)
        else:
            tally, _ = tally_ballots(rules, electorate=electorate, choices=cast.plain,
                                     delegations=cast.delegations, seed=seed,
                                     objections=objections)
        report["tally"] = tally
        problems.extend(differences(result["tally"], tally))
        if (result["outcome"], result["winner"]) != (tally["outcome"], tally["winner"]):
            problems.append("the recorded outcome is not the recorded tally's outcome")
        report["agrees"] = not problems
        return report

    def _recount_secret(self, proposal: Proposal, rules: Rules, cast: CastBallots,
                        result: dict[str, Any], seed: str, objections: list[dict[str, Any]],
                        problems: list[str], checks: list[str]) -> dict[str, Any]:
        mixed = list(result["mixed_choices"] or [])
        for choice in mixed:
            try:
                if check_choice(rules, choice) != choice:
                    raise InvalidChoice("not canonical")
            except InvalidChoice:
                problems.append(f"the mixed box holds a choice that is not valid: {choice!r}")
                break
        effect = delegation_effect(rules, proposal.electorate, cast.voters, cast.delegations)
        expected = len(cast.voters) + effect.delegated_votes
        if len(mixed) == expected:
            checks.append(f"mixed box holds {len(mixed)} votes: {len(cast.voters)} ballots"
                          f" + {effect.delegated_votes} delegated")
        else:
            problems.append(f"the mixed box holds {len(mixed)} votes but {len(cast.voters)} "
                            f"ballots and {effect.delegated_votes} delegated votes were cast")
        if self.box.available:
            _, opened = tally_ballots(rules, electorate=proposal.electorate,
                                      choices=self._choices(proposal, rules, cast),
                                      delegations=cast.delegations, seed=seed)
            if Counter(map(canonical, opened)) == Counter(map(canonical, mixed)):
                checks.append("sealed ballots, opened with the ballot key, match the mixed box")
            else:
                problems.append("the sealed ballots do not match the mixed box")
        else:
            checks.append("sealed ballots not opened: no ballot key here")
        return tally_mixed(rules, electorate=proposal.electorate, voters=cast.voters,
                           delegations=cast.delegations, mixed=mixed, seed=seed,
                           objections=objections)


def differences(recorded: dict[str, Any], recounted: dict[str, Any]) -> list[str]:
    """Return one line per figure on which the recorded and recounted tallies differ."""
    lines = []
    for key in sorted(set(recorded) | set(recounted)):
        if recorded.get(key) != recounted.get(key):
            lines.append(f"{key}: recorded {_short(recorded.get(key))}, "
                         f"recounted {_short(recounted.get(key))}")
    return lines


def _short(value: object) -> str:
    text = canonical(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."
