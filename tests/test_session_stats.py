"""Hand-computed examples for SPEC §2 (per-learner facts) and §3 (session statistics).

Every expected value below was worked out by hand from the rules of SPEC.md;
the arithmetic is written next to each assertion.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from programstats import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Directory,
    Group,
    InvalidInputError,
    ProgramTemplate,
    Registration,
    Session,
    SlotAttendance,
    User,
)
from programstats.formatting import format_score
from programstats.session_stats import (
    BlockScore,
    CourseProgress,
    LearnerBlock,
    LearnerResult,
    block_results,
    group_results,
    learner_results,
    session_overview,
    shows_results,
)

# --------------------------------------------------------------------------- builders

UTC = timezone.utc
AUTHOR = "author"
TEMPLATE = ProgramTemplate(id="tpl", name="Onboarding")
ZERO = timedelta(0)


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def mins(n: int) -> timedelta:
    return timedelta(minutes=n)


def course(block_id: str = "c1", **options: Any) -> Block:
    return Block(id=block_id, title=f"Course {block_id}", kind=BlockKind.COURSE, **options)


def assessment(block_id: str = "a1", **options: Any) -> Block:
    return Block(id=block_id, title=f"Quiz {block_id}", kind=BlockKind.ASSESSMENT, **options)


def classroom(block_id: str = "w1") -> Block:
    return Block(id=block_id, title=f"Workshop {block_id}", kind=BlockKind.CLASSROOM)


def slot(slot_id: str, block_id: str = "w1", day: int = 10, hours: int = 3) -> ClassroomSlot:
    return ClassroomSlot(
        id=slot_id,
        block_id=block_id,
        title=f"Slot {slot_id}",
        start=at(day, 9),
        end=at(day, 9 + hours),
        duration_hours=hours,
    )


def reg(user_id: str, **options: Any) -> Registration:
    return Registration(user_id=user_id, registered_at=at(1), **options)


def attempt(
    user_id: str,
    block_id: str,
    started: datetime,
    last: datetime | None = None,
    *,
    spent: int = 0,
    score: float | None = None,
    completed: bool = False,
) -> Attempt:
    """An attempt; ``spent`` is in minutes, ``last`` defaults to ``started``."""
    return Attempt(
        user_id=user_id,
        block_id=block_id,
        started_at=started,
        last_activity_at=started if last is None else last,
        time_spent=mins(spent),
        score=score,
        completed=completed,
    )


def attend(user_id: str, slot_id: str, percent: float) -> SlotAttendance:
    return SlotAttendance(user_id=user_id, slot_id=slot_id, percent=percent)


def make_session(**overrides: Any) -> Session:
    """A session from 2 March 09:00 to 30 March 18:00 with one course by default.

    Without explicit ``registrations``, every user named by an attempt or an
    attendance gets an active registration (in order of first appearance).
    """
    fields: dict[str, Any] = {
        "id": "s1",
        "name": "March session",
        "template": TEMPLATE,
        "author_id": AUTHOR,
        "start": at(2),
        "end": at(30, 18),
        "blocks": (course("c1"),),
    }
    fields.update(overrides)
    if "registrations" not in fields:
        named = [a.user_id for a in fields.get("attempts", ())]
        named += [a.user_id for a in fields.get("attendances", ())]
        fields["registrations"] = tuple(reg(user_id) for user_id in dict.fromkeys(named))
    return Session(**fields)


def directory_for(session: Session, *users: User, groups: tuple[Group, ...] = ()) -> Directory:
    """The given users and groups, plus a plain user for the author and for every
    registered user not given explicitly."""
    given = {user.id: user for user in users}
    for user_id in [AUTHOR, *(r.user_id for r in session.registrations)]:
        if user_id not in given:
            given[user_id] = User(
                id=user_id, first_name=user_id, last_name="Learner", email=f"{user_id}@x.org"
            )
    return Directory(users=given.values(), groups=groups)


def learner(session: Session, user_id: str) -> LearnerResult:
    """The individual result of one learner."""
    (result,) = [
        r for r in learner_results(session, directory_for(session)) if r.user_id == user_id
    ]
    return result


def block_of(result: LearnerResult, block_id: str) -> LearnerBlock:
    (block,) = [b for b in result.blocks if b.block_id == block_id]
    return block


# --------------------------------------------------------------------------- §2 latest attempt


def test_latest_attempt_is_the_one_that_started_last_not_the_last_listed() -> None:
    session = make_session(
        attempts=[
            attempt("u1", "c1", at(5), spent=30, score=90),
            attempt("u1", "c1", at(4), at(20), spent=10, score=50),  # listed later, started earlier
        ]
    )
    result = learner(session, "u1")
    assert block_of(result, "c1").score == 90  # started 5 Mar > 4 Mar
    assert block_of(result, "c1").time_spent == mins(30)
    assert result.score == 90  # mean of (90)


def test_latest_attempt_breaks_a_started_at_tie_with_last_activity() -> None:
    session = make_session(
        attempts=[
            attempt("u1", "c1", at(5), at(7), spent=40, score=70),
            attempt("u1", "c1", at(5), at(6), spent=15, score=30),
        ]
    )
    result = learner(session, "u1")
    assert block_of(result, "c1").score == 70  # same start, last activity 7 Mar > 6 Mar
    assert result.time_spent == mins(40)


@pytest.mark.parametrize(
    ("first", "second", "expected_score", "expected_time"),
    [
        ((40, 10), (90, 25), 90, mins(25)),
        ((90, 25), (40, 10), 40, mins(10)),
    ],
)
def test_full_tie_goes_to_the_attempt_that_comes_later_in_session_attempts(
    first: tuple[int, int],
    second: tuple[int, int],
    expected_score: int,
    expected_time: timedelta,
) -> None:
    session = make_session(
        attempts=[
            attempt("u1", "c1", at(5), at(6), score=first[0], spent=first[1]),
            attempt("u1", "c1", at(5), at(6), score=second[0], spent=second[1]),
        ]
    )
    result = learner(session, "u1")
    # (started_at, last_activity_at) fully tied: the second listed attempt wins
    assert block_of(result, "c1").score == expected_score
    assert result.score == expected_score
    assert result.time_spent == expected_time
    (course_result,) = block_results(session)
    assert course_result.average_score == expected_score  # one learner: mean of (score)


# --------------------------------------------------------------------------- §2 retried course


def retried_course_session() -> Session:
    # u1 completed c1 first with 90 in 60 min, then retried it (40 in 10 min, not completed);
    # the retry is listed first so that neither list order nor "last listed" can help
    return make_session(
        attempts=[
            attempt("u1", "c1", at(10), at(11), spent=10, score=40, completed=False),
            attempt("u1", "c1", at(4), at(5), spent=60, score=90, completed=True),
        ]
    )


def test_retried_course_only_the_latest_attempt_gives_score_and_time() -> None:
    session = retried_course_session()
    result = learner(session, "u1")
    assert block_of(result, "c1").score == 40  # latest attempt (10 Mar), not 90
    assert block_of(result, "c1").time_spent == mins(10)  # not 60, not 60 + 10
    assert result.score == 40  # mean of (40)
    assert result.time_spent == mins(10)  # latest attempt only
    (course_result,) = block_results(session)
    assert course_result.average_score == 40
    assert course_result.average_time == mins(10)


def test_retried_course_is_completed_when_any_attempt_is_completed() -> None:
    session = retried_course_session()
    result = learner(session, "u1")
    assert block_of(result, "c1").completed is True  # the first attempt was completed
    assert result.progress == 100  # 100 * 1 / 1
    assert session_overview(session).completed == 1
    assert block_results(session)[0].completed == 1


# --------------------------------------------------------------------------- §2 classroom


def test_zero_percent_attendance_is_neither_a_start_nor_a_completion() -> None:
    session = make_session(
        blocks=[course("c1"), classroom("w1")],
        slots=[slot("s1")],
        attendances=[attend("u1", "s1", 0)],
    )
    result = learner(session, "u1")
    assert result.started_at is None
    assert result.last_activity is None
    assert result.progress == 0  # 100 * 0 / 2
    assert block_of(result, "w1").completed is False
    assert session_overview(session).attendees == 0
    workshop = block_results(session)[1]
    assert workshop.completed == 0
    assert workshop.slots[0].attendees == 1  # the 0 % record still counts as a record


def test_positive_attendance_is_a_start_and_completes_the_classroom_block() -> None:
    session = make_session(
        blocks=[course("c1"), classroom("w1")],
        slots=[slot("s1", day=12, hours=3)],
        attendances=[attend("u1", "s1", 50)],
    )
    result = learner(session, "u1")
    assert result.started_at == at(12, 9)  # slot start
    assert result.last_activity == at(12, 12)  # slot end
    assert result.ended_at is None  # no course attempt
    assert result.progress == 50  # 100 * 1 completed (classroom) / 2 blocks
    assert block_of(result, "w1").completed is True
    assert session_overview(session).attendees == 1
    assert block_results(session)[1].completed == 1


# --------------------------------------------------------------------------- §2 progress


def test_progress_is_the_share_of_completed_blocks_classroom_included() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1"), classroom("w1")],
        slots=[slot("s1")],
        attempts=[
            attempt("u1", "c1", at(4), completed=True),
            attempt("u1", "a1", at(5), completed=False),
        ],
        attendances=[attend("u1", "s1", 100)],
    )
    # c1 and w1 completed, a1 not: 100 * 2 / 3
    assert learner(session, "u1").progress == pytest.approx(200 / 3)


def test_progress_is_zero_for_a_session_without_blocks() -> None:
    session = make_session(blocks=(), registrations=[reg("u1")])
    result = learner(session, "u1")
    assert result.progress == 0  # no blocks: 0 by definition
    assert result.blocks == ()
    overview = session_overview(session)
    assert overview.completed == 0  # progress 0 is not 100
    assert overview.median_time is None


# --------------------------------------------------------------------------- §2 score


def test_score_is_the_mean_of_course_and_assessment_block_scores() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1"), classroom("w1")],
        slots=[slot("s1")],
        attempts=[
            attempt("u1", "c1", at(4), score=80),
            attempt("u1", "a1", at(5), score=50),
        ],
        attendances=[attend("u1", "s1", 100)],
    )
    result = learner(session, "u1")
    assert result.score == 65  # (80 + 50) / 2, the classroom block gives no score
    assert block_of(result, "w1").score is None


def test_unscored_block_gives_no_block_score() -> None:
    session = make_session(
        blocks=[course("c1", scored=False), assessment("a1")],
        attempts=[
            attempt("u1", "c1", at(4), score=100),
            attempt("u1", "a1", at(5), score=60),
        ],
    )
    result = learner(session, "u1")
    assert block_of(result, "c1").score is None  # scored=False
    assert result.score == 60  # mean of (60); the 100 of the unscored course is ignored


def test_score_is_none_when_no_block_has_a_score() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1")],
        attempts=[attempt("u1", "c1", at(4), score=None, completed=True)],
    )
    result = learner(session, "u1")
    assert result.score is None
    assert block_of(result, "c1").score is None
    assert block_of(result, "a1").score is None  # no attempt


# --------------------------------------------------------------------------- §2 time spent


def test_time_spent_sums_course_blocks_only() -> None:
    session = make_session(
        blocks=[course("c1"), course("c2"), assessment("a1")],
        attempts=[
            attempt("u1", "c1", at(4), spent=30),
            attempt("u1", "c2", at(5), spent=15),
            attempt("u1", "a1", at(6), spent=20),
        ],
    )
    result = learner(session, "u1")
    assert result.time_spent == mins(45)  # 30 + 15; the assessment's 20 is not counted
    assert block_of(result, "a1").time_spent == mins(20)  # but it is its block time


# --------------------------------------------------------------------------- §2 dates


def test_start_end_and_last_activity() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1"), classroom("w1")],
        slots=[slot("early", day=3), slot("mid", day=26), slot("late", day=28)],
        attempts=[
            attempt("u1", "c1", at(5, 10), at(20, 10), completed=True),
            attempt("u1", "c1", at(10, 10), at(11, 10)),  # latest attempt on c1
            attempt("u1", "a1", at(4, 10), at(25, 10)),
        ],
        attendances=[
            attend("u1", "early", 0),
            attend("u1", "mid", 100),
            attend("u1", "late", 0),
        ],
    )
    result = learner(session, "u1")
    # min(5 Mar 10:00, 10 Mar 10:00, 4 Mar 10:00, slot "mid" 26 Mar 09:00);
    # the 0 % slot of 3 Mar 09:00 is not attended
    assert result.started_at == at(4, 10)
    # max last activity over COURSE attempts, all of them: max(20 Mar, 11 Mar);
    # the assessment's 25 Mar does not count
    assert result.ended_at == at(20, 10)
    # max(20 Mar 10:00, 11 Mar 10:00, 25 Mar 10:00, end of "mid" 26 Mar 12:00);
    # the 0 % slot ending 28 Mar 12:00 is not attended
    assert result.last_activity == at(26, 12)


def test_start_can_come_from_an_attended_slot() -> None:
    session = make_session(
        blocks=[course("c1"), classroom("w1")],
        slots=[slot("s1", day=3, hours=2)],
        attempts=[attempt("u1", "c1", at(5, 10), at(5, 11))],
        attendances=[attend("u1", "s1", 25)],
    )
    result = learner(session, "u1")
    assert result.started_at == at(3, 9)  # min(slot start 3 Mar 09:00, attempt 5 Mar 10:00)
    assert result.ended_at == at(5, 11)
    assert result.last_activity == at(5, 11)  # max(slot end 3 Mar 11:00, 5 Mar 11:00)


def test_end_is_none_with_only_assessment_attempts() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1")],
        attempts=[attempt("u1", "a1", at(6), at(7))],
    )
    result = learner(session, "u1")
    assert result.started_at == at(6)
    assert result.ended_at is None  # no COURSE attempt
    assert result.last_activity == at(7)


def test_learner_who_did_not_start_has_no_dates_and_empty_facts() -> None:
    session = make_session(
        blocks=[course("c1"), classroom("w1")],
        slots=[slot("s1")],
        registrations=[reg("u1")],
    )
    result = learner(session, "u1")
    assert result.started_at is None
    assert result.ended_at is None
    assert result.last_activity is None
    assert result.progress == 0
    assert result.score is None
    assert result.time_spent == ZERO
    assert result.verified is False


# --------------------------------------------------------------------------- §2 verified


def exam_session(*attempts: Attempt) -> Session:
    return make_session(
        blocks=[
            course("exam", examination_mode=True, passing_score=70),
            assessment("quiz", passing_score=50),
        ],
        attempts=attempts,
    )


def test_verified_when_exam_course_and_assessment_reach_their_passing_scores() -> None:
    session = exam_session(
        attempt("u1", "exam", at(4), score=70, completed=True),  # 70 >= 70
        attempt("u1", "quiz", at(5), score=50, completed=True),  # 50 >= 50
    )
    result = learner(session, "u1")
    assert result.progress == 100
    assert result.verified is True


def test_failing_an_exam_course_completes_but_does_not_verify() -> None:
    session = exam_session(
        # u1: latest exam score 69.5 < 70
        attempt("u1", "exam", at(4), score=69.5, completed=True),
        attempt("u1", "quiz", at(5), score=80, completed=True),
        # u2: passed the exam first (95) but the latest attempt scores 60 < 70
        attempt("u2", "exam", at(4), score=95, completed=True),
        attempt("u2", "exam", at(8), score=60),
        attempt("u2", "quiz", at(5), score=80, completed=True),
    )
    for user_id in ("u1", "u2"):
        result = learner(session, user_id)
        assert result.progress == 100  # both blocks completed (some attempt completed)
        assert result.verified is False
    assert session_overview(session).completed == 2  # completed, though not verified


def test_failing_an_assessment_does_not_verify() -> None:
    session = exam_session(
        attempt("u1", "exam", at(4), score=90, completed=True),
        attempt("u1", "quiz", at(5), score=49.5, completed=True),  # 49.5 < 50
    )
    result = learner(session, "u1")
    assert result.progress == 100
    assert result.verified is False


def test_assessment_without_passing_score_is_passed_once_completed() -> None:
    session = make_session(
        blocks=[assessment("quiz")],
        attempts=[attempt("u1", "quiz", at(5), score=10, completed=True)],
    )
    assert learner(session, "u1").verified is True  # completed, no passing score to reach


def test_course_outside_examination_mode_does_not_need_its_passing_score() -> None:
    session = make_session(
        blocks=[course("c1", passing_score=90)],
        attempts=[attempt("u1", "c1", at(5), score=10, completed=True)],
    )
    assert learner(session, "u1").verified is True  # only exam-mode courses must be passed


def test_progress_below_100_is_never_verified() -> None:
    session = make_session(
        blocks=[course("c1"), classroom("w1")],
        slots=[slot("s1")],
        attempts=[attempt("u1", "c1", at(5), score=100, completed=True)],
    )
    result = learner(session, "u1")
    assert result.progress == 50  # 100 * 1 / 2
    assert result.verified is False


# ------------------------------------------------------------------------- §2 deleted / unassigned


def test_deleted_user_still_counts_as_attendee_and_shows_deleted_at() -> None:
    session = make_session(attempts=[attempt("gone", "c1", at(4), score=80, completed=True)])
    deleted = User(
        id="gone", first_name="Gil", last_name="Gone", email="g@x.org", deleted_at=at(15)
    )
    overview = session_overview(session)
    assert overview.attendees == 1
    assert overview.completed == 1
    assert overview.average_score == 80
    (result,) = learner_results(session, directory_for(session, deleted))
    assert result.user_id == "gone"
    assert result.deleted_at == at(15)
    assert result.progress == 100


def test_unassigned_user_is_shown_not_registered_but_counts_as_attendee_and_completion() -> None:
    session = make_session(
        registrations=[reg("active"), reg("left", unregistered_at=at(20))],
        attempts=[
            attempt("active", "c1", at(4)),
            attempt("left", "c1", at(5), spent=12, completed=True),
        ],
    )
    overview = session_overview(session)
    assert overview.registrations == 1  # only "active"
    assert overview.attendees == 2  # "active" and "left" both started
    assert overview.completed == 1  # "left"
    assert overview.median_time == mins(12)  # median of (12)
    assert learner(session, "left").registered is False
    assert learner(session, "left").progress == 100
    assert learner(session, "active").registered is True


# --------------------------------------------------------------------------- §3 overview


def test_overview_registration_counts_and_certificates() -> None:
    session = make_session(
        registrations=[
            reg("r1"),
            reg("r2", via_catalog=True),
            reg("r3"),
            reg("r4", via_catalog=True, unregistered_at=at(3)),
        ],
        waiting_list=["w1", "w2"],
        certificate_user_ids={"r1", "r4"},
    )
    overview = session_overview(session)
    assert overview.registrations == 3  # r1, r2, r3 (r4 unassigned)
    assert overview.open_registrations == 1  # r2 (r4 came via the catalog but left)
    assert overview.waiting_list == 2
    assert overview.certificates == 2
    assert overview.attendees == 0  # nobody started


def test_progress_by_course() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1"), course("c2"), classroom("w1")],
        slots=[slot("s1")],
        registrations=[
            reg("u1"),
            reg("u2"),
            reg("u3"),
            reg("u4"),
            reg("u5", unregistered_at=at(9)),
        ],
        attempts=[
            attempt("u1", "c1", at(4), completed=True),
            attempt("u1", "a1", at(5), completed=True),
            attempt("u2", "c1", at(4), completed=True),
            attempt("u5", "c2", at(4), completed=True),
        ],
        attendances=[attend("u3", "s1", 100)],
    )
    overview = session_overview(session)
    assert overview.attendees == 4  # u1, u2, u3 (classroom), u5 (unassigned); u4 never started
    assert overview.progress_by_course == (
        CourseProgress(block_id="c1", title="Course c1", completed=2, percent=50.0),  # 100*2/4
        CourseProgress(block_id="c2", title="Course c2", completed=1, percent=25.0),  # 100*1/4
    )


def test_progress_by_course_percent_is_none_without_attendee() -> None:
    session = make_session(registrations=[reg("u1")])
    overview = session_overview(session)
    assert overview.attendees == 0
    assert overview.progress_by_course == (
        CourseProgress(block_id="c1", title="Course c1", completed=0, percent=None),
    )


def test_completed_counts_learners_at_100_percent() -> None:
    session = make_session(
        blocks=[course("c1"), course("c2")],
        attempts=[
            attempt("u1", "c1", at(4), completed=True),
            attempt("u1", "c2", at(5), completed=True),
            attempt("u2", "c1", at(4), completed=True),  # 50 %
            attempt("u3", "c1", at(4)),
            attempt("u3", "c2", at(4)),  # started both, completed none
        ],
    )
    assert session_overview(session).completed == 1  # u1 only


def test_median_time_with_an_odd_number_of_completers() -> None:
    session = make_session(
        attempts=[
            attempt("u1", "c1", at(4), spent=10, completed=True),
            attempt("u2", "c1", at(4), spent=50, completed=True),
            attempt("u3", "c1", at(4), spent=20, completed=True),
            attempt("u4", "c1", at(4), spent=100),  # not completed: not in the median
        ]
    )
    assert session_overview(session).median_time == mins(20)  # sorted 10, 20, 50


def test_median_time_with_an_even_number_of_completers_uses_course_time_only() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1")],
        attempts=[
            attempt("u1", "c1", at(4), spent=10, completed=True),
            attempt("u2", "c1", at(4), spent=40, completed=True),
            attempt("u3", "c1", at(4), spent=20, completed=True),
            attempt("u4", "c1", at(4), spent=90, completed=True),
            attempt("u1", "a1", at(5), spent=5, completed=True),
            attempt("u2", "a1", at(5), spent=5, completed=True),
            attempt("u3", "a1", at(5), spent=5, completed=True),
            attempt("u4", "a1", at(5), spent=600, completed=True),
        ],
    )
    # course times sorted 10, 20, 40, 90: (20 + 40) / 2 = 30
    # (counting assessments would give 15, 25, 45, 690: (25 + 45) / 2 = 35)
    assert session_overview(session).median_time == mins(30)


def test_median_time_is_none_when_nobody_completed() -> None:
    session = make_session(attempts=[attempt("u1", "c1", at(4), spent=10)])
    assert session_overview(session).median_time is None


def test_average_score_is_the_mean_over_attendees_with_a_score() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1")],
        registrations=[reg("u1"), reg("u2"), reg("u3"), reg("u4")],
        attempts=[
            attempt("u1", "c1", at(4), score=80),
            attempt("u1", "a1", at(5), score=50),  # u1: (80 + 50) / 2 = 65
            attempt("u2", "c1", at(4), score=80),  # u2: 80
            attempt("u3", "c1", at(4)),  # u3: started, no score
        ],
    )
    overview = session_overview(session)
    assert overview.average_score == 72.5  # (65 + 80) / 2
    assert format_score(overview.average_score) == "73"  # 72.5 rounded half-up


def test_average_score_is_none_and_shown_as_dash_without_scored_block() -> None:
    session = make_session(
        blocks=[course("c1", scored=False), classroom("w1")],
        slots=[slot("s1")],
        attempts=[attempt("u1", "c1", at(4), score=90, completed=True)],
        attendances=[attend("u1", "s1", 100)],
    )
    overview = session_overview(session)
    assert overview.attendees == 1
    assert overview.average_score is None
    assert format_score(overview.average_score) == "-"
    assert overview.score_by_block == ()  # no scored course or assessment
    assert overview.level_distribution == (0, 0, 0, 0, 0)


def test_score_by_block() -> None:
    session = make_session(
        blocks=[
            course("c1"),
            course("c2", scored=False),
            classroom("w1"),
            assessment("a1"),
            course("c3"),
        ],
        registrations=[reg("u1"), reg("u2"), reg("u3", unregistered_at=at(20)), reg("u4")],
        attempts=[
            attempt("u1", "c1", at(3), score=10),  # earlier attempt: ignored
            attempt("u1", "c1", at(4), score=70),
            attempt("u2", "c1", at(4), score=90),
            attempt("u3", "c1", at(4), score=20),
            attempt("u4", "c1", at(4)),  # no score
            attempt("u1", "c2", at(4), score=100),  # unscored block
            attempt("u1", "a1", at(5), score=55),
            attempt("u2", "c3", at(6)),  # no score
        ],
    )
    assert session_overview(session).score_by_block == (
        BlockScore(block_id="c1", title="Course c1", average=60.0),  # (70 + 90 + 20) / 3
        BlockScore(block_id="a1", title="Quiz a1", average=55.0),  # 55 / 1
        BlockScore(block_id="c3", title="Course c3", average=None),  # nobody has a score
    )


def test_level_distribution_band_edges() -> None:
    scores = [0, 19.99, 20, 40, 60, 79.99, 80, 100]
    attempts = [attempt(f"u{i}", "c1", at(4), score=s) for i, s in enumerate(scores)]
    attempts.append(attempt("unscored", "c1", at(4)))
    overview = session_overview(make_session(attempts=attempts))
    assert overview.attendees == 9
    # [0,20): 0, 19.99 | [20,40): 20 | [40,60): 40 | [60,80): 60, 79.99 | [80,100]: 80, 100
    assert overview.level_distribution == (2, 1, 1, 2, 2)  # sums to 8, "unscored" in no band


# --------------------------------------------------------------------------- §3 shows_results


def test_shows_results_is_false_before_anyone_started_and_before_end() -> None:
    session = make_session(registrations=[reg("u1")])
    assert shows_results(session, at(1)) is False  # before the start
    assert shows_results(session, at(15)) is False  # in progress, nobody started


def test_shows_results_once_one_learner_has_an_attempt() -> None:
    session = make_session(
        registrations=[reg("u1"), reg("u2")], attempts=[attempt("u1", "c1", at(3))]
    )
    assert shows_results(session, at(15)) is True


def test_shows_results_at_the_end_exactly() -> None:
    session = make_session(registrations=[reg("u1")])
    assert shows_results(session, at(30, 18) - timedelta(microseconds=1)) is False
    assert shows_results(session, at(30, 18)) is True  # now == end


def test_zero_percent_attendance_alone_does_not_show_results() -> None:
    def with_percent(percent: float) -> Session:
        return make_session(
            blocks=[classroom("w1")],
            slots=[slot("s1")],
            attendances=[attend("u1", "s1", percent)],
        )

    assert shows_results(with_percent(0), at(15)) is False
    assert shows_results(with_percent(10), at(15)) is True


def test_shows_results_rejects_a_naive_now() -> None:
    session = make_session(registrations=[reg("u1")])
    with pytest.raises(InvalidInputError):
        shows_results(session, datetime(2026, 3, 15, 9))


# --------------------------------------------------------------------------- §3 group_results


def member(user_id: str, *group_ids: str) -> User:
    return User(
        id=user_id,
        first_name=user_id,
        last_name="Member",
        email=f"{user_id}@x.org",
        group_ids=frozenset(group_ids),
    )


def test_group_results_count_direct_members_only() -> None:
    groups = (
        Group(id="company", name="Company"),
        Group(id="sales", name="Sales", parent_id="company"),
    )
    session = make_session(
        group_ids={"company", "sales"},
        registrations=[reg("u1"), reg("u2"), reg("u3")],
        attempts=[attempt("u1", "c1", at(4))],
    )
    directory = directory_for(
        session,
        member("u1", "sales"),
        member("u2", "company"),
        member("u3", "sales"),
        groups=groups,
    )
    company, sales = group_results(session, directory)
    assert (company.group_id, company.users, company.attendance) == ("company", 1, 0.0)  # u2: 0/1
    assert (sales.group_id, sales.users, sales.attendance) == ("sales", 2, 50.0)  # 100 * 1 / 2


def test_group_results_count_currently_registered_users_only() -> None:
    session = make_session(
        group_ids={"g"},
        registrations=[reg("u1"), reg("left", unregistered_at=at(10))],
        attempts=[attempt("left", "c1", at(4), score=90, completed=True)],
    )
    directory = directory_for(
        session,
        member("u1", "g"),
        member("left", "g"),
        member("outsider", "g"),  # in the group, never registered
        groups=(Group(id="g", name="G"),),
    )
    (result,) = group_results(session, directory)
    assert result.users == 1  # u1 only
    assert result.attendance == 0.0  # 100 * 0 / 1
    assert result.progress is None  # nobody started
    assert result.score is None


def test_group_results_attendance_progress_and_score() -> None:
    session = make_session(
        blocks=[course("c1"), classroom("w1")],
        slots=[slot("s1")],
        group_ids={"g"},
        registrations=[reg("a"), reg("b"), reg("c"), reg("d")],
        attempts=[
            attempt("a", "c1", at(4), score=80, completed=True),
            attempt("d", "c1", at(4), score=40),
        ],
        attendances=[attend("a", "s1", 100), attend("b", "s1", 100)],
    )
    # a: progress 100, score 80 | b: 50, None | c: not started | d: 0, 40
    directory = directory_for(
        session, *(member(u, "g") for u in "abcd"), groups=(Group(id="g", name="G"),)
    )
    (result,) = group_results(session, directory)
    assert result.name == "G"
    assert result.users == 4
    assert result.attendance == 75.0  # 100 * 3 / 4
    assert result.progress == 50.0  # (100 + 50 + 0) / 3, c not started
    assert result.score == 60.0  # (80 + 40) / 2, b has no score
    assert result.level == 0


def test_group_results_none_values_without_user_or_starter() -> None:
    groups = (Group(id="empty", name="Empty"), Group(id="idle", name="Idle"))
    session = make_session(group_ids={"empty", "idle"}, registrations=[reg("u1")])
    directory = directory_for(session, member("u1", "idle"), groups=groups)
    empty, idle = group_results(session, directory)
    assert (empty.group_id, empty.users, empty.attendance) == ("empty", 0, None)
    assert (empty.progress, empty.score) == (None, None)
    assert (idle.group_id, idle.users, idle.attendance) == ("idle", 1, 0.0)  # 100 * 0 / 1
    assert (idle.progress, idle.score) == (None, None)


def test_group_results_levels_and_ordering() -> None:
    groups = (
        Group(id="zeta", name="Zeta"),
        Group(id="alpha", name="Alpha"),
        Group(id="beta", name="Beta", parent_id="alpha"),
        Group(id="t2", name="Team", parent_id="zeta"),
        Group(id="t1", name="Team", parent_id="alpha"),
        Group(id="aard", name="Aardvark", parent_id="beta"),
        Group(id="other", name="Other"),  # not assigned: no line
    )
    session = make_session(
        group_ids={"zeta", "alpha", "beta", "t2", "t1", "aard"},
        catalog_group_ids={"other"},
        registrations=[reg("u1")],
    )
    results = group_results(session, directory_for(session, groups=groups))
    assert [(g.group_id, g.name, g.level) for g in results] == [
        ("alpha", "Alpha", 0),
        ("zeta", "Zeta", 0),
        ("beta", "Beta", 1),
        ("t1", "Team", 1),  # same name: by id
        ("t2", "Team", 1),
        ("aard", "Aardvark", 2),  # alphabetically first, but deepest
    ]


# --------------------------------------------------------------------------- §3 learner_results


def test_learner_results_sorted_by_case_folded_last_then_first_name_then_id() -> None:
    people = [
        User(id="u1", first_name="Bob", last_name="Baker", email="1@x.org"),
        User(id="u3", first_name="anna", last_name="Baker", email="3@x.org"),
        User(id="u2", first_name="Zed", last_name="adams", email="2@x.org"),
        User(id="u0", first_name="Anna", last_name="BAKER", email="0@x.org"),
    ]
    session = make_session(registrations=[reg(p.id) for p in people])
    results = learner_results(session, directory_for(session, *people))
    # adams < baker; within "baker": anna < bob; "anna" == "anna": u0 < u3
    assert [r.user_id for r in results] == ["u2", "u0", "u3", "u1"]
    assert (results[0].first_name, results[0].last_name) == ("Zed", "adams")


def test_learner_blocks_in_block_order() -> None:
    session = make_session(
        blocks=[course("c1"), classroom("w1"), assessment("a1")],
        slots=[slot("s1")],
        registrations=[reg("u1"), reg("u2")],
        attempts=[
            attempt("u1", "c1", at(4), spent=40, score=75, completed=True),
            attempt("u1", "a1", at(5), spent=15, score=30),
        ],
        attendances=[attend("u1", "s1", 100)],
    )
    assert learner(session, "u1").blocks == (
        LearnerBlock(block_id="c1", score=75.0, time_spent=mins(40), completed=True),
        LearnerBlock(block_id="w1", score=None, time_spent=ZERO, completed=True),
        LearnerBlock(block_id="a1", score=30.0, time_spent=mins(15), completed=False),
    )
    assert learner(session, "u2").blocks == (
        LearnerBlock(block_id="c1", score=None, time_spent=ZERO, completed=False),
        LearnerBlock(block_id="w1", score=None, time_spent=ZERO, completed=False),
        LearnerBlock(block_id="a1", score=None, time_spent=ZERO, completed=False),
    )


def test_learner_result_fields() -> None:
    session = make_session(
        blocks=[course("c1"), assessment("a1")],
        attempts=[
            attempt("u1", "c1", at(4, 10), at(6, 10), spent=30, score=90, completed=True),
            attempt("u1", "a1", at(7, 10), at(7, 11), spent=20, score=70, completed=True),
        ],
    )
    ana = User(id="u1", first_name="Ana", last_name="Alves", email="ana@x.org")
    (result,) = learner_results(session, directory_for(session, ana))
    assert result == LearnerResult(
        user_id="u1",
        first_name="Ana",
        last_name="Alves",
        registered=True,
        deleted_at=None,
        progress=100.0,  # 100 * 2 / 2
        score=80.0,  # (90 + 70) / 2
        time_spent=mins(30),  # course only
        started_at=at(4, 10),
        ended_at=at(6, 10),  # last course activity
        last_activity=at(7, 11),
        verified=True,  # no exam course, assessment without passing score completed
        blocks=(
            LearnerBlock(block_id="c1", score=90.0, time_spent=mins(30), completed=True),
            LearnerBlock(block_id="a1", score=70.0, time_spent=mins(20), completed=True),
        ),
    )


# --------------------------------------------------------------------------- §3 block_results


def test_block_results_for_a_course() -> None:
    session = make_session(
        blocks=[course("c1", passing_score=65)],
        registrations=[reg("a"), reg("b"), reg("c"), reg("d")],
        attempts=[
            attempt("a", "c1", at(4), spent=30, score=80, completed=True),
            attempt("b", "c1", at(3), spent=50, score=90),  # earlier attempt: ignored
            attempt("b", "c1", at(5), spent=10, score=60),
            attempt("c", "c1", at(4), spent=20),  # no score
        ],
    )
    (result,) = block_results(session)
    assert (result.block_id, result.title, result.kind) == ("c1", "Course c1", BlockKind.COURSE)
    assert result.started == 3  # a, b, c (d never started)
    assert result.completed == 1  # a
    assert result.average_score == 70.0  # (80 + 60) / 2
    assert result.average_time == mins(20)  # (30 + 10 + 20) / 3
    assert result.passed == 1  # a: 80 >= 65; b's latest 60 < 65
    assert result.slots == ()


def test_block_results_without_passing_score_scores_or_starters() -> None:
    session = make_session(
        blocks=[assessment("a1"), course("c2", scored=False), course("c3")],
        attempts=[
            attempt("u1", "a1", at(4), spent=6, score=30, completed=True),
            attempt("u2", "a1", at(4), spent=9, score=45),
            attempt("u1", "c2", at(4), spent=5, score=100),
        ],
    )
    quiz, unscored, untouched = block_results(session)
    assert quiz.average_score == 37.5  # (30 + 45) / 2
    assert quiz.average_time == timedelta(minutes=7, seconds=30)  # (6 + 9) / 2 minutes
    assert quiz.passed is None  # no passing_score
    assert (quiz.started, quiz.completed) == (2, 1)
    assert unscored.average_score is None  # scored=False
    assert unscored.average_time == mins(5)
    assert unscored.started == 1
    assert (untouched.started, untouched.completed) == (0, 0)
    assert untouched.average_score is None
    assert untouched.average_time is None
    assert untouched.passed is None


def test_block_results_for_a_classroom_block() -> None:
    session = make_session(
        blocks=[classroom("w1"), classroom("w2")],
        slots=[
            slot("late", "w1", day=20),  # listed first, starts later
            slot("other", "w2", day=15),
            slot("early", "w1", day=10),
        ],
        attendances=[
            attend("a", "early", 100),
            attend("b", "early", 0),
            attend("c", "early", 50),
            attend("a", "other", 80),
        ],
    )
    w1, w2 = block_results(session)
    assert w1.kind is BlockKind.CLASSROOM
    assert [s.slot_id for s in w1.slots] == ["early", "late"]  # by start
    early, late = w1.slots
    assert (early.title, early.attendees) == ("Slot early", 3)  # a, b (0 %) and c
    assert early.average_percent == 50.0  # (100 + 0 + 50) / 3
    assert (late.attendees, late.average_percent) == (0, None)
    assert w1.completed == 2  # a and c attended above 0 %
    assert (w1.average_score, w1.passed) == (None, None)
    assert [(s.slot_id, s.attendees, s.average_percent) for s in w2.slots] == [("other", 1, 80.0)]


# --------------------------------------------------------------------------- §1 directory checks


def test_learner_and_group_results_reject_a_directory_without_a_registered_user() -> None:
    session = make_session(registrations=[reg("u1"), reg("ghost")])
    directory = Directory(
        users=[
            User(id=AUTHOR, first_name="A", last_name="A", email="a@x.org"),
            User(id="u1", first_name="U", last_name="U", email="u@x.org"),
        ]
    )
    with pytest.raises(InvalidInputError):
        learner_results(session, directory)
    with pytest.raises(InvalidInputError):
        group_results(session, directory)


def test_learner_and_group_results_reject_a_directory_without_an_assigned_group() -> None:
    session = make_session(registrations=[reg("u1")], group_ids={"known", "missing"})
    directory = directory_for(session, groups=(Group(id="known", name="Known"),))
    with pytest.raises(InvalidInputError):
        group_results(session, directory)
    with pytest.raises(InvalidInputError):
        learner_results(session, directory)
