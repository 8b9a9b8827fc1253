"""Proposals through the API: draft, open, vote, close, recount; what stays hidden."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from coop.bootstrap import Network
from tests.integration.api.conftest import MISSING, Caller, assert_problem

NEXT_WEEK = (datetime.now(timezone.utc) + timedelta(days=7)).isoformat()


@pytest.fixture
def circle(net: Network, ids: dict[str, Any]) -> UUID:
    """Bakers: Alice (a steward) and Bob; Carol is not in it."""
    circle = net.circles.form(name="Bakers")
    for who in ("alice", "bob"):
        net.circles.admit(circle, ids[who])
    return circle


def draft(circle: UUID, **extra: Any) -> dict[str, Any]:
    return {"circle_id": str(circle), "title": "Buy a bike", "text": "A cargo bike",
            "method": "yes_no", **extra}


def opened(api: Caller, circle: UUID, **rules: Any) -> str:
    proposal = api("alice").post("/proposals", draft(circle)).get_json()
    answer = api("alice").post(f"/proposals/{proposal['id']}/open",
                               {"closes_at": NEXT_WEEK, "allow_early_close": True, **rules})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return str(proposal["id"])


def test_a_proposal_is_drafted_opened_voted_closed_and_recounted(
        api: Caller, circle: UUID, ids: dict[str, Any]) -> None:
    drafted = api("alice").post("/proposals", draft(circle))
    assert drafted.status_code == 201
    proposal = drafted.get_json()
    assert proposal["state"] == "drafted" and proposal["results"]["tally"] is None
    path = f"/proposals/{proposal['id']}"

    opened = api("alice").post(f"{path}/open", {"closes_at": NEXT_WEEK, "quorum": "50%",
                                                "allow_early_close": True}).get_json()
    assert opened["state"] == "open"
    assert sorted(opened["electorate"]) == sorted([str(ids["alice"]), str(ids["bob"])])
    listed = api("carol").get(f"/proposals?circle={circle}").get_json()["items"]
    assert [p["id"] for p in listed] == [proposal["id"]]

    # Bob casts his own ballot, then changes it.
    assert api("bob").put(f"{path}/ballot", {"choice": "no"}).status_code == 200
    mine = api("bob").put(f"{path}/ballot", {"choice": "yes"}).get_json()
    assert mine["cast"] and mine["choice"] == "yes" and mine["changed_at"]
    assert api("alice").get(f"{path}/ballot").get_json()["cast"] is False
    # An open ballot that is neither secret nor hidden shows its running count.
    assert api("carol").get(path).get_json()["results"]["ballots"] == 1

    assert_problem(api("bob").get(f"{path}/tally"), 409)
    closed = api("alice").post(f"{path}/close").get_json()
    assert closed["state"] == "closed" and closed["results"]["outcome"] == "passed"

    outcomes = api("carol").get("/proposals?section=outcomes").get_json()["items"]
    assert [(p["title"], p["outcome"]) for p in outcomes] == [("Buy a bike", "passed")]
    assert api("carol").get("/proposals").get_json()["items"] == []  # none open now

    tally = api("carol").get(f"{path}/tally").get_json()
    assert tally["agrees"] is True and tally["problems"] == []
    assert_problem(api("bob").put(f"{path}/ballot", {"choice": "no"}), 409)


def test_hidden_results_show_nothing_until_close(api: Caller, circle: UUID) -> None:
    proposal = opened(api, circle, hidden_results=True)
    api("bob").put(f"/proposals/{proposal}/ballot", {"choice": "yes"})
    results = api("alice").get(f"/proposals/{proposal}").get_json()["results"]
    assert results["hidden"] is True
    assert (results["tally"], results["ballots"], results["outcome"]) == (None, None, None)
    api("alice").post(f"/proposals/{proposal}/close")
    results = api("alice").get(f"/proposals/{proposal}").get_json()["results"]
    assert results["hidden"] is False and results["ballots"] == 1


def test_a_secret_ballot_shows_only_how_many_voted_while_open(
        api: Caller, circle: UUID) -> None:
    proposal = opened(api, circle, secret=True)
    api("bob").put(f"/proposals/{proposal}/ballot", {"choice": "no"})
    results = api("alice").get(f"/proposals/{proposal}").get_json()["results"]
    assert results["ballots"] == 1 and results["tally"] is None
    # The voter reads their own sealed choice back.
    assert api("bob").get(f"/proposals/{proposal}/ballot").get_json()["choice"] == "no"


def test_refusals(api: Caller, circle: UUID) -> None:
    assert_problem(api("nobody").post("/proposals", draft(circle)), 401)
    assert_problem(api("carol").post("/proposals", draft(circle)), 403)  # not in the circle
    assert_problem(api("alice").post("/proposals", draft(circle, circle_id=MISSING)), 404)
    assert_problem(api("alice").post("/proposals", draft(circle, method="coin")), 422, "method")
    assert_problem(api("alice").post("/proposals", draft(circle, method="approval")), 422)

    proposal = api("alice").post("/proposals", draft(circle)).get_json()["id"]
    path = f"/proposals/{proposal}"
    assert_problem(api("bob").put(f"{path}/ballot", {"choice": "yes"}), 409)  # not open yet
    assert_problem(api("bob").post(f"{path}/open", {"closes_at": NEXT_WEEK}), 403)
    assert_problem(api("alice").post(f"{path}/open", {"closes_at": "2020-01-01T00:00:00Z"}),
                   422)
    assert_problem(api("alice").post(f"{path}/open", {"closes_at": "2030-01-01T00:00:00"}),
                   422, "closes_at")  # no time zone
    assert_problem(api("alice").post(f"{path}/open", {"closes_at": NEXT_WEEK,
                                                      "quorum": "1e999999"}), 422, "quorum")
    # A time that would be past the year 9999 in UTC could never be written to the log.
    assert_problem(api("alice").post(f"{path}/open",
                                     {"closes_at": "9999-12-31T23:59:59-14:00"}), 422, "closes_at")
    api("alice").post(f"{path}/open", {"closes_at": NEXT_WEEK})
    assert_problem(api("alice").post(f"{path}/open", {"closes_at": NEXT_WEEK}), 409)
    assert_problem(api("carol").put(f"{path}/ballot", {"choice": "yes"}), 403)  # not voting
    assert_problem(api("bob").put(f"{path}/ballot", {"choice": "maybe"}), 422)
    assert_problem(api("bob").put(f"{path}/ballot", {}), 422, "choice")
    assert_problem(api("alice").post(f"{path}/close"), 409)  # early close not allowed
    assert_problem(api("bob").post(f"{path}/withdraw", {"reason": "No"}), 403)
    assert api("alice").post(f"{path}/withdraw", {"reason": "No money"}).status_code == 200
    assert_problem(api("alice").get(f"/proposals/{MISSING}"), 404)
    assert_problem(api("alice").get(f"/proposals/{MISSING}/tally"), 404)
    assert_problem(api("alice").get("/proposals?section=secret"), 422, "section")
