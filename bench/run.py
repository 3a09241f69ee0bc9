"""Every figure the performance goals need, in one run: the commands as whole processes, the import, the app,
and hledger / ledger on the same data, on the sample household and on databases of growing size.

Run: python bench/run.py [--sizes 100,1000,10000] [--runs 5] [--runs-large 3] [--cache DIR] [--write bench/RESULTS.md]
     python bench/run.py DB ...   also measures an existing database (every figure but the import)

Each size is a database of that many loans with 100 repayments each, built through `debt import` of an
export from bench/generate.py; with --cache the exports and databases are kept there and reused. Figures
are medians of --runs runs (--runs-large from 10,000 loans on) and the peak memory of the process. hledger
and ledger (`apt-get install hledger ledger`) read the database's `debt export --format ledger` journal; they
are skipped with a note when they are not installed. Progress goes to stderr, the report (markdown) to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import import_export, write_export  # noqa: E402  (this checkout's tracker too)
from process import ROOT, TODAY, compile_checkout, debt, debt_env, timed  # noqa: E402
from tui_startup import sample_db  # noqa: E402

from tracker.sample import SAMPLE_FILE  # noqa: E402

PER_LOAN = 100  # repayments per loan
LARGE = 10_000  # from this many loans on, --runs-large applies
COMMANDS = {
    "--help": ["--help"],
    "loan list --json": ["loan", "list", "--json"],
    "loan list": ["loan", "list"],
    "loan show 1 --json": ["loan", "show", "1", "--json"],
    "loan show 1": ["loan", "show", "1"],
    "remind --json": ["remind", "--json"],
    "dti --json": ["dti", "--json"],
    "plan --budget BUDGET --json": ["plan", "--budget", "BUDGET", "--json"],  # BUDGET: --budget
    "check": ["check"],
}
WRITE = "repay 2 1 --allow-overpay --again"  # timed on a copy (the database is unchanged), the same payment each run
IMPORT = "import (fresh database)"
ANCHORS = {"hledger bal": "hledger", "ledger bal": "ledger"}
PAINT, LOANS, APP = "app: first painted dashboard", "app: loans list open", "app (one process, both figures)"
READS = ["loan list --json", "loan list", "loan show 1 --json", "loan show 1", "remind --json", "dti --json"]
DEBT_ROWS = [*COMMANDS, WRITE, IMPORT]


@dataclass
class Figure:
    seconds: float | None = None
    peak_mb: int | None = None
    error: str = ""


@dataclass
class Column:
    label: str
    db: Path
    runs: int
    source: Path | None = None  # the export its import is timed with
    built: Figure | None = None  # the import that built it in this run: one of the import's samples
    budget: str = ""  # the plan's budget, when worked out for this database
    figures: dict[str, Figure] = field(default_factory=dict)


@dataclass
class Goal:
    column: str
    row: str
    kind: str  # "time" (under limit s), "memory" (under limit MB), "hledger" (at least limit x faster), "ledger" (faster)
    limit: float = 0

    def where(self) -> str:
        return "the sample household" if self.column == "sample" else f"{self.column} loans"

    def text(self) -> str:
        return {
            "time": f"< {self.limit:g} s",
            "memory": f"< {self.limit:g} MB",
            "hledger": f">= {self.limit:g}x faster than hledger bal",
            "ledger": "faster than ledger bal",
        }[self.kind]


def goals() -> list[Goal]:
    out = [Goal("sample", "--help", "time", 0.15), Goal("sample", PAINT, "time", 0.5)]
    for row in READS:
        out += [Goal("1,000", row, "time", 0.3), Goal("1,000", row, "hledger", 15), Goal("1,000", row, "ledger")]
    out += [
        Goal("1,000", "plan --budget BUDGET --json", "time", 1),
        Goal("1,000", "check", "time", 5),
        Goal("1,000", IMPORT, "time", 5),
        Goal("1,000", PAINT, "time", 1.5),
        Goal("1,000", LOANS, "time", 0.5),
    ]
    out += [Goal("1,000", row, "memory", 200) for row in [*DEBT_ROWS, APP]]
    out += [Goal("10,000", row, "time", 1) for row in READS]
    return out


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- measuring -------------------------------------------------------------------
def measure(argv: list[str], env: dict[str, str], runs: int, timeout: float) -> Figure:
    """The median of RUNS runs and the highest peak; the first failure's text instead when one fails."""
    times, peaks = [], []
    for _ in range(runs):
        run = timed(argv, env, timeout)
        if run.error:
            return Figure(None, run.peak_mb, run.error)
        times.append(run.seconds)
        peaks.append(run.peak_mb)
    return Figure(statistics.median(times), max(peaks))


def copy_db(src: Path, dst: Path) -> None:
    """A copy of the database, written to disk before anything is timed on it: a fresh copy is a file
    of dirty pages, and the first commit's sync would otherwise write all of them (2 s of a write at
    10,000 loans, a cost of the copy, not of the command)."""
    for suffix in ("", "-wal"):
        if Path(f"{src}{suffix}").exists():
            shutil.copy(f"{src}{suffix}", f"{dst}{suffix}")
            with open(f"{dst}{suffix}", "rb+") as copied:
                os.fsync(copied.fileno())


def build_size(loans: int, cache: Path) -> tuple[Path, Path, Figure | None]:
    """The export and database of LOANS loans from the cache, built when missing (with the import's figure)."""
    src = cache / f"loans-{loans}x{PER_LOAN}.json"
    db = cache / f"loans-{loans}x{PER_LOAN}.db"
    if not src.exists():
        note(f"writing the export of {loans:,} loans …")
        start = time.perf_counter()
        part = src.with_name(src.name + ".part")
        write_export(part, loans, PER_LOAN)
        part.rename(src)
        note(f"  {src.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - start:.1f} s")
    if db.exists():
        return src, db, None
    note(f"importing {loans:,} loans into {db} …")
    part = db.with_name(db.name + ".part")
    for leftover in cache.glob(part.name + "*"):
        leftover.unlink()
    done = import_export(part, src)
    if done.error:
        sys.exit(f"debt import {src} failed: {done.error}")
    part.rename(db)
    note(f"  {done.seconds:.1f} s, peak {done.peak_mb} MB")
    return src, db, Figure(done.seconds, done.peak_mb)


def time_import(col: Column, tmp: Path, timeout: float) -> Figure:
    """`debt import` of the column's export into a fresh database, --runs times (the build counts as one)."""
    times, peaks = [], []
    if col.built is not None:
        times.append(col.built.seconds)
        peaks.append(col.built.peak_mb)
    while len(times) < col.runs:
        run = timed(debt("import", str(col.source)), debt_env(tmp / "import.db"), timeout)
        for leftover in tmp.glob("import.db*"):
            leftover.unlink()
        if run.error:
            return Figure(None, run.peak_mb, run.error)
        times.append(run.seconds)
        peaks.append(run.peak_mb)
    return Figure(statistics.median(times), max(peaks))


def time_app(col: Column, timeout: float) -> tuple[Figure, Figure, Figure]:
    """The app's two figures from bench/tui_startup.py in its own process, and that process's peak memory."""
    argv = [sys.executable, str(HERE / "tui_startup.py"), "--json", str(col.db), "--runs", str(col.runs)]
    try:
        done = subprocess.run(argv, cwd=ROOT, env=debt_env(col.db), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        failed = Figure(error=f"stopped after {timeout:g} s")
        return failed, failed, failed
    if done.returncode != 0:
        failed = Figure(error=" / ".join(done.stderr.strip().splitlines()[-3:]))
        return failed, failed, failed
    f = json.loads(done.stdout)
    return Figure(f["first_paint"]), Figure(f["loans_list"]), Figure(peak_mb=f["peak_mb"])


def auto_budget(db: Path) -> str:
    """The plan's monthly budget for a database: its minimum payments this month plus a fifth, in whole yuan
    (what a user with a little to spare would plan with; the plan pays debts ahead every month)."""
    import datetime as dt

    from tracker.service.cost import plan_minimum
    from tracker.service.database import open_store

    store = open_store(db, dt.date.fromisoformat(TODAY))
    try:
        minimum, _overdue = plan_minimum(store, dt.date.fromisoformat(TODAY))  # (the overdue part is inside it)
    finally:
        store.close()
    return str(-(-minimum * 6 // 500))  # fen x 1.2, in yuan, rounded up


def measure_column(col: Column, anchors: dict[str, str], budget: str, timeout: float) -> None:
    env = debt_env(col.db)
    figures = col.figures
    if budget == "auto":
        budget = auto_budget(col.db)
        note(f"  {col.label}: BUDGET {budget}")
        col.budget = budget
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # one untimed read first: the file in the page cache, and any migration or engine rebuild done
        timed(debt("loan", "list", "--json"), env, timeout)
        for label, args in COMMANDS.items():
            note(f"  {col.label}: debt {label}")
            args = [budget if a == "BUDGET" else a for a in args]
            figures[label] = measure(debt(*args), env, col.runs, timeout)
        note(f"  {col.label}: debt {WRITE} (on a copy)")
        copy_db(col.db, tmp / "write.db")
        figures[WRITE] = measure(debt(*WRITE.split()), debt_env(tmp / "write.db"), col.runs, timeout)
        (tmp / "write.db").unlink()
        if col.source is not None:
            note(f"  {col.label}: debt import")
            figures[IMPORT] = time_import(col, tmp, timeout)
        if anchors:
            journal = tmp / "anchor.journal"
            error = timed(debt("export", str(journal), "--format", "ledger"), env, timeout).error
            for label, binary in anchors.items():
                note(f"  {col.label}: {label}")
                figures[label] = (
                    Figure(error=f"export failed: {error}")
                    if error
                    else measure([binary, "-f", str(journal), "bal"], dict(os.environ), col.runs, timeout)
                )
        note(f"  {col.label}: the app")
        figures[PAINT], figures[LOANS], figures[APP] = time_app(col, timeout)
    for label, f in figures.items():
        if f.error:
            note(f"  {col.label}: {label} failed: {f.error}")


# -- reporting -------------------------------------------------------------------
def met(goal: Goal, f: Figure | None, col: Column) -> bool | None:
    """Whether a figure meets its goal; None when there is no figure to judge."""
    if f is None or f.error:
        return None
    if goal.kind == "memory":
        return None if f.peak_mb is None else f.peak_mb < goal.limit
    if f.seconds is None:
        return None
    if goal.kind == "time":
        return f.seconds < goal.limit
    anchor = col.figures.get("hledger bal" if goal.kind == "hledger" else "ledger bal")
    if anchor is None or anchor.seconds is None:
        return None
    if goal.kind == "hledger":
        return anchor.seconds / f.seconds >= goal.limit
    return f.seconds < anchor.seconds


def mark(goal_list: list[Goal], col: Column, row: str, kinds: tuple[str, ...]) -> str:
    verdicts = [
        met(g, col.figures.get(row), col) for g in goal_list if g.column == col.label and g.row == row and g.kind in kinds
    ]
    if not verdicts:
        return ""
    if None in verdicts:
        return " ?"
    return " ✓" if all(verdicts) else " ✗"


def goal_text(goal_list: list[Goal], row: str, kinds: tuple[str, ...]) -> str:
    return "; ".join(f"{g.text()} at {g.where()}" for g in goal_list if g.row == row and g.kind in kinds)


def speed(f: Figure, anchor: Figure) -> str:
    ratio = anchor.seconds / f.seconds
    return f"{ratio:.0f}x faster" if ratio >= 10 else f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.1f}x slower"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def report(columns: list[Column], machine: list[str]) -> str:
    gl = goals()
    labels = [c.label for c in columns]
    out = ["# Benchmark results", "", *machine, ""]
    out += [
        f"Columns: the sample household (`debt demo`), then databases of that many loans with {PER_LOAN} repayments each.",
        "",
    ]
    out += ["✓ goal met, ✗ not met, ? no figure to judge; `error` cells are listed under the tables.", ""]
    budgets = [f"{c.label}: {c.budget}" for c in columns if c.budget]
    if budgets:
        out += ["BUDGET (yuan) by database: " + "; ".join(budgets) + ".", ""]
    out += ["Peak memory is each process's own high-water mark; about 13 MB is the floor of the way it is read.", ""]

    def cell_time(col: Column, row: str) -> str:
        f = col.figures.get(row)
        if f is None:
            return "–"
        if f.error:
            return "error"
        return f"{f.seconds:.3f}" + mark(gl, col, row, ("time",))

    keys = [*DEBT_ROWS, *ANCHORS, PAINT, LOANS]
    names = [*(f"debt {r}" for r in DEBT_ROWS), *ANCHORS, PAINT, LOANS]
    out += ["## Seconds (median)", ""]
    out += table(
        ["", *labels, "goal"],
        [[name, *(cell_time(c, k) for c in columns), goal_text(gl, k, ("time",))] for name, k in zip(names, keys, strict=True)],
    )

    def cell_anchor(col: Column, row: str) -> str:
        f, hledger, ledger = col.figures.get(row), col.figures.get("hledger bal"), col.figures.get("ledger bal")
        if f is None or f.seconds is None:
            return "–"
        parts = []
        if hledger is not None and hledger.seconds is not None:
            parts.append(speed(f, hledger))
        if ledger is not None and ledger.seconds is not None:
            parts.append("beats ledger" if f.seconds < ledger.seconds else "slower than ledger")
        return ", ".join(parts) + mark(gl, col, row, ("hledger", "ledger")) if parts else "–"

    out += ["", "## Against hledger bal and ledger bal on the same data (`debt export --format ledger`)", ""]
    out += table(
        ["", *labels, "goal"],
        [[f"debt {k}", *(cell_anchor(c, k) for c in columns), goal_text(gl, k, ("hledger", "ledger"))] for k in DEBT_ROWS],
    )

    def cell_memory(col: Column, row: str) -> str:
        f = col.figures.get(row)
        if f is None or f.peak_mb is None:
            return "error" if f is not None and f.error else "–"
        return f"{f.peak_mb}" + mark(gl, col, row, ("memory",))

    mem_keys = [*DEBT_ROWS, *ANCHORS, APP]
    mem_names = [*(f"debt {r}" for r in DEBT_ROWS), *ANCHORS, APP]
    out += ["", "## Peak memory (MB)", ""]
    out += table(
        ["", *labels, "goal"],
        [
            [n, *(cell_memory(c, k) for c in columns), goal_text(gl, k, ("memory",))]
            for n, k in zip(mem_names, mem_keys, strict=True)
        ],
    )

    errors = [f"- {c.label}, {k}: {f.error}" for c in columns for k, f in c.figures.items() if f.error]
    if errors:
        out += ["", "## Errors", "", *errors]

    by_label = {c.label: c for c in columns}
    verdicts = []
    for g in gl:
        col = by_label.get(g.column)
        verdicts.append((g, None if col is None else met(g, col.figures.get(g.row), col), col is None))
    judged = [v for _, v, missing in verdicts if not missing]
    summary = f"{judged.count(True)} of {len(gl)} met, {judged.count(False)} not met, {judged.count(None)} without a figure"
    absent = sorted({g.where() for g, _, missing in verdicts if missing})
    if absent:
        summary += f"; not measured: {', '.join(absent)} (see --sizes)"
    out += ["", "## Goals", "", summary + "."]
    failed = [f"- {g.row} at {g.where()}: {g.text()}" for g, v, missing in verdicts if v is False]
    if failed:
        out += ["", "Not met:", "", *failed]
    return "\n".join(out) + "\n"


def machine_lines(runs: int, runs_large: int, budget: str, anchors: dict[str, str]) -> list[str]:
    machine = f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    setup = []
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True)
    if commit.returncode == 0:
        setup.append(f"commit {commit.stdout.strip()}")
    told = "each database's minimum monthly payments + 20%, in yuan" if budget == "auto" else budget
    setup += [f"runs: {runs} ({runs_large} from {LARGE:,} loans on)", f"BUDGET = {told} (plan's monthly budget)"]
    for label, binary in ANCHORS.items():
        if label in anchors:
            said = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip().splitlines()
            setup.append(said[0] if said else binary)
        else:
            setup.append(f"{binary}: not installed, {label} not measured")
    return [machine, "; ".join(setup)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", nargs="*", type=Path, help="existing databases to measure too")
    parser.add_argument("--sizes", default="100,1000,10000", help="numbers of loans, comma-separated (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--runs-large", type=int, default=3, help=f"runs from {LARGE:,} loans on")
    parser.add_argument("--cache", type=Path, help="keep the generated exports and databases here (default: a temporary folder)")
    parser.add_argument(
        "--budget", default="auto", help="plan's monthly budget in yuan; auto: each database's minimum payments + 20%% (default)"
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one process is stopped")
    parser.add_argument("--write", type=Path, help="also write the report to this markdown file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    compile_checkout()
    anchors = {label: binary for label, binary in ANCHORS.items() if shutil.which(binary)}
    for label, binary in ANCHORS.items():
        if label not in anchors:
            note(f"note: {binary} is not installed; {label} is skipped (apt-get install hledger ledger)")
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        columns = [Column("sample", sample_db(Path(tmp)), args.runs, source=SAMPLE_FILE)]
        for loans in sizes:
            src, db, built = build_size(loans, cache)
            columns.append(Column(f"{loans:,}", db, args.runs_large if loans >= LARGE else args.runs, src, built))
        columns += [Column(path.name, path.resolve(), args.runs) for path in args.db]
        for col in columns:
            note(f"measuring {col.label} ({col.runs} runs) …")
            measure_column(col, anchors, args.budget, args.timeout)
    text = report(columns, machine_lines(args.runs, args.runs_large, args.budget, anchors))
    print(text, end="")
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
