"""The one helper module of the TUI tests: the sample database, waiting for the app, reading its widgets.

`settle` waits for what the last key started (its messages, the database work they began, the results that
work posted back), and no longer: a test presses keys with `press`, which settles after each one, or with
`pilot.press` where a key starts no database work. `ready_for_snapshot` adds what only a picture needs.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

from textual.pilot import Pilot

from tracker.export_format import read_json
from tracker.export_parse import parse_export
from tracker.sample import SAMPLE_FILE
from tracker.service.exchange import save_import
from tracker.store import Store

TODAY = dt.date(2026, 11, 15)
SIZE = (120, 40)
SMALL = (80, 24)


def sample_db(folder: Path, name: str = "tui.db") -> Path:
    """The sample household (six loans, as of 2026-11-15) in a new database file in ``folder``: a copy of
    one imported once per test process (the import is 70 ms; most TUI tests start from it)."""
    path = folder / name
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(_imported_sample(), path)
    path.chmod(0o600)
    return path


@functools.cache
def _imported_sample() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="debt-sample-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "sample.db"
    store = Store.open(path, make_folder=True)
    try:
        save_import(store, parse_export(read_json(SAMPLE_FILE)))
    finally:
        store.close()  # the last connection: its write-ahead log is folded into the file
    return path


def read(path: Path, fn):
    """``fn(store)`` on a connection of its own, as another program would read the file."""
    store = Store.open(path)
    try:
        return fn(store)
    finally:
        store.close()


def text(app, selector: str) -> str:
    """What a Static on the current screen shows, as plain text."""
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())


async def settle(pilot: Pilot, delay: float | None = None) -> None:
    """Wait until the app has handled everything pending: messages, workers, and the results they posted.

    ``delay``: seconds to let pass first, for a timer the app sets on purpose (the what-if box waits for
    the typing to stop).
    """
    app = pilot.app
    await pilot.pause(delay)
    for _ in range(20):  # a result may start another load (a saved form reloads the screen below it)
        if not app.workers:
            return
        await app.workers.wait_for_complete()
        await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    """Press each key and settle after it: the next key may act on what the last one loaded."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def paste(pilot: Pilot, text: str) -> None:
    """Text into the focused field as a terminal paste brings it: one event, where typing it would cost a
    repaint per character. Keys are for what a test is about (focus moves, corrections, shortcuts)."""
    from textual import events

    pilot.app.screen.focused.post_message(events.Paste(text))
    await settle(pilot)


async def ready_for_snapshot(pilot: Pilot) -> None:
    """Settle, then what a picture depends on: every chart repainted and no cursor blinking.

    Charts on every screen of the stack: one under a dialog shows through it. Then wait until two
    screenshots in a row agree, for a chart that re-measures itself late on a busy machine.
    """
    from textual_plotext import PlotextPlot

    await settle(pilot)
    for screen in pilot.app.screen_stack:
        for plot in screen.query(PlotextPlot):
            plot.refresh()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await settle(pilot)
    last = pilot.app.export_screenshot()
    for _ in range(20):
        await settle(pilot, 0.05)
        now = pilot.app.export_screenshot()
        if now == last:
            return
        last = now
