"""Collection-message red flags: normalise a text, match scam patterns, score them and advise.

Pure and offline: a link in a message is only text here; nothing is opened, resolved or looked up.

The parts, in the order a message meets them: ``text`` (normalising), ``links``, ``patterns`` and
``concepts`` (the lexicon in scam_lexicon.json), ``negation``, ``senders``, ``ledger_witness``, and
``score`` (the verdict and ``triage()``); ``vocabulary`` and ``results`` hold the fixed words and the
result types.
"""

from __future__ import annotations

from .concepts import lexicon
from .ledger_witness import witness
from .patterns import find_spans
from .results import Advice, Flag, LedgerLoan, Triage, Witness
from .score import advice_for, score_of, shown_evidence, triage, verdict_of
from .senders import SENDER_KINDS, SPOOFING_SENDERS, UNUSUAL_SENDERS, Sender, classify_sender, institutions_named
from .text import MAX_GAP, Normalised, normalise, simplified
from .vocabulary import (
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
    TITLES,
    VERDICTS,
    WEIGHTS,
)

__all__ = [
    "ADVICE",
    "FLAG_CODES",
    "LEGITIMACY",
    "LIKELY_SCAM",
    "LIKELY_SCAM_AT",
    "MAX_EVIDENCE",
    "MAX_GAP",
    "MAX_SCORE",
    "MESSAGES",
    "NO_RED_FLAGS",
    "SENDER_KINDS",
    "SPOOFING_SENDERS",
    "STRONG",
    "SUSPICIOUS",
    "SUSPICIOUS_AT",
    "TITLES",
    "UNUSUAL_SENDERS",
    "VERDICTS",
    "WEIGHTS",
    "Advice",
    "Flag",
    "LedgerLoan",
    "Normalised",
    "Sender",
    "Triage",
    "Witness",
    "advice_for",
    "classify_sender",
    "find_spans",
    "institutions_named",
    "lexicon",
    "normalise",
    "score_of",
    "shown_evidence",
    "simplified",
    "triage",
    "verdict_of",
    "witness",
]
