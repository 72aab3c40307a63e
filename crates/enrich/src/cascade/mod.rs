//! Enrichment cascades: stage separation, the multicomponent value function, ideal binary
//! cascade design, matched-abundance-ratio (MARC) cascades for multi-isotope feeds, and fixed
//! cascades run off-design with batch recycling and interconnection.
//!
//! Stages are counted from the tails end (stage 1 discharges the tails). Flows inside a cascade
//! are molar; what callers see is kg U, kg U/yr and kg-SWU. Every solver is bounded and reports
//! failure as an [`crate::EnrichError`], never a NaN.
//!
//! ```
//! use enrich::cascade::{
//!     FeedRate, IdealCascade, Passes, StageSeparation, batch_recycle, machine_feed_from_rating,
//! };
//! use enrich::{Assay, Composition};
//! # fn main() -> Result<(), enrich::EnrichError> {
//! // IR-1-like hardware: α = 1.5, 1 kg-SWU/yr per machine, 164 machines in 15 stages.
//! let alpha = StageSeparation::new(1.5)?;
//! let limit = machine_feed_from_rating(1.0, alpha)?;
//! let hw = IdealCascade::with_stages(Assay::NATURAL, 10, 5, alpha)?
//!     .fitted_to_machines(164, limit)?
//!     .cascade;
//! let run = hw.run(&Composition::natural())?;
//! assert!((run.product.assay().wt_pct() - 5.16).abs() < 0.01);
//! assert!((run.at_max_feed().separative_power_swu_per_yr - 159.0).abs() < 0.5);
//! // Batch recycling 1000 kg U of natural uranium to weapon grade: three passes.
//! let target = Assay::from_wt_pct(90.0)?;
//! let c = batch_recycle(
//!     &hw,
//!     &Composition::natural(),
//!     1000.0,
//!     Passes::UntilAssay { target, max_passes: 10 },
//!     FeedRate::Max,
//! )?;
//! assert_eq!(c.passes.len(), 3);
//! assert!(c.total_days() > 2000.0);
//! # Ok(()) }
//! ```

pub mod fixed;
pub mod ideal;
mod linalg;
pub mod marc;
pub mod multivalue;
pub mod rating;
pub mod recycle;
pub mod separation;

pub use fixed::{CascadeRun, FixedCascade, MachineFeed, StageState, Throughput};
pub use ideal::{IdealCascade, IdealStage, SizedCascade};
pub use marc::{KeyFraction, MarcCascade};
pub use multivalue::multicomponent_value;
pub use rating::machine_feed_from_rating;
pub use recycle::{
    BatchRecycle, FeedRate, Interconnection, Passes, RecyclePass, Stream, batch_recycle,
    interconnect,
};
pub use separation::StageSeparation;
