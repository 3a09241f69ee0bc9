"""What a person types, checked into values (pure): text, ids and counts, a loan's and a card's fields
made into a Loan, a contact's date and time, a pasted message. The use cases and the export's parser share them."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Collection
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace

from . import lpr as lpr_table
from .cards import CARD_INTEREST, CARD_METHOD, due_date, first_bill_date
from .dates import add_months, parse_date
from .errors import BadInput, Refused
from .i18n import _
from .models import EARLY_FEES, INTEREST_BASES, KIND_LABELS, KINDS, METHOD_LABELS, METHODS, Loan
from .money import ascii_form, canonical, check_currency, parse_amount, parse_percent
from .rates import Cost, loan_cost
from .safe_text import BIDI
from .schedule import MAX_TERM_MONTHS, build_schedule, month_slot

MAX_SPREAD_BP = 2000  # a spread of 20 points over the LPR is not a mortgage

MAX_TEXT = 200
MAX_NOTE = 2000

# A method or a kind may also be typed by its Chinese name: the one the help gives beside each word (等额本息 for
# equal-installment), a common other name, in simplified or traditional characters; in either language
METHOD_NAMES = {
    "等额本息": "equal-installment",
    "等額本息": "equal-installment",
    "等额本金": "equal-principal",
    "等額本金": "equal-principal",
    "先息后本": "interest-only",
    "先息後本": "interest-only",
    "按月付息到期还本": "interest-only",
    "按月付息到期還本": "interest-only",
    "一次性还本付息": "bullet",
    "一次性還本付息": "bullet",
    "到期一次还本付息": "bullet",
    "到期一次還本付息": "bullet",
    "分期手续费": "flat-fee",
    "分期手續費": "flat-fee",
    "循环信用": "revolving",
    "循環信用": "revolving",
    "循环额度": "revolving",
    "循環額度": "revolving",
    "随借随还": "revolving",
    "隨借隨還": "revolving",
}
KIND_NAMES = {
    "房贷": "mortgage",
    "房貸": "mortgage",
    "车贷": "car",
    "車貸": "car",
    "消费贷": "consumer",
    "消費貸": "consumer",
    "信用卡": "credit-card",
    "网贷平台": "online-platform",
    "網貸平台": "online-platform",
    "网贷": "online-platform",
    "網貸": "online-platform",
    "个人借款": "personal",
    "個人借款": "personal",
    "其他": "other",
    "其它": "other",
}


def named_choice(value: str, words: tuple[str, ...], names: dict[str, str]) -> str | None:
    """The word ``value`` stands for: the word itself (any case, full-width letters too, as a Chinese input method
    types them) or a Chinese name of it."""
    text = unicodedata.normalize("NFKC", value).strip()
    if text.lower() in words:
        return text.lower()
    return names.get(text)


def choices_text(words: tuple[str, ...], labels: dict[str, str]) -> str:
    """The words to choose from, each with its name where the language has one of its own ("equal-installment（等额本息）")."""
    return _(", ").join(_("{word} ({name})").format(word=w, name=_(labels[w])) if _(labels[w]) != labels[w] else w for w in words)


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


class LoanInput(Struct):
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
    if not raw:
        raise BadInput(_("{what} is required").format(what=what))  # as an empty amount is
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
                option=option, value=value, choices=_(", ").join(choices)
            )
        )
    return value


def build_loan(
    data: LoanInput,
    base: Loan | None = None,
    fixings: tuple[lpr_table.Fixing, ...] = lpr_table.SHIPPED,
    *,
    priced: Collection[Loan] = (),
    stored_first_due: bool = False,
) -> Loan:
    """Validate typed fields into a Loan; with ``base``, unspecified fields keep their values.

    A loan is only returned if it can be priced: its schedule and its APR can be computed.
    ``priced``: terms (``Loan.terms``) the caller prices itself; a loan of those terms is not priced here.
    A bullet loan's first due date as typed is its maturity (its one payment); ``stored_first_due``: it is the
    first month of the term instead, as the database keeps it (an import of an export).
    """
    method = data.method if data.method is not None else (base.method if base else None)
    if method is None:
        raise BadInput(_("give the repayment method with --method"))
    typed = method
    if (method := named_choice(typed, METHODS, METHOD_NAMES)) is None:
        raise BadInput(
            _("unknown method {value!r}; choose one of: {choices}").format(
                value=typed, choices=choices_text(METHODS, METHOD_LABELS)
            )
        )
    typed = data.kind if data.kind is not None else (base.kind if base else "other")
    if (kind := named_choice(typed, KINDS, KIND_NAMES)) is None:
        raise BadInput(
            _("unknown kind {value!r}; choose one of: {choices}").format(value=typed, choices=choices_text(KINDS, KIND_LABELS))
        )
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
    elif method == "bullet" and data.first_due is not None and not stored_first_due:
        term = None  # from the maturity below
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
    if method == "bullet" and data.first_due is not None and not stored_first_due:
        # repaid once: the date given is the maturity, stored as it is; the term is its month count
        months = max(month_slot(start, first_due), 1)
        if term is not None and term != months and data.term is not None:
            raise BadInput(
                _("a bullet loan is repaid once, at maturity: {date} is in month {n} after the start, not month {term}").format(
                    date=first_due.isoformat(), n=months, term=term
                ),
                hint=_("leave out --term or make it {n}").format(n=months),
            )
        term = _term(months)  # within the longest term; the first due date stays the maturity (schedule.slot_of)

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
    if not priced or loan.terms not in priced:
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


def parse_paid_until(text: str | None, loan: Loan, today: dt.date) -> dt.date | None:
    if not text:
        return None
    until = _paid_until_day(text, today)
    if until < loan.start_date:
        raise BadInput(_("the paid-until date {date} is before the loan starts").format(date=until.isoformat()))
    return until


MAX_ID = 2**63 - 1  # SQLite's INTEGER


def parse_count(text: str | int, what: str) -> int:
    """A whole number typed by the user (range checks belong to the use case)."""
    return _int(text, what)


def parse_id(text: str | int, what: str) -> int:
    value = _int(text, what)
    if not 0 < value <= MAX_ID:
        raise BadInput(_("{what} must be a positive whole number").format(what=what))
    return value


def require_confirmation(confirmed: bool, what: str, hint: str = "") -> None:
    if not confirmed:
        raise Refused(_("{what}: not confirmed; nothing was deleted").format(what=what), hint=hint)


# -- cards -----------------------------------------------------------------------
DEFAULT_DAILY_RATE = "0.05"  # percent a day: the ceiling PBOC 银发〔2016〕111号 set, still most issuers' rate
DEFAULT_LATE_FEE_RATE = "5"  # percent of the unpaid minimum (违约金)


class CardInput(Struct):
    """A card as typed (strings, None when not given)."""

    name: str | None = None
    lender: str | None = None
    limit: str | None = None
    bill_day: str | int | None = None
    due_day: str | int | None = None
    daily_rate: str | None = None
    min_rate: str | None = None
    interest: str | None = None
    late_fee_rate: str | None = None
    currency: str | None = None
    start: str | None = None
    notes: str | None = None


def _day(value: str | int, what: str) -> int:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 31:
        raise BadInput(_("{what} must be a day of the month, 1 to 31").format(what=what))
    return int(text)


def build_card(data: CardInput, today: dt.date, base: Loan | None = None) -> Loan:
    """Validate typed fields into a card (a Loan of method "card"); with ``base``, unspecified ones are kept."""
    currency = check_currency(data.currency) if data.currency is not None else (base.currency if base else "CNY")
    name = clean_text(data.name, _("name"), required=True) if data.name is not None or base is None else base.name
    lender = clean_text(data.lender, _("lender"), required=True) if data.lender is not None or base is None else base.lender
    if data.limit is not None:
        limit = parse_amount(data.limit, currency, what=_("credit limit"))
    elif base is not None and base.credit_limit:
        limit = base.credit_limit
    else:
        raise BadInput(_("give the card's credit limit with --limit"))
    # named in words: the app's form shows the message beside its field, where "--bill-day" would mean nothing
    bill_day = _day(data.bill_day, _("the bill day")) if data.bill_day is not None else (base.bill_day if base else None)
    due_day = _day(data.due_day, _("the due day")) if data.due_day is not None else (base.due_day if base else None)
    if bill_day is None:
        raise BadInput(_("give the day the bill is made with --bill-day"))
    if due_day is None:
        raise BadInput(_("give the day the bill is due with --due-day"))
    if data.daily_rate is not None or base is None:
        daily = parse_percent(data.daily_rate or DEFAULT_DAILY_RATE, _("daily rate"), maximum=Decimal(1))
    else:
        daily = base.quoted_rate if base.quoted_rate is not None else base.annual_rate / 365
    if data.min_rate is not None:
        min_rate = parse_percent(data.min_rate, _("minimum payment rate"), allow_zero=False, maximum=Decimal(100))
    else:
        min_rate = base.min_payment_rate if base else Decimal(10)
    interest = data.interest if data.interest is not None else (base.card_interest if base else "full")
    if interest not in CARD_INTEREST:
        raise BadInput(
            _("unknown interest rule {value!r}; choose one of: {choices}").format(
                value=interest, choices=_(", ").join(CARD_INTEREST)
            )
        )
    if data.late_fee_rate is not None or base is None:
        late = parse_percent(data.late_fee_rate or DEFAULT_LATE_FEE_RATE, _("late fee rate"), maximum=Decimal(100))
    else:
        late = base.late_fee_rate
    start = parse_date(data.start, _("start date")) if data.start is not None else (base.start_date if base else today)
    notes = clean_text(data.notes, _("notes"), limit=MAX_NOTE) if data.notes is not None else (base.notes if base else "")
    card = Loan(
        id=base.id if base else None,
        uid=base.uid if base else None,
        name=name,
        lender=lender,
        method=CARD_METHOD,
        kind="credit-card",
        currency=currency,
        principal=limit,  # the row's principal is the limit: a card borrows up to it
        annual_rate=daily * 365,
        rate_unit="daily",
        quoted_rate=daily,
        min_payment_rate=min_rate,
        start_date=start,
        first_due_date=start,
        notes=notes,
        credit_limit=limit,
        bill_day=bill_day,
        due_day=due_day,
        card_interest=interest,
        late_fee_rate=late,
        bills=base.bills if base else (),
    )
    return replace(card, first_due_date=due_date(card, first_bill_date(card, start)))  # the first bill's, not before it


# -- contacts and messages ---------------------------------------------------------
CHANNELS = ("sms", "call", "visit", "letter", "app")
MAX_MESSAGE = 5000


def parse_datetime(text: str, what: str) -> dt.datetime:
    """'2026-11-15', '2026-11-15 09:30' or '2026-11-15T09:30:00'."""
    raw = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            value = dt.datetime.strptime(raw, fmt)
        except ValueError:
            continue
        if not 1900 <= value.year <= 2200:
            break
        return value
    raise BadInput(_("{what} must be a date and time such as 2026-11-15 09:30, got {value!r}").format(what=what, value=raw))


def parse_received(text: str, today: dt.date, what: str) -> dt.datetime:
    """When a message arrived: a time such as '23:40' (on ``today``) or a date and time (``parse_datetime``)."""
    raw = text.strip()
    try:
        if len(raw) <= 5:
            return dt.datetime.combine(today, dt.datetime.strptime(raw, "%H:%M").time())
        return parse_datetime(raw, what)
    except (ValueError, BadInput):
        raise BadInput(
            _("{what} must be a time such as 23:40, or a date and time such as 2026-11-15 09:30, got {value!r}").format(
                what=what, value=raw
            )
        ) from None


def read_message(text: str) -> str:
    message = text.strip()
    if not message:
        raise BadInput(_("the message is empty"))
    if len(message) > MAX_MESSAGE:
        raise BadInput(_("the message is longer than {n} characters").format(n=MAX_MESSAGE))
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in message):
        # bytes that are not UTF-8 arrive from standard input as lone surrogates
        raise BadInput(_("the message is not UTF-8 text"))
    if "\x00" in message:
        raise BadInput(_("the message contains a NUL character: it is not text"))
    return message
