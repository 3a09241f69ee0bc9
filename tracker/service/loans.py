"""Loans: add one, edit it, mark an automatic deduction that failed, what closes it on a day, and the notices
a new or changed loan brings (installments already due, deductions counted, a shorter real term)."""

from __future__ import annotations

import datetime as dt

from msgspec import Struct
from msgspec.structs import replace

from ..dates import parse_date
from ..errors import BadInput, Refused
from ..i18n import _
from ..inputs import LoanInput, build_loan, parse_id, parse_paid_until
from ..ledger import deductions, evaluate, payoff_quote
from ..models import Loan, LoanState, Payoff
from ..money import fmt
from ..schedule import build_schedule
from ..store import Store
from .repayments import record_paid_until
from .views import loan_state


def add_loan(store: Store, loan: Loan, today: dt.date, *, paid_until: str | None = None) -> LoanState:
    """Save a loan made by build_loan; with ``paid_until`` (a date as typed), the installments due by then are
    recorded as paid on their due dates, in the same transaction (a loan entered partway through)."""
    with store.write():
        saved = store.add_loan(loan)
        state = evaluate(saved, [], today)
        until = parse_paid_until(paid_until, saved, today)
        if until is not None:
            state = record_paid_until(store, saved.id or 0, until, today)
    return state


def get_loan(store: Store, loan_id: int) -> Loan:
    return store.get_loan(loan_id)


def edit_loan(store: Store, loan_id: int, data: LoanInput, today: dt.date, *, paid_until: str | None = None) -> LoanState:
    """Change a loan's terms (the fields not given keep theirs); ``paid_until`` as for add_loan, checked against the
    changed loan, in the same transaction."""
    with store.write():
        state = _edit_terms(store, loan_id, data, today)
        until = parse_paid_until(paid_until, state.loan, today)
        if until is not None:
            state = record_paid_until(store, loan_id, until, today)
    return state


def _edit_terms(store: Store, loan_id: int, data: LoanInput, today: dt.date) -> LoanState:
    base = store.get_loan(loan_id)
    if base.is_card:
        raise Refused(_("loan {id} is a credit card: change it with 'debt card edit {id}'").format(id=loan_id))
    with store.write():
        repayments = store.repayments(loan_id)
        deducted = deductions(evaluate(base, repayments, today))
        if data.changes_rate and (repayments or deducted):
            raise Refused(
                _(
                    "loan {id} has repayments: editing its rate would rewrite the installments already paid; record a rate "
                    "change from a date instead"
                ).format(id=loan_id),
                hint=_("record the change from a date with 'debt loan rate {id} PCT --from DATE'").format(id=loan_id),
            )
        new = build_loan(data, base, store.fixings())
        if new.currency != base.currency:
            if repayments:
                raise Refused(
                    _("loan {id} has repayments in {currency}; its currency cannot change").format(
                        id=loan_id, currency=base.currency
                    )
                )
            if data.principal is None or (base.received is not None and data.received is None):
                raise BadInput(
                    _("give the amounts in {currency} too (--principal, and --received if fees were deducted)").format(
                        currency=new.currency
                    )
                )
        if repayments and repayments[0].date < new.start_date:
            raise Refused(
                _("loan {id} has a repayment on {date}, before the new start {start}").format(
                    id=loan_id, date=repayments[0].date.isoformat(), start=new.start_date.isoformat()
                )
            )
        if base.autopay and not new.autopay and deducted:
            # the deductions the bank made are payments made: they stay, recorded
            store.add_repayments(deducted)
            repayments = store.repayments(loan_id)
        before, after = evaluate(base, repayments, today), evaluate(new, repayments, today)
        if after.credit > before.credit:
            # the repayments recorded would pay more than the changed loan owes: the overpayment rule of
            # 'debt repay', not to be got round by lowering what is owed
            raise Refused(
                _("with this change the repayments recorded on loan {id} would pay {amount} more than it owes").format(
                    id=loan_id, amount=fmt(after.credit - before.credit, new.currency)
                )
            )
        loan = store.update_loan(new)
    return evaluate(loan, repayments, today)


class Deletion(Struct, frozen=True):
    """What deleting a loan takes with it: its name (readable even when its other values are damaged), how many
    repayments, and a card's instalment plans (id, name), which are repaid from it and go with it."""

    loan_id: int
    name: str
    repayments: int
    plans: tuple[tuple[int, str], ...] = ()


def deletion_summary(store: Store, loan_id: int) -> Deletion:
    return Deletion(loan_id, store.loan_name(loan_id), store.repayment_count(loan_id), tuple(store.card_plans(loan_id)))


def delete_loan(store: Store, loan_id: int) -> Deletion:
    """Delete a loan and all of its repayments; a card, its instalment plans too (left behind, they went on being
    deducted from a card that no longer existed), in one transaction. Returns what was deleted."""
    with store.write():
        gone = deletion_summary(store, loan_id)
        for plan_id, _name in gone.plans:
            store.delete_loan(plan_id)
        store.delete_loan(loan_id)
    return gone


def mark_missed(store: Store, loan_id: int, seq: str | int, today: dt.date, *, undo: bool = False) -> LoanState:
    """Record that an installment's automatic deduction failed (余额不足), or, with ``undo``, that it went through."""
    number = parse_id(seq, _("installment number"))
    with store.write():
        loan = store.get_loan(loan_id)
        if not loan.autopay:
            raise Refused(
                _("loan {id} is not repaid by automatic deduction (turn it on with 'debt loan edit {id} --autopay')").format(
                    id=loan_id
                )
            )
        inst = next((i for i in build_schedule(loan) if i.seq == number), None)
        if inst is None:
            raise Refused(_("loan {id} has no installment {seq}").format(id=loan_id, seq=number))
        if undo:
            if number not in loan.missed:
                raise Refused(
                    _("installment {seq} of loan {id} is not marked as a failed deduction").format(seq=number, id=loan_id)
                )
            missed = tuple(n for n in loan.missed if n != number)
        else:
            if inst.due_date > today:
                raise Refused(
                    _("installment {seq} is due on {date}; a deduction can only fail once its day has come").format(
                        seq=number, date=inst.due_date.isoformat()
                    )
                )
            if number in loan.missed:
                raise Refused(_("installment {seq} of loan {id} is already marked as missed").format(seq=number, id=loan_id))
            missed = (*loan.missed, number)
            for rep in store.repayments(loan_id):
                if rep.autopay_seq == number:
                    store.delete_repayment(rep.id or 0)  # a deduction recorded earlier did not happen after all
        store.update_loan(replace(loan, missed=tuple(sorted(missed))))
    return loan_state(store, loan_id, today)


def payoff(store: Store, loan_id: int, date: str | None, today: dt.date) -> Payoff:
    """What closes the loan on a day (default today): principal, interest to that day, fees, penalty."""
    loan = store.get_loan(loan_id)
    day = parse_date(date, _("payoff date")) if date is not None else today
    if day < loan.start_date:
        raise BadInput(
            _("the payoff date {date} is before the loan starts ({start})").format(
                date=day.isoformat(), start=loan.start_date.isoformat()
            )
        )
    return payoff_quote(loan, store.repayments(loan_id), day)


def past_due_notice(state: LoanState) -> str | None:
    """A new loan with installments already due and nothing recorded: probably paid, say how to mark them."""
    if state.repayments:
        return None
    past = [s.installment for s in state.schedule if s.installment.kind == "installment" and s.installment.due_date < state.today]
    if not past:
        return None
    return _(
        "{n} installments fell due before today and show as overdue; if you paid them, mark them with "
        "'debt loan edit {id} --paid-until {date}'"
    ).format(n=len(past), id=state.loan.id, date=past[-1].due_date.isoformat())


def autopay_notice(state: LoanState) -> str | None:
    """An auto-debit loan with installments already due: they count as deducted; how to say one failed."""
    counted = deductions(state)
    if not counted:
        return None
    return _(
        "installments due before today count as deducted on their due dates ({n} so far); if a deduction "
        "failed, record it with 'debt loan missed {id} SEQ'"
    ).format(n=len(counted), id=state.loan.id)


def term_notice(loan: Loan) -> str | None:
    """A loan whose rounded payment repays it before its term: the real number of installments."""
    if loan.method in ("bullet", "revolving") or not loan.term_months:
        return None
    count = len(build_schedule(loan))
    if count >= loan.term_months:
        return None
    return _("the rounded payment repays this loan in {n} installments, not {term}").format(n=count, term=loan.term_months)
