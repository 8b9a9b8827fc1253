"""A circle's contribution rule: versioned weights, the default as version 0."""

from __future__ import annotations

from decimal import Decimal as D
from uuid import uuid4

import pytest

from domain.contribution import ContributionRule, rule_id_for
from domain.errors import InvalidValue, NotFound
from domain.fairshare import DEFAULT_WEIGHTS, ContributionWeights

STEWARD = uuid4()


def test_one_circle_has_one_rule_whose_id_follows_from_the_circle():
    circle = uuid4()
    assert ContributionRule.start(circle_id=circle, by=STEWARD).id == rule_id_for(circle)
    assert rule_id_for(circle) == rule_id_for(circle) != rule_id_for(uuid4())


def test_a_new_rule_applies_the_default_until_weights_are_set():
    rule = ContributionRule.start(circle_id=uuid4(), by=STEWARD)
    assert rule.current_version == 0
    assert rule.weights == DEFAULT_WEIGHTS


def test_each_set_is_a_new_version_and_old_versions_stay_readable():
    rule = ContributionRule.start(circle_id=uuid4(), by=STEWARD)
    assert rule.set(give_hour="1.5", referral_passed="0", per_1000_closed="2", by=STEWARD) == 1
    assert rule.set(give_hour="3", referral_passed="1", per_1000_closed="0", by=STEWARD) == 2
    assert rule.weights == ContributionWeights(D(3), D(1), D(0))
    assert rule.weights_at(1) == ContributionWeights(D("1.5"), D(0), D(2))
    assert rule.weights_at(0) == DEFAULT_WEIGHTS
    with pytest.raises(NotFound, match="no version 3"):
        rule.weights_at(3)
    events = rule.collect_events()
    assert [type(e).__name__ for e in events] == ["Started", "Set", "Set"]
    assert [e.rule_version for e in events[1:]] == [1, 2]


@pytest.mark.parametrize(("weights", "message"), [
    (("1", "-2", "1"), "cannot be negative"),
    (("0", "0", "0"), "at least one weight"),
])
def test_a_rule_refuses_negative_or_all_zero_weights(weights, message):
    rule = ContributionRule.start(circle_id=uuid4(), by=STEWARD)
    with pytest.raises(InvalidValue, match=message):
        rule.set(give_hour=weights[0], referral_passed=weights[1],
                 per_1000_closed=weights[2], by=STEWARD)
    assert rule.current_version == 0
