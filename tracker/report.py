"""Plain-data views of loans and repayments for --json and exports (money as decimal strings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .dates import iso
from .models import CreditCheck, Income, InstallmentState, LoanState, Payoff, PrepayEffect, Repayment
from .money import percent_str, to_str
from .rates import Cost, Warning
from .schedule import first_payment_date

if TYPE_CHECKING:
    from .payoff import Plan


def schedule_item(s: InstallmentState, currency: str) -> dict[str, Any]:
    inst = s.installment
    return {
        "seq": inst.seq,
        "kind": inst.kind,
        "due_date": inst.due_date.isoformat(),
        "principal": to_str(inst.principal, currency),
        "interest": to_str(inst.interest, currency),
        "fee": to_str(inst.fee, currency),
        "total": to_str(inst.total, currency),
        "paid": to_str(s.paid, currency),
        "status": s.status,
        "days_late": s.days_late,
        "penalty": to_str(s.penalty, currency),
    }


def repayment_item(rep: Repayment, currency: str) -> dict[str, Any]:
    """A repayment as --json shows it: the export's record without the statement reference and the identity."""
    from .export_format import repayment_record  # (the export's module is not every command's: imported here)

    record = repayment_record(rep, currency)
    return {k: v for k, v in record.items() if k not in ("source_ref", "uid")}


def cost_fields(cost: Cost, warnings: tuple[Warning, ...] | list[Warning]) -> dict[str, Any]:
    return {
        "apr": None if cost.apr is None else str(cost.apr),
        "ear": None if cost.ear is None else str(cost.ear),
        "apr_note": cost.note or None,
        "warnings": [{"code": w.code, "message": w.message} for w in warnings],
    }


def loan_summary(state: LoanState, cost: Cost | None = None, warnings: tuple[Warning, ...] = ()) -> dict[str, Any]:
    loan, cur = state.loan, state.loan.currency
    nxt = state.next_due
    return {
        "id": loan.id,
        "name": loan.name,
        "lender": loan.lender,
        "kind": loan.kind,
        "method": loan.method,
        "currency": cur,
        "principal": to_str(loan.principal, cur),
        "received": to_str(loan.received_amount, cur),
        "annual_rate": percent_str(loan.annual_rate),
        "fee_rate": percent_str(loan.fee_rate) if loan.method == "flat-fee" else None,
        "min_payment_rate": percent_str(loan.min_payment_rate) if loan.method == "revolving" else None,
        "term_months": loan.term_months,
        "start_date": loan.start_date.isoformat(),
        "first_due_date": first_payment_date(loan).isoformat(),  # a bullet loan's maturity
        "notes": loan.notes,
        "interest_basis": loan.interest_basis,
        "penalty_rate": None if loan.penalty_rate is None else percent_str(loan.penalty_rate),
        "early_fees": loan.early_fees if loan.method == "flat-fee" else None,
        "lpr_spread_bp": loan.lpr_spread_bp,
        "reprice": loan.reprice,
        "autopay": loan.autopay,
        "autopay_account": loan.autopay_account if loan.autopay else None,
        "missed_deductions": list(loan.missed) if loan.autopay else [],
        "card_id": loan.card_id,
        "status": state.status,
        "outstanding_principal": to_str(state.outstanding_principal, cur),
        "overdue_amount": to_str(state.overdue_amount, cur),
        "days_overdue": state.days_overdue,
        "next_due_date": iso(nxt.installment.due_date if nxt else None),
        "next_due_amount": to_str(nxt.unpaid, cur) if nxt else None,
        "total_paid": to_str(state.total_paid, cur),
        "credit": to_str(state.credit, cur),
        "penalty_accrued": to_str(state.penalty_accrued, cur),
        **(cost_fields(cost, warnings) if cost is not None else {}),
        **(_card_fields(state) if state.card is not None else {}),
    }


def _card_fields(state: LoanState) -> dict[str, Any]:
    cur, card = state.loan.currency, state.card
    return {
        "credit_limit": to_str(card.limit, cur),
        "balance": to_str(card.balance, cur),
        "available": to_str(card.available, cur),
        "utilisation": str(card.utilisation),
        "instalments_held": to_str(card.held, cur),  # instalment principal still to come, inside the limit
    }


def loan_detail(state: LoanState, cost: Cost | None = None, warnings: tuple[Warning, ...] = ()) -> dict[str, Any]:
    cur = state.loan.currency
    out = loan_summary(state, cost, warnings)
    out["rate_history"] = [{"from": day.isoformat(), "annual_rate": percent_str(rate)} for day, rate in state.loan.rate_history]
    out["schedule"] = [schedule_item(s, cur) for s in state.schedule]
    out["repayments"] = [
        {
            "id": r.id,
            "date": r.date.isoformat(),
            "amount": to_str(r.amount, cur),
            "note": r.note,
            "prepay": r.prepay,
            "source": r.source,
            "installment": r.autopay_seq,
        }
        for r in state.repayments
    ]
    return out


def prepay_item(effect: PrepayEffect, currency: str) -> dict[str, Any]:
    return {
        "date": effect.date.isoformat(),
        "principal": to_str(effect.principal, currency),
        "accrued_interest": to_str(effect.accrued_interest, currency),
        "fees": to_str(effect.fees, currency),
        "old_end": iso(effect.old_end),
        "new_end": iso(effect.new_end),
        "months_saved": effect.months_saved,
        "interest_saved": to_str(effect.interest_saved, currency),
        "old_payment": to_str(effect.old_payment, currency),
        "new_payment": to_str(effect.new_payment, currency),
        "bill_due": iso(effect.bill_due),
        "bill_principal": to_str(effect.bill_principal, currency),
    }


def payoff_item(p: Payoff) -> dict[str, Any]:
    cur = p.currency
    return {
        "loan_id": p.loan_id,
        "date": p.date.isoformat(),
        "principal": to_str(p.principal, cur),
        "interest": to_str(p.interest, cur),
        "fees": to_str(p.fees, cur),
        "penalty": to_str(p.penalty, cur),
        "total": to_str(p.total, cur),
        "currency": cur,
    }


def plan_item(plan: Plan, baseline: Plan | None, currency: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "currency": currency,
        "months": plan.months,
        "debt_free_date": iso(plan.debt_free_date),
        "total_interest": to_str(plan.total_interest, currency),
        "loans": [
            {"id": lp.loan_id, "name": lp.name, "payoff_date": iso(lp.payoff_date), "interest": to_str(lp.interest, currency)}
            for lp in plan.loans
        ],
        "short_months": [{"month": m.strftime("%Y-%m"), "scheduled": to_str(v, currency)} for m, v in plan.short_months],
    }
    if baseline is not None:
        out["interest_saved"] = to_str(baseline.total_interest - plan.total_interest, currency)
        out["months_saved"] = baseline.months - plan.months
    return out


def credit_check_item(c: CreditCheck) -> dict[str, Any]:
    return {
        "id": c.id,
        "date": c.date.isoformat(),
        "channel": c.channel,
        "findings": c.findings,
        "anomalies": c.anomalies,
        "follow_up": c.follow_up,
    }


def income_item(i: Income) -> dict[str, Any]:
    return {
        "id": i.id,
        "source": i.source,
        "amount": to_str(i.amount, i.currency),
        "currency": i.currency,
        "from": i.start_date.isoformat(),
        "to": i.end_date.isoformat() if i.end_date else None,
    }
