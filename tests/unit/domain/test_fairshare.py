"""Fair-share arithmetic, with every expectation computed by hand."""

from __future__ import annotations

import random
from decimal import Decimal as D
from fractions import Fraction
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidMoney, InvalidValue
from domain.fairshare import (
    DEFAULT_WEIGHTS,
    Activity,
    ContributionWeights,
    allocate,
    contribution_weight,
    gini,
    reciprocity_index,
    top_share,
)

ANNA, BO, CHI = UUID(int=1), UUID(int=2), UUID(int=3)


# Reciprocity


@pytest.mark.parametrize(("given_", "received", "index"), [
    ("3", "1", "0.5000"),
    ("1", "2", "-0.3333"),  # -1/3
    ("5", "0", "1.0000"),
    ("0", "5", "-1.0000"),
    ("2", "2", "0.0000"),  # balanced, which is not the same as inactive
    ("10000.5", "9999.5", "0.0000"),  # 0.00005 rounds half-even down to 0.0000
    ("10001.5", "9998.5", "0.0002"),  # 0.00015 rounds half-even up to 0.0002
])
def test_reciprocity_index_is_given_minus_received_over_their_sum(given_, received, index):
    assert reciprocity_index(D(given_), D(received)) == D(index)
    assert str(reciprocity_index(D(given_), D(received))) == index


def test_a_member_who_neither_gave_nor_received_has_no_index_rather_than_zero():
    assert reciprocity_index(D("0"), D("0.00")) is None


def test_negative_totals_are_refused():
    with pytest.raises(ValueError, match="0 or more"):
        reciprocity_index(D("-1"), D("2"))


# Concentration


@pytest.mark.parametrize(("values", "expected"), [
    (["1", "1"], "0.0000"),
    (["0", "10"], "0.5000"),  # 20 / (2 * 2 * 10)
    (["0", "0", "10"], "0.6667"),  # 40 / (2 * 3 * 10): members who gave nothing count
    (["1", "2", "3", "4"], "0.2500"),  # 2 * 10 / (2 * 4 * 10)
    (["4", "1", "3", "2"], "0.2500"),  # order does not matter
])
def test_gini_is_the_mean_absolute_difference_over_twice_the_mean(values, expected):
    assert gini([D(v) for v in values]) == D(expected)


@pytest.mark.parametrize("values", [[], ["5"], ["0", "0"], ["0", "0.00", "0"]])
def test_gini_means_nothing_for_fewer_than_two_members_or_no_activity(values):
    assert gini([D(v) for v in values]) is None


def test_top_share_takes_the_top_tenth_rounded_up():
    ten = [D(i) for i in range(1, 11)]  # total 55
    assert top_share(ten) == D("0.1818")  # the top 1 of 10: 10 / 55
    eleven = [*ten, D(0)]
    assert top_share(eleven) == D("0.3455")  # the top 2 of 11: (10 + 9) / 55 = 0.34545...
    assert top_share([D(0), D(0), D(0), D(1)]) == D("1.0000")
    assert top_share([D(1), D(2), D(3)], D("0.5")) == D("0.8333")  # top 2: 5 / 6


@pytest.mark.parametrize("values", [[], ["7"], ["0", "0"]])
def test_top_share_means_nothing_as_gini_does(values):
    assert top_share([D(v) for v in values]) is None


def test_top_share_refuses_a_fraction_outside_0_to_1():
    with pytest.raises(ValueError, match="fraction"):
        top_share([D(1), D(2)], D("0"))


# Contribution weight


def test_default_rule_counts_hours_referrals_and_closed_business_in_the_pool_currency():
    activity = Activity(ANNA, give_hours=D("2.50"), referrals_passed=3,
                        closed_business={"EUR": D("1500.00"), "USD": D("9999.00")})
    # 2.5 x 1 + 3 x 2 + 1500 / 1000 x 1; the USD business does not count in EUR.
    # Weights are written without the trailing zeros the products leave.
    assert str(contribution_weight(activity, DEFAULT_WEIGHTS, "EUR")) == "10"
    # 2.5 + 6 + 9.999
    assert str(contribution_weight(activity, DEFAULT_WEIGHTS, "USD")) == "18.499"
    assert str(contribution_weight(activity, DEFAULT_WEIGHTS, "GBP")) == "8.5"


def test_a_member_with_no_activity_weighs_nothing():
    assert str(contribution_weight(Activity(BO), DEFAULT_WEIGHTS, "EUR")) == "0"


def test_a_net_negative_figure_counts_as_nothing_rather_than_against_the_member():
    # A give from last quarter reversed this quarter leaves this quarter's net at -2.
    activity = Activity(ANNA, give_hours=D("-2.00"), referrals_passed=1)
    assert str(contribution_weight(activity, DEFAULT_WEIGHTS, "EUR")) == "2"


def test_custom_weights_multiply_each_kind_of_activity():
    weights = ContributionWeights.parse("0.5", "0", "10")
    activity = Activity(ANNA, give_hours=D("4"), referrals_passed=7,
                        closed_business={"EUR": D("250.00")})
    assert str(contribution_weight(activity, weights, "EUR")) == "4.5"  # 2 + 0 + 2.5


def test_default_weights_are_one_per_hour_two_per_referral_one_per_thousand():
    assert DEFAULT_WEIGHTS.as_tuple() == (D(1), D(2), D(1))


@pytest.mark.parametrize(("values", "message"), [
    (("-1", "2", "1"), "cannot be negative"),
    (("0", "0", "0.00"), "at least one weight"),
    ((1.5, "2", "1"), "not a float"),
    (("lots", "2", "1"), "must be a number"),
    (("NaN", "2", "1"), "finite"),
    (("0.00001", "2", "1"), "4 decimal places"),
])
def test_weights_refuse_what_no_rule_can_mean(values, message):
    with pytest.raises(InvalidValue, match=message):
        ContributionWeights.parse(*values)


# Allocation


DEE = UUID(int=4)


def test_worked_example_of_the_docs_shares_1000_eur_between_weights_3_3_1_0():
    # docs/fair-share.md, "Worked example": Anna 3 hours; Bo 1 hour and 1 referral;
    # Chi 1 hour; Dee nothing.
    weights = {
        m: contribution_weight(a, DEFAULT_WEIGHTS, "EUR") for m, a in {
            ANNA: Activity(ANNA, give_hours=D("3.00")),
            BO: Activity(BO, give_hours=D("1.00"), referrals_passed=1),
            CHI: Activity(CHI, give_hours=D("1.00")),
            DEE: Activity(DEE),
        }.items()
    }
    assert weights == {ANNA: 3, BO: 3, CHI: 1, DEE: 0}
    shares = allocate(D("1000.00"), weights, 2)
    # 428.5714..., 428.5714..., 142.8571... rounded down: 428.57 + 428.57 + 142.85 =
    # 999.99; the cent left goes to the largest remainder, Chi's 5/7 of a cent.
    assert {m: str(s) for m, s in shares.items()} == {
        ANNA: "428.57", BO: "428.57", CHI: "142.86", DEE: "0.00"}
    # Concentration of the hours given: Dee counts.
    hours = [D(3), D(1), D(1), D(0)]
    assert gini(hours) == D("0.4500")
    assert gini(hours[:3]) == D("0.2667")
    assert top_share(hours) == D("0.6000")


def test_equal_remainders_go_to_the_smaller_member_id():
    shares = allocate(D("1000"), {BO: D(3), ANNA: D(3), CHI: D(1)}, 0)
    # Floors 428, 428, 142 leave 2 yen: Chi's remainder .857 first, then Anna and Bo
    # tie at .571 with equal weights, and Anna's id is the smaller.
    assert shares == {ANNA: D("429"), BO: D("428"), CHI: D("143")}


def test_equal_remainders_go_to_the_larger_weight_before_the_member_id():
    # 2 cents over weights 1, 4, 1 (W = 6): floors 0, 1, 0 and every remainder is 2/6.
    shares = allocate(D("0.02"), {ANNA: D(1), CHI: D(4), BO: D(1)}, 2)
    assert shares == {ANNA: D("0.00"), BO: D("0.00"), CHI: D("0.02")}


def test_a_member_with_zero_weight_gets_zero():
    shares = allocate(D("0.05"), {ANNA: D(3), BO: D(0), CHI: D(1)}, 2)
    assert shares == {ANNA: D("0.04"), BO: D("0.00"), CHI: D("0.01")}


def test_no_weight_at_all_allocates_nothing_so_the_pool_is_carried_forward():
    assert allocate(D("500.00"), {ANNA: D(0), BO: D("0.00")}, 2) == {}
    assert allocate(D("500.00"), {}, 2) == {}


def test_a_pool_of_zero_gives_everyone_zero():
    assert allocate(D("0"), {ANNA: D(1)}, 2) == {ANNA: D("0.00")}


def test_a_pool_in_a_currency_of_three_places_is_shared_to_the_fils():
    shares = allocate(D("1.000"), {ANNA: D(1), BO: D(1), CHI: D(1)}, 3)
    assert shares == {ANNA: D("0.334"), BO: D("0.333"), CHI: D("0.333")}


@pytest.mark.parametrize(("pool", "message"), [
    ("-1.00", "0 or more"),
    ("10.001", "at most 2 decimal places"),
    ("Infinity", "0 or more"),
])
def test_allocate_refuses_a_pool_the_currency_cannot_hold(pool, message):
    with pytest.raises(InvalidMoney, match=message):
        allocate(D(pool), {ANNA: D(1)}, 2)


def test_trailing_zeros_beyond_the_minor_unit_are_not_extra_decimals():
    assert allocate(D("10.010"), {ANNA: D(1)}, 2) == {ANNA: D("10.01")}


# Properties of the allocation

# No deadline: a slow example on a busy shared machine is not a failure.
unhurried = settings(deadline=None)

members = st.uuids()
weight = st.decimals(min_value=0, max_value=1_000_000, places=4)
weights_st = st.dictionaries(members, weight, min_size=1, max_size=12)
minor_units = st.sampled_from([0, 2, 3])


@st.composite
def pools(draw: st.DrawFn) -> tuple[D, int]:
    minor_unit = draw(minor_units)
    units = draw(st.integers(min_value=0, max_value=10**9 * 10**minor_unit))
    return D(units).scaleb(-minor_unit), minor_unit


@unhurried
@given(pools(), weights_st)
def test_shares_sum_exactly_to_the_pool(pool_and_unit, weights):
    pool, minor_unit = pool_and_unit
    shares = allocate(pool, weights, minor_unit)
    if any(weights.values()):
        assert set(shares) == set(weights)
        assert sum(shares.values()) == pool
    else:
        assert shares == {}


@unhurried
@given(pools(), weights_st)
def test_a_larger_weight_never_gets_less(pool_and_unit, weights):
    pool, minor_unit = pool_and_unit
    shares = allocate(pool, weights, minor_unit)
    for a in shares:
        for b in shares:
            if weights[a] > weights[b]:
                assert shares[a] >= shares[b]


@unhurried
@given(pools(), weights_st, st.randoms(use_true_random=False))
def test_same_inputs_in_any_order_give_the_same_result(pool_and_unit, weights, rnd: random.Random):
    pool, minor_unit = pool_and_unit
    items = list(weights.items())
    rnd.shuffle(items)
    shuffled = allocate(pool, dict(items), minor_unit)
    original = allocate(pool, weights, minor_unit)
    assert {m: str(v) for m, v in shuffled.items()} == {m: str(v) for m, v in original.items()}


@unhurried
@given(pools(), weights_st)
def test_every_share_is_whole_minor_units_within_one_unit_of_pro_rata(pool_and_unit, weights):
    pool, minor_unit = pool_and_unit
    shares = allocate(pool, weights, minor_unit)
    unit = Fraction(1, 10**minor_unit)
    total = sum(Fraction(w) for w in weights.values())
    for member_id, share in shares.items():
        assert share.as_tuple().exponent == -minor_unit
        exact = Fraction(pool) * Fraction(weights[member_id]) / total
        assert abs(Fraction(share) - exact) < unit


@unhurried
@given(pools(), st.dictionaries(members, st.just(D(0)), max_size=5))
def test_no_weight_always_carries_the_pool_forward(pool_and_unit, weights):
    pool, minor_unit = pool_and_unit
    assert allocate(pool, weights, minor_unit) == {}
