//! Batching: the requests that arrive while a call is in flight go together in the next call, so
//! that they share one round trip, one transaction and one commit.
//!
//! Requests are spread over a few lanes by show, each with its own queue: a lane runs one batch at
//! a time, made of the first waiting request, every request queued behind it (up to a maximum)
//! and those that arrive while it gives the runtime a few turns, and answers each caller. The
//! requests of one show always go to the same lane, so two batches of one kind never wait for
//! each other's show locks. Under light load every batch holds one request, and a lone caller
//! waits only for those few turns; under a rush the batches grow by themselves.

use booking_core::{StoreError, StoreResult};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

type Reply<R> = oneshot::Sender<StoreResult<R>>;

/// Requests waiting at most in a lane before callers wait to enqueue (backpressure).
const QUEUE: usize = 1_024;

/// Turns in a row a lane gives the other tasks, once its queue is empty, before it sends what it
/// has: requests that are about to come join the batch. A rush keeps adding and the batch grows
/// (twice as large behind the server at 64 connections, and each booking costs about 15 % less
/// of the machine: benches/README); a lone caller loses six turns of an idle runtime,
/// microseconds.
const LINGER_TURNS: usize = 6;

/// Turns a lane gives at most before one batch, however many requests keep coming.
const LINGER_TURNS_MAX: usize = 64;

/// Queues of `T` answered with `R` by batches.
#[derive(Debug)]
pub(crate) struct Batcher<T, R> {
    lanes: Vec<mpsc::Sender<(T, Reply<R>)>>,
}

impl<T: Send + 'static, R: Send + 'static> Batcher<T, R> {
    /// Starts `lanes` lanes that run up to `max` requests at a time with `run`, which answers
    /// each request in order, or fails the whole batch. Must be called inside a tokio runtime.
    pub(crate) fn start<F, Fut>(lanes: usize, max: usize, run: F) -> Self
    where
        F: Fn(Vec<T>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = StoreResult<Vec<StoreResult<R>>>> + Send + 'static,
    {
        let run = Arc::new(run);
        let lanes = (0..lanes.max(1))
            .map(|_| {
                let (tx, rx) = mpsc::channel(QUEUE);
                tokio::spawn(lane(rx, run.clone(), max.max(1)));
                tx
            })
            .collect();
        Batcher { lanes }
    }

    /// Queues `item` in the lane of `show` and waits for its answer.
    pub(crate) async fn call(&self, show: i64, item: T) -> StoreResult<R> {
        let lane =
            self.lanes.get(show.unsigned_abs() as usize % self.lanes.len().max(1)).ok_or_else(stopped)?;
        let (reply, answer) = oneshot::channel();
        lane.send((item, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable { message: "the store's batcher has stopped".into() }
}

async fn lane<T, R, F, Fut>(mut queue: mpsc::Receiver<(T, Reply<R>)>, run: Arc<F>, max: usize)
where
    F: Fn(Vec<T>) -> Fut,
    Fut: Future<Output = StoreResult<Vec<StoreResult<R>>>>,
{
    // Ends when every store handle is gone.
    while let Some(first) = queue.recv().await {
        let mut jobs = vec![first];
        let (mut turns, mut idle) = (0, 0);
        while jobs.len() < max {
            match queue.try_recv() {
                Ok(job) => {
                    jobs.push(job);
                    idle = 0;
                }
                Err(_) if idle < LINGER_TURNS && turns < LINGER_TURNS_MAX => {
                    turns += 1;
                    idle += 1;
                    tokio::task::yield_now().await;
                }
                Err(_) => break,
            }
        }
        let (items, replies): (Vec<T>, Vec<Reply<R>>) = jobs.into_iter().unzip();
        match run(items).await {
            Ok(answers) if answers.len() == replies.len() => {
                for (reply, answer) in replies.into_iter().zip(answers) {
                    // A caller that stopped waiting has nothing to be told.
                    let _ = reply.send(answer);
                }
            }
            Ok(answers) => {
                let e = StoreError::Backend {
                    message: format!("a batch of {} got {} answers", replies.len(), answers.len()),
                };
                replies.into_iter().for_each(|r| drop(r.send(Err(e.clone()))));
            }
            Err(e) => replies.into_iter().for_each(|r| drop(r.send(Err(e.clone())))),
        }
    }
}

/// A batch's rows in the callers' order: `index` is the 1-based position in `order`.
pub(crate) fn in_callers_order<R>(
    n: usize,
    order: &[usize],
    rows: Vec<(i32, StoreResult<R>)>,
) -> Vec<StoreResult<R>> {
    let mut out: Vec<Option<StoreResult<R>>> = (0..n).map(|_| None).collect();
    for (index, answer) in rows {
        if let Some(slot) =
            usize::try_from(index - 1).ok().and_then(|i| order.get(i)).and_then(|&i| out.get_mut(i))
        {
            *slot = Some(answer);
        }
    }
    out.into_iter()
        .map(|a| {
            a.unwrap_or_else(|| {
                Err(StoreError::Backend { message: "a batch left a request unanswered".into() })
            })
        })
        .collect()
}

/// Sorted by show, so that concurrent batches lock shows in the same order.
pub(crate) fn by_show(n: usize, show: impl Fn(usize) -> i64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| show(i));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_caller_gets_its_own_answer_and_batches_grow_under_load() {
        let sizes = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = sizes.clone();
        let batcher = Arc::new(Batcher::start(2, 16, move |items: Vec<u32>| {
            let seen = seen.clone();
            async move {
                seen.lock().map(|mut s| s.push(items.len())).unwrap_or(());
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                Ok(items
                    .into_iter()
                    .map(|i| if i % 7 == 0 { Err(StoreError::IdempotencyConflict) } else { Ok(i * 2) })
                    .collect())
            }
        }));
        let calls: Vec<_> = (0..200u32)
            .map(|i| {
                let b = batcher.clone();
                tokio::spawn(async move { (i, b.call(i64::from(i), i).await) })
            })
            .collect();
        for c in calls {
            let (i, answer) = c.await.unwrap_or_else(|e| panic!("{e}"));
            if i % 7 == 0 {
                assert_eq!(answer, Err(StoreError::IdempotencyConflict));
            } else {
                assert_eq!(answer, Ok(i * 2));
            }
        }
        let sizes = sizes.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(sizes.iter().sum::<usize>(), 200);
        assert!(sizes.iter().all(|s| *s <= 16));
        assert!(sizes.iter().any(|s| *s > 1), "no batch held more than one request: {sizes:?}");
    }

    /// Runs `first`'s call, then one caller that comes a turn later: the lane's few turns let
    /// the late one join the first batch. Without them it would go alone in a second one.
    #[tokio::test(flavor = "current_thread")]
    async fn a_request_that_comes_a_turn_later_joins_the_batch() {
        let sizes = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = sizes.clone();
        let batcher = Arc::new(Batcher::start(1, 16, move |items: Vec<u32>| {
            seen.lock().map(|mut s| s.push(items.len())).unwrap_or(());
            async move { Ok(items.into_iter().map(Ok).collect()) }
        }));
        let (a, b) = (batcher.clone(), batcher.clone());
        let first = tokio::spawn(async move { a.call(1, 1).await });
        let late = tokio::spawn(async move {
            tokio::task::yield_now().await;
            b.call(1, 2).await
        });
        assert_eq!(first.await.ok(), Some(Ok(1)));
        assert_eq!(late.await.ok(), Some(Ok(2)));
        assert_eq!(sizes.lock().map(|s| s.clone()).unwrap_or_default(), [2]);
    }
}
