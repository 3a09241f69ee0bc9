"""One cell read as text, an amount in minor units, a date and time, a time of day or a currency."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from ..errors import BadInput
from ..i18n import _
from ..money import MAX_MINOR
from .model import Cell

_BLANKS = {"", "/", "-"}
_STRIP = " \t\r\n\u3000\u00a0"


def _text(cell: Cell) -> str:
    """A cell as trimmed text; '/' and '-' alone mean empty."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return format(Decimal(repr(cell)), "f")
    text = str(cell).strip(_STRIP)
    return "" if text in _BLANKS else text


_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _amount(cell: Cell, line: int, column: str) -> int | None:
    """A signed amount in minor units (fen); None when the cell is empty."""
    rounded = False  # floats from a spreadsheet may carry binary noise; text must be exact
    if isinstance(cell, bool):
        raise BadInput(_("line {line}: {column} is not an amount: {value!r}").format(line=line, column=column, value=cell))
    if isinstance(cell, int):
        value = Decimal(cell)
    elif isinstance(cell, float):
        # repr gives the shortest text that round-trips, so 548.58 stays Decimal("548.58")
        value = Decimal(repr(cell))
        rounded = True
    elif isinstance(cell, Decimal):
        value = cell
    else:
        text = _text(cell)
        if not text:
            return None
        cleaned = text
        for junk in ("¥", "￥", ",", "，", " ", "元", "RMB", "CNY"):
            cleaned = cleaned.replace(junk, "")
        if not _NUMBER_RE.fullmatch(cleaned):
            raise BadInput(_("line {line}: {column} is not an amount: {value!r}").format(line=line, column=column, value=text))
        value = Decimal(cleaned)
    if not value.is_finite():
        raise BadInput(_("line {line}: {column} is not an amount: {value!r}").format(line=line, column=column, value=str(cell)))
    if -value.as_tuple().exponent > 2 and not rounded:  # type: ignore[operator]
        raise BadInput(
            _("line {line}: {column} has more than 2 decimal places: {value!r}").format(line=line, column=column, value=str(cell))
        )
    # checked before any arithmetic: 29 digits or 1e300 would overflow the decimal context
    if value.adjusted() > 15 or abs(value) * 100 > MAX_MINOR:
        raise BadInput(_("line {line}: {column} is too large: {value!r}").format(line=line, column=column, value=str(cell)[:40]))
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_DATETIME_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*[ T]\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?)?"
)
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_MONTH_DAY_RE = re.compile(r"(\d{1,2})\s*[/-]\s*(\d{1,2})")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _whole_seconds(value: dt.datetime) -> dt.datetime:
    value = value.replace(tzinfo=None)
    if value.microsecond >= 500_000:
        value += dt.timedelta(seconds=1)
    return value.replace(microsecond=0)


def _when(cell: Cell, line: int, column: str, statement_month: tuple[int, int | None] | None = None) -> dt.datetime:
    """Statement time -> naive datetime. ``statement_month`` (year, month) dates MM/DD rows."""
    bad = _("line {line}: {column} is not a date or time: {value!r}")
    if isinstance(cell, dt.datetime):
        return _whole_seconds(cell)
    if isinstance(cell, dt.date):
        return dt.datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        if number == number.to_integral_value() and 19000101 <= number <= 29991231:
            return _when(str(int(number)), line, column)
        if 1 <= number < 2958466:  # an Excel serial date that lost its date format
            return _whole_seconds(_EXCEL_EPOCH + dt.timedelta(days=float(number)))  # an Excel date serial, not money
        raise BadInput(bad.format(line=line, column=column, value=str(cell)))
    text = _text(cell)
    try:
        m = _DATETIME_RE.fullmatch(text) or _COMPACT_RE.fullmatch(text)
        if m:
            y, mo, d, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
            return dt.datetime(y, mo, d, hh, mm, ss)
        m = _MONTH_DAY_RE.fullmatch(text)
        if m:
            if statement_month is None:
                raise BadInput(
                    _(
                        "line {line}: the date {value!r} has no year, and the file has no title line naming the "
                        "statement month (such as 2025年01月); keep the title line at the top of the file"
                    ).format(line=line, value=text)
                )
            year, month = statement_month
            mo, d = int(m.group(1)), int(m.group(2))
            # a January statement lists December purchases of the year before
            if month is not None and mo > month:
                year -= 1
            return dt.datetime(year, mo, d)
    except ValueError:
        pass
    raise BadInput(bad.format(line=line, column=column, value=text))


def _clock(cell: Cell, line: int, column: str) -> dt.time:
    if isinstance(cell, dt.time):
        return cell.replace(microsecond=0, tzinfo=None)
    if isinstance(cell, dt.datetime):
        return cell.time().replace(microsecond=0)
    text = _text(cell)
    m = _TIME_RE.fullmatch(text)
    try:
        if m:
            return dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
    except ValueError:
        pass
    raise BadInput(_("line {line}: {column} is not a time of day: {value!r}").format(line=line, column=column, value=text))


_CURRENCIES = {
    "人民币": "CNY",
    "人民币元": "CNY",
    "RMB": "CNY",
    "美元": "USD",
    "港币": "HKD",
    "港元": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "英镑": "GBP",
}


def _currency(text: str) -> str:
    text = text.strip()
    if not text:
        return "CNY"
    return _CURRENCIES.get(text, _CURRENCIES.get(text.upper(), text.upper()))
