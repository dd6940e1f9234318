//! Operations: health, readiness, metrics, the OpenAPI document and its browsable page.

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use booking_front::ErrorView;
use serde::Serialize;
use std::sync::Arc;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const DOCS_HTML: &str = include_str!("../../web/docs.html");

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::default()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
        .routes(routes!(openapi))
        .routes(routes!(docs))
}

/// The process answers.
#[derive(Debug, Serialize, ToSchema)]
struct Health {
    /// Always `ok`.
    status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses(
    (status = 200, description = "Alive", body = Health),
))]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The store answers.
#[derive(Debug, Serialize, ToSchema)]
struct Ready {
    /// Always `ready`.
    status: &'static str,
    /// `memory`, `postgres` or `postgres+redis`.
    store: &'static str,
}

/// Readiness: the store answers a read within 2 seconds.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "Ready", body = Ready),
    (status = 503, description = "STORE_UNAVAILABLE", body = ErrorView),
))]
async fn readyz(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let probe = tokio::time::timeout(std::time::Duration::from_secs(2), state.engine.theatres()).await;
    match probe {
        Ok(Ok(_)) => Ok(Json(Ready { status: "ready", store: state.store_kind }).into_response()),
        Ok(Err(e)) => Err(ApiError::unavailable(format!("store: {e}"))),
        Err(_) => Err(ApiError::unavailable("store: no answer within 2 s")),
    }
}

/// Prometheus metrics in the OpenMetrics text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses(
    (status = 200, description = "The metrics", body = String, content_type = "application/openmetrics-text"),
))]
async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    state.metrics.sse_streams.set(i64::try_from(state.live.streams()).unwrap_or(i64::MAX));
    (
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.render(),
    )
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "operations", responses(
    (status = 200, description = "The OpenAPI document of the API, generated from its handlers", body = Object),
))]
async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], crate::routes::openapi_json())
}

/// The API's documentation page, rendered from `/openapi.json`.
#[utoipa::path(get, path = "/docs", tag = "operations", responses(
    (status = 200, description = "HTML", body = String, content_type = "text/html"),
))]
async fn docs() -> Html<&'static str> {
    Html(DOCS_HTML)
}
