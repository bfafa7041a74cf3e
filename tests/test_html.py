"""Notebook display: ``_repr_html_`` of result types and tables in words, ``Table.to_dicts``.

What SPEC §13 asks of every display: labels in the export's words (never a
field name), a title with the subject and its id, ``%`` on rates and
scores, ``h:mm:ss`` durations, ``-`` for every absent value, a large table's
size first then its head and tail, tables that scroll inside their box —
and still every string escaped, no script.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from html import escape
from typing import Any

import attrs
import html5lib
import pytest

from programstats import (
    BlockKind,
    BlockResult,
    BlockScore,
    CourseProgress,
    Directory,
    ExportOptions,
    Group,
    GroupDashboard,
    GroupResult,
    GroupSessionRow,
    InvalidInputError,
    LearnerBlock,
    LearnerResult,
    SessionOverview,
    SlotResult,
    Table,
    User,
    block_results,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
)
from programstats.display import show
from programstats.examples import tiny_directory, tiny_session

EVIL = "<script>alert(1)</script>"
NOW = datetime(2026, 4, 10, tzinfo=timezone.utc)
# An ampersand that does not start one of the entities html.escape writes.
RAW_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|#x27|#39);)")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")

# Every field of every result type, and the words a display shows it under
# (None: shown otherwise — in the title, as a chart, or as a nested table).
LABELS: dict[type, dict[str, str | None]] = {
    SessionOverview: {
        "registrations": "Registrations",
        "open_registrations": "Open registrations",
        "waiting_list": "Waiting list",
        "attendees": "Attendees",
        "progress_by_course": None,
        "completed": "Completed",
        "median_time": "Median time",
        "average_score": "Average score",
        "certificates": "Certificates",
        "score_by_block": None,
        "level_distribution": None,
    },
    GroupResult: {
        "group_id": None,
        "name": None,
        "users": "Users",
        "attendance": "Attendance",
        "progress": "Progress",
        "score": "Score",
        "level": "Level",
    },
    LearnerResult: {
        "user_id": None,
        "first_name": None,
        "last_name": None,
        "registered": "Registered user",
        "deleted_at": "Deleted user",
        "progress": "Progress",
        "score": "Score",
        "time_spent": "Time spent",
        "started_at": "Start",
        "ended_at": "End",
        "last_activity": "Last activity",
        "verified": "Verified program",
        "blocks": None,
    },
    BlockResult: {
        "block_id": None,
        "title": None,
        "kind": "Kind",
        "started": "Started",
        "completed": "Completed",
        "average_score": "Average score",
        "average_time": "Average time",
        "passed": "Passed",
        "slots": None,
    },
    GroupDashboard: {
        "group_id": None,
        "ongoing_per_month": None,
        "online_only": "100% online sessions",
        "blended": "Blended sessions",
        "attendance_rate": "Attendance rate",
        "completion_rate": "Completion rate",
        "success_rate": "Success rate",
        "sessions": None,
    },
}


def test_every_field_of_a_displayed_type_has_its_words() -> None:
    # A field added to a result type must be given its words here (and shown).
    for kind, labels in LABELS.items():
        assert set(labels) == {field.name for field in attrs.fields(kind)}, kind.__name__


# --------------------------------------------------------------------------- reading


def parse(html: str) -> Any:
    """Parse strictly (html5lib raises on any parse error)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parseFragment(html)


def text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def title(html: str) -> str:
    found = [text(div) for div in parse(html).iter("div") if div.get("class") == "ps-title"]
    assert len(found) == 1, found
    return found[0]


def notes(html: str) -> list[str]:
    return [text(p) for p in parse(html).iter("p") if p.get("class") == "ps-note"]


def figures(html: str) -> dict[str, str]:
    """Label -> value of every label-and-value table (rows headed by a ``th``)."""
    found = {}
    for tr in parse(html).iter("tr"):
        head = tr.find("th")
        cells = tr.findall("td")
        if head is not None and head.get("scope") == "row" and len(cells) == 1:
            found[text(head)] = text(cells[0])
    return found


def grid(rows: list[Any]) -> list[list[str]]:
    """The text of every cell of ``rows`` (``tr`` elements), a cell that spans rows or
    columns repeated in each of them."""
    found: list[list[str]] = []
    spanning: dict[tuple[int, int], str] = {}
    for y, tr in enumerate(rows):
        line: list[str] = []
        for cell in tr:
            while (y, len(line)) in spanning:
                line.append(spanning.pop((y, len(line))))
            down, across = int(cell.get("rowspan", "1")), int(cell.get("colspan", "1"))
            for x in range(len(line), len(line) + across):
                for below in range(y + 1, y + down):
                    spanning[(below, x)] = text(cell)
            line += [text(cell)] * across
        while (y, len(line)) in spanning:
            line.append(spanning.pop((y, len(line))))
        found.append(line)
    return found


def grids(html: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every table with a header: its column labels and its rows of cell texts."""
    found = []
    for table in parse(html).iter("table"):
        heads = table.findall("thead/tr")
        if not heads:
            continue
        header = grid(heads)[-1]
        found.append((header, grid(table.findall("tbody/tr"))))
    return found


def column(html: str, label: str) -> list[str]:
    for header, rows in grids(html):
        if label in header:
            index = header.index(label)
            return [row[index] for row in rows if len(row) == len(header)]
    raise AssertionError(f"no column {label!r}")


def check_escaped(html: str) -> None:
    assert "<script>" not in html
    assert "</script>" not in html
    assert "&lt;script&gt;" in html
    assert not RAW_AMPERSAND.search(html), html
    assert "&amp;" in html


def check_words(html: str) -> None:
    """No field name as a label, and every table in a box that scrolls sideways."""
    tree = parse(html)
    for th in tree.iter("th"):
        assert not SNAKE.search(text(th)), text(th)
    for div in tree.iter("div"):
        if div.get("class") == "ps-title":
            assert not SNAKE.search(text(div)), text(div)
    tables = list(tree.iter("table"))
    boxes = [div for div in tree.iter("div") if div.get("class") == "ps-scroll"]
    assert len(boxes) == len(tables)
    for box in boxes:
        assert "overflow-x:auto" in (box.get("style") or "")
        assert len(box.findall("table")) == 1
    for table in tables:
        assert "white-space:nowrap" in (table.get("style") or "")


def labels_shown(kind: type, html: str) -> None:
    heads = {text(th) for th in parse(html).iter("th")}
    for field, label in LABELS[kind].items():
        if label is not None:
            assert label in heads, (kind.__name__, field, label)


# --------------------------------------------------------------------------- fixtures


def nasty_directory() -> Directory:
    tiny = tiny_directory()
    groups = [attrs.evolve(group, name=f"{EVIL} & {group.name}") for group in tiny.groups.values()]
    users = [
        attrs.evolve(
            user, first_name=f"{EVIL}{user.first_name}", last_name=f"{user.last_name} & Co"
        )
        for user in tiny.users.values()
    ]
    return Directory(users=users, groups=groups)


def nasty_session() -> Any:
    tiny = tiny_session()
    return attrs.evolve(
        tiny,
        name=f"{EVIL} & {tiny.name}",
        blocks=[attrs.evolve(block, title=f"{EVIL} & {block.title}") for block in tiny.blocks],
        slots=[attrs.evolve(slot, title=f"{EVIL} & {slot.title}") for slot in tiny.slots],
    )


# --------------------------------------------------------------------------- overview


def test_session_overview_in_words() -> None:
    overview = session_overview(tiny_session())
    html = overview._repr_html_()
    check_words(html)
    labels_shown(SessionOverview, html)
    assert title(html) == "Session overview"  # the overview alone does not know its session
    assert figures(html) == {
        "Registrations": "3",
        "Open registrations": "1",
        "Waiting list": "0",
        "Attendees": "2",
        "Completed": "1",
        "Median time": "0:50:00",
        "Average score": "75%",  # a score is out of 100: shown with %
        "Certificates": "1",
    }
    # Block titles next to their ids, percentages with %.
    assert grids(html)[0] == (
        ["Course", "Block ID", "Course completed", "Course completed percent"],
        [["Welcome course", "course", "1", "50%"]],
    )
    assert grids(html)[1] == (
        ["Block title", "Block ID", "Block average score"],
        [["Welcome course", "course", "80%"], ["Final quiz", "quiz", "60%"]],
    )


def test_session_overview_with_its_session_names_it() -> None:
    session = tiny_session()
    html = show(session_overview(session), session=session)._repr_html_()
    assert title(html) == "Session overview — Onboarding, March (s1)"


def test_absent_values_are_a_dash() -> None:
    overview = session_overview(attrs.evolve(tiny_session(), attempts=(), attendances=()))
    html = overview._repr_html_()
    assert figures(html)["Median time"] == "-"
    assert figures(html)["Average score"] == "-"
    assert column(html, "Course completed percent") == ["-"]
    assert column(html, "Block average score") == ["-", "-"]


def test_decimals_come_from_the_options() -> None:
    overview = attrs.evolve(session_overview(tiny_session()), average_score=2.675)
    html = show(overview, options=ExportOptions(decimals=2))._repr_html_()
    assert figures(html)["Average score"] == "2.68%"


def test_session_overview_html_escapes() -> None:
    session = nasty_session()
    html = show(session_overview(session), session=session)._repr_html_()
    check_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Welcome course" in html
    assert EVIL in title(html)


# --------------------------------------------------------------------------- result tuples


def test_group_results_in_words() -> None:
    session = tiny_session()
    results = group_results(session, tiny_directory())
    html = show(results, session=session)._repr_html_()
    check_words(html)
    assert title(html) == "Results by group — Onboarding, March (s1)"
    assert notes(html) == ["2 groups."]
    header, rows = grids(html)[0]
    assert header == ["Group", "Group ID", "Level", "Users", "Attendance", "Progress", "Score"]
    # The name next to the id; attendance, progress and score with %; "-" when absent.
    assert rows == [
        ["Company", "company", "0", "1", "0%", "-", "-"],
        ["Sales", "sales", "1", "2", "100%", "50%", "75%"],
    ]


def test_learner_results_in_words() -> None:
    session = tiny_session()
    results = learner_results(session, tiny_directory())
    html = show(results, session=session)._repr_html_()
    check_words(html)
    assert title(html) == "Individual results — Onboarding, March (s1)"
    assert notes(html) == ["4 learners. Times in UTC. Learners unassigned since are shown in gray."]
    header, rows = grids(html)[0]
    assert header[:12] == [
        "Last name",
        "First name",
        "User ID",
        "Progress",
        "Score",
        "Time spent",
        "Last activity",
        "Start",
        "End",
        "Verified program",
        "Registered user",
        "Deleted user",
    ]
    assert header[12:] == ["Score", "Time", "Completed"] * 3
    ana, *_, dan = rows
    assert ana[:12] == [
        "Alves",
        "Ana",
        "ana",
        "100%",
        "70%",
        "0:50:00",
        "2026/03/20 12:00",
        "2026/03/04 10:00",
        "2026/03/04 11:00",
        "yes",
        "yes",
        "-",
    ]
    assert ana[12:] == ["80%", "0:50:00", "yes", "60%", "0:25:00", "yes", "-", "0:00:00", "yes"]
    assert dan[9:11] == ["no", "no"]
    # Each block's columns are headed by its title, its id beside it.
    groups = [text(th) for th in parse(html).iter("th") if th.get("scope") == "colgroup"]
    assert groups == [
        "Block 1: Welcome course (course)",
        "Block 2: Final quiz (quiz)",
        "Block 3: Workshop (workshop)",
    ]
    # Learners unassigned since are shown in gray.
    past = [tr for tr in parse(html).iter("tr") if tr.get("class") == "ps-past"]
    assert [text(tr.find("td")) for tr in past] == ["Diaz"]


def test_learner_results_times_in_the_zone_of_the_options() -> None:
    results = learner_results(tiny_session(), tiny_directory())
    html = show(results, options=ExportOptions(timezone="Europe/Paris"))._repr_html_()
    assert "Times in Europe/Paris." in notes(html)[0]
    assert column(html, "Start")[0] == "2026/03/04 11:00"


def test_block_results_in_words() -> None:
    html = block_results(tiny_session())._repr_html_()
    check_words(html)
    assert title(html) == "Detailed results per block"
    header, rows = grids(html)[0]
    assert header == [
        "Block title",
        "Block ID",
        "Kind",
        "Started",
        "Completed",
        "Average score",
        "Average time",
        "Passed",
        "Slot title",
        "Slot ID",
        "Slot attendees",
        "Slot average attendance",
    ]
    assert rows == [
        ["Welcome course", "course", "Course", "2", "1", "80%", "0:35:00", "-"] + ["-"] * 4,
        ["Final quiz", "quiz", "Assessment", "1", "1", "60%", "0:25:00", "1"] + ["-"] * 4,
        [
            *("Workshop", "workshop", "Classroom", "1", "1", "-", "-", "-"),
            *("Paris morning", "slot1", "1", "100%"),
        ],
    ]


def test_a_classroom_block_spans_its_slots() -> None:
    session = tiny_session()
    two = attrs.evolve(
        session,
        slots=[*session.slots, attrs.evolve(session.slots[0], id="slot2", title="Lyon")],
    )
    html = block_results(two)._repr_html_()
    cells = [td for td in parse(html).iter("td") if td.get("rowspan")]
    assert {td.get("rowspan") for td in cells} == {"2"}
    assert [text(td) for td in cells][:3] == ["Workshop", "workshop", "Classroom"]
    assert column(html, "Slot title") == ["-", "-", "Paris morning", "Lyon"]
    assert column(html, "Block ID") == ["course", "quiz", "workshop", "workshop"]


def test_result_tuple_display_escapes() -> None:
    session, directory = nasty_session(), nasty_directory()
    for results in (
        group_results(session, directory),
        learner_results(session, directory),
        block_results(session),
    ):
        html = show(results, session=session)._repr_html_()
        check_escaped(html)
        check_words(html)
        assert EVIL in title(html)


def test_empty_result_tuples_say_so() -> None:
    empty = type(learner_results(tiny_session(), tiny_directory()))()
    html = empty._repr_html_()
    assert title(html) == "Individual results"
    assert notes(html) == ["No learner results."]


# --------------------------------------------------------------------------- single results


def test_every_single_result_displays_in_words() -> None:
    session, directory = tiny_session(), tiny_directory()
    overview = session_overview(session)
    board = group_dashboard("sales", [session], directory, NOW, "UTC")
    learner = learner_results(session, directory)[0]
    classroom = block_results(session)[2]
    expected = {
        overview.progress_by_course[0]: (
            "Course progress — Welcome course (course)",
            {"Course completed": "1", "Course completed percent": "50%"},
        ),
        overview.score_by_block[1]: (
            "Block score — Final quiz (quiz)",
            {"Block average score": "60%"},
        ),
        group_results(session, directory)[1]: (
            "Group result — Sales (sales)",
            {"Level": "1", "Users": "2", "Attendance": "100%", "Progress": "50%", "Score": "75%"},
        ),
        learner: ("Learner result — Ana Alves (ana)", {"Progress": "100%", "Score": "70%"}),
        learner.blocks[1]: (
            "Learner's block — quiz",
            {"Score": "60%", "Time spent": "0:25:00", "Completed": "yes"},
        ),
        classroom: (
            "Block result — Workshop (workshop)",
            {"Kind": "Classroom", "Average score": "-", "Passed": "-"},
        ),
        classroom.slots[0]: (
            "Classroom slot — Paris morning (slot1)",
            {"Slot attendees": "1", "Slot average attendance": "100%"},
        ),
        board.sessions[0]: (
            "Group session — Onboarding, March (s1)",
            {"Learners": "2", "Started": "2", "Attendance": "100%", "Score": "75%"},
        ),
    }
    kinds = set()
    for value, (heading, shown) in expected.items():
        kinds.add(type(value))
        html = value._repr_html_()  # type: ignore[attr-defined]
        check_words(html)
        assert title(html) == heading
        found = figures(html)
        for label, cell in shown.items():
            assert found[label] == cell, (heading, label)
    # Every result type of the package displays in words (the two with charts are
    # tested above and in test_charts.py).
    assert kinds == {
        CourseProgress,
        BlockScore,
        GroupResult,
        LearnerResult,
        LearnerBlock,
        BlockResult,
        SlotResult,
        GroupSessionRow,
    }
    labels_shown(LearnerResult, learner._repr_html_())
    labels_shown(GroupResult, group_results(session, directory)[0]._repr_html_())
    labels_shown(BlockResult, classroom._repr_html_())


def test_a_learners_block_is_named_by_its_session() -> None:
    session = tiny_session()
    learner = learner_results(session, tiny_directory())[0]
    html = show(learner.blocks[1], session=session)._repr_html_()
    assert title(html) == "Learner's block — Final quiz (quiz)"
    html = show(learner, session=session)._repr_html_()
    assert column(html, "Block title") == ["Welcome course", "Final quiz", "Workshop"]


def test_single_results_escape() -> None:
    session, directory = nasty_session(), nasty_directory()
    for value in (
        learner_results(session, directory)[0],
        group_results(session, directory)[0],
        *block_results(session),
        *session_overview(session).progress_by_course,
    ):
        html = value._repr_html_()  # type: ignore[attr-defined]
        check_escaped(html)


# --------------------------------------------------------------------------- dashboard


def test_group_dashboard_in_words() -> None:
    board = group_dashboard("sales", [tiny_session()], tiny_directory(), NOW, "Europe/Paris")
    html = board._repr_html_()
    check_words(html)
    labels_shown(GroupDashboard, html)
    assert title(html) == "Group dashboard — sales"  # the id alone without a directory
    assert notes(html)[0] == "Last 12 months: May 2025 to April 2026."
    assert figures(html) == {
        "Attendance rate": "100%",
        "Completion rate": "50%",
        "Success rate": "50%",
        "100% online sessions": "0",
        "Blended sessions": "1",
    }
    header, rows = grids(html)[0]
    assert header == [
        "Program session",
        "Session ID",
        "Learners",
        "Started",
        "Attendance",
        "Progress",
        "Score",
    ]
    # "Attendance" is a percentage in every display; the count is "Started".
    assert rows == [["Onboarding, March", "s1", "2", "2", "100%", "50%", "75%"]]


def test_group_dashboard_with_the_directory_names_the_group() -> None:
    directory = tiny_directory()
    board = group_dashboard("sales", [tiny_session()], directory, NOW, "UTC")
    assert (
        title(show(board, directory=directory)._repr_html_()) == "Group dashboard — Sales (sales)"
    )


def test_group_dashboard_html_escapes() -> None:
    directory = nasty_directory()
    board = group_dashboard("sales", [nasty_session()], directory, NOW, "UTC")
    html = show(board, directory=directory)._repr_html_()
    check_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Onboarding, March" in html
    assert EVIL in title(html)


def test_show_checks_its_context() -> None:
    with pytest.raises(InvalidInputError):
        show(1, session="s1")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        show(1, directory=[])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        show(1, options={"decimals": 1})  # type: ignore[arg-type]


def test_a_value_without_a_display_shows_its_escaped_repr() -> None:
    assert show("<b>")._repr_html_() == "<pre>&#x27;&lt;b&gt;&#x27;</pre>"


# --------------------------------------------------------------------------- tables


def numbered_table(count: int) -> Table:
    return Table(header=("n", "square"), rows=[(str(i), str(i * i)) for i in range(count)])


def body_rows(html: str) -> list[list[str]]:
    (_, rows) = grids(html)[0]
    return rows


def test_table_html_lists_header_and_rows() -> None:
    html = numbered_table(3)._repr_html_()
    check_words(html)
    assert notes(html) == ["3 rows × 2 columns."]  # noqa: RUF001
    assert '<th scope="col" class="ps-num" dir="auto">n</th>' in html
    assert body_rows(html) == [["0", "0"], ["1", "1"], ["2", "4"]]
    assert '<td class="ps-num">2</td><td class="ps-num">4</td>' in html


def test_table_cells_as_written_and_empty_as_a_dash() -> None:
    table = Table(header=("Name", "Score"), rows=[("Ana", "80"), ("Bob", "")])
    html = table._repr_html_()
    assert body_rows(html) == [["Ana", "80"], ["Bob", "-"]]
    assert '<td dir="auto">Ana</td>' in html  # text keeps its own direction


def test_table_html_escapes() -> None:
    table = Table(
        header=(EVIL, "A & B"),
        rows=[(EVIL, "fish & chips"), ("<b>bold</b>", '"quoted"')],
    )
    html = table._repr_html_()
    check_escaped(html)
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "fish &amp; chips" in html


def test_export_table_html_escapes() -> None:
    table = learner_export([nasty_session()], nasty_directory())
    html = table._repr_html_()
    check_escaped(html)
    for name in table.header:
        assert f'dir="auto">{escape(name)}</th>' in html
    # Group columns are headed by the (nasty) group names.
    assert any(EVIL in name for name in table.header)


@pytest.mark.parametrize("count", [0, 1, 19, 20])
def test_table_html_shows_small_tables_whole(count: int) -> None:
    html = numbered_table(count)._repr_html_()
    assert len(body_rows(html)) == count
    assert "not shown" not in html


@pytest.mark.parametrize("count", [21, 22, 1000])
def test_a_large_table_shows_its_size_then_head_and_tail(count: int) -> None:
    html = numbered_table(count)._repr_html_()
    size = f"{count:,} rows × 2 columns — the first 10 and the last 5 are shown."  # noqa: RUF001
    assert notes(html) == [size]
    assert html.index(size) < html.index("<table")  # the size first
    rows = body_rows(html)
    hidden = count - 15
    gap = f"… {hidden:,} more row{'s' if hidden > 1 else ''} not shown …"
    assert [row[0] for row in rows] == (
        [str(i) for i in range(10)] + [gap] + [str(i) for i in range(count - 5, count)]
    )


class CountingRows:
    """Re-iterable rows that count how many were produced."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.produced = 0

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        for i in range(self.count):
            self.produced += 1
            yield (str(i),)


def test_table_html_counts_the_rows_it_does_not_show() -> None:
    rows = CountingRows(10_000)
    html = Table(header=("n",), rows=rows)._repr_html_()
    assert len(body_rows(html)) == 16
    assert rows.produced == 10_000  # counted once, in one pass
    assert "10,000 rows × 1 column" in html  # noqa: RUF001
    assert "9,985 more rows not shown" in html


def test_result_tuples_show_head_and_tail_too() -> None:
    results = type(group_results(tiny_session(), tiny_directory()))(
        GroupResult(
            group_id=f"g{n}",
            name=f"Group {n}",
            users=1,
            attendance=None,
            progress=None,
            score=None,
            level=0,
        )
        for n in range(61)
    )
    html = results._repr_html_()
    assert notes(html) == ["61 groups — the first 10 and the last 5 are shown."]
    names = [row[0] for row in body_rows(html)]
    assert names[:10] == [f"Group {n}" for n in range(10)]
    assert names[10] == "… 46 more rows not shown …"
    assert names[11:] == [f"Group {n}" for n in range(56, 61)]


# --------------------------------------------------------------------------- to_dicts


def test_to_dicts_one_dict_per_row_keyed_by_header() -> None:
    table = Table(header=("Name", "Score", "Note"), rows=[("Ana", "80", ""), ("Bob", "", "x,y")])
    assert table.to_dicts() == [
        {"Name": "Ana", "Score": "80", "Note": ""},
        {"Name": "Bob", "Score": "", "Note": "x,y"},
    ]
    assert [list(d) for d in table.to_dicts()] == [["Name", "Score", "Note"]] * 2
    # The rows are produced afresh: a second call gives the same dicts.
    assert table.to_dicts() == table.to_dicts()


def test_to_dicts_gives_every_row_of_a_long_table() -> None:
    # Unlike the HTML view, to_dicts is not limited to the head and tail.
    dicts = numbered_table(120).to_dicts()
    assert len(dicts) == 120
    assert dicts[0] == {"n": "0", "square": "0"}
    assert dicts[-1] == {"n": "119", "square": str(119 * 119)}


def test_to_dicts_of_an_empty_table() -> None:
    assert Table(header=("a", "b"), rows=[]).to_dicts() == []


def test_to_dicts_of_an_export_table() -> None:
    table = learner_export([tiny_session()], tiny_directory())
    rows = list(table.rows)
    dicts = table.to_dicts()
    assert len(dicts) == len(rows) == 4
    for row, record in zip(rows, dicts, strict=True):
        assert tuple(record) == table.header
        assert tuple(record.values()) == row
    assert {d["First name"] for d in dicts} == {"Ana", "Bob", "Cleo", "Dan"}


def test_to_dicts_rejects_duplicate_column_names() -> None:
    table = Table(header=("a", "b", "a"), rows=[("1", "2", "3")])
    with pytest.raises(InvalidInputError):
        table.to_dicts()


def test_to_dicts_needs_no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails
    with pytest.raises(ImportError):
        import pandas  # noqa: F401
    table = Table(header=("x", "y"), rows=[("1", "2")])
    assert table.to_dicts() == [{"x": "1", "y": "2"}]
    assert isinstance(table._repr_html_(), str)


def test_to_dicts_feeds_pandas() -> None:
    pandas = pytest.importorskip("pandas")
    table = learner_export([tiny_session()], tiny_directory())
    frame = pandas.DataFrame(table.to_dicts())
    assert frame.shape == (4, len(table.header))
    assert tuple(frame.columns) == table.header


def test_nasty_fixtures_are_what_they_claim() -> None:
    # Guard: the escaping tests above really feed markup to the renderers.
    directory = nasty_directory()
    assert all(EVIL in user.first_name for user in directory.users.values())
    assert all(
        isinstance(g, Group) and EVIL in g.name and "&" in g.name for g in directory.groups.values()
    )
    assert all(isinstance(u, User) for u in directory.users.values())
    session = nasty_session()
    assert EVIL in session.name
    assert all(EVIL in block.title for block in session.blocks)
    assert BlockKind.CLASSROOM in {block.kind for block in session.blocks}
