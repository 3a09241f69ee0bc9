"""Credit-report checks: the two free reports a year, when the next one is due, and a log of what each found."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tracker.dates import parse_date
from tracker.errors import BadInput
from tracker.health import (
    check_plan,
    delete_credit_check,
    edit_credit_check,
    log_credit_check,
    parse_anomalies,  # the core's own rule, so the two cannot drift
)
from tracker.i18n import _
from tracker.models import CreditCheck
from tracker.reminders import CreditCheckPlan
from tracker.service import clean_text

from ..widgets import DataTable, fill_table
from .base import DataScreen
from .dti import BREAKPOINTS, CSS_PATH, FieldForm, clip
from .modals import ConfirmScreen


class CheckForm(FieldForm):
    """Log a credit-report check: when, where, what it showed; or correct one logged before."""

    FOCUS = "channel"  # the date defaults to today

    def __init__(self, check: CreditCheck | None = None) -> None:
        super().__init__()
        self.editing = check
        self.TITLE_TEXT = (
            _("Correct the check of {date}").format(date=check.date.isoformat()) if check else _("Log a credit-report check")
        )
        self.checks = {
            "date": self._date,
            "channel": lambda text: clean_text(text, _("channel")),
            "findings": lambda text: clean_text(text, _("findings"), limit=4000),
            "anomalies": lambda text: parse_anomalies(text.strip() or "0"),
        }

    def _date(self, text: str) -> None:
        when = parse_date(text, _("date"))
        if when > self.app.today:  # type: ignore[attr-defined]
            raise BadInput(_("a credit check cannot be dated in the future ({date})").format(date=when.isoformat()))

    def compose_fields(self) -> ComposeResult:
        c = self.editing
        yield from self.field("date", _("Date"), (c.date if c else self.app.today).isoformat())  # type: ignore[attr-defined]
        channels = [
            "ipcrs.pbccrc.org.cn",
            _("bank app"),
            _("云闪付 UnionPay app"),
            _("PBOC branch counter"),
            _("self-service machine"),
        ]
        yield from self.field(
            "channel", _("Channel"), c.channel if c else "", placeholder=_("where you got it"), suggestions=channels
        )
        yield from self.field("findings", _("Findings"), c.findings if c else "", placeholder=_("e.g. no overdue"))
        yield from self.field("anomalies", _("Anomalies"), str(c.anomalies) if c else "0")
        yield Static(_("Anomalies: how many entries you do not recognise or think are wrong."), classes="hint")

    def save(self) -> None:
        date, channel, findings, anomalies = (self.value(f) for f in ("date", "channel", "findings", "anomalies"))
        today = self.app.today  # type: ignore[attr-defined]
        anomalies = anomalies.strip() or "0"
        if self.editing is not None:
            check_id = self.editing.id or 0

            def edited(check: CreditCheck) -> None:
                self.notify(_("Updated credit check {id}.").format(id=check.id))
                self.dismiss(True)

            self.run(
                lambda store: edit_credit_check(
                    store, check_id, today, date=date, channel=channel, findings=findings, anomalies=anomalies
                ),
                edited,
            )
            return

        def done(check: CreditCheck) -> None:
            self.notify(_("Logged the check of {date}.").format(date=check.date.isoformat()))
            self.dismiss(True)

        self.run(
            lambda store: log_credit_check(store, today, date=date, channel=channel, findings=findings, anomalies=anomalies),
            done,
        )


class FollowUpForm(FieldForm):
    """What you did about a check's findings: a dispute filed, a call to the bank."""

    def __init__(self, check: CreditCheck) -> None:
        super().__init__()
        self.check_row = check
        self.TITLE_TEXT = _("Follow-up to the check of {date}").format(date=check.date.isoformat())
        self.checks = {"follow_up": lambda text: clean_text(text, _("follow-up"), limit=4000)}

    def compose_fields(self) -> ComposeResult:
        if self.check_row.findings:
            yield Static(_("Findings: {text}").format(text=self.check_row.findings), classes="hint")
        yield from self.field(
            "follow_up", _("Follow-up"), self.check_row.follow_up, placeholder=_("e.g. disputed the query with the bank")
        )

    def save(self) -> None:
        text, check_id, today = self.value("follow_up"), self.check_row.id or 0, self.app.today  # type: ignore[attr-defined]

        def done(_check: CreditCheck) -> None:
            self.notify(_("Follow-up saved."))
            self.dismiss(True)

        self.run(lambda store: edit_credit_check(store, check_id, today, follow_up=text), done)


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
            return store.credit_checks(), check_plan(store, today)

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
        question = _("Delete the credit check of {date} ({channel})?").format(
            date=check.date.isoformat(), channel=check.channel or "-"
        )

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
