"""Long CLI tables are drawn line by line, exactly as Rich's Table draws them (Rich is the oracle)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

import tracker.cli.render as render
from tracker.cli.render import _print_table, _styled, _table


def _build(rows: int, name: str, *, newline: bool = False):
    table = _table(">#", "~Name", ">Amount", "Status", title="Schedule")
    for r in range(rows):
        table.add_row(
            str(r),
            name * (r % 3) + ("\nsecond line" if newline and r == 5 else ""),
            f"{r * 1000:,}.00",
            _styled("overdue" if r % 2 else "paid", "bold red" if r % 2 else None),
        )
    return table


def _drawn(table_args: tuple, width: int, long_from: int, monkeypatch: pytest.MonkeyPatch, *, colour: bool = True) -> str:
    console = Console(
        width=width,
        force_terminal=colour,
        color_system="standard" if colour else None,
        highlight=False,
        soft_wrap=False,
        markup=False,
        file=io.StringIO(),
    )
    monkeypatch.setattr(render, "LONG_TABLE", long_from)
    _print_table(console, _build(*table_args[:2], newline=table_args[2]))
    return console.file.getvalue()


@pytest.mark.parametrize(
    "rows,name,newline,width",
    [
        (150, "贷款 very long name ", False, 60),  # Chinese, a name cut with an ellipsis, styled cells
        (150, "x", False, 100),
        (120, "名", False, 40),
        (130, "名字", True, 80),  # a cell over two lines: Rich lays it out
        (110, "n", False, 20),  # wider than the console: Rich lays it out
        (0, "n", False, 80),  # the short tables of everyday commands
        (1, "贷款", False, 80),
        (3, "贷款 very long name ", False, 30),
        (12, "x", False, 80),
    ],
)
@pytest.mark.parametrize("colour", [True, False], ids=["terminal", "pipe"])
def test_a_long_table_reads_as_rich_draws_it(rows, name, newline, width, colour, monkeypatch):
    fast = _drawn((rows, name, newline), width, 1, monkeypatch, colour=colour)
    rich = _drawn((rows, name, newline), width, 10**9, monkeypatch, colour=colour)
    assert fast == rich
    assert "Schedule" in fast and "─" in fast
    assert ("\x1b[" in fast) == colour


def test_the_line_by_line_drawing_is_used_for_every_table_with_rows(monkeypatch):
    drawn = []
    real = render._print_long
    monkeypatch.setattr(render, "_print_long", lambda console, table: drawn.append(table.row_count) or real(console, table))
    console = Console(width=80, file=io.StringIO())
    _print_table(console, _build(150, "n"))
    _print_table(console, _build(3, "n"))
    _print_table(console, _build(0, "n"))  # no rows: Rich draws it
    assert drawn == [150, 3]
