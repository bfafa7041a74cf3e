"""HTML for people: cells, tables, captions and the stylesheet of every display.

Every display is one ``<div class="ps-display">``: a title line in words
with its subject ("Session overview — Onboarding, March (s1)"), a note
line (a table's size, the time zone of its times), then its charts and
tables. Tables sit in a box that scrolls sideways (``overflow-x: auto``)
instead of wrapping their cells, so a wide export never makes the page
itself scroll. A large table shows its size first, then its first
:data:`HEAD` and last :data:`TAIL` rows; a table of at most
:data:`SHOW_ALL` rows shows whole.

Values are written as people read them: counts as the exports write them,
scores and percentages with ``%``, durations ``h:mm:ss``, datetimes
``YYYY/MM/DD HH:mm`` in the report's time zone, flags ``yes`` / ``no``, and
``-`` for every absent value. Text is shown as it is (a notebook is not a
spreadsheet: no formula protection), escaped, with ``dir="auto"`` so that a
right-to-left name keeps its direction.

No script, no event attribute, no link or external resource: the output is
static HTML with inline CSS and SVG.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Generic, TypeVar

import attrs

from .._checks import expect
from .._render import Context, render
from ..directory import Directory
from ..formatting import format_datetime, format_duration, format_number
from ..options import ExportOptions, given_options
from ..session import Session
from ..table import Table, checked_rows
from .svg import escape_text

__all__ = [
    "DISPLAY_CSS",
    "HEAD",
    "SHOW_ALL",
    "TAIL",
    "WIDE_COLUMNS",
    "Column",
    "Displayed",
    "Formats",
    "Shown",
    "cells",
    "data_table",
    "display",
    "escape",
    "head_and_tail",
    "in_page",
    "key_values",
    "note",
    "plural",
    "show",
    "shown_rows",
    "size_line",
    "subject",
    "table_html",
    "td",
    "th",
    "title_line",
    "zone_name",
]

_T = TypeVar("_T")

#: A table of at most this many rows shows whole; a longer one shows its head and tail.
SHOW_ALL = 20
#: A page's table of more columns than this prints as one card per row.
WIDE_COLUMNS = 12
HEAD = 10
TAIL = 5
escape = escape_text

#: The stylesheet of every display, scoped to ``.ps-display`` so that it
#: changes nothing else of a notebook. It also undoes what notebook front
#: ends do to tables (fixed layout, centring, right-aligned text).
DISPLAY_CSS = (
    ".ps-display{font-family:Arial,'Liberation Sans',Helvetica,sans-serif;font-size:13px;"
    "line-height:1.4;max-width:100%;margin:.5em 0 1em;text-align:left}"
    ".ps-display .ps-title{font-weight:bold;font-size:15px;margin:0 0 .2em}"
    ".ps-display .ps-id,.ps-display .ps-note{font-weight:normal;opacity:.75}"
    ".ps-display .ps-note{margin:0 0 .5em}"
    ".ps-display .ps-scroll{overflow-x:auto;max-width:100%;margin:0 0 .8em}"
    ".ps-display table{border-collapse:collapse;border:none;table-layout:auto;"
    "white-space:nowrap;margin:0;width:auto;font-size:13px}"
    ".ps-display caption{text-align:left;font-weight:bold;padding:.3em 0}"
    ".ps-display th,.ps-display td{padding:3px 14px 3px 0;text-align:left;"
    "vertical-align:top;border:none;border-bottom:1px solid rgba(128,128,128,.35);"
    "background:none}"
    ".ps-display thead th{vertical-align:bottom;border-bottom:1px solid rgba(128,128,128,.8)}"
    ".ps-display tbody th{font-weight:normal;opacity:.85}"
    ".ps-display .ps-num{text-align:right;font-variant-numeric:tabular-nums}"
    ".ps-display .ps-group{text-align:center}"
    ".ps-display tr.ps-gap td{text-align:left;font-style:italic;opacity:.8;"
    "border-bottom:1px dashed rgba(128,128,128,.8)}"
    ".ps-display tr.ps-past{opacity:.55}"
    ".ps-display .ps-charts{display:flex;flex-wrap:wrap;gap:16px 40px;"
    "align-items:flex-start;margin:.4em 0 1em}"
    ".ps-display figure{margin:0;break-inside:avoid;page-break-inside:avoid}"
    ".ps-display svg{display:block;max-width:100%;height:auto;overflow:hidden}"
)
_STYLE = f"<style>{DISPLAY_CSS}</style>"


# --------------------------------------------------------------------------- values


def zone_name(zone: tzinfo) -> str:
    """The name of a time zone as a reader knows it: ``Europe/Paris``, ``UTC``."""
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return key
    if zone is timezone.utc:
        return "UTC"
    name = zone.tzname(None)
    return name if name else "the report's time zone"


class Formats:
    """How each kind of value is written on screen, for one context's options.

    >>> f = Formats(Context())
    >>> f.percent(66.66666666666667), f.percent(None), f.duration(timedelta(minutes=65))
    ('67%', '-', '1:05:00')
    """

    __slots__ = ("decimals", "zone")

    def __init__(self, context: Context | None) -> None:
        options = (context.options if context is not None else None) or ExportOptions()
        self.zone = options.timezone
        self.decimals = options.decimals

    def number(self, value: float | None) -> str:
        """A score or percentage without its unit, as the CSV writes it."""
        return "-" if value is None else format_number(value, self.decimals)

    def percent(self, value: float | None) -> str:
        """A percentage, or a score (out of 100): ``67%``."""
        return "-" if value is None else format_number(value, self.decimals) + "%"

    @staticmethod
    def count(value: int | None) -> str:
        return "-" if value is None else str(value)

    @staticmethod
    def duration(value: timedelta | None) -> str:
        return "-" if value is None else format_duration(value)

    def moment(self, value: datetime | None) -> str:
        return "-" if value is None else format_datetime(value, self.zone)

    @staticmethod
    def day(value: date) -> str:
        return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"

    @staticmethod
    def flag(value: bool) -> str:
        return "yes" if value else "no"

    @staticmethod
    def text(value: str) -> str:
        return value if value else "-"

    def zone_note(self) -> str:
        return f"Times in {zone_name(self.zone)}."


def plural(count: int, noun: str, nouns: str | None = None, *, grouped: bool = False) -> str:
    """``"1 learner"``, ``"1000 learners"``; ``"1,000 learners"`` when ``grouped``.

    Counts are written as the tables write them; a sentence about a table's
    size groups thousands.
    """
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {noun if count == 1 else (nouns or noun + 's')}"


# --------------------------------------------------------------------------- pieces


def subject(name: str | None, ident: str | None) -> str:
    """A subject in HTML: its name with its id beside it, or the id alone."""
    if name and ident and name != ident:
        return (
            f'<span dir="auto">{escape(name)}</span> <span class="ps-id">({escape(ident)})</span>'
        )
    shown = name or ident
    return f'<span dir="auto">{escape(shown)}</span>' if shown else ""


def title_line(what: str, about: str = "") -> str:
    """The title of a display: ``what`` in words, then ``— subject`` when there is one."""
    tail = f" — {about}" if about else ""
    return f'<div class="ps-title">{escape(what)}{tail}</div>'


def note(text: str) -> str:
    return f'<p class="ps-note">{escape(text)}</p>' if text else ""


def in_page(context: Context | None) -> bool:
    """Whether a display sits in a report page (which has the stylesheet and headings)."""
    return context is not None and context.page


def display(title: str, body: str, context: Context | None) -> str:
    """One display: its stylesheet and ``title`` (unless in a page, which has them), ``body``."""
    if in_page(context):
        return f'<div class="ps-display">{body}</div>'
    return f'<div class="ps-display">{_STYLE}{title}{body}</div>'


@attrs.frozen
class Column:
    """A column of a displayed table: its label in words, and whether it holds numbers."""

    label: str
    numeric: bool = False


def th(column: Column, extra: str = "") -> str:
    cls = ' class="ps-num"' if column.numeric else ""
    return f'<th scope="col"{cls}{extra}>{escape(column.label)}</th>'


def td(text: str, *, numeric: bool = False, extra: str = "") -> str:
    """One cell: numbers aligned right, text in its own direction."""
    if numeric:
        return f'<td class="ps-num"{extra}>{escape(text)}</td>'
    return f'<td dir="auto"{extra}>{escape(text)}</td>'


def cells(columns: Sequence[Column], values: Sequence[str]) -> str:
    return "".join(td(v, numeric=c.numeric) for c, v in zip(columns, values, strict=True))


def scroll(table: str) -> str:
    """A table in a box that scrolls sideways, so that only the box does."""
    return f'<div class="ps-scroll" style="overflow-x:auto;max-width:100%">{table}</div>'


def _table(caption: str, head: str, body: str, table_class: str = "") -> str:
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    cls = f' class="{table_class}"' if table_class else ""
    return scroll(
        f'<table{cls} style="white-space:nowrap">{cap}<thead>{head}</thead>'
        f"<tbody>{body}</tbody></table>"
    )


def key_values(caption: str, pairs: Sequence[tuple[str, str, bool]]) -> str:
    """A table of label and value, one per line: ``(label, value, numeric)``."""
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>{td(value, numeric=numeric)}</tr>'
        for label, value, numeric in pairs
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return scroll(f'<table style="white-space:nowrap">{cap}<tbody>{body}</tbody></table>')


@attrs.frozen
class Shown(Generic[_T]):
    """The rows a display shows of a sequence: all, or the head and tail, and how many in all."""

    head: list[_T]
    tail: list[_T]
    total: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.head) - len(self.tail)


def shown_rows(rows: Iterable[_T], *, whole: bool) -> Shown[_T]:
    """The rows to show: every row when ``whole`` or at most :data:`SHOW_ALL`; else
    the first :data:`HEAD` and the last :data:`TAIL`.

    The rows between are counted, not kept: one pass, constant memory.
    """
    if whole:
        every = list(rows)
        return Shown(head=every, tail=[], total=len(every))
    first: list[_T] = []
    last: deque[_T] = deque(maxlen=TAIL)
    total = 0
    for row in rows:
        total += 1
        if total <= SHOW_ALL:
            first.append(row)
        last.append(row)
    if total <= SHOW_ALL:
        return Shown(head=first, tail=[], total=total)
    return Shown(head=first[:HEAD], tail=list(last), total=total)


def data_table(
    caption: str,
    head: str,
    width: int,
    shown: Shown[_T],
    row_html: Callable[[_T], str],
    *,
    table_class: str = "",
) -> str:
    """A table of the rows ``shown``: a gap line says how many rows are not shown."""
    body = [row_html(row) for row in shown.head]
    if shown.hidden > 0:
        gap = f"… {plural(shown.hidden, 'more row', grouped=True)} not shown …"
        body.append(f'<tr class="ps-gap"><td colspan="{width}">{escape(gap)}</td></tr>')
    body += [row_html(row) for row in shown.tail]
    return _table(caption, head, "".join(body), table_class)


def head_and_tail(shown: Shown[_T]) -> str:
    """`` — the first 10 and the last 5 are shown`` when rows are left out, else nothing."""
    return "" if shown.hidden <= 0 else f" — the first {HEAD} and the last {TAIL} are shown"


def size_line(rows: int, columns: int, unit: str = "row", units: str = "rows") -> str:
    """``"1,000 rows × 85 columns"``: a table's size, said first."""  # noqa: RUF002
    return f"{plural(rows, unit, units, grouped=True)} × {plural(columns, 'column', grouped=True)}"  # noqa: RUF001


# --------------------------------------------------------------------------- tables

_NUMERIC = re.compile(r"-?\d+(?:\.\d+)?%?|\d+:\d\d:\d\d")


def table_html(table: Table, context: Context | None = None) -> str:
    """A :class:`~programstats.Table` as people read it: its size first, then its rows.

    Cells are shown as written (they are the CSV's text), an empty cell as
    ``-``; a column whose shown cells are all numbers or durations is
    aligned right. A large table shows its first and last rows, except in
    a page.
    """
    header = table.header
    shown = shown_rows(checked_rows(table, "Table"), whole=in_page(context))
    rows = [*shown.head, *shown.tail]
    numeric = [
        any(row[i] for row in rows)
        and all(not row[i] or _NUMERIC.fullmatch(row[i]) for row in rows)
        for i in range(len(header))
    ]
    columns = [Column(name, num) for name, num in zip(header, numeric, strict=True)]
    head = "<tr>" + "".join(th(c, ' dir="auto"') for c in columns) + "</tr>"
    # In a page, a table too wide for paper prints as one card per row, each
    # cell with its column's name (see pages.PAGE_CSS): every cell carries it.
    labels = (
        [f' data-label="{escape(name)}"' for name in header]
        if in_page(context) and len(header) > WIDE_COLUMNS
        else [""] * len(header)
    )

    def row_html(row: tuple[str, ...]) -> str:
        return (
            "<tr>"
            + "".join(
                td(Formats.text(cell), numeric=column.numeric, extra=label)
                for column, cell, label in zip(columns, row, labels, strict=True)
            )
            + "</tr>"
        )

    size = size_line(shown.total, len(header))
    body = note(size + head_and_tail(shown) + ".")
    table_class = "ps-wide" if labels and labels[0] else ""
    body += data_table("", head, max(len(header), 1), shown, row_html, table_class=table_class)
    return display("", body, context)


@render.register(Table)
def _render_table(value: Table, context: Context | None = None) -> str:
    return table_html(value, context)


# --------------------------------------------------------------------------- show


@attrs.frozen
class Displayed:
    """A value and the context it shows in: what :func:`show` returns."""

    value: object
    context: Context

    def _repr_html_(self) -> str:
        return render(self.value, self.context)


def show(
    value: object,
    *,
    session: Session | None = None,
    directory: Directory | None = None,
    options: ExportOptions | None = None,
) -> Displayed:
    """``value`` to display in a notebook with what it does not carry itself.

    ``session`` names the subject of a session's statistics (the overview,
    results by group, individual and block results) and titles the blocks
    of learner results; ``directory`` names the group of a dashboard;
    ``options`` gives the time zone and decimals. The last expression of a
    cell, or ``IPython.display.display(show(...))``, shows it.

    >>> from programstats import session_overview
    >>> from programstats.examples import tiny_session
    >>> html = show(session_overview(tiny_session()), session=tiny_session())._repr_html_()
    >>> "Session overview — " in html and "Onboarding, March" in html
    True

    Raises :class:`~programstats.InvalidInputError` when ``session`` is not a
    Session, ``directory`` not a Directory or ``options`` not ExportOptions.
    """
    if session is not None:
        expect("session", session, Session)
    if directory is not None:
        expect("directory", directory, Directory)
    return Displayed(
        value, Context(session=session, directory=directory, options=given_options(options))
    )
