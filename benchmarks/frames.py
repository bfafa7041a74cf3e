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
* **In:** ``from_frames`` of the same session held as Arrow tables, against
  building the same values directly (target: at most 1.5x) and against
  ``from_tables`` on the same rows as dicts (target: below 1x). Not measured
  yet: ``from_frames`` comes with the records layer's column entry point.

Last seen (2-core VM shared with other work, 7 rounds, min / median):
pandas 0.98 / 0.97, Polars 1.39 / 1.49, PyArrow 0.87 / 0.99 (and, under
heavier load, 1.01 / 0.99, 1.18 / 1.26, 0.69 / 0.78). Polars' time goes
mostly to converting aware datetimes from Python objects.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable

from _common import median, rounds
from _common import parser as common_parser

from programstats import learner_export, write_csv
from programstats.frames import BACKENDS, learner_frame
from programstats.frames.output import Backend
from programstats.synthetic import synthetic_world


def measure_in() -> None:
    """In: ``from_frames`` of the session as Arrow tables (to come).

    TO COME with ``from_frames`` (after the records layer's column entry
    point lands): the session's tables as ``pyarrow.Table``s, then, in
    interleaved rounds, ``from_frames(...)`` against building the same
    values directly from the types (target <= 1.5) and against
    ``records.from_tables`` on the same rows as dicts (target < 1).
    """
    print("In: from_frames (Arrow tables) / building the values directly (target <= 1.5),")
    print("    from_frames / from_tables on the same rows as dicts (target < 1):")
    print("  not measured yet: from_frames comes with the records layer's column entry point")


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
    measure_in()
    if args.absolute:
        for name in works:
            print(f"  {name:8} min {low[name]:.3f} s, median {middle[name]:.3f} s")


if __name__ == "__main__":
    main()
