"""Damaged files and failing disks: a clear message, nothing written, nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import MORTGAGE, Debt, assert_error, dump

from tracker.store import Store


@pytest.fixture
def debt_with_loan(debt: Debt) -> Debt:
    debt.ok(*MORTGAGE)
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    Store.open(debt.db).conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return debt


def test_truncated_file(debt_with_loan: Debt):
    data = debt_with_loan.db.read_bytes()
    debt_with_loan.db.write_bytes(data[: len(data) // 2])
    before = debt_with_loan.db.read_bytes()
    for args in (["loan", "list"], ["repay", "1", "10"], ["check"]):
        r = debt_with_loan(*args)
        assert r.exit_code in (1, 2) and "Traceback" not in r.stderr
        assert r.stderr.startswith("debt: error:") or r.exit_code == 1
    assert debt_with_loan.db.read_bytes() == before


def test_corrupted_pages_are_reported_by_check(debt_with_loan: Debt):
    data = bytearray(debt_with_loan.db.read_bytes())
    page = 4096
    for k in range(page * 2 + 100, min(len(data), page * 3), 7):
        data[k] = 0xFF
    debt_with_loan.db.write_bytes(bytes(data))
    r = debt_with_loan("check")
    assert r.exit_code == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("reason", ["database or disk is full", "attempt to write a readonly database", "disk I/O error"])
def test_write_failures_change_nothing(debt_with_loan: Debt, monkeypatch: pytest.MonkeyPatch, reason: str):
    before = dump(debt_with_loan.db)

    def fail(self, rep):
        raise sqlite3.OperationalError(reason)

    monkeypatch.setattr(Store, "add_repayment", fail)
    r = debt_with_loan("repay", "1", "100", "--date", "2025-03-15")
    assert_error(r, 1)
    assert reason in r.stderr
    assert dump(debt_with_loan.db) == before


def test_full_disk_during_import_writes_nothing(debt_with_loan: Debt, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    export = tmp_path / "e.json"
    debt_with_loan.ok("export", str(export))
    fresh = Debt(tmp_path / "fresh.db")
    fresh.ok("income", "add", "salary", "10000")  # a database that exists and holds something
    before = dump(fresh.db)

    def fail(self, reps):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add_repayments", fail)
    assert_error(fresh("import", str(export)), 1)
    assert dump(fresh.db) == before


def test_directory_and_missing_folder_as_db(tmp_path: Path):
    assert_error(Debt(tmp_path)("loan", "list"), 1)
    r = Debt(tmp_path / "nope" / "x.db")(
        "loan",
        "add",
        "x",
        "--lender",
        "y",
        "--principal",
        "100",
        "--rate",
        "1",
        "--term",
        "2",
        "--method",
        "bullet",
        "--start",
        "2025-01-01",
    )
    assert_error(r, 1)
    assert not (tmp_path / "nope").exists()
