"""Output shared by the commands: the console, borderless tables, styles, JSON, echo and confirmation.

A terminal gets Rich's drawing, in colour. Where there are no styles to draw (a pipe, a file, cron),
the plain console (``PlainConsole``) writes the same characters without importing Rich: a line
that fits is written as it is, and a table whose cells fit is laid out here, as ``_print_long``
lays it out; anything else (a line to wrap, a control character, a cell over several lines) goes to
Rich. The tests hold both to what Rich itself prints.
"""

import functools
import os
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ..i18n import _


def _echo(text: str = "", *, err: bool = False) -> None:
    """Print a line; text from outside is shown, never obeyed (see safe_text)."""
    from ..safe_text import visible

    typer.echo(visible(text, multiline=True), err=err)


def _err(message: str) -> None:
    from ..safe_text import visible

    typer.echo(_("debt: error: {message}").format(message=visible(message)), err=True)


class Styled:
    """Text in pieces, each a str or (text, style), over a base style: the commands' light stand-in for
    Rich's ``Text.assemble`` (a plain console writes ``plain``; a terminal's gets ``rich()``)."""

    __slots__ = ("parts", "style")

    def __init__(self, *parts: str | tuple[str, str | None], style: str | None = None) -> None:
        self.parts, self.style = parts, style

    @property
    def plain(self) -> str:
        return "".join(p if isinstance(p, str) else p[0] for p in self.parts)

    def __str__(self) -> str:
        return self.plain

    def rich(self):
        from rich.text import Text

        return Text.assemble(*(p if isinstance(p, str) else (p[0], p[1] or "") for p in self.parts), style=self.style or "")


def _styled(text: str, style: str | None) -> Styled:
    return Styled(text, style=style)


def _assemble(*parts: str | tuple[str, str | None]) -> Styled:
    """``Text.assemble``'s pieces: plain strings and (text, style) pairs."""
    return Styled(*parts)


def _for_rich(obj: object) -> object:
    return obj.rich() if isinstance(obj, Styled) else obj


# Printable ASCII (one cell, one byte in UTF-8) and the wide CJK characters of names and lenders (two cells, three
# bytes: ideographs, kana, Hangul, CJK and full-width punctuation), as Rich counts them; a test holds the two to it.
# Compiled when first needed (3.5 ms): most commands measure no Chinese text.
@functools.cache
def _narrow_or_wide() -> re.Pattern[str]:
    return re.compile(
        "[ -~\u3000-\u3029\u3030-\u303e\u3041-\u3096\u30a1-\u30fa\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff60\uffe0-\uffe6]*"
    )


def _cell_len(text: str) -> int:
    """Terminal cells the text takes, as Rich counts them (Rich's own count, character by character, only
    for what is neither plain ASCII nor wide CJK: a list of 10,000 loans measures 160,000 cells)."""
    if text.isascii():
        if text.isprintable():
            return len(text)
    elif _narrow_or_wide().fullmatch(text):
        return len(text) + (len(text.encode()) - len(text)) // 2  # each wide character: two more bytes, one more cell
    from rich.cells import cell_len

    return cell_len(text)


def _plain_output() -> bool:
    """Whether standard output takes no styles, as Rich decides it (a pipe or a file, nothing forcing a terminal)."""
    if sys.platform == "win32":
        return False  # Rich's own rules for the Windows console
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible == "1" or "FORCE_COLOR" in os.environ:
        return False
    if compatible == "0":
        return True
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:  # a closed stream
        return True


def _output_width() -> int:
    """The width Rich gives a console that is not a terminal: $COLUMNS, else the terminal on any of the
    standard streams, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = None
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


class PlainConsole:
    """A console with no styles to draw: lines that fit are written as they are; the rest goes to Rich."""

    color_system = None

    def __init__(self, width: int | None = None) -> None:
        self.width = _output_width() if width is None else width
        self._rich = None

    @property
    def file(self):
        return sys.stdout

    def rich(self):
        """Rich's console for what this one does not draw itself (made when first needed)."""
        if self._rich is None:
            self._rich = _rich_console(width=self.width, plain=True)
        return self._rich

    def print(self, *objects: object, style: str | None = None, soft_wrap: bool = False, **options: Any) -> None:
        """As Rich prints: a line wider than the console is wrapped, unless ``soft_wrap`` (one line, as long as it is)."""
        if not options and len(objects) <= 1:
            obj = objects[0] if objects else ""
            text = obj if isinstance(obj, str) else obj.plain if isinstance(obj, Styled) else None
            if text is not None and text.isprintable() and (soft_wrap or _cell_len(text) <= self.width):
                self.file.write(text + "\n")  # printable: nothing for safe_text.visible to show
                return
        self.rich().print(*objects, style=style, soft_wrap=soft_wrap, **options)


def _rich_console(*, width: int | None = None, plain: bool = False):
    from rich.console import Console
    from rich.segment import Segment

    from ..safe_text import visible
    from ..wrap import install

    install()  # Chinese lines break by character, never before "，" or after "“"

    class SafeConsole(Console):
        """Every character printed that is not the console's own styling is shown, never obeyed."""

        def print(self, *objects: object, **options: Any) -> None:
            super().print(*(_for_rich(o) for o in objects), **options)

        def _render_buffer(self, buffer):  # the one place text becomes terminal output
            return super()._render_buffer(
                seg if seg.control else Segment(visible(seg.text, multiline=True), seg.style, seg.control) for seg in buffer
            )

    # markup and emoji codes off: loan names, notes and messages are the user's text ("[/b]" and
    # ":warning:" print as typed); styles are given as Styled and style= instead
    options: dict[str, Any] = {"color_system": None} if plain else {}
    return SafeConsole(highlight=False, soft_wrap=False, markup=False, emoji=False, width=width, **options)


def _console():
    """The commands' console: Rich's at a terminal, the plain one where there are no styles."""
    return PlainConsole() if _plain_output() else _rich_console()


class Grid:
    """A borderless table's columns and rows (``_table``): laid out here for a plain console, or
    given to Rich as its ``Table`` (``rich()``). Cells are str (the user's text, never markup) or Styled."""

    def __init__(self, columns: tuple[str, ...], title: str | None, drop: tuple[str | tuple[str, ...], ...] = ()) -> None:
        self.columns = columns
        self.headers = [col.lstrip(">~") for col in columns]
        self.right = [col.startswith(">") for col in columns]
        self.shrink = [col.startswith("~") for col in columns]
        self.title = title
        self.drop = drop
        self.rows: list[tuple[tuple[object, ...], str | None]] = []
        self._need: list[int] | None = None

    def add_row(self, *cells: object, style: str | None = None) -> None:
        self.rows.append((cells, style))
        self._need = None

    @property
    def need(self) -> list[int]:
        """Each column's widest cell (or header) in cells, measured once for the rows added so far."""
        if self._need is None:
            cells = [[_cell_len(str(row[k])) for row, _style in self.rows] for k in range(len(self.headers))]
            self._need = [max([_cell_len(h), *col]) for h, col in zip(self.headers, cells, strict=True)]
        return self._need

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def widths(self, console_width: int) -> list[int]:
        """Each column's width: its widest cell, except that the '~' columns share what the others leave."""
        need = self.need
        shrinking = sum(self.shrink)
        if not shrinking:
            return need
        fixed = sum(n for n, s in zip(need, self.shrink, strict=True) if not s)
        spare = console_width - fixed - 2 * (len(self.headers) - 1) - 2
        share = max(spare // shrinking, 6)
        return [min(n, share) if s else n for n, s in zip(need, self.shrink, strict=True)]

    def fitted(self, console_width: int) -> "Grid":
        """The grid without its optional columns (``drop``, in that order) while it is wider than the console
        with its '~' columns at their narrowest: a figure is never cut, a column is left out whole."""
        if not self.drop:
            return self
        keep = list(range(len(self.headers)))
        need = self.need

        def least() -> int:
            return sum(min(need[k], 6) if self.shrink[k] else need[k] for k in keep) + 2 * (len(keep) - 1) + 2

        for names in self.drop:
            if least() <= console_width:
                break
            for name in (names,) if isinstance(names, str) else names:
                keep.remove(self.columns.index(name))
        if len(keep) == len(self.headers):
            return self
        grid = Grid(tuple(self.columns[k] for k in keep), self.title)
        grid.rows = [(tuple(cells[k] for k in keep), style) for cells, style in self.rows]
        grid._need = [need[k] for k in keep]
        return grid

    def rich(self):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        table = Table(title=self.title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, collapse_padding=True)
        for header, right, shrink in zip(self.headers, self.right, self.shrink, strict=True):
            table.add_column(
                header,
                justify="right" if right else "left",
                no_wrap=True,
                overflow="ellipsis" if shrink else "fold",
                ratio=1 if shrink else None,
            )
        for cells, style in self.rows:
            table.add_row(*(Text(c) if isinstance(c, str) else _for_rich(c) for c in cells), style=style)
        return table


def _table(*columns: str, title: str | None = None, drop: tuple[str | tuple[str, ...], ...] = ()) -> Grid:
    """A borderless table; a column named '>X' is right-aligned (amounts), '~X' may shrink; the columns named in
    ``drop`` are left out, in that order (a tuple of names together), on a console too narrow for the others."""
    return Grid(columns, title, drop)


def _print_indented(console, text: str, indent: int, style: str | None = None) -> None:
    """A paragraph under a heading, wrapped to the console (Chinese by character) with every line indented,
    not only the first."""
    from ..wrap import wrap_lines

    for line in wrap_lines(text, max(console.width - indent, 20)):
        console.print(" " * indent + line, style=style)


def _print_json(data: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, one compact line for a program reading a pipe
    or a file (msgspec's encoder: a list of 10,000 loans in a tenth of the time of json.dumps)."""
    import msgspec

    from ..safe_text import json_text

    encoded = msgspec.json.encode(data)
    if sys.stdout.isatty():
        encoded = msgspec.json.format(encoded, indent=2)
    typer.echo(json_text(encoded))


def _status_text(status: str) -> Styled:
    from ..models import STATUS_LABELS

    return _styled(_(STATUS_LABELS.get(status, status)), "bold red" if status == "overdue" else None)


def _print_table(console, grid: Grid) -> None:
    """Keep amounts, dates and statuses whole; only the '~' columns give up width, and the optional ones their place."""
    grid = grid.fitted(console.width)
    if isinstance(console, PlainConsole):
        if grid.rows and _print_plain(console, grid):
            return
        console = console.rich()
    widths = grid.widths(console.width)
    table = grid.rich()
    for col, width, shrink in zip(table.columns, widths, grid.shrink, strict=True):
        col.min_width = width
        if shrink:
            col.max_width = width
    if table.row_count < LONG_TABLE or not _print_long(console, table):
        console.print(table)


# rows from which a table is drawn line by line: any table with rows (Rich's layout took 0.4 s for 1,000
# rows, and a fifth of 'debt loan show' of a mortgage with its 65 repayments); Rich draws the empty ones
LONG_TABLE = 1


def _print_long(console, table) -> bool:
    """Draw a borderless table (``_table``) as Rich would, one line of cells at a time: the same
    text, widths and styles without Rich's layout engine. False, drawing nothing, for a table that
    does not fit the console or has a cell over several lines: Rich lays those out."""
    from rich.text import Span, Text

    columns = table.columns
    cells = [[c if isinstance(c, Text) else Text(str(c)) for c in col._cells] for col in columns]
    if any("\n" in cell.plain for col in cells for cell in col):
        return False
    widths = [col.min_width or 0 for col in columns]
    total = sum(widths) + 2 * (len(columns) - 1) + 2
    if total > console.width:
        return False
    last = len(columns) - 1

    def line(parts: list[Text], style: str = "") -> Text:
        """One row: the edge, each cell justified in its width (its padding in the row's style), the dividers."""
        plain, spans, pos = [" "], [], 1
        for k, part in enumerate(parts):
            if part.cell_len > widths[k]:
                part = part.copy()
                part.truncate(widths[k], overflow="ellipsis" if columns[k].overflow == "ellipsis" else "crop")
            gap = widths[k] - part.cell_len
            lead = gap if columns[k].justify == "right" else 0
            size = len(part.plain) + gap
            if part.style:
                spans.append(Span(pos, pos + size, part.style))
            spans += [Span(pos + lead + sp.start, pos + lead + sp.end, sp.style) for sp in part.spans]
            if style:  # the cell and its padding, as Rich draws them: two runs
                spans += [Span(pos, pos + size, style)] + ([Span(pos + size, pos + size + 1, style)] if k < last else [])
            plain += [" " * lead, part.plain, " " * (gap - lead), "  " if k < last else " "]
            pos += size + (2 if k < last else 1)
        return Text("".join(plain), spans=spans)

    lines = []
    if table.title:
        lines.append(Text(_padded(str(table.title), total), style=table.title_style or "table.title"))
    lines.append(Text(" " * total))
    lines.append(line([Text(col.header) for col in columns], str(table.header_style or "")))
    lines.append(Text(" " + "─" * (total - 2) + " "))
    lines += [line([cells[k][r] for k in range(len(columns))]) for r in range(table.row_count)]
    lines.append(Text(" " * total))
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ignore")  # each line fits: nothing to wrap
    return True


def _print_plain(console: PlainConsole, grid: Grid) -> bool:
    """``_print_long`` for a console without styles, from the grid itself: no Rich object is made.
    False, drawing nothing, for a table Rich must lay out (see ``_print_long``), or a cell with a
    character safe_text would show (Rich strips some before it does)."""
    texts = [[str(c) for c in cells] for cells, _style in grid.rows]
    if not all(c.isprintable() for row in texts for c in row):
        return False
    widths = grid.widths(console.width)
    total = sum(widths) + 2 * (len(widths) - 1) + 2
    if total > console.width:
        return False
    last = len(widths) - 1
    right, cut = grid.right, grid.shrink

    def line(parts: list[str]) -> str:
        out = [" "]
        for k, text in enumerate(parts):
            size = _cell_len(text)
            if size > widths[k]:
                text, size = _truncate(text, widths[k], ellipsis=cut[k])
            gap = widths[k] - size
            out += [text, " " * gap] if not right[k] else [" " * gap, text]
            out.append("  " if k < last else " ")
        return "".join(out)

    title = [_padded(grid.title, total)] if grid.title else []
    lines = [*title, " " * total, line(grid.headers), " " + "─" * (total - 2) + " ", *map(line, texts), " " * total]
    console.file.write("\n".join(lines) + "\n")
    return True


def _padded(title: str, width: int) -> str:
    """Text padded to ``width`` in cells (a CJK character takes two), as Rich pads a table's title."""
    return title + " " * max(width - _cell_len(title), 0)


def _truncate(text: str, width: int, *, ellipsis: bool) -> tuple[str, int]:
    """Text cut to ``width`` cells as Rich cuts a cell (an ellipsis or a crop: ``Text.truncate``), with its new width."""
    if _cell_len(text) > width:
        text = _cut(text, width - 1) + "…" if ellipsis else _cut(text, width)
    return text, _cell_len(text)


def _cut(text: str, total: int) -> str:
    """``rich.cells.set_cell_size`` of a text wider than ``total`` cells: the characters that fit, and a space
    where a wide character would cross the edge."""
    if not _narrow_or_wide().fullmatch(text):
        from rich.cells import set_cell_size

        return set_cell_size(text, total)
    if text.isascii():
        return text[:total]
    size = 0
    for k, char in enumerate(text):
        step = 1 if char < "\x7f" else 2
        if size + step > total:
            return text[:k] + " " * (total - size) if total > 0 else ""
        size += step
    return text


def _confirm(yes: bool, question: str, what: str) -> None:
    from ..inputs import require_confirmation
    from ..safe_text import visible

    asked = not yes and sys.stdin.isatty()
    if asked:
        yes = typer.confirm(visible(question), default=False)
    # with no terminal to ask on (a pipe, cron), the flag that confirms is the way
    require_confirmation(yes, what, hint="" if asked or yes else _("no terminal to ask on: add --yes to confirm"))


Record = TypeVar("Record")


def _confirm_record(
    yes: bool, store, raw_id: str, id_label: str, read: Callable[[Any, int], Record], question: Callable[[Record], str], what: str
) -> tuple[int, Record]:
    """Read the record a typed id names and ask about it before it goes: its id and the record.

    ``what`` names the action, the id as {id} ("delete contact {id}"); without --yes and a terminal to ask on, it refuses.
    """
    from ..inputs import parse_id

    record_id = parse_id(raw_id, id_label)
    record = read(store, record_id)
    _confirm(yes, question(record), what.format(id=record_id))
    return record_id, record
