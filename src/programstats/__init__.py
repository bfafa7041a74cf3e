"""programstats: statistics and CSV exports for program sessions.

Immutable :mod:`attrs` values describe sessions, blocks, attempts, classroom
slots, users and groups; pure functions compute every statistic a learning
platform shows about them.
"""

# The displays register one function per type with programstats._render.render:
# the result types call render and never import the code that draws them.
from . import display  # noqa: F401
from .directory import Directory, Group, User
from .errors import InvalidInputError, ProgramStatsError
from .export import export_layout, learner_export
from .formatting import format_score
from .layout import ExportLayout
from .options import ExportOptions
from .result_tables import (
    block_results_table,
    group_results_table,
    learner_results_table,
    overview_table,
)
from .rights import Viewer, can_view, visible_sessions
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
from .table import Table, write_csv
from .views import (
    DashboardPartial,
    GroupDashboard,
    GroupSessionRow,
    Status,
    collaboration_table,
    combine_dashboards,
    dashboard_partial,
    group_dashboard,
    group_sessions_table,
    sessions_table,
    template_results,
)
from .world import InvalidRecordsError, Problem, World, problems_table

__all__ = [
    "Attempt",
    "Block",
    "BlockKind",
    "BlockResult",
    "BlockScore",
    "ClassroomSlot",
    "Collaboration",
    "CourseProgress",
    "DashboardPartial",
    "Directory",
    "ExportLayout",
    "ExportOptions",
    "Group",
    "GroupDashboard",
    "GroupResult",
    "GroupSessionRow",
    "InvalidInputError",
    "InvalidRecordsError",
    "LearnerBlock",
    "LearnerResult",
    "Problem",
    "ProgramStatsError",
    "ProgramTemplate",
    "Reactions",
    "Registration",
    "Session",
    "SessionOverview",
    "SlotAttendance",
    "SlotResult",
    "Status",
    "Table",
    "User",
    "Viewer",
    "World",
    "block_results",
    "block_results_table",
    "can_view",
    "collaboration_table",
    "combine_dashboards",
    "dashboard_partial",
    "export_layout",
    "format_score",
    "group_dashboard",
    "group_results",
    "group_results_table",
    "group_sessions_table",
    "learner_export",
    "learner_results",
    "learner_results_table",
    "overview_table",
    "problems_table",
    "session_overview",
    "sessions_table",
    "shows_results",
    "template_results",
    "visible_sessions",
    "write_csv",
]
