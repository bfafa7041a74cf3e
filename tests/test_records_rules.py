"""Rules of the records layer pinned one by one, each with a hand-made record.

Mutation testing of the records modules (``tools/mutate.py records/...``)
found rules that no test pinned on its own; each test here fails when
one of them breaks.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from programstats import Attempt, InvalidInputError, Registration, Session
from programstats.examples import tiny_directory, tiny_session
from programstats.records import (
    InvalidRecordsError,
    Problem,
    World,
    from_tables,
    problems_table,
    structure_session,
    structure_world,
    to_record,
)
from programstats.records import documents as documents_module
from programstats.records import structuring as structuring_module
from programstats.records import tables as tables_module
from programstats.records.columns import values_of_records
from programstats.records.format import rules, value_kind

UTC = timezone.utc
AT = "2026-03-04T10:00:00+00:00"


def world_doc() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        json.dumps(to_record(World(directory=tiny_directory(), sessions=[tiny_session()])))
    )
    return found


def problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidRecordsError) as info:
        structure_world(doc)
    return [(p.path, p.message) for p in info.value.problems]


# ------------------------------------------------------------------------- absent values


@pytest.mark.parametrize("null", [None, pd.NA, pd.NaT, np.float64("nan"), Decimal("NaN")])
def test_every_library_null_is_no_score(null: object) -> None:
    doc = world_doc()
    doc["sessions"][0]["attempts"][0]["score"] = null
    assert structure_world(doc).sessions[0].attempts[0].score is None


def test_a_numpy_float_is_kept_as_a_plain_float() -> None:
    doc = world_doc()
    doc["sessions"][0]["attempts"][0]["score"] = np.float64(80.5)
    score = structure_world(doc).sessions[0].attempts[0].score
    assert score == 80.5 and type(score) is float


# -------------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("2.5"), "Decimal Decimal('2.5')"), (True, "bool True"), ("3", "str '3'")],
)
def test_a_count_is_a_whole_number(value: object, shown: str) -> None:
    doc = world_doc()
    doc["sessions"][0]["collaboration"]["posts"] = value
    assert problems(doc) == [
        (
            "$.sessions[0].collaboration.posts",
            f"Collaboration: posts must be a whole number, got {shown}",
        )
    ]


def test_a_whole_decimal_count_is_an_int() -> None:
    doc = world_doc()
    doc["sessions"][0]["collaboration"]["posts"] = Decimal("4")
    posts = structure_world(doc).sessions[0].collaboration.posts
    assert posts == 4 and type(posts) is int


# ------------------------------------------------------------------ how messages name records


def test_messages_name_an_attempt_by_its_user_and_block() -> None:
    doc = world_doc()
    doc["sessions"][0]["attempts"][0]["score"] = 140
    assert problems(doc) == [
        (
            "$.sessions[0].attempts[0].score",
            "Attempt of user 'ana' on block 'course': score must be between 0 and 100, got 140",
        )
    ]


def test_messages_name_an_attendance_by_its_user_and_slot() -> None:
    doc = world_doc()
    attendance = doc["sessions"][0]["attendances"][0]
    attendance["percent"] = 101
    (found,) = problems(doc)
    assert found[0] == "$.sessions[0].attendances[0].percent"
    assert found[1].startswith(
        f"SlotAttendance of user '{attendance['user_id']}' on slot '{attendance['slot_id']}': "
    )


@pytest.mark.parametrize("user_id", ["", 7, None])
def test_a_record_without_a_usable_id_is_named_by_its_type(user_id: object) -> None:
    # Not by the placeholder ids the field is checked alone with ("user").
    doc = world_doc()
    attempt = doc["sessions"][0]["attempts"][0]
    attempt["user_id"], attempt["score"] = user_id, 140
    found = dict(problems(doc))
    assert found["$.sessions[0].attempts[0].score"] == (
        "Attempt: score must be between 0 and 100, got 140"
    )
    # The id itself, checked alone, is not named with a placeholder block ("block").
    if user_id is not None:
        assert (
            found["$.sessions[0].attempts[0].user_id"]
            == {
                "": "Attempt: user_id must be a non-empty identifier",
                7: "Attempt: user_id must be a str, got int",
            }[user_id]
        )


def test_a_record_whose_fields_are_fine_alone_is_named_as_a_whole() -> None:
    doc = world_doc()
    attempt = doc["sessions"][0]["attempts"][0]
    attempt["started_at"], attempt["last_activity_at"] = attempt["last_activity_at"], AT
    assert problems(doc) == [
        (
            "$.sessions[0].attempts[0]",
            "Attempt of user 'ana' on block 'course': last_activity_at 2026-03-04 10:00:00+00:00 "
            "is before started_at 2026-03-04 11:00:00+00:00 (compared as instants)",
        )
    ]


# --------------------------------------------------------------- entries of lists and maps


def test_each_bad_entry_of_an_id_list_is_named_by_its_index() -> None:
    doc = world_doc()
    doc["sessions"][0]["instructor_ids"] = ["", 5]
    doc["users"][1]["group_ids"] = ["sales", ""]
    assert problems(doc) == [
        ("$.users[1].group_ids[1]", "User 'bob': group_ids entry must be a non-empty identifier"),
        (
            "$.sessions[0].instructor_ids[0]",
            "Session 's1': instructor_ids entry must be a non-empty identifier",
        ),
        (
            "$.sessions[0].instructor_ids[1]",
            "Session 's1': instructor_ids entry must be a str, got int",
        ),
    ]


def test_empty_texts_are_fine_in_tags_and_manager_emails() -> None:
    doc = world_doc()
    doc["sessions"][0]["tags"] = ["", "x"]
    doc["users"][1]["manager_emails"] = [""]
    world = structure_world(doc)
    assert world.sessions[0].tags == ("", "x")
    assert world.directory.users["bob"].manager_emails == ("",)


def test_each_bad_custom_field_is_named_by_its_title() -> None:
    doc = world_doc()
    doc["users"][0]["custom_fields"] = {"": "x", "T": "a\x00", "Fine": "ok"}
    assert problems(doc) == [
        ("$.users[0].custom_fields['']", "User 'ana': custom field title must not be empty"),
        (
            "$.users[0].custom_fields.T",
            "User 'ana': custom field value contains a NUL character, which cannot be written "
            "to a file",
        ),
    ]


# ------------------------------------------------------------------------ arrays of records


@pytest.mark.parametrize("value", ["", {}, 0])
def test_an_array_of_records_is_an_array(value: object) -> None:
    doc = world_doc()
    doc["sessions"][0]["attempts"] = value
    assert problems(doc) == [
        (
            "$.sessions[0].attempts",
            f"Session 's1': attempts must be an array, got {type(value).__name__}",
        )
    ]


def test_a_null_array_is_empty() -> None:
    doc = world_doc()
    doc["sessions"][0]["attempts"] = None
    assert structure_world(doc).sessions[0].attempts == ()


# ------------------------------------------------------------------- the one fast path


def _no_detailed_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("valid input took the record-by-record path")

    monkeypatch.setattr(structuring_module.Structurer, "values", refuse)
    monkeypatch.setattr(structuring_module.Structurer, "diagnose", refuse)
    monkeypatch.setattr(documents_module, "build_directory", refuse)


def test_valid_records_of_every_shape_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = world_doc()
    plain["sessions"][0]["attendances"] = []
    expected = structure_world(plain)
    _no_detailed_path(monkeypatch)
    doc = world_doc()
    session = doc["sessions"][0]
    session["attempts"] = tuple(MappingProxyType(a) for a in session["attempts"])
    session["registrations"][0] = tiny_session().registrations[0]  # a value among records
    session["template"] = MappingProxyType(session["template"])
    session["attendances"] = None  # null: no attendances
    assert structure_world(doc) == expected
    assert structure_session(session) == expected.sessions[0]


def _read_by_column(cls: type, records: list[dict[str, Any]], zone: str | None = None) -> Any:
    found = values_of_records(rules(zone).specs[cls], records, rules(zone).zone)
    assert found is not None, "plain valid records were read one by one"
    return list(found)


def test_text_datetimes_with_nulls_are_read_by_column() -> None:
    records = [
        {"user_id": "a", "registered_at": AT, "unregistered_at": None, "via_catalog": False},
        {"user_id": "b", "registered_at": AT, "unregistered_at": AT, "via_catalog": True},
    ]
    found = _read_by_column(Registration, records)
    assert [r.unregistered_at for r in found] == [None, datetime(2026, 3, 4, 10, tzinfo=UTC)]


def test_datetime_values_with_nulls_are_read_by_column() -> None:
    at = datetime(2026, 3, 4, 10, tzinfo=UTC)
    records = [
        {"user_id": "a", "registered_at": at, "unregistered_at": None, "via_catalog": 0},
        {"user_id": "b", "registered_at": at, "unregistered_at": at, "via_catalog": True},
    ]
    found = _read_by_column(Registration, records)
    assert [(r.unregistered_at, r.via_catalog) for r in found] == [(None, False), (at, True)]


def test_timedeltas_and_mixed_flags_are_read_by_column() -> None:
    records = [
        {"user_id": "a", "block_id": "b", "started_at": AT, "last_activity_at": AT,
         "time_spent": timedelta(seconds=90), "score": None, "completed": True},
        {"user_id": "c", "block_id": "b", "started_at": AT, "last_activity_at": AT,
         "time_spent": timedelta(0), "score": 50, "completed": 0},
    ]  # fmt: skip
    found = _read_by_column(Attempt, records)
    assert [(a.time_spent, a.completed) for a in found] == [
        (timedelta(seconds=90), True),
        (timedelta(0), False),
    ]


# ------------------------------------------------------------- what a typed column must hold


def test_value_kind_of_every_field_of_a_session() -> None:
    specs = rules().specs
    kinds = {f.name: value_kind(f) for f in specs[Session].fields}
    assert kinds["template"] == "record" and kinds["collaboration"] == "record"
    assert kinds["attempts"] == "records" and kinds["blocks"] == "records"
    assert kinds["start"] == "datetime" and kinds["instructor_ids"] == "ids"
    assert kinds["expected_duration"] == "duration" and kinds["name"] == "text"
    attempt = {f.name: value_kind(f) for f in specs[Attempt].fields}
    assert attempt == {
        "user_id": "text",
        "block_id": "text",
        "started_at": "datetime",
        "last_activity_at": "datetime",
        "time_spent": "duration",
        "score": "number",
        "completed": "flag",
    }
    user = {f.name: value_kind(f) for f in specs[tiny_directory().users["ana"].__class__].fields}
    assert user["custom_fields"] == "mapping" and user["group_ids"] == "ids"


# ----------------------------------------------------------------- quarantine under skip


def skipped(doc: dict[str, Any]) -> World:
    return structure_world(doc, on_error="skip")


@pytest.mark.parametrize(
    ("field", "value", "first"),
    [
        (
            "attempts",
            "",
            ("$.sessions[0].attempts", "Session 's1': attempts must be an array, got str"),
        ),
        ("blocks", None, ("$.sessions[0].blocks", "Session 's1': blocks is None; it is required")),
        (
            "instructor_ids",
            "olga",
            (
                "$.sessions[0].instructor_ids",
                "Session 's1': instructor_ids must be an array, got str",
            ),
        ),
    ],
)
def test_a_session_with_an_unreadable_array_is_left_out(
    field: str, value: object, first: tuple[str, str]
) -> None:
    doc = world_doc()
    doc["sessions"][0][field] = value
    world = skipped(doc)
    assert world.sessions == ()
    assert (world.problems[0].path, world.problems[0].message) == first


def test_a_session_whose_author_was_left_out_goes_too() -> None:
    doc = world_doc()
    (olga,) = [n for n, u in enumerate(doc["users"]) if u["id"] == "olga"]
    doc["users"][olga]["first_name"] = 5
    world = skipped(doc)
    assert world.sessions == ()
    assert [(p.path, p.message) for p in world.problems] == [
        (f"$.users[{olga}].first_name", "User 'olga': first_name must be a str, got int"),
        (  # she is the instructor as well
            "$.sessions[0].instructor_ids[0]",
            f"left out because user 'olga' ($.users[{olga}]) was left out",
        ),
        ("$.sessions[0]", f"left out because user 'olga' ($.users[{olga}]) was left out"),
    ]


def test_without_a_directory_every_user_id_is_taken_as_given() -> None:
    record = world_doc()["sessions"][0]
    record["instructor_ids"], record["waiting_list"] = ["olga"], ["zed"]
    session = structure_session(record)
    assert session.instructor_ids == ("olga",) and session.waiting_list == ("zed",)


def test_a_group_the_directory_lacks_is_named_by_its_index_in_the_record() -> None:
    doc = world_doc()
    doc["users"][1]["group_ids"] = ["zz", "sales"]  # sorted, 'zz' would come second
    world = skipped(doc)
    assert [(p.path, p.message) for p in world.problems] == [
        (
            "$.users[1].group_ids[0]",
            "User 'bob': group_ids names 'zz', not a group of the directory",
        )
    ]
    assert world.directory.users["bob"].group_ids == frozenset({"sales"})


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (4, "cycle 'g0' -> 'g3' -> 'g2' -> 'g1' -> 'g0'"),
        (5, "cycle 5 groups: 'g0' -> 'g4' -> 'g3' -> 'g2' -> 'g0' ..."),
    ],
)
def test_a_cycle_of_more_than_four_groups_is_shortened(size: int, shown: str) -> None:
    doc = world_doc()
    doc["groups"] += [
        {"id": f"g{n}", "name": "G", "parent_id": f"g{(n - 1) % size}"} for n in range(size)
    ]
    world = skipped(doc)
    assert len(world.problems) == size
    assert (
        world.problems[0].message == f"Group 'g0': is its own ancestor ({shown}); break the cycle"
    )


# ------------------------------------------------------------------------------- tables


def flat_tables() -> dict[str, list[dict[str, Any]]]:
    """The world document as the flat tables of a database."""
    doc = world_doc()
    found: dict[str, list[dict[str, Any]]] = {"groups": doc["groups"], "users": doc["users"]}
    for name in ("sessions", "templates", "blocks", *CHILD_TABLES):
        found[name] = []
    for record in doc["sessions"]:
        record = dict(record)
        sid = record["id"]
        found["templates"].append(record.pop("template"))
        record["template_id"] = found["templates"][-1]["id"]
        for position, block in enumerate(record.pop("blocks")):
            found["blocks"].append({**block, "session_id": sid, "position": position})
        for name in CHILD_TABLES:
            found[name] += [{**row, "session_id": sid} for row in record.pop(name)]
        found["sessions"].append(record)
    return found


CHILD_TABLES = ("slots", "registrations", "attempts", "attendances")


def table_problems(tables: dict[str, Any], **options: Any) -> list[tuple[Any, ...]]:
    world = from_tables(**tables, on_error="skip", **options)
    return [(p.path, p.message, p.record_id, p.row_key) for p in world.problems]


@pytest.mark.parametrize("column", ["", 5])
def test_a_row_key_is_a_column_name(column: object) -> None:
    with pytest.raises(InvalidInputError, match=r"row_keys\['attempts'\] must be a column name"):
        from_tables(**flat_tables(), row_keys={"attempts": column})


def test_a_template_row_given_twice_is_a_problem() -> None:
    tables = flat_tables()
    tables["templates"].append(dict(tables["templates"][0]))
    assert table_problems(tables) == [
        (
            "$.templates[1].id",
            "ProgramTemplate 'onboarding' appears twice; ids must be unique",
            "onboarding",
            None,
        )
    ]


def test_the_second_session_row_with_an_id_is_the_one_given_twice() -> None:
    tables = flat_tables()
    tables["sessions"].append(dict(tables["sessions"][0]))
    assert table_problems(tables) == [
        ("$.sessions[1].id", "Session 's1' is given twice; pass each once", "s1", None)
    ]


@pytest.mark.parametrize(("position", "shown"), [("10", "'10'"), (-1, "-1"), (True, "True")])
def test_a_block_position_is_an_int_of_zero_or_more(position: object, shown: str) -> None:
    tables = flat_tables()
    tables["blocks"][0]["position"] = position
    assert table_problems(tables)[0] == (
        "$.blocks[0].position",
        f"block position must be an int >= 0 (0-based order), got {shown}",
        "course",
        None,
    )


@pytest.mark.parametrize("block_id", ["", 5])
def test_a_block_without_a_usable_id_names_no_record(block_id: object) -> None:
    tables = flat_tables()
    tables["blocks"][0]["position"], tables["blocks"][0]["id"] = -1, block_id
    assert table_problems(tables)[0][2] is None


def test_a_template_without_a_usable_id_names_no_template() -> None:
    tables = flat_tables()
    tables["templates"].append({"id": "", "name": "Empty"})
    tables["sessions"][0]["template_id"] = ""
    assert table_problems(tables) == [
        ("$.templates[1].id", "ProgramTemplate: id must be a non-empty identifier", None, None),
        (
            "$.sessions[0].template_id",
            "template_id '' is not a template of the templates table",
            "s1",
            None,
        ),
    ]


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("a1", "a1"),
        (17, 17),
        (float("nan"), None),
        (None, None),
        (Decimal("7"), "Decimal('7')"),
        (b"x" * 38, "b'" + "x" * 35 + "..."),  # a representation of 41 characters, shortened
    ],
)
def test_row_keys_as_problems_carry_them(key: object, shown: object) -> None:
    tables = flat_tables()
    for row in tables["attempts"]:
        row["k"] = key
    tables["attempts"][0]["score"] = 140
    (problem,) = table_problems(tables, row_keys={"attempts": "k"})
    assert problem[0] == "$.attempts[0].score" and problem[3] == shown


def test_an_unknown_column_in_every_row_is_a_problem_of_every_row() -> None:
    tables = flat_tables()
    for row in tables["attempts"]:
        row["bogus"] = 1
    found = table_problems(tables)
    assert [p[0] for p in found] == [f"$.attempts[{n}].bogus" for n in range(3)]
    assert found[0][1].startswith("Attempt of user 'ana' on block 'course': unknown field 'bogus'")
    assert table_problems(tables, ignore_keys={"attempts": {"bogus"}}) == []


def test_ignore_keys_hold_column_names_only() -> None:
    with pytest.raises(
        InvalidInputError, match=r"ignore_keys\['attempts'\] must hold column names"
    ):
        from_tables(**flat_tables(), ignore_keys={"attempts": {"bogus", 5}})


@pytest.mark.parametrize(
    ("where", "field", "value"),
    [
        (("sessions", 0), "start", "0001-01-01T00:00:00+00:00"),
        (("sessions", 0), "end", "9999-12-31T12:00:00+00:00"),
        (("sessions", 0, "attempts", 0), "started_at", "0001-01-01T00:00:00+00:00"),
        (("sessions", 0, "attempts", 0), "last_activity_at", "9999-12-31T12:00:00+00:00"),
        (("sessions", 0, "registrations", 0), "unregistered_at", "9999-12-31T12:00:00+00:00"),
    ],
)
def test_a_datetime_out_of_range_is_its_own_problem_not_its_partners(
    where: tuple[Any, ...], field: str, value: str
) -> None:
    doc = world_doc()
    record: Any = doc
    for step in where:
        record = record[step]
    record[field] = value
    ((path, message),) = problems(doc)
    assert path.endswith(f".{field}")
    assert f"{field} {value[:19]}" in message and "problems" not in message, message


def test_a_bad_nested_record_is_named_inside_it_once() -> None:
    doc = world_doc()
    doc["sessions"][0]["template"] = {"id": 5, "name": "Onboarding"}
    assert problems(doc) == [
        ("$.sessions[0].template.id", "ProgramTemplate: id must be a str, got int")
    ]


def test_a_child_row_naming_no_session_is_a_problem_of_that_row() -> None:
    tables = flat_tables()
    tables["attempts"][2]["session_id"] = "zz"
    tables["blocks"][1]["session_id"] = None
    assert table_problems(tables)[:2] == [
        (
            "$.blocks[1].session_id",
            "session_id None is not a session of the sessions table",
            "quiz",
            None,
        ),
        (
            "$.attempts[2].session_id",
            "session_id 'zz' is not a session of the sessions table",
            "bob",
            None,
        ),
    ]


def test_a_registration_of_a_user_the_users_table_lacks_is_a_problem() -> None:
    tables = flat_tables()
    # A session valid in itself: only the directory can tell that 'zed' is nobody.
    tables["registrations"].append({**tables["registrations"][0], "user_id": "zed"})
    number = len(tables["registrations"]) - 1
    assert table_problems(tables) == [
        (
            f"$.registrations[{number}].user_id",
            "Session 's1': registration 'zed' is not a user of the directory",
            "zed",
            None,
        )
    ]


def test_a_registration_of_a_user_the_users_table_lacks_leaves_its_rows_out() -> None:
    tables = flat_tables()
    tables["registrations"][0]["user_id"] = "zed"
    assert table_problems(tables)[0] == (
        "$.registrations[0].user_id",
        "Session 's1': registration 'zed' is not a user of the directory",
        "zed",
        None,
    )


def test_row_keys_and_ignored_columns_of_users_and_groups_are_not_fields() -> None:
    tables = flat_tables()
    for number, row in enumerate(tables["users"]):
        row["pk"], row["synced"] = number, True
    for row in tables["groups"]:
        row["etl"] = "x"
    world = from_tables(
        **tables, row_keys={"users": "pk"}, ignore_keys={"users": {"synced"}, "groups": {"etl"}}
    )
    assert world.problems == () and len(world.directory.users) == len(tables["users"])


def test_a_slot_given_twice_is_named_at_its_id() -> None:
    doc = world_doc()
    slots = doc["sessions"][0]["slots"]
    slots.append(dict(slots[0]))
    assert problems(doc) == [
        (
            "$.sessions[0].slots[1].id",
            "Session 's1': slot id 'slot1' appears twice; slot ids must be unique",
        )
    ]


def test_a_slot_of_a_block_that_is_not_a_classroom_is_named_at_its_block_id() -> None:
    doc = world_doc()
    doc["sessions"][0]["slots"][0]["block_id"] = "quiz"
    assert problems(doc) == [
        (
            "$.sessions[0].slots[0].block_id",
            "Session 's1': slot 'slot1' names block 'quiz', of kind ASSESSMENT; slots belong "
            "to CLASSROOM blocks",
        )
    ]


def test_valid_database_rows_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = flat_tables()
    expected = from_tables(**tables)
    for number, row in enumerate(tables["attempts"]):
        row["attempt_id"], row["synced"] = number, 1
        row["completed"] = int(row["completed"])
        row["started_at"] = row["started_at"].removesuffix("+00:00")  # naive UTC text
    tables["users"] = [MappingProxyType(row) for row in tables["users"]]
    _no_detailed_path(monkeypatch)
    monkeypatch.setattr(
        tables_module._Sessions, "quarantine", lambda *_: pytest.fail("quarantined")
    )
    by_column = []

    def spy(spec: Any, items: Any, *args: Any, **kwargs: Any) -> Any:
        found = values_of_records(spec, items, *args, **kwargs)
        by_column.append((spec.cls, found is not None))
        return found

    monkeypatch.setattr(tables_module, "values_of_records", spy)
    found = from_tables(
        **tables,
        naive_timezone="UTC",
        row_keys={"attempts": "attempt_id"},
        ignore_keys={"attempts": {"synced"}},
    )
    assert found == expected
    assert (Attempt, True) in by_column and (Registration, True) in by_column


def test_a_session_without_a_usable_id_is_named_session() -> None:
    doc = world_doc()
    doc["sessions"][0]["id"], doc["sessions"][0]["attempts"] = "", 0
    world = skipped(doc)
    assert [(p.path, p.message, p.record_id) for p in world.problems] == [
        ("$.sessions[0].id", "Session: id must be a non-empty identifier", None),
        ("$.sessions[0].attempts", "Session: attempts must be an array, got int", None),
    ]


def test_a_session_whose_author_is_not_a_user_is_left_out() -> None:
    doc = world_doc()
    doc["sessions"][0]["author_id"] = "zed"
    world = skipped(doc)
    assert world.sessions == ()
    assert [(p.path, p.message) for p in world.problems] == [
        ("$.sessions[0].author_id", "Session 's1': author 'zed' is not a user of the directory")
    ]


def test_a_user_twice_in_a_list_of_users_is_named_at_the_second() -> None:
    doc = world_doc()
    doc["sessions"][0]["instructor_ids"] = ["olga", "olga"]
    doc["sessions"][0]["waiting_list"] = ["dan", "dan"]
    world = skipped(doc)
    assert [(p.path, p.message) for p in world.problems] == [
        ("$.sessions[0].waiting_list[1]", "Session 's1': user 'dan' is on the waiting list twice"),
        ("$.sessions[0].instructor_ids[1]", "Session 's1': instructor_ids lists a user twice"),
    ]
    assert world.sessions[0].instructor_ids == ("olga",)
    assert world.sessions[0].waiting_list == ("dan",)


def test_a_cycle_shortens_long_group_ids() -> None:
    doc = world_doc()
    a, b = "a" * 19, "b" * 19  # 21 characters with their quotes
    doc["groups"] += [
        {"id": a, "name": "A", "parent_id": b},
        {"id": b, "name": "B", "parent_id": a},
    ]
    shown = "'aaaaaaaaaaaaaaaa... -> 'bbbbbbbbbbbbbbbb... -> 'aaaaaaaaaaaaaaaa..."
    assert skipped(doc).problems[0].message == (
        f"Group '{a}': is its own ancestor (cycle {shown}); break the cycle"
    )


def test_an_unknown_key_in_a_mapping_that_is_not_a_dict_is_a_problem() -> None:
    doc = world_doc()
    attempts = doc["sessions"][0]["attempts"]
    attempts[1]["bogus"] = 1
    doc["sessions"][0]["attempts"] = [MappingProxyType(a) for a in attempts]
    ((path, message),) = problems(doc)
    assert path == "$.sessions[0].attempts[1].bogus"
    assert message.startswith("Attempt of user 'ana' on block 'quiz': unknown field 'bogus'")


def test_the_attempts_of_a_document_are_read_by_column(monkeypatch: pytest.MonkeyPatch) -> None:
    read = []

    def spy(spec: Any, items: Any, *args: Any, **kwargs: Any) -> Any:
        found = values_of_records(spec, items, *args, **kwargs)
        read.append((spec.cls, found is not None))
        return found

    monkeypatch.setattr(structuring_module, "values_of_records", spy)
    structure_world(world_doc())
    assert (Attempt, True) in read and (Registration, True) in read


# ------------------------------------------------------------------------- problems


def test_the_error_counts_its_problems_in_words() -> None:
    one = Problem(path="$.a", message="bad")
    assert str(InvalidRecordsError([one])).startswith("1 problem in the records:\n$.a: bad")
    assert str(InvalidRecordsError([one, one])).startswith("2 problems in the records:\n")
    assert str(InvalidRecordsError([])).startswith("0 problems in the records:")


@pytest.mark.parametrize(
    ("field", "value", "kinds"),
    [("record_id", 5, "str or None"), ("row_key", 1.5, "str or int or None")],
)
def test_a_problem_checks_its_ids(field: str, value: object, kinds: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        Problem(path="$", message="m", **{field: value})
    assert str(info.value) == f"Problem: {field} must be {kinds}, got {value}"


def test_a_list_where_text_belongs_is_one_problem_not_one_per_entry() -> None:
    doc = world_doc()
    doc["users"][0]["first_name"] = [""]
    assert problems(doc) == [
        ("$.users[0].first_name", "User 'ana': first_name must be a str, got list")
    ]


def test_an_unknown_key_of_a_nested_record_is_a_problem() -> None:
    doc = world_doc()
    doc["sessions"][0]["template"]["bogus"] = 1
    ((path, message),) = problems(doc)
    assert path == "$.sessions[0].template.bogus"
    assert message.startswith("ProgramTemplate 'onboarding': unknown field 'bogus'")


def test_a_nested_record_that_is_not_an_object_is_named_once() -> None:
    doc = world_doc()
    doc["sessions"][0]["template"] = 5
    assert problems(doc) == [
        (
            "$.sessions[0].template",
            "a ProgramTemplate record must be an object (a mapping of its fields), got int",
        )
    ]


def test_a_mapping_where_text_belongs_is_one_problem() -> None:
    doc = world_doc()
    doc["users"][0]["first_name"] = {"": "x"}
    assert problems(doc) == [
        ("$.users[0].first_name", "User 'ana': first_name must be a str, got dict")
    ]


def test_a_key_that_is_not_text_is_named_by_its_representation() -> None:
    doc = world_doc()
    doc["users"][0][7] = "x"
    ((path, message),) = problems(doc)
    assert path == "$.users[0]['7']"
    assert message.startswith("User 'ana': unknown field 7; the fields of User are: id, ")


@pytest.mark.parametrize("value", [0, None, "$.a"])
def test_problems_table_takes_an_iterable_of_problems(value: object) -> None:
    with pytest.raises(InvalidInputError, match="problems_table: problems "):
        problems_table(value)  # type: ignore[arg-type]
