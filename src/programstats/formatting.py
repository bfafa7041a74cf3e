"""How values are written in exports and on screen (SPEC §5.3).

=====================  ===========================================
function               writes
=====================  ===========================================
:func:`format_score`   a score or percentage: ``73``; ``-`` for None
:func:`format_number`  a score or percentage, half-up: ``2.68``
:func:`format_datetime`  ``YYYY/MM/DD HH:mm`` in a time zone
:func:`format_duration`  ``H:MM:SS``, hours not wrapped at 24
:func:`format_hours`   shortest decimal, at most 2 places: ``1.5``
:func:`protect_text`   ``'=cmd`` for text a spreadsheet would run
=====================  ===========================================

Numbers are rounded half-up from the float's shortest decimal form (its
``repr``), so ``2.675`` gives ``2.68`` and ``72.5`` gives ``73``: never
banker's rounding, never ``-0``, never an exponent.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Context, Decimal

from ._checks import MAX_DECIMALS
from .errors import InvalidInputError

__all__ = [
    "format_datetime",
    "format_duration",
    "format_hours",
    "format_number",
    "format_score",
    "protect_text",
    "text_cell",
]

#: Signs that start a formula, in ASCII and full width.
FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
#: First characters that always get the prefix.
FORMULA_TRIGGERS = FORMULA_SIGNS | frozenset("\t\r\n")
#: Characters a spreadsheet may skip before a sign: spaces, controls, invisible format marks.
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
# Cells that may need the prefix: those starting (at the start of the text or
# right after a NUL separator) with a sign, a control, a space or an invisible
# format character, as of the running Python's Unicode database (a test keeps
# this class a superset of them); protect_text decides for each such cell.
_MAY_TRIGGER = re.compile(
    "(?:^|\x00)[\x01-\x20=+\\-@\x7f-\xbf\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890-\u0891\u08e2\u1680\u180e\u2000-\u206f\u3000\ufeff\uff00-\uff20"
    "\ufff0-\uffff\U00010000-\U0010ffff]"
)
_SECOND_US = 1_000_000
_MICROSECOND = timedelta(microseconds=1)


def _decimal(value: float, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInputError(f"{where}: expected an int or a float, got {value!r}")
    if isinstance(value, int):
        return Decimal(int(value))
    if not math.isfinite(value):
        raise InvalidInputError(f"{where}: cannot write the non-finite number {value!r}")
    # float.__repr__ is the shortest string that reads back as the same float.
    return Decimal(float.__repr__(float(value)))


def _round_half_up(value: Decimal, places: int) -> Decimal:
    context = Context(prec=max(28, value.adjusted() + places + 2), rounding=ROUND_HALF_UP)
    rounded = value.quantize(Decimal(1).scaleb(-places), context=context)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _check_places(decimals: object) -> int:
    if (
        isinstance(decimals, bool)
        or not isinstance(decimals, int)
        or not 0 <= decimals <= MAX_DECIMALS
    ):
        raise InvalidInputError(
            f"decimals must be an int between 0 and {MAX_DECIMALS}, got {decimals!r}"[:300]
        )
    return int.__int__(decimals)


def format_number(value: float, decimals: int = 0) -> str:
    """Write a score or percentage rounded half-up to ``decimals`` places.

    >>> format_number(72.5), format_number(2.675, 2), format_number(100.0), format_number(-0.2)
    ('73', '2.68', '100', '0')
    >>> format_number(1 / 3, 2), format_number(99.995, 2), format_number(7, 1)
    ('0.33', '100.00', '7.0')

    Raises :class:`InvalidInputError` for NaN, infinities, non-numbers and
    negative ``decimals``.
    """
    places = _check_places(decimals)
    if type(value) is float and value >= 0:
        value += 0.0  # -0.0 becomes 0.0
        if places == 0 and value < 1e15:
            # x - floor(x) is exact here, and compares with 0.5 exactly as the
            # repr does: 0.5 is a float, so no shortest repr can cross it.
            whole = math.floor(value)
            return str(whole + 1 if value - whole >= 0.5 else whole)
        text = float.__repr__(value)
        if "e" not in text and "n" not in text:  # not an exponent, not inf/nan
            return _round_digits(text, places)
    return format(_round_half_up(_decimal(value, "format_number"), places), "f")


def _round_digits(text: str, places: int) -> str:
    """Round a plain non-negative decimal string half-up to ``places`` places."""
    whole, _, fraction = text.partition(".")
    if len(fraction) <= places:
        fraction = fraction.ljust(places, "0")
        return f"{whole}.{fraction}" if places else whole
    digits = whole + fraction[:places]
    if fraction[places] >= "5":
        digits = str(int(digits) + 1).rjust(len(digits), "0")
    if not places:
        return digits
    return f"{digits[:-places] or '0'}.{digits[-places:]}"


def format_score(value: float | None, decimals: int = 0) -> str:
    """Write a score or percentage as the overview shows it: ``-`` for None.

    >>> format_score(None), format_score(66.66666666666667), format_score(80, 1)
    ('-', '67', '80.0')
    """
    if value is None:
        _check_places(decimals)
        return "-"
    return format_number(value, decimals)


def format_hours(value: float) -> str:
    """Write a number of hours as the shortest decimal with at most 2 places.

    >>> format_hours(1.5), format_hours(3), format_hours(2.005), format_hours(0.333)
    ('1.5', '3', '2.01', '0.33')
    """
    rounded = _round_half_up(_decimal(value, "format_hours"), 2)
    return format(rounded.normalize(), "f")


def format_datetime(value: datetime, tz: tzinfo) -> str:
    """Write an aware datetime as ``YYYY/MM/DD HH:mm`` in the time zone ``tz``.

    Seconds are dropped (the minute shown is the one the moment falls in).

    >>> from datetime import timezone
    >>> from dateutil import tz as dtz
    >>> moment = datetime(2026, 3, 29, 0, 59, 59, tzinfo=timezone.utc)
    >>> format_datetime(moment, dtz.gettz("Europe/Paris"))
    '2026/03/29 01:59'
    """
    try:
        # "YYYY-MM-DD HH:MM" (years are 4 digits, zero-padded) then slashes: about
        # 40 % cheaper than formatting the five fields one by one.
        return value.astimezone(tz).isoformat(" ", "minutes")[:16].replace("-", "/")
    except Exception as error:  # a tzinfo that fails on this date only
        raise InvalidInputError(
            f"time zone {type(tz).__name__} cannot show {value} "
            f"({type(error).__name__}: {str(error)[:120]})"
        ) from None


def format_duration(value: timedelta) -> str:
    """Write a duration as ``H:MM:SS`` rounded half-up to the second.

    >>> format_duration(timedelta(days=1, hours=2, seconds=59, microseconds=500_000))
    '26:01:00'
    >>> format_duration(timedelta(0))
    '0:00:00'
    """
    micro = value // _MICROSECOND
    if micro < 0:
        raise InvalidInputError(f"cannot write the negative duration {value}")
    seconds = (micro + _SECOND_US // 2) // _SECOND_US
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}"


def protect_text(text: str) -> str:
    """Prefix ``'`` to text that a spreadsheet would read as a formula.

    That is text whose first character is ``=``, ``+``, ``-``, ``@`` (or their
    full-width forms U+FF1D, U+FF0B, U+FF0D, U+FF20), a tab, a carriage return or a line feed,
    and text whose first character after leading spaces, control characters
    and invisible format characters (zero-width space, byte-order mark...)
    is one of those signs.

    >>> protect_text("=1+1"), protect_text("-x"), protect_text("Ana"), protect_text("")
    ("'=1+1", "'-x", 'Ana', '')
    >>> protect_text(" =1+1"), protect_text("\ufeff@SUM(A1)"), protect_text("\uff1d1") == "'\uff1d1"
    ("' =1+1", "'\ufeff@SUM(A1)", True)
    """
    if not text:
        return text
    first = text[0]
    if "!" <= first <= "~":  # printable ASCII, the common case
        return "'" + text if first in FORMULA_SIGNS else text
    if first in FORMULA_TRIGGERS:
        return "'" + text
    for char in text:
        if char in FORMULA_SIGNS:
            return "'" + text
        if unicodedata.category(char) not in INVISIBLE_CATEGORIES:
            return text
    return text


_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def text_cell(text: str, protect: bool = True) -> str:
    """Text from the input as a table cell: writable, and formula-protected when ``protect``.

    The domain types refuse text with a NUL or an unpaired surrogate; text
    that echoes raw input (an id or a key in a problem) can hold them, and
    each becomes U+FFFD, so the cell can be written to a UTF-8 file.

    >>> text_cell("=HYPERLINK(1)"), text_cell("a\\x00b"), text_cell("-1", protect=False)
    ("'=HYPERLINK(1)", 'a\ufffdb', '-1')
    """
    text = str.__str__(text)
    if not text.isascii() or "\x00" in text:
        text = _UNWRITABLE.sub("\ufffd", text)
    return protect_text(text) if protect else text


def protect_column(cells: list[str]) -> list[str]:
    """:func:`protect_text` over a column of text without NUL (checked text).

    One regular-expression scan over the joined column finds whether any
    cell needs the prefix; most columns need none and are returned as is.

    >>> protect_column(["Ana", "=Bob"]), protect_column(["Ana", "Bob"])
    (['Ana', "'=Bob"], ['Ana', 'Bob'])
    """
    if _MAY_TRIGGER.search("\x00".join(cells)) is None:
        return cells
    return [protect_text(cell) for cell in cells]


#: English month names, for labels that must not depend on the machine's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
