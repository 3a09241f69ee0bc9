"""Read Alipay, WeChat Pay and bank statement exports (bytes) into plain rows.

These exports keep changing their preambles, so the header row is found by its
content, never by its line number. Pure: no store, no printing, no clock.

The parts: ``model`` (rows and statements), ``layouts`` (each source's header row), ``cells``
(amounts, dates), ``rows`` (one builder per source), ``files`` (CSV, XLSX and what is refused)
and ``reader`` (``read_statement``).
"""

from __future__ import annotations

from .files import MAX_CELL_CHARS, MAX_ROWS, MAX_UNPACKED_BYTES, Table
from .model import IN, NEUTRAL, OUT, SOURCE_CHOICES, SOURCES, Cell, Statement, StatementRow
from .reader import read_statement

__all__ = [
    "IN",
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "NEUTRAL",
    "OUT",
    "SOURCES",
    "SOURCE_CHOICES",
    "Cell",
    "Statement",
    "StatementRow",
    "Table",
    "read_statement",
]
