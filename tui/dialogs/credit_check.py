"""Log a credit-report check, or the follow-up to what it found."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tracker.dates import parse_date
from tracker.errors import BadInput
from tracker.i18n import _
from tracker.inputs import clean_text
from tracker.models import CreditCheck
from tracker.service.health import edit_credit_check, log_credit_check, parse_anomalies

from .form import FieldForm


class CheckForm(FieldForm):
    """Log a credit-report check: when, where, what it showed; or correct one logged before."""

    AUTO_FOCUS = "#channel"  # a new check: the date defaults to today

    def __init__(self, check: CreditCheck | None = None) -> None:
        super().__init__()
        self.editing = check
        if check is not None:  # a correction: the fields in their order, the date first (typing replaces its text)
            self.AUTO_FOCUS = "#date"
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
