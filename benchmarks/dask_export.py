"""Benchmark of the per-learner export on Dask against one process (issue: Dask).

Run: ``python benchmarks/dask_export.py [--sessions 400] [--learners 250]``.
Writes the synthetic world as JSON Lines in a temporary directory (one file
per partition, sessions as ``programstats.records`` records), then, in
each of ``--runs`` rounds:

* single process: read every line, ``json.loads`` + ``structure_session``,
  ``learner_export`` + ``write_csv`` to a file;
* Dask: a ``LocalCluster`` of 2 worker processes (1 thread each) is given
  the file names: ``programstats.dask.learner_export_csv`` over
  ``dask.bag.read_text(...).map(json.loads).map(structure_session)`` loads
  the sessions **on the workers** and writes the same file.

Both sides read the directory and every session inside the timed region
and do the same work; the cluster is started once, outside it, and its
workers import the library before the first round. The two
files must be byte-identical (asserted). Prints, per round, the speedup
(single / Dask, measured in the same round), the 1-minute load average
before the round (other processes on the machine skew a 2-core speedup),
and the scheduling overhead per partition (a graph of the same shape whose
tasks do nothing, divided by its task count); then min/median over the
rounds.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import dask
import dask.bag
from _common import parser as common_parser
from distributed import Client, LocalCluster, get_task_stream

from programstats import ExportOptions, learner_export, write_csv
from programstats import dask as pdask
from programstats.records import structure_directory, structure_session, to_record
from programstats.synthetic import synthetic_world


def write_world(folder: Path, sessions: int, learners: int, files: int) -> None:
    """The world as ``directory.json`` and ``sessions-NNN.jsonl`` files."""
    world = synthetic_world(learners=learners, sessions=sessions, seed=11)
    (folder / "directory.json").write_text(json.dumps(to_record(world.directory)))
    per_file = -(-sessions // files)
    for number in range(files):
        chunk = world.sessions[number * per_file : (number + 1) * per_file]
        with open(folder / f"sessions-{number:03}.jsonl", "w", encoding="utf-8") as out:
            for session in chunk:
                out.write(json.dumps(to_record(session)) + "\n")


def single_process(folder: Path, options: ExportOptions, target: Path) -> tuple[int, float]:
    """The row count, and the seconds spent loading the sessions."""
    started = time.perf_counter()
    directory = structure_directory(json.loads((folder / "directory.json").read_text()))
    found = []
    for path in sorted(folder.glob("sessions-*.jsonl")):
        with open(path, encoding="utf-8") as lines:
            found += [structure_session(json.loads(line)) for line in lines]
    loading = time.perf_counter() - started
    with open(target, "w", encoding="utf-8", newline="") as out:
        return write_csv(learner_export(found, directory, options), out, options), loading


def on_dask(folder: Path, options: ExportOptions, target: Path) -> int:
    directory = structure_directory(json.loads((folder / "directory.json").read_text()))
    pattern = str(folder / "sessions-*.jsonl")
    bag = dask.bag.read_text(pattern).map(json.loads).map(structure_session)
    return pdask.learner_export_csv(bag, directory, options, target)


def warm_up() -> None:
    """Import on a worker what the timed export runs there."""
    import programstats.dask
    import programstats.records  # noqa: F401


def phases(tasks: list[dict[str, Any]], seconds: float, workers: int) -> str:
    """Where the workers' time went, from Dask's task stream of one export."""
    spent: dict[str, float] = {}
    for task in tasks:
        name = str(task["key"][0] if isinstance(task["key"], tuple) else task["key"])
        for step in task["startstops"]:
            if step["action"] != "compute":
                phase = step["action"]  # transfer, disk-write, disk-read
            elif "_finish_part" in name:
                phase = "adding merged columns"
            elif "_render_part" in name:
                phase = "load + layout + rows"
            else:
                phase = "layout merge and other"
            spent[phase] = spent.get(phase, 0.0) + step["stop"] - step["start"]
    busy = sum(spent.values())
    shares = ", ".join(f"{phase} {time / busy:.0%}" for phase, time in sorted(spent.items()))
    return f"workers busy {busy / (workers * seconds):.0%} of the run ({shares})"


def median(values: list[float]) -> float:
    """The median (``statistics`` is shadowed by ``benchmarks/statistics.py``)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def overhead_per_partition(partitions: int) -> float:
    """Seconds per partition of do-nothing tasks shaped like the export.

    The export's graph: one task per partition (load, layout, rows) kept on
    the workers, a tree reduction of the layouts, one task per partition
    adding the merged columns, gathered in partition order.
    """
    bag = dask.bag.from_sequence(range(partitions), npartitions=partitions)
    started = time.perf_counter()
    kept = bag.map_partitions(list).persist()
    kept.reduction(len, sum).compute()
    dask.compute(*kept.map_partitions(list).to_delayed())
    return (time.perf_counter() - started) / partitions


def main() -> None:
    args = common_parser(__doc__ or "")
    args.add_argument("--sessions", type=int, default=400)
    args.add_argument("--learners", type=int, default=250)
    args.add_argument("--files", type=int, default=16, help="JSON Lines files = partitions")
    options_given = args.parse_args()
    options = ExportOptions(bom=True)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        write_world(folder, options_given.sessions, options_given.learners, options_given.files)
        print(
            f"{options_given.sessions} sessions x {options_given.learners} learners as JSON Lines "
            f"in {options_given.files} files ({time.perf_counter() - started:.0f} s to build)"
        )
        speedups, overheads = [], []
        with (
            LocalCluster(
                n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
            dask.config.set(scheduler=client.get),
        ):
            # Part of starting the cluster: the workers import the library
            # (and cattrs, dask.bag) before the first timed run, as a
            # long-running cluster's workers have.
            client.run(warm_up)
            for run in range(options_given.runs):
                load = os.getloadavg()[0]
                started = time.perf_counter()
                rows, loading = single_process(folder, options, folder / "single.csv")
                single = time.perf_counter() - started
                with get_task_stream(client) as stream:
                    started = time.perf_counter()
                    dask_rows = on_dask(folder, options, folder / "dask.csv")
                    distributed = time.perf_counter() - started
                same = (folder / "single.csv").read_bytes() == (folder / "dask.csv").read_bytes()
                assert same and rows == dask_rows, "the Dask export differs from one process"
                overhead = overhead_per_partition(options_given.files)
                speedups.append(single / distributed)
                overheads.append(overhead)
                extra = (
                    f" (single {single:.1f} s, dask {distributed:.1f} s)"
                    if options_given.absolute
                    else ""
                )
                print(
                    f"run {run + 1}: {rows} rows, bytes identical; "
                    f"speedup x{single / distributed:.2f}{extra}; load before {load:.2f}; "
                    f"scheduling overhead {overhead * 1000:.1f} ms per partition"
                )
                print(
                    f"  single: loading {loading / single:.0%}, export and writing "
                    f"{1 - loading / single:.0%}; dask: {phases(stream.data, distributed, 2)}"
                )
        print(
            f"speedup min x{min(speedups):.2f} median x{median(speedups):.2f}; "
            f"overhead per partition min {min(overheads) * 1000:.1f} ms "
            f"median {median(overheads) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
