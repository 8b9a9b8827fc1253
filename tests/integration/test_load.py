"""A short load run against gunicorn on loopback (bench/load_bench.py), on each backend.

Members browse, view proposals, post offers, give, confirm, refer and vote at once for
a few seconds; then a steward closes the proposals. Afterwards every write and ballot
answered 2xx is in the log exactly once and none that was refused is, every recount
agrees with its close and counted exactly the members who got a 2xx, and every
projection equals its rebuild. No timing is asserted: speed is in docs/benchmarks.md.
"""

from __future__ import annotations

from bench.load_bench import FLOWS, PROPOSALS, WRITES, run_load
from coop.config import Settings


def test_a_mixed_load_loses_nothing_and_doubles_nothing(settings: Settings) -> None:
    report = run_load(settings, seconds=4, threads=4, members=12, workers=2)
    summary = "\n".join(report.lines())

    assert report.problems == [], summary
    assert report.server_errors == 0, summary  # no 5xx, no request left unanswered
    for flow in FLOWS:
        if flow != "bad vote":
            assert report.succeeded(flow) > 0, f"no {flow} answered 2xx\n{summary}"
    for kind in (*WRITES, "ballot"):
        assert report.written[kind] > 0, f"no {kind} written\n{summary}"
    # A bad vote (a choice the method refuses, or not one's circle) is always refused.
    assert {status for (flow, status) in report.statuses if flow == "bad vote"} <= {403, 422}
    assert len(report.closed) == len(PROPOSALS), summary
    assert all(c["agrees"] and c["ballots"] == c["voters"] for c in report.closed), summary
