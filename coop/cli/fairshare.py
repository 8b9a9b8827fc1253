"""``coop distribute``, ``coop distribution show`` and ``coop rule``: sharing a surplus."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click

from coop.bootstrap import Network
from coop.cli.common import network

FORMATS = click.Choice(["table", "json"])


def register(cli: click.Group) -> None:
    cli.add_command(distribute)
    cli.add_command(distribution)
    cli.add_command(rule)


@click.command()
@click.option("--circle", "circle_id", required=True, metavar="ID", help="The circle sharing.")
@click.option("--period-start", required=True, metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--period-end", required=True, metavar="DATE", help="Last day, included.")
@click.option("--pool", required=True, metavar="AMOUNT", help="The surplus to share, e.g. 1000.00.")
@click.option("--currency", required=True, metavar="CODE", help="ISO 4217 code, e.g. EUR.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def distribute(circle_id: str, period_start: str, period_end: str, pool: str, currency: str,
               fmt: str) -> None:
    """Share a surplus pool among a circle's members by contribution weight."""
    with network() as net:
        distribution_id = net.fairshare.distribute(
            circle_id, period_start=period_start, period_end=period_end, pool=pool,
            currency=currency)
        show_distribution(net, distribution_id, fmt)


@click.group()
def distribution() -> None:
    """Look at recorded distributions."""


@distribution.command("show")
@click.argument("distribution_id")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def show(distribution_id: str, fmt: str) -> None:
    """Show a distribution and whether recomputing it from the log agrees."""
    with network() as net:
        show_distribution(net, distribution_id, fmt, recompute=True)


def show_distribution(net: Network, distribution_id: Any, fmt: str,
                      recompute: bool = False) -> None:
    d = net.fairshare.get(distribution_id)
    names = {s["member_id"]: net.members.get(s["member_id"])["name"] for s in d["shares"]}
    agrees = net.fairshare.recompute(d["id"]) if recompute else None
    if fmt == "json":
        click.echo(json.dumps(as_json(d, names, agrees), indent=2))
        return
    pool = f"{d['pool']} {d['currency']}"
    circle = net.circles.get(d["circle_id"])["name"]
    click.echo(f"Distribution {d['id']}: {pool} for '{circle}', "
               f"{d['period_start']} to {d['period_end']}, rule version {d['rule_version']}")
    if d["carried_forward"]:
        click.echo(f"W = 0: nothing allocated, the pool of {pool} is carried forward.")
    else:
        width = max(len("member"), *(len(n) for n in names.values()))
        click.echo(f"{'member':<{width}}  {'weight':>12}  {'share':>14}")
        for s in d["shares"]:
            click.echo(f"{names[s['member_id']]:<{width}}  {_plain(s['weight']):>12}  "
                       f"{s['amount']:>14}")
        click.echo(f"{'total':<{width}}  {_plain(d['total_weight']):>12}  {d['allocated']:>14}")
    if agrees is not None:
        click.echo("Recomputed from the log: " + ("agrees." if agrees else "DOES NOT agree."))


def as_json(d: dict[str, Any], names: dict[Any, str], agrees: bool | None) -> dict[str, Any]:
    """Return the documented JSON shape (docs/fair-share.md): every number is a string."""
    out: dict[str, Any] = {
        "id": str(d["id"]), "circle_id": str(d["circle_id"]),
        "pool": str(d["pool"]), "currency": d["currency"],
        "period_start": d["period_start"].isoformat(),
        "period_end": d["period_end"].isoformat(),
        "rule_version": d["rule_version"],
        "weights": {k: _plain(v) for k, v in d["weights"].items()},
        "total_weight": _plain(d["total_weight"]),
        "allocated": str(d["allocated"]),
        "carried_forward": d["carried_forward"],
        "shares": [{"member_id": str(s["member_id"]), "name": names[s["member_id"]],
                    "weight": _plain(s["weight"]), "amount": str(s["amount"])}
                   for s in d["shares"]],
    }
    if agrees is not None:
        out["recomputed_agrees"] = agrees
    return out


@click.group()
def rule() -> None:
    """Show or set a circle's contribution rule."""


@rule.command("show")
@click.option("--circle", "circle_id", required=True, metavar="ID")
def rule_show(circle_id: str) -> None:
    """Show the rule in force and its earlier versions."""
    with network() as net:
        r = net.fairshare.rule(circle_id)
        default = " (the default: no steward has set one)" if r["is_default"] else ""
        circle = net.circles.get(r["circle_id"])["name"]
        click.echo(f"Contribution rule of '{circle}': version {r['version']}{default}")
        for h in reversed(r["history"]):
            w = h["weights"]
            mark = "*" if h["version"] == r["version"] else " "
            click.echo(f" {mark} v{h['version']}: {_plain(w['give_hour'])} per give-hour, "
                       f"{_plain(w['referral_passed'])} per referral passed, "
                       f"{_plain(w['per_1000_closed'])} per 1000 of closed business")


@rule.command("set")
@click.option("--circle", "circle_id", required=True, metavar="ID")
@click.option("--give-hour", required=True, metavar="N", help="Weight of one hour given.")
@click.option("--referral-passed", required=True, metavar="N", help="Weight of one referral.")
@click.option("--per-1000-closed", required=True, metavar="N",
              help="Weight of 1000 of closed business, in a pool's currency.")
def rule_set(circle_id: str, give_hour: str, referral_passed: str, per_1000_closed: str) -> None:
    """Set a circle's contribution weights as a new version of its rule."""
    with network() as net:
        version = net.fairshare.set_rule(circle_id, give_hour=give_hour,
                                         referral_passed=referral_passed,
                                         per_1000_closed=per_1000_closed)
        circle = net.circles.get(circle_id)["name"]
        click.echo(f"'{circle}': contribution rule version {version} is now in force.")


def _plain(value: Decimal) -> str:
    """Write a Decimal without an exponent (1E+1 reads as 10)."""
    return format(value, "f")
