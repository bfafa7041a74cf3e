"""The command line: ``python -m programstats demo`` (programstats.cli).

A few small subprocess runs check what only a real process shows (exit
status, bytes on standard output, one-line errors on standard error, no
dependence on ``PYTHONHASHSEED``); the rest calls ``cli.main`` in-process.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from programstats import cli

HEADERS = {
    "learners": ("Last name", "First name", "Email"),
    "sessions": ("SESSION ID", "Name", "Start", "End", "Registered", "Completion", "Instructors"),
    "group": ("Program session", "Learners", "Attendance", "Progress", "Score"),
    "collaboration": (
        "Name",
        "Start",
        "End",
        "Publications",
        "Comments",
        "Reactions",
        "Program template ID",
    ),
}
# The learners header goes on with custom fields, groups and blocks; the others are complete.
COMPLETE_HEADER = {"learners": False, "sessions": True, "group": True, "collaboration": True}


def run_demo(*args: str, hash_seed: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    return subprocess.run(
        [sys.executable, "-m", "programstats", *args],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def records(out: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))


def check_csv_bytes(out: bytes) -> list[list[str]]:
    """RFC 4180 line ends only, strict UTF-8, every record as wide as the header."""
    assert out.endswith(b"\r\n")
    assert b"\r\r\n" not in out
    # Every line break is a \r\n (the synthetic data has no line break inside a cell).
    assert b"\n" not in out.replace(b"\r\n", b"")
    assert b"\r" not in out.replace(b"\r\n", b"")
    rows = records(out)
    assert rows, "no header"
    width = len(rows[0])
    assert all(len(row) == width for row in rows)
    assert len(rows) == out.count(b"\r\n")
    return rows


def check_usage_error(result: subprocess.CompletedProcess[bytes]) -> None:
    assert result.returncode == 2
    assert result.stdout == b""
    err = result.stderr.decode("utf-8")
    assert err.endswith("\n")
    assert not err.endswith("\n\n")
    assert err.count("\n") == 1, err
    assert "error" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- subprocess


@pytest.fixture(scope="module")
def report_outputs() -> dict[str, subprocess.CompletedProcess[bytes]]:
    return {
        report: run_demo("demo", "--report", report, "--learners", "40", "--seed", "3")
        for report in HEADERS
    }


@pytest.mark.parametrize("report", list(HEADERS))
def test_each_report_writes_a_well_formed_csv(
    report: str, report_outputs: dict[str, subprocess.CompletedProcess[bytes]]
) -> None:
    result = report_outputs[report]
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    rows = check_csv_bytes(result.stdout)
    header = tuple(rows[0])
    expected = HEADERS[report]
    if COMPLETE_HEADER[report]:
        assert header == expected
    else:
        assert header[: len(expected)] == expected
    assert len(rows) > 1, "a report of 40 learners has data rows"


def test_learners_report_has_one_row_per_learner(
    report_outputs: dict[str, subprocess.CompletedProcess[bytes]],
) -> None:
    # One session (the learners report's default) of 40 learners.
    assert len(records(report_outputs["learners"].stdout)) == 1 + 40


def test_default_is_the_learners_report_of_500_learners() -> None:
    result = run_demo("demo", hash_seed="0")
    assert result.returncode == 0, result.stderr
    rows = check_csv_bytes(result.stdout)
    assert tuple(rows[0][:3]) == HEADERS["learners"]
    assert len(rows) - 1 == 500
    emails = {row[2] for row in rows[1:]}
    assert len(emails) == 500

    # The same seed under another hash seed prints the very same bytes.
    again = run_demo("demo", "--seed", "0", hash_seed="12345")
    assert again.returncode == 0, again.stderr
    assert again.stdout == result.stdout


@pytest.mark.parametrize("report", ["sessions", "learners"])
def test_same_seed_same_bytes_across_hash_seeds(report: str) -> None:
    # Three hash seeds: two could happen to order a small set alike.
    args = ("demo", "--report", report, "--learners", "30", "--seed", "11")
    outputs = [run_demo(*args, hash_seed=seed) for seed in ("0", "1", "12345")]
    assert all(result.returncode == 0 for result in outputs)
    assert outputs[0].stdout
    assert all(result.stdout == outputs[0].stdout for result in outputs)


def test_different_seed_different_bytes(
    report_outputs: dict[str, subprocess.CompletedProcess[bytes]],
) -> None:
    other = run_demo("demo", "--report", "learners", "--learners", "40", "--seed", "4")
    assert other.returncode == 0
    assert other.stdout != report_outputs["learners"].stdout


def _parse(cell: str) -> datetime:
    """A cell's wall-clock date and time (the CSV does not say which zone)."""
    return datetime.strptime(cell + " +0000", "%Y/%m/%d %H:%M %z").replace(tzinfo=None)


def test_tz_changes_the_dates(
    report_outputs: dict[str, subprocess.CompletedProcess[bytes]],
) -> None:
    paris = run_demo(
        "demo", "--report", "sessions", "--learners", "40", "--seed", "3", "--tz", "Europe/Paris"
    )
    assert paris.returncode == 0, paris.stderr
    utc_rows = records(report_outputs["sessions"].stdout)
    paris_rows = records(paris.stdout)
    assert paris_rows[0] == utc_rows[0]
    assert len(paris_rows) == len(utc_rows) > 1
    zone = ZoneInfo("Europe/Paris")
    for utc_row, paris_row in zip(utc_rows[1:], paris_rows[1:], strict=True):
        assert paris_row[0] == utc_row[0]
        for column in (2, 3):  # Start, End
            assert paris_row[column] != utc_row[column]
            instant = _parse(utc_row[column]).replace(tzinfo=timezone.utc)
            local = instant.astimezone(zone).replace(tzinfo=None)
            assert _parse(paris_row[column]) == local
        # Nothing else moves.
        assert paris_row[4:] == utc_row[4:]


@pytest.mark.parametrize(
    "args",
    [
        ("demo", "--report", "nonsense"),
        ("demo", "--tz", "Mars/Olympus"),
        ("demo", "--learners", "-5"),
        ("demo", "--seed", "abc"),
        (),
    ],
    ids=["unknown-report", "unknown-tz", "negative-learners", "non-numeric-seed", "no-command"],
)
def test_usage_errors_are_one_line_and_exit_2(args: tuple[str, ...]) -> None:
    check_usage_error(run_demo(*args))


# --------------------------------------------------------------------------- in-process


def test_main_in_process_matches_the_subprocess(
    capsysbinary: pytest.CaptureFixture[bytes],
    report_outputs: dict[str, subprocess.CompletedProcess[bytes]],
) -> None:
    status = cli.main(["demo", "--report", "sessions", "--learners", "40", "--seed", "3"])
    assert status == 0
    captured = capsysbinary.readouterr()
    assert captured.err == b""
    assert captured.out == report_outputs["sessions"].stdout


@pytest.mark.parametrize(
    ("report", "sessions", "expected_rows"),
    [
        ("sessions", None, 12),  # 12 sessions by default, all visible to the admin
        ("collaboration", None, 12),
        ("sessions", "3", 3),
        ("collaboration", "1", 1),
        ("learners", "2", 2 * 7),  # one row per learner per session
        ("learners", None, 7),
    ],
)
def test_main_row_counts(
    capsysbinary: pytest.CaptureFixture[bytes],
    report: str,
    sessions: str | None,
    expected_rows: int,
) -> None:
    argv = ["demo", "--report", report, "--learners", "7"]
    if sessions is not None:
        argv += ["--sessions", sessions]
    assert cli.main(argv) == 0
    rows = check_csv_bytes(capsysbinary.readouterr().out)
    assert len(rows) - 1 == expected_rows


def test_group_report_rows_are_sessions_of_the_group(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    assert cli.main(["demo", "--report", "group", "--learners", "20", "--sessions", "5"]) == 0
    rows = check_csv_bytes(capsysbinary.readouterr().out)
    assert tuple(rows[0]) == HEADERS["group"]
    # The first synthetic session is always assigned to the dashboard's group.
    assert 1 <= len(rows) - 1 <= 5
    for row in rows[1:]:
        learners, attendance = int(row[1]), int(row[2])
        assert 0 <= attendance <= learners <= 20


def test_learners_zero_writes_the_header_only(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert cli.main(["demo", "--learners", "0"]) == 0
    rows = check_csv_bytes(capsysbinary.readouterr().out)
    assert tuple(rows[0][:3]) == HEADERS["learners"]
    assert len(rows) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--report", "nonsense"],
        ["demo", "--tz", "Mars/Olympus"],
        ["demo", "--learners", "-1"],
        ["demo", "--learners", "1.5"],
        ["demo", "--sessions", "-2"],
        ["demo", "--seed", "abc"],
        ["demo", "--learners"],
        ["demo", "--bogus"],
        ["frobnicate"],
        [],
    ],
)
def test_main_usage_errors(capsysbinary: pytest.CaptureFixture[bytes], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(argv)
    assert raised.value.code == 2
    captured = capsysbinary.readouterr()
    assert captured.out == b""
    err = captured.err.decode("utf-8")
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert "error" in err
    assert "Traceback" not in err
