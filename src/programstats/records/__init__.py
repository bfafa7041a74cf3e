"""Plain data in and out: records, JSON documents, database rows.

===========================  ==================================================
function                     what it does
===========================  ==================================================
:func:`structure_world`      a world document -> :class:`World` (can quarantine)
:func:`from_tables`          flat rows, as a database returns them -> World
:func:`structure_sessions`   session records (JSON Lines) -> World (can quarantine)
:func:`structure_session`    one session record -> :class:`~programstats.Session`
:func:`structure_directory`  a directory record -> :class:`~programstats.Directory`
:func:`structure`            a record -> any input type
:func:`to_record`            any input value or result -> JSON-ready data
:func:`problems_table`       problems as a :class:`~programstats.Table`
:func:`load_json`            JSON text -> a document, duplicate keys as problems
===========================  ==================================================

A record is a mapping (a ``dict``, or a database row such as
``sqlite3.Row``) whose keys are the field names of its type. Datetimes are
ISO 8601 text with an offset or ``Z`` (aware :class:`~datetime.datetime`
objects are accepted too; naive ones only with ``naive_timezone=``),
durations are seconds (or :class:`~datetime.timedelta`), booleans ``true``
/ ``false`` or the integers ``0`` / ``1``, numbers ints, floats or finite
:class:`~decimal.Decimal`\\ s, a block's ``kind`` is the name ``COURSE``,
``ASSESSMENT`` or ``CLASSROOM``, sets are arrays. A field with a default
takes it when the value is missing, None, a NaN or pandas' ``NaT``. A key
the type does not have is a problem.

Every problem is a :class:`Problem`: the JSONPath of the value (RFC 9535),
the rule it breaks (the words of the error the type itself raises) and the
record's id. ``on_error="raise"`` finds every problem, then raises one
:class:`InvalidRecordsError` (an :class:`~programstats.InvalidInputError`)
listing them; ``on_error="skip"`` leaves out the smallest record that is
wrong, and whatever no longer holds together without it, and names each
left-out record in :attr:`World.problems`.

Needs the optional dependency cattrs: ``pip install 'programstats[records]'``.
"""

from __future__ import annotations

try:
    import cattrs  # noqa: F401 - the extra this subpackage needs
except ImportError as _missing:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "programstats.records needs cattrs; install it with: pip install 'programstats[records]'"
    ) from _missing

from ..world import InvalidRecordsError, Problem, World, problems_table
from .documents import (
    structure,
    structure_directory,
    structure_session,
    structure_sessions,
    structure_world,
)
from .output import to_record
from .tables import from_tables
from .text import load_json

__all__ = [
    "InvalidRecordsError",
    "Problem",
    "World",
    "from_tables",
    "load_json",
    "problems_table",
    "structure",
    "structure_directory",
    "structure_session",
    "structure_sessions",
    "structure_world",
    "to_record",
]
