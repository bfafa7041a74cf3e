"""Hand-computed examples and invariants for the views over many sessions (SPEC §4, §5.2).

Every expected value was worked out by hand from the rules; the arithmetic is
written next to the assertions. Times are UTC unless a zone is named; local
times in comments are the wall clock of the zone under test.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone, tzinfo
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dateutil_tz
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from programstats import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Collaboration,
    Directory,
    ExportOptions,
    Group,
    GroupDashboard,
    GroupSessionRow,
    InvalidInputError,
    ProgramTemplate,
    Reactions,
    Registration,
    Session,
    SlotAttendance,
    Status,
    User,
    Viewer,
    collaboration_table,
    group_dashboard,
    group_sessions_table,
    sessions_table,
    template_results,
)
from programstats.strategies import aware_datetimes, time_zones, worlds
from programstats.views import month_starts, window_start

# ---------------------------------------------------------------------------------------- builders

UTC = timezone.utc
AUTHOR = "author"
TEMPLATE = ProgramTemplate(id="tpl", name="Onboarding")
HEADER_SESSIONS = ("SESSION ID", "Name", "Start", "End", "Registered", "Completion", "Instructors")
HEADER_GROUP = ("Program session", "Learners", "Attendance", "Progress", "Score")
HEADER_COLLAB = (
    "Name",
    "Start",
    "End",
    "Publications",
    "Comments",
    "Reactions",
    "Program template ID",
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def course(block_id: str = "c1", **options: Any) -> Block:
    return Block(id=block_id, title=f"Course {block_id}", kind=BlockKind.COURSE, **options)


def assessment(block_id: str = "a1", **options: Any) -> Block:
    return Block(id=block_id, title=f"Quiz {block_id}", kind=BlockKind.ASSESSMENT, **options)


def classroom(block_id: str = "w1") -> Block:
    return Block(id=block_id, title=f"Workshop {block_id}", kind=BlockKind.CLASSROOM)


def reg(user_id: str, *, gone: bool = False) -> Registration:
    """A registration on 1 Jan 2025; ``gone`` = unassigned since."""
    at = utc(2025, 1, 1)
    return Registration(
        user_id=user_id, registered_at=at, unregistered_at=at + timedelta(days=1) if gone else None
    )


def attempt(
    user_id: str,
    block_id: str,
    when: datetime,
    *,
    score: float | None = None,
    completed: bool = False,
) -> Attempt:
    return Attempt(
        user_id=user_id,
        block_id=block_id,
        started_at=when,
        last_activity_at=when,
        time_spent=timedelta(minutes=10),
        score=score,
        completed=completed,
    )


def make_session(session_id: str, start: datetime, end: datetime, **overrides: Any) -> Session:
    """A session with one course by default, named after its id."""
    fields: dict[str, Any] = {
        "id": session_id,
        "name": f"Session {session_id}",
        "template": TEMPLATE,
        "author_id": AUTHOR,
        "start": start,
        "end": end,
        "blocks": (course("c1"),),
    }
    fields.update(overrides)
    return Session(**fields)


def person(user_id: str, first: str, last: str, *group_ids: str) -> User:
    return User(
        id=user_id,
        first_name=first,
        last_name=last,
        email=f"{user_id}@x.org",
        group_ids=frozenset(group_ids),
    )


def directory() -> Directory:
    """company > sales > paris, plus support; learners u1..u7, instructors."""
    return Directory(
        groups=[
            Group(id="company", name="Company"),
            Group(id="sales", name="Sales", parent_id="company"),
            Group(id="paris", name="Paris", parent_id="sales"),
            Group(id="support", name="Support", parent_id="company"),
        ],
        users=[
            person(AUTHOR, "Ada", "Author"),
            person("olga", "Olga", "Ortiz"),
            person("ivan", "Ivan", "Ivanov"),
            person("kim", "Kim", "Kang"),
            person("u1", "Ana", "Alves", "sales"),
            person("u2", "Bob", "Brown", "sales"),
            person("u3", "Cleo", "Chen", "sales"),
            person("u4", "Dan", "Diaz", "paris"),  # member of the CHILD group only
            person("u5", "Eve", "Evans", "sales"),
            person("u6", "Fay", "Fox"),  # in no group
            person("u7", "Gus", "garcia", "sales"),
        ],
    )


def monthly(first: date, nonzero: dict[date, int]) -> tuple[tuple[date, int], ...]:
    """Twelve (first day of month, count) pairs from ``first``; zero unless listed."""
    firsts = [first + relativedelta(months=k) for k in range(12)]
    assert set(nonzero) <= set(firsts), "a listed month is outside the twelve"
    return tuple((day, nonzero.get(day, 0)) for day in firsts)


def rows(table: Any) -> list[tuple[str, ...]]:
    return list(table.rows)


# ------------------------------------------------------------------------------------------ Status


START = utc(2026, 3, 2, 9)
END = utc(2026, 3, 31, 18)
US = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("now", "in_progress", "finished"),
    [
        pytest.param(START - US, False, False, id="just-before-start"),
        pytest.param(START, True, False, id="now-equals-start"),
        pytest.param(
            datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Paris")),
            True,
            False,
            id="start-seen-from-paris",  # 10:00 CET == 09:00Z == start
        ),
        pytest.param(utc(2026, 3, 15), True, False, id="middle"),
        pytest.param(END - US, True, False, id="just-before-end"),
        pytest.param(END, False, True, id="now-equals-end"),
        pytest.param(END + US, False, True, id="after-end"),
    ],
)
def test_status_matches_at_the_boundaries(now: datetime, in_progress: bool, finished: bool) -> None:
    session = make_session("s1", START, END)
    assert Status.IN_PROGRESS.matches(session, now) is in_progress
    assert Status.FINISHED.matches(session, now) is finished
    assert Status.ALL.matches(session, now) is True


def test_status_of_a_zero_length_session_at_its_instant_is_finished() -> None:
    # start == end == now: start <= now < end fails; end <= now holds.
    session = make_session("s1", START, START)
    assert Status.IN_PROGRESS.matches(session, START) is False
    assert Status.FINISHED.matches(session, START) is True


@pytest.mark.parametrize(
    ("now", "status", "expected_ids"),
    [
        pytest.param(START, Status.IN_PROGRESS, ["s1"], id="start-in-progress"),
        pytest.param(START, Status.FINISHED, [], id="start-not-finished"),
        pytest.param(END, Status.IN_PROGRESS, [], id="end-not-in-progress"),
        pytest.param(END, Status.FINISHED, ["s1"], id="end-finished"),
        pytest.param(START - US, Status.IN_PROGRESS, [], id="before-start"),
        pytest.param(START - US, Status.ALL, ["s1"], id="before-start-all"),
        pytest.param(END, Status.ALL, ["s1"], id="end-all"),
    ],
)
def test_sessions_table_status_boundaries(
    now: datetime, status: Status, expected_ids: list[str]
) -> None:
    session = make_session("s1", START, END)
    admin = Viewer(user_id="root", platform_admin=True)
    table = sessions_table([session], directory(), admin, now, status)
    assert [row[0] for row in rows(table)] == expected_ids


# ---------------------------------------------------------------------------------- sessions_table


def sessions_for_table() -> list[Session]:
    """Given order: s3, s1, s2.

    s3 "=x": assigned to sales, 2 Mar 09:00Z - 31 Mar 18:00Z, instructors ivan, kim.
        u1 active, completed c1      -> registered, completed
        u2 active, not started       -> registered
        u3 unassigned, completed c1  -> completed (ever registered), not registered
        u4 active, attempt not done  -> registered
        Registered = 3 (u1 u2 u4), Completion = 2 (u1 u3), Instructors = 2
    s1: assigned to support only, no instructor -> hidden from a coach of sales.
    s2: no group, olga teaches it; no blocks -> progress 0 for everyone.
        u1 active -> Registered = 1, Completion = 0, Instructors = 1
    """
    s3 = make_session(
        "s3",
        utc(2026, 3, 2, 9),
        utc(2026, 3, 31, 18),
        name="=x",
        group_ids={"sales"},
        instructor_ids=("ivan", "kim"),
        registrations=(reg("u1"), reg("u2"), reg("u3", gone=True), reg("u4")),
        attempts=(
            attempt("u1", "c1", utc(2026, 3, 3), completed=True),
            attempt("u3", "c1", utc(2026, 3, 3), completed=True),
            attempt("u4", "c1", utc(2026, 3, 4)),
        ),
    )
    s1 = make_session(
        "s1",
        utc(2026, 3, 1),
        utc(2026, 3, 20),
        group_ids={"support"},
        registrations=(reg("u1"),),
        attempts=(attempt("u1", "c1", utc(2026, 3, 3), completed=True),),
    )
    s2 = make_session(
        "s2",
        utc(2026, 1, 15, 8, 30),
        utc(2026, 2, 15, 23, 45),
        name="Spring, intro",
        blocks=(),
        instructor_ids=("olga",),
        registrations=(reg("u1"),),
    )
    return [s3, s1, s2]


COACH_OF_SALES = Viewer(user_id="olga", coached_group_ids={"sales"})


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param(
            None,
            [
                ("s3", "'=x", "2026/03/02 09:00", "2026/03/31 18:00", "3", "2", "2"),
                ("s2", "Spring, intro", "2026/01/15 08:30", "2026/02/15 23:45", "1", "0", "1"),
            ],
            id="default-utc",
        ),
        pytest.param(
            # Paris: CET (+1) until 29 Mar 2026, CEST (+2) after.
            #   09:00Z 2 Mar -> 10:00; 18:00Z 31 Mar -> 20:00
            #   08:30Z 15 Jan -> 09:30; 23:45Z 15 Feb -> 00:45 on 16 Feb
            ExportOptions(timezone="Europe/Paris"),
            [
                ("s3", "'=x", "2026/03/02 10:00", "2026/03/31 20:00", "3", "2", "2"),
                ("s2", "Spring, intro", "2026/01/15 09:30", "2026/02/16 00:45", "1", "0", "1"),
            ],
            id="paris",
        ),
        pytest.param(
            ExportOptions(protect_formulas=False),
            [
                ("s3", "=x", "2026/03/02 09:00", "2026/03/31 18:00", "3", "2", "2"),
                ("s2", "Spring, intro", "2026/01/15 08:30", "2026/02/15 23:45", "1", "0", "1"),
            ],
            id="unprotected",
        ),
    ],
)
def test_sessions_table_full_rows(
    options: ExportOptions | None, expected: list[tuple[str, ...]]
) -> None:
    # s1 is hidden (support is a sibling of sales); s3 then s2, as given.
    table = sessions_table(
        sessions_for_table(), directory(), COACH_OF_SALES, utc(2026, 4, 1), Status.ALL, options
    )
    assert table.header == HEADER_SESSIONS
    assert rows(table) == expected
    assert rows(table) == expected  # re-iterable


def test_sessions_table_default_status_is_all() -> None:
    table = sessions_table(sessions_for_table(), directory(), COACH_OF_SALES, utc(2026, 1, 1))
    # On 1 Jan 2026 nothing has started yet; ALL still lists both visible ones.
    assert [row[0] for row in rows(table)] == ["s3", "s2"]


@pytest.mark.parametrize(
    ("now", "status", "expected_ids"),
    [
        (utc(2026, 3, 15), Status.IN_PROGRESS, ["s3"]),  # s2 ended 15 Feb
        (utc(2026, 3, 15), Status.FINISHED, ["s2"]),
        (utc(2026, 2, 1), Status.IN_PROGRESS, ["s2"]),
        (utc(2026, 4, 1), Status.FINISHED, ["s3", "s2"]),
        (utc(2026, 1, 1), Status.FINISHED, []),
    ],
)
def test_sessions_table_filters_visible_sessions_by_status(
    now: datetime, status: Status, expected_ids: list[str]
) -> None:
    # s1 (hidden) is in progress on 15 Mar and finished on 1 Apr: never listed.
    table = sessions_table(sessions_for_table(), directory(), COACH_OF_SALES, now, status)
    assert [row[0] for row in rows(table)] == expected_ids


def test_sessions_table_admin_sees_every_session_in_given_order() -> None:
    admin = Viewer(user_id="root", platform_admin=True)
    table = sessions_table(sessions_for_table(), directory(), admin, utc(2026, 4, 1))
    assert [row[0] for row in rows(table)] == ["s3", "s1", "s2"]


def test_sessions_table_rejects_a_naive_now() -> None:
    with pytest.raises(InvalidInputError, match="naive"):
        sessions_table(sessions_for_table(), directory(), COACH_OF_SALES, datetime(2026, 4, 1))


def test_sessions_table_rejects_a_session_given_twice() -> None:
    s3, s1, s2 = sessions_for_table()
    with pytest.raises(InvalidInputError, match="s3"):
        sessions_table([s3, s1, s2, s3], directory(), COACH_OF_SALES, utc(2026, 4, 1))


# ------------------------------------------------------------------------- group dashboard: months


def linked(session_id: str, start: datetime, end: datetime, **overrides: Any) -> Session:
    """A session assigned to sales."""
    return make_session(session_id, start, end, group_ids={"sales"}, **overrides)


def test_months_in_auckland_when_utc_is_still_in_may() -> None:
    # now = 31 May 20:00Z = 1 Jun 08:00 NZST (+12; DST ended 5 Apr 2026):
    # the last month is June 2026, the first July 2025.
    # Auckland midnights: 1 Jun 2026 = 31 May 12:00Z; 1 Jul 2025 = 30 Jun 12:00Z.
    sessions = [
        # 31 May 13:00Z-19:00Z = 1 Jun 01:00-07:00 local -> June only
        linked("june-local", utc(2026, 5, 31, 13), utc(2026, 5, 31, 19)),
        # ends exactly at local midnight on 1 June -> May only
        linked("ends-at-june", utc(2026, 5, 10), utc(2026, 5, 31, 12)),
        # 30 Jun 11:00Z-12:30Z = 30 Jun 23:00 - 1 Jul 00:30 local -> July 2025
        # (it would count nowhere with UTC months: 30 June is outside)
        linked("july-edge", utc(2025, 6, 30, 11), utc(2025, 6, 30, 12, 30)),
        # ends 30 Jun 23:00 local: June 2025 is outside the twelve months
        linked("june-2025", utc(2025, 6, 10), utc(2025, 6, 30, 11)),
    ]
    board = group_dashboard(
        "sales", sessions, directory(), utc(2026, 5, 31, 20), "Pacific/Auckland"
    )
    assert board.ongoing_per_month == monthly(
        date(2025, 7, 1),
        {date(2025, 7, 1): 1, date(2026, 5, 1): 1, date(2026, 6, 1): 1},
    )


def test_months_in_new_york_when_utc_is_already_in_june() -> None:
    # now = 1 Jun 2026 11:00 in Tokyo = 02:00Z = 31 May 22:00 EDT (-4): the last
    # month is May 2026, whatever now's own zone; the first is June 2025.
    # New York midnights: 1 May = 04:00Z; 1 Jun 2026 = 04:00Z; 1 Jun 2025 = 04:00Z.
    now = datetime(2026, 6, 1, 11, tzinfo=dateutil_tz.gettz("Asia/Tokyo"))
    assert now == utc(2026, 6, 1, 2)
    sessions = [
        # 1 May 01:00Z-03:00Z = 30 Apr 21:00-23:00 local -> April
        linked("april-local", utc(2026, 5, 1, 1), utc(2026, 5, 1, 3)),
        # ends exactly at local midnight on 1 May -> April only
        linked("ends-at-may", utc(2026, 4, 10, 12), utc(2026, 5, 1, 4)),
        # starts exactly at local midnight on 1 May -> May
        linked("starts-at-may", utc(2026, 5, 1, 4), utc(2026, 5, 1, 5)),
        # 1 Jun 01:00Z = 31 May 21:00 local -> May
        linked("late-may", utc(2026, 6, 1, 1), utc(2026, 6, 1, 1, 30)),
        # 1 Jun 00:00 local onwards: June 2026 is after the twelve months
        linked("june-local", utc(2026, 6, 1, 4), utc(2026, 6, 1, 5)),
        # ends at local midnight on 1 Jun 2025 (first month) -> nowhere
        # (UTC months would count it in June 2025: 04:00Z > 00:00Z)
        linked("ends-at-first", utc(2025, 5, 20), utc(2025, 6, 1, 4)),
    ]
    board = group_dashboard(
        "sales", sessions, directory(), now, dateutil_tz.gettz("America/New_York")
    )
    assert board.ongoing_per_month == monthly(
        date(2025, 6, 1),
        {date(2026, 4, 1): 2, date(2026, 5, 1): 2},  # april-local, ends-at-may / starts, late
    )


def test_months_in_paris_when_utc_is_still_in_april() -> None:
    # now = 30 Apr 22:30Z = 1 May 00:30 CEST (+2): last month May 2026.
    # Paris midnights: 1 May 2026 = 30 Apr 22:00Z; 1 Jun 2025 = 31 May 22:00Z.
    sessions = [
        # 30 Apr 22:00Z-22:15Z = 1 May 00:00-00:15 local -> May
        linked("may-local", utc(2026, 4, 30, 22), utc(2026, 4, 30, 22, 15)),
        # ends exactly at local midnight on 1 May -> April only
        linked("ends-at-may", utc(2026, 4, 20), utc(2026, 4, 30, 22)),
        # 15 Feb - 10 Apr: February, March and April
        linked("three-months", utc(2026, 2, 15, 12), utc(2026, 4, 10, 12)),
        # ends 1 Jun 2025 00:30 local -> June 2025, the first month
        linked("june-edge", utc(2025, 5, 20), utc(2025, 5, 31, 22, 30)),
    ]
    board = group_dashboard(
        "sales", sessions, directory(), utc(2026, 4, 30, 22, 30), ZoneInfo("Europe/Paris")
    )
    # Written out in full: oldest first, first day of each month.
    assert board.ongoing_per_month == (
        (date(2025, 6, 1), 1),  # june-edge
        (date(2025, 7, 1), 0),
        (date(2025, 8, 1), 0),
        (date(2025, 9, 1), 0),
        (date(2025, 10, 1), 0),
        (date(2025, 11, 1), 0),
        (date(2025, 12, 1), 0),
        (date(2026, 1, 1), 0),
        (date(2026, 2, 1), 1),  # three-months
        (date(2026, 3, 1), 1),  # three-months
        (date(2026, 4, 1), 2),  # three-months, ends-at-may
        (date(2026, 5, 1), 1),  # may-local
    )


@pytest.mark.parametrize(
    ("now", "first_month", "last_month"),
    [
        # 29 Feb 2028: the twelve months are Mar 2027 .. Feb 2028.
        (utc(2028, 2, 29, 12), date(2027, 3, 1), date(2028, 2, 1)),
        # 31 Mar 2026: Apr 2025 .. Mar 2026 (no 31 April/June/... is ever built).
        (utc(2026, 3, 31, 12), date(2025, 4, 1), date(2026, 3, 1)),
        # 31 Dec: Jan .. Dec of the same year.
        (utc(2026, 12, 31, 23, 59), date(2026, 1, 1), date(2026, 12, 1)),
    ],
)
def test_months_on_month_ends_and_leap_day(
    now: datetime, first_month: date, last_month: date
) -> None:
    board = group_dashboard("sales", [], directory(), now, "UTC")
    dates = [day for day, _ in board.ongoing_per_month]
    assert len(dates) == 12
    assert dates[0] == first_month
    assert dates[-1] == last_month
    assert all(day.day == 1 for day in dates)
    assert dates == sorted(set(dates))
    assert all(count == 0 for _, count in board.ongoing_per_month)


def test_session_spanning_three_months_counts_in_each_and_only_those() -> None:
    # 10 Jan 12:00 - 3 Mar 08:00 (UTC): January, February, March.
    session = linked("long", utc(2026, 1, 10, 12), utc(2026, 3, 3, 8))
    board = group_dashboard("sales", [session], directory(), utc(2026, 6, 15), "UTC")
    assert board.ongoing_per_month == monthly(
        date(2025, 7, 1), {date(2026, 1, 1): 1, date(2026, 2, 1): 1, date(2026, 3, 1): 1}
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # ends at midnight on 1 Apr: March only
        (utc(2026, 3, 10), utc(2026, 4, 1), {date(2026, 3, 1): 1}),
        # ends one second later: March and April
        (
            utc(2026, 3, 10),
            utc(2026, 4, 1) + timedelta(seconds=1),
            {date(2026, 3, 1): 1, date(2026, 4, 1): 1},
        ),
        # starts at midnight on 1 Apr: April only
        (utc(2026, 4, 1), utc(2026, 4, 2), {date(2026, 4, 1): 1}),
        # zero length exactly at midnight on 1 Apr: in no month (end > month start fails
        # for April, start < month end fails for March)
        (utc(2026, 4, 1), utc(2026, 4, 1), {}),
        # zero length inside April: April
        (utc(2026, 4, 5), utc(2026, 4, 5), {date(2026, 4, 1): 1}),
        # before and after the twelve months: nowhere
        (utc(2025, 1, 1), utc(2025, 7, 1), {}),
        (utc(2026, 7, 1), utc(2026, 8, 1), {}),
        # covers all twelve months and more
        (
            utc(2024, 1, 1),
            utc(2027, 1, 1),
            {date(2025, 7, 1) + relativedelta(months=k): 1 for k in range(12)},
        ),
    ],
)
def test_half_open_months(start: datetime, end: datetime, expected: dict[date, int]) -> None:
    board = group_dashboard(
        "sales", [linked("s", start, end)], directory(), utc(2026, 6, 15), "UTC"
    )
    assert board.ongoing_per_month == monthly(date(2025, 7, 1), expected)


# ------------------------------------------------------------------------- group dashboard: window


@pytest.mark.parametrize(
    ("now", "zone", "since"),
    [
        # 29 Feb 2028 - 12 months = 28 Feb 2027 (relativedelta clips the day);
        # 365 days back would be 1 Mar 2027.
        pytest.param(utc(2028, 2, 29, 12), "UTC", utc(2027, 2, 28, 12), id="leap-day"),
        pytest.param(utc(2026, 3, 31, 12), "UTC", utc(2025, 3, 31, 12), id="31-march"),
        # 29 Mar 2026 10:00Z = 12:00 CEST; 12 months back on the wall clock is
        # 29 Mar 2025 12:00 CET (DST began 30 Mar 2025) = 11:00Z, not 10:00Z.
        pytest.param(utc(2026, 3, 29, 10), "Europe/Paris", utc(2025, 3, 29, 11), id="paris-dst"),
    ],
)
def test_window_is_twelve_months_on_the_wall_clock(
    now: datetime, zone: str, since: datetime
) -> None:
    minute = timedelta(minutes=1)
    sessions = [
        # excluded: ends exactly at the window start (end > since fails) - blended
        linked("at-since", since - timedelta(days=30), since, blocks=(classroom(),)),
        # included: ends one minute into the window - online
        linked("just-after", since - timedelta(days=30), since + minute),
        # excluded: starts exactly at now (start < now fails) - blended
        linked("starts-now", now, now + timedelta(days=3), blocks=(course(), classroom())),
        # included: started one minute before now - online
        linked("just-before", now - minute, now + timedelta(days=3)),
    ]
    board = group_dashboard("sales", sessions, directory(), now, zone)
    assert (board.online_only, board.blended) == (2, 0)
    assert window_start(now, dateutil_tz.gettz(zone)) == since


def test_leap_day_window_decides_the_rates() -> None:
    # now 29 Feb 2028 12:00Z, window start 28 Feb 2027 12:00Z.
    #   old:   ends 28 Feb 2027 12:00 -> outside; u2 registered, not started
    #   fresh: ends 28 Feb 2027 12:01 -> inside;  u1 registered, started
    # pairs = 1 (fresh, u1), started 1 -> attendance 100 (50 if "old" counted,
    # 0 pairs/None if the window began on 1 Mar 2027).
    old = linked(
        "old",
        utc(2027, 1, 10),
        utc(2027, 2, 28, 12),
        registrations=(reg("u2"),),
    )
    fresh = linked(
        "fresh",
        utc(2027, 1, 10),
        utc(2027, 2, 28, 12, 1),
        registrations=(reg("u1"),),
        attempts=(attempt("u1", "c1", utc(2027, 1, 11)),),
    )
    board = group_dashboard("sales", [old, fresh], directory(), utc(2028, 2, 29, 12), "UTC")
    assert board.attendance_rate == 100.0
    assert board.completion_rate == 0.0  # c1 not completed
    assert (board.online_only, board.blended) == (1, 0)
    # Both end in Feb 2027, before the first month (Mar 2027): no month counts them.
    assert all(count == 0 for _, count in board.ongoing_per_month)


def test_window_and_month_helpers() -> None:
    # Auckland: now 31 May 20:00Z is 1 Jun 08:00 local; first month July 2025.
    zone = dateutil_tz.gettz("Pacific/Auckland")
    bounds = month_starts(utc(2026, 5, 31, 20), zone)
    assert len(bounds) == 13  # twelve half-open months
    assert bounds[0] == utc(2025, 6, 30, 12)  # 1 Jul 2025 00:00 NZST (+12)
    assert bounds[-2] == utc(2026, 5, 31, 12)  # 1 Jun 2026 00:00 NZST
    assert bounds[-1] == utc(2026, 6, 30, 12)  # 1 Jul 2026 00:00 NZST
    # 1 Jun 2025 08:00 NZST = 31 May 2025 20:00Z
    assert window_start(utc(2026, 5, 31, 20), zone) == utc(2025, 5, 31, 20)


# -------------------------------------------------------------------- group dashboard: rates, rows


def dashboard_sessions() -> list[Session]:
    """Sessions around group "sales"; now = 15 Jun 2026 12:00Z, window from
    15 Jun 2025 12:00Z.

    s1 "Online A" (sales, 1-31 Mar 2026, c1 course + a1 assessment pass 50)
        u1: c1 80 done, a1 60 done  -> progress 100, score 70, verified
        u2: c1 90 done, a1 40       -> progress 50,  score 65
        u3: nothing                 -> not started
        u7: c1 done (no score), a1 30 done -> progress 100, score 30, not verified
        u4 (paris only), u5 (unassigned), u6 (no group) completed: not members
        members 4, started 3, completed 2 (u1 u7), verified 1 (u1)
        row: progress (100 + 50 + 100) / 3 = 83.33, score (70 + 65 + 30) / 3 = 55
    a7 "Tie with A" (sales, same start as s1, ends 30 Apr): no registration
    s2 "Blended B" (sales catalog, 1 Sep - 1 Dec 2025, c1 + classroom w1)
        u1: slot 100 %, c1 72.5 not done -> progress 50, score 72.5
        u3: slot 0 %                     -> not started
        members 2, started 1, completed 0
    s3 "Old C" (sales, ends 15 Jun 2025 12:00 = window start): outside the window
        u1 completed c1 (no score), u2 nothing
    s4 (paris only) and s6 (no group): not considered; u1 completes both
    s5 "Future E" (sales, starts at now): outside the window; u2 registered;
        course + classroom without slot
    """
    s1 = linked(
        "s1",
        utc(2026, 3, 1, 9),
        utc(2026, 3, 31, 18),
        name="Online A",
        blocks=(course("c1"), assessment("a1", passing_score=50)),
        registrations=tuple(
            reg(u, gone=(u == "u5")) for u in ("u1", "u2", "u3", "u4", "u5", "u7", "u6")
        ),
        attempts=(
            attempt("u1", "c1", utc(2026, 3, 2), score=80, completed=True),
            attempt("u1", "a1", utc(2026, 3, 3), score=60, completed=True),
            attempt("u2", "c1", utc(2026, 3, 2), score=90, completed=True),
            attempt("u2", "a1", utc(2026, 3, 3), score=40),
            attempt("u7", "c1", utc(2026, 3, 2), completed=True),
            attempt("u7", "a1", utc(2026, 3, 3), score=30, completed=True),
            *(
                attempt(u, b, utc(2026, 3, 4), score=100, completed=True)
                for u in ("u4", "u5", "u6")
                for b in ("c1", "a1")
            ),
        ),
    )
    a7 = linked("a7", utc(2026, 3, 1, 9), utc(2026, 4, 30), name="Tie with A")
    slot = ClassroomSlot(
        id="w1-s1",
        block_id="w1",
        title="Day 1",
        start=utc(2025, 9, 10, 9),
        end=utc(2025, 9, 10, 17),
        duration_hours=8,
    )
    s2 = make_session(
        "s2",
        utc(2025, 9, 1, 9),
        utc(2025, 12, 1),
        name="Blended B",
        catalog_group_ids={"sales"},
        blocks=(course("c1"), classroom("w1")),
        slots=(slot,),
        registrations=(reg("u1"), reg("u3")),
        attempts=(attempt("u1", "c1", utc(2025, 9, 2), score=72.5),),
        attendances=(
            SlotAttendance(user_id="u1", slot_id="w1-s1", percent=100),
            SlotAttendance(user_id="u3", slot_id="w1-s1", percent=0),
        ),
    )
    s3 = linked(
        "s3",
        utc(2025, 1, 10),
        utc(2025, 6, 15, 12),
        name="Old C",
        registrations=(reg("u1"), reg("u2")),
        attempts=(attempt("u1", "c1", utc(2025, 1, 11), completed=True),),
    )
    s4 = make_session(
        "s4",
        utc(2026, 3, 1),
        utc(2026, 3, 20),
        name="Paris only",
        group_ids={"paris"},
        registrations=(reg("u1"),),
        attempts=(attempt("u1", "c1", utc(2026, 3, 2), completed=True),),
    )
    s5 = linked(
        "s5",
        utc(2026, 6, 15, 12),
        utc(2026, 7, 15),
        name="Future E",
        blocks=(course("c1"), classroom("w1")),
        registrations=(reg("u2"),),
    )
    s6 = make_session(
        "s6",
        utc(2026, 3, 1),
        utc(2026, 3, 20),
        name="Unrelated",
        registrations=(reg("u1"),),
        attempts=(attempt("u1", "c1", utc(2026, 3, 2), completed=True),),
    )
    return [s3, s1, s6, s2, s4, a7, s5]


NOW = utc(2026, 6, 15, 12)


def test_dashboard_rates_and_counts() -> None:
    board = group_dashboard("sales", dashboard_sessions(), directory(), NOW, "UTC")
    assert board.group_id == "sales"
    # In the window: s1 (online), a7 (online), s2 (classroom) -> 2 online, 1 blended.
    assert (board.online_only, board.blended) == (2, 1)
    # Pairs: s1 4 + a7 0 + s2 2 = 6
    assert board.attendance_rate == pytest.approx(100 * 4 / 6)  # u1 u2 u7 + u1(s2) = 66.67
    assert board.completion_rate == pytest.approx(100 * 2 / 6)  # u1 u7 = 33.33
    assert board.success_rate == pytest.approx(100 * 1 / 6)  # u1 = 16.67


def test_dashboard_months_of_the_scenario() -> None:
    # s2: 1 Sep - 1 Dec 00:00 -> Sep, Oct, Nov (not Dec)
    # s1: March; a7: 1 Mar - 30 Apr 00:00 -> March, April; s5: June 2026
    # s3 ends 15 Jun 2025, before July 2025 -> nowhere; s4, s6 not considered
    board = group_dashboard("sales", dashboard_sessions(), directory(), NOW, "UTC")
    assert board.ongoing_per_month == monthly(
        date(2025, 7, 1),
        {
            date(2025, 9, 1): 1,
            date(2025, 10, 1): 1,
            date(2025, 11, 1): 1,
            date(2026, 3, 1): 2,
            date(2026, 4, 1): 1,
            date(2026, 6, 1): 1,
        },
    )


def test_dashboard_session_rows() -> None:
    board = group_dashboard("sales", dashboard_sessions(), directory(), NOW, "UTC")
    # Newest start first; s1 and a7 start together -> id order: a7 before s1.
    # (session_id, title, learners, attendance, progress, score)
    expected = [
        ("s5", "Future E", 1, 0, None, None),  # u2 registered, not started
        ("a7", "Tie with A", 0, 0, None, None),
        ("s1", "Online A", 4, 3, pytest.approx(250 / 3), pytest.approx(55.0)),
        ("s2", "Blended B", 2, 1, 50.0, 72.5),  # u1 only started
        ("s3", "Old C", 2, 1, 100.0, None),  # outside the window, still listed
    ]
    got = [
        (row.session_id, row.title, row.learners, row.attendance, row.progress, row.score)
        for row in board.sessions
    ]
    assert all(isinstance(row, GroupSessionRow) for row in board.sessions)
    assert got == expected


def test_dashboard_row_ties_go_by_id_whatever_the_given_order() -> None:
    start = utc(2026, 3, 1)
    sessions = [linked(i, start, utc(2026, 3, 9)) for i in ("m", "b", "z", "a")]
    sessions.append(linked("later", start + timedelta(seconds=1), utc(2026, 3, 9)))
    board = group_dashboard("sales", sessions, directory(), NOW, "UTC")
    assert [row.session_id for row in board.sessions] == ["later", "a", "b", "m", "z"]


def test_dashboard_does_not_consider_a_session_of_a_child_group() -> None:
    # s4 is assigned to paris (child of sales): only the paris dashboard has it.
    sessions = dashboard_sessions()
    assert "s4" not in [
        row.session_id
        for row in group_dashboard("sales", sessions, directory(), NOW, "UTC").sessions
    ]
    paris = group_dashboard("paris", sessions, directory(), NOW, "UTC")
    assert [row.session_id for row in paris.sessions] == ["s4"]
    # u1 is registered to s4 but is a member of sales, not paris: no pair.
    assert paris.sessions[0].learners == 0
    assert (paris.attendance_rate, paris.completion_rate, paris.success_rate) == (None,) * 3
    assert (paris.online_only, paris.blended) == (1, 0)


def test_dashboard_of_a_parent_group_does_not_inherit_child_sessions() -> None:
    # company is an ancestor of sales and paris; no session is linked to company.
    board = group_dashboard("company", dashboard_sessions(), directory(), NOW, "UTC")
    assert board.sessions == ()
    assert (board.online_only, board.blended) == (0, 0)
    assert (board.attendance_rate, board.completion_rate, board.success_rate) == (None,) * 3
    assert all(count == 0 for _, count in board.ongoing_per_month)


def test_rates_are_none_without_a_pair_even_with_sessions_in_the_window() -> None:
    # One online session in the window, but nobody registered.
    board = group_dashboard(
        "sales", [linked("empty", utc(2026, 5, 1), utc(2026, 5, 9))], directory(), NOW, "UTC"
    )
    assert (board.online_only, board.blended) == (1, 0)
    assert board.attendance_rate is None
    assert board.completion_rate is None
    assert board.success_rate is None


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        pytest.param((course(),), (1, 0), id="course"),
        pytest.param((assessment(),), (1, 0), id="assessment"),
        pytest.param((course(), assessment()), (1, 0), id="course+assessment"),
        pytest.param((), (1, 0), id="no-block"),  # no CLASSROOM block -> online
        pytest.param((classroom(),), (0, 1), id="classroom"),
        pytest.param((course(), classroom("w2")), (0, 1), id="course+classroom"),
    ],
)
def test_online_or_blended(blocks: tuple[Block, ...], expected: tuple[int, int]) -> None:
    session = linked("s", utc(2026, 5, 1), utc(2026, 5, 9), blocks=blocks)
    board = group_dashboard("sales", [session], directory(), NOW, "UTC")
    assert (board.online_only, board.blended) == expected


def test_catalog_only_session_is_considered() -> None:
    session = make_session("cat", utc(2026, 5, 1), utc(2026, 5, 9), catalog_group_ids={"sales"})
    board = group_dashboard("sales", [session], directory(), NOW, "UTC")
    assert [row.session_id for row in board.sessions] == ["cat"]
    assert board.online_only == 1


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        pytest.param({"group_id": "nowhere"}, "nowhere", id="unknown-group"),
        pytest.param({"now": datetime(2026, 6, 15, 12)}, "naive", id="naive-now"),
        pytest.param({"tz": "Mars/Olympus"}, "Mars/Olympus", id="unknown-zone"),
        pytest.param({"tz": None}, "None", id="none-zone"),
    ],
)
def test_dashboard_rejects_bad_arguments(arguments: dict[str, Any], match: str) -> None:
    call: dict[str, Any] = {
        "group_id": "sales",
        "sessions": dashboard_sessions(),
        "directory": directory(),
        "now": NOW,
        "tz": "UTC",
    }
    call.update(arguments)
    with pytest.raises(InvalidInputError, match=match):
        group_dashboard(**call)


def test_dashboard_accepts_a_zone_name_or_a_tzinfo() -> None:
    sessions = dashboard_sessions()
    by_name = group_dashboard("sales", sessions, directory(), NOW, "Europe/Paris")
    by_object = group_dashboard("sales", sessions, directory(), NOW, ZoneInfo("Europe/Paris"))
    by_dateutil = group_dashboard(
        "sales", sessions, directory(), NOW, dateutil_tz.gettz("Europe/Paris")
    )
    assert by_name == by_object == by_dateutil


# ---------------------------------------------------------------------------- group_sessions_table


def hand_dashboard() -> GroupDashboard:
    return GroupDashboard(
        group_id="sales",
        ongoing_per_month=(),
        online_only=0,
        blended=0,
        attendance_rate=None,
        completion_rate=None,
        success_rate=None,
        sessions=(
            GroupSessionRow(
                session_id="x1",
                title="=HYPERLINK()",
                learners=3,
                attendance=2,
                progress=72.5,
                score=2.675,
            ),
            GroupSessionRow(
                session_id="x2",
                title="Plain",
                learners=0,
                attendance=0,
                progress=None,
                score=None,
            ),
            GroupSessionRow(
                session_id="x3",
                title="Third",
                learners=5,
                attendance=5,
                progress=100.0,
                score=0.0,
            ),
        ),
    )


@pytest.mark.parametrize(
    ("decimals", "expected"),
    [
        # half-up from the shortest decimal form: 72.5 -> 73 (not 72), 2.675 -> 3
        (
            0,
            [
                ("'=HYPERLINK()", "3", "2", "73", "3"),
                ("Plain", "0", "0", "", ""),
                ("Third", "5", "5", "100", "0"),
            ],
        ),
        # 2.675 -> 2.68 (not 2.67)
        (
            2,
            [
                ("'=HYPERLINK()", "3", "2", "72.50", "2.68"),
                ("Plain", "0", "0", "", ""),
                ("Third", "5", "5", "100.00", "0.00"),
            ],
        ),
    ],
)
def test_group_sessions_table_rows(decimals: int, expected: list[tuple[str, ...]]) -> None:
    table = group_sessions_table(hand_dashboard(), ExportOptions(decimals=decimals))
    assert table.header == HEADER_GROUP
    assert rows(table) == expected


def test_group_sessions_table_default_options() -> None:
    table = group_sessions_table(hand_dashboard())
    assert rows(table)[0] == ("'=HYPERLINK()", "3", "2", "73", "3")


@pytest.mark.parametrize(
    ("decimals", "expected"),
    [
        (
            0,
            [
                ("Future E", "1", "0", "", ""),
                ("Tie with A", "0", "0", "", ""),
                ("Online A", "4", "3", "83", "55"),  # 83.33 -> 83
                ("Blended B", "2", "1", "50", "73"),  # 72.5 -> 73 half-up
                ("Old C", "2", "1", "100", ""),
            ],
        ),
        (
            1,
            [
                ("Future E", "1", "0", "", ""),
                ("Tie with A", "0", "0", "", ""),
                ("Online A", "4", "3", "83.3", "55.0"),
                ("Blended B", "2", "1", "50.0", "72.5"),
                ("Old C", "2", "1", "100.0", ""),
            ],
        ),
    ],
)
def test_group_sessions_table_of_the_scenario(
    decimals: int, expected: list[tuple[str, ...]]
) -> None:
    board = group_dashboard("sales", dashboard_sessions(), directory(), NOW, "UTC")
    table = group_sessions_table(board, ExportOptions(decimals=decimals))
    assert table.header == HEADER_GROUP
    assert rows(table) == expected


# -------------------------------------------------------------------------------- template_results


def test_template_results_pairs_every_learner_of_every_matching_session() -> None:
    other = ProgramTemplate(id="other", name="Other")
    wanted = ProgramTemplate(id="wanted", name="Wanted")
    # Registration order differs from the learner order (last name, case-folded):
    #   alves (u1) < brown (u2) < garcia (u7)
    first = make_session(
        "later-id",
        utc(2026, 3, 1),
        utc(2026, 3, 30),
        template=wanted,
        registrations=(reg("u7"), reg("u2", gone=True), reg("u1")),
        attempts=(attempt("u1", "c1", utc(2026, 3, 2), completed=True),),
    )
    skipped = make_session(
        "b-other", utc(2026, 3, 1), utc(2026, 3, 30), template=other, registrations=(reg("u3"),)
    )
    second = make_session(
        "a-early",
        utc(2025, 1, 1),
        utc(2025, 1, 30),
        template=wanted,
        registrations=(reg("u3"),),
    )
    empty = make_session("c-empty", utc(2025, 1, 1), utc(2025, 1, 30), template=wanted)
    given_order = [first, skipped, second, empty]

    pairs = template_results("wanted", given_order, directory())
    assert isinstance(pairs, tuple)
    assert [(s.id, r.user_id) for s, r in pairs] == [
        ("later-id", "u1"),
        ("later-id", "u2"),  # unassigned since: still a learner
        ("later-id", "u7"),
        ("a-early", "u3"),
    ]
    assert pairs[0][0] is first
    assert pairs[3][0] is second
    by_user = {r.user_id: r for s, r in pairs if s.id == "later-id"}
    assert by_user["u1"].progress == 100.0  # 1 of 1 block
    assert by_user["u1"].registered is True
    assert by_user["u2"].registered is False
    assert by_user["u7"].progress == 0.0

    assert [(s.id, r.user_id) for s, r in template_results("other", given_order, directory())] == [
        ("b-other", "u3")
    ]
    assert template_results("tpl", given_order, directory()) == ()


# ----------------------------------------------------------------------------- collaboration_table


def collaboration_sessions() -> list[Session]:
    return [
        make_session(
            "k2",
            utc(2026, 3, 2, 9),
            utc(2026, 3, 31, 18),
            name="+SUM(A1)",
            template=ProgramTemplate(id="tpl-9", name="Nine"),
            collaboration=Collaboration(
                posts=4,
                comments=7,
                # 1 + 2 + 3 + 4 = 10
                reactions=Reactions(likes=1, learned_something=2, outdated=3, didnt_get_it=4),
            ),
        ),
        make_session("k1", utc(2026, 1, 5, 23, 30), utc(2026, 1, 6, 8)),  # all zero
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            None,
            [
                ("'+SUM(A1)", "2026/03/02 09:00", "2026/03/31 18:00", "4", "7", "10", "tpl-9"),
                ("Session k1", "2026/01/05 23:30", "2026/01/06 08:00", "0", "0", "0", "tpl"),
            ],
        ),
        (
            # Paris: 09:00Z (CET) -> 10:00; 18:00Z 31 Mar (CEST) -> 20:00;
            # 23:30Z 5 Jan -> 00:30 on 6 Jan; 08:00Z -> 09:00
            ExportOptions(timezone="Europe/Paris"),
            [
                ("'+SUM(A1)", "2026/03/02 10:00", "2026/03/31 20:00", "4", "7", "10", "tpl-9"),
                ("Session k1", "2026/01/06 00:30", "2026/01/06 09:00", "0", "0", "0", "tpl"),
            ],
        ),
    ],
)
def test_collaboration_table_rows(
    options: ExportOptions | None, expected: list[tuple[str, ...]]
) -> None:
    table = collaboration_table(collaboration_sessions(), options)
    assert table.header == HEADER_COLLAB
    assert rows(table) == expected


@pytest.mark.parametrize(
    ("reactions", "total"),
    [
        (Reactions(likes=5), 5),
        (Reactions(learned_something=6), 6),
        (Reactions(outdated=7), 7),
        (Reactions(didnt_get_it=8), 8),
        (Reactions(likes=1, didnt_get_it=20), 21),
    ],
)
def test_collaboration_reactions_add_every_kind(reactions: Reactions, total: int) -> None:
    session = make_session(
        "k", utc(2026, 3, 2), utc(2026, 3, 3), collaboration=Collaboration(reactions=reactions)
    )
    (row,) = rows(collaboration_table([session]))
    assert row[5] == str(total)


# -------------------------------------------------------------------------------------- invariants


# Sessions of worlds() start between Jan 2026 and Feb 2027 and last up to 120
# days; drawing now up to mid-2028 puts the window and the twelve months before,
# across and after them.
NOWS = aware_datetimes(utc(2026, 1, 1), utc(2028, 6, 1))


def brute_month_bounds(now: datetime, zone: tzinfo) -> list[datetime]:
    """Thirteen local midnights on the 1st: the twelve months ending with now's month."""
    local = now.astimezone(zone)
    this_month = datetime(local.year, local.month, 1, tzinfo=zone)
    return [this_month + relativedelta(months=k) for k in range(-11, 2)]


def considered_in(group_id: str, sessions: tuple[Session, ...]) -> list[Session]:
    return [s for s in sessions if group_id in s.group_ids or group_id in s.catalog_group_ids]


@given(worlds(), NOWS, time_zones(), st.data())
def test_each_session_counts_in_exactly_the_months_it_overlaps(
    world: Any, now: datetime, zone: tzinfo, data: st.DataObject
) -> None:
    directory_, sessions = world
    if not directory_.groups:
        with pytest.raises(InvalidInputError):
            group_dashboard("g0", sessions, directory_, now, zone)
        return
    group_id = data.draw(st.sampled_from(sorted(directory_.groups)), label="group")
    bounds = brute_month_bounds(now, zone)
    months = list(pairwise(bounds))
    expected_dates = [date(low.year, low.month, 1) for low, _ in months]

    total = [0] * 12
    for session in considered_in(group_id, sessions):
        flags = [int(session.start < high and session.end > low) for low, high in months]
        alone = group_dashboard(group_id, [session], directory_, now, zone)
        assert [day for day, _ in alone.ongoing_per_month] == expected_dates
        assert [count for _, count in alone.ongoing_per_month] == flags, session.id
        total = [a + b for a, b in zip(total, flags, strict=True)]

    board = group_dashboard(group_id, sessions, directory_, now, zone)
    assert [day for day, _ in board.ongoing_per_month] == expected_dates
    assert [count for _, count in board.ongoing_per_month] == total


@given(aware_datetimes(), time_zones(), st.data())
def test_month_edges_are_half_open(now: datetime, zone: tzinfo, data: st.DataObject) -> None:
    # Sessions whose start and end sit on (or one second around) local month
    # boundaries, where an off-by-one would show.
    bounds = brute_month_bounds(now, zone)
    months = list(pairwise(bounds))
    edges = [bounds[0] - relativedelta(months=1), *bounds, bounds[-1] + relativedelta(months=1)]
    nudge = st.sampled_from([timedelta(0), timedelta(seconds=1), -timedelta(seconds=1)])
    sessions = []
    for number in range(data.draw(st.integers(1, 4), label="count")):
        start = data.draw(st.sampled_from(edges), label="start") + data.draw(nudge)
        end = max(start, data.draw(st.sampled_from(edges), label="end") + data.draw(nudge))
        sessions.append(linked(f"e{number}", start, end))
    board = group_dashboard("sales", sessions, directory(), now, zone)
    expected = [sum(1 for s in sessions if s.start < high and s.end > low) for low, high in months]
    assert [count for _, count in board.ongoing_per_month] == expected


def brute_since(now: datetime, zone: tzinfo) -> datetime:
    """now - 12 months on the wall clock of ``zone``; a wall time that does not
    exist or exists twice there is left out (the rule says nothing of it)."""
    since = now.astimezone(zone) - relativedelta(months=12)
    assume(dateutil_tz.datetime_exists(since) and not dateutil_tz.datetime_ambiguous(since))
    return since


@given(NOWS, time_zones(), st.data())
def test_window_edges_are_half_open(now: datetime, zone: tzinfo, data: st.DataObject) -> None:
    # Sessions that start or end on (or one second around) now and now - 12
    # months: overlapping means start < now and end > now - 12 months.
    since = brute_since(now, zone)
    nudge = st.sampled_from([timedelta(0), timedelta(seconds=1), -timedelta(seconds=1)])
    starts = [since - timedelta(days=40), since, now - timedelta(days=1), now]
    ends = [since, now, now + timedelta(days=1)]
    sessions = []
    for number in range(data.draw(st.integers(1, 4), label="count")):
        start = data.draw(st.sampled_from(starts), label="start") + data.draw(nudge)
        end = max(start, data.draw(st.sampled_from(ends), label="end") + data.draw(nudge))
        blocks = data.draw(st.sampled_from([(course(),), (course(), classroom())]))
        sessions.append(linked(f"w{number}", start, end, blocks=blocks))
    board = group_dashboard("sales", sessions, directory(), now, zone)
    inside = [s for s in sessions if s.start < now and s.end > since]
    blended = sum(1 for s in inside if any(b.kind is BlockKind.CLASSROOM for b in s.blocks))
    assert (board.online_only, board.blended) == (len(inside) - blended, blended)


def is_member_pair(registration: Registration, group_id: str, directory_: Directory) -> bool:
    """A currently registered direct member of the group."""
    return (
        registration.unregistered_at is None
        and group_id in directory_.users[registration.user_id].group_ids
    )


@given(worlds(), NOWS, time_zones(), st.data())
def test_rates_are_percentages_and_none_only_without_pairs(
    world: Any, now: datetime, zone: tzinfo, data: st.DataObject
) -> None:
    directory_, sessions = world
    if not directory_.groups:
        return
    group_id = data.draw(st.sampled_from(sorted(directory_.groups)), label="group")
    board = group_dashboard(group_id, sessions, directory_, now, zone)

    since = brute_since(now, zone)
    overlapping = [s for s in considered_in(group_id, sessions) if s.start < now and s.end > since]
    pairs = sum(
        1 for s in overlapping for r in s.registrations if is_member_pair(r, group_id, directory_)
    )
    rates = (board.attendance_rate, board.completion_rate, board.success_rate)
    if pairs == 0:
        assert rates == (None, None, None)
    else:
        assert all(rate is not None and 0 <= rate <= 100 for rate in rates)
        attendance, completion, success = rates
        assert attendance is not None and completion is not None and success is not None
        # verified needs progress 100, which needs a completed block, which needs a start
        assert success <= completion <= attendance
    has_classroom = [any(b.kind is BlockKind.CLASSROOM for b in s.blocks) for s in overlapping]
    assert board.blended == sum(has_classroom)
    assert board.online_only == len(overlapping) - sum(has_classroom)

    considered = considered_in(group_id, sessions)
    newest_first = sorted(considered, key=lambda s: (-s.start.timestamp(), s.id))
    assert [row.session_id for row in board.sessions] == [s.id for s in newest_first]
    for row in board.sessions:
        assert row.attendance <= row.learners
        for value in (row.progress, row.score):
            assert value is None or 0 <= value <= 100


@given(worlds(max_sessions=4), NOWS, time_zones(), st.data())
def test_dashboard_does_not_depend_on_session_order(
    world: Any, now: datetime, zone: tzinfo, data: st.DataObject
) -> None:
    directory_, sessions = world
    if not directory_.groups:
        return
    group_id = data.draw(st.sampled_from(sorted(directory_.groups)), label="group")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    mixed = list(sessions)
    random.Random(seed).shuffle(mixed)
    assert group_dashboard(group_id, mixed, directory_, now, zone) == group_dashboard(
        group_id, sessions, directory_, now, zone
    )
