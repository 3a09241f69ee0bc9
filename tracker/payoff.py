"""Avalanche / snowball payoff simulation with the ledger's own replay (pure).

Month by month from today: every loan's installments falling due are paid on their due dates
(overdue ones today); what the budget leaves over is paid at the month's end as a prepayment
to one target debt (avalanche: highest APR first; snowball: smallest balance first), through
``Replay.pay`` exactly as ``debt repay --prepay`` records it: the interest accrued since the
period began is settled, the principal drops, the rest of the schedule gets a new level payment
over fewer months, and the freed payments roll on to the next target.

A debt the plan has not yet prepaid only follows its schedule, so until then it is not replayed:
its lines are paid in order where they stand (``_Debt.follow``), with the very amounts
``Replay.due_by`` asks. The first prepayment turns it into a ledger: its lines as the plan found
them, with the payments made so far applied through ``Replay.pay``; a prepayment that pays the
debt off, where its settlement alone decides it (``Start.settlement``), closes it without one.
A test compares this with a plan that replays every debt from the first month. The plan starts
from each debt's ledger as it stands (``Start``): from a replay, or from the stored state
(reads.py) without replaying.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property

from dateutil.relativedelta import relativedelta
from msgspec import Struct, field

from .cards import plan_loan
from .errors import Refused
from .i18n import _
from .ledger import Replay, _Alloc, _Line, copy_line, deductions, penalty_fraction, replay, units_at
from .models import Installment, Loan, LoanState, Repayment
from .money import fmt
from .rates import monthly_irr
from .schedule import accrue, broken_interest, half_up

STRATEGIES = ("avalanche", "snowball")
MAX_MONTHS = 1200
PLAN_NOTE = "plan"


class LoanPayoff(Struct, frozen=True):
    """When a plan pays off one loan, and the interest it pays on the way."""

    loan_id: int
    name: str
    payoff_date: dt.date | None
    interest: int  # interest, fees and penalty paid from today on


class Plan(Struct, frozen=True):
    """A payoff plan: its strategy, how long to be debt-free, the interest, the balances month by month."""

    strategy: str
    months: int
    debt_free_date: dt.date | None
    total_interest: int
    loans: tuple[LoanPayoff, ...]
    balances: tuple[int, ...] = ()  # total principal left at each month's end
    short_months: tuple[tuple[dt.date, int], ...] = ()  # (month, scheduled payments) where they alone exceed the budget
    # every payment the plan makes, in order (loan ids on each); the schedule-only baseline lists
    # only what it pays on a ledger (a loan it cannot follow line by line)
    repayments: tuple[Repayment, ...] = ()


Alloc = tuple[int | None, dt.date, int, int, int, int, int]  # repayment id, day, line index, fee, interest, principal, penalty
# a line as the plan follows it: due date, unpaid, principal left, interest and fees left, and what
# its penalty interest runs on (kind, accrued to, base, overdue base x days so far, penalty paid);
# then the day its interest runs from, what has been paid on it and its fee (what a payoff settles)
Item = tuple[dt.date, int, int, int, str, "dt.date | None", int, int, int, "dt.date | None", int, int]
Group = tuple[dt.date, int, int, int, int]  # pay day, amount, principal, interest (fees and penalty too), lines up to


class Start:
    """A debt's ledger as the plan finds it: its lines from the first one still open (the ones
    before are paid and play no part), the allocations on those lines in the order they were
    made, and the day of the last repayment applied.

    The lines are read as ``items`` (``item_of``); ``make_lines(k)`` gives fresh ledger lines from
    the k-th on, made only when a ledger is needed: for the lines not yet paid when the plan first
    prepays the debt. Built from a replay (``of``) or from the stored state (reads.py).

    ``head``: the lines due by ``today`` as their sums alone (amount, principal, interest and fees),
    when the plan pays them whole today as one group and none charges penalty interest; ``items``
    then holds the ``offset`` lines after them only (the stored state sums the first in SQL instead of
    reading each: half a long history's open lines are overdue). Line indexes (groups, allocations,
    ``make_lines``) still count from the first open line.
    """

    def __init__(
        self,
        loan: Loan,
        items: list[Item],
        make_lines: Callable[[int], list[_Line]],
        allocs: tuple[Alloc, ...] = (),
        last_date: dt.date | None = None,
        head: tuple[dt.date, int, int, int, int] | None = None,
    ) -> None:
        self.loan, self.items, self.make_lines, self.allocs, self.last_date = loan, items, make_lines, allocs, last_date
        self._groups: dict[dt.date, list[Group]] = {}
        # (today, amount, principal, interest and fees, lines): the one group the lines due by today make
        self._head = head
        self.offset = head[4] if head is not None else 0

    @classmethod
    def of(cls, ledger: Replay) -> Start:
        ledger._skip_paid()
        lines = [copy_line(line) for line in ledger.lines[ledger.first_open :]]
        index = {id(line): n for n, line in enumerate(ledger.lines[ledger.first_open :])}
        allocs = tuple(
            (a.rep_id, a.day, index[id(a.line)], a.fee, a.interest, a.principal, a.penalty)
            for a in ledger.allocs
            if id(a.line) in index
        )
        return cls(
            ledger.loan,
            [item_of(line) for line in lines],
            lambda k: [copy_line(ln) for ln in lines[k:]],
            allocs,
            ledger.last_date,
        )

    @cached_property
    def in_order(self) -> bool:
        """Whether the lines come in due-date order (what following them in order assumes)."""
        dues = [item[0] for item in self.items]
        return all(a <= b for a, b in zip(dues, dues[1:], strict=False))

    @cached_property
    def principal(self) -> int:
        return (self._head[2] if self._head is not None else 0) + sum(item[2] for item in self.items)

    def groups(self, today: dt.date) -> list[Group]:
        """The schedule followed from ``today``: each due date's lines paid whole on that date (the
        overdue ones today, penalty interest to today included), as ``Replay.due_by`` asks them.
        Computed once per day and shared by the plans compared."""
        if today not in self._groups:
            if self._head is not None:
                if today != self._head[0]:
                    raise ValueError(f"a plan's start summed for {self._head[0]} is asked for {today}")
                self._groups[today] = [self._head, *self._follow(0, today)]
            else:
                items, k = self.items, 0
                while k < len(items) and items[k][1] <= 0:
                    k += 1  # the ledger's first open line
                self._groups[today] = self._follow(k, today)
        return self._groups[today]

    def _follow(self, k: int, today: dt.date) -> list[Group]:
        """The groups of the items from the k-th on (``groups``)."""
        pen = penalty_fraction(self.loan.penalty_rate)
        items, offset = self.items, self.offset
        out: list[Group] = []
        while k < len(items):
            day = max(items[k][0], today)
            amount = principal = charges = 0
            while k < len(items) and items[k][0] <= day:
                due, unpaid, left, owed, kind, pen_to, base, units, pen_paid = items[k][:9]
                if pen is not None and due < day:
                    late = max(half_up(pen * units_at(pen, kind, due, pen_to, base, units, day)) - pen_paid, 0)
                    unpaid, owed = unpaid + late, owed + late
                amount, principal, charges = amount + unpaid, principal + left, charges + owed
                k += 1
            out.append((day, amount, principal, charges, offset + k))
        return out

    def settlement(self, upto: int, day: dt.date) -> tuple[int, int] | None:
        """(principal, interest accrued and fees) that close the debt on ``day`` once the plan has paid the
        lines before ``upto`` whole, as ``Replay.payoff`` settles it, when that needs no ledger: every line
        left falls due after ``day``, the first an installment, and none has been paid ahead. The fees are a
        flat-fee loan's remaining monthly fees where its lender charges them (``early_fees``). None otherwise."""
        loan, items, k = self.loan, self.items, upto - self.offset
        # (k < 0: a line of the head is left, due by today: not after ``day``)
        if not 0 <= k < len(items) or loan.method == "revolving":
            return None
        first = items[k]
        if first[0] <= day or first[4] != "installment":
            return None
        balance = fees = 0
        for item in items[k:]:
            if item[10]:
                return None  # paid ahead: the ledger moves those payments onto the settlement
            balance += item[2]
            fees += item[11]
        if not (loan.method == "flat-fee" and loan.early_fees == "charge"):
            fees = 0
        begin = first[9] or loan.start_date
        if loan.method == "bullet":
            return balance, half_up(accrue(loan, balance, begin, day)) + fees
        return balance, half_up(broken_interest(loan, balance, begin, day)) + fees

    def ledger(self, upto: int, last_date: dt.date | None) -> Replay:
        """A ledger of its own to pay on, once the plan has paid the lines before ``upto`` whole."""
        lines = self.make_lines(upto)
        allocs = [_Alloc(r, day, lines[n - upto], f, i, p, pen) for r, day, n, f, i, p, pen in self.allocs if n >= upto]
        return Replay(self.loan, lines, allocs, last_date=last_date)


def item_of(line: _Line) -> Item:
    inst = line.inst
    left = inst.principal - line.principal
    charges = inst.fee - line.fee + inst.interest - line.interest
    return (
        inst.due_date, line.unpaid, left, charges, inst.kind, line.pen_to, line.base, line.pen_units, line.pen_paid, inst.start, line.paid,
        inst.fee,
    )  # fmt: skip


def start_of(state: LoanState) -> Start | None:
    """The plan's start for a debt from its state: its replay (deductions as of the state's day), or
    a card's balance due on its bill's due date; None when nothing is owed."""
    if state.card is not None:
        loan = plan_loan(state)
        start = Start.of(Replay(loan)) if loan is not None else None
    else:
        auto = {id(r) for r in deductions(state)}
        recorded = [r for r in state.repayments if id(r) not in auto]
        start = Start.of(replay(state.loan, recorded, state.today))
    return start if start is not None and start.items else None


def _month_end(day: dt.date) -> dt.date:
    return day + relativedelta(day=31)


def minimum_payments(states, today: dt.date) -> int:
    """What the loans need each month: overdue amounts plus each loan's next installment if due within a month
    (a card: its bill's minimum). ``states``: LoanStates or LoanSummaries."""
    until = today + relativedelta(months=1)
    total = overdue_payments(states)
    for st in states:
        if st.card is not None:
            bill = st.card.next_due
            if bill is not None and bill.due_date <= until:
                total += max(bill.minimum - bill.paid, 0)
            continue
        nxt = st.next_due
        if nxt is not None and nxt.installment.kind == "installment" and nxt.installment.due_date <= until:
            total += nxt.unpaid
    return total


def overdue_payments(states) -> int:
    """The part of ``minimum_payments`` that is overdue: owed once, not every month."""
    return sum(st.card.overdue_amount if st.card is not None else st.overdue_amount for st in states)


def paid_this_month(states: list[LoanState], today: dt.date) -> int:
    """The installments of today's month already paid: the month's budget has spent them."""
    month, end = today.replace(day=1), _month_end(today)
    return sum(
        s.paid
        for st in states
        for s in st.schedule
        if s.installment.kind == "installment" and month <= s.installment.due_date <= end
    )


class _Ids:
    """Negative ids for the plan's own repayments, so they never collide with recorded ones."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last -= 1
        return self.last


class _Debt(Struct, dict=True):
    """One debt as a plan pays it: following its schedule until the first prepayment, then through its ledger."""

    start: Start
    apr: Decimal
    today: dt.date
    keep: bool = True  # keep the payments made while following (a strategy's plan lists them)
    planned: list[Repayment] = field(default_factory=list)
    last_paid: dt.date | None = None
    ledger: Replay | None = None  # made at the first prepayment; until then the debt follows its schedule
    group: int = 0  # the next of the start's groups to pay (while following)
    interest: int = 0  # interest, fees and penalty the plan has paid (while following)
    _balance: int | None = None  # the principal left, kept until the plan pays this debt again

    def __post_init__(self) -> None:
        self.loan = self.start.loan
        self._groups = self.start.groups(self.today)
        last = self.start.last_date
        if not self.start.in_order or (last is not None and last > self.today):
            self.replay()  # lines out of date order, or a repayment recorded ahead: no shortcut

    @property
    def balance(self) -> int:
        if self._balance is None:
            self._balance = self.ledger.outstanding() if self.ledger is not None else self.start.principal
        return self._balance

    def replay(self) -> Replay:
        """The debt's ledger from where following its schedule has brought it: the lines the plan has
        paid are gone (they were paid whole, and play no further part)."""
        if self.ledger is None:
            upto = self._groups[self.group - 1][4] if self.group else 0
            self.ledger = self.start.ledger(upto, self.last_paid or self.start.last_date)
        return self.ledger

    @property
    def is_open(self) -> bool:
        if self.ledger is not None:
            return self.ledger.is_open
        return self.group < len(self._groups)

    def pay_due(self, ids: _Ids, end: dt.date) -> int:
        """Pay what falls due up to ``end``: each due date's lines on that date, overdue ones today."""
        if self.ledger is None:
            return self.follow(ids, end)
        paid = 0
        for day in sorted({max(due, self.today) for due in self.ledger.open_due_dates(end)}):
            amount = self.ledger.due_by(day)
            if amount > 0:
                self._pay(ids, day, amount)
                paid += amount
        return paid

    def follow(self, ids: _Ids, end: dt.date) -> int:
        """``pay_due`` for a debt that only follows its schedule: the start's groups, no replay."""
        groups, paid = self._groups, 0
        while self.group < len(groups) and groups[self.group][0] <= end:
            day, amount, principal, charges, _upto = groups[self.group]
            if amount > 0:
                self._record(ids, day, amount)
                paid += amount
            self.interest += charges
            self._balance = self.balance - principal
            self.group += 1
        return paid

    def _record(self, ids: _Ids, day: dt.date, amount: int, *, prepay: bool = False) -> Repayment | None:
        self.last_paid = day
        if not self.keep and self.ledger is None:
            return None  # the schedule alone: its payments are the schedule's own, not the plan's to list
        rep = Repayment(self.loan.id or 0, day, amount, note=PLAN_NOTE, prepay=prepay, id=ids.next())
        self.planned.append(rep)
        return rep

    def _pay(self, ids: _Ids, day: dt.date, amount: int, *, prepay: bool = False) -> None:
        ledger = self.replay()
        day = max(day, ledger.last_date or day)  # after any repayment already recorded
        rep = self._record(ids, day, amount, prepay=prepay)
        assert rep is not None  # a ledger's payments are always kept
        ledger.pay(rep)
        self._balance = None

    def prepay(self, ids: _Ids, end: dt.date, extra: int) -> int:
        """Pay up to ``extra`` ahead at the month's end; return what was paid."""
        last = self.last_paid or self.start.last_date
        if self.ledger is None and self.group < len(self._groups) and (last is None or last <= end):
            # a debt still following its schedule that ``extra`` pays off: closed as its ledger would
            # close it (the settlement alone), without making the ledger
            upto = self._groups[self.group - 1][4] if self.group else 0
            settled = self.start.settlement(upto, end)
            if settled is not None and sum(settled) <= extra:
                principal, charges = settled
                self._record(ids, end, principal + charges, prepay=True)
                self.interest += charges
                self.group, self._balance = len(self._groups), 0
                return principal + charges
        part = min(extra, self.replay().payoff(end).total)
        if part > 0:
            self._pay(ids, end, part, prepay=True)
        return part

    def paid_interest(self) -> int:
        """Interest, fees and penalty the plan pays: while following, then through the ledger."""
        if self.ledger is None:
            return self.interest
        mine = {r.id for r in self.planned}
        return self.interest + sum(a.interest + a.fee + a.penalty for a in self.ledger.allocs if a.rep_id in mine)


def saving_rate(start: Start, today: dt.date) -> Decimal:
    """What a yuan prepaid on a debt saves, as an annual percent: the rate its balance is charged from today on,
    which the avalanche ranks by. Not the contract's APR, which counts what is already paid: a fee taken up front
    is gone, so prepaying such a loan saves its interest rate only (an online loan's 24.2% APR is 18.25% to
    prepay). The rate in force today (after any rate change or repricing); for a flat-fee instalment plan whose
    remaining fees stop with it (``early_fees`` waive), the rate those fees cost on the principal still owed
    (the IRR of its remaining payments against that principal, which rises as the plan runs down: each month's
    fee is charged on the whole amount first lent); for one whose fees are charged anyway, its interest rate
    alone (usually nothing: prepaying it saves nothing)."""
    loan = start.loan
    rate = loan.rate_on(today)
    if loan.method != "flat-fee" or loan.early_fees == "charge":
        return rate
    future = [item for item in start.items if item[0] > today and item[1] > 0]
    left = sum(item[2] for item in future)
    if left <= 0:
        return rate
    irr, _reason = monthly_irr(left, today, [Installment(None, item[0], item[1], 0, 0) for item in future])
    return rate if irr is None else max(rate, (irr * 1200).quantize(Decimal("0.01")))


def _order(strategy: str | None) -> Callable[[_Debt], tuple]:
    """Which debt a strategy pays first: the smallest key (avalanche: the highest ``saving_rate``; snowball: the
    smallest balance)."""
    if strategy == "avalanche":
        return lambda d: (-d.apr, d.balance, d.loan.id)
    return lambda d: (d.balance, -d.apr, d.loan.id)


def simulate(states: list[LoanState], aprs: dict[int, Decimal], budget: int, strategy: str | None, today: dt.date) -> Plan:
    """Run the plan from the debts' states; ``strategy`` None pays only the schedules (the baseline)."""
    starts = [s for st in states if (s := start_of(st)) is not None]
    needed = minimum_payments(states, today) if strategy is not None else 0
    overdue = overdue_payments(states) if strategy is not None else 0
    return run(starts, aprs, budget, strategy, today, spent=paid_this_month(states, today), needed=needed, overdue=overdue)


def run(
    starts: list[Start],
    aprs: dict[int, Decimal],
    budget: int,
    strategy: str | None,
    today: dt.date,
    *,
    spent: int = 0,
    needed: int = 0,
    overdue: int = 0,
    follow: bool = True,
) -> Plan:
    """The plan from where each debt stands (``simulate`` gets the starts from states).

    ``spent``: what this month's installments already took before today; ``needed``: the monthly
    minimum payments (``minimum_payments``), which a strategy's budget must cover. With ``follow``
    False every debt is replayed from the first month (what the shortcut is compared with).
    """
    debts = [_Debt(s, aprs.get(s.loan.id or 0, s.loan.annual_rate), today, strategy is not None) for s in starts]
    if not follow:
        for d in debts:
            d.replay()
    if strategy is not None and needed > budget:
        if overdue:  # owed once: said apart, so the monthly figure is not read as the month's burden
            raise Refused(
                _(
                    "the budget {budget} is {short} short of this month's minimum payments ({needed}, of which {overdue} "
                    "is overdue)"
                ).format(budget=fmt(budget), short=fmt(needed - budget), needed=fmt(needed), overdue=fmt(overdue))
            )
        raise Refused(
            _("the budget {budget} is {short} short of the monthly minimum payments ({needed})").format(
                budget=fmt(budget), short=fmt(needed - budget), needed=fmt(needed)
            )
        )
    ids = _Ids()
    month = today.replace(day=1)
    months = 0
    balances: list[int] = []
    short: list[tuple[dt.date, int]] = []
    live = [d for d in debts if d.is_open]
    for m in range(MAX_MONTHS):
        live = [d for d in live if d.is_open]
        if not live:
            break
        end = _month_end(month)
        scheduled = sum(d.pay_due(ids, end) for d in live)
        spent = (spent if m == 0 else 0) + scheduled
        if strategy is not None and scheduled > budget:
            short.append((month, scheduled))
        extra = max(budget - spent, 0) if strategy is not None else 0
        queue: list[_Debt] = []
        while extra > 0:
            # the first open debt in the strategy's order; only the one paid changes, and it leaves the
            # queue once paid off (a debt still open after a prepayment has used up this month's extra)
            while queue and queue[-1].balance <= 0:
                queue.pop()
            if not queue:
                queue = sorted((d for d in live if d.balance > 0), key=_order(strategy), reverse=True)
                if not queue:
                    break
            target = queue[-1]
            part = target.prepay(ids, end, extra)
            if part <= 0:
                break
            extra -= part
            if target.balance > 0:
                queue = []
        if spent or (strategy is not None and extra < budget - spent):
            months = m + 1
        balances.append(sum(d.balance for d in live))
        month += relativedelta(months=1)
    loans = tuple(
        LoanPayoff(d.loan.id or 0, d.loan.name, d.last_paid, d.paid_interest())
        for d in sorted(debts, key=lambda d: d.loan.id or 0)
    )
    last_day = max((d.last_paid for d in debts if d.last_paid), default=None)
    planned = tuple(sorted((r for d in debts for r in d.planned), key=lambda r: (r.date, -(r.id or 0))))
    return Plan(
        strategy or "schedule",
        months,
        last_day,
        sum(lp.interest for lp in loans),
        loans,
        tuple(balances[:months]),
        tuple(short),
        planned,
    )
