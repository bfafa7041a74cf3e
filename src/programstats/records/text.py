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
from .._jsonpath import ROOT, index, member
from ..world import Problem
from .format import Unloadable

__all__ = ["json_lines", "load_json"]


class _Objects:
    """The ``object_pairs_hook`` of one load: dicts, or a stand-in for a key given twice."""

    def __init__(self) -> None:
        self.twice = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> Any:
        found = dict(pairs)
        if len(found) == len(pairs):
            return found
        self.twice = True
        return _Twice(pairs)


class _Twice(Unloadable):
    """An object that gives a key twice (its pairs kept to name the keys)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(message="an object with a key given twice", named=True)
        object.__setattr__(self, "pairs", tuple(pairs))


def load_json(text: str | bytes) -> tuple[Any, list[Problem]]:
    """The document of JSON ``text``, and one problem per key given twice in an object.

    An object with a key given twice stands in the document as a value that
    structuring leaves out (naming it). Raises ``ValueError`` (a
    ``json.JSONDecodeError``) when the text is not JSON.

    >>> doc, problems = load_json('{"users": [{"id": "a", "id": "b"}]}')
    >>> [(p.path, p.message) for p in problems]
    [('$.users[0].id', "the key 'id' is given twice in this object; give each key once")]
    """
    hook = _Objects()
    doc = json.loads(text, object_pairs_hook=hook)
    if not hook.twice:
        return doc, []
    problems: list[Problem] = []
    _name_twice(doc, ROOT, problems)
    return doc, problems


def _name_twice(value: Any, path: str, problems: list[Problem]) -> None:
    """One problem per key given twice, at its path (a walk of the document without recursion)."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _Twice):
            seen: set[str] = set()
            for key, item in value.pairs:  # type: ignore[attr-defined]
                if key in seen:
                    problems.append(
                        Problem(
                            path=member(path, key),
                            message=f"the key {short(key, 40)} is given twice in this object; "
                            "give each key once",
                        )
                    )
                seen.add(key)
                stack.append((item, member(path, key)))
        elif type(value) is dict:
            stack.extend((item, member(path, key)) for key, item in reversed(value.items()))
        elif type(value) is list:
            stack.extend((item, index(path, n)) for n, item in reversed(list(enumerate(value))))
    problems.sort(key=lambda problem: _order(problem.path))


def _order(path: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in path.replace("]", "").split("[")]


def json_lines(lines: Iterable[str], source: str) -> Iterator[Any]:
    """The record of each non-blank line of a JSON Lines text, in order.

    A line that is not JSON, or whose object gives a key twice, gives a
    stand-in that structuring names as a problem (``<source> line <n>: ...``)
    and leaves out.

    >>> [type(r).__name__ for r in json_lines(['{"id": "s1"}', '', 'oops'], "s.jsonl")]
    ['dict', 'Unloadable']
    """
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record, problems = load_json(line)
        except ValueError as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else "not JSON"
            yield Unloadable(message=f"{short(source, 60)} line {number} is not JSON ({reason})")
            continue
        if problems:
            keys = ", ".join(short(p.path, 40) for p in problems[:3])
            yield Unloadable(
                message=f"{short(source, 60)} line {number}: a key is given twice ({keys})"
            )
            continue
        yield record
