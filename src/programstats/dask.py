"""Cross-session reports over a Dask bag of sessions, identical to one process.

Needs the ``dask`` extra: ``pip install 'programstats[dask]'``.

=====================  ===============================================
function               what it gives
=====================  ===============================================
learner_export_csv     the per-learner export of every session of the
                       bag, written as one CSV file (one header, one
                       byte-order mark); returns the data row count
group_dashboard        a group's dashboard over the bag's sessions
template_results       individual results of a template's sessions
sessions_table         the sessions list a viewer may see, as a Table
collaboration_table    collaborative activity per session, as a Table
=====================  ===============================================

Each takes its core function's arguments in the same order, with a
:class:`dask.bag.Bag` where the core function takes ``sessions``, and gives
exactly what the core function gives for the bag's sessions in bag order,
whatever the partitioning (empty partitions included), and raises the same
:class:`InvalidInputError` for bad input -- a session given twice, even in
two partitions, included.

The bag holds :class:`~programstats.Session` values, or session *records*
(parsed JSON objects, see :func:`session_records`), structured on the
workers as :func:`programstats.records.structure_sessions` structures them
(cattrs is then needed). Every function takes ``on_error`` (``"raise"`` or
``"skip"``), ``errors`` (a path or text stream for the problems CSV) and
``naive_timezone``: under ``skip``, bad records are left out and the result
is the one process gives for the same records under ``skip``, byte for byte,
with the same problems in the same order (record ``n`` of the bag named
``$.sessions[n]``); under ``raise`` every problem is found, then one
:class:`~programstats.InvalidRecordsError` lists them.

How it stays exact: every partition computes a mergeable partial
(:class:`~programstats.ExportLayout`, :class:`~programstats.DashboardPartial`,
or its rows and session ids), partials are merged, and only then is the
result finished. The per-learner export reads the bag once: each
partition's task loads its sessions one at a time, takes each one's layout
and writes its rows as CSV text, cut where columns of other sessions may
go, before loading the next; the text stays on the worker while the
layouts merge, then a short task per partition adds the merged columns
each session lacks.
Load sessions on the workers (``session_records("sessions-*.jsonl")``), never
build them on the client and put them in the graph: see ``docs/dask.md``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, tzinfo
from itertools import repeat
from typing import IO, Any, Literal, TypeVar

import attrs

try:
    import dask
    import dask.bag
    from dask.base import compute, get_scheduler
    from dask.delayed import Delayed, delayed
    from dask.sizeof import sizeof
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        "programstats.dask needs Dask and distributed: pip install 'programstats[dask]'"
    ) from error

from . import export as _export
from . import views as _views
from ._checks import expect
from .directory import Directory
from .errors import InvalidInputError
from .layout import ExportLayout
from .options import ExportOptions, given_options
from .rights import Viewer
from .session import Session
from .session_stats import LearnerResult
from .table import Row, Table, write_csv
from .views import DashboardPartial, GroupDashboard, Status
from .world import InvalidRecordsError, Problem, given_twice, problems_table

__all__ = [
    "collaboration_table",
    "group_dashboard",
    "learner_export_csv",
    "session_records",
    "sessions_table",
    "template_results",
]

OnError = Literal["raise", "skip"]

# Partitions whose finished text learner_export_csv gathers at once: enough
# to keep every worker busy, few enough that the client holds little text.
_WINDOW = 32

_T = TypeVar("_T")


# Dask guesses the size of an unknown object from ``sys.getsizeof``. A
# Session answers with an estimate of its records (``Session.__sizeof__``,
# which works on workers that never import this module); the directory is
# estimated here. Without these, the scheduler thinks moving a partition of
# sessions between workers is free, and pays pickling for nothing.
_BYTES_PER_RECORD = 600


def _sizeof_directory(directory: Directory) -> int:
    return 1_000 + _BYTES_PER_RECORD * (len(directory.users) + len(directory.groups))


sizeof.register(Directory, _sizeof_directory)


def _bag(bag: Any) -> dask.bag.Bag:
    if not isinstance(bag, dask.bag.Bag):
        raise InvalidInputError(
            f"bag must be a dask.bag.Bag of Session, got {type(bag).__name__}; "
            "use dask.bag.from_sequence(sessions) or load them with dask.bag.read_text"
        )
    return bag


# A directory up to this size (as estimated for Dask) travels inside every
# task that needs it: then nothing ties a partition's task to another task,
# and Dask fuses loading the sessions with working on them, so a partition's
# sessions are never a task result that the scheduler could move to another
# worker (moving 25 sessions of 250 learners costs seconds of pickling).
# A larger directory is one graph key that the tasks share, sent to each
# worker once.
_INLINE_DIRECTORY = 4_000_000


def _directory_arg(directory: Directory) -> Directory | Delayed:
    """The directory as the tasks' argument: itself when small, else one shared key."""
    if not isinstance(directory, Directory) or sizeof(directory) <= _INLINE_DIRECTORY:
        return directory
    shared: Delayed = delayed(directory, pure=False)
    return shared


@attrs.frozen
class _Item:
    """What one element of a partition gave: a session (its id and what the work made of
    it) or nothing, and the problems met structuring it (paths in the partition)."""

    session_id: str | None
    payload: Any = None
    problems: tuple[Problem, ...] = ()
    causes: tuple[Problem, ...] = ()


def _loaded(
    items: Iterable[Any], directory: Directory, naive_timezone: str | None
) -> Iterator[tuple[Session | None, tuple[Problem, ...], tuple[Problem, ...]]]:
    """Each element of a partition as a session: a Session as it is, a record structured."""
    position = -1  # not enumerate(): it keeps its last pair, and so the last session, alive
    for item in items:
        position += 1
        if isinstance(item, Session):
            session: Session | None = item
            problems: list[Problem] = []
            causes: list[Problem] = []
        else:
            from .records.documents import session_record  # needs cattrs: only for records

            session, problems, causes = session_record(
                item, directory, naive_timezone=naive_timezone, position=position
            )
        del item  # the next element is loaded with this one gone
        yield session, tuple(problems), tuple(causes)
        del session


def _items(
    items: Iterable[Any],
    directory: Directory,
    naive_timezone: str | None,
    work: Callable[[Session], Any],
) -> list[_Item]:
    """One item per element of a partition, ``work(session)`` its payload."""
    found = []
    for session, problems, causes in _loaded(items, directory, naive_timezone):
        if session is None:
            found.append(_Item(None, None, problems, causes))
        else:
            found.append(_Item(session.id, work(session), problems, causes))
        del session  # not alive while the next one is loaded
    return found


_FIRST_INDEX = re.compile(r"\$\.sessions\[(\d+)\]")


def _shifted(problems: Iterable[Problem], offset: int) -> list[Problem]:
    """Problems named in a partition, named as in the whole bag (records ``offset`` later)."""
    if not offset:
        return list(problems)
    found = []
    for problem in problems:
        match = _FIRST_INDEX.match(problem.path)
        if match is not None:
            path = f"$.sessions[{int(match.group(1)) + offset}]" + problem.path[match.end() :]
            problem = attrs.evolve(problem, path=path)
        found.append(problem)
    return found


@attrs.frozen
class _Gathered:
    """The partitions' items met in bag order: what is kept, what is dropped, the problems."""

    payloads: list[Any]
    dropped: list[frozenset[int]]  # per partition, the positions left out
    problems: list[Problem]


def _gather(parts: Iterable[Sequence[_Item]], on_error: OnError, errors: object) -> _Gathered:
    """Items of every partition in order: paths of the whole bag, each session id once.

    A session id met again is a problem (a cause) and that session is left
    out. The problems go to ``errors`` (a path or a text stream); under
    ``raise`` any cause raises :class:`InvalidRecordsError` listing them all.
    """
    payloads: list[Any] = []
    dropped: list[frozenset[int]] = []
    problems: list[Problem] = []
    causes: list[Problem] = []
    seen: set[str] = set()
    offset = 0
    for part in parts:
        out = set()
        for position, item in enumerate(part):
            problems += _shifted(item.problems, offset)
            causes += _shifted(item.causes, offset)
            if item.session_id is None:
                out.add(position)
            elif item.session_id in seen:
                twice = given_twice(f"$.sessions[{offset + position}].id", item.session_id)
                problems.append(twice)
                causes.append(twice)
                out.add(position)
            else:
                seen.add(item.session_id)
                payloads.append(item.payload)
        dropped.append(frozenset(out))
        offset += len(part)
    if errors is not None:
        _write_problems(problems if on_error == "skip" else causes, errors)
    if on_error == "raise" and causes:
        raise InvalidRecordsError(causes)
    return _Gathered(payloads, dropped, problems)


def _write_problems(problems: Sequence[Problem], errors: object) -> None:
    table = problems_table(problems)
    if isinstance(errors, (str, os.PathLike)):
        with open(errors, "w", encoding="utf-8", newline="") as stream:
            write_csv(table, stream)
    else:
        write_csv(table, errors)  # type: ignore[arg-type]  # write_csv checks the stream


def _check(on_error: object, errors: object) -> OnError:
    if on_error not in ("raise", "skip") or type(on_error) is not str:
        raise InvalidInputError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
    if (
        errors is not None
        and not isinstance(errors, (str, os.PathLike))
        and not callable(getattr(errors, "write", None))
    ):
        raise InvalidInputError(
            f"errors must be a path or a text stream, got {type(errors).__name__}"
        )
    return "raise" if on_error == "raise" else "skip"


def _per_partition(bag: dask.bag.Bag, work: Callable[..., Any], *args: Any) -> list[Any]:
    """``work(partition, *args)`` of every partition, in partition order."""
    return list(compute(*[delayed(work)(part, *args) for part in bag.to_delayed()]))


def _lines_records(lines: Iterable[tuple[str, str]]) -> list[Any]:
    """A partition of ``(line, path)`` pairs as session records: bad lines named, blanks out."""
    from .records import json_lines  # needs cattrs

    found: list[Any] = []
    by_path: dict[str, list[str]] = {}
    order: list[str] = []
    for line, path in lines:
        if path not in by_path:
            by_path[path] = []
            order.append(path)
        by_path[path].append(line)
    for path in order:
        found += json_lines(by_path[path], os.path.basename(path))
    return found


def session_records(paths: str | Sequence[str]) -> dask.bag.Bag:
    """A bag of the session records of JSON Lines files, one partition per file.

    Each file is read, and each line parsed, on a worker; blank lines are
    skipped, and a line that is not JSON becomes a record that the
    functions of this module name as a problem (its file name and line
    number) and leave out under ``on_error="skip"``.
    """
    if isinstance(paths, str):
        files: Any = paths
    else:
        files = [os.fspath(path) for path in paths]
    lines = dask.bag.read_text(files, include_path=True, blocksize=None)
    records: dask.bag.Bag = lines.map_partitions(_lines_records)
    return records


# -- per-partition work (module-level functions: workers unpickle them by name) --


class _RenderedPart:
    """A session's export before the columns of the other sessions are known.

    Its rows are CSV text cut where a merged layout may add columns, each
    piece a list with one text per row: ``head`` (identity, 3 cells), one
    list per custom field of the session's exported learners, ``middle``
    (the 20 cells between custom fields and group columns), one list per
    group column of the session, ``blocks`` (the block columns up to its
    furthest started block) and ``slots`` (its classroom-slot columns).
    ``later`` gives, per row, the block columns past its furthest started
    block, one text per block (the title and two empty cells: no exported
    learner started it); the rows share one tuple.
    """

    __slots__ = (
        "blocks",
        "count",
        "custom",
        "group_ids",
        "groups",
        "head",
        "ids",
        "later",
        "layout",
        "middle",
        "slots",
    )

    def __init__(
        self, ids: tuple[str, ...], layout: ExportLayout, group_ids: tuple[str, ...], count: int
    ) -> None:
        self.ids = ids
        self.layout = layout
        self.group_ids = group_ids  # the session's group columns, in column order
        self.count = count
        self.head: list[str] = []
        self.custom: list[list[str]] = []
        self.middle: list[str] = []
        self.groups: list[list[str]] = []
        self.blocks: list[str] = []
        self.later: list[tuple[str, ...]] = []
        self.slots: list[str] = []

    def __sizeof__(self) -> int:
        """About the memory its text holds, so that Dask does not move it as if it were free."""
        if not self.count:
            return 500
        per_row = sum(
            len(pieces[0]) + 60
            for pieces in (self.head, self.middle, self.blocks, self.slots)
            if pieces
        )
        per_row += 60 * (len(self.custom) + len(self.groups)) + 8 * 7
        return 500 + per_row * self.count


def _render_part(
    items: Iterable[Any],
    directory: Directory,
    options: ExportOptions,
    naive_timezone: str | None,
) -> list[_Item]:
    """The partition's sessions, each as its layout and its rows in cut pieces of CSV text.

    One session at a time, as the partition's iterator gives them: a session
    and its facts are freed once its rows are written, so the worker holds
    one session's attempts, not the partition's (less memory, and CPython's
    full collections walk a small heap). The number memos are shared by
    the partition's sessions.
    """
    expect("directory", directory, Directory)
    opts = given_options(options)
    memos = _export._memos(opts)
    return _items(
        items, directory, naive_timezone, lambda s: _render_session(s, directory, opts, memos)
    )


def _render_session(
    session: Session,
    directory: Directory,
    opts: ExportOptions,
    memos: _export._Memos,
) -> _RenderedPart:
    """One session's layout and rows, its rows written as CSV text in cut pieces.

    The rows are written with the session's layout widened to all its
    blocks: past its furthest started block, block columns hold only the
    block's title, whatever the layout.
    """
    _, parts, own = _export._parts((session,), directory, opts)
    wide = attrs.evolve(own, block_count=max(own.block_count, len(session.blocks)))
    plan = _export._Plan(parts, wide, directory, opts)
    custom_count = len(own.custom_fields)
    group_ids = _export.group_order(own.group_ids, directory)
    group_start = 3 + custom_count + 20
    block_start = group_start + len(group_ids)
    later_start = block_start + 3 * own.block_count
    slot_start = block_start + 3 * wide.block_count
    delimiter = opts.delimiter
    count = sum(len(part.rows) for part in parts)
    part = _RenderedPart((session.id,), own, group_ids, count)
    part.custom = [[] for _ in range(custom_count)]
    part.groups = [[] for _ in group_ids]

    def extend(pieces: list[list[str]], columns: list[_export.Column], size: int) -> None:
        for piece, column in zip(pieces, columns, strict=True):
            piece += repeat(column, size) if isinstance(column, str) else column

    def join(columns: list[_export.Column], size: int) -> list[str]:
        return _export.joined_rows(columns, size, delimiter)

    for size, columns in plan.quoted_chunks(delimiter, memos):
        part.head += join(columns[:3], size)
        extend(part.custom, columns[3 : 3 + custom_count], size)
        part.middle += join(columns[3 + custom_count : group_start], size)
        extend(part.groups, columns[group_start:block_start], size)
        if own.block_count:
            part.blocks += join(columns[block_start:later_start], size)
        if slot_start > later_start:
            # One text per block past the session's furthest started one: no
            # exported learner started these blocks, so a row holds the title
            # and two empty cells.
            ranks = [join(columns[i : i + 3], size) for i in range(later_start, slot_start, 3)]
            shared: dict[tuple[str, ...], tuple[str, ...]] = {}
            part.later += [shared.setdefault(t, t) for t in zip(*ranks, strict=True)]
        if own.slot_count:
            part.slots += join(columns[slot_start:], size)
    return part


def _metas(items: Iterable[_Item]) -> list[_Item]:
    """The items of a rendered partition with their layouts only (their text stays)."""
    return [
        attrs.evolve(item, payload=None if item.payload is None else item.payload.layout)
        for item in items
    ]


def _finish_part(
    items: Iterable[_Item],
    dropped: frozenset[int],
    custom_fields: tuple[str, ...],
    group_ids: tuple[str, ...],
    block_count: int,
    slot_count: int,
    delimiter: str,
) -> list[tuple[int, bytes]]:
    """The partition's rows as CSV text with the merged columns, in UTF-8, and their count.

    Bytes, encoded where they were written: they travel to the client as
    they are (a ``str`` is encoded and decoded on the way), and a file the
    export opens itself takes them without encoding them again.

    A column a session lacks is empty on all its rows (no exported learner
    of the session has that custom field; the session is not in that
    group; it has not that many slots), except the titles of its blocks
    past its furthest started one, which each row has kept.
    """
    lines: list[str] = []
    rows = 0
    for position, item in enumerate(items):
        if position in dropped:
            continue
        part: _RenderedPart = item.payload
        size = part.count
        if not size:
            continue
        rows += size
        own = part.layout
        custom_at = {title: i for i, title in enumerate(own.custom_fields)}
        group_at = {group_id: j for j, group_id in enumerate(part.group_ids)}
        columns: list[Iterable[str]] = [part.head]
        columns += [
            part.custom[custom_at[t]] if t in custom_at else repeat("", size) for t in custom_fields
        ]
        columns.append(part.middle)
        columns += [
            part.groups[group_at[g]] if g in group_at else repeat("", size) for g in group_ids
        ]
        if own.block_count:
            columns.append(part.blocks)
        more = block_count - own.block_count
        if more > 0:
            empty = delimiter * 2
            if part.later:
                pads: dict[tuple[str, ...], str] = {}
                for texts in part.later:
                    if texts not in pads:
                        kept = list(texts[:more])
                        pads[texts] = delimiter.join(kept + [empty] * (more - len(kept)))
                columns.append([pads[texts] for texts in part.later])
            else:
                columns.append(repeat(delimiter.join([empty] * more), size))
        if own.slot_count:
            columns.append(part.slots)
        if slot_count > own.slot_count:
            columns.append(repeat(delimiter * (6 * (slot_count - own.slot_count) - 1), size))
        join = delimiter.join
        lines += [join(row) for row in zip(*columns, strict=True)]
    if not rows:
        return [(0, b"")]
    lines.append("")
    return [(rows, "\r\n".join(lines).encode("utf-8"))]


def _dashboard_part(
    items: Iterable[Any],
    group_id: str,
    directory: Directory,
    now: datetime,
    tz: tzinfo | str,
    naive_timezone: str | None,
) -> list[_Item]:
    def work(session: Session) -> DashboardPartial:
        return _views.dashboard_partial(group_id, (session,), directory, now, tz)

    return _items(items, directory, naive_timezone, work)


def _template_part(
    items: Iterable[Any], template_id: str, directory: Directory, naive_timezone: str | None
) -> list[_Item]:
    def work(session: Session) -> tuple[tuple[Session, LearnerResult], ...]:
        return _views.template_results(template_id, (session,), directory)

    return _items(items, directory, naive_timezone, work)


def _sessions_rows(
    items: Iterable[Any],
    directory: Directory,
    viewer: Viewer,
    now: datetime,
    status: Status,
    options: ExportOptions,
    naive_timezone: str | None,
) -> list[_Item]:
    def work(session: Session) -> list[Row]:
        return list(_views.sessions_table((session,), directory, viewer, now, status, options).rows)

    return _items(items, directory, naive_timezone, work)


def _collaboration_rows(
    items: Iterable[Any], directory: Directory, options: ExportOptions, naive_timezone: str | None
) -> list[_Item]:
    def work(session: Session) -> list[Row]:
        return list(_views.collaboration_table((session,), options).rows)

    return _items(items, directory, naive_timezone, work)


# -- public functions --


def learner_export_csv(
    bag: dask.bag.Bag,
    directory: Directory,
    options: ExportOptions | None,
    stream_or_path: IO[str] | str | os.PathLike[str],
    *,
    on_error: OnError = "raise",
    errors: IO[str] | str | os.PathLike[str] | None = None,
    naive_timezone: str | None = None,
) -> int:
    """Write the per-learner export of the bag's sessions as one CSV; return the row count.

    The same bytes as ``write_csv(learner_export(sessions, directory,
    options), stream, options)`` over the bag's sessions in bag order:
    each session is loaded once, on a worker, and its rows written there
    as text before the next one is loaded; once every session's
    :class:`~programstats.ExportLayout` is merged, each session's text
    gets the merged columns it lacks (empty cells, and the titles of its
    blocks past its furthest started one) and is written in bag
    order, after one header (and one byte-order mark with ``options.bom``).
    A path is written as UTF-8 with ``newline=""``; a stream must be a text
    stream opened with ``newline=""``.

    >>> import io, dask, dask.bag
    >>> from programstats.examples import tiny_directory, tiny_session
    >>> out = io.StringIO()
    >>> with dask.config.set(scheduler="synchronous"):
    ...     learner_export_csv(dask.bag.from_sequence([tiny_session()]), tiny_directory(),
    ...                        None, out)
    4
    >>> out.getvalue().count("\\r\\n")
    5

    Raises :class:`InvalidInputError` for what :func:`~programstats.learner_export`
    rejects, a session given twice included.
    """
    found = _bag(bag)
    opts = given_options(options)
    mode = _check(on_error, errors)
    if not isinstance(stream_or_path, (str, os.PathLike)) and not hasattr(stream_or_path, "write"):
        raise InvalidInputError(
            "learner_export_csv: stream_or_path must be a text stream or a path, "
            f"got {type(stream_or_path).__name__}"
        )
    # Checks directory and options on the client, and is the layout of no session.
    layout = _export.export_layout((), directory, opts)
    # One pass over the sessions: each partition loads its sessions one at a
    # time, takes each one's layout and writes its rows; they stay where they
    # were written while the layouts merge, then each partition adds the
    # merged columns its sessions lack.
    rendered = found.map_partitions(
        _render_part, _directory_arg(directory), opts, naive_timezone
    ).persist()
    gathered = _gather(_per_partition(rendered, _metas), mode, errors)
    for own in gathered.payloads:
        layout = layout.merge(own)
    header = _export.learner_export((), directory, opts, layout=layout)
    group_ids = _export.group_order(layout.group_ids, directory)
    parts = [
        delayed(_finish_part)(
            part,
            dropped,
            layout.custom_fields,
            group_ids,
            layout.block_count,
            layout.slot_count,
            opts.delimiter,
        )
        for part, dropped in zip(rendered.to_delayed(), gathered.dropped, strict=True)
    ]

    def write(stream: IO[str], write_bytes: Callable[[bytes], object] | None) -> int:
        count = write_csv(header, stream, opts)
        if write_bytes is not None:
            stream.flush()  # the header's text before the bytes that follow it
        for chunk in _in_order(parts):
            for rows, data in chunk:
                if write_bytes is None:
                    stream.write(data.decode("utf-8"))
                else:
                    write_bytes(data)
                count += rows
        return count

    if isinstance(stream_or_path, (str, os.PathLike)):
        with open(stream_or_path, "w", encoding="utf-8", newline="") as stream:
            # The header through the text layer, then the rows' UTF-8 as it came.
            return write(stream, stream.buffer.write)
    return write(stream_or_path, None)


def _client_of(scheduler: object) -> Any:
    """The ``distributed`` client whose ``get`` is ``scheduler``, or None."""
    owner = getattr(scheduler, "__self__", None)
    if owner is None:
        return None
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed comes with the dask extra
        return None
    return owner if isinstance(owner, Client) else None


def _in_order(parts: list[Delayed]) -> Iterator[list[tuple[int, bytes]]]:
    """Each part's result, in order, computed with the scheduler in use.

    On a ``distributed`` client every part is submitted at once and each
    result is written while the workers compute the next ones; otherwise
    parts are computed a window at a time.
    """
    client = _client_of(get_scheduler())
    if client is not None:
        futures: list[Any] = client.compute(parts)
        for number, future in enumerate(futures):
            yield future.result()
            futures[number] = None  # the worker may drop what was written
        return
    for first in range(0, len(parts), _WINDOW):
        yield from compute(*parts[first : first + _WINDOW])


def group_dashboard(
    group_id: str,
    bag: dask.bag.Bag,
    directory: Directory,
    now: datetime,
    tz: tzinfo | str,
    *,
    on_error: OnError = "raise",
    errors: IO[str] | str | os.PathLike[str] | None = None,
    naive_timezone: str | None = None,
) -> GroupDashboard:
    """:func:`programstats.group_dashboard` over the bag's sessions.

    Each session gives a :class:`~programstats.DashboardPartial` (integer
    counts); their merge gives the rates, so they are exact.
    """
    found = _bag(bag)
    mode = _check(on_error, errors)
    # Checks the group, now and tz on the client; the partial of no session.
    empty = _views.dashboard_partial(group_id, (), directory, now, tz)
    parts = _per_partition(
        found, _dashboard_part, group_id, _directory_arg(directory), now, tz, naive_timezone
    )
    return _views.combine_dashboards([empty, *_gather(parts, mode, errors).payloads])


def template_results(
    template_id: str,
    bag: dask.bag.Bag,
    directory: Directory,
    *,
    on_error: OnError = "raise",
    errors: IO[str] | str | os.PathLike[str] | None = None,
    naive_timezone: str | None = None,
) -> tuple[tuple[Session, LearnerResult], ...]:
    """:func:`programstats.template_results` over the bag's sessions (in bag order)."""
    found = _bag(bag)
    mode = _check(on_error, errors)
    expect("template_id", template_id, str)
    expect("directory", directory, Directory)
    parts = _per_partition(
        found, _template_part, template_id, _directory_arg(directory), naive_timezone
    )
    return tuple(pair for results in _gather(parts, mode, errors).payloads for pair in results)


def sessions_table(
    bag: dask.bag.Bag,
    directory: Directory,
    viewer: Viewer,
    now: datetime,
    status: Status = Status.ALL,
    options: ExportOptions | None = None,
    *,
    on_error: OnError = "raise",
    errors: IO[str] | str | os.PathLike[str] | None = None,
    naive_timezone: str | None = None,
) -> Table:
    """:func:`programstats.sessions_table` over the bag's sessions, rows in bag order."""
    found = _bag(bag)
    mode = _check(on_error, errors)
    opts = given_options(options)
    header = _views.sessions_table((), directory, viewer, now, status, opts).header
    parts = _per_partition(
        found, _sessions_rows, _directory_arg(directory), viewer, now, status, opts, naive_timezone
    )
    rows = [row for found_rows in _gather(parts, mode, errors).payloads for row in found_rows]
    return Table(header=header, rows=rows)


def collaboration_table(
    bag: dask.bag.Bag,
    options: ExportOptions | None = None,
    *,
    directory: Directory | None = None,
    on_error: OnError = "raise",
    errors: IO[str] | str | os.PathLike[str] | None = None,
    naive_timezone: str | None = None,
) -> Table:
    """:func:`programstats.collaboration_table` over the bag's sessions, rows in bag order.

    A bag of session records needs ``directory`` (the users and groups its
    sessions name) to structure them.
    """
    found = _bag(bag)
    mode = _check(on_error, errors)
    opts = given_options(options)
    if directory is not None:
        expect("directory", directory, Directory)
    header = _views.collaboration_table((), opts).header
    parts = _per_partition(
        found, _collaboration_rows, _directory_arg(directory) if directory else None, opts,
        naive_timezone,
    )  # fmt: skip
    rows = [row for found_rows in _gather(parts, mode, errors).payloads for row in found_rows]
    return Table(header=header, rows=rows)
