//! The payment saga and the refund rule on the memory store, with a gateway that records what
//! it was asked.

use super::*;
use crate::testkit::{Fixture, actor, fixture};
use crate::{BookingStatus, Charge, ManualClock, MemoryStore, Money, SeatStatus};
use async_trait::async_trait;
use parking_lot::Mutex;
use std::sync::Arc;
use tokio::sync::Barrier;

/// Tokens: `ok`, `decline`, `timeout`, `fail`; `late` charges, then moves the clock past every
/// deadline (the booking expires while its card is charged).
struct Gateway {
    charges: Mutex<Vec<String>>,
    refunds: Mutex<Vec<(String, Money)>>,
    clock: Option<ManualClock>,
    /// Makes racing payments all charge before any of them confirms.
    meet: Option<Barrier>,
}

impl Gateway {
    fn new() -> Gateway {
        Gateway { charges: Mutex::default(), refunds: Mutex::default(), clock: None, meet: None }
    }

    fn charges(&self) -> Vec<String> {
        self.charges.lock().clone()
    }

    fn refunds(&self) -> Vec<String> {
        self.refunds.lock().iter().map(|(id, _)| id.clone()).collect()
    }
}

#[async_trait]
impl PaymentGateway for Gateway {
    async fn charge(&self, req: &ChargeRequest) -> Result<Charge, PaymentError> {
        if let Some(meet) = &self.meet {
            meet.wait().await;
        }
        match req.token.as_str() {
            "decline" => return Err(PaymentError::Declined { reason: "insufficient funds".into() }),
            "timeout" => return Err(PaymentError::Timeout),
            "fail" => return Err(PaymentError::Failure("processor down".into())),
            "late" => {
                if let Some(clock) = &self.clock {
                    clock.advance_millis(24 * 3_600_000);
                }
            }
            _ => {}
        }
        self.charges.lock().push(req.idempotency_key.clone());
        Ok(Charge { id: format!("ch-{}", req.idempotency_key) })
    }

    async fn refund(&self, charge_id: &str, amount: Money) -> Result<(), PaymentError> {
        self.refunds.lock().push((charge_id.to_string(), amount));
        Ok(())
    }
}

async fn pending(f: &Fixture, seats: &[&str]) -> Booking {
    let hold = f.hold("ann", seats).await.unwrap_or_else(|e| panic!("hold: {e}"));
    f.engine
        .create_booking(hold.id, actor("ann"), &format!("create-{}", hold.id.0), None)
        .await
        .unwrap_or_else(|e| panic!("create: {e}"))
}

fn pay(b: &Booking, token: &str, key: Option<&str>) -> PayBooking {
    PayBooking {
        booking: b.id,
        actor: actor("ann"),
        token: token.into(),
        idempotency_key: key.map(str::to_string),
    }
}

fn code<T>(r: Result<T, BookingError>) -> Option<ErrorCode> {
    r.err().map(|e| e.code())
}

#[tokio::test]
async fn a_payment_charges_once_confirms_and_a_retry_gets_the_same_answer() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let g = Gateway::new();
    let b = pending(&f, &["A1", "A2"]).await;
    let paid = f.engine.pay(&g, pay(&b, "ok", None)).await.unwrap_or_else(|e| panic!("pay: {e}"));
    assert_eq!(paid.booking.status, BookingStatus::Confirmed);
    assert_eq!(paid.tickets.len(), 2);
    assert_eq!(paid.booking.payment_ref.as_deref(), Some(format!("ch-{}", b.id).as_str()));
    let again = f.engine.pay(&g, pay(&b, "ok", None)).await.unwrap_or_else(|e| panic!("again: {e}"));
    assert_eq!(again.booking, paid.booking, "the same (default) key answers as the first time");
    assert_eq!(g.charges().len(), 1, "a paid booking is not charged again");
    assert_eq!(
        code(f.engine.pay(&g, pay(&b, "ok", Some("other"))).await),
        Some(ErrorCode::InvalidTransition)
    );
    assert!(g.refunds().is_empty());
}

#[tokio::test]
async fn declined_and_timed_out_payments_change_nothing() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let g = Gateway::new();
    let b = pending(&f, &["A1"]).await;
    let before = f.event_count().await;
    assert_eq!(code(f.engine.pay(&g, pay(&b, "decline", None)).await), Some(ErrorCode::PaymentDeclined));
    assert_eq!(code(f.engine.pay(&g, pay(&b, "timeout", None)).await), Some(ErrorCode::PaymentTimeout));
    assert_eq!(code(f.engine.pay(&g, pay(&b, "fail", None)).await), Some(ErrorCode::PaymentFailed));
    assert_eq!(code(f.engine.pay(&g, pay(&b, "", None)).await), Some(ErrorCode::InvalidInput));
    assert_eq!(f.event_count().await, before, "a failed payment appends nothing");
    let now = f.engine.booking(b.id, &actor("ann")).await.map(|b| b.status);
    assert_eq!(now.ok(), Some(BookingStatus::Pending));
    // The timeout settles on a retry: the same booking, the same charge.
    assert!(f.engine.pay(&g, pay(&b, "ok", None)).await.is_ok());
    assert!(g.refunds().is_empty());
}

#[tokio::test]
async fn a_booking_past_its_deadline_is_refused_before_any_charge() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let g = Gateway::new();
    let b = pending(&f, &["A1"]).await;
    f.clock.set(b.payment_deadline);
    assert_eq!(code(f.engine.pay(&g, pay(&b, "ok", None)).await), Some(ErrorCode::HoldExpired));
    assert!(g.charges().is_empty() && g.refunds().is_empty());
}

#[tokio::test]
async fn a_booking_that_expires_while_its_card_is_charged_gets_the_charge_voided() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let mut g = Gateway::new();
    g.clock = Some(f.clock.clone());
    let b = pending(&f, &["A1", "A2"]).await;
    assert_eq!(code(f.engine.pay(&g, pay(&b, "late", None)).await), Some(ErrorCode::HoldExpired));
    assert_eq!(g.refunds(), vec![format!("ch-{}", b.id)], "the late charge was voided");
    assert_eq!(g.refunds.lock()[0].1, b.quote.total(), "for what it charged");
    assert_eq!(f.status("A1").await, SeatStatus::Available, "no ticket for a late payment");
}

#[tokio::test]
async fn two_payments_racing_share_one_charge_and_the_loser_voids_nothing() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let mut g = Gateway::new();
    g.meet = Some(Barrier::new(2));
    let b = pending(&f, &["A1"]).await;
    let (one, two) = tokio::join!(
        f.engine.pay(&g, pay(&b, "ok", Some("k1"))),
        f.engine.pay(&g, pay(&b, "ok", Some("k2")))
    );
    let won = [one.is_ok(), two.is_ok()];
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "one payment confirms: {won:?}");
    let lost = if won[0] { code(two) } else { code(one) };
    assert!(matches!(lost, Some(ErrorCode::InvalidTransition | ErrorCode::IdempotencyConflict)), "{lost:?}");
    assert_eq!(g.charges().len(), 2, "both charged, under the booking's one key");
    assert!(g.charges().iter().all(|k| *k == b.id.to_string()));
    assert!(g.refunds().is_empty(), "the charge that paid the booking was voided");
}

#[tokio::test]
async fn a_customer_cancelling_a_paid_booking_gets_a_refund_and_an_unpaid_one_is_cancelled() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let g = Gateway::new();
    let unpaid = pending(&f, &["A1"]).await;
    let done = f.engine.cancel_for_customer(&g, unpaid.id, actor("ann")).await;
    assert_eq!(done.map(|b| b.status).ok(), Some(BookingStatus::Cancelled));
    assert!(g.refunds().is_empty(), "nothing was charged");
    let paid = pending(&f, &["A3"]).await;
    assert!(f.engine.pay(&g, pay(&paid, "ok", None)).await.is_ok());
    let done = f.engine.cancel_for_customer(&g, paid.id, actor("ann")).await;
    assert_eq!(done.map(|b| b.status).ok(), Some(BookingStatus::Refunded));
    assert_eq!(g.refunds(), vec![format!("ch-{}", paid.id)]);
    assert_eq!(f.status("A3").await, SeatStatus::Available);
}

#[tokio::test]
async fn a_cancelled_show_gives_the_money_of_its_paid_bookings_back() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let g = Gateway::new();
    let paid = pending(&f, &["A1"]).await;
    assert!(f.engine.pay(&g, pay(&paid, "ok", None)).await.is_ok());
    let unpaid = pending(&f, &["A3"]).await;
    let done = f.engine.cancel_show_and_repay(&g, f.show.id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.bookings.len(), 2);
    assert_eq!(g.refunds(), vec![format!("ch-{}", paid.id)], "only the paid one: {unpaid:?}");
}

/// What the engine remembers of the bookings it created spares a payment the read of its
/// booking; the store stays the judge: a booking cancelled through another engine over the same
/// store meanwhile is charged, refused at its confirmation, and the charge voided.
#[tokio::test]
async fn a_booking_cancelled_through_another_engine_is_refused_at_confirmation_and_voided() {
    let f = fixture(Arc::new(MemoryStore::new())).await;
    let signer = crate::TicketSigner::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let clock = Arc::new(f.clock.clone());
    let other = BookingEngine::new(f.engine.store().clone(), clock, signer, crate::EngineConfig::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let g = Gateway::new();
    let b = pending(&f, &["A1"]).await;
    assert!(other.cancel_booking(b.id, actor("ann")).await.is_ok());
    assert_eq!(code(f.engine.pay(&g, pay(&b, "ok", None)).await), Some(ErrorCode::InvalidTransition));
    assert_eq!(g.charges().len(), 1, "charged from what the engine remembered");
    assert_eq!(g.refunds(), vec![format!("ch-{}", b.id)], "and voided");
    // Refused for good, it is forgotten: the next attempt reads the store and charges nothing.
    assert_eq!(code(f.engine.pay(&g, pay(&b, "ok", None)).await), Some(ErrorCode::InvalidTransition));
    assert_eq!(g.charges().len(), 1);
}
