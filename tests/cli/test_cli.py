"""End-to-end tests of the `debt` command line, run in-process through the `debt` fixture."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import json
import math
import re
import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy_financial as npf
import pytest
from helpers import INSTALLMENT, MORTGAGE, ROOT, TODAY, Debt, assert_error, build_household, dump, small_loan
from typer.testing import CliRunner

from tracker.cli import app

MONEY = re.compile(r"^\d+\.\d{2}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SUMMARY_KEYS = set(
    "id name lender kind method currency principal received annual_rate term_months start_date first_due_date "
    "status outstanding_principal overdue_amount days_overdue next_due_date next_due_amount".split()
)
DETAIL_KEYS = SUMMARY_KEYS | {"schedule", "repayments"}
SCHEDULE_KEYS = set("seq due_date principal interest fee total paid status".split())
REPAYMENT_KEYS = set("id date amount note".split())
TODAY_DATE = dt.date.fromisoformat(TODAY)


def money(text: str) -> Decimal:
    assert MONEY.match(text), text
    return Decimal(text)


@pytest.fixture
def mortgage(debt: Debt) -> Debt:
    """The MORTGAGE as loan 1 with its first installment paid on time (repayment 1)."""
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", INSTALLMENT, "--date", "2025-02-15")
    return debt


# -- 1. JSON shapes ----------------------------------------------------------------------------
def test_loan_add_json_shape(debt: Debt) -> None:
    out = debt.ok(*MORTGAGE, "--json").json
    assert DETAIL_KEYS <= set(out), DETAIL_KEYS - set(out)
    assert out["id"] == 1
    assert out["name"] == "房贷" and out["lender"] == "ICBC" and out["method"] == "equal-installment"
    assert out["currency"] == "CNY" and out["kind"] == "other"
    assert out["principal"] == "1000000.00" and out["received"] == "1000000.00"
    assert out["annual_rate"] == "4.90"
    assert out["term_months"] == 360
    assert out["start_date"] == "2025-01-15" and out["first_due_date"] == "2025-02-15"
    for key in ("principal", "received", "outstanding_principal", "overdue_amount", "next_due_amount"):
        assert isinstance(out[key], str) and MONEY.match(out[key]), (key, out[key])
    assert isinstance(out["days_overdue"], int)
    assert out["repayments"] == []
    sched = out["schedule"]
    assert len(sched) == 360
    for item in sched:
        assert SCHEDULE_KEYS <= set(item)
        assert ISO_DATE.match(item["due_date"])
        for key in ("principal", "interest", "fee", "total", "paid"):
            assert MONEY.match(item[key]), (key, item)
        assert item["status"] in ("paid", "overdue", "partial", "due")
    assert [s["seq"] for s in sched] == list(range(1, 361))
    assert sched[0]["due_date"] == "2025-02-15" and sched[-1]["due_date"] == "2055-01-15"
    assert sched[0]["total"] == INSTALLMENT
    assert sum(money(s["principal"]) for s in sched) == Decimal("1000000.00")
    assert money(out["outstanding_principal"]) == Decimal("1000000.00")


def test_repayment_items_in_loan_show(mortgage: Debt) -> None:
    mortgage.ok("repay", "1", "100", "--date", "2025-03-01", "--note", "extra bit")
    reps = mortgage.ok("loan", "show", "1", "--json").json["repayments"]
    assert len(reps) == 2
    for item in reps:
        assert REPAYMENT_KEYS <= set(item)
        assert isinstance(item["id"], int) and ISO_DATE.match(item["date"]) and MONEY.match(item["amount"])
    assert [(r["date"], r["amount"], r["note"]) for r in reps] == [
        ("2025-02-15", INSTALLMENT, ""),
        ("2025-03-01", "100.00", "extra bit"),
    ]


def test_revolving_has_no_term(debt: Debt) -> None:
    out = debt.ok(
        "loan", "add", "card", "--lender", "CMB", "--principal", "5000", "--rate", "18", "--method", "revolving",
        "--start", "2026-01-01", "--json",
    ).json  # fmt: skip
    assert out["term_months"] is None
    assert out["method"] == "revolving" and out["annual_rate"] == "18.00"
    assert len(out["schedule"]) > 1


def test_revolving_refuses_a_term(debt: Debt) -> None:
    r = debt(*small_loan(method="revolving"))
    assert_error(r, 2)
    assert not debt.db.exists()


def test_loan_list_json_is_the_summary(debt: Debt) -> None:
    detail = debt.ok(*MORTGAGE, "--json").json
    assert "Added loan 2." in debt.ok(*small_loan()).stdout
    listed = debt.ok("loan", "list", "--json").json
    assert isinstance(listed, list) and [item["id"] for item in listed] == [1, 2]
    first = listed[0]
    assert SUMMARY_KEYS <= set(first)
    assert "schedule" not in first and "repayments" not in first
    assert first == {k: v for k, v in detail.items() if k not in ("schedule", "repayments", "rate_history", "notices")}


def test_json_is_indented_for_a_terminal_and_one_line_for_a_program(debt: Debt, monkeypatch, capsys) -> None:
    from tracker.cli import render

    debt.ok(*MORTGAGE)
    piped = debt.ok("loan", "show", "1", "--json").stdout
    assert piped.count("\n") == 1 and piped.startswith('{"id":1,"name":')  # CliRunner's stdout is not a terminal
    data = json.loads(piped)
    monkeypatch.setattr(render.sys.stdout, "isatty", lambda: True)
    render._print_json(data)
    shown = capsys.readouterr().out
    assert shown.startswith('{\n  "id": 1,\n') and shown.count("\n") > len(data["schedule"])
    assert json.loads(shown) == data


def test_closed_loans_only_with_all(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    debt.ok(*small_loan("once", method="bullet", rate="0", term="1"), "--json")
    debt.ok("repay", "2", "1000", "--date", "2026-01-20")
    assert [x["id"] for x in debt.ok("loan", "list", "--json").json] == [1]
    everything = debt.ok("loan", "list", "--all", "--json").json
    assert [(x["id"], x["status"]) for x in everything] == [(1, "overdue"), (2, "closed")]
    assert everything[1]["outstanding_principal"] == "0.00"
    assert "once" not in debt.ok("loan", "list").stdout
    assert "once" in debt.ok("loan", "list", "--all").stdout


# -- 2. rate units -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("option", "value", "annual"),
    [("--monthly-rate", "0.5", "6.00"), ("--daily-rate", "0.05", "18.25"), ("--rate", "4.9", "4.90"), ("--rate", "0", "0.00")],
)
def test_rate_units(debt: Debt, option: str, value: str, annual: str) -> None:
    out = debt.ok(*small_loan(rate=None), option, value, "--json").json
    assert out["annual_rate"] == annual
    assert debt.ok("loan", "show", "1", "--json").json["annual_rate"] == annual


# -- 3. amount formats -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12000", "12000.00"),
        ("12,000.50", "12000.50"),
        ("¥12000", "12000.00"),
        ("¥ 12,000.50", "12000.50"),
        ("12000 元", "12000.00"),
    ],
)
def test_amount_formats(debt: Debt, typed: str, stored: str) -> None:
    out = debt.ok(*small_loan(principal=typed), "--json").json
    assert out["principal"] == stored
    rep = debt.ok("repay", "1", typed, "--date", "2026-01-02", "--allow-overpay", "--json").json["repayment"]
    assert rep["amount"] == stored


# -- 4. bad input ------------------------------------------------------------------------------
BAD_INPUT = [
    ("negative principal", small_loan(principal="-5"), 2),
    ("zero principal", small_loan(principal="0"), 2),
    ("abc principal", small_loan(principal="abc"), 2),
    ("too many decimals", small_loan(principal="1.234"), 2),
    ("huge principal", small_loan(principal="99999999999999999999"), 2),
    ("negative repayment", ["repay", "1", "-5"], 2),
    ("zero repayment", ["repay", "1", "0"], 2),
    ("abc repayment", ["repay", "1", "abc"], 2),
    ("repayment decimals", ["repay", "1", "1.234"], 2),
    ("digits split by a space", ["repay", "1", "10 00"], 2),  # a slip, not a thousand
    ("digits split by spaces", small_loan(principal="1 0 0"), 2),
    ("huge repayment", ["repay", "1", "99999999999999999999"], 2),
    ("start 2026-02-30", small_loan(start="2026-02-30"), 2),
    ("start 26-1-1", small_loan(start="26-1-1"), 2),
    ("repay date 2026-02-30", ["repay", "1", "100", "--date", "2026-02-30"], 2),
    ("repay date 26-1-1", ["repay", "1", "100", "--date", "26-1-1"], 2),
    ("show unknown id", ["loan", "show", "999"], 1),
    ("repay unknown id", ["repay", "999", "100"], 1),
    ("edit unknown id", ["loan", "edit", "999", "--name", "x"], 1),
    ("delete unknown id", ["loan", "delete", "999", "--yes"], 1),
    ("show id x", ["loan", "show", "x"], 2),
    ("repay id x", ["repay", "x", "100"], 2),
    ("delete id x", ["loan", "delete", "x", "--yes"], 2),
    ("show id 0", ["loan", "show", "0"], 2),
    ("unknown method", small_loan(method="zigzag"), 2),
    ("unknown kind", small_loan(kind="spaceship"), 2),
    ("term 0", small_loan(term="0"), 2),
    ("term abc", small_loan(term="abc"), 2),
    ("term empty", small_loan(term=""), 2),
    ("missing rate", small_loan(rate=None), 2),
    ("rate and daily rate", small_loan(daily_rate="0.05"), 2),
    ("received above principal", small_loan(received="1000.01"), 2),
    ("first due before start", small_loan(first_due="2025-12-31"), 2),
    ("first due on start", small_loan(first_due="2026-01-01"), 2),
    ("name of spaces", small_loan("   "), 2),
    ("name with BEL", small_loan("a\x07b"), 2),
    ("lender with BEL", small_loan(lender="x\x07"), 2),
    ("note with BEL", ["repay", "1", "100", "--note", "a\x07"], 2),
    ("overpay", ["repay", "1", "2,000,000"], 1),
    ("keep-term without prepay", ["repay", "1", "100", "--keep-term"], 2),
    ("repayment before loan start", ["repay", "1", "100", "--date", "2025-01-14"], 2),
    ("edit to bad term", ["loan", "edit", "1", "--term", "0"], 2),
    ("delete without --yes", ["loan", "delete", "1"], 1),
    ("repayment delete without --yes", ["repayment", "delete", "1"], 1),
    ("repayment delete unknown", ["repayment", "delete", "999", "--yes"], 1),
    ("repayment delete unknown, no --yes", ["repayment", "delete", "999"], 1),
    ("repayment delete id x", ["repayment", "delete", "x", "--yes"], 2),
    ("unknown option", ["loan", "list", "--bogus"], 2),
    ("unknown export format", ["export", "out.xyz", "--format", "xml"], 2),
    ("import missing file", ["import", "/nonexistent/file.json"], 2),
]


@pytest.mark.parametrize(("args", "code"), [pytest.param(a, c, id=i) for i, a, c in BAD_INPUT])
def test_bad_input_changes_nothing(mortgage: Debt, args: list[str], code: int) -> None:
    before = dump(mortgage.db)
    r = mortgage(*args)
    assert_error(r, code)
    assert dump(mortgage.db) == before


@pytest.mark.parametrize("args", [["loan", "list"], ["repay", "1", "100"], small_loan()], ids=["list", "repay", "add"])
def test_bad_today(mortgage: Debt, args: list[str]) -> None:
    before = dump(mortgage.db)
    r = mortgage(*args, today="2026-13-01")
    assert_error(r, 2)
    assert "--today" in r.stderr
    assert dump(mortgage.db) == before


def test_bad_loan_add_does_not_create_the_database(debt: Debt) -> None:
    assert_error(debt(*small_loan(principal="abc")), 2)
    assert not debt.db.exists()


def test_overpay_names_what_is_still_owed(mortgage: Debt) -> None:
    before = dump(mortgage.db)
    sched = mortgage.ok("loan", "show", "1", "--json").json["schedule"]
    owed = sum(money(s["total"]) - money(s["paid"]) for s in sched)
    r = mortgage("repay", "1", "2,000,000")
    assert_error(r, 1)
    assert f"{owed:,.2f}" in r.stderr, (owed, r.stderr)
    assert "--allow-overpay" in r.stderr
    assert dump(mortgage.db) == before
    # exactly what is owed is accepted and closes the loan
    out = mortgage.ok("repay", "1", f"{owed:.2f}", "--date", "2025-03-01", "--json").json
    assert out["loan"]["status"] == "closed" and out["credit"] == "0.00"
    assert_error(mortgage("repay", "1", "1"), 1)


def test_the_same_repayment_typed_twice_is_refused_unless_again(mortgage: Debt) -> None:
    """Repayment 1 is INSTALLMENT on 2025-02-15: the same amount on the same day again, however typed, is most likely
    the same payment twice; refused with nothing written, it is recorded with --again. Another day or amount is not
    asked about."""
    before = dump(mortgage.db)
    for amount, day in ((INSTALLMENT, "2025-02-15"), ("¥5,307.27", "２０２５-０２-１５"), ("５３０７．２７元", "2025-02-15")):
        r = mortgage("repay", "1", amount, "--date", day)
        assert_error(r, 1)
        assert "repayment 1" in r.stderr and "¥5,307.27 on 2025-02-15" in r.stderr and "--again" in r.stderr
    assert dump(mortgage.db) == before
    second = mortgage.ok("repay", "1", INSTALLMENT, "--date", "2025-02-15", "--again", "--json").json
    assert (second["repayment"]["id"], second["repayment"]["date"], second["repayment"]["amount"]) == (
        2,
        "2025-02-15",
        INSTALLMENT,
    )
    mortgage.ok("repay", "1", INSTALLMENT, "--date", "2025-02-16")  # another day
    mortgage.ok("repay", "1", "100", "--date", "2025-02-15")  # another amount
    assert len(mortgage.ok("repayment", "list", "--json").json) == 4


def test_delete_without_yes_keeps_the_loan(mortgage: Debt) -> None:
    r = mortgage("loan", "delete", "1")
    assert_error(r, 1)
    assert mortgage.ok("loan", "show", "1", "--json").json["id"] == 1
    assert len(mortgage.ok("repayment", "list", "--json").json) == 1
    mortgage.ok("loan", "delete", "1", "--yes")
    assert mortgage.ok("loan", "list", "--all", "--json").json == []
    assert mortgage.ok("repayment", "list", "--json").json == []
    assert_error(mortgage("loan", "show", "1"), 1)


# -- 5. the database file ----------------------------------------------------------------------
@pytest.mark.parametrize("args", [["loan", "list"], small_loan(), ["repayment", "list"]], ids=["list", "add", "repayments"])
def test_db_is_a_directory(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    r = Debt(folder)(*args)
    assert r.exit_code != 0
    assert_error(r, r.exit_code)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [["loan", "list"], ["loan", "show", "1"], small_loan(), ["repay", "1", "100"], ["export", "OUT"]],
    ids=["list", "show", "add", "repay", "export"],
)
def test_db_is_a_text_file(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"shopping list: eggs, milk\n")
    args = [str(tmp_path / "out.json") if a == "OUT" else a for a in args]
    r = Debt(db)(*args)
    assert_error(r, 1)
    assert "not a debt-tracker database" in r.stderr
    assert db.read_bytes() == b"shopping list: eggs, milk\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    data = db.read_bytes()
    r = Debt(db)(*small_loan())
    assert_error(r, 1)
    assert db.read_bytes() == data


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["loan", "list"], 0),
        (["loan", "list", "--json", "--all"], 0),
        (["loan", "show", "1"], 1),
        (["repayment", "list", "--json"], 0),
        (["repay", "1", "100"], 1),
    ],
    ids=["list", "list-json", "show", "repayments", "repay"],
)
@pytest.mark.parametrize("where", ["missing.db", "absent/folder/debt.db"])
def test_read_only_commands_do_not_create_the_database(tmp_path: Path, args: list[str], code: int, where: str) -> None:
    db = tmp_path / where
    if "/" in where:
        code = 1  # a folder the user named that does not exist is an error, not an empty ledger
    r = Debt(db)(*args)
    assert r.exit_code == code, r.stderr
    if code:
        assert_error(r, code)
    assert list(tmp_path.iterdir()) == []
    if "--json" in args and not code:
        assert r.json == []


def test_export_of_missing_database_does_not_create_it(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    Debt(db).ok("export", str(tmp_path / "out.json"))
    assert not db.exists()
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["loans"] == [] and data["repayments"] == []


# -- 6. global options anywhere ----------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["loan", "list", "--json", "--today", "2026-01-01", "--db", "DB"],
        ["loan", "list", "--today=2026-01-01", "--json", "--db=DB"],
        ["--db", "DB", "loan", "list", "--json", "--today", "2026-01-01"],
        ["loan", "--today", "2026-01-01", "--db", "DB", "list", "--json"],
    ],
)
def test_global_options_after_the_subcommand(debt: Debt, argv: list[str]) -> None:
    debt.ok(*MORTGAGE, "--json")
    runner = CliRunner()
    front = runner.invoke(app, ["--db", str(debt.db), "--today", "2026-01-01", "loan", "list", "--json"], catch_exceptions=False)
    assert front.exit_code == 0, front.stderr
    expected = json.loads(front.stdout)
    assert expected[0]["days_overdue"] == (dt.date(2026, 1, 1) - dt.date(2025, 2, 15)).days
    argv = [a.replace("DB", str(debt.db)) for a in argv]
    r = runner.invoke(app, argv, catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == expected


def test_global_options_after_a_write_command(tmp_path: Path) -> None:
    db = tmp_path / "late.db"
    r = CliRunner().invoke(app, [*MORTGAGE, "--json", "--db", str(db), "--today", "2025-03-01"], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["days_overdue"] == 14 and out["status"] == "overdue"
    assert db.exists()
    assert Debt(db).ok("loan", "list", "--json").json[0]["name"] == "房贷"


# -- 7. repayments and statuses ----------------------------------------------------------------
def test_repay_then_show(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    out = debt.ok("repay", "1", INSTALLMENT, "--date", "2025-02-15", "--json").json
    assert out["repayment"]["amount"] == INSTALLMENT and out["repayment"]["date"] == "2025-02-15"
    assert out["loan"]["outstanding_principal"] == "998776.06"  # 1,000,000 - 1,223.94 (installment 1's principal)
    shown = debt.ok("loan", "show", "1", "--json").json
    sched = shown["schedule"]
    assert sched[0]["status"] == "paid" and sched[0]["paid"] == INSTALLMENT
    assert sched[1]["due_date"] == "2025-03-15" and sched[1]["status"] == "overdue" and sched[1]["paid"] == "0.00"
    for item in sched[1:]:
        due = dt.date.fromisoformat(item["due_date"])
        assert item["status"] == ("overdue" if due < TODAY_DATE else "due"), item
        assert item["paid"] == "0.00"
    assert sched[21]["due_date"] == TODAY and sched[21]["status"] == "due"  # due today is not overdue
    overdue = [s for s in sched if s["status"] == "overdue"]
    assert len(overdue) == 20
    assert shown["status"] == "overdue"
    assert shown["days_overdue"] == (TODAY_DATE - dt.date(2025, 3, 15)).days == 610
    assert money(shown["overdue_amount"]) == 20 * Decimal(INSTALLMENT)
    assert shown["next_due_date"] == TODAY and shown["next_due_amount"] == INSTALLMENT
    assert shown["outstanding_principal"] == "998776.06"


def test_status_boundaries_and_partial_payment(mortgage: Debt) -> None:
    mortgage.ok("repay", "1", "1000", "--date", "2025-03-01")

    def inst2(today: str) -> dict:
        return mortgage.ok("loan", "show", "1", "--json", today=today).json["schedule"][1]

    for today, status in [("2025-03-10", "partial"), ("2025-03-15", "partial"), ("2025-03-16", "overdue")]:
        item = inst2(today)
        assert (item["status"], item["paid"]) == (status, "1000.00"), today
    early = mortgage.ok("loan", "show", "1", "--json", today="2025-03-10").json
    assert early["status"] == "active" and early["days_overdue"] == 0 and early["overdue_amount"] == "0.00"
    assert early["schedule"][2]["status"] == "due"
    assert early["next_due_date"] == "2025-03-15" and early["next_due_amount"] == "4307.27"
    # as of TODAY the partly paid installment 2 is the oldest unpaid one
    now = mortgage.ok("loan", "show", "1", "--json").json
    assert now["days_overdue"] == (TODAY_DATE - dt.date(2025, 3, 15)).days
    assert money(now["overdue_amount"]) == 20 * Decimal(INSTALLMENT) - 1000
    # paying the rest of installment 2 moves the oldest unpaid date to 2025-04-15
    mortgage.ok("repay", "1", "4307.27", "--date", "2025-03-20")
    now = mortgage.ok("loan", "show", "1", "--json").json
    assert now["schedule"][1]["status"] == "paid"
    assert now["days_overdue"] == (TODAY_DATE - dt.date(2025, 4, 15)).days == 579
    assert money(now["overdue_amount"]) == 19 * Decimal(INSTALLMENT)


def test_repayment_delete_recomputes(mortgage: Debt) -> None:
    mortgage.ok("repay", "1", "1000", "--date", "2025-03-01")
    mortgage.ok("repay", "1", "4307.27", "--date", "2025-03-20")
    ids = [r["id"] for r in mortgage.ok("repayment", "list", "--json").json]
    assert len(ids) == 3
    r = mortgage.ok("repayment", "delete", str(ids[1]), "--yes")
    assert "overdue" in r.stdout
    assert [x["id"] for x in mortgage.ok("repayment", "list", "--json").json] == [ids[0], ids[2]]
    shown = mortgage.ok("loan", "show", "1", "--json").json
    sched = shown["schedule"]
    assert (sched[0]["status"], sched[0]["paid"]) == ("paid", INSTALLMENT)
    assert (sched[1]["status"], sched[1]["paid"]) == ("overdue", "4307.27")
    assert shown["days_overdue"] == 610
    assert money(shown["overdue_amount"]) == 20 * Decimal(INSTALLMENT) - Decimal("4307.27")
    # deleting the first repayment: the later 4,307.27 now goes to installment 1
    mortgage.ok("repayment", "delete", str(ids[0]), "--yes")
    sched = mortgage.ok("loan", "show", "1", "--json").json["schedule"]
    assert (sched[0]["status"], sched[0]["paid"]) == ("overdue", "4307.27")
    assert sched[1]["paid"] == "0.00"
    assert mortgage.ok("loan", "show", "1", "--json").json["days_overdue"] == (TODAY_DATE - dt.date(2025, 2, 15)).days


def _prepaid(debt: Debt, *extra: str) -> tuple[dict, dict]:
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", INSTALLMENT, "--date", "2025-02-15")
    before = debt.ok("loan", "show", "1", "--json").json
    debt.ok("repay", "1", "105307.27", "--date", "2025-03-15", "--prepay", *extra, "--json")
    return before, debt.ok("loan", "show", "1", "--json").json


def _installments(state: dict) -> list[dict]:
    return [s for s in state["schedule"] if s.get("kind", "installment") == "installment"]


def test_prepay_shortens_the_term(debt: Debt) -> None:
    before, after = _prepaid(debt)
    # installment 2 (due that day) is paid first; the remaining 100,000 goes to principal (no days to accrue)
    inst2_principal = money(before["schedule"][1]["principal"])
    balance = money(before["outstanding_principal"]) - inst2_principal - 100000
    assert money(after["outstanding_principal"]) == balance
    assert sum(money(s["principal"]) for s in after["schedule"]) == Decimal("1000000.00")
    lines = _installments(after)
    # as banks do: the fewest whole months the old payment allows, with a new level payment for them
    months = math.ceil(npf.nper(0.049 / 12, -5307.27, float(balance)))
    assert len(lines) == 2 + months
    payment = Decimal(str(-npf.pmt(0.049 / 12, months, float(balance)))).quantize(Decimal("0.01"))
    assert {money(s["total"]) for s in lines[2:-1]} == {payment}
    assert payment < Decimal(INSTALLMENT)
    assert lines[1]["status"] == "paid" and lines[2]["status"] == "overdue"
    # installment numbers never change; the prepayment line has none
    assert [s["seq"] for s in lines] == list(range(1, len(lines) + 1))
    assert [(s["seq"], s["kind"]) for s in after["schedule"] if s["kind"] == "prepayment"] == [(None, "prepayment")]


def test_prepay_keep_term_lowers_the_payment(debt: Debt) -> None:
    before, after = _prepaid(debt, "--keep-term")
    inst2_principal = money(before["schedule"][1]["principal"])
    assert money(after["outstanding_principal"]) == money(before["outstanding_principal"]) - inst2_principal - 100000
    assert sum(money(s["principal"]) for s in after["schedule"]) == Decimal("1000000.00")
    lines = _installments(after)
    assert len(lines) == 360
    assert lines[-1]["due_date"] == "2055-01-15"
    later = [s for s in lines if s["due_date"] > "2025-03-15"]
    assert later and all(money(s["total"]) < Decimal(INSTALLMENT) for s in later)
    assert money(after["next_due_amount"]) < Decimal(INSTALLMENT)


def test_json_round_trip_is_identical(debt: Debt, tmp_path: Path) -> None:
    build_household(debt)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    debt.ok("export", str(first))
    fresh = Debt(tmp_path / "fresh.db")
    r = fresh.ok("import", str(first))
    assert "5 loans" in r.stdout and "6 repayments" in r.stdout
    fresh.ok("export", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert fresh.ok("loan", "list", "--all", "--json").json == debt.ok("loan", "list", "--all", "--json").json
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["format"] == "debt-tracker" and len(data["loans"]) == 5 and len(data["repayments"]) == 6


@pytest.mark.parametrize(
    "loan",
    [
        [
            "loan",
            "add",
            "card",
            "--lender",
            "B",
            "--principal",
            "5000",
            "--rate",
            "18",
            "--method",
            "revolving",
            "--start",
            "2026-01-01",
        ],
        small_loan(rate=None, monthly_rate="0.5"),
        small_loan(rate=None, daily_rate="0.02"),
    ],
    ids=["revolving-default-minimum", "monthly-rate", "daily-rate"],
)
def test_json_round_trip_of_rates(debt: Debt, tmp_path: Path, loan: list[str]) -> None:
    debt.ok(*loan)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    debt.ok("export", str(first))
    fresh = Debt(tmp_path / "fresh.db")
    fresh.ok("import", str(first))
    fresh.ok("export", str(second))
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_export_writes_plain_rate_numbers(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*small_loan(rate="20"), "--json")
    debt.ok("export", str(tmp_path / "out.json"))
    loan = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["loans"][0]
    assert re.match(r"^\d+(\.\d+)?$", loan["annual_rate"]), loan["annual_rate"]


def test_import_with_one_bad_record_changes_nothing(debt: Debt, tmp_path: Path) -> None:
    build_household(debt)
    good = tmp_path / "good.json"
    debt.ok("export", str(good))
    data = json.loads(good.read_text(encoding="utf-8"))
    data["repayments"][1]["amount"] = "-3"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # into an existing database
    before = dump(debt.db)
    r = debt("import", str(bad))
    assert_error(r, 2)
    assert "repayment #2" in r.stderr
    assert dump(debt.db) == before
    # into a new one: the file is not even created
    fresh = Debt(tmp_path / "fresh.db")
    assert_error(fresh("import", str(bad)), 2)
    assert not fresh.db.exists()


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d["loans"][2].update(principal="abc"), "loan #3"),
        (lambda d: d["repayments"][0].update(date="2026-02-30"), "repayment #1"),
        (lambda d: d["repayments"][0].update(loan_id=99), "repayment #1"),
        (lambda d: d.update(format="something-else"), "not a debt-tracker export"),
        (lambda d: d["repayments"][0].update(currency="USD"), "repayment #1: its currency USD is not its loan's (CNY)"),
    ],
    ids=["bad-principal", "bad-date", "unknown-loan", "wrong-format", "other-currency"],
)
def test_import_refuses_other_bad_files(debt: Debt, tmp_path: Path, mutate, needle: str) -> None:
    build_household(debt)
    path = tmp_path / "x.json"
    debt.ok("export", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    before = dump(debt.db)
    r = debt("import", str(path))
    assert_error(r, 2)
    assert needle in r.stderr
    assert dump(debt.db) == before


def test_import_as_new_copies_every_record(debt: Debt, tmp_path: Path) -> None:
    build_household(debt)
    path = tmp_path / "x.json"
    debt.ok("export", str(path))
    original = debt.ok("loan", "list", "--all", "--json").json
    debt.ok("import", str(path), "--as-new")
    after = debt.ok("loan", "list", "--all", "--json").json
    assert len(after) == 2 * len(original) == 10
    assert [x["id"] for x in after] == list(range(1, 11))
    assert [{k: v for k, v in x.items() if k != "id"} for x in after[5:]] == [
        {k: v for k, v in x.items() if k != "id"} for x in original
    ]
    reps = debt.ok("repayment", "list", "--json").json
    assert len(reps) == 12 and len({r["id"] for r in reps}) == 12
    assert Counter(r["loan_id"] for r in reps) == {1: 2, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 1, 8: 1, 9: 1, 10: 1}


def test_export_csv(debt: Debt, tmp_path: Path) -> None:
    build_household(debt)
    folder = tmp_path / "csv"
    debt.ok("export", "--format", "csv", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["loans.csv", "repayments.csv", "schedule.csv"]

    def rows(name: str) -> list[dict[str, str]]:
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
        with (folder / name).open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    loans = rows("loans.csv")
    assert [r["id"] for r in loans] == ["1", "2", "3", "4", "5"]
    assert loans[0]["name"] == "房贷" and loans[0]["principal"] == "1000000.00"
    assert len(rows("repayments.csv")) == 6
    sched = rows("schedule.csv")
    expected = sum(len(debt.ok("loan", "show", str(i), "--json").json["schedule"]) for i in range(1, 6))
    assert len(sched) == expected
    first = next(r for r in sched if r["loan_id"] == "1" and r["seq"] == "1")
    assert (first["paid"], first["status"]) == (INSTALLMENT, "paid")
    # a file where the folder should be is refused
    assert_error(debt("export", "--format", "csv", str(tmp_path / "csv" / "loans.csv")), 2)


def parse_journal(text: str) -> list[tuple[str, list[tuple[str, Decimal, str]]]]:
    txns: list[tuple[str, list[tuple[str, Decimal, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        if line.startswith(" "):
            account, sep, amount = line.strip().rpartition("  ")
            assert sep, f"posting without two spaces before the amount: {line!r}"
            value, currency = amount.split(" ")
            txns[-1][1].append((account, Decimal(value), currency))
        else:
            assert re.match(r"^\d{4}-\d{2}-\d{2} \* ", line), line
            txns.append((line, []))
    return txns


def test_export_ledger_balances(debt: Debt, tmp_path: Path) -> None:
    build_household(debt)
    out = tmp_path / "out.journal"
    debt.ok("export", "--format", "ledger", str(out))
    txns = parse_journal(out.read_text(encoding="utf-8"))
    assert len(txns) == 5 + 6
    for head, postings in txns:
        assert len(postings) >= 2, head
        by_currency: dict[str, Decimal] = {}
        for _account, value, currency in postings:
            by_currency[currency] = by_currency.get(currency, Decimal(0)) + value
        assert all(v == 0 for v in by_currency.values()), (head, postings)
    dates = [head[:10] for head, _ in txns]
    assert dates == sorted(dates)
    # each loan's liability account ends at minus its outstanding principal
    for loan in debt.ok("loan", "list", "--all", "--json").json:
        prefix = f"Liabilities:Loans:{loan['id']} "
        balance = sum(v for _h, ps in txns for a, v, _c in ps if a.startswith(prefix))
        assert balance == -money(loan["outstanding_principal"]), loan["name"]


# -- 9. demo -----------------------------------------------------------------------------------
SAMPLE_AS_OF = json.loads((ROOT / "tracker" / "sample_data" / "household.json").read_text("utf-8"))["as_of"]


def test_demo_without_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEBT_TRACKER_TODAY", raising=False)
    db = tmp_path / "never.db"
    r = CliRunner().invoke(app, ["--db", str(db), "demo"], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    assert f"as of {SAMPLE_AS_OF}" in r.stdout
    assert "Overdue" in r.stdout
    assert not db.exists()
    assert list(tmp_path.iterdir()) == []


def test_demo_with_today_leaves_the_database_alone(mortgage: Debt) -> None:
    gc.collect()  # close connections earlier commands left to the garbage collector (they checkpoint the WAL)
    content = dump(mortgage.db)
    before = mortgage.db.read_bytes()
    stamp = mortgage.db.stat().st_mtime_ns
    r = mortgage.ok("demo", today="2027-03-01")
    assert "as of 2027-03-01" in r.stdout
    assert "Overdue" in r.stdout
    assert mortgage.db.read_bytes() == before and mortgage.db.stat().st_mtime_ns == stamp
    assert dump(mortgage.db) == content
    assert len(mortgage.ok("loan", "list", "--json").json) == 1


def test_demo_with_today_does_not_create_the_database(debt: Debt) -> None:
    r = debt.ok("demo")
    assert f"as of {TODAY}" in r.stdout and "Overdue" in r.stdout
    assert not debt.db.exists()


def test_errors_never_print_a_full_card_or_id_number(debt: Debt) -> None:
    debt.ok(*small_loan(), "--json")
    for value in ("6222021001123456", "6222 0210 0112 3456", "11010519491231002X"):
        r = debt("repay", "1", value)
        assert r.exit_code == 2
        # masked where the error quotes what was typed; a 16-digit amount is refused by the limit, without the digits
        assert value not in r.stderr and ("****" in r.stderr or "too large: at most" in r.stderr)


# `debt` builds only the command it runs (app.for_command_line); every other command keeps its name and help.
def _pages() -> list[list[str]]:
    from typer.main import get_command

    full = get_command(app)
    pages = [["--help"], ["-h"]]
    for name, command in full.commands.items():
        pages.append([name, "--help"])
        for sub in getattr(command, "commands", {}):
            pages.append([name, sub, "--help"])
    return pages


def test_the_command_word_of_a_command_line() -> None:
    from tracker.cli.app import command_path

    def _command_word(argv: list[str]) -> str | None:
        return command_path(argv)[0]

    assert _command_word(["loan", "list", "--json"]) == "loan"
    assert _command_word(["--db", "x.db", "--today", "2026-01-01", "repay", "1", "100"]) == "repay"
    assert _command_word(["--db=x.db", "--lang", "zh", "remind"]) == "remind"
    assert _command_word(["remind", "--db", "x.db"]) == "remind"  # global options stand anywhere
    assert _command_word(["--lang", "loan"]) is None  # "loan" is the value of --lang here
    assert _command_word(["--", "loan", "list"]) == "loan"  # after "--", words only
    assert _command_word(["--db", "x.db", "--", "remind"]) == "remind"
    for top in ([], ["--help"], ["--version"], ["--db", "x.db"], ["--bogus", "loan"], ["--"]):
        assert _command_word(top) is None


def test_the_command_path_of_a_command_line() -> None:
    """The group's command is built in full too, the group's other commands by name and help alone."""
    from tracker.cli.app import command_path

    assert command_path(["loan", "list", "--json"]) == ("loan", "list")
    assert command_path(["--db", "x.db", "card", "show", "1"]) == ("card", "show")
    assert command_path(["loan", "--help"]) == ("loan", None)
    assert command_path(["loan"]) == ("loan", None)
    assert command_path(["repay", "1", "100"]) == ("repay", "1")  # a command's argument: no command of that name
    assert command_path(["--", "loan", "list"]) == ("loan", "list")
    assert command_path(["loan", "--", "show", "1"]) == ("loan", "show")
    assert command_path(["--help"]) == (None, None)


def test_every_help_page_is_the_full_apps(tmp_path: Path) -> None:
    from tracker.cli import for_command_line

    db = str(tmp_path / "none.db")
    pages = _pages()
    assert len(pages) > 60
    runner = CliRunner()
    for page in pages:
        argv = ["--db", db, *page]
        full = runner.invoke(app, argv, catch_exceptions=False)
        pruned = runner.invoke(for_command_line(argv), argv, catch_exceptions=False)
        assert (pruned.exit_code, pruned.stdout, pruned.stderr) == (full.exit_code, full.stdout, full.stderr), page
        assert full.exit_code == 0 and "Usage: " in full.stdout, page
    for lang in ("zh", "en"):
        argv = ["--db", db, "--lang", lang, "--help"]
        full = runner.invoke(app, argv, catch_exceptions=False)
        assert runner.invoke(for_command_line(argv), argv, catch_exceptions=False).stdout == full.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["lon", "list"],
        ["loan", "lst"],
        ["--bogus"],
        ["loan"],
        ["--version"],
        ["repay"],
        ["--lang", "zh", "plna"],
        ["--db"],
        ["--", "loan", "list", "--json"],
        ["--", "remind", "--json"],
    ],
)
def test_refusals_and_answers_at_the_top_are_the_full_apps(tmp_path: Path, argv: list[str]) -> None:
    from tracker.cli import for_command_line

    argv = ["--db", str(tmp_path / "none.db"), *argv] if argv != ["--db"] else argv
    runner = CliRunner()
    full = runner.invoke(app, argv, catch_exceptions=False)
    pruned = runner.invoke(for_command_line(argv), argv, catch_exceptions=False)
    assert (pruned.exit_code, pruned.stdout, pruned.stderr) == (full.exit_code, full.stdout, full.stderr)
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_group_typed_alone_shows_its_help(debt: Debt, lang: str) -> None:
    # 'debt loan' is a usage error (exit 2) answered with the help 'debt loan --help' prints, as it is laid out
    from typer.main import get_command

    groups = [name for name, command in get_command(app).commands.items() if getattr(command, "commands", None)]
    assert {"loan", "card", "income", "sms"} <= set(groups)
    for group in groups:
        alone = debt("--lang", lang, group)
        assert alone.exit_code == 2 and alone.stdout == ""
        assert alone.stderr == debt.ok("--lang", lang, group, "--help").stdout
        assert "␊" not in alone.stderr and len(alone.stderr.splitlines()) > 5


def test_the_first_due_date_shown_is_an_installments_not_a_prepayments(debt: Debt) -> None:
    """A bullet loan partly prepaid before its one installment: the prepayment's line comes first in the
    schedule, dated when it was paid, but the terms name the installment's due date as the first due."""
    debt.ok("loan", "add", "借老王的钱", "--lender", "王强", "--principal", "30000", "--rate", "0", "--term", "12",
            "--method", "bullet", "--start", "2026-02-01")  # fmt: skip
    debt.ok("repay", "1", "5000", "--date", "2026-08-18", "--prepay")
    shown = debt.ok("loan", "show", "1").stdout
    assert "first due 2027-02-01" in shown and "first due 2026-08-18" not in shown
    schedule = debt.ok("loan", "show", "1", "--json").json["schedule"]
    assert schedule[0]["due_date"] == "2026-08-18" and schedule[0]["kind"] == "prepayment"


def test_an_empty_whole_number_is_said_to_be_required(debt: Debt) -> None:
    """An empty term reads as the other empty fields do ("is required"), not as a number it cannot read."""
    r = debt(*small_loan(term=""))
    assert_error(r, 2)
    assert "term is required" in r.stderr and "whole number" not in r.stderr


def test_a_repayment_paying_installments_ahead_says_a_prepayment_would_save_their_interest(debt: Debt) -> None:
    debt.ok("loan", "add", "L", "--lender", "B", "--principal", "100000", "--rate", "6", "--term", "12",
            "--method", "equal-installment", "--start", "2026-06-15", "--paid-until", "2026-10-15", today="2026-11-30")  # fmt: skip
    out = " ".join(debt.ok("repay", "1", "30000", "--date", "2026-11-01", today="2026-11-30").stdout.split())
    assert "¥30,000.00 of it pays 4 later installments ahead of their dates, their interest included." in out
    assert "debt repayment delete 5" in out and "--prepay" in out
    # the next installment paid a little early, or a prepayment, is said nothing of
    assert "ahead" not in debt.ok("repay", "1", "3000", "--date", "2026-11-02", "--prepay", today="2026-11-30").stdout
    debt.ok("loan", "add", "M", "--lender", "B", "--principal", "12000", "--rate", "6", "--term", "12",
            "--method", "equal-installment", "--start", "2026-11-01", today="2026-11-30")  # fmt: skip
    assert "ahead" not in debt.ok("repay", "2", "1032.80", "--date", "2026-11-20", today="2026-11-30").stdout


def test_a_bullet_loans_first_due_date_is_its_maturity(debt: Debt, tmp_path) -> None:
    add = ["loan", "add", "借款", "--lender", "王", "--principal", "100000", "--rate", "7.2", "--method", "bullet",
           "--start", "2026-01-31"]  # fmt: skip
    out = debt.ok(*add, "--term", "7", "--first-due", "2026-08-20", "--json").json
    # repaid once, on 20 August: six whole months at 7.2 % / 12 (3,600.00) and 20 days at 7.2 % / 360 (400.00)
    assert [(s["due_date"], s["interest"]) for s in out["schedule"]] == [("2026-08-20", "4000.00")]
    assert (out["first_due_date"], out["term_months"]) == ("2026-08-20", 7)
    assert debt.ok(*add, "--first-due", "2026-08-20", "--json").json["schedule"] == out["schedule"]  # the term from it
    # a month's end stays the month's end: 15 January to 31 March is two months and 16 days (1,200.00 + 320.00)
    end = debt.ok(*add[:-1], "2026-01-15", "--first-due", "2026-03-31", "--json").json
    assert [(s["due_date"], s["interest"]) for s in end["schedule"]] == [("2026-03-31", "1520.00")]
    assert_error(debt(*add, "--term", "3", "--first-due", "2026-08-20"), 2)
    assert_error(debt(*add, "--first-due", "2099-12-31"), 2)  # 887 months: beyond the longest term
    # without a first due date: at the end of the term, and the JSON says that day
    plain = debt.ok(*add, "--term", "7", "--json").json
    assert plain["first_due_date"] == plain["schedule"][0]["due_date"] == "2026-08-31"
    # an export imported again keeps the maturity
    target = tmp_path / "out.json"
    debt.ok("export", str(target))
    other = Debt(tmp_path / "other.db")
    other.ok("import", str(target))
    assert other.ok("loan", "show", "1", "--json").json["schedule"] == out["schedule"]
