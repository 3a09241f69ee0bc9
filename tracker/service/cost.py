"""What borrowing costs: an offer priced before it is taken (the `apr` calculator, the loan form's preview), and
payoff plans for the open loans with a monthly budget."""

from __future__ import annotations

import datetime as dt

from msgspec import Struct
from msgspec.structs import replace

from .. import lpr as lpr_table
from ..errors import BadInput, Refused
from ..i18n import _
from ..inputs import LoanInput, build_loan
from ..ledger import evaluate
from ..models import Loan, LoanState
from ..money import check_currency, parse_amount
from ..payoff import STRATEGIES, Plan, minimum_payments, overdue_payments, paid_this_month, run, saving_rate, start_of
from ..rates import Cost, Warning, loan_cost, loan_warnings
from ..schedule import build_schedule
from ..store import Store
from .views import one_year_lpr


class Quote(Struct, frozen=True):
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
    warnings = tuple(loan_warnings(loan, cost.apr, one_year_lpr(fixings, loan.start_date)))
    return Quote(loan, schedule[0].total, schedule[-1].total, total, total - loan.received_amount, cost, warnings, len(schedule))


def plan_minimum(store: Store, today: dt.date, currency: str = "CNY") -> tuple[int, int]:
    """The smallest budget `plan` accepts (overdue amounts plus each open loan's next installment due within a
    month), and the overdue part of it (owed once, not every month)."""
    from ..reads import summaries

    loans = [loan for loan in store.loans() if loan.currency == currency]
    got = summaries(store, loans, today)
    if got is None:
        got = [evaluate(loan, store.repayments(loan.id or 0), today) for loan in loans]
    open_ = [s for s in got if s.status != "closed"]
    return minimum_payments(open_, today), overdue_payments(open_)


def other_currencies(store: Store, currency: str) -> list[str]:
    """The currencies of the loans a plan in ``currency`` leaves out."""
    return sorted({ln.currency for ln in store.loans()} - {currency})


def plan(store: Store, budget: str, strategy: str, today: dt.date, currency: str = "CNY") -> dict[str, Plan]:
    """Payoff plans for the open loans in ``currency``, with the schedule-only baseline under 'schedule'.

    Each loan starts where its stored state stands (no replay); a live one (a card) is replayed.
    """
    from ..reads import plan_starts, summaries

    if strategy not in (*STRATEGIES, "both"):
        raise BadInput(_("unknown strategy {value!r}; choose avalanche, snowball or both").format(value=strategy))
    currency = check_currency(currency)
    amount = parse_amount(budget, currency, what=_("budget"))
    loans = [loan for loan in store.loans() if loan.currency == currency]
    got = summaries(store, loans, today)
    stored = plan_starts(store, loans, today) if got is not None else None
    if got is None or stored is None:
        states = [s for s in (evaluate(loan, store.repayments(loan.id or 0), today) for loan in loans) if s.status != "closed"]
        got, starts, spent = states, {}, 0
    else:
        starts, spent = stored
        states = []
    got = [s for s in got if s.status != "closed"]
    if not got:
        raise Refused(_("there are no open loans in {currency} to plan").format(currency=currency))
    for s in got:
        lid = s.loan.id or 0
        if lid not in starts:  # a live loan (a card), or no stored state: replayed
            state = s if isinstance(s, LoanState) else evaluate(s.loan, store.repayments(lid), today)
            states.append(state)
            if (start := start_of(state)) is not None:
                starts[lid] = start
    spent += paid_this_month(states, today)
    # what prepaying each debt saves, which the avalanche ranks by: not the contract's APR (payoff.saving_rate)
    aprs = {lid: saving_rate(start, today) for lid, start in starts.items()}
    order = [starts[s.loan.id or 0] for s in got if (s.loan.id or 0) in starts]
    needed = minimum_payments(got, today)
    chosen = STRATEGIES if strategy == "both" else (strategy,)
    overdue = overdue_payments(got)
    plans = {name: run(order, aprs, amount, name, today, spent=spent, needed=needed, overdue=overdue) for name in chosen}
    plans["schedule"] = run(order, aprs, amount, None, today, spent=spent)
    return plans
