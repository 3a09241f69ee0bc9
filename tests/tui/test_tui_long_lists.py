"""Long tables create only the rows near the view, and a screen shown again reads the database only if it changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual import events
from tui_helpers import SIZE, TODAY, paste, press, read, sample_db, settle

from tracker.inputs import LoanInput, build_loan
from tracker.service.loans import add_loan
from tracker.service.repayments import record_repayment
from tracker.store import Store
from tui.app import make_app
from tui.widgets import DataTable

LOANS = 200
SMALLEST = 137  # the loan that owes least: first when the list is sorted by what is outstanding


@pytest.fixture(scope="module")
def long_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LOANS one-year loans, built once for the module (a test that writes works on a copy)."""
    path = tmp_path_factory.mktemp("long") / "long.db"
    store = Store.open(path)
    try:
        with store.write():
            for n in range(1, LOANS + 1):
                principal = "100" if n == SMALLEST else str(10_000 + n)
                data = LoanInput(
                    name=f"loan {n:03d}",
                    lender=f"bank {n % 7}",
                    principal=principal,
                    rate="5",
                    term="12",
                    method="equal-installment",
                    start="2026-06-01",
                )
                add_loan(store, build_loan(data), TODAY)
    finally:
        store.close()
    return path


@pytest.fixture
def long_db(long_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "long.db"
    shutil.copy(long_db_file, path)
    return path


def loans_table(app) -> DataTable:
    assert app.screen.SCREEN_NAME == "loans"
    return app.screen.query_one("#loans", DataTable)


def row_key(table: DataTable, row: int) -> str:
    return str(table.coordinate_to_cell_key((row, 0)).row_key.value)


async def test_a_long_list_creates_the_rows_in_view_and_the_rest_as_the_cursor_comes(long_db):
    app = make_app(long_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = loans_table(app)
        window = table.row_count
        assert table.total_rows == LOANS
        assert table.size.height <= window < LOANS / 2  # a screenful and a page more, not the whole list
        assert table.virtual_size.height == LOANS + 1  # the scrollbar spans every loan (and the header)
        assert str(app.screen.query_one("#loans-hint").render()).startswith(f"{LOANS} loans")

        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press(*["pagedown"] * 3)  # Page Down goes a page at a time past the rows first created
        assert table.cursor_row > window
        assert row_key(table, table.cursor_row) == str(table.cursor_row + 1)
        assert table.row_count < LOANS

        await pilot.press("end")  # the last loan of the list, not the last row created
        assert table.cursor_row == LOANS - 1
        assert table.row_count == LOANS
        await press(pilot, "enter")
        assert app.screen.SCREEN_NAME == "loan"
        assert app.screen.loan_id == LOANS
        await press(pilot, "escape")
        await pilot.press("home")
        assert loans_table(app).cursor_row == 0


async def test_the_wheel_and_the_scrollbar_bring_their_rows(long_db):
    app = make_app(long_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = loans_table(app)
        for _ in range(3):
            await pilot._post_mouse_events([events.MouseScrollDown], table, offset=(5, 5))
        assert table.scroll_y > 0
        assert table.cursor_row == 0  # the wheel scrolls; the cursor stays

        # the scrollbar dragged two thirds of the way down: the rows there are ready to be drawn
        table.scroll_to(y=LOANS * 2 // 3, animate=False)
        await pilot.pause()
        bottom = int(table.scroll_y) + table.size.height
        assert table.row_count > bottom
        assert row_key(table, bottom - 1) == str(bottom)


async def test_sorting_and_filtering_a_long_list_work_on_every_loan(long_db):
    app = make_app(long_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = loans_table(app)
        assert row_key(table, 0) == "1"
        await pilot.press("s", "s", "s")  # id, name, lender, outstanding
        assert app.screen.sort_column == "outstanding"
        assert row_key(table, 0) == str(SMALLEST)  # far beyond the rows created before sorting
        assert table.total_rows == LOANS
        await press(pilot, "enter")
        assert app.screen.loan_id == SMALLEST
        await press(pilot, "escape")

        # a click on the header sorts the other way: the largest loan, the last one, comes first
        table = loans_table(app)
        x = 1 + sum(column.get_render_width(table) for column in table.ordered_columns[:3])
        await pilot.click(table, offset=(x, 0))
        await pilot.pause()
        assert app.screen.sort_reverse
        assert row_key(table, 0) == str(LOANS)

        await pilot.press("slash")
        await paste(pilot, "loan 15")
        assert table.total_rows == 10  # loan 150 to 159
        assert str(app.screen.query_one("#loans-hint").render()).startswith("10 loans")
        assert row_key(table, 0) == "159"


async def test_column_widths_stay_while_rows_are_created(tmp_path):
    """The mortgage's 360 installments: the rows near the first unpaid one are created, the columns already fit all."""
    app = make_app(sample_db(tmp_path), TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter")
        assert app.screen.loan_id == 1
        table = app.screen.query_one("#schedule", DataTable)
        assert table.total_rows == 360
        assert table.row_count < 200
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        table.focus()
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == 360
        assert table.cursor_row == 359
        assert str(table.get_row_at(359)[0]) == "360"
        assert [column.get_render_width(table) for column in table.ordered_columns] == widths


# -- reading again only when the file changed ------------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    """How many times the loans list read the loans."""
    import tui.screens.loans as loans_screen

    calls = []
    real = loans_screen.loan_views

    def loan_views(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loans_screen, "loan_views", loan_views)
    return calls


async def test_a_screen_shown_again_reads_again_only_when_the_file_changed(tmp_path, counted):
    path = sample_db(tmp_path)
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")  # what the dashboard read for every loan, nothing written since: shown as read
        assert len(counted) == 0 and loans_table(app).row_count == 6
        await press(pilot, "enter", "escape")  # a loan's page and back: nothing written
        assert app.screen.SCREEN_NAME == "loans"
        assert len(counted) == 0

        # a repayment recorded on a loan's page, by a worker of the app on a connection of its own
        before = str(loans_table(app).get_cell("2", "outstanding"))
        await press(pilot, "down", "enter", "r", "ctrl+s")
        assert app.screen.SCREEN_NAME == "loan"
        await press(pilot, "escape")
        assert len(counted) == 1
        after = str(loans_table(app).get_cell("2", "outstanding"))
        assert after != before

        # `debt repay` in another terminal: another program commits
        read(path, lambda store: record_repayment(store, 2, "1000", TODAY))
        await press(pilot, "enter", "escape")
        assert len(counted) == 2
        assert str(loans_table(app).get_cell("2", "outstanding")) != after  # what loan 2 owes, read again

        app.post_message(events.AppFocus())  # back from another window: nothing changed
        await settle(pilot)
        assert len(counted) == 2
        read(path, lambda store: record_repayment(store, 2, "1000", TODAY, again=True))  # a second ¥1,000 today
        app.post_message(events.AppFocus())  # and again after a change
        await settle(pilot)
        assert len(counted) == 3

        await press(pilot, "ctrl+r")  # asked for: always read
        assert len(counted) == 4
