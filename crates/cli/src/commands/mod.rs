//! One module per subcommand: flag definitions, resolution into engine inputs, the report.

pub mod convert;
pub mod deal;
pub mod history;
pub mod machine;
pub mod run;
pub mod safeguards;
pub mod swu;
