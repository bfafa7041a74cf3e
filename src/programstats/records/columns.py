"""Large arrays of records read column by column: the fast path of users, registrations,
attempts and attendances, for documents and data frames alike.

A 20,000-learner session holds some 300,000 attempts, and its directory
20,000 users. Built one record at a
time -- a cattrs function, seven readers and ``Attempt.__init__`` each --
they cost more than everything else a report does (see "Records in" in
``docs/performance.md``). Read by column, each column is converted in one
pass (ISO 8601 text a column at a time, each distinct duration built once)
and the core's column builders (:func:`~programstats.session.plain_attempts`
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
from datetime import datetime, timedelta, timezone, tzinfo
from operator import itemgetter
from typing import Any

from .._checks import to_frozen_map, to_frozenset, to_tuple
from .._iso import parse_instants
from ..directory import User, plain_users
from ..session import (
    Attempt,
    Registration,
    SlotAttendance,
    plain_attempts,
    plain_attendances,
    plain_registrations,
)
from .format import DATETIMES, FLAGS, Spec, in_zone, parse_instant

__all__ = ["COLUMN_TYPES", "values_of_columns", "values_of_records"]


_BUILDERS: dict[type, Callable[..., Sequence[Any] | None]] = {
    Attempt: plain_attempts,
    Registration: plain_registrations,
    SlotAttendance: plain_attendances,
    User: plain_users,
}
# A user's collections, as its converters give them; users share them, so
# each distinct one is converted once (users with equal ones then share it).
_COLLECTIONS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "group_ids": (tuple, to_frozenset),
    "manager_emails": (tuple, to_tuple),
    "custom_fields": (lambda fields: tuple(fields.items()), to_frozen_map),
}
#: The types whose arrays are read by column.
COLUMN_TYPES = frozenset(_BUILDERS)

_STR = {str}
_TEXT_OR_NONE = {str, type(None)}
_DATETIME_OR_NONE = {datetime, type(None)}
_BOOL = {bool}
_LIST_OR_DICT = {list, dict}
_BOOL_OR_INT = {bool, int}
_SECONDS = frozenset((int, float))


def values_of_records(
    spec: Spec, items: list[Any], zone: tzinfo | None = None, *, keys_checked: bool = False
) -> Sequence[Any] | None:
    """The values of records (``dict``\\ s) that each give every field of ``spec``.

    ``keys_checked``: the caller knows the records have no key the type
    does not have (database rows, whose other columns are known); else a
    record must have exactly the fields. ``zone`` reads naive datetimes.
    None when a record is not a ``dict``, lacks a field, or a value is not
    plain and valid.
    """
    if not items:
        return ()
    if set(map(type, items)) != {dict}:
        return None
    if not keys_checked and set(map(len, items)) != {len(spec.fields)}:
        return None
    try:  # each field found (and, unless checked, as many keys as fields: exactly them)
        columns = {f.name: list(map(itemgetter(f.name), items)) for f in spec.fields}
    except KeyError:
        return None
    return values_of_columns(spec, columns, zone)


def values_of_columns(
    spec: Spec, columns: Mapping[str, list[Any]], zone: tzinfo | None = None
) -> Sequence[Any] | None:
    """The values of one column per field of ``spec`` (equally long), read a column at a time.

    Datetimes are aware values or ISO text, naive ones read in ``zone``;
    flags ``True``/``False`` or ``0``/``1``. Anything else -- a NaN for
    nothing, a ``Decimal`` -- gives None, for the records to be read one
    by one.
    """
    builder = _BUILDERS[spec.cls]
    read = []
    try:
        for field in spec.fields:
            column: list[Any] | None = columns[field.name]
            if field.name in DATETIMES:
                column = _instants(columns[field.name], zone)
            elif field.name == "time_spent":
                column = _durations(columns[field.name])
            elif field.name in FLAGS:
                column = _flags(columns[field.name])
            elif field.name in _COLLECTIONS:
                column = _shared(columns[field.name], *_COLLECTIONS[field.name])
            if column is None:
                return None
            read.append(column)
    except (ValueError, OverflowError):  # the records one by one say what is wrong
        return None
    return builder(*read)


def _instants(column: list[Any], zone: tzinfo | None) -> list[Any] | None:
    """ISO 8601 text as datetimes, a column at a time (None stays None); datetimes as they are.

    With ``zone``, naive ones are read there (the builders refuse them otherwise).
    """
    types = set(map(type, column))
    found: list[Any]
    if types == _STR:
        found = parse_instants(column)
    elif types == _TEXT_OR_NONE:
        found = [None if value is None else parse_instant(value) for value in column]
    elif types <= _DATETIME_OR_NONE:
        found = column
    else:
        return None
    if zone is None:
        return found
    if zone is timezone.utc and types == _STR:  # UTC text: read again with its offset, ten
        return [  # times cheaper than datetime.replace
            parse_instant(text + "+00:00") if value.tzinfo is None else value
            for text, value in zip(column, found, strict=True)
        ]
    return [
        in_zone(value, zone) if value is not None and value.tzinfo is None else value
        for value in found
    ]


def _shared(
    column: list[Any], key: Callable[[Any], Any], convert: Callable[[Any], Any]
) -> list[Any] | None:
    """Lists (or dicts) as the values their converter gives, each distinct one converted once."""
    if not set(map(type, column)) <= _LIST_OR_DICT:
        return None
    keys = list(map(key, column))
    try:
        values = {found: convert(given) for found, given in zip(keys, column, strict=True)}
    except TypeError:  # an unhashable entry: read one by one
        return None
    return list(map(values.__getitem__, keys))


def _flags(column: list[Any]) -> list[Any] | None:
    """Flags as booleans: ``True``/``False``, or the integers ``0`` and ``1``."""
    types = set(map(type, column))
    if types <= _BOOL:
        return column
    if types <= _BOOL_OR_INT and set(column) <= {0, 1}:
        return [value == 1 for value in column]
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
