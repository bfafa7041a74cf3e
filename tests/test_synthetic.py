"""programstats.synthetic: deterministic, valid, realistic synthetic worlds."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest

from programstats import (
    BlockKind,
    InvalidInputError,
    block_results,
    group_results,
    learner_export,
    learner_results,
    session_overview,
)
from programstats.synthetic import DEFAULT_ANCHOR, SyntheticWorld, synthetic_world


@pytest.fixture(scope="module")
def world() -> SyntheticWorld:
    return synthetic_world(learners=200, sessions=4, seed=5)


@pytest.fixture(scope="module")
def default_world() -> SyntheticWorld:
    return synthetic_world()


def learner_ids(found: SyntheticWorld) -> set[str]:
    return {user_id for user_id in found.directory.users if user_id.startswith("learner-")}


# --------------------------------------------------------------------------- determinism


def test_same_arguments_give_equal_worlds() -> None:
    first = synthetic_world(learners=30, sessions=3, seed=7)
    second = synthetic_world(learners=30, sessions=3, seed=7)
    assert first == second
    assert first is not second
    assert first.sessions == second.sessions
    assert first.directory == second.directory


def test_defaults_are_reproducible(default_world: SyntheticWorld) -> None:
    assert synthetic_world() == default_world
    assert synthetic_world(learners=500, sessions=1, seed=0) == default_world


def test_different_seed_gives_a_different_world() -> None:
    first = synthetic_world(learners=30, sessions=3, seed=7)
    other = synthetic_world(learners=30, sessions=3, seed=8)
    assert first != other
    assert first.sessions != other.sessions


def test_retry_rate_and_anchor_are_part_of_the_arguments() -> None:
    base = synthetic_world(learners=30, sessions=2, seed=1)
    assert synthetic_world(learners=30, sessions=2, seed=1, retry_rate=2.0) != base
    later = datetime(2027, 6, 1, tzinfo=timezone.utc)
    assert synthetic_world(learners=30, sessions=2, seed=1, anchor=later) != base


@pytest.mark.parametrize("seed", [None, "1", 1.5, [1], True])
def test_seed_must_be_an_int(seed: object) -> None:
    # "The same arguments always give the same world": seed=None would read the OS entropy.
    with pytest.raises(InvalidInputError, match="seed"):
        synthetic_world(learners=5, sessions=1, seed=seed)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(("learners", "sessions"), [(1, 1), (13, 3), (60, 5), (0, 2), (5, 0)])
def test_sizes_are_respected(learners: int, sessions: int) -> None:
    found = synthetic_world(learners=learners, sessions=sessions, seed=2)
    assert len(found.sessions) == sessions
    assert len(learner_ids(found)) == learners
    for session in found.sessions:
        assert len(session.registrations) == learners
        assert {r.user_id for r in session.registrations} == learner_ids(found)
    assert len({s.id for s in found.sessions}) == sessions


def test_learners_zero_works() -> None:
    found = synthetic_world(learners=0, sessions=3, seed=0)
    assert len(found.sessions) == 3
    for session in found.sessions:
        assert session.registrations == ()
        assert session.attempts == ()
        assert learner_results(session, found.directory) == ()
        overview = session_overview(session)
        assert overview.registrations == 0
        assert overview.attendees == 0
        group_results(session, found.directory)
    assert list(learner_export(found.sessions, found.directory).rows) == []


def test_default_sizes(default_world: SyntheticWorld) -> None:
    assert len(default_world.sessions) == 1
    assert len(default_world.sessions[0].registrations) == 500


@pytest.mark.parametrize("name", ["learners", "sessions"])
@pytest.mark.parametrize("bad", [-1, -100, True, False, 2.0, 1.5, "3", None])
def test_bad_sizes_are_rejected(name: str, bad: object) -> None:
    with pytest.raises(InvalidInputError):
        synthetic_world(**{name: bad})  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-0.1, 5.5, float("nan"), float("inf"), "0.4", None])
def test_bad_retry_rate_is_rejected(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        synthetic_world(learners=3, retry_rate=bad)  # type: ignore[arg-type]


def test_naive_anchor_is_rejected() -> None:
    with pytest.raises(InvalidInputError):
        synthetic_world(learners=3, anchor=datetime(2026, 1, 1))


# --------------------------------------------------------------------------- programs


def test_first_session_runs_the_onboarding_program(world: SyntheticWorld) -> None:
    for found in (world, synthetic_world(learners=3, sessions=1, seed=123)):
        first = found.sessions[0]
        assert first.template.id == "onboarding"
        assert len(first.blocks) == 12
        kinds = Counter(block.kind for block in first.blocks)
        assert kinds == {BlockKind.COURSE: 8, BlockKind.ASSESSMENT: 2, BlockKind.CLASSROOM: 2}
        assert len(first.slots) == 4
        classroom = {b.id for b in first.blocks if b.kind is BlockKind.CLASSROOM}
        per_block = Counter(slot.block_id for slot in first.slots)
        assert per_block == dict.fromkeys(classroom, 2)


def test_sessions_run_one_of_three_programs() -> None:
    found = synthetic_world(learners=5, sessions=30, seed=9)
    templates = {session.template.id for session in found.sessions}
    assert templates <= {"onboarding", "compliance", "leadership"}
    assert len(templates) == 3
    for session in found.sessions:
        same = [s for s in found.sessions if s.template.id == session.template.id]
        assert all(s.blocks == session.blocks for s in same)


# --------------------------------------------------------------------------- contents


def test_group_tree_has_three_levels(world: SyntheticWorld) -> None:
    directory = world.directory
    levels = Counter(directory.level(group_id) for group_id in directory.groups)
    assert set(levels) == {0, 1, 2}
    # Every level-2 group has a level-1 parent whose parent is the root.
    for group_id in directory.groups:
        assert len(directory.ancestors(group_id)) == directory.level(group_id) + 1


def test_learners_belong_to_groups_of_the_tree(world: SyntheticWorld) -> None:
    for user_id in learner_ids(world):
        user = world.directory.users[user_id]
        assert user.group_ids
        assert all(g in world.directory.groups for g in user.group_ids)


def test_some_learner_retries_a_block(world: SyntheticWorld) -> None:
    for session in world.sessions:
        tries = Counter((a.user_id, a.block_id) for a in session.attempts)
        assert max(tries.values()) >= 2


def test_no_retries_at_retry_rate_zero() -> None:
    found = synthetic_world(learners=80, sessions=2, seed=4, retry_rate=0)
    for session in found.sessions:
        assert session.attempts
        tries = Counter((a.user_id, a.block_id) for a in session.attempts)
        assert max(tries.values()) == 1


def test_higher_retry_rate_gives_more_attempts() -> None:
    low = synthetic_world(learners=300, sessions=1, seed=3, retry_rate=0.1)
    high = synthetic_world(learners=300, sessions=1, seed=3, retry_rate=0.9)
    assert len(high.sessions[0].attempts) > len(low.sessions[0].attempts)


def test_some_learners_are_unassigned(world: SyntheticWorld) -> None:
    gone = [
        r
        for session in world.sessions
        for r in session.registrations
        if r.unregistered_at is not None
    ]
    assert gone
    results = [r for s in world.sessions for r in learner_results(s, world.directory)]
    assert any(not r.registered for r in results)


def test_some_learners_register_from_the_catalog(world: SyntheticWorld) -> None:
    assert any(r.via_catalog for s in world.sessions for r in s.registrations)


def test_deleted_users(default_world: SyntheticWorld) -> None:
    users = default_world.directory.users.values()
    deleted = [u for u in users if u.deleted_at is not None]
    assert deleted
    assert any(u.id.startswith("learner-") for u in deleted), "deleted learners"
    for user in deleted:
        assert user.deleted_at is not None
        assert user.deleted_at <= DEFAULT_ANCHOR


def test_custom_fields_with_non_ascii_text(world: SyntheticWorld) -> None:
    fields = [u.custom_fields for u in world.directory.users.values() if u.custom_fields]
    assert fields
    values = [value for mapping in fields for value in mapping.values()]
    assert any(not value.isascii() for value in values)


def test_names_with_non_ascii_text(world: SyntheticWorld) -> None:
    learners = [world.directory.users[i] for i in learner_ids(world)]
    assert any(not (u.first_name + u.last_name).isascii() for u in learners)


def test_an_anonymized_author(world: SyntheticWorld) -> None:
    users = world.directory.users
    anonymized = [u for u in users.values() if u.anonymized]
    assert anonymized
    authors = {session.author_id for session in world.sessions}
    assert all(author in users for author in authors)
    many = synthetic_world(learners=2, sessions=20, seed=1)
    assert any(many.directory.users[s.author_id].anonymized for s in many.sessions)


def test_managers_are_users_of_the_directory(world: SyntheticWorld) -> None:
    emails = {u.email for u in world.directory.users.values()}
    managers = {m for u in world.directory.users.values() for m in u.manager_emails}
    assert managers
    assert managers <= emails


def test_attempts_in_chronological_order(world: SyntheticWorld) -> None:
    for session in world.sessions:
        starts = [a.started_at for a in session.attempts]
        assert starts
        assert starts == sorted(starts)


def test_learners_reach_different_depths(world: SyntheticWorld) -> None:
    progress = {r.progress for r in learner_results(world.sessions[0], world.directory)}
    assert 0.0 in progress
    assert 100.0 in progress
    assert len(progress) > 3


def test_recorded_activity_is_not_after_the_anchor() -> None:
    """ "No clock is read: dates are laid out before anchor": at least what already
    happened (registrations, attempts, attended classroom slots) lies before it."""
    late: list[tuple[int, str, str]] = []
    for seed in range(6):
        found = synthetic_world(learners=60, sessions=12, seed=seed)
        for session in found.sessions:
            assert session.start <= DEFAULT_ANCHOR
            slot_ends = {slot.id: slot.end for slot in session.slots}
            late += [
                (seed, session.id, f"registration of {r.user_id}")
                for r in session.registrations
                if r.registered_at > DEFAULT_ANCHOR
            ]
            late += [
                (seed, session.id, f"attempt of {a.user_id} on {a.block_id}")
                for a in session.attempts
                if a.last_activity_at > DEFAULT_ANCHOR
            ]
            late += [
                (seed, session.id, f"attendance of {a.user_id} on {a.slot_id}")
                for a in session.attendances
                if a.percent > 0 and slot_ends[a.slot_id] > DEFAULT_ANCHOR
            ]
    assert len(late) == 0, f"{len(late)} events after the anchor, e.g. {late[:3]}"


def test_world_is_self_contained(world: SyntheticWorld) -> None:
    directory = world.directory
    assert len({s.id for s in world.sessions}) == len(world.sessions)
    for session in world.sessions:
        named_users = (
            {session.author_id}
            | set(session.instructor_ids)
            | {r.user_id for r in session.registrations}
            | set(session.waiting_list)
            | {a.user_id for a in session.attempts}
            | {a.user_id for a in session.attendances}
            | set(session.certificate_user_ids)
        )
        assert named_users <= set(directory.users)
        assert set(session.group_ids) | set(session.catalog_group_ids) <= set(directory.groups)
        # Every statistic that takes the directory accepts the pair.
        assert len(learner_results(session, directory)) == len(session.registrations)
        assert {g.group_id for g in group_results(session, directory)} == set(session.group_ids)
        assert len(block_results(session)) == len(session.blocks)
    table = learner_export(world.sessions, directory)
    assert len(list(table.rows)) == sum(len(s.registrations) for s in world.sessions)
