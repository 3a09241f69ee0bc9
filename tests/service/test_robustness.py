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
from pathlib import Path

import pytest
from helpers import MORTGAGE, Debt, build_household, dump

from tracker.store import Store

ENV = {**os.environ, "DEBT_TRACKER_TODAY": "2026-11-15"}


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM loans").fetchone()[0], conn.execute(
            "SELECT COUNT(*) FROM repayments"
        ).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def household_export(tmp_path: Path) -> Path:
    """An export of another database's household: five loans and six repayments the target has not got."""
    other = Debt(tmp_path / "other" / "d.db")
    other.db.parent.mkdir()
    build_household(other)
    path = tmp_path / "household.json"
    other.ok("export", str(path))
    return path


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["import", "{export}"], id="import"),  # many rows in one transaction
        pytest.param(["repay", "1", "5307.27", "--date", "2025-03-15"], id="repay"),  # one row and the stored state
    ],
)
def test_a_process_killed_inside_its_write_transaction_leaves_the_file_as_it_was(
    tmp_path: Path, household_export: Path, command: list[str]
):
    """The store's test hook kills the process right before COMMIT, inside the transaction, every time."""
    db = tmp_path / "d.db"
    debt = Debt(db)
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    before = dump(db)
    assert counts(db) == (1, 1)
    argv = [sys.executable, "-m", "tracker", "--db", str(db), *(a.format(export=household_export) for a in command)]
    killed = subprocess.run(argv, env={**ENV, "DEBT_TRACKER_FAULT": "kill-before-commit"}, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert dump(db) == before
    assert "No problems found." in debt.ok("check").stdout
    # the same command without the fault does change the file: the kill came before a real write
    done = subprocess.run(argv, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert counts(db) == {"import": (6, 7), "repay": (1, 2)}[command[0]]


def test_two_writers_at_once_lose_nothing(tmp_path: Path):
    db = tmp_path / "d.db"
    Debt(db).ok(*MORTGAGE, "--json")
    script = textwrap.dedent(
        """
        import sys
        from typer.testing import CliRunner
        from tracker.cli import app
        runner = CliRunner()
        db, tag = sys.argv[1], sys.argv[2]
        for n in range(40):
            r = runner.invoke(app, ["--db", db, "--today", "2026-11-15", "repay", "1", "1.00", "--date", "2026-11-15",
                                    "--note", f"{tag}-{n}", "--allow-overpay", "--again"])
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
    debt.ok(*MORTGAGE, "--json")
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


def test_a_check_split_over_two_processes_finds_what_one_process_finds(tmp_path: Path, monkeypatch):
    """A large file's check replays its last third of loans in the second process: the problems found
    there come back in the same words, in the same order, as a check in one process gives them."""
    import datetime as dt

    from tracker.service import maintenance

    debt = Debt(tmp_path / "d.db")
    build_household(debt)
    for n in range(4):  # nine loans: the second process replays the last three
        debt.ok("loan", "add", f"extra {n}", "--lender", "L", "--principal", "1000", "--rate", "6", "--term", "12",
                "--method", "equal-principal", "--start", "2026-01-10")  # fmt: skip
    today = dt.date(2026, 11, 15)
    conn = sqlite3.connect(debt.db)
    ids = [r[0] for r in conn.execute("SELECT id FROM loans ORDER BY id")]
    assert len(ids) == 9
    with conn:  # stored states a replay does not give: one loan for each process, and lines of another
        conn.execute("UPDATE loan_state SET outstanding = outstanding + 1 WHERE loan_id IN (?, ?)", [ids[0], ids[-1]])
        conn.execute("UPDATE loan_lines SET interest = interest + 1 WHERE loan_id = ? AND line = 3", [ids[-2]])
    conn.close()
    asked = []
    real = maintenance._loan_findings
    monkeypatch.setattr(
        maintenance, "_loan_findings", lambda s, t, loans, *a, **k: asked.append(len(loans)) or real(s, t, loans, *a, **k)
    )
    store = Store.open(debt.db, create=False, today=today)
    try:
        alone = maintenance.check_database(store, today)
        monkeypatch.setattr(maintenance, "PARALLEL_FROM", 0)
        split = maintenance.check_database(store, today)
    finally:
        store.close()
    assert asked == [9, 6]  # all of them here, then the first six here and the rest there
    assert split == alone and len(alone) == 3
    for lid, part in ((ids[0], "totals"), (ids[-2], "schedule lines"), (ids[-1], "totals")):
        assert any(f"loan {lid}: its stored state ({part})" in problem for problem in alone)


def test_the_checks_export_round_trip_says_the_same_in_a_process_of_its_own(tmp_path: Path, monkeypatch):
    """A large file's check runs the export's round trip in a second process: its answer is the one given here,
    in the user's language."""
    import datetime as dt

    from tracker.i18n import set_language
    from tracker.service import maintenance

    debt = Debt(tmp_path / "d.db")
    build_household(debt)
    today = dt.date(2026, 11, 15)
    store = Store.open(debt.db, create=False, today=today)
    try:
        assert maintenance.check_database(store, today) == []  # a few repayments: checked here
        conn = sqlite3.connect(debt.db)
        with conn:  # a note longer than an import takes: the export would not import
            conn.execute("UPDATE repayments SET note = ? WHERE id = 1", ["n" * 2500])
        conn.close()
        here = maintenance.check_database(store, today)
        assert len(here) == 1 and "would not import" in here[0]
        set_language("zh")
        try:
            here_zh = maintenance.check_database(store, today)
            monkeypatch.setattr(maintenance, "PARALLEL_FROM", 0)
            # the second process loads its own module: this one must not be asked
            monkeypatch.setattr(maintenance, "_export_round_trip_problems", lambda *a: pytest.fail("checked here"))
            assert maintenance.check_database(store, today) == here_zh != here
        finally:
            set_language("en")
        assert maintenance.check_database(store, today) == here
        # problems found by the replays: the second process is stopped, its answer not waited for
        started = []
        real = maintenance._RoundTrip.__init__

        def spy(self, *args):
            real(self, *args)
            started.append(self.process)

        monkeypatch.setattr(maintenance._RoundTrip, "__init__", spy)
        conn = sqlite3.connect(debt.db)
        start = conn.execute("SELECT start_date FROM loans WHERE id = 2").fetchone()[0]
        with conn:
            conn.execute("UPDATE loans SET start_date = 'soon' WHERE id = 2")
        conn.close()
        found = maintenance.check_database(store, today)
        assert any("loans record 2" in problem for problem in found)
        assert started[0] is not None and started[0].returncode is not None  # stopped, and waited for
        conn = sqlite3.connect(debt.db)
        with conn:
            conn.execute("UPDATE loans SET start_date = ? WHERE id = 2", [start])
        conn.close()
        conn = sqlite3.connect(debt.db)
        with conn:
            conn.execute("UPDATE repayments SET note = '' WHERE id = 1")
        conn.close()
    finally:
        store.close()
    store = Store.open(debt.db, create=False, today=today)  # (a store keeps the damage it has seen)
    try:
        assert maintenance.check_database(store, today) == []
    finally:
        store.close()
