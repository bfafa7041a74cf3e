"""Programs and their sessions: blocks, slots, registrations, attempts.

A *program* is an ordered list of blocks (online courses, assessments,
in-person classroom blocks); a :class:`Session` is one run of a program with
its learners, their registrations, attempts and classroom attendances.

Every value is frozen. A :class:`Session` checks all its cross references in
one pass when it is built, so an invalid session never exists.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

import attrs

from ._checks import (
    check_aware,
    check_bool,
    check_collections,
    check_count,
    check_duration,
    check_id,
    check_ids,
    check_instance,
    check_number,
    check_optional_aware,
    check_text,
    check_texts,
    fail,
    to_frozenset,
    to_tuple,
)

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
        check_id("ProgramTemplate", self.id, "id", self.id)
        check_text("ProgramTemplate", self.id, "name", self.name)
        check_text("ProgramTemplate", self.id, "description", self.description)


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
        ident = self.id
        check_id("Block", ident, "id", ident)
        check_text("Block", ident, "title", self.title)
        check_instance("Block", ident, "kind", self.kind, BlockKind)
        check_bool("Block", ident, "scored", self.scored)
        check_bool("Block", ident, "examination_mode", self.examination_mode)
        if self.passing_score is not None:
            check_number("Block", ident, "passing_score", self.passing_score, 0, 100)
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
        ident = self.id
        check_id("ClassroomSlot", ident, "id", ident)
        check_id("ClassroomSlot", ident, "block_id", self.block_id)
        check_text("ClassroomSlot", ident, "title", self.title)
        check_aware("ClassroomSlot", ident, "start", self.start)
        check_aware("ClassroomSlot", ident, "end", self.end)
        if self.end < self.start:
            fail("ClassroomSlot", ident, f"end {self.end} is before start {self.start}")
        check_number("ClassroomSlot", ident, "duration_hours", self.duration_hours, 0, float("inf"))


@attrs.frozen(kw_only=True)
class Registration:
    """A user's registration to a session; ``unregistered_at`` once unassigned."""

    user_id: str
    registered_at: datetime
    unregistered_at: datetime | None = None
    via_catalog: bool = False

    def __attrs_post_init__(self) -> None:
        ident = self.user_id
        check_id("Registration", ident, "user_id", ident)
        check_aware("Registration", ident, "registered_at", self.registered_at)
        check_optional_aware("Registration", ident, "unregistered_at", self.unregistered_at)
        if self.unregistered_at is not None and self.unregistered_at < self.registered_at:
            fail(
                "Registration",
                ident,
                f"unregistered_at {self.unregistered_at} is before registered_at "
                f"{self.registered_at}",
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
        # Hot type: one fused test for the common valid case, details only
        # when something is off.
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
            and isinstance(started, datetime)
            and started.utcoffset() is not None
            and isinstance(last, datetime)
            and last.utcoffset() is not None
            and last >= started
            and type(spent) is timedelta
            and spent >= _ZERO
            and (
                score is None
                or ((type(score) is float or type(score) is int) and 0 <= score <= 100)
            )
            and (self.completed is True or self.completed is False)
        ):
            self._explain()

    def _explain(self) -> None:
        # Non-ASCII ids land here too; they pass every check below.
        owner = f"Attempt of user {self.user_id!r} on block {self.block_id!r}"
        ident = None
        check_id(owner, ident, "user_id", self.user_id)
        check_id(owner, ident, "block_id", self.block_id)
        check_aware(owner, ident, "started_at", self.started_at)
        check_aware(owner, ident, "last_activity_at", self.last_activity_at)
        if self.last_activity_at < self.started_at:
            fail(
                owner,
                ident,
                f"last_activity_at {self.last_activity_at} is before started_at {self.started_at}",
            )
        check_duration(owner, ident, "time_spent", self.time_spent)
        if self.score is not None:
            check_number(owner, ident, "score", self.score, 0, 100)
        check_bool(owner, ident, "completed", self.completed)


@attrs.frozen(kw_only=True)
class SlotAttendance:
    """How much of a classroom slot a user attended, in percent (0-100)."""

    user_id: str
    slot_id: str
    percent: float

    def __attrs_post_init__(self) -> None:
        owner = f"SlotAttendance of user {self.user_id!r} on slot {self.slot_id!r}"
        check_id(owner, None, "user_id", self.user_id)
        check_id(owner, None, "slot_id", self.slot_id)
        check_number(owner, None, "percent", self.percent, 0, 100)


@attrs.frozen(kw_only=True)
class Reactions:
    """Reactions left in the session's courses, by kind."""

    likes: int = 0
    learned_something: int = 0
    outdated: int = 0
    didnt_get_it: int = 0

    def __attrs_post_init__(self) -> None:
        for field in ("likes", "learned_something", "outdated", "didnt_get_it"):
            check_count("Reactions", None, field, getattr(self, field))

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
        check_count("Collaboration", None, "posts", self.posts)
        check_count("Collaboration", None, "comments", self.comments)
        check_instance("Collaboration", None, "reactions", self.reactions, Reactions)


def _kinds(owner: str, ident: str, field: str, values: Iterable[object], kind: type) -> None:
    for value in values:
        if not isinstance(value, kind):
            fail(owner, ident, f"{field} must hold {kind.__name__} values, got {value!r}")


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
        self._check_scalars()
        self._check_references()

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
                value = _from_columns(_PACKED[name], value)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_facts_cache", None)

    def _check_scalars(self) -> None:
        ident = self.id
        check_id("Session", ident, "id", ident)
        check_collections("Session", ident, self, _SESSION_COLLECTIONS)
        check_text("Session", ident, "name", self.name)
        check_instance("Session", ident, "template", self.template, ProgramTemplate)
        check_id("Session", ident, "author_id", self.author_id)
        check_aware("Session", ident, "start", self.start)
        check_aware("Session", ident, "end", self.end)
        if self.end < self.start:
            fail("Session", ident, f"end {self.end} is before start {self.start}")
        check_ids("Session", ident, "instructor_ids", self.instructor_ids)
        if len(set(self.instructor_ids)) != len(self.instructor_ids):
            fail("Session", ident, "instructor_ids lists a user twice")
        check_ids("Session", ident, "group_ids", self.group_ids)
        check_ids("Session", ident, "catalog_group_ids", self.catalog_group_ids)
        check_ids("Session", ident, "waiting_list", self.waiting_list)
        check_ids("Session", ident, "certificate_user_ids", self.certificate_user_ids)
        if self.expected_duration is not None:
            check_duration("Session", ident, "expected_duration", self.expected_duration)
        check_texts("Session", ident, "tags", self.tags)
        check_text("Session", ident, "description", self.description)
        check_instance("Session", ident, "collaboration", self.collaboration, Collaboration)

    def _check_references(self) -> None:
        ident = self.id
        _kinds("Session", ident, "blocks", self.blocks, Block)
        _kinds("Session", ident, "slots", self.slots, ClassroomSlot)
        _kinds("Session", ident, "registrations", self.registrations, Registration)
        _kinds("Session", ident, "attempts", self.attempts, Attempt)
        _kinds("Session", ident, "attendances", self.attendances, SlotAttendance)

        kinds: dict[str, BlockKind] = {}
        for block in self.blocks:
            if block.id in kinds:
                fail(
                    "Session",
                    ident,
                    f"block id {block.id!r} appears twice; block ids must be unique",
                )
            kinds[block.id] = block.kind
        slot_ids: set[str] = set()
        for slot in self.slots:
            if slot.id in slot_ids:
                fail(
                    "Session", ident, f"slot id {slot.id!r} appears twice; slot ids must be unique"
                )
            slot_ids.add(slot.id)
            kind = kinds.get(slot.block_id)
            if kind is None:
                fail(
                    "Session",
                    ident,
                    f"slot {slot.id!r} names block {slot.block_id!r}, "
                    "which is not a block of the session",
                )
            if kind is not BlockKind.CLASSROOM:
                fail(
                    "Session",
                    ident,
                    f"slot {slot.id!r} names block {slot.block_id!r}, "
                    f"a {kind.name} block; slots belong to CLASSROOM blocks",
                )

        active: set[str] = set()
        registered: set[str] = set()
        for registration in self.registrations:
            user_id = registration.user_id
            if user_id in registered:
                fail("Session", ident, f"user {user_id!r} has two registrations; keep one")
            registered.add(user_id)
            if registration.unregistered_at is None:
                active.add(user_id)
        waiting: set[str] = set()
        for user_id in self.waiting_list:
            if user_id in waiting:
                fail("Session", ident, f"user {user_id!r} is on the waiting list twice")
            waiting.add(user_id)
            if user_id in active:
                fail(
                    "Session",
                    ident,
                    f"user {user_id!r} is both on the waiting list and "
                    "registered; remove one of the two",
                )

        learnable = {
            block_id for block_id, kind in kinds.items() if kind is not BlockKind.CLASSROOM
        }
        for attempt in self.attempts:
            if attempt.block_id not in learnable or attempt.user_id not in registered:
                self._bad_attempt(attempt, kinds, registered)

        seen: set[tuple[str, str]] = set()
        for attendance in self.attendances:
            key = (attendance.user_id, attendance.slot_id)
            if attendance.slot_id not in slot_ids:
                fail(
                    "Session",
                    ident,
                    f"attendance of user {attendance.user_id!r} names slot "
                    f"{attendance.slot_id!r}, which is not a slot of the session",
                )
            if attendance.user_id not in registered:
                fail(
                    "Session",
                    ident,
                    f"attendance of user {attendance.user_id!r} on slot "
                    f"{attendance.slot_id!r}: the user has no registration",
                )
            if key in seen:
                fail(
                    "Session",
                    ident,
                    f"user {attendance.user_id!r} has two attendances on slot "
                    f"{attendance.slot_id!r}; keep one",
                )
            seen.add(key)

        for user_id in self.certificate_user_ids:
            if user_id not in registered:
                fail(
                    "Session",
                    ident,
                    f"certificate of user {user_id!r}: the user has no registration",
                )

    def _bad_attempt(
        self, attempt: Attempt, kinds: dict[str, BlockKind], registered: set[str]
    ) -> None:
        where = f"attempt of user {attempt.user_id!r} on block {attempt.block_id!r}"
        kind = kinds.get(attempt.block_id)
        if kind is None:
            fail("Session", self.id, f"{where}: the block is not a block of the session")
        if kind is BlockKind.CLASSROOM:
            fail(
                "Session",
                self.id,
                f"{where}: attempts are for courses and assessments; "
                "record classroom presence as a SlotAttendance",
            )
        fail("Session", self.id, f"{where}: the user has no registration")


_SESSION_FIELDS = tuple(field.name for field in attrs.fields(Session) if field.init)
_PACKED: dict[str, type[Any]] = {
    "registrations": Registration,
    "attempts": Attempt,
    "attendances": SlotAttendance,
}


def _names(cls: type[Any]) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls))


def _columns(items: tuple[Any, ...], cls: type[Any]) -> tuple[tuple[Any, ...], ...]:
    """Every field of ``items`` as one tuple per field (``()`` for no item)."""
    return tuple(zip(*map(attrgetter(*_names(cls)), items), strict=True))


def _from_columns(cls: type[Any], columns: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    """The values :func:`_columns` took apart, rebuilt without re-running checks."""
    setters = [getattr(cls, name).__set__ for name in _names(cls)]
    new = object.__new__
    items = []
    for values in zip(*columns, strict=True):
        item = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(item, value)
        items.append(item)
    return tuple(items)
