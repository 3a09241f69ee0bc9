"""Ordered schema migrations; each runs once, inside a transaction, in this order."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "debt-tracker"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_ledger")
def m0001_ledger(db: Database) -> None:
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


def known_names() -> list[str]:
    """Every migration this version knows, in order."""
    return [m.name for m in migrations.pending(Database(memory=True))]
