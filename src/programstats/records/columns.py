"""Large arrays of records read column by column: the fast path of registrations, attempts
and attendances, for documents and data frames alike.

A 20,000-learner session holds some 300,000 attempts. Built one record at a
time -- a cattrs function, seven readers and ``Attempt.__init__`` each --
they cost more than everything else a report does (see "Records in" in
``docs/performance.md``). Read by column, each column is converted in one
pass (ISO 8601 text a column at a time, each distinct duration built once)
and the core's column builders (:func:`~programstats.session.known_attempts`
and its siblings) check every rule of the type a column at a time and build
the values without an ``__init__`` each.

:func:`values_of_columns` takes columns (what a data frame gives);
:func:`values_of_records` takes records that each give every field of
their type (what ``to_record`` writes, nulls included). Each gives None
when anything is not plain and valid: the caller then structures the
records one by one, and the detailed path names what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any

from ..session import (
    Attempt,
    Registration,
    SlotAttendance,
    known_attempts,
    plain_attendances,
    plain_registrations,
)
from .format import DATETIMES, Spec, parse_instant

__all__ = ["COLUMN_TYPES", "values_of_columns", "values_of_records"]


def _attempts(*columns: Sequence[Any]) -> Sequence[Any] | None:
    known = known_attempts(*columns)
    return None if known is None else known.attempts


_BUILDERS: dict[type, Callable[..., Sequence[Any] | None]] = {
    Attempt: _attempts,
    Registration: plain_registrations,
    SlotAttendance: plain_attendances,
}
#: The types whose arrays are read by column.
COLUMN_TYPES = frozenset(_BUILDERS)

_STR = {str}
_TEXT_OR_NONE = {str, type(None)}
_SECONDS = frozenset((int, float))


def values_of_records(spec: Spec, items: list[Any]) -> Sequence[Any] | None:
    """The values of records (``dict``\\ s) that each give exactly every field of ``spec``.

    None when a record is not a ``dict``, lacks a field or has another key,
    or a value is not plain and valid.
    """
    width = len(spec.fields)
    if not items:
        return ()
    if set(map(type, items)) != {dict} or set(map(len, items)) != {width}:
        return None
    try:  # as many keys as fields, and each field found: exactly the fields
        columns = {f.name: list(map(itemgetter(f.name), items)) for f in spec.fields}
    except KeyError:
        return None
    return values_of_columns(spec, columns)


def values_of_columns(spec: Spec, columns: Mapping[str, list[Any]]) -> Sequence[Any] | None:
    """The values of one column per field of ``spec`` (equally long), read a column at a time.

    Only naive-free input is read here (datetimes as aware values or ISO
    text with an offset); anything else -- a naive value, a NaN for
    nothing, a ``Decimal``, ``0``/``1`` for a flag -- gives None, for the
    records to be read one by one.
    """
    builder = _BUILDERS[spec.cls]
    read = []
    try:
        for field in spec.fields:
            column: list[Any] | None = columns[field.name]
            if field.name in DATETIMES:
                column = _instants(columns[field.name])
            elif field.name == "time_spent":
                column = _durations(columns[field.name])
            if column is None:
                return None
            read.append(column)
    except (ValueError, OverflowError):  # the records one by one say what is wrong
        return None
    return builder(*read)


def _instants(column: list[Any]) -> list[Any] | None:
    """ISO 8601 text as datetimes, a column at a time (None stays None); datetimes as they are."""
    types = set(map(type, column))
    if types == _STR:
        return list(map(parse_instant, column))
    if types == _TEXT_OR_NONE:
        return [None if value is None else parse_instant(value) for value in column]
    if types <= {datetime, type(None)}:
        return column
    return None


def _durations(column: list[Any]) -> list[Any] | None:
    """Seconds as timedeltas, each distinct number built once (durations repeat)."""
    types = set(map(type, column))
    if types <= _SECONDS:
        built = {value: timedelta(seconds=value) for value in set(column)}
        return list(map(built.__getitem__, column))
    if types == {timedelta}:
        return column
    return None
