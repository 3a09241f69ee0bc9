"""Default data locations (platformdirs) and the --db / DEBT_TRACKER_DB overrides."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "debt-tracker"
DB_ENV = "DEBT_TRACKER_DB"
DB_FILENAME = "debt.db"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_db(option: str | None, environ: dict[str, str] | None = None) -> tuple[Path, bool]:
    """--db wins, then DEBT_TRACKER_DB, then the user data directory.

    Returns the path and whether it is the default location (whose folder we may create;
    a folder the user named must already exist).
    """
    env = os.environ if environ is None else environ
    if option is not None:
        if not option.strip():
            from .errors import BadInput
            from .i18n import _

            raise BadInput(_("--db must name a database file"))
        return Path(option).expanduser(), False
    if env.get(DB_ENV):
        return Path(env[DB_ENV]).expanduser(), False
    return data_dir() / DB_FILENAME, True


def evidence_dir(db_path: Path) -> Path:
    """Evidence files live beside the database, in a private folder."""
    return db_path.parent / "evidence"
