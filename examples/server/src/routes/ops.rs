//! Operations: health, readiness, metrics, the OpenAPI document and its browsable page.

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use std::sync::Arc;

/// The OpenAPI document of the API.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");
const DOCS_HTML: &str = include_str!("../../web/docs.html");

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .route("/docs", get(docs))
}

async fn healthz() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

/// Ready when the store answers a read.
async fn readyz(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let probe =
        tokio::time::timeout(std::time::Duration::from_secs(2), state.engine.store().theatres()).await;
    match probe {
        Ok(Ok(_)) => Ok(axum::Json(json!({ "status": "ready", "store": state.store_kind })).into_response()),
        Ok(Err(e)) => Err(ApiError::unavailable(format!("store: {}", booking_core::BookingError::from(e)))),
        Err(_) => Err(ApiError::unavailable("store: no answer within 2 s")),
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    state.metrics.sse_streams.set(i64::try_from(state.live.streams()).unwrap_or(i64::MAX));
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.render(),
    )
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

async fn docs() -> Html<&'static str> {
    Html(DOCS_HTML)
}
