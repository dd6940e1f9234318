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
use crate::metrics::{RequestLabels, RouteLabels, method_label};
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use events::head_seq;
pub use shows::TURNAROUND_MINUTES;

/// The header carrying the request id (set by the server unless the client sent one).
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

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
    let limited = Router::new()
        .nest("/v1", v1)
        .route_layer(middleware::from_fn_with_state(state.clone(), crate::ratelimit::limit));
    Router::new()
        .merge(limited)
        .merge(ops::routes())
        .merge(crate::web::routes())
        .fallback(no_route)
        .method_not_allowed_fallback(no_method)
        // A panic is the server's bug: a 500 in the one error shape, counted by `track`.
        .layer(CatchPanicLayer::custom(|_panic| {
            ApiError::internal("a request handler panicked").into_response()
        }))
        .layer(middleware::from_fn_with_state(state.clone(), crate::admission::admit))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes))
        .layer(cors(&state.config.cors_origins))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        })
        // One line per request at info (status and latency, in the request's span).
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
        .layer(SetRequestIdLayer::new(REQUEST_ID, NextRequestId::default()))
        .with_state(state)
}

/// Request ids: a per-process random prefix and a counter.
#[derive(Clone)]
struct NextRequestId {
    prefix: Arc<str>,
    n: Arc<AtomicU64>,
}

impl Default for NextRequestId {
    fn default() -> Self {
        let bytes = crate::secrets::random_bytes(4);
        let prefix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        NextRequestId { prefix: prefix.into(), n: Arc::default() }
    }
}

impl MakeRequestId for NextRequestId {
    fn make_request_id<B>(&mut self, _req: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.n.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix)).ok().map(RequestId::new)
    }
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

/// Counts and times every request by its route template.
async fn track(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_string();
    let res = next.run(req).await;
    let labels = RequestLabels { method, route: route.clone(), status: res.status().as_u16() };
    state.metrics.requests.get_or_create(&labels).inc();
    state.metrics.latency.get_or_create(&RouteLabels { route }).observe(started.elapsed().as_secs_f64());
    res
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
