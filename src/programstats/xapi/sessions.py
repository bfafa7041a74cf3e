"""From xAPI statements of a cmi5 course to a :class:`~programstats.Session`.

:func:`session_from_statements` applies the mapping of SPEC §14: one block
per AU, one registration per user, one attempt per cmi5 session per AU in
``Normal`` launch mode, moveOn for completion, ``waived``, voiding and the
order of statements. The rules, and the choices made where cmi5 leaves room,
are in ``docs/xapi.md``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from .._checks import MAX_DURATION, error_text, known_ids, short
from .._jsonpath import index, member
from ..directory import Directory
from ..errors import InvalidInputError
from ..session import Attempt, Block, BlockKind, ProgramTemplate, Registration, Session
from ..world import InvalidRecordsError, Problem, World
from .course import AU, Course, _plain_number
from .statements import (
    ABANDONED,
    COMPLETED,
    COURSE,
    FAILED,
    LAUNCHED,
    OTHER,
    PASSED,
    SATISFIED,
    TERMINATED,
    VOIDED,
    WAIVED,
    Statement,
    StatementReader,
    voided_target,
)

__all__ = ["session_from_statements"]

_ZERO = timedelta(0)
_get = dict.get
#: Verbs of the LMS: not activity of the learner (``last_activity_at`` never reads them).
_LMS_VERBS = frozenset((LAUNCHED, ABANDONED, WAIVED, SATISFIED))
#: Verbs a cmi5 session may hold more than once (``satisfied``: the LMS's, about blocks).
_REPEATABLE = frozenset((OTHER, SATISFIED))
_OTHER_RESULT = {PASSED: FAILED, FAILED: PASSED}

#: A cmi5 session: user, registration, AU position, session id.
_Key = tuple[str, str, int, str]


def session_from_statements(
    course: Course,
    statements: Iterable[Any],
    *,
    directory: Directory,
    id: str,
    name: str,
    author_id: str,
    start: datetime,
    end: datetime,
    template: ProgramTemplate | None = None,
    user_id: Callable[[Any], str] | None = None,
    on_error: Literal["raise", "skip"] = "raise",
) -> World:
    """The session the statements of a cmi5 course describe, in a :class:`~programstats.World`.

    ``statements`` is any iterable of parsed xAPI statements (``dict``\\ s,
    as ``json.loads`` gives them), in any order -- for instance the pages
    of a Learning Record Store's ``GET /statements``. ``directory`` must
    hold every learner and the author; ``user_id(actor)`` maps a
    statement's actor to a user id (by default ``actor.account.name``,
    else the ``mbox`` address without ``mailto:``). ``template`` defaults
    to ``ProgramTemplate(id=course.id, name=course.title)``.

    The session has one block per AU of the course, one registration per
    learner with a statement, and one attempt per cmi5 session per AU
    launched in ``Normal`` mode (see ``docs/xapi.md`` for every rule).

    A bad statement is a :class:`~programstats.Problem` whose path points
    into the input (``$[17].result.score.scaled``). With ``on_error="raise"``
    every problem is found, then :class:`~programstats.InvalidRecordsError`
    lists them; with ``"skip"`` each bad statement is left out, named in
    ``World.problems``, and the rest is computed.

    Raises :class:`~programstats.InvalidInputError` for a bad argument
    (naive ``start``, an author the directory does not know, ...).
    """
    skeleton = _check_arguments(
        course, directory, id, name, author_id, start, end, template, user_id, on_error
    )
    items = _listed(statements)
    found: list[tuple[int, Problem]] = []
    reader = StatementReader(course, directory.users, user_id, found)
    read = []
    kept, idents = _unique(items, reader)
    for position in kept:
        statement_read = reader.read(position, items[position], idents[position])
        if statement_read is not None:
            read.append(statement_read)
    registrations, attempts = _mapped(course, read, reader)
    problems = [problem for _, problem in sorted(found, key=_first)]
    if problems and on_error == "raise":
        raise InvalidRecordsError(problems)
    session = Session(
        id=skeleton.id,
        name=skeleton.name,
        template=skeleton.template,
        author_id=skeleton.author_id,
        start=skeleton.start,
        end=skeleton.end,
        blocks=skeleton.blocks,
        registrations=registrations,
        attempts=attempts,
    )
    return World(directory=directory, sessions=(session,), problems=problems)


def _first(item: tuple[int, Problem]) -> int:
    return item[0]


def blocks_of(course: Course) -> list[Block]:
    """One block per AU, in course order: an assessment when the AU has a masteryScore."""
    return [
        Block(
            id=au.id,
            title=au.title,
            kind=BlockKind.COURSE if au.mastery_score is None else BlockKind.ASSESSMENT,
            scored=au.mastery_score is not None or au.needs_pass,
            passing_score=au.passing_score,
        )
        for au in course.aus
    ]


def _check_arguments(
    course: object,
    directory: object,
    ident: object,
    name: object,
    author_id: object,
    start: object,
    end: object,
    template: object,
    user_id: object,
    on_error: object,
) -> Session:
    """Every argument checked; a session without learners built from them."""
    if not isinstance(course, Course):
        raise InvalidInputError(
            f"session_from_statements: course must be a Course (see read_course), "
            f"got {type(course).__name__}"
        )
    if not isinstance(directory, Directory):
        raise InvalidInputError(
            "session_from_statements: directory must be a Directory, "
            f"got {type(directory).__name__}"
        )
    if on_error not in ("raise", "skip") or type(on_error) is not str:
        raise InvalidInputError(
            "session_from_statements: on_error must be 'raise' or 'skip', "
            f"got {short(on_error, 60)}"
        )
    if user_id is not None and not callable(user_id):
        raise InvalidInputError(
            "session_from_statements: user_id must be a function of the actor (or None), "
            f"got {type(user_id).__name__}"
        )
    if template is not None and not isinstance(template, ProgramTemplate):
        raise InvalidInputError(
            "session_from_statements: template must be a ProgramTemplate (or None), "
            f"got {type(template).__name__}"
        )
    skeleton = Session(
        id=ident,  # type: ignore[arg-type]  # checked by Session
        name=name,  # type: ignore[arg-type]
        template=template or ProgramTemplate(id=course.id, name=course.title),
        author_id=author_id,  # type: ignore[arg-type]
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
        blocks=blocks_of(course),
    )
    if skeleton.author_id not in directory.users:
        raise InvalidInputError(
            f"session_from_statements: author_id {short(skeleton.author_id, 60)} is not in "
            f"the directory ({known_ids(directory.users)})"
        )
    return skeleton


def _listed(statements: object) -> list[Any]:
    if isinstance(statements, (str, bytes, dict)) or not isinstance(statements, Iterable):
        raise InvalidInputError(
            "session_from_statements: statements must be an iterable of statements "
            f"(parsed JSON objects), got a single {type(statements).__name__}; "
            "wrap one statement in a list: [statement]"
        )
    try:
        return list(statements)
    except InvalidInputError:
        raise
    except Exception as error:
        raise InvalidInputError(
            f"session_from_statements: statements could not be read ({error_text(error)})"
        ) from error


def _same(one: object, other: object) -> bool:
    try:
        return bool(one == other)
    except Exception:  # RecursionError on absurdly deep values, among others
        return False


def _unique(items: list[Any], reader: StatementReader) -> tuple[list[int], list[str | None]]:
    """The positions of the statements left once voiding and repeated ids are applied,
    and every statement's id (None when it has none).

    A voiding statement removes its target and itself. A statement id given
    twice with the same content is one statement; with different content,
    every copy is left out, with one problem. (Positions and ids, not
    tuples per statement: fewer objects for the cyclic collector to walk.)
    """
    idents: list[str | None] = [None] * len(items)
    kept: list[int] = []
    first: dict[str, int] = {}
    conflicts: dict[str, int] = {}  # id -> the first copy that differs from the first
    voiders: list[tuple[int, str]] = []
    for position, statement in enumerate(items):
        if not isinstance(statement, dict):
            reader.problem(
                position,
                index("$", position),
                f"a statement must be a JSON object, got {type(statement).__name__}",
                None,
            )
            continue
        ident = _get(statement, "id")
        if ident is not None:
            if not (isinstance(ident, str) and ident):
                reader.problem(
                    position,
                    member(index("$", position), "id"),
                    f"must be the statement's id (text), got {short(ident, 60)}",
                    None,
                )
                continue
            ident = idents[position] = str.__str__(ident)
        verb = _get(statement, "verb")
        if isinstance(verb, dict) and _get(verb, "id") == VOIDED:
            target, wrong = voided_target(statement)
            if target is None:
                reader.problem(position, member(index("$", position), "object"), wrong, ident)
            else:
                voiders.append((position, target))
            continue
        if ident is None:
            kept.append(position)
            continue
        seen = first.get(ident)
        if seen is None:
            first[ident] = position
            kept.append(position)
        elif ident not in conflicts and not _same(items[seen], statement):
            conflicts[ident] = position
    voider_ids = {idents[position] for position, _ in voiders}
    voided = set()
    for position, target in voiders:
        if target in voider_ids:
            reader.problem(
                position,
                member(member(index("$", position), "object"), "id"),
                "names a voiding statement, which cannot be voided",
                idents[position],
            )
        else:
            voided.add(target)
    for ident, position in conflicts.items():
        if ident not in voided:
            reader.problem(
                position,
                member(index("$", position), "id"),
                f"is also the id of $[{first[ident]}], whose content differs; "
                "both statements are left out",
                ident,
            )
    gone = voided.union(conflicts)
    if gone:
        kept = [position for position in kept if idents[position] not in gone]
    return kept, idents


class _Part(NamedTuple):
    """What one cmi5 session of one AU comes to."""

    started: datetime
    last: datetime
    time: timedelta
    score: Decimal | None
    passed: bool
    completed: bool
    mode: str
    waived: bool
    session: str


def _order(statement: Statement) -> tuple[datetime, datetime, int]:
    return statement.timestamp, statement.stored, statement.position


def _mapped(
    course: Course, read: list[Statement], reader: StatementReader
) -> tuple[list[Registration], list[Attempt]]:
    """The registrations and attempts the statements read give (repeats named as problems)."""
    registered: dict[str, datetime] = {}
    sessions: dict[_Key, list[Statement]] = {}
    for statement in read:
        user = statement.user
        known = registered.get(user)
        if known is None or statement.timestamp < known:
            registered[user] = statement.timestamp
        if statement.au != COURSE:
            key = (user, statement.registration, statement.au, statement.session)
            found = sessions.get(key)
            if found is None:
                sessions[key] = [statement]
            else:
                found.append(statement)
    launches: dict[tuple[str, str], list[datetime]] = {}
    opened: dict[_Key, datetime] = {}
    for key, statements in sessions.items():
        statements.sort(key=_order)
        launched = next((s.timestamp for s in statements if s.verb == LAUNCHED), None)
        opened[key] = statements[0].timestamp if launched is None else launched
        if launched is not None:
            launches.setdefault(key[:2], []).append(launched)
    for instants in launches.values():
        instants.sort()
    parts: dict[tuple[str, str, int], list[_Part]] = {}
    for key, statements in sessions.items():
        instants = launches.get(key[:2], [])
        after = bisect_right(instants, opened[key])
        part = _part(key, statements, instants[after] if after < len(instants) else None, reader)
        parts.setdefault(key[:3], []).append(part)
    attempts = []
    for (user, _, au_position), done in parts.items():
        attempts.extend(_attempts(user, course.aus[au_position], done))
    attempts.sort(key=_attempt_order)
    registrations = [
        Registration(user_id=user, registered_at=registered[user]) for user in sorted(registered)
    ]
    return registrations, attempts


def _attempt_order(attempt: Attempt) -> tuple[str, str, datetime, datetime, bool, float]:
    return (
        attempt.user_id,
        attempt.block_id,
        attempt.started_at,
        attempt.last_activity_at,
        attempt.completed,
        -1.0 if attempt.score is None else attempt.score,
    )


def _part(
    key: _Key, statements: list[Statement], next_launch: datetime | None, reader: StatementReader
) -> _Part:
    """One cmi5 session, its statements in order: what it says, repeats named as problems."""
    end = next((s for s in statements if s.verb in (TERMINATED, ABANDONED)), None)
    cut = end.timestamp if end is not None else None
    if next_launch is not None and (cut is None or next_launch < cut):
        cut = next_launch
    seen: dict[str, int] = {}
    kept = []
    opening = statements[0]
    for statement in statements:
        if cut is not None and statement.timestamp > cut:
            break  # after the session's end: ignored
        if statement.timestamp - opening.timestamp > MAX_DURATION:
            reader.problem(
                statement.position,
                member(index("$", statement.position), "timestamp"),
                f"is over 100 years after $[{opening.position}], the start of its cmi5 "
                "session; an attempt lasts at most 100 years",
                statement.id,
            )
            continue
        verb = statement.verb
        if verb not in _REPEATABLE:
            first = verb if verb in seen else _OTHER_RESULT.get(verb)
            if first is not None and first in seen:
                reader.problem(
                    statement.position,
                    member(index("$", statement.position), "verb"),
                    f"{verb} after {first} ($[{seen[first]}]) in one cmi5 session; "
                    "the later one is left out",
                    statement.id,
                )
                continue
            seen[verb] = statement.position
        kept.append(statement)
    started = kept[0].timestamp
    mode = next((s.launch_mode for s in kept if s.verb == LAUNCHED), "Normal")
    waived = next((s for s in kept if s.verb == WAIVED), None)
    if waived is not None:
        moment = waived.timestamp
        return _Part(moment, moment, _ZERO, None, False, True, mode, True, key[3])
    activity = [s.timestamp for s in kept if s.verb not in _LMS_VERBS]
    last = max(activity) if activity else started
    verbs = {s.verb: s for s in kept}
    time = None
    for verb in (TERMINATED, ABANDONED):
        if verb in verbs and verbs[verb].duration is not None:
            time = verbs[verb].duration
            break
    if time is None:
        time = last - started
    result = verbs.get(PASSED) or verbs.get(FAILED)
    return _Part(
        started,
        last,
        time,
        None if result is None else result.score,
        PASSED in verbs,
        COMPLETED in verbs,
        mode,
        False,
        key[3],
    )


def _met(move_on: str, passed: bool, completed: bool) -> bool:
    if move_on == "Passed":
        return passed
    if move_on == "CompletedAndPassed":
        return passed and completed
    if move_on == "CompletedOrPassed":
        return passed or completed
    return completed  # Completed, NotApplicable


def _attempts(user: str, au: AU, parts: list[_Part]) -> list[Attempt]:
    """The attempts of one user's registration on one AU: its Normal sessions, in order."""
    parts.sort(key=lambda part: (part.started, part.session))
    passed = completed = False
    attempts = []
    for part in parts:
        if part.mode != "Normal":
            continue  # Browse and Review sessions are not attempts
        if part.waived:
            done = True
        else:
            passed = passed or part.passed
            completed = completed or part.completed
            done = _met(au.move_on, passed, completed)
        attempts.append(
            Attempt(
                user_id=user,
                block_id=au.id,
                started_at=part.started,
                last_activity_at=part.last,
                time_spent=part.time,
                score=None if part.score is None else _plain_number(part.score),
                completed=done,
            )
        )
    return attempts
