//! A progress bar on stderr for long computations, drawn only when the computation is long
//! enough to need one (the application says how many units there are).

use std::sync::Mutex;

use breakout_app::Progress;

/// Units below which no bar is drawn: Monte Carlo runs ≥ 10⁷ samples/s on the ideal model
/// (docs/benchmarks.md), so only very large runs take over a second.
const MIN_UNITS_FOR_A_BAR: u64 = 5_000_000;

/// An `indicatif` bar, created on the first update of a long computation.
#[derive(Default)]
pub struct Bar(Mutex<Option<indicatif::ProgressBar>>);

impl Progress for Bar {
    fn update(&self, what: &str, done: u64, total: u64) {
        if total < MIN_UNITS_FOR_A_BAR {
            return;
        }
        let Ok(mut slot) = self.0.lock() else { return };
        let bar = slot.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {what} ({{eta}})"
            )) {
                b.set_style(style);
            }
            b
        });
        bar.set_position(done);
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.0.lock()
            && let Some(b) = slot.take()
        {
            b.finish_and_clear();
        }
    }
}
