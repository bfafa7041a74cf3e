"""programstats.frames as a package: what importing it (and the core) pulls in, and its hint."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import programstats.frames

DATAFRAME_LIBRARIES = ("pandas", "polars", "pyarrow", "numpy")


def run(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter (nothing imported by this test session)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_core_imports_neither_narwhals_nor_a_dataframe_library() -> None:
    found = run(
        """
        import sys
        import programstats, programstats.export, programstats.views, programstats.world
        print(sorted(m for m in ("narwhals", *LIBRARIES) if m in sys.modules))
        """.replace("LIBRARIES", repr(DATAFRAME_LIBRARIES))
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"


def test_frames_imports_narwhals_and_no_dataframe_library() -> None:
    found = run(
        """
        import sys
        import programstats.frames
        print("narwhals" in sys.modules, sorted(m for m in LIBRARIES if m in sys.modules))
        """.replace("LIBRARIES", repr((*DATAFRAME_LIBRARIES, "cattrs", "programstats.records")))
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "True []"


def test_from_frames_imports_the_records_layer_and_only_the_frames_own_library() -> None:
    found = run(
        """
        import sys
        import polars
        from programstats.frames import from_frames
        users = polars.DataFrame({"id": ["ana"], "first_name": ["Ana"], "last_name": ["A"],
                                  "email": ["ana@example.com"]})
        from_frames(users=users)
        print(sorted(m for m in ("cattrs", "pandas", "pyarrow") if m in sys.modules))
        """
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "['cattrs']"


def test_a_frame_imports_only_its_own_backend() -> None:
    found = run(
        """
        import sys
        from programstats import block_results
        from programstats.examples import tiny_session
        from programstats.frames import to_frame
        to_frame(block_results(tiny_session()), backend="polars")
        print(sorted(m for m in ("pandas", "polars") if m in sys.modules))
        """
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "['polars']"


def test_without_narwhals_the_import_error_says_what_to_install() -> None:
    found = run(
        """
        import sys
        sys.modules["narwhals"] = None  # as if it were not installed
        try:
            import programstats.frames
        except ImportError as error:
            print(error)
        """
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == (
        "programstats.frames needs narwhals; install it with: pip install 'programstats[frames]'"
    )


def test_without_cattrs_from_frames_says_what_to_install() -> None:
    found = run(
        """
        import sys
        sys.modules["cattrs"] = None  # as if it were not installed
        from programstats.frames import from_frames, to_frame
        try:
            from_frames()
        except ImportError as error:
            print(error)
        """
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == (
        "programstats.frames.from_frames needs cattrs; install it with: "
        "pip install 'programstats[frames]'"
    )


def test_public_names() -> None:
    assert programstats.frames.__all__ == [
        "BACKENDS",
        "MissingBackendError",
        "from_frames",
        "learner_frame",
        "to_frame",
    ]
    assert programstats.frames.BACKENDS == ("pandas", "polars", "pyarrow")
