"""Run one whole process and measure it: seconds and peak memory (the bench scripts share this).

The peak is the process's own high-water mark, read by a small Python parent that waits for it: a child
started straight from a big process would report that process's memory as its own (Linux carries the
high-water mark over fork and exec), so figures under about 10 MB are that parent's floor.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-15"

# argv: RESULT_FILE COMMAND...; writes "seconds exit_code peak_kb" to RESULT_FILE
WAITER = """\
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
took = time.perf_counter() - start
with open(sys.argv[1], "w") as fh:
    fh.write(f"{took} {os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


@dataclass
class Run:
    seconds: float
    peak_mb: int
    error: str = ""  # what the process said when it failed; "" when it did not


def debt(*args: str) -> list[str]:
    """This checkout's `debt` (run with debt_env, which puts the checkout first on the path)."""
    return [sys.executable, "-m", "tracker", *args]


def debt_env(db: Path) -> dict[str, str]:
    """The environment of a timed `debt`: this checkout first on the path, the database and the bench's day.

    Without PYTHONDONTWRITEBYTECODE, and with the checkout compiled once (``compile_checkout``): an installed
    program has its bytecode; compiling every module on every run would add about 0.15 s to each figure."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": path, "DEBT_TRACKER_DB": str(db), "DEBT_TRACKER_TODAY": TODAY}


def compile_checkout() -> None:
    """Write the bytecode of this checkout's tracker and tui (as pip does when it installs a package)."""
    import compileall

    for package in ("tracker", "tui"):
        compileall.compile_dir(ROOT / package, quiet=1)


def timed(argv: list[str], env: dict[str, str], timeout: float = 1800) -> Run:
    """Run argv once in the repository root, its output to files; stopped (with its children) after timeout s."""
    with tempfile.TemporaryDirectory() as tmp:
        result, out, err = Path(tmp) / "result", Path(tmp) / "out", Path(tmp) / "err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            waiter = subprocess.Popen(
                [sys.executable, "-c", WAITER, str(result), *argv],
                env=env,
                cwd=ROOT,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,  # a process group, so a timeout stops the command too
            )
            timer = threading.Timer(timeout, os.killpg, (waiter.pid, signal.SIGKILL))
            timer.start()
            waiter.wait()
            timer.cancel()
        if not result.exists():
            return Run(timeout, 0, f"stopped after {timeout:g} s")
        took, code, peak_kb = result.read_text().split()
        run = Run(float(took), int(peak_kb) // 1024)
        if int(code) != 0:
            said = err.read_text(errors="replace").strip() or out.read_text(errors="replace").strip()
            run.error = f"exit {code}: " + " / ".join(said.splitlines()[-3:])
        return run
