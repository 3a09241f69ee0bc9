"""Writing files the user keeps: private (0600), whole or not at all, never through a planted link."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import Refused
from .i18n import _


def write_error(path: Path, exc: OSError) -> Refused:
    """What went wrong writing ``path``, said plainly: the disk is full, the place is read-only, ..."""
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return Refused(_("the disk is full: nothing was written to {path}").format(path=path))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Refused(_("{path} is in a read-only place: nothing was written").format(path=path))
    return Refused(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc))


@contextlib.contextmanager
def private_file(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Write ``path`` through a new temporary file beside it, renamed into place only when complete.

    The temporary file is created exclusively (mkstemp: O_CREAT | O_EXCL, 0600), so a symlink
    planted at a predictable name is never followed; on any failure it is removed and the
    target is left as it was.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
        # a link, a device, a named pipe: renaming would put a file in its place
        raise Refused(_("{path} is not a regular file: nothing was written").format(path=path))
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise write_error(path, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path, data: bytes | str) -> None:
    """``path`` holds exactly ``data`` (text as UTF-8), readable by you alone."""
    with private_file(path, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def private_folder(folder: Path) -> Path:
    """A folder only you can enter (0700), created if need be."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
    except OSError as exc:
        raise write_error(folder, exc) from None
    return folder
