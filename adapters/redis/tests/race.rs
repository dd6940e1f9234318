//! The PostgreSQL race on the hybrid store: 64 tasks race for the same 50 seats of one show with
//! random multi-seat holds (on Redis), bookings and payments (on PostgreSQL). Afterwards every
//! booking's sold claims match its status, every paid booking owns its seats alone, and the log (hold events from
//! Redis included) has no gap and replays to the seat states Redis shows.

mod common;

use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_tasks_on_the_hybrid_store_never_sell_a_seat_twice() {
    let store = common::hybrid(&common::redis_url(), 64).await;
    let pool = store.postgres().pool().clone();
    let (engine, show, labels) = common::pg::rush_show(Arc::new(store)).await;
    let (confirmed, refused) = common::pg::race_for_seats(&engine, &show, &labels, 64, 25).await;
    assert!(!confirmed.is_empty(), "nobody bought a seat");
    assert!(refused > 0, "no hold was refused: the tasks did not race");
    common::pg::assert_sold_once(&pool, &engine, &show, &confirmed).await;
}
