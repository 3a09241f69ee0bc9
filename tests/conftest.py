"""Shared fixtures: an in-memory store, a temp database file and a CLI runner that parses --json."""

from __future__ import annotations

import os

# The suite reads English output: fix the locale before any module builds its strings.
os.environ["LANG"] = "C.UTF-8"
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_MESSAGES", None)

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.store import Store

TODAY = "2026-11-15"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch):
    """Each test starts in English, whatever the machine's locale or a previous test chose (the language is process-wide)."""
    from tracker.i18n import set_language

    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def store() -> Store:
    return Store.memory()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database path in a folder that does not exist yet (opened with make_folder=True)."""
    return tmp_path / "data" / "debt.db"


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
        r = self.runner.invoke(app, argv, input=input, catch_exceptions=False)
        return Result(r.exit_code, r.stdout, r.stderr)

    def ok(self, *args: str, **kw) -> Result:
        r = self(*args, **kw)
        assert r.exit_code == 0, f"debt {' '.join(args)} failed ({r.exit_code}): {r.stderr}"
        return r


@pytest.fixture
def debt(tmp_path: Path) -> Debt:
    folder = tmp_path / "data"
    folder.mkdir()
    return Debt(folder / "debt.db")


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
