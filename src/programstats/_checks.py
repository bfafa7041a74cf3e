"""Cheap, reusable checks shared by the value types (private).

Each helper raises :class:`InvalidInputError` with a message of the form
``"<Type> <id>: <field> <what is wrong>; <how to fix it>"``.
"""

from __future__ import annotations

import heapq
import math
import reprlib
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from itertools import repeat
from operator import attrgetter, is_
from typing import Any, NoReturn, TypeVar

import attrs

from .errors import InvalidInputError

_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")

UTC = timezone.utc
#: Accepted instants: a day away from both ends of ``datetime``, so that any
#: accepted datetime can be shown in any UTC offset (offsets are under 24 h).
EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
#: Longest accepted duration (``time_spent``, ``expected_duration``): 100 years.
MAX_DURATION = timedelta(days=36_525)
#: Longest accepted reported duration of a classroom slot, in hours (100 years).
MAX_HOURS = 876_600
#: Largest accepted count (posts, comments, reactions of each kind).
MAX_COUNT = 10**12
#: Most decimal places a score or percentage can be written with.
MAX_DECIMALS = 15
#: Longest text of a value shown in an error message (ids in an owner: 40).
SHOWN = 60
#: How many valid ids an "unknown id" message lists.
LISTED = 5

_ZERO = timedelta(0)


class _Bounded(reprlib.Repr):
    """:mod:`reprlib` limits, plus the two cases its defaults get wrong.

    An int too long for ``repr`` (CPython refuses more than 4,300 digits)
    is described by its size; an object whose ``__repr__`` raises, or that
    :mod:`reprlib` does not know, is shown by its own ``repr`` cut short, or
    by its type -- never by a memory address, which would change the
    message from one run to the next.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 2
        self.maxstring = SHOWN
        self.maxlong = SHOWN
        self.maxother = SHOWN
        for name in ("maxtuple", "maxlist", "maxarray", "maxdict", "maxset", "maxfrozenset"):
            setattr(self, name, 4)

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 200:
            return f"<an int of {x.bit_length()} bits>"
        return super().repr_int(x, level)

    def repr_instance(self, x: object, level: int) -> str:
        try:
            text = repr(x)
        except Exception:  # the object's own error: it is the input at fault
            return f"<a {type(x).__name__} whose repr fails>"
        if type(text) is not str:  # pragma: no cover - repr() checks the type
            return f"<a {type(x).__name__}>"
        return text if len(text) <= self.maxother else text[: self.maxother - 3] + "..."


_BOUNDED = _Bounded()


def short(value: object, limit: int = SHOWN) -> str:
    """A bounded ``repr`` of ``value``: at most ``limit`` characters, never raises.

    The one representation of input values in every message of the library
    (the types' and the records layer's): a 1 MB string, a 5,000-digit int,
    a 100,000-deep list or an object whose ``__repr__`` raises all give a
    few dozen characters.

    >>> short("x" * 10**6, 20), short(10**5000), short([[[[1]]]])
    ("'xxxxxxxxxxxxxxxx...", '<an int of 16610 bits>', '[[[...]]]')
    """
    if type(value) is str and len(value) < limit:  # the common case: a short id or name
        text = repr(value)
        if len(text) <= limit:
            return text
    try:
        text = _BOUNDED.repr(value)
    except Exception:  # a container whose items' reprs fail in reprlib's own code
        return f"<a {type(value).__name__}>"
    if len(text) > limit:
        return text[: max(limit - 3, 1)] + "..."
    return text


def error_text(error: BaseException) -> str:
    """``TypeName: message`` of an exception that foreign code raised, bounded; never raises."""
    try:
        message = str(error)
    except Exception:
        message = "<its message cannot be shown>"
    return f"{type(error).__name__}: {short(message, 60)}"


def known_ids(values: Iterable[object]) -> str:
    """Up to :data:`LISTED` valid ids, sorted, for an "unknown id" message."""
    ids = [value for value in values if isinstance(value, str)]
    if not ids:
        return "there are none"
    first = heapq.nsmallest(LISTED, ids)
    listed = ", ".join(short(value, 60) for value in first)
    more = len(ids) - len(first)
    return f"valid ones are {listed}" + (f" and {more} more" if more else "")


def detail(error: InvalidInputError) -> str:
    """The message of an error raised by :func:`fail`, without its owner and id.

    Lets an owner collect several problems in one message.
    """
    found = getattr(error, "_detail", None)
    return found if isinstance(found, str) else str(error)


def fail(owner: str, ident: object, message: str) -> NoReturn:
    """Raise an :class:`InvalidInputError` about ``owner`` ``ident``.

    ``ident`` None leaves the id out (for values that have none).
    """
    where = owner if ident is None else f"{owner} {short(ident, 40)}"
    error = InvalidInputError(f"{where}: {message}")
    error._detail = message  # type: ignore[attr-defined]  # read back by detail()
    try:
        raise error
    finally:
        # The error's traceback holds this frame: a local naming the error
        # would make a cycle, keeping every frame of the traceback and what
        # they hold (a half-built session, the caller's records) alive until
        # a full collection, for each error a caller catches.
        del error


def plain_str(value: str) -> str:
    """``value`` as an exact ``str`` (a subclass loses its behaviour)."""
    return value if type(value) is str else str.__str__(value)


def text_problem(value: object) -> str | None:
    """Say what makes ``value`` unusable as text, or None when it is fine."""
    if not isinstance(value, str):
        return f"must be a str, got {type(value).__name__}"
    value = plain_str(value)
    if "\x00" in value:
        return "contains a NUL character, which cannot be written to a file"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "contains an unpaired surrogate, which is not valid UTF-8"
    return None


def check_text(owner: str, ident: object, field: str, value: object) -> str:
    """Checked text, as an exact ``str``."""
    problem = text_problem(value)
    if problem is not None:
        fail(owner, ident, f"{field} {problem}")
    return plain_str(value)  # type: ignore[arg-type]  # text_problem checked it is a str


def check_id(owner: str, ident: object, field: str, value: object) -> str:
    """A checked non-empty identifier, as an exact ``str``."""
    text = check_text(owner, ident, field, value)
    if not text:
        fail(owner, ident, f"{field} must be a non-empty identifier")
    return text


def _in_order(values: Iterable[_T]) -> list[_T]:
    """Tuples keep their order; sets are sorted so messages do not depend on the hash seed."""
    if isinstance(values, (set, frozenset)):
        return sorted(values, key=lambda value: (type(value).__name__, short(value)))
    return list(values)


def check_ids(owner: str, ident: object, field: str, values: Iterable[Any]) -> Any:
    """Checked ids; a tuple comes back with every id an exact ``str``."""
    if all(
        type(value) is str and value and value.isascii() and "\x00" not in value for value in values
    ):
        return values  # the common case: nothing to report, nothing to convert
    plain = [check_id(owner, ident, field, value) for value in _in_order(values)]
    return tuple(plain) if isinstance(values, tuple) else values


def check_texts(owner: str, ident: object, field: str, values: Iterable[object]) -> tuple[str, ...]:
    """Checked texts as a tuple of exact ``str`` (a tuple of plain ASCII text comes back as is)."""
    if isinstance(values, tuple) and all(
        type(value) is str and value.isascii() and "\x00" not in value for value in values
    ):
        return values
    return tuple([check_text(owner, ident, field, value) for value in values])


def _encodes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_plain_text(value: object) -> bool:
    """Whether :func:`check_text` would accept ``value`` as it is (nothing to convert)."""
    return type(value) is str and "\x00" not in value and (value.isascii() or _encodes(value))


def is_plain_id(value: object) -> bool:
    """Whether :func:`check_id` would accept ``value`` as it is (nothing to convert)."""
    return is_plain_text(value) and value != ""


def is_plain_instant(value: object) -> bool:
    """Whether :func:`instant` would return ``value`` itself (UTC, fold 0, in range)."""
    return (
        type(value) is datetime
        and value.tzinfo is UTC
        and not value.fold
        and EARLIEST <= value <= LATEST
    )


def plain_text_column(values: Sequence[Any], *, identifiers: bool = True) -> bool:
    """Whether :func:`check_text` (:func:`check_id` for ``identifiers``) accepts every value as is.

    Column-wise form of :func:`is_plain_text`: each distinct text is looked
    at once.
    """
    return plain_text_set(values, identifiers=identifiers) is not None


def plain_text_set(values: Sequence[Any], *, identifiers: bool = True) -> set[str] | None:
    """The distinct values when :func:`plain_text_column` accepts them all, else None."""
    if not values:
        return set()
    if set(map(type, values)) != _STR:  # before deduplicating: a subclass may equal a str
        return None
    distinct = set(values)
    if identifiers and "" in distinct:
        return None
    # All at once: one NUL or surrogate anywhere is in the joined text too.
    text = "".join(distinct)
    if "\x00" in text or not (text.isascii() or _encodes(text)):
        return None
    return distinct


_STR = {str}
_DATETIME = {datetime}
_TIMEDELTA = {timedelta}
_BOOL = {bool}
_SCORE_TYPES = frozenset((float, int, type(None)))
_zone = attrgetter("tzinfo")
_fold = attrgetter("fold")


def utc_column(values: Sequence[Any]) -> bool:
    """Whether every value is a plain ``datetime`` in UTC, fold 0, in the accepted range.

    Column-wise form of the fast test of :func:`instant`.
    """
    if not values:
        return True
    return (
        set(map(type, values)) == _DATETIME
        and all(map(is_, map(_zone, values), repeat(UTC)))  # UTC itself, not an equal zone
        and not any(map(_fold, values))
        and min(values) >= EARLIEST
        and max(values) <= LATEST
    )


def duration_column(values: Sequence[Any], limit: timedelta = MAX_DURATION) -> bool:
    """Whether every value is a plain ``timedelta`` in [0, ``limit``]."""
    if not values:
        return True
    return set(map(type, values)) == _TIMEDELTA and min(values) >= _ZERO and max(values) <= limit


def optional_percentage_column(values: Sequence[Any]) -> bool:
    """Whether every value is None or a plain ``int``/``float`` in [0, 100] (never NaN)."""
    if not set(map(type, values)) <= _SCORE_TYPES:
        return False
    numbers = set(values)
    numbers.discard(None)
    return all(0 <= number <= 100 for number in numbers)  # NaN fails too


def bool_column(values: Sequence[Any]) -> bool:
    """Whether every value is True or False (never 0 or 1)."""
    return not values or set(map(type, values)) == _BOOL


def field_names(cls: type[Any]) -> tuple[str, ...]:
    """The attrs fields of ``cls``, in order."""
    return tuple(field.name for field in attrs.fields(cls))


def blank_values(cls: type[Any], count: int) -> list[Any]:
    """``count`` values of ``cls`` with no field set yet, for :func:`fill_columns`.

    Allocating many values is what makes the cyclic collector run, and each
    of its runs walks every young container. Allocated before their
    columns, the values are walked while they are empty, and those runs are
    over before the columns (lists of thousands of scattered values) exist.
    Never let one out before it is filled.
    """
    # A list while the values are allocated: a tuple grown by resizing goes
    # back to the youngest generation at each resize, and every collection
    # of that generation then walks all the values it holds so far.
    return list(map(object.__new__, repeat(cls, count)))


def fill_columns(
    items: list[Any], cls: type[Any], columns: Sequence[Sequence[Any]]
) -> tuple[Any, ...]:
    """The :func:`blank_values` ``items`` with their fields set from ``columns`` (one per field).

    Field by field, in C loops: no Python code runs per value, and no check.
    """
    names = field_names(cls)
    if len(columns) != len(names) or set(map(len, columns)) - {len(items)}:
        raise ValueError(
            f"{cls.__name__}: expected {len(names)} columns of {len(items)} values each"
        )
    for name, column in zip(names, columns, strict=True):
        deque(map(getattr(cls, name).__set__, items, column), maxlen=0)
    return tuple(items)


def from_columns(cls: type[Any], columns: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    """Values of ``cls`` from checked columns of field values, without running checks.

    Unpickling rebuilds what a session's pickle took apart; the ``plain_*``
    functions of the value modules build what they have checked.
    """
    if not columns:  # what a pickle holds for no item
        return ()
    return fill_columns(blank_values(cls, len(columns[0])), cls, columns)


def fill_named_columns(
    items: list[Any], cls: type[Any], **columns: Sequence[Any]
) -> tuple[Any, ...]:
    """:func:`fill_columns` with each column named by its field (every field, no other)."""
    names = field_names(cls)
    if sorted(columns) != sorted(names):
        raise ValueError(f"{cls.__name__}: columns {sorted(columns)} are not its fields")
    return fill_columns(items, cls, [columns[name] for name in names])


def check_bool(owner: str, ident: object, field: str, value: object) -> None:
    if value is not True and value is not False:
        fail(owner, ident, f"{field} must be True or False, got {short(value)}")


def _wall(value: datetime) -> str:
    """The wall-clock text of a datetime (never calls its tzinfo)."""
    return value.replace(tzinfo=None).isoformat()


def instant(owner: str, ident: object, field: str, value: object) -> datetime:
    """An aware datetime as a plain ``datetime`` in UTC, within the accepted range.

    Comparing two such values compares instants (``fold`` and the caller's
    zone play no part any more).
    """
    if type(value) is datetime:
        zone = value.tzinfo
        if zone is UTC:
            if EARLIEST <= value <= LATEST:
                return value.replace(fold=0) if value.fold else value
        elif zone is not None:
            try:  # the common other zone; any problem is explained below
                utc = (value - value.utcoffset()).replace(tzinfo=UTC, fold=0)  # type: ignore[operator]
            except Exception:
                utc = None
            if utc is not None and EARLIEST <= utc <= LATEST:
                return utc
    return _to_instant(owner, ident, field, value)


def plain_datetime(value: datetime) -> datetime:
    """A ``datetime`` subclass (``pandas.Timestamp``) as a plain ``datetime``, same fields."""
    if type(value) is datetime:
        return value
    return datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=value.tzinfo,
        fold=value.fold,
    )


def _to_instant(owner: str, ident: object, field: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        fail(owner, ident, f"{field} must be a datetime, got {type(value).__name__}")
    moment = value
    if type(moment) is not datetime:
        try:
            moment = plain_datetime(moment)
        except Exception:
            fail(
                owner,
                ident,
                f"{field} is a {type(value).__name__}, which is not a usable datetime "
                "(pandas.NaT and other 'missing' markers are refused; "
                "use None where the field allows it)",
            )
    zone = moment.tzinfo
    if zone is None:
        fail(
            owner,
            ident,
            f"{field} is a naive datetime ({moment.isoformat()}); "
            "attach a time zone, e.g. tzinfo=datetime.timezone.utc",
        )
    try:
        offset = moment.utcoffset()
    except Exception as error:
        fail(
            owner,
            ident,
            f"{field} ({_wall(moment)}) has a tzinfo of type {type(zone).__name__} whose "
            f"utcoffset fails ({error_text(error)}); "
            "use datetime.timezone.utc or a zoneinfo.ZoneInfo",
        )
    if offset is None:
        fail(
            owner,
            ident,
            f"{field} is a naive datetime ({_wall(moment)}): its tzinfo "
            f"{type(zone).__name__} gives no UTC offset; attach a time zone",
        )
    try:
        utc = (moment - offset).replace(tzinfo=UTC, fold=0)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        fail(
            owner,
            ident,
            f"{field} {_wall(moment)} (UTC offset {offset}) is out of range: accepted "
            "instants run from 0001-01-02 00:00 to 9999-12-30 23:59:59.999999 UTC, so that "
            "every datetime can be shown in any UTC offset",
        )
    return utc


def check_aware(owner: str, ident: object, field: str, value: object) -> datetime:
    """Alias of :func:`instant` (kept for callers that only check)."""
    return instant(owner, ident, field, value)


def check_optional_aware(owner: str, ident: object, field: str, value: object) -> datetime | None:
    return None if value is None else instant(owner, ident, field, value)


def check_duration(
    owner: str, ident: object, field: str, value: object, limit: timedelta = MAX_DURATION
) -> timedelta:
    """A plain ``timedelta`` in [0, ``limit``]."""
    if not isinstance(value, timedelta):
        fail(owner, ident, f"{field} must be a timedelta, got {type(value).__name__}")
    if type(value) is not timedelta:  # pandas.Timedelta and other subclasses
        value = timedelta.__add__(value, _ZERO)
    if value < _ZERO:
        fail(owner, ident, f"{field} must not be negative, got {value}")
    if value > limit:
        fail(
            owner,
            ident,
            f"{field} must be at most {limit.days:,} days (100 years), got {value.days:,} days",
        )
    return value


def check_number(
    owner: str, ident: object, field: str, value: object, low: float, high: float
) -> int | float:
    """A real number (int or float, never bool), finite, within [low, high].

    Subclasses (``numpy.float64``) come back as a plain ``int`` or ``float``.
    """
    if type(value) is float:
        number: int | float = value
    elif type(value) is int:
        number = value
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(owner, ident, f"{field} must be an int or a float, got {short(value)}")
    elif isinstance(value, int):
        number = int.__int__(value)
    else:
        number = float.__float__(value)
    try:
        finite = math.isfinite(number)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        fail(
            owner,
            ident,
            f"{field} must be a finite number (one that converts to a finite float), "
            f"got {short(number)}",
        )
    if not low <= number <= high:
        fail(owner, ident, f"{field} must be between {low:,g} and {high:,g}, got {short(number)}")
    return number


def check_count(owner: str, ident: object, field: str, value: object) -> int:
    """A non-negative int (never bool) up to :data:`MAX_COUNT`, as a plain ``int``."""
    if isinstance(value, bool) or not isinstance(value, int):
        fail(owner, ident, f"{field} must be a non-negative int, got {short(value)}")
    count = value if type(value) is int else int.__int__(value)
    if count < 0:
        fail(owner, ident, f"{field} must be a non-negative int, got {short(count)}")
    if count > MAX_COUNT:
        fail(owner, ident, f"{field} must be at most {MAX_COUNT:,}, got {short(count)}")
    return count


def check_instance(owner: str, ident: object, field: str, value: object, kind: type) -> None:
    if not isinstance(value, kind):
        fail(owner, ident, f"{field} must be a {kind.__name__}, got {type(value).__name__}")


def normalise(
    target: object,
    name: str,
    check: Callable[[str, object, str, Any], Any],
    owner: str,
    ident: object,
) -> Any:
    """Check field ``name`` of a frozen value and store its normalised form."""
    value = getattr(target, name)
    plain = check(owner, ident, name, value)
    if plain is not value:
        object.__setattr__(target, name, plain)
    return plain


def _argument_hint(value: object, kind: type) -> str:
    if isinstance(value, (list, tuple, set, frozenset)) and not issubclass(
        kind, (list, tuple, set, frozenset)
    ):
        return f"; pass the {kind.__name__} itself, not a {type(value).__name__} holding it"
    return ""


def expect(name: str, value: object, kind: type[_T]) -> _T:
    """Check a function argument's type: ``value`` must be a ``kind``."""
    if not isinstance(value, kind):
        raise InvalidInputError(
            f"{name} must be a {kind.__name__}, got {type(value).__name__}"
            + _argument_hint(value, kind)
        )
    return value


def expect_aware(name: str, value: object) -> datetime:
    """Check a datetime argument (such as ``now``): aware, in range; returned in UTC."""
    return instant("argument", None, name, value)


class Rejected:
    """Mixin of the empty stand-ins a converter returns for unusable input.

    Converters run before the owner knows its own id; they return a
    stand-in carrying the reason, and the owner's ``__attrs_post_init__``
    (see :func:`check_collections`) raises with the type, id and field.
    """

    reason = ""


_NO_IDS: frozenset[Any] = frozenset()


class _RejectedTuple(Rejected, tuple):  # type: ignore[type-arg]
    pass


class _RejectedSet(Rejected, frozenset):  # type: ignore[type-arg]
    pass


def _rejection(kind: type[Any], reason: str) -> Any:
    stand_in = kind()
    stand_in.reason = reason
    return stand_in


def _single(value: object) -> str:
    """How a lone value is named in a message: its type, and its id when it has one."""
    ident = getattr(value, "id", None) if not isinstance(value, type) else None
    name = type(value).__name__
    return f"{name} {short(ident, 40)}" if isinstance(ident, str) else f"{name} {short(value, 40)}"


def _collection_problem(value: object) -> str | None:
    if isinstance(value, (str, bytes)):
        shown = short(value, 40)
        return (
            f"must be a collection (list, tuple, set), got the single string {shown}; "
            f"wrap it in a list: [{shown}]"
        )
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        return (
            f"must be a collection (list, tuple, set), got a single {_single(value)}; "
            "wrap it in a list: [value]"
        )
    return None


def _plain_item(value: object) -> object:
    return str.__str__(value) if isinstance(value, str) and type(value) is not str else value


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: any iterable (never a lone string or mapping) to a tuple."""
    if type(value) is tuple or type(value) is list:  # the common case, at once
        return tuple(value)
    problem = _collection_problem(value)
    if problem is None:
        try:
            return tuple(value)
        except Exception as error:  # an iterable whose iteration fails
            problem = f"could not be read ({error_text(error)})"
    return _rejection(_RejectedTuple, problem)  # type: ignore[no-any-return]


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Converter: any iterable of hashable values (never a lone string) to a frozenset.

    ``str`` subclasses become plain ``str`` first, so their own ``__eq__`` or
    ``__hash__`` never decide which ids are the same.
    """
    kind = type(value)
    if kind is list or kind is tuple or kind is frozenset or kind is set:
        if not value:
            return _NO_IDS
        if set(map(type, value)) == _STR:  # plain str ids: nothing to convert
            return value if type(value) is frozenset else frozenset(value)
    problem = _collection_problem(value)
    if problem is None:
        try:
            items = tuple(value)
            if all(type(item) is str for item in items):
                return frozenset(items)
            return frozenset(map(_plain_item, items))
        except Exception:
            problem = "must hold hashable values such as str ids"
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

    # No __init__ of its own: dict's (in C) copies the data; _hash is set on first use.
    __slots__ = ("_hash",)
    _hash: int

    def __hash__(self) -> int:  # type: ignore[override]
        try:
            return self._hash
        except AttributeError:
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


#: The one empty map the converter gives for every empty mapping (it cannot change).
_NO_ITEMS: FrozenMap[Any, Any] = FrozenMap()


def to_frozen_map(value: Mapping[Any, Any]) -> FrozenMap[Any, Any]:
    """Converter: a mapping to a read-only, hashable copy."""
    if isinstance(value, FrozenMap):
        return value
    if type(value) is dict:  # the common case, at once
        if not value:
            return _NO_ITEMS
        if set(map(type, value)) == _STR and set(map(type, value.values())) == _STR:
            return FrozenMap(value)
    problem = f"must be a mapping (dict), got {type(value).__name__}"
    if isinstance(value, Mapping):
        try:
            items = list(value.items())
            problem = ""
        except Exception as error:
            problem = f"could not be read ({error_text(error)})"
    if problem:
        rejected: FrozenMap[Any, Any] = _rejection(_RejectedMap, problem)
        return rejected
    if all(type(key) is str and type(item) is str for key, item in items):
        return FrozenMap(items)
    plain: list[tuple[Any, Any]] = [(_plain_item(key), _plain_item(item)) for key, item in items]
    return FrozenMap(plain)
