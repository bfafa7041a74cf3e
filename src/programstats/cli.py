"""The command line: ``programstats demo`` and ``programstats report``.

Also run as ``python -m programstats``.

``demo`` writes a report of synthetic data (:func:`programstats.synthetic.
synthetic_world`) as CSV, so it needs nothing but the package; its ``now``
is the synthetic world's anchor date, never the clock, so the same
arguments always print the same bytes. ``demo --world`` prints that
synthetic world as a world document instead. ``report`` writes the same
reports from real data: a world document, or JSON Lines of session records
with ``--directory``; it needs the ``records`` extra (cattrs). Its ``now``
is the clock's unless ``--now`` says otherwise: the command reads the
clock, the library never does.

Exit status: 0 when nothing was left out; 3 when ``--on-error skip`` left
records out (the report is complete for the rest; one line on standard
error says what was left out and where the problems went); 1 for bad data
under ``--on-error raise``, or input that is not JSON (the problems on
standard error, nothing on standard output); 2 for bad arguments (one line
on standard error).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from importlib import metadata
from typing import Any, NoReturn

from ._checks import known_ids, short
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
from .world import PROBLEMS_HEADER

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
SESSION_REPORTS = ("overview", "groups", "blocks")
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


def _add_report_options(command: argparse.ArgumentParser, *, demo: bool) -> None:
    command.add_argument("--tz", default="UTC", help="time zone of dates, an IANA name (UTC)")
    if demo:
        command.add_argument(
            "--now",
            type=_moment,
            default=DEFAULT_ANCHOR,
            help=f"the moment 'now', ISO 8601 with offset ({DEFAULT_ANCHOR.isoformat()})",
        )
        command.add_argument(
            "--group",
            default=DASHBOARD_GROUP,
            help=f"group of the group report ({DASHBOARD_GROUP})",
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
    else:
        command.add_argument(
            "--now",
            type=_moment,
            default=None,
            help="the moment 'now', ISO 8601 with offset (the current time)",
        )
        command.add_argument("--group", default=None, help="group of the group report (required)")
        command.add_argument(
            "--template", default=None, help="template of the template report (required)"
        )
        command.add_argument(
            "--session",
            default=None,
            help="report on this session only (required by overview, groups and blocks)",
        )
    command.add_argument(
        "--delimiter", type=_delimiter, default=",", help="CSV delimiter: , ; | or tab (,)"
    )
    command.add_argument("--bom", action="store_true", help="start with a UTF-8 byte-order mark")


DESCRIPTION = (
    "Statistics and CSV exports of learning-platform program sessions. "
    "demo: a report of synthetic data; report: a report of your data "
    "(a world document, or JSON Lines of sessions with --directory)."
)


def _version() -> str:
    try:
        return metadata.version("programstats")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown (not installed)"


def _parser(prog: str = "programstats") -> _Parser:
    parser = _Parser(prog=prog, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
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
    _add_report_options(demo, demo=True)
    report = commands.add_parser(
        "report", help="write a report of a world document (or JSON Lines) as CSV or HTML"
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
    report.add_argument(
        "--naive-timezone",
        default=None,
        help="read dates without an offset in this IANA zone (refused by default)",
    )
    report.add_argument(
        "--format",
        choices=("csv", "html"),
        default="csv",
        help="csv: the report as CSV; html: a self-contained page to read or print (csv)",
    )
    _add_report_options(report, demo=False)
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
    """The table a report writes, and the options to write it with.

    For real data (``report``), a report about one group, template or
    session needs ``--group``, ``--template`` or ``--session``; ``demo``
    picks its own.
    """
    options = _options(args)
    demo = args.command == "demo"
    now = args.now if args.now is not None else clock()
    found = tuple(sessions)
    if args.session is not None:
        found = tuple(s for s in found if s.id == args.session)
        if not found:
            raise _BadArgumentError(_unknown("--session", args.session, [s.id for s in sessions]))
    elif report in SESSION_REPORTS and not demo:
        raise _BadArgumentError(_needed(report, "--session", [s.id for s in sessions]))
    if report == "learners":
        return learner_export(found, directory, options), options
    if report == "sessions":
        admin = Viewer(user_id="author-1", platform_admin=True)
        return sessions_table(found, directory, admin, now, options=options), options
    if report == "group":
        if args.group is None:
            raise _BadArgumentError(_needed(report, "--group", directory.groups))
        if args.group not in directory.groups:
            raise _BadArgumentError(_unknown("--group", args.group, directory.groups))
        board = group_dashboard(args.group, found, directory, now, options.timezone)
        return group_sessions_table(board, options), options
    if report == "collaboration":
        return collaboration_table(found, options), options
    if report == "template":
        templates = sorted({s.template.id for s in found})
        template = args.template
        if template is None and demo and found:
            template = found[0].template.id
        if template is None:
            raise _BadArgumentError(_needed(report, "--template", templates))
        chosen = [s for s in found if s.template.id == template]
        if not chosen and not demo:
            raise _BadArgumentError(_unknown("--template", template, templates))
        return learner_export(chosen, directory, options), options
    if report == "problems":
        return problems if problems is not None else Table(header=PROBLEMS_HEADER, rows=()), options
    if not found:
        raise _BadArgumentError(f"the {report} report needs a session, and there is none")
    session = found[0]
    if report == "overview":
        return overview_table(session_overview(session), options), options
    if report == "groups":
        return group_results_table(group_results(session, directory), options), options
    return block_results_table(block_results(session), options), options


def clock() -> datetime:
    """The current time: the default ``now`` of ``report`` (the library never reads the clock)."""
    return datetime.now(timezone.utc)


def _needed(report: str, option: str, ids: Iterable[str]) -> str:
    return f"the {report} report needs {option} ID ({known_ids(ids)})"


def _unknown(option: str, value: str, ids: Iterable[str]) -> str:
    return f"{option} {short(value, 60)} is not in the data ({known_ids(ids)})"


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


def _read_text(path: str, what: str) -> str:
    """The text of a file (stdin for -); _BadArgumentError when it cannot be read."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as stream:
                data = stream.read()
    except OSError as error:
        raise _BadArgumentError(f"cannot read {what} {path!r}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _DataError(f"{what} {path!r} is not UTF-8 text ({error.reason})") from None


def _load(text: str, what: str, path: str) -> Any:
    """The JSON document of ``text``; _DataError (or a JSON Lines hint) when it is not JSON."""
    from .records import load_json  # needs cattrs

    try:
        return load_json(text)
    except (ValueError, RecursionError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deep"
        if reason == "Extra data" and what == "world document":
            raise _BadArgumentError(
                f"{path!r} holds several JSON values, one per line: for JSON Lines of session "
                "records, give the users and groups with --directory FILE"
            ) from None
        raise _DataError(f"{what} {path!r} is not JSON ({reason})") from None


class _DataError(Exception):
    """Input that is not JSON at all (exit status 1)."""


def _world(args: argparse.Namespace) -> Any:
    """The world of ``report``: FILE, or --directory with FILE as JSON Lines."""
    from . import records  # needs cattrs

    if args.directory is None:
        doc = _load(_read_text(args.file, "world document"), "world document", args.file)
        return records.structure_world(
            doc, on_error=args.on_error, naive_timezone=args.naive_timezone
        )
    directory = _load(_read_text(args.directory, "directory"), "directory", args.directory)
    lines = _read_text(args.file, "JSON Lines").splitlines()
    source = "standard input" if args.file == "-" else args.file
    return records.structure_directory_and_sessions(
        directory,
        records.json_lines(lines, source),
        on_error=args.on_error,
        naive_timezone=args.naive_timezone,
    )


def _left_out_line(problems: Sequence[Any], errors: str | None) -> str:
    """One line: what skip left out, and where the problems went."""
    from .records import left_out_counts  # needs cattrs

    counts = left_out_counts(problems)
    parts = [f"{number} {_plural(kind, number)}" for kind, number in sorted(counts.items())]
    where = (
        f"the problems are in {errors}"
        if errors is not None
        else "see them with --errors FILE or the problems report"
    )
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun}; left out: {', '.join(parts)}; {where}"


def _plural(kind: str, number: int) -> str:
    if number == 1:
        return kind
    return "entries" if kind == "entry" else kind + "s"


def _report(parser: _Parser, args: argparse.Namespace) -> int:
    try:
        from . import records
    except ImportError as error:
        parser.exit(2, f"{parser.prog}: error: {_one_line(error)}\n")
    try:
        options = _options(args)
        try:
            world = _world(args)
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
        if args.now is None:
            args.now = clock()  # one now for the table and the page
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
    if args.format == "html":
        from .display import report_page  # the page of the same report, same numbers

        page = report_page(
            args.report,
            table,
            directory=world.directory,
            sessions=world.sessions,
            options=options,
            now=args.now,
            group=args.group,
            session=args.session,
            template=args.template,
        )
        status = _write_text(page)
    else:
        status = _write(table, options)
    if world.problems and status == 0:
        sys.stderr.write(f"{parser.prog}: {_left_out_line(world.problems, args.errors)}\n")
        return 3
    return status


def main(argv: Sequence[str] | None = None, prog: str = "programstats") -> int:
    """Run the command line; return the exit status."""
    parser = _parser(prog)
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo(parser, args)
    return _report(parser, args)


def command(argv: Sequence[str] | None = None, prog: str = "programstats") -> int:
    """:func:`main` as a process of its own runs it, the cyclic garbage collector off.

    A command runs once and exits: the values it builds make no reference
    cycle (the library is tested for that), so the collector would only walk
    the document and the world again and again while they grow. Only the
    command's own process is tuned; the library never touches the collector,
    and :func:`main`, which tests and services call in their own process,
    leaves it as it is.
    """
    gc.disable()
    return main(argv, prog)


def run() -> None:
    """The ``programstats`` console command."""
    sys.exit(command())
