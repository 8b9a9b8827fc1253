"""Leaving the network as every surface does it: the departure, then the keys.

The portal, the API and the command line all call ``leave`` so that none of them
records a departure and forgets to end the member's sessions and API tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.errors import MemberHasLeft, StateConflict

if TYPE_CHECKING:
    from coop.bootstrap import Network


class AlreadyLeft(StateConflict):
    """The member has left already: a second departure is a conflict, not a refusal."""


def leave(net: Network, member_id: UUID | str, *, reason: str = "",
          by: UUID) -> dict[str, Any]:
    """Record that a member left (their own choice, or a steward's act), end their
    sessions, API tokens and unused invitations, and return the member."""
    try:
        net.members.leave(member_id, reason=reason, by=by)
    except MemberHasLeft:
        # Members.leave checks who may record it before the member's state, so this
        # is the member (not the one acting) who has gone already.
        name = net.members.get(member_id)["name"]
        raise AlreadyLeft(f"{name} has left the network already") from None
    member = net.members.get(member_id)
    # Saved first, then the keys: the other order could end the keys of a member
    # whose departure then failed to save. Should the account tables fail here, the
    # keys still open nothing while the member is away (every sign-in check refuses
    # one who has left: web/auth.py, web/api/auth.py), and the caller sees the error.
    net.accounts.end_sessions_and_tokens(member["id"])
    return member
