"""The `debt` command line: parse, call the service, render. The only typer import."""

import datetime as dt
import json
import os
import re
import sqlite3
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 vendors click; older releases use the click package
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc

from .errors import BadInput, ExitCode, Refused, TrackerError
from .i18n import N_, _, ngettext
from .models import KIND_LABELS, METHOD_LABELS, STATUS_LABELS, LoanState
from .money import fmt, percent_str

TODAY_ENV = "DEBT_TRACKER_TODAY"
GLOBAL_OPTIONS = ("--db", "--today", "--lang")


def _stored_language(path: Path) -> str | None:
    """The `language` setting, read straight from the database file (read-only, before anything else)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'language'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row and row[0] else None


def _db_from_argv(argv: list[str]) -> str | None:
    db = None
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            db = argv[i + 1]
        elif arg.startswith("--db="):
            db = arg.split("=", 1)[1]
    return db


def choose_language(lang: str | None, db_path: Path) -> None:
    """--lang, then the `language` setting, then LC_ALL / LC_MESSAGES / LANG."""
    from .i18n import SUPPORTED, language_from_env, set_language

    if lang is None or lang not in SUPPORTED:
        lang = _stored_language(db_path) or language_from_env()
    set_language(lang)


def _choose_language_at_import(argv: list[str]) -> None:
    from .i18n import language_from_argv
    from .paths import resolve_db

    try:
        db_path = resolve_db(_db_from_argv(argv))[0]
    except BadInput:  # an empty --db: the command itself says so, in the language chosen without it
        db_path = resolve_db(None)[0]
    choose_language(language_from_argv(argv), db_path)


# command help is built when this module loads, so the language is chosen first
_choose_language_at_import(sys.argv[1:])


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


def _echo(text: str = "", *, err: bool = False) -> None:
    """Print a line; text from outside is shown, never obeyed (see safe_text)."""
    from .safe_text import visible

    typer.echo(visible(text, multiline=True), err=err)


def _err(message: str) -> None:
    from .safe_text import visible

    typer.echo(_("debt: error: {message}").format(message=visible(message)), err=True)


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
        Env.current = None
        try:
            rv = super().main(argv, prog_name or "debt", complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except TrackerError as exc:
            _err(exc.message)
            code = exc.exit_code
        except click_exc.NoSuchOption as exc:
            if re.fullmatch(r"-[\d.,]+", exc.option_name or ""):
                # "debt repay 1 -50": a negative amount, not an option (Click reads it as "-5" "-0": quote it whole)
                typed = next((a for a in argv if re.fullmatch(r"-[\d.,]+", a) and a.startswith(exc.option_name or "")), None)
                _err(_("amounts must not be negative: {value!r}").format(value=typed or exc.option_name))
            else:
                _err(click_text(exc.format_message()))
            code = ExitCode.BAD_INPUT
        except click_exc.UsageError as exc:
            hint = (
                _("see 'debt {command} --help'")
                .format(command=exc.ctx.command_path.partition(" ")[2] if exc.ctx else "")
                .replace("  ", " ")
            )
            _err(f"{click_text(exc.format_message())} ({hint})")
            code = ExitCode.BAD_INPUT
        except typer.Abort:
            _err(_("cancelled"))
            code = ExitCode.REFUSED
        except click_exc.ClickException as exc:
            _err(click_text(exc.format_message()))
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
        if code != 0 and Env.current is not None:
            Env.current.discard_created()
        env = Env.current
        if code == 0 and env is not None and env.damaged and "check" not in argv:
            names = ", ".join(f"{table} {row_id}" for table, row_id in sorted(env.damaged))
            _echo(
                _("debt: warning: skipped records with a value that cannot be read ({names}); see 'debt check'").format(
                    names=names
                ),
                err=True,
            )
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

    current: "Env | None" = None

    def __init__(self, db: str | None, today: dt.date) -> None:
        from .paths import resolve_db

        self.db_path, self.default_location = resolve_db(db)
        self.today = today
        self._store = None
        self._created: list[Path] = []
        self.damaged: dict[tuple[str, int], str] = {}  # records skipped because a value cannot be read
        Env.current = self

    def close(self) -> None:
        if self._store is not None:
            self.damaged.update(self._store.damaged)
            self._store.close()
            self._store = None

    def store(self, *, write: bool = True):
        """The database; reading a missing file gives an empty in-memory stand-in and creates nothing."""
        from .store import Store

        if self._store is not None and write and self._store.memory:
            self._store.close()
            self._store = None
        if self._store is None:
            if write and not self.db_path.exists():
                folder = self.db_path.parent
                if self.default_location and not folder.exists():
                    self._created.append(folder)
                self._created.append(self.db_path)
            if not write and not self.default_location and not self.db_path.parent.is_dir():
                from .errors import StoreError

                raise StoreError(_("the folder for the database does not exist: {path}").format(path=self.db_path.parent))
            self._store = Store.open(self.db_path, create=write, make_folder=self.default_location, today=self.today)
        return self._store

    def discard_created(self) -> None:
        """A command that failed leaves no database behind that it created itself."""
        self.close()
        for path in reversed(self._created):
            if path.is_dir():
                try:
                    path.rmdir()
                except OSError:
                    pass
            else:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
        self._created = []


def _env(ctx: typer.Context) -> Env:
    return ctx.find_root().obj


JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print JSON instead of a table."))]
RevealOpt = Annotated[
    bool, typer.Option("--reveal", help=_("Show card and ID numbers in full (masked to their first and last four otherwise)."))
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation."))]


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
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="en|zh", help=_("Language of the output (default: the language setting, then LANG).")),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help=_("Show the version and exit."))] = False,
) -> None:
    if version:
        from . import __version__

        _echo(f"debt-tracker {__version__}")
        raise typer.Exit()
    from .dates import parse_date
    from .i18n import SUPPORTED

    if lang is not None and lang not in SUPPORTED:
        raise BadInput(_("--lang must be en or zh, got {value!r}").format(value=lang))
    raw_today = today if today is not None else (os.environ.get(TODAY_ENV) or None)
    when = parse_date(raw_today, "--today") if raw_today is not None else dt.date.today()  # '' is refused, not today
    ctx.obj = Env(db, when)
    ctx.call_on_close(ctx.obj.close)
    choose_language(lang, ctx.obj.db_path)
    if ctx.invoked_subcommand is None:
        env = ctx.obj
        _open_app(env.store(), env.today, demo=False)


def _open_app(store, today: dt.date, *, demo: bool, note: str = "") -> None:
    """Open the terminal app on the store's file; without a terminal, print the overview instead."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _print_overview(store, today, note)
        store.close()
        return
    from tui.app import make_app

    path = store.path
    store.close()  # the app opens its own connections, one per worker thread
    make_app(path, today, note=note).run()


@app.command("tui")
def tui_cmd(ctx: typer.Context) -> None:
    """Open the terminal app on your database (the same as 'debt' alone)."""
    env = _env(ctx)
    _open_app(env.store(), env.today, demo=False)


# -- rendering helpers ---------------------------------------------------------
def _console():
    from rich.console import Console
    from rich.segment import Segment

    from .safe_text import visible
    from .wrap import install

    install()  # Chinese lines break by character, never before "，" or after "“"

    class SafeConsole(Console):
        """Every character printed that is not the console's own styling is shown, never obeyed."""

        def _render_buffer(self, buffer):  # the one place text becomes terminal output
            return super()._render_buffer(
                seg if seg.control else Segment(visible(seg.text, multiline=True), seg.style, seg.control) for seg in buffer
            )

    # markup off: loan names, notes and messages are the user's text ("[/b]" must print as typed);
    # styles are given as Text and style= instead
    return SafeConsole(highlight=False, soft_wrap=False, markup=False)


def _styled(text: str, style: str | None):
    from rich.text import Text

    return Text(text, style=style or "")


def _plain_table_class():
    from rich.table import Table
    from rich.text import Text

    class PlainTable(Table):
        """Cells given as str are the user's text, never markup."""

        def add_row(self, *cells, **kwargs):  # type: ignore[override]
            super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **kwargs)

    return PlainTable


def _table(*columns: str, title: str | None = None):
    """A borderless table; a column named '>X' is right-aligned (amounts), '~X' may shrink."""
    from rich import box

    table = _plain_table_class()(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, collapse_padding=True)
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
    from .safe_text import json_text

    typer.echo(json_text(json.dumps(data, ensure_ascii=False, indent=2)))


def _rate_text(state: LoanState) -> str:
    from .present import rate_text

    return rate_text(state.loan, state.today)


def _status_text(status: str):
    return _styled(_(STATUS_LABELS.get(status, status)), "bold red" if status == "overdue" else None)


def _print_table(console, table) -> None:
    """Keep amounts, dates and statuses whole; only the '~' columns give up width."""
    from rich.text import Text

    def width(cell: object) -> int:
        if isinstance(cell, Text):
            return cell.cell_len
        return Text(cell).cell_len if isinstance(cell, str) else 0

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
    from rich.text import Text

    return Text.assemble(f"{v.cost.apr}%", (" !", "bold yellow") if v.warnings else "")


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
            ngettext("Overdue: {name}: {amount}, {days} day", "Overdue: {name}: {amount}, {days} days", st.days_overdue).format(
                name=st.loan.name, amount=fmt(st.overdue_amount, st.loan.currency, symbol=True), days=st.days_overdue
            ),
            style="bold red",
        )
    _print_table(console, _loans_table(views, wide=console.width >= 110))
    if any(v.warnings for v in views):
        console.print(_("! a rate warning applies: see 'debt loan show ID'"))
    from .present import utilisation_warning

    for st in states:
        warning = utilisation_warning(st)
        if warning:
            console.print("! " + warning, style="yellow")


# -- loan commands -------------------------------------------------------------
BasisOpt = Annotated[
    str | None,
    typer.Option(
        "--interest-basis",
        metavar="period|daily",
        help=_(
            "period: a full month at annual/12, part months by days at annual/360 (banks; the default); daily: every period by days (the default for --daily-rate)."
        ),
    ),
]
PenaltyOpt = Annotated[
    str | None,
    typer.Option(
        "--penalty-rate",
        metavar="PCT",
        help=_("Annual penalty rate on overdue principal and interest (罚息), e.g. 1.5 x the rate."),
    ),
]
EarlyFeesOpt = Annotated[
    str | None,
    typer.Option(
        "--early-fees", metavar="charge|waive", help=_("flat-fee: remaining monthly fees on early payoff (default charge).")
    ),
]
SpreadOpt = Annotated[
    str | None,
    typer.Option(
        "--lpr-spread", metavar="BP", help=_("Floating rate: five-year LPR plus this many basis points (instead of --rate).")
    ),
]
RepriceOpt = Annotated[
    str | None,
    typer.Option("--reprice", metavar="MM-DD", help=_("Floating rate: the yearly repricing day (default 01-01).")),
]
AutopayOpt = Annotated[
    bool | None,
    typer.Option(
        "--autopay/--no-autopay",
        help=_("Repaid by automatic deduction (代扣): each installment counts as paid on its due date once that day has passed."),
    ),
]
AutopayAccountOpt = Annotated[
    str | None,
    typer.Option("--autopay-account", metavar="TEXT", help=_("The account debited, e.g. 'ICBC card ****1234'.")),
]
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
    paid_until: Annotated[
        str | None,
        typer.Option(
            "--paid-until",
            metavar="DATE",
            help=_("Installments due up to this date were paid on time (a loan you are partway through)."),
        ),
    ] = None,
    interest_basis: BasisOpt = None,
    penalty_rate: PenaltyOpt = None,
    early_fees: EarlyFeesOpt = None,
    lpr_spread: SpreadOpt = None,
    reprice: RepriceOpt = None,
    autopay: AutopayOpt = None,
    autopay_account: AutopayAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a loan and show its schedule."""
    from .service import (
        LoanInput,
        add_loan,
        autopay_notice,
        build_loan,
        parse_paid_until,
        past_due_notice,
        record_paid_until,
        term_notice,
        view,
    )

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
        interest_basis=interest_basis,
        penalty_rate=penalty_rate,
        early_fees=early_fees,
        lpr_spread=lpr_spread,
        reprice=reprice,
        autopay=autopay,
        autopay_account=autopay_account,
    )
    if data.lender is None:
        raise BadInput(_("give the lender with --lender"))
    from .lpr import SHIPPED

    fixings = env.store(write=False).fixings() if env.db_path.is_file() else SHIPPED
    loan = build_loan(data, None, fixings)  # validated before the database file is created
    until = parse_paid_until(paid_until, loan, env.today)
    store = env.store()
    with store.write():
        state = add_loan(store, loan, env.today)
        if until is not None:
            state = record_paid_until(store, state.loan.id or 0, until, env.today)
    notices = [n for n in (term_notice(state.loan), past_due_notice(state), autopay_notice(state)) if n]
    _show_view(view(state, store.fixings()), as_json, added=True, notices=notices)


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
    v = loan_view(env.store(write=False), parse_id(loan_id, _("loan id")), env.today)
    if v.state.card is not None and not as_json:
        _show_card(v.state, False)
        return
    _show_view(v, as_json)


def _show_view(v, as_json: bool, *, added: bool = False, notices: list[str] | None = None) -> None:
    from .report import loan_detail

    state = v.state
    if as_json:
        out = loan_detail(state, v.cost, v.warnings)
        if added or notices:
            out["notices"] = notices or []
        _print_json(out)
        return
    loan, cur = state.loan, state.loan.currency
    console = _console()
    if added:
        console.print(_("Added loan {id}.").format(id=loan.id), style="green")
    from rich.text import Text

    console.print(Text.assemble((loan.name, "bold"), f"  #{loan.id}  {loan.lender}  ({_(KIND_LABELS[loan.kind])})"))
    term = _("{n} months").format(n=loan.term_months) if loan.term_months else _("no fixed term")
    console.print(
        _("{method}, {rate}, {term}, from {start}; first due {first}").format(
            method=_(METHOD_LABELS[loan.method]),
            rate=_rate_text(state),
            term=term,
            start=loan.start_date.isoformat(),
            # the schedule's first due date: a lump-sum loan's one installment is at the end, not a month in
            first=(state.schedule[0].installment.due_date if state.schedule else loan.first_due_date).isoformat(),
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
        console.print(_("True cost: APR not available ({reason})").format(reason=v.cost.note))
    for w in v.warnings:
        console.print(f"! {w.message}", style="yellow")
    for notice in notices or []:
        console.print(f"! {notice}", style="yellow")
    from .present import autopay_text, penalty_text, rate_history_text, seq_text

    for text in (rate_history_text(loan), penalty_text(state), autopay_text(loan)):
        if text:
            console.print(text)
    if state.overdue_amount:
        console.print(
            ngettext(
                "Overdue {amount} since {date} ({days} day)", "Overdue {amount} since {date} ({days} days)", state.days_overdue
            ).format(
                amount=fmt(state.overdue_amount, cur, symbol=True),
                date=state.overdue[0].installment.due_date.isoformat(),
                days=state.days_overdue,
            ),
            style="bold red",
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
            seq_text(inst.seq),
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
        loan = state.loan
        _repayments_table(console, list(state.repayments), {loan.id or 0: cur}, {loan.id or 0: loan.name})


def _repayments_table(console, reps: list, currency: dict[int, str], names: dict[int, str]) -> None:
    from .present import repayment_rows

    table = _table(_(">ID"), _("Loan"), _("Date"), _(">Amount"), _("~Note"), title=_("Repayments"))
    for row in repayment_rows(reps, names):
        table.add_row(row.ref, row.loan, row.date, fmt(row.amount, currency[row.loan_id]), row.note)
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
    interest_basis: BasisOpt = None,
    penalty_rate: PenaltyOpt = None,
    early_fees: EarlyFeesOpt = None,
    lpr_spread: SpreadOpt = None,
    reprice: RepriceOpt = None,
    autopay: AutopayOpt = None,
    autopay_account: AutopayAccountOpt = None,
    paid_until: Annotated[
        str | None,
        typer.Option(
            "--paid-until",
            metavar="DATE",
            help=_("Installments due up to this date were paid on time (the ones not yet recorded)."),
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a loan's terms; the schedule and statuses are recomputed (a rate change from a date: 'loan rate')."""
    from .service import LoanInput, autopay_notice, edit_loan, parse_id, parse_paid_until, record_paid_until, view

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
        interest_basis=interest_basis,
        penalty_rate=penalty_rate,
        early_fees=early_fees,
        lpr_spread=lpr_spread,
        reprice=reprice,
        autopay=autopay,
        autopay_account=autopay_account,
    )
    store = env.store(write=False)
    lid = parse_id(loan_id, _("loan id"))
    with store.write():
        was_autopay = store.get_loan(lid).autopay
        state = edit_loan(store, lid, data, env.today)
        until = parse_paid_until(paid_until, state.loan, env.today)
        if until is not None:
            state = record_paid_until(store, lid, until, env.today)
    notice = autopay_notice(state) if state.loan.autopay and not was_autopay else None
    if not as_json:
        _console().print(_("Updated loan {id}.").format(id=state.loan.id), style="green")
    _show_view(view(state, store.fixings()), as_json, notices=[notice] if notice else None)


@loan_app.command("rate")
def loan_rate(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="LOAN_ID", help=_("Loan id."))],
    rate: Annotated[str, typer.Argument(metavar="PCT", help=_("The new annual rate in percent."))],
    start: Annotated[str, typer.Option("--from", metavar="DATE", help=_("The first day of the new rate."))],
    as_json: JsonOpt = False,
) -> None:
    """Record a rate change (an LPR reset): periods starting on or after --from are charged the new rate."""
    from .dates import parse_date
    from .report import loan_detail
    from .service import change_rate, parse_id

    env = _env(ctx)
    store = env.store(write=False)
    before, after = change_rate(store, parse_id(loan_id, _("loan id")), rate, start, env.today)
    if as_json:
        _print_json(loan_detail(after))
        return
    cur = after.loan.currency
    console = _console()
    day = next(d for d, _r in reversed(after.loan.rate_history) if d <= parse_date(start))
    console.print(
        _("Loan {id}: {rate}% from {date}.").format(
            id=after.loan.id, rate=percent_str(after.loan.rate_on(day)), date=day.isoformat()
        ),
        style="green",
    )
    old_next, new_next = before.next_due, after.next_due
    if new_next is not None:
        line = _("Next due {date}: {amount}").format(
            date=new_next.installment.due_date.isoformat(), amount=fmt(new_next.unpaid, cur, symbol=True)
        )
        if old_next is not None and old_next.unpaid != new_next.unpaid:
            line += " " + _("(was {amount})").format(amount=fmt(old_next.unpaid, cur, symbol=True))
        console.print(line)
    console.print(
        _("Interest still to pay: {amount} (was {before}).").format(
            amount=fmt(_interest_left(after), cur, symbol=True), before=fmt(_interest_left(before), cur, symbol=True)
        )
    )


def _interest_left(state: LoanState) -> int:
    return sum(s.installment.interest - s.paid_interest for s in state.schedule)


@loan_app.command("payoff")
def loan_payoff(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="LOAN_ID", help=_("Loan id."))],
    date: Annotated[str | None, typer.Option("--date", help=_("The day you would pay (default today)."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """What closes the loan on a day (提前结清金额): principal, interest to that day, fees, penalty."""
    from .money import to_str
    from .present import payoff_parts
    from .report import payoff_item
    from .service import parse_id, payoff

    env = _env(ctx)
    quote = payoff(env.store(write=False), parse_id(loan_id, _("loan id")), date, env.today)
    if as_json:
        _print_json(payoff_item(quote))
        return
    cur = quote.currency
    console = _console()
    console.print(
        _("To close loan {id} on {date}: {total}").format(
            id=quote.loan_id, date=quote.date.isoformat(), total=fmt(quote.total, cur, symbol=True)
        ),
        style="bold",
    )
    for label, amount in payoff_parts(quote):
        console.print(f"  {label:<10} {fmt(amount, cur, symbol=True):>16}")
    if quote.total:
        console.print(
            _("Record it with: debt repay {id} {amount} --date {date} --prepay").format(
                id=quote.loan_id, amount=to_str(quote.total, cur), date=quote.date.isoformat()
            )
        )


@loan_app.command("missed")
def loan_missed(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="LOAN_ID", help=_("Loan id."))],
    seq: Annotated[str, typer.Argument(metavar="SEQ", help=_("The installment number whose deduction failed."))],
    undo: Annotated[bool, typer.Option("--undo", help=_("The deduction went through after all."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a failed automatic deduction (余额不足): the installment becomes overdue until you pay it."""
    from .money import to_str
    from .report import loan_summary, schedule_item
    from .service import mark_missed, parse_id

    env = _env(ctx)
    lid = parse_id(loan_id, _("loan id"))
    number = parse_id(seq, _("installment number"))
    state = mark_missed(env.store(write=False), lid, number, env.today, undo=undo)
    line = next(s for s in state.schedule if s.installment.seq == number)
    cur = state.loan.currency
    if as_json:
        _print_json({"loan": loan_summary(state), "installment": schedule_item(line, cur), "missed": number in state.loan.missed})
        return
    console = _console()
    if undo:
        console.print(_("Installment {seq} of loan {id} counts as deducted again.").format(seq=number, id=lid), style="green")
    else:
        console.print(
            _("Installment {seq} of loan {id}: the deduction failed; {amount} is {status}.").format(
                seq=number, id=lid, amount=fmt(line.unpaid, cur, symbol=True), status=_status_text(line.status)
            ),
            style="yellow",
        )
        if line.unpaid:
            console.print(_("Once you pay it: debt repay {id} {amount}").format(id=lid, amount=to_str(line.unpaid, cur)))
    console.print(
        _("Outstanding principal {amount}; status {status}.").format(
            amount=fmt(state.outstanding_principal, cur, symbol=True), status=_status_text(state.status)
        )
    )


def _confirm(yes: bool, question: str, what: str) -> None:
    from .safe_text import visible
    from .service import require_confirmation

    if not yes and sys.stdin.isatty():
        yes = typer.confirm(visible(question), default=False)
    require_confirmation(yes, what)


@loan_app.command("delete")
def loan_delete(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="ID", help=_("Loan id."))],
    yes: YesOpt = False,
) -> None:
    """Delete a loan and all of its repayments."""
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    lid = parse_id(loan_id, _("loan id"))
    name = store.loan_name(lid)  # readable even when the loan's other values are damaged
    count = store.repayment_count(lid)
    _confirm(
        yes,
        ngettext(
            "Delete loan {id} '{name}' and its {n} repayment?", "Delete loan {id} '{name}' and its {n} repayments?", count
        ).format(id=lid, name=name, n=count),
        _("delete loan {id}").format(id=lid),
    )
    store.delete_loan(lid)
    _echo(
        ngettext("Deleted loan {id} '{name}' and {n} repayment.", "Deleted loan {id} '{name}' and {n} repayments.", count).format(
            id=lid, name=name, n=count
        )
    )


# -- repayments ----------------------------------------------------------------
@app.command("repay")
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
    from .present import latest_effect, prepay_lines, stand_in_text
    from .report import loan_summary, prepay_item, repayment_item
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
    effect = latest_effect(state, rep.id)
    if as_json:
        _print_json(
            {
                "repayment": repayment_item(rep, cur),
                "loan": loan_summary(state),
                "credit": to_str(state.credit, cur),
                "prepayment": prepay_item(effect, cur) if effect else None,
                "replaces_deduction": next((seq for rid, seq in state.stand_ins if rid == rep.id), None),
            }
        )
        return
    console = _console()
    console.print(
        _("Recorded repayment {id}: {amount} to {name} on {date}.").format(
            id=rep.id, amount=fmt(rep.amount, cur, symbol=True), name=state.loan.name, date=rep.date.isoformat()
        ),
        style="green",
    )
    for text in prepay_lines(effect, cur) if effect else []:
        console.print(text)
    for rep_id, seq in state.stand_ins:
        if rep_id == rep.id:
            console.print(stand_in_text(seq))
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
    """List repayments, oldest first (an auto-debit loan's deductions too)."""
    from .report import repayment_item
    from .service import parse_id, repayments_with_deductions

    env = _env(ctx)
    store = env.store(write=False)
    lid = parse_id(loan, _("loan id")) if loan is not None else None
    if lid is not None:
        store.get_loan(lid)
    currency = {ln.id: ln.currency for ln in store.loans()}
    # a damaged loan's are skipped (and named); an auto-debit loan's deductions are listed with the rest
    reps = [r for r in repayments_with_deductions(store, env.today, lid) if r.loan_id in currency]
    if as_json:
        _print_json([repayment_item(r, currency[r.loan_id]) for r in reps])
        return
    console = _console()
    if not reps:
        console.print(_("No repayments recorded."))
        return
    names = {ln.id or 0: ln.name for ln in store.loans()}
    _repayments_table(console, reps, currency, names)


@repayment_app.command("delete")
def repayment_delete(
    ctx: typer.Context,
    rep_id: Annotated[str, typer.Argument(metavar="ID", help=_("Repayment id (see 'debt repayment list')."))],
    yes: YesOpt = False,
) -> None:
    """Delete a repayment recorded by mistake; statuses are recomputed."""
    from .service import delete_repayment, parse_id

    env = _env(ctx)
    store = env.store(write=False)
    rid = parse_id(rep_id, _("repayment id"))
    rep = store.get_repayment(rid)
    owner = store.get_loan(rep.loan_id)
    cur = owner.currency
    _confirm(
        yes,
        _("Delete repayment {id} ({amount} on {date} to {loan})?").format(
            id=rid, amount=fmt(rep.amount, cur, symbol=True), date=rep.date.isoformat(), loan=owner.name
        ),
        _("delete repayment {id}").format(id=rid),
    )
    _rep, state = delete_repayment(store, rid, env.today)
    _echo(
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
    interest_basis: BasisOpt = None,
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
        interest_basis=interest_basis,
    )
    # the LPR line comes from your LPR table when a database exists; reading creates nothing
    from .lpr import SHIPPED

    fixings = env.store(write=False).fixings() if env.db_path.is_file() else SHIPPED
    q = quote(data, env.today, fixings)
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
    label = _("At maturity      {amount}") if q.loan.method == "bullet" else _("Monthly payment  {amount}")
    console.print(label.format(amount=pay))
    console.print(_("Total repaid     {amount}").format(amount=fmt(q.total_repaid, cur, symbol=True)))
    console.print(_("Total cost       {amount}").format(amount=fmt(q.total_cost, cur, symbol=True)))
    if q.cost.apr is None:
        console.print(_("APR not available: {reason}").format(reason=q.cost.note))
    else:
        console.print(_("APR {apr}%   EAR {ear}%").format(apr=q.cost.apr, ear=q.cost.ear), style="bold")
    for w in q.warnings:
        console.print(f"! {w.message}", style="yellow")


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
        "avalanche": _("Avalanche"),
        "snowball": _("Snowball"),
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
    others = sorted({ln.currency for ln in env.store(write=False).loans()} - {cur})
    if others:
        console.print(
            _("Loans in {currencies} are not in this plan; plan them with --currency.").format(currencies=", ".join(others))
        )
    _print_table(console, table)
    loans = _table(_("~Loan"), *[_("Paid off ({name})").format(name=labels[k]) for k in [*names, "schedule"]])
    for n, lp in enumerate(baseline.loans):
        loans.add_row(
            lp.name,
            *[
                (plans[k].loans[n].payoff_date.isoformat() if plans[k].loans[n].payoff_date else "-")
                for k in [*names, "schedule"]
            ],
        )
    _print_table(console, loans)
    from .present import PLAN_EXPLAINED, short_months_text

    short = short_months_text(plans[names[0]], cur) if names else None
    if short:
        console.print(f"! {short}", style="yellow")
    console.print(_(PLAN_EXPLAINED))


def parse_budget_for_display(text: str, currency: str) -> int:
    from .money import parse_amount

    return parse_amount(text, currency)


# -- credit health -------------------------------------------------------------


def income_item(income) -> dict[str, Any]:
    from .report import income_item as item

    return item(income)


def credit_check_item(check) -> dict[str, Any]:
    from .report import credit_check_item as item

    return item(check)


income_app = typer.Typer(help=_("Monthly incomes for the debt-to-income ratio."), no_args_is_help=True)
check_app = typer.Typer(help=_("Log your free credit-report checks and what they found."), no_args_is_help=True)
audit_app = typer.Typer(help=_("The app-permission checklist: lending apps, WeChat, Alipay, your phone."), no_args_is_help=True)
app.add_typer(income_app, name="income")
app.add_typer(check_app, name="credit-check")
app.add_typer(audit_app, name="audit")


@income_app.command("add")
def income_add(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help=_("Where it comes from, e.g. 工资 salary."))],
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help=_("Monthly amount after tax."))],
    start: Annotated[str | None, typer.Option("--from", help=_("First month it counts (default this month)."))] = None,
    end: Annotated[str | None, typer.Option("--to", help=_("Last day it counts (open-ended if left out)."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a monthly income; a raise is a new entry from a date."""
    from .health import add_income

    env = _env(ctx)
    income = add_income(env.store(), source, amount, start=start, end=end, today=env.today)
    if as_json:
        _print_json(income_item(income))
        return
    _echo(
        _("Added income {id}: {source}, {amount} a month from {start}.").format(
            id=income.id, source=income.source, amount=fmt(income.amount, symbol=True), start=income.start_date.isoformat()
        )
    )


@income_app.command("list")
def income_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List incomes."""
    env = _env(ctx)
    incomes = env.store(write=False).incomes()
    if as_json:
        _print_json([income_item(i) for i in incomes])
        return
    console = _console()
    if not incomes:
        console.print(_("No incomes yet. Add one with 'debt income add SOURCE AMOUNT'."))
        return
    table = _table(_(">ID"), _("~Source"), _(">Monthly"), _("From"), _("To"))
    for i in incomes:
        table.add_row(
            str(i.id),
            i.source,
            fmt(i.amount, i.currency),
            i.start_date.isoformat(),
            i.end_date.isoformat() if i.end_date else "-",
        )
    _print_table(console, table)


@income_app.command("end")
def income_end(
    ctx: typer.Context,
    income_id: Annotated[str, typer.Argument(metavar="ID", help=_("Income id."))],
    end: Annotated[str, typer.Option("--to", help=_("Last day it counts."))],
) -> None:
    """Set the last day an income counts (a job that ended)."""
    from .health import end_income
    from .service import parse_id

    env = _env(ctx)
    income = end_income(env.store(write=False), parse_id(income_id, _("income id")), end)
    _echo(_("Income {id} now ends on {date}.").format(id=income.id, date=income.end_date.isoformat()))


@income_app.command("delete")
def income_delete(
    ctx: typer.Context, income_id: Annotated[str, typer.Argument(metavar="ID", help=_("Income id."))], yes: YesOpt = False
) -> None:
    """Delete an income entered by mistake (an income that stopped: 'income end')."""
    from .money import fmt as money
    from .service import parse_id

    env = _env(ctx)
    iid = parse_id(income_id, _("income id"))
    store = env.store(write=False)
    income = store.get_income(iid)
    _confirm(
        yes,
        _("Delete income {id} ({source}, {amount} a month from {start})?").format(
            id=iid,
            source=income.source,
            amount=money(income.amount, income.currency, symbol=True),
            start=income.start_date.isoformat(),
        ),
        _("delete income {id}").format(id=iid),
    )
    store.delete_income(iid)
    _echo(_("Deleted income {id}.").format(id=iid))


def _dti_json(m) -> dict[str, Any]:
    from .money import to_str

    return {
        "month": m.month.strftime("%Y-%m"),
        "income": to_str(m.income),
        "obligations": to_str(m.obligations),
        "ratio": None if m.ratio is None else float(m.ratio),  # a ratio, not money: JSON number with 4 decimals
        "status": m.status,
    }


DTI_STATUS = {"ok": _("ok"), "caution": _("caution"), "warning": _("warning"), "no-income": _("no income")}


@app.command("dti")
def dti(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help=_("The month to report (default this month)."))
    ] = None,
    months: Annotated[str, typer.Option("--months", help=_("Months of history and of projection."))] = "12",
    add_payment: Annotated[
        str | None, typer.Option("--add-payment", help=_("What if you took on a new monthly payment of this size?"))
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Debt-to-income: this month's debt payments against income, its history and projection."""
    from .health import dti_report
    from .money import to_str

    env = _env(ctx)
    from .service import parse_count

    r = dti_report(
        env.store(write=False), env.today, month=month, months=parse_count(months, "--months"), add_payment=add_payment
    )
    if as_json:
        data = _dti_json(r.current)
        data.update(
            {
                "currency": "CNY",
                "threshold": float(r.threshold),  # a ratio, not money
                "history": [_dti_json(m) for m in r.history],
                "projection": [_dti_json(m) for m in r.projection],
                "back_below_threshold": r.back_below_threshold.strftime("%Y-%m") if r.back_below_threshold else None,
                "what_if": None if r.what_if is None else {**_dti_json(r.what_if), "payment": to_str(r.added_payment or 0)},
            }
        )
        _print_json(data)
        return
    console = _console()
    c = r.current
    console.print(_("Debt-to-income for {month}").format(month=c.month.strftime("%Y-%m")), style="bold")
    console.print(
        _("Income {income} · debt payments {obligations}").format(
            income=fmt(c.income, symbol=True), obligations=fmt(c.obligations, symbol=True)
        )
    )
    if c.ratio is None:
        console.print(_("No income recorded for this month: add one with 'debt income add SOURCE AMOUNT'."))
    else:
        style = {"ok": "green", "caution": "yellow", "warning": "bold red"}[c.status]
        console.print(
            _("Ratio {ratio:.1%}: {status} (warning above {line:.0%})").format(
                ratio=c.ratio, status=DTI_STATUS[c.status], line=r.threshold
            ),
            style=style,
        )
        if c.status == "warning":
            when = r.back_below_threshold.strftime("%Y-%m") if r.back_below_threshold else _("not within the schedules")
            console.print(
                _("Your debt payments are more than half of your income. Back at or below the line: {when}.").format(when=when)
            )
    if r.contributors:
        console.print(
            _("Largest payments this month: {items}").format(
                items=", ".join(f"{st.loan.name} {fmt(a, st.loan.currency)}" for st, a in r.contributors[:3])
            )
        )
    if r.what_if is not None:
        w = r.what_if
        ratio = "-" if w.ratio is None else f"{w.ratio:.1%}"
        console.print(
            _("With a new payment of {amount}: ratio {ratio}, {status}.").format(
                amount=fmt(r.added_payment or 0, symbol=True), ratio=ratio, status=DTI_STATUS[w.status]
            ),
            style="bold",
        )
    points = [m for m in [*r.history, c, *r.projection] if m.ratio is not None]
    if len(points) > 1:
        from rich.text import Text

        console.print(Text.from_ansi(_dti_chart(points, r.threshold, c.month)), no_wrap=True, overflow="crop")


def _dti_chart(points, threshold, current) -> str:
    """A terminal line chart of the ratio with the warning line (plotext, imported only here)."""
    import plotext as plt

    plt.clear_figure()
    labels = [m.month.strftime("%y-%m") for m in points]
    xs = list(range(len(points)))
    plt.plot(xs, [float(m.ratio) * 100 for m in points], label=_("ratio %"), marker="braille")
    plt.hline(float(threshold) * 100, "red")  # the warning ratio, as a percent
    step = max(1, len(xs) // 6)
    plt.xticks(xs[::step], labels[::step])
    plt.plotsize(min(_console().width - 1, 100), 14)
    plt.theme("clear")
    plt.title(_("Debt payments as % of income (red: warning line); now {month}").format(month=current.strftime("%Y-%m")))
    return plt.build()


@check_app.command("log")
def check_log(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option("--date", help=_("When you checked (default today)."))] = None,
    channel: Annotated[str | None, typer.Option("--channel", help=_("Where: the PBOC website, a bank app, a branch…"))] = None,
    findings: Annotated[str | None, typer.Option("--findings", help=_("What the report showed."))] = None,
    anomalies: Annotated[str | None, typer.Option("--anomalies", help=_("How many entries looked wrong."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a credit-report check."""
    from .health import check_plan, log_credit_check

    env = _env(ctx)
    store = env.store()
    check = log_credit_check(store, env.today, date=date, channel=channel, findings=findings, anomalies=anomalies)
    if as_json:
        _print_json(credit_check_item(check))
        return
    _echo(_("Logged credit check {id} on {date}.").format(id=check.id, date=check.date.isoformat()))
    if check.anomalies:
        _echo(
            ngettext(
                "{n} entry looked wrong: dispute it with the Credit Reference Center or the lender (free; a written answer is due within 20 days), then record the outcome with 'debt credit-check edit {id} --follow-up ...'.",
                "{n} entries looked wrong: dispute them with the Credit Reference Center or the lender (free; a written answer is due within 20 days), then record the outcome with 'debt credit-check edit {id} --follow-up ...'.",
                check.anomalies,
            ).format(n=check.anomalies, id=check.id)
        )
    _echo(check_plan(store, env.today).reason)


@check_app.command("list")
def check_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List logged checks and when the next free check is due."""
    from .health import check_plan

    env = _env(ctx)
    store = env.store(write=False)
    checks = store.credit_checks()
    plan = check_plan(store, env.today)
    if as_json:
        _print_json(
            {
                "checks": [credit_check_item(c) for c in checks],
                "next": {"due": plan.due, "date": plan.date.isoformat(), "reason": plan.reason},
            }
        )
        return
    console = _console()
    if checks:
        table = _table(_(">ID"), _("Date"), _("~Channel"), _(">Anomalies"), _("~Findings"), _("~Follow-up"))
        for c in checks:
            table.add_row(str(c.id), c.date.isoformat(), c.channel, str(c.anomalies), c.findings, c.follow_up)
        _print_table(console, table)
    else:
        console.print(_("No checks logged yet. You are entitled to two free credit reports a year."))
    from rich.text import Text

    console.print(Text.assemble((_("Due now: "), "bold yellow") if plan.due else "", plan.reason))


@check_app.command("show")
def check_show(
    ctx: typer.Context, check_id: Annotated[str, typer.Argument(metavar="ID", help=_("Check id."))], as_json: JsonOpt = False
) -> None:
    """One logged check: when, where, what it found and what you did about it."""
    from .service import parse_id

    env = _env(ctx)
    check = env.store(write=False).get_credit_check(parse_id(check_id, _("check id")))
    if as_json:
        _print_json(credit_check_item(check))
        return
    for label, value in (
        (_("Date"), check.date.isoformat()),
        (_("Channel"), check.channel or "-"),
        (_("Findings"), check.findings or "-"),
        (_("Anomalies"), str(check.anomalies)),
        (_("Follow-up"), check.follow_up or "-"),
    ):
        _echo(f"{label}: {value}")


@check_app.command("edit")
def check_edit(
    ctx: typer.Context,
    check_id: Annotated[str, typer.Argument(metavar="ID", help=_("Check id."))],
    date: Annotated[str | None, typer.Option("--date", help=_("When you checked."))] = None,
    channel: Annotated[str | None, typer.Option("--channel", help=_("Where."))] = None,
    findings: Annotated[str | None, typer.Option("--findings", help=_("What the report showed."))] = None,
    anomalies: Annotated[str | None, typer.Option("--anomalies", help=_("How many entries looked wrong."))] = None,
    follow_up: Annotated[str | None, typer.Option("--follow-up", help=_("What happened next: disputed, corrected…"))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a follow-up: an anomaly disputed, resolved."""
    from .health import edit_credit_check
    from .service import parse_id

    env = _env(ctx)
    check = edit_credit_check(
        env.store(write=False),
        parse_id(check_id, _("check id")),
        env.today,
        date=date,
        channel=channel,
        findings=findings,
        anomalies=anomalies,
        follow_up=follow_up,
    )
    if as_json:
        _print_json(credit_check_item(check))
        return
    _echo(_("Updated credit check {id}.").format(id=check.id))


@check_app.command("delete")
def check_delete(
    ctx: typer.Context, check_id: Annotated[str, typer.Argument(metavar="ID", help=_("Check id."))], yes: YesOpt = False
) -> None:
    """Delete a credit check logged by mistake (it no longer counts as one of the year's free checks)."""
    from .health import delete_credit_check
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    cid = parse_id(check_id, _("check id"))
    check = store.get_credit_check(cid)
    _confirm(
        yes,
        _("Delete the credit check of {date} ({channel})?").format(date=check.date.isoformat(), channel=check.channel or "-"),
        _("delete credit check {id}").format(id=cid),
    )
    delete_credit_check(store, cid)
    _echo(_("Deleted the credit check of {date}.").format(date=check.date.isoformat()))


def _audit_json(item, today: dt.date, interval: int) -> dict[str, Any]:
    from .audit import is_due, localised

    shown = localised(item)
    return {
        "id": item.id,
        "app": shown.app,
        "permission": shown.permission,
        "instruction": shown.instruction,
        "why": shown.why,
        "status": item.status,
        "last_done": item.last_done.isoformat() if item.last_done else None,
        "due": is_due(item, today, interval),
    }


@audit_app.command("list")
def audit_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The checklist, due items first."""
    from .health import audit_interval, audit_items

    env = _env(ctx)
    store = env.store(write=False)
    interval = audit_interval(store)
    rows = [_audit_json(i, env.today, interval) for i in audit_items(store)]
    rows.sort(key=lambda r: (not r["due"], r["id"]))
    if as_json:
        _print_json(rows)
        return
    console = _console()
    done = sum(1 for r in rows if r["status"] == "done" and not r["due"])
    skipped = sum(1 for r in rows if r["status"] == "skipped")
    console.print(
        _(
            "App-permission audit: {done} of {total} checked, {skipped} not applicable; menu paths vary with app and phone versions."
        ).format(done=done, total=len(rows) - skipped, skipped=skipped),
        style="bold",
    )
    for r in rows:
        from rich.text import Text

        mark = ("!", "bold yellow") if r["due"] else ("-" if r["status"] == "skipped" else ("✓", "green"))
        when = f" ({r['last_done']})" if r["last_done"] else ""
        console.print(Text.assemble(mark, f" {r['id']:>2}  ", (f"{r['app']}: {r['permission']}", "bold"), when))
        if r["due"]:
            console.print(f"       {r['instruction']}")
            if r["why"]:
                console.print(f"       {r['why']}", style="dim")


@audit_app.command("add")
def audit_add_cmd(
    ctx: typer.Context,
    app_name: Annotated[str, typer.Argument(metavar="APP", help=_("The app, e.g. a lending app's name."))],
    permission: Annotated[str, typer.Argument(metavar="PERMISSION", help=_("What to check, e.g. contacts."))],
    instruction: Annotated[str | None, typer.Option("--instruction", help=_("Where the setting is."))] = None,
) -> None:
    """Add your own item (a lending app you use, say)."""
    from .health import audit_add

    env = _env(ctx)
    item = audit_add(env.store(), app_name, permission, instruction)
    _echo(_("Added audit item {id}: {app}: {permission}.").format(id=item.id, app=item.app, permission=item.permission))


@audit_app.command("done")
def audit_done_cmd(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help=_("Item id."))],
    date: Annotated[str | None, typer.Option("--date", help=_("When you did it (default today)."))] = None,
) -> None:
    """Mark an item done; it comes back after audit.interval_days."""
    from .health import audit_done, audit_interval
    from .service import parse_id

    env = _env(ctx)
    store = env.store()
    item = audit_done(store, parse_id(item_id, _("item id")), env.today, date)
    again = item.last_done + dt.timedelta(days=audit_interval(store))
    _echo(_("Done: item {id}. Check it again from {date}.").format(id=item.id, date=again.isoformat()))


@audit_app.command("skip")
def audit_skip_cmd(ctx: typer.Context, item_id: Annotated[str, typer.Argument(metavar="ID", help=_("Item id."))]) -> None:
    """Mark an item not applicable (never due until reset)."""
    from .health import audit_skip
    from .service import parse_id

    env = _env(ctx)
    item = audit_skip(env.store(), parse_id(item_id, _("item id")))
    _echo(_("Skipped item {id}.").format(id=item.id))


@audit_app.command("undo")
def audit_undo_cmd(ctx: typer.Context, item_id: Annotated[str, typer.Argument(metavar="ID", help=_("Item id."))]) -> None:
    """Untick one item ticked or skipped by mistake: it is open again."""
    from .health import audit_undo
    from .service import parse_id

    env = _env(ctx)
    item = audit_undo(env.store(write=False), parse_id(item_id, _("item id")))
    _echo(_("Audit item {id} is open again.").format(id=item.id))


@audit_app.command("reset")
def audit_reset_cmd(ctx: typer.Context) -> None:
    """Start the checklist over: every item open and due."""
    from .health import audit_reset

    env = _env(ctx)
    n = audit_reset(env.store())
    _echo(_("Reset {n} audit items.").format(n=n))


@app.command("remind")
def remind(
    ctx: typer.Context,
    within: Annotated[
        str, typer.Option("--within", metavar="DAYS", help=_("Show installments due within this many days."))
    ] = "7",
    as_json: JsonOpt = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", help=_("For cron: only money and the credit check, and nothing at all when none is due.")),
    ] = False,
    show_all: Annotated[bool, typer.Option("--all", help=_("With --quiet: the app-audit items too."))] = False,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", metavar="FILE", help=_("Also write an iCalendar file of the plan and upcoming installments.")),
    ] = None,
) -> None:
    """What is due: installments, overdue payments, the free credit check, audit items."""
    from .health import due_reminders
    from .money import to_str

    env = _env(ctx)
    store = env.store(write=False)
    from .service import parse_count

    within_days = parse_count(within, "--within")
    items = due_reminders(store, env.today, within_days)
    if quiet and not show_all:  # a daily cron mail is for what costs money; the audit can wait for the app
        items = [r for r in items if r.kind != "audit"]
    if ics is not None:
        from .ics import build_calendar
        from .service import loan_states, settings_view

        if ics.is_dir() or not ics.parent.exists():
            raise BadInput(_("cannot write the calendar to {path}").format(path=ics))
        data = build_calendar(
            loan_states(store, env.today, include_closed=False), settings_view(store)["credit_check.rule"], env.today
        )
        from .files import write_private

        write_private(ics, data)
    if as_json:
        out = []
        for r in items:
            row: dict[str, Any] = {"kind": r.kind, "date": r.date.isoformat(), "title": r.title}
            if r.loan_id is not None:
                row["loan_id"] = r.loan_id
            if r.amount is not None:
                row["amount"] = to_str(r.amount, r.currency or "CNY")
                row["currency"] = r.currency
            if r.days_overdue is not None:
                row["days_overdue"] = r.days_overdue
            if r.installments is not None:
                row["installments"] = r.installments
            if r.item_id is not None:
                row["item_id"] = r.item_id
            if r.account is not None:
                row["account"] = r.account
            out.append(row)
        _print_json(out)
        return
    if not items:
        if not quiet:
            _echo(
                ngettext("Nothing due in the next {days} day.", "Nothing due in the next {days} days.", within_days).format(
                    days=within_days
                )
            )
        return
    console = _console()
    audits = [r for r in items if r.kind == "audit"]
    for r in items:
        if r.kind == "audit":
            continue
        shown = r.amount is not None and r.kind != "deduction"  # a deduction's title says how much to keep
        amount = f"  {fmt(r.amount or 0, r.currency or 'CNY', symbol=True)}" if shown else ""
        style = {"overdue": "bold red", "credit-check": "yellow"}.get(r.kind)
        line = f"{r.date.isoformat()}  {r.title}{amount}"
        console.print(line, style=style)
    if audits:
        console.print(_("App audit: {n} items due (see 'debt audit list').").format(n=len(audits)))
    if ics is not None:
        console.print(_("Wrote {path}.").format(path=ics))


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
        _echo(f"{k} = {v}    # {_(SETTINGS[k].help)}")


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
    get_setting(key).parse(value)  # an unknown key or bad value is refused before the database is created
    clean = set_setting(env.store(write=False) if env.db_path.exists() else env.store(), key, value)
    _echo(f"{key} = {clean}")


# -- the LPR table -----------------------------------------------------------------
card_app = typer.Typer(
    help=_("Credit cards by their bills: add a card, record each bill, see what it costs."), no_args_is_help=True
)
app.add_typer(card_app, name="card")

CardIdArg = Annotated[str, typer.Argument(metavar="CARD_ID", help=_("The card's id (its loan id)."))]


def _card_options(name, lender, limit, bill_day, due_day, daily_rate, min_rate, interest, late_fee_rate, currency, start, notes):
    from .card_service import CardInput

    return CardInput(
        name=name,
        lender=lender,
        limit=limit,
        bill_day=bill_day,
        due_day=due_day,
        daily_rate=daily_rate,
        min_rate=min_rate,
        interest=interest,
        late_fee_rate=late_fee_rate,
        currency=currency,
        start=start,
        notes=notes,
    )


LimitOpt = Annotated[str | None, typer.Option("--limit", metavar="AMOUNT", help=_("The credit limit (额度)."))]
BillDayOpt = Annotated[
    str | None, typer.Option("--bill-day", metavar="D", help=_("The day of the month the bill is made (账单日)."))
]
DueDayOpt = Annotated[
    str | None, typer.Option("--due-day", metavar="D", help=_("The day of the month the bill is due (还款日)."))
]
CardRateOpt = Annotated[
    str | None,
    typer.Option("--daily-rate", metavar="PCT", help=_("Interest per day in percent on what is carried (default 0.05).")),
]
MinRateOpt = Annotated[
    str | None, typer.Option("--min-rate", metavar="PCT", help=_("The minimum payment in percent of the bill (default 10)."))
]
InterestRuleOpt = Annotated[
    str | None,
    typer.Option(
        "--interest",
        metavar="full|unpaid",
        help=_("A bill not paid in full: interest on the whole bill (full, the default) or only on the unpaid part."),
    ),
]
LateFeeOpt = Annotated[
    str | None,
    typer.Option("--late-fee-rate", metavar="PCT", help=_("Late fee (违约金) in percent of the unpaid minimum (default 5).")),
]


def _show_card(state, as_json: bool, headline: str | None = None) -> None:
    from .card_service import card_view

    if as_json:
        _print_json(card_view(state))
        return
    card, cs, cur = state.loan, state.card, state.loan.currency
    console = _console()
    if headline:
        console.print(headline, style="green")
    from rich.text import Text

    console.print(Text.assemble((card.name, "bold"), f"  #{card.id}  {card.lender}"))
    console.print(
        _("Limit {limit} · bill day {bill} · due day {due} · {rate}%/day · minimum {min}% · interest: {rule}").format(
            limit=fmt(card.credit_limit or 0, cur, symbol=True),
            bill=card.bill_day,
            due=card.due_day,
            rate=card.quoted_rate,
            min=card.min_payment_rate,
            rule=_("on the whole bill") if card.card_interest == "full" else _("on the unpaid part"),
        )
    )
    console.print(
        _("Balance {balance} · available {available} · {pct}% of the limit used").format(
            balance=fmt(cs.balance, cur, symbol=True),
            available=fmt(cs.available, cur, symbol=True),
            pct=(cs.utilisation * 100).quantize(Decimal("0.1")),
        ),
        style="bold",
    )
    from .present import utilisation_warning

    warning = utilisation_warning(state)
    if warning:
        console.print("! " + warning, style="yellow")
    if cs.overdue_amount:
        console.print(
            ngettext(
                "Overdue {amount} ({days} day): pay at least this to stop the late fees",
                "Overdue {amount} ({days} days): pay at least this to stop the late fees",
                cs.days_overdue,
            ).format(amount=fmt(cs.overdue_amount, cur, symbol=True), days=cs.days_overdue),
            style="bold red",
        )
    if cs.next_due:
        b = cs.next_due
        console.print(
            _("Next due {date}: {full} in full (no interest), at least {minimum}").format(
                date=b.due_date.isoformat(),
                full=fmt(b.unpaid, cur, symbol=True),
                minimum=fmt(max(b.minimum - b.paid, 0), cur, symbol=True),
            )
        )
    if not cs.bills:
        console.print(_("No bills yet: record each statement with 'debt card bill {id} AMOUNT --date DATE'.").format(id=card.id))
        return
    table = _table(
        _("Bill date"), _("Due date"), _(">Amount"), _(">Minimum"), _(">Paid"), _("Status"), _(">Interest"), _(">Late fee"),
        title=_("Bills"),
    )  # fmt: skip
    for b in cs.bills:
        table.add_row(
            b.bill.date.isoformat(),
            b.due_date.isoformat(),
            fmt(b.bill.owed, cur),
            fmt(b.minimum, cur),
            fmt(b.paid, cur),
            _status_text(b.status),
            fmt(b.interest_estimate, cur),
            fmt(b.late_fee, cur),
            style="red" if b.status == "overdue" else None,
        )
    _print_table(console, table)


@card_app.command("add")
def card_add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help=_("A name you will recognise, e.g. 招行信用卡."))] = None,
    lender: Annotated[str | None, typer.Option("--lender", help=_("The issuing bank."))] = None,
    limit: LimitOpt = None,
    bill_day: BillDayOpt = None,
    due_day: DueDayOpt = None,
    daily_rate: CardRateOpt = None,
    min_rate: MinRateOpt = None,
    interest: InterestRuleOpt = None,
    late_fee_rate: LateFeeOpt = None,
    currency: Annotated[str | None, typer.Option("--currency", help=_("Currency code (default CNY)."))] = None,
    start: Annotated[
        str | None, typer.Option("--start", help=_("Since when you have it (default today; an earlier bill moves it back)."))
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Free text."))] = None,
    from_loan: Annotated[
        str | None, typer.Option("--from-loan", metavar="ID", help=_("Make this revolving loan a card (same id and repayments)."))
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a credit card; then record its bills with 'card bill' and pay them with 'repay'."""
    from .card_service import add_card, build_card, card_from_loan
    from .service import parse_id

    env = _env(ctx)
    data = _card_options(
        name, lender, limit, bill_day, due_day, daily_rate, min_rate, interest, late_fee_rate, currency, start, notes
    )
    if from_loan is not None:
        if currency is not None:
            raise BadInput(_("a card made from a loan keeps its currency; leave out --currency"))
        state = card_from_loan(env.store(write=False), parse_id(from_loan, _("loan id")), data, env.today)
        _show_card(state, as_json, _("Loan {id} is now a card.").format(id=state.loan.id))
        return
    if name is None:
        raise BadInput(_("give the card a name"))
    if lender is None:
        raise BadInput(_("give the issuing bank with --lender"))
    card = build_card(data, env.today)  # validated before the database file is created
    state = add_card(env.store(), card, env.today)
    _show_card(state, as_json, _("Added card {id}.").format(id=state.loan.id))


@card_app.command("edit")
def card_edit(
    ctx: typer.Context,
    card_id: CardIdArg,
    name: Annotated[str | None, typer.Option("--name", help=_("New name."))] = None,
    lender: Annotated[str | None, typer.Option("--lender", help=_("The issuing bank."))] = None,
    limit: LimitOpt = None,
    bill_day: BillDayOpt = None,
    due_day: DueDayOpt = None,
    daily_rate: CardRateOpt = None,
    min_rate: MinRateOpt = None,
    interest: InterestRuleOpt = None,
    late_fee_rate: LateFeeOpt = None,
    notes: Annotated[str | None, typer.Option("--notes", help=_("Free text."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a card's terms; its bills are judged again."""
    from .card_service import build_card, get_card
    from .service import loan_state, parse_id

    env = _env(ctx)
    store = env.store(write=False)
    cid = parse_id(card_id, _("card id"))
    with store.write():
        base = get_card(store, cid)
        data = _card_options(
            name, lender, limit, bill_day, due_day, daily_rate, min_rate, interest, late_fee_rate, None, None, notes
        )
        store.update_loan(build_card(data, env.today, base))
    _show_card(loan_state(store, cid, env.today), as_json, _("Updated card {id}.").format(id=cid))


@card_app.command("bill")
def card_bill(
    ctx: typer.Context,
    card_id: CardIdArg,
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help=_("The bill's amount due (本期应还)."))],
    date: Annotated[str | None, typer.Option("--date", help=_("The bill date (default today)."))] = None,
    minimum: Annotated[
        str | None,
        typer.Option("--minimum", metavar="AMOUNT", help=_("The minimum payment the bill states (default: computed).")),
    ] = None,
    replace_bill: Annotated[bool, typer.Option("--replace", help=_("Correct the bill already recorded for that date."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a card's monthly bill (本期应还), as the statement says."""
    from .card_service import record_bill
    from .service import parse_id

    env = _env(ctx)
    state = record_bill(
        env.store(write=False),
        parse_id(card_id, _("card id")),
        amount,
        env.today,
        date=date,
        minimum=minimum,
        replace_existing=replace_bill,
    )
    _show_card(state, as_json, _("Recorded the bill."))


@card_app.command("bill-delete")
def card_bill_delete(
    ctx: typer.Context,
    bill_id: Annotated[str, typer.Argument(metavar="BILL_ID", help=_("The bill's id (see 'card show --json')."))],
    yes: YesOpt = False,
) -> None:
    """Delete a bill recorded by mistake (one with instalments made from it stays)."""
    from .card_service import delete_bill
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    bid = parse_id(bill_id, _("bill id"))
    bill, card = delete_bill(store, bid, yes, lambda question: _confirm(yes, question, _("delete bill {id}").format(id=bid)))
    _echo(
        _("Deleted the bill of {date} ({amount}) from card {id}.").format(
            date=bill.date.isoformat(), amount=fmt(bill.amount, card.currency, symbol=True), id=card.id
        )
    )


@card_app.command("show")
def card_show(ctx: typer.Context, card_id: CardIdArg, as_json: JsonOpt = False) -> None:
    """A card: its bills (paid in full, minimum, overdue), balance, available credit, utilisation."""
    from .card_service import get_card
    from .service import loan_state, parse_id

    env = _env(ctx)
    store = env.store(write=False)
    cid = parse_id(card_id, _("card id"))
    get_card(store, cid)
    _show_card(loan_state(store, cid, env.today), as_json)


@card_app.command("instalment")
def card_instalment_cmd(
    ctx: typer.Context,
    card_id: CardIdArg,
    bill_date: Annotated[str, typer.Argument(metavar="BILL_DATE", help=_("The date of the bill to split."))],
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help=_("How much of the bill to repay in instalments."))],
    term: Annotated[str, typer.Option("--term", metavar="N", help=_("Number of monthly instalments."))],
    fee_rate: Annotated[str, typer.Option("--fee-rate", metavar="PCT", help=_("Monthly fee in percent of the amount."))],
    as_json: JsonOpt = False,
) -> None:
    """Move part of a bill into instalments (账单分期): a flat-fee loan billed on, and paid with, the card."""
    from .card_service import card_instalment, card_view
    from .report import loan_detail
    from .service import parse_id, view

    env = _env(ctx)
    store = env.store(write=False)
    card, loan = card_instalment(store, parse_id(card_id, _("card id")), bill_date, amount, term, fee_rate, env.today)
    if as_json:
        _print_json({"card": card_view(card), "loan": loan_detail(loan)})
        return
    _console().print(
        _("Moved {amount} of the bill of {date} into loan {id} ({n} instalments).").format(
            amount=fmt(loan.loan.principal, loan.loan.currency, symbol=True),
            date=bill_date,
            id=loan.loan.id,
            n=loan.loan.term_months,
        ),
        style="green",
    )
    _show_view(view(loan, store.fixings()), False)


lpr_app = typer.Typer(
    help=_("The Loan Prime Rate table: every fixing since 2019-08-20, and the ones you add."), no_args_is_help=True
)
app.add_typer(lpr_app, name="lpr")


@lpr_app.command("list")
def lpr_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the LPR fixings, oldest first, with their source."""
    from .lpr import SHIPPED

    env = _env(ctx)
    fixings = env.store(write=False).fixings() if env.db_path.is_file() else SHIPPED
    if as_json:
        _print_json(
            [
                {"date": f.date.isoformat(), "one_year": str(f.one_year), "five_year": str(f.five_year), "source": f.source}
                for f in fixings
            ]
        )
        return
    table = _table(_("Date"), _(">1-year"), _(">5-year"), _("~Source"), title=_("Loan Prime Rate (LPR)"))
    for f in fixings:
        table.add_row(
            f.date.isoformat(), f"{percent_str(f.one_year)}%", f"{percent_str(f.five_year)}%", _(f.source) if f.source else ""
        )
    _print_table(_console(), table)


@lpr_app.command("add")
def lpr_add(
    ctx: typer.Context,
    date: Annotated[str, typer.Argument(metavar="DATE", help=_("The day the fixing was published."))],
    one_year: Annotated[str, typer.Option("--one-year", metavar="PCT", help=_("One-year LPR in percent."))],
    five_year: Annotated[str, typer.Option("--five-year", metavar="PCT", help=_("Five-year LPR in percent."))],
) -> None:
    """Add a newly published LPR fixing (floating loans reprice with it; a fixing of the same day is replaced)."""
    from .service import add_lpr_fixing

    env = _env(ctx)
    fixing = add_lpr_fixing(env.store(), date, one_year, five_year)
    _echo(
        _("LPR from {date}: one-year {one}%, five-year {five}%.").format(
            date=fixing.date.isoformat(), one=percent_str(fixing.one_year), five=percent_str(fixing.five_year)
        )
    )


# -- statements ------------------------------------------------------------------
statement_app = typer.Typer(help=_("Import repayments from Alipay, WeChat Pay and bank statements."), no_args_is_help=True)
app.add_typer(statement_app, name="statement")


@loan_app.command("match")
def loan_match(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="ID", help=_("Loan id."))],
    counterparty: Annotated[
        str | None, typer.Option("--counterparty", help=_("Text in the statement's counterparty (交易对方)."))
    ] = None,
    description: Annotated[str | None, typer.Option("--description", help=_("Text in the description (商品说明, 摘要)."))] = None,
    method: Annotated[
        str | None, typer.Option("--method", help=_("Text in the payment method, e.g. a card's last four digits."))
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a rule that sends matching statement rows to this loan; without options, list its rules."""
    from .service import parse_id
    from .statement_import import add_rule

    env = _env(ctx)
    lid = parse_id(loan_id, _("loan id"))
    if counterparty is None and description is None and method is None:
        store = env.store(write=False)
        store.get_loan(lid)
        found = [r for r in store.match_rules() if r[1] == lid]
        if as_json:
            _print_json([{"id": r[0], "loan_id": r[1], "counterparty": r[2], "description": r[3], "method": r[4]} for r in found])
            return
        if not found:
            _echo(_("Loan {id} has no match rules yet.").format(id=lid))
        for r in found:
            _echo(f"{r[0]}: " + _("counterparty {c!r}, description {d!r}, method {m!r}").format(c=r[2], d=r[3], m=r[4]))
        return
    env.store(write=False).get_loan(lid)  # an unknown loan is refused before the database is created
    rule = add_rule(env.store(), lid, counterparty, description, method)
    if as_json:
        _print_json({"loan_id": lid, "counterparty": rule.counterparty, "description": rule.description, "method": rule.method})
        return
    _echo(_("Statement rows matching this rule will be recorded to loan {id}.").format(id=lid))


@loan_app.command("unmatch")
def loan_unmatch(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(metavar="RULE_ID", help=_("Rule id (see 'debt loan match LOAN_ID')."))],
    yes: YesOpt = False,
) -> None:
    """Delete a statement-matching rule."""
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    rid = parse_id(rule_id, _("rule id"))
    _id, loan_id, counterparty, description, method = store.get_match_rule(rid)
    words = ", ".join(w for w in (counterparty, description, method) if w)
    _confirm(
        yes,
        _("Delete rule {id} ('{words}' to loan {loan})?").format(id=rid, words=words, loan=loan_id),
        _("delete rule {id}").format(id=rid),
    )
    store.delete_match_rule(rid)
    _echo(
        _("Deleted rule {id}; statement rows like '{words}' are no longer sent to loan {loan}.").format(
            id=rid, words=words, loan=loan_id
        )
    )


def _row_json(loan_id: int | None, row) -> dict[str, Any]:
    from .matching import row_ref
    from .money import to_str

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
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Record without asking."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record the repayments a statement shows, once: review first, then confirm."""
    from .money import to_str
    from .statement_import import preview, read_file, record, review
    from .statements import SOURCE_CHOICES

    env = _env(ctx)
    if source not in SOURCE_CHOICES:
        raise BadInput(
            _("unknown source {value!r}; choose one of: {choices}").format(value=source, choices=", ".join(SOURCE_CHOICES))
        )
    data = read_file(file)
    store = env.store(write=False)
    plan = review(store, preview(store, data, source), env.today)
    loans = {loan.id: loan for loan in store.loans()}
    deduction_rows = plan.deductions
    if not as_json:
        console = _console()
        console.print(
            _("{source} statement: {rows} rows, {n} repayments to record, {u} unmatched, {d} already imported.").format(
                source=plan.statement.source,
                rows=len(plan.statement.rows),
                n=len(plan.to_record),
                u=len(plan.still_unmatched),
                d=len(plan.result.duplicates),
            ),
            style="bold",
        )
        if plan.to_record:
            from .matching import row_ref
            from .present import short_ref, stand_in_short

            table = _table(_("Date"), _("~Loan"), _(">Amount"), _("~Row"), _("Order"))
            for loan_id, row in plan.to_record:
                table.add_row(
                    row.when.date().isoformat(),
                    loans[loan_id].name,
                    fmt(row.amount, row.currency),
                    f"{row.counterparty} {row.description}".strip(),
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
            cur = loans[bill.card_id].currency
            console.print(
                _(
                    "Bill of {date} for {name}: {amount} (the last bill's {previous}, less {paid} paid since, "
                    "plus {charges} of new charges)"
                ).format(
                    date=bill.date.isoformat(),
                    name=loans[bill.card_id].name,
                    amount=fmt(bill.amount, cur, symbol=True),
                    previous=fmt(bill.previous, cur, symbol=True),
                    paid=fmt(bill.paid, cur, symbol=True),
                    charges=fmt(bill.charges, cur, symbol=True),
                )
            )
        for note in plan.bill_notes:
            console.print("! " + note, style="yellow")
        if plan.still_unmatched:
            console.print(
                _("Look like repayments but match no loan (add a rule with 'debt loan match ID --counterparty ...'):"),
                style="yellow",
            )
            for row, hint in plan.still_unmatched:
                tip = " " + _("(perhaps loan {id}: {name})").format(id=hint, name=loans[hint].name) if hint in loans else ""
                console.print(
                    f"  {row.when.date().isoformat()}  {fmt(row.amount, row.currency)}  {row.counterparty} {row.description}{tip}"
                )
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
        imported = record(env.store(), plan, env.today)
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


# -- collection messages and evidence --------------------------------------------
sms_app = typer.Typer(help=_("Check a collection message for the signs of a scam."), no_args_is_help=True)
contact_app = typer.Typer(help=_("The timeline of collection messages, calls, visits and letters."), no_args_is_help=True)
evidence_app = typer.Typer(help=_("Evidence files: kept privately, hashed, verified, exported."), no_args_is_help=True)
app.add_typer(sms_app, name="sms")
app.add_typer(contact_app, name="contact")
app.add_typer(evidence_app, name="evidence")

VERDICT_STYLE = {"likely-scam": "bold red", "suspicious": "yellow", "no-red-flags": "green"}


def _now(env: Env) -> dt.datetime:
    """Now on the day reports treat as today (the clock's time of day)."""
    return dt.datetime.combine(env.today, dt.datetime.now().time().replace(microsecond=0))


@sms_app.command("check")
def sms_check(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help=_("The message, or - to read it from standard input."))
    ] = None,
    sender: Annotated[str | None, typer.Option("--sender", metavar="NUMBER", help=_("The number it came from."))] = None,
    received: Annotated[
        str | None, typer.Option("--received", metavar="DATETIME", help=_("When it arrived (default now)."))
    ] = None,
    save: Annotated[bool, typer.Option("--save", help=_("Keep it in the contact timeline with its verdict."))] = False,
    reveal: RevealOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Judge a message: red flags with the words that triggered them, a verdict and what to do."""
    from .messages import parse_datetime, read_message, save_sms
    from .triage import shown_evidence, triage

    env = _env(ctx)
    if text is None or text == "-":
        if sys.stdin.isatty() and text is None:
            raise BadInput(_("give the message as an argument, or - to read it from standard input"))
        text = sys.stdin.read()
    message = read_message(text)
    when = parse_datetime(received, "--received") if received else _now(env)
    ledger = _ledger_for_triage(env)
    result = triage(message, sender, ledger)
    saved = save_sms(env.store(), message, sender, when, result) if save else None  # kept whole: it is evidence
    shown_text = _shown(reveal)
    if as_json:
        data: dict[str, Any] = {
            "verdict": result.verdict,
            "score": result.score,
            "notice": result.notice,
            "flags": [
                {"code": f.code, "title": f.title, "evidence": [shown_text(e) for e in shown_evidence(f)], "message": f.message}
                for f in result.flags
            ],
            "advice": [{"step": a.step, "detail": a.detail} for a in result.advice],
            "ledger": result.ledger.as_dict() if result.ledger is not None else None,
        }
        if saved is not None:
            data["contact_id"] = saved.id
        _print_json(data)
        return
    from rich.text import Text

    console = _console()
    shown = Text(shown_text(message))  # masking keeps the length: the spans stay on their words
    for f in result.flags:
        for start, end in f.spans:
            shown.stylize("bold reverse red", start, end)
    console.print(shown)
    from .present import triage_headline

    console.print(triage_headline(result), style=VERDICT_STYLE[result.verdict])
    if result.ledger is not None:
        console.print(_("Your ledger: {note}").format(note=result.ledger.note), style="bold")
    for f in result.flags:
        quotes = "」「".join(shown_text(e) for e in shown_evidence(f))
        console.print(Text.assemble((f.title, "bold"), f"  「{quotes}」" if quotes else ""))
        console.print(f"    {f.message}")
    if result.advice:
        console.print(_("What to do:"), style="bold")
        for n, a in enumerate(result.advice, start=1):
            console.print(f"{n}. {a.step}")
            if a.detail:
                console.print(f"   {a.detail}", style="dim")
    if saved is not None:
        console.print(
            _("Saved as contact {id}; attach screenshots with 'debt evidence add FILE --contact {id}'.").format(id=saved.id)
        )


def _ledger_for_triage(env: Env) -> list | None:
    """The user's loans for the triage to compare a message with; none when there is no database yet."""
    from .service import ledger_witness

    if not env.db_path.exists():
        return None
    return ledger_witness(env.store(write=False), env.today)


@contact_app.command("log")
def contact_log(
    ctx: typer.Context,
    channel: Annotated[str, typer.Option("--channel", help=_("sms, call, visit, letter or app."))],
    sender: Annotated[str, typer.Option("--from", metavar="WHO", help=_("Who contacted you (number, name, company)."))],
    about: Annotated[str | None, typer.Option("--about", metavar="LOAN_ID", help=_("The loan it was about."))] = None,
    about_person: Annotated[
        str | None, typer.Option("--about-person", metavar="NAME", help=_("Someone else's debt it was about."))
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help=_("What was said or demanded."))] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATETIME", help=_("When (default now)."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a collection contact."""
    from .messages import log_contact, parse_datetime
    from .service import parse_id

    env = _env(ctx)
    when = parse_datetime(date, "--date") if date is not None else _now(env)
    loan_id = parse_id(about, _("loan id")) if about is not None else None
    contact = log_contact(
        env.store(),
        channel=channel,
        sender=sender,
        when=when,
        about_loan=loan_id,
        about_person=about_person,
        summary=summary,
        today=env.today,
    )
    if as_json:
        _print_json(_contact_json(contact, 0, _shown(False)))
        return
    _echo(_("Logged contact {id}.").format(id=contact.id))


def _shown(reveal: bool):
    """Text as shown: card and ID numbers masked unless --reveal."""
    from .safe_text import mask_numbers

    return (lambda text: text) if reveal else mask_numbers


def _contact_json(c, evidence_count: int, shown=lambda text: text) -> dict[str, Any]:
    return {
        "id": c.id,
        "channel": c.channel,
        "from": shown(c.sender),
        "date": c.happened_at.isoformat(timespec="seconds"),
        "about_loan_id": c.about_loan_id,
        "about_person": c.about_person or None,
        "summary": shown(c.summary),
        "message": shown(c.message) or None,
        "verdict": c.verdict,
        "score": c.score,
        "flags": json.loads(c.flags or "[]"),
        "evidence": evidence_count,
    }


@contact_app.command("list")
def contact_list(ctx: typer.Context, reveal: RevealOpt = False, as_json: JsonOpt = False) -> None:
    """The timeline, oldest first, with evidence counts."""
    env = _env(ctx)
    store = env.store(write=False)
    counts: dict[int | None, int] = {}
    for e in store.evidence():
        counts[e.contact_id] = counts.get(e.contact_id, 0) + 1
    contacts = store.contacts()
    if as_json:
        _print_json([_contact_json(c, counts.get(c.id, 0), _shown(reveal)) for c in contacts])
        return
    console = _console()
    if not contacts:
        console.print(
            _("No contacts logged. Check a message with 'debt sms check TEXT --save' or log a call with 'debt contact log'.")
        )
        return
    table = _table(_(">ID"), _("When"), _("Channel"), _("~From"), _("~About / summary"), _("Verdict"), _(">Files"))
    for c in contacts:
        about = c.about_person or (f"#{c.about_loan_id}" if c.about_loan_id else "")
        text = _shown(reveal)(" · ".join(x for x in (about, c.summary or c.message[:60]) if x))
        verdict = _styled(c.verdict, VERDICT_STYLE[c.verdict]) if c.verdict in VERDICT_STYLE else "-"
        table.add_row(
            str(c.id),
            c.happened_at.strftime("%Y-%m-%d %H:%M"),
            c.channel,
            _shown(reveal)(c.sender),
            text,
            verdict,
            str(counts.get(c.id, 0)),
        )
    _print_table(console, table)


@contact_app.command("show")
def contact_show(
    ctx: typer.Context,
    contact_id: Annotated[str, typer.Argument(metavar="ID", help=_("Contact id."))],
    reveal: RevealOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """One contact of the timeline: who, when, what was said, its verdict and flags, and its evidence files."""
    from .service import parse_id
    from .triage import TITLES

    env = _env(ctx)
    store = env.store(write=False)
    contact = store.get_contact(parse_id(contact_id, _("contact id")))
    files = store.evidence(contact.id)
    shown = _shown(reveal)
    if as_json:
        _print_json({**_contact_json(contact, len(files), shown), "files": [_evidence_json(e) for e in files]})
        return
    from .present import VERDICT_LABELS

    about = contact.about_person or (f"#{contact.about_loan_id}" if contact.about_loan_id else "")
    lines = [
        (_("When"), contact.happened_at.strftime("%Y-%m-%d %H:%M")),
        (_("Channel"), contact.channel),
        (_("From"), shown(contact.sender)),
        (_("About"), about or "-"),
        (_("Summary"), shown(contact.summary) or "-"),
    ]
    if contact.verdict:
        flags = [
            _(TITLES[f["code"]]) if f.get("code") in TITLES else str(f.get("code")) for f in json.loads(contact.flags or "[]")
        ]
        lines.append((_("Verdict"), _(VERDICT_LABELS.get(contact.verdict, contact.verdict))))
        lines.append((_("Flags"), _(", ").join(flags) or "-"))
    for label, value in lines:
        _echo(f"{label}: {value}")
    if contact.message:
        _echo(_("Message:"))
        _echo("  " + shown(contact.message).replace("\n", "\n  "))
    for e in files:
        note = f" — {e.note}" if e.note else ""
        _echo(f"  [{e.id}] {e.original_name} ({e.size} bytes, sha256 {e.sha256[:16]}…){note}")


@contact_app.command("edit")
def contact_edit(
    ctx: typer.Context,
    contact_id: Annotated[str, typer.Argument(metavar="ID", help=_("Contact id."))],
    channel: Annotated[str | None, typer.Option("--channel", help=_("sms, call, visit, letter or app."))] = None,
    sender: Annotated[str | None, typer.Option("--from", help=_("Who contacted you (number, name, company)."))] = None,
    summary: Annotated[str | None, typer.Option("--summary", help=_("What was said or demanded."))] = None,
    date: Annotated[str | None, typer.Option("--date", help=_("When (YYYY-MM-DD or YYYY-MM-DDTHH:MM)."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a contact in the timeline."""
    from .messages import edit_contact, parse_datetime
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    contact = edit_contact(
        store,
        parse_id(contact_id, _("contact id")),
        channel=channel,
        sender=sender,
        summary=summary,
        when=parse_datetime(date, "--date") if date is not None else None,
        today=env.today,
    )
    if as_json:
        _print_json(_contact_json(contact, len(store.evidence(contact.id)), _shown(False)))
        return
    _echo(_("Updated contact {id}.").format(id=contact.id))


@contact_app.command("delete")
def contact_delete(
    ctx: typer.Context,
    contact_id: Annotated[str, typer.Argument(metavar="ID", help=_("Contact id."))],
    yes: YesOpt = False,
) -> None:
    """Delete a contact; its evidence files are kept (unlinked)."""
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    cid = parse_id(contact_id, _("contact id"))
    contact = store.get_contact(cid)
    _confirm(
        yes,
        _("Delete contact {id} ({channel} from {sender} on {date})? Its evidence files are kept.").format(
            id=cid, channel=contact.channel, sender=contact.sender, date=contact.happened_at.isoformat(timespec="minutes")
        ),
        _("delete contact {id}").format(id=cid),
    )
    store.delete_contact(cid)
    _echo(_("Deleted contact {id}; its evidence files are kept.").format(id=cid))


def _evidence_folder(env: Env) -> Path:
    from .paths import evidence_dir

    return evidence_dir(env.db_path)


def _evidence_json(e) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.original_name,
        "stored_as": e.stored_name,
        "size": e.size,
        "sha256": e.sha256,
        "added_at": e.added_at.isoformat(timespec="seconds"),
        "contact_id": e.contact_id,
        "note": e.note,
    }


@evidence_app.command("add")
def evidence_add(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help=_("Screenshots, recordings, letters."))],
    contact: Annotated[str | None, typer.Option("--contact", metavar="ID", help=_("The contact it belongs to."))] = None,
    note: Annotated[str | None, typer.Option("--note", help=_("Free text."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Copy files into the private evidence folder with their SHA-256."""
    from .evidence import add_files
    from .service import clean_text, parse_id

    env = _env(ctx)
    cid = parse_id(contact, _("contact id")) if contact is not None else None
    text = clean_text(note, _("note"), limit=2000)
    for f in files:
        if not f.is_file():
            raise BadInput(_("not a readable file: {path}").format(path=f))
    items = add_files(env.store(), _evidence_folder(env), files, _now(env), contact_id=cid, note=text)
    if as_json:
        _print_json([_evidence_json(e) for e in items])
        return
    for e in items:
        _echo(
            _("Stored {name} as evidence {id} (sha256 {hash}).").format(name=e.original_name, id=e.id, hash=e.sha256[:16] + "…")
        )


@evidence_app.command("list")
def evidence_list(
    ctx: typer.Context,
    removed: Annotated[bool, typer.Option("--removed", help=_("List the files removed, with the hash each had."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """List stored evidence (with --removed: what was removed)."""
    env = _env(ctx)
    store = env.store(write=False)
    if removed:
        gone = store.removed_evidence()
        if as_json:
            _print_json(gone)
            return
        if not gone:
            _echo(_("No evidence has been removed."))
        for r in gone:
            _echo(
                _("{name} ({size} bytes, SHA-256 {sha}) added {added}, removed {removed}").format(
                    name=r["original_name"], size=r["size"], sha=r["sha256"], added=r["added_at"], removed=r["removed_at"]
                )
            )
        return
    items = store.evidence()
    if as_json:
        _print_json([_evidence_json(e) for e in items])
        return
    console = _console()
    if not items:
        console.print(_("No evidence stored. Add files with 'debt evidence add FILE --contact ID'."))
        return
    table = _table(_(">ID"), _("~Name"), _(">Size"), _("Added"), _(">Contact"), _("SHA-256"), _("~Note"))
    for e in items:
        table.add_row(
            str(e.id),
            e.original_name,
            str(e.size),
            e.added_at.strftime("%Y-%m-%d %H:%M"),
            str(e.contact_id or "-"),
            e.sha256[:16] + "…",
            e.note,
        )
    _print_table(console, table)


@evidence_app.command("verify")
def evidence_verify(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Re-hash every stored file; report missing or altered ones (exit 1 if any)."""
    from .evidence import PROBLEMS, verify

    env = _env(ctx)
    store = env.store(write=False)
    problems = verify(store, _evidence_folder(env))
    if as_json:
        _print_json(
            {
                "checked": len(store.evidence()),
                "problems": [{"id": e.id, "name": e.original_name, "problem": p} for e, p in problems],
            }
        )
    elif not problems:
        _echo(_("All {n} evidence files match their recorded hashes.").format(n=len(store.evidence())))
    for e, problem in problems:
        if not as_json:
            _echo(
                _("evidence {id} ({name}): {problem}").format(id=e.id, name=e.original_name, problem=_(PROBLEMS[problem])),
                err=True,
            )
    if problems:
        raise typer.Exit(ExitCode.REFUSED)


@evidence_app.command("export")
def evidence_export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(metavar="OUT.zip", help=_("The zip file to write."))],
    contact: Annotated[str | None, typer.Option("--contact", metavar="ID", help=_("Only this contact and its files."))] = None,
    reveal: RevealOpt = False,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the zip if it exists."))] = False,
) -> None:
    """Write the files, a manifest.json and a readable timeline (Markdown and HTML) into a zip."""
    from .evidence import export_zip
    from .service import parse_id

    env = _env(ctx)
    if out.is_dir() or not out.parent.is_dir():
        raise BadInput(_("cannot write the zip to {path}").format(path=out))
    if out.exists() and not force:
        raise Refused(_("{path} exists; add --force to replace it").format(path=out))
    cid = parse_id(contact, _("contact id")) if contact is not None else None
    data = export_zip(env.store(write=False), _evidence_folder(env), out, _now(env), cid, reveal=reveal)
    _echo(_("Wrote {path}: {n} files, {c} contacts.").format(path=out, n=len(data["files"]), c=len(data["contacts"])))


@evidence_app.command("edit")
def evidence_edit(
    ctx: typer.Context,
    evidence_id: Annotated[str, typer.Argument(metavar="ID", help=_("Evidence id."))],
    note: Annotated[str, typer.Option("--note", help=_("What the file shows."))],
) -> None:
    """Change an evidence file's note (the file itself never changes)."""
    from .evidence import edit_note
    from .service import parse_id

    env = _env(ctx)
    item = edit_note(env.store(write=False), parse_id(evidence_id, _("evidence id")), note)
    _echo(_("Updated the note of evidence {id}.").format(id=item.id))


@evidence_app.command("remove")
def evidence_remove(
    ctx: typer.Context,
    evidence_id: Annotated[str, typer.Argument(metavar="ID", help=_("Evidence id."))],
    yes: YesOpt = False,
) -> None:
    """Remove a stored evidence file (asks first: evidence may be needed later)."""
    from .evidence import remove
    from .service import parse_id

    env = _env(ctx)
    store = env.store(write=False)
    eid = parse_id(evidence_id, _("evidence id"))
    item = store.get_evidence(eid)
    _confirm(
        yes,
        _("Remove evidence {id} ({name})? The stored copy is deleted.").format(id=eid, name=item.original_name),
        _("remove evidence {id}").format(id=eid),
    )
    remove(store, _evidence_folder(env), eid, _now(env))
    _echo(_("Removed evidence {id}.").format(id=eid))


# -- integrity and backups -----------------------------------------------------
@app.command("check")
def check_cmd(
    ctx: typer.Context,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help=_(
                "Repair the records whose stored values cannot be read: type a new value, or remove the record (asks first);"
                " rebuild a stored loan state that differs from a replay."
            ),
        ),
    ] = False,
    set_values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="TABLE.ID.COLUMN=VALUE",
            help=_("With --repair: the new value of an unreadable one, e.g. loans.2.start_date=2025-12-01 (repeatable)."),
        ),
    ] = None,
    yes: YesOpt = False,
) -> None:
    """Check the database: SQLite's integrity and foreign keys, the ledger's own sums, that every loan can be priced
    and replayed, that each loan's stored state is what a replay gives, and that its export would import."""
    from .service import check_database, rebuild_state, state_differences

    env = _env(ctx)
    if set_values and not repair:
        raise BadInput(_("--set is used with --repair"))
    fixes = [_parse_fix(text) for text in set_values or []]
    store = env.store(write=False)
    problems = check_database(store, env.today)
    if repair and store.damaged:
        _repair(store, fixes, yes)
        problems = check_database(store, env.today)
    elif fixes:
        raise Refused(_("nothing to repair: no stored value is unreadable"))
    if repair and state_differences(store):
        count = rebuild_state(store)
        _echo(ngettext("Rebuilt the stored state of {n} loan.", "Rebuilt the stored state of {n} loans.", count).format(n=count))
        problems = check_database(store, env.today)
    if not problems:
        _echo(_("No problems found."))
        return
    for problem in problems:
        _echo(problem, err=True)
    raise typer.Exit(ExitCode.REFUSED)


def _parse_fix(text: str) -> tuple[str, int, str, str]:
    """'loans.2.start_date=2025-12-01' -> ("loans", 2, "start_date", "2025-12-01")."""
    where, sep, value = text.partition("=")
    parts = where.strip().split(".")
    if not sep or len(parts) != 3 or not parts[1].isascii() or not parts[1].isdigit():
        raise BadInput(
            _("--set takes TABLE.ID.COLUMN=VALUE, e.g. loans.2.start_date=2025-12-01; got {value!r}").format(value=text)
        )
    return parts[0], int(parts[1]), parts[2], value.strip()


def _repair(store: Any, fixes: list[tuple[str, int, str, str]], yes: bool) -> None:
    """Set the values given with --set (or typed at the prompt), then remove what still cannot be read, after asking."""
    from .safe_text import visible
    from .service import find_damaged

    for table, row_id, column, _value in fixes:
        if (table, row_id) not in store.damaged:
            raise Refused(_("{table} record {id} is not damaged; nothing to set").format(table=table, id=row_id))
        if column not in {c for c, _v, _k in store.unreadable_fields(table, row_id)}:
            raise Refused(
                _("{column} of {table} record {id} can be read; nothing to set").format(column=column, table=table, id=row_id)
            )
    done = _("Set {column} of {table} record {id} to {value}.")
    for table, row_id, column, value in fixes:
        store.fix_field(table, row_id, column, value)
        _echo(done.format(column=column, table=table, id=row_id, value=value))
    find_damaged(store)
    if not yes and sys.stdin.isatty():
        ask = _("{table} record {id}: {column} is {stored!r}; type a new value ({example}), or Enter to remove the record")
        for table, row_id in sorted(store.damaged):
            for column, stored, kind in store.unreadable_fields(table, row_id):
                example = {"date": "YYYY-MM-DD", "rate": "4.35"}.get(kind, "3,5")
                while typed := typer.prompt(
                    visible(ask.format(table=table, id=row_id, column=column, stored=stored, example=example)),
                    default="",
                    show_default=False,
                ).strip():
                    try:
                        store.fix_field(table, row_id, column, typed)
                    except BadInput as exc:
                        _err(exc.message)
                        continue
                    _echo(done.format(column=column, table=table, id=row_id, value=typed))
                    break
        find_damaged(store)
    if not store.damaged:
        return
    names = ", ".join(f"{table} {row_id}" for table, row_id in sorted(store.damaged))
    _confirm(
        yes,
        _("Remove {names}? A loan's repayments go with it; 'debt backup' first if unsure.").format(names=names),
        _("repair"),
    )
    removed = store.remove_damaged()
    _echo(_("Removed {n} unreadable records: {names}.").format(n=len(removed), names=names))


@app.command("backup")
def backup_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("Where to write the archive, e.g. debt-backup.zip."))],
    force: Annotated[bool, typer.Option("--force", help=_("Replace FILE if it exists."))] = False,
) -> None:
    """Back up everything (the database and every evidence file) to one archive, even while the app is open."""
    from .backup import write_backup

    env = _env(ctx)
    if file.is_dir() or not file.parent.is_dir():
        raise BadInput(_("cannot write the backup to {path}").format(path=file))
    if file.exists() and not force:
        raise Refused(_("{path} exists; use --force to replace it").format(path=file))
    if not env.db_path.exists():
        raise Refused(_("there is no database at {path} yet").format(path=env.db_path))
    result = write_backup(env.store(write=False), _evidence_folder(env), file, _now(env))
    _echo(_("Backed up the database and {n} evidence files to {path}.").format(n=result.evidence, path=file))
    if result.missing:
        _err(
            _("{n} evidence files listed in the database are missing from the folder: {names}").format(
                n=len(result.missing), names=", ".join(result.missing[:5])
            )
        )


@app.command("restore")
def restore_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("A backup made with 'debt backup'."))],
) -> None:
    """Replace your data with a backup, after checking every part; the current database is kept as a safety copy."""
    from .backup import restore

    env = _env(ctx)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    result = restore(env.db_path, file, _evidence_folder(env), stamp)
    _echo(_("Restored {path} ({n} evidence files).").format(path=file, n=result.evidence))
    if result.safety_copy is not None:
        _echo(_("The previous database is kept as {path}.").format(path=result.safety_copy))


# -- export / import -----------------------------------------------------------
@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("Output file (a folder for csv)."))],
    fmt_: Annotated[
        str, typer.Option("--format", help=_("json (lossless), csv (a folder of tables) or ledger (hledger journal)."))
    ] = "json",
    with_files: Annotated[
        bool, typer.Option("--with-files", help=_("json: write a zip with the export and every evidence file."))
    ] = False,
) -> None:
    """Write everything to a file."""
    from . import exchange

    env = _env(ctx)
    if fmt_ not in ("json", "csv", "ledger"):
        raise BadInput(_("unknown format {value!r}; choose json, csv or ledger").format(value=fmt_))
    if with_files and fmt_ != "json":
        raise BadInput(_("--with-files goes with the json format"))
    store = env.store(write=False)
    if fmt_ == "csv":
        if file.exists() and not file.is_dir():
            raise BadInput(_("{path} is a file; csv export writes a folder").format(path=file))
        written = exchange.write_csv(store, file, env.today)
        _echo(_("Wrote {files}.").format(files=", ".join(str(p) for p in written)))
        return
    if file.is_dir():
        raise BadInput(_("{path} is a folder; give a file name").format(path=file))
    if not file.parent.exists():
        raise BadInput(_("the folder {path} does not exist").format(path=file.parent))
    if fmt_ == "json" and with_files:
        n = exchange.write_json_with_files(store, file, _evidence_folder(env), env.today)
        _echo(_("Wrote {path} with {n} evidence files.").format(path=file, n=n))
        return
    if fmt_ == "json":
        exchange.write_json(store, file, env.today)
    else:
        from .files import write_private

        write_private(file, exchange.ledger_journal(store, env.today))
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
    from . import exchange
    from .present import import_lines

    env = _env(ctx)
    if update and as_new:
        raise BadInput(_("give --update or --as-new, not both"))
    data, archive = exchange.read_export(file)
    parsed = exchange.parse_export(data)  # validated before the database is opened
    del data  # the file's text as objects: as large as the records themselves
    exchange.check_overpaid(parsed, env.today, allow_overpay=allow_overpay)
    store = env.store()
    with store.write():
        report = exchange.save_import(store, parsed, update=update, as_new=as_new)
        if archive is not None:
            exchange.take_evidence_files(archive, parsed, _evidence_folder(env))
    if as_json:
        _print_json(
            {
                "new": dict(report.new),
                "already_present": dict(report.present),
                "updated": dict(report.updated),
                "conflicts": report.conflicts,
            }
        )
        return
    for line in import_lines(report, update=update):
        _echo(line)


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


def _today_given(ctx: typer.Context) -> bool:
    root = ctx.find_root()
    return bool(root.params.get("today") or os.environ.get(TODAY_ENV))


def _translate_command_help(typer_app: typer.Typer) -> None:
    """Commands' docstrings are their help: shown through the catalog like every other string."""
    import inspect

    for info in typer_app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = _(inspect.cleandoc(info.callback.__doc__))
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _translate_command_help(group.typer_instance)


_translate_command_help(app)

# Typer's and Click's own words (help headings, the help option, usage errors), in the user's language.
# typer.core asks gettext for its headings; the rest is English in the library and translated as it goes out.
_LIBRARY_MESSAGES = (
    N_("Arguments"),
    N_("Commands"),
    N_("Options"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
)
_CLICK_PATTERNS = (
    (re.compile(r"^Usage: ", re.M), N_("Usage: ")),
    (re.compile(r"Show this message and exit\."), N_("Show this message and exit.")),
    (re.compile(r"Missing option '(?P<name>[^']+)'\."), N_("Missing option '{name}'.")),
    (re.compile(r"Missing argument '(?P<name>[^']+)'\."), N_("Missing argument '{name}'.")),
    (re.compile(r"No such option: (?P<name>\S+)"), N_("No such option: {name}")),
    (re.compile(r"No such command '(?P<name>[^']+)'\."), N_("No such command '{name}'.")),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>[^)]*)\)"), N_("Unexpected extra argument ({args})")),
    (re.compile(r"Option '(?P<name>[^']+)' requires an argument\."), N_("Option '{name}' requires an argument.")),
    (re.compile(r"Option '(?P<name>[^']+)' does not take a value\."), N_("Option '{name}' does not take a value.")),
    (re.compile(r"Invalid value for '(?P<name>[^']+)': "), N_("Invalid value for '{name}': ")),
    (re.compile(r"\s*Did you mean (?P<name>\S+)\?"), N_(" Did you mean {name}?")),
)


def click_text(text: str) -> str:
    """Click's English (usage errors, help) in the user's language; unchanged in English."""
    for pattern, message in _CLICK_PATTERNS:
        text = pattern.sub(lambda m, message=message: _(message).format(**m.groupdict()), text)
    return text.replace("。.", "。")


def _translate_library() -> None:
    import typer.core
    from typer._click import core as click_core

    typer.core._ = _  # its headings ("Options", "required", "default: …") through the catalog
    if not getattr(click_core.Context.get_help, "_translated", False):
        original = click_core.Context.get_help

        def get_help(self) -> str:
            return click_text(original(self))

        get_help._translated = True  # type: ignore[attr-defined]
        click_core.Context.get_help = get_help  # type: ignore[method-assign]


_translate_library()


def main() -> None:
    app()
