"""Credit health through `debt`: incomes, debt-to-income, credit checks, the app audit, `debt remind` and its
calendar, run in-process through the `debt` fixture (fixed --today). Every rule on both sides of its boundary;
the pure modules themselves: engine/test_health.py.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from helpers import MORTGAGE, TODAY, Debt, assert_error, dump

from tracker import audit as audit_rules

D = dt.date
MONEY = re.compile(r"^\d+\.\d{2}$")
FOUR = Decimal("0.0001")
DTI_KEYS = set("month income obligations ratio status threshold history projection back_below_threshold what_if left_out".split())
POINT_KEYS = set("month income obligations ratio status".split())
AUDIT_KEYS = set("id app permission instruction status last_done due".split())
CHECK_KEYS = set("id date channel findings anomalies follow_up".split())
N_BUILT_IN = len(audit_rules.TEMPLATES)


# -- helpers -----------------------------------------------------------------------------------


def money(text: str) -> Decimal:
    assert isinstance(text, str) and MONEY.match(text), text
    return Decimal(text)


def ratio_number(value) -> Decimal:
    """A JSON ratio: a number (not a string) with at most 4 decimals."""
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    number = Decimal(str(value))
    assert number == number.quantize(FOUR), value
    return number


def expected_ratio(obligations: Decimal, income: Decimal) -> Decimal:
    return (obligations / income).quantize(FOUR, rounding=ROUND_HALF_UP)


def flat_loan(name: str, per_month: str, months: int, first_due: str, method: str = "equal-principal") -> list[str]:
    """`loan add` argv for an interest-free loan of `months` equal payments of `per_month`, the first on `first_due`."""
    first = D.fromisoformat(first_due)
    start = first - relativedelta(months=1)
    principal = Decimal(per_month) * months
    return [
        "loan", "add", name, "--lender", "Bank", "--principal", f"{principal:.2f}", "--rate", "0", "--term", str(months),
        "--method", method, "--start", start.isoformat(), "--first-due", first_due,
    ]  # fmt: skip


def bullet(name: str, amount: str, due: str) -> list[str]:
    """`loan add` argv for an interest-free loan repaid in one payment of `amount` on `due`."""
    first = D.fromisoformat(due)
    return [
        "loan", "add", name, "--lender", "Friend", "--principal", amount, "--rate", "0", "--term", "1",
        "--method", "bullet", "--start", (first - relativedelta(months=1)).isoformat(), "--first-due", due,
    ]  # fmt: skip


def dti_json(debt: Debt, *args: str, today: str | None = None) -> dict:
    out = debt.ok("dti", "--json", *args, today=today).json
    assert DTI_KEYS <= set(out), DTI_KEYS - set(out)
    return out


def schedules(debt: Debt) -> list[dict]:
    """`loan show --json` of every loan: a closed one's installments still count in the months they fell due."""
    loans = debt.ok("loan", "list", "--all", "--json").json
    return [debt.ok("loan", "show", str(x["id"]), "--json").json for x in loans]


def obligations_in(shown: list[dict], month: str) -> Decimal:
    """Installment totals falling due in month YYYY-MM, computed from the loans' schedules."""
    return sum(
        (
            money(s["total"])
            for loan in shown
            for s in loan["schedule"]
            if s.get("kind", "installment") == "installment" and s["due_date"][:7] == month
        ),
        Decimal(0),
    )


def remind(debt: Debt, *args: str, today: str | None = None) -> list[dict]:
    items = debt.ok("remind", "--json", *args, today=today).json
    for item in items:
        assert {"kind", "date", "title"} <= set(item), item
        assert item["kind"] in ("due", "overdue", "credit-check", "audit"), item
        if item["kind"] in ("due", "overdue"):
            assert isinstance(item["loan_id"], int) and MONEY.match(item["amount"]), item
    dates = [item["date"] for item in items]
    assert dates == sorted(dates), "not soonest first"
    return items


def kinds(items: list[dict], kind: str) -> list[dict]:
    return [i for i in items if i["kind"] == kind]


def audit_list(debt: Debt, today: str | None = None) -> dict[int, dict]:
    rows = debt.ok("audit", "list", "--json", today=today).json
    for row in rows:
        assert AUDIT_KEYS <= set(row), AUDIT_KEYS - set(row)
    return {row["id"]: row for row in rows}


def plan(debt: Debt, today: str) -> dict:
    return debt.ok("credit-check", "list", "--json", today=today).json["next"]


BAD_INCOMES = [
    ("abc amount", ["salary", "abc"]),
    ("negative amount", ["salary", "-5"]),
    ("zero amount", ["salary", "0"]),
    ("three decimals", ["salary", "1.234"]),
    ("huge amount", ["salary", "99999999999999999999"]),
    ("from 2026-02-30", ["salary", "100", "--from", "2026-02-30"]),
    ("from 26-1-1", ["salary", "100", "--from", "26-1-1"]),
    ("to 2026-13-01", ["salary", "100", "--to", "2026-13-01"]),
    ("to before from", ["salary", "100", "--from", "2026-06-01", "--to", "2026-05-31"]),
    ("empty source", ["   ", "100"]),
]


REFUSED_WRITES = [
    ("income-add", ["income", "add", "salary", "abc"], 2),
    ("income-add-from", ["income", "add", "salary", "100", "--from", "2026-13-01"], 2),
    ("check-log-future", ["credit-check", "log", "--date", "2026-11-16"], 2),
    ("audit-add-empty", ["audit", "add", "  ", "contacts"], 2),
    ("audit-done-unknown", ["audit", "done", "99"], 1),
]


# == debt-to-income ============================================================================
def build_household(debt: Debt) -> None:
    """Several methods (a revolving card, a fee loan), repayments, a closed loan and changing incomes."""
    debt.ok(*MORTGAGE, "--json")  # 5,307.27 a month
    debt.ok("repay", "1", "5307.27", "--date", "2025-02-15")
    debt.ok(
        "loan", "add", "card", "--lender", "CMB", "--principal", "5000", "--rate", "18", "--method", "revolving",
        "--start", "2026-01-01", "--kind", "credit-card", "--json",
    )  # fmt: skip
    debt.ok("repay", "2", "1000", "--date", "2026-03-01")
    debt.ok(
        "loan", "add", "phone", "--lender", "Huabei", "--principal", "12000", "--fee-rate", "0.6", "--term", "12",
        "--method", "flat-fee", "--start", "2026-06-01", "--json",
    )  # fmt: skip
    debt.ok(
        "loan", "add", "car", "--lender", "Bank", "--principal", "90000", "--rate", "4.2", "--term", "36",
        "--method", "equal-principal", "--start", "2026-01-01", "--json",
    )  # fmt: skip
    debt.ok(*bullet("friend", "2000", "2026-10-05"))  # closed: repaid on its due date
    debt.ok("repay", "5", "2000", "--date", "2026-10-05")
    debt.ok("income", "add", "salary", "20000", "--from", "2025-01-01")
    debt.ok("income", "add", "side job", "3000.50", "--from", "2026-09-01", "--to", "2026-12-31")


# == remind ====================================================================================
def quiet_database(debt: Debt) -> None:
    """Nothing due: every audit item skipped, this half-year's check logged, no loans."""
    for item in audit_list(debt):
        debt.ok("audit", "skip", str(item))
    debt.ok("credit-check", "log")


# == iCalendar export ==========================================================================
def read_ics(path: Path) -> tuple[list, dict[str, object]]:
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    recurring = [e for e in events if e.get("rrule") is not None]
    singles = {str(e["uid"]): e for e in events if e.get("rrule") is None}
    assert len(singles) == len(events) - len(recurring), "duplicate UIDs"
    return recurring, singles


CAUTION, WARN = Decimal("0.40"), Decimal("0.50")


# == incomes ===================================================================================
def test_income_add_json_and_list(debt: Debt) -> None:
    out = debt.ok("income", "add", "工资 salary", "12,000.50", "--from", "2026-03-01", "--json").json
    assert out == {
        "id": 1,
        "source": "工资 salary",
        "amount": "12000.50",
        "currency": "CNY",
        "from": "2026-03-01",
        "to": None,
    }
    # --from defaults to the first of this month; --to closes the entry (inclusive)
    second = debt.ok("income", "add", "rent", "¥800", "--to", "2027-06-30", "--json").json
    assert (second["id"], second["from"], second["to"], second["amount"]) == (2, "2026-11-01", "2027-06-30", "800.00")
    listed = debt.ok("income", "list", "--json").json
    assert [(i["id"], i["amount"], i["to"]) for i in listed] == [(1, "12000.50", None), (2, "800.00", "2027-06-30")]
    assert "12,000.50" in debt.ok("income", "list").stdout


def test_incomes_add_up_and_a_raise_is_a_new_entry(debt: Debt) -> None:
    debt.ok("income", "add", "salary", "8000", "--from", "2026-01-01")
    debt.ok("income", "add", "side job", "500", "--from", "2026-01-01")
    debt.ok("income", "add", "raise", "1500", "--from", "2026-11-01")
    assert money(dti_json(debt, "--month", "2026-10")["income"]) == 8500
    out = dti_json(debt, "--months", "1")
    assert money(out["income"]) == 10000
    assert [(m["month"], m["income"]) for m in out["history"]] == [("2026-10", "8500.00")]
    assert [(m["month"], m["income"]) for m in out["projection"]] == [("2026-12", "10000.00")]
    # a new job: end the old salary, add the new one from the next month
    debt.ok("income", "end", "1", "--to", "2026-11-30")
    debt.ok("income", "add", "new salary", "11000", "--from", "2026-12-01")
    assert money(dti_json(debt, "--month", "2026-11")["income"]) == 10000
    assert money(dti_json(debt, "--month", "2026-12")["income"]) == 13000  # 11000 + 500 + 1500


@pytest.mark.parametrize(
    ("window", "counts"),
    [
        (["--from", "2026-11-30"], True),  # starts on November's last day
        (["--from", "2026-12-01"], False),  # starts the day after
        (["--from", "2026-01-01", "--to", "2026-11-01"], True),  # ends on November's first day
        (["--from", "2026-01-01", "--to", "2026-10-31"], False),  # ends the day before
    ],
    ids=["from-last-day", "from-next-month", "to-first-day", "to-previous-month"],
)
def test_income_counts_in_the_months_it_is_active(debt: Debt, window: list[str], counts: bool) -> None:
    debt.ok("income", "add", "salary", "3000", *window)
    out = dti_json(debt, "--month", "2026-11")
    if counts:
        assert (out["income"], out["status"]) == ("3000.00", "ok")
    else:
        assert (out["income"], out["ratio"], out["status"]) == ("0.00", None, "no-income")


def test_income_end_and_delete(debt: Debt) -> None:
    debt.ok("income", "add", "salary", "9000", "--from", "2026-01-01")
    debt.ok("income", "add", "bonus", "1000", "--from", "2026-01-01")
    r = debt.ok("income", "end", "1", "--to", "2026-11-30")
    assert "2026-11-30" in r.stdout
    assert debt.ok("income", "list", "--json").json[0]["to"] == "2026-11-30"
    assert dti_json(debt, "--month", "2026-11")["income"] == "10000.00"
    assert dti_json(debt, "--month", "2026-12")["income"] == "1000.00"
    before = dump(debt.db)
    assert_error(debt("income", "end", "1", "--to", "2025-12-31"), 2)  # before its --from
    assert_error(debt("income", "end", "1", "--to", "2026-02-30"), 2)
    assert_error(debt("income", "end", "99", "--to", "2026-12-31"), 1)
    assert_error(debt("income", "delete", "99"), 1)
    assert_error(debt("income", "delete", "x"), 2)
    assert dump(debt.db) == before
    debt.ok("income", "delete", "2", "--yes")
    assert [i["id"] for i in debt.ok("income", "list", "--json").json] == [1]
    assert dti_json(debt, "--month", "2026-12")["status"] == "no-income"


@pytest.mark.parametrize("args", [pytest.param(a, id=i) for i, a in BAD_INCOMES])
def test_bad_income_changes_nothing(debt: Debt, args: list[str]) -> None:
    debt.ok("income", "add", "salary", "5000")
    before = dump(debt.db)
    assert_error(debt("income", "add", *args), 2)
    assert dump(debt.db) == before


def test_income_to_on_its_from_day_is_accepted(debt: Debt) -> None:
    out = debt.ok("income", "add", "one-off", "100", "--from", "2026-06-01", "--to", "2026-06-01", "--json").json
    assert (out["from"], out["to"]) == ("2026-06-01", "2026-06-01")


@pytest.mark.parametrize(("args", "code"), [pytest.param(a, c, id=i) for i, a, c in REFUSED_WRITES])
def test_refused_write_does_not_create_the_database(debt: Debt, args: list[str], code: int) -> None:
    assert_error(debt(*args), code)
    assert not debt.db.exists()  # as `loan add` does (test_cli: test_bad_loan_add_does_not_create_the_database)


def test_dti_ratio_from_the_schedules(debt: Debt) -> None:
    build_household(debt)
    shown = schedules(debt)
    assert [x["name"] for x in shown] == ["房贷", "card", "phone", "car", "friend"]  # the friend's, closed, counts in October
    out = dti_json(debt, "--months", "3")
    assert isinstance(out["threshold"], int | float) and Decimal(str(out["threshold"])) == Decimal("0.5")
    assert (out["back_below_threshold"], out["what_if"]) == (None, None)
    incomes = {"2026-08": "20000.00", "2026-09": "23000.50", "2026-10": "23000.50", "2026-11": "23000.50"}
    incomes |= {"2026-12": "23000.50", "2027-01": "20000.00", "2027-02": "20000.00"}
    points = [*out["history"], {k: out[k] for k in POINT_KEYS}, *out["projection"]]
    assert [p["month"] for p in points] == list(incomes)
    for p in points:
        assert set(p) == POINT_KEYS
        obligations = obligations_in(shown, p["month"])
        assert money(p["obligations"]) == obligations, p
        assert p["income"] == incomes[p["month"]], p
        ratio = expected_ratio(obligations, money(p["income"]))
        assert ratio_number(p["ratio"]) == ratio, p
        assert p["status"] == ("ok" if ratio <= Decimal("0.40") else "caution" if ratio <= Decimal("0.50") else "warning")
    # the closed loan's payment of October is left out
    closed = debt.ok("loan", "show", "5", "--json").json
    assert closed["status"] == "closed"
    assert obligations_in([*shown, closed], "2026-10") == money(out["history"][2]["obligations"]) + 2000


def test_dti_month_runs_from_its_first_to_its_last_day(debt: Debt) -> None:
    debt.ok(*flat_loan("month ends", "100", 12, "2026-01-31"))  # 2026-01-31, 02-28, ..., 11-30, 12-31
    debt.ok(*flat_loan("firsts", "10", 11, "2026-02-01"))  # 2026-02-01 ... 2026-11-01, 2026-12-01
    debt.ok("income", "add", "salary", "1000", "--from", "2026-01-01")
    out = dti_json(debt, "--months", "2")
    assert (out["month"], out["obligations"], out["ratio"]) == ("2026-11", "110.00", 0.11)
    assert [(m["month"], m["obligations"]) for m in out["history"]] == [("2026-09", "110.00"), ("2026-10", "110.00")]
    assert [(m["month"], m["obligations"]) for m in out["projection"]] == [("2026-12", "110.00"), ("2027-01", "0.00")]
    assert out["projection"][1]["ratio"] == 0 and out["projection"][1]["status"] == "ok"
    feb = dti_json(debt, "--month", "2026-02", "--months", "1")
    assert (feb["obligations"], feb["history"][0]["obligations"]) == ("110.00", "100.00")  # January: only the 31st


@pytest.mark.parametrize(
    ("income", "ratio", "status"),
    [
        ("2500", Decimal("0.4"), "ok"),  # exactly dti.caution
        ("2499", Decimal("0.4002"), "caution"),
        ("2000", Decimal("0.5"), "caution"),  # exactly dti.warn
        ("1999", Decimal("0.5003"), "warning"),  # 1000 / 1999 = 0.50025 -> 0.5003
    ],
)
def test_dti_status_boundaries(debt: Debt, income: str, ratio: Decimal, status: str) -> None:
    debt.ok(*flat_loan("loan", "1000", 12, "2026-02-15"))
    debt.ok("income", "add", "salary", income, "--from", "2026-01-01")
    out = dti_json(debt)
    assert money(out["obligations"]) == obligations_in(schedules(debt), "2026-11") == 1000
    assert ratio_number(out["ratio"]) == ratio == expected_ratio(Decimal(1000), Decimal(income))
    assert out["status"] == status


def test_dti_without_income(debt: Debt) -> None:
    debt.ok(*flat_loan("loan", "1000", 12, "2026-02-15"))
    out = dti_json(debt, "--months", "1")
    assert (out["income"], out["obligations"], out["ratio"], out["status"]) == ("0.00", "1000.00", None, "no-income")
    assert all(m["status"] == "no-income" and m["ratio"] is None for m in out["history"] + out["projection"])
    assert out["back_below_threshold"] is None
    assert "No income" in debt.ok("dti").stdout
    # no loans and no income at all
    empty = Debt(debt.db.parent / "empty.db")
    assert (dti_json(empty)["obligations"], dti_json(empty)["status"]) == ("0.00", "no-income")


@pytest.mark.parametrize(
    ("income", "status"),
    [("1999", "caution"), ("1667", "caution"), ("1666", "warning")],  # 0.5003, 0.5999, 0.6002
)
def test_dti_warn_setting_moves_the_line(debt: Debt, income: str, status: str) -> None:
    debt.ok(*flat_loan("loan", "1000", 12, "2026-02-15"))
    debt.ok("income", "add", "salary", income, "--from", "2026-01-01")
    debt.ok("config", "set", "dti.warn", "0.6")
    out = dti_json(debt)
    assert Decimal(str(out["threshold"])) == Decimal("0.6")
    assert out["status"] == status


def test_dti_caution_setting_and_bad_values(debt: Debt) -> None:
    debt.ok(*flat_loan("loan", "1000", 12, "2026-02-15"))
    debt.ok("income", "add", "salary", "3000", "--from", "2026-01-01")  # 0.3333
    assert dti_json(debt)["status"] == "ok"
    debt.ok("config", "set", "dti.caution", "0.3")
    assert dti_json(debt)["status"] == "caution"
    before = dump(debt.db)
    for key, value in [("dti.warn", "abc"), ("dti.warn", "0"), ("dti.warn", "-0.5"), ("dti.caution", "nan")]:
        assert_error(debt("config", "set", key, value), 2)
    assert dump(debt.db) == before


def test_dti_back_below_threshold(debt: Debt) -> None:
    debt.ok(*flat_loan("big", "5000", 24, "2026-01-10"))  # to 2027-12-10
    debt.ok(*flat_loan("small", "1000", 12, "2026-02-20"))  # to 2027-01-20
    debt.ok(*bullet("tiny", "1", "2027-02-05"))  # February 2027 only
    debt.ok("income", "add", "salary", "10000", "--from", "2026-01-01")
    out = dti_json(debt, "--months", "4")
    assert (out["ratio"], out["status"]) == (0.6, "warning")
    by_month = {m["month"]: (m["ratio"], m["status"]) for m in out["projection"]}
    assert by_month == {
        "2026-12": (0.6, "warning"),
        "2027-01": (0.6, "warning"),
        "2027-02": (0.5001, "warning"),  # just above the line: not yet back
        "2027-03": (0.5, "caution"),  # at the line: back
    }
    assert out["back_below_threshold"] == "2027-03"
    assert "2027-03" in debt.ok("dti").stdout
    # a month looked at from before: the first later month at or below the line
    assert dti_json(debt, "--month", "2027-02")["back_below_threshold"] == "2027-03"
    # with the line at 0.6, November is no longer a warning
    debt.ok("config", "set", "dti.warn", "0.6")
    assert dti_json(debt)["status"] == "caution"


def test_dti_back_below_threshold_is_when_it_stays_below(debt: Debt) -> None:
    debt.ok(*flat_loan("car", "6000", 3, "2026-11-30"))  # November to January: 60 %
    debt.ok(*bullet("friend", "8000", "2027-04-05"))  # April 2027 alone: 80 %
    debt.ok("income", "add", "salary", "10000", "--from", "2026-01-01")
    out = dti_json(debt, "--months", "6")
    assert [m["status"] for m in out["projection"]] == ["warning", "warning", "ok", "ok", "warning", "ok"]
    # February is below the line, but April is above it again: the ratio stays below from May
    assert out["back_below_threshold"] == "2027-05"


def test_dti_names_the_loans_in_other_currencies_it_leaves_out(debt: Debt) -> None:
    debt.ok(*flat_loan("car", "6000", 3, "2026-11-30"))
    debt.ok("loan", "add", "US loan", "--lender", "Bank", "--principal", "1000", "--rate", "5", "--term", "12",
            "--method", "equal-installment", "--start", "2026-10-01", "--currency", "USD")  # fmt: skip
    debt.ok("income", "add", "salary", "10000", "--from", "2026-01-01")
    out = dti_json(debt)
    assert out["obligations"] == "6000.00" and out["left_out"] == [{"currency": "USD", "loans": 1}]
    assert "Not counted: 1 loan in USD (incomes and the ratio are in CNY)." in debt.ok("dti").stdout


def test_dti_back_below_threshold_never(debt: Debt) -> None:
    debt.ok(*flat_loan("big", "6000", 24, "2026-01-10"))
    debt.ok("income", "add", "salary", "10000", "--from", "2026-01-01", "--to", "2026-12-31")
    out = dti_json(debt)
    assert out["status"] == "warning"
    # from January the income is gone: no month with a payment is back below; the first without one is
    assert out["back_below_threshold"] == "2028-01"


def test_dti_what_if(debt: Debt) -> None:
    debt.ok(*flat_loan("loan", "3000", 12, "2026-02-15"))
    debt.ok("income", "add", "salary", "10000", "--from", "2026-01-01")
    out = dti_json(debt, "--add-payment", "1,500")
    assert (out["ratio"], out["status"]) == (0.3, "ok")  # the current month itself is unchanged
    what_if = out["what_if"]
    assert POINT_KEYS <= set(what_if)
    assert (what_if["month"], what_if["payment"], what_if["obligations"]) == ("2026-11", "1500.00", "4500.00")
    assert (ratio_number(what_if["ratio"]), what_if["status"]) == (Decimal("0.45"), "caution")
    over = dti_json(debt, "--add-payment", "2000.01")["what_if"]
    # 0.500001 is shown as 0.5000 but is above the line: judged on the exact ratio
    assert (ratio_number(over["ratio"]), over["status"]) == (Decimal("0.5"), "warning")
    assert dti_json(debt, "--add-payment", "2000")["what_if"]["status"] == "caution"
    assert dti_json(debt, "--add-payment", "2001")["what_if"]["status"] == "warning"
    assert "1,500.00" in debt.ok("dti", "--add-payment", "1500").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--month", "2026-13"],
        ["--month", "2026/11"],
        ["--month", "November"],
        ["--months", "0"],
        ["--months", "121"],
        ["--months", "x"],
        ["--add-payment", "abc"],
        ["--add-payment", "-5"],
        ["--add-payment", "0"],
        ["--add-payment", "1.234"],
    ],
    ids=lambda a: " ".join(a),
)
def test_dti_bad_options(debt: Debt, args: list[str]) -> None:
    debt.ok("income", "add", "salary", "10000")
    before = dump(debt.db)
    assert_error(debt("dti", *args), 2)
    assert dump(debt.db) == before


def test_dti_months_and_text_output(debt: Debt) -> None:
    build_household(debt)
    for n in (1, 120):
        out = dti_json(debt, "--months", str(n))
        assert len(out["history"]) == len(out["projection"]) == n
    text = debt.ok("dti").stdout
    assert "2026-11" in text and "房贷" in text


@pytest.mark.parametrize(("amount", "status"), [("5000.49", "warning"), ("4000.49", "caution")])
def test_dti_status_uses_the_exact_ratio(debt: Debt, amount: str, status: str) -> None:
    debt.ok(*bullet("loan", amount, "2026-11-20"))
    debt.ok("income", "add", "salary", "10000", "--from", "2026-01-01")
    # 5,000.49 is more than half of 10,000.00 (0.500049 > 0.50), yet it rounds to 0.5000
    assert dti_json(debt)["status"] == status


# == credit checks =============================================================================
@pytest.mark.parametrize(
    ("today", "due", "date"),
    [
        ("2026-01-14", False, "2026-01-15"),
        ("2026-01-15", True, "2026-01-15"),
        ("2026-07-14", False, "2026-07-15"),
        ("2026-07-15", True, "2026-07-15"),
        ("2026-12-31", True, "2026-07-15"),
    ],
)
def test_credit_check_reminder_date(debt: Debt, today: str, due: bool, date: str) -> None:
    checks = kinds(remind(debt, today=today), "credit-check")
    assert [c["date"] for c in checks] == ([date] if due else [])
    nxt = plan(debt, today)
    assert (nxt["due"], nxt["date"]) == (due, date)
    # a day gone by is said as such: "due since 2026-07-15", not a bare past date
    if due:
        assert ("due since " + date in checks[0]["title"]) == (date < today), checks[0]["title"]


def test_logging_a_check_stops_the_reminder(debt: Debt) -> None:
    assert kinds(remind(debt, today="2026-07-20"), "credit-check")
    out = debt.ok(
        "credit-check", "log", "--date", "2026-07-20", "--channel", "PBOC website", "--findings", "all fine", "--json",
        today="2026-07-20",
    ).json  # fmt: skip
    assert set(out) >= CHECK_KEYS
    assert (out["id"], out["date"], out["channel"], out["findings"], out["anomalies"]) == (
        1,
        "2026-07-20",
        "PBOC website",
        "all fine",
        0,
    )
    assert kinds(remind(debt, today="2026-07-20"), "credit-check") == []
    assert kinds(remind(debt, today="2026-12-31"), "credit-check") == []
    nxt = plan(debt, "2026-07-20")
    assert (nxt["due"], nxt["date"]) == (False, "2027-01-15")
    # the next half-year needs its own check
    assert kinds(remind(debt, today="2027-01-14"), "credit-check") == []
    assert [c["date"] for c in kinds(remind(debt, today="2027-01-15"), "credit-check")] == ["2027-01-15"]
    listed = debt.ok("credit-check", "list", "--json", today="2027-01-15").json
    assert [c["date"] for c in listed["checks"]] == ["2026-07-20"]


def test_a_check_in_the_previous_year_does_not_count(debt: Debt) -> None:
    debt.ok("credit-check", "log", "--date", "2025-12-20", today="2025-12-20")
    assert plan(debt, "2026-01-15")["due"] is True


def test_a_check_early_in_the_half_year_counts(debt: Debt) -> None:
    debt.ok("credit-check", "log", "--date", "2026-07-01", today="2026-07-01")
    assert plan(debt, "2026-07-15")["due"] is False
    assert kinds(remind(debt, today="2026-07-15"), "credit-check") == []


@pytest.mark.parametrize("dates", [["2026-03-01", "2026-07-20"], ["2026-02-01", "2026-03-01"]], ids=["each-half", "first-half"])
def test_two_checks_in_a_year_move_the_next_to_january(debt: Debt, dates: list[str]) -> None:
    for day in dates:
        debt.ok("credit-check", "log", "--date", day, today="2026-07-20")
    for today in ("2026-07-20", "2026-12-31"):
        nxt = plan(debt, today)
        assert (nxt["due"], nxt["date"]) == (False, "2027-01-01"), today
        assert kinds(remind(debt, today=today), "credit-check") == []
    # the second half of 2026 has no check, but both free checks of 2026 are used
    assert plan(debt, "2026-07-15")["due"] is False
    assert plan(debt, "2027-01-14")["due"] is False
    assert plan(debt, "2027-01-15")["due"] is True


def test_a_check_dated_in_the_future_is_refused(debt: Debt) -> None:
    debt.ok("credit-check", "log", "--date", "2026-07-20", today="2026-07-20")  # today itself is fine
    before = dump(debt.db)
    r = debt("credit-check", "log", "--date", "2026-07-21", today="2026-07-20")
    assert_error(r, 2)
    assert "future" in r.stderr
    assert_error(debt("credit-check", "edit", "1", "--date", "2026-07-21", today="2026-07-20"), 2)
    assert_error(debt("credit-check", "log", "--date", "2026-02-30", today="2026-07-20"), 2)
    assert dump(debt.db) == before


def test_credit_check_default_date_and_edit(debt: Debt) -> None:
    out = debt.ok("credit-check", "log", "--anomalies", "2", "--json").json
    assert (out["date"], out["anomalies"]) == (TODAY, 2)
    r = debt.ok("credit-check", "log", "--anomalies", "1")
    assert "edit 2 --follow-up" in r.stdout  # points at the dispute
    edited = debt.ok("credit-check", "edit", "1", "--follow-up", "disputed with the bank", "--anomalies", "0", "--json").json
    assert (edited["id"], edited["date"], edited["anomalies"], edited["follow_up"]) == (1, TODAY, 0, "disputed with the bank")
    moved = debt.ok("credit-check", "edit", "1", "--date", "2026-11-01", "--json").json
    assert (moved["date"], moved["follow_up"]) == ("2026-11-01", "disputed with the bank")
    listed = debt.ok("credit-check", "list", "--json").json
    assert [(c["id"], c["date"]) for c in listed["checks"]] == [(1, "2026-11-01"), (2, TODAY)]
    assert "disputed" in debt.ok("credit-check", "list").stdout
    before = dump(debt.db)
    for args, code in [
        (["edit", "1"], 2),  # nothing to change
        (["edit", "99", "--channel", "x"], 1),
        (["edit", "x", "--channel", "x"], 2),
        (["edit", "1", "--anomalies", "x"], 2),
        (["edit", "1", "--anomalies", "-1"], 2),
        (["log", "--anomalies", "x"], 2),
        (["log", "--anomalies", "-1"], 2),
        (["log", "--channel", "a\x07"], 2),
    ]:
        assert_error(debt("credit-check", *args), code)
    assert dump(debt.db) == before


def test_credit_check_rule_setting(debt: Debt) -> None:
    debt.ok("config", "set", "credit_check.rule", "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1")
    before, on = plan(debt, "2026-02-28"), plan(debt, "2026-03-01")
    assert (before["due"], before["date"], on["due"], on["date"]) == (False, "2026-03-01", True, "2026-03-01")
    assert plan(debt, "2026-08-31")["due"] is False
    assert [c["date"] for c in kinds(remind(debt, today="2026-09-01"), "credit-check")] == ["2026-09-01"]
    assert_error(debt("config", "set", "credit_check.rule", "every so often"), 2)


# == app-permission audit ======================================================================
def test_audit_checklist_is_built_in(debt: Debt) -> None:
    items = audit_list(debt)
    assert list(items) == list(range(1, N_BUILT_IN + 1))
    pairs = {(i["app"], i["permission"]) for i in items.values()}
    for app in ("WeChat", "Alipay"):
        assert any(a == app for a, _p in pairs), app
    lending = {p for a, p in pairs if a == "Lending apps"}
    assert {"contacts", "SMS", "call log", "location", "camera", "auto-start"} <= lending
    assert ("Phone", "which apps read contacts") in pairs  # phone privacy
    assert any("harassment" in p for _a, p in pairs)  # carrier interception of harassment calls
    for item in items.values():
        assert item["instruction"].strip() and item["why"].strip(), item
        assert (item["status"], item["last_done"], item["due"]) == ("open", None, True)
    # created once: a second list shows the same items
    assert audit_list(debt) == items
    audits = kinds(remind(debt), "audit")
    assert sorted(a["item_id"] for a in audits) == list(items)
    assert all(a["date"] == TODAY for a in audits)  # never done: due now


@pytest.mark.parametrize(("days", "due"), [(0, False), (89, False), (90, True), (91, True)])
def test_audit_due_again_after_the_interval(debt: Debt, days: int, due: bool) -> None:
    done = D(2026, 8, 17)
    r = debt.ok("audit", "done", "3", "--date", done.isoformat())
    assert "2026-11-15" in r.stdout  # 2026-08-17 + 90 days
    today = (done + dt.timedelta(days=days)).isoformat()
    item = audit_list(debt, today)[3]
    assert (item["status"], item["last_done"], item["due"]) == ("done", "2026-08-17", due)
    assert audit_list(debt, today)[4]["due"] is True  # the others were never done
    listed = [a for a in kinds(remind(debt, today=today), "audit") if a["item_id"] == 3]
    assert [a["date"] for a in listed] == (["2026-11-15"] if due else [])


@pytest.mark.parametrize(("days", "due"), [(29, False), (30, True)])
def test_audit_interval_setting(debt: Debt, days: int, due: bool) -> None:
    debt.ok("config", "set", "audit.interval_days", "30")
    debt.ok("audit", "done", "1", "--date", "2026-10-01")
    today = (D(2026, 10, 1) + dt.timedelta(days=days)).isoformat()
    assert audit_list(debt, today)[1]["due"] is due


def test_audit_done_defaults_to_today_and_due_items_come_first(debt: Debt) -> None:
    debt.ok("audit", "done", "1")
    rows = debt.ok("audit", "list", "--json").json
    assert rows[-1]["id"] == 1 and rows[-1]["last_done"] == TODAY and rows[-1]["due"] is False
    assert all(r["due"] for r in rows[:-1])
    assert "1 of" in debt.ok("audit", "list").stdout


def test_audit_skip_and_reset(debt: Debt) -> None:
    debt.ok("audit", "done", "2", "--date", "2026-11-01")
    debt.ok("audit", "skip", "3")
    for today in (TODAY, "2036-01-01"):
        item = audit_list(debt, today)[3]
        assert (item["status"], item["due"]) == ("skipped", False)
        assert 3 not in {a["item_id"] for a in kinds(remind(debt, today=today), "audit")}
    assert audit_list(debt, "2036-01-01")[2]["due"] is True
    debt.ok("audit", "reset")
    for item in audit_list(debt).values():
        assert (item["status"], item["last_done"], item["due"]) == ("open", None, True)
    # a done item can be skipped, and a skipped one done again
    debt.ok("audit", "skip", "2")
    debt.ok("audit", "done", "2", "--date", "2026-11-15")
    assert (audit_list(debt)[2]["status"], audit_list(debt)[2]["due"]) == ("done", False)


def test_audit_list_shows_due_then_checked_then_not_applicable(debt: Debt) -> None:
    debt.ok("audit", "skip", "1")
    debt.ok("audit", "done", "2", "--date", "2026-11-01")
    debt.ok("audit", "done", "3", "--date", "2026-08-01")  # 106 days ago: due again
    ids = [r["id"] for r in debt.ok("audit", "list", "--json").json]
    assert ids == [3, *range(4, N_BUILT_IN + 1), 2, 1]
    out = debt.ok("audit", "list").stdout
    assert f"1 of {N_BUILT_IN - 1} checked, 1 not applicable" in out
    marks = [line.split()[:2] for line in out.splitlines() if line[:1] in "!✓-" and line[1:2] == " "]
    assert marks[-2:] == [["✓", "2"], ["-", "1"]] and marks[0] == ["!", "3"]


def test_audit_add_own_item(debt: Debt) -> None:
    r = debt.ok("audit", "add", "借呗", "contacts", "--instruction", "设置 → 应用 → 借呗 → 权限")
    assert f"{N_BUILT_IN + 1}" in r.stdout  # the built-in list is created first
    items = audit_list(debt)
    assert len(items) == N_BUILT_IN + 1
    mine = items[N_BUILT_IN + 1]
    assert (mine["app"], mine["permission"], mine["instruction"]) == ("借呗", "contacts", "设置 → 应用 → 借呗 → 权限")
    assert (mine["status"], mine["due"]) == ("open", True)
    debt.ok("audit", "add", "花呗", "location")
    assert audit_list(debt)[N_BUILT_IN + 2]["instruction"] == ""


def test_bad_audit_commands_change_nothing(debt: Debt) -> None:
    audit_list(debt)
    debt.ok("audit", "done", "1", "--date", "2026-11-01")
    before = dump(debt.db)
    for args, code in [
        (["add", "  ", "contacts"], 2),
        (["add", "app", ""], 2),
        (["add", "app", "x\x07"], 2),
        (["done", "99"], 1),
        (["done", "x"], 2),
        (["done", "0"], 2),
        (["done", "1", "--date", "2026-11-16"], 2),  # in the future
        (["done", "1", "--date", "2026-02-30"], 2),
        (["skip", "99"], 1),
    ]:
        assert_error(debt("audit", *args), code)
    assert dump(debt.db) == before


def test_remind_within_boundary(debt: Debt) -> None:
    quiet_database(debt)
    debt.ok(*flat_loan("today", "100", 3, "2026-11-15"))
    debt.ok(*flat_loan("in seven", "200", 3, "2026-11-22"))
    debt.ok(*flat_loan("in eight", "300", 3, "2026-11-23"))
    amounts = {"2026-11-15": ("100.00", 1), "2026-11-22": ("200.00", 2), "2026-11-23": ("300.00", 3)}
    for within, included in [
        ([], ["2026-11-15", "2026-11-22"]),  # default 7 days: today + 7 is in, today + 8 is not
        (["--within", "7"], ["2026-11-15", "2026-11-22"]),
        (["--within", "8"], ["2026-11-15", "2026-11-22", "2026-11-23"]),
        (["--within", "6"], ["2026-11-15"]),
        (["--within", "0"], ["2026-11-15"]),  # due today
    ]:
        items = remind(debt, *within)
        assert all(i["kind"] == "due" for i in items), within
        assert [i["date"] for i in items] == included, within
        assert [(i["amount"], i["loan_id"]) for i in items] == [amounts[d] for d in included], within
    # seen from the day before, the 8-day installment is exactly 7 days away
    assert [i["date"] for i in kinds(remind(debt, today="2026-11-16"), "due")] == ["2026-11-22", "2026-11-23"]


def test_remind_overdue_partial_and_paid(debt: Debt) -> None:
    quiet_database(debt)
    debt.ok(*flat_loan("late", "1000", 3, "2026-11-10"))  # installment 1 five days late
    debt.ok("repay", "1", "400", "--date", "2026-11-12")
    debt.ok(*flat_loan("paid", "500", 3, "2026-11-18"))
    debt.ok("repay", "2", "500", "--date", "2026-11-14")  # paid ahead: not listed
    debt.ok(*flat_loan("partly", "700", 3, "2026-11-20"))
    debt.ok("repay", "3", "200", "--date", "2026-11-14")
    debt.ok(*bullet("done", "50", "2026-11-16"))
    debt.ok("repay", "4", "50", "--date", "2026-11-15")  # a closed loan is not listed
    items = remind(debt)
    assert [(i["kind"], i["date"], i["loan_id"], i["amount"]) for i in items] == [
        ("overdue", "2026-11-10", 1, "600.00"),
        ("due", "2026-11-20", 3, "500.00"),
    ]
    assert items[0]["days_overdue"] == 5
    assert "5" in items[0]["title"] and "late" in items[0]["title"]
    # an overdue installment stays listed whatever --within says; one day later it is 6 days overdue
    later = remind(debt, "--within", "0", today="2026-11-16")
    assert [(i["kind"], i["days_overdue"]) for i in later] == [("overdue", 6)]
    # and due on the day itself is not overdue
    on_the_day = remind(debt, today="2026-11-10")
    assert on_the_day[0]["kind"] == "due" and on_the_day[0]["date"] == "2026-11-10"


def test_remind_everything_soonest_first(debt: Debt) -> None:
    debt.ok(*flat_loan("late", "1000", 3, "2026-11-10"))
    debt.ok(*flat_loan("soon", "100", 3, "2026-11-20"))
    debt.ok("audit", "done", "1", "--date", "2026-08-10")  # due again from 2026-11-08
    items = remind(debt)
    head = [(i["kind"], i["date"]) for i in items if i["kind"] != "audit" or i.get("item_id") == 1]
    assert head == [
        ("credit-check", "2026-07-15"),
        ("audit", "2026-11-08"),
        ("overdue", "2026-11-10"),
        ("due", "2026-11-20"),
    ]
    assert len(kinds(items, "audit")) == N_BUILT_IN
    assert all(set(i) >= {"loan_id", "amount"} for i in items if i["kind"] in ("due", "overdue"))
    text = debt.ok("remind").stdout
    assert "late" in text and "soon" in text and f"{N_BUILT_IN} items" in text
    assert text.index("late") < text.index("soon")


def test_remind_quiet(debt: Debt) -> None:
    quiet_database(debt)
    debt.ok(*flat_loan("later", "100", 3, "2026-11-23"))  # outside the 7 days
    r = debt.ok("remind", "--quiet")
    assert (r.stdout, r.stderr) == ("", "")
    assert debt.ok("remind").stdout.strip()  # without --quiet it says nothing is due
    assert remind(debt) == []
    # once something is due, --quiet prints it
    loud = debt.ok("remind", "--quiet", today="2026-11-16")
    assert "later" in loud.stdout and "2026-11-23" in loud.stdout


@pytest.mark.parametrize("args", [["--within", "-1"], ["--within", "x"], ["--within", "99999"]], ids=["-1", "x", "huge"])
def test_remind_bad_within(debt: Debt, args: list[str]) -> None:
    debt.ok("income", "add", "salary", "5000")
    before = dump(debt.db)
    assert_error(debt("remind", *args), 2)
    assert dump(debt.db) == before


@pytest.mark.parametrize(
    "args",
    [["remind"], ["remind", "--json"], ["dti", "--json"], ["audit", "list", "--json"], ["credit-check", "list", "--json"]],
    ids=["remind", "remind-json", "dti", "audit-list", "check-list"],
)
def test_read_only_commands_do_not_create_the_database(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "missing.db"
    Debt(db).ok(*args)
    assert list(tmp_path.iterdir()) == []


def test_ics_export(debt: Debt, tmp_path: Path) -> None:
    debt.ok(*flat_loan("phone", "1000", 3, "2026-12-01"))  # 12-01, 2027-01-01, 2027-02-01
    debt.ok(*flat_loan("bike", "250", 4, "2026-12-10"))  # 12-10 ... 2027-03-10
    first, second, third = tmp_path / "a.ics", tmp_path / "b.ics", tmp_path / "c.ics"
    r = debt.ok("remind", "--ics", str(first))
    assert str(first) in r.stdout
    recurring, singles = read_ics(first)
    # one recurring credit-check event on the rule's dates
    assert len(recurring) == 1
    rule = recurring[0]["rrule"]
    assert (rule["FREQ"], sorted(rule["BYMONTH"]), rule["BYMONTHDAY"]) == (["YEARLY"], [1, 7], [15])
    assert recurring[0].decoded("dtstart") == D(2026, 1, 15)
    # one event per upcoming unpaid installment, on its due date
    expected = sorted((loan["id"], s["due_date"]) for loan in schedules(debt) for s in loan["schedule"] if s["status"] != "paid")
    assert len(expected) == 7
    assert sorted((int(uid.split("-")[1]), e.decoded("dtstart").isoformat()) for uid, e in singles.items()) == expected
    assert all("1,000.00" in str(e["summary"]) for uid, e in singles.items() if uid.startswith("loan-1-"))
    # the same UIDs on a second run, days later
    debt.ok("remind", "--json", "--ics", str(second), today="2026-11-20")
    recurring2, singles2 = read_ics(second)
    assert str(recurring2[0]["uid"]) == str(recurring[0]["uid"])
    assert set(singles2) == set(singles)
    # an installment paid meanwhile disappears; so does the one a prepayment made unnecessary (the schedule
    # is renumbered behind the prepayment line); the others keep their UIDs
    debt.ok("repay", "1", "1000", "--date", TODAY)
    debt.ok("repay", "2", "250", "--date", TODAY, "--prepay")
    debt.ok("remind", "--quiet", "--ics", str(third))
    recurring3, singles3 = read_ics(third)
    assert len(recurring3) == 1 and str(recurring3[0]["uid"]) == str(recurring[0]["uid"])
    gone = {(1, D(2026, 12, 1)), (2, D(2027, 3, 10))}
    assert {(int(u.split("-")[1]), e.decoded("dtstart")) for u, e in singles.items() if u not in singles3} == gone
    assert set(singles3) < set(singles) and len(singles3) == 5
    for uid, event in singles3.items():
        assert event.decoded("dtstart") == singles[uid].decoded("dtstart")


def test_ics_with_a_custom_rule_and_no_loans(debt: Debt, tmp_path: Path) -> None:
    debt.ok("config", "set", "credit_check.rule", "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1")
    path = tmp_path / "plan.ics"
    debt.ok("remind", "--ics", str(path))
    recurring, singles = read_ics(path)
    assert singles == {} and len(recurring) == 1
    assert recurring[0].decoded("dtstart") == D(2026, 3, 1)
    assert sorted(recurring[0]["rrule"]["BYMONTH"]) == [3, 9]


@pytest.mark.parametrize("where", ["folder", "missing/x.ics"])
def test_ics_bad_path(debt: Debt, tmp_path: Path, where: str) -> None:
    (tmp_path / "folder").mkdir()
    assert_error(debt("remind", "--ics", str(tmp_path / where)), 2)
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_audit_lists_instructions_keep_their_indent_when_they_wrap(debt: Debt, monkeypatch, lang: str) -> None:
    """An item's instruction and its reason, wrapped to a narrow terminal, stay under the item: every line
    indented, none wider than the terminal."""
    from tracker.cli.render import _cell_len

    monkeypatch.setenv("COLUMNS", "60")
    out = debt.ok("--lang", lang, "audit", "list").stdout.splitlines()
    assert all(_cell_len(line) <= 60 for line in out), out
    items = [n for n, line in enumerate(out) if line.startswith("!  ")]
    assert items
    for n in items:
        body = []
        for line in out[n + 1 :]:
            if not line.startswith(" "):
                break
            body.append(line)
        assert len(body) >= 2 and all(line.startswith("       ") for line in body), body


def test_paying_a_loan_off_leaves_this_months_burden_as_it_was(debt: Debt) -> None:
    debt.ok(*flat_loan("car", "4000", 12, "2026-11-10"))
    debt.ok(*flat_loan("phone", "1000", 12, "2026-11-20"))
    debt.ok("income", "add", "salary", "10000", "--from", "2026-01-01")
    debt.ok("repay", "1", "4000", "--date", "2026-11-10")
    assert dti_json(debt)["obligations"] == "5000.00"
    quote = debt.ok("loan", "payoff", "1", "--json").json["total"]
    debt.ok("repay", "1", quote, "--prepay")
    out = dti_json(debt)
    # November asked 4,000 of the car, paid on the 10th, before the payoff: still November's; December has none of it
    assert out["obligations"] == "5000.00" and out["projection"][0]["obligations"] == "1000.00"
