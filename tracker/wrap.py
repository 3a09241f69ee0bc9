"""Line breaking for Chinese and mixed text: by character between Chinese characters, at spaces elsewhere,
with the usual line-start and line-end rules (禁则): no line starts with "，" or "”", none ends with "“".

`line_starts` is the pure rule; `install()` has Rich (the CLI) and Textual (the app) wrap by it.
"""

from __future__ import annotations

import unicodedata

# may not begin a line: closing punctuation, pauses, stops, small kana, the ideographic iteration mark
NO_START = frozenset("，。、；：！？）》」』】〕〉”’…—～%‰·,.;:!?)]}»›°℃々〆ゝゞーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
# may not end a line: opening brackets and quotes, currency signs that belong to the number after them
NO_END = frozenset("（《「『【〔〈“‘([{«‹¥￥$")
# a comparison belongs to what follows it, across a space too ("注意 ≤ 50% < 警告" does not end a line on "<")
COMPARE = frozenset("<>≤≥=≠‹›")


# Each character's facts, looked up once: the app wraps every line it draws (4,000 lines of a
# dashboard at 1,000 loans), and a dict lookup costs a fraction of three unicodedata calls.
_WIDE: dict[str, bool] = {}
_WIDTH: dict[str, int] = {}


def _wide(ch: str) -> bool:
    wide = _WIDE.get(ch)
    if wide is None:
        wide = _WIDE[ch] = unicodedata.east_asian_width(ch) in "WF"
    return wide


def char_width(ch: str) -> int:
    width = _WIDTH.get(ch)
    if width is None:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            width = 0
        else:
            width = 2 if _wide(ch) else 1
        _WIDTH[ch] = width
    return width


def _number_at(text: str, j: int) -> bool:
    """Whether a number ends at ``text[j]``, or at the character before a space there."""
    if j < 0:
        return False
    if text[j].isdigit() or text[j] == "%":
        return True
    return text[j] == " " and j >= 1 and (text[j - 1].isdigit() or text[j - 1] == "%")


def _may_break(text: str, i: int) -> bool:
    """Whether a line may begin at ``text[i]``."""
    prev, ch = text[i - 1], text[i]
    if ch in NO_START or prev in NO_END:
        return False
    if _wide(ch) and (_number_at(text, i - 1) or (_wide(prev) and _number_at(text, i - 2))):
        return False  # a number keeps its unit of one or two characters: "360 个月", "20 日", "2026-03-05 起"
    if prev.isspace():
        return not (i >= 2 and text[i - 2] in COMPARE)
    if ch.isspace():
        return False  # the break comes after the space
    # between two wide characters, or where a wide one meets a narrow one ("APP还款")
    return _wide(prev) or _wide(ch)


def line_starts(text: str, width: int, *, fold: bool = True) -> list[int]:
    """The offsets where the lines of ``text`` (one paragraph, no newlines) begin when it is wrapped to ``width``
    columns: greedy, breaking at the last place allowed; a run with no such place is cut where it must
    (or, without ``fold``, left to overflow)."""
    starts = [0]
    if width <= 0:
        return starts
    if len(text) <= width and (2 * len(text) <= width or text.isascii() or sum(map(char_width, text)) <= width):
        return starts  # it fits (a character is at most two columns; an ASCII one, one): nothing to break
    whole = _quoted(text, width) if "'" in text else None
    may_break = _may_break if not whole else lambda text, i: i not in whole and _may_break(text, i)
    used = 0
    last_break = -1  # the last offset in this line where a new line may begin
    i = 0
    while i < len(text):
        ch = text[i]
        if i > starts[-1] and may_break(text, i):
            last_break = i
        w = char_width(ch)
        while used + w > width and not ch.isspace() and i > starts[-1]:
            if last_break > starts[-1]:
                cut = last_break
            elif fold:
                cut = i  # nowhere allowed: cut where it must, but still not before "，" nor after "“"
                while cut - 1 > starts[-1] and (text[cut] in NO_START or text[cut - 1] in NO_END):
                    cut -= 1
            else:
                break  # nowhere allowed: the run overflows
            starts.append(cut)
            # where the new line may break again, among the characters it already holds
            last_break = max((k for k in range(cut + 1, i) if may_break(text, k)), default=-1)
            used = sum(char_width(c) for c in text[cut:i])
        used += w
        i += 1
    if len(starts) > 1 and _wide(text[starts[-1]]) and not text[starts[-1] + 1 :].strip():
        # one Chinese character alone on the last line ("警" / "告"): the line before gives up its last word
        # where it has an earlier place to break, and the last line still fits
        earlier = max((k for k in range(starts[-2] + 1, starts[-1]) if may_break(text, k)), default=None)
        if earlier is not None and sum(char_width(c) for c in text[earlier:].rstrip()) <= width:
            starts[-1] = earlier
    return starts


def _quoted(text: str, width: int) -> set[int]:
    """The offsets inside a quoted command or value ('debt loan edit 1 --paid-until 2026-03-01') where a line may not
    begin: pasted from two lines it would not work. Only a Latin one that fits a line is kept whole; an apostrophe
    between two letters (loan's) quotes nothing."""
    marks = [
        k
        for k, ch in enumerate(text)
        if ch == "'" and not (0 < k < len(text) - 1 and text[k - 1].isalnum() and text[k + 1].isalnum())
    ]
    inside: set[int] = set()
    for a, b in zip(marks[::2], marks[1::2], strict=False):
        if b - a + 1 <= width and not any(_wide(ch) for ch in text[a:b]):
            inside.update(range(a + 1, b + 1))
    return inside


def wrap_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` columns, each line without the spaces it was broken at."""
    out = []
    for paragraph in text.split("\n"):
        starts = line_starts(paragraph, width)
        for a, b in zip(starts, [*starts[1:], len(paragraph)], strict=True):
            out.append(paragraph[a:b].rstrip())
    return out


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """The offsets after the first where the lines of ``text`` begin: Rich's and Textual's ``divide_line``,
    with Chinese broken by character and the line-start and line-end rules kept. Without ``fold``, a run
    with nowhere to break overflows instead of being cut."""
    starts = line_starts(text, width, fold=fold)
    return starts[1:]


def install() -> None:
    """Have Rich (the CLI) and Textual (the app) break lines by these rules: both ask ``divide_line``.

    Called by each face once it has loaded its library; the core itself loads neither.
    """
    import sys

    for name in ("rich.text", "textual.content"):
        module = sys.modules.get(name)
        if module is not None:
            module.divide_line = divide_line  # type: ignore[attr-defined]
