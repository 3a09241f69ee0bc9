"""Line breaking: Chinese by character with the line-start and line-end rules; Latin text exactly as Rich breaks it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line

from tracker.wrap import NO_END, NO_START, char_width, divide_line, line_starts, wrap_lines

WARNING = "自 2020 年 8 月 20 日起，民间借贷利率超过一年期 LPR 的四倍的部分，法院不予支持（“四倍红线”）。"


def width_of(line: str) -> int:
    return sum(char_width(c) for c in line)


def test_a_chinese_sentence_fills_its_lines_and_keeps_the_rules():
    for width in range(8, 40):
        lines = wrap_lines(WARNING, width)
        assert "".join(lines).replace(" ", "") == WARNING.replace(" ", "")
        assert all(width_of(line) <= width for line in lines)
        assert not any(line[0] in NO_START for line in lines[1:]), (width, lines)
        assert not any(line[-1] in NO_END for line in lines[:-1]), (width, lines)
        # a number keeps its unit: the date is not torn as a word-by-word wrap tears it
        assert not any(line[-1].isdigit() and nxt[:1] in "年月日个" for line, nxt in zip(lines, lines[1:], strict=False))
    assert wrap_lines(WARNING, 20)[0] == "自 2020 年 8 月"


WORDS = st.lists(st.sampled_from(["loan", "overdue", "the", "a", "repayment", "x" * 12, "APR", "4.35%"]), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(words=WORDS, width=st.integers(12, 60))
def test_latin_text_breaks_exactly_as_rich_breaks_it(words: list[str], width: int):
    """Where every word fits a line (Rich folds a longer word its own way, which is no rule of ours)."""
    text = " ".join(words)
    assert divide_line(text, width) == rich_divide_line(text, width)
    assert divide_line(text, width, fold=False) == rich_divide_line(text, width, fold=False)


CJK = st.text(alphabet=st.sampled_from(list("贷款逾期还款征信，。、“”（）《》！？abc 123")), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(text=CJK, width=st.integers(4, 40))
def test_any_mixed_text_fits_and_loses_nothing(text: str, width: int):
    lines = wrap_lines(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width_of(line) <= width for line in lines)


@settings(max_examples=300, deadline=None)
@given(text=CJK, width=st.integers(1, 200))
def test_a_line_that_fits_is_not_broken_and_one_that_does_not_is(text: str, width: int):
    """A line no wider than the width comes back whole (the app asks for every line it draws, most of
    which fit); a wider one is broken, unless it is one character or all it has beyond the width is spaces."""
    starts = line_starts(text, width)
    if width_of(text) <= width:
        assert starts == [0]
    elif width_of(text.rstrip()) > width and len(text.rstrip()) > 1:
        assert len(starts) > 1


HINT = "有 3 期在今天之前已到期，显示为逾期；如果已经还了，请用 'debt loan edit 1 --paid-until 2026-03-01' 标记"


def test_a_quoted_command_that_fits_a_line_is_kept_whole():
    """Pasted from two lines, a command would not run: where it fits a line it goes whole onto one; one longer than
    a line is broken as any text; an apostrophe between letters quotes nothing."""
    command = "'debt loan edit 1 --paid-until 2026-03-01'"
    for width in range(len(command), 80):
        lines = wrap_lines(HINT, width)
        assert any(command in line for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == HINT.replace(" ", "")
        assert all(width_of(line) <= width for line in lines)
    assert not any(command in line for line in wrap_lines(HINT, len(command) - 1))
    english = "the loan's payment is late: use 'debt repay 1 5307.27' to record it"
    assert wrap_lines(english, 30) == ["the loan's payment is late:", "use 'debt repay 1 5307.27' to", "record it"]


def test_a_comparison_stays_with_what_follows_and_no_character_is_left_alone_on_the_last_line():
    """ "注意 ≤ 50% <" / "警告" read as a sentence cut short; so did "… < 警" / "告"."""
    bands = "区间：正常 ≤ 40% < 注意 ≤ 50% < 警告"
    for width in range(20, 36):
        lines = wrap_lines(bands, width)
        assert all(width_of(line) <= width for line in lines)
        assert not any(line.rstrip()[-1] in "<≤" for line in lines[:-1]), (width, lines)
        assert len(lines[-1].strip()) > 1, (width, lines)
    assert wrap_lines(bands, 34) == ["区间：正常 ≤ 40% < 注意 ≤ 50%", "< 警告"]
    assert wrap_lines("bands: ok ≤ 40% < caution ≤ 50% < warning", 30) == ["bands: ok ≤ 40% < caution", "≤ 50% < warning"]
