"""Pages of a list: ``?page=N&per_page=M`` in, ``{items, page, per_page, has_next,
next}`` out, where ``next`` is the address of the following page (null on the last).
A page past the end of a list is empty, not an error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request, url_for

from projections.listing import Page, Paging


def paging(args: Mapping[str, Any]) -> Paging:
    return Paging(args["page"], args["per_page"])


def body(page: Page[Any]) -> dict[str, Any]:
    """Return one page of a list as the API sends it."""
    return {"items": page.items, "page": page.number, "per_page": page.size,
            "has_next": page.has_next, "next": _address(page.number + 1) if page.has_next else None}


def _address(number: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)
