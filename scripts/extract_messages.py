"""Collect every translatable string (calls to _(), N_() and ngettext()) into the catalogs.

Run: python scripts/extract_messages.py
Writes tracker/locale/debt_tracker.pot and merges it into each language's .po, keeping
existing translations and marking new ids with an empty msgstr for the translator.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.i18n import LOCALE_DIR, SUPPORTED, parse_po, po_escape  # noqa: E402

SOURCES = [ROOT / "tracker", ROOT / "tui"]


def extract() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                # a CLI command's docstring is its help text, translated when the help is shown
                if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "command"
                    for d in node.decorator_list
                ):
                    doc = ast.get_docstring(node)
                    if doc:
                        found.setdefault(doc, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(node.args[0].value, []).append(where)
                # ngettext(singular, plural, n): both forms are messages (Chinese gives both one translation)
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "ngettext"
                    and len(node.args) >= 2
                    and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
                ):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    for arg in node.args[:2]:
                        found.setdefault(arg.value, []).append(where)
    return found


def write_po(path: Path, messages: dict[str, list[str]], translations: dict[str, str], lang: str | None) -> None:
    lines = [
        "# debt-tracker messages" + (f" ({lang})" if lang else " (template)"),
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {lang or ""}\\n"',
        "",
    ]
    for msgid in sorted(messages):
        lines.append("#: " + " ".join(messages[msgid][:3]))
        lines.append(f'msgid "{po_escape(msgid)}"')
        lines.append(f'msgstr "{po_escape(translations.get(msgid, "") if lang else "")}"')
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    messages = extract()
    write_po(LOCALE_DIR / "debt_tracker.pot", messages, {}, None)
    for lang in SUPPORTED:
        if lang == "en":
            continue
        po = LOCALE_DIR / lang / "LC_MESSAGES" / "debt_tracker.po"
        existing = parse_po(po.read_text(encoding="utf-8")) if po.exists() else {}
        write_po(po, messages, existing, lang)
        missing = [m for m in messages if not existing.get(m)]
        print(f"{lang}: {len(messages)} messages, {len(missing)} without a translation")


if __name__ == "__main__":
    main()
