"""Options shared by several commands: --json, --yes, a loan's terms (loan add/edit, apr), and what was typed for them."""

from typing import Annotated, TypeVar

import typer

from ..i18n import _

JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print JSON instead of a table."))]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation."))]

# a loan's terms: loan add, loan edit, apr
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
MethodHelp = _(
    "Repayment method: equal-installment, equal-principal, interest-only, bullet, flat-fee, revolving (or its Chinese"
    " name, such as 等额本息)."
)
KindHelp = _("Kind: mortgage, car, consumer, credit-card, online-platform, personal, other (or its Chinese name, such as 车贷).")

Typed = TypeVar("Typed")


def _typed(cls: type[Typed], ctx: typer.Context) -> Typed:
    """What the user typed for ``cls`` (LoanInput, CardInput): the command's options named as its fields."""
    names = set(cls.__struct_fields__)  # type: ignore[attr-defined]
    return cls(**{k: v for k, v in ctx.params.items() if k in names})
