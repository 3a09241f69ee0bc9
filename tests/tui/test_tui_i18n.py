"""The app in Chinese and in English: two screens pictured in Chinese, and the Help page naming each screen as
the footer does. Chinese is shown by a fresh process (key labels are translated when their modules load), which
reads everything these tests need in one run; English is the language this process already speaks."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import ROOT, TESTS
from pytest_textual_snapshot import SVGImageExtension
from rich.cells import cell_len
from textual.widgets._markdown import MarkdownTableContent
from tui_helpers import SIZE, SMALL, TODAY, press, ready_for_snapshot, sample_db, settle

from tui.app import make_app

# one worker runs this module: its fixtures render in a fresh process and are shared by every test here
pytestmark = pytest.mark.xdist_group("tui-i18n")

ZH_SCREENS = {"dashboard": [], "loan_detail": ["l", "down", "down", "down", "enter"]}
# a word each picture must hold, as a reader of Chinese expects it on that screen
ZH_WORDS = {"dashboard": "负债收入比", "loan_detail": "还款计划"}


async def views(pictures: bool) -> dict:
    """What the tests read from the app: the Help page's tables and the footer (at 120x40), the Help page's
    headers at 80x24 and, if asked, pictures of ZH_SCREENS."""
    db = sample_db(Path(tempfile.mkdtemp()))
    shown: dict = {"pictures": {}}
    if pictures:
        for name, keys in ZH_SCREENS.items():
            app = make_app(db, TODAY, note="(示例数据)")
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await press(pilot, *keys)
                await ready_for_snapshot(pilot)
                shown["pictures"][name] = app.export_screenshot(title=app.title, simplify=True)
    from textual.widgets._footer import FooterKey

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        table = app.screen.query(MarkdownTableContent).first()
        shown["help"] = [[cell.plain for cell in row] for row in table.rows]
        shown["footer"] = [(key.key_display, key.description, key.action) for key in app.screen.query(FooterKey)]
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        shown["headers"] = [
            (str(header.visual), cell_len(str(header.visual)), header.content_region.width, header.region.height)
            for table in app.screen.query(MarkdownTableContent)
            for header in table.query(".header")
        ]
    return shown


IN_CHINESE = f"""
import asyncio, json, sys
sys.path[:0] = [{str(TESTS)!r}, {str(TESTS / "tui")!r}]
from tracker.i18n import set_language
set_language("zh")
import test_tui_i18n
print(json.dumps(asyncio.run(test_tui_i18n.views(pictures=True))))
"""


@pytest.fixture(scope="module")
def chinese() -> dict:
    env = {**os.environ, "LANG": "zh_CN.UTF-8"}  # tracker.cli, imported by the helpers, reads the language too
    out = subprocess.run([sys.executable, "-c", IN_CHINESE], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def in_english() -> dict:
    return asyncio.run(views(pictures=False))


@pytest.fixture(scope="module")
def shown_in(chinese: dict, in_english: dict) -> dict[str, dict]:
    return {"zh": chinese, "en": in_english}


@pytest.mark.parametrize("screen", list(ZH_SCREENS))
def test_chinese_screens(snapshot, chinese: dict, screen: str):
    svg = chinese["pictures"][screen]
    assert ZH_WORDS[screen] in svg
    assert snapshot.use_extension(SVGImageExtension) == svg


# the names a reader of each language expects for two screens, and the Help table's first heading
EXPECTED = {"en": ({"d": "Home", "i": "DTI"}, "key"), "zh": ({"d": "首页", "i": "负债比"}, "按键")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_names_each_screen_as_the_footer_does(shown_in: dict, lang: str):
    """One source for a screen's name: the Help page shows the footer's word for each key, in either language."""
    shown = shown_in[lang]
    footer_screens = {key: name for key, name, action in shown["footer"] if action.startswith("show(")}
    help_screens = {key: name for key, name, _what in shown["help"]}
    assert len(footer_screens) == 9 and help_screens == footer_screens
    assert all(what.strip() for _key, _name, what in shown["help"])  # each screen says what it is for
    names, _heading = EXPECTED[lang]
    assert {key: help_screens[key] for key in names} == names


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_table_headers_read_whole_on_one_line_at_80_columns(shown_in: dict, lang: str):
    """A Chinese description is one long "word" to Textual's table, which squeezed 按键 onto two lines."""
    headers = shown_in[lang]["headers"]
    # the screens table, then two-column tables: in a loan; the keys of the eight screens that have their own
    # (dashboard, loans, DTI, plan, credit, audit, import, messages); everywhere
    assert len(headers) == 3 + 2 * (2 + 8)
    for text, width, room, height in headers:
        assert height == 1 and room >= width, (text, room, height)
    assert headers[0][0] == EXPECTED[lang][1]
