"""Every command against bad values: one line on stderr, exit 2 or 1, the database byte-for-byte unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MORTGAGE, Debt, assert_error, dump

HUGE = "9" * 25
LONG = "x" * 5000
SQL = "1; DROP TABLE loans; --"
RTL = "\u202egnp.exe"
CTRL = "name\x07bell"


def _loan_add(
    name: str = "x", principal: str = "1", rate: str = "1", term: str = "2", method: str = "bullet", start: str = "2025-01-01"
) -> list[str]:
    """`debt loan add` with one value made bad, the others good."""
    args = ["loan", "add", name, "--lender", "y", "--principal", principal, "--rate", rate, "--term", term]
    return [*args, "--method", method, "--start", start]


CASES = [
    # (args, exit code)
    (_loan_add(principal=HUGE), 2),
    (_loan_add(name=LONG), 2),
    (_loan_add(name=CTRL), 2),
    (_loan_add(rate="abc"), 2),
    (_loan_add(method=SQL), 2),
    (_loan_add(start="0000-01-01"), 2),
    (["loan", "show", SQL], 2),
    (["loan", "show", "-1"], 2),
    (["loan", "show", "99999999999999999999999"], 2),
    (["loan", "show", "123456"], 1),
    (["loan", "edit", "1", "--term", "99999"], 2),
    (["loan", "edit", "1", "--currency", "yuan"], 2),
    (["loan", "edit", "42", "--name", "x"], 1),
    (["loan", "delete", "1"], 1),
    (["loan", "match", "1", "--counterparty", CTRL], 2),
    (["repay", "1", "1e5"], 2),
    (["repay", "1", "0x10"], 2),
    (["repay", "1", "NaN"], 2),
    (["repay", "1", HUGE], 2),
    (["repay", "1", "5", "--date", "9999-99-99"], 2),
    (["repay", "1", "5", "--note", CTRL], 2),
    (["repayment", "list", "--loan", "abc"], 2),
    (["repayment", "delete", "0"], 2),
    (["repayment", "delete", "77"], 1),
    (["export", "/nonexistent/folder/out.json"], 2),
    (["export", "x", "--format", "xml"], 2),
    (["import", "/nonexistent.json"], 2),
    (["apr", "--principal", "-1", "--term", "12", "--rate", "5"], 2),
    (["apr", "--principal", "1000", "--term", "12"], 2),
    (["plan", "--budget", SQL], 2),
    (["config", "set", "dti.warn", "-3"], 2),
    (["config", "set", "dti.warn", "abc"], 2),
    (["config", "set", "credit_check.rule", "every tuesday"], 2),
    (["config", "set", "language", "fr"], 2),
    (["config", "get", "nope"], 2),
    (["income", "add", RTL, "-5"], 2),
    (["income", "add", "salary", "100", "--from", "2026-02-30"], 2),
    (["income", "end", "1", "--to", "2020-01-01"], 2),
    (["dti", "--month", "2026-13"], 2),
    (["dti", "--months", "0"], 2),
    (["dti", "--add-payment", "1.234"], 2),
    (["credit-check", "log", "--anomalies", "-1"], 2),
    (["credit-check", "log", "--date", "2099-01-01"], 2),
    (["credit-check", "edit", "5", "--follow-up", "x"], 1),
    (["audit", "done", "999"], 1),
    (["audit", "done", "1", "--date", "tomorrow"], 2),
    (["audit", "add", "", "contacts"], 2),
    (["remind", "--within", "-1"], 2),
    (["remind", "--ics", "/nonexistent/x.ics"], 2),
    (["sms", "check", ""], 2),
    (["sms", "check", "hello", "--received", "yesterday"], 2),
    (["contact", "log", "--channel", "pigeon", "--from", "x"], 2),
    (["contact", "delete", "3", "--yes"], 1),
    (["evidence", "add", "/nonexistent.png"], 2),
    (["evidence", "remove", "9", "--yes"], 1),
    (["evidence", "export", "/nonexistent/out.zip"], 2),
    (["statement", "import", "/nonexistent.csv"], 2),
    (["statement", "import", "x.csv", "--source", "bank"], 2),
    (["backup", "/nonexistent/folder/b.db"], 2),
    (["restore", "/nonexistent.db"], 2),
    (["--today", "2026-02-29", "loan", "list"], 2),
    (["--lang", "xx", "loan", "list"], 2),
    (["nosuchcommand"], 2),
    (["loan", "list", "--nosuchoption"], 2),
]


@pytest.fixture(scope="session")
def seeded_once(tmp_path_factory: pytest.TempPathFactory) -> Debt:
    debt = Debt(tmp_path_factory.mktemp("seeded") / "data" / "debt.db")
    debt.db.parent.mkdir()
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    debt.ok("income", "add", "salary", "20000", "--from", "2025-01-01")
    debt.ok("audit", "list")
    return debt


@pytest.fixture
def seeded(seeded_once: Debt, tmp_path: Path) -> Debt:
    """A copy of one seeded database for each case: a refusal is checked against an untouched file."""
    return seeded_once.copy_to(tmp_path / "data")


@pytest.mark.parametrize("args,code", CASES, ids=[" ".join(a)[:60] for a, _c in CASES])
def test_bad_input(seeded: Debt, args: list[str], code: int):
    before = dump(seeded.db)
    assert_error(seeded(*args), code)
    assert dump(seeded.db) == before


def test_unreadable_db_folder_is_a_clear_error(tmp_path: Path):
    r = Debt(tmp_path / "missing-folder" / "d.db")("income", "add", "salary", "100")
    assert_error(r, 1)
    assert not (tmp_path / "missing-folder").exists()


@pytest.mark.parametrize("args", [("repay", "1", "-50"), ("loan", "show", "-5"), ("repay", "1", "-1,000.50")])
def test_a_negative_number_is_refused_as_one_whatever_it_stands_for(debt: Debt, args: tuple[str, ...]):
    """Typed where an amount, an id or a count goes, a negative number reads to the parser like an option;
    the error names the number as typed, not an option or one kind of value."""
    debt.ok(*MORTGAGE, "--json")
    before = dump(debt.db)
    r = debt(*args)
    assert_error(r, 2)
    assert r.stderr.strip() == f"debt: error: negative numbers are not accepted: {args[-1]!r}"
    assert dump(debt.db) == before
