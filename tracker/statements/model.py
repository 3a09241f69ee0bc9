"""What a statement reads into: the sources, the directions of money, a row and a statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# What `--source` accepts; "cmb" covers both CMB layouts (debit and credit card).
SOURCE_CHOICES = ("auto", "alipay", "wechat", "cmb", "cmb-credit", "icbc", "ccb")
# What a Statement says it came from.
SOURCES = ("alipay", "wechat", "cmb", "cmb-credit", "icbc", "ccb")

OUT, IN, NEUTRAL = "out", "in", "neutral"

Cell = str | int | float | Decimal | dt.datetime | dt.date | dt.time | None


# A dataclass, where the program's other records are msgspec Structs: a row's raw cells stay out of its
# equality and hash (field(compare=False)), which a Struct cannot say. Only reading a statement makes it.
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
