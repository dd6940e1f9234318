//! Tickets: one per booked seat, with a code that a door scanner verifies offline with a
//! public key alone.
//!
//! A code is `T2.<show>.<booking>.<seat>.<kid>.<signature>`: `kid` names the signing key (the
//! first 4 bytes of SHA-256 of its public key, in hex) and `signature` is the Ed25519 signature
//! of everything before it, in unpadded base64url. The host's secret never leaves it: scanners
//! and apps hold only the public keys ([`TicketKey`], [`TicketVerifier`]), which can verify but
//! never mint a ticket. Rotation: a new secret signs, and tickets of the previous keys verify as
//! long as their public keys are listed ([`TicketSigner::also_accepting`]).

use crate::error::BookingError;
use crate::ids::{BookingId, SeatIdx, ShowId};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// Shortest signing secret accepted, in bytes.
pub const TICKET_KEY_BYTES_MIN: usize = 32;
/// Longest ticket code accepted for verification, in bytes.
pub const TICKET_CODE_BYTES_MAX: usize = 160;
/// Most public keys one verifier accepts (the current one and those not yet retired).
pub const TICKET_KEYS_MAX: usize = 16;
const VERSION: &str = "T2";
const KID_BYTES: usize = 4;
/// Domain separation: the Ed25519 seed is derived from the host's secret, never the secret itself.
const SEED_CONTEXT: &[u8] = b"booking-core ticket signing key v2\0";

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

/// A public key that verifies tickets: 32 bytes of Ed25519, written as unpadded base64url (as the
/// `x` of a JSON Web Key) or as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TicketKey(VerifyingKey);

impl std::fmt::Debug for TicketKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TicketKey({})", self.kid())
    }
}

impl TicketKey {
    /// The key from its text: unpadded base64url (43 characters) or hex (64 digits); an
    /// `INVALID_INPUT` on `field` otherwise.
    ///
    /// ```
    /// # use booking_core::{TicketKey, TicketSigner};
    /// let public = TicketSigner::new(&[7u8; 32]).unwrap().public_key();
    /// assert_eq!(TicketKey::parse("key", &public.to_base64url()).unwrap(), public);
    /// assert_eq!(TicketKey::parse("key", &public.to_hex()).unwrap(), public);
    /// assert!(TicketKey::parse("key", "not a key").is_err());
    /// ```
    pub fn parse(field: &str, text: &str) -> Result<TicketKey, BookingError> {
        let text = text.trim();
        let bytes = match text.len() {
            64 => decode_hex(text),
            43 => URL_SAFE_NO_PAD.decode(text).ok(),
            _ => None,
        }
        .ok_or_else(|| {
            BookingError::invalid(field, "an Ed25519 public key: 43 base64url characters or 64 hex digits")
        })?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|_| BookingError::invalid(field, "must be 32 bytes"))?;
        VerifyingKey::from_bytes(&bytes)
            .map(TicketKey)
            .map_err(|_| BookingError::invalid(field, "not a point of Ed25519"))
    }

    /// The key's 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Unpadded base64url, as a JSON Web Key's `x`.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    /// 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex(self.0.as_bytes())
    }

    /// The key's id in ticket codes: the first 4 bytes of SHA-256 of the key, in hex.
    pub fn kid(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes())[..KID_BYTES])
    }
}

/// Verifies ticket codes offline with public keys alone: what a door scanner or an app holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketVerifier {
    keys: Vec<(String, TicketKey)>,
}

impl TicketVerifier {
    /// A verifier accepting tickets signed by any of `keys` (1 to [`TICKET_KEYS_MAX`]).
    pub fn new(keys: impl IntoIterator<Item = TicketKey>) -> Result<TicketVerifier, BookingError> {
        let mut all: Vec<(String, TicketKey)> = Vec::new();
        for key in keys {
            if !all.iter().any(|(_, k)| *k == key) {
                all.push((key.kid(), key));
            }
        }
        if all.is_empty() {
            return Err(BookingError::invalid("ticket_keys", "at least one public key is needed"));
        }
        if all.len() > TICKET_KEYS_MAX {
            return Err(BookingError::invalid("ticket_keys", format!("at most {TICKET_KEYS_MAX} keys")));
        }
        Ok(TicketVerifier { keys: all })
    }

    /// The keys it accepts, the signing one first when it came from a [`TicketSigner`].
    pub fn keys(&self) -> impl Iterator<Item = &TicketKey> {
        self.keys.iter().map(|(_, k)| k)
    }

    /// Checks a code offline; `INVALID_TICKET` with the reason when it is malformed, signed by a
    /// key this verifier does not accept, or its signature does not match.
    pub fn verify(&self, code: &str) -> Result<TicketClaims, BookingError> {
        let invalid = |reason: &str| BookingError::InvalidTicket { reason: reason.to_string() };
        if code.len() > TICKET_CODE_BYTES_MAX {
            return Err(invalid("code too long"));
        }
        let (signed, signature) = code.rsplit_once('.').ok_or_else(|| invalid("malformed code"))?;
        let mut parts = signed.split('.');
        if parts.next() != Some(VERSION) {
            return Err(invalid("unknown code version"));
        }
        let mut num =
            || parts.next().and_then(|p| p.parse::<u64>().ok()).ok_or_else(|| invalid("malformed code"));
        let (show, booking, seat) = (num()?, num()?, num()?);
        let seat = u32::try_from(seat).map_err(|_| invalid("malformed code"))?;
        let kid = parts.next().ok_or_else(|| invalid("malformed code"))?;
        if parts.next().is_some() {
            return Err(invalid("malformed code"));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or_else(|| invalid("malformed code"))?;
        let (_, key) =
            self.keys.iter().find(|(k, _)| k == kid).ok_or_else(|| invalid("signed by an unknown key"))?;
        key.0.verify(signed.as_bytes(), &signature).map_err(|_| invalid("signature does not match"))?;
        Ok(TicketClaims { show: ShowId(show), booking: BookingId(booking), seat: SeatIdx(seat) })
    }
}

/// Signs ticket codes with the host's secret, and verifies them (its own and those of the
/// previous keys it was told to accept).
#[derive(Clone)]
pub struct TicketSigner {
    key: SigningKey,
    kid: String,
    verifier: TicketVerifier,
}

impl std::fmt::Debug for TicketSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TicketSigner({})", self.kid)
    }
}

impl TicketSigner {
    /// A signer for `secret` (at least 32 bytes): the Ed25519 key is derived from it, so the same
    /// secret always gives the same key pair.
    ///
    /// ```
    /// # use booking_core::{TicketSigner, TicketClaims, TicketVerifier, ShowId, BookingId, SeatIdx};
    /// let signer = TicketSigner::new(&[7u8; 32]).unwrap();
    /// let claims = TicketClaims { show: ShowId(1), booking: BookingId(2), seat: SeatIdx(3) };
    /// let code = signer.sign(&claims);
    /// // A door scanner holds the public key only.
    /// let scanner = TicketVerifier::new([signer.public_key()]).unwrap();
    /// assert_eq!(scanner.verify(&code).unwrap(), claims);
    /// ```
    pub fn new(secret: &[u8]) -> Result<Self, BookingError> {
        if secret.len() < TICKET_KEY_BYTES_MIN {
            return Err(BookingError::invalid("ticket_key", "must be at least 32 bytes"));
        }
        let seed: [u8; 32] = Sha256::new().chain_update(SEED_CONTEXT).chain_update(secret).finalize().into();
        let key = SigningKey::from_bytes(&seed);
        let public = TicketKey(key.verifying_key());
        let verifier = TicketVerifier::new([public])?;
        Ok(TicketSigner { kid: public.kid(), key, verifier })
    }

    /// The same signer, also accepting tickets signed by `previous` keys (rotation: list a key
    /// here until its tickets are no longer valid, then drop it to retire it).
    pub fn also_accepting(
        mut self,
        previous: impl IntoIterator<Item = TicketKey>,
    ) -> Result<Self, BookingError> {
        let current = self.public_key();
        self.verifier = TicketVerifier::new(std::iter::once(current).chain(previous))?;
        Ok(self)
    }

    /// The public key of the tickets it signs: hand it to scanners and apps.
    pub fn public_key(&self) -> TicketKey {
        TicketKey(self.key.verifying_key())
    }

    /// What verifies its tickets and those of the previous keys it accepts, without its secret.
    pub fn verifier(&self) -> &TicketVerifier {
        &self.verifier
    }

    /// The signed code of a ticket.
    pub fn sign(&self, claims: &TicketClaims) -> String {
        let mut code =
            format!("{VERSION}.{}.{}.{}.{}", claims.show.0, claims.booking.0, claims.seat.0, self.kid);
        let signature = self.key.sign(code.as_bytes());
        code.push('.');
        URL_SAFE_NO_PAD.encode_string(signature.to_bytes(), &mut code);
        code
    }

    /// Checks a code offline, as [`TicketVerifier::verify`] with the keys it accepts.
    pub fn verify(&self, code: &str) -> Result<TicketClaims, BookingError> {
        self.verifier.verify(code)
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
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
        assert!(code.starts_with(&format!("T2.12.345.6.{}.", s.public_key().kid())), "{code}");
        assert!(code.len() <= TICKET_CODE_BYTES_MAX);
        assert_eq!(s.verify(&code), Ok(claims));
        let forged = code.replacen("T2.12.345.6", "T2.12.345.7", 1);
        assert_eq!(s.verify(&forged).map_err(|e| e.code()), Err(crate::ErrorCode::InvalidTicket));
        let other = TicketSigner::new(&[1u8; 32]).unwrap_or_else(|_| unreachable!());
        assert!(other.verify(&code).is_err());
        for bad in ["", "T2", "T1.1.2.3.00", "T2.1.2.3.abcd.zz", "T2.1.2.3.4.abcd.AAAA", "T2.1.2.x.abcd.AAAA"]
        {
            assert!(s.verify(bad).is_err(), "{bad}");
        }
        assert!(s.verify(&"9".repeat(200)).is_err());
        // The largest ids still fit the limit.
        let big =
            TicketClaims { show: ShowId(u64::MAX), booking: BookingId(u64::MAX), seat: SeatIdx(u32::MAX) };
        let big_code = s.sign(&big);
        assert!(big_code.len() <= TICKET_CODE_BYTES_MAX, "{}", big_code.len());
        assert_eq!(s.verify(&big_code), Ok(big));
    }

    #[test]
    fn the_public_key_verifies_but_cannot_sign_and_keys_rotate() {
        let old = signer();
        let claims = TicketClaims { show: ShowId(1), booking: BookingId(2), seat: SeatIdx(3) };
        let old_code = old.sign(&claims);
        // Same secret, same key pair.
        assert_eq!(signer().public_key(), old.public_key());
        let scanner = TicketVerifier::new([old.public_key()]).unwrap_or_else(|_| unreachable!());
        assert_eq!(scanner.verify(&old_code), Ok(claims));
        // A new key signs; the old one's tickets verify while it is accepted...
        let new = TicketSigner::new(&[2u8; 32])
            .and_then(|s| s.also_accepting([old.public_key()]))
            .unwrap_or_else(|_| unreachable!());
        let new_code = new.sign(&claims);
        assert_eq!((new.verify(&old_code), new.verify(&new_code)), (Ok(claims), Ok(claims)));
        assert_eq!(new.verifier().keys().next(), Some(&new.public_key()));
        // ...and are refused once it is retired.
        let retired = TicketSigner::new(&[2u8; 32]).unwrap_or_else(|_| unreachable!());
        let refused = retired.verify(&old_code).map_err(|e| e.details()["reason"].clone());
        assert_eq!(refused, Err("signed by an unknown key".into()));
        // Too many keys, or none, is a limit.
        assert!(TicketVerifier::new([]).is_err());
        let many = (0..=TICKET_KEYS_MAX as u8)
            .map(|i| TicketSigner::new(&[i; 32]).map(|s| s.public_key()).unwrap_or_else(|_| unreachable!()));
        assert!(TicketVerifier::new(many).is_err());
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(TicketSigner::new(&[0u8; 31]).is_err());
    }
}
