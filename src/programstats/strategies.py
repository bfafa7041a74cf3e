"""Hypothesis strategies that build valid programstats values.

For services that use programstats and want to property-test their own
code (needs the ``hypothesis`` extra: ``pip install programstats[hypothesis]``).
Every strategy generates values that pass the library's construction
checks; :func:`worlds` builds a directory and sessions that fit together.

>>> from hypothesis import given
>>> @given(sessions())
... def test_progress_is_a_percentage(session):
...     from programstats import learner_results
...     ...
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        "programstats.strategies needs Hypothesis: pip install 'programstats[hypothesis]'"
    ) from error

from .directory import Directory, Group, User
from .session import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Collaboration,
    ProgramTemplate,
    Reactions,
    Registration,
    Session,
    SlotAttendance,
)

__all__ = [
    "attempts",
    "aware_datetimes",
    "blocks",
    "directories",
    "hostile_values",
    "identifiers",
    "scores",
    "sessions",
    "texts",
    "time_zones",
    "users",
    "worlds",
]

_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
_SPAN = timedelta(days=400)


def time_zones() -> st.SearchStrategy[tzinfo]:
    """UTC, fixed offsets and a few DST zones (when the system has tz data)."""
    from dateutil import tz

    named = [
        zone
        for zone in map(tz.gettz, ("Europe/Paris", "America/New_York", "Pacific/Auckland"))
        if zone is not None
    ]
    fixed = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    return st.one_of(st.just(timezone.utc), fixed, *(st.just(zone) for zone in named))


def aware_datetimes(
    min_value: datetime = _EPOCH, max_value: datetime = _EPOCH + _SPAN
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes between two aware bounds (to the second)."""
    seconds = int((max_value - min_value).total_seconds())

    @st.composite
    def build(draw: st.DrawFn) -> datetime:
        offset = draw(st.integers(min_value=0, max_value=seconds))
        zone = draw(time_zones())
        return (min_value + timedelta(seconds=offset)).astimezone(zone)

    return build()


def texts(*, min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    """Any text the library accepts: no NUL, no unpaired surrogate."""
    return st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        min_size=min_size,
        max_size=max_size,
    )


def identifiers() -> st.SearchStrategy[str]:
    """Short non-empty identifiers."""
    return st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)


def scores() -> st.SearchStrategy[float | None]:
    """None, or an int or float in [0, 100] (band edges come up often)."""
    return st.one_of(
        st.none(),
        st.sampled_from([0, 20, 40, 60, 80, 100, 19.999, 50.5]),
        st.integers(min_value=0, max_value=100),
        st.floats(min_value=0, max_value=100, allow_nan=False),
    )


@st.composite
def blocks(draw: st.DrawFn, *, block_id: str | None = None) -> Block:
    """A valid block of any kind."""
    ident = block_id if block_id is not None else draw(identifiers())
    kind = draw(st.sampled_from(BlockKind))
    title = draw(texts())
    if kind is BlockKind.CLASSROOM:
        return Block(id=ident, title=title, kind=kind)
    scored = draw(st.booleans())
    passing = draw(st.none() | st.integers(0, 100)) if scored else None
    exam = kind is BlockKind.COURSE and passing is not None and draw(st.booleans())
    return Block(
        id=ident,
        title=title,
        kind=kind,
        scored=scored,
        examination_mode=exam,
        passing_score=passing,
    )


@st.composite
def attempts(
    draw: st.DrawFn,
    *,
    user_ids: Sequence[str] = ("u1",),
    block_ids: Sequence[str] = ("b1",),
    around: datetime = _EPOCH,
) -> Attempt:
    """An attempt of one of ``user_ids`` on one of ``block_ids``."""
    started = draw(aware_datetimes(around, around + timedelta(days=60)))
    length = draw(st.integers(min_value=0, max_value=3 * 24 * 3600))
    return Attempt(
        user_id=draw(st.sampled_from(list(user_ids))),
        block_id=draw(st.sampled_from(list(block_ids))),
        started_at=started,
        last_activity_at=started + timedelta(seconds=length),
        time_spent=timedelta(seconds=draw(st.integers(min_value=0, max_value=length + 600))),
        score=draw(scores()),
        completed=draw(st.booleans()),
    )


@st.composite
def users(draw: st.DrawFn, *, user_id: str | None = None, group_ids: Sequence[str] = ()) -> User:
    """A user, member of some of ``group_ids``."""
    ident = user_id if user_id is not None else draw(identifiers())
    return User(
        id=ident,
        first_name=draw(texts()),
        last_name=draw(texts()),
        email=f"{ident}@example.com",
        group_ids=draw(st.sets(st.sampled_from(list(group_ids)))) if group_ids else frozenset(),
        custom_fields=draw(st.dictionaries(texts(min_size=1, max_size=6), texts(), max_size=2)),
        additional_information=draw(texts()),
        manager_emails=draw(st.lists(st.just("boss@example.com"), max_size=1)),
        deleted_at=draw(st.none() | aware_datetimes()),
        anonymized=draw(st.booleans()),
    )


@st.composite
def directories(draw: st.DrawFn, *, max_users: int = 8, max_groups: int = 4) -> Directory:
    """A directory whose groups form a tree (each parent drawn among earlier groups)."""
    group_count = draw(st.integers(min_value=0, max_value=max_groups))
    groups: list[Group] = []
    for number in range(group_count):
        parent = draw(st.none() | st.sampled_from([g.id for g in groups])) if groups else None
        groups.append(Group(id=f"g{number}", name=draw(texts()), parent_id=parent))
    group_ids = [g.id for g in groups]
    user_count = draw(st.integers(min_value=1, max_value=max_users))
    people = [
        draw(users(user_id=f"u{number}", group_ids=group_ids)) for number in range(user_count)
    ]
    return Directory(users=people, groups=groups)


def _unique_attempts(items: list[Attempt]) -> list[Attempt]:
    """Drop attempts that fully tie an earlier one on the same user and block."""
    seen: set[tuple[str, str, datetime, datetime]] = set()
    kept = []
    for item in items:
        key = (item.user_id, item.block_id, item.started_at, item.last_activity_at)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


@st.composite
def sessions(
    draw: st.DrawFn,
    directory: Directory | None = None,
    *,
    session_id: str | None = None,
    max_blocks: int = 5,
    max_attempts: int = 25,
    allow_ties: bool = True,
) -> Session:
    """A valid session whose users and groups come from ``directory``.

    Without a directory, a small one is drawn first (use :func:`worlds` to
    get both). With ``allow_ties=False`` no two attempts of a user on a block
    share both ``started_at`` and ``last_activity_at``, so every statistic is
    independent of the order of ``attempts``.
    """
    if directory is None:
        directory = draw(directories())
    user_ids = sorted(directory.users)
    group_ids = sorted(directory.groups)
    start = draw(aware_datetimes())
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=120)))

    block_list = [
        draw(blocks(block_id=f"b{number}"))
        for number in range(draw(st.integers(min_value=0, max_value=max_blocks)))
    ]
    classroom_ids = [b.id for b in block_list if b.kind is BlockKind.CLASSROOM]
    learnable_ids = [b.id for b in block_list if b.kind is not BlockKind.CLASSROOM]
    slots = []
    for block_id in classroom_ids:
        for number in range(draw(st.integers(min_value=0, max_value=2))):
            slot_start = draw(aware_datetimes(start, start + timedelta(days=60)))
            slots.append(
                ClassroomSlot(
                    id=f"{block_id}-s{number}",
                    block_id=block_id,
                    title=draw(texts()),
                    start=slot_start,
                    end=slot_start + timedelta(hours=draw(st.integers(0, 8))),
                    duration_hours=draw(st.sampled_from([0, 1, 1.5, 3, 7.25])),
                )
            )

    registered = draw(st.lists(st.sampled_from(user_ids), unique=True, max_size=len(user_ids)))
    registrations = []
    for user_id in registered:
        at = draw(aware_datetimes(start - timedelta(days=30), start))
        gone = draw(st.booleans()) and draw(st.booleans())
        registrations.append(
            Registration(
                user_id=user_id,
                registered_at=at,
                unregistered_at=at + timedelta(days=draw(st.integers(0, 30))) if gone else None,
                via_catalog=draw(st.booleans()),
            )
        )
    active = {r.user_id for r in registrations if r.unregistered_at is None}
    waiting = draw(
        st.lists(st.sampled_from(user_ids), unique=True).map(
            lambda ids: [i for i in ids if i not in active]
        )
    )

    attempt_list: list[Attempt] = []
    if registered and learnable_ids:
        attempt_list = draw(
            st.lists(
                attempts(user_ids=registered, block_ids=learnable_ids, around=start),
                max_size=max_attempts,
            )
        )
        if not allow_ties:
            attempt_list = _unique_attempts(attempt_list)
    attendances = []
    if registered and slots:
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(registered), st.sampled_from([s.id for s in slots])),
                unique=True,
                max_size=10,
            )
        )
        attendances = [
            SlotAttendance(
                user_id=user_id,
                slot_id=slot_id,
                percent=draw(st.sampled_from([0, 0.5, 50, 100]) | st.floats(0, 100)),
            )
            for user_id, slot_id in pairs
        ]

    return Session(
        id=session_id if session_id is not None else draw(identifiers()),
        name=draw(texts()),
        template=ProgramTemplate(
            id=draw(st.sampled_from(["t1", "t2"])), name=draw(texts()), description=draw(texts())
        ),
        author_id=draw(st.sampled_from(user_ids)),
        start=start,
        end=end,
        blocks=block_list,
        slots=draw(st.permutations(slots)),
        instructor_ids=draw(st.lists(st.sampled_from(user_ids), unique=True, max_size=2)),
        group_ids=draw(st.sets(st.sampled_from(group_ids))) if group_ids else frozenset(),
        catalog_group_ids=draw(st.sets(st.sampled_from(group_ids))) if group_ids else frozenset(),
        registrations=registrations,
        waiting_list=waiting,
        attempts=attempt_list,
        attendances=attendances,
        certificate_user_ids=draw(st.sets(st.sampled_from(registered))) if registered else (),
        expected_duration=draw(st.none() | st.integers(0, 100).map(lambda h: timedelta(hours=h))),
        tags=draw(st.lists(texts(max_size=6), max_size=2)),
        description=draw(texts()),
        collaboration=Collaboration(
            posts=draw(st.integers(0, 50)),
            comments=draw(st.integers(0, 50)),
            reactions=Reactions(likes=draw(st.integers(0, 9)), outdated=draw(st.integers(0, 9))),
        ),
    )


@st.composite
def worlds(
    draw: st.DrawFn, *, max_sessions: int = 3, allow_ties: bool = True
) -> tuple[Directory, tuple[Session, ...]]:
    """A directory and sessions (unique ids) that only name its users and groups."""
    directory = draw(directories())
    count = draw(st.integers(min_value=1, max_value=max_sessions))
    found = tuple(
        draw(sessions(directory, session_id=f"s{number}", allow_ties=allow_ties))
        for number in range(count)
    )
    return directory, found


# --- hostile values ------------------------------------------------------------------


class _RaisingZone(tzinfo):
    """A tzinfo whose ``utcoffset`` raises."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise ArithmeticError("broken zone")

    def dst(self, dt: datetime | None) -> timedelta:
        raise ArithmeticError("broken zone")

    def tzname(self, dt: datetime | None) -> str:
        return "broken"

    def __repr__(self) -> str:
        return "_RaisingZone()"


class _FarZone(tzinfo):
    """A tzinfo whose offset is impossible (30 hours)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=30)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "far"

    def __repr__(self) -> str:
        return "_FarZone()"


class _NoneZone(tzinfo):
    """A tzinfo that gives no offset (its datetimes are naive)."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None

    def dst(self, dt: datetime | None) -> None:
        return None

    def tzname(self, dt: datetime | None) -> None:
        return None


class _Int(int):
    pass


class _Float(float):
    pass


class _Str(str):
    """A str subclass whose own behaviour would hide its text."""

    def __getitem__(self, index: object) -> str:
        return "A"

    def startswith(self, *args: object) -> bool:
        return False

    def __contains__(self, item: object) -> bool:
        return False


_ODD_ZONES = (
    "Asia/Kathmandu",  # +05:45
    "Pacific/Chatham",  # +12:45 / +13:45
    "Australia/Lord_Howe",  # half-hour DST
    "America/St_Johns",  # -03:30 / -02:30
    "Pacific/Kiritimati",  # +14
    "Etc/GMT+12",  # -12
    "Europe/Paris",
    "America/New_York",
    "Africa/Casablanca",  # DST suspended every Ramadan
    "UTC",
)


def _zones() -> list[tzinfo]:
    import zoneinfo

    found: list[tzinfo] = [timezone.utc, timezone(timedelta(hours=23, minutes=59))]
    found.append(timezone(-timedelta(hours=23, minutes=59)))
    for name in _ODD_ZONES:
        try:
            found.append(zoneinfo.ZoneInfo(name))
        except Exception:  # pragma: no cover - a system without tz data
            continue
    return found


def _optional_values() -> list[object]:
    """Values of optional libraries, when they are installed."""
    found: list[object] = []
    try:
        import pandas  # type: ignore[import-untyped]  # pandas ships no stubs here

        found += [pandas.NaT, pandas.Timestamp("2026-03-01 12:00", tz="Europe/Paris")]
        found += [pandas.Timedelta(minutes=5), pandas.Timestamp("2026-03-01")]
    except ImportError:  # pragma: no cover - depends on the installation
        pass
    try:
        import numpy

        found += [numpy.float64(50.5), numpy.float64("nan"), numpy.int64(7), numpy.float32(1.5)]
    except ImportError:  # pragma: no cover - depends on the installation
        pass
    return found


def hostile_values() -> st.SearchStrategy[object]:
    """Values a careless caller or an attacker may pass anywhere.

    Huge and tiny numbers, NaN and infinities, subclasses of ``int``,
    ``float`` and ``str``, ``pandas.NaT`` and timestamps, datetimes at the
    ends of time in many zones and both folds, naive datetimes, broken
    ``tzinfo`` objects, odd strings (NUL, surrogates, right-to-left and
    zero-width characters, formula signs, very long text) and containers
    of the wrong kind. Library values (a session, a directory) are *not*
    generated here; tests add those where a container is expected.
    """
    zones = _zones()
    broken = [_RaisingZone(), _FarZone(), _NoneZone()]
    numbers = st.one_of(
        st.integers(),
        st.sampled_from([10**400, -(10**400), 2**63, 10**12 + 1, -1, 0, 100, 101]),
        st.floats(),
        st.sampled_from([float("nan"), float("inf"), -0.0, 5e-324, 1e308, 100.0000001]),
        st.integers(-5, 200).map(_Int),
        st.floats(-5, 200).map(_Float),
        st.booleans(),
    )
    day, tick = timedelta(days=1), timedelta(microseconds=1)
    low, high = datetime.min.replace(tzinfo=timezone.utc), datetime.max.replace(tzinfo=timezone.utc)
    edges = [low, high, low + day - tick, low + day, high - day, high - day + tick]
    datetimes = st.one_of(
        st.sampled_from(edges),
        st.datetimes(timezones=st.sampled_from(zones)),
        st.datetimes(),
        st.sampled_from([low, high]).flatmap(
            lambda edge: st.sampled_from(zones).map(lambda zone: edge.replace(tzinfo=zone))
        ),
        st.sampled_from(broken).map(lambda zone: datetime(2026, 3, 1, tzinfo=zone)),
        st.builds(
            lambda hour, fold, zone: datetime(2026, 10, 25, hour, 30, fold=fold, tzinfo=zone),
            st.integers(0, 4),
            st.integers(0, 1),
            st.sampled_from(zones),
        ),
    )
    durations = st.one_of(
        st.timedeltas(),
        st.sampled_from([timedelta.max, timedelta.min, timedelta(days=36_526), -timedelta(1)]),
    )
    strings = st.one_of(
        st.text(max_size=8),
        st.sampled_from(
            [
                "",
                "\x00",
                "a\ud800b",
                "\u202eabc",
                "\u200b=1+1",
                "\ufeff@x",
                "\uff1d1",
                " -1",
                "=cmd|' /C calc'!A0",
                "x" * 5000,
                "localtime",
                "right/UTC",
                "../../etc/passwd",
                "A" * 300,
                "Europe/Paris",
            ]
        ),
        st.text(max_size=6).map(_Str),
    )
    containers = st.sampled_from(
        [None, b"bytes", [], (), {}, set(), frozenset(), [1, 2], {"a": 1}, [None], object()]
    )
    special = st.sampled_from([*broken, *zones, *_optional_values()])
    return st.one_of(numbers, datetimes, durations, strings, containers, special)
