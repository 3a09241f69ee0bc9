"""The one translation function for every user-facing string (gettext style).

Catalogs live in ``tracker/locale/<lang>/LC_MESSAGES/debt_tracker.mo``; until a
catalog exists for a language, the English message ids are shown.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "debt_tracker"
LOCALE_DIR = Path(__file__).parent / "locale"
SUPPORTED = ("en", "zh")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language_from_env(environ: dict[str, str] | None = None) -> str:
    """Pick a supported language from LC_ALL / LC_MESSAGES / LANG (default English)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Switch the active catalog; unknown languages fall back to English."""
    global _translation, _language
    _language = lang if lang in SUPPORTED else "en"
    _translation = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[_language], fallback=True)


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated at use)."""
    return message


set_language(language_from_env())
