"""People and groups: :class:`User`, :class:`Group` and the :class:`Directory`.

A directory is the platform's address book. Statistics that show names,
group membership or group levels take one, and check that every user and
group a session names is in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import chain
from typing import Any

import attrs

from ._checks import (
    FrozenMap,
    bool_column,
    check_bool,
    check_collections,
    check_id,
    check_ids,
    check_instance,
    check_optional_aware,
    check_text,
    check_texts,
    fail,
    from_columns,
    is_plain_instant,
    is_plain_text,
    known_ids,
    normalise,
    plain_text_column,
    short,
    to_frozen_map,
    to_frozenset,
    to_tuple,
    utc_column,
)
from .errors import InvalidInputError

__all__ = ["Directory", "Group", "User"]

_STR = {str}


@attrs.frozen(kw_only=True)
class Group:
    """A group of users; groups form a tree through ``parent_id``."""

    id: str
    name: str
    parent_id: str | None = None

    def __attrs_post_init__(self) -> None:
        ident = normalise(self, "id", check_id, "Group", self.id)
        normalise(self, "name", check_text, "Group", ident)
        if self.parent_id is not None:
            normalise(self, "parent_id", check_id, "Group", ident)


@attrs.frozen(kw_only=True)
class User:
    """A platform user, as the exports show them."""

    id: str
    first_name: str
    last_name: str
    email: str
    group_ids: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    custom_fields: Mapping[str, str] = attrs.field(factory=FrozenMap, converter=to_frozen_map)
    additional_information: str = ""
    manager_emails: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    deleted_at: datetime | None = None
    anonymized: bool = False

    def __attrs_post_init__(self) -> None:
        if not self._plain():
            self._normalise()

    def _plain(self) -> bool:
        """Whether every field is already plain and valid: nothing to convert or explain."""
        groups, emails, fields = self.group_ids, self.manager_emails, self.custom_fields
        deleted = self.deleted_at
        if not (
            type(groups) is frozenset  # not a rejected input
            and type(emails) is tuple
            and type(fields) is FrozenMap
            and (deleted is None or is_plain_instant(deleted))
            and (self.anonymized is True or self.anonymized is False)
        ):
            return False
        texts = [
            self.id,
            self.first_name,
            self.last_name,
            self.email,
            self.additional_information,
            *groups,
            *emails,
            *fields,
            *fields.values(),
        ]
        # All text at once: one NUL or surrogate anywhere is in the joined text too.
        return (
            set(map(type, texts)) == _STR
            and is_plain_text("".join(texts))
            and self.id != ""
            and "" not in groups
            and "" not in fields
        )

    def _normalise(self) -> None:
        ident = normalise(self, "id", check_id, "User", self.id)
        check_collections("User", ident, self, ("group_ids", "custom_fields", "manager_emails"))
        normalise(self, "first_name", check_text, "User", ident)
        normalise(self, "last_name", check_text, "User", ident)
        normalise(self, "email", check_text, "User", ident)
        check_ids("User", ident, "group_ids", self.group_ids)
        for title, value in self.custom_fields.items():
            check_text("User", ident, "custom field title", title)
            if not title:
                fail("User", ident, "custom field titles must not be empty")
            check_text("User", ident, f"custom field {short(title, 40)}", value)
        normalise(self, "additional_information", check_text, "User", ident)
        normalise(self, "manager_emails", check_texts, "User", ident)
        normalise(self, "deleted_at", check_optional_aware, "User", ident)
        check_bool("User", ident, "anonymized", self.anonymized)


def plain_users(
    ids: Sequence[Any],
    first_names: Sequence[Any],
    last_names: Sequence[Any],
    emails: Sequence[Any],
    group_ids: Sequence[Any],
    custom_fields: Sequence[Any],
    additional_information: Sequence[Any],
    manager_emails: Sequence[Any],
    deleted_at: Sequence[Any],
    anonymized: Sequence[Any],
) -> tuple[User, ...] | None:
    """Users from columns of field values (one sequence per field, equally long).

    Applies the test of :meth:`User._plain` column by column -- each
    distinct text, id set, custom fields map and e-mail list looked at once
    (users share them) -- and builds the values without calling ``__init__``
    per user. The collections must already be what the converters give
    (frozenset, :class:`FrozenMap`, tuple). None when any value is not plain
    and valid: build those one by one, whose checks convert or explain.
    """
    if not (
        set(map(type, group_ids)) <= _FROZENSET
        and set(map(type, custom_fields)) <= _FROZEN_MAP
        and set(map(type, manager_emails)) <= _TUPLE
    ):
        return None
    sets = {id(value): value for value in group_ids}.values()
    maps = {id(value): value for value in custom_fields}.values()
    lists = {id(value): value for value in manager_emails}.values()
    deleted = [value for value in deleted_at if value is not None]
    if not (
        plain_text_column(ids)
        and plain_text_column(first_names, identifiers=False)
        and plain_text_column(last_names, identifiers=False)
        and plain_text_column(emails, identifiers=False)
        and plain_text_column(additional_information, identifiers=False)
        and plain_text_column(list(chain.from_iterable(sets)))
        and plain_text_column(list(chain.from_iterable(maps)))
        and plain_text_column(list(chain.from_iterable(map(dict.values, maps))), identifiers=False)
        and plain_text_column(list(chain.from_iterable(lists)), identifiers=False)
        and utc_column(deleted)
        and bool_column(anonymized)
    ):
        return None
    return from_columns(
        User,
        (
            ids,
            first_names,
            last_names,
            emails,
            group_ids,
            custom_fields,
            additional_information,
            manager_emails,
            deleted_at,
            anonymized,
        ),
    )


_FROZENSET = {frozenset}
_FROZEN_MAP = {FrozenMap}
_TUPLE = {tuple}


def _index(kind: type[Any], field: str, values: Any) -> FrozenMap[str, Any]:
    """Index ``values`` (an iterable, or a mapping id -> value) by id."""
    if isinstance(values, Mapping):
        for key, value in values.items():
            check_instance("Directory", field, "entry", value, kind)
            if key != value.id:
                raise InvalidInputError(
                    f"Directory: {field} key {short(key, 40)} differs from the id of its "
                    f"{kind.__name__} {value.id!r}"
                )
        return FrozenMap(values)
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        what = (
            f"a single {kind.__name__} {values.id!r}; wrap it in a list: [value]"
            if isinstance(values, kind)
            else f"a {type(values).__name__}"
        )
        raise InvalidInputError(
            f"Directory: {field} must be an iterable of {kind.__name__}, got {what}"
        )
    index: dict[str, Any] = {}
    for value in values:
        check_instance("Directory", field, "entry", value, kind)
        if value.id in index:
            raise InvalidInputError(
                f"Directory: {kind.__name__} id {value.id!r} appears twice; ids must be unique"
            )
        index[value.id] = value
    return FrozenMap(index)


def _index_users(values: Iterable[User] | Mapping[str, User]) -> FrozenMap[str, User]:
    return _index(User, "users", values)


def _index_groups(values: Iterable[Group] | Mapping[str, Group]) -> FrozenMap[str, Group]:
    return _index(Group, "groups", values)


def _group_levels(groups: Mapping[str, Group]) -> FrozenMap[str, int]:
    """Depth of every group in the tree; raise on a cycle or an unknown parent."""
    levels: dict[str, int] = {}
    for start in groups:
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = start
        while current is not None and current not in levels:
            if current in on_chain:
                cycle = " -> ".join([*chain[chain.index(current) :], current])
                fail("Group", current, f"is its own ancestor (cycle {cycle}); break the cycle")
            chain.append(current)
            on_chain.add(current)
            parent = groups[current].parent_id
            if parent is not None and parent not in groups:
                fail(
                    "Group",
                    current,
                    f"parent_id {parent!r} is not a group of the directory ({known_ids(groups)})",
                )
            current = parent
        level = -1 if current is None else levels[current]
        for group_id in reversed(chain):
            level += 1
            levels[group_id] = level
    return FrozenMap(levels)


@attrs.frozen(kw_only=True)
class Directory:
    """Every user and group the sessions may name, indexed by id.

    ``users`` and ``groups`` accept any iterable (or a mapping id -> value)
    and are stored as read-only mappings from id to value.

    >>> d = Directory(users=[], groups=[Group(id="g1", name="Sales"),
    ...                                 Group(id="g2", name="Paris", parent_id="g1")])
    >>> d.level("g2")
    1
    >>> d.ancestors("g2")
    ('g2', 'g1')
    """

    users: Mapping[str, User] = attrs.field(factory=FrozenMap, converter=_index_users)
    groups: Mapping[str, Group] = attrs.field(factory=FrozenMap, converter=_index_groups)
    _levels: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_levels", _group_levels(self.groups))
        groups = self.groups
        for user in self.users.values():
            if not user.group_ids <= groups.keys():
                group_id = min(user.group_ids - groups.keys())
                fail(
                    "User",
                    user.id,
                    f"group_ids names {group_id!r}, not a group of the directory "
                    f"({known_ids(groups)})",
                )

    def user(self, user_id: str) -> User:
        """The user ``user_id``; :class:`InvalidInputError` when unknown."""
        if not isinstance(user_id, str):  # never hash it: its __hash__ may fail
            raise InvalidInputError(
                f"User {short(user_id, 40)} is not in the directory: "
                f"ids are str, got a {type(user_id).__name__}"
            )

        try:
            return self.users[user_id]
        except KeyError:
            raise InvalidInputError(
                f"User {short(user_id, 40)} is not in the directory ({known_ids(self.users)})"
            ) from None

    def group(self, group_id: str) -> Group:
        """The group ``group_id``; :class:`InvalidInputError` when unknown."""
        if not isinstance(group_id, str):  # never hash it: its __hash__ may fail
            raise InvalidInputError(
                f"Group {short(group_id, 40)} is not in the directory: "
                f"ids are str, got a {type(group_id).__name__}"
            )

        try:
            return self.groups[group_id]
        except KeyError:
            raise InvalidInputError(
                f"Group {short(group_id, 40)} is not in the directory ({known_ids(self.groups)})"
            ) from None

    def level(self, group_id: str) -> int:
        """Depth of a group: 0 for a group without parent, 1 for its children, ..."""
        self.group(group_id)
        return self._levels[group_id]

    def ancestors(self, group_id: str) -> tuple[str, ...]:
        """The group itself, then its parent, up to the root."""
        chain = [self.group(group_id).id]
        parent = self.groups[group_id].parent_id
        while parent is not None:
            chain.append(parent)
            parent = self.groups[parent].parent_id
        return tuple(chain)
