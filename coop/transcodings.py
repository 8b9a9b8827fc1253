"""How values the JSON transcoder does not know are stored in the log.

The names are part of the stored data: never rename one, add a new one instead.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eventsourcing.persistence import Transcoding

from domain.values import Money


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MoneyAsDict(Transcoding):
    type = Money
    name = "money"

    def encode(self, obj: Money) -> dict[str, str]:
        # Amount as text so no float ever touches money.
        return {"amount": str(obj.amount), "currency": obj.currency}

    def decode(self, data: dict[str, str]) -> Money:
        return Money(Decimal(data["amount"]), data["currency"])


ALL = (DateAsISO, MoneyAsDict)
