"""Where problems go while input is structured, and what a left-out record leaves behind.

A :class:`Sink` collects the problems of one input in order: each *cause*
(something wrong in the input itself) and each *consequence* (a record fine
in itself, left out because another was). Under ``on_error="raise"`` the
causes are raised together; under ``"skip"`` both are the world's problems.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Literal

import attrs

from .._checks import short
from ..directory import Group, User
from ..errors import InvalidInputError, bounded
from ..session import (
    Attempt,
    Block,
    ClassroomSlot,
    ProgramTemplate,
    Registration,
    Session,
    SlotAttendance,
)
from ..world import InvalidRecordsError, Problem
from .format import rules

__all__ = ["OnError", "Out", "Sink", "check_on_error", "finish", "left_out_counts"]

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
        problem = Problem(path=path, message=bounded(message), record_id=record_id)
        self.problems.append(problem)
        self.causes.append(problem)

    def extend(self, other: Sink) -> None:
        """The problems of ``other``, after these (causes staying causes)."""
        self.problems.extend(other.problems)
        self.causes.extend(other.causes)

    def left_out(self, path: str, out: Out, record_id: str | None = None) -> None:
        """A record fine in itself, left out because ``out`` was."""
        self.problems.append(
            Problem(path=path, message=bounded(out.because()), record_id=record_id)
        )


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


# A segment of the paths this layer writes: .name, ['name'] or [index].
_SEGMENT = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")
_KINDS = {
    "group": Group,
    "user": User,
    "session": Session,
    "template": ProgramTemplate,
    "block": Block,
    "slot": ClassroomSlot,
    "registration": Registration,
    "attempt": Attempt,
    "attendance": SlotAttendance,
}
_RECORDS = {
    "groups": "group",
    "users": "user",
    "sessions": "session",
    "templates": "template",
    "blocks": "block",
    "slots": "slot",
    "registrations": "registration",
    "attempts": "attempt",
    "attendances": "attendance",
}


def left_out_counts(problems: Iterable[Problem]) -> Counter[str]:
    """How many things of each kind the problems left out: records, entries of arrays, keys.

    Kinds are ``session``, ``attempt``, ``user``... (one per record however
    many problems name it), ``entry`` (an entry of an array of ids) and
    ``key`` (a key the record's type does not have: the record was kept).

    >>> left_out_counts([Problem(path="$.sessions[0].attempts[3].score", message=""),
    ...                  Problem(path="$.sessions[0].attempts[3].completed", message=""),
    ...                  Problem(path="$.users[1].colour", message=""),
    ...                  Problem(path="$.users[2].group_ids[0]", message="")])
    Counter({'attempt': 1, 'key': 1, 'entry': 1})
    """
    fields = _fields()
    seen: dict[tuple[str, str], None] = {}
    for problem in problems:
        seen[_left(problem.path, fields)] = None
    return Counter(kind for kind, _ in seen)


@cache
def _fields() -> Mapping[str, frozenset[str]]:
    """The keys each kind of record has: its type's fields, and a table row's own columns."""
    specs = rules().specs
    found = {kind: specs[cls].names for kind, cls in _KINDS.items()}
    found["document"] = frozenset({"groups", "users", "sessions"})
    for kind in ("block", "slot", "registration", "attempt", "attendance"):
        found[kind] |= {"session_id", "position"}
    found["session"] |= {"template_id"}
    return found


def _left(path: str, fields: Mapping[str, frozenset[str]]) -> tuple[str, str]:
    """The kind and path of what a problem at ``path`` left out."""
    kind, where, names = "document", "$", []
    for match in _SEGMENT.finditer(path):
        name, quoted, number = match.groups()
        if number is None:
            names.append(name if name is not None else quoted)
        elif len(names) == 1 and names[0] in _RECORDS:  # an array of records
            kind, where, names = _RECORDS[names[0]], path[: match.end()], []
        else:  # an entry of an array of ids
            return "entry", path[: match.end()]
    if names and names[0] not in fields.get(kind, frozenset()):
        return "key", path
    return kind, where
