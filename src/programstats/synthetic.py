"""Realistic, valid synthetic data, built deterministically from a seed.

>>> world = synthetic_world(learners=20, sessions=2, seed=7)
>>> len(world.sessions), len(world.sessions[0].registrations)
(2, 20)
>>> synthetic_world(learners=20, sessions=2, seed=7) == world
True

The directory has a three-level group tree, learners with non-ASCII names
and custom fields, a few deleted users, managers and an anonymized author.
Every session runs one of three programs: *Onboarding* (8 courses, 2
assessments, 2 classroom blocks of 2 slots: 12 blocks), *Compliance*
(online only) and *Leadership* (blended). Learners reach different depths,
retry courses, some are unassigned since, some register from the catalog.
No clock is read: sessions start before ``anchor`` and no activity is
recorded after it, so ``anchor`` can serve as "now".
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import attrs

from .directory import Directory, Group, User
from .errors import InvalidInputError
from .formatting import MONTH_NAMES
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

__all__ = ["SyntheticWorld", "synthetic_world"]

DEFAULT_ANCHOR = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)

_FIRST_NAMES = (
    "Ana",
    "Zoë",
    "José",
    "Łukasz",
    "Søren",
    "Amélie",
    "Kenji",
    "Fatima",
    "Ngozi",
    "Björn",
    "Chloé",
    "Dmitri",
    "Aiyana",
    "Mateo",
    "Yasmin",
    "Oluwaseun",
    "Ines",
    "Mei",
    "Noah",
    "Élodie",
)
_LAST_NAMES = (
    "Martin",
    "Müller",
    "Çelik",
    "García",
    "Østergaard",
    "Nguyễn",
    "O'Brien",
    "Kowalski",
    "Dubois",
    "Tanaka",
    "Haddad",
    "da Silva",
    "Smith",
    "Іваненко",
    "Leclerc",
    "van Dijk",
    "Ødegård",
    "Rossi",
    "Kim",
    "Mbeki",
)
_SITES = ("Paris", "Lyon", "Zürich", "São Paulo", "東京", "Montréal", "New York")
_DEPARTMENTS = ("Sales", "Support", "R&D", "Finance", "Opérations")

_TEMPLATES = (
    ProgramTemplate(
        id="onboarding",
        name="Onboarding",
        description="Everything a new colleague needs in their first month.",
    ),
    ProgramTemplate(
        id="compliance",
        name="Compliance 2026",
        description="Yearly compliance: data protection, security, ethics.",
    ),
    ProgramTemplate(
        id="leadership",
        name="Leadership essentials",
        description="Blended program for new managers.",
    ),
)


def _onboarding_blocks() -> list[Block]:
    course = BlockKind.COURSE
    return [
        Block(id="welcome", title="Welcome to the company", kind=course),
        Block(id="tools", title="Our tools", kind=course),
        Block(
            id="security",
            title="Security basics",
            kind=course,
            examination_mode=True,
            passing_score=70,
        ),
        Block(id="quiz-1", title="Checkpoint quiz", kind=BlockKind.ASSESSMENT, passing_score=50),
        Block(id="product", title="Product tour", kind=course),
        Block(id="workshop-1", title="Team workshop", kind=BlockKind.CLASSROOM),
        Block(id="customers", title="Our customers", kind=course),
        Block(id="process", title="How we work", kind=course, scored=False),
        Block(
            id="ethics",
            title="Ethics & conduct",
            kind=course,
            examination_mode=True,
            passing_score=80,
        ),
        Block(id="workshop-2", title="Meet the leaders", kind=BlockKind.CLASSROOM),
        Block(id="wrap-up", title="Wrap-up", kind=course),
        Block(id="final", title="Final assessment", kind=BlockKind.ASSESSMENT, passing_score=60),
    ]


def _compliance_blocks() -> list[Block]:
    return [
        Block(id="gdpr", title="Data protection (GDPR)", kind=BlockKind.COURSE),
        Block(id="phishing", title="=Phishing? Spot it", kind=BlockKind.COURSE),
        Block(id="exam", title="Compliance exam", kind=BlockKind.ASSESSMENT, passing_score=75),
    ]


def _leadership_blocks() -> list[Block]:
    return [
        Block(id="role", title="Your new role", kind=BlockKind.COURSE),
        Block(
            id="feedback",
            title="Giving feedback",
            kind=BlockKind.COURSE,
            examination_mode=True,
            passing_score=60,
        ),
        Block(id="lab", title="Leadership lab", kind=BlockKind.CLASSROOM),
        Block(id="self-check", title="Self-assessment", kind=BlockKind.ASSESSMENT),
    ]


_PROGRAMS = (_onboarding_blocks, _compliance_blocks, _leadership_blocks)


@attrs.frozen(kw_only=True)
class SyntheticWorld:
    """A directory and the sessions that name its users and groups."""

    directory: Directory
    sessions: tuple[Session, ...]


def _groups() -> list[Group]:
    groups = [Group(id="company", name="Company")]
    regions = {"europe": "Europe", "americas": "Americas", "asia": "Asia-Pacific"}
    for region_id, name in regions.items():
        groups.append(Group(id=region_id, name=name, parent_id="company"))
    teams = {
        "paris-sales": ("Paris Sales", "europe"),
        "lyon-support": ("Équipe Lyon", "europe"),
        "zurich-rd": ("Zürich R&D", "europe"),
        "nyc-sales": ("New York Sales", "americas"),
        "sao-paulo": ("São Paulo", "americas"),
        "tokyo": ("東京チーム", "asia"),
    }
    for team_id, (name, parent) in teams.items():
        groups.append(Group(id=team_id, name=name, parent_id=parent))
    return groups


def _staff(anchor: datetime) -> list[User]:
    return [
        User(id="author-1", first_name="Olga", last_name="Ortiz", email="olga.ortiz@example.com"),
        User(
            id="author-2",
            first_name="Pierre",
            last_name="Anonyme",
            email="pierre@example.com",
            anonymized=True,
            deleted_at=anchor - timedelta(days=3),
        ),
        User(
            id="trainer-1",
            first_name="Grace",
            last_name="Hopper",
            email="grace@example.com",
            group_ids={"company"},
        ),
        User(id="trainer-2", first_name="Alan", last_name="Kay", email="alan@example.com"),
    ]


def _learner(number: int, rng: random.Random, team_ids: list[str], anchor: datetime) -> User:
    first = rng.choice(_FIRST_NAMES)
    last = rng.choice(_LAST_NAMES)
    fields = {"Department": rng.choice(_DEPARTMENTS)}
    if rng.random() < 0.8:
        fields["Site"] = rng.choice(_SITES)
    if rng.random() < 0.3:
        fields["Employee number"] = f"E{number:06d}"
    deleted = anchor - timedelta(days=rng.randrange(1, 200)) if rng.random() < 0.02 else None
    information = "" if rng.random() < 0.9 else "=SUM(A1:A9) is not a formula here"
    return User(
        id=f"learner-{number}",
        first_name=first,
        last_name=last,
        email=f"learner{number}@example.com",
        group_ids={rng.choice(team_ids)},
        custom_fields=fields,
        additional_information=information,
        manager_emails=("grace@example.com",) if rng.random() < 0.5 else (),
        deleted_at=deleted,
    )


def _session(
    number: int,
    rng: random.Random,
    learners: list[User],
    waiting: list[User],
    team_ids: list[str],
    anchor: datetime,
    retry_rate: float,
) -> Session:
    kind = 0 if number == 0 else rng.randrange(len(_PROGRAMS))
    template = _TEMPLATES[kind]
    blocks = _PROGRAMS[kind]()
    start = anchor - timedelta(days=rng.randrange(0, 540), hours=rng.randrange(0, 8))
    end = start + timedelta(days=rng.choice((30, 45, 60, 90)))
    slots = []
    for block in blocks:
        if block.kind is BlockKind.CLASSROOM:
            for k in range(2):
                slot_start = start + timedelta(days=rng.randrange(3, 25), hours=k * 4)
                slots.append(
                    ClassroomSlot(
                        id=f"{block.id}-{k + 1}",
                        block_id=block.id,
                        title=("Morning group", "Afternoon group")[k],
                        start=slot_start,
                        end=slot_start + timedelta(hours=3),
                        duration_hours=rng.choice((3, 2.5, 3.25)),
                    )
                )
    slot_ids_by_block: dict[str, list[str]] = {}
    for slot in slots:
        slot_ids_by_block.setdefault(slot.block_id, []).append(slot.id)
    slot_starts = {slot.id: slot.start for slot in slots}
    slot_ends = {slot.id: slot.end for slot in slots}

    registrations = []
    attempts: list[tuple[datetime, str, str, timedelta, timedelta, float | None, bool]] = []
    attendances: list[SlotAttendance] = []
    for user in learners:
        registered_at = start - timedelta(days=rng.randrange(1, 20))
        gone = rng.random() < 0.03
        registrations.append(
            Registration(
                user_id=user.id,
                registered_at=registered_at,
                unregistered_at=registered_at + timedelta(days=rng.randrange(1, 10))
                if gone
                else None,
                via_catalog=rng.random() < 0.15,
            )
        )
        roll = rng.random()
        reach = 0 if roll < 0.06 else len(blocks) if roll < 0.65 else rng.randrange(1, len(blocks))
        moment = start + timedelta(hours=rng.randrange(1, 72))
        for index, block in enumerate(blocks[:reach]):
            last_reached = index == reach - 1 and reach < len(blocks)
            if block.kind is BlockKind.CLASSROOM:
                slot_id = rng.choice(slot_ids_by_block[block.id])
                percent = rng.choice((100, 100, 100, 75, 50, 0)) if not last_reached else 0
                if slot_ends[slot_id] <= anchor:  # nothing is recorded after "now"
                    attendances.append(
                        SlotAttendance(user_id=user.id, slot_id=slot_id, percent=percent)
                    )
                moment = max(moment, slot_starts[slot_id] + timedelta(hours=4))
                continue
            tries = 1
            while rng.random() < retry_rate / (1 + retry_rate) and tries < 6:
                tries += 1
            for attempt_number in range(tries):
                duration = timedelta(seconds=rng.randrange(120, 3600))
                final = attempt_number == tries - 1
                score = None
                if block.scored:
                    score = round(rng.triangular(20, 100, 80), rng.choice((0, 1, 2)))
                if moment + duration > anchor:  # nothing is recorded after "now"
                    break
                attempts.append(
                    (
                        moment,
                        user.id,
                        block.id,
                        duration,
                        duration - timedelta(seconds=rng.randrange(0, 90)),
                        score,
                        final and not last_reached,
                    )
                )
                moment += duration + timedelta(hours=rng.randrange(1, 30))
    # A platform's database hands attempts over in chronological order.
    attempts.sort(key=lambda fields: (fields[0], fields[1], fields[2]))
    done = [u.id for u in learners if rng.random() < 0.4]
    return Session(
        id=f"session-{number + 1}",
        name=f"{template.name} — {MONTH_NAMES[start.month - 1]} {start.year}",
        template=template,
        author_id=rng.choice(("author-1", "author-2")),
        start=start,
        end=end,
        blocks=blocks,
        slots=slots,
        instructor_ids=rng.sample(("trainer-1", "trainer-2"), rng.randrange(1, 3)),
        group_ids=set(rng.sample(team_ids, rng.randrange(1, 3)))
        | {"europe"}
        | ({"paris-sales"} if number == 0 or rng.random() < 0.6 else set()),
        catalog_group_ids={"company"} if rng.random() < 0.5 else set(),
        registrations=registrations,
        waiting_list=[u.id for u in waiting],
        attempts=[
            Attempt(
                user_id=user_id,
                block_id=block_id,
                started_at=started,
                last_activity_at=started + duration,
                time_spent=spent,
                score=score,
                completed=completed,
            )
            for started, user_id, block_id, duration, spent, score, completed in attempts
        ],
        attendances=attendances,
        certificate_user_ids=done,
        expected_duration=timedelta(hours=rng.choice((4, 6, 12))),
        tags=rng.sample(("onboarding", "2026", "mandatory", "+new"), 2),
        description="Cohort with learners from every site.",
        collaboration=Collaboration(
            posts=rng.randrange(0, 40),
            comments=rng.randrange(0, 200),
            reactions=Reactions(
                likes=rng.randrange(0, 100),
                learned_something=rng.randrange(0, 50),
                outdated=rng.randrange(0, 5),
                didnt_get_it=rng.randrange(0, 10),
            ),
        ),
    )


def synthetic_world(
    *,
    learners: int = 500,
    sessions: int = 1,
    seed: int = 0,
    retry_rate: float = 0.4,
    anchor: datetime = DEFAULT_ANCHOR,
) -> SyntheticWorld:
    """A directory and ``sessions`` sessions of ``learners`` learners each.

    The same arguments always give the same world (``seed`` is an int). No
    activity is recorded after ``anchor``, which plays the part of "now".
    ``retry_rate`` is the
    mean number of extra attempts per block a learner works on (0.9 gives
    about 15 attempts per learner on the 12-block *Onboarding* program,
    which the first session always runs). Raises :class:`InvalidInputError`
    for a negative size, a seed that is not an int, or a naive anchor.
    """
    for name, value in (("learners", learners), ("sessions", sessions), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int) or (name != "seed" and value < 0):
            kind = "an int" if name == "seed" else "an int >= 0"
            raise InvalidInputError(f"synthetic_world: {name} must be {kind}, got {value!r}")
    if (
        isinstance(retry_rate, bool)
        or not isinstance(retry_rate, (int, float))
        or not 0 <= retry_rate <= 5
    ):
        raise InvalidInputError(
            f"synthetic_world: retry_rate must be a number in [0, 5], got {retry_rate!r}"
        )
    if not isinstance(anchor, datetime) or anchor.utcoffset() is None:
        raise InvalidInputError(
            f"synthetic_world: anchor must be an aware datetime, got {anchor!r}"
        )
    rng = random.Random(seed)
    groups = _groups()
    team_ids = [g.id for g in groups if g.parent_id not in (None, "company")]
    people = [_learner(number + 1, rng, team_ids, anchor) for number in range(learners)]
    waiting = [
        User(
            id=f"waiting-{k + 1}",
            first_name="Wait",
            last_name=f"Lister {k + 1}",
            email=f"waiting{k + 1}@example.com",
        )
        for k in range(max(1, learners // 50))
    ]
    directory = Directory(users=[*_staff(anchor), *people, *waiting], groups=groups)
    built = tuple(
        _session(number, rng, people, waiting, team_ids, anchor, retry_rate)
        for number in range(sessions)
    )
    return SyntheticWorld(directory=directory, sessions=built)
