"""`debt lpr list|add`: the Loan Prime Rate table floating-rate loans reprice with."""

from typing import Annotated

import typer

from ..i18n import _
from ..money import percent_str
from .app import _env, app
from .options import JsonOpt
from .render import _console, _echo, _print_json, _print_table, _table

lpr_app = typer.Typer(
    help=_("The Loan Prime Rate table: every fixing since 2019-08-20, and the ones you add."), no_args_is_help=True
)
app.add_typer(lpr_app, name="lpr")


@lpr_app.command("list")
def lpr_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the LPR fixings, oldest first, with their source."""
    from ..lpr import SHIPPED
    from ..service.rates import lpr_fixings

    env = _env(ctx)
    fixings = lpr_fixings(env.store(write=False)) if env.db_path.is_file() else SHIPPED
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
    from ..service.rates import add_lpr_fixing

    env = _env(ctx)
    fixing = add_lpr_fixing(env.store(), date, one_year, five_year)
    _echo(
        _("LPR from {date}: one-year {one}%, five-year {five}%.").format(
            date=fixing.date.isoformat(), one=percent_str(fixing.one_year), five=percent_str(fixing.five_year)
        )
    )
