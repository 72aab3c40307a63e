//! Enrichment cascades: stage separation, the multicomponent value function, ideal binary
//! cascade design, matched-abundance-ratio (MARC) cascades for multi-isotope feeds, and fixed
//! cascades run off-design with batch recycling and interconnection.
//!
//! Stages are counted from the tails end (stage 1 discharges the tails). Flows inside a cascade
//! are molar; what callers see is kg U, kg U/yr and kg-SWU. Every solver is bounded and reports
//! failure as an [`crate::EnrichError`], never a NaN.

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
