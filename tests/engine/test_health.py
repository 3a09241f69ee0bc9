"""Credit health in the engine: tracker.dti, tracker.reminders and tracker.audit called directly.
Every rule is tested on both sides of its boundary; the same through `debt`: cli/test_cli_health.py.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from dateutil.relativedelta import relativedelta
from helpers import TODAY

from tracker import audit as audit_rules
from tracker import dti as dti_engine
from tracker import reminders as rem
from tracker.ledger import evaluate
from tracker.models import AuditItem, CreditCheck, Income, Loan, Repayment

D = dt.date
TODAY_DATE = D.fromisoformat(TODAY)  # 2026-11-15
MONEY = re.compile(r"^\d+\.\d{2}$")
FOUR = Decimal("0.0001")
N_BUILT_IN = len(audit_rules.TEMPLATES)


# -- helpers -----------------------------------------------------------------------------------


def bullet(name: str, amount: str, due: str) -> list[str]:
    """`loan add` argv for an interest-free loan repaid in one payment of `amount` on `due`."""
    first = D.fromisoformat(due)
    return [
        "loan", "add", name, "--lender", "Friend", "--principal", amount, "--rate", "0", "--term", "1",
        "--method", "bullet", "--start", (first - relativedelta(months=1)).isoformat(), "--first-due", due,
    ]  # fmt: skip


# == engine: tracker.dti =======================================================================
def flat_state(per_month: int, months: int, first_due: dt.date, *, loan_id: int = 1, reps=(), today=TODAY_DATE, **kw):
    """An interest-free loan (minor units) as of today."""
    loan = Loan(
        name=f"loan {loan_id}",
        lender="Bank",
        method=kw.pop("method", "equal-principal"),
        principal=per_month * months,
        annual_rate=Decimal(0),
        start_date=first_due - relativedelta(months=1),
        first_due_date=first_due,
        term_months=months,
        id=loan_id,
        **kw,
    )
    return evaluate(loan, list(reps), today)


CAUTION, WARN = Decimal("0.40"), Decimal("0.50")


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (None, "no-income"),
        (Decimal("0"), "ok"),
        (Decimal("0.3999"), "ok"),
        (Decimal("0.4000"), "ok"),
        (Decimal("0.4001"), "caution"),
        (Decimal("0.5000"), "caution"),
        (Decimal("0.5001"), "warning"),
        (Decimal("3"), "warning"),
    ],
)
def test_classify(ratio: Decimal | None, status: str) -> None:
    assert dti_engine.classify(ratio, CAUTION, WARN) == status


@pytest.mark.parametrize(
    ("obligations", "income", "ratio"),
    [
        (1, 3, "0.3333"),
        (2, 3, "0.6667"),
        (1, 8, "0.1250"),
        (100050, 1000000, "0.1001"),
        (100049, 1000000, "0.1000"),
        (0, 5, "0"),
        (7, 0, None),
        (7, -1, None),
    ],
)
def test_ratio_of(obligations: int, income: int, ratio: str | None) -> None:
    got = dti_engine.ratio_of(obligations, income)
    # exact, so statuses compare the true ratio; the figure shown is rounded half-up to 4 decimals
    shown = None if got is None else got.quantize(FOUR, rounding=ROUND_HALF_UP)
    assert shown == (None if ratio is None else Decimal(ratio))
    if got is not None:
        assert abs(got * income - obligations) < Decimal("1e-20")


def test_income_in_month_bounds() -> None:
    nov = D(2026, 11, 1)
    incomes = [
        Income("from last day", 1, D(2026, 11, 30)),
        Income("from next month", 10, D(2026, 12, 1)),
        Income("to first day", 100, D(2026, 1, 1), D(2026, 11, 1)),
        Income("to previous month", 1000, D(2026, 1, 1), D(2026, 10, 31)),
        Income("open", 10000, D(2020, 1, 1)),
    ]
    assert dti_engine.income_in(incomes, nov) == 10101
    assert dti_engine.income_in(incomes, D(2026, 12, 1)) == 10011
    assert dti_engine.income_in(incomes, D(2026, 10, 1)) == 11100
    assert dti_engine.income_in([], nov) == 0
    assert dti_engine.month_end(D(2028, 2, 1)) == D(2028, 2, 29)
    assert dti_engine.month_start(D(2026, 11, 15)) == nov


def test_contributions_month_bounds_largest_first_closed_counted_in_its_months() -> None:
    nov = D(2026, 11, 1)
    month_ends = flat_state(10000, 12, D(2026, 1, 31), loan_id=1)  # ..., 11-30, 12-31
    firsts = flat_state(1000, 12, D(2026, 1, 1), loan_id=2)  # ..., 11-01, 12-01
    closed = flat_state(50000, 1, D(2026, 11, 5), loan_id=3, method="bullet", reps=[Repayment(3, D(2026, 11, 5), 50000, id=1)])
    assert closed.status == "closed"
    got = dti_engine.contributions([firsts, closed, month_ends], nov)
    # the loan repaid on its due date in November was that month's payment: paid off, it still counts there
    assert [(st.loan.id, amount) for st, amount in got] == [(3, 50000), (1, 10000), (2, 1000)]
    assert [st.loan.id for st, _a in dti_engine.contributions([firsts, closed, month_ends], D(2026, 12, 1))] == [1, 2]
    # a paid installment still counts while the loan is open
    paid = flat_state(1000, 12, D(2026, 1, 1), loan_id=2, reps=[Repayment(2, D(2026, 11, 1), 1000 * 11, id=1)])
    assert paid.status == "active" and dti_engine.contributions([paid], nov)[0][1] == 1000
    assert dti_engine.contributions([firsts], D(2027, 1, 1)) == []  # its last installment was 2026-12-01


def test_contributions_of_a_revolving_loan_is_its_minimum_payment() -> None:
    loan = Loan(
        name="card",
        lender="CMB",
        method="revolving",
        principal=500000,
        annual_rate=Decimal(18),
        start_date=D(2026, 10, 1),
        first_due_date=D(2026, 11, 1),
        min_payment_rate=Decimal(10),
        id=7,
    )
    state = evaluate(loan, [], TODAY_DATE)
    ((st, amount),) = dti_engine.contributions([state], D(2026, 11, 1))
    assert amount == 50000 + 7500  # 10% of the balance plus a month's interest at 18%
    assert amount == state.schedule[0].installment.total


def test_month_dti_extra_and_series() -> None:
    states = [flat_state(100000, 24, D(2026, 1, 10))]
    incomes = [Income("salary", 250000, D(2026, 1, 1))]
    m = dti_engine.month_dti(states, incomes, D(2026, 11, 1), CAUTION, WARN)
    assert (m.income, m.obligations, m.ratio, m.status) == (250000, 100000, Decimal("0.4"), "ok")
    extra = dti_engine.month_dti(states, incomes, D(2026, 11, 1), CAUTION, WARN, extra=1)
    assert (extra.obligations, extra.ratio, extra.status) == (
        100001,
        Decimal("0.4000"),
        "caution",
    )  # shown rounded to the line, judged exactly: above it
    extra = dti_engine.month_dti(states, incomes, D(2026, 11, 1), CAUTION, WARN, extra=25000)
    assert (extra.ratio, extra.status) == (Decimal("0.5"), "caution")
    history, projection = dti_engine.series(states, incomes, D(2026, 11, 1), 3, CAUTION, WARN)
    assert [h.month for h in history] == [D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1)]
    assert [p.month for p in projection] == [D(2026, 12, 1), D(2027, 1, 1), D(2027, 2, 1)]


def test_back_below_boundary() -> None:
    states = [
        flat_state(500000, 24, D(2026, 1, 10), loan_id=1),
        flat_state(100000, 12, D(2026, 2, 20), loan_id=2),  # last 2027-01-20
        flat_state(100, 1, D(2027, 2, 5), loan_id=3, method="bullet"),  # 2027-02 only
    ]
    incomes = [Income("salary", 1000000, D(2026, 1, 1))]
    nov = D(2026, 11, 1)
    assert dti_engine.month_dti(states, incomes, nov, CAUTION, WARN).status == "warning"
    assert dti_engine.month_dti(states, incomes, D(2027, 2, 1), CAUTION, WARN).ratio == Decimal("0.5001")
    assert dti_engine.back_below(states, incomes, nov, CAUTION, WARN) == D(2027, 3, 1)
    # only later months: a month already at the line does not answer for itself
    assert dti_engine.back_below(states, incomes, D(2027, 3, 1), CAUTION, WARN) == D(2027, 4, 1)
    # months without income and with a payment never count as back below; the first without a payment does
    gone = [Income("s", 1000000, D(2026, 1, 1), D(2026, 12, 31))]
    assert dti_engine.back_below(states, gone, nov, CAUTION, WARN) == D(2028, 1, 1)  # loan 1's last is 2027-12-10


# == engine: tracker.reminders =================================================================
def check(day: str) -> CreditCheck:
    return CreditCheck(D.fromisoformat(day))


@pytest.mark.parametrize(
    ("checks", "today", "due", "date"),
    [
        ([], "2026-01-14", False, "2026-01-15"),
        ([], "2026-01-15", True, "2026-01-15"),
        ([], "2026-06-30", True, "2026-01-15"),
        ([], "2026-07-01", False, "2026-07-15"),
        ([], "2026-07-14", False, "2026-07-15"),
        ([], "2026-07-15", True, "2026-07-15"),
        (["2026-07-20"], "2026-07-20", False, "2027-01-15"),
        (["2026-01-20"], "2026-06-30", False, "2026-07-15"),
        (["2026-01-20"], "2026-07-15", True, "2026-07-15"),
        (["2025-12-31"], "2026-01-15", True, "2026-01-15"),
        (["2026-03-01", "2026-07-20"], "2026-07-20", False, "2027-01-01"),
        (["2026-02-01", "2026-03-01"], "2026-07-15", False, "2027-01-01"),
        (["2026-02-01", "2026-03-01"], "2026-12-31", False, "2027-01-01"),
        (["2026-02-01", "2026-03-01"], "2027-01-15", True, "2027-01-15"),
    ],
)
def test_credit_check_plan(checks: list[str], today: str, due: bool, date: str) -> None:
    got = rem.credit_check_plan([check(c) for c in checks], D.fromisoformat(today))
    assert (got.due, got.date.isoformat()) == (due, date)
    assert got.reason


def test_credit_check_plan_with_another_rule() -> None:
    rule = "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1"
    assert rem.credit_check_plan([], D(2026, 2, 28), rule).due is False
    assert rem.credit_check_plan([], D(2026, 3, 1), rule).due is True
    assert rem.credit_check_plan([], D(2026, 8, 31), rule).date == D(2026, 9, 1)


def no_checks_due() -> list[CreditCheck]:
    return [check(TODAY)]


def test_reminders_within_boundary_and_order() -> None:
    states = [
        flat_state(10000, 3, D(2026, 11, 23), loan_id=4),
        flat_state(10000, 3, D(2026, 11, 22), loan_id=3),
        flat_state(10000, 3, D(2026, 11, 15), loan_id=2),
        flat_state(10000, 3, D(2026, 11, 10), loan_id=1, reps=[Repayment(1, D(2026, 11, 12), 4000, id=1)]),
    ]
    got = rem.reminders(states, no_checks_due(), [], TODAY_DATE, within_days=7)
    assert [(r.kind, r.date, r.loan_id, r.amount) for r in got] == [
        ("overdue", D(2026, 11, 10), 1, 6000),
        ("due", D(2026, 11, 15), 2, 10000),
        ("due", D(2026, 11, 22), 3, 10000),
    ]
    assert got[0].days_overdue == 5 and got[1].days_overdue is None
    wider = rem.reminders(states, no_checks_due(), [], TODAY_DATE, within_days=8)
    assert [r.loan_id for r in wider] == [1, 2, 3, 4]
    today_only = rem.reminders(states, no_checks_due(), [], TODAY_DATE, within_days=0)
    assert [r.loan_id for r in today_only] == [1, 2]


def test_reminders_check_and_audit_items() -> None:
    items = [
        AuditItem("App", "never done", id=1),
        AuditItem("App", "done 90 days ago", status="done", last_done=TODAY_DATE - dt.timedelta(days=90), id=2),
        AuditItem("App", "done 89 days ago", status="done", last_done=TODAY_DATE - dt.timedelta(days=89), id=3),
        AuditItem("App", "skipped", status="skipped", id=4),
        AuditItem("App", "skipped after done", status="skipped", last_done=D(2020, 1, 1), id=5),
    ]
    got = rem.reminders([], [], items, TODAY_DATE)
    assert [(r.kind, r.date, r.item_id) for r in got] == [
        ("credit-check", D(2026, 7, 15), None),
        ("audit", TODAY_DATE, 1),
        ("audit", TODAY_DATE, 2),
    ]
    assert rem.reminders([], no_checks_due(), items, TODAY_DATE, audit_interval_days=89)[-1].item_id == 3
    assert rem.reminders([], no_checks_due(), [], TODAY_DATE) == []


# == engine: tracker.audit =====================================================================
@pytest.mark.parametrize(("days", "due"), [(0, False), (89, False), (90, True), (91, True), (3650, True)])
def test_audit_is_due_after_the_interval(days: int, due: bool) -> None:
    done = D(2026, 8, 17)
    item = AuditItem("App", "perm", status="done", last_done=done)
    assert audit_rules.due_date(item, 90) == D(2026, 11, 15)
    assert audit_rules.is_due(item, done + dt.timedelta(days=days), 90) is due


def test_audit_never_done_and_skipped() -> None:
    fresh = AuditItem("App", "perm")
    assert audit_rules.due_date(fresh, 90) == D.min
    assert audit_rules.is_due(fresh, D(1900, 1, 1), 90)
    skipped = AuditItem("App", "perm", status="skipped", last_done=D(2020, 1, 1))
    assert audit_rules.due_date(skipped, 90) is None
    assert not audit_rules.is_due(skipped, D(2200, 1, 1), 90)


def _checklist() -> list[AuditItem]:
    """Six items on 2026-11-15 with a 90-day interval: the ids say what each is, listed out of order."""
    return [
        AuditItem("A", "skipped long ago", status="skipped", last_done=D(2020, 1, 1), id=1),
        AuditItem("A", "checked this month", status="done", last_done=D(2026, 11, 1), id=2),
        AuditItem("A", "never checked", id=3),
        AuditItem("A", "checked, due again today", status="done", last_done=D(2026, 8, 17), id=4),
        AuditItem("A", "skipped", status="skipped", id=5),
        AuditItem("A", "checked yesterday", status="done", last_done=D(2026, 11, 14), id=6),
    ]


def test_audit_order_due_then_checked_then_not_applicable() -> None:
    order = [i.id for i in audit_rules.ordered(_checklist(), TODAY_DATE, 90)]
    assert order == [3, 4, 2, 6, 1, 5]
    # a day before item 4 falls due it is checked, and moves down among the checked
    assert [i.id for i in audit_rules.ordered(_checklist(), D(2026, 11, 14), 90)] == [3, 2, 4, 6, 1, 5]


def test_audit_progress_counts_the_checked_of_the_applicable() -> None:
    assert audit_rules.progress(_checklist(), TODAY_DATE, 90) == audit_rules.AuditProgress(done=2, total=4, skipped=2)
    assert audit_rules.progress(_checklist(), D(2026, 11, 14), 90) == audit_rules.AuditProgress(done=3, total=4, skipped=2)
    assert audit_rules.progress([], TODAY_DATE, 90) == audit_rules.AuditProgress(done=0, total=0, skipped=0)
    checked = [i.id for i in _checklist() if audit_rules.is_checked(i, TODAY_DATE, 90)]
    assert checked == [2, 6]


def test_built_in_items() -> None:
    items = audit_rules.built_in_items()
    assert len(items) == N_BUILT_IN
    assert len({i.template for i in items}) == len(items)
    assert all(i.status == "open" and i.last_done is None and i.instruction and i.why for i in items)
    own = AuditItem("借呗", "contacts", "my own words")
    assert audit_rules.localised(own) is own
    shown = audit_rules.localised(items[0])
    assert (shown.template, shown.status) == (items[0].template, "open")
