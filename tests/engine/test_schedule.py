"""Schedules against independent oracles: numpy-financial and published bank examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.models import Loan
from tracker.schedule import annuity_payment, build_schedule, monthly_rate

D = dt.date


def loan(method: str, principal: int, rate: str, term: int | None, **kw) -> Loan:
    kw.setdefault("start_date", D(2025, 1, 15))
    kw.setdefault("first_due_date", D(2025, 2, 15))
    return Loan(name="x", lender="y", method=method, principal=principal, annual_rate=Decimal(rate), term_months=term, **kw)


def yuan(minor: int) -> float:
    return minor / 100


class TestPublishedMortgage:
    """1,000,000 at 4.9% over 30 years: the classic Chinese mortgage example."""

    def test_equal_installment(self):
        s = build_schedule(loan("equal-installment", 100_000_000, "4.9", 360))
        assert len(s) == 360
        assert s[0].total == 530727
        assert 100_000_000 - sum(i.principal for i in s[:12]) == 98_497_839
        assert sum(i.interest for i in s) == 91_061_512
        assert s[-1].total == 530519
        assert sum(i.principal for i in s) == 100_000_000

    def test_equal_installment_matches_numpy_financial(self):
        r = 0.049 / 12
        exact = -npf.pmt(r, 360, 1_000_000)
        assert yuan(annuity_payment(100_000_000, monthly_rate(Decimal("4.9")), 360)) == pytest.approx(exact, abs=0.005)
        s = build_schedule(loan("equal-installment", 100_000_000, "4.9", 360))
        # the balance after 12 rounded payments, from the closed formula with the same payment
        oracle_balance = npf.fv(r, 12, -5307.27, 1_000_000) * -1
        assert yuan(100_000_000 - sum(i.principal for i in s[:12])) == pytest.approx(oracle_balance, abs=0.05)
        # online calculators print the unrounded closed form: 910,616.19; the collectable schedule differs by cents
        assert exact * 360 - 1_000_000 == pytest.approx(910_616.19, abs=0.01)
        assert abs(yuan(sum(i.interest for i in s)) - 910_616.19) < 2

    def test_equal_principal(self):
        s = build_schedule(loan("equal-principal", 100_000_000, "4.9", 360))
        assert [s[0].total, s[1].total] == [686111, 684977]
        assert sum(i.interest for i in s) == 73_704_108
        assert s[-1].total == 278832
        # closed form: P*r*(n+1)/2 = 737,041.67
        assert 1_000_000 * 0.049 / 12 * 361 / 2 == pytest.approx(737_041.67, abs=0.01)
        assert abs(yuan(sum(i.interest for i in s)) - 737_041.67) < 1


def test_flat_fee_card_instalments():
    s = build_schedule(loan("flat-fee", 1_000_000, "0", 12, fee_rate=Decimal("0.6")))
    assert [i.total for i in s[:11]] == [89333] * 11
    assert s[-1].total == 89337
    assert all(i.fee == 6000 and i.interest == 0 for i in s)


def test_interest_only_pays_principal_last():
    s = build_schedule(loan("interest-only", 10_000_000, "6", 12))
    assert [i.total for i in s[:11]] == [50000] * 11
    assert s[-1].principal == 10_000_000 and s[-1].interest == 50000


def test_bullet_simple_interest_at_maturity():
    s = build_schedule(loan("bullet", 1_000_000, "12", 12, start_date=D(2025, 1, 1), first_due_date=D(2025, 2, 1)))
    assert len(s) == 1
    assert s[0].due_date == D(2026, 1, 1)
    assert s[0].interest == 120000


def test_zero_rate_friend_loan():
    s = build_schedule(loan("equal-installment", 1_000_000, "0", 3))
    assert [i.total for i in s] == [333333, 333333, 333334]
    assert all(i.interest == 0 for i in s)


def test_revolving_minimum_payments_run_down_the_balance():
    s = build_schedule(loan("revolving", 1_000_000, "18", None, min_payment_rate=Decimal(10)))
    assert s[0].principal == 100_000 and s[0].interest == 15_000
    assert sum(i.principal for i in s) == 1_000_000
    assert s[-1].principal <= 10_000  # the floor: a balance under 100.00 is due in full
    assert 20 < len(s) < 60


def test_revolving_interest_follows_the_loans_basis():
    """A revolving balance is charged as any loan of its basis is (README "How interest is charged"):
    by the day, the quoted daily rate x actual days every period; by the period, a broken first period
    at annual / 360 x actual days, then a full month at annual / 12. Hand figures, in fen."""
    daily = build_schedule(
        loan(
            "revolving", 1_000_000, "18.25", None, min_payment_rate=Decimal(10), start_date=D(2026, 10, 1),
            first_due_date=D(2026, 10, 25), interest_basis="daily", rate_unit="daily", quoted_rate=Decimal("0.05"),
        )
    )  # fmt: skip
    # 10,000 x 0.05 % x 24 days; 9,000 x 0.05 % x 31; 8,100 x 0.05 % x 30; 7,290 x 0.05 % x 31 = 112.995
    assert [i.interest for i in daily[:4]] == [12_000, 13_950, 12_150, 11_300]
    period = build_schedule(
        loan(
            "revolving",
            1_000_000,
            "18",
            None,
            min_payment_rate=Decimal(10),
            start_date=D(2026, 10, 1),
            first_due_date=D(2026, 10, 25),
        )
    )
    # 10,000 x 18 % / 360 x 24 days; then 9,000 x 1.5 %, 8,100 x 1.5 %
    assert [i.interest for i in period[:3]] == [12_000, 13_500, 12_150]


def test_due_dates_clamp_to_month_end():
    s = build_schedule(loan("equal-principal", 1_200_000, "5", 4, start_date=D(2024, 12, 31), first_due_date=D(2025, 1, 31)))
    assert [i.due_date for i in s] == [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30)]
    leap = build_schedule(loan("equal-principal", 1_200_000, "5", 2, start_date=D(2023, 12, 31), first_due_date=D(2024, 1, 31)))
    assert leap[1].due_date == D(2024, 2, 29)


methods = st.sampled_from(["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee"])


@settings(max_examples=150, deadline=None)
@given(
    method=methods,
    principal=st.integers(min_value=100, max_value=10**11),
    rate=st.decimals(min_value=0, max_value=24, places=2),
    term=st.integers(min_value=1, max_value=360),
)
def test_principal_parts_sum_exactly(method, principal, rate, term):
    principal = max(principal, 10_000 * term)  # at least 100 a month: for toy amounts rounding can end a schedule early
    kw = {"fee_rate": Decimal("0.5")} if method == "flat-fee" else {}
    s = build_schedule(loan(method, principal, str(rate), term, **kw))
    assert sum(i.principal for i in s) == principal
    assert all(i.principal >= 0 and i.interest >= 0 for i in s)
    assert len(s) == (1 if method == "bullet" else term)
    assert [i.due_date for i in s] == sorted(i.due_date for i in s)


@settings(max_examples=150, deadline=None)
@given(
    principal=st.integers(min_value=100_000, max_value=10**10),
    rate=st.decimals(min_value=Decimal("0.01"), max_value=36, places=2),
    term=st.integers(min_value=2, max_value=360),
)
def test_annuity_payment_matches_numpy_financial(principal, rate, term):
    r = float(rate) / 1200
    oracle = -npf.pmt(r, term, principal / 100)
    s = build_schedule(loan("equal-installment", principal, str(rate), term))
    assert yuan(s[0].total) == pytest.approx(oracle, abs=0.006)
    # every installment but the last pays the level payment
    assert len({i.total for i in s[:-1]}) == 1
    # the last absorbs only rounding: half a fen of payment and half a fen of interest per month, compounded
    assert abs(s[-1].total - s[0].total) <= npf.fv(r, term, -1, 0) + 1


def test_month_end_start_keeps_its_day_with_default_first_due():
    from tracker.dates import add_months
    from tracker.rates import loan_cost

    start = D(2026, 1, 31)
    loan31 = loan("equal-installment", 1_200_000, "12", 4, start_date=start, first_due_date=add_months(start, 1))
    assert [i.due_date for i in build_schedule(loan31)] == [D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)]
    # no drift to the 28th: the true cost of a 12% loan stays 12% whatever day it starts
    assert loan_cost(loan31).apr == Decimal("12.00")
