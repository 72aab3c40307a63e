//! The one output document every command builds: inputs, results, notes and tables, rendered as
//! human text or as the versioned JSON envelope.
//!
//! A row is declared once with its JSON key (unit-suffixed: `feed_kg_u`), its human label and
//! its unit, so text and JSON cannot drift apart and no input is hidden: defaults are shown and
//! marked as such.

use std::io::{self, Write};

use enrich::units::significant;
use serde_json::{Map, Value, json};

/// Version of the JSON envelope; bump on any incompatible change of a field.
pub const SCHEMA_VERSION: u32 = 1;

/// Significant digits in human output (JSON carries full precision).
const DIGITS: usize = 6;

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Text,
    Json,
    Csv,
}

/// Appends one CSV record: fields with a comma, quote or line break are quoted, quotes doubled.
fn csv_line<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    let mut first = true;
    for f in fields {
        if !first {
            out.push(',');
        }
        first = false;
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

struct Row {
    label: String,
    shown: String,
}

/// A plain text table for human output.
pub struct Table {
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with a title and column headers (units in the headers).
    pub fn new(title: impl Into<String>, header: &[&str]) -> Self {
        Table {
            title: title.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row of already formatted cells.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn render(&self, out: &mut String) {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        // Numbers right-aligned, text left-aligned, decided per column.
        let numeric: Vec<bool> = (0..n)
            .map(|i| {
                self.rows.iter().all(|r| {
                    r.get(i)
                        .is_none_or(|c| c.is_empty() || c.parse::<f64>().is_ok())
                })
            })
            .collect();
        out.push_str(&format!("\n{}\n", self.title));
        let line = |cells: &[String], out: &mut String| {
            let parts: Vec<String> = (0..n)
                .map(|i| {
                    let c = cells.get(i).map_or("", String::as_str);
                    if i == 0 || !numeric[i] {
                        format!("{c:<w$}", w = widths[i])
                    } else {
                        format!("{c:>w$}", w = widths[i])
                    }
                })
                .collect();
            out.push_str("  ");
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(&self.header, out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, out);
        for r in &self.rows {
            line(r, out);
        }
    }
}

/// Formats a number for humans: six significant digits, no trailing zeros.
pub fn num(x: f64) -> String {
    significant(x, DIGITS)
}

/// The output of one command.
pub struct Report {
    command: String,
    title: String,
    inputs_json: Map<String, Value>,
    results_json: Map<String, Value>,
    inputs: Vec<Row>,
    results: Vec<Row>,
    tables: Vec<Table>,
    notes: Vec<String>,
}

impl Report {
    /// A report for `command` (e.g. "swu plan") with a human title.
    pub fn new(command: &str, title: impl Into<String>) -> Self {
        Report {
            command: command.to_string(),
            title: title.into(),
            inputs_json: Map::new(),
            results_json: Map::new(),
            inputs: Vec::new(),
            results: Vec::new(),
            tables: Vec::new(),
            notes: Vec::new(),
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
        });
        self
    }

    /// A numeric result.
    pub fn result(&mut self, key: &str, label: &str, value: f64, unit: &str) -> &mut Self {
        self.results_json.insert(key.into(), json!(value));
        self.results.push(Row {
            label: label.into(),
            shown: format!("{} {unit}", num(value)),
        });
        self
    }

    /// A textual result shown to humans and stored under `key`.
    pub fn result_text(&mut self, key: &str, label: &str, value: &str) -> &mut Self {
        self.results_json.insert(key.into(), json!(value));
        self.results.push(Row {
            label: label.into(),
            shown: value.into(),
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

    /// The human text.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        let width = self
            .inputs
            .iter()
            .chain(&self.results)
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(0);
        for (heading, rows) in [("Inputs", &self.inputs), ("Results", &self.results)] {
            if rows.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{heading}\n"));
            for r in rows {
                out.push_str(&format!("  {:<width$}  {}\n", r.label, r.shown));
            }
        }
        for t in &self.tables {
            t.render(&mut out);
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for n in &self.notes {
                out.push_str(&format!("Note: {n}\n"));
            }
        }
        out
    }

    /// The report as CSV (RFC 4180): first its inputs and results (`section,label,value`), then
    /// each table with its header row; every block starts with a `# title` line and blocks are
    /// separated by a blank line, so a spreadsheet or `csvkit` can take any one of them.
    pub fn to_csv(&self) -> String {
        let mut out = format!("# {}\n", self.title);
        csv_line(&mut out, ["section", "label", "value"]);
        for (section, rows) in [("input", &self.inputs), ("result", &self.results)] {
            for r in rows {
                csv_line(&mut out, [section, r.label.as_str(), r.shown.as_str()]);
            }
        }
        for t in &self.tables {
            out.push_str(&format!("\n# {}\n", t.title));
            csv_line(&mut out, t.header.iter().map(String::as_str));
            for r in &t.rows {
                csv_line(&mut out, r.iter().map(String::as_str));
            }
        }
        out
    }

    /// Prints the report as text, JSON or CSV on stdout. A closed pipe (`| head`) is not an
    /// error.
    pub fn emit(&self, format: Output) -> io::Result<()> {
        let text = match format {
            Output::Json => {
                let mut s = serde_json::to_string_pretty(&self.to_json())
                    .expect("a JSON value always serialises");
                s.push('\n');
                s
            }
            Output::Csv => self.to_csv(),
            Output::Text => self.to_text(),
        };
        let mut out = io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4180: plain fields as they are; commas, quotes and line breaks quoted, quotes doubled.
    #[test]
    fn csv_records_quote_what_they_must() {
        let cases = [
            (vec!["a", "1.5"], "a,1.5\r\n"),
            (vec!["x, y", "2"], "\"x, y\",2\r\n"),
            (vec!["say \"hi\"", ""], "\"say \"\"hi\"\"\",\r\n"),
            (vec!["two\nlines"], "\"two\nlines\"\r\n"),
        ];
        for (fields, want) in cases {
            let mut out = String::new();
            csv_line(&mut out, fields.iter().copied());
            assert_eq!(out, want);
        }
    }

    #[test]
    fn csv_has_the_rows_and_every_table() {
        let mut r = Report::new("swu", "Balance");
        r.input("feed_wt_pct", "Feed assay", 0.711, "wt-% U-235", true)
            .result("swu", "Separative work", 4.3, "kg-SWU");
        let mut t = Table::new("Streams", &["stream", "kg U"]);
        t.row(vec!["feed".into(), "7.8".into()]);
        r.table(t);
        let csv = r.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "# Balance",
                "section,label,value",
                "input,Feed assay,0.711 wt-% U-235  (default)",
                "result,Separative work,4.3 kg-SWU",
                "",
                "# Streams",
                "stream,kg U",
                "feed,7.8",
            ]
        );
    }

    #[test]
    fn text_and_json_carry_the_same_rows() {
        let mut r = Report::new("swu", "Enrichment balance");
        r.input("feed_wt_pct", "Feed assay", 0.711, "wt-% U-235", true)
            .result("feed_kg_u", "Feed", 7.785_888_1, "kg U")
            .note("tails fixed");
        let mut t = Table::new("Draws", &["stock", "kg U"]);
        t.row(vec!["1".into(), "2.5".into()]);
        r.table(t);
        let text = r.to_text();
        assert!(
            text.contains("Feed assay") && text.contains("0.711 wt-% U-235  (default)"),
            "{text}"
        );
        assert!(
            text.contains("7.78589 kg U")
                && text.contains("Note: tails fixed")
                && text.contains("Draws"),
            "{text}"
        );
        let j = r.to_json();
        assert_eq!(j["schema_version"], 1);
        assert_eq!(j["inputs"]["feed_wt_pct"], 0.711);
        assert_eq!(j["results"]["feed_kg_u"], 7.785_888_1);
    }
}
