"""Frames in: valid tables built column by column, anything else read by ``from_tables``.

:func:`read_frames` does the work of :func:`programstats.frames.from_frames`:

1. the arguments are checked as :func:`~programstats.records.from_tables`
   checks them, and each table must be a frame;
2. the schema, once per column (:mod:`.schema`): unknown columns and
   columns whose type cannot hold their field are problems; the latter
   raise in both modes, all of them together;
3. the **fast path**: each column converted once to Python values, the
   rows of each session found from the ``session_id`` columns (row indices,
   no dict per row), registrations, attempts and attendances built by the
   records layer's column builders, users by the core's ``plain_users``,
   the few rows of groups, templates, sessions, blocks and slots by the
   records layer's fast function of their type; then each session against
   the directory;
4. the **slow path**, when anything on the way is not plain and valid (a
   value a builder refuses, a block position given twice, a session id no
   session has...): the same values, now as rows, go to ``from_tables``
   with the same options, so every problem, path, row key and left-out
   record is ``from_tables``' own. Unknown-column problems come first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import narwhals.stable.v1 as nw

from .. import records
from .._checks import instant
from ..directory import Directory, Group, User, plain_users
from ..facts import check_known
from ..records.columns import COLUMN_TYPES, values_of_columns
from ..records.format import CHILDREN, Field, Reader, rules, value_kind
from ..records.problems import check_on_error
from ..records.structuring import Structurer, structurer
from ..records.tables import TABLES, check_options
from ..session import Block, ProgramTemplate, Session
from ..world import InvalidRecordsError, Problem, World
from .schema import TABLE_TYPES, Frame, frame_of

__all__ = ["read_frames"]


class _NotPlainError(Exception):
    """Something in the frames is not plain and valid: ``from_tables`` reads them instead."""


def read_frames(
    given: Mapping[str, Any],
    on_error: object,
    naive_timezone: object,
    row_keys: object,
    ignore_keys: object,
) -> World:
    """The world of the tables ``given`` by name (one not given is empty); see ``from_frames``."""
    mode = check_on_error(on_error)
    options = check_options(row_keys, ignore_keys, caller="from_frames")
    rules_ = rules(naive_timezone)
    frames = {
        name: Frame(name, frame_of(name, given[name]) if name in given else None, rules_, options)
        for name in TABLES
    }
    unknown: list[Problem] = []
    column_problems: list[Problem] = []
    schema_error = False
    for frame in frames.values():
        found_unknown, found_wrong = frame.problems()
        unknown += found_unknown
        column_problems += found_unknown + found_wrong
        schema_error = schema_error or bool(found_wrong)
    if schema_error:  # not quarantined: a column is wrong in every row
        raise InvalidRecordsError(column_problems)
    try:
        directory, sessions = _Builder(frames, structurer(rules_)).world()
    except _NotPlainError:
        return _from_tables(frames, mode, naive_timezone, row_keys, ignore_keys, unknown)
    if unknown and mode == "raise":
        raise InvalidRecordsError(unknown)
    return World(directory=directory, sessions=sessions, problems=unknown)


def _from_tables(
    frames: Mapping[str, Frame],
    mode: str,
    naive_timezone: Any,
    row_keys: Any,
    ignore_keys: Any,
    unknown: list[Problem],
) -> World:
    """The slow path: the same values as rows, read by ``from_tables``."""
    rows = {name: frame.rows_as_records() for name, frame in frames.items()}
    try:
        world = records.from_tables(
            **rows,
            on_error=mode,  # type: ignore[arg-type]
            naive_timezone=naive_timezone,
            row_keys=row_keys,
            ignore_keys=ignore_keys,
        )
    except InvalidRecordsError as error:
        if not unknown:
            raise
        raise InvalidRecordsError([*unknown, *error.problems]) from None
    if not unknown:
        return world
    return attrs.evolve(world, problems=[*unknown, *world.problems])


# ----------------------------------------------------------------------------- the fast path


class _Builder:
    """The world of valid frames, built by column; raises :class:`_NotPlainError` otherwise."""

    def __init__(self, frames: Mapping[str, Frame], structurer_: Structurer) -> None:
        self.frames = frames
        self.structurer = structurer_
        self.specs = structurer_.rules.specs
        self._ready: dict[tuple[str, str], list[Any]] = {}
        self._records: dict[str, list[dict[Any, Any]]] = {}

    def world(self) -> tuple[Directory, list[Session]]:
        directory = self.directory()
        return directory, self.sessions(self.templates(), directory)

    # -- values of one row, or of one column

    def build(self, cls: type, record: Mapping[Any, Any]) -> Any:
        """A value from its record, as ``from_tables`` builds it when it is valid."""
        try:
            return self.structurer.fast[cls](record)
        except Exception:  # any problem at all: the slow path names it
            raise _NotPlainError from None

    def records(self, table: str) -> list[dict[Any, Any]]:
        """The rows of a table as records of its fields (small tables, or rows one by one)."""
        found = self._records.get(table)
        if found is None:
            frame = self.frames[table]
            names = frame.names("field")
            columns = [frame.values(name) for name in names]
            found = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
            if not names:
                found = [{} for _ in range(frame.rows)]
            self._records[table] = found
        return found

    def ready(self, table: str, field: Field) -> list[Any]:
        """A field's column as its type takes it: read, nulls given the field's default."""
        found = self._ready.get((table, field.name))
        if found is None:
            found = self._ready[(table, field.name)] = self._read_column(table, field)
        return found

    def _read_column(self, table: str, field: Field) -> list[Any]:
        frame = self.frames[table]
        default = None if field.required else field.default_value()
        if not frame.has(field.name):
            if field.required and frame.rows:
                raise _NotPlainError
            return [default] * frame.rows
        values = frame.values(field.name)
        column = frame.columns[field.name]
        kind = value_kind(field)
        read: Reader | None = field.read
        if _as_read(kind, column.dtype, values):
            read = None  # the frame's values are what the reader would give
        found: list[Any] = values
        if read is None:
            if None in values:
                found = [default if value is None else value for value in values]
        else:
            found = _read_each(values, read, kind == "datetime", default)
        if field.required and None in found:
            raise _NotPlainError
        converter: Any = attrs.fields_dict(TABLE_TYPES[table])[field.name].converter
        if converter is not None:  # collections as the type keeps them
            found = list(map(converter, found))
        return found

    # -- the directory

    def directory(self) -> Directory:
        groups = [self.build(Group, record) for record in self.records("groups")]
        users = self.users()
        try:
            return Directory(users=users, groups=groups)
        except Exception:  # a reference or an id given twice: the slow path names it
            raise _NotPlainError from None

    def users(self) -> Sequence[User]:
        spec = self.specs[User]
        found = plain_users(*(self.ready("users", field) for field in spec.fields))
        if found is None:  # valid perhaps, but not plain: built one by one
            return [self.build(User, record) for record in self.records("users")]
        return found

    # -- the sessions

    def templates(self) -> dict[str, ProgramTemplate]:
        found: dict[str, ProgramTemplate] = {}
        for record in self.records("templates"):
            template = self.build(ProgramTemplate, record)
            if template.id in found:  # an id given twice: from_tables names it
                raise _NotPlainError
            found[template.id] = template
        return found

    def sessions(
        self, templates: Mapping[str, ProgramTemplate], directory: Directory
    ) -> list[Session]:
        frame = self.frames["sessions"]
        if any(frame.has(name) for name in ("template", *CHILDREN)):
            raise _NotPlainError  # a nested template, or child arrays: from_tables reads them
        ids = self.ready("sessions", self.field(Session, "id"))
        rows = {sid: number for number, sid in enumerate(ids)}
        if len(rows) != len(ids) or not all(type(sid) is str and sid for sid in rows):
            raise _NotPlainError
        template_ids = frame.values("template_id") if frame.has("template_id") else []
        if len(template_ids) != frame.rows:
            raise _NotPlainError
        children = {table: self.rows_by_session(table, rows) for table in CHILDREN}
        found = []
        for number, record in enumerate(self.records("sessions")):
            template = (
                templates.get(template_ids[number]) if type(template_ids[number]) is str else None
            )
            if template is None:
                raise _NotPlainError
            sid = ids[number]
            values = dict(record)
            values["template"] = template
            values["blocks"] = self.blocks(children["blocks"], sid)
            for table in ("slots", "registrations", "attempts", "attendances"):
                values[table] = self.children(table, children[table], sid)
            session = self.structurer.quick(Session, values)
            if session is None:
                raise _NotPlainError
            try:
                check_known(session, directory)
            except Exception:
                raise _NotPlainError from None
            found.append(session)
        return found

    def field(self, cls: type, name: str) -> Field:
        return next(field for field in self.specs[cls].fields if field.name == name)

    def rows_by_session(
        self, table: str, sessions: Mapping[str, int]
    ) -> Mapping[str, range | list[int]]:
        """The rows of a child table, by session id, in the table's order."""
        frame = self.frames[table]
        if not frame.rows:
            return {}
        if not frame.has("session_id"):
            raise _NotPlainError
        ids = frame.values("session_id")
        try:
            distinct = set(ids)
        except TypeError:  # an unhashable value: not an id
            raise _NotPlainError from None
        if not distinct.issubset(sessions):
            raise _NotPlainError  # a row of no session: from_tables names it
        if len(distinct) == 1:
            return {ids[0]: range(frame.rows)}
        found: dict[str, list[int]] = {}
        for number, sid in enumerate(ids):
            found.setdefault(sid, []).append(number)
        return found

    def blocks(self, rows: Mapping[str, range | list[int]], sid: str) -> list[Block]:
        """The blocks of a session in the order of their positions (distinct ints >= 0)."""
        mine = rows.get(sid, ())
        if not mine:
            return []
        positions = self.frames["blocks"].values("position")
        ordered = sorted(
            (positions[number], number) for number in mine if _position(positions[number])
        )
        if len(ordered) != len(mine) or len({position for position, _ in ordered}) != len(mine):
            raise _NotPlainError
        found = self.records("blocks")
        return [self.build(Block, found[number]) for _, number in ordered]

    def children(self, table: str, rows: Mapping[str, range | list[int]], sid: str) -> list[Any]:
        """The slots, registrations, attempts or attendances of a session, in row order."""
        mine = rows.get(sid, ())
        if not mine:
            return []
        cls = CHILDREN[table]
        if cls in COLUMN_TYPES:
            spec = self.specs[cls]
            whole = type(mine) is range and len(mine) == self.frames[table].rows
            columns = {}
            for field in spec.fields:
                column = self.ready(table, field)
                columns[field.name] = column if whole else [column[number] for number in mine]
            try:
                built = values_of_columns(spec, columns)
            except Exception:  # not plain: read one by one below
                built = None
            if built is not None:
                return list(built)
        found = self.records(table)
        return [self.build(cls, found[number]) for number in mine]


def _read_each(values: list[Any], read: Reader, instants: bool, default: Any) -> list[Any]:
    """Each value read by the field's reader (an instant also made UTC); None is ``default``.

    Values repeat (durations, flags, scores): when they are all of one type,
    each distinct one is read once. Values of several types are read one by
    one, since equal values of two types (``1`` and ``True``) may read
    differently.
    """
    try:
        kinds = set(map(type, values))
        kinds.discard(type(None))
        if len(kinds) > 1:
            return [default if value is None else _read(value, read, instants) for value in values]
        cache: dict[Any, Any] = {None: default}
        for value in set(values):
            if value not in cache:
                cache[value] = _read(value, read, instants)
        return list(map(cache.__getitem__, values))
    except Exception:  # unreadable, unhashable, out of range: the slow path names it
        raise _NotPlainError from None


def _read(value: Any, read: Reader, instants: bool) -> Any:
    found = read(value, None)
    return instant("", None, "", found) if instants else found


def _position(value: object) -> bool:
    return type(value) is int and value >= 0


def _as_read(kind: str, dtype: Any, values: list[Any]) -> bool:
    """Whether a column's Python values are already what the field's reader gives."""
    if kind in ("text", "ids", "mapping"):
        return True  # read as given (the type checks them)
    if kind == "datetime":
        return isinstance(dtype, nw.Datetime) and _aware(values)
    if kind == "duration":
        return isinstance(dtype, nw.Duration)
    if kind == "number":
        return bool(dtype.is_integer() or dtype.is_float())
    if kind == "flag":
        return isinstance(dtype, nw.Boolean)
    return False


def _aware(values: list[Any]) -> bool:
    """Whether converted timestamps are aware (naive ones are read in ``naive_timezone``)."""
    first = next((value for value in values if value is not None), None)
    return first is None or getattr(first, "tzinfo", None) is not None
