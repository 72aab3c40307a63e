//! Printing a command's [`Document`] on stdout: aligned text at the terminal's width, CSV
//! (both rendered by [`breakout_app::render`]) or the JSON envelope pretty-printed; a closed
//! pipe (`| head`) is not an error.

use std::io::{self, Write};

use breakout_app::Document;
use breakout_app::render::{DEFAULT_WIDTH, Layout, MIN_WIDTH, csv, text};

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

/// The width of human text: `COLUMNS` if set, else the terminal's width when stdout is a
/// terminal, else [`DEFAULT_WIDTH`].
pub fn width() -> usize {
    use std::io::IsTerminal;
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
    {
        return w.max(MIN_WIDTH);
    }
    if io::stdout().is_terminal()
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
    {
        return usize::from(w).max(MIN_WIDTH);
    }
    DEFAULT_WIDTH
}

/// Prints the document as text, JSON or CSV on stdout. A closed pipe (`| head`) is not an
/// error.
pub fn emit(doc: &Document, format: Output, layout: &Layout) -> io::Result<()> {
    let text = match format {
        Output::Json => {
            let mut s = serde_json::to_string_pretty(&doc.to_json())
                .expect("a JSON value always serialises");
            s.push('\n');
            s
        }
        Output::Csv => csv(doc),
        Output::Text => text(doc, layout),
    };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
