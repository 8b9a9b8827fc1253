"""The fair-share ledger over a small history with known figures, on each backend.

Ana, Ben and Cy are in the Makers circle (Ana and Ben also in Repair, under
Makers). Through the first quarter of 2025 they give, confirm, dispute and reverse;
Ana refers business to Ben. Every figure below is worked out by hand from the story.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal as D
from types import SimpleNamespace
from uuid import UUID

import pytest

from coop.bootstrap import Network
from coop.cli import main
from domain import clock
from domain.errors import InvalidValue, NotFound
from domain.give import Give


@contextmanager
def on(day: str) -> Iterator[None]:
    """Act at noon UTC on ``day``."""
    with clock.frozen_at(datetime.fromisoformat(f"{day}T12:00:00+00:00")):
        yield


@dataclass
class Story:
    net: Network
    ana: UUID
    ben: UUID
    cy: UUID
    dee: UUID
    makers: UUID
    repair: UUID
    reversed_give: UUID


@pytest.fixture
def story(network: Network) -> Story:
    net = network
    with on("2025-01-01"):
        steward = net.members.add(email="sam@coop.test", name="Sam Steward", steward=True)
        ana = net.members.add(email="ana@coop.test", name="Ana")
        ben = net.members.add(email="ben@coop.test", name="Ben")
        cy = net.members.add(email="cy@coop.test", name="Cy")
        makers = net.circles.form(name="Makers")
        repair = net.circles.form(name="Repair", parent_id=makers)
        for m in (ana, ben, cy):
            net.circles.admit(makers, m)
        for m in (ana, ben):
            net.circles.admit(repair, m)
    with on("2025-01-10"):
        g1 = net.gives.record(receiver_id=ben, hours="3", description="fixed a chair",
                              circle_id=repair, by=ana)
    with on("2025-01-11"):
        net.gives.confirm(g1, by=ben)
    with on("2025-01-15"):
        r1 = net.referrals.make(receiver_id=ben, prospect="Cafe", need="chairs", warmth=4,
                                circle_id=makers, by=ana)
        net.referrals.accept(r1, by=ben)
    with on("2025-01-20"):
        g2 = net.gives.record(receiver_id=cy, hours="2", description="moved boxes", by=ben)
    with on("2025-02-02"):  # confirmed in February: it counts in February
        net.gives.confirm(g2, by=cy)
    with on("2025-02-05"):
        g3 = net.gives.record(receiver_id=ana, hours="1.5", description="sharpened tools",
                              circle_id=makers, by=cy)
    with on("2025-02-06"):
        net.gives.dispute(g3, reason="it was one hour", by=ana)
    with on("2025-02-10"):
        g4 = net.gives.record(receiver_id=cy, hours="4", description="website", by=ana)
    with on("2025-02-11"):
        net.gives.confirm(g4, by=cy)
    with on("2025-02-20"):
        net.referrals.close_business(r1, value="1200.00", currency="EUR", by=ben)
    with on("2025-03-01"):
        net.referrals.make(receiver_id=cy, prospect="Bakery", need="shelves", warmth=2, by=ben)
    with on("2025-03-03"):
        net.gives.reverse(g4, reason="recorded twice", by=steward)
    with on("2025-03-06"):  # the two agree after all
        net.gives.confirm(g3, by=ana)
    with on("2025-03-10"):
        net.circles.depart(makers, cy, by=cy)
    with on("2025-03-15"):
        dee = net.members.add(email="dee@coop.test", name="Dee")
    return Story(net, ana, ben, cy, dee, makers, repair, g4)


def figures(report: dict, who: UUID) -> tuple:
    [line] = [m for m in report["members"] if m["member_id"] == who]
    return line["given"], line["received"], line["balance"], line["index"]


def test_only_confirmed_gives_count_at_the_time_they_were_confirmed(story):
    jan = story.net.ledger.ledger(as_of=date(2025, 1, 31))
    assert figures(jan, story.ana) == (D("3.00"), D("0.00"), D("3.00"), D("1.0000"))
    # Ben's give to Cy was recorded in January but confirmed in February.
    assert figures(jan, story.ben) == (D("0.00"), D("3.00"), D("-3.00"), D("-1.0000"))
    assert figures(jan, story.cy) == (D("0.00"), D("0.00"), D("0.00"), None)


def test_disputed_gives_are_shown_apart_and_reversals_netted(story):
    feb = story.net.ledger.ledger(as_of=date(2025, 2, 28))
    assert figures(feb, story.ana)[:3] == (D("7.00"), D("0.00"), D("7.00"))
    [cy] = [m for m in feb["members"] if m["member_id"] == story.cy]
    assert cy["disputed"] == {"given": D("1.50"), "received": D("0.00")}

    now = story.net.ledger.ledger()
    # The 4 hours Ana gave Cy were reversed; the disputed 1.5 hours were confirmed.
    assert figures(now, story.ana) == (D("3.00"), D("1.50"), D("1.50"), D("0.3333"))
    assert figures(now, story.ben) == (D("2.00"), D("3.00"), D("-1.00"), D("-0.2000"))
    assert figures(now, story.cy) == (D("1.50"), D("2.00"), D("-0.50"), D("-0.1429"))
    assert all(m["disputed"] == {"given": D("0.00"), "received": D("0.00")}
               for m in now["members"])
    [ana] = [m for m in now["members"] if m["member_id"] == story.ana]
    assert [(m["month"], m["given"]) for m in ana["months"]] == [
        ("2025-01", D("3.00")), ("2025-02", D("4.00")), ("2025-03", D("-4.00"))]


def test_balances_across_the_network_sum_to_zero(story):
    report = story.net.ledger.ledger()
    assert sum(m["balance"] for m in report["members"]) == 0
    assert report["totals"]["given"] == report["totals"]["received"] == D("6.50")


def test_a_circle_counts_what_happened_in_it_and_in_the_circles_under_it(story):
    makers = story.net.ledger.ledger(story.makers)
    assert makers["scope"] == {"circle_id": story.makers, "name": "Makers"}
    assert figures(makers, story.ana)[:3] == (D("3.00"), D("1.50"), D("1.50"))
    assert figures(makers, story.cy)[:3] == (D("1.50"), D("0.00"), D("1.50"))
    repair = story.net.ledger.ledger(story.repair)
    assert {m["member_id"] for m in repair["members"]} == {story.ana, story.ben}
    assert figures(repair, story.ben)[:3] == (D("0.00"), D("3.00"), D("-3.00"))


def test_referrals_and_business_closed_from_ones_own_referrals(story):
    report = story.net.ledger.ledger()
    [ana] = [m for m in report["members"] if m["member_id"] == story.ana]
    [ben] = [m for m in report["members"] if m["member_id"] == story.ben]
    assert (ana["referrals_passed"], ana["referrals_received"]) == (1, 0)
    assert (ben["referrals_passed"], ben["referrals_received"]) == (1, 1)
    assert ana["closed_business"] == {"EUR": D("1200.00")}
    assert ben["closed_business"] == {}


def test_activity_is_per_eligible_member_for_the_period(story):
    ledger = story.net.ledger
    feb = ledger.activity(story.makers, date(2025, 2, 1), date(2025, 2, 28))
    assert [a.member_id for a in feb] == sorted([story.ana, story.ben, story.cy])
    by = {a.member_id: a for a in feb}
    assert by[story.ana].closed_business == {"EUR": D("1200.00")}
    assert by[story.ana].give_hours == D("0.00")  # the 4 hours to Cy were outside Makers

    march = {a.member_id: a for a in ledger.activity(None, date(2025, 3, 1), date(2025, 3, 31))}
    assert march[story.ana].give_hours == D("-4.00")  # the reversal, at its own time
    assert march[story.cy].give_hours == D("1.50")
    assert march[story.ben].referrals_passed == 1
    assert story.dee in march  # joined in March

    # Cy left Makers on 10 March: a member in March, not in April.
    april = ledger.activity(story.makers, date(2025, 4, 1), date(2025, 4, 30))
    assert [a.member_id for a in april] == sorted([story.ana, story.ben])
    # Dee joined after January.
    assert story.dee not in ledger.members_during(None, date(2025, 1, 1), date(2025, 1, 31))


def test_concentration_counts_members_who_gave_nothing(story):
    c = story.net.ledger.concentration(story.makers, date(2025, 1, 1), date(2025, 3, 31))
    # Hours given in Makers: Ana 3, Ben 0, Cy 1.5.
    assert c == {"gini": D("0.4444"), "top_10_share": D("0.6667"), "members": 3}
    alone = story.net.ledger.concentration(story.makers, date(2025, 4, 1), date(2025, 4, 30))
    assert alone["gini"] is None  # two members, no activity


def test_the_statement_explains_the_balance_event_by_event(story):
    net = story.net
    st = net.ledger.statement(story.ana)
    assert [(ln["kind"], ln["counterparty"]["name"], ln["change"], ln["balance"])
            for ln in st["lines"]] == [
        ("given", "Ben", D("3.00"), D("3.00")),
        ("given", "Cy", D("4.00"), D("7.00")),
        ("reversal_of_given", "Cy", D("-4.00"), D("3.00")),
        ("received", "Cy", D("-1.50"), D("1.50")),
    ]
    assert st["balance"] == D("1.50") == sum(ln["change"] for ln in st["lines"])
    # Each line names its event: the log holds that event at that position.
    for ln in st["lines"]:
        [note] = net.app.recorder.select_notifications(ln["position"], 1)
        event = net.app.mapper.to_domain_event(note)
        assert event.originator_id == ln["give_id"]
        assert type(event) is (Give.Reversed if ln["kind"].startswith("reversal")
                               else Give.Confirmed)
        assert event.timestamp == ln["at"]


def test_a_statement_as_of_a_date_shows_the_disputes_open_then(story):
    st = story.net.ledger.statement(story.ana, as_of=date(2025, 2, 28))
    assert [ln["balance"] for ln in st["lines"]] == [D("3.00"), D("7.00")]
    assert [(d["kind"], d["hours"], d["counterparty"]["id"]) for d in st["disputed"]] == [
        ("disputed_received", D("1.50"), story.cy)]


def test_unknown_circles_and_members_and_backwards_periods_are_refused(story):
    with pytest.raises(NotFound, match="no circle"):
        story.net.ledger.ledger("not-a-circle")
    with pytest.raises(NotFound, match="no member"):
        story.net.ledger.statement(UUID(int=7))
    with pytest.raises(InvalidValue, match="before it starts"):
        story.net.ledger.activity(None, date(2025, 2, 1), date(2025, 1, 1))


@pytest.fixture
def coop(story: Story, monkeypatch, capsys):
    settings = story.net.settings
    monkeypatch.setenv("COOP_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("COOP_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("COOP_DATABASE_URL", raising=False)

    def run(*args: str) -> SimpleNamespace:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return SimpleNamespace(code=code, out=out, err=err)

    return run


def test_coop_ledger_in_each_format(story, coop):
    table = coop("ledger", "--as-of", "2025-02-28")
    assert table.code == 0
    assert "Ledger of the network as of 2025-02-28" in table.out
    assert any(line.startswith("Ana ") and "7.00" in line for line in table.out.splitlines())

    data = json.loads(coop("ledger", "--circle", str(story.makers), "--format", "json").out)
    assert data["scope"] == {"circle_id": str(story.makers), "name": "Makers"}
    [ana] = [m for m in data["members"] if m["name"] == "Ana"]
    assert (ana["given"], ana["index"], ana["closed_business"]) == (
        "3.00", "0.3333", {"EUR": "1200.00"})

    rows = list(csv.DictReader(io.StringIO(coop("ledger", "--format", "csv").out)))
    assert {r["name"]: r["balance"] for r in rows}["Cy"] == "-0.50"
    assert rows[0].keys() >= {"member_id", "given", "received", "index", "closed_EUR"}


def test_coop_statement_in_each_format(story, coop):
    table = coop("statement", "ana@coop.test")
    assert table.code == 0
    assert "reversal of given" in table.out
    assert "balance 1.50" in table.out

    data = json.loads(coop("statement", str(story.ana), "--as-of", "2025-02-28",
                           "--format", "json").out)
    assert [ln["balance"] for ln in data["lines"]] == ["3.00", "7.00"]
    assert data["disputed"][0]["kind"] == "disputed_received"

    rows = list(csv.DictReader(io.StringIO(coop("statement", "ana@coop.test",
                                                "--format", "csv").out)))
    assert [r["kind"] for r in rows] == ["given", "given", "reversal_of_given", "received"]


def test_coop_ledger_errors_are_one_line(story, coop):
    for args, message in [
        (("ledger", "--as-of", "2025-02-30"), "is not a date"),
        (("ledger", "--circle", str(UUID(int=5))), "no circle with id"),
        (("statement", "nobody@coop.test"), "no member with email"),
    ]:
        result = coop(*args)
        assert result.code != 0
        assert result.out == ""
        assert result.err.count("\n") == 1 and message in result.err


def test_without_read_models_the_ledger_says_to_run_init(sqlite_network, monkeypatch, capsys):
    settings = sqlite_network.settings
    sqlite_network.read_models.close()
    for file in settings.data_dir.glob("read_models.sqlite*"):
        file.unlink()
    monkeypatch.setenv("COOP_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("COOP_DATABASE_URL", raising=False)

    assert main(["ledger"]) == 1
    assert "run 'coop init'" in capsys.readouterr().err
    assert main(["init"]) == 0
    assert main(["ledger"]) == 0
