"""The projector closes proposals at their closing time, whether or not anyone looks."""

from __future__ import annotations

import threading
from datetime import timedelta

from coop.bootstrap import Network
from coop.cli.projections import _close_due_proposals
from domain import clock


def test_the_projector_records_the_close_of_a_proposal_whose_time_has_passed(
        network: Network) -> None:
    net = network
    t0 = clock.now() - timedelta(hours=3)
    # Ana and Ben vote on planting figs; the vote closes an hour after it opens.
    with clock.frozen_at(t0):
        ana = net.members.add(email="ana@coop.test", name="Ana")
        ben = net.members.add(email="ben@coop.test", name="Ben")
        garden = net.circles.form(name="Garden")
        for member in (ana, ben):
            net.circles.admit(garden, member)
        figs = net.proposals.draft(circle_id=garden, title="Plant figs", text="Two.",
                                   method="yes_no", by=ana)
        net.proposals.open(figs, closes_at=t0 + timedelta(hours=1), by=ana)
        net.ballots.cast(figs, "yes", by=ana)
        net.ballots.cast(figs, "yes", by=ben)
    assert net.proposals.get(figs)["state"] == "open"

    # One poll of the projector, two hours after the closing time.
    stop, said = threading.Event(), []

    def tick() -> None:
        _close_due_proposals(net)
        stop.set()

    net.projector.run(0.01, stop, report=said.append, tick=tick)

    proposal = net.proposals.get(figs)
    assert proposal["state"] == "closed"
    assert net.proposals.recount(figs)["agrees"] is True
