"""The only package that speaks SQL: opening the file safely, loans, repayments, settings.

``Store`` is one class put together from one part per area: ``base`` (the connection,
transactions, the fault hook of the crash test), ``loans`` (loans, card bills, rates,
repayments), ``records`` (incomes, credit checks, audit items, settings, match rules),
``contacts`` (contacts and evidence) and ``upkeep`` (damaged values, integrity, backup);
``rows`` turns records into table rows and back.
"""

from __future__ import annotations

from .base import APPLICATION_ID, BUSY_TIMEOUT_S, FILE_ERRORS, file_error_text
from .contacts import ContactStore
from .loans import LoanStore
from .records import RecordStore
from .upkeep import UpkeepStore

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_S", "FILE_ERRORS", "Store", "file_error_text"]


class Store(LoanStore, RecordStore, ContactStore, UpkeepStore):
    """One open database. ``Store.open(path)`` for a file, ``Store.memory()`` for tests."""
