"""Text from outside, made safe to show: control and direction characters are shown, never obeyed.

A statement's counterparty, a pasted collection message, an imported contact or an evidence
file's name come from strangers. Printed raw, ``ESC ] 52`` writes the clipboard, ``ESC [ 2J``
wipes the screen and U+202E turns a line around. Every face (CLI, app, exports, timelines)
passes such text through ``visible`` before it reaches a terminal or a human-read file.

Each dangerous character becomes exactly one visible character, so styled spans over the
text stay where they were: C0 controls their Unicode control picture (ESC → ␛), DEL ␡, C1
controls and the bidirectional overrides, embeddings, isolates and marks U+FFFD (�).
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _table(*, multiline: bool) -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20)}
    if multiline:
        del table[0x0A]  # newline
        del table[0x09]  # tab
    else:
        table[0x09] = " "
    table[0x7F] = "\u2421"
    table.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
    table.update({ord(ch): REPLACEMENT for ch in BIDI})
    return table


_ONE_LINE = _table(multiline=False)
_LINES = _table(multiline=True)
_RAW_IN_JSON_RE = re.compile("[\x7f-\x9f" + BIDI + "]")


def visible(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control and direction character replaced by a visible one (same length).

    ``multiline`` keeps newlines and tabs (a message body); otherwise they are shown too.
    """
    return text.translate(_LINES if multiline else _ONE_LINE)


def is_safe(text: str, *, multiline: bool = False) -> bool:
    """True when ``visible`` would change nothing."""
    return visible(text, multiline=multiline) == text


# In UTF-8, each of those characters holds one of these bytes (DEL; C1 after a lead byte of \xc2; the direction
# marks in \xd8\x9c, \xe2\x80.. and \xe2\x81..): JSON without any of them has nothing to escape.
_RAW_IN_JSON_BYTES = (b"\x7f", b"\xc2", b"\xd8\x9c", b"\xe2\x80", b"\xe2\x81")


def json_text(dumped: str | bytes) -> str:
    """JSON text for a terminal: the characters a JSON encoder leaves raw (DEL, C1, bidi) as \\u escapes.

    They can only occur inside strings, where an escape means the same character: the JSON
    is unchanged for any reader. Given the encoder's UTF-8 bytes, it looks for them only when a byte
    they are made of is there (the 10,000-loan list has none: 66 ms saved).
    """
    if isinstance(dumped, bytes):
        if not any(mark in dumped for mark in _RAW_IN_JSON_BYTES):
            return dumped.decode()
        dumped = dumped.decode()
    return _RAW_IN_JSON_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"-?\d+(\.\d+)?")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe
    (OWASP's rule); numbers, negative ones included, are left as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START) or _NUMBER_RE.fullmatch(value):
        return value
    return "'" + value


# A run of 12 or more digits (spaces or dashes allowed between them, an ID number's final X too)
# is a bank card or ID number.
_LONG_NUMBER_RE = re.compile(r"\d(?:[ \-]?\d){11,}[Xx]?")


def mask_numbers(text: str) -> str:
    """Card and ID numbers with only their first and last four digits shown, the rest as *.

    '6222 0210 0112 3456' -> '6222 **** **** 3456': the same length and separators, so spans
    over the text (highlighted red flags) stay where they were. Amounts and dates are shorter
    and left alone.
    """

    def mask(match: re.Match[str]) -> str:
        run = match.group()
        positions = [k for k, ch in enumerate(run) if ch.isdigit() or ch in "Xx"]
        keep = set(positions[:4] + positions[-4:])
        return "".join(ch if k in keep or not (ch.isdigit() or ch in "Xx") else "*" for k, ch in enumerate(run))

    return _LONG_NUMBER_RE.sub(mask, text)
