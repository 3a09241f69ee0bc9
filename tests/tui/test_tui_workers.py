"""Database work in the app's workers: a result for a closed screen goes nowhere, a bug is never a message."""

from __future__ import annotations


async def test_a_load_that_ends_after_its_screen_closed_is_dropped(tmp_path, monkeypatch):
    """Loans opened on a slow database, then Escape before the rows arrive: the answer goes nowhere."""
    import threading

    from tui_helpers import TODAY, press, sample_db, settle

    import tui.screens.loans as loans_screen
    from tracker.service.views import loan_views
    from tui.app import make_app

    release, started, delivered = threading.Event(), threading.Event(), []

    def slow(store, today, include_closed=True):
        started.set()
        release.wait(10)
        return loan_views(store, today, include_closed=include_closed)

    monkeypatch.setattr(loans_screen, "loan_views", slow)
    monkeypatch.setattr(loans_screen.LoansScreen, "show_data", lambda self, views: delivered.append(views))
    app = make_app(sample_db(tmp_path), TODAY)
    monkeypatch.setattr(app, "kept_views", lambda: None)  # as if the file changed since the dashboard read
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        assert started.wait(5)
        screen = app.screen
        await pilot.press("escape")
        assert app.screen is not screen
        release.set()
        await app.workers.wait_for_complete()
        await press(pilot)
        assert delivered == []  # the closed screen's worker was cancelled and posted nothing


async def test_a_bug_in_database_work_fails_loudly_instead_of_showing_a_message(tmp_path, monkeypatch):
    import pytest
    from textual.worker import WorkerFailed
    from tui_helpers import TODAY, sample_db, settle

    import tui.screens.loans as loans_screen
    from tui.app import make_app

    def broken(store, today, include_closed=True):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(loans_screen, "loan_views", broken)
    app = make_app(sample_db(tmp_path), TODAY)
    monkeypatch.setattr(app, "kept_views", lambda: None)  # as if the file changed since the dashboard read
    with pytest.raises(WorkerFailed) as failed:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
    assert isinstance(failed.value.error, ZeroDivisionError)  # not turned into a message on the screen
