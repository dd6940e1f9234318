//! Time: milliseconds since the Unix epoch, and the `Clock` that supplies "now".
//!
//! Stores never read a clock of their own: every operation is given `now` by the engine, so tests
//! and simulations control time completely.

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// An instant, in milliseconds since 1970-01-01T00:00:00Z. Explicitly sized for persistence.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The latest representable instant; used as "never expires".
    pub const MAX: Timestamp = Timestamp(i64::MAX);

    /// From milliseconds since the epoch.
    pub const fn from_millis(ms: i64) -> Self {
        Timestamp(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// `self + ms`, saturating at the representable range.
    pub const fn plus_millis(self, ms: i64) -> Self {
        Timestamp(self.0.saturating_add(ms))
    }

    /// `self - other` in milliseconds, saturating.
    pub const fn millis_since(self, other: Timestamp) -> i64 {
        self.0.saturating_sub(other.0)
    }

    /// Converts to a `jiff::Timestamp` for calendar work (time zones, weekdays).
    pub fn to_jiff(self) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_millisecond(self.0).ok()
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_jiff() {
            Some(t) => write!(f, "{t}"),
            None => write!(f, "Timestamp({})", self.0),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The source of "now" for the engine.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The operating system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Timestamp(ms)
    }
}

/// A clock that moves only when told to: for tests and simulations.
///
/// ```
/// # use booking_core::{Clock, ManualClock, Timestamp};
/// let clock = ManualClock::new(Timestamp::from_millis(1_000));
/// clock.advance_millis(500);
/// assert_eq!(clock.now(), Timestamp::from_millis(1_500));
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<Timestamp>>);

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: Timestamp) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    /// Moves the clock forward (or back, with a negative value).
    pub fn advance_millis(&self, ms: i64) {
        let mut t = self.0.lock();
        *t = t.plus_millis(ms);
    }

    /// Sets the clock to `t`.
    pub fn set(&self, t: Timestamp) {
        *self.0.lock() = t;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::new(Timestamp(10));
        assert_eq!(c.now(), Timestamp(10));
        c.advance_millis(5);
        assert_eq!(c.now(), Timestamp(15));
        let shared = c.clone();
        shared.set(Timestamp(100));
        assert_eq!(c.now(), Timestamp(100));
    }

    #[test]
    fn timestamps_saturate_and_format() {
        assert_eq!(Timestamp::MAX.plus_millis(1), Timestamp::MAX);
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00Z");
        assert!(SystemClock.now() > Timestamp(1_600_000_000_000));
    }
}
