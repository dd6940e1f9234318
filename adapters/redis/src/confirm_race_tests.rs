//! Two payments of one booking racing on Redis, in the one order the store's own calls cannot be
//! made to take from outside: the payment that PostgreSQL refuses marks the seats first, the
//! paid one follows PostgreSQL first, and the refused one's `unconfirm` comes last.

use crate::HybridStore;
use crate::common;
use crate::keys::split_id;
use crate::reply::seat_csv;
use crate::scripts::scripts;
use booking_core::testkit::{Fixture, actor, fixture};
use booking_core::{Booking, DynStore, SeatStatus};
use std::sync::Arc;

#[tokio::test]
async fn a_refused_payment_that_lost_the_race_leaves_the_paid_seats_sold() {
    // The payment that will be refused marks the seats first...
    let m = marked(&["A1", "A2"]).await;
    let (f, b) = (&m.f, &m.booking);

    // ...the owner's payment finds no mark to make, is confirmed, and Redis follows...
    f.engine.confirm_booking(b.id, actor("ann"), "pay-1", "p-1").await.unwrap_or_else(|e| panic!("pay: {e}"));

    // ...then the refused one undoes its mark, last.
    let undo = unconfirm(&m).await;
    assert_eq!(undo, 0, "unconfirm took back cells the paid booking holds");

    f.clock.advance_millis(f.engine.config().payment_window_ms + f.engine.config().hold_ttl_ms + 1);
    for seat in ["A1", "A2"] {
        assert_eq!(
            f.status(seat).await,
            SeatStatus::Booked,
            "paid seat {seat} looked free after the deadline"
        );
    }
    assert!(f.hold("bob", &["A1"]).await.is_err(), "a paid seat was held again");
}

#[tokio::test]
async fn a_refused_payment_undone_first_is_still_sold_by_the_paid_one() {
    let m = marked(&["B1"]).await;
    let (f, b) = (&m.f, &m.booking);
    assert_eq!(unconfirm(&m).await, 1, "the mark was not undone");
    assert_eq!(f.status("B1").await, SeatStatus::Pending, "the pending booking's seat is not pending");
    f.engine.confirm_booking(b.id, actor("ann"), "pay-1", "p-1").await.unwrap_or_else(|e| panic!("pay: {e}"));
    f.clock.advance_millis(f.engine.config().payment_window_ms + f.engine.config().hold_ttl_ms + 1);
    assert_eq!(f.status("B1").await, SeatStatus::Booked, "the paid seat looked free after the deadline");
}

#[tokio::test]
async fn a_mark_whose_payment_never_answered_is_settled_by_the_sweeper() {
    // A payment marked the seats, then its call to PostgreSQL never came back (a crash): nothing
    // confirms the booking and nothing undoes the mark.
    let m = marked(&["C3", "C4"]).await;
    let f = &m.f;
    assert_eq!(f.status("C3").await, SeatStatus::Booked, "the mark shows the seat sold");
    f.clock.advance_millis(f.engine.config().payment_window_ms + f.engine.config().hold_ttl_ms + 1);
    // Redis sweeps first and finds the booking still pending on PostgreSQL, which then expires
    // it; the next sweep frees the marked seats.
    for _ in 0..2 {
        f.engine.sweep_expired().await.unwrap_or_else(|e| panic!("sweep: {e}"));
    }
    for seat in ["C3", "C4"] {
        assert_eq!(f.status(seat).await, SeatStatus::Available, "{seat} stays sold for an expired booking");
    }
    f.hold("bob", &["C3", "C4"]).await.unwrap_or_else(|e| panic!("the freed seats cannot be held: {e}"));
    f.assert_log_replays().await;
}

/// A pending booking of ann's on some seats, which a payment's `confirm` has marked sold.
struct Marked {
    store: Arc<HybridStore>,
    f: Fixture,
    booking: Booking,
}

async fn marked(labels: &[&str]) -> Marked {
    let store = Arc::new(common::hybrid(&common::redis_url(), 8).await);
    let f = fixture(store.clone() as DynStore).await;
    let hold = f.hold("ann", labels).await.unwrap_or_else(|e| panic!("hold: {e}"));
    let booking =
        f.engine.create_booking(hold.id, actor("ann"), "c-1", None).await.unwrap_or_else(|e| panic!("{e}"));
    let (show, number) = split_id(booking.id.0);
    let mut mark = store.call(&scripts().confirm, show);
    mark.arg(number).arg(f.engine.now().millis());
    let reply = store.invoke(&mark).await.unwrap_or_else(|e| panic!("mark: {e}"));
    let took = reply.int(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(took, labels.len() as i64, "the mark took every seat");
    Marked { store, f, booking }
}

/// Runs `unconfirm` as a refused payment does; how many cells it gave back.
async fn unconfirm(m: &Marked) -> i64 {
    let (show, number) = split_id(m.booking.id.0);
    let mut inv = m.store.call(&scripts().unconfirm, show);
    inv.arg(number)
        .arg(seat_csv(&m.booking.seats))
        .arg(m.booking.payment_deadline.millis().to_string())
        .arg(m.store.options.booking_key_ttl_ms())
        .arg(m.booking.owner.as_str());
    let reply = m.store.invoke(&inv).await.unwrap_or_else(|e| panic!("unconfirm: {e}"));
    reply.int(1).unwrap_or_else(|e| panic!("{e}"))
}
