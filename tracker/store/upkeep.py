"""Looking after the file: unreadable values and their repair, integrity checks, backups, counts."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from decimal import Decimal
from pathlib import Path

from ..errors import BadInput, NotFound
from ..i18n import _
from .base import StoreBase


class UpkeepStore(StoreBase):
    """Damaged records, integrity, backup and counts."""

    # -- values that cannot be read ------------------------------------------------
    def unreadable_fields(self, table: str, row_id: int) -> list[tuple[str, object, str]]:
        """The values of a damaged record that cannot be read: (column, stored value, kind: date or number)."""
        kinds = _FIELD_KINDS.get(table, {})
        if not kinds:
            return []
        columns = sorted(kinds)
        row = self.conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", [row_id]).fetchone()
        if row is None:
            return []
        return [
            (column, value, kinds[column].rstrip("?"))
            for column, value in zip(columns, row, strict=True)
            if not _readable(kinds[column], value)
        ]

    def fix_field(self, table: str, row_id: int, column: str, text: str) -> None:
        """Store a new value for one unreadable value of a damaged record, checked first (``debt check --repair``)."""
        from ..dates import parse_date
        from ..money import parse_percent

        kind = _FIELD_KINDS.get(table, {}).get(column)
        if kind is None:
            raise BadInput(_("{table} has no value {column} that a repair can set").format(table=table, column=column))
        if kind.startswith("date"):
            value: object = parse_date(text, column).isoformat()
        elif kind.startswith("rate"):
            value = str(parse_percent(text, column))
        else:  # installment numbers, as "3,5"
            parts = [p.strip() for p in text.split(",") if p.strip()]
            if not all(p.isdigit() and p.isascii() for p in parts):
                raise BadInput(_("{column} must be installment numbers separated by commas").format(column=column))
            value = ",".join(str(int(p)) for p in parts)
        with self.write():
            if self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [value, row_id]).rowcount == 0:
                raise NotFound(_("no {table} record {id}").format(table=table, id=row_id))
        self.damaged.pop((table, row_id), None)

    def remove_damaged(self) -> list[tuple[str, int]]:
        """Delete every record noted as unreadable (a loan takes its repayments with it); what was removed."""
        removed = sorted(self.damaged)
        with self.write():
            for table, row_id in removed:
                self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
        self.damaged.clear()
        return removed

    def orphan_repayments(self) -> dict[int, int]:
        """Repayments whose loan is not in the file (written around the foreign keys, as a hand edit with
        SQLite's shell does): how many, by the missing loan's id."""
        rows = self.conn.execute(
            "SELECT loan_id, COUNT(*) FROM repayments WHERE loan_id NOT IN (SELECT id FROM loans) GROUP BY loan_id"
        )
        return dict(rows.fetchall())

    def remove_orphan_repayments(self) -> int:
        """Delete the repayments of loans that are not in the file; how many."""
        with self.write():
            return self.conn.execute("DELETE FROM repayments WHERE loan_id NOT IN (SELECT id FROM loans)").rowcount

    # -- integrity, backup -------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity and foreign-key checks, as readable lines.

        The whole file gets the quick check (its structure, every page and row); the full check,
        which also matches each index against its table, runs on every table but the stored
        schedule lines and allocations, most of the file, whose every row ``debt check``
        compares with a replay anyway.
        """
        problems = [r[0] for r in self.conn.execute("PRAGMA quick_check") if r[0] != "ok"]
        if not problems:
            tables = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                if table not in ("loan_lines", "loan_allocs") and not table.startswith("sqlite_"):
                    problems += [r[0] for r in self.conn.execute(f"PRAGMA integrity_check({table})") if r[0] != "ok"]
        for table, rowid, parent, _fk in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(
                _("{table} row {rowid} points to a missing {parent} row").format(table=table, rowid=rowid, parent=parent)
            )
        return problems

    def backup_to(self, target: Path) -> None:
        """A consistent copy through SQLite's online backup (safe while others use the database)."""
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        dest = sqlite3.connect(str(tmp))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)

    def is_empty(self) -> bool:
        """No records of the user's in any table (settings aside)."""
        tables = ("loans", "repayments", "incomes", "credit_checks", "audit_items", "contacts", "evidence")
        return all(self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] == 0 for t in tables)

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("loans", "repayments")}


# the stored values a hand edit can make unreadable, by table: a date, a rate (a decimal), installment numbers;
# "?" marks a value that may be empty
_FIELD_KINDS: dict[str, dict[str, str]] = {
    "loans": {
        "annual_rate": "rate",
        "fee_rate": "rate",
        "min_payment_rate": "rate",
        "quoted_rate": "rate?",
        "penalty_rate": "rate?",
        "late_fee_rate": "rate",
        "start_date": "date",
        "first_due_date": "date",
        "card_bill_date": "date?",
        "autopay_missed": "seqs",
    },
    "repayments": {"date": "date"},
    "incomes": {"start_date": "date", "end_date": "date?"},
    "rate_changes": {"from_date": "date", "annual_rate": "rate"},
    "card_bills": {"date": "date"},
}


def _readable(kind: str, value: object) -> bool:
    """Whether a stored value reads as its kind, the way the record readers in rows.py read it."""
    if value is None:
        return kind.endswith("?")
    try:
        if kind.startswith("date"):
            dt.date.fromisoformat(str(value))
        elif kind.startswith("rate"):
            return Decimal(str(value)).is_finite()
        else:
            [int(n) for n in str(value).split(",") if n]
    except (ValueError, ArithmeticError):
        return False
    return True
