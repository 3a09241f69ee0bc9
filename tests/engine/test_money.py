"""Amounts as text: the integer formatting against Decimal's own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.errors import BadInput
from tracker.money import MAX_MINOR, fmt, parse_amount, to_str

CURRENCIES = ("CNY", "USD", "JPY", "KWD")
PLACES = {"CNY": 2, "USD": 2, "JPY": 0, "KWD": 3}
SYMBOLS = {"CNY": "¥", "USD": "$", "JPY": "¥", "KWD": "KWD "}


@given(st.integers(-MAX_MINOR, MAX_MINOR), st.sampled_from(CURRENCIES))
def test_amount_text_is_decimals(minor: int, currency: str) -> None:
    places = PLACES[currency]
    value = Decimal(minor).scaleb(-places)
    assert to_str(minor, currency) == f"{value:.{places}f}"
    assert fmt(minor, currency) == f"{value:,.{places}f}"
    text = f"{abs(value):,.{places}f}"
    assert fmt(minor, currency, symbol=True) == ("-" if minor < 0 else "") + SYMBOLS[currency] + text
    assert Decimal(to_str(minor, currency)).scaleb(places) == minor


def test_amount_text_examples() -> None:
    assert to_str(530727) == "5307.27"
    assert to_str(5) == "0.05"
    assert to_str(-5) == "-0.05"
    assert to_str(0) == "0.00"
    assert fmt(100000000) == "1,000,000.00"
    assert fmt(-123456, symbol=True) == "-¥1,234.56"
    assert fmt(1234, "JPY") == "1,234"
    assert to_str(1234, "KWD") == "1.234"


@given(st.decimals(min_value=-1000, max_value=1000, places=6, allow_nan=False), st.sampled_from([0, 2, 4]))
def test_rate_text_is_half_up(value: Decimal, places: int) -> None:
    from decimal import ROUND_HALF_UP

    from tracker.money import percent_str

    want = str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    assert percent_str(value, places) == want
    assert percent_str(value, places) == want  # kept: the same text again


def test_rate_text_examples() -> None:
    from tracker.money import percent_str

    assert percent_str(Decimal("4.9")) == percent_str(Decimal("4.90")) == "4.90"
    assert percent_str(Decimal("4.905")) == "4.91" and percent_str(Decimal("4.9049")) == "4.90"
    assert (percent_str(Decimal("0")), percent_str(Decimal("-0"))) == ("0.00", "-0.00")  # equal, printed apart


def test_an_amount_too_large_names_the_limit_not_the_digits():
    # the digits typed would be printed masked, like a card number (1234*********4567): the limit says more
    with pytest.raises(BadInput) as err:
        parse_amount("12345678901234567")
    assert err.value.message == "amount is too large: at most 10,000,000,000,000.00"
    assert parse_amount("10000000000000") == 10**15


@pytest.mark.parametrize("text", ["1,0000", "12,3456.50", "1,000,00", "1,00"])
def test_separators_in_the_wrong_places_are_named_as_such(text: str):
    """ "1,0000" is a number grouped by fours (万), not "not a number": the message says where the separators go."""
    with pytest.raises(BadInput, match="separators in the wrong places") as caught:
        parse_amount(text)
    assert "10,000" in caught.value.message
    with pytest.raises(BadInput, match="not a number"):
        parse_amount("1,0a00")
    assert parse_amount("10,000") == 1_000_000 and parse_amount("1,234,567.89") == 123_456_789
