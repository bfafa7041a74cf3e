"""Scaling benchmark: cost at n and 4n in every dimension of the input.

Run: ``python benchmarks/scaling.py [--runs N] [--absolute] [--only NAME]``.
For each dimension (group-tree depth, groups a viewer manages, columns
selected, learners x blocks with almost no attempts, number of sessions,
attempts) it builds inputs of size n and 4n, times the public calls that
depend on that dimension on both in the same run, and prints the ratio
time(4n) / time(n). Near-linear cost gives about 4x; the target is at most
5x. Every call gets fresh sessions (facts not yet computed), built outside
the timing. The whole run takes about two minutes with the default three
timings per figure (the fastest one is kept).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import attrs
from _common import parser as common_parser

from programstats import (
    Attempt,
    Block,
    BlockKind,
    Directory,
    ExportOptions,
    Group,
    Registration,
    Session,
    Status,
    Table,
    User,
    Viewer,
    block_results,
    can_view,
    collaboration_table,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    sessions_table,
    template_results,
    visible_sessions,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world

# A call to time: given the world built for one size, do the work.
Call = Callable[[dict[str, Any]], object]


def timed(runs: int, world: dict[str, Any], call: Call) -> float:
    """The fastest of ``runs`` timings of ``call``, each on fresh sessions."""
    times = []
    for _ in range(runs):
        fresh = {
            key: (
                [attrs.evolve(s) for s in value]
                if isinstance(value, list) and value and isinstance(value[0], Session)
                else attrs.evolve(value)
                if isinstance(value, Session)
                else value
            )
            for key, value in world.items()
        }
        gc.collect()
        started = time.perf_counter()
        call(fresh)
        times.append(time.perf_counter() - started)
    return min(times)


def _with_groups(groups: list[Group]) -> Directory:
    base = tiny_directory()
    return Directory(users=base.users.values(), groups=[*base.groups.values(), *groups])


def depth_world(depth: int) -> dict[str, Any]:
    """One chain of ``depth`` groups; a session on every 10th of them."""
    chain = [Group(id="d0", name="Level 0")]
    chain += [Group(id=f"d{i}", name=f"Level {i}", parent_id=f"d{i - 1}") for i in range(1, depth)]
    directory = _with_groups(chain)
    named = {f"d{i}" for i in range(0, depth, 10)}
    session = attrs.evolve(tiny_session(), group_ids=named | {"sales"})
    return {
        "directory": directory,
        "session": session,
        "sessions": [attrs.evolve(session, id=f"s{i}") for i in range(20)],
        # Manages the deepest group: every walk goes up to the root.
        "viewer": Viewer(user_id="bob", coached_group_ids={f"d{depth - 1}"}),
    }


def managed_world(count: int) -> dict[str, Any]:
    """``count`` flat groups, all assigned to the session and all managed by the viewer."""
    groups = [Group(id=f"m{i}", name=f"Team {i}") for i in range(count)]
    ids = {group.id for group in groups}
    session = attrs.evolve(tiny_session(), group_ids=ids | {"sales"})
    return {
        "directory": _with_groups(groups),
        "session": session,
        "sessions": [attrs.evolve(session, id=f"s{i}") for i in range(20)],
        "viewer": Viewer(user_id="bob", administered_group_ids=ids),
    }


def columns_world(count: int) -> dict[str, Any]:
    """A table of ``count`` columns and 10 rows."""
    header = tuple(f"column {i}" for i in range(count))
    rows = [tuple(f"{r}.{i}" for i in range(count)) for r in range(10)]
    return {"table": Table(header=header, rows=rows), "names": list(reversed(header))}


def sparse_world(learners: int, blocks: int) -> dict[str, Any]:
    """``learners`` x ``blocks`` with one attempt in all (almost no activity)."""
    base = tiny_session()
    users = [
        User(id=f"u{i}", first_name="L", last_name=f"N{i}", email=f"u{i}@example.com")
        for i in range(learners)
    ]
    staff = tiny_directory().users.values()
    directory = Directory(users=[*staff, *users], groups=tiny_directory().groups.values())
    at = base.start + timedelta(days=1)
    session = attrs.evolve(
        base,
        blocks=[
            Block(id=f"b{i}", title=f"Block {i}", kind=BlockKind.COURSE) for i in range(blocks)
        ],
        slots=[],
        attendances=[],
        certificate_user_ids=set(),
        registrations=[Registration(user_id=u.id, registered_at=base.start) for u in users],
        attempts=[
            Attempt(
                user_id="u0",
                block_id="b0",
                started_at=at,
                last_activity_at=at,
                time_spent=timedelta(minutes=5),
                score=50,
            )
        ],
    )
    return {"directory": directory, "session": session}


def sessions_world(count: int) -> dict[str, Any]:
    """``count`` small sessions (four learners each)."""
    base = tiny_session()
    return {
        "directory": tiny_directory(),
        "sessions": [attrs.evolve(base, id=f"s{i}") for i in range(count)],
        "viewer": Viewer(user_id="bob", coached_group_ids={"company"}),
    }


def attempts_world(learners: int) -> dict[str, Any]:
    world = synthetic_world(learners=learners, sessions=1, seed=5)
    return {"directory": world.directory, "session": world.sessions[0]}


def _rows(table: Table) -> int:
    return sum(1 for _ in table.rows)


def _stats(w: dict[str, Any]) -> object:
    session, directory = w["session"], w["directory"]
    return (
        session_overview(session),
        group_results(session, directory),
        learner_results(session, directory),
        block_results(session),
    )


now = tiny_session().start + timedelta(days=10)

# dimension -> (build world of size n, n, calls by name)
DIMENSIONS: dict[str, tuple[Callable[[int], dict[str, Any]], int, dict[str, Call]]] = {
    "group-tree depth": (
        depth_world,
        2_500,
        {
            "can_view": lambda w: can_view(w["viewer"], w["session"], w["directory"]),
            "visible_sessions": lambda w: visible_sessions(
                w["viewer"], w["sessions"], w["directory"]
            ),
            "sessions_table": lambda w: _rows(
                sessions_table(w["sessions"], w["directory"], w["viewer"], now, Status.ALL)
            ),
            "group_results": lambda w: group_results(w["session"], w["directory"]),
            "learner_export (viewer)": lambda w: _rows(
                learner_export([w["session"]], w["directory"], ExportOptions(viewer=w["viewer"]))
            ),
        },
    ),
    "groups a viewer manages": (
        managed_world,
        1_000,
        {
            "visible_sessions": lambda w: visible_sessions(
                w["viewer"], w["sessions"], w["directory"]
            ),
            "sessions_table": lambda w: _rows(
                sessions_table(w["sessions"], w["directory"], w["viewer"], now, Status.ALL)
            ),
            "learner_export (viewer)": lambda w: _rows(
                learner_export([w["session"]], w["directory"], ExportOptions(viewer=w["viewer"]))
            ),
            "group_results": lambda w: group_results(w["session"], w["directory"]),
        },
    ),
    "columns selected": (
        columns_world,
        5_000,
        {
            "Table.select": lambda w: _rows(w["table"].select(w["names"])),
            "Table.to_dicts": lambda w: w["table"].to_dicts(),
        },
    ),
    "learners x blocks, ~no attempts": (
        # n = 500 learners x 5,000 blocks; 4n doubles both.
        lambda n: sparse_world(n, n * 10),
        500,
        {
            "statistics": _stats,
            "learner_export": lambda w: _rows(learner_export([w["session"]], w["directory"])),
        },
    ),
    "sessions": (
        sessions_world,
        1_000,
        {
            "visible_sessions": lambda w: visible_sessions(
                w["viewer"], w["sessions"], w["directory"]
            ),
            "sessions_table": lambda w: _rows(
                sessions_table(w["sessions"], w["directory"], w["viewer"], now)
            ),
            "group_dashboard": lambda w: group_dashboard(
                "sales", w["sessions"], w["directory"], DEFAULT_ANCHOR, "Europe/Paris"
            ),
            "template_results": lambda w: template_results(
                "onboarding", w["sessions"], w["directory"]
            ),
            "collaboration_table": lambda w: _rows(collaboration_table(w["sessions"])),
            "learner_export": lambda w: _rows(learner_export(w["sessions"], w["directory"])),
        },
    ),
    "attempts (reference)": (
        attempts_world,
        250,
        {
            "statistics": _stats,
            "learner_export": lambda w: _rows(learner_export([w["session"]], w["directory"])),
        },
    ),
}

# The learners x blocks dimension grows both sides: n -> 2n learners and blocks.
_SIZES: dict[str, Callable[[int], int]] = {"learners x blocks, ~no attempts": lambda n: 2 * n}


def measure(runs: int, only: str | None) -> Iterator[tuple[str, str, float, float]]:
    """(dimension, call, time at n, time at 4n) for every call of every dimension."""
    for dimension, (build, n, calls) in DIMENSIONS.items():
        if only is not None and only not in dimension:
            continue
        small = build(n)
        large = build(_SIZES.get(dimension, lambda k: 4 * k)(n))
        for name, call in calls.items():
            yield dimension, name, timed(runs, small, call), timed(runs, large, call)


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.add_argument("--only", help="run the dimensions whose name contains this text")
    args = parser.parse_args()
    print("time(4n) / time(n), target <= 5x")
    for dimension, name, small, large in measure(args.runs, args.only):
        line = f"{dimension:33} {name:25} {large / small:6.2f}x"
        if args.absolute:
            line += f"   n: {small * 1000:9.2f} ms   4n: {large * 1000:9.2f} ms"
        print(line, flush=True)


if __name__ == "__main__":
    main()
