"""How values are written (SPEC §5.3): numbers, hours, dates, durations, formulas."""

from __future__ import annotations

import math
import re
import unicodedata
import zoneinfo
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Context, Decimal

import pytest
from dateutil import tz as dateutil_tz
from hypothesis import given
from hypothesis import strategies as st

from programstats import InvalidInputError, format_score
from programstats.formatting import (
    format_datetime,
    format_duration,
    format_hours,
    format_number,
    protect_column,
    protect_text,
)

UTC = timezone.utc
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def half_up(value: float, places: int) -> str:
    """The reference: half-up from the float's shortest repr, without "-0"."""
    context = Context(prec=1000, rounding=ROUND_HALF_UP)
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), context=context)
    text = format(rounded, "f")
    return text[1:] if text.startswith("-") and rounded.is_zero() else text


# --- format_number / format_score -------------------------------------------------


NUMBER_EXAMPLES = [
    # half-up from the shortest repr, never banker's rounding
    (2.675, 2, "2.68"),
    (72.5, 0, "73"),
    (0.5, 0, "1"),
    (1.5, 0, "2"),
    (2.5, 0, "3"),
    (3.5, 0, "4"),
    (0.125, 2, "0.13"),
    (0.045, 2, "0.05"),
    (1.005, 2, "1.01"),
    (99.995, 2, "100.00"),
    (99.5, 0, "100"),
    (0.05, 1, "0.1"),
    (72.4999, 0, "72"),
    (66.66666666666667, 0, "67"),
    (1 / 3, 2, "0.33"),
    (2 / 3, 4, "0.6667"),
    # a fixed number of places
    (80, 2, "80.00"),
    (80.0, 2, "80.00"),
    (80.0, 0, "80"),
    (100.0, 0, "100"),
    (7, 1, "7.0"),
    (0, 0, "0"),
    (0, 3, "0.000"),
    (0.0, 3, "0.000"),
    (12.3, 3, "12.300"),
    # never "-0"
    (-0.0, 0, "0"),
    (-0.0, 2, "0.00"),
    (-0.4, 0, "0"),
    (-0.2, 0, "0"),
    (-0.004, 2, "0.00"),
    (-0.5, 0, "-1"),
    (-2.5, 0, "-3"),
    (-2.675, 2, "-2.68"),
    (-3, 0, "-3"),
    # never an exponent
    (1e-05, 6, "0.000010"),
    (1e-05, 5, "0.00001"),
    (1e-07, 0, "0"),
    (1e-07, 6, "0.000000"),
    (5e-07, 6, "0.000001"),
    (1e16, 0, "10000000000000000"),
    (1e16, 2, "10000000000000000.00"),
    (1.5e16, 1, "15000000000000000.0"),
    # from the shortest repr even where it differs from the binary value
    (1e23, 0, "100000000000000000000000"),
    (1e23, 1, "100000000000000000000000.0"),
    # ints
    (10**30, 0, "1" + "0" * 30),
    (42, 0, "42"),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), NUMBER_EXAMPLES)
def test_format_number_examples(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(("value", "decimals", "expected"), NUMBER_EXAMPLES)
def test_format_score_writes_numbers_as_format_number(value, decimals, expected):
    assert format_score(value, decimals) == expected


def test_format_number_defaults_to_no_decimals():
    assert format_number(72.5) == "73"
    assert format_number(2.675) == "3"
    assert format_score(72.5) == "73"


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_format_score_of_none_is_a_dash(decimals):
    assert format_score(None) == "-"
    assert format_score(None, decimals) == "-"


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, True, False, "1", "72.5", None, [1], 1j]
)
def test_format_number_rejects_non_numbers(value):
    with pytest.raises(InvalidInputError):
        format_number(value, 2)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, "1"])
def test_format_score_rejects_non_numbers(value):
    with pytest.raises(InvalidInputError):
        format_score(value)


@pytest.mark.parametrize("decimals", [-1, -5, True, False])
def test_format_number_rejects_negative_or_bool_decimals(decimals):
    with pytest.raises(InvalidInputError):
        format_number(1.5, decimals)
    with pytest.raises(InvalidInputError):
        format_score(1.5, decimals)


@given(
    st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=6),
)
def test_format_number_is_half_up_from_the_shortest_repr(value, decimals):
    expected = format(
        Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f"
    )
    if expected.startswith("-") and Decimal(expected).is_zero():
        expected = expected[1:]
    assert format_number(value, decimals) == expected


@given(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=8),
)
def test_format_number_of_any_float_has_no_exponent_and_no_negative_zero(value, decimals):
    text = format_number(value, decimals)
    assert text == half_up(value, decimals)
    assert re.fullmatch(r"-?\d+" + (rf"\.\d{{{decimals}}}" if decimals else ""), text), text
    assert not re.fullmatch(r"-0(\.0*)?", text)


@given(st.integers(min_value=-(10**20), max_value=10**20), st.integers(min_value=0, max_value=4))
def test_format_number_of_an_int_is_the_int_with_zero_places(value, decimals):
    expected = str(value) + ("." + "0" * decimals if decimals else "")
    assert format_number(value, decimals) == expected


# --- format_hours -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.5, "1.5"),
        (3, "3"),
        (3.0, "3"),
        (2.005, "2.01"),
        (0.333, "0.33"),
        (10, "10"),
        (10.0, "10"),
        (100, "100"),
        (0, "0"),
        (0.0, "0"),
        (0.25, "0.25"),
        (0.125, "0.13"),
        (1.10, "1.1"),
        (2.999, "3"),
        (0.004, "0"),
        (0.005, "0.01"),
        (1 / 3, "0.33"),
        (12.345, "12.35"),
    ],
)
def test_format_hours_examples(value, expected):
    assert format_hours(value) == expected


@given(st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False))
def test_format_hours_is_the_shortest_decimal_with_two_places_at_most(value):
    text = format_hours(value)
    assert re.fullmatch(r"\d+(\.\d{0,1}[1-9])?", text), text
    rounded = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(text) == rounded


# --- format_datetime --------------------------------------------------------------

PARIS_ZONES = [
    pytest.param(dateutil_tz.gettz("Europe/Paris"), id="dateutil-paris"),
    pytest.param(zoneinfo.ZoneInfo("Europe/Paris"), id="zoneinfo-paris"),
]
NEW_YORK_ZONES = [
    pytest.param(dateutil_tz.gettz("America/New_York"), id="dateutil-new-york"),
    pytest.param(zoneinfo.ZoneInfo("America/New_York"), id="zoneinfo-new-york"),
]


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 1, 15, 9, 5, tzinfo=UTC), UTC, "2026/01/15 09:05"),
        (datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), UTC, "2026/12/31 23:59"),
        (datetime(2026, 5, 4, 10, 0, 59, tzinfo=UTC), UTC, "2026/05/04 10:00"),
        (datetime(2026, 5, 4, 10, 0, 30, tzinfo=UTC), UTC, "2026/05/04 10:00"),
        (datetime(2026, 5, 4, 0, 0, tzinfo=UTC), UTC, "2026/05/04 00:00"),
        # fixed offsets, crossing the day (and year) boundary
        (
            datetime(2026, 1, 15, 20, 45, tzinfo=UTC),
            timezone(timedelta(hours=5, minutes=30)),
            "2026/01/16 02:15",
        ),
        (
            datetime(2026, 1, 1, 1, 0, tzinfo=UTC),
            timezone(timedelta(hours=-3)),
            "2025/12/31 22:00",
        ),
        # the moment's own zone does not matter, only the target zone
        (
            datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=1))),
            UTC,
            "2026/01/01 11:00",
        ),
        # years before 1000 are zero-padded to 4 digits
        (datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC), UTC, "0999/12/31 23:59"),
        (datetime(7, 3, 4, 5, 6, tzinfo=UTC), UTC, "0007/03/04 05:06"),
        (datetime(50, 1, 1, 0, 30, tzinfo=UTC), timezone(timedelta(hours=2)), "0050/01/01 02:30"),
    ],
)
def test_format_datetime_examples(moment, zone, expected):
    assert format_datetime(moment, zone) == expected


@pytest.mark.parametrize("zone", PARIS_ZONES)
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "2026/01/15 13:00"),
        (datetime(2026, 7, 15, 12, 0, tzinfo=UTC), "2026/07/15 14:00"),
        # spring forward: 02:00 local does not exist
        (datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC), "2026/03/29 01:59"),
        (datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC), "2026/03/29 03:00"),
        # fall back: 02:00-03:00 local happens twice
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "2026/10/25 02:30"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "2026/10/25 02:30"),
        (datetime(2026, 10, 25, 2, 0, tzinfo=UTC), "2026/10/25 03:00"),
    ],
)
def test_format_datetime_in_paris_across_dst(zone, moment, expected):
    assert format_datetime(moment, zone) == expected


@pytest.mark.parametrize("zone", NEW_YORK_ZONES)
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "2026/01/15 07:00"),
        (datetime(2026, 1, 1, 3, 0, tzinfo=UTC), "2025/12/31 22:00"),
        # spring forward on 2026-03-08 at 02:00 EST
        (datetime(2026, 3, 8, 6, 59, tzinfo=UTC), "2026/03/08 01:59"),
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "2026/03/08 03:00"),
        # fall back on 2026-11-01 at 02:00 EDT: 01:xx happens twice
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "2026/11/01 01:30"),
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "2026/11/01 01:30"),
    ],
)
def test_format_datetime_in_new_york(zone, moment, expected):
    assert format_datetime(moment, zone) == expected


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.just(UTC),
    )
)
def test_format_datetime_drops_seconds_without_rounding(moment):
    text = format_datetime(moment, UTC)
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", text), text
    parsed = datetime.strptime(text, "%Y/%m/%d %H:%M").replace(tzinfo=UTC)
    assert parsed == moment.replace(second=0, microsecond=0)


# --- format_duration --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(0), "0:00:00"),
        (timedelta(seconds=1), "0:00:01"),
        (timedelta(seconds=59), "0:00:59"),
        (timedelta(minutes=1), "0:01:00"),
        (timedelta(hours=1, minutes=2, seconds=3), "1:02:03"),
        (timedelta(hours=23, minutes=59, seconds=59), "23:59:59"),
        (timedelta(days=1), "24:00:00"),
        (timedelta(days=1, hours=2), "26:00:00"),
        (timedelta(days=10, hours=5, minutes=6, seconds=7), "245:06:07"),
        (timedelta(hours=100), "100:00:00"),
        # rounded half-up to the second
        (timedelta(microseconds=500_000), "0:00:01"),
        (timedelta(microseconds=499_999), "0:00:00"),
        (timedelta(microseconds=1), "0:00:00"),
        (timedelta(seconds=59, microseconds=500_000), "0:01:00"),
        (timedelta(seconds=59, microseconds=499_999), "0:00:59"),
        (timedelta(hours=1, minutes=59, seconds=59, microseconds=500_000), "2:00:00"),
        (timedelta(days=1, hours=2, seconds=59, microseconds=500_000), "26:01:00"),
        (timedelta(seconds=2, microseconds=500_000), "0:00:03"),
    ],
)
def test_format_duration_examples(value, expected):
    assert format_duration(value) == expected


@pytest.mark.parametrize(
    "value",
    [timedelta(seconds=-1), timedelta(microseconds=-1), timedelta(days=-1, hours=23)],
)
def test_format_duration_rejects_negative_durations(value):
    with pytest.raises(InvalidInputError):
        format_duration(value)


def parse_duration(text: str) -> int:
    match = re.fullmatch(r"(\d+):([0-5]\d):([0-5]\d)", text)
    assert match, text
    hours, minutes, seconds = (int(part) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


@given(st.integers(min_value=0, max_value=10**9))
def test_format_duration_round_trips_whole_seconds(seconds):
    assert parse_duration(format_duration(timedelta(seconds=seconds))) == seconds


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=100_000)))
def test_format_duration_rounds_half_up_to_the_second(value):
    micro = value // timedelta(microseconds=1)
    whole, rest = divmod(micro, 1_000_000)
    expected = whole + (1 if rest >= 500_000 else 0)
    assert parse_duration(format_duration(value)) == expected


# --- protect_text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 6 12", "'+33 6 12"),
        ("-x", "'-x"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\ncmd", "'\ncmd"),
        ("==", "'=="),
        ("'=x", "'=x"),
        ("", ""),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        ("a+b-c@d", "a+b-c@d"),
        ("x\t\r\n", "x\t\r\n"),
        (" =1", "' =1"),  # a space before the sign does not hide it
        ("'", "'"),
        ("שלום", "שלום"),
        ("😀=", "😀="),
        ("ana@example.com", "ana@example.com"),
    ],
)
def test_protect_text_examples(text, expected):
    assert protect_text(text) == expected


SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
INVISIBLE = ("\u0020", "\u00a0", "\u200b", "\ufeff", "\u2028", "\x01", "\x7f", "\u202e")


def needs_protection(text):
    """Reference rule, written independently of the library's."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    rest = text
    while rest and unicodedata.category(rest[0]) in ("Zs", "Zl", "Zp", "Cc", "Cf"):
        rest = rest[1:]
    return rest[:1] in SIGNS


TEXTS = st.one_of(
    st.text(),
    st.sampled_from(TRIGGERS).flatmap(lambda first: st.text().map(lambda rest: first + rest)),
    st.tuples(st.text(st.sampled_from(INVISIBLE)), st.sampled_from(SIGNS), st.text()).map("".join),
    st.text().map(lambda rest: "'" + rest),
)


@given(TEXTS)
def test_protect_text_neutralises_triggers_and_can_be_undone(text):
    protected = protect_text(text)
    assert not protected.startswith(TRIGGERS)
    assert not needs_protection(protected)
    if protected != text:
        assert needs_protection(text)
        assert protected.startswith("'")
        assert protected[1:] == text
    else:
        assert not needs_protection(text)


@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00")),
            st.sampled_from(["=1+1", "+x", "-y", "@z", "\tt", "\rr", "\nn", "a=b", "", "'=q"]),
        ),
        max_size=8,
    )
)
def test_protect_column_is_protect_text_on_every_cell(cells: list[str]) -> None:
    assert protect_column(cells) == [protect_text(cell) for cell in cells]
