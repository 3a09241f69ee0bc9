"""Small things of daily use that cost trust when they go wrong."""

from __future__ import annotations

import pytest
from conftest import MORTGAGE, Debt, assert_error


def test_a_negative_amount_is_quoted_as_typed(debt: Debt):
    debt.ok(*MORTGAGE)
    r = debt("repay", "1", "-50")
    assert_error(r, 2)
    assert "'-50'" in r.stderr


@pytest.mark.parametrize(("typed", "recorded"), [("5307元", "5307.00"), ("¥5,307.27元", "5307.27"), ("５３０７元", "5307.00")])
def test_amounts_written_with_yuan_are_read(debt: Debt, typed: str, recorded: str):
    debt.ok(*MORTGAGE)
    debt.ok("repay", "1", typed, "--date", "2025-02-15")
    assert debt.ok("repayment", "list", "--json").json[0]["amount"] == recorded


def test_an_empty_amount_is_called_missing_not_a_bad_number(debt: Debt):
    debt.ok(*MORTGAGE)
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
    debt.ok(*MORTGAGE)
    loud = debt.ok("remind", today="2025-02-16").stdout
    quiet = debt.ok("remind", "--quiet", today="2025-02-16").stdout
    assert "App audit:" in loud and "App audit:" not in quiet
    assert "overdue 1 day" in quiet
    assert "App audit:" in debt.ok("remind", "--quiet", "--all", today="2025-02-16").stdout
