"""Benchmark of session construction and the four session statistics.

Run: ``python benchmarks/statistics.py [--learners N]``. One session of
20,000 learners on the 12-block program, about 15 attempts each (about
300,000 attempts). Prints, from one run:

* construction: time to build the Session (validation of every reference)
  per attempt, and as a multiple of a bare loop reading each attempt's
  fields;
* statistics: session_overview + learner_results + group_results +
  block_results on a fresh session (facts computed inside), per attempt,
  and as a multiple of the same bare loop;
* doubling: statistics time for 2N learners / time for N.

The targets are absolute (construction well under a second; at most
1 µs per attempt for the four statistics, facts included; doubling the
learners at most 2.1x): ``--absolute`` also prints those times, which
depend on the machine.
"""

from __future__ import annotations

import attrs
from _common import four_statistics, interleaved
from _common import parser as common_parser

from programstats import (
    Session,
)
from programstats.synthetic import synthetic_world


def measure(learners: int, runs: int) -> dict[str, float]:
    world = synthetic_world(learners=learners, sessions=1, seed=1, retry_rate=1.0)
    directory = world.directory
    (session,) = world.sessions
    attempts = session.attempts

    def bare_loop() -> None:
        for attempt in attempts:
            _ = (
                attempt.user_id,
                attempt.block_id,
                attempt.started_at,
                attempt.last_activity_at,
                attempt.score,
                attempt.time_spent,
                attempt.completed,
            )

    def construct() -> None:
        attrs.evolve(session)

    copies: list[Session] = []

    def prepare() -> None:
        copies[:] = [attrs.evolve(session) for _ in range(runs)]

    def statistics() -> None:
        four_statistics(copies.pop(), directory)

    prepare()
    found = interleaved(runs, {"loop": bare_loop, "construct": construct, "statistics": statistics})
    return {"attempts": len(attempts), **found}


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.add_argument("--learners", type=int, default=20_000)
    args = parser.parse_args()
    half = measure(args.learners // 2, args.runs)
    full = measure(args.learners, args.runs)
    n = full["attempts"]
    print(f"session: {args.learners} learners, 12 blocks, {n:,} attempts")
    print(f"construction / bare loop over the attempts: {full['construct'] / full['loop']:.2f}x")
    print(
        "overview + learner + group + block results / bare loop: "
        f"{full['statistics'] / full['loop']:.1f}x"
    )
    print(f"doubling the learners: {full['statistics'] / half['statistics']:.2f}x (target <= 2.1)")
    if args.absolute:
        print(f"  construction: {full['construct']:.3f} s (target: well under a second)")
        print(f"  statistics: {full['statistics'] / n * 1e6:.2f} µs per attempt (target <= 1 µs)")


if __name__ == "__main__":
    main()
