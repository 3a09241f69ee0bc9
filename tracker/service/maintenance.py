"""Looking after the data: every problem found (SQLite's checks, the ledger's own sums, the stored state against
a replay, the export's round trip), the damaged records set or removed, the stored state rebuilt, backup and restore."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from ..backup import restore as restore  # the faces back up and restore through the service
from ..backup import write_backup as write_backup
from ..errors import StoreError, TrackerError
from ..i18n import N_, _, current_language, ngettext, set_language
from ..inputs import check_priceable
from ..ledger import evaluate
from ..schedule import forget_schedule
from ..store import FILE_ERRORS, Store, file_error_text


def find_damaged(store: Store) -> dict[tuple[str, int], str]:
    """Read every record again; the ones whose stored values cannot be read, with why."""
    store.forget_reads()
    store.loans()
    store.repayments()
    store.incomes()
    store.all_bills()
    return store.damaged


def damaged_records(store: Store) -> dict[tuple[str, int], str]:
    """The records found so far whose stored values cannot be read, with why (find_damaged reads everything again)."""
    return store.damaged


def unreadable_fields(store: Store, table: str, row_id: int) -> list[tuple[str, object, str]]:
    """A damaged record's values that cannot be read: (column, the stored value, the kind of value it should be)."""
    return store.unreadable_fields(table, row_id)


def fix_field(store: Store, table: str, row_id: int, column: str, text: str) -> None:
    """Set an unreadable value of a damaged record to a value typed as text (checked as its kind)."""
    store.fix_field(table, row_id, column, text)


def remove_damaged(store: Store) -> list[tuple[str, int]]:
    """Remove every record that still cannot be read (a loan's repayments go with it); which were removed."""
    return store.remove_damaged()


STATE_PARTS = {
    "missing": N_("missing"),
    "orphan": N_("left from a deleted loan"),
    "totals": N_("totals"),
    "apr": N_("APR"),
    "lines": N_("schedule lines"),
    "allocations": N_("allocations"),
}


def state_differences(store: Store) -> list[tuple[int, str]]:
    """Loans whose stored state differs from a replay now (snapshot.differences)."""
    from ..snapshot import differences

    return differences(store)


def rebuild_state(store: Store) -> int:
    """Replay every loan and store the result, in one transaction; return how many loans."""
    from ..snapshot import rebuild

    with store.write():
        return rebuild(store)


def check_database(store: Store, today: dt.date) -> list[str]:
    """Every problem found: SQLite's checks, the ledger's own invariants, and the stored state
    against a replay (one replay per loan serves both), and the export's round trip."""
    problems = store.integrity_problems()
    by_loan = store.repayments_by_loan()
    round_trip = _RoundTrip(store, today, sum(len(reps) for reps in by_loan.values()))
    try:
        problems += _replay_problems(store, today, by_loan)
        if not problems:
            problems += round_trip.problems()
    finally:
        round_trip.close()
    return problems


def _replay_problems(store: Store, today: dt.date, by_loan: dict) -> list[str]:
    """What the replay of every loan finds: the ledger's invariants, the stored state against it, damaged records."""
    from .. import snapshot

    problems: list[str] = []
    loans = store.loans()
    known = {loan.id or 0 for loan in loans}
    stale = [(lid, "orphan") for lid in snapshot.orphans(store, known)]
    for loan in loans:
        lid = loan.id or 0
        reps = by_loan.get(lid, [])
        got = snapshot.stored(store.conn, lid)
        try:
            check_priceable(loan)
            if loan.is_card:
                evaluate(loan, reps, today)
            computed = snapshot.replay_rows(loan, reps, snapshot.comparison_day(got, today))
        except TrackerError as exc:  # a loan the engine cannot price or replay is itself a finding
            problems.append(_("loan {id}: cannot be computed ({reason})").format(id=loan.id, reason=exc.message))
            continue
        forget_schedule(loan)  # each loan is replayed once here: its schedule is not needed again
        part = snapshot.difference(store.conn, got, computed)
        if part is not None:
            stale.append((lid, part))
        if loan.is_card:
            if loan.credit_limit != loan.principal or not loan.bill_day or not loan.due_day:
                problems.append(_("card {id}: its limit, bill day or due day is missing").format(id=loan.id))
            continue  # a card's bills are what it owes; there is no schedule to add up
        state, lines, allocs = computed
        principal = sum(line[7] for line in lines)
        if principal != loan.principal:
            problems.append(
                _("loan {id}: principal parts add up to {sum}, not {principal}").format(
                    id=loan.id, sum=principal, principal=loan.principal
                )
            )
        allocated = sum(a[5] + a[6] + a[7] + a[8] for a in allocs) + state[9]
        if allocated != state[8]:
            problems.append(
                _("loan {id}: repayments of {paid} are allocated as {allocated}").format(
                    id=loan.id, paid=state[8], allocated=allocated
                )
            )
    for loan_id, part in sorted(stale):
        problems.append(
            _("loan {id}: its stored state ({part}) is not what a replay gives; 'debt check --repair' rebuilds it").format(
                id=loan_id, part=_(STATE_PARTS[part])
            )
        )
    damaged_loans = {row_id for table, row_id in store.damaged if table == "loans"}
    for loan_id, reps in by_loan.items():
        if loan_id not in known and loan_id not in damaged_loans:
            problems.append(
                ngettext(
                    "{n} repayment belongs to a missing loan {id}", "{n} repayments belong to a missing loan {id}", len(reps)
                ).format(n=len(reps), id=loan_id)
            )
    store.incomes()
    for (table, row_id), reason in sorted(store.damaged.items()):
        problems.append(
            _("{table} record {id}: a stored value cannot be read ({reason}); 'debt check --repair' can remove it").format(
                table=table, id=row_id, reason=reason
            )
            + "".join(
                "; "
                + _("or set it: debt check --repair --set {table}.{id}.{column}=VALUE").format(table=table, id=row_id, column=c)
                for c, _v, _k in store.unreadable_fields(table, row_id)
            )
        )
    return problems


PARALLEL_FROM = 20_000  # repayments from which the export's round trip runs in a process of its own


class _RoundTrip:
    """The export's round trip of a check. On a file with many repayments it runs in a second process
    (it is about a quarter of a check, and needs none of the replays), started at once and read when the
    replays are done; otherwise, or in memory, here when asked. A check that finds problems before it
    stops the process: its answer would not be shown.

    The process is this Python running ``round_trip_main`` (not multiprocessing, which would load the
    caller's main module again), with this process's import path; it answers in JSON on its output."""

    def __init__(self, store: Store, today: dt.date, repayments: int) -> None:
        self.store, self.today = store, today
        self.process: subprocess.Popen | None = None
        if store.path is not None and repayments >= PARALLEL_FROM:
            code = "from tracker.service.maintenance import round_trip_main; round_trip_main()"
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, str(store.path), today.isoformat(), current_language()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                env=env,
                start_new_session=True,  # Ctrl-C reaches the check, which stops this process
            )

    def problems(self) -> list[str]:
        if self.process is None:
            return _export_round_trip_problems(self.store, self.today)
        out, _err = self.process.communicate()
        if self.process.returncode != 0:  # a bug there: told as one (its traceback went to stderr)
            raise RuntimeError(f"the export's round trip failed in its own process (exit code {self.process.returncode})")
        answer = json.loads(out)
        if "file" in answer:  # the file could not be read there (busy past the timeout, say): as if read here
            raise StoreError(answer["file"])
        return answer["problems"]

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def round_trip_main() -> None:
    """The second process of ``_RoundTrip`` (argv: the file, the day, the language): the export's round trip
    of the file, written as JSON: {"problems": [...]} or, when the file itself fails, {"file": what failed}."""
    from pathlib import Path

    path, day, language = sys.argv[1:4]
    set_language(language)
    today = dt.date.fromisoformat(day)
    try:
        store = Store.open(Path(path), create=False, today=today)
        try:
            answer: dict = {"problems": _export_round_trip_problems(store, today)}
        finally:
            store.close()
    except StoreError as exc:
        answer = {"file": exc.message}
    except FILE_ERRORS as exc:
        answer = {"file": file_error_text(exc)}
    sys.stdout.write(json.dumps(answer))


def _export_round_trip_problems(store: Store, today: dt.date) -> list[str]:
    """The database's own export must import: every record passes the import's checks."""
    from ..export_parse import parse_export
    from .exchange import export_data

    try:
        # JSON's own types already (debt export writes it as is); nothing here needs the schedules again
        parse_export(export_data(store, today), keep_schedules=False)
    except TrackerError as exc:
        return [_("the export of this database would not import: {reason}").format(reason=exc.message)]
    return []
