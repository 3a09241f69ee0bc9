"""Import repayments from Alipay, WeChat Pay and bank statements: preview, review, record once."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from msgspec import Struct, field

from ..errors import BadInput, Refused, TrackerError
from ..i18n import _
from ..inputs import clean_text
from ..matching import MatchResult, MatchRule, match_rows, row_ref
from ..models import Loan, Repayment
from ..money import fmt
from ..statements import IN, OUT, Statement, StatementRow, read_statement
from ..store import Store
from .repayments import repayment_for

MAX_STATEMENT_BYTES = 50 * 1024 * 1024


class BillProposal(Struct, frozen=True):
    """The bill a card's statement adds up to: the last bill, less the payments since, plus the new charges."""

    card_id: int
    date: dt.date
    amount: int
    previous: int  # the last bill's amount due
    paid: int  # payments since the last bill, this statement's included
    charges: int  # spending, interest and fees on the statement, less refunds and credits


class ImportPreview(Struct):
    statement: Statement
    result: MatchResult
    assigned: list[tuple[int, StatementRow]] = field(default_factory=list)  # unmatched rows the user gave a loan
    deductions: dict[int, int] = field(default_factory=dict)  # see stand_ins: filled by review()
    bills: list[BillProposal] = field(default_factory=list)  # a card statement's bill: filled by review()
    bill_notes: list[str] = field(default_factory=list)  # why a card statement gives no bill
    # rows a repayment typed by hand already stands for: (loan id, row, that repayment's id); filled by review()
    typed: list[tuple[int, StatementRow, int]] = field(default_factory=list)

    @property
    def to_record(self) -> list[tuple[int, StatementRow]]:
        return [*self.result.matched, *self.assigned]

    @property
    def still_unmatched(self) -> list[tuple[StatementRow, int | None]]:
        taken = {id(row) for _loan, row in self.assigned}
        return [(row, hint) for row, hint in self.result.unmatched if id(row) not in taken]


def read_file(path: Path) -> bytes:
    if not path.is_file():
        raise BadInput(_("no such file: {path}").format(path=path))
    if path.stat().st_size > MAX_STATEMENT_BYTES:
        raise BadInput(_("{path} is larger than 50 MB; export a shorter period").format(path=path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None


def rules(store: Store) -> list[MatchRule]:
    return [MatchRule(loan_id, cp, desc, method) for _id, loan_id, cp, desc, method in store.match_rules()]


def preview(store: Store, data: bytes, source: str = "auto") -> ImportPreview:
    return match_statement(store, read_statement(data, source))


def rematch(store: Store, plan: ImportPreview) -> ImportPreview:
    """The same statement matched again (after a rule was added or deleted); rows the user assigned stay assigned."""
    fresh = match_statement(store, plan.statement)
    matched = {id(row) for _loan, row in fresh.result.matched}
    fresh.assigned.extend((loan_id, row) for loan_id, row in plan.assigned if id(row) not in matched)
    fresh.typed.extend(item for item in plan.typed if id(item[1]) not in matched)  # assigned rows set aside before
    return fresh


def match_statement(store: Store, statement: Statement) -> ImportPreview:
    """Which loan each row of a statement repays, by the rules, the loans' names and what was imported before."""
    loans = [(loan.id or 0, loan.name, loan.lender) for loan in store.loans()]
    currencies = {loan.id: loan.currency for loan in store.loans()}
    result = match_rows(statement.rows, rules(store), loans, store.imported_refs())
    # spending with a card is not a payment of it: a card takes only repayment-looking rows
    cards = {loan.id for loan in store.loans() if loan.is_card}
    spent = {id(row) for loan_id, row in result.matched if loan_id in cards and not row.is_repayment}
    result = MatchResult(
        [(loan_id, row) for loan_id, row in result.matched if id(row) not in spent],
        result.unmatched,
        result.duplicates,
        result.ignored + len(spent),
    )
    # a row in another currency than its loan is not recorded: it goes back to the unmatched list
    ok = [(loan_id, row) for loan_id, row in result.matched if currencies.get(loan_id) == row.currency]
    moved = [(row, loan_id) for loan_id, row in result.matched if currencies.get(loan_id) != row.currency]
    result = MatchResult(ok, [*result.unmatched, *moved], result.duplicates, result.ignored)
    return ImportPreview(statement, result)


def add_rule(store: Store, loan_id: int, counterparty: str | None, description: str | None, method: str | None) -> MatchRule:
    store.get_loan(loan_id)  # an unknown loan is refused as such, not by the database's foreign key
    rule = MatchRule(
        loan_id,
        clean_text(counterparty, _("counterparty")),
        clean_text(description, _("description")),
        clean_text(method, _("method")),
    )
    if rule.is_empty():
        raise BadInput(_("give at least one of --counterparty, --description and --method"))
    store.add_match_rule(loan_id, rule.counterparty, rule.description, rule.method)
    return rule


def list_rules(store: Store) -> list[tuple[int, int, str, str, str]]:
    """Every statement-matching rule: (id, loan id, counterparty, description, method)."""
    return store.match_rules()


def loan_rules(store: Store, loan_id: int) -> list[tuple[int, int, str, str, str]]:
    """One loan's rules (an unknown loan is refused)."""
    store.get_loan(loan_id)
    return [r for r in store.match_rules() if r[1] == loan_id]


def get_rule(store: Store, rule_id: int) -> tuple[int, int, str, str, str]:
    return store.get_match_rule(rule_id)


def delete_rule(store: Store, rule_id: int) -> None:
    store.delete_match_rule(rule_id)


def note_for(row: StatementRow) -> str:
    return " ".join(x for x in (row.counterparty, row.description) if x)[:200]


def record(store: Store, plan: ImportPreview, today: dt.date, *, allow_overpay: bool = False) -> int:
    """Record every accepted row, and a card statement's bill, in one transaction: all of them or, on any refusal, none.

    The rows are checked as `debt repay` checks one (not after today, not before the loan, not
    beyond what is owed), but each loan is replayed once with all its new rows, not once per
    row: 10,000 rows take seconds, not hours.
    """
    from ..ledger import evaluate
    from .cards import record_bill

    def refused(row: StatementRow, exc: TrackerError) -> TrackerError:
        return type(exc)(
            _("row from {date} ({amount}, {what}): {reason}; nothing was imported").format(
                date=row.when.date().isoformat(),
                amount=fmt(row.amount, row.currency),
                what=note_for(row)[:40],
                reason=exc.message,
            ),
            exc.hint,
        )

    with store.write():
        loans: dict[int, Loan] = {}
        new: dict[int, list[tuple[StatementRow, Repayment]]] = {}
        for loan_id, row in plan.to_record:
            source, ref = row_ref(row)
            try:
                loan = loans.get(loan_id) or loans.setdefault(loan_id, store.get_loan(loan_id))
                rep = repayment_for(
                    loan, row.amount, today, date=row.when.date(), note=note_for(row), source=source, source_ref=ref
                )
            except TrackerError as exc:
                raise refused(row, exc) from None
            new.setdefault(loan_id, []).append((row, rep))
        for loan_id, items in new.items():
            loan, existing = loans[loan_id], store.repayments(loan_id)
            before = evaluate(loan, existing, today).credit
            after = evaluate(loan, [*existing, *(rep for _row, rep in items)], today).credit
            if after > before and not allow_overpay:
                last = max(items, key=lambda item: item[1].date)[0]
                raise refused(
                    last,
                    Refused(
                        _("the rows for {name} pay {amount} more than is owed on it").format(
                            name=loan.name, amount=fmt(after - before, loan.currency, symbol=True)
                        ),
                        hint=_("use --allow-overpay to record them anyway"),
                    ),
                )
        store.add_repayments([rep for items in new.values() for _row, rep in items])
        for bill in plan.bills:
            record_bill(store, bill.card_id, bill.amount, today, date=bill.date.isoformat())
    return len(plan.to_record)


def review(store: Store, plan: ImportPreview, today: dt.date) -> ImportPreview:
    """The plan with the rows a repayment typed by hand already stands for set aside, its rows that stand for an
    automatic deduction noted (after rows were assigned too), and, for a card's statement, the bill it adds up to."""
    _set_typed_aside(store, plan)
    plan.deductions = stand_ins(store, plan, today)
    plan.bills, plan.bill_notes = bill_proposals(store, plan, today)
    return plan


def _set_typed_aside(store: Store, plan: ImportPreview) -> None:
    """Set aside the rows to record that a repayment typed by hand already stands for: one with no statement of
    its own, on the same loan, day and amount (``debt repay`` before the statement came). Recorded, the payment
    would count twice. A typed repayment stands for one row: two equal transfers on a day, one typed, leave one."""
    free: dict[tuple[int, dt.date, int], list[int]] = {}
    used = {rep_id for _loan, _row, rep_id in plan.typed}
    for loan_id in {loan_id for loan_id, _row in plan.to_record}:
        for rep in store.repayments(loan_id):
            if not rep.source_ref and rep.id is not None and rep.id not in used:
                free.setdefault((loan_id, rep.date, rep.amount), []).append(rep.id)

    def untyped(rows: list[tuple[int, StatementRow]]) -> list[tuple[int, StatementRow]]:
        """``rows`` less those a typed repayment stands for, which go to ``plan.typed``."""
        kept = []
        for loan_id, row in rows:
            ids = free.get((loan_id, row.when.date(), row.amount))
            if ids:
                plan.typed.append((loan_id, row, ids.pop(0)))
            else:
                kept.append((loan_id, row))
        return kept

    r = plan.result
    plan.result = MatchResult(untyped(r.matched), r.unmatched, r.duplicates, r.ignored)
    plan.assigned = untyped(plan.assigned)


def bill_proposals(store: Store, plan: ImportPreview, today: dt.date) -> tuple[list[BillProposal], list[str]]:
    """A card statement is one bill's transactions: with the card's last bill it gives the new bill.

    The bill is dated on the card's bill day in the month the statement's title names; its
    amount is the last bill's, less every payment since (this statement's too), plus what the
    statement adds (spending, interest, fees) less refunds and other credits.
    """
    statement = plan.statement
    if not statement.card_statement:
        return [], []
    cards = sorted({loan_id for loan_id, _row in plan.to_record if store.get_loan(loan_id).is_card})
    proposals, notes = [], []
    for card_id in cards:
        card = store.get_loan(card_id)
        if statement.month is None:
            notes.append(_("the statement's title names no month, so its bill cannot be dated; record it with 'debt card bill'"))
            continue
        year, month = statement.month
        day = dt.date(year, month, min(card.bill_day or 1, calendar.monthrange(year, month)[1]))
        if day > today or any(b.date == day for b in card.bills):
            continue
        previous = [b for b in card.bills if b.date < day]
        if not previous:
            notes.append(
                _(
                    "card {name}: its first bill cannot be worked out from one statement; record it with 'debt card bill {id}'"
                ).format(name=card.name, id=card_id)
            )
            continue
        last = previous[-1]
        ours = [row for loan_id, row in plan.to_record if loan_id == card_id]
        taken = {id(row) for row in ours}
        paid = sum(p.amount for p in store.repayments(card_id) if last.date < p.date <= day)
        paid += sum(row.amount for row in ours if last.date < row.when.date() <= day)
        charges = sum(
            (row.amount if row.direction == OUT else -row.amount)
            for row in statement.rows
            if id(row) not in taken and not row.is_repayment and row.direction in (OUT, IN)
        )
        amount = last.owed - paid + charges
        if amount <= 0:
            continue
        proposals.append(BillProposal(card_id, day, amount, last.owed, paid, charges))
    return proposals, notes


def stand_ins(store: Store, plan: ImportPreview, today: dt.date) -> dict[int, int]:
    """Rows (by their index in ``plan.to_record``) that are an auto-debit installment's deduction: its number.

    Such a row takes the deduction's place when recorded: the installment is not counted twice.
    """
    from ..ledger import evaluate
    from ..models import Repayment

    by_loan: dict[int, list[tuple[int, StatementRow]]] = {}
    for n, (loan_id, row) in enumerate(plan.to_record):
        by_loan.setdefault(loan_id, []).append((n, row))
    out: dict[int, int] = {}
    for loan_id, rows in by_loan.items():
        loan = store.get_loan(loan_id)
        if not loan.autopay:
            continue
        # a row not yet recorded is known by a temporary negative id: -(its index + 1)
        new = [Repayment(loan_id, row.when.date(), row.amount, id=-(n + 1)) for n, row in rows]
        state = evaluate(loan, [*store.repayments(loan_id), *new], today)
        for rep_id, seq in state.stand_ins:
            if rep_id is not None and rep_id < 0:
                out[-rep_id - 1] = seq
    return out
