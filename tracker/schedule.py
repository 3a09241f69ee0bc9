"""Repayment methods -> installments (pure): what the lender charges for each period.

How interest is charged (the README's "How interest is charged" gives the sources):
- ``period`` basis (banks' amortising loans): a full monthly period charges balance x annual / 12;
  a broken period (an irregular first period, the rest of a period after a prepayment) charges
  balance x annual / 360 x actual days (日利率 = 年利率 / 360).
- ``daily`` basis (借呗, 微粒贷 and most platforms): every period charges balance x daily rate x
  actual days; the daily rate is the quoted one (a loan quoted daily: annual / 365), else annual / 360.
- A level payment is computed once per rate with the monthly rate (daily basis: daily x 365 / 12);
  each installment's principal part is that payment minus a regular month's interest, so an
  irregular period changes only its interest. A rate change recomputes the payment for the
  periods starting on or after it, over the installments left.
- Rounding: half-up to the minor unit per installment; the last takes the rest of the principal.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

from msgspec import Struct

from .dates import add_months
from .errors import BadInput
from .i18n import _
from .models import Installment, Loan
from .money import exponent, round_half_up

# A schedule longer than this is a mistake (100 years of months), not a loan.
MAX_INSTALLMENTS = 1200
MAX_TERM_MONTHS = 600
# A revolving balance below this many major units is due in full: without a floor a
# percentage minimum never reaches zero.
REVOLVING_FLOOR_MAJOR = 100


def half_up(value: Fraction) -> int:
    """An exact non-negative amount of minor units, rounded half-up."""
    num, den = value.numerator, value.denominator
    if num < 0:
        return -((2 * -num + den) // (2 * den))
    return (2 * num + den) // (2 * den)


def monthly_rate(annual_pct: Decimal) -> Decimal:
    """Nominal annual percent -> monthly fraction (annual / 12)."""
    with localcontext(prec=50):
        return annual_pct / Decimal(1200)


def daily_rate(loan: Loan, annual_pct: Decimal) -> Fraction:
    """The daily rate as a fraction: the quoted one for a daily-basis loan quoted daily, else annual / 360."""
    if loan.interest_basis == "daily" and loan.rate_unit == "daily":
        return Fraction(annual_pct) / 36500
    return Fraction(annual_pct) / 36000


def payment_rate(loan: Loan, annual_pct: Decimal) -> Fraction:
    """The monthly rate a level payment is computed with (daily basis: daily x 365 / 12)."""
    if loan.interest_basis == "daily":
        return daily_rate(loan, annual_pct) * 365 / 12
    return Fraction(annual_pct) / 1200


def annuity_payment(balance: int, rate: Decimal | Fraction, count: int) -> int:
    """Level payment (minor units, half-up) that repays balance in count months at rate."""
    if count <= 0:
        raise ValueError("count must be positive")
    if rate == 0:
        return half_up(Fraction(balance, count))
    with localcontext(prec=60):
        r = Decimal(rate.numerator) / Decimal(rate.denominator) if isinstance(rate, Fraction) else rate
        factor = (1 + r) ** count
        return round_half_up(Decimal(balance) * r * factor / (factor - 1))


def months_needed(balance: int, rate: Fraction, payment: int) -> int:
    """The fewest whole months whose level payment at ``rate`` is at most ``payment`` (a shortened term)."""
    if payment <= 0 or balance * rate >= payment:
        raise BadInput(_("the payment does not cover the interest; the loan would never be repaid"))
    if rate == 0:
        return -(-balance // payment)
    # the closed form n = -ln(1 - B r / P) / ln(1 + r) estimates the count; the exact payment decides it below
    with localcontext(prec=40):
        share = Decimal((balance * rate / payment).numerator) / Decimal((balance * rate / payment).denominator)
        monthly = Decimal(rate.numerator) / Decimal(rate.denominator)
        guess = -(1 - share).ln() / (1 + monthly).ln()
    n = max(1, math.ceil(guess - Decimal("1e-9")))
    while n > 1 and annuity_payment(balance, rate, n - 1) <= payment:
        n -= 1
    while annuity_payment(balance, rate, n) > payment:
        n += 1
    return n


class Grid(Struct, frozen=True):
    """Due dates: month-slot k is due on anchor + (k + offset) months, clamped to the month's end."""

    anchor: dt.date
    offset: int

    def due(self, slot: int) -> dt.date:
        day = add_months(self.anchor, slot + self.offset)
        return _DAYS.setdefault(day, day)


# One object per due date: loans share their due dates, and cached schedules hold hundreds of
# thousands of them (11 MB of 1,000 thirty-year schedules; a century has 36,525 days).
_DAYS: dict[dt.date, dt.date] = {}


@lru_cache(maxsize=8192)
def grid_of(loan: Loan) -> Grid:
    # a loan started on the 31st with the default first due date keeps its day: Feb 28, then Mar 31
    if loan.first_due_date == add_months(loan.start_date, 1):
        return Grid(loan.start_date, 1)
    return Grid(loan.first_due_date, 0)


def first_payment_date(loan: Loan) -> dt.date:
    """The day the first installment falls due: a bullet loan's one is at maturity (its first due date, or the
    term's last month counted from a first due date in the first month; see ``slot_of``)."""
    if loan.method != "bullet":
        return loan.first_due_date
    return grid_of(loan).due(slot_of(loan, 1))


def slot_of(loan: Loan, seq: int) -> int:
    """The month-slot of installment ``seq`` (a bullet's one installment is at maturity).

    A bullet loan's first due date is its maturity when it falls in the term's last month (as typed with
    --first-due); one in the first month, as the default first due date is, counts the term's months from it."""
    if loan.method != "bullet":
        return seq - 1
    term = loan.term_months or 1
    return 0 if month_slot(loan.start_date, loan.first_due_date) == term else term - 1


def accrue(loan: Loan, balance: int, start: dt.date, end: dt.date) -> Fraction:
    """Exact interest on ``balance`` from ``start`` to ``end`` (a bullet loan, or a payoff between due dates).

    Period basis: whole months from ``start`` at annual / 12, the days left at annual / 360;
    daily basis: every day at the daily rate. Each month (or day run) at the rate then in force.
    """
    if balance <= 0 or end <= start:
        return Fraction(0)
    total = Fraction(0)
    if loan.interest_basis == "daily":
        day = start
        bounds = [d for d, _r in loan.rate_changes if start < d < end] + [end]
        for bound in bounds:
            total += balance * daily_rate(loan, loan.rate_on(day)) * (bound - day).days
            day = bound
        return total
    months = 0
    while add_months(start, months + 1) <= end:
        total += balance * Fraction(loan.rate_on(add_months(start, months))) / 1200
        months += 1
    rest_from = add_months(start, months)
    return total + balance * daily_rate(loan, loan.rate_on(rest_from)) * (end - rest_from).days


def broken_interest(loan: Loan, balance: int, start: dt.date, end: dt.date) -> Fraction:
    """Interest for part of one period: actual days at the daily rate in force at ``start``."""
    if balance <= 0 or end <= start:
        return Fraction(0)
    return balance * daily_rate(loan, loan.rate_on(start)) * (end - start).days


def flat_fee(loan: Loan) -> int:
    return round_half_up(Decimal(loan.principal) * loan.fee_rate / 100) if loan.method == "flat-fee" else 0


def generate(loan: Loan, balance: int, seq: int, slot: int, start: dt.date, count: int, level: int = 0) -> list[Installment]:
    """Installments repaying ``balance`` over ``count`` month-slots from ``slot``, interest from ``start``.

    ``level`` is the level payment (equal-installment) or principal part (equal-principal,
    flat-fee) in force; a rate change recomputes the payment over the installments left.
    The schedule ends early if rounding repays the balance before ``count``.
    """
    method, grid = loan.method, grid_of(loan)
    if count > MAX_INSTALLMENTS:
        raise BadInput(_("the schedule would run for more than {n} months").format(n=MAX_INSTALLMENTS))
    if method == "bullet":
        due = grid.due(slot)
        if balance <= 0:
            return []
        return [Installment(seq, due, balance, half_up(accrue(loan, balance, start, due)), 0, start=start)]
    fee = flat_fee(loan)
    out: list[Installment] = []
    b = balance
    begin = start
    rate_then = loan.rate_on(start)
    ratios: dict[Decimal, tuple[int, int, int, int]] = {}
    period_basis = loan.interest_basis == "period"
    regular_start = grid.due(slot - 1)
    for j in range(count):
        if b <= 0:
            break
        due = grid.due(slot + j)
        annual = loan.rate_on(begin)
        if method == "equal-installment" and annual != rate_then:
            level = annuity_payment(b, payment_rate(loan, annual), count - j)
        rate_then = annual
        # exact integer arithmetic on the rates as ratios: fast, and half-up without representation error
        mn, md, dn, dd = ratios.get(annual) or ratios.setdefault(annual, _ratios(loan, annual))
        full = begin == regular_start
        month_interest = (2 * b * mn + md) // (2 * md)
        if period_basis and full:
            interest = month_interest
        else:
            interest = (2 * b * dn * (due - begin).days + dd) // (2 * dd)
        last = j == count - 1
        if last:
            principal = b
        elif method == "equal-installment":
            if full:
                regular = interest
            elif period_basis:
                regular = month_interest
            else:
                regular = (2 * b * dn * (due - regular_start).days + dd) // (2 * dd)
            principal = min(max(level - regular, 0), b)
        elif method in ("equal-principal", "flat-fee"):
            principal = min(level, b)
        else:  # interest-only
            principal = 0
        out.append(Installment(seq + j, due, principal, interest, fee, start=begin, level=level))
        b -= principal
        begin = regular_start = due
    return out


def _ratios(loan: Loan, annual: Decimal) -> tuple[int, int, int, int]:
    """(monthly numerator, denominator, daily numerator, denominator) of an annual percent."""
    monthly, daily = Fraction(annual) / 1200, daily_rate(loan, annual)
    return monthly.numerator, monthly.denominator, daily.numerator, daily.denominator


def generate_revolving(loan: Loan, balance: int, seq: int, slot: int, start: dt.date) -> list[Installment]:
    """A revolving balance: each month the minimum (a share of the balance) plus the period's interest,
    charged by the loan's basis as ``generate`` charges it (a full month at annual / 12 on the period
    basis; a broken period, and every period on the daily basis, by actual days at the daily rate)."""
    grid = grid_of(loan)
    min_num, min_den = Fraction(loan.min_payment_rate / 100).as_integer_ratio()
    floor = REVOLVING_FLOOR_MAJOR * 10 ** exponent(loan.currency)
    period_basis = loan.interest_basis == "period"
    out: list[Installment] = []
    b, begin, k = balance, start, slot
    regular_start = grid.due(slot - 1)
    while b > 0:
        if len(out) >= MAX_INSTALLMENTS:
            raise BadInput(_("the schedule would run for more than {n} months").format(n=MAX_INSTALLMENTS))
        due = grid.due(k)
        annual = loan.rate_on(begin)
        if period_basis and begin == regular_start:
            interest = half_up(b * Fraction(annual) / 1200)
        else:
            interest = half_up(b * daily_rate(loan, annual) * (due - begin).days)
        principal = max((2 * b * min_num + min_den) // (2 * min_den), 1)
        if b <= floor or principal >= b:
            principal = b
        out.append(Installment(seq + len(out), due, principal, interest, 0, start=begin))
        b -= principal
        begin = regular_start = due
        k += 1
    return out


def level_of(loan: Loan) -> int:
    """The level payment (equal-installment) or principal part (equal-principal, flat-fee) at the start."""
    n = loan.term_months or 1
    if loan.method == "equal-installment":
        return annuity_payment(loan.principal, payment_rate(loan, loan.annual_rate), n)
    if loan.method in ("equal-principal", "flat-fee"):
        return half_up(Fraction(loan.principal, n))
    return 0


def build_schedule(loan: Loan) -> tuple[Installment, ...]:
    """The loan's schedule as contracted, before any prepayment (cached by its terms: the ledger and the APR both need it)."""
    terms = loan.terms
    found = _SCHEDULES.get(terms)
    if found is None:
        found = _schedule(terms)
        if len(_SCHEDULES) >= SCHEDULES_KEPT:
            _SCHEDULES.pop(next(iter(_SCHEDULES), None), None)  # the oldest (the app's threads share the cache)
        _SCHEDULES[terms] = found
        if len(_TOTALS) >= SCHEDULES_KEPT:
            _TOTALS.pop(next(iter(_TOTALS), None), None)
        _TOTALS[terms] = sum(inst.total for inst in found)
    return found


def schedule_total(loan: Loan) -> int:
    """What the loan's whole schedule asks (principal, interest and fees), kept by its terms when its
    schedule is dropped (an import asks it of each loan after validating them all)."""
    total = _TOTALS.get(loan.terms)
    if total is None:
        total = sum(inst.total for inst in build_schedule(loan))
    return total


# The cache of schedules by terms: a dict, so that a pass over many loans can drop each one's
# schedule when it is done with it (a thirty-year schedule holds 360 installments, about 66 MB
# for 1,000 of them).
SCHEDULES_KEPT = 4096
_SCHEDULES: dict[Loan, tuple[Installment, ...]] = {}
_TOTALS: dict[Loan, int] = {}  # their totals (schedule_total), which forget_schedule keeps


def forget_schedule(loan: Loan) -> None:
    """Drop one loan's cached schedule (a pass that visits each loan once keeps its memory flat)."""
    _SCHEDULES.pop(loan.terms, None)


def _schedule(loan: Loan) -> tuple[Installment, ...]:
    if loan.method == "card":
        return ()  # a card has bills, not a schedule (cards.py)
    if loan.method == "revolving":
        return tuple(generate_revolving(loan, loan.principal, 1, 0, loan.start_date))
    n = loan.term_months or 1
    slot = slot_of(loan, 1)
    return tuple(generate(loan, loan.principal, 1, slot, loan.start_date, 1 if loan.method == "bullet" else n, level_of(loan)))


def month_slot(first_due: dt.date, due: dt.date) -> int:
    """Which month-slot a due date is in, counted from the first due date (days do not matter)."""
    return (due.year - first_due.year) * 12 + due.month - first_due.month
