"""The SQLite store: migrations, privacy, refusing files that are not ours."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from decimal import Decimal

import pytest

from tracker.errors import NotFound, StoreError
from tracker.models import Loan, Repayment
from tracker.store import APPLICATION_ID, Store

D = dt.date


def sample_loan() -> Loan:
    return Loan("房贷", "ICBC", "equal-installment", 100_000_000, Decimal("4.9"), D(2025, 1, 15), D(2025, 2, 15), 360)


def test_new_file_is_private_wal_strict(db_path):
    store = Store.open(db_path, make_folder=True)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'loans'").fetchone()[0]
    assert sql.rstrip().endswith("STRICT")


def test_round_trip_and_persistence(db_path):
    store = Store.open(db_path, make_folder=True)
    loan = store.add_loan(sample_loan())
    store.add_repayment(Repayment(loan.id, D(2025, 2, 15), 530727, note="二月"))
    store.close()
    again = Store.open(db_path, make_folder=True)
    assert again.get_loan(loan.id) == loan
    assert [r.amount for r in again.repayments(loan.id)] == [530727]
    assert again.get_loan(loan.id).annual_rate == Decimal("4.9")


def test_failed_transaction_writes_nothing(db_path):
    store = Store.open(db_path, make_folder=True)
    with pytest.raises(RuntimeError), store.write():
        store.add_loan(sample_loan())
        raise RuntimeError("boom")
    assert store.loans() == []


def test_deleting_a_loan_deletes_its_repayments(store):
    loan = store.add_loan(sample_loan())
    store.add_repayment(Repayment(loan.id, D(2025, 2, 15), 530727))
    store.delete_loan(loan.id)
    assert store.repayments() == []
    with pytest.raises(NotFound):
        store.get_loan(loan.id)


def test_foreign_keys_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.add_repayment(Repayment(99, D(2025, 2, 15), 100))


def test_money_columns_are_integers(store):
    store.add_loan(sample_loan())
    assert store.conn.execute("SELECT typeof(principal) FROM loans").fetchone()[0] == "integer"


def test_text_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a debt-tracker database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_newer_version_is_refused(db_path):
    Store.open(db_path, make_folder=True).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('debt-tracker', '9999_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(db_path, make_folder=True)


def test_directory_and_missing_folder(tmp_path):
    with pytest.raises(StoreError):
        Store.open(tmp_path)
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path / "missing" / "y.db")
    assert not (tmp_path / "missing").exists()


def test_missing_file_without_create_is_not_created(tmp_path):
    path = tmp_path / "nothing.db"
    store = Store.open(path, create=False)
    assert store.loans() == []
    assert not path.exists()


def test_second_writer_waits_instead_of_failing(db_path):
    a = Store.open(db_path, make_folder=True)
    b = Store.open(db_path, make_folder=True)
    a.add_loan(sample_loan())
    with a.write():
        a.add_loan(sample_loan())
        # b can still read while a holds the write lock (WAL)
        assert len(b.loans()) == 1
    b.add_loan(sample_loan())
    assert len(a.loans()) == 3


def test_a_change_watch_sees_the_commits_of_every_other_connection_and_nothing_else(db_path):
    from tracker.service.database import ChangeWatch

    watch = ChangeWatch(db_path)
    assert watch.token() is None  # no file yet: cannot tell, so read
    assert not db_path.exists()  # and none made
    writer = Store.open(db_path, make_folder=True)
    first = watch.token()
    assert first is not None
    reader = Store.open(db_path)
    reader.loans(), reader.repayments()
    with writer.write():  # a transaction that changes nothing
        pass
    assert watch.token() == first
    writer.add_loan(sample_loan())
    second = watch.token()
    assert second != first
    assert watch.token() == second
    reader.close()
    writer.close()  # the last of the others gone: the watch still sees the file as it is
    other = Store.open(db_path)
    other.add_repayment(Repayment(1, D(2025, 2, 15), 100))
    other.close()
    assert watch.token() != second
    watch.close()
    assert watch.token() not in (first, second)  # a new connection's count is never taken for the old one's


def test_a_store_s_data_token_counts_its_own_changes_too(store):
    token = store.data_token()
    assert store.data_token() == token
    store.add_loan(sample_loan())
    assert store.data_token() != token


def test_a_new_records_identity_is_a_random_uuid_in_its_canonical_text():
    import uuid

    from tracker.store.rows import new_uid

    made = [new_uid() for _ in range(20_000)]
    assert len(set(made)) == len(made)
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
    # every bit but the version's four and the variant's two is random: each hex digit takes all its values
    for position in (0, 9, 15, 20, 24, 35):
        assert {text[position] for text in made} == set("0123456789abcdef")
    assert {text[14] for text in made} == {"4"} and {text[19] for text in made} == set("89ab")


def test_a_stored_loan_reads_back_as_the_loan_written(tmp_path):
    """Every column of a loan is read back as written: each of the sample household's loans and cards
    equals its export record's loan, and so does a loan with every optional column filled."""
    from msgspec.structs import replace

    from tracker.export_format import read_json
    from tracker.export_parse import parse_export
    from tracker.sample import SAMPLE_FILE
    from tracker.service.exchange import save_import
    from tracker.store.rows import _LOAN_COLUMNS, _loan_from

    store = Store.open(tmp_path / "s.db", make_folder=True)
    parsed = parse_export(read_json(SAMPLE_FILE))
    save_import(store, parsed)
    full = replace(
        sample_loan(),
        received=99_000_000,
        quoted_rate=Decimal("0.05"),
        rate_unit="daily",
        interest_basis="daily",
        penalty_rate=Decimal("18.25"),
        autopay=True,
        autopay_account="招商 0001",
        missed=(3, 7),
        notes="备注",
        reprice="01-01",
    )
    added = store.add_loan(full)
    rows = store.conn.execute(f"SELECT {', '.join(_LOAN_COLUMNS)} FROM loans ORDER BY id").fetchall()
    assert len(rows) >= 7
    read = [_loan_from(row) for row in rows]
    assert read[-1] == replace(full, id=added.id, uid=read[-1].uid)
    assert read[-1].missed == (3, 7) and read[-1].penalty_rate == Decimal("18.25")
    by_id = {loan.id: loan for loan in read}
    assert len(parsed.loans) == len(read) - 1
    for source in parsed.loans:  # the columns of each (its rate history, bills and instalments are other tables')
        got = by_id[source.id]
        assert got == replace(source, uid=got.uid, rate_changes=(), bills=(), instalments=()), source.name


def test_an_id_is_never_given_again_after_its_record_is_deleted(db_path):
    """SQLite numbers a row one above the largest id: deleting the newest record freed its id, and a script
    still holding it then acted on another record."""
    from tracker.cards import Bill
    from tracker.models import Contact, CreditCheck, Income

    store = Store.open(db_path, make_folder=True)
    first, second = store.add_loan(sample_loan()), store.add_loan(sample_loan())
    rep = store.add_repayment(Repayment(second.id, D(2025, 2, 15), 10_000))
    store.delete_loan(second.id)  # its repayment goes with it
    assert store.add_loan(sample_loan()).id == second.id + 1
    assert store.add_repayment(Repayment(first.id, D(2025, 2, 15), 10_000)).id == rep.id + 1
    newest = store.add_repayment(Repayment(first.id, D(2025, 3, 15), 10_000))
    store.delete_repayment(newest.id)
    store.add_repayments([Repayment(first.id, D(2025, 4, 15), 10_000), Repayment(first.id, D(2025, 5, 15), 10_000)])
    assert [r.id for r in store.repayments(first.id)][-2:] == [newest.id + 1, newest.id + 2]  # a batch too
    for add, delete in [
        (lambda: store.add_income(Income("工资", 100_000, D(2025, 1, 1))).id, store.delete_income),
        (lambda: store.add_credit_check(CreditCheck(D(2025, 1, 2))).id, store.delete_credit_check),
        (lambda: store.add_contact(Contact("sms", dt.datetime(2025, 1, 3, 9, 0))).id, store.delete_contact),
        (lambda: store.add_bill(Bill(first.id, D(2025, 1, 5), 50_000)).id, store.delete_bill),
        (lambda: store.add_match_rule(first.id, "招商银行", "", ""), store.delete_match_rule),
    ]:
        gone = add()
        delete(gone)
        assert add() == gone + 1
    store.close()
    # kept in the file: another process (another command) numbers above it too
    store = Store.open(db_path)
    store.delete_loan(store.add_loan(sample_loan()).id)
    top = store.conn.execute("SELECT MAX(id) FROM loans").fetchone()[0]
    store.close()
    assert Store.open(db_path).add_loan(sample_loan()).id == top + 2


def test_a_file_from_before_bills_of_nothing_owed_keeps_its_bills_and_takes_one(debt):
    """Migration 0014 makes the bills' table again so that a bill may be 0.00: the rows, their ids, the id a
    deleted bill held, the index and the trigger all carry over. The file is set back to what 0013 left."""
    from tracker.migrations import _keep_id_high

    debt.ok("card", "add", "招行", "--lender", "招商银行", "--limit", "20000", "--bill-day", "5", "--due-day", "23",
            today="2026-09-01")  # fmt: skip
    for day, amount in (("2026-09-05", "1000"), ("2026-10-05", "800")):
        debt.ok("card", "bill", "1", amount, "--date", day, today=day)
    debt.ok("card", "bill-delete", "2", "--yes", today="2026-10-06")
    conn = sqlite3.connect(debt.db)
    first = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'card_bills'").fetchone()[0]
    conn.executescript(
        "BEGIN;"
        f"CREATE TABLE old_bills {first[first.index('(') :].replace('CHECK (amount >= 0)', 'CHECK (amount > 0)')};"
        "INSERT INTO old_bills SELECT * FROM card_bills; DROP TABLE card_bills; ALTER TABLE old_bills RENAME TO card_bills;"
        "CREATE UNIQUE INDEX card_bills_uid ON card_bills(uid);"
        "DELETE FROM _sqlite_migrations WHERE name = '0014_bills_of_nothing_owed';"
        "COMMIT;"
    )
    with conn:
        _keep_id_high(conn, "card_bills")  # the trigger 0013 made
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO card_bills (loan_id, date, amount) VALUES (1, '2026-11-05', 0)")
    conn.close()
    out = debt.ok("card", "bill", "1", "0", "--date", "2026-11-05", "--json", today="2026-11-05").json
    assert [(b["id"], b["date"], b["amount"]) for b in out["bills"]] == [(1, "2026-09-05", "1000.00"), (3, "2026-11-05", "0.00")]
    conn = sqlite3.connect(debt.db)
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE tbl_name = 'card_bills' AND sql IS NOT NULL"))
    assert kinds == {"card_bills": "table", "card_bills_uid": "index", "card_bills_id_high": "trigger"}
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO card_bills (loan_id, date, amount) VALUES (1, '2026-12-05', -1)")
    conn.close()
    assert "No problems" in debt.ok("check", today="2026-11-05").stdout
