"""Values read by column are the values the records one by one give.

The column path (users, registrations, attempts and attendances read one
field at a time, then built by the core's column builders without an
``__init__`` each) is only a faster way to the same values: each test
compares it with the records structured one by one, clean and with one
hostile value put anywhere, so a column path that accepted a bad value,
or built a different one, fails.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from programstats import Attempt, InvalidInputError, Registration, SlotAttendance, User
from programstats._checks import plain_text_column, plain_text_set
from programstats.directory import plain_users
from programstats.records import structure, to_record
from programstats.records.columns import values_of_records
from programstats.records.format import rules
from programstats.session import plain_attempts, plain_attendances, plain_registrations
from programstats.strategies import (
    aware_datetimes,
    hostile_values,
    identifiers,
    scores,
    users,
)

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


@given(st.sampled_from(list(VALUES)), st.data())
def test_clean_records_are_read_by_column(cls: type, data: st.DataObject) -> None:
    values = data.draw(st.lists(VALUES[cls], min_size=1, max_size=5, unique_by=_identity(cls)))
    records = [jsonable(value) for value in values]
    found = values_of_records(rules().specs[cls], records)
    assert found is not None and list(found) == values


def _identity(cls: type) -> Any:
    return (lambda user: user.id) if cls is User else (lambda value: id(value))


@given(record_lists(), st.sampled_from([None, "UTC", "Europe/Paris"]))
def test_columns_give_what_records_one_by_one_give(
    case: tuple[type, list[Any]], zone: str | None
) -> None:
    cls, records = case
    found = values_of_records(rules(zone).specs[cls], records, rules(zone).zone)
    expected = (
        [structure(cls, r, naive_timezone=zone) for r in records]
        if _valid(cls, records, zone)
        else None
    )
    if found is None:  # the column path declined: the records are read one by one
        return
    assert expected is not None, "the column path built values the records refuse"
    assert list(found) == expected
    assert [type(v) for v in found] == [cls] * len(records)


def _valid(cls: type, records: list[Any], zone: str | None) -> bool:
    try:
        for record in records:
            structure(cls, record, naive_timezone=zone)
    except InvalidInputError:
        return False
    return True


def test_database_shapes_are_read_by_column() -> None:
    at = "2026-03-01T09:00:00"
    records = [
        {"user_id": "u", "block_id": "b", "started_at": at, "last_activity_at": at,
         "time_spent": 60, "score": None, "completed": 1},
        {"user_id": "v", "block_id": "b", "started_at": at + "Z", "last_activity_at": at + "Z",
         "time_spent": 1.5, "score": 80, "completed": 0},
    ]  # fmt: skip
    spec = rules("UTC").specs[Attempt]
    found = values_of_records(spec, records, rules("UTC").zone)
    assert found is not None
    assert list(found) == [structure(Attempt, r, naive_timezone="UTC") for r in records]
    assert values_of_records(spec, records) is None  # naive text without a zone: one by one
    records[0]["completed"] = 2
    assert values_of_records(spec, records, rules("UTC").zone) is None
    paris = rules("Europe/Paris")
    records[0]["completed"] = True
    assert list(values_of_records(paris.specs[Attempt], records, paris.zone) or ()) == [
        structure(Attempt, r, naive_timezone="Europe/Paris") for r in records
    ]


def test_plain_attempts_checks_what_the_attempt_checks() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    attempt = Attempt(
        user_id="u", block_id="b", started_at=at, last_activity_at=at, time_spent=timedelta(1)
    )
    columns = [[getattr(attempt, f.name)] for f in attrs.fields(Attempt)]
    assert plain_attempts(*columns) == (attempt,)
    names = [f.name for f in attrs.fields(Attempt)]
    for field, value in [
        ("user_id", ""),
        ("block_id", "b\x00"),
        ("started_at", at + timedelta(seconds=1)),  # after the last activity
        ("last_activity_at", at.astimezone(timezone.max)),
        ("time_spent", timedelta(-1)),
        ("score", 101),
        ("score", float("nan")),
        ("completed", 1),
    ]:
        changed = [list(column) for column in columns]
        changed[names.index(field)] = [value]
        assert plain_attempts(*changed) is None, field


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
