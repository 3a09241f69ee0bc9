"""Helpers shared by the tests: `debt` run in-process on one database, the sample households it builds,
and the checks every refusal must pass (one line on stderr, the database unchanged)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer.testing
from typer.main import get_command
from typer.testing import CliRunner

from tracker.cli import for_command_line
from tracker.cli.app import command_path

# typer's CliRunner builds the app's command tree again on every invoke, which took longer than most commands
# themselves; a tree never changes, so each is built once and handed to the runner (kept with its app, whose id
# is the key). `debt` builds the tree for the command it runs (for_command_line): one per command path.
_BUILT: dict[int, tuple[typer.Typer, Any]] = {}
_AS_RUN: dict[tuple[str | None, str | None], typer.Typer] = {}


def _built(typer_app: typer.Typer) -> Any:
    if id(typer_app) not in _BUILT:
        _BUILT[id(typer_app)] = (typer_app, get_command(typer_app))
    return _BUILT[id(typer_app)][1]


typer.testing._get_command = _built


def as_run(argv: list[str]) -> typer.Typer:
    """The app as `debt` builds it for this command line."""
    path = command_path(argv)
    if path not in _AS_RUN:
        _AS_RUN[path] = for_command_line(argv)
    return _AS_RUN[path]


TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent  # the project
TODAY = "2026-11-15"

MORTGAGE = [
    "loan",
    "add",
    "房贷",
    "--lender",
    "ICBC",
    "--principal",
    "1,000,000",
    "--rate",
    "4.9",
    "--term",
    "360",
    "--method",
    "equal-installment",
    "--start",
    "2025-01-15",
]
INSTALLMENT = "5307.27"  # the level payment of MORTGAGE (1,000,000 at 4.9% over 360 months)

# A small valid loan; tests replace or drop single options with small_loan(...).
SMALL = {
    "--lender": "Bank",
    "--principal": "1000",
    "--rate": "5",
    "--term": "12",
    "--method": "equal-installment",
    "--start": "2026-01-01",
}


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout)


class Debt:
    """Runs `debt` in-process against one database file with a fixed --today."""

    def __init__(self, db: Path, today: str = TODAY) -> None:
        self.db = db
        self.today = today
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, today: str | None = None) -> Result:
        argv = ["--db", str(self.db), "--today", today or self.today, *args]
        r = self.runner.invoke(as_run(argv), argv, input=input, catch_exceptions=False)  # as `debt` runs
        return Result(r.exit_code, r.stdout, r.stderr)

    def ok(self, *args: str, **kw) -> Result:
        r = self(*args, **kw)
        assert r.exit_code == 0, f"debt {' '.join(args)} failed ({r.exit_code}): {r.stderr}"
        return r

    def copy_to(self, folder: Path) -> Debt:
        """The same database (and evidence) in another folder: a household built once serves many tests."""
        shutil.copytree(self.db.parent, folder)
        return Debt(folder / self.db.name, self.today)


def dump(db: Path) -> list[str]:
    """The database content as SQL text (independent of WAL checkpoints)."""
    assert db.exists()
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def assert_error(r, code: int) -> None:
    """A refusal: the exit code, one line on stderr, no traceback."""
    assert r.exit_code == code, f"exit {r.exit_code}, stderr {r.stderr!r}"
    assert r.stderr.startswith("debt: error: "), r.stderr
    assert r.stderr.endswith("\n") and r.stderr.count("\n") == 1, f"not one line: {r.stderr!r}"
    assert "Traceback" not in r.stdout + r.stderr


def small_loan(name: str = "small", **changes: str | None) -> list[str]:
    """`loan add` argv for SMALL, with options changed (start="x", first_due="y") or dropped (rate=None)."""
    opts = dict(SMALL)
    for key, value in changes.items():
        opt = "--" + key.replace("_", "-")
        if value is None:
            opts.pop(opt, None)
        else:
            opts[opt] = value
    return ["loan", "add", name, *[part for pair in opts.items() for part in pair]]


def build_household(debt: Debt) -> None:
    """Several methods, a prepayment, fees deducted up front, notes and an overpayment."""
    debt.ok(*MORTGAGE, "--kind", "mortgage", "--notes", "first home: LPR+0.05", "--json")
    debt.ok("repay", "1", INSTALLMENT, "--date", "2025-02-15", "--note", "on time")
    debt.ok("repay", "1", "105307.27", "--date", "2025-03-15", "--prepay")
    debt.ok(
        "loan", "add", "card", "--lender", "CMB", "--principal", "5000", "--received", "4,900", "--rate", "18.25",
        "--min-payment-rate", "5", "--method", "revolving", "--start", "2026-01-01", "--kind", "credit-card", "--json",
    )  # fmt: skip
    debt.ok("repay", "2", "1000", "--date", "2026-03-01")
    debt.ok(
        "loan", "add", "phone", "--lender", "Huabei", "--principal", "12000", "--fee-rate", "0.6", "--term", "12",
        "--method", "flat-fee", "--start", "2026-01-01", "--json",
    )  # fmt: skip
    debt.ok("repay", "3", "500", "--date", "2026-02-01")
    debt.ok(*small_loan("friend", method="bullet", rate="3.5", term="6", kind="personal"), "--json")
    debt.ok("repay", "4", "1200", "--date", "2026-03-01", "--allow-overpay")
    debt.ok(*small_loan("car", method="equal-principal", rate="4.2", term="36", kind="car"), "--json")
    debt.ok("repay", "5", "300", "--date", "2026-02-01")
