"""True cost of credit: IRR-based APR and EAR, rate conversions, rate warnings (pure).

APR = monthly IRR of the real cash flows (amount received against scheduled payments) x 12,
the method China's 2021 APR-disclosure rule names for instalment loans; EAR = (1 + i)^12 - 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .dates import add_months
from .i18n import N_, _
from .models import Installment, Loan
from .schedule import build_schedule

DEFAULT_LPR = Decimal("3.0")  # one-year LPR since 2025-05-20 (PBOC), unchanged through Feb 2026
TWO = Decimal("0.01")
_LO, _HI = Decimal("-0.99"), Decimal(10)  # monthly rate search bounds: -99% .. +1000% a month


@dataclass(frozen=True)
class Cost:
    """APR and EAR in percent (rounded half-up to 2 places) or None with a reason."""

    apr: Decimal | None
    ear: Decimal | None
    monthly_irr: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def _periods(start: dt.date, installments: list[Installment]) -> list[tuple[Decimal, int]]:
    """(months from start, amount) for each payment; a part month counts by days / 30."""
    out = []
    for inst in installments:
        due = inst.due_date
        whole = (due.year - start.year) * 12 + due.month - start.month
        if due.day < start.day and add_months(start, whole) > due:
            whole -= 1
        days = (due - add_months(start, whole)).days
        out.append((Decimal(whole) + (Decimal(days) / 30 if days else 0), inst.total))
    return out


def _npv_and_slope(rate: Decimal, received: int, flows: list[tuple[Decimal, int]]) -> tuple[Decimal, Decimal]:
    """NPV of the loan at a monthly rate (received minus discounted payments) and its derivative."""
    base = 1 + rate
    npv, slope = Decimal(received), Decimal(0)
    for t, amount in flows:
        disc = Decimal(amount) / (base ** int(t) if t == t.to_integral_value() else base**t)
        npv -= disc
        slope += t * disc / base
    return npv, slope


def _rough_irr(received: int, flows: list[tuple[Decimal, int]], guess: Decimal) -> Decimal | None:
    """A fast binary-float Newton solve (rates, not money); None when it does not converge."""
    # binary floats only to find a rate quickly; no amount is stored or shown from here, and
    # the exact Decimal solver takes over wherever the result could round differently
    times = [float(t) for t, _a in flows]  # rate solving only: months
    amounts = [float(a) for _t, a in flows]  # rate solving only: weights of the NPV sum
    rate = float(guess) if -0.99 < guess < 10 else 0.01  # rate solving only
    for _step in range(60):
        base = 1.0 + rate
        if base <= 0.01 or base > 11:
            return None
        npv, slope = float(received), 0.0  # rate solving only
        for t, a in zip(times, amounts, strict=True):
            disc = a * base**-t
            npv -= disc
            slope += t * disc / base
        if slope == 0:
            return None
        step = npv / slope
        rate -= step
        if abs(step) < 1e-15:
            return Decimal(repr(rate)) if -0.99 < rate < 10 else None
    return None


def _settled(rate: Decimal | None) -> bool:
    """True when a float root is exact enough: APR and EAR are far from a half-hundredth rounding line."""
    if rate is None or rate == 0 or not _LO < rate < _HI:
        return False
    i = float(rate)  # a rate, checked against the percent rounding lines
    for percent in (i * 1200, ((1 + i) ** 12 - 1) * 100):
        frac = abs(percent * 100) % 1
        if abs(frac - 0.5) < 1e-6:
            return False
    return True


def monthly_irr(
    received: int, start: dt.date, installments: list[Installment], guess: Decimal = Decimal("0.01")
) -> tuple[Decimal | None, str]:
    """The monthly rate that makes the payments worth exactly what was received.

    Newton's method kept inside a bracket (bisection when a step would leave it): NPV rises
    with the rate for a loan's flows (one inflow, then outflows), so the root is unique.
    """
    flows = [(t, a) for t, a in _periods(start, installments) if a]
    if received <= 0 or not flows:
        return None, _("there are no payments to measure")
    if any(t <= 0 for t, _a in flows):
        return None, _("a payment falls due before the money was received")
    if sum(a for _t, a in flows) == received:
        return Decimal(0), ""
    rate = _rough_irr(received, flows, guess)
    if _settled(rate):
        return rate, ""
    with localcontext(prec=40):
        # near a rounding line the float answer is not enough: two exact Newton steps settle it,
        # and the bracketed search below is the fallback
        rate = rate if rate is not None else guess
        for _step in range(4):
            npv, slope = _npv_and_slope(rate, received, flows)
            if not slope:
                break
            step = npv / slope
            rate -= step
            if abs(step) < Decimal("1e-26") and _LO < rate < _HI:
                return rate, ""
        lo, hi = _LO, _HI
        if _npv_and_slope(lo, received, flows)[0] > 0 or _npv_and_slope(hi, received, flows)[0] < 0:
            return None, _("the payments have no rate of return in a sensible range")
        rate = min(max(rate, lo), hi) if lo < rate < hi else (lo + hi) / 2
        for _step in range(100):
            npv, slope = _npv_and_slope(rate, received, flows)
            if npv == 0:
                return rate, ""
            if npv < 0:
                lo = rate
            else:
                hi = rate
            nxt = rate - npv / slope if slope else (lo + hi) / 2
            if not lo < nxt < hi:
                nxt = (lo + hi) / 2
            if abs(nxt - rate) < Decimal("1e-26"):
                return nxt, ""
            rate = nxt
        return rate, ""


def cost_of(received: int, start: dt.date, installments: list[Installment], guess: Decimal = Decimal("0.01")) -> Cost:
    irr, reason = monthly_irr(received, start, installments, guess)
    if irr is None:
        return Cost(None, None, None, reason)
    with localcontext(prec=40):
        apr = (irr * 12 * 100).quantize(TWO, rounding=ROUND_HALF_UP)
        ear = (((1 + irr) ** 12 - 1) * 100).quantize(TWO, rounding=ROUND_HALF_UP)
    return Cost(apr, ear, irr)


def loan_cost(loan: Loan) -> Cost:
    """APR/EAR of the loan as contracted: what was received against its original schedule."""
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


def rate_warnings(apr: Decimal | None, advertised: Decimal, lpr: Decimal = DEFAULT_LPR) -> list[Warning]:
    """Warnings for an APR (as shown, two decimals); each fires strictly above its line."""
    if apr is None:
        return []
    out = []
    cap = lpr * 4

    def add(code: str, **kw: object) -> None:
        out.append(Warning(code, _(WARNING_TEXT[code]).format(apr=apr, **kw)))

    if apr > cap:
        add("above-4x-lpr", line=cap.quantize(TWO))
    if apr > 24:
        add("above-24")
    if apr > 36:
        add("above-36")
    if apr > advertised * Decimal("1.5"):
        add("fee-disguised", advertised=advertised.quantize(TWO))
    return out
