"""Collection messages use cases: the contact timeline, saved SMS with their verdicts, evidence."""

from __future__ import annotations

import datetime as dt
import json

from msgspec.structs import replace

from ..errors import BadInput
from ..i18n import _
from ..inputs import CHANNELS, MAX_MESSAGE, clean_text
from ..models import Contact, Evidence
from ..present.messages import verdict_text
from ..store import Store
from .views import loan_states


def log_contact(
    store: Store,
    *,
    channel: str,
    sender: str,
    when: dt.datetime,
    about_loan: int | None = None,
    about_person: str | None = None,
    summary: str | None = None,
    today: dt.date | None = None,
) -> Contact:
    if today is not None and when.date() > today:
        raise BadInput(
            _("the contact date {date} is after today ({today})").format(date=when.date().isoformat(), today=today.isoformat())
        )
    if channel not in CHANNELS:
        raise BadInput(
            _("unknown channel {value!r}; choose one of: {choices}").format(value=channel, choices=_(", ").join(CHANNELS))
        )
    if about_loan is not None and about_person:
        raise BadInput(_("give either --about or --about-person, not both"))
    contact = Contact(
        channel=channel,
        happened_at=when,
        sender=clean_text(sender, _("sender"), required=True),
        about_loan_id=about_loan,
        about_person=clean_text(about_person, _("person")),
        summary=clean_text(summary, _("summary"), limit=MAX_MESSAGE),
    )
    if about_loan is not None:
        store.get_loan(about_loan)
    return store.add_contact(contact)


def edit_contact(
    store: Store,
    contact_id: int,
    *,
    channel: str | None = None,
    sender: str | None = None,
    summary: str | None = None,
    when: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Contact:
    """Correct a contact's channel, sender, summary or time."""
    contact = store.get_contact(contact_id)
    if channel is not None and channel not in CHANNELS:
        raise BadInput(
            _("unknown channel {value!r}; choose one of: {choices}").format(value=channel, choices=_(", ").join(CHANNELS))
        )
    if when is not None and today is not None and when.date() > today:
        raise BadInput(
            _("the contact date {date} is after today ({today})").format(date=when.date().isoformat(), today=today.isoformat())
        )
    updated = replace(
        contact,
        channel=channel if channel is not None else contact.channel,
        sender=clean_text(sender, _("sender"), required=True) if sender is not None else contact.sender,
        summary=clean_text(summary, _("summary"), limit=MAX_MESSAGE) if summary is not None else contact.summary,
        happened_at=when if when is not None else contact.happened_at,
    )
    return store.update_contact(updated)


def list_contacts(store: Store) -> tuple[list[Contact], dict[int | None, int]]:
    """The timeline, oldest first, and how many evidence files each contact has (None: the files of no contact)."""
    counts: dict[int | None, int] = {}
    for e in store.evidence():
        counts[e.contact_id] = counts.get(e.contact_id, 0) + 1
    return store.contacts(), counts


def get_contact(store: Store, contact_id: int) -> Contact:
    return store.get_contact(contact_id)


def contact_and_files(store: Store, contact_id: int) -> tuple[Contact, list[Evidence]]:
    """One contact and its evidence files."""
    return store.get_contact(contact_id), store.evidence(contact_id)


def delete_contact(store: Store, contact_id: int) -> None:
    """Delete a contact; its evidence files are kept, unlinked."""
    store.delete_contact(contact_id)


def save_sms(store: Store, text: str, sender: str | None, when: dt.datetime, result) -> Contact:
    """Keep a checked SMS in the timeline with its verdict and flags."""
    flags = [{"code": f.code, "evidence": list(f.evidence)} for f in result.flags]
    contact = Contact(
        channel="sms",
        happened_at=when,
        sender=clean_text(sender or "", _("sender")) or _("unknown"),
        message=text[:MAX_MESSAGE],
        summary=_("checked: {verdict}").format(verdict=verdict_text(result.verdict)),  # in words, as the timeline shows it
        verdict=result.verdict,
        score=result.score,
        flags=json.dumps(flags, ensure_ascii=False),
    )
    return store.add_contact(contact)


def ledger_witness(store: Store, today: dt.date) -> list:
    """The user's open loans as the message triage sees them (triage.LedgerLoan), to compare a message with."""
    from ..triage import LedgerLoan

    out = []
    for state in loan_states(store, today, include_closed=False):
        loan = state.loan
        nxt = state.next_due
        out.append(
            LedgerLoan(
                id=loan.id or 0,
                name=loan.name,
                lender=loan.lender,
                currency=loan.currency,
                overdue=state.overdue_amount,
                days_overdue=state.days_overdue,
                next_due=nxt.unpaid if nxt is not None else 0,
                outstanding=state.outstanding_principal,
                kind=loan.kind,
            )
        )
    return out
