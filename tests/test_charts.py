"""Notebook charts: the SVG of the overview and the dashboard, and the HTML around it.

Every chart is read back: parsed as XML, its bars measured, its axis titles
and text alternative compared with the numbers it draws. Where the text
sits on screen is checked in a real browser (tests/test_browser.py); here,
the estimates it is laid out with.
"""

from __future__ import annotations

import itertools
import pickle
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import attrs
import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import (
    Directory,
    GroupResult,
    Table,
    block_results,
    group_dashboard,
    group_results,
    learner_results,
    session_overview,
)
from programstats.display import show
from programstats.display.svg import (
    SVG_NAMESPACE,
    WIDTH,
    count_ticks,
    shorten,
    text_width,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.session_stats import BlockScore, CourseProgress, ResultTuple, SessionOverview
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world
from programstats.views import GroupDashboard, GroupSessionRow

SVG = f"{{{SVG_NAMESPACE}}}"
HOSTILE = "<script>alert('x')</script> \"Tom\" & Jerry"
RTL = "مريم الحسن"
BANDS = ("0–20", "20–40", "40–60", "60–80", "80–100")  # noqa: RUF001  # en dashes, as shown
PLOT = 140.0  # the height of a full column


# --------------------------------------------------------------------------- helpers


def overview_of(
    *,
    bands: tuple[int, int, int, int, int] = (0, 3, 6, 12, 0),
    courses: tuple[CourseProgress, ...] | None = None,
    scores: tuple[BlockScore, ...] | None = None,
) -> SessionOverview:
    if courses is None:
        courses = (
            CourseProgress(block_id="a", title="Half", completed=5, percent=50.0),
            CourseProgress(block_id="b", title="Quarter", completed=2, percent=25.0),
            CourseProgress(block_id="c", title="Nobody yet", completed=0, percent=None),
        )
    if scores is None:
        scores = (BlockScore(block_id="a", title="Half", average=72.5),)
    return SessionOverview(
        registrations=21,
        open_registrations=1,
        waiting_list=0,
        attendees=10,
        progress_by_course=courses,
        completed=4,
        median_time=timedelta(minutes=28, seconds=27, microseconds=777_778),
        average_score=97.77777777777777,
        certificates=2,
        score_by_block=scores,
        level_distribution=bands,
    )


def dashboard_of(
    counts: tuple[int, ...] = (0, 1, 2, 4, 4, 3, 2, 1, 0, 0, 1, 2),
    *,
    online: int = 3,
    blended: int = 1,
    title: str = "Onboarding",
) -> GroupDashboard:
    months = tuple(
        (date(2025 + (11 + i) // 12, (11 + i) % 12 + 1, 1), count) for i, count in enumerate(counts)
    )
    row = GroupSessionRow(
        session_id="s1",
        title=title,
        learners=3,
        attendance=2,
        progress=66.66666666666667,
        score=None,
    )
    return GroupDashboard(
        group_id="g",
        ongoing_per_month=months,
        online_only=online,
        blended=blended,
        attendance_rate=2 / 3 * 100,
        completion_rate=None,
        success_rate=0.0,
        sessions=(row,),
    )


def svgs(html: str) -> list[ET.Element]:
    """Every ``<svg>`` fragment of ``html``, parsed as a standalone XML document."""
    fragments = re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    return [ET.fromstring(fragment) for fragment in fragments]


def chart(html: str, title: str) -> ET.Element:
    found = [svg for svg in svgs(html) if svg.findtext(f"{SVG}title") == title]
    assert len(found) == 1, title
    return found[0]


def bars(svg: ET.Element, size: str) -> list[float]:
    return [
        float(rect.get(size, "nan"))
        for rect in svg.iter(f"{SVG}rect")
        if rect.get("class") == "bar"
    ]


def texts(svg: ET.Element) -> list[str]:
    """The visible text of every ``<text>`` (a label's tooltip ``<title>`` left out)."""
    return [
        (text.text or "") + "".join(child.tail or "" for child in text)
        for text in svg.iter(f"{SVG}text")
    ]


def text_at(svg: ET.Element, words: str) -> ET.Element:
    found = [
        t for t, shown in zip(svg.iter(f"{SVG}text"), texts(svg), strict=True) if shown == words
    ]
    assert len(found) == 1, (words, texts(svg))
    return found[0]


def full_bar(svg: ET.Element) -> float:
    """The length of a horizontal bar at the end of the scale: the last tick's x minus the axis'."""
    axis = [
        float(line.get("x1", "nan"))
        for line in svg.iter(f"{SVG}line")
        if line.get("stroke-opacity") == "0.5"
    ]
    ticks = [
        float(t.get("x", "nan"))
        for t in svg.iter(f"{SVG}text")
        if t.get("text-anchor") == "middle" and t.get("fill-opacity")
    ]
    return max(ticks[:-1]) - axis[0]  # the last middle text is the axis title


def parse_strictly(html: str) -> Any:
    """Parse with html5lib's strict parser: any parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parseFragment(html)


def check_static(html: str) -> None:
    """No script, no event handler, no link or resource outside the page."""
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"\son\w+\s*=", lowered)
    assert "href" not in lowered
    assert "src=" not in lowered
    assert "url(" not in lowered
    assert "@import" not in lowered
    assert "http" not in lowered.replace(f'xmlns="{SVG_NAMESPACE}"', "")
    # Every chart: an image with a title, and words that start with that title.
    for svg in svgs(html):
        title = svg.findtext(f"{SVG}title")
        assert svg.get("role") == "img"
        assert title
        assert (svg.get("aria-label") or "").startswith(f"{title}: ")


# --------------------------------------------------------------------------- layout


def test_every_chart_has_the_same_width_and_its_axis_titles() -> None:
    html = overview_of()._repr_html_() + dashboard_of()._repr_html_()
    found = {svg.findtext(f"{SVG}title"): svg for svg in svgs(html)}
    axes = {
        "Progress by course": ["Attendees who completed the course (%)"],
        "Score by block": ["Average score (%)"],
        "Level distribution": ["Learners", "Score band (%)"],
        "Sessions in progress per month": ["Sessions", "Month"],
        "Online vs blended": ["Sessions in the last 12 months"],
    }
    assert set(found) == set(axes)
    for title, svg in found.items():
        assert svg.get("width") == str(WIDTH)
        assert svg.get("viewBox") == f"0 0 {WIDTH} {svg.get('height')}"
        shown = texts(svg)
        assert shown[0] == title  # the title first, top left
        assert text_at(svg, title).get("x") == "0"
        for axis in axes[title]:
            assert axis in shown, (title, axis)


def test_charts_are_laid_out_the_same_way_in_every_display() -> None:
    # Charts sit side by side in one flex row, each in its own figure, after the figures.
    for html in (overview_of()._repr_html_(), dashboard_of()._repr_html_()):
        tree = parse_strictly(html)
        rows = [div for div in tree.iter("div") if div.get("class") == "ps-charts"]
        assert len(rows) == 1
        assert [child.tag for child in rows[0]] == ["figure"] * len(rows[0])
        assert all(len(figure) == 1 for figure in rows[0])
    assert ".ps-display .ps-charts{display:flex;flex-wrap:wrap" in html


def test_percentage_axes_are_graduated_0_to_100() -> None:
    svg = chart(overview_of()._repr_html_(), "Progress by course")
    shown = texts(svg)
    assert [t for t in shown if t.endswith("%") and t[:-1].isdigit()] == [
        "0%",
        "25%",
        "50%",
        "75%",
        "100%",
    ]


@pytest.mark.parametrize(
    ("top", "labels"),
    [
        (0, ["0", "1"]),
        (1, ["0", "1"]),
        (5, ["0", "1", "2", "3", "4", "5"]),
        (7, ["0", "2", "4", "6", "8"]),
        (12, ["0", "5", "10", "15"]),
        (999, ["0", "200", "400", "600", "800", "1000"]),
    ],
)
def test_count_ticks(top: int, labels: list[str]) -> None:
    assert [label for _, label in count_ticks(top)] == labels


@given(st.integers(min_value=0, max_value=10**9))
def test_count_ticks_cover_the_largest_count_in_at_most_six_ticks(top: int) -> None:
    ticks = count_ticks(top)
    assert 2 <= len(ticks) <= 6
    assert ticks[0][0] == 0
    assert ticks[-1][0] >= top
    steps = {b[0] - a[0] for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    assert str(steps.pop())[0] in "125"


def test_text_width_is_generous() -> None:
    # Arial's widths: 'W' is 0.944 em, 'i' 0.222 em; anything else is given room.
    assert text_width("W") > text_width("i") > 0
    assert text_width("W" * 10) >= 12 * 0.944 * 10
    assert text_width("東京") >= 2 * 12  # full width
    assert text_width("e\u0301") == text_width("e")  # a combining mark takes no room
    assert text_width("Bold", bold=True) > text_width("Bold")


@given(st.text(max_size=40), st.floats(min_value=20, max_value=400))
def test_shorten_fits_and_keeps_the_start(text: str, room: float) -> None:
    short = shorten(text, room)
    if text_width(text) <= room:
        assert short == text
    else:
        assert short.endswith("…")
        assert text.startswith(short[:-1].rstrip())
        assert text_width(short) <= room or short == "…"


# --------------------------------------------------------------------------- overview


def test_level_chart_bars_are_proportional_to_the_bands() -> None:
    svg = chart(overview_of()._repr_html_(), "Level distribution")
    # (0, 3, 6, 12, 0): the largest band is the full 140 px.
    assert bars(svg, "height") == [0.0, 35.0, 70.0, 140.0, 0.0]
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == (
        "Level distribution: 0–20: 0 learners, 20–40: 3 learners, "  # noqa: RUF001
        "40–60: 6 learners, 60–80: 12 learners, 80–100: 0 learners"  # noqa: RUF001
    )
    shown = texts(svg)
    for band in BANDS:
        assert band in shown
    # The count is written above every column, in the column's middle.
    for band, count in zip(BANDS, (0, 3, 6, 12, 0), strict=True):
        label = text_at(svg, band)
        values = [
            t
            for t in svg.iter(f"{SVG}text")
            if t.get("x") == label.get("x") and t.text == str(count)
        ]
        assert len(values) == 1
        assert float(values[0].get("y", "nan")) < float(label.get("y", "nan"))


def test_level_chart_of_one_learner_says_learner() -> None:
    svg = chart(overview_of(bands=(0, 0, 1, 0, 0))._repr_html_(), "Level distribution")
    assert "40–60: 1 learner," in (svg.get("aria-label") or "")  # noqa: RUF001


@given(st.tuples(*[st.integers(min_value=0, max_value=10_000)] * 5).filter(any))
def test_level_chart_heights_are_proportional(bands: tuple[int, int, int, int, int]) -> None:
    svg = chart(overview_of(bands=bands)._repr_html_(), "Level distribution")
    heights = bars(svg, "height")
    assert len(heights) == 5
    top = max(bands)
    for height, count in zip(heights, bands, strict=True):
        assert height == pytest.approx(PLOT * count / top, abs=0.005 + 1e-9)
    # The text alternative carries the exact numbers.
    label = svg.get("aria-label") or ""
    for band, count in zip(BANDS, bands, strict=True):
        assert f"{band}: {count} learner" in label


def test_progress_chart_widths_are_percentages_and_none_is_no_attendee() -> None:
    svg = chart(overview_of()._repr_html_(), "Progress by course")
    # 50 % and 25 % of a full bar; the course without attendee has no bar.
    full = full_bar(svg)
    assert bars(svg, "width") == pytest.approx([full / 2, full / 4], abs=0.01)
    assert svg.get("aria-label") == (
        "Progress by course: Half: 50% (5 attendees of 10 completed it), "
        "Quarter: 25% (2 attendees of 10 completed it), Nobody yet: no attendee"
    )
    shown = texts(svg)
    assert "no attendee" in shown
    assert "50% (5 of 10)" in shown  # the value, with its count of attendees
    assert "Half" in shown
    assert "Quarter" in shown


@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=8))
def test_progress_chart_widths_are_proportional(percents: list[float]) -> None:
    courses = tuple(
        CourseProgress(block_id=f"c{i}", title=f"Course {i}", completed=i, percent=p)
        for i, p in enumerate(percents)
    )
    svg = chart(overview_of(courses=courses)._repr_html_(), "Progress by course")
    full = full_bar(svg)
    assert bars(svg, "width") == pytest.approx([full * p / 100 for p in percents], abs=0.01)


def test_score_chart_draws_each_scored_block() -> None:
    scores = (
        BlockScore(block_id="a", title="Course A", average=72.5),
        BlockScore(block_id="q", title="Quiz", average=None),
    )
    svg = chart(overview_of(scores=scores)._repr_html_(), "Score by block")
    assert bars(svg, "width") == pytest.approx([full_bar(svg) * 0.725], abs=0.01)
    assert "73%" in texts(svg)  # 72.5 rounds half-up
    assert "no score" in texts(svg)
    assert svg.get("aria-label") == ("Score by block: Course A: average score 73%, Quiz: no score")


def test_long_course_titles_are_shortened_in_the_picture_only() -> None:
    title = "A very long course title that goes on and on, and on and on and on"
    courses = (CourseProgress(block_id="a", title=title, completed=1, percent=10.0),)
    svg = chart(overview_of(courses=courses)._repr_html_(), "Progress by course")
    shown = [text for text in svg.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
    assert len(shown) == 1
    assert shown[0].findtext(f"{SVG}title") == title  # the tooltip keeps it whole
    picture = (shown[0].text or "") + "".join(t.tail or "" for t in shown[0])
    assert picture.endswith("…")
    assert title.startswith(picture[:-1])
    # The label column takes at most 40 % of the chart, from its left edge.
    assert text_width(picture) <= 0.4 * WIDTH
    assert float(shown[0].get("x", "nan")) - text_width(picture) >= 0
    assert title in (svg.get("aria-label") or "")


def test_empty_overview_draws_no_data_charts() -> None:
    html = overview_of(bands=(0, 0, 0, 0, 0), courses=(), scores=())._repr_html_()
    parse_strictly(html)
    level = chart(html, "Level distribution")
    assert level.get("aria-label") == "Level distribution: no data (no attendee has a score)"
    assert "No data: no attendee has a score" in "".join(level.itertext())
    progress = chart(html, "Progress by course")
    assert progress.get("aria-label") == (
        "Progress by course: no data (the session has no course block)"
    )
    score = chart(html, "Score by block")
    assert score.get("aria-label") == "Score by block: no data (the session has no scored block)"
    for svg in (level, progress, score):
        assert svg.get("role") == "img"
        assert bars(svg, "height") == []


def test_a_session_nobody_started_draws_no_data_charts() -> None:
    session = attrs.evolve(tiny_session(), attempts=(), attendances=())
    html = session_overview(session)._repr_html_()
    assert chart(html, "Progress by course").get("aria-label") == (
        "Progress by course: no data (no attendee yet)"
    )
    assert chart(html, "Score by block").get("aria-label") == (
        "Score by block: no data (no learner has a score yet)"
    )


def test_overview_of_a_real_session() -> None:
    overview = session_overview(tiny_session())
    html = overview._repr_html_()
    parse_strictly(html)
    check_static(html)
    heights = bars(chart(html, "Level distribution"), "height")
    top = max(overview.level_distribution)
    assert heights == [PLOT * n / top for n in overview.level_distribution]


# --------------------------------------------------------------------------- dashboard


def test_months_chart_heights_labels_and_words() -> None:
    html = dashboard_of()._repr_html_()
    parse_strictly(html)
    svg = chart(html, "Sessions in progress per month")
    assert bars(svg, "height") == [0, 35, 70, 140, 140, 105, 70, 35, 0, 0, 35, 70]
    label = svg.get("aria-label") or ""
    assert label.startswith(
        "Sessions in progress per month: December 2025: 0 sessions, January 2026: 1 session, "
    )
    assert label.endswith("November 2026: 2 sessions")
    shown = texts(svg)
    assert shown[1:5] == ["Sessions", "0", "Dec", "2025"]  # unit, then value, month, year
    assert "Jan" in shown
    assert "2026" in shown
    assert shown[-1] == "Month"


def test_online_vs_blended_chart() -> None:
    html = dashboard_of(online=3, blended=1)._repr_html_()
    svg = chart(html, "Online vs blended")
    # Counts on a 0-1-2-3 axis: 3 is the full bar.
    full = full_bar(svg)
    assert bars(svg, "width") == pytest.approx([full, full / 3], abs=0.01)
    assert svg.get("aria-label") == "Online vs blended: 100% online: 3 sessions, Blended: 1 session"
    assert [t for t in texts(svg) if t.isdigit()][:4] == ["0", "1", "2", "3"]


def test_empty_dashboard_draws_no_data_charts() -> None:
    html = dashboard_of((0,) * 12, online=0, blended=0)._repr_html_()
    parse_strictly(html)
    months = chart(html, "Sessions in progress per month")
    assert (months.get("aria-label") or "").endswith(
        "no data (no session of the group was in progress)"
    )
    delivery = chart(html, "Online vs blended")
    assert delivery.get("aria-label") == (
        "Online vs blended: no data (no session in the last 12 months)"
    )
    assert bars(months, "height") == bars(delivery, "width") == []


def test_dashboard_of_the_demo_world() -> None:
    world = synthetic_world(learners=12, sessions=12, seed=0)
    board = group_dashboard("paris-sales", world.sessions, world.directory, DEFAULT_ANCHOR, "UTC")
    html = board._repr_html_()
    parse_strictly(html)
    check_static(html)
    counts = [count for _, count in board.ongoing_per_month]
    heights = bars(chart(html, "Sessions in progress per month"), "height")
    assert heights == pytest.approx([PLOT * c / max(counts) for c in counts], abs=0.005)


# --------------------------------------------------------------------------- safety


def hostile_overview() -> SessionOverview:
    courses = (
        CourseProgress(block_id="a", title=HOSTILE, completed=1, percent=10.0),
        CourseProgress(block_id="b", title=RTL, completed=2, percent=20.0),
    )
    return overview_of(courses=courses)


def test_hostile_titles_are_escaped_everywhere() -> None:
    renderings = [
        hostile_overview()._repr_html_(),
        dashboard_of(title=HOSTILE)._repr_html_(),
        Table(header=(HOSTILE,), rows=[(HOSTILE,), (RTL,)])._repr_html_(),
    ]
    for html in renderings:
        check_static(html)
        assert "&lt;script&gt;" in html
        parsed = parse_strictly(html)
        assert parsed.find(".//script") is None
        for svg in svgs(html):
            assert svg.get("role") == "img"
    # The text alternative reads back exactly, quotes and all.
    svg = chart(renderings[0], "Progress by course")
    assert svg.get("aria-label") == (
        f"Progress by course: {HOSTILE}: 10% (1 attendee of 10 completed it), "
        f"{RTL}: 20% (2 attendees of 10 completed it)"
    )
    parsed = parse_strictly(renderings[0])
    labels = [el.get("aria-label") for el in parsed.iter() if el.get("aria-label")]
    assert any(HOSTILE in label for label in labels)


# Any text a title may hold (not NUL, no lone surrogate), biased to markup.
titles = st.text(
    alphabet=st.one_of(
        st.sampled_from("<>&\"'=/ \t\n\r\x1b\x7f\ufffe\u202e"),
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    ),
    max_size=30,
)


@given(st.lists(titles, min_size=1, max_size=4), titles)
def test_any_text_renders_as_html_and_xml_that_parse(course_titles: list[str], title: str) -> None:
    courses = tuple(
        CourseProgress(block_id=f"c{i}", title=text, completed=1, percent=10.0 * i)
        for i, text in enumerate(course_titles)
    )
    renderings = [
        overview_of(courses=courses)._repr_html_(),
        dashboard_of(title=title)._repr_html_(),
        Table(header=("T",), rows=[(text,) for text in course_titles])._repr_html_(),
    ]
    for html in renderings:
        check_static(html)
        parsed = parse_strictly(html)  # raises on any parse error
        assert parsed.find(".//script") is None
        assert len(svgs(html)) == html.count("<svg")  # each one parses as XML
    # What a screen reader gets: the words, with every title as written.
    parsed = parse_strictly(renderings[0])
    labels = [el.get("aria-label") for el in parsed.iter() if el.get("aria-label")]
    progress = next(label for label in labels if label.startswith("Progress by course: "))
    for text in course_titles:
        assert f"{escape_text_back(text)}: " in progress


def escape_text_back(text: str) -> str:
    """``text`` as it reads back from HTML: unwritable characters replaced, CR LF as LF."""
    replaced = "".join("\ufffd" if _unwritable(char) else char for char in text)
    return replaced.replace("\r\n", "\n").replace("\r", "\n")


def _unwritable(char: str) -> bool:
    code = ord(char)
    return (
        (code < 0x20 and char not in "\t\n\r")
        or 0x7F <= code <= 0x9F
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
    )


def test_text_cells_take_their_own_direction() -> None:
    html = hostile_overview()._repr_html_()
    assert f'<td dir="auto">{RTL}</td>' in html
    table_html = Table(header=("Name",), rows=[(RTL,)])._repr_html_()
    assert f'<td dir="auto">{RTL}</td>' in table_html


def test_same_input_same_bytes() -> None:
    assert hostile_overview()._repr_html_() == hostile_overview()._repr_html_()
    assert dashboard_of()._repr_html_() == dashboard_of()._repr_html_()


# --------------------------------------------------------------------------- result tuples


def test_result_tuples_are_plain_tuples_in_every_other_way() -> None:
    session, directory = tiny_session(), tiny_directory()
    for results in (
        learner_results(session, directory),
        group_results(session, directory),
        block_results(session),
    ):
        assert isinstance(results, ResultTuple)
        plain = tuple(results)
        assert results == plain
        assert plain == results
        assert hash(results) == hash(plain)
        assert repr(results) == repr(plain)
        again = pickle.loads(pickle.dumps(results))
        assert again == plain
        assert type(again) is type(results)


def test_result_tuples_show_text_as_it_is() -> None:
    # A notebook is not a spreadsheet: no "'" before text starting with "=".
    directory = tiny_directory()
    users = [attrs.evolve(u, last_name="=" + u.last_name) for u in directory.users.values()]
    renamed = Directory(users=users, groups=list(directory.groups.values()))
    html = learner_results(tiny_session(), renamed)._repr_html_()
    assert '<td dir="auto">=Alves</td>' in html
    assert "&#x27;=" not in html


def test_a_result_tuple_of_another_kind_says_how_many() -> None:
    results = ResultTuple(
        [
            GroupResult(
                group_id="g", name="G", users=1, attendance=None, progress=None, score=None, level=0
            )
        ]
    )
    html = results._repr_html_()
    assert "1 result." in html
    parse_strictly(html)


def test_show_is_the_display_of_the_value_with_its_names() -> None:
    session = tiny_session()
    overview = session_overview(session)
    assert show(overview)._repr_html_() == overview._repr_html_()
    named = show(overview, session=session)._repr_html_()
    title = re.compile(r'<div class="ps-title">.*?</div>')
    assert title.findall(named) == [
        '<div class="ps-title">Session overview — <span dir="auto">Onboarding, March</span> '
        '<span class="ps-id">(s1)</span></div>'
    ]
    assert title.sub("", named) == title.sub("", overview._repr_html_())  # the rest alike
