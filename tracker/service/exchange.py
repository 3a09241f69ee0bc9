"""Import and export: everything written as JSON (with the evidence files in a zip), CSV or a ledger journal, and an
export imported all or nothing, each record once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from .. import reads
from ..errors import Refused
from ..export_format import (
    EXPORT_IN_ZIP,
    FORMAT,
    LOAN_FIELDS,
    REPAYMENT_FIELDS,
    VERSION,
    ImportReport,
    Merge,
    account_part,
    bill_record,
    card_entries,
    contact_record,
    dumps,
    evidence_record,
    loan_record,
    overpaid,
    read_json,
    record_content,
    repayment_record,
    with_credit,
    write_rows,
)
from ..export_parse import ParsedExport, parse_export
from ..files import private_folder, write_private
from ..i18n import _
from ..models import LoanState, Repayment
from ..money import to_str
from ..report import credit_check_item, income_item, schedule_item
from ..sample import SAMPLE_FILE, sample_today
from ..store import Store
from .views import loan_states, repayments_with_deductions


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
            with_credit(
                loan_record(loan, store.rate_changes(loan.id or 0)),
                credits[loan.id] if loan.id in credits else overpaid(loan, stored.get(loan.id or 0, []), day),
                loan.currency,
            )
            for loan in loans
        ],
        "repayments": [repayment_record(r, currency[r.loan_id]) for r in reps if r.loan_id in currency],
        "card_bills": [bill_record(b, currency[b.card_id]) for b in store.all_bills() if b.card_id in currency],
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
        "contacts": [{"id": c.id, **contact_record(c), "uid": c.uid} for c in store.contacts()],
        "evidence": [{"id": e.id, **evidence_record(e), "uid": e.uid} for e in store.evidence()],
        "match_rules": [
            {"id": rid, "loan_id": loan_id, "counterparty": cp, "description": desc, "method": method, "uid": rule_uids.get(rid)}
            for rid, loan_id, cp, desc, method in store.match_rules()
        ],
        "settings": store.settings(),
        "lpr_fixings": [
            {"date": f.date.isoformat(), "one_year": str(f.one_year), "five_year": str(f.five_year)} for f in store.user_fixings()
        ],
    }


def json_export(store: Store, today: dt.date | None = None) -> str:
    """The JSON export's text, as ``write_json`` writes it."""
    return dumps(export_data(store, today))


def write_json(store: Store, path: Path, today: dt.date | None = None) -> None:
    _atomic_write(path, json_export(store, today))


def write_json_with_files(store: Store, path: Path, evidence_folder: Path, today: dt.date | None = None) -> int:
    """A zip holding the JSON export and every evidence file it lists (``evidence/<stored name>``); how many files."""
    from ..backup import new_zip
    from ..evidence import stored_path

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


def _merge_bills(
    store: Store,
    parsed: ParsedExport,
    mapping: dict[int | None, int],
    report: ImportReport,
    *,
    update: bool,
    as_new: bool,
    keep_ids: bool,
) -> None:
    """A card's bills: one per card and date; the same bill is not added again, a different one is a conflict.
    Into an empty database a bill keeps its id, as every other record does (``debt card bill-delete ID`` after a
    restore names the same bill)."""
    existing = {(b.card_id, b.date): b for b in store.all_bills()}
    by_uid = {b.uid: b for b in existing.values()}
    for bill in parsed.bills:
        target = replace(bill, card_id=mapping[bill.card_id], id=bill.id if keep_ids else None, uid=None if as_new else bill.uid)
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
        merge = Merge(
            "loans",
            [(ln.uid, ln.id, record_content(loan_record(ln, store.rate_changes(ln.id or 0)), "card_id")) for ln in db_loans],
            report,
            as_new=as_new,
            incoming=[ln.uid for ln in parsed.loans],
        )
        mapping: dict[int | None, int] = {}
        file_loan_uid: dict[int | None, str] = {}
        for loan in parsed.loans:
            content = record_content(loan_record(loan, list(loan.rate_changes)), "card_id")
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
        _merge_bills(store, parsed, mapping, report, update=update, as_new=as_new, keep_ids=keep_ids)
        currency = {ln.id: ln.currency for ln in store.loans()}
        # repayments
        merge = Merge(
            "repayments",
            [
                (r.uid, r.id, record_content({**repayment_record(r, currency[r.loan_id]), "loan_id": loan_uid[r.loan_id]}))
                for r in store.repayments()
            ],
            report,
            as_new=as_new,
            incoming=[r.uid for r in parsed.repayments],
        )
        fresh_reps = []
        autopay = {ln.id for ln in store.loans() if ln.autopay}
        # a statement's row is one payment wherever it was imported: (source, order number), as a statement
        # import knows it again (two databases that imported the same statement give it two identities)
        by_ref = {(r.source, r.source_ref): r for r in store.repayments() if r.source and r.source_ref}
        for r in parsed.repayments:
            if r.id is None and r.autopay_seq is not None and mapping[r.loan_id] in autopay:
                continue  # a deduction the export counted; this database counts it again by the same rule
            cur = currency[mapping[r.loan_id]]
            state, row_id = merge.match(
                r.uid,
                lambda r=r, cur=cur: record_content({**repayment_record(r, cur), "loan_id": file_loan_uid[r.loan_id]}),
                lambda r=r, cur=cur: _("repayment of {amount} on {date}").format(
                    amount=to_str(r.amount, cur), date=r.date.isoformat()
                ),
            )
            if state == "new" and not as_new and r.source and r.source_ref:
                same = by_ref.get((r.source, r.source_ref))
                if same is not None:
                    if (same.loan_id, same.date, same.amount) == (mapping[r.loan_id], r.date, r.amount):
                        report.present["repayments"] += 1
                    else:
                        report.conflicts.append(
                            _("repayment of {amount} on {date}").format(amount=to_str(r.amount, cur), date=r.date.isoformat())
                        )
                    continue
                by_ref[(r.source, r.source_ref)] = r
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
            merge = Merge(
                kind,
                [(x.uid, x.id, record_content(record(x))) for x in existing],
                report,
                as_new=as_new,
                incoming=[x.uid for x in items],
            )
            for item in items:
                state, row_id = merge.match(item.uid, record_content(record(item)), name(item))
                if state == "new":
                    add(replace(item, id=item.id if keep_ids else None, uid=None if as_new else item.uid))
                    report.new[kind] += 1
                elif state == "conflict" and update:
                    change(replace(item, id=row_id, uid=None))
                    report.updated[kind] += 1
        # contacts
        merge = Merge(
            "contacts",
            [
                (c.uid, c.id, record_content({**contact_record(c), "about_loan_id": loan_uid.get(c.about_loan_id)}))
                for c in store.contacts()
            ],
            report,
            as_new=as_new,
            incoming=[c.uid for c in parsed.contacts],
        )
        contact_map: dict[int | None, int | None] = {}
        contact_uid = {c.id: c.uid for c in store.contacts()}
        for contact in parsed.contacts:
            about = mapping.get(contact.about_loan_id) if contact.about_loan_id is not None else None
            content = record_content({**contact_record(contact), "about_loan_id": file_loan_uid.get(contact.about_loan_id)})
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
        merge = Merge(
            "evidence",
            [
                (e.uid, e.id, record_content({**evidence_record(e), "contact_id": contact_uid.get(e.contact_id)}))
                for e in store.evidence()
            ],
            report,
            as_new=as_new,
            incoming=[e.uid for e in parsed.evidence],
        )
        taken = {e.stored_name for e in store.evidence()}
        for item in parsed.evidence:
            content = record_content({**evidence_record(item), "contact_id": file_contact_uid.get(item.contact_id)})
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
        existing_rules = [
            (rule_uids[rid], rid, record_content({"loan": loan_uid[lid], "rule": [cp, desc, m]}))
            for rid, lid, cp, desc, m in store.match_rules()
        ]
        merge = Merge("match_rules", existing_rules, report, as_new=as_new, incoming=[rule[4] for rule in parsed.match_rules])
        for loan_id, counterparty, description, method, uid in parsed.match_rules:
            content = record_content({"loan": file_loan_uid[loan_id], "rule": [counterparty, description, method]})
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
        elif parsed.audit_items:
            report.not_taken["audit_items"] += len(parsed.audit_items)  # said, not passed over in silence
    return report


def save_import_with_files(
    store: Store,
    parsed: ParsedExport,
    evidence_folder: Path,
    archive: Path | None = None,
    *,
    update: bool = False,
    as_new: bool = False,
) -> ImportReport:
    """An export imported in one transaction: its records (save_import) and, from a zip made with --with-files, the
    evidence files the folder does not have; a refusal of either leaves the database as it was."""
    with store.write():
        report = save_import(store, parsed, update=update, as_new=as_new)
        if archive is not None:
            take_evidence_files(archive, parsed, evidence_folder)
    return report


def open_sample(path: Path) -> tuple[Store, dt.date]:
    """A new database at ``path`` holding the bundled sample household, and the day it is shown as of."""
    data = read_json(SAMPLE_FILE)
    store = Store.open(path)
    save_import(store, parse_export(data))
    return store, sample_today(data)


# -- CSV -----------------------------------------------------------------------
def write_csv(store: Store, folder: Path, today: dt.date) -> list[Path]:
    private_folder(folder)
    data = export_data(store, today)
    written = []
    for table in ("loans", "repayments"):
        rows = data[table]
        path = folder / f"{table}.csv"
        write_rows(path, LOAN_FIELDS if table == "loans" else REPAYMENT_FIELDS, rows)
        written.append(path)
    sched_rows = []
    for state in loan_states(store, today):
        for s in state.schedule:
            sched_rows.append(
                {"loan_id": state.loan.id, "currency": state.loan.currency, **schedule_item(s, state.loan.currency)}
            )
    path = folder / "schedule.csv"
    write_rows(
        path,
        [
            "loan_id", "currency", "seq", "kind", "due_date", "principal", "interest", "fee", "total", "paid", "status",
            "days_late", "penalty",
        ],
        sched_rows,
    )  # fmt: skip
    written.append(path)
    return written


def ledger_journal(store: Store, today: dt.date) -> str:
    """A plain-text journal: loans as liabilities, repayments split into principal, interest, fees, penalty."""
    lines = ["; debt-tracker export: loans as liabilities, repayments as postings", ""]
    states: list[LoanState] = loan_states(store, today)
    entries: list[tuple[dt.date, int, list[str]]] = []
    accounts = {st.loan.id: f"Liabilities:Loans:{st.loan.id} {account_part(st.loan.name)}" for st in states}
    for state in states:
        loan, cur = state.loan, state.loan.currency
        acct = accounts[loan.id]
        head = f"{loan.start_date.isoformat()} * {account_part(loan.name)} | {account_part(loan.lender)}"
        # a bill's instalments pay that bill: the money goes to the card, not to cash
        source = accounts.get(loan.card_id, "Assets:Cash") if loan.card_id is not None else "Assets:Cash"
        body = [head, f"    {source}  {to_str(loan.received_amount, cur)} {cur}"]
        if loan.received_amount < loan.principal:
            body.append(
                f"    Expenses:Loan fees:{loan.id} {account_part(loan.name)}  {to_str(loan.principal - loan.received_amount, cur)} {cur}"
            )
        body.append(f"    {acct}  {to_str(-loan.principal, cur)} {cur}")
        if state.card is not None:
            entries.extend(card_entries(state, acct))
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
            note = f" ; {account_part(rep.note)}" if rep.note else ""
            body = [f"{rep.date.isoformat()} * {account_part(loan.name)} | repayment{note}"]
            if principal:
                body.append(f"    {acct}  {to_str(principal, cur)} {cur}")
            if interest:
                body.append(f"    Expenses:Interest:{loan.id} {account_part(loan.name)}  {to_str(interest, cur)} {cur}")
            if fee:
                body.append(f"    Expenses:Fees:{loan.id} {account_part(loan.name)}  {to_str(fee, cur)} {cur}")
            if penalty:
                body.append(f"    Expenses:Penalty interest:{loan.id} {account_part(loan.name)}  {to_str(penalty, cur)} {cur}")
            if extra:
                body.append(f"    Assets:Overpaid:{loan.id} {account_part(loan.name)}  {to_str(extra, cur)} {cur}")
            body.append(f"    Assets:Cash  {to_str(-rep.amount, cur)} {cur}")
            entries.append((rep.date, 1, body))
    entries.sort(key=lambda e: (e[0], e[1]))
    for _date, _order, body in entries:
        lines.extend(body)
        lines.append("")
    return "\n".join(lines)
