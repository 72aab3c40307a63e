//! `breakout serve`: the local workbench — a JSON API over the same commands as the CLI, and an
//! embedded page with charts that works offline.
//!
//! Every API route runs the same code path as the corresponding CLI command: the request's JSON
//! is read (serde) into the same typed request clap fills from flags, and the same
//! `breakout_app::execute` answers it, so `POST /api/swu` answers exactly what
//! `breakout swu ... --json` prints. No command line is ever built from a request.
//!
//! Limits (numbers in [`breakout_app::limits`], table in `docs/workbench.md`): request bodies,
//! Monte Carlo samples, simulated sequences, periods and the estimated memory of a request are
//! capped and refused with a JSON 400 before anything runs; a computation past its time limit is
//! cancelled (its core freed) and answered 503; headers must arrive within a few seconds, idle
//! connections are closed, open connections are limited; only requests whose `Host` is the
//! server's own name are served (DNS rebinding); every error is a JSON `{"error": ...}`, every
//! response carries `X-Content-Type-Options: nosniff`; a panic in a handler becomes a 500.

mod api;
mod assets;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use clap::Args;

use breakout_app::{AppError, limits};

/// `breakout serve [--addr 127.0.0.1:8080]`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    addr: SocketAddr,
    /// Allow listening on an address other than loopback (the API has no authentication).
    #[arg(long)]
    allow_remote: bool,
}

/// Which `Host` headers the server answers.
#[derive(Debug, Clone)]
pub enum HostPolicy {
    /// Any (in-process tests, where there is no network).
    Any,
    /// Only these host names (lower case; IPv6 in brackets) with this port.
    Only {
        /// Accepted names.
        names: Vec<String>,
        /// The port the server listens on.
        port: u16,
    },
}

impl HostPolicy {
    /// The loopback names (`localhost`, `127.0.0.1`, `[::1]`) on `addr`'s port, plus `addr`'s
    /// own IP when it is not loopback (`--allow-remote`).
    pub fn for_addr(addr: SocketAddr) -> Self {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        let own = match addr.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        if !names.contains(&own) && !addr.ip().is_unspecified() {
            names.push(own);
        }
        HostPolicy::Only {
            names,
            port: addr.port(),
        }
    }

    /// Whether a request with this `Host` header value is served.
    fn allows(&self, host: Option<&str>) -> bool {
        match self {
            HostPolicy::Any => true,
            HostPolicy::Only { names, port } => {
                let Some(host) = host else { return false };
                let host = host.to_ascii_lowercase();
                let (name, given_port) = match host.rsplit_once(':') {
                    Some((n, p)) if !p.contains(']') => (n.to_string(), p.parse::<u16>().ok()),
                    _ => (host.clone(), Some(80)),
                };
                given_port == Some(*port) && names.contains(&name)
            }
        }
    }
}

/// How the server behaves: its time limit per request and the hosts it answers.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Longest a request may compute before it is cancelled and answered 503.
    pub timeout: Duration,
    /// Which `Host` headers are answered.
    pub hosts: HostPolicy,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            timeout: Duration::from_secs(limits::SERVER_REQUEST_TIMEOUT_SECS),
            hosts: HostPolicy::Any,
        }
    }
}

/// The application: static page, assets and API routes, with the layers of `config`.
pub fn router_with(config: ServerConfig) -> Router {
    let config = Arc::new(config);
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route("/api/health", get(api::health))
        .route("/api/swu", post(api::swu))
        .route("/api/swu/{mode}", post(api::swu_mode))
        .route("/api/convert", post(api::convert))
        .route("/api/safeguards/{sub}", post(api::safeguards))
        .route("/api/machines", get(api::machines))
        .route("/api/machines/{id}", get(api::machine))
        .route("/api/deals", get(api::deals))
        .route("/api/deals/{id}", get(api::deal))
        .route("/api/deals/{id}/check", get(api::deal_check))
        .route("/api/deals/{id}/floor", get(api::deal_floor))
        .route("/api/compare", get(api::compare))
        .route("/api/deal/design", get(api::deal_design))
        .route("/api/breakout", post(api::breakout))
        .route("/api/history", get(api::history))
        .route("/api/states", get(api::states))
        .route("/api/cascade/run", post(api::cascade_run))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(api::MAX_BODY_BYTES))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let config = Arc::clone(&config);
            async move { guard(&config, req, next).await }
        }))
}

/// The `Host` check, the request's time limit, and `nosniff` on every response.
async fn guard(config: &ServerConfig, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_string()));
    let mut res = if config.hosts.allows(host.as_deref()) {
        api::TIMEOUT.scope(config.timeout, next.run(req)).await
    } else {
        api::error(
            StatusCode::FORBIDDEN,
            format!(
                "host `{}` is not served: use http://localhost:PORT/ or http://127.0.0.1:PORT/ (a guard against DNS rebinding)",
                host.unwrap_or_default()
            ),
        )
    };
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// Every error answer as JSON `{"error": ...}`, including axum's own rejections (413, 405,
/// query and path errors), whose plain text becomes the message.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let text = match axum::body::to_bytes(res.into_body(), 16 * 1024).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).into_owned(),
        _ => status
            .canonical_reason()
            .unwrap_or("request refused")
            .to_string(),
    };
    let text = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "{text}: request bodies are limited to {} bytes",
            api::MAX_BODY_BYTES
        )
    } else {
        text
    };
    api::error(status, text)
}

/// Serves `app` on `listener` until `shutdown` resolves: each connection must send its headers
/// within [`limits::SERVER_HEADER_READ_TIMEOUT_SECS`] (also the longest a connection may sit
/// idle before a request), lives at most [`limits::SERVER_CONNECTION_MAX_SECS`], and at most [`limits::SERVER_MAX_CONNECTIONS`] are open at once (more wait
/// to be accepted).
async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(limits::SERVER_MAX_CONNECTIONS));
    let service = hyper_util::service::TowerToHyperService::new(app);
    tokio::pin!(shutdown);
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = tokio::select! {
            () = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait a little, then accept again.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = service.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let io = hyper_util::rt::TokioIo::new(stream);
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(limits::SERVER_HEADER_READ_TIMEOUT_SECS))
                .keep_alive(true)
                .serve_connection(io, service);
            // The header-read timeout also closes idle connections (hyper starts it whenever the
            // connection waits for a request); this bounds a connection's whole life.
            let life = Duration::from_secs(limits::SERVER_CONNECTION_MAX_SECS);
            let _ = tokio::time::timeout(life, conn).await;
        });
    }
}

/// Runs the server until Ctrl-C.
///
/// # Errors
/// [`AppError::Usage`] for a non-loopback address without `--allow-remote`;
/// [`AppError::Input`] if the address cannot be bound.
pub fn run(args: ServeArgs) -> Result<(), AppError> {
    if !args.addr.ip().is_loopback() {
        if !args.allow_remote {
            return Err(AppError::Usage(format!(
                "--addr {} is not a loopback address: the API has no authentication; add --allow-remote to bind it anyway",
                args.addr
            )));
        }
        eprintln!(
            "warning: listening on {} — anyone who can reach it can use the API",
            args.addr
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Input(format!("could not start the server runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| AppError::Input(format!("cannot listen on {}: {e}", args.addr)))?;
        let local = listener
            .local_addr()
            .map_err(|e| AppError::Input(e.to_string()))?;
        eprintln!("breakout workbench on http://{local}/ (Ctrl-C to stop)");
        let config = ServerConfig {
            hosts: HostPolicy::for_addr(local),
            ..ServerConfig::default()
        };
        serve(listener, router_with(config), async {
            // If the signal handler cannot be installed the server runs until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await;
        Ok(())
    })
}
