"""The header rows of each source's export, and finding a layout's columns in a header row."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from ..i18n import N_
from .model import Cell


class _Layout(Struct, frozen=True):
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
