"""True cost of credit: IRR-based APR and EAR, rate conversions, rate warnings (pure).

APR = monthly IRR of the real cash flows (amount received against scheduled payments) x 12,
the method China's 2021 APR-disclosure rule names for instalment loans; EAR = (1 + i)^12 - 1.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from msgspec import Struct

from .dates import add_months
from .i18n import N_, _
from .models import Installment, Loan
from .schedule import build_schedule

DEFAULT_LPR = Decimal("3.0")  # one-year LPR since 2025-05-20 (PBOC), unchanged through Feb 2026
TWO = Decimal("0.01")
_HI_RATE = 1000.0  # monthly rates above 100,000% a month are not a loan


class Cost(Struct, frozen=True):
    """APR and EAR in percent (rounded half-up to 2 places) or None with a reason.

    ``reason`` is the untranslated message (it is stored, and the language may change since);
    ``note`` is what a person reads.
    """

    apr: Decimal | None
    ear: Decimal | None
    monthly_irr: Decimal | None = None
    reason: str = ""

    @property
    def note(self) -> str:
        return _(self.reason) if self.reason else ""


class Warning(Struct, frozen=True):
    """A warning about a loan's cost: a stable code for programs and the message for people."""

    code: str
    message: str


Period = tuple[int, int, int]  # whole months from the start, days beyond them, the payment


def _periods(start: dt.date, installments: list[Installment]) -> list[Period]:
    """(whole months from start, days beyond them, amount) for each payment; a part month counts by days / 30."""
    out = []
    for inst in installments:
        due = inst.due_date
        whole = (due.year - start.year) * 12 + due.month - start.month
        if due.day < start.day and add_months(start, whole) > due:
            whole -= 1
        days = (due - add_months(start, whole)).days if due.day != start.day else 0
        out.append((whole, days, inst.total))
    return out


def _exact(periods: list[Period]) -> list[tuple[Decimal, int]]:
    """(months as an exact decimal, amount): what the exact NPV is summed over."""
    return [(Decimal(whole) + Decimal(days) / 30 if days else Decimal(whole), amount) for whole, days, amount in periods]


def _shares(received: int, periods: list[Period]) -> list[tuple[float, float]]:
    """(months, the payment as a share of what was received): the rate search's weights. Neither
    is money: dividing the NPV by what was received keeps its sign and its Newton steps."""
    return [(whole + days / 30, amount / received) for whole, days, amount in periods]


def _npv(rate: float, flows: list[tuple[float, float]]) -> float:
    """NPV of the loan at a monthly rate, per unit received: 1 minus the discounted shares (-inf on overflow)."""
    return _npv_slope(rate, flows)[0]


def _npv_slope(rate: float, flows: list[tuple[float, float]]) -> tuple[float, float]:
    """The NPV per unit received and its derivative by the rate, in one pass (-inf and 0 on overflow).

    Binary floats for rate solving only, over months and shares (``_shares``): the NPV's sign and
    slope steer the search, no amount anyone sees comes from here (the APR's rounding line is
    settled exactly by ``_npv_exact`` on the amounts themselves).
    """
    log_base = math.log1p(rate)
    total = 1.0
    slope = 0.0
    exp = math.exp
    for t, share in flows:
        exponent = -t * log_base
        if exponent > 700:
            return -math.inf, 0.0
        discounted = share * exp(exponent)
        total -= discounted
        slope += t * discounted
    return total, slope / (1 + rate)


def _npv_exact(rate: Decimal, received: int, flows: list[tuple[Decimal, int]]) -> Decimal:
    """The same NPV in 60-digit decimals, to settle which side of a rounding line the root is on."""
    with localcontext(prec=60):
        base = 1 + rate
        total = Decimal(received)
        for t, amount in flows:
            total -= Decimal(amount) / (base ** int(t) if t == t.to_integral_value() else base**t)
        return total


def _bracket(received: int, flows: list[tuple[float, float]], total: int, guess: float = 0.0) -> tuple[float, float] | None:
    """Rates (lo, hi) with NPV(lo) < 0 < NPV(hi); NPV rises with the rate for a loan's flows.

    ``guess`` (the nominal monthly rate) starts the search just above it: most loans' IRR is near it.
    """
    if total > received:
        lo, hi = 0.0, (guess * 1.05 + 1e-9 if 0 < guess < _HI_RATE else 0.01)
        while _npv(hi, flows) <= 0:
            lo, hi = hi, hi * 2
            if hi > _HI_RATE:
                return None
        return lo, hi
    lo, hi = -0.01, 0.0
    while _npv(lo, flows) >= 0:
        hi, lo = lo, -1 + (1 + lo) / 2
        if lo < -0.999999:
            return None
    return lo, hi


def _solve(received: int, flows: list[tuple[float, float]], total: int, guess: float = 0.0) -> float | None:
    """The monthly IRR by Newton's method kept inside a bracket (bisection whenever a step would leave it)."""
    bracket = _bracket(received, flows, total, guess)
    if bracket is None:
        return None
    lo, hi = bracket
    rate = guess if lo < guess < hi else (lo + hi) / 2
    for _step in range(200):
        npv, slope = _npv_slope(rate, flows)
        if npv == 0:
            return rate
        if npv < 0:
            lo = rate
        else:
            hi = rate
        nxt = (lo + hi) / 2
        if math.isfinite(npv) and math.isfinite(slope) and slope:
            nxt = rate - npv / slope
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2
        if abs(nxt - rate) <= 1e-17 + 1e-15 * abs(rate) or hi - lo <= 1e-18:
            return nxt
        rate = nxt
    return rate


def _round_side(percent: float, boundary_rate, received: int, exact_flows: list[tuple[Decimal, int]]) -> Decimal:
    """A percent rounded half-up to 2 places; near a rounding line, the exact NPV says which side the root is on."""
    scaled = percent * 100
    line = math.floor(scaled) + 0.5
    if abs(scaled - line) > 1e-6:
        return Decimal(round(scaled)).scaleb(-2)
    edge = (Decimal(math.floor(scaled)) + Decimal("0.5")).scaleb(-2)
    # NPV rises with the rate: a negative NPV at the line means the root is above it
    above = _npv_exact(boundary_rate(edge), received, exact_flows) <= 0
    return (edge + Decimal("0.005")) if above else (edge - Decimal("0.005"))


def monthly_irr(
    received: int, start: dt.date, installments: list[Installment], guess: Decimal = Decimal("0.01")
) -> tuple[Decimal | None, str]:
    """The monthly rate that makes the payments worth exactly what was received."""
    return _irr(received, [p for p in _periods(start, installments) if p[2]], guess)


def _irr(received: int, periods: list[Period], guess: Decimal = Decimal(0)) -> tuple[Decimal | None, str]:
    if received <= 0 or not periods:
        return None, N_("there are no payments to measure")
    if any(whole < 0 or (whole == 0 and days <= 0) for whole, days, _a in periods):
        return None, N_("a payment falls due before the money was received")
    total = sum(a for _w, _d, a in periods)
    if total == received:
        return Decimal(0), ""
    rate = _solve(received, _shares(received, periods), total, float(guess))  # a starting point only
    if rate is None:
        return None, N_("the payments have no rate of return in a sensible range")
    return Decimal(repr(rate)), ""


def cost_of(received: int, start: dt.date, installments: list[Installment], guess: Decimal = Decimal("0.01")) -> Cost:
    periods = [p for p in _periods(start, installments) if p[2]]
    irr, reason = _irr(received, periods, guess)
    if irr is None:
        return Cost(None, None, None, reason)
    if irr == 0:
        return Cost(Decimal("0.00"), Decimal("0.00"), irr)
    i = float(irr)  # a rate: its percent figures are checked against the rounding lines below

    def from_apr(percent: Decimal) -> Decimal:
        return percent / 1200

    def from_ear(percent: Decimal) -> Decimal:
        with localcontext(prec=60):
            return (1 + percent / 100) ** (Decimal(1) / 12) - 1

    growth = 12 * math.log1p(i)
    if growth > 700:  # beyond any figure a float can hold: the money is effectively never repaid
        return Cost(None, None, irr, N_("the true cost is beyond any meaningful figure"))
    exact = _exact(periods)
    apr = _round_side(i * 1200, from_apr, received, exact)
    ear = _round_side(math.expm1(growth) * 100, from_ear, received, exact)
    with localcontext(prec=400):  # a huge EAR still rounds to two places
        return Cost(apr.quantize(TWO), ear.quantize(TWO), irr)


def loan_cost(loan: Loan) -> Cost:
    """APR/EAR of the loan as contracted: what was received against its original schedule.

    A card's cost is its daily rate on what is carried past a due date: APR daily x 365, EAR
    compounded daily (a bill paid in full by its due date costs nothing).

    Cached by the loan's terms (like its schedule): validating, storing and checking a loan all
    need it, and solving for the rate is the costly part.
    """
    return _cost(loan.terms)


@lru_cache(maxsize=16384)
def _cost(loan: Loan) -> Cost:
    """``loan_cost`` of a loan's terms."""
    if loan.method == "card":
        daily = loan.quoted_rate if loan.quoted_rate is not None else loan.annual_rate / 365
        ear = ((1 + daily / 100) ** 365 - 1) * 100
        return Cost((daily * 365).quantize(TWO, ROUND_HALF_UP), ear.quantize(TWO, ROUND_HALF_UP))
    return cost_of(loan.received_amount, loan.start_date, build_schedule(loan), guess=loan.annual_rate / 1200)


def advertised_rate(loan: Loan) -> Decimal:
    """The simple yearly figure a lender quotes: monthly fee or rate x 12, daily rate x 365, or the nominal rate."""
    if loan.method == "flat-fee":
        return loan.fee_rate * 12 + loan.annual_rate
    return loan.annual_rate


WARNING_TEXT = {
    "above-4x-lpr": N_(
        "APR {apr}% is above four times the one-year LPR ({line}%): courts do not protect private-lending "
        "interest above this line (since 20 August 2020). Licensed banks and consumer-finance companies are not bound by it."
    ),
    "above-24": N_(
        "APR {apr}% is above 24%, the line courts protected under the 2015 private-lending rules and that consumer lenders are widely expected to stay under."
    ),
    "above-36": N_("APR {apr}% is above 36%: this is very expensive credit; consider repaying it first."),
    "fee-disguised": N_(
        "The advertised rate reads as {advertised}% a year, but the true APR is {apr}%: fees make it cost far more than it seems."
    ),
}


# The kinds of loan whose lender the private-lending cap (4 x the LPR) may bind: a person, or a lender the kind does
# not name. The others come from the institutions the SPC provisions exempt (banks, consumer-finance and, since
# 2021, micro-loan companies: shared/reference/domain.md), so the cap's warning would only scold a lawful lender.
PRIVATE_LENDING_KINDS = frozenset({"personal", "other"})


def loan_warnings(loan: Loan, apr: Decimal | None, lpr: Decimal = DEFAULT_LPR) -> list[Warning]:
    """``rate_warnings`` for a loan: the 4 x LPR line only where private lending may be what it is."""
    return rate_warnings(apr, advertised_rate(loan), lpr, private=loan.kind in PRIVATE_LENDING_KINDS)


def rate_warnings(apr: Decimal | None, advertised: Decimal, lpr: Decimal = DEFAULT_LPR, *, private: bool = True) -> list[Warning]:
    """Warnings for an APR (as shown, two decimals); each fires strictly above its line. ``private``: whether the
    lender may be a private one, bound by the 4 x LPR cap."""
    if apr is None:
        return []
    out = []
    cap = lpr * 4

    def add(code: str, **kw: object) -> None:
        out.append(Warning(code, _(WARNING_TEXT[code]).format(apr=apr, **kw)))

    if private and apr > cap:
        add("above-4x-lpr", line=cap.quantize(TWO))
    if apr > 24:
        add("above-24")
    if apr > 36:
        add("above-36")
    if apr > advertised * Decimal("1.5"):
        add("fee-disguised", advertised=advertised.quantize(TWO))
    return out
