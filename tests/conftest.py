"""Hypothesis profiles.

``CI`` set in the environment: Hypothesis' own ``ci`` profile (derandomized,
no example database), extended here to stay well inside the CI time budget.
Otherwise the ``dev`` profile. ``HYPOTHESIS_PROFILE=<name>`` picks one by hand
(``thorough`` runs many more examples; ``ci-short``, the ``ci`` profile with
10 examples, is what ``.ci/run`` uses for its runs on CPython 3.10 and 3.13).
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    parent=settings.get_profile("ci"),
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("ci-short", parent=settings.get_profile("ci"), max_examples=10)
settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """Say loudly when tests skipped because a tool is missing (Chromium, LibreOffice).

    Those tests check what no unit test can (a real browser's layout, a real
    spreadsheet's formulas); a quiet "s" in the progress line hides that they
    did not run. ``.ci/run`` installs the tools.
    """
    missing = set()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        if "is not installed" in reason:
            missing.add(reason.removeprefix("Skipped: "))
    if missing:
        terminalreporter.write_sep("!", "SOME TESTS DID NOT RUN: A TOOL IS MISSING", red=True)
        for reason in sorted(missing):
            terminalreporter.write_line(f"    {reason}", red=True, bold=True)
        terminalreporter.write_line(
            "    The browser and spreadsheet tests were skipped; .ci/run installs these tools.",
            red=True,
            bold=True,
        )
