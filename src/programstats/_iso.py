"""ISO 8601 date and time text, read the same way on every supported Python (private).

:func:`parse_instant` is the one reader of timestamp text in programstats.
It reads what ``datetime.fromisoformat`` reads on CPython 3.11, 3.12 and
3.13 (which agree on every text without a NUL that ``tools/iso_parity.py``
generates), on every supported Python, with two rules of its own so that no
version differs:

- a final lowercase ``z`` reads as ``Z`` (RFC 3339 allows both);
- a text holding a NUL character is never a date and time (3.11 and 3.12
  read some, 3.13 fewer).

On 3.11 and later that is ``datetime.fromisoformat`` itself plus a NUL
check. Python 3.10's ``fromisoformat`` reads only what ``isoformat()``
writes (no ``Z``, 3 or 6 fractional digits, no basic format): there, its
answer is taken for the forms where it agrees with 3.11, and
:func:`_read` (pure Python, the 3.11 reading step by step) reads the rest.

The 3.11 reading, as :func:`_read` follows it:

- a date ``YYYY-MM-DD``, ``YYYYMMDD``, ``YYYY-Www[-D]`` or ``YYYYWww[D]``,
  then, optionally, any one character and a time;
- a time ``HH[:MM[:SS]]`` or ``HH[MM[SS]]``, then optionally ``.`` or ``,``
  and at least one fractional digit (digits past the sixth are dropped);
- an offset ``Z``, or ``+``/``-`` and a time as above (fraction included);
  a zero offset gives ``timezone.utc``, dropping any fraction of a second;
- plus a few leniencies of 3.11's reader, kept so that no version differs:
  one stray character after the last time field when an offset follows,
  anything after the sixth fractional digit when an offset follows, a
  fraction straight after the hour or minutes (``10.5`` is 10:00:00.5).

Text without an offset reads as a naive datetime: the callers say what is
wrong with it (the types refuse naive datetimes).

>>> parse_instant("2026-03-04T10:00:00Z")
datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.timezone.utc)
>>> parse_instant("20260304T110000.5+0100").isoformat()
'2026-03-04T11:00:00.500000+01:00'
>>> parse_instant("2026-03-04T10:00:00z") == parse_instant("2026-03-04T10:00:00+00:00")
True
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone

__all__ = ["parse_instant", "parse_instants"]

UTC = timezone.utc
_fromisoformat = datetime.fromisoformat

_DIGITS = frozenset(b"0123456789")
_COLON, _DOT, _COMMA, _DASH, _PLUS, _WEEK, _ZULU = b":.,-+WZ"
_ZONE_MARKS = frozenset((_ZULU, _PLUS, _DASH))
#: What a fraction of ``count`` digits is multiplied by to give microseconds.
_SCALE = (0, 100_000, 10_000, 1_000, 100, 10, 1)
#: Bytes read past the end of the text read as NUL (3.11 reads a C string).
_PADDING = b"\0" * 8


def _invalid(text: object) -> ValueError:
    return ValueError(f"Invalid isoformat string: {text!r}")


def _parse_native(text: str) -> datetime:
    """:func:`parse_instant` on Python 3.11 and later."""
    try:
        value = _fromisoformat(text)
    except ValueError:
        if text[-1:] != "z":
            raise
        try:
            value = _fromisoformat(text[:-1] + "Z")
        except ValueError:
            raise _invalid(text) from None
    if "\x00" in text:
        raise _invalid(text)
    return value


def _parse_backport(text: str) -> datetime:
    """:func:`parse_instant` on Python 3.10.

    3.10's ``fromisoformat`` reads ``YYYY-MM-DD``, any one character,
    ``HH[:MM[:SS[.fff[fff]]]]`` and an offset ``+HH:MM[:SS[.ffffff]]`` as
    3.11 does, and one stray character before the offset as 3.11 does,
    except when that character is ``Z`` (3.11 takes it for the offset). So
    its answer stands for text without ``Z`` (nor NUL, refused here). Text
    ending in ``Z`` is read as ``+00:00`` in its place when that comes out
    as the offset (not as the separator after a date alone). :func:`_read`
    reads the rest.
    """
    if "Z" not in text and "\x00" not in text:
        try:
            return _fromisoformat(text)  # the common case: 2026-03-04T10:00:00+00:00
        except ValueError:
            pass
    last = text[-1:]
    if last == "Z" or last == "z":
        stem = text[:-1]
        if "Z" not in stem and "\x00" not in stem:
            try:
                value = _fromisoformat(stem + "+00:00")
            except ValueError:
                pass
            else:
                if value.tzinfo is not None:
                    return value
    return _read(text)


def _number(data: bytes, start: int, count: int) -> int:
    """The ``count`` ASCII digits at ``start``, as an int."""
    chunk = data[start : start + count]
    if len(chunk) != count or not chunk.isdigit():  # bytes.isdigit: ASCII digits only
        raise ValueError("not a digit")
    return int(chunk)


def _date_length(data: bytes, size: int) -> int:
    """How many bytes the date takes, as 3.11 decides it before reading it; -1 for none.

    The character after the date is the separator, whatever it is; with
    week dates in basic format the date ends where a run of digits shows it
    must (a time has pairs of digits).
    """
    if size == 7:
        return 7
    if data[4] == _DASH:
        if data[5] != _WEEK:
            return 10  # YYYY-MM-DD
        if size > 8 and data[8] == _DASH:  # YYYY-Www-D, or YYYY-Www and a '-' separator
            if size == 9:
                return -1
            return 8 if size > 10 and data[10] in _DIGITS else 10
        return 8  # YYYY-Www
    if data[4] != _WEEK:
        return 8  # YYYYMMDD
    end = 7  # YYYYWww or YYYYWwwD: count the digits that follow
    while end < size and data[end] in _DIGITS:
        end += 1
    if end < 9:
        return end
    return 7 if end % 2 == 0 else 8


def _read_date(data: bytes, length: int) -> tuple[int, int, int]:
    year = _number(data, 0, 4)
    dashes = data[4] == _DASH
    at = 5 if dashes else 4
    if data[at] == _WEEK:
        week = _number(data, at + 1, 2)
        at += 3
        weekday = 1
        if at < length:
            if dashes:
                if data[at] != _DASH:
                    raise ValueError("inconsistent use of dashes")
                at += 1
            weekday = _number(data, at, 1)
        found = date.fromisocalendar(year, week, weekday)
        return found.year, found.month, found.day
    month = _number(data, at, 2)
    at += 2
    if dashes:
        if data[at] != _DASH:
            raise ValueError("inconsistent use of dashes")
        at += 1
    return year, month, _number(data, at, 2)


def _read_clock(data: bytes, start: int, end: int) -> tuple[bool, int, int, int, int]:
    """``(more, hour, minute, second, microsecond)`` of the time in ``data[start:end]``.

    ``more`` says that something follows what was read (fine before an
    offset, wrong at the end of the text), as 3.11 reads it: fields of two
    digits, all with colons or none, then ``.`` or ``,`` and a fraction.
    """
    fields = [0, 0, 0]
    at = start
    colons = True
    for index in range(3):
        fields[index] = _number(data, at, 2)
        mark = data[at + 2]
        at += 3
        if index == 0:
            colons = mark == _COLON
        if at >= end:  # the field ends the time: `mark` is what follows, if anything
            return mark != 0, fields[0], fields[1], fields[2], 0
        if colons and mark == _COLON:
            continue
        if mark in (_DOT, _COMMA):
            break
        if colons:
            raise ValueError("inconsistent use of colons")
        at -= 1  # basic format: the mark was the next field's first digit
    count = min(end - at, 6)
    microsecond = _number(data, at, count) * _SCALE[count]
    at += count
    while data[at] in _DIGITS:  # digits past the sixth are dropped
        at += 1
    return data[at] != 0, fields[0], fields[1], fields[2], microsecond


def _read_time(data: bytes, start: int, end: int) -> tuple[int, int, int, int, timezone | None]:
    """The time and offset in ``data[start:end]``; the offset starts at the first Z, + or -."""
    mark = start
    while data[mark] not in _ZONE_MARKS:
        mark += 1
        if mark >= end:
            break
    more, hour, minute, second, microsecond = _read_clock(data, start, mark)
    if mark >= end:  # no offset
        if more:
            raise ValueError("unexpected text after the time")
        return hour, minute, second, microsecond, None
    if data[mark] == _ZULU:
        if mark + 1 != end:
            raise ValueError("unexpected text after Z")
        return hour, minute, second, microsecond, UTC
    sign = -1 if data[mark] == _DASH else 1
    more, hours, minutes, seconds, fraction = _read_clock(data, mark + 1, end)
    if more:
        raise ValueError("unexpected text after the offset")
    whole = sign * (hours * 3600 + minutes * 60 + seconds)
    if whole == 0:  # as 3.11: a fraction of a second alone makes no offset
        return hour, minute, second, microsecond, UTC
    offset = timedelta(seconds=whole, microseconds=sign * fraction)
    return hour, minute, second, microsecond, timezone(offset)


def _read(text: str) -> datetime:
    """What ``datetime.fromisoformat`` gives on 3.11 to 3.13, in pure Python (see the module)."""
    if not isinstance(text, str):
        raise TypeError(f"fromisoformat: argument must be str, not {type(text).__name__}")
    if len(text) < 7 or "\x00" in text:
        raise _invalid(text)
    plain = text[:-1] + "Z" if text[-1] == "z" else text
    for at in (7, 8, 10):  # a lone surrogate can be the separator, and only that
        if at < len(plain) and "\ud800" <= plain[at] <= "\udfff":
            plain = f"{plain[:at]}T{plain[at + 1 :]}"
            break
    try:
        data = plain.encode("utf-8")
        size = len(data)
        data += _PADDING
        length = _date_length(data, size)
        if length < 0:
            raise ValueError("no date")
        year, month, day = _read_date(data, length)
        if size == length:
            return datetime(year, month, day)  # noqa: DTZ001  # no offset: naive, as in 3.11
        # A separator (any one character: 1 to 4 bytes), then a time.
        lead = data[length]
        width = 1 if lead < 0x80 else {0xE0: 3, 0xF0: 4}.get(lead & 0xF0, 2)
        hour, minute, second, microsecond, zone = _read_time(data, length + width, size)
        return datetime(year, month, day, hour, minute, second, microsecond, zone)
    except ValueError:  # UnicodeEncodeError (another lone surrogate) is one too
        raise _invalid(text) from None


_NATIVE = sys.version_info >= (3, 11)
parse_instant = _parse_native if _NATIVE else _parse_backport


def parse_instants(texts: list[str]) -> list[datetime]:
    """:func:`parse_instant` of every text of a column.

    On 3.11 and later, a column without a NUL and without a lowercase
    ``z`` (the usual one) is read by ``datetime.fromisoformat`` itself, a
    C loop: the same values, at a fraction of a call per text.
    """
    if _NATIVE:
        joined = "".join(texts)
        if "\x00" not in joined and "z" not in joined:
            return list(map(_fromisoformat, texts))
    return list(map(parse_instant, texts))
