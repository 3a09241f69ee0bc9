"""Backups hold everything (database and evidence, hashed in a manifest); a restore cannot lose anything."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

from helpers import MORTGAGE, Debt, assert_error, dump

from tracker.backup import restore
from tracker.models import Repayment
from tracker.store import Store


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def household_with_evidence(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    debt.ok("contact", "log", "--channel", "sms", "--from", "106", "--date", "2026-03-01T09:00")
    for n in range(2):
        shot = tmp_path / f"shot{n}.png"
        shot.write_bytes(b"evidence %d" % n)
        debt.ok("evidence", "add", str(shot), "--contact", "1")


def test_backup_restored_on_a_clean_machine_verifies_every_file(debt: Debt, tmp_path: Path) -> None:
    household_with_evidence(debt, tmp_path)
    archive = tmp_path / "all.zip"
    out = debt.ok("backup", str(archive)).stdout
    assert "2 evidence files" in out
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format"] == "debt-tracker-backup" and manifest["app_version"]
        for part in manifest["parts"]:
            assert hashlib.sha256(z.read(part["path"])).hexdigest() == part["sha256"]
        assert sorted(p["path"].split("/")[0] for p in manifest["parts"]) == ["debt.db", "evidence", "evidence"]
    elsewhere = tmp_path / "new-machine"
    elsewhere.mkdir()
    fresh = Debt(elsewhere / "debt.db")
    fresh.ok("restore", str(archive))
    assert fresh.ok("evidence", "verify", "--json").json == {"checked": 2, "problems": []}
    assert len(fresh.ok("evidence", "list", "--json").json) == 2
    assert fresh.ok("loan", "show", "1", "--json").json == debt.ok("loan", "show", "1", "--json").json


def test_a_damaged_archive_is_refused_naming_the_part(debt: Debt, tmp_path: Path) -> None:
    household_with_evidence(debt, tmp_path)
    archive = tmp_path / "all.zip"
    debt.ok("backup", str(archive))
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("evidence/") and "shot0" in info.filename:
                data = data[:-1] + b"X"  # one byte changed, same size
                bad_part = info.filename
            dst.writestr(info, data)
    debt.ok("repay", "1", "5307.27", "--date", "2025-03-15")
    before = dump(debt.db)
    r = debt("restore", str(damaged))
    assert_error(r, 1)
    assert "damaged" in r.stderr and "evidence file shot0.png" in r.stderr and bad_part
    assert dump(debt.db) == before
    assert not [p for p in debt.db.parent.iterdir() if p.name.endswith(".bak")]


def test_two_restores_in_the_same_second_keep_both_safety_copies(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*MORTGAGE, "--json")
    archive = tmp_path / "all.zip"
    debt.ok("backup", str(archive))
    folder = debt.db.parent / "evidence"
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    first = restore(debt.db, archive, folder, "20261115-120000").safety_copy
    debt.ok("repay", "1", "5307.27", "--date", "2025-03-15")
    second = restore(debt.db, archive, folder, "20261115-120000").safety_copy
    assert first != second and first.exists() and second.exists()
    assert [len(Store.open(p).repayments()) for p in (first, second)] == [1, 1]
    assert Store.open(first).repayments()[0].date.isoformat() == "2025-02-15"
    assert Store.open(second).repayments()[0].date.isoformat() == "2025-03-15"


def test_restore_never_changes_the_backup_it_reads(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*MORTGAGE, "--json")
    archive = tmp_path / "all.zip"
    debt.ok("backup", str(archive))
    plain = tmp_path / "plain.db"  # a backup from an older version: a bare database file
    con, out = sqlite3.connect(debt.db), sqlite3.connect(plain)
    con.backup(out)
    con.close()
    with out:
        out.execute("DELETE FROM _sqlite_migrations WHERE name = '0006_removed_evidence'")
        out.execute("DROP TABLE evidence_removed")
    out.close()
    hashes = {p: sha(p) for p in (archive, plain)}
    debt.ok("restore", str(archive))
    debt.ok("restore", str(plain))
    assert {p: sha(p) for p in (archive, plain)} == hashes
    debt.ok("check")


def test_a_connection_open_during_the_restore_writes_to_the_restored_data(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*MORTGAGE, "--json")
    archive = tmp_path / "all.zip"
    debt.ok("backup", str(archive))
    other = Store.open(debt.db)  # e.g. the app, left open
    debt.ok("restore", str(archive))
    other.add_repayment(Repayment(1, dt.date(2025, 2, 15), 530727))
    other.close()
    assert len(Store.open(debt.db).repayments()) == 1  # the write is in the restored database, not lost


def test_export_with_files_carries_the_evidence_and_imports_once(debt: Debt, tmp_path: Path) -> None:
    household_with_evidence(debt, tmp_path)
    plain = json.loads((lambda p: (debt.ok("export", str(p)), p.read_text(encoding="utf-8"))[1])(tmp_path / "a.json"))
    assert [e["original_name"] for e in plain["evidence"]] == ["shot0.png", "shot1.png"]
    archive = tmp_path / "all.zip"
    assert "2 evidence files" in debt.ok("export", str(archive), "--with-files").stdout
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    fresh = Debt(elsewhere / "debt.db")
    fresh.ok("import", str(archive))
    assert fresh.ok("evidence", "verify", "--json").json == {"checked": 2, "problems": []}
    before = dump(fresh.db)
    assert "0 new" in fresh.ok("import", str(archive)).stdout
    assert dump(fresh.db) == before
    assert_error(debt("export", str(tmp_path / "x.csv"), "--format", "csv", "--with-files"), 2)


def test_a_restore_to_a_folder_that_does_not_exist_is_refused(debt: Debt, tmp_path: Path) -> None:
    """A mistyped --db: restore refuses it as every other command does, and creates nothing (it made the folder,
    the database and an evidence folder, and said it had restored while the real database was untouched)."""
    from helpers import assert_error

    debt.ok("loan", "add", "x", "--lender", "y", "--principal", "1000", "--rate", "1", "--term", "2",
            "--method", "equal-principal", "--start", "2026-01-01")  # fmt: skip
    archive = tmp_path / "b.zip"
    debt.ok("backup", str(archive))
    wrong = Debt(tmp_path / "nodir" / "x.db")
    r = wrong("restore", str(archive))
    assert_error(r, 1)
    assert "the folder for the database does not exist" in r.stderr
    assert not (tmp_path / "nodir").exists()
    assert "Restored " in debt.ok("restore", str(archive)).stdout


def test_a_restore_puts_back_an_evidence_file_changed_since_the_backup(debt: Debt, tmp_path: Path) -> None:
    """An evidence file altered after the backup is put back as it was (restore took back only missing files,
    so verify still said 'altered'); an unchanged one is left as it is."""
    household_with_evidence(debt, tmp_path)
    archive = tmp_path / "all.zip"
    debt.ok("backup", str(archive))
    stored = sorted(p for p in (debt.db.parent / "evidence").iterdir() if p.is_file())
    assert len(stored) == 2
    stored[0].write_bytes(b"TAMPERED")
    untouched = stored[1].stat().st_mtime_ns
    assert debt("evidence", "verify").exit_code == 1
    assert "(2 evidence files)" in debt.ok("restore", str(archive)).stdout
    assert debt.ok("evidence", "verify", "--json").json == {"checked": 2, "problems": []}
    assert stored[1].stat().st_mtime_ns == untouched
    assert oct(stored[0].stat().st_mode & 0o777) == "0o600"


def test_a_cut_archive_or_a_file_that_is_no_backup_is_named_as_given(debt: Debt, tmp_path: Path) -> None:
    """A backup cut short, or a file that is none: refused naming the file the user gave (not the private copy
    restore works on), and nothing changes."""
    household_with_evidence(debt, tmp_path)
    archive = tmp_path / "all.zip"
    debt.ok("backup", str(archive))
    cut, text = tmp_path / "cut.zip", tmp_path / "notes.txt"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    text.write_text("hello\n")
    before = dump(debt.db)
    for bad in (cut, text):
        r = debt("restore", str(bad))
        assert_error(r, 1)
        assert f"{bad} is not a debt-tracker backup, or it is damaged" in r.stderr and ".debt-" not in r.stderr
    assert dump(debt.db) == before
