"""ISO 8601 timestamps of xAPI statements (``timestamp``, ``stored``), as UTC datetimes.

xAPI writes them in RFC 3339's form of ISO 8601 (``2016-06-09T15:34:25.541Z``,
``…+02:00``); a timestamp without a UTC offset names no instant and is
refused. :func:`quick_timestamp` reads the usual UTC forms with the C
parser; :func:`parse_timestamp` reads every allowed form and explains
what is wrong with the others.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .._checks import EARLIEST, LATEST, UTC, short
from ..errors import InvalidInputError

__all__ = ["parse_timestamp", "quick_timestamp"]

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?"
    r"(?:([Zz])|([+-])(\d\d)(?::?(\d\d))?)?",
    re.ASCII,
)


def parse_timestamp(text: object) -> datetime:
    """An ISO 8601 date and time with a UTC offset, as a UTC ``datetime``.

    The extended format of RFC 3339 (``2016-06-09T15:34:25.541Z``,
    ``…+02:00``); digits past the microsecond are dropped.

    >>> parse_timestamp("2016-06-09T17:34:25.5412+02:00")
    datetime.datetime(2016, 6, 9, 15, 34, 25, 541200, tzinfo=datetime.timezone.utc)

    Raises :class:`~programstats.InvalidInputError` for anything else: no
    offset, an impossible date, an instant out of range.
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"must be ISO 8601 text with a UTC offset, got {short(text, 80)}")
    found = _TIMESTAMP.fullmatch(text) if len(text) < 80 else None
    if found is None:
        raise InvalidInputError(
            f"{short(text, 80)} is not an ISO 8601 date and time "
            "(expected e.g. 2016-06-09T15:34:25.541Z)"
        )
    year, month, day, hour, minute, second, fraction, zulu, sign, hours, minutes = found.groups()
    if zulu is None and sign is None:
        raise InvalidInputError(
            f"{short(text, 80)} has no UTC offset; statements' timestamps need one "
            "(Z or +hh:mm), or the instant is unknown"
        )
    micro = int((fraction + "00000")[:6]) if fraction else 0
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, UTC
        )
    except ValueError as error:
        raise InvalidInputError(
            f"{short(text, 80)} is not a valid date and time ({error})"
        ) from None
    if sign is not None:
        if int(hours) > 23 or int(minutes or 0) > 59:
            raise InvalidInputError(f"{short(text, 80)} has an impossible UTC offset")
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        try:
            moment = moment - offset if sign == "+" else moment + offset
        except OverflowError:
            moment = LATEST + offset  # out of range either way
    if not EARLIEST <= moment <= LATEST:
        raise InvalidInputError(
            f"{short(text, 80)} is out of range (accepted: 0001-01-02 to 9999-12-30 UTC)"
        )
    return moment


#: The usual form: UTC, to the second, the millisecond or the microsecond.
_USUAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3}|\.\d{6})?(?:Z|\+00:00)", re.ASCII)


def quick_timestamp(text: object) -> datetime | None:
    """:func:`parse_timestamp` of the usual form, else None (for it to explain)."""
    if type(text) is not str or _USUAL.fullmatch(text) is None:
        return None
    try:  # with an offset written out, which gives timezone.utc itself (replace() is slower)
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] == "Z" else text)
    except ValueError:
        return None
    if moment.tzinfo is not UTC:
        moment = moment.replace(tzinfo=UTC)
    return moment if EARLIEST <= moment <= LATEST else None
