"""Frames in: :func:`from_frames` (SPEC §12, the way in).

The tables of :func:`programstats.records.from_tables` given as frames
(pandas, Polars, PyArrow), read column by column. Importing this module
imports narwhals only; the records layer (cattrs), which holds the rules
every value is read by, is imported when :func:`from_frames` is called.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..world import World

__all__ = ["from_frames"]


class _Omitted:
    """The default of every table: the table was not given, so it is empty."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<an empty table>"


_OMITTED: Any = _Omitted()


def from_frames(
    *,
    groups: Any = _OMITTED,
    users: Any = _OMITTED,
    sessions: Any = _OMITTED,
    templates: Any = _OMITTED,
    blocks: Any = _OMITTED,
    slots: Any = _OMITTED,
    registrations: Any = _OMITTED,
    attempts: Any = _OMITTED,
    attendances: Any = _OMITTED,
    on_error: str = "raise",
    naive_timezone: str | None = None,
    row_keys: Mapping[str, str] | None = None,
    ignore_keys: Mapping[str, Iterable[str]] | None = None,
) -> World:
    """A :class:`~programstats.World` from frames: the tables of ``from_tables``, column by column.

    Each table is a ``pandas.DataFrame``, a ``polars.DataFrame`` or a
    ``pyarrow.Table`` with the columns of
    :func:`programstats.records.from_tables` (each child row's
    ``session_id``, each block's ``position``, each session's
    ``template_id``, and the fields of the table's type); a table left out
    is empty. The rules, problems, paths and options are ``from_tables``':
    ``$.attempts[17].score`` is the score of row 17 of the attempts frame
    (its 0-based position, never a pandas index label).

    Columns are typed: timestamps with a time zone (naive ones with
    ``naive_timezone``) or ISO 8601 text, durations or numbers of seconds,
    booleans or the integers 0 and 1, numbers, lists of text for
    ``group_ids`` and the like; a null of any library is an absent value.
    A column whose type cannot hold its field is one problem at
    ``$.<table>[*].<column>``, raised in both modes; so is an unknown
    column, which ``on_error="skip"`` reports and leaves unread.

    >>> import pandas as pd
    >>> users = pd.DataFrame({"id": ["ana"], "first_name": ["Ana"], "last_name": ["Alves"],
    ...                       "email": ["ana@example.com"]})
    >>> world = from_frames(users=users)
    >>> world.directory.user("ana").last_name, world.sessions, world.problems
    ('Alves', (), ())

    Raises :class:`~programstats.InvalidInputError` for a table that is not
    a frame (``None`` included) and for options ``from_tables`` refuses;
    :class:`~programstats.InvalidRecordsError` listing every problem under
    ``on_error="raise"``, and for columns of the wrong type in both modes.
    See the "DataFrames" page of the documentation.
    """
    try:
        from .reading import read_frames  # imports the records layer: cattrs
    except ImportError as error:
        if "cattrs" not in str(error):  # pragma: no cover - another broken installation
            raise
        raise ImportError(
            "programstats.frames.from_frames needs cattrs; install it with: "
            "pip install 'programstats[frames]'"
        ) from error

    given = {
        "groups": groups,
        "users": users,
        "sessions": sessions,
        "templates": templates,
        "blocks": blocks,
        "slots": slots,
        "registrations": registrations,
        "attempts": attempts,
        "attendances": attendances,
    }
    given = {name: value for name, value in given.items() if value is not _OMITTED}
    return read_frames(given, on_error, naive_timezone, row_keys, ignore_keys)
