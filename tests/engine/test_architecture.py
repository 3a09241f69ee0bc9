"""The core stays free of the faces: no textual or typer outside the tracker/cli/ package."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from helpers import ROOT

CORE = ROOT / "tracker"
CLI = CORE / "cli"  # the command line, the one face inside tracker/
FACE_LIBS = {"textual", "typer", "click", "rich", "tui"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_do_not_import_ui_libraries():
    offenders = {}
    for path in CORE.rglob("*.py"):
        if CLI in path.parents:
            continue
        bad = imported_modules(path) & FACE_LIBS
        if bad:
            offenders[str(path.relative_to(CORE))] = sorted(bad)
    assert offenders == {}


def test_the_faces_call_no_store_method():
    """The command line and the app hand an opened store to the use cases (tracker/service/) and may close it;
    every read and write of the store is a use case's."""
    calls = []
    for path in [*CLI.rglob("*.py"), *(ROOT / "tui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr != "close":
                owner = node.func.value
                if isinstance(owner, ast.Call):  # env.store(write=False).fixings()
                    owner = owner.func
                name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
                if name in ("store", "_store"):
                    calls.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.func.attr}()")
    assert calls == []


def test_importing_the_core_loads_no_ui_library():
    code = (
        "import sys, pkgutil, importlib, tracker.service, tracker.export_parse, tracker.report, tracker.ledger;"
        "[importlib.import_module(m.name) for m in pkgutil.iter_modules(tracker.service.__path__, 'tracker.service.')];"
        "print(sorted(m for m in ('textual', 'typer', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from tracker import cli;"
        "print(sorted(m for m in ('textual', 'plotext', 'icalendar', 'openpyxl', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_everyday_commands_do_not_import_heavy_libraries(tmp_path: Path):
    """A read or a repayment from the shell loads none of the libraries only some commands need, nor
    Pydantic, which Typer 0.29 imports on every command with an option (pyproject.toml keeps Typer below it)."""
    db = tmp_path / "debt.db"
    env = {**os.environ, "DEBT_TRACKER_DB": str(db), "DEBT_TRACKER_TODAY": "2026-11-15"}
    heavy = ("pydantic", "textual", "plotext", "icalendar", "openpyxl", "sqlite_utils", "numpy")
    code = (
        "import atexit, runpy, sys;"
        f"atexit.register(lambda: sys.stderr.write('LOADED ' + repr(sorted(m for m in {heavy!r} if m in sys.modules))));"
        "sys.argv = ['debt', *sys.argv[1:]];"
        "runpy.run_module('tracker', run_name='__main__')"
    )
    made = subprocess.run(  # creating the file runs the migrations, with sqlite-utils
        [sys.executable, "-m", "tracker", "import", str(ROOT / "sample_data" / "household.json")],
        env=env,
        capture_output=True,
    )
    assert made.returncode == 0
    runs = [
        ["loan", "list", "--json"],
        ["loan", "show", "1"],
        ["repay", "1", "100", "--date", "2026-11-01"],
        ["remind", "--json"],
    ]
    for args in runs:
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
        assert out.returncode == 0, (args, out.stderr[-500:])
        assert out.stderr.rstrip().endswith("LOADED []"), (args, out.stderr[-300:])


def test_the_layers_hold():
    """The contracts in pyproject.toml ([tool.importlinter]): the engine imports neither the store
    nor a face, only the store layer talks to SQLite, the app goes through the use cases."""
    import shutil

    beside = Path(sys.executable).with_name("lint-imports")  # the environment the tests run in
    command = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert command, "import-linter is a test dependency: pip install -e '.[test]'"
    out = subprocess.run([command], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_importing_the_cli_opens_no_database(tmp_path: Path):
    """The language setting is read when a command runs, not when the command line is loaded."""
    from tracker.store import Store

    db = tmp_path / "debt.db"
    Store.open(db).close()
    code = (
        "import sys; seen = [];"
        "sys.addaudithook(lambda event, args: seen.append(event) if event == 'sqlite3.connect' else None);"
        "import tracker.cli; print(seen)"
    )
    env = {**os.environ, "DEBT_TRACKER_DB": str(db)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
