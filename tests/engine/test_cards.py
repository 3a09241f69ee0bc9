"""Credit cards by their bills, in the engine: each rule on both sides of its line."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from dateutil.relativedelta import relativedelta

from tracker.cards import Bill, due_date, evaluate_card, last_bill_date
from tracker.errors import Refused
from tracker.ledger import check_repayment, payoff_quote
from tracker.models import Loan, Repayment

CARD = dict(
    name="招行信用卡",
    lender="招商银行",
    method="card",
    principal=2_000_000,
    annual_rate=Decimal("18.25"),
    start_date=dt.date(2026, 1, 1),
    first_due_date=dt.date(2026, 1, 23),
    rate_unit="daily",
    quoted_rate=Decimal("0.05"),
    min_payment_rate=Decimal(10),
    credit_limit=2_000_000,
    bill_day=5,
    due_day=23,
    id=1,
)


def card(**kw) -> Loan:
    return Loan(**{**CARD, **kw})


def pay(day: str, yuan: str, rid: int = 1) -> Repayment:
    return Repayment(1, dt.date.fromisoformat(day), int(Decimal(yuan) * 100), id=rid)


BILL = Bill(1, dt.date(2026, 10, 5), 1_000_000)  # ¥10,000 on 5 October, due 23 October


def judge(payments, today="2026-11-04", **kw):
    state = evaluate_card(card(**kw), [BILL], payments, dt.date.fromisoformat(today))
    return state, state.bills[0]


def test_due_dates_follow_the_due_day():
    assert due_date(card(), dt.date(2026, 10, 5)) == dt.date(2026, 10, 23)
    assert due_date(card(bill_day=20, due_day=8), dt.date(2026, 1, 20)) == dt.date(2026, 2, 8)
    assert due_date(card(bill_day=1, due_day=31), dt.date(2026, 2, 1)) == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("day", "status", "interest", "late_fee"), [("2026-10-23", "paid", 0, 0), ("2026-10-24", "overdue", 9_500, 5_000)]
)
def test_paid_in_full_by_the_due_date_costs_nothing(day, status, interest, late_fee):
    state, bill = judge([pay(day, "10000")])
    assert bill.status == status and bill.interest_estimate == interest and bill.late_fee == late_fee
    # one day late: nothing was paid by the due date, so the bill is late (a fee of 5% of the 1,000
    # minimum) and costs interest on the whole of it from the bill date to the day paid: 19 days at 0.05%
    assert interest == 0 or interest == 1_000_000 * 19 * 5 // 10_000
    assert bill.days_late == (0 if status == "paid" else 1)
    assert state.balance == 0 and state.overdue_amount == 0


@pytest.mark.parametrize(
    ("paid", "status", "late_fee"), [("1000", "minimum", 0), ("999.99", "overdue", 0), ("900", "overdue", 500)]
)
def test_the_minimum_by_the_due_date_is_the_line_between_carrying_and_overdue(paid, status, late_fee):
    state, bill = judge([pay("2026-10-23", paid)])
    assert bill.minimum == 100_000  # 10% of the bill
    assert bill.status == status and bill.late_fee == late_fee
    if status == "overdue":
        assert state.overdue_amount == 100_000 - int(Decimal(paid) * 100) + late_fee
        assert bill.days_late == (dt.date(2026, 11, 4) - dt.date(2026, 10, 23)).days
    else:
        assert state.overdue_amount == 0


def test_interest_on_the_whole_bill_or_only_on_the_unpaid_part():
    payments = [pay("2026-10-20", "6000")]  # before the due date, not in full; next bill on 5 November
    _, full = judge(payments)
    _, unpaid = judge(payments, card_interest="unpaid")
    # full: 6,000 for 15 days and 4,000 for 31 days; unpaid: only the 4,000 for 31 days, at 0.05% a day
    assert full.interest_estimate == (600_000 * 15 + 400_000 * 31) * 5 // 10_000 == 10_700
    assert unpaid.interest_estimate == 400_000 * 31 * 5 // 10_000 == 6_200


def test_before_the_due_date_a_bill_is_due_not_overdue():
    state, bill = judge([], today="2026-10-23")
    assert bill.status == "due" and state.overdue_amount == 0 and state.next_due is bill
    state, bill = judge([], today="2026-10-24")
    assert bill.status == "overdue" and state.overdue_amount == 100_000 + 5_000 and state.next_due is None


def test_the_next_minimum_adds_last_bills_interest_and_fees():
    bills = [BILL, Bill(1, dt.date(2026, 11, 5), 500_000)]
    state = evaluate_card(card(), bills, [pay("2026-10-23", "900")], dt.date(2026, 11, 10))
    first, second = state.bills
    assert first.status == "overdue" and first.late_fee == 500
    # 10% of 5,000, plus the interest and late fee of the last bill, plus its unpaid minimum
    assert second.minimum == 50_000 + first.interest_estimate + first.late_fee + 10_000
    assert state.balance == 500_000


def test_utilisation_and_its_70_percent_line():
    from tracker.cards import card_loan_state
    from tracker.present.cards import utilisation_warning

    for owed, warned in ((1_400_000, False), (1_400_001, True)):
        c = card(bills=(Bill(1, dt.date(2026, 10, 5), owed),))
        state = card_loan_state(c, [], dt.date(2026, 10, 10))
        assert state.card.utilisation == (Decimal(owed) / 2_000_000).quantize(Decimal("0.0001"))
        assert (utilisation_warning(state) is not None) is warned


# -- the commands ----------------------------------------------------------------------


def test_the_bill_in_hand_is_the_latest_bill_day():
    """The date a bill form proposes: the card's bill day on or before today, clamped to a short month's end."""
    D = dt.date
    assert last_bill_date(card(bill_day=5), D(2026, 11, 30)) == D(2026, 11, 5)
    assert last_bill_date(card(bill_day=5), D(2026, 11, 5)) == D(2026, 11, 5)
    assert last_bill_date(card(bill_day=5), D(2026, 11, 4)) == D(2026, 10, 5)
    assert last_bill_date(card(bill_day=31), D(2026, 3, 15)) == D(2026, 2, 28)
    assert last_bill_date(card(bill_day=31), D(2026, 1, 1)) == D(2025, 12, 31)


@pytest.mark.parametrize(
    ("day", "interest"),
    [
        # within the interest-free period: the bill alone closes the card
        ("2026-10-20", 0),
        # after a due date missed with 900 paid on 23 October: 900 for 18 days and 9,100 for 26 days at 0.05 %
        ("2026-10-31", (90_000 * 18 + 910_000 * 26) * 5 // 10_000),
        # past the next bill date (5 November) the interest stops there: that bill, paid in full now, is interest-free
        ("2026-11-10", (90_000 * 18 + 910_000 * 31) * 5 // 10_000),
    ],
)
def test_a_cards_payoff_adds_the_interest_and_late_fee_its_next_bill_will_charge(day, interest):
    paid = [pay("2026-10-23", "900")] if day > "2026-10-23" else []
    c = card(bills=(BILL,))
    quote = payoff_quote(c, paid, dt.date.fromisoformat(day))
    late_fee = 0 if day < "2026-10-23" else 500  # 5 % of the 100.00 of the minimum left unpaid
    assert (quote.principal, quote.interest, quote.fees) == (1_000_000 - (90_000 if paid else 0), interest, late_fee)
    # paying the quote is not an overpayment; a fen more is
    new = Repayment(1, quote.date, quote.total, id=9)
    check_repayment(c, paid, new, quote.date, allow_overpay=False)
    with pytest.raises(Refused):
        check_repayment(c, paid, Repayment(1, quote.date, quote.total + 1, id=9), quote.date, allow_overpay=False)


def test_a_cards_minimum_is_forecast_as_its_balance_is_paid_down_not_for_ever():
    """Beyond its latest bill, the debt-to-income forecast counts a card's minimum each month while the balance it
    pays lasts: ¥10,000 at 0.05% a day (1.5% a month), ¥1,000 a month, clears in 11 months (checked by a plain
    loop), the last payment what is left; a minimum below a month's interest never clears it: for ever."""
    from tracker.dti import Burden, card_minimum, card_run_down
    from tracker.ledger import evaluate

    state = evaluate(card(bills=(BILL,)), [], dt.date(2026, 10, 10))
    assert state.card.balance == 1_000_000 and state.card.bills[-1].minimum == 100_000
    balance, expected = Decimal(1_000_000), []
    while balance > 0:  # the oracle: a month's interest, then the payment
        balance += (balance * Decimal("0.015")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        expected.append(int(min(balance, 100_000)))
        balance -= min(balance, 100_000)
    assert list(card_run_down(state)) == expected and len(expected) == 11
    months = [dt.date(2026, 11, 1) + relativedelta(months=k) for k in range(14)]
    asked = [card_minimum(state, m, m + relativedelta(day=31)) for m in months]
    assert asked == [*expected, 0, 0, 0]
    assert Burden([state]).until() == dt.date(2027, 9, 23)  # the 11th month after the bill's due date
    # the issuer's minimum may not cover a month's interest: then it is asked for ever
    low = evaluate(card(bills=(Bill(1, dt.date(2026, 10, 5), 1_000_000, minimum=10_000),)), [], dt.date(2026, 10, 10))
    assert card_run_down(low) is None and Burden([low]).until() is None
    assert card_minimum(low, dt.date(2030, 1, 1), dt.date(2030, 1, 31)) == 10_000
