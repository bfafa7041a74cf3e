"""Statistics of one program session (SPEC §3).

===================  ==================================================
function             what it computes
===================  ==================================================
session_overview     the *General* section: registrations, attendees,
                     progress by course, median time, scores, bands
shows_results        whether results by group and individual results show
group_results        one :class:`GroupResult` per group of the session
learner_results      one :class:`LearnerResult` per ever-registered learner
block_results        one :class:`BlockResult` per block, with slot details
===================  ==================================================

Percentages and scores are floats in 0-100, never pre-rounded; durations
are :class:`~datetime.timedelta`; a value that does not exist (the average
of nothing) is None.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import repeat
from operator import attrgetter, is_
from typing import Any, ClassVar, overload

import attrs

from ._checks import blank_values, expect, expect_aware, fill_named_columns
from ._render import Rendered
from .directory import Directory
from .facts import ZERO, check_known, facts_of, mean, median_duration
from .session import BlockKind, Session

_USER_ID = attrgetter("user_id")
_ID = attrgetter("id")
_FIRST_NAME = attrgetter("first_name")
_LAST_NAME = attrgetter("last_name")
_DELETED_AT = attrgetter("deleted_at")
_UNREGISTERED_AT = attrgetter("unregistered_at")

__all__ = [
    "BlockResult",
    "BlockScore",
    "CourseProgress",
    "GroupResult",
    "LearnerBlock",
    "LearnerResult",
    "SessionOverview",
    "SlotResult",
    "block_results",
    "group_results",
    "learner_results",
    "session_overview",
    "shows_results",
]


@attrs.frozen(kw_only=True)
class CourseProgress(Rendered):
    """How many attendees completed one course block."""

    block_id: str
    title: str
    completed: int
    percent: float | None


@attrs.frozen(kw_only=True)
class BlockScore(Rendered):
    """Average block score of a scored course or assessment."""

    block_id: str
    title: str
    average: float | None


@attrs.frozen(kw_only=True)
class SessionOverview(Rendered):
    """The *General* section of a session's statistics."""

    registrations: int
    open_registrations: int
    waiting_list: int
    attendees: int
    progress_by_course: tuple[CourseProgress, ...]
    completed: int
    median_time: timedelta | None
    average_score: float | None
    certificates: int
    score_by_block: tuple[BlockScore, ...]
    level_distribution: tuple[int, int, int, int, int]


@attrs.frozen(kw_only=True)
class GroupResult(Rendered):
    """Results of the registered direct members of one group."""

    group_id: str
    name: str
    users: int
    attendance: float | None
    progress: float | None
    score: float | None
    level: int


@attrs.frozen(kw_only=True)
class LearnerBlock(Rendered):
    """One learner's facts on one block."""

    block_id: str
    score: float | None
    time_spent: timedelta
    completed: bool


@attrs.frozen(kw_only=True)
class LearnerResult(Rendered):
    """One line of the individual results."""

    user_id: str
    first_name: str
    last_name: str
    registered: bool
    deleted_at: datetime | None
    progress: float
    score: float | None
    time_spent: timedelta
    started_at: datetime | None
    ended_at: datetime | None
    last_activity: datetime | None
    verified: bool
    blocks: Sequence[LearnerBlock]


class _BlockTable:
    """What the block results of every learner of one ``learner_results`` call share."""

    __slots__ = ("block_ids", "count", "done", "facts", "scored", "unattempted")

    def __init__(self, session: Session) -> None:
        facts = facts_of(session)
        blocks = facts.layout.blocks
        self.count = len(blocks)
        self.facts = facts
        self.done = facts.done
        self.block_ids = [block.id for block in blocks]
        self.scored = [block.is_scored for block in blocks]
        # Without an attempt (always so for classroom blocks) a block reads
        # the same for every learner but for its completed flag: those two
        # values are made once, when first read.
        self.unattempted: list[tuple[LearnerBlock, LearnerBlock] | None] = [None] * self.count

    def _unattempted(self, pos: int) -> tuple[LearnerBlock, LearnerBlock]:
        pair = self.unattempted[pos]
        if pair is None:
            block_id = self.block_ids[pos]
            pair = self.unattempted[pos] = (
                LearnerBlock(block_id=block_id, score=None, time_spent=ZERO, completed=False),
                LearnerBlock(block_id=block_id, score=None, time_spent=ZERO, completed=True),
            )
        return pair

    def block(self, row: int, pos: int) -> LearnerBlock:
        facts = self.facts
        at = facts.latest_at[row]
        attempt = None if at < 0 else facts.latest[at + pos]
        flag = self.done[row * self.count + pos]
        if attempt is None:
            return self._unattempted(pos)[flag]
        score = attempt.score
        return LearnerBlock(
            block_id=self.block_ids[pos],
            score=None if score is None or not self.scored[pos] else float(score),
            time_spent=attempt.time_spent,
            completed=flag == 1,
        )

    def blocks(self, row: int) -> tuple[LearnerBlock, ...]:
        n = self.count
        base = row * n
        at = self.facts.latest_at[row]
        done = self.done[base : base + n]
        shared = self._unattempted
        if at < 0:
            return tuple([shared(pos)[flag] for pos, flag in enumerate(done)])
        return tuple(
            [
                shared(pos)[flag]
                if attempt is None
                else LearnerBlock(
                    block_id=block_id,
                    score=None
                    if (score := attempt.score) is None or not is_scored
                    else float(score),
                    time_spent=attempt.time_spent,
                    completed=flag == 1,
                )
                for pos, (attempt, flag, block_id, is_scored) in enumerate(
                    zip(
                        self.facts.latest[at : at + n],
                        done,
                        self.block_ids,
                        self.scored,
                        strict=True,
                    )
                )
            ]
        )


class LearnerBlocks(Sequence[LearnerBlock]):
    """One learner's :class:`LearnerBlock` values, one per block, made when read.

    It behaves as the tuple of those values: it compares and hashes equal
    to it, has its ``repr``, and pickles as it. Building a value only when
    it is read keeps :func:`learner_results` light on sessions with many
    learners or many blocks.
    """

    __slots__ = ("_row", "_table")

    def __init__(self, table: _BlockTable, row: int) -> None:
        self._table = table
        self._row = row

    @classmethod
    def of_rows(cls, table: _BlockTable, rows: Sequence[int]) -> list[LearnerBlocks]:
        """The values of each row of ``rows``, all reading ``table``.

        Made as :func:`~programstats._checks.from_columns` makes values: no
        Python ``__init__`` per learner.
        """
        found = blank_values(cls, len(rows))
        slots = vars(LearnerBlocks)
        deque(map(slots["_table"].__set__, found, repeat(table)), maxlen=0)
        deque(map(slots["_row"].__set__, found, rows), maxlen=0)
        return found

    def _values(self) -> tuple[LearnerBlock, ...]:
        return self._table.blocks(self._row)

    def __len__(self) -> int:
        return self._table.count

    @overload
    def __getitem__(self, index: int) -> LearnerBlock: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[LearnerBlock, ...]: ...

    def __getitem__(self, index: int | slice) -> LearnerBlock | tuple[LearnerBlock, ...]:
        if isinstance(index, slice):
            return self._values()[index]
        return self._table.block(self._row, range(self._table.count)[index])

    def __iter__(self) -> Iterator[LearnerBlock]:
        return iter(self._values())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LearnerBlocks):
            other = other._values()
        if isinstance(other, tuple):
            return self._values() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return repr(self._values())

    def __add__(self, other: tuple[LearnerBlock, ...]) -> tuple[LearnerBlock, ...]:
        return self._values() + tuple(other)

    def __radd__(self, other: tuple[LearnerBlock, ...]) -> tuple[LearnerBlock, ...]:
        return tuple(other) + self._values()

    def __reduce__(self) -> tuple[type[tuple[LearnerBlock, ...]], tuple[tuple[LearnerBlock, ...]]]:
        return (tuple, (self._values(),))


@attrs.frozen(kw_only=True)
class SlotResult(Rendered):
    """Attendance of one classroom slot."""

    slot_id: str
    title: str
    attendees: int
    average_percent: float | None


@attrs.frozen(kw_only=True)
class BlockResult(Rendered):
    """Detailed results of one block."""

    block_id: str
    title: str
    kind: BlockKind
    started: int
    completed: int
    average_score: float | None
    average_time: timedelta | None
    passed: int | None
    slots: tuple[SlotResult, ...]


class ResultTuple(Rendered, tuple[Any, ...]):
    """A tuple of results that shows as one table in notebooks.

    It is a plain tuple in every other way: it equals, hashes, prints and
    pickles as the tuple of its items.
    """

    __slots__ = ()
    what: ClassVar[str] = "results"


class GroupResults(ResultTuple):
    """What ``group_results`` returns."""

    __slots__ = ()
    what = "group results"


class LearnerResults(ResultTuple):
    """What ``learner_results`` returns."""

    __slots__ = ()
    what = "learner results"


class BlockResults(ResultTuple):
    """What ``block_results`` returns."""

    __slots__ = ()
    what = "block results"


#: A score below 20 is in band 0, ..., from 80 (100 included) in band 4.
_BAND_LIMITS = (20, 40, 60, 80)


def session_overview(session: Session) -> SessionOverview:
    """The *General* section of a session (SPEC §3).

    >>> from programstats.examples import tiny_session
    >>> overview = session_overview(tiny_session())
    >>> overview.attendees, overview.completed, overview.median_time
    (2, 1, datetime.timedelta(seconds=3000))
    >>> overview.average_score, overview.level_distribution
    (75.0, (0, 0, 0, 1, 1))

    Raises :class:`InvalidInputError` when ``session`` is not a Session.
    """
    facts = facts_of(expect("session", session, Session))
    layout = facts.layout
    attendees = len(facts.start) - facts.start.count(None)
    current = [r for r in session.registrations if r.unregistered_at is None]

    # Completing a block needs an attempt or an attendance, so everybody who
    # completed a course is an attendee.
    progress_by_course = []
    for pos in layout.course_positions:
        block = layout.blocks[pos]
        done = facts.done_on(pos)
        percent = 100.0 * done / attendees if attendees else None
        progress_by_course.append(
            CourseProgress(block_id=block.id, title=block.title, completed=done, percent=percent)
        )

    # A score needs an attempt, so everybody with a score is an attendee.
    scores = [score for score in facts.score if score is not None]
    bands = [0, 0, 0, 0, 0]
    for score in scores:
        bands[bisect_right(_BAND_LIMITS, score)] += 1

    score_by_block = tuple(
        BlockScore(
            block_id=layout.blocks[pos].id,
            title=layout.blocks[pos].title,
            average=facts.figures_on(pos).average_score,
        )
        for pos in layout.scored_positions
    )
    completed_rows = [r for r, flag in enumerate(facts.completed) if flag]
    return SessionOverview(
        registrations=len(current),
        open_registrations=sum(1 for r in current if r.via_catalog),
        waiting_list=len(session.waiting_list),
        attendees=attendees,
        progress_by_course=tuple(progress_by_course),
        completed=len(completed_rows),
        median_time=median_duration([facts.time_spent[r] for r in completed_rows]),
        average_score=mean(scores),
        certificates=len(session.certificate_user_ids),
        score_by_block=score_by_block,
        level_distribution=(bands[0], bands[1], bands[2], bands[3], bands[4]),
    )


def shows_results(session: Session, now: datetime) -> bool:
    """Whether results by group and individual results are shown at ``now``.

    They show once an ever-registered learner has started (an attempt, or a
    classroom attendance above 0 %) or once the session is over
    (``now >= end``).

    >>> from datetime import datetime, timezone
    >>> from programstats.examples import tiny_session
    >>> shows_results(tiny_session(), datetime(2026, 1, 1, tzinfo=timezone.utc))
    True

    Raises :class:`InvalidInputError` for a naive ``now``.
    """
    expect("session", session, Session)
    moment = expect_aware("now", now)
    if moment >= session.end or session.attempts:
        return True
    return any(attendance.percent > 0 for attendance in session.attendances)


def group_results(session: Session, directory: Directory) -> tuple[GroupResult, ...]:
    """Results by group: one line per group assigned to the session.

    Members are the *currently registered* *direct* members of the group.
    Lines are ordered by level, then name (case-folded), then id.

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> [(g.name, g.users, g.attendance, g.level)
    ...  for g in group_results(tiny_session(), tiny_directory())]
    [('Company', 1, 0.0, 0), ('Sales', 2, 100.0, 1)]

    Raises :class:`InvalidInputError` when the session names a user or group
    the directory does not know.
    """
    expect("session", session, Session)
    check_known(session, directory)
    facts = facts_of(session)
    members: dict[str, list[int]] = {group_id: [] for group_id in session.group_ids}
    users = directory.users
    for row, registration in enumerate(facts.registrations):
        if registration.unregistered_at is not None:
            continue
        for group_id in users[registration.user_id].group_ids:
            bucket = members.get(group_id)
            if bucket is not None:
                bucket.append(row)

    results = []
    for group_id, rows in members.items():
        starters = [r for r in rows if facts.start[r] is not None]
        scores = [score for score in (facts.score[r] for r in starters) if score is not None]
        results.append(
            GroupResult(
                group_id=group_id,
                name=directory.groups[group_id].name,
                users=len(rows),
                attendance=100.0 * len(starters) / len(rows) if rows else None,
                progress=mean([facts.progress[r] for r in starters]),
                score=mean(scores),
                level=directory.level(group_id),
            )
        )
    results.sort(key=lambda g: (g.level, g.name.casefold(), g.name, g.group_id))
    return GroupResults(results)


def learner_results(session: Session, directory: Directory) -> tuple[LearnerResult, ...]:
    """Individual results: one line per ever-registered learner.

    Sorted by last name, then first name (both case-folded), then user id.
    Unassigned learners have ``registered=False`` (shown in gray).

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> for r in learner_results(tiny_session(), tiny_directory()):
    ...     print(r.first_name, r.progress, r.score, r.verified, r.registered)
    Ana 100.0 70.0 True True
    Bob 0.0 80.0 False True
    Cleo 0.0 None False True
    Dan 0.0 None False False

    Raises :class:`InvalidInputError` when the session names a user or group
    the directory does not know.
    """
    expect("session", session, Session)
    check_known(session, directory)
    facts = facts_of(session)
    order = facts.learner_order(directory)
    # Values first, columns after: the collections their allocation sets off
    # walk the young containers, and while the values are blank those are
    # cheap to walk; each column (20,000 scattered values) would not be.
    results = blank_values(LearnerResult, len(order))
    blocks = LearnerBlocks.of_rows(_BlockTable(session), order)
    registrations = list(map(facts.registrations.__getitem__, order))
    users = directory.users
    people = list(map(users.__getitem__, map(_USER_ID, registrations)))

    def column(values: Sequence[object]) -> list[object]:
        return list(map(values.__getitem__, order))

    # Built field by field in C loops (each value is what the facts hold),
    # without a frozen class's __init__ per learner.
    return LearnerResults(
        fill_named_columns(
            results,
            LearnerResult,
            user_id=list(map(_ID, people)),
            first_name=list(map(_FIRST_NAME, people)),
            last_name=list(map(_LAST_NAME, people)),
            registered=list(map(is_, map(_UNREGISTERED_AT, registrations), repeat(None))),
            deleted_at=list(map(_DELETED_AT, people)),
            progress=column(facts.progress),
            score=column(facts.score),
            time_spent=column(facts.time_spent),
            started_at=column(facts.start),
            ended_at=column(facts.end),
            last_activity=column(facts.last_activity),
            verified=list(map(bool, column(facts.verified))),
            blocks=blocks,
        )
    )


def block_results(session: Session) -> tuple[BlockResult, ...]:
    """Detailed results: one :class:`BlockResult` per block, in block order.

    Course and assessment blocks: learners who started it (have an
    attempt), who completed it, the average latest score, the average
    latest-attempt time over those who started, and, with a
    ``passing_score``, how many reached it. Classroom blocks: ``started``
    and ``completed`` both count learners who attended one of its slots
    (above 0 %), and ``slots`` gives, per slot in start order, how many
    learners have an attendance record and their average percent.

    >>> from programstats.examples import tiny_session
    >>> [(b.block_id, b.started, b.completed, b.average_score, b.passed)
    ...  for b in block_results(tiny_session())]
    [('course', 2, 1, 80.0, None), ('quiz', 1, 1, 60.0, 1), ('workshop', 1, 1, None, None)]

    Raises :class:`InvalidInputError` when ``session`` is not a Session.
    """
    facts = facts_of(expect("session", session, Session))
    layout = facts.layout

    percents: dict[str, list[float]] = {slot.id: [] for slot in layout.slots}
    for attendance in session.attendances:
        percents[attendance.slot_id].append(attendance.percent)

    results = []
    for pos, block in enumerate(layout.blocks):
        completed = facts.done_on(pos)
        if block.kind is BlockKind.CLASSROOM:
            slots = tuple(
                SlotResult(
                    slot_id=slot.id,
                    title=slot.title,
                    attendees=len(percents[slot.id]),
                    average_percent=mean(percents[slot.id]),
                )
                for slot in layout.slots
                if slot.block_id == block.id
            )
            results.append(
                BlockResult(
                    block_id=block.id,
                    title=block.title,
                    kind=block.kind,
                    started=completed,
                    completed=completed,
                    average_score=None,
                    average_time=None,
                    passed=None,
                    slots=slots,
                )
            )
            continue
        figures = facts.figures_on(pos)
        results.append(
            BlockResult(
                block_id=block.id,
                title=block.title,
                kind=block.kind,
                started=figures.started,
                completed=completed,
                average_score=figures.average_score,
                average_time=figures.average_time,
                passed=figures.passed,
                slots=(),
            )
        )
    return BlockResults(results)
