//! Progress of long computations, reported to whoever runs them: the CLI draws a bar on a
//! terminal, the server and library callers usually ignore it.

/// Receives the progress of a long computation.
pub trait Progress: Sync {
    /// `done` of `total` units of `what` (e.g. "samples") are finished.
    fn update(&self, what: &str, done: u64, total: u64);
    /// The computation ended (successfully or not).
    fn finish(&self) {}
}

/// Ignores progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn update(&self, _what: &str, _done: u64, _total: u64) {}
}
