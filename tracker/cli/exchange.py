"""Data in and out: `debt export`, `import`, `statement import` (Alipay, WeChat Pay, bank statements), and `demo`."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import BadInput, Refused
from ..i18n import _, ngettext
from ..money import fmt
from .app import TODAY_ENV, _env, _evidence_folder, _open_app, app
from .options import JsonOpt
from .render import _console, _echo, _print_json, _print_table, _table

statement_app = typer.Typer(help=_("Import repayments from Alipay, WeChat Pay and bank statements."), no_args_is_help=True)
app.add_typer(statement_app, name="statement")


def _row_json(loan_id: int | None, row) -> dict[str, Any]:
    from ..matching import row_ref
    from ..money import to_str

    return {
        "loan_id": loan_id,
        "date": row.when.date().isoformat(),
        "amount": to_str(row.amount, row.currency),
        "currency": row.currency,
        "order_id": row_ref(row)[1],
        "counterparty": row.counterparty,
        "description": row.description,
    }


@statement_app.command("import")
def statement_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help=_("An Alipay or WeChat Pay bill, or a bank statement (CSV or XLSX)."))
    ],
    source: Annotated[str, typer.Option("--source", help=_("auto, alipay, wechat, cmb, icbc or ccb."))] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would be recorded; write nothing."))] = False,
    allow_overpay: Annotated[
        bool,
        typer.Option("--allow-overpay", help=_("Record rows that pay more than is owed (a card's credit balance, 溢缴款).")),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Record without asking."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record the repayments a statement shows, once: review first, then confirm."""
    from ..money import to_str
    from ..service.statements import preview, read_file, record, review
    from ..service.views import list_loans
    from ..statements import SOURCE_CHOICES

    env = _env(ctx)
    if source not in SOURCE_CHOICES:
        raise BadInput(
            _("unknown source {value!r}; choose one of: {choices}").format(value=source, choices=_(", ").join(SOURCE_CHOICES))
        )
    data = read_file(file)
    store = env.store(write=False)
    plan = review(store, preview(store, data, source), env.today)
    loans = {loan.id: loan for loan in list_loans(store)}
    deduction_rows = plan.deductions
    if not as_json:
        console = _console()
        from ..present.statements import bill_line, row_text, statement_summary, typed_text

        console.print(statement_summary(plan), style="bold")
        typed = typed_text(plan, {lid: loan.name for lid, loan in loans.items()})
        if typed:
            console.print(typed, style="yellow")
        if plan.to_record:
            from ..matching import row_ref
            from ..present.repayments import stand_in_short
            from ..present.statements import short_ref

            table = _table(_("Date"), _("~Loan"), _(">Amount"), _("~Row"), _("Order"))
            for loan_id, row in plan.to_record:
                table.add_row(
                    row.when.date().isoformat(),
                    loans[loan_id].name,
                    fmt(row.amount, row.currency),
                    row_text(row),
                    short_ref(row_ref(row)[1]),
                )
            _print_table(console, table)
            for n, seq in sorted(deduction_rows.items()):
                loan_id, row = plan.to_record[n]
                console.print(
                    _("The row of {date} ({amount}) {what}.").format(
                        date=row.when.date().isoformat(), amount=fmt(row.amount, row.currency), what=stand_in_short(seq)
                    )
                )
        for bill in plan.bills:
            console.print(bill_line(bill, loans[bill.card_id].name, loans[bill.card_id].currency))
        for note in plan.bill_notes:
            console.print("! " + note, style="yellow")
        if plan.still_unmatched:
            console.print(
                _("Look like repayments but match no loan (add a rule with 'debt loan match ID --counterparty ...'):"),
                style="yellow",
            )
            for row, hint in plan.still_unmatched:
                tip = " " + _("(perhaps loan {id}: {name})").format(id=hint, name=loans[hint].name) if hint in loans else ""
                console.print(f"  {row.when.date().isoformat()}  {fmt(row.amount, row.currency)}  {row_text(row)}{tip}")
    imported = 0
    if plan.to_record and not dry_run:
        if not yes:
            if not sys.stdin.isatty():
                raise Refused(_("not confirmed; nothing was imported (add --yes, or --dry-run to only look)"))
            if not typer.confirm(
                ngettext("Record this {n} repayment?", "Record these {n} repayments?", len(plan.to_record)).format(
                    n=len(plan.to_record)
                ),
                default=False,
                err=True,
            ):
                raise Refused(_("not confirmed; nothing was imported"))
        imported = record(env.store(), plan, env.today, allow_overpay=allow_overpay)
    if as_json:
        _print_json(
            {
                "source": plan.statement.source,
                "rows": len(plan.statement.rows),
                "matched": [
                    {**_row_json(loan_id, row), "replaces_deduction": deduction_rows.get(n)}
                    for n, (loan_id, row) in enumerate(plan.to_record)
                ],
                "unmatched": [{**_row_json(None, row), "suggested_loan_id": hint} for row, hint in plan.still_unmatched],
                "duplicates": len(plan.result.duplicates),
                "recorded_by_hand": [{**_row_json(loan_id, row), "repayment_id": rep_id} for loan_id, row, rep_id in plan.typed],
                "bills": [
                    {
                        "card_id": b.card_id,
                        "date": b.date.isoformat(),
                        "amount": to_str(b.amount, loans[b.card_id].currency),
                    }
                    for b in plan.bills
                ],
                "imported": imported,
            }
        )
    elif imported:
        _echo(ngettext("Recorded {n} repayment.", "Recorded {n} repayments.", imported).format(n=imported))
    elif dry_run:
        _echo(_("Dry run: nothing was written."))


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("Output file (a folder for csv; - for standard output)."))],
    fmt_: Annotated[
        str, typer.Option("--format", help=_("json (lossless), csv (a folder of tables) or ledger (hledger journal)."))
    ] = "json",
    with_files: Annotated[
        bool, typer.Option("--with-files", help=_("json: write a zip with the export and every evidence file."))
    ] = False,
) -> None:
    """Write everything to a file."""
    from ..service.exchange import json_export, ledger_journal, write_csv, write_json, write_json_with_files

    env = _env(ctx)
    if fmt_ not in ("json", "csv", "ledger"):
        raise BadInput(_("unknown format {value!r}; choose json, csv or ledger").format(value=fmt_))
    if with_files and fmt_ != "json":
        raise BadInput(_("--with-files goes with the json format"))
    if str(file) == "-" and (fmt_ == "csv" or with_files):
        raise BadInput(_("'-' (standard output) takes the json or ledger format, without --with-files"))
    store = env.store(write=False)
    if str(file) == "-":  # standard output, for a pipe
        text = json_export(store, env.today) if fmt_ == "json" else ledger_journal(store, env.today)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    if fmt_ == "csv":
        if file.exists() and not file.is_dir():
            raise BadInput(_("{path} is a file; csv export writes a folder").format(path=file))
        written = write_csv(store, file, env.today)
        _echo(_("Wrote {files}.").format(files=", ".join(str(p) for p in written)))
        return
    if file.is_dir():
        raise BadInput(_("{path} is a folder; give a file name").format(path=file))
    if not file.parent.exists():
        raise BadInput(_("the folder {path} does not exist").format(path=file.parent))
    if fmt_ == "json" and with_files:
        n = write_json_with_files(store, file, _evidence_folder(env), env.today)
        _echo(_("Wrote {path} with {n} evidence files.").format(path=file, n=n))
        return
    if fmt_ == "json":
        write_json(store, file, env.today)
    else:
        from ..files import write_private

        write_private(file, ledger_journal(store, env.today))
    _echo(_("Wrote {path}.").format(path=file))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("A JSON file written by 'debt export'."))],
    update: Annotated[
        bool, typer.Option("--update", help=_("Replace your records with the file's where the two differ."))
    ] = False,
    as_new: Annotated[
        bool, typer.Option("--as-new", help=_("Add every record of the file as a new copy, even those you already have."))
    ] = False,
    allow_overpay: Annotated[
        bool, typer.Option("--allow-overpay", help=_("Import repayments that pay a loan beyond what it owes."))
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a JSON export; all records or none. Records you already have are not added again."""
    from ..export_format import read_export
    from ..export_parse import check_not_ahead, check_overpaid, parse_export
    from ..present.statements import import_lines
    from ..service.exchange import save_import_with_files
    from ..service.import_helper import import_helper

    env = _env(ctx)
    if update and as_new:
        raise BadInput(_("give --update or --as-new, not both"))
    # a large file into a new database: a second process replays most of its loans meanwhile
    with import_helper(file, env.db_path, env.today, as_new=as_new) as helper:
        data, archive = read_export(file)
        # validated before the database is opened
        parsed = parse_export(data, forget_from=None if helper is None else helper.share_start(data))
        del data  # the file's text as objects: as large as the records themselves
        check_not_ahead(parsed, env.today)
        check_overpaid(parsed, env.today, allow_overpay=allow_overpay)
        store = env.store()
        if helper is not None:
            helper.attach(store, parsed.loans)
        report = save_import_with_files(store, parsed, _evidence_folder(env), archive, update=update, as_new=as_new)
    if as_json:
        _print_json(
            {
                "new": dict(report.new),
                "already_present": dict(report.present),
                "updated": dict(report.updated),
                "conflicts": report.conflicts,
                "not_taken": dict(report.not_taken),
            }
        )
        return
    for line in import_lines(report, update=update):
        _echo(line)


@app.command("demo")
def demo(ctx: typer.Context) -> None:
    """Open the app on a fresh temporary copy of the sample data (your database is not touched)."""
    import tempfile

    from ..service.exchange import open_sample

    env = _env(ctx)
    with tempfile.TemporaryDirectory(prefix="debt-demo-") as tmp:
        store, as_of = open_sample(Path(tmp) / "demo.db")
        _open_app(store, env.today if _today_given(ctx) else as_of, demo=True, note=_("(demo data)"))


def _today_given(ctx: typer.Context) -> bool:
    root = ctx.find_root()
    return bool(root.params.get("today") or os.environ.get(TODAY_ENV))
