"""Small shared widgets: a DTI gauge and plot helpers that follow the app theme."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.widgets import DataTable as _DataTable
from textual.widgets import Static

from tracker.i18n import _
from tracker.money import fmt


def money(minor: int, currency: str = "CNY") -> str:
    return fmt(minor, currency, symbol=True)


class Gauge(Static):
    """The DTI ratio on a bar with its bands: ok up to caution, caution up to warn, warning above."""

    def show(self, ratio: Decimal | None, caution: Decimal, warn: Decimal, width: int | None = None) -> None:
        width = width or max(10, min(40, self.size.width - 18))
        if ratio is None:
            self.update(Text(_("No income recorded: add one on the Income/DTI screen (i)."), style="italic"))
            return
        top = max(Decimal(1), ratio)
        cells = []
        for k in range(width):
            at = top * k / width
            style = "green" if at <= caution else ("yellow" if at <= warn else "red")
            filled = at < ratio
            cells.append(("█" if filled else "░", style if filled else f"dim {style}"))
        bar = Text()
        for ch, style in cells:
            bar.append(ch, style=style)
        label = "ok" if ratio <= caution else ("caution" if ratio <= warn else "warning")
        names = {"ok": _("ok"), "caution": _("caution"), "warning": _("warning")}
        color = {"ok": "green", "caution": "yellow", "warning": "bold red"}[label]
        bar.append(f"  {ratio:.1%} ", style="bold")
        bar.append(names[label], style=color)
        bar.append("\n" + _("bands: ok ≤ {c:.0%} < caution ≤ {w:.0%} < warning").format(c=caution, w=warn), style="dim")
        self.update(bar)


class DataTable(_DataTable):
    """A DataTable whose plain-string cells are shown as typed, never parsed as markup.

    Loan names, notes and statement rows are the user's text: "[/bold]" in one must not
    be read as a style (or crash the render).
    """

    def add_row(self, *cells, **kwargs):  # type: ignore[override]
        safe = [Text(cell) if isinstance(cell, str) else cell for cell in cells]
        return super().add_row(*safe, **kwargs)
