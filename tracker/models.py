"""Frozen value types shared by the engine, the store and the faces.

Money is int minor units (fen, cents); rates are Decimal percents; dates are datetime.date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from .i18n import N_

METHODS = ("equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee", "revolving")
CARD = "card"  # a credit card: its own kind of account, judged by its bills (see cards.py), not a method to choose
KINDS = ("mortgage", "car", "consumer", "credit-card", "online-platform", "personal", "other")
RATE_UNITS = ("annual", "monthly", "daily")
INTEREST_BASES = ("period", "daily")
EARLY_FEES = ("charge", "waive")

METHOD_LABELS = {
    "equal-installment": N_("equal installments"),
    "equal-principal": N_("equal principal"),
    "interest-only": N_("interest-only"),
    "bullet": N_("bullet"),
    "flat-fee": N_("instalment fee"),
    "revolving": N_("revolving"),
    "card": N_("credit card bills"),
}
KIND_LABELS = {
    "mortgage": N_("mortgage"),
    "car": N_("car loan"),
    "consumer": N_("consumer loan"),
    "credit-card": N_("credit card"),
    "online-platform": N_("online platform"),
    "personal": N_("personal"),
    "other": N_("other"),
}
STATUS_LABELS = {
    "paid": N_("paid"),
    "overdue": N_("overdue"),
    "partial": N_("partial"),
    "due": N_("due"),
    "active": N_("active"),
    "closed": N_("closed"),
    "minimum": N_("minimum paid"),
}


class Loan(Struct, frozen=True):
    """A loan's contract as entered: who lent what, at which rate, repaid how (its terms, with its name and ids)."""

    name: str
    lender: str
    method: str
    principal: int
    annual_rate: Decimal
    start_date: dt.date
    first_due_date: dt.date
    term_months: int | None = None
    received: int | None = None
    kind: str = "other"
    currency: str = "CNY"
    fee_rate: Decimal = Decimal(0)
    min_payment_rate: Decimal = Decimal(10)
    # How the lender quoted the rate (for the "advertised" figure): unit and the number as typed.
    rate_unit: str = "annual"
    quoted_rate: Decimal | None = None
    notes: str = ""
    id: int | None = None
    # period: a full month is balance x annual / 12, a broken period annual / 360 x days (banks);
    # daily: every period is balance x daily rate x actual days (platforms quoting a daily rate)
    interest_basis: str = "period"
    penalty_rate: Decimal | None = None  # annual percent on overdue principal and interest (罚息)
    early_fees: str = "charge"  # flat-fee: remaining monthly fees on early payoff, charged or waived
    lpr_spread_bp: int | None = None  # floating: five-year LPR + this many basis points
    reprice: str | None = None  # floating: the yearly repricing day, "MM-DD"
    # rate changes after the start, oldest first: (first day, annual percent); a period that starts
    # on or after the day is charged the new rate. Floating loans get theirs from the LPR table.
    rate_changes: tuple[tuple[dt.date, Decimal], ...] = ()
    uid: str | None = None  # stable identity across export and import
    # auto-debit (代扣): an installment whose due date has passed counts as deducted on that day,
    # unless the deduction failed (its number is in ``missed``) or a recorded repayment stands for it
    autopay: bool = False
    autopay_account: str = ""
    missed: tuple[int, ...] = ()
    # a credit card (method "card"): its limit, bill and due days, interest rule, late fee, and bills
    credit_limit: int | None = None
    bill_day: int | None = None
    due_day: int | None = None
    card_interest: str = "full"
    late_fee_rate: Decimal = Decimal(5)
    bills: tuple = ()  # tuple[cards.Bill, ...], attached by the store
    # an instalment loan made from a card's bill (账单分期): the card and the bill's date
    card_id: int | None = None
    card_bill_date: dt.date | None = None
    # a card's instalment loans: (due date, principal) of each of their installments, attached by the store. What
    # is not yet due still holds part of the limit, as issuers count it
    instalments: tuple = ()

    @property
    def is_card(self) -> bool:
        return self.method == CARD

    @property
    def received_amount(self) -> int:
        return self.principal if self.received is None else self.received

    def rate_on(self, day: dt.date) -> Decimal:
        """The annual rate in force for a period starting on ``day``."""
        rate = self.annual_rate
        for start, value in self.rate_changes:
            if start > day:
                break
            rate = value
        return rate

    @property
    def terms(self) -> Loan:
        """The contract without what only names it (name, lender, notes, kind, id, uid, account):
        the key under which its schedule and cost are cached, so equal contracts share them."""
        if not (self.name or self.lender or self.notes or self.id is not None or self.uid is not None):
            if self.kind == "other" and not self.autopay_account:
                return self
        return replace(self, name="", lender="", notes="", kind="other", id=None, uid=None, autopay_account="")

    @property
    def rate_history(self) -> tuple[tuple[dt.date, Decimal], ...]:
        """Every rate the loan has had, from its start: (first day, annual percent)."""
        return ((self.start_date, self.annual_rate), *self.rate_changes)


class Repayment(Struct, frozen=True):
    """Money paid on a loan on a day (a prepayment when ``prepay``), as recorded or imported."""

    loan_id: int
    date: dt.date
    amount: int
    note: str = ""
    prepay: bool = False
    keep_term: bool = False
    source: str = ""
    source_ref: str = ""
    id: int | None = None
    uid: str | None = None  # stable identity across export and import
    autopay_seq: int | None = None  # an automatic deduction: the installment it paid

    @property
    def is_autopay(self) -> bool:
        return self.autopay_seq is not None


AUTOPAY_SOURCE = "autopay"
AUTOPAY_MATCH_DAYS = 3  # a recorded repayment this close to a due date, of its amount, is that deduction


class Installment(Struct, frozen=True):
    """One scheduled payment; a prepayment is a line of kind 'prepayment' with no number (seq None).

    Installment numbers (期数) never change: a prepayment keeps the bank's numbering of the rest.
    """

    seq: int | None
    due_date: dt.date
    principal: int
    interest: int
    fee: int = 0
    kind: str = "installment"
    start: dt.date | None = None  # the day its interest starts to run
    level: int = 0  # equal-installment: the level payment in force for it

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee


class InstallmentState(Struct, frozen=True):
    """An installment with what has been paid on each of its parts and its status as of a day."""

    installment: Installment
    paid_principal: int
    paid_interest: int
    paid_fee: int
    status: str
    penalty: int = 0  # penalty interest accrued on it up to today (paid or not)
    paid_penalty: int = 0
    days_late: int = 0  # how late it was paid, or is as of today

    @property
    def paid(self) -> int:
        return self.paid_principal + self.paid_interest + self.paid_fee

    @property
    def unpaid(self) -> int:
        return self.installment.total - self.paid


class Allocation(Struct, frozen=True):
    """Part of a repayment applied to one schedule line (by its seq)."""

    repayment_id: int | None
    seq: int | None
    principal: int
    interest: int
    fee: int
    penalty: int = 0
    line: int = 0  # index of the schedule line it paid
    date: dt.date | None = None  # the repayment's date

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee + self.penalty


class LoanState(Struct, frozen=True, dict=True):
    """A loan as of a given day: its live schedule, what was paid, what is owed."""

    loan: Loan
    today: dt.date
    schedule: tuple[InstallmentState, ...]
    repayments: tuple[Repayment, ...]
    allocations: tuple[Allocation, ...] = ()
    credit: int = 0  # paid beyond everything owed (only with --allow-overpay)
    effects: tuple[PrepayEffect, ...] = ()  # what each prepayment changed, in date order
    # recorded repayments that are an auto-debit installment's deduction: (repayment id, installment)
    stand_ins: tuple[tuple[int | None, int], ...] = ()
    # a credit card: its bills judged (cards.CardState); the schedule then has one line per bill
    # (principal: the bill, interest: the interest estimated for the next bill, fee: the late fee)
    card: Any = None

    @cached_property
    def status(self) -> str:
        if self.card is not None:
            return "overdue" if self.card.overdue_amount else "active"
        if self.schedule and all(s.status == "paid" for s in self.schedule):
            return "closed"
        if any(s.status == "overdue" for s in self.schedule):
            return "overdue"
        return "active"

    @cached_property
    def outstanding_principal(self) -> int:
        if self.card is not None:
            return max(self.card.balance, 0)
        return sum(s.installment.principal - s.paid_principal for s in self.schedule)

    @cached_property
    def penalty_accrued(self) -> int:
        """Penalty interest owed as of today (accrued and not yet paid)."""
        if self.card is not None:
            return 0
        return sum(s.penalty - s.paid_penalty for s in self.schedule)

    @cached_property
    def remaining_total(self) -> int:
        if self.card is not None:
            return max(self.card.balance, 0)
        return sum(s.unpaid for s in self.schedule) + self.penalty_accrued

    @cached_property
    def overdue(self) -> list[InstallmentState]:
        if self.card is not None:
            due = [s for s in self.schedule if s.status == "overdue"]
            return due[-1:] if self.card.overdue_amount else []
        return [s for s in self.schedule if s.status == "overdue"]

    @cached_property
    def overdue_amount(self) -> int:
        if self.card is not None:
            return self.card.overdue_amount
        return sum(s.unpaid for s in self.overdue) + self.penalty_accrued

    @cached_property
    def days_overdue(self) -> int:
        if self.card is not None:
            return self.card.days_overdue
        overdue = self.overdue
        return (self.today - overdue[0].installment.due_date).days if overdue else 0

    @cached_property
    def next_due(self) -> InstallmentState | None:
        if self.card is not None:
            return self.schedule[-1] if self.card.next_due is not None else None
        for s in self.schedule:
            if s.unpaid > 0 and s.installment.due_date >= self.today:
                return s
        return None

    @cached_property
    def total_paid(self) -> int:
        return sum(r.amount for r in self.repayments)

    @cached_property
    def _paid_by_line(self) -> dict[int, list[tuple[dt.date, int]]]:
        out: dict[int, list[tuple[dt.date, int]]] = {}
        for a in self.allocations:
            if a.date is not None:
                out.setdefault(a.line, []).append((a.date, a.total - a.penalty))
        return out

    def unpaid_as_of(self, index: int, day: dt.date) -> int:
        """What schedule line ``index`` still needed on ``day``: its total less what was paid before that day."""
        paid = sum(amount for when, amount in self._paid_by_line.get(index, ()) if when < day)
        return max(self.schedule[index].installment.total - paid, 0)


class LoanSummary(Struct, frozen=True):
    """A loan as the lists show it on a day: what its LoanState says, without the schedule.

    Built from a LoanState (``of``) or read from the stored state with SQL (reads.py); the two
    are equal, which the tests check on random histories.
    """

    loan: Loan
    today: dt.date
    status: str
    outstanding_principal: int
    remaining_total: int
    overdue_amount: int
    days_overdue: int
    next_due: InstallmentState | None
    total_paid: int
    credit: int
    penalty_accrued: int
    card: Any = None

    @classmethod
    def of(cls, state: LoanState) -> LoanSummary:
        return cls(
            state.loan,
            state.today,
            state.status,
            state.outstanding_principal,
            state.remaining_total,
            state.overdue_amount,
            state.days_overdue,
            state.next_due,
            state.total_paid,
            state.credit,
            state.penalty_accrued,
            state.card,
        )


class PrepayEffect(Struct, frozen=True):
    """What one prepayment did: the interest settled up to its date and the shorter or lighter rest."""

    repayment_id: int | None
    date: dt.date
    principal: int  # principal repaid early
    accrued_interest: int  # interest for the days since the period began, settled first
    fees: int  # flat-fee: remaining fees collected (early_fees charge)
    old_end: dt.date | None
    new_end: dt.date | None  # None: the loan is paid off
    months_saved: int
    interest_saved: int  # interest and fees the rest of the schedule no longer charges
    old_payment: int
    new_payment: int
    bill_due: dt.date | None = None  # a revolving balance: the coming bill settled on the day, by its due date
    bill_principal: int = 0  # and its minimum, paid with the interest above


class Payoff(Struct, frozen=True):
    """What closes a loan on a day (提前结清金额)."""

    loan_id: int | None
    date: dt.date
    principal: int
    interest: int
    fees: int
    penalty: int
    currency: str = "CNY"

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fees + self.penalty


class Income(Struct, frozen=True):
    """A monthly income from a date, open-ended unless it has an end date (inclusive)."""

    source: str
    amount: int
    start_date: dt.date
    end_date: dt.date | None = None
    currency: str = "CNY"
    id: int | None = None
    uid: str | None = None  # stable identity across export and import


class CreditCheck(Struct, frozen=True):
    """One credit-report check: when, through which channel, what it found and what to follow up."""

    date: dt.date
    channel: str = ""
    findings: str = ""
    anomalies: int = 0
    follow_up: str = ""
    id: int | None = None
    uid: str | None = None  # stable identity across export and import


class AuditItem(Struct, frozen=True):
    """One checklist item; built-in ones carry a template key and are shown translated."""

    app: str
    permission: str
    instruction: str = ""
    why: str = ""
    status: str = "open"  # open, done, skipped
    last_done: dt.date | None = None
    template: str | None = None
    id: int | None = None
    uid: str | None = None  # stable identity across export and import


class Contact(Struct, frozen=True):
    """A collection message, call, visit or letter; a saved SMS keeps its verdict and flags."""

    channel: str
    happened_at: dt.datetime
    sender: str = ""
    about_loan_id: int | None = None
    about_person: str = ""
    summary: str = ""
    message: str = ""
    verdict: str | None = None
    score: int | None = None
    flags: str = "[]"  # JSON: [{"code": ..., "evidence": [...]}]
    id: int | None = None
    uid: str | None = None  # stable identity across export and import


class Evidence(Struct, frozen=True):
    """A file kept as evidence of a collection contact: its name as given, where it is stored, its hash."""

    original_name: str
    stored_name: str
    size: int
    sha256: str
    added_at: dt.datetime
    contact_id: int | None = None
    note: str = ""
    id: int | None = None
    uid: str | None = None  # stable identity across export and import
