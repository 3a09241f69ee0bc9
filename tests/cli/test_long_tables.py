"""Long CLI tables are drawn line by line, exactly as Rich's Table draws them (Rich is the oracle);
where there are no styles (a pipe, a file) the plain console draws them, and its lines, without Rich."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import tracker.cli.render as render
from tracker.cli.render import PlainConsole, _print_table, _styled, _table


def _build(rows: int, name: str, *, newline: bool = False, title: str = "Schedule"):
    table = _table(">#", "~Name", ">Amount", "Status", title=title)
    for r in range(rows):
        table.add_row(
            str(r),
            name * (r % 3) + ("\nsecond line" if newline and r == 5 else ""),
            f"{r * 1000:,}.00",
            _styled("overdue" if r % 2 else "paid", "bold red" if r % 2 else None),
        )
    return table


def _drawn(
    table_args: tuple,
    width: int,
    long_from: int,
    monkeypatch: pytest.MonkeyPatch,
    *,
    colour: bool = True,
    title: str = "Schedule",
) -> str:
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
    _print_table(console, _build(*table_args[:2], newline=table_args[2], title=title))
    return console.file.getvalue()


def _drawn_plain(table_args: tuple, width: int, title: str = "Schedule") -> str:
    """The table as the plain console draws it (its own lines, or Rich's for a table it leaves to Rich)."""
    out = io.StringIO()
    with redirect_stdout(out):
        _print_table(PlainConsole(width), _build(*table_args[:2], newline=table_args[2], title=title))
    return out.getvalue()


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
@pytest.mark.parametrize("title", ["Schedule", "还款计划"])
def test_a_long_table_reads_as_rich_draws_it(rows, name, newline, width, colour, title, monkeypatch):
    fast = _drawn((rows, name, newline), width, 1, monkeypatch, colour=colour, title=title)
    rich = _drawn((rows, name, newline), width, 10**9, monkeypatch, colour=colour, title=title)
    assert fast == rich
    assert title in fast and "─" in fast
    assert ("\x1b[" in fast) == colour
    if not colour:
        assert _drawn_plain((rows, name, newline), width, title) == rich


def test_the_line_by_line_drawing_is_used_for_every_table_with_rows(monkeypatch):
    drawn = []
    real = render._print_long
    monkeypatch.setattr(render, "_print_long", lambda console, table: drawn.append(table.row_count) or real(console, table))
    console = Console(width=80, file=io.StringIO())
    _print_table(console, _build(150, "n"))
    _print_table(console, _build(3, "n"))
    _print_table(console, _build(0, "n"))  # no rows: Rich draws it
    assert drawn == [150, 3]


def test_the_plain_console_draws_no_rich_object(monkeypatch):
    """A table whose cells fit, and lines that fit, are written without Rich's Table or Text."""
    made = []
    monkeypatch.setattr(render.Grid, "rich", lambda self: made.append("table"))
    monkeypatch.setattr(PlainConsole, "rich", lambda self: made.append("console"))
    out = io.StringIO()
    with redirect_stdout(out):
        console = PlainConsole(80)
        console.print("Overview as of 2026-11-15", style="bold")
        console.print(render._assemble(("房贷", "bold"), "  #1  招商银行"))
        _print_table(console, _build(150, "贷款 very long name "))
    assert made == []
    assert out.getvalue().startswith("Overview as of 2026-11-15\n房贷  #1  招商银行\nSchedule")


LINES = [
    "",
    "plain words",
    "  indented, with trailing spaces  ",
    "中文一行，带标点。",
    "x" * 40,  # exactly the width
    "x" * 41,  # one over: Rich wraps it
    "这是一行很长的中文，超过了控制台的宽度，所以要按字符折行，而且不能以逗号开头。",
    "tab\there",
    "ctrl \x1b[2J and \x07 bell",
    "bidi \u202e reversed",
    "C1 \x85 and DEL \x7f",
    "emoji code :warning: and markup [bold]x[/bold]",
    "two\nlines",
    "ideographic\u3000space",
    "zero\u200bwidth",
]


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("style", [None, "bold red"])
@pytest.mark.parametrize("soft_wrap", [False, True])
def test_the_plain_console_prints_a_line_as_rich_does(line, style, soft_wrap, monkeypatch):
    rich = io.StringIO()
    console = render._rich_console(width=40, plain=True)  # the console the commands fall back on
    console.file = rich
    console.print(line, style=style, soft_wrap=soft_wrap)
    plain = io.StringIO()
    with redirect_stdout(plain):
        PlainConsole(40).print(line, style=style, soft_wrap=soft_wrap)
        PlainConsole(40).print(render._assemble((line, style), ""), soft_wrap=soft_wrap)
    assert plain.getvalue() == rich.getvalue() * 2
    if soft_wrap and line.isprintable():
        assert plain.getvalue() == (line + "\n") * 2  # one line, however long


@pytest.mark.parametrize(
    "env,tty",
    [
        ({}, False),
        ({}, True),
        ({"FORCE_COLOR": "1"}, False),
        ({"FORCE_COLOR": ""}, False),
        ({"TTY_COMPATIBLE": "1"}, False),
        ({"TTY_COMPATIBLE": "0"}, True),
        ({"NO_COLOR": "1"}, True),
        ({"TERM": "dumb"}, False),
        ({"COLUMNS": "57"}, False),
        ({"COLUMNS": "wide"}, False),
    ],
)
def test_plain_output_and_its_width_are_what_rich_decides(env, tty, monkeypatch):
    """The plain console is used only where Rich itself would draw no styles, at Rich's width."""
    from rich.console import Console

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    for var in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TERM", "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setattr("sys.stdout", Stream())
    rich = Console()
    if render._plain_output():
        assert rich.color_system is None
        assert PlainConsole().width == rich.width
    else:
        assert rich.is_terminal or env == {"FORCE_COLOR": ""}  # (an empty FORCE_COLOR is left to Rich)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_narrow_loans_list_leaves_columns_out_but_never_cuts_a_figure(lang, tmp_path, monkeypatch):
    """`debt loan list` on a narrow terminal: the name gives up width, then the APR and the next payment
    (its date with its amount) are left out whole; the amounts and statuses shown are never cut."""
    from helpers import ROOT, Debt

    debt = Debt(tmp_path / "h.db", "2026-11-30")
    debt.ok("import", str(ROOT / "sample_data" / "household.json"))
    loans = debt.ok("loan", "list", "--json").json
    statuses = {"en": {"overdue": "overdue {d}d", "active": "active"}, "zh": {"overdue": "逾期 {d} 天", "active": "还款中"}}[lang]
    for width in (120, 100, 80, 70, 66, 60, 56, 52):
        monkeypatch.setenv("COLUMNS", str(width))
        out = debt.ok("--lang", lang, "loan", "list").stdout
        lines = [line for line in out.splitlines() if line.strip()]
        assert all(render._cell_len(line) <= width for line in lines), (width, out)
        header, rows = lines[0], lines[2:]
        for loan, row in zip(loans, rows, strict=True):
            status = statuses[loan["status"]].format(d=loan["days_overdue"])
            assert row.rstrip().endswith(status), (width, row)
            assert loan["outstanding_principal"] in row.replace(",", "").replace("¥", ""), (width, row)
            if len(header.split()) >= 6:  # the next payment shown: its amount whole
                assert loan["next_due_amount"] in row.replace(",", ""), (width, row)
        assert ("APR" in header or "年化" in header) == (width >= 80), (width, header)


# printable ASCII, the wide CJK ranges the quick count knows (their edges too), and characters it does not know:
# combining marks, emoji, zero-width and control characters, a narrow kana, an edge just outside a range
_CELL_ALPHABET = (
    " ~aZ09.,-"
    "\u3000\u3029\u3030\u303e\u3041\u3096\u30a1\u30fa\u3400\u4dbf\u4e00\u8d37\u6b3e\u9fff\uac00\ud7a3\uff01\uff08\uff60\uffe0\uffe6"
    "\u302a\u3099\u0301\u200b\u200e\x07\x7f\u00e9\u00a0\U0001f600\uff61\u3097\u303f"
)


@given(st.text(alphabet=_CELL_ALPHABET, max_size=14), st.integers(min_value=-2, max_value=30))
@settings(max_examples=400, deadline=None)
def test_cells_are_counted_and_cut_as_rich_counts_and_cuts_them(text, width):
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    assert render._cell_len(text) == cell_len(text)
    if cell_len(text) > width:
        assert render._cut(text, width) == set_cell_size(text, width)
    for ellipsis in (True, False):
        if width >= 1 and text.isprintable():  # (a table with a control character goes to Rich whole)
            cut = Text(text)
            cut.truncate(width, overflow="ellipsis" if ellipsis else "crop")
            assert render._truncate(text, width, ellipsis=ellipsis) == (cut.plain, cut.cell_len)
