"""All loans in a sortable, filterable table; Enter opens one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tracker.i18n import _, ngettext
from tracker.present.loans import LoanRow, loan_row
from tracker.service.views import LoanView, loan_views

from ..widgets import Cell, DataTable, Input, fill_table
from .base import DataScreen

COLUMNS = ("id", "name", "lender", "outstanding", "apr", "next_due", "status")


def _cells(row: LoanRow, amount_width: int = 0) -> list[str | Cell]:
    """A row's cells; the next payment's amount is right-aligned to ``amount_width`` after its date, so that the
    amounts of the column line up on their last digit as the dates do on their first."""
    overdue = row.status == "overdue"
    return [
        str(row.id),
        row.name,
        row.lender,
        Cell(row.outstanding, justify="right"),
        Cell(row.apr + (" !" if row.apr_warned else ""), "yellow" if row.apr_warned else "", "right"),
        f"{row.next_due}  {row.next_amount:>{amount_width}}" if row.next_due != "-" else "-",
        Cell(row.status_text, "bold red") if overdue else row.status_text,
    ]


class LoansScreen(DataScreen):
    SCREEN_NAME = "loans"
    # the list has the keys when the screen opens: focused as it is composed, so its first paint is the focused
    # one (a focus moved there after it would paint the whole table again: 70 ms of a 1,000-loan list)
    AUTO_FOCUS = "#loans"
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

    def reload_if_changed(self) -> None:
        kept = self.debt_app.kept_views()
        if kept is not None and kept[0] != self.loaded_token:
            # read by the dashboard since this list last read, and nothing written since: no second reading
            self.loaded_token, views = kept
            self.show_data(views)
            return
        super().reload_if_changed()

    def reload(self) -> None:
        today = self.debt_app.today
        self.load(lambda store: loan_views(store, today, include_closed=True), self.show_data)

    def show_data(self, views: list[LoanView]) -> None:
        self.views = views
        self.render_table()

    def render_table(self) -> None:
        table = self.query_one(DataTable)
        needle = self.query_one("#filter", Input).value.strip().lower()
        rows = [loan_row(v) for v in self.views if self.show_closed or v.state.status != "closed"]
        rows = [row for row in rows if row.matches(needle)]
        rows.sort(key=lambda row: row.sort_key(self.sort_column), reverse=self.sort_reverse)
        width = max((len(row.next_amount) for row in rows if row.next_due != "-"), default=0)  # digits: one cell each
        cells = [(str(row.id), _cells(row, width)) for row in rows]
        # widths measured on every fill: a header drawn before DataTable re-measures would go stale
        fill_table(table, [(label, key) for key, label in self.column_labels.items()], cells, drop=("lender",), shrink="name")
        hidden = sum(1 for v in self.views if v.state.status == "closed")
        hint = ngettext("{n} loan · sorted by {col}{rev}", "{n} loans · sorted by {col}{rev}", len(rows)).format(
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
        """The next column the list is shown with (a column left out at this width, the lender at 80 columns, is
        not one to sort by: the order would look random)."""
        shown = [key for key in COLUMNS if key in {str(c.key.value) for c in self.query_one(DataTable).columns.values()}]
        k = shown.index(self.sort_column) if self.sort_column in shown else -1
        self.sort_column = shown[(k + 1) % len(shown)]
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
