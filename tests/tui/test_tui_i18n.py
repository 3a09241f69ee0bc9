"""The app in Chinese: screens rendered in a fresh process (key labels are translated when their modules load),
and the Help page naming each screen as the footer does, in either language."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import ROOT, TESTS

ZH_SCREENS = {"dashboard": [], "loan_detail": ["l", "down", "down", "down", "enter"]}


RENDER = """
import asyncio, sys, tempfile
from pathlib import Path
sys.path.insert(0, {tests!r})
from tracker.i18n import set_language
set_language("zh")
from textual._doc import take_svg_screenshot
from tui_helpers import TODAY, sample_db, settle
from tui.app import make_app

async def before(pilot):
    await settle(pilot)
    for key in {keys!r}:
        await pilot.press(key)
        await settle(pilot)

app = make_app(sample_db(Path(tempfile.mkdtemp())), TODAY, note="(示例数据)")
sys.stdout.write(take_svg_screenshot(app=app, terminal_size=(120, 40), run_before=before))
"""


@pytest.mark.parametrize("screen", list(ZH_SCREENS))
def test_chinese_screens(snapshot, screen: str):
    """Rendered in a fresh process: the screens' key labels are translated when their modules load."""
    import re

    from pytest_textual_snapshot import SVGImageExtension

    code = RENDER.format(tests=str(TESTS), keys=ZH_SCREENS[screen])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    svg = re.sub(r"terminal-\d+", "terminal", out.stdout)
    assert "负债收入比" in svg or "还款计划" in svg
    assert snapshot.use_extension(SVGImageExtension) == svg


HELP_AND_FOOTER = """
import asyncio, json, sys, tempfile
from pathlib import Path
sys.path.insert(0, {tests!r})
from tracker.i18n import set_language
set_language({lang!r})
from textual.widgets._footer import FooterKey
from textual.widgets._markdown import MarkdownTableContent
from tui_helpers import TODAY, press, sample_db, settle
from tui.app import make_app

async def main():
    app = make_app(sample_db(Path(tempfile.mkdtemp())), TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        table = app.screen.query(MarkdownTableContent).first()
        rows = [[cell.plain for cell in row] for row in table.rows]
        footer = [(key.key_display, key.description, key.action) for key in app.screen.query(FooterKey)]
    print(json.dumps({{"help": rows, "footer": footer}}))

asyncio.run(main())
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_names_each_screen_as_the_footer_does(lang: str):
    """One source for a screen's name: the Help page shows the footer's word for each key, in either language."""
    import json

    code = HELP_AND_FOOTER.format(tests=str(TESTS), lang=lang)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    shown = json.loads(out.stdout)
    footer_screens = {key: name for key, name, action in shown["footer"] if action.startswith("show(")}
    help_screens = {key: name for key, name, _what in shown["help"]}
    assert len(footer_screens) == 9 and help_screens == footer_screens
    assert all(what.strip() for _key, _name, what in shown["help"])  # each screen says what it is for
    if lang == "zh":
        assert help_screens["d"] == "首页" and help_screens["i"] == "负债比"
    else:
        assert help_screens["d"] == "Home" and help_screens["i"] == "DTI"


HELP_HEADERS = """
import asyncio, json, sys, tempfile
from pathlib import Path
sys.path.insert(0, {tests!r})
from tracker.i18n import set_language
set_language({lang!r})
from rich.cells import cell_len
from textual.widgets._markdown import MarkdownTableContent
from tui_helpers import TODAY, press, sample_db, settle
from tui.app import make_app

async def main():
    app = make_app(sample_db(Path(tempfile.mkdtemp())), TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        headers = [
            (str(header.visual), cell_len(str(header.visual)), header.content_region.width, header.region.height)
            for table in app.screen.query(MarkdownTableContent)
            for header in table.query(".header")
        ]
    print(json.dumps(headers))

asyncio.run(main())
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_table_headers_read_whole_on_one_line_at_80_columns(lang: str):
    """A Chinese description is one long "word" to Textual's table, which squeezed 按键 onto two lines."""
    import json

    code = HELP_HEADERS.format(tests=str(TESTS), lang=lang)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    headers = json.loads(out.stdout)
    assert len(headers) == 3 + 2 * 3  # the screens table, then three two-column tables
    for text, width, room, height in headers:
        assert height == 1 and room >= width, (text, room, height)
    if lang == "zh":
        assert headers[0][0] == "按键"
