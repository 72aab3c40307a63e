//! The one output document every command builds: inputs, results, notes and tables, and its
//! versioned JSON envelope. [`crate::render`] lays it out as text or CSV for every front end.
//!
//! A row is declared once with its JSON key (unit-suffixed: `feed_kg_u`), its human label and
//! its unit, so text and JSON cannot drift apart and no input is hidden: defaults are shown and
//! marked as such.

use enrich::units::significant;
use serde_json::{Map, Value, json};

use crate::records::Records;

/// Version of the JSON envelope; bump on any incompatible change of a field.
pub const SCHEMA_VERSION: u32 = 1;

/// Significant digits in human output (JSON carries full precision).
const DIGITS: usize = 6;

struct Row {
    label: String,
    shown: String,
    /// A row of the answer, shown first (kept among the results: a `Document` stays small).
    answer: bool,
}

/// A plain text table for human output.
pub struct Table {
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    shown_with: Option<String>,
}

impl Table {
    /// A table with a title and column headers (units in the headers).
    pub fn new(title: impl Into<String>, header: &[&str]) -> Self {
        Table {
            title: title.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            shown_with: None,
        }
    }

    /// Marks the table as detail: human text shows it only when the reader asks with `flag`
    /// (e.g. `--assumptions`), otherwise a one-line pointer; CSV and JSON always carry it.
    pub fn detail(mut self, flag: &str) -> Self {
        self.shown_with = Some(flag.to_string());
        self
    }

    /// The flag that shows a detail table in human text (`None`: always shown).
    pub fn shown_with(&self) -> Option<&str> {
        self.shown_with.as_deref()
    }

    /// Appends a row of already formatted cells.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The column headers.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The rows of formatted cells.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }
}

/// Formats a number for humans: six significant digits, no trailing zeros.
pub fn num(x: f64) -> String {
    significant(x, DIGITS)
}

/// A number for people: three significant figures, thousands separated by commas
/// (`38,900`, `1.48`, `0.0212`). JSON and CSV keep full precision elsewhere.
pub fn human(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    // Three significant figures also above 999: 38,869.6 → 38,900.
    let magnitude = if x == 0.0 {
        0
    } else {
        x.abs().log10().floor() as i32
    };
    let x = if magnitude >= 3 {
        let step = 10f64.powi(magnitude - 2);
        (x / step).round() * step
    } else {
        x
    };
    let s = significant(x, 3);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    if int.len() <= 4 {
        return s;
    }
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A duration for people, the unit chosen for its magnitude: hours under a day, days up to
/// ~90 days (weeks beside them from two weeks), months beyond (days beside them); three
/// significant figures.
pub fn duration(days: f64) -> String {
    if !days.is_finite() {
        return "never".into();
    }
    if days < 1.0 {
        return format!("{} hours", human(days * 24.0));
    }
    if days < 14.0 {
        let shown = human(days);
        let unit = if shown == "1" { "day" } else { "days" };
        return format!("{shown} {unit}");
    }
    if days <= 90.0 {
        return format!("{} days ({} weeks)", human(days), human(days / 7.0));
    }
    format!(
        "{} months ({} days)",
        human(days / enrich::units::DAYS_PER_MONTH),
        human(days)
    )
}

/// The output of one command.
pub struct Document {
    command: String,
    title: String,
    inputs_json: Map<String, Value>,
    results_json: Map<String, Value>,
    inputs: Vec<Row>,
    results: Vec<Row>,
    tables: Vec<Table>,
    notes: Vec<String>,
    /// Boxed: most documents have none, and a `Document` travels by value.
    records: Option<Box<Records>>,
}

impl Document {
    /// A report for `command` (e.g. "swu plan") with a human title.
    pub fn new(command: &str, title: impl Into<String>) -> Self {
        Document {
            command: command.to_string(),
            title: title.into(),
            inputs_json: Map::new(),
            results_json: Map::new(),
            inputs: Vec::new(),
            results: Vec::new(),
            tables: Vec::new(),
            notes: Vec::new(),
            records: None,
        }
    }

    /// A numeric input; `default` marks values the user did not give.
    pub fn input(
        &mut self,
        key: &str,
        label: &str,
        value: f64,
        unit: &str,
        default: bool,
    ) -> &mut Self {
        self.inputs_json.insert(key.into(), json!(value));
        let tag = if default { "  (default)" } else { "" };
        self.inputs.push(Row {
            label: label.into(),
            shown: format!("{} {unit}{tag}", num(value)),
            answer: false,
        });
        self
    }

    /// A textual or structured input.
    pub fn input_value(
        &mut self,
        key: &str,
        label: &str,
        value: Value,
        shown: impl Into<String>,
    ) -> &mut Self {
        self.inputs_json.insert(key.into(), value);
        self.inputs.push(Row {
            label: label.into(),
            shown: shown.into(),
            answer: false,
        });
        self
    }

    /// A numeric result.
    pub fn result(&mut self, key: &str, label: &str, value: f64, unit: &str) -> &mut Self {
        self.results_json.insert(key.into(), json!(value));
        self.results.push(Row {
            label: label.into(),
            shown: format!("{} {unit}", num(value)),
            answer: false,
        });
        self
    }

    /// A textual result shown to humans and stored under `key`.
    pub fn result_text(&mut self, key: &str, label: &str, value: &str) -> &mut Self {
        self.results_json.insert(key.into(), json!(value));
        self.results.push(Row {
            label: label.into(),
            shown: value.into(),
            answer: false,
        });
        self
    }

    /// A row of the answer, shown to people first, above the inputs (its figures are in the
    /// JSON under their own keys, declared with [`Self::result_json`]).
    pub fn answer(&mut self, label: &str, shown: impl Into<String>) -> &mut Self {
        self.results.push(Row {
            label: label.into(),
            shown: shown.into(),
            answer: true,
        });
        self
    }

    /// A structured result for JSON only (humans see it through a table).
    pub fn result_json(&mut self, key: &str, value: Value) -> &mut Self {
        self.results_json.insert(key.into(), value);
        self
    }

    /// A table for human output.
    pub fn table(&mut self, t: Table) -> &mut Self {
        self.tables.push(t);
        self
    }

    /// The command's table of records (a sweep's points, the deal designer's candidates) at
    /// full precision, for columnar output (the CLI's `--parquet FILE`).
    pub fn records(&mut self, records: Records) -> &mut Self {
        self.records = Some(Box::new(records));
        self
    }

    /// The table of records, if the command has one.
    pub fn records_table(&self) -> Option<&Records> {
        self.records.as_deref()
    }

    /// A sentence shown under the results (assumptions, what binds, caveats).
    pub fn note(&mut self, text: impl Into<String>) -> &mut Self {
        self.notes.push(text.into());
        self
    }

    /// The JSON envelope.
    pub fn to_json(&self) -> Value {
        json!({
            "schema_version": SCHEMA_VERSION,
            "tool": { "name": "breakout", "version": env!("CARGO_PKG_VERSION") },
            "command": self.command,
            "inputs": self.inputs_json,
            "results": self.results_json,
            "notes": self.notes,
        })
    }

    /// The `results` object of the JSON envelope, without building the envelope (a sweep reads
    /// the numbers of thousands of documents).
    pub fn results_json(&self) -> &Map<String, Value> {
        &self.results_json
    }

    /// The first number shown that is not finite (a NaN or an infinity in a numeric row, or
    /// the word `NaN`/`inf` in any shown text or table cell), by its label: `execute` refuses
    /// such a document, so no front end ever prints one.
    pub fn non_finite(&self) -> Option<String> {
        let bad_word = |text: &str| {
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .any(|w| matches!(w, "NaN" | "inf" | "-inf" | "infinity"))
        };
        let rows = self.inputs.iter().chain(&self.results);
        if let Some(r) = rows.into_iter().find(|r| bad_word(&r.shown)) {
            return Some(format!("{} = {}", r.label, r.shown));
        }
        for t in &self.tables {
            for (row, cells) in t.rows.iter().enumerate() {
                if let Some((col, cell)) = cells.iter().enumerate().find(|(_, c)| bad_word(c)) {
                    let column = t.header.get(col).map_or("?", String::as_str);
                    return Some(format!(
                        "{} (row {}, column {column}) = {cell}",
                        t.title,
                        row + 1
                    ));
                }
            }
        }
        None
    }

    /// The human title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The command, e.g. "swu plan".
    pub fn command(&self) -> &str {
        &self.command
    }

    /// The inputs as (label, shown text) rows, in order.
    pub fn input_rows(&self) -> impl Iterator<Item = (&str, &str)> {
        self.inputs
            .iter()
            .map(|r| (r.label.as_str(), r.shown.as_str()))
    }

    /// The results as (label, shown text) rows, in order.
    pub fn result_rows(&self) -> impl Iterator<Item = (&str, &str)> {
        self.results
            .iter()
            .filter(|r| !r.answer)
            .map(|r| (r.label.as_str(), r.shown.as_str()))
    }

    /// The answer as (label, shown text) rows, in order (shown first).
    pub fn answer_rows(&self) -> impl Iterator<Item = (&str, &str)> {
        self.results
            .iter()
            .filter(|r| r.answer)
            .map(|r| (r.label.as_str(), r.shown.as_str()))
    }

    /// The tables, in order.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The notes, in order.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations_for_people() {
        assert_eq!(human(38_869.6), "38,900");
        assert_eq!(human(1.484_99), "1.48");
        assert_eq!(human(0.048_788_3), "0.0488");
        assert_eq!(human(8700.0), "8700");
        assert_eq!(duration(0.5846), "14 hours");
        assert_eq!(duration(1.484_99), "1.48 days");
        assert_eq!(duration(35.8), "35.8 days (5.11 weeks)");
        assert_eq!(duration(465.4), "15.3 months (465 days)");
    }

    /// A NaN or an infinity anywhere a reader would see it is found, by its label.
    #[test]
    fn non_finite_numbers_are_found() {
        let cases: [(f64, &str, Option<&str>); 4] = [
            (1.5, "information", None),
            (f64::NAN, "ok", Some("Feed = NaN kg U")),
            (f64::INFINITY, "ok", Some("Feed = inf kg U")),
            (2.0, "inf", Some("Draws (row 1, column kg U) = inf")),
        ];
        for (value, cell, want) in cases {
            let mut r = Document::new("swu", "Balance");
            r.result("feed_kg_u", "Feed", value, "kg U");
            let mut t = Table::new("Draws", &["stock", "kg U"]);
            t.row(vec!["1".into(), cell.into()]);
            r.table(t);
            assert_eq!(r.non_finite().as_deref(), want, "{value} {cell}");
        }
    }

    #[test]
    fn json_carries_the_rows_by_key() {
        let mut r = Document::new("swu", "Enrichment balance");
        r.input("feed_wt_pct", "Feed assay", 0.711, "wt-% U-235", true)
            .result("feed_kg_u", "Feed", 7.785_888_1, "kg U")
            .note("tails fixed");
        let j = r.to_json();
        assert_eq!(j["schema_version"], 1);
        assert_eq!(j["command"], "swu");
        assert_eq!(j["inputs"]["feed_wt_pct"], 0.711);
        assert_eq!(j["results"]["feed_kg_u"], 7.785_888_1);
        assert_eq!(j["notes"][0], "tails fixed");
        let rows: Vec<_> = r.input_rows().collect();
        assert_eq!(rows, [("Feed assay", "0.711 wt-% U-235  (default)")]);
    }
}
