"""The cells, labels and sentences both faces show for engine results, decided once (pure: no Rich, no Textual)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .dti import MonthDTI, above_line
from .i18n import N_, _, ngettext
from .models import (
    KIND_LABELS,
    METHOD_LABELS,
    STATUS_LABELS,
    Contact,
    CreditCheck,
    Evidence,
    Loan,
    LoanState,
    LoanSummary,
    Payoff,
    PrepayEffect,
    Repayment,
)
from .money import fmt, percent_str
from .payoff import Plan

if TYPE_CHECKING:
    from .cards import CardState
    from .service.health import DTIReport
    from .service.statements import ImportPreview
    from .service.views import LoanView
    from .statements import StatementRow


def aside(text: str) -> str:
    """A parenthesis after a word: a space before "(", none before the full-width "（" Chinese uses."""
    return text if text.startswith("（") else " " + text


def rate_text(loan: Loan, today: dt.date) -> str:
    """The rate as the lender states it: the one in force today, how it was quoted, how it is charged."""
    if loan.method == "flat-fee":
        return _("{rate}%/month fee").format(rate=percent_str(loan.fee_rate))
    text = f"{percent_str(loan.rate_on(today))}%"
    if loan.lpr_spread_bp is not None:
        text += aside(
            _("(5-year LPR {sign}{bp} bp)").format(sign="+" if loan.lpr_spread_bp >= 0 else "-", bp=abs(loan.lpr_spread_bp))
        )
    elif loan.rate_unit == "daily" and loan.quoted_rate is not None:
        text += aside(_("({rate}%/day)").format(rate=loan.quoted_rate))
    elif loan.rate_unit == "monthly" and loan.quoted_rate is not None:
        text += aside(_("({rate}%/month)").format(rate=loan.quoted_rate))
    if loan.interest_basis == "daily":
        text += " " + _("charged by the day")
    return text


def rate_history_text(loan: Loan) -> str | None:
    """'3.65% from 2024-06-15, 3.30% from 2025-01-01', or None for a rate that never changed."""
    if not loan.rate_changes:
        return None
    return _("Rate history: {history}").format(
        history=_(", ").join(
            _("{rate}% from {date}").format(rate=percent_str(rate), date=day.isoformat()) for day, rate in loan.rate_history
        )
    )


def penalty_text(state: LoanState) -> str | None:
    loan = state.loan
    if not loan.penalty_rate:
        return None
    return _("Penalty interest {rate}% a year on overdue amounts; accrued and unpaid: {amount}").format(
        rate=percent_str(loan.penalty_rate), amount=fmt(state.penalty_accrued, loan.currency, symbol=True)
    )


def status_text(status: str, days_overdue: int = 0) -> str:
    """A loan's status in words; an overdue one says for how long ("overdue 38d")."""
    label = _(STATUS_LABELS.get(status, status))
    if status == "overdue":
        label += " " + _("{days}d").format(days=days_overdue)
    return label


@dataclass(frozen=True)
class LoanRow:
    """One loan in a list of loans, as both faces show it: the cells as text, and what sorting and styling need."""

    id: int
    name: str
    lender: str
    outstanding: str  # with the currency's symbol
    apr: str  # "13.03%", or "-" when it cannot be worked out
    apr_warned: bool  # a rate warning applies: the faces mark the APR
    next_due: str  # the next installment's date, or "-"
    next_amount: str  # what it still needs, without a symbol, or "-"
    status: str  # the status key: active, overdue, closed
    status_text: str  # the status in words, with the days overdue
    outstanding_minor: int
    apr_value: Decimal | None

    def sort_key(self, column: str):
        """What a list sorted by ``column`` orders by: amounts and rates as numbers; no APR first, no next due last."""
        return {
            "id": self.id,
            "name": self.name,
            "lender": self.lender,
            "outstanding": self.outstanding_minor,
            "apr": self.apr_value if self.apr_value is not None else -1,
            "next_due": self.next_due if self.next_due != "-" else "9999",
            "status": self.status,
        }[column]

    def matches(self, needle: str) -> bool:
        """A filter's text (lower case) found in the name, the lender or the status, as a key or in words."""
        label = _(STATUS_LABELS.get(self.status, self.status))
        return needle in f"{self.name} {self.lender} {self.status} {label}".lower()


def loan_row(view: LoanView) -> LoanRow:
    st, cost = view.state, view.cost
    loan, nxt = st.loan, st.next_due
    return LoanRow(
        id=loan.id or 0,
        name=loan.name,
        lender=loan.lender,
        outstanding=fmt(st.outstanding_principal, loan.currency, symbol=True),
        apr="-" if cost.apr is None else f"{cost.apr}%",
        apr_warned=cost.apr is not None and bool(view.warnings),
        next_due=nxt.installment.due_date.isoformat() if nxt else "-",
        next_amount=fmt(nxt.unpaid, loan.currency) if nxt else "-",
        status=st.status,
        status_text=status_text(st.status, st.days_overdue),
        outstanding_minor=st.outstanding_principal,
        apr_value=cost.apr,
    )


@dataclass(frozen=True)
class LoanHeader:
    """What a loan's page says above its schedule, sentence by sentence; each face lays the sentences out."""

    name: str
    id: int
    lender: str
    kind: str  # the kind in words
    terms: str  # "equal installments, 3.10%, 360 months, from 2021-06-20; first due 2021-07-20"
    principal: str  # "Principal ¥20,000.00 · received ¥19,400.00"
    outstanding: str  # the outstanding principal with the currency's symbol
    status: str  # the status key
    status_text: str  # the status in words
    cost: str  # the true cost, or why it cannot be worked out
    overdue: str | None  # how much is overdue, since when
    next_due: str | None  # the next installment and what it still needs
    notes: tuple[str, ...]  # the rate history, penalty interest, automatic deduction, where they apply
    warnings: tuple[str, ...]  # the rate warnings


def loan_header(view: LoanView) -> LoanHeader:
    state, cost = view.state, view.cost
    loan, cur = state.loan, state.loan.currency
    term = _("{n} months").format(n=loan.term_months) if loan.term_months else _("no fixed term")
    terms = _("{method}, {rate}, {term}, from {start}; first due {first}").format(
        method=_(METHOD_LABELS[loan.method]),
        rate=rate_text(loan, state.today),
        term=term,
        start=loan.start_date.isoformat(),
        # the schedule's first due date: a lump-sum loan's one installment is at the end, not a month in
        first=(state.schedule[0].installment.due_date if state.schedule else loan.first_due_date).isoformat(),
    )
    principal = _("Principal {principal}").format(principal=fmt(loan.principal, cur, symbol=True))
    if loan.received_amount != loan.principal:
        principal += " · " + _("received {received}").format(received=fmt(loan.received_amount, cur, symbol=True))
    if cost.apr is not None:
        cost_text = _("True cost: APR {apr}% (EAR {ear}%)").format(apr=cost.apr, ear=cost.ear)
    else:
        cost_text = _("True cost: APR not available ({reason})").format(reason=cost.note)
    overdue = None
    if state.card is not None:
        overdue = card_overdue_text(state.card)
    elif state.overdue_amount:
        overdue = ngettext(
            "Overdue {amount} since {date} ({days} day)", "Overdue {amount} since {date} ({days} days)", state.days_overdue
        ).format(
            amount=fmt(state.overdue_amount, cur, symbol=True),
            date=state.overdue[0].installment.due_date.isoformat(),
            days=state.days_overdue,
        )
    nxt = state.next_due
    next_due = (
        _("Next due {date}: {amount}").format(date=nxt.installment.due_date.isoformat(), amount=fmt(nxt.unpaid, cur, symbol=True))
        if nxt
        else None
    )
    notes = tuple(t for t in (rate_history_text(loan), penalty_text(state), autopay_text(loan)) if t)
    return LoanHeader(
        name=loan.name,
        id=loan.id or 0,
        lender=loan.lender,
        kind=_(KIND_LABELS[loan.kind]),
        terms=terms,
        principal=principal,
        outstanding=fmt(state.outstanding_principal, cur, symbol=True),
        status=state.status,
        status_text=_(STATUS_LABELS[state.status]),
        cost=cost_text,
        overdue=overdue,
        next_due=next_due,
        notes=notes,
        warnings=tuple(w.message for w in view.warnings),
    )


def totals_by_currency(states: Iterable[LoanState | LoanSummary]) -> list[tuple[str, int]]:
    """The outstanding principal summed in each currency, the currencies in alphabetical order."""
    totals: dict[str, int] = {}
    for st in states:
        totals[st.loan.currency] = totals.get(st.loan.currency, 0) + st.outstanding_principal
    return sorted(totals.items())


def amounts_text(amounts: list[tuple[str, int]], sep: str) -> str:
    """Amounts in several currencies, each with its symbol: "¥1,152,147.31, $2,000.00"."""
    return sep.join(fmt(v, c, symbol=True) for c, v in amounts)


def overdue_line(state: LoanState | LoanSummary) -> str:
    """An overdue loan in a list of them: "网贷 Quick Cash: ¥3,671.96, 38 days"."""
    return ngettext("{name}: {amount}, {days} day", "{name}: {amount}, {days} days", state.days_overdue).format(
        name=state.loan.name, amount=fmt(state.overdue_amount, state.loan.currency, symbol=True), days=state.days_overdue
    )


def seq_text(seq: int | None) -> str:
    return "" if seq is None else str(seq)


def autopay_text(loan: Loan) -> str | None:
    """How an auto-debit loan is paid, and which deductions failed."""
    if not loan.autopay:
        return None
    text = (
        _("Repaid by automatic deduction from {account}.").format(account=loan.autopay_account)
        if loan.autopay_account
        else _("Repaid by automatic deduction.")
    )
    if loan.missed:
        text += " " + _("Failed deductions (installment numbers): {list}.").format(list=_(", ").join(str(n) for n in loan.missed))
    return text


def repayment_ref(rep: Repayment) -> str:
    """A repayment's id, or "auto" for a deduction counted but not recorded."""
    return str(rep.id) if rep.id is not None else _("auto")


def repayment_note(rep: Repayment) -> str:
    parts = [rep.note]
    if rep.autopay_seq is not None:
        parts.append(_("automatic deduction, installment {seq}").format(seq=rep.autopay_seq))
    if rep.prepay:
        parts.append(_("[prepayment]"))
    return " ".join(p for p in parts if p)


def stand_in_short(seq: int) -> str:
    return _("is installment {seq}'s automatic deduction (not counted twice)").format(seq=seq)


def stand_in_text(seq: int) -> str:
    return _("This is installment {seq}'s automatic deduction: it takes the deduction's place, nothing is counted twice.").format(
        seq=seq
    )


def prepay_lines(effect: PrepayEffect, currency: str) -> list[str]:
    """What a prepayment did: interest settled to its date, the new end, the months and interest saved."""
    out = []
    settled = []
    if effect.accrued_interest:
        settled.append(
            _("{amount} interest since the period began").format(amount=fmt(effect.accrued_interest, currency, symbol=True))
        )
    if effect.fees:
        settled.append(_("{amount} remaining fees").format(amount=fmt(effect.fees, currency, symbol=True)))
    if settled:
        out.append(
            _("Prepayment on {date}: {settled} first, then {principal} off the principal.").format(
                date=effect.date.isoformat(),
                settled=_(", ").join(settled),
                principal=fmt(effect.principal, currency, symbol=True),
            )
        )
    else:
        out.append(
            _("Prepayment on {date}: {principal} off the principal.").format(
                date=effect.date.isoformat(), principal=fmt(effect.principal, currency, symbol=True)
            )
        )
    if effect.new_end is None:
        out.append(_("The loan is paid off; it would have run to {end}.").format(end=_month(effect.old_end)))
    elif effect.months_saved:
        out.append(
            _("Now ends {new} instead of {old}: {months} months sooner, {payment} a month.").format(
                new=_month(effect.new_end),
                old=_month(effect.old_end),
                months=effect.months_saved,
                payment=fmt(effect.new_payment, currency, symbol=True),
            )
        )
    elif effect.new_payment != effect.old_payment:
        out.append(
            _("Same end ({end}); the payment drops from {old} to {new}.").format(
                end=_month(effect.new_end),
                old=fmt(effect.old_payment, currency, symbol=True),
                new=fmt(effect.new_payment, currency, symbol=True),
            )
        )
    if effect.interest_saved > 0:
        out.append(_("Interest and fees saved: {amount}.").format(amount=fmt(effect.interest_saved, currency, symbol=True)))
    return out


def latest_effect(state: LoanState, repayment_id: int | None) -> PrepayEffect | None:
    return next((e for e in reversed(state.effects) if e.repayment_id == repayment_id), None)


def payoff_parts(quote: Payoff) -> list[tuple[str, int]]:
    return [
        (_("Principal"), quote.principal),
        (_("Interest"), quote.interest),
        (_("Fees"), quote.fees),
        (_("Penalty"), quote.penalty),
    ]


def _month(day) -> str:
    return day.strftime("%Y-%m") if day else "-"


PLAN_EXPLAINED = N_(
    "Avalanche pays extra to the highest APR first, snowball to the smallest balance first; each extra payment "
    "settles the interest to its day, then the loan gets a new level payment over fewer months, as banks do."
)


PLAN_LABELS = {"avalanche": N_("Avalanche"), "snowball": N_("Snowball"), "schedule": N_("Schedule only")}


@dataclass(frozen=True)
class PlanColumn:
    """One way out of debt beside the others: the figures a comparison shows for it, as text."""

    label: str
    months: str
    debt_free: str
    interest: str  # interest and fees paid on the way
    saved: str  # interest and fees saved against paying only the schedule ("-" for the schedule itself)
    sooner: str  # months sooner than the schedule ("-" for the schedule itself)
    payoffs: tuple[str, ...]  # each loan's last payment, the loans in the order of the schedule's plan


def plan_columns(plans: dict[str, Plan], currency: str) -> dict[str, PlanColumn]:
    """Each strategy's column, from the plans and the schedule-only plan among them."""
    base = plans["schedule"]

    def column(key: str, p: Plan) -> PlanColumn:
        against = key != "schedule"
        return PlanColumn(
            label=_(PLAN_LABELS[key]),
            months=str(p.months),
            debt_free=_iso(p.debt_free_date),
            interest=fmt(p.total_interest, currency),
            saved=fmt(base.total_interest - p.total_interest, currency) if against else "-",
            sooner=str(base.months - p.months) if against else "-",
            payoffs=tuple(_iso(lp.payoff_date) for lp in p.loans),
        )

    return {key: column(key, p) for key, p in plans.items()}


def paying_text(budget: int, currency: str, today: dt.date) -> str:
    return _("Paying {budget} a month from {date}").format(budget=fmt(budget, currency, symbol=True), date=today.isoformat())


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


def short_months_text(plan: Plan, currency: str) -> str | None:
    """The months in which the scheduled payments alone exceed the budget."""
    if not plan.short_months:
        return None
    months = _(", ").join(
        _("{month} ({amount})").format(month=m.strftime("%Y-%m"), amount=fmt(v, currency, symbol=True))
        for m, v in plan.short_months[:6]
    )
    more = len(plan.short_months) - 6
    if more > 0:
        months += " " + _("and {n} more").format(n=more)
    return _("The scheduled payments alone exceed the budget in: {months}.").format(months=months)


IMPORT_KINDS = {
    "loans": N_("loans"),
    "repayments": N_("repayments"),
    "card_bills": N_("card bills"),
    "incomes": N_("incomes"),
    "credit_checks": N_("credit checks"),
    "contacts": N_("contacts"),
    "match_rules": N_("statement rules"),
    "audit_items": N_("audit items"),
    "evidence": N_("evidence records"),
}


def import_lines(report, *, update: bool) -> list[str]:
    """What an import did: '0 new, 51 already present', what was new, what conflicts."""
    out = [_("Imported: {new} new, {present} already present.").format(new=report.total_new, present=report.total_present)]
    if report.total_new:
        out.append(_("New: {parts}.").format(parts=_(", ").join(f"{n} {_(IMPORT_KINDS[k])}" for k, n in report.new.items() if n)))
    if report.conflicts:
        shown = "; ".join(report.conflicts[:5]) + (" …" if len(report.conflicts) > 5 else "")
        if update:
            out.append(_("Replaced with the file's version: {records}.").format(records=shown))
        else:
            out.append(
                _(
                    "{n} of your records differ from the file's and were left as they are ({records}); "
                    "--update replaces them, --as-new adds the file's as copies."
                ).format(n=len(report.conflicts), records=shown)
            )
    return out


def statement_summary(plan: ImportPreview) -> str:
    """What a statement holds for the loans: "alipay statement: 8 rows, 1 to record, 2 unmatched, 0 already imported."."""
    return _("{source} statement: {rows} rows, {n} to record, {u} unmatched, {d} already imported.").format(
        source=plan.statement.source,
        rows=len(plan.statement.rows),
        n=len(plan.to_record),
        u=len(plan.still_unmatched),
        d=len(plan.result.duplicates),
    )


def bill_line(bill, name: str, currency: str) -> str:
    """The bill a card's statement adds up to, and how."""
    return _(
        "Bill of {date} for {name}: {amount} (the last bill's {previous}, less {paid} paid since, plus {charges} of new charges)"
    ).format(
        date=bill.date.isoformat(),
        name=name,
        amount=fmt(bill.amount, currency, symbol=True),
        previous=fmt(bill.previous, currency, symbol=True),
        paid=fmt(bill.paid, currency, symbol=True),
        charges=fmt(bill.charges, currency, symbol=True),
    )


def row_text(row: StatementRow) -> str:
    """A statement row in words: its counterparty and description."""
    return f"{row.counterparty} {row.description}".strip()


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


def largest_payments_text(report: DTIReport) -> str:
    """This month's three largest debt payments: "房贷 ¥4,738.33, 车贷 ¥4,312.50"."""
    return _(", ").join(f"{st.loan.name} {fmt(a, st.loan.currency, symbol=True)}" for st, a in report.contributors[:3])


def utilisation_warning(state: LoanState) -> str | None:
    """A card used above 70% of its limit: lenders read it on the credit report."""
    card = state.card
    if card is None or not card.over_warning_line:
        return None
    return _("{name} uses {pct}% of its limit: above 70%, lenders reading your credit report see a stretched borrower").format(
        name=state.loan.name, pct=(card.utilisation * 100).quantize(Decimal("0.1"))
    )


def card_terms_text(card: Loan) -> str:
    """A card's limit, bill and due days, daily rate, minimum payment and interest rule."""
    return _("Limit {limit} · bill day {bill} · due day {due} · {rate}%/day · minimum {min}% · interest: {rule}").format(
        limit=fmt(card.credit_limit or 0, card.currency, symbol=True),
        bill=card.bill_day,
        due=card.due_day,
        rate=card.quoted_rate,
        min=card.min_payment_rate,
        rule=_("on the whole bill") if card.card_interest == "full" else _("on the unpaid part"),
    )


def card_balance_text(cs: CardState) -> str:
    cur = cs.card.currency
    return _("Balance {balance} · available {available} · {pct}% of the limit used").format(
        balance=fmt(cs.balance, cur, symbol=True),
        available=fmt(cs.available, cur, symbol=True),
        pct=(cs.utilisation * 100).quantize(Decimal("0.1")),
    )


def card_overdue_text(cs: CardState) -> str | None:
    """A bill's minimum left unpaid past its due date: what stops the late fees."""
    if not cs.overdue_amount:
        return None
    return ngettext(
        "Overdue {amount} ({days} day): pay at least this to stop the late fees",
        "Overdue {amount} ({days} days): pay at least this to stop the late fees",
        cs.days_overdue,
    ).format(amount=fmt(cs.overdue_amount, cs.card.currency, symbol=True), days=cs.days_overdue)


def card_next_due_text(cs: CardState) -> str | None:
    """The bill to pay next: in full to pay no interest, or at least the minimum."""
    b = cs.next_due
    if b is None:
        return None
    cur = cs.card.currency
    return _("Next due {date}: {full} in full (no interest), at least {minimum}").format(
        date=b.due_date.isoformat(),
        full=fmt(b.unpaid, cur, symbol=True),
        minimum=fmt(max(b.minimum - b.paid, 0), cur, symbol=True),
    )


def card_lines(state: LoanState) -> list[str]:
    """A card's terms and standing, for the loan screen: limit, use, the bill to pay."""
    cs = state.card
    if cs is None:
        return []
    lines = [card_terms_text(state.loan), card_balance_text(cs), card_next_due_text(cs)]
    warning = utilisation_warning(state)
    return [line for line in lines if line] + (["! " + warning] if warning else [])


VERDICT_LABELS = {"likely-scam": N_("likely a scam"), "suspicious": N_("suspicious"), "no-red-flags": N_("no red flags")}
NOTICE_LABELS = {
    "anti-fraud": N_("it reads as a genuine anti-fraud notice"),
    "lender": N_("it reads as the lender's own notice"),
}


def triage_headline(result) -> str:
    """A message's verdict in one line, the same in the CLI and the app: "Verdict: no red flags (score 0): it reads as…"."""
    line = _("Verdict: {verdict} (score {score})").format(verdict=_(VERDICT_LABELS[result.verdict]), score=result.score)
    if result.notice:
        line += ": " + _(NOTICE_LABELS[result.notice])
    return line


def ledger_text(result) -> str | None:
    """What the user's own loans say about a message: the witness no scammer can fake."""
    return None if result.ledger is None else _("Your ledger: {note}").format(note=result.ledger.note)


def verdict_text(verdict: str | None) -> str:
    """A saved contact's verdict in words, "-" for one never judged."""
    return _(VERDICT_LABELS[verdict]) if verdict in VERDICT_LABELS else "-"


def contact_about(contact: Contact) -> str:
    """A contact in the timeline: whom or which loan it was about, and its summary (or the message's start)."""
    about = contact.about_person or (f"#{contact.about_loan_id}" if contact.about_loan_id else "")
    return " · ".join(x for x in (about, contact.summary or contact.message[:60]) if x)


# -- questions before a deletion, and what was done --------------------------------------------
def delete_repayment_question(rep: Repayment, loan: Loan) -> str:
    return _("Delete repayment {id} ({amount} on {date} to {loan})?").format(
        id=rep.id, amount=fmt(rep.amount, loan.currency, symbol=True), date=rep.date.isoformat(), loan=loan.name
    )


def delete_check_question(check: CreditCheck) -> str:
    return _("Delete the credit check of {date} ({channel})?").format(date=check.date.isoformat(), channel=check.channel or "-")


def delete_contact_question(contact: Contact) -> str:
    return _("Delete contact {id} ({channel} from {sender} on {date})? Its evidence files are kept.").format(
        id=contact.id,
        channel=contact.channel,
        sender=contact.sender,
        date=contact.happened_at.isoformat(timespec="minutes"),
    )


def remove_evidence_question(item: Evidence) -> str:
    return _("Remove evidence {id} ({name})? The stored copy is deleted.").format(id=item.id, name=item.original_name)


def rule_words(counterparty: str | None, description: str | None, method: str | None) -> str:
    """The words a statement-matching rule looks for."""
    return ", ".join(w for w in (counterparty, description, method) if w)


def delete_rule_question(rule_id: int, words: str, loan_id: int) -> str:
    return _("Delete rule {id} ('{words}' to loan {loan})?").format(id=rule_id, words=words, loan=loan_id)


def deleted_rule_text(rule_id: int, words: str, loan_id: int) -> str:
    return _("Deleted rule {id}; statement rows like '{words}' are no longer sent to loan {loan}.").format(
        id=rule_id, words=words, loan=loan_id
    )


def paid_before(rep: Repayment) -> bool:
    """Recorded by --paid-until for an installment paid before the loan was entered (older rows: by their note)."""
    from .i18n import translate_all

    return rep.source == "paid-until" or (rep.source == "" and rep.note in translate_all("paid before the loan was entered"))


@dataclass(frozen=True)
class RepaymentRow:
    """One row of a repayment list: a repayment, or a loan's run of installments paid before it was entered."""

    ref: str
    loan_id: int
    loan: str
    date: str
    note: str
    amount: int


def repayment_rows(reps: list[Repayment], names: dict[int, str]) -> list[RepaymentRow]:
    """The rows of a repayment list, oldest first; a loan's run of installments paid before it was entered is
    one row ("24 installments paid before entry"), not 24."""
    rows: list[RepaymentRow] = []
    i = 0
    while i < len(reps):
        rep = reps[i]
        j = i
        if paid_before(rep):
            while j + 1 < len(reps) and reps[j + 1].loan_id == rep.loan_id and paid_before(reps[j + 1]):
                j += 1
        name = names.get(rep.loan_id, str(rep.loan_id))
        if j > i:
            run = reps[i : j + 1]
            note = ngettext("{n} installment paid before entry", "{n} installments paid before entry", len(run)).format(
                n=len(run)
            )
            dates = f"{run[0].date:%Y-%m}…{run[-1].date:%Y-%m}"
            rows.append(RepaymentRow(f"{run[0].id}…{run[-1].id}", rep.loan_id, name, dates, note, sum(r.amount for r in run)))
        else:
            rows.append(
                RepaymentRow(repayment_ref(rep), rep.loan_id, name, rep.date.isoformat(), repayment_note(rep), rep.amount)
            )
        i = j + 1
    return rows


def short_ref(ref: str, width: int = 20) -> str:
    """A long order number cut in the middle, where an ellipsis shows it is cut: its start and its distinctive end."""
    if len(ref) <= width:
        return ref
    head = (width - 1) // 2
    return ref[:head] + "…" + ref[-(width - 1 - head) :]
