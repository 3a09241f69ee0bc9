"""read_statement: find the header row by its content, build the rows, give each a stable order id."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..errors import BadInput
from ..i18n import _
from .cells import _text
from .files import Table, _csv_lines, _csv_records, _decode, _parse_line, _sniff_binary, _xlsx_tables, _zip_kind
from .layouts import _ALLOWED, _LAYOUTS, _SOURCE_LABELS, _column_map, _header_name, _Layout
from .model import SOURCE_CHOICES, Cell, Statement, StatementRow
from .rows import _BUILDERS, _MANGLED_ORDER_RE, _REFUND_ORDER_RE, _Cells, _Context


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


def source_label(source: str) -> str:
    """A statement's source as a person names it ("Alipay", "支付宝"); an unknown code as it is."""
    return _(_SOURCE_LABELS.get(source, source))


def _not_found(allowed: Sequence[_Layout], source: str, tables: Sequence[Table]) -> BadInput:
    if source == "auto":
        return BadInput(_("this does not look like an Alipay, WeChat Pay or bank statement: no known header row found"))
    for table in tables:
        found = _find_header(table, [layout for layout in _LAYOUTS if layout not in allowed])
        if found:
            return BadInput(
                _("this looks like a statement from {found}, not from {wanted}").format(
                    found=source_label(found[1].source), wanted=source_label(source)
                )
            )
    return BadInput(
        _("this does not look like a statement from {wanted}: no header row such as {header} found").format(
            wanted=source_label(source), header=allowed[-1].example
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
                value=source, choices=_(", ").join(SOURCE_CHOICES)
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
