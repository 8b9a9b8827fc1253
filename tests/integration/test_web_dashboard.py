"""The dashboard: what waits for a member, their reciprocity and the news of their circles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coop.bootstrap import Network
from tests.integration.conftest import AuthActions, email_of, text_of

Browser = Callable[[str], AuthActions]


def test_a_give_waits_on_the_receivers_dashboard_until_confirmed(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    # Bob records the help he gave Carol through the form.
    bob = browser("bob")
    give = bob.post("/gives/new", {"receiver_email": email_of("carol"), "hours": "2",
                                   "description": "Planed a door"}).headers["Location"]

    # Carol's dashboard says so at once, and links to the give.
    carol = browser("carol")
    page = carol.client.get("/")
    assert "Bob Baker gave you 2 hours" in text_of(page)
    assert f'href="{give}"' in page.text
    assert "none" in text_of(page)  # her index, before anything counted

    # She confirms; the dashboard she goes back to no longer asks, and counts it.
    carol.post(f"{give}/confirm")
    text = text_of(carol.client.get("/"))
    assert "gave you" not in text and "Nothing is waiting for you" in text
    assert "Received 2 h" in text and "Index -1.0000" in text


def test_referrals_wait_for_an_answer_and_the_referrer_sees_the_outcome(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    referral = net.referrals.make(receiver_id=ids["bob"], prospect="Corner Café",
                                  need="bread", warmth=4, by=ids["alice"])
    bob = browser("bob")
    assert "Corner Café , from Alice Steward Accept or decline it" in text_of(bob.client.get("/"))

    bob.post(f"/referrals/{referral}/accept")
    assert "Record what came of it" in text_of(bob.client.get("/"))
    bob.post(f"/referrals/{referral}/close", {"value": "300", "currency": "EUR"})
    assert "Thank Alice Steward" in text_of(bob.client.get("/"))

    alice_text = text_of(browser("alice").client.get("/"))
    assert "Corner Café to Bob Baker Business closed" in alice_text


def test_my_open_asks_and_offers_show_what_i_just_posted(browser: Browser) -> None:
    bob = browser("bob")
    bob.post("/asks/new", {"title": "Help with my oven"})
    bob.post("/offers/new", {"title": "Sourdough starter", "tags": "baking"})

    text = text_of(bob.client.get("/"))
    assert "Asks Help with my oven" in text and "Offers Sourdough starter" in text
    carol = text_of(browser("carol").client.get("/"))
    assert "You have no open asks or offers" in carol
    assert "Bob Baker asked for help: Help with my oven" in carol  # the network's news


def test_news_of_a_circle_reaches_its_members_only(
        net: Network, ids: dict[str, Any], browser: Browser) -> None:
    circle = net.circles.form(name="Bakers")
    net.circles.admit(circle, ids["bob"])
    net.circles.admit(circle, ids["alice"])
    net.postings.post_ask(title="Rye flour", circle_id=circle, by=ids["bob"])

    alice = text_of(browser("alice").client.get("/"))
    assert "Bob Baker asked for help: Rye flour in Bakers" in alice
    assert "Bob Baker joined Bakers" in alice
    carol = text_of(browser("carol").client.get("/"))
    assert "Rye flour" not in carol and "joined Bakers" not in carol
    assert "Carol Carpenter joined the network" in carol


def test_the_dashboard_needs_a_signed_in_member(client) -> None:
    page = client.get("/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/sign-in")


def test_a_read_model_built_by_another_version_is_a_503_saying_what_to_run(
        net: Network, browser: Browser) -> None:
    with net.read_models.transaction() as tx:
        tx.execute("UPDATE {tracking} SET version = 99 WHERE projection = 'activity'")
    page = browser("bob").client.get("/")
    assert page.status_code == 503
    assert "run 'coop projections rebuild activity'" in text_of(page)
