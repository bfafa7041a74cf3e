"""programstats: statistics and CSV exports for program sessions.

Immutable :mod:`attrs` values describe sessions, blocks, attempts, classroom
slots, users and groups; pure functions compute every statistic a learning
platform shows about them.
"""

from .directory import Directory, Group, User
from .errors import InvalidInputError, ProgramStatsError
from .formatting import format_score
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
from .session_stats import (
    BlockResult,
    BlockScore,
    CourseProgress,
    GroupResult,
    LearnerBlock,
    LearnerResult,
    SessionOverview,
    SlotResult,
    block_results,
    group_results,
    learner_results,
    session_overview,
    shows_results,
)

__all__ = [
    "Attempt",
    "Block",
    "BlockKind",
    "BlockResult",
    "BlockScore",
    "ClassroomSlot",
    "Collaboration",
    "CourseProgress",
    "Directory",
    "Group",
    "GroupResult",
    "InvalidInputError",
    "LearnerBlock",
    "LearnerResult",
    "ProgramStatsError",
    "ProgramTemplate",
    "Reactions",
    "Registration",
    "Session",
    "SessionOverview",
    "SlotAttendance",
    "SlotResult",
    "User",
    "block_results",
    "format_score",
    "group_results",
    "learner_results",
    "session_overview",
    "shows_results",
]
