"""Server-drawn charts: the geometry of an SVG bar chart, worked out in Decimal.

The template draws the shapes (templates/ledger/_chart.html); colours come from the
stylesheet, so the page needs no script, no inline style and nothing from a CDN.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 36
MONTHS_SHOWN = 12
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bar:
    series: str  # the CSS class suffix: given or received
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    value: Decimal
    label: str


def months_ending(end: date, count: int = MONTHS_SHOWN) -> list[str]:
    """Return ``count`` month labels (YYYY-MM) up to and including ``end``'s month."""
    index = end.year * 12 + end.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def scale(value: Decimal) -> tuple[Decimal, int]:
    """Return the top of an axis at or above ``value`` and how many equal steps it has.

    Steps are 1, 2 or 5 times a power of ten (or a quarter or a half), at most four
    of them, so every gridline has a short label.
    """
    step = Decimal("0.25")
    while value > step * 4:
        step = _next_step(step)
    steps = int((value / step).to_integral_value(rounding=ROUND_CEILING)) if value > 0 else 4
    return (step * max(steps, 1)).normalize(), max(steps, 1)


def _next_step(step: Decimal) -> Decimal:
    digits = step.normalize().as_tuple().digits[0]
    if step < 1:
        return step * 2
    return step * Decimal("2.5") if digits == 2 else step * 2


def month_bars(months: list[dict[str, Any]], end: date,
               series: tuple[str, ...] = ("given", "received")) -> dict[str, Any]:
    """Return the chart of ``series`` per month for the twelve months up to ``end``.

    ``months`` are the ledger's month figures ({"month": "2026-01", "given": ...});
    months without activity are drawn as zero. A month whose figure is negative (a
    reversal of an earlier month's give) is drawn at zero and listed in the table.
    """
    labels = months_ending(end)
    by_month = {m["month"]: m for m in months}
    rows = [{"month": label, "name": _month_name(label),
             **{s: by_month.get(label, {}).get(s, Decimal(0)) for s in series}}
            for label in labels]
    top, steps = scale(max((max(r[s], Decimal(0)) for r in rows for s in series),
                           default=Decimal(0)))
    plot_w, plot_h = Decimal(WIDTH - LEFT - RIGHT), Decimal(HEIGHT - TOP - BOTTOM)
    slot = plot_w / len(labels)
    bar_w = slot * Decimal("0.8") / len(series)
    bars, ticks = [], []
    for i, row in enumerate(rows):
        for j, s in enumerate(series):
            height = plot_h * max(row[s], Decimal(0)) / top
            x = LEFT + slot * i + slot * Decimal("0.1") + bar_w * j
            bars.append(Bar(s, _r(x), _r(TOP + plot_h - height), _r(bar_w), _r(height),
                            row[s], f"{row['name']}: {s} {row[s].normalize():f} hours"))
    for k in range(steps + 1):
        value = top * k / steps
        ticks.append({"y": _r(TOP + plot_h - plot_h * k / steps),
                      "label": f"{value.normalize():f}"})
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
        "bottom": TOP + plot_h, "series": series, "bars": bars, "ticks": ticks,
        "labels": [{"x": _r(LEFT + slot * i + slot / 2), "text": r["name"][:3],
                    "year": r["month"][:4] if i == 0 or r["month"].endswith("-01") else ""}
                   for i, r in enumerate(rows)],
        "rows": rows,
        "totals": {s: sum((r[s] for r in rows), Decimal(0)) for s in series},
        "first": rows[0]["name"], "last": rows[-1]["name"],
    }


def _month_name(label: str) -> str:
    year, month = label.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def _r(value: Decimal | int) -> Decimal:
    """Round a coordinate to one decimal place: exact enough for a screen."""
    return Decimal(value).quantize(Decimal("0.1"))
