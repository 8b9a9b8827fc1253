"""Governance through the portal: decision views, proposal forms, every ballot form,
results, delegation; and what must never show (hidden counts, secret choices)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from coop.bootstrap import Network
from domain import clock
from tests.integration.conftest import AuthActions, text_of

Browser = Callable[[str], AuthActions]


@pytest.fixture
def garden(net: Network, ids: dict[str, Any]) -> UUID:
    """A circle of Bob and Carol; Alice, a steward, is not in it."""
    circle = net.circles.form(name="Garden", purpose="The shared garden")
    net.circles.admit(circle, ids["bob"])
    net.circles.admit(circle, ids["carol"])
    net.circles.grant_mandate(circle, domain="the garden and its budget",
                              decision="assembly of 10 January")
    return circle


def opened(net: Network, ids: dict[str, Any], circle: UUID, method: str = "yes_no",
           options: tuple[str, ...] = (), title: str = "Plant an orchard", **rules: Any) -> UUID:
    """Return a proposal by Bob, open for two days."""
    pid = net.proposals.draft(circle_id=circle, title=title, text="Ten apple trees.",
                              method=method, options=options, by=ids["bob"])
    net.proposals.open(pid, closes_at=clock.now() + timedelta(days=2), by=ids["bob"], **rules)
    return pid


FRUIT = ("Apples", "Pears", "Plums")


# -- ballots -------------------------------------------------------------------------
@pytest.mark.parametrize(("method", "options", "form", "choice", "shown"), [
    ("yes_no", (), {"choice": "abstain"}, "abstain", "You voted: Abstain"),
    ("consent", (), {"choice": "consent"}, "consent", "You voted: Consent"),
    ("approval", FRUIT, {"approve": ["0", "2"]}, [0, 2], "You voted: Apples, Plums"),
    ("approval", FRUIT, {}, [], "You voted: nothing: a blank ballot"),
    ("irv", FRUIT, {"rank-0": "2", "rank-1": "", "rank-2": "1"}, [2, 0],
     "You voted: 1. Plums, 2. Apples"),
    ("schulze", FRUIT, {"rank-0": "3", "rank-1": "1", "rank-2": "2"}, [1, 2, 0],
     "You voted: 1. Pears, 2. Plums, 3. Apples"),
])
def test_each_ballot_form_casts_a_ballot_the_voter_then_sees(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser, method: str,
        options: tuple[str, ...], form: dict[str, Any], choice: Any, shown: str) -> None:
    pid = opened(net, ids, garden, method, options)
    carol = browser("carol")
    page = carol.client.get(f"/proposals/{pid}")
    assert "You have not voted yet." in text_of(page) and "Cast my ballot" in page.text
    sent = carol.post(f"/proposals/{pid}/ballot", form)
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/proposals/{pid}#your-ballot")
    assert net.ballots.mine(pid, by=ids["carol"])["choice"] == choice
    page = carol.client.get(f"/proposals/{pid}")
    assert shown in text_of(page) and "Change my ballot" in page.text


def test_a_ranking_shows_again_as_cast_and_can_be_changed(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden, "irv", FRUIT)
    bob = browser("bob")
    bob.post(f"/proposals/{pid}/ballot", {"rank-1": "1", "rank-0": "2"})
    page = bob.client.get(f"/proposals/{pid}").text
    # Each option's select shows the rank given: Pears 1st, Apples 2nd, Plums not ranked.
    assert re.search(r'name="rank-1".*?value="1" selected', page, re.S)
    assert re.search(r'name="rank-0".*?<option value="">.*?value="2" selected', page, re.S)
    assert re.search(r'name="rank-2"[^>]*>\s*<option value="" selected>', page)
    bob.post(f"/proposals/{pid}/ballot", {"rank-2": "1"})
    assert net.ballots.mine(pid, by=ids["bob"])["choice"] == [2]
    assert net.ballots.mine(pid, by=ids["bob"])["changed_at"] is not None


@pytest.mark.parametrize(("method", "options", "form", "field", "message"), [
    ("yes_no", (), {}, "choice", "Choose yes, no or abstain."),
    ("yes_no", (), {"choice": "maybe"}, "choice", "Choose yes, no or abstain."),
    ("consent", (), {"choice": "object"}, "reason", "Reason is required."),
    ("approval", FRUIT, {"approve": ["0", "7"]}, "approve", "Choose among the options shown."),
    ("approval", FRUIT, {"approve": ["pears"]}, "approve", "Choose among the options shown."),
    ("irv", FRUIT, {"rank-0": "1", "rank-2": "1"}, "rank-0",
     "Rank 1 is given to more than one option: give each rank once."),
    ("irv", FRUIT, {"rank-0": "1", "rank-2": "1"}, "rank-2",
     "Rank 1 is given to more than one option: give each rank once."),
    ("schulze", FRUIT, {"rank-1": "first"}, "rank-1",
     "A rank is a number from 1 to 3, or not ranked."),
    ("schulze", FRUIT, {"rank-1": "4"}, "rank-1", "A rank is a number from 1 to 3, or not ranked."),
])
def test_a_bad_ballot_is_refused_beside_its_field_and_nothing_is_written(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser, method: str,
        options: tuple[str, ...], form: dict[str, Any], field: str, message: str) -> None:
    pid = opened(net, ids, garden, method, options)
    carol = browser("carol")
    before = net.app.last_position()
    page = carol.post(f"/proposals/{pid}/ballot", form)
    assert page.status_code == 400
    error = re.search(rf'id="ballot-{field}-error">(.*?)</p>', page.text, re.S)
    assert error and message in text_of_html(error.group(1))
    assert message in text_of(page).split("There is a problem", 1)[1]  # in the summary too
    assert net.app.last_position() == before


def text_of_html(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_a_member_outside_the_circle_cannot_vote(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden)
    alice = browser("alice")  # a steward, but not in the circle
    assert "You are not in this proposal's electorate" in text_of(
        alice.client.get(f"/proposals/{pid}"))
    before = net.app.last_position()
    page = alice.post(f"/proposals/{pid}/ballot", {"choice": "yes"})
    assert page.status_code == 403
    assert "Only the members of the circle when voting opened may vote" in text_of(page)
    assert net.app.last_position() == before


def test_a_member_who_joined_after_opening_cannot_vote(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden)
    net.circles.admit(garden, ids["alice"])
    before = net.app.last_position()
    page = browser("alice").post(f"/proposals/{pid}/ballot", {"choice": "yes"})
    assert page.status_code == 403
    assert net.app.last_position() == before
    assert net.ballots.mine(pid, by=ids["alice"])["cast"] is False


def test_csrf_protection_stays_on_for_ballots(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden)
    carol = browser("carol")
    before = net.app.last_position()
    page = carol.client.post(f"/proposals/{pid}/ballot", data={"choice": "yes"})
    assert page.status_code == 400 and "This form has expired" in text_of(page)
    assert net.app.last_position() == before


@pytest.mark.parametrize("path", ["", "/results", "/edit", "/open"])
def test_a_missing_proposal_is_a_404(browser: Browser, path: str) -> None:
    assert browser("bob").client.get(f"/proposals/{uuid4()}{path}").status_code == 404


def test_voting_on_a_missing_proposal_is_a_404(browser: Browser) -> None:
    assert browser("bob").post(f"/proposals/{uuid4()}/ballot", {"choice": "yes"}).status_code \
        == 404


# -- what never shows -----------------------------------------------------------------
def test_hidden_results_show_nowhere_before_close(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    now = clock.now()
    with clock.frozen_at(now):
        pid = opened(net, ids, garden, hidden_results=True, allow_early_close=True)
        alice, carol = browser("alice"), browser("carol")
        paths = (f"/proposals/{pid}", f"/decisions/circles/{garden}", "/decisions/",
                 f"/decisions/circles/{garden}?as_of={now.date()}")

        def seen(who: AuthActions) -> dict[str, str]:
            return {path: text_of(who.client.get(path)) for path in paths}

        before_alice, before_carol = seen(alice), seen(carol)
        # Bob votes through the page; Carol does not.
        bob = browser("bob")
        assert bob.post(f"/proposals/{pid}/ballot", {"choice": "yes"}).status_code == 302
        # Every page reads the same as before the ballot, for a steward and a member.
        assert seen(alice) == before_alice
        assert seen(carol) == before_carol
        assert "Results are hidden until voting closes" in before_alice[paths[0]]
        assert not re.search(r"ballots? cast|turnout|votes counted",
                             " ".join(before_alice.values()), re.I)
        results = alice.client.get(f"/proposals/{pid}/results")
        assert results.status_code == 403
        assert "The results of this proposal are hidden until it closes." in text_of(results)
        # Bob sees his own ballot, and nothing of anyone else's.
        mine = text_of(bob.client.get(f"/proposals/{pid}"))
        assert "You voted: Yes" in mine and "cast so far" not in mine
        # Once closed, the count shows: the checks above could have failed.
        net.proposals.close_early(pid, by=ids["alice"])
        text = text_of(alice.client.get(f"/proposals/{pid}/results"))
        assert "Ballots cast 1" in text and "Turnout 50%" in text


def test_a_secret_ballots_choice_is_shown_to_its_voter_only(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden, secret=True, allow_early_close=True)
    bob, alice = browser("bob"), browser("alice")
    bob.post(f"/proposals/{pid}/ballot", {"choice": "no"})
    mine = bob.client.get(f"/proposals/{pid}")
    assert "You voted: No" in text_of(mine) and "only you see this choice" in text_of(mine)
    # A steward sees that one ballot was cast, never whose choice is what.
    steward = text_of(alice.client.get(f"/proposals/{pid}"))
    assert "You voted" not in steward and "1 ballot cast so far" in steward
    results = text_of(alice.client.get(f"/proposals/{pid}/results"))
    assert "1 ballot cast so far" in results and "Votes counted" not in results
    # After the close: counts, and who voted, by name only.
    net.ballots.cast(pid, "yes", by=ids["carol"])
    net.proposals.close_early(pid, by=ids["alice"])
    page = alice.client.get(f"/proposals/{pid}/results")
    assert "Ballots cast 2" in text_of(page)
    voters = re.search(r'<ul class="people">(.*?)</ul>', page.text, re.S)
    assert voters and re.findall(r"<li>(.*?)</li>", voters.group(1), re.S) == [
        f'<a href="/members/{ids["bob"]}">Bob Baker</a>',
        f'<a href="/members/{ids["carol"]}">Carol Carpenter</a>']
    assert "Sealed ballots, opened with the ballot key, match the mixed box." in text_of(page)


# -- proposals: draft, edit, open, withdraw, close ------------------------------------
def test_a_member_drafts_edits_and_opens_a_proposal(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    bob = browser("bob")
    assert "Garden" in bob.client.get(f"/proposals/new?circle={garden}").text
    sent = bob.post("/proposals/new", {"circle_id": str(garden), "title": "Pick a fruit",
                                       "text": "For the orchard.", "method": "approval",
                                       "options": "Apples\n\nPears\n"})
    assert sent.status_code == 302
    pid = sent.headers["Location"].rsplit("/", 1)[1]
    assert net.proposals.get(pid)["options"] == ["Apples", "Pears"]
    # The author edits the draft.
    edited = bob.post(f"/proposals/{pid}/edit", {"title": "Pick fruit trees", "text": "Ten.",
                                                 "method": "irv",
                                                 "options": "Apples\nPears\nPlums"})
    assert edited.status_code == 302
    assert net.proposals.get(pid)["method"] == "irv"
    # Then opens it under rules of their choosing.
    closes = (clock.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    opening = bob.post(f"/proposals/{pid}/open", {"closes_at": closes, "quorum": "50%",
                                                  "secret": "on", "delegation": "on"})
    assert opening.status_code == 302
    p = net.proposals.get(pid)
    assert p["state"] == "open" and p["rules"]["quorum"] == "1/2"
    assert p["rules"]["secret"] and p["rules"]["delegation"] and not p["rules"]["hidden_results"]
    text = text_of(bob.client.get(f"/proposals/{pid}"))
    assert "Open for voting" in text and "2 days 23 hours left" in text
    assert "The circle's mandate: the garden and its budget" in text
    assert "2 members, frozen when voting opened" in text


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"quorum": "lots"}, "quorum", "The quorum must be a fraction like 1/2, 0.5 or 50%"),
    ({"quorum": "150%"}, "quorum", "The quorum must be from 0 to 1"),
    ({"threshold": "2"}, "threshold", "The threshold must be from 0 to 1"),
    ({"closes_at": "2020-01-01T10:00"}, "closes_at", "The closing time must be in the future."),
    ({"closes_at": "soon"}, "closes_at", "The closing time must be a date and time"),
    ({"base": "everyone"}, "base", "The base must be one of"),
])
def test_bad_rules_are_refused_beside_their_field(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser,
        form: dict[str, str], field: str, message: str) -> None:
    pid = net.proposals.draft(circle_id=garden, title="Bees", text="Two hives.",
                              method="yes_no", by=ids["bob"])
    closes = (clock.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    before = net.app.last_position()
    page = browser("bob").post(f"/proposals/{pid}/open",
                               {"closes_at": closes, "quorum": "0", **form})
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text and message in text_of(page)
    assert net.app.last_position() == before


def test_a_draft_needs_its_options_and_a_circle_of_ones_own(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    before = net.app.last_position()
    bob = browser("bob")
    page = bob.post("/proposals/new", {"circle_id": str(garden), "title": "Fruit",
                                       "text": "x", "method": "schulze", "options": "Apples"})
    assert page.status_code == 400 and 'id="options-error"' in page.text
    assert "Give 2 to 20 options, one per line." in text_of(page)
    page = browser("alice").post("/proposals/new", {"circle_id": str(garden), "title": "Fruit",
                                                    "text": "x", "method": "yes_no"})
    assert page.status_code == 403
    assert "Only members of the circle 'Garden' may do that." in text_of(page)
    assert net.app.last_position() == before


def test_only_the_author_edits_and_only_the_author_or_a_steward_opens(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = net.proposals.draft(circle_id=garden, title="Bees", text="Two hives.",
                              method="yes_no", by=ids["bob"])
    carol = browser("carol")
    assert carol.client.get(f"/proposals/{pid}/edit").status_code == 403
    assert carol.client.get(f"/proposals/{pid}/open").status_code == 403
    assert "Open voting" not in carol.client.get(f"/proposals/{pid}").text
    assert browser("alice").client.get(f"/proposals/{pid}/open").status_code == 200


def test_the_author_withdraws_with_a_reason(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden)
    bob = browser("bob")
    page = bob.post(f"/proposals/{pid}/withdraw", {"reason": " "})
    assert page.status_code == 400 and 'id="withdraw-reason-error"' in page.text
    assert bob.post(f"/proposals/{pid}/withdraw", {"reason": "Too late to plant"}) \
        .status_code == 302
    assert "Withdrawn" in text_of(bob.client.get(f"/proposals/{pid}"))
    assert "Too late to plant" in text_of(bob.client.get(f"/decisions/circles/{garden}"))


def test_a_steward_closes_early_when_the_rules_allow_and_sees_the_recount(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    strict = opened(net, ids, garden, title="No early close")
    alice = browser("alice")
    assert "Close voting now" not in alice.client.get(f"/proposals/{strict}").text
    assert alice.post(f"/proposals/{strict}/close").status_code == 409
    pid = opened(net, ids, garden, "schulze", FRUIT, allow_early_close=True)
    net.ballots.cast(pid, [1, 0], by=ids["bob"])
    net.ballots.cast(pid, [1, 2], by=ids["carol"])
    assert browser("bob").post(f"/proposals/{pid}/close").status_code == 403
    assert "Close voting now" in alice.client.get(f"/proposals/{pid}").text
    closed = alice.post(f"/proposals/{pid}/close")
    assert closed.headers["Location"].endswith(f"/proposals/{pid}/results")
    text = text_of(alice.client.get(closed.headers["Location"]))
    assert "Chosen: Pears" in text and "Recounted from the log: agrees" in text
    assert "Strongest paths" in text and "2. Pears 2 – 2" in text  # d: Pears over the rest


# -- consent objections ----------------------------------------------------------------
def test_an_objection_is_answered_by_amendment_or_ruled_out(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden, "consent")
    carol = browser("carol")
    carol.post(f"/proposals/{pid}/ballot", {"choice": "object", "reason": "Plums, not apples"})
    bob = browser("bob")
    page = bob.client.get(f"/proposals/{pid}")
    assert "Objection 1 by Carol Carpenter Open Plums, not apples" in text_of(page)
    assert "Resolve objection 1" in page.text
    assert "Resolve objection 1" not in carol.client.get(f"/proposals/{pid}").text
    # A ruling needs a reason.
    refused = bob.post(f"/proposals/{pid}/objections/1/rule-out", {"note": ""})
    assert refused.status_code == 400 and 'id="rule-out-1-note-error"' in refused.text
    amended = bob.post(f"/proposals/{pid}/objections/1/amend",
                       {"amended_text": "Ten plum trees.", "note": "Plums it is"})
    assert amended.status_code == 302
    text = text_of(bob.client.get(f"/proposals/{pid}"))
    assert "Ten plum trees." in text and "version 2" in text
    assert "Resolved by an amendment" in text and "Note on the amendment: Plums it is" in text


# -- decision views and delegation ---------------------------------------------------
def test_decision_views_list_pending_votes_open_proposals_and_outcomes(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    pid = opened(net, ids, garden, allow_early_close=True, title="Plant an orchard")
    hidden = opened(net, ids, garden, hidden_results=True, title="Build a shed")
    net.proposals.draft(circle_id=garden, title="Keep bees", text="x", method="yes_no",
                        by=ids["carol"])
    carol = browser("carol")
    text = text_of(carol.client.get(f"/decisions/circles/{garden}"))
    pending = text.split("Your pending votes", 1)[1].split("Open for voting", 1)[0]
    assert "Plant an orchard" in pending and "Build a shed" in pending
    assert "1 day 23 hours left" in pending
    assert "Keep bees" in text.split("Drafts", 1)[1]
    # Carol votes on both: nothing is pending any more (the hidden one too).
    carol.post(f"/proposals/{pid}/ballot", {"choice": "yes"})
    carol.post(f"/proposals/{hidden}/ballot", {"choice": "no"})
    text = text_of(carol.client.get("/decisions/"))
    assert "Nothing is waiting for your vote." in text
    # Closed: the outcome is listed with its turnout.
    net.proposals.close_early(pid, by=ids["alice"])
    outcomes = text_of(carol.client.get("/decisions/")).split("Recent outcomes", 1)[1]
    assert "Plant an orchard Passed" in outcomes and "Turnout 50% (1 of 2)" in outcomes


def test_the_as_of_view_shows_proposals_as_they_stood(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    opened(net, ids, garden, title="Plant an orchard")
    carol = browser("carol")
    yesterday = (clock.now() - timedelta(days=1)).date()
    text = text_of(carol.client.get(f"/decisions/circles/{garden}?as_of={yesterday}"))
    assert "No proposal was open for voting then." in text and "Plant an orchard" not in text
    assert "Your pending votes" not in text
    bad = carol.client.get(f"/decisions/circles/{garden}?as_of=2999-01-01")
    assert bad.status_code == 400 and "cannot be read as of a day still to come" in bad.text
    assert carol.client.get(f"/decisions/circles/{garden}?as_of=soon").status_code == 400


def test_a_member_delegates_their_vote_and_revokes_it(
        net: Network, ids: dict[str, Any], garden: UUID, browser: Browser) -> None:
    carol = browser("carol")
    page = carol.client.get(f"/decisions/circles/{garden}/delegation")
    assert "Your vote is not delegated." in text_of(page) and "Bob Baker" in page.text
    sent = carol.post(f"/decisions/circles/{garden}/delegation",
                      {"delegate_id": str(ids["bob"])})
    assert sent.status_code == 302
    assert net.delegations.delegate_of(garden, ids["carol"]) == ids["bob"]
    assert "Delegated to Bob Baker" in text_of(carol.client.get(f"/decisions/circles/{garden}"))
    again = carol.post(f"/decisions/circles/{garden}/delegation",
                       {"delegate_id": str(ids["bob"])})
    assert again.status_code == 409 and "already delegated to that member" in text_of(again)
    carol.post(f"/decisions/circles/{garden}/delegation/revoke")
    assert net.delegations.delegate_of(garden, ids["carol"]) is None
    # Alice is not in the circle: nothing to delegate.
    refused = browser("alice").post(f"/decisions/circles/{garden}/delegation",
                                    {"delegate_id": str(ids["bob"])})
    assert refused.status_code == 403


def test_decisions_is_in_the_navigation(browser: Browser) -> None:
    page = browser("bob").client.get("/decisions/")
    assert re.search(r'<a href="/decisions/" aria-current="page">Decisions</a>', page.text)
