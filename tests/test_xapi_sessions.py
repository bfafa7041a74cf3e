"""From statements to a session (programstats.xapi.sessions): every mapping rule of SPEC §14.

Each test builds the few statements its rule needs by hand and states the
attempts they must give. The course is ``example_course()``: an
introduction (moveOn Completed, no masteryScore) and a quiz (moveOn Passed,
masteryScore 0.75).
"""

from __future__ import annotations

import copy
import itertools
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from programstats import (
    Attempt,
    Block,
    BlockKind,
    Directory,
    InvalidInputError,
    InvalidRecordsError,
    ProgramTemplate,
    Registration,
    Session,
    User,
    World,
)
from programstats.xapi import AU, Course, session_from_statements
from programstats.xapi.examples import example_course, statement, voiding
from programstats.xapi.statements import SESSION_ID

UTC = timezone.utc
BASE = datetime(2026, 3, 2, 9, tzinfo=UTC)
COURSE = example_course()
INTRO, QUIZ = (au.id for au in COURSE.aus)
DIRECTORY = Directory(
    users=[
        User(id="ana", first_name="Ana", last_name="Alves", email="ana@example.com"),
        User(id="bob", first_name="Bob", last_name="Brown", email="bob@example.com"),
        User(id="olga", first_name="Olga", last_name="Ode", email="olga@example.com"),
    ]
)


def stamp(seconds: float) -> str:
    """The ISO 8601 text of ``BASE`` plus ``seconds``."""
    return (BASE + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def when(seconds: float) -> datetime:
    return BASE + timedelta(seconds=seconds)


_IDS = itertools.count()


def st(
    verb: str,
    seconds: float,
    *,
    user: str = "ana",
    au: str = INTRO,
    session: str = "s-1",
    registration: str = "r-1",
    **more: Any,
) -> dict[str, Any]:
    """A statement as the LMS or AU would write it, with an id of its own."""
    more.setdefault("id", f"statement-{next(_IDS)}")
    return statement(
        verb,
        user=user,
        au=au,
        session=session,
        at=stamp(seconds),
        registration=registration,
        **more,
    )


def world(
    statements: list[Any], course: Course = COURSE, on_error: str = "raise", **more: Any
) -> World:
    return session_from_statements(
        course,
        statements,
        directory=DIRECTORY,
        id="safety-march",
        name="Safety, March",
        author_id="olga",
        start=BASE - timedelta(days=1),
        end=BASE + timedelta(days=30),
        on_error=on_error,  # type: ignore[arg-type]
        **more,
    )


def session_of(statements: list[Any], **more: Any) -> Session:
    found = world(statements, **more)
    assert found.problems == ()
    (session,) = found.sessions
    return session


def attempts(statements: list[Any], **more: Any) -> list[Attempt]:
    return list(session_of(statements, **more).attempts)


def attempt(
    start: float,
    last: float,
    time: float,
    *,
    user: str = "ana",
    block: str = INTRO,
    score: float | None = None,
    completed: bool = False,
) -> Attempt:
    return Attempt(
        user_id=user,
        block_id=block,
        started_at=when(start),
        last_activity_at=when(last),
        time_spent=timedelta(seconds=time),
        score=score,
        completed=completed,
    )


def problems(statements: list[Any], **more: Any) -> dict[str, str]:
    """Path -> message of every problem under ``raise``."""
    with pytest.raises(InvalidRecordsError) as info:
        world(statements, **more)
    return {p.path: p.message for p in info.value.problems}


# ------------------------------------------------------------------------ blocks and registrations


def test_one_block_per_au_in_course_order() -> None:
    course = Course(
        id="https://example.com/c",
        title="C",
        aus=[
            AU(id="a1", title="Read", move_on="Completed"),
            AU(id="a2", title="Pass", move_on="Passed"),
            AU(id="a3", title="Either", move_on="CompletedOrPassed"),
            AU(id="a4", title="Both", move_on="CompletedAndPassed"),
            AU(id="a5", title="Free"),
            AU(id="a6", title="Scored", move_on="Completed", mastery_score=Decimal("0.29")),
        ],
    )
    session = world([], course=course).sessions[0]
    # COURSE unless a masteryScore, then ASSESSMENT with passing_score = masteryScore x 100
    # (29 exactly, not 28.999999999999996); scored with a masteryScore or a moveOn
    # involving Passed; never examination mode.
    assert session.blocks == (
        Block(id="a1", title="Read", kind=BlockKind.COURSE, scored=False),
        Block(id="a2", title="Pass", kind=BlockKind.COURSE, scored=True),
        Block(id="a3", title="Either", kind=BlockKind.COURSE, scored=True),
        Block(id="a4", title="Both", kind=BlockKind.COURSE, scored=True),
        Block(id="a5", title="Free", kind=BlockKind.COURSE, scored=False),
        Block(id="a6", title="Scored", kind=BlockKind.ASSESSMENT, passing_score=29),
    )
    assert not any(block.examination_mode for block in session.blocks)
    assert session.template == ProgramTemplate(id="https://example.com/c", name="C")
    assert (session.id, session.name, session.author_id) == (
        "safety-march",
        "Safety, March",
        "olga",
    )


def test_template_given_is_used() -> None:
    template = ProgramTemplate(id="t", name="Template", description="d")
    assert session_of([], template=template).template == template


def test_one_registration_per_user_at_their_first_statement() -> None:
    # Ana has two cmi5 registrations of the course (a retake): one learner, two
    # attempts; registered at her earliest statement of any kind, here the LMS's
    # registration-time `satisfied` about the course.
    course_satisfied = st("satisfied", 5, session="lms-1")
    course_satisfied["context"]["contextActivities"]["grouping"] = [{"id": COURSE.id}]
    course_satisfied["object"]["definition"] = {
        "type": "https://w3id.org/xapi/cmi5/activitytype/course"
    }
    session = session_of(
        [
            st("launched", 10),
            st("terminated", 20, result={"duration": "PT10S"}),
            st("launched", 100, session="s-2", registration="r-2"),
            st("completed", 110, session="s-2", registration="r-2"),
            st("terminated", 120, session="s-2", registration="r-2"),
            course_satisfied,
            st("launched", 50, user="bob", session="s-9"),
        ]
    )
    assert session.registrations == (
        Registration(user_id="ana", registered_at=when(5)),
        Registration(user_id="bob", registered_at=when(50)),
    )
    assert session.attempts == (
        attempt(10, 20, 10),
        # r-2 starts afresh (its own moveOn): completed in its one session.
        attempt(100, 120, 20, completed=True),
        attempt(50, 50, 0, user="bob"),
    )


def test_browse_and_review_sessions_are_not_attempts() -> None:
    session = session_of(
        [
            st("launched", 0, launch_mode="Browse"),
            st("initialized", 1),
            st("terminated", 9, result={"duration": "PT8S"}),
            st("launched", 0, user="bob", session="s-b", launch_mode="Review"),
            st("terminated", 5, user="bob", session="s-b"),
            st("launched", 20, session="s-2"),
            st("terminated", 30, session="s-2"),
        ]
    )
    assert session.attempts == (attempt(20, 30, 10),)
    # Bob only reviewed: still registered, at his first statement.
    assert [r.user_id for r in session.registrations] == ["ana", "bob"]


# ------------------------------------------------------------------------ one attempt per session


def test_attempt_times() -> None:
    assert attempts(
        [
            st("launched", 0),
            st("initialized", 3),
            st("http://adlnet.gov/expapi/verbs/experienced", 40, cmi5=False),  # allowed
            st("completed", 50, result={"completion": True, "duration": "PT47S"}),
            st("terminated", 60, result={"duration": "PT57.25S"}),
        ]
    ) == [attempt(0, 60, 57.25, completed=True)]


def test_started_at_is_the_earliest_statement_whatever_its_verb() -> None:
    # Clock skew: the AU's `initialized` is stamped before the LMS's `launched`.
    assert attempts([st("launched", 10), st("initialized", 8), st("terminated", 20)]) == [
        attempt(8, 20, 12)
    ]


def test_launched_is_not_activity() -> None:
    # No statement of the AU: last activity is the start; no duration anywhere:
    # the time is last activity minus start.
    assert attempts([st("launched", 10)]) == [attempt(10, 10, 0)]


def test_lms_statements_are_not_activity() -> None:
    # abandoned, waived and satisfied are the LMS's: the last activity is initialized's.
    # The time is abandoned's duration (no terminated).
    satisfied = st("satisfied", 80)
    assert attempts(
        [
            st("launched", 0),
            st("initialized", 5),
            satisfied,
            st("abandoned", 90, result={"duration": "PT1M"}),
        ]
    ) == [attempt(0, 5, 60)]


def test_an_allowed_statement_is_activity() -> None:
    # The last statement of the AU is an "allowed" one (no cmi5 category).
    assert attempts(
        [
            st("launched", 0),
            st("initialized", 2),
            st("http://adlnet.gov/expapi/verbs/answered", 30, cmi5=False),
            st("abandoned", 40, result={"duration": "PT40S"}),
        ]
    ) == [attempt(0, 30, 40)]


def test_launch_mode_without_launched_or_extension_is_normal() -> None:
    silent = st("launched", 0)
    del silent["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/launchmode"]
    assert attempts([silent, st("terminated", 5)]) == [attempt(0, 5, 5)]
    # No launched at all (it may be lost, or never sent): the AU's statements show work.
    assert attempts([st("initialized", 3), st("completed", 9)]) == [
        attempt(3, 9, 6, completed=True)
    ]


def test_a_session_is_a_registration_au_and_session_id() -> None:
    # The same session id under another registration, or about another AU:
    # another session, another attempt.
    assert attempts(
        [
            st("launched", 0),
            st("launched", 10, registration="r-2"),
            st("passed", 20, au=QUIZ, result={"score": {"scaled": 0.8}}),
        ]
    ) == [
        attempt(0, 0, 0),
        attempt(10, 10, 0),
        attempt(20, 20, 0, block=QUIZ, score=80, completed=True),
    ]


def test_time_spent_terminated_then_abandoned_then_the_difference() -> None:
    assert attempts(
        [st("launched", 0), st("initialized", 2), st("terminated", 30, result={"duration": "PT1H"})]
    ) == [attempt(0, 30, 3600)]
    assert attempts([st("launched", 0), st("initialized", 2), st("terminated", 30)]) == [
        attempt(0, 30, 30)
    ]
    # Both at one instant (the LMS abandoned what the AU terminated): terminated's.
    assert attempts(
        [
            st("launched", 0),
            st("terminated", 30, result={"duration": "PT20S"}),
            st("abandoned", 30, result={"duration": "PT25S"}),
        ]
    ) == [attempt(0, 30, 20)]


def test_days_in_a_duration() -> None:
    assert attempts([st("launched", 0), st("terminated", 5, result={"duration": "P1DT2H"})]) == [
        attempt(0, 5, 26 * 3600)
    ]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ({"scaled": 0.94}, 94),
        ({"scaled": 0.29}, 29),  # exactly: 0.29 * 100 in floats is 28.999999999999996
        ({"scaled": 1}, 100),
        ({"scaled": Decimal("0.875")}, 87.5),
        ({"raw": 7, "min": 0, "max": 8}, 87.5),
        ({"raw": 2, "min": 1, "max": 4}, 100 / 3),
        ({"raw": -5, "min": -10, "max": -2}, 62.5),
        ({"scaled": 0.9, "raw": 1, "min": 0, "max": 10}, 90),  # scaled wins
        ({"min": 0, "max": 10}, None),  # nothing to read
        ({}, None),
    ],
)
def test_scores(score: dict[str, Any], expected: float | None) -> None:
    (found,) = attempts(
        [st("launched", 0, au="u"), st("passed", 5, au="u", result={"score": score})],
        course=course_with("Passed"),  # no masteryScore: any score passes
    )
    assert found.score == expected
    if expected == 29:
        assert type(found.score) is int


def test_a_learner_at_exactly_the_mastery_score_passes() -> None:
    # masteryScore 0.75: scaled 0.75 gives 75 = passing_score; raw 3 of 0..4 too.
    for score in ({"scaled": 0.75}, {"raw": 3, "min": 0, "max": 4}):
        session = session_of(
            [st("launched", 0, au=QUIZ), st("passed", 5, au=QUIZ, result={"score": score})]
        )
        assert session.attempts[0].score == 75
        assert session.blocks[1].passing_score == 75


def test_failed_gives_a_score_and_never_completes() -> None:
    assert attempts(
        [st("launched", 0, au=QUIZ), st("failed", 5, au=QUIZ, result={"score": {"scaled": 0.5}})]
    ) == [attempt(0, 5, 5, block=QUIZ, score=50)]


def test_scores_come_from_cmi5_defined_statements_only() -> None:
    # An "allowed" passed (no cmi5 category) neither scores nor completes; a
    # score on a cmi5-defined completed is not read.
    assert attempts(
        [
            st("launched", 0, au=QUIZ),
            st("passed", 5, au=QUIZ, cmi5=False, result={"score": {"scaled": 0.9}}),
            st("completed", 6, au=QUIZ, result={"score": {"scaled": 0.8}}),
        ]
    ) == [attempt(0, 6, 6, block=QUIZ)]


def test_progress_is_ignored() -> None:
    progress = {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 100}}
    assert attempts(
        [
            st("launched", 0),
            st("https://w3id.org/xapi/adl/verbs/progressed", 5, cmi5=False, result=progress),
            st("terminated", 6, result=progress),
        ]
    ) == [attempt(0, 6, 6)]


# ------------------------------------------------------------------------ completion by moveOn


def course_with(move_on: str, mastery: str | None = None) -> Course:
    return Course(
        id="https://example.com/c",
        title="C",
        aus=[
            AU(
                id="u",
                title="U",
                move_on=move_on,
                mastery_score=None if mastery is None else Decimal(mastery),
            )
        ],
    )


@pytest.mark.parametrize(
    ("move_on", "verbs", "completed"),
    [
        ("Passed", ["passed"], True),
        ("Passed", ["completed"], False),
        ("Passed", ["failed", "completed"], False),
        ("Completed", ["completed"], True),
        ("Completed", ["passed"], False),
        ("CompletedAndPassed", ["completed", "passed"], True),
        ("CompletedAndPassed", ["passed"], False),
        ("CompletedAndPassed", ["completed"], False),
        ("CompletedOrPassed", ["passed"], True),
        ("CompletedOrPassed", ["completed"], True),
        ("CompletedOrPassed", ["failed"], False),  # failed never completes
        ("CompletedOrPassed", ["failed", "completed"], True),
        ("NotApplicable", ["completed"], True),
        ("NotApplicable", [], False),
        ("NotApplicable", ["passed"], False),
    ],
)
def test_move_on(move_on: str, verbs: list[str], completed: bool) -> None:
    made = [st("launched", 0, au="u")]
    made += [st(verb, 10 + n, au="u") for n, verb in enumerate(verbs)]
    (found,) = attempts(made, course=course_with(move_on))
    assert found.completed is completed


def test_move_on_is_met_across_the_sessions_of_a_registration() -> None:
    # CompletedAndPassed: passed in the first session, completed in the second.
    # The first attempt is not complete, the second is (this and earlier
    # sessions); a third session, with nothing, is still complete.
    course = course_with("CompletedAndPassed")
    found = attempts(
        [
            st("launched", 0, au="u"),
            st("passed", 5, au="u"),
            st("terminated", 6, au="u"),
            st("launched", 100, au="u", session="s-2"),
            st("completed", 105, au="u", session="s-2"),
            st("terminated", 106, au="u", session="s-2"),
            st("launched", 200, au="u", session="s-3"),
        ],
        course=course,
    )
    assert [a.completed for a in found] == [False, True, True]


def test_move_on_is_not_met_across_registrations() -> None:
    course = course_with("CompletedAndPassed")
    found = attempts(
        [
            st("launched", 0, au="u"),
            st("passed", 5, au="u"),
            st("launched", 100, au="u", session="s-2", registration="r-2"),
            st("completed", 105, au="u", session="s-2", registration="r-2"),
        ],
        course=course,
    )
    assert [a.completed for a in found] == [False, False]


def test_overrides_in_launched_are_ignored() -> None:
    # The LMS may pass another moveOn and masteryScore at launch (LMS launch
    # data); the course file's are used: Passed at 0.75.
    launched = st("launched", 0, au=QUIZ)
    launched["context"]["extensions"].update(
        {
            "https://w3id.org/xapi/cmi5/context/extensions/moveon": "Completed",
            "https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 0.5,
        }
    )
    assert attempts(
        [
            launched,
            st("completed", 5, au=QUIZ),
            st("passed", 6, au=QUIZ, result={"score": {"scaled": 0.8}}),
        ]
    ) == [attempt(0, 6, 6, block=QUIZ, score=80, completed=True)]
    assert problems([launched, st("passed", 6, au=QUIZ, result={"score": {"scaled": 0.6}})]) == {
        "$[1].result.score.scaled": (
            "passed with score 60 (from scaled), below the masteryScore (75)"
        )
    }


# ------------------------------------------------------------------------ waived


def test_waived_is_a_completed_attempt_without_score_or_time() -> None:
    waived = st("waived", 30, au=QUIZ, session="w-1", result={"success": True, "completion": True})
    assert attempts([waived]) == [attempt(30, 30, 0, block=QUIZ, completed=True)]


def test_a_waived_au_may_be_attempted_again() -> None:
    # Each session an attempt as usual: the later one (the latest attempt)
    # failed; it is not complete by its own statements.
    found = attempts(
        [
            st("waived", 30, au=QUIZ, session="w-1"),
            st("launched", 100, au=QUIZ, session="s-2"),
            st("failed", 110, au=QUIZ, session="s-2", result={"score": {"scaled": 0.4}}),
        ]
    )
    assert found == [
        attempt(30, 30, 0, block=QUIZ, completed=True),
        attempt(100, 110, 10, block=QUIZ, score=40),
    ]


# ------------------------------------------------------------------------ order


def test_order_is_timestamp_then_stored_then_input() -> None:
    # Two passed at one timestamp: `stored` says which came later; the later is the repeat.
    first = st("passed", 5, au=QUIZ, result={"score": {"scaled": 0.9}}, stored=stamp(7))
    second = st("passed", 5, au=QUIZ, result={"score": {"scaled": 0.8}}, stored=stamp(6))
    found = world([st("launched", 0, au=QUIZ), first, second], on_error="skip")
    assert [p.path for p in found.problems] == ["$[1].verb"]
    assert found.sessions[0].attempts[0].score == 80
    # Same timestamp and stored: input order.
    second["stored"] = first["stored"]
    found = world([st("launched", 0, au=QUIZ), first, second], on_error="skip")
    assert [p.path for p in found.problems] == ["$[2].verb"]
    assert found.sessions[0].attempts[0].score == 90


def test_a_missing_stored_comes_before_any_stored() -> None:
    with_stored = st("passed", 5, au=QUIZ, result={"score": {"scaled": 0.9}}, stored=stamp(6))
    without = st("passed", 5, au=QUIZ, result={"score": {"scaled": 0.8}})
    for made in ([with_stored, without], [without, with_stored]):
        found = world([st("launched", 0, au=QUIZ), *made], on_error="skip")
        assert [p.record_id for p in found.problems] == [with_stored["id"]]
        assert found.sessions[0].attempts[0].score == 80


def test_input_order_does_not_matter() -> None:
    made = [
        st("launched", 0),
        st("initialized", 1),
        st("completed", 30),
        st("terminated", 31, result={"duration": "PT31S"}),
        st("launched", 0, user="bob", au=QUIZ, session="b-1"),
        st("passed", 9, user="bob", au=QUIZ, session="b-1", result={"score": {"scaled": 0.8}}),
        st("terminated", 12, user="bob", au=QUIZ, session="b-1"),
    ]
    expected = world(made)
    for seed in range(5):
        shuffled = made[:]
        random.Random(seed).shuffle(shuffled)
        assert world(shuffled) == expected


def test_terminated_ends_its_session_wherever_it_arrives() -> None:
    # The file lists completed after terminated; only the timestamps count.
    # A statement later than terminated is ignored, not a problem.
    assert attempts(
        [
            st("launched", 0),
            st("terminated", 20, result={"duration": "PT20S"}),
            st("completed", 10),
            st("completed", 25),  # after terminated: ignored (it would be a repeat)
            st("initialized", 30),
        ]
    ) == [attempt(0, 20, 20, completed=True)]


def test_abandoned_ends_its_session_too() -> None:
    assert attempts(
        [
            st("launched", 0),
            st("abandoned", 20, result={"duration": "PT20S"}),
            st("completed", 25),
        ]
    ) == [attempt(0, 0, 20)]


def test_one_timestamp_for_several_verbs() -> None:
    # completed, passed and terminated stamped alike, listed in any order: a
    # statement at terminated's instant is not after it.
    made = [
        st("launched", 0, au=QUIZ),
        st("terminated", 10, au=QUIZ),
        st("passed", 10, au=QUIZ, result={"score": {"scaled": 0.8}}),
        st("completed", 10, au=QUIZ),
    ]
    assert attempts(made) == [attempt(0, 10, 10, block=QUIZ, score=80, completed=True)]


def test_a_new_launch_ends_the_open_session() -> None:
    # Session s-1 is never terminated; the LMS launched s-2 in the same
    # registration at 100: s-1 ends there (cmi5 9.3.6), its later statements
    # are ignored.
    assert attempts(
        [
            st("launched", 0),
            st("initialized", 2),
            st("launched", 100, au=QUIZ, session="s-2"),
            st("completed", 150),  # s-1, after s-2 was launched: ignored
            st("terminated", 160, au=QUIZ, session="s-2"),
        ]
    ) == [attempt(0, 2, 2), attempt(100, 160, 60, block=QUIZ)]
    # Another registration's launch does not end it.
    assert attempts(
        [
            st("launched", 0),
            st("launched", 100, session="s-2", registration="r-2"),
            st("completed", 150),
        ]
    ) == [attempt(0, 150, 150, completed=True), attempt(100, 100, 0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02T09:00:00Z", BASE),
        ("2026-03-02T09:00:00.5Z", BASE + timedelta(milliseconds=500)),
        ("2026-03-02T09:00:00.123456789Z", BASE + timedelta(microseconds=123456)),  # dropped
        ("2026-03-02T09:00:00,25Z", BASE + timedelta(milliseconds=250)),
        ("2026-03-02t09:00:00z", BASE),
        ("2026-03-02T11:00:00+02:00", BASE),
        ("2026-03-02T11:00:00+0200", BASE),
        ("2026-03-02T11:00:00+02", BASE),
        ("2026-03-02T03:30:00-05:30", BASE),
        ("2026-03-02T09:00:00-00:00", BASE),
        ("2026-03-02T09:00:00.000+00:00", BASE),
    ],
)
def test_timestamps(text: str, expected: datetime) -> None:
    (found,) = attempts([st("launched", 0) | {"timestamp": text}])
    assert found.started_at == expected
    assert found.started_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-03-02 09:00:00Z", "is not an ISO 8601 date and time"),
        ("20260302T090000Z", "is not an ISO 8601 date and time"),
        ("2026-03-02", "is not an ISO 8601 date and time"),
        ("2026-03-02T09:00Z", "is not an ISO 8601 date and time"),
        ("2026-03-02T09:00:00", "has no UTC offset"),
        ("2026-02-29T09:00:00Z", "is not a valid date and time (day is out of range for month)"),
        ("2026-03-02T24:00:00Z", "is not a valid date and time"),
        ("2026-03-02T09:00:60Z", "is not a valid date and time"),
        ("2026-03-02T09:00:00+24:00", "has an impossible UTC offset"),
        ("2026-03-02T09:00:00+01:60", "has an impossible UTC offset"),
        ("0001-01-01T00:00:00Z", "is out of range"),
        ("9999-12-31T23:00:00Z", "is out of range"),
        ("0001-01-02T00:00:00+01:00", "is out of range"),
        ("\uff12026-03-02T09:00:00Z", "is not an ISO 8601 date and time"),  # a full-width 2
    ],
)
def test_bad_timestamps(text: str, message: str) -> None:
    (found,) = problems([st("launched", 0) | {"timestamp": text}]).items()
    assert found[0] == "$[0].timestamp"
    assert message in found[1]


# ------------------------------------------------------------------------ voiding and ids


def test_a_voided_statement_vanishes_with_its_voider() -> None:
    completed = st("completed", 10)
    made = [st("launched", 0), completed, st("terminated", 20)]
    assert world([*made, voiding(completed["id"])]) == world([made[0], made[2]])
    # The voider first, or voiding a statement not given: the same.
    assert world([voiding(completed["id"]), *made]) == world([made[0], made[2]])
    assert world([*made, voiding("not-given")]) == world(made)


def test_bad_voiding_statements() -> None:
    completed = st("completed", 10)
    first = voiding(completed["id"])
    second = voiding(first["id"])
    not_a_ref = voiding(completed["id"])
    not_a_ref["object"] = {"objectType": "Activity", "id": completed["id"]}
    assert problems([st("launched", 0), completed, first, second, not_a_ref]) == {
        "$[3].object.id": "names a voiding statement, which cannot be voided",
        "$[4].object": "of a voiding statement must have objectType StatementRef",
    }


def test_a_statement_id_twice() -> None:
    completed = st("completed", 10)
    # The same content twice (an LRS page read twice): one statement.
    assert world([st("launched", 0), completed, copy.deepcopy(completed)]) == world(
        [st("launched", 0), completed]
    )
    # Different content: both left out, one problem.
    other = st("passed", 11, id=completed["id"])
    found = world([st("launched", 0), completed, other, copy.deepcopy(completed)], on_error="skip")
    assert [(p.path, p.record_id) for p in found.problems] == [("$[2].id", completed["id"])]
    assert found.problems[0].message == (
        "is also the id of $[1], whose content differs; both statements are left out"
    )
    assert found.sessions[0].attempts == (attempt(0, 0, 0),)


def test_statements_without_id_are_all_kept() -> None:
    one = st("launched", 0)
    del one["id"]
    two = st("initialized", 5)
    del two["id"]
    assert attempts([one, two]) == [attempt(0, 5, 5)]


# ------------------------------------------------------------------------ statements about no AU


def test_statements_about_the_course_or_a_block_are_read_for_nothing() -> None:
    course = Course(
        id="https://example.com/c",
        title="C",
        aus=[AU(id="u", title="U", move_on="Completed")],
        block_ids={"https://example.com/c/block"},
    )
    by_type = st("satisfied", 50, au="https://lms.example.com/blocks/9")
    by_type["object"]["definition"] = {"type": "https://w3id.org/xapi/cmi5/activitytype/block"}
    by_grouping = st("satisfied", 60, au="https://example.com/c/block")
    by_course = st("completed", 1, au="https://example.com/c")  # even a cmi5 verb
    au_only = [st("launched", 10, au="u"), st("terminated", 20, au="u")]
    found = world([*au_only, by_type, by_grouping, by_course], course=course)
    assert found.problems == ()
    assert found.sessions[0].attempts == world(au_only, course=course).sessions[0].attempts
    # They only count for the registration: the earliest statement, the course's at 1.
    assert found.sessions[0].registrations == (Registration(user_id="ana", registered_at=when(1)),)


def test_grouping_may_name_the_course_beside_the_au() -> None:
    made = st("completed", 5)
    made["context"]["contextActivities"]["grouping"].append({"id": COURSE.id})
    made["context"]["contextActivities"]["grouping"] = made["context"]["contextActivities"][
        "grouping"
    ][::-1]
    assert attempts([st("launched", 0), made]) == [attempt(0, 5, 5, completed=True)]


def test_context_activities_may_be_single_objects() -> None:
    made = st("completed", 5)
    activities = made["context"]["contextActivities"]
    activities["grouping"] = activities["grouping"][0]
    activities["category"] = activities["category"][0]
    assert attempts([st("launched", 0), made]) == [attempt(0, 5, 5, completed=True)]


# ------------------------------------------------------------------------ actors and users


def test_actors_by_account_or_mbox_or_user_id() -> None:
    by_mail = st("launched", 0)
    by_mail["actor"] = {"objectType": "Agent", "mbox": "mailto:ana"}
    assert attempts([by_mail]) == [attempt(0, 0, 0)]
    by_name = st("launched", 0)
    by_name["actor"] = {"objectType": "Agent", "name": "Ana Alves"}
    assert attempts([by_name], user_id=lambda actor: actor["name"].split()[0].lower()) == [
        attempt(0, 0, 0)
    ]


def test_users_must_be_in_the_directory() -> None:
    found = world(
        [
            st("launched", 0),
            st("launched", 0, user="zoe", session="z"),
            st("passed", 1, user="zoe", au=QUIZ, session="z"),
        ],
        on_error="skip",
    )
    assert [(p.path, p.message) for p in found.problems] == [
        ("$[1].actor", "user 'zoe' is not in the directory (valid ones are 'ana', 'bob', 'olga')"),
        ("$[2].actor", "user 'zoe' is not in the directory (valid ones are 'ana', 'bob', 'olga')"),
    ]
    assert [r.user_id for r in found.sessions[0].registrations] == ["ana"]


def test_actors_that_name_no_user() -> None:
    no_name = st("launched", 0)
    no_name["actor"] = {"objectType": "Agent", "name": "Ana"}
    empty = st("launched", 1)
    empty["actor"]["account"]["name"] = ""
    number = st("launched", 2)
    number["actor"]["account"]["name"] = 17
    nul = st("launched", 3)
    nul["actor"] = {"mbox": "mailto:a\x00"}
    group = st("launched", 4)
    group["actor"] = ["ana"]
    missing = st("launched", 5)
    del missing["actor"]
    assert problems([no_name, empty, number, nul, group, missing]) == {
        "$[0].actor": (
            "has neither account.name nor mbox; pass user_id= to map such actors to user ids"
        ),
        "$[1].actor.account.name": "must be the user's id: is empty",
        "$[2].actor.account.name": "must be the user's id: must be a str, got int",
        "$[3].actor.mbox": (
            "is no user id: contains a NUL character, which cannot be written to a file"
        ),
        "$[4].actor": "must be an object, got ['ana']",
        "$[5].actor": "is missing: a statement needs an actor",
    }


def test_a_user_id_function_that_fails_is_a_problem() -> None:
    def broken(actor: Any) -> str:
        raise ValueError("no such key " + "x" * 1000)

    (message,) = problems([st("launched", 0)], user_id=broken).values()
    assert message.startswith("user_id(actor) raised ValueError: 'no such key xxx")
    assert len(message) < 200
    assert problems([st("launched", 0)], user_id=lambda actor: 7) == {
        "$[0].actor": "user_id(actor) gave no usable id: must be a str, got int"
    }


# ------------------------------------------------------------------------ bad statements


def test_each_bad_statement_is_named_by_its_path() -> None:
    no_verb = st("launched", 0)
    del no_verb["verb"]
    bad_verb = st("launched", 0)
    bad_verb["verb"] = {"id": 3}
    no_object = st("launched", 0)
    del no_object["object"]
    no_timestamp = st("launched", 0)
    del no_timestamp["timestamp"]
    naive = st("launched", 0)
    naive["timestamp"] = "2026-03-02T09:00:00"
    no_au = st("launched", 0, au="https://elsewhere.example.com/au")
    two_aus = st("launched", 0)
    two_aus["context"]["contextActivities"]["grouping"].append({"id": QUIZ})
    no_session = st("launched", 0)
    del no_session["context"]["extensions"]
    no_registration = st("launched", 0)
    del no_registration["context"]["registration"]
    bad_mode = st("launched", 0, launch_mode="Preview")
    assert problems(
        [
            no_verb,
            bad_verb,
            no_object,
            no_timestamp,
            naive,
            no_au,
            two_aus,
            no_session,
            no_registration,
            bad_mode,
            st("terminated", 9, result={"duration": "P1M"}),
            st("terminated", 9, session="x", result={"duration": "1 minute"}),
            [st("launched", 0)],
        ]
    ) == {
        "$[0].verb": "is missing: a statement needs a verb",
        "$[1].verb.id": "must be the verb's IRI (text)",
        "$[2].object": "is missing: a statement needs an object",
        "$[3].timestamp": "is missing: a statement needs a timestamp",
        "$[4].timestamp": (
            "'2026-03-02T09:00:00' has no UTC offset; statements' timestamps need one "
            "(Z or +hh:mm), or the instant is unknown"
        ),
        "$[5].context.contextActivities.grouping": (
            "matches no AU of the course: no AU id (au@id of cmi5.xml) in "
            "context.contextActivities.grouping"
        ),
        "$[6].context.contextActivities.grouping": (
            "names 2 AUs of the course; a statement is about one"
        ),
        "$[7].context.extensions": "must hold the cmi5 session id",
        "$[8].context.registration": "must be the cmi5 registration id (text)",
        "$[9].context.extensions['https://w3id.org/xapi/cmi5/context/extensions/launchmode']": (
            "must be one of Normal, Browse, Review, got 'Preview'"
        ),
        "$[10].result.duration": (
            "'P1M' has years or months, which have no fixed length; "
            "give days, hours, minutes and seconds"
        ),
        "$[11].result.duration": (
            "'1 minute' is not an ISO 8601 duration (expected P[nD][T[nH][nM][nS]] or PnW, "
            "e.g. 'PT1H2M3.5S')"
        ),
        "$[12]": "a statement must be a JSON object, got list",
    }


def test_the_session_id_path_is_the_extension_iri() -> None:
    made = st("launched", 0)
    made["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] = ""
    assert list(problems([made])) == [
        "$[0].context.extensions['https://w3id.org/xapi/cmi5/context/extensions/sessionid']"
    ]


@pytest.mark.parametrize(
    ("score", "path", "message"),
    [
        ({"scaled": 1.2}, "scaled", "must be between 0 and 1, got 1.2"),
        ({"scaled": -0.1}, "scaled", "must be between 0 and 1, got -0.1"),
        ({"scaled": "0.9"}, "scaled", "must be a finite number, got '0.9'"),
        ({"scaled": True}, "scaled", "must be a finite number, got True"),
        ({"scaled": float("nan")}, "scaled", "must be a finite number, got nan"),
        ({"raw": 5, "min": 5, "max": 5}, "max", "equals min (5): no score can be computed"),
        ({"raw": 5, "min": 10, "max": 0}, "max", "0 is below min 10"),
        ({"raw": 11, "min": 0, "max": 10}, "raw", "11 is outside min..max (0..10)"),
        (
            {"raw": 8},
            "raw",
            "comes without both min and max, so it cannot be read as a score; "
            "give scaled, or raw with min and max",
        ),
        ({"raw": 10**400, "min": 0, "max": 10}, "raw", "1e+400 is outside min..max (0..10)"),
    ],
)
def test_a_score_outside_its_range(score: dict[str, Any], path: str, message: str) -> None:
    made = st("failed", 5, au=QUIZ, result={"score": score})
    assert problems([st("launched", 0, au=QUIZ), made]) == {f"$[1].result.score.{path}": message}


def test_an_attempt_lasts_at_most_100_years() -> None:
    century = 100 * 365.25 * 86_400
    assert problems([st("launched", 0), st("initialized", 10), st("terminated", century + 11)]) == {
        "$[2].timestamp": (
            "is over 100 years after $[0], the start of its cmi5 session; "
            "an attempt lasts at most 100 years"
        )
    }
    found = world([st("launched", 0), st("terminated", century + 11)], on_error="skip")
    assert found.sessions[0].attempts == (attempt(0, 0, 0),)
    # Within a century, a long session is an attempt like any other.
    assert attempts([st("launched", 0), st("initialized", century)]) == [
        attempt(0, century, century)
    ]


def test_passed_below_and_failed_at_the_mastery_score() -> None:
    # masteryScore 0.75: passed at 0.7499 is below; failed at 0.75 is at it.
    assert problems(
        [
            st("launched", 0, au=QUIZ),
            st("passed", 5, au=QUIZ, result={"score": {"scaled": 0.7499}}),
            st("launched", 10, au=QUIZ, session="s-2"),
            st(
                "failed",
                15,
                au=QUIZ,
                session="s-2",
                result={"score": {"raw": 15, "min": 0, "max": 20}},
            ),
        ]
    ) == {
        "$[1].result.score.scaled": (
            "passed with score 74.99 (from scaled), below the masteryScore (75)"
        ),
        "$[3].result.score.raw": (
            "failed with score 75 (from raw), at or above the masteryScore (75)"
        ),
    }
    # Without a masteryScore there is nothing to be below.
    course = course_with("Passed")
    assert attempts(
        [st("launched", 0, au="u"), st("passed", 5, au="u", result={"score": {"scaled": 0.1}})],
        course=course,
    ) == [attempt(0, 5, 5, block="u", score=10, completed=True)]


def test_a_cmi5_defined_verb_twice_in_a_session() -> None:
    assert problems(
        [
            st("launched", 0),
            st("initialized", 1),
            st("completed", 5),
            st("completed", 6),
            st("initialized", 7),
            st("satisfied", 8),  # the LMS's: may come more than once
            st("satisfied", 9),
            st("http://adlnet.gov/expapi/verbs/answered", 8, cmi5=False),  # allowed: never a repeat
            st("http://adlnet.gov/expapi/verbs/answered", 9, cmi5=False),
        ]
    ) == {
        "$[3].verb": (
            "completed after completed ($[2]) in one cmi5 session; the later one is left out"
        ),
        "$[4].verb": (
            "initialized after initialized ($[1]) in one cmi5 session; the later one is left out"
        ),
    }


def test_passed_and_failed_in_one_session() -> None:
    made = [
        st("launched", 0, au=QUIZ),
        st("failed", 5, au=QUIZ, result={"score": {"scaled": 0.5}}),
        st("passed", 6, au=QUIZ, result={"score": {"scaled": 0.9}}),
    ]
    assert problems(made) == {
        "$[2].verb": "passed after failed ($[1]) in one cmi5 session; the later one is left out"
    }
    found = world(made, on_error="skip")
    assert found.sessions[0].attempts == (attempt(0, 5, 5, block=QUIZ, score=50),)


def test_single_statement_checks_come_first() -> None:
    # The first passed is itself a problem (below the masteryScore): left out
    # before the repeat rule, in both modes, so the second is no repeat.
    made = [
        st("launched", 0, au=QUIZ),
        st("passed", 5, au=QUIZ, result={"score": {"scaled": 0.5}}),
        st("passed", 6, au=QUIZ, result={"score": {"scaled": 0.9}}),
    ]
    assert list(problems(made)) == ["$[1].result.score.scaled"]
    found = world(made, on_error="skip")
    assert found.sessions[0].attempts == (attempt(0, 6, 6, block=QUIZ, score=90, completed=True),)


# ------------------------------------------------------------------------ raise and skip


def test_raise_lists_every_problem_in_input_order() -> None:
    made = [st("launched", 0, au=QUIZ)] + [
        st("passed", n, au=QUIZ, session=f"s-{n}", result={"score": {"scaled": 2}})
        for n in range(1, 26)
    ]
    made.append(st("passed", 30, au=QUIZ, result={"score": {"scaled": 0.9}}))
    made.append(st("passed", 31, au=QUIZ, result={"score": {"scaled": 0.95}}))
    with pytest.raises(InvalidRecordsError) as info:
        world(made)
    error = info.value
    assert isinstance(error, InvalidInputError)
    assert len(error.problems) == 26
    assert [p.path for p in error.problems][:2] == [
        "$[1].result.score.scaled",
        "$[2].result.score.scaled",
    ]
    assert error.problems[-1].path == "$[27].verb"
    assert str(error).startswith("26 problems in the records:\n$[1].result.score.scaled: must be")
    assert str(error).endswith("... and 6 more")


def test_skip_leaves_the_bad_statements_out_and_names_them() -> None:
    good = [
        st("launched", 0),
        st("completed", 5),
        st("terminated", 6),
        st("launched", 0, user="bob", au=QUIZ, session="b"),
        st("passed", 8, user="bob", au=QUIZ, session="b", result={"score": {"scaled": 0.8}}),
    ]
    bad = [
        st("failed", 7, user="bob", au=QUIZ, session="b", result={"score": {"scaled": 0.9}}),
        st("completed", 7, session="elsewhere", au="https://elsewhere.example.com/au"),
    ]
    found = world([good[0], bad[0], *good[1:3], bad[1], *good[3:]], on_error="skip")
    # The rest is what the good statements alone give.
    assert found.sessions == world(good).sessions
    assert [(p.path, p.record_id) for p in found.problems] == [
        ("$[1].result.score.scaled", bad[0]["id"]),
        ("$[4].context.contextActivities.grouping", bad[1]["id"]),
    ]


# ------------------------------------------------------------------------ arguments


def test_every_argument_is_checked() -> None:
    def call(**changed: Any) -> None:
        arguments: dict[str, Any] = {
            "directory": DIRECTORY,
            "id": "s",
            "name": "S",
            "author_id": "olga",
            "start": BASE,
            "end": BASE,
        }
        arguments.update(changed)
        course = arguments.pop("course", COURSE)
        statements = arguments.pop("statements", [])
        session_from_statements(course, statements, **arguments)

    cases: list[tuple[dict[str, Any], str]] = [
        ({"on_error": "ignore"}, "on_error must be 'raise' or 'skip', got 'ignore'"),
        ({"start": datetime(2026, 3, 2)}, "start is a naive datetime"),
        ({"end": BASE - timedelta(days=1)}, "end .* is before start"),
        ({"directory": [DIRECTORY]}, "directory must be a Directory, got list"),
        ({"course": "cmi5.xml"}, "course must be a Course .see read_course., got str"),
        ({"author_id": "zoe"}, "author_id 'zoe' is not in the directory .valid ones are 'ana'"),
        ({"id": ""}, "id must be a non-empty identifier"),
        ({"template": "t"}, "template must be a ProgramTemplate"),
        ({"user_id": "name"}, "user_id must be a function"),
        ({"statements": st("launched", 0)}, "got a single dict; wrap one statement in a list"),
        ({"statements": "[]"}, "got a single str"),
        ({"statements": 7}, "got a single int"),
    ]
    for changed, message in cases:
        with pytest.raises(InvalidInputError, match=message):
            call(**changed)


def test_statements_that_cannot_be_read() -> None:
    def pages() -> Any:
        yield st("launched", 0)
        raise ConnectionError("the LRS went away")

    with pytest.raises(
        InvalidInputError, match=r"could not be read \(ConnectionError: 'the LRS went away'\)"
    ):
        world(pages())  # type: ignore[arg-type]


def test_statements_from_any_iterable() -> None:
    made = (s for s in [st("launched", 0), st("terminated", 4)])
    assert attempts(made) == [attempt(0, 4, 4)]  # type: ignore[arg-type]


# ------------------------------------------------------------------------ hostile values


HUGE = "x" * 1_000_000


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(timestamp=HUGE),
        lambda s: s.update(stored=HUGE),
        lambda s: s.update(id=[HUGE]),
        lambda s: s["actor"]["account"].update(name=HUGE),
        lambda s: s["actor"].update(account=HUGE),
        lambda s: s["verb"].update(id=[HUGE]),
        lambda s: s["context"]["extensions"].update({SESSION_ID: [HUGE]}),
        lambda s: s["context"]["contextActivities"].update(grouping=[{"id": HUGE}]),
        lambda s: s["context"].update(registration=[HUGE]),
        lambda s: s.update(result={"duration": HUGE}),
        lambda s: s.update(result={"score": {"scaled": HUGE}}),
        lambda s: s.update(result={"score": {"scaled": 10**5000}}),
        lambda s: s.update(result={"score": {"raw": 10**5000, "min": 0, "max": 1}}),
        lambda s: s.update(result={"score": {"raw": 1, "min": -(10**5000), "max": 10**5000}}),
        lambda s: s.update(result={"score": {"scaled": [[[[]]]]}}),
        lambda s: s.update(timestamp="9999-12-31T23:59:59-23:59"),
        lambda s: s.update(timestamp="0001-01-01T00:00:00+23:59"),
        lambda s: s.update(timestamp="2026-02-30T00:00:00Z"),
        lambda s: s.update(timestamp="2026-03-02T09:00:00+24:00"),
        lambda s: s.update(timestamp="2026-03-02T09:00:00+01:60"),
        lambda s: s.update(timestamp=20260302),
    ],
)
def test_messages_stay_short_whatever_the_input(change: Any) -> None:
    made = st("passed", 1, au=QUIZ, id="x" * 10_000)
    change(made)
    found = world([made], on_error="skip")
    assert found.problems, "the change makes the statement a problem"
    for problem in found.problems:
        assert len(problem.message) < 200, problem.message


def test_deep_and_odd_values_only_raise_invalid_input() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    one = st("launched", 0)
    one["extra"] = deep
    two = copy.copy(one)
    two["more"] = deep
    found = world([one, two], on_error="skip")  # the same id, content compared: too deep
    assert [p.path for p in found.problems] == ["$[1].id"]
