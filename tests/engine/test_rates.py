"""True APR against numpy-financial and the PBOC's published example; warnings at their lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.dates import add_months
from tracker.models import Installment, Loan
from tracker.rates import advertised_rate, cost_of, loan_cost, rate_warnings
from tracker.schedule import build_schedule

D = dt.date
START = D(2025, 1, 1)


def make(method: str, principal: int, rate: str, term: int, **kw) -> Loan:
    return Loan("x", "y", method, principal, Decimal(rate), START, D(2025, 2, 1), term, **kw)


def test_pboc_official_example():
    # 100,000 with 1,000 deducted up front, 12 payments of 8,833.30 -> APR 12.80%, EAR 13.58%
    payments = [Installment(k + 1, add_months(D(2025, 2, 1), k), 0, 883330) for k in range(12)]
    cost = cost_of(9_900_000, START, payments)
    assert (cost.apr, cost.ear) == (Decimal("12.80"), Decimal("13.58"))
    assert float(cost.monthly_irr) == pytest.approx(npf.irr([99_000] + [-8833.3] * 12), abs=1e-12)


def test_card_instalment_fee_rate():
    loan = make("flat-fee", 1_000_000, "0", 12, fee_rate=Decimal("0.6"))
    cost = loan_cost(loan)
    assert (cost.apr, cost.ear) == (Decimal("13.03"), Decimal("13.84"))
    flows = [10_000] + [-i.total / 100 for i in build_schedule(loan)]
    assert float(cost.monthly_irr) == pytest.approx(npf.irr(flows), abs=1e-12)


def test_zero_interest_is_zero():
    assert loan_cost(make("equal-installment", 1_000_000, "0", 12)).apr == Decimal("0.00")


def test_no_payments_has_no_apr_and_a_reason():
    cost = cost_of(100, START, [])
    assert cost.apr is None and cost.reason


def test_long_mortgage_apr_equals_nominal():
    cost = loan_cost(make("equal-installment", 100_000_000, "4.9", 360))
    assert cost.apr == Decimal("4.90")


# numpy's IRR finds the roots of a polynomial of the term's degree (its time grows with the cube of the
# term): random terms up to 20 years, 30 years as an explicit example
@settings(max_examples=60, deadline=None)
@given(
    principal=st.integers(min_value=100_000, max_value=10**10),
    rate=st.decimals(min_value=Decimal("0.5"), max_value=36, places=2),
    term=st.integers(min_value=3, max_value=240),
    fee=st.integers(min_value=0, max_value=5),
)
@example(principal=100_000_000, rate=Decimal("4.9"), term=360, fee=0)
@example(principal=10**10, rate=Decimal("36"), term=360, fee=5)
def test_apr_matches_numpy_financial(principal, rate, term, fee):
    received = principal - principal * fee // 100
    loan = make("equal-installment", principal, str(rate), term, received=received if fee else None)
    cost = loan_cost(loan)
    oracle = npf.irr([received] + [-i.total for i in build_schedule(loan)])
    assert float(cost.monthly_irr) == pytest.approx(oracle, rel=1e-9, abs=1e-12)
    if not fee and principal >= 1_000_000:  # on tiny loans fen rounding of interest alone moves the second decimal
        assert cost.apr == Decimal(str(rate)).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    "code,line",
    [("above-4x-lpr", Decimal("12.00")), ("above-24", Decimal("24.00")), ("above-36", Decimal("36.00"))],
)
def test_warnings_fire_strictly_above_their_line(code, line):
    advertised = Decimal(100)  # keep fee-disguised quiet
    assert code not in {w.code for w in rate_warnings(line, advertised, lpr=Decimal("3.0"))}
    assert code in {w.code for w in rate_warnings(line + Decimal("0.01"), advertised, lpr=Decimal("3.0"))}


def test_lpr_setting_moves_the_line():
    assert rate_warnings(Decimal("13.00"), Decimal(100), lpr=Decimal("3.5")) == []
    assert [w.code for w in rate_warnings(Decimal("14.01"), Decimal(100), lpr=Decimal("3.5"))] == ["above-4x-lpr"]


def test_fee_disguised_line_is_one_and_a_half_times_advertised():
    assert "fee-disguised" not in {w.code for w in rate_warnings(Decimal("10.80"), Decimal("7.2"))}
    assert "fee-disguised" in {w.code for w in rate_warnings(Decimal("10.81"), Decimal("7.2"))}


def test_advertised_rates():
    assert advertised_rate(make("flat-fee", 100, "0", 12, fee_rate=Decimal("0.6"))) == Decimal("7.2")
    daily = make("equal-installment", 100, str(Decimal("0.05") * 365), 12, rate_unit="daily", quoted_rate=Decimal("0.05"))
    assert advertised_rate(daily) == Decimal("18.25")
