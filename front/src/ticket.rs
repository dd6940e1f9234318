//! A ticket as every front reads it.

use crate::booking::Booking;
use crate::num;
use booking_core as bc;
use booking_core::Timestamp;
use serde::{Deserialize, Serialize};

/// One ticket: a seat of a confirmed booking, with the signed code a door scanner verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Ticket {
    /// The booking.
    pub booking: i64,
    /// The show.
    pub show: i64,
    /// The seat's label, e.g. `F12`.
    pub seat: String,
    /// The signed code (what a QR code carries), verified offline at the door.
    pub code: String,
    /// Whether it was checked in.
    pub checked_in: bool,
}

impl From<&bc::Ticket> for Ticket {
    fn from(t: &bc::Ticket) -> Self {
        Ticket {
            booking: num(t.booking.0),
            show: num(t.show.0),
            seat: t.label.clone(),
            code: t.code.clone(),
            checked_in: t.checked_in,
        }
    }
}

/// A booking just paid, with its tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Confirmation {
    /// The booking, now confirmed.
    pub booking: Booking,
    /// One ticket per seat.
    pub tickets: Vec<Ticket>,
}

impl Confirmation {
    /// The view of `c`, a confirmation of a booking of `show`, at `now`.
    pub fn new(c: &bc::Confirmation, show: &bc::Show, now: Timestamp) -> Confirmation {
        Confirmation {
            booking: Booking::new(&c.booking, show, now),
            tickets: c.tickets.iter().map(Ticket::from).collect(),
        }
    }
}

/// A ticket just checked in at the door, with its booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckIn {
    /// The ticket.
    pub ticket: Ticket,
    /// Its booking after the check-in.
    pub booking: Booking,
}

impl CheckIn {
    /// The view of `c`, a check-in at a show `show`, at `now`.
    pub fn new(c: &bc::CheckIn, show: &bc::Show, now: Timestamp) -> CheckIn {
        CheckIn { ticket: (&c.ticket).into(), booking: Booking::new(&c.booking, show, now) }
    }
}

/// What a genuine ticket code says, read offline without the store: the seat is its index in the
/// show's layout (the layout names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TicketClaims {
    /// The show.
    pub show: i64,
    /// The booking.
    pub booking: i64,
    /// The seat's index in the show's layout.
    pub seat: i64,
}

impl From<bc::TicketClaims> for TicketClaims {
    fn from(c: bc::TicketClaims) -> Self {
        TicketClaims { show: num(c.show.0), booking: num(c.booking.0), seat: i64::from(c.seat.0) }
    }
}

/// A public key that verifies tickets, as a JSON Web Key (RFC 8037: `OKP`, `Ed25519`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TicketKey {
    /// Key type: `OKP`.
    pub kty: String,
    /// Curve: `Ed25519`.
    pub crv: String,
    /// Algorithm: `EdDSA`.
    pub alg: String,
    /// The key's id, as ticket codes name it.
    pub kid: String,
    /// The public key: 32 bytes in unpadded base64url. Give it to `verify_ticket`.
    pub x: String,
    /// Whether it signs new tickets (otherwise it is a previous key whose tickets still verify).
    pub signing: bool,
}

/// The public keys that verify an engine's tickets, the signing one first (a JSON Web Key Set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TicketKeys {
    /// The keys.
    pub keys: Vec<TicketKey>,
}

impl TicketKeys {
    /// The view of `keys`, the first of which signs.
    pub fn new(keys: &[bc::TicketKey]) -> TicketKeys {
        let keys = keys
            .iter()
            .enumerate()
            .map(|(i, k)| TicketKey {
                kty: "OKP".into(),
                crv: "Ed25519".into(),
                alg: "EdDSA".into(),
                kid: k.kid(),
                x: k.to_base64url(),
                signing: i == 0,
            })
            .collect();
        TicketKeys { keys }
    }
}

/// Verifies a ticket code offline with public keys alone (each the `x` of a [`TicketKey`], or 64
/// hex digits): what a door scanner or an app does without the store or the secret.
/// `INVALID_TICKET` when the code is forged, malformed or signed by a key not given;
/// `INVALID_INPUT` on `public_keys` when a key cannot be read.
///
/// ```
/// let signer = booking_core::TicketSigner::new(&[7u8; 32]).unwrap();
/// let claims = booking_core::TicketClaims {
///     show: booking_core::ShowId(1), booking: booking_core::BookingId(2), seat: booking_core::SeatIdx(3),
/// };
/// let code = signer.sign(&claims);
/// let keys = [signer.public_key().to_base64url()];
/// assert_eq!(booking_front::verify_ticket(&code, &keys).unwrap().booking, 2);
/// ```
pub fn verify_ticket(code: &str, public_keys: &[String]) -> Result<TicketClaims, bc::BookingError> {
    if public_keys.len() > bc::TICKET_KEYS_MAX {
        return Err(bc::BookingError::invalid(
            "public_keys",
            format!("at most {} keys", bc::TICKET_KEYS_MAX),
        ));
    }
    let keys =
        public_keys.iter().map(|k| bc::TicketKey::parse("public_keys", k)).collect::<Result<Vec<_>, _>>()?;
    let verifier = bc::TicketVerifier::new(keys)
        .map_err(|_| bc::BookingError::invalid("public_keys", "at least one public key is needed"))?;
    Ok(verifier.verify(code)?.into())
}
