//! Prometheus metrics: request counts and latencies by route, and the booking flow's counters.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of a request count. Every value comes from a bounded set (the router's routes, a few
/// methods, the status codes), so the series stay bounded whatever clients send.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// HTTP method, or `OTHER`.
    pub method: &'static str,
    /// The route template (`/v1/shows/{id}/seats`), or `unmatched`.
    pub route: String,
    /// Response status.
    pub status: u16,
}

/// Labels of a latency.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The route template.
    pub route: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 0.25 ms to ~4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

/// Every metric the server exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Requests answered.
    pub requests: Family<RequestLabels, Counter>,
    /// Request latencies in seconds.
    pub latency: LatencyFamily,
    /// Holds placed.
    pub holds_placed: Counter,
    /// Holds released by their owner.
    pub holds_released: Counter,
    /// Pending bookings created.
    pub bookings_created: Counter,
    /// Bookings paid and confirmed.
    pub bookings_confirmed: Counter,
    /// Payments declined or timed out.
    pub payments_failed: Counter,
    /// Holds the sweeper found expired.
    pub holds_expired: Counter,
    /// Pending bookings the sweeper found unpaid past their deadline.
    pub bookings_expired: Counter,
    /// Notifications delivered.
    pub notifications_sent: Counter,
    /// Requests refused by the rate limit.
    pub rate_limited: Counter,
    /// Requests refused because the server was at its concurrency limit with a full queue.
    pub overloaded: Counter,
    /// Live streams open now.
    pub sse_streams: Gauge,
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("booking");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register("http_request_duration_seconds", "HTTP request latency", latency.clone());
        let counter = |registry: &mut Registry, name: &str, help: &str| {
            let c = Counter::default();
            registry.register(name, help, c.clone());
            c
        };
        let holds_placed = counter(&mut registry, "holds_placed", "Holds placed");
        let holds_released = counter(&mut registry, "holds_released", "Holds released by their owner");
        let bookings_created = counter(&mut registry, "bookings_created", "Pending bookings created");
        let bookings_confirmed = counter(&mut registry, "bookings_confirmed", "Bookings paid and confirmed");
        let payments_failed = counter(&mut registry, "payments_failed", "Payments declined or timed out");
        let holds_expired = counter(&mut registry, "holds_expired", "Holds swept after expiry");
        let bookings_expired =
            counter(&mut registry, "bookings_expired", "Unpaid bookings swept after their deadline");
        let notifications_sent = counter(&mut registry, "notifications_sent", "Notifications delivered");
        let rate_limited = counter(&mut registry, "rate_limited", "Requests refused by the rate limit");
        let overloaded =
            counter(&mut registry, "overloaded", "Requests refused at once because the queue was full");
        let sse_streams = Gauge::default();
        registry.register("sse_streams", "Live seat-map streams open", sse_streams.clone());
        Metrics {
            registry,
            requests,
            latency,
            holds_placed,
            holds_released,
            bookings_created,
            bookings_confirmed,
            payments_failed,
            holds_expired,
            bookings_expired,
            notifications_sent,
            rate_limited,
            overloaded,
            sse_streams,
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// The method as a bounded label.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_in_the_text_format() {
        let m = Metrics::new();
        m.holds_placed.inc();
        m.requests
            .get_or_create(&RequestLabels { method: "GET", route: "/healthz".into(), status: 200 })
            .inc();
        m.latency.get_or_create(&RouteLabels { route: "/healthz".into() }).observe(0.001);
        let text = m.render();
        assert!(text.contains("booking_holds_placed_total 1"), "{text}");
        assert!(
            text.contains(r#"booking_http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
            "{text}"
        );
        assert!(text.contains("booking_http_request_duration_seconds_bucket"), "{text}");
    }
}
