"""Records in and out (programstats.records): round trips, problems, quarantine.

Problems are checked with their exact JSON path and the rule's words; the
quarantine (``on_error="skip"``) is checked against the same input with the
bad records removed by hand.
"""

from __future__ import annotations

import copy
import importlib
import json
import math
import sys
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programstats import (
    Attempt,
    BlockKind,
    Collaboration,
    Directory,
    ExportOptions,
    Group,
    InvalidInputError,
    Reactions,
    Registration,
    Session,
    Status,
    Viewer,
    block_results,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    template_results,
    write_csv,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.records import (
    InvalidRecordsError,
    Problem,
    World,
    from_tables,
    problems_table,
    structure,
    structure_directory,
    structure_session,
    structure_world,
    to_record,
)
from programstats.strategies import attempts, blocks, directories, sessions, users
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world

UTC = timezone.utc


@st.composite
def small_worlds(draw: st.DrawFn) -> tuple[Directory, tuple[Session, ...]]:
    """Small worlds (few blocks and attempts) keep the properties fast."""
    directory = draw(directories(max_users=5, max_groups=3))
    count = draw(st.integers(min_value=1, max_value=2))
    found = tuple(
        draw(sessions(directory, session_id=f"s{n}", max_blocks=3, max_attempts=8))
        for n in range(count)
    )
    return directory, found


def jsonable(value: Any) -> Any:
    """What a JSON file gives back: to_record, dumped with no encoder, loaded again."""
    return json.loads(json.dumps(to_record(value)))


def world_doc(learners: int = 12, sessions: int = 3) -> dict[str, Any]:
    world = synthetic_world(learners=learners, sessions=sessions, seed=5)
    return jsonable(World(directory=world.directory, sessions=world.sessions))  # type: ignore[no-any-return]


def paths(error: InvalidRecordsError | World) -> list[str]:
    return [p.path for p in error.problems]


def raised(doc: dict[str, Any]) -> InvalidRecordsError:
    with pytest.raises(InvalidRecordsError) as info:
        structure_world(doc)
    assert isinstance(info.value, InvalidInputError)
    return info.value


# ------------------------------------------------------------------------------ round trips


@settings(max_examples=25)  # whole worlds: the costliest draw of the suite
@given(small_worlds())
def test_world_round_trip(world: tuple[Directory, tuple[Session, ...]]) -> None:
    directory, sessions = world
    doc = jsonable(World(directory=directory, sessions=sessions))
    found = structure_world(doc)
    assert found.directory == directory
    assert found.sessions == sessions
    assert found.problems == ()
    for session in sessions:
        assert structure(Session, jsonable(session)) == session
    assert structure(Directory, jsonable(directory)) == directory


@given(
    st.one_of(
        blocks(),
        attempts(user_ids=["u1", "u2"], block_ids=["b1"]),
        users(),
        st.builds(Group, id=st.just("g"), name=st.text(max_size=5)),
    )
)
def test_value_round_trip(value: Any) -> None:
    assert structure(type(value), jsonable(value)) == value


def test_round_trip_of_every_input_type() -> None:
    session, directory = tiny_session(), tiny_directory()
    values: list[Any] = [
        session,
        directory,
        session.template,
        *session.blocks,
        *session.slots,
        *session.registrations,
        *session.attempts,
        *session.attendances,
        Collaboration(posts=3, comments=1, reactions=Reactions(likes=2, didnt_get_it=1)),
        Reactions(outdated=4),
        *directory.users.values(),
        *directory.groups.values(),
        attrs.evolve(session, expected_duration=timedelta(hours=3, microseconds=7)),
    ]
    for value in values:
        assert structure(type(value), jsonable(value)) == value
    assert structure(BlockKind, "CLASSROOM") is BlockKind.CLASSROOM


def test_record_format_is_as_documented() -> None:
    record = to_record(attrs.evolve(tiny_session(), expected_duration=timedelta(seconds=1.5)))
    assert record["start"] == "2026-03-02T09:00:00+00:00"
    assert record["expected_duration"] == 1.5
    assert (
        record["attempts"][0]["time_spent"] == 3000
        and type(record["attempts"][0]["time_spent"]) is int
    )
    assert record["blocks"][1]["kind"] == "ASSESSMENT"
    assert record["group_ids"] == ["company", "sales"]  # sets as sorted arrays
    user = to_record(tiny_directory())["users"][0]
    assert user["custom_fields"] == {"Team": "North"} and user["group_ids"] == ["sales"]


def test_results_are_json_ready() -> None:
    session, directory = tiny_session(), tiny_directory()
    results: list[Any] = [
        session_overview(session),
        group_results(session, directory),
        learner_results(session, directory),
        block_results(session),
        group_dashboard("sales", [session], directory, DEFAULT_ANCHOR, UTC),
        template_results("onboarding", [session], directory),
        Viewer(user_id="olga", coached_group_ids=["sales"]),
        Status.FINISHED,
        World(directory=directory, sessions=[session]),
        Problem(path="$", message="m"),
    ]
    for result in results:
        json.dumps(to_record(result))  # no encoder needed
    overview = to_record(session_overview(session))
    assert overview["median_time"] == 3000 and overview["average_score"] == 75
    learner = to_record(learner_results(session, directory))[0]
    assert learner["last_activity"] == "2026-03-20T12:00:00+00:00"
    assert learner["blocks"][0] == {
        "block_id": "course", "score": 80, "time_spent": 3000, "completed": True,
    }  # fmt: skip
    board = to_record(group_dashboard("sales", [session], directory, DEFAULT_ANCHOR, UTC))
    assert board["ongoing_per_month"][0] == ["2025-12-01", 0]
    assert to_record(block_results(session))[2]["kind"] == "CLASSROOM"


# ------------------------------------------------------------------------------ the record format


def attempt_record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "user_id": "ana",
        "block_id": "b1",
        "started_at": "2026-03-04T10:00:00Z",
        "last_activity_at": "2026-03-04T11:00:00+01:00",
        "time_spent": 90.000001,
    }
    record.update(changes)
    return record


def test_offsets_z_and_microseconds() -> None:
    attempt = structure(Attempt, attempt_record())
    assert attempt.started_at == datetime(2026, 3, 4, 10, tzinfo=UTC)
    assert attempt.last_activity_at == attempt.started_at  # 11:00+01:00 is 10:00Z
    assert attempt.time_spent == timedelta(seconds=90, microseconds=1)


@pytest.mark.parametrize("absent", [None, float("nan"), "missing", "NaT"])
def test_fields_with_defaults_take_them_for_nothing(absent: Any) -> None:
    import pandas

    value = pandas.NaT if absent == "NaT" else absent
    record = attempt_record(score=value, completed=value)
    if absent == "missing":
        del record["score"], record["completed"]
    attempt = structure(Attempt, record)
    assert attempt.score is None and attempt.completed is False
    row = {"user_id": "ana", "registered_at": "2026-01-01T00:00Z"}
    if absent != "missing":
        row.update(via_catalog=value, unregistered_at=value)
    registration = structure(Registration, row)
    assert registration.unregistered_at is None and registration.via_catalog is False


@pytest.mark.parametrize("absent", [None, float("nan")])
def test_fields_without_default_reject_nothing(absent: Any) -> None:
    with pytest.raises(InvalidRecordsError) as info:
        structure(Attempt, attempt_record(time_spent=absent))
    assert paths(info.value) == ["$.time_spent"]
    assert "time_spent" in info.value.problems[0].message
    assert "required" in info.value.problems[0].message


def test_aware_objects_are_accepted_as_they_are() -> None:
    import pandas

    record = attempt_record(
        started_at=pandas.Timestamp("2026-03-04T10:00:00", tz="Europe/Paris"),
        last_activity_at=datetime(2026, 3, 4, 10, tzinfo=UTC),
        time_spent=pandas.Timedelta(minutes=3),
    )
    attempt = structure(Attempt, record)
    assert type(attempt.started_at) is datetime and type(attempt.time_spent) is timedelta
    assert attempt.started_at == datetime(2026, 3, 4, 9, tzinfo=UTC)
    assert attempt.time_spent == timedelta(minutes=3)


def test_dataframe_records_structure_as_they_are() -> None:
    import pandas

    frame = pandas.DataFrame(
        {
            "user_id": ["ana", "bob"],
            "block_id": ["b1", "b1"],
            "started_at": pandas.to_datetime(["2026-03-04T10:00Z", "2026-03-05T10:00Z"]),
            "last_activity_at": pandas.to_datetime(["2026-03-04T11:00Z", "2026-03-05T10:30Z"]),
            "time_spent": pandas.to_timedelta([600, 30], unit="s"),
            "score": [80.0, None],
        }
    )
    found = [structure(Attempt, row) for row in frame.to_dict("records")]
    assert [a.score for a in found] == [80.0, None]
    assert found[1].time_spent == timedelta(seconds=30)


# ------------------------------------------------------------------------------ problems (raise)


def test_bad_value_path_and_message() -> None:
    doc = world_doc()
    doc["sessions"][2]["attempts"][17]["score"] = 150
    error = raised(doc)
    assert paths(error) == ["$.sessions[2].attempts[17].score"]
    problem = error.problems[0]
    assert "score must be between 0 and 100, got 150" in problem.message
    assert problem.record_id == doc["sessions"][2]["attempts"][17]["user_id"]
    assert "$.sessions[2].attempts[17].score" in str(error)


def test_bad_type_path_and_message() -> None:
    doc = world_doc()
    doc["sessions"][0]["blocks"][1]["title"] = 5
    assert paths(raised(doc)) == ["$.sessions[0].blocks[1].title"]
    assert "title must be a str, got int" in raised(doc).problems[0].message


def test_unknown_key_path() -> None:
    doc = world_doc()
    doc["sessions"][1]["registrations"][0]["regsitered_at"] = "2026-01-01T00:00Z"
    doc["users"][3]["nickname"] = "x"
    error = raised(doc)
    assert paths(error) == ["$.users[3].nickname", "$.sessions[1].registrations[0].regsitered_at"]
    assert "unknown field 'nickname'" in error.problems[0].message


def test_unknown_references_paths() -> None:
    doc = world_doc()
    doc["sessions"][1]["attempts"][3]["block_id"] = "no-such-block"
    doc["sessions"][0]["registrations"][2]["user_id"] = "stranger"
    doc["sessions"][0]["group_ids"] = ["no-such-group"]
    doc["users"][4]["group_ids"] = ["lost"]
    doc["sessions"][2]["attendances"][0]["slot_id"] = "no-slot"
    error = raised(doc)
    found = {p.path: p.message for p in error.problems}
    assert "the block is not a block of the session" in found["$.sessions[1].attempts[3].block_id"]
    assert (
        "'stranger' is not a user of the directory"
        in found["$.sessions[0].registrations[2].user_id"]
    )
    assert "not a group of the directory" in found["$.sessions[0].group_ids[0]"]
    assert "'lost', not a group of the directory" in found["$.users[4].group_ids"]
    assert "not a slot of the session" in found["$.sessions[2].attendances[0].slot_id"]


def test_naive_datetime_path() -> None:
    doc = world_doc()
    doc["sessions"][0]["start"] = "2026-01-01T09:00:00"
    error = raised(doc)
    assert paths(error) == ["$.sessions[0].start"]
    assert "'2026-01-01T09:00:00' has no offset" in error.problems[0].message
    assert "naive_timezone=" in error.problems[0].message


def test_unreadable_values() -> None:
    doc = world_doc()
    doc["sessions"][0]["blocks"][0]["kind"] = "course"
    doc["sessions"][0]["attempts"][0]["started_at"] = "yesterday"
    doc["sessions"][0]["attempts"][1]["time_spent"] = "10"
    error = raised(doc)
    found = {p.path: p.message for p in error.problems}
    assert "is not a block kind; use one of COURSE" in found["$.sessions[0].blocks[0].kind"]
    assert "not an ISO 8601" in found["$.sessions[0].attempts[0].started_at"]
    assert (
        "time_spent must be a number of seconds or a timedelta, got str '10'"
        in found["$.sessions[0].attempts[1].time_spent"]
    )


def test_every_bad_field_of_a_record_is_found() -> None:
    doc = world_doc()
    attempt = doc["sessions"][0]["attempts"][0]
    attempt.update(score=-1, completed="yes", time_spent=-5)
    found = paths(raised(doc))
    assert found == [
        "$.sessions[0].attempts[0].time_spent",
        "$.sessions[0].attempts[0].score",
        "$.sessions[0].attempts[0].completed",
    ]


def test_missing_blocks_is_a_problem() -> None:
    record = jsonable(tiny_session())
    del record["blocks"]
    with pytest.raises(InvalidRecordsError) as info:
        structure_session(record)
    assert paths(info.value)[0] == "$.blocks"
    assert "blocks is missing; it is required" in info.value.problems[0].message


def test_cross_field_rule_is_reported_on_the_record() -> None:
    doc = world_doc()
    slot = doc["sessions"][0]["slots"][0]
    slot["end"] = "2000-01-01T00:00:00Z"
    error = raised(doc)
    assert paths(error) == ["$.sessions[0].slots[0]"]
    assert "is before start" in error.problems[0].message


def test_all_problems_found_first_twenty_listed() -> None:
    doc = world_doc()
    for attempt in doc["sessions"][0]["attempts"][:25]:
        attempt["score"] = 101
    error = raised(doc)
    assert len(error.problems) == 25
    message = str(error)
    assert message.startswith("25 problems in the records:")
    assert message.count("score must be between 0 and 100") == 20
    assert message.endswith("... and 5 more")


def test_structure_session_lists_every_problem() -> None:
    record = jsonable(tiny_session())
    record["attempts"][0]["score"] = 101
    record["blocks"][0]["passing_score"] = 200
    record["name"] = None
    with pytest.raises(InvalidRecordsError) as info:
        structure_session(record)
    assert paths(info.value) == [
        "$.name",
        "$.blocks[0].passing_score",
        "$.attempts[0].score",
    ]


def test_directory_problems() -> None:
    record = jsonable(tiny_directory())
    record["groups"].append({"id": "loop-a", "name": "A", "parent_id": "loop-b"})
    record["groups"].append({"id": "loop-b", "name": "B", "parent_id": "loop-a"})
    record["users"].append(dict(record["users"][0]))
    with pytest.raises(InvalidRecordsError) as info:
        structure_directory(record)
    found = {p.path: p.message for p in info.value.problems}
    assert "appears twice" in found["$.users[5].id"]
    assert "is its own ancestor" in found["$.groups[2].parent_id"]
    assert "is its own ancestor" in found["$.groups[3].parent_id"]


def test_not_objects_and_bad_arguments() -> None:
    with pytest.raises(InvalidRecordsError) as info:
        structure_world({"groups": [], "users": [], "sessions": [[1, 2]], "extra": 1})
    assert paths(info.value) == ["$.extra", "$.sessions[0]"]
    with pytest.raises(InvalidInputError, match="on_error must be"):
        structure_world({}, on_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="not an input type"):
        structure(dict, {})
    with pytest.raises(InvalidRecordsError):
        structure(Attempt, "not a record")


def test_missing_cattrs_gives_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cattrs", None)  # makes `import cattrs` fail
    monkeypatch.delitem(sys.modules, "programstats.records")
    with pytest.raises(ImportError, match=r"pip install 'programstats\[records\]'"):
        importlib.import_module("programstats.records")


# ------------------------------------------------------------------------------ quarantine (skip)


def without(session: Session, **drop: Any) -> Session:
    """The session with the records ``drop`` names removed by hand."""
    users = drop.get("users", set())
    block_ids = drop.get("blocks", set())
    slot_ids = {s.id for s in session.slots if s.block_id in block_ids} | drop.get("slots", set())
    bad_attempts = drop.get("attempts", set())
    return attrs.evolve(
        session,
        blocks=[b for b in session.blocks if b.id not in block_ids],
        slots=[s for s in session.slots if s.id not in slot_ids],
        registrations=[r for r in session.registrations if r.user_id not in users],
        attempts=[
            a
            for i, a in enumerate(session.attempts)
            if a.user_id not in users and a.block_id not in block_ids and i not in bad_attempts
        ],
        attendances=[
            a for a in session.attendances if a.user_id not in users and a.slot_id not in slot_ids
        ],
        certificate_user_ids=session.certificate_user_ids - users,
        waiting_list=[u for u in session.waiting_list if u not in drop.get("waiting", set())],
        instructor_ids=[u for u in session.instructor_ids if u not in drop.get("waiting", set())],
    )


def assert_same_statistics(found: World, directory: Directory, expected: list[Session]) -> None:
    assert found.sessions == tuple(expected)
    assert found.directory == directory
    for got, want in zip(found.sessions, expected, strict=True):
        assert session_overview(got) == session_overview(want)
        assert learner_results(got, directory) == learner_results(want, directory)
        assert block_results(got) == block_results(want)
        assert group_results(got, directory) == group_results(want, directory)


def test_skip_bad_attempt() -> None:
    session, directory = tiny_session(), tiny_directory()
    doc = jsonable(World(directory=directory, sessions=[session]))
    doc["sessions"][0]["attempts"][1]["score"] = 101
    found = structure_world(doc, on_error="skip")
    assert paths(found) == ["$.sessions[0].attempts[1].score"]
    assert_same_statistics(found, directory, [without(session, attempts={1})])


def test_skip_bad_block_leaves_out_its_attempts_slots_and_attendances() -> None:
    session, directory = tiny_session(), tiny_directory()
    doc = jsonable(World(directory=directory, sessions=[session]))
    doc["sessions"][0]["blocks"][0]["title"] = None  # course: 3 attempts... 2 of them on it
    doc["sessions"][0]["blocks"][2]["kind"] = "WORKSHOP"  # the classroom block
    found = structure_world(doc, on_error="skip")
    assert [(p.path, p.message.startswith("left out because")) for p in found.problems] == [
        ("$.sessions[0].blocks[0].title", False),
        ("$.sessions[0].blocks[2].kind", False),
        ("$.sessions[0].slots[0]", True),
        ("$.sessions[0].attempts[0]", True),
        ("$.sessions[0].attempts[2]", True),
        ("$.sessions[0].attendances[0]", True),
    ]
    assert "block 'course' ($.sessions[0].blocks[0])" in found.problems[3].message
    assert "slot 'slot1' ($.sessions[0].slots[0])" in found.problems[5].message
    expected = without(session, blocks={"course", "workshop"})
    assert_same_statistics(found, directory, [expected])


def test_skip_bad_registration_leaves_out_what_is_theirs() -> None:
    session, directory = tiny_session(), tiny_directory()
    doc = jsonable(World(directory=directory, sessions=[session]))
    doc["sessions"][0]["registrations"][0]["registered_at"] = "2026-03-01T09:00:00"  # ana
    found = structure_world(doc, on_error="skip")
    assert paths(found) == [
        "$.sessions[0].registrations[0].registered_at",
        "$.sessions[0].attempts[0]",
        "$.sessions[0].attempts[1]",
        "$.sessions[0].attendances[0]",
        "$.sessions[0].certificate_user_ids[0]",
    ]
    assert all("registration of user 'ana'" in p.message for p in found.problems[1:])
    assert_same_statistics(found, directory, [without(session, users={"ana"})])


def test_skip_bad_user_cascades_through_every_session() -> None:
    session, directory = tiny_session(), tiny_directory()
    second = attrs.evolve(session, id="s2", author_id="bob")
    doc = jsonable(World(directory=directory, sessions=[session, second]))
    doc["users"][0]["email"] = ["ana@example.com"]  # ana
    doc["users"][1]["first_name"] = 7  # bob: author of s2
    found = structure_world(doc, on_error="skip")
    causes = [p.path for p in found.problems if not p.message.startswith("left out")]
    assert causes == ["$.users[0].email", "$.users[1].first_name"]
    assert "$.sessions[1]" in paths(found)  # its author is left out
    kept_directory = Directory(
        users=[u for u in directory.users.values() if u.id not in {"ana", "bob"}],
        groups=directory.groups.values(),
    )
    assert_same_statistics(found, kept_directory, [without(session, users={"ana", "bob"})])
    # every left-out record or entry has its own problem
    consequences = [p.path for p in found.problems if p.message.startswith("left out")]
    assert consequences[:6] == [
        "$.sessions[0].registrations[0]",
        "$.sessions[0].registrations[1]",
        "$.sessions[0].attempts[0]",
        "$.sessions[0].attempts[1]",
        "$.sessions[0].attempts[2]",
        "$.sessions[0].attendances[0]",
    ]
    assert "$.sessions[0].certificate_user_ids[0]" in consequences


def test_skip_bad_group_drops_children_and_entries() -> None:
    session, directory = tiny_session(), tiny_directory()
    doc = jsonable(World(directory=directory, sessions=[session]))
    doc["groups"][0]["name"] = None  # company, parent of sales
    found = structure_world(doc, on_error="skip")
    assert paths(found) == [
        "$.groups[0].name",
        "$.groups[1]",
        "$.users[0].group_ids",
        "$.users[1].group_ids",
        "$.users[2].group_ids",
        "$.sessions[0].group_ids[0]",
        "$.sessions[0].group_ids[1]",
    ]
    assert found.directory.groups == {}
    assert found.sessions[0].group_ids == frozenset()


def test_skip_unknown_key_keeps_the_record() -> None:
    session, directory = tiny_session(), tiny_directory()
    doc = jsonable(World(directory=directory, sessions=[session]))
    doc["sessions"][0]["attempts"][0]["note"] = "hi"
    found = structure_world(doc, on_error="skip")
    assert paths(found) == ["$.sessions[0].attempts[0].note"]
    assert found.sessions == (session,)


def test_skip_on_clean_input_equals_raise() -> None:
    doc = world_doc()
    assert structure_world(doc, on_error="skip") == structure_world(doc)


@st.composite
def corrupted_worlds(draw: st.DrawFn) -> tuple[dict[str, Any], Directory, list[Session]]:
    """A world document with a few bad records, and the world they leave by hand."""
    directory, sessions = draw(small_worlds())
    doc = jsonable(World(directory=directory, sessions=sessions))
    expected = list(sessions)
    for index, session in enumerate(sessions):
        record = doc["sessions"][index]
        choice = draw(st.sampled_from(["none", "attempt", "registration", "block"]))
        if choice == "attempt" and session.attempts:
            bad = draw(st.integers(0, len(session.attempts) - 1))
            record["attempts"][bad]["score"] = draw(st.sampled_from([101, -1, "80", True]))
            expected[index] = without(session, attempts={bad})
        elif choice == "registration" and session.registrations:
            bad = draw(st.integers(0, len(session.registrations) - 1))
            record["registrations"][bad]["registered_at"] = "2026-01-01T00:00:00"
            user = session.registrations[bad].user_id
            expected[index] = without(session, users={user})
        elif choice == "block" and session.blocks:
            bad = draw(st.integers(0, len(session.blocks) - 1))
            record["blocks"][bad]["kind"] = draw(st.sampled_from(["?", None, 3]))
            expected[index] = without(session, blocks={session.blocks[bad].id})
    return doc, directory, expected


@settings(max_examples=25)  # whole worlds: the costliest draw of the suite
@given(corrupted_worlds())
def test_skip_statistics_equal_hand_cleaned_input(
    case: tuple[dict[str, Any], Directory, list[Session]],
) -> None:
    doc, directory, expected = case
    found = structure_world(doc, on_error="skip")
    assert_same_statistics(found, directory, expected)
    left = sum(
        len(s.attempts) + len(s.registrations) + len(s.blocks) + len(s.slots) + len(s.attendances)
        for s in structure_world(jsonable(World(directory=directory, sessions=expected))).sessions
    )
    before = sum(
        len(s[k]) for s in doc["sessions"]
        for k in ("attempts", "registrations", "blocks", "slots", "attendances")
    )  # fmt: skip
    removed_entries = sum(
        len(orig["certificate_user_ids"]) - len(s.certificate_user_ids)
        for orig, s in zip(doc["sessions"], expected, strict=True)
    )
    # Nothing is left out without a problem naming it.
    assert len(found.problems) == before - left + removed_entries


# ------------------------------------------------------------------------------ flat tables


def tables_of(directory: Directory, sessions: tuple[Session, ...]) -> dict[str, list[Any]]:
    doc = jsonable(World(directory=directory, sessions=sessions))
    found: dict[str, list[Any]] = {
        "groups": doc["groups"],
        "users": doc["users"],
        "sessions": [],
        "templates": [],
        "blocks": [],
        "slots": [],
        "registrations": [],
        "attempts": [],
        "attendances": [],
    }
    seen = set()
    for record in doc["sessions"]:
        sid = record["id"]
        template = record.pop("template")
        if template["id"] not in seen:
            seen.add(template["id"])
            found["templates"].append(template)
        record["template_id"] = template["id"]
        for position, block in reversed(list(enumerate(record.pop("blocks")))):
            found["blocks"].append({**block, "session_id": sid, "position": position})
        for name in ("slots", "registrations", "attempts", "attendances"):
            found[name] += [{**row, "session_id": sid} for row in record.pop(name)]
        found["sessions"].append(record)
    return found


def test_from_tables_builds_the_same_world() -> None:
    world = synthetic_world(learners=10, sessions=3, seed=2)
    tables = tables_of(world.directory, world.sessions)
    found = from_tables(**tables)
    assert found.sessions == world.sessions and found.directory == world.directory


def test_from_tables_paths_name_table_rows() -> None:
    world = synthetic_world(learners=10, sessions=2, seed=2)
    tables = tables_of(world.directory, world.sessions)
    tables["attempts"][17]["score"] = 250
    tables["attendances"][0]["session_id"] = "nowhere"
    tables["sessions"][1]["template_id"] = "missing"
    with pytest.raises(InvalidRecordsError) as info:
        from_tables(**tables)
    assert paths(info.value) == [
        "$.attendances[0].session_id",
        "$.attempts[17].score",
        "$.sessions[1].template_id",
    ]
    found = from_tables(**tables, on_error="skip")
    assert [s.id for s in found.sessions] == [world.sessions[0].id]


# ------------------------------------------------------------------------------ problems table


def test_problems_table_writes_csv() -> None:
    import io

    doc = world_doc()
    doc["sessions"][0]["attempts"][0]["score"] = "=1+1"
    found = structure_world(doc, on_error="skip")
    out = io.StringIO()
    assert write_csv(problems_table(found.problems), out) == 1
    assert out.getvalue().startswith(
        "Path,Record ID,Row key,Problem\r\n$.sessions[0].attempts[0].score,"
    )
    with pytest.raises(InvalidInputError):
        problems_table(["not a problem"])  # type: ignore[list-item]


def test_no_float_noise_in_records() -> None:
    value = to_record(timedelta(seconds=1, microseconds=100))
    assert value == 1.0001 and not math.isnan(value)
    assert to_record(ExportOptions().decimals) == 0
    assert copy.deepcopy(to_record(tiny_session())) == to_record(tiny_session())
    assert isinstance(learner_export, object)


# ------------------------------------------------------------------------------ JSON Schema


def test_demo_world_document_validates_against_the_schema() -> None:
    import jsonschema

    root = Path(__file__).resolve().parent.parent
    schema = json.loads((root / "docs" / "world.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    world = synthetic_world(learners=8, sessions=6, seed=0)  # the demo generator, all 3 programs
    doc = jsonable(World(directory=world.directory, sessions=world.sessions))
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(doc)) == []
    doc["sessions"][0]["attempts"][0]["started_at"] = "2026-01-01T09:00:00"  # naive
    doc["sessions"][0]["blocks"][0]["kind"] = "course"
    doc["users"][0]["nickname"] = "x"
    assert len(list(validator.iter_errors(doc))) == 3


# ------------------------------------------------------------ attempts read column by column


def test_attempts_not_all_plain_are_read_one_by_one_with_the_same_result() -> None:
    session = tiny_session()
    record = jsonable(session)
    assert structure_session(record) == session  # every attempt plain: read by columns
    first = record["attempts"][0]
    # Each change sends the whole array to the record-by-record path.
    for change in (
        {"started_at": session.attempts[0].started_at.astimezone(timezone(timedelta(hours=2)))},
        {"last_activity_at": first["last_activity_at"].replace("+00:00", "Z")},
        {"time_spent": float(first["time_spent"])},
    ):
        changed = copy.deepcopy(record)
        changed["attempts"][0].update(change)
        assert structure_session(changed) == session
    missing = copy.deepcopy(record)
    for attempt in missing["attempts"]:
        attempt.pop("completed")
        attempt["score"] = None
    found = structure_session(missing)
    assert [a.completed for a in found.attempts] == [False] * len(session.attempts)
    assert [a.score for a in found.attempts] == [None] * len(session.attempts)


def test_repeated_seconds_give_equal_durations() -> None:
    record = jsonable(tiny_session())
    for attempt in record["attempts"]:
        attempt["time_spent"] = 1500.25
    record["attempts"][0]["time_spent"] = 1500
    found = structure_session(record).attempts
    assert [a.time_spent for a in found] == [timedelta(seconds=1500)] + [
        timedelta(seconds=1500, microseconds=250_000)
    ] * (len(found) - 1)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("time_spent", 1e30, "not a usable number of seconds"),
        ("time_spent", True, "time_spent must be a number of seconds or a timedelta, got bool"),
        ("started_at", "2026-03-04", "'2026-03-04' has no offset"),
        ("user_id", "", "user_id must be a non-empty identifier"),
        ("completed", 2, "completed must be true or false (or the integers 0 and 1), got int 2"),
        ("score", "80", "score must be a number (an int, a float or a Decimal), got str '80'"),
    ],
)
def test_one_bad_attempt_among_plain_ones_is_named(field: str, value: object, words: str) -> None:
    record = jsonable(tiny_session())
    record["attempts"][1][field] = value
    with pytest.raises(InvalidRecordsError) as info:
        structure_session(record)
    assert [p.path for p in info.value.problems] == [f"$.attempts[1].{field}"]
    assert words in info.value.problems[0].message


def test_a_zone_whose_utcoffset_fails_is_a_problem_of_its_field() -> None:
    class Broken(tzinfo):
        def utcoffset(self, dt: datetime | None) -> timedelta:
            raise ArithmeticError("broken zone")

        def dst(self, dt: datetime | None) -> timedelta | None:
            return None

        def tzname(self, dt: datetime | None) -> str:
            return "B"

    record = jsonable(tiny_session().attempts[0])
    record["last_activity_at"] = datetime(2026, 3, 4, 11, tzinfo=Broken())
    with pytest.raises(InvalidRecordsError) as info:
        structure(Attempt, record)
    assert paths(info.value) == ["$.last_activity_at"]
    assert "whose utcoffset fails (ArithmeticError: 'broken zone')" in str(info.value)
