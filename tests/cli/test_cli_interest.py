"""`debt` on interest as banks and platforms charge it: payoff between due dates, prepayments, rate changes
and LPR repricing, penalty interest, APR for every loan. Figures are computed here independently (Decimal by
hand, numpy-financial), never read back from the engine. The engine's own rules: engine/test_interest.py."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest
from helpers import Debt, assert_error, dump

from tracker.schedule import MAX_TERM_MONTHS

D = dt.date
FEN = Decimal("0.01")


def yuan(text: str) -> Decimal:
    return Decimal(text)


def half_up(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


# -- the cost of credit, robust --------------------------------------------------------------------
def test_bullet_at_24_percent_over_30_years(debt: Debt):
    out = debt.ok("apr", "--principal", "100000", "--term", "360", "--rate", "24", "--method", "bullet", "--json").json
    # closed form: 820,000 after 360 months for 100,000
    monthly = (Decimal(820000) / Decimal(100000)) ** (Decimal(1) / 360) - 1
    assert out["apr"] == str(half_up(monthly * 1200)) == "7.03"
    assert out["ear"] == str(half_up(((1 + monthly) ** 12 - 1) * 100)) == "7.27"


@pytest.mark.parametrize("method", ["bullet", "equal-installment", "equal-principal", "interest-only", "flat-fee"])
def test_longest_term_and_highest_rate_price_and_list(debt: Debt, method: str):
    args = ["loan", "add", "x", "--lender", "y", "--principal", "100000", "--term", str(MAX_TERM_MONTHS), "--method", method]
    args += ["--start", "2025-01-15", "--json"]
    args += ["--fee-rate", "100"] if method == "flat-fee" else ["--rate", "1000"]
    added = debt.ok(*args).json
    assert added["apr"] is not None and added["ear"] is not None
    for command in (
        ["loan", "list", "--json"],
        ["plan", "--budget", "100000000", "--json"],
        ["dti", "--json"],
        ["remind", "--json"],
    ):
        debt.ok(*command)
    debt.ok("check")


def test_a_rounded_payment_that_ends_early_is_said(debt: Debt):
    out = debt.ok(
        "loan", "add", "tiny", "--lender", "friend", "--principal", "100", "--rate", "0", "--term", "600",
        "--method", "equal-installment", "--start", "2025-01-15", "--json",
    ).json  # fmt: skip
    # 100.00 / 600 = 0.1667 -> 0.17 a month repays it in 589 installments (588 x 0.17 = 99.96)
    assert len(out["schedule"]) == 589
    assert "the rounded payment repays this loan in 589 installments, not 600" in out["notices"]
    text = debt.ok("loan", "add", "tiny2", "--lender", "f", "--principal", "100", "--rate", "0", "--term", "600",
                   "--method", "equal-installment", "--start", "2025-01-15").stdout  # fmt: skip
    assert "589 installments, not 600" in text


# -- payoff and prepayment between due dates -----------------------------------------------------------
def test_payoff_between_due_dates_adds_the_days_since_the_last_due_date(debt: Debt):
    debt.ok(
        "loan", "add", "car", "--lender", "bank", "--principal", "120000", "--rate", "6", "--term", "24",
        "--method", "equal-principal", "--start", "2026-01-10", "--json",
    )  # fmt: skip
    debt.ok("repay", "1", "5600", "--date", "2026-02-10")  # 5,000 principal + 600 interest
    debt.ok("repay", "1", "5575", "--date", "2026-03-10")  # 5,000 + 115,000 x 0.5%
    quote = debt.ok("loan", "payoff", "1", "--date", "2026-03-25", "--json").json
    # 110,000 left; 15 days of interest at 6% / 360
    interest = half_up(Decimal(110000) * Decimal("0.06") / 360 * 15)
    assert quote == {
        "loan_id": 1, "date": "2026-03-25", "principal": "110000.00", "interest": str(interest), "fees": "0.00",
        "penalty": "0.00", "total": str(110000 + interest), "currency": "CNY",
    }  # fmt: skip
    recorded = debt.ok("repay", "1", quote["total"], "--date", "2026-03-25", "--prepay", "--json").json
    assert recorded["loan"]["status"] == "closed" and recorded["credit"] == "0.00"
    assert recorded["prepayment"]["new_end"] is None and recorded["prepayment"]["accrued_interest"] == str(interest)


def test_a_revolving_payment_beyond_its_bill_says_the_bill_it_settled(debt: Debt):
    """4,500.00 left at 0.05 % a day after the first bill, 4,000.00 paid a day later: the coming bill settled with one
    day of interest (4,500.00 x 0.05 % = 2.25) and its 450.00 minimum; 3,547.75 off the rest; 502.25 left."""
    debt.ok(
        "loan", "add", "金条", "--lender", "京东", "--principal", "5000", "--daily-rate", "0.05", "--method", "revolving",
        "--start", "2026-10-01", "--first-due", "2026-11-25", "--json",
    )  # fmt: skip
    debt.ok("repay", "1", "637.50", "--date", "2026-11-25", today="2026-11-25")  # 500.00 and 55 days at 2.50
    out = debt.ok("repay", "1", "4000", "--date", "2026-11-26", "--json", today="2026-11-26").json
    assert {k: out["prepayment"][k] for k in ("bill_due", "bill_principal", "accrued_interest", "principal")} == {
        "bill_due": "2026-12-25", "bill_principal": "450.00", "accrued_interest": "2.25", "principal": "3547.75",
    }  # fmt: skip
    assert out["loan"]["outstanding_principal"] == "502.25"
    text = debt.ok("repay", "1", "10", "--date", "2026-11-27", today="2026-11-27").stdout
    assert "Recorded repayment 3" in text and "the bill due" not in text  # short of the next bill: an advance on it
    shown = debt.ok("repay", "1", "60", "--date", "2026-11-28", today="2026-11-28").stdout
    said = " ".join(shown.split())  # as wrapped to the terminal
    assert "Prepayment on 2026-11-28: the bill due 2027-01-25 (¥50.23 and ¥0.50 interest to this day) first" in said
    assert "1 month sooner" in said  # 28 April 2028 instead of May
    # a bill settled early that shortens nothing: no "the payment drops" comparing two different months' bills
    # (the next one runs its interest from the day paid); the next bill is what is said
    early = " ".join(debt.ok("repay", "1", "49.00", "--date", "2026-12-20", today="2026-12-20").stdout.split())
    assert "the bill due" in early and "the payment drops" not in early and "Next due" in early


@pytest.mark.parametrize(("early_fees", "total"), [("charge", "9648.00"), ("waive", "9000.00")])
def test_flat_fee_payoff_after_the_third_installment(debt: Debt, early_fees: str, total: str):
    debt.ok(
        "loan", "add", "分期", "--lender", "CMB", "--principal", "12000", "--fee-rate", "0.6", "--term", "12",
        "--method", "flat-fee", "--start", "2026-01-05", "--early-fees", early_fees, "--json",
    )  # fmt: skip
    for day in ("2026-02-05", "2026-03-05", "2026-04-05"):
        debt.ok("repay", "1", "1072", "--date", day)  # 1,000 principal + 72 fee
    quote = debt.ok("loan", "payoff", "1", "--date", "2026-04-05", "--json").json
    assert quote["total"] == total and quote["principal"] == "9000.00"
    assert quote["fees"] == ("648.00" if early_fees == "charge" else "0.00")  # 9 fees of 72.00
    closed = debt.ok("repay", "1", total, "--date", "2026-04-05", "--prepay", "--json").json
    assert closed["loan"]["status"] == "closed" and closed["credit"] == "0.00"


def test_prepayment_text_says_the_new_end_and_what_it_saves(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    out = debt.ok("repay", "1", "100000", "--date", "2025-02-15", "--prepay").stdout
    shown = debt.ok("loan", "show", "1", "--json").json
    last = [s for s in shown["schedule"] if s["kind"] == "installment"][-1]
    assert f"Now ends {last['due_date'][:7]} instead of 2055-01" in out
    assert "Interest and fees saved: ¥" in out


def test_installment_numbers_survive_a_prepayment(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    debt.ok("repay", "1", "50000", "--date", "2025-02-20", "--prepay")
    shown = debt.ok("loan", "show", "1", "--json").json
    assert [s["seq"] for s in shown["schedule"][:4]] == [1, None, 2, 3]
    assert shown["schedule"][1]["kind"] == "prepayment"
    reminders = debt.ok("remind", "--within", "31", "--json", today="2025-03-10").json
    assert any("installment 2 due" in r["title"] for r in reminders if r.get("loan_id") == 1)


# -- rate changes and LPR ----------------------------------------------------------------------------
def test_rate_change_keeps_earlier_periods_and_recomputes_the_rest(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")  # 1,000,000 at 4.9% from 2025-01-15
    for month in (2, 3):
        debt.ok("repay", "1", "5307.27", "--date", f"2025-{month:02d}-15")
    before = debt.ok("loan", "show", "1", "--json").json
    out = debt.ok("loan", "rate", "1", "4.2", "--from", "2025-03-20", "--json").json
    assert out["rate_history"] == [{"from": "2025-01-15", "annual_rate": "4.90"}, {"from": "2025-03-20", "annual_rate": "4.20"}]
    s = out["schedule"]
    # periods starting before 20 March keep 4.9%: the 15 April installment's period began on 15 March
    assert s[:3] == before["schedule"][:3]
    # from the 15 May installment: the remaining principal over the 357 installments left, at 4.2%
    balance = Decimal(1_000_000) - sum(Decimal(x["principal"]) for x in s[:3])
    payment = half_up(Decimal(str(-npf.pmt(0.042 / 12, 357, float(balance)))))
    assert yuan(s[3]["total"]) == payment
    assert yuan(s[3]["interest"]) == half_up(balance * Decimal("0.042") / 12)
    assert len(s) == 360 and sum(yuan(x["principal"]) for x in s) == Decimal(1_000_000)


def test_rate_change_never_rewrites_a_paid_installment(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    debt.ok("repay", "1", "5307.27", "--date", "2025-03-15")
    before = dump(debt.db)
    r = debt("loan", "rate", "1", "4.2", "--from", "2025-02-01")
    assert_error(r, 1)
    assert "installment 3 (due 2025-04-15)" not in r.stderr and "installment 2 (due 2025-03-15)" in r.stderr
    assert dump(debt.db) == before
    # the error names the earliest day a change may start from, and that day works
    assert "a change can start from 2025-03-15" in r.stderr
    debt.ok("loan", "rate", "1", "4.2", "--from", "2025-03-15")


def test_edit_rate_on_a_loan_with_repayments_points_to_loan_rate(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    debt.ok("loan", "edit", "1", "--rate", "4.5", "--json")  # no repayments yet: an edit of the contract
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    before = dump(debt.db)
    r = debt("loan", "edit", "1", "--rate", "4.2")
    assert_error(r, 1)
    assert "debt loan rate 1 PCT --from DATE" in r.stderr
    assert dump(debt.db) == before
    debt.ok("loan", "edit", "1", "--name", "房贷 ICBC", "--json")  # other edits still work


def test_floating_mortgage_reprices_on_its_day(debt: Debt):
    out = debt.ok(
        "loan", "add", "房贷", "--lender", "工商银行", "--kind", "mortgage", "--principal", "1,000,000",
        "--lpr-spread", "-30", "--reprice", "01-01", "--term", "360", "--method", "equal-installment",
        "--start", "2024-06-15", "--json",
    ).json  # fmt: skip
    # 2024-06-15: five-year LPR 3.95 (since 2024-02-20) - 0.30; 2025-01-01: 3.60 (2024-10-21) - 0.30;
    # 2026-01-01: 3.50 (2025-05-20) - 0.30
    assert out["rate_history"] == [
        {"from": "2024-06-15", "annual_rate": "3.65"},
        {"from": "2025-01-01", "annual_rate": "3.30"},
        {"from": "2026-01-01", "annual_rate": "3.20"},
    ]
    s = out["schedule"]
    assert yuan(s[0]["total"]) == half_up(Decimal(str(-npf.pmt(0.0365 / 12, 360, 1_000_000))))
    # the bank's app: the installment of 2025-02-15 (period from 2025-01-15) is the first at 3.30%
    balance = Decimal(1_000_000) - sum(yuan(x["principal"]) for x in s[:7])
    assert yuan(s[7]["total"]) == half_up(Decimal(str(-npf.pmt(0.033 / 12, 353, float(balance)))))
    assert yuan(s[6]["interest"]) == half_up((balance + yuan(s[6]["principal"])) * Decimal("0.0365") / 12)
    # a new fixing the user adds moves the next repricing
    debt.ok("lpr", "add", "2026-12-21", "--one-year", "2.9", "--five-year", "3.4")
    shown = debt.ok("loan", "show", "1", "--json").json
    assert shown["rate_history"][-1] == {"from": "2027-01-01", "annual_rate": "3.10"}


def test_four_times_lpr_line_is_the_one_year_lpr_at_the_start(debt: Debt):
    for start in ("2024-05-01", "2025-06-01"):
        debt.ok("loan", "add", f"p{start}", "--lender", "p", "--principal", "10000", "--rate", "13", "--term", "12",
                "--method", "equal-installment", "--start", start, "--json")  # fmt: skip
    old, new = debt.ok("loan", "list", "--all", "--json").json
    assert [w["code"] for w in old["warnings"]] == []  # 4 x 3.45% = 13.80%
    assert [w["code"] for w in new["warnings"]] == ["above-4x-lpr"]  # 4 x 3.00% = 12.00%


def test_penalty_in_json_and_payoff(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--penalty-rate", "7.35", "--json")
    shown = debt.ok("loan", "show", "1", "--json", today="2025-02-25").json
    penalty = half_up(Decimal("5307.27") * Decimal("0.0735") / 360 * 10)
    assert shown["penalty_accrued"] == str(penalty) and shown["penalty_rate"] == "7.35"
    assert shown["schedule"][0]["days_late"] == 10 and shown["schedule"][1]["days_late"] == 0
    assert shown["overdue_amount"] == str(Decimal("5307.27") + penalty)
    quote = debt.ok("loan", "payoff", "1", "--date", "2025-02-25", "--json", today="2025-02-25").json
    assert quote["penalty"] == str(penalty)
    text = debt.ok("loan", "show", "1", today="2025-02-25").stdout
    assert f"Penalty interest 7.35% a year on overdue amounts; accrued and unpaid: ¥{penalty}" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--interest-basis", "monthly"],
        ["--early-fees", "charge"],
        ["--lpr-spread", "abc"],
        ["--lpr-spread", "-30", "--rate", "4"],
        ["--reprice", "13-01"],
        ["--penalty-rate", "-1"],
    ],
)
def test_bad_interest_options_are_refused_and_save_nothing(debt: Debt, args: list[str]):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    before = dump(debt.db)
    assert_error(debt(*MORTGAGE, *args), 2)
    assert dump(debt.db) == before


# -- DTI counts what is still to pay ------------------------------------------------------------------
def test_dti_counts_only_the_unpaid_part_of_an_installment_paid_in_advance(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    debt.ok("income", "add", "salary", "20000", "--from", "2025-01-01")
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    debt.ok("repay", "1", "3000", "--date", "2025-02-20")  # an advance on the March installment
    march = debt.ok("dti", "--month", "2025-03", "--json", today="2025-02-20").json
    assert march["obligations"] == "2307.27"
    feb = debt.ok("dti", "--month", "2025-02", "--json", today="2025-02-20").json
    assert feb["obligations"] == "5307.27"  # paid during its own month: still that month's burden


def test_export_round_trip_keeps_the_interest_terms(debt: Debt, tmp_path):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--penalty-rate", "7.35", "--json")
    debt.ok("loan", "add", "浮动", "--lender", "ICBC", "--principal", "500000", "--lpr-spread", "-30", "--reprice", "06-15",
            "--term", "240", "--method", "equal-principal", "--start", "2023-03-01", "--json")  # fmt: skip
    debt.ok("loan", "add", "分期", "--lender", "CMB", "--principal", "12000", "--fee-rate", "0.6", "--term", "12",
            "--method", "flat-fee", "--start", "2026-01-05", "--early-fees", "waive", "--json")  # fmt: skip
    debt.ok("loan", "add", "借呗", "--lender", "Alipay", "--principal", "20000", "--daily-rate", "0.05", "--term", "12",
            "--method", "equal-installment", "--start", "2025-01-08", "--json")  # fmt: skip
    debt.ok("repay", "1", "5320", "--date", "2025-02-20")
    debt.ok("loan", "rate", "1", "4.2", "--from", "2025-04-01")
    debt.ok("lpr", "add", "2026-12-21", "--one-year", "2.9", "--five-year", "3.4")
    out = tmp_path / "all.json"
    debt.ok("export", str(out))
    again = Debt(tmp_path / "again.db")
    again.ok("import", str(out))
    for n in ("1", "2", "3", "4"):
        assert again.ok("loan", "show", n, "--json").json == debt.ok("loan", "show", n, "--json").json
    second = tmp_path / "second.json"
    again.ok("export", str(second))
    assert second.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    journal = tmp_path / "all.journal"
    debt.ok("export", str(journal), "--format", "ledger")
    assert "Expenses:Penalty interest:1" in journal.read_text(encoding="utf-8")


def test_check_names_a_stored_loan_that_cannot_be_computed(debt: Debt):
    import sqlite3

    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    con = sqlite3.connect(debt.db)
    with con:
        con.execute("UPDATE loans SET term_months = 5000 WHERE id = 1")  # edited by hand: far past any real loan
    con.close()
    r = debt("check")
    assert r.exit_code == 1
    assert "loan 1: cannot be computed" in r.stdout + r.stderr


def test_a_new_lpr_fixing_never_reprices_paid_installments_or_replaces_an_official_one(debt: Debt):
    debt.ok(
        "loan", "add", "房贷", "--lender", "ICBC", "--principal", "1,200,000", "--lpr-spread", "-110", "--term", "360",
        "--method", "equal-installment", "--start", "2021-06-20", "--paid-until", "2026-10-20", "--json",
    )  # fmt: skip
    before = dump(debt.db)
    r = debt("lpr", "add", "2025-12-25", "--one-year", "2.6", "--five-year", "3.0")  # backdated: reprices 2026-01-01
    assert_error(r, 1)
    assert "already paid" in r.stderr
    r = debt("lpr", "add", "2026-01-20", "--one-year", "2.9", "--five-year", "3.4")  # the official fixing of that day
    assert_error(r, 1)
    assert "already in the table" in r.stderr
    assert dump(debt.db) == before
    debt.ok("lpr", "add", "2026-11-10", "--one-year", "2.9", "--five-year", "3.4")  # a newer one: fine


def test_editing_the_method_keeps_the_rate(debt: Debt):
    from helpers import MORTGAGE

    debt.ok(*MORTGAGE, "--json")
    out = debt.ok("loan", "edit", "1", "--method", "equal-principal", "--json").json
    assert (out["method"], out["annual_rate"]) == ("equal-principal", "4.90")


def test_an_absurd_fee_still_prices_or_is_refused_in_one_line(debt: Debt):
    for term, code in (("600", 0), ("12", 2)):
        r = debt("apr", "--principal", "100000", "--term", term, "--rate", "0", "--received", "1", "--json")
        assert r.exit_code == code, r.stderr
        if code:
            assert_error(r, code)
        else:
            assert float(r.json["apr"]) > 100_000
