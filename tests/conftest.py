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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The app's tests take turns with the others. A Pilot test spends part of its time waiting for the
    app to go idle; the worker beside it fills that time when it runs a command-line or engine test
    instead of another Pilot test. Within each group the order stays as collected."""
    app = [item for item in items if "tui" in item.path.parent.name]
    rest = [item for item in items if "tui" not in item.path.parent.name]
    if not app or not rest:
        return
    step = len(rest) / len(app)
    mixed: list[pytest.Item] = []
    for n, item in enumerate(app):
        mixed.extend(rest[round(n * step) : round((n + 1) * step)])
        mixed.append(item)
    items[:] = mixed


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
