"""The per-learner facts keep few objects the garbage collector has to walk.

A list per learner (the old buckets and rows of latest attempts) made
CPython's cyclic collector walk the caller's whole world about once per
statistics run; the facts now hold a fixed handful of containers whatever
the number of learners.
"""

from __future__ import annotations

import gc

import attrs

from programstats.facts import facts_of
from programstats.synthetic import synthetic_world


def tracked_after_facts(learners: int) -> int:
    (session,) = synthetic_world(learners=learners, sessions=1, seed=3, retry_rate=1.0).sessions
    fresh = attrs.evolve(session)
    gc.collect()
    before = len(gc.get_objects())
    facts = facts_of(fresh)
    gc.collect()
    grown = len(gc.get_objects()) - before
    assert facts is facts_of(fresh)
    return grown


def test_facts_hold_a_fixed_number_of_tracked_objects_whatever_the_learners() -> None:
    small = tracked_after_facts(50)
    large = tracked_after_facts(1_000)
    assert large == small
    assert large < 40


def test_latest_attempts_hold_one_row_per_learner_with_attempts_only() -> None:
    (session,) = synthetic_world(learners=60, sessions=1, seed=6, retry_rate=0.5).sessions
    facts = facts_of(session)
    with_attempts = {attempt.user_id for attempt in session.attempts}
    assert 0 < len(with_attempts) < len(session.registrations)
    assert len(facts.latest) == len(session.blocks) * len(with_attempts)
