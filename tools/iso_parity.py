"""Check that timestamp text reads the same on every installed CPython.

Usage (from the repository root)::

    python tools/iso_parity.py                       # every pyenv CPython 3.10+, 300,000 texts
    python tools/iso_parity.py --count 50000 --seed 3 /usr/bin/python3.12

Generates near-ISO 8601 text (every form Python 3.11's
``datetime.fromisoformat`` reads, then some characters inserted, removed or
changed), reads each text with ``programstats._iso.parse_instant`` under
each interpreter, and compares: every interpreter must give the same
datetime (or refuse), and on 3.11 and later that must be what
``datetime.fromisoformat`` itself gives (with a final ``z`` read as ``Z``,
and text holding a NUL refused: the two rules of ``parse_instant``).
Exit status 1 on any difference. ``_iso.py`` needs only the standard
library, so the interpreters need nothing installed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ISO = Path(__file__).resolve().parent.parent / "src" / "programstats" / "_iso.py"
STRAY = "0123456789:-+.,TZzW tX\x00\u00e9\ud800\U0001f600"
SEPARATORS = ["T", "T", "T", "t", " ", "", "\u00e9", "\ud800", "0", "W", "-", "+", "Z", "\x00"]

# Run by each interpreter: prints one outcome per text, parse_instant's and
# (from 3.11) fromisoformat's with parse_instant's two rules.
READER = """
import importlib.util, json, sys
from datetime import datetime
spec = importlib.util.spec_from_file_location("_iso", sys.argv[1])
iso = importlib.util.module_from_spec(spec)
spec.loader.exec_module(iso)
def outcome(read, text):
    try:
        return repr(read(text))
    except ValueError:
        return "refused"
def native(text):
    if "\\x00" in text:
        raise ValueError(text)
    return datetime.fromisoformat(text[:-1] + "Z" if text.endswith("z") else text)
texts = json.load(open(sys.argv[2], encoding="utf-8"))
oracle = sys.version_info >= (3, 11)
json.dump({
    "version": sys.version.split()[0],
    "parsed": [outcome(iso.parse_instant, text) for text in texts],
    "native": [outcome(native, text) for text in texts] if oracle else None,
}, sys.stdout)
"""


def near_iso(rng: random.Random) -> str:
    def pick(*likely: str) -> str:
        return rng.choice([*likely, *likely, *likely, f"{rng.randrange(100):02d}", "1"])

    year = rng.choice(
        ["2026", "2026", "2020", "0001", "9999", "0000", f"{rng.randrange(10000):04d}"]
    )
    month, day = pick("03", "02", "12", "13", "00"), pick("04", "29", "31", "32", "00")
    week, weekday = pick("10", "01", "52", "53", "00"), rng.choice("01378")
    text = rng.choice(
        [
            f"{year}-{month}-{day}",
            f"{year}{month}{day}",
            f"{year}-W{week}",
            f"{year}W{week}",
            f"{year}-W{week}-{weekday}",
            f"{year}W{week}{weekday}",
            f"{year}-{month}",
        ]
    )

    def clock() -> str:
        fields = [
            pick("10", "00", "23", "24"),
            pick("00", "30", "59", "60"),
            pick("00", "59", "60"),
        ]
        found = rng.choice([":", ":", ""]).join(fields[: rng.randint(1, 3)])
        if rng.random() < 0.4:
            digits = rng.choice([0, 1, 2, 3, 4, 5, 6, 6, 7, 9])
            found += rng.choice(".,.:") + "".join(rng.choice("0123456789") for _ in range(digits))
        return found

    if rng.random() < 0.9:
        text += rng.choice(SEPARATORS) + clock()
        text += rng.choice(["", "Z", "Z", "z", "+" + clock(), "-" + clock()])
    if rng.random() < 0.05:
        text += rng.choice(["\x00", "\x00x", " ", "Z"])
    for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2])):
        place, stray = rng.randrange(len(text) + 1), rng.choice(STRAY)
        change = rng.randrange(4)
        if change == 0:
            text = text[:place] + stray + text[place:]
        elif change == 1:
            text = text[:place] + text[place + 1 :]
        elif change == 2:
            text = text[:place]
        else:
            text = text[:place] + stray + text[place + 1 :]
    return text


def installed_pythons() -> list[str]:
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = sorted(glob.glob(f"{root}/versions/3.1[0-9]*/bin/python"))
    return found or [sys.executable]


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("pythons", nargs="*", help="interpreters (default: pyenv's 3.10+)")
    arguments.add_argument("--count", type=int, default=300_000)
    arguments.add_argument("--seed", type=int, default=0)
    options = arguments.parse_args()
    rng = random.Random(options.seed)
    texts = sorted({near_iso(rng) for _ in range(options.count)})
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder, "texts.json")
        corpus.write_text(json.dumps(texts), encoding="utf-8")
        runs = [
            json.loads(
                subprocess.run(
                    [python, "-c", READER, str(ISO), str(corpus)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for python in options.pythons or installed_pythons()
        ]
    reference = next((run["native"] for run in runs if run["native"]), None)
    accepted = sum(found != "refused" for found in runs[0]["parsed"])
    print(f"{len(texts):,} texts, {accepted:,} read as datetimes")
    differences = 0
    for run in runs:
        against = [("parse_instant on the first", runs[0]["parsed"])]
        if reference is not None:
            against.append(("fromisoformat on 3.11+", reference))
        for name, expected in against:
            wrong = [i for i, found in enumerate(run["parsed"]) if found != expected[i]]
            differences += len(wrong)
            print(f"  {run['version']}: {len(wrong)} differences from {name}")
            for i in wrong[:10]:
                print(f"    {texts[i]!r}: {run['parsed'][i]} instead of {expected[i]}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
