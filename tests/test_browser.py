"""Every report page and every display rendered by headless Chromium (SPEC §13).

At 1280 and at 800 px wide: the page itself never scrolls sideways (only a
wide table, inside its box), no chart text leaves its chart or runs into
another, a large table says its size before its rows, and the numbers are
in the rendered text — a report page's numbers being those of its CSV
report. Printed (print media, A4), no chart is wider than the paper.

Chromium is Debian's (``apt-get install -y chromium chromium-driver``),
driven by Selenium (the ``test`` extra), started once for the whole test
session by ``docs/make_pictures.py``'s :func:`chromium`, the one that takes
the documentation's screenshots. Without it these tests skip, loudly (see
``conftest.py``); ``.ci/run`` installs it.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

from programstats import (
    ExportOptions,
    Table,
    block_results,
    cli,
    group_dashboard,
    group_results,
    learner_results,
    session_overview,
)
from programstats.display import show
from programstats.display.svg import FONT_SIZE, text_width
from programstats.examples import tiny_directory, tiny_session
from programstats.records import World, to_record
from programstats.session_stats import CourseProgress
from programstats.synthetic import synthetic_world

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (1280, 800)
A4 = 703  # (210 mm - 2 * 12 mm margins) at 96 px per inch
HOSTILE = "<script>alert('x')</script> \"Tom\" & Jerry"
LONG = "Understanding the customer journey from first contact to renewal, in depth"
RTL = "مريم الحسن"


def load_pictures() -> ModuleType:
    script = ROOT / "docs" / "make_pictures.py"
    spec = importlib.util.spec_from_file_location("make_pictures", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PICTURES = load_pictures()

# What the browser is asked, once a page is loaded. A chart's text is its own
# characters (a label's tooltip <title> left out); two texts overlap when
# their boxes share more than half a pixel both ways.
MEASURE = """
const out = {problems: [], texts: []};
const vw = window.innerWidth;
out.innerWidth = vw;
out.scrollWidth = document.documentElement.scrollWidth;
out.text = document.body.innerText;
const own = t => [...t.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
const shared = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.getBoundingClientRect();
  const name = svg.querySelector('title').textContent;
  if (box.left < -0.5 || box.right > vw + 0.5) out.problems.push(`${name}: leaves the window`);
  const texts = [...svg.querySelectorAll('text')]
      .map(t => ({r: t.getBoundingClientRect(), s: own(t), t}))
      .filter(x => x.r.width > 0);
  for (const {r, s, t} of texts) {
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5
        || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
      out.problems.push(`${name}: "${s}" is clipped by the chart`);
    }
    const style = getComputedStyle(t);
    out.texts.push([s, t.getComputedTextLength(), parseFloat(style.fontSize), style.fontWeight]);
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (shared(texts[i].r, texts[j].r)) {
        out.problems.push(`${name}: "${texts[i].s}" overlaps "${texts[j].s}"`);
      }
    }
  }
}
out.boxes = [...document.querySelectorAll('.ps-scroll')].map(b => [b.scrollWidth, b.clientWidth]);
out.rows = Math.max(0, ...[...document.querySelectorAll('.ps-display tr')]
    .filter(tr => !tr.querySelector('[rowspan]'))
    .map(tr => tr.getBoundingClientRect().height));
out.tables = [...document.querySelectorAll('table')].filter(t => t.tHead).map(t =>
    [...t.tBodies[0].rows].map(tr => [...tr.cells].map(c => c.innerText)));
const note = document.querySelector('.ps-note');
const table = document.querySelector('.ps-display table');
out.note = note ? [note.innerText, note.getBoundingClientRect().top] : null;
out.tableTop = table ? table.getBoundingClientRect().top : null;
out.scripts = document.scripts.length;
out.figures = [...document.querySelectorAll('figure')].map(f => getComputedStyle(f).breakInside);
return out;
"""


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    missing = PICTURES.chromium_missing()
    if missing is not None:
        pytest.skip(missing)
    driver = PICTURES.chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pages")


def measure(
    browser: Any, folder: Path, name: str, html: str, width: int, *, print_media: bool = False
) -> dict[str, Any]:
    """Load ``html`` (from a file) in a viewport ``width`` px wide; what :data:`MEASURE` sees."""
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"media": "print" if print_media else "screen"}
    )
    PICTURES.set_width(browser, width)
    browser.get(path.as_uri())
    found: dict[str, Any] = browser.execute_script(MEASURE)
    return found


def check_layout(found: dict[str, Any], where: str) -> None:
    assert found["innerWidth"] > 0
    assert found["scrollWidth"] <= found["innerWidth"], f"{where}: the page scrolls sideways"
    assert found["problems"] == [], where
    # Cells stay on one line: no row is taller than a line and its padding.
    assert found["rows"] < 30, f"{where}: a table row wraps ({found['rows']} px)"


# --------------------------------------------------------------------------- what is shown


@pytest.fixture(scope="session")
def pictures() -> dict[str, str]:
    return dict(PICTURES.sources())


def notebook_of_every_display() -> str:
    """A notebook page with a cell for every kind of display, hostile text included."""
    session, directory = tiny_session(), tiny_directory()
    now = datetime(2026, 4, 10, tzinfo=timezone.utc)
    overview = session_overview(session)
    board = group_dashboard("sales", [session], directory, now, "UTC")
    learner = learner_results(session, directory)[0]
    blocks = block_results(session)
    hostile = attrs.evolve(
        overview,
        progress_by_course=(
            CourseProgress(block_id="a", title=HOSTILE, completed=1, percent=100.0),
            CourseProgress(block_id="b", title=LONG, completed=2, percent=0.0),
            CourseProgress(block_id="c", title=RTL, completed=2, percent=99.5),
            CourseProgress(block_id="d", title="W" * 60, completed=1000, percent=100.0),
            CourseProgress(block_id="e", title="東京" * 20, completed=0, percent=None),
        ),
        attendees=1000,
        level_distribution=(0, 12_345, 1, 99_999, 7),
    )
    empty_board = attrs.evolve(
        board,
        ongoing_per_month=tuple((day, 0) for day, _ in board.ongoing_per_month),
        online_only=0,
        blended=0,
        sessions=(),
    )
    busy_board = attrs.evolve(
        board,
        ongoing_per_month=tuple(
            (day, 10_000 + n) for n, (day, _) in enumerate(board.ongoing_per_month)
        ),
        online_only=123_456,
        blended=7,
    )
    values: list[tuple[str, str]] = [
        ("overview", show(overview, session=session)._repr_html_()),
        ("hostile overview", hostile._repr_html_()),
        ("dashboard", show(board, directory=directory)._repr_html_()),
        ("empty dashboard", empty_board._repr_html_()),
        ("busy dashboard", busy_board._repr_html_()),
        ("groups", group_results(session, directory)._repr_html_()),
        ("learners", show(learner_results(session, directory), session=session)._repr_html_()),
        ("blocks", blocks._repr_html_()),
        ("course", overview.progress_by_course[0]._repr_html_()),
        ("score", overview.score_by_block[0]._repr_html_()),
        ("group", group_results(session, directory)[0]._repr_html_()),
        ("learner", learner._repr_html_()),
        ("learner block", learner.blocks[0]._repr_html_()),
        ("block", blocks[2]._repr_html_()),
        ("slot", blocks[2].slots[0]._repr_html_()),
        ("session row", board.sessions[0]._repr_html_()),
        ("table", Table(header=(HOSTILE, RTL), rows=[(HOSTILE, RTL)])._repr_html_()),
        ("no results", type(learner_results(session, directory))()._repr_html_()),
        ("paris", show(overview, options=ExportOptions(timezone="Europe/Paris"))._repr_html_()),
    ]
    return PICTURES.notebook("Every display", values)


def world_file(folder: Path) -> Path:
    path = folder / "world.json"
    if not path.exists():
        world = synthetic_world(learners=24, sessions=3, seed=0)
        doc = to_record(World(directory=world.directory, sessions=world.sessions))
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def run_cli(*argv: str) -> str:
    """What ``python -m programstats`` writes for ``argv`` (run in this process)."""
    out = io.BytesIO()
    stream = io.TextIOWrapper(out, encoding="utf-8")
    with contextlib.redirect_stdout(stream):
        status = cli.main(list(argv))
    assert status == 0
    return out.getvalue().decode("utf-8")


@pytest.fixture(scope="session")
def report_pages(folder: Path) -> dict[str, tuple[str, list[list[str]]]]:
    """Every report: its page, and the rows of its CSV (same arguments)."""
    path = world_file(folder)
    found = {}
    first = json.loads(path.read_text(encoding="utf-8"))["sessions"][0]
    ids = {
        "group": ["--group", "paris-sales"],
        "template": ["--template", first["template"]["id"]],
        **{report: ["--session", first["id"]] for report in cli.SESSION_REPORTS},
    }
    for report in cli.REPORTS:
        argv = ["report", report, str(path), "--tz", "Europe/Paris", "--now", "2026-11-01T00:00Z"]
        argv += ids.get(report, [])
        rows = list(csv.reader(io.StringIO(run_cli(*argv), newline="")))
        found[report] = (run_cli(*argv, "--format", "html"), rows)
    return found


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("width", WIDTHS)
def test_every_display_in_a_notebook(browser: Any, folder: Path, width: int) -> None:
    found = measure(browser, folder, "every-display", notebook_of_every_display(), width)
    check_layout(found, f"every display at {width} px")
    text = found["text"]
    for shown in (
        "Session overview — Onboarding, March (s1)",
        "Registrations\t3",
        "Median time\t0:50:00",
        "Average score\t75%",
        "50% (1 of 2)",
        "Group dashboard — Sales (sales)",
        "Attendance rate\t100%",
        "Individual results — Onboarding, March (s1)",
        "Learner result — Ana Alves (ana)",
        "No data: no session of the group was in progress",
        "No learner results.",
        HOSTILE,
        RTL,
        "Times in UTC.",
    ):
        assert shown in text, shown
    assert found["scripts"] == 0  # the hostile text stayed text


@pytest.mark.parametrize("width", WIDTHS)
def test_the_documentation_pictures(
    browser: Any, folder: Path, pictures: dict[str, str], width: int
) -> None:
    for name, html in pictures.items():
        found = measure(browser, folder, name, html, width)
        check_layout(found, f"{name} at {width} px")


def test_a_large_export_says_its_size_first_and_scrolls_in_its_box(
    browser: Any, folder: Path, pictures: dict[str, str]
) -> None:
    found = measure(browser, folder, "notebook-export", pictures["notebook-export"], 800)
    check_layout(found, "a 1,000-row export at 800 px")
    note, top = found["note"]
    assert re.fullmatch(r"1,000 rows × \d+ columns — the first 10 and the last 5 are shown\.", note)  # noqa: RUF001
    assert top < found["tableTop"] < 200  # said before the rows, on the first screen
    (wide,) = [box for box in found["boxes"] if box[0] > box[1]]  # the box scrolls, not the page
    assert wide[0] > 3 * 800
    (rows,) = found["tables"]
    assert len(rows) == 16  # the first 10, the line that says how many are left out, the last 5
    assert rows[10][0].startswith("… 985 more rows not shown")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_report_page_shows_the_numbers_of_its_csv(
    browser: Any,
    folder: Path,
    report_pages: dict[str, tuple[str, list[list[str]]]],
    width: int,
) -> None:
    number = re.compile(r"\d+(?:\.\d+)?|\d+:\d\d:\d\d|\d{4}/\d\d/\d\d \d\d:\d\d")
    for report, (html, rows) in report_pages.items():
        found = measure(browser, folder, f"cli-{report}", html, width)
        check_layout(found, f"the {report} page at {width} px")
        # Every number of the CSV is a whole number of the rendered text (not a piece of one).
        shown = set(re.findall(r"[\d.:/]+", found["text"]))
        for row in rows[1:]:
            for cell in row:
                if number.fullmatch(cell):
                    assert set(cell.split()) <= shown, (report, cell)
        if report in ("learners", "sessions", "collaboration", "template", "problems"):
            (table,) = found["tables"]
            assert table == [[cell or "-" for cell in row] for row in rows[1:]], report


def test_printed_pages_keep_charts_whole_and_on_the_paper(
    browser: Any, folder: Path, report_pages: dict[str, tuple[str, list[list[str]]]]
) -> None:
    for report, (html, _) in report_pages.items():
        found = measure(browser, folder, f"cli-{report}", html, A4, print_media=True)
        assert found["problems"] == [], report
        assert set(found["figures"]) <= {"avoid"}, report  # a chart never breaks across pages
        # Nothing scrolls on paper: tables wrap, a wide one prints as cards.
        assert all(box[0] <= box[1] + 1 for box in found["boxes"]), report
        assert found["scrollWidth"] <= found["innerWidth"], report
        if report == "overview":
            assert len(found["figures"]) == 3


def test_chart_text_is_never_wider_than_its_estimate(browser: Any, folder: Path) -> None:
    # The charts place text by text_width; Chromium's real widths must stay inside it.
    found = measure(browser, folder, "every-display", notebook_of_every_display(), 1280)
    assert len(found["texts"]) > 100
    for shown, width, size, weight in found["texts"]:
        estimate = text_width(shown, size, bold=weight in ("bold", "700"))
        assert width <= estimate + 0.5, (shown, width, estimate)
    assert {size for _, _, size, _ in found["texts"]} >= {FONT_SIZE}


# --------------------------------------------------------------------------- pictures


def test_docs_pictures_are_current(pictures: dict[str, str]) -> None:
    """The screenshots in docs/images show the HTML the library writes today."""
    manifest = json.loads(PICTURES.MANIFEST.read_text(encoding="utf-8"))
    stale = sorted(
        name for name, html in pictures.items() if manifest.get(name) != PICTURES.digest(html)
    )
    assert stale == [], f"docs/images is stale for {stale}: run python docs/make_pictures.py"
    assert set(manifest) == set(pictures), "run python docs/make_pictures.py"
    expected = {f"{name}-{width}.png" for name in pictures for width in PICTURES.WIDTHS}
    found = {path.name for path in PICTURES.IMAGES.glob("*.png")}
    assert found == expected, "run python docs/make_pictures.py"
    for name in expected:
        assert (PICTURES.IMAGES / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_docs_reference_every_picture() -> None:
    docs = "".join(
        (ROOT / "docs" / page).read_text(encoding="utf-8") for page in ("notebook.md", "reports.md")
    )
    for path in PICTURES.IMAGES.glob("*-1280.png"):
        name = path.name.removesuffix("-1280.png")
        assert f"images/{name}-" in docs, name


def test_a_test_skipped_for_a_missing_tool_is_announced_loudly() -> None:
    spec = importlib.util.spec_from_file_location("tests_conftest", ROOT / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)

    class Report:
        def __init__(self, reason: str) -> None:
            self.longrepr = ("tests/test_browser.py", 1, f"Skipped: {reason}")

    class Terminal:
        def __init__(self, *reasons: str) -> None:
            self.stats = {"skipped": [Report(reason) for reason in reasons]}
            self.lines: list[str] = []

        def write_sep(self, sep: str, title: str, **markup: bool) -> None:
            self.lines.append(f"{sep * 3} {title} {sep * 3}")

        def write_line(self, line: str, **markup: bool) -> None:
            self.lines.append(line)

    missing = PICTURES.chromium_missing() or "Chromium is not installed (apt-get install …)"
    terminal = Terminal(missing, missing, "not on this platform")
    conftest.pytest_terminal_summary(terminal, 0, None)
    assert terminal.lines[0] == "!!! SOME TESTS DID NOT RUN: A TOOL IS MISSING !!!"
    assert terminal.lines[1].strip() == missing  # once, however many tests it skipped
    assert len(terminal.lines) == 3
    quiet = Terminal("not on this platform")
    conftest.pytest_terminal_summary(quiet, 0, None)
    assert quiet.lines == []
