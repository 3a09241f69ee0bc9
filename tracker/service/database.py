"""The database file as the faces meet it: opened for one piece of work, and a failure of the file itself
(locked past the timeout, disk full, damaged, not ours) told in one line. A face never opens SQLite itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..store import FILE_ERRORS as FILE_ERRORS  # for the faces: a failure of the file itself
from ..store import Store
from ..store import file_error_text as file_error_text


def open_store(path: Path, today: dt.date, *, create: bool = True, make_folder: bool = False) -> Store:
    """The database at ``path`` for one piece of work (a face never opens SQLite itself). Without ``create`` a
    missing file is an empty in-memory view; ``make_folder`` creates a missing folder (see Store.open)."""
    return Store.open(path, create=create, make_folder=make_folder, today=today)
