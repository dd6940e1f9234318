//! Tickets: one per booked seat, with a code that a door scanner verifies offline.
//!
//! A code is `T1.<show>.<booking>.<seat>.<tag>`, where `tag` is the first 16 bytes of
//! HMAC-SHA256 over everything before it, in lower-case hex. The key is supplied by the host and
//! never leaves it; anyone with the key can verify a code without asking the store.

use crate::error::BookingError;
use crate::ids::{BookingId, SeatIdx, ShowId};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt::Write as _;

type HmacSha256 = Hmac<Sha256>;

/// Shortest signing key accepted, in bytes.
pub const TICKET_KEY_BYTES_MIN: usize = 32;
/// Longest ticket code accepted for verification, in bytes.
pub const TICKET_CODE_BYTES_MAX: usize = 128;
const TAG_BYTES: usize = 16;
const VERSION: &str = "T1";

/// A ticket: one seat of a confirmed booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// The booking.
    pub booking: BookingId,
    /// The show.
    pub show: ShowId,
    /// The seat index.
    pub seat: SeatIdx,
    /// The seat label, e.g. `F12`.
    pub label: String,
    /// The signed code to print or show as a QR code.
    pub code: String,
    /// Whether it was checked in.
    pub checked_in: bool,
}

/// What a genuine ticket code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketClaims {
    /// The show.
    pub show: ShowId,
    /// The booking.
    pub booking: BookingId,
    /// The seat.
    pub seat: SeatIdx,
}

/// Signs and verifies ticket codes with the host's key.
#[derive(Clone)]
pub struct TicketSigner {
    mac: HmacSha256,
}

impl std::fmt::Debug for TicketSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketSigner(..)")
    }
}

impl TicketSigner {
    /// A signer for `key` (at least 32 bytes of secret).
    ///
    /// ```
    /// # use booking_core::{TicketSigner, TicketClaims, ShowId, BookingId, SeatIdx};
    /// let signer = TicketSigner::new(&[7u8; 32]).unwrap();
    /// let claims = TicketClaims { show: ShowId(1), booking: BookingId(2), seat: SeatIdx(3) };
    /// let code = signer.sign(&claims);
    /// assert_eq!(signer.verify(&code).unwrap(), claims);
    /// ```
    pub fn new(key: &[u8]) -> Result<Self, BookingError> {
        if key.len() < TICKET_KEY_BYTES_MIN {
            return Err(BookingError::invalid("ticket_key", "must be at least 32 bytes"));
        }
        let mac = HmacSha256::new_from_slice(key)
            .map_err(|_| BookingError::invalid("ticket_key", "unusable key"))?;
        Ok(TicketSigner { mac })
    }

    fn body(claims: &TicketClaims) -> String {
        format!("{VERSION}.{}.{}.{}", claims.show.0, claims.booking.0, claims.seat.0)
    }

    /// The signed code of a ticket.
    pub fn sign(&self, claims: &TicketClaims) -> String {
        let mut code = Self::body(claims);
        let mut mac = self.mac.clone();
        mac.update(code.as_bytes());
        let tag = mac.finalize().into_bytes();
        code.push('.');
        for b in tag.iter().take(TAG_BYTES) {
            let _ = write!(code, "{b:02x}");
        }
        code
    }

    /// Checks a code offline; `InvalidTicket` if it is malformed or its tag does not match.
    pub fn verify(&self, code: &str) -> Result<TicketClaims, BookingError> {
        let invalid = |reason: &str| BookingError::InvalidTicket { reason: reason.to_string() };
        if code.len() > TICKET_CODE_BYTES_MAX {
            return Err(invalid("code too long"));
        }
        let (body, tag_hex) = code.rsplit_once('.').ok_or_else(|| invalid("malformed code"))?;
        let mut parts = body.split('.');
        if parts.next() != Some(VERSION) {
            return Err(invalid("unknown code version"));
        }
        let mut num =
            || parts.next().and_then(|p| p.parse::<u64>().ok()).ok_or_else(|| invalid("malformed code"));
        let (show, booking, seat) = (num()?, num()?, num()?);
        let seat = u32::try_from(seat).map_err(|_| invalid("malformed code"))?;
        if parts.next().is_some() || tag_hex.len() != TAG_BYTES * 2 {
            return Err(invalid("malformed code"));
        }
        let tag = decode_hex(tag_hex).ok_or_else(|| invalid("malformed code"))?;
        let mut mac = self.mac.clone();
        mac.update(body.as_bytes());
        mac.verify_truncated_left(&tag).map_err(|_| invalid("signature does not match"))?;
        Ok(TicketClaims { show: ShowId(show), booking: BookingId(booking), seat: SeatIdx(seat) })
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    s.as_bytes().chunks(2).map(|p| Some(digit(p[0])? << 4 | digit(*p.get(1)?)?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> TicketSigner {
        TicketSigner::new(b"0123456789abcdef0123456789abcdef").unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn codes_verify_and_tampering_is_detected() {
        let s = signer();
        let claims = TicketClaims { show: ShowId(12), booking: BookingId(345), seat: SeatIdx(6) };
        let code = s.sign(&claims);
        assert!(code.starts_with("T1.12.345.6."), "{code}");
        assert_eq!(s.verify(&code), Ok(claims));
        let forged = code.replacen("T1.12.345.6", "T1.12.345.7", 1);
        assert_eq!(s.verify(&forged).map_err(|e| e.code()), Err(crate::ErrorCode::InvalidTicket));
        let other = TicketSigner::new(&[1u8; 32]).unwrap_or_else(|_| unreachable!());
        assert!(other.verify(&code).is_err());
        for bad in ["", "T1", "T2.1.2.3.00", "T1.1.2.3.zz", "T1.1.2.3.4.00000000000000000000000000000000"] {
            assert!(s.verify(bad).is_err(), "{bad}");
        }
        assert!(s.verify(&"9".repeat(200)).is_err());
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(TicketSigner::new(&[0u8; 31]).is_err());
    }
}
