"""The language a database asks for, read before a command runs: straight from the file, without opening it as a
store (no migration, no waiting on a lock), so that choosing the language of `debt --help` loads neither."""

from __future__ import annotations

from pathlib import Path


def stored_language(path: Path) -> str | None:
    """The `language` setting of the database at ``path``; None when there is no file or no readable value."""
    if not path.is_file():  # no database yet: nothing to read, and no store to load for it
        return None
    from ..peek import read_setting

    return read_setting(path, "language")
