"""How a value shows as HTML: one function, ``render``, filled in by the display (private).

The result types and :class:`~programstats.Table` give notebooks their HTML
through ``_repr_html_``, which calls :func:`render`. This module declares
that function and nothing else the core needs, so the statistics never
import the code that draws them: :mod:`programstats.display` registers one
function per type (``@render.register(SessionOverview)``) and the package
imports it once. Imports run one way only, from the display to the core.

``Context`` is what a display may know beyond the value itself: the session
a result belongs to, the directory that names groups and users, and the
formats (time zone, decimals) of the report it sits beside.
"""

from __future__ import annotations

import functools
from html import escape
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from .directory import Directory
    from .options import ExportOptions
    from .session import Session

__all__ = ["Context", "Rendered", "render"]


@attrs.frozen(kw_only=True)
class Context:
    """What a display may know beyond the value: its session, the directory, the formats.

    ``session`` names the subject of a session's statistics (its name beside
    its id, its blocks' titles); ``directory`` names groups; ``options`` gives
    the time zone and decimals of times and numbers (text is never
    formula-protected on screen). Every field is optional: without it the
    display shows what the value itself carries. ``page=True`` is a display
    inside a report page: the page has the stylesheet and the headings, and
    tables show every row.
    """

    session: Session | None = None
    directory: Directory | None = None
    options: ExportOptions | None = None
    page: bool = False


@functools.singledispatch
def render(value: object, context: Context | None = None) -> str:
    """The HTML of ``value`` for a notebook or a page (a fragment, no script).

    The display registers one function per type; a value of any other type
    shows as its escaped ``repr``.
    """
    return f"<pre>{escape(repr(value), quote=True)}</pre>"


class Rendered:
    """Mixin: a value that shows in notebooks as :func:`render` draws it."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return render(self)
