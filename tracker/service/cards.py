"""Credit cards: add one, record its bills, move a bill into instalments, convert a revolving loan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from msgspec.structs import replace

from ..cards import Bill, due_date, last_bill_date, next_bill_date
from ..dates import parse_date
from ..errors import BadInput, Refused
from ..i18n import _
from ..inputs import MAX_TEXT, CardInput, LoanInput, build_card, build_loan, clean_text
from ..ledger import evaluate, payoff_quote
from ..models import Loan, LoanState
from ..money import fmt, parse_amount, to_str
from ..store import Store
from .loans import add_loan
from .views import loan_state


def add_card(store: Store, card: Loan, today: dt.date) -> LoanState:
    saved = store.add_loan(card)
    return evaluate(saved, [], today)


def get_card(store: Store, card_id: int) -> Loan:
    card = store.get_loan(card_id)
    if not card.is_card:
        if card.method == "revolving":  # a card kept as a revolving balance: it can become one
            raise Refused(
                _("loan {id} is not a credit card (make it one with 'debt card add --from-loan {id} ...')").format(id=card_id)
            )
        raise Refused(_("loan {id} is not a credit card (see 'debt loan show {id}')").format(id=card_id))
    return card


def edit_card(store: Store, card_id: int, data: CardInput, today: dt.date) -> LoanState:
    """Change a card's terms (the fields not given keep theirs); its bills are judged again."""
    with store.write():
        base = get_card(store, card_id)
        store.update_loan(build_card(data, today, base))
    return loan_state(store, card_id, today)


def record_bill(
    store: Store,
    card_id: int,
    amount: str | int,
    today: dt.date,
    *,
    date: str | None = None,
    minimum: str | None = None,
    replace_existing: bool = False,
) -> LoanState:
    """Record a bill (本期应还); ``replace_existing`` corrects the bill of the same date."""
    with store.write():
        card = get_card(store, card_id)
        # by default the bill a person has in hand: the latest bill day (what the app's form proposes too)
        day = parse_date(date, _("bill date")) if date is not None else last_bill_date(card, today)
        if day > today:
            raise BadInput(
                _("the bill date {date} is after today ({today})").format(date=day.isoformat(), today=today.isoformat())
            )
        # a bill of nothing owed is a bill too: a month without spending prints 本期应还 0.00
        value = amount if isinstance(amount, int) else parse_amount(amount, card.currency, what=_("bill amount"), allow_zero=True)
        least = parse_amount(minimum, card.currency, what=_("minimum payment"), allow_zero=True) if minimum else None
        if least is not None and least > value:
            raise BadInput(_("the minimum payment cannot be more than the bill"))
        existing = next((b for b in card.bills if b.date == day), None)
        bill = Bill(card_id, day, value, least)
        if existing is not None:
            if not replace_existing:
                raise Refused(
                    _("card {id} already has a bill dated {date} ({amount}); correct it with --replace").format(
                        id=card_id, date=day.isoformat(), amount=fmt(existing.amount, card.currency, symbol=True)
                    )
                )
            if value < existing.moved:
                raise Refused(_("the bill cannot be less than the instalments made from it"))
            store.replace_bill(bill)
        else:
            store.add_bill(bill)
        if day < card.start_date:
            store.update_loan(replace(store.get_loan(card_id), start_date=day, first_due_date=due_date(card, day)))
    return loan_state(store, card_id, today)


def card_instalment(
    store: Store, card_id: int, bill_date: str, amount: str, term: str | int, fee_rate: str, today: dt.date
) -> tuple[LoanState, LoanState]:
    """Move part of a bill into an instalment loan (账单分期): (the card, the new flat-fee loan).

    The instalments are billed on the card and paid with it, so the new loan is repaid by the
    card (auto-debit from it): its installments count as paid on their due dates.
    """
    with store.write():
        card = get_card(store, card_id)
        day = parse_date(bill_date, _("bill date"))
        bill = next((b for b in card.bills if b.date == day), None)
        if bill is None:
            raise Refused(_("card {id} has no bill dated {date}").format(id=card_id, date=day.isoformat()))
        value = parse_amount(amount, card.currency, what=_("instalment amount"))
        if value > bill.owed:
            raise Refused(
                _("{amount} is more than what is left of the bill ({owed})").format(
                    amount=fmt(value, card.currency, symbol=True), owed=fmt(bill.owed, card.currency, symbol=True)
                )
            )
        first = due_date(card, next_bill_date(card, day))
        loan = build_loan(
            LoanInput(
                name=_("{card} instalments of {date}").format(card=card.name, date=day.isoformat()),
                lender=card.lender,
                principal=to_str(value, card.currency),
                term=term,
                method="flat-fee",
                fee_rate=fee_rate,
                start=day.isoformat(),
                first_due=first.isoformat(),
                currency=card.currency,
                kind="credit-card",
                autopay=True,
                autopay_account=clean_text(_("card {name}").format(name=card.name), _("account"), limit=MAX_TEXT),
            ),
            None,
            store.fixings(),
        )
        state = add_loan(store, replace(loan, card_id=card_id, card_bill_date=day), today)
    return loan_state(store, card_id, today), loan_state(store, state.loan.id or 0, today)


def card_from_loan(store: Store, loan_id: int, data: CardInput, today: dt.date) -> LoanState:
    """Make a revolving loan a card: same id and repayments; what it owes becomes its latest bill."""
    with store.write():
        loan = store.get_loan(loan_id)
        if loan.method != "revolving":
            raise Refused(_("loan {id} is not a revolving balance; only those become cards").format(id=loan_id))
        repayments = store.repayments(loan_id)
        filled = replace(
            data,
            name=data.name if data.name is not None else loan.name,
            lender=data.lender if data.lender is not None else loan.lender,
            currency=loan.currency,
            start=data.start or loan.start_date.isoformat(),
            notes=data.notes if data.notes is not None else loan.notes,
        )
        if filled.daily_rate is None:
            filled = replace(filled, daily_rate=str((loan.annual_rate / 365).quantize(Decimal("0.0001"))))
        if filled.min_rate is None:
            filled = replace(filled, min_rate=str(loan.min_payment_rate))
        card = replace(build_card(filled, today), id=loan.id, uid=loan.uid)
        # the bill on the last bill day up to today carries what was owed that day
        day = next_bill_date(card, today - dt.timedelta(days=40))
        while next_bill_date(card, day) <= today:
            day = next_bill_date(card, day)
        day = max(day, loan.start_date)
        owed = payoff_quote(loan, [r for r in repayments if r.date <= day], day).total
        store.update_loan(card)
        if owed > 0:
            store.add_bill(Bill(loan_id, day, owed))
    return loan_state(store, loan_id, today)


def card_view(state: LoanState) -> dict:
    """``card show --json``: the card's terms, its bills judged, balance, available credit, utilisation."""
    card, cs = state.loan, state.card
    cur = card.currency
    return {
        "id": card.id,
        "name": card.name,
        "lender": card.lender,
        "currency": cur,
        "limit": to_str(card.credit_limit or 0, cur),
        "bill_day": card.bill_day,
        "due_day": card.due_day,
        "daily_rate": str(card.quoted_rate),
        "min_rate": str(card.min_payment_rate),
        "interest": card.card_interest,
        "late_fee_rate": str(card.late_fee_rate),
        "balance": to_str(cs.balance, cur),
        "available": to_str(cs.available, cur),
        "utilisation": str(cs.utilisation),
        "instalments_held": to_str(cs.held, cur),  # instalment principal still to come, inside the limit
        "status": state.status,
        "overdue_amount": to_str(cs.overdue_amount, cur),
        "days_overdue": cs.days_overdue,
        "bills": [
            {
                "id": b.bill.id,
                "date": b.bill.date.isoformat(),
                "due_date": b.due_date.isoformat(),
                "amount": to_str(b.bill.owed, cur),
                "billed": to_str(b.bill.amount, cur),
                "instalments": to_str(b.bill.moved, cur),
                "minimum": to_str(b.minimum, cur),
                "paid": to_str(b.paid, cur),
                "status": b.status,
                "interest_estimate": to_str(b.interest_estimate, cur),
                "late_fee": to_str(b.late_fee, cur),
                "days_late": b.days_late,
            }
            for b in cs.bills
        ],
    }


def delete_bill(store: Store, bill_id: int, yes: bool, confirm) -> tuple[Bill, Loan]:
    """Delete a bill typed by mistake, after ``confirm(question)``; not one with instalments made from it."""
    bill = next((b for b in store.all_bills() if b.id == bill_id), None)
    if bill is None:
        raise Refused(_("no bill with id {id}").format(id=bill_id))
    card = store.get_loan(bill.card_id)
    if bill.moved:
        raise Refused(
            _("the bill of {date} has instalments made from it; delete those loans first").format(date=bill.date.isoformat())
        )
    confirm(
        _("Delete the bill of {date} ({amount}) from card {id} '{name}'?").format(
            date=bill.date.isoformat(), amount=fmt(bill.amount, card.currency, symbol=True), id=card.id, name=card.name
        )
    )
    store.delete_bill(bill_id)
    return bill, card
