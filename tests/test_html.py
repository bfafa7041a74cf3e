"""Notebook display: ``_repr_html_`` of result types and tables, ``Table.to_dicts``."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from html import escape
from typing import Any

import attrs
import pytest

from programstats import (
    BlockKind,
    BlockResult,
    Directory,
    Group,
    GroupDashboard,
    GroupResult,
    InvalidInputError,
    LearnerResult,
    SessionOverview,
    Table,
    User,
    block_results,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
)
from programstats.examples import tiny_directory, tiny_session

EVIL = "<script>alert(1)</script>"
NOW = datetime(2026, 4, 10, tzinfo=timezone.utc)
# An ampersand that does not start one of the entities html.escape writes.
RAW_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|#x27|#39);)")


def check_escaped(html: str) -> None:
    assert "<script>" not in html
    assert "</script>" not in html
    assert "&lt;script&gt;" in html
    assert not RAW_AMPERSAND.search(html), html
    assert "&amp;" in html


def check_fields(record: Any, html: str) -> None:
    """Every field of ``record`` (and of nested records) is shown as a header cell."""
    assert isinstance(html, str)
    assert html.startswith("<table")
    assert html.endswith("</table>")
    for field in attrs.fields(type(record)):
        assert f"<th>{field.name}</th>" in html, field.name
        value = getattr(record, field.name)
        if isinstance(value, tuple) and value and attrs.has(type(value[0])):
            for inner in attrs.fields(type(value[0])):
                assert f"<th>{inner.name}</th>" in html, inner.name


def balanced(html: str, tag: str) -> bool:
    return html.count(f"<{tag}>") + html.count(f"<{tag} ") == html.count(f"</{tag}>")


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


# --------------------------------------------------------------------------- result types


def test_session_overview_html() -> None:
    overview = session_overview(tiny_session())
    assert isinstance(overview, SessionOverview)
    html = overview._repr_html_()  # type: ignore[attr-defined]
    check_fields(overview, html)
    assert "SessionOverview" in html
    assert "Welcome course" in html  # the nested progress_by_course record
    assert "<th>average_score</th><td>75</td>" in html  # rounded half-up, no ".0"
    assert balanced(html, "table")
    assert balanced(html, "tr")


def test_session_overview_html_escapes() -> None:
    html = session_overview(nasty_session())._repr_html_()  # type: ignore[attr-defined]
    check_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Welcome course" in html


def test_learner_result_html() -> None:
    results = learner_results(tiny_session(), tiny_directory())
    for result in results:
        assert isinstance(result, LearnerResult)
        html = result._repr_html_()  # type: ignore[attr-defined]
        check_fields(result, html)
        assert f'<td dir="auto">{result.user_id}</td>' in html
        assert balanced(html, "table")
    ana = results[0]
    html = ana._repr_html_()  # type: ignore[attr-defined]
    # One nested row per block.
    nested = html[html.index("<th>blocks</th>") :]
    assert nested.count("<tr><td") == len(ana.blocks) == 3
    # A missing value shows as "-" (ana is not deleted).
    assert "<th>deleted_at</th><td>-</td>" in html
    # Flags read yes / no; times in the export format, in UTC.
    assert "<th>verified</th><td>yes</td>" in html
    assert "<caption>LearnerResult (times in UTC)</caption>" in html
    dan = results[-1]._repr_html_()  # type: ignore[attr-defined]
    assert "<th>registered</th><td>no</td>" in dan
    assert re.search(r"<th>started_at</th><td>\d{4}/\d\d/\d\d \d\d:\d\d</td>", html)


def test_learner_result_html_escapes() -> None:
    for result in learner_results(nasty_session(), nasty_directory()):
        html = result._repr_html_()  # type: ignore[attr-defined]
        check_escaped(html)
        assert "&amp; Co" in html


def test_group_result_html() -> None:
    results = group_results(tiny_session(), tiny_directory())
    assert results
    for result in results:
        assert isinstance(result, GroupResult)
        html = result._repr_html_()  # type: ignore[attr-defined]
        check_fields(result, html)
        assert f'<td dir="auto">{result.name}</td>' in html


def test_group_result_html_escapes() -> None:
    results = group_results(nasty_session(), nasty_directory())
    assert results
    for result in results:
        check_escaped(result._repr_html_())  # type: ignore[attr-defined]


def test_block_result_html() -> None:
    results = block_results(tiny_session())
    for result in results:
        assert isinstance(result, BlockResult)
        html = result._repr_html_()  # type: ignore[attr-defined]
        check_fields(result, html)
        assert f"<td>{result.kind.name}</td>" in html
        assert balanced(html, "table")
    classroom = next(r for r in results if r.kind is BlockKind.CLASSROOM)
    assert "Paris morning" in classroom._repr_html_()  # type: ignore[attr-defined]


def test_block_result_html_escapes() -> None:
    for result in block_results(nasty_session()):
        check_escaped(result._repr_html_())  # type: ignore[attr-defined]


def test_group_dashboard_html() -> None:
    board = group_dashboard("sales", [tiny_session()], tiny_directory(), NOW, "Europe/Paris")
    assert isinstance(board, GroupDashboard)
    html = board._repr_html_()  # type: ignore[attr-defined]
    check_fields(board, html)
    assert "Onboarding, March" in html  # the nested session row
    assert balanced(html, "table")


def test_group_dashboard_html_escapes() -> None:
    board = group_dashboard("sales", [nasty_session()], nasty_directory(), NOW, "UTC")
    html = board._repr_html_()  # type: ignore[attr-defined]
    check_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Onboarding, March" in html


# --------------------------------------------------------------------------- tables


def numbered_table(count: int) -> Table:
    return Table(header=("n", "square"), rows=[(str(i), str(i * i)) for i in range(count)])


def body_rows(html: str) -> int:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return body.count("<tr>")


def after_table(html: str) -> str:
    return html[html.rindex("</table>") + len("</table>") :]


def test_table_html_lists_header_and_rows() -> None:
    html = numbered_table(3)._repr_html_()
    assert html.startswith("<table")
    assert '<th dir="auto">n</th>' in html
    assert '<th dir="auto">square</th>' in html
    assert body_rows(html) == 3
    assert '<td dir="auto">2</td><td dir="auto">4</td>' in html
    assert after_table(html) == ""


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
        assert f'<th dir="auto">{escape(name)}</th>' in html
    # Group columns are headed by the (nasty) group names.
    assert any(EVIL in name for name in table.header)


@pytest.mark.parametrize("count", [0, 1, 49, 50])
def test_table_html_shows_small_tables_whole(count: int) -> None:
    html = numbered_table(count)._repr_html_()
    assert body_rows(html) == count
    assert after_table(html) == ""


@pytest.mark.parametrize("count", [51, 52, 500])
def test_table_html_shows_at_most_50_rows_and_says_so(count: int) -> None:
    html = numbered_table(count)._repr_html_()
    assert body_rows(html) == 50
    assert '<td dir="auto">49</td>' in html
    assert '<td dir="auto">50</td>' not in html
    more = count - 50
    row_s = "row" if more == 1 else "rows"
    assert after_table(html) == f"<p>{more} more {row_s} not shown ({count} rows in all).</p>"


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
    assert body_rows(html) == 50
    assert rows.produced == 10_000  # counted once, in one pass
    assert "9950 more rows not shown (10000 rows in all)" in html


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
    # Unlike the HTML view, to_dicts is not limited to 50 rows.
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
