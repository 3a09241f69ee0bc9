"""Credit health: `debt income ...`, `dti`, `credit-check ...`, `audit ...` and `remind`."""

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import BadInput
from ..i18n import _, ngettext
from ..money import fmt
from .app import _env, app
from .options import JsonOpt, YesOpt
from .render import _assemble, _confirm_record, _console, _echo, _print_indented, _print_json, _print_table, _table


def income_item(income) -> dict[str, Any]:
    from ..report import income_item as item

    return item(income)


def credit_check_item(check) -> dict[str, Any]:
    from ..report import credit_check_item as item

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
    from ..service.health import add_income

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
    from ..service.health import list_incomes

    env = _env(ctx)
    incomes = list_incomes(env.store(write=False))
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
    from ..inputs import parse_id
    from ..service.health import end_income

    env = _env(ctx)
    income = end_income(env.store(), parse_id(income_id, _("income id")), end)
    _echo(_("Income {id} now ends on {date}.").format(id=income.id, date=income.end_date.isoformat()))


@income_app.command("delete")
def income_delete(
    ctx: typer.Context, income_id: Annotated[str, typer.Argument(metavar="ID", help=_("Income id."))], yes: YesOpt = False
) -> None:
    """Delete an income entered by mistake (an income that stopped: 'income end')."""
    from ..present.deletions import delete_income_question
    from ..service.health import delete_income, get_income

    store = _env(ctx).store()
    iid, _income = _confirm_record(
        yes, store, income_id, _("income id"), get_income, delete_income_question, _("delete income {id}")
    )
    delete_income(store, iid)
    _echo(_("Deleted income {id}.").format(id=iid))


def _dti_json(m) -> dict[str, Any]:
    from ..money import to_str

    return {
        "month": m.month.strftime("%Y-%m"),
        "income": to_str(m.income),
        "obligations": to_str(m.obligations),
        "ratio": None if m.ratio is None else float(m.ratio),  # a ratio, not money: JSON number with 4 decimals
        "status": m.status,
    }


# translated where shown: the language is chosen when a command runs, after this module is loaded


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
    from ..money import to_str
    from ..service.health import dti_report

    env = _env(ctx)
    from ..inputs import parse_count

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
                "left_out": [{"currency": cur, "loans": n} for cur, n in r.left_out],
            }
        )
        _print_json(data)
        return
    from ..present.dti import (
        dti_amounts_text,
        dti_status_text,
        dti_warning_text,
        largest_payments_text,
        left_out_text,
        what_if_text,
    )

    console = _console()
    c = r.current
    console.print(_("Debt-to-income for {month}").format(month=c.month.strftime("%Y-%m")), style="bold")
    console.print(dti_amounts_text(c))
    if c.ratio is None:
        console.print(_("No income recorded for this month: add one with 'debt income add SOURCE AMOUNT'."))
    else:
        style = {"ok": "green", "caution": "yellow", "warning": "bold red"}[c.status]
        console.print(
            _("Ratio {ratio:.1%}: {status} (warning above {line:.0%})").format(
                ratio=c.ratio, status=dti_status_text(c.status), line=r.threshold
            ),
            style=style,
        )
        warning = dti_warning_text(r)
        if warning:
            console.print(warning)
    if r.contributors:
        console.print(_("Largest payments this month: {items}").format(items=largest_payments_text(r)))
    note = left_out_text(r)
    if note:
        console.print(note)
    if r.what_if is not None:
        console.print(what_if_text(r), style="bold")
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
    # no legend: the title names the line, and plotext counts a Chinese label as half its width (the frame broke)
    plt.plot(xs, [float(m.ratio) * 100 for m in points], marker="braille")
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
    from ..service.health import check_plan, log_credit_check

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
    from ..service.health import check_plan, list_credit_checks

    env = _env(ctx)
    store = env.store(write=False)
    checks = list_credit_checks(store)
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
    console.print(_assemble((_("Due now: "), "bold yellow") if plan.due else "", plan.reason))


@check_app.command("show")
def check_show(
    ctx: typer.Context, check_id: Annotated[str, typer.Argument(metavar="ID", help=_("Check id."))], as_json: JsonOpt = False
) -> None:
    """One logged check: when, where, what it found and what you did about it."""
    from ..inputs import parse_id
    from ..service.health import get_credit_check

    env = _env(ctx)
    check = get_credit_check(env.store(write=False), parse_id(check_id, _("check id")))
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
        _echo(_("{label}: {value}").format(label=label, value=value))


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
    from ..inputs import parse_id
    from ..service.health import edit_credit_check

    env = _env(ctx)
    check = edit_credit_check(
        env.store(),
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
    from ..present.deletions import delete_check_question
    from ..service.health import delete_credit_check, get_credit_check

    store = _env(ctx).store()
    cid, check = _confirm_record(
        yes, store, check_id, _("check id"), get_credit_check, delete_check_question, _("delete credit check {id}")
    )
    delete_credit_check(store, cid)
    _echo(_("Deleted the credit check of {date}.").format(date=check.date.isoformat()))


def _audit_json(item, today: dt.date, interval: int) -> dict[str, Any]:
    from ..audit import is_due, localised

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
    """The checklist: due items first, then the checked ones, the not applicable last."""
    from ..audit import ordered, progress
    from ..service.health import audit_interval, audit_items

    env = _env(ctx)
    store = env.store(write=False)
    interval = audit_interval(store)
    items = audit_items(store)
    rows = [_audit_json(i, env.today, interval) for i in ordered(items, env.today, interval)]
    if as_json:
        _print_json(rows)
        return
    console = _console()
    counts = progress(items, env.today, interval)
    console.print(
        _(
            "App-permission audit: {done} of {total} checked, {skipped} not applicable; menu paths vary with app and phone versions."
        ).format(done=counts.done, total=counts.total, skipped=counts.skipped),
        style="bold",
    )
    for r in rows:
        mark = ("!", "bold yellow") if r["due"] else ("-" if r["status"] == "skipped" else ("✓", "green"))
        when = f" ({r['last_done']})" if r["last_done"] else ""
        title = _("{app}: {permission}").format(app=r["app"], permission=r["permission"])
        console.print(_assemble(mark, f" {r['id']:>2}  ", (title, "bold"), when))
        if r["due"]:
            _print_indented(console, r["instruction"], 7)
            if r["why"]:
                _print_indented(console, r["why"], 7, style="dim")


@audit_app.command("add")
def audit_add_cmd(
    ctx: typer.Context,
    app_name: Annotated[str, typer.Argument(metavar="APP", help=_("The app, e.g. a lending app's name."))],
    permission: Annotated[str, typer.Argument(metavar="PERMISSION", help=_("What to check, e.g. contacts."))],
    instruction: Annotated[str | None, typer.Option("--instruction", help=_("Where the setting is."))] = None,
) -> None:
    """Add your own item (a lending app you use, say)."""
    from ..service.health import audit_add

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
    from ..inputs import parse_id
    from ..service.health import audit_done, audit_interval

    env = _env(ctx)
    store = env.store()
    item = audit_done(store, parse_id(item_id, _("item id")), env.today, date)
    again = item.last_done + dt.timedelta(days=audit_interval(store))
    _echo(_("Done: item {id}. Check it again from {date}.").format(id=item.id, date=again.isoformat()))


@audit_app.command("skip")
def audit_skip_cmd(ctx: typer.Context, item_id: Annotated[str, typer.Argument(metavar="ID", help=_("Item id."))]) -> None:
    """Mark an item not applicable (never due until reset)."""
    from ..inputs import parse_id
    from ..service.health import audit_skip

    env = _env(ctx)
    item = audit_skip(env.store(), parse_id(item_id, _("item id")))
    _echo(_("Skipped item {id}.").format(id=item.id))


@audit_app.command("undo")
def audit_undo_cmd(ctx: typer.Context, item_id: Annotated[str, typer.Argument(metavar="ID", help=_("Item id."))]) -> None:
    """Untick one item ticked or skipped by mistake: it is open again."""
    from ..inputs import parse_id
    from ..service.health import audit_undo

    env = _env(ctx)
    item = audit_undo(env.store(), parse_id(item_id, _("item id")))
    _echo(_("Audit item {id} is open again.").format(id=item.id))


@audit_app.command("reset")
def audit_reset_cmd(ctx: typer.Context) -> None:
    """Start the checklist over: every item open and due."""
    from ..service.health import audit_reset

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
    from ..money import to_str
    from ..service.health import due_reminders

    env = _env(ctx)
    store = env.store(write=False)
    from ..inputs import parse_count

    within_days = parse_count(within, "--within")
    items = due_reminders(store, env.today, within_days)
    if quiet and not show_all:  # a daily cron mail is for what costs money; the audit can wait for the app
        items = [r for r in items if r.kind != "audit"]
    if ics is not None:
        from ..ics import build_calendar
        from ..service.settings import settings_view
        from ..service.views import loan_states

        if ics.is_dir() or not ics.parent.exists():
            raise BadInput(_("cannot write the calendar to {path}").format(path=ics))
        data = build_calendar(
            loan_states(store, env.today, include_closed=False), settings_view(store)["credit_check.rule"], env.today
        )
        from ..files import write_private

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
        # one line each in a pipe or a file (cron mail, scripts); a terminal wraps it by words, as before
        console.print(line, style=style, soft_wrap=console.color_system is None)
    if audits:
        console.print(_("App audit: {n} items due (see 'debt audit list').").format(n=len(audits)))
    if ics is not None:
        console.print(_("Wrote {path}.").format(path=ics))
