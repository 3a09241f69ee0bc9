"""The debt-to-income ratio in words: its status, the amounts, the warning above the line, the largest payments."""

from __future__ import annotations

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
