//! Shared set-up for the benchmarks: venues, shows and a synchronous driver for the memory store.

pub mod load;

use booking_core::testkit::T0;
use booking_core::*;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// A 1,000-seat layout: 40 rows of 25 with a centre aisle pair of gaps.
pub fn big_layout_text(rows: usize, seats_per_row: usize) -> String {
    let mut text = String::from("section Main category=standard\n");
    for r in 0..rows {
        let name = row_name(r);
        text.push_str(&format!("row {name}: 1-{seats_per_row}\n"));
    }
    text
}

/// Row names A..Z, AA..AZ, ...
pub fn row_name(r: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if r < 26 {
        (letters[r] as char).to_string()
    } else {
        format!("{}{}", letters[r / 26 - 1] as char, letters[r % 26] as char)
    }
}

/// Runs a future that never waits (every memory-store operation) to completion on this thread.
///
/// Panics if the future is not ready at once: only for the in-memory store.
pub fn ready<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the memory store never waits"),
    }
}

/// An engine on a fresh memory store with a manual clock at [`T0`].
pub fn engine(config: EngineConfig) -> (BookingEngine, Arc<MemoryStore>) {
    let store = Arc::new(MemoryStore::new());
    let signer = TicketSigner::new(&[9u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let engine = BookingEngine::new(store.clone(), Arc::new(ManualClock::new(T0)), signer, config)
        .unwrap_or_else(|e| panic!("{e}"));
    (engine, store)
}

/// A theatre and a screen with `layout` on `engine`.
pub fn screen(engine: &BookingEngine, layout: &str) -> Screen {
    ready(async {
        let t = NewTheatre { name: "Bench".into(), city: "Lyon".into(), time_zone: "Europe/Paris".into() };
        let t = engine.create_theatre(t).await?;
        engine.add_screen(t.id, "Main", SeatLayout::parse_text(layout)?).await
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A two-hour show on `screen`, `slot` two-hour slots after the first day, with `pricing`.
pub fn show_request(screen: ScreenId, slot: i64, pricing: impl Into<Arc<PricingPolicy>>) -> ScheduleShow {
    let start = T0.plus_millis(86_400_000 + slot * 2 * 3_600_000);
    ScheduleShow {
        screen,
        title: "Bench".into(),
        starts_at: start,
        ends_at: start.plus_millis(2 * 3_600_000),
        sales_open_at: None,
        sales_close_at: None,
        no_orphan: false,
        tickets_per_owner_max: None,
        pricing: pricing.into(),
        accessible_release_before_ms: None,
    }
}

/// Schedules [`show_request`] on the memory store.
pub fn show(
    engine: &BookingEngine,
    screen: ScreenId,
    slot: i64,
    pricing: impl Into<Arc<PricingPolicy>>,
) -> Arc<Show> {
    ready(engine.schedule_show(show_request(screen, slot, pricing))).unwrap_or_else(|e| panic!("{e}"))
}

/// The bench's simple policy: one category at 10.00 EUR.
pub fn simple_pricing() -> PricingPolicy {
    PricingPolicy::simple(Currency::EUR, &[("standard", 1_000)])
}

/// Resident set size of this process in bytes (Linux), or 0 where unknown.
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        })
        .map_or(0, |kb| kb * 1024)
}

/// Deletes the keys under `prefix` from the Redis at `url`: a run's keys would otherwise stay for
/// days, until their shows' TTLs.
pub async fn forget_redis_keys(url: &str, prefix: &str) {
    let client = redis::Client::open(url).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = client.get_multiplexed_async_connection().await.unwrap_or_else(|e| panic!("{e}"));
    let mut cursor = 0u64;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}*"))
            .arg("COUNT")
            .arg(10_000)
            .query_async(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if !keys.is_empty() {
            let _: i64 = redis::cmd("UNLINK")
                .arg(&keys)
                .query_async(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        if next == 0 {
            break;
        }
        cursor = next;
    }
}
