"""Corrections in the app: the loan form's paid-until and deleting the one repayment you meant to."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from tui_helpers import SIZE, TODAY, press, sample_db, settle

from tracker.store import Store
from tui.app import make_app


async def test_the_loan_form_marks_installments_paid_until(tmp_path: Path) -> None:
    path = tmp_path / "form.db"
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        for field, value in (
            ("name", "房贷"),
            ("lender", "ICBC"),
            ("principal", "1000000"),
            ("rate", "4.9"),
            ("term", "360"),
            ("start", "2025-01-15"),
            ("paid_until", "2026-12-15"),
        ):
            form.query_one(f"#{field}", Input).value = value
        await settle(pilot)
        assert "after today" in str(form.query_one("#paid_until-error").render())
        form.query_one("#paid_until", Input).value = "2026-10-15"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    store = Store.open(path)
    assert len(store.repayments(1)) == 21
    store.close()


async def test_ctrl_d_acts_only_on_the_visible_repayments_table(tmp_path: Path) -> None:
    from textual.widgets import DataTable

    db = sample_db(tmp_path)
    before = len(Store.open(db).repayments(1))
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter")
        await press(pilot, "ctrl+d")  # on the Schedule tab: nothing to delete, no question
        assert app.screen.__class__.__name__ == "LoanDetailScreen"
        app.screen.query_one("#loan-tabs").active = "tab-repayments"
        await settle(pilot)
        table = app.screen.query_one("#repayments", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await press(pilot, "ctrl+d")
        question = app.screen.question
        assert "2026-10-20" in question and "房贷 Home mortgage" in question and "¥4,738.33" in question
        await press(pilot, "y")
    assert len(Store.open(db).repayments(1)) == before - 1
