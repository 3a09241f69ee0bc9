"""Help: the keys and what each screen is for."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from tracker.i18n import _

from .base import DataScreen


def purposes() -> dict[str, str]:
    """What each screen of the top bar is for, by the screen's name (from the registry)."""
    from . import SCREENS

    return {entry.name: _(entry.purpose) for entry in SCREENS}


SHOW = re.compile(r"show\('(\w+)'\)")


def screen_keys(bindings: Iterable[BindingType]) -> list[tuple[str, str, str]]:
    """(key, screen, name) for each binding that opens a screen: the key and the name the footer shows for it."""
    out = []
    for binding in bindings:
        if isinstance(binding, Binding) and (shown := SHOW.fullmatch(binding.action)):
            out.append((binding.key_display or binding.key.split(",")[0], shown.group(1), binding.description))
    return out


def help_text(bindings: Iterable[BindingType]) -> str:
    """The help page; its screens named as the footer names them (the app's bindings), in the footer's order."""
    what = purposes()
    return "\n".join(
        [
            "# " + _("debt-tracker help"),
            "",
            _("Everything stays in one file on this computer; nothing is sent anywhere."),
            "",
            "## " + _("Screens"),
            "",
            "| " + _("key") + " | " + _("screen") + " | " + _("what it is for") + " |",
            "|---|---|---|",
            *(f"| {key} | {name} | {what[screen]} |" for key, screen, name in screen_keys(bindings)),
            "",
            "## " + _("In a loan"),
            "",
            "| " + _("key") + " | " + _("action") + " |",
            "|---|---|",
            "| s / y | " + _("the Schedule tab / the Repayments tab") + " |",
            "| r | " + _("record a repayment (defaults to what is due and today's date)") + " |",
            "| e | " + _("edit the loan's terms; the schedule is recomputed") + " |",
            "| x | " + _("pay the loan off (a prepayment of everything owed today)") + " |",
            "| Delete | " + _("delete the loan and its repayments, after confirming") + " |",
            "| Ctrl+D | " + _("delete the selected repayment (Repayments tab)") + " |",
            "| b | " + _("a card: record its monthly bill") + " |",
            "| f | " + _("auto-debit: the selected installment's deduction failed (again: it went through)") + " |",
            "",
            "## " + _("On the dashboard and the loans list"),
            "",
            "| " + _("key") + " | " + _("action") + " |",
            "|---|---|",
            "| a | " + _("add a loan") + " |",
            "| k | " + _("add a credit card (loans list)") + " |",
            "",
            "## " + _("Everywhere"),
            "",
            "| " + _("key") + " | " + _("action") + " |",
            "|---|---|",
            "| Ctrl+P | " + _("command palette: every screen and action by name") + " |",
            "| Ctrl+R / F5 | " + _("reload from the database (after using the command line)") + " |",
            "| Ctrl+T | " + _("light or dark colours") + " |",
            "| Esc | " + _("back") + " |",
            "| q | " + _("quit") + " |",
            "",
            _(
                "APR is the true yearly cost from the loan's real cash flows (what you received against what you pay), not the advertised rate."
            ),
        ]
    )


class HelpScreen(DataScreen):
    SCREEN_NAME = "help"
    # Textual sizes a table's columns by their longest word, and a Chinese sentence is one long
    # word, so at 80 columns every column was squeezed and 按键 wrapped. The last column of the
    # screens table takes what is left instead (a two-column table keeps "auto auto").
    DEFAULT_CSS = """
    HelpScreen MarkdownTableContent {
        grid-columns: auto auto 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll():
            yield Markdown(help_text(self.app.BINDINGS))
        yield from self.compose_footer()

    def reload(self) -> None:
        pass
