"""Auto-debit (代扣) loans through `debt`: adding, missed deductions and their undo, statements, export and backup."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest
from helpers import Debt, assert_error, dump
from statement_files import alipay_bytes

START = dt.date(2025, 12, 15)
MORTGAGE = [
    "loan", "add", "房贷", "--lender", "ICBC", "--principal", "1,000,000", "--rate", "3.1", "--term", "360",
    "--method", "equal-installment", "--start", "2025-12-15", "--kind", "mortgage",
]  # fmt: skip


def level_payment() -> int:
    """The bank's monthly payment, from numpy-financial (an independent oracle), in fen."""
    pmt = -npf.pmt(0.031 / 12, 360, 1_000_000)
    return int((Decimal(str(pmt)) * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


@pytest.fixture
def mortgage(debt: Debt) -> Debt:
    debt.ok(*MORTGAGE, "--autopay", "--autopay-account", "ICBC card ****1234", "--json", today="2026-11-30")
    return debt


def test_add_partway_with_autopay_needs_no_typing(mortgage: Debt):
    out = mortgage.ok("loan", "show", "1", "--json", today="2026-11-30").json
    assert out["autopay"] is True and out["autopay_account"] == "ICBC card ****1234"
    assert out["status"] == "active" and out["overdue_amount"] == "0.00"
    auto = [r for r in out["repayments"] if r["source"] == "autopay"]
    assert [r["installment"] for r in auto] == list(range(1, 12)) and all(r["id"] is None for r in auto)
    reps = mortgage.ok("repayment", "list", "--json", today="2026-11-30").json
    assert len(reps) == 11 and {r["source"] for r in reps} == {"autopay"}
    text = mortgage.ok("repayment", "list", today="2026-11-30").stdout
    assert "automatic deduction, installment 11" in text


def test_missed_then_paid_then_undo(mortgage: Debt):
    pay = Decimal(level_payment()) / 100
    out = mortgage.ok("loan", "missed", "1", "10", "--json", today="2026-11-30").json
    assert out["missed"] is True and out["installment"]["status"] == "overdue"
    assert out["loan"]["status"] == "overdue" and out["loan"]["missed_deductions"] == [10]
    remind = mortgage.ok("remind", "--json", today="2026-11-30").json
    overdue = [r for r in remind if r["kind"] == "overdue"]
    assert [(r["loan_id"], r["amount"]) for r in overdue] == [(1, f"{pay:.2f}")]
    mortgage.ok("repay", "1", str(pay), today="2026-11-30")
    assert mortgage.ok("loan", "show", "1", "--json", today="2026-11-30").json["status"] == "active"
    assert_error(mortgage("loan", "missed", "1", "10", today="2026-11-30"), 1)  # already marked
    mortgage.ok("loan", "missed", "1", "10", "--undo", today="2026-11-30")
    # the deduction went through after all: the typed payment is now an advance on the next installment
    after = mortgage.ok("loan", "show", "1", "--json", today="2026-11-30").json
    assert after["missed_deductions"] == [] and after["status"] == "active"
    assert after["next_due_amount"] == "0.00" or after["next_due_date"] == "2027-01-15"


def test_missed_refusals_change_nothing(mortgage: Debt, debt: Debt):
    before = dump(mortgage.db)
    assert_error(mortgage("loan", "missed", "1", "12", today="2026-11-30"), 1)  # due 2026-12-15: not yet
    assert_error(mortgage("loan", "missed", "1", "400", today="2026-11-30"), 1)
    assert_error(mortgage("loan", "missed", "1", "x", today="2026-11-30"), 2)
    assert_error(mortgage("loan", "missed", "1", "3", "--undo", today="2026-11-30"), 1)
    assert_error(mortgage("loan", "missed", "9", "3", today="2026-11-30"), 1)
    assert dump(mortgage.db) == before
    mortgage.ok("loan", "add", "车贷", "--lender", "B", "--principal", "50000", "--rate", "5", "--term", "12",
                "--method", "equal-installment", "--start", "2026-01-01", "--json")  # fmt: skip
    assert_error(mortgage("loan", "missed", "2", "1"), 1)  # not an auto-debit loan
    assert_error(mortgage("loan", "add", "卡", "--lender", "B", "--principal", "500", "--rate", "18",
                          "--method", "revolving", "--start", "2026-01-01", "--autopay"), 2)  # fmt: skip
    assert_error(mortgage("loan", "edit", "2", "--autopay-account", "x"), 2)


def test_typed_repayment_of_a_deduction_takes_its_place(mortgage: Debt):
    pay = Decimal(level_payment()) / 100
    out = mortgage.ok("repay", "1", str(pay), "--date", "2026-11-17", "--json", today="2026-11-30").json
    assert out["replaces_deduction"] == 11
    text = mortgage.ok("loan", "show", "1", "--json", today="2026-11-30").json
    assert Decimal(text["total_paid"]) == pay * 11
    second = mortgage.ok("repay", "1", str(pay), "--date", "2026-11-30", "--json", today="2026-11-30").json
    assert second["replaces_deduction"] is None  # an advance on installment 12, not another deduction


def test_remind_lists_a_deduction_to_fund_not_a_payment_to_make(mortgage: Debt):
    pay = Decimal(level_payment()) / 100
    items = mortgage.ok("remind", "--within", "20", "--json", today="2026-11-30").json
    [d] = [r for r in items if r.get("loan_id") == 1]
    assert d["kind"] == "deduction" and d["date"] == "2026-12-15" and d["account"] == "ICBC card ****1234"
    assert d["amount"] == f"{pay:.2f}"
    text = mortgage.ok("remind", "--within", "20", today="2026-11-30").stdout
    assert f"keep ¥{pay:,.2f} in ICBC card ****1234 by 2026-12-15" in " ".join(text.split())
    on_the_day = mortgage.ok("remind", "--json", today="2026-12-15").json
    assert [r["kind"] for r in on_the_day if r.get("loan_id") == 1] == ["deduction"]
    mortgage.ok("loan", "missed", "1", "12", today="2026-12-15")
    on_the_day = mortgage.ok("remind", "--json", today="2026-12-15").json
    assert [r["kind"] for r in on_the_day if r.get("loan_id") == 1] == ["due"]  # now the user must pay it


def test_turning_autopay_on_and_off(debt: Debt):
    debt.ok(*MORTGAGE, "--json", today="2026-11-30")
    assert debt.ok("loan", "show", "1", "--json", today="2026-11-30").json["status"] == "overdue"
    out = debt.ok("loan", "edit", "1", "--autopay", "--json", today="2026-11-30").json
    assert out["status"] == "active" and any("debt loan missed 1 SEQ" in n for n in out["notices"])
    debt.ok("loan", "edit", "1", "--no-autopay", "--json", today="2026-11-30")
    # the deductions made stay, now recorded; nothing turns overdue
    reps = debt.ok("repayment", "list", "--json", today="2026-11-30").json
    assert len(reps) == 11 and all(r["id"] is not None and r["source"] == "autopay" for r in reps)
    assert debt.ok("loan", "show", "1", "--json", today="2026-11-30").json["status"] == "active"
    # and on again: the recorded ones are not counted a second time
    debt.ok("loan", "edit", "1", "--autopay", "--json", today="2026-11-30")
    again = debt.ok("loan", "show", "1", "--json", today="2026-11-30").json
    assert len(again["repayments"]) == 11 and again["status"] == "active"


def test_rate_edit_refused_once_deductions_paid_installments(mortgage: Debt):
    assert_error(mortgage("loan", "edit", "1", "--rate", "3.5", today="2026-11-30"), 1)


def test_export_import_backup_restore_keep_deductions_exact(mortgage: Debt, tmp_path: Path):
    mortgage.ok("loan", "missed", "1", "4", today="2026-11-30")
    before = mortgage.ok("loan", "show", "1", "--json", today="2026-11-30").json
    path = tmp_path / "all.json"
    mortgage.ok("export", str(path), today="2026-11-30")
    mortgage.ok("import", str(path), today="2026-11-30")  # into itself: nothing doubles
    assert mortgage.ok("loan", "show", "1", "--json", today="2026-11-30").json == before
    other = Debt(tmp_path / "other.db")
    other.ok("import", str(path), today="2026-11-30")
    assert other.ok("loan", "show", "1", "--json", today="2026-11-30").json == before
    other.ok("import", str(path), today="2026-11-30")
    assert other.ok("loan", "show", "1", "--json", today="2026-11-30").json == before
    assert "No problems" in other.ok("check", today="2026-11-30").stdout
    backup = tmp_path / "b.zip"
    mortgage.ok("backup", str(backup))
    mortgage.ok("loan", "missed", "1", "4", "--undo", today="2026-11-30")
    mortgage.ok("restore", str(backup))
    assert mortgage.ok("loan", "show", "1", "--json", today="2026-11-30").json == before


def test_a_statement_row_for_a_deduction_is_reviewed_as_such(debt: Debt, tmp_path: Path):
    debt.ok("loan", "add", "借呗", "--lender", "借呗", "--principal", "12000", "--rate", "10.95", "--term", "12",
            "--method", "equal-installment", "--start", "2024-12-12", "--autopay", "--json", today="2025-01-31")  # fmt: skip
    debt.ok("loan", "match", "1", "--counterparty", "借呗")
    first = debt.ok("loan", "show", "1", "--json", today="2025-01-31").json["schedule"][0]
    assert first["due_date"] == "2025-01-12"
    row = (
        "2025-01-13 08:00:00,信用借还,借呗,/,借呗还款-本金和利息,不计收支,"
        f"{first['total']},余额宝,还款成功,2025011329020999000003\t,\t,,"
    )
    path = tmp_path / "alipay.csv"
    path.write_bytes(alipay_bytes([row]))
    review = debt.ok("statement", "import", str(path), "--dry-run", "--json", today="2025-01-31").json
    assert [m["replaces_deduction"] for m in review["matched"]] == [1]
    shown = debt.ok("statement", "import", str(path), "--dry-run", today="2025-01-31").stdout
    assert "automatic deduction" in " ".join(shown.split())
    debt.ok("statement", "import", str(path), "--yes", today="2025-01-31")
    out = debt.ok("loan", "show", "1", "--json", today="2025-01-31").json
    assert Decimal(out["total_paid"]) == Decimal(first["total"])  # once, not twice
    assert [r["source"] for r in out["repayments"]] == ["alipay"]


def test_a_missed_deduction_with_penalty_interest_says_what_brings_the_loan_up_to_date(debt: Debt):
    debt.ok("loan", "add", "AU", "--lender", "B", "--principal", "100000", "--rate", "6", "--term", "12",
            "--method", "equal-installment", "--start", "2026-06-15", "--autopay", "--penalty-rate", "9",
            today="2026-11-30")  # fmt: skip
    out = debt.ok("loan", "missed", "1", "4", today="2026-11-30").stdout
    # installment 4 (8,606.64, due 15 October) is 46 days late at 9 % / 360 a day: 98.98 of penalty interest
    penalty = (Decimal("8606.64") * Decimal("0.09") / 360 * 46).quantize(Decimal("0.01"))
    amount = Decimal("8606.64") + penalty
    assert f"debt repay 1 {amount}" in " ".join(out.split())
    debt.ok("repay", "1", str(amount), today="2026-11-30")
    assert debt.ok("loan", "show", "1", "--json", today="2026-11-30").json["status"] == "active"
