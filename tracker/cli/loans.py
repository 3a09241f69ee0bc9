"""`debt loan ...`: add, list, show, edit, rate, payoff, missed, delete, and the statement-matching rules (match, unmatch)."""

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import BadInput
from ..i18n import _
from ..money import fmt, percent_str
from .app import _env, app
from .options import (
    AutopayAccountOpt,
    AutopayOpt,
    BasisOpt,
    EarlyFeesOpt,
    JsonOpt,
    KindHelp,
    MethodHelp,
    PenaltyOpt,
    RepriceOpt,
    SpreadOpt,
    YesOpt,
    _typed,
)
from .render import _confirm, _console, _echo, _padded, _print_json, _print_table, _status_text
from .views import _loans_table, _show_card, _show_view

if TYPE_CHECKING:
    from ..models import LoanState

loan_app = typer.Typer(help=_("Add, list, show, edit and delete loans."), no_args_is_help=True)
app.add_typer(loan_app, name="loan")


@loan_app.command("add")
def loan_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help=_("A name you will recognise, e.g. 房贷."))],
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
        str | None,
        typer.Option("--first-due", help=_("First due date (default one month after start); a bullet loan's maturity.")),
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
    from ..inputs import LoanInput, build_loan, parse_paid_until
    from ..service.loans import add_loan, autopay_notice, past_due_notice, term_notice
    from ..service.rates import lpr_fixings
    from ..service.views import view

    env = _env(ctx)
    data = _typed(LoanInput, ctx)
    if data.lender is None:
        raise BadInput(_("give the lender with --lender"))
    from ..lpr import SHIPPED

    fixings = lpr_fixings(env.store(write=False)) if env.db_path.is_file() else SHIPPED
    loan = build_loan(data, None, fixings)  # validated before the database file is created
    parse_paid_until(paid_until, loan, env.today)  # and the paid-until date too
    store = env.store()
    state = add_loan(store, loan, env.today, paid_until=paid_until)
    notices = [n for n in (term_notice(state.loan), past_due_notice(state), autopay_notice(state)) if n]
    _show_view(view(state, lpr_fixings(store)), as_json, added=True, notices=notices)


@loan_app.command("list")
def loan_list(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help=_("Include closed loans."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """List open loans (closed ones with --all)."""
    from ..report import loan_summary
    from ..service.views import loan_views

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
    from ..inputs import parse_id
    from ..service.views import loan_view

    env = _env(ctx)
    v = loan_view(env.store(write=False), parse_id(loan_id, _("loan id")), env.today)
    if v.state.card is not None and not as_json:
        _show_card(v.state, False)
        return
    _show_view(v, as_json)


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
    first_due: Annotated[str | None, typer.Option("--first-due", help=_("First due date; a bullet loan's maturity."))] = None,
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
    from ..inputs import LoanInput, parse_id
    from ..service.loans import autopay_notice, edit_loan, get_loan
    from ..service.rates import lpr_fixings
    from ..service.views import view

    env = _env(ctx)
    data = _typed(LoanInput, ctx)
    store = env.store()
    lid = parse_id(loan_id, _("loan id"))
    was_autopay = get_loan(store, lid).autopay
    state = edit_loan(store, lid, data, env.today, paid_until=paid_until)
    notice = autopay_notice(state) if state.loan.autopay and not was_autopay else None
    if not as_json:
        _console().print(_("Updated loan {id}.").format(id=state.loan.id), style="green")
    _show_view(view(state, lpr_fixings(store)), as_json, notices=[notice] if notice else None)


@loan_app.command("rate")
def loan_rate(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="LOAN_ID", help=_("Loan id."))],
    rate: Annotated[str, typer.Argument(metavar="PCT", help=_("The new annual rate in percent."))],
    start: Annotated[str, typer.Option("--from", metavar="DATE", help=_("The first day of the new rate."))],
    as_json: JsonOpt = False,
) -> None:
    """Record a rate change (an LPR reset): periods starting on or after --from are charged the new rate."""
    from ..dates import parse_date
    from ..inputs import parse_id
    from ..report import loan_detail
    from ..service.rates import change_rate

    env = _env(ctx)
    store = env.store()
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


def _interest_left(state: "LoanState") -> int:
    return sum(s.installment.interest - s.paid_interest for s in state.schedule)


@loan_app.command("payoff")
def loan_payoff(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="LOAN_ID", help=_("Loan id."))],
    date: Annotated[str | None, typer.Option("--date", help=_("The day you would pay (default today)."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """What closes the loan on a day (提前结清金额): principal, interest to that day, fees, penalty."""
    from ..inputs import parse_id
    from ..money import to_str
    from ..present.loans import payoff_parts
    from ..report import payoff_item
    from ..service.loans import payoff

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
        console.print(f"  {_padded(label, 10)} {fmt(amount, cur, symbol=True):>16}")  # by cells: CJK labels take two
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
    from ..inputs import parse_id
    from ..money import to_str
    from ..report import loan_summary, schedule_item
    from ..service.loans import mark_missed

    env = _env(ctx)
    lid = parse_id(loan_id, _("loan id"))
    number = parse_id(seq, _("installment number"))
    state = mark_missed(env.store(), lid, number, env.today, undo=undo)
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
            # what brings the loan up to date today: older overdue installments are paid first, and penalty
            # interest before the installment itself
            owed = state.overdue_amount if line.status == "overdue" else line.unpaid
            if owed > line.unpaid:
                console.print(
                    _("To pay what is overdue today, penalty included: debt repay {id} {amount}").format(
                        id=lid, amount=to_str(owed, cur)
                    )
                )
            else:
                console.print(_("Once you pay it: debt repay {id} {amount}").format(id=lid, amount=to_str(owed, cur)))
    console.print(
        _("Outstanding principal {amount}; status {status}.").format(
            amount=fmt(state.outstanding_principal, cur, symbol=True), status=_status_text(state.status)
        )
    )


@loan_app.command("delete")
def loan_delete(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="ID", help=_("Loan id."))],
    yes: YesOpt = False,
) -> None:
    """Delete a loan and all of its repayments (a card: its instalment plans too)."""
    from ..inputs import parse_id
    from ..present.deletions import delete_loan_question, deleted_loan_text
    from ..service.loans import delete_loan, deletion_summary

    env = _env(ctx)
    store = env.store()
    lid = parse_id(loan_id, _("loan id"))
    # the name is readable even when the loan's other values are damaged; a card names its instalment plans
    _confirm(yes, delete_loan_question(deletion_summary(store, lid)), _("delete loan {id}").format(id=lid))
    _echo(deleted_loan_text(delete_loan(store, lid)))


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
    from ..inputs import parse_id
    from ..service.statements import add_rule, loan_rules

    env = _env(ctx)
    lid = parse_id(loan_id, _("loan id"))
    if counterparty is None and description is None and method is None:
        found = loan_rules(env.store(write=False), lid)
        if as_json:
            _print_json([{"id": r[0], "loan_id": r[1], "counterparty": r[2], "description": r[3], "method": r[4]} for r in found])
            return
        if not found:
            _echo(_("Loan {id} has no match rules yet.").format(id=lid))
        for r in found:
            _echo(f"{r[0]}: " + _("counterparty {c!r}, description {d!r}, method {m!r}").format(c=r[2], d=r[3], m=r[4]))
        return
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
    from ..inputs import parse_id
    from ..present.deletions import delete_rule_question, deleted_rule_text, rule_words
    from ..service.statements import delete_rule, get_rule

    env = _env(ctx)
    store = env.store()
    rid = parse_id(rule_id, _("rule id"))
    _id, loan_id, counterparty, description, method = get_rule(store, rid)
    words = rule_words(counterparty, description, method)
    _confirm(
        yes,
        delete_rule_question(rid, words, loan_id),
        _("delete rule {id}").format(id=rid),
    )
    delete_rule(store, rid)
    _echo(deleted_rule_text(rid, words, loan_id))
