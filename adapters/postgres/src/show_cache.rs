//! Decoded shows kept in memory: the engine reads the show on every hold, and decoding its layout
//! and pricing from JSON each time would cost more than the hold itself.
//!
//! Bounded: when full, the whole cache is dropped (shows are cheap to reload, and a ticket rush
//! sells a few shows at a time). Entries are trusted for a limited time, because another process
//! may cancel a show; every write checks the show's status in the database regardless.

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
        if self.entries.len() >= self.capacity {
            self.entries.clear();
        }
        self.entries.insert(show.id, (show, Instant::now()));
    }

    pub(crate) fn forget(&self, id: ShowId) {
        self.entries.remove(&id);
    }
}
