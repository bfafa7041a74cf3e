"""How each result shows: the functions registered with :func:`~programstats._render.render`.

==========================  ==================================================
value                       shows as
==========================  ==================================================
``SessionOverview``         its figures, charts of progress by course, score
                            bands and score by block, then the course and
                            block tables
``GroupDashboard``          its rates, charts of the 12 months and of online
                            vs blended sessions, then its sessions
``group_results(...)``      one table, a row per group
``learner_results(...)``    one table, a row per learner, three columns per
                            block (score, time, completed)
``block_results(...)``      one table, a row per block (a classroom block: a
                            row per slot)
any single result           a table of label and value, nested results as a
                            table beneath
==========================  ==================================================

Labels are the export's words. A result names its subject (the session, the
group, the learner, the block) with its id beside it; what the result does
not carry (a session's name for its overview, a group's name for its
dashboard) comes from the :class:`~programstats._render.Context` when it
is given, and is left out otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .._render import Context, render
from ..formatting import MONTH_NAMES
from ..session import BlockKind, Session
from ..session_stats import (
    BlockResult,
    BlockResults,
    BlockScore,
    CourseProgress,
    GroupResult,
    GroupResults,
    LearnerBlock,
    LearnerResult,
    LearnerResults,
    ResultTuple,
    SessionOverview,
    SlotResult,
)
from ..views import GroupDashboard, GroupSessionRow
from .charts import delivery_chart, level_chart, months_chart, progress_chart, scores_chart
from .html import (
    Column,
    Formats,
    Shown,
    cells,
    data_table,
    display,
    escape,
    head_and_tail,
    in_page,
    key_values,
    note,
    plural,
    shown_rows,
    subject,
    td,
    th,
    title_line,
)

__all__ = [
    "KIND_WORDS",
    "block_titles",
    "dashboard_body",
    "group_subject",
    "overview_body",
    "session_subject",
]

KIND_WORDS = {
    BlockKind.COURSE: "Course",
    BlockKind.ASSESSMENT: "Assessment",
    BlockKind.CLASSROOM: "Classroom",
}
_NUMBER = True  # a number, aligned right
_TEXT = False  # text, in its own direction


def session_subject(context: Context | None) -> str:
    """The session of the context, as a subject: its name and id; empty without one."""
    session = context.session if context is not None else None
    return subject(session.name, session.id) if session is not None else ""


def _charts(*svgs: str) -> str:
    figures = "".join(f"<figure>{svg}</figure>" for svg in svgs)
    return f'<div class="ps-charts">{figures}</div>'


# --------------------------------------------------------------------------- overview


PROGRESS_COLUMNS = (
    Column("Course"),
    Column("Block ID"),
    Column("Course completed", _NUMBER),
    Column("Course completed percent", _NUMBER),
)
SCORE_COLUMNS = (Column("Block title"), Column("Block ID"), Column("Block average score", _NUMBER))


def overview_body(overview: SessionOverview, context: Context | None) -> str:
    """The session overview, without its title: figures, charts, course and block tables."""
    f = Formats(context)
    o = overview
    figures = key_values(
        "",
        [
            ("Registrations", f.count(o.registrations), _NUMBER),
            ("Open registrations", f.count(o.open_registrations), _NUMBER),
            ("Waiting list", f.count(o.waiting_list), _NUMBER),
            ("Attendees", f.count(o.attendees), _NUMBER),
            ("Completed", f.count(o.completed), _NUMBER),
            ("Median time", f.duration(o.median_time), _NUMBER),
            ("Average score", f.percent(o.average_score), _NUMBER),
            ("Certificates", f.count(o.certificates), _NUMBER),
        ],
    )
    charts = _charts(
        progress_chart(o.progress_by_course, o.attendees, f),
        level_chart(o.level_distribution),
        scores_chart(o.score_by_block, f),
    )
    parts = [figures, charts]
    if o.progress_by_course:
        head = "<tr>" + "".join(th(c) for c in PROGRESS_COLUMNS) + "</tr>"
        parts.append(
            data_table(
                "Progress by course",
                head,
                len(PROGRESS_COLUMNS),
                shown_rows(o.progress_by_course, whole=True),
                lambda c: (
                    "<tr>"
                    + cells(
                        PROGRESS_COLUMNS,
                        (
                            f.text(c.title),
                            f.text(c.block_id),
                            f.count(c.completed),
                            f.percent(c.percent),
                        ),
                    )
                    + "</tr>"
                ),
            )
        )
    if o.score_by_block:
        head = "<tr>" + "".join(th(c) for c in SCORE_COLUMNS) + "</tr>"
        parts.append(
            data_table(
                "Score by block",
                head,
                len(SCORE_COLUMNS),
                shown_rows(o.score_by_block, whole=True),
                lambda b: (
                    "<tr>"
                    + cells(
                        SCORE_COLUMNS, (f.text(b.title), f.text(b.block_id), f.percent(b.average))
                    )
                    + "</tr>"
                ),
            )
        )
    return "".join(parts)


@render.register(SessionOverview)
def _overview(overview: SessionOverview, context: Context | None = None) -> str:
    title = title_line("Session overview", session_subject(context))
    return display(title, overview_body(overview, context), context)


# --------------------------------------------------------------------------- dashboard

SESSION_COLUMNS = (
    Column("Program session"),
    Column("Session ID"),
    Column("Learners", _NUMBER),
    Column("Started", _NUMBER),
    Column("Attendance", _NUMBER),
    Column("Progress", _NUMBER),
    Column("Score", _NUMBER),
)


def group_subject(group_id: str, context: Context | None) -> str:
    """A group as a subject: its name (from the context's directory) and its id."""
    directory = context.directory if context is not None else None
    group = directory.groups.get(group_id) if directory is not None else None
    return subject(group.name if group is not None else None, group_id)


def _session_row(f: Formats, row: GroupSessionRow) -> tuple[str, ...]:
    attendance = 100.0 * row.attendance / row.learners if row.learners else None
    return (
        f.text(row.title),
        f.text(row.session_id),
        f.count(row.learners),
        f.count(row.attendance),
        f.percent(attendance),
        f.percent(row.progress),
        f.percent(row.score),
    )


def dashboard_body(dashboard: GroupDashboard, context: Context | None) -> str:
    """The group dashboard, without its title: rates, charts and sessions."""
    f = Formats(context)
    d = dashboard
    months = d.ongoing_per_month
    window = ""
    if months:
        first, last = months[0][0], months[-1][0]
        window = f"Last 12 months: {_month(first)} to {_month(last)}."
    figures = key_values(
        "",
        [
            ("Attendance rate", f.percent(d.attendance_rate), _NUMBER),
            ("Completion rate", f.percent(d.completion_rate), _NUMBER),
            ("Success rate", f.percent(d.success_rate), _NUMBER),
            ("100% online sessions", f.count(d.online_only), _NUMBER),
            ("Blended sessions", f.count(d.blended), _NUMBER),
        ],
    )
    charts = _charts(months_chart(months), delivery_chart(d.online_only, d.blended))
    head = "<tr>" + "".join(th(c) for c in SESSION_COLUMNS) + "</tr>"
    if d.sessions:
        table = data_table(
            "Sessions",
            head,
            len(SESSION_COLUMNS),
            shown_rows(d.sessions, whole=in_page(context)),
            lambda row: "<tr>" + cells(SESSION_COLUMNS, _session_row(f, row)) + "</tr>",
        )
    else:
        table = note("No session of the group in these 12 months.")
    started = (
        "Learners: registered members of the group. Started: those who started the "
        "session. Attendance: started, as a percentage of learners."
    )
    return note(window) + figures + charts + table + (note(started) if d.sessions else "")


def _month(day: date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


@render.register(GroupDashboard)
def _dashboard(dashboard: GroupDashboard, context: Context | None = None) -> str:
    title = title_line("Group dashboard", group_subject(dashboard.group_id, context))
    return display(title, dashboard_body(dashboard, context), context)


# --------------------------------------------------------------------------- result tuples

GROUP_COLUMNS = (
    Column("Group"),
    Column("Group ID"),
    Column("Level", _NUMBER),
    Column("Users", _NUMBER),
    Column("Attendance", _NUMBER),
    Column("Progress", _NUMBER),
    Column("Score", _NUMBER),
)


def _group_row(f: Formats, r: GroupResult) -> tuple[str, ...]:
    return (
        f.text(r.name),
        f.text(r.group_id),
        f.count(r.level),
        f.count(r.users),
        f.percent(r.attendance),
        f.percent(r.progress),
        f.percent(r.score),
    )


def _empty(what: str, about: str, words: str, context: Context | None) -> str:
    return display(title_line(what, about), note(f"No {words}."), context)


@render.register(GroupResults)
def _group_results(results: GroupResults, context: Context | None = None) -> str:
    about = session_subject(context)
    if not results:
        return _empty("Results by group", about, results.what, context)
    f = Formats(context)
    head = "<tr>" + "".join(th(c) for c in GROUP_COLUMNS) + "</tr>"
    shown = shown_rows(results, whole=in_page(context))
    table = data_table(
        "",
        head,
        len(GROUP_COLUMNS),
        shown,
        lambda r: "<tr>" + cells(GROUP_COLUMNS, _group_row(f, r)) + "</tr>",
    )
    body = _count_note(shown, "group") + table
    return display(title_line("Results by group", about), body, context)


def _count_note(shown: Shown[Any], noun: str, extra: str = "") -> str:
    return note(f"{plural(shown.total, noun, grouped=True)}{head_and_tail(shown)}.{extra}")


LEARNER_COLUMNS = (
    Column("Last name"),
    Column("First name"),
    Column("User ID"),
    Column("Progress", _NUMBER),
    Column("Score", _NUMBER),
    Column("Time spent", _NUMBER),
    Column("Last activity", _NUMBER),
    Column("Start", _NUMBER),
    Column("End", _NUMBER),
    Column("Verified program"),
    Column("Registered user"),
    Column("Deleted user", _NUMBER),
)
BLOCK_FACT_COLUMNS = (Column("Score", _NUMBER), Column("Time", _NUMBER), Column("Completed"))


def _learner_values(f: Formats, r: LearnerResult) -> tuple[str, ...]:
    return (
        f.text(r.last_name),
        f.text(r.first_name),
        f.text(r.user_id),
        f.percent(r.progress),
        f.percent(r.score),
        f.duration(r.time_spent),
        f.moment(r.last_activity),
        f.moment(r.started_at),
        f.moment(r.ended_at),
        f.flag(r.verified),
        f.flag(r.registered),
        f.moment(r.deleted_at),
    )


def block_titles(session: Session | None) -> dict[str, str]:
    """Block id -> title, from the context's session (empty without one)."""
    return {} if session is None else {block.id: block.title for block in session.blocks}


def _block_heading(block_id: str, titles: dict[str, str], number: int) -> str:
    title = titles.get(block_id)
    name = subject(title, block_id) if title is not None else escape(block_id)
    return f"Block {number}: {name}"


@render.register(LearnerResults)
def _learner_results(results: LearnerResults, context: Context | None = None) -> str:
    about = session_subject(context)
    if not results:
        return _empty("Individual results", about, results.what, context)
    f = Formats(context)
    longest: LearnerResult = max(results, key=lambda r: len(r.blocks))
    block_ids = [block.block_id for block in longest.blocks]
    width = len(block_ids)
    titles = block_titles(context.session if context is not None else None)
    head = (
        "<tr>"
        + "".join(th(c, ' rowspan="2"') for c in LEARNER_COLUMNS)
        + "".join(
            f'<th scope="colgroup" colspan="3" class="ps-group">'
            f"{_block_heading(block_id, titles, n)}</th>"
            for n, block_id in enumerate(block_ids, 1)
        )
        + "</tr><tr>"
        + "".join(th(c) for _ in range(width) for c in BLOCK_FACT_COLUMNS)
        + "</tr>"
    )
    columns = LEARNER_COLUMNS + BLOCK_FACT_COLUMNS * width

    def row_html(r: LearnerResult) -> str:
        values = list(_learner_values(f, r))
        for block in r.blocks:
            values += (
                f.percent(block.score),
                f.duration(block.time_spent),
                f.flag(block.completed),
            )
        values += ["-"] * (3 * (width - len(r.blocks)))
        past = "" if r.registered else ' class="ps-past"'
        return f"<tr{past}>" + cells(columns, values) + "</tr>"

    shown = shown_rows(results, whole=in_page(context))
    table = data_table("", head, len(columns), shown, row_html)
    extra = " " + f.zone_note()
    if not all(r.registered for r in results):
        extra += " Learners unassigned since are shown in gray."
    body = _count_note(shown, "learner", extra) + table
    return display(title_line("Individual results", about), body, context)


BLOCK_COLUMNS = (
    Column("Block title"),
    Column("Block ID"),
    Column("Kind"),
    Column("Started", _NUMBER),
    Column("Completed", _NUMBER),
    Column("Average score", _NUMBER),
    Column("Average time", _NUMBER),
    Column("Passed", _NUMBER),
)
SLOT_COLUMNS = (
    Column("Slot title"),
    Column("Slot ID"),
    Column("Slot attendees", _NUMBER),
    Column("Slot average attendance", _NUMBER),
)


def _block_values(f: Formats, r: BlockResult) -> tuple[str, ...]:
    return (
        f.text(r.title),
        f.text(r.block_id),
        KIND_WORDS[r.kind],
        f.count(r.started),
        f.count(r.completed),
        f.percent(r.average_score),
        f.duration(r.average_time),
        f.count(r.passed),
    )


def _slot_values(f: Formats, slot: SlotResult) -> tuple[str, ...]:
    return (
        f.text(slot.title),
        f.text(slot.slot_id),
        f.count(slot.attendees),
        f.percent(slot.average_percent),
    )


def block_rows(f: Formats, r: BlockResult) -> str:
    """One block's rows: one, or one per slot with the block's cells spanning them."""
    block = _block_values(f, r)
    if not r.slots:
        return "<tr>" + cells(BLOCK_COLUMNS + SLOT_COLUMNS, block + ("-",) * 4) + "</tr>"
    span = f' rowspan="{len(r.slots)}"' if len(r.slots) > 1 else ""
    first = "".join(_span_cell(c, v, span) for c, v in zip(BLOCK_COLUMNS, block, strict=True))
    rows = [first + cells(SLOT_COLUMNS, _slot_values(f, r.slots[0]))]
    rows += [cells(SLOT_COLUMNS, _slot_values(f, slot)) for slot in r.slots[1:]]
    return "".join(f"<tr>{row}</tr>" for row in rows)


def _span_cell(column: Column, value: str, span: str) -> str:
    return td(value, numeric=column.numeric, extra=span)


@render.register(BlockResults)
def _block_results(results: BlockResults, context: Context | None = None) -> str:
    about = session_subject(context)
    if not results:
        return _empty("Detailed results per block", about, results.what, context)
    f = Formats(context)
    columns = BLOCK_COLUMNS + SLOT_COLUMNS
    head = "<tr>" + "".join(th(c) for c in columns) + "</tr>"
    shown = shown_rows(results, whole=in_page(context))
    table = data_table("", head, len(columns), shown, lambda r: block_rows(f, r))
    body = _count_note(shown, "block") + table
    return display(title_line("Detailed results per block", about), body, context)


@render.register(ResultTuple)
def _results(results: ResultTuple, context: Context | None = None) -> str:
    return display(title_line("Results"), note(f"{plural(len(results), 'result')}."), context)


# --------------------------------------------------------------------------- single results


def _record(
    what: str,
    about: str,
    pairs: Sequence[tuple[str, str, bool]],
    context: Context | None,
    more: str = "",
) -> str:
    return display(title_line(what, about), key_values("", pairs) + more, context)


@render.register(CourseProgress)
def _course(c: CourseProgress, context: Context | None = None) -> str:
    f = Formats(context)
    pairs = [
        ("Course completed", f.count(c.completed), _NUMBER),
        ("Course completed percent", f.percent(c.percent), _NUMBER),
    ]
    return _record("Course progress", subject(c.title, c.block_id), pairs, context)


@render.register(BlockScore)
def _block_score(b: BlockScore, context: Context | None = None) -> str:
    f = Formats(context)
    pairs = [("Block average score", f.percent(b.average), _NUMBER)]
    return _record("Block score", subject(b.title, b.block_id), pairs, context)


@render.register(GroupResult)
def _group_result(r: GroupResult, context: Context | None = None) -> str:
    f = Formats(context)
    values = _group_row(f, r)[2:]
    pairs = [(c.label, v, c.numeric) for c, v in zip(GROUP_COLUMNS[2:], values, strict=True)]
    return _record("Group result", subject(r.name, r.group_id), pairs, context)


LEARNER_BLOCK_COLUMNS = (
    Column("Block title"),
    Column("Block ID"),
    Column("Score", _NUMBER),
    Column("Time spent", _NUMBER),
    Column("Completed"),
)


@render.register(LearnerResult)
def _learner_result(r: LearnerResult, context: Context | None = None) -> str:
    f = Formats(context)
    values = _learner_values(f, r)[3:]
    pairs = [(c.label, v, c.numeric) for c, v in zip(LEARNER_COLUMNS[3:], values, strict=True)]
    titles = block_titles(context.session if context is not None else None)
    head = "<tr>" + "".join(th(c) for c in LEARNER_BLOCK_COLUMNS) + "</tr>"
    blocks = data_table(
        "Blocks",
        head,
        len(LEARNER_BLOCK_COLUMNS),
        shown_rows(tuple(r.blocks), whole=True),
        lambda b: (
            "<tr>"
            + cells(
                LEARNER_BLOCK_COLUMNS,
                (
                    f.text(titles.get(b.block_id, "")),
                    f.text(b.block_id),
                    f.percent(b.score),
                    f.duration(b.time_spent),
                    f.flag(b.completed),
                ),
            )
            + "</tr>"
        ),
    )
    name = f"{r.first_name} {r.last_name}".strip()
    more = note(f.zone_note()) + (blocks if r.blocks else "")
    return _record("Learner result", subject(name, r.user_id), pairs, context, more)


@render.register(LearnerBlock)
def _learner_block(b: LearnerBlock, context: Context | None = None) -> str:
    f = Formats(context)
    title = block_titles(context.session if context is not None else None).get(b.block_id)
    pairs = [
        ("Score", f.percent(b.score), _NUMBER),
        ("Time spent", f.duration(b.time_spent), _NUMBER),
        ("Completed", f.flag(b.completed), _TEXT),
    ]
    return _record("Learner's block", subject(title, b.block_id), pairs, context)


@render.register(SlotResult)
def _slot(slot: SlotResult, context: Context | None = None) -> str:
    f = Formats(context)
    values = _slot_values(f, slot)[2:]
    pairs = [(c.label, v, c.numeric) for c, v in zip(SLOT_COLUMNS[2:], values, strict=True)]
    return _record("Classroom slot", subject(slot.title, slot.slot_id), pairs, context)


@render.register(BlockResult)
def _block_result(r: BlockResult, context: Context | None = None) -> str:
    f = Formats(context)
    values = _block_values(f, r)[2:]
    pairs = [(c.label, v, c.numeric) for c, v in zip(BLOCK_COLUMNS[2:], values, strict=True)]
    slots = ""
    if r.slots:
        head = "<tr>" + "".join(th(c) for c in SLOT_COLUMNS) + "</tr>"
        slots = data_table(
            "Slots",
            head,
            len(SLOT_COLUMNS),
            shown_rows(r.slots, whole=True),
            lambda s: "<tr>" + cells(SLOT_COLUMNS, _slot_values(f, s)) + "</tr>",
        )
    return _record("Block result", subject(r.title, r.block_id), pairs, context, slots)


@render.register(GroupSessionRow)
def _group_session(row: GroupSessionRow, context: Context | None = None) -> str:
    f = Formats(context)
    values = _session_row(f, row)[2:]
    pairs = [(c.label, v, c.numeric) for c, v in zip(SESSION_COLUMNS[2:], values, strict=True)]
    return _record("Group session", subject(row.title, row.session_id), pairs, context)
