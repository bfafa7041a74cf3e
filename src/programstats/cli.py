"""Command line: ``python -m programstats demo`` and ``python -m programstats report``.

``demo`` writes a report of synthetic data (:func:`programstats.synthetic.
synthetic_world`) as CSV, so it needs nothing but the package; ``now`` is the
synthetic world's anchor date, never the clock, so the same arguments always
print the same bytes. ``demo --world`` prints that synthetic world as a world
document instead. ``report`` writes the same reports from a world document
(or JSON Lines of session records with ``--directory``); it needs the
``records`` extra (cattrs).

Exit status: 0 on success, 1 for bad data (the problems on standard error,
nothing on standard output), 2 for bad arguments (one line on standard
error).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, NoReturn

from ._iso import parse_instant
from .directory import Directory
from .errors import InvalidInputError
from .export import learner_export
from .options import ExportOptions
from .result_tables import (
    block_results_table,
    group_results_table,
    overview_table,
)
from .rights import Viewer
from .session import Session
from .session_stats import block_results, group_results, session_overview
from .synthetic import DEFAULT_ANCHOR, synthetic_world
from .table import Table, write_csv
from .views import collaboration_table, group_dashboard, group_sessions_table, sessions_table

REPORTS = (
    "learners",
    "sessions",
    "group",
    "collaboration",
    "template",
    "overview",
    "groups",
    "blocks",
    "problems",
)
DASHBOARD_GROUP = "paris-sales"
REPORT_HELP = (
    "learners: the per-learner export; sessions: the sessions list; group: a group "
    "dashboard's sessions (--group); collaboration: collaborative activity; template: the "
    "per-learner export of the sessions of a template (--template); overview, groups, "
    "blocks: one session's general statistics, results by group and results per block "
    "(--session); problems: the problems met in the data"
)


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


def _moment(text: str) -> datetime:
    try:
        value = parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 date and time with offset, got {text!r}"
        ) from None
    if value.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no offset; add one, as in 2026-11-01T09:00:00+01:00"
        )
    return value


def _delimiter(text: str) -> str:
    return "\t" if text in ("tab", "\\t") else text


def _add_report_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--tz", default="UTC", help="time zone of dates, an IANA name (UTC)")
    command.add_argument(
        "--now",
        type=_moment,
        default=DEFAULT_ANCHOR,
        help=f"the moment 'now', ISO 8601 with offset ({DEFAULT_ANCHOR.isoformat()})",
    )
    command.add_argument(
        "--group", default=DASHBOARD_GROUP, help=f"group of the group report ({DASHBOARD_GROUP})"
    )
    command.add_argument(
        "--template",
        default=None,
        help="template of the template report (the first session's template)",
    )
    command.add_argument(
        "--session",
        default=None,
        help="report on this session only (overview, groups, blocks: the first session)",
    )
    command.add_argument(
        "--delimiter", type=_delimiter, default=",", help="CSV delimiter: , ; | or tab (,)"
    )
    command.add_argument("--bom", action="store_true", help="start with a UTF-8 byte-order mark")


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
    demo.add_argument("--report", choices=REPORTS, default="learners", help=REPORT_HELP)
    demo.add_argument(
        "--world",
        action="store_true",
        help="print the synthetic world as a world document (JSON) instead of a report",
    )
    _add_report_options(demo)
    report = commands.add_parser(
        "report", help="write a report of a world document (or JSON Lines) as CSV"
    )
    report.add_argument("report", choices=REPORTS, help=REPORT_HELP)
    report.add_argument("file", help="the world document, or JSON Lines of sessions; - for stdin")
    report.add_argument(
        "--directory",
        default=None,
        help="a directory record {groups, users}: FILE is then JSON Lines of session records",
    )
    report.add_argument(
        "--on-error",
        choices=("raise", "skip"),
        default="raise",
        help="raise: stop at bad data (exit 1); skip: leave bad records out (raise)",
    )
    report.add_argument("--errors", default=None, help="write the problems found as CSV here")
    _add_report_options(report)
    return parser


class _BadArgumentError(Exception):
    """An argument that does not fit the data (exit status 2)."""


def _options(args: argparse.Namespace) -> ExportOptions:
    # The default "UTC" is datetime.timezone.utc itself: the same text, and the
    # export's fast path (an IANA zone converts every date).
    zone = timezone.utc if args.tz == "UTC" else args.tz
    return ExportOptions(timezone=zone, delimiter=args.delimiter, bom=args.bom)


def report_table(
    report: str,
    directory: Directory,
    sessions: Sequence[Session],
    args: argparse.Namespace,
    problems: Table | None = None,
) -> tuple[Table, ExportOptions]:
    """The table a report writes, and the options to write it with."""
    options = _options(args)
    found = tuple(sessions)
    if args.session is not None:
        found = tuple(s for s in found if s.id == args.session)
        if not found:
            raise _BadArgumentError(f"--session {args.session!r} is not a session of the data")
    if report == "learners":
        return learner_export(found, directory, options), options
    if report == "sessions":
        admin = Viewer(user_id="author-1", platform_admin=True)
        return sessions_table(found, directory, admin, args.now, options=options), options
    if report == "group":
        if args.group not in directory.groups:
            raise _BadArgumentError(f"--group {args.group!r} is not a group of the directory")
        board = group_dashboard(args.group, found, directory, args.now, options.timezone)
        return group_sessions_table(board, options), options
    if report == "collaboration":
        return collaboration_table(found, options), options
    if report == "template":
        template = args.template
        if template is None and found:
            template = found[0].template.id
        chosen = [s for s in found if s.template.id == template]
        if args.template is not None and not chosen:
            raise _BadArgumentError(
                f"--template {args.template!r} is not a template of the sessions"
            )
        return learner_export(chosen, directory, options), options
    if report == "problems":
        from .records import problems_table  # needs cattrs

        return problems if problems is not None else problems_table(()), options
    if not found:
        raise _BadArgumentError(f"the {report} report needs a session, and there is none")
    session = found[0]
    if report == "overview":
        return overview_table(session_overview(session), options), options
    if report == "groups":
        return group_results_table(group_results(session, directory), options), options
    return block_results_table(block_results(session), options), options


def demo_table(
    report: str, *, learners: int, sessions: int | None, seed: int, tz: str
) -> tuple[Table, ExportOptions]:
    """The table a demo report writes (default options but ``tz``), and its options."""
    args = _parser().parse_args(["demo", "--tz", tz])
    directory, found = _demo_world(report, learners, sessions, seed)
    return report_table(report, directory, found, args)


def _demo_world(
    report: str, learners: int, sessions: int | None, seed: int
) -> tuple[Directory, tuple[Session, ...]]:
    count = sessions if sessions is not None else (1 if report == "learners" else 12)
    world = synthetic_world(learners=learners, sessions=count, seed=seed)
    return world.directory, world.sessions


def _write(table: Table, options: ExportOptions) -> int:
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


def _write_text(text: str) -> int:
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        return 0
    finally:
        out.detach()
    return 0


def _demo(parser: _Parser, args: argparse.Namespace) -> int:
    try:
        directory, found = _demo_world(args.report, args.learners, args.sessions, args.seed)
        if args.world:
            from .records import World, to_record  # needs cattrs

            doc = to_record(World(directory=directory, sessions=found))
            return _write_text(json.dumps(doc, ensure_ascii=False) + "\n")
        table, options = report_table(args.report, directory, found, args)
    except (InvalidInputError, _BadArgumentError) as error:
        parser.exit(2, f"{parser.prog}: error: {_one_line(error)}\n")
    return _write(table, options)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _read_json(path: str, what: str) -> Any:
    """Parsed JSON of a file (or stdin for -); _BadArgumentError when it cannot be read."""
    try:
        if path == "-":
            return json.load(sys.stdin.buffer)
        with open(path, "rb") as stream:
            return json.load(stream)
    except OSError as error:
        raise _BadArgumentError(f"cannot read {what} {path!r}: {error.strerror}") from None
    except (ValueError, RecursionError) as error:
        raise _DataError(f"{what} {path!r} is not valid JSON: {error}") from None


def _read_lines(path: str) -> list[Any]:
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as stream:
                data = stream.read()
    except OSError as error:
        raise _BadArgumentError(f"cannot read {path!r}: {error.strerror}") from None
    found = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append(json.loads(line))
        except (ValueError, RecursionError) as error:
            raise _DataError(f"{path!r} line {number} is not valid JSON: {error}") from None
    return found


class _DataError(Exception):
    """Input that is not JSON at all (exit status 1)."""


def _document(args: argparse.Namespace) -> Any:
    """The world document of ``report``: FILE, or --directory with FILE as JSON Lines."""
    if args.directory is None:
        return _read_json(args.file, "world document")
    directory_doc = _read_json(args.directory, "directory")
    if not isinstance(directory_doc, dict):
        raise _DataError(f"directory {args.directory!r} must be a JSON object")
    return {**directory_doc, "sessions": _read_lines(args.file)}


def _report(parser: _Parser, args: argparse.Namespace) -> int:
    try:
        from . import records
    except ImportError as error:
        parser.exit(2, f"{parser.prog}: error: {_one_line(error)}\n")
    try:
        options = _options(args)
        try:
            # The document is read where it is structured, which takes it apart
            # as it goes (it is ours): the report runs on the values alone.
            world = records._structure_owned_world(_document(args), on_error=args.on_error)
            problems = world.problems
        except records.InvalidRecordsError as error:
            problems = error.problems
            world = None
        if args.errors is not None:
            try:
                with open(args.errors, "w", encoding="utf-8", newline="") as stream:
                    write_csv(records.problems_table(problems), stream, options)
            except OSError as error:
                raise _BadArgumentError(f"cannot write {args.errors!r}: {error.strerror}") from None
        if world is None:
            raise _DataError(str(records.InvalidRecordsError(problems)))
        table, options = report_table(
            args.report,
            world.directory,
            world.sessions,
            args,
            problems=records.problems_table(world.problems),
        )
    except (InvalidInputError, _BadArgumentError) as error:
        parser.exit(2, f"{parser.prog}: error: {_one_line(error)}\n")
    except _DataError as error:
        parser.exit(1, f"{parser.prog}: {error}\n")
    return _write(table, options)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(parser, args)
    return _report(parser, args)
