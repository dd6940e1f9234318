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

#[tokio::test]
async fn the_schema_refuses_a_second_live_ticket_or_claim_even_from_raw_sql() {
    let (pg, f, booking) = sold_seat().await;
    let (show, seat) = (f.show.id.0 as i64, booking.seats[0].0 as i32);
    let err = sqlx::query("INSERT INTO bc_tickets (show_id, booking_id, seat) VALUES ($1, 42, $2)")
        .bind(show)
        .bind(seat)
        .execute(pg.pool())
        .await
        .err()
        .unwrap_or_else(|| panic!("a second live ticket was accepted"));
    let db = err.as_database_error().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(db.constraint(), Some("bc_tickets_one_live_per_seat"));
    let err =
        sqlx::query("INSERT INTO bc_seat_claims (show_id, seat, hold_id, until) VALUES ($1, $2, 42, 0)")
            .bind(show)
            .bind(seat)
            .execute(pg.pool())
            .await
            .err()
            .unwrap_or_else(|| panic!("a second claim was accepted"));
    let db = err.as_database_error().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(db.constraint(), Some("bc_seat_claims_pkey"));
    // And the seat is still sold to the first booking.
    assert_eq!(f.status("A1").await, SeatStatus::Booked);
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
