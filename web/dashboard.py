"""The dashboard: where a member lands, and what is waiting for them."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.auth import member_id, network, sign_in_required

bp = Blueprint("dashboard", __name__)

# What the news says each kind of event was, after the actor's name.
NEWS = {
    "member.joined": "joined the network",
    "member.left": "left the network",
    "member.rejoined": "came back to the network",
    "circle.formed": "A new circle was formed:",
    "circle.admitted": "joined",
    "circle.mandate": "was granted a mandate:",
    "offer.posted": "offered",
    "ask.posted": "asked for",
    "give.confirmed": "gave",
    "give.reversed": "A give was reversed:",
    "referral.closed": "closed business from a referral by",
    "distribution.declared": "shared a surplus of",
}


@bp.get("/")
@sign_in_required
def index() -> str:
    """Show what waits for the member, their reciprocity and what is new in their circles."""
    net = network()
    me = member_id()
    lists = net.activity.dashboard(me)
    figures = net.ledger.member_ledger(me)
    return render_template("dashboard/index.html", figures=figures, news_words=NEWS, **lists)
