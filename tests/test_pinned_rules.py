"""One hand-computed example per rule that a one-line slip could break unnoticed.

Each test is named after the rule it pins, and fails when that rule is
broken by a one-line change of the source (each was checked by making the
change and watching the test fail). The arithmetic is written next to the
assertions.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from programstats import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Directory,
    ExportOptions,
    Group,
    InvalidInputError,
    LearnerBlock,
    ProgramTemplate,
    Registration,
    Session,
    SlotAttendance,
    Status,
    User,
    Viewer,
    block_results,
    can_view,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    sessions_table,
    shows_results,
    visible_sessions,
)
from programstats.facts import mean_duration
from programstats.formatting import format_hours, format_number, protect_column
from programstats.rights import manages

UTC = timezone.utc
US = timedelta(microseconds=1)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def person(user_id: str, *, name: str = "", groups: Any = (), **more: Any) -> User:
    return User(
        id=user_id,
        first_name=name or user_id.title(),
        last_name=name or user_id.title(),
        email=f"{user_id}@example.com",
        group_ids=set(groups),
        **more,
    )


def world(learners: list[User], groups: list[Group] | None = None) -> Directory:
    return Directory(users=[person("author"), *learners], groups=groups or [])


def session(
    learner_ids: list[str],
    blocks: list[Block],
    attempts: list[Attempt] | None = None,
    **more: Any,
) -> Session:
    values: dict[str, Any] = {
        "id": "s1",
        "name": "Session",
        "template": ProgramTemplate(id="tpl", name="Template"),
        "author_id": "author",
        "start": at(1),
        "end": at(28),
        "blocks": blocks,
        "registrations": [Registration(user_id=u, registered_at=at(1, 8)) for u in learner_ids],
        "attempts": attempts or [],
    }
    values.update(more)
    return Session(**values)


def course(block_id: str = "c1", **more: Any) -> Block:
    return Block(id=block_id, title=f"Course {block_id}", kind=BlockKind.COURSE, **more)


def attempt(user_id: str, block_id: str = "c1", day: int = 2, **more: Any) -> Attempt:
    values: dict[str, Any] = {
        "user_id": user_id,
        "block_id": block_id,
        "started_at": at(day),
        "last_activity_at": at(day, 10),
        "time_spent": timedelta(minutes=10),
    }
    values.update(more)
    return Attempt(**values)


def test_means_are_exact_fsum_ten_scores_of_point_one_average_to_point_one() -> None:
    # sum() of ten 0.1 is 0.9999999999999999, and / 10 gives 0.09999999999999999;
    # math.fsum gives exactly 1.0, and / 10 gives 0.1.
    ids = [f"u{i}" for i in range(10)]
    learners = [person(u) for u in ids]
    one_block = session(ids, [course()], [attempt(u, score=0.1) for u in ids])
    overview = session_overview(one_block)
    assert overview.average_score == 0.1
    assert overview.score_by_block[0].average == 0.1
    assert block_results(one_block)[0].average_score == 0.1
    # One learner, ten blocks scored 0.1: the learner's score is their exact mean.
    blocks = [course(f"c{i}") for i in range(10)]
    ten_blocks = session(["u0"], blocks, [attempt("u0", f"c{i}", score=0.1) for i in range(10)])
    assert learner_results(ten_blocks, world(learners))[0].score == 0.1


def test_mean_of_durations_rounds_half_a_microsecond_up() -> None:
    # Block average time: (1 us + 2 us) / 2 = 1.5 us -> 2 us.
    one_block = session(
        ["a", "b"], [course()], [attempt("a", time_spent=US), attempt("b", time_spent=2 * US)]
    )
    assert block_results(one_block)[0].average_time == 2 * US
    # Median time of two completers, 0 us and 1 us: their mean 0.5 us -> 1 us.
    completed = session(
        ["a", "b"],
        [course()],
        [
            attempt("a", time_spent=timedelta(0), completed=True),
            attempt("b", time_spent=US, completed=True),
        ],
    )
    assert session_overview(completed).median_time == US


def test_start_and_last_activity_span_every_attended_slot() -> None:
    # Slots: early (day 5, 14-17h), late (day 10, 9-12h), earliest (day 3, not
    # attended: 0 %). Start = early.start, last activity = late.end, in either
    # order of the attendance records.
    slots = [
        ClassroomSlot(
            id="late", block_id="w", title="Late", start=at(10, 9), end=at(10, 12), duration_hours=3
        ),
        ClassroomSlot(
            id="early",
            block_id="w",
            title="Early",
            start=at(5, 14),
            end=at(5, 17),
            duration_hours=3,
        ),
        ClassroomSlot(
            id="zero", block_id="w", title="Zero", start=at(3, 9), end=at(3, 10), duration_hours=1
        ),
    ]
    records = [
        SlotAttendance(user_id="a", slot_id="late", percent=100),
        SlotAttendance(user_id="a", slot_id="early", percent=50),
        SlotAttendance(user_id="a", slot_id="zero", percent=0),
    ]
    workshop = Block(id="w", title="Workshop", kind=BlockKind.CLASSROOM)
    for order in (records, records[::-1]):
        one = session(["a"], [workshop], slots=slots, attendances=order)
        [result] = learner_results(one, world([person("a")]))
        assert (result.started_at, result.last_activity) == (at(5, 14), at(10, 12))
        assert result.ended_at is None  # no attempt on a course


def test_a_score_of_zero_counts_in_the_average_score() -> None:
    # Scores 0 and 100: every mean is (0 + 100) / 2 = 50, and 0 lands in band [0, 20).
    two = session(["a", "b"], [course()], [attempt("a", score=0), attempt("b", score=100)])
    overview = session_overview(two)
    assert overview.average_score == 50.0
    assert overview.score_by_block[0].average == 50.0
    assert overview.level_distribution == (1, 0, 0, 0, 1)
    assert block_results(two)[0].average_score == 50.0
    # One learner, two blocks scored 0 and 100: score 50.
    both = session(
        ["a"],
        [course("c1"), course("c2")],
        [attempt("a", "c1", score=0), attempt("a", "c2", score=100)],
    )
    assert learner_results(both, world([person("a")]))[0].score == 50.0


def test_passed_is_latest_score_at_least_the_passing_score() -> None:
    # Passing score 50: a latest score of exactly 50 passes; 49.5 does not.
    quiz = Block(id="q", title="Quiz", kind=BlockKind.ASSESSMENT, passing_score=50)
    exam = course("c1", examination_mode=True, passing_score=50)
    one = session(
        ["a", "b"],
        [exam, quiz],
        [
            attempt("a", "c1", score=50, completed=True),
            attempt("a", "q", score=50, completed=True),
            attempt("b", "c1", score=49.5, completed=True),
            attempt("b", "q", score=49.5, completed=True),
        ],
    )
    assert [r.passed for r in block_results(one)] == [1, 1]
    results = learner_results(one, world([person("a"), person("b")]))
    assert [(r.user_id, r.verified) for r in results] == [("a", True), ("b", False)]


def test_block_average_time_is_a_mean_not_a_median() -> None:
    # 1, 2 and 6 minutes: mean 3 minutes (the median would be 2).
    one = session(
        ["a", "b", "c"],
        [course()],
        [
            attempt("a", time_spent=timedelta(minutes=1)),
            attempt("b", time_spent=timedelta(minutes=2)),
            attempt("c", time_spent=timedelta(minutes=6)),
        ],
    )
    assert block_results(one)[0].average_time == timedelta(minutes=3)


def test_sessions_list_completion_counts_completers_not_verified_learners() -> None:
    # a completed everything but failed the quiz (40 < 50): completed, not verified.
    # b completed nothing. Completion = 1 (verified learners would give 0).
    quiz = Block(id="q", title="Quiz", kind=BlockKind.ASSESSMENT, passing_score=50)
    one = session(["a", "b"], [quiz], [attempt("a", "q", score=40, completed=True)])
    directory = world([person("a"), person("b")])
    table = sessions_table([one], directory, Viewer(user_id="x", platform_admin=True), at(15))
    assert [row[5] for row in table.rows] == ["1"]


def test_group_results_count_deleted_members() -> None:
    # Group g: a (deleted, started) and b (not started): users 2, attendance 50 %.
    deleted = person("a", groups={"g"}, deleted_at=at(20))
    directory = world([deleted, person("b", groups={"g"})], [Group(id="g", name="G")])
    one = session(["a", "b"], [course()], [attempt("a", score=80)], group_ids={"g"})
    [line] = group_results(one, directory)
    assert (line.users, line.attendance, line.score) == (2, 50.0, 80.0)


def test_group_lines_and_columns_order_by_case_folded_name() -> None:
    # Ids in the opposite order of the names; plain str order puts "Beta"
    # before "alpha", case-folded order puts "alpha" first.
    groups = [Group(id="g1", name="Beta"), Group(id="g2", name="alpha")]
    directory = world([person("a", groups={"g1", "g2"})], groups)
    one = session(["a"], [course()], group_ids={"g1", "g2"})
    assert [line.name for line in group_results(one, directory)] == ["alpha", "Beta"]
    header = learner_export([one], directory).header
    assert header.index("alpha") < header.index("Beta")


@pytest.mark.parametrize(
    "viewer",
    [
        Viewer(user_id="root", platform_admin=True),
        Viewer(user_id="teacher"),
        Viewer(user_id="coach", coached_group_ids={"g"}),
        Viewer(user_id="nobody"),
    ],
    ids=["platform admin", "instructor", "coach", "nobody"],
)
@pytest.mark.parametrize("field", ["group_ids", "catalog_group_ids"])
def test_can_view_rejects_a_session_naming_an_unknown_group_for_every_viewer(
    viewer: Viewer, field: str
) -> None:
    directory = world([person("teacher")], [Group(id="g", name="G")])
    one = session([], [course()], instructor_ids=["teacher"], **{field: {"g", "ghost"}})
    with pytest.raises(InvalidInputError, match="ghost"):
        can_view(viewer, one, directory)
    with pytest.raises(InvalidInputError, match="ghost"):
        visible_sessions(viewer, [one], directory)


def test_formula_protection_column_scan_includes_carriage_return() -> None:
    assert protect_column(["Ana", "\rBob"]) == ["Ana", "'\rBob"]
    assert protect_column(["\r"]) == ["'\r"]
    learner = person("a", name="\r=1+1")
    rows = learner_export([session(["a"], [course()])], world([learner])).select(["First name"])
    assert list(rows.rows) == [("'\r=1+1",)]


def test_dashboard_counts_deleted_members() -> None:
    # Group g: a (deleted, started, completed), b (registered, not started).
    # Pairs 2: attendance 1/2, completion 1/2; the session row has 2 learners.
    deleted = person("a", groups={"g"}, deleted_at=at(20))
    directory = world([deleted, person("b", groups={"g"})], [Group(id="g", name="G")])
    one = session(["a", "b"], [course()], [attempt("a", completed=True)], group_ids={"g"})
    board = group_dashboard("g", [one], directory, at(27), "UTC")
    assert (board.attendance_rate, board.completion_rate) == (50.0, 50.0)
    [row] = board.sessions
    assert (row.learners, row.attendance, row.progress) == (2, 1, 100.0)


def test_rights_flow_down_a_deep_group_tree() -> None:
    # A chain g0 <- g1 <- ... <- g2999: managing g1500 reaches g1500..g2999 only.
    chain = [Group(id="g0", name="G0")]
    chain += [Group(id=f"g{i}", name=f"G{i}", parent_id=f"g{i - 1}") for i in range(1, 3000)]
    directory = world([], chain)
    viewer = Viewer(user_id="x", administered_group_ids={"g1500"})
    below = [session([], [course()], id=f"s{i}", group_ids={f"g{i}"}) for i in (2999, 1500)]
    above = [session([], [course()], id=f"t{i}", catalog_group_ids={f"g{i}"}) for i in (1499, 0)]
    assert visible_sessions(viewer, [*above, *below], directory) == tuple(below)
    assert [can_view(viewer, s, directory) for s in [*below, *above]] == [True, True, False, False]
    table = sessions_table([*above, *below], directory, viewer, at(15), Status.ALL)
    assert [row[0] for row in table.rows] == ["s2999", "s1500"]
    both = session([], [course()], group_ids={"g1499", "g2000"})
    header = learner_export([both], directory, ExportOptions(viewer=viewer)).header
    assert "G2000" in header and "G1499" not in header
    assert [manages(viewer, g, directory) for g in ("g2999", "g1500", "g1499")] == [
        True,
        True,
        False,
    ]
    assert manages(Viewer(user_id="root", platform_admin=True), "g0", directory)


# Mutation survivors: each test below kills a mutant that every other test let live.


def test_mean_of_durations_is_exact_integer_arithmetic() -> None:
    # 2 us and 3 us: 2.5 us rounds half up to 3 us (a float and round() would
    # give 2, half to even). 2**60 + 1 and 2**60 + 2 us: the mean 2**60 + 1.5
    # rounds to 2**60 + 2, exactly (a float of the total loses the last bits).
    assert mean_duration([2 * US, 3 * US]) == 3 * US
    huge = [timedelta(microseconds=2**60 + 1), timedelta(microseconds=2**60 + 2)]
    assert mean_duration(huge) == timedelta(microseconds=2**60 + 2)


def test_slot_attendance_cells_belong_to_their_learner_and_slot() -> None:
    # Two learners x two slots, four different percents; any attendance above
    # 0 % (even 0.5 %) is a start and completes the classroom block.
    slots = [
        ClassroomSlot(
            id=f"k{k}",
            block_id="w",
            title=f"K{k}",
            start=at(k + 3),
            end=at(k + 3, 10),
            duration_hours=1,
        )
        for k in (1, 2)
    ]
    records = [
        SlotAttendance(user_id="a", slot_id="k1", percent=10),
        SlotAttendance(user_id="a", slot_id="k2", percent=20),
        SlotAttendance(user_id="b", slot_id="k1", percent=0.5),
        SlotAttendance(user_id="b", slot_id="k2", percent=40),
    ]
    workshop = Block(id="w", title="Workshop", kind=BlockKind.CLASSROOM)
    one = session(["a", "b"], [workshop], slots=slots, attendances=records)
    table = learner_export([one], world([person("a"), person("b")]))
    cells = table.select(["Classroom Slot Attendance 1", "Classroom Slot Attendance 2"])
    assert list(cells.rows) == [("10", "20"), ("1", "40")]
    only_b = session(["b"], [workshop], slots=slots, attendances=records[2:3])
    [result] = learner_results(only_b, world([person("b")]))
    assert (result.started_at, result.progress) == (at(4), 100.0)


def test_results_show_once_a_learner_attended_any_fraction_of_a_slot() -> None:
    # Nobody has an attempt; an attendance of 0.5 % is a start (0 % is not).
    slot = ClassroomSlot(
        id="k", block_id="w", title="K", start=at(3), end=at(3, 10), duration_hours=1
    )
    workshop = Block(id="w", title="Workshop", kind=BlockKind.CLASSROOM)
    for percent, shown in ((0.5, True), (0, False)):
        attended = [SlotAttendance(user_id="a", slot_id="k", percent=percent)]
        one = session(["a"], [workshop], slots=[slot], attendances=attended)
        assert shows_results(one, at(15)) is shown


def test_level_distribution_counts_each_band_on_its_own() -> None:
    # Scores 19.9 | 20, 39.9 | 40, 50, 59.9 | - | 100: bands (1, 2, 3, 0, 1).
    scores = [19.9, 20, 39.9, 40, 50, 59.9, 100]
    ids = [f"u{i}" for i in range(len(scores))]
    one = session(ids, [course()], [attempt(u, score=s) for u, s in zip(ids, scores, strict=True)])
    assert session_overview(one).level_distribution == (1, 2, 3, 0, 1)


def test_a_number_with_exactly_the_places_asked_is_written_as_is() -> None:
    # The shortest repr already has `decimals` places: nothing to round.
    assert format_number(2.5, 1) == "2.5"
    assert format_number(0.25, 2) == "0.25"
    assert format_number(12.125, 3) == "12.125"


def test_rounding_keeps_enough_digits_for_huge_and_tiny_numbers() -> None:
    # 1e30 with 2 places needs 33 significant digits; -1e-30 and 1e-30 need
    # none (they round to 0): the rounding precision follows the number.
    assert format_number(1e30, 2) == "1" + "0" * 30 + ".00"
    assert format_number(10**30, 1) == "1" + "0" * 30 + ".0"
    assert format_number(-1e-30) == "0"
    assert format_hours(1e-30) == "0"


def test_can_view_names_the_smallest_unknown_group_whatever_the_hash_seed() -> None:
    directory = world([], [Group(id="g", name="G")])
    one = session([], [course()], group_ids={"zz-ghost", "g"}, catalog_group_ids={"a-ghost"})
    with pytest.raises(InvalidInputError, match="names group 'a-ghost'"):
        can_view(Viewer(user_id="x"), one, directory)


def test_an_export_of_no_session_has_no_block_or_slot_columns() -> None:
    header = learner_export([], world([])).header
    assert not [name for name in header if name.startswith(("Block ", "Classroom "))]
    assert header[-1] == "Additional session information"


def test_activity_filter_keeps_a_learner_who_attended_any_fraction_of_a_slot() -> None:
    # a attended 0.5 % of a slot on day 3, b 0 %: only a was active on days 2-4.
    slot = ClassroomSlot(
        id="k", block_id="w", title="K", start=at(3), end=at(3, 10), duration_hours=1
    )
    workshop = Block(id="w", title="Workshop", kind=BlockKind.CLASSROOM)
    records = [
        SlotAttendance(user_id="a", slot_id="k", percent=0.5),
        SlotAttendance(user_id="b", slot_id="k", percent=0),
    ]
    one = session(["a", "b"], [workshop], slots=[slot], attendances=records)
    options = ExportOptions(activity_between=(at(2), at(4)))
    table = learner_export([one], world([person("a"), person("b")]), options)
    assert list(table.select(["Email"]).rows) == [("a@example.com",)]


def test_latest_attempt_is_greatest_start_then_last_activity_then_later_in_the_list() -> None:
    # One course; each learner's score is the score of its latest attempt.
    # a: same start, the first attempt has the later last activity -> 30.
    # b: the second attempt starts later, though its last activity is earlier -> 90.
    # c: a full tie on both times -> the later one in session.attempts, 60.
    # d: the second attempt starts earlier -> the first stays latest, 20.
    def tried(user: str, start: datetime, last: datetime, score: float) -> Attempt:
        return attempt(user, started_at=start, last_activity_at=last, score=score)

    attempts = [
        tried("a", at(2, 9), at(2, 12), 30),
        tried("a", at(2, 9), at(2, 11), 70),
        tried("b", at(2, 9), at(5, 9), 10),
        tried("b", at(3, 9), at(3, 10), 90),
        tried("c", at(2, 9), at(2, 10), 40),
        tried("c", at(2, 9), at(2, 10), 60),
        tried("d", at(3, 9), at(3, 10), 20),
        tried("d", at(2, 9), at(2, 10), 80),
    ]
    ids = ["a", "b", "c", "d"]
    one = session(ids, [course()], attempts)
    results = learner_results(one, world([person(u) for u in ids]))
    assert [(r.user_id, r.score) for r in results] == [("a", 30), ("b", 90), ("c", 60), ("d", 20)]


def test_a_learner_who_attended_every_classroom_block_completed_and_is_verified() -> None:
    # Only a classroom block, no passing score anywhere: attending one slot
    # (50 %) completes every block, and with nothing to pass, verifies.
    slot = ClassroomSlot(
        id="k", block_id="w", title="K", start=at(3), end=at(3, 10), duration_hours=1
    )
    workshop = Block(id="w", title="Workshop", kind=BlockKind.CLASSROOM)
    attended = [SlotAttendance(user_id="a", slot_id="k", percent=50)]
    one = session(["a"], [workshop], slots=[slot], attendances=attended)
    [result] = learner_results(one, world([person("a")]))
    assert (result.progress, result.verified) == (100.0, True)
    assert session_overview(one).completed == 1
    # The sessions list counts completers (flags equal to 1): 1 here.
    viewer = Viewer(user_id="x", platform_admin=True)
    table = sessions_table([one], world([person("a")]), viewer, at(15))
    assert [row[5] for row in table.rows] == ["1"]


def test_learner_blocks_read_one_by_one_are_the_learners_own() -> None:
    # Blocks: c1 (scored), c2 (scored=False), w (classroom). a has no attempt;
    # b (the second row) tried c1 (70, completed), c2 (score 55, not completed,
    # but c2 is unscored: None) and attended w. Read by index and by slicing.
    slot = ClassroomSlot(
        id="k", block_id="w", title="K", start=at(3), end=at(3, 10), duration_hours=1
    )
    workshop = Block(id="w", title="Workshop", kind=BlockKind.CLASSROOM)
    blocks = [course("c1"), course("c2", scored=False), workshop]
    attempts = [
        attempt("b", "c1", score=70, completed=True, time_spent=timedelta(minutes=7)),
        attempt("b", "c2", score=55, time_spent=timedelta(minutes=3)),
    ]
    attended = [SlotAttendance(user_id="b", slot_id="k", percent=100)]
    one = session(["a", "b"], blocks, attempts, slots=[slot], attendances=attended)
    a, b = learner_results(one, world([person("a"), person("b")]))
    nothing = LearnerBlock(block_id="c1", score=None, time_spent=timedelta(0), completed=False)
    expected_a = tuple(attrs.evolve(nothing, block_id=block.id) for block in blocks)
    expected_b = (
        LearnerBlock(block_id="c1", score=70.0, time_spent=timedelta(minutes=7), completed=True),
        LearnerBlock(block_id="c2", score=None, time_spent=timedelta(minutes=3), completed=False),
        LearnerBlock(block_id="w", score=None, time_spent=timedelta(0), completed=True),
    )
    for result, expected in ((a, expected_a), (b, expected_b)):
        assert tuple(result.blocks[i] for i in range(3)) == expected
        assert result.blocks[-3] == expected[0]
        assert result.blocks[1:] == expected[1:]
        assert tuple(result.blocks) == expected


def test_learner_blocks_concatenate_as_the_tuple_of_them() -> None:
    # One course, a tried it (score 70, 10 minutes, not completed): the blocks
    # read as the 1-tuple (block,); + and reflected + give the 2-tuple.
    one = session(["a"], [course()], [attempt("a", score=70)])
    [result] = learner_results(one, world([person("a")]))
    minutes = timedelta(minutes=10)
    block = LearnerBlock(block_id="c1", score=70.0, time_spent=minutes, completed=False)
    extra = attrs.evolve(block, block_id="other")
    assert result.blocks + (extra,) == (block, extra)  # noqa: RUF005 - tuple + is the rule
    assert (extra,) + result.blocks == (extra, block)  # noqa: RUF005 - tuple + is the rule
