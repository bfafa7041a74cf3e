"""Write the charts shown in ``docs/notebook.md`` to ``docs/images/``.

Run from the repository root: ``PYTHONPATH=src python docs/make_pictures.py``.
The pictures are the charts of the synthetic demo world (the same data as
``python -m programstats demo``), so they change only when the charts or
the synthetic data change; ``tests/test_charts.py`` checks that the files
committed are the ones this script writes today.
"""

from __future__ import annotations

from pathlib import Path

from programstats import group_dashboard, session_overview
from programstats._html import delivery_chart, level_chart, months_chart, progress_chart
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world

IMAGES = Path(__file__).resolve().parent / "images"


def pictures() -> dict[str, str]:
    """File name -> SVG text of every picture of the notebook page."""
    world = synthetic_world(learners=40, sessions=12, seed=0)
    overview = session_overview(world.sessions[0])
    board = group_dashboard("paris-sales", world.sessions, world.directory, DEFAULT_ANCHOR, "UTC")
    return {
        "level-distribution.svg": level_chart(overview.level_distribution),
        "progress-by-course.svg": progress_chart(overview.progress_by_course),
        "sessions-per-month.svg": months_chart(board.ongoing_per_month),
        "online-vs-blended.svg": delivery_chart(board.online_only, board.blended),
        "no-data.svg": level_chart((0, 0, 0, 0, 0)),
    }


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    for name, svg in pictures().items():
        (IMAGES / name).write_text(svg + "\n", encoding="utf-8", newline="\n")
        print(f"wrote docs/images/{name}")


if __name__ == "__main__":
    main()
