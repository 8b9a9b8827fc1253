"""The portal in real Chromium: an ask answered by a give, confirmed, on the ledger."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is missing: pip install -e '.[test]'").expect
Open = Callable[[str], Any]


def test_an_ask_is_answered_confirmed_and_counted_on_the_ledger(signed_in: Open) -> None:
    # Bob asks for help through the form and lands on his ask.
    bob = signed_in("bob")
    bob.get_by_role("navigation", name="Main").get_by_role("link", name="Asks").click()
    bob.get_by_role("link", name="Ask for help").click()
    bob.get_by_label("Title").fill("Help moving a piano")
    bob.get_by_label("Tags").fill("moving, heavy")
    bob.get_by_role("button", name="Post your ask").click()
    expect(bob.get_by_role("heading", level=1)).to_have_text("Help moving a piano")

    # Carol, in a browser of her own, finds the ask and records the give for it.
    carol = signed_in("carol")
    carol.goto("/asks/?tag=heavy")
    carol.get_by_role("link", name="Help moving a piano").click()
    carol.get_by_role("link", name="I helped: record a give").click()
    expect(carol.get_by_label("Who received your help?")).to_have_value("bob@coop.test")
    carol.get_by_label("Hours").fill("2")
    carol.get_by_label("What did you do?").fill("Carried the piano up two floors")
    carol.get_by_role("button", name="Record the give").click()
    expect(carol.locator(".badge")).to_have_text("Pending")

    # Bob's dashboard has it waiting; he confirms it.
    bob.goto("/")
    bob.get_by_role("link", name="Carol Carpenter gave you 2 hours").click()
    bob.get_by_role("button", name="Confirm the give").click()
    expect(bob.get_by_role("status")).to_contain_text("the give is confirmed")

    # His statement shows the entry, traced to its event, and the chart.
    bob.get_by_role("navigation", name="Main").get_by_role("link", name="Ledger").click()
    row = bob.locator("table.statement tbody tr").first
    expect(row).to_contain_text("Carol Carpenter")
    expect(row).to_contain_text("Received")
    expect(row.locator("td").nth(4)).to_have_text("−2")
    expect(row.locator("td").first.get_by_role("link")).to_have_text(re.compile(r"^#\d+$"))
    expect(bob.get_by_role("img", name="Hours given and received by month")).to_be_visible()

    # The ask is fulfilled, and its page says who offered help.
    carol.goto("/asks/?status=fulfilled")
    carol.get_by_role("link", name="Help moving a piano").click()
    expect(carol.locator("section.answers")).to_contain_text(
        "Carol Carpenter gave Bob Baker 2 hours Confirmed")


def test_a_failed_form_shows_its_error_next_to_the_field(signed_in: Open) -> None:
    bob = signed_in("bob")
    bob.goto("/asks/new")
    bob.get_by_label("Tags").fill("fine, b@d")
    bob.get_by_role("button", name="Post your ask").click()

    title = bob.get_by_label("Title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(bob.locator("#title-error")).to_have_text("Error: Title is required.")
    expect(bob.locator("#tags-error")).to_contain_text("'b@d' is not a tag")
    expect(bob.get_by_role("alert")).to_contain_text("There is a problem")
    expect(bob.get_by_label("Tags")).to_have_value("fine, b@d")  # what was typed is kept
    # The summary links to the field.
    bob.get_by_role("link", name="Title is required.").click()
    expect(title).to_be_focused()
