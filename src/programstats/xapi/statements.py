"""Reading one xAPI statement: what it says, or every problem it has (private).

:class:`StatementReader` turns one parsed JSON statement into a
:class:`Statement` -- who, when, which AU, cmi5 session and registration,
which cmi5 verb, its duration and score -- or into :class:`Problem`\\ s
whose paths point into the input (``$[17].result.score.scaled``). Only
what the mapping needs is read; the rest of a statement is not checked.

Voiding statements are recognised by :func:`voided_target`; reading them
is :mod:`programstats.xapi.sessions`'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal, localcontext
from typing import Any, NamedTuple

from .._checks import EARLIEST, error_text, known_ids, short, text_problem
from .._jsonpath import index, member
from ..errors import InvalidInputError
from ..world import Problem
from .course import Course
from .durations import parse_duration
from .timestamps import parse_timestamp, quick_timestamp

__all__ = [
    "ABANDONED",
    "COMPLETED",
    "FAILED",
    "INITIALIZED",
    "LAUNCHED",
    "OTHER",
    "PASSED",
    "SATISFIED",
    "TERMINATED",
    "VOIDED",
    "WAIVED",
    "Statement",
    "StatementReader",
]

_ADL = "http://adlnet.gov/expapi/verbs/"
_W3ID = "https://w3id.org/xapi/adl/verbs/"
LAUNCHED = "launched"
INITIALIZED = "initialized"
COMPLETED = "completed"
PASSED = "passed"
FAILED = "failed"
TERMINATED = "terminated"
ABANDONED = "abandoned"
WAIVED = "waived"
SATISFIED = "satisfied"
#: A statement that is not cmi5-defined: an "allowed" statement (or a verb cmi5 does not define).
OTHER = "other"
#: The verb of voiding statements (xAPI).
VOIDED = _ADL + "voided"
#: The cmi5-defined verbs (cmi5 section 9.3), by IRI.
VERBS = {
    _ADL + LAUNCHED: LAUNCHED,
    _ADL + INITIALIZED: INITIALIZED,
    _ADL + COMPLETED: COMPLETED,
    _ADL + PASSED: PASSED,
    _ADL + FAILED: FAILED,
    _ADL + TERMINATED: TERMINATED,
    _W3ID + ABANDONED: ABANDONED,
    _W3ID + WAIVED: WAIVED,
    _W3ID + SATISFIED: SATISFIED,
}
#: The category activity of cmi5-defined statements (cmi5 section 9.6.2.1).
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
_EXTENSIONS = "https://w3id.org/xapi/cmi5/context/extensions/"
#: The context extension holding the cmi5 session id (cmi5 section 9.6.3.1).
SESSION_ID = _EXTENSIONS + "sessionid"
#: The context extension of ``launched`` holding the launch mode (cmi5 section 9.6.3.3).
LAUNCH_MODE = _EXTENSIONS + "launchmode"
LAUNCH_MODES = ("Normal", "Browse", "Review")
#: Activity types of the LMS's statements about the course and its blocks (``satisfied``).
COURSE_TYPES = frozenset(
    (
        "https://w3id.org/xapi/cmi5/activitytype/course",
        "https://w3id.org/xapi/cmi5/activitytype/block",
    )
)
#: Target of a statement about the course or one of its blocks (not an AU).
COURSE = -1

#: ``dict.get`` itself: a dict subclass's own ``get`` never runs.
_get = dict.get
_HUNDRED = Decimal(100)


class Statement(NamedTuple):
    """What the mapping reads of one statement.

    ``verb`` is one of the cmi5 verbs for a cmi5-defined statement (the cmi5
    category and a cmi5 verb), else :data:`OTHER`. ``au`` is the AU's
    position in the course, or :data:`COURSE` for statements about the
    course or a block (then ``registration`` and ``session`` are empty).
    """

    position: int
    id: str | None
    user: str
    verb: str
    au: int
    registration: str
    session: str
    timestamp: datetime
    stored: datetime
    launch_mode: str
    duration: timedelta | None
    score: Decimal | None


def _activities(value: object) -> list[object] | None:
    """A contextActivities list as given (xAPI also allows one activity alone)."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, dict):
        return [value]
    return None


def _number(value: object) -> Decimal | None:
    """A finite JSON number as the decimal it was written as, else None.

    ``json.loads`` gives floats, whose ``repr`` is the shortest text that
    reads back as the same float: the number as written (``0.29``).
    """
    if isinstance(value, float):
        number = float.__float__(value)
        return Decimal(repr(number)) if number - number == 0 else None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(int.__int__(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


class StatementReader:
    """Reads statements of one course for one directory; collects problems.

    ``user_id`` maps an actor to a user id (None: :func:`default_user_id`);
    ``users`` are the known user ids.
    """

    def __init__(
        self,
        course: Course,
        users: Iterable[str],
        user_id: Callable[[Any], object] | None,
        problems: list[tuple[int, Problem]],
    ) -> None:
        self.aus = {au.id: position for position, au in enumerate(course.aus)}
        self.passing = [
            None if au.mastery_score is None else au.mastery_score * _HUNDRED for au in course.aus
        ]
        self.others = frozenset((course.id, *course.block_ids))
        self.users = frozenset(users)
        self.user_id = user_id
        self.problems = problems
        self._known: str | None = None

    def problem(self, position: int, path: str, message: str, record_id: object) -> None:
        record = str.__str__(record_id) if isinstance(record_id, str) else None
        self.problems.append((position, Problem(path=path, message=message, record_id=record)))

    def known(self) -> str:
        """The "valid ones are …" text of unknown-user messages, built once."""
        if self._known is None:
            self._known = known_ids(self.users)
        return self._known

    def read(self, position: int, statement: dict[str, Any], ident: str | None) -> Statement | None:
        """The statement at ``position`` of the input, or None after naming its problems."""
        found = self._quick(position, statement, ident)
        return found if found is not None else self._careful(position, statement, ident)

    def _quick(self, position: int, statement: Any, ident: str | None) -> Statement | None:
        """The statement when it has the usual shape and no problem, else None.

        The same rules as :meth:`_careful`, which reads what this one
        declines and names every problem; this one only skips building
        paths and messages. Anything unusual (a dict subclass, an actor
        without account, a single activity for a list) is declined.
        """
        if type(statement) is not dict:
            return None
        get = dict.get
        actor = get(statement, "actor")
        if self.user_id is not None:
            if actor is None:
                return None
            try:
                user = self.user_id(actor)
            except Exception:
                return None
        else:
            if type(actor) is not dict:
                return None
            account = get(actor, "account")
            if type(account) is not dict:
                return None
            user = get(account, "name")
        # Directory ids are valid ids: being one of them is all the checking needed.
        if type(user) is not str or user not in self.users:
            return None
        timestamp = quick_timestamp(get(statement, "timestamp"))
        if timestamp is None:
            return None
        stored = get(statement, "stored")
        if stored is not None:
            stored = quick_timestamp(stored)
            if stored is None:
                return None
        verb = get(statement, "verb")
        if type(verb) is not dict:
            return None
        verb_id = get(verb, "id")
        if type(verb_id) is not str or not verb_id:
            return None
        target = get(statement, "object")
        if type(target) is not dict or type(get(target, "id")) is not str:
            return None
        definition = get(target, "definition")
        object_type = get(definition, "type") if type(definition) is dict else None
        if type(object_type) is not str:
            object_type = None
        context = get(statement, "context")
        if type(context) is not dict:
            return None
        activities = get(context, "contextActivities")
        if type(activities) is not dict:
            return None
        category = get(activities, "category")
        cmi5 = False
        if category is not None:
            if type(category) is not list:
                return None
            for item in category:
                if type(item) is dict and get(item, "id") == CMI5_CATEGORY:
                    cmi5 = True
        kind = VERBS.get(verb_id, OTHER) if cmi5 else OTHER
        if object_type in COURSE_TYPES:
            return Statement(
                position, ident, user, kind, COURSE, "", "", timestamp, stored or EARLIEST,
                "Normal", None, None,
            )  # fmt: skip
        grouping = get(activities, "grouping")
        if type(grouping) is not list:
            return None
        aus = self.aus
        au = None
        others = False
        for item in grouping:
            if type(item) is dict:
                found = get(item, "id")
                if type(found) is str:
                    place = get(aus, found)
                    if place is None:
                        others = others or found in self.others
                    elif au is None or au == place:
                        au = place
                    else:
                        return None  # two AUs: a problem
        if au is None:
            if not others:
                return None
            return Statement(
                position, ident, user, kind, COURSE, "", "", timestamp, stored or EARLIEST,
                "Normal", None, None,
            )  # fmt: skip
        registration = get(context, "registration")
        extensions = get(context, "extensions")
        if type(registration) is not str or not registration or type(extensions) is not dict:
            return None
        session = get(extensions, SESSION_ID)
        if type(session) is not str or not session:
            return None
        mode = "Normal"
        if kind == LAUNCHED:
            written = get(extensions, LAUNCH_MODE)
            if written is not None:
                if written not in LAUNCH_MODES or type(written) is not str:
                    return None
                mode = written
        duration = score = None
        result = get(statement, "result")
        if result is not None:
            if type(result) is not dict:
                return None
            written = get(result, "duration")
            if written is not None:
                try:
                    duration = parse_duration(written)
                except InvalidInputError:
                    return None
            if kind in (PASSED, FAILED) and get(result, "score") is not None:
                count = len(self.problems)
                score = self._score(position, "", get(result, "score"), kind, au, ident)
                if len(self.problems) > count:
                    del self.problems[count:]  # the careful reading names them
                    return None
        return Statement(
            position, ident, user, kind, au, registration, session, timestamp,
            stored or EARLIEST, mode, duration, score,
        )  # fmt: skip

    def _careful(
        self, position: int, statement: dict[str, Any], ident: str | None
    ) -> Statement | None:
        """The statement read part by part, every problem named; None when there are any."""
        here = index("$", position)
        count = len(self.problems)
        user = self._user(position, here, statement, ident)
        timestamp = self._time(position, here, statement, "timestamp", ident, required=True)
        stored = self._time(position, here, statement, "stored", ident, required=False)
        verb = self._verb(position, here, statement, ident)
        target = self._object(position, here, statement, ident)
        context = _get(statement, "context")
        if context is None:
            context = {}
        elif not isinstance(context, dict):
            self.problem(position, member(here, "context"), "must be an object", ident)
            context = {}
        place = member(here, "context")
        au, cmi5 = self._target(position, place, context, target, ident)
        if verb is not None and not cmi5:
            verb = OTHER
        registration = session = ""
        mode = "Normal"
        duration = score = None
        if au is not None and au != COURSE:
            registration, session, extensions = self._session(position, place, context, ident)
            if verb == LAUNCHED:
                mode = self._mode(position, place, extensions, ident)
            duration, score = self._result(position, here, statement, verb, au, ident)
        if len(self.problems) > count:
            return None
        return Statement(
            position,
            ident,
            user,  # type: ignore[arg-type]  # no problem: all read
            verb,  # type: ignore[arg-type]
            au,  # type: ignore[arg-type]
            registration,
            session,
            timestamp,  # type: ignore[arg-type]
            stored or EARLIEST,
            mode,
            duration,
            score,
        )

    # -------------------------------------------------------------------------- the parts

    def _user(self, position: int, here: str, statement: dict[str, Any], ident: Any) -> str | None:
        actor = _get(statement, "actor")
        path = member(here, "actor")
        if actor is None:
            self.problem(position, path, "is missing: a statement needs an actor", ident)
            return None
        if self.user_id is not None:
            try:
                found = self.user_id(actor)
            except Exception as error:
                self.problem(position, path, f"user_id(actor) raised {error_text(error)}", ident)
                return None
            wrong = text_problem(found) or ("" if found else "is empty")
            if wrong:
                self.problem(position, path, f"user_id(actor) gave no usable id: {wrong}", ident)
                return None
        else:
            found = self._default_user(position, path, actor, ident)
            if found is None:
                return None
        user = str.__str__(found)
        if user not in self.users:
            self.problem(
                position,
                path,
                f"user {short(user, 60)} is not in the directory ({self.known()})",
                ident,
            )
            return None
        return user

    def _default_user(self, position: int, path: str, actor: object, ident: Any) -> str | None:
        if not isinstance(actor, dict):
            self.problem(position, path, f"must be an object, got {short(actor, 60)}", ident)
            return None
        account = _get(actor, "account")
        if account is not None:
            name = _get(account, "name") if isinstance(account, dict) else None
            wrong = text_problem(name) or ("" if name else "is empty")
            if wrong:
                where = member(member(path, "account"), "name")
                self.problem(position, where, f"must be the user's id: {wrong}", ident)
                return None
            return str.__str__(name)
        mbox = _get(actor, "mbox")
        if isinstance(mbox, str):
            address = mbox[7:] if mbox.startswith("mailto:") else mbox
            wrong = text_problem(address) or ("" if address else "is empty")
            if wrong:
                self.problem(position, member(path, "mbox"), f"is no user id: {wrong}", ident)
                return None
            return address
        self.problem(
            position,
            path,
            "has neither account.name nor mbox; pass user_id= to map such actors to user ids",
            ident,
        )
        return None

    def _time(
        self,
        position: int,
        here: str,
        statement: dict[str, Any],
        key: str,
        ident: Any,
        *,
        required: bool,
    ) -> datetime | None:
        text = _get(statement, key)
        if text is None:
            if required:
                self.problem(
                    position, member(here, key), f"is missing: a statement needs a {key}", ident
                )
            return None
        try:
            return parse_timestamp(text)
        except InvalidInputError as error:
            self.problem(position, member(here, key), str(error), ident)
            return None

    def _verb(self, position: int, here: str, statement: dict[str, Any], ident: Any) -> str | None:
        verb = _get(statement, "verb")
        verb_id = _get(verb, "id") if isinstance(verb, dict) else None
        if isinstance(verb_id, str) and verb_id:
            return VERBS.get(verb_id, OTHER)
        path = member(here, "verb")
        if verb is None:
            self.problem(position, path, "is missing: a statement needs a verb", ident)
        else:
            self.problem(position, member(path, "id"), "must be the verb's IRI (text)", ident)
        return None

    def _object(
        self, position: int, here: str, statement: dict[str, Any], ident: Any
    ) -> str | None:
        """The object's definition type ("" when none), or None after a problem."""
        target = _get(statement, "object")
        path = member(here, "object")
        if target is None:
            self.problem(position, path, "is missing: a statement needs an object", ident)
            return None
        if not isinstance(target, dict) or not isinstance(_get(target, "id"), str):
            self.problem(position, path, "must be an activity object with an id", ident)
            return None
        definition = _get(target, "definition")
        kind = _get(definition, "type") if isinstance(definition, dict) else None
        return kind if isinstance(kind, str) else ""

    def _target(
        self,
        position: int,
        place: str,
        context: dict[str, Any],
        object_type: str | None,
        ident: Any,
    ) -> tuple[int | None, bool]:
        """The AU the statement is about (or :data:`COURSE`), and whether it is cmi5-defined."""
        activities = _get(context, "contextActivities")
        path = member(place, "contextActivities")
        if activities is None:
            activities = {}
        elif not isinstance(activities, dict):
            self.problem(position, path, "must be an object", ident)
            return None, False
        cmi5 = False
        category = _get(activities, "category")
        if category is not None:
            for item in _activities(category) or ():
                if isinstance(item, dict) and _get(item, "id") == CMI5_CATEGORY:
                    cmi5 = True
        if object_type is None:
            return None, cmi5
        if object_type in COURSE_TYPES:
            return COURSE, cmi5
        grouping = _get(activities, "grouping")
        ids = []
        if grouping is not None:
            listed = _activities(grouping)
            if listed is None:
                self.problem(
                    position, member(path, "grouping"), "must be a list of activities", ident
                )
                return None, cmi5
            ids = [_get(item, "id") for item in listed if isinstance(item, dict)]
        aus = {self.aus[i] for i in ids if isinstance(i, str) and i in self.aus}
        if len(aus) == 1:
            return aus.pop(), cmi5
        if aus:
            self.problem(
                position,
                member(path, "grouping"),
                f"names {len(aus)} AUs of the course; a statement is about one",
                ident,
            )
            return None, cmi5
        if any(isinstance(i, str) and i in self.others for i in ids):
            return COURSE, cmi5
        self.problem(
            position,
            member(path, "grouping"),
            "matches no AU of the course: no AU id (au@id of cmi5.xml) in "
            "context.contextActivities.grouping",
            ident,
        )
        return None, cmi5

    def _session(
        self, position: int, place: str, context: dict[str, Any], ident: Any
    ) -> tuple[str, str, dict[str, Any]]:
        registration = _get(context, "registration")
        if not (isinstance(registration, str) and registration):
            self.problem(
                position,
                member(place, "registration"),
                "must be the cmi5 registration id (text)",
                ident,
            )
            registration = ""
        extensions = _get(context, "extensions")
        path = member(place, "extensions")
        if not isinstance(extensions, dict):
            self.problem(position, path, "must hold the cmi5 session id", ident)
            return str.__str__(registration), "", {}
        session = _get(extensions, SESSION_ID)
        if not (isinstance(session, str) and session):
            self.problem(
                position,
                member(path, SESSION_ID),
                "must be the cmi5 session id (text): without it, the statement "
                "belongs to no session",
                ident,
            )
            session = ""
        return str.__str__(registration), str.__str__(session), extensions

    def _mode(self, position: int, place: str, extensions: dict[str, Any], ident: Any) -> str:
        mode = _get(extensions, LAUNCH_MODE)
        if mode is None:
            return "Normal"
        if mode not in LAUNCH_MODES:
            self.problem(
                position,
                member(member(place, "extensions"), LAUNCH_MODE),
                f"must be one of {', '.join(LAUNCH_MODES)}, got {short(mode, 60)}",
                ident,
            )
        return str(mode)

    def _result(
        self,
        position: int,
        here: str,
        statement: dict[str, Any],
        verb: str | None,
        au: int,
        ident: Any,
    ) -> tuple[timedelta | None, Decimal | None]:
        result = _get(statement, "result")
        if result is None:
            return None, None
        path = member(here, "result")
        if not isinstance(result, dict):
            self.problem(position, path, "must be an object", ident)
            return None, None
        duration = None
        written = _get(result, "duration")
        if written is not None:
            try:
                duration = parse_duration(written)
            except InvalidInputError as error:
                self.problem(position, member(path, "duration"), str(error), ident)
        score = None
        if verb in (PASSED, FAILED) and _get(result, "score") is not None:
            score = self._score(
                position, member(path, "score"), _get(result, "score"), verb, au, ident
            )
        return duration, score

    def _score(
        self, position: int, path: str, score: object, verb: str, au: int, ident: Any
    ) -> Decimal | None:
        if not isinstance(score, dict):
            self.problem(position, path, "must be an object", ident)
            return None
        count = len(self.problems)
        parts = {}
        for key in ("scaled", "raw", "min", "max"):
            value = _get(score, key)
            if value is None:
                continue
            number = _number(value)
            if number is None:
                self.problem(
                    position,
                    member(path, key),
                    f"must be a finite number, got {short(value, 60)}",
                    ident,
                )
            else:
                parts[key] = number
        if len(self.problems) > count:
            return None
        with localcontext() as context:
            context.prec = 60
            found, used = self._score_parts(position, path, parts, ident)
        if found is None:
            return None
        passing = self.passing[au]
        if passing is not None:
            shown = f"{_plain(found)} (from {used})"
            if verb == PASSED and found < passing:
                self.problem(
                    position,
                    member(path, used),
                    f"passed with score {shown}, below the masteryScore ({_plain(passing)})",
                    ident,
                )
                return None
            if verb == FAILED and found >= passing:
                self.problem(
                    position,
                    member(path, used),
                    f"failed with score {shown}, at or above the masteryScore ({_plain(passing)})",
                    ident,
                )
                return None
        return found

    def _score_parts(
        self, position: int, path: str, parts: dict[str, Decimal], ident: Any
    ) -> tuple[Decimal | None, str]:
        """The score in 0-100, and the key it was computed from."""
        count = len(self.problems)
        scaled = _get(parts, "scaled")
        if scaled is not None and not 0 <= scaled <= 1:
            self.problem(
                position,
                member(path, "scaled"),
                f"must be between 0 and 1, got {_plain(scaled)}",
                ident,
            )
        raw, low, high = _get(parts, "raw"), _get(parts, "min"), _get(parts, "max")
        if low is not None and high is not None:
            if high == low:
                self.problem(
                    position,
                    member(path, "max"),
                    f"equals min ({_plain(low)}): no score can be computed",
                    ident,
                )
            elif high < low:
                self.problem(
                    position,
                    member(path, "max"),
                    f"{_plain(high)} is below min {_plain(low)}",
                    ident,
                )
            elif raw is not None and not low <= raw <= high:
                self.problem(
                    position,
                    member(path, "raw"),
                    f"{_plain(raw)} is outside min..max ({_plain(low)}..{_plain(high)})",
                    ident,
                )
        elif raw is not None and scaled is None:
            self.problem(
                position,
                member(path, "raw"),
                "comes without both min and max, so it cannot be read as a score; give "
                "scaled, or raw with min and max",
                ident,
            )
        if len(self.problems) > count:
            return None, ""
        if scaled is not None:
            return scaled * _HUNDRED, "scaled"
        if raw is not None and low is not None and high is not None:
            return (raw - low) / (high - low) * _HUNDRED, "raw"
        return None, ""


def _plain(value: Decimal) -> str:
    """A decimal for a message: plain text without trailing zeros (``80``, ``0.5``), at
    most 10 significant digits (``33.33333333``, ``1e+400``)."""
    value = value.normalize()
    text = f"{value:f}"
    return text if len(text) <= 20 else format(value, ".10g")


def voided_target(statement: dict[str, Any]) -> tuple[str | None, str]:
    """The id a voiding statement voids, or None with what is wrong with its object."""
    target = _get(statement, "object")
    if not isinstance(target, dict):
        return None, "must be a StatementRef naming the voided statement's id"
    if _get(target, "objectType") != "StatementRef":
        return None, "of a voiding statement must have objectType StatementRef"
    ident = _get(target, "id")
    if not (isinstance(ident, str) and ident):
        return None, "must hold the voided statement's id (text)"
    return str.__str__(ident), ""
