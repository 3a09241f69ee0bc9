"""Contacts and evidence: private copies, hashes that survive export, tampering caught."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from pathlib import Path

import pytest
from helpers import Debt


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for name, data in (("shot 1.png", b"\x89PNG fake screenshot"), ("通话录音.m4a", b"audio" * 1000)):
        path = tmp_path / name
        path.write_bytes(data)
        out.append(path)
    return out


def evidence_dir(debt: Debt) -> Path:
    return debt.db.parent / "evidence"


def test_add_list_verify_export(debt: Debt, files: list[Path], tmp_path: Path):
    debt.ok(
        "contact",
        "log",
        "--channel",
        "call",
        "--from",
        "13800138000",
        "--about-person",
        "张三",
        "--summary",
        "claims I must pay my friend's loan",
        "--date",
        "2026-11-14 21:30",
    )
    added = debt.ok("evidence", "add", *map(str, files), "--contact", "1", "--note", "call", "--json").json
    assert [e["name"] for e in added] == ["shot 1.png", "通话录音.m4a"]
    for item, src in zip(added, files, strict=True):
        assert item["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
        assert item["size"] == src.stat().st_size
    folder = evidence_dir(debt)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    stored = sorted(folder.iterdir())
    assert len(stored) == 2 and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in stored)
    assert debt.ok("contact", "list", "--json").json[0]["evidence"] == 2
    assert "match" in debt.ok("evidence", "verify").stdout

    out = tmp_path / "complaint.zip"
    debt.ok("evidence", "export", str(out))
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert {"manifest.json", "timeline.md", "timeline.html"} <= names
        manifest = json.loads(zf.read("manifest.json"))
        for f in manifest["files"]:
            assert hashlib.sha256(zf.read(f["path"])).hexdigest() == f["sha256"]
        assert manifest["contacts"][0]["about_person"] == "张三"
        assert "张三" in zf.read("timeline.md").decode() and "<html>" in zf.read("timeline.html").decode()


def test_tampered_and_missing_files_are_caught(debt: Debt, files: list[Path], tmp_path: Path):
    debt.ok("evidence", "add", *map(str, files))
    first, second = sorted(evidence_dir(debt).iterdir())
    first.write_bytes(first.read_bytes() + b"edited")
    second.unlink()
    r = debt("evidence", "verify", "--json")
    assert r.exit_code == 1
    problems = {p["problem"] for p in r.json["problems"]}
    assert problems == {"altered", "missing"}
    r = debt("evidence", "export", str(tmp_path / "x.zip"))
    assert r.exit_code == 1 and not (tmp_path / "x.zip").exists()


def test_bad_input_changes_nothing(debt: Debt, files: list[Path], tmp_path: Path):
    debt.ok("contact", "log", "--channel", "sms", "--from", "10690000")
    # one missing file: nothing is copied, nothing recorded
    r = debt("evidence", "add", str(files[0]), str(tmp_path / "missing.png"))
    assert r.exit_code == 2 and r.stderr.startswith("debt: error:")
    assert debt.ok("evidence", "list", "--json").json == []
    assert not evidence_dir(debt).exists() or not any(evidence_dir(debt).iterdir())
    assert debt("evidence", "add", str(files[0]), "--contact", "99").exit_code == 1
    assert debt("contact", "log", "--channel", "fax", "--from", "x").exit_code == 2
    assert debt("contact", "log", "--channel", "sms", "--from", "x", "--date", "2026-13-01").exit_code == 2
    assert debt("contact", "log", "--channel", "sms", "--from", "x", "--about", "9").exit_code == 1


def test_deleting_a_contact_keeps_its_evidence_and_removal_needs_confirmation(debt: Debt, files: list[Path]):
    debt.ok("contact", "log", "--channel", "letter", "--from", "某律所")
    debt.ok("evidence", "add", str(files[0]), "--contact", "1")
    debt.ok("contact", "delete", "1", "--yes")
    items = debt.ok("evidence", "list", "--json").json
    assert len(items) == 1 and items[0]["contact_id"] is None
    assert len(list(evidence_dir(debt).iterdir())) == 1
    assert debt("evidence", "remove", "1").exit_code == 1  # no terminal, no --yes: refused
    assert len(debt.ok("evidence", "list", "--json").json) == 1
    debt.ok("evidence", "remove", "1", "--yes")
    assert debt.ok("evidence", "list", "--json").json == [] and not any(evidence_dir(debt).iterdir())
