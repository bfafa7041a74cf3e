"""Values out as plain data: :func:`to_record`.

Every value of the library -- input types and results -- becomes data that
``json.dumps`` writes as it is: datetimes as ISO 8601 text with their
offset, durations as seconds, enums as names, tuples as arrays, sets as
sorted arrays. For every input value ``structure(type(x), to_record(x)) == x``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import cattrs

from .._checks import FrozenMap
from ..directory import Directory
from ..world import World

__all__ = ["to_record"]


def _seconds(value: timedelta) -> int | float:
    whole = value.days * 86_400 + value.seconds
    if value.microseconds:
        return whole + value.microseconds / 1_000_000
    return whole


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter()

    def attrs_hook(cls: type) -> Callable[[Any], dict[str, Any]]:
        names = [f.name for f in attrs.fields(cls) if f.init]

        def unstructure(value: Any) -> dict[str, Any]:
            return {name: converter.unstructure(getattr(value, name)) for name in names}

        return unstructure

    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_unstructure_hook(timedelta, _seconds)
    converter.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum),
        lambda value: value.name,
    )
    converter.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, (frozenset, set)),
        lambda value: sorted(converter.unstructure(v) for v in value),
    )
    converter.register_unstructure_hook_func(
        # Tuples, lists and lazy sequences such as LearnerResult.blocks.
        lambda cls: (
            isinstance(cls, type)
            and issubclass(cls, Sequence)
            and not issubclass(cls, (str, bytes))
        ),
        lambda value: [converter.unstructure(v) for v in value],
    )
    converter.register_unstructure_hook(
        FrozenMap, lambda value: {str(k): converter.unstructure(v) for k, v in value.items()}
    )
    converter.register_unstructure_hook(
        Directory,
        lambda value: {
            "groups": [converter.unstructure(g) for g in value.groups.values()],
            "users": [converter.unstructure(u) for u in value.users.values()],
        },
    )
    converter.register_unstructure_hook(
        World,
        lambda value: {
            **converter.unstructure(value.directory),
            "sessions": [converter.unstructure(s) for s in value.sessions],
        },
    )
    converter.register_unstructure_hook_factory(attrs.has, attrs_hook)
    return converter


_CONVERTER = _make_converter()


def to_record(value: Any) -> Any:
    """JSON-ready plain data for any value of the library (input types and results).

    Datetimes become ISO 8601 strings with their offset, durations seconds
    (an int when whole, else a float to the microsecond), enums their
    names, tuples arrays, sets sorted arrays, a :class:`~programstats.Directory`
    a directory record and a :class:`~programstats.World` a world document.
    ``json.dumps`` needs no custom encoder, and for every input value
    ``structure(type(x), to_record(x)) == x``.

    >>> from programstats.examples import tiny_session
    >>> from programstats.records import structure_session
    >>> record = to_record(tiny_session())
    >>> record["start"], record["blocks"][2]["kind"], record["attempts"][0]["time_spent"]
    ('2026-03-02T09:00:00+00:00', 'CLASSROOM', 3000)
    >>> structure_session(record) == tiny_session()
    True
    """
    return _CONVERTER.unstructure(value)
