"""Self-contained HTML report pages: one page per report, to hand to a manager.

=====================  ====================================================
function               the page of
=====================  ====================================================
:func:`overview_page`  a session: its overview with charts, results by
                       group, detailed results per block
:func:`dashboard_page` a group dashboard: rates, charts, sessions
:func:`table_page`     any table (an export): its size and every row
:func:`report_page`    a report of ``python -m programstats report``
=====================  ====================================================

A page is one HTML document: ``<!doctype html>``, its character set, a
title, one inline stylesheet and inline SVG charts. No script, no event
attribute, no link, no resource to fetch: it opens the same from a disk, a
mail or an archive, and shows the same numbers as the CSV report written
with the same options. Printed, it fits A4: charts never break across
pages, and tables wrap their cells instead of scrolling — a table of more than
:data:`~programstats.display.html.WIDE_COLUMNS` columns, too wide for any
paper, prints as one card per row, each cell under its column's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .._checks import expect
from .._render import Context, render
from ..directory import Directory
from ..errors import InvalidInputError
from ..options import ExportOptions, given_options
from ..session import Session
from ..session_stats import block_results, group_results, session_overview
from ..table import Table
from ..views import GroupDashboard, group_dashboard
from .html import DISPLAY_CSS, Formats, escape, subject, table_html
from .results import group_subject

__all__ = [
    "PAGE_CSS",
    "dashboard_page",
    "overview_page",
    "page",
    "report_page",
    "table_page",
]

PAGE_CSS = (
    "html{background:#fff;color:#1b1b1b}"
    "body{margin:0;padding:24px 24px 48px;font-family:Arial,'Liberation Sans',Helvetica,"
    "sans-serif;font-size:14px;line-height:1.4}"
    "main{max-width:1200px;margin:0 auto}"
    "h1{font-size:22px;margin:0 0 4px}"
    "h1 .ps-id{font-weight:normal;opacity:.7}"
    ".ps-meta{margin:0 0 20px;opacity:.8}"
    "section{margin:0 0 28px}"
    "h2{font-size:17px;margin:0 0 6px;padding-bottom:3px;"
    "border-bottom:1px solid rgba(128,128,128,.5)}"
    ".ps-display{margin-top:0}"
    "@page{size:A4;margin:12mm}"
    "@media print{"
    "body{padding:0;font-size:10pt}"
    "main{max-width:none}"
    ".ps-display .ps-scroll{overflow:visible!important}"
    ".ps-display table{white-space:normal!important}"
    ".ps-display th,.ps-display td{overflow-wrap:anywhere}"
    ".ps-display th,.ps-display td{padding:2px 8px 2px 0}"
    "figure,svg,tr,h1,h2,.ps-title{break-inside:avoid;page-break-inside:avoid}"
    "h1,h2,.ps-title,caption{break-after:avoid;page-break-after:avoid}"
    ".ps-display .ps-wide thead{display:none}"
    ".ps-display .ps-wide,.ps-display .ps-wide tbody,.ps-display .ps-wide tr,"
    ".ps-display .ps-wide td{display:block;width:auto;text-align:left}"
    ".ps-display .ps-wide tr{columns:3;column-gap:16px;padding:6px 0;"
    "border-top:1px solid rgba(128,128,128,.8)}"
    ".ps-display .ps-wide td{border:none;padding:0;break-inside:avoid}"
    ".ps-display .ps-wide td::before{content:attr(data-label) ': ';font-weight:bold}"
    "}"
)


def page(title: str, heading: str, body: str, *, meta: str = "") -> str:
    """A whole document: ``title`` (text), ``heading`` and ``body`` (HTML), a ``meta`` line.

    >>> html = page("T & U", "T &amp; U", "<p>x</p>")
    >>> html.startswith("<!doctype html>"), "<title>T &amp; U</title>" in html
    (True, True)
    """
    css = DISPLAY_CSS + PAGE_CSS
    meta_line = f'<p class="ps-meta">{escape(meta)}</p>' if meta else ""
    return (
        "<!doctype html>"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{css}</style></head>"
        f"<body><main><header><h1>{heading}</h1>{meta_line}</header>{body}</main></body>"
        "</html>\n"
    )


def _section(heading: str, html: str) -> str:
    return f"<section><h2>{escape(heading)}</h2>{html}</section>"


def _plain(name: str | None, ident: str | None) -> str:
    """A subject as text, for the document's title."""
    if name and ident and name != ident:
        return f"{name} ({ident})"
    return name or ident or ""


def _context(
    options: ExportOptions | None,
    *,
    session: Session | None = None,
    directory: Directory | None = None,
) -> Context:
    return Context(session=session, directory=directory, options=given_options(options), page=True)


def overview_page(
    session: Session, directory: Directory, *, options: ExportOptions | None = None
) -> str:
    """The page of a session: its overview with charts, results by group, results per block.

    Numbers, durations and dates are written with ``options`` (time zone,
    decimals), as the ``overview``, ``groups`` and ``blocks`` CSV reports
    written with the same options.

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> html = overview_page(tiny_session(), tiny_directory())
    >>> "<title>Session overview — Onboarding, March (s1)</title>" in html
    True

    Raises :class:`~programstats.InvalidInputError` when ``session`` is not a
    Session or names users or groups the directory lacks.
    """
    expect("session", session, Session)
    context = _context(options)
    f = Formats(context)
    what = "Session overview"
    meta = (
        f"Program template: {_plain(session.template.name, session.template.id)}. "
        f"From {f.moment(session.start)} to {f.moment(session.end)}. {f.zone_note()}"
    )
    body = (
        _section("General", render(session_overview(session), context))
        + _section("Results by group", render(group_results(session, directory), context))
        + _section("Detailed results per block", render(block_results(session), context))
    )
    return page(
        f"{what} — {_plain(session.name, session.id)}",
        f"{escape(what)} — {subject(session.name, session.id)}",
        body,
        meta=meta,
    )


def dashboard_page(
    dashboard: GroupDashboard,
    *,
    directory: Directory | None = None,
    options: ExportOptions | None = None,
    now: datetime | None = None,
) -> str:
    """The page of a group dashboard: its rates and charts, then its sessions.

    ``directory`` names the group (else its id shows alone); ``now`` (the
    moment the dashboard was computed for) is said under the title.

    Raises :class:`~programstats.InvalidInputError` when ``dashboard`` is
    not a GroupDashboard.
    """
    expect("dashboard", dashboard, GroupDashboard)
    context = _context(options, directory=directory)
    f = Formats(context)
    what = "Group dashboard"
    group = directory.groups.get(dashboard.group_id) if directory is not None else None
    name = group.name if group is not None else None
    meta = f"As of {f.moment(now)}. {f.zone_note()}" if now is not None else ""
    body = render(dashboard, context)  # its figures say their months, its sessions all of them
    return page(
        f"{what} — {_plain(name, dashboard.group_id)}",
        f"{escape(what)} — {group_subject(dashboard.group_id, context)}",
        body,
        meta=meta,
    )


def table_page(
    table: Table,
    *,
    title: str,
    about: str = "",
    meta: str = "",
    options: ExportOptions | None = None,
) -> str:
    """The page of a table: ``title`` (and ``about``, its subject), its size, every row.

    Cells are shown as the CSV writes them (an empty cell as ``-``); the
    table scrolls sideways inside its box on screen and wraps on paper.

    >>> from programstats import Table
    >>> html = table_page(Table(header=("Name",), rows=[("Ana",)]), title="People")
    >>> "1 row \u00d7 1 column" in html
    True

    Raises :class:`~programstats.InvalidInputError` when ``table`` is not a Table.
    """
    expect("table", table, Table)
    context = _context(options)
    full = f"{title} — {about}" if about else title
    heading = escape(title) + (f" — {escape(about)}" if about else "")
    return page(full, heading, table_html(table, context), meta=meta)


#: The title of each report's page, in words.
REPORT_TITLES = {
    "learners": "Per-learner export",
    "sessions": "Sessions",
    "group": "Group dashboard",
    "collaboration": "Collaborative activity",
    "template": "Program template",
    "overview": "Session overview",
    "groups": "Results by group",
    "blocks": "Detailed results per block",
    "problems": "Problems found in the data",
}


def report_page(
    report: str,
    table: Table,
    *,
    directory: Directory,
    sessions: Sequence[Session],
    options: ExportOptions | None = None,
    now: datetime | None = None,
    group: str | None = None,
    session: str | None = None,
    template: str | None = None,
) -> str:
    """The page of a ``report`` of the command line, with the numbers of its CSV ``table``.

    ``overview`` shows :func:`overview_page`, ``group`` :func:`dashboard_page`
    (of ``group`` over ``sessions`` at ``now``), ``groups`` and ``blocks``
    the results of one session (``session``, else the first); the other
    reports show ``table`` itself (:func:`table_page`). ``options`` are
    those the CSV is written with.

    Raises :class:`~programstats.InvalidInputError` for an unknown report.
    """
    if report not in REPORT_TITLES:
        raise InvalidInputError(f"report_page: unknown report {report!r}")
    options = given_options(options)
    found = tuple(sessions)
    if session is not None:
        found = tuple(s for s in found if s.id == session)
    f = Formats(Context(options=options))
    what = REPORT_TITLES[report]
    if report in ("overview", "groups", "blocks") and found:
        chosen = found[0]
        if report == "overview":
            return overview_page(chosen, directory, options=options)
        context = _context(options, session=chosen)
        results = group_results(chosen, directory) if report == "groups" else block_results(chosen)
        return page(
            f"{what} — {_plain(chosen.name, chosen.id)}",
            f"{escape(what)} — {subject(chosen.name, chosen.id)}",
            render(results, context),
            meta=f.zone_note() if report == "groups" else "",
        )
    if report == "group" and group is not None and now is not None:
        board = group_dashboard(group, found, directory, now, options.timezone)
        return dashboard_page(board, directory=directory, options=options, now=now)
    about = ""
    if report == "template":
        chosen_template = (
            template if template is not None else (found[0].template.id if found else None)
        )
        named = next((s.template for s in found if s.template.id == chosen_template), None)
        about = _plain(named.name if named is not None else None, chosen_template)
    elif report == "learners" and len(found) == 1:
        about = _plain(found[0].name, found[0].id)
    elif report == "learners":
        about = f"{len(found):,} sessions"
    meta = f.zone_note()
    if report == "sessions" and now is not None:
        meta = f"As of {f.moment(now)}. {meta}"
    return table_page(table, title=what, about=about, meta=meta, options=options)
