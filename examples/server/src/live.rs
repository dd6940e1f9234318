//! Live seat maps: wake the streams of a show when this instance changes it; streams also poll
//! the log, so changes made by other instances sharing the database reach them too.

use booking_core::ShowId;
use dashmap::DashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Notify, watch};

/// Per-show wake-ups, the count of open streams, and the signal that ends them all when the
/// server shuts down (a graceful shutdown waits for open connections, and a stream never ends
/// by itself).
#[derive(Debug)]
pub struct LiveHub {
    stop: watch::Sender<bool>,
    shows: DashMap<ShowId, Arc<Notify>>,
    heads: DashMap<ShowId, u64>,
    streams: Arc<AtomicUsize>,
}

/// An open stream's place in the count; dropping it frees the place.
#[derive(Debug)]
pub struct StreamSlot(Arc<AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub {
            stop: watch::Sender::new(false),
            shows: DashMap::new(),
            heads: DashMap::new(),
            streams: Arc::default(),
        }
    }
}

impl LiveHub {
    /// Ends every stream, now and for streams opened from now on.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Turns true when the streams must end.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// The wake-up of a show's streams.
    pub fn waker(&self, show: ShowId) -> Arc<Notify> {
        self.shows.entry(show).or_default().clone()
    }

    /// The last sequence number of a show's log this instance has seen (0 if none).
    pub fn known_head(&self, show: ShowId) -> u64 {
        self.heads.get(&show).map_or(0, |h| *h)
    }

    /// Records a sequence number seen in a show's log.
    pub fn set_known_head(&self, show: ShowId, seq: u64) {
        let mut h = self.heads.entry(show).or_insert(0);
        *h = (*h).max(seq);
    }

    /// Wakes the streams of `show`: its log has grown.
    pub fn touch(&self, show: ShowId) {
        if let Some(n) = self.shows.get(&show) {
            n.notify_waiters();
        }
    }

    /// Wakes every stream (after a sweep, which may touch any show).
    pub fn touch_all(&self) {
        for n in self.shows.iter() {
            n.notify_waiters();
        }
    }

    /// A place for one more stream, if fewer than `max` are open.
    pub fn open_stream(&self, max: usize) -> Option<StreamSlot> {
        let taken =
            self.streams.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1));
        taken.ok().map(|_| StreamSlot(self.streams.clone()))
    }

    /// Streams open now.
    pub fn streams(&self) -> usize {
        self.streams.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_counted_and_capped() {
        let hub = LiveHub::default();
        let a = hub.open_stream(2);
        let b = hub.open_stream(2);
        assert!(a.is_some() && b.is_some());
        assert!(hub.open_stream(2).is_none());
        drop(a);
        assert_eq!(hub.streams(), 1);
        assert!(hub.open_stream(2).is_some());
    }
}
