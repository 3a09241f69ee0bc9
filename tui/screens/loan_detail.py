"""One loan: terms, true cost and warnings, the schedule with statuses, repayments, a balance chart."""

from __future__ import annotations

from msgspec import Struct
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane
from textual.widgets.data_table import ColumnKey

from tracker.i18n import _
from tracker.models import STATUS_LABELS
from tracker.money import exponent, fmt
from tracker.present.cards import card_lines
from tracker.present.deletions import delete_loan_question, delete_repayment_question, deleted_loan_text
from tracker.present.loans import loan_header, seq_text
from tracker.present.repayments import repayment_note, repayment_ref
from tracker.service.loans import Deletion, delete_loan, deletion_summary, mark_missed
from tracker.service.repayments import delete_repayment
from tracker.service.views import LoanView, loan_view

from ..dialogs.confirm import ConfirmScreen
from ..widgets import AmountPlot, ChartTitle, DataTable, month_ticks
from .base import DataScreen


class _Data(Struct):
    view: LoanView


class LoanDetailScreen(DataScreen):
    SCREEN_NAME = "loan"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # below 100 columns the terms take the whole width
    BINDINGS = [
        Binding("r", "repay", _("Record repayment")),
        Binding("e", "edit", _("Edit")),
        Binding("x", "close_loan", _("Pay off")),
        Binding("delete,D", "delete", _("Delete loan"), show=False),  # in Help and the palette: the footer keeps ? and q
        Binding("ctrl+d", "delete_repayment", _("Delete repayment"), show=False),
        Binding("f", "missed", _("Deduction failed"), show=False),
        Binding("b", "bill", _("Record bill")),
        Binding("R", "rate", _("Rate change"), tooltip=_("A new rate from a date; paid installments stay")),
        Binding("s", "tab('tab-schedule')", _("Schedule"), show=False),
        Binding("y", "tab('tab-repayments')", _("Repayments"), show=False),
    ]

    AUTO_FOCUS = "#schedule"  # the arrow keys move along the schedule as soon as the loan opens

    def action_tab(self, tab: str) -> None:
        """Show the schedule (s) or the repayments (y), with the cursor in its table."""
        tabs = self.query_one("#loan-tabs", TabbedContent)
        tabs.active = tab
        pane = self.query_one(f"#{tab}", TabPane)
        from ..widgets import DataTable

        for table in pane.query(DataTable):
            table.focus()
            break

    def __init__(self, loan_id: int) -> None:
        super().__init__()
        self.loan_id = loan_id
        self.view: LoanView | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with Horizontal(id="loan-top"):
            with VerticalScroll(id="terms-box", can_focus=False):  # the wheel scrolls it; the keys stay with the tables
                yield Static(id="terms")
            # the title drawn by the app, at the column's width: plotext counts a Chinese character as one cell, and
            # its own title of one ran over the chart's frame into the terms
            with Vertical(id="balance-box"):
                yield ChartTitle(id="balance-title", classes="chart-title")
                yield AmountPlot(id="balance-chart")
        with TabbedContent(id="loan-tabs"):
            with TabPane(_("Schedule"), id="tab-schedule"):
                yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Repayments"), id="tab-repayments"):
                with Vertical():
                    yield DataTable(id="repayments", cursor_type="row", zebra_stripes=True)
                    yield Static(_("Ctrl+D deletes the selected repayment (a mistake); statuses are recomputed."), classes="hint")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        sched = self.query_one("#schedule", DataTable)
        for key, label in (
            ("seq", _("#")),  # the CLI's word too (期数)
            ("due", _("Due date")),
            ("principal", _("Principal")),
            ("interest", _("Interest")),
            ("fee", _("Fee")),
            ("total", _("Total")),
            ("paid", _("Paid")),
            ("status", _("Status")),
        ):
            sched.add_column(label, key=key)
        reps = self.query_one("#repayments", DataTable)
        for key, label in (("id", _("ID")), ("date", _("Date")), ("amount", _("Amount")), ("note", _("Note"))):
            reps.add_column(label, key=key)

    def reload(self) -> None:
        loan_id, today = self.loan_id, self.debt_app.today
        self.load(lambda store: loan_view(store, loan_id, today), self.show_data)

    def show_data(self, view: LoanView) -> None:
        self.view = view
        self.refresh_bindings()
        st, loan = view.state, view.state.loan
        cur = loan.currency
        self.sub_title = loan.name
        h = loan_header(view)
        lines = Text()
        lines.append(f"{h.name}\n", style="bold")
        lines.append(f"{h.lender} · {h.kind}\n")
        lines.append(h.terms + "\n")
        if st.card is None:  # a card's limit and balance are on their own lines below
            lines.append(h.principal + "\n")
        lines.append(_("Outstanding {o}").format(o=h.outstanding), style="bold")
        lines.append(" · " + h.status_text, style="bold red" if h.status == "overdue" else "")
        lines.append("\n" + h.cost, style="bold" if view.cost.apr is not None else "")
        if h.overdue:
            lines.append("\n" + h.overdue, style="bold red")
        if h.next_due and st.card is None:  # a card says its own, with the minimum
            lines.append("\n" + h.next_due)
        for text in (*h.notes, *card_lines(st)):
            lines.append("\n" + text)
        for warning in h.warnings:
            lines.append("\n! " + warning, style="yellow")
        self.query_one("#terms", Static).update(lines)

        sched = self.query_one("#schedule", DataTable)
        card = st.card is not None
        for key, plain, for_card in (
            ("due", _("Due date"), _("Due date")),
            ("principal", _("Principal"), _("Bill")),
            ("interest", _("Interest"), _("Interest est.")),
            ("fee", _("Fee"), _("Late fee")),
        ):
            column = sched.columns[ColumnKey(key)]
            column.label = Text(for_card if card else plain)
            column.content_width = max(column.content_width, column.label.cell_len)
        rows = []
        focus_row: int | None = None  # the first line not paid (the first itself when nothing is paid yet)
        for n, s in enumerate(st.schedule):
            inst = s.installment
            style = {"overdue": "bold red", "paid": "dim", "partial": "yellow"}.get(s.status, "")
            status = _("prepayment") if inst.kind == "prepayment" else _(STATUS_LABELS[s.status])
            cells = [
                Text(seq_text(inst.seq), style=style, justify="right"),
                Text(inst.due_date.isoformat(), style=style),
                *[
                    Text(fmt(v, cur), style=style, justify="right")
                    for v in (inst.principal, inst.interest, inst.fee, inst.total, s.paid)
                ],
                Text(status, style=style),
            ]
            rows.append((str(n), cells))
            if focus_row is None and s.status != "paid":
                focus_row = n
        sched.show_rows(rows)  # a thirty-year loan has 360: the ones near the view are created
        sched.move_cursor(row=focus_row or 0)
        repayments = self.query_one("#repayments", DataTable)
        kept = repayments.cursor_row  # read again after a deletion: the cursor stays where it was, not on the first
        repayments.show_rows(
            [
                (
                    str(r.id) if r.id is not None else f"auto-{r.autopay_seq}",
                    [repayment_ref(r), r.date.isoformat(), Text(fmt(r.amount, cur), justify="right"), repayment_note(r)],
                )
                for r in st.repayments
            ]
        )
        if kept and repayments.total_rows:
            repayments.move_cursor(row=min(kept, repayments.total_rows - 1))
        plot = self.query_one("#balance-chart", AmountPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        scale = 10 ** exponent(loan.currency)
        left = loan.principal
        xs, ys = [0], [left / scale]
        for k, s in enumerate(st.schedule, start=1):
            left -= s.installment.principal
            xs.append(k)
            ys.append(left / scale)
        if card:
            xs = list(range(1, len(st.schedule) + 1))
            ys = [s.installment.principal / scale for s in st.schedule]
            if xs:
                plt.bar(xs, ys, width=0.4)
                plt.xticks(xs, [s.installment.start.strftime("%y-%m") if s.installment.start else "" for s in st.schedule])
            plot.amount_axis(max(ys, default=0))
            self.query_one("#balance-title", ChartTitle).show(Text(_("Each bill's amount"), style="bold"), Text())
            plot.refresh()
            return
        plt.plot(xs, ys, marker="braille")
        month_ticks(plt, [loan.start_date, *(s.installment.due_date for s in st.schedule)])  # when each falls due
        plot.amount_axis(max(ys))
        paid_to = sum(1 for s in st.schedule if s.status == "paid")
        if paid_to:  # none paid yet: the line would lie on the axis and read as a second one
            plt.vline(paid_to, "red")
        title = Text(_("Principal left by installment (red: paid so far)"), style="bold")
        self.query_one("#balance-title", ChartTitle).show(title, Text())
        plot.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A bill is for cards only: the key shows on a card's screen and nowhere else. A loan paid off has
        nothing left to repay or pay off: those keys go (a repayment it still needs is refused as an overpayment)."""
        if action == "bill":
            return self.view is not None and self.view.state.card is not None
        if action in ("repay", "close_loan"):
            return self.view is None or self.view.state.status != "closed"
        if action == "rate":  # a card's rate is its daily one (its form); a revolving balance has no schedule to reprice
            return self.view is None or (self.view.state.card is None and self.view.state.loan.method != "revolving")
        return True

    # -- actions -----------------------------------------------------------------
    def action_bill(self) -> None:
        if self.view is None:
            return
        if self.view.state.card is None:  # said, not ignored: a revolving balance is no card until converted
            self.notify(
                _("Bills are for credit cards; 'debt card add --from-loan {id}' makes this loan a card.").format(
                    id=self.view.state.loan.id
                ),
                severity="warning",
            )
            return
        from ..dialogs.card_forms import BillScreen

        self.app.push_screen(BillScreen(self.view.state.loan), lambda saved: self.reload() if saved else None)

    def action_repay(self, payoff: bool = False) -> None:
        if self.view is None:
            return
        from ..dialogs.repay import RepayScreen

        self.app.push_screen(RepayScreen(self.view, payoff=payoff), lambda saved: self.reload() if saved else None)

    def action_close_loan(self) -> None:
        """Pay the loan off: the repayment form filled with what clears it, as a prepayment."""
        self.action_repay(payoff=True)

    def action_edit(self) -> None:
        if self.view is None:
            return
        if self.view.state.card is not None:
            from ..dialogs.card_forms import CardFormScreen

            self.app.push_screen(CardFormScreen(self.view.state.loan), lambda saved: self.reload() if saved else None)
            return
        from ..dialogs.loan_form import LoanFormScreen

        self.app.push_screen(LoanFormScreen(self.view.state.loan), lambda saved: self.reload() if saved else None)

    def action_rate(self) -> None:
        """A new rate from a day (``debt loan rate``): the way to change the rate of a loan with repayments."""
        if self.view is None:
            return
        from ..dialogs.rate import RateChangeForm

        self.app.push_screen(RateChangeForm(self.view.state.loan), lambda saved: self.reload() if saved else None)

    def action_delete(self) -> None:
        if self.view is None:
            return
        loan_id = self.view.state.loan.id or 0

        def ask(deletion: Deletion) -> None:
            question = delete_loan_question(deletion) + " " + _("This cannot be undone.")
            self.app.push_screen(ConfirmScreen(question), confirmed)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.db(lambda store: delete_loan(store, loan_id), self._deleted)

        self.db(lambda store: deletion_summary(store, loan_id), ask)  # a card: its instalment plans are named too

    def _deleted(self, deletion: Deletion) -> None:
        self.notify(deleted_loan_text(deletion))
        self.app.pop_screen()

    def action_delete_repayment(self) -> None:
        """Delete the repayment highlighted in the visible Repayments tab, after naming it."""
        table = self.query_one("#repayments", DataTable)
        tabs = self.query_one("#loan-tabs", TabbedContent)
        if self.view is None or tabs.active != "tab-repayments" or not table.row_count:
            self.notify(_("No repayment selected: open the Repayments tab and pick one."), severity="warning")
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "")
        if key.startswith("auto-"):
            self.notify(
                _(
                    "An automatic deduction is not a record to delete; if it failed, press f on its installment in the Schedule tab."
                ),
                severity="warning",
            )
            return
        rep_id = int(key)
        rep = next(r for r in self.view.state.repayments if r.id == rep_id)
        loan = self.view.state.loan
        today = self.debt_app.today
        question = delete_repayment_question(rep, loan)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.db(lambda store: delete_repayment(store, rep_id, today), lambda _r: self.reload())

        self.app.push_screen(ConfirmScreen(question), confirmed)

    def action_missed(self) -> None:
        """The highlighted installment's automatic deduction failed (or, asked again, went through after all)."""
        if self.view is None:
            return
        loan = self.view.state.loan
        tabs = self.query_one("#loan-tabs", TabbedContent)
        table = self.query_one("#schedule", DataTable)
        if not loan.autopay:
            self.notify(_("This loan is not repaid by automatic deduction (turn it on with e)."), severity="warning")
            return
        if tabs.active != "tab-schedule" or not table.row_count:
            self.notify(_("Pick the installment in the Schedule tab first."), severity="warning")
            return
        line = self.view.state.schedule[int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)]
        seq = line.installment.seq
        if seq is None:
            self.notify(_("Pick an installment, not a prepayment."), severity="warning")
            return
        undo = seq in loan.missed
        today, loan_id = self.debt_app.today, loan.id or 0
        if not undo and line.installment.due_date > today:
            self.notify(
                _("Installment {seq} is due on {date}; a deduction can only fail once its day has come.").format(
                    seq=seq, date=line.installment.due_date.isoformat()
                ),
                severity="warning",
            )
            return
        question = (
            _("Installment {seq}: the deduction went through after all?")
            if undo
            else _("Installment {seq} ({amount} on {date}): the deduction failed?")
        ).format(
            seq=seq, amount=fmt(line.installment.total, loan.currency, symbol=True), date=line.installment.due_date.isoformat()
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.db(lambda store: mark_missed(store, loan_id, seq, today, undo=undo), lambda _r: self.reload())

        self.app.push_screen(ConfirmScreen(question, _("Went through") if undo else _("Failed")), confirmed)
