"""A statement line as a StatementRow, one builder per source, and the words that mark repayments and refunds."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from msgspec import Struct

from ..errors import BadInput
from ..i18n import _
from .cells import _amount, _clock, _currency, _text, _when
from .model import IN, NEUTRAL, OUT, Cell, StatementRow

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
class _Context(Struct, frozen=True):
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
