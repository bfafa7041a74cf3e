"""Output people read: notebook displays, charts and self-contained report pages.

==============================  =================================================
name                            what it gives
==============================  =================================================
:func:`render`                  the HTML of any result, dashboard or table (what
                                its ``_repr_html_`` shows in a notebook)
:func:`show`                    a value to display with the names it does not
                                carry (its session, the directory's groups)
:class:`Context`                what :func:`render` may know beyond the value
:func:`overview_page`           the page of a session: overview, charts, results
                                by group and per block
:func:`dashboard_page`          the page of a group dashboard
:func:`table_page`              the page of any table (every other report)
:func:`report_page`             the page of a ``report`` of the command line
==============================  =================================================

Importing :mod:`programstats` imports this package once, which registers
one display per result type with :func:`render`; the result types only call
:func:`render` and never import this package. See ``docs/notebook.md`` and
``docs/reports.md``.
"""

from __future__ import annotations

from .._render import Context, render
from . import html, results  # noqa: F401  # registers one display per type with render
from .html import show
from .pages import dashboard_page, overview_page, report_page, table_page

__all__ = [
    "Context",
    "dashboard_page",
    "overview_page",
    "render",
    "report_page",
    "show",
    "table_page",
]
