//! Material-accountancy statistics for enrichment plants: MUF, σ_MUF, sequential tests, sampling.
//!
//! Not yet built: this crate is reserved for the verification statistics (see ARCHITECTURE.md).
//! It does no I/O; random draws take a seeded generator from the caller.
