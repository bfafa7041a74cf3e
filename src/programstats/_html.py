"""HTML rendering of results and tables for notebooks (private).

``_repr_html_`` on a result type shows its fields as a two-column table of
field name and value, values written as the exports write them (scores and
percentages rounded half-up, durations ``H:MM:SS``, datetimes
``YYYY/MM/DD HH:mm`` in UTC, ``-`` for a missing value). The session
overview adds SVG bar charts of the level distribution and of progress by
course; the group dashboard charts its 12 months and online vs blended
sessions (see :mod:`programstats._svg`). The tuples returned by
``group_results``, ``learner_results`` and ``block_results`` are
:class:`ResultTuple` subclasses that render as one table; a
:class:`~programstats.Table` renders its first 50 rows and says how many
more there are.

No script, no event attribute, no link or external resource: the output
is static HTML and inline SVG. Every piece of text is escaped
(``html.escape`` with ``quote=True``), and text cells carry ``dir="auto"``
so right-to-left names show in their own direction.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from ._svg import Bar, bar_chart, column_chart
from ._svg import escape_text as escape
from .formatting import MONTH_NAMES, format_datetime, format_duration, format_score
from .options import ExportOptions

if TYPE_CHECKING:
    from .session_stats import SessionOverview
    from .views import GroupDashboard

__all__ = [
    "ROW_LIMIT",
    "BlockResults",
    "GroupResults",
    "LearnerResults",
    "dashboard_html",
    "html_repr",
    "overview_html",
    "record_html",
    "records_html",
    "table_html",
]

_T = TypeVar("_T")
ROW_LIMIT = 50
# En dashes, as typeset ranges are written.
BAND_LABELS = ("0–20", "20–40", "40–60", "60–80", "80–100")  # noqa: RUF001


# --------------------------------------------------------------------------- cells


def _words(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def cell_text(value: Any) -> str | None:
    """A plain value written as the exports write it; None for a nested value."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_score(value)
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, datetime):
        return format_datetime(value, timezone.utc)
    if isinstance(value, date):
        return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, str):
        return value
    return None


def _td(value: Any) -> str:
    """One table cell: escaped text (``dir="auto"`` for text), or a nested table."""
    if isinstance(value, Sequence) and not isinstance(value, (str, tuple)):
        value = tuple(value)  # a lazy sequence of records, such as LearnerResult.blocks
    text = cell_text(value)
    if text is not None:
        if isinstance(value, str):
            return f'<td dir="auto">{escape(text)}</td>'
        return f"<td>{escape(text)}</td>"
    if attrs.has(type(value)):
        return f"<td>{record_html(value)}</td>"
    if isinstance(value, tuple) and value and all(attrs.has(type(item)) for item in value):
        return f"<td>{records_html(value)}</td>"
    if isinstance(value, tuple):
        if not value:
            return "<td>-</td>"
        rows = "".join(
            "<tr>" + "".join(_td(part) for part in item) + "</tr>"
            if isinstance(item, tuple)
            else "<tr>" + _td(item) + "</tr>"
            for item in value
        )
        return f"<td><table>{rows}</table></td>"
    return f"<td>{escape(str(value))}</td>"


def _fields(record: Any) -> list[str]:
    return [f.name for f in attrs.fields(type(record)) if not f.name.startswith("_")]


def _has_datetime(record: Any) -> bool:
    for name in _fields(record):
        value = getattr(record, name)
        if isinstance(value, datetime):
            return True
        if isinstance(value, tuple) and any(
            attrs.has(type(item)) and _has_datetime(item) for item in value
        ):
            return True
    return False


def _caption(record: Any) -> str:
    name = escape(type(record).__name__)
    note = " (times in UTC)" if _has_datetime(record) else ""
    return f"<caption>{name}{note}</caption>"


def record_html(record: Any, extra: dict[str, str] | None = None) -> str:
    """One record as a table of field name and value.

    ``extra`` maps a field name to the HTML shown in that field's value cell
    instead of the value (a chart).
    """
    rows = []
    for name in _fields(record):
        given = extra.get(name) if extra else None
        cell = _td(getattr(record, name)) if given is None else f"<td>{given}</td>"
        rows.append(f"<tr><th>{escape(name)}</th>{cell}</tr>")
    return f"<table>{_caption(record)}{''.join(rows)}</table>"


def records_html(records: Sequence[Any], *, limit: int | None = None) -> str:
    """Records of one type as a table with one row per record (``limit`` rows at most)."""
    names = _fields(records[0])
    head = "".join(f"<th>{escape(name)}</th>" for name in names)
    shown = records if limit is None else records[:limit]
    body = "".join("<tr>" + "".join(_td(getattr(r, n)) for n in names) + "</tr>" for r in shown)
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return table + _more_note(len(records) - len(shown), len(records))


def _more_note(hidden: int, total: int) -> str:
    if hidden <= 0:
        return ""
    more = "1 more row" if hidden == 1 else f"{hidden} more rows"
    return f"<p>{more} not shown ({total} rows in all).</p>"


def table_html(header: Sequence[str], rows: Iterable[Sequence[Any]], *, limit: int) -> str:
    """An escaped HTML table of the first ``limit`` rows, then how many more there are.

    The rows after the limit are counted, not kept. Every cell is text,
    shown as it is, with ``dir="auto"``.
    """
    parts = ["<table><thead><tr>"]
    parts += [f'<th dir="auto">{escape(str(name))}</th>' for name in header]
    parts.append("</tr></thead><tbody>")
    total = 0
    for row in rows:
        total += 1
        if total <= limit:
            cells = "".join(f'<td dir="auto">{escape(str(cell))}</td>' for cell in row)
            parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    parts.append(_more_note(total - limit, total))
    return "".join(parts)


def html_repr(cls: type[_T]) -> type[_T]:
    """Class decorator: give an attrs class a notebook HTML representation."""
    cls._repr_html_ = record_html  # type: ignore[attr-defined]  # set on a class built by attrs
    return cls


def html_repr_by(render: Callable[[Any], str]) -> Callable[[type[_T]], type[_T]]:
    """Class decorator: show instances in notebooks with ``render(instance)``."""

    def decorate(cls: type[_T]) -> type[_T]:
        cls._repr_html_ = render  # type: ignore[attr-defined]  # set on a class built by attrs
        return cls

    return decorate


# --------------------------------------------------------------------------- charts


def level_chart(distribution: Sequence[int]) -> str:
    """The level distribution as columns, one per score band."""
    bars = [
        Bar(label=label, value=count, text=str(count), words=_words(count, "learner"))
        for label, count in zip(BAND_LABELS, distribution, strict=True)
    ]
    reason = "no attendee has a score" if sum(distribution) == 0 else None
    return column_chart("Level distribution", bars, scale=max(distribution), no_data=reason)


def progress_chart(progress: Sequence[Any]) -> str:
    """Progress by course: the percentage of attendees who completed each course."""
    bars = []
    for course in progress:
        if course.percent is None:
            bars.append(
                Bar(label=course.title, value=None, text="no attendee", words="no attendee")
            )
            continue
        percent = format_score(course.percent)
        completed = _words(course.completed, "attendee")
        bars.append(
            Bar(
                label=course.title,
                value=course.percent,
                text=f"{percent}% ({course.completed})",
                words=f"{percent}% ({completed} completed it)",
            )
        )
    reason = "the session has no course block" if not bars else None
    return bar_chart("Progress by course", bars, scale=100, no_data=reason)


def months_chart(months: Sequence[tuple[date, int]]) -> str:
    """Ongoing sessions per month, one column per month with its name and year."""
    bars = []
    for index, (start, count) in enumerate(months):
        name = MONTH_NAMES[start.month - 1]
        bars.append(
            Bar(
                label=name[:3],
                sublabel=str(start.year) if index == 0 or start.month == 1 else "",
                long_label=f"{name} {start.year}",
                value=count,
                text=str(count),
                words=_words(count, "session"),
            )
        )
    counts = [count for _, count in months]
    reason = "no session of the group was in progress" if not any(counts) else None
    return column_chart(
        "Sessions in progress per month",
        bars,
        scale=max(counts, default=0),
        no_data=reason,
        slot=40,
    )


def delivery_chart(online_only: int, blended: int) -> str:
    """Sessions of the last 12 months: 100 % online vs blended."""
    bars = [
        Bar(
            label="100% online",
            value=online_only,
            text=str(online_only),
            words=_words(online_only, "session"),
        ),
        Bar(label="blended", value=blended, text=str(blended), words=_words(blended, "session")),
    ]
    reason = "no session in the last 12 months" if online_only + blended == 0 else None
    return bar_chart(
        "Online vs blended",
        bars,
        scale=max(online_only, blended),
        no_data=reason,
        label_width=100,
        plot=200,
    )


def _figure(svg: str) -> str:
    return f'<div style="margin:4px 0">{svg}</div>'


def overview_html(overview: SessionOverview) -> str:
    """The session overview: its fields, with charts of bands and course progress."""
    return record_html(
        overview,
        {
            "progress_by_course": _figure(progress_chart(overview.progress_by_course))
            + (records_html(overview.progress_by_course) if overview.progress_by_course else ""),
            "level_distribution": _figure(level_chart(overview.level_distribution)),
        },
    )


def dashboard_html(dashboard: GroupDashboard) -> str:
    """The group dashboard: its fields, with charts of the months and online vs blended."""
    return record_html(
        dashboard,
        {
            "ongoing_per_month": _figure(months_chart(dashboard.ongoing_per_month)),
            "blended": f"{dashboard.blended}"
            + _figure(delivery_chart(dashboard.online_only, dashboard.blended)),
        },
    )


# --------------------------------------------------------------------------- sequences


class ResultTuple(tuple[Any, ...]):
    """A tuple of results that renders as one table in notebooks.

    It is a plain tuple in every other way: it equals, hashes, prints and
    pickles as the tuple of its items. The table is the results' ``Table``
    form (the function of :mod:`programstats.result_tables` that a subclass
    names) with text shown as it is (no formula protection: a notebook is
    not a spreadsheet), limited like every table to its first 50 rows.
    """

    __slots__ = ()
    what: ClassVar[str] = "results"
    table_function: ClassVar[str] = ""

    def _repr_html_(self) -> str:
        if not self:
            return f"<p>No {escape(self.what)}.</p>"
        # Imported here: result_tables imports the result types, which import this module.
        from . import result_tables

        table = getattr(result_tables, self.table_function)(self, DISPLAY_OPTIONS)
        return table_html(table.header, table.rows, limit=ROW_LIMIT)


# How results are written in a notebook: the export formats, text as it is.
DISPLAY_OPTIONS = ExportOptions(protect_formulas=False)


class GroupResults(ResultTuple):
    """What ``group_results`` returns."""

    __slots__ = ()
    what = "group results"
    table_function = "group_results_table"


class LearnerResults(ResultTuple):
    """What ``learner_results`` returns."""

    __slots__ = ()
    what = "learner results"
    table_function = "learner_results_table"


class BlockResults(ResultTuple):
    """What ``block_results`` returns (a classroom block has one row per slot)."""

    __slots__ = ()
    what = "block results"
    table_function = "block_results_table"
