"""Time everyday commands as whole processes on the sample data; prints medians.

Run: python bench/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tracker.sample import SAMPLE_FILE

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7


def timed(args: list[str], env: dict[str, str]) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(["debt", *args], env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as installed: with bytecode
        env = {**env, "DEBT_TRACKER_DB": str(Path(tmp) / "bench.db"), "DEBT_TRACKER_TODAY": "2026-11-15"}
        subprocess.run(["debt", "import", str(SAMPLE_FILE)], env=env, check=True, capture_output=True)
        print(f"{'command':<32} median of {RUNS}")
        for args in (["--help"], ["loan", "list"], ["loan", "list", "--json"], ["loan", "show", "1"], ["repayment", "list"]):
            print(f"debt {' '.join(args):<27} {timed(args, env) * 1000:7.0f} ms")
        # repay writes: the same payment each run, so --again (without it, the second is refused as typed twice)
        print(f"{'debt repay 2 100 --again':<32} {timed(['repay', '2', '100', '--again'], env) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
