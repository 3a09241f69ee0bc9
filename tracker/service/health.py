"""Credit-health use cases shared by the CLI and the TUI: incomes, DTI, credit checks, audit, reminders."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from msgspec import Struct
from msgspec.structs import replace

from .. import audit as audit_rules
from ..dates import parse_date
from ..dti import Burden, MonthDTI, back_below, month_dti, month_start, series
from ..errors import BadInput, Refused
from ..i18n import _
from ..inputs import clean_text
from ..ledger import evaluate
from ..models import AuditItem, CreditCheck, Income, LoanState
from ..money import parse_amount
from ..reminders import CreditCheckPlan, Reminder, credit_check_plan, reminders
from ..store import Store
from .settings import current_settings
from .views import loan_states


# -- incomes -------------------------------------------------------------------
def add_income(store: Store, source: str, amount: str, *, start: str | None, end: str | None, today: dt.date) -> Income:
    first = parse_date(start, _("start date")) if start else month_start(today)
    last = parse_date(end, _("end date")) if end else None
    if last is not None and last < first:
        raise BadInput(_("the end date must not be before the start date"))
    income = Income(clean_text(source, _("source"), required=True), parse_amount(amount), first, last)
    return store.add_income(income)


def list_incomes(store: Store) -> list[Income]:
    return store.incomes()


def get_income(store: Store, income_id: int) -> Income:
    return store.get_income(income_id)


def delete_income(store: Store, income_id: int) -> None:
    store.delete_income(income_id)


def end_income(store: Store, income_id: int, end: str) -> Income:
    income = store.get_income(income_id)
    last = parse_date(end, _("end date"))
    if last < income.start_date:
        raise BadInput(_("the end date must not be before the start date"))
    return store.update_income(replace(income, end_date=last))


# -- debt-to-income ------------------------------------------------------------
class DTIReport(Struct, frozen=True):
    """The debt-to-income report: this month's ratio, the months around it, and what drives it."""

    current: MonthDTI
    threshold: Decimal
    caution: Decimal
    history: list[MonthDTI]
    projection: list[MonthDTI]
    back_below_threshold: dt.date | None
    contributors: list[tuple[LoanState, int]]
    what_if: MonthDTI | None
    added_payment: int | None
    left_out: tuple[tuple[str, int], ...] = ()  # open loans in other currencies, not counted: (currency, how many)


def parse_month(text: str) -> dt.date:
    """YYYY-MM within the years dates may have, with room for ten years of history and projection."""
    from ..dates import MAX_DATE, MIN_DATE

    raw = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}", raw, re.ASCII):
        raise BadInput(_("the month must be YYYY-MM, got {value!r}").format(value=text[:40]))
    try:
        month = dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise BadInput(_("the month must be YYYY-MM, got {value!r}").format(value=text[:40])) from None
    if not MIN_DATE.year + 10 <= month.year <= MAX_DATE.year - 10:
        raise BadInput(
            _("the month must be between {first} and {last}").format(first=MIN_DATE.year + 10, last=MAX_DATE.year - 10)
        )
    return month


def dti_report(
    store: Store, today: dt.date, *, month: str | None = None, months: int = 12, add_payment: str | None = None
) -> DTIReport:
    if not 1 <= months <= 120:
        raise BadInput(_("the number of months must be between 1 and 120"))
    settings = current_settings(store)
    caution, warn = settings.dti_caution, settings.dti_warn
    m = parse_month(month) if month else month_start(today)
    extra = parse_amount(add_payment, what=_("new monthly payment")) if add_payment else None
    from ..reads import burden

    states = burden(store, store.loans(), today)
    if states is None:
        states = Burden(loan_states(store, today))
    else:
        states.prefetch(m - relativedelta(months=months), m + relativedelta(months=months))
    incomes = store.incomes()
    current = month_dti(states, incomes, m, caution, warn)
    history, projection = series(states, incomes, m, months, caution, warn)
    back = back_below(states, incomes, m, caution, warn) if current.status == "warning" else None
    what_if = month_dti(states, incomes, m, caution, warn, extra=extra) if extra else None
    left_out = tuple(sorted(states.left_out().items()))
    return DTIReport(current, warn, caution, history, projection, back, states.of(m), what_if, extra, left_out)


# -- credit checks -------------------------------------------------------------
def parse_anomalies(text: str | int | None) -> int:
    if text is None:
        return 0
    try:
        value = int(str(text).strip())
    except ValueError:
        raise BadInput(_("the number of anomalies must be a whole number, got {value!r}").format(value=str(text))) from None
    if not 0 <= value <= 1000:
        raise BadInput(_("the number of anomalies must be between 0 and 1000"))
    return value


def log_credit_check(
    store: Store,
    today: dt.date,
    *,
    date: str | None,
    channel: str | None,
    findings: str | None,
    anomalies: str | None,
    follow_up: str | None = None,
) -> CreditCheck:
    when = parse_date(date, _("date")) if date is not None else today
    if when > today:
        raise BadInput(_("a credit check cannot be dated in the future ({date})").format(date=when.isoformat()))
    check = CreditCheck(
        when,
        clean_text(channel, _("channel")),
        clean_text(findings, _("findings"), limit=4000),
        parse_anomalies(anomalies),
        clean_text(follow_up, _("follow-up"), limit=4000),
    )
    return store.add_credit_check(check)


def edit_credit_check(
    store: Store,
    check_id: int,
    today: dt.date,
    *,
    date: str | None = None,
    channel: str | None = None,
    findings: str | None = None,
    anomalies: str | None = None,
    follow_up: str | None = None,
) -> CreditCheck:
    check = store.get_credit_check(check_id)
    if all(v is None for v in (date, channel, findings, anomalies, follow_up)):
        raise BadInput(_("nothing to change: give --date, --channel, --findings, --anomalies or --follow-up"))
    when = parse_date(date, _("date")) if date is not None else check.date
    if when > today:
        raise BadInput(_("a credit check cannot be dated in the future ({date})").format(date=when.isoformat()))
    return store.update_credit_check(
        CreditCheck(
            when,
            clean_text(channel, _("channel")) if channel is not None else check.channel,
            clean_text(findings, _("findings"), limit=4000) if findings is not None else check.findings,
            parse_anomalies(anomalies) if anomalies is not None else check.anomalies,
            clean_text(follow_up, _("follow-up"), limit=4000) if follow_up is not None else check.follow_up,
            check.id,
        )
    )


def list_credit_checks(store: Store) -> list[CreditCheck]:
    return store.credit_checks()


def get_credit_check(store: Store, check_id: int) -> CreditCheck:
    return store.get_credit_check(check_id)


def check_plan(store: Store, today: dt.date) -> CreditCheckPlan:
    return credit_check_plan(store.credit_checks(), today, current_settings(store).credit_check_rule)


# -- audit ---------------------------------------------------------------------
def audit_items(store: Store) -> list[AuditItem]:
    """The checklist, created from the built-in templates on first use."""
    items = store.audit_items()
    if not items:
        store.add_audit_items(audit_rules.built_in_items())
        items = store.audit_items()
    return items


def audit_interval(store: Store) -> int:
    return current_settings(store).audit_interval_days


def audit_add(store: Store, app: str, permission: str, instruction: str | None) -> AuditItem:
    audit_items(store)
    item = AuditItem(
        clean_text(app, _("app"), required=True),
        clean_text(permission, _("permission"), required=True),
        clean_text(instruction, _("instruction"), limit=2000),
    )
    store.add_audit_items([item])
    return store.audit_items()[-1]


def audit_done(store: Store, item_id: int, today: dt.date, date: str | None = None) -> AuditItem:
    audit_items(store)
    item = store.get_audit_item(item_id)
    when = parse_date(date, _("date")) if date is not None else today
    if when > today:
        raise BadInput(_("an audit item cannot be done in the future ({date})").format(date=when.isoformat()))
    return store.update_audit_item(replace(item, status="done", last_done=when))


def audit_skip(store: Store, item_id: int) -> AuditItem:
    audit_items(store)
    item = store.get_audit_item(item_id)
    return store.update_audit_item(replace(item, status="skipped"))


def delete_credit_check(store: Store, check_id: int) -> None:
    store.delete_credit_check(check_id)


def audit_undo(store: Store, item_id: int) -> AuditItem:
    """Untick one item ticked or skipped by mistake: it is open again."""
    audit_items(store)
    item = store.get_audit_item(item_id)
    if item.status == "open":
        raise Refused(_("audit item {id} is not ticked or skipped; nothing to undo").format(id=item_id))
    return store.update_audit_item(replace(item, status="open", last_done=None))


def audit_reset(store: Store) -> int:
    items = audit_items(store)
    store.reset_audit()
    return len(items)


# -- reminders -----------------------------------------------------------------
def due_reminders(store: Store, today: dt.date, within_days: int = 7) -> list[Reminder]:
    if not 0 <= within_days <= 3660:
        raise BadInput(_("the number of days must be between 0 and 3660"))
    settings = current_settings(store)
    from ..reads import loan_dues

    horizon = today + dt.timedelta(days=within_days)
    read = loan_dues(store, store.loans(), today, horizon)
    if read is None:
        states, dues = loan_states(store, today, include_closed=False), []
    else:
        dues, others = read
        states = [evaluate(loan, store.repayments(loan.id or 0), today) for loan in others]
    # the checklist is created on first use, so a new user is reminded of it too
    return reminders(
        states,
        store.credit_checks(),
        audit_items(store),
        today,
        within_days=within_days,
        check_rule=settings.credit_check_rule,
        audit_interval_days=settings.audit_interval_days,
        dues=dues,
    )
