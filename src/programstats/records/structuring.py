"""Records to values with cattrs: one fast path for valid input, detailed validation for the rest.

For every input type, :class:`Structurer` asks cattrs for two structuring
functions generated from the same hooks -- the readers of :mod:`.format`,
with ``None``, NaN and ``NaT`` giving a field its default:

- the **fast** function (``detailed_validation=False``) builds a value in
  one go; the type's constructor checks every rule. Valid input of any
  shape (nulls, defaults, missing optional keys, database rows) takes it,
  a whole session record at once;
- the **detailed** function runs only when the fast one failed, to name
  what is wrong: cattrs' detailed validation reports every field whose
  value cannot be read (each with the reader's words), and each field
  read is then checked alone against the type's rules (in the type's
  words), so one bad field never hides another.

Paths are JSONPath expressions (RFC 9535) built from cattrs' validation
notes with :mod:`programstats._jsonpath`, so a key can never forge one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cache
from itertools import chain
from typing import Any

import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.gen import make_dict_structure_fn, override

from .._checks import short, text_problem
from .._jsonpath import index, member
from ..errors import InvalidInputError
from .columns import COLUMN_TYPES, values_of_records
from .format import (
    ID_LISTS,
    Field,
    Rules,
    Spec,
    Unloadable,
    UnreadableError,
    absent,
    as_mapping,
    what,
)
from .problems import Sink

__all__ = ["Structurer", "structurer"]

_Hook = Callable[[Any, Any], Any]
_Build = Callable[[Any], Any]

# Types in the order their hooks are made (nested types first).
_ORDER = (
    *("Reactions", "Collaboration", "ProgramTemplate", "Group", "User", "Block"),
    *("ClassroomSlot", "Registration", "Attempt", "SlotAttendance", "Session"),
)


class Structurer:
    """The fast and the detailed structuring functions of every input type, for one set of rules."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        by_name = {cls.__name__: cls for cls in rules.specs}
        self.fast: dict[type, _Build] = {}
        self.detailed: dict[type, _Build] = {}
        for detailed, target in ((False, self.fast), (True, self.detailed)):
            converter = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=False)
            for name in _ORDER:
                cls = by_name[name]
                spec = rules.specs[cls]
                hooks: dict[str, Any] = {
                    f.name: override(struct_hook=self._hook(f, target, detailed))
                    for f in spec.fields
                }
                made: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, **hooks)
                target[cls] = _bound(made, cls)

    # -- hooks

    def _hook(self, field: Field, built: Mapping[type, _Build], detailed: bool) -> _Hook:
        """The cattrs hook of one field: its reader, its default for nothing, nested records."""
        read = field.read
        if field.nested is not None:
            cls = field.nested
            names = self.rules.specs[cls].names
            if field.many:
                # Only the fast path reads by column (the detailed one names records).
                column_spec = None if detailed else self.rules.specs[cls]

                def many(value: Any, _: Any) -> Any:
                    if absent(value) and not field.required:
                        return ()
                    return self._many(cls, names, built[cls], value, column_spec)

                return many

            def nested(value: Any, _: Any) -> Any:
                if absent(value):
                    if field.required:
                        raise UnreadableError(f"is {short(value)}; it is required")
                    return field.default_value()
                if type(value) is cls:  # already a value
                    return value
                record = as_mapping(value)
                if record is None or not names.issuperset(record):
                    raise UnreadableError(f"must be a {cls.__name__} record (an object)")
                return built[cls](record)

            return nested
        if field.required and not detailed:
            # The fast path needs no words: the type refuses what is missing.
            return read
        if field.required:

            def required(value: Any, _: Any) -> Any:
                if absent(value):
                    raise UnreadableError(f"is {short(value)}; it is required")
                return read(value, None)

            return required
        default = field.default_value()

        def optional(value: Any, _: Any) -> Any:
            return default if value is None or absent(value) else read(value, None)

        return optional

    def _many(
        self, cls: type, names: frozenset[str], build: _Build, value: Any, spec: Spec | None = None
    ) -> list[Any]:
        """An array of records, each built by ``build``; raises at the first that is not valid."""
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise UnreadableError(f"must be an array of {cls.__name__} records, got {what(value)}")
        items = value if type(value) is list else list(value)
        if cls in COLUMN_TYPES and spec is not None:  # a large array: by column if it can
            found = values_of_records(spec, items, self.rules.zone)
            if found is not None:
                return list(found)
        if all(type(item) is dict for item in items):
            if not names.issuperset(chain.from_iterable(items)):
                raise UnreadableError("has a record with a key its type does not have")
            return list(map(build, items))
        found = []
        for item in items:
            if type(item) is cls:  # already a value: a caller mixing values and records
                found.append(item)
                continue
            record = as_mapping(item)
            if record is None or not names.issuperset(record):
                raise UnreadableError("has an entry that is not a record of its type")
            found.append(build(record))
        return found

    # -- the fast path

    def quick(self, cls: type, record: Any) -> Any:
        """The value of a valid record (a record of any shape), or None when anything is wrong."""
        found = as_mapping(record)
        if found is None or not self.rules.specs[cls].names.issuperset(found):
            return None
        try:
            return self.fast[cls](found)
        except Exception:  # anything at all: the detailed path names it
            return None

    def quick_many(self, cls: type, items: Any) -> list[Any] | None:
        """The values of an array of valid records, or None when any is not valid."""
        try:
            spec = self.rules.specs[cls]
            return self._many(cls, spec.names, self.fast[cls], items, spec)
        except Exception:  # the detailed path names what is wrong
            return None

    # -- the detailed path

    def one(self, cls: type, record: Any, path: str, sink: Sink) -> Any:
        """The value of one record of a type without arrays of records.

        None after naming its problems in ``sink``.
        """
        if type(record) is cls:  # already a value
            return record
        found = self.quick(cls, record)
        if found is not None:
            return found
        spec = self.rules.specs[cls]
        mapping = self.record_of(spec, record, path, sink)
        if mapping is None:
            return None
        self.unknown_keys(spec, mapping, path, sink)
        values = self.values(spec, mapping, path, sink, spec.fields)
        if values is None:
            return None
        try:
            return cls(**values)
        except InvalidInputError as error:
            self.diagnose(spec, mapping, path, sink, error)
            return None

    @staticmethod
    def record_of(spec: Spec, record: Any, path: str, sink: Sink) -> dict[Any, Any] | None:
        """The record as a dict; None after a problem when it is not a record at all."""
        found = as_mapping(record)
        if isinstance(record, Unloadable):
            unloadable(record, path, sink)
        elif found is None:
            sink.add(
                path,
                f"a {spec.cls.__name__} record must be an object (a mapping of its fields), "
                f"got {type(record).__name__}",
            )
        return found

    @staticmethod
    def unknown_keys(spec: Spec, record: Mapping[Any, Any], path: str, sink: Sink) -> None:
        """One problem per key the type does not have (the record itself is kept)."""
        unknown = [key for key in record if key not in spec.names]
        if not unknown:
            return
        known = ", ".join(f.name for f in spec.fields)
        owner, rid = spec.owner(record), spec.record_id(record)
        for key in unknown:
            sink.add(
                member(path, key),
                f"{owner}: unknown field {short(key, 40)}; the fields of "
                f"{spec.cls.__name__} are: {known}",
                rid,
            )

    def values(
        self,
        spec: Spec,
        record: Mapping[Any, Any],
        path: str,
        sink: Sink,
        fields: tuple[Field, ...],
    ) -> dict[str, Any] | None:
        """The read values of ``fields`` ready for the constructor; None after naming problems.

        cattrs' detailed validation names every field whose value cannot be
        read; each field that can is then checked alone against the type's
        rules, and each entry of an array of ids on its own, so one bad
        field never hides another.
        """
        owner, rid = spec.owner(record), spec.record_id(record)
        # Each field's problems, told in the order of the fields.
        told = {field.name: Sink() for field in fields}
        for field in fields:
            if field.required and field.name not in record:
                where = member(path, field.name)
                told[field.name].add(
                    where, f"{owner}: {field.name} is missing; it is required", rid
                )
        given = {f.name: record[f.name] for f in fields if f.name in record}
        nested = {f.name for f in fields if f.nested is not None}
        try:
            self.detailed[spec.cls]({**spec.probe, **given})
        except ClassValidationError as group:
            for name, error in _read_errors(group):
                if name in given and name not in nested:
                    told[name].add(member(path, name), f"{owner}: {name} {error}", rid)
        except InvalidInputError:  # pragma: no cover - the constructor's: wrapped by cattrs
            pass
        values: dict[str, Any] = {}
        for field in fields:
            name = field.name
            if told[name].problems or name not in given or absent(given[name]):
                continue
            if field.nested is not None:  # one nested record: named where it is
                value = self.one(field.nested, given[name], member(path, name), told[name])
                if value is not None:
                    values[name] = value
                continue
            values[name] = field.read(given[name], None)  # read by cattrs above: no error
        self._entries(spec, values, record, path, told)
        for name in values:
            if told[name].problems:
                continue
            problem = self.alone(spec, values, name)
            if problem is not None:
                told[name].add(member(path, name), problem, rid)
        for field in fields:
            sink.extend(told[field.name])
        if any(told[name].problems for name in told):
            return None
        return {name: value for name, value in values.items() if not told[name].problems}

    def _entries(
        self,
        spec: Spec,
        values: Mapping[str, Any],
        record: Mapping[Any, Any],
        path: str,
        told: Mapping[str, Sink],
    ) -> None:
        """Each bad entry of an array of ids or texts, or of custom fields, by its index or key."""
        owner, rid = spec.owner(record), spec.record_id(record)
        for name, value in values.items():
            sink = told[name]
            where = member(path, name)
            if name in ID_LISTS and type(value) in (list, tuple):
                for number, entry in enumerate(value):
                    problem = text_problem(entry)
                    if problem is None and not entry and name not in ("tags", "manager_emails"):
                        problem = "must be a non-empty identifier"
                    if problem is not None:
                        sink.add(index(where, number), f"{owner}: {name} entry {problem}", rid)
            elif name == "custom_fields" and isinstance(value, Mapping):
                for title, text in value.items():
                    problem = text_problem(title) or (None if title else "must not be empty")
                    if problem is None:
                        problem = text_problem(text)
                        label = "value"
                    else:
                        label = "title"
                    if problem is not None:
                        sink.add(
                            member(where, title), f"{owner}: custom field {label} {problem}", rid
                        )

    def alone(self, spec: Spec, values: Mapping[str, Any], name: str) -> str | None:
        """The type's own message when field ``name`` breaks a rule by itself, else None.

        The type names the record by the probe's ids (placeholders, but for
        the field checked); the message names it by the record's own ids
        instead, as far as they are usable (``Attempt: ...`` otherwise),
        never by a placeholder.
        """
        probe = _probe_values(spec, values, name)
        try:
            spec.cls(**probe)
            return None
        except InvalidInputError as wrong:
            message = str(wrong)
        except Exception:  # pragma: no cover - a type's own bug
            return None
        stand_in = spec.written_owner(probe)
        if message.startswith(f"{stand_in}: "):
            message = spec.owner(values) + message[len(stand_in) :]
        return message

    @staticmethod
    def diagnose(
        spec: Spec, record: Mapping[Any, Any], path: str, sink: Sink, error: InvalidInputError
    ) -> None:
        """The record's own error, at the record's path.

        Its fields each passed alone (:meth:`values` checked them), so the
        rule broken is one between fields: the type's message names them.
        """
        sink.add(path, str(error), spec.record_id(record))


def unloadable(value: Unloadable, path: str, sink: Sink) -> None:
    """The problems of what could not be loaded: each key given twice, or why."""
    for key in value.keys:
        sink.add(
            member(path, key),
            f"the key {short(key, 40)} is given twice in this object; give each key once",
        )
    if not value.keys:
        sink.add(path, value.message)


def _bound(made: Callable[[Any, Any], Any], cls: type) -> _Build:
    def build(record: Any) -> Any:
        return made(record, cls)

    return build


def _read_errors(group: ClassValidationError) -> list[tuple[str, str]]:
    """(field, message) of each field that could not be read, from cattrs' detailed validation.

    The errors' tracebacks are dropped: cattrs' generated function keeps
    its errors in a local list, so each traceback, holding that function's
    frame, would make a reference cycle left for the cyclic collector.
    """
    found = []
    for error in group.exceptions:
        name = _attribute(error)
        if name is not None and isinstance(error, UnreadableError):
            found.append((name, str(error)))
        error.__traceback__ = None
    group.__traceback__ = None
    return found


def _attribute(error: BaseException) -> str | None:
    """The field an error of cattrs' detailed validation is about (None: the record's own)."""
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return str(note.name)
    return None


def _usable_offset(value: datetime) -> bool:
    """Whether ``value`` is aware with a zone that works (the type explains a broken one)."""
    try:
        return value.utcoffset() is not None
    except Exception:  # any tzinfo's own error: the constructor reports it
        return False


def _probe_values(spec: Spec, values: Mapping[str, Any], name: str) -> dict[str, Any]:
    """Valid values for every field but ``name``, which keeps its own.

    The probe's ids stand in for the record's: :meth:`Structurer.alone`
    names the record by its own ids in the message.
    """
    probe = dict(spec.probe)
    probe.update(spec.overrides.get(name, {}))
    value = values[name]
    probe[name] = value
    partner = spec.partners.get(name)
    if partner is not None and isinstance(value, datetime) and _usable_offset(value):
        # The partner keeps the order with a valid instant (the probe's) where it can,
        # so that only this field's own rules are judged, never the partner's.
        other, later = partner
        probe[other] = max(value, probe[other]) if later else min(value, probe[other])
    return probe


@cache
def structurer(rules: Rules) -> Structurer:
    """The structurer of ``rules`` (built once per set of rules)."""
    return Structurer(rules)
