//! JSON API handlers: each reads its request into the application's typed request (serde, the
//! same types clap fills from the command line, unknown fields refused), checks the server's
//! limits on the typed fields, runs [`breakout_app::execute`] on a blocking thread with a time
//! limit, and answers with the command's JSON document — or a 4xx/5xx `{"error": ...}`.
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
use breakout_app::commands::floor::Series;
use breakout_app::commands::history::HistoryArgs;
use breakout_app::commands::run::{GoalArg, RunArgs};
use breakout_app::{AppError, Request, execute};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest Monte Carlo sample count a request may ask for.
pub const MAX_SAMPLES: usize = 20_000;
/// Largest number of simulated balance sequences a safeguards request may ask for.
pub const MAX_SEQUENCES: usize = 200_000;
/// Longest a request may compute.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

fn error(status: StatusCode, message: impl Into<String>) -> Response {
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

/// The server's limits, checked on the typed request: sample and sequence caps, no files.
fn check_limits(request: &Request) -> Result<(), String> {
    let cap = |field: &str, n: Option<usize>, cap: usize| match n {
        Some(n) if n > cap => Err(format!(
            "field `{field}`: {n} exceeds the server's cap of {cap}: use the CLI for larger runs"
        )),
        _ => Ok(()),
    };
    match request {
        Request::Run(a) => cap("samples", a.samples, MAX_SAMPLES),
        Request::Safeguards(a) => {
            cap("sequences", a.sequences(), MAX_SEQUENCES)?;
            match a.file_field() {
                Some(f) => Err(format!(
                    "field `{f}` names a file on the server: not accepted over HTTP (use the CLI)"
                )),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
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
    let job = async {
        let Ok(permit) = Arc::clone(&COMPUTE).acquire_owned().await else {
            return Answer::Failed;
        };
        // A twin request may have filled the cache while this one waited for its turn.
        if let Some(hit) = cached(&key) {
            return Answer::Cached(hit);
        }
        let work = tokio::task::spawn_blocking(move || {
            // Held until the computation ends, even if the request has timed out meanwhile.
            let _permit = permit;
            execute(request)
        });
        work.await.map_or(Answer::Failed, Answer::Computed)
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, job).await {
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} s: ask for fewer samples or a smaller problem",
                REQUEST_TIMEOUT.as_secs()
            ),
        ),
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

/// Runs the request whose JSON form is `value` (built by the server from a path and a query).
async fn run_value(route: &str, value: Value) -> Response {
    match typed::<Request>(value) {
        Ok(request) => run_request(route, request).await,
        Err(m) => bad_request(m),
    }
}

/// `GET /api/machines`.
pub async fn machines() -> Response {
    run_value("machines", json!({"machine": {"command": "list"}})).await
}

/// `GET /api/machines/{id}`.
pub async fn machine(Path(id): Path<String>) -> Response {
    run_value(
        "machines",
        json!({"machine": {"command": {"show": {"id": id}}}}),
    )
    .await
}

/// `GET /api/deals`.
pub async fn deals() -> Response {
    run_value("deals", json!({"deal": {"command": "list"}})).await
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
    run_value(
        "deals",
        json!({"deal": {"command": {"show": {"deal": deal, "date": q.date}}}}),
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
    run_value(
        "deals",
        json!({"deal": {"command": {"check": {"deal": deal, "state": state, "date": q.date}}}}),
    )
    .await
}

/// The deal-floor options of a query (`FloorOptions`' fields, typed here so that the query's
/// text becomes numbers and names before it reaches the request).
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FloorQuery {
    #[serde(skip_serializing)]
    date: Option<String>,
    #[serde(skip_serializing)]
    series: Option<Series>,
    #[serde(skip_serializing)]
    deals: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    goal: Option<GoalArg>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reinstall_cascades_per_month: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weaponization_months: Option<MonthRange>,
}

impl FloorQuery {
    /// The options as the request's JSON fields.
    fn fields(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }
}

/// `GET /api/deals/{id}/floor[?goal=&reinstall_cascades_per_month=&series=&date=&weaponization_months=]`:
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
    let mut fields = q.fields();
    fields.insert("deal".into(), json!(deal));
    fields.insert("date".into(), json!(q.date));
    if let Some(series) = q.series {
        fields.insert("series".into(), json!(series));
    }
    run_value("deals", json!({"deal": {"command": {"floor": fields}}})).await
}

/// `GET /api/compare[?deals=a,b&goal=&reinstall_cascades_per_month=&weaponization_months=]`: as
/// `breakout deal compare [DEALS] ...` (bundled deals only).
pub async fn compare(q: Result<Query<FloorQuery>, QueryRejection>) -> Response {
    let q = match query(q) {
        Ok(q) => q,
        Err(r) => return *r,
    };
    if let Some(f) = [("date", q.date.is_some()), ("series", q.series.is_some())]
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
    let mut fields = q.fields();
    fields.insert("deals".into(), json!(deals));
    run_value("deals", json!({"deal": {"command": {"compare": fields}}})).await
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

/// Any other path.
pub async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such route: see /api/health, /api/breakout, /api/history, /api/states, /api/swu, /api/swu/{plan,cost,tails,yield}, /api/convert, /api/machines, /api/deals, /api/deals/{id}/check, /api/deals/{id}/floor, /api/compare, /api/cascade/run, /api/safeguards/{sub}",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;

    async fn call(method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let res = super::super::router().oneshot(req).await.unwrap();
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
}
