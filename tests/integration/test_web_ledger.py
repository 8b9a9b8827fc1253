"""The ledger pages: statements traced to their events, as-of dates, the chart, circle
and network ledgers, and surplus distributions (declared by stewards only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from coop.bootstrap import Network
from domain import clock
from tests.integration.conftest import AuthActions, text_of

Browser = Callable[[str], AuthActions]
MARCH = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)


def confirmed(net: Network, ids: dict[str, Any], giver: str, receiver: str, hours: str,
              at: datetime = MARCH, circle: Any = None) -> tuple[UUID, int]:
    """Record and confirm a give at ``at``; return it and its confirmation's log position."""
    with clock.frozen_at(at):
        give = net.gives.record(receiver_id=ids[receiver], hours=hours, description="help",
                                circle_id=circle, by=ids[giver])
        net.gives.confirm(give, by=ids[receiver])
    return give, net.app.last_position()


def bakers(net: Network, ids: dict[str, Any]) -> UUID:
    """Form a circle of Alice and Bob in February (before the gives of these tests)."""
    with clock.frozen_at(MARCH - timedelta(days=30)):
        circle = net.circles.form(name="Bakers")
        for who in ("alice", "bob"):
            net.circles.admit(circle, ids[who])
    return circle


def rows(page_text: str) -> list[list[str]]:
    """Return the rows of the page's last table (after the chart's) as lists of cell texts."""
    body = page_text.split("<tbody>")[-1].split("</tbody>", 1)[0]
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_a_statement_line_names_its_event_counterparty_and_running_balance(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    first, at_first = confirmed(net, ids, "alice", "bob", "2")
    second, at_second = confirmed(net, ids, "bob", "alice", "0.5", MARCH + timedelta(days=1))

    page = browser("bob").client.get("/ledger/")
    assert page.status_code == 200 and "Your statement" in text_of(page)
    assert rows(page.text) == [
        [f"#{at_second}", "2026-03-11 12:00", "Gave", "Alice Steward", "+0.5", "−1.5"],
        [f"#{at_first}", "2026-03-10 12:00", "Received", "Alice Steward", "−2", "−2"],
    ]
    assert f'<a href="/gives/{first}"' in page.text  # each line opens the give behind it
    assert "Given 0.5 h Received 2 h Balance −1.5 h" in text_of(page)


def test_members_may_read_each_others_statements(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    confirmed(net, ids, "alice", "bob", "2")
    page = browser("carol").client.get(f"/ledger/members/{ids['alice']}")
    assert "Statement of Alice Steward" in text_of(page)
    assert rows(page.text)[0][2:] == ["Gave", "Bob Baker", "+2", "+2"]
    assert browser("carol").client.get(f"/ledger/members/{UUID(int=5)}").status_code == 404


def test_the_statement_as_of_a_date(net: Network, ids: dict[str, Any], browser: Browser) -> None:
    confirmed(net, ids, "alice", "bob", "2")
    bob = browser("bob")
    before = bob.client.get("/ledger/?as_of=2026-03-09")
    assert "No confirmed gives by that date." in text_of(before)
    assert "as they stood at the end of 9 March 2026" in text_of(before)
    assert 'value="2026-03-09"' in before.text  # the picker keeps the date
    assert len(rows(bob.client.get("/ledger/?as_of=2026-03-10").text)) == 1


@pytest.mark.parametrize(("as_of", "message"), [
    ("2026-13-01", "The date must be a day written like 2026-05-31."),
    ("yesterday", "The date must be a day written like 2026-05-31."),
    ("2999-01-01", "The ledger cannot be read as of a day still to come."),
])
def test_a_bad_as_of_date_is_refused_beside_the_field(
        browser: Browser, as_of: str, message: str) -> None:
    for path in ("/ledger/", "/ledger/network"):
        page = browser("bob").client.get(f"{path}?as_of={as_of}")
        assert page.status_code == 400
        assert 'id="as_of-error"' in page.text and message in text_of(page)


def test_the_chart_is_drawn_on_the_server_with_a_table_beside_it(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    confirmed(net, ids, "alice", "bob", "2")
    page = browser("bob").client.get("/ledger/?as_of=2026-06-30")
    svg = page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Mar 2026: received 2 hours" in svg and "<script" not in page.text
    assert "Hours given and received by month, Jul 2025 to Jun 2026" in text_of(page)
    table = text_of(page).split("The figures as a table", 1)[1]
    assert "Mar 2026 0 2" in table and "Jun 2026 0 0" in table


def test_a_long_statement_comes_in_pages(net: Network, ids: dict[str, Any],
                                         browser: Browser) -> None:
    for i in range(26):
        confirmed(net, ids, "alice", "bob", "1", MARCH + timedelta(hours=i))
    bob = browser("bob")
    first = bob.client.get("/ledger/")
    assert len(rows(first.text)) == 25 and 'rel="next" href="/ledger/?page=2"' in first.text
    assert rows(first.text)[0][-1] == "−26"
    assert [r[-1] for r in rows(bob.client.get("/ledger/?page=2").text)] == ["−1"]
    assert bob.client.get("/ledger/?page=3").status_code == 404
    assert bob.client.get("/ledger/?page=zero").status_code == 400


def test_network_and_circle_ledgers_show_every_member_and_concentration(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    circle = bakers(net, ids)
    confirmed(net, ids, "alice", "bob", "3", circle=circle)
    confirmed(net, ids, "carol", "bob", "1")
    carol = browser("carol")

    network = carol.client.get("/ledger/network")
    assert [r[0] for r in rows(network.text)] == ["Alice Steward", "Bob Baker",
                                                  "Carol Carpenter"]
    text = text_of(network)
    assert "Hours exchanged 4 hours" in text and "Gini of giving 0.5000" in text

    ledger = carol.client.get(f"/ledger/circles/{circle}")
    assert "Ledger of Bakers" in text_of(ledger)
    assert [r[:3] for r in rows(ledger.text)] == [["Alice Steward", "3", "0"],
                                                 ["Bob Baker", "0", "3"]]
    assert carol.client.get(f"/ledger/circles/{UUID(int=7)}").status_code == 404


DISTRIBUTION = {"period_start": "2026-03-01", "period_end": "2026-03-31", "pool": "90.00",
                "currency": "EUR"}


@pytest.fixture
def circle(net: Network, ids: dict[str, Any]) -> UUID:
    """A circle where Alice gave Bob 3 hours in March."""
    circle = bakers(net, ids)
    confirmed(net, ids, "alice", "bob", "3", circle=circle)
    return circle


def test_a_steward_declares_a_distribution_and_everyone_sees_its_shares(
        net: Network, ids: dict[str, Any], circle: UUID, browser: Browser) -> None:
    alice = browser("alice")
    assert "Declare a distribution" in alice.client.get("/ledger/distributions/").text
    form = alice.client.get(f"/ledger/distributions/new?circle={circle}")
    assert form.status_code == 200 and f'<option value="{circle}" selected' in form.text

    sent = alice.post("/ledger/distributions/new", {**DISTRIBUTION, "circle_id": str(circle)})
    assert sent.status_code == 302
    page = browser("bob").client.get(sent.headers["Location"])
    text = text_of(page)
    assert "90.00 EUR shared in Bakers" in text
    assert rows(page.text) == [["Alice Steward", "3", "90.00"], ["Bob Baker", "0", "0.00"]]

    listed = browser("bob").client.get("/ledger/distributions/")
    assert "2026-03-01 to 2026-03-31" in text_of(listed) and "90.00 EUR" in text_of(listed)
    assert "Declare a distribution" not in listed.text
    assert "A surplus of 90.00 EUR was shared" in text_of(browser("bob").client.get("/"))


def test_only_a_steward_may_declare_a_distribution(
        net: Network, circle: UUID, browser: Browser) -> None:
    bob = browser("bob")
    before = net.app.last_position()
    assert bob.client.get("/ledger/distributions/new").status_code == 403
    refused = bob.post("/ledger/distributions/new", {**DISTRIBUTION, "circle_id": str(circle)})
    assert refused.status_code == 403
    # Even a form full of mistakes says only that: the member may not do this.
    assert bob.post("/ledger/distributions/new", {"pool": "x"}).status_code == 403
    assert net.app.last_position() == before


@pytest.mark.parametrize(("changes", "field", "status", "message"), [
    ({"pool": "lots"}, "pool", 400, "The value must be a number, not 'lots'."),
    ({"pool": "10.005"}, "pool", 400, "EUR takes at most 2 decimal places."),
    ({"period_end": "2026-02-01"}, "period_end", 400, "The period ends (2026-02-01) before"),
    ({"period_start": "March"}, "period_start", 400, "The first day must be a day written like"),
    ({"currency": "XXX"}, "currency", 400, "'XXX' is not a currency code we know"),
    ({"circle_id": ""}, "circle_id", 400, "The circle is required."),
    ({"circle_id": str(UUID(int=9))}, "circle_id", 404, "No circle with id"),
])
def test_a_bad_distribution_is_refused_beside_its_field_and_writes_nothing(
        net: Network, circle: UUID, browser: Browser, changes: dict[str, str], field: str,
        status: int, message: str) -> None:
    alice = browser("alice")
    before = net.app.last_position()
    page = alice.post("/ledger/distributions/new",
                      {**DISTRIBUTION, "circle_id": str(circle), **changes})
    assert page.status_code == status
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    assert net.app.last_position() == before


def test_missing_distributions_and_bad_pages(browser: Browser) -> None:
    bob = browser("bob")
    assert bob.client.get(f"/ledger/distributions/{UUID(int=3)}").status_code == 404
    assert bob.client.get("/ledger/distributions/?page=x").status_code == 400
    assert bob.client.get("/ledger/distributions/?circle=nope").status_code == 400
    assert bob.client.get(f"/ledger/distributions/?circle={UUID(int=3)}").status_code == 400
    assert bob.client.get("/ledger/distributions/?page=2").status_code == 404
