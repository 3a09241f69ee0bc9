"""The first screen: what you owe, what is due and overdue, the DTI gauge and reminders."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tracker.dti import above_line
from tracker.i18n import _, ngettext
from tracker.money import fmt
from tracker.present.loans import amounts_text, overdue_line
from tracker.service.overview import Dashboard, dashboard

from ..widgets import DataTable, Gauge, fill_table, money, month_ticks
from .base import DataScreen


class DashboardScreen(DataScreen):
    SCREEN_NAME = "dashboard"
    BINDINGS = [
        Binding("a", "app.add_loan", _("Add loan")),
        Binding("escape", "back", _("Back"), show=False),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="dashboard"):
            yield Static(id="welcome", classes="hidden")
            yield Static(id="overdue-alert", classes="alert hidden")
            with Horizontal(id="cards"):
                yield Static(id="card-outstanding", classes="card")
                yield Static(id="card-month", classes="card")
                with Vertical(classes="card", id="card-dti"):
                    yield Static(_("Debt-to-income"), classes="card-title")
                    yield Gauge(id="gauge")
            with Horizontal(id="lower"):
                with Vertical(id="dues-box"):
                    yield Static(_("Next 30 days"), classes="section-title")
                    yield DataTable(id="dues", cursor_type="row", zebra_stripes=True)
                    yield Static(_("Nothing falls due in the next 30 days."), id="no-dues", classes="hidden")
                with Vertical(id="side"):
                    yield Static(_("Reminders"), classes="section-title")
                    yield Static(id="reminders")
                    yield PlotextPlot(id="forecast")
        yield from self.compose_footer()

    def reload(self) -> None:
        today = self.debt_app.today
        self.load(lambda store: dashboard(store, today), self.show_data)

    def show_data(self, d: Dashboard) -> None:
        self.debt_app.keep_views(self.loaded_token, d.all_views)  # the loans list may show them as they are
        welcome = self.query_one("#welcome", Static)
        welcome.set_class(not d.empty, "hidden")
        if d.empty:
            welcome.update(
                Text.assemble(
                    (_("Welcome to debt-tracker") + "\n", "bold"),
                    _("Nothing recorded yet. To begin:") + "\n",
                    "  a  " + _("add a loan (your mortgage, a card instalment plan, a friend's loan…)") + "\n",
                    "  i  " + _("add your monthly income, to watch the debt-to-income ratio") + "\n",
                    "  " + _("or try the app on a sample household first: debt demo (your own file is left as it is)") + "\n",
                    "  ?  " + _("help: every key and screen"),
                )
            )
        alert = self.query_one("#overdue-alert", Static)
        alert.set_class(not d.overdue, "hidden")
        if d.overdue:
            lines = [_("Overdue:")]
            lines += ["  " + overdue_line(v.state) for v in d.overdue]
            alert.update(Text("\n".join(lines)))
        owed = amounts_text(d.outstanding, "\n") or money(0)
        self.query_one("#card-outstanding", Static).update(
            Text.assemble(
                (_("Outstanding principal") + "\n", "bold"),
                (owed, "bold"),
                "\n",
                ngettext("{n} open loan", "{n} open loans", len(d.views)).format(n=len(d.views)),
            )
        )
        top = (
            _("largest: {name} {amount}").format(name=d.top_payments[0][0], amount=fmt(d.top_payments[0][1], symbol=True))
            if d.top_payments
            else ""
        )
        self.query_one("#card-month", Static).update(
            Text.assemble(
                (_("This month") + "\n", "bold"),  # its payments, paid or not (the debt-to-income burden): not "due"
                (money(d.dti.obligations), "bold"),
                "\n",
                (_("income {amount}").format(amount=money(d.dti.income)) if d.dti.income else _("no income recorded")),
                "\n",
                (top, "dim"),
            )
        )
        self.query_one("#gauge", Gauge).show(d.dti.ratio, d.caution, d.warn, d.dti.status)
        if d.dti.status == "warning":
            self.query_one("#gauge", Gauge).tooltip = above_line(d.warn)
        names = {v.state.loan.id: v.state.loan.name for v in d.views}
        rows = [
            (
                f"{r.loan_id}:{r.date}",
                [
                    r.date.isoformat(),
                    _("{name} (auto-debit)").format(name=names.get(r.loan_id, ""))
                    if r.kind == "deduction"
                    else names.get(r.loan_id, ""),
                    Text(fmt(r.amount or 0, r.currency or "CNY"), justify="right"),
                ],
            )
            for r in d.upcoming
        ]
        columns = [(_("Due"), "due"), (_("Loan"), "loan"), (_("Amount"), "amount")]
        # nothing due: a sentence of its own, wrapped to the panel (as a table row it was cut: "nothing due in the n…")
        self.query_one("#dues", DataTable).set_class(not rows, "hidden")
        self.query_one("#no-dues", Static).set_class(bool(rows), "hidden")
        fill_table(self.query_one("#dues", DataTable), columns, rows, shrink="loan")
        rem = []
        if d.check.due:
            rem.append(Text("● " + _("Free credit report check due") + "\n  " + d.check.reason, style="yellow"))
        else:
            rem.append(Text("○ " + d.check.reason, style="dim"))
        if d.audit_due:
            rem.append(
                Text(
                    "● " + _("App audit: {n} of {total} items due (u)").format(n=d.audit_due, total=d.audit_total), style="yellow"
                )
            )
        elif d.audit_total:
            rem.append(Text("○ " + _("App audit up to date"), style="dim"))
        if d.dti.status == "warning":
            rem.append(Text("● " + _("{warning} See the DTI screen (i).").format(warning=above_line(d.warn)), style="bold red"))
        for warning in d.card_warnings:
            rem.append(Text("● " + warning, style="yellow"))
        self.query_one("#reminders", Static).update(Text("\n").join(rem))
        plot = self.query_one("#forecast", PlotextPlot)
        plot.display = not d.empty
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if d.forecast:
            xs = list(range(len(d.forecast)))
            plt.plot(xs, [v / 100_000 for _m, v in d.forecast], marker="braille")
            month_ticks(plt, [m for m, _v in d.forecast])
            plt.title(_("Principal left, next 24 months (thousand CNY)"))
        plot.refresh()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        loan_id = key.split(":")[0]
        if loan_id.isdigit():
            from .loan_detail import LoanDetailScreen

            self.app.push_screen(LoanDetailScreen(int(loan_id)))
