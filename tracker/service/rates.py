"""Rates that change: a loan's new rate from a date (an LPR reset), and the LPR table floating loans reprice with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from msgspec.structs import replace

from .. import lpr as lpr_table
from ..dates import parse_date
from ..errors import BadInput, Refused
from ..i18n import _
from ..inputs import check_priceable
from ..ledger import evaluate
from ..models import LoanState
from ..money import parse_percent
from ..store import Store


def change_rate(store: Store, loan_id: int, rate: str, start: str, today: dt.date) -> tuple[LoanState, LoanState]:
    """Record a rate change from a date: periods starting on or after it are charged the new rate.

    Paid installments are never rewritten: a date that would change one is refused.
    Returns the loan's state before and after.
    """
    loan = store.get_loan(loan_id)
    if loan.is_card:
        raise Refused(
            _("loan {id} is a credit card: change its daily rate with 'debt card edit {id} --daily-rate PCT'").format(id=loan_id)
        )
    if loan.method == "revolving":
        raise Refused(_("a revolving balance has no schedule to reprice"))
    value = parse_percent(rate, _("rate"), maximum=Decimal(1000))
    day = parse_date(start, _("rate change date"))
    if day <= loan.start_date:
        raise BadInput(
            _("the rate change date {date} must be after the loan starts ({start})").format(
                date=day.isoformat(), start=loan.start_date.isoformat()
            )
        )
    with store.write():
        repayments = store.repayments(loan_id)
        before = evaluate(loan, repayments, today)
        last_due = max(s.installment.due_date for s in before.schedule)
        if day >= last_due:
            raise BadInput(
                _("loan {id} ends on {end}; a rate change from {date} would change nothing").format(
                    id=loan_id, end=last_due.isoformat(), date=day.isoformat()
                )
            )
        changed = lpr_table.timeline(loan.annual_rate, loan.rate_changes, ((day, value),))
        updated = replace(loan, rate_changes=changed)
        check_priceable(updated)
        after = evaluate(updated, repayments, today)
        _refuse_rewriting_paid(before, after, day)
        store.set_rate_change(loan_id, day, value)
    return before, evaluate(store.get_loan(loan_id), repayments, today)


def _refuse_rewriting_paid(before: LoanState, after: LoanState, day: dt.date) -> None:
    new = {s.installment.seq: s.installment for s in after.schedule if s.installment.kind == "installment"}
    # a change from the last paid installment's due date on charges only the periods after it
    earliest = max((s.installment.due_date for s in before.schedule if s.status == "paid"), default=day)
    for s in before.schedule:
        inst = s.installment
        if inst.kind != "installment" or s.status != "paid":
            continue
        now = new.get(inst.seq)
        if now is None or (now.principal, now.interest, now.fee) != (inst.principal, inst.interest, inst.fee):
            raise Refused(
                _(
                    "installment {seq} (due {due}) is already paid at the old rate; a change from {date} would rewrite it "
                    "(a change can start from {earliest}, the last paid installment's due date, or delete its repayment first)"
                ).format(seq=inst.seq, due=inst.due_date.isoformat(), date=day.isoformat(), earliest=earliest.isoformat())
            )


def lpr_fixings(store: Store) -> tuple[lpr_table.Fixing, ...]:
    return store.fixings()


def add_lpr_fixing(store: Store, date: str, one_year: str, five_year: str) -> lpr_table.Fixing:
    day = parse_date(date, _("fixing date"))
    if day < lpr_table.SHIPPED[0].date:
        raise BadInput(_("the LPR was first published on {date}").format(date=lpr_table.SHIPPED[0].date.isoformat()))
    fixing = lpr_table.Fixing(
        day,
        parse_percent(one_year, _("one-year LPR"), allow_zero=False, maximum=Decimal(100)),
        parse_percent(five_year, _("five-year LPR"), allow_zero=False, maximum=Decimal(100)),
        lpr_table.USER_SOURCE,
    )
    official = next((f for f in lpr_table.SHIPPED if f.date == day), None)
    if official is not None and (official.one_year, official.five_year) != (fixing.one_year, fixing.five_year):
        raise Refused(
            _("the LPR of {date} is already in the table ({one}% / {five}%, {source})").format(
                date=day.isoformat(), one=official.one_year, five=official.five_year, source=_(official.source)
            )
        )
    with store.write():
        floating = [loan for loan in store.loans() if loan.lpr_spread_bp is not None]
        before = {loan.id: evaluate(loan, store.repayments(loan.id or 0), day) for loan in floating}
        store.add_fixing(fixing)
        for loan in store.loans():
            if loan.lpr_spread_bp is None:
                continue
            try:
                check_priceable(loan)
            except BadInput as exc:
                raise Refused(
                    _("with this fixing loan {id} could not be priced: {reason}").format(id=loan.id, reason=exc.message)
                ) from None
            after = evaluate(loan, store.repayments(loan.id or 0), day)
            try:
                _refuse_rewriting_paid(before[loan.id], after, day)
            except Refused:
                raise Refused(
                    _(
                        "a fixing of {date} would reprice installments of loan {id} that are already paid; "
                        "fixings that old are already in the table"
                    ).format(date=day.isoformat(), id=loan.id)
                ) from None
    return fixing
