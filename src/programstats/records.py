"""Plain data in and out: records, JSON documents, database rows, DataFrames.

==========================  ==================================================
function                    what it does
==========================  ==================================================
:func:`structure_world`     a world document -> :class:`World` (can quarantine)
:func:`from_tables`         flat rows, as a database returns them -> World
:func:`structure_session`   one session record -> :class:`~programstats.Session`
:func:`structure_directory`  a directory record -> :class:`~programstats.Directory`
:func:`structure`           a record -> any input type
:func:`to_record`           any input value or result -> JSON-ready data
:func:`problems_table`      problems as a :class:`~programstats.Table`
==========================  ==================================================

A record is a dict whose keys are the field names of its type. Datetimes are
ISO 8601 strings with an offset or ``Z`` (aware :class:`~datetime.datetime`
objects are accepted too), durations are seconds (or
:class:`~datetime.timedelta`), a block's ``kind`` is the name ``COURSE``,
``ASSESSMENT`` or ``CLASSROOM``, sets are arrays. A field with a default
takes it when the value is missing, None, a float NaN or pandas' ``NaT``.
A key the type does not have is a problem.

Every problem is a :class:`Problem`: the JSON path of the value, the rule it
breaks (the words of the error the type itself raises) and the record's id.
``on_error="raise"`` finds every problem, then raises one
:class:`InvalidRecordsError` (an :class:`~programstats.InvalidInputError`)
listing them; ``on_error="skip"`` leaves out the smallest record that is
wrong, and whatever no longer holds together without it, and names each
left-out record in :attr:`World.problems`.

Needs the optional dependency cattrs: ``pip install 'programstats[records]'``.
"""

from __future__ import annotations

try:
    import cattrs
except ImportError as _missing:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "programstats.records needs cattrs; install it with: pip install 'programstats[records]'"
    ) from _missing

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from itertools import chain
from operator import itemgetter
from typing import Any, Literal, TypeVar

import attrs

from ._checks import (
    FrozenMap,
    plain_datetime,
    text_problem,
    to_frozen_map,
    to_frozenset,
    to_tuple,
)
from ._iso import parse_instant
from .directory import Directory, Group, User, plain_users
from .errors import InvalidInputError
from .facts import check_known
from .session import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Collaboration,
    KnownAttempts,
    ProgramTemplate,
    Reactions,
    Registration,
    Session,
    SlotAttendance,
    known_attempts,
    plain_attendances,
    plain_registrations,
    session_with_attempts,
)
from .world import InvalidRecordsError, Problem, World, problems_table

__all__ = [
    "InvalidRecordsError",
    "Problem",
    "World",
    "from_tables",
    "problems_table",
    "structure",
    "structure_directory",
    "structure_session",
    "structure_world",
    "to_record",
]

_T = TypeVar("_T")
OnError = Literal["raise", "skip"]


# ------------------------------------------------------------------------------- public values


# ------------------------------------------------------------------------------ reading values


class _UnreadableError(Exception):
    """A raw value that cannot even be turned into the field's Python type."""


def _absent(value: object) -> bool:
    """None, a float NaN or pandas' NaT: how data frames write "nothing"."""
    if value is None:
        return True
    if type(value) is float:
        return value != value
    return type(value).__name__ == "NaTType"


def _datetime(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        try:
            return parse_instant(value)
        except ValueError:
            raise _UnreadableError(
                f"{value!r} is not an ISO 8601 date and time with an offset, "
                "such as '2026-03-01T09:00:00+01:00' or '2026-03-01T08:00:00Z'"
            ) from None
    if isinstance(value, datetime):  # pandas.Timestamp and other subclasses too
        return plain_datetime(value)
    return value  # the type says what is wrong with it


def _duration(value: Any) -> Any:
    kind = type(value)
    if kind is int or kind is float:
        try:
            return timedelta(seconds=value)
        except (OverflowError, ValueError):
            raise _UnreadableError(
                f"{value!r} is not a usable number of seconds (finite, not too large)"
            ) from None
    if kind is timedelta:
        return value
    if isinstance(value, timedelta):  # pandas.Timedelta
        return timedelta(days=value.days, seconds=value.seconds, microseconds=value.microseconds)
    return value


def _kind(value: Any) -> Any:
    if isinstance(value, BlockKind):
        return value
    if type(value) is str:
        try:
            return BlockKind[value]
        except KeyError:
            pass
    names = ", ".join(kind.name for kind in BlockKind)
    raise _UnreadableError(f"{value!r} is not a block kind; use one of {names}")


def _raw(value: Any) -> Any:
    return value


_Reader = Callable[[Any], Any]


@attrs.frozen
class _Field:
    name: str
    read: _Reader
    has_default: bool
    nested: type | None = None  # a record type (one value) ...
    many: bool = False  # ... or an array of them


@attrs.frozen
class _Spec:
    cls: type
    fields: tuple[_Field, ...]
    names: frozenset[str]
    # Fields whose valid record value names the record in messages.
    ident: tuple[str, ...]
    # Valid values for every field without a default, used to check one field alone.
    probe: Mapping[str, Any]
    # Fields compared with one another: checked alone, the partner gets the same value.
    partners: Mapping[str, str]
    overrides: Mapping[str, Mapping[str, Any]]


_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_TEMPLATE = ProgramTemplate(id="template", name="")
_SPECIAL: dict[str, _Reader] = {
    "start": _datetime,
    "end": _datetime,
    "started_at": _datetime,
    "last_activity_at": _datetime,
    "registered_at": _datetime,
    "unregistered_at": _datetime,
    "deleted_at": _datetime,
    "time_spent": _duration,
    "expected_duration": _duration,
    "kind": _kind,
}
_NESTED: dict[tuple[type, str], tuple[type, bool]] = {
    (Session, "template"): (ProgramTemplate, False),
    (Session, "collaboration"): (Collaboration, False),
    (Collaboration, "reactions"): (Reactions, False),
    (Session, "blocks"): (Block, True),
    (Session, "slots"): (ClassroomSlot, True),
    (Session, "registrations"): (Registration, True),
    (Session, "attempts"): (Attempt, True),
    (Session, "attendances"): (SlotAttendance, True),
}


def _spec(
    cls: type,
    ident: tuple[str, ...],
    probe: dict[str, Any],
    partners: dict[str, str] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> _Spec:
    fields = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        name = field.alias or field.name
        nested, many = _NESTED.get((cls, name), (None, False))
        fields.append(
            _Field(
                name=name,
                read=_SPECIAL.get(name, _raw),
                has_default=field.default is not attrs.NOTHING,
                nested=nested,
                many=many,
            )
        )
    return _Spec(
        cls=cls,
        fields=tuple(fields),
        names=frozenset(f.name for f in fields),
        ident=ident,
        probe=probe,
        partners=partners or {},
        overrides=overrides or {},
    )


_SPECS: dict[type, _Spec] = {
    spec.cls: spec
    for spec in (
        _spec(Group, ("id",), {"id": "group", "name": ""}),
        _spec(User, ("id",), {"id": "user", "first_name": "", "last_name": "", "email": ""}),
        _spec(ProgramTemplate, ("id",), {"id": "template", "name": ""}),
        _spec(
            Block,
            ("id",),
            {"id": "block", "title": "", "kind": BlockKind.COURSE},
            overrides={"examination_mode": {"passing_score": 0}},
        ),
        _spec(
            ClassroomSlot,
            ("id",),
            {
                "id": "slot",
                "block_id": "block",
                "title": "",
                "start": _EPOCH,
                "end": _EPOCH,
                "duration_hours": 0,
            },
            partners={"start": "end", "end": "start"},
        ),
        _spec(
            Registration,
            ("user_id",),
            {"user_id": "user", "registered_at": _EPOCH},
            partners={"unregistered_at": "registered_at"},
        ),
        _spec(
            Attempt,
            ("user_id", "block_id"),
            {
                "user_id": "user",
                "block_id": "block",
                "started_at": _EPOCH,
                "last_activity_at": _EPOCH,
                "time_spent": timedelta(0),
            },
            partners={"started_at": "last_activity_at", "last_activity_at": "started_at"},
        ),
        _spec(
            SlotAttendance,
            ("user_id", "slot_id"),
            {"user_id": "user", "slot_id": "slot", "percent": 0},
        ),
        _spec(Reactions, (), {}),
        _spec(Collaboration, (), {}),
        _spec(
            Session,
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
            partners={"start": "end", "end": "start"},
        ),
    )
}


def _record_id(spec: _Spec, record: Mapping[str, Any]) -> str | None:
    if spec.ident:
        value = record.get(spec.ident[0])
        if type(value) is str and value:
            return value
    return None


class _Sink:
    """Where problems go while one input is structured."""

    __slots__ = ("causes", "problems")

    def __init__(self) -> None:
        self.problems: list[Problem] = []  # causes and consequences, in order
        self.causes: list[Problem] = []  # what is wrong in the input itself

    def add(self, path: str, message: str, record_id: str | None = None) -> None:
        problem = Problem(path=path, message=message, record_id=record_id)
        self.problems.append(problem)
        self.causes.append(problem)

    def left_out(self, path: str, out: _Out, record_id: str | None = None) -> None:
        """A record that is fine in itself, left out because ``out`` was."""
        self.problems.append(Problem(path=path, message=out.because(), record_id=record_id))


def _unknown_keys(spec: _Spec, record: Mapping[Any, Any], path: str, sink: _Sink) -> None:
    known = ", ".join(f.name for f in spec.fields)
    rid = _record_id(spec, record)
    owner = spec.cls.__name__ if rid is None else f"{spec.cls.__name__} {rid!r}"
    for key in record:
        if key not in spec.names:
            sink.add(
                f"{path}.{key}" if isinstance(key, str) else path,
                f"{owner}: unknown field {key!r}; the fields of {spec.cls.__name__} are: {known}",
                rid,
            )


def _not_an_object(spec: _Spec, record: object, path: str, sink: _Sink) -> None:
    sink.add(
        path,
        f"a {spec.cls.__name__} record must be an object (a dict) of its fields, "
        f"got {type(record).__name__}",
    )


def _fast(spec: _Spec, record: Any) -> Any:
    """The clean case in one go; None when anything needs a closer look."""
    return _FAST[spec.cls](record)


_FastFunction = Callable[[Any], Any]
_FAST: dict[type, _FastFunction] = {}
_FAST_ERRORS = (InvalidInputError, _UnreadableError, TypeError, ValueError, OverflowError)


def _compile_fast(spec: _Spec) -> _FastFunction:
    """A structuring function written for one type: no loop over fields, no generic reads.

    It only handles records that are clean as they are; anything else
    (a missing value, a wrong type, a rule broken) returns None, and the
    slow path finds out and reports what is wrong.
    """
    lines = [
        "def fast(record):",
        "    if type(record) is not dict or not names.issuperset(record):",
        "        return None",
        "    values = {}",
        "    try:",
    ]
    scope: dict[str, Any] = {
        "names": spec.names,
        "cls": spec.cls,
        "errors": _FAST_ERRORS,
        "fromisoformat": parse_instant,
        "timedelta": timedelta,
        "_datetime": _datetime,
        "_duration": _duration,
        "_kind": _kind,
    }
    for number, field in enumerate(spec.fields):
        if field.many:
            lines.append(f"        if {field.name!r} in record:")
            lines.append("            return None")
            continue
        get = f"record[{field.name!r}]"
        lines.append(f"        if {field.name!r} in record:")
        lines.append(f"            value = {get}")
        if field.nested is not None:
            scope[f"nested{number}"] = _FAST[field.nested]
            lines.append("            if type(value) is not dict:")
            lines.append("                return None")
            lines.append(f"            value = nested{number}(value)")
            lines.append("            if value is None:")
            lines.append("                return None")
        elif field.read is _datetime:
            lines.append(
                "            value = fromisoformat(value) if type(value) is str "
                "else _datetime(value)"
            )
        elif field.read is _duration:
            lines.append(
                "            value = timedelta(seconds=value) "
                "if type(value) is int or type(value) is float else _duration(value)"
            )
        elif field.read is _kind:
            lines.append("            value = _kind(value)")
        lines.append(f"            values[{field.name!r}] = value")
    lines += [
        "        return cls(**values)",
        "    except errors:",
        "        return None",
    ]
    exec("\n".join(lines), scope)  # code built above from field names only
    function: _FastFunction = scope["fast"]
    return function


for _cls in (
    Group,
    User,
    ProgramTemplate,
    Block,
    ClassroomSlot,
    Registration,
    Attempt,
    SlotAttendance,
    Reactions,
    Collaboration,
):
    _FAST[_cls] = _compile_fast(_SPECS[_cls])


def _structure_one(spec: _Spec, record: Any, path: str, sink: _Sink) -> Any:
    """One record of a flat type (no arrays of records); None after adding its problems."""
    if type(record) is spec.cls:  # already a value (a caller mixing values and records)
        return record
    found = _fast(spec, record)
    if found is not None:
        return found
    if not isinstance(record, Mapping):
        _not_an_object(spec, record, path, sink)
        return None
    _unknown_keys(spec, record, path, sink)
    values = _read_fields(spec, record, path, sink)
    if values is None:
        return None
    try:
        return spec.cls(**values)
    except InvalidInputError as error:
        _diagnose(spec, values, record, path, sink, error)
        return None


def _read_fields(
    spec: _Spec, record: Mapping[str, Any], path: str, sink: _Sink
) -> dict[str, Any] | None:
    """The field values ready for the constructor, or None after adding problems."""
    values: dict[str, Any] = {}
    ok = True
    rid = _record_id(spec, record)
    owner = spec.cls.__name__ if rid is None else f"{spec.cls.__name__} {rid!r}"
    for field in spec.fields:
        value = record.get(field.name)
        if _absent(value):
            if not field.has_default:
                shown = "is missing" if field.name not in record else f"is {value!r}"
                sink.add(
                    f"{path}.{field.name}",
                    f"{owner}: {field.name} {shown}; it is required",
                    rid,
                )
                ok = False
            continue
        if field.nested is not None and not field.many:
            inner = _structure_one(_SPECS[field.nested], value, f"{path}.{field.name}", sink)
            if inner is None:
                ok = False
            values[field.name] = inner
            continue
        try:
            values[field.name] = field.read(value)
        except _UnreadableError as error:
            sink.add(f"{path}.{field.name}", f"{owner}: {field.name} {error}", rid)
            ok = False
    return values if ok else None


def _probe_values(spec: _Spec, values: Mapping[str, Any], name: str) -> dict[str, Any]:
    probe = dict(spec.probe)
    for ident in spec.ident:
        value = values.get(ident)
        if type(value) is str and value and text_problem(value) is None:
            probe[ident] = value
    probe.update(spec.overrides.get(name, {}))
    value = values[name]
    probe[name] = value
    partner = spec.partners.get(name)
    if partner is not None and isinstance(value, datetime) and _usable_offset(value):
        probe[partner] = value
    return probe


def _usable_offset(value: datetime) -> bool:
    """Whether ``value`` is aware with a zone that works (the type explains a broken one)."""
    try:
        return value.utcoffset() is not None
    except Exception:  # any tzinfo's own error: the constructor reports it
        return False


def _diagnose(
    spec: _Spec,
    values: Mapping[str, Any],
    record: Mapping[str, Any],
    path: str,
    sink: _Sink,
    error: InvalidInputError,
) -> None:
    """One problem per field that is wrong on its own; the record's error otherwise."""
    rid = _record_id(spec, record)
    found = False
    for name in values:
        try:
            spec.cls(**_probe_values(spec, values, name))
        except InvalidInputError as wrong:
            sink.add(f"{path}.{name}", str(wrong), rid)
            found = True
        except (TypeError, ValueError):  # pragma: no cover - a type's own bug
            continue
    if not found:
        sink.add(path, str(error), rid)


# ------------------------------------------------------------------------------ sessions


_SCALAR_SESSION_FIELDS = tuple(
    f for f in _SPECS[Session].fields if not f.many and f.name not in {"blocks"}
)
_ID_LISTS = (
    "instructor_ids",
    "group_ids",
    "catalog_group_ids",
    "waiting_list",
    "certificate_user_ids",
    "tags",
)


@attrs.frozen
class _Out:
    """Why something was left out: what it was and where."""

    what: str
    path: str

    def because(self) -> str:
        return f"left out because {self.what} ({self.path}) was left out"


@attrs.define
class _Context:
    """What the directory says about the ids sessions name."""

    users: Mapping[str, object] | None = None  # None: no directory to check against
    groups: Mapping[str, object] | None = None
    directory: Directory | None = None
    users_out: dict[str, _Out] = attrs.Factory(dict)
    groups_out: dict[str, _Out] = attrs.Factory(dict)
    # One str object per id: the directory's user ids, then the ids read.
    texts: dict[str, str] = attrs.Factory(dict)


def _items(value: Any, what: str, path: str, owner: str, sink: _Sink) -> list[Any] | None:
    """The entries of an array field; None (with a problem) when it is not an array."""
    if _absent(value):
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        sink.add(path, f"{owner}: {what} must be an array, got {type(value).__name__}")
        return None
    return list(value)


class _SessionBuilder:
    """Structures one session record, child by child, and leaves out what is wrong."""

    def __init__(
        self,
        record: Mapping[str, Any],
        path: str,
        child_paths: Mapping[str, Sequence[str]] | None,
        context: _Context,
        sink: _Sink,
    ) -> None:
        self.record = record
        self.path = path
        self.child_paths = child_paths
        self.context = context
        self.sink = sink
        rid = record.get("id")
        self.rid = rid if type(rid) is str and rid else None
        self.owner = "Session" if self.rid is None else f"Session {self.rid!r}"
        self.dead = False  # the session itself is left out

    def problem(self, path: str, message: str, record_id: str | None = None) -> None:
        self.sink.add(path, message, record_id)

    def left_out(self, path: str, out: _Out, record_id: str | None) -> None:
        self.sink.left_out(path, out, record_id)

    def child_path(self, field: str, index: int) -> str:
        if self.child_paths is not None:
            return self.child_paths[field][index]
        return f"{self.path}.{field}[{index}]"

    def children(self, field: str, cls: type) -> list[tuple[str, Any, Any]]:
        """(path, raw record, value or None) of each child record of an array field."""
        raw = self.record.get(field)
        if field == "blocks" and _absent(raw):  # the one array without a default
            shown = "is missing" if field not in self.record else f"is {raw!r}"
            self.problem(f"{self.path}.blocks", f"{self.owner}: blocks {shown}; it is required")
            self.dead = True
            return []
        items = _items(raw, field, f"{self.path}.{field}", self.owner, self.sink)
        if items is None:
            self.dead = True
            return []
        spec = _SPECS[cls]
        fast = _FAST[cls]
        plain = _fast_records(spec, items) if cls in _PLAIN_MANY else None
        if isinstance(plain, KnownAttempts):
            plain = plain.attempts
        if plain is not None:
            return [
                (self.child_path(field, index), item, value)
                for index, (item, value) in enumerate(zip(items, plain, strict=True))
            ]
        found = []
        for index, item in enumerate(items):
            value = fast(item)
            path = self.child_path(field, index)
            if value is None:
                value = _structure_one(spec, item, path, self.sink)
            found.append((path, item, value))
        return found

    def build(self) -> Session | None:
        spec = _SPECS[Session]
        record, path = self.record, self.path
        _unknown_keys(spec, record, path, self.sink)
        scalars = self.scalars()
        lists = {name: self.id_list(name) for name in _ID_LISTS}
        kinds, blocks_out, blocks = self.blocks()
        slot_ids, slots_out, slots = self.slots(kinds, blocks_out)
        registered, regs_out, registrations = self.registrations()
        waiting = self.waiting(lists["waiting_list"], registrations)
        instructors = self.users_named(lists["instructor_ids"], "instructor_ids", "instructor")
        group_lists = {
            name: self.groups_named(lists[name], name)
            for name in ("group_ids", "catalog_group_ids")
        }
        attempts = self.attempts(kinds, blocks_out, registered, regs_out)
        attendances = self.attendances(slot_ids, slots_out, registered, regs_out)
        certificates = self.certificates(lists["certificate_user_ids"], registered, regs_out)
        self.author(scalars)
        if self.dead or scalars is None:
            return None
        try:
            return Session(
                **scalars,
                blocks=blocks,
                slots=slots,
                registrations=registrations,
                attempts=attempts,
                attendances=attendances,
                waiting_list=[v for _, v in waiting],
                instructor_ids=[v for _, v in instructors],
                group_ids=[v for _, v in group_lists["group_ids"]],
                catalog_group_ids=[v for _, v in group_lists["catalog_group_ids"]],
                certificate_user_ids=[v for _, v in certificates],
                tags=[v for _, v in lists["tags"]],
            )
        except InvalidInputError as error:  # a rule this layer does not know of
            self.problem(path, str(error), self.rid)
            return None

    # -- the session's own fields

    def scalars(self) -> dict[str, Any] | None:
        spec = _SPECS[Session]
        values: dict[str, Any] = {}
        sub = _Spec(
            cls=Session,
            fields=_SCALAR_SESSION_FIELDS,
            names=spec.names,
            ident=spec.ident,
            probe=spec.probe,
            partners=spec.partners,
            overrides=spec.overrides,
        )
        read = _read_fields(sub, self.record, self.path, self.sink)
        if read is None:
            self.dead = True
            return None
        values = {k: v for k, v in read.items() if k not in _ID_LISTS}
        try:
            Session(**{**spec.probe, **values})
        except InvalidInputError as error:
            _diagnose(spec, values, self.record, self.path, self.sink, error)
            self.dead = True
            return None
        return values

    def id_list(self, field: str) -> list[tuple[str, Any]]:
        """(path, entry) of the valid entries of an array of ids (or of tags)."""
        base = f"{self.path}.{field}"
        items = _items(self.record.get(field), field, base, self.owner, self.sink)
        if items is None:
            self.dead = True
            return []
        kept = []
        for index, entry in enumerate(items):
            where = f"{base}[{index}]"
            problem = text_problem(entry)
            if problem is None and not entry and field != "tags":
                problem = "must be a non-empty identifier"
            if problem is not None:
                self.problem(where, f"{self.owner}: {field} {problem}", self.rid)
                continue
            kept.append((where, entry))
        return kept

    def author(self, scalars: dict[str, Any] | None) -> None:
        author = self.record.get("author_id")
        if scalars is None or self.context.users is None or type(author) is not str:
            return
        out = self.context.users_out.get(author)
        if out is not None:
            self.left_out(self.path, out, self.rid)
            self.dead = True
        elif author not in self.context.users:
            self.problem(
                f"{self.path}.author_id",
                f"{self.owner}: author {author!r} is not a user of the directory",
                self.rid,
            )
            self.dead = True

    def users_named(
        self, entries: list[tuple[str, Any]], field: str, role: str
    ) -> list[tuple[str, Any]]:
        kept, seen = [], set()
        for where, user_id in entries:
            if not self.user_known(where, user_id, role):
                continue
            if user_id in seen:
                message = (
                    "instructor_ids lists a user twice"
                    if field == "instructor_ids"
                    else f"user {user_id!r} is on the waiting list twice"
                )
                self.problem(where, f"{self.owner}: {message}", self.rid)
                continue
            seen.add(user_id)
            kept.append((where, user_id))
        return kept

    def user_known(self, where: str, user_id: str, role: str, field: str = "") -> bool:
        """False (after a problem) when the directory left the user out or lacks it."""
        users = self.context.users
        if users is None:
            return True
        out = self.context.users_out.get(user_id)
        if out is not None:
            self.left_out(where, out, user_id)
            return False
        if user_id not in users:
            self.problem(
                where + field,
                f"{self.owner}: {role} {user_id!r} is not a user of the directory",
                user_id,
            )
            return False
        return True

    def groups_named(self, entries: list[tuple[str, Any]], field: str) -> list[tuple[str, Any]]:
        groups = self.context.groups
        if groups is None:
            return entries
        kept = []
        for where, group_id in entries:
            out = self.context.groups_out.get(group_id)
            if out is not None:
                self.left_out(where, out, group_id)
            elif group_id not in groups:
                self.problem(
                    where,
                    f"{self.owner}: {field} names {group_id!r}, not a group of the directory",
                    group_id,
                )
            else:
                kept.append((where, group_id))
        return kept

    # -- children

    def blocks(self) -> tuple[dict[str, BlockKind], dict[str, _Out], list[Block]]:
        kinds: dict[str, BlockKind] = {}
        out: dict[str, _Out] = {}
        kept = []
        for where, raw, block in self.children("blocks", Block):
            if block is None:
                bid = _raw_id(raw, "id")
                if bid is not None:
                    out.setdefault(bid, _Out(f"block {bid!r}", where))
                continue
            if block.id in kinds:
                self.problem(
                    f"{where}.id",
                    f"{self.owner}: block id {block.id!r} appears twice; block ids must be unique",
                    block.id,
                )
                continue
            kinds[block.id] = block.kind
            kept.append(block)
        for bid in kinds:
            out.pop(bid, None)
        return kinds, out, kept

    def slots(
        self, kinds: dict[str, BlockKind], blocks_out: dict[str, _Out]
    ) -> tuple[set[str], dict[str, _Out], list[ClassroomSlot]]:
        ids: set[str] = set()
        out: dict[str, _Out] = {}
        kept = []
        for where, raw, slot in self.children("slots", ClassroomSlot):
            if slot is None:
                sid = _raw_id(raw, "id")
                if sid is not None:
                    out.setdefault(sid, _Out(f"slot {sid!r}", where))
                continue
            why = self.slot_problem(slot, ids, kinds)
            block_out = blocks_out.get(slot.block_id)
            if block_out is not None and slot.block_id not in kinds:
                self.left_out(where, block_out, slot.id)
            elif why is not None:
                self.problem(why[0] and f"{where}.{why[0]}", f"{self.owner}: {why[1]}", slot.id)
            else:
                ids.add(slot.id)
                kept.append(slot)
                continue
            out.setdefault(slot.id, _Out(f"slot {slot.id!r}", where))
        for sid in ids:
            out.pop(sid, None)
        return ids, out, kept

    @staticmethod
    def slot_problem(
        slot: ClassroomSlot, ids: set[str], kinds: dict[str, BlockKind]
    ) -> tuple[str, str] | None:
        if slot.id in ids:
            return "id", f"slot id {slot.id!r} appears twice; slot ids must be unique"
        kind = kinds.get(slot.block_id)
        if kind is None:
            return (
                "block_id",
                f"slot {slot.id!r} names block {slot.block_id!r}, "
                "which is not a block of the session",
            )
        if kind is not BlockKind.CLASSROOM:
            return (
                "block_id",
                f"slot {slot.id!r} names block {slot.block_id!r}, "
                f"a {kind.name} block; slots belong to CLASSROOM blocks",
            )
        return None

    def registrations(self) -> tuple[set[str], dict[str, _Out], list[Registration]]:
        registered: set[str] = set()
        out: dict[str, _Out] = {}
        kept = []
        for where, raw, registration in self.children("registrations", Registration):
            if registration is None:
                uid = _raw_id(raw, "user_id")
                if uid is not None:
                    out.setdefault(uid, _Out(f"the registration of user {uid!r}", where))
                continue
            uid = registration.user_id
            if not self.user_known(where, uid, "registration", ".user_id"):
                out.setdefault(uid, _Out(f"the registration of user {uid!r}", where))
                continue
            if uid in registered:
                self.problem(
                    where, f"{self.owner}: user {uid!r} has two registrations; keep one", uid
                )
                continue
            registered.add(uid)
            kept.append(registration)
        for uid in registered:
            out.pop(uid, None)
        return registered, out, kept

    def waiting(
        self, entries: list[tuple[str, Any]], registrations: list[Registration]
    ) -> list[tuple[str, Any]]:
        active = {r.user_id for r in registrations if r.unregistered_at is None}
        kept = []
        for where, user_id in self.users_named(entries, "waiting_list", "waiting list entry"):
            if user_id in active:
                self.problem(
                    where,
                    f"{self.owner}: user {user_id!r} is both on the waiting list and "
                    "registered; remove one of the two",
                    user_id,
                )
                continue
            kept.append((where, user_id))
        return kept

    def no_registration(
        self, where: str, user_id: str, regs_out: dict[str, _Out], message: str
    ) -> None:
        out = regs_out.get(user_id) or self.context.users_out.get(user_id)
        if out is not None:
            self.left_out(where, out, user_id)
        else:
            self.problem(where, f"{self.owner}: {message}", user_id)

    def attempts(
        self,
        kinds: dict[str, BlockKind],
        blocks_out: dict[str, _Out],
        registered: set[str],
        regs_out: dict[str, _Out],
    ) -> list[Attempt]:
        kept = []
        for where, _, attempt in self.children("attempts", Attempt):
            if attempt is None:
                continue
            kind = kinds.get(attempt.block_id)
            if kind is not None and kind is not BlockKind.CLASSROOM:
                if attempt.user_id in registered:
                    kept.append(attempt)
                    continue
                self.no_registration(
                    where,
                    attempt.user_id,
                    regs_out,
                    f"attempt of user {attempt.user_id!r} on block {attempt.block_id!r}: "
                    "the user has no registration",
                )
                continue
            label = f"attempt of user {attempt.user_id!r} on block {attempt.block_id!r}"
            if kind is None and attempt.block_id in blocks_out:
                self.left_out(where, blocks_out[attempt.block_id], attempt.user_id)
            elif kind is None:
                self.problem(
                    f"{where}.block_id",
                    f"{self.owner}: {label}: the block is not a block of the session",
                    attempt.user_id,
                )
            else:
                self.problem(
                    f"{where}.block_id",
                    f"{self.owner}: {label}: attempts are for courses and assessments; "
                    "record classroom presence as a SlotAttendance",
                    attempt.user_id,
                )
        return kept

    def attendances(
        self,
        slot_ids: set[str],
        slots_out: dict[str, _Out],
        registered: set[str],
        regs_out: dict[str, _Out],
    ) -> list[SlotAttendance]:
        kept = []
        seen: set[tuple[str, str]] = set()
        for where, _, attendance in self.children("attendances", SlotAttendance):
            if attendance is None:
                continue
            uid, sid = attendance.user_id, attendance.slot_id
            if sid not in slot_ids:
                if sid in slots_out:
                    self.left_out(where, slots_out[sid], uid)
                else:
                    self.problem(
                        f"{where}.slot_id",
                        f"{self.owner}: attendance of user {uid!r} names slot {sid!r}, "
                        "which is not a slot of the session",
                        uid,
                    )
            elif uid not in registered:
                self.no_registration(
                    where,
                    uid,
                    regs_out,
                    f"attendance of user {uid!r} on slot {sid!r}: the user has no registration",
                )
            elif (uid, sid) in seen:
                self.problem(
                    where,
                    f"{self.owner}: user {uid!r} has two attendances on slot {sid!r}; keep one",
                    uid,
                )
            else:
                seen.add((uid, sid))
                kept.append(attendance)
        return kept

    def certificates(
        self, entries: list[tuple[str, Any]], registered: set[str], regs_out: dict[str, _Out]
    ) -> list[tuple[str, Any]]:
        kept = []
        for where, user_id in entries:
            if user_id in registered:
                kept.append((where, user_id))
            else:
                self.no_registration(
                    where,
                    user_id,
                    regs_out,
                    f"certificate of user {user_id!r}: the user has no registration",
                )
        return kept


def _raw_id(record: Any, key: str) -> str | None:
    """The id of a record that could not be structured, when it has a usable one."""
    value = record.get(key) if isinstance(record, Mapping) else None
    return value if type(value) is str and value else None


def _session(
    record: Any,
    path: str,
    context: _Context,
    sink: _Sink,
    child_paths: Mapping[str, Sequence[str]] | None = None,
    *,
    owned: bool = False,
) -> Session | None:
    if not isinstance(record, Mapping):
        _not_an_object(_SPECS[Session], record, path, sink)
        return None
    if child_paths is None:
        taken = _take_children(record) if owned else {}
        found = _fast_session(record, taken, context.texts)
        if found is not None and (context.directory is None or _known(found, context.directory)):
            return found
        _give_back_children(record, taken)
    return _SessionBuilder(record, path, child_paths, context, sink).build()


_COLUMN_CHILDREN = {
    "registrations": Registration,
    "attempts": Attempt,
    "attendances": SlotAttendance,
}


def _take_children(record: Any) -> dict[str, tuple[tuple[Any, ...], ...]]:
    """Columns of the registration, attempt and attendance records of a session record we own.

    Each array read into columns leaves the record: its dicts are freed
    before the values are built, so the cyclic collector, which runs while
    hundreds of thousands of values are allocated, does not walk them again
    and again. :func:`_give_back_children` puts equal records back.
    """
    taken = {}
    if type(record) is dict:
        for name, cls in _COLUMN_CHILDREN.items():
            columns = _record_columns(_SPECS[cls], record.get(name))
            if columns is not None and columns[0]:
                taken[name] = columns
                record[name] = []
    return taken


def _give_back_children(record: Any, taken: Mapping[str, tuple[tuple[Any, ...], ...]]) -> None:
    """The records :func:`_take_children` took, for the record-by-record path.

    Each record has the same keys and values (its keys in field order,
    which no rule or message depends on).
    """
    for name, columns in taken.items():
        names = [field.name for field in _SPECS[_COLUMN_CHILDREN[name]].fields]
        record[name] = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _known(session: Session, directory: Directory) -> bool:
    """Whether every user and group ``session`` names is in ``directory``."""
    try:
        check_known(session, directory)
    except InvalidInputError:
        return False
    return True


def _fast_many(
    spec: _Spec, items: Any, texts: dict[str, str] | None = None
) -> Sequence[Any] | KnownAttempts | None:
    if type(items) is not list:
        return None
    if spec.cls in _PLAIN_MANY:
        found = _fast_records(spec, items, texts)
        if found is not None:
            return found
    built = list(map(_FAST[spec.cls], items))
    return None if None in built else built


_DICT = {dict}
_STR = {str}
_TEXT_OR_NONE = frozenset((str, type(None)))
_fromisoformat = parse_instant
_SHARED_TEXT = frozenset(("user_id", "block_id", "slot_id"))
_ID_OWNERS = frozenset(("blocks", "slots"))
_NUMBERS = frozenset((int, float))


def _record_columns(spec: _Spec, items: Any) -> tuple[tuple[Any, ...], ...] | None:
    """One tuple per field of a list of records that each give exactly every field.

    None when ``items`` is not a list of dicts with exactly the fields of
    ``spec`` (a missing or unknown key): the record-by-record path reads those.
    """
    if type(items) is not list:
        return None
    if items and (set(map(type, items)) != _DICT or set(map(len, items)) != {len(spec.fields)}):
        return None
    try:  # as many keys as fields, and each field found: exactly the fields
        return tuple(tuple(map(itemgetter(field.name), items)) for field in spec.fields)
    except KeyError:
        return None


def _fast_records(
    spec: _Spec, items: Any, texts: dict[str, str] | None = None
) -> Sequence[Any] | KnownAttempts | None:
    """Attempt, registration or attendance records, every field given, built column by column.

    Records come apart into one tuple per field (C loops, no Python code per
    record), timestamps and seconds are read a column at a time, and the
    type's ``plain_*`` function (:func:`~programstats.session.plain_attempts`
    and its siblings) checks and builds. None when any record needs a
    closer look. Tuples, not lists: a tuple of atomic values (str, datetime,
    numbers) leaves the cyclic collector's watch at its first collection, a
    list is walked again by every full collection while it lives.
    """
    found = _record_columns(spec, items)
    if found is None:
        return None
    if not items:
        return ()
    return _plain_records(spec, found, texts)


def _plain_records(
    spec: _Spec, found: tuple[tuple[Any, ...], ...], texts: dict[str, str] | None = None
) -> Sequence[Any] | KnownAttempts | None:
    """The values of the raw columns of :func:`_record_columns` (records of ``spec``), or None.

    Ids go through ``texts`` (one str object per distinct id, shared by
    every column read with it).
    """
    columns = list(found)
    same: dict[str, str] = {} if texts is None else texts
    try:
        for number, field in enumerate(spec.fields):
            if field.name not in _SHARED_TEXT and field.read is _raw:
                continue  # taken as it is: the type's own test looks at it
            column = columns[number]
            types = set(map(type, column))
            if field.name in _SHARED_TEXT and types == _STR:
                # One str object per distinct id (JSON gives one per occurrence):
                # less memory, and lookups by id meet the same object.
                columns[number] = tuple(map(same.setdefault, column, column))
            elif field.read is _datetime and types == _STR:
                columns[number] = tuple(map(_fromisoformat, column))
            elif field.read is _datetime and types == _TEXT_OR_NONE:
                columns[number] = tuple(
                    None if value is None else _fromisoformat(value) for value in column
                )
            elif field.read is _duration and types <= _NUMBERS:
                # Durations repeat (whole seconds): each distinct one is built once.
                seconds = {value: timedelta(seconds=value) for value in set(column)}
                columns[number] = tuple(map(seconds.__getitem__, column))
    except (ValueError, OverflowError):  # the slow path names the record
        return None
    return _PLAIN_MANY[spec.cls](*columns)


_PLAIN_MANY: dict[type, Callable[..., Sequence[Any] | KnownAttempts | None]] = {
    Attempt: known_attempts,  # the session's checks use what it knows
    Registration: plain_registrations,
    SlotAttendance: plain_attendances,
}


def _fast_session(
    record: Any,
    taken: Mapping[str, tuple[tuple[Any, ...], ...]] | None = None,
    texts: dict[str, str] | None = None,
) -> Session | None:
    """A clean session record in one go (no directory); None when it needs a closer look.

    ``taken`` holds the columns of child arrays already taken out of the
    record. Ids of registrations, attempts and attendances become the str
    objects of ``texts`` (the directory's user ids, the session's block and
    slot ids), so that every lookup by id meets the very same object.
    """
    texts = {} if texts is None else texts
    spec = _SPECS[Session]
    if type(record) is not dict or not spec.names.issuperset(record):
        return None
    values: dict[str, Any] = {}
    known: KnownAttempts | None = None
    try:
        for field in spec.fields:
            if field.name not in record:
                continue
            value = record[field.name]
            if _absent(value):
                return None
            if taken and field.name in taken:
                value = _plain_records(
                    _SPECS[_COLUMN_CHILDREN[field.name]], taken[field.name], texts
                )
            elif field.many and field.nested is not None:
                value = _fast_many(_SPECS[field.nested], value, texts)
            elif field.nested is not None:
                value = _fast(_SPECS[field.nested], value) if type(value) is dict else None
            else:
                value = field.read(value)
                if field.name in _ID_LISTS and (
                    type(value) is not list or any(type(v) is not str for v in value)
                ):
                    return None
            if value is None:
                return None
            if isinstance(value, KnownAttempts):
                known, value = value, value.attempts
            if field.name in _ID_OWNERS:  # the ids children name, as they are here
                texts.update((item.id, item.id) for item in value)
            values[field.name] = value
        if known is not None:
            return session_with_attempts(values, known)
        return Session(**values)
    except (InvalidInputError, _UnreadableError, TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------ directories


def _directory(
    groups: Any, users: Any, paths: tuple[str, str], sink: _Sink
) -> tuple[Directory, _Context]:
    """The directory of what is valid, and the context sessions are checked against."""
    context = _Context(users={}, groups={})
    kept_groups = _unique_records(Group, groups, paths[0], context.groups_out, sink)
    _prune_groups(kept_groups, context, sink)

    def known_groups(user: User, where: str) -> User:
        if user.group_ids <= kept_groups.keys():
            return user
        return _user_groups(user, where, kept_groups, context, sink)

    plain = _fast_users(users, kept_groups)
    if plain is None:
        kept_users = _unique_records(User, users, paths[1], context.users_out, sink, known_groups)
        plain = tuple(u for _, u in kept_users.values())
    directory = Directory(users=plain, groups=[g for _, g in kept_groups.values()])
    context.users = directory.users
    context.groups = directory.groups
    context.directory = directory
    context.texts.update(zip(directory.users, directory.users, strict=True))
    return directory, context


_LIST = {list}


def _fast_users(items: Any, groups: Mapping[str, object]) -> tuple[User, ...] | None:
    """User records, every field given and plain, built column by column.

    Users repeat their group ids, custom fields and manager e-mails: each
    distinct one is converted (by the converters of :class:`User`) and
    checked once, and users with the same one share it. None -- the
    record-by-record path then reads the array -- when any record is not
    plain, an id is given twice, or a user names a group not kept.
    """
    columns = _record_columns(_SPECS[User], items)
    if columns is None:
        return None
    ids, first, last, email, group_lists, fields, info, managers, deleted, anonymized = columns
    if not (
        set(map(type, ids)) <= _STR
        and set(map(type, group_lists)) <= _LIST
        and set(map(type, fields)) <= _DICT
        and set(map(type, managers)) <= _LIST
        and set(map(type, deleted)) <= _TEXT_OR_NONE
    ):
        return None
    group_keys = tuple(map(tuple, group_lists))
    manager_keys = tuple(map(tuple, managers))
    field_keys = tuple(map(tuple, map(dict.items, fields)))
    # Only exact str is hashed (a subclass may hash and compare as it likes).
    if not (
        set(map(type, chain.from_iterable(group_keys))) <= _STR
        and set(map(type, chain.from_iterable(manager_keys))) <= _STR
        and set(map(type, chain.from_iterable(chain.from_iterable(field_keys)))) <= _STR
        and len(set(ids)) == len(ids)
    ):
        return None
    group_sets = {key: to_frozenset(key) for key in set(group_keys)}
    manager_lists = {key: to_tuple(key) for key in set(manager_keys)}
    # The key keeps the order of the fields, which a FrozenMap's repr shows.
    firsts = dict(zip(field_keys, fields, strict=True))
    field_maps = {key: to_frozen_map(value) for key, value in firsts.items()}
    if not set().union(*group_sets.values()) <= groups.keys():
        return None
    try:
        deleted_at = tuple(None if value is None else _fromisoformat(value) for value in deleted)
    except ValueError:
        return None
    return plain_users(
        ids,
        first,
        last,
        email,
        tuple(map(group_sets.__getitem__, group_keys)),
        tuple(map(field_maps.__getitem__, field_keys)),
        info,
        tuple(map(manager_lists.__getitem__, manager_keys)),
        deleted_at,
        anonymized,
    )


def _unique_records(
    cls: type[_T],
    value: Any,
    path: str,
    left_out: dict[str, _Out],
    sink: _Sink,
    adjust: Callable[[Any, str], Any] | None = None,
) -> dict[str, tuple[str, _T]]:
    """The valid records of a directory array by id, each with its path, each id once.

    A record that cannot be built is named in ``left_out`` under its id (when
    it has a usable one), unless a valid record has that id. ``adjust(value,
    path)`` gives what is kept of each first-seen valid value.
    """
    spec = _SPECS[cls]
    fast = _FAST[cls]
    noun = cls.__name__.lower()
    kept: dict[str, tuple[str, Any]] = {}
    for index, item in enumerate(_items(value, f"{noun}s", path, "directory", sink) or ()):
        found = fast(item)
        if found is None:
            where = f"{path}[{index}]"
            found = _structure_one(spec, item, where, sink)
            if found is None:
                ident = _raw_id(item, "id")
                if ident is not None:
                    left_out.setdefault(ident, _Out(f"{noun} {ident!r}", where))
                continue
        if found.id in kept:
            sink.add(
                f"{path}[{index}].id",
                f"Directory: {cls.__name__} id {found.id!r} appears twice; ids must be unique",
                found.id,
            )
            continue
        where = f"{path}[{index}]"
        kept[found.id] = (where, found if adjust is None else adjust(found, where))
    for ident in kept:
        left_out.pop(ident, None)
    return kept


def _prune_groups(kept: dict[str, tuple[str, Group]], context: _Context, sink: _Sink) -> None:
    """Leave out groups whose parent is unknown or left out, and groups on a cycle."""
    changed = True
    while changed:
        changed = False
        for gid, (where, group) in list(kept.items()):
            parent = group.parent_id
            if parent is None or parent in kept:
                continue
            out = context.groups_out.get(parent)
            if out is not None:
                sink.left_out(where, out, gid)
            else:
                sink.add(
                    f"{where}.parent_id",
                    f"Group {gid!r}: parent_id {parent!r} is not a group of the directory",
                    gid,
                )
            context.groups_out[gid] = _Out(f"group {gid!r}", where)
            del kept[gid]
            changed = True
    # What is left reaches a root or runs into a cycle.
    state: dict[str, int] = {}
    for start in list(kept):
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in kept and current not in state:
            state[current] = 1
            chain.append(current)
            current = kept[current][1].parent_id
        if current is not None and state.get(current) == 1 and current in chain:
            cycle = chain[chain.index(current) :]
            text = " -> ".join([*cycle, current])
            for gid in cycle:
                where = kept[gid][0]
                sink.add(
                    f"{where}.parent_id",
                    f"Group {gid!r}: is its own ancestor (cycle {text}); break the cycle",
                    gid,
                )
                context.groups_out[gid] = _Out(f"group {gid!r}", where)
        for gid in chain:
            state[gid] = 2
    if any(gid in context.groups_out for gid in kept):
        for gid in [g for g in kept if g in context.groups_out]:
            del kept[gid]
        _prune_groups(kept, context, sink)


def _user_groups(
    user: User,
    where: str,
    groups: Mapping[str, object],
    context: _Context,
    sink: _Sink,
) -> User:
    """The user without the group ids the directory does not have (each a problem)."""
    keep = []
    for gid in sorted(user.group_ids):
        out = context.groups_out.get(gid)
        if gid in groups:
            keep.append(gid)
        elif out is not None:
            sink.left_out(f"{where}.group_ids", out, user.id)
        else:
            sink.add(
                f"{where}.group_ids",
                f"User {user.id!r}: group_ids names {gid!r}, not a group of the directory",
                user.id,
            )
    if len(keep) == len(user.group_ids):
        return user
    return attrs.evolve(user, group_ids=keep)


# ------------------------------------------------------------------------------ entry points


def _check_on_error(on_error: object) -> OnError:
    if on_error == "raise":
        return "raise"
    if on_error == "skip":
        return "skip"
    raise InvalidInputError(f"on_error must be 'raise' or 'skip', got {on_error!r}")


def _finish(sink: _Sink, on_error: OnError) -> None:
    if on_error == "raise" and sink.causes:
        raise InvalidRecordsError(sink.causes)


_WORLD_KEYS = ("groups", "users", "sessions")


def structure_world(doc: Mapping[str, Any], on_error: OnError = "raise") -> World:
    """A :class:`World` from a world document ``{"groups", "users", "sessions"}``.

    >>> doc = {"groups": [{"id": "g", "name": "Sales"}],
    ...        "users": [{"id": "ana", "first_name": "Ana", "last_name": "Alves",
    ...                   "email": "ana@example.com", "group_ids": ["g"]}],
    ...        "sessions": []}
    >>> world = structure_world(doc)
    >>> world.directory.user("ana").group_ids, world.sessions, world.problems
    (frozenset({'g'}), (), ())

    With ``on_error="skip"`` bad records are left out and named in
    ``World.problems``; with ``"raise"`` (the default) every problem is found,
    then :class:`InvalidRecordsError` is raised.
    """
    return _structure_world(doc, on_error, owned=False)


def _structure_owned_world(doc: dict[str, Any], on_error: OnError = "raise") -> World:
    """:func:`structure_world` of a document nobody else holds (``json.load`` gave it).

    The same world and problems, found with less memory and less work for
    the cyclic collector: each array of records leaves the document once
    its values are read, so the document is gone by the time the world is
    complete. The document is left empty or partly taken apart.
    """
    return _structure_world(doc, on_error, owned=True)


def _structure_world(doc: Any, on_error: OnError, *, owned: bool) -> World:
    mode = _check_on_error(on_error)
    sink = _Sink()
    if not isinstance(doc, Mapping):
        sink.add("$", f"a world document must be an object, got {type(doc).__name__}")
        raise InvalidRecordsError(sink.problems)
    for key in doc:
        if key not in _WORLD_KEYS:
            sink.add(
                f"$.{key}" if isinstance(key, str) else "$",
                f"a world document has no key {key!r}; its keys are: groups, users, sessions",
            )
    # An owned document gives up each array as it is read: no reference stays here.
    take: Callable[[str, None], Any] = doc.get
    if owned and type(doc) is dict:
        take = doc.pop
    else:
        owned = False
    directory, context = _directory(
        take("groups", None), take("users", None), ("$.groups", "$.users"), sink
    )
    sessions = _sessions_of(take("sessions", None), "$.sessions", context, sink, owned=owned)
    _finish(sink, mode)
    return World(directory=directory, sessions=sessions, problems=sink.problems)


def _sessions_of(
    value: Any, path: str, context: _Context, sink: _Sink, *, owned: bool = False
) -> tuple[Session, ...]:
    items = _items(value, "sessions", path, "world", sink) or []
    del value  # an owned document's sessions go one by one
    found: list[Session] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if owned:
            items[index] = None
        session = _session(item, where, context, sink, owned=owned)
        del item
        if session is None:
            continue
        if session.id in seen:
            sink.add(
                f"{where}.id",
                f"Session {session.id!r} is given twice; pass each once",
                session.id,
            )
            continue
        seen.add(session.id)
        found.append(session)
    return tuple(found)


def structure_session(record: Mapping[str, Any]) -> Session:
    """A :class:`~programstats.Session` from a session record (a JSON object).

    >>> session = structure_session({
    ...     "id": "s1", "name": "Onboarding", "author_id": "olga",
    ...     "template": {"id": "onb", "name": "Onboarding"},
    ...     "start": "2026-03-02T09:00:00Z", "end": "2026-03-31T18:00:00+02:00",
    ...     "blocks": [{"id": "b1", "title": "Welcome", "kind": "COURSE"}]})
    >>> session.end.isoformat(), session.blocks[0].kind
    ('2026-03-31T16:00:00+00:00', <BlockKind.COURSE: 'course'>)

    Raises :class:`InvalidRecordsError` listing every problem (it does not
    check users and groups: that needs a directory, see :func:`structure_world`).
    """
    sink = _Sink()
    session = _session(record, "$", _Context(), sink)
    if session is None or sink.causes:
        raise InvalidRecordsError(sink.causes)
    return session


def structure_directory(record: Mapping[str, Any]) -> Directory:
    """A :class:`~programstats.Directory` from ``{"groups": [...], "users": [...]}``.

    Raises :class:`InvalidRecordsError` listing every problem.
    """
    sink = _Sink()
    if not isinstance(record, Mapping):
        sink.add("$", f"a directory record must be an object, got {type(record).__name__}")
        raise InvalidRecordsError(sink.problems)
    for key in record:
        if key not in ("groups", "users"):
            sink.add(
                f"$.{key}" if isinstance(key, str) else "$",
                f"a directory record has no key {key!r}; its keys are: groups, users",
            )
    directory, _ = _directory(
        record.get("groups"), record.get("users"), ("$.groups", "$.users"), sink
    )
    if sink.causes:
        raise InvalidRecordsError(sink.causes)
    return directory


def structure(cls: type[_T], record: Any) -> _T:
    """Any input type from its record: ``structure(Attempt, {...})``.

    >>> structure(Attempt, {"user_id": "ana", "block_id": "b1",
    ...     "started_at": "2026-03-04T10:00:00Z", "last_activity_at": "2026-03-04T11:00:00Z",
    ...     "time_spent": 1500.5, "score": 80}).time_spent
    datetime.timedelta(seconds=1500, microseconds=500000)

    Raises :class:`InvalidRecordsError` listing every problem.
    """
    if cls is Session:
        return structure_session(record)  # type: ignore[return-value]
    if cls is Directory:
        return structure_directory(record)  # type: ignore[return-value]
    if cls is World:
        return structure_world(record)  # type: ignore[return-value]
    if cls is BlockKind:
        try:
            return _kind(record)  # type: ignore[no-any-return]
        except _UnreadableError as error:
            raise InvalidRecordsError([Problem(path="$", message=f"kind {error}")]) from None
    spec = _SPECS.get(cls)
    if spec is None:
        raise InvalidInputError(
            f"structure: {getattr(cls, '__name__', cls)!r} is not an input type of programstats"
        )
    sink = _Sink()
    found = _structure_one(spec, record, "$", sink)
    if found is None or sink.causes:
        raise InvalidRecordsError(sink.causes)
    return found  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------ flat tables


def from_tables(
    groups: Iterable[Mapping[str, Any]],
    users: Iterable[Mapping[str, Any]],
    sessions: Iterable[Mapping[str, Any]],
    templates: Iterable[Mapping[str, Any]],
    blocks: Iterable[Mapping[str, Any]],
    slots: Iterable[Mapping[str, Any]],
    registrations: Iterable[Mapping[str, Any]],
    attempts: Iterable[Mapping[str, Any]],
    attendances: Iterable[Mapping[str, Any]],
    on_error: OnError = "raise",
) -> World:
    """A :class:`World` from flat rows, as a database returns them.

    Each child row (block, slot, registration, attempt, attendance) carries
    the ``session_id`` it belongs to; block rows also a 0-based ``position``
    giving the block order; each session row a ``template_id``. Problems are
    reported at ``$.<table>[<row>]`` paths (``$.attempts[17].score``).
    See the "your data in" page of the documentation for an example.
    """
    mode = _check_on_error(on_error)
    sink = _Sink()
    tables = {
        "groups": groups,
        "users": users,
        "sessions": sessions,
        "templates": templates,
        "blocks": blocks,
        "slots": slots,
        "registrations": registrations,
        "attempts": attempts,
        "attendances": attendances,
    }
    rows: dict[str, list[Any]] = {}
    for name, value in tables.items():
        found = _items(value, name, f"$.{name}", "from_tables", sink)
        if found is None:
            raise InvalidRecordsError(sink.problems)
        rows[name] = found
    directory, context = _directory(rows["groups"], rows["users"], ("$.groups", "$.users"), sink)
    template_by_id: dict[str, ProgramTemplate | _Out] = {}
    for index, row in enumerate(rows["templates"]):
        where = f"$.templates[{index}]"
        tid = _raw_id(row, "id")
        if tid is not None and tid in template_by_id:
            sink.add(
                f"{where}.id", f"ProgramTemplate {tid!r} appears twice; ids must be unique", tid
            )
            continue
        template = _structure_one(_SPECS[ProgramTemplate], row, where, sink)
        if tid is not None:
            template_by_id[tid] = template or _Out(f"template {tid!r}", where)
    session_rows: dict[str, int] = {}
    for index, row in enumerate(rows["sessions"]):
        sid = row.get("id") if isinstance(row, Mapping) else None
        if type(sid) is str and sid and sid not in session_rows:
            session_rows[sid] = index
    children: dict[str, dict[str, list[tuple[str, Any]]]] = {sid: {} for sid in session_rows}
    for name in ("blocks", "slots", "registrations", "attempts", "attendances"):
        for index, row in enumerate(rows[name]):
            where = f"$.{name}[{index}]"
            if not isinstance(row, Mapping):
                sink.add(where, f"a {name} row must be an object, got {type(row).__name__}")
                continue
            sid = row.get("session_id")
            if type(sid) is not str or sid not in children:
                sink.add(
                    f"{where}.session_id",
                    f"session_id {sid!r} is not a session of the sessions table",
                    sid if type(sid) is str else None,
                )
                continue
            child = {k: v for k, v in row.items() if k != "session_id"}
            if name == "blocks":
                position = child.pop("position", None)
                if isinstance(position, bool) or not isinstance(position, int):
                    sink.add(
                        f"{where}.position",
                        f"block position must be an int (0-based order), got {position!r}",
                        row.get("id") if type(row.get("id")) is str else None,
                    )
                    continue
                child = {"__position": position, **child}
            children[sid].setdefault(name, []).append((where, child))
    built_sessions: list[Session] = []
    for index, row in enumerate(rows["sessions"]):
        where = f"$.sessions[{index}]"
        if not isinstance(row, Mapping):
            _not_an_object(_SPECS[Session], row, where, sink)
            continue
        sid = row.get("id")
        record = {k: v for k, v in row.items() if k != "template_id"}
        tid = row.get("template_id")
        template = template_by_id.get(tid) if type(tid) is str else None
        if isinstance(template, _Out):
            sink.left_out(where, template, sid if type(sid) is str else None)
            continue
        if template is None:
            sink.add(
                f"{where}.template_id",
                f"template_id {tid!r} is not a template of the templates table",
                sid if type(sid) is str else None,
            )
            continue
        mine = children.get(sid, {}) if type(sid) is str and session_rows.get(sid) == index else {}
        if type(sid) is str and session_rows.get(sid) != index:
            sink.add(f"{where}.id", f"Session {sid!r} is given twice; pass each once", sid)
            continue
        record["template"] = template
        ordered = sorted(mine.get("blocks", []), key=lambda item: item[1]["__position"])
        mine["blocks"] = [
            (p, {k: v for k, v in c.items() if k != "__position"}) for p, c in ordered
        ]
        paths: dict[str, list[str]] = {}
        for name, items in mine.items():
            record[name] = [c for _, c in items]
            paths[name] = [p for p, _ in items]
        for name in ("blocks", "slots", "registrations", "attempts", "attendances"):
            record.setdefault(name, [])
            paths.setdefault(name, [])
        built = _SessionBuilder(record, where, paths, context, sink).build()
        if built is not None:
            built_sessions.append(built)
    _finish(sink, mode)
    return World(directory=directory, sessions=built_sessions, problems=sink.problems)


# ------------------------------------------------------------------------------ out


def _seconds(value: timedelta) -> int | float:
    whole = value.days * 86_400 + value.seconds
    if value.microseconds:
        return whole + value.microseconds / 1_000_000
    return whole


def _unstructure_attrs(cls: type) -> Callable[[Any], dict[str, Any]]:
    names = [f.name for f in attrs.fields(cls) if f.init]

    def unstructure(value: Any) -> dict[str, Any]:
        return {name: _CONVERTER.unstructure(getattr(value, name)) for name in names}

    return unstructure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_unstructure_hook(timedelta, _seconds)
    converter.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum),
        lambda value: value.name,
    )
    converter.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, (frozenset, set)),
        lambda value: sorted(converter.unstructure(v) for v in value),
    )
    converter.register_unstructure_hook_func(
        # Tuples, lists and lazy sequences such as LearnerResult.blocks.
        lambda cls: (
            isinstance(cls, type)
            and issubclass(cls, Sequence)
            and not issubclass(cls, (str, bytes))
        ),
        lambda value: [converter.unstructure(v) for v in value],
    )
    converter.register_unstructure_hook(
        FrozenMap, lambda value: {str(k): converter.unstructure(v) for k, v in value.items()}
    )
    converter.register_unstructure_hook(
        Directory,
        lambda value: {
            "groups": [converter.unstructure(g) for g in value.groups.values()],
            "users": [converter.unstructure(u) for u in value.users.values()],
        },
    )
    converter.register_unstructure_hook(
        World,
        lambda value: {
            **converter.unstructure(value.directory),
            "sessions": [converter.unstructure(s) for s in value.sessions],
        },
    )
    converter.register_unstructure_hook_factory(attrs.has, _unstructure_attrs)
    return converter


_CONVERTER = _make_converter()


def to_record(value: Any) -> Any:
    """JSON-ready plain data for any value of the library (input types and results).

    Datetimes become ISO 8601 strings with their offset, durations seconds
    (an int when whole, else a float to the microsecond), enums their
    names, tuples arrays, sets sorted arrays, a :class:`Directory` a
    directory record and a :class:`World` a world document.
    ``json.dumps`` needs no custom encoder, and for every input value
    ``structure(type(x), to_record(x)) == x``.

    >>> from programstats.examples import tiny_session
    >>> record = to_record(tiny_session())
    >>> record["start"], record["blocks"][2]["kind"], record["attempts"][0]["time_spent"]
    ('2026-03-02T09:00:00+00:00', 'CLASSROOM', 3000)
    >>> structure_session(record) == tiny_session()
    True
    """
    return _CONVERTER.unstructure(value)
