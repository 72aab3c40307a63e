//! Breakout planning: facility states, stockpiles, estimators, Monte Carlo, deals and compliance.
//!
//! Pure engine: it depends on `enrich` for all separative-work arithmetic, reads no file, clock
//! or OS entropy, and takes dates and seeds as inputs.

pub mod date;
pub mod deal;
