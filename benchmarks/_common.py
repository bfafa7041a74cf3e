"""What the benchmarks share: timing and their command line."""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``work``, each after a full collection."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


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
