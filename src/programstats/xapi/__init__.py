"""xAPI statements of cmi5 courses: the same statistics from a Learning Record Store.

=====================================  ==========================================
:func:`read_course`                    a ``cmi5.xml`` as a :class:`Course` of :class:`AU`\\ s
:func:`session_from_statements`        statements of that course as a session, in a
                                       :class:`~programstats.World` with its problems
=====================================  ==========================================

Needs the ``xapi`` extra (``pip install 'programstats[xapi]'``), which
installs :mod:`defusedxml` to read course structures safely. The rules are
SPEC §14; ``docs/xapi.md`` shows them at work.
"""

from __future__ import annotations

try:
    import defusedxml  # noqa: F401  # the extra's one dependency, checked first
except ImportError as _missing:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "programstats.xapi needs defusedxml; install it with: pip install 'programstats[xapi]'"
    ) from _missing

from .course import AU, Course, read_course
from .sessions import session_from_statements

__all__ = ["AU", "Course", "read_course", "session_from_statements"]
