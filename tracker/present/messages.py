"""Collection messages and contacts in words: the verdict, the ledger's witness, a contact in the timeline."""

from __future__ import annotations

from ..i18n import N_, _
from ..models import Contact

VERDICT_LABELS = {"likely-scam": N_("likely a scam"), "suspicious": N_("suspicious"), "no-red-flags": N_("no red flags")}
# a contact's channel as the app names it (the CLI's --channel takes the codes)
CHANNEL_LABELS = {
    "sms": N_("SMS"),
    "call": N_("phone call"),
    "visit": N_("visit"),
    "letter": N_("letter"),
    "app": N_("app message"),
}
NOTICE_LABELS = {
    "anti-fraud": N_("it reads as a genuine anti-fraud notice"),
    "lender": N_("it reads as the lender's own notice"),
}


def triage_headline(result) -> str:
    """A message's verdict in one line, the same in the CLI and the app: "Verdict: no red flags (score 0): it reads as…"."""
    line = _("Verdict: {verdict} (score {score})").format(verdict=_(VERDICT_LABELS[result.verdict]), score=result.score)
    if result.notice:
        line = _("{verdict}: {notice}").format(verdict=line, notice=_(NOTICE_LABELS[result.notice]))
    return line


def outweighed_text(result) -> str | None:
    """Said above a message's flags when the signs of a genuine notice outweigh them (the verdict is no red flags):
    what was noticed, listed without being called a red flag."""
    if result.verdict != "no-red-flags" or not result.flags:
        return None
    return _("Also noticed, but outweighed by the signs of a genuine notice:")


def channel_text(channel: str) -> str:
    """A contact's channel in words ("SMS", "短信"); an unknown code as it is."""
    return _(CHANNEL_LABELS[channel]) if channel in CHANNEL_LABELS else channel


def ledger_text(result) -> str | None:
    """What the user's own loans say about a message: the witness no scammer can fake."""
    return None if result.ledger is None else _("Your ledger: {note}").format(note=result.ledger.note)


def verdict_text(verdict: str | None) -> str:
    """A saved contact's verdict in words, "-" for one never judged."""
    return _(VERDICT_LABELS[verdict]) if verdict in VERDICT_LABELS else "-"


def contact_subject(contact: Contact) -> str:
    """Whom or which loan a contact was about: the person's name, "#4" for loan 4, "" for neither."""
    return contact.about_person or (f"#{contact.about_loan_id}" if contact.about_loan_id else "")


def contact_about(contact: Contact) -> str:
    """A contact in the timeline: whom or which loan it was about, and its summary (or the message's start)."""
    return " · ".join(x for x in (contact_subject(contact), contact.summary or contact.message[:60]) if x)
