"""Exceptions raised by programstats.

Every problem with the data handed to the library raises
:class:`InvalidInputError`. Its message names the type, the identifier and
the rule that was broken, so the caller can find the record and fix it.

>>> issubclass(InvalidInputError, ValueError)
True
"""

from __future__ import annotations

__all__ = ["InvalidInputError", "ProgramStatsError"]


class ProgramStatsError(Exception):
    """Root of every exception raised on purpose by programstats."""


#: Messages of one line are cut to this many characters (values in them are already short).
MESSAGE_LIMIT = 199


def bounded(message: str) -> str:
    """``message`` cut to :data:`MESSAGE_LIMIT` characters, marked with an ellipsis.

    >>> len(bounded("x" * 500)), bounded("short")
    (199, 'short')
    """
    if len(message) <= MESSAGE_LIMIT:
        return message
    return message[: MESSAGE_LIMIT - 1] + "\u2026"


class InvalidInputError(ProgramStatsError, ValueError):
    """Input data breaks a rule of the specification.

    Raised at construction for invalid values (a :class:`Session` never
    exists in an invalid state) and by functions whose arguments do not fit
    together (a session naming a user the directory does not know). A
    message of one line stays under 200 characters whatever the input.
    """

    def __init__(self, message: object = "", *args: object) -> None:
        if isinstance(message, str) and "\n" not in message:
            message = bounded(message)
        super().__init__(message, *args)
