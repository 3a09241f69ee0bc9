"""The dashboard's picture of the household on one day (pure composition of the use cases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from msgspec import Struct, field

from .. import reads
from ..audit import is_due, progress
from ..dti import Burden, MonthDTI, month_dti, month_end, month_start
from ..ledger import evaluate
from ..models import LoanState, LoanSummary
from ..present.cards import utilisation_warning
from ..present.loans import totals_by_currency
from ..reminders import CreditCheckPlan, Reminder, reminders
from ..store import Store
from .health import audit_interval, audit_items, check_plan
from .settings import current_settings
from .views import LoanView, loan_states, loan_views


class Dashboard(Struct, frozen=True):
    today: dt.date
    views: list[LoanView]
    outstanding: list[tuple[str, int]]  # by currency, in alphabetical order
    dti: MonthDTI
    caution: Decimal
    warn: Decimal
    top_payments: list[tuple[str, int]]
    overdue: list[LoanView]
    upcoming: list[Reminder]  # unpaid installments due in the next 30 days
    check: CreditCheckPlan
    audit_due: int
    audit_total: int
    forecast: list[tuple[dt.date, int]]  # scheduled principal left at each coming month's end (CNY)
    incomes: int
    card_warnings: list[str] = field(default_factory=list)  # cards used above 70% of their limit
    all_views: list[LoanView] = field(default_factory=list)  # every loan's, closed ones too (the loans list's)

    @property
    def empty(self) -> bool:
        return not self.views


def forecast(states: list[LoanState], today: dt.date, months: int = 24, currency: str = "CNY") -> list[tuple[dt.date, int]]:
    out = []
    states = [st for st in states if st.loan.currency == currency]
    for k in range(months + 1):
        end = month_end(month_start(today) + relativedelta(months=k))
        left = 0
        for st in states:
            if st.card is not None:
                left += max(st.card.balance, 0)  # a card has no schedule: its balance stays until paid
                continue
            left += sum(s.installment.principal - s.paid_principal for s in st.schedule if s.installment.due_date > end)
        out.append((end, left))
    return out


def dashboard(store: Store, today: dt.date) -> Dashboard:
    settings = current_settings(store)
    caution, warn = settings.dti_caution, settings.dti_warn
    every = loan_views(store, today)  # closed ones too: the loans list can show these (``all_views``)
    views = [v for v in every if v.state.status != "closed"]
    incomes = store.incomes()
    month = month_start(today)
    items = audit_items(store) if views or incomes else store.audit_items()
    interval = audit_interval(store)
    rule = settings.credit_check_rule
    loans = store.loans()
    read = reads.loan_dues(store, loans, today, today + dt.timedelta(days=30))
    summaries = [v.state for v in views]
    if read is not None and all(isinstance(s, LoanSummary) for s in summaries):
        # the stored state: each part is a query, whatever the length of the history
        dues, others = read
        cards = [evaluate(loan, store.repayments(loan.id or 0), today) for loan in others]
        due_soon = reminders(cards, [], [], today, within_days=30, check_rule=rule, dues=dues)
        burden: Burden = reads.burden_of(store, summaries, today)
        ahead = reads.forecast(store, summaries, today)
    else:
        states = loan_states(store, today, include_closed=False)
        due_soon = reminders(states, [], [], today, within_days=30, check_rule=rule)
        burden = Burden(states)
        ahead = forecast(states, today)
    return Dashboard(
        today=today,
        views=views,
        outstanding=totals_by_currency(v.state for v in views),
        dti=month_dti(burden, incomes, month, caution, warn),
        caution=caution,
        warn=warn,
        top_payments=[(item.loan.name, amount) for item, amount in burden.of(month)],
        overdue=[v for v in views if v.state.status == "overdue"],
        upcoming=[r for r in due_soon if r.kind in ("due", "deduction")],
        check=check_plan(store, today),
        audit_due=sum(1 for i in items if is_due(i, today, interval)),
        audit_total=progress(items, today, interval).total,  # the applicable ones, as the audit screen counts them
        forecast=ahead,
        incomes=len(incomes),
        card_warnings=[w for w in (utilisation_warning(v.state) for v in views) if w],
        all_views=every,
    )
