"""Payoff plan: a monthly budget, avalanche and snowball side by side, and the balance over time for each."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static
from textual_plotext import PlotextPlot

from tracker.dates import add_months
from tracker.dti import month_start
from tracker.errors import BadInput
from tracker.i18n import _
from tracker.money import fmt, parse_amount
from tracker.payoff import Plan
from tracker.present.plan import (
    PLAN_EXPLAINED,
    PLAN_LABELS,
    minimum_sentence,
    minimum_text,
    paying_text,
    plan_columns,
    short_months_lines,
)
from tracker.service.cost import plan, plan_minimum
from tracker.service.health import dti_report

from ..widgets import ChartTitle, DataTable, Input, clip, fill_table
from .base import DataScreen
from .dti import BREAKPOINTS, CSS_PATH

CURRENCY = "CNY"
ROUND_TO = 100_000  # the suggested budget is rounded up to the next 1,000 (in minor units)
COLUMNS = ("avalanche", "snowball", "schedule")
COLORS = {"avalanche": "green", "snowball": "cyan", "schedule": "red"}


def suggested_budget(store, today: dt.date) -> tuple[int, int, int]:
    """(this month's debt payments, the minimum the plan needs, its overdue part): the larger of the first two,
    rounded up, prefills the budget."""
    return dti_report(store, today, months=1).current.obligations, *plan_minimum(store, today, CURRENCY)


class PlanScreen(DataScreen):
    SCREEN_NAME = "plan"
    CSS_PATH = CSS_PATH
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [Binding("b", "budget", _("Budget"), tooltip=_("Type another monthly budget"))]

    def __init__(self) -> None:
        super().__init__()
        self.plans: dict[str, Plan] | None = None
        self.budget_text = ""
        self.minimum = self.overdue = 0
        self._prefilled = False

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="plan-body"):
            with Horizontal(id="budget-row"):
                yield Label(_("Monthly budget (CNY)"), id="budget-label")
                yield Input(placeholder="20,000", id="budget")
                yield Button(_("Plan"), variant="primary", id="run-plan")
                yield Static(id="budget-error", classes="field-error", markup=False)
            yield Static(id="plan-summary")
            with Horizontal(id="plan-results"):
                with Vertical(id="plan-left"):
                    yield DataTable(id="plan-table", cursor_type="none", zebra_stripes=True)
                    yield Static(_(PLAN_EXPLAINED), classes="hint")
                with Vertical(id="plan-chart-box"):
                    yield ChartTitle(id="plan-chart-title", classes="chart-title")
                    yield PlotextPlot(id="plan-chart")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#plan-chart-box").display = False

    # -- data ----------------------------------------------------------------------
    def reload(self) -> None:
        today = self.debt_app.today
        self.load(lambda store: suggested_budget(store, today), self.show_suggestion)

    def show_suggestion(self, amounts: tuple[int, int, int]) -> None:
        if not self.is_attached:
            return
        obligations, self.minimum, self.overdue = amounts
        box = self.query_one("#budget", Input)
        if self._prefilled:
            # back from another screen: the loans may have changed, so plan again with the budget on show
            if self.plans is not None or box.value.strip():
                self.run_plan()
            return
        self._prefilled = True
        top = max(obligations, self.minimum)
        if top <= 0:
            self.query_one("#plan-results").display = False
            self.query_one("#plan-summary", Static).update(
                Text(_("No open loans to plan: add a loan first (a on the dashboard)."), style="italic")
            )
            return
        suggested = -(-top // ROUND_TO) * ROUND_TO
        box.value = fmt(suggested, CURRENCY)
        self.run_plan()

    def run_plan(self) -> None:
        text = self.query_one("#budget", Input).value.strip()
        error = self.query_one("#budget-error", Static)
        if not self._check(text):
            return
        error.update("")
        today = self.debt_app.today
        self.budget_text = text

        def refused(message: str) -> None:
            if self.is_attached:
                error.update(message)
                # results for another budget beside a refused one would mislead
                self.plans = None
                self.query_one("#plan-results").display = False
                self.query_one("#plan-summary", Static).update(
                    Text(minimum_sentence(self.minimum, self.overdue, CURRENCY), style="dim") if self.minimum else ""
                )

        self.db(lambda store: plan(store, text, "both", today, CURRENCY), self.show_plans, error=refused)

    def _check(self, text: str) -> bool:
        try:
            parse_amount(text, CURRENCY, what=_("budget"))
        except BadInput as exc:
            self.query_one("#budget-error", Static).update(exc.message)
            return False
        return True

    def show_plans(self, plans: dict[str, Plan]) -> None:
        if not self.is_attached:
            return
        self.plans = plans
        self.query_one("#plan-results").display = True
        self.show_summary(plans)
        self.show_table(plans)
        self.show_chart(plans)

    def show_summary(self, plans: dict[str, Plan]) -> None:
        budget = parse_amount(self.budget_text, CURRENCY)
        text = Text(paying_text(budget, CURRENCY, self.debt_app.today), style="bold")
        if self.minimum:
            text.append(" · " + minimum_text(self.minimum, self.overdue, CURRENCY), style="dim")
        for short in short_months_lines(plans, CURRENCY):
            text.append("\n! " + short, style="yellow")
        self.query_one("#plan-summary", Static).update(text)

    def show_table(self, plans: dict[str, Plan]) -> None:
        base, columns = plans["schedule"], plan_columns(plans, CURRENCY)
        cheapest = min(("avalanche", "snowball"), key=lambda k: (plans[k].total_interest, plans[k].months))
        rows: list[tuple[str | None, list[str | Text]]] = []

        def row(label: Text, values: dict[str, str], best: bool = False) -> None:
            style = {k: "bold green" if best and k == cheapest else "" for k in COLUMNS}
            rows.append((None, [label, *(Text(values[k], justify="right", style=style[k]) for k in COLUMNS)]))

        def heading(label: str) -> Text:
            return Text(label, style="bold")

        row(heading(_("Months")), {k: columns[k].months for k in COLUMNS}, best=True)
        row(heading(_("Debt-free")), {k: columns[k].debt_free for k in COLUMNS})
        row(heading(_("Interest and fees")), {k: columns[k].interest for k in COLUMNS}, best=True)
        row(heading(_("Saved vs schedule")), {k: columns[k].saved for k in COLUMNS}, best=True)
        row(heading(_("Months sooner")), {k: columns[k].sooner for k in COLUMNS})
        rows.append((None, [Text(_("Paid off"), style="bold underline"), "", "", ""]))
        for n, lp in enumerate(base.loans):
            row(clip(lp.name, 28), {k: columns[k].payoffs[n] for k in COLUMNS})
        headers = [("", "what"), *((columns[k].label, k) for k in COLUMNS)]
        fill_table(self.query_one("#plan-table", DataTable), headers, rows)

    def show_chart(self, plans: dict[str, Plan]) -> None:
        plot = self.query_one("#plan-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        longest = max(len(p.balances) for p in plans.values())
        self.query_one("#plan-chart-box").display = longest > 0
        if not longest:
            return
        start = month_start(self.debt_app.today)
        for k in COLUMNS:
            p = plans[k]
            if p.balances:
                xs = list(range(1, len(p.balances) + 1))
                # no plotext legend: it counts a Chinese character as one column and breaks the frame
                plt.plot(xs, [b / 100_000 for b in p.balances], marker="braille", color=COLORS[k])
        title = Text(_("Principal left at each month's end (CNY thousands)"), style="bold")
        legend = Text()
        for k in COLUMNS:
            if plans[k].balances:
                legend.append(("  " if legend else "") + "━━ ", style=COLORS[k])
                legend.append(_(PLAN_LABELS[k]), style="dim")
        self.query_one("#plan-chart-title", ChartTitle).show(title, legend)
        step = max(1, longest // 5)
        ticks = list(range(1, longest, step)) or [1]  # a tick on the very edge comes and goes with rounding
        plt.xticks(ticks, [_month_label(start, t) for t in ticks])
        plot.refresh()

    # -- input ---------------------------------------------------------------------
    @on(Input.Changed, "#budget")
    def budget_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            if self._check(event.value.strip()):
                self.query_one("#budget-error", Static).update("")
        else:
            self.query_one("#budget-error", Static).update("")

    @on(Input.Submitted, "#budget")
    def budget_submitted(self, event: Input.Submitted) -> None:
        self.run_plan()

    @on(Button.Pressed, "#run-plan")
    def plan_pressed(self, event: Button.Pressed) -> None:
        self.run_plan()

    def action_budget(self) -> None:
        self.query_one("#budget", Input).focus()

    def action_back(self) -> None:
        box = self.query_one("#budget", Input)
        if box.has_focus:
            self.query_one("#plan-table", DataTable).focus()
            return
        super().action_back()


def _month_label(start: dt.date, months_ahead: int) -> str:
    # balances[0] is this month's end
    return add_months(start, months_ahead - 1).strftime("%y-%m")
