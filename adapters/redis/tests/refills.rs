//! A rush on a show whose Redis state is missing, then whose blocks of ticks keep running out:
//! the calls that meet the same gap wait for the first one's refill instead of each asking
//! PostgreSQL, so the show is seeded once and asks for about as many blocks as it uses.

mod common;

use booking_core::testkit::{T0, owner, schedule};
use booking_core::*;
use booking_redis::{HybridStore, RedisOptions};
use std::sync::Arc;

const TASKS: usize = 64;
const BLOCK: u64 = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_holds_seed_a_show_once_and_ask_only_for_the_ticks_they_use() {
    let pg = common::pg::pg_store_with(16).await;
    let pool = pg.pool().clone();
    let options = RedisOptions { tick_block: BLOCK, ..common::fresh_options() };
    let store = HybridStore::connect(pg, &common::redis_url(), options)
        .await
        .unwrap_or_else(|e| panic!("cannot reach redis: {e}"));
    let config = EngineConfig { holds_per_owner_max: 1_000, ..EngineConfig::default() };
    let signer = TicketSigner::new(&[5u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let engine = BookingEngine::new(Arc::new(store), Arc::new(ManualClock::new(T0)), signer, config)
        .unwrap_or_else(|e| panic!("{e}"));
    let engine = Arc::new(engine);
    let theatre = NewTheatre { name: "Rex".into(), city: "Paris".into(), time_zone: "Europe/Paris".into() };
    let theatre = engine.create_theatre(theatre).await.unwrap_or_else(|e| panic!("{e}"));
    let layout = SeatLayout::parse_text("row A: 1-64\nrow B: 1-64\nrow C: 1-64\nrow D: 1-64")
        .unwrap_or_else(|e| panic!("{e}"));
    let screen = engine.add_screen(theatre.id, "One", layout).await.unwrap_or_else(|e| panic!("{e}"));
    let show = engine.schedule_show(schedule(screen.id, 1)).await.unwrap_or_else(|e| panic!("{e}"));

    // Nothing has touched the show on Redis yet: every task's first hold finds it missing.
    // Each task then holds 4 seats of its own, one at a time: 256 holds, 32 blocks of 8 ticks.
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let (engine, show) = (engine.clone(), show.id);
        tasks.push(tokio::spawn(async move {
            for (i, row) in ["A", "B", "C", "D"].into_iter().enumerate() {
                let seats = vec![SeatChoice::new(&format!("{row}{}", t + 1))];
                let req = HoldRequest {
                    places: Vec::new(),
                    show,
                    owner: owner(&format!("fan-{t}-{i}")),
                    seats,
                    promo_code: None,
                    accessible: false,
                };
                engine.hold(req).await.unwrap_or_else(|e| panic!("hold: {e}"));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap_or_else(|e| panic!("{e}"));
    }

    let (ticks, epoch): (i64, i64) =
        sqlx::query_as("SELECT redis_ticks, redis_epoch FROM bc_show_state WHERE show_id = $1")
            .bind(show.id.0 as i64)
            .fetch_one(&pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(epoch, 1, "the show was seeded {epoch} times, not once");
    // Ticks start at 1; the seeding handed out the first block. 256 holds use 32 blocks; a block
    // may be asked for while the last ticks of the one before are still being used, so allow a
    // few more, far below the one per waiting task that each call asking for itself gave.
    let blocks = (ticks - 1) as u64 / BLOCK;
    assert!((32..=40).contains(&blocks), "{blocks} blocks of ticks were asked for, for 32 used");
}
