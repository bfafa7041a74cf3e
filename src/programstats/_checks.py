"""Cheap, reusable checks shared by the value types (private).

Each helper raises :class:`InvalidInputError` with a message of the form
``"<Type> <id>: <field> <what is wrong>; <how to fix it>"``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, NoReturn, TypeVar

from .errors import InvalidInputError

_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


def fail(owner: str, ident: object, message: str) -> NoReturn:
    """Raise an :class:`InvalidInputError` about ``owner`` ``ident``.

    ``ident`` None leaves the id out (for values that have none).
    """
    where = owner if ident is None else f"{owner} {ident!r}"
    raise InvalidInputError(f"{where}: {message}")


def text_problem(value: object) -> str | None:
    """Say what makes ``value`` unusable as text, or None when it is fine."""
    if not isinstance(value, str):
        return f"must be a str, got {type(value).__name__}"
    if "\x00" in value:
        return "contains a NUL character, which cannot be written to a file"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "contains an unpaired surrogate, which is not valid UTF-8"
    return None


def check_text(owner: str, ident: object, field: str, value: object) -> None:
    problem = text_problem(value)
    if problem is not None:
        fail(owner, ident, f"{field} {problem}")


def check_id(owner: str, ident: object, field: str, value: object) -> None:
    check_text(owner, ident, field, value)
    if not value:
        fail(owner, ident, f"{field} must be a non-empty identifier")


def check_ids(owner: str, ident: object, field: str, values: Iterable[object]) -> None:
    for value in values:
        check_id(owner, ident, field, value)


def check_texts(owner: str, ident: object, field: str, values: Iterable[object]) -> None:
    for value in values:
        check_text(owner, ident, field, value)


def check_bool(owner: str, ident: object, field: str, value: object) -> None:
    if value is not True and value is not False:
        fail(owner, ident, f"{field} must be True or False, got {value!r}")


def check_aware(owner: str, ident: object, field: str, value: object) -> None:
    if not isinstance(value, datetime):
        fail(owner, ident, f"{field} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        fail(
            owner,
            ident,
            f"{field} is a naive datetime ({value.isoformat()}); "
            "attach a time zone, e.g. tzinfo=datetime.timezone.utc",
        )


def check_optional_aware(owner: str, ident: object, field: str, value: object) -> None:
    if value is not None:
        check_aware(owner, ident, field, value)


def check_duration(owner: str, ident: object, field: str, value: object) -> None:
    if not isinstance(value, timedelta):
        fail(owner, ident, f"{field} must be a timedelta, got {type(value).__name__}")
    if value < timedelta(0):
        fail(owner, ident, f"{field} must not be negative, got {value}")


def check_number(
    owner: str, ident: object, field: str, value: object, low: float, high: float
) -> None:
    """A real number (int or float, never bool), finite, within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(owner, ident, f"{field} must be an int or a float, got {value!r}")
    if not math.isfinite(value):
        fail(owner, ident, f"{field} must be a finite number, got {value!r}")
    if not low <= value <= high:
        fail(owner, ident, f"{field} must be between {low:g} and {high:g}, got {value!r}")


def check_count(owner: str, ident: object, field: str, value: object) -> None:
    """A non-negative int (never bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        fail(owner, ident, f"{field} must be a non-negative int, got {value!r}")


def check_instance(owner: str, ident: object, field: str, value: object, kind: type) -> None:
    if not isinstance(value, kind):
        fail(owner, ident, f"{field} must be a {kind.__name__}, got {type(value).__name__}")


def expect(name: str, value: object, kind: type[_T]) -> _T:
    """Check a function argument's type: ``value`` must be a ``kind``."""
    if not isinstance(value, kind):
        raise InvalidInputError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def expect_aware(name: str, value: object) -> datetime:
    """Check a datetime argument (such as ``now``): it must carry a time zone."""
    moment = expect(name, value, datetime)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInputError(
            f"{name} is a naive datetime ({moment.isoformat()}); attach a time zone"
        )
    return moment


class Rejected:
    """Mixin of the empty stand-ins a converter returns for unusable input.

    Converters run before the owner knows its own id; they return a
    stand-in carrying the reason, and the owner's ``__attrs_post_init__``
    (see :func:`check_collections`) raises with the type, id and field.
    """

    reason = ""


class _RejectedTuple(Rejected, tuple):  # type: ignore[type-arg]
    pass


class _RejectedSet(Rejected, frozenset):  # type: ignore[type-arg]
    pass


def _rejection(kind: type[Any], reason: str) -> Any:
    stand_in = kind()
    stand_in.reason = reason
    return stand_in


def _collection_problem(value: object) -> str | None:
    if isinstance(value, (str, bytes)):
        return (
            f"must be a collection (list, tuple, set), got the single string {value!r}; "
            f"wrap it in a list: [{value!r}]"
        )
    if not isinstance(value, Iterable):
        return f"must be a collection (list, tuple, set), got {type(value).__name__} {value!r}"
    return None


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: any iterable (never a lone string) to a tuple."""
    problem = _collection_problem(value)
    if problem is not None:
        return _rejection(_RejectedTuple, problem)  # type: ignore[no-any-return]
    return tuple(value)


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Converter: any iterable of hashable values (never a lone string) to a frozenset."""
    problem = _collection_problem(value)
    if problem is None:
        try:
            return frozenset(value)
        except TypeError:
            problem = f"must hold hashable values (such as str ids), got {value!r}"
    return _rejection(_RejectedSet, problem)  # type: ignore[no-any-return]


def check_collections(owner: str, ident: object, value: object, fields: Iterable[str]) -> None:
    """Raise for the first field a converter refused (see :class:`Rejected`)."""
    for field in fields:
        found = getattr(value, field)
        if isinstance(found, Rejected):
            fail(owner, ident, f"{field} {found.reason}")


class FrozenMap(dict[_K, _V]):
    """A read-only, hashable dict (a copy of what the caller passed).

    Reads run at dict speed; every method that would change it raises
    :class:`TypeError`, as for any immutable value.

    >>> m = FrozenMap({"Team": "Blue"})
    >>> m["Team"], len(m), hash(m) == hash(FrozenMap({"Team": "Blue"}))
    ('Blue', 1, True)
    >>> m["Team"] = "Red"
    Traceback (most recent call last):
    ...
    TypeError: FrozenMap is read-only
    """

    __slots__ = ("_hash",)

    def __init__(self, data: Mapping[_K, _V] | Iterable[tuple[_K, _V]] = ()) -> None:
        super().__init__(data)
        self._hash: int | None = None

    def __hash__(self) -> int:  # type: ignore[override]
        if self._hash is None:
            self._hash = hash(frozenset(self.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self),))

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("FrozenMap is read-only")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only


class _RejectedMap(Rejected, FrozenMap[Any, Any]):
    pass


def to_frozen_map(value: Mapping[Any, Any]) -> FrozenMap[Any, Any]:
    """Converter: a mapping to a read-only, hashable copy."""
    if isinstance(value, FrozenMap):
        return value
    if not isinstance(value, Mapping):
        return _rejection(
            _RejectedMap, f"must be a mapping (dict), got {type(value).__name__} {value!r}"
        )
    return FrozenMap(value)
