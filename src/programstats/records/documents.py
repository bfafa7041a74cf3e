"""Documents in: a world, a directory, sessions, one record of any type.

Each entry point takes the fast path first -- the whole document at once,
through the cattrs functions of :mod:`.structuring` -- and only for what
that refuses runs the quarantine of :mod:`.quarantine`, which names every
problem and leaves out what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from .._checks import short
from .._jsonpath import ROOT, index, member
from ..directory import Directory, Group, User
from ..errors import InvalidInputError
from ..facts import check_known
from ..session import BlockKind, Session
from ..world import InvalidRecordsError, Problem, World, given_twice
from .format import Unloadable, UnreadableError, as_mapping, read_kind, rules
from .problems import OnError, Sink, check_on_error, finish
from .quarantine import Context, SessionBuilder, build_directory, items
from .structuring import Structurer, structurer, unloadable

__all__ = [
    "structure",
    "structure_directory",
    "structure_directory_and_sessions",
    "structure_session",
    "structure_sessions",
    "structure_world",
]

_T = TypeVar("_T")
_WORLD_KEYS = ("groups", "users", "sessions")
_DIRECTORY_KEYS = ("groups", "users")


def _structurer(naive_timezone: object) -> Structurer:
    return structurer(rules(naive_timezone))


def _document(doc: Any, what: str, keys: tuple[str, ...], sink: Sink) -> dict[Any, Any]:
    """The document as a dict (raising when it is not an object), its unknown keys named."""
    found = as_mapping(doc)
    if isinstance(doc, Unloadable):
        unloadable(doc, ROOT, sink)
        raise InvalidRecordsError(sink.problems)
    if found is None:
        sink.add(ROOT, f"a {what} must be an object, got {type(doc).__name__}")
        raise InvalidRecordsError(sink.problems)
    for key in found:
        if key not in keys:
            sink.add(
                member(ROOT, key),
                f"a {what} has no key {short(key, 40)}; its keys are: {', '.join(keys)}",
            )
    return found


def directory_of(
    structurer_: Structurer, groups: Any, users: Any, paths: tuple[str, str], sink: Sink
) -> tuple[Directory, Context]:
    """The directory of ``groups`` and ``users`` records: all at once when valid."""
    found_groups = structurer_.quick_many(Group, groups)
    found_users = structurer_.quick_many(User, users)
    if found_groups is not None and found_users is not None:
        try:
            directory = Directory(users=found_users, groups=found_groups)
        except InvalidInputError:
            pass  # the quarantine names what is wrong, with the values already built
        else:
            context = Context(users=directory.users, groups=directory.groups, directory=directory)
            return directory, context
    return build_directory(structurer_, groups, users, paths, sink, (found_groups, found_users))


def _directory_of_document(
    structurer_: Structurer, found: Mapping[Any, Any], sink: Sink
) -> tuple[Directory, Context]:
    """The directory of a world document or directory record (its groups and users)."""
    paths = (member(ROOT, "groups"), member(ROOT, "users"))
    return directory_of(structurer_, found.get("groups"), found.get("users"), paths, sink)


def session_of(
    structurer_: Structurer,
    record: Any,
    path: str,
    context: Context,
    sink: Sink,
) -> Session | None:
    """One session record: all at once when it is valid (and knows only the directory's ids)."""
    found: Session | None = structurer_.quick(Session, record)
    if found is not None and (context.directory is None or _known(found, context.directory)):
        return found
    mapping = structurer_.record_of(structurer_.rules.specs[Session], record, path, sink)
    if mapping is None:
        return None
    return SessionBuilder(structurer_, mapping, path, None, context, sink).build()


def _known(session: Session, directory: Directory) -> bool:
    """Whether every user and group ``session`` names is in ``directory``."""
    try:
        check_known(session, directory)
    except InvalidInputError:
        return False
    return True


def session_record(
    record: Any,
    directory: Directory,
    *,
    naive_timezone: str | None = None,
    position: int,
) -> tuple[Session | None, list[Problem], list[Problem]]:
    """One session record against a directory: its session (or None), problems and causes.

    What :func:`structure_sessions` does for each record, without the
    check of ids given twice, which needs the other records: the parts of
    a long input (Dask partitions) each structure their records, named
    ``$.sessions[position]``, and the ids are checked where the parts meet.
    """
    structurer_ = _structurer(naive_timezone)
    sink = Sink()
    context = Context(users=directory.users, groups=directory.groups, directory=directory)
    session = session_of(
        structurer_, record, index(member(ROOT, "sessions"), position), context, sink
    )
    return session, sink.problems, sink.causes


def sessions_of(
    structurer_: Structurer,
    value: Any,
    path: str,
    context: Context,
    sink: Sink,
    *,
    first: int = 0,
) -> list[Session]:
    """The sessions of an array of session records, each id once.

    ``first`` is the position of the first record in the whole input (its
    path is ``path[first]``): a part of a longer input names its records
    as the whole would.
    """
    found: list[Session] = []
    seen: set[str] = set()
    for number, item in enumerate(items(value, "sessions", path, "world", sink) or (), first):
        where = index(path, number)
        session = session_of(structurer_, item, where, context, sink)
        if session is None:
            continue
        if session.id in seen:
            twice = given_twice(member(where, "id"), session.id)
            sink.add(twice.path, twice.message, twice.record_id)
            continue
        seen.add(session.id)
        found.append(session)
    return found


def structure_world(
    doc: Mapping[str, Any], on_error: OnError = "raise", *, naive_timezone: str | None = None
) -> World:
    """A :class:`~programstats.World` from a world document ``{"groups", "users", "sessions"}``.

    >>> doc = {"groups": [{"id": "g", "name": "Sales"}],
    ...        "users": [{"id": "ana", "first_name": "Ana", "last_name": "Alves",
    ...                   "email": "ana@example.com", "group_ids": ["g"]}],
    ...        "sessions": []}
    >>> world = structure_world(doc)
    >>> world.directory.user("ana").group_ids, world.sessions, world.problems
    (frozenset({'g'}), (), ())

    With ``on_error="skip"`` bad records are left out and named in
    ``World.problems``; with ``"raise"`` (the default) every problem is
    found, then :class:`~programstats.InvalidRecordsError` is raised.
    ``naive_timezone`` (an IANA name) reads datetimes without an offset in
    that zone; without it they are problems.
    """
    mode = check_on_error(on_error)
    structurer_ = _structurer(naive_timezone)
    sink = Sink()
    found = _document(doc, "world document", _WORLD_KEYS, sink)
    directory, context = _directory_of_document(structurer_, found, sink)
    sessions = sessions_of(
        structurer_, found.get("sessions"), member(ROOT, "sessions"), context, sink
    )
    finish(sink, mode)
    return World(directory=directory, sessions=sessions, problems=sink.problems)


def structure_sessions(
    records: Iterable[Any],
    directory: Directory,
    on_error: OnError = "raise",
    *,
    naive_timezone: str | None = None,
    first: int = 0,
) -> World:
    """The sessions of session records (JSON Lines, a Dask partition) against a directory.

    Record ``n`` of ``records`` is named ``$.sessions[first + n]``, so the
    parts of a long input, each given its ``first``, name their records as
    the whole input would.

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> from programstats.records import to_record
    >>> world = structure_sessions([to_record(tiny_session()), {"id": 7}], tiny_directory(),
    ...                            on_error="skip")
    >>> [s.id for s in world.sessions], world.problems[0].path
    (['s1'], '$.sessions[1].id')
    """
    mode = check_on_error(on_error)
    if not isinstance(directory, Directory):
        raise InvalidInputError(
            f"structure_sessions: directory must be a Directory, got {type(directory).__name__}"
        )
    if isinstance(first, bool) or not isinstance(first, int) or first < 0:
        raise InvalidInputError(f"structure_sessions: first must be an int >= 0, got {first!r}")
    structurer_ = _structurer(naive_timezone)
    sink = Sink()
    context = Context(users=directory.users, groups=directory.groups, directory=directory)
    sessions = sessions_of(
        structurer_, records, member(ROOT, "sessions"), context, sink, first=first
    )
    finish(sink, mode)
    return World(directory=directory, sessions=sessions, problems=sink.problems)


def structure_directory_and_sessions(
    directory: Mapping[str, Any],
    sessions: Iterable[Any],
    on_error: OnError = "raise",
    *,
    naive_timezone: str | None = None,
) -> World:
    """A :class:`~programstats.World` from a directory record and session records.

    How JSON Lines files give a world: the directory record
    ``{"groups": [...], "users": [...]}`` on its own, then one session
    record per line (see :func:`json_lines`). Problems are named as in the
    world document ``{**directory, "sessions": sessions}`` -- the sessions
    numbered in order from 0 -- and ``on_error`` works as in
    :func:`structure_world`.
    """
    mode = check_on_error(on_error)
    structurer_ = _structurer(naive_timezone)
    sink = Sink()
    found = _document(directory, "directory record", _DIRECTORY_KEYS, sink)
    world_directory, context = _directory_of_document(structurer_, found, sink)
    if isinstance(sessions, (str, bytes, Mapping)) or not isinstance(sessions, Iterable):
        raise InvalidInputError(
            "structure_directory_and_sessions: sessions must be an iterable of session "
            f"records, got {type(sessions).__name__}"
        )
    found_sessions = sessions_of(
        structurer_, list(sessions), member(ROOT, "sessions"), context, sink
    )
    finish(sink, mode)
    return World(directory=world_directory, sessions=found_sessions, problems=sink.problems)


def structure_session(record: Mapping[str, Any], *, naive_timezone: str | None = None) -> Session:
    """A :class:`~programstats.Session` from a session record (a JSON object).

    >>> session = structure_session({
    ...     "id": "s1", "name": "Onboarding", "author_id": "olga",
    ...     "template": {"id": "onb", "name": "Onboarding"},
    ...     "start": "2026-03-02T09:00:00Z", "end": "2026-03-31T18:00:00+02:00",
    ...     "blocks": [{"id": "b1", "title": "Welcome", "kind": "COURSE"}]})
    >>> session.end.isoformat(), session.blocks[0].kind
    ('2026-03-31T16:00:00+00:00', <BlockKind.COURSE: 'course'>)

    Raises :class:`~programstats.InvalidRecordsError` listing every problem
    (it does not check users and groups: that needs a directory, see
    :func:`structure_world` and :func:`structure_sessions`).
    """
    structurer_ = _structurer(naive_timezone)
    sink = Sink()
    session = session_of(structurer_, record, ROOT, Context(), sink)
    if session is None or sink.causes:
        raise InvalidRecordsError(sink.causes)
    return session


def structure_directory(
    record: Mapping[str, Any], *, naive_timezone: str | None = None
) -> Directory:
    """A :class:`~programstats.Directory` from ``{"groups": [...], "users": [...]}``.

    Raises :class:`~programstats.InvalidRecordsError` listing every problem.
    """
    structurer_ = _structurer(naive_timezone)
    sink = Sink()
    found = _document(record, "directory record", _DIRECTORY_KEYS, sink)
    directory, _ = _directory_of_document(structurer_, found, sink)
    if sink.causes:
        raise InvalidRecordsError(sink.causes)
    return directory


def structure(cls: type[_T], record: Any, *, naive_timezone: str | None = None) -> _T:
    """Any input type from its record: ``structure(Attempt, {...})``.

    >>> from programstats import Attempt
    >>> structure(Attempt, {"user_id": "ana", "block_id": "b1",
    ...     "started_at": "2026-03-04T10:00:00Z", "last_activity_at": "2026-03-04T11:00:00Z",
    ...     "time_spent": 1500.5, "score": 80}).time_spent
    datetime.timedelta(seconds=1500, microseconds=500000)

    Raises :class:`~programstats.InvalidRecordsError` listing every problem.
    """
    if cls is Session:
        return structure_session(record, naive_timezone=naive_timezone)  # type: ignore[return-value]
    if cls is Directory:
        return structure_directory(record, naive_timezone=naive_timezone)  # type: ignore[return-value]
    if cls is World:
        return structure_world(record, naive_timezone=naive_timezone)  # type: ignore[return-value]
    structurer_ = _structurer(naive_timezone)
    if cls is BlockKind:
        try:
            return read_kind(record)  # type: ignore[no-any-return]
        except UnreadableError as error:
            raise InvalidRecordsError([Problem(path=ROOT, message=f"kind {error}")]) from None
    if cls not in structurer_.rules.specs:
        raise InvalidInputError(
            f"structure: {short(getattr(cls, '__name__', cls), 40)} is not an input type of "
            "programstats"
        )
    sink = Sink()
    found = structurer_.one(cls, record, ROOT, sink)
    if found is None or sink.causes:
        raise InvalidRecordsError(sink.causes)
    return found  # type: ignore[no-any-return]
