"""Loans and what hangs on them in the store: credit-card bills, rate changes, LPR fixings, repayments."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from msgspec.structs import replace

from .. import lpr
from ..cards import Bill
from ..dates import from_iso
from ..errors import NotFound, StoreError, TrackerError
from ..i18n import _
from ..models import Loan, Repayment
from .base import StoreBase
from .rows import (
    _LOAN_COLUMNS,
    _REPAYMENT_COLUMNS,
    _loan_from,
    _loan_row,
    _repayment_from,
    _repayment_row,
    _repayment_values,
    new_uid,
)

_BULK = 1000  # repayments inserted at once from which the table's indexes and triggers are set aside


class LoanStore(StoreBase):
    """Loans, card bills, rate changes, LPR fixings and repayments."""

    # -- loans -------------------------------------------------------------------
    def add_loan(self, loan: Loan) -> Loan:
        return self.get_loan(self._insert("loans", _loan_row(loan)))

    def update_loan(self, loan: Loan) -> Loan:
        row = _loan_row(loan)
        loan_id = row.pop("id")
        if row.get("uid") is None:
            row.pop("uid")  # an edit keeps the record's identity
        with self.write():
            self.get_loan(loan_id)
            self.conn.execute(f"UPDATE loans SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?", [*row.values(), loan_id])
        return self.get_loan(loan_id)

    def delete_loan(self, loan_id: int) -> None:
        """Delete a loan and its repayments (also one whose stored values cannot be read)."""
        with self.write():
            if self.conn.execute("SELECT 1 FROM loans WHERE id = ?", [loan_id]).fetchone() is None:
                raise NotFound(_("no loan with id {id}").format(id=loan_id))
            self.conn.execute("DELETE FROM loans WHERE id = ?", [loan_id])

    def get_loan(self, loan_id: int) -> Loan:
        row = self.conn.execute(f"SELECT {', '.join(_LOAN_COLUMNS)} FROM loans WHERE id = ?", [loan_id]).fetchone()
        if row is None:
            raise NotFound(_("no loan with id {id}").format(id=loan_id))
        loan = self._read("loans", row, _loan_from)
        if loan is None:
            raise StoreError(
                _("loan {id} has a value that cannot be read ({reason}); see 'debt check'").format(
                    id=loan_id, reason=self.damaged[("loans", loan_id)]
                )
            )
        return self._with_bills(self._with_rates(loan, self._changes().get(loan_id, [])))

    def readable_loan(self, loan_id: int) -> Loan | None:
        """The loan with its rates and bills, or None when it is gone or a value of it cannot be read."""
        row = self.conn.execute(f"SELECT {', '.join(_LOAN_COLUMNS)} FROM loans WHERE id = ?", [loan_id]).fetchone()
        loan = None if row is None else self._read("loans", row, _loan_from)
        if loan is None:
            return None
        return self._with_bills(self._with_rates(loan, self._changes().get(loan_id, [])))

    def loan_name(self, loan_id: int) -> str:
        """A loan's name even when other values of it cannot be read (to name it in a question)."""
        row = self.conn.execute("SELECT name FROM loans WHERE id = ?", [loan_id]).fetchone()
        if row is None:
            raise NotFound(_("no loan with id {id}").format(id=loan_id))
        return str(row[0])

    def repayment_count(self, loan_id: int) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM repayments WHERE loan_id = ?", [loan_id]).fetchone()[0]

    def card_plans(self, card_id: int) -> list[tuple[int, str]]:
        """The instalment plans a card repays (id, name), by id."""
        return [
            (r[0], str(r[1])) for r in self.conn.execute("SELECT id, name FROM loans WHERE card_id = ? ORDER BY id", [card_id])
        ]

    def _changes(self) -> dict[int, list[tuple[dt.date, Decimal]]]:
        changes: dict[int, list[tuple[dt.date, Decimal]]] = {}
        for row_id, loan_id, day, rate in self.conn.execute(
            "SELECT id, loan_id, from_date, annual_rate FROM rate_changes ORDER BY from_date"
        ):
            try:
                changes.setdefault(loan_id, []).append((dt.date.fromisoformat(day), Decimal(rate)))
            except (ValueError, ArithmeticError) as exc:
                self.damaged[("rate_changes", row_id)] = str(exc) or type(exc).__name__
        return changes

    def loans(self) -> list[Loan]:
        """Every readable loan, oldest first; one that cannot be read is skipped and noted in ``damaged``."""
        return self._unchanged("loans", self._read_loans)

    def _read_loans(self) -> list[Loan]:
        rows = self.conn.execute(f"SELECT {', '.join(_LOAN_COLUMNS)} FROM loans ORDER BY id").fetchall()
        changes = self._changes()
        loans = [loan for loan in (self._read("loans", r, _loan_from) for r in rows) if loan is not None]
        cards = any(loan.is_card for loan in loans)
        bills = self._bills() if cards else {}
        instalments = _instalments(self.conn) if cards else {}
        return [self._with_bills(self._with_rates(loan, changes.get(loan.id or 0, [])), bills, instalments) for loan in loans]

    # -- credit-card bills -----------------------------------------------------------
    def _bills(self, card_id: int | None = None) -> dict[int, list[Bill]]:
        """Bills by card, each with what was moved off it into instalment loans."""
        moved: dict[tuple[int, str], int] = {}
        for cid, day, total in self.conn.execute(
            "SELECT card_id, card_bill_date, SUM(principal) FROM loans WHERE card_id IS NOT NULL GROUP BY card_id, card_bill_date"
        ):
            moved[(cid, day)] = total
        sql = "SELECT id, loan_id, date, amount, minimum, uid FROM card_bills"
        params: list[object] = []
        if card_id is not None:
            sql += " WHERE loan_id = ?"
            params.append(card_id)
        out: dict[int, list[Bill]] = {}
        for row_id, loan_id, day, amount, minimum, uid in self.conn.execute(sql + " ORDER BY date", params):
            try:
                bill = Bill(loan_id, dt.date.fromisoformat(day), amount, minimum, moved.get((loan_id, day), 0), row_id, uid)
            except ValueError as exc:
                self.damaged[("card_bills", row_id)] = str(exc)
                continue
            out.setdefault(loan_id, []).append(bill)
        return out

    def _with_bills(
        self, loan: Loan, bills: dict[int, list[Bill]] | None = None, instalments: dict[int, list] | None = None
    ) -> Loan:
        if not loan.is_card:
            return loan
        if bills is None:
            bills = self._bills(loan.id)
        if instalments is None:
            instalments = _instalments(self.conn, loan.id)
        return replace(loan, bills=tuple(bills.get(loan.id or 0, [])), instalments=tuple(instalments.get(loan.id or 0, [])))

    def add_bill(self, bill: Bill) -> Bill:
        row = {"loan_id": bill.card_id, "date": bill.date.isoformat(), "amount": bill.amount, "minimum": bill.minimum}
        bill_id = self._insert("card_bills", {"id": bill.id, **row, "uid": bill.uid})  # an id of None: a new one
        return next(b for b in self._bills(bill.card_id)[bill.card_id] if b.id == bill_id)

    def replace_bill(self, bill: Bill) -> Bill:
        """The bill of the same card and date, corrected (a retyped statement)."""
        with self.write():
            self.conn.execute(
                "UPDATE card_bills SET amount = ?, minimum = ? WHERE loan_id = ? AND date = ?",
                [bill.amount, bill.minimum, bill.card_id, bill.date.isoformat()],
            )
        return next(b for b in self._bills(bill.card_id)[bill.card_id] if b.date == bill.date)

    def delete_bill(self, bill_id: int) -> None:
        with self.write():
            if self.conn.execute("DELETE FROM card_bills WHERE id = ?", [bill_id]).rowcount == 0:
                raise NotFound(_("no bill with id {id}").format(id=bill_id))

    def all_bills(self) -> list[Bill]:
        return [b for bills in self._bills().values() for b in bills]

    def _with_rates(self, loan: Loan, manual: list[tuple[dt.date, Decimal]]) -> Loan:
        """The loan with its rate history: the changes recorded for it and, if floating, the LPR repricings."""
        return lpr.with_rates(loan, tuple(manual), self.fixings() if loan.lpr_spread_bp is not None else ())

    # -- rate changes and LPR fixings ----------------------------------------------
    def rate_changes(self, loan_id: int) -> list[tuple[dt.date, Decimal]]:
        """The rate changes recorded by hand for a loan (a floating loan's repricings are derived)."""
        return self._changes().get(loan_id, [])

    def set_rate_change(self, loan_id: int, day: dt.date, rate: Decimal) -> None:
        with self.write():
            self.get_loan(loan_id)
            self.conn.execute(
                "INSERT INTO rate_changes (loan_id, from_date, annual_rate) VALUES (?, ?, ?) "
                "ON CONFLICT(loan_id, from_date) DO UPDATE SET annual_rate = excluded.annual_rate",
                [loan_id, day.isoformat(), str(rate)],
            )

    def replace_rate_changes(self, loan_id: int, changes: list[tuple[dt.date, Decimal]]) -> None:
        with self.write():
            self.conn.execute("DELETE FROM rate_changes WHERE loan_id = ?", [loan_id])
            for day, rate in changes:
                self.set_rate_change(loan_id, day, rate)

    def user_fixings(self) -> list[lpr.Fixing]:
        rows = self.conn.execute("SELECT date, one_year, five_year FROM lpr_fixings ORDER BY date")
        return [lpr.Fixing(dt.date.fromisoformat(d), Decimal(one), Decimal(five), lpr.USER_SOURCE) for d, one, five in rows]

    def fixings(self) -> tuple[lpr.Fixing, ...]:
        """Every LPR fixing known: the shipped table with the user's additions."""
        return lpr.merged(self.user_fixings())

    def add_fixing(self, fixing: lpr.Fixing) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO lpr_fixings (date, one_year, five_year) VALUES (?, ?, ?) "
                "ON CONFLICT(date) DO UPDATE SET one_year = excluded.one_year, five_year = excluded.five_year",
                [fixing.date.isoformat(), str(fixing.one_year), str(fixing.five_year)],
            )

    # -- repayments --------------------------------------------------------------
    def add_repayment(self, rep: Repayment) -> Repayment:
        return self.get_repayment(self._insert("repayments", _repayment_row(rep)))

    def add_repayments(self, reps: list[Repayment]) -> None:
        """Insert many repayments in one statement batch (import), each row made as SQLite asks for it.

        A batch at least as big as what is stored (an import into a new database) goes in with the
        table's indexes and triggers set aside, rebuilt after it in the same transaction: SQLite sorts
        an index once faster than it inserts entry by entry, and the loans the triggers would mark
        are marked once each. A duplicate identity still fails, when the unique index is rebuilt.
        """
        if not reps:
            return
        cols = ", ".join(_REPAYMENT_COLUMNS)
        marks = ", ".join("?" for _ in _REPAYMENT_COLUMNS)
        uid = _REPAYMENT_COLUMNS.index("uid")
        rows = (
            values if values[uid] is not None else (*values[:uid], new_uid(), *values[uid + 1 :])
            for values in map(_repayment_values, reps)
        )
        with self.write() as conn:
            aside = []
            if len(reps) >= _BULK and len(reps) >= conn.execute("SELECT COUNT(*) FROM repayments").fetchone()[0]:
                aside = conn.execute(
                    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
                    " AND tbl_name = 'repayments' AND sql IS NOT NULL ORDER BY type, name"
                ).fetchall()
                for kind, name, _sql in aside:
                    conn.execute(f'DROP {kind.upper()} "{name}"')
            first = next(rows)
            if first[0] is None:  # the first new id above any deleted; SQLite numbers the rest after it
                first = (self._fresh_id("repayments"), *first[1:])
            conn.executemany(f"INSERT INTO repayments ({cols}) VALUES ({marks})", itertools.chain([first], rows))
            for _kind, _name, sql in aside:
                conn.execute(sql)
            if aside:  # what the triggers set aside would have marked
                conn.executemany(
                    "INSERT OR IGNORE INTO loan_dirty (loan_id) VALUES (?)", [(lid,) for lid in sorted({r.loan_id for r in reps})]
                )

    def get_repayment(self, rep_id: int) -> Repayment:
        row = self.conn.execute(f"SELECT {', '.join(_REPAYMENT_COLUMNS)} FROM repayments WHERE id = ?", [rep_id]).fetchone()
        if row is None:
            raise NotFound(_("no repayment with id {id}").format(id=rep_id))
        return _repayment_from(row)

    def repayments(self, loan_id: int | None = None) -> list[Repayment]:
        if loan_id is None:
            return self._unchanged("repayments", self._read_repayments)
        return self._read_repayments(loan_id)

    def _read_repayments(self, loan_id: int | None = None) -> list[Repayment]:
        sql = f"SELECT {', '.join(_REPAYMENT_COLUMNS)} FROM repayments"
        params: list[object] = []
        if loan_id is not None:
            sql += " WHERE loan_id = ?"
            params.append(loan_id)
        rows = self.conn.execute(sql + " ORDER BY date, id", params).fetchall()
        return [rep for rep in (self._read("repayments", r, _repayment_from) for r in rows) if rep is not None]

    def repayments_of(self, loan_ids: list[int]) -> dict[int, list[Repayment]]:
        """The repayments of a few dozen loans, by loan, each loan's in the order of ``repayments``."""
        if not loan_ids:
            return {}
        marks = ",".join("?" for _ in loan_ids)
        rows = self.conn.execute(
            f"SELECT {', '.join(_REPAYMENT_COLUMNS)} FROM repayments WHERE loan_id IN ({marks}) ORDER BY date, id", loan_ids
        ).fetchall()
        out: dict[int, list[Repayment]] = {}
        for rep in (self._read("repayments", r, _repayment_from) for r in rows):
            if rep is not None:
                out.setdefault(rep.loan_id, []).append(rep)
        return out

    def repayments_by_loan(self) -> dict[int, list[Repayment]]:
        out: dict[int, list[Repayment]] = {}
        for rep in self.repayments():
            out.setdefault(rep.loan_id, []).append(rep)
        return out

    def update_repayment(self, rep: Repayment) -> Repayment:
        row = _repayment_row(rep)
        rep_id = row.pop("id")
        self.get_repayment(rep_id)
        self._update("repayments", rep_id, row)
        return self.get_repayment(rep_id)

    def delete_repayment(self, rep_id: int) -> None:
        with self.write():
            self.get_repayment(rep_id)
            self.conn.execute("DELETE FROM repayments WHERE id = ?", [rep_id])


def _instalments(conn, card_id: int | None = None) -> dict[int, list[tuple[dt.date, int]]]:
    """By card (or of one card): (due date, principal not yet repaid) of every installment of its instalment loans
    (账单分期), from their stored lines (a loan paid off early has none left); a loan not stored yet by its schedule."""
    from ..schedule import build_schedule

    mine = "o.card_id IS NOT NULL" if card_id is None else "o.card_id = ?"
    params = [] if card_id is None else [card_id]
    out: dict[int, list[tuple[dt.date, int]]] = {}
    for cid, day, left in conn.execute(
        "SELECT o.card_id, l.due_date, l.principal - l.paid_principal FROM loans o JOIN loan_lines l ON l.loan_id = o.id"
        f" WHERE {mine} AND l.kind = 'installment'",
        params,
    ):
        out.setdefault(cid, []).append((from_iso(day), left))
    unstored = conn.execute(
        f"SELECT {', '.join('o.' + c for c in _LOAN_COLUMNS)} FROM loans o"
        f" WHERE {mine} AND NOT EXISTS (SELECT 1 FROM loan_state s WHERE s.loan_id = o.id)",
        params,
    ).fetchall()
    for row in unstored:
        try:
            loan = _loan_from(row)
            lines = [(i.due_date, i.principal) for i in build_schedule(loan)]
        except (TrackerError, ValueError, ArithmeticError, TypeError):  # a row that cannot be read: named when read
            continue
        out.setdefault(loan.card_id or 0, []).extend(lines)
    return out
