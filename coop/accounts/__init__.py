"""Accounts: invitations, passwords and sessions, kept outside the event log."""

from coop.accounts.errors import (
    InvitationNotFound,
    InvitationSpent,
    SignInRefused,
    TooManyAttempts,
    WeakPassword,
    WrongPassword,
)
from coop.accounts.service import INVITATION_LIFETIME, INVITATION_PATH, SESSION_LIFETIME, Accounts

__all__ = [
    "INVITATION_LIFETIME", "INVITATION_PATH", "SESSION_LIFETIME", "Accounts",
    "InvitationNotFound", "InvitationSpent", "SignInRefused",
    "TooManyAttempts", "WeakPassword", "WrongPassword",
]
