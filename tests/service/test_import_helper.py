"""A large import into a new database replays most of its loans in a second process: the stored state is
the same as a one-process import's, loan for loan, and a loan whose terms or repayments differ from what
the import stored, or every loan when the second process fails, is replayed by the import itself."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import Debt, assert_error

from tracker import snapshot
from tracker.export_format import read_json
from tracker.export_parse import parse_export
from tracker.models import Loan
from tracker.sample import SAMPLE_FILE
from tracker.service import import_helper as helper_module
from tracker.service.exchange import save_import, save_import_with_files
from tracker.service.import_helper import ImportHelper, import_helper, replays_alone
from tracker.store import Store

TODAY = dt.date(2026, 11, 15)
TABLES = (("loan_state", "loan_id"), ("loan_lines", "loan_id, line"), ("loan_allocs", "loan_id, n"))


def big_export(copies: int = 5) -> dict:
    """The sample household's loans (a floating-rate mortgage among them) and repayments, ``copies`` times over."""
    data = read_json(SAMPLE_FILE)
    loans, reps = [], []
    for k in range(copies):
        for rec in data["loans"]:
            loans.append({**rec, "id": rec["id"] + 100 * k, "uid": None, "name": f"{rec['name']} {k}"})
        for rec in data["repayments"]:
            reps.append({**rec, "id": rec["id"] + 10_000 * k, "loan_id": rec["loan_id"] + 100 * k, "uid": None})
    return {**data, "loans": loans, "repayments": reps}


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def state_of(store: Store) -> dict[str, list[tuple]]:
    return {table: store.conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall() for table, order in TABLES}


def one_process(data: dict, path: Path) -> dict[str, list[tuple]]:
    store = Store.open(path, today=TODAY)
    save_import(store, parse_export(data))
    try:
        return state_of(store)
    finally:
        store.close()


def import_with(helper: ImportHelper, data: dict, path: Path, evidence: Path) -> Store:
    parsed = parse_export(data)
    store = Store.open(path, today=TODAY)
    helper.attach(store, parsed.loans)
    save_import_with_files(store, parsed, evidence)
    return store


@pytest.fixture(autouse=True)
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The second process's scratch folders go in the test's own folder, to be seen removed."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_second_process_replays_most_loans_to_the_state_one_process_stores(
    tmp_path: Path, own_temp: Path, monkeypatch
) -> None:
    data = big_export()
    file = write(tmp_path / "big.json", data)
    monkeypatch.setattr(helper_module, "PARALLEL_FROM", 0)
    with import_helper(file, tmp_path / "two.db", TODAY, as_new=False) as helper:
        assert helper is not None
        store = import_with(helper, data, tmp_path / "two.db", tmp_path / "evidence")
        assert helper.error == ""
        # the loans from about a quarter of the way down the file's list (the 9th of 30 on: 103), but the
        # floating-rate mortgages (301, 401)
        assert helper.offered == {103, 104, 105, 106} | {lid + 100 * k for k in (2, 3, 4) for lid in range(2, 7)}
        assert helper.taken == helper.offered
    try:
        assert state_of(store) == one_process(data, tmp_path / "one.db")
        assert snapshot.differences(store) == []
        assert "scratch" not in {name for _seq, name, _file in store.conn.execute("PRAGMA database_list")}
    finally:
        store.close()
    assert list(own_temp.iterdir()) == []  # the scratch folder is gone


def test_a_loan_whose_terms_or_repayments_differ_is_replayed_by_the_import_itself(tmp_path: Path) -> None:
    data = big_export()
    other = json.loads(json.dumps(data))
    other["loans"][-1]["annual_rate"] = "9.99"  # loan 406: not the terms the second process read
    changed = next(r for r in other["repayments"] if r["loan_id"] == 302)
    changed["amount"] = str(Decimal(changed["amount"]) - 1)
    helper = ImportHelper(write(tmp_path / "seen.json", data), TODAY)
    try:
        store = import_with(helper, other, tmp_path / "two.db", tmp_path / "evidence")
        helper.close()
        assert {302, 406} <= helper.offered
        assert helper.taken == helper.offered - {302, 406}
        assert state_of(store) == one_process(other, tmp_path / "one.db")
        assert snapshot.differences(store) == []
        store.close()
    finally:
        helper.close()


def test_when_the_second_process_fails_every_loan_is_replayed_here(tmp_path: Path) -> None:
    data = big_export()
    helper = ImportHelper(write(tmp_path / "nothing.json", {"format": "something else"}), TODAY)
    try:
        store = import_with(helper, data, tmp_path / "two.db", tmp_path / "evidence")
        assert helper.offered and helper.taken is None
        assert state_of(store) == one_process(data, tmp_path / "one.db")
        store.close()
    finally:
        helper.close()


def test_only_loans_whose_state_follows_from_the_file_alone_are_replayed_elsewhere() -> None:
    loan = Loan("A", "bank", "equal-installment", 100_000, Decimal(6), TODAY, TODAY, 12, id=3)
    assert replays_alone(loan)
    from msgspec.structs import replace

    assert not replays_alone(replace(loan, id=None))
    assert not replays_alone(replace(loan, method="card"))
    assert not replays_alone(replace(loan, card_id=1))  # a card's instalment plan
    assert not replays_alone(replace(loan, lpr_spread_bp=-30))  # priced by the LPR fixings the database holds
    assert not replays_alone(replace(loan, autopay=True))  # deductions counted by the database's own rule


def test_debt_import_of_a_large_file_into_a_new_database(tmp_path: Path, own_temp: Path, monkeypatch) -> None:
    monkeypatch.setattr(helper_module, "PARALLEL_FROM", 0)
    taken = []
    take = ImportHelper.take
    monkeypatch.setattr(ImportHelper, "take", lambda self, store, loans: taken.append(take(self, store, loans)) or taken[-1])
    data = big_export()
    debt = Debt(tmp_path / "new.db")
    assert "New: 30 loans, 525 repayments" in debt.ok("import", str(write(tmp_path / "big.json", data))).stdout
    assert [len(t) for t in taken] == [19]
    assert debt.ok("check").stdout.strip() == "No problems found."
    assert list(own_temp.iterdir()) == []
    # a bad file: refused as before, no database made, the second process stopped and its folder removed
    data["loans"][20]["principal"] = "-5"
    bad = Debt(tmp_path / "bad.db")
    assert_error(bad("import", str(write(tmp_path / "bad.json", data))), 2)
    assert not (tmp_path / "bad.db").exists()
    assert list(own_temp.iterdir()) == []
