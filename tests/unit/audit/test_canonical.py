"""The line format: canonical JSON, the hash, plain values."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.audit.canonical import (
    GENESIS, Line, as_dict, body_text, canonical, chain_hash, line_text, plain, time_text,
)
from domain.values import Money

ID = UUID("2c985b22-a517-45dd-9631-f88d7c9e5ed9")

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def a_line(**changes: object) -> Line:
    line = Line(7, "2025-03-01T09:30:00.000001Z", "give.recorded", str(ID), "give", str(ID), 1,
                None, canonical({"hours": "1.50"}), GENESIS, "ab" * 32)
    return line._replace(**changes)


@given(details=st.dictionaries(texts, json_values, max_size=4), actor=st.none() | texts,
       circle=st.none() | texts, action=texts)
def test_a_line_is_written_as_its_canonical_json(details: dict, actor: str | None,
                                                 circle: str | None, action: str) -> None:
    line = a_line(details=canonical(details), actor=actor, circle=circle, action=action)
    as_json = as_dict(line)
    assert line_text(line) == canonical(as_json)
    assert body_text(line) == canonical({k: v for k, v in as_json.items() if k != "hash"})
    assert json.loads(line_text(line)) == as_json


def test_canonical_json_sorts_keys_has_no_spaces_and_keeps_non_ascii() -> None:
    assert canonical({"b": [1, {"d": "é", "c": None}], "a": True}) == \
        '{"a":true,"b":[1,{"c":null,"d":"é"}]}'


def test_canonical_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        canonical({"x": float("nan")})


def test_the_hash_is_sha256_of_the_previous_hash_then_the_line_without_its_hash() -> None:
    line = a_line(details=canonical({"name": "Zoë"}))
    expected = hashlib.sha256((GENESIS + body_text(line)).encode("utf-8")).hexdigest()
    assert chain_hash(GENESIS, body_text(line)) == expected
    assert '"hash"' not in body_text(line)


def test_times_are_utc_with_microseconds_and_z() -> None:
    paris = timezone(timedelta(hours=1))
    assert time_text(datetime(2025, 3, 1, 10, 30, tzinfo=paris)) == "2025-03-01T09:30:00.000000Z"
    assert time_text(datetime(2025, 3, 1, 9, 30, 0, 42, tzinfo=timezone.utc)).endswith(".000042Z")


def test_plain_values_are_text_never_floats() -> None:
    value = plain({
        "hours": Decimal("1.50"), "id": ID, "day": date(2025, 3, 1),
        "at": datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc),
        "pool": Money(Decimal("100.00"), "EUR"), "ratio": 0.5, "ids": (ID,),
        "by_member": {ID: Decimal("2")}, "warmth": 4, "open": True, "none": None,
    })
    assert value == {
        "hours": "1.50", "id": str(ID), "day": "2025-03-01", "at": "2025-03-01T09:30:00.000000Z",
        "pool": {"amount": "100.00", "currency": "EUR"}, "ratio": "0.5", "ids": [str(ID)],
        "by_member": {str(ID): "2"}, "warmth": 4, "open": True, "none": None,
    }


def test_text_that_cannot_be_utf8_still_makes_a_line() -> None:
    assert canonical(plain({"t": "a\ud800b"})).encode("utf-8") == b'{"t":"a?b"}'
