"""Each behaviour decided once, in the engine, and shown the same by every face."""

from __future__ import annotations

import re
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


async def test_a_loan_reads_the_same_in_the_list_of_either_face(tmp_path):
    """`debt loan list` and the app's loan list show the same texts for each loan; loan 4 as written out."""
    from helpers import Debt
    from textual.widgets import DataTable
    from tui_helpers import SIZE, TODAY, press, sample_db

    from tui.app import make_app

    db = sample_db(tmp_path)
    lines = Debt(db, TODAY.isoformat())("loan", "list").stdout.splitlines()
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l")
        table = app.screen.query_one(DataTable)
        keys = [str(column.key.value) for column in table.columns.values()]
        rows = [dict(zip(keys, map(str, table.get_row_at(n)), strict=True)) for n in range(table.row_count)]
    shown = ("outstanding", "apr", "next_due", "status")
    # the next payment's amount right-aligned after its date: the column's amounts line up on their last digit
    assert [rows[3][k] for k in shown] == ["¥12,110.52", "24.20% !", "2026-12-08   1,835.98", "overdue 38d"]
    assert len(rows) == 6 and len({len(row["next_due"]) for row in rows if row["next_due"] != "-"}) == 1
    for row in rows:
        (line,) = [ln for ln in lines if ln.split()[:1] == [row["id"]]]
        # the CLI puts the date and the amount in two columns: the same words, in the same order
        words = [w for k in shown for w in row[k].split()]
        assert line.split()[-len(words) :] == words, (line, row)


async def test_a_card_statements_review_reads_the_same_in_either_face(tmp_path):
    """The summary and the bill a card statement adds up to: the same sentences in `statement import` and the app."""
    import datetime as dt

    from helpers import Debt
    from statement_files import CMB_CREDIT
    from textual.widgets import Input
    from tui_helpers import SIZE, press, text

    from tui.app import make_app

    db = tmp_path / "cards.db"
    debt = Debt(db, "2025-01-12")
    debt.ok("card", "add", "招行", "--lender", "招商银行", "--limit", "20000", "--bill-day", "10", "--due-day", "28")
    debt.ok("loan", "match", "1", "--method", "招商银行信用卡(1234)")
    debt.ok("card", "bill", "1", "400", "--date", "2024-12-10")
    path = tmp_path / "cmb.csv"
    path.write_bytes(CMB_CREDIT)
    printed = debt.ok("statement", "import", str(path), "--dry-run").stdout
    app = make_app(db, dt.date(2025, 1, 12))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t")
        app.screen.query_one("#statement-path", Input).value = str(path)
        await press(pilot, "enter")
        shown = text(app, "#statement-summary")
    bill = (
        "Bill of 2025-01-10 for 招行: ¥8,055.98 (the last bill's ¥400.00, less ¥376.90 paid since, plus ¥8,032.88 of new charges)"
    )
    summary = shown.splitlines()[0]
    assert summary.startswith("China Merchants Bank credit card statement: ") and summary.endswith(
        " to record, 0 unmatched, 0 already imported."
    )
    for sentence in (summary, bill):
        assert sentence in " ".join(shown.split()) and sentence in " ".join(printed.split()), sentence


async def test_a_card_reads_the_same_in_card_show_and_on_its_page_in_the_app(tmp_path):
    """The card's terms, balance and overdue minimum: the same sentences in `card show` and the app, none cut off."""
    import datetime as dt

    from helpers import Debt
    from textual.containers import VerticalScroll
    from tui_helpers import SIZE, press, text

    from tui.app import make_app

    db = tmp_path / "card.db"
    debt = Debt(db, "2026-10-05")
    debt.ok("card", "add", "招行信用卡", "--lender", "招商银行", "--limit", "20000", "--bill-day", "5", "--due-day", "23")
    debt.ok("card", "bill", "1", "15000", "--date", "2026-09-05")
    debt.ok("card", "bill", "1", "15200", "--date", "2026-10-05")
    printed = " ".join(debt.ok("card", "show", "1", today="2026-10-30").stdout.split())
    app = make_app(db, dt.date(2026, 10, 30))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "enter")
        shown = " ".join(text(app, "#terms").split())
        box = app.screen.query_one("#terms-box", VerticalScroll)
        # every line is there, in view or to scroll to: none is cut off
        assert box.virtual_size.height == app.screen.query_one("#terms").region.height
    for sentence in (
        "Limit ¥20,000.00 · bill day 5 · due day 23 · 0.05%/day · minimum 10% · interest: on the whole bill",
        "Balance ¥15,200.00 · available ¥4,800.00 · 76.0% of the limit used",
    ):
        assert sentence in shown and sentence in printed, sentence
    # the overdue minimum (its amount is the card engine's, tested there): one sentence in both
    (overdue,) = re.findall(r"Overdue ¥[\d,.]+ \(7 days\): pay at least this to stop the late fees", printed)
    assert overdue in shown
