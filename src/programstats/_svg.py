"""Inline SVG bar charts for the notebook display (private; standard library only).

Two shapes, both pure functions of their data that return an ``<svg>``
element as text:

- :func:`column_chart`: vertical bars side by side (level bands, months);
- :func:`bar_chart`: horizontal bars, one per line, for long labels
  (course titles, online vs blended).

Every chart is ``role="img"`` with a ``<title>`` and an ``aria-label`` that
gives every number in words, so a screen reader (or a reader of the
source) gets the same information as the picture. When there is nothing to
draw the chart says "No data" and why, in the picture and in the label.
Text is escaped for HTML *and* XML (``html.escape`` with ``quote=True``
writes only ``&amp; &lt; &gt; &quot; &#x27;``), so each chart is also a
well-formed standalone SVG document. Coordinates are written with at most
two decimals, so the same data always gives the same bytes. Colours work on
light and dark notebook themes: text uses ``currentColor``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

import attrs

__all__ = ["Bar", "bar_chart", "column_chart", "escape_text"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
BAR_COLOUR = "#4e79a7"
_FONT = 'font-family="sans-serif" font-size="12"'
_TITLE_HEIGHT = 24  # the visible title line at the top of every chart
_LABEL_CHARS = 28  # horizontal-bar labels longer than this are shortened with "…"


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


def _open(title: str, label: str, width: float, height: float) -> str:
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" role="img" aria-label="{_attr(label)}" '
        f'width="{_number(width)}" height="{_number(height)}" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" {_FONT}>'
        f"<title>{_attr(title)}</title>"
        f'<text x="0" y="16" font-weight="bold" fill="currentColor">{_attr(title)}</text>'
    )


def aria_label(title: str, bars: Sequence[Bar]) -> str:
    """``"Title: label: words, label: words"`` — every number of the chart in words."""
    return f"{title}: " + ", ".join(bar.spoken for bar in bars)


def no_data_chart(title: str, reason: str, *, width: float = 360) -> str:
    """A chart that says there is nothing to draw, and why."""
    height = _TITLE_HEIGHT + 60
    message = f"No data: {reason}"
    return (
        _open(title, f"{title}: no data ({reason})", width, height)
        + f'<rect x="0.5" y="{_TITLE_HEIGHT + 0.5}" width="{_number(width - 1)}" height="59" '
        'fill="none" stroke="currentColor" stroke-opacity="0.4" stroke-dasharray="4 3"/>'
        f'<text x="{_number(width / 2)}" y="{_TITLE_HEIGHT + 34}" text-anchor="middle" '
        f'fill="currentColor">{_attr(message)}</text>'
        "</svg>"
    )


def _shorten(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def column_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    scale: float,
    no_data: str | None = None,
    slot: float = 48,
) -> str:
    """Vertical bars side by side; a bar of value ``scale`` is the full plot height.

    ``no_data`` (a reason) draws :func:`no_data_chart` instead.
    """
    if no_data is not None or not bars:
        return no_data_chart(title, no_data or "nothing to show")
    plot, top = 120.0, _TITLE_HEIGHT + 18  # room for the value written above a bar
    baseline = top + plot
    sublabels = any(bar.sublabel for bar in bars)
    width = max(slot * len(bars), 200)
    height = baseline + (36 if sublabels else 22)
    parts = [_open(title, aria_label(title, bars), width, height)]
    parts.append(
        f'<line x1="0" y1="{_number(baseline)}" x2="{_number(slot * len(bars))}" '
        f'y2="{_number(baseline)}" stroke="currentColor" stroke-opacity="0.5"/>'
    )
    bar_width = slot * 0.7
    for index, bar in enumerate(bars):
        middle = slot * index + slot / 2
        if bar.value is not None:
            tall = plot * bar.value / scale if scale > 0 else 0.0
            parts.append(
                f'<rect class="bar" x="{_number(middle - bar_width / 2)}" '
                f'y="{_number(baseline - tall)}" width="{_number(bar_width)}" '
                f'height="{_number(tall)}" fill="{BAR_COLOUR}">'
                f"<title>{_attr(bar.spoken)}</title></rect>"
            )
            above = baseline - tall - 4
        else:
            above = baseline - 4
        parts.append(
            f'<text x="{_number(middle)}" y="{_number(above)}" text-anchor="middle" '
            f'fill="currentColor">{_attr(bar.text)}</text>'
        )
        parts.append(
            f'<text x="{_number(middle)}" y="{_number(baseline + 16)}" text-anchor="middle" '
            f'fill="currentColor">{_attr(bar.label)}</text>'
        )
        if bar.sublabel:
            parts.append(
                f'<text x="{_number(middle)}" y="{_number(baseline + 30)}" '
                f'text-anchor="middle" fill="currentColor" fill-opacity="0.7">'
                f"{_attr(bar.sublabel)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    scale: float,
    no_data: str | None = None,
    label_width: float = 190,
    plot: float = 240,
) -> str:
    """Horizontal bars, one per line; a bar of value ``scale`` is ``plot`` wide.

    Labels longer than 28 characters are shortened with "…" in the picture
    (the ``aria-label`` and the tooltip keep them whole). ``no_data`` (a
    reason) draws :func:`no_data_chart` instead.
    """
    if no_data is not None or not bars:
        return no_data_chart(title, no_data or "nothing to show")
    line = 22.0
    top = _TITLE_HEIGHT + 6
    width = label_width + plot + 110
    height = top + line * len(bars) + 4
    parts = [_open(title, aria_label(title, bars), width, height)]
    parts.append(
        f'<line x1="{_number(label_width)}" y1="{_number(top)}" x2="{_number(label_width)}" '
        f'y2="{_number(top + line * len(bars))}" stroke="currentColor" stroke-opacity="0.5"/>'
    )
    for index, bar in enumerate(bars):
        y = top + line * index
        middle = y + line / 2 + 4  # text baseline, roughly centred on the bar
        parts.append(
            f'<text x="{_number(label_width - 6)}" y="{_number(middle)}" text-anchor="end" '
            f'fill="currentColor"><title>{_attr(bar.label)}</title>'
            f"{_attr(_shorten(bar.label))}</text>"
        )
        end = label_width
        if bar.value is not None:
            long = plot * bar.value / scale if scale > 0 else 0.0
            parts.append(
                f'<rect class="bar" x="{_number(label_width)}" y="{_number(y + 3)}" '
                f'width="{_number(long)}" height="{_number(line - 6)}" fill="{BAR_COLOUR}">'
                f"<title>{_attr(bar.spoken)}</title></rect>"
            )
            end += long
        parts.append(
            f'<text x="{_number(end + 6)}" y="{_number(middle)}" fill="currentColor">'
            f"{_attr(bar.text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
