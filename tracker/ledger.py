"""Repayments allocated to installments: balances, penalty, payoff, overdue, status (pure).

A loan's state is a replay: start from its schedule and apply repayments in date order
(``Replay.pay``). A repayment first pays everything due on or before its date, oldest first:
penalty interest, then fee, interest, principal. What is left is an advance on the next
installments or, as a prepayment, settles the interest accrued since the period began and
reduces the principal; the rest of the schedule is then recomputed (a shorter term with a
new level payment, or the same term with a lower payment). Installment numbers never change.
"""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from fractions import Fraction

from msgspec import Struct, field

from .errors import BadInput, Refused
from .i18n import _
from .models import (
    AUTOPAY_MATCH_DAYS,
    AUTOPAY_SOURCE,
    Allocation,
    Installment,
    InstallmentState,
    Loan,
    LoanState,
    Payoff,
    PrepayEffect,
    Repayment,
)
from .money import fmt
from .schedule import (
    accrue,
    annuity_payment,
    broken_interest,
    build_schedule,
    generate,
    generate_revolving,
    half_up,
    months_needed,
    payment_rate,
    slot_of,
)


class _Line(Struct):
    """A schedule line being paid: the installment and what has been allocated to each of its parts."""

    inst: Installment
    fee: int = 0
    interest: int = 0
    principal: int = 0
    pen_units: int = 0  # sum of overdue base x days; x the daily penalty rate = penalty accrued
    pen_to: dt.date | None = None  # penalty accrued up to this day
    pen_paid: int = 0
    done_on: dt.date | None = None  # the day it was paid in full

    @property
    def base(self) -> int:
        """Unpaid principal and interest: what penalty interest runs on."""
        return self.inst.principal - self.principal + self.inst.interest - self.interest

    @property
    def paid(self) -> int:
        return self.fee + self.interest + self.principal

    @property
    def unpaid(self) -> int:
        return self.inst.total - self.paid


def penalty_fraction(rate) -> Fraction | None:
    """The daily penalty rate as an exact fraction (annual percent / 360 / 100), None without a penalty."""
    return Fraction(rate) / 36000 if rate else None


def copy_line(line: _Line) -> _Line:
    """A line to pay on of its own (the installment, which never changes, is shared)."""
    return _Line(line.inst, line.fee, line.interest, line.principal, line.pen_units, line.pen_to, line.pen_paid, line.done_on)


def units_at(pen: Fraction | None, kind: str, due: dt.date, pen_to: dt.date | None, base: int, units: int, day: dt.date) -> int:
    """A line's overdue base x days up to ``day``, from its parts (see ``pen_units_at``)."""
    if pen is None or kind != "installment":
        return units
    since = max(due, pen_to or due)
    if day <= since or base <= 0:
        return units
    return units + base * (day - since).days


def pen_units_at(pen: Fraction | None, line: _Line, day: dt.date) -> int:
    """The line's overdue base x days up to ``day``: what the daily penalty rate is charged on."""
    inst = line.inst
    return units_at(pen, inst.kind, inst.due_date, line.pen_to, line.base, line.pen_units, day)


def penalty_at(pen: Fraction | None, line: _Line, day: dt.date) -> int:
    """Penalty accrued on the line up to ``day`` (rounded half-up), paid or not."""
    if pen is None:
        return 0
    return half_up(pen * pen_units_at(pen, line, day))


def line_state(pen: Fraction | None, line: _Line, today: dt.date) -> InstallmentState:
    """A line as of ``today``: its status (paid, overdue, partial, due), days late and penalty."""
    inst = line.inst
    if line.unpaid <= 0:
        status = "paid"
    elif inst.due_date < today:
        status = "overdue"
    elif line.paid > 0:
        status = "partial"
    else:
        status = "due"
    if inst.kind != "installment":
        late = 0
    elif line.done_on is not None:
        late = max((line.done_on - inst.due_date).days, 0)
    else:
        late = max((today - inst.due_date).days, 0)
    penalty = max(penalty_at(pen, line, today), line.pen_paid)
    return InstallmentState(inst, line.principal, line.interest, line.fee, status, penalty, line.pen_paid, late)


class _Alloc(Struct):
    """Part of a repayment applied to one line, in the order the ledger made it."""

    rep_id: int | None
    day: dt.date
    line: _Line
    fee: int
    interest: int
    principal: int
    penalty: int = 0

    @property
    def total(self) -> int:
        return self.fee + self.interest + self.principal + self.penalty


class Replay(Struct, dict=True):
    """A loan's ledger, built up one repayment at a time (in date order)."""

    loan: Loan
    lines: list[_Line] = field(default_factory=list)
    allocs: list[_Alloc] = field(default_factory=list)
    repayments: list[Repayment] = field(default_factory=list)
    effects: list[PrepayEffect] = field(default_factory=list)
    credit: int = 0
    stand_ins: list[tuple[int | None, int]] = field(default_factory=list)  # (repayment id, installment) for deductions
    first_open: int = 0
    last_date: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = [_Line(inst, pen_to=inst.due_date) for inst in build_schedule(self.loan)]
        self._pen = penalty_fraction(self.loan.penalty_rate)

    # -- penalty interest ---------------------------------------------------------
    def _pen_units_at(self, line: _Line, day: dt.date) -> int:
        return pen_units_at(self._pen, line, day)

    def _penalty_at(self, line: _Line, day: dt.date) -> int:
        """Penalty accrued on the line up to ``day`` (rounded half-up), paid or not."""
        return penalty_at(self._pen, line, day)

    def _accrue(self, day: dt.date) -> None:
        if self._pen is None:
            return
        for line in self.lines[self.first_open :]:
            if line.inst.due_date >= day:
                break
            line.pen_units = self._pen_units_at(line, day)
            line.pen_to = max(day, line.pen_to or day)

    # -- paying ---------------------------------------------------------------------
    def _apply(self, rep_id: int | None, day: dt.date, line: _Line, amount: int) -> int:
        """Pay up to ``amount`` on one line (penalty, fee, interest, principal); return what is left."""
        pen = min(amount, max(self._penalty_at(line, day) - line.pen_paid, 0)) if self._pen else 0
        amount -= pen
        f = min(amount, line.inst.fee - line.fee)
        amount -= f
        i = min(amount, line.inst.interest - line.interest)
        amount -= i
        p = min(amount, line.inst.principal - line.principal)
        amount -= p
        if pen or f or i or p:
            line.pen_paid += pen
            line.fee += f
            line.interest += i
            line.principal += p
            self.allocs.append(_Alloc(rep_id, day, line, f, i, p, pen))
            if line.unpaid == 0 and line.done_on is None:
                line.done_on = day
        return amount

    def _skip_paid(self) -> None:
        while self.first_open < len(self.lines) and self.lines[self.first_open].unpaid <= 0:
            self.first_open += 1

    def pay(self, rep: Repayment) -> None:
        """Apply one repayment (repayments must come in date order)."""
        day, amount = rep.date, rep.amount
        if self.last_date is not None and day < self.last_date:
            raise ValueError("repayments must be applied in date order")
        self.last_date = day
        self.repayments.append(rep)
        self._accrue(day)
        self._skip_paid()
        if rep.autopay_seq is not None:
            # an automatic deduction pays its own installment (a missed one before it stays overdue)
            own = self.line(rep.autopay_seq)
            if own is not None and own.unpaid > 0:
                amount = self._apply(rep.id, day, own, amount)
        for line in self.lines[self.first_open :]:
            if amount == 0 or line.inst.due_date > day:
                break
            if line.unpaid > 0:
                amount = self._apply(rep.id, day, line, amount)
        if amount and (rep.prepay or self.loan.method == "revolving"):
            # a revolving balance is charged by the day: what is beyond the bills due settles the coming
            # bill on this day (``_prepay``), with or without --prepay
            amount = self._prepay(rep, amount, day)
        for line in self.lines[self.first_open :]:
            if amount == 0:
                break
            if line.unpaid > 0:
                amount = self._apply(rep.id, day, line, amount)
        self.credit += amount

    def line(self, seq: int) -> _Line | None:
        """The open schedule line numbered ``seq``."""
        for line in self.lines[self.first_open :]:
            if line.inst.seq == seq:
                return line
        return None

    def _cut_index(self, day: dt.date) -> int | None:
        """The first open installment due after ``day``: where a prepayment or a payoff on that day cuts the schedule
        (an installment paid in full ahead of its due date stays paid, with the interest it paid)."""
        for k in range(self.first_open, len(self.lines)):
            line = self.lines[k]
            if line.inst.kind == "installment" and line.inst.due_date > day:
                return k
        return None

    def _settlement(self, day: dt.date, cut: int) -> tuple[int, int, int]:
        """(principal left, interest accrued since the period began, advances paid on the rest) at ``day``."""
        tail = self.lines[cut:]
        balance = sum(line.inst.principal for line in tail)
        begin = tail[0].inst.start or self.loan.start_date
        if self.loan.method == "bullet":
            accrued = half_up(accrue(self.loan, balance, begin, day))
        else:
            accrued = half_up(broken_interest(self.loan, balance, begin, day))
        advances = sum(line.paid for line in tail)
        return balance, accrued, advances

    def _fees_dropped(self, tail: list[_Line], new_count: int) -> int:
        """Flat-fee: the fees of the installments a prepayment removes, when the card issuer still charges them."""
        if self.loan.method != "flat-fee" or self.loan.early_fees != "charge":
            return 0
        return self._fees_from(tail)[min(new_count, len(tail))]

    @staticmethod
    def _fees_from(tail: list[_Line]) -> list[int]:
        """k -> the fees of the installments from the k-th on (a prepayment's search asks for many k)."""
        out = [0] * (len(tail) + 1)
        for k in range(len(tail) - 1, -1, -1):
            out[k] = out[k + 1] + tail[k].inst.fee
        return out

    def _new_count(self, tail: list[_Line], new_balance: int, keep_term: bool, day: dt.date) -> tuple[int, int]:
        """(installments left, level payment or principal part) once the principal drops to ``new_balance`` on
        ``day``: the level at the rate in force that day, the rate the rebuilt schedule starts at (after a rate
        change, not the rate of the period the prepayment falls in)."""
        loan, first = self.loan, tail[0].inst
        old_count = len(tail)
        if new_balance <= 0:
            return 0, 0
        if loan.method == "bullet":
            return 1, 0
        if loan.method == "equal-installment":
            rate = payment_rate(loan, loan.rate_on(day))
            count = old_count if keep_term else months_needed(new_balance, rate, first.level)
            return count, annuity_payment(new_balance, rate, count)
        if loan.method in ("equal-principal", "flat-fee"):
            if keep_term:
                return old_count, half_up(Fraction(new_balance, old_count))
            return -(-new_balance // first.level), first.level
        return old_count, 0  # interest-only: the same months on less

    def _prepay(self, rep: Repayment, amount: int, day: dt.date) -> int:
        """Settle the interest accrued to ``day``, then reduce the principal; return what is left."""
        cut = self._cut_index(day)
        if cut is None:
            return amount
        tail = self.lines[cut:]
        balance, accrued, advances = self._settlement(day, cut)
        if balance <= 0:
            return amount
        money = amount + advances  # money paid ahead on the replaced installments counts too
        if money <= accrued:
            return amount  # not enough to reach the principal: an advance on the next installment
        room = money - accrued
        keep = rep.keep_term or self.loan.method == "interest-only"
        if self.loan.method == "flat-fee" and self.loan.early_fees == "charge" and not keep:
            # the largest principal whose removed installments' fees are also covered
            dropped = self._fees_from(tail)
            lo, hi = 0, min(room, balance)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                count, _part = self._new_count(tail, balance - mid, keep, day)
                if mid + dropped[min(count, len(tail))] <= room:
                    lo = mid
                else:
                    hi = mid - 1
            principal = lo
        else:
            principal = min(room, balance)
        if principal <= 0:
            return amount
        new_balance = balance - principal
        count, level = self._new_count(tail, new_balance, keep, day)
        fees = self._fees_dropped(tail, count) if not keep else 0
        first = tail[0].inst
        seq = first.seq or 1
        settled: _Line | None = None
        if self.loan.method == "revolving" and new_balance:
            # a revolving balance, charged by the day: a payment that covers the coming bill with the interest
            # accrued to its day settles that bill there (its minimum, that interest, not the whole period's);
            # what is beyond lowers the balance, and the next bill's interest runs from this day. One short of
            # it is an advance on the bill.
            if principal < first.principal:
                return amount
            settled = _Line(
                Installment(first.seq, first.due_date, first.principal, accrued, first.fee, start=first.start, level=first.level),
                pen_to=first.due_date,
            )
            principal -= first.principal
            rebuilt = generate_revolving(self.loan, new_balance, seq + 1, seq, day)
        elif self.loan.method == "revolving":
            rebuilt = []
        elif count:
            rebuilt = generate(self.loan, new_balance, seq, slot_of(self.loan, seq), day, count, level)
        else:
            rebuilt = []
        if settled is not None:  # the settled bill holds the interest to this day; the line before it, the rest
            pre = _Line(Installment(None, rep.date, principal, 0, 0, kind="prepayment", start=day), pen_to=rep.date)
        else:
            pre = _Line(
                Installment(None, rep.date, principal, accrued, fees, kind="prepayment", start=first.start), pen_to=rep.date
            )
        old_cost = sum(line.inst.interest + line.inst.fee for line in tail)
        new_cost = accrued + fees + sum(i.interest + i.fee for i in rebuilt)
        self.effects.append(
            PrepayEffect(
                repayment_id=rep.id,
                date=rep.date,
                principal=principal,
                accrued_interest=accrued,
                fees=fees,
                old_end=tail[-1].inst.due_date,
                new_end=rebuilt[-1].due_date if rebuilt else None,
                months_saved=len(tail) - len(rebuilt) - (settled is not None) if self.loan.method != "bullet" else 0,
                interest_saved=old_cost - new_cost,
                old_payment=_regular_payment(self.loan.method, [line.inst for line in tail]),
                new_payment=_regular_payment(self.loan.method, rebuilt),
                bill_due=settled.inst.due_date if settled is not None else None,
                bill_principal=settled.inst.principal if settled is not None else 0,
            )
        )
        # the money paid ahead on the replaced installments moves, in its order, ahead of this repayment
        replaced = {id(line) for line in tail}
        queue = [(a.rep_id, a.day, a.total) for a in self.allocs if id(a.line) in replaced]
        self.allocs = [a for a in self.allocs if id(a.line) not in replaced]
        new_lines = [_Line(inst, pen_to=inst.due_date) for inst in rebuilt]
        # in date order; paid in this order: a settled bill first, then the principal beyond it
        ahead = [pre] if pre.inst.total else []
        self.lines = [*self.lines[:cut], *ahead, *([settled] if settled else []), *new_lines]
        paid_in_order = [*([settled] if settled else []), *ahead, *new_lines]
        queue.append((rep.id, rep.date, amount))
        left = 0
        for n, (rep_id, when, value) in enumerate(queue):
            for line in paid_in_order:
                if value == 0:
                    break
                if line.unpaid > 0:
                    value = self._apply(rep_id, when, line, value)
            if n == len(queue) - 1:
                left = value  # this repayment's own remainder goes on as an advance
            else:
                self.credit += value
        return left

    # -- what is owed -------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        self._skip_paid()
        return self.first_open < len(self.lines)

    def outstanding(self) -> int:
        """Principal still owed."""
        return sum(line.inst.principal - line.principal for line in self.lines[self.first_open :])

    def due_by(self, day: dt.date) -> int:
        """Everything falling due on or before ``day`` and still unpaid, penalty included."""
        total = 0
        for line in self.lines[self.first_open :]:
            if line.inst.due_date > day:
                break
            total += line.unpaid + max(self._penalty_at(line, day) - line.pen_paid, 0)
        return total

    def open_due_dates(self, until: dt.date) -> list[dt.date]:
        """Due dates of the unpaid lines up to ``until``."""
        return [line.inst.due_date for line in self.lines[self.first_open :] if line.inst.due_date <= until and line.unpaid > 0]

    def payoff(self, day: dt.date) -> Payoff:
        """The amount that closes the loan on ``day`` (提前结清金额), by parts."""
        if self.last_date is not None and day < self.last_date:
            raise Refused(
                _("a payoff on {date} would come before the repayment of {last}").format(
                    date=day.isoformat(), last=self.last_date.isoformat()
                )
            )
        principal = interest = fees = penalty = 0
        self._skip_paid()  # as a repayment on that day sees the lines (a revolving bill paid whole stays paid)
        cut = self._cut_index(day)
        upto = cut if cut is not None else len(self.lines)
        for line in self.lines[self.first_open : upto]:
            penalty += max(self._penalty_at(line, day) - line.pen_paid, 0)
            fees += line.inst.fee - line.fee
            interest += line.inst.interest - line.interest
            principal += line.inst.principal - line.principal
        if cut is not None:
            balance, accrued, advances = self._settlement(day, cut)
            dropped = self._fees_dropped(self.lines[cut:], 0)
            # money paid ahead on the rest comes off principal first, then fees, then interest
            ahead = advances
            take = min(ahead, balance)
            balance, ahead = balance - take, ahead - take
            take = min(ahead, dropped)
            dropped, ahead = dropped - take, ahead - take
            accrued -= min(ahead, accrued)
            principal += balance
            interest += accrued
            fees += dropped
        return Payoff(self.loan.id, day, principal, interest, fees, penalty, self.loan.currency)

    # -- the state as of a day ----------------------------------------------------------
    def state(self, today: dt.date) -> LoanState:
        index = {id(line): n for n, line in enumerate(self.lines)}
        allocations = tuple(
            Allocation(a.rep_id, a.line.inst.seq, a.principal, a.interest, a.fee, a.penalty, index[id(a.line)], a.day)
            for a in self.allocs
        )
        states = tuple(self._line_state(line, today) for line in self.lines)
        return LoanState(
            self.loan, today, states, tuple(self.repayments), allocations, self.credit, tuple(self.effects), tuple(self.stand_ins)
        )

    def _line_state(self, line: _Line, today: dt.date) -> InstallmentState:
        return line_state(self._pen, line, today)


def _regular_payment(method: str, insts: list[Installment]) -> int:
    """The payment a month usually asks: the level payment, else a whole period's (not a broken first one)."""
    if not insts:
        return 0
    if method == "equal-installment":
        return insts[0].level
    return insts[1].total if len(insts) > 1 else insts[0].total


def replay(loan: Loan, repayments: list[Repayment] | tuple[Repayment, ...], until: dt.date | None = None) -> Replay:
    """The loan's ledger after ``repayments`` (in date order; same-day ones by id).

    With ``until``, an auto-debit loan also pays each installment due before that day by
    deduction on its due date (see ``_with_deductions``).
    """
    ledger = Replay(loan)
    reps = sorted(repayments, key=lambda r: (r.date, r.id or 0))
    if until is not None and loan.autopay and loan.method != "revolving":
        _with_deductions(ledger, reps, until)
    else:
        for rep in reps:
            ledger.pay(rep)
    return ledger


def deduction_uid(loan: Loan, seq: int) -> str | None:
    """A deduction's identity: the same installment of the same loan is the same deduction everywhere."""
    if loan.uid is None:
        return None
    return str(uuid.uuid5(uuid.UUID(loan.uid), f"autopay:{seq}"))


def _with_deductions(ledger: Replay, reps: list[Repayment], until: dt.date) -> None:
    """Replay an auto-debit loan: each installment due before ``until`` is deducted in full on its due date.

    Not when its deduction failed (``loan.missed``), when a recorded deduction names it, or when a
    recorded repayment takes its place: one of the installment's amount within AUTOPAY_MATCH_DAYS
    of its due date, while nothing older is unpaid. An installment already paid needs nothing.
    """
    loan = ledger.loan
    handled = set(loan.missed) | {r.autopay_seq for r in reps if r.autopay_seq is not None}
    dates = [r.date for r in reps]
    window = dt.timedelta(days=AUTOPAY_MATCH_DAYS)
    taken: set[int] = set()
    done = 0
    while True:
        ledger._skip_paid()
        line = next(
            (
                ln
                for ln in ledger.lines[ledger.first_open :]
                if ln.inst.kind == "installment" and ln.inst.seq is not None and ln.inst.seq not in handled and ln.unpaid > 0
            ),
            None,
        )
        if line is None or line.inst.due_date >= until:
            break
        seq, due = line.inst.seq, line.inst.due_date
        assert seq is not None
        while done < len(reps) and reps[done].date <= due:
            ledger.pay(reps[done])
            done += 1
        handled.add(seq)
        current = ledger.line(seq)
        if current is None or current.unpaid <= 0:
            continue
        if ledger.lines[ledger.first_open] is current:
            lo, hi = bisect.bisect_left(dates, due - window), bisect.bisect_right(dates, due + window)
            match = next(
                (
                    k
                    for k in range(lo, hi)
                    if k not in taken
                    and not reps[k].prepay
                    and reps[k].autopay_seq is None
                    and reps[k].amount == current.inst.total
                ),
                None,
            )
            if match is not None:
                taken.add(match)
                ledger.stand_ins.append((reps[match].id, seq))
                continue
        ledger.pay(
            Repayment(
                loan_id=loan.id or 0,
                date=due,
                amount=current.unpaid,
                source=AUTOPAY_SOURCE,
                autopay_seq=seq,
                uid=deduction_uid(loan, seq),
            )
        )
    for rep in reps[done:]:
        ledger.pay(rep)


def evaluate(loan: Loan, repayments: list[Repayment] | tuple[Repayment, ...], today: dt.date) -> LoanState:
    """Replay ``repayments`` against ``loan`` and report its state as of ``today`` (deductions included).

    A credit card is judged by its bills instead (cards.py).
    """
    if loan.is_card:
        from .cards import card_loan_state

        return card_loan_state(loan, repayments, today)
    return replay(loan, repayments, today).state(today)


def payoff_quote(loan: Loan, repayments: list[Repayment] | tuple[Repayment, ...], day: dt.date) -> Payoff:
    """What closes the loan on ``day``: principal, interest accrued to that day, fees, penalty."""
    if loan.is_card:
        from .cards import card_payoff

        balance, interest, late_fee = card_payoff(loan, repayments, day)
        return Payoff(loan.id, day, balance, interest, late_fee, 0, loan.currency)
    return replay(loan, repayments, day).payoff(day)


def deductions(state: LoanState) -> list[Repayment]:
    """The automatic deductions an auto-debit loan's state counts (not recorded in the database)."""
    return [r for r in state.repayments if r.id is None and r.autopay_seq is not None]


def check_repayment(loan: Loan, existing: list[Repayment], new: Repayment, today: dt.date, *, allow_overpay: bool) -> LoanState:
    """Validate a new repayment against the loan; return the loan's state with it applied."""
    if new.date < loan.start_date:
        raise BadInput(
            _("the repayment date {date} is before the loan starts ({start})").format(
                date=new.date.isoformat(), start=loan.start_date.isoformat()
            )
        )
    before = evaluate(loan, existing, today)
    after = evaluate(loan, [*existing, new], today)
    extra = after.credit - before.credit
    if loan.is_card and extra > 0:
        # a card's next bill adds the interest and late fee of one not paid in full: paying them ahead is no overpayment.
        # What is owed is asked as of the latest payment, every one of them counted (a back-dated one as well)
        last = max([new.date, *(r.date for r in existing)])
        quote = payoff_quote(loan, existing, last)
        extra = min(extra, max(new.amount - quote.total, 0))
    if extra > 0 and not allow_overpay:
        payable = new.amount - extra
        hint = _("use --allow-overpay to record it anyway")
        if payable <= 0 and loan.is_card:  # an open line is never "repaid": its bills are paid, the rest a credit
            raise Refused(
                _("card {id} owes nothing now (its bills are paid): {amount} would be a credit balance (溢缴款)").format(
                    id=loan.id, amount=fmt(new.amount, loan.currency)
                ),
                hint=hint,
            )
        if payable <= 0:
            raise Refused(_("loan {id} is already fully repaid; nothing is owed").format(id=loan.id), hint=hint)
        raise Refused(
            _("{amount} is more than the {payable} still owed on loan {id}").format(
                amount=fmt(new.amount, loan.currency), payable=fmt(payable, loan.currency), id=loan.id
            ),
            hint=hint,
        )
    return after
