"""Small shared widgets: a DTI gauge, a percentage chart, a dropdown that stops at its ends, tables of user text."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable as _DataTable
from textual.widgets import Select as _Select
from textual.widgets import Static
from textual.widgets._select import SelectCurrent, SelectOverlay  # not exported; the overlay is Select's own part
from textual_plotext import PlotextPlot

from tracker.i18n import _
from tracker.money import fmt
from tracker.present.dti import dti_status_text, ratio_text
from tracker.safe_text import is_safe, visible


def money(minor: int, currency: str = "CNY") -> str:
    return fmt(minor, currency, symbol=True)


class Gauge(Static):
    """The DTI ratio on a bar with its bands: ok up to caution, caution up to warn, warning above.

    Drawn at render time, so the bar always fits the width the layout gives it.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._values: tuple[Decimal | None, Decimal, Decimal] | None = None

    def show(self, ratio: Decimal | None, caution: Decimal, warn: Decimal, status: str) -> None:
        """``status`` is the engine's (dti.classify on the exact ratio), never worked out here from
        the rounded figure: 40.004% is "caution" beside a bar that reads 40.0%."""
        self._values = (ratio, caution, warn, status)
        self.refresh(layout=True)

    def render(self) -> Text:
        if self._values is None:
            return Text("")
        ratio, caution, warn, label = self._values
        if ratio is None:
            return Text(_("No income recorded: add one on the Income/DTI screen (i)."), style="italic")
        width = max(10, min(40, self.size.width - 18))
        top = max(Decimal(1), ratio)
        bar = Text()
        for k in range(width):
            at = top * k / width
            style = "green" if at <= caution else ("yellow" if at <= warn else "red")
            filled = at < ratio
            bar.append("█" if filled else "░", style=style if filled else f"dim {style}")
        color = {"ok": "green", "caution": "yellow", "warning": "bold red"}[label]
        bar.append(f"  {ratio_text(ratio)} ", style="bold")
        bar.append(dti_status_text(label), style=color)
        bar.append("\n" + _("bands: ok ≤ {c:.0%} < caution ≤ {w:.0%} < warning").format(c=caution, w=warn), style="dim")
        return bar


class _StopAtEndsOverlay(SelectOverlay):
    """A dropdown's list whose Up and Down stop at the first and last option instead of wrapping around.

    Wrapping made it easy to land on the wrong loan kind: one Down too many from the last option picked the first.
    """

    def action_cursor_up(self) -> None:
        if self.highlighted is None or any(not option.disabled for option in self.options[: self.highlighted]):
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.highlighted is None or any(not option.disabled for option in self.options[self.highlighted + 1 :]):
            super().action_cursor_down()


class Select(_Select):
    """Textual's Select with a list that stops at its ends (every dropdown of the app is one of these).

    With nothing chosen yet it says so in the user's language (Textual's own prompt is an English "Select").
    """

    def __init__(self, options, *, prompt: str | None = None, **kwargs) -> None:
        super().__init__(options, prompt=_("Choose…") if prompt is None else prompt, **kwargs)

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _StopAtEndsOverlay(type_to_search=self._type_to_search).data_bind(compact=_Select.compact)


NICE_STEPS = [m * 10**k for k in range(-1, 7) for m in (1, 2, 2.5, 5)]


def percent_ticks(need: float, rows: int, most: int = 8) -> tuple[float, list[float]]:
    """A percentage axis from 0 to at least ``need`` on ``rows`` rows: (its top, its ticks).

    The ticks are round steps, each on a row of its own and the same number of rows apart (the top of the
    axis is chosen so that they land on rows exactly). At least three ticks where the rows allow, at most
    one every other row and at most ``most``. Of those, the most ticks whose top stays near the lowest
    possible (so that the line still fills the chart), then the lowest top.
    """
    span = rows - 1
    most = max(2, min(most, span // 2 + 1))
    fewest = min(3, most)
    axes: list[tuple[float, float, int]] = []  # top, step, ticks
    for step in NICE_STEPS:
        for apart in range(1, span + 1):
            top = step * span / apart
            if top < need:
                break  # further apart is lower still
            ticks = span // apart + 1
            if fewest <= ticks <= most:
                axes.append((top, step, ticks))
    if not axes:
        return need, [0.0]
    lowest = min(top for top, _step, _ticks in axes)
    top, step, ticks = min((a for a in axes if a[0] <= lowest * 1.15), key=lambda a: (-a[2], a[0]))
    return top, [round(k * step, 6) for k in range(ticks)]


class PercentPlot(PlotextPlot):
    """A chart of percentages: its y-axis from 0 with regular ticks labelled "%", as many as its height holds.

    The ticks are chosen when it is drawn, so they follow the height the layout gives it.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._need: float | None = None

    def percent_axis(self, need: float | None) -> None:
        """Show at least 0..need percent (None: the chart is empty)."""
        self._need = need
        self.refresh()

    def render(self):
        rows = self.size.height - 3  # the frame's top, the x-axis and its labels
        if self._need is not None and rows >= 2:
            top, ticks = percent_ticks(self._need, rows)
            self.plt.ylim(0, top)
            self.plt.yticks(ticks, [f"{tick:g}%" for tick in ticks])
        return super().render()


class DataTable(_DataTable):
    """A DataTable whose plain-string cells are shown as typed, never parsed as markup.

    Loan names, notes and statement rows are the user's text: "[/bold]" in one must not
    be read as a style (or crash the render).
    """

    def add_row(self, *cells, **kwargs):  # type: ignore[override]
        return super().add_row(*(safe_cell(cell) for cell in cells), **kwargs)


def safe_cell(cell):
    """A table cell as Text, its control and direction characters shown, never obeyed (same length: styles stay)."""
    if isinstance(cell, str):
        return Text(visible(cell))
    if isinstance(cell, Text) and not is_safe(cell.plain):
        cell = cell.copy()
        cell.plain = visible(cell.plain)
    return cell


def safe_text(text: Text | str, *, multiline: bool = True) -> Text:
    """Text for a Static: control and direction characters shown, never obeyed."""
    if isinstance(text, str):
        return Text(visible(text, multiline=multiline))
    if is_safe(text.plain, multiline=multiline):
        return text
    out = text.copy()
    out.plain = visible(text.plain, multiline=multiline)
    return out


def fill_table(
    table: DataTable,
    columns: list[tuple[str, str]],
    rows: list[tuple[str | None, list[str | Text]]],
    *,
    drop: tuple[str, ...] = (),
    shrink: str | None = None,
) -> None:
    """Replace a table's columns and rows, the column widths measured here, fitted to the table's width.

    DataTable measures auto-width columns on idle; a header drawn between add_row and that (the table growing
    from one row to several does it) keeps the label widths. Measured widths leave nothing to go stale.
    Plain strings become Text so that user data is never read as markup.

    On a narrow terminal the key figures stay: the columns named in ``drop`` are left out first, in that
    order, then the ``shrink`` column (a name) is cut with an ellipsis; amounts, dates and statuses never are.
    """
    cursor = table.cursor_row
    cells = [(key, [safe_cell(c) for c in row]) for key, row in rows]
    keys = [key for _label, key in columns]
    widths = {key: max([cell_len(label), *(row[k].cell_len for _key, row in cells)]) for k, (label, key) in enumerate(columns)}
    available = (table.size.width or table.app.size.width) - 2  # the vertical scrollbar
    kept = list(keys)

    def total() -> int:
        return sum(widths[key] + 2 * table.cell_padding for key in kept)

    for key in drop:
        if total() <= available:
            break
        kept.remove(key)
    if shrink in kept and total() > available:
        widths[shrink] = max(6, widths[shrink] - (total() - available))
    index = {key: k for k, key in enumerate(keys)}
    table.clear(columns=True)
    for label, key in columns:
        if key in kept:
            table.add_column(label, key=key, width=widths[key])
    for key, row in cells:
        shown = []
        for column in kept:
            cell = row[index[column]]
            if column == shrink and cell.cell_len > widths[column]:
                cell = cell.copy()
                cell.truncate(widths[column], overflow="ellipsis")
            shown.append(cell)
        table.add_row(*shown, key=key)
    if cells:
        table.move_cursor(row=min(cursor, len(cells) - 1))


def clip(text: str, width: int, style: str = "") -> Text:
    """One line of at most ``width`` cells (CJK characters take two), an ellipsis where it was cut."""
    line = Text(" ".join(text.split()), style=style)
    line.truncate(max(width, 1), overflow="ellipsis")
    return line
