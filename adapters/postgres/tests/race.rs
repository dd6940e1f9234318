//! 64 tasks, each on its own pooled connection, race for the same 50 seats of one show with
//! random multi-seat holds, bookings and confirmations. Afterwards every seat has at most one live
//! ticket, every confirmed booking owns its seats alone, and the event log replays to the
//! database's seat states.

mod common;

use std::sync::Arc;

const TASKS: usize = 64;
const ATTEMPTS: usize = 25;

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
    let (confirmed, refused) = common::race_for_seats(&engine, &show, &labels, TASKS, ATTEMPTS).await;
    assert!(!confirmed.is_empty(), "nobody bought a seat");
    assert!(refused > 0, "no hold was refused: the tasks did not race");

    common::assert_sold_once(&pool, &engine, &show, &confirmed).await;
}
