"""The stored state of loans replayed by a large import's second process (service.import_helper): written to
a scratch database of its own, then copied into the import's file with SQL, for the loans whose terms and
repayments there are the ones the import stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..snapshot import ALLOC_COLUMNS, LINE_COLUMNS, STATE_COLUMNS
from .rows import REPLAY_KEY

if TYPE_CHECKING:
    from .base import StoreBase

_KEY = ", ".join(REPLAY_KEY)
_TABLES = (
    ("loan_state", STATE_COLUMNS, "loan_id"),
    ("loan_lines", LINE_COLUMNS, "loan_id, line"),
    ("loan_allocs", ALLOC_COLUMNS, "loan_id, n"),
)


def _marks(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


class ScratchWriter:
    """A new scratch database at ``path``, filled a few dozen loans at a time: each loan's state rows
    (``snapshot.rows``), the terms it was replayed from and its repayments' ``REPLAY_KEY`` values."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = OFF")  # a file thrown away after the import
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("CREATE TABLE loan_key (loan_id INTEGER PRIMARY KEY, terms TEXT NOT NULL)")
        self.conn.execute(f"CREATE TABLE repayments ({_KEY})")
        for table, columns, _order in _TABLES:
            self.conn.execute(f"CREATE TABLE {table} ({columns})")
        self.conn.execute("BEGIN")

    def add(
        self, states: list[tuple], lines: list[tuple], allocs: list[tuple], keys: list[tuple], repayments: list[tuple]
    ) -> None:
        conn = self.conn
        for (table, columns, _order), values in zip(_TABLES, (states, lines, allocs), strict=True):
            conn.executemany(f"INSERT INTO {table} VALUES ({_marks(columns)})", values)
        conn.executemany("INSERT INTO loan_key VALUES (?, ?)", keys)
        conn.executemany(f"INSERT INTO repayments VALUES ({_marks(_KEY)})", repayments)

    def close(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


def copy_from_scratch(store: StoreBase, path: Path, terms: dict[int, str]) -> set[int]:
    """Copy into ``store`` the scratch database's state rows of the loans of ``terms`` (loan id -> the terms as
    stored here) that were replayed from the same terms and the same repayments as stored here; return their
    ids. Inside the caller's write transaction; the scratch database stays attached until ``detach_scratch``."""
    conn = store.conn
    conn.execute("ATTACH DATABASE ? AS scratch", [str(path)])
    ok = {lid for lid, text in conn.execute("SELECT loan_id, terms FROM scratch.loan_key") if terms.get(lid) == text}
    mine = f"SELECT {_KEY} FROM main.repayments WHERE loan_id IN (SELECT loan_id FROM scratch.loan_key)"
    theirs = f"SELECT {_KEY} FROM scratch.repayments"
    for (lid,) in conn.execute(
        f"SELECT loan_id FROM ({mine} EXCEPT {theirs}) UNION SELECT loan_id FROM ({theirs} EXCEPT {mine})"
    ):
        ok.discard(lid)
    chosen = json.dumps(sorted(ok))
    for table, columns, order in _TABLES:
        conn.execute(
            f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM scratch.{table}"
            f" WHERE loan_id IN (SELECT value FROM json_each(?)) ORDER BY {order}",
            [chosen],
        )
    return ok


def detach_scratch(store: StoreBase) -> None:
    """Let go of the scratch database ``copy_from_scratch`` attached (once its transaction is over)."""
    if not store.conn.in_transaction and any(
        name == "scratch" for _seq, name, _file in store.conn.execute("PRAGMA database_list")
    ):
        store.conn.execute("DETACH DATABASE scratch")
