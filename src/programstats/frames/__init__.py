"""DataFrames and Arrow in and out (SPEC §12; extra ``frames``, needs narwhals).

=====================  =====================================================
function               gives
=====================  =====================================================
:func:`from_frames`    a ``World`` from frames: the tables of
                       ``records.from_tables``, read column by column, with
                       its rules, problems and options
:func:`to_frame`       results (§3, §4), ``template_results`` pairs,
                       ``World.problems`` or a ``Table`` as a frame: one row
                       per value, one typed column per scalar field
:func:`learner_frame`  the per-learner export as a typed frame: the
                       columns and rows of ``learner_export``, with numbers,
                       durations, aware datetimes, booleans and nulls
=====================  =====================================================

Frames are built through `narwhals <https://narwhals-dev.github.io/narwhals/>`_,
the compatibility layer between DataFrame libraries, so one code path gives
a ``pandas.DataFrame``, a ``polars.DataFrame`` or a ``pyarrow.Table``
(``backend="pandas" | "polars" | "pyarrow"``), and one path reads frames of
any of them. The caller brings that library: importing this module imports
none of them, only narwhals, which imports the backend when a frame of it
is asked for. :func:`from_frames` imports the records layer (cattrs, part
of the ``frames`` extra) when it is called.
"""

from __future__ import annotations

try:
    import narwhals  # noqa: F401  # checked first, for the install hint
except ImportError as error:
    raise ImportError(
        "programstats.frames needs narwhals; install it with: pip install 'programstats[frames]'"
    ) from error

from .input import from_frames
from .output import BACKENDS, MissingBackendError, learner_frame, to_frame

__all__ = ["BACKENDS", "MissingBackendError", "from_frames", "learner_frame", "to_frame"]
