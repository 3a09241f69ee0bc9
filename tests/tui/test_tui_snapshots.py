"""Pictures of the app on the sample data at a fixed size and a fixed day, compared by pytest-textual-snapshot's
own `snap_compare`: each screen as its keys reach it, and the states a person gets to by using it (a refused
repayment, a loan previewed before it is saved, a message checked); the light theme once, the empty database,
the dashboard at 80x24. What each state shows in figures is asserted by the Pilot tests beside this module.

Update after an intended change: python -m pytest -n 0 tests/tui/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import SIZE, TODAY, ready_for_snapshot, sample_db, settle

from tui.app import make_app

SCREENS = {
    "dashboard": [],
    "loans": ["l"],
    "loan_detail": ["l", "down", "down", "down", "enter"],
    "dti": ["i"],
    "plan": ["p"],
    "credit": ["c"],
    "audit": ["u"],
    "statements": ["t"],
    "help": ["question_mark"],
}


async def reach(pilot, keys: list[str] | tuple[str, ...]) -> None:
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def refused_repayment(pilot) -> None:
    await reach(pilot, ["l", "enter", "r"])
    pilot.app.screen.query_one("#amount").value = "12.345"
    await pilot.press("ctrl+s")


async def previewed_loan(pilot) -> None:
    await reach(pilot, ["a"])
    form = pilot.app.screen
    for field, value in (("name", "分期 Phone"), ("lender", "CMB"), ("principal", "10000"), ("term", "12")):
        form.query_one(f"#{field}").value = value
    form.query_one("#method").value = "flat-fee"
    await settle(pilot)
    form.query_one("#fee_rate").value = "0.6"


async def checked_message(pilot) -> None:
    await reach(pilot, ["m"])
    pilot.app.screen.query_one("#message-text").text = "【平安银行】您的账户异常，请加微信 pa95511 处理"
    await pilot.press("ctrl+g")


STATES = {"refused_repayment": refused_repayment, "previewed_loan": previewed_loan, "checked_message": checked_message}


def before(steps):
    async def run(pilot) -> None:
        await (steps(pilot) if callable(steps) else reach(pilot, steps))
        await settle(pilot)
        if len(pilot.app.screen_stack) > 2 and pilot.app.screen.is_modal:
            # the screen under a dialog re-measures its tables and charts at its own pace on a busy machine: the
            # dialog is what is compared here (the screen below has its own snapshot)
            for widget in pilot.app.screen_stack[-2].query("PlotextPlot, DataTable"):
                widget.visible = False
        await ready_for_snapshot(pilot)

    return run


@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, tmp_path: Path, screen: str):
    app = make_app(sample_db(tmp_path), TODAY, note="(demo data)")
    assert snap_compare(app, terminal_size=SIZE, run_before=before(SCREENS[screen]))


@pytest.mark.parametrize("state", list(STATES))
def test_after(snap_compare, tmp_path: Path, state: str):
    app = make_app(sample_db(tmp_path), TODAY, note="(demo data)")
    assert snap_compare(app, terminal_size=SIZE, run_before=before(STATES[state]))


def test_the_light_theme(snap_compare, tmp_path: Path):
    app = make_app(sample_db(tmp_path), TODAY, note="(demo data)", theme="textual-light")
    assert snap_compare(app, terminal_size=SIZE, run_before=before([]))


def test_empty_dashboard(snap_compare, tmp_path: Path):
    app = make_app(tmp_path / "empty.db", TODAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=before([]))


def test_dashboard_at_80_by_24(snap_compare, tmp_path: Path):
    app = make_app(sample_db(tmp_path), TODAY, note="(demo data)")
    assert snap_compare(app, terminal_size=(80, 24), run_before=before([]))
