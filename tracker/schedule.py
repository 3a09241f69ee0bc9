"""Repayment methods -> installments (pure).

Convention: each installment's interest is the balance before it times the monthly
rate (annual / 12), rounded half-up to the minor unit; the last installment pays
whatever principal remains, so principal parts always sum to the principal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

from .dates import add_months
from .errors import BadInput
from .i18n import _
from .models import Installment, Loan
from .money import round_half_up

# A schedule longer than this is a mistake (100 years of months), not a loan.
MAX_INSTALLMENTS = 1200
MAX_TERM_MONTHS = 600
# A revolving balance below this many major units is due in full: without a floor a
# percentage minimum never reaches zero.
REVOLVING_FLOOR_MAJOR = 100


def monthly_rate(annual_pct: Decimal) -> Decimal:
    """Nominal annual percent -> monthly fraction (annual / 12)."""
    with localcontext(prec=50):
        return annual_pct / Decimal(1200)


def annuity_payment(balance: int, rate: Decimal, count: int) -> int:
    """Level payment (minor units, half-up) that repays balance in count months at rate."""
    if count <= 0:
        raise ValueError("count must be positive")
    if rate == 0:
        return round_half_up(Decimal(balance) / count)
    with localcontext(prec=50):
        factor = (1 + rate) ** count
        return round_half_up(Decimal(balance) * rate * factor / (factor - 1))


@dataclass(frozen=True)
class Terms:
    """What generating the rest of a schedule needs; prepayments change payment/part."""

    method: str
    rate: Decimal  # monthly fraction
    anchor: dt.date  # month-slot k is due on anchor + (k + offset) months, clamped to the month's end
    offset: int = 0
    rate_exact: Fraction = Fraction(0)  # the monthly rate as an exact ratio (annual % / 1200)
    fee: int = 0  # per-installment fee (flat-fee)
    payment: int = 0  # level payment (equal-installment)
    part: int = 0  # principal part (equal-principal, flat-fee)
    min_rate: Decimal = Decimal(0)  # revolving minimum, fraction of the balance
    floor: int = 0  # revolving: below this the whole balance is due
    # bullet: interest already accrued (exact minor units) and months still to run
    accrued: Decimal = Decimal(0)
    months_left: int = 0

    def due(self, slot: int) -> dt.date:
        return add_months(self.anchor, slot + self.offset)


def initial_terms(loan: Loan) -> Terms:
    r = monthly_rate(loan.annual_rate)
    n = loan.term_months or 0
    fee = round_half_up(Decimal(loan.principal) * loan.fee_rate / 100) if loan.method == "flat-fee" else 0
    # A loan started on the 31st with the default first due date keeps its day: Feb 28, then Mar 31.
    if loan.first_due_date == add_months(loan.start_date, 1):
        anchor, offset = loan.start_date, 1
    else:
        anchor, offset = loan.first_due_date, 0
    terms = Terms(method=loan.method, rate=r, rate_exact=Fraction(loan.annual_rate) / 1200, anchor=anchor, offset=offset, fee=fee)
    if loan.method == "equal-installment":
        terms = replace(terms, payment=annuity_payment(loan.principal, r, n))
    elif loan.method in ("equal-principal", "flat-fee"):
        terms = replace(terms, part=round_half_up(Decimal(loan.principal) / n))
    elif loan.method == "revolving":
        from .money import exponent

        terms = replace(
            terms,
            min_rate=loan.min_payment_rate / 100,
            floor=REVOLVING_FLOOR_MAJOR * 10 ** exponent(loan.currency),
        )
    elif loan.method == "bullet":
        terms = replace(terms, months_left=n)
    return terms


def generate(terms: Terms, balance: int, first_slot: int, count: int | None, seq: int = 1) -> list[Installment]:
    """Installments repaying ``balance``, the first due at month-slot ``first_slot``.

    ``count`` fixes how many installments (the last absorbs rounding); None means
    "as many as the payment needs" (a shortened term after a prepayment).
    """
    method, r = terms.method, terms.rate
    out: list[Installment] = []
    if method == "bullet":
        with localcontext(prec=50):
            interest = round_half_up(terms.accrued + Decimal(max(balance, 0)) * r * terms.months_left)
        if balance <= 0 and interest <= 0:
            return out
        # a bullet's one installment stays at maturity: first_slot is that month; interest already
        # accrued stays owed even when a prepayment cleared the principal
        return [Installment(seq, terms.due(first_slot), max(balance, 0), interest)]
    if balance <= 0:
        return out
    # exact integer arithmetic on the rates as fractions: fast, and half-up without representation error
    rate_num, rate_den = (terms.rate_exact or Fraction(r)).as_integer_ratio()
    min_num, min_den = Fraction(terms.min_rate).as_integer_ratio()
    b = balance
    slot = first_slot
    while b > 0:
        if len(out) >= MAX_INSTALLMENTS:
            raise BadInput(_("the schedule would run for more than {n} months").format(n=MAX_INSTALLMENTS))
        interest = (2 * b * rate_num + rate_den) // (2 * rate_den)  # b x monthly rate, half-up, exact
        last = count is not None and len(out) == count - 1
        if method == "equal-installment":
            principal = terms.payment - interest
            if count is not None:
                principal = max(principal, 0)  # half a fen of rounding can leave a toy loan's first parts at zero
            elif principal >= b or b + interest <= terms.payment:
                last = True
            elif principal <= 0:
                raise BadInput(_("the payment does not cover the interest; the loan would never be repaid"))
        elif method in ("equal-principal", "flat-fee"):
            principal = terms.part
            if count is None and principal >= b:
                last = True
        elif method == "interest-only":
            principal = 0
        elif method == "revolving":
            principal = max((2 * b * min_num + min_den) // (2 * min_den), 1)
            if b <= terms.floor or principal >= b:
                last = True
        else:  # pragma: no cover - methods are validated on input
            raise BadInput(_("unknown repayment method {method!r}").format(method=method))
        if last:
            principal = b
        principal = min(principal, b)
        out.append(Installment(seq + len(out), terms.due(slot), principal, interest, terms.fee))
        b -= principal
        slot += 1
        if last:
            break
    return out


def month_slot(first_due: dt.date, due: dt.date) -> int:
    """Which month-slot a due date is in, counted from the first due date (days do not matter)."""
    return (due.year - first_due.year) * 12 + due.month - first_due.month


@lru_cache(maxsize=2048)
def build_schedule(loan: Loan) -> tuple[Installment, ...]:
    """The loan's original schedule, before any prepayment (cached: the ledger and the APR both need it)."""
    terms = initial_terms(loan)
    if loan.method == "revolving":
        return tuple(generate(terms, loan.principal, 0, None))
    if loan.method == "bullet":
        return tuple(generate(terms, loan.principal, (loan.term_months or 1) - 1, 1))
    return tuple(generate(terms, loan.principal, 0, loan.term_months))
