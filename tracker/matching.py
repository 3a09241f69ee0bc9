"""Match statement rows to loans by the user's keyword rules; list the repayments no rule claims.

Pure: rows, rules and loans in, a MatchResult out. The store keeps the rules and the
(source, order id) of every imported repayment, which this module only reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

from msgspec import Struct

from .statements import IN, NEUTRAL, StatementRow

LoanRef = tuple[int, str, str]  # (id, name, lender)


def fold(text: str) -> str:
    """Fold width and case, so '（1234）' finds '(1234)' and 'huabei' finds 'Huabei'."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class MatchRule(Struct, frozen=True):
    """Keywords that send a row to a loan; every non-empty field must be a substring (case-insensitive)."""

    loan_id: int
    counterparty: str = ""
    description: str = ""
    method: str = ""

    def is_empty(self) -> bool:
        return not (fold(self.counterparty) or fold(self.description) or fold(self.method))

    def matches(self, row: StatementRow) -> bool:
        if self.is_empty():
            return False  # a rule with no keywords would claim every row
        checks = (
            (self.counterparty, (row.counterparty,)),
            # the statement's own word for the transaction (摘要, 交易分类) is part of its description
            (self.description, (row.description, row.category)),
            (self.method, (row.method,)),
        )
        for keyword, fields in checks:
            key = fold(keyword)
            if key and not any(key in fold(value) for value in fields):
                return False
        return True

    def specificity(self) -> tuple[int, int]:
        keywords = [fold(k) for k in (self.counterparty, self.description, self.method)]
        return sum(1 for k in keywords if k), sum(len(k) for k in keywords)


class MatchResult(Struct, frozen=True):
    matched: list[tuple[int, StatementRow]]  # (loan id, row)
    unmatched: list[tuple[StatementRow, int | None]]  # repayment-looking rows no rule claims, with a suggested loan id
    duplicates: list[StatementRow]  # already imported, or repeated inside the file
    ignored: int  # everything else: spending, income, transfers, refunds, failed payments


def row_ref(row: StatementRow) -> tuple[str, str]:
    """What the store remembers of an imported row, so importing it again adds nothing."""
    return row.source, row.order_id


def can_repay(row: StatementRow) -> bool:
    """Money actually left the user (or moved to pay a debt), and was not refunded or failed."""
    if row.is_refund_or_failed or row.amount <= 0 or row.direction == IN:
        return False
    return row.direction != NEUTRAL or row.is_repayment


def rule_for(row: StatementRow, rules: Iterable[MatchRule]) -> MatchRule | None:
    """The most specific matching rule (most fields, then longest keywords); the first such on a tie."""
    best: MatchRule | None = None
    for rule in rules:
        if rule.matches(row) and (best is None or rule.specificity() > best.specificity()):
            best = rule
    return best


_SPLIT_RE = re.compile(r"[\s,，.。;；:：、()（）\[\]【】{}<>《》/\\|&+·\-_'\"“”‘’!?！？]+")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


# a date in a name ("instalments of 2026-11-28", "2025年01月账单") says when, not whose: every statement row has one
_DATE_IN_NAME_RE = re.compile(r"(?:19|20)\d\d(?:[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?)?")
# words any bank's or lender's row may hold: a hit on one says nothing about which loan ("Bank of China" is not
# "China Merchants Bank"); a name made of them alone still matches as a whole
_GENERIC = frozenset(
    "bank china chinese card credit debit loan loans finance financial consumer company limited ltd inc corp group "
    "pay payment payments repay repayment instalment instalments installment installments the and for".split()
) | frozenset(("银行", "中国", "信用卡", "贷款", "借款", "还款", "分期", "账单"))


def _words(text: str) -> set[str]:
    """The loan's name or lender and its words long enough to mean something: not a date, not a word any lender's
    row holds."""
    folded = fold(text)
    words = {folded} if folded else set()
    words.update(w for w in _SPLIT_RE.split(_DATE_IN_NAME_RE.sub(" ", folded)) if w)
    keep = set()
    for word in words - _GENERIC:
        if word.isdigit():
            if len(word) >= 4:  # card digits such as 1234
                keep.add(word)
        elif _CJK_RE.search(word):
            if len(word) >= 2:
                keep.add(word)
        elif len(word) >= 3:  # skip 'of', 'co' and the like
            keep.add(word)
    return keep


def suggest_loan(row: StatementRow, loans: Iterable[LoanRef]) -> int | None:
    """A loan whose name or lender (or a word of it) appears in the row; the longest such hit wins."""
    haystacks = [fold(t) for t in (row.counterparty, row.description, row.method) if t]
    # the counterparty and the description read as one: "招商银行" + "信用卡还款" names the lender "招商银行信用卡"
    # (its card), a longer hit than the bank's name alone, which its car loan's lender also is
    haystacks.append(fold(row.counterparty) + fold(row.description))
    counterparty = fold(row.counterparty)
    best: tuple[int, int] | None = None  # (length of the hit, -loan id)
    for loan_id, name, lender in loans:
        hit = 0
        for word in _words(name) | _words(lender):
            if any(word in h for h in haystacks):
                hit = max(hit, len(word))
        # '花呗' as the counterparty of a loan named '蚂蚁花呗'
        if len(counterparty) >= 2 and any(counterparty in fold(t) for t in (name, lender) if t):
            hit = max(hit, len(counterparty))
        if hit and (best is None or (hit, -loan_id) > best):
            best = (hit, -loan_id)
    return None if best is None else -best[1]


def match_rows(
    rows: Iterable[StatementRow],
    rules: Iterable[MatchRule],
    loans: Iterable[LoanRef] = (),
    known_refs: Collection[tuple[str, str]] = frozenset(),
) -> MatchResult:
    """Sort rows into matched, unmatched (repayment-looking), duplicates and the ignored rest.

    A rule may claim any row that can repay (see can_repay), repayment-looking or not.
    """
    rules = [r for r in rules if not r.is_empty()]
    loans = list(loans)
    matched: list[tuple[int, StatementRow]] = []
    unmatched: list[tuple[StatementRow, int | None]] = []
    duplicates: list[StatementRow] = []
    ignored = 0
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if not can_repay(row):
            ignored += 1
            continue
        rule = rule_for(row, rules)
        if rule is None and not row.is_repayment:
            ignored += 1
            continue
        ref = row_ref(row)
        if ref in known_refs or ref in seen:
            duplicates.append(row)
            continue
        seen.add(ref)
        if rule is not None:
            matched.append((rule.loan_id, row))
        else:
            unmatched.append((row, suggest_loan(row, loans)))
    return MatchResult(matched=matched, unmatched=unmatched, duplicates=duplicates, ignored=ignored)
