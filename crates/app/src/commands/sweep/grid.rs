//! The grid file of `breakout sweep` (docs/sweep.md): `schema_version = 1` and `[[axis]]`
//! tables, each a `run` option with its values listed (`values = [...]`) or as a range
//! (`range = { min, max, step }`, both ends included when the steps land on `max`).
//!
//! Every value is checked as a value of its option when the file is read, so a typo or a value
//! of the wrong kind is reported at its line and column, not as a failed point later; options
//! that do not fit together (a state with a quick-mode capacity) are `run`'s to refuse, at the
//! point where they meet. A range's length is counted, and the grid's size checked against
//! [`limits::MAX_SWEEP_POINTS`], before any value is built.

use serde::Deserialize;
use serde_json::Value;
use toml::Spanned;

use super::{Axis, check_size, run_args};
use crate::data::{Source, read_input_file};
use crate::error::AppError;
use crate::limits;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GridFile {
    schema_version: Spanned<u32>,
    axis: Vec<Spanned<AxisEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisEntry {
    option: Spanned<String>,
    values: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    range: Option<Spanned<RangeEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeEntry {
    min: Spanned<toml::Value>,
    max: Spanned<toml::Value>,
    step: Spanned<toml::Value>,
}

/// Reads the grid file at `path` into its axes.
///
/// # Errors
/// [`AppError::Input`] for an unreadable file, or one that does not parse, located by file,
/// line and column and naming the field; [`AppError::Usage`] for a grid of more than
/// [`limits::MAX_SWEEP_POINTS`] points.
pub fn read(path: &str) -> Result<Vec<Axis>, AppError> {
    let text = read_input_file(path)
        .map_err(|e| AppError::Input(format!("grid file `{path}` could not be read: {e}")))?;
    parse(&text, path)
}

/// Parses the text of a grid file named `file` into its axes.
///
/// # Errors
/// As [`read`].
pub fn parse(text: &str, file: &str) -> Result<Vec<Axis>, AppError> {
    let raw: GridFile = crate::data::parse_toml(text, file)?;
    let src = Source { text, file };
    src.schema_version(&raw.schema_version)?;
    if raw.axis.is_empty() {
        return Err(AppError::Input(format!(
            "{file}: the grid has no `[[axis]]`: expected at least one"
        )));
    }
    // The size first, from the lengths alone.
    let mut lengths = Vec::with_capacity(raw.axis.len());
    for a in &raw.axis {
        lengths.push(axis_len(&src, a)?);
    }
    let size = lengths.iter().try_fold(1u64, |n, &l| n.checked_mul(l));
    check_size(size)?;
    let mut axes: Vec<Axis> = Vec::with_capacity(raw.axis.len());
    for a in &raw.axis {
        let option = a.get_ref().option.get_ref();
        if axes.iter().any(|b| &b.option == option) {
            return Err(src.err(
                a.get_ref().option.span(),
                format!("option `{option}` has a second axis: expected each option once"),
            ));
        }
        let values = axis_values(&src, a.get_ref())?;
        axes.push(Axis {
            option: option.clone(),
            values,
        });
    }
    Ok(axes)
}

/// The number of values of an axis, without building them.
fn axis_len(src: &Source, a: &Spanned<AxisEntry>) -> Result<u64, AppError> {
    let entry = a.get_ref();
    match (&entry.values, &entry.range) {
        (Some(v), None) if v.get_ref().is_empty() => Err(src.err(
            v.span(),
            format!(
                "`values` of option `{}` is empty: expected at least one value",
                entry.option.get_ref()
            ),
        )),
        (Some(v), None) => Ok(v.get_ref().len() as u64),
        (None, Some(r)) => Ok(range_steps(src, r)?.len),
        _ => Err(src.err(
            a.span(),
            format!(
                "axis `{}` has {}: expected exactly one of `values = [...]` or `range = {{ min, max, step }}`",
                entry.option.get_ref(),
                if entry.values.is_some() { "both" } else { "neither" }
            ),
        )),
    }
}

/// A range's numbers: whether all three are integers, and how many values it has.
struct Steps {
    integers: bool,
    min: f64,
    step: f64,
    len: u64,
}

/// Checks a range and counts its values: `min`, `min + step`, … up to `max` (included when a
/// step lands on it, within a relative 1e-9 so that 0.1-steps reach their end).
fn range_steps(src: &Source, r: &Spanned<RangeEntry>) -> Result<Steps, AppError> {
    let e = r.get_ref();
    let number = |v: &Spanned<toml::Value>, name: &str| -> Result<f64, AppError> {
        match v.get_ref() {
            toml::Value::Integer(i) => Ok(*i as f64),
            toml::Value::Float(x) if x.is_finite() => Ok(*x),
            other => Err(src.err(
                v.span(),
                format!("range `{name}` = {other}: expected a finite number"),
            )),
        }
    };
    let (min, max, step) = (
        number(&e.min, "min")?,
        number(&e.max, "max")?,
        number(&e.step, "step")?,
    );
    if step <= 0.0 {
        return Err(src.err(
            e.step.span(),
            format!("range `step` = {step}: expected a number > 0"),
        ));
    }
    if max < min {
        return Err(src.err(
            e.max.span(),
            format!("range `max` = {max} is below `min` = {min}: expected max ≥ min"),
        ));
    }
    let steps = ((max - min) / step * (1.0 + 1e-9)).floor();
    if steps >= limits::MAX_SWEEP_POINTS as f64 {
        return Err(src.err(
            r.span(),
            format!(
                "the range has more than {} values, which exceeds the maximum of points in a sweep (limits::MAX_SWEEP_POINTS)",
                limits::MAX_SWEEP_POINTS
            ),
        ));
    }
    let integers = [&e.min, &e.max, &e.step]
        .iter()
        .all(|v| v.get_ref().is_integer());
    Ok(Steps {
        integers,
        min,
        step,
        len: steps as u64 + 1,
    })
}

/// The values of an axis, each checked as a value of its option.
fn axis_values(src: &Source, entry: &AxisEntry) -> Result<Vec<Value>, AppError> {
    let option = entry.option.get_ref();
    let check = |value: &Value, span: std::ops::Range<usize>| -> Result<(), AppError> {
        run_args(&[(option.clone(), value.clone())])
            .map(|_| ())
            .map_err(|e| {
                let message = e.to_string();
                // The option is named once, in front.
                let message = message
                    .strip_prefix(&format!("field `{option}`: "))
                    .unwrap_or(&message);
                if message.contains("unknown field") {
                    src.err(
                        entry.option.span(),
                        format!("`{option}` is not a `run` option: {message}"),
                    )
                } else {
                    src.err(span, format!("option `{option}`: {message}"))
                }
            })
    };
    if let Some(values) = &entry.values {
        let mut out = Vec::with_capacity(values.get_ref().len());
        for v in values.get_ref() {
            let json = serde_json::to_value(v.get_ref())
                .map_err(|e| src.err(v.span(), format!("option `{option}`: {e}")))?;
            check(&json, v.span())?;
            out.push(json);
        }
        return Ok(out);
    }
    let Some(r) = &entry.range else {
        return Ok(Vec::new());
    };
    let s = range_steps(src, r)?;
    let mut out = Vec::with_capacity(s.len as usize);
    for k in 0..s.len {
        let x = s.min + k as f64 * s.step;
        let json = if s.integers {
            Value::from(x.round() as i64)
        } else {
            Value::from(x)
        };
        check(&json, r.span())?;
        out.push(json);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::sweep::SweepRequest;
    use serde_json::json;

    const HEAD: &str = "schema_version = 1\n";

    #[test]
    fn values_and_ranges_in_file_order() {
        let text = format!(
            "{HEAD}[[axis]]\noption = \"state\"\nvalues = [\"jcpoa-2016\", \"iran-2025-05\"]\n\
             [[axis]]\noption = \"setup_days_per_step\"\nrange = {{ min = 0, max = 42, step = 21 }}\n\
             [[axis]]\noption = \"product_wt_pct\"\nrange = {{ min = 60.0, max = 60.3, step = 0.1 }}\n"
        );
        let axes = parse(&text, "g.toml").unwrap();
        let got: Vec<(&str, Value)> = axes
            .iter()
            .map(|a| (a.option.as_str(), Value::Array(a.values.clone())))
            .collect();
        assert_eq!(got[0], ("state", json!(["jcpoa-2016", "iran-2025-05"])));
        assert_eq!(got[1], ("setup_days_per_step", json!([0, 21, 42])));
        let tenths: Vec<f64> = axes[2].values.iter().map(|v| v.as_f64().unwrap()).collect();
        assert_eq!(tenths.len(), 4);
        approx::assert_relative_eq!(tenths[3], 60.3, max_relative = 1e-12);
        assert_eq!(SweepRequest::Grid(axes).size(), Some(24));
    }

    #[test]
    fn errors_name_file_line_and_what_was_expected() {
        let axis = |body: &str| format!("{HEAD}[[axis]]\n{body}\n");
        let cases: [(String, &str); 9] = [
            (
                axis("option = \"cont\"\nvalues = [1]"),
                "g.toml:3:10: `cont` is not a `run` option",
            ),
            (
                axis("option = \"count\"\nvalues = [\"two\"]"),
                "g.toml:4:11: option `count`: invalid type: string \"two\", expected u32",
            ),
            (
                axis("option = \"count\"\nvalues = []"),
                "g.toml:4:10: `values` of option `count` is empty",
            ),
            (
                axis("option = \"count\""),
                "has neither: expected exactly one of",
            ),
            (
                axis("option = \"count\"\nrange = { min = 1, max = 3, step = 0 }"),
                "range `step` = 0: expected a number > 0",
            ),
            (
                axis("option = \"count\"\nrange = { min = 3, max = 1, step = 1 }"),
                "range `max` = 1 is below `min` = 3",
            ),
            (
                axis("option = \"count\"\nrange = { min = 1, max = 1e12, step = 1 }"),
                "the range has more than 1000000 values",
            ),
            (
                format!(
                    "{HEAD}[[axis]]\noption = \"count\"\nvalues = [1]\n[[axis]]\noption = \"count\"\nvalues = [2]\n"
                ),
                "g.toml:6:10: option `count` has a second axis",
            ),
            (format!("{HEAD}[[axs]]\n"), "unknown field `axs`"),
        ];
        for (text, want) in cases {
            let e = parse(&text, "g.toml").unwrap_err();
            assert!(matches!(e, AppError::Input(_)), "{e}");
            assert!(e.to_string().contains(want), "{want}\n  got: {e}");
        }
    }

    #[test]
    fn the_grid_size_is_refused_before_any_value_is_built() {
        let text = format!(
            "{HEAD}[[axis]]\noption = \"count\"\nrange = {{ min = 1, max = 1000, step = 1 }}\n\
             [[axis]]\noption = \"seed\"\nrange = {{ min = 1, max = 1001, step = 1 }}\n"
        );
        let e = parse(&text, "g.toml").unwrap_err();
        assert!(matches!(e, AppError::Usage(_)));
        assert!(
            e.to_string().contains("1001000 points, which exceeds"),
            "{e}"
        );
    }
}
