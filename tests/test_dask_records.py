"""Dask over bags of session records (SPEC §8.1): the rules of one process, on the workers.

Under ``skip`` every function gives, for every partitioning, exactly what
one process gives for the same records under ``skip`` -- the same bytes,
the same problems in the same order -- and under ``raise`` the same
:class:`InvalidRecordsError`.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import dask
import dask.bag
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import programstats
from programstats import ExportOptions, Viewer, learner_export, write_csv
from programstats import dask as pdask
from programstats.records import (
    InvalidRecordsError,
    World,
    json_lines,
    problems_table,
    structure_sessions,
    to_record,
)
from programstats.synthetic import synthetic_world

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def synchronous() -> Any:
    with dask.config.set(scheduler="synchronous"):
        yield


def records_with_problems() -> tuple[list[Any], programstats.Directory]:
    """Session records of a synthetic world, some of them bad in several ways."""
    world = synthetic_world(learners=8, sessions=6, seed=11)
    doc = to_record(World(directory=world.directory, sessions=world.sessions))
    found: list[Any] = json.loads(json.dumps(doc))["sessions"]
    found[1]["attempts"][0]["score"] = 130  # an attempt left out
    found[2]["end"] = "never"  # a session left out
    found[3]["colour"] = "blue"  # a key ignored
    found.append(found[0])  # the id of session 0 again
    found.insert(4, 42)  # not a record
    return found, world.directory


def csv_of(table: programstats.Table) -> str:
    out = io.StringIO(newline="")
    write_csv(table, out)
    return out.getvalue()


def partitionings() -> st.SearchStrategy[int]:
    return st.integers(1, 9)


@settings(max_examples=6, deadline=None)
@given(partitionings())
def test_skip_gives_the_bytes_and_problems_of_one_process(npartitions: int) -> None:
    records, directory = records_with_problems()
    single = structure_sessions(records, directory, on_error="skip")
    assert len(single.problems) >= 5
    expected = io.StringIO(newline="")
    write_csv(learner_export(single.sessions, directory), expected)
    bag = dask.bag.from_sequence(records, npartitions=npartitions)
    out, errors = io.StringIO(newline=""), io.StringIO(newline="")
    rows = pdask.learner_export_csv(bag, directory, None, out, on_error="skip", errors=errors)
    assert out.getvalue() == expected.getvalue()
    assert rows == expected.getvalue().count("\r\n") - 1
    assert errors.getvalue() == csv_of(problems_table(single.problems))


@settings(max_examples=4, deadline=None)
@given(partitionings())
def test_every_view_skips_as_one_process(npartitions: int) -> None:
    records, directory = records_with_problems()
    single = structure_sessions(records, directory, on_error="skip")
    bag = dask.bag.from_sequence(records, npartitions=npartitions)
    viewer = Viewer(user_id="v", platform_admin=True)
    skip: dict[str, Any] = {"on_error": "skip"}
    group = next(iter(directory.groups))
    assert pdask.group_dashboard(
        group, bag, directory, NOW, "UTC", **skip
    ) == programstats.group_dashboard(group, single.sessions, directory, NOW, "UTC")
    template = single.sessions[0].template.id
    assert pdask.template_results(
        template, bag, directory, **skip
    ) == programstats.template_results(template, single.sessions, directory)
    assert list(pdask.sessions_table(bag, directory, viewer, NOW, **skip).rows) == list(
        programstats.sessions_table(single.sessions, directory, viewer, NOW).rows
    )
    assert list(pdask.collaboration_table(bag, directory=directory, **skip).rows) == list(
        programstats.collaboration_table(single.sessions).rows
    )


def test_raise_lists_every_problem_as_one_process() -> None:
    records, directory = records_with_problems()
    with pytest.raises(InvalidRecordsError) as single:
        structure_sessions(records, directory)
    bag = dask.bag.from_sequence(records, npartitions=4)
    errors = io.StringIO(newline="")
    with pytest.raises(InvalidRecordsError) as found:
        pdask.learner_export_csv(bag, directory, None, io.StringIO(), errors=errors)
    assert found.value.problems == single.value.problems
    assert str(found.value) == str(single.value)
    assert errors.getvalue() == csv_of(problems_table(single.value.problems))
    with pytest.raises(InvalidRecordsError):
        pdask.group_dashboard(next(iter(directory.groups)), bag, directory, NOW, "UTC")


def test_clean_records_give_the_export_of_their_sessions() -> None:
    world = synthetic_world(learners=6, sessions=4, seed=2)
    records = [json.loads(json.dumps(to_record(s))) for s in world.sessions]
    bag = dask.bag.from_sequence(records, npartitions=3)
    out = io.StringIO(newline="")
    pdask.learner_export_csv(bag, world.directory, ExportOptions(timezone="Europe/Paris"), out)
    expected = io.StringIO(newline="")
    options = ExportOptions(timezone="Europe/Paris")
    write_csv(learner_export(world.sessions, world.directory, options), expected, options)
    assert out.getvalue() == expected.getvalue()


def test_session_records_of_json_lines_files(tmp_path: Path) -> None:
    world = synthetic_world(learners=5, sessions=4, seed=1)
    lines = [json.dumps(to_record(s)) for s in world.sessions]
    (tmp_path / "a.jsonl").write_text(lines[0] + "\n\n" + lines[1] + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("{not json\n" + lines[2] + "\n  \n" + lines[3] + "\n")
    bag = pdask.session_records(str(tmp_path / "*.jsonl"))
    assert bag.npartitions == 2
    single = structure_sessions(
        [
            *json_lines((tmp_path / "a.jsonl").read_text().splitlines(), "a.jsonl"),
            *json_lines((tmp_path / "b.jsonl").read_text().splitlines(), "b.jsonl"),
        ],
        world.directory,
        on_error="skip",
    )
    assert [p.message for p in single.problems] == [
        "'b.jsonl' line 1 is not JSON (Expecting property name enclosed in double quotes)"
    ]
    assert single.problems[0].path == "$.sessions[2]"
    out, errors = io.StringIO(newline=""), io.StringIO(newline="")
    pdask.learner_export_csv(bag, world.directory, None, out, on_error="skip", errors=errors)
    expected = io.StringIO(newline="")
    write_csv(learner_export(single.sessions, world.directory), expected)
    assert out.getvalue() == expected.getvalue()
    assert errors.getvalue() == csv_of(problems_table(single.problems))


def test_bad_on_error_and_errors_are_refused() -> None:
    world = synthetic_world(learners=2, sessions=1, seed=1)
    bag = dask.bag.from_sequence(world.sessions)
    with pytest.raises(programstats.InvalidInputError, match="on_error must be"):
        pdask.learner_export_csv(bag, world.directory, None, io.StringIO(), on_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(programstats.InvalidInputError, match="errors must be a path"):
        pdask.learner_export_csv(bag, world.directory, None, io.StringIO(), errors=42)  # type: ignore[arg-type]
