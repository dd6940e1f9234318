//! Back-pressure: at most `concurrency` requests are handled at once, at most as many more wait
//! their turn, and any beyond that are refused at once with 503 and `Retry-After`, so an
//! overload turns into quick refusals instead of a queue (and memory) that grows without bound.
//! [`crate::edge`] puts every request through it.

use crate::error::ApiError;
use axum::http::StatusCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Semaphore, SemaphorePermit};

/// The admission gate shared by every request.
#[derive(Debug)]
pub struct Admission {
    running: Semaphore,
    /// Requests admitted and not finished: running plus waiting.
    admitted: AtomicUsize,
    admitted_max: usize,
}

/// An admitted place, given back when the request ends, however it ends.
#[derive(Debug)]
pub struct Ticket<'a>(&'a AtomicUsize);

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Admission {
    /// `concurrency` requests at once (at least one) and as many waiting.
    pub fn new(concurrency: usize) -> Admission {
        let concurrency = concurrency.clamp(1, Semaphore::MAX_PERMITS / 2);
        Admission {
            running: Semaphore::new(concurrency),
            admitted: AtomicUsize::new(0),
            admitted_max: concurrency * 2,
        }
    }

    /// Requests being handled or waiting now.
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }

    /// Takes a place (given back when the ticket drops), or `None` when the queue is full.
    pub fn enter(&self) -> Option<Ticket<'_>> {
        let before = self.admitted.fetch_add(1, Ordering::AcqRel);
        let ticket = Ticket(&self.admitted);
        (before < self.admitted_max).then_some(ticket)
    }

    /// Waits for a running slot (held until the permit drops); `None` only if the gate were
    /// closed, which it never is.
    pub async fn running(&self) -> Option<SemaphorePermit<'_>> {
        self.running.acquire().await.ok()
    }
}

/// The refusal of a request the queue has no room for.
pub fn overloaded() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "OVERLOADED", "the server is busy; retry shortly")
        .retry_after(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_is_as_long_as_the_concurrency_and_places_come_back() {
        let gate = Admission::new(2);
        let held: Vec<_> = (0..4).map(|_| gate.enter()).collect();
        assert!(held.iter().all(Option::is_some));
        assert!(gate.enter().is_none(), "a fifth request is refused");
        assert_eq!(gate.admitted(), 4, "a refusal takes no place");
        drop(held);
        assert_eq!(gate.admitted(), 0);
        assert!(gate.enter().is_some());
        assert!(Admission::new(0).enter().is_some(), "at least one request runs");
    }
}
