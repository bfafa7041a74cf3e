"""What the library leaves behind is freed by reference counting alone.

An object in a reference cycle waits for a collection of CPython's cyclic
collector; when the cycle holds a frame of a half-built session, or a
session's attempts, a service or a Dask worker carries that memory, and
every full collection walks it again. Each test runs with the collector
off and counts what a collection then finds unreachable: zero.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import attrs
import pytest

from programstats import Attempt, InvalidInputError
from programstats.examples import tiny_directory, tiny_session
from programstats.records import World, structure_world, to_record

T0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()  # what earlier tests left
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def unreachable_after(work: Callable[[], object]) -> int:
    """Objects in cycles that a second run of ``work`` left, once its result is dropped.

    The first run may fill lazy caches (types, converters) once per process.
    """
    work()
    gc.collect()
    work()
    return gc.collect()


def bad_attempt() -> str:
    try:
        Attempt(
            user_id="ana",
            block_id="course",
            started_at=T0,
            last_activity_at=T0 + timedelta(hours=1),
            time_spent=timedelta(minutes=30),
            score=140.0,
        )
    except InvalidInputError as error:
        return str(error)
    raise AssertionError("a score of 140 was accepted")


def bad_session() -> str:
    session = tiny_session()
    stranger = attrs.evolve(session.attempts[0], user_id="ghost")
    try:
        attrs.evolve(session, attempts=[*session.attempts, stranger])
    except InvalidInputError as error:
        return str(error)
    raise AssertionError("an attempt of a learner not registered was accepted")


def world_document(score: object) -> dict[str, object]:
    document = to_record(World(directory=tiny_directory(), sessions=(tiny_session(),)))
    assert isinstance(document, dict)
    document = json.loads(json.dumps(document))
    document["sessions"][0]["attempts"][0]["score"] = score
    return document


def test_a_caught_error_of_a_value_leaves_no_cycle(collector_off: None) -> None:
    assert "score" in bad_attempt()  # the error is the one expected
    assert unreachable_after(bad_attempt) == 0


def test_a_caught_error_of_a_session_leaves_no_cycle(collector_off: None) -> None:
    assert "ghost" in bad_session()
    assert unreachable_after(bad_session) == 0


def test_skipping_bad_records_leaves_no_cycle(collector_off: None) -> None:
    document = world_document("not a number")
    world = structure_world(document, on_error="skip")
    assert world.problems  # the bad record was found and left out
    del world
    assert unreachable_after(lambda: structure_world(document, on_error="skip")) == 0


def test_refused_records_leave_no_cycle(collector_off: None) -> None:
    document = world_document(-5)

    def refused() -> int:
        try:
            structure_world(document)
        except InvalidInputError as error:
            return len(getattr(error, "problems", ()))
        raise AssertionError("a negative score was accepted")

    assert refused() > 0
    assert unreachable_after(refused) == 0


def test_clean_records_leave_no_cycle(collector_off: None) -> None:
    document = world_document(50.0)
    assert unreachable_after(lambda: structure_world(document)) == 0
