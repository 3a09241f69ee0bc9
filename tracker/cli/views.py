"""A loan, a card and the overview as the commands print them (shared by loan, repayment, card and `debt` itself)."""

from __future__ import annotations

import datetime as dt

from ..i18n import _
from ..money import fmt
from ..present.text import aside
from .render import _assemble, _console, _print_json, _print_table, _status_text, _styled, _table


def _apr_text(row):
    """APR with a bold '!' when a rate warning applies."""
    return _assemble(row.apr, (" !", "bold yellow") if row.apr_warned else "")


def _loans_table(views, *, wide: bool = True):
    from ..present.loans import loan_row

    cols = [_(">ID"), _("~Name"), _("~Lender"), _(">Outstanding"), _(">APR"), _("Next due"), _(">Amount"), _("Status")]
    if not wide:
        cols.remove(_("~Lender"))
    # on a narrow console the APR goes first, then the next payment (its date with its amount): 'loan show ID' has them
    table = _table(*cols, drop=(_(">APR"), (_("Next due"), _(">Amount"))))
    for row in map(loan_row, views):
        table.add_row(
            str(row.id),
            row.name,
            *([row.lender] if wide else []),
            row.outstanding,
            _apr_text(row),
            row.next_due,
            row.next_amount,
            _styled(row.status_text, "bold red" if row.status == "overdue" else None),
        )
    return table


def _print_overview(store, today: dt.date, note: str = "") -> None:
    from ..service.views import loan_views

    console = _console()
    views = loan_views(store, today, include_closed=False)
    states = [v.state for v in views]
    console.print(_("Overview as of {date}").format(date=today.isoformat()) + (f"  {note}" if note else ""), style="bold")
    if not states:
        console.print(_("No loans yet. Add one with 'debt loan add', or try 'debt demo' to explore sample data."))
        return
    from ..present.loans import amounts_text, overdue_line, totals_by_currency

    console.print(_("Outstanding principal: {amounts}").format(amounts=amounts_text(totals_by_currency(states), ", ")))
    for st in states:
        if st.status == "overdue":
            console.print(_("Overdue: {loan}").format(loan=overdue_line(st)), style="bold red")
    _print_table(console, _loans_table(views, wide=console.width >= 110))
    if any(v.warnings for v in views):
        console.print(_("! a rate warning applies: see 'debt loan show ID'"))
    from ..present.cards import utilisation_warning

    for st in states:
        warning = utilisation_warning(st)
        if warning:
            console.print("! " + warning, style="yellow")


def _show_view(v, as_json: bool, *, added: bool = False, notices: list[str] | None = None) -> None:
    from ..report import loan_detail

    state = v.state
    if as_json:
        out = loan_detail(state, v.cost, v.warnings)
        if added or notices:
            out["notices"] = notices or []
        _print_json(out)
        return
    from ..present.loans import loan_header, seq_text

    loan, cur = state.loan, state.loan.currency
    h = loan_header(v)
    console = _console()
    if added:
        console.print(_("Added loan {id}.").format(id=loan.id), style="green")
    kind = aside(_("({kind})").format(kind=h.kind))  # full-width parentheses in Chinese, with no space before them
    console.print(_assemble((h.name, "bold"), f"  #{h.id}  {h.lender}{kind}"))
    console.print(h.terms)
    console.print(
        " · ".join(
            (
                h.principal,
                _("outstanding {amount}").format(amount=h.outstanding),
                _("status {status}").format(status=h.status_text),
            )
        )
    )
    console.print(h.cost)
    for text in (*h.warnings, *(notices or [])):
        console.print(f"! {text}", style="yellow")
    for text in h.notes:
        console.print(text)
    if h.overdue:
        console.print(h.overdue, style="bold red")
    if h.next_due:
        console.print(h.next_due)
    if state.credit:
        console.print(_("Paid beyond what is owed: {amount}").format(amount=fmt(state.credit, cur, symbol=True)))
    table = _table(
        _(">#"),
        _("Due date"),
        _(">Principal"),
        _(">Interest"),
        _(">Fee"),
        _(">Total"),
        _(">Paid"),
        _("Status"),
        title=_("Schedule"),
    )
    for s in state.schedule:
        inst = s.installment
        status = _("prepayment") if inst.kind == "prepayment" else _status_text(s.status)
        table.add_row(
            seq_text(inst.seq),
            inst.due_date.isoformat(),
            fmt(inst.principal, cur),
            fmt(inst.interest, cur),
            fmt(inst.fee, cur),
            fmt(inst.total, cur),
            fmt(s.paid, cur),
            status,
            style="red" if s.status == "overdue" else None,
        )
    _print_table(console, table)
    if state.repayments:
        loan = state.loan
        _repayments_table(console, list(state.repayments), {loan.id or 0: cur}, {loan.id or 0: loan.name})


def _repayments_table(console, reps: list, currency: dict[int, str], names: dict[int, str]) -> None:
    from ..present.repayments import repayment_rows

    table = _table(_(">ID"), _("Loan"), _("Date"), _(">Amount"), _("~Note"), title=_("Repayments"))
    for row in repayment_rows(reps, names):
        table.add_row(row.ref, row.loan, row.date, fmt(row.amount, currency[row.loan_id]), row.note)
    _print_table(console, table)


def _show_card(state, as_json: bool, headline: str | None = None) -> None:
    from ..service.cards import card_view

    if as_json:
        _print_json(card_view(state))
        return
    card, cs, cur = state.loan, state.card, state.loan.currency
    console = _console()
    if headline:
        console.print(headline, style="green")
    console.print(_assemble((card.name, "bold"), f"  #{card.id}  {card.lender}"))
    from ..present.cards import card_balance_text, card_next_due_text, card_overdue_text, card_terms_text, utilisation_warning

    console.print(card_terms_text(card))
    console.print(card_balance_text(cs), style="bold")
    warning = utilisation_warning(state)
    if warning:
        console.print("! " + warning, style="yellow")
    overdue = card_overdue_text(cs)
    if overdue:
        console.print(overdue, style="bold red")
    next_due = card_next_due_text(cs)
    if next_due:
        console.print(next_due)
    if not cs.bills:
        console.print(_("No bills yet: record each statement with 'debt card bill {id} AMOUNT --date DATE'.").format(id=card.id))
        return
    # on a narrow console what was paid goes first (the balance above says what is left), then the due date
    table = _table(
        _("Bill date"), _("Due date"), _(">Amount"), _(">Minimum"), _(">Paid"), _("Status"), _(">Interest"), _(">Late fee"),
        title=_("Bills"), drop=(_(">Paid"), _("Due date")),
    )  # fmt: skip
    for b in cs.bills:
        table.add_row(
            b.bill.date.isoformat(),
            b.due_date.isoformat(),
            fmt(b.bill.owed, cur),
            fmt(b.minimum, cur),
            fmt(b.paid, cur),
            _status_text(b.status),
            fmt(b.interest_estimate, cur),
            fmt(b.late_fee, cur),
            style="red" if b.status == "overdue" else None,
        )
    _print_table(console, table)
