"""Mergeable partials of the cross-session views, and pickling without caches.

The export's columns as an :class:`ExportLayout` (merge laws, the refusal of
a part that exceeds its layout), ``write_csv(header=False)``, dashboard
partials whose combination is the dashboard of all sessions, and pickles of
every value type that preserve equality and never carry derived caches.
"""

from __future__ import annotations

import io
import itertools
import pickle
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from programstats import (
    Directory,
    ExportLayout,
    ExportOptions,
    InvalidInputError,
    Session,
    Status,
    Table,
    Viewer,
    block_results,
    combine_dashboards,
    dashboard_partial,
    export_layout,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    write_csv,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.strategies import aware_datetimes, directories, sessions, time_zones

NOW = datetime(2026, 4, 10, tzinfo=timezone.utc)
SCOPE = (None, None, None)


@st.composite
def small_worlds(
    draw: st.DrawFn, *, max_sessions: int = 3
) -> tuple[Directory, tuple[Session, ...]]:
    """Like ``strategies.worlds``, smaller: these tests run every example through
    several code paths, and CI time is shared."""
    directory = draw(directories(max_users=4, max_groups=3))
    count = draw(st.integers(min_value=1, max_value=max_sessions))
    found = tuple(
        draw(sessions(directory, session_id=f"s{n}", max_blocks=3, max_attempts=8))
        for n in range(count)
    )
    return directory, found


# Drawing a world costs ~0.1 s on a busy 2-core CI machine: the tests that draw
# worlds run fewer examples than the profile's (CI time is shared).
few = settings(max_examples=min(settings().max_examples, 20))


def _csv(table: Table, options: ExportOptions, *, header: bool = True) -> str:
    out = io.StringIO()
    write_csv(table, out, options, header=header)
    return out.getvalue()


# -- ExportLayout ---------------------------------------------------------------


@st.composite
def layouts(draw: st.DrawFn) -> ExportLayout:
    return ExportLayout(
        custom_fields=draw(
            st.lists(st.sampled_from(["Team", "team", "City", "b", "Ärea"]), max_size=4)
        ),
        group_ids=draw(st.frozensets(st.sampled_from(["g0", "g1", "g2", "g3"]))),
        block_count=draw(st.integers(0, 6)),
        slot_count=draw(st.integers(0, 4)),
        scope=draw(st.sampled_from([None, SCOPE])),
    )


@given(layouts(), layouts(), layouts())
def test_layout_merge_is_associative_and_commutative_with_the_empty_identity(
    a: ExportLayout, b: ExportLayout, c: ExportLayout
) -> None:
    assert a.merge(b) == b.merge(a)
    assert a.merge(b).merge(c) == a.merge(b.merge(c))
    assert a.merge(ExportLayout()) == a == ExportLayout().merge(a)
    assert a.merge(a) == a


def test_layout_merge_takes_the_union_and_the_largest_counts() -> None:
    a = ExportLayout(custom_fields=["team", "City"], group_ids={"g1"}, block_count=3)
    b = ExportLayout(custom_fields=["Team", "city"], group_ids={"g0"}, slot_count=2, scope=SCOPE)
    merged = a.merge(b)
    # Case-folded order, then exact: ("city", "City") < ("city", "city") as "C" < "c".
    assert merged.custom_fields == ("City", "city", "Team", "team")
    assert merged.group_ids == frozenset({"g0", "g1"})
    assert (merged.block_count, merged.slot_count, merged.scope) == (3, 2, SCOPE)


def test_layouts_of_other_options_do_not_merge() -> None:
    a = ExportLayout(scope=(("Team",), None, None))
    with pytest.raises(InvalidInputError, match="different export options"):
        a.merge(ExportLayout(scope=SCOPE))
    with pytest.raises(InvalidInputError, match="must be an ExportLayout"):
        a.merge("layout")  # type: ignore[arg-type]  # the wrong type on purpose
    with pytest.raises(InvalidInputError, match="block_count must be an int from 0 to"):
        ExportLayout(block_count=-1)


def test_export_layout_of_the_tiny_session() -> None:
    layout = export_layout([tiny_session()], tiny_directory())
    # Team is the one custom field; both groups are assigned; the furthest learnable
    # block any learner started is the 2nd; one classroom slot.
    assert layout == ExportLayout(
        custom_fields=("Team",),
        group_ids=frozenset({"company", "sales"}),
        block_count=2,
        slot_count=1,
        scope=SCOPE,
    )
    only = ExportOptions(custom_fields=["Zone"], viewer=Viewer(user_id="nobody"))
    assert export_layout([], tiny_directory(), only) == ExportLayout(
        custom_fields=("Zone",), scope=(("Zone",), None, Viewer(user_id="nobody"))
    )


def _viewers(directory: Directory) -> st.SearchStrategy[Viewer]:
    """Viewers coaching some of the directory's groups."""
    coached = (
        st.frozensets(st.sampled_from(sorted(directory.groups)))
        if directory.groups
        else st.just(frozenset())
    )
    return st.builds(Viewer, user_id=st.just("u0"), coached_group_ids=coached)


def _split(draw: st.DrawFn, items: tuple[Session, ...]) -> list[tuple[Session, ...]]:
    cuts = sorted(draw(st.lists(st.integers(0, len(items)), max_size=3)))
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in itertools.pairwise(bounds)]


@few
@given(st.data())
def test_parts_written_with_the_merged_layout_are_the_whole_export(data: st.DataObject) -> None:
    directory, found = data.draw(small_worlds(max_sessions=3))
    options = ExportOptions(
        bom=data.draw(st.booleans()),
        custom_fields=data.draw(st.none() | st.just(["Team"])),
        viewer=data.draw(st.none() | _viewers(directory)),
    )
    parts = _split(data.draw, found)
    layout = ExportLayout()
    for part in parts:
        layout = layout.merge(export_layout(part, directory, options))
    assert layout == export_layout(found, directory, options)
    whole = learner_export(found, directory, options)
    written = _csv(learner_export((), directory, options, layout=layout), options)
    for part in parts:
        table = learner_export(part, directory, options, layout=layout)
        assert table.header == whole.header
        written += _csv(table, options, header=False)
    assert written == _csv(whole, options)


def test_a_part_that_exceeds_its_layout_is_refused() -> None:
    session, directory = tiny_session(), tiny_directory()
    small = export_layout([], directory)
    with pytest.raises(InvalidInputError, match=r"exceed the layout.*custom fields \['Team'\]"):
        learner_export([session], directory, layout=small)
    with pytest.raises(InvalidInputError, match=r"2 block columns \(the layout has 1\)"):
        learner_export(
            [session],
            directory,
            layout=ExportLayout(
                custom_fields=("Team",),
                group_ids={"company", "sales"},
                block_count=1,
                slot_count=1,
                scope=SCOPE,
            ),
        )
    with pytest.raises(InvalidInputError, match="built with other export options"):
        learner_export(
            [session],
            directory,
            ExportOptions(custom_fields=["Team"]),
            layout=export_layout([session], directory),
        )
    with pytest.raises(InvalidInputError, match="built with other export options"):
        learner_export([], directory, layout=ExportLayout())
    with pytest.raises(InvalidInputError, match=r"groups \['nowhere'\] the directory does not"):
        learner_export([], directory, layout=ExportLayout(group_ids={"nowhere"}, scope=SCOPE))
    with pytest.raises(InvalidInputError, match="layout must be an ExportLayout"):
        learner_export([], directory, layout="wide")  # type: ignore[arg-type]


def test_a_larger_layout_adds_empty_columns() -> None:
    session, directory = tiny_session(), tiny_directory()
    layout = export_layout([session], directory).merge(
        ExportLayout(custom_fields=["Zone"], block_count=4, slot_count=2)
    )
    table = learner_export([session], directory, layout=layout)
    rows = list(table.rows)
    assert table.header[3:5] == ("Team", "Zone")
    assert "Block title 4" in table.header and "Classroom Slot End Date 2" in table.header
    zone = table.header.index("Zone")
    last = table.header.index("Classroom Slot End Date 2")
    assert all(row[zone] == "" and row[last] == "" for row in rows)
    # The session has 2 learnable blocks: "Block title 2" is on every row, 3 and 4 are empty.
    second = table.header.index("Block title 2")
    later = [table.header.index(f"Block {kind} {n}") for kind in ("title", "time") for n in (3, 4)]
    assert all(row[second] == "Final quiz" for row in rows)
    assert all(row[index] == "" for row in rows for index in later)


def test_write_csv_without_header_writes_rows_only_and_no_bom() -> None:
    table = Table(header=("A", "B"), rows=[("1", "x,y")])
    options = ExportOptions(bom=True, delimiter=";")
    assert _csv(table, options) == "\ufeffA;B\r\n1;x,y\r\n"
    assert _csv(table, options, header=False) == "1;x,y\r\n"
    with pytest.raises(InvalidInputError, match="header must be True or False"):
        write_csv(table, io.StringIO(), header="no")  # type: ignore[arg-type]


# -- Dashboard partials -------------------------------------------------------------


@few
@given(st.data())
def test_combined_partials_are_the_dashboard_of_all_sessions(data: st.DataObject) -> None:
    directory, found = data.draw(small_worlds(max_sessions=4))
    assume(directory.groups)
    group_id = data.draw(st.sampled_from(sorted(directory.groups)))
    now = data.draw(aware_datetimes())
    zone = data.draw(time_zones())
    whole = group_dashboard(group_id, found, directory, now, zone)
    parts = [
        dashboard_partial(group_id, part, directory, now, zone) for part in _split(data.draw, found)
    ]
    assert combine_dashboards(parts) == whole
    assert combine_dashboards(reversed(parts)) == whole
    assert combine_dashboards(iter(parts)) == whole


def test_partials_hand_computed() -> None:
    session, directory = tiny_session(), tiny_directory()
    empty = dashboard_partial("sales", [], directory, NOW, "Europe/Paris")
    full = dashboard_partial("sales", [session], directory, NOW, "Europe/Paris")
    # Two sales members are registered; both started, one completed and is verified.
    assert (full.pairs, full.started, full.completed, full.verified) == (2, 2, 1, 1)
    assert full.ongoing[-2:] == (1, 0) and sum(empty.ongoing) == 0
    board = combine_dashboards([empty])
    assert (board.attendance_rate, board.completion_rate, board.success_rate) == (None,) * 3
    assert board.sessions == () and board.group_id == "sales" and len(board.ongoing_per_month) == 12
    assert combine_dashboards([empty, full, empty]) == group_dashboard(
        "sales", [session], directory, NOW, "Europe/Paris"
    )


def test_partials_of_another_frame_or_the_same_session_do_not_combine() -> None:
    session, directory = tiny_session(), tiny_directory()
    part = dashboard_partial("sales", [session], directory, NOW, "Europe/Paris")
    for other in (
        dashboard_partial("company", [], directory, NOW, "Europe/Paris"),
        dashboard_partial("sales", [], directory, NOW + timedelta(seconds=1), "Europe/Paris"),
        dashboard_partial("sales", [], directory, NOW, "America/New_York"),
    ):
        with pytest.raises(InvalidInputError, match="different group_id, now or time zone"):
            combine_dashboards([part, other])
    with pytest.raises(InvalidInputError, match="Session 's1' is given twice"):
        combine_dashboards([part, part])
    with pytest.raises(InvalidInputError, match="no partial given"):
        combine_dashboards([])
    with pytest.raises(InvalidInputError, match="must be a DashboardPartial"):
        combine_dashboards([part, "p"])  # type: ignore[list-item]


# -- Pickling --------------------------------------------------------------------


def _round_trip(value: object) -> None:
    copy = pickle.loads(pickle.dumps(value))
    assert copy == value
    assert type(copy) is type(value)


@few
@given(st.data())
def test_every_value_and_result_pickles_with_equality(data: st.DataObject) -> None:
    directory, found = data.draw(small_worlds(max_sessions=2))
    session = found[0]
    before = pickle.dumps(session)
    values: list[object] = [
        directory,
        *directory.users.values(),
        *directory.groups.values(),
        session,
        session.template,
        *session.blocks,
        *session.slots,
        *session.registrations,
        *session.attempts,
        *session.attendances,
        session.collaboration,
        session.collaboration.reactions,
        session_overview(session),
        group_results(session, directory),
        learner_results(session, directory),
        block_results(session),
        export_layout(found, directory),
        ExportOptions(timezone="Europe/Paris", viewer=Viewer(user_id="u0")),
        Status.FINISHED,
        InvalidInputError("Session 's': rule"),
    ]
    if directory.groups:
        group_id = sorted(directory.groups)[0]
        values.append(dashboard_partial(group_id, found, directory, NOW, "Europe/Paris"))
        values.append(group_dashboard(group_id, found, directory, NOW, "Europe/Paris"))
    for value in values:
        if isinstance(value, Exception):
            copy = pickle.loads(pickle.dumps(value))
            assert type(copy) is InvalidInputError and copy.args == value.args
        else:
            _round_trip(value)
    # Statistics computed above filled the facts cache: the pickle is unchanged.
    assert pickle.dumps(session) == before


@few
@given(sessions(max_blocks=3, max_attempts=8))
def test_a_session_pickles_without_its_facts(session: Session) -> None:
    before = pickle.dumps(session)
    session_overview(session)
    assert session._facts_cache is not None
    assert pickle.dumps(session) == before
    copy = pickle.loads(before)
    assert copy == session and copy._facts_cache is None
    assert session_overview(copy) == session_overview(session)
