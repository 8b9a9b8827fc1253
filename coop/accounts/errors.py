"""What can go wrong with accounts, in words a member can act on."""

from __future__ import annotations

from domain.errors import CoopError, InvalidValue, NotFound, StateConflict


class WeakPassword(InvalidValue):
    """The new password breaks one of the password rules."""


class SignInRefused(InvalidValue):
    """The email and password do not match an account (deliberately vague)."""


class WrongPassword(InvalidValue):
    """The current password, given to change it, is not the member's password."""


class InvitationNotFound(NotFound):
    """No invitation has this token."""


class InvitationSpent(StateConflict):
    """The invitation was used already, or has expired."""


class TooManyAttempts(CoopError):
    """Too many failed sign-ins; ``retry_after`` says how many seconds to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
