"""Tables of strings, and the one function that writes them as CSV.

Every export is first a :class:`Table`: a header and rows of strings that
are produced lazily, afresh on every iteration, so one table can be shown,
handed to pandas and written without being held in memory.
:func:`write_csv` is the only function of the library that does I/O, on a
stream the caller opened.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import IO, NoReturn

import attrs

from ._checks import Rejected, known_ids, plain_str, short, text_problem, to_tuple
from ._render import Rendered
from .errors import InvalidInputError
from .options import ExportOptions

__all__ = ["Table", "write_csv"]

Row = tuple[str, ...]


class LazyRows:
    """A re-iterable view: every ``iter()`` calls ``produce`` for fresh rows.

    ``csv_text``, when given, produces the same rows (each of ``width``
    cells) as CSV text (see :func:`csv_column`) for a delimiter, a chunk of
    rows at a time with their number: :func:`write_csv` then writes that
    text instead of quoting every cell with ``csv.writer``, when the table's
    header has that width.
    """

    __slots__ = ("_produce", "csv_text", "width")

    def __init__(
        self,
        produce: Callable[[], Iterator[Row]],
        csv_text: Callable[[str], Iterator[tuple[int, str]]] | None = None,
        width: int = 0,
    ) -> None:
        self._produce = produce
        self.csv_text = csv_text
        self.width = width

    def __iter__(self) -> Iterator[Row]:
        return self._produce()

    def __repr__(self) -> str:
        return "<rows produced on demand>"


def checked_rows(table: Table, where: str) -> Iterator[Row]:
    """The table's rows, each checked to be a tuple of ``str`` of the header's width.

    Rows the library produced (:class:`LazyRows`) are tuples of ``str`` by
    construction: only their width is checked. Rows of a hand-built table
    are checked cell by cell, as they are read.
    """
    width = len(table.header)
    rows = table.rows
    if type(rows) is LazyRows:
        for number, row in enumerate(rows, 1):
            if len(row) != width:
                _bad_row(where, number, f"has {len(row)} cells, the header has {width}")
            yield row
        return
    for number, row in enumerate(rows, 1):
        if type(row) is not tuple:
            _bad_row(where, number, f"is a {type(row).__name__}; rows must be tuples of str")
        if len(row) != width:
            _bad_row(where, number, f"has {len(row)} cells, the header has {width}")
        for column, cell in enumerate(row, 1):
            problem = text_problem(cell)
            if problem is not None:
                _bad_row(where, number, f"cell {column} {problem}")
        yield row


def csv_cell(cell: str, delimiter: str) -> str:
    """``cell`` as a field of a CSV line, as :func:`write_csv` writes it.

    Quoted (with inner quotes doubled) when it holds the delimiter, a quote
    or a line break; as it is otherwise. (``csv.writer`` also quotes a line
    of one empty cell; no line of a library table has only one cell.)
    """
    if _needs_quotes(cell, delimiter):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_column(cells: list[str], delimiter: str) -> list[str]:
    """Every cell of a column as :func:`csv_cell` writes it.

    One look at the whole column first: most columns need no quote at all,
    and are returned as they are.
    """
    if _needs_quotes("".join(cells), delimiter):
        return [csv_cell(cell, delimiter) for cell in cells]
    return cells


def _needs_quotes(text: str, delimiter: str) -> bool:
    """Whether a field holding ``text`` must be quoted: the delimiter, a quote or a line break."""
    return delimiter in text or '"' in text or "\n" in text or "\r" in text


def _bad_row(where: str, number: int, message: str) -> NoReturn:
    raise InvalidInputError(f"{where}: row {number} {message}")


def _check_rows(rows: Iterable[Row]) -> Iterable[Row]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise InvalidInputError(
            f"Table: rows must be an iterable of tuples, got a {type(rows).__name__}"
        )
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
            raise InvalidInputError(f"Table: header cell {short(name, 40)} {problem}")
    if all(type(name) is str for name in header):
        return header
    return tuple([plain_str(name) for name in header])


@attrs.frozen(kw_only=True, eq=False)
class Table(Rendered):
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

    def _columns(self, names: tuple[str, ...]) -> list[int]:
        """Positions of ``names`` in the header, looked up in one index of it."""
        first: dict[str, int] = {}
        twice: Counter[str] = Counter()
        for index, cell in enumerate(self.header):
            if first.setdefault(cell, index) != index:
                twice[cell] += 1
        columns = []
        for name in names:
            try:
                index = first[name]
            except (KeyError, TypeError):
                raise InvalidInputError(
                    f"Table has no column {short(str(name), 40)} ({known_ids(self.header)})"
                ) from None
            if twice[name]:
                raise InvalidInputError(
                    f"Table has {twice[name] + 1} columns named {name!r}; a name used twice "
                    "cannot be selected"
                )
            columns.append(index)
        return columns

    def select(self, names: Iterable[str]) -> Table:
        """A new table with only the columns ``names``, in that order.

        Raises :class:`InvalidInputError` for a name the table does not have
        (or has more than once).
        """
        wanted = to_tuple(names)
        if isinstance(wanted, Rejected):
            raise InvalidInputError(f"Table.select: names {wanted.reason}")
        wanted = tuple([plain_str(n) if isinstance(n, str) else n for n in wanted])
        columns = self._columns(wanted)

        def produce() -> Iterator[Row]:
            for row in checked_rows(self, "Table.select"):
                yield tuple([row[index] for index in columns])

        return Table(header=wanted, rows=LazyRows(produce))

    def to_dicts(self) -> list[dict[str, str]]:
        """Every row as a dict keyed by column name (for ``pandas.DataFrame``).

        Raises :class:`InvalidInputError` when two columns share a name
        (a dict could not keep both; use ``select`` or the rows directly).
        """
        if len(set(self.header)) != len(self.header):
            twice = sorted(name for name, count in Counter(self.header).items() if count > 1)
            raise InvalidInputError(
                f"Table: columns {twice} appear more than once; rows cannot become dicts"
            )
        header = self.header
        return [dict(zip(header, row, strict=True)) for row in checked_rows(self, "Table.to_dicts")]


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

    Raises :class:`InvalidInputError` when a row is not a tuple of ``str`` with
    as many cells as the header, and when ``stream`` is not a text stream.
    """
    if not isinstance(table, Table):
        raise InvalidInputError(f"write_csv: table must be a Table, got {type(table).__name__}")
    if options is None:
        options = ExportOptions()
    elif not isinstance(options, ExportOptions):
        raise InvalidInputError(
            f"write_csv: options must be ExportOptions, got {type(options).__name__}"
        )
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(
        getattr(stream, "mode", "")
    ):
        raise InvalidInputError(
            f"write_csv: stream is a binary stream ({type(stream).__name__}); open the file "
            'in text mode: open(path, "w", newline="", encoding="utf-8")'
        )
    if not callable(getattr(stream, "write", None)):
        raise InvalidInputError(
            f"write_csv: stream must be a text stream with a write method, got a "
            f"{type(stream).__name__}"
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
    try:
        if header:
            if options.bom:
                stream.write("\ufeff")
            writer.writerow(table.header)
    except TypeError as error:  # e.g. a stream that only takes bytes
        raise InvalidInputError(
            f"write_csv: stream does not accept text ({type(stream).__name__}: {error})"
        ) from None
    width = len(table.header)
    count = 0
    rows = table.rows
    if type(rows) is LazyRows and rows.csv_text is not None and rows.width == width > 1:
        # A library export under a header of its width: its rows come as CSV
        # text, the bytes csv.writer writes.
        for size, text in rows.csv_text(options.delimiter):
            stream.write(text)
            count += size
        return count
    if type(rows) is not LazyRows:  # a hand-built table: check every cell
        for row in checked_rows(table, "write_csv"):
            writer.writerow(row)
            count += 1
        return count
    for row in table.rows:
        if len(row) != width:
            raise InvalidInputError(
                f"write_csv: row {count + 1} has {len(row)} cells, the header has {width}"
            )
        writer.writerow(row)
        count += 1
    return count
