//! The mark a confirmation makes on Redis before PostgreSQL answers: a paid booking's seats are
//! sold there for good, whether or not Redis is told again after the answer (it is not when the
//! mark took every seat and no seeding came between), also when Redis lost the show just
//! before; and a refused payment gives the seats back to the pending booking, deadline and all.

mod common;

use booking_core::testkit::{Fixture, actor, fixture};
use booking_core::{BookingError, ErrorCode, SeatStatus};

/// Deletes every key of `prefix`, as a Redis that lost its memory would have none.
async fn forget(prefix: &str) {
    let client = redis::Client::open(common::redis_url()).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = client.get_multiplexed_async_connection().await.unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!keys.is_empty(), "the store kept nothing under {prefix}");
    let _: () = redis::cmd("DEL").arg(&keys).query_async(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
}

fn ok<T>(r: Result<T, BookingError>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

async fn past_the_deadline(f: &Fixture) {
    f.clock.advance_millis(f.engine.config().payment_window_ms + f.engine.config().hold_ttl_ms + 1);
}

#[tokio::test]
async fn a_refused_payment_gives_the_seats_back_to_the_pending_booking() {
    let (store, _) = common::hybrid_with_prefix().await;
    let f = fixture(store).await;
    let paid = ok(f.hold("ann", &["A1", "A2"]).await, "hold");
    let paid = ok(f.engine.create_booking(paid.id, actor("ann"), "c-1", None).await, "create");
    let unpaid = ok(f.hold("ann", &["A4"]).await, "hold");
    let unpaid = ok(f.engine.create_booking(unpaid.id, actor("ann"), "c-2", None).await, "create");
    // Redis marks the seats sold, then PostgreSQL refuses: bob does not own the bookings.
    for b in [&paid, &unpaid] {
        let refused = f.engine.confirm_booking(b.id, actor("bob"), "pay-bob", "p-bob").await;
        assert_eq!(refused.map(|_| ()).map_err(|e| e.code()), Err(ErrorCode::NotOwner));
    }
    assert_eq!(f.status("A1").await, SeatStatus::Pending);
    assert_eq!(f.status("A4").await, SeatStatus::Pending);
    // The owner pays the first; the second is left to its deadline.
    ok(f.engine.confirm_booking(paid.id, actor("ann"), "pay-1", "p-1").await, "pay");
    past_the_deadline(&f).await;
    assert_eq!(f.status("A1").await, SeatStatus::Booked, "a paid seat looked free after the deadline");
    assert_eq!(f.status("A2").await, SeatStatus::Booked);
    assert_eq!(f.status("A4").await, SeatStatus::Available, "an unpaid seat stayed taken past its deadline");
    assert_eq!(
        f.hold("bob", &["A1"]).await.map(|_| ()).map_err(|e| e.code()),
        Err(ErrorCode::SeatUnavailable)
    );
    ok(f.hold("bob", &["A4"]).await, "the unpaid booking's seat is free again");
}

#[tokio::test]
async fn a_payment_after_redis_lost_the_show_leaves_its_seats_sold() {
    let (store, prefix) = common::hybrid_with_prefix().await;
    let f = fixture(store).await;
    let hold = ok(f.hold("ann", &["B1", "B2"]).await, "hold");
    let b = ok(f.engine.create_booking(hold.id, actor("ann"), "c-1", None).await, "create");
    forget(&prefix).await;
    ok(f.engine.confirm_booking(b.id, actor("ann"), "pay-1", "p-1").await, "pay");
    past_the_deadline(&f).await;
    assert_eq!(f.status("B1").await, SeatStatus::Booked, "a paid seat looked free after the deadline");
    assert_eq!(
        f.hold("bob", &["B2"]).await.map(|_| ()).map_err(|e| e.code()),
        Err(ErrorCode::SeatUnavailable)
    );
    f.assert_log_replays().await;
}
