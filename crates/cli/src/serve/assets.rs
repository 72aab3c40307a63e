//! The embedded page and its assets, compiled into the binary so the workbench runs offline.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const INDEX: &str = include_str!("../../assets/web/index.html");
const APP_JS: &str = include_str!("../../assets/web/app.js");
const STYLE: &str = include_str!("../../assets/web/style.css");
const UPLOT_JS: &str = include_str!("../../assets/vendor/uplot-1.6.32/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../assets/vendor/uplot-1.6.32/uPlot.min.css");

/// `GET /`.
pub async fn index() -> Html<&'static str> {
    Html(INDEX)
}

/// `GET /assets/{name}`: versioned vendor files are cacheable forever.
pub async fn asset(Path(name): Path<String>) -> Response {
    let (body, mime, immutable) = match name.as_str() {
        "app.js" => (APP_JS, "text/javascript; charset=utf-8", false),
        "style.css" => (STYLE, "text/css; charset=utf-8", false),
        "uplot-1.6.32.min.js" => (UPLOT_JS, "text/javascript; charset=utf-8", true),
        "uplot-1.6.32.min.css" => (UPLOT_CSS, "text/css; charset=utf-8", true),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, cache)],
        body,
    )
        .into_response()
}
