"""Use cases shared by the CLI and the TUI: validate input, call the engine, save."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from . import lpr as lpr_table
from .dates import add_months, parse_date
from .errors import BadInput, Refused, TrackerError
from .i18n import N_, _, ngettext
from .ledger import check_repayment, deductions, evaluate, payoff_quote
from .models import EARLY_FEES, INTEREST_BASES, KINDS, METHODS, Loan, LoanState, LoanSummary, Payoff, Repayment
from .money import ascii_form, canonical, check_currency, parse_amount, parse_percent
from .payoff import STRATEGIES, Plan, minimum_payments, paid_this_month, run, start_of
from .rates import Cost, Warning, advertised_rate, loan_cost, rate_warnings
from .safe_text import BIDI
from .schedule import MAX_TERM_MONTHS, build_schedule
from .settings import Settings, effective, get_setting
from .store import FILE_ERRORS as FILE_ERRORS  # for the faces: a failure of the file itself
from .store import Store
from .store import file_error_text as file_error_text

MAX_SPREAD_BP = 2000  # a spread of 20 points over the LPR is not a mortgage

MAX_TEXT = 200
MAX_NOTE = 2000


def clean_text(value: str | None, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Trim; refuse control characters, over-long or (when required) empty text."""
    text = (value or "").strip()
    if required and not text:
        raise BadInput(_("{what} must not be empty").format(what=what))
    if len(text) > limit:
        raise BadInput(_("{what} is longer than {limit} characters").format(what=what, limit=limit))
    if not required and text.isprintable():  # no control or direction characters (both unprintable)
        return text
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise BadInput(_("{what} contains control characters").format(what=what))
    if any(ch in BIDI for ch in text):
        raise BadInput(_("{what} contains characters that reverse the direction of text").format(what=what))
    if required and not any(unicodedata.category(ch)[0] in "LNPS" for ch in text):
        raise BadInput(_("{what} must have a visible character").format(what=what))
    return text


@dataclass
class LoanInput:
    """A loan as typed: every field a string (or None when not given)."""

    name: str | None = None
    lender: str | None = None
    principal: str | None = None
    rate: str | None = None
    monthly_rate: str | None = None
    daily_rate: str | None = None
    term: str | int | None = None
    method: str | None = None
    start: str | None = None
    first_due: str | None = None
    received: str | None = None
    fee_rate: str | None = None
    min_payment_rate: str | None = None
    currency: str | None = None
    kind: str | None = None
    notes: str | None = None
    interest_basis: str | None = None
    penalty_rate: str | None = None
    early_fees: str | None = None
    lpr_spread: str | None = None
    reprice: str | None = None
    autopay: bool | None = None
    autopay_account: str | None = None

    @property
    def changes_rate(self) -> bool:
        return any(v is not None for v in (self.rate, self.monthly_rate, self.daily_rate, self.lpr_spread, self.reprice))


def _rate(data: LoanInput, base: Loan | None) -> tuple[Decimal, str, Decimal | None]:
    given = [
        (u, v) for u, v in (("annual", data.rate), ("monthly", data.monthly_rate), ("daily", data.daily_rate)) if v is not None
    ]
    if len(given) + (data.lpr_spread is not None) > 1:
        raise BadInput(_("give only one of --rate, --monthly-rate, --daily-rate and --lpr-spread"))
    if data.lpr_spread is not None:
        return Decimal(0), "annual", None  # the rate comes from the LPR table
    if not given:
        if base is not None:
            return base.annual_rate, base.rate_unit, base.quoted_rate
        if data.method == "flat-fee":
            return Decimal(0), "annual", None
        raise BadInput(_("give the interest rate with --rate, --monthly-rate or --daily-rate (0 for an interest-free loan)"))
    unit, text = given[0]
    labels = {"annual": _("rate"), "monthly": _("monthly rate"), "daily": _("daily rate")}
    limits = {"annual": Decimal(1000), "monthly": Decimal(100), "daily": Decimal(5)}
    quoted = parse_percent(text, labels[unit], maximum=limits[unit])
    annual = canonical({"annual": quoted, "monthly": quoted * 12, "daily": quoted * 365}[unit])
    return annual, unit, (quoted if unit != "annual" else None)


def _term(text: str | int) -> int:
    term = _int(text, _("term"))
    if not 1 <= term <= MAX_TERM_MONTHS:
        raise BadInput(_("term must be between 1 and {max} months").format(max=MAX_TERM_MONTHS))
    return term


def _penalty(text: str) -> Decimal | None:
    raw = str(text).strip()
    return (parse_percent(raw, _("penalty rate"), maximum=Decimal(1000)) or None) if raw else None


def _fee_rate(text: str) -> Decimal:
    return parse_percent(text, _("fee rate"), maximum=Decimal(100))


def _min_rate(text: str) -> Decimal:
    return parse_percent(text, _("minimum payment rate"), allow_zero=False, maximum=Decimal(100))


def _paid_until_day(text: str, today: dt.date) -> dt.date:
    until = parse_date(text, _("paid-until date"))
    if until > today:
        raise BadInput(_("the paid-until date {date} is after today").format(date=until.isoformat()))
    return until


def loan_field_problem(field: str, data: LoanInput, today: dt.date, *, paid_until: str = "") -> str:
    """What is wrong with one field of a loan form on its own ("" when nothing is), by the very
    checks and limits ``build_loan`` applies, so a field never looks right and is refused on save.
    An empty field is the face's to flag; the problems between fields come from ``build_loan``."""
    currency = data.currency or "CNY"
    checks: dict[str, Callable[[], object]] = {
        "name": lambda: data.name and clean_text(data.name, _("name"), required=True),
        "lender": lambda: data.lender and clean_text(data.lender, _("lender"), required=True),
        "notes": lambda: data.notes and clean_text(data.notes, _("notes"), limit=MAX_NOTE),
        "currency": lambda: check_currency(currency),
        "principal": lambda: data.principal and parse_amount(data.principal, check_currency(currency), what=_("principal")),
        "received": lambda: data.received and parse_amount(data.received, check_currency(currency), what=_("received amount")),
        "rate": lambda: any((data.rate, data.monthly_rate, data.daily_rate)) and _rate(data, None),
        "fee_rate": lambda: data.fee_rate and _fee_rate(data.fee_rate),
        "min_rate": lambda: data.min_payment_rate and _min_rate(data.min_payment_rate),
        "term": lambda: data.term and _term(data.term),
        "start": lambda: data.start and parse_date(data.start, _("start date")),
        "first_due": lambda: data.first_due and parse_date(data.first_due, _("first due date")),
        "penalty": lambda: data.penalty_rate and _penalty(data.penalty_rate),
        "paid_until": lambda: paid_until and _paid_until_day(paid_until, today),
    }
    try:
        checks[field]()
    except BadInput as exc:
        return exc.message
    return ""


def _int(text: str | int, what: str) -> int:
    """ASCII (or full-width) digits only: not '1_0', '+5', '٣' or 5,000 digits."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    raw = ascii_form(str(text).strip())
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise BadInput(_("{what} must be a whole number, got {value!r}").format(what=what, value=str(text)[:40]))
    return int(raw)


def _spread(data: LoanInput, base: Loan | None) -> tuple[int | None, str | None]:
    """(spread in basis points, repricing day) of a floating loan, or (None, None)."""
    if data.lpr_spread is None:
        if data.reprice is not None and (base is None or base.lpr_spread_bp is None):
            raise BadInput(_("--reprice goes with --lpr-spread"))
        if base is not None and base.lpr_spread_bp is not None and not any((data.rate, data.monthly_rate, data.daily_rate)):
            reprice = base.reprice
            if data.reprice is not None:
                reprice = _reprice(data.reprice)
            return base.lpr_spread_bp, reprice
        return None, None
    raw = str(data.lpr_spread).strip()
    try:
        spread = int(raw)
    except ValueError:
        raise BadInput(_("--lpr-spread must be a whole number of basis points, got {value!r}").format(value=raw)) from None
    if not -MAX_SPREAD_BP <= spread <= MAX_SPREAD_BP:
        raise BadInput(_("--lpr-spread is out of range: {value!r}").format(value=raw))
    reprice = _reprice(data.reprice) if data.reprice is not None else (base.reprice if base and base.reprice else "01-01")
    return spread, reprice


def _reprice(text: str) -> str:
    raw = str(text).strip()
    try:
        if len(raw) != 5 or raw[2] != "-":
            raise ValueError(raw)
        month, day = lpr_table.parse_reprice(raw)
    except ValueError:
        raise BadInput(_("--reprice must be a day of the year as MM-DD, got {value!r}").format(value=raw)) from None
    return f"{month:02d}-{day:02d}"


def _choice(value: str | None, choices: tuple[str, ...], option: str, fallback: str) -> str:
    if value is None:
        return fallback
    if value not in choices:
        raise BadInput(
            _("unknown {option} {value!r}; choose one of: {choices}").format(
                option=option, value=value, choices=", ".join(choices)
            )
        )
    return value


def build_loan(data: LoanInput, base: Loan | None = None, fixings: tuple[lpr_table.Fixing, ...] = lpr_table.SHIPPED) -> Loan:
    """Validate typed fields into a Loan; with ``base``, unspecified fields keep their values.

    A loan is only returned if it can be priced: its schedule and its APR can be computed.
    """
    method = data.method if data.method is not None else (base.method if base else None)
    if method is None:
        raise BadInput(_("give the repayment method with --method"))
    if method not in METHODS:
        raise BadInput(_("unknown method {value!r}; choose one of: {choices}").format(value=method, choices=", ".join(METHODS)))
    kind = data.kind if data.kind is not None else (base.kind if base else "other")
    if kind not in KINDS:
        raise BadInput(_("unknown kind {value!r}; choose one of: {choices}").format(value=kind, choices=", ".join(KINDS)))
    currency = check_currency(data.currency) if data.currency is not None else (base.currency if base else "CNY")
    name = clean_text(data.name, _("name"), required=True) if data.name is not None or base is None else base.name
    lender = clean_text(data.lender, _("lender"), required=True) if data.lender is not None or base is None else base.lender
    notes = clean_text(data.notes, _("notes"), limit=MAX_NOTE) if data.notes is not None else (base.notes if base else "")

    if data.principal is not None:
        principal = parse_amount(data.principal, currency, what=_("principal"))
    elif base is not None:
        principal = base.principal
    else:
        raise BadInput(_("give the amount borrowed with --principal"))
    received = base.received if base is not None and data.received is None else None
    if data.received is not None:
        received = parse_amount(data.received, currency, what=_("received amount"))
    if received is not None and received > principal:
        raise BadInput(_("the amount received cannot be more than the principal"))
    if received == principal:
        received = None

    probe = replace(data, method=method)
    # a new method keeps the loan's rate, except a flat-fee loan's (its cost is the fee, not a rate)
    annual, unit, quoted = _rate(probe, base if base and (base.method == method or base.method != "flat-fee") else None)
    spread, reprice = _spread(data, base)
    if spread is not None and method == "revolving":
        raise BadInput(_("--lpr-spread applies to loans with a term, not a revolving balance"))
    rate_given = any(v is not None for v in (data.rate, data.monthly_rate, data.daily_rate))
    default_basis = "daily" if unit == "daily" else "period"
    if base is not None and not rate_given:
        default_basis = base.interest_basis
    basis = _choice(data.interest_basis, INTEREST_BASES, "--interest-basis", default_basis)
    early_fees = _choice(data.early_fees, EARLY_FEES, "--early-fees", base.early_fees if base else "charge")
    if data.early_fees is not None and method != "flat-fee":
        raise BadInput(_("--early-fees applies only to the flat-fee method"))
    if data.penalty_rate is not None:
        penalty = _penalty(data.penalty_rate)
    else:
        penalty = base.penalty_rate if base else None

    autopay = data.autopay if data.autopay is not None else (base.autopay if base else False)
    if autopay and method == "revolving":
        raise BadInput(_("automatic deduction applies to loans with installments, not a revolving balance"))
    if data.autopay_account is not None:
        if not autopay:
            raise BadInput(_("--autopay-account goes with --autopay"))
        account = clean_text(data.autopay_account, _("account"), limit=MAX_TEXT)
    else:
        account = base.autopay_account if base else ""

    if method == "revolving":
        if data.term is not None:
            raise BadInput(_("a revolving balance has no fixed term; leave out --term"))
        term = None
    elif data.term is not None:
        term = _term(data.term)
    elif base is not None and base.term_months is not None:
        term = base.term_months
    else:
        raise BadInput(_("give the term in months with --term"))

    if data.fee_rate is not None:
        if method != "flat-fee":
            raise BadInput(_("--fee-rate applies only to the flat-fee method"))
        fee_rate = _fee_rate(data.fee_rate)
    elif method == "flat-fee":
        if base is None or base.method != "flat-fee":
            raise BadInput(_("a flat-fee loan needs its monthly fee rate: --fee-rate"))
        fee_rate = base.fee_rate
    else:
        fee_rate = Decimal(0)

    if data.min_payment_rate is not None:
        if method != "revolving":
            raise BadInput(_("--min-payment-rate applies only to the revolving method"))
        min_rate = _min_rate(data.min_payment_rate)
    else:
        min_rate = base.min_payment_rate if base else Decimal(10)

    start = parse_date(data.start, _("start date")) if data.start is not None else (base.start_date if base else None)
    if start is None:
        raise BadInput(_("give the start date with --start"))
    if data.first_due is not None:
        first_due = parse_date(data.first_due, _("first due date"))
    elif base is not None and data.start is None:
        first_due = base.first_due_date
    else:
        first_due = add_months(start, 1)
    if first_due <= start:
        raise BadInput(_("the first due date must be after the start date"))

    loan = Loan(
        id=base.id if base else None,
        name=name,
        lender=lender,
        kind=kind,
        method=method,
        currency=currency,
        principal=principal,
        received=received,
        annual_rate=annual,
        fee_rate=fee_rate,
        min_payment_rate=min_rate,
        rate_unit=unit,
        quoted_rate=quoted,
        term_months=term,
        start_date=start,
        first_due_date=first_due,
        notes=notes,
        interest_basis=basis,
        penalty_rate=penalty,
        early_fees=early_fees,
        lpr_spread_bp=spread,
        reprice=reprice,
        autopay=autopay,
        autopay_account=account,
        missed=base.missed if base else (),
    )
    if spread is not None:
        loan = lpr_table.with_rates(loan, (), fixings)
        if loan.annual_rate < 0:
            raise BadInput(_("the LPR plus the spread would be a negative rate ({rate}%)").format(rate=loan.annual_rate))
    elif base is not None:
        loan = replace(loan, rate_changes=base.rate_changes)
    check_priceable(loan)
    return loan


def check_priceable(loan: Loan) -> Cost:
    """The loan's true cost; refuses a loan whose schedule or APR cannot be computed (it is never saved)."""
    build_schedule(loan)  # refuses schedules that could never be repaid
    if loan.method == "revolving":
        return loan_cost(loan)
    cost = loan_cost(loan)
    if cost.apr is None:
        raise BadInput(_("this loan cannot be priced: {reason}").format(reason=cost.note))
    return cost


def past_due_notice(state: LoanState) -> str | None:
    """A new loan with installments already due and nothing recorded: probably paid, say how to mark them."""
    if state.repayments:
        return None
    past = [s.installment for s in state.schedule if s.installment.kind == "installment" and s.installment.due_date < state.today]
    if not past:
        return None
    return _(
        "{n} installments fell due before today and show as overdue; if you paid them, mark them with "
        "'debt loan edit {id} --paid-until {date}'"
    ).format(n=len(past), id=state.loan.id, date=past[-1].due_date.isoformat())


def autopay_notice(state: LoanState) -> str | None:
    """An auto-debit loan with installments already due: they count as deducted; how to say one failed."""
    counted = deductions(state)
    if not counted:
        return None
    return _(
        "installments due before today count as deducted on their due dates ({n} so far); if a deduction "
        "failed, record it with 'debt loan missed {id} SEQ'"
    ).format(n=len(counted), id=state.loan.id)


def term_notice(loan: Loan) -> str | None:
    """A loan whose rounded payment repays it before its term: the real number of installments."""
    if loan.method in ("bullet", "revolving") or not loan.term_months:
        return None
    count = len(build_schedule(loan))
    if count >= loan.term_months:
        return None
    return _("the rounded payment repays this loan in {n} installments, not {term}").format(n=count, term=loan.term_months)


# -- loans ---------------------------------------------------------------------
def add_loan(store: Store, loan: Loan, today: dt.date) -> LoanState:
    """Save a loan made by build_loan."""
    saved = store.add_loan(loan)
    return evaluate(saved, [], today)


def parse_paid_until(text: str | None, loan: Loan, today: dt.date) -> dt.date | None:
    if not text:
        return None
    until = _paid_until_day(text, today)
    if until < loan.start_date:
        raise BadInput(_("the paid-until date {date} is before the loan starts").format(date=until.isoformat()))
    return until


def record_paid_until(store: Store, loan_id: int, until: dt.date, today: dt.date) -> LoanState:
    """Mark every installment due on or before ``until`` as paid on its due date (a loan entered mid-way)."""
    with store.write():
        state = loan_state(store, loan_id, today)
        for s in state.schedule:
            if s.installment.kind == "installment" and s.installment.due_date <= until and s.unpaid > 0:
                record_repayment(
                    store,
                    loan_id,
                    s.unpaid,
                    today,
                    date=s.installment.due_date.isoformat(),
                    note=_("paid before the loan was entered"),
                    source=PAID_BEFORE,
                )
    return loan_state(store, loan_id, today)


def edit_loan(store: Store, loan_id: int, data: LoanInput, today: dt.date) -> LoanState:
    base = store.get_loan(loan_id)
    if base.is_card:
        raise Refused(_("loan {id} is a credit card: change it with 'debt card edit {id}'").format(id=loan_id))
    with store.write():
        repayments = store.repayments(loan_id)
        deducted = deductions(evaluate(base, repayments, today))
        if data.changes_rate and (repayments or deducted):
            raise Refused(
                _(
                    "loan {id} has repayments: editing its rate would rewrite the installments already paid; "
                    "record the change from a date with 'debt loan rate {id} PCT --from DATE'"
                ).format(id=loan_id)
            )
        new = build_loan(data, base, store.fixings())
        if new.currency != base.currency:
            if repayments:
                raise Refused(
                    _("loan {id} has repayments in {currency}; its currency cannot change").format(
                        id=loan_id, currency=base.currency
                    )
                )
            if data.principal is None or (base.received is not None and data.received is None):
                raise BadInput(
                    _("give the amounts in {currency} too (--principal, and --received if fees were deducted)").format(
                        currency=new.currency
                    )
                )
        if repayments and repayments[0].date < new.start_date:
            raise Refused(
                _("loan {id} has a repayment on {date}, before the new start {start}").format(
                    id=loan_id, date=repayments[0].date.isoformat(), start=new.start_date.isoformat()
                )
            )
        if base.autopay and not new.autopay and deducted:
            # the deductions the bank made are payments made: they stay, recorded
            store.add_repayments(deducted)
            repayments = store.repayments(loan_id)
        loan = store.update_loan(new)
    return evaluate(loan, repayments, today)


def mark_missed(store: Store, loan_id: int, seq: str | int, today: dt.date, *, undo: bool = False) -> LoanState:
    """Record that an installment's automatic deduction failed (余额不足), or, with ``undo``, that it went through."""
    number = parse_id(seq, _("installment number"))
    with store.write():
        loan = store.get_loan(loan_id)
        if not loan.autopay:
            raise Refused(
                _("loan {id} is not repaid by automatic deduction (turn it on with 'debt loan edit {id} --autopay')").format(
                    id=loan_id
                )
            )
        inst = next((i for i in build_schedule(loan) if i.seq == number), None)
        if inst is None:
            raise Refused(_("loan {id} has no installment {seq}").format(id=loan_id, seq=number))
        if undo:
            if number not in loan.missed:
                raise Refused(
                    _("installment {seq} of loan {id} is not marked as a failed deduction").format(seq=number, id=loan_id)
                )
            missed = tuple(n for n in loan.missed if n != number)
        else:
            if inst.due_date > today:
                raise Refused(
                    _("installment {seq} is due on {date}; a deduction can only fail once its day has come").format(
                        seq=number, date=inst.due_date.isoformat()
                    )
                )
            if number in loan.missed:
                raise Refused(_("installment {seq} of loan {id} is already marked as missed").format(seq=number, id=loan_id))
            missed = (*loan.missed, number)
            for rep in store.repayments(loan_id):
                if rep.autopay_seq == number:
                    store.delete_repayment(rep.id or 0)  # a deduction recorded earlier did not happen after all
        store.update_loan(replace(loan, missed=tuple(sorted(missed))))
    return loan_state(store, loan_id, today)


def repayments_with_deductions(store: Store, today: dt.date, loan_id: int | None = None) -> list[Repayment]:
    """Recorded repayments and, for auto-debit loans, the deductions counted as of ``today``, by date."""
    reps = store.repayments(loan_id)
    loans = [store.get_loan(loan_id)] if loan_id is not None else store.loans()
    by_loan: dict[int, list[Repayment]] = {}
    for rep in reps:
        by_loan.setdefault(rep.loan_id, []).append(rep)
    for loan in loans:
        if loan.autopay:
            reps.extend(deductions(evaluate(loan, by_loan.get(loan.id or 0, []), today)))
    return sorted(reps, key=lambda r: (r.date, r.id is None, r.id or 0))


def change_rate(store: Store, loan_id: int, rate: str, start: str, today: dt.date) -> tuple[LoanState, LoanState]:
    """Record a rate change from a date: periods starting on or after it are charged the new rate.

    Paid installments are never rewritten: a date that would change one is refused.
    Returns the loan's state before and after.
    """
    loan = store.get_loan(loan_id)
    if loan.is_card:
        raise Refused(
            _("loan {id} is a credit card: change its daily rate with 'debt card edit {id} --daily-rate PCT'").format(id=loan_id)
        )
    if loan.method == "revolving":
        raise Refused(_("a revolving balance has no schedule to reprice"))
    value = parse_percent(rate, _("rate"), maximum=Decimal(1000))
    day = parse_date(start, _("rate change date"))
    if day <= loan.start_date:
        raise BadInput(
            _("the rate change date {date} must be after the loan starts ({start})").format(
                date=day.isoformat(), start=loan.start_date.isoformat()
            )
        )
    with store.write():
        repayments = store.repayments(loan_id)
        before = evaluate(loan, repayments, today)
        last_due = max(s.installment.due_date for s in before.schedule)
        if day >= last_due:
            raise BadInput(
                _("loan {id} ends on {end}; a rate change from {date} would change nothing").format(
                    id=loan_id, end=last_due.isoformat(), date=day.isoformat()
                )
            )
        changed = lpr_table.timeline(loan.annual_rate, loan.rate_changes, ((day, value),))
        updated = replace(loan, rate_changes=changed)
        check_priceable(updated)
        after = evaluate(updated, repayments, today)
        _refuse_rewriting_paid(before, after, day)
        store.set_rate_change(loan_id, day, value)
    return before, evaluate(store.get_loan(loan_id), repayments, today)


def _refuse_rewriting_paid(before: LoanState, after: LoanState, day: dt.date) -> None:
    new = {s.installment.seq: s.installment for s in after.schedule if s.installment.kind == "installment"}
    for s in before.schedule:
        inst = s.installment
        if inst.kind != "installment" or s.status != "paid":
            continue
        now = new.get(inst.seq)
        if now is None or (now.principal, now.interest, now.fee) != (inst.principal, inst.interest, inst.fee):
            raise Refused(
                _(
                    "installment {seq} (due {due}) is already paid at the old rate; a change from {date} would rewrite it "
                    "(give a date after its period began, or delete its repayment first)"
                ).format(seq=inst.seq, due=inst.due_date.isoformat(), date=day.isoformat())
            )


def payoff(store: Store, loan_id: int, date: str | None, today: dt.date) -> Payoff:
    """What closes the loan on a day (default today): principal, interest to that day, fees, penalty."""
    loan = store.get_loan(loan_id)
    day = parse_date(date, _("payoff date")) if date is not None else today
    if day < loan.start_date:
        raise BadInput(
            _("the payoff date {date} is before the loan starts ({start})").format(
                date=day.isoformat(), start=loan.start_date.isoformat()
            )
        )
    return payoff_quote(loan, store.repayments(loan_id), day)


# -- the LPR table -----------------------------------------------------------------
def lpr_fixings(store: Store) -> tuple[lpr_table.Fixing, ...]:
    return store.fixings()


def add_lpr_fixing(store: Store, date: str, one_year: str, five_year: str) -> lpr_table.Fixing:
    day = parse_date(date, _("fixing date"))
    if day < lpr_table.SHIPPED[0].date:
        raise BadInput(_("the LPR was first published on {date}").format(date=lpr_table.SHIPPED[0].date.isoformat()))
    fixing = lpr_table.Fixing(
        day,
        parse_percent(one_year, _("one-year LPR"), allow_zero=False, maximum=Decimal(100)),
        parse_percent(five_year, _("five-year LPR"), allow_zero=False, maximum=Decimal(100)),
        lpr_table.USER_SOURCE,
    )
    official = next((f for f in lpr_table.SHIPPED if f.date == day), None)
    if official is not None and (official.one_year, official.five_year) != (fixing.one_year, fixing.five_year):
        raise Refused(
            _("the LPR of {date} is already in the table ({one}% / {five}%, {source})").format(
                date=day.isoformat(), one=official.one_year, five=official.five_year, source=_(official.source)
            )
        )
    with store.write():
        floating = [loan for loan in store.loans() if loan.lpr_spread_bp is not None]
        before = {loan.id: evaluate(loan, store.repayments(loan.id or 0), day) for loan in floating}
        store.add_fixing(fixing)
        for loan in store.loans():
            if loan.lpr_spread_bp is None:
                continue
            try:
                check_priceable(loan)
            except BadInput as exc:
                raise Refused(
                    _("with this fixing loan {id} could not be priced: {reason}").format(id=loan.id, reason=exc.message)
                ) from None
            after = evaluate(loan, store.repayments(loan.id or 0), day)
            try:
                _refuse_rewriting_paid(before[loan.id], after, day)
            except Refused:
                raise Refused(
                    _(
                        "a fixing of {date} would reprice installments of loan {id} that are already paid; "
                        "fixings that old are already in the table"
                    ).format(date=day.isoformat(), id=loan.id)
                ) from None
    return fixing


def one_year_lpr(fixings: tuple[lpr_table.Fixing, ...], day: dt.date) -> Decimal:
    """The one-year LPR in force on a day: the private-lending line is four times the one at the contract's start."""
    return lpr_table.in_force(fixings, day).one_year


def open_store(path: Path, today: dt.date) -> Store:
    """The database at ``path`` for one piece of work (a face never opens SQLite itself)."""
    return Store.open(path, today=today)


def loan_state(store: Store, loan_id: int, today: dt.date) -> LoanState:
    loan = store.get_loan(loan_id)
    return evaluate(loan, store.repayments(loan_id), today)


def loan_states(store: Store, today: dt.date, *, include_closed: bool = True) -> list[LoanState]:
    by_loan = store.repayments_by_loan()
    states = [evaluate(loan, by_loan.get(loan.id or 0, []), today) for loan in store.loans()]
    return [s for s in states if include_closed or s.status != "closed"]


def ledger_witness(store: Store, today: dt.date) -> list:
    """The user's open loans as the message triage sees them (triage.LedgerLoan), to compare a message with."""
    from .triage import LedgerLoan

    out = []
    for state in loan_states(store, today, include_closed=False):
        loan = state.loan
        nxt = state.next_due
        out.append(
            LedgerLoan(
                id=loan.id or 0,
                name=loan.name,
                lender=loan.lender,
                currency=loan.currency,
                overdue=state.overdue_amount,
                days_overdue=state.days_overdue,
                next_due=nxt.unpaid if nxt is not None else 0,
                outstanding=state.outstanding_principal,
            )
        )
    return out


@dataclass(frozen=True)
class LoanView:
    """A loan's state (or its summary, in lists) with its true cost and the rate warnings that apply."""

    state: LoanState | LoanSummary
    cost: Cost
    warnings: tuple[Warning, ...]


def view(state: LoanState, fixings: tuple[lpr_table.Fixing, ...]) -> LoanView:
    cost = loan_cost(state.loan)
    line = one_year_lpr(fixings, state.loan.start_date)
    return LoanView(state, cost, tuple(rate_warnings(cost.apr, advertised_rate(state.loan), line)))


def loan_view(store: Store, loan_id: int, today: dt.date) -> LoanView:
    return view(loan_state(store, loan_id, today), store.fixings())


def loan_views(store: Store, today: dt.date, *, include_closed: bool = True) -> list[LoanView]:
    """Every loan's summary with its cost, read from the stored state (a replay when it cannot be used)."""
    from .reads import costs, summaries

    fixings = store.fixings()
    loans = store.loans()
    got = summaries(store, loans, today)
    if got is None:
        return [view(s, fixings) for s in loan_states(store, today, include_closed=include_closed)]
    stored = costs(store)
    out = []
    for summary in got:
        if not include_closed and summary.status == "closed":
            continue
        loan = summary.loan
        cost = stored.get(loan.id or 0) or loan_cost(loan)
        line = one_year_lpr(fixings, loan.start_date)
        out.append(LoanView(summary, cost, tuple(rate_warnings(cost.apr, advertised_rate(loan), line))))
    return out


@dataclass(frozen=True)
class Quote:
    """What a loan offer really costs (the `debt apr` calculator)."""

    loan: Loan
    payment: int
    last_payment: int
    total_repaid: int
    total_cost: int
    cost: Cost
    warnings: tuple[Warning, ...]
    installments: int = 0


def quote(data: LoanInput, today: dt.date, fixings: tuple[lpr_table.Fixing, ...] = lpr_table.SHIPPED) -> Quote:
    """Cost of an offer without saving it; the method defaults to flat-fee with --fee-rate."""
    if data.method is None:
        data = replace(data, method="flat-fee" if data.fee_rate is not None else "equal-installment")
    loan = build_loan(
        replace(data, name=data.name or "quote", lender=data.lender or "-", start=data.start or today.isoformat()), None, fixings
    )
    if loan.method == "revolving":
        raise BadInput(_("the calculator needs a fixed term; a revolving balance has none"))
    return quote_loan(loan, fixings)


def quote_loan(loan: Loan, fixings: tuple[lpr_table.Fixing, ...]) -> Quote:
    """What a loan costs (the calculator, the loan form's preview): its payments, total cost, APR and
    the warnings against the LPR in force when it starts (the shipped table with the user's fixings)."""
    schedule = build_schedule(loan)
    total = sum(i.total for i in schedule)
    cost = loan_cost(loan)
    warnings = tuple(rate_warnings(cost.apr, advertised_rate(loan), one_year_lpr(fixings, loan.start_date)))
    return Quote(loan, schedule[0].total, schedule[-1].total, total, total - loan.received_amount, cost, warnings, len(schedule))


def plan_minimum(store: Store, today: dt.date, currency: str = "CNY") -> int:
    """The smallest budget `plan` accepts: overdue amounts plus each open loan's next installment due within a month."""
    from .reads import summaries

    loans = [loan for loan in store.loans() if loan.currency == currency]
    got = summaries(store, loans, today)
    if got is None:
        got = [evaluate(loan, store.repayments(loan.id or 0), today) for loan in loans]
    return minimum_payments([s for s in got if s.status != "closed"], today)


def plan(store: Store, budget: str, strategy: str, today: dt.date, currency: str = "CNY") -> dict[str, Plan]:
    """Payoff plans for the open loans in ``currency``, with the schedule-only baseline under 'schedule'.

    Each loan starts where its stored state stands (no replay); a live one (a card) is replayed.
    """
    from .reads import costs, plan_starts, summaries

    if strategy not in (*STRATEGIES, "both"):
        raise BadInput(_("unknown strategy {value!r}; choose avalanche, snowball or both").format(value=strategy))
    currency = check_currency(currency)
    amount = parse_amount(budget, currency, what=_("budget"))
    loans = [loan for loan in store.loans() if loan.currency == currency]
    got = summaries(store, loans, today)
    stored = plan_starts(store, loans, today) if got is not None else None
    if got is None or stored is None:
        states = [s for s in (evaluate(loan, store.repayments(loan.id or 0), today) for loan in loans) if s.status != "closed"]
        got, starts, spent = states, {}, 0
    else:
        starts, spent = stored
        states = []
    got = [s for s in got if s.status != "closed"]
    if not got:
        raise Refused(_("there are no open loans in {currency} to plan").format(currency=currency))
    for s in got:
        lid = s.loan.id or 0
        if lid not in starts:  # a live loan (a card), or no stored state: replayed
            state = s if isinstance(s, LoanState) else evaluate(s.loan, store.repayments(lid), today)
            states.append(state)
            if (start := start_of(state)) is not None:
                starts[lid] = start
    spent += paid_this_month(states, today)
    known = costs(store)
    aprs = {}
    for s in got:
        cost = known.get(s.loan.id or 0) or loan_cost(s.loan)
        aprs[s.loan.id or 0] = cost.apr if cost.apr is not None else s.loan.annual_rate
    order = [starts[s.loan.id or 0] for s in got if (s.loan.id or 0) in starts]
    needed = minimum_payments(got, today)
    chosen = STRATEGIES if strategy == "both" else (strategy,)
    plans = {name: run(order, aprs, amount, name, today, spent=spent, needed=needed) for name in chosen}
    plans["schedule"] = run(order, aprs, amount, None, today, spent=spent)
    return plans


# -- settings ------------------------------------------------------------------
def settings_view(store: Store) -> dict[str, str]:
    """Every setting as text, for listing them."""
    return effective(store.settings())


def current_settings(store: Store) -> Settings:
    """The settings in force, typed: what every use case reads."""
    return Settings.of(store.settings())


def set_setting(store: Store, key: str, value: str) -> str:
    setting = get_setting(key)
    clean = setting.parse(value)
    if key in ("dti.caution", "dti.warn"):
        current = effective(store.settings())
        caution = Decimal(clean if key == "dti.caution" else current["dti.caution"])
        warn = Decimal(clean if key == "dti.warn" else current["dti.warn"])
        if caution >= warn:
            raise BadInput(_("dti.caution ({caution}) must be below dti.warn ({warn})").format(caution=caution, warn=warn))
    store.set_setting(key, clean)
    return clean


MAX_ID = 2**63 - 1  # SQLite's INTEGER


def parse_count(text: str | int, what: str) -> int:
    """A whole number typed by the user (range checks belong to the use case)."""
    return _int(text, what)


def parse_id(text: str | int, what: str) -> int:
    value = _int(text, what)
    if not 0 < value <= MAX_ID:
        raise BadInput(_("{what} must be a positive whole number").format(what=what))
    return value


# -- repayments ----------------------------------------------------------------
PAID_BEFORE = "paid-until"  # the source of the repayments `--paid-until` records for installments before the loan was entered


def record_repayment(
    store: Store,
    loan_id: int,
    amount: str | int,
    today: dt.date,
    *,
    date: str | None = None,
    note: str | None = None,
    prepay: bool = False,
    keep_term: bool = False,
    allow_overpay: bool = False,
    source: str = "",
    source_ref: str = "",
) -> tuple[Repayment, LoanState]:
    if keep_term and not prepay:
        raise BadInput(_("--keep-term goes with --prepay"))
    loan = store.get_loan(loan_id)
    when = parse_date(date, _("repayment date")) if date is not None else today
    rep = repayment_for(
        loan, amount, today, date=when, note=note, prepay=prepay, keep_term=keep_term, source=source, source_ref=source_ref
    )
    with store.write():
        existing = store.repayments(loan_id)
        check_repayment(loan, existing, rep, today, allow_overpay=allow_overpay)
        saved = store.add_repayment(rep)
    return saved, evaluate(loan, [*existing, saved], today)


def repayment_for(
    loan: Loan,
    amount: str | int,
    today: dt.date,
    *,
    date: dt.date,
    note: str | None = None,
    prepay: bool = False,
    keep_term: bool = False,
    source: str = "",
    source_ref: str = "",
) -> Repayment:
    """A repayment to ``loan`` checked on its own: made by today, on or after the loan's start."""
    if date > today:
        raise BadInput(
            _("the repayment date {date} is after today ({today}); record a payment once it is made").format(
                date=date.isoformat(), today=today.isoformat()
            )
        )
    if date < loan.start_date:
        raise BadInput(
            _("the repayment date {date} is before the loan starts ({start})").format(
                date=date.isoformat(), start=loan.start_date.isoformat()
            )
        )
    return Repayment(
        loan_id=loan.id or 0,
        date=date,
        amount=amount if isinstance(amount, int) else parse_amount(amount, loan.currency),
        note=clean_text(note, _("note"), limit=MAX_NOTE),
        prepay=prepay,
        keep_term=keep_term,
        source=source,
        source_ref=source_ref,
    )


def delete_repayment(store: Store, rep_id: int, today: dt.date) -> tuple[Repayment, LoanState]:
    rep = store.get_repayment(rep_id)
    store.delete_repayment(rep_id)
    return rep, loan_state(store, rep.loan_id, today)


def require_confirmation(confirmed: bool, what: str) -> None:
    if not confirmed:
        raise Refused(_("{what}: not confirmed; nothing was deleted").format(what=what))


# -- checks and backups ----------------------------------------------------------
def find_damaged(store: Store) -> dict[tuple[str, int], str]:
    """Read every record again; the ones whose stored values cannot be read, with why."""
    store.forget_reads()
    store.loans()
    store.repayments()
    store.incomes()
    store.all_bills()
    return store.damaged


STATE_PARTS = {
    "missing": N_("missing"),
    "orphan": N_("left from a deleted loan"),
    "totals": N_("totals"),
    "apr": N_("APR"),
    "lines": N_("schedule lines"),
    "allocations": N_("allocations"),
}


def state_differences(store: Store) -> list[tuple[int, str]]:
    """Loans whose stored state differs from a replay now (snapshot.differences)."""
    from .snapshot import differences

    return differences(store)


def rebuild_state(store: Store) -> int:
    """Replay every loan and store the result, in one transaction; return how many loans."""
    from .snapshot import rebuild

    with store.write():
        return rebuild(store)


def check_database(store: Store, today: dt.date) -> list[str]:
    """Every problem found: SQLite's checks, the ledger's own invariants, and the stored state
    against a replay (one replay per loan serves both)."""
    from . import snapshot

    problems = store.integrity_problems()
    by_loan = store.repayments_by_loan()
    loans = store.loans()
    known = {loan.id or 0 for loan in loans}
    stale = [(lid, "orphan") for lid in snapshot.orphans(store, known)]
    for loan in loans:
        lid = loan.id or 0
        reps = by_loan.get(lid, [])
        got = snapshot.stored(store.conn, lid)
        try:
            check_priceable(loan)
            if loan.is_card:
                evaluate(loan, reps, today)
            computed = snapshot.replay_rows(loan, reps, snapshot.comparison_day(got, today))
        except TrackerError as exc:  # a loan the engine cannot price or replay is itself a finding
            problems.append(_("loan {id}: cannot be computed ({reason})").format(id=loan.id, reason=exc.message))
            continue
        part = snapshot.difference(store.conn, got, computed)
        if part is not None:
            stale.append((lid, part))
        if loan.is_card:
            if loan.credit_limit != loan.principal or not loan.bill_day or not loan.due_day:
                problems.append(_("card {id}: its limit, bill day or due day is missing").format(id=loan.id))
            continue  # a card's bills are what it owes; there is no schedule to add up
        state, lines, allocs = computed
        principal = sum(line[7] for line in lines)
        if principal != loan.principal:
            problems.append(
                _("loan {id}: principal parts add up to {sum}, not {principal}").format(
                    id=loan.id, sum=principal, principal=loan.principal
                )
            )
        allocated = sum(a[5] + a[6] + a[7] + a[8] for a in allocs) + state[9]
        if allocated != state[8]:
            problems.append(
                _("loan {id}: repayments of {paid} are allocated as {allocated}").format(
                    id=loan.id, paid=state[8], allocated=allocated
                )
            )
    for loan_id, part in sorted(stale):
        problems.append(
            _("loan {id}: its stored state ({part}) is not what a replay gives; 'debt check --repair' rebuilds it").format(
                id=loan_id, part=_(STATE_PARTS[part])
            )
        )
    damaged_loans = {row_id for table, row_id in store.damaged if table == "loans"}
    for loan_id, reps in by_loan.items():
        if loan_id not in known and loan_id not in damaged_loans:
            problems.append(
                ngettext(
                    "{n} repayment belongs to a missing loan {id}", "{n} repayments belong to a missing loan {id}", len(reps)
                ).format(n=len(reps), id=loan_id)
            )
    store.incomes()
    for (table, row_id), reason in sorted(store.damaged.items()):
        problems.append(
            _("{table} record {id}: a stored value cannot be read ({reason}); 'debt check --repair' can remove it").format(
                table=table, id=row_id, reason=reason
            )
            + "".join(
                "; "
                + _("or set it: debt check --repair --set {table}.{id}.{column}=VALUE").format(table=table, id=row_id, column=c)
                for c, _v, _k in store.unreadable_fields(table, row_id)
            )
        )
    if not problems:
        problems += _export_round_trip_problems(store, today)
    return problems


def _export_round_trip_problems(store: Store, today: dt.date) -> list[str]:
    """The database's own export must import: every record passes the import's checks."""
    from .exchange import export_data, parse_export

    try:
        parse_export(export_data(store, today))  # JSON's own types already (debt export writes it as is)
    except TrackerError as exc:
        return [_("the export of this database would not import: {reason}").format(reason=exc.message)]
    return []
