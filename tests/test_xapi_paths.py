"""Statements read the quick way and the careful way give the same attempts.

Valid statements of the usual shape are read by ``StatementReader._quick``;
anything else (here a ``dict`` subclass) by ``_careful``, which names every
problem. Each rule below is checked both ways.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from programstats import Attempt, Directory, User
from programstats.xapi import session_from_statements
from programstats.xapi.examples import example_course, statement
from programstats.xapi.statements import StatementReader, _plain

UTC = timezone.utc
BASE = datetime(2026, 3, 2, 9, tzinfo=UTC)
COURSE = example_course()
INTRO, QUIZ = (au.id for au in COURSE.aus)  # the quiz's masteryScore is 0.75
DIRECTORY = Directory(
    users=[
        User(id="ana", first_name="Ana", last_name="Alves", email="ana@example.com"),
        User(id="olga", first_name="Olga", last_name="Ode", email="olga@example.com"),
    ]
)
WAYS = ["quick", "careful"]


def st(way: str, verb: str, seconds: int, au: str = INTRO, **more: Any) -> dict[str, Any]:
    at = (BASE + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
    made = statement(verb, user="ana", au=au, session=f"s-{au}", at=at, **more)
    return made if way == "quick" else OrderedDict(made)  # a dict subclass: read carefully


def attempts(statements: list[Any]) -> list[Attempt]:
    world = session_from_statements(
        COURSE,
        statements,
        directory=DIRECTORY,
        id="s",
        name="S",
        author_id="olga",
        start=BASE - timedelta(days=1),
        end=BASE + timedelta(days=1),
    )
    assert world.problems == ()
    return list(world.sessions[0].attempts)


def test_valid_statements_of_the_usual_shape_are_read_the_quick_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def careful(*_: Any) -> Any:
        raise AssertionError("a valid statement of the usual shape was read the careful way")

    monkeypatch.setattr(StatementReader, "_careful", careful)
    found = attempts(
        [
            st("quick", "launched", 0, launch_mode="Normal", stored="2026-03-02T09:00:01Z"),
            st("quick", "initialized", 1),
            st("quick", "completed", 30),
            st("quick", "terminated", 40, result={"duration": "PT40S"}),
            st("quick", "launched", 50, au=QUIZ, launch_mode="Normal"),
            st("quick", "passed", 60, au=QUIZ, result={"score": {"scaled": 0.8}}),
            st("quick", "terminated", 70, au=QUIZ),
        ]
    )
    assert [(a.block_id, a.completed, a.score) for a in found] == [
        (INTRO, True, None),
        (QUIZ, True, 80),
    ]


@pytest.mark.parametrize("way", WAYS)
def test_a_score_on_a_statement_other_than_passed_or_failed_is_not_read(way: str) -> None:
    # Not read, so not checked either: scaled 5 would be a problem on passed.
    (found,) = attempts(
        [
            st(way, "launched", 0, au=QUIZ),
            st(way, "completed", 5, au=QUIZ, result={"score": {"scaled": 5}}),
        ]
    )
    assert (found.score, found.completed) == (None, False)  # moveOn Passed: not complete


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("category", [None, "https://example.com/other-category"])
def test_a_statement_without_the_cmi5_category_is_not_read_for_its_verb(
    way: str, category: str | None
) -> None:
    completed = st(way, "completed", 5, cmi5=False)
    if category is not None:
        completed["context"]["contextActivities"]["category"] = [{"id": category}]
    (found,) = attempts([st(way, "launched", 0), completed])
    assert found.completed is False


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("verb", "score", "expected"),
    [
        ("failed", {"scaled": 0}, 0),
        ("passed", {"scaled": 1}, 100),
        ("failed", {"raw": 2, "min": 2, "max": 6}, 0),
        ("passed", {"raw": 6, "min": 2, "max": 6}, 100),
    ],
)
def test_scores_at_the_ends_of_their_range(
    way: str, verb: str, score: dict[str, Any], expected: int
) -> None:
    (found,) = attempts(
        [st(way, "launched", 0, au=QUIZ), st(way, verb, 5, au=QUIZ, result={"score": score})]
    )
    assert found.score == expected


def test_numbers_in_messages_are_plain_up_to_20_characters() -> None:
    assert _plain(Decimal("12345678901234567890")) == "12345678901234567890"
    assert _plain(Decimal("123456789012345678901")) == "1.234567890e+20"
    assert _plain(Decimal("0.50")) == "0.5"


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("bounds", [{"min": 0}, {"max": 10}])
def test_a_raw_score_with_only_one_bound_is_a_problem(way: str, bounds: dict[str, int]) -> None:
    world = session_from_statements(
        COURSE,
        [
            st(way, "launched", 0, au=QUIZ),
            st(way, "passed", 5, au=QUIZ, result={"score": {"raw": 8, **bounds}}),
        ],
        directory=DIRECTORY,
        id="s",
        name="S",
        author_id="olga",
        start=BASE - timedelta(days=1),
        end=BASE + timedelta(days=1),
        on_error="skip",
    )
    (problem,) = world.problems
    assert problem.path == "$[1].result.score.raw"
    assert "comes without both min and max" in problem.message


def test_attempts_tied_on_everything_but_the_score_come_without_score_first() -> None:
    # Two cmi5 registrations of the quiz, launched and last active at the same
    # instants, neither complete: the order falls to the score, none first.
    def st_in(registration: str, verb: str, seconds: int, **more: Any) -> dict[str, Any]:
        at = (BASE + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
        return statement(
            verb, user="ana", au=QUIZ, session=registration, registration=registration, at=at,
            **more,
        )  # fmt: skip

    statements = [
        st_in("r-1", "launched", 0),
        st_in("r-1", "failed", 10, result={"score": {"scaled": 0.5}}),
        st_in("r-2", "launched", 0),
        st_in("r-2", "initialized", 10),
    ]
    for order in (statements, statements[::-1]):
        assert [a.score for a in attempts(order)] == [None, 50]
