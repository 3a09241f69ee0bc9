"""Shared fixtures: the language each test starts in, an in-memory store, a temp database file and `debt`.

The helpers live in importable modules: helpers.py (the CLI runner, dump, assert_error, sample households),
statement_files.py and tui_helpers.py. The CLI ones are re-exported here, so `from conftest import ...` keeps working.
"""

from __future__ import annotations

import os

# The suite reads English output: fix the locale before any module builds its strings.
os.environ["LANG"] = "C.UTF-8"
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_MESSAGES", None)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from helpers import MORTGAGE, TODAY, Debt, Result, assert_error, dump  # noqa: E402, F401

from tracker.store import Store  # noqa: E402


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


@pytest.fixture
def debt(tmp_path: Path) -> Debt:
    folder = tmp_path / "data"
    folder.mkdir()
    return Debt(folder / "debt.db")
