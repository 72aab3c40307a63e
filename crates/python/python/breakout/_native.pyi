"""Type stubs of `breakout._native`, the compiled half of the package (crates/python/src/lib.rs)."""

from typing import List, Sequence, Tuple

import numpy as np
import numpy.typing as npt

VERSION: str
MAX_SWEEP_POINTS: int
MAX_ARRAY_ELEMENTS: int

class BreakoutError(ValueError):
    """Bad input or options that do not fit together (the CLI's exit code 2)."""

class NativeDocument:
    """One command's document, laid out by the CLI's code (`breakout_app::render`)."""

    def text(self, width: int, shown: Sequence[str]) -> str:
        """The CLI's text at `width` columns, detail tables of the flags in `shown` in full."""
    def csv(self) -> str:
        """The CLI's `--csv` text."""

def execute(path: Sequence[str], fields_json: str) -> Tuple[str, bool, NativeDocument]:
    """One command: its `--json` document as text, whether it ended with a finding, and the
    document for the CLI's text and CSV."""

def sweep(request_json: str) -> str:
    """`run` at every point of `{"grid": [[option, values], ...]}` or `{"points": [[[option,
    value], ...], ...]}` in parallel on all cores (the application's sweep, as `breakout sweep`):
    `{"columns": [...], "rows": [...]}` as JSON text."""

def sweep_points(request_json: str) -> str:
    """The points of a sweep (as for `sweep`), as `[[[option, value], ...], ...]` JSON text,
    their number checked against `MAX_SWEEP_POINTS` before any is built."""

def swu_balance(
    shape: Sequence[int],
    feed_wt_pct: npt.NDArray[np.float64],
    product_wt_pct: npt.NDArray[np.float64],
    tails_wt_pct: npt.NDArray[np.float64],
    given: str,
    amount: npt.NDArray[np.float64],
) -> Tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]:
    """Balances over broadcast arrays: feed, product, tails (kg U), separative work (kg-SWU)."""

def convert_mass(
    shape: Sequence[int],
    value: npt.NDArray[np.float64],
    unit: str,
    to: str,
    wt_pct: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Masses of binary uranium converted over broadcast arrays."""
