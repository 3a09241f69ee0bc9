"""Rebuild tracker/sample_data/household.json: a realistic household as of AS_OF.

Run: python scripts/make_sample.py. Repayments follow each loan's own schedule, so the
file stays consistent with the engine's rounding.
"""

from __future__ import annotations

import datetime as dt
import json

from tracker.inputs import LoanInput, build_loan
from tracker.ledger import evaluate
from tracker.money import to_str
from tracker.sample import SAMPLE_FILE
from tracker.service.exchange import export_data
from tracker.service.health import add_income, audit_done, audit_items, audit_skip, log_credit_check
from tracker.service.loans import add_loan
from tracker.service.repayments import record_repayment
from tracker.store import Store

AS_OF = dt.date(2026, 11, 15)

LOANS = [
    LoanInput(
        name="房贷 Home mortgage",
        lender="工商银行 ICBC",
        principal="1,200,000",
        lpr_spread="-110",
        reprice="01-01",
        term=360,
        method="equal-installment",
        start="2021-06-20",
        kind="mortgage",
        notes="首套房, 五年期 LPR 减 110 个基点, 每年 1 月 1 日重定价",
    ),
    LoanInput(
        name="车贷 Car loan",
        lender="招商银行 CMB",
        principal="150,000",
        rate="4.2",
        term=36,
        method="equal-principal",
        start="2024-09-10",
        kind="car",
    ),
    LoanInput(
        name="信用卡分期 Card instalments",
        lender="招商银行信用卡 CMB Card",
        principal="24,000",
        fee_rate="0.6",
        term=12,
        method="flat-fee",
        start="2026-03-05",
        kind="credit-card",
        notes="手机分期, 每期手续费 0.6%",
    ),
    LoanInput(
        name="网贷 Quick Cash",
        lender="某借贷平台 LendApp",
        principal="20,000",
        received="19,400",
        daily_rate="0.05",
        term=12,
        method="equal-installment",
        start="2026-04-08",
        kind="online-platform",
        notes="放款时扣服务费 600 元; 日利率万分之五",
    ),
    LoanInput(
        name="借老王的钱 Loan from Wang",
        lender="王强 Wang Qiang",
        principal="30,000",
        rate="0",
        term=12,
        method="bullet",
        start="2026-02-01",
        kind="personal",
        notes="无息, 一年内还清",
    ),
    LoanInput(
        name="信用卡账单 Card balance",
        lender="建设银行信用卡 CCB Card",
        principal="8,500",
        daily_rate="0.05",
        method="revolving",
        start="2026-10-01",
        first_due="2026-10-25",
        kind="credit-card",
    ),
]

# installments paid on time up to (and including) this date; later ones are unpaid
PAID_THROUGH = {0: "2026-10-20", 1: "2026-11-10", 2: "2026-11-05", 3: "2026-09-08", 5: "2026-10-25"}


def main() -> None:
    store = Store.memory()
    for n, data in enumerate(LOANS):
        state = add_loan(store, build_loan(data), AS_OF)
        loan = state.loan
        last = dt.date.fromisoformat(PAID_THROUGH[n]) if n in PAID_THROUGH else None
        if last:
            for s in evaluate(loan, [], AS_OF).schedule:
                if s.installment.due_date > last:
                    break
                record_repayment(
                    store, loan.id, to_str(s.installment.total, loan.currency), AS_OF, date=s.installment.due_date.isoformat()
                )
        if n == 4:  # the friend got part of his money back early
            record_repayment(store, loan.id, "5000", AS_OF, date="2026-08-18", note="先还一部分 part repaid", prepay=True)
    add_income(store, "工资 Salary", "18,000", start="2024-01-01", end=None, today=AS_OF)
    add_income(store, "兼职 Side job", "3,000", start="2026-06-01", end="2027-05-31", today=AS_OF)
    log_credit_check(
        store,
        AS_OF,
        date="2026-02-03",
        channel="云闪付 UnionPay app",
        findings="6 accounts, no overdue; 1 query by 某借贷平台",
        anomalies="0",
    )
    items = audit_items(store)
    for item in items[:3]:
        audit_done(store, item.id, AS_OF, "2026-09-20")
    audit_skip(store, items[-1].id)
    data = export_data(store)
    data["as_of"] = AS_OF.isoformat()
    SAMPLE_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {SAMPLE_FILE}: {len(data['loans'])} loans, {len(data['repayments'])} repayments")


if __name__ == "__main__":
    main()
