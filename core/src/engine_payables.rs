//! The pending bookings this engine created: what a payment must know before it charges (owner,
//! amount, deadline), kept from the creation so that [`crate::BookingEngine::pay`] does not read
//! its booking back from the store first. That read is one PostgreSQL statement in three of a
//! booking's; without it `server_load --store postgres --only bookings` runs about a third faster
//! (benches/README.md).
//!
//! Only facts that never change for a booking are kept, and the store stays the judge: the
//! confirmation after the charge is refused if the booking was cancelled meanwhile (through
//! another engine sharing the store, say), and the charge is then voided, as for a booking that
//! expires while it is charged. The engine fills and clears it itself, on every path that creates
//! or ends a booking: no front keeps a copy.

use crate::booking::Booking;
use crate::booking_status::BookingStatus;
use crate::ids::{BookingId, OwnerId};
use crate::money::Money;
use crate::time::Timestamp;
use dashmap::DashMap;

/// Bookings remembered at most; past it, payments of new ones read their booking.
pub const PAYABLES_MAX: usize = 50_000;

/// What a payment needs to know of a pending booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payable {
    /// Who may pay it (or staff).
    pub(crate) owner: OwnerId,
    /// What it costs.
    pub(crate) total: Money,
    /// Its payment deadline: from then on it is expired, and its payment is refused.
    pub(crate) deadline: Timestamp,
}

/// Pending bookings created by this engine, bounded by [`PAYABLES_MAX`].
#[derive(Debug, Default)]
pub(crate) struct Payables {
    map: DashMap<BookingId, Payable>,
}

impl Payables {
    /// Remembers `b` if it is pending at `now`. When full, those past their deadline are
    /// dropped first; if none is, `b` is not remembered (its payment reads it).
    pub(crate) fn remember(&self, b: &Booking, now: Timestamp) {
        if b.status_at(now) != BookingStatus::Pending {
            return;
        }
        if self.map.len() >= PAYABLES_MAX {
            self.map.retain(|_, p| p.deadline > now);
            if self.map.len() >= PAYABLES_MAX {
                return;
            }
        }
        let payable =
            Payable { owner: b.owner.clone(), total: b.quote.total(), deadline: b.payment_deadline };
        self.map.insert(b.id, payable);
    }

    /// What to charge for booking `id` at `now`, if this engine created it and it is still
    /// within its payment window.
    pub(crate) fn due(&self, id: BookingId, now: Timestamp) -> Option<Payable> {
        self.map.get(&id).map(|p| p.clone()).filter(|p| now < p.deadline)
    }

    /// Forgets booking `id` (paid, cancelled, refunded, or refused for good).
    pub(crate) fn forget(&self, id: BookingId) {
        self.map.remove(&id);
    }

    /// How many bookings are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryStore;
    use crate::testkit::{self, fixture};
    use std::sync::Arc;

    async fn pending_booking() -> Booking {
        let f = fixture(Arc::new(MemoryStore::new())).await;
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
        let payables = Payables::default();
        payables.remember(&b, now);
        let due = payables.due(b.id, now);
        assert_eq!(due.as_ref().map(|p| &p.owner), Some(&b.owner));
        assert_eq!(due.map(|p| p.total), Some(b.quote.total()));
        assert_eq!(payables.due(b.id, b.payment_deadline), None, "expired: its payment reads the store");
        payables.forget(b.id);
        assert_eq!(payables.len(), 0);
        // Not pending any more at that instant: not remembered.
        payables.remember(&b, b.payment_deadline);
        assert_eq!(payables.len(), 0);
    }

    #[tokio::test]
    async fn when_full_expired_ones_make_room_and_live_ones_do_not() {
        let b = pending_booking().await;
        let now = b.created_at;
        let payables = Payables::default();
        for i in 0..PAYABLES_MAX as u64 {
            let mut other = b.clone();
            other.id = BookingId(1_000_000 + i);
            other.payment_deadline = Timestamp(now.0 + 1);
            payables.remember(&other, now);
        }
        assert_eq!(payables.len(), PAYABLES_MAX);
        payables.remember(&b, now);
        assert_eq!(payables.len(), PAYABLES_MAX);
        assert_eq!(payables.due(b.id, now), None, "full of live bookings: not remembered");
        let later = Timestamp(now.0 + 1);
        payables.remember(&b, later);
        assert_eq!(payables.len(), 1, "the expired ones were dropped");
        assert!(payables.due(b.id, later).is_some());
    }
}
