"""Programs and their sessions: blocks, slots, registrations, attempts.

A *program* is an ordered list of blocks (online courses, assessments,
in-person classroom blocks); a :class:`Session` is one run of a program with
its learners, their registrations, attempts and classroom attendances.

Every value is frozen. A :class:`Session` checks all its cross references in
one pass when it is built, so an invalid session never exists.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from itertools import repeat
from operator import attrgetter, le
from typing import Any, NoReturn

import attrs

from ._checks import (
    EARLIEST,
    LATEST,
    MAX_DURATION,
    MAX_HOURS,
    UTC,
    Rejected,
    bool_column,
    check_bool,
    check_count,
    check_duration,
    check_id,
    check_ids,
    check_instance,
    check_number,
    check_optional_aware,
    check_text,
    check_texts,
    detail,
    duration_column,
    fail,
    field_names,
    from_columns,
    instant,
    is_plain_id,
    is_plain_instant,
    known_ids,
    normalise,
    optional_percentage_column,
    plain_text_column,
    short,
    to_frozenset,
    to_tuple,
    utc_column,
)
from .errors import InvalidInputError, bounded

__all__ = [
    "Attempt",
    "Block",
    "BlockKind",
    "ClassroomSlot",
    "Collaboration",
    "ProgramTemplate",
    "Reactions",
    "Registration",
    "Session",
    "SlotAttendance",
]

_ZERO = timedelta(0)


@attrs.frozen(kw_only=True)
class ProgramTemplate:
    """The program a session is built on."""

    id: str
    name: str
    description: str = ""

    def __attrs_post_init__(self) -> None:
        ident = normalise(self, "id", check_id, "ProgramTemplate", self.id)
        normalise(self, "name", check_text, "ProgramTemplate", ident)
        normalise(self, "description", check_text, "ProgramTemplate", ident)


class BlockKind(enum.Enum):
    """What a block of a program is."""

    COURSE = "course"
    ASSESSMENT = "assessment"
    CLASSROOM = "classroom"


@attrs.frozen(kw_only=True)
class Block:
    """One step of a program.

    ``passing_score`` (0-100) is what a learner's latest score must reach for
    the block to count as passed. A course in examination mode needs one. A
    classroom block has none, is never in examination mode and is never
    scored, whatever ``scored`` says. A block with a ``passing_score`` must be
    scored (otherwise nobody could ever pass it).
    """

    id: str
    title: str
    kind: BlockKind
    scored: bool = True
    examination_mode: bool = False
    passing_score: float | None = None

    def __attrs_post_init__(self) -> None:
        ident = normalise(self, "id", check_id, "Block", self.id)
        normalise(self, "title", check_text, "Block", ident)
        check_instance("Block", ident, "kind", self.kind, BlockKind)
        check_bool("Block", ident, "scored", self.scored)
        check_bool("Block", ident, "examination_mode", self.examination_mode)
        if self.passing_score is not None:
            normalise(self, "passing_score", _percentage, "Block", ident)
        if self.kind is BlockKind.CLASSROOM:
            if self.passing_score is not None:
                fail("Block", ident, "a CLASSROOM block cannot have a passing_score")
            if self.examination_mode:
                fail("Block", ident, "a CLASSROOM block cannot be in examination mode")
            return
        if self.kind is BlockKind.ASSESSMENT and self.examination_mode:
            fail("Block", ident, "an ASSESSMENT block is never in examination mode")
        if self.examination_mode and self.passing_score is None:
            fail("Block", ident, "a COURSE in examination mode needs a passing_score")
        if self.passing_score is not None and not self.scored:
            fail("Block", ident, "has a passing_score but scored=False; a pass needs a score")

    @property
    def is_scored(self) -> bool:
        """True when the block can give a score (never for classroom blocks)."""
        return self.scored and self.kind is not BlockKind.CLASSROOM


@attrs.frozen(kw_only=True)
class ClassroomSlot:
    """One in-person meeting of a classroom block.

    ``duration_hours`` is the *reported* duration and may differ from
    ``end - start``.
    """

    id: str
    block_id: str
    title: str
    start: datetime
    end: datetime
    duration_hours: float

    def __attrs_post_init__(self) -> None:
        ident = normalise(self, "id", check_id, "ClassroomSlot", self.id)
        normalise(self, "block_id", check_id, "ClassroomSlot", ident)
        normalise(self, "title", check_text, "ClassroomSlot", ident)
        start = normalise(self, "start", instant, "ClassroomSlot", ident)
        end = normalise(self, "end", instant, "ClassroomSlot", ident)
        if end < start:
            fail("ClassroomSlot", ident, f"end {end} is before start {start}")
        normalise(self, "duration_hours", _hours, "ClassroomSlot", ident)


@attrs.frozen(kw_only=True)
class Registration:
    """A user's registration to a session; ``unregistered_at`` once unassigned."""

    user_id: str
    registered_at: datetime
    unregistered_at: datetime | None = None
    via_catalog: bool = False

    def __attrs_post_init__(self) -> None:
        registered = self.registered_at
        unregistered = self.unregistered_at
        if (
            is_plain_id(self.user_id)
            and is_plain_instant(registered)
            and (
                unregistered is None
                or (is_plain_instant(unregistered) and registered <= unregistered)
            )
            and (self.via_catalog is True or self.via_catalog is False)
        ):
            return  # the common case: plain values, nothing to convert or explain
        ident = normalise(self, "user_id", check_id, "Registration", self.user_id)
        registered = normalise(self, "registered_at", instant, "Registration", ident)
        unregistered = normalise(
            self, "unregistered_at", check_optional_aware, "Registration", ident
        )
        if unregistered is not None and unregistered < registered:
            fail(
                "Registration",
                ident,
                f"unregistered_at {unregistered} is before registered_at {registered}",
            )
        check_bool("Registration", ident, "via_catalog", self.via_catalog)

    @property
    def active(self) -> bool:
        """True while the user is registered (not unassigned since)."""
        return self.unregistered_at is None


@attrs.frozen(kw_only=True)
class Attempt:
    """One attempt of a user on a course or assessment block.

    ``score`` is None or a number in [0, 100]; ``time_spent`` is what the
    platform measured for this attempt.
    """

    user_id: str
    block_id: str
    started_at: datetime
    last_activity_at: datetime
    time_spent: timedelta
    score: float | None = None
    completed: bool = False

    def __attrs_post_init__(self) -> None:
        # Hot type: one fused test for the common valid case (plain str ids,
        # plain UTC datetimes in range, a plain timedelta within bounds, a
        # plain number); anything else is normalised or explained.
        started = self.started_at
        last = self.last_activity_at
        score = self.score
        spent = self.time_spent
        if not (
            type(self.user_id) is str
            and self.user_id.isascii()
            and "\x00" not in self.user_id
            and self.user_id
            and type(self.block_id) is str
            and self.block_id.isascii()
            and "\x00" not in self.block_id
            and self.block_id
            and type(started) is datetime
            and started.tzinfo is UTC
            and type(last) is datetime
            and last.tzinfo is UTC
            and EARLIEST <= started <= last <= LATEST
            and not (started.fold or last.fold)
            and type(spent) is timedelta
            and _ZERO <= spent <= MAX_DURATION
            and (
                score is None
                or ((type(score) is float or type(score) is int) and 0 <= score <= 100)
            )
            and (self.completed is True or self.completed is False)
        ):
            self._normalise()

    def _normalise(self) -> None:
        # Other zones, subclasses and non-ASCII ids land here; only the
        # fields that are not already plain are converted.
        owner = f"Attempt of user {short(self.user_id, 40)} on block {short(self.block_id, 40)}"
        ident = None
        for field in ("user_id", "block_id"):
            value = getattr(self, field)
            if not (type(value) is str and value.isascii() and value and "\x00" not in value):
                normalise(self, field, check_id, owner, ident)
        started = normalise(self, "started_at", instant, owner, ident)
        last = normalise(self, "last_activity_at", instant, owner, ident)
        if last < started:
            fail(
                owner,
                ident,
                f"last_activity_at {last} is before started_at {started} (compared as instants)",
            )
        spent = self.time_spent
        if not (type(spent) is timedelta and _ZERO <= spent <= MAX_DURATION):
            normalise(self, "time_spent", check_duration, owner, ident)
        score = self.score
        if score is not None and not (
            (type(score) is float or type(score) is int) and 0 <= score <= 100
        ):
            normalise(self, "score", _percentage, owner, ident)
        check_bool(owner, ident, "completed", self.completed)


def plain_attempts(
    user_ids: Sequence[Any],
    block_ids: Sequence[Any],
    started_at: Sequence[Any],
    last_activity_at: Sequence[Any],
    time_spent: Sequence[Any],
    scores: Sequence[Any],
    completed: Sequence[Any],
) -> tuple[Attempt, ...] | None:
    """Attempts from columns of field values (one sequence per field of
    :class:`Attempt`, in field order, equally long).

    Applies the fast test of :class:`Attempt` column by column (each
    distinct value looked at once) and builds the values without calling
    ``__init__`` per attempt. None when any value is not plain and valid:
    build those one by one, whose checks convert or explain.
    """
    if not (
        plain_text_column(user_ids)
        and plain_text_column(block_ids)
        and utc_column(started_at)
        and utc_column(last_activity_at)
        and all(map(le, started_at, last_activity_at))
        and duration_column(time_spent, MAX_DURATION)
        and optional_percentage_column(scores)
        and bool_column(completed)
    ):
        return None
    return from_columns(
        Attempt,
        (user_ids, block_ids, started_at, last_activity_at, time_spent, scores, completed),
    )


def plain_registrations(
    user_ids: Sequence[Any],
    registered_at: Sequence[Any],
    unregistered_at: Sequence[Any],
    via_catalog: Sequence[Any],
) -> tuple[Registration, ...] | None:
    """Registrations from columns of field values, as :func:`plain_attempts` builds attempts.

    None when any value is not plain and valid (the constructor's fast test).
    """
    ended = [
        (start, end)
        for start, end in zip(registered_at, unregistered_at, strict=True)
        if end is not None
    ]
    starts = [start for start, _ in ended]
    ends = [end for _, end in ended]
    if not (
        plain_text_column(user_ids)
        and utc_column(registered_at)
        and utc_column(ends)
        and all(map(le, starts, ends))
        and bool_column(via_catalog)
    ):
        return None
    return from_columns(Registration, (user_ids, registered_at, unregistered_at, via_catalog))


def plain_attendances(
    user_ids: Sequence[Any], slot_ids: Sequence[Any], percents: Sequence[Any]
) -> tuple[SlotAttendance, ...] | None:
    """Attendances from columns of field values, as :func:`plain_attempts` builds attempts.

    None when any value is not plain and valid (the constructor's fast test).
    """
    if not (
        plain_text_column(user_ids)
        and plain_text_column(slot_ids)
        and set(map(type, percents)) <= _NUMBER_TYPES
        and optional_percentage_column(percents)
    ):
        return None
    return from_columns(SlotAttendance, (user_ids, slot_ids, percents))


_NUMBER_TYPES = frozenset((int, float))


def _percentage(owner: str, ident: object, field: str, value: object) -> int | float:
    return check_number(owner, ident, field, value, 0, 100)


def _hours(owner: str, ident: object, field: str, value: object) -> int | float:
    return check_number(owner, ident, field, value, 0, MAX_HOURS)


@attrs.frozen(kw_only=True)
class SlotAttendance:
    """How much of a classroom slot a user attended, in percent (0-100)."""

    user_id: str
    slot_id: str
    percent: float

    def __attrs_post_init__(self) -> None:
        percent = self.percent
        if (
            is_plain_id(self.user_id)
            and is_plain_id(self.slot_id)
            and (type(percent) is float or type(percent) is int)
            and 0 <= percent <= 100
        ):
            return  # the common case: plain values, nothing to convert or explain
        owner = (
            f"SlotAttendance of user {short(self.user_id, 40)} on slot {short(self.slot_id, 40)}"
        )
        normalise(self, "user_id", check_id, owner, None)
        normalise(self, "slot_id", check_id, owner, None)
        normalise(self, "percent", _percentage, owner, None)


@attrs.frozen(kw_only=True)
class Reactions:
    """Reactions left in the session's courses, by kind."""

    likes: int = 0
    learned_something: int = 0
    outdated: int = 0
    didnt_get_it: int = 0

    def __attrs_post_init__(self) -> None:
        for field in ("likes", "learned_something", "outdated", "didnt_get_it"):
            normalise(self, field, check_count, "Reactions", None)

    @property
    def total(self) -> int:
        """All reactions, every kind together."""
        return self.likes + self.learned_something + self.outdated + self.didnt_get_it


@attrs.frozen(kw_only=True)
class Collaboration:
    """Collaborative activity of a session."""

    posts: int = 0
    comments: int = 0
    reactions: Reactions = attrs.field(factory=Reactions)

    def __attrs_post_init__(self) -> None:
        normalise(self, "posts", check_count, "Collaboration", None)
        normalise(self, "comments", check_count, "Collaboration", None)
        check_instance("Collaboration", None, "reactions", self.reactions, Reactions)


_SESSION_COLLECTIONS = (
    "blocks",
    "slots",
    "instructor_ids",
    "group_ids",
    "catalog_group_ids",
    "registrations",
    "waiting_list",
    "attempts",
    "attendances",
    "certificate_user_ids",
    "tags",
)


@attrs.frozen(kw_only=True)
class Session:
    """One run of a program, with everything its statistics need.

    Collections accept any iterable and are stored as tuples or frozensets.
    Construction checks, in one pass: ``end >= start``; unique block and
    slot ids; every slot names a CLASSROOM block of the session; every
    attempt names a course or assessment block of the session; every
    attendance names a slot; at most one registration per user and one
    attendance per user and slot; every attempt, attendance and certificate
    belongs to a user with a registration; nobody is both on the waiting list
    and actively registered.
    """

    id: str
    name: str
    template: ProgramTemplate
    author_id: str
    start: datetime
    end: datetime
    blocks: tuple[Block, ...] = attrs.field(converter=to_tuple)
    slots: tuple[ClassroomSlot, ...] = attrs.field(default=(), converter=to_tuple)
    instructor_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    group_ids: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    catalog_group_ids: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    registrations: tuple[Registration, ...] = attrs.field(default=(), converter=to_tuple)
    waiting_list: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    attempts: tuple[Attempt, ...] = attrs.field(default=(), converter=to_tuple)
    attendances: tuple[SlotAttendance, ...] = attrs.field(default=(), converter=to_tuple)
    certificate_user_ids: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    expected_duration: timedelta | None = None
    tags: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    description: str = ""
    collaboration: Collaboration = attrs.field(factory=Collaboration)
    # Per-learner facts, filled on first use by programstats.facts (never
    # part of equality, hashing or repr).
    _facts_cache: Any = attrs.field(init=False, default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # Every rule, in one pass.
        problems: list[str] = []
        if self._check_scalars(problems):
            self._check_references(problems)
        if problems:
            _raise_all(self.id, problems)

    def __sizeof__(self) -> int:
        """An estimate of the memory the session holds, its records included.

        Schedulers (Dask) decide from sizes whether moving a session between
        processes is worth it; the shallow size would say it is free.
        """
        records = len(self.registrations) + len(self.attempts) + len(self.attendances)
        return object.__sizeof__(self) + 600 * records

    def __getstate__(self) -> tuple[Any, ...]:
        """The field values only: derived caches never travel in a pickle.

        The payload depends only on the session's value (not on what was
        computed before). Attempts, registrations and attendances -- the
        bulk of a large session -- travel as columns of plain values, which
        pickle several times smaller and faster than one object each.
        """
        return tuple(
            _columns(getattr(self, name), _PACKED[name]) if name in _PACKED else getattr(self, name)
            for name in _SESSION_FIELDS
        )

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        # The values were checked when the pickled session was built.
        for name, value in zip(_SESSION_FIELDS, state, strict=True):
            if name in _PACKED:
                value = from_columns(_PACKED[name], value)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_facts_cache", None)

    def _check_scalars(self, problems: list[str]) -> bool:
        """Check and normalise every field; collect one problem per bad field.

        True when the collections can be cross-checked.
        """
        usable = True
        try:
            ident = normalise(self, "id", check_id, "Session", self.id)
        except InvalidInputError as error:
            problems.append(detail(error))
            ident = self.id
        for field in _SESSION_COLLECTIONS:
            found = getattr(self, field)
            if isinstance(found, Rejected):
                problems.append(f"{field} {found.reason}")
                usable = False
        checks: list[tuple[str, Callable[[str, object, str, Any], Any]]] = [
            ("name", check_text),
            ("template", _template),
            ("author_id", check_id),
            ("start", instant),
            ("end", instant),
            ("instructor_ids", _unique_ids),
            ("group_ids", check_ids),
            ("catalog_group_ids", check_ids),
            ("waiting_list", check_ids),
            ("certificate_user_ids", check_ids),
            ("expected_duration", _optional_duration),
            ("tags", check_texts),
            ("description", check_text),
            ("collaboration", _collaboration),
        ]
        for field, check in checks:
            if isinstance(getattr(self, field), Rejected):
                continue
            try:
                normalise(self, field, check, "Session", ident)
            except InvalidInputError as error:
                problems.append(detail(error))
                usable = usable and field not in ("waiting_list", "certificate_user_ids")
        start, end = self.start, self.end
        if (
            type(start) is datetime
            and type(end) is datetime
            and start.tzinfo is UTC
            and end.tzinfo is UTC
            and end < start
        ):
            problems.append(f"end {end} is before start {start}")
        for field, kind in (
            ("blocks", Block),
            ("slots", ClassroomSlot),
            ("registrations", Registration),
            ("attempts", Attempt),
            ("attendances", SlotAttendance),
        ):
            values = getattr(self, field)
            if isinstance(values, Rejected) or all(map(isinstance, values, repeat(kind))):
                continue
            for value in values:
                if not isinstance(value, kind):
                    problems.append(
                        f"{field} must hold {kind.__name__} values, got a "
                        f"{type(value).__name__}: {short(value, 60)}"
                    )
                    usable = False
                    break
        return usable

    def _check_references(self, problems: list[str]) -> None:
        report = problems.append
        kinds: dict[str, BlockKind] = {}
        for block in self.blocks:
            if block.id in kinds:
                report(f"block id {block.id!r} appears twice; block ids must be unique")
            kinds[block.id] = block.kind
        slot_ids: set[str] = set()
        for slot in self.slots:
            if slot.id in slot_ids:
                report(f"slot id {slot.id!r} appears twice; slot ids must be unique")
            slot_ids.add(slot.id)
            kind = kinds.get(slot.block_id)
            if kind is None:
                report(
                    f"slot {slot.id!r} names block {slot.block_id!r}, which is not a block "
                    f"of the session ({known_ids(kinds)})"
                )
            elif kind is not BlockKind.CLASSROOM:
                report(
                    f"slot {slot.id!r} names block {slot.block_id!r}, "
                    f"of kind {kind.name}; slots belong to CLASSROOM blocks"
                )

        active: set[str] = set()
        registered: set[str] = set()
        for registration in self.registrations:
            user_id = registration.user_id
            if user_id in registered:
                report(f"user {user_id!r} has two registrations; keep one")
            registered.add(user_id)
            if registration.unregistered_at is None:
                active.add(user_id)
        waiting: set[str] = set()
        for user_id in self.waiting_list:
            if user_id in waiting:
                report(f"user {user_id!r} is on the waiting list twice")
            waiting.add(user_id)
            if user_id in active:
                report(
                    f"user {user_id!r} is both on the waiting list and "
                    "registered; remove one of the two"
                )

        learnable = {
            block_id for block_id, kind in kinds.items() if kind is not BlockKind.CLASSROOM
        }
        attempts = self.attempts
        fine = registered.issuperset(map(_user_id, attempts)) and learnable.issuperset(
            map(_block_id, attempts)
        )
        longest = max(map(_time_spent, attempts), default=_ZERO)
        if not fine:
            for attempt in attempts:
                if attempt.block_id not in learnable or attempt.user_id not in registered:
                    report(self._bad_attempt(attempt, kinds, registered))
        if len(attempts) * (longest.days + 1) > _MAX_TOTAL_DAYS:
            # Only a session this long could spend more than a timedelta holds.
            try:
                sum(map(_time_spent, attempts), _ZERO)
            except OverflowError:
                report(
                    "the time_spent of all its attempts together exceeds "
                    f"{_MAX_TOTAL_DAYS:,} days; no statistic could add them up"
                )

        seen: set[tuple[str, str]] = set()
        for attendance in self.attendances:
            key = (attendance.user_id, attendance.slot_id)
            if attendance.slot_id not in slot_ids:
                report(
                    f"attendance of user {attendance.user_id!r} names slot "
                    f"{attendance.slot_id!r}, which is not a slot of the session "
                    f"({known_ids(slot_ids)})"
                )
            if attendance.user_id not in registered:
                report(
                    f"attendance of user {attendance.user_id!r} on slot "
                    f"{attendance.slot_id!r}: the user has no registration"
                )
            if key in seen:
                report(
                    f"user {attendance.user_id!r} has two attendances on slot "
                    f"{attendance.slot_id!r}; keep one"
                )
            seen.add(key)

        for user_id in sorted(self.certificate_user_ids - registered):
            report(f"certificate of user {user_id!r}: the user has no registration")

    def _bad_attempt(
        self, attempt: Attempt, kinds: dict[str, BlockKind], registered: set[str]
    ) -> str:
        where = f"attempt of user {attempt.user_id!r} on block {attempt.block_id!r}"
        kind = kinds.get(attempt.block_id)
        if kind is None:
            return (
                f"{where}: the block is not a block of the session "
                f"({known_ids(b for b, k in kinds.items() if k is not BlockKind.CLASSROOM)})"
            )
        if kind is BlockKind.CLASSROOM:
            return (
                f"{where}: attempts are for courses and assessments; "
                "record classroom presence as a SlotAttendance"
            )
        return f"{where}: the user has no registration"


_user_id = attrgetter("user_id")
_block_id = attrgetter("block_id")
_time_spent = attrgetter("time_spent")

#: Most problems one message lists (the count says how many there are).
_LISTED_PROBLEMS = 10
_MAX_TOTAL_DAYS = 999_999_999


def _raise_all(ident: object, problems: list[str]) -> NoReturn:
    if len(problems) == 1:
        fail("Session", ident, problems[0])
    shown = problems[:_LISTED_PROBLEMS]
    # One problem a line: each line stays short whatever the input.
    listed = "".join(f"\n({number}) {bounded(problem)}" for number, problem in enumerate(shown, 1))
    more = len(problems) - len(shown)
    fail(
        "Session",
        ident,
        f"{len(problems)} problems:{listed}" + (f"\nand {more} more" if more else ""),
    )


def _template(owner: str, ident: object, field: str, value: object) -> object:
    check_instance(owner, ident, field, value, ProgramTemplate)
    return value


def _collaboration(owner: str, ident: object, field: str, value: object) -> object:
    check_instance(owner, ident, field, value, Collaboration)
    return value


def _optional_duration(owner: str, ident: object, field: str, value: object) -> object:
    return None if value is None else check_duration(owner, ident, field, value)


def _unique_ids(owner: str, ident: object, field: str, values: Any) -> Any:
    values = check_ids(owner, ident, field, values)
    if len(set(values)) != len(values):
        fail(owner, ident, f"{field} lists a user twice")
    return values


_SESSION_FIELDS = tuple(field.name for field in attrs.fields(Session) if field.init)
_PACKED: dict[str, type[Any]] = {
    "registrations": Registration,
    "attempts": Attempt,
    "attendances": SlotAttendance,
}


def _columns(items: tuple[Any, ...], cls: type[Any]) -> tuple[tuple[Any, ...], ...]:
    """Every field of ``items`` as one tuple per field (``()`` for no item)."""
    return tuple(zip(*map(attrgetter(*field_names(cls)), items), strict=True))
