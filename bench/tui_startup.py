"""Time to the first painted dashboard, with its data, on the sample household and on a large database.

Run: python bench/tui_startup.py [BIG_DB]   (BIG_DB from bench/generate.py; optional)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tracker import exchange
from tracker.sample import SAMPLE_FILE
from tracker.store import Store

TODAY = dt.date(2026, 11, 15)


async def first_paint(db: Path) -> float:
    from tui.app import make_app

    start = time.perf_counter()
    app = make_app(db, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        return time.perf_counter() - start


def measure(db: Path, runs: int = 5) -> float:
    return statistics.median(asyncio.run(first_paint(db)) for _ in range(runs))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.db"
        store = Store.open(sample)
        exchange.save_import(store, exchange.parse_export(exchange.read_json(SAMPLE_FILE)))
        store.close()
        print(f"first painted dashboard, sample household: {measure(sample):.2f} s")
    if len(sys.argv) > 1:
        print(f"first painted dashboard, {sys.argv[1]}: {measure(Path(sys.argv[1]), runs=3):.2f} s")


if __name__ == "__main__":
    main()
