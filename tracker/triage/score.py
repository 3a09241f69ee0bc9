"""The verdict: the signs of a genuine notice, the score, the advice, and triage(), which puts the parts together."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from ..i18n import _
from .concepts import _NOTICE_WORDS, _WARN_BACKWARD, _find_terms, _term_pattern, lexicon
from .ledger_witness import _DEBT_TALK, witness
from .negation import _NEGATION
from .official import is_lookalike, is_official, is_public_lookalike, link_host, speaker
from .patterns import _merge, find_spans
from .results import Advice, Flag, LedgerLoan, Triage
from .senders import (
    _INSTITUTION,
    SPOOFING_SENDERS,
    UNUSUAL_SENDERS,
    Sender,
    _brand,
    _official_numbers,
    classify_sender,
    institutions_named,
)
from .text import normalise, simplified
from .vocabulary import (
    _BILL_ADVICE,
    _CLEAN_ADVICE,
    _FLAGGED_ADVICE,
    _LENDER_ADVICE,
    _NOTICE_ADVICE,
    ADVICE,
    FLAG_CODES,
    LEGITIMACY,
    LIKELY_SCAM,
    LIKELY_SCAM_AT,
    MAX_EVIDENCE,
    MAX_SCORE,
    MESSAGES,
    NO_RED_FLAGS,
    STRONG,
    SUSPICIOUS,
    SUSPICIOUS_AT,
    WEIGHTS,
)


def score_of(codes: Iterable[str], signs: Iterable[str] = ()) -> int:
    """The weights of the flags (each once), less the signs of a genuine notice when no flag is strong."""
    present, signs = set(codes), set(signs)
    score = sum(WEIGHTS[code] for code in present)
    if not present & STRONG:
        score -= sum(LEGITIMACY[sign] for sign in signs)
        if present & {"link", "payment-link"} and "sender-matches" not in signs:
            score = max(score, SUSPICIOUS_AT)  # a link stays suspicious unless the institution's own number sent it
    return max(0, min(MAX_SCORE, score))


def verdict_of(score: int) -> str:
    if score >= LIKELY_SCAM_AT:
        return LIKELY_SCAM
    if score >= SUSPICIOUS_AT:
        return SUSPICIOUS
    return NO_RED_FLAGS


def advice_for(codes: Iterable[str], verdict: str, notice: str | None = None, *, collects: bool = True) -> tuple[Advice, ...]:
    """What to do; ``collects``: a lender's notice is about a debt overdue (a bill or a due date alone needs no word on
    repayment plans or on what a collector may not do)."""
    present = set(codes)
    if verdict == NO_RED_FLAGS:
        keys = list({"anti-fraud": _NOTICE_ADVICE, "lender": _LENDER_ADVICE}.get(notice or "", _CLEAN_ADVICE))
        if notice == "lender" and not collects:
            keys = [key for key in keys if key in _BILL_ADVICE]
    else:
        keys = []
        for key, needs in _FLAGGED_ADVICE:
            if (needs is None or needs in present) and key not in keys:
                keys.append(key)
    return tuple(Advice(_(ADVICE[key][0]), _(ADVICE[key][1])) for key in keys)


@cache
def _legitimacy(key: str) -> re.Pattern[str]:
    return _term_pattern(lexicon()["legitimacy"][key])


def _signs(
    norm_text: str, text: str, origin: Sender | None, brand_institutions: list[str], named: list[str], codes: set[str]
) -> list[str]:
    """The signs of a genuine notice; ``named``: the institutions the text names, ``codes``: the flags its words raise."""
    signs = []
    for key in ("official-channel", "reference"):
        if _legitimacy(key).search(norm_text):
            signs.append(key)
    if (
        _NOTICE_WORDS.search(norm_text)
        and not codes & {"abuse", "threat", "harm-to-others"}  # a notice warns; it does not curse or threaten
        and (_NEGATION.search(text_lower := simplified(text).lower()) or _WARN_BACKWARD.search(text_lower))
    ):
        signs.append("anti-fraud-notice")  # it speaks of scams and warns: the form of an anti-fraud notice
    if origin is not None and brand_institutions:
        if any(origin.number.startswith(n) for key in brand_institutions for n in _official_numbers(key)):
            signs.append("sender-matches")
    if "official-channel" not in signs:
        # it sends you to the official number of an institution it names ("致电平安银行客服95511")
        # a number standing alone: not one inside a WeChat ID ("加微信 pa95511")
        digits = set(re.findall(r"(?<![0-9a-z_])\d{5,12}(?![0-9a-z_])", norm_text))
        if any(n in digits for key in named for n in _official_numbers(key)):
            signs.append("official-channel")
    return signs


def triage(
    text: str, sender: str | None = None, ledger: Iterable[LedgerLoan] | None = None, received: dt.datetime | None = None
) -> Triage:
    """Red flags in a message (and its sender), a score, a verdict, what to do next and, given the user's
    loans, what their own ledger says about the debt the message speaks of. ``received``: when it arrived, as the
    user says it (a collection message between 22:00 and 08:00 breaks the collection guideline)."""
    spans = find_spans(text)
    norm_text = normalise(text).text
    if "cancel-lure" in spans and _calls_service_number(text):
        # cancelled, unblocked or refunded at a service number (95xxx, 10xxx): how a real one says it
        del spans["cancel-lure"]
    origin = classify_sender(sender)
    brand = _brand(text)
    brand_institutions = institutions_named(brand) if brand else []
    speaks_for_institution = brand is not None or bool(
        _INSTITUTION.search(unicodedata.normalize("NFKC", simplified(text)).lower())
    )
    by_sender: dict[str, str] = {}
    if origin is not None and origin.unusual and speaks_for_institution:
        by_sender["non-official-sender"] = origin.raw  # a friend's own text from a personal phone is not odd
    if origin is not None and origin.kind == "enterprise-port" and _LOAN_OFFER.search(norm_text):
        # a bank's loan offer from a 106 port that is not the bank's own: every such message a consumer council
        # checked was fake (shared/reference/domain.md); a 106 port proves nothing, the bank's own numbers do
        banks = [key for key in brand_institutions if key.endswith("银行")]
        if banks and not any(origin.number.startswith(n) for key in banks for n in _official_numbers(key)):
            by_sender["non-official-sender"] = origin.raw
    if brand is not None and origin is not None:
        if origin.kind in SPOOFING_SENDERS:
            by_sender["brand-spoofing"] = origin.raw
        elif origin.kind == "short-code" and brand_institutions:
            official = [n for key in brand_institutions for n in _official_numbers(key)]
            others = [
                n
                for key, inst in lexicon()["official_senders"]["institutions"].items()
                if key not in brand_institutions
                for n in inst["numbers"]
            ]
            if not any(origin.number.startswith(n) for n in official) and any(origin.number == n for n in others):
                by_sender["brand-spoofing"] = origin.raw  # another bank's number
    names = speaker(text, origin.number if origin is not None and origin.kind == "alphanumeric" else None)
    named = institutions_named(norm_text)
    # the institutions a link may belong to or dress up as: the 【brand】's, and any the message names
    _sort_links(text, spans, list(dict.fromkeys(brand_institutions + named)), names)
    if not speaks_for_institution and _OWED_TO_ME.search(norm_text):
        # a person owed money (a friend, a landlord) may say they will sue, and want it by tonight: that is lawful
        spans.pop("legal-pressure", None)
        spans.pop("urgency", None)
    signs = _signs(norm_text, text, origin, brand_institutions, named, set(spans))
    seen = witness(text, ledger) if ledger is not None else None
    codes = set(spans) | set(by_sender)
    if seen is not None:
        if seen.overdue and _DEBT_TALK.search(norm_text):
            signs.append("ledger-overdue")
        elif seen.named and seen.loan_ids == () and not seen.other_kind and _DEBT_TALK.search(norm_text):
            codes.add("ledger-disagrees")  # a debt with a lender you have no loan with
        elif seen.overdue is False and re.search(r"逾期|overdue|past due", norm_text):
            codes.add("ledger-disagrees")
    at_night = None
    if received is not None and (received.hour >= 22 or received.hour < 8) and _COLLECTION.search(norm_text):
        at_night = received.strftime("%H:%M")  # collection between 22:00 and 08:00 (shared/reference/domain.md)
        codes.add("night-contact")
    flags = []
    for code in sorted(codes, key=_order):
        who = by_sender.get(code)
        when = at_night if code == "night-contact" else None
        where = tuple(spans.get(code, ()))
        quotes = ((who,) if who else ()) + ((when,) if when else ()) + tuple(text[start:end] for start, end in where)
        flags.append(Flag(code, quotes, where, _(MESSAGES[code]), who, when))
    score = score_of((f.code for f in flags), signs)
    verdict = verdict_of(score)
    if seen is not None and (seen.overdue or not (seen.named or seen.loan_ids)) and verdict != NO_RED_FLAGS:
        # a real debt does not make a message with red flags genuine, nor do red flags mean that nothing is owed
        seen = witness(text, ledger or (), warned=True)
    notice = None
    if verdict == NO_RED_FLAGS:
        if _NOTICE_WORDS.search(norm_text) and not (set(codes) & STRONG) and not _REPLY_YES_NO.search(norm_text):
            notice = "anti-fraud"  # (an alert asking "reply YES or NO" asks for something: no mere warning)
        elif _DEBT_TALK.search(norm_text) and speaks_for_institution:
            notice = "lender"
    advice = advice_for(codes, verdict, notice, collects=bool(_COLLECTION.search(norm_text)))
    return Triage(verdict, score, tuple(flags), advice, notice, seen, tuple(dict.fromkeys(signs)))


def _sort_links(text: str, spans: dict[str, list[tuple[int, int]]], institutions: list[str], names: tuple[str, ...]) -> None:
    """Links to a public body's site or to the own site of an institution the message names or speaks as are no red
    flag (``official``); one dressed as such a site is a look-alike, even from the institution's own number (a fake
    base station can send as 95588); one near "download" brings an app from outside the app store."""
    for code in ("link", "payment-link"):
        kept = []
        for start, end in spans.get(code, []):
            host = link_host(text[start:end])
            if host is not None and is_official(host, institutions, names):
                continue
            if _find_terms(normalise(text[max(0, start - 30) : end + 30]).text, _download_terms()):
                spans.setdefault("off-channel", []).append((start, end))  # an app from a link, not from the app store
            if host is not None and ((institutions and is_lookalike(host, institutions)) or is_public_lookalike(host)):
                spans.setdefault("lookalike-link", []).append((start, end))
                continue
            kept.append((start, end))
        if kept:
            spans[code] = kept
        else:
            spans.pop(code, None)
    for code in ("off-channel", "lookalike-link"):
        if code in spans:
            spans[code] = _merge(spans[code])


# a phone number in a message, as written ("400-0715-826", "0571-8624 3190", "+1 (888) 555-0134")
_PHONE = re.compile(r"(?<![0-9a-z])\+?\d[\d \-()（）]{5,18}\d(?![0-9a-z])")
# the kinds of number no institution's customer service answers on (a person's, a landline, a 400 line, abroad):
# the senders' unusual kinds, but a number in a text is never "unknown" to call
_ELSEWHERE = UNUSUAL_SENDERS - {"unknown"}
_CHAT_APP = re.compile(r"微信|qq|vx|v信|wechat|whatsapp|telegram|line id", re.IGNORECASE)


_SERVICE = frozenset({"short-code", "service", "foreign-short-code"})


def _calls_service_number(text: str) -> bool:
    """Whether the only contacts a message gives are service numbers (95xxx, 10xxx, 12xxx, a short code abroad): no
    mobile, landline, 400 line, number abroad or chat account, which is where ``cancel-lure`` sends you."""
    if _CHAT_APP.search(text):
        return False
    kinds = set()
    for m in _PHONE.finditer(unicodedata.normalize("NFKC", text)):
        sender = classify_sender(m.group())
        if sender is not None:
            kinds.add(sender.kind)
    if re.search(r"(?<![0-9a-z_])(?:9[56]\d{3}|1\d{4})(?![0-9a-z_])", unicodedata.normalize("NFKC", text).lower()):
        kinds.add("short-code")  # 95555, 10086: too short for a phone number as written
    return bool(kinds & _SERVICE) and not kinds & _ELSEWHERE


_REPLY_YES_NO = re.compile(r"\breply (?:yes|no|y|n)\b|回复(?:是|否|y|n|1|2)(?![0-9])")


@cache
def _download_terms() -> tuple[str, ...]:
    """The lexicon's words for installing an app ("下载", "install"), found as ``concepts`` finds them."""
    return tuple(lexicon()["concepts"]["download"]["terms"])


# a message that collects a debt (a bill reminder or a one-time code arriving at night is no collection)
_COLLECTION = re.compile(r"逾期|欠款|拖欠|未还|催收|欠钱|欠债|还钱|\b(?:overdue|past due|owe|owed|arrears|collection|debt)\b")
# an offer of credit: a limit granted or raised, a loan to apply for
_LOAN_OFFER = re.compile(
    r"预授信|授信额度|(?:贷款|借款|备用金)额度|额度(?:已|可)?(?:提升|提高|上调|已获|获得|高达)|可借|快贷|提额|低息|立即申请|申请贷款"
)
# the writer lent the money: "你欠我的", "借你的", "还我", "you owe me"
_OWED_TO_ME = re.compile(
    r"欠我|借我的钱|我借(?:给)?你|借给你|借给了你|借了你|借你的|还我|还给我|房租|租金|\bowe me\b|\bi lent you\b|\bpay me back\b|\b(?:your|the) rent\b"
)


def shown_evidence(flag: Flag) -> tuple[str, ...]:
    """A flag's quotes to show a person: each once, at most MAX_EVIDENCE of them."""
    return tuple(dict.fromkeys(flag.evidence))[:MAX_EVIDENCE]


def _order(code: str) -> tuple[int, int]:
    return -WEIGHTS[code], FLAG_CODES.index(code)
