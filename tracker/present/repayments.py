"""Repayments in words: their references and notes, what a prepayment did, the rows of a repayment list."""

from __future__ import annotations

from msgspec import Struct

from ..i18n import _, ngettext
from ..models import LoanState, PrepayEffect, Repayment
from ..money import fmt


def repayment_ref(rep: Repayment) -> str:
    """A repayment's id, or "auto" for a deduction counted but not recorded."""
    return str(rep.id) if rep.id is not None else _("auto")


def repayment_note(rep: Repayment) -> str:
    parts = [rep.note]
    if rep.autopay_seq is not None:
        parts.append(_("automatic deduction, installment {seq}").format(seq=rep.autopay_seq))
    if rep.prepay:
        parts.append(_("[prepayment]"))
    return " ".join(p for p in parts if p)


def stand_in_short(seq: int) -> str:
    return _("is installment {seq}'s automatic deduction (not counted twice)").format(seq=seq)


def stand_in_text(seq: int) -> str:
    return _("This is installment {seq}'s automatic deduction: it takes the deduction's place, nothing is counted twice.").format(
        seq=seq
    )


def prepay_lines(effect: PrepayEffect, currency: str) -> list[str]:
    """What a prepayment did: interest settled to its date, the new end, the months and interest saved."""
    out = []
    settled = []
    if effect.bill_due is not None:
        settled.append(
            _("the bill due {due} ({principal} and {interest} interest to this day)").format(
                due=effect.bill_due.isoformat(),
                principal=fmt(effect.bill_principal, currency, symbol=True),
                interest=fmt(effect.accrued_interest, currency, symbol=True),
            )
        )
    elif effect.accrued_interest:
        settled.append(
            _("{amount} interest since the period began").format(amount=fmt(effect.accrued_interest, currency, symbol=True))
        )
    if effect.fees:
        settled.append(_("{amount} remaining fees").format(amount=fmt(effect.fees, currency, symbol=True)))
    if settled:
        out.append(
            _("Prepayment on {date}: {settled} first, then {principal} off the principal.").format(
                date=effect.date.isoformat(),
                settled=_(", ").join(settled),
                principal=fmt(effect.principal, currency, symbol=True),
            )
        )
    else:
        out.append(
            _("Prepayment on {date}: {principal} off the principal.").format(
                date=effect.date.isoformat(), principal=fmt(effect.principal, currency, symbol=True)
            )
        )
    if effect.new_end is None:
        out.append(_("The loan is paid off; it would have run to {end}.").format(end=_month(effect.old_end)))
    elif effect.months_saved:
        out.append(
            ngettext(
                "Now ends {new} instead of {old}: {months} month sooner, {payment} a month.",
                "Now ends {new} instead of {old}: {months} months sooner, {payment} a month.",
                effect.months_saved,
            ).format(
                new=_month(effect.new_end),
                old=_month(effect.old_end),
                months=effect.months_saved,
                payment=fmt(effect.new_payment, currency, symbol=True),
            )
        )
    elif effect.new_payment != effect.old_payment and effect.bill_due is None:
        # (a revolving balance's bill follows the balance month by month, its interest from the day paid: the next
        # bill, said after this, is the figure that counts; "the payment drops" compared two months that differ)
        out.append(
            _("Same end ({end}); the payment drops from {old} to {new}.").format(
                end=_month(effect.new_end),
                old=fmt(effect.old_payment, currency, symbol=True),
                new=fmt(effect.new_payment, currency, symbol=True),
            )
        )
    if effect.interest_saved > 0:
        out.append(_("Interest and fees saved: {amount}.").format(amount=fmt(effect.interest_saved, currency, symbol=True)))
    return out


def without_term(state: LoanState) -> bool:
    """A revolving balance or a card: no term to keep or shorten, and what is paid beyond the bills always
    lowers the balance (no advance waits on installments, and --prepay changes nothing)."""
    return state.card is not None or state.loan.method == "revolving"


def advance_text(state: LoanState, rep: Repayment) -> str | None:
    """A repayment without --prepay that paid more than the next installment ahead of its date: the money waits
    on the installments, their interest included, as a bank holds it in the account for the coming deductions.
    Said, because a prepayment of it would have lowered the principal and saved that interest."""
    if rep.prepay or without_term(state):
        return None
    ahead: dict[int, int] = {}
    for a in state.allocations:
        inst = state.schedule[a.line].installment
        if a.repayment_id == rep.id and inst.kind == "installment" and inst.due_date > rep.date:
            ahead[a.line] = ahead.get(a.line, 0) + a.principal + a.interest + a.fee
    if len(ahead) < 2:
        return None  # the next installment paid a little early is the usual way to pay
    return ngettext(
        "{amount} of it pays {n} later installment ahead of its date, interest included.",
        "{amount} of it pays {n} later installments ahead of their dates, their interest included.",
        len(ahead),
    ).format(amount=fmt(sum(ahead.values()), state.loan.currency, symbol=True), n=len(ahead))


def latest_effect(state: LoanState, repayment_id: int | None) -> PrepayEffect | None:
    return next((e for e in reversed(state.effects) if e.repayment_id == repayment_id), None)


def _month(day) -> str:
    return day.strftime("%Y-%m") if day else "-"


def paid_before(rep: Repayment) -> bool:
    """Recorded by --paid-until for an installment paid before the loan was entered (older rows: by their note)."""
    from ..i18n import translate_all

    if rep.source == "paid-until":
        return True
    # (an empty note is no older row's: the other languages' catalogs are read only for a note to compare)
    return rep.source == "" and bool(rep.note) and rep.note in translate_all("paid before the loan was entered")


class RepaymentRow(Struct, frozen=True):
    """One row of a repayment list: a repayment, or a loan's run of installments paid before it was entered."""

    ref: str
    loan_id: int
    loan: str
    date: str
    note: str
    amount: int


def repayment_rows(reps: list[Repayment], names: dict[int, str]) -> list[RepaymentRow]:
    """The rows of a repayment list, oldest first; a loan's run of installments paid before it was entered is
    one row ("24 installments paid before entry"), not 24."""
    rows: list[RepaymentRow] = []
    i = 0
    while i < len(reps):
        rep = reps[i]
        j = i
        if paid_before(rep):
            while j + 1 < len(reps) and reps[j + 1].loan_id == rep.loan_id and paid_before(reps[j + 1]):
                j += 1
        name = names.get(rep.loan_id, str(rep.loan_id))
        if j > i:
            run = reps[i : j + 1]
            note = ngettext("{n} installment paid before entry", "{n} installments paid before entry", len(run)).format(
                n=len(run)
            )
            dates = f"{run[0].date:%Y-%m}…{run[-1].date:%Y-%m}"
            rows.append(RepaymentRow(f"{run[0].id}…{run[-1].id}", rep.loan_id, name, dates, note, sum(r.amount for r in run)))
        else:
            rows.append(
                RepaymentRow(repayment_ref(rep), rep.loan_id, name, rep.date.isoformat(), repayment_note(rep), rep.amount)
            )
        i = j + 1
    return rows
