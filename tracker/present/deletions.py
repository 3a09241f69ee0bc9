"""The questions asked before a deletion, and what was done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _, ngettext
from ..models import Contact, CreditCheck, Evidence, Income, Loan, Repayment
from ..money import fmt

if TYPE_CHECKING:
    from ..service.loans import Deletion


def _loan_and_plans(d: Deletion, loan: str, plans: str) -> str:
    """A sentence of the loan and its repayments, then, for a card, one of the instalment plans that go with it."""
    text = loan.format(id=d.loan_id, name=d.name, n=d.repayments)
    if d.plans:
        names = _(", ").join(_("loan {id} '{name}'").format(id=pid, name=name) for pid, name in d.plans)
        text += " " + plans.format(n=len(d.plans), plans=names)
    return text


def delete_loan_question(d: Deletion) -> str:
    """ "Delete loan 3 'ICBC Gold' and its 1 repayment? Its instalment plan goes with it: loan 4 '…'." """
    return _loan_and_plans(
        d,
        ngettext(
            "Delete loan {id} '{name}' and its {n} repayment?", "Delete loan {id} '{name}' and its {n} repayments?", d.repayments
        ),
        ngettext("Its instalment plan goes with it: {plans}.", "Its {n} instalment plans go with it: {plans}.", len(d.plans)),
    )


def deleted_loan_text(d: Deletion) -> str:
    return _loan_and_plans(
        d,
        ngettext("Deleted loan {id} '{name}' and {n} repayment.", "Deleted loan {id} '{name}' and {n} repayments.", d.repayments),
        ngettext(
            "Deleted with it: its instalment plan {plans}.", "Deleted with it: its {n} instalment plans {plans}.", len(d.plans)
        ),
    )


def delete_repayment_question(rep: Repayment, loan: Loan) -> str:
    return _("Delete repayment {id} ({amount} on {date} to {loan})?").format(
        id=rep.id, amount=fmt(rep.amount, loan.currency, symbol=True), date=rep.date.isoformat(), loan=loan.name
    )


def delete_income_question(income: Income) -> str:
    return _("Delete income {id} ({source}, {amount} a month from {start})?").format(
        id=income.id,
        source=income.source,
        amount=fmt(income.amount, income.currency, symbol=True),
        start=income.start_date.isoformat(),
    )


def delete_check_question(check: CreditCheck) -> str:
    return _("Delete the credit check of {date} ({channel})?").format(date=check.date.isoformat(), channel=check.channel or "-")


def delete_contact_question(contact: Contact) -> str:
    return _("Delete contact {id} ({channel} from {sender} on {date})? Its evidence files are kept.").format(
        id=contact.id,
        channel=contact.channel,
        sender=contact.sender,
        date=contact.happened_at.isoformat(timespec="minutes"),
    )


def remove_evidence_question(item: Evidence) -> str:
    return _("Remove evidence {id} ({name})? The stored copy is deleted.").format(id=item.id, name=item.original_name)


def rule_words(counterparty: str | None, description: str | None, method: str | None) -> str:
    """The words a statement-matching rule looks for."""
    return ", ".join(w for w in (counterparty, description, method) if w)


def delete_rule_question(rule_id: int, words: str, loan_id: int) -> str:
    return _("Delete rule {id} ('{words}' to loan {loan})?").format(id=rule_id, words=words, loan=loan_id)


def deleted_rule_text(rule_id: int, words: str, loan_id: int) -> str:
    return _("Deleted rule {id}; statement rows like '{words}' are no longer sent to loan {loan}.").format(
        id=rule_id, words=words, loan=loan_id
    )
