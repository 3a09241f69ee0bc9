"""`debt repay` and `debt repayment ...`: record a repayment, list and delete them."""

from typing import Annotated

import typer

from ..i18n import _
from ..money import fmt
from .app import _env, app
from .options import JsonOpt, YesOpt
from .render import _confirm_record, _console, _echo, _print_json, _status_text
from .views import _repayments_table

repayment_app = typer.Typer(help=_("List and delete recorded repayments."), no_args_is_help=True)
app.add_typer(repayment_app, name="repayment")


@app.command("repay")
def repay(
    ctx: typer.Context,
    loan_id: Annotated[str, typer.Argument(metavar="LOAN_ID", help=_("Loan id."))],
    amount: Annotated[str, typer.Argument(metavar="AMOUNT", help=_("Amount paid, e.g. 5307.27 or ¥5,307.27."))],
    date: Annotated[str | None, typer.Option("--date", help=_("Date paid (default today)."))] = None,
    note: Annotated[str | None, typer.Option("--note", help=_("Free text."))] = None,
    prepay: Annotated[
        bool, typer.Option("--prepay", help=_("Put the part beyond what is due toward principal (shortens the term)."))
    ] = False,
    keep_term: Annotated[
        bool, typer.Option("--keep-term", help=_("With --prepay: keep the term and lower the payment instead."))
    ] = False,
    allow_overpay: Annotated[
        bool, typer.Option("--allow-overpay", help=_("Record an amount above everything still owed."))
    ] = False,
    again: Annotated[
        bool,
        typer.Option("--again", help=_("Record it even though the loan has a repayment of the same amount on the same day.")),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a repayment; it pays the oldest installments first. The same amount on the same day as a repayment
    already recorded is refused as typed twice, unless --again."""
    from ..inputs import parse_id
    from ..money import to_str
    from ..present.repayments import advance_text, latest_effect, prepay_lines, stand_in_text
    from ..report import loan_summary, prepay_item, repayment_item
    from ..service.repayments import record_repayment

    env = _env(ctx)
    lid = parse_id(loan_id, _("loan id"))
    rep, state = record_repayment(
        env.store(),
        lid,
        amount,
        env.today,
        date=date,
        note=note,
        prepay=prepay,
        keep_term=keep_term,
        allow_overpay=allow_overpay,
        again=again,
    )
    cur = state.loan.currency
    effect = latest_effect(state, rep.id)
    if as_json:
        _print_json(
            {
                "repayment": repayment_item(rep, cur),
                "loan": loan_summary(state),
                "credit": to_str(state.credit, cur),
                "prepayment": prepay_item(effect, cur) if effect else None,
                "replaces_deduction": next((seq for rid, seq in state.stand_ins if rid == rep.id), None),
            }
        )
        return
    console = _console()
    console.print(
        _("Recorded repayment {id}: {amount} to {name} on {date}.").format(
            id=rep.id, amount=fmt(rep.amount, cur, symbol=True), name=state.loan.name, date=rep.date.isoformat()
        ),
        style="green",
    )
    for text in prepay_lines(effect, cur) if effect else []:
        console.print(text)
    ahead = advance_text(state, rep)
    if ahead:
        console.print(
            ahead
            + " "
            + _(
                "To lower the principal instead, which saves that interest, delete it (debt repayment delete {id}) "
                "and record it again with --prepay."
            ).format(id=rep.id),
            style="yellow",
        )
    for rep_id, seq in state.stand_ins:
        if rep_id == rep.id:
            console.print(stand_in_text(seq))
    line = _("Outstanding principal {amount}; status {status}.").format(
        amount=fmt(state.outstanding_principal, cur, symbol=True), status=_status_text(state.status)
    )
    console.print(line)
    nxt = state.next_due
    if nxt:
        console.print(
            _("Next due {date}: {amount}").format(
                date=nxt.installment.due_date.isoformat(), amount=fmt(nxt.unpaid, cur, symbol=True)
            )
        )


@repayment_app.command("list")
def repayment_list(
    ctx: typer.Context,
    loan: Annotated[str | None, typer.Option("--loan", metavar="ID", help=_("Only this loan's repayments."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """List repayments, oldest first (an auto-debit loan's deductions too)."""
    from ..inputs import parse_id
    from ..report import repayment_item
    from ..service.repayments import list_repayments

    env = _env(ctx)
    lid = parse_id(loan, _("loan id")) if loan is not None else None
    # a damaged loan's are skipped (and named); an auto-debit loan's deductions are listed with the rest
    reps, loans = list_repayments(env.store(write=False), env.today, lid)
    currency = {loan_id: ln.currency for loan_id, ln in loans.items()}
    if as_json:
        _print_json([repayment_item(r, currency[r.loan_id]) for r in reps])
        return
    console = _console()
    if not reps:
        console.print(_("No repayments recorded."))
        return
    names = {loan_id: ln.name for loan_id, ln in loans.items()}
    _repayments_table(console, reps, currency, names)


@repayment_app.command("delete")
def repayment_delete(
    ctx: typer.Context,
    rep_id: Annotated[str, typer.Argument(metavar="ID", help=_("Repayment id (see 'debt repayment list')."))],
    yes: YesOpt = False,
) -> None:
    """Delete a repayment recorded by mistake; statuses are recomputed."""
    from ..models import STATUS_LABELS
    from ..present.deletions import delete_repayment_question
    from ..service.repayments import delete_repayment, repayment_with_loan

    env = _env(ctx)
    store = env.store()
    rid, _found = _confirm_record(
        yes,
        store,
        rep_id,
        _("repayment id"),
        repayment_with_loan,
        lambda found: delete_repayment_question(*found),
        _("delete repayment {id}"),
    )
    _rep, state = delete_repayment(store, rid, env.today)
    _echo(
        _("Deleted repayment {id}; loan {loan} is now {status}.").format(
            id=rid, loan=state.loan.id, status=_(STATUS_LABELS[state.status])
        )
    )
