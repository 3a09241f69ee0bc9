"""Use cases shared by the CLI and the TUI: validate input, call the engine, save."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from . import lpr as lpr_table
from .dates import parse_date
from .errors import BadInput, Refused, TrackerError
from .i18n import N_, _, ngettext
from .inputs import MAX_NOTE, LoanInput, build_loan, check_priceable, clean_text, parse_id
from .ledger import check_repayment, deductions, evaluate, payoff_quote
from .models import Loan, LoanState, LoanSummary, Payoff, Repayment
from .money import check_currency, parse_amount, parse_percent
from .payoff import STRATEGIES, Plan, minimum_payments, simulate
from .rates import Cost, Warning, advertised_rate, loan_cost, rate_warnings
from .schedule import build_schedule
from .settings import Settings, effective, get_setting
from .store import FILE_ERRORS as FILE_ERRORS  # for the faces: a failure of the file itself
from .store import Store
from .store import file_error_text as file_error_text


def past_due_notice(state: LoanState) -> str | None:
    """A new loan with installments already due and nothing recorded: probably paid, say how to mark them."""
    if state.repayments:
        return None
    past = [s.installment for s in state.schedule if s.installment.kind == "installment" and s.installment.due_date < state.today]
    if not past:
        return None
    return _(
        "{n} installments fell due before today and show as overdue; if you paid them, mark them with "
        "'debt loan edit {id} --paid-until {date}'"
    ).format(n=len(past), id=state.loan.id, date=past[-1].due_date.isoformat())


def autopay_notice(state: LoanState) -> str | None:
    """An auto-debit loan with installments already due: they count as deducted; how to say one failed."""
    counted = deductions(state)
    if not counted:
        return None
    return _(
        "installments due before today count as deducted on their due dates ({n} so far); if a deduction "
        "failed, record it with 'debt loan missed {id} SEQ'"
    ).format(n=len(counted), id=state.loan.id)


def term_notice(loan: Loan) -> str | None:
    """A loan whose rounded payment repays it before its term: the real number of installments."""
    if loan.method in ("bullet", "revolving") or not loan.term_months:
        return None
    count = len(build_schedule(loan))
    if count >= loan.term_months:
        return None
    return _("the rounded payment repays this loan in {n} installments, not {term}").format(n=count, term=loan.term_months)


# -- loans ---------------------------------------------------------------------
def add_loan(store: Store, loan: Loan, today: dt.date) -> LoanState:
    """Save a loan made by build_loan."""
    saved = store.add_loan(loan)
    return evaluate(saved, [], today)


def record_paid_until(store: Store, loan_id: int, until: dt.date, today: dt.date) -> LoanState:
    """Mark every installment due on or before ``until`` as paid on its due date (a loan entered mid-way)."""
    with store.write():
        state = loan_state(store, loan_id, today)
        for s in state.schedule:
            if s.installment.kind == "installment" and s.installment.due_date <= until and s.unpaid > 0:
                record_repayment(
                    store,
                    loan_id,
                    s.unpaid,
                    today,
                    date=s.installment.due_date.isoformat(),
                    note=_("paid before the loan was entered"),
                    source=PAID_BEFORE,
                )
    return loan_state(store, loan_id, today)


def edit_loan(store: Store, loan_id: int, data: LoanInput, today: dt.date) -> LoanState:
    base = store.get_loan(loan_id)
    if base.is_card:
        raise Refused(_("loan {id} is a credit card: change it with 'debt card edit {id}'").format(id=loan_id))
    with store.write():
        repayments = store.repayments(loan_id)
        deducted = deductions(evaluate(base, repayments, today))
        if data.changes_rate and (repayments or deducted):
            raise Refused(
                _(
                    "loan {id} has repayments: editing its rate would rewrite the installments already paid; "
                    "record the change from a date with 'debt loan rate {id} PCT --from DATE'"
                ).format(id=loan_id)
            )
        new = build_loan(data, base, store.fixings())
        if new.currency != base.currency:
            if repayments:
                raise Refused(
                    _("loan {id} has repayments in {currency}; its currency cannot change").format(
                        id=loan_id, currency=base.currency
                    )
                )
            if data.principal is None or (base.received is not None and data.received is None):
                raise BadInput(
                    _("give the amounts in {currency} too (--principal, and --received if fees were deducted)").format(
                        currency=new.currency
                    )
                )
        if repayments and repayments[0].date < new.start_date:
            raise Refused(
                _("loan {id} has a repayment on {date}, before the new start {start}").format(
                    id=loan_id, date=repayments[0].date.isoformat(), start=new.start_date.isoformat()
                )
            )
        if base.autopay and not new.autopay and deducted:
            # the deductions the bank made are payments made: they stay, recorded
            store.add_repayments(deducted)
            repayments = store.repayments(loan_id)
        loan = store.update_loan(new)
    return evaluate(loan, repayments, today)


def mark_missed(store: Store, loan_id: int, seq: str | int, today: dt.date, *, undo: bool = False) -> LoanState:
    """Record that an installment's automatic deduction failed (余额不足), or, with ``undo``, that it went through."""
    number = parse_id(seq, _("installment number"))
    with store.write():
        loan = store.get_loan(loan_id)
        if not loan.autopay:
            raise Refused(
                _("loan {id} is not repaid by automatic deduction (turn it on with 'debt loan edit {id} --autopay')").format(
                    id=loan_id
                )
            )
        inst = next((i for i in build_schedule(loan) if i.seq == number), None)
        if inst is None:
            raise Refused(_("loan {id} has no installment {seq}").format(id=loan_id, seq=number))
        if undo:
            if number not in loan.missed:
                raise Refused(
                    _("installment {seq} of loan {id} is not marked as a failed deduction").format(seq=number, id=loan_id)
                )
            missed = tuple(n for n in loan.missed if n != number)
        else:
            if inst.due_date > today:
                raise Refused(
                    _("installment {seq} is due on {date}; a deduction can only fail once its day has come").format(
                        seq=number, date=inst.due_date.isoformat()
                    )
                )
            if number in loan.missed:
                raise Refused(_("installment {seq} of loan {id} is already marked as missed").format(seq=number, id=loan_id))
            missed = (*loan.missed, number)
            for rep in store.repayments(loan_id):
                if rep.autopay_seq == number:
                    store.delete_repayment(rep.id or 0)  # a deduction recorded earlier did not happen after all
        store.update_loan(replace(loan, missed=tuple(sorted(missed))))
    return loan_state(store, loan_id, today)


def repayments_with_deductions(store: Store, today: dt.date, loan_id: int | None = None) -> list[Repayment]:
    """Recorded repayments and, for auto-debit loans, the deductions counted as of ``today``, by date."""
    reps = store.repayments(loan_id)
    loans = [store.get_loan(loan_id)] if loan_id is not None else store.loans()
    by_loan: dict[int, list[Repayment]] = {}
    for rep in reps:
        by_loan.setdefault(rep.loan_id, []).append(rep)
    for loan in loans:
        if loan.autopay:
            reps.extend(deductions(evaluate(loan, by_loan.get(loan.id or 0, []), today)))
    return sorted(reps, key=lambda r: (r.date, r.id is None, r.id or 0))


def change_rate(store: Store, loan_id: int, rate: str, start: str, today: dt.date) -> tuple[LoanState, LoanState]:
    """Record a rate change from a date: periods starting on or after it are charged the new rate.

    Paid installments are never rewritten: a date that would change one is refused.
    Returns the loan's state before and after.
    """
    loan = store.get_loan(loan_id)
    if loan.is_card:
        raise Refused(
            _("loan {id} is a credit card: change its daily rate with 'debt card edit {id} --daily-rate PCT'").format(id=loan_id)
        )
    if loan.method == "revolving":
        raise Refused(_("a revolving balance has no schedule to reprice"))
    value = parse_percent(rate, _("rate"), maximum=Decimal(1000))
    day = parse_date(start, _("rate change date"))
    if day <= loan.start_date:
        raise BadInput(
            _("the rate change date {date} must be after the loan starts ({start})").format(
                date=day.isoformat(), start=loan.start_date.isoformat()
            )
        )
    with store.write():
        repayments = store.repayments(loan_id)
        before = evaluate(loan, repayments, today)
        last_due = max(s.installment.due_date for s in before.schedule)
        if day >= last_due:
            raise BadInput(
                _("loan {id} ends on {end}; a rate change from {date} would change nothing").format(
                    id=loan_id, end=last_due.isoformat(), date=day.isoformat()
                )
            )
        changed = lpr_table.timeline(loan.annual_rate, loan.rate_changes, ((day, value),))
        updated = replace(loan, rate_changes=changed)
        check_priceable(updated)
        after = evaluate(updated, repayments, today)
        _refuse_rewriting_paid(before, after, day)
        store.set_rate_change(loan_id, day, value)
    return before, evaluate(store.get_loan(loan_id), repayments, today)


def _refuse_rewriting_paid(before: LoanState, after: LoanState, day: dt.date) -> None:
    new = {s.installment.seq: s.installment for s in after.schedule if s.installment.kind == "installment"}
    for s in before.schedule:
        inst = s.installment
        if inst.kind != "installment" or s.status != "paid":
            continue
        now = new.get(inst.seq)
        if now is None or (now.principal, now.interest, now.fee) != (inst.principal, inst.interest, inst.fee):
            raise Refused(
                _(
                    "installment {seq} (due {due}) is already paid at the old rate; a change from {date} would rewrite it "
                    "(give a date after its period began, or delete its repayment first)"
                ).format(seq=inst.seq, due=inst.due_date.isoformat(), date=day.isoformat())
            )


def payoff(store: Store, loan_id: int, date: str | None, today: dt.date) -> Payoff:
    """What closes the loan on a day (default today): principal, interest to that day, fees, penalty."""
    loan = store.get_loan(loan_id)
    day = parse_date(date, _("payoff date")) if date is not None else today
    if day < loan.start_date:
        raise BadInput(
            _("the payoff date {date} is before the loan starts ({start})").format(
                date=day.isoformat(), start=loan.start_date.isoformat()
            )
        )
    return payoff_quote(loan, store.repayments(loan_id), day)


# -- the LPR table -----------------------------------------------------------------
def lpr_fixings(store: Store) -> tuple[lpr_table.Fixing, ...]:
    return store.fixings()


def add_lpr_fixing(store: Store, date: str, one_year: str, five_year: str) -> lpr_table.Fixing:
    day = parse_date(date, _("fixing date"))
    if day < lpr_table.SHIPPED[0].date:
        raise BadInput(_("the LPR was first published on {date}").format(date=lpr_table.SHIPPED[0].date.isoformat()))
    fixing = lpr_table.Fixing(
        day,
        parse_percent(one_year, _("one-year LPR"), allow_zero=False, maximum=Decimal(100)),
        parse_percent(five_year, _("five-year LPR"), allow_zero=False, maximum=Decimal(100)),
        lpr_table.USER_SOURCE,
    )
    official = next((f for f in lpr_table.SHIPPED if f.date == day), None)
    if official is not None and (official.one_year, official.five_year) != (fixing.one_year, fixing.five_year):
        raise Refused(
            _("the LPR of {date} is already in the table ({one}% / {five}%, {source})").format(
                date=day.isoformat(), one=official.one_year, five=official.five_year, source=_(official.source)
            )
        )
    with store.write():
        floating = [loan for loan in store.loans() if loan.lpr_spread_bp is not None]
        before = {loan.id: evaluate(loan, store.repayments(loan.id or 0), day) for loan in floating}
        store.add_fixing(fixing)
        for loan in store.loans():
            if loan.lpr_spread_bp is None:
                continue
            try:
                check_priceable(loan)
            except BadInput as exc:
                raise Refused(
                    _("with this fixing loan {id} could not be priced: {reason}").format(id=loan.id, reason=exc.message)
                ) from None
            after = evaluate(loan, store.repayments(loan.id or 0), day)
            try:
                _refuse_rewriting_paid(before[loan.id], after, day)
            except Refused:
                raise Refused(
                    _(
                        "a fixing of {date} would reprice installments of loan {id} that are already paid; "
                        "fixings that old are already in the table"
                    ).format(date=day.isoformat(), id=loan.id)
                ) from None
    return fixing


def one_year_lpr(fixings: tuple[lpr_table.Fixing, ...], day: dt.date) -> Decimal:
    """The one-year LPR in force on a day: the private-lending line is four times the one at the contract's start."""
    return lpr_table.in_force(fixings, day).one_year


def open_store(path: Path, today: dt.date) -> Store:
    """The database at ``path`` for one piece of work (a face never opens SQLite itself)."""
    return Store.open(path, today=today)


def loan_state(store: Store, loan_id: int, today: dt.date) -> LoanState:
    loan = store.get_loan(loan_id)
    return evaluate(loan, store.repayments(loan_id), today)


def loan_states(store: Store, today: dt.date, *, include_closed: bool = True) -> list[LoanState]:
    by_loan = store.repayments_by_loan()
    states = [evaluate(loan, by_loan.get(loan.id or 0, []), today) for loan in store.loans()]
    return [s for s in states if include_closed or s.status != "closed"]


def ledger_witness(store: Store, today: dt.date) -> list:
    """The user's open loans as the message triage sees them (triage.LedgerLoan), to compare a message with."""
    from .triage import LedgerLoan

    out = []
    for state in loan_states(store, today, include_closed=False):
        loan = state.loan
        nxt = state.next_due
        out.append(
            LedgerLoan(
                id=loan.id or 0,
                name=loan.name,
                lender=loan.lender,
                currency=loan.currency,
                overdue=state.overdue_amount,
                days_overdue=state.days_overdue,
                next_due=nxt.unpaid if nxt is not None else 0,
                outstanding=state.outstanding_principal,
            )
        )
    return out


@dataclass(frozen=True)
class LoanView:
    """A loan's state (or its summary, in lists) with its true cost and the rate warnings that apply."""

    state: LoanState | LoanSummary
    cost: Cost
    warnings: tuple[Warning, ...]


def view(state: LoanState, fixings: tuple[lpr_table.Fixing, ...]) -> LoanView:
    cost = loan_cost(state.loan)
    line = one_year_lpr(fixings, state.loan.start_date)
    return LoanView(state, cost, tuple(rate_warnings(cost.apr, advertised_rate(state.loan), line)))


def loan_view(store: Store, loan_id: int, today: dt.date) -> LoanView:
    return view(loan_state(store, loan_id, today), store.fixings())


def loan_views(store: Store, today: dt.date, *, include_closed: bool = True) -> list[LoanView]:
    """Every loan's summary with its cost, read from the stored state (a replay when it cannot be used)."""
    from .reads import costs, summaries

    fixings = store.fixings()
    loans = store.loans()
    got = summaries(store, loans, today)
    if got is None:
        return [view(s, fixings) for s in loan_states(store, today, include_closed=include_closed)]
    stored = costs(store)
    out = []
    for summary in got:
        if not include_closed and summary.status == "closed":
            continue
        loan = summary.loan
        cost = stored.get(loan.id or 0) or loan_cost(loan)
        line = one_year_lpr(fixings, loan.start_date)
        out.append(LoanView(summary, cost, tuple(rate_warnings(cost.apr, advertised_rate(loan), line))))
    return out


@dataclass(frozen=True)
class Quote:
    """What a loan offer really costs (the `debt apr` calculator)."""

    loan: Loan
    payment: int
    last_payment: int
    total_repaid: int
    total_cost: int
    cost: Cost
    warnings: tuple[Warning, ...]
    installments: int = 0


def quote(data: LoanInput, today: dt.date, fixings: tuple[lpr_table.Fixing, ...] = lpr_table.SHIPPED) -> Quote:
    """Cost of an offer without saving it; the method defaults to flat-fee with --fee-rate."""
    if data.method is None:
        data = replace(data, method="flat-fee" if data.fee_rate is not None else "equal-installment")
    loan = build_loan(
        replace(data, name=data.name or "quote", lender=data.lender or "-", start=data.start or today.isoformat()), None, fixings
    )
    if loan.method == "revolving":
        raise BadInput(_("the calculator needs a fixed term; a revolving balance has none"))
    return quote_loan(loan, fixings)


def quote_loan(loan: Loan, fixings: tuple[lpr_table.Fixing, ...]) -> Quote:
    """What a loan costs (the calculator, the loan form's preview): its payments, total cost, APR and
    the warnings against the LPR in force when it starts (the shipped table with the user's fixings)."""
    schedule = build_schedule(loan)
    total = sum(i.total for i in schedule)
    cost = loan_cost(loan)
    warnings = tuple(rate_warnings(cost.apr, advertised_rate(loan), one_year_lpr(fixings, loan.start_date)))
    return Quote(loan, schedule[0].total, schedule[-1].total, total, total - loan.received_amount, cost, warnings, len(schedule))


def plan_minimum(store: Store, today: dt.date, currency: str = "CNY") -> int:
    """The smallest budget `plan` accepts: overdue amounts plus each open loan's next installment due within a month."""
    states = [s for s in loan_states(store, today, include_closed=False) if s.loan.currency == currency]
    return minimum_payments(states, today)


def plan(store: Store, budget: str, strategy: str, today: dt.date, currency: str = "CNY") -> dict[str, Plan]:
    """Payoff plans for the open loans in ``currency``, with the schedule-only baseline under 'schedule'."""
    if strategy not in (*STRATEGIES, "both"):
        raise BadInput(_("unknown strategy {value!r}; choose avalanche, snowball or both").format(value=strategy))
    currency = check_currency(currency)
    amount = parse_amount(budget, currency, what=_("budget"))
    fixings = store.fixings()
    views = [view(s, fixings) for s in loan_states(store, today, include_closed=False) if s.loan.currency == currency]
    if not views:
        raise Refused(_("there are no open loans in {currency} to plan").format(currency=currency))
    states = [v.state for v in views]
    aprs = {v.state.loan.id or 0: v.cost.apr if v.cost.apr is not None else v.state.loan.annual_rate for v in views}
    chosen = STRATEGIES if strategy == "both" else (strategy,)
    plans = {name: simulate(states, aprs, amount, name, today) for name in chosen}
    plans["schedule"] = simulate(states, aprs, amount, None, today)
    return plans


# -- settings ------------------------------------------------------------------
def settings_view(store: Store) -> dict[str, str]:
    """Every setting as text, for listing them."""
    return effective(store.settings())


def current_settings(store: Store) -> Settings:
    """The settings in force, typed: what every use case reads."""
    return Settings.of(store.settings())


def set_setting(store: Store, key: str, value: str) -> str:
    setting = get_setting(key)
    clean = setting.parse(value)
    if key in ("dti.caution", "dti.warn"):
        current = effective(store.settings())
        caution = Decimal(clean if key == "dti.caution" else current["dti.caution"])
        warn = Decimal(clean if key == "dti.warn" else current["dti.warn"])
        if caution >= warn:
            raise BadInput(_("dti.caution ({caution}) must be below dti.warn ({warn})").format(caution=caution, warn=warn))
    store.set_setting(key, clean)
    return clean


# -- repayments ----------------------------------------------------------------
PAID_BEFORE = "paid-until"  # the source of the repayments `--paid-until` records for installments before the loan was entered


def record_repayment(
    store: Store,
    loan_id: int,
    amount: str | int,
    today: dt.date,
    *,
    date: str | None = None,
    note: str | None = None,
    prepay: bool = False,
    keep_term: bool = False,
    allow_overpay: bool = False,
    source: str = "",
    source_ref: str = "",
) -> tuple[Repayment, LoanState]:
    if keep_term and not prepay:
        raise BadInput(_("--keep-term goes with --prepay"))
    loan = store.get_loan(loan_id)
    when = parse_date(date, _("repayment date")) if date is not None else today
    rep = repayment_for(
        loan, amount, today, date=when, note=note, prepay=prepay, keep_term=keep_term, source=source, source_ref=source_ref
    )
    with store.write():
        existing = store.repayments(loan_id)
        check_repayment(loan, existing, rep, today, allow_overpay=allow_overpay)
        saved = store.add_repayment(rep)
    return saved, evaluate(loan, [*existing, saved], today)


def repayment_for(
    loan: Loan,
    amount: str | int,
    today: dt.date,
    *,
    date: dt.date,
    note: str | None = None,
    prepay: bool = False,
    keep_term: bool = False,
    source: str = "",
    source_ref: str = "",
) -> Repayment:
    """A repayment to ``loan`` checked on its own: made by today, on or after the loan's start."""
    if date > today:
        raise BadInput(
            _("the repayment date {date} is after today ({today}); record a payment once it is made").format(
                date=date.isoformat(), today=today.isoformat()
            )
        )
    if date < loan.start_date:
        raise BadInput(
            _("the repayment date {date} is before the loan starts ({start})").format(
                date=date.isoformat(), start=loan.start_date.isoformat()
            )
        )
    return Repayment(
        loan_id=loan.id or 0,
        date=date,
        amount=amount if isinstance(amount, int) else parse_amount(amount, loan.currency),
        note=clean_text(note, _("note"), limit=MAX_NOTE),
        prepay=prepay,
        keep_term=keep_term,
        source=source,
        source_ref=source_ref,
    )


def delete_repayment(store: Store, rep_id: int, today: dt.date) -> tuple[Repayment, LoanState]:
    rep = store.get_repayment(rep_id)
    store.delete_repayment(rep_id)
    return rep, loan_state(store, rep.loan_id, today)


# -- checks and backups ----------------------------------------------------------
def find_damaged(store: Store) -> dict[tuple[str, int], str]:
    """Read every record again; the ones whose stored values cannot be read, with why."""
    store.forget_reads()
    store.loans()
    store.repayments()
    store.incomes()
    store.all_bills()
    return store.damaged


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
    from .snapshot import differences

    return differences(store)


def rebuild_state(store: Store) -> int:
    """Replay every loan and store the result, in one transaction; return how many loans."""
    from .snapshot import rebuild

    with store.write():
        return rebuild(store)


def check_database(store: Store, today: dt.date) -> list[str]:
    """Every problem found: SQLite's checks, the ledger's own invariants, and the stored state
    against a replay (one replay per loan serves both)."""
    from . import snapshot

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
    from .exchange import export_data, parse_export

    try:
        parse_export(export_data(store, today))  # JSON's own types already (debt export writes it as is)
    except TrackerError as exc:
        return [_("the export of this database would not import: {reason}").format(reason=exc.message)]
    return []
