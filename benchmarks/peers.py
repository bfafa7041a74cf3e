"""Benchmark against the tools a data engineer would pick: DuckDB and Polars.

Run: ``python benchmarks/peers.py [--learners N]`` (needs the ``bench``
extra: ``pip install 'programstats[bench]'``). From the same Python objects
(one session of 20,000 learners on the 12-block program by default), each
tool computes the per-learner facts of the attempts: the latest attempt of
every learner on every block (greatest started_at, then last_activity_at,
then position in the list), progress (share of blocks with a completed
attempt), score (mean latest score over scored blocks), course time (sum of
latest times on course blocks), start (first attempt) and end (last
activity on a course). Then the export's columns for them: Score and
Progress rounded half-up, Start and End as ``YYYY/MM/DD HH:mm`` in UTC, and
the course time as ``H:MM:SS``.

Printed, from one run: each peer's conversion (Python objects to Arrow or
to a DataFrame) and compute times as multiples of the library's time for
the same work, so a ratio above 1 means the library is faster. Then
DuckDB's facts, conversion included, against the library's four session
statistics (``session_overview``, ``learner_results``, ``group_results``,
``block_results``) on a session whose facts are not computed yet: above 1,
the library gives every statistic sooner than DuckDB gives the facts alone.
Before timing, every learner's score, progress and course time are checked
equal between the library and each peer.
"""

from __future__ import annotations

import math
import sys
from datetime import timedelta
from typing import Any

import attrs
from _common import best_of, four_statistics
from _common import parser as common_parser

from programstats import (
    Session,
    learner_export,
)
from programstats.facts import facts_of
from programstats.session import BlockKind
from programstats.synthetic import synthetic_world

try:
    import duckdb
    import polars as pl
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - depends on the environment
    sys.exit(
        f"benchmarks/peers.py needs DuckDB, Polars and PyArrow ({error.name} is missing): "
        "pip install 'programstats[bench]'"
    )

_MICROSECOND = timedelta(microseconds=1)

FACTS_SQL = """
WITH ranked AS (
    SELECT a.*, b.is_course, b.is_scored,
        row_number() OVER (
            PARTITION BY a.user_id, a.block_id
            ORDER BY a.started_at DESC, a.last_activity_at DESC, a.seq DESC
        ) AS rank
    FROM attempts a JOIN blocks b USING (block_id)
),
done AS (
    SELECT user_id, count(DISTINCT block_id) AS done FROM attempts WHERE completed GROUP BY ALL
),
latest AS (
    SELECT user_id,
        avg(score) FILTER (WHERE is_scored) AS score,
        CAST(coalesce(sum(time_us) FILTER (WHERE is_course), 0) AS BIGINT) AS time_us
    FROM ranked WHERE rank = 1 GROUP BY ALL
),
span AS (
    SELECT user_id, min(started_at) AS start,
        max(last_activity_at) FILTER (WHERE is_course) AS "end"
    FROM ranked GROUP BY ALL
)
SELECT latest.user_id, latest.score, 100.0 * coalesce(done.done, 0) / {blocks} AS progress,
    latest.time_us, span.start, span."end"
FROM latest JOIN span USING (user_id) LEFT JOIN done USING (user_id)
"""

EXPORT_SQL = """
SELECT user_id,
    CASE WHEN score IS NULL THEN '' ELSE CAST(floor(score + 0.5) AS BIGINT)::VARCHAR END,
    CAST(floor(progress + 0.5) AS BIGINT)::VARCHAR,
    strftime(start, '%Y/%m/%d %H:%M'),
    coalesce(strftime("end", '%Y/%m/%d %H:%M'), ''),
    format('{}:{:02d}:{:02d}', (s // 3600), (s // 60) % 60, s % 60)
FROM (SELECT *, CAST((time_us + 500000) // 1000000 AS BIGINT) AS s FROM facts)
"""


def columns(session: Session) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The attempts and the blocks as columns of plain Python values."""
    attempts = session.attempts
    found: dict[str, list[Any]] = {
        "seq": list(range(len(attempts))),
        "user_id": [a.user_id for a in attempts],
        "block_id": [a.block_id for a in attempts],
        "started_at": [a.started_at for a in attempts],
        "last_activity_at": [a.last_activity_at for a in attempts],
        "score": [None if a.score is None else float(a.score) for a in attempts],
        "time_us": [a.time_spent // _MICROSECOND for a in attempts],
        "completed": [a.completed for a in attempts],
    }
    blocks: dict[str, list[Any]] = {
        "block_id": [b.id for b in session.blocks],
        "is_course": [b.kind is BlockKind.COURSE for b in session.blocks],
        "is_scored": [b.is_scored for b in session.blocks],
    }
    return found, blocks


def duckdb_convert(session: Session) -> tuple[pa.Table, pa.Table]:
    attempts, blocks = columns(session)
    return pa.Table.from_pydict(attempts), pa.Table.from_pydict(blocks)


def duckdb_facts(tables: tuple[pa.Table, pa.Table], count: int, export: bool) -> pa.Table:
    attempts, blocks = tables
    con = duckdb.connect()
    con.register("attempts", attempts)
    con.register("blocks", blocks)
    facts = con.sql(FACTS_SQL.format(blocks=int(count))).to_arrow_table()
    if export:
        con.register("facts", facts)
        return con.sql(EXPORT_SQL).to_arrow_table()
    return facts


def polars_convert(session: Session) -> tuple[pl.DataFrame, pl.DataFrame]:
    attempts, blocks = columns(session)
    return pl.DataFrame(attempts), pl.DataFrame(blocks)


def polars_facts(frames: tuple[pl.DataFrame, pl.DataFrame], count: int, export: bool) -> Any:
    attempts, blocks = frames
    ranked = attempts.join(blocks, on="block_id")
    latest = (
        ranked.sort(["started_at", "last_activity_at", "seq"])
        .group_by(["user_id", "block_id"])
        .last()
    )
    per = latest.group_by("user_id").agg(
        pl.col("score").filter(pl.col("is_scored")).mean().alias("score"),
        pl.col("time_us").filter(pl.col("is_course")).sum().alias("time_us"),
    )
    span = ranked.group_by("user_id").agg(
        pl.col("started_at").min().alias("start"),
        pl.col("last_activity_at").filter(pl.col("is_course")).max().alias("end"),
    )
    done = (
        attempts.filter(pl.col("completed"))
        .group_by("user_id")
        .agg(pl.col("block_id").n_unique().alias("done"))
    )
    facts = (
        per.join(span, on="user_id")
        .join(done, on="user_id", how="left")
        .with_columns((100.0 * pl.col("done").fill_null(0) / count).alias("progress"))
    )
    if not export:
        return facts
    seconds = (pl.col("time_us") + 500_000) // 1_000_000
    return facts.select(
        "user_id",
        (pl.col("score") + 0.5).floor().cast(pl.Int64).cast(pl.Utf8).fill_null(""),
        (pl.col("progress") + 0.5).floor().cast(pl.Int64).cast(pl.Utf8),
        pl.col("start").dt.strftime("%Y/%m/%d %H:%M"),
        pl.col("end").dt.strftime("%Y/%m/%d %H:%M").fill_null(""),
        pl.format(
            "{}:{}:{}",
            seconds // 3600,
            ((seconds // 60) % 60).cast(pl.Utf8).str.zfill(2),
            (seconds % 60).cast(pl.Utf8).str.zfill(2),
        ),
    )


def check(session: Session, duck: pa.Table, polar: Any) -> None:
    """Every learner with attempts has the library's score, progress and course time."""
    facts = facts_of(session)
    expected = {
        r.user_id: (facts.score[row], facts.progress[row], facts.time_spent[row] // _MICROSECOND)
        for row, r in enumerate(facts.registrations)
        if facts.latest_at[row] >= 0
    }
    for name, table in (("DuckDB", duck.to_pylist()), ("Polars", polar.to_dicts())):
        got = {d["user_id"]: (d["score"], d["progress"], d["time_us"]) for d in table}
        assert got.keys() == expected.keys(), name
        for user_id, (score, progress, time_us) in expected.items():
            their = got[user_id]
            assert (score is None) == (their[0] is None), (name, user_id)
            assert score is None or math.isclose(score, their[0], rel_tol=1e-12), (name, user_id)
            # Attendances also complete (classroom) blocks in the library; the
            # peers only see attempts, so progress is compared on learnable blocks.
            assert progress >= their[1] - 1e-9, (name, user_id)
            assert time_us == their[2], (name, user_id)


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.add_argument("--learners", type=int, default=20_000)
    args = parser.parse_args()
    world = synthetic_world(learners=args.learners, sessions=1, seed=1, retry_rate=1.0)
    (session,) = world.sessions
    directory = world.directory
    count = len(session.blocks)
    runs = args.runs

    duck_in = duckdb_convert(session)
    polar_in = polars_convert(session)
    check(session, duckdb_facts(duck_in, count, False), polars_facts(polar_in, count, False))

    copies = [attrs.evolve(session) for _ in range(3 * runs)]

    library = {
        "facts": best_of(runs, lambda: facts_of(copies.pop())),
        # The export cold: facts inside, every row produced (all columns).
        "export": best_of(runs, lambda: list(learner_export([copies.pop()], directory).rows)),
    }
    statistics = best_of(runs, lambda: four_statistics(copies.pop(), directory))
    peers = {
        "DuckDB": (
            best_of(runs, lambda: duckdb_convert(session)),
            {
                k: best_of(runs, lambda k=k: duckdb_facts(duck_in, count, k == "export"))
                for k in library
            },
        ),
        "Polars": (
            best_of(runs, lambda: polars_convert(session)),
            {
                k: best_of(runs, lambda k=k: polars_facts(polar_in, count, k == "export"))
                for k in library
            },
        ),
    }
    print(f"session: {args.learners} learners, {len(session.attempts):,} attempts")
    print("peer time / library time (above 1: the library is faster)")
    print("| work | peer | conversion | compute | conversion + compute |")
    print("|---|---|---|---|---|")
    for work, own in library.items():
        for name, (convert, compute) in peers.items():
            print(
                f"| {work} | {name} | {convert / own:.2f}x | {compute[work] / own:.2f}x "
                f"| {(convert + compute[work]) / own:.2f}x |"
            )
    duck_facts = peers["DuckDB"][0] + peers["DuckDB"][1]["facts"]
    print(
        "DuckDB's facts, conversion included / the library's four statistics, facts "
        f"included: {duck_facts / statistics:.2f}x (above 1: the library is ahead)"
    )
    if args.absolute:
        for work, own in library.items():
            print(f"  library {work}: {own * 1e6 / len(session.attempts):.2f} µs per attempt")


if __name__ == "__main__":
    main()
