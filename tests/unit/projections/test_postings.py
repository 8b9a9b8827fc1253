"""The board read model: offers and asks by status, tag and circle, and their answers."""

from __future__ import annotations

from coop.bootstrap import Network
from projections.listing import Paging
from tests.unit.projections.histories import (
    assert_rebuild_equals_incremental,
    small_network,
)


def titles(page: object) -> list[str]:
    return [p["title"] for p in page.items]  # type: ignore[attr-defined]


def test_open_asks_newest_first_with_their_tags_and_authors(net, history):
    asks = net.board.browse("ask", Paging(), viewer=str(history["bo"]))

    # The shelf ask is fulfilled, one is withdrawn, the lamp ask is in a circle Bo is in.
    assert titles(asks) == ["Lamp repair", "Birthday cake"]
    lamp, cake = asks.items
    assert lamp["circle"]["name"] == "Repair Café" and lamp["author"]["name"] == "Ann Archer"
    assert cake["author"]["name"] == "Di Dyer-Weaver"  # the name as it is now
    assert cake["tags"] == ["baking"] and cake["answers"] == 1


def test_each_status_has_its_list(net, history):
    board, bo = net.board, str(history["bo"])
    assert titles(board.browse("ask", Paging(), viewer=bo, status="fulfilled")) == [
        "Fix two shelves"]
    assert titles(board.browse("ask", Paging(), viewer=bo, status="withdrawn")) == ["Never mind"]
    assert titles(board.browse("offer", Paging(), viewer=bo, status="any")) == [
        "Old offer", "Saw sharpening", "Bread lessons"]
    fulfilled = board.browse("ask", Paging(), viewer=bo, status="fulfilled").items[0]
    assert fulfilled["tags"] == ["carpentry", "wood"]  # as updated


def test_a_posting_in_a_circle_is_seen_by_its_members_and_author_only(net, history):
    board = net.board
    assert "Lamp repair" not in titles(board.browse("ask", Paging(), viewer=str(history["cy"])))
    assert "Lamp repair" in titles(board.browse("ask", Paging(), viewer=str(history["ann"])))
    # Cy left the Makers circle but still sees the offer he posted there.
    assert "Saw sharpening" in titles(board.browse("offer", Paging(),
                                                   viewer=str(history["cy"])))
    assert titles(board.browse("offer", Paging(), viewer=str(history["ann"]),
                               circle_id=str(history["makers"]))) == ["Saw sharpening"]


def test_tags_filter_the_list_and_count_open_postings(net, history):
    board, ann = net.board, str(history["ann"])
    assert titles(board.browse("offer", Paging(), viewer=ann, tag="baking")) == ["Bread lessons"]
    assert titles(board.browse("offer", Paging(), viewer=ann, tag="baking", status="any")) == [
        "Old offer", "Bread lessons"]
    # The withdrawn offer no longer counts; the updated ask's old tag no longer does.
    assert board.tags("offer") == [{"tag": "baking", "count": 1}, {"tag": "bread", "count": 1},
                                   {"tag": "tools", "count": 1}]
    assert board.tags("ask") == [{"tag": "baking", "count": 1}, {"tag": "electrics", "count": 1}]


def test_a_members_own_postings(net, history):
    board = net.board
    mine = board.browse("offer", Paging(), viewer=str(history["bo"]),
                        author_id=str(history["bo"]), status="any")
    assert titles(mine) == ["Old offer", "Bread lessons"]


def test_an_ask_shows_who_offered_help_and_what_became_of_it(net, history):
    board = net.board
    shelf = board.answers(history["shelf"], Paging()).items
    assert [(a["giver"]["name"], a["hours"], a["status"]) for a in shelf] == [
        ("Cy Carver", 2.5, "confirmed")]
    bread = board.answers(history["bread"], Paging()).items
    assert [(a["giver"]["name"], a["status"]) for a in bread] == [("Bo Baker", "disputed")]
    assert board.answers(history["lamp"], Paging()).items == []


def test_rebuild_equals_the_read_model_built_batch_by_batch(network: Network):
    small_network(network)
    assert_rebuild_equals_incremental(network, "postings")
