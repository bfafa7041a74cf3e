"""Per-learner facts of a session (private to the package).

Everything the statistics need about one learner (latest attempt per
block, completed blocks, progress, score, times, verified...) is computed
here, for every learner of a session: one pass over the attendances, a
stable sort of the attempts by learner (in C), then one short pass over
each learner's run of attempts. The result is kept with the session,
so computing several statistics of one session pays for it once.

The rules are those of SPEC §2; ``docs/facts.md`` states them for users.
"""

from __future__ import annotations

import itertools
import math
import weakref
from array import array
from collections.abc import Iterable
from datetime import datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from ._checks import Rejected, expect, fail, known_ids, to_tuple
from .directory import Directory, User
from .errors import InvalidInputError
from .session import Attempt, Block, BlockKind, ClassroomSlot, Session, SlotAttendance

ZERO = timedelta(0)
_USER_ID = attrgetter("user_id")
_MICROSECOND = timedelta(microseconds=1)


def row_numbers(rows: int, values: Iterable[int]) -> array[int]:
    """Row numbers below ``rows`` as machine ints: no int object per value."""
    return array("i" if rows < 2**31 else "q", values)


def learner_sort_key(user: User) -> str:
    """Order of the individual results: last name, first name (case-folded), id.

    One string per learner instead of a tuple of three keeps sorting a big
    session light; text never holds NUL, so NUL-joined strings compare as
    the tuples would.
    """
    return f"{user.last_name.casefold()}\x00{user.first_name.casefold()}\x00{user.id}"


def mean(values: list[float]) -> float | None:
    """Exact, order-independent arithmetic mean; None for no values."""
    if not values:
        return None
    return math.fsum(values) / len(values)


def mean_duration(values: list[timedelta]) -> timedelta | None:
    """Mean of durations to the microsecond (half a microsecond rounds up)."""
    if not values:
        return None
    total = sum(values, ZERO) // _MICROSECOND
    count = len(values)
    return timedelta(microseconds=(2 * total + count) // (2 * count))


def median_duration(values: list[timedelta]) -> timedelta | None:
    """Median with ``statistics.median`` semantics, exact to the microsecond."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    pair = ordered[middle - 1 : middle + 1]
    result = mean_duration(pair)
    assert result is not None
    return result


class BlockFigures(NamedTuple):
    """What the latest attempts on one learnable block add up to."""

    started: int  # learners with an attempt on it
    average_time: timedelta | None  # mean latest-attempt time (None: nobody started)
    average_score: float | None  # mean latest score (None: not scored, or no score)
    passed: int | None  # latest scores at or above its passing score (None without one)


class Layout:
    """What the fact computation needs to know about a session's blocks."""

    __slots__ = (
        "blocks",
        "count",
        "course_positions",
        "is_course",
        "learnable_positions",
        "pass_rules",
        "position",
        "progress_of",
        "scored_positions",
        "slot_position",
        "slots",
    )

    def __init__(self, session: Session) -> None:
        self.blocks: tuple[Block, ...] = session.blocks
        self.count = len(self.blocks)
        self.position = {block.id: pos for pos, block in enumerate(self.blocks)}
        kinds = [block.kind for block in self.blocks]
        self.course_positions = tuple(
            pos for pos, kind in enumerate(kinds) if kind is BlockKind.COURSE
        )
        self.is_course = [kind is BlockKind.COURSE for kind in kinds]
        # Progress only takes count + 1 values: share them.
        self.progress_of = (
            [100.0 * done / self.count for done in range(self.count + 1)] if self.count else [0.0]
        )
        self.learnable_positions = tuple(
            pos for pos, kind in enumerate(kinds) if kind is not BlockKind.CLASSROOM
        )
        self.scored_positions = tuple(
            pos for pos in self.learnable_positions if self.blocks[pos].scored
        )
        # A verified learner reaches the passing score of every course in
        # examination mode and of every assessment that has one.
        self.pass_rules: tuple[tuple[int, float], ...] = tuple(
            (pos, block.passing_score)
            for pos, block in enumerate(self.blocks)
            if block.passing_score is not None
            and (block.kind is BlockKind.ASSESSMENT or block.examination_mode)
        )
        # Slots in block order, then by start (SPEC §5.1).
        self.slots: tuple[ClassroomSlot, ...] = tuple(
            sorted(
                session.slots,
                key=lambda slot: (self.position[slot.block_id], slot.start, slot.end, slot.id),
            )
        )
        self.slot_position = {slot.id: self.position[slot.block_id] for slot in self.slots}


class SessionFacts:
    """SPEC §2 facts about every ever-registered learner of one session.

    Stored by column, one *row* per registration (in registration order), so
    a statistic over all learners is a slice and the whole index stays small:

    * ``latest[latest_at[row] + pos]``: the learner's latest attempt on block
      ``pos`` (None without attempt, always None for classroom blocks). It
      holds ``n`` entries for each learner with attempts only
      (``latest_at[row]`` is -1 for the others), so a session of many blocks
      and few attempts stays small; and it is one list, not one per learner,
      so the garbage collector has little to sweep. :meth:`latest_of` reads
      one learner's entries;
    * ``done[row * n + pos]``: 1 when that block is completed;
    * ``percent[row * s + k]``: the learner's recorded attendance on slot
      ``layout.slots[k]`` (None without a record);
    * ``start``, ``end``, ``last_activity``, ``progress``, ``score``,
      ``time_spent``, ``completed``, ``verified``: one entry per row.

    A learner *started* exactly when ``start[row]`` is not None.
    """

    __slots__ = (
        "block_figures",
        "completed",
        "done",
        "done_counts",
        "end",
        "last_activity",
        "latest",
        "latest_at",
        "layout",
        "no_attempts",
        "order_kept",
        "percent",
        "progress",
        "registrations",
        "score",
        "start",
        "time_spent",
        "verified",
    )

    def __init__(self, session: Session) -> None:
        # No reference back to the session: it keeps its facts, so one would
        # make a cycle, and every session would wait for a full collection
        # of the garbage collector to be freed, all its attempts with it.
        layout = self.layout = Layout(session)
        n = layout.count
        registrations = self.registrations = session.registrations
        rows = len(registrations)
        row = {r.user_id: i for i, r in enumerate(registrations)}
        self.done = bytearray(rows * n)
        self.start: list[datetime | None] = [None] * rows
        self.last_activity: list[datetime | None] = [None] * rows
        self._attendances(session.attendances, row)
        # The attempts ordered by learner, each learner's in their order in
        # session.attempts (a counting sort): one list for all, where a list
        # per learner would make the garbage collector sweep the whole world.
        attempts = session.attempts
        # A list, not an array: iterating an array makes an int object per
        # row number above 256, twice over; the list holds the index's own.
        keys = list(map(row.__getitem__, map(_USER_ID, attempts)))
        del row  # allocate the rest once the index by user is gone
        sizes = [0] * rows
        for r in keys:
            sizes[r] += 1
        # ``free[r]``: where learner r's next attempt goes.
        free = list(itertools.accumulate(sizes, initial=0))
        ordered: list[Attempt] = [None] * len(attempts)  # type: ignore[list-item]  # all replaced
        for attempt, r in zip(attempts, keys, strict=True):
            at = free[r]
            ordered[at] = attempt
            free[r] = at + 1
        del keys, free
        # n entries for each learner with attempts, filled by _learners.
        size = n * (rows - sizes.count(0))
        self.latest: list[Attempt | None] = [None] * size
        self.latest_at: list[int] = [-1] * rows
        # What a learner without attempts reads as its latest values.
        self.no_attempts: list[Attempt | None] = [None] * n
        self.order_kept: tuple[weakref.ref[Directory], array[int]] | None = None
        self.block_figures: dict[int, BlockFigures] | None = None
        self.done_counts: list[int] | None = None
        self.end: list[datetime | None] = [None] * rows
        self.progress: list[float] = [layout.progress_of[0]] * rows
        self.score: list[float | None] = [None] * rows
        self.time_spent: list[timedelta] = [ZERO] * rows
        self.completed = bytearray(rows)
        self.verified = bytearray(rows)
        self._without_attempts()
        self._learners(ordered, sizes)

    def _attendances(self, attendances: Iterable[SlotAttendance], row: dict[str, int]) -> None:
        """Record attendances; one above 0 % completes the block and is a start."""
        layout = self.layout
        n = layout.count
        slot_count = len(layout.slots)
        self.percent: list[float | None] = [None] * (len(row) * slot_count)
        column = {slot.id: k for k, slot in enumerate(layout.slots)}
        start = self.start
        recent = self.last_activity
        for attendance in attendances:
            r = row[attendance.user_id]
            k = column[attendance.slot_id]
            self.percent[r * slot_count + k] = attendance.percent
            if attendance.percent > 0:
                slot = layout.slots[k]
                self.done[r * n + layout.slot_position[slot.id]] = 1
                first = start[r]
                if first is None or slot.start < first:
                    start[r] = slot.start
                seen = recent[r]
                if seen is None or slot.end > seen:
                    recent[r] = slot.end

    def _without_attempts(self) -> None:
        """Progress and completion of learners known by their attendances only.

        Learners with attempts are overwritten by :meth:`_learners`.
        """
        layout = self.layout
        n = layout.count
        done = self.done
        progress_of = layout.progress_of
        for r, seen in enumerate(self.last_activity):
            if seen is None:
                continue
            count = done.count(1, r * n, r * n + n)
            self.progress[r] = progress_of[count]
            if n and count == n:
                self.completed[r] = 1
                self.verified[r] = not layout.pass_rules

    def _learners(self, ordered: list[Attempt], sizes: list[int]) -> None:
        """Facts of every learner with attempts, from its run of ``ordered``."""
        layout = self.layout
        n = layout.count
        latest = self.latest
        latest_at = self.latest_at
        done = self.done
        starts = self.start
        recents = self.last_activity
        ends = self.end
        position = layout.position
        is_course = layout.is_course
        progress_of = layout.progress_of
        scored_positions = layout.scored_positions
        course_positions = layout.course_positions
        pass_rules = layout.pass_rules
        progress = self.progress
        score = self.score
        time_spent = self.time_spent
        completed = self.completed
        verified = self.verified
        fsum = math.fsum
        high = 0
        at = 0
        for r, size in enumerate(sizes):
            if not size:
                continue
            low = high
            high += size
            base = r * n
            blocks: list[Attempt | None] = [None] * n
            first = starts[r]
            recent = recents[r]
            course_end = None
            for attempt in ordered[low:high]:
                pos = position[attempt.block_id]
                started = attempt.started_at
                last = attempt.last_activity_at
                current = blocks[pos]
                # Latest = greatest (started_at, last_activity_at); on a full
                # tie the attempt that comes later in session.attempts
                # (``ordered`` keeps that order).
                if current is None:
                    blocks[pos] = attempt
                else:
                    previous = current.started_at
                    if started > previous or (
                        started == previous and last >= current.last_activity_at
                    ):
                        blocks[pos] = attempt
                if attempt.completed:
                    done[base + pos] = 1
                if first is None or started < first:
                    first = started
                if recent is None or last > recent:
                    recent = last
                if is_course[pos] and (course_end is None or last > course_end):
                    course_end = last
            starts[r] = first
            recents[r] = recent
            ends[r] = course_end
            latest_at[r] = at
            latest[at : at + n] = blocks
            at += n

            count = done.count(1, base, base + n)
            progress[r] = progress_of[count]
            scores = [
                value
                for block in [blocks[pos] for pos in scored_positions]
                if block is not None and (value := block.score) is not None
            ]
            if scores:
                score[r] = fsum(scores) / len(scores)
            total = ZERO
            for pos in course_positions:
                if (course := blocks[pos]) is not None:
                    total += course.time_spent
            time_spent[r] = total
            if count == n:
                completed[r] = 1
                verified[r] = all(
                    (block := blocks[pos]) is not None
                    and (value := block.score) is not None
                    and value >= passing
                    for pos, passing in pass_rules
                )

    def learner_order(self, directory: Directory) -> array[int]:
        """Rows in the order of the individual results, with the names of ``directory``.

        Kept for the last directory asked (by identity, through a weak
        reference): the individual results and the export of one session
        sort its learners once.
        """
        kept = self.order_kept
        if kept is not None and kept[0]() is directory:
            return kept[1]
        users = directory.users
        # Each sort key with its row number last: user ids are unique, so the
        # number never decides the order, and sorting the strings in place
        # needs no list of row numbers beside them.
        keys = [
            f"{learner_sort_key(users[registration.user_id])}\x00{r}"
            for r, registration in enumerate(self.registrations)
        ]
        keys.sort()
        # Row numbers as machine ints: 80 KB for 20,000 learners, not 20,000 ints.
        order = row_numbers(
            len(self.registrations), (int(key[key.rindex("\x00") + 1 :]) for key in keys)
        )
        self.order_kept = (weakref.ref(directory), order)
        return order

    def latest_of(self, row: int) -> list[Attempt | None]:
        """The learner's latest attempt on every block (None where it has none).

        For a learner without attempts the list is the facts' own: do not
        change it.
        """
        at = self.latest_at[row]
        if at < 0:
            return self.no_attempts
        return self.latest[at : at + self.layout.count]

    @property
    def rows(self) -> range:
        return range(len(self.registrations))

    def _gather_blocks(self) -> dict[int, BlockFigures]:
        """The figures of every learnable block, from the learners' latest attempts.

        Each block's latest attempts (a slice of ``latest``, ``n`` entries per
        learner with attempts) are read once for their times and scores.
        Only the figures are kept: lists of every learner's times and scores
        would be hundreds of thousands of references that each run of the
        cyclic collector walks while they are young.
        """
        n = self.layout.count
        latest = self.latest
        blocks = self.layout.blocks
        figures: dict[int, BlockFigures] = {}
        for column in self.layout.learnable_positions:
            block = blocks[column]
            present = [a for a in latest[column::n] if a is not None]
            # An unscored block has no mean score and no passing score.
            scores = [v for a in present if (v := a.score) is not None] if block.scored else []
            passing = block.passing_score
            figures[column] = BlockFigures(
                started=len(present),
                average_time=mean_duration([a.time_spent for a in present]),
                average_score=mean(scores),
                passed=None if passing is None else sum(1 for v in scores if v >= passing),
            )
        self.block_figures = figures
        return figures

    def figures_on(self, pos: int) -> BlockFigures:
        """The figures of learnable block ``pos``, computed once for all of them."""
        found = self.block_figures
        if found is None:
            found = self._gather_blocks()
        return found[pos]

    def done_on(self, pos: int) -> int:
        """How many learners completed block ``pos``."""
        counts = self.done_counts
        if counts is None:
            # Only a learner who started can have completed a block: count
            # over their rows, so many blocks and few starters cost little.
            n = self.layout.count
            done = self.done
            rows = b"".join(
                [done[r * n : r * n + n] for r, first in enumerate(self.start) if first is not None]
            )
            counts = self.done_counts = [rows[column::n].count(1) for column in range(n)]
        return counts[pos]


def facts_of(session: Session) -> SessionFacts:
    """The session's facts, computed on first use and kept with it."""
    facts: SessionFacts | None = session._facts_cache
    if facts is None:
        facts = SessionFacts(session)
        object.__setattr__(session, "_facts_cache", facts)
    return facts


def check_known(session: Session, directory: Directory) -> None:
    """Every user and group ``session`` names must be in ``directory``."""
    expect("directory", directory, Directory)
    users = directory.users
    named_users: tuple[tuple[str, Iterable[str]], ...] = (
        ("registration", [r.user_id for r in session.registrations]),
        ("waiting list entry", session.waiting_list),
        ("instructor", session.instructor_ids),
        ("author", (session.author_id,)),
    )
    for role, user_ids in named_users:
        for user_id in itertools.filterfalse(users.__contains__, user_ids):
            fail(
                "Session",
                session.id,
                f"{role} {user_id!r} is not a user of the directory ({known_ids(users)})",
            )
    groups = directory.groups
    for field, group_ids in (
        ("group_ids", session.group_ids),
        ("catalog_group_ids", session.catalog_group_ids),
    ):
        for group_id in sorted(group_ids):
            if group_id not in groups:
                fail(
                    "Session",
                    session.id,
                    f"{field} names {group_id!r}, not a group of the directory "
                    f"({known_ids(groups)})",
                )


def checked_sessions(
    sessions: Iterable[Session], directory: Directory | None = None
) -> tuple[Session, ...]:
    """The sessions as a tuple: each a Session, each id once, each known to ``directory``."""
    if directory is not None:
        expect("directory", directory, Directory)  # checked even with no session
    given = to_tuple(sessions)
    if isinstance(given, Rejected):
        raise InvalidInputError(f"sessions {given.reason}")
    found = tuple(expect("sessions[]", session, Session) for session in given)
    seen: set[str] = set()
    for session in found:
        if session.id in seen:
            raise InvalidInputError(f"Session {session.id!r} is given twice; pass each once")
        seen.add(session.id)
        if directory is not None:
            check_known(session, directory)
    return found
