"""What a triage returns (flags, advice, the ledger's witness, the verdict) and the loans it may know of."""

from __future__ import annotations

from msgspec import Struct

from ..i18n import _
from .vocabulary import TITLES, WEIGHTS


class Flag(Struct, frozen=True):
    """One red flag and what triggered it.

    ``spans`` are (start, end) offsets into the original text, one per text hit, so
    ``text[start:end] == text_evidence[i]``. ``evidence`` is what to show: the sender first when
    the sender itself triggered the flag (non-official-sender, brand-spoofing), or the time the
    message arrived when that did (night-contact), then the text hits.
    """

    code: str
    evidence: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    message: str
    sender: str | None = None  # the sender as given, when it triggered the flag
    time: str | None = None  # when the message arrived ("23:40"), when that triggered the flag

    @property
    def weight(self) -> int:
        return WEIGHTS[self.code]

    @property
    def title(self) -> str:
        return _(TITLES[self.code])

    @property
    def text_evidence(self) -> tuple[str, ...]:
        """The evidence found in the text, paired one to one with ``spans``."""
        return self.evidence[len(self.evidence) - len(self.spans) :]


class Advice(Struct, frozen=True):
    step: str
    detail: str


class LedgerLoan(Struct, frozen=True):
    """What the triage may know of one of the user's loans (from the ledger; the triage itself reads no database)."""

    id: int
    name: str
    lender: str
    currency: str
    overdue: int  # minor units overdue today
    days_overdue: int
    next_due: int  # the next installment's amount, minor units
    outstanding: int
    kind: str = "other"  # mortgage, car, credit-card, ... (models.KINDS): which of a bank's loans a message means


class Witness(Struct, frozen=True):
    """What the user's own ledger says about the debt a message speaks of."""

    named: tuple[str, ...]  # lenders the message names
    loan_ids: tuple[int, ...]  # the user's loans it matches (by lender or amount)
    overdue: bool | None  # whether a matched loan is overdue; None when nothing matched
    note: str
    other_kind: bool = False  # the lender is yours, for another kind of loan than the one the message speaks of

    def as_dict(self) -> dict:
        return {"named": list(self.named), "loan_ids": list(self.loan_ids), "overdue": self.overdue, "note": self.note}


class Triage(Struct, frozen=True):
    verdict: str
    score: int
    flags: tuple[Flag, ...]
    advice: tuple[Advice, ...]
    notice: str | None = None  # "anti-fraud" (a warning), "lender" (a lender's own notice, as it seems) or None
    ledger: Witness | None = None
    signs: tuple[str, ...] = ()  # signs of a genuine notice found (keys of LEGITIMACY)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)

    def flag(self, code: str) -> Flag | None:
        return next((flag for flag in self.flags if flag.code == code), None)

    def as_dict(self) -> dict:
        """The JSON shape: verdict, score, notice, flags (code, title, evidence, message), advice (step, detail), ledger."""
        data = {
            "verdict": self.verdict,
            "score": self.score,
            "notice": self.notice,
            "flags": [{"code": f.code, "title": f.title, "evidence": list(f.evidence), "message": f.message} for f in self.flags],
            "advice": [{"step": a.step, "detail": a.detail} for a in self.advice],
        }
        if self.ledger is not None:
            data["ledger"] = self.ledger.as_dict()
        return data
