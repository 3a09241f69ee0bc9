"""User settings: known keys, their shipped defaults, and validation of new values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .errors import BadInput
from .i18n import N_, _
from .money import parse_percent


@dataclass(frozen=True)
class Setting:
    key: str
    default: str
    help: str
    parse: Callable[[str], str]


def _percent(what: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        return str(parse_percent(value, what, allow_zero=False, maximum=Decimal(100)))

    return parse


SETTINGS = {
    s.key: s
    for s in (
        Setting(
            "lpr",
            "3.0",
            N_("one-year Loan Prime Rate in percent (3.0 since 2025-05-20); the private-lending line is 4x this"),
            _percent("lpr"),
        ),
    )
}


def get_setting(key: str) -> Setting:
    if key not in SETTINGS:
        raise BadInput(_("unknown setting {key!r}; known: {keys}").format(key=key, keys=", ".join(sorted(SETTINGS))))
    return SETTINGS[key]


def effective(stored: dict[str, str]) -> dict[str, str]:
    """Every known setting: the stored value or its default."""
    return {key: stored.get(key, s.default) for key, s in SETTINGS.items()}
