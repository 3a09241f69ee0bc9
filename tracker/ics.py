"""An iCalendar file of the credit-check plan and upcoming installments (stable UIDs: re-import updates)."""

from __future__ import annotations

import datetime as dt

from .i18n import _
from .models import LoanState
from .money import fmt

UID_DOMAIN = "debt-tracker"


def build_calendar(states: list[LoanState], check_rule: str, today: dt.date, months_ahead: int = 12) -> bytes:
    from dateutil.rrule import rrulestr
    from icalendar import Calendar, Event, vRecur

    cal = Calendar()
    cal.add("prodid", "-//debt-tracker//debt-tracker//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Debts"))
    stamp = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)

    plan = Event()
    plan.add("uid", f"credit-check-plan@{UID_DOMAIN}")
    plan.add("summary", _("Free credit report check (two free reports a year)"))
    plan.add(
        "description",
        _(
            "Check your credit report at the PBOC Credit Reference Center (ipcrs.pbccrc.org.cn), a bank app or a branch, then log it with 'debt credit-check log'."
        ),
    )
    # DTSTART must be the rule's first occurrence: anchor it on the rule's first date this year
    first = rrulestr(check_rule, dtstart=dt.datetime(today.year, 1, 1)).after(dt.datetime(today.year, 1, 1), inc=True)
    plan.add("dtstart", first.date() if first else dt.date(today.year, 1, 1))
    plan.add("dtstamp", stamp)
    plan.add("rrule", vRecur.from_ical(check_rule))
    cal.add_component(plan)

    horizon = today + dt.timedelta(days=31 * months_ahead)
    for st in states:
        loan = st.loan
        if st.card is not None and st.card.next_due is not None and st.card.next_due.due_date <= horizon:
            bill = st.card.next_due
            ev = Event()
            ev.add("uid", f"card-{loan.id}-{bill.due_date.isoformat()}@{UID_DOMAIN}")
            ev.add(
                "summary",
                _("{name}: pay the bill, {amount}").format(name=loan.name, amount=fmt(bill.unpaid, loan.currency, symbol=True)),
            )
            ev.add("dtstart", bill.due_date)
            ev.add("dtend", bill.due_date + dt.timedelta(days=1))
            ev.add("dtstamp", stamp)
            ev.add(
                "description",
                _("Paid in full by this day, the bill costs no interest; the minimum is {minimum}.").format(
                    minimum=fmt(bill.minimum, loan.currency, symbol=True)
                ),
            )
            cal.add_component(ev)
            continue
        for s in st.schedule:
            inst = s.installment
            if inst.kind != "installment" or s.unpaid <= 0 or not today <= inst.due_date <= horizon:
                continue
            ev = Event()
            # the due date and loan identify an installment across prepayments that renumber the schedule
            ev.add("uid", f"loan-{loan.id}-{inst.due_date.isoformat()}@{UID_DOMAIN}")
            amount = fmt(s.unpaid, loan.currency, symbol=True)
            if loan.autopay and inst.seq not in loan.missed:
                summary = _("{name}: automatic deduction of {amount}").format(name=loan.name, amount=amount)
            else:
                summary = _("{name}: pay {amount}").format(name=loan.name, amount=amount)
            ev.add("summary", summary)
            ev.add("dtstart", inst.due_date)
            ev.add("dtend", inst.due_date + dt.timedelta(days=1))
            ev.add("dtstamp", stamp)
            ev.add(
                "description",
                _("Installment {seq} of {name} ({lender}).").format(seq=inst.seq, name=loan.name, lender=loan.lender),
            )
            cal.add_component(ev)
    return cal.to_ical()
