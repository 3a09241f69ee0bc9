"""The credit-health screens driven as a person would: keys in, then the store and the screen checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable
from tui_helpers import SIZE, TODAY, paste, read, settle, text
from tui_helpers import sample_db as make_sample_db

from tui.app import make_app


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    return make_sample_db(tmp_path / "data")


async def test_add_income_through_the_dialog_updates_store_and_ratio(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        assert app.screen.SCREEN_NAME == "dti"
        assert "66.3%" in text(app, "#dti-now")

        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Bonus", "tab", *"abc")
        await pilot.pause()
        assert "not a number" in text(app, "#amount-error")
        await pilot.press("ctrl+s")  # refused in the dialog: nothing is saved
        await settle(pilot)
        assert read(sample_db, lambda s: len(s.incomes())) == 2

        await pilot.press("backspace", "backspace", "backspace", *"2,000")
        await pilot.pause()
        assert text(app, "#amount-error") == ""
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen.SCREEN_NAME == "dti"
        incomes = read(sample_db, lambda s: s.incomes())
        bonus = [i for i in incomes if i.source == "Bonus"]
        assert len(bonus) == 1
        assert bonus[0].amount == 200000
        assert bonus[0].start_date == dt.date(2026, 11, 1)
        assert bonus[0].end_date is None
        # 13,926.74 of 23,000.00
        assert "60.6%" in text(app, "#dti-now")
        assert app.screen.query_one("#incomes", DataTable).row_count == 3


async def test_store_refusal_is_shown_in_the_income_dialog(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Gig", "tab", *"500", "tab", "tab")
        await paste(pilot, "2026-01-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # the end date before the start is the core's refusal, shown in the dialog that is still open
        assert app.screen.__class__.__name__ == "IncomeForm"
        assert "must not be before" in text(app, "#form-error")
        assert read(sample_db, lambda s: len(s.incomes())) == 2


async def test_end_and_delete_an_income(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("down", "e")  # the side job
        await pilot.pause()
        await paste(pilot, "2026-12-31")
        await pilot.press("enter")
        await settle(pilot)
        side = read(sample_db, lambda s: s.get_income(2))
        assert side.end_date == dt.date(2026, 12, 31)

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert [i.id for i in read(sample_db, lambda s: s.incomes())] == [1]
        assert "77.4%" in text(app, "#dti-now")  # 13,926.74 of 18,000.00 once the side job is gone


async def test_what_if_recomputes_as_you_type(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("w", *"3000")
        await settle(pilot, 0.5)
        first = text(app, "#whatif-result")
        assert "80.6%" in first  # (13,926.74 + 3,000) / 21,000
        assert "warning" in first
        # the sentence `debt dti --add-payment` prints: one wording for both faces
        from helpers import Debt

        cli = Debt(sample_db, TODAY.isoformat()).ok("dti", "--add-payment", "3000").stdout
        assert " ".join(first.split()) in " ".join(cli.split()), (first, cli)  # (the CLI wraps it to its width)

        await pilot.press("backspace", "backspace", "backspace", "backspace", *"1")
        await settle(pilot, 0.5)
        second = text(app, "#whatif-result")
        assert second != first
        assert "66.3%" in second  # one yuan more barely moves it

        await pilot.press("x")
        await pilot.pause()
        assert "not a number" in text(app, "#whatif-result")


async def test_log_a_credit_check_through_the_form(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        assert "Free credit report check due" in text(app, "#credit-plan")
        await pilot.press("a")
        await pilot.pause()
        # the date defaults to today; the channel has focus
        await paste(pilot, "bank app")
        await pilot.press("tab")
        await paste(pilot, "7 accounts, 1 unknown query")
        await pilot.press("tab", "backspace", "1")
        await pilot.press("ctrl+s")
        await settle(pilot)

        checks = read(sample_db, lambda s: s.credit_checks())
        assert len(checks) == 2
        new = checks[-1]
        assert (new.date, new.channel, new.findings, new.anomalies) == (TODAY, "bank app", "7 accounts, 1 unknown query", 1)
        assert "Next free check: 2027-01-01" in text(app, "#credit-plan")

        await pilot.press("f")  # the newest check is on top and selected
        await pilot.pause()
        await paste(pilot, "disputed with the bank")
        await pilot.press("enter")
        await settle(pilot)
        assert read(sample_db, lambda s: s.get_credit_check(new.id or 0).follow_up) == "disputed with the bank"

        # a correction opens on its date, the first field: a date typed goes there, not into the channel
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.focused.id == "date"


async def test_tick_an_audit_item(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await settle(pilot)
        assert text(app, "#audit-count").startswith("3 / 13")
        box = app.screen.focused
        item_id = box.item_id  # the first due item
        assert read(sample_db, lambda s: s.get_audit_item(item_id).status) != "done"

        await pilot.press("space")
        await settle(pilot)
        item = read(sample_db, lambda s: s.get_audit_item(item_id))
        assert (item.status, item.last_done) == ("done", TODAY)
        assert text(app, "#audit-count").startswith("4 / 13")

        await pilot.press("space")  # a tick taken back: open again
        await settle(pilot)
        assert box.value is False
        assert read(sample_db, lambda s: s.get_audit_item(item_id).status) == "open"
        assert text(app, "#audit-count").startswith("3 / 13")
        await pilot.press("space")
        await settle(pilot)
        assert read(sample_db, lambda s: s.get_audit_item(item_id).status) == "done"

        await pilot.press("down", "s")
        await settle(pilot)
        assert text(app, "#audit-count").startswith("4 / 12")

        await pilot.press("R")
        await pilot.pause()
        assert str(app.screen.query_one("#yes").label) == "Start over"  # what the button does: nothing is deleted
        await pilot.press("y")
        await settle(pilot)
        assert {i.status for i in read(sample_db, lambda s: s.audit_items())} == {"open"}
        assert text(app, "#audit-count").startswith("0 / 14")


async def test_plan_shows_both_strategies_and_refuses_a_short_budget(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        # prefilled from the month's minimum payments (17,584.11) rounded up to the next 1,000, and run
        assert app.screen.query_one("#budget").value == "18,000.00"
        assert "¥18,000.00" in text(app, "#plan-summary")

        await pilot.press("b", *"25000", "enter")
        await settle(pilot)
        assert "¥25,000.00" in text(app, "#plan-summary")
        table = app.screen.query_one("#plan-table", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[1:] == ["Avalanche", "Snowball", "Schedule only"]
        months = [str(c) for c in table.get_row_at(0)]
        assert months[0] == "Months"
        assert int(months[1]) < int(months[3]) and int(months[2]) < int(months[3])
        assert app.screen.query_one("#plan-chart-box").display

        await pilot.press("escape", "b", *"100", "enter")  # Escape leaves the box; b comes back to it, text selected
        await settle(pilot)
        assert "short of this month's minimum payments" in text(app, "#budget-error") and "overdue" in text(app, "#budget-error")
        assert not app.screen.query_one("#plan-results").display


async def test_delete_a_credit_check_logged_by_mistake(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        assert len(read(sample_db, lambda s: s.credit_checks())) == 1
        await pilot.press("delete")
        await settle(pilot)
        assert "2026-02-03" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert read(sample_db, lambda s: s.credit_checks()) == []


async def test_correct_a_credit_check_logged_with_a_wrong_date(sample_db: Path) -> None:
    app = make_app(sample_db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        (before,) = read(sample_db, lambda s: s.credit_checks())
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#date").value == before.date.isoformat()  # the form holds the check as logged
        assert form.query_one("#findings").value == before.findings
        form.query_one("#date").value = "2027-01-01"  # after today: refused
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        form.query_one("#date").value = "2026-02-04"
        form.query_one("#anomalies").value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        (after,) = read(sample_db, lambda s: s.credit_checks())
        assert (after.id, after.date, after.anomalies, after.findings) == (before.id, dt.date(2026, 2, 4), 2, before.findings)
        assert "2026-02-04" in str(app.screen.query_one("#checks").get_row_at(0)[0])


def test_the_dashboard_counts_the_audit_as_the_audit_screen_does(sample_db: Path) -> None:
    """The dashboard's "n of total items due" counts the applicable items, as the audit screen's "done / total"
    does: an item marked not applicable is in neither."""
    from tracker.audit import progress
    from tracker.service.health import audit_interval, audit_items
    from tracker.service.overview import dashboard
    from tracker.store import Store

    store = Store.open(sample_db)
    try:
        items = audit_items(store)
        counts = progress(items, TODAY, audit_interval(store))
        board = dashboard(store, TODAY)
    finally:
        store.close()
    assert counts.skipped >= 1 and board.audit_total == counts.total == len(items) - counts.skipped
    assert board.audit_due == counts.total - counts.done
