"""Credit cards: add one, record its bills, move a bill into instalments, convert a revolving loan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from .cards import CARD_INTEREST, CARD_METHOD, Bill, due_date, next_bill_date
from .dates import parse_date
from .errors import BadInput, Refused
from .i18n import _
from .ledger import evaluate, payoff_quote
from .models import Loan, LoanState
from .money import check_currency, fmt, parse_amount, parse_percent, to_str
from .service import MAX_NOTE, MAX_TEXT, LoanInput, add_loan, build_loan, clean_text, loan_state
from .store import Store

DEFAULT_DAILY_RATE = "0.05"  # percent a day: the ceiling PBOC 银发〔2016〕111号 set, still most issuers' rate
DEFAULT_LATE_FEE_RATE = "5"  # percent of the unpaid minimum (违约金)


@dataclass
class CardInput:
    """A card as typed (strings, None when not given)."""

    name: str | None = None
    lender: str | None = None
    limit: str | None = None
    bill_day: str | int | None = None
    due_day: str | int | None = None
    daily_rate: str | None = None
    min_rate: str | None = None
    interest: str | None = None
    late_fee_rate: str | None = None
    currency: str | None = None
    start: str | None = None
    notes: str | None = None


def _day(value: str | int, what: str) -> int:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 31:
        raise BadInput(_("{what} must be a day of the month, 1 to 31").format(what=what))
    return int(text)


def build_card(data: CardInput, today: dt.date, base: Loan | None = None) -> Loan:
    """Validate typed fields into a card (a Loan of method "card"); with ``base``, unspecified ones are kept."""
    currency = check_currency(data.currency) if data.currency is not None else (base.currency if base else "CNY")
    name = clean_text(data.name, _("name"), required=True) if data.name is not None or base is None else base.name
    lender = clean_text(data.lender, _("lender"), required=True) if data.lender is not None or base is None else base.lender
    if data.limit is not None:
        limit = parse_amount(data.limit, currency, what=_("credit limit"))
    elif base is not None and base.credit_limit:
        limit = base.credit_limit
    else:
        raise BadInput(_("give the card's credit limit with --limit"))
    bill_day = _day(data.bill_day, "--bill-day") if data.bill_day is not None else (base.bill_day if base else None)
    due_day = _day(data.due_day, "--due-day") if data.due_day is not None else (base.due_day if base else None)
    if bill_day is None:
        raise BadInput(_("give the day the bill is made with --bill-day"))
    if due_day is None:
        raise BadInput(_("give the day the bill is due with --due-day"))
    if data.daily_rate is not None or base is None:
        daily = parse_percent(data.daily_rate or DEFAULT_DAILY_RATE, _("daily rate"), maximum=Decimal(1))
    else:
        daily = base.quoted_rate if base.quoted_rate is not None else base.annual_rate / 365
    if data.min_rate is not None:
        min_rate = parse_percent(data.min_rate, _("minimum payment rate"), allow_zero=False, maximum=Decimal(100))
    else:
        min_rate = base.min_payment_rate if base else Decimal(10)
    interest = data.interest if data.interest is not None else (base.card_interest if base else "full")
    if interest not in CARD_INTEREST:
        raise BadInput(
            _("unknown interest rule {value!r}; choose one of: {choices}").format(
                value=interest, choices=", ".join(CARD_INTEREST)
            )
        )
    if data.late_fee_rate is not None or base is None:
        late = parse_percent(data.late_fee_rate or DEFAULT_LATE_FEE_RATE, _("late fee rate"), maximum=Decimal(100))
    else:
        late = base.late_fee_rate
    start = parse_date(data.start, _("start date")) if data.start is not None else (base.start_date if base else today)
    notes = clean_text(data.notes, _("notes"), limit=MAX_NOTE) if data.notes is not None else (base.notes if base else "")
    card = Loan(
        id=base.id if base else None,
        uid=base.uid if base else None,
        name=name,
        lender=lender,
        method=CARD_METHOD,
        kind="credit-card",
        currency=currency,
        principal=limit,  # the row's principal is the limit: a card borrows up to it
        annual_rate=daily * 365,
        rate_unit="daily",
        quoted_rate=daily,
        min_payment_rate=min_rate,
        start_date=start,
        first_due_date=start,
        notes=notes,
        credit_limit=limit,
        bill_day=bill_day,
        due_day=due_day,
        card_interest=interest,
        late_fee_rate=late,
        bills=base.bills if base else (),
    )
    return replace(card, first_due_date=due_date(card, start))


def add_card(store: Store, card: Loan, today: dt.date) -> LoanState:
    saved = store.add_loan(card)
    return evaluate(saved, [], today)


def get_card(store: Store, card_id: int) -> Loan:
    card = store.get_loan(card_id)
    if not card.is_card:
        raise Refused(
            _("loan {id} is not a credit card (make it one with 'debt card add --from-loan {id} ...')").format(id=card_id)
        )
    return card


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
        day = parse_date(date, _("bill date")) if date is not None else today
        if day > today:
            raise BadInput(
                _("the bill date {date} is after today ({today})").format(date=day.isoformat(), today=today.isoformat())
            )
        value = amount if isinstance(amount, int) else parse_amount(amount, card.currency, what=_("bill amount"))
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
