"""The audit log through the API: streamed, whole or in slices; members get their own."""

from __future__ import annotations

import json
from typing import Any

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem


def lines(text: str) -> list[dict[str, Any]]:
    """Return the export's records (not its header and trailer)."""
    return [r for r in map(json.loads, text.splitlines()) if "action" in r]


def test_a_steward_streams_the_whole_log_or_a_slice(
        api: Caller, net: Network, ids: dict[str, Any]) -> None:
    net.gives.record(receiver_id=ids["bob"], hours="1", description="x", by=ids["alice"])
    whole = api("alice").get("/audit/export")
    assert whole.status_code == 200 and whole.mimetype == "application/x-ndjson"
    assert whole.is_streamed
    assert '"kind":"full"' in whole.get_data(as_text=True).splitlines()[0]
    records = lines(whole.get_data(as_text=True))
    assert [r["action"] for r in records][-1] == "give.recorded"
    assert whole.headers["X-Audit-Head"].startswith(str(records[-1]["position"]))

    gives = api("alice").get("/audit/export?action=give.recorded&format=csv")
    assert gives.mimetype == "text/csv"
    assert gives.get_data(as_text=True).count("give.recorded") >= 1
    since = api("alice").get(f"/audit/export?since={records[-1]['position']}")
    assert [r["action"] for r in lines(since.get_data(as_text=True))] == ["give.recorded"]


def test_a_member_exports_only_their_own_lines(api: Caller, ids: dict[str, Any]) -> None:
    assert_problem(api("bob").get("/audit/export"), 403)
    assert_problem(api("bob").get(f"/audit/export?member={ids['carol']}"), 403)
    mine = api("bob").get(f"/audit/export?member={ids['bob']}")
    assert mine.status_code == 200
    records = lines(mine.get_data(as_text=True))
    assert records and all(str(ids["bob"]) in json.dumps(r) for r in records)


def test_refusals(api: Caller) -> None:
    assert_problem(api("nobody").get("/audit/export"), 401)
    assert_problem(api("alice").get("/audit/export?format=xml"), 422, "format")
    assert_problem(api("alice").get("/audit/export?since=yesterday"), 422, "since")
    assert_problem(api("alice").get("/audit/export?until=9999-12-31T23:59:59-14:00"), 422,
                   "until")
    assert_problem(api("alice").get(f"/audit/export?since={10 ** 30}"), 422, "since")
    assert_problem(api("alice").get("/audit/export?action=Give"), 422, "action.0")
    assert_problem(api("alice").get(f"/audit/export?member={MISSING}"), 404)
