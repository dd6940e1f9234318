//! The HTTP API: every route under `/v1`, the operations routes, the docs and the web page,
//! with the middleware every request passes.

mod accounts;
mod analytics;
pub(crate) mod bookings;
mod catalogue;
mod events;
mod holds;
mod ops;
mod shows;

use crate::app::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use events::head_seq;
pub use shows::TURNAROUND_MINUTES;

pub use crate::edge::REQUEST_ID;

/// Every route of the service.
pub fn router(state: Arc<AppState>) -> Router {
    let v1 = Router::new()
        .merge(accounts::routes())
        .merge(catalogue::routes())
        .merge(shows::routes())
        .merge(holds::routes())
        .merge(bookings::routes())
        .merge(events::routes())
        .merge(analytics::routes());
    let router = Router::new()
        .nest("/v1", v1)
        .merge(ops::routes())
        .merge(crate::web::routes())
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
