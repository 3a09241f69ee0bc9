"""`debt card ...`: credit cards by their bills (add, edit, bill, bill-delete, show, instalment)."""

from typing import Annotated

import typer

from ..errors import BadInput
from ..i18n import _
from ..money import fmt
from .app import _env, app
from .options import JsonOpt, YesOpt, _typed
from .render import _confirm, _console, _echo, _print_json
from .views import _show_card, _show_view

card_app = typer.Typer(
    help=_("Credit cards by their bills: add a card, record each bill, see what it costs."), no_args_is_help=True
)
app.add_typer(card_app, name="card")

CardIdArg = Annotated[str, typer.Argument(metavar="CARD_ID", help=_("The card's id (its loan id)."))]


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


@card_app.command("add")
def card_add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help=_("A name you will recognise, e.g. 招行信用卡."))] = None,
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
    from ..inputs import CardInput, build_card, parse_id
    from ..service.cards import add_card, card_from_loan

    env = _env(ctx)
    data = _typed(CardInput, ctx)
    if from_loan is not None:
        if currency is not None:
            raise BadInput(_("a card made from a loan keeps its currency; leave out --currency"))
        state = card_from_loan(env.store(), parse_id(from_loan, _("loan id")), data, env.today)
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
    from ..inputs import CardInput, parse_id
    from ..service.cards import edit_card

    env = _env(ctx)
    cid = parse_id(card_id, _("card id"))
    data = _typed(CardInput, ctx)
    _show_card(edit_card(env.store(), cid, data, env.today), as_json, _("Updated card {id}.").format(id=cid))


@card_app.command("bill")
def card_bill(
    ctx: typer.Context,
    card_id: CardIdArg,
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help=_("The bill's amount due (本期应还)."))],
    date: Annotated[str | None, typer.Option("--date", help=_("The bill date (default: the card's latest bill day)."))] = None,
    minimum: Annotated[
        str | None,
        typer.Option("--minimum", metavar="AMOUNT", help=_("The minimum payment the bill states (default: computed).")),
    ] = None,
    replace_bill: Annotated[bool, typer.Option("--replace", help=_("Correct the bill already recorded for that date."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a card's monthly bill (本期应还), as the statement says."""
    from ..inputs import parse_id
    from ..service.cards import record_bill

    env = _env(ctx)
    state = record_bill(
        env.store(),
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
    from ..inputs import parse_id
    from ..service.cards import delete_bill

    env = _env(ctx)
    store = env.store()
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
    from ..inputs import parse_id
    from ..service.cards import get_card
    from ..service.views import loan_state

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
    from ..inputs import parse_id
    from ..report import loan_detail
    from ..service.cards import card_instalment, card_view
    from ..service.rates import lpr_fixings
    from ..service.views import view

    env = _env(ctx)
    store = env.store()
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
    _show_view(view(loan, lpr_fixings(store)), False)
