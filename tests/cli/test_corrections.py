"""Every mistake correctable from the command line, dates that cannot be right refused, edits that keep the data consistent."""

from __future__ import annotations

from pathlib import Path

from helpers import MORTGAGE, TODAY, Debt, assert_error, dump


def test_a_repayment_dated_after_today_is_refused(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    before = dump(debt.db)
    r = debt("repay", "1", "5307.27", "--date", "2027-05-01")
    assert_error(r, 2)
    assert "after today (2026-11-15)" in r.stderr
    assert dump(debt.db) == before
    debt.ok("repay", "1", "5307.27", "--date", TODAY)  # today itself is fine


def test_a_contact_dated_after_today_is_refused(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    before = dump(debt.db)
    assert_error(debt("contact", "log", "--channel", "call", "--from", "x", "--date", "2026-11-16T09:00"), 2)
    assert dump(debt.db) == before
    debt.ok("contact", "log", "--channel", "call", "--from", "x", "--date", "2026-11-15T23:00")


def test_an_income_may_start_in_the_future(debt: Debt) -> None:
    debt.ok("income", "add", "new job", "20000", "--from", "2027-01-01")


def test_a_new_loan_with_past_installments_suggests_paid_until(debt: Debt) -> None:
    out = debt.ok(*MORTGAGE).stdout  # from 2025-01-15: 21 installments due before 2026-11-15
    assert "21 installments fell due before today" in out
    notices = debt.ok(*MORTGAGE, "--json").json["notices"]
    assert len(notices) == 1 and "'debt loan edit 2 --paid-until 2026-10-15'" in notices[0]
    shown = debt.ok(*MORTGAGE, "--paid-until", "2026-10-15", "--json").json
    assert shown["notices"] == []


def test_loan_edit_paid_until_marks_what_was_paid(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    out = debt.ok("loan", "edit", "1", "--paid-until", "2026-10-15", "--json").json
    assert out["status"] == "active" and out["overdue_amount"] == "0.00"
    reps = debt.ok("repayment", "list", "--loan", "1", "--json").json
    assert len(reps) == 21 and reps[0]["date"] == "2025-02-15" and reps[-1]["date"] == "2026-10-15"
    # nothing more to mark: a second run adds nothing
    debt.ok("loan", "edit", "1", "--paid-until", "2026-10-15", "--json")
    assert len(debt.ok("repayment", "list", "--loan", "1", "--json").json) == 21
    assert_error(debt("loan", "edit", "1", "--paid-until", "2026-12-15"), 2)


def test_changing_the_currency_keeps_amounts_honest(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    before = dump(debt.db)
    r = debt("loan", "edit", "1", "--currency", "JPY")
    assert_error(r, 2)
    assert "--principal" in r.stderr
    assert dump(debt.db) == before
    out = debt.ok("loan", "edit", "1", "--currency", "JPY", "--principal", "15000000", "--json").json
    assert (out["currency"], out["principal"]) == ("JPY", "15000000")
    debt.ok("repay", "1", "100000", "--date", "2025-02-15")
    before = dump(debt.db)
    assert_error(debt("loan", "edit", "1", "--currency", "CNY", "--principal", "100000"), 1)
    assert dump(debt.db) == before


def test_moving_the_start_after_a_repayment_is_refused(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    before = dump(debt.db)
    r = debt("loan", "edit", "1", "--start", "2026-06-01")
    assert_error(r, 1)
    assert "2025-02-15" in r.stderr and "2026-06-01" in r.stderr
    assert dump(debt.db) == before


def test_a_credit_check_can_be_deleted_after_asking(debt: Debt) -> None:
    debt.ok("credit-check", "log", "--date", "2026-02-03", "--channel", "云闪付")
    debt.ok("credit-check", "log", "--date", "2026-02-04", "--channel", "云闪付")  # logged twice by mistake
    before = dump(debt.db)
    r = debt("credit-check", "delete", "2")
    assert_error(r, 1)  # not confirmed: nothing deleted
    assert dump(debt.db) == before
    assert "Deleted the credit check of 2026-02-04." in debt.ok("credit-check", "delete", "2", "--yes").stdout
    assert [c["date"] for c in debt.ok("credit-check", "list", "--json").json["checks"]] == ["2026-02-03"]


def test_one_audit_tick_can_be_undone(debt: Debt) -> None:
    items = debt.ok("audit", "list", "--json").json
    first, second = items[0]["id"], items[1]["id"]
    debt.ok("audit", "done", str(first))
    debt.ok("audit", "done", str(second))
    debt.ok("audit", "undo", str(second))
    status = {i["id"]: i["status"] for i in debt.ok("audit", "list", "--json").json}
    assert (status[first], status[second]) == ("done", "open")
    assert_error(debt("audit", "undo", str(second)), 1)


def test_a_statement_rule_can_be_listed_and_deleted(debt: Debt) -> None:
    debt.ok(*MORTGAGE, "--json")
    debt.ok("loan", "match", "1", "--counterparty", "工商银行")
    rules = debt.ok("loan", "match", "1", "--json").json
    assert [r["counterparty"] for r in rules] == ["工商银行"]
    assert_error(debt("loan", "unmatch", "99", "--yes"), 1)
    out = debt.ok("loan", "unmatch", str(rules[0]["id"]), "--yes").stdout
    assert "工商银行" in out
    assert debt.ok("loan", "match", "1", "--json").json == []


def test_a_contact_can_be_corrected(debt: Debt) -> None:
    debt.ok("contact", "log", "--channel", "sms", "--from", "1380000", "--summary", "typo", "--date", "2026-03-01T09:00")
    out = debt.ok(
        "contact", "edit", "1", "--summary", "demanded payment to a personal account", "--channel", "call", "--json"
    ).json
    assert (out["summary"], out["channel"]) == ("demanded payment to a personal account", "call")
    assert_error(debt("contact", "edit", "1", "--date", "2027-01-01"), 2)
    assert_error(debt("contact", "edit", "1", "--channel", "fax"), 2)


def test_evidence_notes_change_and_removal_keeps_the_hash(debt: Debt, tmp_path: Path) -> None:
    import hashlib

    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG fake screenshot")
    debt.ok("contact", "log", "--channel", "sms", "--from", "x", "--date", "2026-03-01T09:00")
    debt.ok("evidence", "add", str(shot), "--contact", "1")
    debt.ok("evidence", "edit", "1", "--note", "the threatening SMS")
    assert debt.ok("evidence", "list", "--json").json[0]["note"] == "the threatening SMS"
    debt.ok("evidence", "remove", "1", "--yes")
    assert debt.ok("evidence", "list", "--json").json == []
    removed = debt.ok("evidence", "list", "--removed", "--json").json
    assert [(r["original_name"], r["sha256"]) for r in removed] == [("shot.png", hashlib.sha256(shot.read_bytes()).hexdigest())]


def test_income_delete_asks_and_names_it(debt: Debt) -> None:
    debt.ok("income", "add", "salary", "18000", "--from", "2025-01-01")
    r = debt("income", "delete", "1")
    assert_error(r, 1)
    debt.ok("income", "delete", "1", "--yes")
    assert debt.ok("income", "list", "--json").json == []


def test_a_value_that_cannot_be_read_is_named_skipped_and_repairable(debt: Debt, tmp_path: Path) -> None:
    import sqlite3

    debt.ok(*MORTGAGE, "--json")
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "2", "5307.27", "--date", "2025-02-15")
    con = sqlite3.connect(debt.db)
    with con:
        con.execute("UPDATE loans SET start_date = '2025-13-01' WHERE id = 2")  # edited by hand
        con.execute("UPDATE repayments SET amount = amount WHERE id = 1")
    con.close()
    listed = debt("loan", "list", "--json")
    assert listed.exit_code == 0 and [x["id"] for x in listed.json] == [1]
    assert "loans 2" in listed.stderr and "debt check" in listed.stderr
    debt.ok("export", str(tmp_path / "rescue.json"))  # the rest can still be rescued
    assert [x["id"] for x in __import__("json").loads((tmp_path / "rescue.json").read_text())["loans"]] == [1]
    r = debt("check")
    assert r.exit_code == 1 and "loans record 2: a stored value cannot be read" in r.stderr
    assert_error(debt("loan", "show", "2"), 1)
    repaired = debt.ok("check", "--repair", "--yes").stdout
    assert "Removed 1 unreadable records: loans 2." in repaired
    assert "The removed loans' 1 repayment went with them." in repaired  # said, not done silently
    assert "No problems found." in debt.ok("check").stdout
    assert [x["id"] for x in debt.ok("loan", "list", "--json").json] == [1]


def test_a_damaged_loan_can_still_be_deleted(debt: Debt) -> None:
    import sqlite3

    debt.ok(*MORTGAGE, "--json")
    con = sqlite3.connect(debt.db)
    with con:
        con.execute("UPDATE loans SET annual_rate = 'abc' WHERE id = 1")
    con.close()
    debt.ok("loan", "delete", "1", "--yes")
    assert "No problems found." in debt.ok("check").stdout


def test_an_unreadable_value_can_be_set_instead_of_removing_the_record(debt: Debt) -> None:
    import sqlite3

    debt.ok(*MORTGAGE, "--json")
    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "2", "5307.27", "--date", "2025-02-15")
    con = sqlite3.connect(debt.db)
    with con:
        con.execute("UPDATE loans SET start_date = '2025-13-15', annual_rate = '4,9' WHERE id = 2")
    con.close()
    r = debt("check")
    assert r.exit_code == 1 and "--set loans.2.start_date=VALUE" in r.stderr and "--set loans.2.annual_rate=VALUE" in r.stderr
    before = dump(debt.db)
    assert_error(debt("check", "--repair", "--set", "loans.2.start_date=2025-14-15", "--yes"), 2)  # checked like input
    assert_error(debt("check", "--repair", "--set", "loans.1.start_date=2025-01-15", "--yes"), 1)  # not damaged
    assert_error(debt("check", "--repair", "--set", "loans.2.name=x", "--yes"), 1)  # can be read
    assert_error(debt("check", "--set", "loans.2.start_date=2025-01-15"), 2)  # only with --repair
    assert dump(debt.db) == before
    fixed = debt.ok("check", "--repair", "--set", "loans.2.start_date=2025-01-15", "--set", "loans.2.annual_rate=4.9")
    assert "Removed" not in fixed.stdout and "No problems found." in fixed.stdout
    shown = debt.ok("loan", "show", "2", "--json").json
    assert shown["start_date"] == "2025-01-15" and len(debt.ok("repayment", "list", "--json").json) == 1


def test_repayments_of_a_missing_loan_are_named_and_removed_by_repair(debt: Debt) -> None:
    """A repayment written around the foreign keys (SQLite's shell has them off) for a loan that is not in the
    file: check names it and says how to fix it, --repair asks, then removes it, and check passes."""
    import sqlite3

    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    con = sqlite3.connect(debt.db)
    con.execute("INSERT INTO repayments (loan_id, date, amount, uid) VALUES (99, '2026-01-01', 100, 'x-1')")
    con.commit()
    con.close()
    r = debt("check")
    assert r.exit_code == 1 and "1 repayment belongs to a missing loan 99; 'debt check --repair' removes it" in r.stderr
    before = dump(debt.db)
    unconfirmed = debt("check", "--repair")  # not confirmed (no terminal, no --yes): nothing removed
    assert_error(unconfirmed, 1)
    assert "(no terminal to ask on: add --yes to confirm)" in unconfirmed.stderr
    assert dump(debt.db) == before
    assert "Removed 1 repayment of missing loans." in debt.ok("check", "--repair", "--yes").stdout
    assert "No problems found." in debt.ok("check").stdout
    assert len(debt.ok("loan", "show", "1", "--json").json["repayments"]) == 1


def test_check_repair_asks_for_a_new_value_at_the_terminal(debt: Debt, monkeypatch) -> None:
    import sqlite3

    import typer.testing

    debt.ok(*MORTGAGE, "--json")
    con = sqlite3.connect(debt.db)
    with con:
        con.execute("UPDATE loans SET first_due_date = '2025-02-30' WHERE id = 1")
    con.close()
    monkeypatch.setattr(typer.testing._NamedTextIOWrapper, "isatty", lambda self: True)
    # a bad answer is refused and asked again; the good one is stored
    r = debt("check", "--repair", input="2025-02-31\n2025-02-15\n")
    assert r.exit_code == 0, r.stderr
    assert "first_due_date is '2025-02-30'" in r.stdout and "must be a real date" in r.stderr
    assert debt.ok("loan", "show", "1", "--json").json["first_due_date"] == "2025-02-15"
    # Enter instead of a value: the record is removed, after a yes
    con = sqlite3.connect(debt.db)
    with con:
        con.execute("UPDATE loans SET first_due_date = 'soon' WHERE id = 1")
    con.close()
    r = debt("check", "--repair", input="\ny\n")
    assert r.exit_code == 0 and "Removed 1 unreadable records" in r.stdout
    assert debt.ok("loan", "list", "--json").json == []


def test_an_edit_that_would_make_the_repayments_an_overpayment_is_refused(debt: Debt) -> None:
    """Lowering a loan's principal below what its repayments paid would close it with a credit: the overpayment
    that 'debt repay' refuses, not to be got round by an edit. Nothing changes; a correction that keeps the
    repayments within what is owed goes through."""
    debt.ok(*MORTGAGE, "--json")
    for month in (2, 3, 4):
        debt.ok("repay", "1", "5307.27", "--date", f"2025-0{month}-15")
    before = dump(debt.db)
    r = debt("loan", "edit", "1", "--principal", "1000")  # 3 x 5,307.27 paid: more than all it would owe
    assert_error(r, 1)
    assert "would pay" in r.stderr and "more than it owes" in r.stderr
    assert dump(debt.db) == before
    shown = debt.ok("loan", "edit", "1", "--principal", "990000", "--json").json
    assert shown["principal"] == "990000.00" and shown["credit"] == "0.00"
