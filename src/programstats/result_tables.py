"""Session statistics as tables of strings (the export cell formats).

=======================  ===================================================
function                 one row per
=======================  ===================================================
overview_table           statistic of the overview (course and block lines
                         carry the block's id and title)
group_results_table      group of the results by group
learner_results_table    learner, with four columns per block
block_results_table      block; a classroom block has one row per slot
=======================  ===================================================

Cells use the export formats: dates ``YYYY/MM/DD HH:mm`` in
``options.timezone``, durations ``H:MM:SS``, scores and percentages rounded
half-up to ``options.decimals`` places, flags ``x`` or empty, a missing value
an empty cell. Text that comes from users (names, titles, ids) is prefixed
with ``'`` when a spreadsheet would read it as a formula, unless
``options.protect_formulas`` is off. The tables are lazy like every export:
iterating the rows again formats them afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import TypeVar

from ._checks import Rejected, expect, to_tuple
from .errors import InvalidInputError
from .formatting import format_datetime, format_duration, format_number, protect_text
from .options import ExportOptions, given_options
from .session_stats import BlockResult, GroupResult, LearnerResult, SessionOverview
from .table import LazyRows, Row, Table

__all__ = [
    "block_results_table",
    "group_results_table",
    "learner_results_table",
    "overview_table",
]

_T = TypeVar("_T")

LEVEL_BANDS = ("0-20", "20-40", "40-60", "60-80", "80-100")


class _Cells:
    """The cell formatters of one set of options."""

    __slots__ = ("options",)

    def __init__(self, options: ExportOptions | None) -> None:
        self.options = given_options(options)

    def text(self, value: str) -> str:
        return protect_text(value) if self.options.protect_formulas else value

    def number(self, value: float | None) -> str:
        return "" if value is None else format_number(value, self.options.decimals)

    def moment(self, value: datetime | None) -> str:
        return "" if value is None else format_datetime(value, self.options.timezone)

    def duration(self, value: timedelta | None) -> str:
        return "" if value is None else format_duration(value)

    @staticmethod
    def flag(value: bool) -> str:
        return "x" if value else ""


def _results(name: str, results: Iterable[_T], kind: type[_T]) -> tuple[_T, ...]:
    given = to_tuple(results)
    if isinstance(given, Rejected):
        raise InvalidInputError(f"{name}: results {given.reason}")
    for result in given:
        if not isinstance(result, kind):
            raise InvalidInputError(
                f"{name}: every result must be a {kind.__name__}, got {type(result).__name__}"
            )
    return given


def _table(header: tuple[str, ...], produce: Callable[[], Iterator[Row]]) -> Table:
    return Table(header=header, rows=LazyRows(produce))


OVERVIEW_HEADER = ("Statistic", "Block ID", "Block title", "Value")


def overview_table(overview: SessionOverview, options: ExportOptions | None = None) -> Table:
    """The overview as one row per statistic: ``Statistic``, ``Block ID``,
    ``Block title``, ``Value``.

    Session-wide statistics come first (block cells empty), then one
    ``Course completed`` and one ``Course completed percent`` row per course
    block, one ``Block average score`` row per scored block, and one
    ``Level 0-20`` … ``Level 80-100`` row per score band.

    >>> from programstats import session_overview
    >>> from programstats.examples import tiny_session
    >>> rows = list(overview_table(session_overview(tiny_session())).rows)
    >>> for row in rows[:3] + rows[8:10]:
    ...     print(",".join(row))
    Registrations,,,3
    Open registrations,,,1
    Waiting list,,,0
    Course completed,course,Welcome course,1
    Course completed percent,course,Welcome course,50

    Raises :class:`InvalidInputError` when ``overview`` is not a
    :class:`SessionOverview`.
    """
    expect("overview", overview, SessionOverview)
    cells = _Cells(options)

    def produce() -> Iterator[Row]:
        o = overview
        yield ("Registrations", "", "", str(o.registrations))
        yield ("Open registrations", "", "", str(o.open_registrations))
        yield ("Waiting list", "", "", str(o.waiting_list))
        yield ("Attendees", "", "", str(o.attendees))
        yield ("Completed", "", "", str(o.completed))
        yield ("Median time", "", "", cells.duration(o.median_time))
        yield ("Average score", "", "", cells.number(o.average_score))
        yield ("Certificates", "", "", str(o.certificates))
        for course in o.progress_by_course:
            ident, title = cells.text(course.block_id), cells.text(course.title)
            yield ("Course completed", ident, title, str(course.completed))
            yield ("Course completed percent", ident, title, cells.number(course.percent))
        for block in o.score_by_block:
            ident, title = cells.text(block.block_id), cells.text(block.title)
            yield ("Block average score", ident, title, cells.number(block.average))
        for band, count in zip(LEVEL_BANDS, o.level_distribution, strict=True):
            yield (f"Level {band}", "", "", str(count))

    return _table(OVERVIEW_HEADER, produce)


GROUP_HEADER = ("Group", "Group ID", "Level", "Users", "Attendance", "Progress", "Score")


def group_results_table(
    results: Iterable[GroupResult], options: ExportOptions | None = None
) -> Table:
    """Results by group, one row per group in the order given: ``Group``,
    ``Group ID``, ``Level``, ``Users``, ``Attendance``, ``Progress``, ``Score``.

    >>> from programstats import GroupResult
    >>> result = GroupResult(group_id="g", name="Sales", users=3, attendance=66.66666666666667,
    ...                      progress=50.0, score=None, level=1)
    >>> list(group_results_table([result]).rows)
    [('Sales', 'g', '1', '3', '67', '50', '')]

    Raises :class:`InvalidInputError` when a result is not a :class:`GroupResult`.
    """
    found = _results("group_results_table", results, GroupResult)
    cells = _Cells(options)

    def produce() -> Iterator[Row]:
        for r in found:
            yield (
                cells.text(r.name),
                cells.text(r.group_id),
                str(r.level),
                str(r.users),
                cells.number(r.attendance),
                cells.number(r.progress),
                cells.number(r.score),
            )

    return _table(GROUP_HEADER, produce)


LEARNER_HEADER = (
    "User ID",
    "Last name",
    "First name",
    "Registered user",
    "Deleted user",
    "Progress",
    "Score",
    "Time spent",
    "Start",
    "End",
    "Last activity",
    "Verified program",
)


def learner_results_table(
    results: Iterable[LearnerResult], options: ExportOptions | None = None
) -> Table:
    """Individual results, one row per learner in the order given.

    Columns: ``User ID``, ``Last name``, ``First name``, ``Registered user``
    (``x``), ``Deleted user`` (date), ``Progress``, ``Score``, ``Time spent``,
    ``Start``, ``End``, ``Last activity``, ``Verified program`` (``x``), then
    for N = 1 … the largest number of blocks of a result: ``Block ID N``,
    ``Block score N``, ``Block time N``, ``Block completed N`` (``x``); all
    four are empty for a learner whose result has fewer blocks.

    >>> from programstats import learner_results
    >>> from programstats.examples import tiny_directory, tiny_session
    >>> table = learner_results_table(learner_results(tiny_session(), tiny_directory()))
    >>> table.header[-4:]
    ('Block ID 3', 'Block score 3', 'Block time 3', 'Block completed 3')
    >>> list(table.select(["Last name", "Progress", "Time spent", "Block completed 1"]).rows)[0]
    ('Alves', '100', '0:50:00', 'x')

    Raises :class:`InvalidInputError` when a result is not a :class:`LearnerResult`.
    """
    found = _results("learner_results_table", results, LearnerResult)
    cells = _Cells(options)
    width = max((len(r.blocks) for r in found), default=0)
    header = LEARNER_HEADER + tuple(
        name
        for n in range(1, width + 1)
        for name in (f"Block ID {n}", f"Block score {n}", f"Block time {n}", f"Block completed {n}")
    )

    def produce() -> Iterator[Row]:
        for r in found:
            row = [
                cells.text(r.user_id),
                cells.text(r.last_name),
                cells.text(r.first_name),
                cells.flag(r.registered),
                cells.moment(r.deleted_at),
                cells.number(r.progress),
                cells.number(r.score),
                cells.duration(r.time_spent),
                cells.moment(r.started_at),
                cells.moment(r.ended_at),
                cells.moment(r.last_activity),
                cells.flag(r.verified),
            ]
            for block in r.blocks:
                row += (
                    cells.text(block.block_id),
                    cells.number(block.score),
                    cells.duration(block.time_spent),
                    cells.flag(block.completed),
                )
            row += [""] * (4 * (width - len(r.blocks)))
            yield tuple(row)

    return _table(header, produce)


BLOCK_HEADER = (
    "Block ID",
    "Block title",
    "Kind",
    "Started",
    "Completed",
    "Average score",
    "Average time",
    "Passed",
    "Slot ID",
    "Slot title",
    "Slot attendees",
    "Slot average attendance",
)


def block_results_table(
    results: Iterable[BlockResult], options: ExportOptions | None = None
) -> Table:
    """Detailed results per block, in the order given.

    Columns: ``Block ID``, ``Block title``, ``Kind`` (``COURSE``,
    ``ASSESSMENT`` or ``CLASSROOM``), ``Started``, ``Completed``, ``Average
    score``, ``Average time``, ``Passed`` (empty without a passing score),
    ``Slot ID``, ``Slot title``, ``Slot attendees``, ``Slot average
    attendance``. A course or assessment is one row with empty slot cells; a
    classroom block is one row per slot, its block cells repeated on each
    (one row with empty slot cells when it has no slot).

    >>> from programstats import block_results
    >>> from programstats.examples import tiny_session
    >>> for row in block_results_table(block_results(tiny_session())).rows:
    ...     print(",".join(row))
    course,Welcome course,COURSE,2,1,80,0:35:00,,,,,
    quiz,Final quiz,ASSESSMENT,1,1,60,0:25:00,1,,,,
    workshop,Workshop,CLASSROOM,1,1,,,,slot1,Paris morning,1,100

    Raises :class:`InvalidInputError` when a result is not a :class:`BlockResult`.
    """
    found = _results("block_results_table", results, BlockResult)
    cells = _Cells(options)

    def produce() -> Iterator[Row]:
        for r in found:
            block = (
                cells.text(r.block_id),
                cells.text(r.title),
                r.kind.name,
                str(r.started),
                str(r.completed),
                cells.number(r.average_score),
                cells.duration(r.average_time),
                "" if r.passed is None else str(r.passed),
            )
            if not r.slots:
                yield (*block, "", "", "", "")
            for slot in r.slots:
                yield (
                    *block,
                    cells.text(slot.slot_id),
                    cells.text(slot.title),
                    str(slot.attendees),
                    cells.number(slot.average_percent),
                )

    return _table(BLOCK_HEADER, produce)
