"""A tiny hand-built session, used by the documentation's examples.

Three blocks (a course, an assessment passed at 50, a classroom block with
one slot) and four learners:

* ``ana``  completed everything: course 80 in 50 min, assessment 60, attended
  the slot: progress 100, score 70, verified;
* ``bob``  scored 80 on the course in 20 min without completing it;
* ``cleo`` is registered and has not started;
* ``dan``  was registered, then unassigned, and never started.

>>> session = tiny_session()
>>> [block.id for block in session.blocks]
['course', 'quiz', 'workshop']
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .directory import Directory, Group, User
from .session import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    ProgramTemplate,
    Registration,
    Session,
    SlotAttendance,
)

__all__ = ["tiny_directory", "tiny_session"]

_UTC = timezone.utc


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=_UTC)


def tiny_directory() -> Directory:
    """The users and groups of :func:`tiny_session`."""
    return Directory(
        groups=[
            Group(id="company", name="Company"),
            Group(id="sales", name="Sales", parent_id="company"),
        ],
        users=[
            User(
                id="ana",
                first_name="Ana",
                last_name="Alves",
                email="ana@example.com",
                group_ids={"sales"},
                custom_fields={"Team": "North"},
            ),
            User(
                id="bob",
                first_name="Bob",
                last_name="Brown",
                email="bob@example.com",
                group_ids={"sales"},
            ),
            User(
                id="cleo",
                first_name="Cleo",
                last_name="Chen",
                email="cleo@example.com",
                group_ids={"company"},
            ),
            User(id="dan", first_name="Dan", last_name="Diaz", email="dan@example.com"),
            User(id="olga", first_name="Olga", last_name="Ortiz", email="olga@example.com"),
        ],
    )


def tiny_session() -> Session:
    """A small, fully hand-checkable session (see the module docstring)."""
    registered = _at(1, 9)
    return Session(
        id="s1",
        name="Onboarding, March",
        template=ProgramTemplate(id="onboarding", name="Onboarding"),
        author_id="olga",
        start=_at(2, 9),
        end=_at(31, 18),
        blocks=[
            Block(id="course", title="Welcome course", kind=BlockKind.COURSE),
            Block(id="quiz", title="Final quiz", kind=BlockKind.ASSESSMENT, passing_score=50),
            Block(id="workshop", title="Workshop", kind=BlockKind.CLASSROOM),
        ],
        slots=[
            ClassroomSlot(
                id="slot1",
                block_id="workshop",
                title="Paris morning",
                start=_at(20, 9),
                end=_at(20, 12),
                duration_hours=3,
            ),
        ],
        instructor_ids=["olga"],
        group_ids={"sales", "company"},
        registrations=[
            Registration(user_id="ana", registered_at=registered),
            Registration(user_id="bob", registered_at=registered, via_catalog=True),
            Registration(user_id="cleo", registered_at=registered),
            Registration(user_id="dan", registered_at=registered, unregistered_at=_at(3, 9)),
        ],
        attempts=[
            Attempt(
                user_id="ana",
                block_id="course",
                started_at=_at(4, 10),
                last_activity_at=_at(4, 11),
                time_spent=timedelta(minutes=50),
                score=80,
                completed=True,
            ),
            Attempt(
                user_id="ana",
                block_id="quiz",
                started_at=_at(5, 10),
                last_activity_at=_at(5, 10, 30),
                time_spent=timedelta(minutes=25),
                score=60,
                completed=True,
            ),
            Attempt(
                user_id="bob",
                block_id="course",
                started_at=_at(6, 14),
                last_activity_at=_at(6, 14, 20),
                time_spent=timedelta(minutes=20),
                score=80,
            ),
        ],
        attendances=[
            SlotAttendance(user_id="ana", slot_id="slot1", percent=100),
        ],
        certificate_user_ids={"ana"},
    )
