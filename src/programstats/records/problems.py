"""Where problems go while input is structured, and what a left-out record leaves behind.

A :class:`Sink` collects the problems of one input in order: each *cause*
(something wrong in the input itself) and each *consequence* (a record fine
in itself, left out because another was). Under ``on_error="raise"`` the
causes are raised together; under ``"skip"`` both are the world's problems.
"""

from __future__ import annotations

from typing import Literal

import attrs

from .._checks import short
from ..errors import InvalidInputError, bounded
from ..world import InvalidRecordsError, Problem

__all__ = ["OnError", "Out", "Sink", "check_on_error", "finish"]

OnError = Literal["raise", "skip"]


@attrs.frozen
class Out:
    """Why something was left out: what it was, and where."""

    what: str
    path: str

    def because(self) -> str:
        """The message of a record left out because this one was."""
        return f"left out because {self.what} ({self.path}) was left out"


class Sink:
    """The problems of one input, causes and consequences, in the order found."""

    __slots__ = ("causes", "problems")

    def __init__(self) -> None:
        self.problems: list[Problem] = []  # causes and consequences, in order
        self.causes: list[Problem] = []  # what is wrong in the input itself

    def add(self, path: str, message: str, record_id: str | None = None) -> None:
        """Something wrong in the input itself."""
        problem = Problem(path=path, message=bounded(message), record_id=_usable(record_id))
        self.problems.append(problem)
        self.causes.append(problem)

    def extend(self, other: Sink) -> None:
        """The problems of ``other``, after these (causes staying causes)."""
        self.problems.extend(other.problems)
        self.causes.extend(other.causes)

    def left_out(self, path: str, out: Out, record_id: str | None = None) -> None:
        """A record fine in itself, left out because ``out`` was."""
        self.problems.append(
            Problem(path=path, message=bounded(out.because()), record_id=_usable(record_id))
        )


def _usable(record_id: object) -> str | None:
    """A record id as problems carry it: a non-empty ``str``, or None."""
    if type(record_id) is str and record_id:
        return record_id
    return None


def check_on_error(on_error: object) -> OnError:
    """``on_error`` itself: ``"raise"`` or ``"skip"``, anything else refused."""
    if on_error == "raise" and type(on_error) is str:
        return "raise"
    if on_error == "skip" and type(on_error) is str:
        return "skip"
    raise InvalidInputError(f"on_error must be 'raise' or 'skip', got {short(on_error)}")


def finish(sink: Sink, on_error: OnError) -> None:
    """Under ``raise``, raise every cause found (none found: nothing happens)."""
    if on_error == "raise" and sink.causes:
        raise InvalidRecordsError(sink.causes)
