"""Credit cards through `debt`: bills, instalments, statements and the plan (the rules themselves: engine/test_cards.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import Debt, assert_error, dump, small_loan


@pytest.fixture
def cards(debt: Debt) -> Debt:
    debt.ok("card", "add", "招行信用卡", "--lender", "招商银行", "--limit", "20000", "--bill-day", "5", "--due-day", "23", "--json",
            today="2026-10-01")  # fmt: skip
    return debt


def test_a_new_card_says_how_to_record_its_first_bill(debt: Debt):
    out = debt.ok("card", "add", "招行信用卡", "--lender", "招商银行", "--limit", "20000", "--bill-day", "5",
                  "--due-day", "23", today="2026-10-01").stdout  # fmt: skip
    assert "No bills yet: record each statement with 'debt card bill 1 AMOUNT --date DATE'." in out


def test_a_bill_paid_in_full_leaves_nothing_owing(cards: Debt):
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today="2026-10-05")
    cards.ok("repay", "1", "10000", "--date", "2026-10-20", today="2026-10-20")
    out = cards.ok("card", "show", "1", "--json", today="2026-11-04").json
    assert set(out) >= {"bills", "balance", "available", "utilisation"}
    [bill] = out["bills"]
    assert set(bill) >= {"date", "due_date", "amount", "minimum", "paid", "status", "interest_estimate"}
    assert (bill["status"], bill["interest_estimate"], bill["due_date"]) == ("paid", "0.00", "2026-10-23")
    assert (out["balance"], out["available"], out["utilisation"]) == ("0.00", "20000.00", "0.0000")
    listed = cards.ok("loan", "list", "--json", today="2026-11-04").json
    assert [(x["id"], x["method"], x["status"], x["outstanding_principal"]) for x in listed] == [(1, "card", "active", "0.00")]


def test_three_months_with_a_card_typed_only_by_its_bills(cards: Debt):
    cards.ok("card", "bill", "1", "8000", "--date", "2026-10-05", today="2026-10-05")
    remind = cards.ok("remind", "--within", "30", "--json", today="2026-10-05").json
    [due] = [r for r in remind if r.get("loan_id") == 1]
    assert due["kind"] == "due" and due["date"] == "2026-10-23" and due["amount"] == "8000.00"
    assert "at least ¥800.00" in due["title"] and "¥8,000.00 in full" in due["title"]
    cards.ok("repay", "1", "800", "--date", "2026-10-23", today="2026-10-23")  # the minimum only
    cards.ok("card", "bill", "1", "7500", "--date", "2026-11-05", today="2026-11-05")
    cards.ok("repay", "1", "7500", "--date", "2026-11-22", today="2026-11-22")  # in full
    cards.ok("card", "bill", "1", "3000", "--date", "2026-12-05", "--minimum", "300", today="2026-12-05")
    out = cards.ok("card", "show", "1", "--json", today="2026-12-10").json
    assert [b["status"] for b in out["bills"]] == ["minimum", "paid", "due"]
    # interest only on the month carried: 800 for 18 days and 7,200 for 31 days at 0.05%
    assert out["bills"][0]["interest_estimate"] == f"{Decimal(80_000 * 18 + 720_000 * 31) * 5 / 10_000 / 100:.2f}"
    assert out["bills"][1]["interest_estimate"] == "0.00"
    assert out["bills"][2]["minimum"] == "300.00" and out["balance"] == "3000.00"
    dti = cards.ok("income", "add", "Salary", "10000", "--from", "2026-01-01", today="2026-12-10")
    assert dti.exit_code == 0
    month = cards.ok("dti", "--month", "2026-12", "--json", today="2026-12-10").json
    assert Decimal(month["obligations"]) == Decimal("300.00")  # the minimum counts as the month's payment


def test_a_bill_of_nothing_owed_is_recorded_as_the_statement_prints_it(cards: Debt):
    """本期应还 0.00 after a month without spending: a bill like any other, paid as it stands, asking nothing."""
    cards.ok("card", "bill", "1", "8000", "--date", "2026-10-05", today="2026-10-05")
    cards.ok("repay", "1", "8000", "--date", "2026-10-20", today="2026-10-20")
    out = cards.ok("card", "bill", "1", "0.00", "--date", "2026-11-05", "--json", today="2026-11-05").json
    last = out["bills"][-1]
    assert (last["amount"], last["minimum"], last["status"], last["interest_estimate"]) == ("0.00", "0.00", "paid", "0.00")
    assert (out["balance"], out["available"]) == ("0.00", "20000.00")
    remind = cards.ok("remind", "--within", "30", "--json", today="2026-11-05").json
    assert not [r for r in remind if r.get("loan_id") == 1]
    refused = cards("card", "bill", "1", "-1", "--date", "2026-12-05", today="2026-12-05")
    assert_error(refused, 2)
    assert "negative" in refused.stderr
    assert len(cards.ok("card", "show", "1", "--json", today="2026-12-05").json["bills"]) == 2


def test_a_bill_without_a_date_is_the_one_of_the_latest_bill_day(cards: Debt):
    """The bill in hand on 15 November, bill day 5: the one of 5 November (as the app's form proposes), due the 23rd."""
    out = cards.ok("card", "bill", "1", "1500", "--json", today="2026-11-15").json
    assert [(b["date"], b["due_date"]) for b in out["bills"]] == [("2026-11-05", "2026-11-23")]


def test_card_refusals_change_nothing(cards: Debt):
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today="2026-10-05")
    before = dump(cards.db)
    assert_error(cards("card", "bill", "1", "9000", "--date", "2026-10-05", today="2026-10-06"), 1)  # one bill a date
    assert_error(cards("card", "bill", "1", "9000", "--date", "2026-11-05", today="2026-10-06"), 2)  # future
    assert_error(cards("card", "bill", "1", "900", "--minimum", "1000", today="2026-10-06"), 2)
    assert_error(cards("card", "add", "X", "--lender", "B", "--limit", "1000", "--bill-day", "32", "--due-day", "1"), 2)
    assert_error(cards("card", "add", "X", "--lender", "B", "--bill-day", "3", "--due-day", "1"), 2)  # no limit
    assert_error(cards("card", "add", "X", "--lender", "B", "--limit", "1", "--bill-day", "3", "--due-day", "1",
                       "--interest", "some"), 2)  # fmt: skip
    assert_error(cards("card", "instalment", "1", "2026-09-05", "100", "--term", "3", "--fee-rate", "0.6"), 1)
    assert_error(cards("card", "instalment", "1", "2026-10-05", "10000.01", "--term", "3", "--fee-rate", "0.6"), 1)
    assert_error(cards("loan", "edit", "1", "--name", "x"), 1)
    assert_error(cards("loan", "rate", "1", "20", "--from", "2026-10-01"), 1)
    assert_error(cards("card", "show", "9"), 1)
    assert dump(cards.db) == before
    cards.ok("card", "bill", "1", "9000", "--date", "2026-10-05", "--replace", today="2026-10-06")
    assert cards.ok("card", "show", "1", "--json", today="2026-10-06").json["bills"][0]["amount"] == "9000.00"


def test_a_bill_in_instalments_is_a_flat_fee_loan_paid_with_the_card(cards: Debt):
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today="2026-10-05")
    out = cards.ok("card", "instalment", "1", "2026-10-05", "6000", "--term", "6", "--fee-rate", "0.6", "--json",
                   today="2026-10-06").json  # fmt: skip
    bill = out["card"]["bills"][0]
    assert (bill["amount"], bill["billed"], bill["instalments"], bill["minimum"]) == ("4000.00", "10000.00", "6000.00", "400.00")
    loan = out["loan"]
    assert (loan["method"], loan["principal"], loan["term_months"], loan["autopay"]) == ("flat-fee", "6000.00", 6, True)
    assert loan["schedule"][0]["due_date"] == "2026-11-23" and loan["schedule"][0]["fee"] == "36.00"
    # paying the rest of the bill in full: the card costs nothing, the instalments are deducted with it
    cards.ok("repay", "1", "4000", "--date", "2026-10-20", today="2026-10-20")
    later = cards.ok("loan", "show", "2", "--json", today="2026-12-01").json
    assert later["status"] == "active" and later["schedule"][0]["status"] == "paid"


def test_a_printed_minimum_drops_with_the_instalments_made_from_its_bill(cards: Debt):
    """¥910 printed on a ¥9,100 bill, then ¥6,000 of it in instalments: the minimum loses the 10 % share of the ¥6,000
    (¥600), and the ¥3,100 left asks ¥310 (it stayed ¥910, three times what a bill of ¥3,100 asks)."""
    cards.ok("card", "bill", "1", "9100", "--date", "2026-10-05", "--minimum", "910", today="2026-10-05")
    out = cards.ok("card", "instalment", "1", "2026-10-05", "6000", "--term", "6", "--fee-rate", "0.6", "--json",
                   today="2026-10-06").json  # fmt: skip
    bill = out["card"]["bills"][0]
    assert (bill["amount"], bill["minimum"]) == ("3100.00", "310.00")


def test_a_revolving_loan_becomes_a_card(debt: Debt):
    debt.ok("loan", "add", "花呗", "--lender", "蚂蚁", "--principal", "3000", "--rate", "0", "--method", "revolving",
            "--start", "2026-09-20", "--first-due", "2026-10-10", "--json", today="2026-10-01")  # fmt: skip
    debt.ok("repay", "1", "300", "--date", "2026-10-10", today="2026-10-10")
    out = debt.ok("card", "add", "--from-loan", "1", "--limit", "5000", "--bill-day", "1", "--due-day", "10", "--json",
                  today="2026-10-15").json  # fmt: skip
    assert out["id"] == 1 and out["name"] == "花呗" and out["balance"] == "2700.00"
    assert [b["date"] for b in out["bills"]] == ["2026-10-01"]
    assert len(debt.ok("repayment", "list", "--json", today="2026-10-15").json) == 1
    assert_error(debt("card", "add", "--from-loan", "1", "--limit", "5000", "--bill-day", "1", "--due-day", "10"), 1)


def test_a_card_paid_in_full_costs_nothing_in_the_plan(cards: Debt):
    cards.ok("card", "bill", "1", "5000", "--date", "2026-10-05", today="2026-10-05")
    plans = cards.ok("plan", "--budget", "6000", "--json", today="2026-10-06").json
    [card_line] = [ln for ln in plans["avalanche"]["loans"] if ln["id"] == 1]
    assert card_line["interest"] == "0.00" and card_line["payoff_date"] == "2026-10-23"
    assert cards.ok("plan", "--budget", "500", "--json", today="2026-10-06").exit_code == 0  # the minimum is enough


def test_cards_survive_export_import_and_the_journal(cards: Debt, tmp_path: Path):
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today="2026-10-05")
    cards.ok("card", "instalment", "1", "2026-10-05", "3000", "--term", "3", "--fee-rate", "0.6", today="2026-10-06")
    cards.ok("repay", "1", "7000", "--date", "2026-10-20", today="2026-10-20")
    cards.ok("card", "bill", "1", "0", "--date", "2026-11-05", today="2026-11-05")  # a month without spending
    before = cards.ok("card", "show", "1", "--json", today="2026-11-30").json
    assert [b["amount"] for b in before["bills"]] == ["7000.00", "0.00"]
    path = tmp_path / "all.json"
    cards.ok("export", str(path), today="2026-11-30")
    again = cards.ok("import", str(path), "--json", today="2026-11-30").json
    assert again["new"] == {} or sum(again["new"].values()) == 0
    other = Debt(tmp_path / "other.db")
    other.ok("import", str(path), today="2026-11-30")
    assert other.ok("card", "show", "1", "--json", today="2026-11-30").json == before
    assert other.ok("loan", "show", "2", "--json", today="2026-11-30").json["card_id"] == 1
    assert "No problems" in other.ok("check", today="2026-11-30").stdout
    journal = tmp_path / "j.ledger"
    cards.ok("export", str(journal), "--format", "ledger", today="2026-11-30")
    text = journal.read_text(encoding="utf-8")
    total = sum(Decimal(line.split()[-2]) for line in text.splitlines() if line.strip().startswith("Liabilities:Loans:1 "))
    assert total == -Decimal(before["balance"])  # the card's account ends at its balance


def test_a_bill_typed_by_mistake_is_deleted_after_asking(cards: Debt):
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today="2026-10-05")
    bill_id = cards.ok("card", "show", "1", "--json", today="2026-10-05").json["bills"][0]["id"]
    before = dump(cards.db)
    assert_error(cards("card", "bill-delete", str(bill_id), today="2026-10-05"), 1)  # not confirmed
    assert_error(cards("card", "bill-delete", "99", "--yes", today="2026-10-05"), 1)
    assert dump(cards.db) == before
    out = cards.ok("card", "bill-delete", str(bill_id), "--yes", today="2026-10-05").stdout
    assert "Deleted the bill of 2026-10-05" in out
    assert cards.ok("card", "show", "1", "--json", today="2026-10-05").json["bills"] == []


def test_three_months_with_an_auto_debit_mortgage_and_two_cards(debt: Debt):
    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "1,000,000", "--rate", "3.1", "--term", "360",
            "--method", "equal-installment", "--start", "2026-08-15", "--autopay", "--autopay-account", "ICBC ****1234", "--json",
            today="2026-09-01")  # fmt: skip
    debt.ok("card", "add", "招行", "--lender", "招商银行", "--limit", "20000", "--bill-day", "5", "--due-day", "23", "--json",
            today="2026-09-01")  # fmt: skip
    debt.ok("card", "add", "建行", "--lender", "建设银行", "--limit", "10000", "--bill-day", "20", "--due-day", "8",
            "--interest", "unpaid", "--json", today="2026-09-01")  # fmt: skip
    months = [("2026-09", "6000", "3000"), ("2026-10", "4500", "2500"), ("2026-11", "5200", "1800")]
    for month, cmb, ccb in months:
        debt.ok("card", "bill", "2", cmb, "--date", f"{month}-05", today=f"{month}-05")
        debt.ok("repay", "2", cmb, "--date", f"{month}-21", today=f"{month}-21")  # in full, two days early
        debt.ok("card", "bill", "3", ccb, "--date", f"{month}-20", today=f"{month}-20")
    # the 建行 bills: paid in full in September and October, only the minimum in November
    debt.ok("repay", "3", "3000", "--date", "2026-10-08", today="2026-10-08")
    debt.ok("repay", "3", "2500", "--date", "2026-11-07", today="2026-11-07")
    debt.ok("repay", "3", "180", "--date", "2026-12-08", today="2026-12-08")
    day = "2026-12-10"
    mortgage = debt.ok("loan", "show", "1", "--json", today=day).json
    assert mortgage["status"] == "active" and mortgage["overdue_amount"] == "0.00"
    assert [r["installment"] for r in mortgage["repayments"]] == [1, 2, 3]  # 15 Sep, Oct, Nov: deducted, none typed
    cmb = debt.ok("card", "show", "2", "--json", today=day).json
    assert [b["status"] for b in cmb["bills"]] == ["paid", "paid", "paid"]
    assert all(b["interest_estimate"] == "0.00" for b in cmb["bills"]) and cmb["balance"] == "0.00"
    ccb = debt.ok("card", "show", "3", "--json", today=day).json
    assert [b["status"] for b in ccb["bills"]] == ["paid", "paid", "minimum"]
    # only the unpaid 1,620 of the last bill costs interest: from 20 November to the next bill on 20 December
    assert ccb["bills"][2]["interest_estimate"] == f"{Decimal(162_000 * 30) * 5 / 10_000 / 100:.2f}"
    assert ccb["balance"] == "1620.00" and ccb["utilisation"] == "0.1620"
    overview = debt.ok("loan", "list", "--json", today=day).json
    assert [x["status"] for x in overview] == ["active", "active", "active"]
    remind = debt.ok("remind", "--within", "30", "--json", today=day).json
    kinds = {(r.get("loan_id"), r["kind"]) for r in remind if r.get("loan_id")}
    assert (1, "deduction") in kinds and not any(kind == "overdue" for _id, kind in kinds)


def test_a_card_statement_gives_the_new_bill(debt: Debt, tmp_path: Path):
    from statement_files import CMB_CREDIT

    debt.ok("card", "add", "招行", "--lender", "招商银行", "--limit", "20000", "--bill-day", "10", "--due-day", "28", "--json",
            today="2024-12-10")  # fmt: skip
    debt.ok("loan", "match", "1", "--method", "招商银行信用卡(1234)", today="2024-12-10")
    path = tmp_path / "cmb.csv"
    path.write_bytes(CMB_CREDIT)
    first = debt.ok("statement", "import", str(path), "--dry-run", today="2025-01-12").stdout
    assert "first bill cannot be worked out" in " ".join(first.split())  # nothing to start from
    debt.ok("card", "bill", "1", "400", "--date", "2024-12-10", today="2024-12-10")
    review = debt.ok("statement", "import", str(path), "--dry-run", "--json", today="2025-01-12").json
    # 400.00 - (1.23 + 345.67 + 30.00) paid + (56.78 + 8,000.00) spent - (3.90 + 20.00) credited
    assert review["bills"] == [{"card_id": 1, "date": "2025-01-10", "amount": "8055.98"}]
    assert review["imported"] == 0
    debt.ok("statement", "import", str(path), "--yes", today="2025-01-12")
    out = debt.ok("card", "show", "1", "--json", today="2025-01-12").json
    assert [(b["date"], b["amount"]) for b in out["bills"]] == [("2024-12-10", "400.00"), ("2025-01-10", "8055.98")]
    assert out["bills"][0]["status"] == "overdue"  # its payments came on 29 December and later, after the due date
    again = debt.ok("statement", "import", str(path), "--yes", "--json", today="2025-01-12").json
    assert again["imported"] == 0 and again["bills"] == []  # once, never twice


def test_the_overview_warns_of_a_card_used_above_70_percent(cards: Debt):
    cards.ok("card", "bill", "1", "14000", "--date", "2026-10-05", today="2026-10-05")
    assert "above 70%" not in " ".join(cards.ok(today="2026-10-06").stdout.split())  # exactly 70%
    cards.ok("card", "bill", "1", "14000.01", "--date", "2026-10-05", "--replace", today="2026-10-06")
    text = " ".join(cards.ok(today="2026-10-06").stdout.split())
    assert "招行信用卡 uses 70.0% of its limit: above 70%" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_cards_bills_keep_every_amount_whole_at_80_columns(debt: Debt, monkeypatch, lang: str) -> None:
    """A large bill on an 80-column terminal: what was paid is left out first, then the due date; the amount,
    minimum, interest and late fee show whole (the late fee read '5' for 50.00, or '617.' for 617.28)."""
    from tracker.cli.render import _cell_len

    debt.ok("card", "add", "C", "--lender", "B", "--limit", "200000", "--bill-day", "5", "--due-day", "23",
            "--start", "2026-08-01")  # fmt: skip
    debt.ok("card", "bill", "1", "123456.78", "--date", "2026-10-05", today="2026-11-30")
    debt.ok("repay", "1", "10000", "--date", "2026-10-24", today="2026-11-30")
    shown = debt.ok("card", "show", "1", "--json", today="2026-11-30").json
    monkeypatch.setenv("COLUMNS", "80")
    out = debt.ok("--lang", lang, "card", "show", "1", today="2026-11-30").stdout
    assert all(_cell_len(line) <= 80 for line in out.splitlines()), out
    row = next(line for line in out.splitlines() if line.lstrip().startswith("2026-10-05"))
    bill = shown["bills"][0]
    for key in ("amount", "minimum", "interest_estimate", "late_fee"):
        assert f"{Decimal(bill[key]):,.2f}" in row.split(), (key, row)


@pytest.mark.parametrize(
    ("bill_day", "due_day", "first_due"), [(12, 2, "2027-01-02"), (30, 20, "2026-12-20"), (5, 25, "2026-12-25")]
)
def test_a_new_cards_first_due_date_is_its_first_bills(debt: Debt, bill_day, due_day, first_due):
    # had since 30 November: the first bill is the first bill day from then on, and it is due on the due day after it
    debt.ok("card", "add", "卡", "--lender", "银行", "--limit", "5000", "--bill-day", str(bill_day), "--due-day", str(due_day),
            today="2026-11-30")  # fmt: skip
    assert debt.ok("loan", "show", "1", "--json", today="2026-11-30").json["first_due_date"] == first_due


def test_the_plan_names_each_strategy_that_falls_short_of_the_budget(debt: Debt):
    """Snowball pays the small loan first and the card's whole bill on its due date, over the budget;
    avalanche paid the card (the highest rate) ahead of it. The text says which strategy falls short."""
    t = "2026-11-30"
    debt.ok("loan", "add", "A", "--lender", "B", "--principal", "50000", "--rate", "6", "--term", "24",
            "--method", "equal-installment", "--start", "2026-11-10", today=t)  # fmt: skip
    debt.ok("card", "add", "K", "--lender", "X", "--limit", "30000", "--bill-day", "5", "--due-day", "23", today=t)
    debt.ok("card", "bill", "2", "9000", "--date", "2026-11-05", today=t)
    debt.ok("loan", "add", "S", "--lender", "B", "--principal", "5000", "--rate", "6", "--term", "12",
            "--method", "equal-installment", "--start", "2026-11-10", today=t)  # fmt: skip
    plans = debt.ok("plan", "--budget", "6000", "--json", today=t).json
    assert plans["snowball"]["short_months"] and not plans["avalanche"]["short_months"]
    out = " ".join(debt.ok("plan", "--budget", "6000", today=t).stdout.split())
    assert "! Snowball: the scheduled payments alone exceed the budget in: 2026-12" in out
    assert "Avalanche: the scheduled" not in out


def test_instalments_still_to_come_hold_part_of_the_limit(cards: Debt):
    """A bill split into instalments: what is not yet due stays inside the limit, as issuers count it."""
    t = "2026-11-30"
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today=t)
    cards.ok("card", "instalment", "1", "2026-10-05", "6000", "--term", "6", "--fee-rate", "0.6", today=t)
    cards.ok("repay", "1", "4000", "--date", "2026-10-23", today=t)
    out = cards.ok("card", "show", "1", "--json", today=t).json
    # six instalments of 1,000 from 23 November: five still to come
    assert (out["balance"], out["instalments_held"], out["available"], out["utilisation"]) == (
        "0.00",
        "5000.00",
        "15000.00",
        "0.2500",
    )
    assert "¥5,000.00 of instalments still to come" in " ".join(cards.ok("card", "show", "1", today=t).stdout.split())


def test_instalments_paid_off_hold_nothing_and_a_backdated_second_payment_is_an_overpayment(cards: Debt):
    t = "2026-11-30"
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today=t)
    cards.ok("card", "instalment", "1", "2026-10-05", "6000", "--term", "6", "--fee-rate", "0.6", today=t)
    cards.ok("repay", "1", "4000", "--date", "2026-10-22", today=t)
    cards.ok("card", "bill", "1", "1036", "--date", "2026-11-05", today=t)  # the first instalment, 1,000 + 36 fee
    # on the bill of 5 November, due 23 November: the five instalments still to come hold 5,000
    assert cards.ok("card", "show", "1", "--json", today=t).json["instalments_held"] == "5000.00"
    quote = cards.ok("loan", "payoff", "2", "--json", today=t).json["total"]
    cards.ok("repay", "2", quote, "--prepay", today=t)
    assert cards.ok("card", "show", "1", "--json", today=t).json["instalments_held"] == "0.00"
    cards.ok("repay", "1", "1036", "--date", "2026-11-20", today=t)
    # the bill is paid: the same amount again, dated before that payment, is more than is owed
    assert_error(cards("repay", "1", "1036", "--date", "2026-11-19", today=t), 1)


def test_deleting_a_card_deletes_its_instalment_plans_after_naming_them(cards: Debt):
    """An instalment plan is repaid from its card: left behind, it went on being deducted from a card that no longer
    existed (and `remind` told you to keep money on it). The question names the plans; they go in one transaction."""
    cards.ok("card", "bill", "1", "10000", "--date", "2026-10-05", today="2026-10-05")
    plan = cards.ok("card", "instalment", "1", "2026-10-05", "6000", "--term", "6", "--fee-rate", "0.6", "--json",
                    today="2026-10-06").json  # fmt: skip
    plan_id = next(loan["id"] for loan in cards.ok("loan", "list", "--json").json if loan["card_id"] == 1)
    other = cards.ok(*small_loan("other"), "--json").json["id"]
    # its instalments are charged to the card and paid with its bill: no money is "kept" on a card
    remind = cards.ok("remind", "--within", "90").stdout
    assert "is charged to card 招行信用卡 on" in remind and "keep" not in remind
    assert_error(cards("loan", "delete", "1"), 1)  # not confirmed: nothing deleted
    from tracker.present.deletions import delete_loan_question
    from tracker.service.loans import deletion_summary
    from tracker.store import Store

    store = Store.open(cards.db)
    question = delete_loan_question(deletion_summary(store, 1))  # what the terminal and the app ask
    store.close()
    assert f"Its instalment plan goes with it: loan {plan_id} '招行信用卡" in question
    out = cards.ok("loan", "delete", "1", "--yes").stdout
    assert f"Deleted with it: its instalment plan loan {plan_id}" in out
    assert [loan["id"] for loan in cards.ok("loan", "list", "--all", "--json").json] == [other]
    assert "招行信用卡" not in cards.ok("remind", "--within", "90").stdout and plan["card"]["bills"]
    assert "No problems found" in cards.ok("check").stdout


def test_a_payment_ahead_on_a_card_that_owes_nothing_says_what_it_would_be(cards: Debt):
    """A card is never "fully repaid": with its bills paid, a payment ahead is a credit balance (溢缴款), which
    --allow-overpay records, as the message says."""
    cards.ok("card", "bill", "1", "1000", "--date", "2026-10-05", today="2026-10-05")
    cards.ok("repay", "1", "1000", "--date", "2026-10-20", today="2026-10-25")
    r = cards("repay", "1", "700", "--date", "2026-10-25", today="2026-10-25")
    assert_error(r, 1)
    assert "card 1 owes nothing now" in r.stderr and "(use --allow-overpay to record it anyway)" in r.stderr
    cards.ok("repay", "1", "700", "--date", "2026-10-25", "--allow-overpay", today="2026-10-25")


def test_a_loan_that_is_no_card_is_not_offered_to_become_one(debt: Debt):
    """Only a revolving balance can become a card (--from-loan); a car loan is just not one."""
    debt.ok(*small_loan("car"))
    r = debt("card", "show", "1")
    assert_error(r, 1)
    assert "is not a credit card" in r.stderr and "--from-loan" not in r.stderr
