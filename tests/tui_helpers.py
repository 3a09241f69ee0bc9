"""Shared helpers for the TUI tests: a sample database and waiting for workers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot

from tracker import exchange
from tracker.sample import SAMPLE_FILE
from tracker.store import Store

TODAY = dt.date(2026, 11, 15)
SIZE = (120, 40)


def sample_db(folder: Path) -> Path:
    path = folder / "tui.db"
    store = Store.open(path, make_folder=True)
    exchange.save_import(store, exchange.parse_export(exchange.read_json(SAMPLE_FILE)))
    store.close()
    return path


async def settle(pilot: Pilot) -> None:
    """Let pending workers finish and the screen repaint (charts too, once their theme is registered)."""
    from textual_plotext import PlotextPlot

    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    # every screen on the stack: a chart under a dialog shows through it in a screenshot
    for screen in pilot.app.screen_stack:
        for plot in screen.query(PlotextPlot):
            plot.refresh()
    await pilot.pause()
    # a blinking cursor would make a screenshot depend on the moment it is taken
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    """Press each key and let the app settle after it."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
