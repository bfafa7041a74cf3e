"""programstats.strategies: every public strategy generates valid values.

"Valid" is checked twice: the value was built (its construction checks
passed) and rebuilding it with ``attrs.evolve`` -- which runs every check
again -- gives an equal value; the cross-reference rules of SPEC §1 are
also checked by hand, so a strategy that built an object some other way
would still be caught.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, timezone, tzinfo

import attrs
from hypothesis import given
from hypothesis import strategies as st

from programstats import (
    Attempt,
    Block,
    BlockKind,
    Directory,
    Session,
    User,
    block_results,
    group_results,
    learner_export,
    learner_results,
    session_overview,
)
from programstats import strategies as ps

UTC = timezone.utc


def is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def rebuilt_equal(value: object) -> bool:
    return attrs.evolve(value) == value  # type: ignore[misc]


def check_text(value: str) -> None:
    assert isinstance(value, str)
    assert "\x00" not in value
    assert not any(unicodedata.category(char) == "Cs" for char in value)
    value.encode("utf-8")  # no unpaired surrogate: encodable


def check_directory(directory: Directory) -> None:
    assert isinstance(directory, Directory)
    assert rebuilt_equal(directory)
    for group_id, group in directory.groups.items():
        assert group.id == group_id
        assert group.parent_id is None or group.parent_id in directory.groups
        assert directory.level(group_id) == len(directory.ancestors(group_id)) - 1
    for user_id, user in directory.users.items():
        assert user.id == user_id
        assert user.group_ids <= set(directory.groups)


def check_session(session: Session, directory: Directory | None = None) -> None:
    """The construction rules of SPEC §1, checked by hand."""
    assert isinstance(session, Session)
    assert rebuilt_equal(session)
    assert session.end >= session.start
    assert is_aware(session.start)
    assert is_aware(session.end)
    kinds = {block.id: block.kind for block in session.blocks}
    assert len(kinds) == len(session.blocks)
    slot_blocks = {slot.id: slot.block_id for slot in session.slots}
    assert len(slot_blocks) == len(session.slots)
    assert all(kinds.get(block_id) is BlockKind.CLASSROOM for block_id in slot_blocks.values())
    registered = Counter(r.user_id for r in session.registrations)
    assert all(count == 1 for count in registered.values())
    active = {r.user_id for r in session.registrations if r.unregistered_at is None}
    for registration in session.registrations:
        assert is_aware(registration.registered_at)
        if registration.unregistered_at is not None:
            assert registration.unregistered_at >= registration.registered_at
    for attempt in session.attempts:
        assert attempt.user_id in registered
        assert attempt.block_id in kinds
        assert kinds[attempt.block_id] is not BlockKind.CLASSROOM
        check_attempt(attempt)
    for attendance in session.attendances:
        assert attendance.user_id in registered
        assert attendance.slot_id in slot_blocks
        assert 0 <= attendance.percent <= 100
    assert set(session.certificate_user_ids) <= set(registered)
    assert not set(session.waiting_list) & active
    assert len(set(session.waiting_list)) == len(session.waiting_list)
    if directory is not None:
        users, groups = set(directory.users), set(directory.groups)
        assert set(registered) <= users
        assert set(session.waiting_list) <= users
        assert set(session.instructor_ids) <= users
        assert session.author_id in users
        assert set(session.group_ids) <= groups
        assert set(session.catalog_group_ids) <= groups


def check_attempt(attempt: Attempt) -> None:
    assert isinstance(attempt, Attempt)
    assert is_aware(attempt.started_at)
    assert is_aware(attempt.last_activity_at)
    assert attempt.last_activity_at >= attempt.started_at
    assert attempt.time_spent >= timedelta(0)
    if attempt.score is not None:
        assert not isinstance(attempt.score, bool)
        assert math.isfinite(attempt.score)
        assert 0 <= attempt.score <= 100


# --------------------------------------------------------------------------- scalars


@given(ps.time_zones())
def test_time_zones(zone: tzinfo) -> None:
    assert isinstance(zone, tzinfo)
    moment = datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(zone)
    offset = moment.utcoffset()
    assert offset is not None
    assert abs(offset) <= timedelta(hours=14)


@given(ps.aware_datetimes())
def test_aware_datetimes_are_aware_and_in_the_default_range(value: datetime) -> None:
    assert isinstance(value, datetime)
    assert is_aware(value)
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    assert epoch <= value <= epoch + timedelta(days=400)
    assert value.microsecond == 0
    # A round trip through UTC is the same instant and the same wall clock.
    assert value.astimezone(UTC).astimezone(value.tzinfo) == value


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2040, 1, 1),
        timezones=st.just(UTC),
    ),
    st.integers(min_value=0, max_value=10 * 24 * 3600),
    st.data(),
)
def test_aware_datetimes_stay_within_given_bounds(
    low: datetime, width: int, data: st.DataObject
) -> None:
    high = low + timedelta(seconds=width)
    value = data.draw(ps.aware_datetimes(low, high))
    assert is_aware(value)
    assert low <= value <= high


@given(ps.texts())
def test_texts_have_no_nul_and_no_surrogate(value: str) -> None:
    check_text(value)
    assert len(value) <= 12


@given(st.integers(0, 5), st.integers(0, 5), st.data())
def test_texts_respect_sizes(low: int, extra: int, data: st.DataObject) -> None:
    high = low + extra
    value = data.draw(ps.texts(min_size=low, max_size=high))
    check_text(value)
    assert low <= len(value) <= high


@given(ps.identifiers())
def test_identifiers(value: str) -> None:
    assert isinstance(value, str)
    assert 1 <= len(value) <= 8
    assert value.strip() == value


@given(ps.scores())
def test_scores(value: float | None) -> None:
    if value is not None:
        assert isinstance(value, (int, float))
        assert not isinstance(value, bool)
        assert math.isfinite(value)
        assert 0 <= value <= 100


# --------------------------------------------------------------------------- records


@given(ps.blocks())
def test_blocks(block: Block) -> None:
    assert isinstance(block, Block)
    assert rebuilt_equal(block)
    check_text(block.title)
    if block.passing_score is not None:
        assert 0 <= block.passing_score <= 100
    if block.kind is BlockKind.CLASSROOM:
        assert block.passing_score is None
        assert not block.examination_mode
    if block.examination_mode:
        assert block.kind is BlockKind.COURSE
        assert block.passing_score is not None


@given(ps.blocks(block_id="fixed"))
def test_blocks_keep_the_given_id(block: Block) -> None:
    assert block.id == "fixed"


@given(ps.attempts())
def test_attempts_default(attempt: Attempt) -> None:
    check_attempt(attempt)
    assert rebuilt_equal(attempt)
    assert attempt.user_id == "u1"
    assert attempt.block_id == "b1"


@given(ps.attempts(user_ids=["x", "y"], block_ids=["p", "q", "r"]))
def test_attempts_pick_among_the_given_ids(attempt: Attempt) -> None:
    check_attempt(attempt)
    assert attempt.user_id in {"x", "y"}
    assert attempt.block_id in {"p", "q", "r"}


@given(ps.users())
def test_users(user: User) -> None:
    assert isinstance(user, User)
    assert rebuilt_equal(user)
    for text in (user.first_name, user.last_name, user.additional_information):
        check_text(text)
    for title, value in user.custom_fields.items():
        assert title
        check_text(title)
        check_text(value)
    assert user.group_ids == frozenset()
    if user.deleted_at is not None:
        assert is_aware(user.deleted_at)


@given(ps.users(user_id="ana", group_ids=["g1", "g2"]))
def test_users_with_ids(user: User) -> None:
    assert user.id == "ana"
    assert user.group_ids <= {"g1", "g2"}


@given(ps.directories())
def test_directories(directory: Directory) -> None:
    check_directory(directory)
    assert 1 <= len(directory.users) <= 8
    assert len(directory.groups) <= 4


@given(ps.directories(max_users=2, max_groups=1))
def test_directories_respect_sizes(directory: Directory) -> None:
    check_directory(directory)
    assert 1 <= len(directory.users) <= 2
    assert len(directory.groups) <= 1


# --------------------------------------------------------------------------- sessions


@given(ps.sessions())
def test_sessions_are_valid(session: Session) -> None:
    check_session(session)
    assert len(session.blocks) <= 5
    assert len(session.attempts) <= 25
    # Every per-session statistic runs on it.
    session_overview(session)
    assert len(block_results(session)) == len(session.blocks)


@given(st.data())
def test_sessions_of_a_directory_only_name_its_users_and_groups(data: st.DataObject) -> None:
    directory = data.draw(ps.directories())
    session = data.draw(ps.sessions(directory, session_id="fixed", max_blocks=3, max_attempts=6))
    check_session(session, directory)
    assert session.id == "fixed"
    assert len(session.blocks) <= 3
    assert len(session.attempts) <= 6
    assert len(learner_results(session, directory)) == len(session.registrations)
    assert len(group_results(session, directory)) == len(session.group_ids)


@given(ps.sessions(allow_ties=False))
def test_sessions_without_ties(session: Session) -> None:
    check_session(session)
    keys = Counter(
        (a.user_id, a.block_id, a.started_at, a.last_activity_at) for a in session.attempts
    )
    assert all(count == 1 for count in keys.values())


@given(ps.worlds())
def test_worlds(world: tuple[Directory, tuple[Session, ...]]) -> None:
    directory, found = world
    check_directory(directory)
    assert 1 <= len(found) <= 3
    ids = [session.id for session in found]
    assert len(set(ids)) == len(ids)
    for session in found:
        check_session(session, directory)
        learner_results(session, directory)
        group_results(session, directory)
    learner_export(found, directory)


@given(ps.worlds(max_sessions=1, allow_ties=False))
def test_worlds_without_ties(world: tuple[Directory, tuple[Session, ...]]) -> None:
    directory, found = world
    assert len(found) == 1
    for session in found:
        check_session(session, directory)
        keys = [(a.user_id, a.block_id, a.started_at, a.last_activity_at) for a in session.attempts]
        assert len(set(keys)) == len(keys)
