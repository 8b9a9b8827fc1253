"""A tally as the results page draws it: bars, the IRV round table, the Schulze matrices.

Only shapes and words are made here, from a tally a service gave out (it has already
applied the hiding rules); nothing is counted. Bar widths are SVG attributes (the
stylesheet policy forbids inline styles), worked out in Decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask import Blueprint

from domain.counting.common import METHOD_NAMES


def percent(value: str | Fraction | None) -> str:
    """Return an exact fraction ("2/3") as a percentage: 66.7%, 75%, 100%; none: "–"."""
    if value is None:
        return "–"
    share = Fraction(value) * 100
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    text = f"{exact.quantize(Decimal('0.1'), ROUND_HALF_UP):f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def bars(labels: Sequence[str], counts: Sequence[int | None], total: int) -> list[dict[str, Any]]:
    """Return one bar per option: its count, its width out of 100 and its share of
    ``total``. An option out of the count (None) gets no bar."""
    rows = []
    for label, count in zip(labels, counts, strict=True):
        if count is None:
            rows.append({"label": label, "count": None, "width": Decimal(0), "share": "–"})
            continue
        share = Fraction(count, total) if total else Fraction(0)
        width = (Decimal(share.numerator * 100) / Decimal(share.denominator)).quantize(
            Decimal("0.1"))
        rows.append({"label": label, "count": count, "width": width, "share": percent(share)})
    return rows


def yes_no_bars(t: dict[str, Any]) -> list[dict[str, Any]]:
    return bars(["Yes", "No", "Abstain"], [t["yes"], t["no"], t["abstain"]], t["votes"])


def consent_bars(t: dict[str, Any]) -> list[dict[str, Any]]:
    return bars(["Consent", "Object"], [t["consent"], t["object"]], t["votes"])


def approval_bars(t: dict[str, Any]) -> list[dict[str, Any]]:
    """Return each option's approvals as a share of the votes counted (a voter may
    approve several options, so shares add up to more than 100%)."""
    return bars(t["options"], t["approvals"], t["votes"])


def irv_rounds(t: dict[str, Any]) -> dict[str, Any]:
    """Return the round table: one row per option, one column per round."""
    rounds = t["rounds"]
    rows = []
    for i, name in enumerate(t["options"]):
        cells = []
        for r in rounds:
            cells.append({"count": r["counts"][i], "elected": r["elected"] == i,
                          "eliminated": r["eliminated"] == i})
        rows.append({"option": name, "cells": cells, "winner": t.get("winner") == i})
    last = rounds[-1]
    return {
        "rows": rows,
        "continuing": [r["continuing"] for r in rounds],
        "exhausted": [r["exhausted"] for r in rounds],
        "notes": [_round_note(t["options"], r) for r in rounds],
        "final": bars(t["options"], last["counts"], last["continuing"]),
    }


def _round_note(options: Sequence[str], r: dict[str, Any]) -> str:
    if r["elected"] is not None:
        return f"{options[r['elected']]} has a majority"
    if r["eliminated"] is not None:
        tie = " (tie broken by the seeded order)" if r["tie_break"] else ""
        return f"{options[r['eliminated']]} is eliminated{tie}"
    return "every ballot is exhausted"


def matrix(t: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Return a Schulze matrix (``d`` or ``p``) as rows of cells; a cell "wins" when
    its row's option beats its column's on that figure."""
    m = t[key]
    return [{"option": name, "cells": [
        {"value": v, "wins": v is not None and v > m[j][i]} for j, v in enumerate(row)]}
        for i, (name, row) in enumerate(zip(t["options"], m, strict=True))]


def time_left(left: timedelta | None) -> str:
    """Return time left in words: "3 days 4 hours", "2 hours 5 minutes", "12 minutes"."""
    if left is None:
        return ""
    seconds = int(left.total_seconds())
    if seconds <= 0:
        return "voting has ended"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = max(rest // 60, 1) if not (days or hours) else rest // 60
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) + " left"


def method_name(method: str) -> str:
    return METHOD_NAMES.get(method, method)


def register(bp: Blueprint) -> None:
    """Give every template the filters the governance pages use."""
    bp.add_app_template_filter(percent, "percent")
    bp.add_app_template_filter(time_left, "time_left")
    bp.add_app_template_filter(method_name, "method_name")
