"""Fuzzing with a fixed budget: the CLI's arguments, the JSON import and the statement parsers.

Whatever comes in: exit 0, 1 or 2 only; on an error one line and no traceback; on an error
the database is unchanged.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import Debt, dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statement_files import WECHAT_ROWS, wechat_csv

from tracker.errors import TrackerError
from tracker.statements import read_statement

BUDGET = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_EXAMPLES"),  # CI runs the same cases each time; FUZZ_EXAMPLES=N explores
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

COMMANDS = [
    ["repay", "1"],
    ["repay", "2"],
    ["loan", "show"],
    ["loan", "edit", "1"],
    ["loan", "payoff", "1"],
    ["loan", "rate", "1"],
    ["loan", "missed", "1"],
    ["repayment", "delete"],
    ["card", "bill", "2"],
    ["card", "show"],
    ["income", "add", "Salary"],
    ["dti", "--month"],
    ["remind", "--within"],
    ["plan", "--budget"],
    ["apr", "--principal", "1000", "--term"],
    ["config", "set", "credit_check.rule"],
    ["credit-check", "log", "--date"],
    ["sms", "check"],
]
OPTIONS = ["--date", "--note", "--prepay", "--json", "--rate", "--term", "--minimum", "--yes", "--from", "--undo", "--name"]
WEIRD = st.sampled_from(
    ["", " ", "0", "-1", "1_0", "１", "٣", "1e9", "nan", "2026-W45-1", "2026-02-30", "9" * 40, "\x1b[2J", "\u202e", "%", "∞",
     "2026-11-15", "100", "12,000.50", "FREQ=SECONDLY", "0001-01", "--json", "-"]
)  # fmt: skip
TOKENS = st.one_of(WEIRD, st.text(max_size=12), st.sampled_from(OPTIONS))


@pytest.fixture
def seeded(tmp_path: Path) -> Debt:
    debt = Debt(tmp_path / "fuzz.db")
    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "100000", "--rate", "4", "--term", "24",
            "--method", "equal-installment", "--start", "2026-01-15", "--autopay", "--json")  # fmt: skip
    debt.ok("card", "add", "卡", "--lender", "招行", "--limit", "20000", "--bill-day", "5", "--due-day", "23", "--json")
    return debt


def _check(r, before: list[str], after: list[str]) -> None:
    assert r.exit_code in (0, 1, 2), (r.exit_code, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr
    if r.exit_code:
        assert r.stderr.endswith("\n") and r.stderr.count("\n") == 1, repr(r.stderr)
        assert after == before, "a failed command changed the database"


@BUDGET
@given(command=st.sampled_from(COMMANDS), extra=st.lists(TOKENS, max_size=4))
def test_the_cli_answers_any_arguments_with_0_1_or_2(seeded: Debt, command: list[str], extra: list[str]):
    before = dump(seeded.db)
    r = seeded(*command, *extra, input="")
    _check(r, before, dump(seeded.db))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text(max_size=8) | WEIRD,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> dict:
    debt = Debt(tmp_path_factory.mktemp("export") / "source.db")
    debt.ok("loan", "add", "房贷", "--lender", "ICBC", "--principal", "100000", "--rate", "4", "--term", "24",
            "--method", "equal-installment", "--start", "2026-01-15", "--json")  # fmt: skip
    debt.ok("card", "add", "卡", "--lender", "招行", "--limit", "20000", "--bill-day", "5", "--due-day", "23", "--json")
    debt.ok("repay", "1", "4342.49", "--date", "2026-02-10")
    debt.ok("income", "add", "Salary", "10000", "--from", "2026-01-01")
    debt.ok("credit-check", "log", "--date", "2026-03-01")
    debt.ok("card", "bill", "2", "500", "--date", "2026-03-05")
    debt.ok("sms", "check", "-", "--save", input="催收短信")
    path = debt.db.parent / "all.json"
    debt.ok("export", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


@BUDGET
@given(kind=st.sampled_from(["loans", "repayments", "incomes", "credit_checks", "contacts", "card_bills"]), data=st.data())
def test_a_mutated_export_imports_or_is_refused_cleanly(export: dict, tmp_path_factory, kind: str, data):
    mutated = json.loads(json.dumps(export))
    record = mutated[kind][0]
    key = data.draw(st.sampled_from(sorted(record)))
    record[key] = data.draw(JSON_VALUES)
    folder = tmp_path_factory.mktemp("import")
    path = folder / "all.json"
    path.write_text(json.dumps(mutated, ensure_ascii=False), encoding="utf-8")
    target = Debt(folder / "target.db")
    r = target("import", str(path))
    assert r.exit_code in (0, 1, 2), (r.exit_code, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr
    if r.exit_code:
        assert r.stderr.count("\n") == 1 and not target.db.exists()


ROW_CELLS = st.one_of(WEIRD, st.text(max_size=10), st.sampled_from(["¥548.58", "信用卡还款", "支付成功", "2025-03-05 20:10:00"]))


@BUDGET
@given(cells=st.lists(ROW_CELLS, min_size=0, max_size=12), noise=st.binary(max_size=40))
def test_the_statement_parsers_read_or_refuse(cells: list[str], noise: bytes):
    row = ",".join(c.replace("\n", " ").replace(",", " ").replace('"', " ") for c in cells)
    for data in (wechat_csv([WECHAT_ROWS[0], row]), wechat_csv([row]) + noise, noise):
        try:
            statement = read_statement(data)
        except TrackerError:
            continue
        assert all(r.amount >= 0 for r in statement.rows)


def _workbook_parts() -> dict[str, bytes]:
    import io
    import zipfile

    import openpyxl
    from statement_files import WECHAT_HEADER, WECHAT_PREAMBLE

    book = openpyxl.Workbook()
    sheet = book.active
    for line in WECHAT_PREAMBLE:
        sheet.append([line or None])
    sheet.append(WECHAT_HEADER.split(","))
    sheet.append(["2025-03-05 20:10:00", "信用卡还款", "招商银行", "/", "支出", 548.58, "零钱", "支付成功", "42", "1", "/"])
    buf = io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(buf) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


PARTS = _workbook_parts()
SPLICES = [b"<x>", b"&amp;", b'"', b'<c r="ZZZ99999999"><v>1</v></c>', b"</row>", b"\x00", b"<!DOCTYPE x [<!ENTITY a 'b'>]>"]


@BUDGET
@given(data=st.data())
def test_a_damaged_workbook_is_read_or_refused(data):
    """Damaged parts, missing parts, flipped bytes: openpyxl's many errors all become one clean refusal."""
    import io
    import zipfile

    parts = dict(PARTS)
    name = data.draw(st.sampled_from(sorted(parts)))
    body = bytearray(parts[name])
    op = data.draw(st.sampled_from(["flip", "cut", "drop", "splice"]))
    if op == "flip":
        for pos in data.draw(st.lists(st.integers(0, len(body) - 1), min_size=1, max_size=5)):
            body[pos] = data.draw(st.integers(0, 255))
    elif op == "cut":
        del body[data.draw(st.integers(0, len(body))) :]
    elif op == "splice":
        at = data.draw(st.integers(0, len(body)))
        body[at:at] = data.draw(st.sampled_from(SPLICES))
    if op == "drop":
        del parts[name]
    else:
        parts[name] = bytes(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    raw = bytearray(out.getvalue())
    if data.draw(st.booleans()):  # damage the zip itself too
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    try:
        statement = read_statement(bytes(raw))
    except TrackerError:
        return
    assert all(r.amount >= 0 for r in statement.rows)
