"""ISO 8601 text reads the same on every supported Python (programstats._iso).

``parse_instant`` is ``datetime.fromisoformat`` as CPython 3.11-3.13 read
it, plus a final ``z`` and minus NUL, on 3.10 too. The examples hold on
every version; on 3.11 and later the pure-Python reader is checked against
``datetime.fromisoformat`` itself on generated near-ISO text, and on every
version 3.10's reader is checked against the pure-Python one.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from programstats._iso import _parse_backport, _parse_native, _read, parse_instant

UTC = timezone.utc
NATIVE = sys.version_info >= (3, 11)


def zone(**offset: float) -> timezone:
    return timezone(timedelta(**offset))


def at(*fields: int, tz: timezone | None = UTC) -> datetime:
    return datetime(*fields, tzinfo=tz)


MOMENT = at(2026, 3, 4, 10)
READ = [
    # RFC 3339: T, t or space; Z, z or an offset; fractions of any length.
    ("2026-03-04T10:00:00+00:00", MOMENT),
    ("2026-03-04T10:00:00Z", MOMENT),
    ("2026-03-04T10:00:00z", MOMENT),
    ("2026-03-04t10:00:00Z", MOMENT),
    ("2026-03-04 10:00:00Z", MOMENT),
    ("2026-03-04T10:00:00-00:00", MOMENT),
    ("2026-03-04T11:30:00+01:30", at(2026, 3, 4, 11, 30, tz=zone(hours=1, minutes=30))),
    ("2026-03-04T05:00:00-05:00", at(2026, 3, 4, 5, tz=zone(hours=-5))),
    ("2026-03-04T10:00:00.5Z", at(2026, 3, 4, 10, 0, 0, 500_000)),
    ("2026-03-04T10:00:00.12Z", at(2026, 3, 4, 10, 0, 0, 120_000)),
    ("2026-03-04T10:00:00.000Z", MOMENT),
    ("2026-03-04T10:00:00.1234Z", at(2026, 3, 4, 10, 0, 0, 123_400)),
    ("2026-03-04T10:00:00.123456789Z", at(2026, 3, 4, 10, 0, 0, 123_456)),  # cut, not rounded
    ("2026-03-04T10:00:00.9999999+00:00", at(2026, 3, 4, 10, 0, 0, 999_999)),
    ("2026-03-04T10:00:00,5Z", at(2026, 3, 4, 10, 0, 0, 500_000)),
    # ISO 8601 beyond RFC 3339, as Python 3.11 reads it.
    ("2026-03-04T10Z", MOMENT),
    ("2026-03-04T10:00Z", MOMENT),
    ("20260304T100000Z", MOMENT),
    ("20260304T1000+0100", at(2026, 3, 4, 10, tz=zone(hours=1))),
    ("2026-03-04T10:00:00+01", at(2026, 3, 4, 10, tz=zone(hours=1))),
    ("2026-03-04T10:00:00+01:00:30", at(2026, 3, 4, 10, tz=zone(hours=1, seconds=30))),
    ("2026-03-04T10:00:00+01:00:00.5", at(2026, 3, 4, 10, tz=zone(hours=1, seconds=0.5))),
    ("2026-W10-3T10:00Z", MOMENT),
    ("2026W103T10Z", MOMENT),
    ("2026-W10T10:00Z", at(2026, 3, 2, 10)),
    ("2020-W53-5T00:00Z", at(2021, 1, 1)),
    ("2026-03-04\u00e910:00Z", MOMENT),  # any one character separates date and time
    ("2026-03-04\ud80010:00Z", MOMENT),  # even a lone surrogate
    # Leniencies of Python 3.11's reader, kept on 3.10 too.
    ("2026-03-04T10.5Z", at(2026, 3, 4, 10, 0, 0, 500_000)),
    ("2026-03-04T10:00:00X+00:00", MOMENT),
    ("2026-03-04T10:00:00.123456abc+00:00", at(2026, 3, 4, 10, 0, 0, 123_456)),
    ("2026-03-04T10:00:00+00:00:00.5", MOMENT),  # a zero offset drops its fraction
    ("2026-03-04T10:00:00:30", at(2026, 3, 4, 10, 0, 0, 300_000, tz=None)),
    # No offset: a naive datetime (the types refuse it and say why).
    ("2026-03-04T10:00:00", at(2026, 3, 4, 10, tz=None)),
    ("2026-03-04", at(2026, 3, 4, tz=None)),
    ("20260304", at(2026, 3, 4, tz=None)),
    ("2026-W10", at(2026, 3, 2, tz=None)),
    ("2026-03-04+00:00", at(2026, 3, 4, tz=None)),  # '+' as the separator, time 00:00
]
REFUSED = [
    "",
    "2026-03",
    "2026-03-04T",
    "2026-03-04Z",
    "2026-03-04TZ",
    "2026-03-04T1",
    "2026-03-04T10:0",
    "2026-03-04T10:00:00.",
    "2026-03-04T10:00:00Z ",
    " 2026-03-04T10:00:00Z",
    "2026-03-04T10:00:00ZZ",
    "2026-03-04T10:00:00Zz",
    "2026-03-04T10:00:00+00:00Z",
    "2026-03-04T10:00:00+00:00z",
    "2026-03-04T10:00Z+01:00",  # 3.10's own reader takes the Z for a stray character
    "2026-03-04T10:00:00+01:0",
    "2026-03-04T10:00:00+0100:00",
    "2026-03-04T10:00:00+24:00",
    "2026-03-04T24:00:00Z",
    "2026-03-04T23:59:60Z",  # a leap second: datetime has none
    "2026-02-29T10:00:00Z",
    "2026-13-04T10:00:00Z",
    "0000-03-04T10:00:00Z",
    "+2026-03-04T10:00:00Z",
    "2025-W53-1",  # 2025 has 52 weeks (2026 has 53)
    "2026-W10-8",
    "\uff12\uff10\uff12\uff16-03-04T10:00Z",  # fullwidth digits
    "2026-03-04T10:00:00\u0661Z",  # an Arabic-Indic digit
    "2026-03-04T10:00:00\ud800Z",
    # NUL: 3.11 and 3.12 read some of these, 3.13 fewer; never read here.
    "2026-03-04T10:00:00Z\x00",
    "2026-03-04T10:00:00+00:00\x00",
    "2026-03-04T10:00\x00",
    "2026-03-04\x0010:00Z",
]


@pytest.mark.parametrize(("text", "expected"), READ, ids=repr)
def test_reads_the_same_on_every_version(text: str, expected: datetime) -> None:
    found = parse_instant(text)
    assert (found, found.tzinfo) == (expected, expected.tzinfo)
    if expected.tzinfo is UTC:
        assert found.tzinfo is UTC  # timezone.utc itself, as fromisoformat gives it
    assert repr(_read(text)) == repr(found)


@pytest.mark.parametrize("text", REFUSED, ids=repr)
def test_refuses_the_same_on_every_version(text: str) -> None:
    for reader in (parse_instant, _read, _parse_backport):
        with pytest.raises(ValueError):
            reader(text)


def test_only_text() -> None:
    for reader in (parse_instant, _read):
        with pytest.raises(TypeError):
            reader(b"2026-03-04T10:00:00Z")  # type: ignore[arg-type]


# ------------------------------------------------------------------- round trips

OFFSETS = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59, seconds=-59),
    max_value=timedelta(hours=23, minutes=59),
).filter(lambda offset: offset == timedelta(0) or abs(offset) >= timedelta(seconds=1))
MOMENTS = st.datetimes()


@given(MOMENTS, OFFSETS, st.sampled_from(["T", "t", " "]))
@example(datetime(2026, 3, 4, 10), timedelta(0), "T")
@example(datetime(2026, 3, 4, 10, 0, 0, 1), timedelta(hours=-1, microseconds=-5), "T")
def test_isoformat_and_its_z_form_read_back_equal(
    moment: datetime, offset: timedelta, separator: str
) -> None:
    """Any aware datetime's ``isoformat()`` reads back equal, with ``Z`` for UTC too.

    Offsets under a second are left out: ``fromisoformat`` reads
    ``+00:00:00.000005`` as UTC on every version (a zero offset drops its
    fraction, see READ), so such a datetime does not survive its own
    ``isoformat()``.
    """
    aware = moment.replace(tzinfo=timezone(offset))
    found = parse_instant(aware.isoformat(separator))
    assert found == aware and found.utcoffset() == offset
    utc = moment.replace(tzinfo=UTC)
    for text in (utc.isoformat(separator), utc.isoformat()[:-6] + "Z", utc.isoformat()[:-6] + "z"):
        assert parse_instant(text) == utc and parse_instant(text).tzinfo is UTC
    for spec in ("hours", "minutes", "seconds", "milliseconds"):
        cut = utc.isoformat(timespec=spec)
        assert parse_instant(cut[:-6] + "Z") == parse_instant(cut)


# ---------------------------------------------------------- near-ISO text, generated

DIGITS = "0123456789"
STRAY = "0123456789:-+.,TZzW tX\u00e9\ud800\U0001f600"


@st.composite
def near_iso(draw: st.DrawFn) -> str:
    """Text in and around every form Python 3.11 reads, with a few characters changed."""

    def digits(count: int) -> str:
        return draw(st.text(DIGITS, min_size=count, max_size=count))

    def pair(*likely: str) -> str:  # mostly a likely value, sometimes any digits
        return draw(st.sampled_from([*likely, *likely, *likely, digits(2), digits(1)]))

    year = draw(st.sampled_from(["2026", "2026", "2020", "0001", "9999", "0000", digits(4)]))
    month, day = pair("03", "02", "12", "13", "00"), pair("04", "29", "31", "32", "00")
    week, weekday = pair("10", "01", "52", "53", "00"), draw(st.sampled_from("1378"))
    text = draw(
        st.sampled_from(
            [
                f"{year}-{month}-{day}",
                f"{year}{month}{day}",
                f"{year}-W{week}",
                f"{year}W{week}",
                f"{year}-W{week}-{weekday}",
                f"{year}W{week}{weekday}",
            ]
        )
    )

    def clock() -> str:
        fields = [
            pair("10", "00", "23", "24"),
            pair("00", "30", "59", "60"),
            pair("00", "59", "60"),
        ]
        clock = draw(st.sampled_from([":", ""])).join(fields[: draw(st.integers(1, 3))])
        if draw(st.booleans()):
            clock += draw(st.sampled_from(".,:")) + digits(draw(st.integers(0, 9)))
        return clock

    if draw(st.integers(0, 9)):
        text += draw(
            st.sampled_from(["T", "T", "t", " ", "\u00e9", "\ud800", "0", "W", "-", "+", "Z"])
        )
        text += clock()
        text += draw(st.sampled_from(["", "Z", "z", "+" + clock(), "-" + clock()]))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        place = draw(st.integers(0, len(text)))
        change = draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
        stray = draw(st.sampled_from(STRAY))
        if change == "insert":
            text = text[:place] + stray + text[place:]
        elif change == "delete":
            text = text[:place] + text[place + 1 :]
        elif change == "replace":
            text = text[:place] + stray + text[place + 1 :]
        else:
            text = text[:place]
    return text


def outcome(reader: object, text: str) -> str:
    try:
        return repr(reader(text))  # type: ignore[operator]
    except ValueError:
        return "ValueError"


@pytest.mark.skipif(not NATIVE, reason="datetime.fromisoformat reads less before Python 3.11")
@given(near_iso())
@example("2026-03-04T10:00:00+00:00")
@example("2026W1031000")
@example("2026-W10-310")
@example("2026-03-04T10:00:00.1234567X+00:00")
def test_the_pure_python_reader_is_fromisoformat(text: str) -> None:
    expected = outcome(datetime.fromisoformat, text if text[-1:] != "z" else text[:-1] + "Z")
    if text[-1:] == "z":
        assert outcome(datetime.fromisoformat, text) == "ValueError"  # so z adds, changes nothing
    assert outcome(_read, text) == expected
    assert outcome(_parse_native, text) == expected


@given(near_iso())
@example("2026-03-04T10:00Z+01:00")
@example("2026-03-04T10:00:00Z")
@example("2026-03-04Z")
@example("2026-03-04+10:00Z")
def test_3_10_reader_is_the_pure_python_reader(text: str) -> None:
    """On 3.10 this checks where 3.10's own fromisoformat is trusted; on 3.11+, the fallbacks."""
    assert outcome(_parse_backport, text) == outcome(_read, text)
    assert outcome(parse_instant, text) == outcome(_read, text)


# ------------------------------------------------------- the records read it so

RFC_3339_FORMS = [
    lambda moment: moment.isoformat(),
    lambda moment: moment.isoformat()[:-6] + "Z",
    lambda moment: moment.isoformat("t")[:-6] + "z",
    lambda moment: moment.isoformat(" ", "milliseconds")[:-6] + "Z",
    lambda moment: moment.strftime("%Y%m%dT%H%M%S") + "+0000",
]


@pytest.mark.parametrize("form", range(len(RFC_3339_FORMS)))
def test_records_read_every_form_on_every_path(form: int) -> None:
    """Timestamps of every record type, all in one form (the column paths) or one apart."""
    pytest.importorskip("cattrs")
    import json

    import attrs

    from programstats import Directory
    from programstats.examples import tiny_directory, tiny_session
    from programstats.records import structure_directory, structure_session, to_record

    write = RFC_3339_FORMS[form]
    session = tiny_session()
    record = json.loads(json.dumps(to_record(session)))
    for key in ("start", "end"):
        record[key] = write(getattr(session, key))
    for items, values in (
        (record["registrations"], session.registrations),
        (record["attempts"], session.attempts),
        (record["slots"], session.slots),
    ):
        for item, value in zip(items, values, strict=True):
            for key in item:
                if isinstance(getattr(value, key), datetime):
                    item[key] = write(getattr(value, key))
    assert structure_session(record) == session
    record["attempts"][0]["started_at"] = session.attempts[0].started_at.isoformat()
    assert structure_session(record) == session  # one apart: record by record
    directory = tiny_directory()
    first, *others = directory.users.values()
    gone = Directory(
        users=[attrs.evolve(first, deleted_at=MOMENT), *others], groups=directory.groups
    )
    doc = json.loads(json.dumps(to_record(gone)))
    doc["users"][0]["deleted_at"] = write(MOMENT)
    assert structure_directory(doc) == gone


def test_the_command_line_reads_z_on_every_version() -> None:
    from programstats import cli

    assert cli._moment("2026-03-04T10:00:00z") == MOMENT
    assert cli._moment("20260304T110000+0100") == MOMENT


@given(
    st.lists(
        st.datetimes(timezones=st.just(timezone.utc)).map(lambda d: d.isoformat())
        | st.sampled_from(
            [
                "2026-03-04T10:00:00z",
                "2026-03-04T10:00:00Z",
                "2026-03-04T10:00:00\x00",
                "2026-03-04",
            ]
        ),
        max_size=8,
    )
)
def test_a_column_reads_as_its_texts_one_by_one(texts: list[str]) -> None:
    from programstats._iso import parse_instants

    try:
        expected = [parse_instant(text) for text in texts]
    except ValueError:
        with pytest.raises(ValueError):
            parse_instants(texts)
        return
    assert parse_instants(texts) == expected
