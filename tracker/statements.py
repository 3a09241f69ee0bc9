"""Read Alipay, WeChat Pay and bank statement exports (bytes) into plain rows.

These exports keep changing their preambles, so the header row is found by its
content, never by its line number. Pure: no store, no printing, no clock.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import warnings
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .errors import BadInput
from .i18n import N_, _
from .money import MAX_MINOR

if TYPE_CHECKING:
    from openpyxl import Workbook

# What `--source` accepts; "cmb" covers both CMB layouts (debit and credit card).
SOURCE_CHOICES = ("auto", "alipay", "wechat", "cmb", "cmb-credit", "icbc", "ccb")
# What a Statement says it came from.
SOURCES = ("alipay", "wechat", "cmb", "cmb-credit", "icbc", "ccb")

OUT, IN, NEUTRAL = "out", "in", "neutral"

Cell = str | int | float | Decimal | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True)
class StatementRow:
    """One transaction as the statement tells it; money in minor units, always positive."""

    when: dt.datetime  # naive local time; date-only sources at 00:00
    counterparty: str
    description: str
    method: str  # payment method or card, e.g. "招商银行信用卡(1234)"
    amount: int
    direction: str  # OUT (money leaving the user), IN, or NEUTRAL
    status: str
    category: str  # 交易分类 / 交易类型 / 摘要
    order_id: str  # the statement's order number, or a stable synthetic id for bank rows
    is_repayment: bool  # the row itself looks like a repayment (信用借还, 信用卡还款, 自动还款, ...)
    is_refund_or_failed: bool
    raw: dict[str, str] = field(default_factory=dict, compare=False)
    source: str = ""  # as in Statement.source; (source, order_id) identifies the row across imports
    currency: str = "CNY"
    line: int = 0  # line (CSV) or row (XLSX) number in the file, for messages


@dataclass(frozen=True)
class Statement:
    source: str
    rows: list[StatementRow]
    # a credit card's statement (one bill's transactions) and the month its title names
    card_statement: bool = False
    month: tuple[int, int] | None = None


# -- layouts -------------------------------------------------------------------
@dataclass(frozen=True)
class _Layout:
    source: str
    label: str  # marked with N_, translated at use
    columns: dict[str, tuple[str, ...]]  # field -> the header names it goes by
    required: tuple[str, ...]
    example: str  # the header row, for messages


_ALIPAY = _Layout(
    "alipay",
    N_("Alipay"),
    {
        "when": ("交易时间", "交易创建时间", "付款时间"),
        "category": ("交易分类", "类型"),
        "counterparty": ("交易对方",),
        "description": ("商品说明", "商品名称"),
        "direction": ("收/支",),
        "amount": ("金额", "金额(元)"),
        "method": ("收/付款方式",),
        "status": ("交易状态",),
        "order": ("交易订单号", "交易号"),
    },
    ("when", "direction", "amount", "status"),
    "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,…",
)
_WECHAT = _Layout(
    "wechat",
    N_("WeChat Pay"),
    {
        "when": ("交易时间",),
        "category": ("交易类型",),
        "counterparty": ("交易对方",),
        "description": ("商品",),
        "direction": ("收/支",),
        "amount": ("金额(元)", "金额"),
        "method": ("支付方式",),
        "status": ("当前状态",),
        "order": ("交易单号",),
    },
    ("when", "category", "amount", "status"),
    "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注",
)
_CMB_CREDIT = _Layout(
    "cmb-credit",
    N_("China Merchants Bank credit card"),
    {
        "when": ("交易日",),
        "posted": ("记账日",),
        "description": ("交易摘要",),
        "amount": ("人民币金额",),
        "card": ("卡号末四位",),
    },
    ("posted", "description", "amount"),
    "交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额",
)
_CMB = _Layout(
    "cmb",
    N_("China Merchants Bank"),
    {
        "when": ("记账日期",),
        "currency": ("货币",),
        "amount": ("交易金额",),
        "category": ("交易摘要",),
        "counterparty": ("对手信息",),
        "description": ("客户摘要",),
    },
    ("when", "amount", "category"),
    "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要",
)
_ICBC = _Layout(
    "icbc",
    N_("ICBC"),
    {
        "when": ("交易日期",),
        "posted": ("记账日期",),
        "category": ("摘要",),
        "detail": ("交易详情",),
        "place": ("交易场所",),
        "trade_in": ("交易金额(收入)",),
        "trade_out": ("交易金额(支出)",),
        "amount_in": ("记账金额(收入)",),
        "amount_out": ("记账金额(支出)",),
        "currency": ("记账币种", "交易币种"),
        "counterparty": ("对方户名",),
    },
    ("when", "category", "amount_in", "amount_out"),
    "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),…",
)
_CCB = _Layout(
    "ccb",
    N_("China Construction Bank"),
    {
        "when": ("交易日期",),
        "posted": ("记账日",),
        "time": ("交易时间",),
        "amount_out": ("支出",),
        "amount_in": ("收入",),
        "currency": ("币种",),
        "category": ("摘要",),
        "counterparty": ("对方户名",),
        "place": ("交易地点",),
    },
    ("when", "amount_out", "amount_in", "category"),
    "记账日,交易日期,交易时间,支出,收入,账户余额,币种,摘要,对方账号,对方户名,交易地点",
)
_LAYOUTS = (_ALIPAY, _WECHAT, _CMB_CREDIT, _CMB, _ICBC, _CCB)
_ALLOWED = {
    "alipay": (_ALIPAY,),
    "wechat": (_WECHAT,),
    "cmb": (_CMB_CREDIT, _CMB),
    "cmb-credit": (_CMB_CREDIT,),
    "icbc": (_ICBC,),
    "ccb": (_CCB,),
}
_SOURCE_LABELS = {"alipay": N_("Alipay"), "wechat": N_("WeChat Pay"), "cmb": N_("China Merchants Bank")}
_SOURCE_LABELS.update({layout.source: layout.label for layout in _LAYOUTS if layout.source not in _SOURCE_LABELS})


def _header_name(cell: Cell) -> str:
    text = "" if cell is None else str(cell)
    return text.strip().replace(" ", "").replace("\u3000", "").replace("（", "(").replace("）", ")")


def _column_map(header: Sequence[Cell], layout: _Layout) -> dict[str, int] | None:
    """Field -> column index when ``header`` is this layout's header row, else None."""
    names = [_header_name(c) for c in header]
    index = {}
    for pos, name in enumerate(names):
        if name and name not in index:
            index[name] = pos
    cols = {}
    for fld, candidates in layout.columns.items():
        for name in candidates:
            if name in index:
                cols[fld] = index[name]
                break
    if all(f in cols for f in layout.required):
        return cols
    return None


# -- cells ---------------------------------------------------------------------
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


# -- signals -------------------------------------------------------------------
# money that never left, or came back: 等待付款 is an unpaid order, 等待确认收货 is paid
_FAILED_STATUS = ("退款", "关闭", "失败", "撤销", "取消", "退还", "退回", "冲正", "待付款", "未付款", "未支付")
_REFUND_WORDS = ("退款", "退货", "冲正", "撤销")
_REPAY_WORDS = ("还款", "还贷")
_DISBURSE_WORDS = ("借款", "放款", "提现")
# Alipay and WeChat refunds carry the original order number with a suffix
_REFUND_ORDER_RE = re.compile(r"([0-9A-Za-z]{8,})_[0-9A-Za-z]+")
# Excel turns long order numbers into 2.02501E+27 when a bill is re-saved: useless as an id
_MANGLED_ORDER_RE = re.compile(r"\d(\.\d+)?[eE]\+?\d+")


def _mentions(words: Sequence[str], *texts: str) -> bool:
    return any(w in t for w in words for t in texts)


def _wallet_refund_or_failed(status: str, category: str, description: str, order_id: str) -> bool:
    return (
        _mentions(_FAILED_STATUS, status)
        or "退款" in category
        or description.startswith("退款")
        or bool(_REFUND_ORDER_RE.fullmatch(order_id))
    )


# -- row builders ----------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    statement_month: tuple[int, int | None] | None
    card: str  # last four digits of the account named in the preamble, or ""
    card_statement: bool  # an ICBC layout with a 记账日期 column: a credit-card statement


class _Cells:
    def __init__(self, cells: Sequence[Cell], cols: dict[str, int], header: Sequence[str], line: int) -> None:
        self.cells, self.cols, self.header, self.line = cells, cols, header, line

    def name(self, fld: str) -> str:
        return self.header[self.cols[fld]] if fld in self.cols else fld

    def cell(self, fld: str) -> Cell:
        pos = self.cols.get(fld)
        return self.cells[pos] if pos is not None and pos < len(self.cells) else None

    def text(self, fld: str) -> str:
        return _text(self.cell(fld))

    def amount(self, fld: str) -> int | None:
        return _amount(self.cell(fld), self.line, self.name(fld))

    def present(self, fld: str) -> bool:
        cell = self.cell(fld)
        return cell is not None and not (isinstance(cell, str) and _text(cell) == "")

    def order(self) -> str:
        # a number cell cannot hold a 28-digit order number exactly: let a synthetic id stand in
        return "" if isinstance(self.cell("order"), float) else self.text("order")

    def when(self, fld: str, statement_month: tuple[int, int | None] | None = None) -> dt.datetime:
        cell = self.cell(fld)
        if not self.present(fld):
            raise BadInput(_("line {line}: {column} is empty").format(line=self.line, column=self.name(fld)))
        return _when(cell, self.line, self.name(fld), statement_month)

    def required_amount(self, fld: str) -> int:
        value = self.amount(fld)
        if value is None:
            raise BadInput(_("line {line}: {column} is empty").format(line=self.line, column=self.name(fld)))
        return value


def _flow(text: str) -> str:
    if text == "支出":
        return OUT
    if text == "收入":
        return IN
    return NEUTRAL  # 不计收支, 其他 (before 2023), or WeChat's '/'


def _alipay_row(c: _Cells, ctx: _Context) -> StatementRow:
    amount = c.required_amount("amount")
    direction = _flow(c.text("direction"))
    status, category = c.text("status"), c.text("category")
    counterparty, description, order_id = c.text("counterparty"), c.text("description"), c.order()
    signal = category == "信用借还" or status == "还款成功" or _mentions(_REPAY_WORDS, description, counterparty)
    disbursement = _mentions(_DISBURSE_WORDS, description) and "还" not in description
    return StatementRow(
        when=c.when("when"),
        counterparty=counterparty,
        description=description,
        method=c.text("method"),
        amount=abs(amount),
        direction=direction,
        status=status,
        category=category,
        order_id=order_id,
        is_repayment=signal and direction != IN and not disbursement,
        is_refund_or_failed=_wallet_refund_or_failed(status, category, description, order_id),
    )


def _wechat_row(c: _Cells, ctx: _Context) -> StatementRow:
    amount = c.required_amount("amount")
    direction = _flow(c.text("direction"))
    status, category = c.text("status"), c.text("category")
    counterparty, description, order_id = c.text("counterparty"), c.text("description"), c.order()
    signal = category == "信用卡还款" or _mentions(_REPAY_WORDS, category, counterparty, description)
    return StatementRow(
        when=c.when("when"),
        counterparty=counterparty,
        description=description,
        method=c.text("method"),
        amount=abs(amount),
        direction=direction,
        status=status,
        category=category,
        order_id=order_id,
        is_repayment=signal and direction != IN and "退款" not in category,
        is_refund_or_failed=_wallet_refund_or_failed(status, category, description, order_id),
    )


def _cmb_credit_row(c: _Cells, ctx: _Context) -> StatementRow:
    # repayments have no 交易日, only the 记账日
    fld = "when" if c.present("when") else "posted"
    signed = c.required_amount("amount")
    description = c.text("description")
    card = c.text("card")
    repayment = signed < 0 and _mentions(_REPAY_WORDS, description)
    if signed >= 0:
        direction = OUT
    else:
        # money coming onto the card: a repayment moves the user's own money, anything else is a credit
        direction = NEUTRAL if repayment else IN
    return StatementRow(
        when=c.when(fld, ctx.statement_month),
        counterparty="",
        description=description,
        method=f"招商银行信用卡({card})" if card else "招商银行信用卡",
        amount=abs(signed),
        direction=direction,
        status="",
        category="",
        order_id="",
        is_repayment=repayment,
        is_refund_or_failed=_mentions(_REFUND_WORDS, description),
    )


def _cmb_row(c: _Cells, ctx: _Context) -> StatementRow:
    signed = c.required_amount("amount")
    direction = OUT if signed < 0 else IN
    category, counterparty, description = c.text("category"), c.text("counterparty"), c.text("description")
    return StatementRow(
        when=c.when("when"),
        counterparty=counterparty,
        description=description,
        method="招商银行",
        amount=abs(signed),
        direction=direction,
        status="",
        category=category,
        order_id="",
        is_repayment=direction == OUT and _mentions(_REPAY_WORDS, category, description, counterparty),
        is_refund_or_failed=_mentions(_REFUND_WORDS, category, description),
        currency=_currency(c.text("currency")),
    )


def _bank_amounts(c: _Cells, out_fields: Sequence[str], in_fields: Sequence[str]) -> tuple[int, str]:
    for fields, direction in ((out_fields, OUT), (in_fields, IN)):
        for fld in fields:
            value = c.amount(fld)
            if value:
                # a negative figure in the 支出 column is money coming back, and vice versa
                if value < 0:
                    return -value, IN if direction == OUT else OUT
                return value, direction
    return 0, NEUTRAL


def _icbc_row(c: _Cells, ctx: _Context) -> StatementRow:
    amount, direction = _bank_amounts(c, ("amount_out", "trade_out"), ("amount_in", "trade_in"))
    category, counterparty = c.text("category"), c.text("counterparty")
    description = " ".join(t for t in (c.text("detail"), c.text("place")) if t)
    mentions = _mentions(_REPAY_WORDS, category, description, counterparty)
    repayment = direction == OUT and mentions
    if ctx.card_statement and direction == IN and mentions:
        # an ICBC credit-card statement: the repayment arrives on the card
        direction, repayment = NEUTRAL, True
    return StatementRow(
        when=c.when("when"),
        counterparty=counterparty,
        description=description,
        method=f"工商银行({ctx.card})" if ctx.card else "工商银行",
        amount=amount,
        direction=direction,
        status="",
        category=category,
        order_id="",
        is_repayment=repayment,
        is_refund_or_failed=_mentions(_REFUND_WORDS, category),
        currency=_currency(c.text("currency")),
    )


def _ccb_row(c: _Cells, ctx: _Context) -> StatementRow:
    amount, direction = _bank_amounts(c, ("amount_out",), ("amount_in",))
    category, counterparty, description = c.text("category"), c.text("counterparty"), c.text("place")
    when = c.when("when" if c.present("when") else "posted")
    if c.text("time") and when.time() == dt.time(0):
        when = dt.datetime.combine(when.date(), _clock(c.cell("time"), c.line, c.name("time")))
    return StatementRow(
        when=when,
        counterparty=counterparty,
        description=description,
        method=f"建设银行({ctx.card})" if ctx.card else "建设银行",
        amount=amount,
        direction=direction,
        status="",
        category=category,
        order_id="",
        is_repayment=direction == OUT and _mentions(_REPAY_WORDS, category, description, counterparty),
        is_refund_or_failed=_mentions(_REFUND_WORDS, category),
        currency=_currency(c.text("currency")),
    )


_BUILDERS: dict[str, Callable[[_Cells, _Context], StatementRow]] = {
    "alipay": _alipay_row,
    "wechat": _wechat_row,
    "cmb-credit": _cmb_credit_row,
    "cmb": _cmb_row,
    "icbc": _icbc_row,
    "ccb": _ccb_row,
}


# -- files -----------------------------------------------------------------------
Table = list[tuple[int, list[Cell]]]  # (line or row number, cells)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _sniff_binary(data: bytes) -> None:
    """Refuse, with a useful sentence, the files people are likely to try that are not CSV or XLSX."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise BadInput(
                _("this is a password-protected Excel file, which cannot be read: remove the password and save it as XLSX or CSV")
            )
        raise BadInput(
            _(
                "this is an old-style Excel .xls file (such as a China Construction Bank statement), which cannot be "
                "read: open it in Excel or WPS and save it as CSV or XLSX, then import that file"
            )
        )
    if data.startswith(b"%PDF"):
        raise BadInput(
            _(
                "this is a PDF (banks such as China Merchants Bank send PDF statements), which cannot be read: "
                "export the bill as CSV or XLSX, or convert the PDF to CSV first"
            )
        )
    if data.startswith(_IMAGE_MAGIC):
        raise BadInput(_("this is an image, not a statement: expected an Alipay or WeChat Pay bill (CSV or XLSX) or a bank CSV"))
    head = data[:4096]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BadInput(
            _("this is a binary file, not a statement: expected an Alipay or WeChat Pay bill (CSV or XLSX) or a bank CSV")
        )


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first: strict UTF-8 rarely accepts GBK by accident, the reverse is common."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # Alipay bills are GBK; GB18030 is its superset
    except UnicodeDecodeError:
        raise BadInput(
            _("this file is neither UTF-8 nor GBK text, nor an XLSX workbook; expected a CSV or XLSX statement")
        ) from None


def _csv_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _parse_line(line: str, delimiter: str) -> list[Cell]:
    try:
        return list(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return [line]


def _csv_records(lines: list[str], start: int, delimiter: str) -> Table:
    """Parse lines[start:] as CSV (quoted fields may span lines); numbers are 1-based line numbers."""
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    table: Table = []
    previous = 0
    try:
        for record in reader:
            table.append((start + previous + 1, list(record)))
            previous = reader.line_num
    except csv.Error as exc:
        raise BadInput(_("line {line}: the CSV cannot be read: {error}").format(line=start + previous + 1, error=exc)) from None
    return table


def _xlsx_tables(data: bytes) -> list[Table]:
    try:
        import openpyxl  # heavy: only when a workbook is imported
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise BadInput(_("reading XLSX files needs the openpyxl package; install it or save the statement as CSV")) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Workbook contains no default style" and the like
        try:
            # read_only streams the sheet: memory stays small and the limits below stop a bomb early
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except _damaged_workbook_errors():
            raise BadInput(_("this XLSX workbook cannot be opened; it may be damaged or not a real XLSX file")) from None
        try:
            return _read_sheets(book)
        except _damaged_workbook_errors():  # read_only parses the sheet while it is read
            raise BadInput(_("this XLSX workbook cannot be read; it may be damaged")) from None
        finally:
            book.close()


def _damaged_workbook_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl raises for a damaged or crafted workbook (found by fuzzing; see tests/test_fuzz.py)."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    # OSError is openpyxl's "no valid workbook part": the bytes are in memory, no disk is involved
    return (
        *_DAMAGED_ZIP,
        OSError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        ParseError,
        InvalidFileException,
    )


def _read_sheets(book: Workbook) -> list[Table]:
    tables = []
    text = 0  # characters read so far: shared strings repeat one string in many cells at no cost in the file
    for sheet in book.worksheets:
        table = []
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if n > MAX_ROWS:
                raise BadInput(_("this workbook has more than {n} rows; export a shorter period").format(n=MAX_ROWS))
            for value in row:
                if isinstance(value, str):
                    if len(value) > MAX_CELL_CHARS:
                        raise BadInput(
                            _("row {n} has a cell of more than {limit} characters; this is not a statement").format(
                                n=n, limit=f"{MAX_CELL_CHARS:,}"
                            )
                        )
                    text += len(value)
            if text > MAX_UNPACKED_BYTES:
                raise BadInput(_("this workbook holds more than 64 MB of text; export a shorter period"))
            table.append((n, list(row)))
        tables.append(table)
    return tables


# a damaged zip: bad structure, bad compressed data, a version or method zipfile does not read
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # a year of a busy WeChat Pay account unpacks to a few MB
MAX_ROWS = 200_000
MAX_CELL_CHARS = 10_000  # a bank's longest field, a remark or a merchant's name, is a few hundred


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except _DAMAGED_ZIP:
        raise BadInput(_("this looks like a zip archive or XLSX workbook, but it is damaged")) from None
    if unpacked > MAX_UNPACKED_BYTES:  # a zip bomb, or far more than one statement
        raise BadInput(_("this workbook unpacks to more than 64 MB; export a shorter period"))
    if "xl/workbook.xml" in names or any(n.endswith("/workbook.xml") for n in names):
        return "xlsx"
    raise BadInput(
        _("this is a zip archive (Alipay sends its bills as a password-protected zip): unzip it and import the CSV file inside")
    )


def _find_header(table: Table, layouts: Sequence[_Layout]) -> tuple[int, _Layout, dict[str, int]] | None:
    keys = {name for layout in layouts for name in layout.columns[layout.required[0]]}
    for pos, (_n, cells) in enumerate(table):
        if not any(_header_name(c) in keys for c in cells):
            continue
        for layout in layouts:
            cols = _column_map(cells, layout)
            if cols is not None:
                return pos, layout, cols
    return None


_FOOTERS = ("合计", "人民币合计", "以上数据仅供参考", "具体内容请以柜台为准")
_STATEMENT_MONTH_RE = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?")
_CARD_RE = re.compile(r"(?:卡号|账号)\s*[:：]?\s*,?\s*([0-9*]{8,})")


def _preamble_facts(table: Table) -> tuple[tuple[int, int | None] | None, str]:
    text = "\n".join(" ".join(_text(c) for c in cells) for _n, cells in table)
    month = None
    m = _STATEMENT_MONTH_RE.search(text)
    if m:
        month = (int(m.group(1)), int(m.group(2)) if m.group(2) else None)
        if month[1] is not None and not 1 <= month[1] <= 12:
            month = (month[0], None)
    card = ""
    c = _CARD_RE.search(text)
    if c and c.group(1)[-4:].isdigit():
        card = c.group(1)[-4:]
    return month, card


def _rows(layout: _Layout, header: Sequence[Cell], cols: dict[str, int], records: Table, ctx: _Context) -> list[StatementRow]:
    names = [_header_name(c) for c in header]
    source = layout.source
    build = _BUILDERS[source]
    rows: list[StatementRow] = []
    for line, cells in records:
        texts = [_text(c) for c in cells]
        filled = [t for t in texts if t]
        if not filled:
            continue
        first = filled[0]
        if first.startswith(("---", "===")) or first.startswith(_FOOTERS):
            break  # the 2021-2022 Alipay layout puts its preamble here; banks put totals
        if len(filled) < 3:
            continue  # a stray note line
        if _column_map(cells, layout) is not None:
            continue  # the header repeated (two exports pasted together)
        row = build(_Cells(cells, cols, names, line), ctx)
        raw = {name: text for name, text in zip(names, texts, strict=False) if name}
        rows.append(replace(row, raw=raw, source=source, line=line))
    return rows


def _finish(rows: list[StatementRow]) -> list[StatementRow]:
    """Give rows without a usable order number a stable synthetic one; mark fully refunded originals."""
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for row in rows:
        if not row.order_id or _MANGLED_ORDER_RE.fullmatch(row.order_id):
            digest = hashlib.sha1("\x1f".join((row.category, row.counterparty, row.description)).encode()).hexdigest()[:10]
            key = (row.when.isoformat(), row.direction, str(row.amount), digest)
            seen[key] += 1  # identical rows on one day stay apart, in file order
            synthetic = f"{row.when:%Y%m%d%H%M%S}-{row.direction}-{row.amount}-{digest}-{seen[key]}"
            row = replace(row, order_id=synthetic)
        out.append(row)
    refunded: defaultdict[str, int] = defaultdict(int)
    for row in out:
        m = _REFUND_ORDER_RE.fullmatch(row.order_id)
        if m and row.source in ("alipay", "wechat"):
            refunded[m.group(1)] += row.amount
    return [
        replace(row, is_refund_or_failed=True)
        if row.order_id in refunded and refunded[row.order_id] >= row.amount and not row.is_refund_or_failed
        else row
        for row in out
    ]


def _label(source: str) -> str:
    return _(_SOURCE_LABELS.get(source, source))


def _not_found(allowed: Sequence[_Layout], source: str, tables: Sequence[Table]) -> BadInput:
    if source == "auto":
        return BadInput(_("this does not look like an Alipay, WeChat Pay or bank statement: no known header row found"))
    for table in tables:
        found = _find_header(table, [layout for layout in _LAYOUTS if layout not in allowed])
        if found:
            return BadInput(
                _("this looks like a statement from {found}, not from {wanted}").format(
                    found=_label(found[1].source), wanted=_label(source)
                )
            )
    return BadInput(
        _("this does not look like a statement from {wanted}: no header row such as {header} found").format(
            wanted=_label(source), header=allowed[-1].example
        )
    )


def read_statement(data: bytes, source: str = "auto") -> Statement:
    """Read an Alipay / WeChat Pay bill or a bank statement (CSV or XLSX bytes) into rows.

    ``source`` is "auto" (detect from the content) or one of SOURCE_CHOICES. Raises BadInput
    with one sentence for anything it cannot read.
    """
    source = (source or "auto").strip().lower()
    if source not in SOURCE_CHOICES:
        raise BadInput(
            _("unknown statement source {value!r}; choose one of {choices}").format(
                value=source, choices=", ".join(SOURCE_CHOICES)
            )
        )
    allowed = _LAYOUTS if source == "auto" else _ALLOWED[source]
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise BadInput(_("the file is empty"))
    is_zip = data.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    if not is_zip:
        _sniff_binary(data)

    if is_zip and _zip_kind(data) == "xlsx":
        tables = _xlsx_tables(data)
        for table in tables:
            found = _find_header(table, allowed)
            if found:
                pos, layout, cols = found
                records = table[pos + 1 :]
                break
        else:
            raise _not_found(allowed, source, tables)
    else:
        text = _decode(data)
        lines = _csv_lines(text)
        # a sheet saved as "Unicode text" is tab-separated; ICBC's comma CSV merely ends fields with tabs
        tables = [
            [(n, _parse_line(line, d)) for n, line in enumerate(lines, start=1)] for d in (",", "\t") if d == "," or "\t" in text
        ]
        for delimiter, table in zip(",\t", tables, strict=False):
            found = _find_header(table, allowed)
            if found:
                pos, layout, cols = found
                records = _csv_records(lines, pos + 1, delimiter)
                break
        else:
            raise _not_found(allowed, source, tables[:1])

    header = table[pos][1]
    statement_month, card = _preamble_facts(table[:pos])
    ctx = _Context(statement_month=statement_month, card=card, card_statement=layout.source == "icbc" and "posted" in cols)
    rows = _rows(layout, header, cols, records, ctx)
    card_statement = layout.source == "cmb-credit" or ctx.card_statement
    month = statement_month if statement_month is not None and statement_month[1] is not None else None
    return Statement(source=layout.source, rows=_finish(rows), card_statement=card_statement, month=month)
