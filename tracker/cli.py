"""The `debt` command line: parse, call the service, render. The only typer import."""

import datetime as dt
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 vendors click; older releases use the click package
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc

from .errors import BadInput, ExitCode, TrackerError
from .i18n import _
from .models import KIND_LABELS, METHOD_LABELS, STATUS_LABELS, LoanState
from .money import fmt, percent_str

TODAY_ENV = "DEBT_TRACKER_TODAY"
GLOBAL_OPTIONS = ("--db", "--today")


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Let --db and --today stand anywhere: move them in front of the command."""
    front: list[str] = []
    rest: list[str] = []
    items = list(args)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            rest.extend(items[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if "=" in arg:
                front.append(arg)
            elif i + 1 < len(items):
                front.extend(items[i : i + 2])
                i += 1
            else:
                front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def _err(message: str) -> None:
    typer.echo(_("debt: error: {message}").format(message=message), err=True)


class DebtGroup(TyperGroup):
    """Turns every failure into one line on stderr and an exit code; never a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = hoist_global_options(sys.argv[1:] if args is None else args)
        code: int
        try:
            rv = super().main(argv, prog_name or "debt", complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except TrackerError as exc:
            _err(exc.message)
            code = exc.exit_code
        except click_exc.NoSuchOption as exc:
            _err(exc.format_message())
            code = ExitCode.BAD_INPUT
        except click_exc.UsageError as exc:
            hint = (
                _("see 'debt {command} --help'")
                .format(command=exc.ctx.command_path.partition(" ")[2] if exc.ctx else "")
                .replace("  ", " ")
            )
            _err(f"{exc.format_message()} ({hint})")
            code = ExitCode.BAD_INPUT
        except click_exc.Abort:
            _err(_("cancelled"))
            code = ExitCode.REFUSED
        except click_exc.ClickException as exc:
            _err(exc.format_message())
            code = exc.exit_code
        except sqlite3.OperationalError as exc:
            _err(_("the database could not be written: {reason}").format(reason=exc))
            code = ExitCode.REFUSED
        except sqlite3.DatabaseError as exc:
            _err(_("the database is damaged or not ours: {reason}").format(reason=exc))
            code = ExitCode.REFUSED
        except OSError as exc:
            _err(_("{reason}").format(reason=exc.strerror or exc))
            code = ExitCode.REFUSED
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=DebtGroup,
    help=_("A private ledger for your loans and repayments, with credit-health checks."),
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
loan_app = typer.Typer(help=_("Add, list, show, edit and delete loans."), no_args_is_help=True)
repayment_app = typer.Typer(help=_("List and delete recorded repayments."), no_args_is_help=True)
app.add_typer(loan_app, name="loan")
app.add_typer(repayment_app, name="repayment")


class Env:
    """What the global options resolved to; the database opens on first use."""

    def __init__(self, db: str | None, today: dt.date) -> None:
        from .paths import resolve_db

        self.db_path, self.default_location = resolve_db(db)
        self.today = today
        self._store = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def store(self, *, write: bool = True):
        from .store import Store

        if self._store is None:
            self._store = Store.open(self.db_path, create=write, make_folder=self.default_location)
        return self._store


def _env(ctx: typer.Context) -> Env:
    return ctx.find_root().obj


JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print JSON instead of a table."))]


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH", help=_("Database file (default: your data folder; env DEBT_TRACKER_DB).")),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD", help=_("The date reports treat as today (env DEBT_TRACKER_TODAY).")),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help=_("Show the version and exit."))] = False,
) -> None:
    if version:
        from . import __version__

        typer.echo(f"debt-tracker {__version__}")
        raise typer.Exit()
    from .dates import parse_date

    raw_today = today or os.environ.get(TODAY_ENV)
    when = parse_date(raw_today, "--today") if raw_today else dt.date.today()
    ctx.obj = Env(db, when)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        env = ctx.obj
        _open_app(env.store(), env.today, demo=False)


def _open_app(store, today: dt.date, *, demo: bool, note: str = "") -> None:
    """The terminal app is built in its own module; until it opens, print the overview."""
    _print_overview(store, today, note)


# -- rendering helpers ---------------------------------------------------------
def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _table(*columns: str, title: str | None = None):
    """A borderless table; a column named '>X' is right-aligned (amounts), '~X' may shrink."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, collapse_padding=True)
    for col in columns:
        right = col.startswith(">")
        shrink = col.startswith("~")
        table.add_column(
            col.lstrip(">~"),
            justify="right" if right else "left",
            no_wrap=True,
            overflow="ellipsis" if shrink else "fold",
            ratio=1 if shrink else None,
        )
    return table


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _rate_text(state: LoanState) -> str:
    loan = state.loan
    if loan.method == "flat-fee":
        return _("{rate}%/month fee").format(rate=percent_str(loan.fee_rate))
    text = f"{percent_str(loan.annual_rate)}%"
    if loan.rate_unit == "daily" and loan.quoted_rate is not None:
        text += " " + _("({rate}%/day)").format(rate=loan.quoted_rate)
    elif loan.rate_unit == "monthly" and loan.quoted_rate is not None:
        text += " " + _("({rate}%/month)").format(rate=loan.quoted_rate)
    return text


def _status_text(status: str) -> str:
    label = _(STATUS_LABELS.get(status, status))
    return f"[bold red]{label}[/]" if status == "overdue" else label


def _print_table(console, table) -> None:
    """Keep amounts, dates and statuses whole; only the '~' columns give up width."""
    from rich.text import Text

    def width(cell: object) -> int:
        return Text.from_markup(cell).cell_len if isinstance(cell, str) else 0

    fixed, shrink = [], []
    for col in table.columns:
        need = max([width(col.header), *(width(c) for c in col._cells)])
        if col.ratio is None:
            col.min_width = need
            fixed.append(need)
        else:
            shrink.append((col, need))
    if shrink:
        spare = console.width - sum(fixed) - 2 * (len(table.columns) - 1) - 2
        share = max(spare // len(shrink), 6)
        for col, need in shrink:
            col.max_width = min(need, share)
            col.min_width = min(need, share)
    console.print(table)


def _apr_text(v) -> str:
    """APR with a '!' when a rate warning applies."""
    if v.cost.apr is None:
        return "-"
    return f"{v.cost.apr}%" + (" [bold yellow]![/]" if v.warnings else "")


def _loans_table(views, *, wide: bool = True):
    cols = [_(">ID"), _("~Name"), _("~Lender"), _(">Outstanding"), _(">APR"), _("Next due"), _(">Amount"), _("Status")]
    if not wide:
        cols.remove(_("~Lender"))
    table = _table(*cols)
    for v in views:
        st = v.state
        loan, cur = st.loan, st.loan.currency
        nxt = st.next_due
        status = _status_text(st.status)
        if st.status == "overdue":
            status += " " + _("{days}d").format(days=st.days_overdue)
        table.add_row(
            str(loan.id),
            loan.name,
            *([loan.lender] if wide else []),
            fmt(st.outstanding_principal, cur, symbol=True),
            _apr_text(v),
            nxt.installment.due_date.isoformat() if nxt else "-",
            fmt(nxt.unpaid, cur) if nxt else "-",
            status,
        )
    return table


def _print_overview(store, today: dt.date, note: str = "") -> None:
    from .service import loan_views

    console = _console()
    views = loan_views(store, today, include_closed=False)
    states = [v.state for v in views]
    console.print(_("Overview as of {date}").format(date=today.isoformat()) + (f"  {note}" if note else ""), style="bold")
    if not states:
        console.print(_("No loans yet. Add one with 'debt loan add', or try 'debt demo' to explore sample data."))
        return
    totals: dict[str, int] = {}
    for st in states:
        totals[st.loan.currency] = totals.get(st.loan.currency, 0) + st.outstanding_principal
    console.print(
        _("Outstanding principal: {amounts}").format(amounts=", ".join(fmt(v, c, symbol=True) for c, v in sorted(totals.items())))
    )
    overdue = [st for st in states if st.status == "overdue"]
    for st in overdue:
        console.print(
            "[bold red]"
            + _("Overdue: {name}: {amount}, {days} days").format(
                name=st.loan.name, amount=fmt(st.overdue_amount, st.loan.currency, symbol=True), days=st.days_overdue
            )
            + "[/]"
        )
    _print_table(console, _loans_table(views, wide=console.width >= 110))
    if any(v.warnings for v in views):
        console.print(_("! a rate warning applies: see 'debt loan show ID'"))


# -- loan commands -------------------------------------------------------------
MethodHelp = _("Repayment method: equal-installment, equal-principal, interest-only, bullet, flat-fee, revolving.")
KindHelp = _("Kind: mortgage, car, consumer, credit-card, online-platform, personal, other.")


@loan_app.command("add")
def loan_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("A name you will recognise, e.g. 房贷."))],
    lender: Annotated[str | None, typer.Option("--lender", help=_("Bank, platform or person."))] = None,
    principal: Annotated[str | None, typer.Option("--principal", help=_("Amount borrowed, e.g. 12,000.50."))] = None,
    rate: Annotated[str | None, typer.Option("--rate", help=_("Nominal annual rate in percent."))] = None,
    monthly_rate: Annotated[
        str | None, typer.Option("--monthly-rate", help=_("Monthly rate in percent (x 12 = annual)."))
    ] = None,
    daily_rate: Annotated[str | None, typer.Option("--daily-rate", help=_("Daily rate in percent (x 365 = annual)."))] = None,
    term: Annotated[str | None, typer.Option("--term", help=_("Term in months (not for revolving)."))] = None,
    method: Annotated[str | None, typer.Option("--method", help=MethodHelp)] = None,
    start: Annotated[str | None, typer.Option("--start", help=_("Date the money was lent, YYYY-MM-DD."))] = None,
    first_due: Annotated[
        str | None, typer.Option("--first-due", help=_("First due date (default one month after start)."))
    ] = None,
    received: Annotated[
        str | None, typer.Option("--received", help=_("Amount actually received, when fees were deducted up front."))
    ] = None,
    fee_rate: Annotated[
        str | None, typer.Option("--fee-rate", help=_("flat-fee: monthly fee in percent of the principal."))
    ] = None,
    min_payment_rate: Annotated[
        str | None,
        typer.Option("--min-payment-rate", help=_("revolving: minimum payment in percent of the balance (default 10).")),
    ] = None,
    currency: Annotated[str | None, typer.Option("--currency", help=_("Currency code (default CNY)."))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=KindHelp)] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Free text."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a loan and show its schedule."""
    from .service import LoanInput, add_loan, build_loan, lpr, view

    env = _env(ctx)
    data = LoanInput(
        name=name,
        lender=lender,
        principal=principal,
        rate=rate,
        monthly_rate=monthly_rate,
        daily_rate=daily_rate,
        term=term,
        method=method,
        start=start,
        first_due=first_due,
        received=received,
        fee_rate=fee_rate,
        min_payment_rate=min_payment_rate,
        currency=currency,
        kind=kind,
        notes=notes,
    )
    if data.lender is None:
        raise BadInput(_("give the lender with --lender"))
    loan = build_loan(data)  # validated before the database file is created
    store = env.store()
    state = add_loan(store, loan, env.today)
    _show_view(view(state, lpr(store)), as_json, added=True)


@loan_app.command("list")
def loan_list(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help=_("Include closed loans."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """List open loans (closed ones with --all)."""
    from .report import loan_summary
    from .service import loan_views

    env = _env(ctx)
    views = loan_views(env.store(write=False), env.today, include_closed=show_all)
    if as_json:
        _print_json([loan_summary(v.state, v.cost, v.warnings) for v in views])
        return
    console = _console()
    if not views:
        console.print(
            _(
                "No loans. Add one with 'debt loan add NAME --lender ... --principal ... --rate ... --term ... --method ... --start ...'."
            )
        )
        return
    _print_table(console, _loans_table(views, wide=console.width >= 110))


@loan_app.command("show")
def loan_show(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="ID", help=_("Loan id (see 'debt loan list')."))],
    as_json: JsonOpt = False,
) -> None:
    """Show a loan: terms, balances, the schedule and repayments."""
    from .service import loan_view, parse_id

    env = _env(ctx)
    _show_view(loan_view(env.store(write=False), parse_id(loan_id, _("loan id")), env.today), as_json)


def _show_view(v, as_json: bool, *, added: bool = False) -> None:
    from .report import loan_detail

    state = v.state
    if as_json:
        _print_json(loan_detail(state, v.cost, v.warnings))
        return
    loan, cur = state.loan, state.loan.currency
    console = _console()
    if added:
        console.print(_("Added loan {id}.").format(id=loan.id), style="green")
    console.print(f"[bold]{loan.name}[/]  #{loan.id}  {loan.lender}  ({_(KIND_LABELS[loan.kind])})")
    term = _("{n} months").format(n=loan.term_months) if loan.term_months else _("no fixed term")
    console.print(
        _("{method}, {rate}, {term}, from {start}; first due {first}").format(
            method=_(METHOD_LABELS[loan.method]),
            rate=_rate_text(state),
            term=term,
            start=loan.start_date.isoformat(),
            first=loan.first_due_date.isoformat(),
        )
    )
    line = _("Principal {principal}").format(principal=fmt(loan.principal, cur, symbol=True))
    if loan.received_amount != loan.principal:
        line += " · " + _("received {received}").format(received=fmt(loan.received_amount, cur, symbol=True))
    line += " · " + _("outstanding {amount}").format(amount=fmt(state.outstanding_principal, cur, symbol=True))
    line += " · " + _("status {status}").format(status=_status_text(state.status))
    console.print(line)
    if v.cost.apr is not None:
        console.print(_("True cost: APR {apr}% (EAR {ear}%)").format(apr=v.cost.apr, ear=v.cost.ear))
    else:
        console.print(_("True cost: APR not available ({reason})").format(reason=v.cost.reason))
    for w in v.warnings:
        console.print(f"[yellow]! {w.message}[/]")
    if state.overdue_amount:
        console.print(
            "[bold red]"
            + _("Overdue {amount} since {date} ({days} days)").format(
                amount=fmt(state.overdue_amount, cur, symbol=True),
                date=state.overdue[0].installment.due_date.isoformat(),
                days=state.days_overdue,
            )
            + "[/]"
        )
    nxt = state.next_due
    if nxt:
        console.print(
            _("Next due {date}: {amount}").format(
                date=nxt.installment.due_date.isoformat(), amount=fmt(nxt.unpaid, cur, symbol=True)
            )
        )
    if state.credit:
        console.print(_("Paid beyond what is owed: {amount}").format(amount=fmt(state.credit, cur, symbol=True)))
    table = _table(
        _(">#"),
        _("Due date"),
        _(">Principal"),
        _(">Interest"),
        _(">Fee"),
        _(">Total"),
        _(">Paid"),
        _("Status"),
        title=_("Schedule"),
    )
    for s in state.schedule:
        inst = s.installment
        status = _("prepayment") if inst.kind == "prepayment" else _status_text(s.status)
        table.add_row(
            str(inst.seq),
            inst.due_date.isoformat(),
            fmt(inst.principal, cur),
            fmt(inst.interest, cur),
            fmt(inst.fee, cur),
            fmt(inst.total, cur),
            fmt(s.paid, cur),
            status,
            style="red" if s.status == "overdue" else None,
        )
    _print_table(console, table)
    if state.repayments:
        _repayments_table(console, [(r, cur) for r in state.repayments])


def _repayments_table(console, rows) -> None:
    table = _table(_(">ID"), _(">Loan"), _("Date"), _(">Amount"), _("~Note"), title=_("Repayments"))
    for rep, cur in rows:
        note = rep.note + (" " + _("[prepayment]") if rep.prepay else "")
        table.add_row(str(rep.id), str(rep.loan_id), rep.date.isoformat(), fmt(rep.amount, cur), note.strip())
    _print_table(console, table)


@loan_app.command("edit")
def loan_edit(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="ID", help=_("Loan id."))],
    name: Annotated[str | None, typer.Option("--name", help=_("New name."))] = None,
    lender: Annotated[str | None, typer.Option("--lender", help=_("Bank, platform or person."))] = None,
    principal: Annotated[str | None, typer.Option("--principal", help=_("Amount borrowed."))] = None,
    rate: Annotated[str | None, typer.Option("--rate", help=_("Nominal annual rate in percent."))] = None,
    monthly_rate: Annotated[
        str | None, typer.Option("--monthly-rate", help=_("Monthly rate in percent (x 12 = annual)."))
    ] = None,
    daily_rate: Annotated[str | None, typer.Option("--daily-rate", help=_("Daily rate in percent (x 365 = annual)."))] = None,
    term: Annotated[str | None, typer.Option("--term", help=_("Term in months."))] = None,
    method: Annotated[str | None, typer.Option("--method", help=MethodHelp)] = None,
    start: Annotated[str | None, typer.Option("--start", help=_("Start date."))] = None,
    first_due: Annotated[str | None, typer.Option("--first-due", help=_("First due date."))] = None,
    received: Annotated[str | None, typer.Option("--received", help=_("Amount actually received."))] = None,
    fee_rate: Annotated[str | None, typer.Option("--fee-rate", help=_("flat-fee: monthly fee in percent."))] = None,
    min_payment_rate: Annotated[
        str | None, typer.Option("--min-payment-rate", help=_("revolving: minimum payment percent."))
    ] = None,
    currency: Annotated[str | None, typer.Option("--currency", help=_("Currency code."))] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=KindHelp)] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Free text."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a loan's terms; the schedule and statuses are recomputed."""
    from .service import LoanInput, edit_loan, lpr, parse_id, view

    env = _env(ctx)
    data = LoanInput(
        name=name,
        lender=lender,
        principal=principal,
        rate=rate,
        monthly_rate=monthly_rate,
        daily_rate=daily_rate,
        term=term,
        method=method,
        start=start,
        first_due=first_due,
        received=received,
        fee_rate=fee_rate,
        min_payment_rate=min_payment_rate,
        currency=currency,
        kind=kind,
        notes=notes,
    )
    store = env.store(write=False)
    state = edit_loan(store, parse_id(loan_id, _("loan id")), data, env.today)
    if not as_json:
        _console().print(_("Updated loan {id}.").format(id=state.loan.id), style="green")
    _show_view(view(state, lpr(store)), as_json)


def _confirm(yes: bool, question: str, what: str) -> None:
    from .service import require_confirmation

    if not yes and sys.stdin.isatty():
        yes = typer.confirm(question, default=False)
    require_confirmation(yes, what)


@loan_app.command("delete")
def loan_delete(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="ID", help=_("Loan id."))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation."))] = False,
) -> None:
    """Delete a loan and all of its repayments."""
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    lid = parse_id(loan_id, _("loan id"))
    loan = store.get_loan(lid)
    count = len(store.repayments(lid))
    _confirm(
        yes,
        _("Delete loan {id} '{name}' and its {n} repayments?").format(id=lid, name=loan.name, n=count),
        _("delete loan {id}").format(id=lid),
    )
    store.delete_loan(lid)
    typer.echo(_("Deleted loan {id} '{name}' and {n} repayments.").format(id=lid, name=loan.name, n=count))


# -- repayments ----------------------------------------------------------------
@app.command("repay", context_settings={"ignore_unknown_options": True})
def repay(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="LOAN_ID", help=_("Loan id."))],
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help=_("Amount paid, e.g. 5307.27 or ¥5,307.27."))],
    date: Annotated[str | None, typer.Option("--date", help=_("Date paid (default today)."))] = None,
    note: Annotated[str | None, typer.Option("--note", help=_("Free text."))] = None,
    prepay: Annotated[
        bool, typer.Option("--prepay", help=_("Put the part beyond what is due toward principal (shortens the term)."))
    ] = False,
    keep_term: Annotated[
        bool, typer.Option("--keep-term", help=_("With --prepay: keep the term and lower the payment instead."))
    ] = False,
    allow_overpay: Annotated[
        bool, typer.Option("--allow-overpay", help=_("Record an amount above everything still owed."))
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a repayment; it pays the oldest installments first."""
    from .money import to_str
    from .report import loan_summary, repayment_item
    from .service import parse_id, record_repayment

    env = _env(ctx)
    lid = parse_id(loan_id, _("loan id"))
    rep, state = record_repayment(
        env.store(write=False),
        lid,
        amount,
        env.today,
        date=date,
        note=note,
        prepay=prepay,
        keep_term=keep_term,
        allow_overpay=allow_overpay,
    )
    cur = state.loan.currency
    if as_json:
        _print_json({"repayment": repayment_item(rep, cur), "loan": loan_summary(state), "credit": to_str(state.credit, cur)})
        return
    console = _console()
    console.print(
        _("Recorded repayment {id}: {amount} to {name} on {date}.").format(
            id=rep.id, amount=fmt(rep.amount, cur, symbol=True), name=state.loan.name, date=rep.date.isoformat()
        ),
        style="green",
    )
    line = _("Outstanding principal {amount}; status {status}.").format(
        amount=fmt(state.outstanding_principal, cur, symbol=True), status=_status_text(state.status)
    )
    console.print(line)
    nxt = state.next_due
    if nxt:
        console.print(
            _("Next due {date}: {amount}").format(
                date=nxt.installment.due_date.isoformat(), amount=fmt(nxt.unpaid, cur, symbol=True)
            )
        )


@repayment_app.command("list")
def repayment_list(
    ctx: typer.Context,
    loan: Annotated[str | None, typer.Option("--loan", metavar="ID", help=_("Only this loan's repayments."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """List repayments, oldest first."""
    from .report import repayment_item
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    lid = parse_id(loan, _("loan id")) if loan is not None else None
    if lid is not None:
        store.get_loan(lid)
    currency = {ln.id: ln.currency for ln in store.loans()}
    reps = store.repayments(lid)
    if as_json:
        _print_json([repayment_item(r, currency[r.loan_id]) for r in reps])
        return
    console = _console()
    if not reps:
        console.print(_("No repayments recorded."))
        return
    _repayments_table(console, [(r, currency[r.loan_id]) for r in reps])


@repayment_app.command("delete")
def repayment_delete(
    ctx: typer.Context,
    rep_id: Annotated[str, typer.Argument(metavar="ID", help=_("Repayment id (see 'debt repayment list')."))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation."))] = False,
) -> None:
    """Delete a repayment recorded by mistake; statuses are recomputed."""
    from .service import delete_repayment, parse_id

    env = _env(ctx)
    store = env.store(write=False)
    rid = parse_id(rep_id, _("repayment id"))
    rep = store.get_repayment(rid)
    cur = store.get_loan(rep.loan_id).currency
    _confirm(
        yes,
        _("Delete repayment {id} ({amount} on {date})?").format(id=rid, amount=fmt(rep.amount, cur), date=rep.date.isoformat()),
        _("delete repayment {id}").format(id=rid),
    )
    _rep, state = delete_repayment(store, rid, env.today)
    typer.echo(
        _("Deleted repayment {id}; loan {loan} is now {status}.").format(
            id=rid, loan=state.loan.id, status=_(STATUS_LABELS[state.status])
        )
    )


# -- cost of credit ------------------------------------------------------------
@app.command("apr")
def apr(
    ctx: typer.Context,
    principal: Annotated[str, typer.Option("--principal", help=_("Amount borrowed."))],
    term: Annotated[str, typer.Option("--term", help=_("Term in months."))],
    fee_rate: Annotated[str | None, typer.Option("--fee-rate", help=_("Monthly fee in percent of the principal."))] = None,
    rate: Annotated[str | None, typer.Option("--rate", help=_("Nominal annual rate in percent."))] = None,
    monthly_rate: Annotated[str | None, typer.Option("--monthly-rate", help=_("Monthly rate in percent."))] = None,
    daily_rate: Annotated[str | None, typer.Option("--daily-rate", help=_("Daily rate in percent."))] = None,
    method: Annotated[str | None, typer.Option("--method", help=MethodHelp)] = None,
    received: Annotated[str | None, typer.Option("--received", help=_("Amount actually received after fees."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """What an offer really costs: payment, total, true APR and EAR, warnings. Needs no database."""
    from .money import to_str
    from .report import cost_fields
    from .service import LoanInput, quote

    env = _env(ctx)
    if fee_rate is None and rate is None and monthly_rate is None and daily_rate is None:
        raise BadInput(_("give one of --fee-rate, --rate, --monthly-rate or --daily-rate"))
    data = LoanInput(
        principal=principal,
        term=term,
        fee_rate=fee_rate,
        rate=rate,
        monthly_rate=monthly_rate,
        daily_rate=daily_rate,
        method=method,
        received=received,
    )
    # the rate lines come from your settings when a database exists; reading creates nothing
    from .service import lpr

    q = quote(data, env.today, lpr(env.store(write=False)))
    cur = q.loan.currency
    if as_json:
        fields = cost_fields(q.cost, q.warnings)
        _print_json(
            {
                "currency": cur,
                "payment": to_str(q.payment, cur),
                "last_payment": to_str(q.last_payment, cur),
                "total_repaid": to_str(q.total_repaid, cur),
                "total_cost": to_str(q.total_cost, cur),
                "apr": fields["apr"],
                "ear": fields["ear"],
                "warnings": fields["warnings"],
            }
        )
        return
    console = _console()
    pay = fmt(q.payment, cur, symbol=True)
    if q.last_payment != q.payment:
        pay += " " + _("(last {amount})").format(amount=fmt(q.last_payment, cur, symbol=True))
    console.print(_("Monthly payment  {amount}").format(amount=pay))
    console.print(_("Total repaid     {amount}").format(amount=fmt(q.total_repaid, cur, symbol=True)))
    console.print(_("Total cost       {amount}").format(amount=fmt(q.total_cost, cur, symbol=True)))
    if q.cost.apr is None:
        console.print(_("APR not available: {reason}").format(reason=q.cost.reason))
    else:
        console.print(_("APR {apr}%   EAR {ear}%").format(apr=q.cost.apr, ear=q.cost.ear), style="bold")
    for w in q.warnings:
        console.print(f"[yellow]! {w.message}[/]")


@app.command("plan")
def plan_cmd(
    ctx: typer.Context,
    budget: Annotated[str, typer.Option("--budget", help=_("What you can pay toward all debts each month."))],
    strategy: Annotated[
        str, typer.Option("--strategy", help=_("avalanche (highest APR first), snowball (smallest balance first) or both."))
    ] = "both",
    currency: Annotated[str, typer.Option("--currency", help=_("Plan the loans in this currency."))] = "CNY",
    as_json: JsonOpt = False,
) -> None:
    """Plan the fastest way out of debt with a monthly budget."""
    from .report import plan_item
    from .service import plan

    env = _env(ctx)
    plans = plan(env.store(write=False), budget, strategy, env.today, currency)
    baseline = plans["schedule"]
    cur = currency.upper()
    if as_json:
        _print_json({k: plan_item(p, None if k == "schedule" else baseline, cur) for k, p in plans.items()})
        return
    console = _console()
    names = [k for k in plans if k != "schedule"]
    labels = {
        "avalanche": _("Avalanche (highest APR first)"),
        "snowball": _("Snowball (smallest balance first)"),
        "schedule": _("Schedule only"),
    }
    table = _table(_("~Strategy"), _(">Months"), _("Debt-free"), _(">Interest and fees"), _(">Saved"))
    for k in [*names, "schedule"]:
        p = plans[k]
        saved = "-" if k == "schedule" else fmt(baseline.total_interest - p.total_interest, cur)
        table.add_row(
            labels[k], str(p.months), p.debt_free_date.isoformat() if p.debt_free_date else "-", fmt(p.total_interest, cur), saved
        )
    console.print(
        _("Paying {budget} a month from {date}:").format(
            budget=fmt(parse_budget_for_display(budget, cur), cur, symbol=True), date=env.today.isoformat()
        ),
        style="bold",
    )
    _print_table(console, table)
    loans = _table(_("~Loan"), *[_("Paid off ({name})").format(name=k) for k in [*names, "schedule"]])
    for n, lp in enumerate(baseline.loans):
        loans.add_row(
            lp.name,
            *[
                (plans[k].loans[n].payoff_date.isoformat() if plans[k].loans[n].payoff_date else "-")
                for k in [*names, "schedule"]
            ],
        )
    _print_table(console, loans)
    console.print(
        _(
            "Avalanche pays extra to the highest APR first, snowball to the smallest balance first; prepaid loans keep their payment and end sooner."
        )
    )


def parse_budget_for_display(text: str, currency: str) -> int:
    from .money import parse_amount

    return parse_amount(text, currency)


config_app = typer.Typer(help=_("Show and change settings."), no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("get")
def config_get(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help=_("Setting name; all settings when left out."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one setting or all of them."""
    from .service import settings_view
    from .settings import SETTINGS, get_setting

    env = _env(ctx)
    values = settings_view(env.store(write=False))
    if key is not None:
        get_setting(key)
        values = {key: values[key]}
    if as_json:
        _print_json(values)
        return
    for k, v in values.items():
        typer.echo(f"{k} = {v}    # {_(SETTINGS[k].help)}")


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help=_("Setting name."))],
    value: Annotated[str, typer.Argument(help=_("New value."))],
) -> None:
    """Change a setting."""
    from .service import set_setting
    from .settings import get_setting

    env = _env(ctx)
    get_setting(key)  # an unknown key is refused before the database is created
    clean = set_setting(env.store(), key, value)
    typer.echo(f"{key} = {clean}")


# -- export / import -----------------------------------------------------------
@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("Output file (a folder for csv)."))],
    fmt_: Annotated[
        str, typer.Option("--format", help=_("json (lossless), csv (a folder of tables) or ledger (hledger journal)."))
    ] = "json",
) -> None:
    """Write everything to a file."""
    from . import exchange

    env = _env(ctx)
    if fmt_ not in ("json", "csv", "ledger"):
        raise BadInput(_("unknown format {value!r}; choose json, csv or ledger").format(value=fmt_))
    store = env.store(write=False)
    if fmt_ == "csv":
        if file.exists() and not file.is_dir():
            raise BadInput(_("{path} is a file; csv export writes a folder").format(path=file))
        written = exchange.write_csv(store, file, env.today)
        typer.echo(_("Wrote {files}.").format(files=", ".join(str(p) for p in written)))
        return
    if file.is_dir():
        raise BadInput(_("{path} is a folder; give a file name").format(path=file))
    if not file.parent.exists():
        raise BadInput(_("the folder {path} does not exist").format(path=file.parent))
    if fmt_ == "json":
        exchange.write_json(store, file)
    else:
        file.write_text(exchange.ledger_journal(store, env.today), encoding="utf-8")
    typer.echo(_("Wrote {path}.").format(path=file))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("A JSON file written by 'debt export'."))],
) -> None:
    """Import a JSON export; all records or none."""
    from . import exchange

    env = _env(ctx)
    parsed = exchange.parse_export(exchange.read_json(file))  # validated before the database is opened
    counts = exchange.save_import(env.store(), parsed)
    typer.echo(_("Imported {loans} loans and {repayments} repayments.").format(**counts))


# -- demo ----------------------------------------------------------------------
@app.command("demo")
def demo(ctx: typer.Context) -> None:
    """Open the app on a fresh temporary copy of the sample data (your database is not touched)."""
    import tempfile

    from . import exchange
    from .sample import SAMPLE_FILE, sample_today
    from .store import Store

    env = _env(ctx)
    data = exchange.read_json(SAMPLE_FILE)
    today = env.today if _today_given(ctx) else sample_today(data)
    with tempfile.TemporaryDirectory(prefix="debt-demo-") as tmp:
        store = Store.open(Path(tmp) / "demo.db")
        exchange.save_import(store, exchange.parse_export(data))
        _open_app(store, today, demo=True, note=_("(demo data)"))
        store.close()


def _today_given(ctx: typer.Context) -> bool:
    root = ctx.find_root()
    return bool(root.params.get("today") or os.environ.get(TODAY_ENV))


def main() -> None:
    app()
