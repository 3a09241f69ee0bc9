"""A credit card's terms and standing in sentences: limit, balance, the bill to pay, overdue, utilisation."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..i18n import _, ngettext
from ..models import Loan, LoanState
from ..money import fmt

if TYPE_CHECKING:
    from ..cards import CardState


def utilisation_warning(state: LoanState) -> str | None:
    """A card used above 70% of its limit: lenders read it on the credit report."""
    card = state.card
    if card is None or not card.over_warning_line:
        return None
    return _("{name} uses {pct}% of its limit: above 70%, lenders reading your credit report see a stretched borrower").format(
        name=state.loan.name, pct=(card.utilisation * 100).quantize(Decimal("0.1"))
    )


def card_terms_text(card: Loan) -> str:
    """A card's limit, bill and due days, daily rate, minimum payment and interest rule."""
    return _("Limit {limit} · bill day {bill} · due day {due} · {rate}%/day · minimum {min}% · interest: {rule}").format(
        limit=fmt(card.credit_limit or 0, card.currency, symbol=True),
        bill=card.bill_day,
        due=card.due_day,
        rate=card.quoted_rate,
        min=card.min_payment_rate,
        rule=_("on the whole bill") if card.card_interest == "full" else _("on the unpaid part"),
    )


def card_balance_text(cs: CardState) -> str:
    cur = cs.card.currency
    text = _("Balance {balance} · available {available} · {pct}% of the limit used").format(
        balance=fmt(cs.balance, cur, symbol=True),
        available=fmt(cs.available, cur, symbol=True),
        pct=(cs.utilisation * 100).quantize(Decimal("0.1")),
    )
    if cs.held:  # why the balance and the available credit do not add up to the limit
        text += " " + _("({amount} of instalments still to come holds part of the limit)").format(
            amount=fmt(cs.held, cur, symbol=True)
        )
    return text


def card_overdue_text(cs: CardState) -> str | None:
    """A bill's minimum left unpaid past its due date: what stops the late fees."""
    if not cs.overdue_amount:
        return None
    return ngettext(
        "Overdue {amount} ({days} day): pay at least this to stop the late fees",
        "Overdue {amount} ({days} days): pay at least this to stop the late fees",
        cs.days_overdue,
    ).format(amount=fmt(cs.overdue_amount, cs.card.currency, symbol=True), days=cs.days_overdue)


def card_next_due_text(cs: CardState) -> str | None:
    """The bill to pay next: in full to pay no interest, or at least the minimum."""
    b = cs.next_due
    if b is None:
        return None
    cur = cs.card.currency
    return _("Next due {date}: {full} in full (no interest), at least {minimum}").format(
        date=b.due_date.isoformat(),
        full=fmt(b.unpaid, cur, symbol=True),
        minimum=fmt(max(b.minimum - b.paid, 0), cur, symbol=True),
    )


def card_lines(state: LoanState) -> list[str]:
    """A card's terms and standing, for the loan screen: limit, use, the bill to pay."""
    cs = state.card
    if cs is None:
        return []
    lines = [card_terms_text(state.loan), card_balance_text(cs), card_next_due_text(cs)]
    warning = utilisation_warning(state)
    return [line for line in lines if line] + (["! " + warning] if warning else [])
