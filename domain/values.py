"""Value rules shared by the aggregates: emails, hours, money, text, warmth.

Each ``clean_*``/``parse_*`` function returns the canonical value or raises a named
:class:`~domain.errors.InvalidValue` with a message a member can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from uuid import UUID, uuid5

from domain.errors import (
    InvalidEmail,
    InvalidHours,
    InvalidMoney,
    InvalidText,
    InvalidWarmth,
)

# Fixed forever: changing it would give every member a new id.
MEMBER_NAMESPACE = UUID("6c1d3f0e-4b7a-5e55-9a36-0c0a5e7b2f41")

# No one gives more than a working month in a single entry; larger figures are typos.
MAX_HOURS = Decimal("200")
# Closed business above a billion is a typo, not a referral.
MAX_MONEY = Decimal("1000000000")

_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
# Control characters other than tab and line breaks: never typed, and PostgreSQL's text
# columns refuse NUL, so one in an event would stop a read model for good.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# ISO 4217 codes with their minor unit (digits after the point). Kept to the
# currencies co-ops actually trade in; adding one is a one-line change.
CURRENCY_MINOR_UNITS: dict[str, int] = {
    "AUD": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "CZK": 2,
    "DKK": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "INR": 2, "ISK": 0,
    "JPY": 0, "KES": 2, "KRW": 0, "MXN": 2, "NOK": 2, "NZD": 2, "PLN": 2,
    "SEK": 2, "SGD": 2, "USD": 2, "ZAR": 2, "BHD": 3, "KWD": 3,
}


def normalise_email(email: str) -> str:
    """Return the canonical form of an email address (trimmed, lower case)."""
    cleaned = (email or "").strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidEmail(f"'{email}' is not an email address")
    return cleaned


def member_id_for(email: str) -> UUID:
    """Return the member id for an email: one email is one member."""
    return uuid5(MEMBER_NAMESPACE, normalise_email(email))


def parse_hours(value: object) -> Decimal:
    """Return hours as a Decimal with at most two places, above 0 and sane."""
    hours = _decimal(value, InvalidHours, "hours")
    if hours <= 0:
        raise InvalidHours("hours must be more than 0")
    if hours > MAX_HOURS:
        raise InvalidHours(f"hours must be at most {MAX_HOURS} for one give")
    if hours.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidHours("hours take at most 2 decimal places")
    return hours.quantize(Decimal("0.01"))


def clean_currency(code: object) -> str:
    """Return an upper-case ISO 4217 currency code we know the minor unit of."""
    cleaned = str(code or "").strip().upper()
    if cleaned not in CURRENCY_MINOR_UNITS:
        raise InvalidMoney(f"'{code}' is not a currency code we know (e.g. EUR, USD)")
    return cleaned


@dataclass(frozen=True)
class Money:
    """An exact amount in one currency."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def parse_money(value: object, currency: object) -> Money:
    """Return Money above 0, in a known currency, to that currency's minor unit."""
    code = clean_currency(currency)
    amount = _decimal(value, InvalidMoney, "the value")
    if amount <= 0:
        raise InvalidMoney("the value must be more than 0")
    if amount > MAX_MONEY:
        raise InvalidMoney(f"the value must be at most {MAX_MONEY}")
    places = CURRENCY_MINOR_UNITS[code]
    if amount.as_tuple().exponent < -places:  # type: ignore[operator]
        raise InvalidMoney(f"{code} takes at most {places} decimal places")
    return Money(amount.quantize(Decimal(1).scaleb(-places)), code)


def check_warmth(value: object) -> int:
    """Return a referral's warmth: a whole number from 1 (cold) to 5 (warm)."""
    try:
        warmth = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidWarmth(f"warmth must be a whole number from 1 to 5, not '{value}'") from None
    if not 1 <= warmth <= 5:
        raise InvalidWarmth(f"warmth must be from 1 to 5, not {warmth}")
    return warmth


def clean_text(value: object, field: str, *, max_length: int, required: bool = True) -> str:
    """Return trimmed text, refusing it when missing (if required) or too long."""
    text = str(value or "").strip()
    if required and not text:
        raise InvalidText(f"{field} is required")
    if _CONTROL.search(text):
        raise InvalidText(f"{field} must not contain control characters")
    if len(text) > max_length:
        raise InvalidText(f"{field} must be at most {max_length} characters")
    return text


def clean_tags(tags: object) -> list[str]:
    """Return lower-case, unique, sorted tags from a list or a comma-separated string."""
    if tags is None:
        return []
    items = tags.split(",") if isinstance(tags, str) else list(tags)  # type: ignore[call-overload]
    cleaned = sorted({str(t).strip().lower() for t in items if str(t).strip()})
    if len(cleaned) > 10:
        raise InvalidText("at most 10 tags")
    for tag in cleaned:
        if len(tag) > 30 or not re.fullmatch(r"[\w][\w -]*", tag):
            raise InvalidText(f"'{tag}' is not a tag (letters, digits, spaces and -, up to 30)")
    return cleaned


def _decimal(value: object, error: type[Exception], what: str) -> Decimal:
    if isinstance(value, float):
        # Floats cannot carry exact hours or money; refuse rather than round silently.
        raise error(f"{what} must be given as text or a Decimal, not a float")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise error(f"{what} must be a number, not '{value}'") from None
    if not number.is_finite():
        raise error(f"{what} must be a finite number")
    return number


def clean_posting(title: object, description: object, tags: object) -> dict[str, object]:
    """Return the cleaned title, description and tags shared by offers and asks."""
    return {
        "title": clean_text(title, "title", max_length=120),
        "description": clean_text(description, "description", max_length=4000, required=False),
        "tags": clean_tags(tags),
    }
