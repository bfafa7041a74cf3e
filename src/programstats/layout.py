"""The columns of a per-learner export, as a value that merges.

The per-learner export's columns depend on every exported session: the
custom-field titles of the exported learners, the groups assigned to the
sessions, the furthest block an exported learner started and the largest
classroom slot count. :class:`ExportLayout` holds exactly that, so an export
split into parts (processes, machines, Dask partitions) can first compute
each part's layout, merge them, and then write every part with the merged
columns: the result is the export of all sessions at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ._checks import Rejected, check_id, check_texts, to_tuple
from .errors import InvalidInputError

__all__ = ["ExportLayout"]


def title_key(title: str) -> tuple[str, str]:
    """Custom-field columns are ordered case-folded, then exactly."""
    return (title.casefold(), title)


#: Most block or classroom-slot column groups a layout may ask for.
MAX_COLUMN_GROUPS = 1_000_000


def _items(field: str, value: Iterable[str]) -> tuple[Any, ...]:
    found = to_tuple(value)
    if isinstance(found, Rejected):
        raise InvalidInputError(f"ExportLayout: {field} {found.reason}")
    return found


def _titles(value: Iterable[str]) -> tuple[str, ...]:
    titles = check_texts("ExportLayout", None, "custom_fields", _items("custom_fields", value))
    return tuple(sorted(set(titles), key=title_key))


def _ids(value: Iterable[str]) -> frozenset[str]:
    return frozenset(
        check_id("ExportLayout", None, "group_ids", item) for item in _items("group_ids", value)
    )


def _count(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or not 0 <= value <= MAX_COLUMN_GROUPS:
        raise InvalidInputError(
            f"ExportLayout: {attribute.name} must be an int from 0 to {MAX_COLUMN_GROUPS:,}, "
            f"got {value!r}"[:300]
        )


@attrs.frozen(kw_only=True)
class ExportLayout:
    """The columns of a per-learner export that depend on its sessions.

    * ``custom_fields``: the custom-field titles, in column order;
    * ``group_ids``: the groups that get a column (ordered by the group's
      name, then id, when the export is written);
    * ``block_count``: K of the ``Block title/score/time N`` columns;
    * ``slot_count``: how many groups of six classroom-slot columns;
    * ``scope``: the export options that decided them (custom fields,
      activity period, viewer), or None for the empty layout.

    Layouts merge: ``a.merge(b)`` holds the columns of both. Merging is
    associative and commutative and ``ExportLayout()`` is its identity, so
    the layouts of any split of the sessions merge to the layout of all of
    them.

    >>> a = ExportLayout(custom_fields=("Team",), block_count=2)
    >>> b = ExportLayout(custom_fields=("city",), group_ids=frozenset({"sales"}), slot_count=1)
    >>> a.merge(b)
    ExportLayout(custom_fields=('city', 'Team'), group_ids=frozenset({'sales'}), block_count=2, \
slot_count=1, scope=None)
    >>> a.merge(ExportLayout()) == a
    True

    Raises :class:`InvalidInputError` when two layouts built with different
    export options are merged.
    """

    custom_fields: tuple[str, ...] = attrs.field(default=(), converter=_titles)
    group_ids: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)
    block_count: int = attrs.field(default=0, validator=_count)
    slot_count: int = attrs.field(default=0, validator=_count)
    scope: tuple[Any, ...] | None = None

    def merge(self, other: ExportLayout) -> ExportLayout:
        """The layout with the columns of both ``self`` and ``other``."""
        if not isinstance(other, ExportLayout):
            raise InvalidInputError(
                f"ExportLayout.merge: other must be an ExportLayout, got {type(other).__name__}"
            )
        if self.scope is not None and other.scope is not None and self.scope != other.scope:
            raise InvalidInputError(
                "ExportLayout.merge: the layouts were built with different export options "
                "(custom_fields, activity_between or viewer); build every part with the same "
                "options"
            )
        return ExportLayout(
            custom_fields=(*self.custom_fields, *other.custom_fields),
            group_ids=self.group_ids | other.group_ids,
            block_count=max(self.block_count, other.block_count),
            slot_count=max(self.slot_count, other.slot_count),
            scope=self.scope if self.scope is not None else other.scope,
        )

    def missing(self, part: ExportLayout) -> list[str]:
        """What ``part`` needs that this layout lacks, in words (empty when it fits)."""
        problems = []
        extra_fields = sorted(set(part.custom_fields) - set(self.custom_fields), key=title_key)
        if extra_fields:
            problems.append(f"custom fields {extra_fields}")
        extra_groups = sorted(part.group_ids - self.group_ids)
        if extra_groups:
            problems.append(f"group columns {extra_groups}")
        if part.block_count > self.block_count:
            problems.append(f"{part.block_count} block columns (the layout has {self.block_count})")
        if part.slot_count > self.slot_count:
            problems.append(f"{part.slot_count} classroom slots (the layout has {self.slot_count})")
        return problems
