"""Hostile values fed to every constructor and public function.

Only :class:`InvalidInputError` may escape; a value that is accepted must
then flow through every statistic and export (and ``write_csv``) without
any exception.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import programstats
from programstats import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Collaboration,
    Directory,
    ExportOptions,
    Group,
    InvalidInputError,
    ProgramTemplate,
    Reactions,
    Registration,
    Session,
    SlotAttendance,
    Status,
    Table,
    User,
    Viewer,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.strategies import hostile_values

T0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
NOW = datetime(2026, 3, 15, tzinfo=timezone.utc)
HOSTILE = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


def flow(session: Session, directory: Directory, options: ExportOptions | None = None) -> None:
    """Every statistic and export of an accepted world; nothing may raise.

    Without options, exports are written at both ends of the UTC offsets.
    """
    if options is None:
        for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
            flow(session, directory, ExportOptions(timezone=zone))
        return
    viewer = options.viewer or Viewer(user_id="olga", platform_admin=True)
    programstats.session_overview(session)
    programstats.block_results(session)
    programstats.group_results(session, directory)
    programstats.learner_results(session, directory)
    programstats.shows_results(session, NOW)
    programstats.template_results(session.template.id, [session], directory)
    programstats.visible_sessions(viewer, [session], directory)
    for group_id in sorted(directory.groups):
        board = programstats.group_dashboard(group_id, [session], directory, NOW, options.timezone)
        write(programstats.group_sessions_table(board, options), options)
    write(programstats.learner_export([session], directory, options), options)
    write(programstats.sessions_table([session], directory, viewer, NOW, options=options), options)
    write(programstats.collaboration_table([session], options), options)


def write(table: Table, options: ExportOptions) -> None:
    out = io.StringIO()
    programstats.write_csv(table, out, options)
    table.to_dicts() if len(set(table.header)) == len(table.header) else None
    list(table.select(table.header[:1]).rows)


def world_with(change: Callable[[Session, Directory], tuple[Session, Directory]]) -> None:
    """Build the tiny world changed by ``change``; if it is accepted, run everything."""
    try:
        session, directory = change(tiny_session(), tiny_directory())
        # A world whose session names someone the directory lacks is refused
        # by every function that takes both; the others must still work.
        programstats.learner_results(session, directory)
    except InvalidInputError:
        return
    flow(session, directory)


# Valid keyword arguments of each value type; one field at a time is replaced.
VALID: dict[type, dict[str, Any]] = {
    Attempt: {
        "user_id": "cleo",
        "block_id": "course",
        "started_at": T0,
        "last_activity_at": T0 + timedelta(hours=1),
        "time_spent": timedelta(minutes=5),
        "score": 50,
        "completed": True,
    },
    Block: {"id": "extra", "title": "Extra", "kind": BlockKind.COURSE, "passing_score": 50},
    ClassroomSlot: {
        "id": "slot9",
        "block_id": "workshop",
        "title": "Late slot",
        "start": T0,
        "end": T0 + timedelta(hours=2),
        "duration_hours": 2,
    },
    Registration: {"user_id": "olga", "registered_at": T0, "unregistered_at": None},
    SlotAttendance: {"user_id": "cleo", "slot_id": "slot1", "percent": 50},
    Reactions: {"likes": 1, "learned_something": 2, "outdated": 3, "didnt_get_it": 4},
    Collaboration: {"posts": 1, "comments": 2, "reactions": Reactions()},
    ProgramTemplate: {"id": "tpl", "name": "Template", "description": "About"},
    Group: {"id": "extra", "name": "Extra", "parent_id": "company"},
    User: {
        "id": "zed",
        "first_name": "Zed",
        "last_name": "Zorn",
        "email": "zed@example.com",
        "group_ids": {"sales"},
        "custom_fields": {"Team": "South"},
        "additional_information": "",
        "manager_emails": ["boss@example.com"],
        "deleted_at": None,
        "anonymized": False,
    },
    Viewer: {
        "user_id": "bob",
        "platform_admin": False,
        "coached_group_ids": {"company"},
        "administered_group_ids": set(),
    },
    ExportOptions: {
        "timezone": "Europe/Paris",
        "decimals": 1,
        "delimiter": ";",
        "bom": True,
        "protect_formulas": True,
        "custom_fields": ["Team"],
        "activity_between": (T0, T0 + timedelta(days=30)),
        "viewer": None,
        "anonymization_key": b"k",
        "anonymized_domain": "example.com",
    },
    programstats.ExportLayout: {
        "custom_fields": ["Team"],
        "group_ids": {"sales"},
        "block_count": 3,
        "slot_count": 2,
    },
}


def _place(value: object) -> Callable[[Session, Directory], tuple[Session, Directory]]:
    """How an accepted value joins the tiny world."""

    def change(session: Session, directory: Directory) -> tuple[Session, Directory]:
        users = list(directory.users.values())
        groups = list(directory.groups.values())
        if isinstance(value, Attempt):
            session = attrs.evolve(session, attempts=[*session.attempts, value])
        elif isinstance(value, Block):
            session = attrs.evolve(session, blocks=[*session.blocks, value])
        elif isinstance(value, ClassroomSlot):
            session = attrs.evolve(session, slots=[*session.slots, value])
        elif isinstance(value, Registration):
            session = attrs.evolve(session, registrations=[*session.registrations, value])
        elif isinstance(value, SlotAttendance):
            session = attrs.evolve(session, attendances=[*session.attendances, value])
        elif isinstance(value, Reactions):
            session = attrs.evolve(session, collaboration=Collaboration(reactions=value))
        elif isinstance(value, Collaboration):
            session = attrs.evolve(session, collaboration=value)
        elif isinstance(value, ProgramTemplate):
            session = attrs.evolve(session, template=value)
        elif isinstance(value, Group):
            directory = Directory(users=users, groups=[*groups, value])
            session = attrs.evolve(session, group_ids={*session.group_ids, value.id})
        elif isinstance(value, User):
            directory = Directory(users=[*users, value], groups=groups)
            reg = Registration(user_id=value.id, registered_at=T0)
            session = attrs.evolve(session, registrations=[*session.registrations, reg])
        return session, directory

    return change


@HOSTILE
@given(
    st.sampled_from(sorted(VALID, key=lambda kind: kind.__name__)).flatmap(
        lambda kind: st.tuples(st.just(kind), st.sampled_from(sorted(VALID[kind])))
    ),
    hostile_values(),
)
def test_hostile_field_values_raise_invalid_input_or_flow_everywhere(
    kind_field: tuple[type, str], value: object
) -> None:
    kind, field = kind_field
    try:
        made = kind(**{**VALID[kind], field: value})
    except InvalidInputError:
        return
    if isinstance(made, ExportOptions):
        flow(tiny_session(), tiny_directory(), made)
    elif isinstance(made, Viewer):
        flow(tiny_session(), tiny_directory(), ExportOptions(viewer=made))
    elif isinstance(made, programstats.ExportLayout):
        # A hand-built layout: either refused or it writes the export with its columns.
        try:
            table = programstats.learner_export([tiny_session()], tiny_directory(), layout=made)
        except InvalidInputError:
            return
        write(table, ExportOptions())
    else:
        world_with(_place(made))


SESSION_FIELDS = sorted(
    field.name for field in attrs.fields(Session) if field.init and field.name != "id"
)


@HOSTILE
@given(st.sampled_from(SESSION_FIELDS), hostile_values(), st.booleans())
def test_hostile_session_fields_raise_invalid_input_or_flow(
    field: str, value: object, wrapped: bool
) -> None:
    given_value = [value] if wrapped else value
    world_with(lambda s, d: (attrs.evolve(s, **{field: given_value}), d))


def _dashboard() -> programstats.GroupDashboard:
    return programstats.group_dashboard("sales", [tiny_session()], tiny_directory(), NOW, "UTC")


def _partial() -> programstats.DashboardPartial:
    return programstats.dashboard_partial("sales", [tiny_session()], tiny_directory(), NOW, "UTC")


def _problem() -> programstats.Problem:
    return programstats.Problem(path="$.users[0].email", message="bad", record_id="ana")


def _table() -> Table:
    return Table(header=("a", "b"), rows=[("1", "2")])


# Valid arguments of every public function; one at a time is replaced.
CALLS: dict[str, Callable[[], list[Any]]] = {
    "block_results": lambda: [tiny_session()],
    "can_view": lambda: [Viewer(user_id="bob"), tiny_session(), tiny_directory()],
    "collaboration_table": lambda: [[tiny_session()], ExportOptions()],
    "format_score": lambda: [72.5, 1],
    "group_dashboard": lambda: ["sales", [tiny_session()], tiny_directory(), NOW, "UTC"],
    "group_results": lambda: [tiny_session(), tiny_directory()],
    "group_sessions_table": lambda: [_dashboard(), ExportOptions()],
    "learner_export": lambda: [[tiny_session()], tiny_directory(), ExportOptions()],
    "learner_results": lambda: [tiny_session(), tiny_directory()],
    "session_overview": lambda: [tiny_session()],
    "sessions_table": lambda: [
        [tiny_session()],
        tiny_directory(),
        Viewer(user_id="olga"),
        NOW,
        Status.ALL,
        ExportOptions(),
    ],
    "shows_results": lambda: [tiny_session(), NOW],
    "template_results": lambda: ["onboarding", [tiny_session()], tiny_directory()],
    "visible_sessions": lambda: [Viewer(user_id="bob"), [tiny_session()], tiny_directory()],
    "write_csv": lambda: [_table(), io.StringIO(), ExportOptions()],
    "export_layout": lambda: [[tiny_session()], tiny_directory(), ExportOptions()],
    "dashboard_partial": lambda: ["sales", [tiny_session()], tiny_directory(), NOW, "UTC"],
    "combine_dashboards": lambda: [[_partial()]],
    "overview_table": lambda: [programstats.session_overview(tiny_session()), ExportOptions()],
    "group_results_table": lambda: [
        programstats.group_results(tiny_session(), tiny_directory()),
        ExportOptions(),
    ],
    "learner_results_table": lambda: [
        programstats.learner_results(tiny_session(), tiny_directory()),
        ExportOptions(),
    ],
    "block_results_table": lambda: [programstats.block_results(tiny_session()), ExportOptions()],
    "Directory": lambda: [list(tiny_directory().users.values()), []],
    "Table": lambda: [("a", "b"), [("1", "2")]],
    "problems_table": lambda: [[_problem()], ExportOptions()],
    "Problem": lambda: ["$.users[0].email", "bad", "ana", 3],
    "World": lambda: [tiny_directory(), [tiny_session()], [_problem()]],
}
KEYWORD_ONLY = {
    "Directory": ("users", "groups"),
    "Table": ("header", "rows"),
    "Problem": ("path", "message", "record_id", "row_key"),
    "World": ("directory", "sessions", "problems"),
}


def _call(name: str, args: list[Any]) -> Any:
    target = getattr(programstats, name)
    if name in KEYWORD_ONLY:
        return target(**dict(zip(KEYWORD_ONLY[name], args, strict=True)))
    return target(*args)


@HOSTILE
@given(
    st.sampled_from(sorted(CALLS)).flatmap(
        lambda name: st.tuples(st.just(name), st.integers(0, len(CALLS[name]()) - 1))
    ),
    hostile_values(),
    st.booleans(),
)
def test_hostile_arguments_raise_invalid_input_only(
    name_position: tuple[str, int], value: object, wrapped: bool
) -> None:
    name, position = name_position
    args = CALLS[name]()
    args[position] = [value] if wrapped else value
    try:
        result = _call(name, args)
        if isinstance(result, Table):
            programstats.write_csv(result, io.StringIO())
            result.to_dicts()
            list(result.select(result.header[:1]).rows)
    except InvalidInputError:
        return


def test_every_public_callable_is_exercised() -> None:
    covered = {kind.__name__ for kind in VALID} | set(CALLS) | {"Session"}
    results = {
        "BlockResult",
        "BlockScore",
        "DashboardPartial",
        "CourseProgress",
        "GroupDashboard",
        "GroupResult",
        "GroupSessionRow",
        "LearnerBlock",
        "LearnerResult",
        "SessionOverview",
        "SlotResult",
    }
    plain = {
        "InvalidInputError",
        "InvalidRecordsError",
        "ProgramStatsError",
    }  # exceptions take any message
    # Enums are Python's own: BlockKind(value) raises what any Enum lookup raises.
    enums = {"BlockKind", "Status"}
    callables = {name for name in programstats.__all__ if callable(getattr(programstats, name))}
    assert callables == covered | results | enums | plain


@HOSTILE
@given(hostile_values())
def test_result_types_hold_any_value_and_never_check(value: object) -> None:
    # Result types are outputs: built by the library, never validated.
    session, directory = tiny_session(), tiny_directory()
    for result in (
        programstats.session_overview(session),
        programstats.group_results(session, directory)[0],
        programstats.learner_results(session, directory)[0],
        programstats.block_results(session)[0],
        _dashboard(),
    ):
        for field in attrs.fields(type(result)):
            attrs.evolve(result, **{field.name: value})
