//! The HTTP API: every route under `/v1`, the operations routes, the docs and the web page,
//! with the middleware every request passes. Routes are registered only through utoipa-axum's
//! `routes!`, from handlers that carry their `#[utoipa::path]`: the router and its OpenAPI
//! document are built from the same list, so neither can have a route the other lacks.

mod accounts;
mod analytics;
mod bookings;
mod catalogue;
pub mod doc;
mod events;
mod holds;
mod ops;
mod sessions;
mod shows;

use crate::app::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, OnceLock};
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_axum::router::OpenApiRouter;

pub use shows::TURNAROUND_MINUTES;

pub use crate::edge::REQUEST_ID;

/// Every route with its OpenAPI operation.
fn api() -> OpenApiRouter<Arc<AppState>> {
    let v1 = OpenApiRouter::default()
        .merge(accounts::routes())
        .merge(sessions::routes())
        .merge(catalogue::routes())
        .merge(shows::routes())
        .merge(holds::routes())
        .merge(bookings::routes())
        .merge(events::routes())
        .merge(analytics::routes());
    OpenApiRouter::default().nest("/v1", v1).merge(ops::routes()).merge(crate::web::routes())
}

/// The OpenAPI document of every route, as `/openapi.json` serves it (built once).
pub fn openapi() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| doc::complete(api().into_openapi()))
}

/// [`openapi`] as JSON text.
pub fn openapi_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| openapi().to_json().unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")))
}

/// Every route of the service.
pub fn router(state: Arc<AppState>) -> Router {
    let (routes, _) = api().split_for_parts();
    let router = routes
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        .layer(middleware::from_fn_with_state(state.clone(), crate::edge::edge))
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes));
    // CORS only when some origin is allowed: the page itself is served from the same origin.
    let router = if state.config.cors_origins.is_empty() {
        router
    } else {
        router.layer(cors(&state.config.cors_origins))
    };
    router.with_state(state)
}

fn cors(origins: &[String]) -> CorsLayer {
    let base = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ]);
    if origins.iter().any(|o| o == "*") {
        base.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        base.allow_origin(AllowOrigin::list(list))
    }
}

async fn no_route() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "ROUTE_NOT_FOUND", "no such route; see /openapi.json")
}

async fn no_method() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "this route does not take this method",
    )
}

/// A JSON response with a status.
pub fn created<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::CREATED, axum::Json(body)).into_response()
}
