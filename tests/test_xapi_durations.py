"""ISO 8601 durations of xAPI results (programstats.xapi.durations)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import InvalidInputError
from programstats._checks import MAX_DURATION
from programstats.xapi.durations import parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT1H2M3.5S", timedelta(hours=1, minutes=2, seconds=3.5)),
        ("PT0H1M31S", timedelta(minutes=1, seconds=31)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("P3D", timedelta(days=3)),
        ("P2W", timedelta(weeks=2)),
        ("PT16.36S", timedelta(seconds=16.36)),  # as the cmi5 samples write it
        ("PT5M7.14S", timedelta(minutes=5, seconds=7.14)),
        ("PT0S", timedelta(0)),
        ("PT1.5H", timedelta(minutes=90)),  # a fraction on the last part given
        ("PT0,25S", timedelta(milliseconds=250)),  # ISO 8601's decimal comma
        ("P1.5D", timedelta(hours=36)),
        ("PT36H", timedelta(hours=36)),  # parts are not wrapped
        ("PT0.0000005S", timedelta(0)),  # below the microsecond: half-even
        ("PT0.0000015S", timedelta(microseconds=2)),
        ("PT0.000001S", timedelta(microseconds=1)),
    ],
)
def test_durations_iso_8601_allows(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("P1M", "years or months"),
        ("P1Y", "years or months"),
        ("P1Y2M3DT4H", "years or months"),
        ("P", "not an ISO 8601 duration"),
        ("PT", "not an ISO 8601 duration"),
        ("P1DT", "not an ISO 8601 duration"),
        ("-PT1S", "not an ISO 8601 duration"),
        ("PT-1S", "not an ISO 8601 duration"),
        ("pt1s", "not an ISO 8601 duration"),
        ("PT1S ", "not an ISO 8601 duration"),
        ("PT1.5H30M", "only the last part"),
        ("P1W2D", "not an ISO 8601 duration"),  # weeks stand alone
        ("PT1H1H", "not an ISO 8601 duration"),
        ("PT1M1H", "not an ISO 8601 duration"),  # parts in their order
        ("1:30:00", "not an ISO 8601 duration"),
        ("PT1E3S", "not an ISO 8601 duration"),
        ("PT.5S", "not an ISO 8601 duration"),
        ("PT1.S", "not an ISO 8601 duration"),
        ("", "not an ISO 8601 duration"),
        ("PT\u0661S", "not an ISO 8601 duration"),  # an Arabic-Indic digit is no ASCII digit
        ("P36525DT1S", "longer than"),
        ("PT" + "9" * 200 + "S", "over 100 characters"),
    ],
)
def test_durations_iso_8601_refuses(text: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason) as info:
        parse_duration(text)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("value", [90, 1.5, None, ["PT1S"], b"PT1S"])
def test_a_duration_is_text(value: object) -> None:
    with pytest.raises(InvalidInputError, match="must be ISO 8601 text"):
        parse_duration(value)


def test_the_longest_duration_is_an_attempts_longest_time() -> None:
    assert parse_duration(f"P{MAX_DURATION.days}D") == MAX_DURATION


def iso(value: timedelta, form: int) -> str:
    """``value`` written as ISO 8601 in one of three forms."""
    fraction = f"{value.microseconds:06d}".rstrip("0")
    tail = f".{fraction}S" if fraction else "S"
    if form == 0:  # days, hours, minutes and seconds
        hours, rest = divmod(value.seconds, 3600)
        return f"P{value.days}DT{hours}H{rest // 60}M{rest % 60}{tail}"
    if form == 1:  # hours past 24, then seconds past 60
        hours, rest = divmod(value.seconds, 3600)
        return f"PT{value.days * 24 + hours}H{rest}{tail}"
    return f"PT{value.days * 86_400 + value.seconds}{tail}"  # seconds alone


@given(
    st.timedeltas(min_value=timedelta(0), max_value=MAX_DURATION),
    st.integers(min_value=0, max_value=2),
)
def test_durations_round_trip(value: timedelta, form: int) -> None:
    assert parse_duration(iso(value, form)) == value


def test_a_duration_of_the_longest_text_is_read_and_one_more_character_is_not() -> None:
    longest = "PT" + "0" * 96 + "5S"
    assert len(longest) == 100 and parse_duration(longest) == timedelta(seconds=5)
    with pytest.raises(InvalidInputError, match="over 100 characters"):
        parse_duration("PT" + "0" * 97 + "5S")
