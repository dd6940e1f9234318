//! Offline ticket verification with public keys alone: what a door-scanner app does without the
//! store or the engine's secret.

use crate::call::guard;
use crate::error::BookingError;

/// Verifies a ticket code with public keys alone (each the `x` of a key of
/// `BookingEngine.ticketKeys()`, or 64 hex digits): `InvalidTicket` when it is forged, malformed
/// or signed by a key not given; `InvalidInput` on `public_keys` when a key cannot be read.
#[uniffi::export]
pub fn verify_ticket(
    code: String,
    public_keys: Vec<String>,
) -> Result<booking_front::TicketClaims, BookingError> {
    guard("verifyTicket", || booking_front::verify_ticket(&code, &public_keys))
}
