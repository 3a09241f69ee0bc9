"""Auto-debit (代扣) loans in the ledger: installments count as deducted on their due dates, once, unless a deduction failed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy_financial as npf
import pytest

from tracker.ledger import deductions, evaluate
from tracker.models import Loan, Repayment

START = dt.date(2025, 12, 15)


def level_payment() -> int:
    """The bank's monthly payment, from numpy-financial (an independent oracle), in fen."""
    pmt = -npf.pmt(0.031 / 12, 360, 1_000_000)
    return int((Decimal(str(pmt)) * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def loan(**kw) -> Loan:
    base = dict(
        name="房贷",
        lender="ICBC",
        method="equal-installment",
        principal=100_000_000,
        annual_rate=Decimal("3.1"),
        start_date=START,
        first_due_date=dt.date(2026, 1, 15),
        term_months=360,
        id=1,
        uid="6f1c1f7e-3a3b-4f43-9a8e-2b6a2f1d9c11",
        autopay=True,
    )
    base.update(kw)
    return Loan(**base)


def rep(day: str, amount: int, rid: int, **kw) -> Repayment:
    return Repayment(loan_id=1, date=dt.date.fromisoformat(day), amount=amount, id=rid, **kw)


# -- the rule, in the engine ----------------------------------------------------------
def test_an_installment_counts_as_deducted_the_day_after_its_due_date():
    pay = level_payment()
    on_due = evaluate(loan(), [], dt.date(2026, 1, 15))
    assert deductions(on_due) == []
    assert on_due.schedule[0].status == "due" and on_due.status == "active"
    after = evaluate(loan(), [], dt.date(2026, 1, 16))
    [d] = deductions(after)
    assert (d.date, d.amount, d.source, d.autopay_seq, d.id) == (dt.date(2026, 1, 15), pay, "autopay", 1, None)
    assert after.schedule[0].status == "paid" and after.schedule[0].days_late == 0
    assert after.overdue_amount == 0


def test_a_year_of_days_counts_each_installment_once():
    pay = level_payment()
    typed = [rep("2026-03-16", pay, 1), rep("2026-07-13", pay, 2)]  # the bank's own record, typed: one day late, two early
    day = dt.date(2026, 1, 1)
    while day <= dt.date(2026, 12, 31):
        state = evaluate(loan(), [t for t in typed if t.date <= day], day)
        due_before = [s for s in state.schedule if s.installment.due_date < day]
        seqs = [d.autopay_seq for d in deductions(state)]
        assert len(seqs) == len(set(seqs)), day
        assert state.overdue == [] and all(s.status == "paid" for s in due_before), day
        # every installment due so far paid exactly once: the money counted is what was due, nothing more
        early = pay if dt.date(2026, 7, 13) <= day <= dt.date(2026, 7, 15) else 0  # installment 7, paid ahead
        assert state.credit == 0 and state.total_paid == sum(s.paid for s in state.schedule), day
        assert state.total_paid == pay * len(due_before) + early, day
        assert {3, 7}.isdisjoint(seqs), day  # the typed repayments stand in for those deductions
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("offset", "amount_delta", "stands_in"),
    [(3, 0, True), (4, 0, False), (-3, 0, True), (2, 1, False), (0, 0, True)],
)
def test_a_repayment_stands_in_for_a_deduction_within_three_days_of_its_amount(offset, amount_delta, stands_in):
    pay = level_payment()
    day = dt.date(2026, 3, 15) + dt.timedelta(days=offset)
    typed = rep(day.isoformat(), pay + amount_delta, 9)
    state = evaluate(loan(), [typed], dt.date(2026, 3, 25))
    counted = [d.autopay_seq for d in deductions(state)]
    if stands_in:
        assert counted == [1, 2] and state.total_paid == 3 * pay
        assert (9, 3) in state.stand_ins or offset <= 0  # on or before its due date it simply pays it
    else:
        assert 3 in counted and state.total_paid == 4 * pay + amount_delta  # a separate payment: an advance
        assert state.stand_ins == ()


def test_a_missed_deduction_is_overdue_and_the_next_ones_pay_their_own_installments():
    pay = level_payment()
    state = evaluate(loan(missed=(2,)), [], dt.date(2026, 4, 20))
    assert [d.autopay_seq for d in deductions(state)] == [1, 3, 4]
    assert [s.installment.seq for s in state.overdue] == [2]
    assert state.overdue_amount == pay and state.days_overdue == (dt.date(2026, 4, 20) - dt.date(2026, 2, 15)).days
    paid = evaluate(loan(missed=(2,)), [rep("2026-04-20", pay, 5)], dt.date(2026, 4, 21))
    assert paid.overdue == [] and paid.status == "active"


# -- the commands ----------------------------------------------------------------------
