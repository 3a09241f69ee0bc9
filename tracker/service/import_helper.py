"""A large import into a new database, on both cores: a second process replays most of the file's loans.

An import of a long history spends half its time replaying its loans and writing what they give
(``snapshot.refresh``, at the end of the import's transaction). A second process, started with the
import, reads the same file, parses the loans from ``SHARE`` of the way down its list on with their
repayments, exactly as the import parses them, replays them and writes their state rows into a
scratch database of its own. Meanwhile the import validates the whole file, stores it and replays
the first loans; it then copies the second process's rows in with SQL (``ATTACH``, ``INSERT ...
SELECT``: no Python object per row), once it has checked, loan by loan, that the terms and the
repayments the second process replayed are the very ones it stored. A loan that differs, one the
second process leaves out (a card, a card's instalment plan, a floating rate, an auto-debit loan:
what they give depends on more than the file's record), or all of them when the second process
failed, is replayed by the import itself, as without it. The stored state is the same either way;
``debt check`` compares it with a replay.

Used only where every id of the file is kept: an import into a database file that does not exist
yet, not ``--as-new``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from ..errors import TrackerError
from ..export_format import read_export
from ..export_parse import parse_share
from ..models import Loan
from ..schedule import forget_schedule
from ..snapshot import rows
from ..store.rows import replay_key
from ..store.scratch import ScratchWriter, copy_from_scratch, detach_scratch

if TYPE_CHECKING:
    from ..store import Store

PARALLEL_FROM = 3_000_000  # bytes of export from which a second process helps (about 20,000 repayments)
# where the second process's loans begin in the file's list, as a fraction: the import has the file to
# validate and store before it replays anything, so the second process takes the larger part
SHARE = 0.27
SCRATCH = "rows.db"


def first_of(count: int) -> int:
    """The index in the file's list of loans where the second process's share begins."""
    return int(count * SHARE)


def replays_alone(loan: Loan) -> bool:
    """Whether a loan's stored state follows from its record and repayments in the file alone."""
    return loan.id is not None and not loan.is_card and loan.card_id is None and loan.lpr_spread_bp is None and not loan.autopay


def _terms(loan: Loan) -> str:
    return msgspec.json.encode(loan.terms).decode()


class ImportHelper:
    """The second process of a fresh import, and what it offers: the ids of the loans it replays."""

    def __init__(self, file: Path, today: dt.date) -> None:
        self.today = today
        self.folder = Path(tempfile.mkdtemp(prefix="debt-import-"))
        self.scratch = self.folder / SCRATCH
        self.offered: frozenset[int] = frozenset()
        self.taken: set[int] | None = None  # the loans whose rows were copied in, once they were
        self.store: Store | None = None
        self.error = ""  # what the second process wrote to its standard error (a bug there, or a file it could not read)
        code = "from tracker.service.import_helper import helper_main; helper_main()"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-c", code, str(file), today.isoformat(), str(self.scratch)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the import, which stops this process
        )

    @staticmethod
    def share_start(data: dict) -> int:
        """Where the second process's share begins in an export's list of loans: the schedules of those
        loans need not be kept once the import has validated them (``parse_export``'s ``forget_from``)."""
        loans = data.get("loans")
        return first_of(len(loans)) if isinstance(loans, list) else 0

    def attach(self, store: Store, loans: list[Loan]) -> None:
        """Offer the import's refresh in ``store`` the loans of the file (``loans``, as parsed) that the second
        process replays: the ones from the share's start whose state follows from the file alone."""
        self.offered = frozenset(loan.id or 0 for loan in loans[first_of(len(loans)) :] if replays_alone(loan))
        self.store = store
        store.import_helper = self

    def take(self, store: Store, loans: list[Loan]) -> set[int]:
        """Copy in the second process's rows for those of ``loans`` (as stored here) it replayed from the same terms
        and repayments; return their ids. Inside the import's transaction, with the stored state of these loans
        not written yet."""
        process, self.process = self.process, None
        if process is None:
            return set()
        _out, err = process.communicate()
        self.error = err.decode(errors="replace")
        if process.returncode != 0:
            return set()  # every loan is replayed here (a file that cannot be read is refused by the import's own parse)
        self.taken = copy_from_scratch(store, self.scratch, {loan.id or 0: _terms(loan) for loan in loans})
        return self.taken

    def close(self) -> None:
        """Stop the second process if it still runs, let go of its database and remove it."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.communicate()
            self.process = None
        if self.store is not None:
            if self.store.import_helper is self:
                self.store.import_helper = None
            if self.taken is not None:  # its database was attached
                detach_scratch(self.store)
            self.store = None
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def import_helper(file: Path, db_path: Path | None, today: dt.date, *, as_new: bool) -> Iterator[ImportHelper | None]:
    """A second process for an import of ``file`` into ``db_path``, when it would help: a large file, into a
    database that does not exist yet (every id kept). Stopped and cleaned up when the block ends."""
    helper = None
    if not as_new and db_path is not None and not db_path.exists() and file.is_file() and file.stat().st_size >= PARALLEL_FROM:
        helper = ImportHelper(file, today)
    try:
        yield helper
    finally:
        if helper is not None:
            helper.close()


def helper_main() -> None:
    """The second process (argv: the export, the day, the scratch database): the state rows of its share of
    the file's loans, written to the scratch database with each loan's terms and repayments. Exits 1 on a
    file it cannot read (the import says why)."""
    file, day, scratch = sys.argv[1:4]
    today = dt.date.fromisoformat(day)
    try:
        data, _archive = read_export(Path(file))
        loans_raw = data.get("loans")
        count = len(loans_raw) if isinstance(loans_raw, list) else 0
        loans, repayments = parse_share(data, first_of(count))
    except TrackerError:
        sys.exit(1)
    del data
    out = ScratchWriter(Path(scratch))
    chosen = [loan for loan in loans if replays_alone(loan)]
    for start in range(0, len(chosen), 50):
        states, lines, allocs, keys, reps = [], [], [], [], []
        for loan in chosen[start : start + 50]:
            mine = sorted(repayments.get(loan.id or 0, []), key=lambda r: (r.date, r.id or 0))
            state, ls, al = rows(loan, mine, today)
            forget_schedule(loan)
            states.append(state)
            lines.extend(ls)
            allocs.extend(al)
            keys.append((loan.id, _terms(loan)))
            reps.extend(map(replay_key, mine))
        out.add(states, lines, allocs, keys, reps)
    out.close()
