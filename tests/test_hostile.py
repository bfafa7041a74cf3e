"""Hostile and extreme input, by example: every boundary and every class of bad value.

Each test pins one rule of ``docs/input-rules.md``; the property tests over
many hostile values are in ``test_hostile_values.py``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zoneinfo
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

import attrs
import pytest
from dateutil import tz as dateutil_tz

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
    Table,
    User,
    Viewer,
    block_results,
    collaboration_table,
    format_score,
    group_dashboard,
    learner_export,
    learner_results,
    session_overview,
    sessions_table,
    shows_results,
    template_results,
    visible_sessions,
    write_csv,
)
from programstats._checks import EARLIEST, LATEST, MAX_COUNT, MAX_DECIMALS, MAX_DURATION, MAX_HOURS
from programstats.cli import main
from programstats.examples import tiny_directory, tiny_session
from programstats.formatting import protect_column, protect_text

UTC = timezone.utc
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def attempt(**overrides: object) -> Attempt:
    values: dict[str, object] = {
        "user_id": "ana",
        "block_id": "course",
        "started_at": T0,
        "last_activity_at": T0 + timedelta(hours=1),
        "time_spent": timedelta(minutes=30),
    }
    values.update(overrides)
    return Attempt(**values)  # type: ignore[arg-type]


def session_with(attempts: list[Attempt], **overrides: object) -> Session:
    values: dict[str, object] = {
        "id": "s",
        "name": "S",
        "template": ProgramTemplate(id="t", name="T"),
        "author_id": "olga",
        "start": T0,
        "end": T0 + timedelta(days=30),
        "blocks": [Block(id="course", title="Course", kind=BlockKind.COURSE)],
        "registrations": [Registration(user_id="ana", registered_at=T0)],
        "attempts": attempts,
    }
    values.update(overrides)
    return Session(**values)  # type: ignore[arg-type]


# --- datetimes: instants, fold, subclasses, NaT, broken tzinfo, range --------------------

# 2026-10-25 02:30 happens twice in Paris: fold=0 is 00:30 UTC, fold=1 is 01:30 UTC.
FIRST = datetime(2026, 10, 25, 2, 30, tzinfo=PARIS)
SECOND = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS)
DATEUTIL_PARIS = dateutil_tz.gettz("Europe/Paris")


@pytest.mark.parametrize("zone", [PARIS, DATEUTIL_PARIS], ids=["zoneinfo", "dateutil"])
def test_fold_latest_attempt_is_the_later_instant_not_the_later_wall_clock(zone: tzinfo) -> None:
    first = datetime(2026, 10, 25, 2, 50, tzinfo=zone)  # 00:50 UTC
    second = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=zone)  # 01:10 UTC, earlier wall clock
    early = attempt(started_at=first, last_activity_at=first, score=10)
    late = attempt(started_at=second, last_activity_at=second, score=90)
    for order in ([early, late], [late, early]):
        result = learner_results(session_with(order), tiny_directory())[0]
        assert result.score == 90.0
        assert result.started_at == datetime(2026, 10, 25, 0, 50, tzinfo=UTC)
        assert result.last_activity == datetime(2026, 10, 25, 1, 10, tzinfo=UTC)


def test_fold_last_activity_an_hour_before_on_the_wall_clock_is_accepted() -> None:
    # 02:10 (second pass, 01:10 UTC) is after 02:50 (first pass, 00:50 UTC).
    started = datetime(2026, 10, 25, 2, 50, tzinfo=PARIS)
    last = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=PARIS)
    made = attempt(started_at=started, last_activity_at=last)
    assert made.last_activity_at - made.started_at == timedelta(minutes=20)


def test_fold_last_activity_after_on_the_wall_clock_but_before_as_instant_is_rejected() -> None:
    started = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=PARIS)  # 01:10 UTC
    last = datetime(2026, 10, 25, 2, 50, tzinfo=PARIS)  # 00:50 UTC
    with pytest.raises(InvalidInputError, match=r"last_activity_at .* is before started_at"):
        attempt(started_at=started, last_activity_at=last)


def test_datetimes_are_stored_as_plain_utc() -> None:
    import pandas as pd

    stamp = pd.Timestamp("2026-03-02 10:00", tz="Europe/Paris")
    made = attempt(started_at=stamp, last_activity_at=SECOND)
    assert type(made.started_at) is datetime
    assert made.started_at.tzinfo is UTC
    assert made.started_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert made.last_activity_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert made.last_activity_at.fold == 0
    slot = ClassroomSlot(id="x", block_id="b", title="", start=FIRST, end=SECOND, duration_hours=1)
    assert (slot.start.tzinfo, slot.end - slot.start) == (UTC, timedelta(hours=1))


def test_pandas_nat_is_refused_with_a_clear_message() -> None:
    import pandas as pd

    with pytest.raises(InvalidInputError, match=r"started_at is a NaTType.*pandas\.NaT"):
        attempt(started_at=pd.NaT)
    with pytest.raises(InvalidInputError, match=r"Registration 'ana': registered_at.*NaT"):
        Registration(user_id="ana", registered_at=pd.NaT)
    with pytest.raises(InvalidInputError, match=r"now.*NaT"):
        shows_results(tiny_session(), pd.NaT)


class RaisingZone(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise ZeroDivisionError("no offset today")

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


class FarZone(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=30)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


class TextZone(tzinfo):
    def utcoffset(self, dt: datetime | None) -> str:  # type: ignore[override]
        return "+01:00"


@pytest.mark.parametrize("zone", [RaisingZone(), FarZone(), TextZone()], ids=type)
def test_broken_tzinfo_in_a_datetime_names_type_field_and_id(zone: tzinfo) -> None:
    moment = datetime(2026, 3, 2, tzinfo=zone)
    name = type(zone).__name__
    with pytest.raises(InvalidInputError, match=rf"Registration 'ana': registered_at .*{name}"):
        Registration(user_id="ana", registered_at=moment)


@pytest.mark.parametrize("zone", [RaisingZone(), FarZone(), TextZone()], ids=type)
def test_broken_tzinfo_as_export_zone_names_type_and_field(zone: tzinfo) -> None:
    name = type(zone).__name__
    with pytest.raises(InvalidInputError, match=rf"ExportOptions: timezone is a {name}"):
        ExportOptions(timezone=zone)
    with pytest.raises(InvalidInputError, match=rf"group_dashboard: tz is a {name}"):
        group_dashboard("sales", [], tiny_directory(), T0, zone)


def test_datetime_range_bounds_are_a_day_inside_datetime() -> None:
    assert datetime(1, 1, 2, tzinfo=UTC) == EARLIEST
    assert datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC) == LATEST
    assert Registration(user_id="a", registered_at=EARLIEST).registered_at == EARLIEST
    assert Registration(user_id="a", registered_at=LATEST).registered_at == LATEST
    for outside in (
        EARLIEST - timedelta(microseconds=1),
        LATEST + timedelta(microseconds=1),
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
        # The wall clock is in range, the instant is not.
        datetime(1, 1, 2, 5, tzinfo=timezone(timedelta(hours=6))),
        datetime(9999, 12, 30, 20, tzinfo=timezone(timedelta(hours=-5))),
    ):
        with pytest.raises(InvalidInputError, match=r"registered_at .* is out of range"):
            Registration(user_id="a", registered_at=outside)


@pytest.mark.parametrize("offset", [-23, -1, 0, 1, 14, 23])
def test_every_accepted_datetime_can_be_shown_in_any_offset(offset: int) -> None:
    zone = timezone(timedelta(hours=offset, minutes=59 if offset >= 0 else -59))
    session = session_with([], start=EARLIEST, end=LATEST)
    out = io.StringIO()
    write_csv(collaboration_table([session], ExportOptions(timezone=zone)), out)
    start, end = out.getvalue().splitlines()[1].split(",")[1:3]
    assert start.startswith("0001/01/0") and end.startswith("9999/12/3")


def test_naive_and_non_datetime_values_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="naive"):
        attempt(started_at=datetime(2026, 1, 1))
    with pytest.raises(InvalidInputError, match="must be a datetime, got str"):
        attempt(started_at="2026-01-01")


def test_dashboard_now_near_the_ends_of_time_is_refused_not_an_overflow() -> None:
    directory = tiny_directory()
    for now in (EARLIEST, datetime(2, 1, 1, tzinfo=UTC), LATEST, datetime(9999, 12, 1, tzinfo=UTC)):
        with pytest.raises(InvalidInputError, match=r"now .* is out of range"):
            group_dashboard("sales", [], directory, now, "Pacific/Kiritimati")
    for now in (datetime(2, 1, 2, tzinfo=UTC), datetime(9999, 11, 29, tzinfo=UTC)):
        for zone in ("Pacific/Kiritimati", "Etc/GMT+12", "UTC"):
            board = group_dashboard("sales", [], directory, now, zone)
            assert len(board.ongoing_per_month) == 12


def test_now_arguments_compare_as_instants() -> None:
    session = session_with([], end=datetime(2026, 10, 25, 1, 0, tzinfo=UTC))
    # 02:30 first pass is 00:30 UTC (before the end), second pass 01:30 UTC (after).
    assert shows_results(session, FIRST) is False
    assert shows_results(session, SECOND) is True


# --- numbers, counts, durations, decimals -------------------------------------------------


def test_huge_int_is_invalid_input_not_overflow() -> None:
    for field in ("score",):
        with pytest.raises(InvalidInputError, match=r"score must be a finite number.*bits"):
            attempt(**{field: 10**400})
    with pytest.raises(InvalidInputError, match="percent must be a finite number"):
        SlotAttendance(user_id="a", slot_id="s", percent=-(10**400))
    with pytest.raises(InvalidInputError, match="duration_hours"):
        ClassroomSlot(id="x", block_id="b", title="", start=T0, end=T0, duration_hours=10**5000)


def test_number_subclasses_are_stored_as_plain_numbers() -> None:
    import numpy as np

    class Shady(float):
        def __le__(self, other: object) -> bool:
            return True

        def __ge__(self, other: object) -> bool:
            return True

    made = attempt(score=np.float64(80.5))
    assert type(made.score) is float and made.score == 80.5
    with pytest.raises(InvalidInputError, match="score must be between 0 and 100"):
        attempt(score=Shady(500.0))
    assert type(Reactions(likes=np.int64(3).item()).likes) is int

    class MyInt(int):
        pass

    reactions = Reactions(likes=MyInt(3))
    assert type(reactions.likes) is int
    with pytest.raises(InvalidInputError, match="must be an int or a float"):
        attempt(score=True)


def test_count_bound() -> None:
    assert Reactions(likes=MAX_COUNT).likes == MAX_COUNT == 10**12
    assert Collaboration(posts=MAX_COUNT, comments=MAX_COUNT).posts == MAX_COUNT
    with pytest.raises(
        InvalidInputError, match=r"Reactions: likes must be at most 1,000,000,000,000"
    ):
        Reactions(likes=MAX_COUNT + 1)
    with pytest.raises(InvalidInputError, match="Collaboration: comments must be at most"):
        Collaboration(comments=10**5000)


def test_largest_counts_flow_through_the_collaboration_export() -> None:
    biggest = Collaboration(
        posts=MAX_COUNT,
        comments=MAX_COUNT,
        reactions=Reactions(
            likes=MAX_COUNT, learned_something=MAX_COUNT, outdated=MAX_COUNT, didnt_get_it=MAX_COUNT
        ),
    )
    out = io.StringIO()
    write_csv(collaboration_table([session_with([], collaboration=biggest)]), out)
    assert out.getvalue().splitlines()[1].split(",")[3:6] == [
        "1000000000000",
        "1000000000000",
        "4000000000000",
    ]


def test_duration_bound() -> None:
    assert timedelta(days=36_525) == MAX_DURATION
    assert attempt(time_spent=MAX_DURATION).time_spent == MAX_DURATION
    with pytest.raises(InvalidInputError, match=r"time_spent must be at most 36,525 days"):
        attempt(time_spent=MAX_DURATION + timedelta(microseconds=1))
    with pytest.raises(InvalidInputError, match="time_spent must be at most"):
        attempt(time_spent=timedelta.max)
    assert session_with([], expected_duration=MAX_DURATION).expected_duration == MAX_DURATION
    with pytest.raises(InvalidInputError, match="Session 's': expected_duration must be at most"):
        session_with([], expected_duration=MAX_DURATION + timedelta(microseconds=1))


def test_hours_bound() -> None:
    def slot(hours: float) -> ClassroomSlot:
        return ClassroomSlot(id="x", block_id="b", title="", start=T0, end=T0, duration_hours=hours)

    assert slot(MAX_HOURS).duration_hours == MAX_HOURS == 876_600
    with pytest.raises(InvalidInputError, match="duration_hours must be between 0 and 876,600"):
        slot(MAX_HOURS + 0.01)


def test_longest_durations_flow_through_every_statistic_and_export() -> None:
    blocks = [Block(id=f"c{i}", title=f"C{i}", kind=BlockKind.COURSE) for i in range(20)]
    users = [f"u{i}" for i in range(4)]
    attempts = [
        attempt(user_id=user, block_id=block.id, time_spent=MAX_DURATION, completed=True)
        for user in users
        for block in blocks
    ]
    session = session_with(
        attempts,
        blocks=blocks,
        registrations=[Registration(user_id=user, registered_at=T0) for user in users],
        expected_duration=MAX_DURATION,
    )
    directory = Directory(
        users=[User(id=u, first_name=u, last_name=u, email=f"{u}@x") for u in [*users, "olga"]]
    )
    overview = session_overview(session)
    assert overview.median_time == MAX_DURATION * 20
    assert learner_results(session, directory)[0].time_spent == MAX_DURATION * 20
    assert block_results(session)[0].average_time == MAX_DURATION
    out = io.StringIO()
    assert write_csv(learner_export([session], directory), out) == 4
    assert f"{MAX_DURATION.days * 24 * 20}:00:00" in out.getvalue()


def test_a_session_whose_attempts_add_up_past_a_timedelta_is_refused() -> None:
    longest = attempt(time_spent=MAX_DURATION)
    fits = 999_999_999 // MAX_DURATION.days  # 27,378 attempts of 100 years fit
    assert len(session_with([longest] * fits).attempts) == fits
    with pytest.raises(InvalidInputError, match=r"time_spent of all its attempts together"):
        session_with([longest] * (fits + 1))


def test_decimals_bound() -> None:
    assert MAX_DECIMALS == 15
    assert ExportOptions(decimals=MAX_DECIMALS).decimals == 15
    assert format_score(100.0, MAX_DECIMALS) == "100." + "0" * 15
    for bad in (MAX_DECIMALS + 1, 10**400):
        with pytest.raises(InvalidInputError, match="decimals must be between 0 and 15"):
            ExportOptions(decimals=bad)
        with pytest.raises(InvalidInputError, match="decimals must be an int between 0 and 15"):
            format_score(1.0, bad)


# --- text ---------------------------------------------------------------------------------


class Sneaky(str):
    """A str whose own behaviour would dodge the checks and the formula protection."""

    def __getitem__(self, index: object) -> str:
        return "A"

    def startswith(self, *args: object) -> bool:
        return False

    def __contains__(self, item: object) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0


def test_str_subclasses_are_stored_as_plain_str() -> None:
    group = Group(id=Sneaky("g"), name=Sneaky("=1+1"))
    assert type(group.id) is str and type(group.name) is str
    user = User(
        id=Sneaky("u"),
        first_name=Sneaky("=cmd"),
        last_name="L",
        email="e",
        group_ids=[Sneaky("a"), Sneaky("b")],
        custom_fields={Sneaky("Team"): Sneaky("@x")},
        manager_emails=[Sneaky("m")],
    )
    assert user.group_ids == frozenset({"a", "b"})  # two ids, not merged by __eq__/__hash__
    assert all(type(value) is str for value in user.group_ids)
    assert [type(k) for k in user.custom_fields] == [str]
    assert type(user.manager_emails[0]) is str
    assert protect_text(user.first_name) == "'=cmd"
    with pytest.raises(InvalidInputError, match="NUL"):
        Group(id="g", name=Sneaky("a\x00b"))


def test_str_subclass_cannot_bypass_formula_protection_in_an_export() -> None:
    directory = tiny_directory()
    users = dict(directory.users)
    users["ana"] = attrs.evolve(users["ana"], last_name=Sneaky("=HYPERLINK(1)"))
    rows = list(
        learner_export([tiny_session()], Directory(users=users, groups=directory.groups)).rows
    )
    assert rows[0][0] == "'=HYPERLINK(1)"


# --- time zones -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "localtime",
        "posixrules",
        "Factory",
        "right/UTC",
        "posix/Europe/Paris",
        "/etc/localtime",
        "../../etc/passwd",
        "Europe/../UTC",
        "Europe/Paris\x00",
        "A" * 300,
        "Europe/" + "x" * 5000,
        "",
        " ",
        "UTC+3",
        "europe/paris",
        "Mars/Olympus",
        "\ud800",
    ],
)
def test_zone_names_outside_iana_are_refused_without_oserror(name: str) -> None:
    with pytest.raises(InvalidInputError, match="ExportOptions: timezone is an unknown time zone"):
        ExportOptions(timezone=name)
    with pytest.raises(InvalidInputError, match="group_dashboard: tz is an unknown time zone"):
        group_dashboard("sales", [], tiny_directory(), T0, name)


def test_zone_names_resolve_with_zoneinfo() -> None:
    zone = ExportOptions(timezone="Europe/Paris").timezone
    assert isinstance(zone, zoneinfo.ZoneInfo) and zone.key == "Europe/Paris"
    assert isinstance(ExportOptions(timezone="Etc/GMT+5").timezone, zoneinfo.ZoneInfo)


def test_machine_dependent_tzinfo_objects_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="tzlocal, whose offsets depend on the machine"):
        ExportOptions(timezone=dateutil_tz.tzlocal())
    with pytest.raises(InvalidInputError, match="'localtime'"):
        ExportOptions(timezone=zoneinfo.ZoneInfo("localtime"))


def test_demo_bad_zone_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("A" * 300, "localtime", "right/UTC"):
        with pytest.raises(SystemExit) as stopped:
            main(["demo", "--learners", "2", "--tz", name])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "timezone is an unknown time zone" in err


# --- arguments --------------------------------------------------------------------------------


def test_arguments_are_checked_when_there_is_nothing_to_compute() -> None:
    directory = tiny_directory()
    stranger = Viewer(user_id="x", coached_group_ids={"nowhere"})
    with pytest.raises(InvalidInputError, match="Viewer 'x': manages group 'nowhere'"):
        sessions_table([], directory, stranger, T0)
    with pytest.raises(InvalidInputError, match="viewer must be a Viewer"):
        sessions_table([], directory, "olga", T0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="now is a naive datetime"):
        sessions_table([], directory, Viewer(user_id="o"), datetime(2026, 1, 1))
    with pytest.raises(InvalidInputError, match="options must be a ExportOptions"):
        sessions_table([], directory, Viewer(user_id="o"), T0, options={})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="Viewer 'x': manages group 'nowhere'"):
        visible_sessions(stranger, [], directory)
    with pytest.raises(InvalidInputError, match="Viewer 'x': manages group 'nowhere'"):
        learner_export([], directory, ExportOptions(viewer=stranger))
    with pytest.raises(InvalidInputError, match="tz is an unknown time zone"):
        group_dashboard("sales", [], directory, T0, "nowhere")
    with pytest.raises(InvalidInputError, match="directory must be a Directory"):
        template_results("t", [], {})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="options must be a ExportOptions"):
        collaboration_table([], options="x")  # type: ignore[arg-type]


def test_visible_sessions_refuses_none_non_iterables_and_duplicates() -> None:
    viewer, directory, session = Viewer(user_id="olga"), tiny_directory(), tiny_session()
    for bad in (None, 5, object()):
        with pytest.raises(InvalidInputError, match="sessions must be a collection"):
            visible_sessions(viewer, bad, directory)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="Session 's1' is given twice"):
        visible_sessions(viewer, [session, session], directory)


def test_one_session_where_a_list_belongs_says_to_wrap_it_without_a_repr() -> None:
    session, directory = tiny_session(), tiny_directory()
    for call in (
        lambda: learner_export(session, directory),  # type: ignore[arg-type]
        lambda: visible_sessions(Viewer(user_id="olga"), session, directory),  # type: ignore[arg-type]
        lambda: collaboration_table(session),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidInputError) as error:
            call()
        message = str(error.value)
        assert "got a single Session 's1'; wrap it in a list" in message
        assert len(message) < 200


def test_a_list_where_one_value_belongs_says_to_unwrap_it() -> None:
    with pytest.raises(InvalidInputError, match="pass the Session itself, not a list holding it"):
        session_overview([tiny_session()])  # type: ignore[arg-type]


# --- messages -------------------------------------------------------------------------------


def test_unknown_references_list_up_to_five_valid_ids_sorted() -> None:
    blocks = [Block(id=f"b{i}", title="", kind=BlockKind.COURSE) for i in (7, 3, 9, 1, 5, 8, 2)]
    with pytest.raises(
        InvalidInputError,
        match=r"block 'zz': the block is not a block of the session "
        r"\(valid ones are 'b1', 'b2', 'b3', 'b5', 'b7' and 2 more\)",
    ):
        session_with([attempt(block_id="zz")], blocks=blocks)
    with pytest.raises(InvalidInputError, match=r"valid ones are 'company', 'sales'\)"):
        tiny_directory().group("nope")
    with pytest.raises(InvalidInputError, match=r"Table has no column 'Nope' \(valid ones are"):
        Table(header=("b", "a"), rows=[]).select(["Nope"])


def test_a_session_with_several_problems_reports_them_all() -> None:
    with pytest.raises(InvalidInputError) as error:
        session_with(
            [attempt(user_id="ghost"), attempt(block_id="nope")],
            name="bad\x00name",
            end=T0 - timedelta(days=1),
            certificate_user_ids={"c2", "c1"},
        )
    message = str(error.value)
    assert message.startswith("Session 's': 6 problems:\n(1) name contains a NUL")
    assert all(len(line) < 200 for line in message.splitlines())
    for part in (
        "(2) end 2026-03-01 09:00:00+00:00 is before start",
        "(3) attempt of user 'ghost'",
        "(4) attempt of user 'ana' on block 'nope'",
        "(5) certificate of user 'c1'",
        "(6) certificate of user 'c2'",
    ):
        assert part in message


def test_messages_never_dump_a_whole_object() -> None:
    huge = "x" * 10_000
    with pytest.raises(InvalidInputError) as error:
        Group(id="g", name=Group(id="g2", name=huge))  # type: ignore[arg-type]
    assert len(str(error.value)) < 300
    with pytest.raises(InvalidInputError) as error:
        session_with([], blocks=[tiny_session()])
    assert "must hold Block values, got a Session" in str(error.value)
    assert len(str(error.value)) < 400


HASH_SEED_SCRIPT = """
from datetime import datetime, timezone
from programstats import *
T = datetime(2026, 1, 1, tzinfo=timezone.utc)
def show(build):
    try:
        build()
    except InvalidInputError as error:
        print(repr(str(error)))
tpl = ProgramTemplate(id="t", name="T")
blocks = [Block(id="b", title="B", kind=BlockKind.COURSE)]
show(lambda: Session(id="s", name="S", template=tpl, author_id="a", start=T, end=T,
                     blocks=blocks, group_ids={"g\\x00%d" % i for i in range(20)}))
show(lambda: Session(id="s", name="S", template=tpl, author_id="a", start=T, end=T,
                     blocks=blocks, certificate_user_ids={"u%d" % i for i in range(20)}))
show(lambda: User(id="u", first_name="", last_name="", email="",
                  group_ids={"", *("g%d" % i for i in range(20))}))
show(lambda: Directory(groups=[Group(id="g%d" % i, name="") for i in range(20)],
                       users=[User(id="u", first_name="", last_name="", email="",
                                   group_ids={"x%d" % i for i in range(20)})]))
show(lambda: Viewer(user_id="v", coached_group_ids={"\\x00%d" % i for i in range(20)}))
d = Directory(groups=[Group(id="g%d" % i, name="") for i in range(20)])
show(lambda: can_view(Viewer(user_id="v", coached_group_ids={"y%d" % i for i in range(20)}),
                      Session(id="s", name="S", template=tpl, author_id="a", start=T, end=T,
                              blocks=blocks), d))
"""


def test_messages_are_the_same_whatever_the_hash_seed() -> None:
    outputs = []
    for seed in ("1", "12345"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": str(Path(__file__).parents[1] / "src"),
        }
        done = subprocess.run(
            [sys.executable, "-c", HASH_SEED_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0].count("\n") == 6
    assert outputs[0] == outputs[1]


# --- tables and CSV ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([("a",)], r"row 1 has 1 cells, the header has 2"),
        ([("a", "b", "c")], r"row 1 has 3 cells"),
        ([["a", "b"]], r"row 1 is a list; rows must be tuples of str"),
        ([("a", 5)], r"row 1 cell 2 must be a str, got int"),
        ([("a", "b"), ("a", None)], r"row 2 cell 2 must be a str, got NoneType"),
        ([("a", "b\x00")], r"row 1 cell 2 contains a NUL"),
        (["ab"], r"row 1 is a str"),
    ],
)
def test_hand_built_rows_of_the_wrong_shape_are_refused(rows: list[object], problem: str) -> None:
    table = Table(header=("x", "y"), rows=rows)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="write_csv: " + problem):
        write_csv(table, io.StringIO())
    with pytest.raises(InvalidInputError, match="Table.select: " + problem):
        list(table.select(["y"]).rows)
    with pytest.raises(InvalidInputError, match="Table.to_dicts: " + problem):
        table.to_dicts()


def test_library_tables_narrower_than_their_header_are_refused() -> None:
    export = learner_export([tiny_session()], tiny_directory())
    relabelled = Table(header=(*export.header, "extra"), rows=export.rows)
    with pytest.raises(InvalidInputError, match="row 1 has"):
        write_csv(relabelled, io.StringIO())
    with pytest.raises(InvalidInputError, match="row 1 has"):
        list(relabelled.select(["extra"]).rows)


def test_write_csv_refuses_streams_that_do_not_take_text(tmp_path: Path) -> None:
    table = Table(header=("a",), rows=[("1",)])
    with (
        open(tmp_path / "out.csv", "wb") as binary,
        pytest.raises(InvalidInputError, match=r"binary stream.*text mode"),
    ):
        write_csv(table, binary)
    for stream in (io.BytesIO(), object(), None, "out.csv"):
        with pytest.raises(InvalidInputError, match="write_csv: stream"):
            write_csv(table, stream)  # type: ignore[arg-type]

    class BytesOnly:
        def write(self, data: bytes) -> int:
            return len(memoryview(data))

    with pytest.raises(InvalidInputError, match="stream does not accept text"):
        write_csv(table, BytesOnly())  # type: ignore[arg-type]


# --- formula protection -----------------------------------------------------------------------

PREFIXES = {
    "ascii sign": "",
    "space": " ",
    "no-break space": "\u00a0",
    "ideographic space": "\u3000",
    "tab then space": "\t ",
    "control": "\x01",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "BOM": "\ufeff",
    "right-to-left override": "\u202e",
    "line separator": "\u2028",
    "several": " \u200b\ufeff\u00a0",
}
SIGNS = {
    "=": "=",
    "+": "+",
    "-": "-",
    "@": "@",
    "fw=": "\uff1d",
    "fw+": "\uff0b",
    "fw-": "\uff0d",
    "fw@": "\uff20",
}


@pytest.mark.parametrize("prefix", PREFIXES.values(), ids=PREFIXES.keys())
@pytest.mark.parametrize("sign", SIGNS.values(), ids=SIGNS.keys())
def test_formula_signs_behind_invisible_prefixes_are_protected(prefix: str, sign: str) -> None:
    text = f"{prefix}{sign}1+1"
    assert protect_text(text) == "'" + text
    assert protect_column(["Ana", text]) == ["Ana", "'" + text]


@pytest.mark.parametrize(
    "text", ["Ana", " Ana", "\u200bAna", "\u00e9=1", "a=1", "\u3000\u00c9", "1-2", "'=1"]
)
def test_text_without_a_leading_sign_is_left_alone(text: str) -> None:
    assert protect_text(text) == text
    assert protect_column([text, "Bob"]) == [text, "Bob"]


def test_the_column_scan_sees_every_sign_and_invisible_character() -> None:
    import unicodedata

    from programstats.formatting import FORMULA_SIGNS, INVISIBLE_CATEGORIES

    missed = [
        hex(code)
        for code in range(1, 0x110000)
        if (chr(code) in FORMULA_SIGNS or unicodedata.category(chr(code)) in INVISIBLE_CATEGORIES)
        and protect_column(["Ana", chr(code) + "=1"]) == ["Ana", chr(code) + "=1"]
    ]
    assert missed == []
