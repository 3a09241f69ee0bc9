"""Every mistake correctable, dates that cannot be right refused, edits that keep the data consistent."""

from __future__ import annotations

from pathlib import Path

from conftest import MORTGAGE, TODAY, Debt, assert_error, dump
from textual.widgets import Input
from tui_helpers import SIZE, settle

from tracker.store import Store
from tui.app import make_app


def test_a_repayment_dated_after_today_is_refused(debt: Debt) -> None:
    debt.ok(*MORTGAGE)
    before = dump(debt.db)
    r = debt("repay", "1", "5307.27", "--date", "2027-05-01")
    assert_error(r, 2)
    assert "after today (2026-11-15)" in r.stderr
    assert dump(debt.db) == before
    debt.ok("repay", "1", "5307.27", "--date", TODAY)  # today itself is fine


def test_a_contact_dated_after_today_is_refused(debt: Debt) -> None:
    debt.ok(*MORTGAGE)
    before = dump(debt.db)
    assert_error(debt("contact", "log", "--channel", "call", "--from", "x", "--date", "2026-11-16T09:00"), 2)
    assert dump(debt.db) == before
    debt.ok("contact", "log", "--channel", "call", "--from", "x", "--date", "2026-11-15T23:00")


def test_an_income_may_start_in_the_future(debt: Debt) -> None:
    debt.ok("income", "add", "new job", "20000", "--from", "2027-01-01")


def test_a_new_loan_with_past_installments_suggests_paid_until(debt: Debt) -> None:
    out = debt.ok(*MORTGAGE).stdout  # from 2025-01-15: 21 installments due before 2026-11-15
    assert "21 installments fell due before today" in out
    notices = debt.ok(*MORTGAGE, "--json").json["notices"]
    assert len(notices) == 1 and "'debt loan edit 2 --paid-until 2026-10-15'" in notices[0]
    shown = debt.ok(*MORTGAGE, "--paid-until", "2026-10-15", "--json").json
    assert shown["notices"] == []


def test_loan_edit_paid_until_marks_what_was_paid(debt: Debt) -> None:
    debt.ok(*MORTGAGE)
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    out = debt.ok("loan", "edit", "1", "--paid-until", "2026-10-15", "--json").json
    assert out["status"] == "active" and out["overdue_amount"] == "0.00"
    reps = debt.ok("repayment", "list", "--loan", "1", "--json").json
    assert len(reps) == 21 and reps[0]["date"] == "2025-02-15" and reps[-1]["date"] == "2026-10-15"
    # nothing more to mark: a second run adds nothing
    debt.ok("loan", "edit", "1", "--paid-until", "2026-10-15")
    assert len(debt.ok("repayment", "list", "--loan", "1", "--json").json) == 21
    assert_error(debt("loan", "edit", "1", "--paid-until", "2026-12-15"), 2)


def test_changing_the_currency_keeps_amounts_honest(debt: Debt) -> None:
    debt.ok(*MORTGAGE)
    before = dump(debt.db)
    r = debt("loan", "edit", "1", "--currency", "JPY")
    assert_error(r, 2)
    assert "--principal" in r.stderr
    assert dump(debt.db) == before
    out = debt.ok("loan", "edit", "1", "--currency", "JPY", "--principal", "15000000", "--json").json
    assert (out["currency"], out["principal"]) == ("JPY", "15000000")
    debt.ok("repay", "1", "100000", "--date", "2025-02-15")
    before = dump(debt.db)
    assert_error(debt("loan", "edit", "1", "--currency", "CNY", "--principal", "100000"), 1)
    assert dump(debt.db) == before


def test_moving_the_start_after_a_repayment_is_refused(debt: Debt) -> None:
    debt.ok(*MORTGAGE)
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    before = dump(debt.db)
    r = debt("loan", "edit", "1", "--start", "2026-06-01")
    assert_error(r, 1)
    assert "2025-02-15" in r.stderr and "2026-06-01" in r.stderr
    assert dump(debt.db) == before


async def test_the_loan_form_marks_installments_paid_until(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "form.db"
    app = make_app(path, dt.date.fromisoformat(TODAY))
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
