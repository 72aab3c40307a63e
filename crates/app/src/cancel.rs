//! Cancelling a long computation: a [`Cancel`] token handed to [`crate::execute_cancellable`]
//! and set from another thread (the web server sets it when a request times out). The
//! computation checks it between units of work (Monte Carlo chunks, bisection steps of Page's
//! threshold, states of a history, deal-floor series points) and ends with
//! [`crate::AppError::Cancelled`], so its thread and its share of the machine are freed at once.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::AppError;

/// A shared flag: once [`Cancel::cancel`] is called, every computation holding a clone stops at
/// its next check.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token not (yet) cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every computation holding this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

thread_local! {
    /// The token of the computation running on this thread, for code deep below
    /// [`crate::execute_cancellable`] whose signature does not carry it.
    static CURRENT: RefCell<Option<Cancel>> = const { RefCell::new(None) };
}

/// Runs `f` with `cancel` as this thread's current token (restoring the previous one after).
pub(crate) fn scope<R>(cancel: &Cancel, f: impl FnOnce() -> R) -> R {
    let previous = CURRENT.with(|c| c.replace(Some(cancel.clone())));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    out
}

/// This thread's current token (a fresh, never-cancelled one outside [`scope`]). Take it on the
/// calling thread before handing work to other threads (rayon).
pub(crate) fn current() -> Cancel {
    CURRENT.with(|c| c.borrow().clone()).unwrap_or_default()
}

/// The error of a cancelled computation.
pub(crate) fn cancelled() -> AppError {
    AppError::Cancelled("the computation was cancelled (time limit reached)".into())
}

/// `Err(AppError::Cancelled)` if this thread's computation was cancelled.
pub(crate) fn checkpoint() -> Result<(), AppError> {
    if current().is_cancelled() {
        Err(cancelled())
    } else {
        Ok(())
    }
}
