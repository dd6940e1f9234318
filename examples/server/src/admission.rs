//! Back-pressure: at most `concurrency` requests are handled at once, at most as many more wait
//! their turn, and any beyond that are refused at once with 503 and `Retry-After`, so an
//! overload turns into quick refusals instead of a queue (and memory) that grows without bound.

use crate::app::AppState;
use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// The admission gate shared by every request.
#[derive(Debug)]
pub struct Admission {
    running: Semaphore,
    /// Requests admitted and not finished: running plus waiting.
    admitted: AtomicUsize,
    admitted_max: usize,
}

/// Gives the admitted place back when the request ends, however it ends.
struct Ticket<'a>(&'a AtomicUsize);

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

    /// Takes a place, or `None` when the queue is full.
    fn enter(&self) -> Option<Ticket<'_>> {
        let before = self.admitted.fetch_add(1, Ordering::AcqRel);
        let ticket = Ticket(&self.admitted);
        (before < self.admitted_max).then_some(ticket)
    }
}

fn overloaded() -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "OVERLOADED", "the server is busy; retry shortly")
        .retry_after(1)
}

/// Middleware: admits the request, waits for a free slot, or refuses it with 503.
pub async fn admit(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let gate = &state.admission;
    let Some(_ticket) = gate.enter() else {
        state.metrics.overloaded.inc();
        return overloaded().into_response();
    };
    // The semaphore is never closed, so acquiring only fails if it were.
    let Ok(_running) = gate.running.acquire().await else {
        return overloaded().into_response();
    };
    next.run(req).await
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
