//! `breakout._native`: the compiled half of the `breakout` Python package.
//!
//! Every command goes through [`breakout_app`] exactly as the web server's: the keyword
//! arguments, as a JSON object, are nested under the command's path and deserialised into
//! [`breakout_app::Request`] (unknown fields refused, the offending field named), then
//! [`breakout_app::execute`] runs with the GIL released and the document comes back as the CLI's
//! `--json` text and as a [`NativeDocument`], which lays itself out as the CLI's text or CSV
//! ([`breakout_app::render`]). The Python half (`python/breakout/`) turns keyword arguments into
//! that object and the document into result objects and DataFrames.
//!
//! Two kinds of call are native loops rather than one request: a sweep ([`sweep`]: the
//! application's sweep, `run` at many points in parallel on rayon's pool) and the vectorised
//! arithmetic ([`swu_balance`], [`convert_mass`]: one engine call per element of broadcast
//! NumPy arrays, on the parallel loop of [`elementwise`]).

use breakout_app::commands::convert::{self as convert_cmd, MassUnit};
use breakout_app::commands::sweep::{self as sweep_cmd, Axis, Point, SweepRequest};
use breakout_app::progress::Silent;
use breakout_app::render::{self, Layout};
use breakout_app::{AppError, Document, Outcome, Request};
use enrich::{Assay, Balance, Composition, Given, KgU, Swu};
use ndarray::{Array, ArrayViewD, IxDyn};
use numpy::{IntoPyArray, PyArrayDyn, PyReadonlyArrayDyn};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::{Value, json};

mod elementwise;

use elementwise::Column;

pyo3::create_exception!(
    breakout,
    BreakoutError,
    PyValueError,
    "Bad input or options that do not fit together: the message names the field, the value \
     given and what was expected (the CLI's exit code 2)."
);

/// A failed request, before it becomes a Python exception (built without the GIL).
enum Failure {
    /// The caller's mistake: `BreakoutError`.
    Caller(String),
    /// Ours (a solver that did not converge, a worker that panicked): `RuntimeError`.
    Internal(String),
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Usage(_) | AppError::Input(_) | AppError::Cancelled(_) => {
                Failure::Caller(e.to_string())
            }
            AppError::Internal(_) => Failure::Internal(e.to_string()),
        }
    }
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Caller(m) => BreakoutError::new_err(m),
            Failure::Internal(m) => PyRuntimeError::new_err(m),
        }
    }
}

/// The request whose JSON form nests `fields` under the subcommand `path` (e.g. `["swu",
/// "command", "plan"]`), field errors named as the caller wrote them: the web server's rule.
fn request_at(path: &[String], fields: Value) -> Result<Request, Failure> {
    let mut value = fields;
    for step in path.iter().rev() {
        value = json!({ step.as_str(): value });
    }
    serde_path_to_error::deserialize::<_, Request>(value).map_err(|e| {
        let at = e.path().to_string();
        let inner = e.into_inner().to_string();
        let message = if at.is_empty() || at == "." {
            inner
        } else {
            format!("field `{at}`: {inner}")
        };
        // The caller never wrote the subcommand path: drop it from field names, and drop the
        // whole label when the error is about the object itself (a missing or unknown field).
        let joined = path.join(".");
        Failure::Caller(match message.strip_prefix(&format!("field `{joined}`: ")) {
            Some(rest) => rest.to_string(),
            None => message.replacen(&format!("{joined}."), "", 1),
        })
    })
}

/// Runs one request given as its path and JSON fields: the document and whether the command
/// ended with a finding (the CLI's exit code 1).
fn run_one(path: &[String], fields_json: &str) -> Result<(Document, bool), Failure> {
    let fields: Value = serde_json::from_str(fields_json)
        .map_err(|e| Failure::Caller(format!("options are not valid JSON: {e}")))?;
    let request = request_at(path, fields)?;
    let (doc, outcome) = breakout_app::execute(request)?;
    Ok((doc, outcome == Outcome::Finding))
}

/// One command's document, kept whole so that Python prints exactly what the CLI prints: the
/// same layout code ([`breakout_app::render`]) at the width the caller asks for.
#[pyclass(frozen, module = "breakout._native")]
struct NativeDocument {
    doc: Document,
}

#[pymethods]
impl NativeDocument {
    /// The CLI's human text at `width` columns (at least 40, as the CLI's), with the detail
    /// tables of the flags in `shown` (`"--assumptions"`, `"--timeline full"`) laid out in full.
    fn text(&self, width: usize, shown: Vec<String>) -> String {
        render::text(&self.doc, &Layout { width, shown })
    }

    /// The CLI's `--csv` text.
    fn csv(&self) -> String {
        render::csv(&self.doc)
    }
}

/// Runs one command: `path` names it (`["run"]`, `["swu", "command", "plan"]`), `fields_json`
/// holds its options as a JSON object with the CLI's long-flag names, underscored. Returns the
/// CLI's `--json` document as text, whether the command found something (exit code 1), and the
/// document for the CLI's text and CSV.
///
/// Raises `BreakoutError` for usage and input errors, `RuntimeError` for internal ones.
#[pyfunction]
fn execute(
    py: Python<'_>,
    path: Vec<String>,
    fields_json: String,
) -> PyResult<(String, bool, NativeDocument)> {
    let (doc, finding) = py.detach(|| run_one(&path, &fields_json))?;
    Ok((doc.to_json().to_string(), finding, NativeDocument { doc }))
}

/// A sweep as the Python half sends it: `{"grid": [[option, [values...]], ...]}` (axes in
/// order) or `{"points": [[[option, value], ...], ...]}`.
fn sweep_request(request_json: &str) -> Result<SweepRequest, Failure> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "lowercase", deny_unknown_fields)]
    enum Wire {
        Grid(Vec<(String, Vec<Value>)>),
        Points(Vec<Point>),
    }
    let wire: Wire = serde_json::from_str(request_json)
        .map_err(|e| Failure::Caller(format!("sweep: the grid is not valid: {e}")))?;
    Ok(match wire {
        Wire::Grid(axes) => SweepRequest::Grid(
            axes.into_iter()
                .map(|(option, values)| Axis { option, values })
                .collect(),
        ),
        Wire::Points(points) => SweepRequest::Points(points),
    })
}

/// The points of a sweep (`request_json` as for [`sweep`]), as `[[[option, value], ...], ...]`
/// JSON: what the Python half splits into chunks for Dask workers.
///
/// Raises `BreakoutError` for a grid of more than `MAX_SWEEP_POINTS` points (counted before
/// any is built).
#[pyfunction]
fn sweep_points(py: Python<'_>, request_json: String) -> PyResult<String> {
    py.detach(|| {
        let points = sweep_request(&request_json)?.points()?;
        Ok::<_, Failure>(serde_json::to_string(&points).unwrap_or_default())
    })
    .map_err(PyErr::from)
}

/// Runs `run` at every point of a sweep in parallel on all cores, the GIL released, through
/// [`breakout_app::commands::sweep::sweep`] (the CLI's `breakout sweep` calls the same):
/// `request_json` is `{"grid": [[option, [values...]], ...]}` or `{"points": [[[option,
/// value], ...], ...]}`. Returns `{"columns": [...], "rows": [{...}, ...]}` as JSON text.
///
/// Raises `BreakoutError` for too many points or the first point (in order) whose options are
/// refused, naming its index; `RuntimeError` for an internal failure.
#[pyfunction]
fn sweep(py: Python<'_>, request_json: String) -> PyResult<String> {
    py.detach(|| {
        let result = sweep_cmd::sweep(&sweep_request(&request_json)?, &Silent)?;
        Ok::<_, Failure>(serde_json::to_string(&result).unwrap_or_default())
    })
    .map_err(PyErr::from)
}

/// The number of elements of `shape`, or a `BreakoutError` if it exceeds
/// [`breakout_app::limits::MAX_ARRAY_ELEMENTS`] (checked before any column is allocated).
fn elements(shape: &[usize]) -> PyResult<usize> {
    let max = breakout_app::limits::MAX_ARRAY_ELEMENTS;
    shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n as u64 <= max)
        .ok_or_else(|| {
            BreakoutError::new_err(format!(
                "the arrays broadcast to shape {shape:?}, more than {max} elements \
                 (limits::MAX_ARRAY_ELEMENTS): expected at most {max}; split the call"
            ))
        })
}

/// `view` broadcast to `shape`, or a `BreakoutError` naming the argument.
fn broadcast<'a>(
    name: &str,
    view: &'a ArrayViewD<'a, f64>,
    shape: &[usize],
) -> PyResult<ArrayViewD<'a, f64>> {
    view.broadcast(IxDyn(shape)).ok_or_else(|| {
        BreakoutError::new_err(format!(
            "{name}: an array of shape {:?} does not broadcast to {shape:?}",
            view.shape()
        ))
    })
}

/// The quantity a vectorised balance is scaled by, named as its keyword argument.
#[derive(Clone, Copy)]
enum GivenName {
    ProductKgU,
    FeedKgU,
    TailsKgU,
    Swu,
}

impl GivenName {
    /// The quantity named `name`, or a `BreakoutError` listing the names.
    fn parse(name: &str) -> PyResult<Self> {
        match name {
            "product_kg_u" => Ok(GivenName::ProductKgU),
            "feed_kg_u" => Ok(GivenName::FeedKgU),
            "tails_kg_u" => Ok(GivenName::TailsKgU),
            "swu" => Ok(GivenName::Swu),
            _ => Err(BreakoutError::new_err(format!(
                "given = `{name}`: expected one of product_kg_u, feed_kg_u, tails_kg_u, swu"
            ))),
        }
    }
}

/// One element of [`swu_balance`]: `[feed_kg_u, product_kg_u, tails_kg_u, separative_work_swu]`.
fn balance_element(
    given: GivenName,
    xf: f64,
    xp: f64,
    xt: f64,
    m: f64,
) -> Result<[f64; 4], String> {
    let assays = || -> Result<(Assay, Assay, Assay), enrich::EnrichError> {
        Ok((
            Assay::named_wt_pct("feed assay", xf)?,
            Assay::named_wt_pct("Product assay", xp)?,
            Assay::named_wt_pct("Tails assay", xt)?,
        ))
    };
    let (f, p, t) = assays().map_err(|e| e.to_string())?;
    let mass = |what: &str| {
        KgU::new(m).map_err(|_| {
            format!("{what} = {m} kg U is not valid: expected a positive, finite number")
        })
    };
    let given = match given {
        GivenName::ProductKgU => Given::Product(mass("product mass")?),
        GivenName::FeedKgU => Given::Feed(mass("feed mass")?),
        GivenName::TailsKgU => Given::Tails(mass("tails mass")?),
        GivenName::Swu => Given::Swu(Swu::new(m).map_err(|e| e.to_string())?),
    };
    let b = Balance::solve(f, p, t, given).map_err(|e| e.to_string())?;
    Ok([
        b.feed.kg(),
        b.product.kg(),
        b.tails.kg(),
        b.separative_work.kg_swu(),
    ])
}

/// A filled column as a NumPy array of `shape` (its length is the shape's size by construction).
fn to_numpy<'py>(
    py: Python<'py>,
    shape: &[usize],
    column: Vec<f64>,
) -> PyResult<Bound<'py, PyArrayDyn<f64>>> {
    Array::from_shape_vec(IxDyn(shape), column)
        .map(|a| a.into_pyarray(py))
        .map_err(|e| PyRuntimeError::new_err(format!("output column: {e}")))
}

/// Binary balances element by element over broadcast arrays (shape `shape`), the GIL released:
/// assays in wt-% U-235, `given` one of `product_kg_u`, `feed_kg_u`, `tails_kg_u`, `swu` with
/// its values in `amount`. Returns feed, product and tails (kg U) and separative work (kg-SWU).
///
/// Raises `BreakoutError` for the first invalid element, naming its flat index.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn swu_balance<'py>(
    py: Python<'py>,
    shape: Vec<usize>,
    feed_wt_pct: PyReadonlyArrayDyn<'py, f64>,
    product_wt_pct: PyReadonlyArrayDyn<'py, f64>,
    tails_wt_pct: PyReadonlyArrayDyn<'py, f64>,
    given: String,
    amount: PyReadonlyArrayDyn<'py, f64>,
) -> PyResult<(
    Bound<'py, PyArrayDyn<f64>>,
    Bound<'py, PyArrayDyn<f64>>,
    Bound<'py, PyArrayDyn<f64>>,
    Bound<'py, PyArrayDyn<f64>>,
)> {
    let given_name = GivenName::parse(&given)?;
    elements(&shape)?;
    let (xf, xp, xt, m) = (
        feed_wt_pct.as_array(),
        product_wt_pct.as_array(),
        tails_wt_pct.as_array(),
        amount.as_array(),
    );
    let xf = broadcast("feed_wt_pct", &xf, &shape)?;
    let xp = broadcast("product_wt_pct", &xp, &shape)?;
    let xt = broadcast("tails_wt_pct", &xt, &shape)?;
    let m = broadcast(&given, &m, &shape)?;
    let len = xf.len();
    let inputs = [xf, xp, xt, m].map(Column::new);
    // The loop keeps only the index of the first refused element; its message is built again
    // from that element's values afterwards.
    let solved = py.detach(|| {
        elementwise::fill(len, &inputs, |[xf, xp, xt, m]| {
            balance_element(given_name, xf, xp, xt, m).ok()
        })
    });
    let [feed, product, tails, work] = solved.map_err(|i| {
        let [xf, xp, xt, m] = inputs.each_ref().map(|c| c.at(i));
        let message = balance_element(given_name, xf, xp, xt, m)
            .err()
            .unwrap_or_default();
        BreakoutError::new_err(format!("element {i}: {message}"))
    })?;
    Ok((
        to_numpy(py, &shape, feed)?,
        to_numpy(py, &shape, product)?,
        to_numpy(py, &shape, tails)?,
        to_numpy(py, &shape, work)?,
    ))
}

/// A mass unit by its CLI name (`kg-uf6`), or a `BreakoutError` listing the choices.
fn mass_unit(name: &str, what: &str) -> PyResult<MassUnit> {
    serde_json::from_value(json!(name)).map_err(|_| {
        BreakoutError::new_err(format!(
            "{what} = `{name}`: expected one of kg-u, kg-u235, kg-uf6, kg-u3o8, kg-uo2"
        ))
    })
}

/// Converts masses of binary uranium element by element over broadcast arrays (shape `shape`),
/// the GIL released: `value` in `unit` at `wt_pct` U-235 to `to` (units by their CLI names).
///
/// Raises `BreakoutError` for the first invalid element, naming its flat index.
#[pyfunction]
fn convert_mass<'py>(
    py: Python<'py>,
    shape: Vec<usize>,
    value: PyReadonlyArrayDyn<'py, f64>,
    unit: &str,
    to: &str,
    wt_pct: PyReadonlyArrayDyn<'py, f64>,
) -> PyResult<Bound<'py, PyArrayDyn<f64>>> {
    let (unit, to) = (mass_unit(unit, "unit")?, mass_unit(to, "to")?);
    elements(&shape)?;
    let (v, x) = (value.as_array(), wt_pct.as_array());
    let v = broadcast("value", &v, &shape)?;
    let x = broadcast("wt_pct", &x, &shape)?;
    let len = v.len();
    let inputs = [v, x].map(Column::new);
    let convert = |v: f64, x: f64| -> Result<f64, AppError> {
        let a = Assay::named_wt_pct("U-235 assay", x)?;
        Ok(convert_cmd::convert(v, unit, to, &Composition::binary(a))?
            .converted
            .value)
    };
    // As in `swu_balance`: a refused element's message is built after the loop.
    let converted =
        py.detach(|| elementwise::fill(len, &inputs, |[v, x]| convert(v, x).ok().map(|c| [c])));
    let [out] = converted.map_err(|i| {
        let message = convert(inputs[0].at(i), inputs[1].at(i))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        BreakoutError::new_err(format!("element {i}: {message}"))
    })?;
    to_numpy(py, &shape, out)
}

/// The module `breakout._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("BreakoutError", m.py().get_type::<BreakoutError>())?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_SWEEP_POINTS", breakout_app::limits::MAX_SWEEP_POINTS)?;
    m.add(
        "MAX_ARRAY_ELEMENTS",
        breakout_app::limits::MAX_ARRAY_ELEMENTS,
    )?;
    m.add_class::<NativeDocument>()?;
    m.add_function(wrap_pyfunction!(execute, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_points, m)?)?;
    m.add_function(wrap_pyfunction!(swu_balance, m)?)?;
    m.add_function(wrap_pyfunction!(convert_mass, m)?)?;
    Ok(())
}
