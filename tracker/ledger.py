"""Repayments allocated to installments: balances, overdue, status (pure).

A loan's state is a replay: start from its schedule, apply repayments in date order.
Each repayment pays every installment due on or before its date (fee, then interest,
then principal, oldest first); the rest is an advance on the next installments or,
as a prepayment, reduces the principal and recomputes the remaining schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext

from .dates import months_between
from .errors import BadInput, Refused
from .i18n import _
from .models import Allocation, Installment, InstallmentState, Loan, LoanState, Repayment
from .money import fmt, round_half_up
from .schedule import annuity_payment, build_schedule, generate, initial_terms


@dataclass
class _Slot:
    inst: Installment
    slot: int  # month index from the first due date (prepayment lines: -1)
    fee: int = 0
    interest: int = 0
    principal: int = 0

    @property
    def paid(self) -> int:
        return self.fee + self.interest + self.principal

    @property
    def unpaid(self) -> int:
        return self.inst.total - self.paid

    def pay(self, amount: int) -> tuple[int, int, int, int]:
        """Apply up to amount (fee, interest, principal); return the parts and what is left."""
        f = min(amount, self.inst.fee - self.fee)
        amount -= f
        i = min(amount, self.inst.interest - self.interest)
        amount -= i
        p = min(amount, self.inst.principal - self.principal)
        amount -= p
        self.fee += f
        self.interest += i
        self.principal += p
        return f, i, p, amount


def _slots_for(loan: Loan) -> list[_Slot]:
    sched = build_schedule(loan)
    if loan.method == "bullet":
        return [_Slot(sched[0], (loan.term_months or 1) - 1)]
    return [_Slot(inst, k) for k, inst in enumerate(sched)]


def evaluate(loan: Loan, repayments: list[Repayment] | tuple[Repayment, ...], today: dt.date) -> LoanState:
    """Replay ``repayments`` against ``loan`` and report its state as of ``today``."""
    terms = initial_terms(loan)
    slots = _slots_for(loan)
    allocations: list[Allocation] = []
    credit = 0
    ordered = sorted(repayments, key=lambda r: (r.date, r.id or 0))

    def apply(rep: Repayment, slot: _Slot, amount: int) -> int:
        f, i, p, left = slot.pay(amount)
        if f or i or p:
            allocations.append(Allocation(rep.id, slot.inst.seq, p, i, f))
        return left

    for rep in ordered:
        amount = rep.amount
        for s in slots:
            if amount == 0:
                break
            if s.inst.due_date <= rep.date and s.unpaid > 0:
                amount = apply(rep, s, amount)
        if amount == 0:
            continue
        future = [k for k, s in enumerate(slots) if s.inst.due_date > rep.date and s.inst.kind == "installment"]
        prepay = (rep.prepay or loan.method == "revolving") and future
        if prepay:
            k = future[0]
            head, tail = slots[:k], slots[k:]
            advance = sum(s.paid for s in tail)
            balance = loan.principal - sum(s.inst.principal for s in head)
            part = min(amount, balance)
            amount -= part
            new_balance = balance - part
            first_slot = tail[0].slot
            remaining = len(tail)
            if loan.method == "bullet":
                elapsed = min(max(months_between(loan.start_date, rep.date), 1), loan.term_months or 1)
                ran = (loan.term_months or 1) - terms.months_left
                with localcontext(prec=50):
                    accrued = terms.accrued + Decimal(balance) * terms.rate * max(elapsed - ran, 0)
                terms = replace(terms, accrued=accrued, months_left=(loan.term_months or 1) - max(elapsed, ran))
            elif rep.keep_term or loan.method == "interest-only":
                if loan.method == "equal-installment" and new_balance > 0:
                    terms = replace(terms, payment=annuity_payment(new_balance, terms.rate, remaining))
                elif loan.method in ("equal-principal", "flat-fee") and new_balance > 0:
                    terms = replace(terms, part=round_half_up(Decimal(new_balance) / remaining))
            count = remaining if (rep.keep_term or loan.method in ("interest-only", "bullet")) else None
            line = Installment(0, rep.date, part, 0, 0, kind="prepayment")
            pre = _Slot(line, -1)
            pre.principal = part
            rebuilt = [_Slot(inst, first_slot + j) for j, inst in enumerate(generate(terms, new_balance, first_slot, count))]
            slots = head + [pre] + rebuilt
            _renumber(slots)
            allocations.append(Allocation(rep.id, pre.inst.seq, part, 0, 0))
            # money already paid ahead on the replaced installments stays credited, in order
            for s in rebuilt:
                if advance == 0:
                    break
                f, i, p, advance = s.pay(advance)
            amount += advance
        for s in slots:
            if amount == 0:
                break
            if s.unpaid > 0:
                amount = apply(rep, s, amount)
        credit += amount

    states = tuple(_state(s, today) for s in slots)
    return LoanState(loan, today, states, tuple(ordered), tuple(allocations), credit)


def _renumber(slots: list[_Slot]) -> None:
    for n, s in enumerate(slots, start=1):
        if s.inst.seq != n:
            s.inst = replace(s.inst, seq=n)


def _state(s: _Slot, today: dt.date) -> InstallmentState:
    if s.unpaid <= 0:
        status = "paid"
    elif s.inst.due_date < today:
        status = "overdue"
    elif s.paid > 0:
        status = "partial"
    else:
        status = "due"
    return InstallmentState(s.inst, s.principal, s.interest, s.fee, status)


def check_repayment(loan: Loan, existing: list[Repayment], new: Repayment, today: dt.date, *, allow_overpay: bool) -> LoanState:
    """Validate a new repayment against the loan; return the loan's state with it applied."""
    if new.date < loan.start_date:
        raise BadInput(
            _("the repayment date {date} is before the loan starts ({start})").format(
                date=new.date.isoformat(), start=loan.start_date.isoformat()
            )
        )
    before = evaluate(loan, existing, today)
    after = evaluate(loan, [*existing, new], today)
    extra = after.credit - before.credit
    if extra > 0 and not allow_overpay:
        payable = new.amount - extra
        if payable <= 0:
            raise Refused(_("loan {id} is already fully repaid; nothing is owed").format(id=loan.id))
        raise Refused(
            _("{amount} is more than the {payable} still owed on loan {id} (use --allow-overpay to record it anyway)").format(
                amount=fmt(new.amount, loan.currency), payable=fmt(payable, loan.currency), id=loan.id
            )
        )
    return after
