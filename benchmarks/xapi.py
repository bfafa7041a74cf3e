"""xAPI benchmark: 100,000 statements of 2,000 learners to a session.

Run: ``python benchmarks/xapi.py [--learners N] [--per-learner M] [--runs R]``
(needs the ``xapi`` extra). The statements are generated deterministically:
a course of five AUs (every moveOn, two with a masteryScore), 2,000 learners
with one registration each and ten cmi5 sessions of five statements
(``launched``, ``initialized``, an "allowed" statement, ``passed`` or
``failed`` with a scaled or raw score, or ``completed``,
``terminated`` with a duration), written as the JSON text an LRS would
return and parsed once.

Prints, from one run of R interleaved rounds (min and median of each):

* ``session_from_statements`` on the parsed statements, in µs per statement;
* ``json.loads`` of the same statements' JSON text, the floor every caller
  pays before calling it, in µs per statement;
* the ratio of the two.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from _common import median, rounds
from _common import parser as common_parser

from programstats import Directory, User
from programstats.xapi import AU, Course, session_from_statements
from programstats.xapi.examples import statement

UTC = timezone.utc
BASE = datetime(2026, 3, 2, 8, tzinfo=UTC)
COURSE = Course(
    id="https://example.com/onboarding",
    title="Onboarding",
    aus=[
        AU(id="https://example.com/onboarding/welcome", title="Welcome", move_on="Completed"),
        AU(
            id="https://example.com/onboarding/rules",
            title="Rules",
            move_on="Passed",
            mastery_score=Decimal("0.8"),
        ),
        AU(id="https://example.com/onboarding/tools", title="Tools", move_on="CompletedOrPassed"),
        AU(
            id="https://example.com/onboarding/quiz",
            title="Quiz",
            move_on="CompletedAndPassed",
            mastery_score=Decimal("0.75"),
        ),
        AU(id="https://example.com/onboarding/extra", title="Extra"),
    ],
)


def generate(learners: int, sessions: int, seed: int = 1) -> list[dict[str, Any]]:
    """``learners`` x ``sessions`` x 5 statements, the same for the same arguments."""
    chance = random.Random(seed)
    allowed = (
        "http://adlnet.gov/expapi/verbs/experienced",
        "http://adlnet.gov/expapi/verbs/answered",
    )
    made = []
    for number in range(learners):
        user = f"learner-{number:05d}"
        registration = f"registration-{number:05d}"
        clock = BASE + timedelta(minutes=chance.randrange(60 * 24 * 20))
        for count in range(sessions):
            au = chance.choice(COURSE.aus)
            passing = 50 if au.mastery_score is None else int(au.mastery_score * 100)
            percent = chance.randrange(101)
            score: dict[str, Any] = {"scaled": percent / 100}
            if chance.random() < 0.3:
                score = {"raw": percent, "min": 0, "max": 100}
            outcome: tuple[str, int, dict[str, Any]] = (
                "passed" if percent >= passing else "failed",
                chance.randrange(30, 600),
                {"result": {"score": score}},
            )
            if chance.random() < 0.3:
                outcome = ("completed", chance.randrange(30, 600), {"result": {"completion": True}})
            seconds = chance.randrange(60, 3_000)
            steps: list[tuple[str, int, dict[str, Any]]] = [
                ("launched", 3_600, {}),
                ("initialized", 4, {}),
                (chance.choice(allowed), chance.randrange(60, 900), {"cmi5": False}),
                outcome,
                ("terminated", 2, {"result": {"duration": f"PT{seconds // 60}M{seconds % 60}.5S"}}),
            ]
            for verb, gap, more in steps:
                clock += timedelta(seconds=gap, milliseconds=chance.randrange(1000))
                made.append(
                    statement(
                        verb,
                        user=user,
                        au=au.id,
                        session=f"{user}-session-{count}",
                        registration=registration,
                        at=clock.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                        **more,
                    )
                )
    return made


def main() -> None:
    parser = common_parser(__doc__ or "")
    parser.set_defaults(runs=5)
    parser.add_argument("--learners", type=int, default=2_000)
    parser.add_argument("--per-learner", type=int, default=10, help="cmi5 sessions per learner")
    args = parser.parse_args()
    text = json.dumps(generate(args.learners, args.per_learner))
    statements = json.loads(text)
    directory = Directory(
        users=[
            User(id=f"learner-{n:05d}", first_name="L", last_name=f"{n}", email=f"l{n}@x")
            for n in range(args.learners)
        ]
        + [User(id="author", first_name="A", last_name="A", email="a@x")]
    )

    def convert() -> None:
        session_from_statements(
            COURSE,
            statements,
            directory=directory,
            id="onboarding",
            name="Onboarding",
            author_id="author",
            start=BASE,
            end=BASE + timedelta(days=60),
        )

    found = rounds(args.runs, {"xapi": convert, "json": lambda: json.loads(text)})
    n = len(statements)
    print(
        f"{n:,} statements of {args.learners:,} learners ({len(text) / n:,.0f} bytes of JSON "
        f"each), {args.runs} rounds, min / median:"
    )
    for name, label in (("xapi", "session_from_statements"), ("json", "json.loads")):
        print(
            f"  {label}: {min(found[name]) / n * 1e6:.2f} / "
            f"{median(found[name]) / n * 1e6:.2f} µs per statement"
        )
    print(
        f"  ratio to json.loads: {min(found['xapi']) / min(found['json']):.2f} / "
        f"{median(found['xapi']) / median(found['json']):.2f}"
    )
    if args.absolute:
        print(f"  session_from_statements: {min(found['xapi']):.3f} s (min)")


if __name__ == "__main__":
    main()
