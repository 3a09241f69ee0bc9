"""Every message in English and Simplified Chinese; the language follows --lang, the setting, then LANG."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MORTGAGE, Debt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from extract_messages import extract  # noqa: E402

from tracker.i18n import load_catalog  # noqa: E402


def fields(text: str) -> list[tuple[str, str, str | None]]:
    return sorted((f, spec, conv) for _lit, f, spec, conv in string.Formatter().parse(text) if f is not None)


def test_every_message_has_a_chinese_translation_with_the_same_placeholders():
    messages = extract()
    catalog = load_catalog("zh")
    missing = [m for m in messages if not catalog.get(m)]
    assert missing == [], f"{len(missing)} messages without a translation, e.g. {missing[:3]}"
    mismatched = [m for m in messages if fields(m) != fields(catalog[m])]
    assert mismatched == [], f"placeholders differ: {mismatched[:3]}"


def test_language_follows_option_then_setting_then_environment(debt: Debt, monkeypatch: pytest.MonkeyPatch):
    debt.ok(*MORTGAGE)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert "Outstanding" in debt.ok("loan", "list").stdout
    zh = debt.ok("--lang", "zh", "loan", "list").stdout
    assert "待还本金" in zh or "剩余本金" in zh or "本金" in zh
    assert "Outstanding" not in zh
    debt.ok("config", "set", "language", "zh")
    assert "Outstanding" not in debt.ok("loan", "list").stdout  # the setting beats LANG
    assert "Outstanding" in debt.ok("--lang", "en", "loan", "list").stdout  # the option beats the setting
    debt.ok("config", "set", "language", "")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "Outstanding" not in debt.ok("loan", "list").stdout


def test_errors_and_json_in_chinese(debt: Debt):
    debt.ok(*MORTGAGE)
    r = debt("--lang", "zh", "repay", "1", "abc")
    assert r.exit_code == 2 and r.stderr.startswith("debt: ") and "abc" in r.stderr
    assert not any(word in r.stderr for word in ("amount", "not a number"))
    # JSON keys and values stay English: they are an interface
    shown = debt.ok("--lang", "zh", "loan", "show", "1", "--json").json
    assert shown["status"] in ("active", "overdue") and shown["method"] == "equal-installment"


def test_help_in_chinese_when_lang_is_set():
    out = subprocess.run(
        [sys.executable, "-m", "tracker", "--help"], capture_output=True, text=True, env={"LANG": "zh_CN.UTF-8", "PATH": ""}
    )
    assert out.returncode == 0
    assert "记录一笔还款" in out.stdout


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

    code = RENDER.format(tests=str(Path(__file__).parent), keys=ZH_SCREENS[screen])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    svg = re.sub(r"terminal-\d+", "terminal", out.stdout)
    assert "负债收入比" in svg or "还款计划" in svg
    assert snapshot.use_extension(SVGImageExtension) == svg


def test_counts_of_one_read_in_the_singular(tmp_path):
    from conftest import MORTGAGE, Debt

    debt = Debt(tmp_path / "one.db", today="2025-02-16")
    debt.ok(*MORTGAGE)
    out = debt.ok("remind").stdout
    assert "overdue 1 day" in out and "1 days" not in out
    assert "overdue 2 days" in debt.ok("remind", today="2025-02-17").stdout
    deleted = debt.ok("loan", "delete", "1", "--yes").stdout
    assert "and 0 repayments" in deleted
    new_id = str(debt.ok(*MORTGAGE, "--json").json["id"])
    debt.ok("repay", new_id, "5307.27", "--date", "2025-02-15")
    assert "and 1 repayment." in debt.ok("loan", "delete", new_id, "--yes").stdout


def test_the_command_line_librarys_own_words_are_translated(tmp_path):
    from conftest import Debt

    debt = Debt(tmp_path / "zh.db")
    r = debt("--lang", "zh", "plan")
    assert r.exit_code == 2 and "缺少选项 '--budget'" in r.stderr and "Missing" not in r.stderr
    assert "多余的参数" in debt("--lang", "zh", "repay", "1", "2", "3").stderr
    help_text = debt.ok("--lang", "zh", "plan", "--help").stdout
    assert "用法：" in help_text and "显示此帮助并退出" in help_text and "[必填]" in help_text
    assert "Show this message" not in help_text and "Usage:" not in help_text
    english = debt("plan")
    assert "Missing option '--budget'." in english.stderr  # English stays as Click says it


def test_every_flag_title_reads_in_chinese():
    from tracker.i18n import load_catalog
    from tracker.triage import FLAG_CODES, TITLES

    zh = load_catalog("zh")
    for code in FLAG_CODES:
        title = zh.get(TITLES[code], "")
        assert title and any("\u4e00" <= ch <= "\u9fff" for ch in title), code
        assert code not in title  # a title, not the code


HELP_PAGE = """
import asyncio, json, sys, tempfile
from pathlib import Path
sys.path.insert(0, {tests!r})
from tracker.i18n import set_language
set_language({lang!r})
from rich.cells import cell_len
from textual.widgets._footer import FooterKey
from textual.widgets._markdown import MarkdownTableContent
from tui_helpers import TODAY, press, sample_db, settle
from tui.app import make_app

async def main():
    app = make_app(sample_db(Path(tempfile.mkdtemp())), TODAY)
    async with app.run_test(size={size!r}) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        tables = list(app.screen.query(MarkdownTableContent))
        rows = [[cell.plain for cell in row] for row in tables[0].rows]
        headers = [
            (str(h.visual), cell_len(str(h.visual)), h.content_region.width, h.region.height)
            for table in tables
            for h in table.query(".header")
        ]
        footer = [(key.key_display, key.description, key.action) for key in app.screen.query(FooterKey)]
    print(json.dumps({{"help": rows, "headers": headers, "footer": footer}}))

asyncio.run(main())
"""


def help_page(lang: str, size: tuple[int, int]) -> dict:
    """The Help page as the app shows it in a language and at a size (a fresh process: the language is set once)."""
    import json

    code = HELP_PAGE.format(tests=str(Path(__file__).parent), lang=lang, size=size)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_names_each_screen_as_the_footer_does(lang: str):
    """One source for a screen's name: the Help page shows the footer's word for each key, in either language."""
    shown = help_page(lang, (120, 40))
    footer_screens = {key: name for key, name, action in shown["footer"] if action.startswith("show(")}
    help_screens = {key: name for key, name, _what in shown["help"]}
    assert len(footer_screens) == 9 and help_screens == footer_screens
    assert all(what.strip() for _key, _name, what in shown["help"])  # each screen says what it is for
    if lang == "zh":
        assert help_screens["d"] == "首页" and help_screens["i"] == "负债比"
    else:
        assert help_screens["d"] == "Home" and help_screens["i"] == "DTI"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_table_headers_read_whole_on_one_line_at_80_columns(lang: str):
    """A Chinese description is one long "word" to Textual's table, which squeezed 按键 onto two lines."""
    headers = help_page(lang, (80, 24))["headers"]
    assert len(headers) == 3 + 2 * 3  # the screens table, then three two-column tables
    for text, width, room, height in headers:
        assert height == 1 and room >= width, (text, room, height)
    if lang == "zh":
        assert headers[0][0] == "按键"
