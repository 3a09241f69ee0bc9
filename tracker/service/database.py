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


class ChangeWatch:
    """Whether the database file may have changed since an earlier moment, for a face that would rather not
    read again what it already shows. It keeps one connection open while it lives (SQLite counts the commits
    of others per connection) and is used from the thread that made it; it never writes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._store: Store | None = None
        self._opened = 0  # a token of a closed connection must never equal one of the next

    def token(self) -> tuple[int, int, int] | None:
        """Equal to an earlier token only if nothing has written the file in between; None when it cannot
        tell (no file yet, the file busy or unreadable): then read again."""
        try:
            if self._store is None:
                self._store = Store.watching(self.path)
                self._opened += 1
            return (self._opened, *self._store.data_token())
        except FILE_ERRORS:
            self.close()
            return None

    def close(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            store.close()
