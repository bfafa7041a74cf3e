"""What a way in gives back: a world of values, and the problems of its input.

Every way in from outside data (:mod:`programstats.records`,
:mod:`programstats.frames`, :mod:`programstats.xapi`) returns a
:class:`World`: the directory, the sessions, and one :class:`Problem` per
thing wrong with the input or left out because of it.
:func:`problems_table` makes the problems a :class:`~programstats.Table`,
written like every other table of the library.

>>> problem = Problem(path="$.users[0].email", message="bad", record_id="=cmd()")
>>> list(problems_table([problem]).rows)
[('$.users[0].email', "'=cmd()", '', 'bad')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import attrs

from ._checks import Rejected, short, to_tuple
from .directory import Directory
from .errors import InvalidInputError
from .formatting import text_cell
from .options import ExportOptions, given_options
from .session import Session
from .table import LazyRows, Row, Table

__all__ = ["InvalidRecordsError", "Problem", "Problems", "World", "problems_table"]

_T = TypeVar("_T")

#: How many problems the message of :class:`InvalidRecordsError` lists.
SHOWN_PROBLEMS = 20


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with the input: where (a JSONPath), what, and whose.

    ``record_id`` is the id of the record concerned when it is known (the
    ``user_id`` for registrations, attempts and attendances), else None;
    ``row_key`` the value of the row's key column when the input named one
    (``from_tables(..., row_keys=...)``), else None.
    """

    path: str = attrs.field(validator=lambda _, a, v: _check_type(a.name, v, str))
    message: str = attrs.field(validator=lambda _, a, v: _check_type(a.name, v, str))
    record_id: str | None = attrs.field(
        default=None, validator=lambda _, a, v: _check_type(a.name, v, str, type(None))
    )
    row_key: str | int | None = attrs.field(
        default=None, validator=lambda _, a, v: _check_type(a.name, v, str, int, type(None))
    )


def _check_type(field: str, value: object, *kinds: type) -> None:
    if type(value) not in kinds:
        names = " or ".join("None" if kind is type(None) else kind.__name__ for kind in kinds)
        raise InvalidInputError(f"Problem: {field} must be {names}, got {short(value)}")


class Problems(tuple[Problem, ...]):
    """``World.problems``: a tuple of :class:`Problem` that says so even when empty.

    It equals, hashes and prints as the plain tuple of its items; only its
    type tells a consumer such as ``programstats.frames.to_frame`` which
    columns an empty one has.
    """

    __slots__ = ()


def _all_of(kind: type[_T], field: str) -> Callable[[Iterable[_T]], tuple[_T, ...]]:
    """A converter to a tuple whose every item must be a ``kind``."""

    def convert(value: Iterable[_T]) -> tuple[_T, ...]:
        found = to_tuple(value)
        if isinstance(found, Rejected):
            raise InvalidInputError(f"World: {field} {found.reason}")
        for item in found:
            if not isinstance(item, kind):
                raise InvalidInputError(
                    f"World: {field} must hold {kind.__name__} values, got {short(item)}"
                )
        return found

    return convert


def _sessions(value: Iterable[Session]) -> tuple[Session, ...]:
    return _all_of(Session, "sessions")(value)


def _problems(value: Iterable[Problem]) -> tuple[Problem, ...]:
    return Problems(_all_of(Problem, "problems")(value))


def _directory(_: object, __: object, value: Directory) -> None:
    if not isinstance(value, Directory):
        raise InvalidInputError(f"World: directory must be a Directory, got {short(value)}")


@attrs.frozen(kw_only=True)
class World:
    """A directory, its sessions, and the problems met while building them."""

    directory: Directory = attrs.field(validator=_directory)
    sessions: tuple[Session, ...] = attrs.field(converter=_sessions)
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_problems)


class InvalidRecordsError(InvalidInputError):
    """Records break rules; ``problems`` holds every :class:`Problem` found.

    The message lists the first 20 problems and says how many there are.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"{p.path}: {p.message}" for p in self.problems[:SHOWN_PROBLEMS]]
        more = f"\n... and {count - SHOWN_PROBLEMS} more" if count > SHOWN_PROBLEMS else ""
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the records:\n" + "\n".join(lines) + more)


def given_twice(path: str, session_id: str) -> Problem:
    """The problem of a session id that an earlier session of the input has."""
    return Problem(
        path=path,
        message=f"Session {short(session_id, 40)} is given twice; pass each once",
        record_id=session_id,
    )


#: The columns of :func:`problems_table`.
PROBLEMS_HEADER = ("Path", "Record ID", "Row key", "Problem")


def problems_table(problems: Iterable[Problem], options: ExportOptions | None = None) -> Table:
    """The problems as a :class:`~programstats.Table` of four columns.

    ``Path``, ``Record ID``, ``Row key`` and ``Problem``, one row per problem.

    Ids, keys and messages echo the input, so every cell is written as the
    exports write text: a NUL or an unpaired surrogate becomes U+FFFD, and
    text a spreadsheet would run as a formula gets the ``'`` prefix (unless
    ``options.protect_formulas`` is off).

    Raises :class:`~programstats.InvalidInputError` when an item is not a
    :class:`Problem`.
    """
    found = to_tuple(problems)
    if isinstance(found, Rejected):
        raise InvalidInputError(f"problems_table: problems {found.reason}")
    for problem in found:
        if not isinstance(problem, Problem):
            raise InvalidInputError(
                f"problems_table: every problem must be a Problem, got {type(problem).__name__}"
            )
    protect = given_options(options).protect_formulas

    def produce() -> Iterator[Row]:
        for problem in found:
            key = problem.row_key
            yield (
                text_cell(problem.path, protect),
                text_cell(problem.record_id or "", protect),
                text_cell("" if key is None else str(key), protect),
                text_cell(problem.message, protect),
            )

    return Table(header=PROBLEMS_HEADER, rows=LazyRows(produce))
