//! A progress bar on stderr for long computations: drawn only on a terminal, and only once a
//! computation has run for about a second (a quick one never flickers a bar).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use breakout_app::Progress;

/// How long a computation runs before its bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The bar's state: when the computation started, and the bar once drawn.
#[derive(Default)]
struct State {
    started: Option<Instant>,
    bar: Option<indicatif::ProgressBar>,
}

/// An `indicatif` bar on stderr, created once a computation has run for [`SHOW_AFTER`].
pub struct Bar {
    state: Mutex<State>,
    enabled: bool,
}

impl Default for Bar {
    fn default() -> Self {
        Bar {
            state: Mutex::new(State::default()),
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bar {
    fn update(&self, what: &str, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        let started = *st.started.get_or_insert_with(Instant::now);
        if st.bar.is_none() {
            if started.elapsed() < SHOW_AFTER || done >= total {
                return;
            }
            let b = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {what} ({{eta}})"
            )) {
                b.set_style(style);
            }
            st.bar = Some(b);
        }
        if let Some(b) = &st.bar {
            b.set_length(total);
            b.set_position(done);
        }
    }

    fn finish(&self) {
        if let Ok(mut st) = self.state.lock() {
            st.started = None;
            if let Some(b) = st.bar.take() {
                b.finish_and_clear();
            }
        }
    }
}
