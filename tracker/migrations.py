"""Ordered schema migrations; each runs once, inside a transaction, in this order.

The steps are plain functions so that opening an up-to-date database needs no
sqlite-utils import (it costs a tenth of a second); sqlite-utils' Migrations
applies them when some are pending.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

MIGRATION_SET = "debt-tracker"
MIGRATIONS_TABLE = "_sqlite_migrations"


def m0001_ledger(db: Any) -> None:
    db.execute(
        """
        CREATE TABLE loans (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            lender TEXT NOT NULL,
            kind TEXT NOT NULL,
            method TEXT NOT NULL,
            currency TEXT NOT NULL DEFAULT 'CNY',
            principal INTEGER NOT NULL CHECK (principal > 0),
            received INTEGER CHECK (received IS NULL OR received > 0),
            annual_rate TEXT NOT NULL,
            fee_rate TEXT NOT NULL DEFAULT '0',
            min_payment_rate TEXT NOT NULL DEFAULT '10',
            rate_unit TEXT NOT NULL DEFAULT 'annual',
            quoted_rate TEXT,
            term_months INTEGER CHECK (term_months IS NULL OR term_months > 0),
            start_date TEXT NOT NULL,
            first_due_date TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE repayments (
            id INTEGER PRIMARY KEY,
            loan_id INTEGER NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            note TEXT NOT NULL DEFAULT '',
            prepay INTEGER NOT NULL DEFAULT 0,
            keep_term INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT '',
            source_ref TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )
    db.execute("CREATE INDEX repayments_loan ON repayments(loan_id, date)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")


def m0002_health(db: Any) -> None:
    db.execute(
        """
        CREATE TABLE incomes (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL DEFAULT 'CNY',
            start_date TEXT NOT NULL,
            end_date TEXT
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE credit_checks (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,
            channel TEXT NOT NULL DEFAULT '',
            findings TEXT NOT NULL DEFAULT '',
            anomalies INTEGER NOT NULL DEFAULT 0 CHECK (anomalies >= 0),
            follow_up TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE audit_items (
            id INTEGER PRIMARY KEY,
            template TEXT,
            app TEXT NOT NULL,
            permission TEXT NOT NULL,
            instruction TEXT NOT NULL DEFAULT '',
            why TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
            last_done TEXT
        ) STRICT
        """
    )


def m0003_messages_statements(db: Any) -> None:
    db.execute(
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL CHECK (channel IN ('sms', 'call', 'visit', 'letter', 'app')),
            sender TEXT NOT NULL DEFAULT '',
            about_loan_id INTEGER REFERENCES loans(id) ON DELETE SET NULL,
            about_person TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            message TEXT NOT NULL DEFAULT '',
            happened_at TEXT NOT NULL,
            verdict TEXT,
            score INTEGER,
            flags TEXT NOT NULL DEFAULT '[]'
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            original_name TEXT NOT NULL,
            stored_name TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL CHECK (size >= 0),
            sha256 TEXT NOT NULL,
            added_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE match_rules (
            id INTEGER PRIMARY KEY,
            loan_id INTEGER NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
            counterparty TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            method TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )
    db.execute("CREATE INDEX repayments_source ON repayments(source, source_ref)")


def m0004_interest(db: Any) -> None:
    """Day-count basis, penalty, early fees, LPR-linked rates, rate changes and the user's LPR fixings."""
    for column in (
        "interest_basis TEXT NOT NULL DEFAULT 'period' CHECK (interest_basis IN ('period', 'daily'))",
        "penalty_rate TEXT",
        "early_fees TEXT NOT NULL DEFAULT 'charge' CHECK (early_fees IN ('charge', 'waive'))",
        "lpr_spread_bp INTEGER",
        "reprice TEXT",
    ):
        db.execute(f"ALTER TABLE loans ADD COLUMN {column}")
    # platforms quoting a daily rate charge by the day: what their apps show
    db.execute("UPDATE loans SET interest_basis = 'daily' WHERE rate_unit = 'daily'")
    db.execute(
        """
        CREATE TABLE rate_changes (
            id INTEGER PRIMARY KEY,
            loan_id INTEGER NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
            from_date TEXT NOT NULL,
            annual_rate TEXT NOT NULL,
            UNIQUE (loan_id, from_date)
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE lpr_fixings (
            date TEXT PRIMARY KEY,
            one_year TEXT NOT NULL,
            five_year TEXT NOT NULL
        ) STRICT
        """
    )


UID_TABLES = ("loans", "repayments", "incomes", "credit_checks", "audit_items", "contacts", "evidence", "match_rules")


def m0005_uids(db: Any) -> None:
    """A stable identity for every record, kept by export and import, so an import never doubles anything."""
    import uuid

    for table in UID_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN uid TEXT")
        ids = [r[0] for r in db.execute(f"SELECT id FROM {table}").fetchall()]
        for row_id in ids:
            db.execute(f"UPDATE {table} SET uid = ? WHERE id = ?", [str(uuid.uuid4()), row_id])
        db.execute(f"CREATE UNIQUE INDEX {table}_uid ON {table}(uid)")


def m0006_removed_evidence(db: Any) -> None:
    """Removing an evidence file keeps a record of what it was (its hash), for the timeline's honesty."""
    db.execute(
        """
        CREATE TABLE evidence_removed (
            id INTEGER PRIMARY KEY,
            original_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            removed_at TEXT NOT NULL,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            note TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )


def m0007_autopay(db: Any) -> None:
    """Auto-debit (代扣) loans: the account debited, failed deductions; a stored deduction names its installment."""
    db.execute("ALTER TABLE loans ADD COLUMN autopay INTEGER NOT NULL DEFAULT 0 CHECK (autopay IN (0, 1))")
    db.execute("ALTER TABLE loans ADD COLUMN autopay_account TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE loans ADD COLUMN autopay_missed TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE repayments ADD COLUMN autopay_seq INTEGER CHECK (autopay_seq IS NULL OR autopay_seq > 0)")


def m0008_cards(db: Any) -> None:
    """Credit cards by their bills: limit, bill and due days, interest rule, late fee; bills; instalments of a bill."""
    for column in (
        "credit_limit INTEGER CHECK (credit_limit IS NULL OR credit_limit > 0)",
        "bill_day INTEGER CHECK (bill_day IS NULL OR bill_day BETWEEN 1 AND 31)",
        "due_day INTEGER CHECK (due_day IS NULL OR due_day BETWEEN 1 AND 31)",
        "card_interest TEXT NOT NULL DEFAULT 'full' CHECK (card_interest IN ('full', 'unpaid'))",
        "late_fee_rate TEXT NOT NULL DEFAULT '5'",
        "card_id INTEGER REFERENCES loans(id) ON DELETE SET NULL",
        "card_bill_date TEXT",
    ):
        db.execute(f"ALTER TABLE loans ADD COLUMN {column}")
    db.execute(
        """
        CREATE TABLE card_bills (
            id INTEGER PRIMARY KEY,
            loan_id INTEGER NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            minimum INTEGER CHECK (minimum IS NULL OR minimum >= 0),
            uid TEXT,
            UNIQUE (loan_id, date)
        ) STRICT
        """
    )
    db.execute("CREATE UNIQUE INDEX card_bills_uid ON card_bills(uid)")


def m0009_stored_state(db: Any) -> None:
    """Each loan's replayed ledger, stored (snapshot.py): lines with what paid them, allocations, totals.

    Triggers mark a loan whose inputs change (the loan, its repayments, its rate changes; every
    floating loan when an LPR fixing changes) so that no write path can forget to refresh it.
    """
    db.execute(
        """
        CREATE TABLE loan_state (
            loan_id INTEGER PRIMARY KEY REFERENCES loans(id) ON DELETE CASCADE,
            engine TEXT NOT NULL,
            live INTEGER NOT NULL DEFAULT 0,
            valid_after TEXT,
            valid_until TEXT,
            lines INTEGER NOT NULL,
            outstanding INTEGER NOT NULL,
            unpaid INTEGER NOT NULL,
            total_paid INTEGER NOT NULL,
            credit INTEGER NOT NULL,
            payments INTEGER NOT NULL,
            apr TEXT,
            ear TEXT,
            apr_note TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE loan_lines (
            loan_id INTEGER NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            seq INTEGER,
            kind TEXT NOT NULL,
            due_date TEXT NOT NULL,
            start TEXT,
            level INTEGER NOT NULL,
            principal INTEGER NOT NULL,
            interest INTEGER NOT NULL,
            fee INTEGER NOT NULL,
            paid_principal INTEGER NOT NULL,
            paid_interest INTEGER NOT NULL,
            paid_fee INTEGER NOT NULL,
            pen_units INTEGER NOT NULL,
            pen_to TEXT,
            pen_paid INTEGER NOT NULL,
            done_on TEXT,
            unpaid INTEGER NOT NULL,
            PRIMARY KEY (loan_id, line)
        ) STRICT, WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX loan_lines_open ON loan_lines(loan_id, due_date, line) WHERE unpaid > 0")
    db.execute("CREATE INDEX loan_lines_open_due ON loan_lines(due_date) WHERE unpaid > 0")
    db.execute("CREATE INDEX loan_lines_due ON loan_lines(due_date)")
    db.execute(
        """
        CREATE TABLE loan_allocs (
            loan_id INTEGER NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            line INTEGER NOT NULL,
            date TEXT NOT NULL,
            repayment_id INTEGER,
            principal INTEGER NOT NULL,
            interest INTEGER NOT NULL,
            fee INTEGER NOT NULL,
            penalty INTEGER NOT NULL,
            PRIMARY KEY (loan_id, n)
        ) STRICT, WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX loan_allocs_line ON loan_allocs(loan_id, line, date)")
    db.execute("CREATE TABLE loan_dirty (loan_id INTEGER PRIMARY KEY) STRICT")
    db.execute("CREATE TABLE state_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")

    # The marks avoid a conflict instead of ignoring it: SQLite lets the statement that fires a
    # trigger impose its own conflict policy on the trigger's body, so an upsert (INSERT ... ON
    # CONFLICT DO UPDATE) would turn a trigger's INSERT OR IGNORE into an abort.
    def mark(row: str) -> str:
        return f"INSERT INTO loan_dirty (loan_id) SELECT {row} WHERE NOT EXISTS (SELECT 1 FROM loan_dirty WHERE loan_id = {row})"

    for table, key in (("loans", "id"), ("repayments", "loan_id"), ("rate_changes", "loan_id")):
        db.execute(f"CREATE TRIGGER {table}_state_ins AFTER INSERT ON {table} BEGIN {mark(f'NEW.{key}')}; END")
        db.execute(
            f"CREATE TRIGGER {table}_state_upd AFTER UPDATE ON {table} BEGIN {mark(f'NEW.{key}')}; {mark(f'OLD.{key}')}; END"
        )
        db.execute(f"CREATE TRIGGER {table}_state_del AFTER DELETE ON {table} BEGIN {mark(f'OLD.{key}')}; END")
    floating = (
        "INSERT INTO loan_dirty (loan_id) SELECT id FROM loans WHERE lpr_spread_bp IS NOT NULL"
        " AND id NOT IN (SELECT loan_id FROM loan_dirty)"
    )
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER lpr_fixings_state_{event.lower()[:3]} AFTER {event} ON lpr_fixings BEGIN {floating}; END")
    # no engine is recorded yet: the store rebuilds every loan's state when it opens


def m0010_covering_open_lines(db: Any) -> None:
    """The open lines' index also holds what is unpaid: the overdue and due-soon sums of every
    read are answered from the index alone (62 ms -> 18 ms over the bench's 260,000 overdue lines)."""
    db.execute("DROP INDEX loan_lines_open")
    db.execute("CREATE INDEX loan_lines_open ON loan_lines(loan_id, due_date, line, unpaid) WHERE unpaid > 0")


def m0011_running_sums(db: Any) -> None:
    """Each stored line also holds running sums over its loan's lines in due-date order (what is
    unpaid, of every line and of installments, how many installments are open, the principal left)
    and what its month asks of it (``snapshot.replay_rows``): what is overdue on a day is then one index entry per loan,
    the last line due before it, however long the loan's arrears. The engine version that comes with
    these columns fills them: the state is rebuilt once when the file is opened."""
    for column in ("run_unpaid", "run_inst_unpaid", "run_inst_open", "run_left", "month_due"):
        db.execute(f"ALTER TABLE loan_lines ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "CREATE INDEX loan_lines_run ON loan_lines(loan_id, due_date, line, run_unpaid, run_inst_unpaid, run_inst_open, run_left)"
    )
    db.execute("CREATE INDEX loan_lines_month ON loan_lines(due_date, loan_id, month_due) WHERE month_due > 0")
    db.execute("DROP INDEX loan_lines_open_due")  # nothing reads the open lines by due date alone


def m0012_cheaper_marks(db: Any) -> None:
    """The triggers that mark a loan for a refresh test the mark before they write it (a WHEN clause
    and a plain INSERT ... VALUES). The first form, an INSERT ... SELECT reading the table it writes,
    made SQLite copy its one row to a temporary table on every write: 100,000 repayments were
    inserted in 5.5 s instead of 1.5 s. An update marks the new loan and, when it moved, the old one."""

    def mark(name: str, event: str, table: str, row: str, when: str = "") -> None:
        db.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table}"
            f" WHEN {when}NOT EXISTS (SELECT 1 FROM loan_dirty WHERE loan_id = {row})"
            f" BEGIN INSERT INTO loan_dirty (loan_id) VALUES ({row}); END"
        )

    for table, key in (("loans", "id"), ("repayments", "loan_id"), ("rate_changes", "loan_id")):
        for event in ("ins", "upd", "del"):
            db.execute(f"DROP TRIGGER {table}_state_{event}")
        mark(f"{table}_state_ins", "INSERT", table, f"NEW.{key}")
        mark(f"{table}_state_upd", "UPDATE", table, f"NEW.{key}")
        mark(f"{table}_state_upd_old", "UPDATE", table, f"OLD.{key}", when=f"OLD.{key} IS NOT NEW.{key} AND ")
        mark(f"{table}_state_del", "DELETE", table, f"OLD.{key}")


# the tables whose ids people and scripts use (`debt repay delete 12`, `loan show 3`, ...)
KEPT_IDS = ("loans", "repayments", "card_bills", "incomes", "credit_checks", "audit_items", "contacts", "evidence", "match_rules")


def m0013_ids_never_given_again(db: Any) -> None:
    """An id is never given to a new record once its record is deleted. SQLite gives the largest id
    plus one, so deleting the newest record freed its id for the next: a script that still held it
    then edited or deleted another record. A trigger keeps the highest id each table has deleted
    (``id_high``); the store numbers a new record above it (Store._fresh_id)."""
    db.execute("CREATE TABLE id_high (tbl TEXT PRIMARY KEY, high INTEGER NOT NULL) STRICT, WITHOUT ROWID")
    for table in KEPT_IDS:
        _keep_id_high(db, table)


def _keep_id_high(db: Any, table: str) -> None:
    """The trigger that keeps the highest id ``table`` has deleted (m0013)."""
    db.execute(
        f"CREATE TRIGGER {table}_id_high AFTER DELETE ON {table} BEGIN"
        f" INSERT INTO id_high (tbl, high) VALUES ('{table}', OLD.id)"
        " ON CONFLICT(tbl) DO UPDATE SET high = max(high, excluded.high); END"
    )


def m0014_bills_of_nothing_owed(db: Any) -> None:
    """A statement with nothing to pay (本期应还 0.00, a month without spending) is a bill as the bank prints it:
    a bill's amount may be zero. SQLite cannot change a CHECK, so the table is made again with its rows, its
    index and its trigger (in the migration's transaction: all or nothing)."""
    db.execute(
        """
        CREATE TABLE card_bills_new (
            id INTEGER PRIMARY KEY,
            loan_id INTEGER NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount >= 0),
            minimum INTEGER CHECK (minimum IS NULL OR minimum >= 0),
            uid TEXT,
            UNIQUE (loan_id, date)
        ) STRICT
        """
    )
    db.execute(
        "INSERT INTO card_bills_new (id, loan_id, date, amount, minimum, uid)"
        " SELECT id, loan_id, date, amount, minimum, uid FROM card_bills"
    )
    db.execute("DROP TABLE card_bills")
    db.execute("ALTER TABLE card_bills_new RENAME TO card_bills")
    db.execute("CREATE UNIQUE INDEX card_bills_uid ON card_bills(uid)")
    _keep_id_high(db, "card_bills")


STEPS: list[tuple[str, Callable[[Any], None]]] = [
    ("0001_ledger", m0001_ledger),
    ("0002_health", m0002_health),
    ("0003_messages_statements", m0003_messages_statements),
    ("0004_interest", m0004_interest),
    ("0005_uids", m0005_uids),
    ("0006_removed_evidence", m0006_removed_evidence),
    ("0007_autopay", m0007_autopay),
    ("0008_cards", m0008_cards),
    ("0009_stored_state", m0009_stored_state),
    ("0010_covering_open_lines", m0010_covering_open_lines),
    ("0011_running_sums", m0011_running_sums),
    ("0012_cheaper_marks", m0012_cheaper_marks),
    ("0013_ids_never_given_again", m0013_ids_never_given_again),
    ("0014_bills_of_nothing_owed", m0014_bills_of_nothing_owed),
]


def known_names() -> list[str]:
    return [name for name, _fn in STEPS]


def applied_names(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]).fetchone()
    if not exists:
        return []
    rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])
    return [r[0] for r in rows]


def apply(conn: sqlite3.Connection) -> None:
    """Apply pending steps with sqlite-utils' Migrations (inside the caller's transaction)."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, fn in STEPS:
        migrations(name=name)(fn)
    migrations.apply(Database(conn))
