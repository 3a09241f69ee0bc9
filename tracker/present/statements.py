"""What an import or a statement brings in: the summary lines, a card's bill, a statement row and its reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_, _, ngettext
from ..money import fmt

if TYPE_CHECKING:
    from ..service.statements import ImportPreview
    from ..statements import StatementRow


IMPORT_KINDS = {
    "loans": N_("loans"),
    "repayments": N_("repayments"),
    "card_bills": N_("card bills"),
    "incomes": N_("incomes"),
    "credit_checks": N_("credit checks"),
    "contacts": N_("contacts"),
    "match_rules": N_("statement rules"),
    "audit_items": N_("audit items"),
    "evidence": N_("evidence records"),
}


def import_lines(report, *, update: bool) -> list[str]:
    """What an import did: '0 new, 51 already present', what was new, what conflicts."""
    out = [_("Imported: {new} new, {present} already present.").format(new=report.total_new, present=report.total_present)]
    if report.total_new:
        out.append(_("New: {parts}.").format(parts=_(", ").join(f"{n} {_(IMPORT_KINDS[k])}" for k, n in report.new.items() if n)))
    if report.conflicts:
        shown = _("; ").join(report.conflicts[:5]) + (" …" if len(report.conflicts) > 5 else "")
        if update:
            out.append(_("Replaced with the file's version: {records}.").format(records=shown))
        else:
            out.append(
                _(
                    "{n} of your records differ from the file's and were left as they are ({records}); "
                    "--update replaces them, --as-new adds the file's as copies."
                ).format(n=len(report.conflicts), records=shown)
            )
    if report.not_taken["audit_items"]:
        out.append(
            _(
                "Not taken: the file's {n} audit items and its settings (a checklist is taken only into an empty database)."
            ).format(n=report.not_taken["audit_items"])
        )
    return out


def statement_summary(plan: ImportPreview) -> str:
    """What a statement holds for the loans: "Alipay statement: 8 rows, 1 to record, 2 unmatched, 0 already imported."."""
    from ..statements.reader import source_label

    return _("{source} statement: {rows} rows, {n} to record, {u} unmatched, {d} already imported.").format(
        source=source_label(plan.statement.source),
        rows=len(plan.statement.rows),
        n=len(plan.to_record),
        u=len(plan.still_unmatched),
        d=len(plan.result.duplicates),
    )


def typed_text(plan: ImportPreview, names: dict[int, str]) -> str | None:
    """The rows a repayment typed by hand already stands for, which are not recorded again; None when there are none."""
    if not plan.typed:
        return None
    items = _("; ").join(
        _("{date} {amount} to {name} (repayment {id})").format(
            date=row.when.date().isoformat(), amount=fmt(row.amount, row.currency), name=names.get(loan_id, loan_id), id=rep_id
        )
        for loan_id, row, rep_id in plan.typed
    )
    return ngettext(
        "{n} row is already recorded by hand, so it is not recorded again: {items}.",
        "{n} rows are already recorded by hand, so they are not recorded again: {items}.",
        len(plan.typed),
    ).format(n=len(plan.typed), items=items)


def bill_line(bill, name: str, currency: str) -> str:
    """The bill a card's statement adds up to, and how."""
    return _(
        "Bill of {date} for {name}: {amount} (the last bill's {previous}, less {paid} paid since, plus {charges} of new charges)"
    ).format(
        date=bill.date.isoformat(),
        name=name,
        amount=fmt(bill.amount, currency, symbol=True),
        previous=fmt(bill.previous, currency, symbol=True),
        paid=fmt(bill.paid, currency, symbol=True),
        charges=fmt(bill.charges, currency, symbol=True),
    )


def row_text(row: StatementRow) -> str:
    """A statement row in words: its counterparty and description."""
    return f"{row.counterparty} {row.description}".strip()


def short_ref(ref: str, width: int = 20) -> str:
    """A long order number cut in the middle, where an ellipsis shows it is cut: its start and its distinctive end."""
    if len(ref) <= width:
        return ref
    head = (width - 1) // 2
    return ref[:head] + "…" + ref[-(width - 1 - head) :]
