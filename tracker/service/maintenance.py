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


def repayments_going_with(store: Store) -> int:
    """How many repayments removing the damaged records takes with them (a loan's go with it)."""
    return sum(len(store.repayments(row_id)) for table, row_id in store.damaged if table == "loans")


def orphan_repayments(store: Store) -> dict[int, int]:
    """Repayments of loans that are not in the file: how many, by the missing loan's id."""
    return store.orphan_repayments()


def remove_orphan_repayments(store: Store) -> int:
    """Remove the repayments of loans that are not in the file (nothing can be done with them); how many."""
    return store.remove_orphan_repayments()


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
    loans = store.loans()
    round_trip = _RoundTrip(store, today, sum(len(reps) for reps in by_loan.values()), loans)
    try:
        found, stale = _loan_findings(store, today, loans[: round_trip.share], by_loan)
        theirs, their_stale = round_trip.findings()
        problems += _replay_problems(store, loans, by_loan, found + theirs, stale + their_stale)
        if not problems:
            problems += round_trip.problems()
    finally:
        round_trip.close()
    return problems


Findings = tuple[list[tuple[int, str]], list[tuple[int, str]]]


def _loan_findings(store: Store, today: dt.date, loans: list, by_loan: dict, *, forget: bool = True) -> Findings:
    """What the replay of each of ``loans`` finds, in their order: the ledger's invariants broken
    (loan id, the problem) and stored states that are not what the replay gives (loan id, the part).
    ``forget``: drop each loan's schedule once compared (a second look at it would compute it again)."""
    from .. import snapshot

    found: list[tuple[int, str]] = []
    stale: list[tuple[int, str]] = []
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
            found.append((lid, _("loan {id}: cannot be computed ({reason})").format(id=loan.id, reason=exc.message)))
            continue
        if forget:
            forget_schedule(loan)  # each loan is replayed once here: its schedule is not needed again
        part = snapshot.difference(store.conn, got, computed)
        if part is not None:
            stale.append((lid, part))
        if loan.is_card:
            if loan.credit_limit != loan.principal or not loan.bill_day or not loan.due_day:
                found.append((lid, _("card {id}: its limit, bill day or due day is missing").format(id=loan.id)))
            continue  # a card's bills are what it owes; there is no schedule to add up
        state, lines, allocs = computed
        principal = sum(line[7] for line in lines)
        if principal != loan.principal:
            found.append(
                (
                    lid,
                    _("loan {id}: principal parts add up to {sum}, not {principal}").format(
                        id=loan.id, sum=principal, principal=loan.principal
                    ),
                )
            )
        allocated = sum(a[5] + a[6] + a[7] + a[8] for a in allocs) + state[9]
        if allocated != state[8]:
            found.append(
                (
                    lid,
                    _("loan {id}: repayments of {paid} are allocated as {allocated}").format(
                        id=loan.id, paid=state[8], allocated=allocated
                    ),
                )
            )
    return found, stale


def _replay_problems(store: Store, loans: list, by_loan: dict, found: list, stale: list) -> list[str]:
    """The problems the replays found (``_loan_findings``, loan by loan), stored states left from deleted
    loans, repayments of missing loans and damaged records, as lines to show."""
    from .. import snapshot

    problems = [text for _lid, text in found]
    known = {loan.id or 0 for loan in loans}
    stale = stale + [(lid, "orphan") for lid in snapshot.orphans(store, known)]
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
                    "{n} repayment belongs to a missing loan {id}; 'debt check --repair' removes it",
                    "{n} repayments belong to a missing loan {id}; 'debt check --repair' removes them",
                    len(reps),
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
# that process also replays the last third of the loans: its round trip (which need not price the stored
# loans again) costs about a third of the replays, as much as this process's reading of the repayments
SHARE = 3


class _RoundTrip:
    """The export's round trip of a check. On a file with many repayments it runs in a second process,
    started at once, which first replays the last third of the loans (``share`` is where they start),
    then does the round trip (it needs none of the other replays); the replays' findings are read when
    this process is done with its own, the round trip's answer after them. Otherwise, or in memory, it
    runs here when asked. A check that finds problems before the round trip stops the process: its
    answer would not be shown.

    The process is this Python running ``round_trip_main`` (not multiprocessing, which would load the
    caller's main module again), with this process's import path; it answers one JSON line per part."""

    def __init__(self, store: Store, today: dt.date, repayments: int, loans: list) -> None:
        self.store, self.today = store, today
        self.process: subprocess.Popen | None = None
        self.share = len(loans)  # the loans replayed here: the first ones, up to this index
        if store.path is not None and repayments >= PARALLEL_FROM:
            self.share = len(loans) - len(loans) // SHARE
            after = str(loans[self.share - 1].id) if self.share < len(loans) else ""  # ids ascend (Store.loans)
            code = "from tracker.service.maintenance import round_trip_main; round_trip_main()"
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, str(store.path), today.isoformat(), current_language(), after],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                env=env,
                start_new_session=True,  # Ctrl-C reaches the check, which stops this process
            )

    def _answer(self) -> dict:
        assert self.process is not None and self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:  # a bug there: told as one (its traceback went to stderr)
            self.process.wait()
            raise RuntimeError(f"the check's second process failed (exit code {self.process.returncode})")
        answer = json.loads(line)
        if "file" in answer:  # the file could not be read there (busy past the timeout, say): as if read here
            raise StoreError(answer["file"])
        return answer

    def findings(self) -> Findings:
        """What the second process's replays found (nothing without one)."""
        if self.process is None:
            return [], []
        answer = self._answer()
        return [(lid, text) for lid, text in answer["found"]], [(lid, part) for lid, part in answer["stale"]]

    def problems(self) -> list[str]:
        if self.process is None:
            return _export_round_trip_problems(self.store, self.today)
        problems = self._answer()["problems"]
        self.process.communicate()
        if self.process.returncode != 0:
            raise RuntimeError(f"the check's second process failed (exit code {self.process.returncode})")
        return problems

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def round_trip_main() -> None:
    """The second process of ``_RoundTrip`` (argv: the file, the day, the language, and the id after which
    it replays the loans, empty for none): one JSON line with what the replays found, {"found": [[loan id,
    problem], ...], "stale": [[loan id, part], ...]}, then one with the export's round trip,
    {"problems": [...]}; or, when the file itself fails, {"file": what failed}."""
    from pathlib import Path

    path, day, language, after = sys.argv[1:5]
    set_language(language)
    today = dt.date.fromisoformat(day)
    try:
        store = Store.open(Path(path), create=False, today=today)
        try:
            loans = [loan for loan in store.loans() if after and (loan.id or 0) > int(after)]
            # the schedules are kept: the round trip prices these loans again, from the cache
            found, stale = _loan_findings(store, today, loans, store.repayments_by_loan(), forget=False)
            _say({"found": found, "stale": stale})
            _say({"problems": _export_round_trip_problems(store, today)})
        finally:
            store.close()
    except StoreError as exc:
        _say({"file": exc.message})
    except FILE_ERRORS as exc:
        _say({"file": file_error_text(exc)})


def _say(answer: dict) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def _export_round_trip_problems(store: Store, today: dt.date) -> list[str]:
    """The database's own export must import: every record passes the import's checks."""
    from ..export_parse import parse_export
    from .exchange import export_data

    try:
        # JSON's own types already (debt export writes it as is); nothing here needs the schedules again,
        # and the stored loans were priced by the replays (a check shows this answer only when all were)
        parse_export(export_data(store, today), keep_schedules=False, priced={loan.terms for loan in store.loans()})
    except TrackerError as exc:
        return [_("the export of this database would not import: {reason}").format(reason=exc.message)]
    return []
