"""Looking after the data: every problem found (SQLite's checks, the ledger's own sums, the stored state against
a replay, the export's round trip), the damaged records set or removed, the stored state rebuilt, backup and restore."""

from __future__ import annotations

import datetime as dt

from ..backup import restore as restore  # the faces back up and restore through the service
from ..backup import write_backup as write_backup
from ..errors import TrackerError
from ..i18n import N_, _, ngettext
from ..inputs import check_priceable
from ..ledger import evaluate
from ..store import Store


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
    against a replay (one replay per loan serves both)."""
    from .. import snapshot

    problems = store.integrity_problems()
    by_loan = store.repayments_by_loan()
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
    if not problems:
        problems += _export_round_trip_problems(store, today)
    return problems


def _export_round_trip_problems(store: Store, today: dt.date) -> list[str]:
    """The database's own export must import: every record passes the import's checks."""
    from ..export_parse import parse_export
    from .exchange import export_data

    try:
        parse_export(export_data(store, today))  # JSON's own types already (debt export writes it as is)
    except TrackerError as exc:
        return [_("the export of this database would not import: {reason}").format(reason=exc.message)]
    return []
