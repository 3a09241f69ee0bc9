"""One value read straight from a database file, without opening it as a store: part of the store
layer, kept apart so that choosing the language before ``debt --help`` does not load the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def read_setting(path: Path, key: str) -> str | None:
    """One setting read straight from the file, read-only, without opening it as a store (no migration, no waiting on a lock).

    For the language, chosen before a command runs; None when the file, the table or the value is missing or unreadable.
    """
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row and row[0] else None
