"""Allocation of repayments: order, statuses, prepayment, overpayment."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.errors import BadInput, Refused
from tracker.ledger import check_repayment, evaluate, payoff_quote
from tracker.models import Loan, Repayment

D = dt.date


def mortgage(**kw) -> Loan:
    base = dict(
        name="房贷",
        lender="ICBC",
        method="equal-installment",
        principal=100_000_000,
        annual_rate=Decimal("4.9"),
        term_months=360,
        start_date=D(2025, 1, 15),
        first_due_date=D(2025, 2, 15),
        id=1,
    )
    base.update(kw)
    return Loan(**base)


def rep(day: dt.date, amount: int, rid: int, **kw) -> Repayment:
    return Repayment(loan_id=1, date=day, amount=amount, id=rid, **kw)


def statuses(state, n):
    return [s.status for s in state.schedule[:n]]


def test_statuses_paid_overdue_partial_due():
    loan = mortgage()
    reps = [rep(D(2025, 2, 15), 530727, 1), rep(D(2025, 3, 10), 100000, 2)]
    state = evaluate(loan, reps, D(2025, 3, 15))
    # installment 2 is due today and partly paid: partial; the third has nothing: due
    assert statuses(state, 3) == ["paid", "partial", "due"]
    assert state.schedule[1].paid == 100000
    later = evaluate(loan, reps, D(2025, 3, 16))
    assert statuses(later, 3) == ["paid", "overdue", "due"]
    assert later.status == "overdue"
    assert later.overdue_amount == 430727
    assert later.days_overdue == 1


def test_due_today_is_due_not_overdue():
    state = evaluate(mortgage(), [], D(2025, 2, 15))
    assert state.schedule[0].status == "due" and state.status == "active"
    assert state.next_due is not None and state.next_due.installment.seq == 1


def test_days_overdue_from_oldest_unpaid():
    state = evaluate(mortgage(), [rep(D(2025, 2, 15), 530727, 1)], D(2025, 5, 20))
    assert state.days_overdue == (D(2025, 5, 20) - D(2025, 3, 15)).days
    assert state.overdue_amount == 3 * 530727  # due 15 March, April and May


def test_allocation_fee_then_interest_then_principal_oldest_first():
    loan = Loan("分期", "CMB", "flat-fee", 1_000_000, Decimal(0), D(2025, 1, 5), D(2025, 2, 5), 12, fee_rate=Decimal("0.6"), id=1)
    # late: two installments due; pay 1.5 of them
    state = evaluate(loan, [rep(D(2025, 3, 10), 89333 + 40000, 1)], D(2025, 3, 10))
    first, second = state.schedule[0], state.schedule[1]
    assert first.status == "paid"
    assert (second.paid_fee, second.paid_interest, second.paid_principal) == (6000, 0, 34000)
    assert sum(a.total for a in state.allocations) == 89333 + 40000


def test_early_payment_is_an_advance_and_changes_nothing_else():
    loan = mortgage()
    state = evaluate(loan, [rep(D(2025, 2, 10), 530727, 1)], D(2025, 2, 12))
    assert state.schedule[0].status == "paid"
    assert [s.installment.total for s in state.schedule] == [
        s.installment.total for s in evaluate(loan, [], D(2025, 2, 12)).schedule
    ]


def days_interest(balance: int, annual: str, days: int) -> int:
    """Interest for a broken period: balance x annual / 360 x days, half-up to the fen (the oracle)."""
    return int((Decimal(balance) * Decimal(annual) / 36000 * days).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_prepay_between_due_dates_settles_interest_then_shortens_with_a_new_payment():
    loan = mortgage()
    reps = [rep(D(2025, 2, 15), 530727, 1), rep(D(2025, 2, 20), 10_000_000, 2, prepay=True)]
    state = evaluate(loan, reps, D(2025, 2, 20))
    before = 100_000_000 - state.schedule[0].installment.principal
    # five days of interest since 15 February come first, the rest off the principal
    accrued = days_interest(before, "4.9", 5)
    assert accrued == 67_972
    pre = state.schedule[1].installment
    assert (pre.kind, pre.seq, pre.interest, pre.principal) == ("prepayment", None, accrued, 10_000_000 - accrued)
    balance = before - (10_000_000 - accrued)
    assert state.outstanding_principal == balance
    regular = [s.installment for s in state.schedule if s.installment.kind == "installment"]
    # independent oracle: the fewest whole months the old payment allows, and the level payment for them
    months = math.ceil(npf.nper(0.049 / 12, -5307.27, balance / 100))
    assert len(regular) - 1 == months
    payment = -npf.pmt(0.049 / 12, months, balance / 100)
    assert regular[2].total / 100 == pytest.approx(payment, abs=0.005)
    # the next installment charges the new balance for the 23 days from the prepayment to 15 March
    assert regular[1].interest == days_interest(balance, "4.9", 23)
    assert [i.seq for i in regular] == list(range(1, len(regular) + 1))
    assert sum(s.installment.principal for s in state.schedule) == loan.principal
    effect = state.effects[0]
    assert (effect.accrued_interest, effect.months_saved) == (accrued, 359 - months)
    assert effect.new_end == regular[-1].due_date and effect.old_end == D(2055, 1, 15)


def test_prepay_keep_term_lowers_payment():
    loan = mortgage()
    reps = [rep(D(2025, 2, 15), 530727, 1), rep(D(2025, 2, 20), 10_000_000, 2, prepay=True, keep_term=True)]
    state = evaluate(loan, reps, D(2025, 2, 20))
    regular = [s for s in state.schedule if s.installment.kind == "installment"]
    assert len(regular) == 360
    new_balance = (100_000_000 - regular[0].installment.principal - (10_000_000 - days_interest(99_877_606, "4.9", 5))) / 100
    assert regular[2].installment.total / 100 == pytest.approx(-npf.pmt(0.049 / 12, 359, new_balance), abs=0.005)


def test_prepay_covers_overdue_first():
    loan = mortgage()
    state = evaluate(loan, [rep(D(2025, 3, 20), 530727 * 2 + 1_000_000, 1, prepay=True)], D(2025, 3, 20))
    assert statuses(state, 2) == ["paid", "paid"]
    pre = state.schedule[2].installment
    assert pre.kind == "prepayment"
    balance = 100_000_000 - sum(s.installment.principal for s in state.schedule[:2])
    assert pre.interest == days_interest(balance, "4.9", 5)  # 15 to 20 March
    assert pre.principal + pre.interest == 1_000_000


def test_equal_principal_prepay_keeps_part():
    loan = mortgage(method="equal-principal", term_months=120, principal=12_000_000)
    state = evaluate(loan, [rep(D(2025, 1, 20), 6_000_000, 1, prepay=True)], D(2025, 1, 20))
    regular = [s for s in state.schedule if s.installment.kind == "installment"]
    accrued = days_interest(12_000_000, "4.9", 5)
    left = 12_000_000 - (6_000_000 - accrued)
    assert len(regular) == math.ceil(left / 100_000) == 61
    assert regular[0].installment.principal == 100_000
    assert regular[0].installment.interest == days_interest(left, "4.9", 26)  # 20 January to 15 February


def test_payoff_quote_closes_the_loan_exactly():
    loan = mortgage(principal=1_000_000, term_months=12)
    # five days after the start: the principal and five days of interest, nothing more
    quote = payoff_quote(loan, [], D(2025, 1, 20))
    assert (quote.principal, quote.interest, quote.fees, quote.penalty) == (1_000_000, days_interest(1_000_000, "4.9", 5), 0, 0)
    state = check_repayment(loan, [], rep(D(2025, 1, 20), quote.total, 1, prepay=True), D(2025, 1, 20), allow_overpay=False)
    assert state.status == "closed" and state.outstanding_principal == 0 and state.credit == 0
    with pytest.raises(Refused):
        check_repayment(loan, [], rep(D(2025, 1, 20), quote.total + 1, 1, prepay=True), D(2025, 1, 20), allow_overpay=False)
    short = check_repayment(loan, [], rep(D(2025, 1, 20), quote.total - 1, 1, prepay=True), D(2025, 1, 20), allow_overpay=False)
    assert short.status != "closed"


def test_revolving_extra_payment_reduces_balance():
    """10,000.00 at 18 % (0.05 % a day), 5,000.00 paid on the first due date: the first bill (1,000.00 and 24 days
    of interest, 120.00), then the next bill's minimum (900.00, settled that day: no day of its interest has run),
    and the 2,980.00 left lowers the balance to 5,120.00. The next bill's interest runs from that day: 59 days to
    25 March, 5,120.00 x 0.05 % x 59 = 151.04, on a minimum of 512.00."""
    card = Loan("卡", "CCB", "revolving", 1_000_000, Decimal(18), D(2025, 1, 1), D(2025, 1, 25), None, id=1)
    state = evaluate(card, [rep(D(2025, 1, 25), 500_000, 1)], D(2025, 1, 26))
    bills = {s.installment.seq: s for s in state.schedule}
    assert (bills[1].installment.interest, bills[1].status) == (12_000, "paid")
    assert (bills[2].installment.principal, bills[2].installment.interest, bills[2].status) == (90_000, 0, "paid")
    assert state.outstanding_principal == 512_000
    assert (bills[3].installment.start, bills[3].installment.principal, bills[3].installment.interest) == (
        D(2025, 1, 25), 51_200, 15_104,
    )  # fmt: skip
    assert [s.installment.principal for s in state.schedule if s.installment.kind == "prepayment"] == [298_000]


def test_revolving_bill_paid_before_its_due_date_settles_it():
    """5,000.00 at 18 %, its first bill due 25 November (500.00 and 55 days of interest, 137.50) paid as billed on
    the 22nd: settled that day with 52 days of interest (130.00); the 7.50 over it lowers the balance."""
    card = Loan("卡", "银行", "revolving", 500_000, Decimal(18), D(2026, 10, 1), D(2026, 11, 25), None, id=1)
    bill = evaluate(card, [], D(2026, 11, 20)).schedule[0].installment
    assert (bill.principal, bill.interest) == (50_000, 13_750)
    state = evaluate(card, [rep(D(2026, 11, 22), bill.total, 1)], D(2026, 11, 26))
    first = next(s for s in state.schedule if s.installment.seq == 1)
    assert first.status == "paid" and first.installment.interest == 13_000 and state.status == "active"
    assert state.outstanding_principal == 500_000 - 50_000 - 750
    assert state.overdue_amount == 0


def test_revolving_paid_beyond_its_bill_between_due_dates_is_charged_by_the_day():
    """4,500.00 left after the first bill, 4,000.00 paid a day after its due date, at 0.05 % a day: the coming bill
    is settled that day with one day of interest (2.25, where its whole period's was 67.50) and its minimum
    (450.00); the 3,547.75 left lowers the balance to 502.25, and the next bill charges it from that day: 60 days
    to 25 January, 502.25 x 0.05 % x 60 = 15.07, on a minimum of 50.23."""
    card = _daily_card()
    reps = [rep(D(2026, 11, 25), 50_000 + 55 * 250, 1), rep(D(2026, 11, 26), 400_000, 2)]
    before = {s.installment.seq: s.installment for s in evaluate(card, reps[:1], D(2026, 11, 25)).schedule}
    assert (before[2].principal, before[2].interest) == (45_000, 6_750)
    state = evaluate(card, reps, D(2026, 11, 27))
    bills = {s.installment.seq: s for s in state.schedule}
    assert (bills[2].installment.interest, bills[2].installment.principal, bills[2].status) == (225, 45_000, "paid")
    assert state.outstanding_principal == 50_225
    assert (bills[3].installment.start, bills[3].installment.principal, bills[3].installment.interest) == (
        D(2026, 11, 26), 5_023, 1_507,
    )  # fmt: skip
    assert state.credit == 0 and sum(a.total for a in state.allocations if a.repayment_id == 2) == 400_000


def test_a_payoff_after_an_installment_paid_ahead_is_what_closes_the_loan():
    """12,000 at 6 % over 12 months; installment 2 (due 1 December) paid in full on 10 November, ahead of its date:
    it stays paid, its month's interest with it, so a payoff on 20 November is the principal left after it (the
    quote used to count the advance back against 19 days of interest, and recording it left the loan open)."""
    loan = mortgage(principal=1_200_000, annual_rate=Decimal(6), term_months=12, start_date=D(2026, 10, 1),
                    first_due_date=D(2026, 11, 1))  # fmt: skip
    level = int(Decimal(-npf.pmt(0.005, 12, 1_200_000)).quantize(Decimal(1), rounding=ROUND_HALF_UP))  # 103,280
    reps = [rep(D(2026, 11, 1), level, 1), rep(D(2026, 11, 10), level, 2)]
    left = 1_200_000 - (level - 6_000)  # after installment 1: its interest is a month at 0.5 % of 12,000.00
    second = level - int((Decimal(left) * Decimal("0.005")).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    quote = payoff_quote(loan, reps, D(2026, 11, 20))
    assert (quote.total, quote.interest) == (left - second, 0)
    state = evaluate(loan, [*reps, rep(D(2026, 11, 20), quote.total, 3, prepay=True)], D(2026, 11, 20))
    assert state.status == "closed" and state.credit == 0


def test_a_revolving_payoff_after_a_bill_paid_whole_closes_the_loan():
    """A bill settled before its due date, with more beyond it: the payoff a day later is the principal left
    (502.25) and that one day of interest on it (0.25), nothing of the period the bill already settled."""
    card = _daily_card()
    reps = [rep(D(2026, 11, 25), 50_000 + 55 * 250, 1), rep(D(2026, 11, 26), 400_000, 2)]
    before = evaluate(card, reps, D(2026, 11, 27))
    quote = payoff_quote(card, reps, D(2026, 11, 27))
    assert before.outstanding_principal == 50_225
    assert (quote.total, quote.interest) == (50_225 + 25, 25)
    assert evaluate(card, [*reps, rep(D(2026, 11, 27), quote.total, 3)], D(2026, 11, 27)).status == "closed"


def _daily_card() -> Loan:
    # 5,000.00 at 18 % a year, charged by the day: 18 / 360 = 0.05 % a day, 2.50 a day on the whole balance
    return Loan(
        "卡", "银行", "revolving", 500_000, Decimal(18), D(2026, 10, 1), D(2026, 11, 25), None, id=1, interest_basis="daily"
    )


@pytest.mark.parametrize(
    ("day", "total"),
    [
        (D(2026, 11, 10), 500_000 + 40 * 250),  # 40 days since 1 October at 2.50: 5,100.00
        # on the due date: the first bill (55 days, 137.50) and the balance, nothing of the next period
        (D(2026, 11, 25), 500_000 + 55 * 250),
        # a day later: that bill, and one day on the 4,500.00 left after its minimum (0.05 % = 2.25)
        (D(2026, 11, 26), 500_000 + 55 * 250 + 225),
    ],
)
def test_revolving_payoff_charges_interest_to_the_day(day, total):
    card = _daily_card()
    quote = payoff_quote(card, [], day)
    assert quote.total == total
    closed = evaluate(card, [rep(day, quote.total, 1)], day)
    assert closed.status == "closed" and closed.credit == 0
    # a fen less is a payment, not a payoff: the coming bill is settled first, and a balance is left
    short = evaluate(card, [rep(day, quote.total - 1, 1)], day)
    assert short.status != "closed" and short.outstanding_principal > 0


def test_a_prepayment_after_a_rate_change_in_its_period_keeps_the_term_at_the_new_rate():
    """100,000 at 6 % over 12 months, the rate cut to 4.8 % from 20 October (the period of 15 October keeps 6 %),
    20,000 prepaid on 1 November keeping the term: the new payment is the annuity at 4.8 % over the 8 months left."""
    loan = mortgage(principal=10_000_000, annual_rate=Decimal(6), term_months=12, start_date=D(2026, 6, 15),
                    first_due_date=D(2026, 7, 15), rate_changes=((D(2026, 10, 20), Decimal("4.8")),))  # fmt: skip
    reps = [rep(D(2026, 7 + k, 15), 860_664, k + 1) for k in range(4)]
    state = evaluate(loan, [*reps, rep(D(2026, 11, 1), 2_000_000, 9, prepay=True, keep_term=True)], D(2026, 11, 1))
    pre = next(s.installment for s in state.schedule if s.installment.kind == "prepayment")
    balance = sum(s.installment.principal for s in state.schedule if s.installment.seq and s.installment.seq > 4)
    # four payments of 8,606.64 at 0.5 % a month leave npf.fv(0.005, 4, 8606.64, -100000) = 67,329.43; the 20,000
    # pays 17 days of interest on that first (190.77), the rest off the principal
    after_four = round(npf.fv(0.005, 4, 8606.64, -100000) * 100)
    assert balance == after_four - (2_000_000 - 19_077) == 4_752_020
    rest = [s.installment for s in state.schedule if s.installment.seq and s.installment.seq > 4]
    assert len(rest) == 8 and rest[-1].due_date == D(2027, 6, 15)  # the same end
    level = -npf.pmt(0.048 / 12, 8, balance / 100) * 100
    assert rest[1].total == int(Decimal(level).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert abs(rest[-1].total - rest[1].total) <= 8  # the last one only rounding away from the others
    assert pre.interest == 19_077  # 17 days since 15 October at the 6 % of that period: 67,329.43 x 6 % / 360 x 17


def test_overpay_refused_unless_allowed():
    loan = mortgage(principal=100_000, term_months=2)
    total = sum(s.installment.total for s in evaluate(loan, [], D(2025, 1, 15)).schedule)
    with pytest.raises(Refused):
        check_repayment(loan, [], rep(D(2025, 2, 1), total + 1, 1), D(2025, 2, 1), allow_overpay=False)
    state = check_repayment(loan, [], rep(D(2025, 2, 1), total + 1, 1), D(2025, 2, 1), allow_overpay=True)
    assert state.credit == 1 and state.status == "closed"
    ok = check_repayment(loan, [], rep(D(2025, 2, 1), total, 1), D(2025, 2, 1), allow_overpay=False)
    assert ok.status == "closed" and ok.credit == 0


def test_repayment_before_start_is_bad_input():
    with pytest.raises(BadInput):
        check_repayment(mortgage(), [], rep(D(2025, 1, 1), 100, 1), D(2025, 2, 1), allow_overpay=False)


def test_bullet_prepay_interest_for_time_borrowed():
    friend = Loan("借款", "王", "bullet", 1_000_000, Decimal(12), D(2025, 1, 1), D(2025, 2, 1), 12, id=1)
    state = evaluate(friend, [rep(D(2025, 6, 15), 500_000, 1, prepay=True)], D(2025, 6, 15))
    pre, last = state.schedule[0].installment, state.schedule[-1].installment
    # Civil Code art. 677: interest for the time actually borrowed. Five whole months at 1% (500.00) and
    # 14 days at 12% / 360 (46.67) are settled first; the rest of the 5,000 repays principal
    assert pre.interest == 50_000 + 4_667
    balance = 1_000_000 - (500_000 - pre.interest)
    # the remainder runs six whole months to 15 December, then 17 days to maturity
    assert last.interest == int(
        (Decimal(balance) * Decimal("0.06") + Decimal(balance) * 12 / 36000 * 17).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    assert last.due_date == D(2026, 1, 1) and last.principal == balance


@settings(max_examples=80, deadline=None)
@given(
    method=st.sampled_from(["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee", "revolving"]),
    payments=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=700), st.integers(min_value=1, max_value=3_000_000), st.booleans(), st.booleans()
        ),
        max_size=12,
    ),
)
def test_allocations_conserve_money(method, payments):
    loan = Loan(
        "x",
        "y",
        method,
        5_000_000,
        Decimal("9.5"),
        D(2025, 1, 10),
        D(2025, 2, 10),
        None if method == "revolving" else 24,
        fee_rate=Decimal("0.5") if method == "flat-fee" else Decimal(0),
        id=1,
    )
    reps = [
        rep(D(2025, 1, 10) + dt.timedelta(days=d), amt, i + 1, prepay=p, keep_term=p and k)
        for i, (d, amt, p, k) in enumerate(payments)
    ]
    state = evaluate(loan, reps, D(2026, 6, 1))
    assert sum(a.total for a in state.allocations) + state.credit == sum(r.amount for r in reps)
    assert sum(s.installment.principal for s in state.schedule) == loan.principal
    for s in state.schedule:
        assert 0 <= s.paid <= s.installment.total
        assert s.paid_principal <= s.installment.principal and s.paid_interest <= s.installment.interest
    assert state.outstanding_principal >= 0
    if state.credit:
        assert state.status == "closed"
