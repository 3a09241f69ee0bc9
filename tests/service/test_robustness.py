"""Crashes, concurrent writers and the no-network promise, with real processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import MORTGAGE, ROOT, Debt

from tracker.store import Store

ENV = {**os.environ, "DEBT_TRACKER_TODAY": "2026-11-15"}


def big_export(path: Path, loans: int = 300, per_loan: int = 100) -> None:
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(ROOT / "bench")!r})
        from generate import build
        data = build({loans}, {loans * per_loan})
        open({str(path)!r}, "w", encoding="utf-8").write(json.dumps(data, ensure_ascii=False))
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM loans").fetchone()[0], conn.execute(
            "SELECT COUNT(*) FROM repayments"
        ).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("delay", [0.6, 1.5])
def test_killed_import_leaves_all_or_nothing(tmp_path: Path, delay: float):
    src = tmp_path / "big.json"
    big_export(src)
    db = tmp_path / "d.db"
    Store.open(db).close()
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--db", str(db), "import", str(src)], env=ENV)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    loans, reps = counts(db)
    assert (loans, reps) in ((0, 0), (300, 30_000))
    check = subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), "check"], env=ENV, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_two_writers_at_once_lose_nothing(tmp_path: Path):
    db = tmp_path / "d.db"
    Debt(db).ok(*MORTGAGE)
    script = textwrap.dedent(
        """
        import sys
        from typer.testing import CliRunner
        from tracker.cli import app
        runner = CliRunner()
        db, tag = sys.argv[1], sys.argv[2]
        for n in range(40):
            r = runner.invoke(app, ["--db", db, "--today", "2026-11-15", "repay", "1", "1.00", "--date", "2026-11-15",
                                    "--note", f"{tag}-{n}", "--allow-overpay"])
            if r.exit_code != 0:
                print(r.stderr, file=sys.stderr)
                sys.exit(1)
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(db), tag], env=ENV, stderr=subprocess.PIPE, text=True) for tag in "ab"
    ]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
    notes = {r.note for r in Store.open(db).repayments()}
    assert notes == {f"{t}-{n}" for t in "ab" for n in range(40)}


def test_main_flows_never_touch_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files=None):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    debt = Debt(tmp_path / "d.db")
    debt.ok(*MORTGAGE)
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    for args in (
        ["loan", "list"],
        ["loan", "show", "1"],
        ["dti"],
        ["remind", "--ics", str(tmp_path / "c.ics")],
        ["plan", "--budget", "200000"],
        ["apr", "--principal", "10000", "--term", "12", "--fee-rate", "0.6"],
        ["export", str(tmp_path / "e.json")],
        ["audit", "list"],
        ["check"],
        ["sms", "check", "点击 t.cn/abc 领取 征信修复 服务", "--save"],
    ):
        debt.ok(*args)
    fresh = Debt(tmp_path / "f.db")
    fresh.ok("import", str(tmp_path / "e.json"))
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["loans"][0]["name"] == "房贷"
