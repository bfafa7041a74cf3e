"""``python -m programstats``: see :mod:`programstats.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m programstats"))
