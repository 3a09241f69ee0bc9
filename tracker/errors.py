"""The TrackerError family and the exit codes the CLI maps them to."""

from __future__ import annotations

from enum import IntEnum

from .safe_text import mask_numbers  # errors and logs show a card or ID number's first and last four only


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1
    BAD_INPUT = 2


class TrackerError(Exception):
    """Base of every error a user can cause; the message is already translated.

    ``hint``: what to type on the command line instead (a flag, another command), said by the CLI after the
    message; the app, which has no such command, shows the message alone.
    """

    exit_code: ExitCode = ExitCode.REFUSED

    def __init__(self, message: str, hint: str = "") -> None:
        message = mask_numbers(message)
        super().__init__(message)
        self.message = message
        self.hint = mask_numbers(hint)


class BadInput(TrackerError):
    """A value the user typed cannot be understood (exit 2)."""

    exit_code = ExitCode.BAD_INPUT


class Refused(TrackerError):
    """The input is understood but the operation is not allowed (exit 1)."""

    exit_code = ExitCode.REFUSED


class NotFound(Refused):
    """An id that names nothing."""


class AlreadyRecorded(Refused):
    """A repayment of the same amount on the same day is already recorded for the loan: most likely the same
    payment typed twice (or typed after a statement import brought it in). ``repayment``: that one."""

    def __init__(self, message: str, hint: str = "", *, repayment: object = None) -> None:
        super().__init__(message, hint)
        self.repayment = repayment


class StoreError(TrackerError):
    """The database file cannot be used (not ours, too new, unreadable)."""

    exit_code = ExitCode.REFUSED
