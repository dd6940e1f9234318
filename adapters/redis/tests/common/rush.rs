//! A rush of customers through an outage of a server under the store, and every check after it
//! (shared by the PostgreSQL crash and the Redis Cluster failover tests):
//! - every confirmation that was acknowledged is still confirmed, with its seats;
//! - no seat has two live claims, no booking is half made, the log has no gap and replays;
//! - while the server is out, callers get only the retryable `STORE_UNAVAILABLE` (or, for a retry
//!   whose first try's answer was lost, a refusal that says so), and the same store object serves
//!   again once it is back, without a restart of the service;
//! - the acknowledged holds and pending bookings that the outage forgot are counted, with their
//!   age at the outage.

use booking_core::testkit::{T0, actor, owner, schedule};
use booking_core::*;
use booking_redis::RedisOptions;
use parking_lot::Mutex;
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const TASKS: usize = 12;
/// Before the crash, while the server is down, after it is back.
const UP: u8 = 0;
const DOWN: u8 = 1;
const BACK: u8 = 2;

/// What the customers were told, and when.
#[derive(Default)]
struct Told {
    holds: Mutex<Vec<(HoldId, u8, Instant)>>,
    pending: Mutex<Vec<(BookingId, u8, Instant)>>,
    confirmed: Mutex<Vec<(Booking, u8)>>,
    /// Retryable errors, by phase.
    retried: [AtomicUsize; 3],
    /// Refusals a retry may meet when its first try's answer was lost (the seats it took, the
    /// hold a lost write forgot), by error code.
    ambiguous: Mutex<Vec<String>>,
    /// Anything else: each one fails the test.
    surprises: Mutex<Vec<String>>,
}

/// Runs `call` until it answers something other than a retryable error. A call still retryable
/// 20 s after the server is back is a surprise: the store must serve again by then.
async fn retried<T, F, Fut>(told: &Told, phase: &AtomicU8, what: &str, mut call: F) -> Result<T, BookingError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, BookingError>>,
{
    let mut since_back: Option<Instant> = None;
    loop {
        match call().await {
            Err(e) if e.is_retryable() => {
                let p = phase.load(Ordering::Relaxed);
                told.retried[p as usize].fetch_add(1, Ordering::Relaxed);
                if p == BACK
                    && since_back.get_or_insert_with(Instant::now).elapsed() > Duration::from_secs(20)
                {
                    told.surprises
                        .lock()
                        .push(format!("{what} still unavailable 20 s after the outage: {e:?}"));
                    return Err(e);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => return other,
        }
    }
}

/// `call` until it answers other than retryably (the server has just come back).
async fn patiently<T, F, Fut>(mut call: F) -> Result<T, BookingError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, BookingError>>,
{
    for _ in 0..500 {
        match call().await {
            Err(e) if e.is_retryable() => tokio::time::sleep(Duration::from_millis(20)).await,
            other => return other,
        }
    }
    call().await
}

/// What a customer goes on with: the answer, or nothing (a refusal is noted, a call still
/// retryable is given up).
fn answered<T>(told: &Told, who: &str, what: &str, r: Result<T, BookingError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) if e.is_retryable() => None,
        Err(e) => {
            note(told, who, what, e);
            None
        }
    }
}

fn note(told: &Told, who: &str, what: &str, e: BookingError) {
    match e.code() {
        // The clock jumps past the holds' end after the restart (see the sweeper): a pending
        // booking's payment may come after its deadline.
        ErrorCode::NotFound
        | ErrorCode::SeatUnavailable
        | ErrorCode::HoldExpired
        | ErrorCode::InvalidTransition => told.ambiguous.lock().push(format!("{what}: {:?}", e.code())),
        _ => told.surprises.lock().push(format!("{who} {what}: {e:?}")),
    }
}

/// One customer: two seats of their own stretch at a time; one pair in four is only held, one
/// in four is booked and left unpaid, the rest are paid.
async fn customer(
    engine: Arc<BookingEngine>,
    show: Arc<Show>,
    t: usize,
    told: Arc<Told>,
    phase: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
) {
    let who = format!("fan-{t}");
    let labels: Vec<String> = show.layout.seats().iter().map(|s| s.label.to_string()).collect();
    let mut k = 0;
    while !stop.load(Ordering::Relaxed) && (k + 1) * TASKS * 2 <= labels.len() {
        let first = (k * TASKS + t) * 2;
        k += 1;
        // A steady rush, not a sprint through the seats before the crash.
        tokio::time::sleep(Duration::from_millis(5)).await;
        let seats = vec![SeatChoice::new(&labels[first]), SeatChoice::new(&labels[first + 1])];
        let hold = retried(&told, &phase, "hold", || {
            engine.hold(HoldRequest {
                places: Vec::new(),
                show: show.id,
                owner: owner(&who),
                seats: seats.clone(),
                promo_code: None,
                accessible: false,
            })
        })
        .await;
        let Some(hold) = answered(&told, &who, "hold", hold) else { continue };
        if k % 4 == 0 {
            told.holds.lock().push((hold.id, phase.load(Ordering::Relaxed), Instant::now()));
            continue;
        }
        let (create_key, pay_key) = (format!("{who}-{k}-create"), format!("{who}-{k}-pay"));
        let booking = retried(&told, &phase, "create", || {
            engine.create_booking(hold.id, actor(&who), &create_key, None)
        })
        .await;
        let Some(booking) = answered(&told, &who, "create", booking) else { continue };
        if k % 4 == 1 {
            told.pending.lock().push((booking.id, phase.load(Ordering::Relaxed), Instant::now()));
            continue;
        }
        let paid = retried(&told, &phase, "confirm", || {
            engine.confirm_booking(booking.id, actor(&who), "card", &pay_key)
        })
        .await;
        if let Some(c) = answered(&told, &who, "confirm", paid) {
            told.confirmed.lock().push((c.booking, phase.load(Ordering::Relaxed)));
        }
    }
}

/// A rush under way: customers holding, booking and paying on a 10,000-seat show.
pub struct Rush {
    name: String,
    /// The engine the customers call.
    pub engine: Arc<BookingEngine>,
    clock: ManualClock,
    config: EngineConfig,
    show: Arc<Show>,
    told: Arc<Told>,
    phase: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
    customers: Vec<tokio::task::JoinHandle<()>>,
    out_at: Option<Instant>,
    back_at: Option<Instant>,
}

impl Rush {
    /// Starts the customers on a new show of `store`.
    pub async fn start(name: &str, store: DynStore) -> Rush {
        let config = EngineConfig { holds_per_owner_max: 1_000, ..EngineConfig::default() };
        let signer = TicketSigner::new(&[5u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let clock = ManualClock::new(T0);
        let engine = BookingEngine::new(store, Arc::new(clock.clone()), signer, config.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        let engine = Arc::new(engine);
        let theatre =
            NewTheatre { name: "Rex".into(), city: "Paris".into(), time_zone: "Europe/Paris".into() };
        let theatre = engine.create_theatre(theatre).await.unwrap_or_else(|e| panic!("{e}"));
        // 10,000 seats, rows AA to HR: more than the rush can sell before it is stopped.
        let row_name = |r: u8| format!("{}{}", (b'A' + r / 26) as char, (b'A' + r % 26) as char);
        let rows: String = (0..200u8).map(|r| format!("row {}: 1-50\n", row_name(r))).collect();
        let layout = SeatLayout::parse_text(&format!("section Main category=standard\n{rows}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let screen = engine.add_screen(theatre.id, "One", layout).await.unwrap_or_else(|e| panic!("{e}"));
        let show = engine.schedule_show(schedule(screen.id, 1)).await.unwrap_or_else(|e| panic!("{e}"));
        let (told, phase, stop) =
            (Arc::new(Told::default()), Arc::new(AtomicU8::new(UP)), Arc::new(AtomicBool::new(false)));
        let customers = (0..TASKS)
            .map(|t| {
                let (e, s, told, phase, stop) =
                    (engine.clone(), show.clone(), told.clone(), phase.clone(), stop.clone());
                tokio::spawn(customer(e, s, t, told, phase, stop))
            })
            .collect();
        Rush {
            name: name.to_string(),
            engine,
            clock,
            config,
            show,
            told,
            phase,
            stop,
            customers,
            out_at: None,
            back_at: None,
        }
    }

    /// How many confirmations were acknowledged so far.
    pub fn confirmed(&self) -> usize {
        self.told.confirmed.lock().len()
    }

    /// The server is out from now.
    pub fn out(&mut self) {
        self.out_at = Some(Instant::now());
        self.phase.store(DOWN, Ordering::Relaxed);
        eprintln!("{}: out; {} confirmed so far", self.name, self.confirmed());
    }

    /// The server is back from now.
    pub fn back(&mut self) {
        self.back_at = Some(Instant::now());
        self.phase.store(BACK, Ordering::Relaxed);
    }

    /// Counts what the outage forgot of what was acknowledged before it (the server must be
    /// back), runs the service's sweeper past the holds' end, waits for 20 sales after the
    /// outage, stops the customers and checks everything against `pool` (the store's PostgreSQL).
    pub async fn finish(self, pool: &PgPool) {
        let (name, engine, told) = (&self.name, &self.engine, &self.told);
        let out_at = self.out_at.unwrap_or_else(Instant::now);
        let back_at = self.back_at.unwrap_or_else(Instant::now);
        let mut lost_holds = Vec::new();
        let acked_holds: Vec<_> = told.holds.lock().iter().filter(|(_, p, _)| *p == UP).copied().collect();
        for (id, _, at) in &acked_holds {
            if let Err(BookingError::NotFound { .. }) = patiently(|| engine.hold_info(*id)).await {
                lost_holds.push(out_at.saturating_duration_since(*at));
            }
        }
        let mut lost_pending = Vec::new();
        let acked_pending: Vec<_> =
            told.pending.lock().iter().filter(|(_, p, _)| *p == UP).copied().collect();
        for (id, _, at) in &acked_pending {
            if let Err(BookingError::NotFound { .. }) = patiently(|| engine.booking(*id, &Actor::Staff)).await
            {
                lost_pending.push(out_at.saturating_duration_since(*at));
            }
        }
        // Then the service's sweeper, past the holds' end and a stale-lock window: a hybrid
        // booking whose PostgreSQL write the outage cut off leaves its hold locked ("being
        // booked", retryable) until the sweeper, meeting the hold at its end, asks PostgreSQL
        // what became of it.
        self.clock
            .advance_millis(self.config.hold_ttl_ms + RedisOptions::default().booking_lock_stale_ms + 1_000);
        // The sweeper runs until the customers are done: stopping it with them would leave a
        // customer retrying a hold the sweeper alone can settle (the rush may have sold enough
        // by now already, and stop the customers at once).
        let sweeping = Arc::new(AtomicBool::new(false));
        let sweeper = {
            let (engine, stop) = (engine.clone(), sweeping.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    if let Err(e) = engine.sweep_expired().await {
                        eprintln!("sweep: {e:?}");
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        };
        let retried = || told.retried.iter().map(|r| r.load(Ordering::Relaxed)).collect::<Vec<_>>();
        eprintln!("{name}: back; retried {:?}", retried());
        while told.confirmed.lock().iter().filter(|(_, p)| *p == BACK).count() < 20 {
            assert!(
                back_at.elapsed() < Duration::from_secs(60),
                "{name}: nothing was sold after the outage; confirmed {}, retried {:?}, surprises {:?}",
                told.confirmed.lock().len(),
                retried(),
                told.surprises.lock().iter().take(5).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.stop.store(true, Ordering::Relaxed);
        for c in self.customers {
            let done = tokio::time::timeout(Duration::from_secs(30), c).await;
            done.unwrap_or_else(|_| {
                panic!("{name}: a customer's call did not return in 30 s (retried {:?})", retried())
            })
            .unwrap_or_else(|e| panic!("{e}"));
        }
        sweeping.store(true, Ordering::Relaxed);
        sweeper.await.unwrap_or_else(|e| panic!("{e}"));
        // The sweeps the service would go on with: what one pass settles (a hold locked for a
        // booking, whose booking it then hands its seats to) the next may end.
        for _ in 0..2 {
            engine.sweep_expired().await.unwrap_or_else(|e| panic!("{name}: sweep: {e}"));
        }

        let surprises = told.surprises.lock().clone();
        assert!(surprises.is_empty(), "{name}: calls failed other than retryably: {surprises:?}");
        assert!(told.retried[DOWN as usize].load(Ordering::Relaxed) > 0, "{name}: no call met the outage");
        let confirmed: Vec<Booking> = told.confirmed.lock().iter().map(|(b, _)| b.clone()).collect();
        for b in &confirmed {
            let now = engine
                .booking(b.id, &Actor::Staff)
                .await
                .unwrap_or_else(|e| panic!("{name}: {} lost: {e}", b.id));
            assert_eq!(now.status, BookingStatus::Confirmed, "{name}: {} was confirmed", b.id);
            assert_eq!(now.seats, b.seats, "{name}: {} changed seats", b.id);
        }
        super::pg::assert_sold_once(pool, engine, &self.show, &confirmed).await;

        let oldest = lost_holds.iter().chain(&lost_pending).max().copied().unwrap_or_default();
        let ambiguous = told.ambiguous.lock().clone();
        let paid: Vec<u8> = told.confirmed.lock().iter().map(|(_, p)| *p).collect();
        println!(
            "{name}: before the outage {} holds and {} pending bookings acknowledged, {} confirmed; the \
             outage forgot {} holds and {} pending bookings, the oldest {} ms old at the outage; {} \
             retryable errors while out, {} after; {} ambiguous refusals of retries {:?}; {} confirmed \
             after the outage",
            acked_holds.len(),
            acked_pending.len(),
            paid.iter().filter(|p| **p == UP).count(),
            lost_holds.len(),
            lost_pending.len(),
            oldest.as_millis(),
            told.retried[DOWN as usize].load(Ordering::Relaxed),
            told.retried[BACK as usize].load(Ordering::Relaxed),
            ambiguous.len(),
            ambiguous.iter().take(5).collect::<Vec<_>>(),
            paid.iter().filter(|p| **p == BACK).count(),
        );
    }
}
