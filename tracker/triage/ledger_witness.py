"""The user's own ledger as a witness: the lenders and amounts a message names, against the user's loans."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..i18n import N_, _, ngettext
from .concepts import lexicon
from .results import LedgerLoan, Witness
from .senders import institutions_named, name_in
from .text import normalise

_DEBT_TALK = re.compile(
    r"逾期|欠款|欠费|拖欠|未还|催收|还款|应还|账单|\b(?:overdue|past due|payment due|owe|debt|balance due|collection)\b"
)


_AMOUNT = re.compile(r"(?:[¥￥$]|rmb|cny)?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(?:元|块|rmb|yuan)?")


def _amounts(norm_text: str) -> set[int]:
    """Every amount a text quotes, in minor units (¥3,860.00 and 3860元 alike)."""
    out = set()
    for m in _AMOUNT.finditer(norm_text):
        whole, cents = m.group(1).replace(",", ""), (m.group(2) or "").ljust(2, "0")
        if len(whole) <= 12:
            out.add(int(whole) * 100 + int(cents))
    return out


# words too common in loan names to tell one loan from another
_GENERIC_WORDS = frozenset(
    {"信用卡", "贷款", "借款", "分期", "账单", "房贷", "车贷", "银行", "信用", "额度", "loan", "card", "bank", "credit", "cash"}
)
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z][a-z0-9]{2,}")


# the kind of loan a message speaks of, by its words: a bank's card bill is not its car loan
_PRODUCTS = (
    ("credit-card", re.compile(r"信用卡|贷记卡|\bcredit card\b")),
    ("mortgage", re.compile(r"房贷|按揭|住房贷款|公积金贷款|\bmortgage\b")),
    ("car", re.compile(r"车贷|汽车贷款|\bcar loan\b|\bauto loan\b")),
)


PRODUCT_NAMES = {"credit-card": N_("credit card"), "mortgage": N_("mortgage"), "car": N_("car loan")}


def _product(norm_text: str) -> str | None:
    """The one kind of loan a message names, or None (none, or several)."""
    kinds = [kind for kind, pattern in _PRODUCTS if pattern.search(norm_text)]
    return kinds[0] if len(kinds) == 1 else None


def _may_be(loan: LedgerLoan, product: str) -> bool:
    """Whether a loan may be of the kind a message speaks of: of that kind, of no kind given, or so named ("车贷")."""
    return loan.kind in (product, "other") or _product(normalise(loan.name).text) == product


def _name_words(loan: LedgerLoan) -> set[str]:
    """The words of a loan's own name, without its lender's ("Quick Cash" of "网贷 Quick Cash")."""
    return {w for w in _WORD.findall(normalise(loan.name).text) if w not in _GENERIC_WORDS}


def _own_words(loan: LedgerLoan) -> set[str]:
    """The words of a loan's name and lender that could name it in a message ("网贷", "借呗", "lendapp")."""
    return {w for w in _WORD.findall(normalise(f"{loan.lender} {loan.name}").text) if w not in _GENERIC_WORDS}


# the days overdue a message states ("您已逾期38天", "38 days overdue"): a collector of the loan knows them
_DAYS_LATE = re.compile(
    r"逾期(?:已|已经)?(?:达|了)?(\d{1,4})天|\b(\d{1,4}) days? (?:overdue|past due|late)\b|\boverdue (?:by |for )?(\d{1,4}) days?\b"
)


def _days_late(norm_text: str) -> set[int]:
    return {int(next(g for g in m.groups() if g)) for m in _DAYS_LATE.finditer(norm_text)}


def witness(text: str, loans: Iterable[LedgerLoan], *, warned: bool = False) -> Witness | None:
    """Compare the lenders and amounts a message names with the user's own loans; None when it names neither.

    ``warned``: the message itself shows warning signs (its verdict is not "no red flags"): a debt the
    ledger confirms is then no sign that the message is genuine, and the note says so."""
    norm = normalise(text).text
    loans = list(loans)
    institutions = lexicon()["official_senders"]["institutions"]
    named_keys = institutions_named(norm)
    # a Latin name is shown as the institution's own name ("Chase", "汇丰" for "hsbc"), a Chinese one as the message says it
    named = tuple(
        dict.fromkeys(next((n for n in institutions[k]["names"] if not n.isascii() and n in norm), k) for k in named_keys)
    )
    amounts = _amounts(norm) - {0}
    days = _days_late(norm)
    matched = []
    pinned: set[int] = set()  # matched by more than the institution's name: by the loan's own words, an amount or days
    for loan in loans:
        own = normalise(f"{loan.lender} {loan.name}").text
        by_institution = any(name_in(name, own) for key in named_keys for name in institutions[key]["names"])
        by_name = any(name_in(word, norm) for word in _own_words(loan))  # "chase" is not in "purchase"
        # an amount alone is no match for a loan with another lender than the one the message names; nor are the
        # days overdue (a day either way: sent yesterday, read today)
        by_amount = bool(amounts & ({loan.overdue, loan.next_due, loan.outstanding} - {0}))
        by_days = loan.days_overdue > 0 and any(abs(loan.days_overdue - d) <= 1 for d in days)
        if by_institution or by_name or ((by_amount or by_days) and (by_institution or not named_keys)):
            matched.append(loan)
            if by_amount or by_days or any(name_in(word, norm) for word in _name_words(loan)):
                pinned.add(loan.id)
    product = _product(norm)
    if product is not None and len(matched) > 1:
        # of a bank's several loans, the one of the kind the message speaks of (the card's bill, not the car loan)
        matched = [loan for loan in matched if loan.kind == product] or matched
    if product is not None and matched and named and not any(_may_be(loan, product) or loan.id in pinned for loan in matched):
        # a bank's card bill, and all you have with the bank is its mortgage: not about that loan, and no sign that
        # the debt is unknown either (a card you have not entered)
        others = "、".join(loan.name for loan in matched)
        note = _("You have no {product} with {lender} in your records (only {loans}): it may be one you have not entered.")
        return Witness(
            named, (), None, note.format(product=_(PRODUCT_NAMES[product]), lender="、".join(named), loans=others), True
        )
    # one whose amount the message quotes first
    matched.sort(key=lambda loan: not amounts & ({loan.overdue, loan.next_due, loan.outstanding} - {0}))
    if not named and not matched:
        return _overdue_elsewhere(norm, loans, warned)
    if not matched:
        return Witness(named, (), None, _("You have no loan with {lender} in your records.").format(lender="、".join(named)))
    ids = tuple(loan.id for loan in matched)
    late = [loan for loan in matched if loan.overdue > 0]
    loan = max(late, key=lambda x: x.days_overdue) if late else matched[0]
    if not _DEBT_TALK.search(norm):
        note = _("You have a loan with {lender} ({name}) in your records.").format(lender=loan.lender, name=loan.name)
        return Witness(named, ids, bool(late), note)
    if late:
        if warned:  # the message's own red flags: the debt is real, the message need not be
            template = ngettext(  # the warning first: a short screen shows the note's first lines
                "This message shows warning signs: pay nothing through it. You do have a loan with {lender} ({name}) "
                "and it is {days} day overdue ({amount}): check it in the lender's official app.",
                "This message shows warning signs: pay nothing through it. You do have a loan with {lender} ({name}) "
                "and it is {days} days overdue ({amount}): check it in the lender's official app.",
                loan.days_overdue,
            )
        else:
            template = ngettext(
                "You do have a loan with {lender} ({name}) and it is {days} day overdue ({amount}): this may well be genuine; "
                "pay it in the lender's official app, not through anything in this message.",
                "You do have a loan with {lender} ({name}) and it is {days} days overdue ({amount}): this may well be genuine; "
                "pay it in the lender's official app, not through anything in this message.",
                loan.days_overdue,
            )
        return Witness(named, ids, True, _overdue_said(template, loan))
    note = _(
        "Your records show your loan with {lender} ({name}) is not overdue: check in the lender's app before paying anything."
    ).format(lender=loan.lender, name=loan.name)
    return Witness(named, ids, False, note)


def _overdue_elsewhere(norm_text: str, loans: list[LedgerLoan], warned: bool) -> Witness | None:
    """A message about an overdue debt that names no lender of the user's and matches none of their loans, while
    some loan really is overdue: said, so that a scam's verdict is not read as "you owe nothing" (no match either
    way: the note names the loan, the message is judged by its own words)."""
    late = [loan for loan in loans if loan.overdue > 0]
    if not late or not re.search(r"逾期|\b(?:overdue|past due)\b", norm_text):
        return None

    loan = max(late, key=lambda x: x.days_overdue)
    if warned:  # the warning first, as for a loan the message matches
        template = ngettext(
            "This message shows warning signs: pay nothing through it. Your records do show a loan overdue: {name} with "
            "{lender}, {days} day ({amount}); whether or not this message is about it, pay only in that lender's official app.",
            "This message shows warning signs: pay nothing through it. Your records do show a loan overdue: {name} with "
            "{lender}, {days} days ({amount}); whether or not this message is about it, pay only in that lender's official app.",
            loan.days_overdue,
        )
    else:
        template = ngettext(
            "Your records do show a loan overdue: {name} with {lender}, {days} day ({amount}). Whether or not this message "
            "is about it, pay only in that lender's official app.",
            "Your records do show a loan overdue: {name} with {lender}, {days} days ({amount}). Whether or not this message "
            "is about it, pay only in that lender's official app.",
            loan.days_overdue,
        )
    return Witness((), (), None, _overdue_said(template, loan))


def _overdue_said(template: str, loan: LedgerLoan) -> str:
    """A note on an overdue loan: its lender, name, days and amount put in the template."""
    from ..money import fmt

    return template.format(
        lender=loan.lender, name=loan.name, days=loan.days_overdue, amount=fmt(loan.overdue, loan.currency, symbol=True)
    )
