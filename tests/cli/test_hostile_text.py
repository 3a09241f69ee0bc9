"""Text from strangers is shown, never obeyed: no control or direction character reaches the output raw."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from helpers import Debt
from statement_files import WECHAT_ROWS, wechat_csv

from tracker.safe_text import BIDI, csv_cell, json_text, visible

C0 = "".join(chr(c) for c in range(0x20))
C1 = "".join(chr(c) for c in range(0x80, 0xA0))
OSC52 = "\x1b]52;c;SGVsbG8=\x07"  # writes the clipboard
OSC8 = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"  # a hidden link
HOSTILE = C0 + "\x7f" + C1 + OSC52 + OSC8 + BIDI + "\x1b[2J"
RAW = set(C0 + "\x7f" + C1 + BIDI) - {"\n", "\t"}


def assert_clean(text: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in RAW})
    assert not found, f"raw control or direction characters in the output: {found}"


def test_visible_replaces_each_character_by_one_and_keeps_text():
    out = visible(HOSTILE)
    assert len(out) == len(HOSTILE) and not set(out) & RAW and "\n" not in out
    assert visible("房贷 ¥5,307.27 [/b]") == "房贷 ¥5,307.27 [/b]"
    assert visible("a\nb\tc", multiline=True) == "a\nb\tc"
    assert visible("\x1b[2J") == "␛[2J"
    dumped = json.dumps({"m": HOSTILE}, ensure_ascii=False)
    assert json.loads(json_text(dumped)) == {"m": HOSTILE}  # the same data, escaped
    assert_clean(json_text(dumped))


@pytest.mark.parametrize("char", sorted(RAW - set(C0)))
def test_json_bytes_with_any_raw_character_are_escaped(char):
    """Given UTF-8 bytes, json_text looks only when a byte of such a character is there: each one is found."""
    encoded = json.dumps({"m": f"房贷 {char} …"}, ensure_ascii=False).encode()
    assert json_text(encoded) == json_text(encoded.decode()) and char not in json_text(encoded)
    assert json_text('{"m":"房贷 5,307.27"}'.encode()) == '{"m":"房贷 5,307.27"}'


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("-12.50", "-12.50"),
        ("1200.00", "1200.00"),
        ("房贷", "房贷"),
        (None, None),
        (12, 12),
    ],
)
def test_csv_cells_never_start_like_a_formula(cell, written):
    assert csv_cell(cell) == written


def test_sms_check_shows_the_message_without_obeying_it(debt: Debt):
    from helpers import assert_error

    assert_error(debt("sms", "check", "-", input="催收\x00短信"), 2)  # a NUL is not text
    message = "【某银行】您的征信有逾期，点击 http://x.cn 处理" + HOSTILE.replace("\x00", "")
    out = debt("sms", "check", "-", input=message)
    assert out.exit_code == 0 and "Traceback" not in out.stdout + out.stderr
    assert_clean(out.stdout + out.stderr)
    as_json = debt("sms", "check", "-", "--json", input=message)
    assert_clean(as_json.stdout)
    json.loads(as_json.stdout)  # still JSON


def test_a_statement_row_and_its_error_line_are_shown_not_obeyed(debt: Debt, tmp_path: Path):
    # what a text file can carry (a NUL makes it binary, and is refused as such)
    evil = "招商银行信用卡还款" + OSC52 + OSC8 + "\x1b[2J\x07\x08\x9b31m" + BIDI
    rows = [WECHAT_ROWS[0].replace("招商银行信用卡还款", evil, 1)]
    path = tmp_path / "wechat.csv"
    path.write_bytes(wechat_csv(rows))
    out = debt("statement", "import", str(path), "--dry-run")
    assert out.exit_code == 0 and "招商银行信用卡还款␛]52" in out.stdout.replace("\n", "")
    assert_clean(out.stdout + out.stderr)
    as_json = debt("statement", "import", str(path), "--dry-run", "--json")
    assert_clean(as_json.stdout)
    broken = tmp_path / "broken.csv"
    broken.write_bytes(wechat_csv([WECHAT_ROWS[0].replace("¥548.58", "¥5x" + OSC52, 1)]))
    error = debt("statement", "import", str(broken), "--dry-run")
    assert error.exit_code == 2 and "]52" in error.stderr
    assert_clean(error.stdout + error.stderr)


def test_contacts_evidence_names_and_the_timeline(debt: Debt, tmp_path: Path):
    from helpers import assert_error

    # typed text may not carry direction overrides, nor be made only of invisible characters
    assert_error(debt("contact", "log", "--channel", "sms", "--from", "1069" + "\u202e" + "xx"), 2)
    assert_error(debt("contact", "log", "--channel", "sms", "--from", "x", "--summary", "催收" + BIDI), 2)
    assert_error(debt("contact", "log", "--channel", "sms", "--from", "\u200b\u200b"), 2)
    # a pasted message is kept as it came, for the evidence, and shown safely
    debt.ok("sms", "check", "-", "--save", input="催收通知" + OSC52 + OSC8 + "\x1b[2J" + BIDI + "\x9b31m")
    for args in (("contact", "list"), ("contact", "list", "--json")):
        assert_clean(debt.ok(*args).stdout)
    name = tmp_path / ("photo" + "\x1b[2J" + "\x1b]52;c;SGk=\x07" + "\u202e" + "gpj.exe")
    name.write_bytes(b"evidence")
    debt.ok("evidence", "add", str(name), "--contact", "1")
    for args in (("evidence", "list"), ("evidence", "list", "--json"), ("evidence", "verify")):
        assert_clean(debt.ok(*args).stdout)
    out = tmp_path / "evidence.zip"
    debt.ok("evidence", "export", str(out))
    with zipfile.ZipFile(out) as zf:
        for member in ("timeline.md", "timeline.html"):
            assert_clean(zf.read(member).decode("utf-8"))


def test_the_csv_export_neutralises_formulas(debt: Debt, tmp_path: Path):
    debt.ok("loan", "add", "=HYPERLINK(\"http://evil\")", "--lender", "@SUM(A1)", "--principal", "1000", "--rate", "5",
            "--term", "12", "--method", "equal-installment", "--start", "2026-01-01", "--notes", "+cmd|' /C calc'!A0", "--json")  # fmt: skip
    folder = tmp_path / "csv"
    debt.ok("export", str(folder), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO((folder / "loans.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")' and rows[0]["lender"] == "'@SUM(A1)"
    assert rows[0]["notes"].startswith("'+") and rows[0]["principal"] == "1000.00"


def test_a_crafted_evidence_name_reads_and_deletes_nothing_outside_the_folder(debt: Debt, tmp_path: Path):
    import sqlite3

    from helpers import assert_error

    from tracker.paths import evidence_dir

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"evidence")
    debt.ok("evidence", "add", str(photo))
    victim = debt.db.parent / "victim.txt"
    victim.write_text("not yours to delete")
    with sqlite3.connect(debt.db) as con:
        con.execute("UPDATE evidence SET stored_name = '../victim.txt'")
    out = debt("evidence", "verify", "--json")
    assert out.exit_code == 1 and out.json["problems"][0]["problem"] == "unsafe name"
    assert_error(debt("evidence", "remove", "1", "--yes"), 1)
    assert_error(debt("evidence", "export", str(tmp_path / "e.zip")), 1)
    assert_error(debt("export", str(tmp_path / "all.zip"), "--with-files"), 1)
    assert victim.read_text() == "not yours to delete" and evidence_dir(debt.db).is_dir()


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_every_file_written_is_private_and_no_planted_link_is_followed(debt: Debt, tmp_path: Path):
    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "10000", "--rate", "4", "--term", "12",
            "--method", "equal-installment", "--start", "2026-01-01", "--json")  # fmt: skip
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"x")
    debt.ok("evidence", "add", str(photo))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("all.json.tmp", "all.zip.part", "e.zip.part", "j.ledger.tmp", "d.ics.tmp"):
        (out / name).symlink_to(victim)  # the names older versions wrote through
    debt.ok("export", str(out / "all.json"))
    debt.ok("export", str(out / "all.zip"), "--with-files")
    debt.ok("export", str(out / "j.ledger"), "--format", "ledger")
    debt.ok("export", str(out / "csv"), "--format", "csv")
    debt.ok("evidence", "export", str(out / "e.zip"))
    debt.ok("remind", "--ics", str(out / "d.ics"))
    assert victim.read_text() == "keep"
    for name in ("all.json", "all.zip", "j.ledger", "e.zip", "d.ics", "csv/loans.csv", "csv/repayments.csv", "csv/schedule.csv"):
        assert _mode(out / name) == 0o600, name
    assert _mode(out / "csv") == 0o700
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_target_that_is_not_a_regular_file_is_left_alone(debt: Debt, tmp_path: Path):
    """An export over a link, a named pipe or a device would put a file in its place (as root, over
    /dev/null): it is refused and the target stays what it was. '-' writes to standard output."""
    import os
    import stat

    from helpers import assert_error

    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "10000", "--rate", "4", "--term", "12",
            "--method", "equal-installment", "--start", "2026-01-01", "--json")  # fmt: skip
    victim = tmp_path / "victim.json"
    victim.write_text("keep")
    link, pipe = tmp_path / "link.json", tmp_path / "pipe"
    link.symlink_to(victim)
    os.mkfifo(pipe)
    for target, kind in ((link, stat.S_ISLNK), (pipe, stat.S_ISFIFO)):
        for extra in ((), ("--format", "ledger"), ("--with-files",)):
            r = debt("export", str(target), *extra)
            assert_error(r, 1)
            assert "not a regular file" in r.stderr
            assert kind(os.lstat(target).st_mode)
    assert victim.read_text() == "keep" and link.readlink() == victim
    assert_error(debt("remind", "--ics", str(link)), 1)
    shown = debt.ok("export", "-").stdout
    assert json.loads(shown)["loans"][0]["name"] == "房贷"
    assert "Liabilities:Loans:1" in debt.ok("export", "-", "--format", "ledger").stdout
    for extra in (("--format", "csv"), ("--with-files",)):
        assert_error(debt("export", "-", *extra), 2)
    assert not (Path.cwd() / "-").exists()


def test_a_failed_write_leaves_nothing_and_says_why(debt: Debt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import errno
    import os

    from helpers import assert_error

    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "10000", "--rate", "4", "--term", "12",
            "--method", "equal-installment", "--start", "2026-01-01", "--json")  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    for args in (("export", str(out / "a.json")), ("export", str(out / "j.ledger"), "--format", "ledger"),
                 ("export", str(out / "a.zip"), "--with-files")):  # fmt: skip
        r = debt(*args)
        assert_error(r, 1)
        assert "disk is full" in r.stderr
    assert list(out.iterdir()) == []
    monkeypatch.undo()
    os.chmod(out, 0o500)
    try:
        r = debt("export", str(out / "a.json"))
        if os.geteuid() != 0:  # root writes anywhere
            assert_error(r, 1)
            assert "read-only" in r.stderr
    finally:
        os.chmod(out, 0o700)


def test_card_and_id_numbers_are_masked_unless_revealed(debt: Debt, tmp_path: Path):
    from helpers import assert_error

    from tracker.safe_text import mask_numbers

    assert mask_numbers("卡号 6222 0210 0112 3456 尾号") == "卡号 6222 **** **** 3456 尾号"
    assert mask_numbers("身份证 11010519491231002X") == "身份证 1101**********002X"
    assert mask_numbers("还款 ¥12,000.50 于 2026-11-30") == "还款 ¥12,000.50 于 2026-11-30"
    message = "您尾号的卡 6222021001123456 已冻结，请转账到 6217 0000 1111 2222 解冻"
    for args in (("sms", "check", "-"), ("sms", "check", "-", "--json"), ("sms", "check", "-", "--save")):
        out = debt.ok(*args, input=message).stdout
        assert "6222021001123456" not in out and "0000 1111" not in out.replace("\n", "")
    revealed = debt.ok("sms", "check", "-", "--reveal", input=message).stdout.replace("\n", "")
    assert "6222021001123456" in revealed
    for args in (("contact", "list"), ("contact", "list", "--json")):
        assert "6222021001123456" not in debt.ok(*args).stdout
    assert "6222021001123456" in debt.ok("contact", "list", "--json", "--reveal").stdout
    out = tmp_path / "e.zip"
    debt.ok("evidence", "export", str(out))
    with zipfile.ZipFile(out) as zf:
        assert all("6222021001123456" not in zf.read(m).decode() for m in ("timeline.md", "timeline.html", "manifest.json"))
    assert_error(debt("evidence", "export", str(out)), 1)  # exists: not replaced without --force
    debt.ok("evidence", "export", str(out), "--force", "--reveal")
    with zipfile.ZipFile(out) as zf:
        assert "6222021001123456" in zf.read("timeline.md").decode()
    # the message itself is kept whole in the database: it is evidence
    import sqlite3

    with sqlite3.connect(debt.db) as con:
        assert "6222021001123456" in con.execute("SELECT message FROM contacts").fetchone()[0]


@pytest.mark.parametrize(
    ("rule", "ok"),
    [
        ("FREQ=SECONDLY", False),
        ("FREQ=DAILY", False),
        ("FREQ=WEEKLY;BYDAY=MO", False),
        ("FREQ=MONTHLY;BYMONTHDAY=1,2,3", False),  # three a month
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", False),  # never
        ("FREQ=MONTHLY;BYMONTHDAY=15", True),
        ("FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=15", True),
    ],
)
def test_the_credit_check_rule_reminds_at_most_monthly(debt: Debt, rule: str, ok: bool):
    from helpers import assert_error

    r = debt("config", "set", "credit_check.rule", rule)
    if ok:
        assert r.exit_code == 0 and f"= {rule} " in debt.ok("config", "get", "credit_check.rule").stdout
    else:
        assert_error(r, 2)


def test_numbers_and_dates_are_read_in_one_documented_form(debt: Debt):
    from helpers import assert_error

    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "10000", "--rate", "4", "--term", "12",
            "--method", "equal-installment", "--start", "2026-01-01", "--json")  # fmt: skip
    before = dump_db(debt)
    for args in (
        ("repay", "1", "٣٠٠"),  # Arabic-Indic digits are not read as 300
        ("repay", "1", "3_00"),
        ("repayment", "delete", "1_0", "--yes"),
        ("repay", "1", "100", "--date", "2026-W45-1"),
        ("repay", "1", "100", "--date", "20261115"),
        ("repay", "1", "100", "--date", ""),
        ("--today", "", "loan", "list"),
        ("--db", "", "loan", "list"),
        ("loan", "show", "+1"),
        ("apr", "--principal", "1000", "--term", "12", "--rate", "1e1"),
        ("apr", "--principal", "1000", "--term", "12", "--rate", "Infinity"),
        ("apr", "--principal", "1000", "--term", "1_2", "--rate", "5"),
    ):
        r = debt(*args)
        assert r.exit_code == 2, (args, r.stderr)
        assert_error(r, 2)
    assert dump_db(debt) == before
    # full-width digits, as a Chinese input method types them, are welcome
    out = debt.ok("repay", "１", "１，０００．５０", "--date", "２０２６-０２-０１", "--json").json
    assert (out["repayment"]["loan_id"], out["repayment"]["amount"], out["repayment"]["date"]) == (1, "1000.50", "2026-02-01")


def dump_db(debt: Debt) -> list[str]:
    from helpers import dump

    return dump(debt.db)


def _export_of_one_loan(debt: Debt, tmp_path: Path) -> dict:
    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "10000", "--rate", "4", "--term", "12",
            "--method", "equal-installment", "--start", "2026-01-01", "--json")  # fmt: skip
    debt.ok("repay", "1", "851.50", "--date", "2026-02-01")
    debt.ok("income", "add", "Salary", "10000", "--from", "2026-01-01")
    path = tmp_path / "one.json"
    debt.ok("export", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def _mutations():
    def rep(**kw):
        return lambda d: d["repayments"][0].update(kw)

    return {
        "loan_id as a list": rep(loan_id=[1]),
        "loan_id as an object": rep(loan_id={"id": 1}),
        "loan_id true": rep(loan_id=True),
        "id at 2^63": rep(id=2**63),
        "prepay as text": rep(prepay="false"),
        "income ends before it starts": lambda d: d["incomes"][0].update({"to": "2025-01-01"}),
        "two incomes with one id": lambda d: d["incomes"].append({**d["incomes"][0], "uid": None}),
        "NUL in a note": rep(note="a\x00b"),
        "ESC in a note": rep(note="a\x1b[2Jb"),
        "a 5,000-digit amount": rep(amount="9" * 5000),
    }


@pytest.mark.parametrize("case", list(_mutations()))
def test_a_crafted_export_is_refused_in_one_line_and_changes_nothing(tmp_path: Path, case: str):
    from helpers import assert_error

    source = Debt(tmp_path / "source.db")
    data = _export_of_one_loan(source, tmp_path)
    _mutations()[case](data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = Debt(tmp_path / "target.db")
    r = target("import", str(bad))
    assert_error(r, 2)
    assert not (tmp_path / "target.db").exists()  # a failed import into a new path leaves nothing


def test_an_export_that_overpays_a_loan_is_refused_unless_asked(tmp_path: Path):
    from helpers import assert_error

    source = Debt(tmp_path / "source.db")
    data = _export_of_one_loan(source, tmp_path)
    data["repayments"].append({**data["repayments"][0], "id": 99, "uid": None, "amount": "20000.00", "date": "2026-03-01"})
    bad = tmp_path / "overpaid.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = Debt(tmp_path / "target.db")
    r = target("import", str(bad))
    assert_error(r, 1)
    assert "--allow-overpay" in r.stderr and "房贷" in r.stderr
    assert not (tmp_path / "target.db").exists()
    target.ok("import", str(bad), "--allow-overpay")
    assert len(target.ok("repayment", "list", "--json").json) == 2


def test_a_loan_overpaid_on_purpose_still_round_trips(tmp_path: Path):
    source = Debt(tmp_path / "source.db")
    _export_of_one_loan(source, tmp_path)
    source.ok("repay", "1", "20000", "--date", "2026-03-01", "--allow-overpay")
    path = tmp_path / "again.json"
    source.ok("export", str(path))
    record = json.loads(path.read_text(encoding="utf-8"))["loans"][0]
    credit = record["credit"]
    assert 0 < float(credit) < 20000
    target = Debt(tmp_path / "target.db")
    target.ok("import", str(path))  # no flag needed: the export says how much was overpaid
    assert target.ok("loan", "show", "1", "--json").json["credit"] == source.ok("loan", "show", "1", "--json").json["credit"]
    # asking for more than the export declared is still refused
    data = json.loads(path.read_text(encoding="utf-8"))
    data["repayments"][-1]["amount"] = "30000.00"
    bigger = tmp_path / "bigger.json"
    bigger.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert Debt(tmp_path / "third.db")("import", str(bigger)).exit_code == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep", '{"format": "debt-tracker", "version": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("huge number", '{"format": "debt-tracker", "version": 1, "x": ' + "9" * 5000 + "}"),
        ("lone surrogate", '{"format": "debt-tracker", "version": 1, "loans": [], "x": "\\ud800"}'),
    ],
)
def test_malformed_json_is_refused_not_a_traceback(debt: Debt, tmp_path: Path, name: str, text: str):
    from helpers import assert_error

    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    r = debt("import", str(path))
    assert_error(r, 2)


def test_importing_a_fifo_is_refused_at_once(debt: Debt, tmp_path: Path):
    import os

    from helpers import assert_error

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert_error(debt("import", str(fifo)), 2)


def test_odd_months_and_bytes_are_refused_not_a_traceback(debt: Debt):
    from helpers import assert_error

    for month in ("0001-01", "9999-12", "2026-13", "2026-1", "２０２６-٠١"):
        assert_error(debt("dti", "--month", month), 2)
    assert debt.ok("dti", "--month", "2026-11", "--json").json["month"] == "2026-11"
    import subprocess
    import sys

    # a real process: Python reads bytes that are not UTF-8 from standard input as lone surrogates
    r = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(debt.db), "sms", "check", "-", "--save"],
        input="催收".encode() + b"\xff\xfe" + "短信".encode(),
        capture_output=True,
        env={**__import__("os").environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "DEBT_TRACKER_LANG": "en"},
    )
    assert r.returncode == 2 and b"Traceback" not in r.stderr and r.stderr.count(b"\n") == 1, r.stderr
    assert not debt.db.exists()


@pytest.mark.parametrize("amount", ["¥" + "9" * 29, "1e300", "¥1" + "0" * 40 + ".00"])
def test_absurd_statement_amounts_are_refused_in_one_line(debt: Debt, tmp_path: Path, amount: str):
    from helpers import assert_error

    path = tmp_path / "wechat.csv"
    path.write_bytes(wechat_csv([WECHAT_ROWS[0].replace("¥548.58", amount, 1)]))
    assert_error(debt("statement", "import", str(path), "--dry-run"), 2)


def test_an_xlsx_cell_of_1e300_is_refused_in_one_line(debt: Debt, tmp_path: Path):
    import openpyxl
    from helpers import assert_error
    from statement_files import WECHAT_HEADER, WECHAT_PREAMBLE

    book = openpyxl.Workbook()
    sheet = book.active
    for line in WECHAT_PREAMBLE:
        sheet.append([line])
    sheet.append(WECHAT_HEADER.split(","))
    sheet.append(
        ["2025-03-05 20:10:00", "信用卡还款", "招商银行信用卡还款", "/", "/", 1e300, "零钱", "支付成功", "4200000002", "1", "/"]
    )
    path = tmp_path / "微信支付账单流水文件(20250301-20250331).xlsx"
    book.save(path)
    assert_error(debt("statement", "import", str(path), "--dry-run"), 2)


def test_a_workbook_that_unpacks_to_too_much_is_refused_at_once(debt: Debt, tmp_path: Path):
    import time

    from helpers import assert_error

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/sharedStrings.xml", "A" * (70 * 1024 * 1024))  # compresses to about 70 KB
    assert path.stat().st_size < 1024 * 1024
    start = time.perf_counter()
    r = debt("statement", "import", str(path), "--dry-run")
    assert_error(r, 2)
    assert "64 MB" in r.stderr and time.perf_counter() - start < 5


def _shared_string_bomb(path: Path, rows: int, chars: int) -> None:
    """One long shared string, referenced by every cell: a small file whose cells hold gigabytes of text."""
    cells = "".join(f'<c r="{c}{{n}}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
    sheet_rows = "".join(f'<row r="{n}">' + cells.format(n=n) + "</row>" for n in range(1, rows + 1))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_rows}</sheetData></worksheet>")
        zf.writestr("xl/sharedStrings.xml", f'<sst {ns} count="1" uniqueCount="1"><si><t>{"交易时间" * chars}</t></si></sst>')


@pytest.mark.parametrize(("rows", "chars", "says"), [(50, 3000, "10,000 characters"), (3000, 2400, "64 MB of text")])
def test_a_cell_bomb_is_refused_in_seconds(debt: Debt, tmp_path: Path, rows: int, chars: int, says: str):
    """A huge cell, or one string repeated in every cell: refused before it costs minutes and gigabytes."""
    import time

    from helpers import assert_error

    path = tmp_path / "cells.xlsx"
    _shared_string_bomb(path, rows, chars)
    assert path.stat().st_size < 1024 * 1024
    start = time.perf_counter()
    r = debt("statement", "import", str(path), "--dry-run")
    assert_error(r, 2)
    assert says in r.stderr and time.perf_counter() - start < 10


def test_a_database_in_a_read_only_folder_can_still_be_read(debt: Debt, monkeypatch: pytest.MonkeyPatch):
    import os

    import tracker.store.base as store_module

    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "10000", "--rate", "4", "--term", "12",
            "--method", "equal-installment", "--start", "2026-01-01", "--json")  # fmt: skip
    folder = debt.db.parent
    real_access = os.access

    def access(path, mode, *args, **kwargs):  # the tests may run as root, who can write anywhere
        if mode == os.W_OK and Path(path) == folder:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(store_module.os, "access", access)
    listed = debt.ok("loan", "list", "--json").json
    assert [x["name"] for x in listed] == ["房贷"]


def test_a_full_disk_or_a_read_only_place_is_not_called_damage(tmp_path: Path):
    import sqlite3

    from tracker.store.base import _open_error

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"
    readonly = sqlite3.OperationalError("attempt to write a readonly database")
    readonly.sqlite_errorname = "SQLITE_READONLY"
    damaged = sqlite3.DatabaseError("file is not a database")
    damaged.sqlite_errorname = "SQLITE_NOTADB"
    path = tmp_path / "debt.db"
    assert "disk is full" in _open_error(path, full).message
    assert "read-only" in _open_error(path, readonly).message
    assert "not a debt-tracker database" in _open_error(path, damaged).message
