"""The per-learner facts keep few objects the garbage collector has to walk.

A list per learner (the old buckets and rows of latest attempts) made
CPython's cyclic collector walk the caller's whole world about once per
statistics run; the facts now hold a fixed handful of containers whatever
the number of learners.
"""

from __future__ import annotations

import gc
import io
import weakref

import attrs

from programstats import (
    block_results,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    write_csv,
)
from programstats.facts import Layout, SessionFacts, facts_of
from programstats.synthetic import synthetic_world


def containers_of(facts: SessionFacts) -> int:
    """Lists, dicts, tuples and sets the facts hold, however deep (the session's values not walked).

    Counted by walking what the facts refer to, so the rest of the heap
    (other tests' garbage, caches) cannot change the figure.
    """
    seen = {id(facts)}
    stack: list[object] = [facts]
    count = 0
    while stack:
        for found in gc.get_referents(stack.pop()):
            if id(found) in seen or not gc.is_tracked(found):
                continue
            seen.add(id(found))
            if type(found) in (list, dict, tuple, set, frozenset):
                count += 1
                stack.append(found)
            elif isinstance(found, Layout):
                stack.append(found)
    return count


def tracked_after_facts(learners: int) -> int:
    (session,) = synthetic_world(learners=learners, sessions=1, seed=3, retry_rate=1.0).sessions
    facts = facts_of(attrs.evolve(session))
    facts.done_on(0)  # the per-block values computed on demand too
    facts.figures_on(facts.layout.scored_positions[0])
    return containers_of(facts)


def test_facts_hold_a_fixed_number_of_tracked_objects_whatever_the_learners() -> None:
    small = tracked_after_facts(50)
    large = tracked_after_facts(1_000)
    assert large == small
    assert large < 60  # a few per block: the layout, per-block lists and means


def test_latest_attempts_hold_one_row_per_learner_with_attempts_only() -> None:
    (session,) = synthetic_world(learners=60, sessions=1, seed=6, retry_rate=0.5).sessions
    facts = facts_of(session)
    with_attempts = {attempt.user_id for attempt in session.attempts}
    assert 0 < len(with_attempts) < len(session.registrations)
    assert len(facts.latest) == len(session.blocks) * len(with_attempts)


def test_a_session_is_freed_without_the_cyclic_collector_once_its_facts_were_used() -> None:
    """The facts a session keeps hold no reference back to it.

    With one, every session would sit in a reference cycle: freed only by a
    full collection, its attempts with it, so a process loading sessions
    one after another (a Dask worker, a service) walks all of them again
    at each full collection.
    """
    world = synthetic_world(learners=40, sessions=1, seed=8, retry_rate=0.5)
    session = attrs.evolve(world.sessions[0])
    session_overview(session)
    group_results(session, world.directory)
    learner_results(session, world.directory)
    block_results(session)
    write_csv(learner_export([session], world.directory), io.StringIO())
    assert session._facts_cache is not None
    gone = weakref.ref(session)
    enabled = gc.isenabled()
    gc.disable()  # only reference counting may free it
    try:
        del session
        assert gone() is None
    finally:
        if enabled:
            gc.enable()
