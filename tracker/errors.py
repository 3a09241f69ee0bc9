"""The TrackerError family and the exit codes the CLI maps them to."""

from __future__ import annotations

import re
from enum import IntEnum

# A run of 12 or more digits (spaces or dashes allowed between them, an ID number's final X too)
# is a bank card or ID number: errors and logs show only its first and last four.
_LONG_NUMBER = re.compile(r"\d(?:[ \-]?\d){11,}[Xx]?")


def mask_numbers(text: str) -> str:
    """'6222 0210 0112 3456' -> '6222****3456'; shorter numbers (amounts, dates, ids) are left alone."""

    def mask(match: re.Match[str]) -> str:
        digits = re.sub(r"[ \-]", "", match.group())
        return f"{digits[:4]}****{digits[-4:]}"

    return _LONG_NUMBER.sub(mask, text)


class ExitCode(IntEnum):
    OK = 0
    REFUSED = 1
    BAD_INPUT = 2


class TrackerError(Exception):
    """Base of every error a user can cause; the message is already translated."""

    exit_code: ExitCode = ExitCode.REFUSED

    def __init__(self, message: str) -> None:
        message = mask_numbers(message)
        super().__init__(message)
        self.message = message


class BadInput(TrackerError):
    """A value the user typed cannot be understood (exit 2)."""

    exit_code = ExitCode.BAD_INPUT


class Refused(TrackerError):
    """The input is understood but the operation is not allowed (exit 1)."""

    exit_code = ExitCode.REFUSED


class NotFound(Refused):
    """An id that names nothing."""


class StoreError(TrackerError):
    """The database file cannot be used (not ours, too new, unreadable)."""

    exit_code = ExitCode.REFUSED
