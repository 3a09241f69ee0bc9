"""Time the everyday commands as whole processes on a large database; medians and peak memory.

Run: python bench/run.py [DB] [--runs 5] [--write bench/RESULTS.md]
Without DB it builds one with bench/generate.py defaults (1,000 loans, 100,000 repayments).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = [
    ["--help"],
    ["loan", "list", "--json"],
    ["loan", "show", "1", "--json"],
    ["dti", "--json"],
    ["remind", "--json"],
    ["plan", "--budget", "100000000", "--json"],
    ["check"],
]
PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def run(args: list[str], env: dict[str, str], runs: int) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["debt", *args], env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    peak = subprocess.run([sys.executable, "-c", PEAK, "debt", *args], env=env, capture_output=True, text=True)
    return statistics.median(times), int(peak.stdout.strip() or 0) // 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.db"
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(db)], check=True)
        env = {**os.environ, "DEBT_TRACKER_DB": str(db), "DEBT_TRACKER_TODAY": "2026-11-15"}
        rows = []
        for cmd in COMMANDS:
            median, peak = run(cmd, env, args.runs)
            rows.append((" ".join(cmd), median, peak))
        # a write: a repayment to a loan with room left (copy so the database is unchanged)
        copy = Path(tmp) / "repay.db"
        shutil.copy(db, copy)
        median, peak = run(["repay", "2", "1", "--allow-overpay"], {**env, "DEBT_TRACKER_DB": str(copy)}, args.runs)
        rows.append(("repay 2 1", median, peak))
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}",
        "",
        "| command | median s | peak MB |",
        "|---|---|---|",
    ]
    lines += [f"| `debt {name}` | {median:.3f} | {peak} |" for name, median, peak in rows]
    print("\n".join(lines))
    if args.write:
        args.write.write_text("# Benchmark results\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
