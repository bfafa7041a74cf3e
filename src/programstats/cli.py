"""Command line: ``python -m programstats demo`` writes a report as CSV.

The data comes from :func:`programstats.synthetic.synthetic_world`, so the
demo needs nothing but the package; ``now`` is the synthetic world's anchor
date, never the clock, so the same arguments always print the same bytes.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from typing import NoReturn

from .errors import InvalidInputError
from .export import learner_export
from .options import ExportOptions
from .rights import Viewer
from .synthetic import DEFAULT_ANCHOR, synthetic_world
from .table import Table, write_csv
from .views import collaboration_table, group_dashboard, group_sessions_table, sessions_table

REPORTS = ("learners", "sessions", "group", "collaboration")
DASHBOARD_GROUP = "paris-sales"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _parser() -> _Parser:
    parser = _Parser(prog="python -m programstats", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    demo = commands.add_parser(
        "demo", help="write a report of synthetic data as CSV to standard output"
    )
    demo.add_argument("--learners", type=_size, default=500, help="learners per session (500)")
    demo.add_argument(
        "--sessions",
        type=_size,
        default=None,
        help="number of sessions (1 for the learners report, 12 for the others)",
    )
    demo.add_argument("--seed", type=int, default=0, help="seed of the synthetic data (0)")
    demo.add_argument(
        "--report",
        choices=REPORTS,
        default="learners",
        help="learners: the per-learner export (default); sessions: the sessions list; "
        "group: a group dashboard's sessions; collaboration: collaborative activity",
    )
    demo.add_argument("--tz", default="UTC", help="time zone of dates, an IANA name (UTC)")
    return parser


def demo_table(
    report: str, *, learners: int, sessions: int | None, seed: int, tz: str
) -> tuple[Table, ExportOptions]:
    """The table a demo report writes, and the options to write it with."""
    options = ExportOptions(timezone=tz)
    count = sessions if sessions is not None else (1 if report == "learners" else 12)
    world = synthetic_world(learners=learners, sessions=count, seed=seed)
    directory, found = world.directory, world.sessions
    if report == "learners":
        return learner_export(found, directory, options), options
    if report == "sessions":
        admin = Viewer(user_id="author-1", platform_admin=True)
        return sessions_table(found, directory, admin, DEFAULT_ANCHOR, options=options), options
    if report == "group":
        board = group_dashboard(DASHBOARD_GROUP, found, directory, DEFAULT_ANCHOR, options.timezone)
        return group_sessions_table(board, options), options
    return collaboration_table(found, options), options


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        table, options = demo_table(
            args.report, learners=args.learners, sessions=args.sessions, seed=args.seed, tz=args.tz
        )
    except InvalidInputError as error:
        parser.exit(2, f"{parser.prog}: error: {error}\n")
    # Bytes out, untouched: the CSV's own \r\n line ends on every platform.
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
    try:
        write_csv(table, out, options)
        out.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    finally:
        out.detach()
    return 0
