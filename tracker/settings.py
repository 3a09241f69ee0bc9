"""User settings: known keys, their shipped defaults, and validation of new values."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from msgspec import Struct

from .audit import DEFAULT_INTERVAL_DAYS
from .dti import DEFAULT_CAUTION, DEFAULT_WARN
from .errors import BadInput
from .i18n import N_, _
from .reminders import DEFAULT_CHECK_RULE


class Setting(Struct, frozen=True):
    """A setting's key, default, help and the check that reads a value typed for it."""

    key: str
    default: str
    help: str
    parse: Callable[[str], str]


def _fraction(what: str) -> Callable[[str], str]:
    """A ratio as a fraction ("0.5") or a percent ("50", "50%"), stored as the fraction; above 0, at most 1."""

    def parse(value: str) -> str:
        from .money import parse_percent

        wrong = _("{what} must be a ratio such as 0.5, 50 or 50%, got {value!r}").format(what=what, value=value)
        raw = value.strip()
        try:
            number = parse_percent(raw, what)  # strict: digits and one point, "%" allowed
        except BadInput:
            raise BadInput(wrong) from None
        if raw.endswith("%") or number > 1:
            number = number / 100
        if not 0 < number <= 1:
            raise BadInput(wrong)
        return str(number.normalize()) if number != number.to_integral() else str(int(number))

    return parse


def _days(value: str) -> str:
    try:
        days = int(value.strip())
    except ValueError:
        raise BadInput(_("audit.interval_days must be a whole number of days, got {value!r}").format(value=value)) from None
    if not 1 <= days <= 3660:
        raise BadInput(_("audit.interval_days must be between 1 and 3660"))
    return str(days)


def _rule(value: str) -> str:
    """An RRULE for the credit-check reminder: at most monthly, and at least once a year."""
    import datetime as dt

    from dateutil.rrule import MONTHLY, YEARLY, rrule, rrulestr

    try:
        rule = rrulestr(value.strip(), dtstart=dt.datetime(2026, 1, 1))
    except (ValueError, TypeError):
        raise BadInput(
            _("credit_check.rule must be an iCalendar RRULE such as {example}, got {value!r}").format(
                example=DEFAULT_CHECK_RULE, value=value
            )
        ) from None
    if not isinstance(rule, rrule) or rule._freq not in (YEARLY, MONTHLY):
        raise BadInput(_("credit_check.rule may remind at most monthly (FREQ=YEARLY or FREQ=MONTHLY)"))
    year = rule.between(dt.datetime(2026, 1, 1), dt.datetime(2030, 1, 1), inc=True)
    if not year or len(year) > 12 * 4:
        raise BadInput(_("credit_check.rule must remind between once a year and once a month"))
    return value.strip()


def _language_or_empty(value: str) -> str:
    return _language(value) if value.strip() else ""


def _language(value: str) -> str:
    lang = value.strip().lower()
    if lang not in ("en", "zh"):
        raise BadInput(_("language must be en or zh, got {value!r}").format(value=value))
    return lang


SETTINGS = {
    s.key: s
    for s in (
        Setting(
            "dti.caution",
            str(DEFAULT_CAUTION),
            N_("debt-to-income ratio above which the status is 'caution'"),
            _fraction("dti.caution"),
        ),
        Setting(
            "dti.warn",
            str(DEFAULT_WARN),
            N_("debt-to-income ratio above which the status is 'warning' (keep payments within half of income)"),
            _fraction("dti.warn"),
        ),
        Setting(
            "credit_check.rule",
            DEFAULT_CHECK_RULE,
            N_("when to remind of the free credit-report checks (iCalendar RRULE)"),
            _rule,
        ),
        Setting(
            "language", "", N_("interface language: en or zh (empty: follow --lang, then LC_ALL / LANG)"), _language_or_empty
        ),
        Setting("audit.interval_days", str(DEFAULT_INTERVAL_DAYS), N_("days after which a done audit item is due again"), _days),
    )
}


def get_setting(key: str) -> Setting:
    if key == "lpr":
        raise BadInput(_("the LPR is a dated table, not a setting: see 'debt lpr list' and 'debt lpr add'"))
    if key not in SETTINGS:
        raise BadInput(_("unknown setting {key!r}; known: {keys}").format(key=key, keys=", ".join(sorted(SETTINGS))))
    return SETTINGS[key]


def effective(stored: dict[str, str]) -> dict[str, str]:
    """Every known setting: the stored value or its default."""
    return {key: stored.get(key, s.default) for key, s in SETTINGS.items()}


class Settings(Struct, frozen=True):
    """The settings in force, typed; each default is the engine's own constant."""

    dti_caution: Decimal = DEFAULT_CAUTION
    dti_warn: Decimal = DEFAULT_WARN
    credit_check_rule: str = DEFAULT_CHECK_RULE
    language: str = ""
    audit_interval_days: int = DEFAULT_INTERVAL_DAYS

    @classmethod
    def of(cls, stored: dict[str, str]) -> Settings:
        """From the stored values (each checked when it was set); a missing one is its default."""
        values = effective(stored)
        return cls(
            dti_caution=Decimal(values["dti.caution"]),
            dti_warn=Decimal(values["dti.warn"]),
            credit_check_rule=values["credit_check.rule"],
            language=values["language"],
            audit_interval_days=int(values["audit.interval_days"]),
        )
