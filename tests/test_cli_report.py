"""The ``report`` command and ``demo --world`` (programstats.cli).

``demo --world`` then ``report`` must give the demo's bytes; bad data exits
1 with the problems on standard error and nothing on standard output; bad
arguments exit 2 with one line.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timezone
from pathlib import Path
from typing import Any

import pytest

from programstats import cli
from programstats.records import World, structure_world, to_record
from programstats.synthetic import DEFAULT_ANCHOR, synthetic_world

REPORTS = [r for r in cli.REPORTS if r != "problems"]


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, bytes]:
    try:
        status = cli.main(list(argv))
    except SystemExit as stop:
        status = int(stop.code or 0)
    captured = capsysbinary.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def world_file(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> Path:
    status, out, _ = run(capsysbinary, "demo", "--world", "--learners", "12", "--sessions", "3")
    assert status == 0
    path = tmp_path / "world.json"
    path.write_bytes(out)
    return path


def demo_choices(report: str, path: Path) -> list[str]:
    """What ``demo`` picks itself and ``report`` must be told: now, group, template, session."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    first = doc["sessions"][0]
    choices = {
        "sessions": ["--now", DEFAULT_ANCHOR.isoformat()],
        "group": ["--now", DEFAULT_ANCHOR.isoformat(), "--group", cli.DASHBOARD_GROUP],
        "template": ["--template", first["template"]["id"]],
    }
    if report in cli.SESSION_REPORTS:
        return ["--session", first["id"]]
    return choices.get(report, [])


@pytest.mark.parametrize("report", REPORTS)
def test_report_on_demo_world_gives_the_demo_bytes(
    report: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    options = ["--learners", "12", "--seed", "4", "--tz", "Europe/Paris", "--delimiter", ";"]
    status, doc, _ = run(capsysbinary, "demo", "--report", report, "--world", *options[:4])
    assert status == 0
    path = tmp_path / "w.json"
    path.write_bytes(doc)
    status, expected, err = run(capsysbinary, "demo", "--report", report, *options)
    assert status == 0 and err == b""
    status, found, err = run(
        capsysbinary, "report", report, str(path), *options[4:], *demo_choices(report, path)
    )
    assert status == 0 and err == b""
    assert found == expected
    assert found.count(b"\r\n") >= 2  # header and at least one row


def test_demo_world_is_the_synthetic_world(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    status, out, _ = run(capsysbinary, "demo", "--world", "--learners", "9", "--seed", "2")
    assert status == 0
    world = synthetic_world(learners=9, sessions=1, seed=2)
    found = structure_world(json.loads(out))
    assert found.sessions == world.sessions and found.directory == world.directory


def test_report_options_bom_now_group_session(
    world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    _, out, _ = run(capsysbinary, "report", "sessions", str(world_file), "--bom")
    assert out.startswith("\ufeffSESSION ID,".encode())
    doc = json.loads(world_file.read_text(encoding="utf-8"))
    second = doc["sessions"][1]["id"]
    _, out, _ = run(capsysbinary, "report", "overview", str(world_file), "--session", second)
    rows = list(csv.reader(io.StringIO(out.decode())))
    assert rows[0] == ["Statistic", "Block ID", "Block title", "Value"]
    assert rows[1] == ["Registrations", "", "", str(sum(
        1 for r in doc["sessions"][1]["registrations"] if r["unregistered_at"] is None
    ))]  # fmt: skip
    _, early, _ = run(
        capsysbinary, "report", "sessions", str(world_file), "--now", "2000-01-01T00:00:00Z"
    )
    _, late, _ = run(capsysbinary, "report", "group", str(world_file), "--group", "company")
    assert early.count(b"\r\n") == 4 and late.startswith(b"Program session,")


def test_json_lines_with_directory(
    world_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = json.loads(world_file.read_text(encoding="utf-8"))
    lines = tmp_path / "sessions.jsonl"
    lines.write_text("".join(json.dumps(s) + "\n" for s in doc["sessions"]) + "\n")
    directory = tmp_path / "directory.json"
    directory.write_text(json.dumps({"groups": doc["groups"], "users": doc["users"]}))
    _, expected, _ = run(capsysbinary, "report", "learners", str(world_file))
    status, found, _ = run(
        capsysbinary, "report", "learners", str(lines), "--directory", str(directory)
    )
    assert status == 0 and found == expected


def bad_world(world_file: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(world_file.read_text(encoding="utf-8"))
    doc["sessions"][0]["attempts"][4]["score"] = 101
    doc["users"][2]["nickname"] = "x"
    return doc


def test_bad_data_under_raise_exits_1_with_problems_and_no_output(
    world_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad_world(world_file)))
    errors = tmp_path / "errors.csv"
    status, out, err = run(capsysbinary, "report", "learners", str(path), "--errors", str(errors))
    assert status == 1 and out == b""
    text = err.decode()
    assert "2 problems in the records" in text
    assert "$.users[2].nickname" in text and "$.sessions[0].attempts[4].score" in text
    assert errors.read_text(encoding="utf-8").count("\n") == 3  # header and two problems


def test_skip_reports_over_the_rest_and_lists_problems(
    world_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = bad_world(world_file)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    status, out, err = run(capsysbinary, "report", "learners", str(path), "--on-error", "skip")
    assert status == 3 and err.count(b"\n") == 1
    assert b"2 problems; left out: 1 attempt, 1 key; see them with --errors FILE" in err
    world = structure_world(doc, on_error="skip")
    expected = io.StringIO(newline="")
    from programstats import learner_export, write_csv

    write_csv(learner_export(world.sessions, world.directory), expected)
    assert out == expected.getvalue().encode()
    status, out, _ = run(capsysbinary, "report", "problems", str(path), "--on-error", "skip")
    rows = list(csv.reader(io.StringIO(out.decode())))
    assert rows[0] == ["Path", "Record ID", "Row key", "Problem"]
    assert [row[0] for row in rows[1:]] == [p.path for p in world.problems]


@pytest.mark.parametrize(
    "argv",
    [
        ("report", "learners", "missing.json"),
        ("report", "nonsense", "-"),
        ("report", "learners", "WORLD", "--tz", "Mars/Olympus"),
        ("report", "learners", "WORLD", "--now", "2026-01-01T00:00:00"),
        ("report", "overview", "WORLD", "--session", "no-such-session"),
        ("report", "group", "WORLD", "--group", "no-such-group"),
        ("report", "learners", "WORLD", "--on-error", "ignore"),
        ("demo", "--world", "--learners", "-1"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: tuple[str, ...], world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    args = [str(world_file) if a == "WORLD" else a for a in argv]
    status, out, err = run(capsysbinary, *args)
    assert status == 2 and out == b""
    assert err.count(b"\n") == 1 and b"error:" in err


def test_not_json_exits_1(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{")
    status, out, err = run(capsysbinary, "report", "learners", str(path))
    assert status == 1 and out == b"" and b"is not JSON (Expecting" in err


def test_report_reads_stdin_in_a_real_process(world_file: Path) -> None:
    demo = subprocess.run(
        [sys.executable, "-m", "programstats", "demo", "--learners", "12", "--sessions", "3"],
        capture_output=True,
        check=True,
    )
    found = subprocess.run(
        [sys.executable, "-m", "programstats", "report", "learners", "-"],
        input=world_file.read_bytes(),
        capture_output=True,
        check=True,
    )
    assert found.stdout == demo.stdout


def test_world_to_record_matches_demo_world(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    status, out, _ = run(capsysbinary, "demo", "--world", "--learners", "5")
    world = synthetic_world(learners=5, sessions=1, seed=0)
    assert status == 0
    assert json.loads(out) == to_record(World(directory=world.directory, sessions=world.sessions))


@pytest.mark.parametrize("report", REPORTS)
def test_default_utc_gives_the_bytes_of_the_iana_utc_zone(
    report: str, world_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    # "UTC" is written with datetime.timezone.utc (the export's fast path).
    assert cli._options(cli._parser().parse_args(["demo"])).timezone is timezone.utc
    choices = demo_choices(report, world_file)
    status, default, _ = run(capsysbinary, "report", report, str(world_file), *choices)
    assert status == 0
    status, iana, _ = run(
        capsysbinary, "report", report, str(world_file), "--tz", "Etc/UTC", *choices
    )
    assert status == 0
    assert default == iana
