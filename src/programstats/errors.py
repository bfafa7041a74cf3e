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


class InvalidInputError(ProgramStatsError, ValueError):
    """Input data breaks a rule of the specification.

    Raised at construction for invalid values (a :class:`Session` never
    exists in an invalid state) and by functions whose arguments do not fit
    together (a session naming a user the directory does not know).
    """
