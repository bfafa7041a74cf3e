"""Benchmark of many learners on many blocks with few attempts (a cost cliff).

Run: ``python benchmarks/learners_blocks.py [--learners N] [--blocks K]``.
One session of 2,000 learners on a 20,000-block program and no attempt
(by default; ``--attempt-every 100`` gives one attempt per 100 learners).
Prints the time and the tracemalloc peak of the four statistics and of the
per-learner export (facts computed inside), and the same at 4x the
learners (the ratio should stay near 4).

Without ``--absolute`` it prints only the ratios; the absolute figures let a
before/after comparison on one machine check the improvement.
"""

from __future__ import annotations

import gc
import os
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

import attrs
from _common import parser as common_parser

from programstats import (
    Attempt,
    Block,
    BlockKind,
    Directory,
    ProgramTemplate,
    Registration,
    Session,
    User,
    block_results,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    write_csv,
)

START = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


def world(learners: int, blocks: int, every: int) -> tuple[Session, Directory]:
    users = [User(id="author", first_name="A", last_name="Author", email="a@x.org")]
    users += [
        User(id=f"u{i}", first_name=f"F{i}", last_name=f"L{i}", email=f"u{i}@x.org")
        for i in range(learners)
    ]
    attempts = [
        Attempt(
            user_id=f"u{i}",
            block_id=f"b{i % blocks}",
            started_at=START,
            last_activity_at=START + timedelta(minutes=5),
            score=50.0,
            time_spent=timedelta(minutes=5),
            completed=True,
        )
        for i in (range(0, learners, every) if every else ())
    ]
    session = Session(
        id="s1",
        name="Many blocks",
        template=ProgramTemplate(id="tpl", name="Wide"),
        author_id="author",
        start=START,
        end=START + timedelta(days=30),
        blocks=tuple(
            Block(id=f"b{k}", title=f"Block {k}", kind=BlockKind.COURSE) for k in range(blocks)
        ),
        registrations=tuple(
            Registration(user_id=f"u{i}", registered_at=START) for i in range(learners)
        ),
        attempts=tuple(attempts),
    )
    return session, Directory(users=users, groups=())


def _statistics(session: Session, directory: Directory) -> None:
    session_overview(session)
    learner_results(session, directory)
    group_results(session, directory)
    block_results(session)


def _export(session: Session, directory: Directory) -> None:
    with open(os.devnull, "w", encoding="utf-8", newline="") as out:
        write_csv(learner_export([session], directory), out)


def measure(learners: int, blocks: int, every: int) -> dict[str, float]:
    session, directory = world(learners, blocks, every)
    found: dict[str, float] = {}
    for name in ("statistics", "export"):
        work = _statistics if name == "statistics" else _export
        gc.collect()
        started = time.perf_counter()
        work(attrs.evolve(session), directory)  # a copy without the facts of a previous run
        found[name] = time.perf_counter() - started
        fresh = attrs.evolve(session)
        gc.collect()
        tracemalloc.start()
        work(fresh, directory)
        found[f"{name} peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return found


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.add_argument("--learners", type=int, default=2_000)
    parser.add_argument("--blocks", type=int, default=20_000)
    parser.add_argument(
        "--attempt-every", type=int, default=0, help="one attempt per N learners (0: none)"
    )
    args = parser.parse_args()
    small = measure(args.learners, args.blocks, args.attempt_every)
    big = measure(4 * args.learners, args.blocks, args.attempt_every)
    every = f"one attempt per {args.attempt_every} learners" if args.attempt_every else "no attempt"
    print(f"{args.learners} learners x {args.blocks} blocks, {every}")
    for name in ("statistics", "export"):
        print(f"{name}: 4x the learners / 1x: {big[name] / small[name]:.2f}x (near-linear <= 5)")
        if args.absolute:
            print(
                f"  {name}: {small[name]:.3f} s, peak {small[name + ' peak'] / 1e6:.1f} MB "
                "(peak measured in a separate run)"
            )


if __name__ == "__main__":
    main()
