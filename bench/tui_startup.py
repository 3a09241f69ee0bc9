"""Time the app: the first painted dashboard with its data, then opening the loans list until its rows show.

Run: python bench/tui_startup.py [BIG_DB] [--runs 5]   (sample household, then BIG_DB from bench/generate.py)
     python bench/tui_startup.py --json DB [--runs 5]  (one database; one JSON line, for bench/run.py)
Figures are medians in seconds, measured after the app's modules are imported (their import is timed once).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tracker of this checkout, not whichever is installed

from tracker.export_format import read_json  # noqa: E402
from tracker.export_parse import parse_export  # noqa: E402
from tracker.sample import SAMPLE_FILE  # noqa: E402
from tracker.service.exchange import save_import  # noqa: E402
from tracker.store import Store  # noqa: E402

TODAY = dt.date(2026, 11, 15)
SIZE = (120, 40)
PATIENCE = 600  # seconds before a screen that never fills counts as a failure


def sample_db(folder: Path) -> Path:
    """The sample household, imported as tests/tui_helpers.py does."""
    path = folder / "sample.db"
    store = Store.open(path, make_folder=True)
    save_import(store, parse_export(read_json(SAMPLE_FILE)))
    store.close()
    return path


async def session(db: Path) -> tuple[float, float]:
    """One app session: seconds to the first painted dashboard, then seconds from pressing `l` to the loans' rows."""
    from textual.widgets import DataTable

    from tui.app import make_app

    start = time.perf_counter()
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        paint = time.perf_counter() - start

        start = time.perf_counter()
        while True:
            if getattr(app.screen, "SCREEN_NAME", None) != "loans":
                await pilot.press("l")
            await pilot.pause()
            screen = app.screen
            if getattr(screen, "SCREEN_NAME", None) == "loans" and (
                screen.query_one("#loans", DataTable).row_count or getattr(screen, "views", None)
            ):
                break
            await app.workers.wait_for_complete()
            if time.perf_counter() - start > PATIENCE:
                raise TimeoutError(f"the loans list did not fill in {PATIENCE} s")
        await pilot.pause()  # the filled table painted
        loans = time.perf_counter() - start
    return paint, loans


def measure(db: Path, runs: int) -> dict[str, float]:
    start = time.perf_counter()
    import tui.app  # (Textual and the screens' modules)

    imports = time.perf_counter() - start
    tui.app.settle_process()  # as `debt` does before it runs the app
    paints, opens = zip(*(asyncio.run(session(db)) for _ in range(runs)), strict=True)
    return {
        "first_paint": statistics.median(paints),
        "loans_list": statistics.median(opens),
        "imports": imports,
        "peak_mb": peak_mb(),
    }


def peak_mb() -> int:
    """This process's own high-water mark (ru_maxrss would include the memory of a big parent at exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="measure DB only and print one JSON line")
    args = parser.parse_args()
    if args.json:
        if args.db is None:
            parser.error("--json needs a database")
        print(json.dumps(measure(args.db, args.runs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        figures = [("sample household", measure(sample_db(Path(tmp)), args.runs))]
        if args.db is not None:
            figures.append((str(args.db), measure(args.db, min(args.runs, 3))))
    for name, f in figures:
        print(
            f"{name}: first painted dashboard {f['first_paint']:.2f} s, loans list {f['loans_list']:.2f} s"
            f" (imports {f['imports']:.2f} s once, peak {f['peak_mb']} MB)"
        )


if __name__ == "__main__":
    main()
