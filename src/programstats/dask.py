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
:class:`dask.bag.Bag` of :class:`~programstats.Session` where the core
function takes ``sessions``, and gives exactly what the core function gives
for the bag's sessions in bag order, whatever the partitioning (empty
partitions included), and raises the same :class:`InvalidInputError` for
bad input -- a session given twice, even in two partitions, included.

How it stays exact: every partition computes a mergeable partial
(:class:`~programstats.ExportLayout`, :class:`~programstats.DashboardPartial`,
or its rows and session ids), partials are merged, and only then is the
result finished. The per-learner export makes two passes over the bag: one
for the columns (the merged layout), one for the rows of each partition.
Load sessions on the workers (``dask.bag.read_text(...).map(json.loads)
.map(programstats.records.structure_session)``), never build them on the
client and put them in the graph: see ``docs/dask.md``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import IO, Any, TypeVar

try:
    import dask
    import dask.bag
    from dask.base import compute
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
from .options import ExportOptions
from .rights import Viewer
from .session import Session
from .session_stats import LearnerResult
from .table import Row, Table, write_csv
from .views import DashboardPartial, GroupDashboard, Status

__all__ = [
    "collaboration_table",
    "group_dashboard",
    "learner_export_csv",
    "sessions_table",
    "template_results",
]

# Partitions whose rows are computed at once by learner_export_csv: enough
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


def _shared(value: Any) -> Delayed:
    """``value`` as one graph key, so that the tasks refer to it, not copy it."""
    shared: Delayed = delayed(value, pure=False)
    return shared


def _options(options: ExportOptions | None) -> ExportOptions:
    return ExportOptions() if options is None else expect("options", options, ExportOptions)


def _no_repeat(parts: Iterable[tuple[Sequence[str], _T]]) -> list[_T]:
    """The values of ``parts`` in order, after checking no session id is in two parts."""
    seen: set[str] = set()
    values = []
    for ids, value in parts:
        for session_id in ids:
            if session_id in seen:
                raise InvalidInputError(f"Session {session_id!r} is given twice; pass each once")
            seen.add(session_id)
        values.append(value)
    return values


# -- per-partition work (module-level functions: workers unpickle them by name) --


def _layout_part(
    sessions: Iterable[Session], directory: Directory, options: ExportOptions
) -> list[tuple[tuple[str, ...], ExportLayout]]:
    found = tuple(sessions)
    layout = _export.export_layout(found, directory, options)
    return [(tuple(session.id for session in found), layout)]


def _merge_layouts(
    items: Iterable[tuple[tuple[str, ...], ExportLayout]],
) -> tuple[tuple[str, ...], ExportLayout]:
    parts = list(items)
    layouts = _no_repeat(parts)
    merged = ExportLayout()
    for layout in layouts:
        merged = merged.merge(layout)
    return tuple(i for ids, _ in parts for i in ids), merged


def _csv_part(
    sessions: Iterable[Session],
    directory: Directory,
    options: ExportOptions,
    layout: ExportLayout,
) -> list[tuple[int, str]]:
    table = _export.learner_export(tuple(sessions), directory, options, layout=layout)
    out = io.StringIO()
    count = write_csv(table, out, options, header=False)
    return [(count, out.getvalue())]


def _dashboard_part(
    sessions: Iterable[Session],
    group_id: str,
    directory: Directory,
    now: datetime,
    tz: tzinfo | str,
) -> list[DashboardPartial]:
    return [_views.dashboard_partial(group_id, tuple(sessions), directory, now, tz)]


def _merge_dashboards(partials: Iterable[DashboardPartial]) -> DashboardPartial:
    merged: DashboardPartial | None = None
    for partial in partials:
        merged = partial if merged is None else merged.merge(partial)
    if merged is None:  # pragma: no cover - dask gives every reduction one input at least
        raise InvalidInputError("group_dashboard: the bag has no partition")
    return merged


def _template_part(
    sessions: Iterable[Session], template_id: str, directory: Directory
) -> list[tuple[tuple[str, ...], tuple[tuple[Session, LearnerResult], ...]]]:
    found = tuple(sessions)
    results = _views.template_results(template_id, found, directory)
    return [(tuple(session.id for session in found), results)]


def _sessions_rows(
    sessions: Iterable[Session],
    directory: Directory,
    viewer: Viewer,
    now: datetime,
    status: Status,
    options: ExportOptions,
) -> list[tuple[tuple[str, ...], list[Row]]]:
    found = tuple(sessions)
    table = _views.sessions_table(found, directory, viewer, now, status, options)
    return [(tuple(session.id for session in found), list(table.rows))]


def _collaboration_rows(
    sessions: Iterable[Session], options: ExportOptions
) -> list[tuple[tuple[str, ...], list[Row]]]:
    found = tuple(sessions)
    table = _views.collaboration_table(found, options)
    return [(tuple(session.id for session in found), list(table.rows))]


# -- public functions --


def learner_export_csv(
    bag: dask.bag.Bag,
    directory: Directory,
    options: ExportOptions | None,
    stream_or_path: IO[str] | str | os.PathLike[str],
) -> int:
    """Write the per-learner export of the bag's sessions as one CSV; return the row count.

    The same bytes as ``write_csv(learner_export(sessions, directory,
    options), stream, options)`` over the bag's sessions in bag order:
    a first pass merges every partition's :class:`~programstats.ExportLayout`,
    a second writes each partition's rows with those columns, in partition
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
    opts = _options(options)
    if not isinstance(stream_or_path, (str, os.PathLike)) and not hasattr(stream_or_path, "write"):
        raise InvalidInputError(
            "learner_export_csv: stream_or_path must be a text stream or a path, "
            f"got {type(stream_or_path).__name__}"
        )
    # Checks directory and options on the client, and is the layout of no session.
    layout = _export.export_layout((), directory, opts)
    shared_directory = _shared(directory)
    _, merged = (
        found.map_partitions(_layout_part, shared_directory, opts)
        .reduction(_merge_layouts, _merge_layouts)
        .compute()
    )
    layout = layout.merge(merged)
    header = _export.learner_export((), directory, opts, layout=layout)
    parts = found.map_partitions(_csv_part, shared_directory, opts, layout).to_delayed()

    def write(stream: IO[str]) -> int:
        count = write_csv(header, stream, opts)
        for first in range(0, len(parts), _WINDOW):
            for chunk in compute(*parts[first : first + _WINDOW]):
                for rows, text in chunk:
                    stream.write(text)
                    count += rows
        return count

    if isinstance(stream_or_path, (str, os.PathLike)):
        with open(stream_or_path, "w", encoding="utf-8", newline="") as stream:
            return write(stream)
    return write(stream_or_path)


def group_dashboard(
    group_id: str,
    bag: dask.bag.Bag,
    directory: Directory,
    now: datetime,
    tz: tzinfo | str,
) -> GroupDashboard:
    """:func:`programstats.group_dashboard` over the bag's sessions.

    Each partition gives a :class:`~programstats.DashboardPartial` (integer
    counts); their merge gives the rates, so they are exact.
    """
    found = _bag(bag)
    # Checks the group, now and tz on the client; the partial of no session.
    empty = _views.dashboard_partial(group_id, (), directory, now, tz)
    merged = (
        found.map_partitions(_dashboard_part, group_id, _shared(directory), now, tz)
        .reduction(_merge_dashboards, _merge_dashboards)
        .compute()
    )
    return _views.combine_dashboards([empty, merged])


def template_results(
    template_id: str, bag: dask.bag.Bag, directory: Directory
) -> tuple[tuple[Session, LearnerResult], ...]:
    """:func:`programstats.template_results` over the bag's sessions (in bag order)."""
    found = _bag(bag)
    expect("template_id", template_id, str)
    expect("directory", directory, Directory)
    parts = found.map_partitions(_template_part, template_id, _shared(directory)).compute()
    return tuple(pair for results in _no_repeat(parts) for pair in results)


def sessions_table(
    bag: dask.bag.Bag,
    directory: Directory,
    viewer: Viewer,
    now: datetime,
    status: Status = Status.ALL,
    options: ExportOptions | None = None,
) -> Table:
    """:func:`programstats.sessions_table` over the bag's sessions, rows in bag order."""
    found = _bag(bag)
    opts = _options(options)
    header = _views.sessions_table((), directory, viewer, now, status, opts).header
    parts = found.map_partitions(
        _sessions_rows, _shared(directory), viewer, now, status, opts
    ).compute()
    return Table(header=header, rows=[row for rows in _no_repeat(parts) for row in rows])


def collaboration_table(bag: dask.bag.Bag, options: ExportOptions | None = None) -> Table:
    """:func:`programstats.collaboration_table` over the bag's sessions, rows in bag order."""
    found = _bag(bag)
    opts = _options(options)
    header = _views.collaboration_table((), opts).header
    parts = found.map_partitions(_collaboration_rows, opts).compute()
    return Table(header=header, rows=[row for rows in _no_repeat(parts) for row in rows])
