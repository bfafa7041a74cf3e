"""DataFrames benchmark (SPEC §12): typed frames cost a small multiple of the CSV export.

Run: ``python benchmarks/frames.py [--runs N] [--learners N] [--absolute]``
(needs the ``frames`` extra and the DataFrame libraries: pandas, polars,
pyarrow; a backend that is not installed is skipped). Prints ratios
measured in this run, min and median of ``--runs`` interleaved rounds
(each round times every work once, in a rotated order):

* **Out:** ``learner_frame`` of a 20,000-learner session
  (``synthetic_world(learners=20000, sessions=1, seed=0, retry_rate=0.9)``)
  for each backend, against ``learner_export`` written with ``write_csv``
  to a ``StringIO`` (target: at most 2x). Both sides start from the same
  session, whose per-learner facts an earlier statistic computed.
* **In:** ``from_frames`` of the same world (the session and its directory)
  held as PyArrow tables, against building the same values directly from
  the types (``rebuild`` and ``rebuild_directory`` of ``_common``; target:
  at most 1.5x) and against ``from_tables`` on the same rows as dicts
  (target: below 1x). Also printed: reading the Arrow columns alone (each
  column's values as Python objects, as ``from_frames`` reads them), the
  floor no way of building from Arrow goes under, and ``from_frames`` of
  the same tables as pandas and Polars frames (when installed).

Last seen (2-core VM shared with other work, 7 rounds, min / median):
pandas 0.98 / 0.97, Polars 1.39 / 1.49, PyArrow 0.87 / 0.99 (and, under
heavier load, 1.01 / 0.99, 1.18 / 1.26, 0.69 / 0.78). Polars' time goes
mostly to converting aware datetimes from Python objects. In, five runs:
``from_frames`` / building directly 0.93 / 0.89, 0.81 / 0.91, 0.83 / 0.82,
0.96 / 0.93, 0.82 / 0.87; / ``from_tables`` 0.45 / 0.50, 0.43 / 0.45,
0.43 / 0.46, 0.46 / 0.47, 0.45 / 0.46; reading the columns alone / building
directly 0.12 to 0.19; pandas frames 1.01 / 0.87, 0.82 / 0.92 and Polars
frames 1.00 / 0.97, 0.80 / 0.79 of building directly. The attempts' column
builders skip an ``__init__`` per attempt, which building directly pays.
"""

from __future__ import annotations

import enum
import importlib.util
import io
from collections.abc import Callable
from typing import Any

import attrs
from _common import median, rebuild, rebuild_directory, rounds
from _common import parser as common_parser

from programstats import Directory, Session, learner_export, write_csv
from programstats.frames import BACKENDS, from_frames, learner_frame
from programstats.frames.output import Backend
from programstats.synthetic import synthetic_world

_CHILDREN = ("slots", "registrations", "attempts", "attendances")


def _value(value: Any) -> Any:
    """A field's value as a database row holds it."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    if attrs.has(type(value)):  # collaboration, template
        return attrs.asdict(value)
    return value


def _row(value: Any, **extra: Any) -> dict[str, Any]:
    found = {f.name: _value(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.init}
    found.update(extra)
    return found


def world_rows(directory: Directory, sessions: tuple[Session, ...]) -> dict[str, list[Any]]:
    """The tables of ``from_tables`` for a world, as rows of Python values."""
    rows: dict[str, list[Any]] = {
        "groups": [_row(group) for group in directory.groups.values()],
        "users": [_row(user) for user in directory.users.values()],
        "sessions": [],
        "templates": [],
        "blocks": [],
        **{name: [] for name in _CHILDREN},
    }
    for session in sessions:
        if all(row["id"] != session.template.id for row in rows["templates"]):
            rows["templates"].append(_row(session.template))
        row = _row(session, template_id=session.template.id)
        for name in ("template", "blocks", *_CHILDREN):
            del row[name]
        rows["sessions"].append(row)
        for position, block in enumerate(session.blocks):
            rows["blocks"].append(_row(block, session_id=session.id, position=position))
        for name in _CHILDREN:
            rows[name] += [_row(item, session_id=session.id) for item in getattr(session, name)]
    return rows


def measure_in(sessions: tuple[Session, ...], directory: Directory, runs: int) -> None:
    """In: ``from_frames`` of PyArrow tables against building directly and ``from_tables``."""
    if importlib.util.find_spec("pyarrow") is None:
        print("In: not measured (pyarrow is not installed)")
        return
    import pyarrow as pa

    from programstats.frames.schema import Frame
    from programstats.records import from_tables
    from programstats.records.format import rules
    from programstats.records.tables import check_options

    (session,) = sessions
    rows = world_rows(directory, sessions)
    tables = {name: pa.Table.from_pylist(items) for name, items in rows.items()}
    found = from_frames(**tables)
    assert found == from_tables(**rows)
    assert found.sessions == sessions and found.directory == directory

    def read_columns() -> None:
        """Every column's values as Python objects, as from_frames reads them."""
        import narwhals.stable.v1 as nw

        options = check_options(None, None)
        for name, table in tables.items():
            frame = Frame(name, nw.from_native(table, eager_only=True), rules(), options)
            for column in frame.names("field", "structural"):
                frame.values(column)

    works: dict[str, Callable[[], object]] = {
        "direct": lambda: (rebuild(session), rebuild_directory(directory)),
        "from_frames": lambda: from_frames(**tables),
        "from_tables": lambda: from_tables(**rows),
        "columns": read_columns,
    }
    for backend in ("pandas", "polars"):  # the same tables in the other libraries
        if importlib.util.find_spec(backend) is not None:
            frames = _converted(tables, backend)
            assert from_frames(**frames) == found
            works[f"{backend} frames"] = lambda frames=frames: from_frames(**frames)
    times = rounds(runs, works)
    low = {name: min(found) for name, found in times.items()}
    middle = {name: median(found) for name, found in times.items()}
    print(f"In ({runs} interleaved rounds), min / median:")
    for name, base, target in (("direct", "building directly", "<= 1.5"),
                               ("from_tables", "from_tables on rows", "< 1")):  # fmt: skip
        print(
            f"  from_frames / {base:20} {low['from_frames'] / low[name]:.2f}x / "
            f"{middle['from_frames'] / middle[name]:.2f}x (target {target})"
        )
    print(
        f"  reading the columns alone / building directly {low['columns'] / low['direct']:.2f}x / "
        f"{middle['columns'] / middle['direct']:.2f}x"
    )
    for name in ("pandas frames", "polars frames"):
        if name in works:
            print(
                f"  from_frames of {name} / building directly "
                f"{low[name] / low['direct']:.2f}x / {middle[name] / middle['direct']:.2f}x"
            )
    for name in works:
        print(f"  {name:14} min {low[name]:.3f} s, median {middle[name]:.3f} s")


def _converted(tables: dict[str, Any], backend: str) -> dict[str, Any]:
    """The Arrow tables as pandas or Polars frames (as those libraries convert them)."""
    if backend == "pandas":
        return {name: table.to_pandas() for name, table in tables.items()}
    import polars

    return {name: polars.from_arrow(table) for name, table in tables.items()}


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.set_defaults(runs=7)
    parser.add_argument("--learners", type=int, default=20_000)
    args = parser.parse_args()
    world = synthetic_world(learners=args.learners, sessions=1, seed=0, retry_rate=0.9)
    sessions, directory = world.sessions, world.directory

    def csv_export() -> None:
        write_csv(learner_export(sessions, directory), io.StringIO())

    def frame_of(backend: Backend) -> Callable[[], object]:
        return lambda: learner_frame(sessions, directory, backend=backend)

    installed = [b for b in BACKENDS if importlib.util.find_spec(b) is not None]
    works: dict[str, Callable[[], object]] = {"csv": csv_export}
    works.update({backend: frame_of(backend) for backend in installed})
    for work in works.values():  # facts computed, libraries imported, caches warm
        work()
    times = rounds(args.runs, works)
    low = {name: min(found) for name, found in times.items()}
    middle = {name: median(found) for name, found in times.items()}

    (session,) = sessions
    print(
        f"session: {args.learners:,} learners, {len(session.blocks)} blocks, "
        f"{len(session.attempts):,} attempts; {args.runs} interleaved rounds"
    )
    print("Out: learner_frame / learner_export + write_csv (target <= 2), min / median")
    for backend in installed:
        print(
            f"  {backend:8} {low[backend] / low['csv']:.2f}x / "
            f"{middle[backend] / middle['csv']:.2f}x"
        )
    if args.absolute:
        for name in works:
            print(f"  {name:8} min {low[name]:.3f} s, median {middle[name]:.3f} s")
    measure_in(sessions, directory, args.runs)


if __name__ == "__main__":
    main()
