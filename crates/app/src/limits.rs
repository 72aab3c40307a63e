//! The bounds on what one request may ask for: one place for the numbers, used by the CLI, the
//! web server and any program linking this crate (see `docs/workbench.md` for the table).
//!
//! Two kinds of numbers live here. The **absolute maxima** bound every count that sizes an
//! allocation or a loop, whatever the front end: [`crate::execute`] refuses a request above
//! them with a usage error naming the field, the value and the maximum, before anything is
//! allocated. The **server caps** are tighter: what one HTTP request may cost on a shared
//! machine (the CLI allows larger runs up to the absolute maxima).
//!
//! Keep this a plain list of documented `pub const`s.

/// Most elements the Python package's vectorised functions (`swu`, `convert`) compute in one
/// call, after broadcasting: 10⁸ elements are 0.8 GB per output column (3.2 GB for `swu`'s four),
/// and arrays of shapes (10⁶, 1) and (1, 10⁶) would otherwise broadcast to 10¹² and abort the
/// interpreter when the columns are allocated.
pub const MAX_ARRAY_ELEMENTS: u64 = 100_000_000;

/// Absolute maximum of balance periods in a sequence or a Page threshold (`periods`, and the
/// number of values in `muf`, `sigma_inventory_kg`, `sigma_transfer_kg` and loss patterns):
/// 10,000 periods is 27 years of daily balances.
pub const MAX_PERIODS: u64 = 10_000;
/// Absolute maximum of balance periods per year of the quick-mode plant (`periods_per_year`):
/// one a day.
pub const MAX_PERIODS_PER_YEAR: u64 = 366;
/// Absolute maximum of Monte Carlo samples of `breakout run` (`samples`).
pub const MAX_SAMPLES: u64 = 10_000_000;
/// Absolute maximum of simulated balance sequences (`sequences`).
pub const MAX_SEQUENCES: u64 = 100_000_000;
/// Absolute maximum of items in a sampled stratum (`items`, `defects`).
pub const MAX_ITEMS: u64 = 100_000_000;
/// Absolute maximum of cascade stages (`stages`, `feed_stage`, values in `cuts` and
/// `machines_per_stage`): the engine's own bound on a fixed or designed cascade, so a request
/// the engine would refuse is refused here first, with the same number.
pub const MAX_STAGES: u64 = enrich::cascade::fixed::MAX_STAGES as u64;
/// Absolute maximum of batch-recycling passes (`recycle`).
pub const MAX_RECYCLE: u64 = 1_000;
/// Absolute maximum of centrifuges in one group of a state file (`machines`) or one
/// `--machines TYPE=N` of quick mode: 1,000,000. A bound, not a figure (assumption): fifty times
/// the ~20,000 machines Iran had installed before the JCPOA (Natanz ~16,000 and Fordow "almost
/// 3,000", Washington Post timeline, [D41] of the project's Iran reference), so no plausible
/// programme is refused, while a count like 2^64 — which would put a goal at 10^-16 days — is.
pub const MAX_MACHINES: u64 = 1_000_000;
/// Absolute maximum of goal units (`count`).
pub const MAX_GOAL_COUNT: u64 = 10_000;
/// Absolute maximum of points in one sweep (`breakout sweep` and the Python package's
/// `breakout.sweep`), counted from the grid's axes (a range from its ends and step) before any
/// point or value is built: a million runs is hours on one machine and the
/// table of results about a gigabyte.
pub const MAX_SWEEP_POINTS: u64 = 1_000_000;

/// Absolute maximum of a deal's time spans, years: an offset from a milestone
/// (`implementation + 15y`) and the yearly series of `deal floor` (one estimate a year). The
/// longest limit of the JCPOA ran 25 years; 100 leaves room for any real deal, while a
/// 5,000-year window — 5,000 estimates — is refused at once.
pub const MAX_DEAL_YEARS: u64 = 100;
/// Smallest reinstallation rate other than 0, cascades/month (`reinstall_cascades_per_month`):
/// one cascade in [`MAX_DEAL_YEARS`]. A slower rate changes nothing within any span the tool
/// looks at, and rates near the smallest float (1e-320) overflow the capacity schedule's days.
pub const MIN_REINSTALL_CASCADES_PER_MONTH: f64 = 1.0 / (12.0 * MAX_DEAL_YEARS as f64);
/// Absolute maximum size of a file read by path (a state, deal, cascade or balance file), bytes:
/// 8 MiB, some 400 times the largest bundled state file; larger files are refused before they
/// are read whole.
pub const MAX_INPUT_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Longest excerpt of an input file (a source line) or of a value an error message repeats,
/// characters: the rest is cut, marked `…`.
pub const MAX_EXCERPT_CHARS: usize = 200;

/// Server cap: Monte Carlo samples one HTTP request may ask for.
pub const SERVER_MAX_SAMPLES: u64 = 20_000;
/// Server cap: candidate deals in the design space of one `deal design` request (after its
/// overrides). The search evaluates a few per cent of a grid, each candidate ≈ 20 ms (release)
/// and more with `percentile`; 2,000 candidates keep a request well inside
/// [`SERVER_REQUEST_TIMEOUT_SECS`], while the bundled space (27,300, ≈ 30 s of CPU) is for the
/// CLI.
pub const SERVER_MAX_DESIGN_CANDIDATES: u64 = 2_000;
/// Server cap: Monte Carlo draws per candidate of one `deal design` request with `percentile`
/// (each candidate is two Monte Carlo runs of this many draws).
pub const SERVER_MAX_DESIGN_SAMPLES: u64 = 1_000;
/// Server cap: simulated balance sequences one HTTP request may ask for.
pub const SERVER_MAX_SEQUENCES: u64 = 200_000;
/// Server cap: the memory one HTTP request may need, estimated from the request before it runs
/// (the n × n MUF covariance and its factors for n periods, the per-sample and per-sequence
/// results): 64 MiB.
pub const SERVER_MEMORY_BUDGET_BYTES: u64 = 64 * 1024 * 1024;
/// Server cap: largest request body, bytes.
pub const SERVER_MAX_BODY_BYTES: usize = 64 * 1024;
/// Server cap: longest one request may compute, seconds; past it the computation is cancelled
/// and the request answered 503.
pub const SERVER_REQUEST_TIMEOUT_SECS: u64 = 10;
/// Server cap: longest a client may take to send a request's headers, seconds, counted from
/// when the connection is ready for a request — so it is also the longest a connection may sit
/// idle (new, or kept alive after an answer) before it is closed.
pub const SERVER_HEADER_READ_TIMEOUT_SECS: u64 = 5;
/// Server cap: longest one connection may stay open, however busy, seconds (a backstop against
/// clients that trickle a body or read an answer very slowly).
pub const SERVER_CONNECTION_MAX_SECS: u64 = 300;
/// Server cap: open connections at once; further connections wait to be accepted.
pub const SERVER_MAX_CONNECTIONS: usize = 256;

/// Absolute maximum of values one lever of a deal design space may take (`deal design`).
pub const MAX_LEVER_VALUES: usize = 1_000;
/// Absolute maximum of candidate deals in a design space (`deal design`): the product of the
/// levers' numbers of values, checked before the search allocates its table of lines.
pub const MAX_DESIGN_GRID: u64 = 1_000_000;
