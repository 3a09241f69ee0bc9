"""Credit-report checks: the two free reports a year, when the next one is due, and a log of what each found."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tracker.i18n import _
from tracker.models import CreditCheck
from tracker.present.deletions import delete_check_question
from tracker.reminders import CreditCheckPlan
from tracker.service.health import check_plan, delete_credit_check, list_credit_checks

from ..dialogs.confirm import ConfirmScreen
from ..dialogs.credit_check import CheckForm, FollowUpForm
from ..widgets import DataTable, clip, fill_table
from .base import DataScreen
from .dti import BREAKPOINTS, CSS_PATH


class CreditScreen(DataScreen):
    SCREEN_NAME = "credit"
    CSS_PATH = CSS_PATH
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [
        Binding("a", "log_check", _("Log"), tooltip=_("Log a credit-report check")),
        Binding("e", "edit_check", _("Edit"), tooltip=_("Correct the selected check's date, channel or findings")),
        Binding("f", "follow_up", _("Follow-up"), tooltip=_("Note what you did about the selected check")),
        Binding("delete", "delete_check", _("Delete"), tooltip=_("Delete the selected check (logged by mistake)")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.checks: list[CreditCheck] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with Vertical(id="credit-body"):
            yield Static(id="credit-plan")
            yield Static(_("Your checks"), classes="section-title")
            yield DataTable(id="checks", cursor_type="row", zebra_stripes=True)
            yield Static(_("No checks logged yet: press a after you check."), id="checks-empty", classes="hint")
            yield Static(id="check-detail")
            yield Static(
                _(
                    "You may get two free credit reports a year (征信业管理条例 art. 17) from the PBOC Credit Reference "
                    "Center: ipcrs.pbccrc.org.cn (hotline 400-810-8866), many bank apps and 云闪付 (search 信用报告), "
                    "or a PBOC branch counter or self-service machine with your ID card. Disputes (异议) are free; "
                    "paid \u201ccredit repair\u201d is a scam."
                ),
                id="credit-note",
                classes="hint",
            )
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#checks", DataTable).focus()

    def reload(self) -> None:
        today = self.debt_app.today

        def load(store) -> tuple[list[CreditCheck], CreditCheckPlan]:
            return list_credit_checks(store), check_plan(store, today)

        self.load(load, self.show_data)

    def show_data(self, data: tuple[list[CreditCheck], CreditCheckPlan]) -> None:
        if not self.is_attached:
            return
        checks, plan = data
        self.checks = sorted(checks, key=lambda c: (c.date, c.id or 0), reverse=True)
        self.show_plan(plan)
        self.show_checks()

    def show_plan(self, plan: CreditCheckPlan) -> None:
        box = self.query_one("#credit-plan", Static)
        box.set_class(plan.due, "due")
        if plan.due:
            text = Text("● " + _("Free credit report check due (since {date})").format(date=plan.date.isoformat()), style="bold")
            text.append("\n  " + plan.reason + "\n  " + _("Check it, then press a to log it."))
        else:
            text = Text("○ " + _("Next free check: {date}").format(date=plan.date.isoformat()), style="bold")
            text.append("\n  " + plan.reason, style="dim")
        box.update(text)

    def show_checks(self) -> None:
        # below 110 columns the channel moves to the detail line, so the table fits without scrolling sideways
        wide = self.size.width >= 110
        channel = 20 if wide else 0
        # what is left after date, channel, anomalies and the cell padding: 3/5 to findings, the rest to the follow-up
        rest = max(self.size.width - 4 - 10 - channel - len(_("Anomalies")) - (10 if wide else 8), 24)
        findings = rest * 3 // 5
        rows: list[tuple[str | None, list[str | Text]]] = []
        for c in self.checks:
            follow = clip(c.follow_up, rest - findings) if c.follow_up else None
            if follow is None:
                follow = Text(_("none yet (f)"), style="yellow") if c.anomalies else Text("-")
            cells: list[str | Text] = [
                c.date.isoformat(),
                Text(str(c.anomalies), justify="right", style="bold red" if c.anomalies else ""),
                clip(c.findings, findings),
                follow,
            ]
            if wide:
                cells.insert(1, clip(c.channel, channel))
            rows.append((str(c.id), cells))
        columns = [(_("Date"), "date"), (_("Anomalies"), "anomalies"), (_("Findings"), "findings"), (_("Follow-up"), "follow_up")]
        if wide:
            columns.insert(1, (_("Channel"), "channel"))
        self.query_one("#checks-empty", Static).display = not rows
        fill_table(self.query_one("#checks", DataTable), columns, rows)
        self.show_detail()

    def show_detail(self) -> None:
        check = self.selected_check()
        box = self.query_one("#check-detail", Static)
        box.display = check is not None
        if check is None:
            return
        text = Text(check.date.isoformat(), style="bold")
        if check.channel:
            text.append(" · " + check.channel)
        text.append("\n" + _("Findings: {text}").format(text=check.findings or "-"))
        text.append("\n" + _("Follow-up: {text}").format(text=check.follow_up or "-"), style="" if check.follow_up else "dim")
        box.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_resize(self) -> None:
        if self.checks:
            self.show_checks()

    def selected_check(self) -> CreditCheck | None:
        table = self.query_one("#checks", DataTable)
        if not self.checks or not 0 <= table.cursor_row < len(self.checks):
            return None
        return self.checks[table.cursor_row]

    def action_log_check(self) -> None:
        self.app.push_screen(CheckForm())

    def action_delete_check(self) -> None:
        check = self.selected_check()
        if check is None:
            self.notify(_("Select a check first."), severity="warning")
            return
        check_id = check.id or 0
        question = delete_check_question(check)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.db(lambda store: delete_credit_check(store, check_id), lambda _r: self.reload())

        self.app.push_screen(ConfirmScreen(question), confirmed)

    def action_edit_check(self) -> None:
        check = self.selected_check()
        if check is None:
            self.notify(_("Select a check first."), severity="warning")
            return
        self.app.push_screen(CheckForm(check))

    def action_follow_up(self) -> None:
        check = self.selected_check()
        if check is None:
            self.notify(_("Select a check first."), severity="warning")
            return
        self.app.push_screen(FollowUpForm(check))
