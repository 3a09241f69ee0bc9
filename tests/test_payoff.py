"""The payoff planner against a small independent simulation (two debts, checkable by hand)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tracker.errors import Refused
from tracker.ledger import evaluate
from tracker.models import Loan
from tracker.payoff import simulate

D = dt.date
TODAY = D(2025, 1, 15)
A = Loan("A", "bank", "equal-installment", 120_000, Decimal(12), D(2024, 12, 20), D(2025, 1, 20), 12, id=1)
B = Loan("B", "friend", "equal-principal", 60_000, Decimal(0), D(2024, 12, 20), D(2025, 1, 20), 6, id=2)


def rnd(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def oracle(budget: int, order: list[str]) -> dict[str, tuple[int, int]]:
    """Plain loop: A pays a level 10,661 (1,200 at 1%/month over 12) until it is done; B pays 10,000 of principal.
    Leftover budget prepays the first open debt in ``order`` at the month's end. Returns {name: (month paid off, interest)}."""
    bal = {"A": 120_000, "B": 60_000}
    pay_a = 10_662  # round(1200 * 0.01 / (1 - 1.01**-12), 2) = 106.62
    interest = {"A": 0, "B": 0}
    done: dict[str, int] = {}
    for month in range(1, 40):
        spent = 0
        if bal["A"]:
            i = rnd(Decimal(bal["A"]) / 100)
            p = bal["A"] if bal["A"] + i <= pay_a or pay_a - i >= bal["A"] else pay_a - i
            bal["A"] -= p
            interest["A"] += i
            spent += p + i
            if not bal["A"]:
                done["A"] = month
        if bal["B"]:
            p = min(10_000, bal["B"])
            bal["B"] -= p
            spent += p
            if not bal["B"]:
                done["B"] = month
        extra = budget - spent
        for name in order:
            if extra and bal[name]:
                part = min(extra, bal[name])
                bal[name] -= part
                extra -= part
                if not bal[name]:
                    done[name] = month
        if not bal["A"] and not bal["B"]:
            break
    return {k: (done[k], interest[k]) for k in bal}


def run(strategy: str | None, budget: int):
    states = [evaluate(A, [], TODAY), evaluate(B, [], TODAY)]
    return simulate(states, {1: Decimal(12), 2: Decimal(0)}, budget, strategy, TODAY)


def months_from_jan(day: dt.date) -> int:
    return (day.year - 2025) * 12 + day.month


@pytest.mark.parametrize("strategy,order", [("avalanche", ["A", "B"]), ("snowball", ["B", "A"])])
def test_matches_independent_simulation(strategy, order):
    plan = run(strategy, 40_000)
    expected = oracle(40_000, order)
    got = {lp.name: (months_from_jan(lp.payoff_date), lp.interest) for lp in plan.loans}
    assert got == expected
    assert plan.total_interest == sum(i for _m, i in expected.values())
    assert plan.months == max(m for m, _i in expected.values())


def test_avalanche_never_costs_more_than_snowball_here():
    assert run("avalanche", 40_000).total_interest <= run("snowball", 40_000).total_interest


def test_schedule_only_baseline():
    base = run(None, 40_000)
    assert base.months == 12
    assert base.loans[1].payoff_date == D(2025, 6, 20)
    assert base.total_interest > run("avalanche", 40_000).total_interest


def test_budget_below_minimums_is_refused_with_shortfall():
    with pytest.raises(Refused, match="short"):
        run("avalanche", 20_000)
