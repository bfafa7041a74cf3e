"""Self-contained HTML report pages (programstats.display.pages) and ``report --format html``.

A page is one document with inline CSS and SVG, no script and nothing to
fetch, fit for A4; it shows the numbers of the CSV report written with the
same options — checked here cell by cell against the CSV, and in a real
browser in tests/test_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

import attrs
import html5lib
import pytest

from programstats import (
    Directory,
    ExportOptions,
    InvalidInputError,
    Table,
    cli,
    group_dashboard,
)
from programstats.display import dashboard_page, overview_page, report_page, table_page
from programstats.display.svg import SVG_NAMESPACE
from programstats.examples import tiny_directory, tiny_session
from programstats.formatting import protect_text
from programstats.records import World, to_record
from programstats.synthetic import synthetic_world

EVIL = "<script>alert(1)</script>"
NOW = "2026-11-01T09:00:00+00:00"
PERCENT = {
    "overview": {"Average score", "Course completed percent", "Block average score"},
    "groups": {"Attendance", "Progress", "Score"},
    "blocks": {"Average score", "Slot average attendance"},
    "group": {"Progress", "Score"},
}
KINDS = {"COURSE": "Course", "ASSESSMENT": "Assessment", "CLASSROOM": "Classroom"}


# --------------------------------------------------------------------------- reading


def parse(html: str) -> Any:
    """Parse a whole document strictly: html5lib raises on any parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def grid(rows: list[Any]) -> list[list[str]]:
    """Cell texts of ``tr`` elements, a spanning cell repeated in every row and column."""
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


def tables(html: str) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    """Every table with a header, named by its caption, else by the heading of its
    section, else "table": its columns and its rows (dicts by column label)."""
    tree = parse(html)
    sections = {
        id(table): text(section.find("h2"))
        for section in tree.iter("section")
        for table in section.iter("table")
    }
    found = {}
    for table in tree.iter("table"):
        heads = table.findall("thead/tr")
        if not heads:
            continue
        caption = table.find("caption")
        name = text(caption) if caption is not None else sections.get(id(table), "table")
        assert name not in found, name
        header = grid(heads)[-1]
        rows = [dict(zip(header, row, strict=True)) for row in grid(table.findall("tbody/tr"))]
        found[name] = (header, rows)
    return found


def figures(html: str) -> dict[str, str]:
    found = {}
    for tr in parse(html).iter("tr"):
        head, cells = tr.find("th"), tr.findall("td")
        if head is not None and head.get("scope") == "row" and len(cells) == 1:
            found[text(head)] = text(cells[0])
    return found


def shown(report: str, column: str, cell: str) -> str:
    """A CSV cell as the page shows it."""
    if not cell:
        return "-"
    if column in PERCENT.get(report, ()):
        return cell + "%"
    if column == "Kind":
        return KINDS[cell]
    return cell


def same(report: str, column: str, cell: str, found: str) -> bool:
    """Whether a page shows the CSV's ``cell``: a result's page shows text as it is,
    without the ``'`` the CSV puts before text a spreadsheet would run."""
    return found == shown(report, column, cell) or protect_text(found) == cell


def check_static(html: str) -> None:
    """A self-contained page: nothing runs, nothing is fetched."""
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"\son\w+\s*=", lowered)
    assert "href" not in lowered
    assert "src=" not in lowered
    assert "url(" not in lowered
    assert "@import" not in lowered
    assert "<link" not in lowered
    assert "<iframe" not in lowered
    assert "<img" not in lowered
    assert "http" not in lowered.replace(f'xmlns="{SVG_NAMESPACE}"', "")


def check_page(html: str) -> Any:
    assert html.startswith("<!doctype html>")
    assert html.endswith("</html>\n")
    check_static(html)
    tree = parse(html)
    head = tree.find("head")
    assert head.find("meta").get("charset") == "utf-8"
    assert text(head.find("title"))
    styles = head.findall("style")
    assert len(styles) == 1
    css = text(styles[0])
    assert "@page{size:A4" in css
    assert "@media print{" in css
    assert "break-inside:avoid" in css
    assert len(tree.findall(".//style")) == 1  # the displays in it carry no stylesheet of their own
    assert len(tree.findall(".//h1")) == 1
    return tree


# --------------------------------------------------------------------------- pages


def test_overview_page_is_a_whole_self_contained_document() -> None:
    html = overview_page(tiny_session(), tiny_directory())
    tree = check_page(html)
    assert text(tree.find("head/title")) == "Session overview — Onboarding, March (s1)"
    assert text(tree.find(".//h1")) == "Session overview — Onboarding, March (s1)"
    assert [text(h2) for h2 in tree.iter("h2")] == [
        "General",
        "Results by group",
        "Detailed results per block",
    ]
    meta = text(next(p for p in tree.iter("p") if p.get("class") == "ps-meta"))
    assert meta == (
        "Program template: Onboarding (onboarding). From 2026/03/02 09:00 to 2026/03/31 18:00. "
        "Times in UTC."
    )
    assert len(re.findall(r"<svg\b", html)) == 3
    # The sections carry no title of their own (the page's headings say it).
    assert 'class="ps-title"' not in html


def test_overview_page_in_the_options_time_zone() -> None:
    html = overview_page(
        tiny_session(), tiny_directory(), options=ExportOptions(timezone="Asia/Tokyo")
    )
    assert "From 2026/03/02 18:00 to 2026/04/01 03:00. Times in Asia/Tokyo." in html


def test_dashboard_page() -> None:
    now = datetime(2026, 4, 10, tzinfo=timezone.utc)
    directory = tiny_directory()
    board = group_dashboard("sales", [tiny_session()], directory, now, "UTC")
    html = dashboard_page(board, directory=directory, now=now)
    tree = check_page(html)
    assert text(tree.find("head/title")) == "Group dashboard — Sales (sales)"
    assert "As of 2026/04/10 00:00. Times in UTC." in html
    assert len(re.findall(r"<svg\b", html)) == 2
    assert text(tree.find(".//h1")) == "Group dashboard — Sales (sales)"
    assert "Last 12 months: May 2025 to April 2026." in html
    plain = dashboard_page(board)  # without the directory: the id alone
    assert "<title>Group dashboard — sales</title>" in plain


def test_table_page_shows_every_row_and_prints_a_wide_table_as_cards() -> None:
    rows = [(str(n), str(n * n)) for n in range(500)]
    html = table_page(Table(header=("n", "square"), rows=rows), title="Squares")
    check_page(html)
    assert "500 rows × 2 columns." in html  # noqa: RUF001
    assert len(tables(html)["table"][1]) == 500  # every row, not a head and tail
    assert "not shown" not in html
    assert " data-label=" not in html
    # More than 12 columns: on paper, one card per row, each cell under its column's name.
    wide = Table(header=(*(f"c{n}" for n in range(12)), EVIL), rows=[tuple("x" * 13)])
    html = table_page(wide, title="Wide")
    cells = list(parse(html).iter("td"))
    assert [td.get("data-label") for td in cells] == [*(f"c{n}" for n in range(12)), EVIL]
    assert f'data-label="{escape(EVIL)}"' in html
    assert '<table class="ps-wide"' in html
    assert "content:attr(data-label)" in html
    narrow = Table(header=tuple(f"c{n}" for n in range(12)), rows=[tuple("x" * 12)])
    assert " data-label=" not in table_page(narrow, title="Twelve")
    # A notebook shows wide tables as tables: no card, no label per cell.
    assert " data-label=" not in wide._repr_html_()


def nasty() -> tuple[Any, Directory]:
    tiny, directory = tiny_session(), tiny_directory()
    session = attrs.evolve(
        tiny,
        name=f"{EVIL} & {tiny.name}",
        template=attrs.evolve(tiny.template, name=f"{EVIL} & T"),
        blocks=[attrs.evolve(b, title=f"{EVIL} & {b.title}") for b in tiny.blocks],
        slots=[attrs.evolve(s, title=f"{EVIL} & {s.title}") for s in tiny.slots],
    )
    groups = [attrs.evolve(g, name=f"{EVIL} & {g.name}") for g in directory.groups.values()]
    return session, Directory(users=list(directory.users.values()), groups=groups)


def test_every_user_string_is_escaped_on_every_page() -> None:
    session, directory = nasty()
    now = datetime(2026, 4, 10, tzinfo=timezone.utc)
    board = group_dashboard("sales", [session], directory, now, "UTC")
    pages = [
        overview_page(session, directory),
        dashboard_page(board, directory=directory, now=now),
        table_page(Table(header=(EVIL,), rows=[(EVIL,)]), title=EVIL, about=EVIL, meta=EVIL),
    ]
    for html in pages:
        check_page(html)
        assert "&lt;script&gt;" in html
        assert EVIL not in html
        assert parse(html).find(".//script") is None
        assert EVIL in text(parse(html).find("head/title"))


def test_pages_refuse_what_they_cannot_show() -> None:
    with pytest.raises(InvalidInputError):
        overview_page("s1", tiny_directory())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        dashboard_page(tiny_session())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        table_page([("a",)], title="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="unknown report"):
        report_page(
            "nonsense", Table(header=("a",), rows=[]), directory=tiny_directory(), sessions=[]
        )


def test_same_input_same_bytes() -> None:
    assert overview_page(tiny_session(), tiny_directory()) == overview_page(
        tiny_session(), tiny_directory()
    )


# --------------------------------------------------------------------------- the command line


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, bytes]:
    try:
        status = cli.main(list(argv))
    except SystemExit as stop:
        status = int(stop.code or 0)
    captured = capsysbinary.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def world_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world document of ``demo --world --learners 24 --sessions 3``."""
    world = synthetic_world(learners=24, sessions=3, seed=0)
    path = tmp_path_factory.mktemp("world") / "world.json"
    doc = to_record(World(directory=world.directory, sessions=world.sessions))
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def needed(report: str, path: Path, more: tuple[str, ...]) -> tuple[str, ...]:
    """The ids a report of real data needs (the first session's, unless ``more`` gives them)."""
    first = json.loads(path.read_text(encoding="utf-8"))["sessions"][0]
    option, value = {
        "group": ("--group", "paris-sales"),
        "template": ("--template", first["template"]["id"]),
        "overview": ("--session", first["id"]),
        "groups": ("--session", first["id"]),
        "blocks": ("--session", first["id"]),
    }.get(report, ("", ""))
    return more if not option or option in more else (*more, option, value)


def report_pair(
    capsysbinary: pytest.CaptureFixture[bytes], report: str, path: Path, *more: str
) -> tuple[list[list[str]], str]:
    """The CSV rows and the HTML page of one report with the same arguments."""
    more = needed(report, path, more)
    status, found, err = run(capsysbinary, "report", report, str(path), "--now", NOW, *more)
    assert status == 0, err
    status, page, err = run(
        capsysbinary, "report", report, str(path), "--now", NOW, "--format", "html", *more
    )
    assert status == 0, err
    assert err == b""
    return list(csv.reader(io.StringIO(found.decode("utf-8"), newline=""))), page.decode("utf-8")


TABLE_REPORTS = ["learners", "sessions", "collaboration", "template", "problems"]


@pytest.mark.parametrize("report", TABLE_REPORTS)
def test_table_reports_show_every_cell_of_their_csv(
    report: str, world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    rows, html = report_pair(capsysbinary, report, world_file, "--tz", "Europe/Paris")
    check_page(html)
    header, found = tables(html)["table"]
    assert header == rows[0]
    assert [[row[name] for name in header] for row in found] == [
        [cell or "-" for cell in row] for row in rows[1:]
    ]
    assert f"{len(rows) - 1} row" in html


def test_the_overview_page_shows_the_numbers_of_three_csv_reports(
    world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = json.loads(world_file.read_text(encoding="utf-8"))
    second = doc["sessions"][1]["id"]
    rows, html = report_pair(capsysbinary, "overview", world_file, "--session", second)
    check_page(html)
    assert f"({second})</title>" in html
    found = tables(html)
    numbers = figures(html)
    courses = {row["Block ID"]: row for row in found["Progress by course"][1]}
    scores = {row["Block ID"]: row for row in found["Score by block"][1]}
    level = re.search(r'aria-label="Level distribution: ([^"]*)"', html)
    assert level is not None
    checked = 0
    for statistic, block_id, title, value in rows[1:]:
        expected = shown("overview", statistic, value)
        if statistic == "Course completed":
            assert courses[block_id]["Course completed"] == expected
            assert same("overview", "Course", title, courses[block_id]["Course"])
        elif statistic == "Course completed percent":
            assert courses[block_id]["Course completed percent"] == expected
        elif statistic == "Block average score":
            assert scores[block_id]["Block average score"] == expected
            assert same("overview", "Block title", title, scores[block_id]["Block title"])
        elif statistic.startswith("Level "):
            band = statistic[len("Level ") :].replace("-", "–")  # noqa: RUF001
            assert f"{band}: {value} learner" in level.group(1)
        else:
            assert numbers[statistic] == expected, statistic
        checked += 1
    assert checked == len(rows) - 1 > 10
    # The results by group and per block on the same page are those of their reports.
    for report in ("groups", "blocks"):
        csv_rows, _ = report_pair(capsysbinary, report, world_file, "--session", second)
        section = "Results by group" if report == "groups" else "Detailed results per block"
        check_rows(report, csv_rows, found[section])


def check_rows(
    report: str,
    csv_rows: list[list[str]],
    page: tuple[list[str], list[dict[str, str]]],
    rename: dict[str, str] | None = None,
) -> None:
    """Every cell of the CSV, in the page's row of the same place and the column of its name."""
    header, rows = page
    assert len(rows) == len(csv_rows) - 1
    for csv_row, row in zip(csv_rows[1:], rows, strict=True):
        for column, cell in zip(csv_rows[0], csv_row, strict=True):
            label = (rename or {}).get(column, column)
            assert label in header, label
            assert same(report, column, cell, row[label]), (column, cell, row)


@pytest.mark.parametrize("report", ["groups", "blocks"])
def test_results_pages_show_the_numbers_of_their_csv(
    report: str, world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    rows, html = report_pair(capsysbinary, report, world_file)
    check_page(html)
    (page,) = tables(html).values()
    check_rows(report, rows, page)


def test_the_group_page_shows_the_numbers_of_its_csv(
    world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    rows, html = report_pair(capsysbinary, "group", world_file, "--group", "paris-sales")
    check_page(html)
    assert "<title>Group dashboard — Paris Sales (paris-sales)</title>" in html
    # The CSV's "Attendance" (how many started) is the page's "Started";
    # the page's "Attendance" is that as a percentage of the learners.
    page = tables(html)["Sessions"]
    check_rows("group", rows, page, rename={"Attendance": "Started"})
    for row in page[1]:
        learners, started = int(row["Learners"]), int(row["Started"])
        percent = f"{round(100 * started / learners)}%" if learners else "-"
        assert row["Attendance"] == percent


def test_format_csv_is_the_default(
    world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    _, default, _ = run(capsysbinary, "report", "sessions", str(world_file))
    _, explicit, _ = run(capsysbinary, "report", "sessions", str(world_file), "--format", "csv")
    assert default == explicit
    assert default.startswith(b"SESSION ID,")
    status, _, err = run(capsysbinary, "report", "sessions", str(world_file), "--format", "pdf")
    assert status == 2 and b"--format" in err


def test_every_report_page_is_self_contained(
    world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    titles = set()
    for report in cli.REPORTS:
        _, html = report_pair(capsysbinary, report, world_file)
        tree = check_page(html)
        titles.add(text(tree.find("head/title")).split(" — ")[0])
    assert titles == {
        "Per-learner export",
        "Sessions",
        "Group dashboard",
        "Collaborative activity",
        "Program template",
        "Session overview",
        "Results by group",
        "Detailed results per block",
        "Problems found in the data",
    }
