"""xAPI timestamps at the edges of what is accepted: the range and the UTC offset."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from programstats import InvalidInputError
from programstats.xapi.timestamps import parse_timestamp

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("0001-01-02T00:00:00Z", datetime(1, 1, 2, tzinfo=UTC)),  # the usual form
        ("0001-01-02T01:00:00+01:00", datetime(1, 1, 2, tzinfo=UTC)),  # with an offset
        ("9999-12-30T23:59:59.999999Z", datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)),
        (
            "9999-12-30T22:59:59.999999-01:00",
            datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC),
        ),
    ],
)
def test_the_first_and_last_instants_are_accepted(text: str, moment: datetime) -> None:
    assert parse_timestamp(text) == moment


@pytest.mark.parametrize(
    "text",
    ["0001-01-01T23:59:59Z", "0001-01-02T00:59:59+01:00", "9999-12-31T00:00:00Z"],
)
def test_an_instant_outside_the_range_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match="is out of range"):
        parse_timestamp(text)


def test_offsets_run_to_23_hours_59_minutes() -> None:
    assert parse_timestamp("2026-03-04T23:59:00+23:59") == datetime(2026, 3, 4, 0, 0, tzinfo=UTC)
    for text in ("2026-03-04T10:00:00+24:00", "2026-03-04T10:00:00+10:60"):
        with pytest.raises(InvalidInputError, match="impossible UTC offset"):
            parse_timestamp(text)
