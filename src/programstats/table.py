"""Tables of strings, and the one function that writes them as CSV.

Every export is first a :class:`Table`: a header and rows of strings that
are produced lazily, afresh on every iteration, so one table can be shown,
handed to pandas and written without being held in memory.
:func:`write_csv` is the only function of the library that does I/O, on a
stream the caller opened.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import attrs

from ._checks import Rejected, text_problem, to_tuple
from .errors import InvalidInputError
from .options import ExportOptions

__all__ = ["Table", "write_csv"]

Row = tuple[str, ...]


class LazyRows:
    """A re-iterable view: every ``iter()`` calls ``produce`` for fresh rows."""

    __slots__ = ("_produce",)

    def __init__(self, produce: Callable[[], Iterator[Row]]) -> None:
        self._produce = produce

    def __iter__(self) -> Iterator[Row]:
        return self._produce()

    def __repr__(self) -> str:
        return "<rows produced on demand>"


def _check_rows(rows: Iterable[Row]) -> Iterable[Row]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise InvalidInputError(f"Table: rows must be an iterable of tuples, got {rows!r}")
    if iter(rows) is rows:
        raise InvalidInputError(
            "Table: rows must be re-iterable (a list, a tuple or another table's rows), "
            "not a one-shot iterator or generator; wrap it in list()"
        )
    return rows


def _header(value: Iterable[str]) -> tuple[str, ...]:
    header = to_tuple(value)
    if isinstance(header, Rejected):
        raise InvalidInputError(f"Table: header {header.reason}")
    for name in header:
        problem = text_problem(name)
        if problem is not None:
            raise InvalidInputError(f"Table: header cell {name!r} {problem}")
    return header


@attrs.frozen(kw_only=True, eq=False)
class Table:
    """A header and re-iterable rows of strings.

    Tables compare by identity: lazy rows cannot be compared without
    producing them (compare ``list(a.rows) == list(b.rows)`` to do that).

    >>> table = Table(header=("Name", "Score"), rows=[("Ana", "80"), ("Bob", "")])
    >>> table.select(["Score"]).header, list(table.select(["Score"]).rows)
    (('Score',), [('80',), ('',)])
    >>> table.to_dicts()
    [{'Name': 'Ana', 'Score': '80'}, {'Name': 'Bob', 'Score': ''}]
    """

    header: tuple[str, ...] = attrs.field(converter=_header)
    rows: Iterable[Row] = attrs.field(converter=_check_rows, eq=False)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def _column(self, name: str) -> int:
        found = [index for index, cell in enumerate(self.header) if cell == name]
        if not found:
            known = ", ".join(repr(cell) for cell in self.header)
            raise InvalidInputError(f"Table has no column {name!r}; its columns are: {known}")
        if len(found) > 1:
            raise InvalidInputError(
                f"Table has {len(found)} columns named {name!r}; a name used twice "
                "cannot be selected"
            )
        return found[0]

    def select(self, names: Iterable[str]) -> Table:
        """A new table with only the columns ``names``, in that order.

        Raises :class:`InvalidInputError` for a name the table does not have
        (or has more than once).
        """
        wanted = to_tuple(names)
        if isinstance(wanted, Rejected):
            raise InvalidInputError(f"Table.select: names {wanted.reason}")
        columns = [self._column(name) for name in wanted]
        source = self.rows

        def produce() -> Iterator[Row]:
            for row in source:
                yield tuple([row[index] for index in columns])

        return Table(header=wanted, rows=LazyRows(produce))

    def to_dicts(self) -> list[dict[str, str]]:
        """Every row as a dict keyed by column name (for ``pandas.DataFrame``).

        Raises :class:`InvalidInputError` when two columns share a name
        (a dict could not keep both; use ``select`` or the rows directly).
        """
        if len(set(self.header)) != len(self.header):
            twice = sorted({name for name in self.header if self.header.count(name) > 1})
            raise InvalidInputError(
                f"Table: columns {twice} appear more than once; rows cannot become dicts"
            )
        header = self.header
        return [dict(zip(header, row, strict=True)) for row in self.rows]

    def _repr_html_(self) -> str:
        """The table as HTML, for notebooks (every cell escaped; 50 rows at most)."""
        return html_table(self.header, self.rows, limit=50)


def html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, limit: int) -> str:
    """An escaped HTML table of at most ``limit`` rows."""
    parts = ["<table>", "<thead><tr>"]
    parts += [f"<th>{html.escape(str(name))}</th>" for name in header]
    parts.append("</tr></thead><tbody>")
    more = False
    for shown, row in enumerate(rows):
        if shown == limit:
            more = True
            break
        cells = "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row)
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    if more:
        parts.append(f"<p>First {limit} rows shown.</p>")
    return "".join(parts)


def write_csv(
    table: Table, stream: IO[str], options: ExportOptions | None = None, *, header: bool = True
) -> int:
    """Write ``table`` to a text stream as CSV; return the number of data rows.

    RFC 4180: ``\\r\\n`` line ends, fields quoted only when they must be,
    ``options.delimiter`` between fields, and a UTF-8 byte-order mark first
    when ``options.bom``. Open files with ``newline=""`` (and
    ``encoding="utf-8"``) so that line breaks inside cells survive.
    With ``header=False`` only the rows are written (no header, no
    byte-order mark): the continuation of a file whose first part was
    written with the header.

    >>> import io
    >>> out = io.StringIO()
    >>> write_csv(Table(header=("Name", "Note"), rows=[("Ana", 'said "hi", left')]), out)
    1
    >>> out.getvalue()
    'Name,Note\\r\\nAna,"said ""hi"", left"\\r\\n'
    >>> write_csv(Table(header=("Name",), rows=[("Bob",)]), out, header=False)
    1
    >>> out.getvalue()[-5:]
    'Bob\\r\\n'

    Raises :class:`InvalidInputError` when a row does not have as many cells
    as the header.
    """
    if not isinstance(table, Table):
        raise InvalidInputError(f"write_csv: table must be a Table, got {type(table).__name__}")
    if options is None:
        options = ExportOptions()
    elif not isinstance(options, ExportOptions):
        raise InvalidInputError(
            f"write_csv: options must be ExportOptions, got {type(options).__name__}"
        )
    if not isinstance(header, bool):
        raise InvalidInputError(f"write_csv: header must be True or False, got {header!r}")
    writer = csv.writer(
        stream,
        delimiter=options.delimiter,
        quotechar='"',
        quoting=csv.QUOTE_MINIMAL,
        doublequote=True,
        lineterminator="\r\n",
        strict=True,
    )
    if header:
        if options.bom:
            stream.write("\ufeff")
        writer.writerow(table.header)
    width = len(table.header)
    count = 0
    for row in table.rows:
        if len(row) != width:
            raise InvalidInputError(
                f"write_csv: row {count + 1} has {len(row)} cells, the header has {width}"
            )
        writer.writerow(row)
        count += 1
    return count
