"""tracker.present: the cells, labels and sentences both faces show, checked against texts written out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from msgspec.structs import replace

from tracker.ledger import evaluate
from tracker.models import Loan, LoanState, LoanSummary, Repayment
from tracker.present.cards import card_balance_text, card_next_due_text, card_overdue_text, card_terms_text
from tracker.present.deletions import (
    delete_check_question,
    delete_contact_question,
    delete_income_question,
    delete_repayment_question,
    delete_rule_question,
    deleted_rule_text,
    remove_evidence_question,
    rule_words,
)
from tracker.present.dti import dti_amounts_text, dti_status_text, dti_warning_text, largest_payments_text, ratio_text
from tracker.present.loans import amounts_text, loan_header, loan_row, overdue_line, totals_by_currency
from tracker.present.messages import contact_about, contact_subject, verdict_text
from tracker.present.plan import paying_text, plan_columns
from tracker.present.statements import bill_line, row_text, statement_summary
from tracker.rates import Cost, Warning

TODAY = dt.date(2026, 11, 15)

# 12,000.00 interest-free over 12 months from 2026-02-01, 1,000.00 each; paid February to September:
# October's and November's 1,000.00 are overdue (45 days since 2026-10-01), 4,000.00 left to repay
CAR = Loan(
    name="车贷 Car",
    lender="招商银行 CMB",
    method="equal-principal",
    principal=1_200_000,
    annual_rate=Decimal(0),
    start_date=dt.date(2026, 1, 1),
    first_due_date=dt.date(2026, 2, 1),
    term_months=12,
    kind="car",
    id=7,
)
PAID = [Repayment(loan_id=7, date=dt.date(2026, m, 1), amount=100_000, id=m) for m in range(2, 10)]


@dataclass(frozen=True)
class View:
    """What the faces hand present: a state, its true cost and the rate warnings (service.LoanView's shape)."""

    state: LoanState | LoanSummary
    cost: Cost
    warnings: tuple[Warning, ...] = ()


def car_view(paid: list[Repayment] = PAID, **kw) -> View:
    return View(evaluate(CAR, paid, TODAY), **{"cost": Cost(Decimal("0.00"), Decimal("0.00")), **kw})


# -- a loan in a list --------------------------------------------------------------------------
def test_an_overdue_loans_row():
    row = loan_row(car_view())
    assert (row.id, row.name, row.lender) == (7, "车贷 Car", "招商银行 CMB")
    assert (row.outstanding, row.apr, row.apr_warned) == ("¥4,000.00", "0.00%", False)
    assert (row.next_due, row.next_amount) == ("2026-12-01", "1,000.00")
    assert (row.status, row.status_text) == ("overdue", "overdue 45d")


def test_a_row_from_the_lists_summary_reads_the_same():
    view = car_view()
    summary = View(LoanSummary.of(view.state), view.cost, view.warnings)
    assert loan_row(summary) == loan_row(view)


def test_a_warned_apr_is_marked_and_a_missing_one_is_a_dash():
    warned = car_view(cost=Cost(Decimal("24.20"), Decimal("27.08")), warnings=(Warning("lpr4", "above the line"),))
    row = loan_row(warned)
    assert (row.apr, row.apr_warned, row.apr_value) == ("24.20%", True, Decimal("24.20"))
    unknown = loan_row(car_view(cost=Cost(None, None, reason="no payments")))
    assert (unknown.apr, unknown.apr_warned, unknown.sort_key("apr")) == ("-", False, -1)


def test_a_paid_off_loan_has_no_next_due_and_sorts_last_by_it():
    everything = [*PAID, *(Repayment(loan_id=7, date=TODAY, amount=100_000, id=10 + k) for k in range(4))]
    row = loan_row(car_view(everything))
    assert (row.status, row.status_text, row.outstanding) == ("closed", "closed", "¥0.00")
    assert (row.next_due, row.next_amount, row.sort_key("next_due")) == ("-", "-", "9999")


def test_rows_sort_by_number_not_by_text_and_filter_by_words():
    row = loan_row(car_view())
    assert row.sort_key("outstanding") == 400_000 and row.sort_key("id") == 7
    for needle in ("车贷", "cmb", "overdue", ""):
        assert row.matches(needle), needle
    assert not row.matches("active") and not row.matches("45d")


# -- a loan's page ----------------------------------------------------------------------------
def test_an_overdue_loans_header():
    warned = (Warning("w", "APR 0.00% is fine, this is a test"),)
    h = loan_header(car_view(warnings=warned))
    assert (h.name, h.id, h.lender, h.kind) == ("车贷 Car", 7, "招商银行 CMB", "car loan")
    assert h.terms == "equal principal, 0.00%, 12 months, from 2026-01-01; first due 2026-02-01"
    assert h.principal == "Principal ¥12,000.00"
    assert (h.outstanding, h.status, h.status_text) == ("¥4,000.00", "overdue", "overdue")
    assert h.cost == "True cost: APR 0.00% (EAR 0.00%)"
    assert h.overdue == "Overdue ¥2,000.00 since 2026-10-01 (45 days)"
    assert h.next_due == "Next due 2026-12-01: ¥1,000.00"
    assert h.notes == () and h.warnings == ("APR 0.00% is fine, this is a test",)


def test_a_header_says_what_was_received_why_there_is_no_apr_and_the_rate_history():
    loan = replace(
        CAR,
        received=1_140_000,
        annual_rate=Decimal("3.6"),
        rate_changes=((dt.date(2026, 7, 1), Decimal("3.3")),),
        method="interest-only",
        term_months=None,
    )
    h = loan_header(View(evaluate(loan, [], dt.date(2026, 1, 20)), Cost(None, None, reason="no payments")))
    assert h.terms == "interest-only, 3.60%, no fixed term, from 2026-01-01; first due 2026-02-01"
    assert h.principal == "Principal ¥12,000.00 · received ¥11,400.00"
    assert h.cost == "True cost: APR not available (no payments)"
    assert (h.overdue, h.status_text) == (None, "active")
    assert h.notes == ("Rate history: 3.60% from 2026-01-01, 3.30% from 2026-07-01",)


# -- the overview -----------------------------------------------------------------------------
def test_totals_by_currency_in_alphabetical_order():
    dollars = replace(CAR, currency="USD", principal=50_000, id=8)
    states = [evaluate(CAR, PAID, TODAY), evaluate(dollars, [], TODAY), evaluate(CAR, [], TODAY)]
    totals = totals_by_currency(states)
    assert totals == [("CNY", 400_000 + 1_200_000), ("USD", 50_000)]
    assert amounts_text(totals, ", ") == "¥16,000.00, $500.00"
    assert totals_by_currency([]) == [] and amounts_text([], "\n") == ""


def test_an_overdue_loan_in_a_list_of_them():
    assert overdue_line(evaluate(CAR, PAID, TODAY)) == "车贷 Car: ¥2,000.00, 45 days"
    one_day = evaluate(CAR, PAID[:-1], dt.date(2026, 9, 2))  # September's, due yesterday
    assert overdue_line(one_day) == "车贷 Car: ¥1,000.00, 1 day"


# -- a statement's review ---------------------------------------------------------------------
def test_a_statements_summary_and_the_bill_it_adds_up_to():
    from types import SimpleNamespace as Plain

    plan = Plain(
        statement=Plain(source="alipay", rows=[object()] * 8),
        to_record=[(1, object()), (2, object())],
        still_unmatched=[(object(), None)],
        result=Plain(duplicates=[]),
    )
    assert statement_summary(plan) == "Alipay statement: 8 rows, 2 to record, 1 unmatched, 0 already imported."
    bill = Plain(date=dt.date(2025, 1, 10), amount=805_598, previous=40_000, paid=37_690, charges=803_288)
    assert bill_line(bill, "招行", "CNY") == (
        "Bill of 2025-01-10 for 招行: ¥8,055.98 (the last bill's ¥400.00, less ¥376.90 paid since, plus ¥8,032.88 of new charges)"
    )
    row = Plain(counterparty="花呗", description="")
    assert row_text(row) == "花呗" and row_text(Plain(counterparty="", description="还款")) == "还款"


# -- debt-to-income ---------------------------------------------------------------------------
def test_the_debt_to_income_sentences():
    from types import SimpleNamespace as Plain

    from tracker.dti import MonthDTI

    month = MonthDTI(dt.date(2026, 11, 1), 2_100_000, 1_392_674, Decimal("0.6632"), "warning")
    assert dti_amounts_text(month) == "Income ¥21,000.00 · debt payments ¥13,926.74"
    assert (ratio_text(month.ratio), ratio_text(None)) == ("66.3%", "-")
    assert [dti_status_text(s) for s in ("ok", "caution", "warning", "no-income")] == [
        "ok",
        "caution",
        "warning",
        "no income",
    ]
    car = evaluate(CAR, PAID, TODAY)
    report = Plain(
        current=month, threshold=Decimal("0.6"), back_below_threshold=dt.date(2027, 5, 1), contributors=[(car, 100_000)]
    )
    assert dti_warning_text(report) == (
        "Your debt payments are more than 60% of your income. Back at or below the line: 2027-05."
    )
    never = Plain(current=month, threshold=Decimal("0.5"), back_below_threshold=None)
    assert dti_warning_text(never).endswith("more than 50% of your income. Back at or below the line: not within the schedules.")
    assert dti_warning_text(Plain(current=MonthDTI(month.month, 1, 0, Decimal(0), "ok"))) is None
    assert largest_payments_text(report) == "车贷 Car ¥1,000.00"


# -- a credit card ----------------------------------------------------------------------------
def test_a_cards_terms_balance_and_overdue_minimum():
    from tracker.cards import CardState

    card = replace(CAR, method="card", credit_limit=2_000_000, bill_day=5, due_day=23, card_interest="unpaid")
    card = replace(card, annual_rate=Decimal("18.25"), rate_unit="daily", quoted_rate=Decimal("0.05"))
    assert card_terms_text(card) == (
        "Limit ¥20,000.00 · bill day 5 · due day 23 · 0.05%/day · minimum 10% · interest: on the unpaid part"
    )
    cs = CardState(card, TODAY, bills=(), payments=(), balance=1_520_000, overdue_amount=348_600, days_overdue=7)
    assert card_balance_text(cs) == "Balance ¥15,200.00 · available ¥4,800.00 · 76.0% of the limit used"
    assert card_overdue_text(cs) == "Overdue ¥3,486.00 (7 days): pay at least this to stop the late fees"
    assert card_next_due_text(cs) is None  # no bill to pay
    paid_up = CardState(card, TODAY, bills=(), payments=(), balance=0, overdue_amount=0, days_overdue=0)
    assert card_overdue_text(paid_up) is None


# -- messages, contacts and the questions before a deletion -----------------------------------
def test_a_contact_in_the_timeline():
    from tracker.models import Contact

    when = dt.datetime(2026, 11, 3, 9, 30)
    sms = Contact("sms", when, "10690000", about_loan_id=4, message="您的借款已逾期" * 10, verdict="likely-scam", id=2)
    assert contact_about(sms) == "#4 · " + ("您的借款已逾期" * 10)[:60]
    call = Contact("call", when, "王", about_person="老王", summary="asked when I would repay")
    assert contact_about(call) == "老王 · asked when I would repay"
    assert contact_about(Contact("visit", when)) == ""
    assert [contact_subject(c) for c in (sms, call, Contact("visit", when))] == ["#4", "老王", ""]
    assert [verdict_text(v) for v in ("likely-scam", "suspicious", "no-red-flags", None)] == [
        "likely a scam",
        "suspicious",
        "no red flags",
        "-",
    ]
    assert delete_contact_question(sms) == (
        "Delete contact 2 (sms from 10690000 on 2026-11-03T09:30)? Its evidence files are kept."
    )


def test_the_questions_before_a_deletion():
    from tracker.models import CreditCheck, Evidence, Income

    rep = Repayment(loan_id=7, date=dt.date(2026, 3, 1), amount=100_000, id=12)
    assert delete_repayment_question(rep, CAR) == "Delete repayment 12 (¥1,000.00 on 2026-03-01 to 车贷 Car)?"
    assert delete_check_question(CreditCheck(dt.date(2026, 5, 2), "云闪付")) == (
        "Delete the credit check of 2026-05-02 (云闪付)?"
    )
    assert delete_check_question(CreditCheck(dt.date(2026, 5, 2))) == "Delete the credit check of 2026-05-02 (-)?"
    salary = Income("工资 salary", 2_100_000, dt.date(2026, 1, 1), id=2)
    assert delete_income_question(salary) == "Delete income 2 (工资 salary, ¥21,000.00 a month from 2026-01-01)?"
    shot = Evidence("截图.png", "x.png", 10, "ab", dt.datetime(2026, 1, 1), id=3)
    assert remove_evidence_question(shot) == "Remove evidence 3 (截图.png)? The stored copy is deleted."
    words = rule_words("花呗", None, "招商银行信用卡(1234)")
    assert words == "花呗, 招商银行信用卡(1234)"
    assert delete_rule_question(5, words, 1) == "Delete rule 5 ('花呗, 招商银行信用卡(1234)' to loan 1)?"
    assert deleted_rule_text(5, "花呗", 1) == ("Deleted rule 5; statement rows like '花呗' are no longer sent to loan 1.")


# -- a payoff plan ----------------------------------------------------------------------------
def test_each_strategys_column_beside_the_schedule():
    from tracker.payoff import LoanPayoff, Plan

    def plan(key: str, months: int, interest: int, *payoffs: dt.date | None) -> Plan:
        loans = tuple(
            LoanPayoff(n, name, day, 0) for n, (name, day) in enumerate(zip(("房贷", "网贷"), payoffs, strict=True), start=1)
        )
        return Plan(key, months, max((d for d in payoffs if d), default=None), interest, loans)

    plans = {
        "avalanche": plan("avalanche", 20, 123_450, dt.date(2028, 7, 20), dt.date(2027, 2, 8)),
        "snowball": plan("snowball", 21, 130_000, dt.date(2028, 8, 20), dt.date(2027, 1, 8)),
        "schedule": plan("schedule", 60, 900_000, dt.date(2031, 10, 20), None),
    }
    columns = plan_columns(plans, "CNY")
    avalanche, schedule = columns["avalanche"], columns["schedule"]
    assert (avalanche.label, avalanche.months, avalanche.debt_free) == ("Avalanche", "20", "2028-07-20")
    assert (avalanche.interest, avalanche.saved, avalanche.sooner) == ("1,234.50", "7,765.50", "40")
    assert avalanche.payoffs == ("2028-07-20", "2027-02-08")
    assert (columns["snowball"].saved, columns["snowball"].sooner) == ("7,700.00", "39")
    assert (schedule.label, schedule.saved, schedule.sooner, schedule.payoffs) == ("Schedule only", "-", "-", ("2031-10-20", "-"))
    assert paying_text(2_000_000, "CNY", TODAY) == "Paying ¥20,000.00 a month from 2026-11-15"


def test_the_months_over_budget_name_six_then_count_the_rest():
    """Six months by name, then how many more, in the language's own way (in Chinese: no space after "）")."""
    from tracker.i18n import load_catalog
    from tracker.payoff import Plan
    from tracker.present.plan import short_months_text

    def plan(n: int) -> Plan:
        months = tuple((dt.date(2026, m, 1), 500_000 + m) for m in range(1, n + 1))
        return Plan("avalanche", 12, None, 0, (), short_months=months)

    assert short_months_text(plan(6), "CNY").endswith("2026-06 (¥5,000.06).")
    assert short_months_text(plan(7), "CNY").endswith("2026-06 (¥5,000.06) and 1 more month.")
    assert short_months_text(plan(9), "CNY").endswith("2026-06 (¥5,000.06) and 3 more months.")
    assert load_catalog("zh")["{months} and {n} more months"] == "{months}，另有 {n} 个月"


def test_a_list_sorted_by_status_shows_the_longest_overdue_first_and_closed_last():
    overdue = loan_row(car_view())
    assert overdue.status == "overdue" and overdue.days_overdue > 0
    less = replace(overdue, days_overdue=overdue.days_overdue - 10)
    active = replace(overdue, status="active", days_overdue=0)
    closed = loan_row(car_view([*PAID, *(Repayment(loan_id=7, date=TODAY, amount=100_000, id=10 + k) for k in range(4))]))
    rows = [closed, active, less, overdue]
    assert sorted(rows, key=lambda r: r.sort_key("status")) == [overdue, less, active, closed]


def test_a_quoted_rate_is_shown_while_it_is_the_one_in_force():
    """0.05% a day is 18.25% a year: said beside it; after a change to 12% from September, the old quote is not."""
    from tracker.present.loans import rate_text

    loan = Loan("Q", "app", "equal-installment", 2_000_000, Decimal("18.25"), dt.date(2026, 4, 8), dt.date(2026, 5, 8), 12,
                rate_unit="daily", quoted_rate=Decimal("0.05"), rate_changes=((dt.date(2026, 9, 8), Decimal(12)),))  # fmt: skip
    assert rate_text(loan, dt.date(2026, 8, 15)) == "18.25% (0.05%/day)"
    assert rate_text(loan, dt.date(2026, 11, 15)) == "12.00%"
