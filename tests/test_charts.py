"""Notebook charts: the SVG of the overview and the dashboard, and the HTML around it.

Every chart is read back: parsed as XML, its bars measured, its text
alternative compared with the numbers it draws.
"""

from __future__ import annotations

import importlib.util
import pickle
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import (
    Directory,
    ExportOptions,
    GroupResult,
    Table,
    block_results,
    block_results_table,
    group_dashboard,
    group_results,
    group_results_table,
    learner_results,
    learner_results_table,
    session_overview,
)
from programstats._html import ResultTuple
from programstats._svg import SVG_NAMESPACE
from programstats.examples import tiny_directory, tiny_session
from programstats.session_stats import BlockScore, CourseProgress, SessionOverview
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world
from programstats.views import GroupDashboard, GroupSessionRow

SVG = f"{{{SVG_NAMESPACE}}}"
HOSTILE = "<script>alert('x')</script> \"Tom\" & Jerry"
RTL = "مريم الحسن"
BANDS = ("0–20", "20–40", "40–60", "60–80", "80–100")  # noqa: RUF001  # en dashes, as shown
PLOT = 120.0  # the height of a full column
BAR_PLOT = 240.0  # the width of a full horizontal bar


# --------------------------------------------------------------------------- helpers


def overview_of(
    *,
    bands: tuple[int, int, int, int, int] = (0, 3, 6, 12, 0),
    courses: tuple[CourseProgress, ...] | None = None,
) -> SessionOverview:
    if courses is None:
        courses = (
            CourseProgress(block_id="a", title="Half", completed=5, percent=50.0),
            CourseProgress(block_id="b", title="Quarter", completed=2, percent=25.0),
            CourseProgress(block_id="c", title="Nobody yet", completed=0, percent=None),
        )
    return SessionOverview(
        registrations=21,
        open_registrations=1,
        waiting_list=0,
        attendees=21,
        progress_by_course=courses,
        completed=4,
        median_time=timedelta(minutes=28, seconds=27, microseconds=777_778),
        average_score=97.77777777777777,
        certificates=2,
        score_by_block=(BlockScore(block_id="a", title="Half", average=72.5),),
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
    assert "http" not in lowered.replace(f'xmlns="{SVG_NAMESPACE}"', "")
    # Every chart: an image with a title, and words that start with that title.
    for svg in svgs(html):
        title = svg.findtext(f"{SVG}title")
        assert svg.get("role") == "img"
        assert title
        assert (svg.get("aria-label") or "").startswith(f"{title}: ")


# --------------------------------------------------------------------------- overview


def test_overview_fields_use_the_export_formats() -> None:
    html = overview_of()._repr_html_()  # type: ignore[attr-defined]
    assert "<th>average_score</th><td>98</td>" in html  # not 97.77777777777777
    assert "<th>median_time</th><td>0:28:28</td>" in html  # not 0:28:27.777778
    assert "<th>registrations</th><td>21</td>" in html
    # score_by_block: 72.5 rounds half-up.
    assert '<td dir="auto">Half</td><td>73</td>' in html


def test_level_chart_bars_are_proportional_to_the_bands() -> None:
    svg = chart(overview_of()._repr_html_(), "Level distribution")  # type: ignore[attr-defined]
    # (0, 3, 6, 12, 0): the largest band is the full 120 px.
    assert bars(svg, "height") == [0.0, 30.0, 60.0, 120.0, 0.0]
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == (
        "Level distribution: 0–20: 0 learners, 20–40: 3 learners, "  # noqa: RUF001
        "40–60: 6 learners, 60–80: 12 learners, 80–100: 0 learners"  # noqa: RUF001
    )
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    for band in BANDS:
        assert band in texts


def test_level_chart_of_one_learner_says_learner() -> None:
    svg = chart(overview_of(bands=(0, 0, 1, 0, 0))._repr_html_(), "Level distribution")  # type: ignore[attr-defined]
    assert "40–60: 1 learner," in (svg.get("aria-label") or "")  # noqa: RUF001


@given(st.tuples(*[st.integers(min_value=0, max_value=10_000)] * 5).filter(any))
def test_level_chart_heights_are_proportional(bands: tuple[int, int, int, int, int]) -> None:
    svg = chart(overview_of(bands=bands)._repr_html_(), "Level distribution")  # type: ignore[attr-defined]
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
    svg = chart(overview_of()._repr_html_(), "Progress by course")  # type: ignore[attr-defined]
    # 50 % and 25 % of a 240 px bar; the course without attendee has no bar.
    assert bars(svg, "width") == [120.0, 60.0]
    label = svg.get("aria-label")
    assert label == (
        "Progress by course: Half: 50% (5 attendees completed it), "
        "Quarter: 25% (2 attendees completed it), Nobody yet: no attendee"
    )
    texts = "".join(svg.itertext())
    assert "no attendee" in texts
    assert "Half" in texts
    assert "Quarter" in texts


@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=8))
def test_progress_chart_widths_are_proportional(percents: list[float]) -> None:
    courses = tuple(
        CourseProgress(block_id=f"c{i}", title=f"Course {i}", completed=i, percent=p)
        for i, p in enumerate(percents)
    )
    svg = chart(overview_of(courses=courses)._repr_html_(), "Progress by course")  # type: ignore[attr-defined]
    widths = bars(svg, "width")
    assert widths == pytest.approx([BAR_PLOT * p / 100 for p in percents], abs=0.005 + 1e-9)


def test_long_course_titles_are_shortened_in_the_picture_only() -> None:
    title = "A very long course title that goes on and on"
    courses = (CourseProgress(block_id="a", title=title, completed=1, percent=10.0),)
    svg = chart(overview_of(courses=courses)._repr_html_(), "Progress by course")  # type: ignore[attr-defined]
    shown = [text for text in svg.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
    assert len(shown) == 1
    assert shown[0].findtext(f"{SVG}title") == title  # the tooltip keeps it whole
    assert (shown[0].text or "") + "".join(t.tail or "" for t in shown[0]) == title[:27] + "…"
    assert title in (svg.get("aria-label") or "")


def test_empty_overview_draws_no_data_charts() -> None:
    html = overview_of(bands=(0, 0, 0, 0, 0), courses=())._repr_html_()  # type: ignore[attr-defined]
    parse_strictly(html)
    level = chart(html, "Level distribution")
    assert level.get("aria-label") == "Level distribution: no data (no attendee has a score)"
    assert "No data: no attendee has a score" in "".join(level.itertext())
    progress = chart(html, "Progress by course")
    assert progress.get("aria-label") == (
        "Progress by course: no data (the session has no course block)"
    )
    for svg in (level, progress):
        assert svg.get("role") == "img"
        assert bars(svg, "height") == []


def test_overview_of_a_real_session() -> None:
    overview = session_overview(tiny_session())
    html = overview._repr_html_()  # type: ignore[attr-defined]
    parse_strictly(html)
    check_static(html)
    heights = bars(chart(html, "Level distribution"), "height")
    top = max(overview.level_distribution)
    assert heights == [PLOT * n / top for n in overview.level_distribution]


# --------------------------------------------------------------------------- dashboard


def test_months_chart_heights_labels_and_words() -> None:
    html = dashboard_of()._repr_html_()  # type: ignore[attr-defined]
    parse_strictly(html)
    svg = chart(html, "Sessions in progress per month")
    assert bars(svg, "height") == [0, 30, 60, 120, 120, 90, 60, 30, 0, 0, 30, 60]
    label = svg.get("aria-label") or ""
    assert label.startswith(
        "Sessions in progress per month: December 2025: 0 sessions, January 2026: 1 session, "
    )
    assert label.endswith("November 2026: 2 sessions")
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts[1:4] == ["0", "Dec", "2025"]  # the title, then value, month, year
    assert "Jan" in texts
    assert "2026" in texts


def test_online_vs_blended_chart() -> None:
    html = dashboard_of(online=3, blended=1)._repr_html_()  # type: ignore[attr-defined]
    svg = chart(html, "Online vs blended")
    assert bars(svg, "width") == [200.0, pytest.approx(66.67)]
    assert svg.get("aria-label") == "Online vs blended: 100% online: 3 sessions, blended: 1 session"


def test_dashboard_fields_use_the_export_formats() -> None:
    html = dashboard_of()._repr_html_()  # type: ignore[attr-defined]
    assert "<th>attendance_rate</th><td>67</td>" in html
    assert "<th>completion_rate</th><td>-</td>" in html
    assert '<td dir="auto">Onboarding</td><td>3</td><td>2</td><td>67</td><td>-</td>' in html


def test_empty_dashboard_draws_no_data_charts() -> None:
    html = dashboard_of((0,) * 12, online=0, blended=0)._repr_html_()  # type: ignore[attr-defined]
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
    html = board._repr_html_()  # type: ignore[attr-defined]
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
        hostile_overview()._repr_html_(),  # type: ignore[attr-defined]
        dashboard_of(title=HOSTILE)._repr_html_(),  # type: ignore[attr-defined]
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
        f"Progress by course: {HOSTILE}: 10% (1 attendee completed it), "
        f"{RTL}: 20% (2 attendees completed it)"
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
        overview_of(courses=courses)._repr_html_(),  # type: ignore[attr-defined]
        dashboard_of(title=title)._repr_html_(),  # type: ignore[attr-defined]
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
    html = hostile_overview()._repr_html_()  # type: ignore[attr-defined]
    assert f'<td dir="auto">{RTL}</td>' in html
    table_html = Table(header=("Name",), rows=[(RTL,)])._repr_html_()
    assert f'<td dir="auto">{RTL}</td>' in table_html


def test_same_input_same_bytes() -> None:
    assert hostile_overview()._repr_html_() == hostile_overview()._repr_html_()  # type: ignore[attr-defined]
    assert dashboard_of()._repr_html_() == dashboard_of()._repr_html_()  # type: ignore[attr-defined]


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


def cells_of(table: Any) -> list[list[str]]:
    """The text of every row of an html5lib ``<table>`` element."""
    return [["".join(td.itertext()) for td in tr.findall("td")] for tr in table.findall("tbody/tr")]


def test_result_tuples_render_as_their_table_form() -> None:
    session, directory = tiny_session(), tiny_directory()
    shown_as_is = ExportOptions(protect_formulas=False)
    for results, form in (
        (learner_results(session, directory), learner_results_table),
        (group_results(session, directory), group_results_table),
        (block_results(session), block_results_table),
    ):
        html = results._repr_html_()  # type: ignore[attr-defined]
        tables = parse_strictly(html).findall("table")
        assert len(tables) == 1
        expected = form(results, shown_as_is)  # type: ignore[operator]
        header = ["".join(th.itertext()) for th in tables[0].findall("thead/tr/th")]
        assert header == list(expected.header)
        assert cells_of(tables[0]) == [list(row) for row in expected.rows]
        assert len(tables[0].findall("tbody/tr")) >= len(results)


def test_result_tuples_show_text_as_it_is() -> None:
    # A notebook is not a spreadsheet: no "'" before text starting with "=".
    directory = tiny_directory()
    users = [attrs.evolve(u, last_name="=" + u.last_name) for u in directory.users.values()]
    renamed = Directory(users=users, groups=list(directory.groups.values()))
    html = learner_results(tiny_session(), renamed)._repr_html_()  # type: ignore[attr-defined]
    assert '<td dir="auto">=Alves</td>' in html
    assert "&#x27;=" not in html


def group_result(number: int) -> GroupResult:
    return GroupResult(
        group_id=f"g{number}",
        name=f"Group {number}",
        users=1,
        attendance=None,
        progress=None,
        score=None,
        level=0,
    )


def test_result_tuples_show_50_rows_and_count_the_rest() -> None:
    results = type(group_results(tiny_session(), tiny_directory()))(
        group_result(number) for number in range(61)
    )
    html = results._repr_html_()  # type: ignore[attr-defined]
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.count("<tr>") == 50
    assert "Group 49" in html
    assert "Group 50" not in html
    assert html.endswith("<p>11 more rows not shown (61 rows in all).</p>")


def test_empty_result_tuple_says_so() -> None:
    empty = type(learner_results(tiny_session(), tiny_directory()))()
    assert empty == ()
    assert empty._repr_html_() == "<p>No learner results.</p>"  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- docs pictures


def test_docs_pictures_are_up_to_date() -> None:
    script = Path(__file__).resolve().parent.parent / "docs" / "make_pictures.py"
    spec = importlib.util.spec_from_file_location("make_pictures", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pictures = module.pictures()
    assert pictures
    for name, svg in pictures.items():
        committed = (module.IMAGES / name).read_text(encoding="utf-8")
        assert committed == svg + "\n", f"docs/images/{name} is stale: run docs/make_pictures.py"
        ET.fromstring(svg)
