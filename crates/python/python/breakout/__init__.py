"""Nuclear-breakout arithmetic from first principles and public data, from Python.

Every function runs one command of the ``breakout`` CLI through the same application layer
(the Rust crate ``breakout_app``) the CLI and its web server call, so the numbers cannot differ:
options are keyword arguments named as the CLI's long flags with ``_`` for ``-``
(``--setup-days-per-step`` is ``setup_days_per_step``), and ``result.to_dict()`` is the CLI's
``--json`` document.

>>> import breakout
>>> r = breakout.run("iran-2025-05")
>>> round(r.first_sq_days, 2)
3.58
>>> r.production_curve.head()      # a pandas DataFrame when pandas is installed  # doctest: +SKIP
>>> print(r)                        # the text of `breakout run iran-2025-05`  # doctest: +SKIP

Bad input raises :class:`BreakoutError` (a ``ValueError``) with the CLI's message; a failure of
the model on accepted input raises ``RuntimeError``. Computations release the GIL.

``swu`` (the balance) and ``convert`` also take NumPy arrays and broadcast them; ``sweep`` runs
a grid of ``run`` options in parallel on all cores, or on a Dask cluster.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _native
from ._native import BreakoutError

__all__ = [
    "BreakoutError",
    "Result",
    "run",
    "history",
    "states",
    "deals",
    "machines",
    "machine_show",
    "deal_check",
    "deal_floor",
    "deal_compare",
    "deal_show",
    "deal_history",
    "swu",
    "convert",
    "cascade_design",
    "cascade_marc",
    "cascade_run",
    "safeguards_balance",
    "safeguards_detect",
    "safeguards_sequence",
    "safeguards_page_threshold",
    "safeguards_sample",
    "safeguards_plant",
    "sweep",
    "MAX_SWEEP_POINTS",
    "MAX_ARRAY_ELEMENTS",
]

__version__: str = _native.VERSION

#: Most points one :func:`sweep` may have (``breakout_app::limits::MAX_SWEEP_POINTS``).
MAX_SWEEP_POINTS: int = _native.MAX_SWEEP_POINTS

#: Most elements one :func:`swu` or :func:`convert` call may compute after broadcasting
#: (``breakout_app::limits::MAX_ARRAY_ELEMENTS``), checked before any output is allocated.
MAX_ARRAY_ELEMENTS: int = _native.MAX_ARRAY_ELEMENTS


def _pandas():
    """pandas, or None when it is not installed (tables then stay lists of dicts)."""
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _table(value: Any) -> Any:
    """A list of records as a DataFrame when pandas is importable; anything else unchanged."""
    pd = _pandas()
    if pd is not None and isinstance(value, list) and value and all(
        isinstance(v, dict) for v in value
    ):
        return pd.DataFrame.from_records(value)
    return value


class Result:
    """The answer of one command.

    ``to_dict()`` is the CLI's ``--json`` document (``schema_version``, ``tool``, ``command``,
    ``inputs``, ``results``, ``notes``). Each key of ``results`` is also an attribute; lists of
    records (the production curve, the timeline ``steps``, Monte Carlo ``percentiles``, the
    rows of a history or a comparison) come back as pandas DataFrames when pandas is installed.
    ``finding`` is True when the command found something (a violated clause, a detected loss:
    the CLI's exit code 1).

    ``str(result)`` (and so ``print(result)``) is the CLI's text for the same command at 100
    columns, laid out by the same Rust code; :meth:`text` takes another width, :meth:`csv` gives
    the CLI's ``--csv``.
    """

    def __init__(self, document: Dict[str, Any], finding: bool, native: Any) -> None:
        self._document = document
        self.finding: bool = finding
        self._native = native

    def text(self, width: int = 100, *, assumptions: bool = False, timeline: str = "steps") -> str:
        """The CLI's text at ``width`` columns (``COLUMNS=width breakout ...``; at least 40, as
        the CLI's). ``assumptions=True`` is ``--assumptions``, ``timeline="full"`` is
        ``--timeline full``."""
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise BreakoutError(
                f"width: {width!r} is not valid: expected a whole number of columns, at least 1"
            )
        if timeline not in ("steps", "full"):
            raise BreakoutError(
                f"timeline: {timeline!r} is not valid: expected \"steps\" or \"full\""
            )
        shown = (["--assumptions"] if assumptions else []) + (
            ["--timeline full"] if timeline == "full" else []
        )
        return self._native.text(width, shown)

    def csv(self) -> str:
        """The CLI's ``--csv`` text: inputs and results, then every table, each under a
        ``# title`` line (RFC 4180, CRLF line ends)."""
        return self._native.csv()

    @property
    def command(self) -> str:
        """The command that answered, e.g. ``"run"`` or ``"swu plan"``."""
        return self._document["command"]

    @property
    def inputs(self) -> Dict[str, Any]:
        """Every input used, given or default, as the JSON document's ``inputs``."""
        return self._document["inputs"]

    @property
    def results(self) -> Dict[str, Any]:
        """The results, as the JSON document's ``results`` (tables as lists of records)."""
        return self._document["results"]

    @property
    def notes(self) -> List[str]:
        """The document's notes: assumptions and caveats in words."""
        return self._document["notes"]

    def to_dict(self) -> Dict[str, Any]:
        """The CLI's ``--json`` document, as a fresh dict."""
        return json.loads(json.dumps(self._document))

    def tables(self) -> Dict[str, Any]:
        """Every result that is a list of records, by key (DataFrames when pandas is installed)."""
        return {
            k: _table(v)
            for k, v in self.results.items()
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
        }

    def __getattr__(self, name: str) -> Any:
        results = self.__dict__.get("_document", {}).get("results", {})
        if name in results:
            return _table(results[name])
        raise AttributeError(
            f"{type(self).__name__} of `{self.__dict__.get('_document', {}).get('command')}` "
            f"has no result `{name}`: expected one of {', '.join(results) or 'none'}"
        )

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self.results))

    def __repr__(self) -> str:
        scalars = [
            f"{k}={v!r}"
            for k, v in self.results.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)
        ][:4]
        return f"<breakout.Result {self.command}: {', '.join(scalars)}{', …' if scalars else ''}>"

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        """In a notebook: the CLI's text, in a fixed-width block."""
        return f"```text\n{self.text()}```\n"


def _plain(value: Any) -> Any:
    """A JSON-ready value: NumPy scalars as Python numbers."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        return item()
    raise BreakoutError(f"a value of type {type(value).__name__} is not a valid option value")


def _fields(options: Mapping[str, Any]) -> str:
    """The options as a JSON object; options given as None are left out (not given)."""
    return json.dumps({k: v for k, v in options.items() if v is not None}, default=_plain)


def _comma_lists(options: Mapping[str, Any], names: Sequence[str]) -> Dict[str, Any]:
    """The options with the named per-period or per-stage lists (the CLI's comma-separated
    values, e.g. ``--muf 1,-2,3``) given as sequences or arrays joined into that text."""
    out = dict(options)
    for name in names:
        value = out.get(name)
        if value is not None and not isinstance(value, str):
            items = value.tolist() if hasattr(value, "tolist") else list(value)
            out[name] = ",".join(json.dumps(x, default=_plain) for x in items)
    return out


def _execute(path: Sequence[str], fields: str) -> Result:
    text, finding, native = _native.execute(list(path), fields)
    return Result(json.loads(text), finding, native)


def _call(path: Sequence[str], options: Mapping[str, Any]) -> Result:
    return _execute(path, _fields(options))


def run(state: Optional[str] = None, **options: Any) -> Result:
    """``breakout run``: the breakout timeline, production curve and every assumption.

    ``state`` is a bundled state id (e.g. ``"iran-2025-05"``, the default) or a state file's
    path; the options are those of ``breakout run --help`` (``goal``, ``count``, ``model``,
    ``setup_days_per_step``, ``samples``, ``seed``, quick mode ``machines=["IR-6=1740"]``, ...).
    Results include ``first_sq_days``, ``production_curve`` and the timeline ``steps``.
    """
    return _call(["run"], {"state": state, **options})


def history(**options: Any) -> Result:
    """``breakout history``: the breakout estimate for every bundled dated state."""
    return _call(["history"], options)


def states() -> Result:
    """The bundled facility states with their dates and central estimates (``history()``)."""
    return history()


def deals() -> Result:
    """``breakout deal list``: the bundled deals."""
    return _execute(["deal", "command"], json.dumps("list"))


def machines() -> Result:
    """``breakout machine list``: the bundled machine types with their separative power."""
    return _execute(["machine", "command"], json.dumps("list"))


def machine_show(id: str) -> Result:
    """``breakout machine show ID``: one machine type with its sources."""
    return _call(["machine", "command", "show"], {"id": id})


def deal_check(deal: str, state: str, **options: Any) -> Result:
    """``breakout deal check DEAL STATE``: every clause in force, complies or violates
    (``finding`` is True if any clause is violated)."""
    return _call(["deal", "command", "check"], {"deal": deal, "state": state, **options})


def deal_floor(deal: str, **options: Any) -> Result:
    """``breakout deal floor DEAL``: the breakout floor the deal allows, and if it is broken."""
    return _call(["deal", "command", "floor"], {"deal": deal, **options})


def deal_compare(deals: Optional[Sequence[str]] = None, **options: Any) -> Result:
    """``breakout deal compare [DEALS...]``: deals side by side, with "no deal" for reference."""
    return _call(["deal", "command", "compare"], {"deals": deals, **options})


def deal_show(deal: str, **options: Any) -> Result:
    """``breakout deal show DEAL``: a deal's clauses, their windows and sources."""
    return _call(["deal", "command", "show"], {"deal": deal, **options})


def deal_history(deal: str) -> Result:
    """``breakout deal history DEAL``: when each limit was first exceeded."""
    return _call(["deal", "command", "history"], {"deal": deal})


_SWU_MODES = ("balance", "plan", "cost", "tails", "yield")
_SWU_GIVEN = ("product_kg_u", "feed_kg_u", "tails_kg_u", "swu")


def _is_array(value: Any) -> bool:
    return hasattr(value, "__array__") and getattr(value, "shape", ()) != ()


def _arrays(names: Iterable[str], values: Mapping[str, Any]):
    """The named values as float64 arrays, and the shape they broadcast to."""
    import numpy as np

    arrays = {n: np.asarray(values[n], dtype=np.float64) for n in names}
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in arrays.items())
        raise BreakoutError(f"the arrays do not broadcast together: {shapes}") from None
    return arrays, shape


def swu(mode: str = "balance", **options: Any) -> Any:
    """``breakout swu [MODE]``: separative work.

    ``mode`` is ``"balance"`` (the default: three assays and one of ``product_kg_u``,
    ``feed_kg_u``, ``tails_kg_u``, ``swu``), ``"plan"``, ``"cost"``, ``"tails"`` or ``"yield"``;
    options as the CLI's flags (``product_wt_pct``, ``tails_wt_pct``, ``feed_wt_pct``, ...).

    For the balance, NumPy arrays are accepted for the assays and the given amount: they
    broadcast together and the balance is solved element by element in Rust without the GIL.
    The answer is then a dict of arrays ``feed_kg_u``, ``product_kg_u``, ``tails_kg_u``,
    ``separative_work_swu``; an invalid element raises :class:`BreakoutError` naming its flat
    index.
    """
    if mode not in _SWU_MODES:
        raise BreakoutError(f"mode = `{mode}`: expected one of {', '.join(_SWU_MODES)}")
    if mode == "balance":
        if any(_is_array(v) for v in options.values()):
            return _swu_arrays(options)
        return _call(["swu"], options)
    return _call(["swu", "command", mode], options)


def _swu_arrays(options: Mapping[str, Any]) -> Dict[str, Any]:
    given = [g for g in _SWU_GIVEN if options.get(g) is not None]
    if len(given) != 1:
        raise BreakoutError(
            "give exactly one of product_kg_u, feed_kg_u, tails_kg_u, swu "
            f"(given: {', '.join(given) or 'none'})"
        )
    allowed = {"feed_wt_pct", "product_wt_pct", "tails_wt_pct", given[0]}
    unknown = sorted(set(k for k, v in options.items() if v is not None) - allowed)
    if unknown:
        raise BreakoutError(
            f"unknown option `{unknown[0]}` for an array balance: expected "
            f"{', '.join(sorted(allowed))}"
        )
    for required in ("product_wt_pct", "tails_wt_pct"):
        if options.get(required) is None:
            raise BreakoutError(f"missing option `{required}` (wt-% U-235)")
    values = {"feed_wt_pct": 0.711, **{k: v for k, v in options.items() if v is not None}}
    names = ("feed_wt_pct", "product_wt_pct", "tails_wt_pct", given[0])
    a, shape = _arrays(names, values)
    feed, product, tails, work = _native.swu_balance(
        list(shape),
        a["feed_wt_pct"],
        a["product_wt_pct"],
        a["tails_wt_pct"],
        given[0],
        a[given[0]],
    )
    return {
        "feed_kg_u": feed,
        "product_kg_u": product,
        "tails_kg_u": tails,
        "separative_work_swu": work,
    }


def convert(value: Any, unit: str, *, to: str, **options: Any) -> Any:
    """``breakout convert VALUE UNIT --to TO``: a mass between kg U, kg U-235, UF6, U3O8, UO2.

    Units by their CLI names: ``"kg-u"``, ``"kg-u235"``, ``"kg-uf6"``, ``"kg-u3o8"``,
    ``"kg-uo2"``; the assay as ``wt_pct``, ``at_pct`` or ``composition_at_pct``.

    With NumPy arrays for ``value`` and/or ``wt_pct`` (binary uranium), they broadcast and the
    answer is the array of converted masses, computed in Rust without the GIL.
    """
    if _is_array(value) or _is_array(options.get("wt_pct")):
        extra = sorted(k for k, v in options.items() if v is not None and k != "wt_pct")
        if extra or options.get("wt_pct") is None:
            raise BreakoutError(
                "array conversion takes `value` and `wt_pct` (binary uranium) only"
                + (f"; not `{extra[0]}`" if extra else ": `wt_pct` is missing")
            )
        a, shape = _arrays(("value", "wt_pct"), {"value": value, "wt_pct": options["wt_pct"]})
        return _native.convert_mass(list(shape), a["value"], unit, to, a["wt_pct"])
    return _call(["convert"], {"value": value, "unit": unit, "to": to, **options})


def cascade_design(**options: Any) -> Result:
    """``breakout cascade design``: a symmetric ideal binary cascade."""
    return _call(["cascade", "command", "design"], options)


def cascade_marc(**options: Any) -> Result:
    """``breakout cascade marc``: a multi-isotope matched-abundance-ratio cascade."""
    return _call(["cascade", "command", "marc"], options)


def cascade_run(**options: Any) -> Result:
    """``breakout cascade run``: a fixed cascade run off-design, with optional recycling.

    ``cuts`` and ``machines_per_stage`` may be lists or the CLI's comma-separated text."""
    options = _comma_lists(options, ("cuts", "machines_per_stage"))
    return _call(["cascade", "command", "run"], options)


def safeguards_balance(**options: Any) -> Result:
    """``breakout safeguards balance FILE``: MUF and σ_MUF of a balance file."""
    return _call(["safeguards", "command", "balance"], options)


def safeguards_detect(**options: Any) -> Result:
    """``breakout safeguards detect``: detection probability of a loss in one balance."""
    return _call(["safeguards", "command", "detect"], options)


def safeguards_sequence(**options: Any) -> Result:
    """``breakout safeguards sequence``: sequential tests on a MUF sequence.

    ``muf``, ``sigma_inventory_kg`` and ``sigma_transfer_kg`` may be lists or arrays, or the
    CLI's comma-separated text."""
    options = _comma_lists(options, ("muf", "sigma_inventory_kg", "sigma_transfer_kg"))
    return _call(["safeguards", "command", "sequence"], options)


def safeguards_page_threshold(**options: Any) -> Result:
    """``breakout safeguards page-threshold``: the Page decision interval h."""
    return _call(["safeguards", "command", "page-threshold"], options)


def safeguards_sample(**options: Any) -> Result:
    """``breakout safeguards sample``: attribute sample sizes."""
    return _call(["safeguards", "command", "sample"], options)


def safeguards_plant(**options: Any) -> Result:
    """``breakout safeguards plant``: an enrichment plant's balance for a year."""
    return _call(["safeguards", "command", "plant"], options)


Grid = Union[Mapping[str, Sequence[Any]], Sequence[Mapping[str, Any]]]


def _sweep_request(grid: Grid) -> str:
    """The sweep as the native module takes it: a dict of lists as ordered axes, a list of
    dicts as points (each an ordered list of option and value). The application
    (``breakout_app::commands::sweep``) expands the grid and checks its size before building
    any point."""
    if isinstance(grid, Mapping):
        for k, v in grid.items():
            if isinstance(v, (str, bytes)) or not isinstance(v, Sequence):
                raise BreakoutError(
                    f"grid `{k}`: expected a list of values, got {type(v).__name__}"
                )
        return json.dumps({"grid": [[k, list(v)] for k, v in grid.items()]}, default=_plain)
    if isinstance(grid, (str, bytes)) or not isinstance(grid, Sequence):
        raise BreakoutError(
            f"grid: expected a dict of lists or a list of dicts, got {type(grid).__name__}"
        )
    return json.dumps({"points": [list(dict(p).items()) for p in grid]}, default=_plain)


def _sweep_chunk(points: List[List[Any]]) -> Dict[str, Any]:
    """Runs ``run`` at each point (a list of ``[option, value]``) in parallel on this machine's
    cores (rayon) and returns ``{"columns", "rows"}``. Every Dask worker calls this function on
    its chunk."""
    return json.loads(_native.sweep(json.dumps({"points": points})))


def sweep(grid: Grid, *, client: Any = None, chunk_size: int = 64) -> Any:
    """``run`` over a grid of options: one row per point, the options as columns, then the
    numeric results (``first_sq_days``, ``goal_days``, ``separative_work_swu``, ...).

    ``grid`` is a dict of lists (every combination, the last key varying fastest) or a list of
    dicts (the points as given); keys are ``run`` options (``state``, ``setup_days_per_step``,
    ``machines``, ...). Points run in parallel on all cores, without the GIL.

    With ``client`` (a ``dask.distributed.Client``) the points are split into chunks of
    ``chunk_size`` and each chunk runs on a worker (which needs ``breakout`` installed); the table
    is the same as without. Returns a pandas DataFrame (``.to_parquet(path)`` writes Parquet
    with pyarrow), or a list of dicts when pandas is not installed.

    Raises :class:`BreakoutError` for the first point whose options are refused, naming its
    index.
    """
    if chunk_size < 1:
        raise BreakoutError(f"chunk_size = {chunk_size}: expected a positive integer")
    request = _sweep_request(grid)
    if client is None:
        table = json.loads(_native.sweep(request))
        columns, rows = table["columns"], table["rows"]
    else:
        points = json.loads(_native.sweep_points(request))
        chunks = [points[i : i + chunk_size] for i in range(0, len(points), chunk_size)]
        futures = client.map(_sweep_chunk, chunks, pure=False)
        tables = client.gather(futures)
        rows = [row for t in tables for row in t["rows"]]
        columns = _columns(points, [c for t in tables for c in t["columns"]])
    rows = [{c: r[c] for c in columns if c in r} for r in rows]
    pd = _pandas()
    if pd is None:
        return rows
    return pd.DataFrame.from_records(rows, columns=columns)


def _columns(points: List[List[Any]], chunk_columns: List[str]) -> List[str]:
    """The columns of chunks put together as the serial sweep orders them: the options first,
    then the results, each as first met."""
    inputs = list(dict.fromkeys(k for p in points for k, _ in p))
    return inputs + [c for c in dict.fromkeys(chunk_columns) if c not in inputs]
