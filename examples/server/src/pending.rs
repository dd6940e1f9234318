//! The bookings this instance created and that wait for their payment: what the pay route must
//! know before it charges (owner, amount, deadline), kept from the creation so that a payment
//! does not read its booking back from the store first. That read was one PostgreSQL statement
//! in three per booking under a rush.
//!
//! Only facts that never change for a booking are kept, and the store stays the judge: the
//! confirmation after the charge is refused if the booking was cancelled meanwhile (by another
//! instance, say), and the charge is then voided, as for a booking that expires while it is
//! charged.

use booking_core::{Booking, BookingId, BookingStatus, Money, OwnerId, Timestamp};
use dashmap::DashMap;

/// Bookings remembered at most; past it, payments of new ones read their booking.
pub const PENDING_MAX: usize = 50_000;

/// What a payment needs to know of a pending booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payable {
    /// Who may pay it (or staff).
    pub owner: OwnerId,
    /// What it costs.
    pub total: Money,
    /// Its payment deadline: from then on it is expired, and its payment is refused.
    pub deadline: Timestamp,
}

/// Pending bookings created here, bounded by [`PENDING_MAX`].
#[derive(Debug, Default)]
pub struct PendingPayments {
    map: DashMap<BookingId, Payable>,
}

impl PendingPayments {
    /// Remembers `b` if it is pending at `now`. When full, those past their deadline are
    /// dropped first; if none is, `b` is not remembered (its payment reads it).
    pub fn remember(&self, b: &Booking, now: Timestamp) {
        if b.status_at(now) != BookingStatus::Pending {
            return;
        }
        if self.map.len() >= PENDING_MAX {
            self.map.retain(|_, p| p.deadline > now);
            if self.map.len() >= PENDING_MAX {
                return;
            }
        }
        let payable =
            Payable { owner: b.owner.clone(), total: b.quote.total(), deadline: b.payment_deadline };
        self.map.insert(b.id, payable);
    }

    /// What to charge for booking `id` at `now`, if it was created here and is still within its
    /// payment window.
    pub fn due(&self, id: BookingId, now: Timestamp) -> Option<Payable> {
        self.map.get(&id).map(|p| p.clone()).filter(|p| now < p.deadline)
    }

    /// Forgets booking `id` (paid, cancelled or refunded).
    pub fn forget(&self, id: BookingId) {
        self.map.remove(&id);
    }

    /// How many bookings are remembered.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::{MemoryStore, testkit};
    use std::sync::Arc;

    async fn pending_booking() -> Booking {
        let f = testkit::fixture(Arc::new(MemoryStore::new())).await;
        let h = f.hold("ann", &["A1", "A2"]).await.unwrap_or_else(|e| panic!("hold: {e}"));
        f.engine
            .create_booking(h.id, testkit::actor("ann"), "create-1", Some(h.fence))
            .await
            .unwrap_or_else(|e| panic!("create: {e}"))
    }

    #[tokio::test]
    async fn pending_bookings_are_remembered_until_their_deadline() {
        let b = pending_booking().await;
        let now = b.created_at;
        let pending = PendingPayments::default();
        pending.remember(&b, now);
        let due = pending.due(b.id, now);
        assert_eq!(due.as_ref().map(|p| &p.owner), Some(&b.owner));
        assert_eq!(due.map(|p| p.total), Some(b.quote.total()));
        assert_eq!(pending.due(b.id, b.payment_deadline), None, "expired: its payment reads the store");
        pending.forget(b.id);
        assert!(pending.is_empty());
        // Not pending any more at that instant: not remembered.
        pending.remember(&b, b.payment_deadline);
        assert!(pending.is_empty());
    }

    #[tokio::test]
    async fn when_full_expired_ones_make_room_and_live_ones_do_not() {
        let b = pending_booking().await;
        let now = b.created_at;
        let pending = PendingPayments::default();
        for i in 0..PENDING_MAX as u64 {
            let mut other = b.clone();
            other.id = BookingId(1_000_000 + i);
            other.payment_deadline = Timestamp(now.0 + 1);
            pending.remember(&other, now);
        }
        assert_eq!(pending.len(), PENDING_MAX);
        pending.remember(&b, now);
        assert_eq!(pending.len(), PENDING_MAX);
        assert_eq!(pending.due(b.id, now), None, "full of live bookings: not remembered");
        let later = Timestamp(now.0 + 1);
        pending.remember(&b, later);
        assert_eq!(pending.len(), 1, "the expired ones were dropped");
        assert!(pending.due(b.id, later).is_some());
    }
}
