"""Time `debt statement import` of a large WeChat Pay bill: every row a repayment matched by a rule.

Run: python bench/statements.py [--rows 2000 10000]
Prints, for each size, the seconds a whole `statement import --yes` process takes (the rows
are checked and recorded in one transaction) and the repayments it recorded.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from test_statements import wechat_csv  # noqa: E402  (the test suite's fixture writer)


def bill(rows: int) -> bytes:
    lines = []
    for n in range(rows):
        day = 1 + n % 28
        lines.append(
            f"2025-03-{day:02d} 10:{n // 60 % 60:02d}:{n % 60:02d},信用卡还款,测试贷款还款,/,/,¥1.00,零钱,支付成功,"
            f"42{n:014d}\t,10{n:014d}\t,/"
        )
    return wechat_csv(lines)


def debt(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBT_TRACKER_DB": str(db), "DEBT_TRACKER_TODAY": "2025-04-01"}
    return subprocess.run(["debt", *args], env=env, capture_output=True, text=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 10000])
    args = parser.parse_args()
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            debt(db, "loan", "add", "测试贷款", "--lender", "测试", "--principal", "1000000", "--rate", "0",
                 "--method", "revolving", "--start", "2025-01-01")  # fmt: skip
            debt(db, "loan", "match", "1", "--counterparty", "测试贷款")
            path = Path(tmp) / "bill.csv"
            path.write_bytes(bill(rows))
            start = time.perf_counter()
            done = debt(db, "statement", "import", str(path), "--yes", "--json")
            took = time.perf_counter() - start
            recorded = done.stdout.count('"order_id"') if done.returncode == 0 else f"failed: {done.stderr.strip()}"
            print(f"statement import, {rows:>6} rows: {took:6.2f} s  ({recorded} recorded)")


if __name__ == "__main__":
    main()
