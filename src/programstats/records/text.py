"""JSON text in: documents and JSON Lines, with what cannot be loaded named as problems.

The library reads no files; these functions take the text a caller read.
A JSON object that gives a key twice is a problem (JSON parsers silently
keep one of the values): the object is left out, as a record with a bad
field would be. A JSON Lines text is one record per line; blank lines are
skipped, and a line that is not JSON is a problem naming its source and
line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .._checks import short
from .format import Unloadable

__all__ = ["json_lines", "load_json"]


def _object(pairs: list[tuple[str, Any]]) -> Any:
    """The ``object_pairs_hook`` of a load: a dict, or a stand-in for an object with a key twice.

    A plain function: it runs for every object of the document.
    """
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    seen: set[str] = set()
    twice = []
    for key, _ in pairs:
        if key in seen and key not in twice:
            twice.append(key)
        seen.add(key)
    return Unloadable(message="an object with a key given twice", keys=tuple(twice))


def load_json(text: str | bytes) -> Any:
    """The document of JSON ``text``; an object that gives a key twice is left out, named.

    JSON parsers keep one of the values of a key given twice, silently.
    Here such an object stands in the document as a value that structuring
    names (one problem per key given twice) and leaves out, as it would a
    record with a bad field. Raises ``ValueError`` (a ``json.JSONDecodeError``)
    when the text is not JSON.

    >>> from programstats.records import structure_directory, InvalidRecordsError
    >>> doc = load_json('{"groups": [], "users": [{"id": "a", "id": "b"}]}')
    >>> try:
    ...     structure_directory(doc)
    ... except InvalidRecordsError as error:
    ...     print(error.problems[0].path, error.problems[0].message)
    $.users[0].id the key 'id' is given twice in this object; give each key once
    """
    return json.loads(text, object_pairs_hook=_object)


def json_lines(lines: Iterable[str], source: str) -> Iterator[Any]:
    """The record of each non-blank line of a JSON Lines text, in order.

    A line that is not JSON, or whose object gives a key twice, gives a
    stand-in that structuring names as a problem (``<source> line <n>: ...``)
    and leaves out.

    >>> [type(r).__name__ for r in json_lines(['{"id": "s1"}', '', 'oops'], "s.jsonl")]
    ['dict', 'Unloadable']
    >>> list(json_lines(['oops'], "s.jsonl"))[0].message
    "'s.jsonl' line 1 is not JSON (Expecting value)"

    ``source`` names the text in messages (a file name).
    """
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield load_json(line)
        except (ValueError, RecursionError) as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else "too deep"
            yield Unloadable(message=f"{short(source, 60)} line {number} is not JSON ({reason})")
