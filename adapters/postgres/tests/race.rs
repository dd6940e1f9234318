//! 64 tasks, each on its own pooled connection, race for the same 50 seats of one show with
//! random multi-seat holds, bookings and confirmations. Afterwards every seat has at most one live
//! ticket, every confirmed booking owns its seats alone, and the event log replays to the
//! database's seat states.

mod common;

use booking_core::testkit::{actor, owner};
use booking_core::*;
use std::sync::Arc;

const TASKS: usize = 64;
const ATTEMPTS: usize = 25;

/// A small, seeded generator: each task's picks are reproducible.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

/// Each task's calls on its own pooled connection: no batching, 64 connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_tasks_on_their_own_connections_never_sell_a_seat_twice() {
    race(common::pg_store_unbatched(TASKS as u32).await).await;
}

/// The same race through the store's batchers (many holds and bookings in one transaction).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_tasks_through_the_batchers_never_sell_a_seat_twice() {
    race(common::pg_store_with(TASKS as u32).await).await;
}

async fn race(pg: booking_postgres::PgStore) {
    let pool = pg.pool().clone();
    let (engine, show, labels) = common::rush_show(Arc::new(pg)).await;

    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (engine, labels, show) = (engine.clone(), labels.clone(), show.id);
        tasks.push(tokio::spawn(async move {
            let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1));
            let who = format!("racer-{t}");
            let (mut confirmed, mut refused) = (Vec::new(), 0usize);
            for a in 0..ATTEMPTS {
                let n = 1 + rng.next(4);
                let seats =
                    (0..n).map(|_| SeatChoice::new(&labels[rng.next(labels.len())])).collect::<Vec<_>>();
                let mut seen = std::collections::HashSet::new();
                let seats: Vec<SeatChoice> =
                    seats.into_iter().filter(|s| seen.insert(s.label.clone())).collect();
                let req = HoldRequest { show, owner: owner(&who), seats, promo_code: None };
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
    assert!(!confirmed.is_empty(), "nobody bought a seat");
    assert!(refused > 0, "no hold was refused: the tasks did not race");

    common::assert_sold_once(&pool, &engine, &show, &confirmed).await;
}
