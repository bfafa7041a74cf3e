"""Benchmark of the per-learner export (issue: exports).

Run: ``python benchmarks/export.py [--learners N]``. Prints ratios measured
in this run, not absolute times (which depend on the machine):

* export / csv floor: ``learner_export`` + ``write_csv`` of one session
  (20,000 learners by default, 12 blocks: 8 courses, 2 assessments, 2
  classroom blocks of 2 slots; about 15 attempts per learner) divided by the
  time the standard ``csv`` writer takes to write the very same rows. Both
  write to a real file (``os.devnull`` opened with ``newline=""`` and UTF-8,
  as a caller would open an export file). "cold" includes computing the
  session's per-learner facts; "warm" reuses facts an earlier statistic
  computed.
* doubling: export time for 2N learners divided by the time for N.
* memory: tracemalloc peak while exporting (cold) to a sink that keeps
  nothing, divided by the size of the CSV text (UTF-8 bytes).

``--timezone Europe/Paris`` exports in that zone given by name,
``--timezone Europe/Paris --zoneinfo`` as a ``zoneinfo.ZoneInfo`` object.
Targets: at most 2x the floor cold and warm, peak at most 0.5x the CSV.
"""

from __future__ import annotations

import csv
import gc
import os
import tracemalloc
import zoneinfo
from typing import TextIO

import attrs
from _common import interleaved
from _common import parser as common_parser

from programstats import ExportOptions, Session, learner_export, write_csv
from programstats.synthetic import synthetic_world

RETRY_RATE = 1.0  # about 15 attempts per learner on the 12-block program


class Sink:
    """A text stream that keeps nothing but the number of bytes written."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text.encode("utf-8"))
        return len(text)


class NullSink:
    """A text stream that keeps nothing at all."""

    def write(self, text: str) -> int:
        return len(text)


def devnull() -> TextIO:
    """A real file that keeps nothing, opened as an export file should be."""
    return open(os.devnull, "w", encoding="utf-8", newline="")


def fresh(session: Session) -> Session:
    """An equal session without the facts an earlier run cached."""
    return attrs.evolve(session)


def measure(learners: int, runs: int, options: ExportOptions) -> dict[str, float]:
    world = synthetic_world(learners=learners, sessions=1, seed=1, retry_rate=RETRY_RATE)
    directory = world.directory
    (session,) = world.sessions
    rows = list(learner_export([session], directory, options).rows)
    header = learner_export([session], directory, options).header

    def floor() -> None:
        with devnull() as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(rows)

    copies = [fresh(session) for _ in range(runs)]

    def cold() -> None:
        with devnull() as out:
            write_csv(learner_export([copies.pop()], directory, options), out)

    def warm() -> None:
        with devnull() as out:
            write_csv(learner_export([session], directory, options), out)

    found = interleaved(runs, {"floor": floor, "cold": cold, "warm": warm})

    sink = Sink()
    write_csv(learner_export([session], directory, options), sink)
    target = fresh(session)
    gc.collect()
    tracemalloc.start()
    write_csv(learner_export([target], directory, options), NullSink())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "attempts per learner": len(session.attempts) / learners,
        "cells": len(rows) * len(header),
        "floor": found["floor"],
        "cold": found["cold"],
        "warm": found["warm"],
        "csv bytes": sink.size,
        "peak": peak,
    }


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--timezone", default="UTC", help="an IANA zone name")
    parser.add_argument(
        "--zoneinfo", action="store_true", help="pass the zone as a zoneinfo.ZoneInfo object"
    )
    args = parser.parse_args()
    zone = zoneinfo.ZoneInfo(args.timezone) if args.zoneinfo else args.timezone
    options = ExportOptions(timezone=zone)

    half = measure(args.learners // 2, args.runs, options)
    full = measure(args.learners, args.runs, options)
    print(
        f"session: {args.learners} learners, 12 blocks, zone {zone!r}, "
        f"{full['attempts per learner']:.1f} attempts per learner, {full['cells']:,} cells"
    )
    print(f"export / csv floor (cold facts): {full['cold'] / full['floor']:.2f}x  (target <= 2)")
    print(f"export / csv floor (warm facts): {full['warm'] / full['floor']:.2f}x  (target <= 2)")
    print(f"doubling the learners (cold):   {full['cold'] / half['cold']:.2f}x  (target <= 2.2)")
    print(
        f"peak memory / CSV size (cold):  {full['peak'] / full['csv bytes']:.2f}x  (target <= 0.5)"
    )
    if args.absolute:
        print(
            f"  floor {full['floor']:.3f} s, cold {full['cold']:.3f} s, "
            f"warm {full['warm']:.3f} s, peak {full['peak'] / 1e6:.1f} MB, "
            f"CSV {full['csv bytes'] / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
