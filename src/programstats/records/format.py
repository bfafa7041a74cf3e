"""The record format and its rules: what each field of a record may hold, and how it is read.

A record is a mapping (a ``dict``, any other ``Mapping``, or a database row
such as ``sqlite3.Row`` that has ``keys()`` and item access by name) whose
keys are the field names of its type. This module knows, for every input
type, its fields, which have defaults, which hold nested records, and the
*reader* of each field: the function that turns a value as data gives it
(ISO 8601 text, seconds, ``0``/``1``, a ``Decimal``...) into the value the
type takes. A reader raises :class:`UnreadableError` with the words of the
problem; the domain types check everything else, in their own words.

Nothing here needs cattrs: :mod:`.structuring` builds cattrs hooks from
these rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from functools import cache
from typing import Any

import attrs

from .._checks import plain_datetime, short
from .._iso import parse_instant
from .._zones import resolve_zone
from ..directory import Group, User
from ..session import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Collaboration,
    ProgramTemplate,
    Reactions,
    Registration,
    Session,
    SlotAttendance,
)

__all__ = [
    "CHILDREN",
    "DATETIMES",
    "FLAGS",
    "NESTED",
    "Field",
    "Rules",
    "Spec",
    "Unloadable",
    "UnreadableError",
    "absent",
    "as_given",
    "as_mapping",
    "in_zone",
    "parse_instant",
    "read_kind",
    "rules",
    "value_kind",
    "what",
]

#: A reader takes a value (and, as a cattrs hook, the field's type, unused).
Reader = Callable[[Any, Any], Any]

# Null values of data-frame libraries, known by their type's name (no import).
_NULL_TYPES = frozenset({"NaTType", "NAType"})


class UnreadableError(Exception):
    """A value that cannot be read as its field's type; the message says why."""


def absent(value: object) -> bool:
    """Whether ``value`` means "nothing": None, a NaN, pandas' ``NaT`` or ``NA``.

    >>> absent(None), absent(float("nan")), absent(Decimal("NaN")), absent(0), absent("")
    (True, True, True, False, False)
    """
    if value is None:
        return True
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return False
    if kind is float:
        return value != value
    if isinstance(value, float):  # numpy.float64 and other subclasses
        return value != value
    if isinstance(value, Decimal):
        return value.is_nan()
    return kind.__name__ in _NULL_TYPES


def what(value: object) -> str:
    """The type and the bounded representation of a value, for messages: ``str '80'``."""
    return f"{type(value).__name__} {short(value, 40)}"


@attrs.frozen
class Unloadable:
    """What stands in the input for a JSON object or line that could not be loaded.

    :func:`~programstats.records.load_json` puts one in place of an object
    that gives a key twice (``keys``), :func:`~programstats.records.json_lines`
    in place of a line that is not JSON. Structuring names it -- one problem
    per key given twice, or ``message`` -- and leaves it out.
    """

    message: str
    keys: tuple[str, ...] = ()


def as_mapping(record: object) -> dict[Any, Any] | None:
    """A record as a ``dict`` of its keys; None when it is not a record at all.

    A ``dict`` is taken as it is; any other ``Mapping``, or a row object
    with ``keys()`` and item access by name (``sqlite3.Row``), is copied
    into one. Strings, numbers and lists are not records.
    """
    if type(record) is dict:
        return record
    if isinstance(record, Mapping):
        return dict(record)
    if isinstance(record, (str, bytes, bytearray, Unloadable)):
        return None
    keys = getattr(type(record), "keys", None)
    if not callable(keys) or not hasattr(type(record), "__getitem__"):
        return None
    try:
        return {key: record[key] for key in record.keys()}  # type: ignore[attr-defined,index]  # noqa: SIM118 - a row's own keys()
    except Exception:  # the row's own error: it is not a record we can read
        return None


# --------------------------------------------------------------------------- readers


_EXAMPLE = "such as '2026-03-01T08:00:00Z'"


def _datetime_reader(zone: tzinfo | None) -> Reader:
    """Reads ISO 8601 text and datetimes; naive ones in ``zone``, or refused without one."""

    def read(value: Any, _: object = None) -> Any:
        if type(value) is str:
            try:
                found = parse_instant(value)
            except ValueError:
                raise UnreadableError(
                    f"{short(value, 40)} is not an ISO 8601 date and time with an offset, "
                    + _EXAMPLE
                ) from None
        elif isinstance(value, datetime):  # pandas.Timestamp and other subclasses too
            found = plain_datetime(value)
        else:
            raise UnreadableError(
                f"must be an ISO 8601 date and time with an offset or an aware datetime, "
                f"got {what(value)}"
            )
        if found.tzinfo is None:
            if zone is None:
                raise UnreadableError(
                    f"{short(value, 40)} has no offset: add one ('Z' for UTC) or pass "
                    "naive_timezone="
                )
            found = in_zone(found, zone)
        return found  # a tzinfo that fails is explained by the type

    return read


def in_zone(naive: datetime, zone: tzinfo) -> datetime:
    """A naive datetime read as wall-clock time in ``zone``, as the instant in UTC.

    The first of two readings of an hour that repeats (``fold=0``). UTC as
    ``timezone.utc`` itself: the form the types take without converting.
    """
    if zone is timezone.utc:
        return naive.replace(tzinfo=zone)
    return naive.replace(tzinfo=zone).astimezone(timezone.utc)


def _duration(value: Any, _: object = None) -> Any:
    kind = type(value)
    try:
        if kind is int or kind is float:
            return timedelta(seconds=value)
        if kind is timedelta:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, timedelta)):
            raise UnreadableError(f"must be a number of seconds or a timedelta, got {what(value)}")
        if isinstance(value, timedelta):  # pandas.Timedelta: kept to the microsecond
            return timedelta(
                days=value.days, seconds=value.seconds, microseconds=value.microseconds
            )
        return timedelta(seconds=float(value))
    except (OverflowError, ValueError):
        raise UnreadableError(
            f"{short(value, 40)} is not a usable number of seconds (finite, not too large)"
        ) from None


def _number(value: Any, _: object = None) -> Any:
    kind = type(value)
    if kind is int or kind is float:
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise UnreadableError(f"must be a finite number, got {what(value)}")
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnreadableError(f"must be a number (an int, a float or a Decimal), got {what(value)}")
    return value  # numpy.float64 and other subclasses: the type makes them plain


def _count(value: Any, _: object = None) -> Any:
    if type(value) is int:
        return value
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnreadableError(f"must be a whole number, got {what(value)}")
    return value


def _flag(value: Any, _: object = None) -> Any:
    if value is True or value is False:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and (value == 0 or value == 1):
        return value == 1
    raise UnreadableError(f"must be true or false (or the integers 0 and 1), got {what(value)}")


def read_kind(value: Any, _: object = None) -> Any:
    if isinstance(value, BlockKind):
        return value
    if type(value) is str and value in BlockKind.__members__:
        return BlockKind[value]
    names = ", ".join(kind.name for kind in BlockKind)
    raise UnreadableError(f"{short(value, 40)} is not a block kind; use one of {names}")


def as_given(value: Any, _: object = None) -> Any:
    """The reader of a field whose value is taken as it is (the type checks it)."""
    return value


#: Fields that hold a flag (true or false).
FLAGS = frozenset({"scored", "examination_mode", "via_catalog", "completed", "anonymized"})
# Which reader reads which field (by name; the same name means the same thing in every type).
#: Fields that hold a datetime.
DATETIMES = frozenset(
    {"start", "end", "started_at", "last_activity_at", "registered_at", "unregistered_at"}
    | {"deleted_at"}
)
_READERS: dict[str, Reader] = {
    "time_spent": _duration,
    "expected_duration": _duration,
    "score": _number,
    "passing_score": _number,
    "percent": _number,
    "duration_hours": _number,
    "posts": _count,
    "comments": _count,
    "likes": _count,
    "learned_something": _count,
    "outdated": _count,
    "didnt_get_it": _count,
    **dict.fromkeys(FLAGS, _flag),
    "kind": read_kind,
}

#: Fields that hold one nested record, by owner type and field name.
NESTED: dict[tuple[type, str], type] = {
    (Session, "template"): ProgramTemplate,
    (Session, "collaboration"): Collaboration,
    (Collaboration, "reactions"): Reactions,
}
#: The arrays of records a session holds, and their type.
CHILDREN: dict[str, type] = {
    "blocks": Block,
    "slots": ClassroomSlot,
    "registrations": Registration,
    "attempts": Attempt,
    "attendances": SlotAttendance,
}
#: Fields that are arrays of ids or texts, each entry checked on its own.
ID_LISTS = frozenset(
    {"group_ids", "manager_emails", "instructor_ids", "catalog_group_ids", "waiting_list"}
    | {"certificate_user_ids", "tags"}
)


# --------------------------------------------------------------------------- specs


@attrs.frozen
class Field:
    """One field of a record type: its name, reader, default and nested type."""

    name: str
    read: Reader
    required: bool
    default: Any  # the value, or an attrs.Factory
    nested: type | None = None  # a record type (one value) ...
    many: bool = False  # ... or an array of them

    def default_value(self) -> Any:
        """The field's default (a fresh one for a factory)."""
        if isinstance(self.default, attrs.Factory):  # type: ignore[arg-type]
            return self.default.factory()
        return self.default


#: What each reader reads (see :func:`value_kind`).
_KINDS: dict[Reader, str] = {
    _duration: "duration",
    _number: "number",
    _count: "count",
    _flag: "flag",
    read_kind: "kind",
}


def value_kind(field: Field) -> str:
    """What the values of ``field`` are, as a typed column must hold them.

    One of ``"datetime"``, ``"duration"``, ``"number"``, ``"count"``,
    ``"flag"``, ``"kind"`` (a block kind's name), ``"ids"`` (an array of ids
    or texts), ``"mapping"`` (custom fields: title to value), ``"record"``
    (one nested record), ``"records"`` (an array of them) or ``"text"``.
    """
    if field.nested is not None:
        return "records" if field.many else "record"
    if field.name in DATETIMES:
        return "datetime"
    if field.name in ID_LISTS:
        return "ids"
    if field.name == "custom_fields":
        return "mapping"
    return _KINDS.get(field.read, "text")


_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_TEMPLATE = ProgramTemplate(id="template", name="")


@attrs.frozen
class Spec:
    """The record rules of one type, and what checking one field alone needs.

    ``probe`` holds valid values of every required field: a field is
    checked alone by building the type from the probe with that one value
    in place (the type's own rule, in its own words). ``partners`` are
    fields compared with each other (a start and its end), each with
    whether its partner comes later: the partner takes the later (or
    earlier) of the value and the probe's, so the order holds and only the
    field itself is judged. ``overrides`` are values that a field needs
    around it to be judged alone (examination mode needs a passing score).
    """

    cls: type
    fields: tuple[Field, ...]
    names: frozenset[str]
    ident: tuple[str, ...]  # the fields that name a record in messages
    probe: Mapping[str, Any]
    partners: Mapping[str, tuple[str, bool]]  # the partner, and whether it comes later
    overrides: Mapping[str, Mapping[str, Any]]

    def owner(self, record: Mapping[Any, Any]) -> str:
        """How messages name the record: ``Attempt of user 'ana' on block 'quiz'``.

        By the type's name alone when an id is not a usable one.
        """
        ids = [record.get(name) for name in self.ident]
        if any(type(value) is not str or not value for value in ids):
            return self.cls.__name__
        return self.written_owner(record)

    def written_owner(self, record: Mapping[Any, Any]) -> str:
        """How the type's own messages name a record with these ids, whatever they are."""
        ids = [record.get(name) for name in self.ident]
        if not ids:
            return self.cls.__name__
        if self.cls in (Attempt, SlotAttendance):
            other = "block" if self.cls is Attempt else "slot"
            return f"{self.cls.__name__} of user {short(ids[0], 40)} on {other} {short(ids[1], 40)}"
        return f"{self.cls.__name__} {short(ids[0], 40)}"

    def record_id(self, record: Mapping[Any, Any]) -> str | None:
        """The record's id (a user id for registrations, attempts, attendances), when usable."""
        if self.ident:
            value = record.get(self.ident[0])
            if type(value) is str and value:
                return value
        return None


def _spec(
    cls: type,
    zone: tzinfo | None,
    ident: tuple[str, ...],
    probe: dict[str, Any],
    partners: dict[str, tuple[str, bool]] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> Spec:
    read_datetime = _datetime_reader(zone)
    fields = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        name = field.alias or field.name
        child = CHILDREN.get(name) if cls is Session else None
        reader = read_datetime if name in DATETIMES else _READERS.get(name, as_given)
        fields.append(
            Field(
                name=name,
                read=reader,
                required=field.default is attrs.NOTHING,
                default=field.default,
                nested=child or NESTED.get((cls, name)),
                many=child is not None,
            )
        )
    return Spec(
        cls=cls,
        fields=tuple(fields),
        names=frozenset(f.name for f in fields),
        ident=ident,
        probe=probe,
        partners=partners or {},
        overrides=overrides or {},
    )


@attrs.frozen(eq=False)  # one per zone (cached), compared and hashed by identity
class Rules:
    """The specs of every input type, for one way of reading naive datetimes."""

    zone: tzinfo | None
    specs: Mapping[type, Spec]


@cache
def _rules(zone: tzinfo | None) -> Rules:
    instants = {"start": ("end", True), "end": ("start", False)}
    specs = (
        _spec(Group, zone, ("id",), {"id": "group", "name": ""}),
        _spec(User, zone, ("id",), {"id": "user", "first_name": "", "last_name": "", "email": ""}),
        _spec(ProgramTemplate, zone, ("id",), {"id": "template", "name": ""}),
        _spec(
            Block,
            zone,
            ("id",),
            {"id": "block", "title": "", "kind": BlockKind.COURSE},
            overrides={"examination_mode": {"passing_score": 0}},
        ),
        _spec(
            ClassroomSlot,
            zone,
            ("id",),
            {
                "id": "slot",
                "block_id": "block",
                "title": "",
                "start": _EPOCH,
                "end": _EPOCH,
                "duration_hours": 0,
            },
            partners=instants,
        ),
        _spec(
            Registration,
            zone,
            ("user_id",),
            {"user_id": "user", "registered_at": _EPOCH},
            partners={"unregistered_at": ("registered_at", False)},
        ),
        _spec(
            Attempt,
            zone,
            ("user_id", "block_id"),
            {
                "user_id": "user",
                "block_id": "block",
                "started_at": _EPOCH,
                "last_activity_at": _EPOCH,
                "time_spent": timedelta(0),
            },
            partners={
                "started_at": ("last_activity_at", True),
                "last_activity_at": ("started_at", False),
            },
        ),
        _spec(
            SlotAttendance,
            zone,
            ("user_id", "slot_id"),
            {"user_id": "user", "slot_id": "slot", "percent": 0},
        ),
        _spec(Reactions, zone, (), {}),
        _spec(Collaboration, zone, (), {}),
        _spec(
            Session,
            zone,
            ("id",),
            {
                "id": "session",
                "name": "",
                "template": _TEMPLATE,
                "author_id": "author",
                "start": _EPOCH,
                "end": _EPOCH,
                "blocks": (),
            },
            partners=instants,
        ),
    )
    return Rules(zone=zone, specs={spec.cls: spec for spec in specs})


def rules(naive_timezone: object = None) -> Rules:
    """The record rules, with naive datetimes read in ``naive_timezone`` (refused for None).

    Raises :class:`~programstats.InvalidInputError` for a zone that is not an
    IANA name (or a usable tzinfo).
    """
    if naive_timezone is None:
        return _rules(None)
    zone = resolve_zone(naive_timezone, "records", "naive_timezone")
    if getattr(zone, "key", None) in _UTC_NAMES:
        zone = timezone.utc  # the same instants; the form the types take as it is
    return _rules(zone)


# IANA names of UTC itself (a zone of offset 0 for ever).
_UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"}
)
