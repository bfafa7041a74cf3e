"""The per-learner export (SPEC §5.1): one row per learner per session.

Columns, in order: identity and custom fields, session and template, the
learner's results, one column per group the exporter manages, then
``Block title/score/time N`` up to the furthest block an exported learner
started, then six columns per classroom slot. ``docs/exports.md`` lists
them all with their formats.

The header is computed when the table is built; rows are produced lazily,
one learner at a time, each time the table is iterated.

The columns are described once (:class:`ExportColumn`: header, :class:`Kind`
of value): a session's rows are first computed as typed values (floats,
datetimes, durations, booleans, None for an absent value), then written as
cells with the §5.3 formats. :mod:`programstats.frames` takes the same typed
values for its typed frame (:func:`typed_learner_export`).
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta, tzinfo
from functools import partial
from itertools import repeat
from math import floor
from operator import attrgetter, contains, is_, itemgetter, methodcaller
from typing import Any, Generic, NamedTuple, TypeVar

from ._checks import expect
from .directory import Directory
from .errors import InvalidInputError
from .facts import SessionFacts, checked_sessions, facts_of, row_numbers
from .formatting import (
    format_datetime,
    format_duration,
    format_hours,
    format_number,
    protect_column,
    protect_text,
)
from .layout import ExportLayout
from .options import ExportOptions, given_options
from .rights import reacher
from .session import Session
from .table import LazyRows, Row, Table, csv_cell, csv_column

__all__ = [
    "ExportColumn",
    "Kind",
    "anonymized_email",
    "export_layout",
    "learner_export",
    "typed_learner_export",
]


class Kind(enum.Enum):
    """What the cells of an export column hold, and so how they are written (SPEC §5.3).

    Every kind may also hold None, an absent value (an empty cell).
    """

    TEXT = "text"  #: ``str`` from the input; formula-protected in CSV
    FLAG = "flag"  #: ``bool``: ``x`` or an empty cell
    NUMBER = "number"  #: a score or percentage (float 0-100; an int as stored)
    DATETIME = "datetime"  #: an aware ``datetime``, written in the options' zone
    DURATION = "duration"  #: a ``timedelta``, written ``H:MM:SS``
    HOURS = "hours"  #: reported hours of a classroom slot (float; an int as stored)


class ExportColumn(NamedTuple):
    """One column of the per-learner export: the one description its CSV and frame share.

    ``name`` is the header as stored (a custom-field title or a group name
    is user text: ``by_user``, so the CSV header protects it; a custom
    field's values are None where the learner lacks the field); ``varied``
    says its values rarely repeat, so the CSV writes them without a memo.
    """

    name: str
    kind: Kind
    by_user: bool = False
    varied: bool = False


class Same:
    """A column of a chunk whose every row holds ``value``."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


#: A column of a chunk of typed values: one value per row, or one for every row.
Values = list[Any] | Same

_FIXED_BEFORE_CUSTOM = (
    ExportColumn("Last name", Kind.TEXT),
    ExportColumn("First name", Kind.TEXT),
    ExportColumn("Email", Kind.TEXT),
)
_FIXED_AFTER_CUSTOM = (
    ExportColumn("Additional information", Kind.TEXT),
    ExportColumn("Managers", Kind.TEXT),
    ExportColumn("Deleted user", Kind.DATETIME),
    ExportColumn("Session", Kind.TEXT),
    ExportColumn("Session ID", Kind.TEXT),
    ExportColumn("Author", Kind.TEXT),
    ExportColumn("Program template", Kind.TEXT),
    ExportColumn("Program template ID", Kind.TEXT),
    ExportColumn("Instructors", Kind.TEXT),
    ExportColumn("Registered user", Kind.FLAG),
    # Learner scores are means and totals are sums: they rarely repeat.
    ExportColumn("Score", Kind.NUMBER, varied=True),
    ExportColumn("Progress", Kind.NUMBER),
    ExportColumn("Start", Kind.DATETIME),
    ExportColumn("End", Kind.DATETIME),
    ExportColumn("Verified program", Kind.FLAG),
    ExportColumn("Total time spent", Kind.DURATION, varied=True),
    ExportColumn("Expected duration", Kind.DURATION),
    ExportColumn("Tags", Kind.TEXT),
    ExportColumn("Additional program information", Kind.TEXT),
    ExportColumn("Additional session information", Kind.TEXT),
)
_BLOCK_COLUMNS = (
    ("Block title", Kind.TEXT),
    ("Block score", Kind.NUMBER),
    ("Block time", Kind.DURATION),
)
_CLASSROOM_COLUMNS = (
    ("Classroom Block Title", Kind.TEXT),
    ("Classroom Slot Title", Kind.TEXT),
    ("Classroom Slot Attendance", Kind.NUMBER),
    ("Classroom Slot Duration", Kind.HOURS),
    ("Classroom Slot Start Date", Kind.DATETIME),
    ("Classroom Slot End Date", Kind.DATETIME),
)
_FLAG_CELLS = ("", "x")  # indexed by a flag
_MEMO_LIMIT = 16384
_SCORE = repeat("score")
_TIME_SPENT = repeat("time_spent")
_NONE = repeat(None)
_USER_ID = attrgetter("user_id")
_LAST_NAME = attrgetter("last_name")
_FIRST_NAME = attrgetter("first_name")
_EMAIL = attrgetter("email")
_CUSTOM_FIELDS = attrgetter("custom_fields")
_ADDITIONAL_INFORMATION = attrgetter("additional_information")
_DELETED_AT = attrgetter("deleted_at")
_UNREGISTERED_AT = attrgetter("unregistered_at")
_GROUP_IDS = attrgetter("group_ids")
_CHUNK = 256
_In = TypeVar("_In", float, timedelta)
#: A column of a chunk of rows: its cells, or the one cell every row has.
Column = list[str] | str


def anonymized_email(user_id: str, key: bytes, domain: str) -> str:
    """The stable stand-in e-mail of an anonymized user.

    The local part is the first 12 characters of the lower-case base32 of
    HMAC-SHA256(key, user id): the same for every export made with the same
    key, and not linkable to the user without it.

    >>> anonymized_email("olga", b"secret", "360learning.eu")
    'pu2xycfmnbcx@360learning.eu'
    """
    digest = hmac.new(key, user_id.encode("utf-8"), hashlib.sha256).digest()
    token = base64.b32encode(digest).decode("ascii").lower()[:12]
    return f"{token}@{domain}"


class _Memo(Generic[_In]):
    """A bounded memo of a formatter: scores, progress and times repeat a lot.

    :meth:`cells` writes a column: ``get`` is the dict's own method, mapped
    over the column, so a hit costs no Python call; ``miss`` formats and
    keeps what the memo lacks.
    """

    __slots__ = ("get", "miss")

    def __init__(self, format_value: Callable[[_In], str]) -> None:
        cache: dict[_In | None, str] = {None: ""}  # an absent value is an empty cell
        self.get: Callable[[_In | None], str | None] = cache.get

        def miss(value: _In) -> str:
            text = format_value(value)
            if len(cache) < _MEMO_LIMIT:
                cache[value] = text
            return text

        self.miss: Callable[[_In], str] = miss

    def cells(self, values: list[_In | None]) -> list[str]:
        """The cells of a column of values (None gives ""): looked up in C loops,
        formatting only what the memo misses."""
        found = list(map(self.get, values))
        if None not in found:
            return found  # type: ignore[return-value]  # no None in it, checked
        miss = self.miss
        return [
            text if text is not None else miss(value)  # type: ignore[arg-type]  # None hits ""
            for text, value in zip(found, values, strict=True)
        ]


_Memos = tuple[_Memo[float], _Memo[timedelta]]


def _memos(options: ExportOptions) -> _Memos:
    """Memos of the export's numbers and block times, for ``options``."""
    return _Memo(partial(format_number, decimals=options.decimals)), _Memo(format_duration)


class _Part:
    """One session of the export: its facts and the rows it exports, in order."""

    __slots__ = ("facts", "learnable", "rows", "session")

    def __init__(self, session: Session, directory: Directory, options: ExportOptions) -> None:
        self.session = session
        self.facts = facts = facts_of(session)
        layout = facts.layout
        self.learnable = layout.learnable_positions
        registrations = facts.registrations
        # In the order of the individual results, sorted once per session.
        self.rows = facts.learner_order(directory)
        if options.activity_between is not None:
            active = _active_users(session, *options.activity_between)
            self.rows = row_numbers(
                len(registrations),
                (r for r in self.rows if registrations[r].user_id in active),
            )

    def furthest_block(self) -> int:
        """1-based rank, among learnable blocks, of the furthest one an exported learner started."""
        latest = self.facts.latest
        latest_at = self.facts.latest_at
        learnable = self.learnable
        furthest = 0
        # Only learners with attempts, each scanned down to the furthest rank
        # found so far: many blocks and few attempts cost little.
        for r in self.rows:
            at = latest_at[r]
            if at < 0:
                continue
            for rank in range(len(learnable), furthest, -1):
                if latest[at + learnable[rank - 1]] is not None:
                    furthest = rank
                    break
        return furthest


def _active_users(session: Session, since: datetime, until: datetime) -> set[str]:
    """Users with an attempt or an attended slot overlapping [since, until)."""
    active = {
        attempt.user_id
        for attempt in session.attempts
        if attempt.started_at < until and attempt.last_activity_at >= since
    }
    slots = {slot.id: slot for slot in session.slots}
    for attendance in session.attendances:
        slot = slots[attendance.slot_id]
        if attendance.percent > 0 and slot.start < until and slot.end >= since:
            active.add(attendance.user_id)
    return active


def _layout_scope(options: ExportOptions) -> tuple[object, ...]:
    """The options that decide columns: a layout is only valid with these."""
    return (options.custom_fields, options.activity_between, options.viewer)


def _layout(
    parts: list[_Part], sessions: tuple[Session, ...], directory: Directory, options: ExportOptions
) -> ExportLayout:
    """The columns the exported learners of ``parts`` need (the one place they are decided)."""
    users = directory.users
    if options.custom_fields is None:
        titles: Iterable[str] = {
            title
            for part in parts
            for r in part.rows
            for title in users[part.facts.registrations[r].user_id].custom_fields
        }
    else:
        titles = options.custom_fields
    assigned = {group_id for session in sessions for group_id in session.group_ids}
    viewer = options.viewer
    if viewer is not None:
        reaches = reacher(viewer, directory)  # checks the viewer even with no session
        if not viewer.platform_admin:
            assigned = {g for g in assigned if reaches(g)}
    return ExportLayout(
        custom_fields=titles,
        group_ids=assigned,
        block_count=max((part.furthest_block() for part in parts), default=0),
        slot_count=max((len(part.facts.layout.slots) for part in parts), default=0),
        scope=_layout_scope(options),
    )


class _Plan:
    """Everything the header fixes: columns, and what each session fills in."""

    def __init__(
        self, parts: list[_Part], layout: ExportLayout, directory: Directory, options: ExportOptions
    ) -> None:
        self.directory = directory
        self.options = options
        self.text: Callable[[str], str] = protect_text if options.protect_formulas else _as_is
        self.texts: Callable[[list[str]], list[str]] = (
            protect_column if options.protect_formulas else _as_is_column
        )
        self.parts = parts
        self.custom_fields = list(layout.custom_fields)
        self.group_ids = group_order(layout.group_ids, directory)
        self.block_count = layout.block_count
        self.slot_count = layout.slot_count
        self.columns = self._columns()

    def _columns(self) -> tuple[ExportColumn, ...]:
        """Every column in header order: the one description of the export's columns."""
        groups = self.directory.groups
        found = [*_FIXED_BEFORE_CUSTOM]
        found += [ExportColumn(title, Kind.TEXT, by_user=True) for title in self.custom_fields]
        found += _FIXED_AFTER_CUSTOM
        found += [
            ExportColumn(groups[group_id].name, Kind.FLAG, by_user=True)
            for group_id in self.group_ids
        ]
        for rank in range(1, self.block_count + 1):
            found += [ExportColumn(f"{name} {rank}", kind) for name, kind in _BLOCK_COLUMNS]
        for rank in range(1, self.slot_count + 1):
            found += [ExportColumn(f"{name} {rank}", kind) for name, kind in _CLASSROOM_COLUMNS]
        return tuple(found)

    @property
    def header(self) -> tuple[str, ...]:
        text = self.text
        return tuple(text(c.name) if c.by_user else c.name for c in self.columns)

    def rows(self) -> Iterator[Row]:
        """The rows as tuples: each chunk's columns zipped."""
        for size, columns in self.chunks():
            yield from zip(
                *[repeat(c, size) if type(c) is str else c for c in columns], strict=True
            )

    def csv_text(self, delimiter: str) -> Iterator[tuple[int, str]]:
        """The rows as CSV text, a chunk of rows at a time, with the number of rows.

        The same bytes as ``csv.writer`` writing :meth:`rows` (the tests pin
        it): each column is quoted where it must be and each row is one
        ``join``.
        """
        for size, columns in self.quoted_chunks(delimiter):
            lines = joined_rows(columns, size, delimiter)
            lines.append("")
            yield size, "\r\n".join(lines)

    def quoted_chunks(
        self, delimiter: str, memos: _Memos | None = None
    ) -> Iterator[tuple[int, list[Column]]]:
        """:meth:`chunks` with every cell as a CSV field (:func:`csv_cell`)."""
        for size, columns in self.chunks(memos):
            yield (
                size,
                [
                    csv_cell(c, delimiter) if isinstance(c, str) else csv_column(c, delimiter)
                    for c in columns
                ],
            )

    def chunks(self, memos: _Memos | None = None) -> Iterator[tuple[int, list[Column]]]:
        """Chunks of rows as columns of cells in header order: a list of cells,
        or one ``str`` when every row of the chunk has that cell.

        Each chunk is :meth:`typed_chunks`' values written with the §5.3
        formats. ``memos`` (from :func:`_memos` with these options) lets
        several plans share what they formatted; by default the plan has
        its own.
        """
        number, duration = _memos(self.options) if memos is None else memos
        columns = self.columns
        # One writer per column, chosen once: a chunk's column costs one call.
        writers = [self._writer(column, number, duration) for column in columns]
        # A session's constant columns are the same Same values in every chunk:
        # each is written once.
        constants: dict[Same, str] = {}
        for size, values in self.typed_chunks():
            found: list[Column] = []
            for column, write, typed in zip(columns, writers, values, strict=True):
                if isinstance(typed, Same):
                    cell = constants.get(typed)
                    if cell is None:
                        value = typed.value
                        cell = constants[typed] = (
                            "" if value is None else self._cell(column.kind, value)
                        )
                    found.append(cell)
                else:
                    found.append(write(typed))
            yield size, found

    def _writer(
        self, column: ExportColumn, number: _Memo[float], duration: _Memo[timedelta]
    ) -> Callable[[list[Any]], list[str]]:
        """The function that writes one column of a chunk's typed values in the §5.3 formats."""
        kind = column.kind
        if kind is Kind.TEXT:
            texts = self.texts
            if not column.by_user:
                return texts

            def custom_field(values: list[str | None]) -> list[str]:
                # None where the learner lacks the field: an empty cell.
                return texts(["" if v is None else v for v in values])

            return custom_field
        if kind is Kind.FLAG:
            return _flags
        if kind is Kind.NUMBER:
            if column.varied and self.options.decimals == 0:
                return _whole_numbers
            return number.cells
        if kind is Kind.DURATION:
            return _durations if column.varied else duration.cells
        if kind is Kind.DATETIME:
            return partial(_datetimes, tz=self.options.timezone)
        return _hours

    def _cell(self, kind: Kind, value: Any) -> str:
        """One present value in the §5.3 format of its kind."""
        if kind is Kind.TEXT:
            return self.text(value)
        if kind is Kind.FLAG:
            return _FLAG_CELLS[value]
        if kind is Kind.NUMBER:
            return format_number(value, self.options.decimals)
        if kind is Kind.DATETIME:
            return format_datetime(value, self.options.timezone)
        if kind is Kind.DURATION:
            return format_duration(value)
        return format_hours(value)

    def typed_chunks(self, chunk: int | None = _CHUNK) -> Iterator[tuple[int, Iterator[Values]]]:
        """Chunks of rows as columns of typed values in header order.

        Each column is a list (one value per row) or :class:`Same` (the value
        of every row of the chunk); an absent value is None. ``chunk`` rows
        at most per chunk, or a session's rows in one chunk for None. A
        chunk's columns come one at a time: read them all before the next
        chunk.
        """
        for part in self.parts:
            yield from self._session_values(part, chunk or len(part.rows) or 1)

    def _session_values(self, part: _Part, chunk: int) -> Iterator[tuple[int, Iterator[Values]]]:
        """Rows of one session, built column by column in chunks of learners.

        Within a chunk every column is one list (or one :class:`Same`): few
        Python steps per value, and at most one chunk of values in memory.
        """
        options = self.options
        session = part.session
        facts: SessionFacts = part.facts
        layout = facts.layout
        users = self.directory.users
        slot_count = len(layout.slots)

        author = users[session.author_id]
        author_email = (
            anonymized_email(author.id, options.anonymization_key, options.anonymized_domain)
            if author.anonymized
            else author.email
        )
        session_values = [
            Same(session.name),
            Same(session.id),
            Same(author_email),
            Same(session.template.name),
            Same(session.template.id),
            Same(",".join(users[i].email for i in session.instructor_ids)),
        ]
        tail_values = [
            Same(session.expected_duration),
            Same(",".join(session.tags)),
            Same(session.template.description),
            Same(session.description),
        ]
        titles = {block.id: block.title for block in layout.blocks}
        slot_values = [
            (
                Same(titles[slot.block_id]),
                Same(slot.title),
                Same(float(slot.duration_hours)),
                Same(slot.start),
                Same(slot.end),
            )
            for slot in layout.slots
        ]
        absent = Same(None)
        unassigned = Same(False)
        registrations = facts.registrations
        start_of = facts.start
        end_of = facts.end
        score_of = facts.score
        progress_of = facts.progress
        verified_of = facts.verified
        time_of = facts.time_spent
        latest_of = facts.latest_of
        percent = facts.percent

        custom_fields = self.custom_fields
        group_ids = self.group_ids
        block_count = self.block_count
        slot_columns = self.slot_count

        def chunk_values(rows: Sequence[int]) -> Iterator[Values]:
            """The chunk's columns one at a time: each is written (or stored) while
            its values are still in the processor's cache."""
            # Gathered with map over C-level getters: few Python steps per value.
            regs = list(map(registrations.__getitem__, rows))
            people = list(map(users.__getitem__, map(_USER_ID, regs)))
            yield list(map(_LAST_NAME, people))
            yield list(map(_FIRST_NAME, people))
            yield list(map(_EMAIL, people))
            if custom_fields:
                fields = list(map(_CUSTOM_FIELDS, people))
                for title in custom_fields:
                    yield list(map(methodcaller("get", title), fields))
            yield list(map(_ADDITIONAL_INFORMATION, people))
            yield [",".join(p.manager_emails) for p in people]
            yield list(map(_DELETED_AT, people))
            yield from session_values
            yield list(map(is_, map(_UNREGISTERED_AT, regs), _NONE))
            yield list(map(score_of.__getitem__, rows))
            yield list(map(progress_of.__getitem__, rows))
            yield list(map(start_of.__getitem__, rows))
            yield list(map(end_of.__getitem__, rows))
            yield list(map(bool, map(verified_of.__getitem__, rows)))
            yield list(map(time_of.__getitem__, rows))
            yield from tail_values
            if group_ids:
                memberships = list(map(_GROUP_IDS, people))
                for group_id in group_ids:
                    if group_id in session.group_ids:
                        yield list(map(contains, memberships, repeat(group_id)))
                    else:
                        yield unassigned
            # Each learner's latest attempts, copied once per chunk.
            learner_blocks = list(map(latest_of, rows)) if block_count else []
            for rank in range(block_count):
                if rank >= len(part.learnable):
                    yield from (absent, absent, absent)
                    continue
                pos = part.learnable[rank]
                block = layout.blocks[pos]
                # C loops only: getattr(None, name, None) is None for a block not started.
                attempts = list(map(itemgetter(pos), learner_blocks))
                yield Same(block.title)
                yield list(map(getattr, attempts, _SCORE, _NONE)) if block.is_scored else absent
                yield list(map(getattr, attempts, _TIME_SPENT, _NONE))
            for k in range(slot_columns):
                if k >= slot_count:
                    yield from repeat(absent, len(_CLASSROOM_COLUMNS))
                    continue
                block_title, slot_title, hours, starts, ends = slot_values[k]
                yield from (block_title, slot_title)
                yield [percent[r * slot_count + k] for r in rows]
                yield from (hours, starts, ends)

        for first in range(0, len(part.rows), chunk):
            rows = part.rows[first : first + chunk]
            yield len(rows), chunk_values(rows)


def _flags(values: list[bool]) -> list[str]:
    return ["x" if flag else "" for flag in values]


def _whole_numbers(values: list[float | None]) -> list[str]:
    """Scores with no decimals, rounded half-up in line: means rarely repeat, so a
    memo would miss, and this is exact for numbers in 0-100."""
    return ["" if v is None else str(w + 1 if v - (w := floor(v)) >= 0.5 else w) for v in values]


def _durations(values: list[timedelta | None]) -> list[str]:
    return ["" if v is None else format_duration(v) for v in values]


def _datetimes(values: list[datetime | None], tz: tzinfo) -> list[str]:
    return ["" if m is None else format_datetime(m, tz) for m in values]


def _hours(values: list[float | None]) -> list[str]:
    return ["" if v is None else format_hours(v) for v in values]


def group_order(group_ids: Iterable[str], directory: Directory) -> tuple[str, ...]:
    """Group columns in the export's order: by name (case-folded, then exact), then id."""
    groups = directory.groups
    return tuple(sorted(group_ids, key=lambda g: (groups[g].name.casefold(), groups[g].name, g)))


def joined_rows(columns: Iterable[Column], size: int, delimiter: str) -> list[str]:
    """The ``size`` rows of these columns (quoted), each row's cells joined.

    Neighbouring constant columns are joined once, not on every row.
    """
    merged: list[Column] = []
    for column in columns:
        if isinstance(column, str) and merged and isinstance(merged[-1], str):
            merged[-1] = f"{merged[-1]}{delimiter}{column}"
        else:
            merged.append(column)
    if not merged:
        return [""] * size
    if len(merged) == 1:
        only = merged[0]
        return list(repeat(only, size)) if isinstance(only, str) else list(only)
    return list(
        map(
            delimiter.join,
            zip(*[repeat(c, size) if isinstance(c, str) else c for c in merged], strict=True),
        )
    )


def _as_is(text: str) -> str:
    return text


def _as_is_column(cells: list[str]) -> list[str]:
    return cells


def export_layout(
    sessions: Iterable[Session], directory: Directory, options: ExportOptions | None = None
) -> ExportLayout:
    """The columns the per-learner export of ``sessions`` needs, as a mergeable value.

    Split a large export into parts, take each part's layout, merge them
    (:meth:`ExportLayout.merge`) and write every part with
    ``learner_export(part, directory, options, layout=merged)``: the parts,
    concatenated (the header once), are the export of all sessions.

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> layout = export_layout([tiny_session()], tiny_directory())
    >>> layout.custom_fields, sorted(layout.group_ids), layout.block_count, layout.slot_count
    (('Team',), ['company', 'sales'], 2, 1)

    Raises :class:`InvalidInputError` like :func:`learner_export`.
    """
    _, _, layout = _parts(sessions, directory, options)
    return layout


def _parts(
    sessions: Iterable[Session], directory: Directory, options: ExportOptions | None
) -> tuple[ExportOptions, list[_Part], ExportLayout]:
    """The checked arguments' options, one part per session, and the columns the parts need."""
    expect("directory", directory, Directory)
    options = given_options(options)
    found = checked_sessions(sessions, directory)
    parts = [_Part(session, directory, options) for session in found]
    return options, parts, _layout(parts, found, directory, options)


def _fitting(
    layout: ExportLayout, own: ExportLayout, directory: Directory, options: ExportOptions
) -> ExportLayout:
    """``layout`` when it was built with ``options`` and holds ``own``; else raise."""
    if not isinstance(layout, ExportLayout):
        raise InvalidInputError(
            f"learner_export: layout must be an ExportLayout, got {type(layout).__name__}"
        )
    if layout.scope != own.scope:
        raise InvalidInputError(
            "learner_export: the layout was built with other export options (custom_fields, "
            "activity_between or viewer differ, or it is not from export_layout); build it "
            "with export_layout(..., options) using these options"
        )
    missing = layout.missing(own)
    if missing:
        raise InvalidInputError(
            "learner_export: these sessions exceed the layout: they need "
            + "; ".join(missing)
            + ". Merge the layouts of every part (ExportLayout.merge) before exporting"
        )
    unknown = sorted(g for g in layout.group_ids if g not in directory.groups)
    if unknown:
        raise InvalidInputError(
            f"learner_export: the layout names groups {unknown} the directory does not know"
        )
    return layout


def learner_export(
    sessions: Iterable[Session],
    directory: Directory,
    options: ExportOptions | None = None,
    *,
    layout: ExportLayout | None = None,
) -> Table:
    """The per-learner export of one or several sessions (SPEC §5.1).

    One row per ever-registered learner per session (unassigned learners
    included), session by session in the order given, and within a session
    in the order of the individual results. With
    ``options.activity_between=(since, until)`` only learners with activity
    in that period appear.

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> table = learner_export([tiny_session()], tiny_directory())
    >>> table.header[:4]
    ('Last name', 'First name', 'Email', 'Team')
    >>> [row[:2] for row in table.select(["Last name", "Progress"]).rows]
    [('Alves', '100'), ('Brown', '0'), ('Chen', '0'), ('Diaz', '0')]

    With ``layout`` (the merged :func:`export_layout` of every part of a
    split export, built with the same options) the columns are the
    layout's, so that parts written one after the other make one file.

    Raises :class:`InvalidInputError` when a session names a user or group
    the directory does not know, or when a session is given twice; and when
    ``layout`` was built with other options or lacks columns these
    sessions need.
    """
    options, parts, own = _parts(sessions, directory, options)
    chosen = own if layout is None else _fitting(layout, own, directory, options)
    plan = _Plan(parts, chosen, directory, options)
    header = plan.header
    return Table(header=header, rows=LazyRows(plan.rows, plan.csv_text, len(header)))


def typed_learner_export(
    sessions: Iterable[Session], directory: Directory, options: ExportOptions | None = None
) -> _Plan:
    """The per-learner export before it is written: its columns and typed values.

    ``.columns`` describes every column (:class:`ExportColumn`, header as
    stored) and ``.typed_chunks(None)`` gives each session's rows as
    columns of typed values. :func:`programstats.frames.learner_frame`
    makes them a frame; :func:`learner_export` writes them as text.

    Raises :class:`InvalidInputError` like :func:`learner_export`.
    """
    options, parts, own = _parts(sessions, directory, options)
    return _Plan(parts, own, directory, options)
