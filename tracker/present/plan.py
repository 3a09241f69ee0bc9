"""The ways out of debt side by side: each strategy's column, the budget, the months it falls short."""

from __future__ import annotations

import datetime as dt

from msgspec import Struct

from ..i18n import N_, _, ngettext
from ..money import fmt
from ..payoff import Plan

PLAN_EXPLAINED = N_(
    "Avalanche pays extra to the highest APR first, snowball to the smallest balance first; each extra payment "
    "settles the interest to its day, then the loan gets a new level payment over fewer months, as banks do."
)


PLAN_LABELS = {"avalanche": N_("Avalanche"), "snowball": N_("Snowball"), "schedule": N_("Schedule only")}


class PlanColumn(Struct, frozen=True):
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


def short_months_text(plan: Plan, currency: str, strategy: str | None = None) -> str | None:
    """The months in which the scheduled payments alone exceed the budget (said of ``strategy`` when named)."""
    if not plan.short_months:
        return None
    months = _(", ").join(
        _("{month} ({amount})").format(month=m.strftime("%Y-%m"), amount=fmt(v, currency, symbol=True))
        for m, v in plan.short_months[:6]
    )
    more = len(plan.short_months) - 6
    if more > 0:
        months = ngettext("{months} and {n} more month", "{months} and {n} more months", more).format(months=months, n=more)
    if strategy is not None:
        return _("{strategy}: the scheduled payments alone exceed the budget in: {months}.").format(
            strategy=_(PLAN_LABELS[strategy]), months=months
        )
    return _("The scheduled payments alone exceed the budget in: {months}.").format(months=months)


def short_months_lines(plans: dict[str, Plan], currency: str) -> list[str]:
    """The months each strategy shown falls short of the budget: one line when they all fall short alike, else
    a line per strategy with its name (one that pays a card in full later than another can overspend where the
    other does not, and its interest is then no fair comparison)."""
    shown = {key: p for key, p in plans.items() if key != "schedule"} or plans
    texts = {key: short_months_text(p, currency) for key, p in shown.items()}
    if len(set(texts.values())) == 1:
        only = next(iter(texts.values()))
        return [only] if only else []
    return [line for key, p in shown.items() if (line := short_months_text(p, currency, key))]


def minimum_sentence(minimum: int, overdue: int, currency: str) -> str:
    """``minimum_text`` as a sentence of its own (beside a budget refused)."""
    text = minimum_text(minimum, overdue, currency)
    return text[:1].upper() + text[1:] + _(".")


def minimum_text(minimum: int, overdue: int, currency: str) -> str:
    """The plan's minimum, its overdue part said apart: owed once, it is why the minimum can exceed what the
    dashboard says is due this month."""
    if overdue:
        return _("minimum payments {amount}, of which {overdue} overdue").format(
            amount=fmt(minimum, currency, symbol=True), overdue=fmt(overdue, currency, symbol=True)
        )
    return _("minimum payments {amount}").format(amount=fmt(minimum, currency, symbol=True))
