//! The sweeper finds what is due by its end (`X` for holds, `E` for cells), not by reading the
//! show: every expired hold ends once, in passes of at most the limit, every unpaid booking's
//! cells go, a paid booking's seats stay sold, and the indexes keep nothing that has ended.

mod common;

use booking_core::testkit::{actor, fixture_with};
use booking_core::{EngineConfig, EventKind, SeatStatus};

/// Members of the one key matching `pattern` (the store's prefix carries its database's name).
async fn zcard(pattern: &str) -> i64 {
    let client = redis::Client::open(common::redis_url()).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = client.get_multiplexed_async_connection().await.unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<String> =
        redis::cmd("KEYS").arg(pattern).query_async(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keys.len(), 1, "keys matching {pattern}: {keys:?}");
    redis::cmd("ZCARD").arg(&keys[0]).query_async(&mut conn).await.unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_sweep_ends_every_expired_hold_once_and_frees_unpaid_bookings() {
    let (store, prefix) = common::hybrid_with_prefix().await;
    let config = EngineConfig { holds_per_owner_max: 10, sweep_batch_max: 4, ..EngineConfig::default() };
    let f = fixture_with(store, config).await;
    let labels: Vec<String> =
        (1..=10).map(|n| format!("A{n}")).chain((1..=8).map(|n| format!("B{n}"))).collect();
    let owners = ["ann", "bob", "cat", "dan", "eve"];
    let mut holds = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let who = owners[i % owners.len()];
        holds.push((who, f.hold(who, &[label]).await.unwrap_or_else(|e| panic!("hold: {e}"))));
    }
    // Three become bookings (one paid, two left unpaid), two are released, one is extended.
    let mut booked = Vec::new();
    for (n, (who, h)) in holds.drain(0..3).enumerate() {
        let b = f.engine.create_booking(h.id, actor(who), &format!("c-{n}"), None).await;
        booked.push((who, b.unwrap_or_else(|e| panic!("create: {e}"))));
    }
    let (who, paid) = &booked[0];
    f.engine.confirm_booking(paid.id, actor(who), "pay-1", "p-1").await.unwrap_or_else(|e| panic!("{e}"));
    for (who, h) in holds.drain(0..2) {
        f.engine.release_hold(h.id, actor(who), None).await.unwrap_or_else(|e| panic!("release: {e}"));
    }
    f.clock.advance_millis(1_000);
    let (who, h) = &holds[0];
    f.engine.extend_hold(h.id, actor(who), None).await.unwrap_or_else(|e| panic!("extend: {e}"));
    let before = f.events().await.len();
    let c = f.engine.config().clone();
    f.clock.advance_millis(c.hold_ttl_ms.max(c.payment_window_ms) + 1);
    // 13 holds are due, at most 4 a pass.
    let mut passes = Vec::new();
    loop {
        let report = f.engine.sweep_expired().await.unwrap_or_else(|e| panic!("sweep: {e}"));
        passes.push(report.holds_expired);
        if report.holds_expired == 0 {
            break;
        }
        assert!(passes.len() < 10, "the sweeps do not end: {passes:?}");
    }
    assert_eq!(passes.iter().sum::<u32>(), 13, "{passes:?}");
    assert!(passes.iter().all(|n| *n <= 4), "a pass went past its limit: {passes:?}");
    let events = f.events().await.split_off(before);
    let expired = events.iter().filter(|e| matches!(e.kind, EventKind::HoldExpired { .. })).count();
    assert_eq!(expired, 13, "{events:?}");
    assert_eq!(f.status("A1").await, SeatStatus::Booked, "the paid seat");
    for label in &labels[1..] {
        assert_eq!(f.status(label).await, SeatStatus::Available, "{label}");
    }
    let now = f.engine.now();
    assert_eq!(f.engine.store().seats_taken(f.show.id, now).await.unwrap_or_else(|e| panic!("{e}")), 1);
    // Nothing that ended is left in the indexes: only their placeholders.
    let show = f.show.id.0;
    assert_eq!(zcard(&format!("{prefix}*{{{show}}}:5:X")).await, 1, "holds left in X");
    assert_eq!(zcard(&format!("{prefix}*{{{show}}}:5:E")).await, 1, "cells left in E");
    for (i, label) in labels.iter().enumerate().skip(1) {
        let who = format!("new-{}", i % 3);
        f.hold(&who, &[label]).await.unwrap_or_else(|e| panic!("{label} is free again: {e}"));
    }
    f.assert_log_replays().await;
}
