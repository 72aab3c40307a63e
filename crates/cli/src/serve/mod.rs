//! `breakout serve`: the local workbench — a JSON API over the same commands as the CLI, and an
//! embedded page with charts that works offline.
//!
//! Every API route runs the same code path as the corresponding CLI command: the request's JSON
//! is read (serde) into the same typed request clap fills from flags, and the same
//! `breakout_app::execute` answers it, so `POST /api/swu` answers exactly what
//! `breakout swu ... --json` prints. No command line is ever built from a request.
//! Limits: request bodies up to [`api::MAX_BODY_BYTES`], Monte Carlo samples up to
//! [`api::MAX_SAMPLES`], [`api::REQUEST_TIMEOUT`] per request; a panic in a handler becomes a 500.

mod api;
mod assets;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use clap::Args;

use breakout_app::AppError;

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

/// The application: static page, assets and API routes.
pub fn router() -> Router {
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
        .route("/api/breakout", post(api::breakout))
        .route("/api/history", get(api::history))
        .route("/api/states", get(api::states))
        .route("/api/cascade/run", post(api::cascade_run))
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(api::MAX_BODY_BYTES))
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
        axum::serve(listener, router())
            .with_graceful_shutdown(async {
                // If the signal handler cannot be installed the server runs until killed.
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await
            .map_err(|e| AppError::Input(format!("server error: {e}")))
    })
}
