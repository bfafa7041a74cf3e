"""Properties of session_from_statements over generated statement sets (Hypothesis).

- the input order does not matter (timestamps kept; a statement given twice
  is one);
- voiding any statement equals leaving it and its voider out;
- the careful reading (which names problems) and the quick one agree;
- no input makes anything but ``InvalidInputError`` escape (``raise`` names
  the problems ``skip`` names), messages stay
  short, and ``skip`` gives what the input with the named statements removed
  by hand gives.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from programstats import Directory, InvalidRecordsError, User, World
from programstats.xapi import AU, Course, session_from_statements
from programstats.xapi.examples import statement, voiding

UTC = timezone.utc
BASE = datetime(2026, 3, 2, 9, tzinfo=UTC)
COURSE = Course(
    id="https://example.com/c",
    title="C",
    aus=[
        AU(id="intro", title="Intro", move_on="Completed"),
        AU(id="quiz", title="Quiz", move_on="Passed", mastery_score=Decimal("0.5")),
        AU(id="lab", title="Lab", move_on="CompletedAndPassed"),
    ],
    block_ids={"https://example.com/c/b"},
)
LEARNERS = ("ana", "bob", "cleo")
DIRECTORY = Directory(
    users=[User(id=u, first_name=u, last_name=u, email=f"{u}@x") for u in (*LEARNERS, "olga")]
)


def world(statements: list[Any], on_error: str = "raise") -> World:
    return session_from_statements(
        COURSE,
        statements,
        directory=DIRECTORY,
        id="s",
        name="S",
        author_id="olga",
        start=BASE,
        end=BASE + timedelta(days=30),
        on_error=on_error,  # type: ignore[arg-type]
    )


@st.composite
def cmi5_sessions(draw: st.DrawFn, user: str, registration: str, number: int) -> list[Any]:
    """The statements of one cmi5 session, each with a time in seconds (made unique later)."""
    au = draw(st.sampled_from(COURSE.aus))
    session = f"{user}-{registration}-{number}"
    clock = draw(st.integers(min_value=0, max_value=5_000))
    made: list[tuple[float, dict[str, Any]]] = []

    def add(verb: str, **more: Any) -> None:
        nonlocal clock
        clock += draw(st.integers(min_value=0, max_value=300))
        made.append(
            (
                clock,
                {
                    "verb": verb,
                    "user": user,
                    "au": au.id,
                    "session": session,
                    "registration": registration,
                    **more,
                },
            )
        )

    kind = draw(st.sampled_from(["Normal", "Normal", "Normal", "Browse", "waived"]))
    if kind == "waived":
        add("waived", result={"success": True, "completion": True})
        return made
    if draw(st.booleans()) or kind != "Normal":
        add("launched", launch_mode=kind)
    add("initialized")
    if draw(st.booleans()):
        add("http://adlnet.gov/expapi/verbs/experienced", cmi5=False)
    if kind == "Normal":
        if draw(st.booleans()):
            add("completed")
        outcome = draw(st.sampled_from([None, "passed", "failed"]))
        if outcome is not None:
            low, high = (50, 100) if outcome == "passed" else (0, 49)
            if au.mastery_score is None:
                low, high = 0, 100
            score: dict[str, Any] = {"scaled": draw(st.integers(low, high)) / 100}
            if draw(st.booleans()):
                score = {"raw": draw(st.integers(low, high)), "min": 0, "max": 100}
            add(outcome, result={"score": score})
    end = draw(st.sampled_from([None, "terminated", "abandoned"]))
    if end is not None:
        seconds = draw(st.integers(min_value=0, max_value=100_000))
        add(end, result={"duration": f"PT{seconds // 60}M{seconds % 60}.{seconds % 7}S"})
    return made


@st.composite
def statement_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Clean statements of a few learners: no problem, all timestamps distinct."""
    timed: list[tuple[float, dict[str, Any]]] = []
    for user in draw(st.lists(st.sampled_from(LEARNERS), min_size=1, max_size=3, unique=True)):
        for registration in ("r1", "r2")[: draw(st.integers(1, 2))]:
            for number in range(draw(st.integers(0, 3))):
                timed.extend(draw(cmi5_sessions(user, registration, number)))
            if draw(st.integers(0, 4)) == 0:  # the LMS's satisfied about the course
                clock = draw(st.integers(0, 6_000))
                timed.append(
                    (
                        clock,
                        {
                            "verb": "satisfied",
                            "user": user,
                            "au": COURSE.id,
                            "session": f"lms-{user}",
                            "registration": registration,
                        },
                    )
                )
    made = []
    for number, (clock, parts) in enumerate(timed):
        at = BASE + timedelta(seconds=clock, microseconds=number)  # distinct instants
        verb = parts.pop("verb")
        made.append(statement(verb, at=at.isoformat(), id=f"st-{number}", **parts))
    return made


@given(statement_sets(), st.randoms(use_true_random=False), st.data())
def test_input_order_does_not_matter(
    statements: list[dict[str, Any]], random: Any, data: st.DataObject
) -> None:
    expected = world(statements)
    assert expected.problems == ()
    shuffled = copy.deepcopy(statements)
    random.shuffle(shuffled)
    if shuffled:  # an LRS page read twice: the same statement again
        shuffled.append(copy.deepcopy(data.draw(st.sampled_from(shuffled))))
    assert world(shuffled) == expected


@given(statement_sets(), st.data())
def test_voiding_a_statement_equals_leaving_it_out(
    statements: list[dict[str, Any]], data: st.DataObject
) -> None:
    if not statements:
        return
    target = data.draw(st.integers(0, len(statements) - 1))
    place = data.draw(st.integers(0, len(statements)))
    voided = [*statements[:place], voiding(statements[target]["id"]), *statements[place:]]
    left_out = statements[:target] + statements[target + 1 :]
    assert world(voided) == world(left_out)


class Record(dict):  # type: ignore[type-arg]
    """A dict subclass whose own ``get`` fails: statements of it take the careful reading."""

    def get(self, *args: object) -> object:
        raise AssertionError("the reading must not call a subclass's get")


def records(value: Any) -> Any:
    if isinstance(value, dict):
        return Record({key: records(item) for key, item in value.items()})
    if isinstance(value, list):
        return [records(item) for item in value]
    return value


@given(statement_sets())
def test_the_careful_reading_gives_what_the_quick_one_does(
    statements: list[dict[str, Any]],
) -> None:
    # Dict subclasses are never read quickly: every statement goes the careful way.
    assert world(records(statements)) == world(statements)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
#: Paths into a statement that mutations aim at (the id is left alone, see below).
PLACES = [
    (),
    ("actor",),
    ("actor", "account"),
    ("actor", "account", "name"),
    ("verb",),
    ("verb", "id"),
    ("object",),
    ("object", "id"),
    ("timestamp",),
    ("stored",),
    ("context",),
    ("context", "registration"),
    ("context", "contextActivities"),
    ("context", "contextActivities", "grouping"),
    ("context", "contextActivities", "category"),
    ("context", "extensions"),
    ("context", "extensions", "https://w3id.org/xapi/cmi5/context/extensions/sessionid"),
    ("context", "extensions", "https://w3id.org/xapi/cmi5/context/extensions/launchmode"),
    ("result",),
    ("result", "duration"),
    ("result", "score"),
    ("result", "score", "scaled"),
    ("result", "score", "raw"),
    ("result", "score", "min"),
    ("result", "score", "max"),
]


@st.composite
def mutated(draw: st.DrawFn) -> list[Any]:
    """A clean statement set with a few values replaced or removed."""
    statements = draw(statement_sets())
    for _ in range(draw(st.integers(0, 3)) if statements else 0):
        number = draw(st.integers(0, len(statements) - 1))
        place = draw(st.sampled_from(PLACES))
        if not place:
            statements[number] = draw(JSON)
            continue
        holder = statements[number]
        for key in place[:-1]:
            if not isinstance(holder, dict):
                break
            holder = holder.setdefault(key, {})
        if isinstance(holder, dict):
            if draw(st.booleans()):
                holder[place[-1]] = draw(JSON)
            else:
                holder.pop(place[-1], None)
    return statements


def position(path: str) -> int:
    return int(path[2 : path.index("]")])


@given(mutated())
def test_any_input_gives_a_world_or_invalid_input(statements: list[Any]) -> None:
    found = world(copy.deepcopy(statements), on_error="skip")
    # raise finds the same problems, and raises when there are any.
    try:
        raised = world(copy.deepcopy(statements))
    except InvalidRecordsError as error:
        assert error.problems == found.problems
    else:
        assert found.problems == ()
        assert raised == found
    for problem in found.problems:
        assert len(problem.message) < 200
    # Quarantine: the rest is what the input without the named statements gives.
    named = {position(problem.path) for problem in found.problems}
    rest = [s for n, s in enumerate(statements) if n not in named]
    by_hand = world(rest)
    assert by_hand.sessions == found.sessions
