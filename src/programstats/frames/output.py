"""Results and the per-learner export as typed frames (SPEC §12, the way out).

:func:`to_frame` turns result values into a frame with one row per value and
one column per scalar field, typed by the field: text, booleans, 64-bit
integers, floats, durations (microseconds) and datetimes (microseconds, UTC
as stored); an enum is its name, None is null. :func:`learner_frame` is the
per-learner export as a typed frame, drawn from the very columns and values
that ``learner_export`` writes as text.

Every frame is built by ``narwhals.from_dict`` with an explicit schema, so
the three backends share one path; pandas only needs two touches narwhals
leaves to the caller: an optional count is pandas' nullable ``Int64`` (its
``int64`` holds no null), and text is pandas' own text dtype (``str`` from
pandas 3, ``object`` before), never ``astype(str)`` of a null (see
:func:`_pandas_frame`).
"""

from __future__ import annotations

import enum
import importlib.util
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from itertools import repeat
from operator import attrgetter
from typing import Any, Literal, NamedTuple

import attrs
import narwhals.stable.v1 as nw

from .._checks import Rejected, short, to_tuple
from .._zones import resolve_zone
from ..directory import Directory
from ..errors import InvalidInputError
from ..export import Kind, Same, typed_learner_export
from ..options import ExportOptions, given_options
from ..result_tables import LEVEL_BANDS
from ..session import Session
from ..session_stats import (
    BlockResult,
    BlockResults,
    BlockScore,
    CourseProgress,
    GroupResult,
    GroupResults,
    LearnerBlock,
    LearnerBlocks,
    LearnerResult,
    LearnerResults,
    SessionOverview,
    SlotResult,
)
from ..table import Table, checked_rows
from ..views import GroupDashboard, GroupSessionRow, TemplateResults
from ..world import Problem, Problems

__all__ = ["BACKENDS", "MissingBackendError", "learner_frame", "to_frame", "unique_names"]

Backend = Literal["pandas", "polars", "pyarrow"]
#: The DataFrame libraries a frame can be made for.
BACKENDS: tuple[Backend, ...] = ("pandas", "polars", "pyarrow")

#: The types whose values :func:`to_frame` makes rows of.
RESULT_TYPES: tuple[type, ...] = (
    SessionOverview,
    CourseProgress,
    BlockScore,
    GroupResult,
    LearnerResult,
    LearnerBlock,
    BlockResult,
    SlotResult,
    GroupDashboard,
    GroupSessionRow,
    Problem,
)
#: Sequences that say what they hold, even when empty.
_TYPED_TUPLES: tuple[tuple[type, type], ...] = (
    (GroupResults, GroupResult),
    (LearnerResults, LearnerResult),
    (BlockResults, BlockResult),
    (LearnerBlocks, LearnerBlock),
    (Problems, Problem),
)
#: Fixed-size tuples of counts spread over one column each.
_SPREAD: dict[tuple[type, str], tuple[str, ...]] = {
    (SessionOverview, "level_distribution"): tuple(
        "level_" + band.replace("-", "_") for band in LEVEL_BANDS
    ),
}


class MissingBackendError(InvalidInputError, ImportError):
    """The DataFrame library asked for is not installed.

    An :class:`~programstats.InvalidInputError` like every bad argument, and
    an :class:`ImportError` as a missing library usually is.
    """


class _Type(enum.Enum):
    """The type of a frame column."""

    TEXT = "text"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    OPTIONAL_INTEGER = "optional integer"  # pandas' int64 holds no null
    FLOAT = "float"
    DATETIME = "datetime"
    DURATION = "duration"


class _Column(NamedTuple):
    name: str
    type: _Type
    values: list[Any]


#: The frame type of each kind of export column.
_EXPORT_TYPES = {
    Kind.TEXT: _Type.TEXT,
    Kind.FLAG: _Type.BOOLEAN,
    Kind.NUMBER: _Type.FLOAT,
    Kind.DATETIME: _Type.DATETIME,
    Kind.DURATION: _Type.DURATION,
    Kind.HOURS: _Type.FLOAT,
}


# ----------------------------------------------------------------------------- arguments


def _backend(backend: object, where: str) -> Backend:
    """The backend named, checked to be one of :data:`BACKENDS` and installed."""
    name = str.__str__(backend) if isinstance(backend, str) else None  # a str subclass as text
    if name not in BACKENDS:
        raise InvalidInputError(
            f"{where}: backend must be one of {', '.join(map(repr, BACKENDS))}, "
            f"got {short(backend, 80)}"
        )
    # find_spec looks for the package without importing it: narwhals imports
    # it when the frame is built.
    if importlib.util.find_spec(name) is None:
        raise MissingBackendError(
            f"{where}: backend {name!r} is not installed; install it with: pip install {name}"
        )
    return name


#: Instants on which a named zone must agree with a tzinfo object.
_PROBES = tuple(
    datetime(year, month, 15, tzinfo=timezone.utc)
    for year in range(1970, 2040, 3)
    for month in (1, 4, 7, 10)
)


def _zone_name(zone: tzinfo, backend: Backend, where: str) -> str:
    """The name a frame's datetime column carries for ``zone``.

    A ``zoneinfo.ZoneInfo``'s key; ``UTC`` or ``+HH:MM`` for a fixed offset;
    the IANA name of a ``dateutil`` zone read from a database file, when that
    name gives the same offsets.
    """
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return key
    try:
        offset = zone.utcoffset(None)
    except Exception:  # a tzinfo that needs a datetime
        offset = None
    if isinstance(offset, timedelta):
        return _offset_name(offset, backend, where)
    name = _database_name(zone)
    if name is None:
        raise InvalidInputError(
            f"{where}: options.timezone is a {type(zone).__name__} with no time-zone name, and a "
            "frame's datetime column needs one; pass an IANA name such as 'Europe/Paris'"
        )
    return name


def _offset_name(offset: timedelta, backend: Backend, where: str) -> str:
    if not offset:
        return "UTC"
    minutes, rest = divmod(abs(offset), timedelta(minutes=1))
    hours, minute = divmod(minutes, 60)
    if rest or (backend == "polars" and minute):
        raise InvalidInputError(
            f"{where}: options.timezone is the fixed offset {offset}, which a {backend} "
            "datetime column cannot carry; pass the IANA name of the zone (e.g. 'Asia/Kathmandu')"
        )
    sign = "-" if offset < timedelta(0) else "+"
    return f"{sign}{hours:02d}:{minute:02d}"


def _database_name(zone: tzinfo) -> str | None:
    """The IANA name of a zone read from a database file (``dateutil.tz.gettz``)."""
    path = getattr(zone, "_filename", None)
    if not isinstance(path, str):
        return None
    name = path.rpartition("zoneinfo/")[2]
    try:
        named = resolve_zone(name, "frames", "timezone")
        same = all(
            p.astimezone(named).utcoffset() == p.astimezone(zone).utcoffset() for p in _PROBES
        )
    except Exception:
        return None
    return name if same else None


# ----------------------------------------------------------------------------- frames


def _dtype(kind: _Type, zone: str) -> Any:
    if kind is _Type.TEXT:
        return nw.String()
    if kind is _Type.BOOLEAN:
        return nw.Boolean()
    if kind is _Type.FLOAT:
        return nw.Float64()
    if kind is _Type.DATETIME:
        return nw.Datetime("us", zone)
    if kind is _Type.DURATION:
        return nw.Duration("us")
    return nw.Int64()


def _frame(columns: Sequence[_Column], backend: Backend, zone: str = "UTC") -> Any:
    """The native frame of ``columns`` (distinct names) for ``backend``."""
    if backend == "pandas":
        return _pandas_frame(columns, zone)
    schema = {column.name: _dtype(column.type, zone) for column in columns}
    data = {column.name: column.values for column in columns}
    return nw.from_dict(data, schema=schema, backend=backend).to_native()


def _pandas_frame(columns: Sequence[_Column], zone: str) -> Any:
    """A pandas frame: narwhals casts every column but text, then pandas takes the text.

    narwhals casts text with ``astype(str)``, which before pandas 3 writes a
    null as the text ``"None"``: text columns are given to pandas as they
    are, then set to pandas' own text dtype (``str`` from pandas 3 on,
    ``object`` before). An optional count becomes pandas' nullable
    ``Int64`` (its ``int64`` holds no null).
    """
    # The module narwhals imports for a pandas frame (none is imported before).
    pandas = nw.Implementation.PANDAS.to_native_namespace()
    typed = [column for column in columns if column.type is not _Type.TEXT]
    found: dict[str, Any] = {column.name: column.values for column in columns}
    if typed:
        schema = {
            column.name: nw.Float64()
            if column.type is _Type.OPTIONAL_INTEGER
            else _dtype(column.type, zone)
            for column in typed
        }
        data = {column.name: column.values for column in typed}
        built = nw.from_dict(data, schema=schema, backend="pandas").to_native()
        found.update({column.name: built[column.name] for column in typed})
    frame = pandas.DataFrame(found)
    text = str if int(str(pandas.__version__).partition(".")[0]) >= 3 else object
    casts = {
        column.name: text if column.type is _Type.TEXT else "Int64"
        for column in columns
        if column.type in (_Type.TEXT, _Type.OPTIONAL_INTEGER)
    }
    return frame.astype(casts) if casts else frame


def unique_names(names: Iterable[str]) -> list[str]:
    """Column names made distinct: a repeated name gets `` (2)``, `` (3)``… in order.

    A suffix already taken by another column is skipped.

    >>> unique_names(["Email", "Sales", "Email", "Sales", "Sales"])
    ['Email', 'Sales', 'Email (2)', 'Sales (2)', 'Sales (3)']
    """
    given = list(names)
    taken = set(given)
    seen: dict[str, int] = {}
    found = []
    for name in given:
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count == 1:
            found.append(name)
            continue
        candidate = f"{name} ({count})"
        while candidate in taken:
            count += 1
            candidate = f"{name} ({count})"
        seen[name] = count
        taken.add(candidate)
        found.append(candidate)
    return found


# ----------------------------------------------------------------------------- results


class _Field(NamedTuple):
    name: str
    type: _Type
    read: Callable[[Any], Any]


def _as_name(value: enum.Enum) -> str:
    return value.name


def _as_text(value: object) -> str | None:
    return None if value is None else str(value)


_FIELD_TYPES: dict[Any, _Type] = {
    str: _Type.TEXT,
    str | None: _Type.TEXT,
    bool: _Type.BOOLEAN,
    int: _Type.INTEGER,
    int | None: _Type.OPTIONAL_INTEGER,
    float: _Type.FLOAT,
    float | None: _Type.FLOAT,
    datetime: _Type.DATETIME,
    datetime | None: _Type.DATETIME,
    timedelta: _Type.DURATION,
    timedelta | None: _Type.DURATION,
    str | int | None: _Type.TEXT,  # Problem.row_key: a column has one type
}


@cache
def _fields(cls: type) -> tuple[_Field, ...]:
    """The columns of a result type: its scalar fields in order (nested sequences left out)."""
    hints = typing.get_type_hints(cls)
    found = []
    for field in attrs.fields(cls):
        hint = hints[field.name]
        spread = _SPREAD.get((cls, field.name))
        if spread is not None:
            for index, name in enumerate(spread):
                found.append(_Field(name, _Type.INTEGER, _item(field.name, index)))
            continue
        kind = _FIELD_TYPES.get(hint)
        read = attrgetter(field.name)
        if kind is not None:
            mixed = hint == str | int | None  # written as text
            found.append(_Field(field.name, kind, _then(read, _as_text) if mixed else read))
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            found.append(_Field(field.name, _Type.TEXT, _then(read, _as_name)))
        elif typing.get_origin(hint) not in (tuple, Sequence):  # pragma: no cover - a new field
            raise TypeError(f"to_frame: no column type for {cls.__name__}.{field.name}: {hint}")
    return tuple(found)


def _item(name: str, index: int) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        return getattr(value, name)[index]

    return read


def _then(first: Callable[[Any], Any], second: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        return second(first(value))

    return read


def _result_columns(cls: type, values: Sequence[Any]) -> list[_Column]:
    return [_Column(f.name, f.type, list(map(f.read, values))) for f in _fields(cls)]


def _pairs_columns(pairs: Sequence[tuple[Session, LearnerResult]]) -> list[_Column]:
    session_ids = _Column("session_id", _Type.TEXT, [session.id for session, _ in pairs])
    return [session_ids, *_result_columns(LearnerResult, [result for _, result in pairs])]


def _table_columns(table: Table) -> list[_Column]:
    rows = list(checked_rows(table, "to_frame"))
    cells: list[Sequence[str]] = list(zip(*rows, strict=True)) if rows else [()] * len(table.header)
    names = unique_names(table.header)
    return [
        _Column(name, _Type.TEXT, list(column)) for name, column in zip(names, cells, strict=True)
    ]


def _is_pair(item: object) -> bool:
    return (
        type(item) is tuple
        and len(item) == 2
        and isinstance(item[0], Session)
        and isinstance(item[1], LearnerResult)
    )


def _is_result_type(kind: object) -> bool:
    return any(kind is cls for cls in RESULT_TYPES)


def _sequence_columns(given: Sequence[Any], of: type | None) -> list[_Column]:
    """The columns of a sequence of results of one type, or of template-result pairs."""
    values = to_tuple(given)  # read once; a sequence that cannot be read is refused
    if isinstance(values, Rejected):
        raise InvalidInputError(f"to_frame: the sequence {values.reason}")
    typed = type(given)
    if typed is TemplateResults or (values and of is None and _is_pair(values[0])):
        for index, item in enumerate(values):
            if not _is_pair(item):
                raise InvalidInputError(
                    f"to_frame: item {index} is not a (Session, LearnerResult) pair like the "
                    f"first, got {short(item, 80)}"
                )
        return _pairs_columns(values)
    kind = next((item for typed_tuple, item in _TYPED_TUPLES if typed is typed_tuple), of)
    if kind is None:
        if not values:
            raise InvalidInputError(
                "to_frame: an empty plain sequence does not say which columns it has; pass "
                "of=<the result type> (for example of=GroupSessionRow)"
            )
        kind = type(values[0])
        if not _is_result_type(kind):
            raise InvalidInputError(
                f"to_frame: cannot make a frame of {kind.__name__} values; it takes result "
                f"values ({_type_names()}), template_results pairs, World.problems or a Table"
            )
    for index, item in enumerate(values):
        if type(item) is not kind:
            raise InvalidInputError(
                f"to_frame: item {index} is a {type(item).__name__}, not a {kind.__name__} like "
                "the others; a frame's rows are values of one type"
            )
    return _result_columns(kind, values)


def _type_names() -> str:
    return ", ".join(cls.__name__ for cls in RESULT_TYPES)


def _columns_of(value: object, of: type | None) -> list[_Column]:
    if of is not None and not _is_result_type(of):
        raise InvalidInputError(
            f"to_frame: of must be a result type ({_type_names()}), got {short(of, 80)}"
        )
    if isinstance(value, Table):
        return _table_columns(value)
    if type(value) is GroupDashboard:
        return _result_columns(GroupSessionRow, value.sessions)
    if _is_result_type(type(value)):
        return _result_columns(type(value), [value])
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return _sequence_columns(value, of)
    raise InvalidInputError(
        f"to_frame: cannot make a frame of a {type(value).__name__}; it takes a sequence of "
        f"result values ({_type_names()}), template_results pairs, World.problems, a Table, "
        "a SessionOverview or a GroupDashboard"
    )


def to_frame(value: object, *, backend: Backend = "pandas", of: type | None = None) -> Any:
    """Results as a frame of ``backend``: one row per value, one column per scalar field.

    ``value`` is one of:

    * a sequence of result values of one type (``group_results(...)``,
      ``learner_results(...)``, ``block_results(...)``,
      ``overview.progress_by_course``, ``dashboard.sessions``,
      ``result.blocks``, ``World.problems``…): columns are the type's scalar
      fields in field order (``level_distribution`` spread over
      ``level_0_20`` … ``level_80_100``); nested sequences such as
      ``LearnerResult.blocks`` or ``BlockResult.slots`` are left out (pass
      them on their own);
    * the ``(session, result)`` pairs of ``template_results``: a
      ``session_id`` column, then the learner result's columns;
    * a :class:`~programstats.Table`: its text columns (a repeated header
      gets `` (2)``, `` (3)``…);
    * one result value: one row, except a ``GroupDashboard``, whose frame is
      its ``sessions`` rows (``to_frame([dashboard])`` gives its own figures).

    Text is text, an enum its name, counts 64-bit integers (pandas'
    nullable ``Int64`` when they may be absent), scores and percentages
    floats, durations durations and datetimes UTC (microseconds); None is
    null. A ``Problem.row_key`` is text (a column has one type). An empty
    sequence keeps its columns when its type says what it holds (what the
    library returns does); an empty plain tuple or list needs ``of=``.

    >>> from programstats import group_results
    >>> from programstats.examples import tiny_directory, tiny_session
    >>> frame = to_frame(group_results(tiny_session(), tiny_directory()), backend="polars")
    >>> frame.columns
    ['group_id', 'name', 'users', 'attendance', 'progress', 'score', 'level']
    >>> frame.row(1)
    ('sales', 'Sales', 2, 100.0, 50.0, 75.0, 1)

    Raises :class:`~programstats.InvalidInputError` for an unknown backend
    (:class:`MissingBackendError` when it is not installed), a value it
    cannot make a frame of, a sequence mixing types, and an empty plain
    sequence without ``of``.
    """
    chosen = _backend(backend, "to_frame")
    return _frame(_columns_of(value, of), chosen)


# ----------------------------------------------------------------------------- the export


def learner_frame(
    sessions: Iterable[Session],
    directory: Directory,
    options: ExportOptions | None = None,
    *,
    backend: Backend = "pandas",
) -> Any:
    """The per-learner export (SPEC §5.1) as a typed frame of ``backend``.

    The columns of ``learner_export(sessions, directory, options)``, in the
    same order, and its rows. Values are exact: scores, progress and
    attendance percentages floats (unrounded), slot hours floats, durations
    durations, datetimes aware in ``options.timezone`` (to the
    microsecond), ``Registered user``, ``Verified program`` and the group
    columns booleans. An absent value is null (no score, no deletion date, a
    custom field the learner lacks, block and slot cells past a shorter
    session); empty text stays ``""``; ``Managers``, ``Instructors`` and
    ``Tags`` are joined by ``,`` as in the export. Text is as stored, not
    formula-protected (a frame is not a spreadsheet), and a repeated header
    (a custom field or group named like another column) gets `` (2)``,
    `` (3)``… in order.

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> frame = learner_frame([tiny_session()], tiny_directory(), backend="polars")
    >>> frame.select("First name", "Score", "Verified program", "Block time 1").row(0)
    ('Ana', 70.0, True, datetime.timedelta(seconds=3000))

    Raises :class:`~programstats.InvalidInputError` like
    :func:`~programstats.learner_export`, for an unknown backend
    (:class:`MissingBackendError` when it is not installed), and for a
    ``tzinfo`` whose zone has no name a frame can carry.
    """
    chosen = _backend(backend, "learner_frame")
    options = given_options(options)
    zone = _zone_name(options.timezone, chosen, "learner_frame")
    plan = typed_learner_export(sessions, directory, options)
    data: list[list[Any]] = [[] for _ in plan.columns]
    for size, values in plan.typed_chunks(None):
        for bucket, found in zip(data, values, strict=True):
            if isinstance(found, Same):
                bucket += repeat(found.value, size)
            else:
                bucket += found
    names = unique_names(column.name for column in plan.columns)
    columns = [
        _Column(name, _EXPORT_TYPES[column.kind], values)
        for name, column, values in zip(names, plan.columns, data, strict=True)
    ]
    return _frame(columns, chosen, zone)
