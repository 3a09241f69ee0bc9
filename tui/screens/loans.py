"""All loans in a sortable, filterable table; Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from tracker.i18n import _
from tracker.models import STATUS_LABELS
from tracker.money import fmt
from tracker.service.views import LoanView, loan_views

from ..widgets import DataTable, fill_table
from .base import DataScreen

COLUMNS = ("id", "name", "lender", "outstanding", "apr", "next_due", "status")


def _key(v: LoanView, column: str):
    st = v.state
    nxt = st.next_due
    return {
        "id": st.loan.id or 0,
        "name": st.loan.name,
        "lender": st.loan.lender,
        "outstanding": st.outstanding_principal,
        "apr": v.cost.apr if v.cost.apr is not None else -1,
        "next_due": nxt.installment.due_date.isoformat() if nxt else "9999",
        "status": st.status,
    }[column]


class LoansScreen(DataScreen):
    SCREEN_NAME = "loans"
    BINDINGS = [
        Binding("a", "app.add_loan", _("Add loan")),
        Binding("k", "app.add_card", _("Add card")),
        Binding("slash", "filter", _("Filter")),
        Binding("s", "sort", _("Sort")),
        Binding("h", "toggle_closed", _("Show closed")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views: list[LoanView] = []
        self.sort_column = "id"
        self.sort_reverse = False
        self.show_closed = False
        self.column_labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Input(placeholder=_("Filter by name, lender or status (/)"), id="filter")
        yield DataTable(id="loans", cursor_type="row", zebra_stripes=True)
        yield Static(id="loans-hint", classes="hint")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        labels = [_("ID"), _("Name"), _("Lender"), _("Outstanding"), _("APR"), _("Next due"), _("Status")]
        self.column_labels = dict(zip(COLUMNS, labels, strict=True))
        for key, label in self.column_labels.items():
            table.add_column(label, key=key)
        table.focus()

    def reload(self) -> None:
        today = self.debt_app.today
        self.load(lambda store: loan_views(store, today, include_closed=True), self.show_data)

    def show_data(self, views: list[LoanView]) -> None:
        self.views = views
        self.render_table()

    def render_table(self) -> None:
        table = self.query_one(DataTable)
        needle = self.query_one("#filter", Input).value.strip().lower()
        rows = [v for v in self.views if self.show_closed or v.state.status != "closed"]
        if needle:
            rows = [
                v
                for v in rows
                if needle
                in f"{v.state.loan.name} {v.state.loan.lender} {v.state.status} {_(STATUS_LABELS[v.state.status])}".lower()
            ]
        rows.sort(key=lambda v: _key(v, self.sort_column), reverse=self.sort_reverse)
        cells = []
        for v in rows:
            st, loan = v.state, v.state.loan
            nxt = st.next_due
            status = _(STATUS_LABELS[st.status])
            if st.status == "overdue":
                status = Text(f"{status} " + _("{days}d").format(days=st.days_overdue), style="bold red")
            apr = "-" if v.cost.apr is None else f"{v.cost.apr}%" + (" !" if v.warnings else "")
            cells.append(
                (
                    str(loan.id),
                    [
                        str(loan.id),
                        loan.name,
                        loan.lender,
                        Text(fmt(st.outstanding_principal, loan.currency, symbol=True), justify="right"),
                        Text(apr, justify="right", style="yellow" if v.warnings else ""),
                        f"{nxt.installment.due_date.isoformat()}  {fmt(nxt.unpaid, loan.currency)}" if nxt else "-",
                        status,
                    ],
                )
            )
        # widths measured on every fill: a header drawn before DataTable re-measures would go stale
        fill_table(table, [(label, key) for key, label in self.column_labels.items()], cells, drop=("lender",), shrink="name")
        hidden = sum(1 for v in self.views if v.state.status == "closed")
        hint = _("{n} loans · sorted by {col}{rev}").format(
            n=len(rows), col=self.column_labels[self.sort_column], rev=" ↓" if self.sort_reverse else ""
        )
        if hidden and not self.show_closed:
            hint += " · " + _("{n} closed hidden (h)").format(n=hidden)
        if not self.views:
            hint = _("No loans yet: press a to add one.")
        self.query_one("#loans-hint", Static).update(hint)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.render_table()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        self.sort_reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column = column
        self.render_table()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from .loan_detail import LoanDetailScreen

        self.app.push_screen(LoanDetailScreen(int(event.row_key.value or 0)))

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        k = COLUMNS.index(self.sort_column)
        self.sort_column = COLUMNS[(k + 1) % len(COLUMNS)]
        self.sort_reverse = False
        self.render_table()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.render_table()

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus and box.value:
            box.value = ""
            self.query_one(DataTable).focus()
            return
        super().action_back()
