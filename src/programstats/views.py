"""Views over many sessions (SPEC §4): lists, group dashboard, templates.

=====================  ===============================================
function               what it gives
=====================  ===============================================
sessions_table         the program-sessions list a viewer may see, as a
                       :class:`Table`, filtered by :class:`Status`
group_dashboard        a group's last 12 months: ongoing sessions per
                       month, online vs blended, attendance, completion
                       and success rates, one row per session
group_sessions_table   the dashboard's sessions as a :class:`Table`
template_results       individual results of every session of a template
collaboration_table    collaborative activity per session
=====================  ===============================================

Time is always explicit: ``now`` (aware) and the viewer's time zone ``tz``.
"""

from __future__ import annotations

import bisect
import enum
import functools
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo

import attrs
from dateutil import tz as dateutil_tz
from dateutil.relativedelta import relativedelta

from ._checks import UTC, Rejected, check_id, expect, expect_aware, to_tuple
from ._render import Rendered
from ._zones import resolve_zone
from .directory import Directory
from .errors import InvalidInputError
from .facts import SessionFacts, check_known, checked_sessions, facts_of, mean
from .formatting import format_datetime, format_number, protect_text
from .options import ExportOptions, given_options
from .rights import Viewer, viewing
from .session import BlockKind, Session
from .session_stats import LearnerResult, learner_results
from .table import LazyRows, Row, Table

__all__ = [
    "DashboardPartial",
    "GroupDashboard",
    "GroupSessionRow",
    "Status",
    "TemplateResults",
    "collaboration_table",
    "combine_dashboards",
    "dashboard_partial",
    "group_dashboard",
    "group_sessions_table",
    "sessions_table",
    "template_results",
]


class Status(enum.Enum):
    """Filter of the sessions list."""

    IN_PROGRESS = "in progress"
    FINISHED = "finished"
    ALL = "all"

    def matches(self, session: Session, now: datetime) -> bool:
        """IN_PROGRESS: ``start <= now < end``; FINISHED: ``end <= now``; ALL: always."""
        if self is Status.IN_PROGRESS:
            return session.start <= now < session.end
        if self is Status.FINISHED:
            return session.end <= now
        return True


def _text(options: ExportOptions, value: str) -> str:
    return protect_text(value) if options.protect_formulas else value


def sessions_table(
    sessions: Iterable[Session],
    directory: Directory,
    viewer: Viewer,
    now: datetime,
    status: Status = Status.ALL,
    options: ExportOptions | None = None,
) -> Table:
    """The program-sessions list: the sessions ``viewer`` may see, filtered by ``status``.

    Columns ``SESSION ID``, ``Name``, ``Start``, ``End``, ``Registered``
    (current registrations), ``Completion`` (users who completed) and
    ``Instructors`` (count); rows in the order the sessions were given.

    >>> from datetime import datetime, timezone
    >>> from programstats.examples import tiny_directory, tiny_session
    >>> table = sessions_table([tiny_session()], tiny_directory(), Viewer(user_id="olga"),
    ...                        datetime(2026, 3, 15, tzinfo=timezone.utc), Status.IN_PROGRESS)
    >>> list(table.rows)
    [('s1', 'Onboarding, March', '2026/03/02 09:00', '2026/03/31 18:00', '3', '1', '1')]
    """
    found = checked_sessions(sessions, directory)
    moment = expect_aware("now", now)
    expect("status", status, Status)
    opts = given_options(options)
    sees = viewing(viewer, directory)
    shown = tuple(s for s in found if status.matches(s, moment) and sees(s))
    tz = opts.timezone

    def produce() -> Iterator[Row]:
        for session in shown:
            facts = facts_of(session)
            yield (
                _text(opts, session.id),
                _text(opts, session.name),
                format_datetime(session.start, tz),
                format_datetime(session.end, tz),
                str(sum(1 for r in session.registrations if r.unregistered_at is None)),
                str(facts.completed.count(1)),
                str(len(session.instructor_ids)),
            )

    header = ("SESSION ID", "Name", "Start", "End", "Registered", "Completion", "Instructors")
    return Table(header=header, rows=LazyRows(produce))


@attrs.frozen(kw_only=True)
class GroupSessionRow(Rendered):
    """One session of a group dashboard, seen through the group's members."""

    session_id: str
    title: str
    learners: int
    attendance: int
    progress: float | None
    score: float | None


@attrs.frozen(kw_only=True)
class GroupDashboard(Rendered):
    """A group's statistics over the last 12 months (SPEC §4)."""

    group_id: str
    ongoing_per_month: tuple[tuple[date, int], ...]
    online_only: int
    blended: int
    attendance_rate: float | None
    completion_rate: float | None
    success_rate: float | None
    sessions: tuple[GroupSessionRow, ...]


_DASHBOARD_EARLIEST = datetime(2, 1, 2, tzinfo=UTC)
_DASHBOARD_LATEST = datetime(9999, 11, 29, tzinfo=UTC)


def _local_midnight(year: int, month: int, zone: tzinfo) -> datetime:
    """The first instant of a calendar month in ``zone`` (a skipped midnight moves on)."""
    return dateutil_tz.resolve_imaginary(datetime(year, month, 1, tzinfo=zone))


def month_starts(now: datetime, zone: tzinfo, count: int = 12) -> list[datetime]:
    """Starts of the ``count`` calendar months (in ``zone``) ending with ``now``'s, plus the
    start of the next month: ``count + 1`` boundaries of half-open months."""
    local = now.astimezone(zone)
    first = date(local.year, local.month, 1) - relativedelta(months=count - 1)
    boundaries = []
    for step in range(count + 1):
        day = first + relativedelta(months=step)
        boundaries.append(_local_midnight(day.year, day.month, zone))
    return boundaries


def window_start(now: datetime, zone: tzinfo) -> datetime:
    """``now - 12 months``, computed on the wall clock of ``zone``."""
    local = now.astimezone(zone)
    return dateutil_tz.resolve_imaginary(local - relativedelta(months=12))


def _members(
    session: Session, facts: SessionFacts, group_id: str, directory: Directory
) -> list[int]:
    """Rows of the session's currently registered direct members of the group."""
    users = directory.users
    return [
        row
        for row, registration in enumerate(facts.registrations)
        if registration.unregistered_at is None
        and group_id in users[registration.user_id].group_ids
    ]


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def _row_key(item: tuple[datetime, GroupSessionRow]) -> tuple[timedelta, str]:
    """Newest start first, then session id: a total order (ids are unique)."""
    start, row = item
    return (_EPOCH - start, row.session_id)


@attrs.frozen(kw_only=True)
class DashboardPartial:
    """A group dashboard's integer counts over some of the sessions.

    Partials of disjoint sets of sessions merge (:meth:`merge`, or
    :func:`combine_dashboards` over many) into the partial of all of them,
    exactly: rates are only computed at the end, from the summed counts.
    Each partial remembers the group, ``now`` and the month boundaries in
    the time zone it was built with, and only merges with partials built
    with the same ones.
    """

    group_id: str
    now: datetime
    months: tuple[date, ...]
    month_bounds: tuple[datetime, ...]
    window_start: datetime
    session_ids: frozenset[str]
    ongoing: tuple[int, ...]
    online_only: int
    blended: int
    pairs: int
    started: int
    completed: int
    verified: int
    rows: tuple[tuple[datetime, GroupSessionRow], ...]

    def _frame(self) -> tuple[object, ...]:
        return (self.group_id, self.now, self.months, self.month_bounds, self.window_start)

    def merge(self, other: DashboardPartial) -> DashboardPartial:
        """The partial of the sessions of both (associative and commutative).

        Raises :class:`InvalidInputError` when the partials were built for
        another group, ``now`` or time zone, or share a session.
        """
        if not isinstance(other, DashboardPartial):
            raise InvalidInputError(
                f"DashboardPartial.merge: other must be a DashboardPartial, "
                f"got {type(other).__name__}"
            )
        if self._frame() != other._frame():
            raise InvalidInputError(
                "DashboardPartial.merge: the partials were built with different group_id, "
                f"now or time zone (group {self.group_id!r} at {self.now} vs group "
                f"{other.group_id!r} at {other.now}); build every partial with the same ones"
            )
        twice = self.session_ids & other.session_ids
        if twice:
            raise InvalidInputError(f"Session {min(twice)!r} is given twice; pass each once")
        return DashboardPartial(
            group_id=self.group_id,
            now=self.now,
            months=self.months,
            month_bounds=self.month_bounds,
            window_start=self.window_start,
            session_ids=self.session_ids | other.session_ids,
            ongoing=tuple(a + b for a, b in zip(self.ongoing, other.ongoing, strict=True)),
            online_only=self.online_only + other.online_only,
            blended=self.blended + other.blended,
            pairs=self.pairs + other.pairs,
            started=self.started + other.started,
            completed=self.completed + other.completed,
            verified=self.verified + other.verified,
            rows=tuple(sorted((*self.rows, *other.rows), key=_row_key)),
        )

    def dashboard(self) -> GroupDashboard:
        """The dashboard of the partial's sessions (rates None without a pair)."""
        pairs = self.pairs
        return GroupDashboard(
            group_id=self.group_id,
            ongoing_per_month=tuple(zip(self.months, self.ongoing, strict=True)),
            online_only=self.online_only,
            blended=self.blended,
            attendance_rate=_percent(self.started, pairs),
            completion_rate=_percent(self.completed, pairs),
            success_rate=_percent(self.verified, pairs),
            sessions=tuple(row for _, row in self.rows),
        )


def dashboard_partial(
    group_id: str,
    sessions: Iterable[Session],
    directory: Directory,
    now: datetime,
    tz: tzinfo | str,
) -> DashboardPartial:
    """The integer counts of :func:`group_dashboard` over ``sessions``.

    Build one per part of the sessions (the same ``group_id``, ``now`` and
    ``tz`` for all), then :func:`combine_dashboards`: the result equals
    ``group_dashboard`` over all the sessions.

    >>> from datetime import datetime, timezone
    >>> from programstats.examples import tiny_directory, tiny_session
    >>> now = datetime(2026, 4, 10, tzinfo=timezone.utc)
    >>> part = dashboard_partial("sales", [tiny_session()], tiny_directory(), now, "Europe/Paris")
    >>> part.pairs, part.started, part.completed, part.verified
    (2, 2, 1, 1)

    Raises :class:`InvalidInputError` like :func:`group_dashboard`.
    """
    expect("directory", directory, Directory)
    group = directory.group(group_id)
    moment = expect_aware("now", now)
    if not _DASHBOARD_EARLIEST <= moment <= _DASHBOARD_LATEST:
        raise InvalidInputError(
            f"group_dashboard: now {moment} is out of range; the dashboard looks 12 months "
            "back and a month ahead, so now must be between 0002-01-02 and 9999-11-29 UTC"
        )
    zone = resolve_zone(tz, "group_dashboard", "tz")
    given = checked_sessions(sessions)
    considered = [
        session
        for session in given
        if group.id in session.group_ids or group.id in session.catalog_group_ids
    ]
    for session in considered:
        check_known(session, directory)

    try:
        boundaries = month_starts(moment, zone)
        since = window_start(moment, zone)
    except Exception as error:  # a tzinfo that fails on these dates only
        raise InvalidInputError(
            f"group_dashboard: tz (a {type(zone).__name__}) cannot compute the months "
            f"around now ({type(error).__name__}: {error})"
        ) from None
    ongoing = [0] * (len(boundaries) - 1)
    online = blended = pairs = started = completed = verified = 0
    rows: list[tuple[datetime, GroupSessionRow]] = []
    for session in considered:
        # Months [b[i], b[i+1]) with start < b[i+1] and end > b[i].
        first = bisect.bisect_right(boundaries, session.start)
        last = bisect.bisect_left(boundaries, session.end)
        for month in range(max(first - 1, 0), min(last, len(ongoing))):
            ongoing[month] += 1

        facts = facts_of(session)
        members = _members(session, facts, group.id, directory)
        starters = [r for r in members if facts.start[r] is not None]
        if session.start < moment and session.end > since:
            if any(block.kind is BlockKind.CLASSROOM for block in session.blocks):
                blended += 1
            else:
                online += 1
            pairs += len(members)
            started += len(starters)
            completed += sum(facts.completed[r] for r in members)
            verified += sum(facts.verified[r] for r in members)
        scores = [score for score in (facts.score[r] for r in starters) if score is not None]
        row = GroupSessionRow(
            session_id=session.id,
            title=session.name,
            learners=len(members),
            attendance=len(starters),
            progress=mean([facts.progress[r] for r in starters]),
            score=mean(scores),
        )
        rows.append((_utc(session.start), row))

    return DashboardPartial(
        group_id=group.id,
        now=_utc(moment),
        months=tuple(boundary.date() for boundary in boundaries[:-1]),
        month_bounds=tuple(_utc(boundary) for boundary in boundaries),
        window_start=_utc(since),
        session_ids=frozenset(session.id for session in given),
        ongoing=tuple(ongoing),
        online_only=online,
        blended=blended,
        pairs=pairs,
        started=started,
        completed=completed,
        verified=verified,
        rows=tuple(sorted(rows, key=_row_key)),
    )


def combine_dashboards(partials: Iterable[DashboardPartial]) -> GroupDashboard:
    """The dashboard of the sessions of all ``partials`` (any order, any grouping).

    Every partial must come from :func:`dashboard_partial` with the same
    group, ``now`` and time zone, and no session may be in two of them. The
    group, the months and ``now`` travel inside the partials, so at least
    one is needed: the partial of no session,
    ``dashboard_partial(group_id, [], directory, now, tz)``, gives the
    dashboard of no session (zero counts, None rates).

    >>> from datetime import datetime, timezone
    >>> from programstats.examples import tiny_directory, tiny_session
    >>> now = datetime(2026, 4, 10, tzinfo=timezone.utc)
    >>> parts = [dashboard_partial("sales", found, tiny_directory(), now, "Europe/Paris")
    ...          for found in ([], [tiny_session()])]
    >>> combine_dashboards(parts).completion_rate
    50.0
    >>> combine_dashboards(parts[:1]).completion_rate is None
    True

    Raises :class:`InvalidInputError` for no partial, for partials built
    with different groups, ``now`` or time zones, and for a session in two
    partials.
    """
    given = to_tuple(partials)
    if isinstance(given, Rejected):
        raise InvalidInputError(f"combine_dashboards: partials {given.reason}")
    if not given:
        raise InvalidInputError(
            "combine_dashboards: no partial given; the group, now and the months come from the "
            "partials, so pass at least dashboard_partial(group_id, [], directory, now, tz)"
        )
    for partial in given:
        if not isinstance(partial, DashboardPartial):
            raise InvalidInputError(
                "combine_dashboards: every partial must be a DashboardPartial, "
                f"got {type(partial).__name__}"
            )
    total: DashboardPartial = functools.reduce(DashboardPartial.merge, given)
    return total.dashboard()


def group_dashboard(
    group_id: str,
    sessions: Iterable[Session],
    directory: Directory,
    now: datetime,
    tz: tzinfo | str,
) -> GroupDashboard:
    """The statistics dashboard of a group at ``now``, months counted in ``tz``.

    Sessions considered: those assigned to the group or shared in its
    catalog. Over the window ``[now - 12 months, now)`` (a session overlaps
    it when ``start < now`` and ``end > now - 12 months``): how many were
    100 % online and how many had classroom blocks, and, over every pair
    (overlapping session, currently registered direct member), the
    percentage of pairs in which the member started, completed and was
    verified. ``ongoing_per_month`` counts, for each of the 12 calendar
    months ending with the month of ``now``, the sessions in progress at
    some point of that month (half-open periods). One row per considered
    session, newest start first.

    >>> from datetime import datetime, timezone
    >>> from programstats.examples import tiny_directory, tiny_session
    >>> board = group_dashboard("sales", [tiny_session()], tiny_directory(),
    ...                         datetime(2026, 4, 10, tzinfo=timezone.utc), "Europe/Paris")
    >>> board.ongoing_per_month[-2:]
    ((datetime.date(2026, 3, 1), 1), (datetime.date(2026, 4, 1), 0))
    >>> board.attendance_rate, board.completion_rate, board.success_rate
    (100.0, 50.0, 50.0)

    It is :func:`combine_dashboards` of the one :func:`dashboard_partial` of
    ``sessions``.

    Raises :class:`InvalidInputError` for an unknown group, a naive ``now``,
    an unknown time zone, or sessions naming users the directory lacks.
    """
    return combine_dashboards([dashboard_partial(group_id, sessions, directory, now, tz)])


def group_sessions_table(dashboard: GroupDashboard, options: ExportOptions | None = None) -> Table:
    """The dashboard's sessions: ``Program session``, ``Learners``, ``Attendance``,
    ``Progress``, ``Score`` (empty when there is none)."""
    expect("dashboard", dashboard, GroupDashboard)
    opts = given_options(options)

    def number(value: float | None) -> str:
        return "" if value is None else format_number(value, opts.decimals)

    def produce() -> Iterator[Row]:
        for row in dashboard.sessions:
            yield (
                _text(opts, row.title),
                str(row.learners),
                str(row.attendance),
                number(row.progress),
                number(row.score),
            )

    header = ("Program session", "Learners", "Attendance", "Progress", "Score")
    return Table(header=header, rows=LazyRows(produce))


class TemplateResults(tuple[tuple[Session, LearnerResult], ...]):
    """What :func:`template_results` returns: ``(session, result)`` pairs.

    It equals, hashes and prints as the plain tuple of its pairs; only its
    type tells a consumer such as ``programstats.frames.to_frame`` which
    columns an empty one has.
    """

    __slots__ = ()


def template_results(
    template_id: str, sessions: Iterable[Session], directory: Directory
) -> tuple[tuple[Session, LearnerResult], ...]:
    """Individual results of every session built on the template, one pair per learner.

    Sessions in the order given, learners in the order of
    :func:`~programstats.learner_results`. Hand the same sessions to
    :func:`~programstats.export` for the file.
    """
    template_id = check_id("template_results", None, "template_id", template_id)
    found = checked_sessions(sessions, directory)
    return TemplateResults(
        (session, result)
        for session in found
        if session.template.id == template_id
        for result in learner_results(session, directory)
    )


def collaboration_table(sessions: Iterable[Session], options: ExportOptions | None = None) -> Table:
    """Collaborative activity: ``Name``, ``Start``, ``End``, ``Publications``,
    ``Comments``, ``Reactions`` (all four kinds), ``Program template ID``."""
    found = checked_sessions(sessions)
    opts = given_options(options)
    tz = opts.timezone

    def produce() -> Iterator[Row]:
        for session in found:
            activity = session.collaboration
            yield (
                _text(opts, session.name),
                format_datetime(session.start, tz),
                format_datetime(session.end, tz),
                str(activity.posts),
                str(activity.comments),
                str(activity.reactions.total),
                _text(opts, session.template.id),
            )

    header = (
        "Name",
        "Start",
        "End",
        "Publications",
        "Comments",
        "Reactions",
        "Program template ID",
    )
    return Table(header=header, rows=LazyRows(produce))
