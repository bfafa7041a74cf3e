"""Time zones: the one place where a zone name or a tzinfo is accepted (private).

A zone is either a ``tzinfo`` object or an IANA name (``"Europe/Paris"``).
Names are resolved with :class:`zoneinfo.ZoneInfo` when the system has the
time-zone database (it is the fastest to convert with), else with
``dateutil.tz.gettz``. Only names of the database are accepted: nothing that
depends on the machine (``localtime``, ``posixrules``), no ``Factory``, no
``posix/`` or ``right/`` copies (``right/`` counts leap seconds), no paths.
A ``tzinfo`` object is probed: its ``utcoffset`` must work and stay within
(-24 h, 24 h).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta, timezone, tzinfo

from ._checks import error_text, short
from .errors import InvalidInputError

__all__ = ["resolve_zone"]

#: Longest accepted name (the longest IANA name has 32 characters).
MAX_NAME = 64
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*\Z")
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
_NOT_PREFIXES = ("posix/", "right/", "SystemV/")
_DAY = timedelta(hours=24)
#: Instants a tzinfo object is tried on: far past, the epoch, today's era, far future.
_PROBES = tuple(
    datetime(year, month, 1, tzinfo=timezone.utc)
    for year, month in ((1900, 1), (1970, 1), (2026, 1), (2026, 7), (2100, 1))
)


def _fail(owner: str, field: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{owner}: {field} {message}")


@functools.lru_cache(maxsize=1)
def _database() -> frozenset[str] | None:
    """Zone names of the system's database (None when the system has none)."""
    try:
        import zoneinfo

        names = frozenset(zoneinfo.available_timezones())
    except Exception:  # pragma: no cover - depends on the system
        return None
    return names or None


def name_problem(name: str) -> str | None:
    """Why ``name`` is not an accepted IANA zone name (None when its form is fine)."""
    if len(name) > MAX_NAME:
        return f"is {len(name)} characters long; IANA zone names are at most {MAX_NAME}"
    if _NAME.match(name) is None or ".." in name:
        return "is not an IANA zone name (letters, digits, '_', '+', '-' and '/' only)"
    if name in _NOT_ZONES or name.startswith(_NOT_PREFIXES):
        return "depends on the machine or is not a zone of the IANA database"
    return None


@functools.lru_cache(maxsize=64)
def _lookup(name: str) -> tzinfo | None:
    """The tzinfo of an IANA name with a valid form, or None when unknown."""
    names = _database()
    if names is not None:
        if name not in names:
            return None
        import zoneinfo

        try:
            return zoneinfo.ZoneInfo(name)
        except Exception:  # pragma: no cover - a damaged database file
            return None
    from dateutil import tz

    try:
        zone = tz.gettz(name)
    except Exception:  # pragma: no cover - depends on the system
        return None
    return zone if isinstance(zone, (tz.tzfile, tz.tzutc)) else None


def check_zone(value: tzinfo, owner: str, field: str) -> tzinfo:
    """Probe a tzinfo object; raise when it cannot convert datetimes."""
    kind = type(value).__name__
    if kind in ("tzlocal", "tzwinlocal"):
        raise _fail(
            owner,
            field,
            f"is a {kind}, whose offsets depend on the machine; pass an IANA name "
            "such as 'Europe/Paris'",
        )
    key = getattr(value, "key", None)
    if isinstance(key, str) and name_problem(key) is not None:
        raise _fail(owner, field, f"is a {kind} for {key!r}, {name_problem(key)}")
    for probe in _PROBES:
        try:
            local = probe.astimezone(value)
            offset = local.utcoffset()
            good = type(local) is datetime and isinstance(offset, timedelta)
            good = good and -_DAY < offset < _DAY  # type: ignore[operator]
            good = good and local.replace(tzinfo=None) - offset == probe.replace(tzinfo=None)  # type: ignore[operator]
        except Exception as error:
            raise _fail(
                owner,
                field,
                f"is a {kind} that cannot convert datetimes "
                f"({error_text(error)}); use "
                "datetime.timezone.utc, a zoneinfo.ZoneInfo or an IANA name",
            ) from None
        if not good:
            raise _fail(
                owner,
                field,
                f"is a {kind} that gives an impossible UTC offset; use "
                "datetime.timezone.utc, a zoneinfo.ZoneInfo or an IANA name",
            )
    return value


def resolve_zone(value: object, owner: str, field: str) -> tzinfo:
    """A usable tzinfo from a tzinfo object or an IANA name.

    Raises :class:`InvalidInputError` naming ``owner`` and ``field`` for
    None, an unknown or machine-dependent name, or a tzinfo that cannot
    convert datetimes.
    """
    if isinstance(value, str):
        name = value if type(value) is str else str.__str__(value)
        problem = name_problem(name)
        zone = None if problem is not None else _lookup(name)
        if zone is None:
            raise _fail(
                owner,
                field,
                f"is an unknown time zone {short(name, 40)}"
                + (f" ({problem})" if problem else "")
                + "; use an IANA name such as 'Europe/Paris' or a tzinfo object",
            )
        return zone
    if value is None:
        raise _fail(
            owner,
            field,
            "is None (dateutil.tz.gettz returns None for an unknown name); "
            "pass a tzinfo such as datetime.timezone.utc or an IANA name",
        )
    if not isinstance(value, tzinfo):
        raise _fail(
            owner,
            field,
            f"must be a tzinfo or an IANA zone name, got a {type(value).__name__}",
        )
    return check_zone(value, owner, field)
