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
