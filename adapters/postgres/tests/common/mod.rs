//! A fresh schema of the test database for every store, so tests and runs never see each other.
//!
//! The database comes from `BOOKING_TEST_DATABASE_URL` (`./scripts/services` starts a throwaway
//! server when none is running). A test that cannot reach it fails: it is never skipped.

#![allow(dead_code)]

pub mod throwaway;

use booking_core::DynStore;
use booking_postgres::{PgStore, PgStoreOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// The test database's URL.
pub fn database_url() -> String {
    std::env::var("BOOKING_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A schema name no other test or run uses.
pub fn fresh_schema() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("bc_test_{}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed), nanos)
}

/// Creates `schema` in the test database.
pub async fn create_schema(schema: &str) {
    let url = database_url();
    let pool = sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| {
        panic!("cannot reach the test database at {url} (BOOKING_TEST_DATABASE_URL): {e}")
    });
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("create schema {schema}: {e}"));
    pool.close().await;
}

/// A migrated store on a fresh schema, with `batch_lanes` (0: every request alone, on its own
/// connection).
pub async fn pg_store_lanes(max_connections: u32, batch_lanes: usize) -> PgStore {
    let schema = fresh_schema();
    create_schema(&schema).await;
    let options = PgStoreOptions {
        max_connections,
        migrate_on_connect: true,
        schema: Some(schema),
        batch_lanes,
        ..PgStoreOptions::default()
    };
    PgStore::connect(&database_url(), options).await.unwrap_or_else(|e| panic!("connect: {e}"))
}

/// A migrated store on a fresh schema, batching as by default.
pub async fn pg_store_with(max_connections: u32) -> PgStore {
    pg_store_lanes(max_connections, PgStoreOptions::default().batch_lanes).await
}

/// A migrated store on a fresh schema that sends every request alone, on its own connection.
pub async fn pg_store_unbatched(max_connections: u32) -> PgStore {
    pg_store_lanes(max_connections, 0).await
}

/// The 50-seat show the rush tests compete for, on an engine over `store` with a manual clock and
/// room for many holds per owner; returns the engine, the show and its seat labels.
pub async fn rush_show(
    store: booking_core::DynStore,
) -> (Arc<booking_core::BookingEngine>, Arc<booking_core::Show>, Arc<Vec<String>>) {
    use booking_core::*;
    let config = EngineConfig { holds_per_owner_max: 1_000, ..EngineConfig::default() };
    let signer = TicketSigner::new(&[5u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let engine = BookingEngine::new(store, Arc::new(ManualClock::new(testkit::T0)), signer, config)
        .unwrap_or_else(|e| panic!("{e}"));
    let theatre = NewTheatre { name: "Rex".into(), city: "Paris".into(), time_zone: "Europe/Paris".into() };
    let theatre = engine.create_theatre(theatre).await.unwrap_or_else(|e| panic!("{e}"));
    let layout = SeatLayout::parse_text("section Main category=standard\nrow A: 1-25\nrow B: 1-25\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let screen = engine.add_screen(theatre.id, "One", layout).await.unwrap_or_else(|e| panic!("{e}"));
    let show = engine.schedule_show(testkit::schedule(screen.id, 1)).await.unwrap_or_else(|e| panic!("{e}"));
    let labels = Arc::new(show.layout.seats().iter().map(|s| s.label.to_string()).collect());
    (Arc::new(engine), show, labels)
}

/// A migrated store on a fresh schema, as the conformance suite takes it.
pub async fn store() -> DynStore {
    Arc::new(pg_store_with(8).await)
}

/// What every rush test checks afterwards, from the tables and through the engine:
/// every booking's sold claims (its tickets) match its status (no half booking); each of `sold`
/// owns its seats alone and the store says they are sold to it; the log has no gap and replays to
/// the store's seat states. (A seat has one claim at most: the primary key.)
pub async fn assert_sold_once(
    pool: &sqlx::PgPool,
    engine: &booking_core::BookingEngine,
    show: &booking_core::Show,
    sold: &[booking_core::Booking],
) {
    use booking_core::{SeatOccupant, replay, testkit};
    let id = show.id.0 as i64;
    let half: Vec<(i64, String)> = sqlx::query_as(
        "SELECT b.id, b.status FROM bc_bookings b WHERE b.show_id = $1 AND \
         (SELECT count(*) FROM bc_seat_claims c WHERE c.show_id = b.show_id AND c.booking_id = b.id \
          AND c.until = 9223372036854775807) \
         <> CASE WHEN b.status IN ('confirmed', 'checked_in') THEN cardinality(b.seats) ELSE 0 END",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(half.is_empty(), "bookings whose sold claims do not match their status: {half:?}");
    let occupancy = engine.store().seat_occupancy(show.id).await.unwrap_or_else(|e| panic!("{e}"));
    let mut owner_of = std::collections::HashMap::new();
    for b in sold {
        for s in b.seats.iter() {
            assert!(owner_of.insert(*s, b.id).is_none(), "seat {s:?} sold twice");
            assert_eq!(occupancy[s.index()], SeatOccupant::Sold { booking: b.id });
        }
    }
    let events = testkit::all_events(engine, show.id).await;
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.seq, i as u64 + 1, "the log has a gap");
    }
    let replayed = replay(show.layout.seat_count(), &events).unwrap_or_else(|e| panic!("{e}"));
    let differ: Vec<String> = replayed
        .iter()
        .zip(&occupancy)
        .enumerate()
        .filter(|(_, (r, o))| r != o)
        .map(|(i, (r, o))| format!("seat {i}: the log says {r:?}, the store {o:?}"))
        .collect();
    if let Some(i) = replayed.iter().zip(&occupancy).position(|(r, o)| r != o) {
        let seat = format!("SeatIdx({i})");
        let story: Vec<String> = events
            .iter()
            .map(|e| format!("{e:?}"))
            .filter(|e| e.contains(&format!("{seat},")) || e.contains(&format!("{seat}]")))
            .collect();
        panic!(
            "the log does not replay to the stored seat states: {differ:?}\nthe log of seat {i}: {story:#?}"
        );
    }
}

/// A small, seeded generator: each task's picks are reproducible.
pub struct XorShift(pub u64);

impl XorShift {
    /// A number below `below`.
    pub fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

/// `tasks` tasks race for the seats of `show` with random holds of one to four seats; each hold
/// is released, left to expire or booked and paid. Returns the bookings paid and how many holds
/// were refused for taken seats; any other error fails the test.
pub async fn race_for_seats(
    engine: &Arc<booking_core::BookingEngine>,
    show: &booking_core::Show,
    labels: &Arc<Vec<String>>,
    tasks_n: usize,
    attempts: usize,
) -> (Vec<booking_core::Booking>, usize) {
    use booking_core::testkit::{actor, owner};
    use booking_core::*;
    let mut tasks = Vec::new();
    for t in 0..tasks_n {
        let (engine, labels, show) = (engine.clone(), labels.clone(), show.id);
        tasks.push(tokio::spawn(async move {
            let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1));
            let who = format!("racer-{t}");
            let (mut confirmed, mut refused) = (Vec::new(), 0usize);
            for a in 0..attempts {
                let n = 1 + rng.next(4);
                let seats =
                    (0..n).map(|_| SeatChoice::new(&labels[rng.next(labels.len())])).collect::<Vec<_>>();
                let mut seen = std::collections::HashSet::new();
                let seats: Vec<SeatChoice> =
                    seats.into_iter().filter(|s| seen.insert(s.label.clone())).collect();
                let req = HoldRequest {
                    places: Vec::new(),
                    show,
                    owner: owner(&who),
                    seats,
                    promo_code: None,
                    accessible: false,
                };
                let hold = match engine.hold(req).await {
                    Ok(hold) => hold,
                    Err(BookingError::SeatUnavailable { .. }) => {
                        refused += 1;
                        continue;
                    }
                    Err(e) => panic!("hold: {e}"),
                };
                match rng.next(3) {
                    0 => {
                        engine
                            .release_hold(hold.id, actor(&who), None)
                            .await
                            .unwrap_or_else(|e| panic!("{e}"));
                    }
                    1 => {}
                    _ => {
                        let booking = engine
                            .create_booking(hold.id, actor(&who), &format!("{who}-{a}-create"), None)
                            .await
                            .unwrap_or_else(|e| panic!("create: {e}"));
                        let done = engine
                            .confirm_booking(booking.id, actor(&who), "pay", &format!("{who}-{a}-pay"))
                            .await
                            .unwrap_or_else(|e| panic!("confirm: {e}"));
                        confirmed.push(done.booking);
                    }
                }
            }
            (confirmed, refused)
        }));
    }
    let (mut confirmed, mut refused) = (Vec::new(), 0);
    for t in tasks {
        let (won, lost) = t.await.unwrap_or_else(|e| panic!("task: {e}"));
        confirmed.extend(won);
        refused += lost;
    }
    (confirmed, refused)
}
