"""An export read back (pure): every record parsed and checked into the models, the first bad one named, and
repayments that would pay a loan beyond what it owes refused unless the export says they were meant to."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from .cards import Bill
from .dates import parse_date
from .errors import BadInput, Refused
from .export_format import overpaid
from .i18n import N_, _
from .inputs import CHANNELS, CardInput, LoanInput, build_card, build_loan, clean_text, parse_datetime
from .lpr import SHIPPED, USER_SOURCE, Fixing, merged
from .models import RATE_UNITS, AuditItem, Contact, CreditCheck, Evidence, Income, Loan, Repayment
from .money import check_currency, fmt, parse_amount, parse_percent
from .schedule import forget_schedule
from .settings import get_setting


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


def _parse_loan(rec: Any, n: int, fixings: tuple[Fixing, ...] = SHIPPED, priced: Collection[Loan] = ()) -> Loan:
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
        loan = build_loan(data, None, fixings, priced=priced, stored_first_due=True)  # as stored: a bullet's first month
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
    currency = rec.get("currency")
    if currency is not None and currency != loan.currency:  # an amount is read in its loan's currency
        raise BadInput(
            _("{where}: its currency {currency} is not its loan's ({loan_currency})").format(
                where=where, currency=str(currency)[:10], loan_currency=loan.currency
            )
        )
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


class ParsedExport(Struct, frozen=True):
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
        amount = parse_amount(str(_field(rec, "amount", where)), card.currency, allow_zero=True)
        minimum = rec.get("minimum")
        least = None if minimum is None else parse_amount(str(minimum), card.currency, allow_zero=True)
        day = parse_date(str(_field(rec, "date", where)))
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    if least is not None and least > amount:
        raise BadInput(_("{where}: the minimum payment cannot be more than the bill").format(where=where))
    try:
        bill_id = _opt_id(rec.get("id"))
    except BadInput as exc:
        raise BadInput(f"{where}: {exc.message}") from None
    return Bill(card_id, day, amount, least, id=bill_id, uid=_uid(rec, where))


def _parse_contact(rec: Any, n: int, loan_ids: set[int]) -> Contact:

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


def parse_share(data: dict[str, Any], first: int) -> tuple[list[Loan], dict[int, list[Repayment]]]:
    """The loans of an export from the ``first``-th of its list on (counted from 0), parsed as ``parse_export``
    parses them, and their repayments by loan (service.import_helper's second process replays them while the
    import validates the whole file). Raises BadInput on the first bad one of these."""
    loans_raw, reps_raw, fixings_raw = data.get("loans"), data.get("repayments"), data.get("lpr_fixings", [])
    if not isinstance(loans_raw, list) or not isinstance(reps_raw, list) or not isinstance(fixings_raw, list):
        raise BadInput(_("the export's loans, repayments and settings have the wrong shape"))
    fixings = merged([_parse_fixing(rec, n) for n, rec in enumerate(fixings_raw, start=1)])
    loans = [_parse_loan(rec, n, fixings) for n, rec in enumerate(loans_raw[first:], start=first + 1)]
    by_id = {loan.id: loan for loan in loans if loan.id is not None}
    out: dict[int, list[Repayment]] = {}
    for n, rec in enumerate(reps_raw, start=1):
        if isinstance(rec, dict) and _positive_int(rec.get("loan_id")) and rec["loan_id"] in by_id:
            rep = _parse_repayment(rec, n, by_id)
            out.setdefault(rep.loan_id, []).append(rep)
    return loans, out


def parse_export(
    data: dict[str, Any], *, keep_schedules: bool = True, priced: Collection[Loan] = (), forget_from: int | None = None
) -> ParsedExport:
    """Validate every record of an export; raises BadInput naming the first bad one.

    Validating a loan computes its schedule, which stays cached for the import that stores its
    replay next; ``keep_schedules=False`` drops each once its loan is validated, for a caller that
    only asks whether the export would import (``debt check``): 66 MB less at 1,000 long loans.
    ``forget_from``: drop the schedules of the loans from this index of the file's list on (counted
    from 0), which an import's second process replays (service.import_helper).
    ``priced``: loan terms the caller prices itself (``build_loan``): ``debt check`` prices every
    stored loan in its replays, and shows the round trip's answer only when they all priced."""
    loans_raw = data.get("loans", [])
    reps_raw = data.get("repayments", [])
    settings = data.get("settings", {})
    if not isinstance(loans_raw, list) or not isinstance(reps_raw, list) or not isinstance(settings, dict):
        raise BadInput(_("the export's loans, repayments and settings have the wrong shape"))
    fixings_raw = data.get("lpr_fixings", [])
    if not isinstance(fixings_raw, list):
        raise BadInput(_("the export's lpr_fixings have the wrong shape"))
    user_fixings = [_parse_fixing(rec, n) for n, rec in enumerate(fixings_raw, start=1)]
    fixings = merged(user_fixings)
    loans = []
    for n, rec in enumerate(loans_raw, start=1):
        loans.append(_parse_loan(rec, n, fixings, priced))
        if not keep_schedules or (forget_from is not None and n > forget_from):
            forget_schedule(loans[-1])
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
    bill_ids = [b.id for b in parsed.bills if b.id is not None]
    if len(bill_ids) != len(set(bill_ids)):
        raise BadInput(_("the file repeats a card bill id"))
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


def check_not_ahead(parsed: ParsedExport, today: dt.date) -> None:
    """Refuse a file with a payment, bill, credit check or message dated after ``today``: what the commands that
    record them refuse as typed (a payment is recorded once it is made), and a repayment dated ahead would count
    as paid an installment that is not."""
    day = today.isoformat()
    for n, rep in enumerate(parsed.repayments, start=1):
        if rep.date > today:
            reason = _("the repayment date {date} is after today ({today}); record a payment once it is made")
            raise BadInput(f"{_Numbered(N_('repayment #{n}'), n)}: {reason.format(date=rep.date.isoformat(), today=day)}")
    for n, bill in enumerate(parsed.bills, start=1):
        if bill.date > today:
            reason = _("the bill date {date} is after today ({today})").format(date=bill.date.isoformat(), today=day)
            raise BadInput(f"{_('card bill #{n}').format(n=n)}: {reason}")
    for n, check in enumerate(parsed.credit_checks, start=1):
        if check.date > today:
            reason = _("a credit check cannot be dated in the future ({date})").format(date=check.date.isoformat())
            raise BadInput(f"{_('credit check #{n}').format(n=n)}: {reason}")
    for n, contact in enumerate(parsed.contacts, start=1):
        if contact.happened_at.date() > today:
            when = contact.happened_at.date().isoformat()
            reason = _("the contact date {date} is after today ({today})").format(date=when, today=day)
            raise BadInput(f"{_('contact #{n}').format(n=n)}: {reason}")


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
