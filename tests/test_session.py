"""Construction rules of the session value types (SPEC §1).

Every negative test first builds the otherwise-valid object, then changes the
one thing that breaks the rule, so a test fails when the rule is removed.
Each rejection must be an ``InvalidInputError`` whose message names the type,
the offending id and the rule.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Collaboration,
    InvalidInputError,
    ProgramTemplate,
    Reactions,
    Registration,
    Session,
    SlotAttendance,
)
from programstats.session import plain_attempts
from programstats.session_stats import session_overview
from programstats.strategies import attempts

UTC = timezone.utc
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NUL = "bad\x00text"
SURROGATE = "bad\ud800text"
BAD_TEXTS = [pytest.param(NUL, id="nul"), pytest.param(SURROGATE, id="surrogate")]
BAD_TEXT_WORDS = r"(NUL|surrogate)"


def at(days: float = 0, hours: float = 0) -> datetime:
    """An aware moment, ``days`` and ``hours`` after T0."""
    return T0 + timedelta(days=days, hours=hours)


def naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def rx(*parts: str) -> str:
    """A regex matching every literal part, in order, anything in between."""
    return "(?s:.*)".join(re.escape(part) for part in parts)


class NoOffset(tzinfo):
    """A tzinfo whose utcoffset is None: the datetime is naive all the same."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


# ---------------------------------------------------------------- builders


def valid_template(**overrides: Any) -> ProgramTemplate:
    fields: dict[str, Any] = {"id": "tpl", "name": "Onboarding", "description": "Basics"}
    fields.update(overrides)
    return ProgramTemplate(**fields)


def valid_block(**overrides: Any) -> Block:
    fields: dict[str, Any] = {"id": "b1", "title": "Welcome course", "kind": BlockKind.COURSE}
    fields.update(overrides)
    return Block(**fields)


def valid_slot(**overrides: Any) -> ClassroomSlot:
    fields: dict[str, Any] = {
        "id": "slot1",
        "block_id": "room",
        "title": "Paris morning",
        "start": at(10),
        "end": at(10, 3),
        "duration_hours": 3,
    }
    fields.update(overrides)
    return ClassroomSlot(**fields)


def valid_registration(**overrides: Any) -> Registration:
    fields: dict[str, Any] = {"user_id": "u1", "registered_at": at(0)}
    fields.update(overrides)
    return Registration(**fields)


def valid_attempt(**overrides: Any) -> Attempt:
    fields: dict[str, Any] = {
        "user_id": "u1",
        "block_id": "course",
        "started_at": at(2),
        "last_activity_at": at(2, 1),
        "time_spent": timedelta(minutes=30),
        "score": 80,
        "completed": True,
    }
    fields.update(overrides)
    return Attempt(**fields)


def valid_attendance(**overrides: Any) -> SlotAttendance:
    fields: dict[str, Any] = {"user_id": "u1", "slot_id": "slot1", "percent": 100}
    fields.update(overrides)
    return SlotAttendance(**fields)


def session_blocks() -> list[Block]:
    return [
        Block(id="course", title="Welcome course", kind=BlockKind.COURSE),
        Block(id="quiz", title="Final quiz", kind=BlockKind.ASSESSMENT, passing_score=50),
        Block(id="room", title="Workshop", kind=BlockKind.CLASSROOM),
    ]


def session_registrations() -> list[Registration]:
    return [
        valid_registration(user_id="u1"),
        valid_registration(user_id="u2", via_catalog=True),
        valid_registration(user_id="gone", unregistered_at=at(1)),
    ]


def valid_session(**overrides: Any) -> Session:
    """A session using every field; ``overrides`` replace single fields."""
    fields: dict[str, Any] = {
        "id": "s1",
        "name": "Onboarding, March",
        "template": valid_template(),
        "author_id": "author",
        "start": at(0),
        "end": at(30),
        "blocks": session_blocks(),
        "slots": [valid_slot()],
        "instructor_ids": ["author", "coach"],
        "group_ids": {"g1"},
        "catalog_group_ids": {"g2"},
        "registrations": session_registrations(),
        "waiting_list": ["w1"],
        "attempts": [valid_attempt(), valid_attempt(user_id="u2", block_id="quiz", score=40)],
        "attendances": [valid_attendance()],
        "certificate_user_ids": {"u1"},
        "expected_duration": timedelta(hours=10),
        "tags": ["onboarding", "sales"],
        "description": "First steps",
        "collaboration": Collaboration(posts=2, comments=3, reactions=Reactions(likes=1)),
    }
    fields.update(overrides)
    return Session(**fields)


def assert_rejected(build: Any, match: str, **overrides: Any) -> None:
    """``build()`` is valid; ``build(**overrides)`` raises InvalidInputError."""
    build()
    with pytest.raises(InvalidInputError, match=match):
        build(**overrides)


# ------------------------------------------------------------ valid values


def test_valid_values_construct() -> None:
    session = valid_session()
    assert session.id == "s1"
    assert [block.id for block in session.blocks] == ["course", "quiz", "room"]
    assert session.template == valid_template()
    assert session.slots == (valid_slot(),)
    assert session.registrations == tuple(session_registrations())
    assert session.collaboration.posts == 2


def test_invalid_input_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        valid_block(id="")


def test_types_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Block("b1", "Title", BlockKind.COURSE)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Registration("u1", at(0))  # type: ignore[misc]


def test_values_are_frozen() -> None:
    block = valid_block()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        block.title = "Other"  # type: ignore[misc]
    session = valid_session()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        session.name = "Other"  # type: ignore[misc]


def test_session_collections_are_stored_as_tuples_and_frozensets() -> None:
    session = valid_session()
    assert isinstance(session.blocks, tuple)
    assert isinstance(session.slots, tuple)
    assert isinstance(session.instructor_ids, tuple)
    assert isinstance(session.registrations, tuple)
    assert isinstance(session.waiting_list, tuple)
    assert isinstance(session.attempts, tuple)
    assert isinstance(session.attendances, tuple)
    assert isinstance(session.tags, tuple)
    assert session.group_ids == frozenset({"g1"})
    assert isinstance(session.group_ids, frozenset)
    assert isinstance(session.catalog_group_ids, frozenset)
    assert isinstance(session.certificate_user_ids, frozenset)
    assert session.instructor_ids == ("author", "coach")
    assert session.tags == ("onboarding", "sales")


def test_session_does_not_alias_caller_lists() -> None:
    blocks = session_blocks()
    tags = ["onboarding"]
    instructors = ["author"]
    waiting = ["w1"]
    groups = {"g1"}
    session = valid_session(
        blocks=blocks, tags=tags, instructor_ids=instructors, waiting_list=waiting, group_ids=groups
    )
    blocks.append(Block(id="extra", title="Extra", kind=BlockKind.COURSE))
    blocks[0] = Block(id="other", title="Other", kind=BlockKind.COURSE)
    tags.append("more")
    instructors.append("coach")
    waiting.clear()
    groups.add("g9")
    assert [block.id for block in session.blocks] == ["course", "quiz", "room"]
    assert session.tags == ("onboarding",)
    assert session.instructor_ids == ("author",)
    assert session.waiting_list == ("w1",)
    assert session.group_ids == frozenset({"g1"})


def test_session_accepts_any_iterable_for_collections() -> None:
    session = valid_session(blocks=iter(session_blocks()), tags=(t for t in ["a", "b"]))
    assert [block.id for block in session.blocks] == ["course", "quiz", "room"]
    assert session.tags == ("a", "b")


def test_values_are_hashable_and_equal_by_value() -> None:
    assert valid_block() == valid_block()
    assert hash(valid_block()) == hash(valid_block())
    assert valid_block() != valid_block(title="Other")
    assert valid_slot() == valid_slot()
    assert hash(valid_attempt()) == hash(valid_attempt())
    assert hash(valid_attendance()) == hash(valid_attendance())
    assert hash(valid_registration()) == hash(valid_registration())
    assert hash(valid_template()) == hash(valid_template())
    assert hash(Collaboration()) == hash(Collaboration())
    first, second = valid_session(), valid_session()
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1
    assert first != valid_session(name="Other name")


def test_facts_cache_is_not_part_of_equality_or_hash() -> None:
    first, second = valid_session(), valid_session()
    before = hash(second)
    session_overview(first)
    assert first._facts_cache is not None  # the statistic filled the cache
    assert second._facts_cache is None
    assert first == second
    assert second == first
    assert hash(first) == hash(second) == before
    assert "_facts_cache" not in repr(first)
    assert "facts_cache" not in repr(first)


def test_reactions_total() -> None:
    assert Reactions().total == 0
    assert Reactions(likes=1, learned_something=2, outdated=3, didnt_get_it=4).total == 10
    assert Collaboration().reactions == Reactions()


def test_block_boundaries_are_accepted() -> None:
    assert valid_block(passing_score=0).passing_score == 0
    assert valid_block(passing_score=100).passing_score == 100
    assert valid_block(passing_score=62.5).passing_score == 62.5
    assert valid_block(examination_mode=True, passing_score=70).examination_mode is True
    assessment = valid_block(kind=BlockKind.ASSESSMENT, passing_score=50)
    assert assessment.is_scored
    unscored = valid_block(scored=False)
    assert not unscored.is_scored


def test_classroom_block_is_never_scored_whatever_scored_says() -> None:
    assert not valid_block(kind=BlockKind.CLASSROOM, scored=True).is_scored
    assert not valid_block(kind=BlockKind.CLASSROOM, scored=False).is_scored


def test_boundaries_of_slots_registrations_attempts_attendances_are_accepted() -> None:
    assert valid_slot(end=at(10)).end == at(10)  # end == start
    assert valid_slot(duration_hours=0).duration_hours == 0
    # The reported duration may differ from end - start.
    assert valid_slot(duration_hours=7.5).duration_hours == 7.5
    assert valid_registration(unregistered_at=at(0)).unregistered_at == at(0)
    assert not valid_registration(unregistered_at=at(1)).active
    assert valid_attempt(last_activity_at=at(2)).last_activity_at == at(2)
    assert valid_attempt(time_spent=timedelta(0)).time_spent == timedelta(0)
    for score in (None, 0, 100, 0.0, 100.0, 55.5):
        assert valid_attempt(score=score).score == score
    for percent in (0, 100, 0.0, 33.3):
        assert valid_attendance(percent=percent).percent == percent
    assert valid_session(end=at(0)).end == at(0)  # end == start
    assert valid_session(expected_duration=None).expected_duration is None
    assert valid_session(expected_duration=timedelta(0)).expected_duration == timedelta(0)


def test_other_time_zones_are_accepted() -> None:
    paris = timezone(timedelta(hours=1))
    slot = valid_slot(start=at(10).astimezone(paris), end=at(10, 3))
    assert slot.start == at(10)


# -------------------------------------------------------- naive datetimes

NAIVE_CASES = [
    pytest.param(valid_slot, "start", ("ClassroomSlot", "'slot1'", "start"), id="slot-start"),
    pytest.param(valid_slot, "end", ("ClassroomSlot", "'slot1'", "end"), id="slot-end"),
    pytest.param(
        valid_registration,
        "registered_at",
        ("Registration", "'u1'", "registered_at"),
        id="registration-registered_at",
    ),
    pytest.param(
        valid_registration,
        "unregistered_at",
        ("Registration", "'u1'", "unregistered_at"),
        id="registration-unregistered_at",
    ),
    pytest.param(
        valid_attempt,
        "started_at",
        ("Attempt", "'u1'", "'course'", "started_at"),
        id="attempt-started_at",
    ),
    pytest.param(
        valid_attempt,
        "last_activity_at",
        ("Attempt", "'u1'", "'course'", "last_activity_at"),
        id="attempt-last_activity_at",
    ),
    pytest.param(valid_session, "start", ("Session", "'s1'", "start"), id="session-start"),
    pytest.param(valid_session, "end", ("Session", "'s1'", "end"), id="session-end"),
]


def _moment_for(build: Any, field: str) -> datetime:
    if build is valid_registration and field == "unregistered_at":
        return at(1)
    value = getattr(build(), field)
    assert isinstance(value, datetime)
    return value


@pytest.mark.parametrize(("build", "field", "names"), NAIVE_CASES)
def test_naive_datetime_is_rejected(build: Any, field: str, names: tuple[str, ...]) -> None:
    moment = _moment_for(build, field)
    build(**{field: moment})  # the aware value is fine
    with pytest.raises(InvalidInputError, match=rx(*names, "naive")):
        build(**{field: naive(moment)})


@pytest.mark.parametrize(("build", "field", "names"), NAIVE_CASES)
def test_datetime_whose_utcoffset_is_none_is_rejected(
    build: Any, field: str, names: tuple[str, ...]
) -> None:
    moment = _moment_for(build, field)
    build(**{field: moment})
    with pytest.raises(InvalidInputError, match=rx(*names, "naive")):
        build(**{field: moment.replace(tzinfo=NoOffset())})


@pytest.mark.parametrize(("build", "field", "names"), NAIVE_CASES)
def test_non_datetime_is_rejected(build: Any, field: str, names: tuple[str, ...]) -> None:
    moment = _moment_for(build, field)
    build(**{field: moment})
    with pytest.raises(InvalidInputError, match=rx(*names, "datetime")):
        build(**{field: moment.isoformat()})


def test_naive_start_and_end_of_session_are_both_rejected() -> None:
    # Both naive: comparing them would work, so only the tz check catches it.
    valid_session()
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", "start", "naive")):
        valid_session(start=naive(at(0)), end=naive(at(30)))
    with pytest.raises(InvalidInputError, match=rx("ClassroomSlot 'slot1'", "start", "naive")):
        valid_slot(start=naive(at(10)), end=naive(at(10, 3)))
    with pytest.raises(InvalidInputError, match=rx("Attempt", "'u1'", "started_at", "naive")):
        valid_attempt(started_at=naive(at(2)), last_activity_at=naive(at(2, 1)))


# ------------------------------------------------------------------ Block

BAD_SCORES = [
    pytest.param(-1, id="negative"),
    pytest.param(-0.001, id="slightly-negative"),
    pytest.param(100.5, id="above-100"),
    pytest.param(101, id="101"),
    pytest.param(math.nan, id="nan"),
    pytest.param(math.inf, id="inf"),
    pytest.param(-math.inf, id="-inf"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param("50", id="str"),
]


@pytest.mark.parametrize("score", BAD_SCORES)
def test_block_passing_score_outside_0_100_is_rejected(score: object) -> None:
    assert_rejected(valid_block, rx("Block 'b1'", "passing_score"), passing_score=score)


def test_course_in_examination_mode_needs_passing_score() -> None:
    valid_block(examination_mode=True, passing_score=50)
    with pytest.raises(InvalidInputError, match=rx("Block 'b1'", "examination mode", "passing")):
        valid_block(examination_mode=True)


def test_classroom_block_with_passing_score_is_rejected() -> None:
    valid_block(kind=BlockKind.CLASSROOM)
    with pytest.raises(InvalidInputError, match=rx("Block 'b1'", "CLASSROOM", "passing_score")):
        valid_block(kind=BlockKind.CLASSROOM, passing_score=50)


def test_classroom_block_in_examination_mode_is_rejected() -> None:
    valid_block(kind=BlockKind.CLASSROOM)
    with pytest.raises(InvalidInputError, match=rx("Block 'b1'", "CLASSROOM", "examination")):
        valid_block(kind=BlockKind.CLASSROOM, examination_mode=True)


def test_assessment_in_examination_mode_is_rejected() -> None:
    valid_block(kind=BlockKind.ASSESSMENT, passing_score=50)
    with pytest.raises(InvalidInputError, match=rx("Block 'b1'", "ASSESSMENT", "examination")):
        valid_block(kind=BlockKind.ASSESSMENT, passing_score=50, examination_mode=True)


def test_unscored_block_with_passing_score_is_rejected() -> None:
    valid_block(scored=False)
    valid_block(passing_score=50)
    with pytest.raises(InvalidInputError, match=rx("Block 'b1'", "passing_score", "scored")):
        valid_block(scored=False, passing_score=50)


@pytest.mark.parametrize("kind", ["course", "COURSE", None, 1])
def test_block_kind_must_be_a_block_kind(kind: object) -> None:
    assert_rejected(valid_block, rx("Block 'b1'", "kind"), kind=kind)


@pytest.mark.parametrize("field", ["scored", "examination_mode"])
@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_block_flags_must_be_bool(field: str, value: object) -> None:
    assert_rejected(valid_block, rx("Block 'b1'", field), **{field: value})


# ---------------------------------------------------------- ClassroomSlot


def test_slot_end_before_start_is_rejected() -> None:
    assert_rejected(
        valid_slot,
        rx("ClassroomSlot 'slot1'", "end", "before start"),
        end=at(10) - timedelta(seconds=1),
    )


@pytest.mark.parametrize(
    "hours",
    [
        pytest.param(-1, id="negative"),
        pytest.param(-0.5, id="negative-float"),
        pytest.param(math.nan, id="nan"),
        pytest.param(math.inf, id="inf"),
        pytest.param(-math.inf, id="-inf"),
        pytest.param(True, id="bool"),
        pytest.param("3", id="str"),
        pytest.param(None, id="none"),
    ],
)
def test_slot_duration_hours_must_be_a_finite_non_negative_number(hours: object) -> None:
    assert_rejected(valid_slot, rx("ClassroomSlot 'slot1'", "duration_hours"), duration_hours=hours)


# ----------------------------------------------------------- Registration


def test_unregistered_before_registered_is_rejected() -> None:
    valid_registration(unregistered_at=at(1))
    with pytest.raises(
        InvalidInputError,
        match=rx("Registration 'u1'", "unregistered_at", "before registered_at"),
    ):
        valid_registration(unregistered_at=at(0) - timedelta(seconds=1))


@pytest.mark.parametrize("value", [1, "yes", None])
def test_registration_via_catalog_must_be_bool(value: object) -> None:
    assert_rejected(valid_registration, rx("Registration 'u1'", "via_catalog"), via_catalog=value)


# ---------------------------------------------------------------- Attempt


def test_attempt_last_activity_before_start_is_rejected() -> None:
    assert_rejected(
        valid_attempt,
        rx("Attempt", "'u1'", "'course'", "last_activity_at", "before started_at"),
        last_activity_at=at(2) - timedelta(seconds=1),
    )


def test_attempt_negative_time_spent_is_rejected() -> None:
    assert_rejected(
        valid_attempt,
        rx("Attempt", "'u1'", "'course'", "time_spent", "negative"),
        time_spent=timedelta(seconds=-1),
    )


@pytest.mark.parametrize("spent", [30, 30.0, "PT30M", None])
def test_attempt_time_spent_must_be_a_timedelta(spent: object) -> None:
    assert_rejected(
        valid_attempt,
        rx("Attempt", "'u1'", "'course'", "time_spent", "timedelta"),
        time_spent=spent,
    )


@pytest.mark.parametrize("score", BAD_SCORES)
def test_attempt_bad_score_is_rejected(score: object) -> None:
    assert_rejected(valid_attempt, rx("Attempt", "'u1'", "'course'", "score"), score=score)


@pytest.mark.parametrize("value", [1, 0, "yes", None])
def test_attempt_completed_must_be_bool(value: object) -> None:
    assert_rejected(valid_attempt, rx("Attempt", "'u1'", "'course'", "completed"), completed=value)


# --------------------------------------------------------- SlotAttendance


@pytest.mark.parametrize("percent", BAD_SCORES)
def test_attendance_percent_outside_0_100_is_rejected(percent: object) -> None:
    assert_rejected(
        valid_attendance, rx("SlotAttendance", "'u1'", "'slot1'", "percent"), percent=percent
    )


# -------------------------------------------------- Reactions, Collaboration

BAD_COUNTS = [
    pytest.param(-1, id="negative"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param(1.0, id="float"),
    pytest.param("1", id="str"),
    pytest.param(None, id="none"),
]


@pytest.mark.parametrize("field", ["likes", "learned_something", "outdated", "didnt_get_it"])
@pytest.mark.parametrize("count", BAD_COUNTS)
def test_reactions_counts_must_be_non_negative_ints(field: str, count: object) -> None:
    assert Reactions(**{field: 3}).total == 3
    with pytest.raises(InvalidInputError, match=rx("Reactions", field, "non-negative int")):
        Reactions(**{field: count})


@pytest.mark.parametrize("field", ["posts", "comments"])
@pytest.mark.parametrize("count", BAD_COUNTS)
def test_collaboration_counts_must_be_non_negative_ints(field: str, count: object) -> None:
    assert getattr(Collaboration(**{field: 3}), field) == 3
    with pytest.raises(InvalidInputError, match=rx("Collaboration", field, "non-negative int")):
        Collaboration(**{field: count})


@pytest.mark.parametrize("reactions", [None, {"likes": 1}, 3])
def test_collaboration_reactions_must_be_reactions(reactions: object) -> None:
    Collaboration(reactions=Reactions(likes=1))
    with pytest.raises(InvalidInputError, match=rx("Collaboration", "reactions", "Reactions")):
        Collaboration(reactions=reactions)


# ------------------------------------------------ text fields and identifiers

TEXT_FIELDS = [
    pytest.param(valid_template, "name", "ProgramTemplate 'tpl'", id="template-name"),
    pytest.param(valid_template, "description", "ProgramTemplate 'tpl'", id="template-description"),
    pytest.param(valid_block, "title", "Block 'b1'", id="block-title"),
    pytest.param(valid_slot, "title", "ClassroomSlot 'slot1'", id="slot-title"),
    pytest.param(valid_session, "name", "Session 's1'", id="session-name"),
    pytest.param(valid_session, "description", "Session 's1'", id="session-description"),
]


@pytest.mark.parametrize("bad", BAD_TEXTS)
@pytest.mark.parametrize(("build", "field", "owner"), TEXT_FIELDS)
def test_text_field_rejects_nul_and_surrogates(
    build: Any, field: str, owner: str, bad: str
) -> None:
    build(**{field: "Plain text, accents é and emoji \U0001f600 are fine"})
    with pytest.raises(InvalidInputError, match=rx(owner, field) + ".*" + BAD_TEXT_WORDS):
        build(**{field: bad})


@pytest.mark.parametrize(("build", "field", "owner"), TEXT_FIELDS)
def test_text_field_must_be_a_str(build: Any, field: str, owner: str) -> None:
    assert_rejected(build, rx(owner, field, "str"), **{field: 42})


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_session_tags_reject_nul_and_surrogates(bad: str) -> None:
    valid_session(tags=["ok", "Plain é \U0001f600"])
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", "tags") + ".*" + BAD_TEXT_WORDS):
        valid_session(tags=["ok", bad])


def test_session_tags_must_be_str() -> None:
    assert_rejected(valid_session, rx("Session 's1'", "tags", "str"), tags=["ok", 3])


# (builder, field, message prefix when the id itself is the bad value)
ID_FIELDS = [
    pytest.param(valid_template, "id", "ProgramTemplate", id="template-id"),
    pytest.param(valid_block, "id", "Block", id="block-id"),
    pytest.param(valid_slot, "id", "ClassroomSlot", id="slot-id"),
    pytest.param(valid_slot, "block_id", "ClassroomSlot 'slot1'", id="slot-block_id"),
    pytest.param(valid_registration, "user_id", "Registration", id="registration-user_id"),
    pytest.param(valid_attempt, "user_id", "Attempt", id="attempt-user_id"),
    pytest.param(valid_attempt, "block_id", "Attempt", id="attempt-block_id"),
    pytest.param(valid_attendance, "user_id", "SlotAttendance", id="attendance-user_id"),
    pytest.param(valid_attendance, "slot_id", "SlotAttendance", id="attendance-slot_id"),
    pytest.param(valid_session, "id", "Session", id="session-id"),
    pytest.param(valid_session, "author_id", "Session 's1'", id="session-author_id"),
]


@pytest.mark.parametrize(("build", "field", "owner"), ID_FIELDS)
def test_empty_identifier_is_rejected(build: Any, field: str, owner: str) -> None:
    assert_rejected(build, rx(owner, field, "non-empty"), **{field: ""})


@pytest.mark.parametrize("bad", BAD_TEXTS)
@pytest.mark.parametrize(("build", "field", "owner"), ID_FIELDS)
def test_identifier_rejects_nul_and_surrogates(
    build: Any, field: str, owner: str, bad: str
) -> None:
    build()
    with pytest.raises(InvalidInputError, match=rx(owner, field) + ".*" + BAD_TEXT_WORDS):
        build(**{field: bad})


@pytest.mark.parametrize(("build", "field", "owner"), ID_FIELDS)
@pytest.mark.parametrize("value", [None, 7, b"id"])
def test_identifier_must_be_a_str(build: Any, field: str, owner: str, value: object) -> None:
    assert_rejected(build, rx(owner, field, "str"), **{field: value})


def test_bad_identifier_message_repr_escapes_the_bad_characters() -> None:
    # The message itself must be writable to a UTF-8 file.
    valid_block()
    with pytest.raises(InvalidInputError) as caught:
        valid_block(id=SURROGATE)
    str(caught.value).encode("utf-8")


SESSION_ID_COLLECTIONS = [
    pytest.param("instructor_ids", ["author", ""], id="instructor_ids"),
    pytest.param("group_ids", {"g1", ""}, id="group_ids"),
    pytest.param("catalog_group_ids", {"g2", ""}, id="catalog_group_ids"),
    pytest.param("waiting_list", ["w1", ""], id="waiting_list"),
    pytest.param("certificate_user_ids", {"u1", ""}, id="certificate_user_ids"),
]


@pytest.mark.parametrize(("field", "value"), SESSION_ID_COLLECTIONS)
def test_session_empty_identifier_in_collection_is_rejected(field: str, value: object) -> None:
    assert_rejected(valid_session, rx("Session 's1'", field, "non-empty"), **{field: value})


@pytest.mark.parametrize("bad", BAD_TEXTS)
@pytest.mark.parametrize(
    "field", ["instructor_ids", "group_ids", "catalog_group_ids", "waiting_list"]
)
def test_session_identifier_in_collection_rejects_nul_and_surrogates(field: str, bad: str) -> None:
    valid_session(**{field: ["x1"]})
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", field) + ".*" + BAD_TEXT_WORDS):
        valid_session(**{field: ["x1", bad]})


@pytest.mark.parametrize(
    "field", ["instructor_ids", "group_ids", "catalog_group_ids", "waiting_list"]
)
def test_session_identifier_in_collection_must_be_a_str(field: str) -> None:
    valid_session(**{field: ["x1"]})
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", field, "str")):
        valid_session(**{field: ["x1", 7]})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("group_ids", "g1", id="group_ids"),
        pytest.param("catalog_group_ids", "g2", id="catalog_group_ids"),
        pytest.param("instructor_ids", "author", id="instructor_ids"),
        pytest.param("waiting_list", "w1", id="waiting_list"),
        pytest.param("certificate_user_ids", "u1", id="certificate_user_ids"),
        pytest.param("tags", "onboarding", id="tags"),
        pytest.param("blocks", "course", id="blocks"),
        pytest.param("group_ids", b"g1", id="group_ids-bytes"),
    ],
)
def test_session_lone_string_for_a_collection_is_rejected(field: str, value: object) -> None:
    # Not split into characters: a lone string is a missing list.
    if field == "blocks":
        valid_session(blocks=session_blocks())
    else:
        wrapped = value.decode() if isinstance(value, bytes) else value
        valid_session(**{field: [wrapped]})  # the same value in a list is fine
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", "single string")):
        valid_session(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("blocks", 5, id="blocks-int"),
        pytest.param("registrations", None, id="registrations-none"),
        pytest.param("group_ids", [["g1"]], id="group_ids-unhashable"),
        pytest.param("tags", 3.5, id="tags-float"),
    ],
)
def test_session_non_iterable_collection_is_rejected(field: str, value: object) -> None:
    assert_rejected(valid_session, rx("Session 's1'", field, "must"), **{field: value})


# ---------------------------------------------------------------- Session


def test_session_end_before_start_is_rejected() -> None:
    assert_rejected(
        valid_session,
        rx("Session 's1'", "end", "before start"),
        end=at(0) - timedelta(seconds=1),
    )


def test_session_template_must_be_a_program_template() -> None:
    assert_rejected(
        valid_session, rx("Session 's1'", "template", "ProgramTemplate"), template="tpl"
    )


def test_session_collaboration_must_be_a_collaboration() -> None:
    assert_rejected(
        valid_session,
        rx("Session 's1'", "collaboration", "Collaboration"),
        collaboration=Reactions(),
    )


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("blocks", ["course"], "Block"),
        ("slots", [{"id": "slot1"}], "ClassroomSlot"),
        ("registrations", ["u1"], "Registration"),
        ("attempts", [None], "Attempt"),
        ("attendances", [("u1", "slot1", 100)], "SlotAttendance"),
    ],
)
def test_session_collection_entries_must_have_the_right_type(
    field: str, value: object, kind: str
) -> None:
    assert_rejected(valid_session, rx("Session 's1'", field, kind), **{field: value})


def test_session_expected_duration_must_not_be_negative() -> None:
    assert_rejected(
        valid_session,
        rx("Session 's1'", "expected_duration", "negative"),
        expected_duration=timedelta(seconds=-1),
    )


@pytest.mark.parametrize("value", [3600, 1.5, "PT1H"])
def test_session_expected_duration_must_be_a_timedelta(value: object) -> None:
    assert_rejected(
        valid_session,
        rx("Session 's1'", "expected_duration", "timedelta"),
        expected_duration=value,
    )


def test_session_duplicate_block_ids_are_rejected() -> None:
    blocks = [*session_blocks(), Block(id="course", title="Course again", kind=BlockKind.COURSE)]
    assert_rejected(valid_session, rx("Session 's1'", "block id 'course'", "twice"), blocks=blocks)


def test_session_duplicate_slot_ids_are_rejected() -> None:
    slots = [valid_slot(), valid_slot(title="Paris afternoon", start=at(11), end=at(11, 3))]
    assert_rejected(valid_session, rx("Session 's1'", "slot id 'slot1'", "twice"), slots=slots)


def test_session_slot_naming_unknown_block_is_rejected() -> None:
    slots = [valid_slot(), valid_slot(id="slot2", block_id="nowhere")]
    valid_session(slots=[valid_slot(), valid_slot(id="slot2")])
    with pytest.raises(
        InvalidInputError, match=rx("Session 's1'", "slot 'slot2'", "'nowhere'", "not a block")
    ):
        valid_session(slots=slots)


@pytest.mark.parametrize(("block_id", "kind"), [("course", "COURSE"), ("quiz", "ASSESSMENT")])
def test_session_slot_naming_non_classroom_block_is_rejected(block_id: str, kind: str) -> None:
    slots = [valid_slot(), valid_slot(id="slot2", block_id=block_id)]
    valid_session(slots=[valid_slot(), valid_slot(id="slot2")])
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "slot 'slot2'", f"'{block_id}'", kind, "CLASSROOM"),
    ):
        valid_session(slots=slots)


def test_session_attempt_naming_unknown_block_is_rejected() -> None:
    attempts = [valid_attempt(), valid_attempt(block_id="nowhere")]
    valid_session(attempts=[valid_attempt(), valid_attempt(block_id="quiz")])
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "attempt", "'u1'", "'nowhere'", "not a block"),
    ):
        valid_session(attempts=attempts)


def test_session_attempt_naming_classroom_block_is_rejected() -> None:
    attempts = [valid_attempt(), valid_attempt(block_id="room")]
    valid_session(attempts=[valid_attempt(), valid_attempt(block_id="quiz")])
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "attempt", "'u1'", "'room'", "SlotAttendance"),
    ):
        valid_session(attempts=attempts)


def test_session_attendance_naming_unknown_slot_is_rejected() -> None:
    attendances = [valid_attendance(), valid_attendance(user_id="u2", slot_id="nowhere")]
    valid_session(attendances=[valid_attendance(), valid_attendance(user_id="u2")])
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "attendance", "'u2'", "'nowhere'", "not a slot"),
    ):
        valid_session(attendances=attendances)


def test_session_two_attendances_for_one_user_and_slot_are_rejected() -> None:
    slots = [valid_slot(), valid_slot(id="slot2", start=at(11), end=at(11, 3))]
    # One attendance per slot for the same user is fine.
    valid_session(slots=slots, attendances=[valid_attendance(), valid_attendance(slot_id="slot2")])
    with pytest.raises(
        InvalidInputError, match=rx("Session 's1'", "'u1'", "two attendances", "'slot1'")
    ):
        valid_session(slots=slots, attendances=[valid_attendance(), valid_attendance(percent=50)])


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(valid_registration(user_id="u2"), id="both-active"),
        pytest.param(
            valid_registration(user_id="u2", registered_at=at(2), unregistered_at=at(3)),
            id="one-unassigned",
        ),
    ],
)
def test_session_two_registrations_for_one_user_are_rejected(second: Registration) -> None:
    registrations = [*session_registrations(), second]
    assert_rejected(
        valid_session,
        rx("Session 's1'", "'u2'", "two registrations"),
        registrations=registrations,
    )


def test_session_attempt_of_unregistered_user_is_rejected() -> None:
    attempts = [valid_attempt(), valid_attempt(user_id="stranger")]
    valid_session(attempts=[valid_attempt(), valid_attempt(user_id="u2")])
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "attempt", "'stranger'", "no registration"),
    ):
        valid_session(attempts=attempts)


def test_session_attendance_of_unregistered_user_is_rejected() -> None:
    attendances = [valid_attendance(), valid_attendance(user_id="stranger")]
    valid_session(attendances=[valid_attendance(), valid_attendance(user_id="u2")])
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "attendance", "'stranger'", "no registration"),
    ):
        valid_session(attendances=attendances)


def test_session_certificate_of_unregistered_user_is_rejected() -> None:
    valid_session(certificate_user_ids={"u1", "u2"})
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "certificate", "'stranger'", "no registration"),
    ):
        valid_session(certificate_user_ids={"u1", "stranger"})


def test_session_waiting_list_user_must_not_be_on_it_twice() -> None:
    valid_session(waiting_list=["w1", "w2"])
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", "'w1'", "waiting list twice")):
        valid_session(waiting_list=["w1", "w2", "w1"])


def test_session_instructor_listed_twice_is_rejected() -> None:
    valid_session(instructor_ids=["author", "coach"])
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", "instructor_ids", "twice")):
        valid_session(instructor_ids=["author", "coach", "author"])


def test_session_user_waiting_and_actively_registered_is_rejected() -> None:
    valid_session(waiting_list=["w1"])
    with pytest.raises(
        InvalidInputError,
        match=rx("Session 's1'", "'u2'", "waiting list", "registered"),
    ):
        valid_session(waiting_list=["w1", "u2"])


def test_session_unassigned_user_may_be_on_the_waiting_list() -> None:
    session = valid_session(waiting_list=["w1", "gone"])
    assert session.waiting_list == ("w1", "gone")


def test_session_unassigned_user_keeps_attempts_attendances_and_certificate() -> None:
    # "Every attempt, attendance and certificate belongs to a user who has a
    # registration" -- an unassigned registration is still a registration.
    session = valid_session(
        attempts=[valid_attempt(), valid_attempt(user_id="gone")],
        attendances=[valid_attendance(), valid_attendance(user_id="gone", percent=50)],
        certificate_user_ids={"u1", "gone"},
    )
    assert len(session.attempts) == 2
    assert len(session.attendances) == 2
    assert "gone" in session.certificate_user_ids


def test_session_may_be_minimal() -> None:
    session = Session(
        id="s2",
        name="Tiny",
        template=valid_template(),
        author_id="author",
        start=at(0),
        end=at(1),
        blocks=[],
    )
    assert session.blocks == ()
    assert session.slots == ()
    assert session.group_ids == frozenset()
    assert session.expected_duration is None
    assert session.collaboration == Collaboration()
    assert session.description == ""


# ------------------------------------------------------- attempts built column by column

ATTEMPT_FIELDS = (
    "user_id",
    "block_id",
    "started_at",
    "last_activity_at",
    "time_spent",
    "score",
    "completed",
)


def attempt_columns() -> list[list[Any]]:
    """Columns of two valid, plain attempts (the second on a non-ASCII block id)."""
    return [
        ["u1", "u2"],
        ["b1", "bloc-é"],
        [at(0), at(1)],
        [at(0, 1), at(1)],
        [timedelta(minutes=50), timedelta(0)],
        [80.5, None],
        [True, False],
    ]


class Text(str):
    """A str subclass: equal to a plain str, but not plain."""


def test_plain_attempts_equal_attempts_built_one_by_one() -> None:
    columns = attempt_columns()
    built = plain_attempts(*columns)
    rows = zip(*columns, strict=True)
    expected = tuple(Attempt(**dict(zip(ATTEMPT_FIELDS, row, strict=True))) for row in rows)
    assert built == expected
    assert plain_attempts(*([] for _ in ATTEMPT_FIELDS)) == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("user_id", Text("u2")),
        ("user_id", ""),
        ("user_id", NUL),
        ("user_id", SURROGATE),
        ("block_id", 7),
        ("started_at", naive(at(1))),
        ("started_at", at(1).astimezone(timezone(timedelta(hours=2)))),
        ("started_at", at(1).replace(fold=1)),
        ("started_at", at(1).replace(tzinfo=timezone(timedelta(0), "Z"))),  # equal to UTC
        ("started_at", datetime.min.replace(tzinfo=UTC)),
        ("last_activity_at", at(0, 23)),  # before started_at
        ("last_activity_at", datetime.max.replace(tzinfo=UTC)),
        ("time_spent", timedelta(seconds=-1)),
        ("time_spent", timedelta(days=36_526)),
        ("time_spent", 60),
        ("score", True),
        ("score", math.nan),
        ("score", 100.5),
        ("score", -1),
        ("score", "80"),
        ("completed", 1),
        ("completed", None),
    ],
)
def test_plain_attempts_leave_what_is_not_plain_to_the_constructor(
    field: str, value: object
) -> None:
    columns = attempt_columns()
    columns[ATTEMPT_FIELDS.index(field)][1] = value
    assert plain_attempts(*columns) is None


@given(st.lists(attempts(user_ids=["u1", "ü2"], block_ids=["b1", "b2"]), max_size=6))
def test_plain_attempts_rebuild_any_attempts(found: list[Attempt]) -> None:
    columns = [[getattr(a, name) for a in found] for name in ATTEMPT_FIELDS]
    assert plain_attempts(*columns) == tuple(found)
