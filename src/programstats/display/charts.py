"""The charts of the session overview and the group dashboard, drawn by :mod:`.svg`.

=====================  ===========================================  ===============
chart                  what a bar is                                 scale
=====================  ===========================================  ===============
``progress_chart``     a course: % of attendees who completed it     0-100 %
``scores_chart``       a scored block: its average score             0-100 %
``level_chart``        a score band: learners whose score is in it   largest count
``months_chart``       a month: sessions in progress during it       largest count
``delivery_chart``     100 % online / blended: sessions              largest count
=====================  ===========================================  ===============

Percentages and scores are drawn on a fixed 0-100 scale, so two sessions'
charts compare at a glance; counts against the chart's largest count. The
number is written on every bar, in the formats of the tables beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..formatting import MONTH_NAMES
from ..session_stats import BlockScore, CourseProgress
from .html import Formats, plural
from .svg import Bar, bar_chart, column_chart, count_ticks, percent_ticks

__all__ = [
    "BAND_LABELS",
    "delivery_chart",
    "level_chart",
    "months_chart",
    "progress_chart",
    "scores_chart",
]

# En dashes, as typeset ranges are written.
BAND_LABELS = ("0–20", "20–40", "40–60", "60–80", "80–100")  # noqa: RUF001


def progress_chart(progress: Sequence[CourseProgress], attendees: int, formats: Formats) -> str:
    """Progress by course: the percentage of attendees who completed each course."""
    bars = []
    for course in progress:
        if course.percent is None:
            bars.append(
                Bar(label=course.title, value=None, text="no attendee", words="no attendee")
            )
            continue
        percent = formats.percent(course.percent)
        bars.append(
            Bar(
                label=course.title,
                value=course.percent,
                text=f"{percent} ({course.completed} of {attendees})",
                words=f"{percent} ({plural(course.completed, 'attendee')} of {attendees} "
                "completed it)",
            )
        )
    return bar_chart(
        "Progress by course",
        bars,
        scale=100,
        axis="Attendees who completed the course (%)",
        ticks=percent_ticks(),
        no_data=(
            "the session has no course block"
            if not bars
            else "no attendee yet"
            if all(bar.value is None for bar in bars)
            else None
        ),
    )


def scores_chart(scores: Sequence[BlockScore], formats: Formats) -> str:
    """Score by block: the average score of each scored course or assessment."""
    bars = [
        Bar(label=block.title, value=None, text="no score", words="no score")
        if block.average is None
        else Bar(
            label=block.title,
            value=block.average,
            text=formats.percent(block.average),
            words=f"average score {formats.percent(block.average)}",
        )
        for block in scores
    ]
    return bar_chart(
        "Score by block",
        bars,
        scale=100,
        axis="Average score (%)",
        ticks=percent_ticks(),
        no_data=(
            "the session has no scored block"
            if not bars
            else "no learner has a score yet"
            if all(bar.value is None for bar in bars)
            else None
        ),
    )


def level_chart(distribution: Sequence[int]) -> str:
    """The level distribution as columns, one per score band."""
    bars = [
        Bar(label=label, value=count, text=str(count), words=plural(count, "learner"))
        for label, count in zip(BAND_LABELS, distribution, strict=True)
    ]
    return column_chart(
        "Level distribution",
        bars,
        scale=max(distribution),
        unit="Learners",
        axis="Score band (%)",
        no_data="no attendee has a score" if sum(distribution) == 0 else None,
    )


def months_chart(months: Sequence[tuple[date, int]]) -> str:
    """Sessions in progress per month, one column per month with its name and year."""
    bars = []
    for index, (start, count) in enumerate(months):
        name = MONTH_NAMES[start.month - 1]
        bars.append(
            Bar(
                label=name[:3],
                sublabel=str(start.year) if index == 0 or start.month == 1 else "",
                long_label=f"{name} {start.year}",
                value=count,
                text=str(count),
                words=plural(count, "session"),
            )
        )
    counts = [count for _, count in months]
    return column_chart(
        "Sessions in progress per month",
        bars,
        scale=max(counts, default=0),
        unit="Sessions",
        axis="Month",
        no_data="no session of the group was in progress" if not any(counts) else None,
    )


def delivery_chart(online_only: int, blended: int) -> str:
    """Sessions of the last 12 months: 100 % online vs blended."""
    bars = [
        Bar(
            label="100% online",
            value=online_only,
            text=str(online_only),
            words=plural(online_only, "session"),
        ),
        Bar(label="Blended", value=blended, text=str(blended), words=plural(blended, "session")),
    ]
    ticks = count_ticks(max(online_only, blended))
    return bar_chart(
        "Online vs blended",
        bars,
        scale=ticks[-1][0],
        axis="Sessions in the last 12 months",
        ticks=ticks,
        no_data="no session in the last 12 months" if online_only + blended == 0 else None,
    )
