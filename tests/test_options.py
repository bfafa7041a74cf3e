"""Export options (SPEC §5.3, §6): defaults, what is accepted, what is rejected."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from dateutil import tz as dateutil_tz

from programstats import ExportOptions, InvalidInputError, Viewer
from programstats.options import as_timezone

UTC = timezone.utc
WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


def test_defaults():
    options = ExportOptions()
    assert options.timezone.utcoffset(WINTER) == timedelta(0)
    assert options.timezone.utcoffset(SUMMER) == timedelta(0)
    assert options.decimals == 0
    assert options.delimiter == ","
    assert options.bom is False
    assert options.protect_formulas is True
    assert options.custom_fields is None
    assert options.activity_between is None
    assert options.viewer is None
    assert options.anonymization_key == b""
    assert type(options.anonymization_key) is bytes
    assert options.anonymized_domain == "360learning.eu"


# --- timezone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "zone",
    [
        UTC,
        timezone(timedelta(hours=-5)),
        timezone(timedelta(hours=5, minutes=30)),
        zoneinfo.ZoneInfo("Europe/Paris"),
        dateutil_tz.gettz("Asia/Tokyo"),
        dateutil_tz.tzutc(),
    ],
)
def test_timezone_accepts_a_tzinfo(zone):
    assert ExportOptions(timezone=zone).timezone is zone


@pytest.mark.parametrize(
    ("name", "winter", "summer"),
    [
        ("Europe/Paris", timedelta(hours=1), timedelta(hours=2)),
        ("America/New_York", timedelta(hours=-5), timedelta(hours=-4)),
        ("Asia/Kolkata", timedelta(hours=5, minutes=30), timedelta(hours=5, minutes=30)),
        ("UTC", timedelta(0), timedelta(0)),
    ],
)
def test_timezone_accepts_an_iana_name(name, winter, summer):
    zone = ExportOptions(timezone=name).timezone
    assert WINTER.astimezone(zone).utcoffset() == winter
    assert SUMMER.astimezone(zone).utcoffset() == summer


@pytest.mark.parametrize(
    "zone",
    [
        None,
        dateutil_tz.gettz("Not/A_Zone"),  # gettz returns None for an unknown name
        "Not/A_Zone",
        "Mars/Olympus",
        "Europe/Pariss",
        "",
        "   ",
        5,
        1.0,
        timedelta(hours=1),
        b"Europe/Paris",
        ["Europe/Paris"],
    ],
    ids=repr,
)
def test_timezone_rejects_none_unknown_names_and_non_tzinfo(zone):
    with pytest.raises(InvalidInputError):
        ExportOptions(timezone=zone)


def test_as_timezone_converts_names_and_keeps_tzinfo():
    assert as_timezone(UTC) is UTC
    paris = as_timezone("Europe/Paris")
    assert SUMMER.astimezone(paris).utcoffset() == timedelta(hours=2)
    for bad in (None, "Mars/Olympus", "", 5):
        with pytest.raises(InvalidInputError):
            as_timezone(bad)


# --- decimals ---------------------------------------------------------------------


@pytest.mark.parametrize("decimals", [0, 1, 2, 6])
def test_decimals_accepts_non_negative_ints(decimals):
    assert ExportOptions(decimals=decimals).decimals == decimals


@pytest.mark.parametrize("decimals", [-1, -10, True, False, 2.0, 0.0, 1.5, "2", None])
def test_decimals_rejects_negative_bool_and_non_int(decimals):
    with pytest.raises(InvalidInputError):
        ExportOptions(decimals=decimals)


# --- delimiter --------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_accepts_the_four_safe_characters(delimiter):
    assert ExportOptions(delimiter=delimiter).delimiter == delimiter


@pytest.mark.parametrize(
    "delimiter",
    [
        *("", ",,", ";;", ", ", '"', "'", "\r", "\n", "\r\n", "\x00", None, 44, b",", ":", " "),
        *("=", "+", "-", "@", "\ud800", "\uff1d", "x"),
    ],
    ids=repr,
)
def test_delimiter_rejects_anything_but_one_safe_character(delimiter):
    with pytest.raises(InvalidInputError):
        ExportOptions(delimiter=delimiter)


# --- bom, protect_formulas --------------------------------------------------------


@pytest.mark.parametrize("name", ["bom", "protect_formulas"])
@pytest.mark.parametrize("value", [True, False])
def test_flags_accept_bools(name, value):
    assert getattr(ExportOptions(**{name: value}), name) is value


@pytest.mark.parametrize("name", ["bom", "protect_formulas"])
@pytest.mark.parametrize("value", [0, 1, None, "yes", "", 1.0])
def test_flags_reject_non_bools(name, value):
    with pytest.raises(InvalidInputError):
        ExportOptions(**{name: value})


# --- custom_fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        (["Team", "Region"], ("Team", "Region")),
        (("Team",), ("Team",)),
        ([], ()),
        (None, None),
    ],
)
def test_custom_fields_are_stored_as_a_tuple(fields, stored):
    options = ExportOptions(custom_fields=fields)
    assert options.custom_fields == stored
    if stored is not None:
        assert type(options.custom_fields) is tuple


def test_custom_fields_list_is_copied():
    fields = ["Team"]
    options = ExportOptions(custom_fields=fields)
    fields.append("Region")
    assert options.custom_fields == ("Team",)


@pytest.mark.parametrize("fields", ["Team", "", b"Team"])
def test_custom_fields_reject_a_lone_string(fields):
    with pytest.raises(InvalidInputError):
        ExportOptions(custom_fields=fields)


# --- activity_between -------------------------------------------------------------

SINCE = datetime(2026, 3, 1, tzinfo=UTC)
UNTIL = datetime(2026, 3, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    "period",
    [
        (SINCE, UNTIL),
        [SINCE, UNTIL],
        (SINCE, SINCE),
        # aware in different zones, compared as instants
        (
            datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
            datetime(2026, 3, 1, 13, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        (SINCE, datetime(2026, 3, 31, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))),
    ],
)
def test_activity_between_accepts_an_ordered_pair_of_aware_datetimes(period):
    options = ExportOptions(activity_between=period)
    assert tuple(options.activity_between) == tuple(period)


@pytest.mark.parametrize(
    "period",
    [
        SINCE,
        (SINCE,),
        (SINCE, UNTIL, UNTIL),
        (),
        (datetime(2026, 3, 1), datetime(2026, 3, 31)),
        (SINCE, datetime(2026, 3, 31)),
        (datetime(2026, 3, 1), UNTIL),
        (date(2026, 3, 1), date(2026, 3, 31)),
        (SINCE, date(2026, 3, 31)),
        ("2026-03-01", "2026-03-31"),
        "2026-03-01/2026-03-31",
        (UNTIL, SINCE),
        (SINCE, SINCE - timedelta(microseconds=1)),
        # 12:00 UTC then 12:30+01:00 (11:30 UTC): ends before it starts
        (
            datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
            datetime(2026, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        5,
    ],
    ids=repr,
)
def test_activity_between_rejects_anything_else(period):
    with pytest.raises(InvalidInputError):
        ExportOptions(activity_between=period)


# --- viewer -----------------------------------------------------------------------


def test_viewer_accepts_a_viewer():
    viewer = Viewer(user_id="bob", coached_group_ids={"sales"})
    assert ExportOptions(viewer=viewer).viewer is viewer


@pytest.mark.parametrize("viewer", ["bob", {"user_id": "bob"}, 1, ("bob",)], ids=repr)
def test_viewer_rejects_a_non_viewer(viewer):
    with pytest.raises(InvalidInputError):
        ExportOptions(viewer=viewer)


# --- anonymization ----------------------------------------------------------------


@pytest.mark.parametrize("key", [b"secret", b"", bytes(range(256))])
def test_anonymization_key_accepts_bytes(key):
    assert ExportOptions(anonymization_key=key).anonymization_key == key


@pytest.mark.parametrize("key", ["secret", "", None, 5])
def test_anonymization_key_rejects_non_bytes(key):
    with pytest.raises(InvalidInputError):
        ExportOptions(anonymization_key=key)


@pytest.mark.parametrize("domain", ["example.com", "mail.example.org", "localhost"])
def test_anonymized_domain_accepts_a_domain(domain):
    assert ExportOptions(anonymized_domain=domain).anonymized_domain == domain


@pytest.mark.parametrize(
    "domain", ["", "a@example.com", "@example.com", "@", None, b"example.com", "ex\x00.com"]
)
def test_anonymized_domain_rejects_empty_at_sign_and_non_text(domain):
    with pytest.raises(InvalidInputError):
        ExportOptions(anonymized_domain=domain)


# --- immutability -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("timezone", timezone(timedelta(hours=1))),
        ("decimals", 2),
        ("delimiter", ";"),
        ("bom", True),
        ("protect_formulas", False),
        ("custom_fields", ("Team",)),
        ("activity_between", (SINCE, UNTIL)),
        ("viewer", None),
        ("anonymization_key", b"k"),
        ("anonymized_domain", "example.com"),
    ],
)
def test_options_are_frozen(name, value):
    options = ExportOptions()
    before = getattr(options, name)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(options, name, value)
    assert getattr(options, name) == before


def test_options_are_equal_by_value_and_hashable():
    first = ExportOptions(delimiter=";", decimals=2, custom_fields=["Team"])
    second = ExportOptions(delimiter=";", decimals=2, custom_fields=("Team",))
    assert first == second
    assert hash(first) == hash(second)
    assert first != ExportOptions(delimiter=";", decimals=1, custom_fields=["Team"])


@pytest.mark.parametrize("name", ["UTC+3", "EST+5", "/etc/localtime", "../zoneinfo/UTC", "./UTC"])
def test_zone_names_are_database_names_only(name: str) -> None:
    # POSIX strings (sign inverted) and file paths (the machine's files) are refused.
    with pytest.raises(InvalidInputError, match="unknown time zone"):
        ExportOptions(timezone=name)


@pytest.mark.parametrize("name", ["UTC", "Etc/GMT+3", "EST5EDT", "Asia/Kolkata"])
def test_database_zone_names_are_accepted(name: str) -> None:
    assert ExportOptions(timezone=name).timezone is not None
