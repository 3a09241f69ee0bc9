"""Rich output shared by the commands: the console, borderless tables, styles, JSON, echo and confirmation."""

import json
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


def _console():
    from rich.console import Console
    from rich.segment import Segment

    from ..safe_text import visible
    from ..wrap import install

    install()  # Chinese lines break by character, never before "，" or after "“"

    class SafeConsole(Console):
        """Every character printed that is not the console's own styling is shown, never obeyed."""

        def _render_buffer(self, buffer):  # the one place text becomes terminal output
            return super()._render_buffer(
                seg if seg.control else Segment(visible(seg.text, multiline=True), seg.style, seg.control) for seg in buffer
            )

    # markup off: loan names, notes and messages are the user's text ("[/b]" must print as typed);
    # styles are given as Text and style= instead
    return SafeConsole(highlight=False, soft_wrap=False, markup=False)


def _styled(text: str, style: str | None):
    from rich.text import Text

    return Text(text, style=style or "")


def _plain_table_class():
    from rich.table import Table
    from rich.text import Text

    class PlainTable(Table):
        """Cells given as str are the user's text, never markup."""

        def add_row(self, *cells, **kwargs):  # type: ignore[override]
            super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **kwargs)

    return PlainTable


def _table(*columns: str, title: str | None = None):
    """A borderless table; a column named '>X' is right-aligned (amounts), '~X' may shrink."""
    from rich import box

    table = _plain_table_class()(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, collapse_padding=True)
    for col in columns:
        right = col.startswith(">")
        shrink = col.startswith("~")
        table.add_column(
            col.lstrip(">~"),
            justify="right" if right else "left",
            no_wrap=True,
            overflow="ellipsis" if shrink else "fold",
            ratio=1 if shrink else None,
        )
    return table


def _print_json(data: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, one line for a program reading a pipe or a
    file (the same JSON; json's C encoder writes it several times faster than the indented form)."""
    from ..safe_text import json_text

    indent = 2 if sys.stdout.isatty() else None
    typer.echo(json_text(json.dumps(data, ensure_ascii=False, indent=indent)))


def _status_text(status: str):
    from ..models import STATUS_LABELS

    return _styled(_(STATUS_LABELS.get(status, status)), "bold red" if status == "overdue" else None)


def _print_table(console, table) -> None:
    """Keep amounts, dates and statuses whole; only the '~' columns give up width."""
    from rich.text import Text

    def width(cell: object) -> int:
        if isinstance(cell, Text):
            return cell.cell_len
        return Text(cell).cell_len if isinstance(cell, str) else 0

    fixed, shrink = [], []
    for col in table.columns:
        need = max([width(col.header), *(width(c) for c in col._cells)])
        if col.ratio is None:
            col.min_width = need
            fixed.append(need)
        else:
            shrink.append((col, need))
    if shrink:
        spare = console.width - sum(fixed) - 2 * (len(table.columns) - 1) - 2
        share = max(spare // len(shrink), 6)
        for col, need in shrink:
            col.max_width = min(need, share)
            col.min_width = min(need, share)
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
    for k, col in enumerate(columns):
        if col.max_width is None:
            widths[k] = max([widths[k], Text(col.header).cell_len, *(cell.cell_len for cell in cells[k])])
    total = sum(widths) + 2 * (len(columns) - 1) + 2
    if total > console.width:
        return False

    last = len(columns) - 1
    if console.color_system is None:  # no styles to draw (a pipe, a file): plain lines, written as they are
        _print_plain(console, table, cells, widths, total)
        return True

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
        lines.append(Text(str(table.title).ljust(total), style=table.title_style or "table.title"))
    lines.append(Text(" " * total))
    lines.append(line([Text(col.header) for col in columns], str(table.header_style or "")))
    lines.append(Text(" " + "─" * (total - 2) + " "))
    lines += [line([cells[k][r] for k in range(len(columns))]) for r in range(table.row_count)]
    lines.append(Text(" " * total))
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ignore")  # each line fits: nothing to wrap
    return True


def _print_plain(console, table, cells: list, widths: list[int], total: int) -> None:
    """``_print_long`` without styles: each line is plain text, so no Text is made for it, and the
    lines go to the console's file at once (text from outside shown, never obeyed, as the console does)."""
    from rich.cells import cell_len
    from rich.text import Text

    from ..safe_text import visible

    columns = table.columns
    last = len(columns) - 1
    cuts = ["ellipsis" if col.overflow == "ellipsis" else "crop" for col in columns]
    right = [col.justify == "right" for col in columns]

    def line(parts: list[str]) -> str:
        out = [" "]
        for k, text in enumerate(parts):
            size = cell_len(text)
            if size > widths[k]:
                cut = Text(text)
                cut.truncate(widths[k], overflow=cuts[k])
                text, size = cut.plain, cut.cell_len
            gap = widths[k] - size
            out += [text, " " * gap] if not right[k] else [" " * gap, text]
            out.append("  " if k < last else " ")
        return "".join(out)

    plain = [[cell.plain for cell in col] for col in cells]
    lines = [str(table.title).ljust(total)] if table.title else []
    lines += [" " * total, line([str(col.header) for col in columns]), " " + "─" * (total - 2) + " "]
    lines += [line([plain[k][r] for k in range(len(columns))]) for r in range(table.row_count)]
    lines.append(" " * total)
    console.file.write(visible("\n".join(lines) + "\n", multiline=True))


def _confirm(yes: bool, question: str, what: str) -> None:
    from ..inputs import require_confirmation
    from ..safe_text import visible

    if not yes and sys.stdin.isatty():
        yes = typer.confirm(visible(question), default=False)
    require_confirmation(yes, what)


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
