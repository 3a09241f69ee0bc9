"""Build a large database through the public import path: N loans with years of history.

Run: python bench/generate.py OUT.db [--loans 1000] [--repayments 100000]
Prints how long `debt import` took and its peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from process import ROOT, Run, debt, debt_env, timed

sys.path.insert(0, str(ROOT))  # the tracker of this checkout, not whichever is installed

from tracker.dates import add_months  # noqa: E402
from tracker.models import Loan  # noqa: E402
from tracker.money import to_str  # noqa: E402
from tracker.schedule import build_schedule  # noqa: E402

METHODS = ["equal-installment", "equal-installment", "equal-principal", "interest-only", "flat-fee"]


def records(loans: int, per_loan: int, seed: int = 7) -> Iterator[tuple[dict, list[dict]]]:
    """Each loan's export record with its first `per_loan` installments paid on their due dates."""
    rnd = random.Random(seed)
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
        record = {
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
        reps = []
        for inst in build_schedule(loan)[:per_loan]:
            reps.append(
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
        yield record, reps


def build(loans: int, repayments: int, seed: int = 7) -> dict:
    """The whole export as one dict (fine up to a few hundred thousand repayments)."""
    out_loans, out_reps = [], []
    for record, reps in records(loans, max(1, repayments // loans), seed):
        out_loans.append(record)
        out_reps.extend(reps)
    return {"format": "debt-tracker", "version": 1, "loans": out_loans, "repayments": out_reps, "settings": {}}


def write_export(path: Path, loans: int, per_loan: int, seed: int = 7) -> None:
    """The same export as build() gives, written loan by loan so a million repayments never sit in memory.

    The loans are written to a side file first, then appended after the repayments' array."""
    dump = dict(ensure_ascii=False, separators=(",", ":"))
    tail = path.with_name(path.name + ".loans")
    with path.open("w", encoding="utf-8") as out, tail.open("w+", encoding="utf-8") as side:
        out.write('{"format":"debt-tracker","version":1,"settings":{},"repayments":[')
        first_rep = True
        for n, (record, reps) in enumerate(records(loans, per_loan, seed)):
            side.write(("," if n else "") + json.dumps(record, **dump))
            for rep in reps:
                out.write(("" if first_rep else ",") + json.dumps(rep, **dump))
                first_rep = False
        out.write('],"loans":[')
        side.seek(0)
        while chunk := side.read(1 << 20):
            out.write(chunk)
        out.write("]}")
    tail.unlink()


def import_export(db: Path, src: Path) -> Run:
    """`debt import SRC` into DB as a whole process: seconds taken and peak memory (error set when it failed)."""
    return timed(debt("import", str(src)), debt_env(db), timeout=24 * 3600)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--loans", type=int, default=1000)
    parser.add_argument("--repayments", type=int, default=100_000)
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} exists")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.json"
        start = time.perf_counter()
        write_export(src, args.loans, max(1, args.repayments // args.loans))
        built = time.perf_counter() - start
        size_mb = src.stat().st_size / 1e6
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"wrote the export ({size_mb:.0f} MB) in {built:.1f} s, peak {peak} MB")
        done = import_export(args.out.resolve(), src)
    if done.error:
        sys.exit(f"debt import failed: {done.error}")
    print(f"imported {args.loans} loans and {args.repayments} repayments in {done.seconds:.2f} s, peak {done.peak_mb} MB")


if __name__ == "__main__":
    main()
