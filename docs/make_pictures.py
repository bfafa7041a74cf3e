"""Screenshots of the notebook displays and report pages, for ``docs/notebook.md`` and
``docs/reports.md``.

Run from the repository root: ``python docs/make_pictures.py``. It needs
Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package
(in the ``test`` extra), and a CJK font for the demo's Japanese site names
(``fonts-wqy-microhei``). Each picture is the HTML of :func:`sources`
rendered by headless Chromium at 1280 and 800 px wide, saved as
``docs/images/<name>-<width>.png``.

PNG bytes differ from one Chromium build to the next, so what is kept
beside the pictures is ``docs/images/pictures.json``: the SHA-256 of each
picture's HTML. ``tests/test_browser.py`` renders the HTML again and fails
when a digest differs, that is when the pictures no longer show what the
library draws today. The same module starts the Chromium of the browser
tests (:func:`chromium`).
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs

from programstats import (
    block_results,
    group_dashboard,
    group_results,
    learner_export,
    learner_results,
    session_overview,
)
from programstats.display import dashboard_page, overview_page, show, table_page
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world

IMAGES = Path(__file__).resolve().parent / "images"
MANIFEST = IMAGES / "pictures.json"
WIDTHS = (1280, 800)
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: How Chromium is started: headless, and nothing that reaches the network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

#: A page that holds displays as a notebook's output area does: a gutter on the
#: left, and the table rules notebook front ends are known for (fixed layout,
#: centred tables, right-aligned cells, striped rows), which the displays
#: must override.
NOTEBOOK_HOST = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    "<style>body{{margin:0;padding:12px 16px 24px 80px;font-family:sans-serif;"
    "font-size:14px;color:#212121;background:#fff}}"
    ".cell{{margin:0 0 18px}}"
    ".prompt{{color:#888;font:12px monospace;margin:0 0 4px -64px}}"
    ".output table{{table-layout:fixed;margin-left:auto;margin-right:auto;"
    "border-collapse:collapse;border:none}}"
    ".output td,.output th{{text-align:right;padding:.5em .5em}}"
    ".output tbody tr:nth-child(odd){{background:#f5f5f5}}"
    ".output img,.output svg{{max-width:100%;height:auto}}"
    "</style></head><body>{cells}</body></html>\n"
)


def notebook(title: str, outputs: list[tuple[str, str]]) -> str:
    """A notebook-like page: one cell per ``(code, html)`` output."""
    cells = "".join(
        f'<div class="cell" data-name="{index}"><div class="prompt">[{index}]: {escape(code)}</div>'
        f'<div class="output">{html}</div></div>'
        for index, (code, html) in enumerate(outputs, 1)
    )
    return NOTEBOOK_HOST.format(title=title, cells=cells)


def sources() -> dict[str, str]:
    """Picture name -> the HTML document it is a screenshot of."""
    world = synthetic_world(learners=40, sessions=12, seed=0)
    session = world.sessions[0]
    directory = world.directory
    overview = session_overview(session)
    board = group_dashboard("paris-sales", world.sessions, directory, DEFAULT_ANCHOR, "UTC")
    big = synthetic_world(learners=1000, sessions=1, seed=0)
    export = learner_export(big.sessions, big.directory)
    # A session nobody has started yet: its charts say so instead of drawing empty axes.
    unstarted = attrs.evolve(
        session,
        id="session-new",
        name="Onboarding — December 2026",
        attempts=(),
        attendances=(),
        certificate_user_ids=frozenset(),
    )
    return {
        "notebook-overview": notebook(
            "Session overview",
            [("show(session_overview(session), session=session)", _html(overview, session))],
        ),
        "notebook-dashboard": notebook(
            "Group dashboard",
            [("show(dashboard, directory=directory)", _html(board, directory=directory))],
        ),
        "notebook-results": notebook(
            "Results",
            [
                ("show(group_results(session, directory), session=session)",
                 _html(group_results(session, directory), session)),
                ("show(learner_results(session, directory), session=session)",
                 _html(learner_results(session, directory), session)),
                ("show(block_results(session), session=session)",
                 _html(block_results(session), session)),
            ],
        ),
        "notebook-export": notebook(
            "A large export", [("learner_export(sessions, directory)", export._repr_html_())]
        ),
        "notebook-no-data": notebook(
            "No data yet",
            [("show(session_overview(unstarted), session=unstarted)",
              _html(session_overview(unstarted), unstarted))],
        ),
        "report-overview": overview_page(session, directory),
        "report-group": dashboard_page(board, directory=directory, now=DEFAULT_ANCHOR),
        "report-learners": table_page(
            learner_export([session], directory),
            title="Per-learner export",
            about=f"{session.name} ({session.id})",
            meta="Times in UTC.",
        ),
    }


def _html(value: object, session: Any = None, **known: Any) -> str:
    return show(value, session=session, **known)._repr_html_()


def digest(html: str) -> str:
    """The SHA-256 of a picture's HTML, as kept in the manifest."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def chromium_missing() -> str | None:
    """Why Chromium cannot be driven here (None when it can).

    The charts are laid out for Arial's widths: without Arial or a font of
    the same widths (Liberation Sans), Chromium would draw them in a wider
    font than the layout assumes.
    """
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        return "Chromium is not installed (apt-get install -y chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    try:
        family = subprocess.run(
            ["fc-match", "-f", "%{family}", "Arial"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        family = ""
    if not any(name in family for name in ("Arial", "Liberation Sans")):
        return "a font with Arial's widths is not installed (apt-get install -y fonts-liberation)"
    return None


def chromium(profile: Path) -> Any:
    """A headless Chromium driven by Selenium, its profile in ``profile`` (a fresh folder).

    Selenium is told where Debian's Chromium and driver are, so it never
    looks for (or downloads) a browser of its own.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def set_width(driver: Any, width: int, height: int = 900) -> None:
    """The viewport exactly ``width`` × ``height`` CSS px, at one device pixel per px."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def screenshot(driver: Any, path: Path, width: int) -> bytes:
    """A PNG of the whole page at ``path`` (a file), ``width`` px wide."""
    set_width(driver, width, 100)  # a short viewport: the page's height is its content's
    driver.get(path.as_uri())
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    set_width(driver, width, height)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    return base64.b64decode(shot["data"])


def main() -> int:
    missing = chromium_missing()
    if missing is not None:
        print(f"cannot take the pictures: {missing}", file=sys.stderr)
        return 1
    IMAGES.mkdir(exist_ok=True)
    pictures = sources()
    work = Path(tempfile.mkdtemp(prefix="programstats-pictures-"))
    driver = chromium(work / "profile")
    try:
        for name, html in pictures.items():
            page = work / f"{name}.html"
            page.write_text(html, encoding="utf-8")
            for width in WIDTHS:
                (IMAGES / f"{name}-{width}.png").write_bytes(screenshot(driver, page, width))
                print(f"wrote docs/images/{name}-{width}.png")
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    manifest = {name: digest(html) for name, html in sorted(pictures.items())}
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8", newline="\n")
    print(f"wrote {MANIFEST.relative_to(IMAGES.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
