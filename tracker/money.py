"""Parse and format amounts and rates: Decimal at the edges, int minor units inside."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from .errors import BadInput
from .i18n import _

# Minor-unit exponent per ISO 4217 code; everything not listed has 2 decimals.
_EXPONENTS = {"JPY": 0, "KRW": 0, "VND": 0, "IDR": 2, "KWD": 3, "BHD": 3}
_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}

# Far below 2**63 so that sums of many amounts stay inside SQLite's INTEGER.
MAX_MINOR = 10**15

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_AMOUNT_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$|^\.\d+$", re.ASCII)
_GROUPED_RE = re.compile(r"^\d+(,\d+)+(\.\d+)?$", re.ASCII)  # digits with separators, wherever they stand
_PLAIN_RE = re.compile(r"(\d{1,16})(?:\.(\d{1,2}))?", re.ASCII)
_PERCENT_RE = re.compile(r"^\d+(\.\d+)?$|^\.\d+$", re.ASCII)
# full-width digits and signs, as a Chinese input method types them, read as their ASCII forms;
# any other script's digits (Arabic-Indic, ...) are not numbers here
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．％＋－", "0123456789,.%+-")


def ascii_form(text: str) -> str:
    """Full-width digits and signs as ASCII ('１２，０００．５０' -> '12,000.50'); nothing else changes."""
    return text.translate(_FULL_WIDTH)


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def check_currency(code: str) -> str:
    code = code.strip().upper()
    if not _CURRENCY_RE.match(code):
        raise BadInput(_("currency must be a three-letter code such as CNY, got {value!r}").format(value=code))
    return code


def round_half_up(value: Decimal) -> int:
    """Round a Decimal amount of minor units half-up to an int."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_amount(text: str, currency: str = "CNY", *, allow_zero: bool = False, what: str | None = None) -> int:
    """'12,000.50', '¥12000', '12000', '5307元' -> minor units. Refuses negatives, too many decimals."""
    raw = str(text).strip()
    plain = _PLAIN_RE.fullmatch(raw)
    if plain is not None and currency == "CNY":  # how amounts are stored and exported: read directly
        whole, cents = plain.groups()
        minor = int(whole) * 100 + int((cents or "").ljust(2, "0"))
        if 0 < minor <= MAX_MINOR or (minor == 0 and allow_zero):
            return minor
    label = what or _("amount")
    # spaces may stand around the symbol or the unit ("¥ 5,307.27", "5307 元"), not between digits: "10 00" is
    # a typing slip, not a thousand
    words = ascii_form(raw).replace("¥", " ").replace("￥", " ").replace("$", " ").split()
    if sum(any(ch.isdigit() for ch in word) for word in words) > 1:
        raise BadInput(_("{what} is not a number: {value!r}").format(what=label, value=raw))
    cleaned = "".join(words)
    if not cleaned:
        raise BadInput(_("{what} is required").format(what=label))
    if currency == "CNY" and cleaned.endswith(("元", "块")):
        cleaned = cleaned[:-1]  # "5307元", "¥5,307.27元": how amounts are written in Chinese
    if cleaned.upper().endswith(currency):
        cleaned = cleaned[: -len(currency)]
    if cleaned.startswith("-"):
        raise BadInput(_("{what} must not be negative: {value!r}").format(what=label, value=raw))
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not _AMOUNT_RE.match(cleaned):
        if _GROUPED_RE.match(cleaned):  # "1,0000": grouped as 万 are, in fours; a separator stands every three digits
            raise BadInput(
                _("{what} has its separators in the wrong places: {value!r} (every three digits, as in 10,000)").format(
                    what=label, value=raw
                )
            )
        raise BadInput(_("{what} is not a number: {value!r}").format(what=label, value=raw))
    number = Decimal(cleaned.replace(",", ""))
    places = exponent(currency)
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise BadInput(_("{what} has more than {places} decimal places: {value!r}").format(what=label, places=places, value=raw))
    minor = int(number.scaleb(places))
    if minor == 0 and not allow_zero:
        raise BadInput(_("{what} must be greater than zero").format(what=label))
    if minor > MAX_MINOR:
        # the limit, not the digits typed: a run of 16 or more digits is masked like a card number on output
        raise BadInput(_("{what} is too large: at most {limit}").format(what=label, limit=fmt(MAX_MINOR, currency)))
    return minor


def _unsigned(minor: int, places: int, grouping: str = "") -> str:
    """The amount's size as decimal text, in integers (``grouping`` "," for thousands separators): a listing
    writes tens of thousands of amounts, and a Decimal for each was most of its time."""
    whole, part = divmod(abs(minor), 10**places)
    return f"{whole:{grouping}}.{part:0{places}d}" if places else f"{whole:{grouping}}"


def to_str(minor: int, currency: str = "CNY") -> str:
    """Plain decimal string for JSON and files: 530727 -> '5307.27'."""
    if currency not in _EXPONENTS:  # two decimals: a list of 10,000 loans writes 80,000 amounts, and
        # %-formatting a divmod is the quickest way there is (half the time of the general way below)
        return "%d.%02d" % divmod(minor, 100) if minor >= 0 else "-%d.%02d" % divmod(-minor, 100)  # noqa: UP031
    return ("-" if minor < 0 else "") + _unsigned(minor, exponent(currency))


def fmt(minor: int, currency: str = "CNY", *, symbol: bool = False) -> str:
    """Human amount with thousands separators: 100000000 -> '1,000,000.00'."""
    sign = "-" if minor < 0 else ""
    text = _unsigned(minor, exponent(currency), ",")
    return f"{sign}{_SYMBOLS.get(currency, currency + ' ')}{text}" if symbol else sign + text


def parse_percent(text: str, what: str, *, allow_zero: bool = True, maximum: Decimal = Decimal(1000)) -> Decimal:
    """'4.9' or '4.9%' -> Decimal('4.9'); negative or absurd values are refused."""
    raw = str(text).strip()
    cleaned = ascii_form(raw).rstrip("%").strip()
    if cleaned.startswith("-") and _PERCENT_RE.match(cleaned[1:]):
        raise BadInput(_("{what} must not be negative: {value!r}").format(what=what, value=raw))
    if not _PERCENT_RE.match(cleaned):  # Decimal alone would take '1_0', '1e3' and 'Infinity'
        raise BadInput(_("{what} is not a number: {value!r}").format(what=what, value=raw))
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadInput(_("{what} is not a number: {value!r}").format(what=what, value=raw)) from None
    if not value.is_finite():
        raise BadInput(_("{what} is not a number: {value!r}").format(what=what, value=raw))
    if value < 0:
        raise BadInput(_("{what} must not be negative: {value!r}").format(what=what, value=raw))
    if value == 0 and not allow_zero:
        raise BadInput(_("{what} must be greater than zero").format(what=what))
    if value > maximum:
        raise BadInput(_("{what} is out of range: {value!r}").format(what=what, value=raw))
    if -value.as_tuple().exponent > 6:  # type: ignore[operator]
        raise BadInput(_("{what} has too many decimal places: {value!r}").format(what=what, value=raw))
    return canonical(value)


def canonical(value: Decimal) -> Decimal:
    """One spelling per number, without exponent or trailing zeros: 20.0 -> 20, 7.30 -> 7.3."""
    return Decimal(format(value.normalize(), "f")) if value else Decimal(0)


def percent_str(value: Decimal, places: int = 2) -> str:
    """Decimal percent -> '4.90' (half-up)."""
    return _percent_text(value, places, value.is_signed())  # -0 and 0 are equal, but print differently


# A rate's text, kept: a listing of thousands of loans shows a handful of rates (4.9 and 4.90 are one key).
@lru_cache(maxsize=4096)
def _percent_text(value: Decimal, places: int, _signed: bool) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
