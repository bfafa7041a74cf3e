"""Hand-computed tests for the per-learner export (SPEC §5.1, §5.3).

Every expected cell below was worked out by hand from SPEC.md and the export
rules; the arithmetic is written next to the non-obvious ones. The library is
never called to produce an expected value.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from dateutil import tz as dateutil_tz
from hypothesis import given

from programstats import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Directory,
    ExportOptions,
    Group,
    InvalidInputError,
    ProgramTemplate,
    Registration,
    Session,
    SlotAttendance,
    Table,
    User,
    Viewer,
    learner_export,
    write_csv,
)
from programstats.strategies import worlds

# --------------------------------------------------------------------------- builders

UTC = timezone.utc
AUTHOR = "author"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def at(day: int, hour: int = 9, minute: int = 0, second: int = 0, *, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def mins(n: int, seconds: int = 0) -> timedelta:
    return timedelta(minutes=n, seconds=seconds)


def person(user_id: str, first: str, last: str, **fields: Any) -> User:
    return User(
        id=user_id, first_name=first, last_name=last, email=f"{user_id}@example.com", **fields
    )


def reg(user_id: str, **fields: Any) -> Registration:
    return Registration(user_id=user_id, registered_at=at(20, month=2), **fields)


def attempt(
    user_id: str,
    block_id: str,
    started: datetime,
    active_minutes: int = 0,
    *,
    spent: timedelta = timedelta(0),
    score: float | None = None,
    completed: bool = False,
) -> Attempt:
    """An attempt whose last activity is ``active_minutes`` after its start."""
    return Attempt(
        user_id=user_id,
        block_id=block_id,
        started_at=started,
        last_activity_at=started + mins(active_minutes),
        time_spent=spent,
        score=score,
        completed=completed,
    )


def attend(user_id: str, slot_id: str, percent: float) -> SlotAttendance:
    return SlotAttendance(user_id=user_id, slot_id=slot_id, percent=percent)


def course(block_id: str, title: str, **fields: Any) -> Block:
    return Block(id=block_id, title=title, kind=BlockKind.COURSE, **fields)


def assessment(block_id: str, title: str, **fields: Any) -> Block:
    return Block(id=block_id, title=title, kind=BlockKind.ASSESSMENT, **fields)


def classroom(block_id: str, title: str) -> Block:
    return Block(id=block_id, title=title, kind=BlockKind.CLASSROOM)


def slot(
    slot_id: str, block_id: str, title: str, start: datetime, end: datetime, hours: float
) -> ClassroomSlot:
    return ClassroomSlot(
        id=slot_id, block_id=block_id, title=title, start=start, end=end, duration_hours=hours
    )


def make_session(session_id: str = "s1", **overrides: Any) -> Session:
    """A plain session; without ``registrations`` every user of an attempt or an
    attendance gets an active registration."""
    fields: dict[str, Any] = {
        "id": session_id,
        "name": f"Session {session_id}",
        "template": ProgramTemplate(id="tpl", name="Template"),
        "author_id": AUTHOR,
        "start": at(1, 8),
        "end": at(31, 18),
        "blocks": (),
    }
    fields.update(overrides)
    if "registrations" not in fields:
        named = [a.user_id for a in fields.get("attempts", ())]
        named += [a.user_id for a in fields.get("attendances", ())]
        fields["registrations"] = tuple(reg(user_id) for user_id in dict.fromkeys(named))
    return Session(**fields)


def make_directory(*users: User, groups: Iterable[Group] = ()) -> Directory:
    """The given users plus a plain author (unless one is given)."""
    people = {user.id: user for user in users}
    people.setdefault(AUTHOR, person(AUTHOR, "Ada", "Author"))
    return Directory(users=people.values(), groups=groups)


def export(
    sessions: Sequence[Session], directory: Directory, **options: Any
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    table = learner_export(sessions, directory, ExportOptions(**options))
    return table.header, list(table.rows)


def column(header: Sequence[str], rows: Sequence[Sequence[str]], name: str) -> list[str]:
    index = header.index(name)
    return [row[index] for row in rows]


def cell(header: Sequence[str], row: Sequence[str], name: str) -> str:
    return row[header.index(name)]


def block_header(count: int) -> tuple[str, ...]:
    names: list[str] = []
    for n in range(1, count + 1):
        names += [f"Block title {n}", f"Block score {n}", f"Block time {n}"]
    return tuple(names)


def classroom_header(count: int) -> tuple[str, ...]:
    names: list[str] = []
    for n in range(1, count + 1):
        names += [
            f"Classroom Block Title {n}",
            f"Classroom Slot Title {n}",
            f"Classroom Slot Attendance {n}",
            f"Classroom Slot Duration {n}",
            f"Classroom Slot Start Date {n}",
            f"Classroom Slot End Date {n}",
        ]
    return tuple(names)


def groups_in_header(header: Sequence[str]) -> tuple[str, ...]:
    """The group columns: between the fixed columns and the block/classroom columns."""
    first = header.index("Additional session information") + 1
    last = first
    while last < len(header) and not header[last].startswith(("Block ", "Classroom ")):
        last += 1
    return tuple(header[first:last])


def customs_in_header(header: Sequence[str]) -> tuple[str, ...]:
    return tuple(header[header.index("Email") + 1 : header.index("Additional information")])


IDENTITY_HEADER = ("Last name", "First name", "Email")
FIXED_HEADER = (
    "Additional information",
    "Managers",
    "Deleted user",
    "Session",
    "Session ID",
    "Author",
    "Program template",
    "Program template ID",
    "Instructors",
    "Registered user",
    "Score",
    "Progress",
    "Start",
    "End",
    "Verified program",
    "Total time spent",
    "Expected duration",
    "Tags",
    "Additional program information",
    "Additional session information",
)

# --------------------------------------------------------------------------- main scenario
#
# Groups: Company (root) > Sales (child); HR is unrelated and only shares the
# session in its catalog. Group ids sort the other way round from names on
# purpose (g1-sales < g2-company, but "Company" < "Sales").
#
# Blocks: c1 course "Intro course" (scored, no passing score), c2 course
# "Exam course" (examination mode, passing 70), w1 classroom "Workshop"
# (two slots, given out of start order), a1 assessment "Final quiz"
# (passing 50). Progress counts 4 blocks; block columns cover c1, c2, a1.

COMPANY = "g2-company"
SALES = "g1-sales"
HR = "g0-hr"
GROUPS = (
    Group(id=COMPANY, name="Company"),
    Group(id=SALES, name="Sales", parent_id=COMPANY),
    Group(id=HR, name="HR"),
)

C1 = course("c1", "Intro course")
C2 = course("c2", "Exam course", examination_mode=True, passing_score=70)
W1 = classroom("w1", "Workshop")
A1 = assessment("a1", "Final quiz", passing_score=50)
DAY_ONE = slot("sl1", "w1", "Day one", at(10, 9), at(10, 12), 3)
DAY_TWO = slot("sl2", "w1", "Day two", at(12, 13), at(12, 14, 30), 1.5)

STAFF = (
    person(AUTHOR, "Ada", "Author"),
    person("olga", "Olga", "Instructor"),
    person("ivan", "Ivan", "Instructor"),
)
ANA = person(
    "ana",
    "Ana",
    "Alves",
    group_ids={SALES},
    custom_fields={"Team": "North", "Badge": "A1"},
    additional_information="Likes tea",
    manager_emails=("boss@example.com", "hr@example.com"),
)
BOB = person(
    "bob", "Bob", "Brown", group_ids={COMPANY}, custom_fields={"Team": "South", "department": "Ops"}
)
CLEO = person("cleo", "Cleo", "Chen", group_ids={SALES, COMPANY}, custom_fields={"Team": "North"})
DAN = person("dan", "Dan", "Diaz")
EVE = person("eve", "Eve", "Evans", group_ids={SALES}, custom_fields={"Team": "West"})
FAY = person("fay", "Fay", "Fischer", deleted_at=datetime(2026, 3, 20, 17, 45, 30, tzinfo=UTC))
LEARNERS = (ANA, BOB, CLEO, DAN, EVE, FAY)


def main_directory() -> Directory:
    return Directory(users=[*STAFF, *LEARNERS], groups=GROUPS)


def main_session() -> Session:
    return Session(
        id="s-onb",
        name="Onboarding March",
        template=ProgramTemplate(
            id="tpl-onb", name="Onboarding", description="Program description"
        ),
        author_id=AUTHOR,
        start=at(1, 8),
        end=at(31, 18),
        blocks=(C1, C2, W1, A1),
        slots=(DAY_TWO, DAY_ONE),
        instructor_ids=("olga", "ivan"),
        group_ids={COMPANY, SALES},
        catalog_group_ids={HR},
        registrations=(
            reg("fay"),
            reg("dan"),
            reg("bob"),
            reg("eve", unregistered_at=at(3, 12)),
            reg("ana"),
            reg("cleo"),
        ),
        attempts=(
            # ana: the later c1 attempt is listed first; only it counts.
            attempt("ana", "c1", at(4, 10), 60, spent=mins(50), score=80, completed=True),
            attempt("ana", "c1", at(3, 9), 10, spent=mins(10), score=40),
            attempt("ana", "c2", at(5, 10), 45, spent=mins(30), score=90, completed=True),
            attempt("ana", "a1", at(14, 10), 20, spent=mins(20), score=60, completed=True),
            # bob: everything completed, but the exam course is failed (60 < 70).
            attempt("bob", "c1", at(6, 14), 60, spent=mins(40), score=70, completed=True),
            attempt("bob", "c2", at(7, 9), 40, spent=mins(35), score=60, completed=True),
            attempt("bob", "a1", at(15, 11), 15, spent=mins(15), score=80, completed=True),
            # cleo: started only, no score.
            attempt("cleo", "c1", at(8, 8), 20, spent=mins(12, 30)),
            # eve: unassigned since 3 March, had started.
            attempt("eve", "c1", at(2, 9), 30, spent=mins(5), score=30),
            # fay: deleted user, completed one course; 1 h and half a second.
            attempt(
                "fay",
                "c1",
                at(9, 10),
                60,
                spent=timedelta(hours=1, microseconds=500_000),
                score=72.5,
                completed=True,
            ),
        ),
        attendances=(
            attend("ana", "sl1", 100),
            attend("ana", "sl2", 50),
            attend("bob", "sl1", 100),
            attend("cleo", "sl2", 0),
        ),
        expected_duration=timedelta(days=1, hours=2, minutes=5),
        tags=("onboarding", "2026"),
        description="Session description",
    )


MAIN_HEADER = (
    *IDENTITY_HEADER,
    "Badge",  # custom titles sorted case-folded: badge < department < team
    "department",
    "Team",
    *FIXED_HEADER,
    "Company",  # groups by name (ids sort the other way); HR is catalog only
    "Sales",
    *block_header(3),  # c1, c2, a1: the classroom block is skipped; ana reached a1
    *classroom_header(2),
)

SESSION_CELLS = (
    "Onboarding March",
    "s-onb",
    "author@example.com",
    "Onboarding",
    "tpl-onb",
    "olga@example.com,ivan@example.com",  # instructor_ids order, not alphabetical
)
TAIL_CELLS = (
    "26:05:00",  # expected duration 1 day 2 h 5 min: hours not wrapped at 24
    "onboarding,2026",
    "Program description",
    "Session description",
)


def day_one(attendance: str) -> tuple[str, ...]:
    return ("Workshop", "Day one", attendance, "3", "2026/03/10 09:00", "2026/03/10 12:00")


def day_two(attendance: str) -> tuple[str, ...]:
    return ("Workshop", "Day two", attendance, "1.5", "2026/03/12 13:00", "2026/03/12 14:30")


NO_BLOCKS = ("Intro course", "", "", "Exam course", "", "", "Final quiz", "", "")

ROW_ANA = (
    *("Alves", "Ana", "ana@example.com", "A1", "", "North"),
    *("Likes tea", "boss@example.com,hr@example.com", ""),
    *SESSION_CELLS,
    "x",
    "77",  # (80 + 90 + 60) / 3 = 76.67 -> 77 (latest c1 attempt: 80, not 40)
    "100",  # c1, c2, a1 completed + w1 attended: 4 / 4
    "2026/03/03 09:00",  # earliest attempt start (the superseded c1 attempt)
    "2026/03/05 10:45",  # latest course activity: c2 10:00 + 45 min (a1 is an assessment)
    "x",  # 100 %, exam 90 >= 70, quiz 60 >= 50
    "1:20:00",  # courses only, latest attempts: 50 + 30 min
    *TAIL_CELLS,
    *("", "x"),  # direct member of Sales only
    *("Intro course", "80", "0:50:00", "Exam course", "90", "0:30:00"),
    *("Final quiz", "60", "0:20:00"),
    *day_one("100"),
    *day_two("50"),
)
ROW_BOB = (
    *("Brown", "Bob", "bob@example.com", "", "Ops", "South"),
    *("", "", ""),
    *SESSION_CELLS,
    "x",
    "70",  # (70 + 60 + 80) / 3
    "100",  # c1, c2, a1 completed + w1 (Day one 100 %)
    "2026/03/06 14:00",
    "2026/03/07 09:40",  # c2 09:00 + 40 min
    "",  # exam course 60 < 70
    "1:15:00",  # 40 + 35 min
    *TAIL_CELLS,
    *("x", ""),  # direct member of Company only
    *("Intro course", "70", "0:40:00", "Exam course", "60", "0:35:00"),
    *("Final quiz", "80", "0:15:00"),
    *day_one("100"),
    *day_two(""),  # no record on Day two
)
ROW_CLEO = (
    *("Chen", "Cleo", "cleo@example.com", "", "", "North"),
    *("", "", ""),
    *SESSION_CELLS,
    "x",
    "",  # her only attempt has no score
    "0",  # nothing completed; the 0 % record does not complete w1
    "2026/03/08 08:00",
    "2026/03/08 08:20",
    "",
    "0:12:30",
    *TAIL_CELLS,
    *("x", "x"),
    *("Intro course", "", "0:12:30", "Exam course", "", "", "Final quiz", "", ""),
    *day_one(""),
    *day_two("0"),  # a 0 % record is written as 0, not left empty
)
ROW_DAN = (
    *("Diaz", "Dan", "dan@example.com", "", "", ""),
    *("", "", ""),
    *SESSION_CELLS,
    *("x", "", "0", "", "", "", "0:00:00"),
    *TAIL_CELLS,
    *("", ""),
    *NO_BLOCKS,
    *day_one(""),
    *day_two(""),
)
ROW_EVE = (
    *("Evans", "Eve", "eve@example.com", "", "", "West"),
    *("", "", ""),
    *SESSION_CELLS,
    "",  # unassigned since 3 March
    "30",
    "0",
    "2026/03/02 09:00",
    "2026/03/02 09:30",
    "",
    "0:05:00",
    *TAIL_CELLS,
    *("", "x"),
    *("Intro course", "30", "0:05:00", "Exam course", "", "", "Final quiz", "", ""),
    *day_one(""),
    *day_two(""),
)
ROW_FAY = (
    *("Fischer", "Fay", "fay@example.com", "", "", ""),
    "",
    "",
    "2026/03/20 17:45",  # deleted at 17:45:30: seconds dropped
    *SESSION_CELLS,
    "x",
    "73",  # 72.5 half-up
    "25",  # 1 of 4 blocks
    "2026/03/09 10:00",
    "2026/03/09 11:00",
    "",
    "1:00:01",  # 1 h + 0.5 s rounds half-up to the next second
    *TAIL_CELLS,
    *("", ""),
    *("Intro course", "73", "1:00:01", "Exam course", "", "", "Final quiz", "", ""),
    *day_one(""),
    *day_two(""),
)
MAIN_ROWS = [ROW_ANA, ROW_BOB, ROW_CLEO, ROW_DAN, ROW_EVE, ROW_FAY]


# --------------------------------------------------------------------------- 1. header


def test_full_header_of_the_main_scenario() -> None:
    header, _ = export([main_session()], main_directory())
    assert header == MAIN_HEADER


def test_header_of_the_main_scenario_has_no_duplicate_names() -> None:
    header, _ = export([main_session()], main_directory())
    assert len(header) == 3 + 3 + 20 + 2 + 9 + 12  # identity, customs, fixed, groups, blocks, slots
    assert len(set(header)) == len(header)


# --------------------------------------------------------------------------- 2. full rows


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("completed and verified", ROW_ANA),
        ("completed, failed the exam course", ROW_BOB),
        ("started only", ROW_CLEO),
        ("never started", ROW_DAN),
        ("unassigned since", ROW_EVE),
        ("deleted user", ROW_FAY),
    ],
)
def test_full_row_per_kind_of_learner(kind: str, expected: tuple[str, ...]) -> None:
    header, rows = export([main_session()], main_directory())
    by_email = {row[2]: row for row in rows}
    assert by_email[expected[2]] == expected, kind
    assert len(expected) == len(header)


def test_rows_are_sorted_by_last_name_and_include_unassigned_learners() -> None:
    _, rows = export([main_session()], main_directory())
    assert rows == MAIN_ROWS  # registrations were given as fay, dan, bob, eve, ana, cleo


def test_sort_is_case_folded_last_then_first_name_then_user_id() -> None:
    users = (
        User(id="u3", first_name="Zoe", last_name="de Vries", email="u3@x.org"),
        User(id="u2", first_name="anna", last_name="De Vries", email="u2@x.org"),
        User(id="u1", first_name="Anna", last_name="de vries", email="u1@x.org"),
        User(id="u4", first_name="Bob", last_name="adams", email="u4@x.org"),
        User(id="u5", first_name="Al", last_name="Zed", email="u5@x.org"),
    )
    session = make_session(registrations=[reg(u) for u in ("u5", "u3", "u2", "u4", "u1")])
    header, rows = export([session], make_directory(*users))
    # adams < de vries (anna = Anna -> by id u1 < u2, then zoe) < zed
    assert column(header, rows, "Email") == [
        "u4@x.org",
        "u1@x.org",
        "u2@x.org",
        "u3@x.org",
        "u5@x.org",
    ]


def test_write_csv_of_the_main_scenario_counts_rows_and_uses_crlf() -> None:
    table = learner_export([main_session()], main_directory())
    out = io.StringIO()
    assert write_csv(table, out) == 6
    lines = out.getvalue().split("\r\n")
    assert lines[-1] == ""  # every line ends with \r\n
    assert len(lines) == 1 + 6 + 1
    # Managers and Instructors contain commas, so they are quoted.
    assert lines[1].startswith(
        'Alves,Ana,ana@example.com,A1,,North,Likes tea,"boss@example.com,hr@example.com",,'
    )


# --------------------------------------------------------------------------- 3. furthest block
#
# Session A: b1 course, w classroom (no slot), b2 course NOT scored, b3
# assessment, b4 course. u1 has two attempts on b1 (the latest has no score
# and no time) and one on b2 (score given but the block is not scored); u2
# started b3 only; u3 never started. The furthest started block is b3, the
# 3rd learnable block: K = 3.


def block_session_a() -> Session:
    return make_session(
        "sa",
        blocks=(
            course("b1", "A one"),
            classroom("w", "A room"),
            course("b2", "A two", scored=False),
            assessment("b3", "A three"),
            course("b4", "A four"),
        ),
        registrations=[reg("u1"), reg("u2"), reg("u3")],
        attempts=(
            attempt("u1", "b1", at(2, 9), 30, spent=mins(20), score=90, completed=True),
            attempt("u1", "b1", at(3, 9), 0, spent=timedelta(0), score=None),
            attempt("u1", "b2", at(3, 10), 15, spent=mins(10), score=55),
            attempt("u2", "b3", at(4, 9), 5, spent=mins(5), score=40),
        ),
    )


def block_session_b() -> Session:
    return make_session(
        "sb",
        blocks=tuple(course(f"c{n}", f"B{n}") for n in range(1, 6)),
        registrations=[reg("u1"), reg("u4")],
        attempts=(attempt("u4", "c5", at(5, 9), 60, spent=mins(60), score=100, completed=True),),
    )


def block_directory() -> Directory:
    return make_directory(
        person("u1", "Una", "Lee"),
        person("u2", "Uli", "Moss"),
        person("u3", "Uma", "Nash"),
        person("u4", "Ugo", "Oak"),
    )


def block_cells(header: Sequence[str], row: Sequence[str]) -> tuple[str, ...]:
    return tuple(row[header.index("Block title 1") :])


def test_k_stops_at_the_furthest_started_block() -> None:
    header, rows = export([block_session_a()], block_directory())
    assert header[header.index("Additional session information") + 1 :] == block_header(3)
    assert [block_cells(header, row) for row in rows] == [
        # u1 (Lee): latest b1 attempt has no score and zero time; b2 is not scored
        ("A one", "", "0:00:00", "A two", "", "0:10:00", "A three", "", ""),
        # u2 (Moss): only b3
        ("A one", "", "", "A two", "", "", "A three", "40", "0:05:00"),
        # u3 (Nash): never started, titles still written
        ("A one", "", "", "A two", "", "", "A three", "", ""),
    ]


def test_unscored_block_and_unscored_latest_attempt_leave_the_score_empty() -> None:
    header, rows = export([block_session_a()], block_directory())
    # u1: b1 latest score None, b2 not scored -> no block score at all
    assert cell(header, rows[0], "Score") == ""
    assert cell(header, rows[0], "Total time spent") == "0:10:00"  # b1 0 + b2 10 min
    assert cell(header, rows[1], "Score") == "40"


def test_k_is_computed_over_exported_learners_only() -> None:
    # until = u2's b3 start (excluded: started_at < until is false) -> only u1 left
    header, rows = export(
        [block_session_a()], block_directory(), activity_between=(at(1, 0), at(4, 9))
    )
    assert header[header.index("Additional session information") + 1 :] == block_header(2)
    assert column(header, rows, "Email") == ["u1@example.com"]


A_FOUR = ("A four", "", "", "", "", "")  # block 4 title only, block 5 all empty


def test_a_second_session_with_more_blocks_extends_k() -> None:
    header, rows = export([block_session_a(), block_session_b()], block_directory())
    assert header[header.index("Additional session information") + 1 :] == block_header(5)
    assert [block_cells(header, row) for row in rows] == [
        # session A has 4 learnable blocks: block 4 has a title, block 5 is empty
        (*("A one", "", "0:00:00", "A two", "", "0:10:00", "A three", "", ""), *A_FOUR),
        (*("A one", "", "", "A two", "", "", "A three", "40", "0:05:00"), *A_FOUR),
        (*("A one", "", "", "A two", "", "", "A three", "", ""), *A_FOUR),
        # session B: u1 (Lee) never started, u4 (Oak) did block 5 only
        ("B1", "", "", "B2", "", "", "B3", "", "", "B4", "", "", "B5", "", ""),
        ("B1", "", "", "B2", "", "", "B3", "", "", "B4", "", "", "B5", "100", "1:00:00"),
    ]
    assert column(header, rows, "Session ID") == ["sa", "sa", "sa", "sb", "sb"]


def test_no_block_column_when_nobody_started() -> None:
    session = make_session(
        blocks=(course("b1", "One"), assessment("b2", "Two")),
        registrations=[reg("u1")],
    )
    header, rows = export([session], block_directory())
    assert not any(name.startswith("Block ") for name in header)
    assert header[-1] == "Additional session information"
    assert len(rows) == 1


# --------------------------------------------------------------------------- 4. classroom
#
# Two classroom blocks: "Room one" (w1) then "Room two" (w2). w2's slot
# starts before w1's, but slots come in block order, then by start.


def classroom_session(**overrides: Any) -> Session:
    fields: dict[str, Any] = {
        "blocks": (classroom("w1", "Room one"), classroom("w2", "Room two")),
        "slots": (
            slot("s2a", "w2", "Early", at(5, 9), at(5, 11), 2.333),
            slot("s1b", "w1", "Late", at(12, 14), at(12, 15, 15), 1.25),
            slot("s1a", "w1", "Morning", at(11, 9), at(11, 11), 2.0),
        ),
        "registrations": [reg("p1"), reg("p2")],
        "attendances": (attend("p1", "s1a", 66.666), attend("p1", "s1b", 0)),
    }
    fields.update(overrides)
    return make_session("sc", **fields)


def classroom_directory() -> Directory:
    return make_directory(person("p1", "Pia", "Alpha"), person("p2", "Per", "Beta"))


def test_classroom_slots_in_block_order_then_start_with_and_without_records() -> None:
    header, rows = export([classroom_session()], classroom_directory())
    assert header[header.index("Additional session information") + 1 :] == classroom_header(3)
    first = header.index("Classroom Block Title 1")
    assert rows[0][first:] == (
        *("Room one", "Morning", "67", "2", "2026/03/11 09:00", "2026/03/11 11:00"),  # 66.666
        *("Room one", "Late", "0", "1.25", "2026/03/12 14:00", "2026/03/12 15:15"),  # 0 % -> 0
        *("Room two", "Early", "", "2.33", "2026/03/05 09:00", "2026/03/05 11:00"),  # no record
    )
    assert rows[1][first:] == (
        *("Room one", "Morning", "", "2", "2026/03/11 09:00", "2026/03/11 11:00"),
        *("Room one", "Late", "", "1.25", "2026/03/12 14:00", "2026/03/12 15:15"),
        *("Room two", "Early", "", "2.33", "2026/03/05 09:00", "2026/03/05 11:00"),
    )


def test_classroom_attendance_uses_decimals_but_hours_do_not() -> None:
    header, rows = export([classroom_session()], classroom_directory(), decimals=1)
    assert column(header, rows, "Classroom Slot Attendance 1") == ["66.7", ""]
    assert column(header, rows, "Classroom Slot Attendance 2") == ["0.0", ""]
    assert column(header, rows, "Classroom Slot Duration 1") == ["2", "2"]
    assert column(header, rows, "Classroom Slot Duration 2") == ["1.25", "1.25"]


def test_shorter_session_gets_six_empty_cells_per_missing_slot() -> None:
    other = make_session(
        "sd",
        blocks=(classroom("wx", "Solo room"),),
        slots=(slot("sx", "wx", "Only", at(20, 9), at(20, 10), 1),),
        registrations=[reg("p2")],
        attendances=(attend("p2", "sx", 100),),
    )
    header, rows = export([other, classroom_session()], classroom_directory())
    assert header[header.index("Additional session information") + 1 :] == classroom_header(3)
    first = header.index("Classroom Block Title 1")
    assert rows[0][first:] == (
        *("Solo room", "Only", "100", "1", "2026/03/20 09:00", "2026/03/20 10:00"),
        *([""] * 12),
    )
    assert column(header, rows, "Session ID") == ["sd", "sc", "sc"]


# --------------------------------------------------------------------------- 5. time zones


def tz_session(moment: datetime) -> tuple[Session, Directory]:
    session = make_session(
        blocks=(course("b1", "Course"), classroom("w", "Room")),
        slots=(slot("sl", "w", "Slot", moment, moment, 1),),
        attempts=(attempt("t1", "b1", moment, 0),),
    )
    return session, make_directory(person("t1", "Tim", "Zone", deleted_at=moment))


DATE_COLUMNS = (
    "Deleted user",
    "Start",
    "End",
    "Classroom Slot Start Date 1",
    "Classroom Slot End Date 1",
)


@pytest.mark.parametrize("as_object", [False, True], ids=["name", "gettz"])
@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        # Paris: CET = UTC+1 in winter, CEST = UTC+2 in summer
        ("Europe/Paris", datetime(2026, 1, 15, 12, 30, 59, tzinfo=UTC), "2026/01/15 13:30"),
        ("Europe/Paris", datetime(2026, 7, 15, 12, 30, tzinfo=UTC), "2026/07/15 14:30"),
        ("Europe/Paris", datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "2027/01/01 00:30"),
        # a fixed +02:00 input: 14:30+02 = 12:30Z = 13:30 CET
        (
            "Europe/Paris",
            datetime(2026, 1, 15, 14, 30, tzinfo=timezone(timedelta(hours=2))),
            "2026/01/15 13:30",
        ),
        # spring forward on 2026-03-29 at 01:00Z: 02:00 CET becomes 03:00 CEST
        ("Europe/Paris", datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC), "2026/03/29 01:59"),
        ("Europe/Paris", datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC), "2026/03/29 03:00"),
        # fall back on 2026-10-25 at 01:00Z: 03:00 CEST becomes 02:00 CET
        ("Europe/Paris", datetime(2026, 10, 25, 0, 59, tzinfo=UTC), "2026/10/25 02:59"),
        ("Europe/Paris", datetime(2026, 10, 25, 1, 0, tzinfo=UTC), "2026/10/25 02:00"),
        # New York: EST = UTC-5, EDT = UTC-4
        ("America/New_York", datetime(2026, 1, 15, 12, 30, tzinfo=UTC), "2026/01/15 07:30"),
        ("America/New_York", datetime(2026, 7, 15, 12, 30, tzinfo=UTC), "2026/07/15 08:30"),
        ("America/New_York", datetime(2026, 1, 15, 3, 0, tzinfo=UTC), "2026/01/14 22:00"),
        # spring forward on 2026-03-08 at 07:00Z: 02:00 EST becomes 03:00 EDT
        ("America/New_York", datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC), "2026/03/08 01:59"),
        ("America/New_York", datetime(2026, 3, 8, 7, 0, 0, tzinfo=UTC), "2026/03/08 03:00"),
    ],
)
def test_datetimes_in_the_export_time_zone(
    zone: str, moment: datetime, expected: str, as_object: bool
) -> None:
    session, directory = tz_session(moment)
    timezone_option: Any = dateutil_tz.gettz(zone) if as_object else zone
    header, rows = export([session], directory, timezone=timezone_option)
    assert [cell(header, rows[0], name) for name in DATE_COLUMNS] == [expected] * 5


def test_datetimes_default_to_utc() -> None:
    session, directory = tz_session(datetime(2026, 3, 29, 1, 0, 59, tzinfo=UTC))
    header, rows = export([session], directory)
    assert [cell(header, rows[0], name) for name in DATE_COLUMNS] == ["2026/03/29 01:00"] * 5


# --------------------------------------------------------------------------- 6. anonymized author


def token(key: bytes, user_id: str) -> str:
    """First 12 characters of the lower-case base32 of HMAC-SHA256(key, user id)."""
    digest = hmac.new(key, user_id.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:12]


def author_export(anonymized: bool, **options: Any) -> str:
    author = User(
        id=AUTHOR,
        first_name="Ada",
        last_name="Author",
        email="ada.author@example.com",
        anonymized=anonymized,
    )
    session = make_session(registrations=[reg("u1")])
    header, rows = export([session], make_directory(author, person("u1", "Una", "Lee")), **options)
    if anonymized:  # the real e-mail must not leak into any cell
        assert "ada.author@example.com" not in rows[0]
    return cell(header, rows[0], "Author")


def test_anonymized_author_token_is_the_hmac_of_the_author_id() -> None:
    assert token(b"k1", AUTHOR) == "hvqn443olrjv"  # checked once with the standard library
    assert author_export(True, anonymization_key=b"k1") == "hvqn443olrjv@360learning.eu"


def test_anonymized_author_token_is_stable_across_exports() -> None:
    first = author_export(True, anonymization_key=b"k1")
    second = author_export(True, anonymization_key=b"k1")
    assert first == second == f"{token(b'k1', AUTHOR)}@360learning.eu"


def test_anonymized_author_token_changes_with_the_key() -> None:
    with_k1 = author_export(True, anonymization_key=b"k1")
    with_k2 = author_export(True, anonymization_key=b"k2")
    assert with_k2 == f"{token(b'k2', AUTHOR)}@360learning.eu" == "y6qj2lvpilyr@360learning.eu"
    assert with_k1 != with_k2


def test_anonymized_author_uses_the_anonymized_domain() -> None:
    assert (
        author_export(True, anonymization_key=b"k1", anonymized_domain="example.org")
        == "hvqn443olrjv@example.org"
    )


def test_anonymized_author_with_the_default_empty_key() -> None:
    assert author_export(True) == f"{token(b'', AUTHOR)}@360learning.eu"


def test_non_anonymized_author_shows_the_email() -> None:
    assert author_export(False, anonymization_key=b"k1") == "ada.author@example.com"


# --------------------------------------------------------------------------- 7. options


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        # eve's last activity (2 March 09:30) == since: kept; fay's start (9 March
        # 10:00) == until: dropped; dan never started
        (at(2, 9, 30), at(9, 10), ["Alves", "Brown", "Chen", "Evans"]),
        # no attempt on 10 March; Day one (09:00-12:00) attended by ana and bob
        (at(10, 0), at(11, 0), ["Alves", "Brown"]),
        # Day one ends exactly at since (end >= since)
        (at(10, 12), at(10, 13), ["Alves", "Brown"]),
        # Day one starts exactly at until (start < until is false)
        (at(10, 8), at(10, 9), []),
        # Day two (12 March): ana attended 50 %, cleo's 0 % record is not attendance
        (at(12, 0), at(13, 0), ["Alves"]),
    ],
)
def test_activity_between_keeps_only_active_learners(
    since: datetime, until: datetime, expected: list[str]
) -> None:
    _, rows = export([main_session()], main_directory(), activity_between=(since, until))
    assert [row[0] for row in rows] == expected


def test_activity_between_recomputes_custom_fields_and_k_over_exported_learners() -> None:
    # only eve (c1 on 2 March) is active: Team is her only field, c1 her only block
    header, rows = export([main_session()], main_directory(), activity_between=(at(2, 0), at(3, 0)))
    assert header == (
        *IDENTITY_HEADER,
        "Team",
        *FIXED_HEADER,
        "Company",
        "Sales",
        *block_header(1),
        *classroom_header(2),
    )
    # ROW_EVE: 3 identity, 3 customs (Team at 5), 20 fixed + 2 groups (6-27), blocks 28-36,
    # slots 37-48; here only Team among the customs and only block 1 (28-30) remain
    assert rows == [(*ROW_EVE[:3], *ROW_EVE[5:31], *ROW_EVE[37:])]


def test_activity_between_with_nobody_active_has_no_custom_or_block_column() -> None:
    header, rows = export(
        [main_session()], main_directory(), activity_between=(at(10, 8), at(10, 9))
    )
    assert rows == []
    assert header == (*IDENTITY_HEADER, *FIXED_HEADER, "Company", "Sales", *classroom_header(2))


def test_custom_fields_option_gives_exactly_those_columns_sorted() -> None:
    header, rows = export(
        [main_session()], main_directory(), custom_fields=("Team", "Missing", "Badge")
    )
    assert customs_in_header(header) == ("Badge", "Missing", "Team")  # department left out
    start = header.index("Badge")
    assert [row[start : start + 3] for row in rows] == [
        ("A1", "", "North"),
        ("", "", "South"),
        ("", "", "North"),
        ("", "", ""),
        ("", "", "West"),
        ("", "", ""),
    ]


def test_custom_field_titles_equal_when_case_folded_sort_by_title() -> None:
    users = (
        person("u1", "A", "One", custom_fields={"team": "lower", "Zone": "z"}),
        person("u2", "B", "Two", custom_fields={"Team": "upper", "area": "a"}),
        person("u3", "C", "Three"),
    )
    session = make_session(registrations=[reg("u1"), reg("u2"), reg("u3")])
    header, rows = export([session], make_directory(*users))
    # (area) < (team, "Team") < (team, "team") < (zone): "T" < "t"
    assert customs_in_header(header) == ("area", "Team", "team", "Zone")
    assert [row[3:7] for row in rows] == [
        ("", "", "lower", "z"),
        ("", "", "", ""),
        ("a", "upper", "", ""),
    ]  # One, Three, Two


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (None, ("Company", "Sales")),
        (Viewer(user_id="v", platform_admin=True), ("Company", "Sales")),
        # rights flow down: a coach of the parent group sees the child group
        (Viewer(user_id="v", coached_group_ids={COMPANY}), ("Company", "Sales")),
        # ... but not up
        (Viewer(user_id="v", coached_group_ids={SALES}), ("Sales",)),
        (Viewer(user_id="v", administered_group_ids={SALES}), ("Sales",)),
        # HR only shares the session in its catalog: no column
        (Viewer(user_id="v", coached_group_ids={HR}), ()),
        (Viewer(user_id="v"), ()),
    ],
)
def test_group_columns_follow_the_viewer(viewer: Viewer | None, expected: tuple[str, ...]) -> None:
    header, rows = export([main_session()], main_directory(), viewer=viewer)
    assert groups_in_header(header) == expected
    if "Sales" in expected:
        # ana, cleo and eve are direct members of Sales
        assert column(header, rows, "Sales") == ["x", "", "x", "", "x", ""]
    if "Company" in expected:
        # bob and cleo are direct members of Company (ana is only in the child group)
        assert column(header, rows, "Company") == ["", "x", "x", "", "", ""]


def follow_up_session() -> Session:
    return Session(
        id="s-fu",
        name="Follow-up",
        template=ProgramTemplate(id="tpl-fu", name="Follow-up template"),
        author_id=AUTHOR,
        start=at(15, 8),
        end=at(30, 18),
        blocks=(course("r1", "Recap"),),
        group_ids={SALES},
        registrations=(reg("dan"), reg("cleo"), reg("ana")),
        attempts=(attempt("ana", "r1", at(16, 9), 10, spent=mins(10), score=50),),
    )


def test_only_groups_assigned_to_an_exported_session_get_a_column() -> None:
    header, rows = export([follow_up_session()], main_directory())
    assert groups_in_header(header) == ("Sales",)
    assert column(header, rows, "Sales") == ["x", "x", ""]  # ana, cleo, dan


@pytest.mark.parametrize("main_first", [True, False])
def test_several_sessions_one_row_per_learner_per_session_in_order(main_first: bool) -> None:
    sessions = [main_session(), follow_up_session()]
    if not main_first:
        sessions.reverse()
    header, rows = export(sessions, main_directory())
    assert len(rows) == 6 + 3
    main_ids = ["s-onb"] * 6
    follow_ids = ["s-fu"] * 3
    expected_ids = main_ids + follow_ids if main_first else follow_ids + main_ids
    assert column(header, rows, "Session ID") == expected_ids
    follow = [row for row in rows if row[header.index("Session ID")] == "s-fu"]
    assert [row[0] for row in follow] == ["Alves", "Chen", "Diaz"]
    # Company is not assigned to s-fu: empty even for cleo, a direct member
    assert [cell(header, row, "Company") for row in follow] == ["", "", ""]
    assert [cell(header, row, "Sales") for row in follow] == ["x", "x", ""]
    # one learnable block in s-fu: blocks 2 and 3 empty; no slot: 12 empty cells
    ana = follow[0]
    assert block_cells(header, ana)[:9] == ("Recap", "50", "0:10:00", *[""] * 6)
    assert ana[header.index("Classroom Block Title 1") :] == ("",) * 12
    assert (cell(header, ana, "Progress"), cell(header, ana, "Score")) == ("0", "50")
    main_rows = [row for row in rows if row[header.index("Session ID")] == "s-onb"]
    assert main_rows == MAIN_ROWS


@pytest.mark.parametrize(
    ("decimals", "ana_score", "fay_score", "fay_progress", "ana_day_two"),
    [
        (0, "77", "73", "25", "50"),
        (1, "76.7", "72.5", "25.0", "50.0"),  # 76.666... -> 76.7
        (2, "76.67", "72.50", "25.00", "50.00"),
    ],
)
def test_decimals_apply_to_scores_progress_and_attendance(
    decimals: int, ana_score: str, fay_score: str, fay_progress: str, ana_day_two: str
) -> None:
    header, rows = export([main_session()], main_directory(), decimals=decimals)
    ana, fay = rows[0], rows[5]
    assert cell(header, ana, "Score") == ana_score
    assert cell(header, fay, "Score") == fay_score
    assert cell(header, fay, "Block score 1") == fay_score
    assert cell(header, fay, "Progress") == fay_progress
    assert cell(header, ana, "Classroom Slot Attendance 2") == ana_day_two
    # durations and hours never depend on decimals
    assert cell(header, fay, "Total time spent") == "1:00:01"
    assert cell(header, ana, "Classroom Slot Duration 2") == "1.5"


@pytest.mark.parametrize(
    ("decimals", "expected"),
    [
        (0, ["3", "0", "100"]),  # 2.675 -> 3; 0.125 -> 0; 99.995 -> 100
        (1, ["2.7", "0.1", "100.0"]),
        (2, ["2.68", "0.13", "100.00"]),  # half-up from the shortest repr, never banker's
    ],
)
def test_scores_round_half_up_from_the_shortest_decimal(decimals: int, expected: list[str]) -> None:
    session = make_session(
        blocks=(course("b1", "Course"),),
        attempts=(
            attempt("u1", "b1", at(2), score=2.675),
            attempt("u2", "b1", at(2), score=0.125),
            attempt("u3", "b1", at(2), score=99.995),
        ),
    )
    directory = make_directory(
        person("u1", "A", "One"), person("u2", "B", "Two"), person("u3", "C", "Zed")
    )
    header, rows = export([session], directory, decimals=decimals)
    assert column(header, rows, "Score") == expected
    assert column(header, rows, "Block score 1") == expected


# --------------------------------------------------------------------------- protect formulas

RAW_CELLS = {
    "Last name": "-Doe",
    "First name": "=cmd",
    "Email": "+x1@example.com",
    "Additional information": "\tnote",
    "Managers": "@boss@example.com",
    "Session": "+Session",
    "Session ID": "=sid",
    "Author": "-author@example.com",
    "Program template": "=Template",
    "Program template ID": "@tpl",
    "Instructors": "\nteach@example.com",
    "Tags": "-tag,b",
    "Additional program information": "-program",
    "Additional session information": "+session",
    "Block title 1": "=Course",
    "Classroom Block Title 1": "@Room",
    "Classroom Slot Title 1": "\rSlot",
}
UNTOUCHED_CELLS = {
    "Registered user": "x",
    "Score": "50",
    "Progress": "100",
    "Start": "2026/03/02 09:00",
    "Total time spent": "0:10:00",
    "Block score 1": "50",
    "Classroom Slot Attendance 1": "100",
    "Classroom Slot Duration 1": "1",
}


def formula_world() -> tuple[Session, Directory]:
    learner = User(
        id="x1",
        first_name="=cmd",
        last_name="-Doe",
        email="+x1@example.com",
        group_ids={"g-at"},
        custom_fields={"+x": "=1+1", "Plain": "a=b"},
        additional_information="\tnote",
        manager_emails=("@boss@example.com",),
    )
    author = User(id="au", first_name="A", last_name="U", email="-author@example.com")
    teacher = User(id="te", first_name="T", last_name="E", email="\nteach@example.com")
    session = Session(
        id="=sid",
        name="+Session",
        template=ProgramTemplate(id="@tpl", name="=Template", description="-program"),
        author_id="au",
        start=at(1),
        end=at(31),
        blocks=(course("b1", "=Course", passing_score=10), classroom("w", "@Room")),
        slots=(slot("sl", "w", "\rSlot", at(5, 9), at(5, 10), 1),),
        instructor_ids=("te",),
        group_ids={"g-at"},
        registrations=(reg("x1"),),
        attempts=(attempt("x1", "b1", at(2), 10, spent=mins(10), score=50, completed=True),),
        attendances=(attend("x1", "sl", 100),),
        tags=("-tag", "b"),
        description="+session",
    )
    directory = Directory(users=[learner, author, teacher], groups=[Group(id="g-at", name="@team")])
    return session, directory


def test_protect_formulas_prefixes_every_user_text_cell_and_header() -> None:
    session, directory = formula_world()
    header, rows = export([session], directory)
    assert customs_in_header(header) == ("'+x", "Plain")  # "+x" < "plain" case-folded
    assert groups_in_header(header) == ("'@team",)
    (row,) = rows
    for name, raw in RAW_CELLS.items():
        assert cell(header, row, name) == "'" + raw, name
    assert cell(header, row, "'+x") == "'=1+1"
    assert cell(header, row, "Plain") == "a=b"  # '=' not first: untouched
    assert cell(header, row, "'@team") == "x"
    for name, value in UNTOUCHED_CELLS.items():
        assert cell(header, row, name) == value, name


def test_protect_formulas_off_leaves_text_as_is() -> None:
    session, directory = formula_world()
    header, rows = export([session], directory, protect_formulas=False)
    assert customs_in_header(header) == ("+x", "Plain")
    assert groups_in_header(header) == ("@team",)
    (row,) = rows
    for name, raw in RAW_CELLS.items():
        assert cell(header, row, name) == raw, name
    assert cell(header, row, "+x") == "=1+1"
    assert cell(header, row, "@team") == "x"
    for name, value in UNTOUCHED_CELLS.items():
        assert cell(header, row, name) == value, name


def test_protected_text_survives_a_csv_round_trip() -> None:
    session, directory = formula_world()
    table = learner_export([session], directory)
    out = io.StringIO()
    write_csv(table, out)
    read = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(read[0]) == table.header
    assert [tuple(r) for r in read[1:]] == list(table.rows)


# --------------------------------------------------------------------------- errors


def test_a_session_given_twice_is_rejected() -> None:
    session = main_session()
    with pytest.raises(InvalidInputError):
        learner_export([session, session], main_directory())


def test_two_sessions_with_the_same_id_are_rejected() -> None:
    with pytest.raises(InvalidInputError):
        learner_export([main_session(), main_session()], main_directory())


@pytest.mark.parametrize(
    "session",
    [
        make_session(registrations=[reg("ghost")]),
        make_session(author_id="nobody"),
        make_session(group_ids={"no-such-group"}),
        make_session(instructor_ids=("ghost",)),
    ],
    ids=["learner", "author", "group", "instructor"],
)
def test_a_session_naming_an_unknown_user_or_group_is_rejected(session: Session) -> None:
    with pytest.raises(InvalidInputError):
        learner_export([session], main_directory())


def test_select_with_an_unknown_column_is_rejected() -> None:
    table = learner_export([main_session()], main_directory())
    with pytest.raises(InvalidInputError):
        table.select(["Email", "No such column"])


def test_select_keeps_the_asked_columns_in_that_order() -> None:
    table = learner_export([main_session()], main_directory())
    chosen = table.select(["Progress", "Last name"])
    assert chosen.header == ("Progress", "Last name")
    assert list(chosen.rows) == [
        ("100", "Alves"),
        ("100", "Brown"),
        ("0", "Chen"),
        ("0", "Diaz"),
        ("0", "Evans"),
        ("25", "Fischer"),
    ]


# --------------------------------------------------------------------------- 8. laziness


def test_rows_are_lazy_and_re_iterable() -> None:
    table = learner_export([main_session()], main_directory())
    assert not isinstance(table.rows, (list, tuple))
    assert iter(table.rows) is not table.rows  # not a one-shot iterator
    first = list(table.rows)
    second = list(table.rows)
    assert first == second == MAIN_ROWS


def test_rows_can_be_iterated_partially_then_afresh() -> None:
    table = learner_export([main_session()], main_directory())
    iterator = iter(table.rows)
    assert next(iterator) == ROW_ANA
    assert next(iter(table.rows)) == ROW_ANA  # a new iteration starts over
    assert next(iterator) == ROW_BOB


# --------------------------------------------------------------------------- 9. properties


def all_rows(table: Table) -> list[tuple[str, ...]]:
    return list(table.rows)


@given(worlds())
def test_every_row_has_one_str_cell_per_header_column(
    world: tuple[Directory, tuple[Session, ...]],
) -> None:
    directory, sessions = world
    table = learner_export(sessions, directory)
    assert all(isinstance(name, str) for name in table.header)
    for row in all_rows(table):
        assert isinstance(row, tuple)
        assert len(row) == len(table.header)
        assert all(isinstance(value, str) for value in row)


@given(worlds())
def test_protected_export_has_no_cell_starting_with_a_trigger(
    world: tuple[Directory, tuple[Session, ...]],
) -> None:
    directory, sessions = world
    table = learner_export(sessions, directory, ExportOptions(protect_formulas=True))
    for value in (*table.header, *(c for row in all_rows(table) for c in row)):
        assert not value.startswith(TRIGGERS), repr(value)


@given(worlds())
def test_same_input_gives_identical_csv(world: tuple[Directory, tuple[Session, ...]]) -> None:
    directory, sessions = world
    texts = []
    for _ in range(2):
        out = io.StringIO()
        write_csv(learner_export(sessions, directory), out)
        texts.append(out.getvalue())
    assert texts[0] == texts[1]


@given(worlds())
def test_no_learner_is_lost(world: tuple[Directory, tuple[Session, ...]]) -> None:
    directory, sessions = world
    table = learner_export(sessions, directory)
    rows = all_rows(table)
    assert len(rows) == sum(len(session.registrations) for session in sessions)
    ids = column(table.header, rows, "Session ID")
    # session by session, in the given order
    expected = [s.id for s in sessions for _ in s.registrations]
    assert ids == expected
    out = io.StringIO()
    assert write_csv(table, out) == len(rows)
