"""HTML rendering of result values for notebooks (private).

``_repr_html_`` on a result type shows its fields as a two-column table;
nested results (tuples of records) become nested tables. Every piece of
text is escaped, so names such as ``<script>`` show as text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

import attrs

_T = TypeVar("_T")


def _cell(value: Any) -> str:
    if isinstance(value, Sequence) and not isinstance(value, (str, tuple)):
        value = tuple(value)  # a lazy sequence of records, such as LearnerResult.blocks
    if attrs.has(type(value)):
        return record_html(value)
    if isinstance(value, tuple) and value and all(attrs.has(type(item)) for item in value):
        return records_html(value)
    if isinstance(value, tuple) and value and all(isinstance(item, tuple) for item in value):
        rows = "".join(
            "<tr>" + "".join(f"<td>{_cell(part)}</td>" for part in item) + "</tr>" for item in value
        )
        return f"<table>{rows}</table>"
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return html.escape(value.isoformat(" "))
    if hasattr(value, "name") and hasattr(value, "value") and not isinstance(value, str):
        return html.escape(str(value.name))  # an enum member
    return html.escape(str(value))


def record_html(record: Any) -> str:
    """One record as a table of field name and value."""
    rows = "".join(
        f"<tr><th>{html.escape(field.name)}</th><td>{_cell(getattr(record, field.name))}</td></tr>"
        for field in attrs.fields(type(record))
        if not field.name.startswith("_")
    )
    return f"<table><caption>{html.escape(type(record).__name__)}</caption>{rows}</table>"


def records_html(records: tuple[Any, ...]) -> str:
    """Records of one type as a table with one row per record."""
    names = [f.name for f in attrs.fields(type(records[0])) if not f.name.startswith("_")]
    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(getattr(r, name))}</td>" for name in names) + "</tr>"
        for r in records
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_repr(cls: type[_T]) -> type[_T]:
    """Class decorator: give an attrs class a notebook HTML representation."""
    cls._repr_html_ = record_html  # type: ignore[attr-defined]
    return cls
