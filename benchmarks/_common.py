"""What the benchmarks share: timing and their command line."""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

from programstats import (
    Directory,
    Session,
    block_results,
    group_results,
    learner_results,
    session_overview,
)


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``work``, each after a full collection."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def interleaved(runs: int, works: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of ``runs`` timings of each work, taken in turns (see :func:`rounds`)."""
    return {name: min(found) for name, found in rounds(runs, works).items()}


def rounds(runs: int, works: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Every one of ``runs`` timings of each work, taken in turns.

    Each round times every work once (in a rotated order), so a burst of
    load on the machine hits all of them alike and the ratios stay fair.
    """
    times: dict[str, list[float]] = {name: [] for name in works}
    names = list(works)
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            started = time.perf_counter()
            works[name]()
            times[name].append(time.perf_counter() - started)
    return times


def four_statistics(session: Session, directory: Directory) -> None:
    """The four session statistics the benchmarks time (facts computed inside when fresh)."""
    session_overview(session)
    learner_results(session, directory)
    group_results(session, directory)
    block_results(session)


def parser(doc: str) -> argparse.ArgumentParser:
    """A parser with the options every benchmark takes (its first line as help)."""
    found = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    found.add_argument("--runs", type=int, default=3, help="timings per figure (best kept)")
    found.add_argument(
        "--absolute",
        action="store_true",
        help="also print absolute times (machine-dependent) next to the ratios",
    )
    return found


def median(values: list[float]) -> float:
    """The median of ``values`` (``statistics`` is shadowed by ``benchmarks/statistics.py``)."""
    found = sorted(values)
    middle = len(found) // 2
    return found[middle] if len(found) % 2 else (found[middle - 1] + found[middle]) / 2
