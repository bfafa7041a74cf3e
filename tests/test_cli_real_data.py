"""The ``report`` command on real data (SPEC §8.1): the clock, required ids, exit codes, stderr.

Exit codes: 0 nothing left out; 3 ``--on-error skip`` left something out
(one line on standard error); 1 bad data under ``raise`` or nothing
readable; 2 bad arguments, one line.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from programstats import cli
from programstats.examples import tiny_directory, tiny_session
from programstats.records import World, to_record


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    try:
        status = cli.main(list(argv))
    except SystemExit as stop:
        status = int(stop.code or 0)
    captured = capsysbinary.readouterr()
    return status, captured.out, captured.err.decode()


def document() -> dict[str, Any]:
    doc = to_record(World(directory=tiny_directory(), sessions=[tiny_session()]))
    assert isinstance(doc, dict)
    return json.loads(json.dumps(doc))


def write(tmp_path: Path, doc: object, name: str = "world.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_now_defaults_to_the_clock(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = datetime.now(timezone.utc)
    assert before <= cli.clock() <= datetime.now(timezone.utc)
    path = write(tmp_path, document())
    asked: list[datetime] = []
    seen: list[datetime] = []

    def clock() -> datetime:
        asked.append(datetime(2026, 12, 6, tzinfo=timezone.utc))
        return asked[-1]

    def dashboard(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[3])
        return real(*args, **kwargs)

    real = cli.group_dashboard
    monkeypatch.setattr(cli, "clock", clock)
    monkeypatch.setattr(cli, "group_dashboard", dashboard)
    assert run(capsysbinary, "report", "group", path, "--group", "sales")[0] == 0
    assert seen == asked and len(asked) == 1
    # --now wins over the clock, which is not read.
    now = "2030-01-01T00:00:00+00:00"
    assert run(capsysbinary, "report", "group", path, "--group", "sales", "--now", now)[0] == 0
    assert len(asked) == 1 and seen[-1] == datetime.fromisoformat(now)


@pytest.mark.parametrize(
    ("report", "option", "listed"),
    [
        ("group", "--group", "'company', 'sales'"),
        ("template", "--template", "'onboarding'"),
        ("overview", "--session", "'s1'"),
        ("groups", "--session", "'s1'"),
        ("blocks", "--session", "'s1'"),
    ],
)
def test_reports_on_one_thing_require_it_and_list_valid_ids(
    report: str,
    option: str,
    listed: str,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    path = write(tmp_path, document())
    status, out, err = run(capsysbinary, "report", report, path)
    assert status == 2 and out == b"" and err.count("\n") == 1
    assert f"needs {option} ID (valid ones are {listed})" in err
    status, out, err = run(capsysbinary, "report", report, path, option, "nope")
    assert status == 2 and out == b"" and err.count("\n") == 1
    assert f"{option} 'nope' is not in the data (valid ones are {listed})" in err


def test_at_most_five_valid_ids_are_listed(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = document()
    doc["groups"] += [{"id": f"g{n}", "name": f"G{n}", "parent_id": None} for n in range(9)]
    status, _, err = run(capsysbinary, "report", "group", write(tmp_path, doc))
    assert status == 2
    assert "(valid ones are 'company', 'g0', 'g1', 'g2', 'g3' and 6 more)" in err


def test_skip_that_leaves_records_out_exits_3_with_one_line(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = document()
    doc["sessions"][0]["attempts"][0]["score"] = 120
    doc["users"][1]["nickname"] = "Bo"
    path, errors = write(tmp_path, doc), tmp_path / "problems.csv"
    status, out, err = run(
        capsysbinary, "report", "learners", path, "--on-error", "skip", "--errors", str(errors)
    )
    assert status == 3 and err.count("\n") == 1
    assert err == (
        f"programstats: 2 problems; left out: 1 attempt, 1 key; the problems are in {errors}\n"
    )
    assert out.count(b"\r\n") == 5  # the report is complete for the rest
    rows = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8"))))
    assert [row[0] for row in rows] == [
        "Path",
        "$.users[1].nickname",
        "$.sessions[0].attempts[0].score",
    ]


def test_skip_that_leaves_every_session_out_is_not_a_success(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = document()
    doc["sessions"][0]["end"] = "not a date"
    status, out, err = run(
        capsysbinary, "report", "learners", write(tmp_path, doc), "--on-error", "skip"
    )
    assert status == 3 and out.count(b"\r\n") == 1  # the header of nothing
    assert "1 problem; left out: 1 session; see them with --errors FILE" in err


def test_clean_data_exits_0_and_says_nothing(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    status, _, err = run(
        capsysbinary, "report", "learners", write(tmp_path, document()), "--on-error", "skip"
    )
    assert status == 0 and err == ""


def test_a_key_given_twice_is_a_problem(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    text = json.dumps(document()).replace(
        '"first_name": "Ana"', '"first_name": "Ana", "first_name": "Anna"'
    )
    path = tmp_path / "twice.json"
    path.write_text(text, encoding="utf-8")
    status, out, err = run(capsysbinary, "report", "learners", str(path))
    assert status == 1 and out == b""
    assert "$.users[0].first_name: the key 'first_name' is given twice in this object" in err
    status, out, err = run(capsysbinary, "report", "learners", str(path), "--on-error", "skip")
    assert status == 3 and b"Alves" not in out  # Ana's user record is left out, with her rows
    assert "left out: 2 attempts, 1 attendance, 1 entry, 1 registration, 1 user;" in err


def test_a_directory_document_has_groups_and_users_only(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = document()
    directory = write(
        tmp_path, {"groups": doc["groups"], "users": doc["users"], "extra": 1}, "d.json"
    )
    lines = tmp_path / "s.jsonl"
    lines.write_text(json.dumps(doc["sessions"][0]) + "\n", encoding="utf-8")
    status, out, err = run(capsysbinary, "report", "learners", str(lines), "--directory", directory)
    assert status == 1 and out == b""
    assert "$.extra: a directory record has no key 'extra'; its keys are: groups, users" in err


def test_json_lines_without_directory_says_to_add_it(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    session = document()["sessions"][0]
    lines = tmp_path / "s.jsonl"
    lines.write_text(json.dumps(session) + "\n" + json.dumps(session) + "\n", encoding="utf-8")
    status, out, err = run(capsysbinary, "report", "learners", str(lines))
    assert status == 2 and out == b"" and err.count("\n") == 1
    assert "give the users and groups with --directory FILE" in err


def test_json_lines_skip_blank_lines_and_name_bad_ones(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = document()
    directory = write(tmp_path, {"groups": doc["groups"], "users": doc["users"]}, "d.json")
    lines = tmp_path / "s.jsonl"
    lines.write_text("\n" + json.dumps(doc["sessions"][0]) + "\n   \n{oops\n", encoding="utf-8")
    status, out, err = run(capsysbinary, "report", "learners", str(lines), "--directory", directory)
    assert status == 1 and out == b""
    assert "$.sessions[1]: '" in err and "s.jsonl' line 4 is not JSON (Expecting property" in err
    status, out, err = run(
        capsysbinary,
        "report", "learners", str(lines), "--directory", directory, "--on-error", "skip",
    )  # fmt: skip
    assert status == 3 and out.count(b"\r\n") == 5
    assert "1 problem; left out: 1 session" in err


def test_naive_timezone_reads_dates_without_offset(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    doc = document()
    doc["sessions"][0]["start"] = "2026-03-02T09:00:00"
    path = write(tmp_path, doc)
    status, _, err = run(capsysbinary, "report", "sessions", path)
    assert status == 1 and "has no offset" in err
    status, out, _ = run(
        capsysbinary, "report", "sessions", path, "--naive-timezone", "Europe/Paris"
    )
    assert status == 0 and b"2026/03/02 08:00" in out


def test_version(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    status, out, _ = run(capsysbinary, "--version")
    assert status == 0
    assert out.decode().strip() == f"programstats {metadata.version('programstats')}"


def test_the_programstats_console_command_is_installed() -> None:
    (entry,) = metadata.entry_points(group="console_scripts", name="programstats")
    assert entry.load() is cli.run
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from programstats.cli import run; sys.argv[0] = "
         "'programstats'; run()", "--version"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith("programstats ")


@pytest.mark.parametrize("argv", [["--help"], ["report", "--help"], ["demo", "--help"]])
def test_help_is_plain_text(argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    status, out, _ = run(capsysbinary, *argv)
    text = out.decode()
    assert status == 0 and text.startswith("usage: programstats")
    for markup in ("``", ":func:", ":class:", "\\n"):
        assert markup not in text


def test_a_lone_surrogate_or_nul_in_a_key_gives_a_clean_error(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    text = json.dumps(document()).replace(
        '"first_name": "Ana"', '"first_name": "Ana", "\\ud800\\u0000x": 1'
    )
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    status, out, err = run(capsysbinary, "report", "learners", str(path))
    assert status == 1 and out == b""
    assert "Traceback" not in err
    assert "$.users[0]['\\ud800\\u0000x']: User 'ana': unknown field '\\ud800\\x00x'" in err
    errors = tmp_path / "problems.csv"
    status, out, err = run(
        capsysbinary, "report", "learners", str(path), "--on-error", "skip", "--errors", str(errors)
    )
    assert status == 3 and out.count(b"\r\n") == 5
    written = errors.read_bytes().decode("utf-8")  # valid UTF-8: no surrogate, no NUL
    assert "\x00" not in written and "$.users[0]['\\ud800\\u0000x']" in written
