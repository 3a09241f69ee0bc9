"""The ways out of debt side by side: each strategy's column, the budget, the months it falls short."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..i18n import N_, _
from ..money import fmt
from ..payoff import Plan

PLAN_EXPLAINED = N_(
    "Avalanche pays extra to the highest APR first, snowball to the smallest balance first; each extra payment "
    "settles the interest to its day, then the loan gets a new level payment over fewer months, as banks do."
)


PLAN_LABELS = {"avalanche": N_("Avalanche"), "snowball": N_("Snowball"), "schedule": N_("Schedule only")}


@dataclass(frozen=True)
class PlanColumn:
    """One way out of debt beside the others: the figures a comparison shows for it, as text."""

    label: str
    months: str
    debt_free: str
    interest: str  # interest and fees paid on the way
    saved: str  # interest and fees saved against paying only the schedule ("-" for the schedule itself)
    sooner: str  # months sooner than the schedule ("-" for the schedule itself)
    payoffs: tuple[str, ...]  # each loan's last payment, the loans in the order of the schedule's plan


def plan_columns(plans: dict[str, Plan], currency: str) -> dict[str, PlanColumn]:
    """Each strategy's column, from the plans and the schedule-only plan among them."""
    base = plans["schedule"]

    def column(key: str, p: Plan) -> PlanColumn:
        against = key != "schedule"
        return PlanColumn(
            label=_(PLAN_LABELS[key]),
            months=str(p.months),
            debt_free=_iso(p.debt_free_date),
            interest=fmt(p.total_interest, currency),
            saved=fmt(base.total_interest - p.total_interest, currency) if against else "-",
            sooner=str(base.months - p.months) if against else "-",
            payoffs=tuple(_iso(lp.payoff_date) for lp in p.loans),
        )

    return {key: column(key, p) for key, p in plans.items()}


def paying_text(budget: int, currency: str, today: dt.date) -> str:
    return _("Paying {budget} a month from {date}").format(budget=fmt(budget, currency, symbol=True), date=today.isoformat())


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


def short_months_text(plan: Plan, currency: str) -> str | None:
    """The months in which the scheduled payments alone exceed the budget."""
    if not plan.short_months:
        return None
    months = _(", ").join(
        _("{month} ({amount})").format(month=m.strftime("%Y-%m"), amount=fmt(v, currency, symbol=True))
        for m, v in plan.short_months[:6]
    )
    more = len(plan.short_months) - 6
    if more > 0:
        months += " " + _("and {n} more").format(n=more)
    return _("The scheduled payments alone exceed the budget in: {months}.").format(months=months)
