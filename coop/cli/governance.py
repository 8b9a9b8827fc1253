"""``coop tally`` and ``coop proposals ...``: recounting and closing proposals."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import click

from coop.cli.common import network
from domain import clock
from domain.counting.common import IRV, METHOD_NAMES, SCHULZE, YES_NO
from domain.errors import CoopError


class RecountDisagrees(CoopError):
    """The recount from the events does not give the recorded tally."""


def register(cli: click.Group) -> None:
    cli.add_command(tally)
    cli.add_command(proposals)


@click.command()
@click.argument("proposal_id")
def tally(proposal_id: str) -> None:
    """Recount PROPOSAL_ID from the events alone and print the tally.

    Exits 1 if the recount disagrees with the recorded outcome. Prints no count of an
    open proposal whose results are hidden.
    """
    with network() as net:
        proposal = net.proposals.get(proposal_id)
        report = net.proposals.recount(proposal_id)
    echo_header(proposal)
    state = proposal["state"]
    if state in ("drafted", "withdrawn"):
        click.echo(f"It is {state}: there is nothing to count.")
        return
    rules = proposal["rules"]
    if state == "open" and report["tally"] is None:
        why = ("its results are hidden until it closes" if rules["hidden_results"]
               else "it is a secret ballot: counts are shown only once it closes")
        click.echo(f"Voting {until(proposal)}; {why}. No counts shown.")
    elif report["tally"] is not None:
        if state == "open":
            click.echo(f"Voting {until(proposal)}: provisional count.")
        echo_tally(report["tally"], final=state == "closed")
    for check in report["checks"]:
        click.echo(f"  ok: {check}")
    if report["problems"]:
        for problem in report["problems"]:
            click.echo(f"  MISMATCH: {problem}")
        raise RecountDisagrees(
            f"recount disagrees with the recorded outcome of {proposal_id}: "
            f"{report['problems'][0]}")
    if state == "closed":
        click.echo("Recount agrees with the recorded outcome.")


@click.group()
def proposals() -> None:
    """Close proposals that are due, show a proposal."""


@proposals.command("close-due")
def close_due() -> None:
    """Close every open proposal whose closing time has passed (run it on a schedule)."""
    with network() as net:
        done = net.proposals.close_due()
    for item in done["closed"]:
        click.echo(f"Closed {item['id']} '{item['title']}': {describe_outcome(item)}")
    for item in done["failed"]:
        click.echo(f"Could not close {item['id']} '{item['title']}': {item['error']}", err=True)
    if not done["closed"] and not done["failed"]:
        click.echo("No proposal is due to close.")
    if done["failed"]:
        raise CoopError(f"{len(done['failed'])} proposal(s) could not be closed")


@proposals.command("show")
@click.argument("proposal_id")
def show(proposal_id: str) -> None:
    """Show a proposal, its rules and electorate (counts: see 'coop tally')."""
    with network() as net:
        p = net.proposals.get(proposal_id)
    echo_header(p)
    click.echo(p["text"])
    if p["rules"]:
        r = p["rules"]
        click.echo(f"  closes:     {p['closes_at']:%Y-%m-%d %H:%M} UTC")
        click.echo(f"  quorum:     {percent(r['quorum'])}")
        if r["method"] == YES_NO:
            click.echo(f"  threshold:  {'more than' if r['strict'] else 'at least'} "
                       f"{percent(r['threshold'])} of {r['base']}")
        flags = [name for name in ("secret", "hidden_results", "delegation", "allow_early_close")
                 if r[name]]
        click.echo(f"  rules:      {', '.join(flags) or 'open ballot, results shown'}")
        click.echo(f"  electorate: {len(p['electorate'])} (sha256 {p['electorate_hash']})")
        click.echo(f"  decided under: {p['decided_under']}")
    for o in p["objections"]:
        click.echo(f"  objection {o['number']} ({o['status']}): {o['reason']}")


def echo_header(p: dict[str, Any]) -> None:
    click.echo(f"{p['title']}  [{METHOD_NAMES[p['method']]}, {p['state']}]  id {p['id']}")


def until(p: dict[str, Any]) -> str:
    closes = f"{p['closes_at']:%Y-%m-%d %H:%M} UTC"
    if p["closes_at"] <= clock.now():
        return f"closed at {closes}, not yet counted (run 'coop proposals close-due')"
    return f"open until {closes}"


def percent(fraction: str | None) -> str:
    if fraction is None:
        return "-"
    f = Fraction(fraction)
    return f"{Decimal(f.numerator) / Decimal(f.denominator) * 100:.1f}% ({fraction})"


def describe_outcome(t: dict[str, Any]) -> str:
    if t["outcome"] == "winner":
        options = t.get("options")
        name = options[t["winner"]] if options else f"option {t['winner']}"
        return f"winner {name}"
    return str(t["outcome"])


def echo_tally(t: dict[str, Any], *, final: bool) -> None:
    d = t["delegation"]
    delegated = f" ({d['delegated_votes']} delegated)" if d["enabled"] else ""
    click.echo(f"Electorate {t['electorate']}, ballots {t['ballots']}, votes counted "
               f"{t['votes']}{delegated}, turnout {percent(t['turnout'])}, quorum "
               f"{percent(t['quorum'])} {'met' if t['quorum_met'] else 'NOT met'}")
    options = t["options"]
    method = t["method"]
    if method == YES_NO:
        click.echo(f"  yes {t['yes']}  no {t['no']}  abstain {t['abstain']}  support "
                   f"{percent(t['support'])} of {t['base']} (threshold "
                   f"{'>' if t['strict'] else '>='} {percent(t['threshold'])})")
    elif method == "consent":
        click.echo(f"  consent {t['consent']}  object {t['object']}  objections raised "
                   f"{len(t['objections'])}, still open {t['open_objections']}")
    elif method == "approval":
        for i, n in enumerate(t["approvals"]):
            click.echo(f"  {options[i]}: {n}")
    elif method == IRV:
        for number, row in enumerate(t["rounds"], 1):
            counts = "  ".join(f"{options[i]} {n}" for i, n in enumerate(row["counts"])
                               if n is not None)
            end = (f"-> {options[row['elected']]} elected" if row["elected"] is not None
                   else f"-> {options[row['eliminated']]} eliminated"
                   if row["eliminated"] is not None else "")
            tie = " (tie broken by the seeded order)" if row["tie_break"] else ""
            click.echo(f"  round {number}: {counts}  exhausted {row['exhausted']}  {end}{tie}")
    elif method == SCHULZE:
        for name, matrix in (("d (pairwise preferences)", t["d"]),
                             ("p (strongest paths)", t["p"])):
            click.echo(f"  {name}:")
            click.echo("      " + "".join(f"{i:>6}" for i in range(len(options))))
            for i, row in enumerate(matrix):
                click.echo(f"  {i:>3} " + "".join(
                    f"{'-' if v is None else v:>6}" for v in row) + f"   {options[i]}")
    if final:
        click.echo(f"Outcome: {describe_outcome(t)} ({t['why']})")
