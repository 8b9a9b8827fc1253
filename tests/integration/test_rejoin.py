"""Coming back to the network, on each backend: the services, what the read models show,
and the ledger's eligibility for periods before, during and after a time away."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from coop.accounts import SignInRefused
from coop.bootstrap import Network
from coop.services.authority import OPERATOR
from domain import clock
from domain.circle import Circle
from domain.errors import (
    CoopError,
    InvalidText,
    MemberAlreadyJoined,
    MemberHasLeft,
    NotASteward,
    NotFound,
)
from domain.member import Member
from projections.listing import Paging
from tests.integration.conftest import FAST_HASHER
from tests.unit.projections.fakes import rows_of


def refused(net: Network, error: type[CoopError], match: str,
            command: Callable[[], object]) -> None:
    """Assert ``command`` is refused with ``error`` and writes nothing to the log."""
    before = net.app.last_position()
    with pytest.raises(error, match=match):
        command()
    assert net.app.last_position() == before


def events_since(net: Network, position: int) -> list[Any]:
    return [net.app.mapper.to_domain_event(n)
            for n in net.app.recorder.select_notifications(position + 1, 100)]


# -- the services ----------------------------------------------------------------------------

def test_a_steward_welcomes_back_a_member_without_their_roles_or_circles(
        network: Network) -> None:
    net = network
    sam = net.members.add(email="sam@coop.test", name="Sam", steward=True)
    ana = net.members.add(email="ana@coop.test", name="Ana", steward=True)
    bo = net.members.add(email="bo@coop.test", name="Bo")
    makers = net.circles.form(name="Makers")
    repair = net.circles.form(name="Repair Café", parent_id=makers)
    choir = net.circles.form(name="Choir")
    for circle in (makers, repair):
        net.circles.admit(circle, ana)
    net.circles.admit(choir, bo)
    net.members.leave(ana, reason="a year abroad", by=ana)
    before = net.app.last_position()

    ended = net.members.rejoin(ana, note="back from abroad", by=sam)

    assert sorted(c["name"] for c in ended) == ["Makers", "Repair Café"]
    member = net.members.get(ana)
    assert (member["has_left"], member["roles"]) == (False, [])
    for circle in (makers, repair):
        assert ana not in net.circles.get(circle)["members"]
    assert net.circles.get(choir)["members"] == [bo]  # other circles untouched
    # One transaction: the return and the memberships it ended, and nothing else.
    written = events_since(net, before)
    assert [type(e) for e in written] == [Member.Rejoined, Circle.MemberDeparted,
                                          Circle.MemberDeparted]
    assert all(e.by == sam for e in written) and written[0].note == "back from abroad"
    # They act again; circles admit them again, deliberately.
    net.postings.post_offer(title="Bread lessons", by=ana)
    net.circles.admit(makers, ana)
    assert ana in net.circles.get(makers)["members"]
    refused(net, NotASteward, "only a steward may form circles",
            lambda: net.circles.form(name="Ana's circle", by=ana))


def test_only_a_steward_welcomes_back_and_a_refusal_writes_nothing(network: Network) -> None:
    net = network
    sam = net.members.add(email="sam@coop.test", name="Sam", steward=True)
    ana = net.members.add(email="ana@coop.test", name="Ana")
    bo = net.members.add(email="bo@coop.test", name="Bo")
    net.members.leave(ana, by=ana)

    refused(net, NotASteward, "only a steward may welcome back a member who left",
            lambda: net.members.rejoin(ana, by=bo))
    refused(net, MemberHasLeft, "Ana has left the network",
            lambda: net.members.rejoin(ana, by=ana))
    refused(net, MemberAlreadyJoined, "Bo is already a member and has not left",
            lambda: net.members.rejoin(bo, by=sam))
    refused(net, NotFound, "no member with id", lambda: net.members.rejoin(uuid4(), by=sam))
    refused(net, InvalidText, "note must be at most 500 characters",
            lambda: net.members.rejoin(ana, note="x" * 501, by=sam))
    assert net.members.get(ana)["has_left"]

    net.members.rejoin(ana, by=OPERATOR)  # the command line acts as the operator
    refused(net, MemberAlreadyJoined, "Ana is already a member and has not left",
            lambda: net.members.rejoin(ana, by=sam))


def test_adding_the_email_of_one_who_left_says_to_welcome_them_back(network: Network) -> None:
    net = network
    with clock.frozen_at(datetime(2026, 3, 3, 9, tzinfo=timezone.utc)):
        ana = net.members.add(email="ana@coop.test", name="Ana")
        net.members.leave(ana, by=ana)

    refused(net, MemberAlreadyJoined,
            r"ana@coop.test left the network on 3 March 2026: welcome them back instead of "
            r"adding them again \('coop member rejoin ana@coop.test', or 'Welcome back'",
            lambda: net.members.add(email=" ANA@coop.test", name="Ana Again", steward=True))
    assert net.members.get(ana)["name"] == "Ana"

    net.members.rejoin(ana)
    refused(net, MemberAlreadyJoined, "^ana@coop.test is already a member$",
            lambda: net.members.add(email="ana@coop.test", name="Ana"))


def test_comings_and_goings_are_read_from_the_members_own_events(network: Network) -> None:
    net = network
    times = [datetime(2026, m, 1, 9, tzinfo=timezone.utc) for m in (1, 2, 4, 6, 7)]
    with clock.frozen_at(times[0]):
        ana = net.members.add(email="ana@coop.test", name="Ana")
    assert net.members.absences(ana) == []
    for moment, act in zip(times[1:], ("leave", "rejoin", "leave", "rejoin")):
        with clock.frozen_at(moment):
            if act == "leave":
                net.members.leave(ana, by=ana)
            else:
                net.members.rejoin(ana)
    assert net.members.absences(ana) == [
        {"left_at": times[1], "rejoined_at": times[2]},
        {"left_at": times[3], "rejoined_at": times[4]},
    ]


def test_their_old_password_works_again_once_they_are_back(network: Network) -> None:
    net = network
    net.accounts.hasher = FAST_HASHER
    ana = net.members.add(email="ana@coop.test", name="Ana")
    net.accounts.set_password(ana, "ana-password-1234")
    net.members.leave(ana, by=ana)
    with pytest.raises(SignInRefused):
        net.accounts.sign_in("ana@coop.test", "ana-password-1234", address=None)

    net.members.rejoin(ana)

    session = net.accounts.sign_in("ana@coop.test", "ana-password-1234", address=None)
    assert net.accounts.member_for(session) == ana
    # One who never set a password is invited, as any member is.
    bo = net.members.add(email="bo@coop.test", name="Bo")
    net.members.leave(bo, by=bo)
    net.members.rejoin(bo)
    token = net.accounts.invite("bo@coop.test")
    assert net.accounts.invitation(token)["email"] == "bo@coop.test"


def test_one_who_came_back_votes_once_a_circle_admits_them_again(network: Network) -> None:
    net = network
    ana = net.members.add(email="ana@coop.test", name="Ana")
    bo = net.members.add(email="bo@coop.test", name="Bo")
    garden = net.circles.form(name="Garden")
    for who in (ana, bo):
        net.circles.admit(garden, who)
    net.members.leave(ana, by=ana)
    net.members.rejoin(ana)
    closes = clock.now() + timedelta(days=7)

    def opened() -> UUID:
        pid = net.proposals.draft(circle_id=garden, title="Plant beans", text="In May",
                                  method="yes_no", by=bo)
        net.proposals.open(pid, closes_at=closes, by=bo)
        return pid

    before = opened()
    assert net.proposals.get(before)["electorate"] == [bo]
    with pytest.raises(CoopError):
        net.ballots.cast(before, "yes", by=ana)

    net.circles.admit(garden, ana)
    after = opened()

    assert sorted(net.proposals.get(after)["electorate"], key=str) == sorted([ana, bo], key=str)
    net.ballots.cast(after, "yes", by=ana)
    assert net.ballots.voters(after) == [ana]
    assert net.proposals.get(before)["electorate"] == [bo]  # frozen at its opening


# -- the read models ------------------------------------------------------------------------

def day(month: int, d: int) -> AbstractContextManager[None]:
    return clock.frozen_at(datetime(2026, month, d, 9, tzinfo=timezone.utc))


def a_year_with_two_absences(net: Network) -> dict[str, UUID]:
    """Ana gives in January, is away February-March, gives again in April, is away in
    May, and is back in June. A Makers distribution for a February period is declared
    while she is away."""
    ids: dict[str, UUID] = {}
    with day(1, 5):
        ids["sam"] = net.members.add(email="sam@coop.test", name="Sam", steward=True)
        for who in ("ana", "bo", "cy"):
            ids[who] = net.members.add(email=f"{who}@coop.test", name=who.title())
        ids["makers"] = net.circles.form(name="Makers")
        for who in ("ana", "bo", "cy"):
            net.circles.admit(ids["makers"], ids[who])
    with day(1, 10):
        give = net.gives.record(receiver_id=ids["bo"], hours="2", description="shelves",
                                circle_id=ids["makers"], by=ids["ana"])
        net.gives.confirm(give, by=ids["bo"])
    with day(2, 1):
        net.members.leave(ids["ana"], reason="sabbatical", by=ids["ana"])
    with day(2, 15):
        give = net.gives.record(receiver_id=ids["cy"], hours="1", description="sanding",
                                circle_id=ids["makers"], by=ids["bo"])
        net.gives.confirm(give, by=ids["cy"])
    with day(3, 5):
        ids["distribution"] = net.fairshare.distribute(
            ids["makers"], period_start="2026-02-10", period_end="2026-02-28",
            pool="100.00", currency="EUR", by=ids["sam"])
    with day(4, 1):
        net.members.rejoin(ids["ana"], note="back", by=ids["sam"])
    with day(4, 2):
        net.circles.admit(ids["makers"], ids["ana"])
    with day(4, 5):
        give = net.gives.record(receiver_id=ids["bo"], hours="1.5", description="oven",
                                circle_id=ids["makers"], by=ids["ana"])
        net.gives.confirm(give, by=ids["bo"])
    with day(5, 1):
        net.members.leave(ids["ana"], by=ids["ana"])
    with day(6, 1):
        net.members.rejoin(ids["ana"], by=ids["sam"])
    return ids


def eligible(net: Network, circle: UUID | None, start: tuple[int, int],
             end: tuple[int, int]) -> dict[UUID, Decimal]:
    return {a.member_id: a.give_hours for a in net.ledger.activity(
        circle, date(2026, *start), date(2026, *end))}


def test_the_directory_and_the_news_show_them_back(network: Network) -> None:
    net = network
    ids = a_year_with_two_absences(net)
    names = [m["name"] for m in net.directory.members(Paging()).items]
    assert names == ["Ana", "Bo", "Cy", "Sam"]
    card = net.directory.member(ids["ana"])
    assert card["left_at"] is None and card["steward"] is False and card["circles"] == []
    news = [(n["kind"], n["actor"]["id"] if n["actor"] else None)
            for n in net.activity.feed(ids["bo"], Paging(1, 50)).items]
    assert news.count(("member.rejoined", ids["ana"])) == 2
    assert news.count(("member.left", ids["ana"])) == 2


def test_the_ledger_keeps_her_history_and_counts_her_only_while_she_was_there(
        network: Network) -> None:
    net = network
    ids = a_year_with_two_absences(net)
    ana, bo, cy, makers = ids["ana"], ids["bo"], ids["cy"], ids["makers"]

    lines = net.ledger.statement(ana)["lines"]
    assert [(line["kind"], line["hours"]) for line in lines] == [
        ("given", Decimal("2.00")), ("given", Decimal("1.50"))]
    assert net.ledger.member_ledger(ana)["given"] == Decimal("3.50")
    assert ana in [line["member_id"] for line in net.ledger.ledger()["members"]]

    # Before, during and after each time away, for the network and for the circle.
    assert eligible(net, None, (1, 1), (1, 31))[ana] == Decimal("2.00")
    assert ana in eligible(net, None, (1, 20), (2, 20))  # she left during the period
    assert ana not in eligible(net, None, (2, 10), (3, 20))
    assert ana not in eligible(net, makers, (2, 10), (3, 20))
    assert eligible(net, makers, (4, 1), (4, 30))[ana] == Decimal("1.50")
    assert ana not in eligible(net, None, (5, 5), (5, 25))
    assert ana in eligible(net, None, (6, 1), (6, 30))
    # Her return on 1 June ended her listing in Makers: from the day after, not in it.
    assert ana not in eligible(net, makers, (6, 2), (6, 30))
    assert set(eligible(net, makers, (2, 10), (2, 28))) == {bo, cy}
    assert net.ledger.members_during(None, date(2026, 5, 5), date(2026, 5, 25)) == \
        sorted([ids["sam"], bo, cy])
    # A distribution declared while she was away still recomputes the same.
    assert net.fairshare.recompute(ids["distribution"]) is True


@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_rebuilt_read_models_equal_those_built_as_it_happened(network: Network,
                                                             batch_size: int) -> None:
    net = network
    a_year_with_two_absences(net)
    names = ["ledger", "directory", "activity", "audit"]
    net.projector.batch_size = batch_size
    net.projector.catch_up(names)
    live = {name: rows_of(net.read_models, net.projector.projection(name)) for name in names}
    stints = [r for r in live["ledger"]["circle_members"] if r[0] == "network"]
    assert len(stints) == 3 and stints[-1][4] is None  # before, between, and since

    for name in names:
        net.projector.rebuild(name)
        assert rows_of(net.read_models, net.projector.projection(name)) == live[name], name


def test_the_audit_line_of_a_return_conceals_the_note(network: Network) -> None:
    net = network
    ana = net.members.add(email="ana@coop.test", name="Ana")
    net.members.leave(ana, by=ana)
    net.members.rejoin(ana, note="back from Lisbon")
    net.projector.catch_up(["audit"])
    with net.read_models.reading() as tx:
        details = tx.fetchall("SELECT details FROM {audit_lines} "
                              "WHERE action = 'member.rejoined'")
    assert len(details) == 1
    assert "back from Lisbon" not in details[0][0] and "hmac-sha256:" in details[0][0]
