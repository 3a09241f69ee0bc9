"""Evidence files: copied into a private folder, hashed, verified, and exported for a complaint."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
from pathlib import Path
from typing import Any

from .errors import BadInput, Refused, StoreError
from .i18n import N_, _
from .inputs import clean_text
from .models import Contact, Evidence
from .safe_text import mask_numbers, visible
from .store import Store

CHUNK = 1 << 16
MAX_FILE_BYTES = 200 * 1024 * 1024


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


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._") or "file"
    return stem[-80:]


def add_files(
    store: Store, folder: Path, paths: list[Path], now: dt.datetime, *, contact_id: int | None = None, note: str = ""
) -> list[Evidence]:
    """Copy every file in, or none: each is checked before anything is written."""
    if not paths:
        raise BadInput(_("give at least one file"))
    for path in paths:
        if not path.is_file():
            raise BadInput(_("not a readable file: {path}").format(path=path))
        if not os.access(path, os.R_OK):
            raise BadInput(_("cannot read {path}").format(path=path))
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadInput(_("{path} is larger than 200 MB").format(path=path))
    if contact_id is not None:
        store.get_contact(contact_id)
    private_folder(folder)
    written: list[Path] = []
    saved: list[Evidence] = []
    try:
        with store.write():
            for path in paths:
                digest, size = sha256_of(path)
                stored = f"{now:%Y%m%d-%H%M%S}-{digest[:12]}-{_safe_name(path.name)}"
                target = folder / stored
                if target.exists():
                    raise Refused(_("{path} is already stored as evidence").format(path=path))
                tmp = target.with_name(target.name + ".part")
                fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
                written.append(tmp)
                check = hashlib.sha256()
                with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
                    while chunk := src.read(CHUNK):
                        check.update(chunk)
                        dst.write(chunk)
                    dst.flush()
                    os.fsync(dst.fileno())
                if check.hexdigest() != digest:
                    raise Refused(_("{path} changed while it was being copied; try again").format(path=path))
                tmp.replace(target)
                written.append(target)
                saved.append(store.add_evidence(Evidence(path.name, stored, size, digest, now, contact_id, note)))
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return saved


PROBLEMS = {
    "missing": N_("missing"),
    "altered": N_("altered"),
    "unsafe name": N_("its stored name points outside the evidence folder"),
}


def verify(store: Store, folder: Path) -> list[tuple[Evidence, str]]:
    """Every stored file that is missing or no longer matches its recorded hash."""
    problems = []
    for item in store.evidence():
        if not is_plain_name(item.stored_name):
            problems.append((item, "unsafe name"))
            continue
        path = stored_path(folder, item.stored_name)
        if not path.is_file():
            problems.append((item, "missing"))
            continue
        digest, size = sha256_of(path)
        if digest != item.sha256 or size != item.size:
            problems.append((item, "altered"))
    return problems


def remove(store: Store, folder: Path, evidence_id: int, now: dt.datetime) -> Evidence:
    """Delete the stored copy; what it was (name, SHA-256, size) stays in the list of removed files."""
    item = store.get_evidence(evidence_id)
    path = stored_path(folder, item.stored_name)  # a name leading out of the folder deletes nothing
    with store.write():
        store.delete_evidence(evidence_id, now)
        path.unlink(missing_ok=True)
    return item


def edit_note(store: Store, evidence_id: int, note: str) -> Evidence:
    return store.set_evidence_note(evidence_id, clean_text(note, _("note"), limit=2000))


def _flags(contact: Contact) -> list[dict[str, Any]]:
    try:
        value = json.loads(contact.flags or "[]")
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []


def manifest(store: Store, contact_id: int | None, now: dt.datetime) -> dict[str, Any]:
    contacts = [c for c in store.contacts() if contact_id is None or c.id == contact_id]
    if contact_id is not None and not contacts:
        store.get_contact(contact_id)
    items = store.evidence(contact_id)
    loans = {loan.id: loan.name for loan in store.loans()}
    return {
        "exported_at": now.isoformat(timespec="seconds"),
        "contacts": [
            {
                "id": c.id,
                "channel": c.channel,
                "from": c.sender,
                "about_loan": loans.get(c.about_loan_id) if c.about_loan_id else None,
                "about_person": c.about_person or None,
                "when": c.happened_at.isoformat(timespec="seconds"),
                "summary": c.summary,
                "message": c.message,
                "verdict": c.verdict,
                "flags": [f.get("code") for f in _flags(c)],
            }
            for c in contacts
        ],
        "files": [
            {
                "id": e.id,
                "name": e.original_name,
                "path": f"files/{e.stored_name}",
                "size": e.size,
                "sha256": e.sha256,
                "added_at": e.added_at.isoformat(timespec="seconds"),
                "contact_id": e.contact_id,
                "note": e.note,
            }
            for e in items
        ],
        "removed": [r for r in store.removed_evidence() if contact_id is None or r["contact_id"] == contact_id],
    }


def timeline_markdown(data: dict[str, Any]) -> str:
    """The timeline to read: text from outside is shown, never obeyed (see safe_text)."""
    return visible(_timeline_markdown(data), multiline=True)


def _verdict(code: str) -> str:
    from .present import VERDICT_LABELS

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


def export_zip(
    store: Store, folder: Path, out: Path, now: dt.datetime, contact_id: int | None = None, *, reveal: bool = False
) -> dict[str, Any]:
    """The files, manifest.json and a readable timeline (Markdown and HTML), fit to attach to a complaint.

    Card and ID numbers in the messages are masked to their first and last four unless ``reveal``
    (the files themselves are copied as they are: they are the evidence).
    """
    data = manifest(store, contact_id, now)
    if not reveal:
        for c in data["contacts"]:
            for key in ("from", "summary", "message"):
                if isinstance(c.get(key), str):
                    c[key] = mask_numbers(c[key])
    wanted = {f["id"] for f in data["files"]}
    bad = [item.original_name for item, _problem in verify(store, folder) if item.id in wanted]
    if bad:
        raise Refused(
            _("evidence files are missing or altered: {names}; run 'debt evidence verify'").format(names=", ".join(bad))
        )
    from .backup import new_zip

    with new_zip(out) as zf:
        for f in data["files"]:
            zf.write(stored_path(folder, Path(f["path"]).name), f["path"])
        zf.writestr("manifest.json", json.dumps(data, ensure_ascii=False, indent=2))
        zf.writestr("timeline.md", timeline_markdown(data))
        zf.writestr("timeline.html", timeline_html(data))
    return data
