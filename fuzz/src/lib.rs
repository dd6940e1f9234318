//! The bodies of the fuzz targets, shared by the libFuzzer binaries (`fuzz_targets/`) and by the
//! tests that replay the corpora (`tests/corpus.rs`). Each returns normally on any input it is
//! right to refuse, and panics only when an invariant breaks.

use booking_core::simulation::{SimRng, simulate_with};
use booking_core::{
    BookingError, MemoryStore, PricingPolicy, QuoteRequest, QuoteSeat, SeatLayout, TicketClaims, TicketKey,
    TicketSigner, Timestamp,
};
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// A target: takes any bytes, panics only when an invariant breaks.
pub type Target = fn(&[u8]);

/// The targets by name, as the corpus directories are named.
pub const TARGETS: [(&str, Target); 7] = [
    ("layout_text", layout_text),
    ("layout_json", layout_json),
    ("pricing_json", pricing_json),
    ("engine_ops", engine_ops),
    ("http_requests", http_requests),
    ("python_args", python_args),
    ("ticket_codes", ticket_codes),
];

/// The byte between two fields of an input (never part of UTF-8 text).
pub const SEPARATOR: u8 = 0xFF;

/// An input's first field and the rest after its [`SEPARATOR`]; `None` when it has none.
pub fn split_field(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = data.iter().position(|&b| b == SEPARATOR)?;
    Some((&data[..i], &data[i + 1..]))
}

pub mod http_requests;
pub use http_requests::http_requests;
mod python_args;
pub use python_args::python_args;

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

/// Ticket codes and ticket keys, as a door scanner or an app reads them: the input is a key's
/// text, the byte `0xFF`, then a code. A key that parses reads back from both its forms; a code
/// that verifies is exactly the code the signer gives for its claims (no second spelling of a
/// ticket, no forgery); [`booking_front::verify_ticket`] agrees with the verifier.
pub fn ticket_codes(data: &[u8]) {
    let (key, code) = split_field(data).unwrap_or((&[], data));
    if let Ok(text) = std::str::from_utf8(key)
        && let Ok(key) = TicketKey::parse("key", text)
    {
        assert_eq!(TicketKey::parse("key", &key.to_base64url()).ok(), Some(key), "{text:?}");
        assert_eq!(TicketKey::parse("key", &key.to_hex()).ok(), Some(key), "{text:?}");
    }
    let Ok(code) = std::str::from_utf8(code) else { return };
    let signer = ticket_signer();
    let verified = signer.verify(code);
    match &verified {
        Ok(claims) => assert_eq!(signer.sign(claims), code, "a second spelling of a ticket verifies"),
        Err(e) => assert_eq!(e.code().as_str(), "INVALID_TICKET", "{e}"),
    }
    let keys = [signer.public_key().to_base64url()];
    let offline = booking_front::verify_ticket(code, &keys);
    assert_eq!(offline.ok(), verified.ok().map(booking_front::TicketClaims::from), "{code:?}");
}

/// The signer of [`ticket_codes`], and a code it signed (the seed corpus starts from it).
pub fn ticket_signer() -> TicketSigner {
    TicketSigner::new(&[7u8; 32]).unwrap_or_else(|e| panic!("signer: {e}"))
}

/// A code [`ticket_signer`] signed.
pub fn signed_code() -> String {
    let claims = TicketClaims {
        show: booking_core::ShowId(1),
        booking: booking_core::BookingId(2),
        seat: booking_core::SeatIdx(3),
    };
    ticket_signer().sign(&claims)
}

/// Whether a refusal is well formed: a known code, a message, and for bad input the field and
/// the reason.
pub fn assert_typed(e: &BookingError, what: &str) {
    assert!(!e.to_string().is_empty(), "{what}: an error without a message");
    if e.code().as_str() == "INVALID_INPUT" {
        let details = e.details();
        let named = |k: &str| details[k].as_str().is_some_and(|v| !v.is_empty());
        assert!(named("field") && named("reason"), "{what}: {details}");
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
