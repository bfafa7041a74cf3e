"""programstats: statistics and CSV exports for program sessions.

Immutable :mod:`attrs` values describe sessions, blocks, attempts, classroom
slots, users and groups; pure functions compute every statistic a learning
platform shows about them.
"""

from .directory import Directory, Group, User
from .errors import InvalidInputError, ProgramStatsError
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
    "Attempt",
    "Block",
    "BlockKind",
    "ClassroomSlot",
    "Collaboration",
    "Directory",
    "Group",
    "InvalidInputError",
    "ProgramStatsError",
    "ProgramTemplate",
    "Reactions",
    "Registration",
    "Session",
    "SlotAttendance",
    "User",
]
