"""Real data as it comes (SPEC §8.1): database rows, every problem, safe paths and messages.

Each test names the rule it guards; a rule broken makes its test fail.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programstats import (
    Attempt,
    Block,
    BlockKind,
    Directory,
    Group,
    InvalidInputError,
    ProgramTemplate,
    Registration,
    Session,
    User,
    write_csv,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.records import (
    InvalidRecordsError,
    World,
    from_tables,
    left_out_counts,
    load_json,
    problems_table,
    structure,
    structure_directory,
    structure_session,
    structure_world,
    to_record,
)
from programstats.records import quarantine as quarantine_module
from programstats.records import structuring as structuring_module
from programstats.synthetic import synthetic_world

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(to_record(value)))


def world_doc() -> dict[str, Any]:
    found: dict[str, Any] = jsonable(World(directory=tiny_directory(), sessions=[tiny_session()]))
    return found


def tables_of(doc: dict[str, Any]) -> dict[str, list[Any]]:
    """The flat tables of a world document, as a database would hold them."""
    found: dict[str, list[Any]] = {name: [] for name in ("sessions", "templates", "blocks")}
    found |= {"groups": doc["groups"], "users": doc["users"]}
    for name in ("slots", "registrations", "attempts", "attendances"):
        found[name] = []
    for record in doc["sessions"]:
        record = dict(record)
        sid = record["id"]
        template = record.pop("template")
        if template not in found["templates"]:
            found["templates"].append(template)
        record["template_id"] = template["id"]
        for position, block in enumerate(record.pop("blocks")):
            found["blocks"].append({**block, "session_id": sid, "position": position * 10})
        for name in ("slots", "registrations", "attempts", "attendances"):
            found[name] += [{**row, "session_id": sid} for row in record.pop(name)]
        found["sessions"].append(record)
    return found


def paths(error: InvalidRecordsError | World) -> list[str]:
    return [p.path for p in error.problems]


# ------------------------------------------------------------------ rows as drivers give them

SCHEMA = """
CREATE TABLE groups (id TEXT, name TEXT, parent_id TEXT);
CREATE TABLE users (id TEXT, first_name TEXT, last_name TEXT, email TEXT, anonymized INTEGER);
CREATE TABLE templates (id TEXT, name TEXT);
CREATE TABLE sessions (id TEXT, name TEXT, author_id TEXT, template_id TEXT, start TEXT,
                       "end" TEXT);
CREATE TABLE blocks (id TEXT, session_id TEXT, position INTEGER, title TEXT, kind TEXT,
                     scored INTEGER, passing_score NUMERIC);
CREATE TABLE registrations (user_id TEXT, session_id TEXT, registered_at TEXT,
                            unregistered_at TEXT, via_catalog INTEGER);
CREATE TABLE attempts (attempt_id INTEGER PRIMARY KEY, session_id TEXT, user_id TEXT,
                       block_id TEXT, started_at TEXT, last_activity_at TEXT,
                       time_spent REAL, score REAL, completed INTEGER, created_at TEXT);
"""


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    """A small SQLite database as a platform keeps it: 0/1 booleans, naive UTC text.

    Closed after the test: Python 3.13 warns of a connection left open.
    """
    with closing(sqlite3.connect(":memory:")) as db:
        yield fill(db)


def fill(db: sqlite3.Connection) -> sqlite3.Connection:
    """The tables of `db`, filled."""
    db.row_factory = sqlite3.Row
    db.executescript(SCHEMA)
    db.execute("INSERT INTO groups VALUES ('g', 'Sales', NULL)")
    db.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?, 0)",
        [("olga", "Olga", "O", "o@x.io"), ("ana", "Ana", "Alves", "a@x.io"),
         ("bob", "Bob", "Brown", "b@x.io")],
    )  # fmt: skip
    db.execute("INSERT INTO templates VALUES ('t', 'Onboarding')")
    db.execute(
        "INSERT INTO sessions VALUES ('s1', 'March', 'olga', 't', '2026-03-02 09:00:00', "
        "'2026-03-31 18:00:00')"
    )
    db.executemany(
        "INSERT INTO blocks VALUES (?, 's1', ?, ?, ?, ?, ?)",
        [("quiz", 20, "Quiz", "ASSESSMENT", 1, 50), ("intro", 10, "Intro", "COURSE", 1, None)],
    )
    db.executemany(
        "INSERT INTO registrations VALUES (?, 's1', '2026-03-01 08:00:00', ?, ?)",
        [("ana", None, 1), ("bob", "2026-03-10 08:00:00", 0)],
    )
    db.executemany(
        "INSERT INTO attempts (session_id, user_id, block_id, started_at, last_activity_at, "
        "time_spent, score, completed, created_at) VALUES ('s1', ?, ?, ?, ?, ?, ?, ?, 'x')",
        [
            ("ana", "intro", "2026-03-03 10:00:00", "2026-03-03 10:40:00", 2400, 90, 1),
            ("ana", "quiz", "2026-03-04 10:00:00", "2026-03-04 10:10:00", 600.5, 70, 1),
            ("bob", "intro", "2026-03-05 10:00:00", "2026-03-05 10:05:00", 300, None, 0),
        ],
    )
    return db


def rows(db: sqlite3.Connection, table: str) -> list[sqlite3.Row]:
    return db.execute(f"SELECT * FROM {table}").fetchall()


def from_database(db: sqlite3.Connection, **options: Any) -> World:
    return from_tables(
        groups=rows(db, "groups"),
        users=rows(db, "users"),
        sessions=rows(db, "sessions"),
        templates=rows(db, "templates"),
        blocks=rows(db, "blocks"),
        slots=[],
        registrations=rows(db, "registrations"),
        attempts=rows(db, "attempts"),
        attendances=[],
        naive_timezone="UTC",
        row_keys={"attempts": "attempt_id"},
        ignore_keys={"attempts": {"created_at"}},
        **options,
    )


def test_sqlite_rows_give_the_session_built_by_hand(db: sqlite3.Connection) -> None:
    found = from_database(db)
    at = lambda day, hour, minute=0: datetime(2026, 3, day, hour, minute, tzinfo=UTC)  # noqa: E731
    expected = Session(
        id="s1",
        name="March",
        author_id="olga",
        template=ProgramTemplate(id="t", name="Onboarding"),
        start=at(2, 9),
        end=at(31, 18),
        blocks=[  # in the order of their positions, not of the rows
            Block(id="intro", title="Intro", kind=BlockKind.COURSE),
            Block(id="quiz", title="Quiz", kind=BlockKind.ASSESSMENT, passing_score=50),
        ],
        registrations=[
            Registration(user_id="ana", registered_at=at(1, 8), via_catalog=True),
            Registration(user_id="bob", registered_at=at(1, 8), unregistered_at=at(10, 8)),
        ],
        attempts=[
            Attempt(user_id="ana", block_id="intro", started_at=at(3, 10),
                    last_activity_at=at(3, 10, 40), time_spent=timedelta(seconds=2400),
                    score=90, completed=True),
            Attempt(user_id="ana", block_id="quiz", started_at=at(4, 10),
                    last_activity_at=at(4, 10, 10), time_spent=timedelta(seconds=600.5),
                    score=70, completed=True),
            Attempt(user_id="bob", block_id="intro", started_at=at(5, 10),
                    last_activity_at=at(5, 10, 5), time_spent=timedelta(seconds=300)),
        ],
    )  # fmt: skip
    assert found.problems == ()
    assert found.sessions == (expected,)
    assert set(found.directory.users) == {"olga", "ana", "bob"}


def test_sqlite_problems_carry_the_row_key(db: sqlite3.Connection) -> None:
    db.execute("UPDATE attempts SET score = 150, completed = 2 WHERE attempt_id = 2")
    with pytest.raises(InvalidRecordsError) as info:
        from_database(db)
    assert [(p.path, p.row_key) for p in info.value.problems] == [
        ("$.attempts[1].score", 2),
        ("$.attempts[1].completed", 2),
    ]
    assert "completed must be true or false (or the integers 0 and 1), got int 2" in (
        info.value.problems[1].message
    )
    skipped = from_database(db, on_error="skip")
    assert len(skipped.sessions[0].attempts) == 2
    table = list(problems_table(skipped.problems).rows)
    assert table[0][:3] == ("$.attempts[1].score", "ana", "2")


def test_without_naive_timezone_naive_text_is_a_problem(db: sqlite3.Connection) -> None:
    with pytest.raises(InvalidRecordsError) as info:
        from_tables(
            groups=[], users=rows(db, "users"), sessions=rows(db, "sessions"),
            templates=rows(db, "templates"), blocks=[], slots=[], registrations=[],
            attempts=[], attendances=[],
        )  # fmt: skip
    assert paths(info.value) == ["$.sessions[0].start", "$.sessions[0].end"]
    assert "has no offset: add one ('Z' for UTC) or pass naive_timezone=" in (
        info.value.problems[0].message
    )


def test_naive_timezone_reads_naive_values_in_that_zone() -> None:
    doc = world_doc()
    doc["sessions"][0]["start"] = "2026-03-02T10:00:00"
    doc["sessions"][0]["registrations"][0]["registered_at"] = datetime(2026, 3, 1, 9)
    found = structure_world(doc, naive_timezone="Europe/Paris")
    assert found.sessions[0].start == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert found.sessions[0].registrations[0].registered_at == datetime(2026, 3, 1, 8, tzinfo=UTC)
    with pytest.raises(InvalidInputError, match="naive_timezone"):
        structure_world(doc, naive_timezone="Mars/Olympus")


def test_any_mapping_decimals_and_int_booleans() -> None:
    record = jsonable(tiny_session())
    attempt = record["attempts"][0]
    attempt.update(score=Decimal("72.5"), time_spent=Decimal("3000"), completed=1)
    record["attempts"][0] = MappingProxyType(attempt)
    record["blocks"][1]["scored"] = 1
    record["collaboration"]["posts"] = Decimal(3)
    found = structure_session(record)
    expected = tiny_session()
    assert found.attempts[1:] == expected.attempts[1:] and found.blocks == expected.blocks
    assert found.attempts[0].score == 72.5 and found.attempts[0].completed is True
    assert found.collaboration.posts == 3 and type(found.collaboration.posts) is int


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("score", "80", "score must be a number (an int, a float or a Decimal), got str '80'"),
        ("score", True, "score must be a number (an int, a float or a Decimal), got bool True"),
        ("score", Decimal("NaN"), None),  # absent: the default
        ("score", Decimal("Infinity"), "score must be a finite number, got Decimal"),
        ("completed", "true", "completed must be true or false (or the integers 0 and 1)"),
        ("completed", 1.0, "completed must be true or false (or the integers 0 and 1)"),
        ("time_spent", "90", "time_spent must be a number of seconds or a timedelta, got str"),
        ("time_spent", Decimal("1e30"), "is not a usable number of seconds"),
    ],
)
def test_values_that_only_look_right(field: str, value: object, words: str | None) -> None:
    record = jsonable(tiny_session())
    record["attempts"][0][field] = value
    if words is None:
        assert structure_session(record).attempts[0].score is None
        return
    with pytest.raises(InvalidRecordsError) as info:
        structure_session(record)
    assert paths(info.value) == [f"$.attempts[0].{field}"]
    assert words in info.value.problems[0].message


# ------------------------------------------------------------------ every problem is found


def test_every_field_of_a_record_is_checked_when_one_is_unreadable_or_missing() -> None:
    record = jsonable(tiny_session())
    attempt = record["attempts"][0]
    del attempt["block_id"]  # missing
    attempt["started_at"] = "yesterday"  # unreadable
    attempt["score"] = 130  # breaks a rule on its own
    attempt["completed"] = "yes"  # unreadable
    with pytest.raises(InvalidRecordsError) as info:
        structure_session(record)
    assert paths(info.value) == [
        "$.attempts[0].block_id",
        "$.attempts[0].started_at",
        "$.attempts[0].score",
        "$.attempts[0].completed",
    ]


def test_every_problem_of_a_session_record_itself_is_found() -> None:
    record = jsonable(tiny_session())
    del record["name"]
    record["end"] = 7
    record["template"] = {"id": "", "name": "x"}
    record["instructor_ids"] = ["ok", "", 5]
    with pytest.raises(InvalidRecordsError) as info:
        structure_session(record)
    assert paths(info.value) == [
        "$.name",
        "$.template.id",
        "$.end",
        "$.instructor_ids[1]",
        "$.instructor_ids[2]",
    ]


def groups_in(order: str, count: int) -> list[dict[str, Any]]:
    """A chain of groups under a root that is bad (a name that is not text)."""
    chain = [{"id": "g0", "name": 0, "parent_id": None}]
    chain += [{"id": f"g{n}", "name": "G", "parent_id": f"g{n - 1}"} for n in range(1, count)]
    return chain[::-1] if order == "children first" else chain


@pytest.mark.parametrize("order", ["parents first", "children first"])
def test_groups_cost_linear_time_in_any_order(order: str) -> None:
    def seconds(count: int) -> float:
        doc = {"groups": groups_in(order, count), "users": []}
        started = time.perf_counter()
        found = structure_world({**doc, "sessions": []}, on_error="skip")
        elapsed = time.perf_counter() - started
        assert len(found.problems) == count and not found.directory.groups
        return elapsed

    small = min(seconds(1_000) for _ in range(3))
    large = min(seconds(4_000) for _ in range(3))
    assert large / small < 8  # linear: about 4 (quadratic: about 16)


def test_a_cycle_and_what_hangs_below_it_are_left_out() -> None:
    groups = [
        {"id": "a", "name": "A", "parent_id": "b"},
        {"id": "kid", "name": "K", "parent_id": "a"},
        {"id": "b", "name": "B", "parent_id": "a"},
        {"id": "ok", "name": "OK", "parent_id": None},
    ]
    found = structure_world({"groups": groups, "users": [], "sessions": []}, on_error="skip")
    assert set(found.directory.groups) == {"ok"}
    assert [(p.path, p.record_id) for p in found.problems] == [
        ("$.groups[0].parent_id", "a"),
        ("$.groups[2].parent_id", "b"),
        ("$.groups[1]", "kid"),
    ]
    assert "is its own ancestor (cycle 'a' -> 'b' -> 'a')" in found.problems[0].message
    assert found.problems[2].message == "left out because group 'a' ($.groups[0]) was left out"


# ------------------------------------------------------------------ problems are safe to write

TEXTS = st.text(
    alphabet=st.sampled_from(
        ["=", "+", "-", "@", "\t", "\r", "\n", "\x00", "\ud800", "\udfff", "'", "\\",
         ".", "[", "]", "$", "a", "0", " ", "\u200b", "\uff1d", "é", '"', ","]
    ),
    max_size=12,
)  # fmt: skip


def select(doc: Any, path: str) -> Any:
    """The value a JSONPath of this library's form selects (a test's own reader)."""
    assert path.startswith("$")
    rest, value = path[1:], doc
    token = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")
    while rest:
        match = token.match(rest)
        assert match is not None, f"not a path: {path!r}"
        name, quoted, number = match.groups()
        if number is not None:
            value = value[int(number)]
        else:
            key = name if name is not None else _unescape(quoted)
            value = value[key]
        rest = rest[match.end() :]
    return value


def _unescape(text: str) -> str:
    named = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "'": "'", "\\": "\\"}
    return re.sub(
        r"\\(u[0-9a-f]{4}|.)",
        lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5 else named[m.group(1)],
        text,
    )


USER_FIELDS = {f.name for f in User.__attrs_attrs__}  # type: ignore[attr-defined]


@settings(max_examples=60)
@given(key=TEXTS, ident=TEXTS)
def test_no_key_or_id_makes_a_formula_a_nul_a_surrogate_or_a_forged_path(
    key: str, ident: str
) -> None:
    doc = world_doc()
    users = doc["users"]
    users[0][key] = "value"  # a key no user has (unless it is a field: then it is fine)
    users[1]["id"] = ident  # an id that may be unusable
    doc["sessions"][0]["attempts"][0]["user_id"] = ident
    world = structure_world(doc, on_error="skip")
    for problem in world.problems:
        assert "\n" not in problem.path and "\r" not in problem.path
        assert len(problem.message) < 200
    if key not in USER_FIELDS:
        unknown = [p for p in world.problems if "unknown field" in p.message]
        assert select(doc, unknown[0].path) == "value"  # the path selects the value
    out = io.StringIO(newline="")
    write_csv(problems_table(world.problems), out)
    text = out.getvalue()
    assert "\x00" not in text
    text.encode("utf-8")  # no unpaired surrogate
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            stripped = cell.lstrip(" \t\r\n\u200b")
            assert stripped[:1] not in ("=", "+", "-", "@", "\uff1d") or cell.startswith("'")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("a.b[0]", "$.users[0]['a.b[0]']"),
        ("line\nbreak", "$.users[0]['line\\nbreak']"),
        ("it's", "$.users[0]['it\\'s']"),
        ("back\\slash", "$.users[0]['back\\\\slash']"),
        ("\x00\x1f", "$.users[0]['\\u0000\\u001f']"),
        ("0day", "$.users[0]['0day']"),
        ("plain_name2", "$.users[0].plain_name2"),
    ],
)
def test_paths_are_jsonpath_that_select_the_value(key: str, expected: str) -> None:
    doc = world_doc()
    doc["users"][0][key] = "value"
    with pytest.raises(InvalidRecordsError) as info:
        structure_world(doc)
    assert paths(info.value) == [expected]
    assert select(doc, expected) == "value"


def test_a_formula_as_record_id_is_written_protected() -> None:
    doc = world_doc()
    doc["users"][1]["id"] = '=HYPERLINK("http://x")'
    doc["users"][1]["email"] = 5
    world = structure_world(doc, on_error="skip")
    out = io.StringIO(newline="")
    write_csv(problems_table(world.problems), out)
    assert "'=HYPERLINK" in out.getvalue()
    assert ",=HYPERLINK" not in out.getvalue()


# ------------------------------------------------------------------ messages stay short


class NoRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def deep_list(depth: int) -> list[Any]:
    top: list[Any] = []
    current = top
    for _ in range(depth):
        current.append([])
        current = current[0]
    return top


HOSTILE: list[Callable[[], object]] = [
    lambda: 10**5000,
    lambda: "x" * 1_000_000,
    lambda: deep_list(100_000),
    NoRepr,
    lambda: {"k" * 10_000: "v"},
]


@pytest.mark.parametrize("make", HOSTILE)
@pytest.mark.parametrize(
    "where",
    ["attempts.score", "attempts.user_id", "blocks.id", "name", "start", "group_ids", "key"],
)
def test_messages_stay_under_200_characters(make: Callable[[], object], where: str) -> None:
    doc = world_doc()
    value = make()
    session = doc["sessions"][0]
    if where == "key":
        session["attempts"][0]["k" * 5000] = value
    elif "." in where:
        table, field = where.split(".")
        session[table][0][field] = value
    else:
        session[where] = value
    try:
        structure_world(doc)
    except InvalidRecordsError as error:
        assert error.problems
        for problem in error.problems:
            assert len(problem.message) < 200, problem.message
    else:  # a long text is a valid name: nothing to say
        assert where == "name" and isinstance(value, str)


# ------------------------------------------------------------------ tables are what they say


@pytest.mark.parametrize("value", [None, float("nan"), "attempts", {"a": 1}, 7])
def test_a_table_that_is_not_a_table_is_refused(value: object) -> None:
    tables = tables_of(world_doc())
    tables["attempts"] = value  # type: ignore[assignment]
    with pytest.raises(InvalidInputError, match="from_tables: attempts"):
        from_tables(**tables)


def test_a_session_row_carries_no_child_arrays_and_one_template() -> None:
    tables = tables_of(world_doc())
    tables["sessions"][0]["blocks"] = []
    with pytest.raises(InvalidRecordsError) as info:
        from_tables(**tables)
    assert paths(info.value) == ["$.sessions[0].blocks"]
    assert "a session row carries no blocks: they are rows of the blocks table" in (
        info.value.problems[0].message
    )
    tables = tables_of(world_doc())
    tables["sessions"][0]["template"] = {"id": "t", "name": "T"}
    with pytest.raises(InvalidRecordsError, match="a template or a template_id, not both"):
        from_tables(**tables)
    del tables["sessions"][0]["template_id"]
    assert from_tables(**tables).sessions[0].template == ProgramTemplate(id="t", name="T")


def test_block_positions_are_distinct_and_may_have_gaps() -> None:
    tables = tables_of(world_doc())
    assert [b["position"] for b in tables["blocks"]] == [0, 10, 20]  # gaps are fine
    shuffled = dict(tables, blocks=tables["blocks"][::-1])
    assert from_tables(**shuffled).sessions == (tiny_session(),)  # order by position
    tables["blocks"][2]["position"] = 10  # the workshop at the quiz's position
    with pytest.raises(InvalidRecordsError) as info:
        from_tables(**tables)
    assert paths(info.value) == ["$.blocks[1].position", "$.blocks[2].position"]
    skipped = from_tables(**tables, on_error="skip")
    # Both blocks go (which to keep would depend on row order), and what names them.
    assert [b.id for b in skipped.sessions[0].blocks] == [tiny_session().blocks[0].id]
    assert left_out_counts(skipped.problems)["block"] == 2


def test_row_keys_and_ignore_keys_are_checked() -> None:
    tables = tables_of(world_doc())
    with pytest.raises(InvalidInputError, match="row_keys names 'attempt'"):
        from_tables(**tables, row_keys={"attempt": "id"})
    with pytest.raises(InvalidInputError, match="ignore_keys\\['attempts'\\] must be a set"):
        from_tables(**tables, ignore_keys={"attempts": "created_at"})
    tables["attempts"][0]["created_at"] = "now"
    with pytest.raises(InvalidRecordsError, match="unknown field 'created_at'"):
        from_tables(**tables)
    assert from_tables(**tables, ignore_keys={"attempts": ["created_at"]}).problems == ()


# ------------------------------------------------------------------ one fast path


def test_valid_input_of_any_shape_never_takes_the_detailed_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("valid input went through the detailed path")

    monkeypatch.setattr(structuring_module.Structurer, "values", refuse)
    monkeypatch.setattr(quarantine_module.SessionBuilder, "build", refuse)
    monkeypatch.setattr(quarantine_module, "build_directory", refuse)
    world = synthetic_world(learners=30, sessions=3, seed=4)
    doc = jsonable(World(directory=world.directory, sessions=world.sessions))  # nulls included
    assert structure_world(doc).sessions == world.sessions
    for record in doc["sessions"][0]["attempts"]:  # missing optional keys, NaN for nothing
        if record["score"] is None:
            record["score"] = float("nan")
        if not record["completed"]:
            del record["completed"]
    assert structure_world(doc, on_error="skip").sessions == world.sessions
    tables = tables_of(jsonable(World(directory=world.directory, sessions=world.sessions)))
    assert from_tables(**tables).sessions == world.sessions
    assert structure(User, {"id": "u", "first_name": "", "last_name": "", "email": "",
                            "group_ids": None, "deleted_at": float("nan")}).id == "u"  # fmt: skip


def test_a_key_given_twice_leaves_its_object_out() -> None:
    text = json.dumps(world_doc()).replace('"score": 80', '"score": 80, "score": 20', 1)
    assert '"score": 20' in text
    doc = load_json(text)
    with pytest.raises(InvalidRecordsError) as info:
        structure_world(doc)
    assert [p.message for p in info.value.problems] == [
        "the key 'score' is given twice in this object; give each key once"
    ]
    skipped = structure_world(doc, on_error="skip")
    assert len(skipped.sessions[0].attempts) == len(tiny_session().attempts) - 1


def test_left_out_counts_by_kind() -> None:
    doc = world_doc()
    doc["users"][1]["colour"] = "red"  # a key, the user kept
    doc["sessions"][0]["attempts"][0]["score"] = 200  # an attempt
    doc["sessions"][0]["tags"] = ["ok", 5]  # an entry
    doc["groups"][1]["name"] = None  # a group, and the entries that name it
    world = structure_world(doc, on_error="skip")
    counts = left_out_counts(world.problems)
    assert counts["key"] == 1 and counts["attempt"] == 1 and counts["group"] == 1
    assert counts["entry"] >= 2 and "user" not in counts


def test_structure_directory_names_every_bad_user() -> None:
    users = [
        {"id": "a", "first_name": 1, "last_name": "", "email": ""},
        {"id": "b", "first_name": "", "last_name": "", "email": "", "group_ids": ["nope"]},
    ]
    with pytest.raises(InvalidRecordsError) as info:
        structure_directory({"groups": [Group(id="g", name="G")], "users": users})
    assert paths(info.value) == ["$.users[0].first_name", "$.users[1].group_ids[0]"]
    assert isinstance(structure_directory({"groups": [], "users": []}), Directory)


@pytest.mark.parametrize(("count", "more"), [(20, ""), (21, "\n... and 1 more")])
def test_the_error_lists_twenty_problems_then_the_count(count: int, more: str) -> None:
    doc = world_doc()
    doc["users"][0].update({f"extra{n:02}": n for n in range(count)})
    with pytest.raises(InvalidRecordsError) as info:
        structure_world(doc)
    message = str(info.value)
    assert message.startswith(f"{count} problems in the records:\n$.users[0].extra00: ")
    assert len(message.splitlines()) == 21 + bool(more)
    assert message.endswith("'extra19'; the fields of User are: " + ", ".join(USER_ORDER) + more)


USER_ORDER = [f.name for f in User.__attrs_attrs__]  # type: ignore[attr-defined]


def test_structure_sessions_checks_its_arguments() -> None:
    from programstats.records import structure_directory_and_sessions, structure_sessions

    records = [jsonable(tiny_session())]
    with pytest.raises(InvalidInputError, match="directory must be a Directory"):
        structure_sessions(records, {"users": []})  # type: ignore[arg-type]
    for first in (-1, True, 1.5):
        with pytest.raises(InvalidInputError, match="first must be an int >= 0"):
            structure_sessions(records, tiny_directory(), first=first)  # type: ignore[arg-type]
    assert structure_sessions(records, tiny_directory(), first=0).sessions == (tiny_session(),)
    world = structure_sessions([{"id": 5}], tiny_directory(), on_error="skip", first=7)
    assert world.problems[0].path.startswith("$.sessions[7].")
    directory = jsonable(tiny_directory())
    for sessions in ("abc", {"a": 1}, 5):
        with pytest.raises(InvalidInputError, match="sessions must be an iterable"):
            structure_directory_and_sessions(directory, sessions)  # type: ignore[arg-type]
    assert structure_directory_and_sessions(directory, iter(records)).sessions == (tiny_session(),)


def test_structure_raises_for_a_record_it_could_build_but_with_a_problem() -> None:
    record = jsonable(tiny_session())["attempts"][0]
    assert structure(Attempt, record) == tiny_session().attempts[0]
    with pytest.raises(InvalidRecordsError, match="unknown field 'colour'"):
        structure(Attempt, {**record, "colour": "red"})  # the attempt is fine but for the key
    with pytest.raises(InvalidInputError, match="not an input type"):
        structure(dict, {})
