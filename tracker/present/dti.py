"""The debt-to-income ratio in words: its status, the amounts, the warning above the line, the largest payments."""

from __future__ import annotations

import string
from decimal import Decimal
from typing import TYPE_CHECKING

from ..dti import MonthDTI, above_line
from ..i18n import N_, _, ngettext
from ..money import fmt

if TYPE_CHECKING:
    from ..service.health import DTIReport


DTI_STATUS_LABELS = {"ok": N_("ok"), "caution": N_("caution"), "warning": N_("warning"), "no-income": N_("no income")}


def dti_status_text(status: str) -> str:
    return _(DTI_STATUS_LABELS[status])


def ratio_text(ratio: Decimal | None) -> str:
    """A debt-to-income ratio to one decimal place: "43.2%"; "-" without income."""
    return "-" if ratio is None else f"{ratio:.1%}"


def dti_amounts_text(month: MonthDTI) -> str:
    return _("Income {income} · debt payments {obligations}").format(
        income=fmt(month.income, symbol=True), obligations=fmt(month.obligations, symbol=True)
    )


def dti_warning_text(report: DTIReport) -> str | None:
    """Above the user's line: the warning, and the month the schedules bring the ratio back under it."""
    if report.current.status != "warning":
        return None
    when = report.back_below_threshold.strftime("%Y-%m") if report.back_below_threshold else _("not within the schedules")
    return _("{warning} Back at or below the line: {when}.").format(warning=above_line(report.threshold), when=when)


def left_out_text(report: DTIReport) -> str | None:
    """The open loans in other currencies, which the ratio leaves out: "Not counted: 1 loan in USD (incomes are in CNY)." """
    if not report.left_out:
        return None
    parts = _(", ").join(
        ngettext("{n} loan in {currency}", "{n} loans in {currency}", n).format(n=n, currency=cur) for cur, n in report.left_out
    )
    return _("Not counted: {loans} (incomes and the ratio are in CNY).").format(loans=parts)


def largest_payments_text(report: DTIReport) -> str:
    """This month's three largest debt payments: "房贷 ¥4,738.33, 车贷 ¥4,312.50"."""
    return _(", ").join(f"{st.loan.name} {fmt(a, st.loan.currency, symbol=True)}" for st, a in report.contributors[:3])


WHAT_IF = N_("With a new payment of {amount} a month: debt payments {payments}, ratio {ratio}, {status}.")


def what_if_parts(report: DTIReport) -> list[tuple[str, str | None]]:
    """The what-if sentence of both faces, in pieces with what each is ("ratio", "status" or None for the words
    around them), so that a face can set the ratio and the status apart: "With a new payment of ¥3,000.00 a month:
    debt payments ¥16,928.98, ratio 80.6%, warning." Empty without a what-if."""
    w = report.what_if
    if w is None:
        return []
    values = {
        "amount": fmt(report.added_payment or 0, symbol=True),
        "payments": fmt(w.obligations, symbol=True),
        "ratio": ratio_text(w.ratio),
        "status": dti_status_text(w.status),
    }
    parts: list[tuple[str, str | None]] = []
    for literal, field, _spec, _conv in string.Formatter().parse(_(WHAT_IF)):
        if literal:
            parts.append((literal, None))
        if field:
            parts.append((values[field], field if field in ("ratio", "status") else None))
    return parts


def what_if_text(report: DTIReport) -> str:
    return "".join(text for text, _kind in what_if_parts(report))
