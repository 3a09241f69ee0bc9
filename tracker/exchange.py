"""Export (JSON, CSV, ledger journal) and all-or-nothing JSON import."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import stat
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import reads
from .cards import Bill
from .dates import parse_date
from .errors import BadInput, Refused
from .files import private_file, private_folder, write_private
from .i18n import N_, _
from .inputs import LoanInput, build_loan, clean_text
from .ledger import evaluate
from .lpr import SHIPPED, USER_SOURCE, Fixing, merged
from .models import RATE_UNITS, AuditItem, Contact, CreditCheck, Evidence, Income, Loan, LoanState, Repayment
from .money import check_currency, fmt, parse_amount, parse_percent, to_str
from .report import credit_check_item, income_item, schedule_item
from .safe_text import csv_cell
from .schedule import build_schedule
from .service.views import loan_states, repayments_with_deductions
from .settings import get_setting
from .store import Store

FORMAT = "debt-tracker"
VERSION = 1
LOAN_FIELDS = (
    "id name lender kind method currency principal received annual_rate rate_unit quoted_rate "
    "fee_rate min_payment_rate term_months start_date first_due_date notes "
    "interest_basis penalty_rate early_fees lpr_spread_bp reprice autopay autopay_account"
).split()
REPAYMENT_FIELDS = "id loan_id date amount currency note prepay keep_term source source_ref installment".split()


# -- JSON ----------------------------------------------------------------------
def _loan_record(loan: Loan, changes: list[tuple[dt.date, Decimal]]) -> dict[str, Any]:
    cur = loan.currency
    return {
        "id": loan.id,
        "name": loan.name,
        "lender": loan.lender,
        "kind": loan.kind,
        "method": loan.method,
        "currency": cur,
        "principal": to_str(loan.principal, cur),
        "received": None if loan.received is None else to_str(loan.received, cur),
        "annual_rate": str(loan.annual_rate),
        "rate_unit": loan.rate_unit,
        "quoted_rate": None if loan.quoted_rate is None else str(loan.quoted_rate),
        "fee_rate": str(loan.fee_rate),
        "min_payment_rate": str(loan.min_payment_rate),
        "term_months": loan.term_months,
        "start_date": loan.start_date.isoformat(),
        "first_due_date": loan.first_due_date.isoformat(),
        "notes": loan.notes,
        "interest_basis": loan.interest_basis,
        "penalty_rate": None if loan.penalty_rate is None else str(loan.penalty_rate),
        "early_fees": loan.early_fees,
        "lpr_spread_bp": loan.lpr_spread_bp,
        "reprice": loan.reprice,
        "rate_changes": [{"from": day.isoformat(), "annual_rate": str(rate)} for day, rate in changes],
        "autopay": loan.autopay,
        "autopay_account": loan.autopay_account,
        "missed_deductions": list(loan.missed),
        **(
            {
                "credit_limit": to_str(loan.credit_limit or 0, cur),
                "bill_day": loan.bill_day,
                "due_day": loan.due_day,
                "card_interest": loan.card_interest,
                "late_fee_rate": str(loan.late_fee_rate),
            }
            if loan.is_card
            else {}
        ),
        "card_id": loan.card_id,
        "card_bill_date": loan.card_bill_date.isoformat() if loan.card_bill_date else None,
        "uid": loan.uid,
    }


def overpaid(loan: Loan, repayments: list[Repayment], today: dt.date) -> int:
    """How much the recorded repayments pay beyond everything the loan owes (0 for nearly every loan)."""
    paid = sum(r.amount for r in repayments)
    if not loan.is_card and paid <= loan.principal:
        return 0  # nothing can be overpaid before the principal is: no replay needed
    if loan.method not in ("card", "revolving") and not loan.autopay and not any(r.prepay for r in repayments):
        # without a prepayment the schedule never changes and a payment beyond what is due pays the
        # next installments: only paying more than all of them (penalty aside) leaves a credit
        if paid <= sum(inst.total for inst in build_schedule(loan)):
            return 0
    return evaluate(loan, repayments, today).credit


def _with_credit(record: dict[str, Any], credit: int, currency: str) -> dict[str, Any]:
    """A loan record that says how much it was overpaid (recorded with --allow-overpay), so its import is allowed."""
    return {**record, "credit": to_str(credit, currency)} if credit > 0 else record


def _bill_record(bill: Bill, currency: str) -> dict[str, Any]:
    return {
        "id": bill.id,
        "card_id": bill.card_id,
        "date": bill.date.isoformat(),
        "amount": to_str(bill.amount, currency),
        "minimum": None if bill.minimum is None else to_str(bill.minimum, currency),
        "uid": bill.uid,
    }


def _repayment_record(rep: Repayment, currency: str) -> dict[str, Any]:
    return {
        "id": rep.id,
        "loan_id": rep.loan_id,
        "date": rep.date.isoformat(),
        "amount": to_str(rep.amount, currency),
        "currency": currency,
        "note": rep.note,
        "prepay": rep.prepay,
        "keep_term": rep.keep_term,
        "source": rep.source,
        "source_ref": rep.source_ref,
        "installment": rep.autopay_seq,
        "uid": rep.uid,
    }


def export_data(store: Store, today: dt.date | None = None) -> dict[str, Any]:
    """Everything in the database; with ``today``, also the automatic deductions counted as of that day (id null)."""
    loans = store.loans()
    rule_uids = store.match_rule_uids()
    currency = {loan.id: loan.currency for loan in loans}
    reps = repayments_with_deductions(store, today) if today is not None else store.repayments()
    stored: dict[int, list[Repayment]] = {}
    for rep in store.repayments():
        stored.setdefault(rep.loan_id, []).append(rep)
    day = today or dt.date.today()
    credits = reads.credits(store, day) or {}
    return {
        "format": FORMAT,
        "version": VERSION,
        "loans": [
            _with_credit(
                _loan_record(loan, store.rate_changes(loan.id or 0)),
                credits[loan.id] if loan.id in credits else overpaid(loan, stored.get(loan.id or 0, []), day),
                loan.currency,
            )
            for loan in loans
        ],
        "repayments": [_repayment_record(r, currency[r.loan_id]) for r in reps if r.loan_id in currency],
        "card_bills": [_bill_record(b, currency[b.card_id]) for b in store.all_bills() if b.card_id in currency],
        "incomes": [{**income_item(i), "uid": i.uid} for i in store.incomes()],
        "credit_checks": [{**credit_check_item(c), "uid": c.uid} for c in store.credit_checks()],
        "audit_items": [
            {
                "id": a.id,
                "template": a.template,
                "app": a.app,
                "permission": a.permission,
                "instruction": a.instruction,
                "why": a.why,
                "status": a.status,
                "last_done": a.last_done.isoformat() if a.last_done else None,
                "uid": a.uid,
            }
            for a in store.audit_items()
        ],
        "contacts": [{"id": c.id, **_contact_record(c), "uid": c.uid} for c in store.contacts()],
        "evidence": [{"id": e.id, **_evidence_record(e), "uid": e.uid} for e in store.evidence()],
        "match_rules": [
            {"id": rid, "loan_id": loan_id, "counterparty": cp, "description": desc, "method": method, "uid": rule_uids.get(rid)}
            for rid, loan_id, cp, desc, method in store.match_rules()
        ],
        "settings": store.settings(),
        "lpr_fixings": [
            {"date": f.date.isoformat(), "one_year": str(f.one_year), "five_year": str(f.five_year)} for f in store.user_fixings()
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_json(store: Store, path: Path, today: dt.date | None = None) -> None:
    _atomic_write(path, dumps(export_data(store, today)))


EXPORT_IN_ZIP = "export.json"


def write_json_with_files(store: Store, path: Path, evidence_folder: Path, today: dt.date | None = None) -> int:
    """A zip holding the JSON export and every evidence file it lists (``evidence/<stored name>``); how many files."""
    from .backup import new_zip
    from .evidence import stored_path

    data = export_data(store, today)
    files = 0
    with new_zip(path) as archive:
        archive.writestr(EXPORT_IN_ZIP, dumps(data))
        for item in data["evidence"]:
            source = stored_path(evidence_folder, item["stored_name"])
            if source.is_file():
                archive.write(source, f"evidence/{item['stored_name']}")
                files += 1
    return files


def read_export(path: Path) -> tuple[dict[str, Any], Path | None]:
    """An export as JSON, or a zip made with --with-files: (data, the zip's path when there are files to take)."""
    import zipfile

    if Path(path).is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            try:
                text = archive.read(EXPORT_IN_ZIP).decode("utf-8")
            except (KeyError, UnicodeDecodeError):
                raise BadInput(_("{path} is not a debt-tracker export").format(path=path)) from None
        return _loads(text, path), Path(path)
    return read_json(path), None


def take_evidence_files(archive_path: Path, parsed: ParsedExport, evidence_folder: Path) -> int:
    """Copy the evidence files of an export zip that the folder does not have, each checked against its SHA-256."""
    import hashlib
    import os
    import zipfile

    copied = 0
    with zipfile.ZipFile(archive_path) as archive:
        names = set(archive.namelist())
        for item in parsed.evidence:
            member = f"evidence/{item.stored_name}"
            target = evidence_folder / item.stored_name
            if member not in names or target.exists():
                continue
            data = archive.read(member)
            if hashlib.sha256(data).hexdigest() != item.sha256:
                raise Refused(
                    _("the export is damaged: evidence file {name} does not match its recorded SHA-256").format(
                        name=item.original_name
                    )
                )
            evidence_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            copied += 1
    return copied


def _atomic_write(path: Path, text: str) -> None:
    write_private(path, text)


# -- import --------------------------------------------------------------------
def _field(rec: dict[str, Any], key: str, where: str, *, required: bool = True) -> Any:
    if key not in rec or rec[key] is None:
        if required:
            raise BadInput(_("{where}: missing field {key!r}").format(where=where, key=key))
        return None
    return rec[key]


def _parse_rate_changes(rec: dict[str, Any], where: str) -> tuple[tuple[dt.date, Decimal], ...]:
    raw = rec.get("rate_changes") or []
    if not isinstance(raw, list):
        raise BadInput(_("{where}: rate_changes must be a list").format(where=where))
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise BadInput(_("{where}: a rate change is not an object").format(where=where))
        day = parse_date(str(_field(item, "from", where)), _("rate change date"))
        out.append((day, parse_percent(str(_field(item, "annual_rate", where)), _("rate"), maximum=Decimal(1000))))
    return tuple(sorted(out))


def _parse_card(rec: dict[str, Any], where: str) -> Loan:
    from .inputs import CardInput, build_card

    start = parse_date(str(_field(rec, "start_date", where)), _("start date"))
    data = CardInput(
        name=str(_field(rec, "name", where)),
        lender=str(_field(rec, "lender", where)),
        limit=str(_field(rec, "credit_limit", where)),
        bill_day=str(_field(rec, "bill_day", where)),
        due_day=str(_field(rec, "due_day", where)),
        daily_rate=str(_field(rec, "quoted_rate", where)),
        min_rate=str(rec.get("min_payment_rate", "10")),
        interest=str(rec.get("card_interest", "full")),
        late_fee_rate=str(rec.get("late_fee_rate", "5")),
        currency=str(rec.get("currency", "CNY")),
        start=start.isoformat(),
        notes=str(rec.get("notes", "")),
    )
    card = build_card(data, start)
    loan_id = rec.get("id")
    if loan_id is not None and not _positive_int(loan_id):
        raise BadInput(_("{where}: id must be a positive whole number").format(where=where))
    return replace(card, id=loan_id, uid=_uid(rec, where))


def _parse_loan(rec: Any, n: int, fixings: tuple[Fixing, ...] = SHIPPED) -> Loan:
    where = _("loan #{n}").format(n=n)
    if not isinstance(rec, dict):
        raise BadInput(_("{where}: not an object").format(where=where))
    method = str(_field(rec, "method", where))
    if method == "card":
        try:
            return _parse_card(rec, where)
        except BadInput as exc:
            raise BadInput(f"{where}: {exc.message}") from None
    spread = rec.get("lpr_spread_bp")
    unit = str(rec.get("rate_unit", "annual"))
    basis = rec.get("interest_basis") or ("daily" if unit == "daily" else "period")
    data = LoanInput(
        name=str(_field(rec, "name", where)),
        lender=str(_field(rec, "lender", where)),
        principal=str(_field(rec, "principal", where)),
        rate=None if spread is not None else str(_field(rec, "annual_rate", where)),
        lpr_spread=None if spread is None else str(spread),
        reprice=None if spread is None or rec.get("reprice") is None else str(rec["reprice"]),
        interest_basis=str(basis),
        penalty_rate=None if rec.get("penalty_rate") is None else str(rec["penalty_rate"]),
        early_fees=str(rec["early_fees"]) if method == "flat-fee" and rec.get("early_fees") is not None else None,
        term=_field(rec, "term_months", where, required=method != "revolving"),
        method=method,
        start=str(_field(rec, "start_date", where)),
        first_due=str(_field(rec, "first_due_date", where)),
        received=None if rec.get("received") is None else str(rec["received"]),
        fee_rate=str(rec.get("fee_rate", "0")) if method == "flat-fee" else None,
        min_payment_rate=str(rec.get("min_payment_rate", "10")) if method == "revolving" else None,
        currency=str(rec.get("currency", "CNY")),
        kind=str(rec.get("kind", "other")),
        notes=str(rec.get("notes", "")),
        autopay=_flag(rec, "autopay", where),
        autopay_account=str(rec["autopay_account"]) if rec.get("autopay") is True and rec.get("autopay_account") else None,
    )
    try:
        loan = build_loan(data, None, fixings)
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    if unit not in RATE_UNITS:
        raise BadInput(_("{where}: unknown rate_unit {value!r}").format(where=where, value=unit))
    quoted = rec.get("quoted_rate")
    try:
        quoted_rate = None if quoted is None else parse_percent(str(quoted), "quoted_rate")
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    loan_id = rec.get("id")
    if loan_id is not None and not _positive_int(loan_id):
        raise BadInput(_("{where}: id must be a positive whole number").format(where=where))
    try:
        changes = _parse_rate_changes(rec, where)
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    missed = rec.get("missed_deductions") or []
    if not isinstance(missed, list) or not all(_positive_int(n) for n in missed):
        raise BadInput(_("{where}: missed_deductions must be a list of installment numbers").format(where=where))
    card_id = rec.get("card_id")
    if card_id is not None and not _positive_int(card_id):
        raise BadInput(_("{where}: card_id must be a loan id").format(where=where))
    bill_day = rec.get("card_bill_date")
    try:
        card_bill_date = parse_date(str(bill_day)) if bill_day is not None else None
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    return replace(
        loan,
        id=loan_id,
        rate_unit=unit,
        quoted_rate=quoted_rate,
        rate_changes=changes,
        uid=_uid(rec, where),
        missed=tuple(sorted(set(missed))),
        card_id=card_id,
        card_bill_date=card_bill_date,
    )


def _positive_int(value: Any) -> bool:
    """A JSON whole number usable as an id: not true/false, not 0, below SQLite's 2^63."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _flag(rec: dict[str, Any], key: str, where: str) -> bool:
    """A yes/no field: JSON true or false (absent means false); "false" as text is not read as true."""
    value = rec.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise BadInput(_("{where}: {key} must be true or false").format(where=where, key=key))
    return value


class _Numbered:
    """ "repayment #12", worded only when an error names it (an import reads 100,000 of them)."""

    def __init__(self, text: str, n: int) -> None:
        self.text, self.n = text, n

    def __str__(self) -> str:
        return _(self.text).format(n=self.n)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _parse_repayment(rec: Any, n: int, loans: dict[int, Loan]) -> Repayment:
    where: Any = _Numbered(N_("repayment #{n}"), n)
    if not isinstance(rec, dict):
        raise BadInput(_("{where}: not an object").format(where=where))
    loan_id = _field(rec, "loan_id", where)
    if not _positive_int(loan_id) or loan_id not in loans:  # true == 1 in Python: not a loan id
        raise BadInput(_("{where}: loan_id {id!r} is not a loan in this file").format(where=where, id=str(loan_id)[:40]))
    loan = loans[loan_id]
    uid = _uid(rec, where)
    day, amount = str(_field(rec, "date", where)), str(_field(rec, "amount", where))
    prepay, keep_term = _flag(rec, "prepay", where), _flag(rec, "keep_term", where)
    try:
        rep = Repayment(
            id=rec.get("id"),
            loan_id=loan_id,
            date=parse_date(day),
            amount=parse_amount(amount, loan.currency),
            note=clean_text(str(rec.get("note", "")), _("note"), limit=2000),
            prepay=prepay,
            keep_term=keep_term,
            source=clean_text(str(rec.get("source", "")), "source"),
            source_ref=clean_text(str(rec.get("source_ref", "")), "source_ref"),
            autopay_seq=rec.get("installment"),
            uid=uid,
        )
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    if rep.id is not None and not _positive_int(rep.id):
        raise BadInput(_("{where}: id must be a positive whole number").format(where=where))
    if rep.autopay_seq is not None and not _positive_int(rep.autopay_seq):
        raise BadInput(_("{where}: installment must be an installment number").format(where=where))
    if rep.date < loan.start_date:
        raise BadInput(_("{where}: dated before its loan starts").format(where=where))
    return rep


MAX_EXPORT_BYTES = 200 * 1024 * 1024
MAX_DEPTH = 64  # an export nests four levels; anything far deeper is not one


def read_json(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise BadInput(_("no such file: {path}").format(path=path))
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device would hang or never end
        raise BadInput(_("{path} is not a regular file").format(path=path))
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise BadInput(_("{path} is larger than 200 MB").format(path=path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(_("cannot read {path}: {reason}").format(path=path, reason=exc)) from None
    return _loads(text, path)


def _real_text(text: str) -> bool:
    """No NUL and no lone surrogate (which JSON's \\ud800 escapes can make but UTF-8 cannot hold)."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_shape(value: Any, path: Path) -> None:
    """Bounded nesting, text that is real Unicode (no lone surrogates) and no NUL characters.

    Walks the parsed file with a list, not recursion: an export of 100,000 repayments holds
    millions of values.
    """
    bad_text = _("{path} contains text that is not valid Unicode").format(path=path)
    if isinstance(value, str) and not _real_text(value):
        raise BadInput(bad_text)
    pending: list[tuple[Any, int]] = [(value, 0)] if isinstance(value, (dict, list)) else []
    while pending:
        item, depth = pending.pop()
        if depth >= MAX_DEPTH:
            raise BadInput(_("{path} is nested too deeply to be an export").format(path=path))
        if isinstance(item, dict):
            if not all(_real_text(key) for key in item):
                raise BadInput(bad_text)
            item = item.values()
        for child in item:
            if isinstance(child, str):
                if not _real_text(child):
                    raise BadInput(bad_text)
            elif isinstance(child, (dict, list)):
                pending.append((child, depth + 1))


def _loads(text: str, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(_("{path} is not valid JSON: {reason}").format(path=path, reason=exc)) from None
    except RecursionError:
        raise BadInput(_("{path} is nested too deeply to be an export").format(path=path)) from None
    except ValueError as exc:  # a number with thousands of digits
        raise BadInput(_("{path} is not valid JSON: {reason}").format(path=path, reason=exc)) from None
    _check_shape(data, path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput(_("{path} is not a debt-tracker export").format(path=path))
    if data.get("version") != VERSION:
        raise Refused(
            _("{path} has export version {v}; this program reads version {mine}").format(
                path=path, v=data.get("version"), mine=VERSION
            )
        )
    return data


@dataclass(frozen=True)
class ParsedExport:
    loans: list[Loan]
    repayments: list[Repayment]
    settings: dict[str, str]
    incomes: list[Income] = field(default_factory=list)
    credit_checks: list[CreditCheck] = field(default_factory=list)
    audit_items: list[AuditItem] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    # (loan id, counterparty, description, method, uid)
    match_rules: list[tuple[int, str, str, str, str | None]] = field(default_factory=list)
    lpr_fixings: list[Fixing] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    bills: list[Bill] = field(default_factory=list)
    # what the export says each loan (by its id in the file) was overpaid on purpose
    credits: dict[int, int] = field(default_factory=dict)


def _parse_bill(rec: Any, n: int, loans: dict[int, Loan]) -> Bill:
    where = _("card bill #{n}").format(n=n)
    if not isinstance(rec, dict):
        raise BadInput(_("{where}: not an object").format(where=where))
    card_id = _field(rec, "card_id", where)
    card = loans.get(card_id) if _positive_int(card_id) else None
    if card is None or not card.is_card:
        raise BadInput(_("{where}: card_id {id!r} is not a card in this file").format(where=where, id=card_id))
    try:
        amount = parse_amount(str(_field(rec, "amount", where)), card.currency)
        minimum = rec.get("minimum")
        least = None if minimum is None else parse_amount(str(minimum), card.currency, allow_zero=True)
        day = parse_date(str(_field(rec, "date", where)))
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    if least is not None and least > amount:
        raise BadInput(_("{where}: the minimum payment cannot be more than the bill").format(where=where))
    return Bill(card_id, day, amount, least, uid=_uid(rec, where))


def _parse_contact(rec: Any, n: int, loan_ids: set[int]) -> Contact:
    from .inputs import CHANNELS, parse_datetime

    where = _("contact #{n}").format(n=n)
    try:
        if not isinstance(rec, dict):
            raise BadInput(_("not an object"))
        channel = str(_field(rec, "channel", where))
        if channel not in CHANNELS:
            raise BadInput(_("unknown channel {value!r}").format(value=channel))
        loan_id = rec.get("about_loan_id")
        if loan_id is not None and not (_positive_int(loan_id) and loan_id in loan_ids):
            raise BadInput(_("about_loan_id {id!r} is not a loan in this file").format(id=loan_id))
        verdict = rec.get("verdict")
        if verdict not in (None, "likely-scam", "suspicious", "no-red-flags"):
            raise BadInput(_("unknown verdict {value!r}").format(value=verdict))
        score = rec.get("score")
        if score is not None and (not isinstance(score, int) or isinstance(score, bool)):
            raise BadInput(_("score must be a whole number"))
        flags = rec.get("flags", [])
        if not isinstance(flags, list):
            raise BadInput(_("flags must be a list"))
        return Contact(
            channel=channel,
            happened_at=parse_datetime(str(_field(rec, "date", where)), "date"),
            sender=clean_text(str(rec.get("from", "")), _("sender")),
            about_loan_id=loan_id,
            about_person=clean_text(str(rec.get("about_person", "")), _("person")),
            summary=clean_text(str(rec.get("summary", "")), _("summary"), limit=5000),
            message=str(rec.get("message", ""))[:5000],
            verdict=verdict,
            score=score,
            flags=json.dumps(flags, ensure_ascii=False),
            id=_opt_id(rec.get("id")),
            uid=_uid(rec, where),
        )
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None


def _parse_rule(rec: Any, n: int, loan_ids: set[int]) -> tuple[int, str, str, str, str | None]:
    where = _("match rule #{n}").format(n=n)
    if not isinstance(rec, dict) or not (_positive_int(rec.get("loan_id")) and rec.get("loan_id") in loan_ids):
        raise BadInput(_("{where}: not a rule for a loan in this file").format(where=where))
    fields = tuple(clean_text(str(rec.get(k, "")), k) for k in ("counterparty", "description", "method"))
    if not any(fields):
        raise BadInput(_("{where}: the rule has no keywords").format(where=where))
    return (rec["loan_id"], *fields, _uid(rec, where))


def _records(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise BadInput(_("the export's {key} is not a list").format(key=key))
    return value


def _parse_income(rec: Any, n: int) -> Income:
    where = _("income #{n}").format(n=n)
    try:
        if not isinstance(rec, dict):
            raise BadInput(_("not an object"))
        currency = check_currency(str(rec.get("currency", "CNY")))
        end = rec.get("to")
        income = Income(
            source=clean_text(str(_field(rec, "source", where)), _("source"), required=True),
            amount=parse_amount(str(_field(rec, "amount", where)), currency),
            start_date=parse_date(str(_field(rec, "from", where))),
            end_date=None if end is None else parse_date(str(end)),
            currency=currency,
            id=_opt_id(rec.get("id")),
            uid=_uid(rec, where),
        )
        if income.end_date is not None and income.end_date < income.start_date:
            raise BadInput(_("it ends before it starts"))
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    return income


def _parse_check(rec: Any, n: int) -> CreditCheck:
    where = _("credit check #{n}").format(n=n)
    try:
        if not isinstance(rec, dict):
            raise BadInput(_("not an object"))
        anomalies = rec.get("anomalies", 0)
        if not isinstance(anomalies, int) or isinstance(anomalies, bool) or anomalies < 0:
            raise BadInput(_("anomalies must be a whole number"))
        return CreditCheck(
            date=parse_date(str(_field(rec, "date", where))),
            channel=clean_text(str(rec.get("channel", "")), _("channel")),
            findings=clean_text(str(rec.get("findings", "")), _("findings"), limit=4000),
            anomalies=anomalies,
            follow_up=clean_text(str(rec.get("follow_up", "")), _("follow-up"), limit=4000),
            id=_opt_id(rec.get("id")),
            uid=_uid(rec, where),
        )
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None


def _parse_audit(rec: Any, n: int) -> AuditItem:
    where = _("audit item #{n}").format(n=n)
    try:
        if not isinstance(rec, dict):
            raise BadInput(_("not an object"))
        status = str(rec.get("status", "open"))
        if status not in ("open", "done", "skipped"):
            raise BadInput(_("unknown status {value!r}").format(value=status))
        last = rec.get("last_done")
        template = rec.get("template")
        return AuditItem(
            app=clean_text(str(_field(rec, "app", where)), _("app"), required=True),
            permission=clean_text(str(_field(rec, "permission", where)), _("permission"), required=True),
            instruction=clean_text(str(rec.get("instruction", "")), _("instruction"), limit=2000),
            why=clean_text(str(rec.get("why", "")), _("why"), limit=2000),
            status=status,
            last_done=None if last is None else parse_date(str(last)),
            template=None if template is None else clean_text(str(template), "template"),
            id=_opt_id(rec.get("id")),
            uid=_uid(rec, where),
        )
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uid(rec: dict[str, Any], where: Any) -> str | None:
    """A record's identity as exported (a UUID); an export from before identities has none."""
    value = rec.get("uid")
    if value is None:
        return None
    if isinstance(value, str) and _UUID.fullmatch(value):  # as exported: already the canonical form
        return value
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise BadInput(_("{where}: uid is not a UUID: {value!r}").format(where=where, value=str(value)[:40])) from None


def _opt_id(value: Any) -> int | None:
    if value is None:
        return None
    if not _positive_int(value):
        raise BadInput(_("id must be a positive whole number"))
    return value


RETIRED_SETTINGS = {"lpr"}  # now the dated LPR table


def _parse_fixing(rec: Any, n: int) -> Fixing:
    where = _("LPR fixing #{n}").format(n=n)
    if not isinstance(rec, dict):
        raise BadInput(_("{where}: not an object").format(where=where))
    try:
        return Fixing(
            parse_date(str(_field(rec, "date", where)), _("fixing date")),
            parse_percent(str(_field(rec, "one_year", where)), _("one-year LPR"), allow_zero=False, maximum=Decimal(100)),
            parse_percent(str(_field(rec, "five_year", where)), _("five-year LPR"), allow_zero=False, maximum=Decimal(100)),
            USER_SOURCE,
        )
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None


def parse_export(data: dict[str, Any]) -> ParsedExport:
    """Validate every record of an export; raises BadInput naming the first bad one."""
    loans_raw = data.get("loans", [])
    reps_raw = data.get("repayments", [])
    settings = data.get("settings", {})
    if not isinstance(loans_raw, list) or not isinstance(reps_raw, list) or not isinstance(settings, dict):
        raise BadInput(_("the export's loans, repayments and settings have the wrong shape"))
    fixings_raw = data.get("lpr_fixings", [])
    if not isinstance(fixings_raw, list):
        raise BadInput(_("the export's lpr_fixings have the wrong shape"))
    user_fixings = [_parse_fixing(rec, n) for n, rec in enumerate(fixings_raw, start=1)]
    loans = [_parse_loan(rec, n, merged(user_fixings)) for n, rec in enumerate(loans_raw, start=1)]
    ids = [loan.id for loan in loans if loan.id is not None]
    if len(ids) != len(set(ids)):
        raise BadInput(_("the file repeats a loan id"))
    by_id = {loan.id: loan for loan in loans if loan.id is not None}
    reps = [_parse_repayment(rec, n, by_id) for n, rec in enumerate(reps_raw, start=1)]
    rep_ids = [r.id for r in reps if r.id is not None]
    if len(rep_ids) != len(set(rep_ids)):
        raise BadInput(_("the file repeats a repayment id"))
    clean_settings = {}
    for key, value in settings.items():
        if key in RETIRED_SETTINGS:
            continue
        try:
            clean_settings[str(key)] = get_setting(str(key)).parse(str(value))
        except BadInput as exc:
            raise BadInput(_("setting {key!r}: {reason}").format(key=key, reason=exc.message)) from None
    parsed = ParsedExport(
        loans,
        reps,
        clean_settings,
        [_parse_income(rec, n) for n, rec in enumerate(_records(data, "incomes"), start=1)],
        [_parse_check(rec, n) for n, rec in enumerate(_records(data, "credit_checks"), start=1)],
        [_parse_audit(rec, n) for n, rec in enumerate(_records(data, "audit_items"), start=1)],
        [_parse_contact(rec, n, set(by_id)) for n, rec in enumerate(_records(data, "contacts"), start=1)],
        [_parse_rule(rec, n, set(by_id)) for n, rec in enumerate(_records(data, "match_rules"), start=1)],
        user_fixings,
    )
    parsed.bills.extend(_parse_bill(rec, n, by_id) for n, rec in enumerate(_records(data, "card_bills"), start=1))
    if len({(b.card_id, b.date) for b in parsed.bills}) != len(parsed.bills):
        raise BadInput(_("the file has two bills of the same card on the same date"))
    for loan in loans:
        if loan.card_id is not None and (loan.card_id not in by_id or not by_id[loan.card_id].is_card):
            raise BadInput(_("loan '{name}': card_id {id} is not a card in this file").format(name=loan.name, id=loan.card_id))
    for rec, loan in zip(loans_raw, loans, strict=True):
        if loan.id is not None and rec.get("credit") is not None:
            where = _("loan '{name}'").format(name=loan.name)
            try:
                parsed.credits[loan.id] = parse_amount(str(rec["credit"]), loan.currency)
            except BadInput as exc:
                raise BadInput(_("{where}: credit: {reason}").format(where=where, reason=exc.message)) from None
    contact_ids = {c.id for c in parsed.contacts if c.id is not None}
    parsed.evidence.extend(_parse_evidence(rec, n, contact_ids) for n, rec in enumerate(_records(data, "evidence"), start=1))
    for kind, uids in (
        ("loans", [x.uid for x in parsed.loans]),
        ("repayments", [x.uid for x in parsed.repayments]),
        ("card_bills", [x.uid for x in parsed.bills]),
        ("incomes", [x.uid for x in parsed.incomes]),
        ("credit_checks", [x.uid for x in parsed.credit_checks]),
        ("audit_items", [x.uid for x in parsed.audit_items]),
        ("contacts", [x.uid for x in parsed.contacts]),
        ("match_rules", [x[4] for x in parsed.match_rules]),
        ("evidence", [x.uid for x in parsed.evidence]),
    ):
        given = [u for u in uids if u is not None]
        if len(given) != len(set(given)):
            raise BadInput(_("the file repeats a uid among its {kind}").format(kind=kind))
    for kind, ids in (
        ("incomes", [x.id for x in parsed.incomes]),
        ("credit_checks", [x.id for x in parsed.credit_checks]),
        ("audit_items", [x.id for x in parsed.audit_items]),
        ("contacts", [x.id for x in parsed.contacts]),
        ("evidence", [x.id for x in parsed.evidence]),
    ):
        given_ids = [i for i in ids if i is not None]
        if len(given_ids) != len(set(given_ids)):
            raise BadInput(_("the file repeats an id among its {kind}").format(kind=kind))
    return parsed


def check_overpaid(parsed: ParsedExport, today: dt.date, *, allow_overpay: bool = False) -> None:
    """Refuse a file whose repayments pay a loan beyond what it owes, unless its export said so or ``allow_overpay``.

    The same rule as ``debt repay``: an overpayment is recorded only when asked for. A loan
    overpaid on purpose is exported with its ``credit``, so its own export still imports.
    """
    if allow_overpay:
        return
    by_loan: dict[int, list[Repayment]] = {}
    for rep in parsed.repayments:
        by_loan.setdefault(rep.loan_id, []).append(rep)
    bills: dict[int, list[Bill]] = {}
    for bill in parsed.bills:
        bills.setdefault(bill.card_id, []).append(bill)
    for loan in parsed.loans:
        if loan.id is None:
            continue
        # the deductions an auto-debit loan lists are counted again, not stored
        reps = [r for r in by_loan.get(loan.id, []) if not (loan.autopay and r.id is None and r.autopay_seq is not None)]
        if loan.is_card:
            loan = replace(loan, bills=tuple(bills.get(loan.id, [])))
        credit = overpaid(loan, reps, today)
        allowed = parsed.credits.get(loan.id, 0)
        if credit > allowed:
            raise Refused(
                _(
                    "loan '{name}' would be overpaid by {amount}: its repayments pay more than it owes "
                    "(use --allow-overpay to import them anyway)"
                ).format(name=loan.name, amount=fmt(credit - allowed, loan.currency))
            )


@dataclass
class ImportReport:
    """What an import did, per kind of record: new, already present, conflicting (and replaced with --update)."""

    new: Counter = field(default_factory=Counter)
    present: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)  # what differs, named for the user

    @property
    def total_new(self) -> int:
        return sum(self.new.values())

    @property
    def total_present(self) -> int:
        return sum(self.present.values())


def _content(record: dict[str, Any], *drop: str) -> str:
    """A record's content without its local ids: what two copies of the same record share."""
    return json.dumps({k: v for k, v in record.items() if k not in ("id", "uid", *drop)}, sort_keys=True, ensure_ascii=False)


class _Merge:
    """Match one kind of record from a file against the database: by identity, or by content for an old file."""

    def __init__(self, kind: str, existing: list[tuple[str, int, str]], report: ImportReport, *, as_new: bool) -> None:
        self.kind, self.report, self.as_new = kind, report, as_new
        self.by_uid = {uid: (row_id, content) for uid, row_id, content in existing}
        self.by_content: dict[str, list[int]] = {}
        for _known, row_id, content in existing:
            self.by_content.setdefault(content, []).append(row_id)

    def match(self, uid: str | None, content: str | Callable[[], str], label: str | Callable[[], str]) -> tuple[str, int | None]:
        """('new', None), ('present', id) or ('conflict', id).

        ``content`` and ``label`` may be functions, called only when needed: a record new to the
        database (every one of a first import) needs neither.
        """
        if self.as_new:
            return "new", None
        if uid is not None and uid in self.by_uid:
            row_id, mine = self.by_uid[uid]
            if mine == (content if isinstance(content, str) else content()):
                self.report.present[self.kind] += 1
                return "present", row_id
            self.report.conflicts.append(label if isinstance(label, str) else label())
            return "conflict", row_id
        if uid is None and self.by_content and not isinstance(content, str):
            content = content()
        if uid is None and isinstance(content, str) and self.by_content.get(content):
            # an export from before identities: the same content is the same record (each copy counted once)
            self.report.present[self.kind] += 1
            return "present", self.by_content[content].pop(0)
        return "new", None


def _merge_bills(
    store: Store, parsed: ParsedExport, mapping: dict[int | None, int], report: ImportReport, *, update: bool, as_new: bool
) -> None:
    """A card's bills: one per card and date; the same bill is not added again, a different one is a conflict."""
    existing = {(b.card_id, b.date): b for b in store.all_bills()}
    by_uid = {b.uid: b for b in existing.values()}
    for bill in parsed.bills:
        target = replace(bill, card_id=mapping[bill.card_id], uid=None if as_new else bill.uid)
        here = existing.get((target.card_id, target.date))
        if here is None and not as_new and bill.uid in by_uid:
            here = by_uid[bill.uid]  # the same bill, moved to another date: a correction
        if here is None:
            store.add_bill(target)
            report.new["card_bills"] += 1
        elif (here.amount, here.minimum) == (target.amount, target.minimum) and here.date == target.date:
            report.present["card_bills"] += 1
        else:
            report.conflicts.append(_("bill of {date} on card {id}").format(date=target.date.isoformat(), id=target.card_id))
            if update and here.date == target.date:
                store.replace_bill(target)
                report.updated["card_bills"] += 1


def save_import(store: Store, parsed: ParsedExport, *, update: bool = False, as_new: bool = False) -> ImportReport:
    """Write a parsed export in one transaction; importing what is already there adds nothing.

    Every record is matched by its identity (uid): one already present is skipped, one that
    differs is a conflict left alone unless ``update``; ``as_new`` copies everything as new
    records. Into an empty database records keep their ids (a lossless round trip).
    """
    report = ImportReport()
    with store.write():
        keep_ids = store.is_empty()
        for fixing in parsed.lpr_fixings:
            store.add_fixing(fixing)
        # loans
        db_loans = store.loans()
        loan_uid = {ln.id: ln.uid for ln in db_loans}
        merge = _Merge(
            "loans",
            [(ln.uid, ln.id, _content(_loan_record(ln, store.rate_changes(ln.id or 0)), "card_id")) for ln in db_loans],
            report,
            as_new=as_new,
        )
        mapping: dict[int | None, int] = {}
        file_loan_uid: dict[int | None, str] = {}
        for loan in parsed.loans:
            content = _content(_loan_record(loan, list(loan.rate_changes)), "card_id")
            state, row_id = merge.match(loan.uid, content, _("loan '{name}'").format(name=loan.name))
            if state == "new":
                # the link to its card is set once every loan of the file has its id here
                fresh = replace(loan, id=loan.id if keep_ids else None, uid=None if as_new else loan.uid, card_id=None)
                saved = store.add_loan(fresh)
                row_id = saved.id
                report.new["loans"] += 1
                for day, rate in loan.rate_changes:
                    store.set_rate_change(row_id or 0, day, rate)
                loan_uid[row_id] = saved.uid
            elif state == "conflict" and update:
                store.update_loan(replace(loan, id=row_id, uid=loan_uid[row_id], card_id=None))
                store.replace_rate_changes(row_id or 0, list(loan.rate_changes))
                report.updated["loans"] += 1
            mapping[loan.id] = row_id or 0
            file_loan_uid[loan.id] = loan_uid[row_id]
        for loan in parsed.loans:
            if loan.card_id is not None:
                here = store.get_loan(mapping[loan.id])
                if here.card_id is None:
                    store.update_loan(replace(here, card_id=mapping[loan.card_id]))
        _merge_bills(store, parsed, mapping, report, update=update, as_new=as_new)
        currency = {ln.id: ln.currency for ln in store.loans()}
        # repayments
        merge = _Merge(
            "repayments",
            [
                (r.uid, r.id, _content({**_repayment_record(r, currency[r.loan_id]), "loan_id": loan_uid[r.loan_id]}))
                for r in store.repayments()
            ],
            report,
            as_new=as_new,
        )
        fresh_reps = []
        autopay = {ln.id for ln in store.loans() if ln.autopay}
        for r in parsed.repayments:
            if r.id is None and r.autopay_seq is not None and mapping[r.loan_id] in autopay:
                continue  # a deduction the export counted; this database counts it again by the same rule
            cur = currency[mapping[r.loan_id]]
            state, row_id = merge.match(
                r.uid,
                lambda r=r, cur=cur: _content({**_repayment_record(r, cur), "loan_id": file_loan_uid[r.loan_id]}),
                lambda r=r, cur=cur: _("repayment of {amount} on {date}").format(
                    amount=to_str(r.amount, cur), date=r.date.isoformat()
                ),
            )
            if state == "new":
                if keep_ids and not as_new and mapping[r.loan_id] == r.loan_id:
                    fresh_reps.append(r)  # into an empty database: as it is (no copy of 100,000 records)
                else:
                    fresh_reps.append(
                        replace(r, loan_id=mapping[r.loan_id], id=r.id if keep_ids else None, uid=None if as_new else r.uid)
                    )
                report.new["repayments"] += 1
            elif state == "conflict" and update:
                store.update_repayment(replace(r, id=row_id, loan_id=mapping[r.loan_id], uid=None))
                report.updated["repayments"] += 1
        store.add_repayments(fresh_reps)
        # incomes and credit checks
        for kind, items, existing, record, add, change, name in (
            (
                "incomes",
                parsed.incomes,
                store.incomes(),
                income_item,
                store.add_income,
                store.update_income,
                lambda i: _("income '{source}'").format(source=i.source),
            ),
            (
                "credit_checks",
                parsed.credit_checks,
                store.credit_checks(),
                credit_check_item,
                store.add_credit_check,
                store.update_credit_check,
                lambda c: _("credit check of {date}").format(date=c.date.isoformat()),
            ),
        ):
            merge = _Merge(kind, [(x.uid, x.id, _content(record(x))) for x in existing], report, as_new=as_new)
            for item in items:
                state, row_id = merge.match(item.uid, _content(record(item)), name(item))
                if state == "new":
                    add(replace(item, id=item.id if keep_ids else None, uid=None if as_new else item.uid))
                    report.new[kind] += 1
                elif state == "conflict" and update:
                    change(replace(item, id=row_id, uid=None))
                    report.updated[kind] += 1
        # contacts
        merge = _Merge(
            "contacts",
            [
                (c.uid, c.id, _content({**_contact_record(c), "about_loan_id": loan_uid.get(c.about_loan_id)}))
                for c in store.contacts()
            ],
            report,
            as_new=as_new,
        )
        contact_map: dict[int | None, int | None] = {}
        contact_uid = {c.id: c.uid for c in store.contacts()}
        for contact in parsed.contacts:
            about = mapping.get(contact.about_loan_id) if contact.about_loan_id is not None else None
            content = _content({**_contact_record(contact), "about_loan_id": file_loan_uid.get(contact.about_loan_id)})
            label = _("contact of {date}").format(date=contact.happened_at.isoformat(timespec="minutes"))
            state, row_id = merge.match(contact.uid, content, label)
            if state == "new":
                saved_contact = store.add_contact(
                    replace(
                        contact, about_loan_id=about, id=contact.id if keep_ids else None, uid=None if as_new else contact.uid
                    )
                )
                row_id = saved_contact.id
                contact_uid[row_id] = saved_contact.uid
                report.new["contacts"] += 1
            elif state == "conflict" and update:
                store.update_contact(replace(contact, about_loan_id=about, id=row_id, uid=None))
                report.updated["contacts"] += 1
            contact_map[contact.id] = row_id
        # evidence records (the files themselves come with --with-files)
        file_contact_uid = {c.id: contact_uid.get(contact_map.get(c.id)) for c in parsed.contacts}
        merge = _Merge(
            "evidence",
            [
                (e.uid, e.id, _content({**_evidence_record(e), "contact_id": contact_uid.get(e.contact_id)}))
                for e in store.evidence()
            ],
            report,
            as_new=as_new,
        )
        taken = {e.stored_name for e in store.evidence()}
        for item in parsed.evidence:
            content = _content({**_evidence_record(item), "contact_id": file_contact_uid.get(item.contact_id)})
            state, row_id = merge.match(item.uid, content, _("evidence '{name}'").format(name=item.original_name))
            if state == "new" and item.stored_name not in taken:
                store.add_evidence(
                    replace(
                        item,
                        contact_id=contact_map.get(item.contact_id),
                        id=item.id if keep_ids else None,
                        uid=None if as_new else item.uid,
                    )
                )
                taken.add(item.stored_name)
                report.new["evidence"] += 1
        # statement match rules
        rule_uids = store.match_rule_uids()
        merge = _Merge(
            "match_rules",
            [
                (rule_uids[rid], rid, _content({"loan": loan_uid[lid], "rule": [cp, desc, m]}))
                for rid, lid, cp, desc, m in store.match_rules()
            ],
            report,
            as_new=as_new,
        )
        for loan_id, counterparty, description, method, uid in parsed.match_rules:
            content = _content({"loan": file_loan_uid[loan_id], "rule": [counterparty, description, method]})
            state, row_id = merge.match(
                uid, content, _("statement rule '{words}'").format(words=counterparty or description or method)
            )
            if state == "new":
                store.add_match_rule(mapping[loan_id], counterparty, description, method, None if as_new else uid)
                report.new["match_rules"] += 1
            elif state == "conflict" and update:
                store.update_match_rule(row_id or 0, mapping[loan_id], counterparty, description, method)
                report.updated["match_rules"] += 1
        if keep_ids:
            # the checklist and settings describe one person's setup: taken only into an empty database
            store.add_audit_items(parsed.audit_items)
            report.new["audit_items"] += len(parsed.audit_items)
            for key, value in parsed.settings.items():
                store.set_setting(key, value)
    return report


def _evidence_record(e: Evidence) -> dict[str, Any]:
    return {
        "contact_id": e.contact_id,
        "original_name": e.original_name,
        "stored_name": e.stored_name,
        "size": e.size,
        "sha256": e.sha256,
        "added_at": e.added_at.isoformat(timespec="seconds"),
        "note": e.note,
    }


def _parse_evidence(rec: Any, n: int, contact_ids: set[int]) -> Evidence:
    where = _("evidence #{n}").format(n=n)
    try:
        if not isinstance(rec, dict):
            raise BadInput(_("not an object"))
        stored = str(_field(rec, "stored_name", where))
        if not stored or "/" in stored or "\\" in stored or stored in (".", "..") or stored.startswith("."):
            raise BadInput(_("stored_name {value!r} is not a plain file name").format(value=stored[:60]))
        digest = str(_field(rec, "sha256", where)).lower()
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise BadInput(_("sha256 is not a SHA-256 digest"))
        size = rec.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BadInput(_("size must be a whole number"))
        contact_id = rec.get("contact_id")
        if contact_id is not None and not (_positive_int(contact_id) and contact_id in contact_ids):
            raise BadInput(_("contact_id {id!r} is not a contact in this file").format(id=contact_id))
        return Evidence(
            original_name=clean_text(str(_field(rec, "original_name", where)), _("name"), required=True, limit=500),
            stored_name=stored,
            size=size,
            sha256=digest,
            added_at=dt.datetime.fromisoformat(str(_field(rec, "added_at", where))),
            contact_id=contact_id,
            note=clean_text(str(rec.get("note", "")), _("note"), limit=2000),
            id=_opt_id(rec.get("id")),
            uid=_uid(rec, where),
        )
    except ValueError as exc:
        raise BadInput(f"{where}: {exc}") from None
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None


def _contact_record(c: Contact) -> dict[str, Any]:
    return {
        "channel": c.channel,
        "from": c.sender,
        "about_loan_id": c.about_loan_id,
        "about_person": c.about_person,
        "summary": c.summary,
        "message": c.message,
        "date": c.happened_at.isoformat(timespec="seconds"),
        "verdict": c.verdict,
        "score": c.score,
        "flags": json.loads(c.flags or "[]"),
    }


# -- CSV -----------------------------------------------------------------------
def write_csv(store: Store, folder: Path, today: dt.date) -> list[Path]:
    private_folder(folder)
    data = export_data(store, today)
    written = []
    for table in ("loans", "repayments"):
        rows = data[table]
        path = folder / f"{table}.csv"
        _write_rows(path, LOAN_FIELDS if table == "loans" else REPAYMENT_FIELDS, rows)
        written.append(path)
    sched_rows = []
    for state in loan_states(store, today):
        for s in state.schedule:
            sched_rows.append(
                {"loan_id": state.loan.id, "currency": state.loan.currency, **schedule_item(s, state.loan.currency)}
            )
    path = folder / "schedule.csv"
    _write_rows(
        path,
        [
            "loan_id", "currency", "seq", "kind", "due_date", "principal", "interest", "fee", "total", "paid", "status",
            "days_late", "penalty",
        ],
        sched_rows,
    )  # fmt: skip
    written.append(path)
    return written


def _write_rows(path: Path, fields: list[str], rows: list[dict[str, Any]]) -> None:
    """A CSV file a spreadsheet opens safely: no cell starts like a formula (see safe_text.csv_cell), and UTF-8 with a
    byte-order mark, without which Excel in Chinese reads the file as GBK and shows garbage."""
    with private_file(path, "w") as fh:
        fh.write("\ufeff")
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)


# -- ledger journal (hledger / ledger) -----------------------------------------
def _account_part(text: str) -> str:
    # ':' separates account levels and two spaces end an account name
    return re.sub(r"\s+", " ", text.replace(":", "-")).strip() or "loan"


def _card_entries(state: LoanState, acct: str) -> list[tuple[dt.date, int, list[str]]]:
    """A card in the journal: each bill adds what is new on it (spending, interest, fees); payments reduce it."""
    loan, cur = state.loan, state.loan.currency
    name = _account_part(loan.name)
    out = []
    carried = 0
    for b in state.card.bills:
        new = b.bill.amount - carried  # what the bill added: spending, interest and fees
        if new:
            body = [
                f"{b.bill.date.isoformat()} * {name} | bill",
                f"    Expenses:Card:{loan.id} {name}  {to_str(new, cur)} {cur}",
                f"    {acct}  {to_str(-new, cur)} {cur}",
            ]
            out.append((b.bill.date, 0, body))
        carried = b.bill.owed - b.paid
    for rep in state.repayments:
        body = [
            f"{rep.date.isoformat()} * {name} | repayment",
            f"    {acct}  {to_str(rep.amount, cur)} {cur}",
            f"    Assets:Cash  {to_str(-rep.amount, cur)} {cur}",
        ]
        out.append((rep.date, 1, body))
    return out


def ledger_journal(store: Store, today: dt.date) -> str:
    """A plain-text journal: loans as liabilities, repayments split into principal, interest, fees, penalty."""
    lines = ["; debt-tracker export: loans as liabilities, repayments as postings", ""]
    states: list[LoanState] = loan_states(store, today)
    entries: list[tuple[dt.date, int, list[str]]] = []
    accounts = {st.loan.id: f"Liabilities:Loans:{st.loan.id} {_account_part(st.loan.name)}" for st in states}
    for state in states:
        loan, cur = state.loan, state.loan.currency
        acct = accounts[loan.id]
        head = f"{loan.start_date.isoformat()} * {_account_part(loan.name)} | {_account_part(loan.lender)}"
        # a bill's instalments pay that bill: the money goes to the card, not to cash
        source = accounts.get(loan.card_id, "Assets:Cash") if loan.card_id is not None else "Assets:Cash"
        body = [head, f"    {source}  {to_str(loan.received_amount, cur)} {cur}"]
        if loan.received_amount < loan.principal:
            body.append(
                f"    Expenses:Loan fees:{loan.id} {_account_part(loan.name)}  {to_str(loan.principal - loan.received_amount, cur)} {cur}"
            )
        body.append(f"    {acct}  {to_str(-loan.principal, cur)} {cur}")
        if state.card is not None:
            entries.extend(_card_entries(state, acct))
            continue
        entries.append((loan.start_date, 0, body))
        parts: dict[object, list[int]] = {}
        for a in state.allocations:
            # an automatic deduction has no id: it is known by the installment it paid
            p = parts.setdefault(a.repayment_id if a.repayment_id is not None else ("autopay", a.seq), [0, 0, 0, 0])
            p[0] += a.principal
            p[1] += a.interest
            p[2] += a.fee
            p[3] += a.penalty
        for rep in state.repayments:
            key = rep.id if rep.id is not None else ("autopay", rep.autopay_seq)
            principal, interest, fee, penalty = parts.get(key, [0, 0, 0, 0])
            extra = rep.amount - principal - interest - fee - penalty
            note = f" ; {_account_part(rep.note)}" if rep.note else ""
            body = [f"{rep.date.isoformat()} * {_account_part(loan.name)} | repayment{note}"]
            if principal:
                body.append(f"    {acct}  {to_str(principal, cur)} {cur}")
            if interest:
                body.append(f"    Expenses:Interest:{loan.id} {_account_part(loan.name)}  {to_str(interest, cur)} {cur}")
            if fee:
                body.append(f"    Expenses:Fees:{loan.id} {_account_part(loan.name)}  {to_str(fee, cur)} {cur}")
            if penalty:
                body.append(f"    Expenses:Penalty interest:{loan.id} {_account_part(loan.name)}  {to_str(penalty, cur)} {cur}")
            if extra:
                body.append(f"    Assets:Overpaid:{loan.id} {_account_part(loan.name)}  {to_str(extra, cur)} {cur}")
            body.append(f"    Assets:Cash  {to_str(-rep.amount, cur)} {cur}")
            entries.append((rep.date, 1, body))
    entries.sort(key=lambda e: (e[0], e[1]))
    for _date, _order, body in entries:
        lines.extend(body)
        lines.append("")
    return "\n".join(lines)
