"""The open database: opening the file safely, migrating it, write transactions, reads kept while the file is unchanged."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Self

from .. import migrations
from ..errors import StoreError
from ..i18n import _
from .rows import _new

if TYPE_CHECKING:
    from ..service.import_helper import ImportHelper

# "DEBT" in ASCII: marks a SQLite file as ours (PRAGMA application_id).
APPLICATION_ID = 0x44454254
BUSY_TIMEOUT_S = 30.0
WATCH_TIMEOUT_S = 0.2  # Store.watching: a busy file is "may have changed", not a wait
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


class StoreBase:
    """One open database, without the records: the Store class (tracker.store) adds them area by area."""

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
        # a second process replaying most loans of a large import into this new file, asked once by the
        # import's refresh (service.import_helper.ImportHelper)
        self.import_helper: ImportHelper | None = None

    # -- opening -----------------------------------------------------------------
    @classmethod
    def memory(cls, today: dt.date | None = None) -> Self:
        store = cls(sqlite3.connect(":memory:"), today=today)
        store._prepare(new=True)
        return store

    @classmethod
    def open(cls, path: Path, *, create: bool = True, make_folder: bool = False, today: dt.date | None = None) -> Self:
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
            from ..files import write_error

            raise write_error(path, exc) from None
        return store

    @classmethod
    def watching(cls, path: Path) -> Self:
        """The file at ``path`` opened only to notice changes to it (``data_token``): never created,
        migrated or written, and quick to give up when the file is busy (a caller may be drawing a screen)."""
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=WATCH_TIMEOUT_S)
        store = cls(conn, Path(path))
        store.read_only = True
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
        # up to 8 MB of pages kept in memory (SQLite's default is 2 MB): an import or a rebuild
        # writes hundreds of thousands of index entries, most of them into indexes built again after
        # the rows (snapshot.refresh); a read touches a few pages. 32 MB took the same time for an
        # import of 1,000 bench loans and 50 MB more of its peak memory.
        conn.execute("PRAGMA cache_size = -8192")
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
        from .. import snapshot

        if self.read_only or snapshot.is_current(self.conn):
            return
        with self.write():
            if snapshot.stored_engine(self.conn) != snapshot.ENGINE:
                snapshot.rebuild(self)

    def state_usable(self, today: dt.date) -> bool:
        """Whether reads may use the stored loan state for ``today`` (refreshing what a writable store can)."""
        from .. import snapshot

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
                from ..snapshot import refresh_marked

                refresh_marked(self)  # every loan this transaction changed, replayed before it commits
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if _KILL_BEFORE_COMMIT and conn.total_changes > changes:
            os.kill(os.getpid(), signal.SIGKILL)  # the test hook above
        conn.execute("COMMIT")

    def data_token(self) -> tuple[int, int]:
        """A value that changes whenever the file's data may have: a commit by another connection
        (``PRAGMA data_version``) or a change made through this one (``total_changes``). Two tokens
        compare only when they come from the same open store: SQLite counts per connection."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes

    def _unchanged(self, name: str, read: Callable[[], list]) -> list:
        """A whole-table read, reused while nothing has changed the file (``data_token``). Never
        inside a transaction, which may still roll back. A command that reads every repayment for
        several purposes (check, export) reads them once."""
        if self.conn.in_transaction:
            return read()
        version = self.data_token()
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

    def _fresh_id(self, table: str) -> int | None:
        """The id for a new record of ``table``: above every id it has had, deleted ones too (None: SQLite's
        own, the largest plus one, when none above it was deleted). Asked inside the write transaction."""
        high = self.conn.execute("SELECT high FROM id_high WHERE tbl = ?", [table]).fetchone()
        if high is None:
            return None
        (top,) = self.conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()
        return None if top is not None and top > high[0] else high[0] + 1

    def _insert(self, table: str, row: dict[str, object]) -> int:
        row = {k: v for k, v in _new(row).items() if not (k == "id" and v is None)}
        with self.write():
            if "id" not in row and (fresh := self._fresh_id(table)) is not None:
                row = {"id": fresh, **row}
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
