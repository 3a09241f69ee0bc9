"""Every message in English and Simplified Chinese; the language follows --lang, the setting, then LANG."""

from __future__ import annotations

import re
import string
import subprocess
import sys

import pytest
from helpers import MORTGAGE, ROOT, Debt, assert_error, dump, small_loan
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT / "scripts"))

from extract_messages import extract  # noqa: E402

from tracker.i18n import load_catalog, parse_po, po_escape  # noqa: E402
from tracker.wrap import NO_START  # noqa: E402


def fields(text: str) -> list[tuple[str, str, str | None]]:
    return sorted((f, spec, conv) for _lit, f, spec, conv in string.Formatter().parse(text) if f is not None)


def chinese_fields(message: str) -> list[tuple[str, str, str | None]]:
    """The placeholders a Chinese translation of ``message`` has: the same, except that a value quoted with
    ``!r`` ('abc') is quoted the Chinese way, “{value}” (the output shows its control characters either way)."""
    return sorted((f, spec, None if conv == "r" else conv) for f, spec, conv in fields(message))


def test_every_message_has_a_chinese_translation_with_the_same_placeholders():
    messages = extract()
    catalog = load_catalog("zh")
    missing = [m for m in messages if not catalog.get(m)]
    assert missing == [], f"{len(missing)} messages without a translation, e.g. {missing[:3]}"
    mismatched = [m for m in messages if chinese_fields(m) != fields(catalog[m])]
    assert mismatched == [], f"placeholders differ: {mismatched[:3]}"
    unquoted = [
        m
        for m in messages
        for name, _spec, conv in fields(m)
        if conv == "r" and f"“{{{name}}}”" not in catalog[m]  # an English 'value' is a Chinese “value”
    ]
    assert unquoted == [], f"quoted values not in “”: {unquoted[:3]}"


def test_language_follows_option_then_setting_then_environment(debt: Debt, monkeypatch: pytest.MonkeyPatch):
    debt.ok(*MORTGAGE, "--json")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert "Outstanding" in debt.ok("loan", "list").stdout
    zh = debt.ok("--lang", "zh", "loan", "list").stdout
    # the table's own words, as a reader of Chinese expects them (not looked up in the catalogue under test)
    header, _rule, row = [line.split() for line in zh.splitlines() if line.strip()][:3]
    assert header == ["编号", "名称", "未还本金", "年化利率", "下次还款", "金额", "状态"]
    assert row[-3:] == ["逾期", "638", "天"]  # 2025-02-15 to 2026-11-15 (a number keeps a space before its unit)
    assert "Outstanding" not in zh
    debt.ok("config", "set", "language", "zh")
    assert "Outstanding" not in debt.ok("loan", "list").stdout  # the setting beats LANG
    assert "Outstanding" in debt.ok("--lang", "en", "loan", "list").stdout  # the option beats the setting
    debt.ok("config", "set", "language", "")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "Outstanding" not in debt.ok("loan", "list").stdout


def test_errors_and_json_in_chinese(debt: Debt):
    debt.ok(*MORTGAGE, "--json")
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


def test_counts_of_one_read_in_the_singular(tmp_path):
    from helpers import MORTGAGE, Debt

    debt = Debt(tmp_path / "one.db", today="2025-02-16")
    debt.ok(*MORTGAGE, "--json")
    out = debt.ok("remind").stdout
    assert "overdue 1 day" in out and "1 days" not in out
    assert "overdue 2 days" in debt.ok("remind", today="2025-02-17").stdout
    deleted = debt.ok("loan", "delete", "1", "--yes").stdout
    assert "and 0 repayments" in deleted
    new_id = str(debt.ok(*MORTGAGE, "--json").json["id"])
    debt.ok("repay", new_id, "5307.27", "--date", "2025-02-15")
    assert "and 1 repayment." in debt.ok("loan", "delete", new_id, "--yes").stdout


def test_the_command_line_librarys_own_words_are_translated(tmp_path):
    from helpers import Debt

    debt = Debt(tmp_path / "zh.db")
    r = debt("--lang", "zh", "plan")
    assert r.exit_code == 2 and "缺少选项“--budget”" in r.stderr and "Missing" not in r.stderr
    r = debt("--lang", "zh", "lona", "list")  # Chinese quotes, and no space after "。"
    assert "没有命令“lona”。你是不是想输入“loan”？" in r.stderr
    assert "（相近的选项：--kind, --lender）" in debt("--lang", "zh", "loan", "add", "x", "--lende", "y").stderr
    assert "多余的参数" in debt("--lang", "zh", "repay", "1", "2", "3").stderr
    help_text = debt.ok("--lang", "zh", "plan", "--help").stdout
    assert "用法：" in help_text and "显示此帮助并退出" in help_text and "[必填]" in help_text
    assert "\n选项：\n" in help_text and "选项:" not in help_text  # a Chinese heading's colon is Chinese too
    assert "\nOptions:\n" in debt.ok("plan", "--help").stdout
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


def test_the_cli_breaks_chinese_advice_by_the_rules(tmp_path):
    from helpers import Debt

    debt = Debt(tmp_path / "zh.db")
    out = debt.ok("--lang", "zh", "sms", "check", "代理协商逾期，停息挂账包成功，先交定金500，加微tx6688").stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert len(lines) > 5
    assert not any(line[0] in NO_START for line in lines), [line for line in lines if line[0] in NO_START]


@given(st.text(alphabet=st.sampled_from('ab 借\\"\n\tnt')))
def test_a_po_string_reads_back_as_it_was_written(text: str):
    """The catalogs' .po strings: escaped as scripts/extract_messages.py writes them, read back unchanged,
    also when split over continuation lines."""
    assert parse_po(f'msgid "{po_escape(text)}"\nmsgstr "x"\n') == ({text: "x"} if text else {})
    half = len(text) // 2
    split = f'msgid ""\n"{po_escape(text[:half])}"\n"{po_escape(text[half:])}"\nmsgstr "{po_escape(text)}"\n'
    assert parse_po(split) == ({text: text} if text else {})


def test_chinese_lines_use_chinese_punctuation_and_keep_columns_by_cells(tmp_path):
    """In Chinese a loan's kind is in full-width parentheses, an audit item's title takes a full-width colon,
    no space follows a full-width parenthesis, and the payoff's amounts line up although its labels are of two
    and three characters (two cells each)."""
    from tracker.cli.render import _cell_len

    debt = Debt(tmp_path / "h.db", "2026-11-30")
    debt.ok("import", str(ROOT / "sample_data" / "household.json"))
    shown = debt.ok("--lang", "zh", "loan", "show", "4").stdout.splitlines()
    assert shown[0].endswith("某借贷平台 LendApp（网贷平台）")
    assert "（日利率 0.05%）按日计息" in "".join(shown[1:3])
    assert "支付宝：个人信息授权" in debt.ok("--lang", "zh", "audit", "list").stdout
    check = debt.ok("--lang", "zh", "credit-check", "show", "1").stdout.splitlines()
    assert check and all("：" in line and ": " not in line for line in check), check
    parts = [line for line in debt.ok("--lang", "zh", "loan", "payoff", "1").stdout.splitlines() if line.startswith("  ")]
    assert [line.split()[0] for line in parts] == ["本金", "利息", "手续费", "罚息"]
    assert len({_cell_len(line) for line in parts}) == 1, parts
    english = [line for line in debt.ok("loan", "payoff", "1").stdout.splitlines() if line.startswith("  ")]
    assert english[0].startswith("  Principal ") and len({len(line) for line in english}) == 1


def test_a_contacts_channel_verdict_and_notice_read_in_chinese():
    """The timeline names a channel in words, a kept message's summary names its verdict in words (not the
    code 'likely-scam'), and a notice is joined to the verdict with a full-width colon."""
    import datetime as dt

    from tracker.i18n import set_language
    from tracker.present.messages import channel_text, triage_headline
    from tracker.service.messages import save_sms
    from tracker.store import Store
    from tracker.triage import triage

    set_language("zh")
    try:
        assert [channel_text(c) for c in ("sms", "call", "visit", "letter", "app")] == [
            "短信",
            "电话",
            "上门",
            "信函",
            "App 消息",
        ]
        notice = triage("【招商银行】您本期应还4,312.50元，请按时还款。", "95555")
        assert notice.notice is not None and "）：" in triage_headline(notice) and ": " not in triage_headline(notice)
        scam = triage("【法务部】您的欠款已严重逾期，请立即转账至安全账户6222000012345678。", "+8617012345678")
        kept = save_sms(Store.memory(dt.date(2026, 11, 30)), "x", None, dt.datetime(2026, 11, 30, 9), scam)
        assert "很可能是诈骗" in kept.summary and "likely-scam" not in kept.summary
    finally:
        set_language("en")


def test_a_method_and_a_kind_are_typed_by_their_chinese_names_too(debt: Debt):
    """The help pairs each method and kind with its Chinese name (equal-installment（等额本息）): that name, in
    simplified or traditional characters, means the word, in either language; a word the help does not give is
    refused with the choices, in Chinese with their names and the Chinese list comma."""
    by_word = debt.ok(*small_loan("a", method="equal-principal", kind="car"), "--json").json
    by_name = debt.ok("--lang", "zh", *small_loan("b", method="等额本金", kind="车贷"), "--json").json
    traditional = debt.ok(*small_loan("c", method="等額本金", kind="車貸"), "--json").json
    upper = debt.ok(*small_loan("d", method="EQUAL-PRINCIPAL", kind="Car"), "--json").json
    wide = debt.ok(*small_loan("w", method="ｅｑｕａｌ－ｐｒｉｎｃｉｐａｌ", kind="ｃａｒ"), "--json").json  # a Chinese IME's
    assert {(x["method"], x["kind"], x["next_due_amount"]) for x in (by_word, by_name, traditional, upper, wide)} == {
        ("equal-principal", "car", by_word["next_due_amount"])
    }
    edited = debt.ok("loan", "edit", str(by_word["id"]), "--method", "先息后本", "--kind", "网贷", "--json").json
    assert (edited["method"], edited["kind"]) == ("interest-only", "online-platform")
    assert debt.ok("loan", "edit", str(by_word["id"]), "--kind", "其它", "--json").json["kind"] == "other"  # 其他's variant
    before = dump(debt.db)
    r = debt("--lang", "zh", *small_loan("e", method="等额"))
    assert r.exit_code == 2 and r.stderr.startswith("debt: 错误：") and r.stderr.count("\n") == 1
    assert "“等额”" in r.stderr and "equal-installment（等额本息）、equal-principal（等额本金）、" in r.stderr
    r = debt(*small_loan("e", kind="car loan"))
    assert_error(r, 2)
    assert "choose one of: mortgage, car, consumer, credit-card, online-platform, personal, other" in r.stderr
    assert dump(debt.db) == before


def test_help_pages_break_lines_as_the_rest_of_the_cli_does(debt: Debt, monkeypatch: pytest.MonkeyPatch):
    """Click's own wrapping broke a value at its hyphen ("equal-" / "principal", which does not paste back), counted a
    Chinese character as one column (an 80-column page ran to 100) and began lines with "）". Help pages now break
    as tracker.wrap does: Chinese by the columns each character takes, with its line-start rules; Latin at spaces."""
    from tracker.wrap import char_width

    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("en", "zh"):
        for command in (["loan", "add"], ["apr"], ["card", "add"], ["repay"]):
            page = debt.ok("--lang", lang, *command, "--help").stdout
            lines = page.splitlines()
            assert max(sum(char_width(c) for c in line) for line in lines) <= 80, (lang, command)
            # a line of a definition's text (after the option column) never begins with closing punctuation
            texts = [line.lstrip() for line in lines if line.startswith(" " * 20)]
            assert not any(t[:1] in NO_START for t in texts), (lang, command)
            assert re.search(r"[a-z]-\n", page) is None, (lang, command)  # no line ends inside a word at its hyphen
            if command == ["loan", "add"]:
                assert {"equal-principal", "interest-only", "online-platform"} <= set(re.findall(r"[a-z]+(?:-[a-z]+)+", page))


def test_the_dti_chart_keeps_its_frame_in_chinese(debt: Debt, monkeypatch: pytest.MonkeyPatch):
    """plotext counts a Chinese legend as half its width: its row lost the frame's right edge. The line is named by
    the title instead, and every row of the frame is as wide as the others."""
    from tracker.wrap import char_width

    monkeypatch.setenv("COLUMNS", "100")
    debt.ok(*small_loan("车贷", term="36"))
    debt.ok("income", "add", "工资", "12000")
    page = debt.ok("--lang", "zh", "dti").stdout.splitlines()
    top = next(k for k, line in enumerate(page) if "┌" in line)
    bottom = next(k for k, line in enumerate(page) if "└" in line)
    rows = page[top : bottom + 1]
    assert len(rows) > 5 and len({sum(char_width(c) for c in line.rstrip()) for line in rows}) == 1, rows
    assert all(line.rstrip()[-1] in "┐│┤┘" for line in rows), rows


def test_no_message_is_written_in_chinese_only():
    """A message id is what the English face shows: one in Chinese alone (a bill form's "本期应还" placeholder) showed
    Chinese to an English user. A Chinese word beside English words (an example, a term) is fine."""
    chinese_only = [m for m in extract() if re.search(r"[\u4e00-\u9fff]", m) and not re.search(r"[A-Za-z]", m)]
    assert chinese_only == []
