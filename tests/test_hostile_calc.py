"""Formula protection checked by a real spreadsheet: LibreOffice Calc, headless.

An export full of hostile text, and the problems CSV of records whose keys
and ids are formulas, are written as CSV, converted by Calc (with
formula evaluation on) to a flat OpenDocument file, and the cells that
carry a formula are counted: none may. The same text written without
protection must give formulas, so the test can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from programstats import (
    Directory,
    ExportOptions,
    Group,
    Problem,
    User,
    World,
    learner_export,
    problems_table,
    write_csv,
)
from programstats.examples import tiny_directory, tiny_session
from programstats.records import structure_world, to_record

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui)",
)

PREFIXES = ["", " ", "\u00a0", "\u3000", "\t", "\x01", "\u200b", "\ufeff", "\u202e", "\r\n"]
SIGNS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"]
# Comma-separated, '"' quotes, UTF-8, from line 1, evaluate formulas on import.
CSV_FILTER = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"


def hostile_directory() -> Directory:
    directory = tiny_directory()
    texts = [f"{prefix}{sign}1+1" for prefix in PREFIXES for sign in SIGNS]
    texts += ['=HYPERLINK("http://x";"y")', "@SUM(1;2)", "-2+3", "+cmd|' /C calc'!A0"]
    users = dict(directory.users)
    users["ana"] = User(
        id="ana",
        first_name=texts[0],
        last_name="Alves",
        email="=1+1",
        group_ids={"sales"},
        custom_fields={f"=F{i}": text for i, text in enumerate(texts)},
    )
    groups = [*directory.groups.values(), Group(id="evil", name="=2+2")]
    return Directory(users=users, groups=groups)


def hostile_problems() -> list[Problem]:
    """The problems of records whose keys and ids are formulas (the problems CSV echoes them)."""
    doc = to_record(World(directory=tiny_directory(), sessions=[tiny_session()]))
    assert isinstance(doc, dict)
    for number, text in enumerate(
        ['=HYPERLINK("http://x";"y")', "@SUM(1;2)", "+cmd|' /C calc'!A0", " =1+1"]
    ):
        doc["users"][0][text] = number  # an unknown key: its path and message echo it
        doc["groups"].append({"id": text, "name": 5})  # a bad group named by a formula
    return list(structure_world(doc, on_error="skip").problems)


def formula_cells(path: Path) -> int:
    return len(re.findall(r"table:formula=", path.read_text(encoding="utf-8")))


def test_calc_finds_no_formula_in_a_protected_export(tmp_path: Path) -> None:
    directory = hostile_directory()
    problems = hostile_problems()
    for name, protect in (("protected", True), ("raw", False)):
        options = ExportOptions(protect_formulas=protect)
        with open(tmp_path / f"{name}.csv", "w", newline="", encoding="utf-8") as out:
            write_csv(learner_export([tiny_session()], directory, options), out, options)
        with open(tmp_path / f"{name}-problems.csv", "w", newline="", encoding="utf-8") as out:
            write_csv(problems_table(problems, options), out, options)
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            f"--infilter={CSV_FILTER}",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "protected.csv"),
            str(tmp_path / "raw.csv"),
            str(tmp_path / "protected-problems.csv"),
            str(tmp_path / "raw-problems.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert formula_cells(tmp_path / "raw.fods") > 10  # Calc does run unprotected text
    assert formula_cells(tmp_path / "protected.fods") == 0
    assert formula_cells(tmp_path / "raw-problems.fods") >= 1  # the HYPERLINK record id
    assert formula_cells(tmp_path / "protected-problems.fods") == 0
