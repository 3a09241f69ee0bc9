"""The only module that speaks SQL: opening the file safely, loans, repayments, settings."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from . import lpr, migrations
from .cards import Bill
from .errors import BadInput, NotFound, StoreError
from .i18n import _
from .models import AuditItem, Contact, CreditCheck, Evidence, Income, Loan, Repayment

# "DEBT" in ASCII: marks a SQLite file as ours (PRAGMA application_id).
APPLICATION_ID = 0x44454254
BUSY_TIMEOUT_S = 30.0
# Test hook, read once: DEBT_TRACKER_FAULT=kill-before-commit makes the process SIGKILL itself right before the
# COMMIT of its first transaction that changed a row, so a test can show that a crash inside a write leaves the
# file exactly as it was (tests/service/test_robustness.py). Unset, it is one comparison per transaction.
_KILL_BEFORE_COMMIT = os.environ.get("DEBT_TRACKER_FAULT") == "kill-before-commit"

# what SQLite raises when the file itself fails (locked past the timeout, disk full, damaged, not a
# database): the faces catch these through the service, never by importing sqlite3 themselves
FILE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)


def file_error_text(exc: Exception) -> str:
    """One line for a failure of the file itself."""
    if isinstance(exc, sqlite3.OperationalError):
        return _("the database could not be written: {reason}").format(reason=exc)
    return _("the database is damaged or not ours: {reason}").format(reason=exc)


_LOAN_COLUMNS = (
    "id name lender kind method currency principal received annual_rate fee_rate min_payment_rate "
    "rate_unit quoted_rate term_months start_date first_due_date notes "
    "interest_basis penalty_rate early_fees lpr_spread_bp reprice uid autopay autopay_account autopay_missed "
    "credit_limit bill_day due_day card_interest late_fee_rate card_id card_bill_date"
).split()
_REPAYMENT_COLUMNS = "id loan_id date amount note prepay keep_term source source_ref uid autopay_seq".split()
_INCOME_COLUMNS = "id source amount currency start_date end_date uid".split()
_CHECK_COLUMNS = "id date channel findings anomalies follow_up uid".split()
_CONTACT_COLUMNS = "id channel sender about_loan_id about_person summary message happened_at verdict score flags uid".split()
_EVIDENCE_COLUMNS = "id contact_id original_name stored_name size sha256 added_at note uid".split()
_AUDIT_COLUMNS = "id template app permission instruction why status last_done uid".split()


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """What went wrong opening the file, said plainly: a full disk and a read-only place are not damage."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL":
        return StoreError(_("the disk is full: {path} cannot be opened for writing").format(path=path))
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return StoreError(_("{path} is in a read-only place: it cannot be written").format(path=path))
    return StoreError(_("{path} is not a debt-tracker database ({reason})").format(path=path, reason=exc))


def _private_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) before SQLite touches them."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


class Store:
    """One open database. ``Store.open(path)`` for a file, ``Store.memory()`` for tests."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None, today: dt.date | None = None) -> None:
        self.conn = conn
        self.path = path
        self.memory = path is None
        # records skipped because a stored value cannot be read (edited by hand, damaged): (table, id, reason)
        self.damaged: dict[tuple[str, int], str] = {}
        # the day an auto-debit loan's stored state counts deductions up to (snapshot.py)
        self.today = today or dt.date.today()
        self.read_only = False
        self._has_state: bool | None = None
        # whole-table reads kept while the file is unchanged (see _unchanged)
        self._kept: dict[str, tuple[tuple[int, int], list]] = {}

    # -- opening -----------------------------------------------------------------
    @classmethod
    def memory(cls, today: dt.date | None = None) -> Store:
        store = cls(sqlite3.connect(":memory:"), today=today)
        store._prepare(new=True)
        return store

    @classmethod
    def open(cls, path: Path, *, create: bool = True, make_folder: bool = False, today: dt.date | None = None) -> Store:
        """Open (and migrate) the file at path.

        Without ``create`` a missing file is an empty in-memory view (reading creates nothing);
        ``make_folder`` creates a missing folder (0700), as for the default data location.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(_("{path} is a folder, not a database file").format(path=path))
        exists = path.exists()
        if not exists and not create:
            return cls.memory(today)
        if not exists and not path.parent.is_dir() and not make_folder:
            raise StoreError(_("the folder for the database does not exist: {path}").format(path=path.parent))
        try:
            if not exists:
                _private_file(path)
            if not os.access(path, os.R_OK):
                raise StoreError(_("cannot read the database file {path}").format(path=path))
            if not create and not os.access(path.parent, os.W_OK):
                # a read-only folder: SQLite cannot make its -shm/-wal files there; read the file as it is
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True, timeout=BUSY_TIMEOUT_S)
                store = cls(conn, path, today)
                store._check_ours()
                store._prepare(new=False, read_only=True)
                return store
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
            store = cls(conn, path, today)
            store._check_ours()
            store._prepare(new=not exists)
        except sqlite3.DatabaseError as exc:
            raise _open_error(path, exc) from None
        except PermissionError as exc:
            raise StoreError(_("cannot open {path}: {reason}").format(path=path, reason=exc.strerror)) from None
        except OSError as exc:
            from .files import write_error

            raise write_error(path, exc) from None
        return store

    def _check_ours(self) -> None:
        conn = self.conn
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app_id == 0 and not tables:
            return  # empty file: ours to initialise
        if app_id != APPLICATION_ID:
            raise StoreError(_("{path} is not a debt-tracker database").format(path=self.path))
        unknown = set(migrations.applied_names(conn)) - set(migrations.known_names())
        if unknown:
            raise StoreError(
                _("{path} was written by a newer version of debt-tracker; upgrade to open it").format(path=self.path)
            )

    def _prepare(self, *, new: bool, read_only: bool = False) -> None:
        conn = self.conn
        conn.execute("PRAGMA foreign_keys = ON")
        # up to 32 MB of pages kept in memory (SQLite's default is 2 MB): an import or a rebuild
        # writes hundreds of thousands of index entries; a read touches a few pages and uses little
        conn.execute("PRAGMA cache_size = -32768")
        if read_only:
            self.read_only = True
            if migrations.applied_names(conn) != migrations.known_names():
                raise StoreError(
                    _("{path} needs an upgrade, but it is in a read-only place: copy it somewhere writable").format(
                        path=self.path
                    )
                )
            return
        if not self.memory:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        if migrations.applied_names(conn) != migrations.known_names():
            with self.write():
                migrations.apply(conn)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._has_state = None
        self.bring_state_up_to_date()

    def bring_state_up_to_date(self) -> None:
        """Rebuild the stored loan state if another engine computed it; refresh loans marked since."""
        from . import snapshot

        if self.read_only or snapshot.is_current(self.conn):
            return
        with self.write():
            if snapshot.stored_engine(self.conn) != snapshot.ENGINE:
                snapshot.rebuild(self)

    def state_usable(self, today: dt.date) -> bool:
        """Whether reads may use the stored loan state for ``today`` (refreshing what a writable store can)."""
        from . import snapshot

        if not snapshot.is_current(self.conn):
            if self.read_only:
                return False
            self.bring_state_up_to_date()
        stale = snapshot.stale_windows(self.conn, today)
        if stale:
            if self.read_only:
                return False
            kept, self.today = self.today, today
            try:
                with self.write():
                    snapshot.refresh(self, stale)
            finally:
                self.today = kept
        return True

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken up front (BEGIN IMMEDIATE) so concurrent writers queue, not fail.

        Nested calls become savepoints, so a service can group several store writes atomically.
        """
        conn = self.conn
        if conn.in_transaction:
            name = f"sp{id(object())}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        changes = conn.total_changes
        try:
            yield conn
            if self._state_ready:
                from .snapshot import refresh_marked

                refresh_marked(self)  # every loan this transaction changed, replayed before it commits
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if _KILL_BEFORE_COMMIT and conn.total_changes > changes:
            os.kill(os.getpid(), signal.SIGKILL)  # the test hook above
        conn.execute("COMMIT")

    def _unchanged(self, name: str, read: Callable[[], list]) -> list:
        """A whole-table read, reused while nothing has changed the file: no write of this
        connection (``total_changes``) and no commit by another (``PRAGMA data_version``). Never
        inside a transaction, which may still roll back. A command that reads every repayment for
        several purposes (check, export) reads them once."""
        if self.conn.in_transaction:
            return read()
        version = (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)
        kept = self._kept.get(name)
        if kept is None or kept[0] != version:
            kept = self._kept[name] = (version, read())
        return list(kept[1])

    def forget_reads(self) -> None:
        """Read every record afresh next time, noting again the ones that cannot be read."""
        self._kept.clear()
        self.damaged.clear()

    @property
    def _state_ready(self) -> bool:
        """Whether the stored-state tables exist (not while the migrations that create them run)."""
        if self._has_state is None:
            self._has_state = (
                self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'loan_dirty'").fetchone()
                is not None
            )
        return self._has_state

    # -- loans -------------------------------------------------------------------
    def add_loan(self, loan: Loan) -> Loan:
        row = _new(_loan_row(loan))
        if loan.id is None:
            row.pop("id")
        with self.write():
            cursor = self.conn.execute(
                f"INSERT INTO loans ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
            )
        return self.get_loan(cursor.lastrowid)

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

    def _read(self, table: str, row: tuple, convert):
        """A stored row as a record, or None (noted in ``damaged``) when a value cannot be read."""
        try:
            return convert(row)
        except (ValueError, ArithmeticError, TypeError) as exc:
            reason = str(exc)
            if not reason or reason.startswith("[<class"):  # decimal's signals say nothing readable
                reason = _("a number or date that is not valid")
            self.damaged[(table, row[0])] = reason
            return None

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
        bills = self._bills() if any(loan.is_card for loan in loans) else {}
        return [self._with_bills(self._with_rates(loan, changes.get(loan.id or 0, [])), bills) for loan in loans]

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

    def _with_bills(self, loan: Loan, bills: dict[int, list[Bill]] | None = None) -> Loan:
        if not loan.is_card:
            return loan
        if bills is None:
            bills = self._bills(loan.id)
        return replace(loan, bills=tuple(bills.get(loan.id or 0, [])))

    def add_bill(self, bill: Bill) -> Bill:
        with self.write():
            cursor = self.conn.execute(
                "INSERT INTO card_bills (loan_id, date, amount, minimum, uid) VALUES (?, ?, ?, ?, ?)",
                [bill.card_id, bill.date.isoformat(), bill.amount, bill.minimum, bill.uid or str(uuid.uuid4())],
            )
        return next(b for b in self._bills(bill.card_id)[bill.card_id] if b.id == cursor.lastrowid)

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

    def unreadable_fields(self, table: str, row_id: int) -> list[tuple[str, object, str]]:
        """The values of a damaged record that cannot be read: (column, stored value, kind: date or number)."""
        kinds = _FIELD_KINDS.get(table, {})
        if not kinds:
            return []
        columns = sorted(kinds)
        row = self.conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", [row_id]).fetchone()
        if row is None:
            return []
        return [
            (column, value, kinds[column].rstrip("?"))
            for column, value in zip(columns, row, strict=True)
            if not _readable(kinds[column], value)
        ]

    def fix_field(self, table: str, row_id: int, column: str, text: str) -> None:
        """Store a new value for one unreadable value of a damaged record, checked first (``debt check --repair``)."""
        from .dates import parse_date
        from .money import parse_percent

        kind = _FIELD_KINDS.get(table, {}).get(column)
        if kind is None:
            raise BadInput(_("{table} has no value {column} that a repair can set").format(table=table, column=column))
        if kind.startswith("date"):
            value: object = parse_date(text, column).isoformat()
        elif kind.startswith("rate"):
            value = str(parse_percent(text, column))
        else:  # installment numbers, as "3,5"
            parts = [p.strip() for p in text.split(",") if p.strip()]
            if not all(p.isdigit() and p.isascii() for p in parts):
                raise BadInput(_("{column} must be installment numbers separated by commas").format(column=column))
            value = ",".join(str(int(p)) for p in parts)
        with self.write():
            if self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [value, row_id]).rowcount == 0:
                raise NotFound(_("no {table} record {id}").format(table=table, id=row_id))
        self.damaged.pop((table, row_id), None)

    def remove_damaged(self) -> list[tuple[str, int]]:
        """Delete every record noted as unreadable (a loan takes its repayments with it); what was removed."""
        removed = sorted(self.damaged)
        with self.write():
            for table, row_id in removed:
                self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
        self.damaged.clear()
        return removed

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
        row = _new(_repayment_row(rep))
        if rep.id is None:
            row.pop("id")
        with self.write():
            cursor = self.conn.execute(
                f"INSERT INTO repayments ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
        return self.get_repayment(cursor.lastrowid)

    def add_repayments(self, reps: list[Repayment]) -> None:
        """Insert many repayments in one statement batch (import)."""
        rows = [_new(_repayment_row(r)) for r in reps]
        if not rows:
            return
        cols = list(rows[0])
        with self.write():
            self.conn.executemany(
                f"INSERT INTO repayments ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [list(r.values()) for r in rows],
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

    # -- incomes, credit checks, audit items ------------------------------------
    def _insert(self, table: str, row: dict[str, object]) -> int:
        row = {k: v for k, v in _new(row).items() if not (k == "id" and v is None)}
        with self.write():
            cursor = self.conn.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
            )
        return int(cursor.lastrowid or 0)

    def _update(self, table: str, row_id: int, row: dict[str, object]) -> None:
        row = {k: v for k, v in row.items() if not (k == "uid" and v is None)}  # an edit keeps the identity
        with self.write():
            self.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?", [*row.values(), row_id])

    def _delete(self, table: str, row_id: int) -> None:
        with self.write():
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])

    def add_income(self, income: Income) -> Income:
        return self.get_income(self._insert("incomes", _income_row(income)))

    def update_income(self, income: Income) -> Income:
        row = _income_row(income)
        row.pop("id")
        self._update("incomes", income.id or 0, row)
        return self.get_income(income.id or 0)

    def get_income(self, income_id: int) -> Income:
        row = self.conn.execute(f"SELECT {', '.join(_INCOME_COLUMNS)} FROM incomes WHERE id = ?", [income_id]).fetchone()
        if row is None:
            raise NotFound(_("no income with id {id}").format(id=income_id))
        return _income_from(row)

    def incomes(self) -> list[Income]:
        rows = self.conn.execute(f"SELECT {', '.join(_INCOME_COLUMNS)} FROM incomes ORDER BY start_date, id").fetchall()
        return [i for i in (self._read("incomes", r, _income_from) for r in rows) if i is not None]

    def delete_income(self, income_id: int) -> None:
        self.get_income(income_id)
        self._delete("incomes", income_id)

    def add_credit_check(self, check: CreditCheck) -> CreditCheck:
        return self.get_credit_check(self._insert("credit_checks", _check_row(check)))

    def update_credit_check(self, check: CreditCheck) -> CreditCheck:
        row = _check_row(check)
        row.pop("id")
        self._update("credit_checks", check.id or 0, row)
        return self.get_credit_check(check.id or 0)

    def get_credit_check(self, check_id: int) -> CreditCheck:
        row = self.conn.execute(f"SELECT {', '.join(_CHECK_COLUMNS)} FROM credit_checks WHERE id = ?", [check_id]).fetchone()
        if row is None:
            raise NotFound(_("no credit check with id {id}").format(id=check_id))
        return _check_from(row)

    def credit_checks(self) -> list[CreditCheck]:
        rows = self.conn.execute(f"SELECT {', '.join(_CHECK_COLUMNS)} FROM credit_checks ORDER BY date, id").fetchall()
        return [_check_from(r) for r in rows]

    def delete_credit_check(self, check_id: int) -> None:
        self.get_credit_check(check_id)
        self._delete("credit_checks", check_id)

    def get_match_rule(self, rule_id: int) -> tuple[int, int, str, str, str]:
        row = self.conn.execute(
            "SELECT id, loan_id, counterparty, description, method FROM match_rules WHERE id = ?", [rule_id]
        ).fetchone()
        if row is None:
            raise NotFound(_("no statement rule with id {id}").format(id=rule_id))
        return tuple(row)  # type: ignore[return-value]

    def delete_match_rule(self, rule_id: int) -> None:
        self.get_match_rule(rule_id)
        self._delete("match_rules", rule_id)

    def add_audit_items(self, items: list[AuditItem]) -> None:
        with self.write():
            for item in items:
                self._insert("audit_items", _audit_row(item))

    def update_audit_item(self, item: AuditItem) -> AuditItem:
        row = _audit_row(item)
        row.pop("id")
        self._update("audit_items", item.id or 0, row)
        return self.get_audit_item(item.id or 0)

    def get_audit_item(self, item_id: int) -> AuditItem:
        row = self.conn.execute(f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit_items WHERE id = ?", [item_id]).fetchone()
        if row is None:
            raise NotFound(_("no audit item with id {id}").format(id=item_id))
        return _audit_from(row)

    def audit_items(self) -> list[AuditItem]:
        rows = self.conn.execute(f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit_items ORDER BY id").fetchall()
        return [_audit_from(r) for r in rows]

    def reset_audit(self) -> None:
        with self.write():
            self.conn.execute("UPDATE audit_items SET status = 'open', last_done = NULL")

    # -- settings ----------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return {k: v for k, v in self.conn.execute("SELECT key, value FROM settings ORDER BY key")}

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- contacts and evidence ----------------------------------------------------
    def add_contact(self, contact: Contact) -> Contact:
        return self.get_contact(self._insert("contacts", _contact_row(contact)))

    def get_contact(self, contact_id: int) -> Contact:
        row = self.conn.execute(f"SELECT {', '.join(_CONTACT_COLUMNS)} FROM contacts WHERE id = ?", [contact_id]).fetchone()
        if row is None:
            raise NotFound(_("no contact with id {id}").format(id=contact_id))
        return _contact_from(row)

    def contacts(self) -> list[Contact]:
        rows = self.conn.execute(f"SELECT {', '.join(_CONTACT_COLUMNS)} FROM contacts ORDER BY happened_at, id").fetchall()
        return [_contact_from(r) for r in rows]

    def update_contact(self, contact: Contact) -> Contact:
        row = _contact_row(contact)
        contact_id = row.pop("id")
        self.get_contact(contact_id)
        self._update("contacts", contact_id, row)
        return self.get_contact(contact_id)

    def delete_contact(self, contact_id: int) -> None:
        self.get_contact(contact_id)
        self._delete("contacts", contact_id)  # its evidence stays, unlinked (ON DELETE SET NULL)

    def add_evidence(self, item: Evidence) -> Evidence:
        return self.get_evidence(self._insert("evidence", _evidence_row(item)))

    def get_evidence(self, evidence_id: int) -> Evidence:
        row = self.conn.execute(f"SELECT {', '.join(_EVIDENCE_COLUMNS)} FROM evidence WHERE id = ?", [evidence_id]).fetchone()
        if row is None:
            raise NotFound(_("no evidence with id {id}").format(id=evidence_id))
        return _evidence_from(row)

    def evidence(self, contact_id: int | None = None) -> list[Evidence]:
        sql = f"SELECT {', '.join(_EVIDENCE_COLUMNS)} FROM evidence"
        params: list[object] = []
        if contact_id is not None:
            sql += " WHERE contact_id = ?"
            params.append(contact_id)
        return [_evidence_from(r) for r in self.conn.execute(sql + " ORDER BY id", params).fetchall()]

    def delete_evidence(self, evidence_id: int, removed_at: dt.datetime) -> None:
        """Delete an evidence record, keeping what it was (name, hash, size) in the list of removed files."""
        item = self.get_evidence(evidence_id)
        with self.write():
            self.conn.execute(
                "INSERT INTO evidence_removed (original_name, sha256, size, added_at, removed_at, contact_id, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    item.original_name,
                    item.sha256,
                    item.size,
                    item.added_at.isoformat(timespec="seconds"),
                    removed_at.isoformat(timespec="seconds"),
                    item.contact_id,
                    item.note,
                ],
            )
            self._delete("evidence", evidence_id)

    def removed_evidence(self) -> list[dict[str, object]]:
        cols = "id original_name sha256 size added_at removed_at contact_id note".split()
        rows = self.conn.execute(f"SELECT {', '.join(cols)} FROM evidence_removed ORDER BY id")
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def set_evidence_note(self, evidence_id: int, note: str) -> Evidence:
        self.get_evidence(evidence_id)
        self._update("evidence", evidence_id, {"note": note})
        return self.get_evidence(evidence_id)

    # -- statement match rules -----------------------------------------------------
    def add_match_rule(self, loan_id: int, counterparty: str, description: str, method: str, uid: str | None = None) -> int:
        self.get_loan(loan_id)
        return self._insert(
            "match_rules",
            {"loan_id": loan_id, "counterparty": counterparty, "description": description, "method": method, "uid": uid},
        )

    def update_match_rule(self, rule_id: int, loan_id: int, counterparty: str, description: str, method: str) -> None:
        self._update(
            "match_rules",
            rule_id,
            {"loan_id": loan_id, "counterparty": counterparty, "description": description, "method": method},
        )

    def match_rule_uids(self) -> dict[int, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, uid FROM match_rules")}

    def uids(self, table: str) -> dict[str, int]:
        """Every record's identity in a table, to its id (import compares by these)."""
        if table not in migrations.UID_TABLES:
            raise ValueError(table)
        return {uid: row_id for row_id, uid in self.conn.execute(f"SELECT id, uid FROM {table}")}

    def match_rules(self) -> list[tuple[int, int, str, str, str]]:
        """(id, loan_id, counterparty, description, method) for every rule."""
        return [
            tuple(r)
            for r in self.conn.execute("SELECT id, loan_id, counterparty, description, method FROM match_rules ORDER BY id")
        ]

    def imported_refs(self) -> set[tuple[str, str]]:
        """(source, order id) of every repayment that came from a statement."""
        rows = self.conn.execute("SELECT source, source_ref FROM repayments WHERE source != ''")
        return {(r[0], r[1]) for r in rows}

    # -- integrity, backup -------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity and foreign-key checks, as readable lines.

        The whole file gets the quick check (its structure, every page and row); the full check,
        which also matches each index against its table, runs on every table but the stored
        schedule lines and allocations, most of the file, whose every row ``debt check``
        compares with a replay anyway.
        """
        problems = [r[0] for r in self.conn.execute("PRAGMA quick_check") if r[0] != "ok"]
        if not problems:
            tables = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                if table not in ("loan_lines", "loan_allocs") and not table.startswith("sqlite_"):
                    problems += [r[0] for r in self.conn.execute(f"PRAGMA integrity_check({table})") if r[0] != "ok"]
        for table, rowid, parent, _fk in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(
                _("{table} row {rowid} points to a missing {parent} row").format(table=table, rowid=rowid, parent=parent)
            )
        return problems

    def backup_to(self, target: Path) -> None:
        """A consistent copy through SQLite's online backup (safe while others use the database)."""
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        dest = sqlite3.connect(str(tmp))
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        tmp.replace(target)

    def is_empty(self) -> bool:
        """No records of the user's in any table (settings aside)."""
        tables = ("loans", "repayments", "incomes", "credit_checks", "audit_items", "contacts", "evidence")
        return all(self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] == 0 for t in tables)

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("loans", "repayments")}


def _new(row: dict[str, object]) -> dict[str, object]:
    """A row about to be inserted gets an identity if it has none."""
    if row.get("uid") is None:
        row = {**row, "uid": str(uuid.uuid4())}
    return row


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _loan_row(loan: Loan) -> dict[str, object]:
    return {
        "id": loan.id,
        "name": loan.name,
        "lender": loan.lender,
        "kind": loan.kind,
        "method": loan.method,
        "currency": loan.currency,
        "principal": loan.principal,
        "received": loan.received,
        "annual_rate": _dec(loan.annual_rate),
        "fee_rate": _dec(loan.fee_rate),
        "min_payment_rate": _dec(loan.min_payment_rate),
        "rate_unit": loan.rate_unit,
        "quoted_rate": _dec(loan.quoted_rate),
        "term_months": loan.term_months,
        "start_date": loan.start_date.isoformat(),
        "first_due_date": loan.first_due_date.isoformat(),
        "notes": loan.notes,
        "interest_basis": loan.interest_basis,
        "penalty_rate": _dec(loan.penalty_rate),
        "early_fees": loan.early_fees,
        "lpr_spread_bp": loan.lpr_spread_bp,
        "reprice": loan.reprice,
        "uid": loan.uid,
        "autopay": int(loan.autopay),
        "autopay_account": loan.autopay_account,
        "autopay_missed": ",".join(str(n) for n in sorted(set(loan.missed))),
        "credit_limit": loan.credit_limit,
        "bill_day": loan.bill_day,
        "due_day": loan.due_day,
        "card_interest": loan.card_interest,
        "late_fee_rate": str(loan.late_fee_rate),
        "card_id": loan.card_id,
        "card_bill_date": _iso(loan.card_bill_date),
    }


# the stored values a hand edit can make unreadable, by table: a date, a rate (a decimal), installment numbers;
# "?" marks a value that may be empty
_FIELD_KINDS: dict[str, dict[str, str]] = {
    "loans": {
        "annual_rate": "rate",
        "fee_rate": "rate",
        "min_payment_rate": "rate",
        "quoted_rate": "rate?",
        "penalty_rate": "rate?",
        "late_fee_rate": "rate",
        "start_date": "date",
        "first_due_date": "date",
        "card_bill_date": "date?",
        "autopay_missed": "seqs",
    },
    "repayments": {"date": "date"},
    "incomes": {"start_date": "date", "end_date": "date?"},
    "rate_changes": {"from_date": "date", "annual_rate": "rate"},
    "card_bills": {"date": "date"},
}


def _readable(kind: str, value: object) -> bool:
    """Whether a stored value reads as its kind, the way the record readers below read it."""
    if value is None:
        return kind.endswith("?")
    try:
        if kind.startswith("date"):
            dt.date.fromisoformat(str(value))
        elif kind.startswith("rate"):
            return Decimal(str(value)).is_finite()
        else:
            [int(n) for n in str(value).split(",") if n]
    except (ValueError, ArithmeticError):
        return False
    return True


def _loan_from(row: tuple) -> Loan:
    d = dict(zip(_LOAN_COLUMNS, row, strict=True))
    return Loan(
        id=d["id"],
        name=d["name"],
        lender=d["lender"],
        kind=d["kind"],
        method=d["method"],
        currency=d["currency"],
        principal=d["principal"],
        received=d["received"],
        annual_rate=Decimal(d["annual_rate"]),
        fee_rate=Decimal(d["fee_rate"]),
        min_payment_rate=Decimal(d["min_payment_rate"]),
        rate_unit=d["rate_unit"],
        quoted_rate=None if d["quoted_rate"] is None else Decimal(d["quoted_rate"]),
        term_months=d["term_months"],
        start_date=dt.date.fromisoformat(d["start_date"]),
        first_due_date=dt.date.fromisoformat(d["first_due_date"]),
        notes=d["notes"],
        interest_basis=d["interest_basis"],
        penalty_rate=None if d["penalty_rate"] is None else Decimal(d["penalty_rate"]),
        early_fees=d["early_fees"],
        lpr_spread_bp=d["lpr_spread_bp"],
        reprice=d["reprice"],
        uid=d["uid"],
        autopay=bool(d["autopay"]),
        autopay_account=d["autopay_account"],
        missed=tuple(int(n) for n in d["autopay_missed"].split(",") if n),
        credit_limit=d["credit_limit"],
        bill_day=d["bill_day"],
        due_day=d["due_day"],
        card_interest=d["card_interest"],
        late_fee_rate=Decimal(d["late_fee_rate"]),
        card_id=d["card_id"],
        card_bill_date=_date(d["card_bill_date"]),
    )


def _repayment_row(rep: Repayment) -> dict[str, object]:
    return {
        "id": rep.id,
        "loan_id": rep.loan_id,
        "date": rep.date.isoformat(),
        "amount": rep.amount,
        "note": rep.note,
        "prepay": int(rep.prepay),
        "keep_term": int(rep.keep_term),
        "source": rep.source,
        "source_ref": rep.source_ref,
        "uid": rep.uid,
        "autopay_seq": rep.autopay_seq,
    }


def _repayment_from(row: tuple) -> Repayment:
    d = dict(zip(_REPAYMENT_COLUMNS, row, strict=True))
    return Repayment(
        id=d["id"],
        loan_id=d["loan_id"],
        date=dt.date.fromisoformat(d["date"]),
        amount=d["amount"],
        note=d["note"],
        prepay=bool(d["prepay"]),
        keep_term=bool(d["keep_term"]),
        source=d["source"],
        source_ref=d["source_ref"],
        uid=d["uid"],
        autopay_seq=d["autopay_seq"],
    )


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _income_row(i: Income) -> dict[str, object]:
    return {
        "id": i.id,
        "source": i.source,
        "amount": i.amount,
        "currency": i.currency,
        "start_date": i.start_date.isoformat(),
        "end_date": _iso(i.end_date),
        "uid": i.uid,
    }


def _income_from(row: tuple) -> Income:
    d = dict(zip(_INCOME_COLUMNS, row, strict=True))
    return Income(
        id=d["id"],
        source=d["source"],
        amount=d["amount"],
        currency=d["currency"],
        start_date=dt.date.fromisoformat(d["start_date"]),
        end_date=_date(d["end_date"]),
        uid=d["uid"],
    )


def _check_row(c: CreditCheck) -> dict[str, object]:
    return {
        "id": c.id,
        "date": c.date.isoformat(),
        "channel": c.channel,
        "findings": c.findings,
        "anomalies": c.anomalies,
        "follow_up": c.follow_up,
        "uid": c.uid,
    }


def _check_from(row: tuple) -> CreditCheck:
    d = dict(zip(_CHECK_COLUMNS, row, strict=True))
    return CreditCheck(
        id=d["id"],
        date=dt.date.fromisoformat(d["date"]),
        channel=d["channel"],
        findings=d["findings"],
        anomalies=d["anomalies"],
        follow_up=d["follow_up"],
        uid=d["uid"],
    )


def _audit_row(a: AuditItem) -> dict[str, object]:
    return {
        "id": a.id,
        "template": a.template,
        "app": a.app,
        "permission": a.permission,
        "instruction": a.instruction,
        "why": a.why,
        "status": a.status,
        "last_done": _iso(a.last_done),
        "uid": a.uid,
    }


def _audit_from(row: tuple) -> AuditItem:
    d = dict(zip(_AUDIT_COLUMNS, row, strict=True))
    return AuditItem(
        id=d["id"],
        template=d["template"],
        app=d["app"],
        permission=d["permission"],
        instruction=d["instruction"],
        why=d["why"],
        status=d["status"],
        last_done=_date(d["last_done"]),
        uid=d["uid"],
    )


def _contact_row(c: Contact) -> dict[str, object]:
    return {
        "id": c.id,
        "channel": c.channel,
        "sender": c.sender,
        "about_loan_id": c.about_loan_id,
        "about_person": c.about_person,
        "summary": c.summary,
        "message": c.message,
        "happened_at": c.happened_at.isoformat(timespec="seconds"),
        "verdict": c.verdict,
        "score": c.score,
        "flags": c.flags,
        "uid": c.uid,
    }


def _contact_from(row: tuple) -> Contact:
    d = dict(zip(_CONTACT_COLUMNS, row, strict=True))
    d["happened_at"] = dt.datetime.fromisoformat(d["happened_at"])
    return Contact(**d)


def _evidence_row(e: Evidence) -> dict[str, object]:
    return {
        "id": e.id,
        "contact_id": e.contact_id,
        "original_name": e.original_name,
        "stored_name": e.stored_name,
        "size": e.size,
        "sha256": e.sha256,
        "added_at": e.added_at.isoformat(timespec="seconds"),
        "note": e.note,
        "uid": e.uid,
    }


def _evidence_from(row: tuple) -> Evidence:
    d = dict(zip(_EVIDENCE_COLUMNS, row, strict=True))
    d["added_at"] = dt.datetime.fromisoformat(d["added_at"])
    return Evidence(**d)
