"""programstats.frames, the way out: to_frame, learner_frame, and Parquet round trips."""

from __future__ import annotations

import enum
import importlib.util
import math
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dateutil import tz as dateutil_tz
from hypothesis import given, settings
from hypothesis import strategies as st

from programstats import (
    BlockResult,
    Directory,
    ExportOptions,
    Group,
    GroupDashboard,
    GroupResult,
    GroupSessionRow,
    InvalidInputError,
    LearnerBlock,
    LearnerResult,
    Problem,
    Session,
    SessionOverview,
    Table,
    User,
    block_results,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    sessions_table,
    template_results,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.formatting import format_datetime, format_duration, format_hours, format_number
from programstats.frames import BACKENDS, MissingBackendError, learner_frame, to_frame
from programstats.frames.output import RESULT_TYPES, Backend, unique_names
from programstats.rights import Viewer
from programstats.strategies import hostile_values, worlds
from programstats.world import Problems

UTC = timezone.utc
NOW = datetime(2026, 4, 10, tzinfo=UTC)
backends = pytest.mark.parametrize("backend", BACKENDS)


def arrow(native: Any) -> pa.Table:
    """Any backend's frame as an Arrow table (NaN, NaT and None become null)."""
    if isinstance(native, pa.Table):
        return native
    if isinstance(native, pl.DataFrame):
        return native.to_arrow()
    assert isinstance(native, pd.DataFrame)
    return pa.Table.from_pandas(native, preserve_index=False)


def records(native: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = arrow(native).to_pylist()
    return found


def _is_string_view(t: pa.DataType) -> bool:
    """Polars' text as Arrow (a type older pyarrow versions do not have)."""
    test = getattr(pa.types, "is_string_view", None)
    return bool(test(t)) if test is not None else False


def kinds(native: Any) -> list[str]:
    """Each column's type, in words common to the three backends."""
    found = []
    for field in arrow(native).schema:
        t = field.type
        # (pandas < 3 keeps an all-null text column as objects: Arrow's null type)
        text = (pa.types.is_string, pa.types.is_large_string, _is_string_view)
        if any(test(t) for test in text) or pa.types.is_null(t):
            found.append("text")
        elif pa.types.is_boolean(t):
            found.append("boolean")
        elif pa.types.is_int64(t):
            found.append("integer")
        elif pa.types.is_float64(t):
            found.append("float")
        elif pa.types.is_timestamp(t):
            assert t.unit == "us"
            found.append(f"datetime {t.tz}")
        elif pa.types.is_duration(t):
            assert t.unit == "us"
            found.append("duration")
        else:  # pragma: no cover - a failing test's message
            found.append(str(t))
    return found


def expected_rows(values: Sequence[Any], columns: list[str]) -> list[dict[str, Any]]:
    """The rows a sequence of results should give: each column's field value as a frame holds it."""
    rows = []
    for value in values:
        row = {}
        for name in columns:
            if name.startswith("level_"):
                bands = ["0_20", "20_40", "40_60", "60_80", "80_100"]
                row[name] = value.level_distribution[bands.index(name[len("level_") :])]
                continue
            item = getattr(value, name)
            if isinstance(item, enum.Enum):
                item = item.name
            elif name == "row_key" and item is not None:
                item = str(item)
            row[name] = item
        rows.append(row)
    return rows


def dashboard() -> GroupDashboard:
    return group_dashboard("sales", [tiny_session()], tiny_directory(), NOW, "Europe/Paris")


# ----------------------------------------------------------------------------- to_frame

LEARNER_COLUMNS = [
    "user_id",
    "first_name",
    "last_name",
    "registered",
    "deleted_at",
    "progress",
    "score",
    "time_spent",
    "started_at",
    "ended_at",
    "last_activity",
    "verified",
]
#: Every result type's columns: its scalar fields in field order, nested sequences left out.
COLUMNS = {
    SessionOverview: [
        "registrations",
        "open_registrations",
        "waiting_list",
        "attendees",
        "completed",
        "median_time",
        "average_score",
        "certificates",
        "level_0_20",
        "level_20_40",
        "level_40_60",
        "level_60_80",
        "level_80_100",
    ],
    GroupResult: ["group_id", "name", "users", "attendance", "progress", "score", "level"],
    LearnerResult: LEARNER_COLUMNS,
    LearnerBlock: ["block_id", "score", "time_spent", "completed"],
    BlockResult: [
        "block_id",
        "title",
        "kind",
        "started",
        "completed",
        "average_score",
        "average_time",
        "passed",
    ],
    GroupDashboard: [
        "group_id",
        "online_only",
        "blended",
        "attendance_rate",
        "completion_rate",
        "success_rate",
    ],
    GroupSessionRow: ["session_id", "title", "learners", "attendance", "progress", "score"],
    Problem: ["path", "message", "record_id", "row_key"],
}
TYPES = {
    SessionOverview: ["integer"] * 5 + ["duration", "float", "integer"] + ["integer"] * 5,
    GroupResult: ["text", "text", "integer", "float", "float", "float", "integer"],
    LearnerResult: [
        *("text", "text", "text", "boolean", "datetime UTC", "float", "float"),
        *("duration", "datetime UTC", "datetime UTC", "datetime UTC", "boolean"),
    ],
    LearnerBlock: ["text", "float", "duration", "boolean"],
    BlockResult: ["text", "text", "text", "integer", "integer", "float", "duration", "integer"],
    GroupDashboard: ["text", "integer", "integer", "float", "float", "float"],
    GroupSessionRow: ["text", "text", "integer", "integer", "float", "float"],
    Problem: ["text", "text", "text", "text"],
}


def every_result() -> dict[type, tuple[Any, ...]]:
    """Values of every result type, from the tiny session."""
    session, directory = tiny_session(), tiny_directory()
    overview = session_overview(session)
    learners = learner_results(session, directory)
    blocks = block_results(session)
    return {
        SessionOverview: (overview,),
        type(overview.progress_by_course[0]): overview.progress_by_course,
        type(overview.score_by_block[0]): overview.score_by_block,
        GroupResult: group_results(session, directory),
        LearnerResult: learners,
        LearnerBlock: learners[0].blocks,  # made when read, as learner_results gives them
        BlockResult: blocks,
        type(blocks[2].slots[0]): blocks[2].slots,
        GroupDashboard: (dashboard(),),
        GroupSessionRow: dashboard().sessions,
        Problem: (
            Problem(path="$.attempts[3].score", message="must be a number", record_id="ana"),
            Problem(path="$.users[0]", message="bad", row_key=17),
            Problem(path="$.users[1]", message="bad", row_key="k-2"),
        ),
    }


def test_every_result_type_is_covered() -> None:
    assert set(every_result()) == set(RESULT_TYPES)


@backends
def test_a_sequence_of_results_gives_one_row_each_with_its_scalar_fields(backend: Backend) -> None:
    for cls, values in every_result().items():
        frame = to_frame(values, backend=backend)
        found = records(frame)
        names = list(found[0]) if found else []
        if cls in COLUMNS:
            assert names == COLUMNS[cls], cls
            assert kinds(frame) == TYPES[cls], cls
        else:  # CourseProgress, BlockScore, SlotResult: every field a column
            assert names == [f.name for f in attrs.fields(cls)]
        assert found == expected_rows(values, names), cls


@backends
def test_dtypes_of_each_backend(backend: Backend) -> None:
    frame = to_frame(block_results(tiny_session()), backend=backend)
    if backend == "pandas":
        dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
        text = "str" if int(pd.__version__.partition(".")[0]) >= 3 else "object"
        assert dtypes == {
            "block_id": text,
            "title": text,
            "kind": text,
            "started": "int64",
            "completed": "int64",
            "average_score": "float64",
            "average_time": "timedelta64[us]",
            "passed": "Int64",  # an optional count: pandas' nullable integer
        }
        assert frame["passed"].isna().tolist() == [True, False, True]
    elif backend == "polars":
        assert frame.schema == pl.Schema(
            {
                "block_id": pl.String,
                "title": pl.String,
                "kind": pl.String,
                "started": pl.Int64,
                "completed": pl.Int64,
                "average_score": pl.Float64,
                "average_time": pl.Duration("us"),
                "passed": pl.Int64,
            }
        )
    else:
        assert frame.schema.types == [pa.string()] * 3 + [pa.int64()] * 2 + [
            pa.float64(),
            pa.duration("us"),
            pa.int64(),
        ]


@backends
def test_template_results_pairs_get_a_session_id_column_first(backend: Backend) -> None:
    session, directory = tiny_session(), tiny_directory()
    other = attrs.evolve(session, id="s2")
    pairs = template_results("onboarding", [session, other], directory)
    found = records(to_frame(pairs, backend=backend))
    assert list(found[0]) == ["session_id", *LEARNER_COLUMNS]
    assert [row["session_id"] for row in found] == ["s1"] * 4 + ["s2"] * 4
    assert [{k: v for k, v in row.items() if k != "session_id"} for row in found] == (
        expected_rows([result for _, result in pairs], LEARNER_COLUMNS)
    )
    empty = to_frame(template_results("none", [session], directory), backend=backend)
    assert arrow(empty).column_names == ["session_id", *LEARNER_COLUMNS]
    assert arrow(empty).num_rows == 0


@backends
def test_one_value_is_one_row_and_a_dashboard_is_its_sessions(backend: Backend) -> None:
    overview = session_overview(tiny_session())
    found = records(to_frame(overview, backend=backend))
    assert found == expected_rows([overview], COLUMNS[SessionOverview])
    board = dashboard()
    assert records(to_frame(board, backend=backend)) == expected_rows(
        board.sessions, COLUMNS[GroupSessionRow]
    )
    assert records(to_frame([board], backend=backend)) == expected_rows(
        [board], COLUMNS[GroupDashboard]
    )


@backends
def test_empty_sequences_keep_their_columns(backend: Backend) -> None:
    session, directory = tiny_session(), tiny_directory()
    bare = attrs.evolve(session, group_ids=frozenset())
    quiet = group_dashboard("sales", [], directory, NOW, "UTC")
    cases: list[tuple[Any, dict[str, Any], list[str]]] = [
        (group_results(bare, directory), {}, COLUMNS[GroupResult]),
        (Problems(()), {}, COLUMNS[Problem]),
        (
            learner_results(
                attrs.evolve(bare, blocks=(), slots=(), attempts=(), attendances=()), directory
            )[0].blocks,
            {},
            COLUMNS[LearnerBlock],
        ),
        (quiet, {}, COLUMNS[GroupSessionRow]),
        ((), {"of": GroupSessionRow}, COLUMNS[GroupSessionRow]),
        ([], {"of": LearnerBlock}, COLUMNS[LearnerBlock]),
    ]
    for value, keywords, columns in cases:
        table = arrow(to_frame(value, backend=backend, **keywords))
        assert (table.column_names, table.num_rows) == (columns, 0)
        cls = next(cls for cls, names in COLUMNS.items() if names == columns)
        assert kinds(table) == TYPES[cls]


def test_an_empty_plain_sequence_needs_of() -> None:
    with pytest.raises(InvalidInputError, match="pass of=<the result type>"):
        to_frame(())
    with pytest.raises(InvalidInputError, match="of must be a result type"):
        to_frame((), of=Session)


@backends
def test_problems_row_keys_are_text_and_absent_ids_null(backend: Backend) -> None:
    problems = every_result()[Problem]
    found = records(to_frame(Problems(problems), backend=backend))
    assert [(row["record_id"], row["row_key"]) for row in found] == [
        ("ana", None),
        (None, "17"),
        (None, "k-2"),
    ]


@backends
def test_a_table_gives_its_text_columns_with_repeated_names_numbered(backend: Backend) -> None:
    table = Table(header=("Name", "Score", "Name"), rows=[("=Ana", "80", "x"), ("Bob", "", "")])
    frame = arrow(to_frame(table, backend=backend))
    assert frame.column_names == ["Name", "Score", "Name (2)"]
    assert kinds(frame) == ["text"] * 3
    assert frame.to_pylist() == [
        {"Name": "=Ana", "Score": "80", "Name (2)": "x"},
        {"Name": "Bob", "Score": "", "Name (2)": ""},
    ]
    sessions = sessions_table([tiny_session()], tiny_directory(), Viewer(user_id="olga"), NOW)
    assert arrow(to_frame(sessions, backend=backend)).num_rows == 1
    empty = arrow(to_frame(Table(header=("a", "b"), rows=[]), backend=backend))
    assert (empty.column_names, empty.num_rows) == (["a", "b"], 0)


def test_a_hand_built_table_is_checked() -> None:
    with pytest.raises(InvalidInputError, match="row 2 has 1 cells"):
        to_frame(Table(header=("a", "b"), rows=[("1", "2"), ("3",)]))


def test_what_to_frame_refuses() -> None:
    session = tiny_session()
    results = block_results(session)
    with pytest.raises(InvalidInputError, match="cannot make a frame of a Session"):
        to_frame(session)
    with pytest.raises(InvalidInputError, match="cannot make a frame of Session values"):
        to_frame([session])
    with pytest.raises(InvalidInputError, match="item 1 is a GroupResult, not a BlockResult"):
        to_frame([results[0], group_results(session, tiny_directory())[0]])
    with pytest.raises(InvalidInputError, match="cannot make a frame of a str"):
        to_frame("results")
    pairs = template_results("onboarding", [session], tiny_directory())
    with pytest.raises(InvalidInputError, match=r"item 1 is not a \(Session, LearnerResult\)"):
        to_frame([pairs[0], results[0]])


def test_a_bad_backend_lists_the_choices() -> None:
    for bad in ("Pandas", "dask", None, 3):
        with pytest.raises(InvalidInputError, match="'pandas', 'polars', 'pyarrow'"):
            to_frame(block_results(tiny_session()), backend=bad)  # type: ignore[arg-type]  # on purpose
        with pytest.raises(InvalidInputError, match="'pandas', 'polars', 'pyarrow'"):
            learner_frame([tiny_session()], tiny_directory(), backend=bad)  # type: ignore[arg-type]  # on purpose


def test_a_backend_not_installed_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    find_spec = importlib.util.find_spec

    def without_polars(name: str, *args: Any) -> Any:
        return None if name == "polars" else find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_polars)
    with pytest.raises(MissingBackendError, match="pip install polars") as info:
        to_frame(block_results(tiny_session()), backend="polars")
    assert isinstance(info.value, InvalidInputError)
    assert isinstance(info.value, ImportError)
    with pytest.raises(MissingBackendError):
        learner_frame([tiny_session()], tiny_directory(), backend="polars")


def test_unique_names_keeps_first_names_and_numbers_repeats() -> None:
    assert unique_names(["a", "b", "a", "a (2)", "a"]) == ["a", "b", "a (3)", "a (2)", "a (4)"]
    assert unique_names([]) == []


@given(st.lists(st.sampled_from(["a", "b", "a (2)", "b (3)", "c"]), max_size=8))
def test_unique_names_are_distinct_and_keep_first_occurrences(names: list[str]) -> None:
    found = unique_names(names)
    assert len(set(found)) == len(found) == len(names)
    for index, name in enumerate(names):
        if name not in names[:index]:
            assert found[index] == name


# Fewer examples than the profile's: each builds frames of every backend's library.
@settings(max_examples=25)
@given(worlds(max_sessions=2), st.sampled_from(BACKENDS))
def test_results_of_any_world_equal_their_frames(
    world: tuple[Directory, tuple[Session, ...]], backend: Backend
) -> None:
    directory, sessions = world
    session = sessions[0]
    for values, cls in (
        (learner_results(session, directory), LearnerResult),
        (block_results(session), BlockResult),
        (group_results(session, directory), GroupResult),
        ((session_overview(session),), SessionOverview),
    ):
        frame = to_frame(values, backend=backend)
        assert arrow(frame).column_names == COLUMNS[cls]
        assert records(frame) == expected_rows(values, COLUMNS[cls])


# ----------------------------------------------------------------------------- learner_frame


def cell(value: Any, kind: str, name: str, options: ExportOptions) -> str:
    """A typed frame value written with the §5.3 formats (chosen by the frame's type)."""
    if value is None:
        return ""
    if kind == "boolean":
        return "x" if value else ""
    if kind == "float":
        if name.startswith("Classroom Slot Duration"):
            return format_hours(value)
        return format_number(value, options.decimals)
    if kind.startswith("datetime"):
        return format_datetime(value, options.timezone)
    if kind == "duration":
        return format_duration(value)
    assert kind == "text"
    return str(value)


def assert_frame_is_the_export(
    sessions: Sequence[Session], directory: Directory, options: ExportOptions, backend: Backend
) -> pa.Table:
    """learner_frame's header and rows are learner_export's, once each cell is formatted."""
    table = learner_export(sessions, directory, attrs.evolve(options, protect_formulas=False))
    frame = arrow(learner_frame(sessions, directory, options, backend=backend))
    assert frame.column_names == unique_names(table.header)
    types = kinds(frame)
    formatted = [
        tuple(
            cell(value, kind, name, options)
            for value, kind, name in zip(row.values(), types, frame.column_names, strict=True)
        )
        for row in frame.to_pylist()
    ]
    assert formatted == list(table.rows)
    return frame


OPTIONS = [
    ExportOptions(),
    ExportOptions(timezone="Europe/Paris", decimals=2),
    ExportOptions(timezone="Asia/Kathmandu", decimals=1, custom_fields=["Team", "City"]),
    ExportOptions(timezone=timezone(timedelta(hours=-3)), viewer=Viewer(user_id="x")),
    ExportOptions(activity_between=(datetime(2026, 3, 5, tzinfo=UTC), NOW), decimals=3),
]


@backends
@pytest.mark.parametrize("options", OPTIONS, ids=range(len(OPTIONS)))
def test_learner_frame_cells_format_to_the_export_cells(
    backend: Backend, options: ExportOptions
) -> None:
    session = tiny_session()
    directory = tiny_directory()
    directory = Directory(
        groups=[*directory.groups.values(), Group(id="x", name="Sales", parent_id="sales")],
        users=[*directory.users.values(), User(id="x", first_name="X", last_name="Y", email="")],
    )
    other = attrs.evolve(
        session,
        id="s2",
        name="=cmd()",
        blocks=session.blocks[:1],
        slots=(),
        attempts=session.attempts[:1],
        attendances=(),
        group_ids={"x"},
        tags=("a", "b"),
        expected_duration=timedelta(hours=2, microseconds=7),
    )
    frame = assert_frame_is_the_export([session, other], directory, options, backend)
    rows = frame.to_pylist()
    first = [row for row in rows if row["Session ID"] == "s1"]
    second = [row for row in rows if row["Session ID"] == "s2"]
    if options.viewer is None:
        # A group column is a flag: False where the row's session lacks the group.
        assert {row["Sales (2)"] for row in first} == {False}
    if not second:  # nobody of s2 was active in the period
        return
    if "Block title 2" in frame.column_names:
        # Past the end of a shorter session: null, not "".
        assert {row["Block title 2"] for row in second} == {None}
        assert {row["Block title 2"] for row in first} == {"Final quiz"}
    assert {row["Classroom Slot Title 1"] for row in second} == {None}
    assert {row["Expected duration"] for row in second} == {timedelta(hours=2, microseconds=7)}
    assert {row["Tags"] for row in second} == {"a,b"}
    assert {row["Session"] for row in second} == {"=cmd()"}


@backends
def test_learner_frame_types_and_exact_values(backend: Backend) -> None:
    session, directory = tiny_session(), tiny_directory()
    options = ExportOptions(timezone="Europe/Paris")
    frame = assert_frame_is_the_export([session], directory, options, backend)
    types = dict(zip(frame.column_names, kinds(frame), strict=True))
    for name in ("Last name", "Team", "Managers", "Block title 1"):
        assert types[name] == "text"
    for name in ("Registered user", "Verified program", "Company", "Sales"):
        assert types[name] == "boolean"
    for name in ("Score", "Progress", "Block score 1", "Classroom Slot Attendance 1"):
        assert types[name] == "float"
    assert types["Classroom Slot Duration 1"] == "float"
    for name in ("Deleted user", "Start", "End", "Classroom Slot Start Date 1"):
        assert types[name] == "datetime Europe/Paris"
    for name in ("Total time spent", "Expected duration", "Block time 1"):
        assert types[name] == "duration"
    rows = frame.to_pylist()
    results = learner_results(session, directory)
    assert [row["Score"] for row in rows] == [r.score for r in results]
    assert [row["Start"] for row in rows] == [r.started_at for r in results]
    assert [row["Total time spent"] for row in rows] == [r.time_spent for r in results]
    assert [row["Team"] for row in rows] == ["North", None, None, None]  # absent: null
    assert [row["Managers"] for row in rows] == ["", "", "", ""]  # empty text: ""
    assert [row["Sales"] for row in rows] == [True, True, False, False]


@backends
def test_learner_frame_text_is_exact_and_repeated_headers_are_numbered(backend: Backend) -> None:
    session = tiny_session()
    directory = Directory(
        groups=[Group(id="g1", name="Sales"), Group(id="g2", name="Sales")],
        users=[
            User(
                id=u.id,
                first_name=u.first_name,
                last_name="=SUM(A1)" if u.id == "ana" else u.last_name,
                email=u.email,
                custom_fields={"Email": "other", "Score": "-1"} if u.id == "ana" else {},
                manager_emails=("m@x", "n@x") if u.id == "bob" else (),
                group_ids={"g2"},
            )
            for u in tiny_directory().users.values()
        ],
    )
    session = attrs.evolve(session, group_ids={"g1", "g2"})
    frame = assert_frame_is_the_export([session], directory, ExportOptions(), backend)
    names = frame.column_names
    assert names[:5] == ["Last name", "First name", "Email", "Email (2)", "Score"]
    assert "Score (2)" in names
    assert names[names.index("Additional session information") + 1 :][:2] == ["Sales", "Sales (2)"]
    rows = frame.to_pylist()
    assert rows[0]["Last name"] == "=SUM(A1)"
    assert rows[0]["Score"] == "-1"
    assert rows[0]["Score (2)"] == 70.0
    assert rows[1]["Managers"] == "m@x,n@x"
    assert [(row["Sales"], row["Sales (2)"]) for row in rows] == [(False, True)] * 4


@backends
def test_learner_frame_of_no_session_has_the_fixed_columns(backend: Backend) -> None:
    frame = arrow(learner_frame([], tiny_directory(), backend=backend))
    assert frame.num_rows == 0
    assert frame.column_names == list(learner_export([], tiny_directory()).header)


def test_learner_frame_checks_its_arguments_like_learner_export() -> None:
    with pytest.raises(InvalidInputError, match="directory must be a Directory"):
        learner_frame([tiny_session()], None, backend="pyarrow")  # type: ignore[arg-type]  # on purpose
    with pytest.raises(InvalidInputError, match="options must be a ExportOptions"):
        learner_frame([tiny_session()], tiny_directory(), "UTC", backend="pyarrow")  # type: ignore[arg-type]  # on purpose
    with pytest.raises(InvalidInputError, match="given twice"):
        learner_frame([tiny_session()] * 2, tiny_directory(), backend="pyarrow")


class _Zone(tzinfo):
    """A zone with a varying offset and no name a frame could carry."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            raise ValueError("needs a datetime")
        return timedelta(hours=1 if dt.month < 7 else 2)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "zone"

    def fromutc(self, dt: datetime) -> datetime:
        return dt + timedelta(hours=1 if dt.month < 7 else 2)


@pytest.mark.parametrize(
    ("zone", "name"),
    [
        (timezone.utc, "UTC"),
        (dateutil_tz.UTC, "UTC"),
        (timezone(timedelta(hours=5, minutes=45)), "+05:45"),
        (timezone(timedelta(hours=-3)), "-03:00"),
        (dateutil_tz.gettz("Europe/Paris"), "Europe/Paris"),
        # a zone file read directly: no key, named by its path in the database
        (dateutil_tz.tzfile(dateutil_tz.gettz("Europe/Paris")._filename), "Europe/Paris"),
        ("America/New_York", "America/New_York"),
    ],
)
def test_the_zone_a_datetime_column_carries(zone: Any, name: str) -> None:
    frame = learner_frame(
        [tiny_session()], tiny_directory(), ExportOptions(timezone=zone), backend="pyarrow"
    )
    assert frame.schema.field("Start").type == pa.timestamp("us", name)


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("America/New_York", "Europe/Paris"),  # other offsets at every instant
        ("Europe/Paris", "Europe/Berlin"),  # the same since 1980, not in 1976-1979
    ],
)
def test_a_zone_file_whose_name_gives_other_offsets_is_not_named_by_it(
    data: str, named: str
) -> None:
    with open(dateutil_tz.gettz(data)._filename, "rb") as read:
        liar = dateutil_tz.tzfile(read, filename=f"/usr/share/zoneinfo/{named}")
    with pytest.raises(InvalidInputError, match="no time-zone name"):
        learner_frame([tiny_session()], tiny_directory(), ExportOptions(timezone=liar))


def test_zones_a_frame_cannot_carry() -> None:
    kathmandu = ExportOptions(timezone=timezone(timedelta(hours=5, minutes=45)))
    with pytest.raises(InvalidInputError, match="pass the IANA name of the zone"):
        learner_frame([tiny_session()], tiny_directory(), kathmandu, backend="polars")
    with pytest.raises(InvalidInputError, match="no time-zone name"):
        learner_frame([tiny_session()], tiny_directory(), ExportOptions(timezone=_Zone()))


ZONES = st.sampled_from(["UTC", "Europe/Paris", "America/St_Johns", "Pacific/Chatham"])


@settings(max_examples=30)
@given(
    worlds(max_sessions=3),
    st.sampled_from(BACKENDS),
    ZONES,
    st.integers(min_value=0, max_value=3),
    st.booleans(),
)
def test_learner_frame_of_any_world_formats_to_its_export(
    world: tuple[Directory, tuple[Session, ...]],
    backend: Backend,
    zone: str,
    decimals: int,
    active_only: bool,
) -> None:
    directory, sessions = world
    period = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC))
    options = ExportOptions(
        timezone=zone, decimals=decimals, activity_between=period if active_only else None
    )
    assert_frame_is_the_export(sessions, directory, options, backend)


# ----------------------------------------------------------------------------- Parquet


def parquet_round_trip(native: Any, backend: Backend, path: Path) -> Any:
    """``native`` written to Parquet with pyarrow and read back as the same backend."""
    if backend == "pandas":
        native.to_parquet(path, engine="pyarrow")
        return pd.read_parquet(path, engine="pyarrow")
    if backend == "polars":
        native.write_parquet(path, use_pyarrow=True)
        return pl.read_parquet(path, use_pyarrow=True)
    pq.write_table(native, path)
    return pq.read_table(path)


def assert_same_frame(native: Any, back: Any, backend: Backend) -> None:
    if backend == "pandas":
        pd.testing.assert_frame_equal(back, native, check_dtype=True, check_exact=True)
    elif backend == "polars":
        from polars.testing import assert_frame_equal

        assert_frame_equal(back, native, check_dtypes=True, check_exact=True)
    else:
        assert back.schema.types == native.schema.types
        assert back.equals(native)


@backends
def test_frames_round_trip_through_parquet(backend: Backend, tmp_path: Path) -> None:
    session, directory = tiny_session(), tiny_directory()
    frames = {
        "learner_frame": learner_frame(
            [session], directory, ExportOptions(timezone="Europe/Paris"), backend=backend
        ),
        "learners": to_frame(learner_results(session, directory), backend=backend),
        "blocks": to_frame(block_results(session), backend=backend),
        "problems": to_frame(every_result()[Problem], backend=backend),
        "no problems": to_frame(Problems(()), backend=backend),
    }
    for name, native in frames.items():
        back = parquet_round_trip(native, backend, tmp_path / f"{name}.parquet")
        assert_same_frame(native, back, backend)
        assert records(back) == records(native)
    nulls = records(frames["blocks"])
    assert [row["passed"] for row in nulls] == [None, 1, None]
    assert not any(isinstance(v, float) and math.isnan(v) for row in nulls for v in row.values())


def test_block_kinds_are_written_by_name() -> None:
    found = records(to_frame(block_results(tiny_session()), backend="pyarrow"))
    assert [row["kind"] for row in found] == ["COURSE", "ASSESSMENT", "CLASSROOM"]


def test_typed_tuples_are_plain_tuples_in_every_other_way() -> None:
    import pickle

    session, directory = tiny_session(), tiny_directory()
    pairs = template_results("onboarding", [session], directory)
    problems = Problems(every_result()[Problem])
    for typed in (pairs, problems, Problems(())):
        plain = tuple(typed)
        assert typed == plain
        assert hash(typed) == hash(plain)
        assert repr(typed) == repr(plain)
        assert pickle.loads(pickle.dumps(typed)) == plain
    assert type(template_results("none", [session], directory)).__name__ == "TemplateResults"


@settings(max_examples=40)
@given(hostile_values(), st.sampled_from(["value", "of", "backend", "options", "sessions"]))
def test_hostile_arguments_raise_invalid_input_only(value: object, where: str) -> None:
    session, directory = tiny_session(), tiny_directory()
    try:
        if where == "value":
            to_frame(value, backend="pyarrow")
            to_frame([value], backend="pyarrow")
        elif where == "of":
            to_frame((), of=value, backend="pyarrow")  # type: ignore[arg-type]  # on purpose
        elif where == "backend":
            to_frame(block_results(session), backend=value)  # type: ignore[arg-type]  # on purpose
            learner_frame([session], directory, backend=value)  # type: ignore[arg-type]  # on purpose
        elif where == "options":
            learner_frame([session], directory, value, backend="pyarrow")  # type: ignore[arg-type]  # on purpose
        else:
            learner_frame(value, directory, backend="pyarrow")  # type: ignore[arg-type]  # on purpose
    except InvalidInputError:
        return
