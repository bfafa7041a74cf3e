"""Session statistics as tables (programstats.result_tables): hand-computed cells.

The result values are built by hand, so every cell below is worked out from
the export formats alone: dates in the options' zone, durations ``H:MM:SS``
rounded half-up, numbers half-up to ``decimals``, flags ``x``, None empty,
user text protected against formulas.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import attrs
import pytest

from programstats import (
    BlockKind,
    BlockResult,
    BlockScore,
    CourseProgress,
    ExportOptions,
    GroupResult,
    InvalidInputError,
    LearnerBlock,
    LearnerResult,
    SessionOverview,
    SlotResult,
    block_results,
    block_results_table,
    group_results,
    group_results_table,
    learner_results,
    learner_results_table,
    overview_table,
    session_overview,
    write_csv,
)
from programstats.examples import tiny_directory, tiny_session

UTC = timezone.utc
PARIS = ExportOptions(timezone="Europe/Paris", decimals=1)


def overview() -> SessionOverview:
    return SessionOverview(
        registrations=4,
        open_registrations=1,
        waiting_list=2,
        attendees=3,
        progress_by_course=(
            CourseProgress(block_id="c1", title="=Intro", completed=2, percent=200 / 3),
        ),
        completed=1,
        median_time=timedelta(hours=25, minutes=1, seconds=1, microseconds=500_000),
        average_score=72.45,
        certificates=0,
        score_by_block=(BlockScore(block_id="q", title="Quiz", average=None),),
        level_distribution=(0, 1, 0, 2, 0),
    )


def test_overview_rows_one_per_statistic() -> None:
    table = overview_table(overview(), PARIS)
    assert table.header == ("Statistic", "Block ID", "Block title", "Value")
    assert list(table.rows) == [
        ("Registrations", "", "", "4"),
        ("Open registrations", "", "", "1"),
        ("Waiting list", "", "", "2"),
        ("Attendees", "", "", "3"),
        ("Completed", "", "", "1"),
        ("Median time", "", "", "25:01:02"),  # 1.5 s rounds half-up to 2
        ("Average score", "", "", "72.5"),  # 72.45 half-up at 1 place (not 72.4)
        ("Certificates", "", "", "0"),
        ("Course completed", "c1", "'=Intro", "2"),
        ("Course completed percent", "c1", "'=Intro", "66.7"),
        ("Block average score", "q", "Quiz", ""),
        ("Level 0-20", "", "", "0"),
        ("Level 20-40", "", "", "1"),
        ("Level 40-60", "", "", "0"),
        ("Level 60-80", "", "", "2"),
        ("Level 80-100", "", "", "0"),
    ]


def test_overview_none_median_and_unprotected_text() -> None:
    value = attrs.evolve(overview(), median_time=None)
    rows = list(overview_table(value, ExportOptions(protect_formulas=False)).rows)
    assert rows[5] == ("Median time", "", "", "")
    assert rows[8] == ("Course completed", "c1", "=Intro", "2")
    assert rows[9][3] == "67"  # default 0 decimals


def test_group_results_table_cells() -> None:
    results = [
        GroupResult(
            group_id="g1", name="+Sales", users=3, attendance=2 / 3 * 100, progress=0.05,
            score=None, level=2,
        ),
        GroupResult(
            group_id="g2", name="Team", users=0, attendance=None, progress=None, score=99.95,
            level=0,
        ),
    ]  # fmt: skip
    table = group_results_table(results, PARIS)
    assert table.header[4:] == ("Attendance", "Progress", "Score")
    assert table.header[:4] == ("Group", "Group ID", "Level", "Users")
    assert list(table.rows) == [
        ("'+Sales", "g1", "2", "3", "66.7", "0.1", ""),
        ("Team", "g2", "0", "0", "", "", "100.0"),
    ]


def learner(blocks: tuple[LearnerBlock, ...], **changes: object) -> LearnerResult:
    fields: dict[str, object] = {
        "user_id": "u1",
        "first_name": "Ana",
        "last_name": "@lves",
        "registered": True,
        "deleted_at": None,
        "progress": 50.0,
        "score": 12.25,
        "time_spent": timedelta(minutes=90),
        "started_at": datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01:30 in Paris (CET)
        "ended_at": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 03:30 (CEST)
        "last_activity": datetime(2026, 7, 1, 22, 0, tzinfo=UTC),  # 00:00 on July 2
        "verified": False,
        "blocks": blocks,
    }
    fields.update(changes)
    return LearnerResult(**fields)  # type: ignore[arg-type]


def test_learner_results_table_cells_and_block_columns() -> None:
    two = (
        LearnerBlock(block_id="b1", score=80.0, time_spent=timedelta(seconds=59.5), completed=True),
        LearnerBlock(block_id="b2", score=None, time_spent=timedelta(0), completed=False),
    )
    results = [
        learner(two),
        learner(
            two[:1],
            user_id="u2",
            last_name="Brown",
            registered=False,
            deleted_at=datetime(2026, 1, 1, tzinfo=UTC),
            score=None,
            started_at=None,
            ended_at=None,
            last_activity=None,
            verified=True,
        ),
    ]
    table = learner_results_table(results, PARIS)
    assert table.header[12:] == (
        "Block ID 1", "Block score 1", "Block time 1", "Block completed 1",
        "Block ID 2", "Block score 2", "Block time 2", "Block completed 2",
    )  # fmt: skip
    first, second = list(table.rows)
    assert first == (
        "u1", "'@lves", "Ana", "x", "", "50.0", "12.3", "1:30:00",
        "2026/03/29 01:30", "2026/03/29 03:30", "2026/07/02 00:00", "",
        "b1", "80.0", "0:01:00", "x", "b2", "", "0:00:00", "",
    )  # fmt: skip
    assert second == (
        "u2", "Brown", "Ana", "", "2026/01/01 01:00", "50.0", "", "1:30:00",
        "", "", "", "x",
        "b1", "80.0", "0:01:00", "x", "", "", "", "",
    )  # fmt: skip


def test_learner_results_table_of_no_result_has_the_fixed_columns() -> None:
    table = learner_results_table(())
    assert len(table.header) == 12 and list(table.rows) == []


def test_block_results_table_one_row_per_slot() -> None:
    results = [
        BlockResult(
            block_id="c", title="Course", kind=BlockKind.COURSE, started=3, completed=2,
            average_score=None, average_time=timedelta(seconds=3601), passed=None, slots=(),
        ),
        BlockResult(
            block_id="a", title="Quiz", kind=BlockKind.ASSESSMENT, started=2, completed=2,
            average_score=0.25, average_time=None, passed=0, slots=(),
        ),
        BlockResult(
            block_id="w", title="Workshop", kind=BlockKind.CLASSROOM, started=1, completed=1,
            average_score=None, average_time=None, passed=None,
            slots=(
                SlotResult(slot_id="s1", title="-am", attendees=2, average_percent=12.35),
                SlotResult(slot_id="s2", title="pm", attendees=0, average_percent=None),
            ),
        ),
        BlockResult(
            block_id="e", title="Empty", kind=BlockKind.CLASSROOM, started=0, completed=0,
            average_score=None, average_time=None, passed=None, slots=(),
        ),
    ]  # fmt: skip
    rows = list(block_results_table(results, PARIS).rows)
    assert rows == [
        ("c", "Course", "COURSE", "3", "2", "", "1:00:01", "", "", "", "", ""),
        ("a", "Quiz", "ASSESSMENT", "2", "2", "0.3", "", "0", "", "", "", ""),
        ("w", "Workshop", "CLASSROOM", "1", "1", "", "", "", "s1", "'-am", "2", "12.4"),
        ("w", "Workshop", "CLASSROOM", "1", "1", "", "", "", "s2", "pm", "0", ""),
        ("e", "Empty", "CLASSROOM", "0", "0", "", "", "", "", "", "", ""),
    ]


def test_tables_of_a_real_session_write_as_csv() -> None:
    session, directory = tiny_session(), tiny_directory()
    tables = [
        overview_table(session_overview(session)),
        group_results_table(group_results(session, directory)),
        learner_results_table(learner_results(session, directory)),
        block_results_table(block_results(session)),
    ]
    counts = []
    for table in tables:
        out = io.StringIO()
        counts.append(write_csv(table, out))
        assert list(table.rows)  # re-iterable after writing
    assert counts == [17, 2, 4, 3]  # 8 + 2 per course (1) + 1 per scored block (2) + 5 bands


@pytest.mark.parametrize(
    "call",
    [
        lambda: overview_table("overview"),  # type: ignore[arg-type]
        lambda: group_results_table([object()]),  # type: ignore[list-item]
        lambda: learner_results_table(42),  # type: ignore[arg-type]
        lambda: block_results_table([], options="x"),  # type: ignore[arg-type]
    ],
)
def test_wrong_arguments_are_invalid_input(call: object) -> None:
    with pytest.raises(InvalidInputError):
        call()  # type: ignore[operator]
