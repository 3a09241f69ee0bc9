"""Build a large database through the public import path: N loans with years of history.

Run: python bench/generate.py OUT.db [--loans 1000] [--repayments 100000]
Prints how long `debt import` took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from tracker.dates import add_months
from tracker.models import Loan
from tracker.money import to_str
from tracker.schedule import build_schedule

METHODS = ["equal-installment", "equal-installment", "equal-principal", "interest-only", "flat-fee"]


def build(loans: int, repayments: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    per_loan = max(1, repayments // loans)
    out_loans, out_reps = [], []
    rep_id = 1
    for n in range(1, loans + 1):
        method = METHODS[n % len(METHODS)]
        start = dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 15))
        term = 360
        principal = rnd.randrange(10_000, 2_000_000) * 100
        rate = Decimal(rnd.randrange(250, 2400)) / 100
        loan = Loan(
            f"loan {n} 贷款",
            f"lender {n % 37}",
            method,
            principal,
            rate,
            start,
            add_months(start, 1),
            term,
            fee_rate=Decimal("0.6") if method == "flat-fee" else Decimal(0),
            id=n,
        )
        out_loans.append(
            {
                "id": n,
                "name": loan.name,
                "lender": loan.lender,
                "kind": "other",
                "method": method,
                "currency": "CNY",
                "principal": to_str(principal),
                "received": None,
                "annual_rate": str(rate),
                "rate_unit": "annual",
                "quoted_rate": None,
                "fee_rate": str(loan.fee_rate),
                "min_payment_rate": "10",
                "term_months": term,
                "start_date": start.isoformat(),
                "first_due_date": loan.first_due_date.isoformat(),
                "notes": "",
            }
        )
        schedule = build_schedule(loan)
        for inst in schedule[:per_loan]:
            out_reps.append(
                {
                    "id": rep_id,
                    "loan_id": n,
                    "date": inst.due_date.isoformat(),
                    "amount": to_str(inst.total),
                    "currency": "CNY",
                    "note": "",
                    "prepay": False,
                    "keep_term": False,
                    "source": "",
                    "source_ref": "",
                }
            )
            rep_id += 1
    return {"format": "debt-tracker", "version": 1, "loans": out_loans, "repayments": out_reps, "settings": {}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--loans", type=int, default=1000)
    parser.add_argument("--repayments", type=int, default=100_000)
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} exists")
    data = build(args.loans, args.repayments)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.json"
        src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(["debt", "--db", str(args.out), "import", str(src)], check=True)
        took = time.perf_counter() - start
    print(f"imported {len(data['loans'])} loans and {len(data['repayments'])} repayments in {took:.2f} s")


if __name__ == "__main__":
    main()
