"""Records benchmark: structuring plain data costs a small multiple of building values.

Four figures, each a ratio measured in one run (both sides on the same
loaded machine, in interleaved rounds; min / median printed):

1. ``structure_session`` on the ``json.loads`` output of ``to_record`` of a
   20,000-learner session (~290,000 attempts; nulls included) against
   building the same session directly from the types (target: at most 2x);
2. ``structure_world(on_error="skip")`` against ``on_error="raise"`` on the
   same clean world (target: at most 1.1x);
3. ``programstats report learners`` on a 20,000-learner world document (CSV
   into a buffer) against ``json.loads`` of the same document plus the
   in-memory export of the same world (target: at most 1.6x). The
   in-memory side exports sessions built afresh, whose per-learner facts
   are not computed yet, as the report's are not. Each side runs in a
   fresh interpreter, as a command line run and a service holding its
   sessions would, each timed in its processor time (steadier than the
   wall clock on a shared machine); the report side runs ``cli.command`` (the command as
   its process runs it: the cyclic collector off), the in-memory side
   keeps the collector as a service has it;
   The report's floor is printed beside it: the in-memory side plus only
   what building the attempts, registrations and users as Python values
   needs (fields by column, timestamps and durations in C loops, values
   without ``__init__``, no check), run as the report runs;
4. ``from_tables`` on the same session as database rows -- booleans as
   ``0``/``1``, timestamps as naive UTC text read with
   ``naive_timezone="UTC"``, each child row with its ``session_id`` --
   against building it directly (target: at most 2x: "every valid input");
5. groups: structuring n and 4n groups (``--groups``, 4,000 by default) in
   every order -- parents first, children first, shuffled; a valid tree,
   a chain under a bad root, a cycle -- (target: 4n / n at most 5: linear).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

import attrs
from _common import interleaved, parser, rebuild

from programstats import (
    Attempt,
    ExportOptions,
    Registration,
    User,
    cli,
    learner_export,
    write_csv,
)
from programstats._checks import from_columns
from programstats.records import World, from_tables, structure_session, structure_world, to_record
from programstats.synthetic import synthetic_world


def report_side(path: Path) -> float:
    """Seconds of ``report learners`` on ``path``, as one command line run does it."""
    buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    gc.collect()
    started = time.process_time()
    with redirect_stdout(buffer):
        assert cli.command(["report", "learners", str(path)]) == 0
    return time.process_time() - started


def memory_side(path: Path, learners: int) -> float:
    """Seconds of ``json.loads`` of ``path`` plus the export of sessions already in memory."""
    world = synthetic_world(learners=learners, sessions=1, seed=0, retry_rate=0.9)
    # Sessions keep their facts once computed: export sessions that never were.
    fresh = [rebuild(s) for s in world.sessions]
    gc.collect()
    started = time.process_time()
    json.loads(path.read_text(encoding="utf-8"))
    write_csv(learner_export(fresh, world.directory), io.StringIO(), ExportOptions())
    return time.process_time() - started


def floor_side(path: Path, learners: int) -> float:
    """Seconds of the in-memory side plus the least any structuring of Python values costs.

    ``json.loads``; then only what building the attempts, registrations and
    users needs -- each field taken out by column, timestamps parsed and
    durations made in C loops, the values made without ``__init__`` -- with
    no check of any rule; then the export. Run as the report runs
    (collector off): the report's floor.
    """
    world = synthetic_world(learners=learners, sessions=1, seed=0, retry_rate=0.9)
    fresh = [rebuild(s) for s in world.sessions]
    gc.collect()
    gc.disable()
    started = time.process_time()
    doc = json.loads(path.read_text(encoding="utf-8"))
    for name, cls in (("attempts", Attempt), ("registrations", Registration), ("users", User)):
        records = doc["users"] if name == "users" else doc["sessions"][0][name]
        columns = []
        for field in attrs.fields(cls):
            column = list(map(itemgetter(field.name), records))
            if field.name in ("started_at", "last_activity_at", "registered_at"):
                column = list(map(datetime.fromisoformat, column))
            elif field.name == "time_spent":
                seconds = {value: timedelta(seconds=value) for value in set(column)}
                column = list(map(seconds.__getitem__, column))
            columns.append(column)
        from_columns(cls, columns)
    write_csv(learner_export(fresh, world.directory), io.StringIO(), ExportOptions())
    return time.process_time() - started


def in_own_process(side: str, path: Path, learners: int) -> float:
    """Run one side in a fresh interpreter: each pays the collector for its own heap only."""
    done = subprocess.run(
        [sys.executable, __file__, "--side", side, str(path), "--learners", str(learners)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.split()[-1])


def database_rows(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The world document as a database holds it: flat tables, 0/1 flags, naive UTC text."""
    tables: dict[str, list[dict[str, Any]]] = {"groups": doc["groups"], "users": doc["users"]}
    for name in ("sessions", "templates", "blocks", "slots", "registrations", "attempts"):
        tables[name] = []
    tables["attendances"] = []
    for record in doc["sessions"]:
        session = dict(record)
        sid = session["id"]
        template = session.pop("template")
        tables["templates"].append(template)
        session["template_id"] = template["id"]
        for position, block in enumerate(session.pop("blocks")):
            tables["blocks"].append({**block, "session_id": sid, "position": position})
        for name in ("slots", "registrations", "attempts", "attendances"):
            tables[name] += [_as_stored(row, sid) for row in session.pop(name)]
        tables["sessions"].append(session)
    return tables


def _as_stored(row: dict[str, Any], session_id: str) -> dict[str, Any]:
    """A child row as a database without booleans or zones stores it."""
    found: dict[str, Any] = {"session_id": session_id}
    for key, value in row.items():
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, str) and value.endswith("+00:00"):
            value = value[: -len("+00:00")]
        found[key] = value
    return found


def group_records(shape: str, order: str, count: int) -> list[dict[str, object]]:
    """``count`` group records of a tree of ``shape``, listed in ``order``."""
    if shape == "cycle":
        found = [
            {"id": f"g{n}", "name": "G", "parent_id": f"g{(n + 1) % count}"} for n in range(count)
        ]
    else:
        root = {"id": "g0", "name": 0 if shape == "bad root" else "Root", "parent_id": None}
        found = [root] + [
            {
                "id": f"g{n}",
                "name": "G",
                "parent_id": f"g{(n - 1) // 3 if shape == 'tree' else n - 1}",
            }
            for n in range(1, count)
        ]
    if order == "children first":
        return found[::-1]
    if order == "shuffled":
        random.Random(count).shuffle(found)
    return found


def groups_ratios(count: int, runs: int) -> dict[str, list[float]]:
    """4n / n of structuring groups, for each shape and order."""
    found: dict[str, list[float]] = {}
    for shape in ("tree", "bad root", "cycle"):
        for order in ("parents first", "children first", "shuffled"):
            docs = {
                size: {"groups": group_records(shape, order, size), "users": [], "sessions": []}
                for size in (count, 4 * count)
            }
            times = interleaved(
                runs,
                {
                    size: (lambda doc=doc: structure_world(doc, on_error="skip"))
                    for size, doc in docs.items()
                },
            )
            found[f"groups {shape}, {order}"] = [times[4 * count] / times[count]]
    return found


def main() -> None:
    arguments = parser(__doc__)
    arguments.add_argument("--side", choices=("report", "memory", "floor"), help=argparse.SUPPRESS)
    arguments.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    arguments.add_argument("--learners", type=int, default=20_000)
    arguments.add_argument("--groups", type=int, default=4_000)
    arguments.set_defaults(runs=5)
    args = arguments.parse_args()
    learners = args.learners
    if args.side == "report":
        print(report_side(args.path))
        return
    if args.side == "memory":
        print(memory_side(args.path, learners))
        return
    if args.side == "floor":
        print(floor_side(args.path, learners))
        return
    # Groups first, while the process holds nothing else: the collector's
    # walks of a large world would be counted in each side otherwise.
    groups = groups_ratios(args.groups, max(args.runs, 7))
    world = synthetic_world(learners=learners, sessions=1, seed=0, retry_rate=0.9)
    session = world.sessions[0]
    record = json.loads(json.dumps(to_record(session)))
    assert structure_session(record) == session == rebuild(session)
    print(f"session: {learners} learners, {len(session.attempts)} attempts")

    ratios: dict[str, list[float]] = {
        "structure": [],
        "skip": [],
        "report": [],
        "report floor": [],
        "database rows": [],
    }
    doc_text = json.dumps(to_record(World(directory=world.directory, sessions=world.sessions)))
    doc = json.loads(doc_text)
    rows = database_rows(json.loads(doc_text))
    assert from_tables(**rows, naive_timezone="UTC").sessions == world.sessions
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "world.json"
        path.write_text(doc_text, encoding="utf-8")
        for _ in range(args.runs):
            times = interleaved(
                1,
                {
                    "direct": lambda: rebuild(session),
                    "structure": lambda: structure_session(record),
                    "raise": lambda: structure_world(doc),
                    "skip": lambda: structure_world(doc, on_error="skip"),
                    "rows": lambda: from_tables(**rows, naive_timezone="UTC"),
                },
            )
            ratios["database rows"].append(times["rows"] / times["direct"])
            ratios["structure"].append(times["structure"] / times["direct"])
            ratios["skip"].append(times["skip"] / times["raise"])
            base = in_own_process("memory", path, learners)
            command = in_own_process("report", path, learners)
            floor = in_own_process("floor", path, learners)
            ratios["report"].append(command / base)
            ratios["report floor"].append(floor / base)
            if args.absolute:
                print(
                    "  "
                    + " ".join(f"{name} {seconds:.2f}s" for name, seconds in times.items())
                    + f" in-memory {base:.2f}s report {command:.2f}s floor {floor:.2f}s"
                )
    ratios.update(groups)
    targets = {
        "structure": 2.0,
        "skip": 1.1,
        "report": 1.6,
        "report floor": 1.6,
        "database rows": 2.0,
    }
    for name, found in ratios.items():
        found.sort()
        target = targets.get(name, 5.0)
        print(
            f"{name:38s} ratio min {found[0]:.2f} median {found[len(found) // 2]:.2f} "
            f"(target <= {target})"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
