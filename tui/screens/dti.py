"""Income and debt-to-income: the incomes, the ratio's history and projection, and a what-if for a new payment."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Label, Static

from tracker.errors import BadInput
from tracker.i18n import _
from tracker.models import Income
from tracker.money import parse_amount
from tracker.present.dti import (
    dti_amounts_text,
    dti_status_text,
    dti_warning_text,
    largest_payments_text,
    left_out_text,
    ratio_text,
    what_if_parts,
)
from tracker.present.text import aside
from tracker.service.health import DTIReport, delete_income, dti_report, list_incomes

from ..dialogs.confirm import ConfirmScreen
from ..dialogs.income import EndIncomeForm, IncomeForm
from ..widgets import DataTable, Gauge, Input, PercentPlot, fill_table, money, month_ticks
from .base import DataScreen

CSS_PATH = "../health.tcss"
# narrow terminals stack the panels; wide ones put the chart beside them
BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

STATUS_STYLES = {"ok": "green", "caution": "yellow", "warning": "bold red", "no-income": "italic"}
WHATIF_DELAY = 0.3  # seconds of quiet typing before the what-if is recomputed


def status_text(status: str) -> Text:
    return Text(dti_status_text(status), style=STATUS_STYLES[status])


class DTIScreen(DataScreen):
    SCREEN_NAME = "dti"
    CSS_PATH = CSS_PATH
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [
        Binding("a", "add_income", _("Add"), tooltip=_("Add an income")),
        Binding("e", "end_income", _("End"), tooltip=_("End the selected income")),
        Binding("delete", "delete_income", _("Delete"), tooltip=_("Delete the selected income")),
        Binding("w", "what_if", _("What-if"), tooltip=_("Try a new monthly payment")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.incomes: list[Income] = []
        self.report: DTIReport | None = None
        self._whatif_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with Horizontal(id="dti-body"):
            with Vertical(id="dti-side"):
                yield Static(id="dti-now")
                yield Static(id="dti-largest")
                yield Gauge(id="dti-gauge")
                with Horizontal(id="whatif-row"):
                    yield Label(_("New monthly payment"), id="whatif-label")
                    yield Input(placeholder=_("what if? e.g. 3,000"), id="whatif", compact=True)
                yield Static(id="whatif-result")
                yield Static(_("Incomes"), classes="section-title")
                yield DataTable(id="incomes", cursor_type="row", zebra_stripes=True)
                yield Static(_("No income yet: press a to add one."), id="incomes-empty", classes="hint")
            with Vertical(id="dti-chart-box"):
                yield Static(id="dti-chart-title", classes="chart-title")
                yield PercentPlot(id="dti-chart")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#incomes", DataTable).focus()

    # -- data ----------------------------------------------------------------------
    def reload(self) -> None:
        today = self.debt_app.today

        def load(store) -> tuple[list[Income], DTIReport]:
            return list_incomes(store), dti_report(store, today)

        self.load(load, self.show_data)

    def show_data(self, data: tuple[list[Income], DTIReport]) -> None:
        if not self.is_attached:
            return
        self.incomes, self.report = data
        self.show_incomes()
        self.show_now(self.report)
        self.show_chart(self.report)
        if self.query_one("#whatif", Input).value.strip():
            self.run_what_if()

    def show_incomes(self) -> None:
        today = self.debt_app.today
        rows: list[tuple[str | None, list[str | Text]]] = []
        for income in self.incomes:
            style = "dim" if income.end_date is not None and income.end_date < today else ""
            rows.append(
                (
                    str(income.id),
                    [
                        Text(income.source, style=style),
                        Text(money(income.amount, income.currency), justify="right", style=style),
                        Text(income.start_date.isoformat(), style=style),
                        Text(income.end_date.isoformat() if income.end_date else "-", style=style),
                    ],
                )
            )
        self.query_one("#incomes-empty", Static).display = not rows
        columns = [(_("Source"), "source"), (_("Monthly"), "monthly"), (_("From"), "from"), (_("To"), "to")]
        fill_table(self.query_one("#incomes", DataTable), columns, rows)

    def show_now(self, r: DTIReport) -> None:
        c = r.current
        text = Text()
        text.append(_("Debt-to-income, {month}").format(month=c.month.strftime("%Y-%m")) + "\n", style="bold")
        text.append(dti_amounts_text(c))
        if c.ratio is None:
            text.append("\n" + _("No income recorded for this month: press a to add one."), style="italic")
        else:
            text.append("\n" + _("Ratio") + " ")
            text.append(ratio_text(c.ratio), style="bold")
            text.append(" · ")
            text.append_text(status_text(c.status))
            text.append(aside(_("(the line: {line:.0%})").format(line=r.threshold)), style="dim")
            warning = dti_warning_text(r)
            if warning:
                text.append("\n" + warning, style="red")
        note = left_out_text(r)
        if note:
            text.append("\n" + note, style="dim")
        self.query_one("#dti-now", Static).update(text)
        top = largest_payments_text(r)
        self.query_one("#dti-largest", Static).update(Text(_("Largest: {items}").format(items=top), style="dim") if top else "")
        self.query_one("#dti-gauge", Gauge).show(c.ratio, r.caution, r.threshold, c.status)

    def show_chart(self, r: DTIReport) -> None:
        plot = self.query_one("#dti-chart", PercentPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        months = [*r.history, r.current, *r.projection]
        points = [(k, m) for k, m in enumerate(months) if m.ratio is not None]
        self.query_one("#dti-chart-box").display = bool(points)
        plot.percent_axis(None)
        if points:
            xs = [k for k, _m in points]
            ys = [float(m.ratio) * 100 for _k, m in points]  # a ratio on screen, not money
            plt.plot(xs, ys, marker="braille")  # the caption says what it is: plotext's legend breaks on Chinese
            plt.hline(float(r.threshold) * 100, "red")
            plt.vline(len(r.history), "blue")
            plot.percent_axis(max(*ys, float(r.threshold) * 100) * 1.05)  # round ticks with "%", fitted to its height
            month_ticks(plt, [m.month for m in months], parts=6)
        # plotext drops a title wider than the plot, so the caption is a widget of its own
        title = Text(_("Debt payments as % of income") + "  ", style="bold")
        title.append(_("red: warning line · blue: this month"), style="dim")
        self.query_one("#dti-chart-title", Static).update(title)
        plot.refresh()

    # -- what-if -------------------------------------------------------------------
    @on(Input.Changed, "#whatif")
    def what_if_changed(self, event: Input.Changed) -> None:
        if self._whatif_timer is not None:
            self._whatif_timer.stop()
        self.workers.cancel_group(self, "whatif")  # a result still on its way is for an older value
        result = self.query_one("#whatif-result", Static)
        text = event.value.strip()
        if not text:
            result.update(Text(_("Type a payment to see the ratio with it."), style="dim"))
            return
        try:
            parse_amount(text, what=_("new monthly payment"))
        except BadInput as exc:
            result.update(Text(exc.message, style="red"))
            return
        self._whatif_timer = self.set_timer(WHATIF_DELAY, self.run_what_if)

    @on(Input.Submitted, "#whatif")
    def what_if_submitted(self, event: Input.Submitted) -> None:
        if self._whatif_timer is not None:
            self._whatif_timer.stop()
        self.run_what_if()

    def run_what_if(self) -> None:
        text = self.query_one("#whatif", Input).value.strip()
        if not text:
            return
        today = self.debt_app.today

        def refused(message: str) -> None:
            self.query_one("#whatif-result", Static).update(Text(message, style="red"))

        # exclusive: a newer value cancels the one still being worked out
        self.db(
            lambda store: dti_report(store, today, months=1, add_payment=text),
            self.show_what_if,
            error=refused,
            group="whatif",
            exclusive=True,
        )

    def show_what_if(self, r: DTIReport) -> None:
        w = r.what_if
        if w is None:
            return
        text = Text()
        for part, kind in what_if_parts(r):  # the CLI's sentence, its ratio in bold and its status in its colour
            text.append(part, style="bold" if kind == "ratio" else STATUS_STYLES[w.status] if kind == "status" else "")
        self.query_one("#whatif-result", Static).update(text)

    # -- actions -------------------------------------------------------------------
    def selected_income(self) -> Income | None:
        table = self.query_one("#incomes", DataTable)
        if not self.incomes or not 0 <= table.cursor_row < len(self.incomes):
            return None
        return self.incomes[table.cursor_row]

    def action_add_income(self) -> None:
        self.app.push_screen(IncomeForm())

    def action_end_income(self) -> None:
        income = self.selected_income()
        if income is None:
            self.notify(_("Select an income first."), severity="warning")
            return
        self.app.push_screen(EndIncomeForm(income))

    def action_delete_income(self) -> None:
        income = self.selected_income()
        if income is None:
            self.notify(_("Select an income first."), severity="warning")
            return
        income_id = income.id or 0

        def deleted(_result: None) -> None:
            self.notify(_("Deleted income {source}.").format(source=income.source))
            self.reload()

        def answered(yes: bool | None) -> None:
            if yes:
                self.db(lambda store: delete_income(store, income_id), deleted)

        question = _("Delete the income {source} ({amount} a month)? Months it counted in lose it too.").format(
            source=income.source, amount=money(income.amount)
        )
        self.app.push_screen(ConfirmScreen(question), answered)

    def action_what_if(self) -> None:
        self.query_one("#whatif", Input).focus()

    def action_back(self) -> None:
        box = self.query_one("#whatif", Input)
        if box.has_focus:
            self.query_one("#incomes", DataTable).focus()
            return
        super().action_back()
