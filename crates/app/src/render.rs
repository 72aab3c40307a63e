//! A command's [`Document`] rendered for people and spreadsheets: aligned text within a width
//! and RFC 4180 CSV. Shared by every front end that prints text (the CLI, the Python package's
//! `str(result)`), so the same command reads the same everywhere; choosing the width (a
//! terminal's, `COLUMNS`) and writing it out stay with the front end.

use crate::document::{Document, Table};

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

/// How human text is laid out: its width and the detail tables the reader asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// No line is wider than this many characters.
    pub width: usize,
    /// Flags the reader gave that show detail tables (e.g. `--assumptions`).
    pub shown: Vec<String>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            width: DEFAULT_WIDTH,
            shown: Vec::new(),
        }
    }
}

/// The width of text when none is asked for (the CLI's when stdout is not a terminal).
pub const DEFAULT_WIDTH: usize = 100;

/// Narrower than this, tables are not squeezed further (lines are cut instead).
pub const MIN_WIDTH: usize = 40;

/// Breaks `text` into lines of at most `width` characters at spaces; a word longer than the
/// width is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        if para.chars().count() <= width {
            lines.push(para.to_string());
            continue;
        }
        let mut line = String::new();
        let mut len = 0;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let mut word: Vec<char> = word.chars().collect();
            loop {
                let wl = word.len();
                if len > 0 && len + 1 + wl <= width {
                    line.push(' ');
                    line.extend(&word);
                    len += 1 + wl;
                    break;
                }
                if len > 0 {
                    lines.push(std::mem::take(&mut line));
                    len = 0;
                }
                if wl <= width {
                    line.extend(&word);
                    len = wl;
                    break;
                }
                let rest = word.split_off(width);
                lines.push(word.into_iter().collect());
                word = rest;
            }
        }
        lines.push(line);
    }
    lines
}

/// `text` wrapped to `width`, continuation lines indented by `indent` spaces (the first line's
/// indent is the caller's).
fn hanging(text: &str, first: &str, indent: usize, width: usize, out: &mut String) {
    let body = width.saturating_sub(indent).max(10);
    for (i, l) in wrap(text, body).iter().enumerate() {
        if i == 0 {
            out.push_str(first);
        } else {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(l);
        out.push('\n');
    }
}

/// A table as aligned text within `width` columns: numbers right-aligned, text left-aligned,
/// decided per column; the widest text columns wrap (at spaces) until the table fits.
fn table_text(t: &Table, width: usize, out: &mut String) {
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
                    .is_none_or(|c| c.is_empty() || c.replace(',', "").parse::<f64>().is_ok())
            })
        })
        .collect();
    // Squeeze the widest squeezable column one character at a time until the table fits: first
    // down to each column's longest word (text wraps at spaces), then, if that is not enough,
    // text columns down to 12 characters (long words are cut).
    let available = width.saturating_sub(2 + 2 * n.saturating_sub(1));
    let longest_word = |i: usize, cells: bool| {
        t.rows()
            .iter()
            .filter_map(|r| r.get(i))
            .filter(|_| cells)
            .chain(std::iter::once(&header[i]))
            .flat_map(|c| c.split(' '))
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(1)
    };
    let longest_cell = |i: usize| {
        t.rows()
            .iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
    };
    let words: Vec<usize> = (0..n)
        .map(|i| {
            if numeric[i] {
                // A number never wraps; its header may, at spaces.
                longest_cell(i).max(longest_word(i, false))
            } else {
                longest_word(i, true).min(widths[i]).max(1)
            }
        })
        .collect();
    let cut: Vec<usize> = (0..n)
        .map(|i| {
            if numeric[i] {
                words[i]
            } else {
                words[i].min(12)
            }
        })
        .collect();
    for floor in [&words, &cut] {
        while widths.iter().sum::<usize>() > available {
            let Some(i) = (0..n)
                .filter(|&i| widths[i] > floor[i])
                .max_by_key(|&i| widths[i])
            else {
                break;
            };
            widths[i] -= 1;
        }
    }
    hanging(t.title(), "\n", 0, width, out);
    let line = |cells: &[String], out: &mut String| {
        let wrapped: Vec<Vec<String>> = (0..n)
            .map(|i| wrap(cells.get(i).map_or("", String::as_str), widths[i]))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let parts: Vec<String> = (0..n)
                .map(|i| {
                    let c = wrapped[i].get(k).map_or("", String::as_str);
                    if i == 0 || !numeric[i] {
                        format!("{c:<w$}", w = widths[i])
                    } else {
                        format!("{c:>w$}", w = widths[i])
                    }
                })
                .collect();
            let l = format!("  {}", parts.join("  "));
            let l = l.trim_end();
            // A table that cannot be squeezed enough is cut at the width.
            out.push_str(&l.chars().take(width).collect::<String>());
            out.push('\n');
        }
    };
    line(header, out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule, out);
    for r in t.rows() {
        line(r, out);
    }
}

/// Labelled rows: labels in a column (wrapped when long), values wrapped beside them.
fn rows_text(heading: &str, rows: &[(&str, &str)], longest: usize, width: usize, out: &mut String) {
    if rows.is_empty() {
        return;
    }
    let lw = longest.min(width * 2 / 5).max(1);
    let vw = width.saturating_sub(lw + 4).max(10);
    out.push_str(&format!("\n{heading}\n"));
    for (label, shown) in rows {
        let ls = wrap(label, lw);
        let vs = wrap(shown, vw);
        for k in 0..ls.len().max(vs.len()) {
            let l = ls.get(k).map_or("", String::as_str);
            let v = vs.get(k).map_or("", String::as_str);
            let line = format!("  {l:<lw$}  {v}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// The human text: title, answer, inputs, results, tables, notes, within `layout.width`
/// columns; a detail table the reader did not ask for is one line saying how to see it.
pub fn text(doc: &Document, layout: &Layout) -> String {
    let width = layout.width.max(MIN_WIDTH);
    let mut out = String::new();
    if doc.title().contains('\n') {
        // A multi-line title is a document in itself (a report on stdout): as it is.
        out.push_str(doc.title());
        out.push('\n');
    } else {
        hanging(doc.title(), "", 2, width, &mut out);
    }
    let longest = doc
        .answer_rows()
        .chain(doc.input_rows())
        .chain(doc.result_rows())
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    for (heading, rows) in [
        ("Answer", doc.answer_rows().collect::<Vec<_>>()),
        ("Inputs", doc.input_rows().collect()),
        ("Results", doc.result_rows().collect()),
    ] {
        rows_text(heading, &rows, longest, width, &mut out);
    }
    for t in doc.tables() {
        match t.shown_with() {
            Some(flag) if !layout.shown.iter().any(|s| s == flag) => {
                hanging(
                    &format!(
                        "{}: {} rows, not shown; add {flag} to see them (always in --json and --csv).",
                        t.title(),
                        t.rows().len()
                    ),
                    "\n",
                    0,
                    width,
                    &mut out,
                );
            }
            _ => table_text(t, width, &mut out),
        }
    }
    if !doc.notes().is_empty() {
        out.push('\n');
        for n in doc.notes() {
            hanging(n, "Note: ", 6, width, &mut out);
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
        ("answer", doc.answer_rows().collect::<Vec<_>>()),
        ("input", doc.input_rows().collect()),
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
    fn text_fits_the_width_and_wraps_at_spaces() {
        let mut r = Document::new(
            "run",
            "A title that is long enough to need wrapping at forty columns",
        );
        r.answer(
            "Time to the goal",
            "1.48 days, dominated by the pass from 60 to 90 wt-%",
        );
        let mut t = Table::new("Streams", &["stream", "note"]);
        t.row(vec![
            "feed".into(),
            "a very long note that goes on and on about sources".into(),
        ]);
        r.table(t);
        let d = Table::new("Detail", &["x"]).detail("--assumptions");
        r.table(d);
        let layout = Layout {
            width: 40,
            shown: vec![],
        };
        let text = text(&r, &layout);
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert!(text.contains("a very long note"), "{text}");
        assert!(text.contains("--assumptions to see"), "{text}");
        assert!(wrap("abc defgh", 4) == ["abc", "defg", "h"]);
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
        let text = text(&r, &Layout::default());
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
