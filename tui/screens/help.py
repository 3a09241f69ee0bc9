"""Help: the keys and what each screen is for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import import_module

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
            first = binding.key.split(",")[0]  # the one the footer shows (a text field that types it: the next, Help's F1)
            out.append((binding.key_display or _KEY_WORDS.get(first, first), shown.group(1), binding.description))
    return out


_KEY_WORDS = {
    "delete": "Delete",
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "down": "↓",
    "up": "↑",
    "f1": "F1",
    "space": "Space",
}


def key_text(binding: Binding) -> str:
    """A binding's keys as Help writes them: "Ctrl+G", "Delete", "/", "j / ↓" (the footer's ^g is terser)."""
    if binding.key_display:
        return binding.key_display
    words = []
    for key in binding.key.split(","):
        if key.startswith("ctrl+"):
            words.append("Ctrl+" + key[5:].upper())
        else:
            words.append(_KEY_WORDS.get(key, key))
    return " / ".join(words)


def screen_sections() -> list[str]:
    """A table of each top-level screen's own keys, read from the screen's bindings: Help lists every key a
    screen has, the ones its footer leaves out for room too."""
    from . import SCREENS

    lines: list[str] = []
    for entry in SCREENS:
        if entry.name == "help":
            continue
        module, cls = (entry.module, entry.cls) if entry.module else ("dashboard", "DashboardScreen")
        screen = getattr(import_module(f"{__package__}.{module}"), cls)
        rows = [
            f"| {key_text(b)} | {b.tooltip or b.description} |"
            for b in screen.BINDINGS
            if isinstance(b, Binding) and b.key != "escape" and not b.action.startswith("app.focus")
        ]
        if rows:
            lines += ["", "### " + _(entry.title), "", "| " + _("key") + " | " + _("action") + " |", "|---|---|", *rows]
    return lines


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
            "## " + _("On each screen"),
            *screen_sections(),
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
