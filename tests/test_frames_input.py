"""Frames in (programstats.frames.from_frames): the tables of from_tables, read by column.

The reference is ``from_tables`` on the same rows as dicts: for valid input
both give the world the rows came from; for bad rows, the same problems at
the same paths (row 17 is the 17th row of the frame, counted from 0), with
the same row keys, and the same records left out under ``skip``. What only
frames have -- column types, nulls of each library, unknown columns -- has
its own rules, checked here for pandas, Polars and PyArrow alike.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import programstats.records
from programstats import Directory, InvalidInputError, Session
from programstats.frames import from_frames
from programstats.frames import reading as reading_module
from programstats.records import InvalidRecordsError, World, from_tables
from programstats.strategies import directories, sessions
from programstats.synthetic import synthetic_world

UTC = timezone.utc
BACKENDS = ("pandas", "polars", "pyarrow")
TABLES = (
    "groups",
    "users",
    "sessions",
    "templates",
    "blocks",
    "slots",
    "registrations",
    "attempts",
    "attendances",
)
Rows = dict[str, list[dict[str, Any]]]

# ------------------------------------------------------------------------------ tables of a world

TS = pa.timestamp("us", tz="UTC")
TEXT = pa.string()
IDS = pa.list_(pa.string())
FLAG = pa.bool_()
SECONDS = pa.duration("us")
REACTIONS = pa.struct(
    {n: pa.int64() for n in ("likes", "learned_something", "outdated", "didnt_get_it")}
)
COLUMNS: dict[str, dict[str, pa.DataType]] = {
    "groups": {"id": TEXT, "name": TEXT, "parent_id": TEXT},
    "users": {
        "id": TEXT,
        "first_name": TEXT,
        "last_name": TEXT,
        "email": TEXT,
        "group_ids": IDS,
        "custom_fields": pa.map_(pa.string(), pa.string()),
        "additional_information": TEXT,
        "manager_emails": IDS,
        "deleted_at": TS,
        "anonymized": FLAG,
    },
    "sessions": {
        "id": TEXT,
        "name": TEXT,
        "template_id": TEXT,
        "author_id": TEXT,
        "start": TS,
        "end": TS,
        "instructor_ids": IDS,
        "group_ids": IDS,
        "catalog_group_ids": IDS,
        "waiting_list": IDS,
        "certificate_user_ids": IDS,
        "expected_duration": SECONDS,
        "tags": IDS,
        "description": TEXT,
        "collaboration": pa.struct(
            {
                "posts": pa.int64(),
                "comments": pa.int64(),
                "reactions": REACTIONS,
            }
        ),
    },
    "templates": {"id": TEXT, "name": TEXT, "description": TEXT},
    "blocks": {
        "session_id": TEXT,
        "position": pa.int64(),
        "id": TEXT,
        "title": TEXT,
        "kind": TEXT,
        "scored": FLAG,
        "examination_mode": FLAG,
        "passing_score": pa.float64(),
    },
    "slots": {
        "session_id": TEXT,
        "id": TEXT,
        "block_id": TEXT,
        "title": TEXT,
        "start": TS,
        "end": TS,
        "duration_hours": pa.float64(),
    },
    "registrations": {
        "session_id": TEXT,
        "user_id": TEXT,
        "registered_at": TS,
        "unregistered_at": TS,
        "via_catalog": FLAG,
    },
    "attempts": {
        "session_id": TEXT,
        "user_id": TEXT,
        "block_id": TEXT,
        "started_at": TS,
        "last_activity_at": TS,
        "time_spent": SECONDS,
        "score": pa.float64(),
        "completed": FLAG,
    },
    "attendances": {"session_id": TEXT, "user_id": TEXT, "slot_id": TEXT, "percent": pa.float64()},
}


def _plain(value: Any) -> Any:
    """A field's value as a database driver gives it."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, dict):  # custom fields
        return dict(value)
    return value


def _row(value: Any, table: str, **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in COLUMNS[table]:
        if name in extra:
            found[name] = extra[name]
        elif name == "collaboration":
            found[name] = attrs.asdict(value.collaboration)
        else:
            found[name] = _plain(getattr(value, name))
    return found


def rows_of(directory: Directory, found_sessions: tuple[Session, ...]) -> Rows:
    """The flat tables of a world, as rows of Python values (blocks listed last first)."""
    rows: Rows = {name: [] for name in TABLES}
    rows["groups"] = [_row(group, "groups") for group in directory.groups.values()]
    rows["users"] = [_row(user, "users") for user in directory.users.values()]
    for session in found_sessions:
        if all(t["id"] != session.template.id for t in rows["templates"]):
            rows["templates"].append(_row(session.template, "templates"))
        rows["sessions"].append(_row(session, "sessions", template_id=session.template.id))
        for number, block in reversed(list(enumerate(session.blocks))):
            rows["blocks"].append(
                _row(block, "blocks", session_id=session.id, position=10 * number)
            )
        for table in ("slots", "registrations", "attempts", "attendances"):
            rows[table] += [
                _row(item, table, session_id=session.id) for item in getattr(session, table)
            ]
    return rows


@attrs.frozen
class Style:
    """How the columns of a table are typed."""

    timestamps: str = "aware"  # or "naive" (wall time in TOKYO), or "text" (ISO 8601)
    durations: str = "duration"  # or "seconds"
    flags: str = "bool"  # or "int" (0 and 1)


TOKYO = "Asia/Tokyo"  # no daylight saving time: wall times read back to the same instants


def styled(rows: Rows, style: Style) -> tuple[Rows, dict[str, dict[str, pa.DataType]]]:
    """The rows with values as ``style`` types them, and the Arrow type of each column."""
    found: Rows = {}
    types: dict[str, dict[str, pa.DataType]] = {}
    for table, items in rows.items():
        types[table] = dict(COLUMNS[table])
        changes: dict[str, Callable[[Any], Any]] = {}
        for name, kind in COLUMNS[table].items():
            if kind == TS and style.timestamps == "naive":
                types[table][name] = pa.timestamp("us")
                changes[name] = lambda v: v.astimezone(ZoneInfo(TOKYO)).replace(tzinfo=None)
            elif kind == TS and style.timestamps == "text":
                types[table][name] = TEXT
                changes[name] = datetime.isoformat
            elif kind == SECONDS and style.durations == "seconds":
                types[table][name] = pa.float64()
                changes[name] = timedelta.total_seconds
            elif kind == FLAG and style.flags == "int":
                types[table][name] = pa.int64()
                changes[name] = int
        found[table] = [
            {k: (changes[k](v) if k in changes and v is not None else v) for k, v in row.items()}
            for row in items
        ]
    return found, types


def arrow_of(rows: Rows, types: dict[str, dict[str, pa.DataType]] | None = None) -> dict[str, Any]:
    types = types or COLUMNS
    return {
        table: pa.Table.from_pylist(items, schema=pa.schema(types[table]))
        for table, items in rows.items()
    }


def frames_of(tables: dict[str, pa.Table], backend: str) -> dict[str, Any]:
    """The Arrow tables as frames of ``backend`` (pandas as PyArrow converts them)."""
    if backend == "pyarrow":
        return dict(tables)
    if backend == "polars":
        return {name: pl.from_arrow(table) for name, table in tables.items()}
    return {name: table.to_pandas() for name, table in tables.items()}


def both(frames: dict[str, Any], rows: Rows, **options: Any) -> tuple[Any, Any]:
    """What ``from_frames`` and ``from_tables`` give (a world, or the error's problems)."""
    found = []
    for call in (lambda: from_frames(**frames, **options), lambda: from_tables(**rows, **options)):
        try:
            found.append(call())
        except InvalidRecordsError as error:
            found.append(error.problems)
    return found[0], found[1]


@st.composite
def small_worlds(draw: st.DrawFn) -> tuple[Directory, tuple[Session, ...]]:
    """Small worlds, each session with a template of its own (templates are rows by id)."""
    directory = draw(directories(max_users=5, max_groups=3))
    count = draw(st.integers(min_value=1, max_value=2))
    found = []
    for number in range(count):
        session = draw(sessions(directory, session_id=f"s{number}", max_blocks=3, max_attempts=8))
        template = attrs.evolve(session.template, id=f"t{number}")
        found.append(attrs.evolve(session, template=template))
    return directory, tuple(found)


STYLES = st.builds(
    Style,
    timestamps=st.sampled_from(["aware", "naive", "text"]),
    durations=st.sampled_from(["duration", "seconds"]),
    flags=st.sampled_from(["bool", "int"]),
)


# ------------------------------------------------------------------------------ the same world


@settings(max_examples=25)  # three backends and from_tables per world
@given(small_worlds(), STYLES)
def test_frames_give_what_from_tables_gives_and_the_world_itself(
    world: tuple[Directory, tuple[Session, ...]], style: Style
) -> None:
    directory, found_sessions = world
    rows, types = styled(rows_of(directory, found_sessions), style)
    zone = TOKYO if style.timestamps == "naive" else None
    expected = from_tables(**rows, naive_timezone=zone)
    assert expected.sessions == found_sessions and expected.directory == directory
    tables = arrow_of(rows, types)
    for backend in BACKENDS:
        found = from_frames(**frames_of(tables, backend), naive_timezone=zone)
        assert found == expected, backend


def test_a_large_world_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """No dict per row: valid frames never reach from_tables nor build large tables by row."""
    world = synthetic_world(learners=2000, sessions=2, seed=3)
    tables = arrow_of(rows_of(world.directory, world.sessions))

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the fast path read rows")

    records_by_row = reading_module._Builder.records

    def small_tables_only(builder: Any, table: str) -> Any:
        assert table in ("groups", "templates", "sessions", "blocks", "slots"), table
        return records_by_row(builder, table)

    monkeypatch.setattr(programstats.records, "from_tables", refuse)
    monkeypatch.setattr(reading_module._Builder, "records", small_tables_only)
    monkeypatch.setattr(reading_module.Frame, "rows_as_records", refuse)
    for backend in BACKENDS:
        found = from_frames(**frames_of(tables, backend))
        assert found.sessions == world.sessions and found.directory == world.directory


def test_parquet_round_trip_through_every_backend(tmp_path: Path) -> None:
    world = synthetic_world(learners=12, sessions=2, seed=4)
    tables = arrow_of(rows_of(world.directory, world.sessions))
    readers: dict[str, Callable[[Path], Any]] = {
        "pandas": pd.read_parquet,
        "polars": pl.read_parquet,
        "pyarrow": pq.read_table,
    }
    for name, table in tables.items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    for backend, read in readers.items():
        frames = {name: read(tmp_path / f"{name}.parquet") for name in tables}
        found = from_frames(**frames)
        assert found.sessions == world.sessions, backend
        assert found.directory == world.directory and found.problems == ()


def test_without_numpy_timestamps_and_durations_are_read_from_integers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = synthetic_world(learners=8, sessions=1, seed=5)
    tables = arrow_of(rows_of(world.directory, world.sessions))
    expected = {backend: frames_of(tables, backend) for backend in ("polars", "pyarrow")}
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy now fails
    for backend, frames in expected.items():
        found = from_frames(**frames)
        assert found.sessions == world.sessions, backend


# ------------------------------------------------------------------------------ bad rows

WORLD = synthetic_world(learners=10, sessions=2, seed=2)


def world_rows() -> Rows:
    return rows_of(WORLD.directory, WORLD.sessions)


def _set(table: str, row: int, **values: Any) -> Callable[[Rows], None]:
    def change(rows: Rows) -> None:
        rows[table][row].update(values)

    return change


CORRUPTIONS: dict[str, Callable[[Rows], None]] = {
    "score out of range": _set("attempts", 17, score=250.0),
    "null in a required field": _set("attendances", 1, percent=None),
    "null text in a required field": _set("users", 2, email=None),
    "unregistered before registered": _set(
        "registrations", 3, unregistered_at=datetime(2000, 1, 1, tzinfo=UTC)
    ),
    "block position given twice": _set("blocks", 1, position=0),
    "row of no session": _set("attendances", 0, session_id="nowhere"),
    "unknown template": _set("sessions", 1, template_id="missing"),
    "unknown group": _set("users", 0, group_ids=["nowhere"]),
    "template id twice": lambda rows: rows["templates"].append(dict(rows["templates"][0])),
    "session id twice": _set("sessions", 1, id=WORLD.sessions[0].id),
    "attempt of no registration": _set("attempts", 4, user_id=WORLD.sessions[0].author_id),
    "author not in the directory": _set("sessions", 0, author_id="nobody"),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
@pytest.mark.parametrize("on_error", ["raise", "skip"])
def test_bad_rows_give_the_problems_of_from_tables(corruption: str, on_error: str) -> None:
    rows = world_rows()
    CORRUPTIONS[corruption](rows)
    tables = arrow_of(rows)
    expected = from_tables(**rows, on_error="skip")
    assert expected.problems, "the corruption is a problem"
    for backend in BACKENDS:
        found, reference = both(frames_of(tables, backend), rows, on_error=on_error)
        assert found == reference, backend


def test_a_bad_row_is_named_by_its_position_and_key() -> None:
    rows = world_rows()
    for number, row in enumerate(rows["attempts"]):
        row["attempt_id"] = 1000 + number
        row["imported_at"] = "yesterday"
        row["completed"] = int(row["completed"])
    rows["attempts"][17]["score"] = 250.0
    rows["attempts"][18]["completed"] = 2
    types = dict(COLUMNS["attempts"], attempt_id=pa.int64(), imported_at=TEXT, completed=pa.int64())
    tables = arrow_of(rows, {**COLUMNS, "attempts": types})
    frame = tables["attempts"].to_pandas()
    frame.index = range(len(frame), 0, -1)  # labels that are not positions
    options: dict[str, Any] = {
        "row_keys": {"attempts": "attempt_id"},
        "ignore_keys": {"attempts": {"imported_at"}},
    }
    for backend in BACKENDS:
        frames = {
            **frames_of(tables, backend),
            **({"attempts": frame} if backend == "pandas" else {}),
        }
        with pytest.raises(InvalidRecordsError) as info:
            from_frames(**frames, **options)
        assert [(p.path, p.row_key) for p in info.value.problems] == [
            ("$.attempts[17].score", 1017),
            ("$.attempts[18].completed", 1018),
        ]
        assert info.value.problems[1].message.endswith(
            "completed must be true or false (or the integers 0 and 1), got int 2"
        )
        found = from_frames(**frames, on_error="skip", **options)
        assert found == from_tables(**rows, on_error="skip", **options)
        kept = [a for s in found.sessions for a in s.attempts]
        assert len(kept) == len(rows["attempts"]) - 2


# ------------------------------------------------------------------------------ nulls and flags


def attempt_frames(**columns: Any) -> dict[str, Any]:
    """A one-block session with two attempts; ``columns`` replace the attempts' columns."""
    rows = {
        "users": pd.DataFrame(
            {"id": ["ana"], "first_name": ["Ana"], "last_name": ["A"], "email": ["ana@example.com"]}
        ),
        "templates": pd.DataFrame({"id": ["t"], "name": ["T"]}),
        "sessions": pd.DataFrame(
            {
                "id": ["s"],
                "name": ["S"],
                "template_id": ["t"],
                "author_id": ["ana"],
                "start": pd.to_datetime(["2026-03-01T00:00Z"]),
                "end": pd.to_datetime(["2026-03-31T00:00Z"]),
            }
        ),
        "blocks": pd.DataFrame(
            {"session_id": ["s"], "position": [0], "id": ["b"], "title": ["B"], "kind": ["COURSE"]}
        ),
        "registrations": pd.DataFrame(
            {
                "session_id": ["s"],
                "user_id": ["ana"],
                "registered_at": pd.to_datetime(["2026-03-01T00:00Z"]),
            }
        ),
    }
    attempts = {
        "session_id": ["s", "s"],
        "user_id": ["ana", "ana"],
        "block_id": ["b", "b"],
        "started_at": pd.to_datetime(["2026-03-02T10:00Z", "2026-03-03T10:00Z"]),
        "last_activity_at": pd.to_datetime(["2026-03-02T11:00Z", "2026-03-03T11:00Z"]),
        "time_spent": pd.to_timedelta([600, 30], unit="s"),
        **columns,
    }
    rows["attempts"] = pd.DataFrame(attempts)
    return rows


def only_attempts(world: World) -> list[tuple[Any, ...]]:
    return [(a.score, a.completed, a.time_spent) for a in world.sessions[0].attempts]


def native_type(frame: Any, column: str) -> str:
    """The name a DataFrame library gives the type of one of its columns."""
    if isinstance(frame, pa.Table):
        return str(frame.schema.field(column).type)
    if isinstance(frame, pd.DataFrame):
        return str(frame[column].dtype)
    return str(frame.schema[column])  # Polars


def as_backend(frames: dict[str, Any], backend: str) -> dict[str, Any]:
    if backend == "pandas":
        return frames
    arrow = {
        name: pa.Table.from_pandas(frame, preserve_index=False) for name, frame in frames.items()
    }
    return frames_of(arrow, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_nulls_of_every_library_are_absent(backend: str) -> None:
    frames = attempt_frames(
        score=pd.Series([80.0, None], dtype="Float64"),  # pd.NA; an Arrow or Polars null
        completed=pd.Series([True, None], dtype="boolean"),
    )
    found = from_frames(**as_backend(frames, backend))
    assert only_attempts(found) == [
        (80.0, True, timedelta(minutes=10)),
        (None, False, timedelta(seconds=30)),
    ]
    frames = attempt_frames(score=[float("nan"), 70.0])  # NaN: pandas' float null
    frames["registrations"]["unregistered_at"] = pd.Series([pd.NaT], dtype="datetime64[us, UTC]")
    found = from_frames(**as_backend(frames, backend))
    assert [a.score for a in found.sessions[0].attempts] == [None, 70.0]
    assert found.sessions[0].registrations[0].unregistered_at is None


def test_polars_nan_and_pandas_objects_are_absent_too() -> None:
    polars = as_backend(attempt_frames(), "polars")
    score = pl.Series("score", [float("nan"), 70.0], nan_to_null=False)
    polars["attempts"] = polars["attempts"].with_columns(score)
    assert polars["attempts"]["score"].is_nan().to_list() == [True, False]  # not null
    assert [a.score for a in from_frames(**polars).sessions[0].attempts] == [None, 70.0]
    frames = attempt_frames(
        score=pd.Series([pd.NA, 70], dtype=object), completed=pd.Series([None, 1], dtype=object)
    )
    found = from_frames(**frames)
    assert only_attempts(found) == [
        (None, False, timedelta(minutes=10)),
        (70, True, timedelta(seconds=30)),
    ]


def test_a_pandas_object_column_is_read_value_by_value() -> None:
    frames = attempt_frames(score=pd.Series([1, True], dtype=object))  # 1 == True, yet...
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**frames)
    (problem,) = info.value.problems
    assert problem.path == "$.attempts[1].score" and "got bool True" in problem.message
    frames = attempt_frames(
        started_at=pd.Series(
            [datetime(2026, 3, 2, 11, tzinfo=ZoneInfo("Europe/Paris")), "2026-03-03T10:00:00Z"],
            dtype=object,
        )
    )
    found = from_frames(**frames).sessions[0].attempts
    assert [a.started_at for a in found] == [
        datetime(2026, 3, 2, 10, tzinfo=UTC),
        datetime(2026, 3, 3, 10, tzinfo=UTC),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_null_in_a_required_field_is_a_row_problem(backend: str) -> None:
    frames = attempt_frames(time_spent=pd.to_timedelta([600, None], unit="s"))
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**as_backend(frames, backend))
    (problem,) = info.value.problems
    assert problem.path == "$.attempts[1].time_spent"
    assert "required" in problem.message


@pytest.mark.parametrize("backend", BACKENDS)
def test_integers_0_and_1_are_booleans(backend: str) -> None:
    frames = attempt_frames(completed=[1, 0])
    found = [a.completed for a in from_frames(**as_backend(frames, backend)).sessions[0].attempts]
    assert found == [True, False] and all(type(flag) is bool for flag in found)  # not 1 and 0
    frames = attempt_frames(completed=[1, 2])
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**as_backend(frames, backend))
    assert [p.path for p in info.value.problems] == ["$.attempts[1].completed"]
    found = from_frames(**as_backend(frames, backend), on_error="skip")
    assert len(found.sessions[0].attempts) == 1


# ------------------------------------------------------------------------------ column types


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("on_error", ["raise", "skip"])
def test_a_column_of_the_wrong_type_is_one_problem_in_both_modes(
    backend: str, on_error: str
) -> None:
    frames = attempt_frames(score=["80", "70"], completed=["yes", "no"])
    frames["blocks"]["passing_score"] = [True]
    given = as_backend(frames, backend)
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**given, on_error=on_error)
    found = {p.path: p.message for p in info.value.problems}
    assert list(found) == [
        "$.blocks[*].passing_score",
        "$.attempts[*].score",
        "$.attempts[*].completed",
    ]
    # The library's own name for the type: 'str' in pandas 3, 'object' in
    # pandas 2, 'String' in Polars, 'large_string' or 'string' in Arrow.
    dtype = native_type(given["attempts"], "score")
    assert dtype in ("str", "object", "String", "large_string", "string")
    assert found["$.attempts[*].score"] == (
        f"attempts column 'score' is {dtype}, which cannot hold numbers "
        "(give integers, floats or decimals)"
    )
    assert "which cannot hold true or false" in found["$.attempts[*].completed"]
    assert all(p.record_id is None and p.row_key is None for p in info.value.problems)


@pytest.mark.parametrize(
    ("column", "values", "words"),
    [
        ("started_at", [1.0, 2.0], "cannot hold timestamps"),
        ("time_spent", ["600", "30"], "cannot hold durations"),
        ("user_id", [1, 2], "cannot hold text"),
        ("position", [0.0], "cannot hold block positions"),
        ("session_id", [True, True], "cannot hold text"),
        ("completed", [1.0, 0.0], "cast it to 'boolean'"),
    ],
)
def test_what_each_kind_of_column_refuses(column: str, values: list[Any], words: str) -> None:
    frames = attempt_frames()
    frames["blocks" if column == "position" else "attempts"][column] = values
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**frames)
    (problem,) = info.value.problems
    assert problem.path.endswith(f"[*].{column}") and words in problem.message


@pytest.mark.parametrize("backend", BACKENDS)
def test_categorical_text_and_decimal_numbers(backend: str) -> None:
    frames = attempt_frames()
    frames["blocks"]["kind"] = pd.Categorical(["COURSE"])
    frames = as_backend(frames, backend)
    scores = pa.array([Decimal("87.5"), Decimal("80")], pa.decimal128(5, 2))
    arrow = pa.Table.from_pandas(attempt_frames()["attempts"], preserve_index=False).append_column(
        "score", scores
    )
    frames["attempts"] = frames_of({"attempts": arrow}, backend)["attempts"]
    found = from_frames(**frames).sessions[0]
    assert found.blocks[0].kind.name == "COURSE"
    assert [(a.score, type(a.score)) for a in found.attempts] == [(87.5, float), (80, int)]


def test_an_all_null_column_of_any_type_is_absent_values() -> None:
    frames = attempt_frames(score=pd.Series([None, None], dtype="str"), completed=[None, None])
    assert only_attempts(from_frames(**frames))[1] == (None, False, timedelta(seconds=30))
    arrow = as_backend(attempt_frames(), "pyarrow")
    arrow["attempts"] = arrow["attempts"].append_column("score", pa.nulls(2))  # type null
    assert [a.score for a in from_frames(**arrow).sessions[0].attempts] == [None, None]


def test_an_unknown_column_is_one_problem_raised_or_reported() -> None:
    frames = attempt_frames(nickname=["x", "y"], colour=[1, 2])
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**frames)
    assert [p.path for p in info.value.problems] == [
        "$.attempts[*].nickname",
        "$.attempts[*].colour",
    ]
    assert "ignore_keys=" in info.value.problems[0].message
    found = from_frames(**frames, on_error="skip")
    assert [p.path for p in found.problems] == ["$.attempts[*].nickname", "$.attempts[*].colour"]
    assert len(found.sessions[0].attempts) == 2
    assert from_frames(**frames, ignore_keys={"attempts": ["nickname", "colour"]}).problems == ()


def test_unknown_columns_come_before_the_problems_of_rows() -> None:
    frames = attempt_frames(nickname=["x", "y"], score=[80.0, 250.0])
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**frames)
    assert [p.path for p in info.value.problems] == [
        "$.attempts[*].nickname",
        "$.attempts[1].score",
    ]
    found = from_frames(**frames, on_error="skip")
    assert [p.path for p in found.problems] == ["$.attempts[*].nickname", "$.attempts[1].score"]


def test_a_column_named_twice_is_a_problem() -> None:
    frames = attempt_frames()
    duplicated = pd.concat([frames["attempts"], frames["attempts"][["user_id"]]], axis=1)
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**{**frames, "attempts": duplicated}, on_error="skip")
    (problem,) = info.value.problems
    assert problem.path == "$.attempts[*].user_id" and "more than one column" in problem.message


# ------------------------------------------------------------------------------ timestamps


def test_naive_timestamps_need_naive_timezone() -> None:
    frames = attempt_frames()
    attempts = frames["attempts"]
    attempts["started_at"] = attempts["started_at"].dt.tz_localize(None)
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**frames, on_error="skip")
    (problem,) = info.value.problems
    assert problem.path == "$.attempts[*].started_at"
    dtype = str(attempts["started_at"].dtype)  # datetime64[us] in pandas 3, [ns] in pandas 2
    assert dtype.startswith("datetime64[")
    assert "pass naive_timezone=" in problem.message and f" is {dtype}," in problem.message
    utc = from_frames(**frames, naive_timezone="UTC").sessions[0].attempts[0]
    assert utc.started_at == datetime(2026, 3, 2, 10, tzinfo=UTC) and utc.started_at.tzinfo is UTC
    attempts["last_activity_at"] = attempts["last_activity_at"] + pd.Timedelta(hours=1)
    paris = from_frames(**frames, naive_timezone="Europe/Paris").sessions[0].attempts[0]
    assert paris.started_at == datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_iso_text_timestamps_as_pandas_reads_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "attempts.csv"
    path.write_text(
        "session_id,user_id,block_id,started_at,last_activity_at,time_spent,score,completed\n"
        "s,ana,b,2026-03-02T10:00:00Z,2026-03-02T12:00:00+01:00,600,80,1\n"
        "s,ana,b,2026-03-03T10:00:00Z,2026-03-03T10:30:00Z,30.5,,0\n",
        encoding="utf-8",
    )
    frames = attempt_frames()
    frames["attempts"] = pd.read_csv(path)
    found = from_frames(**frames).sessions[0].attempts
    assert [(a.last_activity_at, a.time_spent, a.score, a.completed) for a in found] == [
        (datetime(2026, 3, 2, 11, tzinfo=UTC), timedelta(seconds=600), 80, True),
        (datetime(2026, 3, 3, 10, 30, tzinfo=UTC), timedelta(seconds=30.5), None, False),
    ]
    frames["attempts"].loc[1, "started_at"] = "2026-03-03 10:00"  # no offset
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**frames)
    assert [p.path for p in info.value.problems] == ["$.attempts[1].started_at"]


def test_timestamps_beyond_python_datetimes_are_row_problems() -> None:
    arrow = as_backend(attempt_frames(), "pyarrow")
    late = pa.array([0, 400 * 366 * 86400 * 10**6 * 25], pa.int64()).cast(TS)  # year 11970
    attempts = arrow["attempts"]
    index = attempts.schema.get_field_index("last_activity_at")
    arrow["attempts"] = attempts.set_column(index, "last_activity_at", late)
    for backend in ("polars", "pyarrow"):
        with pytest.raises(InvalidRecordsError) as info:
            from_frames(**frames_of(arrow, backend))
        messages = {p.path: p.message for p in info.value.problems}
        assert "got OutOfRange <after year 9999>" in messages["$.attempts[1].last_activity_at"]


def test_a_timestamp_beyond_python_datetimes_leaves_the_others_of_its_column_right() -> None:
    arrow = as_backend(attempt_frames(), "pyarrow")
    eleven = int(datetime(2026, 3, 2, 11, tzinfo=UTC).timestamp()) * 10**6
    late = pa.array([eleven, 400 * 366 * 86400 * 10**6 * 25], pa.int64()).cast(TS)
    attempts = arrow["attempts"]
    index = attempts.schema.get_field_index("last_activity_at")
    arrow["attempts"] = attempts.set_column(index, "last_activity_at", late)
    for backend in ("polars", "pyarrow"):
        found = from_frames(**frames_of(arrow, backend), on_error="skip")
        (kept,) = found.sessions[0].attempts
        assert kept.last_activity_at == datetime(2026, 3, 2, 11, tzinfo=UTC), backend
        assert [p.path for p in found.problems] == ["$.attempts[1].last_activity_at"]


# ------------------------------------------------------------------------------ lists and maps


def user_frame(**columns: Any) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["ana", "bob"],
            "first_name": ["Ana", "Bob"],
            "last_name": ["A", "B"],
            "email": ["a@x", "b@x"],
            **columns,
        }
    )


def test_custom_fields_as_dicts_structs_and_maps() -> None:
    groups = pd.DataFrame({"id": ["g"], "name": ["G"]})
    users = user_frame(
        custom_fields=[{"Team": "North"}, None],
        group_ids=[["g"], None],
        manager_emails=[("m@x",), []],
    )
    expected = from_frames(groups=groups, users=users).directory
    assert expected.user("ana").custom_fields == {"Team": "North"}
    assert (
        expected.user("bob").custom_fields == {} and expected.user("bob").group_ids == frozenset()
    )
    struct = pa.table(
        {
            "id": pa.array(["ana", "bob"]),
            "first_name": pa.array(["Ana", "Bob"]),
            "last_name": pa.array(["A", "B"]),
            "email": pa.array(["a@x", "b@x"]),
            "custom_fields": pa.array([{"Team": "North"}, {"Team": None}]),  # a struct
            "group_ids": pa.array([["g"], None]),
            "manager_emails": pa.array([["m@x"], []]),
        }
    )
    for backend in BACKENDS:
        found = from_frames(groups=groups, users=frames_of({"u": struct}, backend)["u"])
        assert found.directory == expected, backend
    mapped = struct.set_column(
        4, "custom_fields", pa.array([[("Team", "North")], None], pa.map_(TEXT, TEXT))
    )
    for backend in BACKENDS:
        found = from_frames(groups=groups, users=frames_of({"u": mapped}, backend)["u"])
        assert found.directory == expected, backend


def test_list_columns_must_hold_text() -> None:
    users = pa.table(
        {
            **{n: pa.array(["ana"]) for n in ("id", "first_name", "last_name", "email")},
            "group_ids": pa.array([[1]]),
        }
    )
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(users=users)
    assert [p.path for p in info.value.problems] == ["$.users[*].group_ids"]


# ------------------------------------------------------------------------------ arguments


def test_tables_must_be_frames() -> None:
    with pytest.raises(InvalidInputError, match=r"from_frames: users is None, not a frame"):
        from_frames(users=None)
    with pytest.raises(
        InvalidInputError, match=r"for rows .* use programstats.records.from_tables"
    ):
        from_frames(users=[{"id": "ana"}])
    with pytest.raises(InvalidInputError, match=r"a lazy frame: collect\(\) it first"):
        from_frames(users=pl.LazyFrame({"id": ["ana"]}))
    with pytest.raises(InvalidInputError, match="got Series"):
        from_frames(users=pd.Series(["ana"]))
    with pytest.raises(InvalidInputError, match="not a frame"):
        from_frames(attempts=float("nan"))


def test_omitted_tables_are_empty() -> None:
    assert from_frames() == World(directory=Directory(users=[], groups=[]), sessions=[])
    frames = attempt_frames()
    del frames["users"]
    with pytest.raises(InvalidRecordsError):  # the author and learner are nobody
        from_frames(**frames)


def test_options_are_checked_as_from_tables_checks_them() -> None:
    with pytest.raises(InvalidInputError, match=r"^from_frames: row_keys names 'attempt'"):
        from_frames(row_keys={"attempt": "id"})
    with pytest.raises(InvalidInputError, match=r"^from_frames: ignore_keys\['users'\] must be"):
        from_frames(ignore_keys={"users": "email"})
    with pytest.raises(InvalidInputError, match="on_error"):
        from_frames(on_error="ignore")
    with pytest.raises(InvalidInputError, match="naive_timezone"):
        from_frames(naive_timezone="Mars/Olympus")


def test_rows_are_positions_not_pandas_labels() -> None:
    frames = attempt_frames(score=[80.0, 250.0])
    frames["attempts"].index = ["first", "second"]
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(**frames)
    assert [p.path for p in info.value.problems] == ["$.attempts[1].score"]


@pytest.mark.parametrize(
    "custom_fields",
    [
        pa.array(["North", "South"]),  # text
        pa.array([{"Team": 1}, {"Team": 2}]),  # a struct of numbers
        pa.array([[("Team", 1)], []], pa.map_(TEXT, pa.int64())),  # a map to numbers
        pa.array([[{"key": "Team", "value": 1}], []]),  # key-value structs, values numbers
        pa.array([[{"name": "Team", "text": "N"}], []]),  # structs of other fields
    ],
)
def test_custom_fields_must_be_text_to_text(custom_fields: Any) -> None:
    users = pa.table(
        {
            **{n: pa.array(["ana", "bob"]) for n in ("id", "first_name", "last_name", "email")},
            "custom_fields": custom_fields,
        }
    )
    with pytest.raises(InvalidRecordsError) as info:
        from_frames(users=users)
    (problem,) = info.value.problems
    assert problem.path == "$.users[*].custom_fields"
    assert "which cannot hold custom fields" in problem.message


def test_a_long_type_name_is_cut_at_40_characters() -> None:
    def users(struct: dict[str, int]) -> Any:
        return pa.table(
            {
                **{n: pa.array(["ana"]) for n in ("id", "first_name", "last_name", "email")},
                "custom_fields": pa.array([struct]),
            }
        )

    forty = {"T" * 25: 1}  # struct<TTTTTTTTTTTTTTTTTTTTTTTTT: int64>: 40 characters
    name = str(users(forty).schema.field("custom_fields").type)
    assert len(name) == 40
    longer = name.replace("T: int64", "TT: int64")
    for struct, shown in [(forty, name), ({"T" * 26: 1}, longer[:39] + "\u2026")]:
        with pytest.raises(InvalidRecordsError) as info:
            from_frames(users=users(struct))
        assert f"custom_fields' is {shown}," in info.value.problems[0].message


@pytest.mark.parametrize("backend", BACKENDS)
def test_custom_fields_as_a_list_of_key_value_structs(backend: str) -> None:
    pairs = pa.list_(pa.struct([("key", TEXT), ("value", TEXT)]))
    users = pa.table(
        {
            **{n: pa.array(["ana", "bob"]) for n in ("id", "first_name", "last_name", "email")},
            "custom_fields": pa.array([[{"key": "Team", "value": "North"}], []], pairs),
        }
    )
    found = from_frames(users=frames_of({"u": users}, backend)["u"]).directory
    assert found.user("ana").custom_fields == {"Team": "North"}
    assert found.user("bob").custom_fields == {}
