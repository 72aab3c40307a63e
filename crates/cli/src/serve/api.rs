//! JSON API handlers: each turns a request into the argument list of a CLI command, parses it with
//! the CLI's own flag definitions, runs the command on a blocking thread with a time limit, and
//! answers with the command's JSON report — or a 4xx carrying the CLI's error text.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use clap::Parser;
use serde_json::{Map, Value, json};

use breakout_app::{AppError, Request, execute};

/// The command line an argument list is parsed as: the application's requests.
#[derive(Debug, clap::Parser)]
struct Cli {
    #[command(subcommand)]
    command: Option<Request>,
}

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest Monte Carlo sample count a request may ask for.
pub const MAX_SAMPLES: u64 = 20_000;
/// Largest number of simulated balance sequences a safeguards request may ask for.
pub const MAX_SEQUENCES: u64 = 200_000;
/// Flags that name files on the server's disk: never accepted over HTTP.
const FILE_FLAGS: [&str; 1] = ["instruments"];
/// Longest a request may compute.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// Turns `{"product_wt_pct": 90, "stock": ["408.6@60"], "no_stocks": true}` into
/// `--product-wt-pct 90 --stock 408.6@60 --no-stocks`; fields named in `positional` become
/// positional arguments, in that order.
fn argv_from_json(body: &Map<String, Value>, positional: &[&str]) -> Result<Vec<String>, String> {
    let scalar = |k: &str, v: &Value| -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(format!(
                "field `{k}`: expected a number or a string, got {v}"
            )),
        }
    };
    let mut argv = Vec::new();
    for name in positional {
        if let Some(v) = body.get(*name) {
            argv.push(scalar(name, v)?);
        }
    }
    for (k, v) in body {
        if positional.contains(&k.as_str()) {
            continue;
        }
        if !k
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!(
                "field `{k}` is not a flag name: expected lower_snake_case"
            ));
        }
        let flag = format!("--{}", k.replace('_', "-"));
        match v {
            Value::Null | Value::Bool(false) => {}
            Value::Bool(true) => argv.push(flag),
            // `--flag=value`, so that a negative number is a value, not a flag.
            Value::Array(items) => {
                for item in items {
                    argv.push(format!("{flag}={}", scalar(k, item)?));
                }
            }
            Value::Object(_) => {
                return Err(format!(
                    "field `{k}`: expected a value or a list of values, got an object"
                ));
            }
            other => argv.push(format!("{flag}={}", scalar(k, other)?)),
        }
    }
    Ok(argv)
}

/// Most answers a server keeps; past this the cache is emptied and refills.
const CACHE_ENTRIES: usize = 1024;

/// Answers already computed, by command line. Every command is a pure function of its argv and
/// the bundled data compiled into the binary, except the randomised ones without `--seed`.
static CACHE: LazyLock<Mutex<HashMap<Vec<String>, Arc<str>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// At most one computation per core at a time. Requests beyond that wait for a permit inside
/// the request's time limit, so a request that times out or whose client went away before its
/// turn costs no CPU, and the ones running do not share a core with dozens of others.
static COMPUTE: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
    ))
});

/// Whether the answer to `argv` is the same every time: no random draw with a fresh seed.
fn cacheable(argv: &[String]) -> bool {
    let has = |f: &str| {
        argv.iter()
            .any(|a| a == f || a.strip_prefix(f).is_some_and(|v| v.starts_with('=')))
    };
    has("--seed") || !(has("--samples") || argv.get(1).is_some_and(|c| c == "safeguards"))
}

fn json_body(text: Arc<str>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        text.to_string(),
    )
        .into_response()
}

/// Parses `prefix ++ argv` as a `breakout` command line and runs it with the request limits;
/// deterministic answers are kept (see [`cacheable`]).
async fn run_command(argv: Vec<String>) -> Response {
    run_command_on(argv, None).await
}

/// As [`run_command`], for `run` on a state given as TOML text (an upload) when `state_toml` is
/// set: the text goes to the command as data, never through a path.
async fn run_command_on(mut argv: Vec<String>, state_toml: Option<String>) -> Response {
    argv.insert(0, "breakout".into());
    let keep = cacheable(&argv);
    let mut key = argv.clone();
    if let Some(text) = &state_toml {
        key.push(format!("state_toml={text}"));
    }
    if keep && let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).map(Arc::clone)) {
        return json_body(hit);
    }
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.render().to_string().trim_end()),
    };
    let mut command = cli.command.unwrap_or_else(|| Request::Run(Box::default()));
    if let Request::Run(args) = &mut command {
        args.state_toml = state_toml;
    }
    let job = async {
        let Ok(permit) = Arc::clone(&COMPUTE).acquire_owned().await else {
            return Answer::Failed;
        };
        // A twin request may have filled the cache while this one waited for its turn.
        if keep && let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).map(Arc::clone)) {
            return Answer::Cached(hit);
        }
        let work = tokio::task::spawn_blocking(move || {
            // Held until the computation ends, even if the request has timed out meanwhile.
            let _permit = permit;
            execute(command)
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
        Ok(Answer::Computed(Err(AppError::Usage(m) | AppError::Input(m)))) => {
            error(StatusCode::BAD_REQUEST, m)
        }
        Ok(Answer::Computed(Err(e @ AppError::Internal(_)))) => {
            error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
        }
        Ok(Answer::Computed(Ok((report, _)))) => {
            let text: Arc<str> = report.to_json().to_string().into();
            if keep && let Ok(mut c) = CACHE.lock() {
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

/// Parses a JSON object body, enforcing the sample cap.
fn object(body: &Bytes) -> Result<Map<String, Value>, String> {
    let value: Value = if body.is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| format!("malformed JSON: {e}"))?
    };
    let Value::Object(map) = value else {
        return Err("the request body must be a JSON object of flags".into());
    };
    for (field, cap) in [("samples", MAX_SAMPLES), ("sequences", MAX_SEQUENCES)] {
        if let Some(n) = map.get(field).and_then(Value::as_u64).filter(|n| *n > cap) {
            return Err(format!(
                "{field} = {n} exceeds the server's cap of {cap}: use the CLI for larger runs"
            ));
        }
    }
    if let Some(f) = FILE_FLAGS.iter().find(|f| map.contains_key(**f)) {
        return Err(format!(
            "field `{f}` names a file on the server: not accepted over HTTP (use the CLI)"
        ));
    }
    Ok(map)
}

async fn post_command(prefix: &[&str], positional: &[&str], body: Bytes) -> Response {
    let map = match object(&body) {
        Ok(m) => m,
        Err(m) => return error(StatusCode::BAD_REQUEST, m),
    };
    match argv_from_json(&map, positional) {
        Ok(rest) => run_command(prefix.iter().map(|s| s.to_string()).chain(rest).collect()).await,
        Err(m) => error(StatusCode::BAD_REQUEST, m),
    }
}

/// `GET /api/health`.
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// `POST /api/swu`: as `breakout swu`.
pub async fn swu(body: Bytes) -> Response {
    post_command(&["swu"], &[], body).await
}

/// `POST /api/swu/{plan|cost|tails|yield}`: as `breakout swu MODE`.
pub async fn swu_mode(Path(mode): Path<String>, body: Bytes) -> Response {
    match mode.as_str() {
        "plan" | "cost" | "tails" | "yield" => post_command(&["swu", &mode], &[], body).await,
        _ => error(
            StatusCode::NOT_FOUND,
            format!("no route /api/swu/{mode}: expected plan, cost, tails or yield"),
        ),
    }
}

/// `POST /api/convert`: as `breakout convert VALUE UNIT ...`.
pub async fn convert(body: Bytes) -> Response {
    post_command(&["convert"], &["value", "unit"], body).await
}

/// `POST /api/safeguards/{detect|sample|page-threshold|plant|sequence}`: as `breakout safeguards
/// SUB` (the sequence command in its quick form: balances as lists, not files).
pub async fn safeguards(Path(sub): Path<String>, body: Bytes) -> Response {
    match sub.as_str() {
        "detect" | "sample" | "page-threshold" | "plant" | "sequence" => {
            post_command(&["safeguards", &sub], &[], body).await
        }
        _ => error(
            StatusCode::NOT_FOUND,
            format!(
                "no route /api/safeguards/{sub}: expected detect, sample, page-threshold, plant or sequence"
            ),
        ),
    }
}

/// `GET /api/machines`.
pub async fn machines() -> Response {
    run_command(vec!["machine".into(), "list".into()]).await
}

/// `GET /api/machines/{id}`.
pub async fn machine(Path(id): Path<String>) -> Response {
    run_command(vec!["machine".into(), "show".into(), id]).await
}

/// `GET /api/deals`.
pub async fn deals() -> Response {
    run_command(vec!["deal".into(), "list".into()]).await
}

/// Query of `GET /api/deals/{id}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealQuery {
    date: Option<String>,
}

/// `GET /api/deals/{id}[?date=YYYY-MM-DD]`: bundled deals only (no file paths over HTTP).
pub async fn deal(Path(id): Path<String>, Query(q): Query<DealQuery>) -> Response {
    if !breakout_app::deals::BUNDLED
        .iter()
        .any(|(d, _)| d.eq_ignore_ascii_case(&id))
    {
        return error(StatusCode::NOT_FOUND, format!("no bundled deal `{id}`"));
    }
    let mut argv = vec!["deal".into(), "show".into(), id];
    if let Some(d) = q.date {
        argv.extend(["--date".into(), d]);
    }
    run_command(argv).await
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

/// Query fields as flags (sorted, so equal queries give equal command lines).
fn query_flags(q: &BTreeMap<String, String>, skip: &[&str]) -> Result<Vec<String>, String> {
    let map: Map<String, Value> = q
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    argv_from_json(&map, &[])
}

/// Runs `prefix ++ flags(query)`.
async fn get_command(prefix: Vec<String>, q: &BTreeMap<String, String>, skip: &[&str]) -> Response {
    match query_flags(q, skip) {
        Ok(rest) => run_command(prefix.into_iter().chain(rest).collect()).await,
        Err(m) => error(StatusCode::BAD_REQUEST, m),
    }
}

/// `POST /api/breakout` with `{"state": NAME, ...flags}`: as `breakout run NAME ...`; or with
/// `{"state_toml": TEXT, ...flags}` on an uploaded state file's text. Never a path over HTTP.
pub async fn breakout(body: Bytes) -> Response {
    let mut map = match object(&body) {
        Ok(m) => m,
        Err(m) => return error(StatusCode::BAD_REQUEST, m),
    };
    match map.remove("state_toml") {
        None => {}
        Some(Value::String(text)) if !map.contains_key("state") => {
            return match argv_from_json(&map, &[]) {
                Ok(rest) => {
                    let argv = std::iter::once("run".to_string()).chain(rest).collect();
                    run_command_on(argv, Some(text)).await
                }
                Err(m) => error(StatusCode::BAD_REQUEST, m),
            };
        }
        Some(Value::String(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "give either `state` (a bundled state name) or `state_toml` (the text of a state file), not both",
            );
        }
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "field `state_toml` must be the text of a state file (a string), not {other}"
                ),
            );
        }
    }
    let Some(name) = map.get("state").and_then(Value::as_str) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!(
                "field `state` is required: a bundled state name, one of {}",
                state_names().join(", ")
            ),
        );
    };
    match bundled("state", name, &state_names()) {
        Ok(canonical) => map.insert("state".into(), Value::String(canonical)),
        Err(r) => return *r,
    };
    match argv_from_json(&map, &["state"]) {
        Ok(rest) => run_command(std::iter::once("run".to_string()).chain(rest).collect()).await,
        Err(m) => error(StatusCode::BAD_REQUEST, m),
    }
}

/// `GET /api/history[?goal=&count=&model=]`: as `breakout history`.
pub async fn history(Query(q): Query<BTreeMap<String, String>>) -> Response {
    get_command(vec!["history".into()], &q, &[]).await
}

/// `GET /api/states`: the bundled states with their dates, titles and central estimates — the
/// document of `breakout history`.
pub async fn states() -> Response {
    run_command(vec!["history".into()]).await
}

/// `GET /api/deals/{id}/check?state=NAME[&date=YYYY-MM-DD]`: as `breakout deal check ID NAME`.
/// A violation (the CLI's exit 1) is a finding, answered with 200 and the document.
pub async fn deal_check(
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let deal = match bundled("deal", &id, &deal_names()) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let Some(name) = q.get("state") else {
        return error(
            StatusCode::BAD_REQUEST,
            format!(
                "query field `state` is required: a bundled state name, one of {}",
                state_names().join(", ")
            ),
        );
    };
    let state = match bundled("state", name, &state_names()) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    get_command(
        vec!["deal".into(), "check".into(), deal, state],
        &q,
        &["state"],
    )
    .await
}

/// `GET /api/deals/{id}/floor[?goal=&reinstall_cascades_per_month=&series=&date=&weaponization_months=]`:
/// as `breakout deal floor ID ...`.
pub async fn deal_floor(
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    match bundled("deal", &id, &deal_names()) {
        Ok(deal) => get_command(vec!["deal".into(), "floor".into(), deal], &q, &[]).await,
        Err(r) => *r,
    }
}

/// `GET /api/compare[?deals=a,b&goal=&reinstall_cascades_per_month=&weaponization_months=]`: as
/// `breakout deal compare [DEALS] ...` (bundled deals only).
pub async fn compare(Query(q): Query<BTreeMap<String, String>>) -> Response {
    let mut argv = vec!["deal".to_string(), "compare".to_string()];
    if let Some(list) = q.get("deals") {
        for name in list.split(',').filter(|s| !s.trim().is_empty()) {
            match bundled("deal", name.trim(), &deal_names()) {
                Ok(d) => argv.push(d),
                Err(r) => return *r,
            }
        }
    }
    get_command(argv, &q, &["deals"]).await
}

/// `POST /api/cascade/run` with `{"cascade": NAME, ...flags}`: as `breakout cascade run NAME ...`
/// for a bundled cascade.
pub async fn cascade_run(body: Bytes) -> Response {
    let mut map = match object(&body) {
        Ok(m) => m,
        Err(m) => return error(StatusCode::BAD_REQUEST, m),
    };
    let names: Vec<&str> = breakout_app::data::BUNDLED_CASCADES
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let Some(name) = map.get("cascade").and_then(Value::as_str) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!(
                "field `cascade` is required: a bundled cascade, one of {}",
                names.join(", ")
            ),
        );
    };
    match bundled("cascade", name, &names) {
        Ok(canonical) => map.insert("cascade".into(), Value::String(canonical)),
        Err(r) => return *r,
    };
    match argv_from_json(&map, &["cascade"]) {
        Ok(rest) => {
            run_command(
                ["cascade", "run"]
                    .iter()
                    .map(|s| s.to_string())
                    .chain(rest)
                    .collect(),
            )
            .await
        }
        Err(m) => error(StatusCode::BAD_REQUEST, m),
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

    #[test]
    fn argv_mapping() {
        let body: Map<String, Value> = serde_json::from_str(
            r#"{"value": 300, "unit": "kg-uf6", "wt_pct": 3.67, "stock": ["1@2", "3@4"], "no_stocks": true, "x": false, "y": null}"#,
        )
        .unwrap();
        let argv = argv_from_json(&body, &["value", "unit"]).unwrap();
        assert_eq!(argv[..2], ["300", "kg-uf6"]);
        let rest = argv[2..].join(" ");
        for part in ["--wt-pct=3.67", "--stock=1@2 --stock=3@4", "--no-stocks"] {
            assert!(rest.contains(part), "{rest}");
        }
        assert!(!rest.contains("--x") && !rest.contains("--y"), "{rest}");
        let bad: Map<String, Value> = serde_json::from_str(r#"{"a": {"b": 1}}"#).unwrap();
        assert!(argv_from_json(&bad, &[]).unwrap_err().contains("object"));
        let bad: Map<String, Value> = serde_json::from_str(r#"{"--evil": 1}"#).unwrap();
        assert!(
            argv_from_json(&bad, &[])
                .unwrap_err()
                .contains("lower_snake_case")
        );
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
        let (cli_report, _) = execute(Cli::try_parse_from(argv).unwrap().command.unwrap()).unwrap();
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
                "--colour",
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
                r#"{"samples": 1000000}"#,
                400,
                "cap",
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
        let (cli_report, _) = execute(Cli::try_parse_from(argv).unwrap().command.unwrap()).unwrap();
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
            (json!({"state_toml": 7}), "must be the text of a state file"),
        ] {
            let (s, j) = call("POST", "/api/breakout", &body.to_string()).await;
            assert_eq!(s, StatusCode::BAD_REQUEST);
            assert!(j.to_string().contains(want), "{j}");
        }
    }

    #[test]
    fn only_seeded_or_deterministic_answers_are_kept() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(cacheable(&v(&["breakout", "run", "iran-2025-05"])));
        assert!(!cacheable(&v(&["breakout", "run", "x", "--samples", "9"])));
        assert!(cacheable(&v(&[
            "breakout",
            "run",
            "x",
            "--samples",
            "9",
            "--seed",
            "1"
        ])));
        assert!(!cacheable(&v(&["breakout", "safeguards", "plant"])));
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
