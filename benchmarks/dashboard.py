"""Benchmark of the group dashboard over many sessions.

Run: ``python benchmarks/dashboard.py [--sessions N] [--learners N]``.
2,000 sessions of 50 learners each by default. Prints, from one run:

* the dashboard on fresh sessions divided by computing the per-learner facts
  of the same sessions alone: close to 1 means the dashboard is that one
  pass per session plus little (no session re-scanned per month);
* the dashboard on sessions whose facts are already known, relative to cold;
* doubling: dashboard time for 2N sessions / time for N.
"""

from __future__ import annotations

from datetime import timezone

import attrs
from _common import best_of
from _common import parser as common_parser

from programstats import group_dashboard
from programstats.facts import facts_of
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world

GROUP = "paris-sales"


def measure(sessions: int, learners: int) -> dict[str, float]:
    world = synthetic_world(learners=learners, sessions=sessions, seed=3)
    directory = world.directory

    def fresh():
        return [attrs.evolve(s) for s in world.sessions]

    batch = fresh()
    considered = [s for s in batch if GROUP in s.group_ids | s.catalog_group_ids]
    facts_only = best_of(1, lambda: [facts_of(s) for s in considered])
    batch = fresh()
    cold = best_of(
        1, lambda: group_dashboard(GROUP, batch, directory, DEFAULT_ANCHOR, timezone.utc)
    )
    warm = best_of(
        1, lambda: group_dashboard(GROUP, batch, directory, DEFAULT_ANCHOR, "Europe/Paris")
    )
    return {"facts": facts_only, "cold": cold, "warm": warm, "sessions": sessions}


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.add_argument("--sessions", type=int, default=2_000)
    parser.add_argument("--learners", type=int, default=50)
    args = parser.parse_args()
    half = measure(args.sessions // 2, args.learners)
    full = measure(args.sessions, args.learners)
    print(f"{args.sessions} sessions of {args.learners} learners")
    print(
        f"dashboard (cold) / facts of the sessions it considers: "
        f"{full['cold'] / full['facts']:.2f}x"
    )
    print(f"dashboard (warm, Europe/Paris) / dashboard (cold): {full['warm'] / full['cold']:.2f}x")
    print(f"doubling the sessions (cold): {full['cold'] / half['cold']:.2f}x")
    if args.absolute:
        print(f"  cold: {full['cold']:.3f} s; warm: {full['warm']:.3f} s")


if __name__ == "__main__":
    main()
