//! Public ids: what HTTP calls holds, bookings and accounts. The stores number them in order,
//! which would let anyone count the sales and probe a neighbour's booking; HTTP shows instead a
//! keyed permutation of each id (a 4-round Feistel network over 52 bits, HMAC-SHA256 as its
//! round function, a separate permutation per kind), so a public id says nothing about others,
//! and guessing a live one means hitting a few in 2^52. Ids stay JSON numbers that JavaScript
//! reads exactly (below 2^53). The key is derived from the token secret, which every instance
//! shares, so every instance maps an id the same way.

use crate::error::ApiError;
use booking_core::BookingError;
use booking_front::{BookingView, EventView, HoldView, TicketView};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Bits of a public id: below 2^53, so that JavaScript numbers hold it exactly.
const ID_BITS: u32 = 52;
const HALF_BITS: u32 = ID_BITS / 2;
const HALF_MASK: u64 = (1 << HALF_BITS) - 1;
const ROUNDS: u8 = 4;

/// Which permutation: each kind has its own, so hold 5 and booking 5 look unrelated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// Holds.
    Hold,
    /// Bookings.
    Booking,
    /// Accounts.
    User,
}

impl IdKind {
    fn tag(self) -> u8 {
        match self {
            IdKind::Hold => 1,
            IdKind::Booking => 2,
            IdKind::User => 3,
        }
    }

    /// Its name in a `NOT_FOUND`.
    pub fn entity(self) -> &'static str {
        match self {
            IdKind::Hold => "hold",
            IdKind::Booking => "booking",
            IdKind::User => "user",
        }
    }
}

/// The permutations, keyed.
#[derive(Clone)]
pub struct PublicIds {
    mac: HmacSha256,
}

impl std::fmt::Debug for PublicIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicIds(..)")
    }
}

impl PublicIds {
    /// Keyed by `secret` (the token secret): a key of its own, derived, never the secret itself.
    pub fn new(secret: &[u8]) -> PublicIds {
        // HMAC takes keys of any length: neither step can fail.
        let derived = HmacSha256::new_from_slice(secret)
            .map(|m| m.chain_update(b"booking-server public ids v1").finalize().into_bytes())
            .unwrap_or_default();
        let mac = HmacSha256::new_from_slice(&derived).unwrap_or_else(|_| unreachable_mac());
        PublicIds { mac }
    }

    fn round(&self, kind: IdKind, round: u8, half: u64) -> u64 {
        let mut mac = self.mac.clone();
        mac.update(&[kind.tag(), round]);
        mac.update(&half.to_le_bytes()[..4]);
        let out = mac.finalize().into_bytes();
        u64::from(u32::from_le_bytes([out[0], out[1], out[2], out[3]])) & HALF_MASK
    }

    /// The public id of the internal `id` of a `kind`. Ids of 2^52 and more (never reached: the
    /// stores count from 1) are shown as they are, so the mapping stays one to one.
    pub fn hide(&self, kind: IdKind, id: u64) -> u64 {
        if id >> ID_BITS != 0 {
            return id;
        }
        let (mut left, mut right) = (id >> HALF_BITS, id & HALF_MASK);
        for r in 0..ROUNDS {
            (left, right) = (right, left ^ self.round(kind, r, right));
        }
        (left << HALF_BITS) | right
    }

    /// The internal id a public id of a `kind` stands for.
    pub fn reveal(&self, kind: IdKind, public: u64) -> u64 {
        if public >> ID_BITS != 0 {
            return public;
        }
        let (mut left, mut right) = (public >> HALF_BITS, public & HALF_MASK);
        for r in (0..ROUNDS).rev() {
            (left, right) = (right ^ self.round(kind, r, left), left);
        }
        (left << HALF_BITS) | right
    }

    /// [`PublicIds::hide`] for a view's `i64` id.
    pub fn hide_i64(&self, kind: IdKind, id: i64) -> i64 {
        u64::try_from(id).map_or(id, |id| i64::try_from(self.hide(kind, id)).unwrap_or(i64::MAX))
    }
}

impl PublicIds {
    /// A hold's view as HTTP shows it (its owner's account too).
    pub fn hold(&self, mut v: HoldView) -> HoldView {
        v.id = self.hide_i64(IdKind::Hold, v.id);
        v.owner = self.owner(v.owner);
        v
    }

    /// A booking's view as HTTP shows it (its hold and its owner's account too).
    pub fn booking(&self, mut v: BookingView) -> BookingView {
        v.id = self.hide_i64(IdKind::Booking, v.id);
        v.hold = self.hide_i64(IdKind::Hold, v.hold);
        v.owner = self.owner(v.owner);
        v
    }

    /// An owner as HTTP shows it: the stores know an account as `user-<its id>`, and HTTP names
    /// it by its public id (`user-<public id>`), so no answer counts the accounts. Other owners
    /// (not made by this server) stay as they are.
    pub fn owner(&self, owner: String) -> String {
        match owner.strip_prefix("user-").and_then(|n| n.parse::<u64>().ok()) {
            Some(id) => format!("user-{}", self.hide(IdKind::User, id)),
            None => owner,
        }
    }

    /// An event's view as HTTP shows it.
    pub fn event(&self, mut v: EventView) -> EventView {
        v.hold = v.hold.map(|h| self.hide_i64(IdKind::Hold, h));
        v.booking = v.booking.map(|b| self.hide_i64(IdKind::Booking, b));
        v
    }

    /// A ticket's view as HTTP shows it.
    pub fn ticket(&self, mut v: TicketView) -> TicketView {
        v.booking = self.hide_i64(IdKind::Booking, v.booking);
        v
    }
}

/// What a refusal about the public id `public` of a `kind` answers: "not yours" exactly as "not
/// found" (one body for both, naming the public id), so an answer never confirms that someone
/// else's hold or booking exists; every other refusal as it is.
pub fn refusal(kind: IdKind, public: u64) -> impl FnOnce(BookingError) -> ApiError {
    move |e| match &e {
        BookingError::NotOwner { .. } => ApiError::not_found(kind.entity(), public),
        BookingError::NotFound { entity, .. } if *entity == kind.entity() => {
            ApiError::not_found(kind.entity(), public)
        }
        _ => e.into(),
    }
}

/// An HMAC over an empty key: `new_from_slice` accepts every length, so this never runs; it
/// only spares an `expect` in library code.
fn unreachable_mac() -> HmacSha256 {
    <HmacSha256 as hmac::digest::KeyInit>::new(&Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_map_one_to_one_and_back_per_kind() {
        let ids = PublicIds::new(b"a token secret of thirty-two bytes!");
        let mut seen = HashSet::new();
        for id in 1..5_000u64 {
            let public = ids.hide(IdKind::Booking, id);
            assert!(public < 1 << 52, "exact in JavaScript");
            assert_eq!(ids.reveal(IdKind::Booking, public), id);
            assert!(seen.insert(public), "one to one");
        }
        let (hold, booking) = (ids.hide(IdKind::Hold, 7), ids.hide(IdKind::Booking, 7));
        assert_ne!(hold, booking, "each kind its own");
        // Neighbours are far apart: nothing to count or to probe.
        let (a, b) = (ids.hide(IdKind::Booking, 41), ids.hide(IdKind::Booking, 42));
        assert!(a.abs_diff(b) > 1 << 20, "{a} {b}");
        // Another key, another mapping; ids beyond 52 bits stay as they are.
        let other = PublicIds::new(b"another token secret of 32 bytes!");
        assert_ne!(other.hide(IdKind::Booking, 41), a);
        assert_eq!(ids.hide(IdKind::Hold, u64::MAX), u64::MAX);
        assert_eq!(ids.reveal(IdKind::Hold, 1 << 60), 1 << 60);
        assert_eq!(ids.hide_i64(IdKind::User, -1), -1);
        // Owners name accounts by their public ids; anything else passes as it is.
        assert_eq!(ids.owner("user-12".into()), format!("user-{}", ids.hide(IdKind::User, 12)));
        assert_eq!(ids.owner("box-office".into()), "box-office");
    }
}
