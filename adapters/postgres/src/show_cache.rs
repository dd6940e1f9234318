//! Decoded shows kept in memory: the engine reads the show on every hold, and decoding its layout
//! and pricing from JSON each time would cost more than the hold itself.
//!
//! Bounded: when full, the eighth of the entries put longest ago goes. (Dropping the whole cache
//! instead made a service selling more shows than it holds decode a layout on almost every hold:
//! 1,692 holds/s against 45,000/s in `pg_load` with 4,800 shows and room for 4,096.) A show in
//! use is put again each time its status is read anew, so the oldest are the ones nobody asks for.
//! Entries are trusted for a limited time, because another process may cancel a show; every
//! write checks the show's status in the database regardless.

use booking_core::{Show, ShowId};
use dashmap::DashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct ShowCache {
    entries: DashMap<ShowId, (Arc<Show>, Instant)>,
    capacity: usize,
    ttl: Duration,
}

impl ShowCache {
    pub(crate) fn new(capacity: usize, ttl: Duration) -> Self {
        ShowCache { entries: DashMap::new(), capacity, ttl }
    }

    pub(crate) fn get(&self, id: ShowId) -> Option<Arc<Show>> {
        let entry = self.entries.get(&id)?;
        (entry.1.elapsed() < self.ttl).then(|| entry.0.clone())
    }

    /// The cached show whatever its age: what never changes of a show (layout, pricing, times)
    /// is as good as new; only its status may be stale.
    pub(crate) fn get_any_age(&self, id: ShowId) -> Option<Arc<Show>> {
        self.entries.get(&id).map(|e| e.0.clone())
    }

    pub(crate) fn put(&self, show: Arc<Show>) {
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity && !self.entries.contains_key(&show.id) {
            self.evict_oldest();
        }
        self.entries.insert(show.id, (show, Instant::now()));
    }

    /// Drops the oldest eighth of the entries (at least one). Its sort is paid for once per
    /// eighth of the capacity put, so a put costs O(log n) amortised.
    fn evict_oldest(&self) {
        let mut ages: Vec<(Instant, ShowId)> = self.entries.iter().map(|e| (e.value().1, *e.key())).collect();
        let n = (ages.len() / 8).max(1).min(ages.len());
        if n == 0 {
            return;
        }
        ages.select_nth_unstable(n - 1);
        for (_, id) in &ages[..n] {
            self.entries.remove(id);
        }
    }

    pub(crate) fn forget(&self, id: ShowId) {
        self.entries.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_core::{Currency, PricingPolicy, ScreenId, SeatLayout, ShowStatus, TheatreId, Timestamp};

    fn show(id: u64) -> Arc<Show> {
        let layout = SeatLayout::parse_text("row A: 1-4").unwrap_or_else(|e| panic!("{e}"));
        Arc::new(Show {
            id: ShowId(id),
            screen: ScreenId(1),
            theatre: TheatreId(1),
            title: "t".into(),
            starts_at: Timestamp(0),
            ends_at: Timestamp(1),
            sales_open_at: Timestamp(0),
            sales_close_at: Timestamp(1),
            status: ShowStatus::Scheduled,
            no_orphan: false,
            tickets_per_owner_max: None,
            accessible_until: None,
            time_zone: "UTC".into(),
            layout: Arc::new(layout),
            pricing: Arc::new(PricingPolicy::simple(Currency::EUR, &[("standard", 100)])),
        })
    }

    #[test]
    fn a_full_cache_drops_its_oldest_eighth_and_keeps_the_rest() {
        let cache = ShowCache::new(16, Duration::from_secs(60));
        for id in 0..16 {
            cache.put(show(id));
            std::thread::sleep(Duration::from_millis(1));
        }
        cache.put(show(100));
        // 16 entries, an eighth of them (2) the oldest: shows 0 and 1 go, the rest and the new one stay.
        assert!(cache.get(ShowId(0)).is_none() && cache.get(ShowId(1)).is_none());
        for id in (2..16).chain([100]) {
            assert!(cache.get(ShowId(id)).is_some(), "show {id} was dropped");
        }
        assert_eq!(cache.entries.len(), 15);
    }

    #[test]
    fn putting_a_cached_show_again_evicts_nothing() {
        let cache = ShowCache::new(4, Duration::from_secs(60));
        for id in 0..4 {
            cache.put(show(id));
        }
        cache.put(show(2));
        assert_eq!(cache.entries.len(), 4);
    }

    #[test]
    fn capacity_zero_keeps_nothing_and_capacity_one_keeps_the_last() {
        let none = ShowCache::new(0, Duration::from_secs(60));
        none.put(show(1));
        assert!(none.get(ShowId(1)).is_none());
        let one = ShowCache::new(1, Duration::from_secs(60));
        one.put(show(1));
        one.put(show(2));
        assert!(one.get(ShowId(1)).is_none() && one.get(ShowId(2)).is_some());
    }
}
