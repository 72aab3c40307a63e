//! Material-accountancy statistics for enrichment plants: MUF, σ_MUF, sequential tests, sampling.
//!
//! The crate follows the statistics of nuclear material accountancy as summarised in the
//! project's reference `safeguards.md`: a [`balance::Balance`] (strata of measured items with
//! random and systematic error groups over one or many periods) yields a
//! [`sequence::MufSequence`] (MUF and its full covariance Σ), on which the one-balance test
//! ([`detection`]), the sequential tests (CUMUF, SITMUF, GEMUF in [`sequence`], Page's test and
//! its threshold in [`page`]) and Monte Carlo detection probabilities ([`montecarlo`]) work.
//! Inspector sampling is in [`sampling`], the enrichment-plant generator in [`plant`], the
//! timeliness comparison with a breakout time in [`timeliness`].
//!
//! It does no I/O, reads no clock and no OS entropy: random draws take a seed from the caller.
//! Engine types are not `Serialize`; the CLI builds the JSON.

pub mod balance;
pub mod detection;
pub mod error;
pub mod linalg;
pub mod montecarlo;
pub mod normal;
pub mod page;
pub mod plant;
pub mod sampling;
pub mod sequence;
pub mod timeliness;
pub mod verification;

pub use error::SafeguardsError;
