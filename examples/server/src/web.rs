//! The booking web page, embedded in the binary: `/` and its assets under `/assets/`.

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use booking_front::ErrorView;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every asset: name, media type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("admin.js", "text/javascript; charset=utf-8", include_bytes!("../web/admin.js")),
    ("analytics.js", "text/javascript; charset=utf-8", include_bytes!("../web/analytics.js")),
    ("api.js", "text/javascript; charset=utf-8", include_bytes!("../web/api.js")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../web/app.js")),
    ("bookings.js", "text/javascript; charset=utf-8", include_bytes!("../web/bookings.js")),
    ("charts.js", "text/javascript; charset=utf-8", include_bytes!("../web/charts.js")),
    ("checkout.js", "text/javascript; charset=utf-8", include_bytes!("../web/checkout.js")),
    ("dom.js", "text/javascript; charset=utf-8", include_bytes!("../web/dom.js")),
    ("format.js", "text/javascript; charset=utf-8", include_bytes!("../web/format.js")),
    ("layout-editor.js", "text/javascript; charset=utf-8", include_bytes!("../web/layout-editor.js")),
    ("live.js", "text/javascript; charset=utf-8", include_bytes!("../web/live.js")),
    ("login.js", "text/javascript; charset=utf-8", include_bytes!("../web/login.js")),
    ("quote.js", "text/javascript; charset=utf-8", include_bytes!("../web/quote.js")),
    ("rules.js", "text/javascript; charset=utf-8", include_bytes!("../web/rules.js")),
    ("seatmap.js", "text/javascript; charset=utf-8", include_bytes!("../web/seatmap.js")),
    ("session.js", "text/javascript; charset=utf-8", include_bytes!("../web/session.js")),
    ("show-page.js", "text/javascript; charset=utf-8", include_bytes!("../web/show-page.js")),
    ("shows.js", "text/javascript; charset=utf-8", include_bytes!("../web/shows.js")),
    ("theme.js", "text/javascript; charset=utf-8", include_bytes!("../web/theme.js")),
    ("tickets.js", "text/javascript; charset=utf-8", include_bytes!("../web/tickets.js")),
    ("style.css", "text/css; charset=utf-8", include_bytes!("../web/style.css")),
];

const INDEX_HTML: &str = include_str!("../web/index.html");

/// The page's routes.
pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default().routes(routes!(index)).routes(routes!(asset))
}

/// The bytes of a file of the page: from `--web-dir` when given, else the built-in copy.
async fn file(state: &AppState, name: &str, builtin: &'static [u8]) -> Vec<u8> {
    match &state.config.web_dir {
        Some(dir) => tokio::fs::read(dir.join(name)).await.unwrap_or_else(|_| builtin.to_vec()),
        None => builtin.to_vec(),
    }
}

/// The booking web page.
#[utoipa::path(get, path = "/", tag = "web", responses(
    (status = 200, description = "The page", body = String, content_type = "text/html"),
))]
async fn index(State(state): State<Arc<AppState>>) -> Response {
    let html = file(&state, "index.html", INDEX_HTML.as_bytes()).await;
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'",
            ),
        ],
        html,
    )
        .into_response()
}

/// A script or the style sheet of the page.
#[utoipa::path(get, path = "/assets/{name}", tag = "web", params(("name" = String, Path, description = "File name, e.g. `app.js`")),
    responses(
    (status = 200, description = "The file", content(("text/javascript"), ("text/css"))),
    (status = 400, description = "INVALID_INPUT: the name is not UTF-8 text", body = ErrorView),
    (status = 404, description = "NOT_FOUND: no such asset", body = ErrorView),
))]
async fn asset(State(state): State<Arc<AppState>>, ApiPath(name): ApiPath<String>) -> Response {
    // Only names in the table are served, from disk too: no path ever reaches the file system.
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((n, media, bytes)) => {
            let body = file(&state, n, bytes).await;
            ([(header::CONTENT_TYPE, *media), (header::CACHE_CONTROL, "no-cache")], body).into_response()
        }
        None => ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such asset").into_response(),
    }
}
