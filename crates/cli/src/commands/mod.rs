//! One module per subcommand: flag definitions, resolution into engine inputs, the report.

pub mod convert;
pub mod deal;
pub mod machine;
pub mod safeguards;
pub mod swu;
