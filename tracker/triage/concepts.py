"""The scam lexicon (scam_lexicon.json): the terms of its concepts, the rules that combine them, its warning words."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import cache

from .text import Normalised, _is_ascii_alnum


@cache
def lexicon() -> dict:
    """The concepts, rules, official senders, warning words and signs of a genuine notice (scam_lexicon.json)."""
    import json
    from importlib.resources import files

    return json.loads(files("tracker").joinpath("scam_lexicon.json").read_text(encoding="utf-8"))


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One alternation of the terms, longest first; a Latin term only as a whole word."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        body = re.escape(term)
        if term[:1].isascii() and term[:1].isalnum():
            body = r"(?<![a-z0-9])" + body
        if term[-1:].isascii() and term[-1:].isalnum():
            body += r"(?![a-z0-9])"
        parts.append(body)
    return re.compile("|".join(parts))


@cache
def _concept_finders() -> dict[str, tuple[tuple[str, ...], re.Pattern[str] | None]]:
    """Per concept: its plain terms (found with str.find, which is fast) and its regular expressions, if any."""
    out = {}
    for name, c in lexicon()["concepts"].items():
        patterns = c.get("patterns", [])  # written bounded: no nested repeats
        out[name] = (tuple(dict.fromkeys(c["terms"])), re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None)
    return out


def _find_terms(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the terms occur (a Latin term only as a whole word), at most _MAX_MATCHES of each."""
    spans = []
    for term in terms:
        latin_start = term[:1].isascii() and term[:1].isalnum()
        latin_end = term[-1:].isascii() and term[-1:].isalnum()
        pos, n = text.find(term), 0
        while pos >= 0 and n < _MAX_MATCHES:
            end = pos + len(term)
            if not (latin_start and pos > 0 and _is_ascii_alnum(text[pos - 1])) and not (
                latin_end and end < len(text) and _is_ascii_alnum(text[end])
            ):
                spans.append((pos, end))
                n += 1
            pos = text.find(term, pos + 1)
    return spans


@cache
def _warning_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    w = lexicon()["warning_markers"]
    strong = [t for t in w["forward"] if t in _STRONG_FORWARD]
    return _term_pattern(strong), _term_pattern(w["backward"]), _term_pattern(w["notice"])


# forward warning words that cover their whole sentence, not just their clause
_STRONG_FORWARD = frozenset(
    {
        "谨防",
        "警惕",
        "当心",
        "提防",
        "防范",
        "凡是",
        "凡",
        "任何人",
        "任何单位",
        "所谓",
        "谎称",
        "冒充",
        "beware",
        "scammers",
        "fraudsters",
    }
)
_MAX_MATCHES = 200  # per concept: a message repeating a word 2,500 times costs no more than one that says it 200 times


class _LazyPattern:
    """A pattern compiled from the lexicon on first use."""

    def __init__(self, index: int) -> None:
        self.index = index

    def finditer(self, text: str, *args):
        return _warning_words()[self.index].finditer(text, *args)

    def search(self, text: str, *args):
        return _warning_words()[self.index].search(text, *args)


_WARN_FORWARD = _LazyPattern(0)
_WARN_BACKWARD = _LazyPattern(1)
_NOTICE_WORDS = _LazyPattern(2)


_MONEY_MOVES = frozenset(("转账", "汇款", "打款", "付款", "支付", "缴费", "缴纳", "还款", "转我", "转给我"))
_RECORDS = frozenset(("记录", "凭证", "截图", "流水", "明细", "回单"))


def _concept_hits(norm: Normalised) -> dict[str, list[tuple[int, int]]]:
    """Each lexicon rule's hits: one term of each of its concepts within its window, in any order (a message is
    short: its sentences speak of one thing, so a rule may join words across a full stop)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for name, (terms, pattern) in _concept_finders().items():
        spans = _find_terms(norm.text, terms)
        if name != "money-talk":  # "转账记录我都留着": a record of money moved, kept as proof, is asked of nobody
            spans = [(a, b) for a, b in spans if not (norm.text[a:b] in _MONEY_MOVES and norm.text[b : b + 2] in _RECORDS)]
        if pattern is not None:
            for m in pattern.finditer(norm.text):
                spans.append((m.start(), m.end()))
                if len(spans) >= 2 * _MAX_MATCHES:
                    break
        found[name] = sorted(spans)[:_MAX_MATCHES]
    hits: dict[str, list[tuple[int, int]]] = {}

    for rule in lexicon()["rules"]:
        names = rule["all"]
        if "context" in rule and not any(found.get(name) for name in rule["context"]):
            continue  # the rule needs one of its contexts somewhere in the message
        first = found.get(names[0], [])
        if len(names) == 1:
            hits.setdefault(rule["flag"], []).extend(first)
            continue
        window = rule["window"]
        second = found.get(names[1], [])
        starts = [b[0] for b in second]
        for a in first:
            lo = bisect.bisect_left(starts, a[0] - window - 40)
            best: tuple[int, int, int] | None = None  # the nearest term of the other concept: (gap, start, end)
            for b in second[lo:]:
                if b[0] > a[1] + window:
                    break
                if b[0] < a[1] and a[0] < b[1]:
                    continue  # the same word in both concepts ("垫付" is a task and its money): not two things said
                gap = max(a[0], b[0]) - min(a[1], b[1])
                if gap <= window and (best is None or gap < best[0]):
                    best = (gap, min(a[0], b[0]), max(a[1], b[1]))
            if best is not None:
                hits.setdefault(rule["flag"], []).append(best[1:])
    if found.get("money-talk"):
        hits["_money-talk"] = []  # a marker: the message is about money owed, paid or lent
    return hits
