"""Backups that hold everything, and a restore that cannot lose anything.

A backup is one zip archive: the database (SQLite's online backup, consistent while the app
is open), every evidence file, and ``manifest.json`` with the SHA-256 and size of each part
and the app's version. A restore checks every part before touching anything, works on a
private copy (the backup file is never changed), keeps the current database as a safety copy
under a name no other restore uses, and replaces the data inside one write transaction on the
live database: a writer that comes meanwhile waits, then writes to the restored data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from msgspec import Struct

from . import __version__
from .errors import BadInput, Refused, StoreError
from .evidence import sha256_of, stored_path
from .files import private_file
from .i18n import _
from .store import Store

FORMAT = "debt-tracker-backup"
VERSION = 1
DB_PART = "debt.db"
CHUNK = 1 << 20
MAX_PARTS = 100_000


class BackupResult(Struct, frozen=True):
    path: Path
    parts: int
    evidence: int
    missing: tuple[str, ...]  # evidence files the database lists but the folder no longer has


class RestoreResult(Struct, frozen=True):
    safety_copy: Path | None
    evidence: int


@contextlib.contextmanager
def new_zip(target: Path) -> Iterator[zipfile.ZipFile]:
    """A zip written privately (0600) and renamed into place only when complete (see files.private_file)."""
    with private_file(target) as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        yield archive


def _private_temp_dir(near: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=".debt-", dir=near))  # 0700 by mkdtemp


def write_backup(store: Store, evidence_folder: Path, target: Path, now: dt.datetime) -> BackupResult:
    """Write the archive to ``target`` (created 0600, renamed into place only when complete)."""
    work = _private_temp_dir(target.parent)
    try:
        db_copy = work / DB_PART
        store.backup_to(db_copy)
        parts = [(DB_PART, db_copy)]
        missing = []
        evidence = 0
        for item in store.evidence():
            path = stored_path(evidence_folder, item.stored_name)
            if path.is_file():
                parts.append((f"evidence/{item.stored_name}", path))
                evidence += 1
            else:
                missing.append(item.stored_name)
        entries = []
        for name, path in parts:
            digest, size = sha256_of(path)
            entries.append({"path": name, "sha256": digest, "size": size})
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "app_version": __version__,
            "created_at": now.isoformat(timespec="seconds"),
            "parts": entries,
            "missing_evidence": missing,
        }
        with new_zip(target) as archive:
            for name, path in parts:
                archive.write(path, name)
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(target, len(parts), evidence, tuple(missing))


def _safe_part(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        return False
    return name == DB_PART or (len(path.parts) == 2 and path.parts[0] == "evidence" and path.parts[1] not in ("", ".", ".."))


def _label(part: str) -> str:
    """A part as the user knows it: the database, or an evidence file by its own name (stored as time-hash-name)."""
    if part == DB_PART:
        return _("the database")
    stored = PurePosixPath(part).name
    return _("evidence file {name}").format(name=stored.split("-", 3)[-1] if stored.count("-") >= 3 else stored)


def _unpack(source: Path, work: Path) -> tuple[Path, list[tuple[str, Path]]]:
    """Check every part of an archive against its manifest and copy it to ``work``; the database and evidence files."""
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise Refused(_("{path} is not a debt-tracker backup").format(path=source)) from None
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError):
            raise Refused(_("{path} has no readable manifest: it is not a debt-tracker backup").format(path=source)) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise Refused(_("{path} is not a debt-tracker backup").format(path=source))
        if manifest.get("version") != VERSION:
            raise Refused(
                _("{path} is a backup of version {v}; this program reads version {mine}").format(
                    path=source, v=manifest.get("version"), mine=VERSION
                )
            )
        parts = manifest.get("parts")
        if not isinstance(parts, list) or not 0 < len(parts) <= MAX_PARTS:
            raise Refused(_("{path}: the manifest lists no parts").format(path=source))
        names = set()
        evidence: list[tuple[str, Path]] = []
        db_path = None
        for part in parts:
            name = part.get("path") if isinstance(part, dict) else None
            if not isinstance(name, str) or not _safe_part(name) or name in names:
                raise Refused(_("{path}: the manifest lists an unsafe or repeated part {part!r}").format(path=source, part=name))
            names.add(name)
            try:
                info = archive.getinfo(name)
            except KeyError:
                raise Refused(_("the backup is damaged: {part} is missing").format(part=_label(name))) from None
            if info.file_size != part.get("size"):
                raise Refused(_("the backup is damaged: {part} does not have its recorded size").format(part=_label(name)))
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            digest = hashlib.sha256()
            with archive.open(info) as src, target.open("wb") as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != part.get("sha256"):
                raise Refused(_("the backup is damaged: {part} does not match its recorded SHA-256").format(part=_label(name)))
            if name == DB_PART:
                db_path = target
            else:
                evidence.append((PurePosixPath(name).name, target))
        if db_path is None:
            raise Refused(_("the backup is damaged: {part} is missing").format(part=DB_PART))
    return db_path, evidence


def _unique_safety_name(target: Path, stamp: str) -> Path:
    """A name no other restore has used: the copy is never overwritten (created exclusively)."""
    for n in range(1, 10_000):
        name = f"{target.name}.{stamp}.bak" if n == 1 else f"{target.name}.{stamp}-{n}.bak"
        candidate = target.with_name(name)
        try:
            fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise Refused(_("too many safety copies beside {path}").format(path=target))


def _tables(conn: sqlite3.Connection, schema: str) -> list[str]:
    rows = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(r[0] for r in rows)


def restore(target: Path, source: Path, evidence_folder: Path, stamp: str) -> RestoreResult:
    """Replace the data at ``target`` with the backup at ``source``; see the module's docstring."""
    if not source.is_file():
        raise BadInput(_("no such file: {path}").format(path=source))
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    work = _private_temp_dir(target.parent)
    try:
        if zipfile.is_zipfile(source):
            staged, evidence = _unpack(source, work)
        else:  # a plain database file from an older `debt backup`
            with source.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":  # a cut or damaged zip, or no backup at all: named as given
                    raise Refused(_("{path} is not a debt-tracker backup, or it is damaged").format(path=source))
            staged, evidence = work / DB_PART, []
            shutil.copyfile(source, staged)  # the backup itself is never opened for writing
        try:  # refuses files that are not ours or too new; migrates the copy
            candidate = Store.open(staged, create=False)
        except StoreError as exc:  # said of the file the user gave, not of the private copy
            raise StoreError(exc.message.replace(str(staged), str(source))) from None
        try:
            problems = candidate.integrity_problems()
        finally:
            candidate.close()
        if problems:
            raise Refused(_("{path} fails the integrity check: {problem}").format(path=source, problem=problems[0]))
        existed = target.exists()
        live = Store.open(target)
        kept = None
        try:
            conn = live.conn
            conn.execute("PRAGMA foreign_keys = OFF")  # the whole content is replaced; checked below
            conn.execute("ATTACH DATABASE ? AS restored", [str(staged)])
            try:
                with live.write():  # writers wait from here on, then write to the restored data
                    if existed:
                        # a second connection reads the data as it stands under this lock (WAL: readers are not blocked)
                        kept = _unique_safety_name(target, stamp)
                        reader = Store.open(target)
                        try:
                            reader.backup_to(kept)
                        finally:
                            reader.close()
                    mine, theirs = _tables(conn, "main"), _tables(conn, "restored")
                    if mine != theirs:
                        raise StoreError(_("{path} has a different set of tables").format(path=source))
                    for table in mine:
                        cols = ", ".join(f'"{r[1]}"' for r in conn.execute(f'PRAGMA main.table_info("{table}")'))
                        conn.execute(f'DELETE FROM main."{table}"')
                        conn.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM restored."{table}"')
                    if conn.execute("PRAGMA main.foreign_key_check").fetchone() is not None:
                        raise Refused(_("{path}: its records point to missing records").format(path=source))
            except BaseException:
                if kept is not None:
                    kept.unlink(missing_ok=True)  # nothing was restored: no safety copy either
                raise
            finally:
                conn.execute("DETACH DATABASE restored")
                conn.execute("PRAGMA foreign_keys = ON")
        finally:
            live.close()
        restored = 0
        if evidence:
            evidence_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(evidence_folder, 0o700)
            for name, path in evidence:
                dest = stored_path(evidence_folder, name)
                # a file missing, or one changed since the backup (its part was checked against the manifest): the
                # backup's copy, written beside it and renamed into place
                if not dest.exists() or sha256_of(dest) != sha256_of(path):
                    part = dest.with_name(f".{dest.name}.restore")
                    shutil.copyfile(path, part)
                    os.chmod(part, 0o600)
                    part.replace(dest)
                restored += 1
        return RestoreResult(kept, restored)
    finally:
        shutil.rmtree(work, ignore_errors=True)
