"""Tables of strings and their CSV form (SPEC §5, §5.3, §6)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import ExportOptions, InvalidInputError, Table, write_csv
from programstats.table import LazyRows

DELIMITERS = [",", ";", "\t", "|"]


def csv_text(table, options=None):
    stream = io.StringIO()
    count = write_csv(table, stream, options)
    return stream.getvalue(), count


def read_back(text, delimiter=","):
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def people():
    return Table(
        header=("Name", "Score", "Email"),
        rows=[("Ana", "80", "ana@example.com"), ("Bob", "", "bob@example.com")],
    )


# --- Table ------------------------------------------------------------------------


@pytest.mark.parametrize("header", [["a", "b"], ("a", "b"), (name for name in "ab")])
def test_header_is_stored_as_a_tuple_of_str(header):
    table = Table(header=header, rows=[])
    assert type(table.header) is tuple
    assert table.header == ("a", "b")


@pytest.mark.parametrize(
    "header",
    [
        ("ok", "a\x00b"),
        ("\x00",),
        ("ok", "\ud800"),
        ("x\udfffy",),
        ("ok", 1),
        (None,),
        (b"bytes",),
    ],
)
def test_header_rejects_cells_that_are_not_clean_text(header):
    with pytest.raises(InvalidInputError):
        Table(header=header, rows=[])


@pytest.mark.parametrize(
    "rows",
    [
        [("1", "2"), ("3", "4")],
        (("1", "2"), ("3", "4")),
        [],
        (),
        LazyRows(lambda: iter([("1", "2"), ("3", "4")])),
    ],
    ids=["list", "tuple", "empty-list", "empty-tuple", "lazy-rows"],
)
def test_rows_may_be_any_re_iterable(rows):
    table = Table(header=("a", "b"), rows=rows)
    assert list(table.rows) == list(rows)
    assert list(table.rows) == list(table.rows)


def _generator():
    yield ("1", "2")


@pytest.mark.parametrize(
    "make_rows",
    [
        _generator,
        lambda: (row for row in [("1", "2")]),
        lambda: iter([("1", "2")]),
        lambda: map(tuple, [["1", "2"]]),
        lambda: zip(["1"], ["2"], strict=True),
    ],
    ids=["generator-function", "generator-expression", "list-iterator", "map", "zip"],
)
def test_rows_reject_one_shot_iterators(make_rows):
    with pytest.raises(InvalidInputError):
        Table(header=("a", "b"), rows=make_rows())


@pytest.mark.parametrize("rows", [None, 3, "ab"])
def test_rows_reject_non_iterables_and_strings(rows):
    with pytest.raises(InvalidInputError):
        Table(header=("a", "b"), rows=rows)


def test_iterating_rows_twice_gives_the_same_rows():
    calls = []

    def produce():
        calls.append(1)
        yield ("Ana", "80")
        yield ("Bob", "75")

    table = Table(header=("Name", "Score"), rows=LazyRows(produce))
    first = list(table.rows)
    second = list(table.rows)
    assert first == second == [("Ana", "80"), ("Bob", "75")]
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("names", "header", "rows"),
    [
        (["Score"], ("Score",), [("80",), ("",)]),
        (
            ["Email", "Name"],
            ("Email", "Name"),
            [("ana@example.com", "Ana"), ("bob@example.com", "Bob")],
        ),
        (
            ("Name", "Score", "Email"),
            ("Name", "Score", "Email"),
            [("Ana", "80", "ana@example.com"), ("Bob", "", "bob@example.com")],
        ),
        (["Name", "Name"], ("Name", "Name"), [("Ana", "Ana"), ("Bob", "Bob")]),
        ([], (), [(), ()]),
    ],
)
def test_select_keeps_only_those_columns_in_that_order(names, header, rows):
    table = people()
    selected = table.select(names)
    assert isinstance(selected, Table)
    assert selected.header == header
    assert list(selected.rows) == rows
    assert list(selected.rows) == rows  # re-iterable too
    # the original table is untouched
    assert table.header == ("Name", "Score", "Email")
    assert list(table.rows) == list(people().rows)


def test_select_works_on_a_select():
    twice = people().select(["Email", "Name", "Score"]).select(["Score", "Email"])
    assert twice.header == ("Score", "Email")
    assert list(twice.rows) == [("80", "ana@example.com"), ("", "bob@example.com")]
    assert list(twice.rows) == list(twice.rows)


def test_select_on_lazy_rows_is_re_iterable():
    table = Table(header=("a", "b"), rows=LazyRows(lambda: iter([("1", "2"), ("3", "4")])))
    selected = table.select(["b"])
    assert list(selected.rows) == [("2",), ("4",)]
    assert list(selected.rows) == [("2",), ("4",)]


@pytest.mark.parametrize("missing", ["Phone", "name", "Score ", ""])
def test_select_of_an_unknown_name_raises_naming_it(missing):
    with pytest.raises(InvalidInputError) as caught:
        people().select(["Name", missing])
    assert repr(missing) in str(caught.value) or f'"{missing}"' in str(caught.value)


def test_select_of_a_name_present_twice_in_the_header_raises():
    table = Table(header=("a", "b", "a"), rows=[("1", "2", "3")])
    with pytest.raises(InvalidInputError):
        table.select(["a"])
    # the other columns can still be selected
    assert list(table.select(["b"]).rows) == [("2",)]


def test_to_dicts_keys_rows_by_header():
    assert people().to_dicts() == [
        {"Name": "Ana", "Score": "80", "Email": "ana@example.com"},
        {"Name": "Bob", "Score": "", "Email": "bob@example.com"},
    ]
    assert Table(header=("a",), rows=[]).to_dicts() == []


def test_to_dicts_keeps_column_order():
    (first,) = Table(header=("z", "a", "m"), rows=[("1", "2", "3")]).to_dicts()
    assert list(first) == ["z", "a", "m"]


def test_to_dicts_rejects_duplicate_header_names():
    with pytest.raises(InvalidInputError):
        Table(header=("a", "b", "a"), rows=[("1", "2", "3")]).to_dicts()


def test_html_escapes_every_header_and_cell():
    table = Table(
        header=("<script>", "a&b", 'say "x"'),
        rows=[("<script>alert(1)</script>", "Tom & Jerry", "<b>bold</b>")],
    )
    html = table._repr_html_()
    assert "&lt;script&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a&amp;b" in html
    assert "Tom &amp; Jerry" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>" not in html
    assert "<b>" not in html
    assert "Tom & Jerry" not in html


def test_html_shows_every_cell():
    html = people()._repr_html_()
    for cell in ("Name", "Score", "Email", "Ana", "80", "ana@example.com", "Bob"):
        assert cell in html


def _numbered(count):
    return Table(header=("n",), rows=[(f"row-{index}",) for index in range(count)])


def _size_note(html):
    return re.search(r'<p class="ps-note">([^<]*)</p>', html).group(1)


@pytest.mark.parametrize("count", [0, 1, 19, 20])
def test_html_shows_up_to_twenty_rows_whole(count):
    html = _numbered(count)._repr_html_()
    assert html.count("<td") == count
    assert all(f"row-{index}<" in html for index in range(count))
    assert "not shown" not in html
    assert _size_note(html) == f"{count} row{'' if count == 1 else 's'} × 1 column."  # noqa: RUF001


@pytest.mark.parametrize("count", [21, 52, 1000])
def test_html_shows_the_first_ten_and_last_five_rows_with_the_size_first(count):
    html = _numbered(count)._repr_html_()
    assert html.count("<td") == 16  # 15 rows and the line that says how many are not shown
    assert "row-9<" in html
    assert "row-10<" not in html
    assert f"row-{count - 6}<" not in html
    assert f"row-{count - 5}<" in html
    assert f"row-{count - 1}<" in html
    assert html.index(_size_note(html)) < html.index("<table")
    assert f"{count - 15:,} more rows not shown" in html


# --- write_csv --------------------------------------------------------------------


def test_write_csv_writes_header_then_rows_and_returns_the_row_count():
    text, count = csv_text(people())
    assert text == "Name,Score,Email\r\nAna,80,ana@example.com\r\nBob,,bob@example.com\r\n"
    assert count == 2


def test_write_csv_of_an_empty_table_writes_the_header_only():
    text, count = csv_text(Table(header=("a", "b"), rows=[]))
    assert text == "a,b\r\n"
    assert count == 0


def test_write_csv_counts_lazy_rows():
    table = Table(header=("n",), rows=LazyRows(lambda: ((str(i),) for i in range(7))))
    text, count = csv_text(table)
    assert count == 7
    assert text.count("\r\n") == 8


@pytest.mark.parametrize(
    ("delimiter", "cell", "written"),
    [
        (",", "plain", "plain"),
        (",", "two words", "two words"),
        (",", " padded ", " padded "),
        (",", "a;b|c", "a;b|c"),
        (",", "'=1", "'=1"),
        (",", "émoji 😀 שלום", "émoji 😀 שלום"),
        (",", "a,b", '"a,b"'),
        (",", 'say "hi"', '"say ""hi"""'),
        (",", '"', '""""'),
        (",", "a\rb", '"a\rb"'),
        (",", "a\nb", '"a\nb"'),
        (",", "a\r\nb", '"a\r\nb"'),
        (";", "a,b", "a,b"),
        (";", "a;b", '"a;b"'),
        (";", 'x"y', '"x""y"'),
        ("\t", "a,b", "a,b"),
        ("\t", "a\tb", '"a\tb"'),
        ("|", "a|b", '"a|b"'),
        ("|", "a,b;c", "a,b;c"),
    ],
)
def test_write_csv_quotes_minimally(delimiter, cell, written):
    table = Table(header=("first", "second"), rows=[("x", cell)])
    text, _ = csv_text(table, ExportOptions(delimiter=delimiter))
    assert text == f"first{delimiter}second\r\nx{delimiter}{written}\r\n"


def test_write_csv_uses_crlf_line_ends():
    text, _ = csv_text(people())
    assert text.count("\r\n") == 3
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


def test_write_csv_with_semicolon_does_not_quote_commas():
    table = Table(header=("Managers", "Note"), rows=[("a@x.com,b@x.com", "1,5")])
    text, _ = csv_text(table, ExportOptions(delimiter=";"))
    assert text == "Managers;Note\r\na@x.com,b@x.com;1,5\r\n"


def test_write_csv_without_options_uses_the_defaults():
    table = Table(header=("a", "b"), rows=[("1,2", "=x"), ("", '"')])
    assert csv_text(table)[0] == csv_text(table, ExportOptions())[0]
    assert csv_text(table)[0] == 'a,b\r\n"1,2",=x\r\n,""""\r\n'


def test_write_csv_with_bom_starts_with_one_bom():
    text, count = csv_text(people(), ExportOptions(bom=True))
    assert text.startswith("\ufeff")
    assert text.count("\ufeff") == 1
    assert text[1:] == csv_text(people())[0]
    assert count == 2


def test_write_csv_without_bom_writes_no_bom():
    text, _ = csv_text(people(), ExportOptions(bom=False))
    assert "\ufeff" not in text


def test_write_csv_with_bom_on_an_empty_table():
    text, count = csv_text(Table(header=("a",), rows=[]), ExportOptions(bom=True))
    assert text == "\ufeffa\r\n"
    assert count == 0


def test_write_csv_does_not_alter_cells():
    # formula protection is done when rows are built, never by the writer
    table = Table(header=("a",), rows=[("=1+1",), ("-5",), ("@x",)])
    text, _ = csv_text(table, ExportOptions(protect_formulas=True))
    assert read_back(text) == [["a"], ["=1+1"], ["-5"], ["@x"]]


@pytest.mark.parametrize(
    "rows",
    [
        [("1", "2"), ("3",)],
        [("1", "2", "3")],
        [()],
        [("1", "2"), ("3", "4"), ("5", "6", "7")],
    ],
)
def test_write_csv_rejects_a_row_of_the_wrong_length(rows):
    with pytest.raises(InvalidInputError):
        write_csv(Table(header=("a", "b"), rows=rows), io.StringIO())


@pytest.mark.parametrize(
    "table",
    [
        None,
        [("a", "b"), ("1", "2")],
        {"header": ("a",), "rows": []},
        "a,b\r\n",
        people().to_dicts(),
    ],
)
def test_write_csv_rejects_a_non_table(table):
    with pytest.raises(InvalidInputError):
        write_csv(table, io.StringIO())


# --- properties -------------------------------------------------------------------

TRICKY = [
    "",
    " ",
    ",",
    ";",
    "\t",
    "|",
    '"',
    '""',
    "'",
    "\r",
    "\n",
    "\r\n",
    "\n\r",
    "a,b",
    'say "hi", then leave',
    "line 1\r\nline 2",
    "line 1\nline 2\rline 3",
    "😀",
    "👩‍👩‍👧‍👦",
    "שלום",
    "مرحبا",
    "שלום, مرحبا; 😀",
    "=1+1",
    '=HYPERLINK("http://evil";"x")',
    "+33",
    "-2",
    "@SUM(A1:A9)",
    "\ufeff",
    "\u200f",
]

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
PIECES = st.one_of(st.sampled_from(TRICKY), TEXT)
CELLS = st.one_of(PIECES, st.lists(PIECES, max_size=4).map("".join))


@st.composite
def tables(draw, min_columns=0):
    width = draw(st.integers(min_value=min_columns, max_value=5))
    header = tuple(draw(st.lists(CELLS, min_size=width, max_size=width)))
    rows = draw(st.lists(st.lists(CELLS, min_size=width, max_size=width).map(tuple), max_size=6))
    return header, rows


@given(tables(), st.sampled_from(DELIMITERS))
def test_csv_round_trips_any_text(table_data, delimiter):
    header, rows = table_data
    text, count = csv_text(Table(header=header, rows=rows), ExportOptions(delimiter=delimiter))
    assert count == len(rows)
    assert read_back(text, delimiter) == [list(header)] + [list(row) for row in rows]


@given(tables(min_columns=1), st.sampled_from(DELIMITERS))
def test_every_record_has_the_header_width(table_data, delimiter):
    header, rows = table_data
    text, _ = csv_text(Table(header=header, rows=rows), ExportOptions(delimiter=delimiter))
    records = read_back(text, delimiter)
    assert len(records) == len(rows) + 1
    assert all(len(record) == len(header) for record in records)


@given(tables(), st.sampled_from(DELIMITERS), st.booleans())
def test_writing_twice_gives_identical_text(table_data, delimiter, bom):
    header, rows = table_data
    table = Table(header=header, rows=rows)
    options = ExportOptions(delimiter=delimiter, bom=bom)
    assert csv_text(table, options) == csv_text(table, options)


@given(tables(), st.sampled_from(DELIMITERS))
def test_bom_comes_first_and_the_rest_round_trips(table_data, delimiter):
    header, rows = table_data
    table = Table(header=header, rows=rows)
    text, count = csv_text(table, ExportOptions(delimiter=delimiter, bom=True))
    assert text.startswith("\ufeff")
    assert count == len(rows)
    assert text[1:] == csv_text(table, ExportOptions(delimiter=delimiter))[0]
    assert read_back(text[1:], delimiter) == [list(header)] + [list(row) for row in rows]


@given(tables(), st.sampled_from(DELIMITERS))
def test_csv_round_trips_through_utf8_bytes(table_data, delimiter):
    header, rows = table_data
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    write_csv(Table(header=header, rows=rows), stream, ExportOptions(delimiter=delimiter, bom=True))
    stream.flush()
    text = raw.getvalue().decode("utf-8-sig")
    assert read_back(text, delimiter) == [list(header)] + [list(row) for row in rows]


@given(tables(min_columns=1), st.data())
def test_select_picks_the_named_columns(table_data, data):
    header, rows = table_data
    unique = list(dict.fromkeys(header))
    if len(unique) != len(header):
        header = tuple(f"{index}:{name}" for index, name in enumerate(header))
        unique = list(header)
    names = data.draw(st.lists(st.sampled_from(unique), max_size=6))
    selected = Table(header=header, rows=rows).select(names)
    assert selected.header == tuple(names)
    positions = [header.index(name) for name in names]
    expected = [tuple(row[index] for index in positions) for row in rows]
    assert list(selected.rows) == expected
    assert list(selected.rows) == expected


def test_tables_compare_by_identity() -> None:
    # Lazy rows cannot be compared without producing them.
    first = Table(header=("A",), rows=[("1",)])
    same_header = Table(header=("A",), rows=[("2",)])
    assert first == first
    assert first != same_header
    assert len({first, same_header}) == 2


# --- exact messages and paths (each pins a rule the tests above leave loose) -----


class _Text(str):
    """A str subclass: tables keep exact str."""


@pytest.mark.parametrize("names", [("a", _Text("b")), (_Text("a"), _Text("b"))])
def test_a_header_of_str_subclasses_becomes_exact_str(names):
    header = Table(header=names, rows=[]).header
    assert header == ("a", "b")
    assert [type(name) for name in header] == [str, str]


def test_a_name_three_times_is_counted_in_the_message():
    table = Table(header=("a", "b", "a", "a"), rows=[])
    with pytest.raises(InvalidInputError, match="Table has 3 columns named 'a'"):
        table.select(["a"])


def test_to_dicts_names_only_the_repeated_columns():
    table = Table(header=("a", "b", "a", "c", "c"), rows=[])
    with pytest.raises(InvalidInputError, match=re.escape("columns ['a', 'c'] appear")):
        table.to_dicts()


@pytest.mark.parametrize("read", [lambda t: t.to_dicts(), lambda t: list(t.select(["b"]).rows)])
def test_a_hand_built_row_is_checked_cell_by_cell_when_read(read):
    table = Table(header=("a", "b"), rows=[("x", "y"), ("z", 1)])
    with pytest.raises(InvalidInputError, match="row 2 cell 2 must be a str, got int"):
        read(table)


def test_write_csv_checks_every_cell_of_a_hand_built_table():
    table = Table(header=("a", "b"), rows=[("x", "y"), ("z", 1)])
    with pytest.raises(InvalidInputError, match="write_csv: row 2 cell 2 must be a str"):
        write_csv(table, io.StringIO())


def test_lazy_rows_of_the_wrong_width_are_named_by_number():
    table = Table(header=("a", "b"), rows=LazyRows(lambda: iter([("1", "2"), ("3",)])))
    with pytest.raises(InvalidInputError, match="row 2 has 1 cells, the header has 2"):
        table.to_dicts()


def test_a_binary_stream_is_named_as_such():
    with pytest.raises(InvalidInputError, match="binary stream"):
        write_csv(people(), io.BytesIO())


class _CountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_an_export_is_written_a_chunk_of_rows_at_a_time():
    """Not one write per row: the export hands write_csv its text by chunks."""
    from programstats import learner_export
    from programstats.synthetic import synthetic_world

    world = synthetic_world(learners=600, sessions=1, seed=3)
    table = learner_export(world.sessions, world.directory)
    out = _CountingStream()
    count = write_csv(table, out)
    assert count == 600
    assert out.writes <= 5  # the header, then 3 chunks of at most 256 rows
    assert out.getvalue().count("\r\n") == 601
