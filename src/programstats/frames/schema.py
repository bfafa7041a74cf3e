"""The columns of a frame: what each one is, what its type can hold, and its values in Python.

Every column of a table is one of: a field of the table's type, a
structural column (``session_id``, a block's ``position``, a session's
``template_id``, as :func:`~programstats.records.from_tables` has them),
the table's row-key column, an ignored column, or unknown. Before a value
is read, the type of each field and structural column is checked once
(:meth:`Frame.problems`): a column whose type cannot hold its field -- text
for a number, a number for a timestamp -- is one problem at
``$.<table>[*].<column>``; so is an unknown column.

:meth:`Frame.values` then gives a column as a list of Python values, each
column converted once and in one pass of its frame library where it can
be: nulls of every library (None, NaN, NaT, ``pd.NA``) as None, aware
timestamps as ``datetime`` in UTC whose ``tzinfo`` is
``datetime.timezone.utc``, durations as ``timedelta``. These are the
values :func:`~programstats.records.from_tables` is given when a row is
not valid, so both paths read the same data.

Importing this module imports the records layer (cattrs):
:func:`programstats.frames.from_frames` imports it when it is called.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

import narwhals.stable.v1 as nw

from .._checks import short
from .._jsonpath import ROOT, member
from ..directory import Group, User
from ..errors import InvalidInputError
from ..records.format import CHILDREN, Field, Rules, absent, value_kind
from ..records.tables import STRUCTURAL, Options
from ..session import ProgramTemplate, Session
from ..world import Problem

__all__ = ["TABLE_TYPES", "Column", "Frame", "OutOfRange", "frame_of"]

#: The type of each table's rows.
TABLE_TYPES: dict[str, type] = {
    "groups": Group,
    "users": User,
    "sessions": Session,
    "templates": ProgramTemplate,
    **CHILDREN,
}
# What the structural columns hold (the values from_tables reads from them).
_STRUCTURAL_KINDS = {"session_id": "text", "template_id": "text", "position": "position"}

_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - the origin of naive timestamps
# Names of zones that are UTC at every instant: naive timestamps read in them are UTC.
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu"})
_UTC_NAMES |= frozenset({"Etc/Zulu", "GMT", "Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0"})
_UTC_NAMES |= frozenset({"GMT+0", "GMT-0", "GMT0", "Etc/Greenwich", "Greenwich"})


class OutOfRange:
    """A timestamp of a frame beyond Python's datetimes (years 1 to 9999).

    What the records layer is given in its place, to name the row:
    ``got OutOfRange <after year 9999>``.
    """

    __slots__ = ("after",)

    def __init__(self, after: bool) -> None:
        self.after = after

    def __repr__(self) -> str:
        return "<after year 9999>" if self.after else "<before year 1>"


# ----------------------------------------------------------------------------- the frames


def frame_of(table: str, value: object) -> Any:
    """The narwhals frame of a table as given; raises for what is not a frame."""
    if value is None or absent(value):
        raise InvalidInputError(
            f"from_frames: {table} is {short(value)}, not a frame; leave the keyword out "
            "for an empty table"
        )
    try:
        return nw.from_native(value, eager_only=True)
    except nw.exceptions.DuplicateError:
        return _Duplicated(table, _native_names(value))
    except Exception:  # not a frame narwhals reads: say what is
        pass
    lazy = " (a lazy frame: collect() it first)" if "Lazy" in type(value).__name__ else ""
    rows = (
        "; for rows (dicts, database rows) use programstats.records.from_tables" if not lazy else ""
    )
    raise InvalidInputError(
        f"from_frames: {table} must be a pandas DataFrame, a Polars DataFrame or a PyArrow "
        f"Table, got {type(value).__name__}{lazy}{rows}"
    )


class _Duplicated:
    """A native frame that names a column twice (narwhals refuses to read it)."""

    def __init__(self, table: str, names: list[Any]) -> None:
        self.table = table
        self.names = names


def _native_names(value: object) -> list[Any]:
    names: Any = getattr(value, "column_names", None)  # a PyArrow Table
    if names is None:
        names = getattr(value, "columns", ())
    return list(names)


class Column:
    """One column of a frame: its name, what it is, and the field it gives."""

    __slots__ = ("dtype", "field", "kind", "name", "role", "series")

    def __init__(
        self, name: Any, role: str, kind: str, field: Field | None, series: Any, dtype: Any
    ) -> None:
        self.name = name
        self.role = role  # "field", "structural", "key", "ignored" or "unknown"
        self.kind = kind  # what it holds: a value kind of the records format, or "any"
        self.field = field
        self.series = series
        self.dtype = dtype


class Frame:
    """One table given to ``from_frames``: its columns by role, its values converted once."""

    def __init__(self, table: str, given: Any, rules: Rules, options: Options) -> None:
        self.table = table
        self.rules = rules
        self.cls = TABLE_TYPES[table]
        self.spec = rules.specs[self.cls]
        self.duplicated: list[Any] = []
        self.columns: dict[Any, Column] = {}
        self._values: dict[Any, list[Any]] = {}
        self.pandas = False
        if given is None:
            self.rows = 0
            return
        if isinstance(given, _Duplicated):
            self.rows = 0
            self.duplicated = sorted({n for n in given.names if given.names.count(n) > 1}, key=str)
            return
        self.rows = len(given)
        self.pandas = given.implementation.is_pandas_like()
        extra = options.extra(table)
        key = options.row_keys.get(table)
        structural = STRUCTURAL.get(table, frozenset())
        fields = {field.name: field for field in self.spec.fields}
        schema = given.schema
        for name in given.columns:
            field = None
            if name == key:
                role, kind = "key", "any"
            elif name in structural:  # read by from_tables even when ignored
                role, kind = "structural", _STRUCTURAL_KINDS[name]
            elif name in extra:
                role, kind = "ignored", "any"
            elif type(name) is str and name in fields:
                field = fields[name]
                role, kind = "field", value_kind(field)
            else:
                role, kind = "unknown", "any"
            series = given.get_column(name) if role != "ignored" else None
            self.columns[name] = Column(name, role, kind, field, series, schema[name])

    # -- the schema

    def where(self, name: Any) -> str:
        """The path of every value of a column: ``$.attempts[*].score``."""
        return member(member(ROOT, self.table) + "[*]", name)

    def problems(self) -> tuple[list[Problem], list[Problem]]:
        """The unknown columns and the columns whose type cannot hold them, one problem each."""
        unknown: list[Problem] = []
        wrong: list[Problem] = []
        for name in self.duplicated:
            wrong.append(
                Problem(
                    path=self.where(name),
                    message=f"the {self.table} frame has more than one column named "
                    f"{short(name, 40)}; give each column once",
                )
            )
        for column in self.columns.values():
            if column.role == "unknown":
                unknown.append(Problem(path=self.where(column.name), message=self._unknown(column)))
            elif column.role in ("field", "structural"):
                refusal = _refusal(column.dtype, column.kind, self.rules.zone)
                if refusal is not None and column.series.null_count() < self.rows:
                    wrong.append(
                        Problem(path=self.where(column.name), message=self._wrong(column, refusal))
                    )
        return unknown, wrong

    def _unknown(self, column: Column) -> str:
        return (
            f"the {self.table} frame has a column {short(column.name, 40)} that "
            f"{self.cls.__name__} does not have; name it in row_keys= or ignore_keys= to keep it"
        )

    def _wrong(self, column: Column, refusal: str) -> str:
        return f"{self.table} column {short(column.name, 40)} is {_native_dtype(column)}, {refusal}"

    # -- the values

    def names(self, *roles: str) -> list[Any]:
        """The columns of those roles, in the frame's order."""
        return [name for name, column in self.columns.items() if column.role in roles]

    def has(self, name: str) -> bool:
        """Whether the frame has the field or structural column ``name``."""
        column = self.columns.get(name)
        return column is not None and column.role in ("field", "structural")

    def values(self, name: Any) -> list[Any]:
        """The Python values of a column (converted once)."""
        found = self._values.get(name)
        if found is None:
            column = self.columns[name]
            if column.role in ("field", "structural") and column.series.null_count() == self.rows:
                found = [None] * self.rows  # an all-null column of any type: absent values
            else:
                found = python_values(column, self.rules.zone, pandas=self.pandas)
            self._values[name] = found
        return found

    def rows_as_records(self) -> list[dict[Any, Any]]:
        """Each row as a dict of its fields, structural and key columns (the slow path only)."""
        names = self.names("field", "structural", "key")
        if not names:
            return [{} for _ in range(self.rows)]
        columns = [self.values(name) for name in names]
        return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _native_dtype(column: Column) -> str:
    """How the column's own library names its type (``str``, ``timestamp[us]``, ``Int64``)."""
    native = nw.to_native(column.series)
    kind = getattr(native, "dtype", None)  # pandas, Polars
    if kind is None:
        kind = getattr(native, "type", column.dtype)  # a PyArrow ChunkedArray
    text = str(kind)
    return text if len(text) <= 40 else text[:39] + "\u2026"


# ----------------------------------------------------------------------------- types


_TEXT_TYPES = (nw.String, nw.Categorical, nw.Enum)
_MAP = getattr(nw, "Map", None)  # narwhals names Arrow's and Polars' maps in recent versions

_ACCEPTS = {
    "text": "which cannot hold text (give string or categorical values)",
    "kind": "which cannot hold a block kind (give the text COURSE, ASSESSMENT or CLASSROOM)",
    "datetime": "which cannot hold timestamps (give timestamps with a time zone, or ISO 8601 text)",
    "duration": "which cannot hold durations (give a duration type, or numbers of seconds)",
    "number": "which cannot hold numbers (give integers, floats or decimals)",
    "count": "which cannot hold counts (give integers)",
    "flag": "which cannot hold true or false (give booleans, or the integers 0 and 1)",
    "position": "which cannot hold block positions (give integers >= 0)",
    "ids": "which cannot hold lists of ids or texts (give lists of strings)",
    "mapping": "which cannot hold custom fields (give a struct or map of text, or dicts)",
    "record": "which cannot hold a nested record (give a struct of its fields, or dicts)",
}
_NAIVE = (
    "timestamps without a time zone: pass naive_timezone= (the zone they are in, "
    "such as 'UTC'), or give the column a time zone"
)
_FLOAT_FLAG = (
    "which cannot hold true or false (give booleans or 0/1 integers; pandas makes a 0/1 column "
    "with nulls float64: cast it to 'boolean')"
)


def _is_text(dtype: Any) -> bool:
    return isinstance(dtype, (*_TEXT_TYPES, nw.Unknown))


def _is_number(dtype: Any) -> bool:
    return bool(dtype.is_integer() or dtype.is_float() or dtype.is_decimal())


def _holds_mapping(dtype: Any) -> bool:
    """A struct or map of text (or null) values, or a list of key-value structs."""
    if isinstance(dtype, nw.Struct):
        return all(_is_text(field.dtype) for field in dtype.fields)
    if _MAP is not None and isinstance(dtype, _MAP):
        return _is_text(dtype.key) and _is_text(dtype.value)
    if isinstance(dtype, nw.List) and isinstance(dtype.inner, nw.Struct):
        fields = {field.name: field.dtype for field in dtype.inner.fields}
        return set(fields) == {"key", "value"} and all(map(_is_text, fields.values()))
    return False


def _refusal(dtype: Any, kind: str, zone: tzinfo | None) -> str | None:
    """Why a column of ``dtype`` cannot hold values of ``kind``; None when it can."""
    if kind in ("any", "records") or isinstance(dtype, nw.Object):
        return None  # read nowhere, or checked value by value by the records layer
    if kind == "datetime":
        if isinstance(dtype, nw.Datetime):
            return _NAIVE if dtype.time_zone is None and zone is None else None
        fine = isinstance(dtype, nw.String)
    elif kind in ("text", "kind"):
        fine = isinstance(dtype, _TEXT_TYPES)
    elif kind == "duration":
        fine = isinstance(dtype, nw.Duration) or _is_number(dtype)
    elif kind == "number":
        fine = _is_number(dtype)
    elif kind == "count":
        fine = bool(dtype.is_integer() or dtype.is_decimal())
    elif kind == "flag":
        if dtype.is_float():
            return _FLOAT_FLAG
        fine = isinstance(dtype, nw.Boolean) or dtype.is_integer()
    elif kind == "position":
        fine = dtype.is_integer()
    elif kind == "ids":
        fine = isinstance(dtype, (nw.List, nw.Array)) and _is_text(dtype.inner)
    elif kind == "mapping":
        fine = _holds_mapping(dtype)
    else:  # a nested record
        fine = isinstance(dtype, nw.Struct)
    return None if fine else _ACCEPTS[kind]


# ----------------------------------------------------------------------------- values


def python_values(column: Column, zone: tzinfo | None, *, pandas: bool) -> list[Any]:
    """The values of a column as Python objects, nulls as None.

    Timestamps with a zone (and naive ones read in a zone that is always
    UTC) are ``datetime``\\ s in UTC, ``tzinfo`` :data:`datetime.timezone.utc`;
    other naive timestamps stay naive (the records layer reads them in
    ``naive_timezone``). Durations are ``timedelta``\\ s. Struct values are
    dicts; a map is a dict; for custom fields, a struct's null entries are
    left out (a user without that field) and a list of key-value pairs is a
    dict.
    """
    series, dtype, kind = column.series, column.dtype, column.kind
    if isinstance(dtype, nw.Datetime):
        aware = dtype.time_zone is not None or _always_utc(zone)
        return _instants(series, aware=aware)
    if isinstance(dtype, nw.Duration):
        return _durations(series)
    if isinstance(dtype, (nw.Categorical, nw.Enum)):
        series = series.cast(nw.String())
    values: list[Any] = series.to_list()
    if pandas and series.null_count():  # pandas' NaN, NaT and NA: None
        values = [
            None if null else value
            for value, null in zip(values, series.is_null().to_list(), strict=True)
        ]
    if dtype.is_float():
        return [None if value != value else value for value in values]  # NaN: absent
    if isinstance(dtype, nw.Object):
        values = list(map(_plain_object, values))
    elif dtype.is_decimal():
        return [None if value is None or value.is_nan() else value for value in values]
    if kind == "mapping":
        return list(map(_as_mapping, values))
    return values


def _always_utc(zone: tzinfo | None) -> bool:
    """Whether ``zone`` is UTC at every instant (its name says so)."""
    if zone is None:
        return False
    return zone is _UTC or getattr(zone, "key", None) in _UTC_NAMES


def _plain_object(value: Any) -> Any:
    """A value of a column of Python objects: a null as None, a NumPy array as a list."""
    if value is None or absent(value):
        return None
    if type(value).__name__ == "ndarray" and callable(getattr(value, "tolist", None)):
        return value.tolist()  # a list as pandas reads it from Parquet or Arrow
    return value


def _as_mapping(value: Any) -> Any:
    """Custom fields as a dict: a struct without its null entries, a map's pairs."""
    if type(value) is dict:
        if None in value.values():  # a struct's field the row does not have
            return {title: text for title, text in value.items() if text is not None}
        return value
    if type(value) is list and all(type(item) is tuple and len(item) == 2 for item in value):
        return dict(value)  # an Arrow map, as PyArrow and pandas give it
    if (
        type(value) is list
        and value
        and all(type(item) is dict and item.keys() == {"key", "value"} for item in value)
    ):
        return {item["key"]: item["value"] for item in value}  # a map as a list of structs
    return value


def _instants(series: Any, *, aware: bool) -> list[Any]:
    """Timestamps as ``datetime``\\ s: in UTC (``aware``), else naive; nulls as None.

    The frame library makes the column naive UTC in microseconds; NumPy then
    gives each value as a ``timedelta`` from the epoch in one pass, and one
    addition each makes it a ``datetime``. Without NumPy, the integer
    microseconds are read instead (about three times slower).
    """
    if series.dtype.time_zone is not None:
        series = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    series = series.cast(nw.Datetime("us"))
    epoch = _EPOCH if aware else _NAIVE_EPOCH
    deltas = _deltas(series, lambda s: s.dt.timestamp("us"))
    try:
        return [None if delta is None else epoch + delta for delta in deltas]
    except OverflowError:  # beyond Python's datetimes: named by the records layer
        return [None if delta is None else _shifted(epoch, delta) for delta in deltas]


def _durations(series: Any) -> list[Any]:
    """Durations as ``timedelta``\\ s (to the microsecond); nulls as None."""
    return _deltas(series.cast(nw.Duration("us")), lambda s: s.dt.total_microseconds())


def _deltas(series: Any, microseconds: Callable[[Any], Any]) -> list[Any]:
    """A column in microseconds as ``timedelta``\\ s (from the epoch for timestamps)."""
    try:
        import numpy
    except ImportError:
        return _deltas_of_integers(microseconds(series).to_list())
    found = series.to_numpy()
    if found.dtype.kind == "M":  # timestamps: from the epoch
        found = found - numpy.datetime64(0, "us")
    deltas: list[Any] = found.astype(object).tolist()
    return deltas


def _deltas_of_integers(values: list[Any]) -> list[Any]:
    built: dict[int, timedelta] = {}
    found: list[timedelta | None] = []
    for value in values:
        if value is None or value != value:
            found.append(None)
            continue
        number = int(value)
        delta = built.get(number)
        if delta is None:
            delta = built[number] = timedelta(microseconds=number)
        found.append(delta)
    return found


def _shifted(epoch: datetime, delta: timedelta) -> Any:
    try:
        return epoch + delta
    except OverflowError:
        return OutOfRange(after=delta > timedelta(0))
