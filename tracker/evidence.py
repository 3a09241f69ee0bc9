"""Evidence files on disk (pure of the store): the private folder, a file's SHA-256, where a stored name lives
(never outside the folder), and the readable timeline (Markdown and HTML) an export for a complaint holds."""

from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path
from typing import Any

from .errors import StoreError
from .i18n import _
from .safe_text import visible

CHUNK = 1 << 16


def private_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def stored_path(folder: Path, stored_name: str) -> Path:
    """Where an evidence file lives: a plain name inside ``folder``, never a path out of it.

    The name comes from the database, which may have been tampered with: ``../victim.txt``
    or an absolute path is refused, so nothing outside the folder is read or deleted.
    """
    if not is_plain_name(stored_name):
        raise StoreError(
            _("an evidence record names the file {name!r}, which is not a plain name inside the evidence folder").format(
                name=stored_name[:60]
            )
        )
    path = folder / stored_name
    if path.parent.resolve() != folder.resolve():
        raise StoreError(_("the evidence file {name!r} is not inside the evidence folder").format(name=stored_name[:60]))
    return path


def is_plain_name(name: str) -> bool:
    return bool(name) and not any(ch in name for ch in "/\\\x00") and not name.startswith(".") and len(name) <= 255


def timeline_markdown(data: dict[str, Any]) -> str:
    """The timeline to read: text from outside is shown, never obeyed (see safe_text)."""
    return visible(_timeline_markdown(data), multiline=True)


def _verdict(code: str) -> str:
    from .present.messages import VERDICT_LABELS

    return _(VERDICT_LABELS[code]) if code in VERDICT_LABELS else code


def _flag_titles(codes: list[str]) -> str:
    """The flags by their titles in the reader's language (the manifest keeps the codes)."""
    from .triage import TITLES

    return _(", ").join(_(TITLES[c]) if c in TITLES else c for c in codes) if codes else "-"


def _timeline_markdown(data: dict[str, Any]) -> str:
    lines = ["# " + _("Collection contacts and evidence"), "", _("Exported {when}.").format(when=data["exported_at"]), ""]
    files_by_contact: dict[Any, list[dict[str, Any]]] = {}
    for f in data["files"]:
        files_by_contact.setdefault(f["contact_id"], []).append(f)
    for c in data["contacts"]:
        about = c["about_loan"] or c["about_person"] or ""
        lines.append(f"## {c['when']} · {c['channel']} · {c['from']}" + (f" · {about}" if about else ""))
        if c["summary"]:
            lines.append("")
            lines.append(c["summary"])
        if c["message"]:
            lines += ["", "> " + c["message"].replace("\n", "\n> ")]
        if c["verdict"]:
            lines += [
                "",
                _("Verdict: {verdict}; flags: {flags}").format(verdict=_verdict(c["verdict"]), flags=_flag_titles(c["flags"])),
            ]
        for f in files_by_contact.get(c["id"], []):
            note = f" — {f['note']}" if f["note"] else ""
            lines.append(f"- {f['name']} ({f['size']} bytes, sha256 {f['sha256']}){note}")
        lines.append("")
    loose = files_by_contact.get(None, [])
    if loose:
        lines += ["## " + _("Other evidence"), ""]
        lines += [f"- {f['name']} ({f['size']} bytes, sha256 {f['sha256']}, {f['added_at']})" for f in loose]
    return "\n".join(lines) + "\n"


def timeline_html(data: dict[str, Any]) -> str:
    def esc(text: str) -> str:
        return html.escape(visible(text, multiline=True))

    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>" + esc(_("Collection contacts and evidence")) + "</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}blockquote{border-left:3px solid #999;"
        "margin:0;padding-left:1em;white-space:pre-wrap}code{font-size:85%}</style></head><body>",
        f"<h1>{esc(_('Collection contacts and evidence'))}</h1><p>{esc(_('Exported {when}.').format(when=data['exported_at']))}</p>",
    ]
    files_by_contact: dict[Any, list[dict[str, Any]]] = {}
    for f in data["files"]:
        files_by_contact.setdefault(f["contact_id"], []).append(f)

    def file_list(files: list[dict[str, Any]]) -> str:
        items = "".join(
            f"<li><a href='{esc(f['path'])}'>{esc(f['name'])}</a> ({f['size']} bytes, sha256 <code>{f['sha256']}</code>)</li>"
            for f in files
        )
        return f"<ul>{items}</ul>" if items else ""

    for c in data["contacts"]:
        about = c["about_loan"] or c["about_person"] or ""
        parts.append(f"<h2>{esc(c['when'])} · {esc(c['channel'])} · {esc(c['from'])}{' · ' + esc(about) if about else ''}</h2>")
        if c["summary"]:
            parts.append(f"<p>{esc(c['summary'])}</p>")
        if c["message"]:
            parts.append(f"<blockquote>{esc(c['message'])}</blockquote>")
        if c["verdict"]:
            parts.append(
                f"<p>{esc(_('Verdict: {verdict}; flags: {flags}').format(verdict=_verdict(c['verdict']), flags=_flag_titles(c['flags'])))}</p>"
            )
        parts.append(file_list(files_by_contact.get(c["id"], [])))
    loose = files_by_contact.get(None, [])
    if loose:
        parts.append(f"<h2>{esc(_('Other evidence'))}</h2>" + file_list(loose))
    parts.append("</body></html>")
    return "\n".join(parts)
