"""A loan as both faces show it: its rate, status, row in a list, page header, totals and payoff parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from msgspec import Struct

from ..i18n import _, ngettext
from ..models import KIND_LABELS, METHOD_LABELS, STATUS_LABELS, Loan, LoanState, LoanSummary, Payoff
from ..money import fmt, percent_str
from .cards import card_overdue_text
from .text import aside

if TYPE_CHECKING:
    from ..service.views import LoanView


def rate_text(loan: Loan, today: dt.date) -> str:
    """The rate as the lender states it: the one in force today, how it was quoted, how it is charged."""
    if loan.method == "flat-fee":
        return _("{rate}%/month fee").format(rate=percent_str(loan.fee_rate))
    now = loan.rate_on(today)
    text = f"{percent_str(now)}%"
    # the rate as quoted, while it is the one in force (after a rate change, the quote is the old rate's)
    quoted = loan.quoted_rate is not None and now == loan.annual_rate
    if loan.lpr_spread_bp is not None:
        text += aside(
            _("(5-year LPR {sign}{bp} bp)").format(sign="+" if loan.lpr_spread_bp >= 0 else "-", bp=abs(loan.lpr_spread_bp))
        )
    elif loan.rate_unit == "daily" and quoted:
        text += aside(_("({rate}%/day)").format(rate=loan.quoted_rate))
    elif loan.rate_unit == "monthly" and quoted:
        text += aside(_("({rate}%/month)").format(rate=loan.quoted_rate))
    if loan.interest_basis == "daily":
        text += ("" if text.endswith("）") else " ") + _("charged by the day")  # no space after a full-width parenthesis
    return text


def rate_history_text(loan: Loan) -> str | None:
    """'3.65% from 2024-06-15, 3.30% from 2025-01-01', or None for a rate that never changed."""
    if not loan.rate_changes:
        return None
    return _("Rate history: {history}").format(
        history=_(", ").join(
            _("{rate}% from {date}").format(rate=percent_str(rate), date=day.isoformat()) for day, rate in loan.rate_history
        )
    )


def penalty_text(state: LoanState) -> str | None:
    loan = state.loan
    if not loan.penalty_rate:
        return None
    return _("Penalty interest {rate}% a year on overdue amounts; accrued and unpaid: {amount}").format(
        rate=percent_str(loan.penalty_rate), amount=fmt(state.penalty_accrued, loan.currency, symbol=True)
    )


def status_text(status: str, days_overdue: int = 0) -> str:
    """A loan's status in words; an overdue one says for how long ("overdue 38d")."""
    label = _(STATUS_LABELS.get(status, status))
    if status == "overdue":
        label += " " + _("{days}d").format(days=days_overdue)
    return label


# the order of statuses in a list sorted by them: what needs doing first
_URGENCY = {status: n for n, status in enumerate(("overdue", "due", "partial", "minimum", "active", "paid", "closed"))}


class LoanRow(Struct, frozen=True):
    """One loan in a list of loans, as both faces show it: the cells as text, and what sorting and styling need."""

    id: int
    name: str
    lender: str
    outstanding: str  # with the currency's symbol
    apr: str  # "13.03%", or "-" when it cannot be worked out
    apr_warned: bool  # a rate warning applies: the faces mark the APR
    next_due: str  # the next installment's date, or "-"
    next_amount: str  # what it still needs, without a symbol, or "-"
    status: str  # the status key: active, overdue, closed
    status_text: str  # the status in words, with the days overdue
    outstanding_minor: int
    apr_value: Decimal | None
    days_overdue: int = 0

    def sort_key(self, column: str):
        """What a list sorted by ``column`` orders by: amounts and rates as numbers; no APR first, no next due last;
        statuses by urgency, the longest overdue first, then what is due, then the rest, closed last."""
        if column == "status":
            return _URGENCY.get(self.status, len(_URGENCY)), -self.days_overdue
        return {
            "id": self.id,
            "name": self.name,
            "lender": self.lender,
            "outstanding": self.outstanding_minor,
            "apr": self.apr_value if self.apr_value is not None else -1,
            "next_due": self.next_due if self.next_due != "-" else "9999",
            "status": self.status,
        }[column]

    def matches(self, needle: str) -> bool:
        """A filter's text (lower case) found in the name, the lender or the status, as a key or in words."""
        label = _(STATUS_LABELS.get(self.status, self.status))
        return needle in f"{self.name} {self.lender} {self.status} {label}".lower()


def loan_row(view: LoanView) -> LoanRow:
    st, cost = view.state, view.cost
    loan, nxt = st.loan, st.next_due
    return LoanRow(
        id=loan.id or 0,
        name=loan.name,
        lender=loan.lender,
        outstanding=fmt(st.outstanding_principal, loan.currency, symbol=True),
        apr="-" if cost.apr is None else f"{cost.apr}%",
        apr_warned=cost.apr is not None and bool(view.warnings),
        next_due=nxt.installment.due_date.isoformat() if nxt else "-",
        next_amount=fmt(nxt.unpaid, loan.currency) if nxt else "-",
        status=st.status,
        status_text=status_text(st.status, st.days_overdue),
        outstanding_minor=st.outstanding_principal,
        apr_value=cost.apr,
        days_overdue=st.days_overdue if st.status == "overdue" else 0,
    )


class LoanHeader(Struct, frozen=True):
    """What a loan's page says above its schedule, sentence by sentence; each face lays the sentences out."""

    name: str
    id: int
    lender: str
    kind: str  # the kind in words
    terms: str  # "equal installments, 3.10%, 360 months, from 2021-06-20; first due 2021-07-20"
    principal: str  # "Principal ¥20,000.00 · received ¥19,400.00"
    outstanding: str  # the outstanding principal with the currency's symbol
    status: str  # the status key
    status_text: str  # the status in words
    cost: str  # the true cost, or why it cannot be worked out
    overdue: str | None  # how much is overdue, since when
    next_due: str | None  # the next installment and what it still needs
    notes: tuple[str, ...]  # the rate history, penalty interest, automatic deduction, where they apply
    warnings: tuple[str, ...]  # the rate warnings


def loan_header(view: LoanView) -> LoanHeader:
    state, cost = view.state, view.cost
    loan, cur = state.loan, state.loan.currency
    term = _("{n} months").format(n=loan.term_months) if loan.term_months else _("no fixed term")
    terms = _("{method}, {rate}, {term}, from {start}; first due {first}").format(
        method=_(METHOD_LABELS[loan.method]),
        rate=rate_text(loan, state.today),
        term=term,
        start=loan.start_date.isoformat(),
        # the schedule's first installment's due date: a lump-sum loan's one installment is at the end, not a
        # month in (a prepayment's line, dated when it was paid, is no due date)
        first=next(
            (s.installment.due_date for s in state.schedule if s.installment.kind == "installment"), loan.first_due_date
        ).isoformat(),
    )
    principal = _("Principal {principal}").format(principal=fmt(loan.principal, cur, symbol=True))
    if loan.received_amount != loan.principal:
        principal += " · " + _("received {received}").format(received=fmt(loan.received_amount, cur, symbol=True))
    if cost.apr is not None:
        cost_text = _("True cost: APR {apr}% (EAR {ear}%)").format(apr=cost.apr, ear=cost.ear)
    else:
        cost_text = _("True cost: APR not available ({reason})").format(reason=cost.note)
    overdue = None
    if state.card is not None:
        overdue = card_overdue_text(state.card)
    elif state.overdue_amount:
        overdue = ngettext(
            "Overdue {amount} since {date} ({days} day)", "Overdue {amount} since {date} ({days} days)", state.days_overdue
        ).format(
            amount=fmt(state.overdue_amount, cur, symbol=True),
            date=state.overdue[0].installment.due_date.isoformat(),
            days=state.days_overdue,
        )
    nxt = state.next_due
    next_due = (
        _("Next due {date}: {amount}").format(date=nxt.installment.due_date.isoformat(), amount=fmt(nxt.unpaid, cur, symbol=True))
        if nxt
        else None
    )
    notes = tuple(t for t in (rate_history_text(loan), penalty_text(state), autopay_text(loan)) if t)
    return LoanHeader(
        name=loan.name,
        id=loan.id or 0,
        lender=loan.lender,
        kind=_(KIND_LABELS[loan.kind]),
        terms=terms,
        principal=principal,
        outstanding=fmt(state.outstanding_principal, cur, symbol=True),
        status=state.status,
        status_text=_(STATUS_LABELS[state.status]),
        cost=cost_text,
        overdue=overdue,
        next_due=next_due,
        notes=notes,
        warnings=tuple(w.message for w in view.warnings),
    )


def totals_by_currency(states: Iterable[LoanState | LoanSummary]) -> list[tuple[str, int]]:
    """The outstanding principal summed in each currency, the currencies in alphabetical order."""
    totals: dict[str, int] = {}
    for st in states:
        totals[st.loan.currency] = totals.get(st.loan.currency, 0) + st.outstanding_principal
    return sorted(totals.items())


def amounts_text(amounts: list[tuple[str, int]], sep: str) -> str:
    """Amounts in several currencies, each with its symbol: "¥1,152,147.31, $2,000.00"."""
    return sep.join(fmt(v, c, symbol=True) for c, v in amounts)


def overdue_line(state: LoanState | LoanSummary) -> str:
    """An overdue loan in a list of them: "网贷 Quick Cash: ¥3,671.96, 38 days"."""
    return ngettext("{name}: {amount}, {days} day", "{name}: {amount}, {days} days", state.days_overdue).format(
        name=state.loan.name, amount=fmt(state.overdue_amount, state.loan.currency, symbol=True), days=state.days_overdue
    )


def seq_text(seq: int | None) -> str:
    return "" if seq is None else str(seq)


def autopay_text(loan: Loan) -> str | None:
    """How an auto-debit loan is paid, and which deductions failed."""
    if not loan.autopay:
        return None
    text = (
        _("Repaid by automatic deduction from {account}.").format(account=loan.autopay_account)
        if loan.autopay_account
        else _("Repaid by automatic deduction.")
    )
    if loan.missed:
        text += " " + _("Failed deductions (installment numbers): {list}.").format(list=_(", ").join(str(n) for n in loan.missed))
    return text


def payoff_parts(quote: Payoff) -> list[tuple[str, int]]:
    return [
        (_("Principal"), quote.principal),
        (_("Interest"), quote.interest),
        (_("Fees"), quote.fees),
        (_("Penalty"), quote.penalty),
    ]
