//! JSON API handlers: each reads its request into the application's typed request (the same
//! types clap fills from the command line: a POST body through serde with unknown fields
//! refused; a GET route's path and typed query straight into the request's fields), checks the
//! server's limits on the typed fields, runs [`breakout_app::execute`] on a blocking thread with
//! a time limit, and answers with the command's JSON document — or a 4xx/5xx `{"error": ...}`.
//!
//! No command line is ever built from a request: a JSON key is a field name or an error, never a
//! flag, so a request cannot smuggle positional arguments or file paths past the checks.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use breakout_app::commands::MonthRange;
use breakout_app::commands::NumList;
use breakout_app::commands::deal::{DealArgs, DealCommand};
use breakout_app::commands::design::DesignArgs;
use breakout_app::commands::floor::{FloorOptions, PercentileOptions, Series};
use breakout_app::commands::history::HistoryArgs;
use breakout_app::commands::machine::{MachineArgs, MachineCommand};
use breakout_app::commands::run::{GoalArg, RunArgs};
use breakout_app::{AppError, Cancel, Request, limits};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = limits::SERVER_MAX_BODY_BYTES;
/// Largest Monte Carlo sample count a request may ask for.
pub const MAX_SAMPLES: u64 = limits::SERVER_MAX_SAMPLES;
/// Largest number of simulated balance sequences a safeguards request may ask for.
pub const MAX_SEQUENCES: u64 = limits::SERVER_MAX_SEQUENCES;

tokio::task_local! {
    /// The time limit of the request being answered, set by the router's layer from its
    /// `ServerConfig`.
    pub static TIMEOUT: Duration;
}

/// The current request's time limit ([`limits::SERVER_REQUEST_TIMEOUT_SECS`] outside a router).
fn request_timeout() -> Duration {
    TIMEOUT
        .try_with(|t| *t)
        .unwrap_or(Duration::from_secs(limits::SERVER_REQUEST_TIMEOUT_SECS))
}

/// A JSON error answer `{"error": message}`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

fn bad_request(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// Most answers a server keeps; past this the cache is emptied and refills.
const CACHE_ENTRIES: usize = 1024;

/// Answers already computed, by route and canonical request (its `serde_json` text). Every
/// command is a pure function of its request and the bundled data compiled into the binary,
/// except the randomised ones without a seed, which are never kept.
static CACHE: LazyLock<Mutex<HashMap<String, Arc<str>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// At most one computation per core at a time. Requests beyond that wait for a permit inside
/// the request's time limit, so a request that times out or whose client went away before its
/// turn costs no CPU, and the ones running do not share a core with dozens of others.
static COMPUTE: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
    ))
});

/// Whether the answer to `request` is the same every time: no random draw with a fresh seed.
fn cacheable(request: &Request) -> bool {
    match request {
        Request::Run(a) => a.samples.is_none() || a.seed.is_some(),
        Request::Safeguards(a) => a.is_repeatable(),
        _ => true,
    }
}

/// The server's limits, checked on the typed request before anything is allocated: the
/// absolute bounds of every count ([`breakout_app::check_bounds`]), the server's sample and
/// sequence caps, its memory budget, no files.
fn check_limits(request: &Request) -> Result<(), String> {
    breakout_app::check_bounds(request).map_err(|e| e.to_string())?;
    let cap = |field: &str, n: Option<usize>, cap: u64| match n {
        Some(n) if n as u64 > cap => Err(format!(
            "field `{field}`: {n} exceeds the server's cap of {cap}: use the CLI for larger runs"
        )),
        _ => Ok(()),
    };
    match request {
        Request::Run(a) => cap("samples", a.samples, MAX_SAMPLES)?,
        Request::Deal(DealArgs {
            command: DealCommand::Design(a),
        }) => check_design(a)?,
        Request::Deal(DealArgs {
            command: DealCommand::Floor { percentile, .. },
        }) => cap("samples", percentile.samples, MAX_SAMPLES)?,
        Request::Safeguards(a) => {
            cap("sequences", a.sequences(), MAX_SEQUENCES)?;
            if let Some(f) = a.file_field() {
                return Err(format!(
                    "field `{f}` names a file on the server: not accepted over HTTP (use the CLI)"
                ));
            }
        }
        _ => {}
    }
    let bytes = breakout_app::estimated_bytes(request);
    if bytes > limits::SERVER_MEMORY_BUDGET_BYTES {
        return Err(format!(
            "the request would need about {} MiB (periods × periods for the MUF covariance, samples, sequences): above the server's budget of {} MiB per request; ask for fewer periods, samples or sequences, or use the CLI",
            bytes.div_ceil(1 << 20),
            limits::SERVER_MEMORY_BUDGET_BYTES >> 20
        ));
    }
    Ok(())
}

/// The server's limits on `deal design`: bundled design spaces and states only (a file path in
/// `space` or `base_state` is refused, never read), at most
/// [`limits::SERVER_MAX_DESIGN_CANDIDATES`] candidates after the overrides and
/// [`limits::SERVER_MAX_DESIGN_SAMPLES`] draws per candidate.
fn check_design(a: &DesignArgs) -> Result<(), String> {
    let not_bundled = |field: &str, value: &str, names: &[&str]| {
        format!(
            "field `{field}`: `{value}` is not a bundled id: expected one of {} (files are not read over HTTP)",
            names.join(", ")
        )
    };
    let spaces = [breakout_app::design::BUNDLED.0];
    let space = a.space.as_deref().unwrap_or(spaces[0]);
    if !spaces.iter().any(|s| s.eq_ignore_ascii_case(space)) {
        return Err(not_bundled("space", space, &spaces));
    }
    if let Some(b) = &a.base_state
        && !state_names().iter().any(|s| s.eq_ignore_ascii_case(b))
    {
        return Err(not_bundled("base_state", b, &state_names()));
    }
    if let Some(n) = a.samples
        && n as u64 > limits::SERVER_MAX_DESIGN_SAMPLES
    {
        return Err(format!(
            "field `samples`: {n} draws per candidate exceeds the server's cap of {}: use the CLI for larger runs",
            limits::SERVER_MAX_DESIGN_SAMPLES
        ));
    }
    let mut s = breakout_app::design::load(space).map_err(|e| e.to_string())?;
    s.override_with(
        a.cap_wt_pct.as_ref().map(|l| l.0.as_slice()),
        a.stock_cap_kg.as_deref(),
        &a.machines,
        a.fates.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let n = s.grid_size();
    if n > limits::SERVER_MAX_DESIGN_CANDIDATES {
        return Err(format!(
            "the design space has {n} candidate deals, more than the server's cap of {}: narrow it with cap_wt_pct, stock_cap_kg, machines or fates, or use the CLI (`breakout deal design`)",
            limits::SERVER_MAX_DESIGN_CANDIDATES
        ));
    }
    Ok(())
}

fn json_body(text: Arc<str>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        text.to_string(),
    )
        .into_response()
}

/// Runs a typed request with the request limits; repeatable answers are kept (see
/// [`cacheable`]), keyed by `route` and the request's canonical JSON.
async fn run_request(route: &str, request: Request) -> Response {
    if let Err(m) = check_limits(&request) {
        return bad_request(m);
    }
    let key = cacheable(&request)
        .then(|| serde_json::to_string(&request).ok())
        .flatten()
        .map(|text| format!("{route} {text}"));
    let cached = |key: &Option<String>| {
        key.as_ref()
            .and_then(|k| CACHE.lock().ok().and_then(|c| c.get(k).map(Arc::clone)))
    };
    if let Some(hit) = cached(&key) {
        return json_body(hit);
    }
    // Cancelled when this request ends in any way — answered, timed out, or dropped because
    // the client went away — so an abandoned computation stops at its next check and frees its
    // permit (its core) at once.
    let cancel = CancelOnDrop(Cancel::new());
    let token = cancel.0.clone();
    let job = async {
        let Ok(permit) = Arc::clone(&COMPUTE).acquire_owned().await else {
            return Answer::Failed;
        };
        // A twin request may have filled the cache while this one waited for its turn.
        if let Some(hit) = cached(&key) {
            return Answer::Cached(hit);
        }
        let work = tokio::task::spawn_blocking(move || {
            // Held until the computation ends: cancellation makes that soon after a timeout.
            let _permit = permit;
            breakout_app::execute_cancellable(request, &breakout_app::progress::Silent, &token)
        });
        work.await.map_or(Answer::Failed, Answer::Computed)
    };
    let timeout = request_timeout();
    let answer = tokio::time::timeout(timeout, job).await;
    drop(cancel);
    let busy = || {
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {:.1} s and was stopped: ask for fewer samples or a smaller problem",
                timeout.as_secs_f64()
            ),
        )
    };
    match answer {
        Err(_) | Ok(Answer::Computed(Err(AppError::Cancelled(_)))) => busy(),
        Ok(Answer::Failed) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error while computing the answer (a bug: please report it)",
        ),
        Ok(Answer::Cached(hit)) => json_body(hit),
        Ok(Answer::Computed(Err(AppError::Usage(m) | AppError::Input(m)))) => bad_request(m),
        Ok(Answer::Computed(Err(e @ AppError::Internal(_)))) => {
            error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
        }
        Ok(Answer::Computed(Ok((report, _)))) => {
            let text: Arc<str> = report.to_json().to_string().into();
            if let Some(key) = key
                && let Ok(mut c) = CACHE.lock()
            {
                if c.len() >= CACHE_ENTRIES {
                    c.clear();
                }
                c.insert(key, Arc::clone(&text));
            }
            json_body(text)
        }
    }
}

/// Cancels its token when dropped.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// What a request's computation came to.
enum Answer {
    /// Another request computed the same answer while this one waited.
    Cached(Arc<str>),
    Computed(breakout_app::Answer),
    /// The computation panicked or the permit pool was closed: a bug, never an input error.
    Failed,
}

/// Parses a JSON object body (an empty body is `{}`).
fn object(body: &Bytes) -> Result<Map<String, Value>, String> {
    let value: Value = if body.is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| format!("malformed JSON: {e}"))?
    };
    match value {
        Value::Object(map) => Ok(map),
        _ => Err("the request body must be a JSON object of fields".into()),
    }
}

/// Deserialises `value` as a `T`, naming the offending field (its path below `T`) on error.
fn typed<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            inner.to_string()
        } else {
            format!("field `{path}`: {inner}")
        }
    })
}

/// The request whose JSON form nests `fields` under the subcommand path `path`, e.g.
/// `["safeguards", "command", "plant"]` for `breakout safeguards plant`: the body's fields are
/// the subcommand's own, and a field error names the field as the client wrote it.
fn request_at(path: &[&str], fields: Map<String, Value>) -> Result<Request, String> {
    let mut value = Value::Object(fields);
    for step in path.iter().rev() {
        value = json!({ *step: value });
    }
    typed::<Request>(value).map_err(|m| {
        // The client never wrote the subcommand path: drop it from field names, and drop the
        // whole label when the error is about the object itself (a missing or unknown field).
        let joined = path.join(".");
        match m.strip_prefix(&format!("field `{joined}`: ")) {
            Some(rest) => rest.to_string(),
            None => m.replacen(&format!("{joined}."), "", 1),
        }
    })
}

/// Reads a body as the request at `path` and runs it.
async fn post_request(route: &str, path: &[&str], body: Bytes) -> Response {
    match object(&body).and_then(|fields| request_at(path, fields)) {
        Ok(request) => run_request(route, request).await,
        Err(m) => bad_request(m),
    }
}

/// A query string as a typed `T`, or a 400 naming the field.
fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, Box<Response>> {
    q.map(|Query(t)| t)
        .map_err(|e| Box::new(bad_request(e.body_text())))
}

/// `GET /api/health`.
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// `POST /api/swu`: as `breakout swu`.
pub async fn swu(body: Bytes) -> Response {
    post_request("swu", &["swu"], body).await
}

/// `POST /api/swu/{plan|cost|tails|yield}`: as `breakout swu MODE`.
pub async fn swu_mode(Path(mode): Path<String>, body: Bytes) -> Response {
    match mode.as_str() {
        "plan" | "cost" | "tails" | "yield" => {
            post_request("swu", &["swu", "command", &mode], body).await
        }
        _ => error(
            StatusCode::NOT_FOUND,
            format!("no route /api/swu/{mode}: expected plan, cost, tails or yield"),
        ),
    }
}

/// `POST /api/convert`: as `breakout convert VALUE UNIT ...`.
pub async fn convert(body: Bytes) -> Response {
    post_request("convert", &["convert"], body).await
}

/// `POST /api/safeguards/{detect|sample|page-threshold|plant|sequence}`: as `breakout safeguards
/// SUB` (the sequence command in its quick form: balances as lists, not files).
pub async fn safeguards(Path(sub): Path<String>, body: Bytes) -> Response {
    match sub.as_str() {
        "detect" | "sample" | "page-threshold" | "plant" | "sequence" => {
            post_request("safeguards", &["safeguards", "command", &sub], body).await
        }
        _ => error(
            StatusCode::NOT_FOUND,
            format!(
                "no route /api/safeguards/{sub}: expected detect, sample, page-threshold, plant or sequence"
            ),
        ),
    }
}

/// The request `breakout machine ...` for `command`.
fn machine_request(command: MachineCommand) -> Request {
    Request::Machine(MachineArgs { command })
}

/// `GET /api/machines`.
pub async fn machines() -> Response {
    run_request("machines", machine_request(MachineCommand::List)).await
}

/// `GET /api/machines/{id}`.
pub async fn machine(Path(id): Path<String>) -> Response {
    run_request("machines", machine_request(MachineCommand::Show { id })).await
}

/// The request `breakout deal ...` for `command`.
fn deal_request(command: DealCommand) -> Request {
    Request::Deal(DealArgs { command })
}

/// `GET /api/deals`.
pub async fn deals() -> Response {
    run_request("deals", deal_request(DealCommand::List)).await
}

/// Query of `GET /api/deals/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealQuery {
    date: Option<String>,
}

/// `GET /api/deals/{id}[?date=YYYY-MM-DD]`: bundled deals only (no file paths over HTTP).
pub async fn deal(Path(id): Path<String>, q: Result<Query<DealQuery>, QueryRejection>) -> Response {
    let deal = match bundled("deal", &id, &deal_names()) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let q = match query(q) {
        Ok(q) => q,
        Err(r) => return *r,
    };
    run_request(
        "deals",
        deal_request(DealCommand::Show { deal, date: q.date }),
    )
    .await
}

/// A 404 for a name that is not bundled (boxed: a `Response` is large for an `Err`).
type NotBundled = Box<Response>;

/// The bundled name `name` among `bundled` (case-insensitive), or a 404 naming the choices.
fn bundled(what: &str, name: &str, bundled: &[&str]) -> Result<String, NotBundled> {
    bundled
        .iter()
        .find(|b| b.eq_ignore_ascii_case(name))
        .map(|b| (*b).to_string())
        .ok_or_else(|| {
            Box::new(error(
                StatusCode::NOT_FOUND,
                format!(
                    "no bundled {what} `{name}`: expected one of {} (files are not read over HTTP)",
                    bundled.join(", ")
                ),
            ))
        })
}

fn state_names() -> Vec<&'static str> {
    breakout_app::states::BUNDLED
        .iter()
        .map(|(id, _)| *id)
        .collect()
}

fn regime_names() -> Vec<&'static str> {
    breakout_app::regimes::BUNDLED
        .iter()
        .map(|(id, _)| *id)
        .collect()
}

fn deal_names() -> Vec<&'static str> {
    breakout_app::deals::BUNDLED
        .iter()
        .map(|(id, _)| *id)
        .collect()
}

/// `POST /api/breakout` with `{"state": NAME, ...fields}`: as `breakout run NAME ...`; or with
/// `{"state_toml": TEXT, ...fields}` on an uploaded state file's text. Never a path over HTTP.
pub async fn breakout(body: Bytes) -> Response {
    let args: RunArgs = match object(&body).and_then(|m| typed(Value::Object(m))) {
        Ok(a) => a,
        Err(m) => return bad_request(m),
    };
    let mut args = Box::new(args);
    match (&args.state, &args.state_toml) {
        (Some(_), Some(_)) => {
            return bad_request(
                "give either `state` (a bundled state name) or `state_toml` (the text of a state file), not both",
            );
        }
        (None, None) => {
            return bad_request(format!(
                "field `state` is required: a bundled state name, one of {}",
                state_names().join(", ")
            ));
        }
        (Some(name), None) => match bundled("state", name, &state_names()) {
            Ok(canonical) => args.state = Some(canonical),
            Err(r) => return *r,
        },
        (None, Some(_)) => {}
    }
    // A regime, like a state, is a bundled name over HTTP: never a path.
    if let Some(name) = &args.regime {
        match bundled("regime", name, &regime_names()) {
            Ok(canonical) => args.regime = Some(canonical),
            Err(r) => return *r,
        }
    }
    run_request("breakout", Request::Run(args)).await
}

/// `GET /api/history[?goal=&count=&model=]`: as `breakout history`.
pub async fn history(q: Result<Query<HistoryArgs>, QueryRejection>) -> Response {
    match query(q) {
        Ok(args) => run_request("history", Request::History(args)).await,
        Err(r) => *r,
    }
}

/// `GET /api/states`: the bundled states with their dates, titles and central estimates — the
/// document of `breakout history`.
pub async fn states() -> Response {
    run_request("history", Request::History(HistoryArgs::default())).await
}

/// Query of `GET /api/deals/{id}/check`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckQuery {
    state: Option<String>,
    date: Option<String>,
}

/// `GET /api/deals/{id}/check?state=NAME[&date=YYYY-MM-DD]`: as `breakout deal check ID NAME`.
/// A violation (the CLI's exit 1) is a finding, answered with 200 and the document.
pub async fn deal_check(
    Path(id): Path<String>,
    q: Result<Query<CheckQuery>, QueryRejection>,
) -> Response {
    let deal = match bundled("deal", &id, &deal_names()) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let q = match query(q) {
        Ok(q) => q,
        Err(r) => return *r,
    };
    let Some(name) = q.state else {
        return bad_request(format!(
            "query field `state` is required: a bundled state name, one of {}",
            state_names().join(", ")
        ));
    };
    let state = match bundled("state", &name, &state_names()) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let command = DealCommand::Check {
        deal,
        state,
        date: q.date,
    };
    run_request("deals", deal_request(command)).await
}

/// Query of `GET /api/deals/{id}/floor` and `GET /api/compare`: `FloorOptions`' fields, typed
/// here so that the query's text becomes numbers and names before it reaches the request, and
/// the fields of the one route that the other refuses by name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloorQuery {
    date: Option<String>,
    series: Option<Series>,
    deals: Option<String>,
    goal: Option<GoalArg>,
    reinstall_cascades_per_month: Option<f64>,
    weaponization_months: Option<MonthRange>,
    model: Option<String>,
    percentile: Option<f64>,
    samples: Option<usize>,
    seed: Option<u64>,
}

impl FloorQuery {
    /// The options, clap's defaults where the query says nothing (an absent rate or range is
    /// `None` in `FloorOptions` too: the command fills in its default).
    fn options(&self) -> FloorOptions {
        FloorOptions {
            goal: self.goal.unwrap_or(FloorOptions::default().goal),
            reinstall_cascades_per_month: self.reinstall_cascades_per_month,
            weaponization_months: self.weaponization_months,
            model: self
                .model
                .clone()
                .unwrap_or_else(|| FloorOptions::default().model),
        }
    }
}

/// `GET /api/deals/{id}/floor[?goal=&reinstall_cascades_per_month=&series=&date=&weaponization_months=&model=&percentile=&samples=&seed=]`:
/// as `breakout deal floor ID ...`.
pub async fn deal_floor(
    Path(id): Path<String>,
    q: Result<Query<FloorQuery>, QueryRejection>,
) -> Response {
    let deal = match bundled("deal", &id, &deal_names()) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let q = match query(q) {
        Ok(q) => q,
        Err(r) => return *r,
    };
    if q.deals.is_some() {
        return bad_request("unknown query field `deals` (that is /api/compare's)");
    }
    let command = DealCommand::Floor {
        deal,
        options: q.options(),
        date: q.date,
        series: q.series.unwrap_or_default(),
        percentile: PercentileOptions {
            percentile: q.percentile,
            samples: q.samples,
            seed: q.seed,
        },
    };
    run_request("deals", deal_request(command)).await
}

/// Query of `GET /api/deal/design`: `DesignArgs`' fields, typed here; the repeatable
/// `--machines` and the list `--fates` are comma-separated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignQuery {
    min_months: Option<f64>,
    if_broken: Option<bool>,
    space: Option<String>,
    base_state: Option<String>,
    cap_wt_pct: Option<String>,
    stock_cap_kg: Option<String>,
    machines: Option<String>,
    fates: Option<String>,
    goal: Option<GoalArg>,
    reinstall_cascades_per_month: Option<f64>,
    percentile: Option<f64>,
    samples: Option<usize>,
    seed: Option<u64>,
}

impl DesignQuery {
    /// The typed arguments, the command's defaults where the query says nothing.
    fn args(self) -> Result<DesignArgs, String> {
        let list = |s: Option<String>| -> Option<Vec<String>> {
            s.map(|s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(String::from)
                    .collect()
            })
        };
        let d = DesignArgs::default();
        Ok(DesignArgs {
            min_months: self.min_months.unwrap_or(d.min_months),
            if_broken: self.if_broken.unwrap_or(d.if_broken),
            space: self.space,
            base_state: self.base_state,
            cap_wt_pct: self
                .cap_wt_pct
                .map(|s| s.parse::<NumList<f64>>())
                .transpose()
                .map_err(|e| format!("field `cap_wt_pct`: {e}"))?,
            stock_cap_kg: self.stock_cap_kg,
            machines: list(self.machines).unwrap_or_default(),
            fates: list(self.fates),
            goal: self.goal.unwrap_or(d.goal),
            reinstall_cascades_per_month: self.reinstall_cascades_per_month,
            percentile: self.percentile,
            samples: self.samples,
            seed: self.seed,
        })
    }
}

/// `GET /api/deal/design[?min_months=&if_broken=&cap_wt_pct=&stock_cap_kg=&machines=&fates=&percentile=&samples=&seed=...]`:
/// as `breakout deal design ...`, on bundled spaces and states only and within the server's
/// caps on candidates and draws ([`check_design`]).
pub async fn deal_design(q: Result<Query<DesignQuery>, QueryRejection>) -> Response {
    let q = match query(q) {
        Ok(q) => q,
        Err(r) => return *r,
    };
    match q.args() {
        Ok(a) => run_request("design", deal_request(DealCommand::Design(a))).await,
        Err(m) => bad_request(m),
    }
}

/// `GET /api/compare[?deals=a,b&goal=&reinstall_cascades_per_month=&weaponization_months=&model=]`: as
/// `breakout deal compare [DEALS] ...` (bundled deals only).
pub async fn compare(q: Result<Query<FloorQuery>, QueryRejection>) -> Response {
    let q = match query(q) {
        Ok(q) => q,
        Err(r) => return *r,
    };
    if let Some(f) = [
        ("date", q.date.is_some()),
        ("series", q.series.is_some()),
        ("percentile", q.percentile.is_some()),
        ("samples", q.samples.is_some()),
        ("seed", q.seed.is_some()),
    ]
    .iter()
    .find(|(_, given)| *given)
    {
        return bad_request(format!("unknown query field `{}`", f.0));
    }
    let mut deals = Vec::new();
    for name in q
        .deals
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.trim().is_empty())
    {
        match bundled("deal", name.trim(), &deal_names()) {
            Ok(d) => deals.push(d),
            Err(r) => return *r,
        }
    }
    let command = DealCommand::Compare {
        deals,
        options: q.options(),
    };
    run_request("deals", deal_request(command)).await
}

/// `POST /api/cascade/run` with `{"cascade": NAME, ...fields}`: as `breakout cascade run NAME
/// ...` for a bundled cascade.
pub async fn cascade_run(body: Bytes) -> Response {
    let mut fields = match object(&body) {
        Ok(m) => m,
        Err(m) => return bad_request(m),
    };
    let names: Vec<&str> = breakout_app::data::BUNDLED_CASCADES
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let Some(name) = fields.get("cascade").and_then(Value::as_str) else {
        return bad_request(format!(
            "field `cascade` is required: a bundled cascade, one of {}",
            names.join(", ")
        ));
    };
    match bundled("cascade", name, &names) {
        Ok(canonical) => fields.insert("cascade".into(), Value::String(canonical)),
        Err(r) => return *r,
    };
    post_fields("cascade", &["cascade", "command", "run"], fields).await
}

/// Runs the request at `path` made of `fields`.
async fn post_fields(route: &str, path: &[&str], fields: Map<String, Value>) -> Response {
    match request_at(path, fields) {
        Ok(request) => run_request(route, request).await,
        Err(m) => bad_request(m),
    }
}

/// A known path with a method it does not answer.
pub async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this route: the API's computations are POST with a JSON body, its listings GET",
    )
}

/// Any other path.
pub async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such route: see /api/health, /api/breakout, /api/history, /api/states, /api/swu, /api/swu/{plan,cost,tails,yield}, /api/convert, /api/machines, /api/deals, /api/deals/{id}/check, /api/deals/{id}/floor, /api/deal/design, /api/compare, /api/cascade/run, /api/safeguards/{sub}",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use breakout_app::execute;
    use tower::ServiceExt;

    /// The router with a time limit far above any test's need: the tests prove behaviour, not
    /// the speed of a debug build on a busy machine.
    fn test_router() -> axum::Router {
        super::super::router_with(super::super::ServerConfig {
            timeout: Duration::from_secs(600),
            ..super::super::ServerConfig::default()
        })
    }

    async fn call(method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let res = test_router().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = to_bytes(res.into_body(), 1 << 20).await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// The command line the CLI parses: the tests compare the server's typed requests and
    /// answers with clap's.
    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(subcommand)]
        command: Option<breakout_app::Request>,
    }

    /// clap's typed request for `argv`.
    fn parsed(argv: &[&str]) -> breakout_app::Request {
        <Cli as clap::Parser>::try_parse_from(argv)
            .unwrap()
            .command
            .unwrap()
    }

    /// The typed request the server reads from `body` at `path` is the one clap parses from
    /// the equivalent command line.
    #[test]
    fn json_and_flags_give_the_same_request() {
        for (path, body, argv) in [
            (
                &["swu", "command", "plan"][..],
                r#"{"product_kg_u": 25, "product_wt_pct": 90, "stock": ["408.6@60", "5000@3.67"], "tails": "optimal"}"#,
                &[
                    "breakout",
                    "swu",
                    "plan",
                    "--product-kg-u",
                    "25",
                    "--product-wt-pct",
                    "90",
                    "--stock",
                    "408.6@60",
                    "--stock",
                    "5000@3.67",
                    "--tails",
                    "optimal",
                ][..],
            ),
            (
                &["safeguards", "command", "sequence"][..],
                r#"{"muf": "3,-2,7,4", "sigma_inventory_kg": "4,5,5,5,4", "sigma_transfer_kg": "6"}"#,
                &[
                    "breakout",
                    "safeguards",
                    "sequence",
                    "--muf",
                    "3,-2,7,4",
                    "--sigma-inventory-kg",
                    "4,5,5,5,4",
                    "--sigma-transfer-kg",
                    "6",
                ][..],
            ),
            (
                &["convert"][..],
                r#"{"value": 300, "unit": "kg-uf6", "wt_pct": 3.67, "to": "kg-u"}"#,
                &[
                    "breakout", "convert", "300", "kg-uf6", "--wt-pct", "3.67", "--to", "kg-u",
                ][..],
            ),
            (
                &["run"][..],
                r#"{"state": "iran-2025-05", "site": ["fordow"], "swu_per_machine": ["IR-6=3.5"], "weaponization_months": "6..18", "goal": "wgu"}"#,
                &[
                    "breakout",
                    "run",
                    "iran-2025-05",
                    "--site",
                    "fordow",
                    "--swu-per-machine",
                    "IR-6=3.5",
                    "--weaponization-months",
                    "6..18",
                    "--goal",
                    "wgu",
                ][..],
            ),
        ] {
            let fields: Map<String, Value> = serde_json::from_str(body).unwrap();
            let json = request_at(path, fields).unwrap();
            assert_eq!(
                serde_json::to_string(&json).unwrap(),
                serde_json::to_string(&parsed(argv)).unwrap(),
                "{body}"
            );
        }
    }

    /// Regressions of the argv-building server: an empty key was a bare `--` that turned the
    /// next field into a file name; caps were checked on JSON numbers only, so a string or a
    /// list slipped past them.
    #[tokio::test]
    async fn fields_are_typed_not_flags() {
        for (uri, body, needle) in [
            (
                "/api/safeguards/sequence",
                r#"{"": true, "muf": "3"}"#,
                "unknown field ``",
            ),
            (
                "/api/breakout",
                r#"{"state": "iran-2025-05", "samples": "20001"}"#,
                "samples",
            ),
            (
                "/api/breakout",
                r#"{"state": "iran-2025-05", "samples": ["20001"]}"#,
                "samples",
            ),
            (
                "/api/breakout",
                r#"{"state": "iran-2025-05", "samples": 20001}"#,
                "field `samples`: 20001 exceeds the server's cap of 20000",
            ),
            (
                "/api/safeguards/plant",
                r#"{"swu_per_yr": 1e6, "sequences": "200001"}"#,
                "sequences",
            ),
            (
                "/api/safeguards/plant",
                r#"{"swu_per_yr": 1e6, "sequences": 200001}"#,
                "field `sequences`: 200001 exceeds the server's cap of 200000",
            ),
            (
                "/api/breakout",
                r#"{"state": "iran-2025-05", "colour": 1}"#,
                "unknown field `colour`",
            ),
            (
                "/api/safeguards/detect",
                r#"{"loss_kg": "75", "sigma_kg": 20}"#,
                "field `loss_kg`: invalid type: string \"75\"",
            ),
            (
                "/api/safeguards/sequence",
                r#"{"file": "/etc/passwd"}"#,
                "names a file",
            ),
        ] {
            let (s, j) = call("POST", uri, body).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{uri} {body}: {j}");
            assert!(
                j["error"].as_str().is_some_and(|e| e.contains(needle)),
                "{uri} {body}: {j}"
            );
        }
    }

    /// The API answers what `breakout swu ... --json` prints.
    #[tokio::test]
    async fn swu_matches_the_cli_document() {
        let (s, j) = call(
            "POST",
            "/api/swu",
            r#"{"product_wt_pct": 90, "tails_wt_pct": 0.3, "product_kg_u": 25}"#,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{j}");
        assert_eq!(j["command"], "swu");
        assert!(
            (j["results"]["separative_work_swu"].as_f64().unwrap() - 4823.44).abs() < 0.01,
            "{j}"
        );
        let argv = [
            "breakout",
            "swu",
            "--product-wt-pct",
            "90",
            "--tails-wt-pct",
            "0.3",
            "--product-kg-u",
            "25",
        ];
        let (cli_report, _) = execute(parsed(&argv)).unwrap();
        // Both through the same text round trip (serde_json's float parsing is not bit-exact).
        let cli: Value = serde_json::from_str(&cli_report.to_json().to_string()).unwrap();
        assert_eq!(j, cli);
    }

    #[tokio::test]
    async fn every_route_answers() {
        for (method, uri, body, key) in [
            ("GET", "/api/health", "", "status"),
            (
                "POST",
                "/api/swu/plan",
                r#"{"product_kg_u": 25, "product_wt_pct": 90, "stock": ["408.6@60"], "tails": "optimal"}"#,
                "results",
            ),
            (
                "POST",
                "/api/swu/cost",
                r#"{"product_wt_pct": 4.5, "feed_usd_per_kg_u": 100, "usd_per_swu": 100}"#,
                "results",
            ),
            (
                "POST",
                "/api/swu/tails",
                r#"{"product_wt_pct": 3.5, "feed_kg_u": 100, "product_kg_u": 10}"#,
                "results",
            ),
            (
                "POST",
                "/api/swu/yield",
                r#"{"product_wt_pct": 90, "swu": 100, "feed_kg_u": 100, "tails_wt_pct": 0.3}"#,
                "results",
            ),
            (
                "POST",
                "/api/convert",
                r#"{"value": 300, "unit": "kg-uf6", "wt_pct": 3.67, "to": "kg-u"}"#,
                "results",
            ),
            ("GET", "/api/machines", "", "results"),
            ("GET", "/api/machines/IR-6", "", "results"),
            (
                "POST",
                "/api/safeguards/detect",
                r#"{"loss_kg": 75, "sigma_kg": 20}"#,
                "results",
            ),
            (
                "POST",
                "/api/safeguards/sample",
                r#"{"items": 200, "defects": 2, "beta": 0.1}"#,
                "results",
            ),
            (
                "POST",
                "/api/safeguards/page-threshold",
                r#"{"k": 0.5, "periods": 12, "alpha": 0.05}"#,
                "results",
            ),
            (
                "POST",
                "/api/safeguards/plant",
                r#"{"swu_per_yr": 100000, "sequences": 2000, "seed": 7}"#,
                "results",
            ),
            (
                "POST",
                "/api/safeguards/sequence",
                r#"{"muf": "3,-2,7,4", "sigma_inventory_kg": "4,5,5,5,4", "sigma_transfer_kg": "6"}"#,
                "results",
            ),
            ("GET", "/api/deals", "", "results"),
            (
                "GET",
                "/api/deals/jcpoa-2015?date=2020-01-01",
                "",
                "results",
            ),
        ] {
            let (s, j) = call(method, uri, body).await;
            assert_eq!(s, StatusCode::OK, "{uri}: {j}");
            assert!(j.get(key).is_some(), "{uri}: {j}");
        }
    }

    /// Each error path: a 4xx with the CLI's message, never a panic or a 5xx.
    #[tokio::test]
    async fn errors_are_4xx_with_the_cli_text() {
        let big = format!(
            r#"{{"product_wt_pct": 90, "pad": "{}"}}"#,
            "x".repeat(MAX_BODY_BYTES)
        );
        for (method, uri, body, status, needle) in [
            (
                "POST",
                "/api/swu",
                r#"{"product_wt_pct": 90, "tails_wt_pct": 0.9, "product_kg_u": 1}"#,
                400,
                "tails < feed < product",
            ),
            (
                "POST",
                "/api/swu",
                r#"{"product_wt_pct": 90, "tails_wt_pct": 0.3}"#,
                400,
                "--product-kg-u",
            ),
            (
                "POST",
                "/api/swu",
                r#"{"product_wt_pct": 90, "colour": 1}"#,
                400,
                "unknown field `colour`",
            ),
            (
                "POST",
                "/api/swu",
                r#"{"product_wt_pct": 90,"#,
                400,
                "malformed JSON",
            ),
            ("POST", "/api/swu", r#"[1, 2]"#, 400, "JSON object"),
            ("POST", "/api/swu", big.as_str(), 413, ""),
            (
                "POST",
                "/api/swu/plan",
                r#"{"product_kg_u": 25, "product_wt_pct": 90, "stock": ["408.6@60"], "tails": "optimal", "samples": 1000000}"#,
                400,
                "unknown field `samples`",
            ),
            ("POST", "/api/swu/nope", "{}", 404, "expected plan"),
            (
                "POST",
                "/api/safeguards/plant",
                r#"{"swu_per_yr": 1e6, "sequences": 10000000}"#,
                400,
                "cap",
            ),
            (
                "POST",
                "/api/safeguards/plant",
                r#"{"swu_per_yr": 1e6, "instruments": "/etc/passwd"}"#,
                400,
                "names a file",
            ),
            (
                "POST",
                "/api/safeguards/detect",
                r#"{"loss_kg": 75, "sigma_kg": -20}"#,
                400,
                "-20",
            ),
            ("POST", "/api/safeguards/nope", "{}", 404, "expected detect"),
            (
                "POST",
                "/api/convert",
                r#"{"value": -1, "unit": "kg-u", "wt_pct": 3, "to": "kg-uf6"}"#,
                400,
                "≥ 0",
            ),
            ("GET", "/api/machines/IR-99", "", 400, "IR-99"),
            ("GET", "/api/deals/nope", "", 404, "nope"),
            (
                "GET",
                "/api/deals/jcpoa-2015?date=2020-02-30",
                "",
                400,
                "no such day",
            ),
            ("GET", "/api/deals/jcpoa-2015?colour=1", "", 400, ""),
            ("GET", "/nowhere", "", 404, "no such route"),
        ] {
            let (s, j) = call(method, uri, body).await;
            assert_eq!(s.as_u16(), status, "{uri} {body:.60}: {j}");
            if !needle.is_empty() {
                assert!(
                    j["error"].as_str().is_some_and(|e| e.contains(needle)),
                    "{uri}: {j}"
                );
            }
        }
    }

    /// `POST /api/breakout` answers what `breakout run NAME ... --json` prints.
    #[tokio::test]
    async fn breakout_matches_the_cli_document() {
        let (s, j) = call(
            "POST",
            "/api/breakout",
            r#"{"state": "IRAN-2025-05", "swu_per_machine": ["IR-6=3.5"], "setup_days_per_step": 14}"#,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{j}");
        let argv = [
            "breakout",
            "run",
            "iran-2025-05",
            "--setup-days-per-step",
            "14",
            "--swu-per-machine",
            "IR-6=3.5",
        ];
        let (cli_report, _) = execute(parsed(&argv)).unwrap();
        let cli: Value = serde_json::from_str(&cli_report.to_json().to_string()).unwrap();
        assert_eq!(j, cli);
        // The cached second answer is the same document.
        let (_, again) = call(
            "POST",
            "/api/breakout",
            r#"{"state": "iran-2025-05", "setup_days_per_step": 14, "swu_per_machine": ["IR-6=3.5"]}"#,
        )
        .await;
        assert_eq!(again, cli);
    }

    /// Each deal GET route builds the typed request clap parses from the equivalent command line,
    /// so it answers exactly what `breakout deal ... --json` prints.
    #[tokio::test]
    async fn deal_routes_match_the_cli_document() {
        for (uri, argv) in [
            ("/api/deals", &["deal", "list"][..]),
            ("/api/deals/JCPOA-2015", &["deal", "show", "jcpoa-2015"]),
            (
                "/api/deals/jcpoa-2015?date=2020-01-01",
                &["deal", "show", "jcpoa-2015", "--date", "2020-01-01"],
            ),
            (
                "/api/deals/jcpoa-2015/check?state=jcpoa-2016&date=2016-06-01",
                &[
                    "deal",
                    "check",
                    "jcpoa-2015",
                    "jcpoa-2016",
                    "--date",
                    "2016-06-01",
                ],
            ),
            (
                "/api/deals/jcpoa-2015/floor?series=none&goal=wgu&reinstall_cascades_per_month=3&weaponization_months=6..18",
                &[
                    "deal",
                    "floor",
                    "jcpoa-2015",
                    "--series",
                    "none",
                    "--goal",
                    "wgu",
                    "--reinstall-cascades-per-month",
                    "3",
                    "--weaponization-months",
                    "6..18",
                ],
            ),
            (
                "/api/compare?deals=jcpoa-2015&goal=wgu",
                &["deal", "compare", "jcpoa-2015", "--goal", "wgu"],
            ),
            (
                "/api/deals/jcpoa-reimposed-2025/floor?series=none&percentile=10&samples=100&seed=4",
                &[
                    "deal",
                    "floor",
                    "jcpoa-reimposed-2025",
                    "--series",
                    "none",
                    "--percentile",
                    "10",
                    "--samples",
                    "100",
                    "--seed",
                    "4",
                ],
            ),
            (
                "/api/deal/design?cap_wt_pct=3.67&stock_cap_kg=300..900:300&machines=fep:IR-1=5060,fep:IR-2m=0,fordow:IR-6=0&fates=destroyed,stored&if_broken=true&min_months=6&percentile=10&samples=50",
                &[
                    "deal",
                    "design",
                    "--cap-wt-pct",
                    "3.67",
                    "--stock-cap-kg",
                    "300..900:300",
                    "--machines",
                    "fep:IR-1=5060",
                    "--machines",
                    "fep:IR-2m=0",
                    "--machines",
                    "fordow:IR-6=0",
                    "--fates",
                    "destroyed,stored",
                    "--if-broken",
                    "--min-months",
                    "6",
                    "--percentile",
                    "10",
                    "--samples",
                    "50",
                ],
            ),
        ] {
            let (s, j) = call("GET", uri, "").await;
            assert_eq!(s, StatusCode::OK, "{uri}: {j}");
            let argv: Vec<&str> = std::iter::once("breakout")
                .chain(argv.iter().copied())
                .collect();
            let (cli_report, _) = execute(parsed(&argv)).unwrap();
            let cli: Value = serde_json::from_str(&cli_report.to_json().to_string()).unwrap();
            assert_eq!(j, cli, "{uri}");
        }
    }

    /// `GET /api/deal/design` reads no file: a path (or any unbundled name) in `space` or
    /// `base_state` is a 400, as are a space above the server's cap on candidates, too many
    /// draws, and a bad lever; the bundled space is CLI-only at its full size.
    #[tokio::test]
    async fn deal_design_refuses_paths_and_large_spaces() {
        let small = "cap_wt_pct=3.67&stock_cap_kg=300&machines=fep:IR-1=5060";
        for (uri, needle) in [
            (
                "/api/deal/design?space=/etc/passwd".to_string(),
                "field `space`: `/etc/passwd` is not a bundled id",
            ),
            (
                format!("/api/deal/design?{small}&space=data/design/2025.toml"),
                "files are not read over HTTP",
            ),
            (
                format!("/api/deal/design?{small}&base_state=/etc/hosts"),
                "field `base_state`: `/etc/hosts` is not a bundled id",
            ),
            (
                format!("/api/deal/design?{small}&base_state=../data/states/iran-2025-05.toml"),
                "field `base_state`",
            ),
            (
                "/api/deal/design".to_string(),
                "27300 candidate deals, more than the server's cap of 2000",
            ),
            (
                format!("/api/deal/design?{small}&percentile=10&samples=5000"),
                "field `samples`: 5000 draws per candidate exceeds the server's cap of 1000",
            ),
            (
                format!("/api/deal/design?{small}&samples=10"),
                "--samples requires --percentile",
            ),
            (
                "/api/deal/design?cap_wt_pct=3.67,x".to_string(),
                "field `cap_wt_pct`",
            ),
            (
                "/api/deal/design?stock_cap_kg=0..100".to_string(),
                "--stock-cap-kg",
            ),
            (
                "/api/deal/design?flag=1".to_string(),
                "unknown field `flag`",
            ),
            ("/api/compare?percentile=10".to_string(), "percentile"),
        ] {
            let (s, j) = call("GET", &uri, "").await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {j}");
            assert!(
                j["error"].as_str().is_some_and(|e| e.contains(needle)),
                "{uri}: {j}"
            );
        }
    }

    /// An uploaded state (its TOML text) gives the answer its bundled file gives;
    /// a broken upload is a 400 that locates the error in the text.
    #[tokio::test]
    async fn breakout_on_an_uploaded_state() {
        let text = include_str!("../../../../data/states/iran-2020-02.toml");
        let body = json!({"state_toml": text, "goal": "wgu"}).to_string();
        let (s, up) = call("POST", "/api/breakout", &body).await;
        assert_eq!(s, StatusCode::OK, "{up}");
        let (_, named) = call(
            "POST",
            "/api/breakout",
            r#"{"state": "iran-2020-02", "goal": "wgu"}"#,
        )
        .await;
        assert_eq!(up["results"], named["results"]);

        let broken = text.replacen("as_of = ", "as_of = = ", 1);
        let (s, j) = call(
            "POST",
            "/api/breakout",
            &json!({"state_toml": broken}).to_string(),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let msg = j.to_string();
        assert!(
            msg.contains("uploaded state") && msg.contains("as_of"),
            "{msg}"
        );

        for (body, want) in [
            (
                json!({"state_toml": text, "state": "iran-2020-02"}),
                "not both",
            ),
            (json!({"state_toml": 7}), "field `state_toml`: invalid type"),
        ] {
            let (s, j) = call("POST", "/api/breakout", &body.to_string()).await;
            assert_eq!(s, StatusCode::BAD_REQUEST);
            assert!(j.to_string().contains(want), "{j}");
        }
    }

    #[test]
    fn only_seeded_or_deterministic_answers_are_kept() {
        assert!(cacheable(&parsed(&["breakout", "run", "iran-2025-05"])));
        assert!(!cacheable(&parsed(&[
            "breakout",
            "run",
            "x",
            "--samples",
            "9"
        ])));
        assert!(cacheable(&parsed(&[
            "breakout",
            "run",
            "x",
            "--samples",
            "9",
            "--seed",
            "1"
        ])));
        assert!(!cacheable(&parsed(&[
            "breakout",
            "safeguards",
            "plant",
            "--swu-per-yr",
            "1000"
        ])));
        assert!(cacheable(&parsed(&[
            "breakout",
            "safeguards",
            "plant",
            "--swu-per-yr",
            "1000",
            "--seed",
            "3"
        ])));
    }

    /// Every new route answers 200 with the command's document; a deal violation (the CLI's exit
    /// 1) is a finding, still a 200.
    #[tokio::test]
    async fn workbench_routes_answer() {
        for (method, uri, body, command, key) in [
            (
                "POST",
                "/api/breakout",
                r#"{"state": "jcpoa-2016", "goal": "wgu", "reinstall_cascades_per_month": 6.3}"#,
                "run",
                "production_curve",
            ),
            (
                "POST",
                "/api/breakout",
                r#"{"state": "iran-2025-05", "samples": 200, "seed": 7}"#,
                "run",
                "tornado",
            ),
            ("GET", "/api/history?goal=wgu", "", "history", "states"),
            ("GET", "/api/states", "", "history", "states"),
            (
                "GET",
                "/api/deals/jcpoa-2015/check?state=iran-2025-05",
                "",
                "deal check",
                "findings",
            ),
            (
                "GET",
                "/api/deals/jcpoa-2015/check?state=jcpoa-2016&date=2016-06-01",
                "",
                "deal check",
                "findings",
            ),
            (
                "GET",
                "/api/deals/jcpoa-2015/floor?series=none&goal=wgu&reinstall_cascades_per_month=3",
                "",
                "deal floor",
                "first_sq_days",
            ),
            (
                "GET",
                "/api/compare?deals=jcpoa-2015,zero-enrichment",
                "",
                "deal compare",
                "positions",
            ),
            (
                "POST",
                "/api/cascade/run",
                r#"{"cascade": "ir6-174", "feed_wt_pct": "20", "recycle": 3}"#,
                "cascade run",
                "recycle",
            ),
        ] {
            let (s, j) = call(method, uri, body).await;
            assert_eq!(s, StatusCode::OK, "{uri}: {j}");
            assert_eq!(j["command"], command, "{uri}: {j:.200}");
            assert!(j["results"].get(key).is_some(), "{uri}: {j:.300}");
        }
        let (_, j) = call("GET", "/api/deals/jcpoa-2015/check?state=iran-2025-05", "").await;
        assert!(j["results"]["violations"].as_f64().unwrap() > 0.0, "{j}");
    }

    /// The new routes' error paths: 4xx with the CLI's text, files refused.
    #[tokio::test]
    async fn workbench_errors_are_4xx() {
        for (method, uri, body, status, needle) in [
            (
                "POST",
                "/api/breakout",
                "{}",
                400,
                "field `state` is required",
            ),
            (
                "POST",
                "/api/breakout",
                r#"{"state": "/etc/passwd"}"#,
                404,
                "no bundled state",
            ),
            (
                "POST",
                "/api/breakout",
                r#"{"state": "iran-2025-05", "regime": "/etc/passwd"}"#,
                404,
                "no bundled regime",
            ),
            (
                "POST",
                "/api/breakout",
                r#"{"state": "iran-2025-05", "samples": 50000}"#,
                400,
                "cap",
            ),
            (
                "POST",
                "/api/breakout",
                r#"{"state": "iran-2025-05", "setup_days_per_step": -3}"#,
                400,
                "--setup-days-per-step",
            ),
            (
                "POST",
                "/api/breakout",
                r#"{"state": "iran-2025-05", "swu_per_machine": ["IR-99=3"]}"#,
                400,
                "IR-99",
            ),
            (
                "POST",
                "/api/breakout",
                r#"{"state": "iran-2025-05", "goal": "bomb"}"#,
                400,
                "bomb",
            ),
            ("GET", "/api/history?goal=bomb", "", 400, "bomb"),
            (
                "GET",
                "/api/deals/jcpoa-2015/check",
                "",
                400,
                "`state` is required",
            ),
            (
                "GET",
                "/api/deals/jcpoa-2015/check?state=nowhere",
                "",
                404,
                "no bundled state",
            ),
            (
                "GET",
                "/api/deals/nope/check?state=iran-2025-05",
                "",
                404,
                "no bundled deal",
            ),
            (
                "GET",
                "/api/deals/jcpoa-2015/check?state=iran-2025-05&date=2025-13-01",
                "",
                400,
                "2025-13-01",
            ),
            ("GET", "/api/deals/nope/floor", "", 404, "no bundled deal"),
            (
                "GET",
                "/api/deals/jcpoa-2015/floor?reinstall_cascades_per_month=-1",
                "",
                400,
                "-1",
            ),
            // Refused as on the command line (the query once went through JSON, where a NaN
            // became null and so the default rate).
            (
                "GET",
                "/api/deals/jcpoa-2015/floor?reinstall_cascades_per_month=NaN",
                "",
                400,
                "expected a rate",
            ),
            (
                "GET",
                "/api/deals/jcpoa-2015/floor?series=none&model=fastest",
                "",
                400,
                "--model = fastest is invalid",
            ),
            ("GET", "/api/compare?deals=jcpoa-2015,../x", "", 404, "../x"),
            (
                "POST",
                "/api/cascade/run",
                "{}",
                400,
                "`cascade` is required",
            ),
            (
                "POST",
                "/api/cascade/run",
                r#"{"cascade": "ir9-1"}"#,
                404,
                "no bundled cascade",
            ),
            (
                "POST",
                "/api/cascade/run",
                r#"{"cascade": "ir6-174", "recycle": 0}"#,
                400,
                "recycle",
            ),
        ] {
            let (s, j) = call(method, uri, body).await;
            assert_eq!(s.as_u16(), status, "{uri} {body}: {j}");
            assert!(
                j["error"].as_str().is_some_and(|e| e.contains(needle)),
                "{uri} {body}: {j}"
            );
        }
    }

    /// A request on `router` with headers, answering status, headers and JSON.
    async fn call_on(
        router: axum::Router,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: String,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = router
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = to_bytes(res.into_body(), 1 << 22).await.unwrap();
        (
            status,
            headers,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// After each fix the server still answers its health check and a normal estimate.
    async fn still_answers() {
        let (s, j) = call("GET", "/api/health", "").await;
        assert_eq!(s, StatusCode::OK, "{j}");
        let (s, j) = call("POST", "/api/breakout", r#"{"state": "iran-2025-05"}"#).await;
        assert_eq!(s, StatusCode::OK, "{j}");
        assert!(j["results"]["first_sq_days"].as_f64().unwrap() > 0.0);
    }

    /// Defect 1: counts that size an allocation are refused with a JSON 400 naming the field,
    /// the value and the maximum, before anything is allocated (these used to abort the server).
    #[tokio::test]
    async fn oversized_counts_are_refused_before_any_allocation() {
        let long_muf = vec!["0"; 15_000].join(",");
        let sequence =
            json!({"muf": long_muf, "sigma_inventory_kg": "4", "sigma_transfer_kg": "6"})
                .to_string();
        assert!(sequence.len() < MAX_BODY_BYTES);
        let ok_len = vec!["0"; 2_000].join(",");
        let sequence_2000 =
            json!({"muf": ok_len, "sigma_inventory_kg": "4", "sigma_transfer_kg": "6"}).to_string();
        for (uri, body, needles) in [
            (
                "/api/safeguards/page-threshold",
                r#"{"k":0.5,"periods":4294967296,"alpha":0.05}"#.to_string(),
                &["`periods`", "4294967296", "10000"][..],
            ),
            (
                "/api/safeguards/plant",
                r#"{"swu_per_yr": 100000, "periods_per_year": 100000}"#.to_string(),
                &["`periods_per_year`", "100000", "366"][..],
            ),
            (
                "/api/safeguards/plant",
                r#"{"swu_per_yr": 100000, "sequences": 18446744073709551615}"#.to_string(),
                &["`sequences`", "18446744073709551615"][..],
            ),
            (
                "/api/breakout",
                r#"{"state": "iran-2025-05", "samples": 18446744073709551615}"#.to_string(),
                &["`samples`", "18446744073709551615"][..],
            ),
            (
                "/api/safeguards/sequence",
                sequence,
                &["`muf`", "15000", "10000"][..],
            ),
            (
                "/api/safeguards/sequence",
                sequence_2000,
                &["MiB", "budget"][..],
            ),
            (
                "/api/safeguards/sample",
                r#"{"items": 18446744073709551615, "defects": 1, "beta": 0.1}"#.to_string(),
                &["`items`"][..],
            ),
            (
                "/api/cascade/run",
                r#"{"cascade": "ir6-174", "recycle": 4294967296}"#.to_string(),
                &["`recycle`", "1000"][..],
            ),
        ] {
            let (s, j) = call("POST", uri, &body).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {j}");
            let e = j["error"].as_str().unwrap_or_default();
            for n in needles {
                assert!(e.contains(n), "{uri}: {e}");
            }
        }
        let (s, j) = call("GET", "/api/history?count=4294967295", "").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{j}");
        assert!(j["error"].as_str().unwrap().contains("`count`"), "{j}");
        still_answers().await;
    }

    /// Defects 2 and 4: a request past its (tiny) time limit answers 503, and its computation is
    /// cancelled so its permit is freed at once: more timed-out requests than there are permits
    /// do not keep the next request waiting.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_timed_out_computation_is_cancelled_and_frees_its_core() {
        let quick = super::super::router_with(super::super::ServerConfig {
            timeout: Duration::from_millis(300),
            ..super::super::ServerConfig::default()
        });
        let heavy = r#"{"k":0.5,"periods":10000,"alpha":0.05}"#;
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let r = quick.clone();
            tasks.push(tokio::spawn(async move {
                call_on(
                    r,
                    "POST",
                    "/api/safeguards/page-threshold",
                    &[],
                    heavy.to_string(),
                )
                .await
            }));
        }
        for t in tasks {
            let (s, _, j) = t.await.unwrap();
            assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{j}");
            assert!(j["error"].as_str().unwrap().contains("longer than"), "{j}");
        }
        // Each of those would compute for minutes if not cancelled, holding every permit.
        let start = std::time::Instant::now();
        let (s, j) = call(
            "POST",
            "/api/safeguards/page-threshold",
            r#"{"k":0.5,"periods":12,"alpha":0.05}"#,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{j}");
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited {:?} for a permit",
            start.elapsed()
        );
        still_answers().await;
    }

    /// Defect 3: the router's own rejections are JSON like every other error, and every
    /// response says `nosniff`.
    #[tokio::test]
    async fn rejections_are_json_and_every_answer_says_nosniff() {
        let big = format!(r#"{{"pad": "{}"}}"#, "x".repeat(MAX_BODY_BYTES));
        for (method, uri, body, status) in [
            ("GET", "/api/swu", String::new(), 405),
            ("DELETE", "/api/breakout", String::new(), 405),
            ("POST", "/api/swu", big, 413),
            ("GET", "/nowhere", String::new(), 404),
            ("GET", "/api/history?count=abc", String::new(), 400),
            ("GET", "/api/health", String::new(), 200),
            ("GET", "/", String::new(), 200),
        ] {
            let (s, h, j) = call_on(test_router(), method, uri, &[], body).await;
            assert_eq!(s.as_u16(), status, "{method} {uri}: {j}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{method} {uri}");
            if status != 200 {
                assert!(
                    j["error"].as_str().is_some_and(|e| !e.is_empty()),
                    "{uri}: {j}"
                );
            }
        }
        still_answers().await;
    }

    /// Defect 3: only the server's own names are served, so a page on another origin whose name
    /// resolves to 127.0.0.1 (DNS rebinding) cannot drive the API.
    #[tokio::test]
    async fn only_the_servers_own_host_names_are_answered() {
        let addr: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let router = || {
            super::super::router_with(super::super::ServerConfig {
                hosts: super::super::HostPolicy::for_addr(addr),
                ..super::super::ServerConfig::default()
            })
        };
        for (host, status) in [
            (Some("localhost:8080"), 200),
            (Some("127.0.0.1:8080"), 200),
            (Some("[::1]:8080"), 200),
            (Some("LOCALHOST:8080"), 200),
            (Some("evil.example:8080"), 403),
            (Some("localhost:9999"), 403),
            (Some("localhost"), 403),
            (Some("127.0.0.1.evil.example:8080"), 403),
            (None, 403),
        ] {
            let headers: Vec<(&str, &str)> = host.iter().map(|h| ("host", *h)).collect();
            let (s, h, j) = call_on(router(), "GET", "/api/health", &headers, String::new()).await;
            assert_eq!(s.as_u16(), status, "{host:?}: {j}");
            assert_eq!(h["x-content-type-options"], "nosniff");
            if status == 403 {
                assert!(j["error"].as_str().unwrap().contains("not served"), "{j}");
            }
        }
        let remote: std::net::SocketAddr = "192.168.1.5:8080".parse().unwrap();
        let super::super::HostPolicy::Only { names, .. } =
            super::super::HostPolicy::for_addr(remote)
        else {
            panic!("expected an allow-list");
        };
        assert!(names.contains(&"192.168.1.5".to_string()));
    }

    /// Defect 3: a client that sends part of its headers (or nothing) is disconnected after the
    /// header-read timeout instead of holding a connection.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn partial_headers_are_cut_off() {
        use std::io::{Read, Write};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(super::super::serve(
            listener,
            super::super::router_with(super::super::ServerConfig::default()),
            std::future::pending(),
        ));
        let client = tokio::task::spawn_blocking(move || {
            let limit = Duration::from_secs(limits::SERVER_HEADER_READ_TIMEOUT_SECS + 10);
            let start = std::time::Instant::now();
            let mut partial = std::net::TcpStream::connect(addr).unwrap();
            partial
                .write_all(b"GET /api/health HTTP/1.1\r\nHost: ")
                .unwrap();
            let idle = std::net::TcpStream::connect(addr).unwrap();
            for mut conn in [partial, idle] {
                conn.set_read_timeout(Some(limit)).unwrap();
                let mut buf = Vec::new();
                // Closed by the server: end of stream (possibly after an error answer).
                let read = conn.read_to_end(&mut buf);
                assert!(
                    read.is_ok(),
                    "connection held open past {limit:?}: {read:?}"
                );
            }
            assert!(start.elapsed() < limit);
            // A whole request on a fresh connection is still answered.
            let mut ok = std::net::TcpStream::connect(addr).unwrap();
            ok.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut buf = Vec::new();
            ok.read_to_end(&mut buf).unwrap();
            String::from_utf8_lossy(&buf).into_owned()
        });
        let answer = client.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            answer
                .to_ascii_lowercase()
                .contains("x-content-type-options: nosniff")
        );
        server.abort();
    }

    mod fuzz {
        //! Defect 5: random JSON bodies and queries to every route. The seed is
        //! `PROPTEST_RNG_SEED` from `.cargo/config.toml`; `BREAKOUT_FUZZ_CASES=N` runs more.

        use super::*;
        use proptest::prelude::*;

        /// The routes, with the method each answers.
        const ROUTES: &[(&str, &str)] = &[
            ("GET", "/api/health"),
            ("POST", "/api/swu"),
            ("POST", "/api/swu/plan"),
            ("POST", "/api/swu/cost"),
            ("POST", "/api/swu/tails"),
            ("POST", "/api/swu/yield"),
            ("POST", "/api/convert"),
            ("POST", "/api/safeguards/detect"),
            ("POST", "/api/safeguards/sample"),
            ("POST", "/api/safeguards/page-threshold"),
            ("POST", "/api/safeguards/plant"),
            ("POST", "/api/safeguards/sequence"),
            ("POST", "/api/safeguards/balance"),
            ("GET", "/api/machines"),
            ("GET", "/api/machines/IR-6"),
            ("GET", "/api/deals"),
            ("GET", "/api/deals/jcpoa-2015"),
            ("GET", "/api/deals/jcpoa-2015/check"),
            ("GET", "/api/deals/jcpoa-2015/floor"),
            ("GET", "/api/compare"),
            ("POST", "/api/breakout"),
            ("GET", "/api/history"),
            ("GET", "/api/states"),
            ("POST", "/api/cascade/run"),
            ("PUT", "/api/breakout"),
        ];

        /// Field names of the routes' requests, the empty name and a stranger.
        const KEYS: &[&str] = &[
            "",
            "state",
            "samples",
            "seed",
            "periods",
            "periods_per_year",
            "sequences",
            "k",
            "alpha",
            "muf",
            "sigma_inventory_kg",
            "sigma_transfer_kg",
            "swu_per_yr",
            "loss_kg",
            "sigma_kg",
            "items",
            "defects",
            "beta",
            "goal_kg",
            "product_wt_pct",
            "product_kg_u",
            "feed_kg_u",
            "feed_wt_pct",
            "tails_wt_pct",
            "tails",
            "stock",
            "swu",
            "value",
            "unit",
            "wt_pct",
            "to",
            "cascade",
            "recycle",
            "stages",
            "feed_stage",
            "cuts",
            "goal",
            "count",
            "date",
            "series",
            "deals",
            "state_toml",
            "setup_days_per_step",
            "reinstall_cascades_per_month",
            "weaponization_months",
            "loss_period",
            "instruments",
            "file",
            "swu_per_machine",
            "model",
            "zzz",
        ];

        fn scalar() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(json!(0)),
                Just(json!(-1)),
                Just(json!(1)),
                Just(json!(12)),
                Just(json!(100_000)),
                Just(json!(4_294_967_296u64)),
                Just(json!(u64::MAX)),
                Just(json!(i64::MIN)),
                Just(json!(1e308)),
                Just(json!(-1e308)),
                Just(json!(5e-324)),
                Just(json!(0.5)),
                Just(json!(90)),
                any::<i32>().prop_map(|n| json!(n)),
                (-1e6f64..1e6).prop_map(|x| json!(x)),
                Just(json!("NaN")),
                Just(json!("inf")),
                Just(json!("-inf")),
                Just(json!("1e999")),
                Just(json!("12")),
                Just(json!("-3")),
                Just(json!("3,-2,7,4")),
                Just(json!("iran-2025-05")),
                Just(json!("ir6-174")),
                Just(json!("wgu")),
                Just(json!("kg-u")),
                Just(json!("optimal")),
                Just(json!("408.6@60")),
                Just(json!("2020-02-30")),
                Just(json!("/etc/passwd")),
                Just(json!("")),
                "[ -~]{0,12}".prop_map(|s| json!(s)),
                Just(json!(null)),
                Just(json!(true)),
            ]
        }

        fn value() -> impl Strategy<Value = Value> {
            scalar().prop_recursive(2, 12, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::vec((prop::sample::select(KEYS), inner), 0..4).prop_map(
                        |kv| Value::Object(
                            kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                        )
                    ),
                ]
            })
        }

        fn fields() -> impl Strategy<Value = Vec<(&'static str, Value)>> {
            prop::collection::vec((prop::sample::select(KEYS), value()), 0..6)
        }

        fn cases() -> u32 {
            std::env::var("BREAKOUT_FUZZ_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(64)
        }

        /// Percent-encodes everything but unreserved characters.
        fn encode(s: &str) -> String {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~,=".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect()
        }

        /// Every number in an answer is finite.
        fn all_finite(v: &Value) -> bool {
            match v {
                Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
                Value::Array(a) => a.iter().all(all_finite),
                Value::Object(m) => m.values().all(all_finite),
                _ => true,
            }
        }

        /// The limit the fuzzed router runs with: each case must end within it (plus slack for
        /// the permit wait and a busy machine).
        const LIMIT: Duration = Duration::from_secs(20);

        proptest! {
            #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

            #[test]
            fn any_request_gets_a_json_answer_in_time(
                route in prop::sample::select(ROUTES),
                fields in fields(),
                raw in prop_oneof![3 => Just(None), 1 => "[ -~]{0,40}".prop_map(Some)],
            ) {
                let (method, uri) = route;
                let (uri, body) = if method == "GET" {
                    let q: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| {
                            let v = match v { Value::String(s) => s.clone(), other => other.to_string() };
                            format!("{}={}", encode(k), encode(&v))
                        })
                        .collect();
                    let mut q = q.join("&");
                    if let Some(r) = &raw {
                        q.push_str(&encode(r));
                    }
                    (format!("{uri}?{q}"), String::new())
                } else {
                    let obj: Map<String, Value> =
                        fields.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect();
                    (uri.to_string(), raw.clone().unwrap_or_else(|| Value::Object(obj).to_string()))
                };
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .unwrap();
                let start = std::time::Instant::now();
                let router = super::super::super::router_with(super::super::super::ServerConfig {
                    timeout: LIMIT,
                    ..super::super::super::ServerConfig::default()
                });
                let (s, _, j) = rt.block_on(call_on(router, method, &uri, &[], body.clone()));
                let took = start.elapsed();
                prop_assert!(took < LIMIT + Duration::from_secs(10), "{method} {uri} {body:.200}: {took:?}");
                if s == StatusCode::OK {
                    prop_assert!(all_finite(&j), "{method} {uri}: {j:.300}");
                } else {
                    prop_assert!(
                        s.is_client_error() || s == StatusCode::SERVICE_UNAVAILABLE,
                        "{method} {uri} {body:.300}: {s} {j}"
                    );
                    prop_assert!(
                        j["error"].as_str().is_some_and(|e| !e.is_empty()),
                        "{method} {uri} {body:.300}: {s} {j}"
                    );
                }
            }
        }
    }
}
