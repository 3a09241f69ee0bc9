"""Cost of credit through the `debt` CLI: `apr`, rate warnings, `config`, APR fields on loans, and `plan`.

Finance is checked against numpy-financial and a small payoff simulation written here, not against
numbers the code prints, except where the spec fixes a number (the 0.6%-fee card offer, PBOC's example).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import numpy_financial as npf
import pytest
from dateutil.relativedelta import relativedelta
from helpers import TODAY, Debt, assert_error, dump

from tracker.dates import add_months
from tracker.models import Installment
from tracker.rates import cost_of

TODAY_DATE = dt.date.fromisoformat(TODAY)
PCT = re.compile(r"^\d+\.\d{2}$")
FEN = Decimal("0.01")
APR_KEYS = {"payment", "last_payment", "total_repaid", "total_cost", "apr", "ear", "warnings"}
PLAN_KEYS = {"months", "debt_free_date", "total_interest", "loans"}
PLAN_LOAN_KEYS = {"id", "name", "payoff_date", "interest"}


# -- independent oracles -----------------------------------------------------------------------
def half_up(value: Decimal, q: Decimal = FEN) -> Decimal:
    return value.quantize(q, rounding=ROUND_HALF_UP)


def level_payment(principal: Decimal, annual: Decimal, n: int) -> Decimal:
    """The annuity payment in yuan, rounded half-up to the fen; cross-checked against npf.pmt."""
    with localcontext(prec=50):
        r = annual / 1200
        exact = principal / n if r == 0 else principal * r * (1 + r) ** n / ((1 + r) ** n - 1)
    if r:
        assert abs(float(exact) - npf.pmt(float(r), n, -float(principal))) < 1e-6
    return half_up(exact)


def amortize(principal: Decimal, annual: Decimal, n: int) -> list[Decimal]:
    """Equal-installment payments: interest = balance x annual/12 (half-up to the fen); the last pays what is left."""
    pay = level_payment(principal, annual, n)
    balance, out = principal, []
    for k in range(n):
        interest = half_up(balance * annual / 1200)
        principal_part = balance if k == n - 1 else pay - interest
        out.append(principal_part + interest)
        balance -= principal_part
    assert balance == 0
    return out


def irr_monthly(received: Decimal, payments: list[Decimal]) -> float:
    return float(npf.irr([-float(received), *(float(p) for p in payments)]))


def oracle_apr(received: Decimal, payments: list[Decimal]) -> tuple[Decimal, Decimal]:
    """(APR, EAR) in percent rounded half-up to 2 places, from numpy-financial's IRR."""
    i = Decimal(repr(irr_monthly(received, payments)))
    return half_up(i * 1200), half_up(((1 + i) ** 12 - 1) * 100)


def assert_apr_close(text: str, received: Decimal, payments: list[Decimal]) -> None:
    """The printed APR is the oracle's monthly IRR x 12, to the rounding of 2 decimals."""
    assert PCT.match(text), text
    exact = Decimal(repr(irr_monthly(received, payments))) * 1200
    assert abs(Decimal(text) - exact) <= Decimal("0.005") + Decimal("1e-9"), (text, exact)


def codes(out: dict) -> list[str]:
    return [w["code"] for w in out["warnings"]]


def expected_codes(apr: Decimal, lpr: Decimal = Decimal(3), advertised: Decimal | None = None) -> set[str]:
    found = {
        code for code, line in (("above-4x-lpr", lpr * 4), ("above-24", Decimal(24)), ("above-36", Decimal(36))) if apr > line
    }
    if advertised is not None and apr > advertised * Decimal("1.5"):
        found.add("fee-disguised")
    return found


def apr_json(debt: Debt, *args: str) -> dict:
    return debt.ok("apr", *args, "--json").json


def add_loan(debt: Debt, name: str, principal: str, rate: str, term: str = "12", *extra: str, start: str = "2026-10-15") -> dict:
    return debt.ok(
        "loan", "add", name, "--lender", "L", "--principal", principal, "--rate", rate, "--term", term,
        "--method", "equal-installment", "--start", start, *extra, "--json",
    ).json  # fmt: skip


# -- 1. the card-instalment offer: 10,000 over 12 months at a 0.6% monthly fee ----------------
def test_apr_fee_offer_json(debt: Debt) -> None:
    out = apr_json(debt, "--principal", "10000", "--term", "12", "--fee-rate", "0.6")
    assert APR_KEYS <= set(out), APR_KEYS - set(out)
    # principal part 10000/12 = 833.33 plus the fee 60.00; the last part takes the 0.04 left by rounding
    part = half_up(Decimal(10000) / 12)
    fee = half_up(Decimal(10000) * Decimal("0.006"))
    assert out["payment"] == str(part + fee) == "893.33"
    assert out["last_payment"] == str(Decimal(10000) - 11 * part + fee) == "893.37"
    payments = [Decimal("893.33")] * 11 + [Decimal("893.37")]
    assert out["total_repaid"] == str(sum(payments)) == "10720.00"
    assert out["total_cost"] == "720.00"
    assert (out["apr"], out["ear"]) == ("13.03", "13.84")
    assert oracle_apr(Decimal(10000), payments) == (Decimal("13.03"), Decimal("13.84"))
    assert isinstance(out["warnings"], list)
    for w in out["warnings"]:
        assert {"code", "message"} <= set(w)
        assert isinstance(w["message"], str) and "13.03%" in w["message"]
    assert set(codes(out)) == {"fee-disguised", "above-4x-lpr"}
    line = next(w["message"] for w in out["warnings"] if w["code"] == "above-4x-lpr")
    assert "12.00%" in line  # 4 x the default LPR 3.0
    disguised = next(w["message"] for w in out["warnings"] if w["code"] == "fee-disguised")
    assert "7.20%" in disguised  # the advertised 0.6% x 12


def test_monthly_irr_behind_apr_matches_numpy_financial() -> None:
    start = TODAY_DATE
    totals = [89333] * 11 + [89337]
    installments = [Installment(k + 1, add_months(start, k + 1), 0, t) for k, t in enumerate(totals)]
    cost = cost_of(1_000_000, start, installments)
    assert cost.monthly_irr is not None
    assert float(cost.monthly_irr) == pytest.approx(irr_monthly(Decimal(10000), [Decimal(t) / 100 for t in totals]), abs=1e-12)
    assert (cost.apr, cost.ear) == (Decimal("13.03"), Decimal("13.84"))


# -- 2. the calculator needs no database; rate units; --received; PBOC's example ---------------
def test_apr_needs_no_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "debt.db"
    calc = Debt(missing)
    out = calc.ok("apr", "--principal", "10000", "--term", "12", "--rate", "6", "--json").json
    assert out["apr"] == "6.00"
    human = calc.ok("apr", "--principal", "10000", "--term", "12", "--rate", "6")
    assert "APR 6.00%" in human.stdout
    assert not missing.exists() and not missing.parent.exists()


def test_apr_creates_no_database_file(debt: Debt) -> None:
    apr_json(debt, "--principal", "10000", "--term", "12", "--fee-rate", "0.6")
    debt.ok("apr", "--principal", "5000", "--term", "6", "--monthly-rate", "1.5")
    assert not debt.db.exists()
    assert list(debt.db.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "value", "annual"),
    [
        ("--rate", "12", Decimal(12)),
        ("--rate", "4.9", Decimal("4.9")),
        ("--monthly-rate", "1", Decimal(12)),
        ("--monthly-rate", "1.5", Decimal(18)),
        ("--rate", "0", Decimal(0)),
    ],
)
def test_apr_rate_units(debt: Debt, option: str, value: str, annual: Decimal) -> None:
    out = apr_json(debt, "--principal", "10000", "--term", "12", option, value)
    payments = amortize(Decimal(10000), annual, 12)
    assert out["payment"] == str(payments[0])
    assert out["last_payment"] == str(payments[-1])
    assert out["total_repaid"] == str(sum(payments))
    assert out["total_cost"] == str(sum(payments) - 10000)
    if annual:
        assert_apr_close(out["apr"], Decimal(10000), payments)
        assert out["apr"] == str(half_up(annual))  # equal installments cost their nominal rate
        assert oracle_apr(Decimal(10000), payments) == (Decimal(out["apr"]), Decimal(out["ear"]))
    else:
        assert (out["apr"], out["ear"]) == ("0.00", "0.00")
    assert set(codes(out)) == expected_codes(Decimal(out["apr"]), advertised=annual)


def test_daily_rate_charged_by_the_month_is_the_same_offer_as_its_annual_rate(debt: Debt) -> None:
    daily = apr_json(debt, "--principal", "10000", "--term", "12", "--daily-rate", "0.05", "--interest-basis", "period")
    annual = apr_json(debt, "--principal", "10000", "--term", "12", "--rate", "18.25")
    assert daily == annual


def test_daily_rate_is_charged_by_the_day(debt: Debt) -> None:
    # 10,000 at 0.05% a day from 2026-11-15: the level payment uses 0.05% x 365 / 12 a month; each month
    # charges its actual days, so December (30 days) costs 150.00 and January (31 days) 155.00 on 10,000
    out = apr_json(debt, "--principal", "10000", "--term", "12", "--daily-rate", "0.05")
    assert out["payment"] == str(level_payment(Decimal(10000), Decimal("18.25"), 12))
    annual = apr_json(debt, "--principal", "10000", "--term", "12", "--rate", "18.25")
    assert out["apr"] != annual["apr"] or out["total_repaid"] != annual["total_repaid"]


def test_received_lowers_the_amount_and_raises_the_apr(debt: Debt) -> None:
    base = apr_json(debt, "--principal", "10000", "--term", "12", "--rate", "10")
    net = apr_json(debt, "--principal", "10000", "--term", "12", "--rate", "10", "--received", "9,500")
    payments = amortize(Decimal(10000), Decimal(10), 12)
    for key in ("payment", "last_payment", "total_repaid"):
        assert net[key] == base[key]
    assert Decimal(net["total_cost"]) - Decimal(base["total_cost"]) == 500
    assert Decimal(net["apr"]) > Decimal(base["apr"]) and Decimal(net["ear"]) > Decimal(base["ear"])
    assert base["apr"] == "10.00"
    assert_apr_close(net["apr"], Decimal(9500), payments)
    assert oracle_apr(Decimal(9500), payments) == (Decimal(net["apr"]), Decimal(net["ear"]))
    # 5% off the top pushes the true cost past 1.5x the quoted 10%
    assert "fee-disguised" not in codes(base)
    assert set(codes(net)) == expected_codes(Decimal(net["apr"]), advertised=Decimal(10))
    assert "fee-disguised" in codes(net)


def test_received_above_principal_is_refused(debt: Debt) -> None:
    assert_error(debt("apr", "--principal", "10000", "--term", "12", "--rate", "10", "--received", "10001"), 2)
    assert not debt.db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--principal", "10000", "--term", "12"],
        ["--principal", "10000", "--term", "12", "--rate", "5", "--monthly-rate", "1"],
        ["--principal", "10000", "--term", "12", "--rate", "5", "--method", "revolving"],
        ["--principal", "abc", "--term", "12", "--rate", "5"],
        ["--principal", "10000", "--term", "0", "--rate", "5"],
    ],
)
def test_apr_bad_input(debt: Debt, args: list[str]) -> None:
    assert_error(debt("apr", *args), 2)
    assert not debt.db.exists()


def test_pboc_example_through_the_cli(debt: Debt) -> None:
    # 100,000 borrowed, 1,000 deducted up front, 12 monthly payments of 8,833.30: APR 12.80%, EAR 13.58%
    nominal = Decimal(repr(float(npf.rate(12, -8833.30, 100000, 0)) * 1200)).quantize(Decimal("0.000001"))
    assert level_payment(Decimal(100000), nominal, 12) == Decimal("8833.30")
    out = apr_json(debt, "--principal", "100000", "--term", "12", "--rate", str(nominal), "--received", "99000")
    assert out["payment"] == "8833.30"
    assert abs(Decimal(out["last_payment"]) - Decimal("8833.30")) <= Decimal("0.05")
    assert (out["apr"], out["ear"]) == ("12.80", "13.58")
    payments = [Decimal(out["payment"])] * 11 + [Decimal(out["last_payment"])]
    assert oracle_apr(Decimal(99000), payments) == (Decimal("12.80"), Decimal("13.58"))
    assert oracle_apr(Decimal(99000), [Decimal("8833.30")] * 12) == (Decimal("12.80"), Decimal("13.58"))


def test_pboc_example_through_cost_of() -> None:
    start = dt.date(2026, 1, 10)
    installments = [Installment(k + 1, add_months(start, k + 1), 0, 883330) for k in range(12)]
    cost = cost_of(9_900_000, start, installments)
    assert (cost.apr, cost.ear) == (Decimal("12.80"), Decimal("13.58"))
    assert float(cost.monthly_irr) == pytest.approx(irr_monthly(Decimal(99000), [Decimal("8833.30")] * 12), abs=1e-12)


# -- 3. warnings fire strictly above their lines; the LPR setting moves the first line -------
@pytest.mark.parametrize("rate", ["11.99", "12.00", "12.01", "23.99", "24.00", "24.01", "35.99", "36.00", "36.01"])
def test_warning_lines_through_apr(debt: Debt, rate: str) -> None:
    out = apr_json(debt, "--principal", "10000", "--term", "12", "--rate", rate)
    payments = amortize(Decimal(10000), Decimal(rate), 12)
    assert oracle_apr(Decimal(10000), payments)[0] == Decimal(rate)
    assert out["apr"] == rate
    assert set(codes(out)) == expected_codes(Decimal(rate))
    assert len(codes(out)) == len(set(codes(out)))


def test_warning_lines_on_saved_loans(debt: Debt) -> None:
    for rate in ("12.00", "12.01", "24.00", "24.01", "36.00", "36.01"):
        add_loan(debt, f"r{rate}", "10000", rate)
    listed = debt.ok("loan", "list", "--json").json
    got = {item["name"]: (item["apr"], set(codes(item))) for item in listed}
    assert got == {
        "r12.00": ("12.00", set()),
        "r12.01": ("12.01", {"above-4x-lpr"}),
        "r24.00": ("24.00", {"above-4x-lpr"}),
        "r24.01": ("24.01", {"above-4x-lpr", "above-24"}),
        "r36.00": ("36.00", {"above-4x-lpr", "above-24"}),
        "r36.01": ("36.01", {"above-4x-lpr", "above-24", "above-36"}),
    }


def test_the_private_lending_line_is_not_held_against_licensed_lenders(debt: Debt) -> None:
    """The 4 x LPR cap binds private lending; banks, consumer-finance and micro-loan companies are exempt
    (shared/reference/domain.md). A card at 18% was marked as above it, beside a message saying banks are not
    bound by it. A person's loan, or one whose lender the kind does not name, still gets it; 24% and 36% hold for all."""
    kinds = ("mortgage", "car", "consumer", "credit-card", "online-platform", "personal", "other")
    for kind in kinds:
        add_loan(debt, f"{kind} 18", "10000", "18", "12", "--kind", kind)
        add_loan(debt, f"{kind} 30", "10000", "30", "12", "--kind", kind)
    got = {item["name"]: set(codes(item)) for item in debt.ok("loan", "list", "--json").json}
    for kind in kinds:
        private = kind in ("personal", "other")
        assert got[f"{kind} 18"] == ({"above-4x-lpr"} if private else set()), kind
        assert got[f"{kind} 30"] == ({"above-4x-lpr", "above-24"} if private else {"above-24"}), kind
    shown = debt.ok("loan", "show", "1", "--json").json  # the loan's own page says the same
    assert shown["kind"] == "mortgage" and codes(shown) == []
    # the calculator knows no lender: it keeps the line, whose message says whom it binds
    assert codes(apr_json(debt, "--principal", "10000", "--term", "12", "--rate", "18")) == ["above-4x-lpr"]


def test_a_new_lpr_fixing_moves_the_line_for_loans_from_then_on(debt: Debt) -> None:
    assert "lpr" not in debt.ok("config", "get", "--json").json
    add_loan(debt, "thirteen", "10000", "13")  # started 2026-10-15: one-year LPR 3.0, line 12%
    assert codes(debt.ok("loan", "show", "1", "--json").json) == ["above-4x-lpr"]
    assert apr_json(debt, "--principal", "10000", "--term", "12", "--rate", "13")["warnings"] != []

    out = debt.ok("lpr", "add", "2026-11-10", "--one-year", "3.5", "--five-year", "4.0").stdout
    assert "3.50%" in out and "4.00%" in out

    again = Debt(debt.db)  # another invocation on the same file sees the new fixing
    assert again.ok("lpr", "list", "--json").json[-1] == {
        "date": "2026-11-10", "one_year": "3.5", "five_year": "4", "source": "added by you"
    }  # fmt: skip
    # the loan started before the new fixing keeps its line; an offer from today uses the new one
    assert codes(again.ok("loan", "show", "1", "--json").json) == ["above-4x-lpr"]
    assert codes(apr_json(again, "--principal", "10000", "--term", "12", "--rate", "14")) == []
    above = apr_json(again, "--principal", "10000", "--term", "12", "--rate", "14.01")
    assert codes(above) == ["above-4x-lpr"]
    assert "14.00%" in above["warnings"][0]["message"]


def test_lpr_setting_points_to_the_table(debt: Debt) -> None:
    r = debt("config", "set", "lpr", "3.5")
    assert_error(r, 2)
    assert "debt lpr add" in r.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["config", "set", "dti.warn", "abc"], 2),
        (["config", "set", "dti.warn", "0"], 2),
        (["config", "set", "dti.warn", "101"], 2),
        (["config", "set", "foo", "1"], 2),
        (["config", "get", "foo"], 2),
        (["lpr", "add", "2026-11-10", "--one-year", "abc", "--five-year", "3"], 2),
        (["lpr", "add", "2019-01-01", "--one-year", "3", "--five-year", "3"], 2),
    ],
)
def test_config_errors_change_nothing(debt: Debt, args: list[str], code: int) -> None:
    debt.ok("config", "set", "dti.warn", "0.55")
    before = dump(debt.db)
    assert_error(debt(*args), code)
    assert debt.ok("config", "get", "--json").json["dti.warn"] == "0.55"
    assert dump(debt.db) == before


def test_config_unknown_key_creates_no_database(debt: Debt) -> None:
    assert_error(debt("config", "set", "foo", "1"), 2)
    assert not debt.db.exists()


def test_config_bad_value_creates_no_database(debt: Debt) -> None:
    assert_error(debt("config", "set", "dti.warn", "abc"), 2)
    assert not debt.db.exists()


def test_config_get_without_a_database_shows_defaults(debt: Debt) -> None:
    assert debt.ok("config", "get", "--json").json["dti.warn"] == "0.50"
    assert not debt.db.exists()


# -- 4. APR fields on saved loans ----------------------------------------------------------------
def test_loan_list_and_show_carry_cost(debt: Debt) -> None:
    added = add_loan(debt, "net", "10000", "10", "12", "--received", "9500")
    debt.ok(
        "loan", "add", "friend", "--lender", "Li", "--principal", "5000", "--rate", "0", "--term", "6",
        "--method", "bullet", "--start", "2026-09-01", "--json",
    )  # fmt: skip
    debt.ok(
        "loan", "add", "card", "--lender", "CMB", "--principal", "10000", "--fee-rate", "0.6", "--term", "12",
        "--method", "flat-fee", "--start", "2026-10-15", "--json",
    )  # fmt: skip
    listed = debt.ok("loan", "list", "--json").json
    assert [x["name"] for x in listed] == ["net", "friend", "card"]
    for item in listed:
        assert {"apr", "ear", "warnings"} <= set(item)
        assert PCT.match(item["apr"]) and PCT.match(item["ear"]), item
        for w in item["warnings"]:
            assert {"code", "message"} <= set(w) and w["message"]
        shown = debt.ok("loan", "show", str(item["id"]), "--json").json
        assert (shown["apr"], shown["ear"], shown["warnings"]) == (item["apr"], item["ear"], item["warnings"])

    net, friend, card = listed
    payments = amortize(Decimal(10000), Decimal(10), 12)
    assert (net["apr"], net["ear"]) == tuple(str(x) for x in oracle_apr(Decimal(9500), payments))
    assert (added["apr"], added["warnings"]) == (net["apr"], net["warnings"])
    assert set(codes(net)) == expected_codes(Decimal(net["apr"]), advertised=Decimal(10))

    assert (friend["apr"], friend["ear"], friend["warnings"]) == ("0.00", "0.00", [])

    assert (card["apr"], card["ear"]) == ("13.03", "13.84")
    assert set(codes(card)) == {"above-4x-lpr", "fee-disguised"}


# -- 5. payoff plans -------------------------------------------------------------------------------
# Two equal-installment loans started 2026-10-15, so both are due on the 15th from today (2026-11-15):
# A: 10,000 at 18% (the larger, dearer debt) and B: 3,000 at 6%, 12 months each.
LOANS = [("A", Decimal(10000), Decimal(18)), ("B", Decimal(3000), Decimal(6))]
FIRST_DUE = dt.date(2026, 11, 15)


@dataclass
class SimLoan:
    id: int
    name: str
    balance: Decimal
    annual: Decimal
    payment: Decimal
    left: int  # installments left
    interest: Decimal = Decimal(0)
    payoff: dt.date | None = None
    since: dt.date | None = None  # a prepayment's date: the next installment's interest runs from it


@dataclass
class SimPlan:
    months: int = 0
    debt_free_date: dt.date | None = None
    total_interest: Decimal = Decimal(0)
    loans: list[SimLoan] = field(default_factory=list)


def simulate(budget: Decimal, strategy: str | None) -> SimPlan:
    """Month by month, as a bank charges it: every loan pays its installment on the 15th; what the budget
    leaves prepays the target at the month's end. A prepayment first pays the interest for the days since
    the 15th (annual / 360), the rest comes off the principal, and the loan gets the level payment for the
    fewest whole months the old payment allowed; the next installment's interest runs from the prepayment."""
    loans = [SimLoan(k + 1, n, p, a, level_payment(p, a, 12), 12) for k, (n, p, a) in enumerate(LOANS)]
    plan = SimPlan(loans=loans)
    for m in range(24):
        due = FIRST_DUE + relativedelta(months=m)
        month_end = due + relativedelta(day=31)
        spent = Decimal(0)
        for ln in loans:
            if ln.balance == 0:
                continue
            regular = half_up(ln.balance * ln.annual / 1200)
            interest = regular if ln.since is None else half_up(ln.balance * ln.annual / 36000 * (due - ln.since).days)
            ln.since = None
            principal = ln.balance if ln.left == 1 else min(ln.payment - regular, ln.balance)
            spent += principal + interest
            ln.interest += interest
            ln.balance -= principal
            ln.left -= 1
            if ln.balance == 0:
                ln.payoff = due
        if m == 0 and strategy is not None:
            assert spent <= budget
        extra = budget - spent if strategy is not None else Decimal(0)
        prepaid = False
        while extra > 0 and any(ln.balance for ln in loans):
            open_loans = [ln for ln in loans if ln.balance]
            if strategy == "avalanche":
                target = max(open_loans, key=lambda ln: ln.annual)
            else:
                target = min(open_loans, key=lambda ln: ln.balance)
            accrued = half_up(target.balance * target.annual / 36000 * (month_end - due).days)
            pay = min(extra, target.balance + accrued)
            assert pay > accrued
            extra -= pay
            target.interest += accrued
            target.balance -= pay - accrued
            target.since = month_end
            prepaid = True
            if target.balance == 0:
                target.payoff = month_end
            else:
                n = 1
                while level_payment(target.balance, target.annual, n) > target.payment:
                    n += 1
                target.payment, target.left = level_payment(target.balance, target.annual, n), n
        if spent or prepaid:
            plan.months = m + 1
    assert all(ln.balance == 0 for ln in loans)
    plan.debt_free_date = max(ln.payoff for ln in loans if ln.payoff)
    plan.total_interest = sum((ln.interest for ln in loans), Decimal(0))
    return plan


def assert_plan_matches(got: dict, want: SimPlan) -> None:
    assert got["months"] == want.months
    assert got["debt_free_date"] == want.debt_free_date.isoformat()
    assert Decimal(got["total_interest"]) == want.total_interest
    assert [(x["id"], x["name"]) for x in got["loans"]] == [(ln.id, ln.name) for ln in want.loans]
    for item, ln in zip(got["loans"], want.loans, strict=True):
        assert item["payoff_date"] == ln.payoff.isoformat(), (item, ln)
        assert Decimal(item["interest"]) == ln.interest, (item, ln)


@pytest.fixture
def two_loans(debt: Debt) -> Debt:
    for name, principal, annual in LOANS:
        add_loan(debt, name, str(principal), str(annual))
    return debt


THIS_MONTH = sum(level_payment(p, a, 12) for _n, p, a in LOANS)  # 916.80 + 258.20


def test_simulation_oracle_by_hand() -> None:
    # the oracle itself, on numbers small enough to check by hand
    assert (level_payment(Decimal(10000), Decimal(18), 12), level_payment(Decimal(3000), Decimal(6), 12)) == (
        Decimal("916.80"),
        Decimal("258.20"),
    )
    assert THIS_MONTH == Decimal("1175.00")
    # a budget that clears everything in the first month: November's interest, 150.00 + 15.00, then the
    # 15 days to the month's end on what is left: 9,233.20 x 18% / 360 x 15 = 69.25 and 2,756.80 x 6% / 360 x 15 = 6.89
    rich = simulate(Decimal(20000), "avalanche")
    assert (rich.months, rich.total_interest, rich.debt_free_date) == (1, Decimal("241.14"), dt.date(2026, 11, 30))
    base = simulate(Decimal(0), None)
    assert base.months == 12 and base.debt_free_date == dt.date(2027, 10, 15)
    assert [ln.interest for ln in base.loans] == [
        sum(amortize(p, a, 12)) - p for _n, p, a in LOANS
    ]  # the schedule's own interest


def test_plan_json_shape(two_loans: Debt) -> None:
    both = two_loans.ok("plan", "--budget", "2000", "--json").json
    assert set(both) == {"avalanche", "snowball", "schedule"}
    for plan in both.values():
        assert PLAN_KEYS <= set(plan), PLAN_KEYS - set(plan)
        assert isinstance(plan["months"], int)
        assert len(plan["loans"]) == 2
        for item in plan["loans"]:
            assert PLAN_LOAN_KEYS <= set(item)
    assert two_loans.ok("plan", "--budget", "2000", "--strategy", "both", "--json").json == both
    for strategy, other in (("avalanche", "snowball"), ("snowball", "avalanche")):
        one = two_loans.ok("plan", "--budget", "2000", "--strategy", strategy, "--json").json
        assert strategy in one and "schedule" in one and other not in one
        assert one[strategy] == both[strategy]


@pytest.mark.parametrize("budget", ["1175", "1500", "2000", "3000", "6000", "20000"])
def test_plan_matches_hand_simulation(two_loans: Debt, budget: str) -> None:
    got = two_loans.ok("plan", "--budget", budget, "--json").json
    for strategy in ("avalanche", "snowball"):
        assert_plan_matches(got[strategy], simulate(Decimal(budget), strategy))
    assert_plan_matches(got["schedule"], simulate(Decimal(budget), None))


def test_avalanche_costs_no_more_than_snowball(two_loans: Debt) -> None:
    for budget in ("1500", "2000", "3000"):
        got = two_loans.ok("plan", "--budget", budget, "--json").json
        avalanche, snowball = Decimal(got["avalanche"]["total_interest"]), Decimal(got["snowball"]["total_interest"])
        assert avalanche < snowball, budget  # the dear debt is also the big one: the strategies really differ
        assert avalanche < Decimal(got["schedule"]["total_interest"])


def test_larger_budget_never_takes_longer(two_loans: Debt) -> None:
    budgets = ["1175", "1180", "1300", "1600", "2200", "3500", "7000", "12000", "20000"]
    months = {"avalanche": [], "snowball": []}
    for budget in budgets:
        got = two_loans.ok("plan", "--budget", budget, "--json").json
        for strategy, seen in months.items():
            seen.append(got[strategy]["months"])
            assert got[strategy]["months"] <= got["schedule"]["months"]
    for strategy, seen in months.items():
        assert seen == sorted(seen, reverse=True), (strategy, seen)
        assert seen[0] > seen[-1] == 1


@pytest.mark.parametrize(("budget", "short"), [("1174.99", "0.01"), ("1000", "175.00")])
def test_plan_budget_below_this_months_payments(two_loans: Debt, budget: str, short: str) -> None:
    assert THIS_MONTH - Decimal(budget) == Decimal(short)
    r = two_loans("plan", "--budget", budget, "--json")
    assert_error(r, 1)
    assert short in r.stderr and "1,175.00" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize(
    "args", [["--strategy", "fastest"], ["--strategy", "schedule"], ["--budget", "abc"], ["--budget", "-5"], ["--budget", "0"]]
)
def test_plan_bad_input(two_loans: Debt, args: list[str]) -> None:
    opts = {"--budget": "2000", "--strategy": "both"}
    opts.update(dict(zip(args[::2], args[1::2], strict=True)))
    assert_error(two_loans("plan", *[part for pair in opts.items() for part in pair]), 2)


def test_plan_without_loans_is_refused(debt: Debt) -> None:
    assert_error(debt("plan", "--budget", "2000"), 1)
    assert not debt.db.exists()


# -- 6. human output -------------------------------------------------------------------------------
def test_human_outputs_mention_apr(two_loans: Debt) -> None:
    r = two_loans.ok("apr", "--principal", "10000", "--term", "12", "--fee-rate", "0.6")
    assert "APR 13.03%" in r.stdout and "EAR 13.84%" in r.stdout
    assert "893.37" in r.stdout and "10,720.00" in r.stdout
    plan = two_loans.ok("plan", "--budget", "2000")
    assert "APR" in plan.stdout and "Avalanche" in plan.stdout and "Snowball" in plan.stdout
    assert "2,000.00" in plan.stdout
    show = two_loans.ok("loan", "show", "1")
    assert "APR 18.00%" in show.stdout
    listed = two_loans.ok("loan", "list")
    assert "APR" in listed.stdout and "18.00%" in listed.stdout


# -- regressions: bugs found and fixed ------------------------------------------------------------
def test_plan_refuses_a_budget_below_the_monthly_payments_once_this_month_is_paid(two_loans: Debt) -> None:
    for loan_id, (_n, principal, annual) in enumerate(LOANS, start=1):
        two_loans.ok("repay", str(loan_id), str(level_payment(principal, annual, 12)), "--date", TODAY)
    # 100 a month cannot carry 1,175.00 of installments from December on
    assert_error(two_loans("plan", "--budget", "100", "--json"), 1)


BULLET = ["loan", "add", "b", "--lender", "L", "--principal", "5000", "--rate", "12", "--term", "12", "--method", "bullet"]


def test_plan_bullet_prepayment_keeps_accrued_interest(debt: Debt) -> None:
    debt.ok(*BULLET, "--start", "2026-10-05", "--json")
    today = "2027-09-15"  # eleven months in; the whole 5,000 has run at 1% a month for 11 months: 550.00
    # 5,600 falls due within a month (maturity), so the budget must cover it; the rest prepays at once
    got = debt.ok("plan", "--budget", "6000", "--strategy", "avalanche", "--json", today=today).json
    assert got["schedule"]["total_interest"] == "600.00"
    assert Decimal(got["avalanche"]["total_interest"]) >= Decimal(5000) * Decimal("0.01") * 11


def test_bullet_full_prepayment_keeps_accrued_interest(debt: Debt) -> None:
    debt.ok(*BULLET, "--start", "2026-10-05", "--json")
    debt.ok("repay", "1", "4000", "--prepay", "--date", "2027-09-01", today="2027-09-15")
    interest = sum(Decimal(s["interest"]) for s in debt.ok("loan", "show", "1", "--json", today="2027-09-15").json["schedule"])
    assert interest >= Decimal(550)  # the ledger keeps 560.00 after this partial prepayment
    debt.ok("repay", "1", "1000", "--prepay", "--date", "2027-09-02", today="2027-09-15")
    shown = debt.ok("loan", "show", "1", "--json", today="2027-09-15").json
    assert sum(Decimal(s["interest"]) for s in shown["schedule"]) >= Decimal(550)


def test_a_budget_short_of_the_minimum_says_how_much_of_it_is_overdue(tmp_path) -> None:
    """The minimum a plan needs is the month's installments plus what is overdue; the overdue part is owed once,
    so a refusal names it apart (checked against the loans' own JSON: their overdue amounts and next payments)."""
    from decimal import Decimal

    from helpers import ROOT, Debt, assert_error

    debt = Debt(tmp_path / "h.db", "2026-11-30")
    debt.ok("import", str(ROOT / "sample_data" / "household.json"))
    loans = debt.ok("loan", "list", "--json").json
    overdue = sum(Decimal(x["overdue_amount"]) for x in loans)
    assert overdue > 0
    r = debt("plan", "--budget", "1000")
    assert_error(r, 1)
    assert f"of which {overdue:,.2f} is overdue" in r.stderr
