"""What needs attention on a given day: dues, overdue installments, credit checks, audit items (pure).

`today` is always passed in; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt

from msgspec import Struct

from .audit import DEFAULT_INTERVAL_DAYS, is_due, localised
from .i18n import _, ngettext
from .models import AuditItem, CreditCheck, Installment, Loan, LoanState
from .money import fmt

DEFAULT_CHECK_RULE = "FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=15"
FREE_CHECKS_PER_YEAR = 2


class CreditCheckPlan(Struct, frozen=True):
    """Whether a free credit-report check is due now, or when the next one is, and why."""

    due: bool
    date: dt.date  # the reminder date now due, or the next one
    reason: str


class Reminder(Struct, frozen=True):
    """One line of `debt remind`: something due, overdue or to do, on a day."""

    kind: str  # due, deduction (auto-debit: money to keep in the account), overdue, credit-check, audit
    date: dt.date
    title: str
    loan_id: int | None = None
    amount: int | None = None
    currency: str | None = None
    days_overdue: int | None = None
    item_id: int | None = None
    account: str | None = None  # a deduction: the account to keep the money in
    installments: int | None = None  # overdue: how many installments the line stands for


def _half(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


def _reminder_in(rule: str, start: dt.date, end: dt.date) -> dt.date:
    """The rule's first date inside [start, end]; the period's first day when the rule has none there."""
    from dateutil.rrule import rrulestr  # only the reminders read it

    first = rrulestr(rule, dtstart=dt.datetime(start.year, 1, 1)).after(dt.datetime.combine(start, dt.time()), inc=True)
    return first.date() if first and first.date() <= end else start


def credit_check_plan(checks: list[CreditCheck], today: dt.date, rule: str = DEFAULT_CHECK_RULE) -> CreditCheckPlan:
    """One free check in each half of the year, reminded on the rule's date in that half."""
    this_year = [c for c in checks if c.date.year == today.year]
    next_year = dt.date(today.year + 1, 1, 1)
    if len(this_year) >= FREE_CHECKS_PER_YEAR:
        return CreditCheckPlan(
            False,
            next_year,
            _("both free checks of {year} are used; the next free check is from 1 January").format(year=today.year),
        )
    start, end = _half(today)
    reminder = _reminder_in(rule, start, end)
    if any(start <= c.date <= end for c in checks):
        nxt_start = end + dt.timedelta(days=1)
        nxt = _reminder_in(rule, nxt_start, _half(nxt_start)[1])
        return CreditCheckPlan(
            False, nxt, _("this half-year's check is logged; the next is due from {date}").format(date=nxt.isoformat())
        )
    if today >= reminder:
        left = FREE_CHECKS_PER_YEAR - len(this_year)
        return CreditCheckPlan(
            True,
            reminder,
            ngettext(
                "no credit report checked this half-year; {n} free check left in {year}",
                "no credit report checked this half-year; {n} free checks left in {year}",
                left,
            ).format(n=left, year=today.year),
        )
    return CreditCheckPlan(False, reminder, _("the next free check is due from {date}").format(date=reminder.isoformat()))


def deduction_title(loan: Loan, amount: int, inst: Installment) -> str:
    """An auto-debit installment is money to keep in the account, not a payment to make."""
    values = {
        "name": loan.name,
        "amount": fmt(amount, loan.currency, symbol=True),
        "account": loan.autopay_account,
        "date": inst.due_date.isoformat(),
        "seq": inst.seq,
    }
    # a card's instalment plan: charged to the card, paid with its bill (no money is "kept" on a card)
    if loan.card_id is not None:
        return _("{name}: {amount} is charged to {account} on {date}, to pay with its bill (instalment {seq})").format(**values)
    if loan.autopay_account:
        return _("{name}: keep {amount} in {account} by {date} (automatic deduction, installment {seq})").format(**values)
    return _("{name}: keep {amount} in the debited account by {date} (automatic deduction, installment {seq})").format(**values)


def card_reminders(st: LoanState, horizon: dt.date) -> list[Reminder]:
    """A card: its bill's due date with the full amount (no interest) and the minimum; or its overdue minimum."""
    card, loan = st.card, st.loan
    if card.overdue_amount:
        past = st.overdue[0].installment
        title = ngettext(
            "{name}: the bill's minimum is overdue {days} day",
            "{name}: the bill's minimum is overdue {days} days",
            card.days_overdue,
        ).format(name=loan.name, days=card.days_overdue)
        return [Reminder("overdue", past.due_date, title, loan.id, card.overdue_amount, loan.currency, card.days_overdue)]
    bill = card.next_due
    if bill is None or bill.due_date > horizon:
        return []
    title = _("{name}: bill due, {full} in full (no interest) or at least {minimum}").format(
        name=loan.name,
        full=fmt(bill.unpaid, loan.currency, symbol=True),
        minimum=fmt(max(bill.minimum - bill.paid, 0), loan.currency, symbol=True),
    )
    return [Reminder("due", bill.due_date, title, loan.id, bill.unpaid, loan.currency)]


class LoanDue(Struct, frozen=True):
    """What a loan's reminders are made of: its overdue installments in sum, its coming ones in full.

    Built from a LoanState (``of``) or read from the stored state with SQL (reads.py).
    """

    loan: Loan
    first_late: Installment | None = None  # the oldest overdue installment
    late_count: int = 0
    late_owed: int = 0  # what the overdue installments still need, penalty interest included
    upcoming: tuple[tuple[Installment, int], ...] = ()  # (installment, unpaid) due from today to the horizon

    @classmethod
    def of(cls, st: LoanState, horizon: dt.date) -> LoanDue:
        late = [s for s in st.schedule if s.unpaid > 0 and s.installment.kind == "installment" and s.status == "overdue"]
        upcoming = tuple(
            (s.installment, s.unpaid)
            for s in st.schedule
            if s.unpaid > 0
            and s.installment.kind == "installment"
            and s.status != "overdue"
            and s.installment.due_date <= horizon
        )
        return cls(
            st.loan,
            late[0].installment if late else None,
            len(late),
            sum(s.unpaid + s.penalty - s.paid_penalty for s in late),  # penalty interest runs on them too
            upcoming,
        )


def _overdue_reminder(due: LoanDue, today: dt.date) -> Reminder:
    """One line per loan, however many installments are overdue: the oldest date, how many, what is owed in all."""
    loan, first = due.loan, due.first_late
    assert first is not None
    days = (today - first.due_date).days
    if due.late_count == 1:
        title = ngettext(
            "{name}: installment {seq} overdue {days} day", "{name}: installment {seq} overdue {days} days", days
        ).format(name=loan.name, seq=first.seq, days=days)
    else:
        title = _("{name}: {n} installments overdue, the oldest {days} days").format(name=loan.name, n=due.late_count, days=days)
    return Reminder("overdue", first.due_date, title, loan.id, due.late_owed, loan.currency, days, installments=due.late_count)


def loan_reminders(due: LoanDue, today: dt.date) -> list[Reminder]:
    """A loan's overdue line and its installments (or automatic deductions) coming up."""
    loan = due.loan
    out = [_overdue_reminder(due, today)] if due.first_late is not None else []
    for inst, unpaid in due.upcoming:
        if loan.autopay and inst.seq not in loan.missed:
            out.append(
                Reminder(
                    "deduction",
                    inst.due_date,
                    deduction_title(loan, unpaid, inst),
                    loan.id,
                    unpaid,
                    loan.currency,
                    account=loan.autopay_account,
                )
            )
        else:
            title = _("{name}: installment {seq} due").format(name=loan.name, seq=inst.seq)
            out.append(Reminder("due", inst.due_date, title, loan.id, unpaid, loan.currency))
    return out


def reminders(
    states: list[LoanState],
    checks: list[CreditCheck],
    audit_items: list[AuditItem],
    today: dt.date,
    *,
    within_days: int = 7,
    check_rule: str = DEFAULT_CHECK_RULE,
    audit_interval_days: int = DEFAULT_INTERVAL_DAYS,
    dues: list[LoanDue] | None = None,
) -> list[Reminder]:
    """Everything needing attention, soonest first: overdue and upcoming installments, a due check, audit items.

    ``dues`` are loans already read as LoanDue (from the stored state); ``states`` the rest.
    """
    out: list[Reminder] = []
    horizon = today + dt.timedelta(days=within_days)
    for st in states:
        if st.card is not None:
            out.extend(card_reminders(st, horizon))
        else:
            out.extend(loan_reminders(LoanDue.of(st, horizon), today))
    for due in dues or ():
        out.extend(loan_reminders(due, today))
    plan = credit_check_plan(checks, today, check_rule)
    if plan.due:
        title = (
            _("Free credit report check due since {date}: {reason}").format(date=plan.date.isoformat(), reason=plan.reason)
            if plan.date < today  # a day gone by, on a line of things to do: said as such
            else _("Free credit report check due: {reason}").format(reason=plan.reason)
        )
        out.append(Reminder("credit-check", plan.date, title))
    for item in audit_items:
        if is_due(item, today, audit_interval_days):
            shown = localised(item)
            when = item.last_done + dt.timedelta(days=audit_interval_days) if item.last_done else today
            out.append(
                Reminder(
                    "audit",
                    when,
                    _("Check {app}: {permission}").format(app=shown.app, permission=shown.permission),
                    item_id=item.id,
                )
            )
    order = {"overdue": 0, "due": 1, "deduction": 1, "credit-check": 2, "audit": 3}
    return sorted(out, key=lambda r: (r.date, order[r.kind], r.loan_id or 0, r.item_id or 0))
