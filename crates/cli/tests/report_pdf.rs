//! The report as a printed brief: rendered to PDF by headless Chromium on A4 and on Letter,
//! it stays within a page bound and prints the verification section, and every source tag it uses (`[D3]`, `[B11]`, `[D35: …]`)
//! resolves in its reference list. The HTML has a viewport tag, print CSS, no Markdown residue
//! or note on JSON fields, and no duplicate "time to" row.
//!
//! `.ci/run` installs Debian's `chromium`, so in CI the PDF part always runs (it fails if the
//! binary is missing while `CI` is set); elsewhere without it the test says so and checks the
//! HTML only.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Most pages the default report (with a Monte Carlo) may take on either paper size.
const MAX_PAGES: usize = 14;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("breakout-report-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir.join(name)
}

fn report_html() -> String {
    let path = scratch("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args([
            "report",
            "iran-2025-05",
            "--samples",
            "300",
            "--seed",
            "7",
            "-o",
        ])
        .arg(&path)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&path).expect("the report was written")
}

/// The source tags used in `text`: `[TAG]` or `[TAG: title]`, TAG a capital letter, digits and
/// letters.
fn tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split('[').skip(1) {
        let tag: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let next = part[tag.len()..].chars().next();
        if tag.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && tag.chars().any(|c| c.is_ascii_digit())
            && matches!(next, Some(']' | ':'))
            && !out.contains(&tag)
        {
            out.push(tag);
        }
    }
    out
}

/// Prints `html` to PDF on `size` paper ("A4", "letter") and returns the page count.
fn pdf_pages(html: &str, size: &str) -> usize {
    let page = scratch(&format!("report-{size}.html"));
    let pdf = scratch(&format!("report-{size}.pdf"));
    let _ = std::fs::remove_file(&pdf);
    std::fs::write(
        &page,
        html.replacen("</style>", &format!("@page{{size:{size}}}</style>"), 1),
    )
    .expect("writable");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("waitable").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not print the report within 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    count_pages(&pdf)
}

/// The text of a PDF, by poppler's `pdftotext` (`.ci/run` installs poppler-utils).
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian's poppler-utils; .ci/run installs it)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`).
fn count_pages(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).expect("chromium wrote the PDF");
    let needle = b"/Type /Page";
    bytes
        .windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

#[test]
fn report_prints_as_a_brief_with_every_source_resolved() {
    let html = report_html();
    assert!(html.contains("<meta name=\"viewport\""), "no viewport tag");
    assert!(html.contains("@media print"), "no print CSS");
    assert!(html.contains("break-inside:avoid"), "figures may split");
    assert!(!html.contains('`'), "Markdown backticks in the HTML");
    assert!(
        !html.contains("results."),
        "a note on JSON fields in the HTML"
    );
    assert_eq!(
        html.matches("<td>Time to the").count(),
        1,
        "one 'time to' row for one unit"
    );
    // Every tag resolves in the reference list, and the list has nothing unresolved.
    let (body, refs) = html
        .split_once("<h2>References</h2>")
        .expect("a reference list");
    let used = tags(body);
    assert!(used.len() > 10, "too few tags found: {used:?}");
    for tag in &used {
        assert!(
            refs.contains(&format!("<li id=\"ref-{tag}\">[{tag}] ")),
            "[{tag}] is not in the reference list"
        );
    }
    for tag in tags(refs) {
        assert!(
            refs.contains(&format!("<li id=\"ref-{tag}\">")),
            "[{tag}], cited in a reference, is not listed"
        );
    }
    assert!(!refs.contains("title not bundled"), "{refs}");

    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CHROMIUM} is missing in CI"
        );
        eprintln!("skipping the PDF check: {CHROMIUM} is not installed");
        return;
    }
    for size in ["A4", "letter"] {
        let pages = pdf_pages(&html, size);
        eprintln!("report on {size}: {pages} pages");
        assert!(
            (2..=MAX_PAGES).contains(&pages),
            "{size}: {pages} pages (bound {MAX_PAGES})"
        );
        // The verification section is printed, its chart with it (the chart's axis label is
        // SVG text, so it is in the PDF's text).
        let text = pdf_text(&scratch(&format!("report-{size}.pdf")));
        for needle in [
            "Would inspectors notice?",
            "IAEA timeliness goal: 1 month",
            "days from the start of breakout (log scale)",
        ] {
            assert!(text.contains(needle), "{size}: the PDF lacks {needle:?}");
        }
    }
}
