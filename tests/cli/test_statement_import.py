"""`debt statement import` end to end: review, confirm, never twice, all or nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import Debt, dump
from statement_files import alipay_bytes, wechat_csv


@pytest.fixture
def household(debt: Debt, tmp_path: Path) -> tuple[Debt, Path]:
    # a 花呗 balance and a CMB card balance, both revolving, before the January 2025 bill
    debt.ok(
        "loan",
        "add",
        "花呗",
        "--lender",
        "蚂蚁",
        "--principal",
        "3000",
        "--rate",
        "0",
        "--method",
        "revolving",
        "--start",
        "2024-12-20",
        "--first-due",
        "2025-01-10",
        "--json",
    )
    debt.ok(
        "loan",
        "add",
        "招行信用卡",
        "--lender",
        "招商银行",
        "--principal",
        "8000",
        "--rate",
        "18",
        "--method",
        "revolving",
        "--start",
        "2024-12-20",
        "--first-due",
        "2025-01-25",
        "--json",
    )
    debt.ok("loan", "match", "1", "--counterparty", "花呗")
    debt.ok("loan", "match", "2", "--description", "招商银行信用卡(1234)")
    path = tmp_path / "支付宝交易明细(20250101-20250131).csv"
    path.write_bytes(alipay_bytes())
    return debt, path


def test_dry_run_reviews_and_writes_nothing(household):
    debt, path = household
    before = dump(debt.db)
    out = debt.ok("statement", "import", str(path), "--dry-run", "--json").json
    assert set(out) >= {"source", "rows", "matched", "unmatched", "duplicates", "imported"}
    assert out["source"] == "alipay" and out["imported"] == 0
    got = {(m["loan_id"], m["date"], m["amount"]) for m in out["matched"]}
    assert got == {(1, "2025-01-10", "500.00"), (2, "2025-01-25", "1500.00")}
    assert all(set(m) >= {"loan_id", "date", "amount", "order_id"} for m in out["matched"])
    # 借呗 looks like a repayment but no loan claims it
    assert [u["amount"] for u in out["unmatched"]] == ["2000.00"]
    assert dump(debt.db) == before


def test_import_once_then_never_twice(household):
    debt, path = household
    out = debt.ok("statement", "import", str(path), "--yes", "--json").json
    assert out["imported"] == 2
    reps = debt.ok("repayment", "list", "--json").json
    assert sorted((r["loan_id"], r["amount"]) for r in reps) == [(1, "500.00"), (2, "1500.00")]
    again = debt.ok("statement", "import", str(path), "--yes", "--json").json
    assert again["imported"] == 0 and again["duplicates"] == 2
    assert len(debt.ok("repayment", "list", "--json").json) == 2


def test_a_repayment_typed_by_hand_before_the_statement_is_not_recorded_again(household, tmp_path: Path):
    """`debt repay` first, the statement after: its row for that payment (same loan, day and amount) is already
    recorded, and recording it would count the payment twice. One typed repayment stands for one row: a second equal
    transfer on the same day is still recorded."""
    debt, path = household
    debt.ok("repay", "1", "500", "--date", "2025-01-10")
    out = debt.ok("statement", "import", str(path), "--yes", "--json").json
    assert out["imported"] == 1 and [(m["loan_id"], m["amount"]) for m in out["matched"]] == [(2, "1500.00")]
    assert [(t["loan_id"], t["date"], t["amount"], t["repayment_id"]) for t in out["recorded_by_hand"]] == [
        (1, "2025-01-10", "500.00", 1)
    ]
    reps = debt.ok("repayment", "list", "--json").json
    assert sorted((r["loan_id"], r["date"], r["amount"]) for r in reps) == [
        (1, "2025-01-10", "500.00"),
        (2, "2025-01-25", "1500.00"),
    ]
    assert "already recorded by hand" in debt.ok("statement", "import", str(path), "--dry-run").stdout
    # two equal transfers to 花呗 that day, one of them typed: the other is recorded
    twice = tmp_path / "twice.csv"
    row = (
        "2025-01-10 09:00:00,信用借还,花呗,/,花呗主动还款-2025年01月账单,不计收支,500.00,招商银行储蓄卡(5678),还款成功,{}\t,\t,,"
    )
    twice.write_bytes(alipay_bytes([row.format("2025011029020999000011"), row.format("2025011029020999000012")]))
    out = debt.ok("statement", "import", str(twice), "--yes", "--json").json
    assert out["imported"] == 1 and len(out["recorded_by_hand"]) == 1


def test_without_confirmation_nothing_is_written(household):
    debt, path = household
    before = dump(debt.db)
    r = debt("statement", "import", str(path))
    assert r.exit_code == 1 and "not confirmed" in r.stderr
    assert dump(debt.db) == before


def test_refused_row_aborts_the_whole_import(household, tmp_path: Path):
    debt, path = household
    # the card loan is paid off first, so its statement row would be an overpayment
    debt.ok("repay", "2", "8000", "--date", "2025-01-20", "--prepay")
    before = dump(debt.db)
    r = debt("statement", "import", str(path), "--yes")
    assert r.exit_code == 1 and "nothing was imported" in r.stderr and "(use --allow-overpay to record them anyway)" in r.stderr
    assert dump(debt.db) == before
    # as `debt repay` takes it: the flag records the rows, the part beyond what is owed a credit
    out = debt.ok("statement", "import", str(path), "--yes", "--allow-overpay", "--json").json
    assert out["imported"] == 2
    credit = next(x for x in debt.ok("loan", "list", "--all", "--json").json if x["id"] == 2)["credit"]
    assert 0 < Decimal(credit) <= 1500  # the 1,500.00 row, less what the balance still owed by then


def test_wechat_and_bad_files(debt: Debt, tmp_path: Path):
    debt.ok(
        "loan",
        "add",
        "card",
        "--lender",
        "招商银行",
        "--principal",
        "5000",
        "--rate",
        "18",
        "--method",
        "revolving",
        "--start",
        "2025-02-01",
        "--first-due",
        "2025-03-05",
        "--json",
    )
    wx = tmp_path / "wechat.csv"
    wx.write_bytes(wechat_csv())
    out = debt.ok("statement", "import", str(wx), "--dry-run", "--json").json
    assert out["source"] == "wechat"
    assert out["unmatched"] and out["unmatched"][0]["suggested_loan_id"] == 1  # the lender's name is in the row
    junk = tmp_path / "notes.csv"
    junk.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    r = debt("statement", "import", str(junk), "--dry-run")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert debt("statement", "import", str(tmp_path / "missing.csv")).exit_code == 2
    assert debt("statement", "import", str(wx), "--source", "paypal").exit_code == 2
    assert debt("loan", "match", "1").exit_code == 0
    assert debt("loan", "match", "9", "--counterparty", "x").exit_code == 1
    assert debt("loan", "match", "1", "--counterparty", " ").exit_code == 2
