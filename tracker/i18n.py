"""The one translation function for every user-facing string (gettext style).

Catalogs are standard gettext ``.po`` files in ``tracker/locale/<lang>/LC_MESSAGES/``,
read directly at start-up (no compile step, so a fresh install needs no build tool);
a missing or empty translation falls back to the English message id.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
import re
from collections.abc import Iterator
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


def language_from_argv(argv: list[str]) -> str | None:
    """--lang en|zh anywhere on the command line (read before the commands' help is built)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class PoTranslations(gettext.NullTranslations):
    """gettext translations read from a .po file's msgid/msgstr pairs."""

    def __init__(self, catalog: dict[str, str]) -> None:
        super().__init__()
        self._catalog = catalog

    def gettext(self, message: str) -> str:
        return self._catalog.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def po_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    if "\\" not in body:
        return body
    return _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr from a .po file (single forms; continuation lines joined)."""
    catalog: dict[str, str] = {}
    msgid: str | None = None
    msgstr: str | None = None
    target = None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if line.startswith("msgid "):
            if msgid is not None and msgstr is not None:
                catalog[msgid] = msgstr
            msgid, msgstr, target = _unquote(line[6:]), None, "id"
        elif line.startswith("msgstr "):
            msgstr, target = _unquote(line[7:]), "str"
        elif line.startswith('"') and target == "id" and msgid is not None:
            msgid += _unquote(line)
        elif line.startswith('"') and target == "str" and msgstr is not None:
            msgstr += _unquote(line)
    if msgid is not None and msgstr is not None:
        catalog[msgid] = msgstr
    catalog.pop("", None)
    return catalog


def load_catalog(lang: str) -> dict[str, str]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    return parse_po(path.read_text(encoding="utf-8"))


def set_language(lang: str) -> None:
    """Switch the active catalog; unknown languages fall back to English."""
    global _translation, _language
    _language = lang if lang in SUPPORTED else "en"
    _translation = PoTranslations(load_catalog(_language)) if _language != "en" else gettext.NullTranslations()


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def translate_all(message: str) -> set[str]:
    """A message in every supported language (to recognise a text stored in whichever was active)."""
    out = {message}
    for lang in SUPPORTED:
        if lang != "en":
            out.add(_catalog(lang).get(message) or message)
    return out


@functools.cache
def _catalog(lang: str) -> dict[str, str]:
    return load_catalog(lang)


@contextlib.contextmanager
def message_ids() -> Iterator[None]:
    """Inside, `_` gives each message id unchanged: for text built once (command-line help) and translated when shown."""
    global _translation
    active = _translation
    _translation = gettext.NullTranslations()
    try:
        yield
    finally:
        _translation = active


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated at use)."""
    return message


set_language(language_from_env())
