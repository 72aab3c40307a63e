//! Rendering a command's [`Document`] for people and spreadsheets: aligned text, RFC 4180 CSV,
//! or the JSON envelope pretty-printed; and writing it to stdout, where a closed pipe (`| head`)
//! is not an error.

use std::io::{self, Write};

use breakout_app::{Document, Table};

/// How a document is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Aligned human text.
    Text,
    /// The versioned JSON envelope.
    Json,
    /// CSV blocks, each under a `# title` line.
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

/// A table as aligned text: numbers right-aligned, text left-aligned, decided per column.
fn table_text(t: &Table, out: &mut String) {
    let header = t.header();
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in t.rows() {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..n)
        .map(|i| {
            t.rows().iter().all(|r| {
                r.get(i)
                    .is_none_or(|c| c.is_empty() || c.parse::<f64>().is_ok())
            })
        })
        .collect();
    out.push_str(&format!("\n{}\n", t.title()));
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
    line(header, out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule, out);
    for r in t.rows() {
        line(r, out);
    }
}

/// The human text: title, inputs, results, tables, notes.
pub fn text(doc: &Document) -> String {
    let mut out = format!("{}\n", doc.title());
    let width = doc
        .input_rows()
        .chain(doc.result_rows())
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    for (heading, rows) in [
        ("Inputs", doc.input_rows().collect::<Vec<_>>()),
        ("Results", doc.result_rows().collect()),
    ] {
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}\n"));
        for (label, shown) in rows {
            out.push_str(&format!("  {label:<width$}  {shown}\n"));
        }
    }
    for t in doc.tables() {
        table_text(t, &mut out);
    }
    if !doc.notes().is_empty() {
        out.push('\n');
        for n in doc.notes() {
            out.push_str(&format!("Note: {n}\n"));
        }
    }
    out
}

/// The document as CSV (RFC 4180): first its inputs and results (`section,label,value`), then
/// each table with its header row; every block starts with a `# title` line and blocks are
/// separated by a blank line, so a spreadsheet or `csvkit` can take any one of them.
pub fn csv(doc: &Document) -> String {
    let mut out = format!("# {}\n", doc.title());
    csv_line(&mut out, ["section", "label", "value"]);
    for (section, rows) in [
        ("input", doc.input_rows().collect::<Vec<_>>()),
        ("result", doc.result_rows().collect()),
    ] {
        for (label, shown) in rows {
            csv_line(&mut out, [section, label, shown]);
        }
    }
    for t in doc.tables() {
        out.push_str(&format!("\n# {}\n", t.title()));
        csv_line(&mut out, t.header().iter().map(String::as_str));
        for r in t.rows() {
            csv_line(&mut out, r.iter().map(String::as_str));
        }
    }
    out
}

/// Prints the document as text, JSON or CSV on stdout. A closed pipe (`| head`) is not an
/// error.
pub fn emit(doc: &Document, format: Output) -> io::Result<()> {
    let text = match format {
        Output::Json => {
            let mut s = serde_json::to_string_pretty(&doc.to_json())
                .expect("a JSON value always serialises");
            s.push('\n');
            s
        }
        Output::Csv => csv(doc),
        Output::Text => text(doc),
    };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
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
        let mut r = Document::new("swu", "Balance");
        r.input("feed_wt_pct", "Feed assay", 0.711, "wt-% U-235", true)
            .result("swu", "Separative work", 4.3, "kg-SWU");
        let mut t = Table::new("Streams", &["stream", "kg U"]);
        t.row(vec!["feed".into(), "7.8".into()]);
        r.table(t);
        let csv = csv(&r);
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
    fn text_carries_the_rows_tables_and_notes() {
        let mut r = Document::new("swu", "Enrichment balance");
        r.input("feed_wt_pct", "Feed assay", 0.711, "wt-% U-235", true)
            .result("feed_kg_u", "Feed", 7.785_888_1, "kg U")
            .note("tails fixed");
        let mut t = Table::new("Draws", &["stock", "kg U"]);
        t.row(vec!["1".into(), "2.5".into()]);
        r.table(t);
        let text = text(&r);
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
    }
}
