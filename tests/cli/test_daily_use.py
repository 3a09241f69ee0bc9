"""Small things of daily use that cost trust when they go wrong."""

from __future__ import annotations

import pytest
from helpers import MORTGAGE, Debt, assert_error


def test_a_negative_amount_is_quoted_as_typed(debt: Debt):
    debt.ok(*MORTGAGE, "--json")
    r = debt("repay", "1", "-50")
    assert_error(r, 2)
    assert "'-50'" in r.stderr


@pytest.mark.parametrize(("typed", "recorded"), [("5307元", "5307.00"), ("¥5,307.27元", "5307.27"), ("５３０７元", "5307.00")])
def test_amounts_written_with_yuan_are_read(debt: Debt, typed: str, recorded: str):
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", typed, "--date", "2025-02-15")
    assert debt.ok("repayment", "list", "--json").json[0]["amount"] == recorded


def test_an_empty_amount_is_called_missing_not_a_bad_number(debt: Debt):
    debt.ok(*MORTGAGE, "--json")
    r = debt("repay", "1", "")
    assert_error(r, 2)
    assert "amount is required" in r.stderr


@pytest.mark.parametrize("typed", ["0.6", "60", "60%", "６０％"])
def test_the_dti_ratios_take_a_fraction_or_a_percent(debt: Debt, typed: str):
    debt.ok("config", "set", "dti.warn", typed)
    assert debt.ok("config", "get", "dti.warn").stdout.startswith("dti.warn = 0.6 ")


@pytest.mark.parametrize("typed", ["0", "150", "abc", "1e2", "-5"])
def test_a_ratio_out_of_range_is_refused(debt: Debt, typed: str):
    assert_error(debt("config", "set", "dti.warn", typed), 2)


def test_remind_quiet_is_for_money_and_the_credit_check(debt: Debt):
    debt.ok(*MORTGAGE, "--json")
    loud = debt.ok("remind", today="2025-02-16").stdout
    quiet = debt.ok("remind", "--quiet", today="2025-02-16").stdout
    assert "App audit:" in loud and "App audit:" not in quiet
    assert "overdue 1 day" in quiet
    assert "App audit:" in debt.ok("remind", "--quiet", "--all", today="2025-02-16").stdout


def test_repayment_list_names_loans_and_folds_the_paid_until_run(debt: Debt):
    debt.ok(*MORTGAGE, "--paid-until", "2025-10-31", "--json", today="2025-11-30")
    debt.ok("repay", "1", "5307.27", "--date", "2025-11-15", today="2025-11-30")
    listed = debt.ok("repayment", "list", today="2025-11-30").stdout
    assert "房贷" in listed
    assert "9 installments paid before entry" in listed and "2025-02…2025-10" in listed  # one line for the nine
    assert "2025-03-15" not in listed
    assert len(debt.ok("repayment", "list", "--json", today="2025-11-30").json) == 10  # scripts still see each


def test_show_a_credit_check_and_a_contact(debt: Debt):
    debt.ok(
        "credit-check", "log", "--date", "2026-02-03", "--channel", "云闪付", "--findings", "1 unknown query", "--anomalies", "1"
    )
    shown = debt.ok("credit-check", "show", "1").stdout
    assert "云闪付" in shown and "1 unknown query" in shown
    assert debt.ok("credit-check", "show", "1", "--json").json["anomalies"] == 1
    assert_error(debt("credit-check", "show", "9"), 1)
    debt.ok("sms", "check", "你的征信逾期可以内部渠道消除，加微信zx8866", "--sender", "13800138000", "--save")
    shown = debt.ok("contact", "show", "1").stdout
    assert "13800138000" in shown and "Erase a credit record" in shown and "Verdict: likely a scam" in shown
    data = debt.ok("contact", "show", "1", "--json").json
    assert data["id"] == 1 and data["files"] == []
    assert_error(debt("contact", "show", "7"), 1)


def test_remind_gives_one_line_per_overdue_loan(debt: Debt):
    debt.ok(*MORTGAGE, "--json")
    out = debt.ok("remind", today="2025-05-20").stdout
    assert "4 installments overdue, the oldest 94 days" in out and out.count("房贷") == 1  # Feb, Mar, Apr, May 15
    (line,) = [r for r in debt.ok("remind", "--json", today="2025-05-20").json if r["kind"] == "overdue"]
    assert (line["date"], line["installments"], line["days_overdue"]) == ("2025-02-15", 4, 94)
    single = debt.ok("remind", "--json", today="2025-02-20").json
    assert [r["installments"] for r in single if r["kind"] == "overdue"] == [1]


def test_each_reminder_is_one_line_however_long(debt: Debt):
    """In a cron mail or a pipe a reminder wider than 80 columns is not wrapped: one line per loan."""
    debt.ok("loan", "add", "二零二五年在招商银行申请的那笔装修贷款 renovation", "--lender", "招商银行 China Merchants Bank",
            "--principal", "200000", "--rate", "3.6", "--term", "24", "--method", "equal-installment",
            "--start", "2025-01-15", "--json")  # fmt: skip
    lines = debt.ok("remind", today="2025-05-20").stdout.splitlines()
    (line,) = [ln for ln in lines if "装修贷款" in ln]
    assert len(line) > 80 and line.startswith("2025-02-15  ") and line.rsplit("  ", 1)[1].startswith("¥")  # the amount too


def test_long_order_numbers_are_cut_in_the_middle_with_an_ellipsis():
    from tracker.present.statements import short_ref

    assert short_ref("2026112920000000000004") == "202611292…0000000004"
    assert short_ref("4200000002") == "4200000002"
    assert len(short_ref("9" * 40)) == 20


def test_a_lump_sum_loan_names_its_real_first_due_date(debt: Debt):
    debt.ok("loan", "add", "借款", "--lender", "王", "--principal", "10000", "--rate", "5", "--term", "12",
            "--method", "bullet", "--start", "2026-06-01", "--json", today="2026-06-01")  # fmt: skip
    shown = debt.ok("loan", "show", "1", today="2026-06-01").stdout
    assert "first due 2027-06-01" in shown and "2026-07-01" not in shown


def test_a_chinese_parenthesis_takes_no_space_before_it():
    from tracker.present.text import aside

    assert aside("（五年期 LPR -110 个基点）") == "（五年期 LPR -110 个基点）"
    assert aside("(5-year LPR -110 bp)") == " (5-year LPR -110 bp)"


def test_a_collection_message_received_at_night_is_flagged_with_its_time(debt: Debt):
    """--received with a time: a collection message between 22:00 and 08:00 is flagged, the time as its evidence; a
    date alone (read as midnight) or no --received judges no time."""
    text = "您的借款已逾期3天，请尽快还款。"
    night = debt.ok("sms", "check", text, "--received", "2026-11-29 23:40", "--json").json
    (flag,) = [f for f in night["flags"] if f["code"] == "night-contact"]
    assert flag["evidence"] == ["23:40"] and flag["title"] == "Sent at night" and night["verdict"] != "no-red-flags"
    for extra in (["--received", "2026-11-29 09:15"], ["--received", "2026-11-29"], []):
        codes = [f["code"] for f in debt.ok("sms", "check", text, *extra, "--json").json["flags"]]
        assert "night-contact" not in codes, extra
    shown = debt.ok("sms", "check", text, "--received", "2026-11-29 23:40").stdout
    assert "Sent at night" in shown and "23:40" in shown
    # a time alone is today's; kept with the message, the contact has that time
    saved = debt.ok("sms", "check", text, "--received", "6:05", "--save", "--json").json
    assert "night-contact" in [f["code"] for f in saved["flags"]]
    kept = next(c for c in debt.ok("contact", "list", "--json").json if c["id"] == saved["contact_id"])
    assert kept["date"] == f"{debt.today}T06:05:00"


def test_flags_outweighed_by_signs_of_a_genuine_notice_are_not_called_red_flags(debt: Debt):
    """A law firm a bank entrusted mentions its 律师函 and sends you to the bank's own number: the verdict is no red
    flags, and what was noticed is listed as outweighed, not as a red flag beside that verdict."""
    text = "【上海明德律师事务所】本所受平安银行委托，就您的信用卡逾期欠款向您邮寄了律师函。如需协商还款，请直接联系平安银行客服95511。"
    data = debt.ok("sms", "check", text, "--json").json
    assert data["verdict"] == "no-red-flags" and [f["code"] for f in data["flags"]] == ["legal-pressure"]
    shown = debt.ok("sms", "check", text).stdout
    assert "Also noticed, but outweighed by the signs of a genuine notice:" in shown
    scam = debt.ok("sms", "check", "你的征信逾期可以内部渠道消除，加微信zx8866").stdout
    assert "outweighed" not in scam
