//! Changes this instance makes, fanned out: they wake the live seat-map streams of the show,
//! and tell the notification worker which shows' logs to read. Streams also poll the log, and
//! the worker reads every show's now and then, so changes made by other instances sharing the
//! database reach them too.

use booking_core::ShowId;
use dashmap::{DashMap, DashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::sync::{Notify, watch};

/// Per-show wake-ups, the count of open streams, and the signal that ends them all when the
/// server shuts down (a graceful shutdown waits for open connections, and a stream never ends
/// by itself).
#[derive(Debug)]
pub struct LiveHub {
    stop: watch::Sender<bool>,
    shows: DashMap<ShowId, Arc<Notify>>,
    streams: Arc<AtomicUsize>,
    /// Shows changed since the notification worker last looked (at most one entry a show).
    changed: DashSet<ShowId>,
    /// Whether any show may have changed (a sweep) since the worker last looked.
    all_changed: AtomicBool,
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
            streams: Arc::default(),
            changed: DashSet::new(),
            all_changed: AtomicBool::new(true),
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

    /// Wakes the streams of `show`: its log has grown.
    pub fn touch(&self, show: ShowId) {
        self.changed.insert(show);
        if let Some(n) = self.shows.get(&show) {
            n.notify_waiters();
        }
    }

    /// Wakes every stream (after a sweep, which may touch any show).
    pub fn touch_all(&self) {
        self.all_changed.store(true, Ordering::Release);
        for n in self.shows.iter() {
            n.notify_waiters();
        }
    }

    /// The shows touched since the last call, or `None` when any show may have changed (a
    /// sweep, or the first call).
    pub fn take_changed(&self) -> Option<Vec<ShowId>> {
        let mut changed = Vec::new();
        // Taken out under each shard's lock: a touch meanwhile lands in the next call.
        self.changed.retain(|show| {
            changed.push(*show);
            false
        });
        (!self.all_changed.swap(false, Ordering::AcqRel)).then_some(changed)
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
    fn the_worker_is_told_what_changed_once() {
        let hub = LiveHub::default();
        assert_eq!(hub.take_changed(), None, "at first, anything may have");
        hub.touch(ShowId(1));
        hub.touch(ShowId(2));
        hub.touch(ShowId(1));
        let mut changed = hub.take_changed().unwrap_or_default();
        changed.sort();
        assert_eq!(changed, vec![ShowId(1), ShowId(2)]);
        assert_eq!(hub.take_changed(), Some(vec![]));
        hub.touch_all();
        assert_eq!(hub.take_changed(), None);
    }

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
