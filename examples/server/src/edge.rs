//! What every request passes on its way in and out, in one middleware: its id, the rate limit
//! (for the API), admission (back-pressure), a catch for a handler's panic, the effects of the
//! change it made (`effects.rs`), its log line and its metrics.
//!
//! One function rather than a layer each: axum clones every layer's service for every request,
//! and the stack of six layers this replaces cost a third of the server's throughput on small
//! requests (benches/README.md).

use crate::app::AppState;
use crate::error::ApiError;
use crate::metrics::{RequestLabels, RouteLabels, method_label};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tracing::Instrument;

/// The header carrying the request id (set by the server unless the client sent one).
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request id taken from a client, in bytes; a longer one is replaced.
pub const REQUEST_ID_BYTES_MAX: usize = 64;

/// Request ids: a per-process random prefix and a counter.
#[derive(Debug)]
pub struct RequestIds {
    prefix: String,
    n: AtomicU64,
}

impl Default for RequestIds {
    fn default() -> Self {
        let prefix = crate::secrets::random_bytes(4).iter().map(|b| format!("{b:02x}")).collect();
        RequestIds { prefix, n: AtomicU64::new(0) }
    }
}

impl RequestIds {
    /// The next id, `<prefix>-<n>`.
    pub fn next(&self) -> HeaderValue {
        let n = self.n.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix)).unwrap_or(HeaderValue::from_static("-"))
    }
}

/// The client's id when it is a usable one, else a new one.
fn request_id(state: &AppState, req: &Request) -> HeaderValue {
    match req.headers().get(REQUEST_ID) {
        Some(v) if !v.is_empty() && v.len() <= REQUEST_ID_BYTES_MAX && v.to_str().is_ok() => v.clone(),
        _ => state.request_ids.next(),
    }
}

/// The middleware.
pub async fn edge(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&state, &req);
    req.headers_mut().insert(REQUEST_ID, id.clone());
    let method = method_label(req.method());
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_string();
    let client = crate::client_addr::client_of(&state.config.trusted_proxies, &req);
    if let Some(ip) = client {
        req.extensions_mut().insert(crate::client_addr::ClientAddr(ip));
    }
    let span = tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        client = client.map(tracing::field::display),
        request_id = id.to_str().unwrap_or("-"),
    );
    let mut res = async {
        if route.starts_with("/v1/")
            && let Err(refused) = crate::ratelimit::check_request(&state, &req)
        {
            return refused.into_response();
        }
        let Some(_admitted) = state.admission.enter() else {
            state.metrics.overloaded.inc();
            return crate::admission::overloaded().into_response();
        };
        let Some(_running) = state.admission.running().await else {
            return crate::admission::overloaded().into_response();
        };
        match AssertUnwindSafe(next.run(req)).catch_unwind().await {
            Ok(res) => res,
            // A panic is the server's bug: a 500 in the one error shape.
            Err(_) => ApiError::internal("a request handler panicked").into_response(),
        }
    }
    .instrument(span.clone())
    .await;
    // What the handler changed sets off its effects here, once, whatever the route.
    crate::effects::after_response(&state, &mut res);
    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    span.in_scope(|| tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1e3, "answered"));
    let labels = RequestLabels { method, route, status };
    state.metrics.requests.get_or_create(&labels).inc();
    state.metrics.latency.get_or_create(&RouteLabels { route: labels.route }).observe(elapsed.as_secs_f64());
    res.headers_mut().insert(REQUEST_ID, id);
    res
}
