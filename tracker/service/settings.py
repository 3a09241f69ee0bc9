"""Settings: every one as text, the ones in force (what the use cases read), and a new value checked."""

from __future__ import annotations

from decimal import Decimal

from ..errors import BadInput
from ..i18n import _
from ..settings import Settings, effective, get_setting
from ..store import Store


def settings_view(store: Store) -> dict[str, str]:
    """Every setting as text, for listing them."""
    return effective(store.settings())


def current_settings(store: Store) -> Settings:
    """The settings in force, typed: what every use case reads."""
    return Settings.of(store.settings())


def set_setting(store: Store, key: str, value: str) -> str:
    setting = get_setting(key)
    clean = setting.parse(value)
    if key in ("dti.caution", "dti.warn"):
        current = effective(store.settings())
        caution = Decimal(clean if key == "dti.caution" else current["dti.caution"])
        warn = Decimal(clean if key == "dti.warn" else current["dti.warn"])
        if caution >= warn:
            raise BadInput(_("dti.caution ({caution}) must be below dti.warn ({warn})").format(caution=caution, warn=warn))
    store.set_setting(key, clean)
    return clean
