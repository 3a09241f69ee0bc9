"""Loans as they stand, read from the database: a loan's state on a day, every loan's, the repayments with an
auto-debit loan's deductions, and a loan's view (its state with its true cost and the rate warnings that apply)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from msgspec import Struct

from .. import lpr as lpr_table
from ..ledger import deductions, evaluate
from ..models import Loan, LoanState, LoanSummary, Repayment
from ..rates import Cost, Warning, loan_cost, loan_warnings
from ..store import Store


def loan_state(store: Store, loan_id: int, today: dt.date) -> LoanState:
    loan = store.get_loan(loan_id)
    return evaluate(loan, store.repayments(loan_id), today)


def list_loans(store: Store) -> list[Loan]:
    """Every loan (a damaged one is skipped, and named when the command ends)."""
    return store.loans()


def loan_states(store: Store, today: dt.date, *, include_closed: bool = True) -> list[LoanState]:
    by_loan = store.repayments_by_loan()
    states = [evaluate(loan, by_loan.get(loan.id or 0, []), today) for loan in store.loans()]
    return [s for s in states if include_closed or s.status != "closed"]


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


class LoanView(Struct, frozen=True):
    """A loan's state (or its summary, in lists) with its true cost and the rate warnings that apply."""

    state: LoanState | LoanSummary
    cost: Cost
    warnings: tuple[Warning, ...]


def view(state: LoanState, fixings: tuple[lpr_table.Fixing, ...]) -> LoanView:
    cost = loan_cost(state.loan)
    line = one_year_lpr(fixings, state.loan.start_date)
    return LoanView(state, cost, tuple(loan_warnings(state.loan, cost.apr, line)))


def loan_view(store: Store, loan_id: int, today: dt.date) -> LoanView:
    return view(loan_state(store, loan_id, today), store.fixings())


def loan_views(store: Store, today: dt.date, *, include_closed: bool = True) -> list[LoanView]:
    """Every loan's summary with its cost, read from the stored state (a replay when it cannot be used)."""
    from ..reads import costs, summaries

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
        out.append(LoanView(summary, cost, tuple(loan_warnings(loan, cost.apr, line))))
    return out


def one_year_lpr(fixings: tuple[lpr_table.Fixing, ...], day: dt.date) -> Decimal:
    """The one-year LPR in force on a day: the private-lending line is four times the one at the contract's start."""
    return lpr_table.in_force(fixings, day).one_year
