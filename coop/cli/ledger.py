"""``coop ledger`` and ``coop statement``: the fair-share ledger and what explains it.

``--format json`` is the stable shape documented in docs/ledger.md: hours, money
and indices are strings (exact decimals), positions and counts are numbers.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import click

from coop.cli.common import network, resolve_member

FORMATS = click.Choice(["table", "csv", "json"])


def register(cli: click.Group) -> None:
    cli.add_command(ledger)
    cli.add_command(statement)


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (use YYYY-MM-DD)") from None


as_of_option = click.option("--as-of", "as_of", callback=_as_of, metavar="DATE",
                            help="Show figures as they stood at the end of this day (UTC).")
format_option = click.option("--format", "fmt", type=FORMATS, default="table",
                             show_default=True)


@click.command()
@click.option("--circle", "circle_id", metavar="ID",
              help="One circle (with the circles under it); default: the whole network.")
@as_of_option
@format_option
def ledger(circle_id: str | None, as_of: date | None, fmt: str) -> None:
    """Show hours given and received, balances and referrals of every member."""
    with network() as net:
        report = net.ledger.ledger(circle_id, as_of=as_of)
    if fmt == "json":
        _json(report)
    elif fmt == "csv":
        currencies = sorted({c for m in report["members"] for c in m["closed_business"]})
        rows = [[str(m["member_id"]), m["name"], m["given"], m["received"], m["balance"],
                 _text(m["index"]), m["disputed"]["given"], m["disputed"]["received"],
                 m["referrals_passed"], m["referrals_received"],
                 *[m["closed_business"].get(c, "") for c in currencies]]
                for m in report["members"]]
        _csv(["member_id", "name", "given", "received", "balance", "index", "disputed_given",
              "disputed_received", "referrals_passed", "referrals_received",
              *[f"closed_{c}" for c in currencies]], rows)
    else:
        _ledger_table(report)


def _ledger_table(report: dict[str, Any]) -> None:
    when = f"as of {report['as_of']}" if report["as_of"] else "now"
    click.echo(f"Ledger of {report['scope']['name']} {when}: confirmed gives only, in hours")
    width = max([len("member"), *(len(m["name"]) for m in report["members"])])
    click.echo(f"{'member':<{width}}  {'given':>9} {'received':>9} {'balance':>9} {'index':>8} "
               f"{'disputed':>9}  {'referrals out/in':<16}  closed business")
    for m in report["members"]:
        disputed = m["disputed"]["given"] + m["disputed"]["received"]
        closed = ", ".join(f"{v} {c}" for c, v in m["closed_business"].items()) or "-"
        click.echo(f"{m['name']:<{width}}  {m['given']:>9} {m['received']:>9} "
                   f"{m['balance']:>9} {_text(m['index'], 'none'):>8} {disputed:>9}  "
                   f"{str(m['referrals_passed']) + '/' + str(m['referrals_received']):<16}  "
                   f"{closed}")
    t = report["totals"]
    click.echo(f"{'total':<{width}}  {t['given']:>9} {t['received']:>9} {t['balance']:>9}")
    c = report["concentration"]
    if c["gini"] is None:
        click.echo(f"Concentration of giving: none ({c['members']} members; it needs at "
                   "least 2 and some hours given).")
    else:
        click.echo(f"Concentration of giving over {c['members']} members (those who gave "
                   f"nothing included): Gini {c['gini']}, top 10% of givers gave "
                   f"{c['top_10_share']} of the hours.")


@click.command()
@click.argument("member_ref", metavar="MEMBER")
@as_of_option
@format_option
def statement(member_ref: str, as_of: date | None, fmt: str) -> None:
    """Show every entry behind MEMBER's balance (email or id), one event per line."""
    with network() as net:
        report = net.ledger.statement(resolve_member(net, member_ref), as_of=as_of)
    if fmt == "json":
        _json(report)
    elif fmt == "csv":
        header = ["position", "at", "kind", "give_id", "counterparty_id", "counterparty_name",
                  "circle_id", "hours", "change", "balance"]
        rows = [[ln["position"], ln["at"].isoformat(), ln["kind"], str(ln["give_id"]),
                 str(ln["counterparty"]["id"]), ln["counterparty"]["name"],
                 _text(ln["circle_id"]), ln["hours"], ln.get("change", ""),
                 ln.get("balance", "")]
                for ln in report["lines"] + report["disputed"]]
        _csv(header, rows)
    else:
        _statement_table(report)


def _statement_table(report: dict[str, Any]) -> None:
    when = f"as of {report['as_of']}" if report["as_of"] else "now"
    click.echo(f"Statement of {report['member']['name']} {when}: one line per event in the log")
    lines, disputed = report["lines"], report["disputed"]
    width = max([len("counterparty"), *(len(ln["counterparty"]["name"])
                                        for ln in lines + disputed)])
    click.echo(f"{'position':>8}  {'time (UTC)':<16}  {'kind':<20}  {'counterparty':<{width}}  "
               f"{'hours':>7} {'change':>8} {'balance':>9}")
    for ln in lines:
        click.echo(f"{ln['position']:>8}  {ln['at']:%Y-%m-%d %H:%M}  "
                   f"{ln['kind'].replace('_', ' '):<20}  {ln['counterparty']['name']:<{width}}  "
                   f"{ln['hours']:>7} {ln['change']:>+8} {ln['balance']:>9}")
    click.echo(f"Given {report['given']}, received {report['received']}, balance "
               f"{report['balance']}, index {_text(report['index'], 'none (inactive)')}.")
    if disputed:
        click.echo("Disputed, not counted until settled:")
        for ln in disputed:
            click.echo(f"{ln['position']:>8}  {ln['at']:%Y-%m-%d %H:%M}  "
                       f"{ln['kind'].replace('_', ' '):<20}  "
                       f"{ln['counterparty']['name']:<{width}}  {ln['hours']:>7}")


def _text(value: Any, none: str = "") -> str:
    return none if value is None else str(value)


def _plain(value: Any) -> Any:
    """Return ``value`` with Decimals, ids and times as strings, for JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _json(report: dict[str, Any]) -> None:
    click.echo(json.dumps(_plain(report), indent=2))


def _csv(header: list[str], rows: list[list[Any]]) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(header)
    out.writerows([[_text(v) for v in row] for row in rows])
