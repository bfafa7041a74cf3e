"""Export options (SPEC §5.3): time zone, number format, CSV dialect, filters."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from typing import Any

import attrs

from ._checks import check_collections, text_problem, to_tuple
from .errors import InvalidInputError
from .rights import Viewer

__all__ = ["ExportOptions"]

_PROBE = datetime(2026, 1, 1, tzinfo=timezone.utc)
_FORBIDDEN_DELIMITERS = frozenset("\"'\r\n\x00")


def as_timezone(value: tzinfo | str | None) -> tzinfo:
    """Converter: a tzinfo, or an IANA name looked up with ``dateutil.tz.gettz``."""
    if isinstance(value, str):
        from dateutil import tz

        # Only names of the time-zone database: no file paths (which read the
        # machine's files) and no POSIX strings such as "UTC+3" (whose sign
        # means the opposite of what most readers expect).
        zone = None
        if value.strip() and not value.startswith((".", "/")) and ".." not in value:
            zone = tz.gettz(value)
            if not isinstance(zone, (tz.tzfile, tz.tzutc)):
                zone = None
        if zone is None:
            raise InvalidInputError(
                f"unknown time zone {value!r}; use an IANA name "
                "such as 'Europe/Paris' or a tzinfo object"
            )
        return zone
    if value is None:
        raise InvalidInputError(
            "time zone is None (dateutil.tz.gettz returns None for an "
            "unknown name); pass a tzinfo such as datetime.timezone.utc"
        )
    if not isinstance(value, tzinfo):
        raise InvalidInputError(f"time zone must be a tzinfo or a zone name, got {value!r}")
    return value


def _to_names(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else to_tuple(value)


def _to_period(value: Any) -> tuple[datetime, datetime] | None:
    return None if value is None else to_tuple(value)  # checked in __attrs_post_init__


def _fail(message: str) -> None:
    raise InvalidInputError(f"ExportOptions: {message}")


@attrs.frozen(kw_only=True)
class ExportOptions:
    """How exports are filtered and written.

    ``timezone`` accepts a tzinfo or an IANA name (``"Europe/Paris"``).
    ``decimals`` is the number of decimal places of scores and percentages;
    ``delimiter`` one character (``,`` by default, ``;`` for spreadsheets in
    locales that need it); ``bom`` starts the file with a UTF-8 byte-order
    mark; ``protect_formulas`` prefixes ``'`` to user text a spreadsheet would
    run as a formula. ``custom_fields`` restricts the custom-field columns,
    ``activity_between=(since, until)`` keeps only learners active in that
    period, ``viewer`` restricts the group columns to the viewer's groups, and
    ``anonymization_key`` / ``anonymized_domain`` build the e-mail shown for an
    anonymized author.

    >>> ExportOptions(timezone="Europe/Paris", delimiter=";").delimiter
    ';'
    >>> ExportOptions(timezone="Mars/Olympus")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    programstats.errors.InvalidInputError: unknown time zone 'Mars/Olympus'; ...
    """

    timezone: tzinfo = attrs.field(default=timezone.utc, converter=as_timezone)
    decimals: int = 0
    delimiter: str = ","
    bom: bool = False
    protect_formulas: bool = True
    custom_fields: tuple[str, ...] | None = attrs.field(default=None, converter=_to_names)
    activity_between: tuple[datetime, datetime] | None = attrs.field(
        default=None, converter=_to_period
    )
    viewer: Viewer | None = None
    anonymization_key: bytes = b""
    anonymized_domain: str = "360learning.eu"

    def __attrs_post_init__(self) -> None:
        check_collections("ExportOptions", None, self, ("custom_fields", "activity_between"))
        try:
            _PROBE.astimezone(self.timezone)
        except Exception as error:  # a broken tzinfo subclass
            _fail(f"timezone {self.timezone!r} cannot convert datetimes: {error}")
        if isinstance(self.decimals, bool) or not isinstance(self.decimals, int):
            _fail(f"decimals must be an int, got {self.decimals!r}")
        if self.decimals < 0:
            _fail(f"decimals must not be negative, got {self.decimals}")
        if (
            not isinstance(self.delimiter, str)
            or len(self.delimiter) != 1
            or self.delimiter in _FORBIDDEN_DELIMITERS
        ):
            _fail(
                f"unknown delimiter {self.delimiter!r}: use one character other than a "
                "quote or a line break, such as ',' or ';'"
            )
        for name in ("bom", "protect_formulas"):
            if not isinstance(getattr(self, name), bool):
                _fail(f"{name} must be True or False, got {getattr(self, name)!r}")
        for title in self.custom_fields or ():
            problem = text_problem(title)
            if problem is not None:
                _fail(f"custom field title {title!r} {problem}")
        self._check_period()
        if self.viewer is not None and not isinstance(self.viewer, Viewer):
            _fail(f"viewer must be a Viewer, got {self.viewer!r}")
        if not isinstance(self.anonymization_key, bytes):
            _fail(
                "anonymization_key must be bytes (e.g. secret.encode()), got "
                f"{type(self.anonymization_key).__name__}"
            )
        domain = self.anonymized_domain
        if text_problem(domain) is not None or not domain or "@" in domain:
            _fail(f"anonymized_domain must be a domain name such as 'example.com', got {domain!r}")

    def _check_period(self) -> None:
        period = self.activity_between
        if period is None:
            return
        if len(period) != 2:
            _fail(f"activity_between must be a pair (since, until), got {period!r}")
        for moment in period:
            if not isinstance(moment, datetime) or moment.utcoffset() is None:
                _fail(f"activity_between needs two timezone-aware datetimes, got {moment!r}")
        since, until = period
        if until < since:
            _fail(f"activity_between ends ({until}) before it starts ({since})")
