"""Command palette: every screen and action by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tracker.i18n import _


def _entries():
    return [
        (_("Dashboard"), _("Totals, dues, overdue and reminders"), "show('dashboard')"),
        (_("Loans"), _("All loans: sort, filter, open one"), "show('loans')"),
        (_("Add loan"), _("A new loan with a live preview of its cost"), "add_loan"),
        (_("Income and debt-to-income"), _("Incomes, the ratio and the what-if"), "show('dti')"),
        (_("Payoff plan"), _("Avalanche and snowball side by side"), "show('plan')"),
        (_("Credit checks"), _("The two free reports a year"), "show('credit')"),
        (_("App audit"), _("The app-permission checklist"), "show('audit')"),
        (_("Import a statement"), _("Record repayments from an Alipay, WeChat Pay or bank statement"), "show('statements')"),
        (_("Messages"), _("Check a collection message; the contact timeline and evidence"), "show('messages')"),
        (_("Help"), _("Key bindings and what each screen is for"), "show('help')"),
        (_("Refresh"), _("Reload from the database"), "refresh"),
        (_("Toggle light/dark"), _("Switch the colour theme"), "toggle_dark"),
    ]


class DebtCommands(Provider):
    async def discover(self) -> Hits:
        for name, help_text, action in _entries():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in _entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)
