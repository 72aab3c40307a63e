//! A command's table of records as typed columns: one row per evaluated point (a sweep's points,
//! the deal designer's candidates), each column one name and one type, for columnar output.
//!
//! The human and CSV tables of a [`crate::Document`] are formatted text; this is the same data
//! at full precision with its types kept (integers stay integers, a missing value is a null), so
//! a front end can write it as Parquet without parsing text back. Column names carry their unit
//! as JSON keys do (`goal_days`, `stock_cap_kg`).

use serde_json::{Map, Value};

/// The values of one column, all of one type; `None` is a missing value (a null).
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Floating-point numbers.
    F64(Vec<Option<f64>>),
    /// Integers.
    I64(Vec<Option<i64>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
    /// Text.
    Str(Vec<Option<String>>),
}

impl Values {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Values::F64(v) => v.len(),
            Values::I64(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Str(v) => v.len(),
        }
    }

    /// Whether the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name, unit-suffixed (`goal_days`).
    pub name: String,
    /// Its values, one per row.
    pub values: Values,
}

/// Named columns of equal length: a table of records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Records {
    columns: Vec<Column>,
}

impl Records {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a column.
    ///
    /// # Panics
    /// If its length differs from the columns already there: a bug of the command building
    /// the table, never of its input.
    pub fn column(&mut self, name: impl Into<String>, values: Values) -> &mut Self {
        assert!(
            self.columns.is_empty() || values.len() == self.rows(),
            "every column of a table of records has one value per row"
        );
        self.columns.push(Column {
            name: name.into(),
            values,
        });
        self
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// The table of JSON objects `rows` with the columns `names`, in that order: a column whose
    /// values are all integers is [`Values::I64`], all numbers [`Values::F64`], all booleans
    /// [`Values::Bool`], all strings [`Values::Str`]; a row without the key (or with `null`)
    /// has a null there. A column that mixes kinds (a number and a string), or holds a list or
    /// an object, is text: each value's JSON form, so nothing is lost.
    pub fn from_json_rows(names: &[String], rows: &[Map<String, Value>]) -> Self {
        let mut table = Records::new();
        for name in names {
            let cells: Vec<Option<&Value>> = rows
                .iter()
                .map(|r| r.get(name).filter(|v| !v.is_null()))
                .collect();
            let present = || cells.iter().flatten();
            let values = if present().all(|v| v.is_i64()) {
                Values::I64(cells.iter().map(|c| c.and_then(Value::as_i64)).collect())
            } else if present().all(|v| v.is_number()) {
                Values::F64(cells.iter().map(|c| c.and_then(Value::as_f64)).collect())
            } else if present().all(|v| v.is_boolean()) {
                Values::Bool(cells.iter().map(|c| c.and_then(Value::as_bool)).collect())
            } else {
                Values::Str(
                    cells
                        .iter()
                        .map(|c| {
                            c.map(|v| match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                        })
                        .collect(),
                )
            };
            table.column(name.clone(), values);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(v: Value) -> Vec<Map<String, Value>> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_object().unwrap().clone())
            .collect()
    }

    #[test]
    fn each_column_takes_the_type_of_its_values() {
        let r = rows(json!([
            {"count": 1, "x_days": 2.5, "state": "a", "ok": true, "mixed": 1, "list": [1]},
            {"count": 3, "x_days": 4, "ok": false, "mixed": "b", "list": null}
        ]));
        let names: Vec<String> = ["count", "x_days", "state", "ok", "mixed", "list"]
            .map(String::from)
            .to_vec();
        let t = Records::from_json_rows(&names, &r);
        let expected = [
            Values::I64(vec![Some(1), Some(3)]),
            Values::F64(vec![Some(2.5), Some(4.0)]),
            Values::Str(vec![Some("a".into()), None]),
            Values::Bool(vec![Some(true), Some(false)]),
            Values::Str(vec![Some("1".into()), Some("b".into())]),
            Values::Str(vec![Some("[1]".into()), None]),
        ];
        assert_eq!(t.rows(), 2);
        for (c, e) in t.columns().iter().zip(expected) {
            assert_eq!(c.values, e, "column {}", c.name);
        }
    }

    #[test]
    #[should_panic(expected = "one value per row")]
    fn columns_of_unequal_length_are_a_bug() {
        Records::new()
            .column("a", Values::I64(vec![Some(1)]))
            .column("b", Values::I64(vec![]));
    }
}
