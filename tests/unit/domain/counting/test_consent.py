"""Consent: passes when no objection remains open (and the quorum is met)."""

from __future__ import annotations

import pytest

from domain.counting import consent
from domain.counting.common import Rules
from domain.errors import InvalidChoice

RULES = Rules.make(method="consent", options=())


def objection(number: int, status: str, resolution: str | None = None) -> dict:
    return {"number": number, "status": status, "resolution": resolution}


def test_no_objection_passes() -> None:
    t = consent.count(RULES, ["consent"] * 4, electorate=6, seed="s")
    assert (t["consent"], t["object"], t["outcome"]) == (4, 0, "passed")


def test_an_open_objection_blocks_however_many_consent() -> None:
    t = consent.count(RULES, ["consent"] * 9 + ["object"], electorate=10, seed="s",
                      objections=[objection(1, "open")])
    assert (t["open_objections"], t["outcome"]) == (1, "failed")


def test_resolved_objections_no_longer_block() -> None:
    t = consent.count(RULES, ["consent"] * 3 + ["object"], electorate=4, seed="s",
                      objections=[objection(1, "resolved", "amended"),
                                  objection(2, "resolved", "ruled_out")])
    assert (t["open_objections"], t["outcome"]) == (0, "passed")
    assert [o["resolution"] for o in t["objections"]] == ["amended", "ruled_out"]


def test_quorum_applies_to_consent_too() -> None:
    rules = Rules.make(method="consent", options=(), quorum="1/2")
    assert consent.count(rules, ["consent"], electorate=4, seed="s")["outcome"] == "failed"


def test_choices() -> None:
    assert consent.check_choice("Object") == "object"
    with pytest.raises(InvalidChoice):
        consent.check_choice("yes")
