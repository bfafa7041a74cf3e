"""programstats.dask: every report over a bag equals the single-process one.

Property tests run on Dask's synchronous scheduler over small worlds, every
partitioning (one partition, several, one per session, empty ones) and
drawn export options; one test runs on a real two-process LocalCluster.
"""

from __future__ import annotations

import csv
import gc
import importlib
import io
import itertools
import json
import sys
import weakref
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import dask
import dask.bag
import pytest
from dask.base import get_scheduler
from distributed import Client, LocalCluster
from hypothesis import given, settings
from hypothesis import strategies as st

import programstats.dask as pdask
from programstats import (
    Directory,
    ExportOptions,
    InvalidInputError,
    Session,
    Status,
    Viewer,
    collaboration_table,
    export_layout,
    group_dashboard,
    learner_export,
    records,
    sessions_table,
    template_results,
    write_csv,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.strategies import aware_datetimes, directories, sessions, time_zones
from programstats.synthetic import synthetic_world

NOW = datetime(2026, 4, 10, tzinfo=timezone.utc)
# Drawing a world costs ~0.1 s on a busy 2-core CI machine; CI time is shared.
few = settings(max_examples=min(settings().max_examples, 20))


@pytest.fixture(autouse=True)
def _synchronous() -> object:
    with dask.config.set(scheduler="synchronous"):
        yield


@st.composite
def small_worlds(draw: st.DrawFn) -> tuple[Directory, tuple[Session, ...]]:
    directory = draw(directories(max_users=4, max_groups=3))
    count = draw(st.integers(min_value=0, max_value=4))
    found = tuple(
        draw(sessions(directory, session_id=f"s{n}", max_blocks=3, max_attempts=8))
        for n in range(count)
    )
    return directory, found


def _chunks(draw: st.DrawFn, items: tuple[Session, ...]) -> list[tuple[Session, ...]]:
    """1 partition, 2, k, one per session, and empty ones anywhere."""
    shape = draw(st.sampled_from(["one", "each", "cuts"]))
    if shape == "one":
        return [items]
    if shape == "each":
        return [(item,) for item in items] or [()]
    cuts = sorted(draw(st.lists(st.integers(0, len(items)), min_size=1, max_size=4)))
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in itertools.pairwise(bounds)]


def _bag(chunks: list[tuple[Session, ...]]) -> dask.bag.Bag:
    return dask.bag.from_delayed([dask.delayed(list)(chunk) for chunk in chunks])


@st.composite
def export_options(draw: st.DrawFn, directory: Directory) -> ExportOptions:
    titles = sorted({t for user in directory.users.values() for t in user.custom_fields})
    group_ids = sorted(directory.groups)
    viewer = st.builds(
        Viewer,
        user_id=st.just("u0"),
        platform_admin=st.booleans(),
        coached_group_ids=st.frozensets(st.sampled_from(group_ids))
        if group_ids
        else st.just(frozenset[str]()),
    )
    since = draw(aware_datetimes())
    period = (since, since + timedelta(days=draw(st.integers(0, 200))))
    return ExportOptions(
        timezone=draw(st.sampled_from(["UTC", "Europe/Paris", "America/New_York"])),
        decimals=draw(st.integers(0, 2)),
        delimiter=draw(st.sampled_from([",", ";", "\t", "|"])),
        bom=draw(st.booleans()),
        protect_formulas=draw(st.booleans()),
        custom_fields=draw(st.none() | st.lists(st.sampled_from([*titles, "Extra"]), unique=True)),
        activity_between=draw(st.none() | st.just(period)),
        viewer=draw(st.none() | viewer),
        anonymization_key=draw(st.sampled_from([b"", b"key"])),
    )


def _single(found: tuple[Session, ...], directory: Directory, options: ExportOptions) -> str:
    out = io.StringIO()
    write_csv(learner_export(found, directory, options), out, options)
    return out.getvalue()


@few
@given(st.data())
def test_the_export_of_a_bag_is_the_export_of_its_sessions(data: st.DataObject) -> None:
    directory, found = data.draw(small_worlds())
    options = data.draw(export_options(directory))
    chunks = _chunks(data.draw, found)
    expected = _single(found, directory, options)
    out = io.StringIO()
    count = pdask.learner_export_csv(_bag(chunks), directory, options, out)
    written = out.getvalue()
    assert written == expected
    rows = len(list(learner_export(found, directory, options).rows))
    assert count == rows
    body = written.removeprefix("\ufeff") if options.bom else written
    assert written.startswith("\ufeff") == options.bom
    parsed = list(csv.reader(io.StringIO(body, newline=""), delimiter=options.delimiter))
    assert len(parsed) == count + 1  # one header, then the rows
    assert tuple(parsed[0]) == learner_export(found, directory, options).header


@few
@given(st.data())
def test_every_view_over_a_bag_is_the_single_process_view(data: st.DataObject) -> None:
    directory, found = data.draw(small_worlds())
    chunks = _chunks(data.draw, found)
    bag = _bag(chunks)
    now = data.draw(aware_datetimes())
    if directory.groups:
        group_id = data.draw(st.sampled_from(sorted(directory.groups)))
        zone = data.draw(time_zones())
        assert pdask.group_dashboard(group_id, bag, directory, now, zone) == group_dashboard(
            group_id, found, directory, now, zone
        )
    template_id = data.draw(st.sampled_from(["t1", "t2"]))
    assert pdask.template_results(template_id, bag, directory) == template_results(
        template_id, found, directory
    )
    viewer = Viewer(user_id="u0", platform_admin=data.draw(st.booleans()))
    status = data.draw(st.sampled_from(Status))
    options = ExportOptions(timezone="Europe/Paris", protect_formulas=data.draw(st.booleans()))
    table = pdask.sessions_table(bag, directory, viewer, now, status, options)
    single = sessions_table(found, directory, viewer, now, status, options)
    assert (table.header, list(table.rows)) == (single.header, list(single.rows))
    table = pdask.collaboration_table(bag, options)
    single = collaboration_table(found, options)
    assert (table.header, list(table.rows)) == (single.header, list(single.rows))


def test_repartitioned_bags_and_paths(tmp_path: Path) -> None:
    world = synthetic_world(learners=12, sessions=5)
    directory, found = world.directory, world.sessions
    options = ExportOptions(bom=True, delimiter=";")
    expected = _single(found, directory, options)
    rows = len(list(learner_export(found, directory, options).rows))
    for count in (1, 2, 3, 5):
        bag = dask.bag.from_sequence(found, npartitions=count).repartition(count + 2)
        out = io.StringIO()
        assert pdask.learner_export_csv(bag, directory, options, out) == rows
        assert out.getvalue() == expected
    path = tmp_path / "export.csv"
    bag = dask.bag.from_sequence(found, npartitions=2)
    assert pdask.learner_export_csv(bag, directory, options, path) == rows
    assert path.read_bytes() == expected.encode("utf-8")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfLast name;")
    assert pdask.learner_export_csv(bag, directory, options, str(path)) == rows
    assert path.read_bytes() == expected.encode("utf-8")


def _uneven_world() -> tuple[Directory, tuple[Session, ...], ExportOptions]:
    """Sessions whose partitions each lack columns of the others.

    With activity between 2000 and 2100, session-4 exports neither learner-1
    nor learner-11, the only users with a "Note" (a column between two
    others); session-4 has 3 blocks and no slot, session-1 has 10 started
    blocks and 4 slots, session-3 has 12 blocks but only 8 started. Cells
    hold line ends, delimiters and formulas, so that rows are written one by
    one where a line end cannot be told from a row end.
    """
    world = synthetic_world(learners=12, sessions=6, seed=0)
    users = []
    for user in world.directory.users.values():
        if user.id in ("learner-1", "learner-11"):
            note = "a;b\r\n=c" if user.id == "learner-1" else "plain"
            user = attrs.evolve(user, custom_fields={**user.custom_fields, "Note": note})
        if user.id == "learner-2":
            user = attrs.evolve(user, last_name="Two\r\nLines", additional_information='"q";\r\n')
        users.append(user)
    directory = Directory(users=users, groups=world.directory.groups.values())
    found = list(world.sessions)
    found[2] = attrs.evolve(
        found[2], blocks=[attrs.evolve(b, title=f"{b.title}\r\n=x") for b in found[2].blocks]
    )
    period = (datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc))
    options = ExportOptions(delimiter=";", bom=True, protect_formulas=True, activity_between=period)
    return directory, tuple(found), options


@pytest.mark.parametrize("inline", [True, False])
def test_partitions_get_the_columns_only_other_partitions_need(
    inline: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the directory travels inside each task or as one shared key."""
    if not inline:
        monkeypatch.setattr(pdask, "_INLINE_DIRECTORY", 0)
    directory, found, options = _uneven_world()
    chunks = [found[0:2], (), found[2:3], found[3:4], found[4:6], ()]
    merged = export_layout(found, directory, options)
    lone = export_layout(found[3:4], directory, options)
    # Each kind of missing column is there: a custom field in the middle,
    # group columns, block columns (titles known to the session or empty), slots.
    assert merged.custom_fields == ("Department", "Employee number", "Note", "Site")
    assert lone.custom_fields == ("Department", "Employee number", "Site")
    assert lone.group_ids < merged.group_ids
    assert (lone.block_count, lone.slot_count) == (3, 0)
    assert (merged.block_count, merged.slot_count) == (10, 4)
    assert export_layout(found[2:3], directory, options).block_count == 8
    assert len(found[2].blocks) == 12
    expected = _single(found, directory, options)
    assert "\r\n=x" in expected and "Two\r\nLines" in expected
    out = io.StringIO()
    count = pdask.learner_export_csv(_bag(chunks), directory, options, out)
    assert out.getvalue() == expected
    assert count == len(list(learner_export(found, directory, options).rows)) == 6 * 12 - 3
    for single in found:  # one session per partition, and all in one
        out = io.StringIO()
        bag = _bag([(single,), *[(other,) for other in found if other is not single]])
        pdask.learner_export_csv(bag, directory, options, out)
        ordered = (single, *[other for other in found if other is not single])
        assert out.getvalue() == _single(ordered, directory, options)


def test_a_session_one_block_column_short_of_the_others() -> None:
    """A session whose furthest started block is one before the others' gets that one column."""
    world = synthetic_world(learners=6, sessions=1, seed=14)
    (first,) = world.sessions
    full = export_layout([first], world.directory).block_count
    shorter = [
        attrs.evolve(
            first,
            id="shorter",
            attempts=[a for a in first.attempts if a.block_id != block.id],
        )
        for block in first.blocks
    ]
    (short, *_) = [
        session
        for session in shorter
        if export_layout([session], world.directory).block_count == full - 1
    ]
    found = (first, short)
    expected = _single(found, world.directory, ExportOptions())
    for chunks in ([found], [(first,), (short,)], [(short,), ()], [(), found]):
        order = tuple(session for chunk in chunks for session in chunk)
        out = io.StringIO()
        pdask.learner_export_csv(_bag(chunks), world.directory, None, out)
        assert out.getvalue() == _single(order, world.directory, ExportOptions())
    out = io.StringIO()
    pdask.learner_export_csv(_bag([found]), world.directory, None, out)
    assert out.getvalue() == expected


def test_the_export_loads_each_session_once() -> None:
    """One pass: the rows are written where the sessions were loaded."""
    world = synthetic_world(learners=10, sessions=4)
    loaded: list[str] = []

    def load(session: Session) -> Session:
        loaded.append(session.id)
        return session

    bag = dask.bag.from_sequence(world.sessions, npartitions=3).map(load)
    out = io.StringIO()
    pdask.learner_export_csv(bag, world.directory, None, out)
    assert sorted(loaded) == sorted(session.id for session in world.sessions)
    assert out.getvalue() == _single(world.sessions, world.directory, ExportOptions())


def test_a_partition_holds_one_session_at_a_time() -> None:
    """A session, its facts and attempts are freed before the next one is loaded.

    The worker's heap holds one session, not the partition's: less memory,
    and CPython's full collections walk less. The collector is off, so
    only reference counting can have freed them.
    """
    world = synthetic_world(learners=12, sessions=4, seed=5)
    alive: list[weakref.ref[Session]] = []

    def load() -> Iterator[Session]:
        for session in world.sessions:
            assert [ref() for ref in alive] == [None] * len(alive)
            fresh = attrs.evolve(session)  # a session nothing else holds
            alive.append(weakref.ref(fresh))
            yield fresh
            del fresh

    enabled = gc.isenabled()
    gc.disable()
    try:
        items = pdask._render_part(load(), world.directory, ExportOptions(), None)
    finally:
        if enabled:
            gc.enable()
    assert len(items) == len(world.sessions) == len(alive)
    assert [item.payload.ids for item in items] == [(session.id,) for session in world.sessions]


def test_the_same_input_errors_as_one_process() -> None:
    session, directory = tiny_session(), tiny_directory()
    twice = dask.bag.from_sequence([session, session], npartitions=2)
    pattern = "Session 's1' is given twice; pass each once"
    with pytest.raises(InvalidInputError, match=pattern):
        learner_export([session, session], directory)
    with pytest.raises(InvalidInputError, match=pattern):
        pdask.learner_export_csv(twice, directory, None, io.StringIO())
    with pytest.raises(InvalidInputError, match=pattern):
        pdask.group_dashboard("sales", twice, directory, NOW, "UTC")
    with pytest.raises(InvalidInputError, match=pattern):
        pdask.template_results("onboarding", twice, directory)
    with pytest.raises(InvalidInputError, match=pattern):
        pdask.sessions_table(twice, directory, Viewer(user_id="olga"), NOW)
    with pytest.raises(InvalidInputError, match=pattern):
        pdask.collaboration_table(twice)
    # Twice in one partition, and among sessions the dashboard does not consider.
    with pytest.raises(InvalidInputError, match=pattern):
        pdask.learner_export_csv(
            dask.bag.from_sequence([session, session], npartitions=1),
            directory,
            None,
            io.StringIO(),
        )
    bag = dask.bag.from_sequence([session], npartitions=1)
    stranger = Directory(users=[], groups=directory.groups.values())
    with pytest.raises(InvalidInputError, match="is not a user of the directory"):
        pdask.learner_export_csv(bag, stranger, None, io.StringIO())
    with pytest.raises(InvalidInputError, match="nowhere"):
        pdask.group_dashboard("nowhere", bag, directory, NOW, "UTC")
    with pytest.raises(InvalidInputError, match="now"):
        pdask.group_dashboard("sales", bag, directory, datetime(2026, 4, 10), "UTC")
    with pytest.raises(InvalidInputError, match=r"dask\.bag\.Bag"):
        pdask.collaboration_table([session])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="stream or a path"):
        pdask.learner_export_csv(bag, directory, None, 42)  # type: ignore[arg-type]


def test_importing_without_dask_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("dask", "dask.bag", "dask.base", "dask.delayed"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "programstats.dask")
    with pytest.raises(ImportError, match=r"pip install 'programstats\[dask\]'"):
        importlib.import_module("programstats.dask")
    monkeypatch.setitem(sys.modules, "programstats.dask", pdask)


def test_other_schedulers_compute_windows_of_parts() -> None:
    assert pdask._client_of(None) is None
    with dask.config.set(scheduler="synchronous"):
        assert pdask._client_of(get_scheduler()) is None


def test_on_a_local_cluster_of_two_processes(tmp_path: Path) -> None:
    """The documented pattern: sessions read from JSON Lines on the workers."""
    world = synthetic_world(learners=20, sessions=6)
    directory, found = world.directory, world.sessions
    for number in range(3):
        with open(tmp_path / f"sessions-{number}.jsonl", "w", encoding="utf-8") as out:
            for session in found[2 * number : 2 * number + 2]:
                out.write(json.dumps(records.to_record(session)) + "\n")
    options = ExportOptions(bom=True)
    expected = _single(found, directory, options)
    board = group_dashboard("paris-sales", found, directory, NOW, "Europe/Paris")
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
        dask.config.set(scheduler=client.get),
    ):
        bag = (
            dask.bag.read_text(str(tmp_path / "sessions-*.jsonl"))
            .map(json.loads)
            .map(records.structure_session)
        )
        # The finished parts are fetched as futures, written while others compute.
        assert pdask._client_of(get_scheduler()) is client
        out = io.StringIO()
        pdask.learner_export_csv(bag, directory, options, out)
        assert out.getvalue() == expected
        assert pdask.group_dashboard("paris-sales", bag, directory, NOW, "Europe/Paris") == board
        # Errors raised on a worker come back as the same InvalidInputError.
        twice = dask.bag.concat([bag, bag])
        with pytest.raises(InvalidInputError, match="is given twice"):
            pdask.learner_export_csv(twice, directory, options, io.StringIO())
        assert len(client.scheduler_info()["workers"]) == 2
