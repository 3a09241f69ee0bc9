"""The text the patterns run on: Simplified, NFKC, lower case, filler dropped, each character traced to the original."""

from __future__ import annotations

import unicodedata
from functools import cache

from msgspec import Struct

from .links import _plain_links

_ZERO_WIDTH = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
# Symbols used to split a word without changing how it reads: "zheng*信", "征-xin", "征·信"
_SPLITTERS = frozenset("*·•‧∙・_~|^-=#`'\"")


def _is_cjk(ch: str | None) -> bool:
    if ch is None:
        return False
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


def _is_ascii_alnum(ch: str | None) -> bool:
    return ch is not None and ch.isascii() and ch.isalnum()


def _is_filler(ch: str) -> bool:
    return ch in _ZERO_WIDTH or ch.isspace() or unicodedata.category(ch)[0] in "PSZC"


class Normalised(Struct, frozen=True):
    """The text patterns run on, and for each of its characters the index of the original character it came from."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a match [start, end) in the normalised text back to offsets in the original text."""
        return self.origin[start], self.origin[end - 1] + 1


MAX_GAP = 3  # at most this many spaces or symbols inside a word: 5,000 spaces do not join two words


def simplified(text: str) -> str:
    """Traditional Chinese as Simplified (OpenCC t2s), character for character, so offsets still match the original."""
    converter = _opencc()
    whole = converter.convert(text)
    if len(whole) == len(text):
        return whole
    return "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in text)  # a phrase changed length


@cache
def _opencc():
    import opencc  # a compiled dictionary: loaded once, when a message is first checked

    return opencc.OpenCC("t2s")


def _kept(run: list[tuple[str, int]], before: str | None, after: str | None) -> list[tuple[str, int]]:
    """What survives of a run of spaces, punctuation and symbols between ``before`` and ``after``."""
    chars = [c for c, _ in run]
    if len(chars) > MAX_GAP:
        return [(" ", run[0][1])]  # a long gap separates words, whatever it is made of
    if _is_cjk(before) and _is_cjk(after):
        return []  # "征 信 修 复", "征*信", "逾期。记录" read as one word
    if (_is_cjk(before) and _is_ascii_alnum(after)) or (_is_ascii_alnum(before) and _is_cjk(after)):
        if all(c.isspace() or c in _SPLITTERS for c in chars):
            return []  # "zheng 信", "加 V"
    if before is not None and after is not None and before.isdigit() and after.isdigit():
        if all(c.isspace() for c in chars):
            return []  # "138 0013 8000", "6222 0212 3456 7890"
    kept: list[tuple[str, int]] = []
    for c, i in run:
        if c.isspace():
            if not kept or kept[-1][0] != " ":
                kept.append((" ", i))
        else:
            kept.append((c, i))
    return kept


def normalise(text: str) -> Normalised:
    """Traditional to Simplified, NFKC (full-width letters, digits and punctuation), lower case, zero-width
    characters dropped, short runs of filler between CJK characters and between spaced-out digits removed,
    other whitespace collapsed, and disguised links written plainly ("www点x点top", "hxxp", "x 。com")."""
    chars = [(c, i) for i, ch in enumerate(simplified(text)) for c in unicodedata.normalize("NFKC", ch).lower()]
    chars = [(c, i) for c, i in chars if c not in _ZERO_WIDTH]
    out: list[tuple[str, int]] = []
    k = 0
    while k < len(chars):
        if not _is_filler(chars[k][0]):
            out.append(chars[k])
            k += 1
            continue
        j = k
        while j < len(chars) and _is_filler(chars[j][0]):
            j += 1
        before = out[-1][0] if out else None
        after = chars[j][0] if j < len(chars) else None
        out.extend(_kept(chars[k:j], before, after))
        k = j
    return Normalised(*_plain_links(out))
