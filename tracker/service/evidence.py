"""Evidence use cases: files copied in with their SHA-256 (all or none), verified, removed (what they were is kept),
their notes, and an export for a complaint (the files, manifest.json and the timeline, numbers masked)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import BadInput, Refused
from ..evidence import CHUNK, is_plain_name, private_folder, sha256_of, stored_path, timeline_html, timeline_markdown
from ..i18n import N_, _
from ..inputs import clean_text
from ..models import Contact, Evidence
from ..safe_text import mask_numbers
from ..store import Store

MAX_FILE_BYTES = 200 * 1024 * 1024


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


def list_evidence(store: Store, contact_id: int | None = None) -> list[Evidence]:
    """The evidence files stored (one contact's with ``contact_id``)."""
    return store.evidence(contact_id)


def removed_evidence(store: Store) -> list[dict[str, object]]:
    """The files removed: what each was (name, size, SHA-256) and when it was added and removed."""
    return store.removed_evidence()


def get_evidence(store: Store, evidence_id: int) -> Evidence:
    return store.get_evidence(evidence_id)


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
    from ..backup import new_zip

    with new_zip(out) as zf:
        for f in data["files"]:
            zf.write(stored_path(folder, Path(f["path"]).name), f["path"])
        zf.writestr("manifest.json", json.dumps(data, ensure_ascii=False, indent=2))
        zf.writestr("timeline.md", timeline_markdown(data))
        zf.writestr("timeline.html", timeline_html(data))
    return data
