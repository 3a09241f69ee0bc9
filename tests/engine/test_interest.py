"""Interest as banks and platforms charge it, in the engine: day count, irregular first periods, APR,
LPR fixings and penalty interest. Figures are computed here independently (Decimal by hand,
numpy-financial), never read back from the engine. Through `debt`: cli/test_cli_interest.py."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.ledger import evaluate
from tracker.lpr import SHIPPED, floating_rates, in_force, last_before
from tracker.models import Loan, Repayment
from tracker.rates import loan_cost
from tracker.schedule import MAX_TERM_MONTHS, accrue, build_schedule

D = dt.date
FEN = Decimal("0.01")


def half_up(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def loan(**kw) -> Loan:
    base = dict(
        name="x",
        lender="y",
        method="equal-installment",
        principal=100_000_000,
        annual_rate=Decimal("4.9"),
        start_date=D(2025, 1, 15),
        first_due_date=D(2025, 2, 15),
        term_months=360,
        id=1,
    )
    base.update(kw)
    return Loan(**base)


# -- day count -------------------------------------------------------------------------------
def test_daily_rate_platform_charges_actual_days():
    # 20,000 at 0.05% a day from 2025-01-08: January has 31 days, 31 x 0.05% x 20,000 = 310.00
    platform = loan(
        principal=2_000_000,
        annual_rate=Decimal("18.25"),
        rate_unit="daily",
        quoted_rate=Decimal("0.05"),
        interest_basis="daily",
        term_months=12,
        start_date=D(2025, 1, 8),
        first_due_date=D(2025, 2, 8),
    )
    s = build_schedule(platform)
    assert s[0].interest == 31_000
    # the level payment once, with 0.05% x 365 / 12 a month
    level = Decimal(str(-npf.pmt(0.0005 * 365 / 12, 12, 20000)))
    assert Decimal(s[0].total) / 100 == half_up(level)
    # February has 28 days: interest on the balance after the first principal part
    balance = 2_000_000 - s[0].principal
    assert s[1].interest == int(half_up(Decimal(balance) * Decimal("0.0005") * 28 / 100) * 100)
    assert sum(i.principal for i in s) == 2_000_000
    assert all(i.total == s[0].total for i in s[:-1])


def test_period_basis_charges_a_full_month_whatever_its_days():
    s = build_schedule(
        loan(
            principal=2_000_000,
            annual_rate=Decimal("18.25"),
            term_months=12,
            start_date=D(2025, 1, 8),
            first_due_date=D(2025, 2, 8),
        )
    )
    assert s[0].interest == int(half_up(Decimal(20000) * Decimal("0.1825") / 12) * 100) == 30_417


def test_irregular_first_period_charges_its_days_and_a_regular_principal_part():
    # 1,000,000 at 4.9% from 2025-01-08, first due 2025-02-20: 43 days at 4.9% / 360
    s = build_schedule(loan(start_date=D(2025, 1, 8), first_due_date=D(2025, 2, 20)))
    assert Decimal(s[0].interest) / 100 == half_up(Decimal(1_000_000) * Decimal("0.049") / 360 * 43) == Decimal("5852.78")
    regular = build_schedule(loan())
    assert s[0].principal == regular[0].principal == 122_394  # what a regular month would repay
    assert s[1].interest == regular[1].interest  # from then on the same loan
    assert [i.due_date for i in s[:3]] == [D(2025, 2, 20), D(2025, 3, 20), D(2025, 4, 20)]


def test_irregular_first_period_apr_uses_the_real_dates():
    long_first = loan(start_date=D(2025, 1, 8), first_due_date=D(2025, 2, 20), term_months=12, principal=1_200_000)
    cost = loan_cost(long_first)
    s = build_schedule(long_first)
    # oracle: numpy's IRR on daily steps (43 days, then months of 365/12 days), as an annual rate
    flows = [-12000.0] + [0.0] * 42 + [s[0].total / 100]
    for inst in s[1:]:
        flows.extend([0.0] * ((inst.due_date - s[s.index(inst) - 1].due_date).days - 1) + [inst.total / 100])
    daily = npf.irr(flows)
    assert float(cost.apr) == pytest.approx(daily * 365 * 100, abs=0.03)


@settings(max_examples=60, deadline=None)
@given(
    principal=st.integers(min_value=100_000, max_value=10**11),
    rate=st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
    term=st.integers(min_value=1, max_value=MAX_TERM_MONTHS),
)
def test_bullet_apr_matches_the_closed_form(principal, rate, term):
    bullet = loan(method="bullet", principal=principal, annual_rate=rate, term_months=term)
    total = build_schedule(bullet)[0].total
    monthly = (Decimal(total) / Decimal(principal)) ** (Decimal(1) / term) - 1
    exact = monthly * 1200
    cost = loan_cost(bullet)
    # rounded correctly unless the exact figure sits within a hair of a rounding line
    if abs((exact * 100) % 1 - Decimal("0.5")) > Decimal("1e-9"):
        assert cost.apr == half_up(exact)


# numpy's IRR finds the roots of a polynomial of the term's degree (a second at the longest term): random
# terms up to 20 years, 30 years and the longest term as explicit examples
@settings(max_examples=60, deadline=None)
@given(
    principal=st.integers(min_value=1_000_000, max_value=10**10),
    rate=st.decimals(min_value=Decimal("0.01"), max_value=36, places=2),
    term=st.integers(min_value=2, max_value=240),
    fee=st.integers(min_value=0, max_value=30),
)
@example(principal=1_000_000_000, rate=Decimal("4.9"), term=360, fee=0)
@example(principal=10**10, rate=Decimal("36"), term=MAX_TERM_MONTHS, fee=30)
def test_apr_matches_numpy_irr(principal, rate, term, fee):
    offer = loan(principal=principal, annual_rate=rate, term_months=term, received=principal * (100 - fee) // 100 or None)
    payments = [i.total / 100 for i in build_schedule(offer)]
    irr = npf.irr([-offer.received_amount / 100, *payments])
    cost = loan_cost(offer)
    assert float(cost.apr) == pytest.approx(irr * 1200, abs=0.0051)


def test_lpr_table_ships_every_fixing_since_the_reform():
    assert SHIPPED[0].date == D(2019, 8, 20) and (SHIPPED[0].one_year, SHIPPED[0].five_year) == (Decimal("4.25"), Decimal("4.85"))
    months = {(f.date.year, f.date.month) for f in SHIPPED}
    assert len(months) == len(SHIPPED)  # one a month
    assert all(f.date.weekday() < 5 or f.date == D(2021, 2, 20) for f in SHIPPED)
    assert all(20 <= f.date.day <= 22 for f in SHIPPED)
    # published moves (PBOC / NIFC announcements)
    assert in_force(SHIPPED, D(2024, 10, 21)).five_year == Decimal("3.60")
    assert in_force(SHIPPED, D(2024, 10, 20)).five_year == Decimal("3.85")
    assert in_force(SHIPPED, D(2025, 5, 20)).one_year == Decimal("3.00")
    assert last_before(SHIPPED, D(2025, 5, 20)).one_year == Decimal("3.10")


def test_floating_rates_function_uses_the_fixing_before_the_day():
    initial, changes = floating_rates(D(2023, 3, 1), D(2025, 3, 1), 0, "06-20", SHIPPED)
    # on 2023-06-20 itself a new fixing (4.20) was published; the repricing uses the one before (4.30)
    assert initial == Decimal("4.30")
    assert changes[0] == (D(2023, 6, 20), Decimal("4.30"))
    assert changes[1] == (D(2024, 6, 20), Decimal("3.95"))


# -- penalty interest -------------------------------------------------------------------------------
def test_penalty_accrues_on_overdue_principal_and_interest_and_is_paid_first():
    overdue = loan(penalty_rate=Decimal("7.35"))  # 1.5 x 4.9%
    reps = [Repayment(1, D(2025, 2, 25), 530727, id=1)]  # ten days late
    state = evaluate(overdue, reps, D(2025, 2, 25))
    penalty = half_up(Decimal("5307.27") * Decimal("0.0735") / 360 * 10)
    first = state.schedule[0]
    assert Decimal(first.paid_penalty) / 100 == penalty == Decimal("10.84")
    assert first.unpaid == int(penalty * 100) and first.status == "overdue"
    # the rest is paid eleven days later; the penalty runs on for one more day on what was left
    later = evaluate(overdue, [*reps, Repayment(1, D(2025, 2, 26), 1084 + 1, id=2)], D(2025, 3, 1))
    assert later.schedule[0].status == "paid" and later.schedule[0].days_late == 11
    assert later.penalty_accrued == 0


def test_without_a_penalty_rate_nothing_changes():
    plain = loan()
    reps = [Repayment(1, D(2025, 2, 25), 530727, id=1)]
    state = evaluate(plain, reps, D(2025, 3, 1))
    assert state.schedule[0].status == "paid" and state.penalty_accrued == 0
    assert state.schedule[0].days_late == 10


def test_nothing_accrues_on_no_balance_or_over_no_time():
    bullet = loan(method="bullet", principal=1_000_000, annual_rate=Decimal("4.35"), term_months=12)
    start = D(2026, 1, 15)
    assert accrue(bullet, 0, start, D(2026, 7, 15)) == 0
    assert accrue(bullet, -500, start, D(2026, 7, 15)) == 0
    assert accrue(bullet, 1_000_000, start, start) == 0
    assert accrue(bullet, 1_000_000, start, D(2026, 1, 1)) == 0
    assert accrue(bullet, 1_000_000, start, D(2026, 1, 16)) > 0  # one day is interest
