"""One rendering layer without an import circle (programstats._render, programstats.display).

The result types show in notebooks through ``render``, declared low in
``programstats._render``; ``programstats.display`` registers a function per
type. The statistics never import the code that draws them: read every
module's imports (``ast``, every ``import`` statement, also those inside
functions and under ``TYPE_CHECKING``) and check the direction.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import programstats
from programstats import (
    BlockResult,
    BlockScore,
    CourseProgress,
    GroupDashboard,
    GroupResult,
    GroupSessionRow,
    LearnerBlock,
    LearnerResult,
    SessionOverview,
    SlotResult,
    Table,
    block_results,
    group_results,
    learner_results,
)
from programstats._render import Context, Rendered, render
from programstats.examples import tiny_directory, tiny_session

PACKAGE = Path(programstats.__file__).resolve().parent
#: The shell: modules that may use the display (the package's own import of it, the CLI).
SHELL = {"programstats", "programstats.cli", "programstats.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, by absolute name (``from . import x`` counts as ``.x``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in found if module.startswith("programstats")}


MODULES = {module_name(path): imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def is_display(module: str) -> bool:
    return module == "programstats.display" or module.startswith("programstats.display.")


def test_the_old_modules_are_gone() -> None:
    # Moved into programstats.display, not duplicated.
    assert "programstats._html" not in MODULES
    assert "programstats._svg" not in MODULES
    assert {"programstats.display.html", "programstats.display.svg"} <= set(MODULES)
    assert "programstats.display.pages" in MODULES


def test_no_core_module_imports_the_display() -> None:
    core = {m for m in MODULES if not is_display(m) and m not in SHELL}
    assert {"programstats.session_stats", "programstats.views", "programstats.table"} <= core
    offenders = {m: sorted(filter(is_display, MODULES[m])) for m in core}
    assert {m: found for m, found in offenders.items() if found} == {}


def test_render_is_low() -> None:
    # _render imports nothing of the package at run time (types only, for annotations).
    source = (PACKAGE / "_render.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    runtime = [node for node in tree.body if isinstance(node, ast.ImportFrom) and node.level > 0]
    assert runtime == []


def test_the_package_imports_the_display() -> None:
    # So that the displays are registered whatever module of the package is imported first.
    assert "programstats.display" in MODULES["programstats"]


def reaches(start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module == goal:
            return True
        if module in seen or module not in MODULES:
            continue
        seen.add(module)
        todo += [m for m in MODULES[module] if m in MODULES and m != "programstats"]
    return False


def test_imports_run_one_way_between_display_and_statistics() -> None:
    for core in ("programstats.session_stats", "programstats.views", "programstats.table"):
        assert reaches("programstats.display.results", core)  # the display uses the core
        for display in (m for m in MODULES if is_display(m)):
            assert not reaches(core, display), (core, display)


# --------------------------------------------------------------------------- render


def test_every_result_type_shows_through_render() -> None:
    kinds = [
        SessionOverview,
        GroupDashboard,
        Table,
        CourseProgress,
        BlockScore,
        GroupResult,
        LearnerBlock,
        LearnerResult,
        SlotResult,
        BlockResult,
        GroupSessionRow,
        type(group_results(tiny_session(), tiny_directory())),
        type(learner_results(tiny_session(), tiny_directory())),
        type(block_results(tiny_session())),
    ]
    for kind in kinds:
        assert issubclass(kind, Rendered), kind
        assert render.dispatch(kind) is not render.dispatch(object), kind


def test_repr_html_is_render_of_the_value() -> None:
    results = learner_results(tiny_session(), tiny_directory())
    assert results._repr_html_() == render(results) == render(results, Context())
    assert render(results, Context(page=True)) != render(results)  # no stylesheet in a page


@pytest.mark.parametrize("value", [1, "x", None, object])
def test_render_of_anything_else_is_its_escaped_repr(value: object) -> None:
    html = render(value)
    assert html.startswith("<pre>")
    assert "<" not in html[5:-6]
