"""Avalanche / snowball payoff simulation with the ledger's own replay (pure).

Month by month from today: every loan's installments falling due are paid on their due dates
(overdue ones today); what the budget leaves over is paid at the month's end as a prepayment
to one target debt (avalanche: highest APR first; snowball: smallest balance first), through
``Replay.pay`` exactly as ``debt repay --prepay`` records it: the interest accrued since the
period began is settled, the principal drops, the rest of the schedule gets a new level payment
over fewer months, and the freed payments roll on to the next target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .cards import plan_loan
from .errors import Refused
from .i18n import _
from .ledger import Replay, replay
from .models import LoanState, Repayment
from .money import fmt

STRATEGIES = ("avalanche", "snowball")
MAX_MONTHS = 1200
PLAN_NOTE = "plan"


@dataclass(frozen=True)
class LoanPayoff:
    loan_id: int
    name: str
    payoff_date: dt.date | None
    interest: int  # interest, fees and penalty paid from today on


@dataclass(frozen=True)
class Plan:
    strategy: str
    months: int
    debt_free_date: dt.date | None
    total_interest: int
    loans: tuple[LoanPayoff, ...]
    balances: tuple[int, ...] = ()  # total principal left at each month's end
    short_months: tuple[tuple[dt.date, int], ...] = ()  # (month, scheduled payments) where they alone exceed the budget
    repayments: tuple[Repayment, ...] = ()  # every payment the plan makes, in order (loan ids on each)


@dataclass
class _Debt:
    state: LoanState
    apr: Decimal
    ledger: Replay
    planned: list[Repayment] = field(default_factory=list)
    last_paid: dt.date | None = None
    _balance: int | None = None  # kept until the plan pays this debt again (a sum over its lines)

    @property
    def balance(self) -> int:
        if self._balance is None:
            self._balance = self.ledger.outstanding()
        return self._balance


def _month_end(day: dt.date) -> dt.date:
    return day + relativedelta(day=31)


def _ledger(state: LoanState) -> Replay | None:
    """The debt's ledger to plan on: the loan's replay, or a card's balance due on its bill's due date."""
    if state.card is not None:
        loan = plan_loan(state)
        return Replay(loan) if loan is not None else None
    return replay(state.loan, state.repayments)


def minimum_payments(states: list[LoanState], today: dt.date) -> int:
    """What the loans need each month: overdue amounts plus each loan's next installment if due within a month
    (a card: its bill's minimum)."""
    until = today + relativedelta(months=1)
    total = 0
    for st in states:
        if st.card is not None:
            bill = st.card.next_due
            total += st.card.overdue_amount
            if bill is not None and bill.due_date <= until:
                total += max(bill.minimum - bill.paid, 0)
            continue
        total += st.overdue_amount
        nxt = st.next_due
        if nxt is not None and nxt.installment.kind == "installment" and nxt.installment.due_date <= until:
            total += nxt.unpaid
    return total


def _paid_this_month(states: list[LoanState], month: dt.date, end: dt.date) -> int:
    return sum(
        s.paid
        for st in states
        for s in st.schedule
        if s.installment.kind == "installment" and month <= s.installment.due_date <= end
    )


class _Ids:
    """Negative ids for the plan's own repayments, so they never collide with recorded ones."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last -= 1
        return self.last


def _pay(debt: _Debt, ids: _Ids, day: dt.date, amount: int, *, prepay: bool = False) -> None:
    day = max(day, debt.ledger.last_date or day)  # after any repayment already recorded
    rep = Repayment(debt.state.loan.id or 0, day, amount, note=PLAN_NOTE, prepay=prepay, id=ids.next())
    debt.ledger.pay(rep)
    debt._balance = None
    debt.planned.append(rep)
    debt.last_paid = day


def simulate(states: list[LoanState], aprs: dict[int, Decimal], budget: int, strategy: str | None, today: dt.date) -> Plan:
    """Run the plan; ``strategy`` None pays only the schedules (the baseline)."""
    debts = [_Debt(s, aprs.get(s.loan.id or 0, s.loan.annual_rate), ledger) for s in states if (ledger := _ledger(s))]
    debts = [d for d in debts if d.ledger.is_open]
    if strategy is not None:
        needed = minimum_payments(states, today)
        if needed > budget:
            raise Refused(
                _("the budget {budget} is {short} short of the monthly minimum payments ({needed})").format(
                    budget=fmt(budget), short=fmt(needed - budget), needed=fmt(needed)
                )
            )
    ids = _Ids()
    month = today.replace(day=1)
    months = 0
    balances: list[int] = []
    short: list[tuple[dt.date, int]] = []
    for m in range(MAX_MONTHS):
        live = [d for d in debts if d.ledger.is_open]
        if not live:
            break
        end = _month_end(month)
        # this month's installments already paid before today come out of this month's budget too
        spent = _paid_this_month(states, month, end) if m == 0 else 0
        scheduled = 0
        for d in live:
            for day in sorted({max(due, today) for due in d.ledger.open_due_dates(end)}):
                amount = d.ledger.due_by(day)
                if amount > 0:
                    _pay(d, ids, day, amount)
                    scheduled += amount
        spent += scheduled
        if strategy is not None and scheduled > budget:
            short.append((month, scheduled))
        extra = max(budget - spent, 0) if strategy is not None else 0
        while extra > 0:
            open_debts = [d for d in debts if d.balance > 0]
            if not open_debts:
                break
            if strategy == "avalanche":
                target = min(open_debts, key=lambda d: (-d.apr, d.balance, d.state.loan.id))
            else:
                target = min(open_debts, key=lambda d: (d.balance, -d.apr, d.state.loan.id))
            part = min(extra, target.ledger.payoff(end).total)
            if part <= 0:
                break
            _pay(target, ids, end, part, prepay=True)
            extra -= part
        if spent or (strategy is not None and extra < budget - spent):
            months = m + 1
        balances.append(sum(d.balance for d in debts))
        month += relativedelta(months=1)
    loans = []
    for d in sorted(debts, key=lambda d: d.state.loan.id or 0):
        mine = {r.id for r in d.planned}
        interest = sum(a.interest + a.fee + a.penalty for a in d.ledger.allocs if a.rep_id in mine)
        loans.append(LoanPayoff(d.state.loan.id or 0, d.state.loan.name, d.last_paid, interest))
    last_day = max((d.last_paid for d in debts if d.last_paid), default=None)
    planned = tuple(sorted((r for d in debts for r in d.planned), key=lambda r: (r.date, -(r.id or 0))))
    return Plan(
        strategy or "schedule",
        months,
        last_day,
        sum(lp.interest for lp in loans),
        tuple(loans),
        tuple(balances[:months]),
        tuple(short),
        planned,
    )
