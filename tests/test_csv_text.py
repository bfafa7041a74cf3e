"""The export's CSV text is the bytes ``csv.writer`` writes from its rows.

:func:`write_csv` writes a library export from text the export produces a
chunk of rows at a time (:func:`csv_cell` / :func:`csv_column` quote it),
not through ``csv.writer``. These tests compare the two on text chosen to
need quoting: delimiters, quotes, line breaks, formulas.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programstats import (
    Directory,
    ExportOptions,
    InvalidInputError,
    Table,
    learner_export,
    write_csv,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.export import joined_rows
from programstats.options import DELIMITERS
from programstats.strategies import directories, sessions, texts
from programstats.table import LazyRows, csv_cell, csv_column

TRICKY = ['"', '""', ",", ";", "\t", "|", "\r", "\n", "\r\n", "a,b", 'say "hi"', "=1+1", " ", ""]
CELLS = st.one_of(st.sampled_from(TRICKY), texts(), st.lists(st.sampled_from(TRICKY)).map("".join))


def writer_line(cells: tuple[str, ...], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


@given(CELLS, st.sampled_from(DELIMITERS))
def test_a_cell_is_written_as_csv_writer_writes_it(cell: str, delimiter: str) -> None:
    assert writer_line(("x", cell), delimiter) == f"x{delimiter}{csv_cell(cell, delimiter)}\r\n"


@given(st.lists(CELLS), st.sampled_from(DELIMITERS))
def test_a_column_is_its_cells_written_one_by_one(cells: list[str], delimiter: str) -> None:
    assert csv_column(cells, delimiter) == [csv_cell(cell, delimiter) for cell in cells]


def test_a_column_needing_no_quote_is_returned_as_it_is() -> None:
    cells = ["a", "b c", "d;e"]
    assert csv_column(cells, ",") is cells
    assert csv_column(cells, ";") == ["a", "b c", '"d;e"']


def test_quotes_are_doubled_inside_quoted_cells() -> None:
    assert csv_cell('say "hi"', ",") == '"say ""hi"""'
    assert csv_cell("a\r\nb", "|") == '"a\r\nb"'
    assert csv_cell("a|b", "|") == '"a|b"'
    assert csv_cell("a|b", ",") == "a|b"


def tricky(user: Any, draw: st.DrawFn) -> Any:
    """The user with names, e-mail, information and custom fields that need quoting."""
    return attrs.evolve(
        user,
        last_name=draw(CELLS),
        first_name=draw(CELLS),
        additional_information=draw(CELLS),
        custom_fields={
            title: draw(CELLS) for title in draw(st.lists(CELLS.filter(bool), max_size=2))
        },
    )


@st.composite
def tricky_worlds(draw: st.DrawFn) -> tuple[Directory, tuple[Any, ...]]:
    base = draw(directories(max_users=4, max_groups=3))
    directory = Directory(
        users=[tricky(user, draw) for user in base.users.values()],
        groups=list(base.groups.values()),
    )
    count = draw(st.integers(min_value=1, max_value=2))
    found = tuple(
        draw(sessions(directory, session_id=f"s{n}", max_blocks=3, max_attempts=8))
        for n in range(count)
    )
    return directory, found


@settings(max_examples=40)
@given(
    tricky_worlds(),
    st.sampled_from(DELIMITERS),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0, 2]),
)
def test_export_text_is_what_csv_writer_writes_from_its_rows(
    world: tuple[Directory, tuple[Any, ...]],
    delimiter: str,
    bom: bool,
    protect: bool,
    decimals: int,
) -> None:
    directory, found = world
    options = ExportOptions(
        delimiter=delimiter, bom=bom, protect_formulas=protect, decimals=decimals
    )
    table = learner_export(found, directory, options)
    assert type(table.rows) is LazyRows and table.rows.csv_text is not None
    rows = list(table.rows)
    expected = io.StringIO()
    if bom:
        expected.write("\ufeff")
    writer = csv.writer(expected, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows(rows)
    out = io.StringIO()
    assert write_csv(table, out, options) == len(rows)
    assert out.getvalue() == expected.getvalue()
    only_rows = io.StringIO()
    csv.writer(only_rows, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    rest = io.StringIO()
    assert write_csv(table, rest, options, header=False) == len(rows)
    assert rest.getvalue() == only_rows.getvalue()


def test_a_table_of_one_column_is_written_by_csv_writer() -> None:
    """A line of one empty cell is ``""`` (csv.writer's rule): the text path is not used."""

    def chunks(delimiter: str) -> Any:
        raise AssertionError("the text path must not be used for one column")

    table = Table(header=("A",), rows=LazyRows(lambda: iter([("",), ("b",)]), chunks, 1))
    out = io.StringIO()
    assert write_csv(table, out) == 2
    assert out.getvalue() == 'A\r\n""\r\nb\r\n'


def test_joined_rows_joins_each_row_and_repeats_constants() -> None:
    assert joined_rows([["a", "b"], "k", ["c", "d"]], 2, ";") == ["a;k;c", "b;k;d"]
    assert joined_rows(["k", "l", ["c", "d"]], 2, ",") == ["k,l,c", "k,l,d"]
    assert joined_rows([["a", "b"], "k", "l"], 2, ",") == ["a,k,l", "b,k,l"]


def test_joined_rows_of_one_column_or_constants_only() -> None:
    assert joined_rows([["a", "b", "c"]], 3, ",") == ["a", "b", "c"]
    assert joined_rows(["x", "", "y"], 2, "|") == ["x||y", "x||y"]
    assert joined_rows(["x"], 3, ",") == ["x", "x", "x"]
    assert joined_rows([], 2, ",") == ["", ""]
    assert joined_rows([], 0, ",") == []


def test_export_rows_under_a_header_of_another_width_are_checked_row_by_row() -> None:
    export = learner_export([tiny_session()], tiny_directory())
    wider = Table(header=(*export.header, "extra"), rows=export.rows)
    with pytest.raises(InvalidInputError, match="row 1 has"):
        write_csv(wider, io.StringIO())
    # Same width, other names: the export's own text, under the new header.
    renamed = Table(header=tuple(f"c{i}" for i in range(len(export.header))), rows=export.rows)
    out, expected = io.StringIO(), io.StringIO()
    write_csv(renamed, out)
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(renamed.header)
    writer.writerows(export.rows)
    assert out.getvalue() == expected.getvalue()
