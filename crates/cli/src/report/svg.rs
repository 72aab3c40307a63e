//! Inline SVG charts for `breakout report`: a line chart (production curve), a histogram (Monte
//! Carlo), a tornado chart and the detection-time spreads against the breakout time, drawn as plain SVG text so the document needs no script and no
//! network. Every axis carries a label with its unit.

use std::fmt::Write as _;

use breakout_app::document::{human, num};

const W: f64 = 720.0;
const H: f64 = 320.0;
/// Plot area margins: left (tick labels and the y label), right, top, bottom (x label).
const ML: f64 = 70.0;
const MR: f64 = 20.0;
const MT: f64 = 16.0;
const MB: f64 = 52.0;

/// Escapes text for HTML and SVG content and attributes.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// About `n` round tick values covering `[lo, hi]` (steps of 1, 2 or 5 × 10^k).
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return vec![lo];
    }
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// A linear axis from `[lo, hi]` to pixels `[a, b]`.
#[derive(Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
    a: f64,
    b: f64,
}

impl Scale {
    /// Padded to round values; a degenerate range is widened so it still draws.
    fn new(lo: f64, hi: f64, a: f64, b: f64) -> Self {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5 * lo.abs().max(1.0), hi + 0.5 * hi.abs().max(1.0))
        };
        Scale { lo, hi, a, b }
    }

    fn px(&self, v: f64) -> f64 {
        self.a + (v - self.lo) / (self.hi - self.lo) * (self.b - self.a)
    }
}

/// The frame, grid, ticks and axis labels, with `below` more pixels under the x label (for a
/// legend); returns the scales.
fn frame(
    out: &mut String,
    title: &str,
    below: f64,
    (x_lo, x_hi, x_label): (f64, f64, &str),
    (y_lo, y_hi, y_label): (f64, f64, &str),
) -> (Scale, Scale) {
    let x = Scale::new(x_lo, x_hi, ML, W - MR);
    let y = Scale::new(y_lo, y_hi, H - MB, MT);
    let h = H + below;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    let _ = write!(
        out,
        r##"<rect x="{ML}" y="{MT}" width="{}" height="{}" fill="none" stroke="#d0d7de"/>"##,
        W - ML - MR,
        H - MT - MB
    );
    x_grid(out, &x, 8);
    for t in ticks(y.lo, y.hi, 6) {
        let p = y.px(t);
        let _ = write!(
            out,
            r##"<line x1="{ML}" y1="{p:.1}" x2="{:.1}" y2="{p:.1}" stroke="#eaeef2"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
            W - MR,
            ML - 6.0,
            p + 4.0,
            num(t)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12">{}</text><text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle" font-size="12">{}</text>"#,
        (ML + W - MR) / 2.0,
        H - 12.0,
        escape(x_label),
        (MT + H - MB) / 2.0,
        escape(y_label)
    );
    (x, y)
}

/// Vertical grid lines with their labels at about `n` round values of the x scale.
fn x_grid(out: &mut String, x: &Scale, n: usize) {
    for t in ticks(x.lo, x.hi, n) {
        let p = x.px(t);
        let _ = write!(
            out,
            r##"<line x1="{p:.1}" y1="{MT}" x2="{p:.1}" y2="{:.1}" stroke="#eaeef2"/><text x="{p:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"##,
            H - MB,
            H - MB + 14.0,
            num(t)
        );
    }
}

/// A line with markers through `(x, y)` points.
pub fn line_chart(title: &str, points: &[(f64, f64)], x_label: &str, y_label: &str) -> String {
    let max = |f: fn(&(f64, f64)) -> f64| points.iter().map(f).fold(0.0, f64::max);
    let mut out = String::new();
    let (x, y) = frame(
        &mut out,
        title,
        0.0,
        (0.0, max(|p| p.0), x_label),
        (0.0, max(|p| p.1), y_label),
    );
    let path: Vec<String> = points
        .iter()
        .map(|&(a, b)| format!("{:.1},{:.1}", x.px(a), y.px(b)))
        .collect();
    let _ = write!(
        out,
        r##"<polyline fill="none" stroke="#0b5cad" stroke-width="2" points="{}"/>"##,
        path.join(" ")
    );
    for &(a, b) in points {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="#0b5cad"><title>{} days: {}</title></circle>"##,
            x.px(a),
            y.px(b),
            num(a),
            num(b)
        );
    }
    out.push_str("</svg>");
    out
}

/// Bars over `[low, high)` bins with counts.
pub fn histogram(title: &str, bins: &[(f64, f64, f64)], x_label: &str, y_label: &str) -> String {
    let lo = bins.iter().map(|b| b.0).fold(f64::INFINITY, f64::min);
    let hi = bins.iter().map(|b| b.1).fold(f64::NEG_INFINITY, f64::max);
    let top = bins.iter().map(|b| b.2).fold(0.0, f64::max);
    let mut out = String::new();
    let (x, y) = frame(&mut out, title, 0.0, (lo, hi, x_label), (0.0, top, y_label));
    for &(a, b, n) in bins {
        let (x0, x1) = (x.px(a), x.px(b));
        let _ = write!(
            out,
            r##"<rect class="bar" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#0b5cad" fill-opacity="0.45" stroke="#0b5cad"><title>{}–{} days: {}</title></rect>"##,
            x0,
            y.px(n),
            (x1 - x0).max(0.5),
            y.px(0.0) - y.px(n),
            num(a),
            num(b),
            num(n)
        );
    }
    out.push_str("</svg>");
    out
}

/// One horizontal bar per input, from the days at its low value to the days at its high value,
/// with a vertical line at the central estimate. Rows are `(label, days_at_low, days_at_high)`.
pub fn tornado(title: &str, rows: &[(String, f64, f64)], central: f64, x_label: &str) -> String {
    let lo = rows.iter().flat_map(|r| [r.1, r.2]).fold(central, f64::min);
    let hi = rows.iter().flat_map(|r| [r.1, r.2]).fold(central, f64::max);
    let n = rows.len().max(1) as f64;
    let mut out = String::new();
    // The y axis is the row index; its ticks are replaced by the input labels.
    let x = Scale::new(lo, hi, ML + 170.0, W - MR);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    x_grid(&mut out, &x, 6);
    let band = (H - MT - MB) / n;
    for (i, (label, a, b)) in rows.iter().enumerate() {
        let top = MT + band * i as f64 + band * 0.15;
        let (x0, x1) = (x.px(a.min(*b)), x.px(a.max(*b)));
        let _ = write!(
            out,
            r##"<rect class="bar" x="{x0:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="#8250df" fill-opacity="0.5" stroke="#8250df"><title>{}: {} to {} days</title></rect><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
            (x1 - x0).max(1.0),
            band * 0.7,
            escape(label),
            num(*a),
            num(*b),
            ML + 164.0,
            top + band * 0.35 + 4.0,
            escape(label)
        );
    }
    let c = x.px(central);
    let _ = write!(
        out,
        r##"<line x1="{c:.1}" y1="{MT}" x2="{c:.1}" y2="{:.1}" stroke="#b42318" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12">{}</text></svg>"##,
        H - MB,
        (ML + 170.0 + W - MR) / 2.0,
        H - 12.0,
        escape(x_label)
    );
    out
}

/// A detection time as the model gives it: percentiles and mean, days.
pub struct Spread {
    pub p5_days: f64,
    pub p50_days: f64,
    pub p95_days: f64,
    pub mean_days: f64,
}

/// One row per pathway on a log axis of days: a box from the 5th to the 95th percentile, a tick at
/// the median, a diamond at the mean (`None`: never detected, said in words); dashed vertical
/// lines at the breakout time (if any) and at the timeliness goal. A log axis, because breakout
/// ranges from hours to years and detection from days to years.
pub fn detection_chart(
    title: &str,
    rows: &[(String, Option<Spread>)],
    breakout_days: Option<f64>,
    goal_days: f64,
    x_label: &str,
) -> String {
    let values: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.1.as_ref())
        .flat_map(|s| [s.p5_days, s.p95_days, s.mean_days])
        .chain(breakout_days)
        .chain([goal_days])
        .filter(|d| d.is_finite() && *d > 0.0)
        .collect();
    // Whole decades, so that every axis has labelled ticks at 1, 10, 100, …
    let lo = values
        .iter()
        .fold(f64::INFINITY, |a, d| a.min(d.log10()))
        .floor();
    let hi = values
        .iter()
        .fold(f64::NEG_INFINITY, |a, d| a.max(d.log10()))
        .ceil();
    let left = ML + 60.0;
    let x = Scale::new(lo, hi, left, W - MR);
    let px = |d: f64| x.px(d.log10());
    // Two rows of line labels above the first band.
    let head = 34.0;
    let (top, bottom) = (MT + head, H - MB);
    let band = (bottom - top) / rows.len().max(1) as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    let _ = write!(
        out,
        r##"<rect x="{left}" y="{MT}" width="{:.1}" height="{:.1}" fill="none" stroke="#d0d7de"/>"##,
        W - MR - left,
        bottom - MT
    );
    for k in lo as i64..=hi as i64 {
        let decade = 10f64.powi(k as i32);
        let p = px(decade);
        let _ = write!(
            out,
            r##"<line x1="{p:.1}" y1="{MT}" x2="{p:.1}" y2="{bottom:.1}" stroke="#d0d7de"/><text x="{p:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"##,
            bottom + 14.0,
            human(decade)
        );
        if (k as f64) < hi {
            for m in 2..10 {
                let q = px(decade * f64::from(m));
                let _ = write!(
                    out,
                    r##"<line x1="{q:.1}" y1="{MT}" x2="{q:.1}" y2="{bottom:.1}" stroke="#eaeef2"/>"##
                );
            }
        }
    }
    for (i, (label, spread)) in rows.iter().enumerate() {
        let mid = top + band * (i as f64 + 0.5);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12">{}</text>"#,
            left - 6.0,
            mid + 4.0,
            escape(label)
        );
        let Some(s) = spread else {
            let _ = write!(
                out,
                r##"<text class="never" x="{:.1}" y="{:.1}" font-size="11" fill="#57606a">never detected under this regime</text>"##,
                left + 6.0,
                mid + 4.0
            );
            continue;
        };
        let h = (band * 0.5).min(26.0);
        let (x5, x95) = (px(s.p5_days), px(s.p95_days));
        let (x50, xm) = (px(s.p50_days), px(s.mean_days));
        let _ = write!(
            out,
            r##"<rect class="spread" x="{x5:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="#0b5cad" fill-opacity="0.18" stroke="#0b5cad"><title>{}: P5 {} days, median {} days, P95 {} days, mean {} days</title></rect><line x1="{x50:.1}" y1="{:.1}" x2="{x50:.1}" y2="{:.1}" stroke="#0b5cad" stroke-width="2"/><path d="M{xm:.1} {:.1}l5 5l-5 5l-5 -5z" fill="#0b5cad"/>"##,
            mid - h / 2.0,
            (x95 - x5).max(1.0),
            escape(label),
            num(s.p5_days),
            num(s.p50_days),
            num(s.p95_days),
            num(s.mean_days),
            mid - h / 2.0,
            mid + h / 2.0,
            mid - 5.0
        );
    }
    let mut lines = vec![(
        "timeliness-goal",
        goal_days,
        "IAEA timeliness goal: 1 month".to_string(),
        "#9a6700",
    )];
    if let Some(b) = breakout_days.filter(|d| d.is_finite() && *d > 0.0) {
        lines.insert(
            0,
            (
                "breakout",
                b,
                format!("breakout, first SQ: {} days", human(b)),
                "#b42318",
            ),
        );
    }
    for (row, (class, d, label, color)) in lines.iter().enumerate() {
        let p = px(*d);
        // Labels on the side with room: left of a line in the right part of the plot.
        let right = p > left + (W - MR - left) * 0.6;
        let _ = write!(
            out,
            r##"<line class="{class}" x1="{p:.1}" y1="{MT}" x2="{p:.1}" y2="{bottom:.1}" stroke="{color}" stroke-dasharray="5 4"/><text x="{:.1}" y="{:.1}" text-anchor="{}" font-size="11" fill="{color}">{}</text>"##,
            if right { p - 4.0 } else { p + 4.0 },
            MT + 13.0 + 14.0 * row as f64,
            if right { "end" } else { "start" },
            escape(label)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12">{}</text></svg>"#,
        (left + W - MR) / 2.0,
        H - 12.0,
        escape(x_label)
    );
    out
}

/// A class of floors on the deal-design chart: its legend label and colour.
pub struct FloorClass {
    /// Legend text.
    pub label: String,
    /// Fill colour.
    pub color: &'static str,
}

/// One evaluated candidate on the deal-design chart.
pub struct DesignDot {
    /// Separative capacity the deal allows to enrich, kg-SWU/yr.
    pub capacity: f64,
    /// Its stock cap.
    pub stock: f64,
    /// Index into the classes.
    pub class: usize,
    /// Whether it is on the frontier (ringed, and joined in order of capacity).
    pub frontier: bool,
    /// Hover text.
    pub tip: String,
}

/// The deal-design chart: every evaluated candidate at (capacity allowed, stock cap), filled by
/// its floor's class; the frontier ringed and joined by a dashed line in order of capacity (as
/// the workbench draws it); the legend, with counts, under the plot.
pub fn design_chart(
    title: &str,
    dots: &[DesignDot],
    classes: &[FloorClass],
    frontier_label: &str,
    (x_label, y_label): (&str, &str),
) -> String {
    // Two legend entries a row.
    let rows = (classes.len() + 2) / 2;
    let mut out = String::new();
    let max = |f: fn(&DesignDot) -> f64, only_frontier: bool| {
        dots.iter()
            .filter(|d| d.frontier || !only_frontier)
            .map(f)
            .fold(0.0, f64::max)
    };
    // The x axis reaches half again beyond the frontier's largest capacity: a few far
    // candidates (every machine allowed) would otherwise squeeze the frontier into a corner.
    // Those beyond are counted in a label at the right edge, not drawn.
    let all_x = max(|d| d.capacity, false);
    let x_hi = match max(|d| d.capacity, true) * 1.5 {
        f if f > 0.0 && f < all_x => f,
        _ => all_x * 1.03,
    };
    let (x, y) = frame(
        &mut out,
        title,
        rows as f64 * 20.0 + 6.0,
        (0.0, x_hi, x_label),
        (0.0, max(|d| d.stock, false) * 1.06, y_label),
    );
    let beyond = dots.iter().filter(|d| d.capacity > x_hi).count();
    if beyond > 0 {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#57606a">{beyond} more beyond, up to {} kg-SWU/yr →</text>"##,
            W - MR - 4.0,
            MT + 12.0,
            human(all_x)
        );
    }
    // Candidates of different caps can share a capacity and a stock cap: the frontier's dots
    // are drawn last, so a ring always shows its own point's colour.
    let mut drawn: Vec<&DesignDot> = dots.iter().filter(|d| d.capacity <= x_hi).collect();
    drawn.sort_by_key(|d| d.frontier);
    let mut ring: Vec<&DesignDot> = dots.iter().filter(|d| d.frontier).collect();
    ring.sort_by(|a, b| {
        a.capacity
            .total_cmp(&b.capacity)
            .then(a.stock.total_cmp(&b.stock))
    });
    let path: Vec<String> = ring
        .iter()
        .map(|d| format!("{:.1},{:.1}", x.px(d.capacity), y.px(d.stock)))
        .collect();
    let _ = write!(
        out,
        r##"<polyline fill="none" stroke="#1b1f24" stroke-width="1.2" stroke-dasharray="5 3" points="{}"/>"##,
        path.join(" ")
    );
    for d in &drawn {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="4.5" fill="{}" stroke="#1b1f24" stroke-width="0.4"><title>{}</title></circle>"##,
            x.px(d.capacity),
            y.px(d.stock),
            classes[d.class].color,
            escape(&d.tip)
        );
    }
    for d in &ring {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="8" fill="none" stroke="#1b1f24" stroke-width="1.6"/>"##,
            x.px(d.capacity),
            y.px(d.stock)
        );
    }
    let entry = |i: usize| {
        (
            ML - 40.0 + (i % 2) as f64 * 330.0,
            H + 12.0 + (i / 2) as f64 * 20.0,
        )
    };
    for (i, c) in classes.iter().enumerate() {
        let (ex, ey) = entry(i);
        // Counted over every candidate, drawn or beyond the axis.
        let n = dots.iter().filter(|d| d.class == i).count();
        let _ = write!(
            out,
            r##"<circle cx="{ex:.1}" cy="{ey:.1}" r="5" fill="{}" stroke="#1b1f24" stroke-width="0.4"/><text x="{:.1}" y="{:.1}" font-size="12">{}: {n}</text>"##,
            c.color,
            ex + 10.0,
            ey + 4.0,
            escape(&c.label)
        );
    }
    let (ex, ey) = entry(classes.len());
    let _ = write!(
        out,
        r##"<circle cx="{ex:.1}" cy="{ey:.1}" r="7" fill="none" stroke="#1b1f24" stroke-width="1.6"/><text x="{:.1}" y="{:.1}" font-size="12">{}: {}</text>"##,
        ex + 12.0,
        ey + 4.0,
        escape(frontier_label),
        ring.len()
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        for (lo, hi, n, want) in [
            (0.0, 100.0, 5, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
            (0.0, 1.0, 4, vec![0.0, 0.5, 1.0]),
            // 0.35 / 6 = 0.058 rounds up to a step of 0.1 (0.05 is too small).
            (0.77, 1.12, 6, vec![0.8, 0.9, 1.0, 1.1]),
        ] {
            let got = ticks(lo, hi, n);
            assert_eq!(got.len(), want.len(), "{got:?}");
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-9, "{got:?} vs {want:?}");
            }
        }
        assert_eq!(ticks(3.0, 3.0, 5).len(), 1);
    }

    #[test]
    fn charts_escape_text_and_close_their_svg() {
        let s = line_chart("a<b", &[(0.0, 0.0), (2.0, 1.0)], "days", "SQ");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains("a&lt;b") && !s.contains("a<b"));
        let h = histogram("h", &[(1.0, 2.0, 3.0), (2.0, 3.0, 5.0)], "days", "samples");
        assert_eq!(h.matches("class=\"bar\"").count(), 2);
        let t = tornado("t", &[("IR-6 & co".into(), 2.0, 1.0)], 1.5, "days");
        assert!(t.contains("IR-6 &amp; co") && t.ends_with("</svg>"));
    }

    /// The spreads on the log axis: a box only for a detected pathway, the lines at their days,
    /// decade ticks covering every value (hand check: 7.04 … 4360 days spans 10^0 to 10^4).
    #[test]
    fn detection_chart_draws_boxes_lines_and_decades() {
        let spread = |p5, p50, p95, mean| {
            Some(Spread {
                p5_days: p5,
                p50_days: p50,
                p95_days: p95,
                mean_days: mean,
            })
        };
        let rows = [
            ("declared misuse".to_string(), spread(7.04, 7.4, 8.22, 7.52)),
            (
                "covert plant".to_string(),
                spread(81.5, 1000.0, 4360.0, 1460.0),
            ),
            ("diversion <none>".to_string(), None),
        ];
        let s = detection_chart("d", &rows, Some(465.0), 30.4375, "days");
        assert_eq!(s.matches("class=\"spread\"").count(), 2);
        assert_eq!(s.matches("class=\"never\"").count(), 1);
        assert_eq!(s.matches("class=\"timeliness-goal\"").count(), 1);
        assert_eq!(s.matches("class=\"breakout\"").count(), 1);
        assert!(s.contains("diversion &lt;none&gt;") && s.ends_with("</svg>"));
        for decade in [1.0, 10.0, 100.0, 1000.0, 10000.0] {
            let tick = format!("\">{}</text>", human(decade));
            assert!(s.contains(&tick), "no tick {tick}");
        }
        assert!(!s.contains(&format!("\">{}</text>", human(100_000.0))));
        // No breakout (never reached): no breakout line, the goal still drawn.
        let s = detection_chart("d", &rows, None, 30.4375, "days");
        assert_eq!(s.matches("class=\"breakout\"").count(), 0);
        assert_eq!(s.matches("class=\"timeliness-goal\"").count(), 1);
    }
}
