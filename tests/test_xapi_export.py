"""From statements to the statistics and the per-learner export, end to end.

The course is ``example_course()``: an introduction (moveOn Completed, no
masteryScore: a COURSE block, not scored) and a quiz (moveOn Passed,
masteryScore 0.75: an ASSESSMENT passed at 75). Every figure below is
computed by hand from the statements.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from typing import Any

from programstats import (
    Directory,
    ExportOptions,
    User,
    learner_export,
    learner_results,
    session_overview,
    write_csv,
)
from programstats.xapi import session_from_statements
from programstats.xapi.examples import example_course, statement

COURSE = example_course()
INTRO, QUIZ = (au.id for au in COURSE.aus)
DIRECTORY = Directory(
    users=[
        User(id="ana", first_name="Ana", last_name="Alves", email="ana@example.com"),
        User(id="bob", first_name="Bob", last_name="Brown", email="bob@example.com"),
        User(id="cleo", first_name="Cleo", last_name="Chen", email="cleo@example.com"),
        User(id="olga", first_name="Olga", last_name="Ode", email="olga@example.com"),
    ]
)


def at(hour: int, minute: int) -> str:
    return f"2026-03-02T{hour:02d}:{minute:02d}:00Z"


def st(verb: str, hour: int, minute: int, user: str, au: str, session: str, **more: Any) -> Any:
    return statement(verb, user=user, au=au, session=session, at=at(hour, minute), **more)


STATEMENTS = [
    # Ana: the introduction completed, 25 minutes by terminated's duration.
    st("launched", 9, 0, "ana", INTRO, "a1"),
    st("initialized", 9, 1, "ana", INTRO, "a1"),
    st("completed", 9, 20, "ana", INTRO, "a1", result={"completion": True}),
    st("terminated", 9, 25, "ana", INTRO, "a1", result={"duration": "PT25M"}),
    # Ana: the quiz passed with 0.9: score 90 (>= 75), 12 minutes.
    st("launched", 10, 0, "ana", QUIZ, "a2"),
    st("passed", 10, 10, "ana", QUIZ, "a2", result={"score": {"scaled": 0.9}, "success": True}),
    st("terminated", 10, 12, "ana", QUIZ, "a2", result={"duration": "PT12M"}),
    # Bob: the introduction, not completed, 10 minutes.
    st("launched", 9, 30, "bob", INTRO, "b1"),
    st("terminated", 9, 40, "bob", INTRO, "b1", result={"duration": "PT10M"}),
    # Bob: the quiz failed with raw 12 of 0..20: score 60, 5 minutes.
    st("launched", 11, 0, "bob", QUIZ, "b2"),
    st("failed", 11, 3, "bob", QUIZ, "b2", result={"score": {"raw": 12, "min": 0, "max": 20}}),
    st("terminated", 11, 5, "bob", QUIZ, "b2", result={"duration": "PT5M"}),
    # Cleo only browsed the introduction: registered, never started.
    st("launched", 12, 0, "cleo", INTRO, "c1", launch_mode="Browse"),
    st("terminated", 12, 9, "cleo", INTRO, "c1", result={"duration": "PT9M"}),
]


def session() -> Any:
    found = session_from_statements(
        COURSE,
        STATEMENTS,
        directory=DIRECTORY,
        id="safety-march",
        name="Safety, March",
        author_id="olga",
        start=datetime(2026, 3, 1, tzinfo=timezone.utc),
        end=datetime(2026, 3, 31, tzinfo=timezone.utc),
    )
    assert found.problems == ()
    return found.sessions[0]


def test_session_overview() -> None:
    overview = session_overview(session())
    assert overview.registrations == 3  # everyone with a statement, Cleo included
    assert overview.attendees == 2  # Ana and Bob have attempts; Cleo's Browse session is none
    # One COURSE block, the introduction: completed by Ana alone, 1 of 2 attendees.
    (intro,) = overview.progress_by_course
    assert (intro.block_id, intro.completed, intro.percent) == (INTRO, 1, 50)
    assert overview.completed == 1  # Ana: both blocks complete
    # Time spent counts COURSE blocks only: Ana's 25 minutes on the introduction.
    assert overview.median_time == timedelta(minutes=25)
    # Scores: the introduction is not scored; the quiz gives Ana 90, Bob 60.
    assert overview.average_score == 75
    assert [(b.block_id, b.average) for b in overview.score_by_block] == [(QUIZ, 75)]
    assert overview.level_distribution == (0, 0, 0, 1, 1)


def test_learner_results() -> None:
    rows = learner_results(session(), DIRECTORY)
    assert [
        (r.last_name, r.progress, r.score, r.time_spent, r.verified, r.started_at) for r in rows
    ] == [
        # Ana: progress 100, score 90, verified (the quiz passed: 90 >= 75).
        (
            "Alves",
            100,
            90,
            timedelta(minutes=25),
            True,
            datetime(2026, 3, 2, 9, tzinfo=timezone.utc),
        ),
        # Bob: nothing completed (failed never completes), score 60.
        (
            "Brown",
            0,
            60,
            timedelta(minutes=10),
            False,
            datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc),
        ),
        ("Chen", 0, None, timedelta(0), False, None),
    ]
    ana = rows[0]
    assert [(b.score, b.time_spent, b.completed) for b in ana.blocks] == [
        (None, timedelta(minutes=25), True),
        (90, timedelta(minutes=12), True),
    ]


def test_per_learner_export() -> None:
    table = learner_export([session()], DIRECTORY, ExportOptions(timezone="Europe/Paris"))
    out = io.StringIO()
    columns = [
        "Last name",
        "Registered user",
        "Score",
        "Progress",
        "Start",
        "End",
        "Verified program",
        "Total time spent",
        "Block title 1",
        "Block score 1",
        "Block time 1",
        "Block title 2",
        "Block score 2",
        "Block time 2",
    ]
    assert write_csv(table.select(columns), out) == 3
    # Start: the first attempt's start; End: the last activity on a COURSE block
    # (the introduction's terminated), both in Paris time (UTC+1 in March).
    assert out.getvalue().splitlines() == [
        ",".join(columns),
        "Alves,x,90,100,2026/03/02 10:00,2026/03/02 10:25,x,0:25:00,"
        "Introduction,,0:25:00,Quiz,90,0:12:00",
        "Brown,x,60,0,2026/03/02 10:30,2026/03/02 10:40,,0:10:00,"
        "Introduction,,0:10:00,Quiz,60,0:05:00",
        "Chen,x,,0,,,,0:00:00,Introduction,,,Quiz,,",
    ]
