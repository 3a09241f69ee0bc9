"""Loan Prime Rate fixings and the rates of LPR-linked (floating) loans (pure).

The LPR is published by the National Interbank Funding Center on the 20th of each month (the
next working day when the 20th is not one), for one year and for five years and more, since the
reform of 2019-08-20 (PBOC Announcement [2019] No. 15). A floating mortgage is the five-year LPR
plus a fixed spread (PBOC Announcement [2019] No. 30); on each repricing day its rate becomes the
five-year LPR last published before that day plus the spread.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace

from .dates import add_months
from .i18n import N_
from .models import Loan

SOURCE = N_("NIFC monthly LPR announcement (PBOC Announcement [2019] No. 15)")
USER_SOURCE = N_("added by you")


class Fixing(Struct, frozen=True):
    """One LPR fixing (贷款市场报价利率): the one-year and five-year rates in force from its date."""

    date: dt.date
    one_year: Decimal
    five_year: Decimal
    source: str = SOURCE


# (first month, last month, one-year %, five-year %): runs of unchanged fixings
_RUNS = (
    ("2019-08", "2019-08", "4.25", "4.85"),
    ("2019-09", "2019-10", "4.20", "4.85"),
    ("2019-11", "2020-01", "4.15", "4.80"),
    ("2020-02", "2020-03", "4.05", "4.75"),
    ("2020-04", "2021-11", "3.85", "4.65"),
    ("2021-12", "2021-12", "3.80", "4.65"),
    ("2022-01", "2022-04", "3.70", "4.60"),
    ("2022-05", "2022-07", "3.70", "4.45"),
    ("2022-08", "2023-05", "3.65", "4.30"),
    ("2023-06", "2023-07", "3.55", "4.20"),
    ("2023-08", "2024-01", "3.45", "4.20"),
    ("2024-02", "2024-06", "3.45", "3.95"),
    ("2024-07", "2024-09", "3.35", "3.85"),
    ("2024-10", "2025-04", "3.10", "3.60"),
    ("2025-05", "2026-01", "3.00", "3.50"),
)
# the 20th of these months was a working Saturday (a holiday swap), so the fixing kept its day
_WORKING_SATURDAYS = {dt.date(2021, 2, 20)}


def _fixing_day(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 20)
    if day in _WORKING_SATURDAYS:
        return day
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _shipped() -> tuple[Fixing, ...]:
    out = []
    for first, last, one, five in _RUNS:
        year, month = map(int, first.split("-"))
        end = tuple(map(int, last.split("-")))
        while (year, month) <= end:
            out.append(Fixing(_fixing_day(year, month), Decimal(one), Decimal(five)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(out)


SHIPPED: tuple[Fixing, ...] = _shipped()


def merged(user: list[Fixing] | tuple[Fixing, ...]) -> tuple[Fixing, ...]:
    """The shipped fixings with the user's own (a user's fixing replaces one of the same date)."""
    by_date = {f.date: f for f in SHIPPED}
    by_date.update({f.date: f for f in user})
    return tuple(sorted(by_date.values(), key=lambda f: f.date))


def in_force(fixings: tuple[Fixing, ...], day: dt.date) -> Fixing:
    """The fixing published on or before ``day`` (the first one for earlier days); found by bisection, since
    every loan of a list asks it."""
    return fixings[max(bisect.bisect_right(fixings, day, key=_published) - 1, 0)]


def _published(fixing: Fixing) -> dt.date:
    return fixing.date


def last_before(fixings: tuple[Fixing, ...], day: dt.date) -> Fixing:
    """The fixing last published strictly before ``day`` (a repricing day uses this one)."""
    return in_force(fixings, day - dt.timedelta(days=1))


def parse_reprice(text: str) -> tuple[int, int]:
    month, day = (int(x) for x in text.split("-"))
    dt.date(2024, month, day)  # a real day of the year (2024: leap, so 02-29 is allowed)
    return month, day


def repricing_days(start: dt.date, end: dt.date, reprice: str) -> list[dt.date]:
    """Every repricing day after ``start`` up to ``end`` (02-29 falls on 02-28 in other years)."""
    month, day = parse_reprice(reprice)
    out = []
    for year in range(start.year, end.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            when = dt.date(year, month, 28)
        if start < when <= end:
            out.append(when)
    return out


def floating_rates(
    start: dt.date, end: dt.date, spread_bp: int, reprice: str, fixings: tuple[Fixing, ...]
) -> tuple[Decimal, tuple[tuple[dt.date, Decimal], ...]]:
    """(rate at the start, rate on every repricing day up to ``end``) of a loan at five-year LPR + spread."""
    spread = Decimal(spread_bp) / 100
    initial = in_force(fixings, start).five_year + spread
    # a spread below a much lower future LPR cannot take the rate under zero
    return initial, tuple(
        (day, max(last_before(fixings, day).five_year + spread, Decimal(0))) for day in repricing_days(start, end, reprice)
    )


def timeline(initial: Decimal, *runs: tuple[tuple[dt.date, Decimal], ...]) -> tuple[tuple[dt.date, Decimal], ...]:
    """Rate changes from several sources in date order (a later source wins on the same day), without repeats."""
    by_day: dict[dt.date, Decimal] = {}
    for run in runs:
        by_day.update(dict(run))
    out: list[tuple[dt.date, Decimal]] = []
    current = initial
    for day in sorted(by_day):
        if by_day[day] != current:
            out.append((day, by_day[day]))
            current = by_day[day]
    return tuple(out)


DEFAULT_REPRICE = "01-01"


def with_rates(loan: Loan, manual: tuple[tuple[dt.date, Decimal], ...], fixings: tuple[Fixing, ...]) -> Loan:
    """The loan with its whole rate history: a floating loan's LPR repricings, then the changes recorded by hand."""
    if loan.lpr_spread_bp is None or not fixings:
        changes = timeline(loan.annual_rate, manual)
        return loan if changes == loan.rate_changes else replace(loan, rate_changes=changes)
    end = add_months(loan.first_due_date, (loan.term_months or 1) + 12)
    initial, repricings = floating_rates(loan.start_date, end, loan.lpr_spread_bp, loan.reprice or DEFAULT_REPRICE, fixings)
    return replace(loan, annual_rate=initial, rate_changes=timeline(initial, repricings, manual))
