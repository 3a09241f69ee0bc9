"""Avalanche / snowball payoff simulation over the loans' live schedules (pure).

Month by month from today: every loan gets its scheduled payment (a revolving balance its
minimum); what the budget leaves over prepays one target debt (avalanche: highest APR first;
snowball: smallest balance first). Prepaid principal shortens a fixed schedule with the same
payment, as the ledger's --prepay does, so freed payments roll on to the next target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext

from dateutil.relativedelta import relativedelta

from .dates import months_between
from .errors import Refused
from .i18n import _
from .models import Installment, LoanState
from .money import fmt, round_half_up
from .schedule import generate, initial_terms, month_slot

STRATEGIES = ("avalanche", "snowball")
MAX_MONTHS = 1200


@dataclass(frozen=True)
class LoanPayoff:
    loan_id: int
    name: str
    payoff_date: dt.date | None
    interest: int  # interest and fees paid from today on


@dataclass(frozen=True)
class Plan:
    strategy: str
    months: int
    debt_free_date: dt.date | None
    total_interest: int
    loans: tuple[LoanPayoff, ...]
    balances: tuple[int, ...] = ()  # total principal left at each month's end


@dataclass
class _Debt:
    state: LoanState
    apr: Decimal
    rest: list[list] = field(default_factory=list)  # [installment, unpaid principal, interest, fee]
    interest_paid: int = 0
    last_paid: dt.date | None = None

    @property
    def balance(self) -> int:
        return sum(r[1] for r in self.rest)


def _month_end(day: dt.date) -> dt.date:
    return day + relativedelta(day=31)


def _start(state: LoanState) -> list[list]:
    rest = []
    for s in state.schedule:
        if s.unpaid > 0:
            inst = s.installment
            rest.append([inst, inst.principal - s.paid_principal, inst.interest - s.paid_interest, inst.fee - s.paid_fee])
    return rest


def _prepay(debt: _Debt, amount: int, month_end: dt.date) -> None:
    """Cut principal by amount and rebuild the installments after this month (same payment, shorter term)."""
    loan = debt.state.loan
    future = [r for r in debt.rest if r[0].due_date > month_end]
    now = [r for r in debt.rest if r[0].due_date <= month_end]
    if not future:
        return
    balance = sum(r[1] for r in future) - amount
    nxt = future[0][0]
    terms = initial_terms(loan)
    if loan.method == "equal-installment" and len(future) > 1:
        terms = replace(terms, payment=nxt.principal + nxt.interest)
    elif loan.method in ("equal-principal", "flat-fee") and len(future) > 1:
        terms = replace(terms, part=nxt.principal)
    if loan.method == "bullet":
        # simple interest: the old balance's share for the months already started stays owed
        term = loan.term_months or 1
        elapsed = min(max(months_between(loan.start_date, month_end), 1), term)
        with localcontext(prec=50):
            interest = round_half_up(Decimal(future[0][2]) * elapsed / term + Decimal(balance) * terms.rate * (term - elapsed))
        inst = replace(nxt, principal=balance, interest=interest)
        debt.rest = now + ([[inst, inst.principal, inst.interest, inst.fee]] if balance or interest else [])
        return
    first_slot = month_slot(loan.first_due_date, nxt.due_date)
    count = len(future) if loan.method == "interest-only" else None
    rebuilt: list[Installment] = generate(terms, balance, first_slot, count, seq=nxt.seq)
    debt.rest = now + [[i, i.principal, i.interest, i.fee] for i in rebuilt]


def minimum_payments(states: list[LoanState], today: dt.date) -> int:
    """What the loans need each month: overdue amounts plus each loan's next installment if due within a month."""
    until = today + relativedelta(months=1)
    total = 0
    for st in states:
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


def simulate(states: list[LoanState], aprs: dict[int, Decimal], budget: int, strategy: str | None, today: dt.date) -> Plan:
    """Run the plan; ``strategy`` None pays only the schedules (the baseline)."""
    debts = [_Debt(s, aprs.get(s.loan.id or 0, s.loan.annual_rate), _start(s)) for s in states]
    debts = [d for d in debts if d.rest]
    if strategy is not None:
        needed = minimum_payments(states, today)
        if needed > budget:
            raise Refused(
                _("the budget {budget} is {short} short of the monthly minimum payments ({needed})").format(
                    budget=fmt(budget), short=fmt(needed - budget), needed=fmt(needed)
                )
            )
    month = today.replace(day=1)
    months = 0
    balances: list[int] = []
    for m in range(MAX_MONTHS):
        if not any(d.rest for d in debts):
            break
        end = _month_end(month)
        # this month's installments already paid before today come out of this month's budget too
        spent = _paid_this_month(states, month, end) if m == 0 else 0
        for d in debts:
            for row in [r for r in d.rest if r[0].due_date <= end]:
                spent += row[1] + row[2] + row[3]
                d.interest_paid += row[2] + row[3]
                d.last_paid = max(row[0].due_date, today)
                d.rest.remove(row)
        extra = max(budget - spent, 0) if strategy is not None else 0
        while extra > 0:
            open_debts = [d for d in debts if d.balance > 0]
            if not open_debts:
                break
            if strategy == "avalanche":
                target = min(open_debts, key=lambda d: (-d.apr, d.balance, d.state.loan.id))
            else:
                target = min(open_debts, key=lambda d: (d.balance, -d.apr, d.state.loan.id))
            part = min(extra, target.balance)
            # paid at the month's end, after its installment: the next installment's interest runs on less
            _prepay(target, part, end)
            extra -= part
            target.last_paid = end
        if spent or (strategy is not None and extra < budget - spent):
            months = m + 1
        balances.append(sum(d.balance for d in debts))
        month += relativedelta(months=1)
    loans = tuple(
        LoanPayoff(d.state.loan.id or 0, d.state.loan.name, d.last_paid, d.interest_paid)
        for d in sorted(debts, key=lambda d: d.state.loan.id or 0)
    )
    last_day = max((d.last_paid for d in debts if d.last_paid), default=None)
    return Plan(strategy or "schedule", months, last_day, sum(d.interest_paid for d in debts), loans, tuple(balances[:months]))
