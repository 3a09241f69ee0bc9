"""Each loan's replayed ledger, stored, so that a read costs what a query costs.

What a loan's repayments do to its schedule does not depend on the day it is looked at: only
statuses and penalty interest do. So the replay's output is stored per loan: its schedule lines
with what paid each part (``loan_lines``), every allocation with its date (``loan_allocs``) and the
totals with the APR (``loan_state``). SQLite triggers mark a loan whose inputs change (the loan,
its repayments, its rate changes; every floating loan when an LPR fixing changes), so no write path
can forget one, and the write's own transaction replays each marked loan once before it commits
(``Store.write``). Reads that depend on today are SQL over the stored lines (``reads.py``).

Two kinds of loan are judged on every read instead (``live``): a credit card, by its few bills;
and an auto-debit loan looked at outside the days its stored deductions hold for (an installment
due before today counts as deducted, so the state holds while no due date is crossed:
``valid_after < today <= valid_until``).

``ENGINE`` names the rules that computed the stored state: when they change, the whole state is
rebuilt once, in one transaction, on open. A test fails with "bump the engine version" when the
engine's output changes and the version does not.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import lpr
from .dates import iso
from .errors import TrackerError
from .ledger import Replay, replay
from .models import Loan, Repayment
from .rates import loan_cost
from .schedule import build_schedule, forget_schedule

if TYPE_CHECKING:
    from .store import Store

ENGINE_VERSION = 9


def _engine() -> str:
    """The engine version with the shipped LPR table it prices floating loans by (a release may add fixings).

    The table's checksum tells one release's table from another's (CRC-32: zlib is loaded by then anyway;
    hashlib would load OpenSSL for every command, 8 ms)."""
    shipped = ";".join(f"{f.date}:{f.one_year}:{f.five_year}" for f in lpr.SHIPPED)
    return f"{ENGINE_VERSION}:{zlib.crc32(shipped.encode()):08x}"


ENGINE = _engine()

LINE_COLUMNS = (
    "loan_id, line, seq, kind, due_date, start, level, principal, interest, fee, paid_principal, paid_interest, "
    "paid_fee, pen_units, pen_to, pen_paid, done_on, unpaid, "
    "run_unpaid, run_inst_unpaid, run_inst_open, run_left, month_due"
)
# The derived columns (``replay_rows``): running sums over the loan's lines in due-date order, up to and
# including the line, so that what is overdue on any day is the sums of one line, the last due before it.
RUNNING = ("run_unpaid", "run_inst_unpaid", "run_inst_open", "run_left")
ALLOC_COLUMNS = "loan_id, n, line, date, repayment_id, principal, interest, fee, penalty"
STATE_COLUMNS = "loan_id, engine, live, valid_after, valid_until, lines, outstanding, unpaid, total_paid, credit, payments, apr, ear, apr_note"


def _window(loan: Loan, ledger: Replay, today: dt.date) -> tuple[str | None, str | None]:
    """The days an auto-debit loan's stored deductions hold for: after the last due date before
    ``today``, up to the first on or after it (every due date the replay could have crossed)."""
    if not (loan.autopay and loan.method != "revolving"):
        return None, None
    dues = sorted({line.inst.due_date for line in ledger.lines} | {i.due_date for i in build_schedule(loan)})
    before = [d for d in dues if d < today]
    after = [d for d in dues if d >= today]
    return iso(before[-1] if before else None), iso(after[0] if after else None)


Rows = tuple[tuple, list[tuple], list[tuple]]


def _live(loan: Loan) -> Rows:
    return (loan.id or 0, ENGINE, 1, None, None, 0, 0, 0, 0, 0, 0, None, None, ""), [], []


def rows(loan: Loan, repayments: list[Repayment], today: dt.date) -> Rows:
    """What is stored for a loan: its state row, its line rows and its allocation rows."""
    try:
        return replay_rows(loan, repayments, today)
    except TrackerError:
        return _live(loan)  # values edited by hand that no schedule fits: each read replays it and says why


def replay_rows(loan: Loan, repayments: list[Repayment], today: dt.date) -> Rows:
    """``rows``, raising the engine's error for a loan that no schedule fits.

    A line row holds its installment, what paid each part, its penalty's state and what is left
    unpaid, then the derived columns:

    ``run_*``: running sums in due-date order (ties in line order), this line included: what is still
    unpaid (of every line, and of installments), how many installments are open, and the principal
    left. What is overdue on a day is then read off one line: the last one due before it.
    ``month_due``: what an installment asks in its month, its amount less what was paid on it before
    the month began (paid ahead; never below nothing); 0 for any other line. This is what the
    debt-to-income ratio counts as the month's burden.
    """
    lid = loan.id or 0
    if loan.is_card:
        return _live(loan)
    ledger = replay(loan, repayments, today)
    lines = ledger.lines
    index = {id(line): n for n, line in enumerate(lines)}
    allocs = []
    ahead: dict[int, int] = {}  # what paid each line before its due date's month began
    for n, a in enumerate(ledger.allocs):
        k, day, due = index[id(a.line)], a.day, a.line.inst.due_date
        allocs.append((lid, n, k, iso(day), a.rep_id, a.principal, a.interest, a.fee, a.penalty))
        if (day.year, day.month) < (due.year, due.month):
            ahead[k] = ahead.get(k, 0) + a.principal + a.interest + a.fee
    dues = [line.inst.due_date for line in lines]
    order = range(len(lines))
    if any(a > b for a, b in zip(dues, dues[1:], strict=False)):  # a prepayment's line can come before the line it follows
        order = sorted(order, key=dues.__getitem__)  # stable: ties stay in line order
    rows: list[tuple] = [()] * len(lines)
    run_unpaid = inst_unpaid = inst_open = run_left = 0
    for n in order:  # the hottest loop of a rebuild: plain attribute reads, one tuple per line
        line = lines[n]
        inst = line.inst
        principal, interest, fee, kind = inst.principal, inst.interest, inst.fee, inst.kind
        paid_principal = line.principal
        unpaid = principal + interest + fee - paid_principal - line.interest - line.fee
        run_unpaid += unpaid
        run_left += principal - paid_principal
        month_due = 0
        if kind == "installment":
            inst_unpaid += unpaid
            if unpaid > 0:
                inst_open += 1
            month_due = max(principal + interest + fee - ahead.get(n, 0), 0)
        rows[n] = (
            lid, n, inst.seq, kind, iso(inst.due_date), iso(inst.start), inst.level, principal, interest, fee,
            paid_principal, line.interest, line.fee, line.pen_units, iso(line.pen_to), line.pen_paid, iso(line.done_on),
            unpaid, run_unpaid, inst_unpaid, inst_open, run_left, month_due,
        )  # fmt: skip
    cost = loan_cost(loan)
    after, until = _window(loan, ledger, today)
    state = (
        lid,
        ENGINE,
        0,
        after,
        until,
        len(rows),
        run_left,
        run_unpaid,
        sum(r.amount for r in ledger.repayments),
        ledger.credit,
        len(ledger.repayments),
        None if cost.apr is None else str(cost.apr),
        None if cost.ear is None else str(cost.ear),
        cost.reason,
    )
    return state, rows, allocs


def _delete(conn, loan_ids: list[int]) -> None:
    marks = ",".join("?" for _ in loan_ids)
    for table in ("loan_allocs", "loan_lines", "loan_state"):
        conn.execute(f"DELETE FROM {table} WHERE loan_id IN ({marks})", loan_ids)


def refresh(store: Store, loan_ids: Iterable[int] | None = None) -> int:
    """Replay the given loans (every loan with None) and store what they give; return how many.

    Runs inside the caller's write transaction. A loan that no longer exists or cannot be read
    keeps no stored state (it is named by ``debt check``).
    """
    conn = store.conn
    indexes: list[tuple[str, str]] = []
    if loan_ids is None:
        loans = store.loans()
        indexes = _set_aside_indexes(conn)
        for table in ("loan_allocs", "loan_lines"):
            # emptied by dropping the table and creating it again: with foreign keys on, SQLite deletes
            # a child table's rows one at a time (7 s of a rebuild of 1,000 thirty-year loans, where
            # a dropped table's pages are freed in 0.6 s)
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
            conn.execute(f"DROP TABLE {table}")
            conn.execute(sql)
        conn.execute("DELETE FROM loan_state")
    else:
        ids = sorted(set(loan_ids))
        if not ids:
            return 0
        for start in range(0, len(ids), 500):
            _delete(conn, ids[start : start + 500])
        wanted = set(ids)
        if len(ids) > 50:
            loans = [loan for loan in store.loans() if loan.id in wanted]
        else:
            loans = [loan for loan in (store.readable_loan(lid) for lid in ids) if loan is not None]
        # many loans at once, most of what is stored (a first import): SQLite builds an index
        # faster in one sort after the rows than entry by entry during them
        if len(loans) >= 200 and len(loans) >= conn.execute("SELECT COUNT(*) FROM loan_state").fetchone()[0]:
            indexes = _set_aside_indexes(conn)
    many = len(loans) > 50
    helper = store.import_helper  # a second process replaying most loans of a large import (service.import_helper)
    if helper is None:
        _store_rows(store, loans, many=many)
    else:
        store.import_helper = None
        _store_rows(store, [loan for loan in loans if (loan.id or 0) not in helper.offered], many=many)
        later = [loan for loan in loans if (loan.id or 0) in helper.offered]
        taken = helper.take(store, later) if later else set()
        _store_rows(store, [loan for loan in later if (loan.id or 0) not in taken], many=many)
    for _name, sql in indexes:
        conn.execute(sql)
    return len(loans)


def _store_rows(store: Store, loans: list[Loan], *, many: bool) -> None:
    """Replay ``loans`` and insert what they give.

    Read, replayed and written a few dozen loans at a time: a rebuild of 1,000 thirty-year loans
    holds 100,000 repayments and 360,000 lines; with ``many``, each loan's schedule is dropped once
    stored (an import validated and cached them all)."""
    conn, today = store.conn, store.today
    for start in range(0, len(loans), 50):
        chunk = loans[start : start + 50]
        by_loan = store.repayments_of([loan.id or 0 for loan in chunk])
        states, lines, allocs = [], [], []
        for loan in chunk:
            s, ls, al = rows(loan, by_loan.get(loan.id or 0, []), today)
            if many:
                forget_schedule(loan)
            states.append(s)
            lines.extend(ls)
            allocs.extend(al)
        conn.executemany(f"INSERT INTO loan_state ({STATE_COLUMNS}) VALUES ({_marks(STATE_COLUMNS)})", states)
        conn.executemany(f"INSERT INTO loan_lines ({LINE_COLUMNS}) VALUES ({_marks(LINE_COLUMNS)})", lines)
        conn.executemany(f"INSERT INTO loan_allocs ({ALLOC_COLUMNS}) VALUES ({_marks(ALLOC_COLUMNS)})", allocs)


def _set_aside_indexes(conn) -> list[tuple[str, str]]:
    """Drop the stored lines' and allocations' indexes; return them (name, SQL) to be created again."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('loan_lines', 'loan_allocs')"
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX {name}")
    return indexes


def _marks(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


def refresh_marked(store: Store) -> int:
    """Refresh the loans the triggers marked (inside the caller's write transaction)."""
    conn = store.conn
    ids = [r[0] for r in conn.execute("SELECT loan_id FROM loan_dirty")]
    if not ids:
        return 0
    conn.execute("DELETE FROM loan_dirty")
    return refresh(store, ids)


def stored_engine(conn) -> str | None:
    row = conn.execute("SELECT value FROM state_meta WHERE key = 'engine'").fetchone()
    return None if row is None else row[0]


def rebuild(store: Store) -> int:
    """Replay every loan and store the result (inside the caller's write transaction)."""
    conn = store.conn
    conn.execute("DELETE FROM loan_dirty")
    count = refresh(store, None)
    conn.execute("INSERT OR REPLACE INTO state_meta (key, value) VALUES ('engine', ?)", [ENGINE])
    return count


def is_current(conn) -> bool:
    """Whether the stored state is this engine's and nothing is waiting to be refreshed."""
    if stored_engine(conn) != ENGINE:
        return False
    return conn.execute("SELECT 1 FROM loan_dirty LIMIT 1").fetchone() is None


def stale_windows(conn, today: dt.date) -> list[int]:
    """Auto-debit loans whose stored deductions do not hold for ``today``."""
    day = today.isoformat()
    return [
        r[0]
        for r in conn.execute(
            "SELECT loan_id FROM loan_state WHERE (valid_after IS NOT NULL AND ? <= valid_after)"
            " OR (valid_until IS NOT NULL AND ? > valid_until)",
            [day, day],
        )
    ]


def stored(conn, loan_id: int) -> tuple | None:
    return conn.execute(f"SELECT {STATE_COLUMNS} FROM loan_state WHERE loan_id = ?", [loan_id]).fetchone()


def comparison_day(got: tuple | None, today: dt.date) -> dt.date:
    """The day a stored state is compared on: an auto-debit loan's on a day its stored deductions hold for."""
    if got is not None and got[4] is not None:
        return dt.date.fromisoformat(got[4])
    if got is not None and got[3] is not None:
        return dt.date.fromisoformat(got[3]) + dt.timedelta(days=1)
    return today


def difference(conn, got: tuple | None, computed: Rows) -> str | None:
    """The part of a loan's stored state that is not ``computed`` (None when all of it is)."""
    state, lines, allocs = computed
    lid = state[0]
    if got is None:
        return "missing"
    if got[:1] + got[2:11] != state[:1] + state[2:11]:
        return "totals"
    if got[11:] != state[11:]:
        return "apr"
    if conn.execute(f"SELECT {LINE_COLUMNS} FROM loan_lines WHERE loan_id = ? ORDER BY line", [lid]).fetchall() != lines:
        return "lines"
    if conn.execute(f"SELECT {ALLOC_COLUMNS} FROM loan_allocs WHERE loan_id = ? ORDER BY n", [lid]).fetchall() != allocs:
        return "allocations"
    return None


def orphans(store: Store, known: set[int]) -> list[int]:
    """Stored states of loans that no longer exist."""
    return sorted({r[0] for r in store.conn.execute("SELECT loan_id FROM loan_state")} - known)


def differences(store: Store) -> list[tuple[int, str]]:
    """Loans whose stored state is not what a replay gives now: (loan id, the part that differs)."""
    conn = store.conn
    by_loan = store.repayments_by_loan()
    loans = store.loans()
    out: list[tuple[int, str]] = [(lid, "orphan") for lid in orphans(store, {loan.id or 0 for loan in loans})]
    for loan in loans:
        got = stored(conn, loan.id or 0)
        part = difference(conn, got, rows(loan, by_loan.get(loan.id or 0, []), comparison_day(got, store.today)))
        if part is not None:
            out.append((loan.id or 0, part))
    return out
