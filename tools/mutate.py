"""A small mutation tester for the rule modules of programstats.

Usage (from the repository root)::

    python tools/mutate.py facts session_stats views rights formatting export
    python tools/mutate.py facts --list            # print the mutants, run nothing
    python tools/mutate.py views --only 12,40      # run some mutants by number
    python tools/mutate.py rights --timeout 60 --examples 8   # one mutant at a time

Each mutant is one small change of one module's syntax tree: a comparison
(``<`` to ``<=`` or ``>``, ``==`` to ``!=``, ``is``/``in`` negated), an
arithmetic operator, ``and``/``or``, a ``not`` or a unary minus dropped, a
number changed (``n`` to ``n + 1`` and to ``0``), ``True``/``False``
swapped, ``min``/``max`` and ``any``/``all`` swapped, ``math.fsum`` to
``sum``. Error messages, ``raise`` statements, checks (``fail``,
``expect``, ``check_*``), assertions and annotations are not mutated: they
are not rules.

The mutated module is written into a private copy of ``src/`` and the
module's targeted tests run against it in a forked process (heavy
third-party imports are paid once): first the hand-computed example tests,
then, if they all pass, the Hypothesis tests with ``--examples`` examples
each. A mutant is *killed* when a test fails or it runs past
``--timeout`` seconds. Survivors are printed with their line and change,
to be killed with a new test or recorded as equivalent. The tests run
once against the unmutated copy first: if they fail there, the run stops
rather than count every mutant killed.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "programstats"

# Tests that pin each module's rules: example tests first (fast), then the rest.
TESTS = {
    # The facts feed the export too: the golden export bytes pin what they give it.
    "facts": [
        "test_pinned_rules.py",
        "test_session_stats.py",
        "test_golden.py",
        "test_facts_footprint.py",
        "test_learner_order.py",
        "test_statistics_properties.py",
    ],
    "session_stats": [
        "test_pinned_rules.py",
        "test_session_stats.py",
        "test_learner_blocks.py",
        "test_from_columns.py",
        "test_golden.py",
        "test_statistics_properties.py",
    ],
    "views": ["test_pinned_rules.py", "test_views.py"],
    "rights": ["test_pinned_rules.py", "test_rights.py", "test_views.py"],
    "formatting": ["test_pinned_rules.py", "test_formatting.py", "test_table.py"],
    "export": [
        "test_pinned_rules.py",
        "test_learner_export.py",
        "test_golden.py",
        "test_csv_text.py",
        "test_learner_order.py",
        "test_layout.py",
    ],
    "table": ["test_table.py", "test_csv_text.py"],
    "dask": ["test_dask.py", "test_dask_records.py"],
    # The records layer: a module of the records subpackage is named records/<module>.
    **{
        f"records/{name}": [
            "test_records_rules.py",
            "test_records_real_data.py",
            "test_records.py",
            "test_columns.py",
            "test_iso.py",
            "test_cli_real_data.py",
            "test_dask_records.py",
        ]
        for name in (
            "format",
            "structuring",
            "quarantine",
            "documents",
            "tables",
            "problems",
            "text",
            "columns",
        )
    },
    "world": ["test_records_rules.py", "test_records_real_data.py", "test_records.py"],
    "_jsonpath": ["test_records_rules.py", "test_records_real_data.py", "test_records.py"],
    "cli": ["test_cli_real_data.py", "test_cli_report.py", "test_cli.py"],
    # DataFrames in and out (issue #22).
    **{
        f"frames/{name}": ["test_frames_input.py", "test_frames_output.py", "test_frames.py"]
        for name in ("schema", "reading", "input", "output")
    },
    # xAPI statements from cmi5 courses (issue #23).
    **{
        f"xapi/{name}": [
            "test_xapi_durations.py",
            "test_xapi_timestamps.py",
            "test_xapi_paths.py",
            "test_xapi_course.py",
            "test_xapi_sessions.py",
            "test_xapi_samples.py",
            "test_xapi_export.py",
            "test_xapi_properties.py",
        ]
        for name in ("durations", "timestamps", "course", "statements", "sessions")
    },
}
# Calls whose arguments are messages or argument checks, not rules.
_NOT_RULES = {"fail", "expect", "expect_aware", "InvalidInputError"}

_COMPARE: dict[type[ast.cmpop], list[type[ast.cmpop]]] = {
    ast.Lt: [ast.LtE, ast.Gt],
    ast.LtE: [ast.Lt, ast.GtE],
    ast.Gt: [ast.GtE, ast.Lt],
    ast.GtE: [ast.Gt, ast.LtE],
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
    ast.Is: [ast.IsNot],
    ast.IsNot: [ast.Is],
    ast.In: [ast.NotIn],
    ast.NotIn: [ast.In],
}
_ARITHMETIC: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}
_NAMES = {"min": "max", "max": "min", "any": "all", "all": "any"}


def _skipped(tree: ast.Module) -> set[int]:
    """Ids of nodes that are messages, checks, assertions, annotations or docstrings."""
    skip: set[int] = set()

    def drop(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(inner) for inner in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Raise, ast.Assert, ast.JoinedStr)):
            drop(node)
        elif isinstance(node, ast.Call):
            name = node.func
            called = name.id if isinstance(name, ast.Name) else getattr(name, "attr", "")
            if called in _NOT_RULES or called.startswith("check_"):
                drop(node)
        elif isinstance(node, (ast.AnnAssign, ast.arg)):
            drop(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            drop(node.returns)
            for decorator in node.decorator_list:
                drop(decorator)
        elif isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                drop(decorator)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in {"__all__", "__slots__"} for t in node.targets
        ):
            drop(node)
    return skip


def mutants(source: str) -> Iterator[tuple[int, str, ast.Module]]:
    """(line, description, mutated tree) for every mutant of ``source``."""
    tree = ast.parse(source)
    skip = _skipped(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        for description, apply in _changes(node):
            mutated = copy.deepcopy(tree)
            apply(_twin(tree, mutated, node))
            yield getattr(node, "lineno", 0), description, mutated


def _twin(original: ast.AST, mutated: ast.AST, node: ast.AST) -> ast.AST:
    """The node of ``mutated`` at the place of ``node`` in ``original`` (same walk order)."""
    for mine, theirs in zip(ast.walk(original), ast.walk(mutated), strict=True):
        if mine is node:
            return theirs
    raise LookupError(node)


def _changes(node: ast.AST) -> Iterator[tuple[str, object]]:
    """Every change of one node: (description, function that applies it to its twin)."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for other in _COMPARE.get(type(op), []):

                def swap(n: ast.Compare, i: int = i, other: type[ast.cmpop] = other) -> None:
                    n.ops[i] = other()

                yield f"{type(op).__name__} -> {other.__name__}", swap
    elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _ARITHMETIC:
        other_op = _ARITHMETIC[type(node.op)]

        def arith(n: ast.BinOp, other_op: type[ast.operator] = other_op) -> None:
            n.op = other_op()

        yield f"{type(node.op).__name__} -> {other_op.__name__}", arith
    elif isinstance(node, ast.BoolOp):

        def flip(n: ast.BoolOp) -> None:
            n.op = ast.Or() if isinstance(n.op, ast.And) else ast.And()

        yield f"{type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}", flip
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):

        def unwrap(n: ast.UnaryOp) -> None:
            # -x becomes +x; not x becomes not not x (the truth value of x).
            if isinstance(n.op, ast.Not):
                n.operand = ast.UnaryOp(op=ast.Not(), operand=n.operand)
            else:
                n.op = ast.UAdd()

        yield f"drop {type(node.op).__name__}", unwrap
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):

            def negate(n: ast.Constant) -> None:
                n.value = not n.value

            yield f"{value} -> {not value}", negate
        elif isinstance(value, (int, float)):

            def plus(n: ast.Constant) -> None:
                n.value = n.value + 1

            yield f"{value} -> {value + 1}", plus
            if value != 0:

                def zero(n: ast.Constant) -> None:
                    n.value = type(n.value)(0)

                yield f"{value} -> 0", zero
    elif isinstance(node, ast.Name) and node.id in _NAMES:

        def rename(n: ast.Name) -> None:
            n.id = _NAMES[n.id]

        yield f"{node.id} -> {_NAMES[node.id]}", rename
    elif isinstance(node, ast.Attribute) and node.attr == "fsum":

        def to_sum(n: ast.Attribute) -> None:
            n.attr = "fsum_as_sum"

        yield "math.fsum -> sum", to_sum


def _run_tests(src: Path, files: list[str], examples: int, timeout: float) -> str:
    """'killed', 'timeout' or 'survived': pytest in a forked child against ``src``."""
    for stage in ("examples", "properties"):
        pid = os.fork()
        if pid == 0:  # child: never return into the parent's code
            code = 3
            try:
                code = _child(src, files, examples, stage)
            except BaseException:
                import traceback

                log_path = os.path.join(tempfile.gettempdir(), "mutate-child-error.txt")
                with open(log_path, "w") as log:
                    traceback.print_exc(file=log)
            finally:
                os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout"
            time.sleep(0.05)
        code = os.waitstatus_to_exitcode(status)
        if code in (1, 2):  # a test failed, or the mutant broke collection
            return "killed"
        if code not in (0, 5):  # 5: no test collected in this stage
            return f"error {code}"
    return "survived"


def _child(src: Path, files: list[str], examples: int, stage: str) -> int:
    """Run one stage of the tests in this (forked) process; return pytest's exit code."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.path.insert(0, str(src))
    import math

    import pytest

    math.fsum_as_sum = sum  # type: ignore[attr-defined]
    args = ["-q", "-x", "-p", "no:cacheprovider", "--no-header", "-o", "addopts="]
    args += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    args += [
        "--import-mode=importlib",
        "-m",
        "not hypothesis" if stage == "examples" else "hypothesis",
    ]
    args += [str(src.parent / "tests" / f) for f in files]
    return int(pytest.main(args, plugins=[_Profile(examples)]))


class _Profile:
    """A pytest plugin that keeps Hypothesis tests short for mutants."""

    def __init__(self, examples: int) -> None:
        self.examples = examples

    def pytest_configure(self, config: object) -> None:
        from hypothesis import HealthCheck, settings

        settings.register_profile(
            "mutants",
            max_examples=self.examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        settings.load_profile("mutants")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", choices=sorted(TESTS))
    parser.add_argument("--list", action="store_true", help="list the mutants only")
    parser.add_argument("--only", help="comma-separated mutant numbers to run")
    parser.add_argument("--examples", type=int, default=8, help="Hypothesis examples per test")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per mutant")
    args = parser.parse_args()
    sys.dont_write_bytecode = True
    # Pay the heavy imports once, before forking.
    import attrs  # noqa: F401
    import dateutil.relativedelta  # noqa: F401
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401

    only = None if args.only is None else {int(k) for k in args.only.split(",")}
    with tempfile.TemporaryDirectory(prefix="mutants-") as scratch:
        src = Path(scratch) / "src"
        # Sources and tests as they are now: edits made during the run do not mix in.
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        for folder in ("tests", "docs"):  # some tests read the docs (the JSON Schema)
            shutil.copytree(
                ROOT / folder, src.parent / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
        for name in ("pyproject.toml", "README.md", "CHANGELOG.md"):
            shutil.copy2(ROOT / name, src.parent / name)
        for module in args.modules:
            path = src / "programstats" / f"{module}.py"
            original = path.read_text()
            if not args.list:
                # A test failing without any mutant would count every mutant killed.
                baseline = _run_tests(src, TESTS[module], args.examples, args.timeout)
                if baseline != "survived":  # once more: a loaded machine can fail a timing
                    baseline = _run_tests(src, TESTS[module], args.examples, args.timeout)
                if baseline != "survived":
                    sys.exit(f"{module}: its tests do not pass unmutated ({baseline}); no score")
            counts: dict[str, int] = {}
            for number, (line, description, tree) in enumerate(mutants(original), start=1):
                if only is not None and number not in only:
                    continue
                if args.list:
                    print(f"{module} #{number} line {line}: {description}")
                    continue
                path.write_text(ast.unparse(tree))
                try:
                    outcome = _run_tests(src, TESTS[module], args.examples, args.timeout)
                finally:
                    path.write_text(original)
                counts[outcome] = counts.get(outcome, 0) + 1
                if outcome not in ("killed", "timeout"):
                    print(f"{outcome.upper()} {module} #{number} line {line}: {description}")
                    sys.stdout.flush()
            if not args.list:
                summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                print(f"== {module}: {sum(counts.values())} mutants: {summary}", flush=True)


if __name__ == "__main__":
    main()
