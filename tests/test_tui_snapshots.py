"""Every screen on the sample data at a fixed size and a fixed day, light and dark; the empty dashboard.

Update after an intended change: python -m pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import TODAY, sample_db, settle

from tui.app import make_app

SIZE = (120, 40)

SCREENS = {
    "dashboard": [],
    "loans": ["l"],
    "loan_detail": ["l", "down", "down", "down", "enter"],
    "repay": ["l", "enter", "r"],
    "add_loan": ["a"],
    "dti": ["i"],
    "plan": ["p"],
    "credit": ["c"],
    "audit": ["u"],
    "help": ["question_mark"],
}


def _before(keys: list[str]):
    async def run(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, tmp_path: Path, screen: str, theme: str):
    app = make_app(sample_db(tmp_path), TODAY, note="(demo data)", theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before(SCREENS[screen]))


def test_empty_dashboard(snap_compare, tmp_path: Path):
    app = make_app(tmp_path / "empty.db", TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_before([]))


def test_dashboard_at_80_by_24(snap_compare, tmp_path: Path):
    app = make_app(sample_db(tmp_path), TODAY, note="(demo data)")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_before([]))
