"""Each behaviour decided once, in the engine, and shown the same by every face."""

from __future__ import annotations

from decimal import Decimal

from tracker.dti import above_line, month_dti
from tracker.models import Income
from tracker.settings import SETTINGS, Settings


def test_the_gauge_shows_the_engines_status_not_one_worked_out_from_the_rounded_ratio():
    import datetime as dt

    from tui.widgets import Gauge

    month = dt.date(2026, 11, 1)
    # 4,000.40 of 10,000.00: 40.004% is above the 40% caution line, though it reads 40.0%
    result = month_dti([], [Income("pay", 1_000_000, dt.date(2026, 1, 1))], month, Decimal("0.40"), Decimal("0.50"), 400_040)
    assert result.status == "caution" and result.ratio == Decimal("0.4000")
    gauge = Gauge()
    gauge.show(result.ratio, Decimal("0.40"), Decimal("0.50"), result.status)
    verdict = gauge.render().plain.splitlines()[0]
    assert verdict.endswith("40.0% caution")


def test_the_warning_is_worded_from_the_users_line():
    assert "60%" in above_line(Decimal("0.6")) and "half" not in above_line(Decimal("0.6"))
    assert "50%" in above_line(Settings().dti_warn)


def test_settings_defaults_are_the_engines_constants():
    from tracker.audit import DEFAULT_INTERVAL_DAYS
    from tracker.dti import DEFAULT_CAUTION, DEFAULT_WARN
    from tracker.reminders import DEFAULT_CHECK_RULE

    typed = Settings.of({})
    assert (typed.dti_caution, typed.dti_warn) == (DEFAULT_CAUTION, DEFAULT_WARN)
    assert typed.credit_check_rule == DEFAULT_CHECK_RULE and typed.audit_interval_days == DEFAULT_INTERVAL_DAYS
    # the listed defaults are the same values as text
    assert Decimal(SETTINGS["dti.warn"].default) == DEFAULT_WARN
    assert int(SETTINGS["audit.interval_days"].default) == DEFAULT_INTERVAL_DAYS
    assert Settings.of({"dti.warn": "0.6", "audit.interval_days": "30"}) == Settings(
        dti_warn=Decimal("0.6"), audit_interval_days=30
    )


async def test_a_load_that_ends_after_its_screen_closed_is_dropped(tmp_path, monkeypatch):
    """Loans opened on a slow database, then Escape before the rows arrive: the answer goes nowhere."""
    import threading

    from tui_helpers import TODAY, press, sample_db, settle

    import tui.screens.loans as loans_screen
    from tracker.service import loan_views
    from tui.app import make_app

    release, started, delivered = threading.Event(), threading.Event(), []

    def slow(store, today, include_closed=True):
        started.set()
        release.wait(10)
        return loan_views(store, today, include_closed=include_closed)

    monkeypatch.setattr(loans_screen, "loan_views", slow)
    monkeypatch.setattr(loans_screen.LoansScreen, "show_data", lambda self, views: delivered.append(views))
    app = make_app(sample_db(tmp_path), TODAY)
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
    with pytest.raises(WorkerFailed) as failed:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
    assert isinstance(failed.value.error, ZeroDivisionError)  # not turned into a message on the screen
