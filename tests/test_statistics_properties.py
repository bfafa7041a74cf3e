"""Invariants of the session statistics, checked with Hypothesis."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

from programstats import (
    Attempt,
    BlockKind,
    Session,
    block_results,
    group_results,
    learner_results,
    session_overview,
)
from programstats.strategies import worlds

ZERO = timedelta(0)


def everything(session, directory):
    return (
        session_overview(session),
        group_results(session, directory),
        learner_results(session, directory),
        block_results(session),
    )


def shuffled(session: Session, seed: int) -> Session:
    rng = random.Random(seed)

    def mix(items):
        items = list(items)
        rng.shuffle(items)
        return items

    return attrs.evolve(
        session,
        attempts=mix(session.attempts),
        registrations=mix(session.registrations),
        attendances=mix(session.attendances),
        slots=mix(session.slots),
        waiting_list=mix(session.waiting_list),
        instructor_ids=mix(session.instructor_ids),
    )


@given(worlds(max_sessions=1, allow_ties=False), st.integers())
def test_input_order_changes_no_statistic(world, seed):
    directory, (session,) = world
    assert everything(shuffled(session, seed), directory) == everything(session, directory)


@given(worlds(max_sessions=1))
def test_no_learner_is_lost(world):
    directory, (session,) = world
    results = learner_results(session, directory)
    assert sorted(r.user_id for r in results) == sorted(r.user_id for r in session.registrations)
    assert all(len(r.blocks) == len(session.blocks) for r in results)
    unassigned = sum(1 for r in results if not r.registered)
    assert session_overview(session).registrations + unassigned == len(session.registrations)


@given(worlds(max_sessions=1))
def test_counts_add_up(world):
    directory, (session,) = world
    overview = session_overview(session)
    results = learner_results(session, directory)
    started = [r for r in results if r.started_at is not None]
    with_score = [r for r in started if r.score is not None]
    assert overview.attendees == len(started)
    assert sum(overview.level_distribution) == len(with_score)
    assert overview.completed == sum(1 for r in results if r.progress == 100)
    assert overview.completed <= overview.attendees
    assert overview.open_registrations <= overview.registrations
    for course in overview.progress_by_course:
        assert course.completed <= overview.attendees
    for block in block_results(session):
        assert block.completed <= len(results)
        if block.kind is not BlockKind.CLASSROOM:
            assert block.started <= len(results)
        if block.passed is not None:
            assert block.passed <= block.started


@given(worlds(max_sessions=1))
def test_bounds(world):
    directory, (session,) = world
    overview = session_overview(session)
    percentages = [course.percent for course in overview.progress_by_course]
    percentages += [overview.average_score]
    percentages += [score.average for score in overview.score_by_block]
    for group in group_results(session, directory):
        percentages += [group.attendance, group.progress, group.score]
        assert group.users <= overview.registrations
    for result in learner_results(session, directory):
        percentages += [result.progress, result.score]
        percentages += [block.score for block in result.blocks]
    for block in block_results(session):
        percentages += [block.average_score]
        percentages += [slot.average_percent for slot in block.slots]
    for value in percentages:
        assert value is None or 0 <= value <= 100


@given(worlds(max_sessions=1))
def test_median_time_lies_between_completers_times(world):
    directory, (session,) = world
    times = [r.time_spent for r in learner_results(session, directory) if r.progress == 100]
    median = session_overview(session).median_time
    if times:
        assert median is not None
        assert min(times) <= median <= max(times)
    else:
        assert median is None


@given(worlds(max_sessions=1))
def test_verified_implies_completed_and_started(world):
    directory, (session,) = world
    for result in learner_results(session, directory):
        if result.verified:
            assert result.progress == 100
        if result.progress > 0:
            assert result.started_at is not None
        assert (result.started_at is None) == (result.last_activity is None)
        if result.started_at is not None:
            assert result.started_at <= result.last_activity
        if result.ended_at is not None:
            assert result.ended_at <= result.last_activity


@given(worlds(max_sessions=1))
def test_time_spent_is_the_sum_of_latest_course_times(world):
    directory, (session,) = world
    kinds = {block.id: block.kind for block in session.blocks}
    for result in learner_results(session, directory):
        course_times = [
            b.time_spent for b in result.blocks if kinds[b.block_id] is BlockKind.COURSE
        ]
        assert all(result.time_spent >= time for time in course_times)
        assert result.time_spent == sum(course_times, ZERO)


@given(worlds(max_sessions=1, allow_ties=False), st.data())
def test_an_earlier_attempt_changes_no_score_or_time(world, data):
    directory, (session,) = world
    if not session.attempts:
        return
    target = data.draw(st.sampled_from(session.attempts))
    first = min(a.started_at for a in session.attempts if a.block_id == target.block_id)
    earlier = Attempt(
        user_id=target.user_id,
        block_id=target.block_id,
        started_at=first - timedelta(seconds=data.draw(st.integers(1, 10**6))),
        last_activity_at=first - timedelta(microseconds=1),
        time_spent=timedelta(seconds=data.draw(st.integers(0, 10**5))),
        score=data.draw(st.none() | st.floats(0, 100)),
        completed=False,
    )
    position = data.draw(st.integers(0, len(session.attempts)))
    attempts = list(session.attempts)
    attempts.insert(position, earlier)
    grown = attrs.evolve(session, attempts=attempts)

    def scores_and_times(s):
        overview = session_overview(s)
        learners = [
            (r.user_id, r.score, r.time_spent, [(b.score, b.time_spent) for b in r.blocks])
            for r in learner_results(s, directory)
        ]
        blocks = [(b.average_score, b.passed) for b in block_results(s)]
        return (
            overview.average_score,
            overview.score_by_block,
            overview.median_time,
            learners,
            blocks,
        )

    assert scores_and_times(grown) == scores_and_times(session)


@given(worlds(max_sessions=1))
def test_scores_are_exact_means(world):
    directory, (session,) = world
    scored = {
        block.id
        for block in session.blocks
        if block.kind is not BlockKind.CLASSROOM and block.scored
    }
    for result in learner_results(session, directory):
        values = [b.score for b in result.blocks if b.block_id in scored and b.score is not None]
        if values:
            assert result.score == math.fsum(values) / len(values)
        else:
            assert result.score is None
