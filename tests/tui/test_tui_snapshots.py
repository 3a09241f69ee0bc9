"""Every screen on the sample data at a fixed size and a fixed day, light and dark; the empty dashboard.

Update after an intended change: python -m pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual._doc import take_svg_screenshot
from tui_helpers import TODAY, sample_db, settle

from tui.app import make_app


@pytest.fixture
def snap_compare(snapshot):
    """pytest-textual-snapshot's comparison, with rich's per-render CSS id prefix normalised.

    Rich names the SVG's classes after a hash of the segments' reprs, which can differ between
    two renders of identical pixels; the picture itself is compared exactly.
    """
    snapshot = snapshot.use_extension(SVGImageExtension)

    def compare(app, terminal_size=(80, 24), run_before=None) -> bool:
        svg = take_svg_screenshot(app=app, terminal_size=terminal_size, run_before=run_before)
        ok = snapshot == re.sub(r"terminal-\d+", "terminal", svg)
        if not ok:
            import os

            Path(os.environ.get("SNAP_DUMP", "/tmp/snap_fail.svg")).write_text(svg)
        return ok

    return compare


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
    "statements": ["t"],
    "messages": ["m"],
    "help": ["question_mark"],
}


def _before(keys: list[str]):
    async def run(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if len(pilot.app.screen_stack) > 2 and pilot.app.screen.is_modal:
            # the screen under a dialog re-measures its tables and charts at its own pace on a busy machine: the
            # dialog is what is compared here (the screen below has its own snapshot)
            for widget in pilot.app.screen_stack[-2].query("PlotextPlot, DataTable"):
                widget.visible = False
            await settle(pilot)
        await until_still(pilot)

    return run


async def until_still(pilot, tries: int = 20) -> None:
    """Wait until two screenshots in a row agree: on a busy machine a chart under a dialog may repaint late."""
    last = pilot.app.export_screenshot()
    for _ in range(tries):
        await pilot.pause(0.05)
        await settle(pilot)
        now = pilot.app.export_screenshot()
        if now == last:
            return
        last = now


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
