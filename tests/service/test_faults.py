"""Damaged files and failing disks: a clear message, nothing written, nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import MORTGAGE, Debt, assert_error, dump

from tracker.store import Store


@pytest.fixture
def debt_with_loan(debt: Debt) -> Debt:
    debt.ok(*MORTGAGE, "--json")
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


def test_backup_and_restore(debt_with_loan: Debt, tmp_path: Path):
    backup = tmp_path / "backup.zip"
    # a backup taken while another connection holds the database open
    other = Store.open(debt_with_loan.db)
    debt_with_loan.ok("backup", str(backup))
    other.close()
    assert debt_with_loan("backup", str(backup)).exit_code == 1  # exists: needs --force
    debt_with_loan.ok("repay", "1", "100", "--date", "2025-03-01")
    assert len(Store.open(debt_with_loan.db).repayments()) == 2
    out = debt_with_loan.ok("restore", str(backup)).stdout
    assert len(Store.open(debt_with_loan.db).repayments()) == 1
    kept = [p for p in debt_with_loan.db.parent.iterdir() if p.name.endswith(".bak")]
    assert len(kept) == 1 and kept[0].name in out
    assert len(Store.open(kept[0]).repayments()) == 2  # the database as it was before the restore
    debt_with_loan.ok("check")


def test_restore_refuses_a_file_that_is_not_ours(debt_with_loan: Debt, tmp_path: Path):
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    before = dump(debt_with_loan.db)
    assert_error(debt_with_loan("restore", str(junk)), 1)
    assert_error(debt_with_loan("restore", str(tmp_path / "missing.db")), 2)
    assert dump(debt_with_loan.db) == before
    assert not [p for p in debt_with_loan.db.parent.iterdir() if p.name.endswith(".bak")]
