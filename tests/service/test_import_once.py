"""Import never doubles: every record has an identity kept by export and import; a changed record is a
conflict left alone unless --update; --as-new copies on purpose; an older export is matched by content."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import MORTGAGE, Debt, assert_error, build_household, dump
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from statement_files import alipay_bytes


def export(debt: Debt, path: Path) -> dict:
    debt.ok("export", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def full_household(debt: Debt) -> None:
    build_household(debt)
    debt.ok("income", "add", "salary", "18000", "--from", "2025-01-01")
    debt.ok("credit-check", "log", "--date", "2026-02-03", "--channel", "云闪付", "--findings", "6 accounts")
    debt.ok(
        "contact",
        "log",
        "--channel",
        "sms",
        "--from",
        "95588",
        "--about",
        "1",
        "--summary",
        "reminder",
        "--date",
        "2026-03-01T09:00",
    )
    debt.ok("loan", "match", "1", "--counterparty", "工商银行")
    debt.ok("audit", "list")


def test_importing_your_own_export_ten_times_changes_nothing(debt: Debt, tmp_path: Path) -> None:
    full_household(debt)
    data = export(debt, tmp_path / "all.json")
    before = dump(debt.db)
    records = sum(len(data[k]) for k in ("loans", "repayments", "incomes", "credit_checks", "contacts", "match_rules"))
    for _ in range(10):
        out = debt.ok("import", str(tmp_path / "all.json")).stdout
        assert f"Imported: 0 new, {records} already present." in out
        # the checklist is taken only into an empty database: said, not passed over
        assert f"Not taken: the file's {len(data['audit_items'])} audit items and its settings" in out
    assert dump(debt.db) == before
    assert len(debt.ok("credit-check", "list", "--json").json["checks"]) == 1


def test_into_an_empty_database_the_same_records_with_the_same_ids(debt: Debt, tmp_path: Path) -> None:
    full_household(debt)
    first = export(debt, tmp_path / "first.json")
    fresh = Debt(tmp_path / "fresh.db")
    report = fresh.ok("import", str(tmp_path / "first.json"), "--json").json
    assert report["new"]["loans"] == 5 and report["already_present"] == {} and report["conflicts"] == []
    assert export(fresh, tmp_path / "second.json") == first


def test_a_changed_record_is_a_conflict_left_alone_unless_update(debt: Debt, tmp_path: Path) -> None:
    full_household(debt)
    data = export(debt, tmp_path / "all.json")
    data["repayments"][0]["note"] = "changed elsewhere"
    data["loans"][0]["name"] = "房贷 renamed"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = dump(debt.db)
    out = debt.ok("import", str(changed)).stdout
    assert "0 new" in out and "2 of your records differ" in out
    assert "loan '房贷 renamed'" in out and "repayment of 5307.27 on 2025-02-15" in out
    assert dump(debt.db) == before
    report = debt.ok("import", str(changed), "--update", "--json").json
    assert report["updated"] == {"loans": 1, "repayments": 1}
    assert debt.ok("loan", "show", "1", "--json").json["name"] == "房贷 renamed"
    assert debt.ok("repayment", "list", "--json").json[0]["note"] == "changed elsewhere"
    # and now the file and the database agree
    assert debt.ok("import", str(changed), "--json").json["conflicts"] == []


def test_as_new_copies_and_both_flags_are_refused(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*MORTGAGE, "--json")
    export(debt, tmp_path / "all.json")
    assert_error(debt("import", str(tmp_path / "all.json"), "--update", "--as-new"), 2)
    debt.ok("import", str(tmp_path / "all.json"), "--as-new")
    assert len(debt.ok("loan", "list", "--json").json) == 2
    # the copy has its own identity: importing the file again adds nothing more
    debt.ok("import", str(tmp_path / "all.json"))
    assert len(debt.ok("loan", "list", "--json").json) == 2


def test_an_export_from_before_identities_is_matched_by_content(debt: Debt, tmp_path: Path) -> None:
    full_household(debt)
    data = export(debt, tmp_path / "all.json")
    for key in ("loans", "repayments", "incomes", "credit_checks", "audit_items", "contacts", "match_rules"):
        for record in data[key]:
            record.pop("uid")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = dump(debt.db)
    assert "0 new" in debt.ok("import", str(old)).stdout
    assert dump(debt.db) == before
    fresh = Debt(tmp_path / "fresh.db")
    fresh.ok("import", str(old))
    again = dump(fresh.db)
    assert "0 new" in fresh.ok("import", str(old)).stdout
    assert dump(fresh.db) == again
    # the records it took got identities of their own; the newer export of the same household names the same
    # records by their first identities, unknown here: matched by content, nothing is doubled
    assert "0 new" in fresh.ok("import", str(tmp_path / "all.json")).stdout
    assert dump(fresh.db) == again
    # an export that copies everything as new, then the same file again: doubled only on purpose, once
    copy = Debt(tmp_path / "copy.db")
    copy.ok("import", str(tmp_path / "all.json"), "--as-new")
    copied = dump(copy.db)
    assert "0 new" in copy.ok("import", str(tmp_path / "all.json")).stdout
    assert dump(copy.db) == copied


def test_a_statement_row_imported_in_two_databases_is_one_payment(debt: Debt, tmp_path: Path) -> None:
    """Two copies of a household each import the same statement: each row gets an identity of its own,
    but it is one payment (the statement's order number says so, as a second statement import knows).
    Importing one copy's export into the other adds no second payment; a row of that order number
    with another amount or date is a conflict left alone."""
    loan = ["loan", "add", "借呗", "--lender", "借呗", "--principal", "12000", "--rate", "10.95", "--term", "12"]
    debt.ok(*loan, "--method", "equal-installment", "--start", "2024-12-12", today="2025-01-31")
    debt.ok("export", str(tmp_path / "start.json"))
    other = Debt(tmp_path / "other.db")
    other.ok("import", str(tmp_path / "start.json"))
    first = debt.ok("loan", "show", "1", "--json", today="2025-01-31").json["schedule"][0]
    row = (
        "2025-01-12 08:00:00,信用借还,借呗,/,借呗还款-本金和利息,不计收支,"
        f"{first['total']},余额宝,还款成功,2025011229020999000003\t,\t,,"
    )
    statement = tmp_path / "alipay.csv"
    statement.write_bytes(alipay_bytes([row]))
    for db in (debt, other):
        db.ok("loan", "match", "1", "--counterparty", "借呗")
        db.ok("statement", "import", str(statement), "--yes", today="2025-01-31")
    data = export(debt, tmp_path / "mine.json")
    before = dump(other.db)
    report = other.ok("import", str(tmp_path / "mine.json"), "--json", today="2025-01-31").json
    assert report["new"].get("repayments", 0) == 0 and report["already_present"]["repayments"] == 1
    assert dump(other.db) == before
    assert len(other.ok("loan", "show", "1", "--json", today="2025-01-31").json["repayments"]) == 1
    data["repayments"][0]["amount"] = "100.00"  # the same order number, another amount: not the same payment
    (tmp_path / "changed.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = other.ok("import", str(tmp_path / "changed.json"), "--json", today="2025-01-31").json
    assert report["new"].get("repayments", 0) == 0 and len(report["conflicts"]) == 1
    assert dump(other.db) == before


def test_a_file_dated_after_today_is_refused_as_typed_input_is(debt: Debt, tmp_path: Path) -> None:
    """A repayment, credit check or message dated after today is refused by import as by the commands that
    record one: a repayment ahead would count as paid an installment that is not. Nothing is written."""
    full_household(debt)
    data = export(debt, tmp_path / "all.json")
    fresh = Debt(tmp_path / "fresh.db")
    for key, field, value, words in (
        ("repayments", "date", "2027-01-01", "repayment #"),
        ("credit_checks", "date", "2030-01-01", "credit check #"),
        ("contacts", "date", "2027-01-01T09:00:00", "contact #"),
    ):
        changed = json.loads(json.dumps(data))
        changed[key][-1][field] = value
        path = tmp_path / f"ahead-{key}.json"
        path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        r = fresh("import", str(path))
        assert_error(r, 2)
        assert words in r.stderr and ("after today" in r.stderr or "future" in r.stderr)
        assert not fresh.db.exists()
        before = dump(debt.db)
        assert_error(debt("import", str(path)), 2)
        assert dump(debt.db) == before
    # the same file is taken once its day has come
    fresh.ok("import", str(path), today="2027-01-02")


def test_a_file_repeating_an_identity_is_refused(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    debt.ok("repay", "1", "5307.27", "--date", "2025-03-15")
    data = export(debt, tmp_path / "all.json")
    data["repayments"][1]["uid"] = data["repayments"][0]["uid"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    r = debt("import", str(bad))
    assert_error(r, 2)
    assert "repeats a uid" in r.stderr
    data["repayments"][1]["uid"] = "not-a-uuid"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert_error(debt("import", str(bad)), 2)


ACTIONS = st.lists(st.sampled_from(["loan", "repay", "income", "check", "contact", "rule", "rate"]), min_size=1, max_size=8)


# every kind of record once, then a few random mixes (each example builds and imports two databases)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
@example(actions=["loan", "repay", "income", "check", "contact", "rule", "rate"])
def test_import_of_an_export_is_a_fixed_point(tmp_path_factory, actions: list[str]) -> None:
    folder = tmp_path_factory.mktemp("prop")
    debt = Debt(folder / "db.sqlite")
    debt.ok(*MORTGAGE, "--json")
    for n, action in enumerate(actions):
        if action == "loan":
            debt.ok("loan", "add", f"l{n}", "--lender", "x", "--principal", "1000", "--rate", "6", "--term", "6",
                    "--method", "equal-principal", "--start", "2025-01-10", "--json")  # fmt: skip
        elif action == "repay":
            debt.ok("repay", "1", "100", "--date", f"2025-03-{n + 1:02d}")
        elif action == "income":
            debt.ok("income", "add", f"job{n}", "1000", "--from", "2025-01-01")
        elif action == "check":
            debt.ok("credit-check", "log", "--date", f"2026-0{n % 9 + 1}-02")
        elif action == "contact":
            debt.ok("contact", "log", "--channel", "call", "--from", "x", "--date", f"2026-01-0{n % 9 + 1}T10:00")
        elif action == "rule":
            debt.ok("loan", "match", "1", "--description", f"word{n}")
        else:
            debt.ok("loan", "rate", "1", "4.1", "--from", f"2027-0{n % 9 + 1}-01")
    path = folder / "all.json"
    first = export(debt, path)
    before = dump(debt.db)
    debt.ok("import", str(path))
    assert dump(debt.db) == before
    empty = Debt(folder / "empty.sqlite")
    empty.ok("import", str(path))
    assert export(empty, folder / "again.json") == first


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["equal-installment", "equal-principal", "interest-only", "flat-fee", "bullet"]),
    st.integers(1, 24),
    st.integers(0, 2400),
    st.booleans(),
    st.lists(st.tuples(st.integers(1, 800), st.integers(1, 60_000_00)), min_size=1, max_size=30),
)
def test_the_overpayment_shortcut_agrees_with_a_replay(method, term, rate_bp, penalty, payments):
    """An import skips the replay of a loan whose repayments cannot reach beyond its schedule; the
    replay is the oracle for what is overpaid."""
    import datetime as dt
    from decimal import Decimal

    from tracker.dates import add_months
    from tracker.export_format import overpaid
    from tracker.ledger import evaluate
    from tracker.models import Loan, Repayment

    start = dt.date(2022, 3, 31)
    loan = Loan(
        "loan",
        "lender",
        method,
        10_000_000,
        Decimal(rate_bp) / 100,
        start,
        add_months(start, term if method == "bullet" else 1),
        term,
        fee_rate=Decimal("0.5") if method == "flat-fee" else Decimal(0),
        penalty_rate=Decimal("9.75") if penalty else None,
        id=1,
    )
    reps = [
        Repayment(1, start + dt.timedelta(days=days), amount, id=n) for n, (days, amount) in enumerate(sorted(payments), start=1)
    ]
    today = dt.date(2026, 11, 15)
    assert overpaid(loan, reps, today) == evaluate(loan, reps, today).credit


def test_validating_an_export_without_keeping_schedules_gives_the_same_records(debt: Debt, tmp_path: Path) -> None:
    """`debt check` validates the export only (nothing is stored after), so it drops each loan's schedule once
    the loan is validated; an import keeps them for the replay it stores next."""
    from tracker.export_parse import parse_export
    from tracker.schedule import _SCHEDULES

    full_household(debt)
    data = export(debt, tmp_path / "e.json")
    _SCHEDULES.clear()
    kept = parse_export(data)
    assert len(_SCHEDULES) == len(kept.loans)
    _SCHEDULES.clear()
    dropped = parse_export(data, keep_schedules=False)
    assert _SCHEDULES == {}
    assert dropped == kept


def test_card_bills_keep_their_ids_into_an_empty_database(tmp_path: Path) -> None:
    """Bills recorded out of date order (ids 1, 2, 3 on the 2nd, 3rd and 1st month) were numbered again by date on
    a restore, so `debt card bill-delete ID` afterwards named another bill. They keep their ids, as every record does."""
    debt = Debt(tmp_path / "db.sqlite")
    debt.ok("card", "add", "招行信用卡", "--lender", "招商银行", "--limit", "20000", "--bill-day", "5", "--due-day", "23",
            today="2026-08-01")  # fmt: skip
    for day, amount in (("2026-09-05", "900"), ("2026-10-05", "1000"), ("2026-08-05", "800")):
        debt.ok("card", "bill", "1", amount, "--date", day)
    bills = {b["date"]: b["id"] for b in debt.ok("card", "show", "1", "--json").json["bills"]}
    assert bills == {"2026-09-05": 1, "2026-10-05": 2, "2026-08-05": 3}
    path = tmp_path / "all.json"
    first = export(debt, path)
    empty = Debt(tmp_path / "empty.sqlite")
    empty.ok("import", str(path))
    assert {b["date"]: b["id"] for b in empty.ok("card", "show", "1", "--json").json["bills"]} == bills
    assert export(empty, tmp_path / "again.json") == first
    assert "No problems found" in empty.ok("check").stdout
