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
from .schedule import Terms, annuity_payment, build_schedule, generate, initial_terms


@dataclass(slots=True)
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
    # (repayment id, slot, fee, interest, principal); seq numbers are settled at the end
    paid: list[tuple[int | None, _Slot, int, int, int]] = []
    credit = 0
    ordered = sorted(repayments, key=lambda r: (r.date, r.id or 0))

    def apply(rep_id: int | None, slot: _Slot, amount: int) -> int:
        f, i, p, left = slot.pay(amount)
        if f or i or p:
            paid.append((rep_id, slot, f, i, p))
        return left

    first_open = 0  # slots before it are fully paid: repayments arrive in date order
    for rep in ordered:
        amount = rep.amount
        while first_open < len(slots) and slots[first_open].unpaid <= 0:
            first_open += 1
        for s in slots[first_open:]:
            if amount == 0 or s.inst.due_date > rep.date:
                break
            if s.unpaid > 0:
                amount = apply(rep.id, s, amount)
        cut = rep.date
        if amount and loan.method == "revolving":
            # a card bill paid before its due date pays that bill; only what is beyond it lowers the balance
            upcoming = next((s for s in slots[first_open:] if s.inst.due_date > rep.date and s.inst.kind == "installment"), None)
            if upcoming is not None and upcoming.unpaid > 0:
                amount = apply(rep.id, upcoming, amount)
                cut = upcoming.inst.due_date
        k = _prepay_index(loan, slots, cut) if amount and (rep.prepay or loan.method == "revolving") else None
        if k is not None:
            head, tail = slots[:k], slots[k:]
            balance = loan.principal - sum(s.inst.principal for s in head)
            part = min(amount, balance)
            amount -= part
            terms = _terms_after_prepay(loan, terms, rep, balance, balance - part, len(tail))
            count = len(tail) if (rep.keep_term or loan.method in ("interest-only", "bullet")) else None
            pre = _Slot(Installment(0, rep.date, part, 0, 0, kind="prepayment"), -1)
            first_slot = tail[0].slot
            rebuilt = [_Slot(inst, first_slot + j) for j, inst in enumerate(generate(terms, balance - part, first_slot, count))]
            slots = [*head, pre, *rebuilt]
            apply(rep.id, pre, part)
            # money paid ahead on the replaced installments stays credited to the same repayments, in order
            replaced = {id(s) for s in tail}
            moved = [(rid, f + i + p) for rid, slot, f, i, p in paid if id(slot) in replaced]
            paid = [entry for entry in paid if id(entry[1]) not in replaced]
            for rid, value in moved:
                for s in rebuilt:
                    if value == 0:
                        break
                    value = apply(rid, s, value)
                credit += value
        for s in slots[first_open:]:
            if amount == 0:
                break
            if s.unpaid > 0:
                amount = apply(rep.id, s, amount)
        credit += amount

    _renumber(slots)
    allocations = tuple(Allocation(rid, slot.inst.seq, p, i, f) for rid, slot, f, i, p in paid)
    states = tuple(_state(s, today) for s in slots)
    return LoanState(loan, today, states, tuple(ordered), allocations, credit)


def _prepay_index(loan: Loan, slots: list[_Slot], day: dt.date) -> int | None:
    """Where a prepayment on ``day`` cuts the schedule: the first installment due after it."""
    for k, s in enumerate(slots):
        if s.inst.due_date > day and s.inst.kind == "installment":
            head_principal = sum(x.inst.principal for x in slots[:k])
            return k if head_principal < loan.principal else None
    return None


def _terms_after_prepay(loan: Loan, terms: Terms, rep: Repayment, balance: int, new_balance: int, remaining: int) -> Terms:
    """Terms for the rest of the schedule once principal drops from balance to new_balance."""
    if loan.method == "bullet":
        # interest runs on the old balance for the months already started (Civil Code art. 677)
        term = loan.term_months or 1
        elapsed = min(max(months_between(loan.start_date, rep.date), 1), term)
        ran = term - terms.months_left
        with localcontext(prec=50):
            accrued = terms.accrued + Decimal(balance) * terms.rate * max(elapsed - ran, 0)
        return replace(terms, accrued=accrued, months_left=term - max(elapsed, ran))
    if new_balance > 0 and (rep.keep_term or loan.method == "interest-only"):
        if loan.method == "equal-installment":
            return replace(terms, payment=annuity_payment(new_balance, terms.rate, remaining))
        if loan.method in ("equal-principal", "flat-fee"):
            return replace(terms, part=round_half_up(Decimal(new_balance) / remaining))
    return terms


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
