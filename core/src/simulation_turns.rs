//! The simulation's scheduler (feature `testkit`): several virtual customers' calls in flight at
//! once, with a seeded choice of whose next store call goes first.
//!
//! Each call runs as a task of [`interleave`]. The store is wrapped in a [`HookedStore`] whose
//! hook makes the calling task wait at a gate before every store call; once every task in flight
//! waits at a gate (or is done), the seeded generator picks the one that goes on, which runs its
//! store call and everything up to its next gate. So the store's atomic steps of different
//! customers interleave in an order the seed decides (read, read, write, write as well as read,
//! write, read, write), and the same seed gives the same order on a store that answers the same.
//! Calls outside [`interleave`] (the checks between steps) pass without a gate.

use crate::simulation::SimRng;
use crate::testkit::{HookedStore, StoreHook};
use crate::*;
use parking_lot::Mutex;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

thread_local! {
    /// The task of [`interleave`] being polled on this thread, if any.
    static CURRENT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Who may go on: the tasks waiting at a gate, and the one running.
struct TurnState {
    rng: SimRng,
    /// Tasks not yet done.
    live: usize,
    running: Option<usize>,
    waiting: BTreeMap<usize, Waker>,
    /// Turns given so far.
    turns: usize,
}

impl TurnState {
    /// Once every live task waits, gives the turn to one of them, by the generator.
    fn pick(&mut self) {
        if self.running.is_some() || self.waiting.is_empty() || self.waiting.len() < self.live {
            return;
        }
        let n = self.rng.below(self.waiting.len());
        let Some(&task) = self.waiting.keys().nth(n) else { return };
        if let Some(waker) = self.waiting.remove(&task) {
            self.running = Some(task);
            self.turns += 1;
            waker.wake();
        }
    }
}

/// The gates of one [`interleave`]; a store behind [`Turns::store`] waits at them.
#[derive(Clone)]
pub struct Turns(Arc<Mutex<TurnState>>);

impl Turns {
    /// Turns chosen by `rng`.
    pub fn new(rng: SimRng) -> Turns {
        let state = TurnState { rng, live: 0, running: None, waiting: BTreeMap::new(), turns: 0 };
        Turns(Arc::new(Mutex::new(state)))
    }

    /// `inner` with a gate before every call made from a task of [`interleave`].
    pub fn store(&self, inner: DynStore) -> DynStore {
        let turns = self.clone();
        let hook: StoreHook = Arc::new(move |_call| {
            let gate =
                CURRENT.with(Cell::get).map(|task| Gate { turns: turns.clone(), task, registered: false });
            Box::pin(async move {
                if let Some(gate) = gate {
                    gate.await;
                }
            })
        });
        HookedStore::wrap(inner, hook)
    }

    /// How many turns were given so far: how many store calls went through a gate.
    pub fn given(&self) -> usize {
        self.0.lock().turns
    }

    fn done(&self, task: usize) {
        let mut s = self.0.lock();
        s.live = s.live.saturating_sub(1);
        if s.running == Some(task) {
            s.running = None;
        }
        s.pick();
    }
}

/// A task waiting for its turn before a store call.
struct Gate {
    turns: Turns,
    task: usize,
    registered: bool,
}

impl Future for Gate {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let task = self.task;
        let first = !self.registered;
        self.registered = true;
        let mut s = self.turns.0.lock();
        if first {
            // It reached its next store call: its turn ends, and it waits for another.
            if s.running == Some(task) {
                s.running = None;
            }
            s.waiting.insert(task, cx.waker().clone());
            s.pick();
        }
        if s.running == Some(task) && !s.waiting.contains_key(&task) {
            Poll::Ready(())
        } else {
            s.waiting.insert(task, cx.waker().clone());
            Poll::Pending
        }
    }
}

/// Wakes one task of [`interleave`]: marks it to be polled, and wakes whoever polls the whole.
struct TaskWaker {
    ready: AtomicBool,
    outer: Mutex<Option<Waker>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.ready.store(true, Ordering::SeqCst);
        if let Some(w) = self.outer.lock().as_ref() {
            w.wake_by_ref();
        }
    }
}

type Task<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs `tasks` at once, their store calls (through [`Turns::store`]) taking turns as `turns`
/// decides; answers each task's output with its index, in the order they finished. On a store
/// that never waits (memory) it is done at its first poll.
pub async fn interleave<'a, T>(turns: &Turns, tasks: Vec<Task<'a, T>>) -> Vec<(usize, T)> {
    turns.0.lock().live += tasks.len();
    let wakers: Vec<Arc<TaskWaker>> = (0..tasks.len())
        .map(|_| Arc::new(TaskWaker { ready: AtomicBool::new(true), outer: Mutex::new(None) }))
        .collect();
    let mut slots: Vec<Option<Task<'a, T>>> = tasks.into_iter().map(Some).collect();
    let mut done = Vec::with_capacity(slots.len());
    std::future::poll_fn(move |cx| {
        for w in &wakers {
            *w.outer.lock() = Some(cx.waker().clone());
        }
        loop {
            let mut progressed = false;
            for (i, slot) in slots.iter_mut().enumerate() {
                let Some(task) = slot.as_mut() else { continue };
                if !wakers[i].ready.swap(false, Ordering::SeqCst) {
                    continue;
                }
                progressed = true;
                let waker = Waker::from(wakers[i].clone());
                let before = CURRENT.with(|c| c.replace(Some(i)));
                let polled = task.as_mut().poll(&mut Context::from_waker(&waker));
                CURRENT.with(|c| c.set(before));
                if let Poll::Ready(out) = polled {
                    *slot = None;
                    done.push((i, out));
                    turns.done(i);
                }
            }
            if slots.iter().all(Option::is_none) {
                return Poll::Ready(std::mem::take(&mut done));
            }
            if !progressed {
                return Poll::Pending;
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;

    /// Two customers each read the seats then hold: the seed decides the order of the four calls.
    async fn orders(seed: u64) -> Vec<String> {
        let turns = Turns::new(SimRng::new(seed));
        let f = testkit::fixture(turns.store(Arc::new(MemoryStore::new()))).await;
        let log = Arc::new(Mutex::new(Vec::new()));
        let task = |who: &'static str, seat: &'static str| -> Task<'_, ()> {
            let (f, log) = (&f, log.clone());
            Box::pin(async move {
                let seats = f.engine.store().seat_occupancy(f.show.id).await.map(|s| s.len());
                log.lock().push(format!("{who} read {seats:?}"));
                let held = f.hold(who, &[seat]).await.is_ok();
                log.lock().push(format!("{who} held {held}"));
            })
        };
        let done = interleave(&turns, vec![task("ann", "A1"), task("bob", "A2")]).await;
        assert_eq!(done.len(), 2);
        assert!(turns.given() >= 4, "{} turns", turns.given());
        log.lock().clone()
    }

    #[tokio::test]
    async fn a_seed_picks_the_interleaving_and_keeps_it() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..16 {
            let run = orders(seed).await;
            assert_eq!(run, orders(seed).await, "seed {seed} ran two ways");
            assert_eq!(run.len(), 4);
            seen.insert(run);
        }
        // Both customers went first, and their calls interleaved, by some seed.
        assert!(seen.iter().any(|r| r[0].starts_with("ann")) && seen.iter().any(|r| r[0].starts_with("bob")));
        assert!(seen.iter().any(|r| r[0][..3] != r[1][..3]), "no seed interleaved the calls: {seen:?}");
    }

    #[test]
    fn on_the_memory_store_it_is_done_at_the_first_poll() {
        let turns = Turns::new(SimRng::new(3));
        let store = turns.store(Arc::new(MemoryStore::new()));
        let tasks: Vec<Task<'_, u64>> = (0..3u64)
            .map(|n| -> Task<'_, u64> {
                let store = store.clone();
                Box::pin(async move { store.head(ShowId(n)).await.unwrap_or(0) + n })
            })
            .collect();
        let mut run = std::pin::pin!(interleave(&turns, tasks));
        let Poll::Ready(out) = run.as_mut().poll(&mut Context::from_waker(Waker::noop())) else {
            panic!("the memory store waited")
        };
        let mut got: Vec<u64> = out.into_iter().map(|(_, v)| v).collect();
        got.sort_unstable();
        assert_eq!(got, vec![0, 1, 2]);
        assert_eq!(turns.given(), 3);
    }
}
