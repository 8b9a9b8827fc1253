"""Two writers, one aggregate: exactly one wins and the log stays whole."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from uuid import UUID

import pytest

from coop.bootstrap import Network, build
from coop.config import Settings
from domain.ask import Ask
from domain.circle import Circle
from domain.errors import (
    ConcurrentChange,
    GiveAlreadySettled,
    MemberAlreadyJoined,
    StateConflict,
)
from domain.give import Give
from domain.offer import Offer


@dataclass
class Scene:
    """A network with Ana, who helped Ben, and a second process on the same store."""

    net: Network
    other: Network
    ana: UUID
    ben: UUID


@pytest.fixture
def scene(network: Network) -> Iterator[Scene]:
    ana = network.members.add(email="ana@coop.test", name="Ana")
    ben = network.members.add(email="ben@coop.test", name="Ben")
    other = build(network.settings)
    try:
        yield Scene(network, other, ana, ben)
    finally:
        other.close()


def versions(net: Network, aggregate_id: UUID) -> list[int]:
    return [e.originator_version for e in net.app.events.get(aggregate_id)]


def event_names(net: Network, aggregate_id: UUID) -> list[str]:
    return [type(e).__name__ for e in net.app.events.get(aggregate_id)]


def assert_log_is_whole(net: Network) -> None:
    """Assert the log's positions only grow: nothing duplicated, nothing out of order."""
    positions = [n.id for n in net.app.recorder.select_notifications(start=1, limit=10_000)]
    assert positions == sorted(set(positions))


def give_from_ana(s: Scene, **kwargs) -> UUID:
    return s.net.gives.record(receiver_id=s.ben, hours="1", description="Oven", by=s.ana, **kwargs)


def test_a_confirm_and_a_dispute_loaded_together_cannot_both_be_saved(scene: Scene) -> None:
    give_id = give_from_ana(scene)
    app_a, app_b = scene.net.app, scene.other.app
    # Both writers load version 1 before either saves.
    give_a = app_a.load(Give, give_id, "give")
    give_b = app_b.load(Give, give_id, "give")
    give_a.confirm(by=scene.ben)
    give_b.dispute(reason="Too many hours", by=scene.ben)
    app_a.save(give_a)
    before = app_b.last_position()
    with pytest.raises(ConcurrentChange, match="someone else changed this at the same moment"):
        app_b.save(give_b)
    assert app_b.last_position() == before
    assert versions(scene.net, give_id) == [1, 2]
    assert event_names(scene.net, give_id) == ["Recorded", "Confirmed"]
    assert scene.other.gives.get(give_id)["status"] == "confirmed"
    assert_log_is_whole(scene.net)


def test_two_edits_of_one_offer_from_stale_pages_do_not_overwrite(scene: Scene) -> None:
    offer_id = scene.net.postings.post_offer(title="Bread", by=scene.ana)
    offer_a = scene.net.app.load(Offer, offer_id, "offer")
    offer_b = scene.other.app.load(Offer, offer_id, "offer")
    offer_a.update(title="Sourdough", description="", tags="", by=scene.ana)
    offer_b.update(title="Rye", description="", tags="", by=scene.ana)
    scene.other.app.save(offer_b)
    with pytest.raises(ConcurrentChange, match="nothing was saved, try again"):
        scene.net.app.save(offer_a)
    assert versions(scene.net, offer_id) == [1, 2]
    assert scene.net.postings.get_offer(offer_id)["title"] == "Rye"


def interleave(net: Network, kind: type, rival: Callable[[], None]) -> list[int]:
    """Make ``rival`` run once, right after ``net`` first loads an aggregate of ``kind``.

    Returns a list that counts how often ``net`` loaded that kind.
    """
    loads: list[int] = []
    load = net.app.load

    def load_then_let_the_rival_in(k, aggregate_id, what):
        aggregate = load(k, aggregate_id, what)
        if k is kind:
            loads.append(1)
            if len(loads) == 1:
                rival()
        return aggregate

    net.app.load = load_then_let_the_rival_in  # type: ignore[method-assign]
    return loads


def test_a_confirm_that_loses_the_race_is_retried_and_refused_clearly(scene: Scene) -> None:
    give_id = give_from_ana(scene)
    loads = interleave(scene.net, Give, lambda: scene.other.gives.confirm(give_id, by=scene.ben))
    with pytest.raises(GiveAlreadySettled, match="this give is already confirmed") as refusal:
        scene.net.gives.confirm(give_id, by=scene.ben)
    assert isinstance(refusal.value, StateConflict)
    assert len(loads) == 2  # lost the race once, then re-decided on fresh state
    assert event_names(scene.net, give_id) == ["Recorded", "Confirmed"]
    assert versions(scene.net, give_id) == [1, 2]


def test_the_give_and_its_ask_are_saved_together_or_not_at_all(scene: Scene) -> None:
    ask_id = scene.net.postings.post_ask(title="Oven broken", by=scene.ben)
    give_id = give_from_ana(scene, ask_id=ask_id)
    # While Ben's confirm is deciding, Ben edits the ask elsewhere: the first save of
    # (give, ask) fails on the ask, so the give's confirmation must not be saved either,
    # or the retry would find it already confirmed.
    loads = interleave(scene.net, Ask, lambda: scene.other.postings.update_ask(
        ask_id, title="Oven still broken", description="", tags="", by=scene.ben))
    scene.net.gives.confirm(give_id, by=scene.ben)
    assert len(loads) == 2
    assert event_names(scene.net, give_id) == ["Recorded", "Confirmed"]
    assert event_names(scene.net, ask_id) == ["Posted", "Updated", "Fulfilled"]
    assert versions(scene.net, ask_id) == [1, 2, 3]
    assert scene.net.postings.get_ask(ask_id)["fulfilled_by"] == give_id


def test_one_email_added_twice_at_once_is_one_member(scene: Scene) -> None:
    # Both processes see no member with this email, then both try to add one.
    exists = scene.net.app.exists

    def exists_while_the_other_adds(aggregate_id: UUID) -> bool:
        answer = exists(aggregate_id)
        scene.net.app.exists = exists  # type: ignore[method-assign]  # once is enough
        scene.other.members.add(email="dee@coop.test", name="Dee")
        return answer

    scene.net.app.exists = exists_while_the_other_adds  # type: ignore[method-assign]
    before = scene.net.app.last_position()
    with pytest.raises(MemberAlreadyJoined, match="dee@coop.test is already a member"):
        scene.net.members.add(email="DEE@coop.test", name="Dee too")
    assert scene.net.app.last_position() == before + 1  # only the other's Joined
    dee = scene.net.members.id_for_email("dee@coop.test")
    assert scene.net.members.get(dee)["name"] == "Dee"
    assert versions(scene.net, dee) == [1]


def race(settings: Settings, work: list[Callable[[Network], object]]) -> list[object]:
    """Run each piece of work in its own thread with its own network (its own
    application and connections); return each result or the exception it raised."""
    results: list[object] = [None] * len(work)

    def run(i: int) -> None:
        net = build(settings)
        try:
            results[i] = work[i](net)
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[i] = error
        finally:
            net.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results


def test_two_threads_settling_one_give_exactly_one_wins(scene: Scene) -> None:
    give_id = give_from_ana(scene)
    both_loaded = threading.Barrier(2, timeout=30)

    def settle(command: Callable[[Give], None]) -> Callable[[Network], object]:
        def work(net: Network) -> str:
            give = net.app.load(Give, give_id, "give")
            both_loaded.wait()  # neither saves before both have decided on version 1
            command(give)
            net.app.save(give)
            return give.status
        return work

    results = race(scene.net.settings, [
        settle(lambda g: g.confirm(by=scene.ben)),
        settle(lambda g: g.dispute(reason="Too many hours", by=scene.ben)),
    ])
    winners = [r for r in results if isinstance(r, str)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], ConcurrentChange)
    assert versions(scene.net, give_id) == [1, 2]
    assert scene.net.gives.get(give_id)["status"] == winners[0]
    assert_log_is_whole(scene.net)


def test_two_threads_admitting_to_one_circle_both_get_in(scene: Scene) -> None:
    # Admitting is retried on fresh state, so concurrent admissions all succeed.
    circle_id = scene.net.circles.form(name="Riverside")
    both_loaded = threading.Barrier(2, timeout=30)

    def admit(member_id: UUID) -> Callable[[Network], object]:
        def work(net: Network) -> int:
            load, loads = net.app.load, []

            def load_and_wait(kind, aggregate_id, what):
                aggregate = load(kind, aggregate_id, what)
                if kind is Circle:
                    loads.append(1)
                    if len(loads) == 1:  # the load inside the first unit of work
                        both_loaded.wait()
                return aggregate

            net.app.load = load_and_wait  # type: ignore[method-assign]
            net.circles.admit(circle_id, member_id)
            return len(loads)
        return work

    results = race(scene.net.settings, [admit(scene.ana), admit(scene.ben)])
    # One admission saved at once; the other lost the race and was re-decided.
    assert sorted(results) == [1, 2]
    assert sorted(scene.net.circles.get(circle_id)["members"]) == sorted([scene.ana, scene.ben])
    assert versions(scene.net, circle_id) == [1, 2, 3]
    assert_log_is_whole(scene.net)
