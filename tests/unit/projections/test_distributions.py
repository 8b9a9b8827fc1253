"""The list of surplus distributions, and pages of lists in memory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coop.bootstrap import Network
from domain.errors import InvalidValue
from projections.listing import Paging, check_page, like_pattern, page_of
from tests.unit.projections.histories import assert_rebuild_equals_incremental, small_network


def test_distributions_are_listed_newest_first_with_their_circle(sqlite_network: Network):
    h = small_network(sqlite_network)
    with h.at():
        sqlite_network.fairshare.distribute(h["repair"], period_start="2025-01-01",
                                            period_end="2025-01-31", pool="10", currency="JPY")
    listed = sqlite_network.distributions.recent(Paging()).items

    assert [(d["circle"]["name"], d["pool"], d["currency"]) for d in listed] == [
        ("Repair Café", Decimal(10), "JPY"), ("Makers", Decimal("100.00"), "EUR")]
    # Nobody did anything in January 2025: the pool is carried forward.
    assert listed[0]["carried_forward"] and listed[0]["shares"] == 0
    # Only Ann gave in the Makers circle in January 2026: one member has a share.
    assert listed[1]["shares"] == 1 and listed[1]["period_start"] == date(2026, 1, 1)
    only_makers = sqlite_network.distributions.recent(Paging(), circle_id=str(h["makers"]))
    assert [d["id"] for d in only_makers.items] == [h["distribution"]]


def test_pages_of_a_list_in_memory():
    items = list(range(7))
    assert page_of(items, 1, 3).items == [0, 1, 2] and page_of(items, 1, 3).has_next
    last = page_of(items, 3, 3)
    assert last.items == [6] and not last.has_next and last.first_index == 7
    assert page_of(items, 4, 3).items == []
    assert Paging(2, 10).offset == 10 and Paging(2, 10).limit == 11


@pytest.mark.parametrize("number", [0, -1, 401, "2", 1.0, True])
def test_a_page_number_must_be_a_whole_number_in_range(number):
    with pytest.raises(InvalidValue, match="page number"):
        check_page(number)


def test_search_text_matches_wildcards_literally():
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"


def test_rebuild_equals_the_read_model_built_batch_by_batch(network: Network):
    small_network(network)
    assert_rebuild_equals_incremental(network, "distributions")
