"""Records as table rows and back: the columns of each table, a new row's identity, the readers of stored values."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from functools import lru_cache

from ..dates import from_iso, iso
from ..models import AuditItem, Contact, CreditCheck, Evidence, Income, Loan, Repayment

_LOAN_COLUMNS = (
    "id name lender kind method currency principal received annual_rate fee_rate min_payment_rate "
    "rate_unit quoted_rate term_months start_date first_due_date notes "
    "interest_basis penalty_rate early_fees lpr_spread_bp reprice uid autopay autopay_account autopay_missed "
    "credit_limit bill_day due_day card_interest late_fee_rate card_id card_bill_date"
).split()
_REPAYMENT_COLUMNS = "id loan_id date amount note prepay keep_term source source_ref uid autopay_seq".split()
_INCOME_COLUMNS = "id source amount currency start_date end_date uid".split()
_CHECK_COLUMNS = "id date channel findings anomalies follow_up uid".split()
_CONTACT_COLUMNS = "id channel sender about_loan_id about_person summary message happened_at verdict score flags uid".split()
_EVIDENCE_COLUMNS = "id contact_id original_name stored_name size sha256 added_at note uid".split()
_AUDIT_COLUMNS = "id template app permission instruction why status last_done uid".split()


def new_uid() -> str:
    """A random (version 4) UUID's text, as ``str(uuid.uuid4())`` gives it, without building a UUID
    object (two fifths of the time: an import of an export from before identities makes 100,000)."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _new(row: dict[str, object]) -> dict[str, object]:
    """A row about to be inserted gets an identity if it has none."""
    if row.get("uid") is None:
        row = {**row, "uid": new_uid()}
    return row


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _loan_row(loan: Loan) -> dict[str, object]:
    return {
        "id": loan.id,
        "name": loan.name,
        "lender": loan.lender,
        "kind": loan.kind,
        "method": loan.method,
        "currency": loan.currency,
        "principal": loan.principal,
        "received": loan.received,
        "annual_rate": _dec(loan.annual_rate),
        "fee_rate": _dec(loan.fee_rate),
        "min_payment_rate": _dec(loan.min_payment_rate),
        "rate_unit": loan.rate_unit,
        "quoted_rate": _dec(loan.quoted_rate),
        "term_months": loan.term_months,
        "start_date": loan.start_date.isoformat(),
        "first_due_date": loan.first_due_date.isoformat(),
        "notes": loan.notes,
        "interest_basis": loan.interest_basis,
        "penalty_rate": _dec(loan.penalty_rate),
        "early_fees": loan.early_fees,
        "lpr_spread_bp": loan.lpr_spread_bp,
        "reprice": loan.reprice,
        "uid": loan.uid,
        "autopay": int(loan.autopay),
        "autopay_account": loan.autopay_account,
        "autopay_missed": ",".join(str(n) for n in sorted(set(loan.missed))),
        "credit_limit": loan.credit_limit,
        "bill_day": loan.bill_day,
        "due_day": loan.due_day,
        "card_interest": loan.card_interest,
        "late_fee_rate": str(loan.late_fee_rate),
        "card_id": loan.card_id,
        "card_bill_date": iso(loan.card_bill_date),
    }


@lru_cache(maxsize=1024)
def _decimal(text: str) -> Decimal:
    """A stored rate's Decimal, kept by its text: a thousand loans share a handful of rates."""
    return Decimal(text)


def _loan_from(row: tuple) -> Loan:
    """A stored loan (the columns in the order of ``_LOAN_COLUMNS``)."""
    (
        loan_id, name, lender, kind, method, currency, principal, received, annual_rate, fee_rate, min_payment_rate,
        rate_unit, quoted_rate, term_months, start_date, first_due_date, notes,
        interest_basis, penalty_rate, early_fees, lpr_spread_bp, reprice, uid, autopay, autopay_account, autopay_missed,
        credit_limit, bill_day, due_day, card_interest, late_fee_rate, card_id, card_bill_date,
    ) = row  # fmt: skip
    # positional, in the order of Loan's fields (a test keeps the two in step): a list of 10,000 loans
    # builds them in half the time keywords take
    return Loan(
        name, lender, method, principal, _decimal(annual_rate), from_iso(start_date), from_iso(first_due_date),
        term_months, received, kind, currency, _decimal(fee_rate), _decimal(min_payment_rate), rate_unit,
        None if quoted_rate is None else _decimal(quoted_rate), notes, loan_id, interest_basis,
        None if penalty_rate is None else _decimal(penalty_rate), early_fees, lpr_spread_bp, reprice,
        (),  # rate_changes (attached by the store)
        uid, bool(autopay), autopay_account,
        tuple(int(n) for n in autopay_missed.split(",") if n) if autopay_missed else (),
        credit_limit, bill_day, due_day, card_interest, _decimal(late_fee_rate),
        (),  # bills (attached by the store)
        card_id, from_iso(card_bill_date),
        (),  # instalments (attached by the store)
    )  # fmt: skip


def _repayment_row(rep: Repayment) -> dict[str, object]:
    return dict(zip(_REPAYMENT_COLUMNS, _repayment_values(rep), strict=True))


def _repayment_values(rep: Repayment) -> tuple:
    """A repayment's column values in the order of ``_REPAYMENT_COLUMNS``."""
    return (
        rep.id,
        rep.loan_id,
        iso(rep.date),
        rep.amount,
        rep.note,
        int(rep.prepay),
        int(rep.keep_term),
        rep.source,
        rep.source_ref,
        rep.uid,
        rep.autopay_seq,
    )


# the columns of a stored repayment that its loan's replay reads
REPLAY_KEY = ("loan_id", "id", "date", "amount", "prepay", "keep_term", "autopay_seq")
_REPLAY_AT = [_REPAYMENT_COLUMNS.index(column) for column in REPLAY_KEY]


def replay_key(rep: Repayment) -> tuple:
    """The values of ``REPLAY_KEY`` a repayment is stored with."""
    values = _repayment_values(rep)
    return tuple(values[k] for k in _REPLAY_AT)


def _repayment_from(row: tuple) -> Repayment:
    rep_id, loan_id, date, amount, note, prepay, keep_term, source, source_ref, uid, autopay_seq = row
    return Repayment(
        id=rep_id,
        loan_id=loan_id,
        date=from_iso(date),
        amount=amount,
        note=note,
        prepay=bool(prepay),
        keep_term=bool(keep_term),
        source=source,
        source_ref=source_ref,
        uid=uid,
        autopay_seq=autopay_seq,
    )


def _income_row(i: Income) -> dict[str, object]:
    return {
        "id": i.id,
        "source": i.source,
        "amount": i.amount,
        "currency": i.currency,
        "start_date": i.start_date.isoformat(),
        "end_date": iso(i.end_date),
        "uid": i.uid,
    }


def _income_from(row: tuple) -> Income:
    d = dict(zip(_INCOME_COLUMNS, row, strict=True))
    return Income(
        id=d["id"],
        source=d["source"],
        amount=d["amount"],
        currency=d["currency"],
        start_date=dt.date.fromisoformat(d["start_date"]),
        end_date=from_iso(d["end_date"]),
        uid=d["uid"],
    )


def _check_row(c: CreditCheck) -> dict[str, object]:
    return {
        "id": c.id,
        "date": c.date.isoformat(),
        "channel": c.channel,
        "findings": c.findings,
        "anomalies": c.anomalies,
        "follow_up": c.follow_up,
        "uid": c.uid,
    }


def _check_from(row: tuple) -> CreditCheck:
    d = dict(zip(_CHECK_COLUMNS, row, strict=True))
    return CreditCheck(
        id=d["id"],
        date=dt.date.fromisoformat(d["date"]),
        channel=d["channel"],
        findings=d["findings"],
        anomalies=d["anomalies"],
        follow_up=d["follow_up"],
        uid=d["uid"],
    )


def _audit_row(a: AuditItem) -> dict[str, object]:
    return {
        "id": a.id,
        "template": a.template,
        "app": a.app,
        "permission": a.permission,
        "instruction": a.instruction,
        "why": a.why,
        "status": a.status,
        "last_done": iso(a.last_done),
        "uid": a.uid,
    }


def _audit_from(row: tuple) -> AuditItem:
    d = dict(zip(_AUDIT_COLUMNS, row, strict=True))
    return AuditItem(
        id=d["id"],
        template=d["template"],
        app=d["app"],
        permission=d["permission"],
        instruction=d["instruction"],
        why=d["why"],
        status=d["status"],
        last_done=from_iso(d["last_done"]),
        uid=d["uid"],
    )


def _contact_row(c: Contact) -> dict[str, object]:
    return {
        "id": c.id,
        "channel": c.channel,
        "sender": c.sender,
        "about_loan_id": c.about_loan_id,
        "about_person": c.about_person,
        "summary": c.summary,
        "message": c.message,
        "happened_at": c.happened_at.isoformat(timespec="seconds"),
        "verdict": c.verdict,
        "score": c.score,
        "flags": c.flags,
        "uid": c.uid,
    }


def _contact_from(row: tuple) -> Contact:
    d = dict(zip(_CONTACT_COLUMNS, row, strict=True))
    d["happened_at"] = dt.datetime.fromisoformat(d["happened_at"])
    return Contact(**d)


def _evidence_row(e: Evidence) -> dict[str, object]:
    return {
        "id": e.id,
        "contact_id": e.contact_id,
        "original_name": e.original_name,
        "stored_name": e.stored_name,
        "size": e.size,
        "sha256": e.sha256,
        "added_at": e.added_at.isoformat(timespec="seconds"),
        "note": e.note,
        "uid": e.uid,
    }


def _evidence_from(row: tuple) -> Evidence:
    d = dict(zip(_EVIDENCE_COLUMNS, row, strict=True))
    d["added_at"] = dt.datetime.fromisoformat(d["added_at"])
    return Evidence(**d)
