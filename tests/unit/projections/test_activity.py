"""The activity read model: what waits for a member, their lists, and the news."""

from __future__ import annotations

from coop.bootstrap import Network
from projections.listing import Paging
from tests.unit.projections.histories import (
    assert_rebuild_equals_incremental,
    small_network,
)


def test_gives_waiting_are_those_received_and_not_yet_confirmed(net, history):
    activity = net.activity
    waiting = activity.gives(history["ann"], Paging(), waiting=True).items
    assert [(g["counterparty"]["name"], g["hours"], g["status"]) for g in waiting] == [
        ("Bo Baker", 1.5, "disputed")]
    di = activity.gives(history["di"], Paging(), waiting=True).items
    assert [(g["description"], g["status"]) for g in di] == [("a cake", "pending")]
    # Giving is never waiting for the giver.
    assert activity.gives(history["bo"], Paging(), waiting=True).items == []


def test_a_members_gives_both_ways_newest_first(net, history):
    gives = net.activity.gives(history["ann"], Paging()).items
    assert [(g["role"], g["description"], g["status"]) for g in gives] == [
        ("given", "sanding", "confirmed"), ("received", "lesson", "disputed"),
        ("received", "two shelves", "confirmed")]
    assert gives[0]["circle"]["name"] == "Makers"
    given = net.activity.gives(history["ann"], Paging(), role="given").items
    assert [g["description"] for g in given] == ["sanding"]
    reversed_ = net.activity.gives(history["cy"], Paging(), status="reversed").items
    assert [g["description"] for g in reversed_] == ["a chat"]


def test_referrals_waiting_need_an_answer_an_outcome_or_thanks(net, history):
    activity = net.activity
    waiting = activity.referrals(history["bo"], Paging(), waiting=True).items
    # Made: answer it. Accepted: record what came of it. Closed: thank the referrer.
    assert [(r["prospect"], r["status"]) for r in waiting] == [
        ("Cafe Three", "business_closed"), ("Cafe Two", "accepted"), ("Cafe One", "made")]
    # Lost and thanked, or declined: nothing left to do.
    assert activity.referrals(history["ann"], Paging(), waiting=True).items == []
    assert activity.referrals(history["cy"], Paging(), waiting=True).items == []


def test_the_referrer_sees_the_outcome(net, history):
    outcomes = net.activity.referrals(history["di"], Paging(), role="made",
                                                 latest_change=True).items
    assert [(r["prospect"], r["status"], r["value"], r["currency"]) for r in outcomes] == [
        ("Cafe Three", "business_closed", 250, "EUR")]
    thanked = net.activity.referrals(history["bo"], Paging(), role="made").items
    assert [(r["prospect"], r["thanked"]) for r in thanked] == [
        ("Big Corp", False), ("Archery Club", True)]


def test_news_covers_the_network_and_the_members_own_circles(net, history):
    def kinds(who: str) -> list[str]:
        return [n["kind"] for n in net.activity.feed(history[who], Paging(1, 50)).items]

    ann, sam = kinds("ann"), kinds("steward")
    # The give in the Makers circle and its mandate are news to Ann, not to Sam.
    assert ann.count("give.confirmed") == 3 and sam.count("give.confirmed") == 2
    assert "circle.mandate" in ann and "circle.mandate" not in sam
    assert "give.reversed" in ann and "member.left" in sam
    # A dispute stays between the two members.
    assert "give.disputed" not in ann
    newest = net.activity.feed(history["ann"], Paging(1, 1)).items[0]
    assert newest["kind"] == "distribution.declared" and newest["title"] == "100.00 EUR"


def test_the_dashboard_reads_every_list_at_once(net, history):
    board = net.activity.dashboard(history["ann"], shown=1)
    assert [p["title"] for p in board["open_asks"].items] == ["Lamp repair"]
    assert not board["open_asks"].has_next  # the fulfilled shelf ask is not open
    assert board["gives_waiting"].items and board["news"].items
    assert board["open_offers"].items == [] and board["referrals_waiting"].items == []


def test_rebuild_equals_the_read_model_built_batch_by_batch(network: Network):
    small_network(network)
    assert_rebuild_equals_incremental(network, "activity")
