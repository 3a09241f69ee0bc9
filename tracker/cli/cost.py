"""`debt apr` and `debt plan`: what an offer really costs, and the fastest way out of debt on a budget."""

from typing import Annotated

import typer

from ..errors import BadInput
from ..i18n import _
from ..money import fmt
from .app import _env, app
from .options import BasisOpt, JsonOpt, MethodHelp, _typed
from .render import _console, _print_json, _print_table, _table


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
    from ..inputs import LoanInput
    from ..money import to_str
    from ..report import cost_fields
    from ..service.cost import quote

    env = _env(ctx)
    if fee_rate is None and rate is None and monthly_rate is None and daily_rate is None:
        raise BadInput(_("give one of --fee-rate, --rate, --monthly-rate or --daily-rate"))
    data = _typed(LoanInput, ctx)
    # the LPR line comes from your LPR table when a database exists; reading creates nothing
    from ..lpr import SHIPPED
    from ..service.rates import lpr_fixings

    fixings = lpr_fixings(env.store(write=False)) if env.db_path.is_file() else SHIPPED
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
    from ..report import plan_item
    from ..service.cost import other_currencies, plan

    env = _env(ctx)
    plans = plan(env.store(write=False), budget, strategy, env.today, currency)
    baseline = plans["schedule"]
    cur = currency.upper()
    if as_json:
        _print_json({k: plan_item(p, None if k == "schedule" else baseline, cur) for k, p in plans.items()})
        return
    from ..present.plan import paying_text, plan_columns

    console = _console()
    names = [k for k in plans if k != "schedule"]
    columns = plan_columns(plans, cur)
    table = _table(_("~Strategy"), _(">Months"), _("Debt-free"), _(">Interest and fees"), _(">Saved"))
    for k in [*names, "schedule"]:
        c = columns[k]
        table.add_row(c.label, c.months, c.debt_free, c.interest, c.saved)
    console.print(paying_text(parse_budget_for_display(budget, cur), cur, env.today), style="bold")
    others = other_currencies(env.store(write=False), cur)
    if others:
        console.print(
            _("Loans in {currencies} are not in this plan; plan them with --currency.").format(currencies=", ".join(others))
        )
    _print_table(console, table)
    loans = _table(_("~Loan"), *[_("Paid off ({name})").format(name=columns[k].label) for k in [*names, "schedule"]])
    for n, lp in enumerate(baseline.loans):
        loans.add_row(lp.name, *[columns[k].payoffs[n] for k in [*names, "schedule"]])
    _print_table(console, loans)
    from ..present.plan import PLAN_EXPLAINED, short_months_lines

    for short in short_months_lines(plans, cur):
        console.print(f"! {short}", style="yellow")
    console.print(_(PLAN_EXPLAINED))


def parse_budget_for_display(text: str, currency: str) -> int:
    from ..money import parse_amount

    return parse_amount(text, currency)
