"""The value rules: emails, hours, money, warmth, text and tags."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from domain.errors import InvalidEmail, InvalidHours, InvalidMoney, InvalidText, InvalidWarmth
from domain.values import (
    Money,
    check_warmth,
    clean_currency,
    clean_tags,
    clean_text,
    member_id_for,
    normalise_email,
    parse_hours,
    parse_money,
)


# Emails and member ids


@pytest.mark.parametrize("written", ["ana@example.org", "Ana@Example.ORG", "  ana@example.org\t",
                                     " ANA@EXAMPLE.ORG "])
def test_the_same_email_however_written_is_the_same_member(written: str) -> None:
    assert normalise_email(written) == "ana@example.org"
    assert member_id_for(written) == member_id_for("ana@example.org")


def test_different_emails_are_different_members() -> None:
    assert member_id_for("ana@example.org") != member_id_for("ana@example.com")


def test_member_ids_never_change() -> None:
    # The id is stored in every event about the member: a new namespace or a new
    # normalisation would orphan every member's history.
    assert member_id_for("ana@example.org") == UUID("efc05e94-16f4-5644-b448-97d474819648")


@pytest.mark.parametrize("email", [
    "", "   ", "ana", "ana@", "@example.org", "ana@example", "ana smith@example.org",
    "ana@exa mple.org", "ana@@example.org", "a" * 250 + "@x.org", None,
])
def test_what_is_not_an_email_is_refused(email: str) -> None:
    with pytest.raises(InvalidEmail, match="is not an email address"):
        member_id_for(email)


# Hours


@pytest.mark.parametrize(("given", "hours"), [
    ("1", "1.00"), ("0.25", "0.25"), (" 1.5 ", "1.50"), (3, "3.00"), (Decimal("2.5"), "2.50"),
    ("200", "200.00"), ("0.01", "0.01"), ("1E+1", "10.00"),
])
def test_hours_are_kept_as_decimal_with_two_places(given: object, hours: str) -> None:
    parsed = parse_hours(given)
    assert isinstance(parsed, Decimal)
    assert str(parsed) == hours


@pytest.mark.parametrize(("given", "message"), [
    ("0", "more than 0"),
    ("-1", "more than 0"),
    ("-0.01", "more than 0"),
    ("200.01", "at most 200"),
    ("1000", "at most 200"),
    ("1.234", "at most 2 decimal places"),
    ("0.001", "at most 2 decimal places"),
    (1.5, "not a float"),
    (0.1, "not a float"),
    ("abc", "must be a number, not 'abc'"),
    ("", "must be a number"),
    (None, "must be a number"),
    ("1,5", "must be a number"),
    ("NaN", "finite"),
    ("Infinity", "finite"),
])
def test_hours_out_of_bounds_or_inexact_are_refused(given: object, message: str) -> None:
    with pytest.raises(InvalidHours, match=message):
        parse_hours(given)


# Money


@pytest.mark.parametrize(("value", "currency", "amount", "code"), [
    ("100.5", "EUR", "100.50", "EUR"),
    (Decimal("1234.56"), " usd ", "1234.56", "USD"),
    ("1000", "JPY", "1000", "JPY"),
    ("0.125", "bhd", "0.125", "BHD"),
    (5, "GBP", "5.00", "GBP"),
    ("1000000000", "EUR", "1000000000.00", "EUR"),
])
def test_money_is_exact_in_the_currency_minor_unit(value: object, currency: str, amount: str,
                                                   code: str) -> None:
    money = parse_money(value, currency)
    assert money == Money(Decimal(amount), code)
    assert str(money.amount) == amount
    assert str(money) == f"{amount} {code}"


@pytest.mark.parametrize(("value", "currency", "message"), [
    ("10", "XYZ", "'XYZ' is not a currency code we know"),
    ("10", "euro", "'euro' is not a currency code we know"),
    ("10", "", "is not a currency code we know"),
    ("10", None, "is not a currency code we know"),
    ("10.5", "JPY", "JPY takes at most 0 decimal places"),
    ("10.005", "EUR", "EUR takes at most 2 decimal places"),
    ("1.0005", "KWD", "KWD takes at most 3 decimal places"),
    ("0", "EUR", "more than 0"),
    ("-5", "EUR", "more than 0"),
    ("1000000000.01", "EUR", "at most 1000000000"),
    (10.5, "EUR", "not a float"),
    ("ten", "EUR", "must be a number"),
    ("sNaN", "EUR", "must be a"),
])
def test_bad_money_is_refused(value: object, currency: object, message: str) -> None:
    with pytest.raises(InvalidMoney, match=message):
        parse_money(value, currency)


def test_currency_codes_are_upper_case() -> None:
    assert clean_currency(" chf") == "CHF"


# Warmth


@pytest.mark.parametrize(("given", "warmth"), [(1, 1), ("5", 5), (" 3 ", 3), (Decimal("2"), 2)])
def test_warmth_is_a_whole_number_from_one_to_five(given: object, warmth: int) -> None:
    assert check_warmth(given) == warmth


@pytest.mark.parametrize(("given", "message"), [
    (0, "from 1 to 5, not 0"), (6, "from 1 to 5, not 6"), ("-1", "from 1 to 5"),
    ("warm", "whole number"), (None, "whole number"), (2.5, "whole number"), ("", "whole number"),
])
def test_warmth_outside_one_to_five_is_refused(given: object, message: str) -> None:
    with pytest.raises(InvalidWarmth, match=message):
        check_warmth(given)


# Text and tags


def test_text_is_trimmed() -> None:
    assert clean_text("  hello  ", "title", max_length=10) == "hello"


@pytest.mark.parametrize("missing", ["", "   ", None])
def test_required_text_cannot_be_missing(missing: object) -> None:
    with pytest.raises(InvalidText, match="^title is required$"):
        clean_text(missing, "title", max_length=10)
    assert clean_text(missing, "about", max_length=10, required=False) == ""


def test_text_too_long_is_refused() -> None:
    assert clean_text("x" * 10, "title", max_length=10) == "x" * 10
    with pytest.raises(InvalidText, match="title must be at most 10 characters"):
        clean_text("x" * 11, "title", max_length=10)


def test_tags_are_lower_case_unique_and_sorted() -> None:
    assert clean_tags("Garden, bikes ,garden,,") == ["bikes", "garden"]
    assert clean_tags(["Web design", "web design"]) == ["web design"]
    assert clean_tags(None) == []


def test_too_many_tags_are_refused() -> None:
    with pytest.raises(InvalidText, match="at most 10 tags"):
        clean_tags([f"t{n}" for n in range(11)])


@pytest.mark.parametrize("tag", ["#garden", "-lead", "x" * 31, "a/b"])
def test_what_is_not_a_tag_is_refused(tag: str) -> None:
    with pytest.raises(InvalidText, match="is not a tag"):
        clean_tags([tag])
