//! The bodies of the fuzz targets, shared by the libFuzzer binaries (`fuzz_targets/`) and by the
//! tests that replay the corpora (`tests/corpus.rs`). Each returns normally on any input it is
//! right to refuse, and panics only when an invariant breaks.

use booking_core::simulation::{SimRng, simulate_with};
use booking_core::{MemoryStore, PricingPolicy, QuoteRequest, QuoteSeat, SeatLayout, Timestamp};
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// A target: takes any bytes, panics only when an invariant breaks.
pub type Target = fn(&[u8]);

/// The targets by name, as the corpus directories are named.
pub const TARGETS: [(&str, Target); 5] = [
    ("layout_text", layout_text),
    ("layout_json", layout_json),
    ("pricing_json", pricing_json),
    ("engine_ops", engine_ops),
    ("http_bodies", http_bodies),
];

mod http_bodies;
pub use http_bodies::http_bodies;

/// The layout text parser: refuses or gives a layout whose text form parses to the same layout.
pub fn layout_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(layout) = SeatLayout::parse_text(text) else { return };
    assert!(layout.seat_count() > 0, "an empty layout was accepted");
    if let Some(again) = layout.to_text() {
        let reparsed = SeatLayout::parse_text(&again)
            .unwrap_or_else(|e| panic!("the text form of an accepted layout is refused: {e}\n{again}"));
        assert_eq!(reparsed, layout, "the text form does not round-trip:\n{again}");
    }
}

/// Layouts in JSON: refuses or gives a layout whose JSON reads back to the same layout.
pub fn layout_json(data: &[u8]) {
    let Ok(layout) = serde_json::from_slice::<SeatLayout>(data) else { return };
    let json = serde_json::to_string(&layout)
        .unwrap_or_else(|e| panic!("an accepted layout does not serialise: {e}"));
    let back: SeatLayout = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("the JSON of an accepted layout is refused: {e}\n{json}"));
    assert_eq!(back, layout);
}

/// Pricing policies in JSON: a policy that validates prices seats of its categories with quotes
/// that add up, or refuses with a typed error.
pub fn pricing_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(policy) = PricingPolicy::from_json(text) else { return };
    if policy.validate().is_err() {
        return;
    }
    let zone = jiff::tz::TimeZone::UTC;
    let labels: Vec<Arc<str>> = (1..=4).map(|n| Arc::from(format!("S{n}"))).collect();
    for category in ["standard", "premium", "vip"] {
        let seats: Vec<QuoteSeat<'_>> =
            labels.iter().map(|label| QuoteSeat { label, category, ticket_type: None }).collect();
        let req = QuoteRequest {
            seats: &seats,
            show_starts_at: Timestamp(1_900_000_000_000),
            time_zone: &zone,
            now: Timestamp(1_899_000_000_000),
            occupancy_bp: (data.len() as u32 * 97) % 10_001,
            promo_code: None,
        };
        if let Ok(q) = policy.quote(&req) {
            assert!(q.is_consistent(), "a quote that does not add up: {q:?}");
            assert_eq!(q.currency, policy.currency(), "a quote in another currency");
        }
    }
}

/// The engine on the memory store, driven by the input's bytes: every invariant after every step.
pub fn engine_ops(data: &[u8]) {
    let run = simulate_with(Arc::new(MemoryStore::new()), SimRng::from_bytes(data), 4, 64);
    if let Err(e) = ready(run) {
        panic!("{e}");
    }
}

/// Runs a future that never waits: the memory store answers at once.
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the memory store never waits"),
    }
}
