//! Enrichment physics for uranium: typed quantities, the value function, the feed/product/tails
//! balance, least-SWU plans from several stocks and cost-optimum tails.
//!
//! This crate is the arithmetic every other part of `breakout` stands on. It is pure: no file or
//! network I/O, no clock, no randomness. Every quantity carries its unit in its type
//! ([`Assay`] is a weight fraction of U-235, [`KgU`] is kilograms of uranium element, [`Swu`] is
//! kilogram-SWU), so that a wt-% / at-% or kg U / kg UF6 slip is a type error, not a wrong number.
//!
//! ```
//! use enrich::{Assay, Balance, KgU};
//! # fn main() -> Result<(), enrich::EnrichError> {
//! // 1 kg of 3.5 % product from natural uranium with 0.3 % tails.
//! let b = Balance::from_product(
//!     Assay::from_wt_pct(0.711)?,
//!     Assay::from_wt_pct(3.5)?,
//!     Assay::from_wt_pct(0.3)?,
//!     KgU::new(1.0)?,
//! )?;
//! assert!((b.feed.kg() - 7.7859).abs() < 1e-4);
//! assert!((b.separative_work.kg_swu() - 4.3394).abs() < 1e-3);
//! # Ok(()) }
//! ```

pub mod assay;
pub mod balance;
pub mod cascade;
pub mod centrifuge;
pub mod composition;
pub mod cost;
pub mod error;
pub mod isotope;
pub mod machine;
pub mod mass;
mod numeric;
pub mod plan;
pub mod units;
pub mod value;

pub use assay::Assay;
pub use balance::{Balance, Given, ProductLimit, ProductYield};
pub use composition::Composition;
pub use cost::{CostOptimum, FeedPrice, Prices};
pub use error::EnrichError;
pub use isotope::Isotope;
pub use machine::{Machine, MachineLibrary, MachinePhysics, SeparativePower};
pub use mass::{ChemicalForm, CompoundMass, KgU, KgU235};
pub use plan::{Plan, Stock, StockDraw, TailsChoice};
pub use units::{Days, Swu, SwuPerYear};
pub use value::value_function;
