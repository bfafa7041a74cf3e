"""Flat tables in, as a database returns them: :func:`from_tables`.

Each child row (block, slot, registration, attempt, attendance) carries
the ``session_id`` it belongs to, block rows a ``position`` (their order),
session rows a ``template_id`` (or a nested ``template``). Rows are any
mapping or row object (``sqlite3.Row``). Valid rows are structured by the
fast functions of :mod:`.structuring` as they are; a session whose rows
are not all valid goes through the quarantine, which names each problem
at ``$.<table>[<row>]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._checks import short
from .._jsonpath import ROOT, index, member
from ..errors import InvalidInputError
from ..session import ProgramTemplate, Session
from ..world import InvalidRecordsError, Problem, World, given_twice
from .columns import COLUMN_TYPES, values_of_records
from .documents import _known, directory_of
from .format import CHILDREN, absent, as_mapping, rules
from .problems import OnError, Out, Sink, check_on_error
from .quarantine import SessionBuilder
from .structuring import Structurer, structurer

__all__ = ["STRUCTURAL", "TABLES", "Options", "check_options", "from_tables"]

#: The tables of :func:`from_tables`, in the order of its parameters.
TABLES = (
    "groups",
    "users",
    "sessions",
    "templates",
    "blocks",
    "slots",
    "registrations",
    "attempts",
    "attendances",
)
#: Columns a table has besides its type's fields.
STRUCTURAL = {
    "sessions": frozenset({"template_id"}),
    "blocks": frozenset({"session_id", "position"}),
    **{name: frozenset({"session_id"}) for name in ("slots", "registrations", "attempts")},
    "attendances": frozenset({"session_id"}),
}
_ROW_PATH = re.compile(r"\$\.([a-z]+)\[(\d+)\]")


@attrs.frozen
class Options:
    """What the caller said about the tables' columns."""

    row_keys: Mapping[str, str]
    ignore_keys: Mapping[str, frozenset[str]]

    def extra(self, table: str) -> frozenset[str]:
        """Columns of ``table`` that are not fields of its type and are not unknown keys."""
        extra = STRUCTURAL.get(table, frozenset()) | self.ignore_keys.get(table, frozenset())
        key = self.row_keys.get(table)
        return extra | {key} if key is not None else extra


def check_options(row_keys: object, ignore_keys: object, *, caller: str = "from_tables") -> Options:
    """``row_keys`` and ``ignore_keys`` checked; messages start with ``caller``."""
    keys: dict[str, str] = {}
    if row_keys is not None:
        if not isinstance(row_keys, Mapping):
            raise InvalidInputError(
                f"{caller}: row_keys must map table names to a column, got {short(row_keys)}"
            )
        for table, column in row_keys.items():
            _check_table(caller, "row_keys", table)
            if type(column) is not str or not column:
                raise InvalidInputError(
                    f"{caller}: row_keys[{short(table, 40)}] must be a column name, "
                    f"got {short(column)}"
                )
            keys[table] = column
    ignored: dict[str, frozenset[str]] = {}
    if ignore_keys is not None:
        if not isinstance(ignore_keys, Mapping):
            raise InvalidInputError(
                f"{caller}: ignore_keys must map table names to sets of columns, "
                f"got {short(ignore_keys)}"
            )
        for table, columns in ignore_keys.items():
            _check_table(caller, "ignore_keys", table)
            if isinstance(columns, (str, bytes)) or not isinstance(columns, Iterable):
                raise InvalidInputError(
                    f"{caller}: ignore_keys[{short(table, 40)}] must be a set of column "
                    f"names, got {short(columns)}"
                )
            names = frozenset(columns)
            if not all(type(name) is str for name in names):
                raise InvalidInputError(
                    f"{caller}: ignore_keys[{short(table, 40)}] must hold column names (str)"
                )
            ignored[table] = names
    return Options(row_keys=keys, ignore_keys=ignored)


def _check_table(caller: str, option: str, table: object) -> None:
    if table not in TABLES:
        raise InvalidInputError(
            f"{caller}: {option} names {short(table, 40)}, not a table; the tables are: "
            + ", ".join(TABLES)
        )


def _rows(name: str, value: object) -> list[Any]:
    """A table's rows as a list; a value that is not a table raises."""
    if absent(value):
        raise InvalidInputError(
            f"from_tables: {name} is {short(value)}, not a table; an empty table is []"
        )
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidInputError(
            f"from_tables: {name} must be a table (an iterable of rows), got "
            f"{type(value).__name__}; for a DataFrame use programstats.frames.from_frames"
        )
    return list(value)


class _Reader:
    """Reads the tables of one call: rows to records, children by session, problems named."""

    def __init__(self, structurer_: Structurer, options: Options, sink: Sink) -> None:
        self.structurer = structurer_
        self.options = options
        self.sink = sink

    def extra(self, table: str) -> frozenset[str]:
        """Columns of ``table`` that are not fields of its type and are not unknown keys."""
        return self.options.extra(table)

    def records(self, table: str, rows: list[Any]) -> list[dict[Any, Any] | None]:
        """Each row as a dict (None, after a problem, for a row that is not a record)."""
        found: list[dict[Any, Any] | None] = []
        for number, row in enumerate(rows):
            record = as_mapping(row)
            if record is None:
                self.sink.add(
                    index(member(ROOT, table), number),
                    f"a row of {table} must be an object (a mapping of its columns), "
                    f"got {type(row).__name__}",
                )
            found.append(record)
        return found

    def stripped(self, table: str, record: Mapping[Any, Any]) -> dict[Any, Any]:
        """The record of a row: the row without its structural, key and ignored columns."""
        extra = self.extra(table)
        return {key: value for key, value in record.items() if key not in extra}


def from_tables(
    groups: Iterable[Mapping[str, Any]],
    users: Iterable[Mapping[str, Any]],
    sessions: Iterable[Mapping[str, Any]],
    templates: Iterable[Mapping[str, Any]],
    blocks: Iterable[Mapping[str, Any]],
    slots: Iterable[Mapping[str, Any]],
    registrations: Iterable[Mapping[str, Any]],
    attempts: Iterable[Mapping[str, Any]],
    attendances: Iterable[Mapping[str, Any]],
    on_error: OnError = "raise",
    *,
    naive_timezone: str | None = None,
    row_keys: Mapping[str, str] | None = None,
    ignore_keys: Mapping[str, Iterable[str]] | None = None,
) -> World:
    """A :class:`~programstats.World` from flat rows, as a database returns them.

    Rows are any mapping or row object with ``keys()`` (``sqlite3.Row``).
    Each child row (block, slot, registration, attempt, attendance) carries
    the ``session_id`` it belongs to; block rows also a ``position`` giving
    the block order (distinct within a session; gaps are fine); each
    session row a ``template_id``. Problems are reported at
    ``$.<table>[<row>]`` paths (``$.attempts[17].score``).

    ``naive_timezone`` reads datetimes without an offset in that IANA zone
    (databases that store UTC without a zone); ``row_keys`` names, per
    table, a column whose value every problem of that row carries
    (``Problem.row_key``); ``ignore_keys`` names, per table, columns read
    nowhere. Any other column a type does not have is a problem.
    See the "your data in" page of the documentation for examples.
    """
    mode = check_on_error(on_error)
    options = check_options(row_keys, ignore_keys)
    structurer_ = structurer(rules(naive_timezone))
    given = dict(zip(TABLES, (groups, users, sessions, templates, blocks, slots), strict=False))
    given.update(registrations=registrations, attempts=attempts, attendances=attendances)
    rows = {name: _rows(name, given[name]) for name in TABLES}
    sink = Sink()
    reader = _Reader(structurer_, options, sink)
    records = {name: reader.records(name, rows[name]) for name in TABLES}
    directory, context = directory_of(
        structurer_,
        [reader.stripped("groups", r) if r is not None else r for r in records["groups"]],
        [reader.stripped("users", r) if r is not None else r for r in records["users"]],
        (member(ROOT, "groups"), member(ROOT, "users")),
        sink,
    )
    templates_by_id = _templates(reader, records["templates"])
    found_sessions = _Sessions(reader, records, templates_by_id, context).build()
    if mode == "raise" and sink.causes:
        raise InvalidRecordsError(_with_row_keys(sink.causes, rows, options))
    problems = _with_row_keys(sink.problems, rows, options)
    return World(directory=directory, sessions=found_sessions, problems=problems)


def _templates(
    reader: _Reader, records: list[dict[Any, Any] | None]
) -> dict[str, ProgramTemplate | Out]:
    """The templates by id; a bad row leaves its id out (with the reason)."""
    found: dict[str, ProgramTemplate | Out] = {}
    for number, record in enumerate(records):
        if record is None:
            continue
        where = index(member(ROOT, "templates"), number)
        tid = record.get("id")
        if type(tid) is str and tid in found:
            reader.sink.add(
                member(where, "id"),
                f"ProgramTemplate {short(tid, 40)} appears twice; ids must be unique",
                tid,
            )
            continue
        template = reader.structurer.one(
            ProgramTemplate, reader.stripped("templates", record), where, reader.sink
        )
        if type(tid) is str and tid:
            found[tid] = template or Out(f"template {short(tid, 40)}", where)
    return found


_Child = tuple[int, dict[Any, Any]]  # the row's number in its table, and the row


class _Sessions:
    """The sessions of the tables: each from its row and the rows that name it."""

    def __init__(
        self,
        reader: _Reader,
        records: Mapping[str, list[dict[Any, Any] | None]],
        templates: Mapping[str, ProgramTemplate | Out],
        context: Any,
    ) -> None:
        self.reader = reader
        self.sink = reader.sink
        self.records = records
        self.templates = templates
        self.context = context
        self.rows: dict[str, int] = {}  # session id -> its row
        for number, record in enumerate(records["sessions"]):
            sid = record.get("id") if record is not None else None
            if type(sid) is str and sid and sid not in self.rows:
                self.rows[sid] = number
        self.children: dict[str, dict[str, list[_Child]]] = {sid: {} for sid in self.rows}
        self.unclean: set[str] = set()  # sessions with a child row that has an unknown key
        for table in CHILDREN:
            self.gather(table)

    def gather(self, table: str) -> None:
        """Each valid-looking child row under its session id."""
        spec = self.reader.structurer.rules.specs[CHILDREN[table]]
        allowed = spec.names | self.reader.extra(table)
        records = self.records[table]
        # Every key of the table at once; rows are looked at one by one only when one is unknown.
        clean = allowed.issuperset(set().union(*filter(None, records)))
        for number, record in enumerate(records):
            if record is None:
                continue
            sid = record.get("session_id")
            mine = self.children.get(sid) if type(sid) is str else None
            if mine is None or type(sid) is not str:
                self.sink.add(
                    member(_row(table, number), "session_id"),
                    f"session_id {short(sid, 40)} is not a session of the sessions table",
                    spec.record_id(record),  # the row's own id, as for its other problems
                )
                continue
            if not clean and not allowed.issuperset(record):  # the quarantine names them
                self.unclean.add(sid)
            mine.setdefault(table, []).append((number, record))

    def build(self) -> list[Session]:
        built: list[Session] = []
        base = member(ROOT, "sessions")
        for number, record in enumerate(self.records["sessions"]):
            if record is None:
                continue
            session = self.session(index(base, number), number, record)
            if session is not None:
                built.append(session)
        return built

    def session(self, where: str, number: int, row: dict[Any, Any]) -> Session | None:
        sid = row.get("id")
        rid = sid if type(sid) is str else None
        if rid is not None and rid and self.rows.get(rid) != number:
            twice = given_twice(member(where, "id"), rid)
            self.sink.add(twice.path, twice.message, rid)
            return None
        template = self.template(where, row, rid)
        arrays = [key for key in CHILDREN if key in row]
        for key in arrays:
            self.sink.add(
                member(where, key),
                f"a session row carries no {key}: they are rows of the {key} table, "
                "each with this session's session_id",
                rid,
            )
        if template is None or arrays:
            return None
        mine = self.children.get(rid, {}) if rid else {}
        record = self.reader.stripped("sessions", row)
        record.pop("template", None)
        record["template"] = template
        blocks, dropped = self.ordered_blocks(mine.get("blocks", []), rid)
        mine = {**mine, "blocks": blocks}
        if dropped is None and rid not in self.unclean:
            found = self.fast(record, mine)
            if found is not None:
                return found
        return self.quarantine(where, record, mine, dropped)

    def template(self, where: str, row: Mapping[Any, Any], rid: str | None) -> Any:
        """The session's template (a value or a nested record); None after a problem."""
        if "template" in row and "template_id" in row:
            self.sink.add(
                where,
                "a session row has a template or a template_id, not both",
                rid,
            )
            return None
        if "template" in row:
            return row["template"]
        tid = row.get("template_id")
        template = self.templates.get(tid) if type(tid) is str else None
        if isinstance(template, Out):
            self.sink.left_out(where, template, rid)
            return None
        if template is None:
            self.sink.add(
                member(where, "template_id"),
                f"template_id {short(tid, 40)} is not a template of the templates table",
                rid,
            )
        return template

    def ordered_blocks(
        self, rows: list[_Child], rid: str | None
    ) -> tuple[list[_Child], dict[str, Out] | None]:
        """The block rows in the order of their positions, and the blocks left out.

        A position that is not an int >= 0, or that two blocks of the
        session share, is a problem; those blocks are left out (all of them:
        which one to keep would depend on the order of the rows).
        """
        by_position: dict[int, list[_Child]] = {}
        dropped: dict[str, Out] = {}
        for number, record in rows:
            where = _row("blocks", number)
            position = record.get("position")
            if isinstance(position, bool) or not isinstance(position, int) or position < 0:
                self.sink.add(
                    member(where, "position"),
                    f"block position must be an int >= 0 (0-based order), got {short(position)}",
                    _text(record.get("id")),
                )
                _drop(dropped, where, record)
                continue
            by_position.setdefault(position, []).append((number, record))
        ordered = []
        for position in sorted(by_position):
            same = by_position[position]
            if len(same) == 1:
                ordered.append(same[0])
                continue
            for number, record in same:
                where = _row("blocks", number)
                self.sink.add(
                    member(where, "position"),
                    f"block position {position} is given to {len(same)} blocks of session "
                    f"{short(rid, 40)}; positions must be distinct",
                    _text(record.get("id")),
                )
                _drop(dropped, where, record)
        return ordered, (None if len(ordered) == len(rows) else dropped)

    def fast(self, record: dict[Any, Any], mine: Mapping[str, list[_Child]]) -> Session | None:
        """The session all at once, when every row is valid; None otherwise.

        Registrations, attempts and attendances are read by column (their
        rows' other columns are known to be structural, keys or ignored),
        other rows one at a time.
        """
        structurer_ = self.reader.structurer
        values = dict(record)
        for table, cls in CHILDREN.items():
            rows = [child for _, child in mine.get(table, [])]
            found = None
            if cls in COLUMN_TYPES:
                spec = structurer_.rules.specs[cls]
                found = values_of_records(spec, rows, structurer_.rules.zone, keys_checked=True)
            if found is None:
                try:
                    found = list(map(structurer_.fast[cls], rows))
                except Exception:  # the quarantine names what is wrong
                    return None
            values[table] = list(found)
        session: Session | None = structurer_.quick(Session, values)
        if session is None:
            return None
        if self.context.directory is not None and not _known(session, self.context.directory):
            return None
        return session

    def quarantine(
        self,
        where: str,
        record: dict[Any, Any],
        mine: Mapping[str, list[_Child]],
        dropped: Mapping[str, Out] | None,
    ) -> Session | None:
        """The session through the quarantine: every problem of its rows named."""
        paths: dict[str, list[str]] = {}
        for table in CHILDREN:
            children = mine.get(table, [])
            record[table] = [self.reader.stripped(table, child) for _, child in children]
            paths[table] = [_row(table, number) for number, _ in children]
        builder = SessionBuilder(
            self.reader.structurer, record, where, paths, self.context, self.sink
        )
        return builder.build(blocks_out=dropped)


def _row(table: str, number: int) -> str:
    """The path of row ``number`` of ``table``: ``$.attempts[17]``."""
    return index(member(ROOT, table), number)


def _drop(dropped: dict[str, Out], where: str, record: Mapping[Any, Any]) -> None:
    bid = _text(record.get("id"))
    if bid is not None:
        dropped.setdefault(bid, Out(f"block {short(bid, 40)}", where))


def _text(value: object) -> str | None:
    return value if type(value) is str and value else None


def _with_row_keys(
    problems: list[Problem], rows: Mapping[str, list[Any]], options: Options
) -> list[Problem]:
    """Each problem of a row whose table has a key column, with that row's key."""
    if not options.row_keys:
        return problems
    found = []
    for problem in problems:
        match = _ROW_PATH.match(problem.path)
        column = options.row_keys.get(match.group(1)) if match else None
        if match is None or column is None:
            found.append(problem)
            continue
        record = as_mapping(rows[match.group(1)][int(match.group(2))])
        key = record.get(column) if record is not None else None
        found.append(attrs.evolve(problem, row_key=_row_key(key)))
    return found


def _row_key(value: object) -> str | int | None:
    """A row's key as problems carry it: text and whole numbers as they are."""
    if value is None or absent(value):
        return None
    if type(value) is str or (type(value) is int):
        return value
    return short(value, 40)
