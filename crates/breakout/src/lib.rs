//! Breakout planning: facility states, stockpiles, estimators, Monte Carlo, deals and compliance.
//!
//! Not yet built: this crate is reserved for the breakout engine (see ARCHITECTURE.md). It depends
//! on `enrich` for all separative-work arithmetic and does no I/O.
