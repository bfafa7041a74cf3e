"""Values built from columns are the values the constructors build.

The core's column builders (users, registrations, attempts, attendances
built one field at a time; a session checked with what its attempt columns
told) are only a faster way to the same values: each test compares them
with the constructors, clean and with one hostile value put anywhere, so a
column builder that accepted a bad value, or built a different one, fails.
"""

from __future__ import annotations

import json
import pickle
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import Attempt, InvalidInputError, Registration, Session, SlotAttendance, User
from programstats import records as R  # noqa: N812  # the module's private parts, tersely
from programstats._checks import plain_text_column, plain_text_set
from programstats.directory import plain_users
from programstats.records import World, to_record
from programstats.session import (
    known_attempts,
    plain_attendances,
    plain_registrations,
    session_with_attempts,
)
from programstats.strategies import (
    aware_datetimes,
    directories,
    hostile_values,
    identifiers,
    scores,
    sessions,
    users,
)
from programstats.synthetic import synthetic_world

UTC = timezone.utc


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(to_record(value)))


@st.composite
def registrations(draw: st.DrawFn) -> Registration:
    registered = draw(aware_datetimes())
    later = draw(st.none() | st.integers(0, 10**6))
    return Registration(
        user_id=draw(identifiers()),
        registered_at=registered,
        unregistered_at=None if later is None else registered + timedelta(seconds=later),
        via_catalog=draw(st.booleans()),
    )


def attendances() -> st.SearchStrategy[SlotAttendance]:
    return st.builds(
        SlotAttendance,
        user_id=identifiers(),
        slot_id=identifiers(),
        percent=st.integers(0, 100) | st.floats(0, 100),
    )


def attempt_values() -> st.SearchStrategy[Attempt]:
    from programstats.strategies import attempts

    return attempts(user_ids=["u1", "ü2", "u3"], block_ids=["b1", "b2"])


VALUES = {
    User: users(),
    Registration: registrations(),
    Attempt: attempt_values(),
    SlotAttendance: attendances(),
}


@st.composite
def record_lists(draw: st.DrawFn) -> tuple[type, list[Any]]:
    """Records of one type, as JSON gives them; sometimes one field made hostile."""
    cls = draw(st.sampled_from(list(VALUES)))
    values = draw(st.lists(VALUES[cls], min_size=1, max_size=5))
    records = [jsonable(value) for value in values]
    if draw(st.booleans()):
        record = draw(st.sampled_from(records))
        field = draw(st.sampled_from(sorted(record)))
        record[field] = draw(
            hostile_values()
            | st.sampled_from(["2026-03-01T10:00:00+02:00", "2026-03-01T10:00:00", "", None])
            | scores()
        )
    return cls, records


def one_by_one(cls: type, records: list[Any]) -> tuple[list[Any], list[R.Problem]]:
    sink = R._Sink()
    spec = R._SPECS[cls]
    found = [R._structure_one(spec, item, f"$[{n}]", sink) for n, item in enumerate(records)]
    return found, sink.causes


def by_columns(cls: type, records: list[Any]) -> Any:
    if cls is User:  # users of no group (their group_ids made hostile or not)
        return R._fast_users(records, {})
    found = R._fast_records(R._SPECS[cls], records)
    return found.attempts if isinstance(found, R.KnownAttempts) else found


def test_plain_users_checks_what_the_user_checks() -> None:
    user = User(id="u1", first_name="A", last_name="B", email="e", group_ids=["g"])
    columns = [[getattr(user, f.name)] for f in attrs.fields(User)]
    assert plain_users(*columns) == (user,)
    names = [f.name for f in attrs.fields(User)]
    for field, value in [
        ("id", ""),
        ("group_ids", ["g"]),  # not yet a frozenset
        ("group_ids", frozenset([""])),
        ("custom_fields", {"a": "b"}),  # not yet a FrozenMap
        ("manager_emails", ["x"]),
        ("deleted_at", datetime(2026, 3, 1, tzinfo=timezone(timedelta(hours=1)))),
        ("anonymized", None),
    ]:
        changed = [list(column) for column in columns]
        changed[names.index(field)] = [value]
        assert plain_users(*changed) is None, field


def test_plain_registrations_and_attendances_refuse_what_is_not_plain() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    assert plain_registrations(["u"], [at], [None], [False]) == (
        Registration(user_id="u", registered_at=at),
    )
    assert plain_registrations(["u"], [at], [at - timedelta(1)], [False]) is None
    assert plain_registrations(["u"], [at], [at.astimezone(timezone.max)], [False]) is None
    assert plain_registrations([""], [at], [None], [False]) is None
    assert plain_registrations(["u"], [at], [None], [None]) is None
    assert plain_attendances(["u"], ["s"], [100]) == (
        SlotAttendance(user_id="u", slot_id="s", percent=100),
    )
    for percent in (None, True, 100.5, float("nan"), "50"):
        assert plain_attendances(["u"], ["s"], [percent]) is None


def test_plain_text_set_is_the_distinct_texts() -> None:
    assert plain_text_set(["a", "b", "a"]) == {"a", "b"}
    assert plain_text_set([]) == set()
    for bad in (["a", ""], ["a", "x\x00"], ["a", "\ud800"]):
        assert plain_text_set(bad) is None
    assert plain_text_column(["é", ""], identifiers=False)
    assert plain_text_set(["é", "\ud83d", "\ude00"]) is None  # no pair across two texts


# ------------------------------------------------------------------------------ sessions


@st.composite
def small_sessions(draw: st.DrawFn) -> Session:
    directory = draw(directories(max_users=4, max_groups=2))
    return draw(sessions(directory, session_id="s", max_blocks=3, max_attempts=8))


def session_values(session: Session) -> dict[str, Any]:
    return {f.name: getattr(session, f.name) for f in attrs.fields(Session) if f.init}


def attempt_columns(found: tuple[Attempt, ...]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(a, f.name) for a in found) for f in attrs.fields(Attempt)]


@given(small_sessions())
def test_session_with_attempts_is_the_session(session: Session) -> None:
    known = known_attempts(*attempt_columns(session.attempts))
    assert known is not None
    values = {k: v for k, v in session_values(session).items() if k != "attempts"}
    built = session_with_attempts(values, known)
    assert built == session
    assert repr(built) == repr(session)
    assert hash(built) == hash(session)
    assert pickle.loads(pickle.dumps(built)) == session
    assert built.attempts is known.attempts


@given(small_sessions(), st.data())
def test_session_with_attempts_refuses_what_the_constructor_refuses(
    session: Session, data: st.DataObject
) -> None:
    # An attempt of somebody unregistered, or on a block the session lacks.
    extra = Attempt(
        user_id=data.draw(st.sampled_from(["nobody", *[r.user_id for r in session.registrations]])),
        block_id=data.draw(st.sampled_from(["nowhere", *[b.id for b in session.blocks]])),
        started_at=datetime(2026, 3, 1, tzinfo=UTC),
        last_activity_at=datetime(2026, 3, 1, tzinfo=UTC),
        time_spent=timedelta(0),
    )
    found = (*session.attempts, extra)
    values = {k: v for k, v in session_values(session).items() if k != "attempts"}
    known = known_attempts(*attempt_columns(found))
    assert known is not None
    try:
        expected = Session(**values, attempts=found)
    except InvalidInputError as error:
        try:
            session_with_attempts(values, known)
        except InvalidInputError as same:
            assert str(same) == str(error)
        else:
            raise AssertionError("session_with_attempts let a bad attempt through") from None
    else:
        assert session_with_attempts(values, known) == expected


def test_facts_of_other_attempts_are_not_used() -> None:
    session = synthetic_world(learners=3, sessions=1, seed=0).sessions[0]
    known = known_attempts(*attempt_columns(session.attempts))
    assert known is not None
    values = {k: v for k, v in session_values(session).items() if k != "attempts"}
    built = session_with_attempts(values, known)
    stranger = attrs.evolve(session.attempts[0], user_id="nobody")
    object.__setattr__(built, "attempts", (*session.attempts, stranger))
    with pytest.raises(InvalidInputError, match="user 'nobody'"):
        built._check(known)  # the facts tell of other attempts: each attempt is read


# ------------------------------------------------------------------------ owned documents


def world_doc(learners: int = 6) -> dict[str, Any]:
    world = synthetic_world(learners=learners, sessions=2, seed=3)
    return jsonable(World(directory=world.directory, sessions=world.sessions))  # type: ignore[no-any-return]


def corrupt(doc: dict[str, Any], where: str) -> None:
    session = doc["sessions"][0]
    if where == "attempt user":  # the session fails after its attempts were read
        session["attempts"][0]["user_id"] = "nobody"
    elif where == "attempt score":
        session["attempts"][1]["score"] = 101
    elif where == "registration":
        session["registrations"][0]["registered_at"] = "2026-01-01T00:00:00"
    elif where == "attendance":
        session["attendances"][0]["slot_id"] = "nowhere"
    elif where == "user":
        doc["users"][1]["email"] = None
    elif where == "author":
        session["author_id"] = "nobody"
