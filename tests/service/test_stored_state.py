"""The stored loan state (snapshot.py) is always exactly what a replay gives, and reads over it agree.

The oracle is the replay itself (ledger.evaluate), which the finance tests check against
numpy-financial and published bank examples; here every write path must leave the stored state
equal to it, and every SQL read must say what the replay-based function says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import TESTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from tracker import lpr, reads, snapshot
from tracker.dates import add_months
from tracker.dti import Burden, series
from tracker.errors import Refused
from tracker.ledger import evaluate, payoff_quote
from tracker.models import Loan, LoanSummary, Repayment
from tracker.payoff import minimum_payments, paid_this_month, run, saving_rate, simulate, start_of
from tracker.reminders import reminders
from tracker.service.cost import plan
from tracker.service.overview import forecast
from tracker.store import Store

D = dt.date
TODAY = D(2026, 11, 30)
DAYS = [D(2024, 1, 1), D(2025, 6, 15), TODAY, D(2027, 2, 1), D(2030, 1, 1)]
METHODS = ["equal-installment", "equal-principal", "interest-only", "flat-fee", "lump-sum"]


def _loan(n: int, method: str, start: D, term: int, *, autopay: bool, penalty: bool, floating: bool) -> Loan:
    loan = Loan(
        f"loan {n}",
        f"lender {n}",
        method,
        1_000_000 + n * 123_457,
        Decimal("6.5") if not floating else Decimal("4.2"),
        start,
        add_months(start, 1) if method != "lump-sum" else add_months(start, term),
        term,
        fee_rate=Decimal("0.6") if method == "flat-fee" else Decimal(0),
        penalty_rate=Decimal("9.75") if penalty else None,
        autopay=autopay and method != "lump-sum",
        missed=(2,) if autopay and method != "lump-sum" else (),
        lpr_spread_bp=-20 if floating and method == "equal-installment" else None,
        reprice="01-01" if floating and method == "equal-installment" else None,
    )
    return loan


def replay_summaries(store: Store, day: D) -> list[LoanSummary]:
    by_loan = store.repayments_by_loan()
    return [LoanSummary.of(evaluate(loan, by_loan.get(loan.id or 0, []), day)) for loan in store.loans()]


def assert_running_sums(store: Store, days: list[D]) -> None:
    """The derived columns (snapshot.replay_rows) against plain SQL sums over the lines due before each day;
    and the open lines of a loan come in due-date order (the reads find the oldest open line by date)."""
    conn = store.conn
    for (lid,) in conn.execute("SELECT loan_id FROM loan_state WHERE live = 0").fetchall():
        open_dues = [
            r[0] for r in conn.execute("SELECT due_date FROM loan_lines WHERE loan_id = ? AND unpaid > 0 ORDER BY line", [lid])
        ]
        assert open_dues == sorted(open_dues)
        for day in days:
            want = conn.execute(
                "SELECT SUM(unpaid), SUM(CASE WHEN kind = 'installment' THEN unpaid END),"
                " SUM(kind = 'installment' AND unpaid > 0), SUM(principal - paid_principal)"
                " FROM loan_lines WHERE loan_id = ? AND due_date < ?",
                [lid, day.isoformat()],
            ).fetchone()
            got = conn.execute(
                f"SELECT {', '.join(snapshot.RUNNING)} FROM loan_lines WHERE loan_id = ? AND due_date < ?"
                " ORDER BY due_date DESC, line DESC LIMIT 1",
                [lid, day.isoformat()],
            ).fetchone()
            if got is None:  # no line due before the day
                assert want == (None,) * 4
            else:
                assert got == tuple(w or 0 for w in want)
    # what a month asks of an installment: its amount less what was paid on it before the month began
    for lid, line, month_due, kind, total, due in conn.execute(
        "SELECT loan_id, line, month_due, kind, principal + interest + fee, due_date FROM loan_lines"
    ).fetchall():
        ahead = conn.execute(
            "SELECT COALESCE(SUM(principal + interest + fee), 0) FROM loan_allocs WHERE loan_id = ? AND line = ? AND date < ?",
            [lid, line, due[:7] + "-01"],
        ).fetchone()[0]
        assert month_due == (max(total - ahead, 0) if kind == "installment" else 0)


def assert_matches_replay(store: Store) -> None:
    assert snapshot.differences(store) == []
    loans = store.loans()
    by_loan = store.repayments_by_loan()
    # fixed days, and due dates themselves (the boundary between due and overdue)
    dues = [add_months(loan.first_due_date, k) for loan in loans[:3] for k in (0, 4)]
    assert_running_sums(store, DAYS + dues)
    for day in DAYS + dues:
        got = reads.summaries(store, loans, day)
        assert got == replay_summaries(store, day)
        states = [evaluate(loan, by_loan.get(loan.id or 0, []), day) for loan in loans]
        open_states = [s for s in states if s.status != "closed"]
        # the dashboard's principal-left forecast
        assert reads.forecast(store, [s for s in got if s.status != "closed"], day) == forecast(open_states, day)
        got_dues, live = reads.loan_dues(store, loans, day, day + dt.timedelta(days=40))
        live_states = [evaluate(loan, by_loan.get(loan.id or 0, []), day) for loan in live]
        assert reminders(live_states, [], [], day, within_days=40, dues=got_dues) == reminders(
            open_states, [], [], day, within_days=40
        )
        burden = reads.burden(store, loans, day)
        month = day.replace(day=1)
        assert series(burden, [], month, 6, Decimal("0.4"), Decimal("0.5")) == series(
            Burden(states), [], month, 6, Decimal("0.4"), Decimal("0.5")
        )
        assert [(i.loan.id, a) for i, a in burden.of(month)] == [(s.loan.id, a) for s, a in Burden(states).of(month)]
    for day in (D(2025, 6, 15), TODAY):
        assert_plans_match_replay(store, day)


def assert_plans_match_replay(store: Store, day: D) -> None:
    """The payoff plan from the stored state is the plan from a replay of every loan; and following a
    debt's schedule until its first prepayment is the same as replaying it from the first month."""
    by_loan = store.repayments_by_loan()
    states = [s for loan in store.loans() if (s := evaluate(loan, by_loan.get(loan.id or 0, []), day)).status != "closed"]
    if not states:
        return
    # what the avalanche ranks by: what prepaying each debt saves (payoff.saving_rate), worked out from a replay here
    aprs = {s.loan.id or 0: saving_rate(start, day) for s in states if (start := start_of(s)) is not None}
    minimum = minimum_payments(states, day)
    starts = [start for s in states if (start := start_of(s)) is not None]
    for budget in (minimum + 5_000, 3 * minimum + 200_000):
        try:
            want = {name: simulate(states, aprs, budget, name, day) for name in ("avalanche", "snowball")}
        except Refused as refused:  # a repayment recorded after the day looked at: no prepayment before it
            with pytest.raises(Refused, match=str(refused)):
                plan(store, str(Decimal(budget) / 100), "both", day)
            continue
        got = plan(store, str(Decimal(budget) / 100), "both", day)
        assert got["schedule"] == simulate(states, aprs, budget, None, day)
        for name in ("avalanche", "snowball"):
            assert got[name] == want[name]
            kw = {"spent": paid_this_month(states, day), "needed": minimum}
            assert run(starts, aprs, budget, name, day, **kw) == run(starts, aprs, budget, name, day, follow=False, **kw)
        eager = run(starts, aprs, budget, None, day, follow=False)
        assert replace(eager, repayments=()) == replace(run(starts, aprs, budget, None, day), repayments=())
    if minimum:
        with pytest.raises(Refused, match="short"):
            plan(store, str(Decimal(minimum - 1) / 100), "avalanche", day)


op = st.one_of(
    st.tuples(
        st.just("loan"),
        st.sampled_from(METHODS),
        st.integers(0, 60),
        st.integers(3, 30),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    st.tuples(st.just("pay"), st.integers(0, 9), st.integers(0, 900), st.integers(1, 400_000), st.booleans(), st.booleans()),
    st.tuples(st.just("batch"), st.integers(0, 9), st.integers(0, 900), st.integers(1, 6)),
    st.tuples(st.just("delete-repayment"), st.integers(0, 50)),
    st.tuples(st.just("rate"), st.integers(0, 9), st.integers(1, 900), st.integers(200, 1500)),
    st.tuples(st.just("fixing"), st.integers(0, 900), st.integers(250, 400)),
    st.tuples(st.just("edit"), st.integers(0, 9)),
    st.tuples(st.just("delete-loan"), st.integers(0, 9)),
)


def apply(store: Store, step: tuple) -> None:
    kind = step[0]
    ids = [loan.id for loan in store.loans()]
    base = D(2023, 1, 1)
    if kind == "loan":
        _k, method, offset, term, autopay, penalty, floating = step
        start = base + dt.timedelta(days=offset * 7)
        store.add_loan(_loan(len(ids) + 1, method, start, term, autopay=autopay, penalty=penalty, floating=floating))
        return
    if not ids:
        return
    if kind == "pay":
        _k, which, offset, amount, prepay, keep_term = step
        loan = store.get_loan(ids[which % len(ids)])
        day = loan.start_date + dt.timedelta(days=offset)
        store.add_repayment(Repayment(loan.id or 0, day, amount, prepay=prepay, keep_term=keep_term and prepay))
    elif kind == "batch":  # an import: many repayments in one statement batch
        _k, which, offset, count = step
        loan = store.get_loan(ids[which % len(ids)])
        store.add_repayments(
            [Repayment(loan.id or 0, loan.start_date + dt.timedelta(days=offset + 30 * k), 150_000) for k in range(count)]
        )
    elif kind == "delete-repayment":
        reps = store.repayments()
        if reps:
            store.delete_repayment(reps[step[1] % len(reps)].id or 0)
    elif kind == "rate":
        _k, which, offset, bp = step
        loan = store.get_loan(ids[which % len(ids)])
        store.set_rate_change(loan.id or 0, loan.start_date + dt.timedelta(days=offset), Decimal(bp) / 100)
    elif kind == "fixing":
        _k, offset, bp = step
        day = D(2023, 2, 20) + dt.timedelta(days=offset)
        store.add_fixing(lpr.Fixing(day, Decimal(bp - 50) / 100, Decimal(bp) / 100, "user"))
    elif kind == "edit":
        loan = store.get_loan(ids[step[1] % len(ids)])
        store.update_loan(replace(loan, annual_rate=loan.annual_rate + 1, rate_changes=()))
    elif kind == "delete-loan":
        store.delete_loan(ids[step[1] % len(ids)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=10))
def test_every_write_leaves_the_stored_state_equal_to_a_replay(steps):
    store = Store.memory(TODAY)
    for step in steps:
        apply(store, step)
    assert_matches_replay(store)


@pytest.mark.parametrize(
    "steps",
    [
        # an upsert that hits an existing row fires the UPDATE trigger, which marks the loan twice
        [("loan", "equal-installment", 0, 3, False, False, False), ("rate", 0, 1, 200), ("rate", 0, 1, 300)],
        [
            ("loan", "equal-installment", 0, 36, False, False, True),
            ("loan", "equal-installment", 4, 36, False, False, True),
            ("fixing", 3, 400),
            ("fixing", 3, 350),
        ],
    ],
    ids=["same-day-rate-change", "same-day-lpr-fixing"],
)
def test_a_write_that_replaces_a_row_marks_its_loan_once(steps):
    store = Store.memory(TODAY)
    for step in steps:
        apply(store, step)
    assert_matches_replay(store)


def test_a_household_matches_a_replay_on_every_day_and_every_read():
    store = Store.memory(TODAY)
    for n, method in enumerate(METHODS * 2):
        store.add_loan(
            _loan(
                n + 1,
                method,
                D(2024, 1, 10) + dt.timedelta(days=40 * n),
                24,
                autopay=n % 3 == 0,
                penalty=n % 2 == 0,
                floating=n == 5,
            )
        )
    for loan in store.loans():
        store.add_repayments([Repayment(loan.id or 0, loan.start_date + dt.timedelta(days=31 * k), 60_000) for k in range(1, 9)])
    store.add_repayment(Repayment(2, D(2025, 3, 3), 300_000, prepay=True))
    assert_matches_replay(store)


def test_refreshing_many_loans_at_once_stores_what_a_replay_gives():
    """Many loans in one write (an import, a rebuild): read, replayed and written a few dozen at a
    time, the stored lines' indexes built again after the rows, each loan's schedule dropped once
    stored; what is stored is what one loan at a time gives."""
    from tracker.schedule import _SCHEDULES

    store = Store.memory(TODAY)
    with store.write():  # one refresh of all of them, when the write commits
        for n in range(210):
            store.add_loan(
                _loan(
                    n + 1,
                    METHODS[n % 5],
                    D(2024, 1, 10) + dt.timedelta(days=9 * n),
                    12,
                    autopay=False,
                    penalty=n % 2 == 0,
                    floating=False,
                )
            )
        store.add_repayments(
            [
                Repayment(n + 1, D(2024, 1, 10) + dt.timedelta(days=9 * n + 31 * k), 20_000 * (1 + n % 3))
                for n in range(210)
                for k in (1, 2, 5)
            ]
        )
    indexes = {
        r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'loan_lines'")
    }
    assert {"loan_lines_open", "loan_lines_run", "loan_lines_month", "loan_lines_due"} <= indexes
    assert not any(loan.terms in _SCHEDULES for loan in store.loans())
    one_by_one = Store.memory(TODAY)
    for loan in store.loans():
        one_by_one.add_loan(loan)
        one_by_one.add_repayments(store.repayments(loan.id or 0))
    for table in ("loan_state", "loan_lines", "loan_allocs"):
        assert store.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == (
            one_by_one.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        )
    assert snapshot.differences(store) == []


def test_a_bulk_insert_of_repayments_marks_its_loans_and_keeps_indexes_triggers_and_identities():
    """An import into an empty repayments table sets its indexes and triggers aside during the insert:
    they come back as they were, the loans of the batch (and only those) are marked and refreshed, and
    a duplicate identity still refuses the whole batch."""
    from tracker.store.loans import _BULK

    def schema(store: Store) -> list[tuple]:
        return store.conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'repayments' ORDER BY type, name"
        ).fetchall()

    store = Store.memory(TODAY)
    for n in range(1, 4):
        store.add_loan(_loan(n, METHODS[n % 2], D(2020, 1, 10), 360, autopay=False, penalty=n == 1, floating=False))
    before = schema(store)
    assert {"repayments_uid", "repayments_loan", "repayments_state_ins", "repayments_state_del"} <= {r[1] for r in before}
    batch = [Repayment(1 + k % 2, D(2020, 2, 1) + dt.timedelta(days=k // 2), 1_000) for k in range(_BULK + 10)]
    with store.write():  # the refresh runs when this outer write commits: the marks can be read first
        store.add_repayments(batch)
        marked = {r[0] for r in store.conn.execute("SELECT loan_id FROM loan_dirty")}
    assert marked == {1, 2}
    assert schema(store) == before
    assert len(store.repayments()) == len(batch) and all(r.uid for r in store.repayments())
    assert_matches_replay(store)

    fresh = Store.memory(TODAY)  # the same batch into a new database, with two records of one identity
    for loan in store.loans():
        fresh.add_loan(loan)
    copies = store.repayments()
    clash = [replace(r, id=None) for r in copies] + [replace(copies[5], id=None, amount=2_000)]
    with pytest.raises(sqlite3.IntegrityError):
        fresh.add_repayments(clash)
    assert fresh.repayments() == [] and schema(fresh) == before
    fresh.add_repayments([replace(r, id=None) for r in copies])
    assert [(r.loan_id, r.date, r.amount, r.uid) for r in fresh.repayments()] == [
        (r.loan_id, r.date, r.amount, r.uid) for r in copies
    ]
    assert_matches_replay(fresh)


def test_changes_made_outside_the_program_are_picked_up_when_it_opens(tmp_path: Path):
    path = tmp_path / "d.db"
    store = Store.open(path, today=TODAY)
    store.add_loan(_loan(1, "equal-installment", D(2025, 1, 5), 24, autopay=False, penalty=True, floating=False))
    store.close()
    con = sqlite3.connect(path)
    with con:  # a repayment typed in with the sqlite3 shell: the triggers mark the loan
        con.execute("INSERT INTO repayments (loan_id, date, amount) VALUES (1, '2025-03-01', 500000)")
    assert con.execute("SELECT loan_id FROM loan_dirty").fetchall() == [(1,)]
    con.close()
    store = Store.open(path, today=TODAY)
    assert_matches_replay(store)
    assert store.conn.execute("SELECT COUNT(*) FROM loan_dirty").fetchone() == (0,)


def test_every_write_from_outside_marks_the_loans_it_touches(tmp_path: Path):
    """Each trigger marks each loan once: inserts, updates (a repayment moved to another loan marks
    both), deletes, of loans, repayments and rate changes; an LPR fixing marks the floating loans."""
    path = tmp_path / "d.db"
    store = Store.open(path, today=TODAY)
    for n in (1, 2, 3):
        store.add_loan(_loan(n, "equal-installment", D(2025, 1, 5), 24, autopay=False, penalty=False, floating=n == 3))
    store.add_repayment(Repayment(1, D(2025, 2, 5), 500_000))
    store.close()
    con = sqlite3.connect(path)

    seen: set[int] = set()

    def marked(sql: str, *args) -> list[int]:
        with con:
            con.execute("DELETE FROM loan_dirty")
            con.execute(sql, args)
            ids = [r[0] for r in con.execute("SELECT loan_id FROM loan_dirty ORDER BY loan_id")]
        seen.update(ids)
        return ids

    assert marked("INSERT INTO repayments (loan_id, date, amount) VALUES (2, '2025-03-01', 100)") == [2]
    assert marked("INSERT INTO repayments (loan_id, date, amount) VALUES (2, '2025-03-02', 100)") == [2]
    assert marked("UPDATE repayments SET amount = 200 WHERE loan_id = 2") == [2]
    assert marked("UPDATE repayments SET loan_id = 1 WHERE loan_id = 2") == [1, 2]
    assert marked("DELETE FROM repayments WHERE loan_id = 1") == [1]
    assert marked("UPDATE loans SET notes = 'x' WHERE id = 2") == [2]
    assert marked("INSERT INTO rate_changes (loan_id, from_date, annual_rate) VALUES (1, '2025-06-01', '4.1')") == [1]
    assert marked("UPDATE rate_changes SET annual_rate = '4.2'") == [1]
    assert marked("DELETE FROM rate_changes") == [1]
    assert marked("INSERT INTO lpr_fixings (date, one_year, five_year) VALUES ('2026-11-20', '3.0', '3.5')") == [3]
    assert marked("DELETE FROM loans WHERE id = 2") == [2]
    with con:  # every mark back, as the program would find them
        con.executemany("INSERT OR IGNORE INTO loan_dirty (loan_id) VALUES (?)", [(n,) for n in seen])
    con.close()
    store = Store.open(path, today=TODAY)
    assert_matches_replay(store)


def test_a_new_engine_version_rebuilds_the_state_once_on_open(tmp_path: Path, monkeypatch):
    path = tmp_path / "d.db"
    store = Store.open(path, today=TODAY)
    store.add_loan(_loan(1, "equal-principal", D(2025, 1, 5), 12, autopay=False, penalty=False, floating=False))
    store.conn.execute("UPDATE loan_lines SET paid_interest = 7")  # what an older engine might have stored
    store.conn.commit()
    store.close()
    monkeypatch.setattr(snapshot, "ENGINE", snapshot.ENGINE + "-next")
    store = Store.open(path, today=TODAY)
    assert snapshot.stored_engine(store.conn) == snapshot.ENGINE
    assert_matches_replay(store)


def test_a_rebuild_empties_the_stored_tables_and_keeps_their_schema_and_cascade():
    """A rebuild empties the lines and allocations by dropping and creating their tables again (far
    faster than deleting rows one at a time under foreign keys): the schema comes back exactly, what
    is stored is what a replay gives, and deleting a loan still takes its stored rows with it."""

    def schema(store: Store) -> list[tuple]:
        return store.conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN ('loan_lines', 'loan_allocs')"
            " ORDER BY type, name"
        ).fetchall()

    store = Store.memory(TODAY)
    for n in range(1, 4):
        store.add_loan(_loan(n, METHODS[n], D(2025, 1, 5), 12, autopay=False, penalty=n == 1, floating=False))
        store.add_repayments([Repayment(n, D(2025, 2, 5) + dt.timedelta(days=30 * k), 90_000) for k in range(3)])
    before = schema(store)
    stored = store.conn.execute("SELECT * FROM loan_lines ORDER BY 1, 2").fetchall()
    store.conn.execute("UPDATE loan_lines SET paid_interest = paid_interest + 1")  # stored state gone wrong
    with store.write():
        assert snapshot.rebuild(store) == 3
    assert schema(store) == before
    assert store.conn.execute("SELECT * FROM loan_lines ORDER BY 1, 2").fetchall() == stored
    assert_matches_replay(store)
    store.conn.execute("DELETE FROM loans WHERE id = 2")  # by SQL: the foreign keys' cascade alone removes its rows
    for table in ("loan_lines", "loan_allocs"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE loan_id = 2").fetchone()[0] == 0
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE loan_id = 1").fetchone()[0] > 0
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_read_only_copy_from_another_engine_is_replayed_instead(tmp_path: Path, monkeypatch):
    path = tmp_path / "d.db"
    store = Store.open(path, today=TODAY)
    store.add_loan(_loan(1, "equal-installment", D(2025, 1, 5), 12, autopay=False, penalty=False, floating=False))
    store.close()
    monkeypatch.setattr(snapshot, "ENGINE", snapshot.ENGINE + "-next")
    con = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    store = Store(con, path, TODAY)
    store.read_only = True
    assert reads.summaries(store, store.loans(), TODAY) is None  # the caller replays


def test_an_auto_debit_loan_read_on_another_day_is_refreshed_for_that_day():
    store = Store.memory(D(2025, 2, 1))
    store.add_loan(_loan(1, "equal-installment", D(2025, 1, 5), 12, autopay=True, penalty=False, floating=False))
    later = D(2025, 9, 1)
    assert reads.summaries(store, store.loans(), later) == replay_summaries(store, later)
    after, until = store.conn.execute("SELECT valid_after, valid_until FROM loan_state").fetchone()
    assert after < later.isoformat() <= until


# -- the engine version ------------------------------------------------------------
FINGERPRINT = TESTS / "data" / "engine_fingerprint.json"


def _engine_output() -> str:
    """Everything the engine stores for a fixed set of loans, as text."""
    store = Store.memory(TODAY)
    for n, method in enumerate(METHODS):
        for variant in range(3):
            store.add_loan(
                _loan(
                    n * 3 + variant + 1,
                    method,
                    D(2022, 3, 17) + dt.timedelta(days=97 * n + 11 * variant),
                    36,
                    autopay=variant == 1,
                    penalty=variant == 2,
                    floating=variant == 0 and n == 0,
                )
            )
    # revolving balances, by the period with an irregular first period and by the day
    for n, basis in enumerate(("period", "daily"), start=len(METHODS) * 3 + 1):
        daily = basis == "daily"
        store.add_loan(
            Loan(
                f"loan {n}", f"lender {n}", "revolving", 2_000_000, Decimal("18.25") if daily else Decimal("18"),
                D(2022, 10, 1), D(2022, 10, 25), None, min_payment_rate=Decimal(10), interest_basis=basis,
                rate_unit="daily" if daily else "annual", quoted_rate=Decimal("0.05") if daily else None,
            )
        )  # fmt: skip
    for loan in store.loans():
        reps = [Repayment(loan.id or 0, loan.start_date + dt.timedelta(days=29 * k + 3), 41_000 + 1_000 * k) for k in range(12)]
        reps.append(Repayment(loan.id or 0, loan.start_date + dt.timedelta(days=400), 250_000, prepay=True))
        store.add_repayments(reps)
    # the daily revolving balance paid off between two due dates: interest to that day, not the whole period's
    card = store.loans()[-1]
    day = card.start_date + dt.timedelta(days=430)
    store.add_repayments([Repayment(card.id or 0, day, payoff_quote(card, store.repayments(card.id), day).total)])
    # a revolving balance paid beyond its coming bill between due dates: that bill settled by the day
    line = store.add_loan(
        Loan("line", "lender", "revolving", 500_000, Decimal(18), D(2022, 10, 1), D(2022, 11, 25), None, interest_basis="daily")
    )
    store.add_repayments([Repayment(line.id or 0, D(2022, 11, 25), 63_750), Repayment(line.id or 0, D(2022, 11, 26), 400_000)])
    # a rate change inside a period, then a prepayment there keeping the term: the new level at the new rate
    rated = store.add_loan(
        Loan("rated", "lender", "equal-installment", 10_000_000, Decimal(6), D(2022, 6, 15), D(2022, 7, 15), 12)
    )
    store.set_rate_change(rated.id or 0, D(2022, 10, 20), Decimal("4.8"))
    paid = [Repayment(rated.id or 0, D(2022, 7 + k, 15), 860_664) for k in range(4)]
    store.add_repayments([*paid, Repayment(rated.id or 0, D(2022, 11, 1), 2_000_000, prepay=True, keep_term=True)])
    # an installment paid ahead of its date, then a prepayment before that date: the advance is cut with the rest
    ahead = store.add_loan(
        Loan("ahead", "lender", "equal-installment", 1_200_000, Decimal(6), D(2022, 10, 1), D(2022, 11, 1), 12)
    )
    store.add_repayments(
        [Repayment(ahead.id or 0, D(2022, 11, 1), 103_280), Repayment(ahead.id or 0, D(2022, 11, 10), 103_280)]
        + [Repayment(ahead.id or 0, D(2022, 11, 20), 500_000, prepay=True)]
    )
    out = []
    for table, columns in (
        ("loan_state", snapshot.STATE_COLUMNS.replace("engine, ", "")),
        ("loan_lines", snapshot.LINE_COLUMNS),
        ("loan_allocs", snapshot.ALLOC_COLUMNS),
    ):
        out.append(json.dumps(store.conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()))
    return "\n".join(out)


def test_the_engine_version_changes_when_the_engine_output_does():
    digest = hashlib.sha256(_engine_output().encode()).hexdigest()
    recorded = json.loads(FINGERPRINT.read_text())
    if digest != recorded["digest"]:
        assert snapshot.ENGINE_VERSION != recorded["version"], (
            "the engine's output changed: bump the engine version (snapshot.ENGINE_VERSION) so stored states are rebuilt"
        )
        pytest.fail(
            f"engine version {snapshot.ENGINE_VERSION}: record its output in {FINGERPRINT.name}: "
            f'{{"version": {snapshot.ENGINE_VERSION}, "digest": "{digest}"}}'
        )
    assert recorded["version"] == snapshot.ENGINE_VERSION


def test_the_dti_months_of_some_of_the_loans_are_theirs_alone():
    """A caller may hand the stored burden fewer loans than SQL finds open: the months count those alone."""
    store = Store.memory(TODAY)
    for n, method in enumerate(METHODS):
        store.add_loan(
            _loan(n + 1, method, D(2025, 1, 10) + dt.timedelta(days=30 * n), 24, autopay=False, penalty=False, floating=False)
        )
    by_loan = store.repayments_by_loan()
    day = D(2025, 9, 1)
    got = reads.summaries(store, store.loans(), day)
    kept = [s for s in got if s.loan.id != 2]
    states = [evaluate(s.loan, by_loan.get(s.loan.id or 0, []), day) for s in kept]
    month = day.replace(day=1)
    whole = series(reads.burden_of(store, got, day), [], month, 6, Decimal("0.4"), Decimal("0.5"))
    part = series(reads.burden_of(store, kept, day), [], month, 6, Decimal("0.4"), Decimal("0.5"))
    assert part == series(Burden(states), [], month, 6, Decimal("0.4"), Decimal("0.5"))
    assert part != whole  # loan 2 pays in these months: leaving it out shows
