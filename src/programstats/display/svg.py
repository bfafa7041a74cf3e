"""Inline SVG bar charts (standard library only).

Two shapes, both pure functions of their data that return an ``<svg>``
element as text, laid out alike: the same width, the title at the top
left, value labels on every bar, an axis title naming what is counted and
its unit.

- :func:`column_chart`: vertical bars side by side (score bands, months),
  the unit above the plot and the axis title under the category labels;
- :func:`bar_chart`: horizontal bars, one per line, for long labels
  (course titles, online vs blended), with a graduated axis and its title
  underneath.

Every chart draws one series, so none needs a legend. Every chart is
``role="img"`` with a ``<title>`` and an ``aria-label`` that gives every
number in words, so a screen reader (or a reader of the source) gets what
the picture shows. When there is nothing to draw the chart says "No data"
and why, in the picture and in the label.

Text is placed by an estimate of its width in the chart's font (Arial and
its metric twins Liberation Sans and Helvetica, with a margin for other
fonts): a label that would not fit is shortened with "…" in the picture
(its tooltip and the ``aria-label`` keep it whole), so no text leaves the
chart's box or runs into another. Text is escaped for HTML *and* XML
(``html.escape`` with ``quote=True``), so each chart is also a well-formed
standalone SVG document. Coordinates are written with at most two
decimals, so the same data always gives the same bytes. Colours work on
light and dark themes: text uses ``currentColor``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from html import escape

import attrs

__all__ = [
    "WIDTH",
    "Bar",
    "bar_chart",
    "column_chart",
    "count_ticks",
    "escape_text",
    "no_data_chart",
    "percent_ticks",
    "shorten",
    "text_width",
]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
BAR_COLOUR = "#4e79a7"
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_SIZE = 12
TITLE_SIZE = 13
#: Every chart is this wide (px), so that charts line up in every display.
WIDTH = 480
_TITLE_BASELINE = 17

# Advance widths (1/1000 em) of the printable ASCII characters, space to
# "~", in Arial and its metric twins, regular then bold.
_ASCII_WIDTHS = (
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278)
    + (556,) * 10
    + (278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278)
    + (500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667)
    + (611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222)
    + (222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500)
    + (500, 334, 260, 334, 584)
)
_ASCII_BOLD_WIDTHS = (
    (278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278)
    + (556,) * 10
    + (333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278)
    + (556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667)
    + (611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278)
    + (278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556)
    + (500, 389, 280, 389, 584)
)
_WIDE = 1000  # CJK and other full-width characters, the ellipsis
_OTHER = 800  # any other character: wider than most letters of most scripts
#: Other fonts, hinting and rounding: estimates are taken this much wider.
_SAFETY = 1.08


def _char_width(char: str, widths: tuple[int, ...]) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return widths[code - 32]
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F") or char == "…":
        return _WIDE
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and 32 <= ord(base) < 127:
        return widths[ord(base) - 32]  # é as e
    return _OTHER


def text_width(text: str, size: float = FONT_SIZE, *, bold: bool = False) -> float:
    """An estimate, on the generous side, of the width in px of ``text`` in the chart font.

    >>> round(text_width("100%"))
    33
    """
    widths = _ASCII_BOLD_WIDTHS if bold else _ASCII_WIDTHS
    return sum(_char_width(char, widths) for char in text) * size / 1000 * _SAFETY


def shorten(text: str, room: float, size: float = FONT_SIZE) -> str:
    """``text``, or its start and "…", whichever is the longest that fits in ``room`` px.

    >>> shorten("Onboarding", 200), shorten("Onboarding", 40)
    ('Onboarding', 'Onb…')
    """
    if text_width(text, size) <= room:
        return text
    kept = len(text)
    while kept > 0 and text_width(text[:kept] + "…", size) > room:
        kept -= 1
    return text[:kept].rstrip() + "…"


def _number(value: float) -> str:
    """A coordinate with at most two decimals, without trailing zeros (deterministic)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# Characters that neither HTML nor XML 1.0 accept in a document: C0 and C1
# controls other than tab, line feed and carriage return, surrogates and the
# noncharacters. They are shown as U+FFFD so that the output always parses.
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)


def escape_text(text: str) -> str:
    """Escape ``text`` for HTML and XML, text and attributes alike.

    ``html.escape`` with ``quote=True``, and U+FFFD in place of a character
    no document may contain (a control character, a surrogate, a
    noncharacter).

    >>> escape_text("<b> & 'y'" + chr(27)) == "&lt;b&gt; &amp; &#x27;y&#x27;" + chr(0xFFFD)
    True
    """
    return _UNWRITABLE.sub("\ufffd", escape(text, quote=True))


_attr = escape_text


@attrs.frozen(kw_only=True)
class Bar:
    """One bar: its label, its value (None: nothing to draw), and its texts.

    ``text`` is written next to the bar; ``words`` describes the value in
    the chart's ``aria-label`` and in the bar's tooltip. ``sublabel`` is an
    optional second label line (the year under a month); ``long_label``
    replaces ``label`` in the words (``"December 2025"`` for ``"Dec"``).
    """

    label: str
    value: float | None
    text: str
    words: str
    sublabel: str = ""
    long_label: str = ""

    @property
    def spoken(self) -> str:
        """The bar in words: ``"December 2025: 2 sessions"``."""
        return f"{self.long_label or self.label}: {self.words}"


def aria_label(title: str, bars: Sequence[Bar]) -> str:
    """``"Title: label: words, label: words"`` — every number of the chart in words."""
    return f"{title}: " + ", ".join(bar.spoken for bar in bars)


def _open(title: str, label: str, height: float) -> str:
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" class="ps-chart" role="img" aria-label="{_attr(label)}" '
        f'width="{WIDTH}" height="{_number(height)}" viewBox="0 0 {WIDTH} {_number(height)}" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}">'
        f"<title>{_attr(title)}</title>"
        f'<text x="0" y="{_TITLE_BASELINE}" font-size="{TITLE_SIZE}" font-weight="bold" '
        f'fill="currentColor">{_attr(_fit_title(title))}</text>'
    )


def _fit_title(title: str) -> str:
    if text_width(title, TITLE_SIZE, bold=True) <= WIDTH:
        return title
    kept = len(title)
    while kept > 0 and text_width(title[:kept] + "…", TITLE_SIZE, bold=True) > WIDTH:
        kept -= 1
    return title[:kept] + "…"


def _text(x: float, y: float, text: str, *, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}" '
        f'fill="currentColor"{extra}>{_attr(text)}</text>'
    )


def _muted(x: float, y: float, text: str, *, anchor: str = "start") -> str:
    return _text(x, y, text, anchor=anchor, extra=' fill-opacity="0.75"')


def no_data_chart(title: str, reason: str) -> str:
    """A chart that says there is nothing to draw, and why."""
    height = 30 + 60
    message = shorten(f"No data: {reason}", WIDTH - 16)
    return (
        _open(title, f"{title}: no data ({reason})", height)
        + f'<rect x="0.5" y="30.5" width="{WIDTH - 1}" height="59" '
        'fill="none" stroke="currentColor" stroke-opacity="0.4" stroke-dasharray="4 3"/>'
        + _text(WIDTH / 2, 30 + 34, message, anchor="middle")
        + "</svg>"
    )


def column_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    scale: float,
    unit: str,
    axis: str,
    no_data: str | None = None,
) -> str:
    """Vertical bars side by side; a bar of value ``scale`` is the full plot height.

    ``unit`` (what a bar counts, "Learners") is written above the plot,
    ``axis`` (what the categories are, "Score (%)") under the labels.
    ``no_data`` (a reason) draws :func:`no_data_chart` instead.
    """
    if no_data is not None or not bars:
        return no_data_chart(title, no_data or "nothing to show")
    plot, top = 140.0, 60.0  # room above the plot: the unit, then a value over a full bar
    baseline = top + plot
    slot = WIDTH / len(bars)
    sublabels = any(bar.sublabel for bar in bars)
    axis_y = baseline + (50 if sublabels else 36)
    height = axis_y + 6
    parts = [_open(title, aria_label(title, bars), height)]
    parts.append(_muted(0, 38, shorten(unit, WIDTH)))
    parts.append(
        f'<line x1="0" y1="{_number(baseline)}" x2="{WIDTH}" y2="{_number(baseline)}" '
        'stroke="currentColor" stroke-opacity="0.5"/>'
    )
    bar_width = min(slot * 0.6, 56)
    for index, bar in enumerate(bars):
        middle = slot * index + slot / 2
        above = baseline - 5
        if bar.value is not None:
            tall = plot * bar.value / scale if scale > 0 else 0.0
            parts.append(
                f'<rect class="bar" x="{_number(middle - bar_width / 2)}" '
                f'y="{_number(baseline - tall)}" width="{_number(bar_width)}" '
                f'height="{_number(tall)}" fill="{BAR_COLOUR}">'
                f"<title>{_attr(bar.spoken)}</title></rect>"
            )
            above -= tall
        parts.append(_text(middle, above, shorten(bar.text, slot - 2), anchor="middle"))
        parts.append(_text(middle, baseline + 16, shorten(bar.label, slot - 4), anchor="middle"))
        if bar.sublabel:
            parts.append(
                _muted(middle, baseline + 32, shorten(bar.sublabel, slot - 4), anchor="middle")
            )
    parts.append(_muted(WIDTH / 2, axis_y, shorten(axis, WIDTH), anchor="middle"))
    parts.append("</svg>")
    return "".join(parts)


def percent_ticks() -> tuple[tuple[float, str], ...]:
    """Ticks of a 0-100 % axis."""
    return tuple((value, f"{value}%") for value in (0, 25, 50, 75, 100))


def count_ticks(top: int) -> tuple[tuple[float, str], ...]:
    """Ticks of a count axis from 0 to at least ``top``: at most 6, steps of 1, 2, 5, 10, 20…

    >>> [label for _, label in count_ticks(7)]
    ['0', '2', '4', '6', '8']
    """
    top = max(top, 1)
    step = 1
    while math.ceil(top / step) > 5:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50, …
    last = math.ceil(top / step) * step
    return tuple((value, str(value)) for value in range(0, last + 1, step))


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    scale: float,
    axis: str,
    ticks: Sequence[tuple[float, str]],
    no_data: str | None = None,
) -> str:
    """Horizontal bars, one per line; a bar of value ``scale`` is the full plot width.

    The labels take at most 40 % of the width (longer ones are shortened
    with "…" in the picture; the ``aria-label`` and the tooltip keep them
    whole); the plot is graduated with ``ticks`` (value, label) and titled
    ``axis`` underneath. ``no_data`` (a reason) draws :func:`no_data_chart`
    instead.
    """
    if no_data is not None or not bars:
        return no_data_chart(title, no_data or "nothing to show")
    line, top = 24.0, 30.0
    widest = max(text_width(bar.label) for bar in bars)
    label_room = min(widest, WIDTH * 0.4)
    plot_left = label_room + 8
    last_tick = text_width(ticks[-1][1]) / 2 if ticks else 0.0
    value_room = max(max(text_width(bar.text) for bar in bars) + 8, last_tick + 2)
    plot = WIDTH - plot_left - value_room
    bottom = top + line * len(bars)
    parts = [_open(title, aria_label(title, bars), bottom + 40)]
    for value, label in ticks:
        x = plot_left + plot * value / scale if scale > 0 else plot_left
        parts.append(
            f'<line x1="{_number(x)}" y1="{_number(top)}" x2="{_number(x)}" '
            f'y2="{_number(bottom + 3)}" stroke="currentColor" stroke-opacity="0.15"/>'
        )
        parts.append(_muted(x, bottom + 15, label, anchor="middle"))
    parts.append(
        f'<line x1="{_number(plot_left)}" y1="{_number(top)}" x2="{_number(plot_left)}" '
        f'y2="{_number(bottom)}" stroke="currentColor" stroke-opacity="0.5"/>'
    )
    for index, bar in enumerate(bars):
        y = top + line * index
        middle = y + line / 2 + 4  # text baseline, centred on the bar
        parts.append(
            f'<text x="{_number(label_room)}" y="{_number(middle)}" text-anchor="end" '
            f'fill="currentColor"><title>{_attr(bar.label)}</title>'
            f"{_attr(shorten(bar.label, label_room))}</text>"
        )
        end = plot_left
        if bar.value is not None:
            long = plot * bar.value / scale if scale > 0 else 0.0
            parts.append(
                f'<rect class="bar" x="{_number(plot_left)}" y="{_number(y + 4)}" '
                f'width="{_number(long)}" height="{_number(line - 8)}" fill="{BAR_COLOUR}">'
                f"<title>{_attr(bar.spoken)}</title></rect>"
            )
            end += long
        parts.append(_text(end + 5, middle, bar.text))
    centre = plot_left + plot / 2
    half = text_width(axis) / 2
    centre = min(max(centre, half), WIDTH - half)
    parts.append(_muted(centre, bottom + 33, shorten(axis, WIDTH), anchor="middle"))
    parts.append("</svg>")
    return "".join(parts)
