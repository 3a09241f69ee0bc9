"""What borrowing costs: an offer priced before it is taken (the `apr` calculator, the loan form's preview), and
payoff plans for the open loans with a monthly budget."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .. import lpr as lpr_table
from ..errors import BadInput, Refused
from ..i18n import _
from ..inputs import LoanInput, build_loan
from ..models import Loan
from ..money import check_currency, parse_amount
from ..payoff import STRATEGIES, Plan, minimum_payments, simulate
from ..rates import Cost, Warning, advertised_rate, loan_cost, rate_warnings
from ..schedule import build_schedule
from ..store import Store
from .views import loan_states, one_year_lpr, view


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


def other_currencies(store: Store, currency: str) -> list[str]:
    """The currencies of the loans a plan in ``currency`` leaves out."""
    return sorted({ln.currency for ln in store.loans()} - {currency})


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
