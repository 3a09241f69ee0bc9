"""The payoff planner against a small independent simulation (two debts, checkable by hand)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from tracker.errors import Refused
from tracker.ledger import evaluate
from tracker.models import Loan, Repayment
from tracker.payoff import Start, minimum_payments, paid_this_month, simulate, start_of
from tracker.payoff import run as run_plan
from tracker.schedule import build_schedule

D = dt.date
TODAY = D(2025, 1, 15)
A = Loan("A", "bank", "equal-installment", 120_000, Decimal(12), D(2024, 12, 20), D(2025, 1, 20), 12, id=1)
B = Loan("B", "friend", "equal-principal", 60_000, Decimal(0), D(2024, 12, 20), D(2025, 1, 20), 6, id=2)


def rnd(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def level(balance: int, months: int) -> int:
    """The level payment in fen at 1% a month, from the closed formula."""
    factor = Decimal("1.01") ** months
    return rnd(Decimal(balance) * Decimal("0.01") * factor / (factor - 1))


def oracle(budget: int, order: list[str]) -> dict[str, tuple[int, int]]:
    """Plain loop, as a bank charges it. A pays a level 106.62 (1,200 at 1%/month over 12); B pays 100.00 of
    principal a month. Leftover budget prepays the first open debt in ``order`` at the month's end: first the
    interest for the days since the 20th (12% / 360 a day), then principal; a prepaid A gets the level payment
    for the fewest whole months its old payment allowed, and its next interest runs from the prepayment.
    Returns {name: (month paid off, interest)}."""
    bal = {"A": 120_000, "B": 60_000}
    pay_a, left_a = level(120_000, 12), 12
    assert pay_a == 10_662
    since: dt.date | None = None
    interest = {"A": 0, "B": 0}
    done: dict[str, int] = {}
    for month in range(1, 40):
        due = D(2025, month, 20) if month <= 12 else D(2026, month - 12, 20)
        end = due + relativedelta(day=31)
        spent = 0
        if bal["A"]:
            regular = rnd(Decimal(bal["A"]) / 100)
            i = regular if since is None else rnd(Decimal(bal["A"]) * 12 / 36000 * (due - since).days)
            since = None
            p = bal["A"] if left_a == 1 else min(pay_a - regular, bal["A"])
            bal["A"] -= p
            left_a -= 1
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
                accrued = rnd(Decimal(bal[name]) * 12 / 36000 * (end - due).days) if name == "A" else 0
                paid = min(extra, bal[name] + accrued)
                extra -= paid
                interest[name] += accrued
                bal[name] -= paid - accrued
                if not bal[name]:
                    done[name] = month
                elif name == "A":
                    since = end
                    left_a = next(n for n in range(1, 13) if level(bal["A"], n) <= pay_a)
                    pay_a = level(bal["A"], left_a)
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


@pytest.mark.parametrize("budget,ledgers", [(200_000, False), (40_000, True)])
def test_a_prepayment_that_pays_a_debt_off_needs_no_ledger(budget, ledgers, monkeypatch):
    """A debt that has only followed its schedule and is paid off at a month's end is closed by its
    settlement, without a ledger (a smaller prepayment makes one); either way the plan is the one
    that replays every debt from the first month, and the oracle's."""
    states = [evaluate(A, [], TODAY), evaluate(B, [], TODAY)]
    aprs = {1: Decimal(12), 2: Decimal(0)}
    starts = [start_of(s) for s in states]
    made = []
    for start in starts:
        real = start.ledger
        monkeypatch.setattr(start, "ledger", lambda upto, last, real=real: made.append(upto) or real(upto, last))
    got = run_plan(starts, aprs, budget, "avalanche", TODAY, needed=20_662)
    assert bool(made) == ledgers
    assert got == run_plan(starts, aprs, budget, "avalanche", TODAY, needed=20_662, follow=False)
    assert {lp.name: (months_from_jan(lp.payoff_date), lp.interest) for lp in got.loans} == oracle(budget, ["A", "B"])


def test_avalanche_never_costs_more_than_snowball_here():
    assert run("avalanche", 40_000).total_interest <= run("snowball", 40_000).total_interest


def test_schedule_only_baseline():
    base = run(None, 40_000)
    assert base.months == 12
    assert base.loans[1].payoff_date == D(2025, 6, 20)
    assert base.total_interest > run("avalanche", 40_000).total_interest


@settings(max_examples=30, deadline=None)
@given(
    rate=st.decimals(min_value=0, max_value=36, places=2),
    method=st.sampled_from(["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee"]),
    term=st.integers(min_value=1, max_value=36),
)
def test_the_baseline_pays_the_schedule_as_it_stands(rate, method, term):
    """Without a strategy each loan pays its schedule's lines on their due dates: the interest and fees
    of the schedule, the last due date, and the principal left after each month (build_schedule)."""
    loan = Loan("C", "bank", method, 90_000, rate, D(2025, 1, 5), D(2025, 2, 5), term, fee_rate=Decimal("0.5"), id=3)
    schedule = build_schedule(loan)
    plan = simulate([evaluate(loan, [], D(2025, 1, 5))], {3: rate}, 0, None, D(2025, 1, 5))
    assert plan.total_interest == sum(i.interest + i.fee for i in schedule)
    assert plan.loans[0].payoff_date == schedule[-1].due_date
    left = [90_000 - sum(i.principal for i in schedule if i.due_date <= end) for end in _month_ends(D(2025, 1, 31), plan.months)]
    assert list(plan.balances) == left


def _month_ends(first: dt.date, count: int) -> list[dt.date]:
    return [first + relativedelta(months=k, day=31) for k in range(count)]


def test_budget_below_minimums_is_refused_with_shortfall():
    with pytest.raises(Refused, match="short"):
        run("avalanche", 20_000)


@settings(max_examples=40, deadline=None)
@given(
    budget=st.integers(min_value=20_700, max_value=200_000),
    strategy=st.sampled_from(["avalanche", "snowball"]),
    rate=st.decimals(min_value=0, max_value=36, places=2),
    method=st.sampled_from(["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee"]),
)
def test_plan_replayed_through_the_ledger_agrees_to_the_fen(budget, strategy, rate, method):
    """The planner's payments, recorded as repayments and replayed from scratch, give the same ledger."""
    other = Loan("C", "bank", method, 90_000, rate, D(2024, 12, 5), D(2025, 1, 5), 9, fee_rate=Decimal("0.5"), id=3)
    loans = [A, B, other]
    states = [evaluate(loan, [], TODAY) for loan in loans]
    try:
        plan = simulate(states, {1: Decimal(12), 2: Decimal(0), 3: rate}, budget, strategy, TODAY)
    except Refused:
        return
    for loan in loans:
        mine = [r for r in plan.repayments if r.loan_id == loan.id]
        state = evaluate(loan, mine, D(2030, 1, 1))
        assert state.status == "closed" and state.credit == 0
        paid = sum(a.interest + a.fee + a.penalty for a in state.allocations)
        assert paid == next(lp.interest for lp in plan.loans if lp.loan_id == loan.id)
        assert max(r.date for r in mine) == next(lp.payoff_date for lp in plan.loans if lp.loan_id == loan.id)
    assert plan.total_interest == sum(lp.interest for lp in plan.loans)


def test_months_whose_scheduled_payments_exceed_the_budget_are_named():
    balloon = Loan("W", "friend", "bullet", 3_000_000, Decimal(0), D(2024, 12, 1), D(2025, 1, 1), 3, id=3)
    states = [evaluate(A, [], TODAY), evaluate(balloon, [], TODAY)]
    plan = simulate(states, {1: Decimal(12), 3: Decimal(0)}, 40_000, "avalanche", TODAY)
    # 30,000.00 falls due on 2025-03-01 with A's installment (less than 106.62 once prepaid): far above 400.00
    assert [m for m, _v in plan.short_months] == [D(2025, 3, 1)]
    assert 3_000_000 < plan.short_months[0][1] < 3_000_000 + 10_662


def test_closing_a_debt_by_its_settlement_is_what_its_ledger_does_for_every_method(monkeypatch):
    """The shortcut (a debt paid off while it follows its schedule) against the ledger, on every method: a
    flat-fee loan whose remaining fees are waived and one whose card issuer charges them, a daily-basis loan, a bullet, an overdue interest-only
    loan with penalty interest; many budgets, so that debts are paid off in different months."""
    today = D(2025, 3, 20)
    loans = [
        Loan("F", "card", "flat-fee", 120_000, Decimal(0), D(2024, 12, 5), D(2025, 1, 5), 12,
             fee_rate=Decimal("0.6"), early_fees="waive", id=1),
        Loan("K", "card", "flat-fee", 96_000, Decimal(0), D(2024, 11, 20), D(2024, 12, 20), 12,
             fee_rate=Decimal("0.55"), early_fees="charge", id=6),
        Loan("G", "bank", "equal-installment", 300_000, Decimal("7.2"), D(2024, 11, 10), D(2024, 12, 10), 24,
             interest_basis="daily", id=2),
        Loan("H", "friend", "bullet", 50_000, Decimal(10), D(2025, 1, 1), D(2025, 7, 1), 6, id=3),
        Loan("I", "app", "interest-only", 80_000, Decimal(12), D(2024, 10, 1), D(2024, 11, 1), 12,
             penalty_rate=Decimal(18), id=4),
        Loan("J", "bank", "equal-principal", 90_000, Decimal(5), D(2024, 10, 1), D(2024, 11, 1), 18, id=5),
    ]  # fmt: skip
    paid = {1: [Repayment(1, D(2025, 1, 5), 10_720), Repayment(1, D(2025, 2, 5), 10_720)], 4: [Repayment(4, D(2024, 11, 1), 800)]}
    states = [evaluate(loan, paid.get(loan.id or 0, []), today) for loan in loans]
    starts = [start for s in states if (start := start_of(s)) is not None]
    aprs = {loan.id or 0: loan.annual_rate for loan in loans}
    kw = {"spent": paid_this_month(states, today), "needed": minimum_payments(states, today)}
    settled = []  # the debts whose settlement the shortcut worked out
    real = Start.settlement

    def settlement(self, upto, day):
        got = real(self, upto, day)
        if got is not None:
            settled.append(self.loan.name)
        return got

    monkeypatch.setattr(Start, "settlement", settlement)
    for budget in range(kw["needed"], kw["needed"] + 400_000, 23_917):
        for strategy in ("avalanche", "snowball"):
            got = run_plan(starts, aprs, budget, strategy, today, **kw)
            assert got == run_plan(starts, aprs, budget, strategy, today, follow=False, **kw)
    assert {"F", "K", "G", "H", "J"} <= set(settled)


def test_the_avalanche_ranks_by_what_prepaying_saves_not_by_the_contracts_apr():
    """A fee taken up front is gone: prepaying the loan it came with saves its interest rate only. An online loan at
    18% with 5% taken up front has an APR near 28% and is prepaid after a plain loan at 20%, which saves more."""
    from tracker.payoff import saving_rate
    from tracker.rates import loan_cost

    fee_up_front = Loan("F", "app", "equal-installment", 100_000, Decimal(18), D(2024, 12, 20), D(2025, 1, 20), 12,
                        received=95_000, id=1)  # fmt: skip
    plain = Loan("P", "bank", "equal-installment", 100_000, Decimal(20), D(2024, 12, 20), D(2025, 1, 20), 12, id=2)
    states = [evaluate(loan, [], TODAY) for loan in (fee_up_front, plain)]
    starts = [start_of(s) for s in states]
    assert loan_cost(fee_up_front).apr > 25 > loan_cost(plain).apr
    rates = {s.loan.id: saving_rate(s, TODAY) for s in starts}
    assert rates == {1: Decimal(18), 2: Decimal(20)}
    plan = run_plan(starts, rates, 60_000, "avalanche", TODAY, needed=minimum_payments(states, TODAY))
    first = next(r for r in plan.repayments if r.prepay)
    assert first.loan_id == 2


def test_a_flat_fee_plans_saving_rate_is_what_its_remaining_fees_cost_on_what_is_owed():
    """An instalment plan's fee is charged each month on the whole amount first lent: late in the plan, the fees left
    cost far more, on the principal still owed, than the contract's APR. Where the issuer waives the fees of a plan
    paid off early, that is what prepaying it saves (checked against numpy-financial's IRR of the same payments);
    where it charges them anyway, prepaying saves nothing."""
    import numpy_financial as npf

    from tracker.payoff import saving_rate
    from tracker.rates import loan_cost

    plan = Loan("C", "card", "flat-fee", 1_200_000, Decimal(0), D(2024, 6, 5), D(2024, 7, 5), 12,
                fee_rate=Decimal("0.6"), early_fees="waive", id=3)  # fmt: skip
    paid = [Repayment(3, inst.due_date, inst.total, id=n) for n, inst in enumerate(build_schedule(plan)[:8], start=1)]
    day = D(2025, 2, 5)  # the 8th due date, paid: 4 left of 100,000 principal and 7,200 fee each, a month apart
    start = start_of(evaluate(plan, paid, day))
    left = [item for item in start.items if item[0] > day]
    assert len(left) == 4 and {item[1] for item in left} == {107_200}
    oracle = Decimal(repr(npf.irr([-400_000, 107_200, 107_200, 107_200, 107_200]))) * 1200
    got = saving_rate(start, day)
    assert abs(got - oracle) <= Decimal("0.005")  # to the cent of a percent
    assert got > 2 * loan_cost(plan).apr
    charged = start_of(evaluate(replace(plan, early_fees="charge"), paid, day))
    assert saving_rate(charged, day) == 0
