//! What the schema guarantees on its own, and how failures reach the caller.

mod common;

use booking_core::testkit::actor;
use booking_core::*;
use booking_postgres::{PgStore, PgStoreOptions};
use std::sync::Arc;
use std::time::Duration;

/// A confirmed booking of seat A1 on a fresh store.
async fn sold_seat() -> (PgStore, testkit::Fixture, Booking) {
    let pg = common::pg_store_with(4).await;
    let f = testkit::fixture(Arc::new(pg.clone())).await;
    let hold = f.hold("ann", &["A1"]).await.unwrap_or_else(|e| panic!("{e}"));
    let b =
        f.engine.create_booking(hold.id, actor("ann"), "c1", None).await.unwrap_or_else(|e| panic!("{e}"));
    let done =
        f.engine.confirm_booking(b.id, actor("ann"), "pay", "p1").await.unwrap_or_else(|e| panic!("{e}"));
    (pg, f, done.booking)
}

/// Runs raw SQL that must fail as a unique violation, and answers the constraint that refused it:
/// that code and a `bc_seat_claims` constraint are what the store reports as SEAT_UNAVAILABLE.
async fn refused_by(pg: &PgStore, sql: &str, show: i64, seat: i32) -> String {
    let err = sqlx::query(sql)
        .bind(show)
        .bind(seat)
        .execute(pg.pool())
        .await
        .err()
        .unwrap_or_else(|| panic!("the schema accepted: {sql}"));
    let db = err.as_database_error().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(db.code().as_deref(), Some("23505"), "{sql}: {}", db.message());
    db.constraint().unwrap_or_else(|| panic!("{sql}: no constraint named")).to_string()
}

#[tokio::test]
async fn the_schema_refuses_to_sell_a_sold_seat_again_even_from_raw_sql() {
    let (pg, f, booking) = sold_seat().await;
    let (show, seat) = (f.show.id.0 as i64, booking.seats[0].0 as i32);
    let second = "INSERT INTO bc_seat_claims (show_id, seat, hold_id, until) VALUES ($1, $2, 42, 0)";
    assert_eq!(refused_by(&pg, second, show, seat).await, "bc_seat_claims_pkey");
    // The sold claim is the ticket: it cannot pass to another lease, end early or go while its
    // booking stands.
    for sql in [
        "UPDATE bc_seat_claims SET booking_id = 42 WHERE show_id = $1 AND seat = $2",
        "UPDATE bc_seat_claims SET until = 0 WHERE show_id = $1 AND seat = $2",
        "UPDATE bc_seat_claims SET seat = seat + 1 WHERE show_id = $1 AND seat = $2",
        "DELETE FROM bc_seat_claims WHERE show_id = $1 AND seat = $2",
    ] {
        assert_eq!(refused_by(&pg, sql, show, seat).await, "bc_seat_claims_sold", "{sql}");
    }
    assert_eq!(f.status("A1").await, SeatStatus::Booked);
    // Cancelling the booking ends the claim as it should.
    f.engine.cancel_booking(booking.id, actor("ann")).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.status("A1").await, SeatStatus::Available);
}

#[tokio::test]
async fn an_exhausted_pool_is_a_typed_retryable_error_in_bounded_time() {
    let schema = common::fresh_schema();
    common::create_schema(&schema).await;
    let options = PgStoreOptions {
        max_connections: 1,
        acquire_timeout: Duration::from_millis(200),
        migrate_on_connect: true,
        schema: Some(schema),
        ..PgStoreOptions::default()
    };
    let pg = PgStore::connect(&common::database_url(), options).await.unwrap_or_else(|e| panic!("{e}"));
    let busy = pg.pool().acquire().await.unwrap_or_else(|e| panic!("{e}"));
    let started = std::time::Instant::now();
    let err =
        pg.theatres().await.err().unwrap_or_else(|| panic!("a call got a connection from an empty pool"));
    assert!(matches!(err, StoreError::Unavailable { .. }), "{err:?}");
    assert!(BookingError::from(err).is_retryable());
    assert!(started.elapsed() < Duration::from_secs(2), "waited {:?}", started.elapsed());
    drop(busy);
    assert!(pg.theatres().await.is_ok(), "the pool recovers");
}

#[tokio::test]
async fn an_unreachable_server_is_a_typed_retryable_error() {
    let options = PgStoreOptions { acquire_timeout: Duration::from_millis(500), ..PgStoreOptions::default() };
    // Port 9 (discard) has no PostgreSQL behind it.
    let err = PgStore::connect("postgres://nobody@127.0.0.1:9/none", options)
        .await
        .err()
        .unwrap_or_else(|| panic!("connected to nothing"));
    assert!(matches!(err, StoreError::Unavailable { .. }), "{err:?}");
}

/// Two instances whose clocks disagree: the fast one sees a pending booking past its deadline and
/// takes its seat; the slow one's payment for that booking, still in time by its own clock, is
/// then refused and changes nothing, and the seat is sold once, to the lease that holds its claim.
#[tokio::test]
async fn a_payment_for_a_seat_a_faster_clock_took_is_refused() {
    let pg = common::pg_store_with(4).await;
    let slow = testkit::fixture(Arc::new(pg.clone())).await;
    let config = slow.engine.config().clone();
    let fast_clock = ManualClock::new(testkit::T0);
    let signer = TicketSigner::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let fast =
        BookingEngine::new(slow.engine.store().clone(), Arc::new(fast_clock.clone()), signer, config.clone())
            .unwrap_or_else(|e| panic!("{e}"));
    let hold = slow.hold("ann", &["A1"]).await.unwrap_or_else(|e| panic!("{e}"));
    let late =
        slow.engine.create_booking(hold.id, actor("ann"), "c1", None).await.unwrap_or_else(|e| panic!("{e}"));
    fast_clock.advance_millis(config.payment_window_ms + config.hold_lifetime_ms_max);
    let seats = vec![SeatChoice::new("A1")];
    let request = HoldRequest {
        places: Vec::new(),
        show: slow.show.id,
        owner: testkit::owner("bob"),
        seats,
        promo_code: None,
        accessible: false,
    };
    let taken = fast.hold(request).await.unwrap_or_else(|e| panic!("the fast clock's hold: {e}"));
    let events = slow.event_count().await;
    let refused = slow.engine.confirm_booking(late.id, actor("ann"), "pay", "p1").await;
    assert_eq!(refused.err().map(|e| e.code()), Some(ErrorCode::SeatUnavailable));
    assert_eq!(slow.event_count().await, events, "a refused payment appended an event");
    let still = pg.booking(late.id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(still.status, BookingStatus::Pending, "a refused payment changed the booking");
    let b = fast.create_booking(taken.id, actor("bob"), "c2", None).await.unwrap_or_else(|e| panic!("{e}"));
    let sold = fast.confirm_booking(b.id, actor("bob"), "pay", "p2").await.unwrap_or_else(|e| panic!("{e}"));
    common::assert_sold_once(pg.pool(), &fast, &slow.show, &[sold.booking]).await;
}
