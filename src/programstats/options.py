"""Export options (SPEC §5.3): time zone, number format, CSV dialect, filters."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from typing import Any

import attrs

from ._checks import (
    MAX_DECIMALS,
    check_collections,
    check_text,
    expect,
    instant,
    normalise,
    short,
    text_problem,
    to_tuple,
)
from ._zones import resolve_zone
from .errors import InvalidInputError
from .rights import Viewer

__all__ = ["ExportOptions"]

#: The accepted CSV delimiters.
DELIMITERS = (",", ";", "\t", "|")


def as_timezone(value: tzinfo | str | None) -> tzinfo:
    """Converter: a tzinfo (probed), or an IANA zone name (see ``docs/time-zones.md``)."""
    return resolve_zone(value, "ExportOptions", "timezone")


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
    programstats.errors.InvalidInputError: ExportOptions: timezone is an unknown time zone ...
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
        decimals = self.decimals
        if isinstance(decimals, bool) or not isinstance(decimals, int):
            _fail(f"decimals must be an int, got {short(decimals)}")
        decimals = int.__int__(decimals)
        if not 0 <= decimals <= MAX_DECIMALS:
            _fail(f"decimals must be between 0 and {MAX_DECIMALS}, got {short(decimals)}")
        object.__setattr__(self, "decimals", decimals)
        if not isinstance(self.delimiter, str) or self.delimiter not in DELIMITERS:
            _fail(
                f"unknown delimiter {short(self.delimiter, 40)}: use ',' (the default), "
                "';' (for spreadsheets in locales that need it), a tab or '|'"
            )
        object.__setattr__(self, "delimiter", str.__str__(self.delimiter))
        for name in ("bom", "protect_formulas"):
            if not isinstance(getattr(self, name), bool):
                _fail(f"{name} must be True or False, got {short(getattr(self, name))}")
        if self.custom_fields is not None:
            titles = tuple(
                [
                    check_text("ExportOptions", None, "custom field title", t)
                    for t in self.custom_fields
                ]
            )
            object.__setattr__(self, "custom_fields", titles)
        self._check_period()
        if self.viewer is not None and not isinstance(self.viewer, Viewer):
            _fail(f"viewer must be a Viewer, got a {type(self.viewer).__name__}")
        if not isinstance(self.anonymization_key, bytes):
            _fail(
                "anonymization_key must be bytes (e.g. secret.encode()), got "
                f"{type(self.anonymization_key).__name__}"
            )
        object.__setattr__(self, "anonymization_key", bytes(self.anonymization_key))
        domain = self.anonymized_domain
        if text_problem(domain) is not None or not domain or "@" in domain:
            _fail(f"anonymized_domain must be a domain such as 'example.com', got {short(domain)}")
        normalise(self, "anonymized_domain", check_text, "ExportOptions", None)

    def _check_period(self) -> None:
        period = self.activity_between
        if period is None:
            return
        if len(period) != 2:
            _fail(f"activity_between must be a pair (since, until), got {short(period)}")
        since, until = (instant("ExportOptions", None, "activity_between", m) for m in period)
        object.__setattr__(self, "activity_between", (since, until))
        if until < since:
            _fail(f"activity_between ends ({until}) before it starts ({since})")


def given_options(options: ExportOptions | None) -> ExportOptions:
    """``options``, or the default options for None; anything else is refused."""
    if options is None:
        return ExportOptions()
    return expect("options", options, ExportOptions)
