//! Progress of long computations, reported to whoever runs them: the CLI draws a bar on a
//! terminal, the server and library callers usually ignore it.

use crate::Cancel;

/// Receives the progress of a long computation.
pub trait Progress: Sync {
    /// `done` of `total` units of `what` (e.g. "samples") are finished.
    fn update(&self, what: &str, done: u64, total: u64);
    /// The computation ended (successfully or not).
    fn finish(&self) {}
    /// Whether the caller wants the computation stopped: long loops check this between units of
    /// work and end with [`crate::AppError::Cancelled`].
    fn cancelled(&self) -> bool {
        false
    }
}

/// A progress that is also cancelled by a [`Cancel`] token.
pub(crate) struct WithCancel<'a> {
    pub(crate) inner: &'a dyn Progress,
    pub(crate) cancel: &'a Cancel,
}

impl Progress for WithCancel<'_> {
    fn update(&self, what: &str, done: u64, total: u64) {
        self.inner.update(what, done, total);
    }
    fn finish(&self) {
        self.inner.finish();
    }
    fn cancelled(&self) -> bool {
        self.cancel.is_cancelled() || self.inner.cancelled()
    }
}

/// Ignores progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn update(&self, _what: &str, _done: u64, _total: u64) {}
}
