"""The app's screens, one module each, and the one registry of the top-level ones.

The registry gives each screen its key, the word the footer shows, its name and help in the
command palette, what the Help page says it is for, and how to build it: the app's bindings,
the palette, Help and ``make_screen`` all read it, so a screen is added or renamed in one place.
"""

from __future__ import annotations

from importlib import import_module

from msgspec import Struct
from textual.binding import Binding
from textual.screen import Screen

from tracker.i18n import N_, _


class ScreenEntry(Struct, frozen=True):
    name: str
    keys: str  # Textual key names, comma-separated
    label: str  # the footer's word (a msgid)
    title: str  # the name in the command palette (a msgid)
    summary: str  # the palette's line under it (a msgid)
    purpose: str  # what Help says the screen is for (a msgid)
    module: str = ""  # where its class lives (none for the dashboard, the app's first screen)
    cls: str = ""
    key_display: str | None = None

    def binding(self) -> Binding:
        tooltip = _(self.title) if self.title != self.label else ""
        return Binding(self.keys, f"show('{self.name}')", _(self.label), key_display=self.key_display, tooltip=tooltip)


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "dashboard",
        "d",
        N_("Home"),
        N_("Dashboard"),
        N_("Totals, dues, overdue and reminders"),
        N_("what you owe, this month's payments, the debt-to-income gauge, overdue alerts, the next dues and reminders"),
        "dashboard",
        "DashboardScreen",
    ),
    ScreenEntry(
        "loans",
        "l",
        N_("Loans"),
        N_("Loans"),
        N_("All loans: sort, filter, open one"),
        N_("every loan; / filters, s changes the sort (or click a header), h shows closed loans, Enter opens one"),
        "loans",
        "LoansScreen",
    ),
    ScreenEntry(
        "dti",
        "i",
        N_("DTI"),
        N_("Income and debt-to-income"),
        N_("Incomes, the ratio and the what-if"),
        N_("incomes, the ratio of debt payments to income over time, and what a new loan would do to it"),
        "dti",
        "DTIScreen",
    ),
    ScreenEntry(
        "plan",
        "p",
        N_("Plan"),
        N_("Payoff plan"),
        N_("Avalanche and snowball side by side"),
        N_("the fastest way out of debt for a monthly budget: avalanche and snowball side by side"),
        "plan",
        "PlanScreen",
    ),
    ScreenEntry(
        "credit",
        "c",
        N_("Credit"),
        N_("Credit-report checks"),
        N_("The two free reports a year"),
        N_("your two free credit reports a year: when the next is due, what each one found"),
        "credit",
        "CreditScreen",
    ),
    ScreenEntry(
        "audit",
        "u",
        N_("Audit"),
        N_("App-permission audit"),
        N_("The app-permission checklist"),
        N_("which apps can read your contacts and SMS, and where to switch it off"),
        "audit",
        "AuditScreen",
    ),
    ScreenEntry(
        "statements",
        "t",
        N_("Import"),
        N_("Import a statement"),
        N_("Record repayments from an Alipay, WeChat Pay or bank statement"),
        N_("an Alipay, WeChat Pay or bank statement: its rows matched to loans, then recorded; Ctrl+L lists the rules"),
        "statements",
        "StatementsScreen",
    ),
    ScreenEntry(
        "messages",
        "m",
        N_("Messages"),
        N_("Collection messages and evidence"),
        N_("Check a collection message; the contact timeline and evidence"),
        N_(
            "paste a collection message (or press w to type one) to see its red flags and what to do; the contact "
            "timeline (Enter on a contact corrects or deletes it, and its evidence files' notes); evidence files"
        ),
        "messages",
        "MessagesScreen",
    ),
    ScreenEntry(
        "help",
        "question_mark,f1",
        N_("Help"),
        N_("Help"),
        N_("Key bindings and what each screen is for"),
        N_("this page; F1 opens it from a text field too, where ? is typed"),
        "help",
        "HelpScreen",
    ),
)

BY_NAME = {entry.name: entry for entry in SCREENS}


def make_screen(name: str) -> Screen:
    """A top-level screen by its registry name (its module is imported only now)."""
    entry = BY_NAME.get(name)
    if entry is None or not entry.module:
        raise ValueError(name)
    return getattr(import_module(f"{__name__}.{entry.module}"), entry.cls)()
