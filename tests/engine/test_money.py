"""Amounts as text: the integer formatting against Decimal's own."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tracker.money import MAX_MINOR, fmt, to_str

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
