"""ISO 8601 durations, as xAPI statements write them (``result.duration``).

A duration is ``P`` followed by days, then ``T`` and hours, minutes and
seconds, each part optional but at least one present (``PT1H2M3.5S``,
``PT0H1M31S``, ``P1DT2H``, ``P3D``), or weeks alone (``P2W``). The last
part given may carry a fraction (``PT1.5H``, ``PT0,25S``). Years and months
are refused: they have no fixed length (a month is 28 to 31 days), so no
number of seconds could stand for them. So are an empty ``P`` or ``PT``, a
sign, lower-case letters, spaces and anything else ISO 8601 does not allow.

>>> parse_duration("PT1H2M3.5S")
datetime.timedelta(seconds=3723, microseconds=500000)
>>> parse_duration("P1DT2H")
datetime.timedelta(days=1, seconds=7200)
>>> parse_duration("P1M")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
programstats.errors.InvalidInputError: 'P1M' has years or months, which have no fixed length; ...
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from .._checks import MAX_DURATION, short
from ..errors import InvalidInputError

__all__ = ["parse_duration"]

_NUMBER = r"(\d+(?:[.,]\d+)?)"
#: Every part ISO 8601 allows, years and months included (to name them in the message).
_DURATION = re.compile(
    rf"P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?",
    re.ASCII,
)
_WEEKS = re.compile(rf"P{_NUMBER}W", re.ASCII)
#: Seconds in one unit of each part after the years and months: days, hours, minutes, seconds.
_UNITS = (86_400, 3_600, 60, 1)
_MICROSECOND = Decimal("0.000001")
_LONGEST = Decimal(MAX_DURATION.days * 86_400)
#: Most characters of a duration read (a longer text is refused before the parser runs).
LONGEST_TEXT = 100


def parse_duration(text: object) -> timedelta:
    """The length of an ISO 8601 duration, to the microsecond (fractions rounded half-even).

    Raises :class:`~programstats.InvalidInputError` for text that is not a
    duration ISO 8601 allows, for years or months, and for durations over
    100 years (the longest ``time_spent`` of an attempt).
    """
    if not isinstance(text, str):
        raise InvalidInputError(
            f"a duration must be ISO 8601 text such as 'PT1M30S', got {short(text, 80)}"
        )
    if len(text) > LONGEST_TEXT:
        raise InvalidInputError(
            f"{short(text, 60)} is not an ISO 8601 duration (over {LONGEST_TEXT} characters)"
        )
    text = str.__str__(text)
    weeks = _WEEKS.fullmatch(text)
    if weeks is not None:
        return _length(text, [(weeks.group(1), 7 * 86_400)])
    found = _DURATION.fullmatch(text)
    if found is None or text in ("P", "PT") or text.endswith("T"):
        raise InvalidInputError(
            f"{short(text, 80)} is not an ISO 8601 duration "
            "(expected P[nD][T[nH][nM][nS]] or PnW, e.g. 'PT1H2M3.5S')"
        )
    years, months, *rest = found.groups()
    if years is not None or months is not None:
        raise InvalidInputError(
            f"{short(text, 80)} has years or months, which have no fixed length; "
            "give days, hours, minutes and seconds"
        )
    parts = [(value, unit) for value, unit in zip(rest, _UNITS, strict=True) if value is not None]
    if any(("." in value or "," in value) for value, _ in parts[:-1]):
        raise InvalidInputError(
            f"{short(text, 80)} is not an ISO 8601 duration: "
            "only the last part given may have a fraction"
        )
    return _length(text, parts)


def _length(text: str, parts: list[tuple[str, int]]) -> timedelta:
    with localcontext() as context:
        context.prec = 60  # exact for any text of LONGEST_TEXT characters
        seconds = sum(
            (Decimal(value.replace(",", ".")) * unit for value, unit in parts), Decimal(0)
        )
        if seconds > _LONGEST:
            raise InvalidInputError(
                f"{short(text, 80)} is longer than {MAX_DURATION.days:,} days (100 years), "
                "the longest time an attempt can take"
            )
        micro = int(seconds.quantize(_MICROSECOND, rounding=ROUND_HALF_EVEN) * 1_000_000)
    return timedelta(microseconds=micro)
