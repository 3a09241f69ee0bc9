"""Repayments: record one (checked as the ledger checks it), the installments paid before a loan was entered,
and a repayment deleted."""

from __future__ import annotations

import datetime as dt

from ..dates import parse_date
from ..errors import AlreadyRecorded, BadInput
from ..i18n import _
from ..inputs import MAX_NOTE, clean_text
from ..ledger import check_repayment, evaluate
from ..models import Loan, LoanState, Repayment
from ..money import fmt, parse_amount
from ..store import Store
from .views import loan_state, repayments_with_deductions

PAID_BEFORE = "paid-until"  # the source of the repayments `--paid-until` records for installments before the loan was entered


def record_repayment(
    store: Store,
    loan_id: int,
    amount: str | int,
    today: dt.date,
    *,
    date: str | None = None,
    note: str | None = None,
    prepay: bool = False,
    keep_term: bool = False,
    allow_overpay: bool = False,
    again: bool = False,
    source: str = "",
    source_ref: str = "",
) -> tuple[Repayment, LoanState]:
    """Record a repayment, checked as the ledger checks it. One of the same amount on the same day already recorded
    for the loan is refused (``AlreadyRecorded``) unless ``again``: it is most likely the same payment twice."""
    if keep_term and not prepay:
        raise BadInput(_("--keep-term goes with --prepay"))
    loan = store.get_loan(loan_id)
    when = parse_date(date, _("repayment date")) if date is not None else today
    rep = repayment_for(
        loan, amount, today, date=when, note=note, prepay=prepay, keep_term=keep_term, source=source, source_ref=source_ref
    )
    with store.write():
        existing = store.repayments(loan_id)
        same = next((r for r in existing if r.date == rep.date and r.amount == rep.amount), None)
        if same is not None and not again:
            raise AlreadyRecorded(
                _("{name} already has a repayment of {amount} on {date} (repayment {id}); nothing was recorded").format(
                    name=loan.name, amount=fmt(rep.amount, loan.currency, symbol=True), date=rep.date.isoformat(), id=same.id
                ),
                _("use --again to record a second one"),
                repayment=same,
            )
        check_repayment(loan, existing, rep, today, allow_overpay=allow_overpay)
        saved = store.add_repayment(rep)
    return saved, evaluate(loan, [*existing, saved], today)


def repayment_for(
    loan: Loan,
    amount: str | int,
    today: dt.date,
    *,
    date: dt.date,
    note: str | None = None,
    prepay: bool = False,
    keep_term: bool = False,
    source: str = "",
    source_ref: str = "",
) -> Repayment:
    """A repayment to ``loan`` checked on its own: made by today, on or after the loan's start."""
    if date > today:
        raise BadInput(
            _("the repayment date {date} is after today ({today}); record a payment once it is made").format(
                date=date.isoformat(), today=today.isoformat()
            )
        )
    if date < loan.start_date:
        raise BadInput(
            _("the repayment date {date} is before the loan starts ({start})").format(
                date=date.isoformat(), start=loan.start_date.isoformat()
            )
        )
    return Repayment(
        loan_id=loan.id or 0,
        date=date,
        amount=amount if isinstance(amount, int) else parse_amount(amount, loan.currency),
        note=clean_text(note, _("note"), limit=MAX_NOTE),
        prepay=prepay,
        keep_term=keep_term,
        source=source,
        source_ref=source_ref,
    )


def repayment_with_loan(store: Store, rep_id: int) -> tuple[Repayment, Loan]:
    """A recorded repayment and the loan it pays (to say which, before deleting it)."""
    rep = store.get_repayment(rep_id)
    return rep, store.get_loan(rep.loan_id)


def list_repayments(store: Store, today: dt.date, loan_id: int | None = None) -> tuple[list[Repayment], dict[int, Loan]]:
    """The repayments, oldest first, an auto-debit loan's deductions with the rest, and the loans they pay by id;
    a damaged loan's are skipped (and named)."""
    if loan_id is not None:
        store.get_loan(loan_id)
    loans = {ln.id or 0: ln for ln in store.loans()}
    return [r for r in repayments_with_deductions(store, today, loan_id) if r.loan_id in loans], loans


def delete_repayment(store: Store, rep_id: int, today: dt.date) -> tuple[Repayment, LoanState]:
    rep = store.get_repayment(rep_id)
    store.delete_repayment(rep_id)
    return rep, loan_state(store, rep.loan_id, today)


def record_paid_until(store: Store, loan_id: int, until: dt.date, today: dt.date) -> LoanState:
    """Mark every installment due on or before ``until`` as paid on its due date (a loan entered mid-way)."""
    with store.write():
        state = loan_state(store, loan_id, today)
        for s in state.schedule:
            if s.installment.kind == "installment" and s.installment.due_date <= until and s.unpaid > 0:
                record_repayment(
                    store,
                    loan_id,
                    s.unpaid,
                    today,
                    date=s.installment.due_date.isoformat(),
                    note=_("paid before the loan was entered"),
                    source=PAID_BEFORE,
                    again=True,  # each installment's own payment, not one typed twice
                )
    return loan_state(store, loan_id, today)
