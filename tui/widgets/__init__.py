"""Small shared widgets: a footer built once per refresh, a DTI gauge, a percentage chart, a dropdown that stops at its ends, tables of user text, text fields that take keys in the order they come."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import DataTable as _DataTable
from textual.widgets import Footer as _Footer
from textual.widgets import Input as _Input
from textual.widgets import Select as _Select
from textual.widgets import Static
from textual.widgets import TextArea as _TextArea
from textual.widgets._footer import FooterKey  # not exported; the footer's own part, one per key
from textual.widgets._select import SelectCurrent, SelectOverlay  # not exported; the overlay is Select's own part
from textual_plotext import PlotextPlot

from tracker.i18n import _
from tracker.money import fmt
from tracker.present.dti import dti_status_text, ratio_text
from tracker.safe_text import is_safe, visible
from tracker.wrap import line_starts


def money(minor: int, currency: str = "CNY") -> str:
    return fmt(minor, currency, symbol=True)


class _KeysInOrder:
    """A text field that runs its own key bindings (backspace, the arrows, Home, Enter) as the key comes.

    Textual types a printable key into the field at once but runs a key binding only once the key has
    bubbled up to the App, through each container on the way: keys that arrive together (typing over a
    slow connection, a terminal that sends what was typed in one burst) took effect out of order. "abc",
    backspace, "e" left "abc" (the "e" typed, then the backspace deleted it). The field's own bindings
    run here, in turn; a binding of the App or a screen marked priority still comes first (the App
    checks those before the key reaches the field), and a key the field does not bind goes on as before.
    """

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):  # type: ignore[attr-defined]
            if not binding.priority and await self.app.run_action(binding.action, self):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)  # type: ignore[misc]


class Input(_KeysInOrder, _Input):
    """The app's one-line text field (``_KeysInOrder``); its name is Input, so styles for Input apply."""


class TextArea(_KeysInOrder, _TextArea):
    """The app's text box (``_KeysInOrder``)."""


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
    It is made compact or not as its Select is (bound to it after): the class set on mount restyled it and its options.
    """

    def __init__(self, *, type_to_search: bool = True, compact: bool = False) -> None:
        super().__init__(type_to_search=type_to_search)
        self.compact = compact

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
        yield _StopAtEndsOverlay(type_to_search=self._type_to_search, compact=self.compact).data_bind(compact=_Select.compact)


class Indented(Static):
    """Paragraphs wrapped at the widget's width as it is drawn, each line of one indented as the paragraph says: a
    numbered step's later lines under its words, not under its number ("1. 请自己在…" / "   或银行卡背面…"). Textual
    wraps a Static's text back to its left edge, losing the indentation its first line had."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._paragraphs: list[tuple[int, int, Text]] = []

    def show(self, paragraphs: list[tuple[int, int, Text]]) -> None:
        """Each paragraph: (its indent, how much further its later lines are indented, its text)."""
        self._paragraphs = [(indent, hang, safe_text(text)) for indent, hang, text in paragraphs]
        self.refresh(layout=True)

    def render(self) -> Text:
        width = self.content_region.width or self.app.size.width
        lines: list[Text] = []
        for indent, hang, text in self._paragraphs:
            starts = line_starts(text.plain, max(width - indent - hang, 8))
            for k, (a, b) in enumerate(zip(starts, [*starts[1:], len(text.plain)], strict=True)):
                part = text[a:b]
                part.rstrip()
                lines.append(Text.assemble(" " * (indent + (hang if k else 0)), part))
        return Text("\n").join(lines)


class ChartTitle(Static):
    """A chart's title with its legend after it where both fit the line, else the legend on a line of its own
    (decided as it is drawn, at its width): wrapped with the title, a Chinese name broke in two ("雪崩" / "法")."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._parts = (Text(), Text())

    def show(self, title: Text, legend: Text) -> None:
        self._parts = (title, legend)
        self.refresh(layout=True)

    def render(self) -> Text:
        title, legend = self._parts
        if not legend:
            return title
        room = self.content_region.width
        between = "  " if not room or title.cell_len + 2 + legend.cell_len <= room else "\n"
        return Text.assemble(title, between, legend)


NICE_STEPS = [m * 10**k for k in range(-1, 7) for m in (1, 2, 2.5, 5)]


class Footer(_Footer):
    """Textual's footer, built again once however many times the keys change before the next refresh.

    The footer is one widget per key, built again after every change of the active bindings. Opening
    a screen changes them several times (the screen stack, the focus, a table filled), and each
    rebuild styled every key once more: a fifth of a second of opening the loans list went there.
    A rebuild already waiting serves the later changes too: it reads the bindings when it runs, and
    a change during a rebuild queues a new one. A rebuild that would show the same keys (a signal that
    changed nothing shown, such as a table filled) is skipped.
    """

    _rebuild_queued = False

    def compose(self) -> ComposeResult:
        """Textual's keys, as many as fit on the line whole, in their order: a key cut at the edge ("m Messa")
        said less than none. The ones left out are in Help (?), which lists every key of the screen."""
        room = self.app.size.width  # the footer spans its screen
        for widget in super().compose():
            if room is not None and isinstance(widget, FooterKey) and not widget.has_class("-grouped"):
                text = cell_len(widget.key_display) + (cell_len(widget.description) + 1 if widget.description else 0)
                need = text + 1 if self.compact else text + 2  # compact: a margin after it; else padding around
                if need > room + self.compact:  # the last key's margin may fall off the line
                    room = None  # this one and every key after it
                    continue
                room -= need
            elif room is None and isinstance(widget, FooterKey):
                continue
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        if self._built and self._built[-1] != self.app.size.width:
            self.call_after_refresh(self.recompose)  # another width: another set of keys fits

    def call_after_refresh(self, callback, *args, **kwargs) -> bool:
        if callback != self.recompose or args or kwargs:
            return super().call_after_refresh(callback, *args, **kwargs)
        if self._rebuild_queued:
            return True
        self._rebuild_queued = super().call_after_refresh(self._rebuild)
        return self._rebuild_queued

    _built: tuple | None = None  # what the keys shown were built from

    def _shown(self) -> tuple:
        """Everything ``compose`` reads to build the keys: equal when a rebuild would show the same."""
        if not self._bindings_ready:
            return ()
        keys = tuple(
            (binding.key, self.app.get_key_display(binding), str(binding.description), binding.action, binding.group)
            + (enabled, tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, self.compact, self.app.size.width)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if not self.is_attached or self._pruning:
            return  # its screen was closed meanwhile (as recompose itself does)
        shown = self._shown()
        if shown == self._built:
            return  # the same keys: a rebuild would restyle every one of them for nothing
        self._built = shown
        await self.recompose()


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
            self.plt.yticks(ticks, [self.label(tick) for tick in ticks])
        return super().render()

    @staticmethod
    def label(tick: float) -> str:
        return f"{tick:g}%"


def month_ticks(plt, days: Sequence[dt.date], parts: int = 4) -> None:
    """Label a chart whose x runs 0, 1, ... over ``days`` with about ``parts`` of their months ("26-07"). The ticks
    stay off the right edge, where plotext drops or keeps a label depending on rounding."""
    step = max(1, len(days) // parts)
    plt.xticks(list(range(len(days)))[:-1][::step], [day.strftime("%y-%m") for day in days[:-1][::step]])


class AmountPlot(PercentPlot):
    """A chart of amounts in major units (yuan): the same round ticks from 0, labelled as amounts ("250,000")
    rather than as plotext's own fractions of the range ("4166.7")."""

    def amount_axis(self, need: float | None) -> None:
        """Show at least 0..need (None or 0: the chart is empty)."""
        self.percent_axis(need or None)

    @staticmethod
    def label(tick: float) -> str:
        return f"{tick:,.0f}" if tick == int(tick) else f"{tick:,.2f}".rstrip("0")


Rows = Sequence[tuple[str | None, Sequence[str | Text]]]


class DataTable(_DataTable):
    """A DataTable whose plain-string cells are shown as typed, never parsed as markup, and whose long lists
    cost what is on screen (``show_rows``).

    Loan names, notes and statement rows are the user's text: "[/bold]" in one must not
    be read as a style (or crash the render).

    With a row cursor, Home and End go to the first and the last row (there are no columns to move to).
    """

    def __init__(self, *args, **kwargs) -> None:
        self._later: deque[tuple[str | None, Sequence[str | Text]]] = deque()  # rows of show_rows not created yet
        self._revealing = False
        self._painted_size: Size | None = None  # the size of the lines last rendered
        super().__init__(*args, **kwargs)

    def add_row(self, *cells, **kwargs):  # type: ignore[override]
        return super().add_row(*(safe_cell(cell) for cell in cells), **kwargs)

    # -- long tables: every row belongs to the table, a row is created when it comes near the view --------------
    def show_rows(self, rows: Rows) -> None:
        """Replace the rows (one line each). The table holds all of them at once: its height and scrollbar, End,
        Page Down and the widths of the columns sized to their content count every row. But creating a row
        (and Textual measuring it) is what a long table costs, so a row is created only when the view or the
        cursor comes within a page of it; the rows come in order, so moving far down creates those above too.
        Its cells become Text (``safe_cell``) then too. A screen sorts and filters its list before handing it
        over (``DataTable.sort`` would see the created rows only).
        """
        self.clear()
        later = deque(rows)
        for k, column in enumerate(self.ordered_columns):
            if column.auto_width:  # measured once on every row, so the column does not widen as rows come
                widest = max((cell_width(cells[k]) for _key, cells in later if k < len(cells)), default=0)
                column.content_width = max(column.content_width, widest)
        self._later = later
        self._reveal_near_view()

    @property
    def total_rows(self) -> int:
        """Every row of the table, created or not yet (``row_count`` counts the created ones)."""
        return self.row_count + len(self._later)

    @property
    def _total_row_height(self) -> int:
        # the rows not created yet count in the height, so the scrollbar and the scrolling span the whole list
        return super()._total_row_height + len(self._later)

    def _reveal(self, upto: int) -> None:
        """Create the rows up to the ``upto``-th."""
        later, add = self._later, super().add_row
        if self._revealing:
            return  # add_row sets the cursor again: its watcher must not start another round inside this one
        self._revealing = True
        try:
            while later and self.row_count < upto:
                key, cells = later.popleft()
                add(*(safe_cell(cell) for cell in cells), key=key)
        finally:
            self._revealing = False

    def _page(self) -> int:
        return max(self.size.height or self.app.size.height, 10)

    def _reveal_near_view(self) -> None:
        """Keep at least a row beyond the view and the cursor, adding a page at a time."""
        if not self._later:
            return
        page = self._page()
        bottom = max(int(self.scroll_y) + page, self.cursor_row + 1)
        if self.row_count <= bottom:
            self._reveal(bottom + page)

    def clear(self, columns: bool = False):
        self._later = deque()
        return super().clear(columns)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._reveal_near_view()  # the wheel, the scrollbar

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        if old_coordinate != new_coordinate:
            self._reveal_near_view()
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)

    def render_lines(self, crop):
        self._painted_size = self.size
        return super().render_lines(crop)

    def _on_resize(self, event: events.Resize) -> None:
        # Textual's DataTable handler, called after this one, drops every rendered line. The first Resize comes
        # after the first paint, at the size that paint had: it changes nothing then, and redrawing a screen of a
        # long list cost its first paint again (70 ms of the 1,000-loan list)
        if event.size == self._painted_size:
            event.prevent_default()
        self._reveal_near_view()  # laid out taller than the page guessed before

    def move_cursor(self, *, row: int | None = None, **kwargs) -> None:
        if row is not None:
            self._reveal(row + self._page())
        super().move_cursor(row=row, **kwargs)

    def action_page_down(self) -> None:
        self._reveal(self.cursor_row + 2 * self._page())
        super().action_page_down()

    def action_scroll_bottom(self) -> None:
        self._reveal(self.total_rows)
        super().action_scroll_bottom()

    def action_scroll_end(self) -> None:
        if self.cursor_type == "row" and self.show_cursor:
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()

    def action_scroll_home(self) -> None:
        if self.cursor_type == "row" and self.show_cursor:
            self.action_scroll_top()
        else:
            super().action_scroll_home()


def set_breakpoint_classes(screen: Screen) -> None:
    """Give a screen the classes of its breakpoints (``-short``, ``-wide``, ...) at the app's size as it is made.
    Textual gives them on the first Resize, after the screen is styled: that restyled every widget of it once
    more (25 to 75 ms of opening a screen or a dialog). Chosen as Textual chooses them: per axis, the class of the
    largest breakpoint the size reaches."""
    try:
        width, height = screen.app.size
    except NoActiveAppError:
        return
    app = screen.app
    for size, points in (
        (width, app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None else screen.HORIZONTAL_BREAKPOINTS),
        (height, app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None else screen.VERTICAL_BREAKPOINTS),
    ):
        reached = [name for edge, name in sorted(points or [], reverse=True) if size >= edge]
        if reached:
            screen.add_class(reached[0])


class Cell(NamedTuple):
    """A styled table cell, made Text only when its row is shown (``safe_cell``): a list of 1,000 loans made
    4,000 Text objects for the 40 rows it shows."""

    text: str
    style: str = ""
    justify: str | None = None  # as Text takes it: "right" for amounts


def cell_width(cell: str | Text | Cell) -> int:
    """The cells ``safe_cell`` makes of a table cell take (its Text is made only for a row shown)."""
    text = cell if isinstance(cell, str) else cell.text if isinstance(cell, Cell) else cell.plain
    if text.isascii() and text.isprintable():  # ids, amounts, dates: one cell a character, nothing to show
        return len(text)
    return cell_len(visible(text))


def safe_cell(cell):
    """A table cell as Text, its control and direction characters shown, never obeyed (same length: styles stay)."""
    if isinstance(cell, str):
        return Text(visible(cell))
    if isinstance(cell, Cell):
        return Text(visible(cell.text), style=cell.style, justify=cell.justify)
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
    from one row to several does it) keeps the label widths. Measured widths leave nothing to go stale, and
    they are measured on every row, so they stay while a long table creates its rows as they come into view
    (``DataTable.show_rows``). Plain strings become Text so that user data is never read as markup.

    On a narrow terminal the key figures stay: the columns named in ``drop`` are left out first, in that
    order, then the ``shrink`` column (a name) is cut with an ellipsis; amounts, dates and statuses never are.
    """
    cursor = table.cursor_row
    cells = [(key, list(row)) for key, row in rows]
    keys = [key for _label, key in columns]
    widths = {key: max([cell_len(label), *(cell_width(row[k]) for _key, row in cells)]) for k, (label, key) in enumerate(columns)}
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
    index = [keys.index(key) for key in kept]
    table.clear(columns=True)
    for label, key in columns:
        if key in kept:
            table.add_column(label, key=key, width=widths[key])
    if shrink in kept:
        cut, width = keys.index(shrink), widths[shrink]
        for _key, row in cells:
            if cell_width(row[cut]) > width:
                row[cut] = ellipsize(safe_cell(row[cut]), width)
    table.show_rows([(key, [row[k] for k in index]) for key, row in cells])
    if cells:
        table.move_cursor(row=min(cursor, len(cells) - 1))


def ellipsize(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells, cut with "…" right after its last whole character when it is wider: Rich's
    own cut fills the cell a Chinese character no longer fits with a space first ("信用卡分 …"), or cuts after a space."""
    width = max(width, 1)
    if text.cell_len <= width:
        return text
    n = used = 0  # the characters kept: as many as leave a cell for the ellipsis
    while used + cell_len(text.plain[n]) <= width - 1:
        used += cell_len(text.plain[n])
        n += 1
    out = text[:n]
    out.rstrip()  # nor a space before it ("信用卡分期 …")
    out.append("…")
    return out


def clip(text: str, width: int, style: str = "") -> Text:
    """One line of at most ``width`` cells (CJK characters take two), an ellipsis where it was cut."""
    return ellipsize(Text(" ".join(text.split()), style=style), width)
