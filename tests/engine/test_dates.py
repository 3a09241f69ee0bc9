"""Month arithmetic against dateutil's relativedelta (the oracle) and date parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import add_months, months_between, parse_date
from tracker.errors import BadInput


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31)), st.integers(min_value=-600, max_value=1200))
def test_add_months_matches_relativedelta(day, months):
    assert add_months(day, months) == day + relativedelta(months=months)


def test_months_between_counts_started_months():
    assert months_between(dt.date(2025, 1, 1), dt.date(2025, 6, 15)) == 6
    assert months_between(dt.date(2025, 1, 1), dt.date(2025, 6, 1)) == 5


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "26-1-1", "", "2026/01/01", "1899-12-31", "20260101"])
def test_bad_dates(text):
    with pytest.raises(BadInput):
        parse_date(text)
