"""The export format (pure of the store): each record as a file holds it, a file read and its shape checked,
what two copies of a record share (how an import knows a record it already has), and the CSV and journal forms."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from .cards import Bill
from .errors import BadInput, Refused
from .files import private_file
from .i18n import _
from .ledger import evaluate
from .models import Contact, Evidence, Loan, LoanState, Repayment
from .money import to_str
from .safe_text import csv_cell
from .schedule import schedule_total

FORMAT = "debt-tracker"
VERSION = 1
LOAN_FIELDS = (
    "id name lender kind method currency principal received annual_rate rate_unit quoted_rate "
    "fee_rate min_payment_rate term_months start_date first_due_date notes "
    "interest_basis penalty_rate early_fees lpr_spread_bp reprice autopay autopay_account"
).split()
REPAYMENT_FIELDS = "id loan_id date amount currency note prepay keep_term source source_ref installment".split()


# -- JSON ----------------------------------------------------------------------
def loan_record(loan: Loan, changes: list[tuple[dt.date, Decimal]]) -> dict[str, Any]:
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
        if paid <= schedule_total(loan):
            return 0
    return evaluate(loan, repayments, today).credit


def with_credit(record: dict[str, Any], credit: int, currency: str) -> dict[str, Any]:
    """A loan record that says how much it was overpaid (recorded with --allow-overpay), so its import is allowed."""
    return {**record, "credit": to_str(credit, currency)} if credit > 0 else record


def bill_record(bill: Bill, currency: str) -> dict[str, Any]:
    return {
        "id": bill.id,
        "card_id": bill.card_id,
        "date": bill.date.isoformat(),
        "amount": to_str(bill.amount, currency),
        "minimum": None if bill.minimum is None else to_str(bill.minimum, currency),
        "uid": bill.uid,
    }


def repayment_record(rep: Repayment, currency: str) -> dict[str, Any]:
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


def evidence_record(e: Evidence) -> dict[str, Any]:
    return {
        "contact_id": e.contact_id,
        "original_name": e.original_name,
        "stored_name": e.stored_name,
        "size": e.size,
        "sha256": e.sha256,
        "added_at": e.added_at.isoformat(timespec="seconds"),
        "note": e.note,
    }


def contact_record(c: Contact) -> dict[str, Any]:
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


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


EXPORT_IN_ZIP = "export.json"


# -- reading a file ------------------------------------------------------------
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


# where a NUL or a lone surrogate can come from in a JSON text: an escape (a raw control character
# in a string is not JSON); a match only means the strings are looked at one by one
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def _check_shape(value: Any, path: Path, text: str | None = None) -> None:
    """Bounded nesting, text that is real Unicode (no lone surrogates) and no NUL characters.

    Walks the parsed file with a list, not recursion: an export of 100,000 repayments holds
    millions of values. Given the JSON ``text`` it was parsed from, the strings are looked at only
    when the text has an escape that could make a bad one.
    """
    bad_text = _("{path} contains text that is not valid Unicode").format(path=path)
    strings = text is None or not _real_text(text) or _SUSPECT_ESCAPE.search(text) is not None
    if isinstance(value, str) and not _real_text(value):
        raise BadInput(bad_text)
    pending: list[tuple[Any, int]] = [(value, 0)] if isinstance(value, (dict, list)) else []
    while pending:
        item, depth = pending.pop()
        if depth >= MAX_DEPTH:
            raise BadInput(_("{path} is nested too deeply to be an export").format(path=path))
        if isinstance(item, dict):
            if strings and not all(_real_text(key) for key in item):
                raise BadInput(bad_text)
            item = item.values()
        for child in item:
            if isinstance(child, (dict, list)):
                pending.append((child, depth + 1))
            elif strings and isinstance(child, str) and not _real_text(child):
                raise BadInput(bad_text)


def _loads(text: str, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(_("{path} is not valid JSON: {reason}").format(path=path, reason=exc)) from None
    except RecursionError:
        raise BadInput(_("{path} is nested too deeply to be an export").format(path=path)) from None
    except ValueError as exc:  # a number with thousands of digits
        raise BadInput(_("{path} is not valid JSON: {reason}").format(path=path, reason=exc)) from None
    _check_shape(data, path, text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput(_("{path} is not a debt-tracker export").format(path=path))
    if data.get("version") != VERSION:
        raise Refused(
            _("{path} has export version {v}; this program reads version {mine}").format(
                path=path, v=data.get("version"), mine=VERSION
            )
        )
    return data


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


# -- a file's records against the database's -----------------------------------
class ImportReport(Struct):
    """What an import did, per kind of record: new, already present, conflicting (and replaced with --update)."""

    new: Counter = field(default_factory=Counter)
    present: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)  # what differs, named for the user
    not_taken: Counter = field(default_factory=Counter)  # the checklist of a file imported into a database in use

    @property
    def total_new(self) -> int:
        return sum(self.new.values())

    @property
    def total_present(self) -> int:
        return sum(self.present.values())


def record_content(record: dict[str, Any], *drop: str) -> str:
    """A record's content without its local ids: what two copies of the same record share."""
    return json.dumps({k: v for k, v in record.items() if k not in ("id", "uid", *drop)}, sort_keys=True, ensure_ascii=False)


class Merge:
    """Match one kind of record from a file against the database: by identity; a record whose identity the
    database does not know (an export from before identities, or a record that came here from such a file and
    got an identity of its own) by its content, among the records no record of the file claims by identity."""

    def __init__(
        self,
        kind: str,
        existing: list[tuple[str, int, str]],
        report: ImportReport,
        *,
        as_new: bool,
        incoming: Iterable[str | None] = (),
    ) -> None:
        self.kind, self.report, self.as_new = kind, report, as_new
        self.by_uid = {uid: (row_id, content) for uid, row_id, content in existing}
        claimed = set(incoming)  # the file's identities: those records are matched by identity only
        self.by_content: dict[str, list[int]] = {}
        for known, row_id, content in existing:
            if known not in claimed:
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
        if self.by_content and not isinstance(content, str):
            content = content()
        if isinstance(content, str) and self.by_content.get(content):
            # the same content is the same record under another identity, or none (each copy counted once)
            self.report.present[self.kind] += 1
            return "present", self.by_content[content].pop(0)
        return "new", None


# -- CSV -----------------------------------------------------------------------
def write_rows(path: Path, fields: list[str], rows: list[dict[str, Any]]) -> None:
    """A CSV file a spreadsheet opens safely: no cell starts like a formula (see safe_text.csv_cell), and UTF-8 with a
    byte-order mark, without which Excel in Chinese reads the file as GBK and shows garbage."""
    with private_file(path, "w") as fh:
        fh.write("\ufeff")
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)


# -- ledger journal (hledger / ledger) -----------------------------------------
def account_part(text: str) -> str:
    # ':' separates account levels and two spaces end an account name
    return re.sub(r"\s+", " ", text.replace(":", "-")).strip() or "loan"


def card_entries(state: LoanState, acct: str) -> list[tuple[dt.date, int, list[str]]]:
    """A card in the journal: each bill adds what is new on it (spending, interest, fees); payments reduce it."""
    loan, cur = state.loan, state.loan.currency
    name = account_part(loan.name)
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
