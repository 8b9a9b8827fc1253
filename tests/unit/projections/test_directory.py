"""The directory read model: members with circles and offers, circles with members."""

from __future__ import annotations

import pytest

from coop.bootstrap import Network
from domain.errors import InvalidValue, NotFound
from projections.listing import Paging
from tests.unit.projections.histories import (
    assert_rebuild_equals_incremental,
    small_network,
)


def names_on(page: object) -> list[str]:
    return [m["name"] for m in page.items]  # type: ignore[attr-defined]


def test_members_are_listed_by_name_without_those_who_left(net, history):
    page = net.directory.members(Paging(), viewer=str(history["ann"]))

    assert names_on(page) == ["Ann Archer", "Bo Baker", "Cy Carver", "Sam Steward"]
    ann = page.items[0]
    assert [c["name"] for c in ann["circles"]] == ["Makers", "Repair Café"]
    assert not page.has_next and not page.has_prev


def test_a_member_card_shows_open_offers_only_to_those_who_may_see_them(net, history):
    directory = net.directory
    # Cy's offer is in the Makers circle: Ann is in it, Sam is not.
    assert [o["title"] for o in directory.member(history["cy"], str(history["ann"]))["offers"]] \
        == ["Saw sharpening"]
    assert directory.member(history["cy"], str(history["steward"]))["offers"] == []
    # A withdrawn offer is gone from the card.
    assert [o["title"] for o in directory.member(history["bo"])["offers"]] == ["Bread lessons"]


def test_members_are_found_by_name_or_business_and_by_circle(net, history):
    directory = net.directory
    assert names_on(directory.members(Paging(), search="BAKERY")) == ["Bo Baker"]
    assert names_on(directory.members(Paging(), search="  carv ")) == ["Cy Carver"]
    assert names_on(directory.members(Paging(), search="100%_")) == []
    # Cy left the Makers circle; the circle filter shows members now.
    assert names_on(directory.members(Paging(), circle_id=str(history["makers"]))) == [
        "Ann Archer", "Bo Baker"]
    with pytest.raises(NotFound):
        directory.members(Paging(), circle_id="no-such-circle")


def test_a_steward_who_lost_the_role_is_no_longer_shown_as_one(network):
    history = small_network(network)
    assert network.directory.member(history["steward"])["steward"] is False
    network.members.grant_steward(history["steward"])
    assert network.directory.member(history["steward"])["steward"] is True


def test_a_profile_change_renames_the_member_everywhere(net, history):
    card = net.directory.member(history["di"])
    assert card["name"] == "Di Dyer-Weaver" and card["business"] == "Dyes"
    assert card["left_at"] is not None


def test_pages_know_whether_another_follows(net, history):
    directory = net.directory
    first, second = directory.members(Paging(1, 3)), directory.members(Paging(2, 3))

    assert names_on(first) == ["Ann Archer", "Bo Baker", "Cy Carver"] and first.has_next
    assert names_on(second) == ["Sam Steward"] and not second.has_next and second.has_prev
    assert directory.members(Paging(3, 3)).items == []
    with pytest.raises(InvalidValue, match="page number"):
        Paging(0)


def test_circles_show_parent_members_children_and_mandates(net, history):
    directory = net.directory
    listed = directory.circles(Paging()).items
    assert [(c["name"], c["members"], c["parent"] and c["parent"]["name"]) for c in listed] == [
        ("Makers", 2, None), ("Repair Café", 2, "Makers")]

    makers = directory.circle(history["makers"])
    assert [c["name"] for c in makers["children"]] == ["Repair Café"]
    assert makers["mandates"][0]["domain"] == "the workshop"
    assert makers["mandates"][0]["decision"] == "assembly of 5 January"
    assert names_on(directory.circle_members(history["makers"], Paging())) == [
        "Ann Archer", "Bo Baker"]
    assert directory.circle_ids_of(history["cy"]) == []
    with pytest.raises(NotFound):
        directory.circle("1b4e28ba-2fa1-11d2-883f-0016d3cca427")


def test_a_query_reads_its_own_writes(sqlite_network):
    # No projector runs: the query catches the read model up itself.
    sqlite_network.members.add(email="eve@coop.test", name="Eve Early")
    assert names_on(sqlite_network.directory.members(Paging())) == ["Eve Early"]


def test_rebuild_equals_the_read_model_built_batch_by_batch(network: Network):
    small_network(network)
    assert_rebuild_equals_incremental(network, "directory")
