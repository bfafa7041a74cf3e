"""``python -m programstats``: see :mod:`programstats.cli`."""

import sys

from .cli import command

if __name__ == "__main__":
    sys.exit(command(prog="python -m programstats"))
