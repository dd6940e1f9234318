//! Deterministic simulation: many virtual customers buy seats of one show through the engine, up
//! to three of them with calls in flight at once, their store calls interleaved in an order a
//! seeded scheduler picks ([`crate::simulation_turns`]), with the manual clock jumping ahead now
//! and then.
//!
//! Customers hold seats, extend, release or abandon their holds, create bookings, pay (the payment
//! succeeds, fails or arrives late), cancel, ask for refunds, check in, retry with the same
//! idempotency key; the venue sweeps. After every step the run checks the invariants of DESIGN.md
//! section 4 against a small ledger of what each customer was told:
//!
//! 1. every seat the store says is taken belongs to the one live hold or booking that the ledger
//!    gives it, and every seat the ledger gives is taken;
//! 2. a refused call changed nothing: the same seat states and no new event;
//! 3. an expired hold never blocks a seat and is never turned into a booking;
//! 4. a booking that reached a terminal state never changes again;
//! 5. every quote adds up;
//! 6. at the end, the log has no gap and replays to the store's seat states.
//!
//! The same seed always makes the same run on a store that answers the same way (the memory store
//! does), so a failing seed is a reproducible bug report.

use crate::simulation_turns::{Turns, interleave};
use crate::testkit::{T0, TEST_LAYOUT, actor, owner, schedule};
use crate::*;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimReport {
    /// Steps taken.
    pub steps: usize,
    /// Holds placed.
    pub holds: usize,
    /// Bookings confirmed.
    pub sold: usize,
    /// Calls the store refused (each checked to have changed nothing).
    pub refused: usize,
    /// Events in the log at the end.
    pub events: usize,
}

/// The simulation's only source of choices: a seeded generator (splitmix64), or the bytes a
/// fuzzer gives (then the generator seeded by them, once they run out).
#[derive(Debug, Clone)]
pub struct SimRng {
    state: u64,
    bytes: Vec<u8>,
    at: usize,
}

impl SimRng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        SimRng { state: seed, bytes: Vec::new(), at: 0 }
    }

    /// Choices read from `data`, 8 bytes at a time.
    pub fn from_bytes(data: &[u8]) -> Self {
        SimRng { state: data.len() as u64, bytes: data.to_vec(), at: 0 }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        if let Some(chunk) = self.bytes.get(self.at..).filter(|rest| !rest.is_empty()) {
            let mut word = [0u8; 8];
            let n = chunk.len().min(8);
            word[..n].copy_from_slice(&chunk[..n]);
            self.at += n;
            self.state ^= u64::from_le_bytes(word);
            return u64::from_le_bytes(word);
        }
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Where a customer is.
#[derive(Debug, Clone)]
enum Stage {
    Browsing,
    Holding(Hold),
    Paying(Booking),
    Ticketed(Booking),
}

/// A hold or a booking: their ids are numbered apart on some stores (the hybrid store numbers
/// holds on Redis and bookings on PostgreSQL), so the same number may name one of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lease {
    Hold(HoldId),
    Booking(BookingId),
}

/// What the run knows for sure: who was told they hold or bought which seats, until when.
#[derive(Debug, Default)]
struct Ledger {
    /// Seat → (customer, lease id, exclusive end; `Timestamp::MAX` once sold).
    seats: BTreeMap<usize, (usize, Lease, Timestamp)>,
    /// Bookings in a terminal state, and that state.
    terminal: BTreeMap<u64, BookingStatus>,
}

impl Ledger {
    fn give(&mut self, who: usize, lease: Lease, seats: &[SeatIdx], until: Timestamp) {
        for s in seats {
            self.seats.insert(s.index(), (who, lease, until));
        }
    }

    fn take_back(&mut self, lease: Lease) {
        self.seats.retain(|_, (_, l, _)| *l != lease);
    }

    fn taken(&self, seat: usize, now: Timestamp) -> bool {
        self.seats.get(&seat).is_some_and(|(_, _, until)| now < *until)
    }
}

/// A change to the ledger that one customer's call made, applied once the step's calls are done,
/// in the order they finished (which, under the scheduler, is the order of their last store call).
#[derive(Debug)]
enum Change {
    /// A hold took these seats: each must have been free.
    Claim { lease: Lease, seats: Vec<SeatIdx>, until: Timestamp },
    /// The customer's own seats under a lease again: an extension, a booking made of a hold, a sale.
    Give { lease: Lease, seats: Vec<SeatIdx>, until: Timestamp },
    /// A lease ended.
    TakeBack(Lease),
    /// A booking reached a terminal state.
    Terminal(u64, BookingStatus),
    /// A hold of these seats was refused as unavailable: one of them must have been taken.
    RefusedTaken(Vec<usize>, BookingError),
}

/// What one customer's call did.
#[derive(Debug)]
struct Act {
    who: usize,
    stage: Stage,
    changes: Vec<Change>,
    refusal: Option<BookingError>,
    holds: usize,
    sold: usize,
}

/// What every customer's call reads: the engine and the show.
struct Ctx<'a> {
    engine: &'a BookingEngine,
    show: ShowId,
    seats: usize,
    labels: &'a [String],
    step: usize,
}

/// A failed check, with what was seen.
fn fail<T>(step: usize, what: impl std::fmt::Display) -> Result<T, String> {
    Err(format!("step {step}: {what}"))
}

/// Most customers whose calls are in flight at once in one step.
pub const IN_FLIGHT_MAX: usize = 3;

/// Runs `steps` steps of seed `seed` against `store` with `customers` virtual customers.
///
/// Returns what happened, or the first broken invariant. Refusals that a real customer meets (a
/// seat taken, a limit, an expired hold, a late payment) are part of the run, not failures.
pub async fn simulate(
    store: DynStore,
    seed: u64,
    customers: usize,
    steps: usize,
) -> Result<SimReport, String> {
    simulate_with(store, SimRng::new(seed), customers, steps).await
}

/// [`simulate`] with the choices taken from `rng` (e.g. [`SimRng::from_bytes`] for a fuzzer).
///
/// Each step either moves the clock, sweeps, or lets 1 to [`IN_FLIGHT_MAX`] customers act at
/// once: their calls are in flight together and their store calls take turns in an order the
/// generator picks ([`crate::simulation_turns`]); the ledger checks run once they are all done.
pub async fn simulate_with(
    store: DynStore,
    mut rng: SimRng,
    customers: usize,
    steps: usize,
) -> Result<SimReport, String> {
    let turns = Turns::new(SimRng::new(rng.next_u64()));
    let clock = ManualClock::new(T0);
    let config = EngineConfig { holds_per_owner_max: 2, hold_seats_max: 6, ..EngineConfig::default() };
    let signer = TicketSigner::new(&[11u8; 32]).map_err(|e| e.to_string())?;
    let engine = BookingEngine::new(turns.store(store), Arc::new(clock.clone()), signer, config.clone())
        .map_err(|e| e.to_string())?;
    let theatre = NewTheatre { name: "Sim".into(), city: "Nantes".into(), time_zone: "Europe/Paris".into() };
    let theatre = engine.create_theatre(theatre).await.map_err(|e| e.to_string())?;
    let layout = SeatLayout::parse_text(TEST_LAYOUT).map_err(|e| e.to_string())?;
    let screen = engine.add_screen(theatre.id, "Sim", layout).await.map_err(|e| e.to_string())?;
    let show = engine.schedule_show(schedule(screen.id, 3)).await.map_err(|e| e.to_string())?;
    let seats = show.layout.seat_count();
    let blocked: Vec<bool> = show.layout.seats().iter().map(|s| s.flags.is_blocked()).collect();
    let labels: Vec<String> = show.layout.seats().iter().map(|s| s.label.to_string()).collect();

    let mut stages = vec![Stage::Browsing; customers.max(1)];
    let mut ledger = Ledger::default();
    let mut report = SimReport::default();
    let mut seen_seq = last_seq(&engine, show.id, 0).await?;
    // BOOKING_SIM_TRACE=1 prints what each call did, to read a failing seed's story.
    let trace = std::env::var_os("BOOKING_SIM_TRACE").is_some();
    for step in 0..steps {
        report.steps += 1;
        let now = clock.now();
        let before_seats = occupancy(&engine, show.id).await?;
        // Global events: the clock jumps, the venue sweeps.
        if rng.one_in(12) {
            let ms = [1_000, 60_000, 5 * 60_000, 11 * 60_000, 31 * 60_000][rng.below(5)];
            clock.advance_millis(ms);
            continue;
        }
        if rng.one_in(15) {
            engine.sweep_expired().await.map_err(|e| format!("step {step}: sweep: {e}"))?;
            seen_seq = last_seq(&engine, show.id, seen_seq).await?;
            // A sweep changes no seat that anybody holds: only leases that had ended.
            check_seats(&engine, &show, &ledger, clock.now(), step).await?;
            continue;
        }
        let ctx = Ctx { engine: &engine, show: show.id, seats, labels: &labels, step };
        let in_flight = (1 + rng.below(IN_FLIGHT_MAX)).min(stages.len());
        let mut who: Vec<usize> = Vec::with_capacity(in_flight);
        while who.len() < in_flight {
            let w = rng.below(stages.len());
            if !who.contains(&w) {
                who.push(w);
            }
        }
        let tasks = who
            .iter()
            .map(|&w| {
                let fork = SimRng::new(rng.next_u64());
                Box::pin(act(&ctx, w, stages[w].clone(), fork, now))
                    as Pin<Box<dyn Future<Output = Result<Act, String>> + Send + '_>>
            })
            .collect();
        let done = interleave(&turns, tasks).await;
        let mut refused = 0;
        for (_, act) in done {
            let act = act?;
            if trace {
                eprintln!("step {step} at {now:?}: {act:?}");
            }
            if act.refusal.is_some() {
                refused += 1;
            }
            apply(act, &mut ledger, &mut stages, &mut report, now, step, &labels, &blocked)?;
        }
        let now = clock.now();
        let seq = last_seq(&engine, show.id, seen_seq).await?;
        // Invariant 2: refused calls changed nothing and appended nothing. When some call of the
        // step succeeded, the ledger check below finds any seat a refused one left taken.
        if refused == in_flight && (occupancy(&engine, show.id).await? != before_seats || seq != seen_seq) {
            return fail(step, "refused calls changed the show");
        }
        seen_seq = seq;
        check_seats(&engine, &show, &ledger, now, step).await?;
        check_terminal(&engine, &ledger, now, step, &mut rng).await?;
    }
    // Invariant 6: the log replays to the store's seat states.
    let events = crate::testkit::all_events(&engine, show.id).await;
    for (i, e) in events.iter().enumerate() {
        if e.seq != i as u64 + 1 {
            return fail(steps, format!("the log has a gap at {}", e.seq));
        }
    }
    let replayed = replay(seats, &events).map_err(|e| format!("replay: {e}"))?;
    if replayed != occupancy(&engine, show.id).await? {
        return fail(steps, "the log does not replay to the store's seat states");
    }
    report.events = events.len();
    Ok(report)
}

/// Applies what a customer's call did to the ledger, checking what only the ledger can tell: a
/// hold got free seats only, a refusal for taken seats named a taken one.
#[allow(clippy::too_many_arguments)]
fn apply(
    act: Act,
    ledger: &mut Ledger,
    stages: &mut [Stage],
    report: &mut SimReport,
    now: Timestamp,
    step: usize,
    labels: &[String],
    blocked: &[bool],
) -> Result<(), String> {
    let who = act.who;
    for change in act.changes {
        match change {
            Change::Claim { lease, seats, until } => {
                if let Some(s) = seats.iter().find(|s| ledger.taken(s.index(), now) || blocked[s.index()]) {
                    return fail(
                        step,
                        format!("sim-{who} was given seat {} that was not free", labels[s.index()]),
                    );
                }
                ledger.give(who, lease, &seats, until);
            }
            Change::Give { lease, seats, until } => ledger.give(who, lease, &seats, until),
            Change::TakeBack(lease) => ledger.take_back(lease),
            Change::Terminal(booking, status) => {
                ledger.terminal.insert(booking, status);
            }
            Change::RefusedTaken(picks, e) => {
                if picks.iter().all(|&s| !ledger.taken(s, now) && !blocked[s]) {
                    return fail(step, format!("sim-{who} was refused free seats: {e}"));
                }
            }
        }
    }
    report.holds += act.holds;
    report.sold += act.sold;
    if act.refusal.is_some() {
        report.refused += 1;
    }
    stages[who] = act.stage;
    Ok(())
}

/// One customer's call, from where they are: what it did, or the broken invariant.
async fn act(
    ctx: &Ctx<'_>,
    who: usize,
    stage: Stage,
    mut rng: SimRng,
    now: Timestamp,
) -> Result<Act, String> {
    let (engine, step) = (ctx.engine, ctx.step);
    let name = format!("sim-{who}");
    let key = |what: &str| format!("{what}-{step}-{who}");
    let mut act = Act { who, stage: stage.clone(), changes: Vec::new(), refusal: None, holds: 0, sold: 0 };
    match stage {
        Stage::Browsing => {
            let n = 1 + rng.below(4);
            let mut picks: Vec<usize> = Vec::new();
            while picks.len() < n {
                let s = rng.below(ctx.seats);
                if !picks.contains(&s) {
                    picks.push(s);
                }
            }
            let choice = picks.iter().map(|&s| SeatChoice::new(&ctx.labels[s])).collect();
            let req = HoldRequest {
                places: Vec::new(),
                show: ctx.show,
                owner: owner(&name),
                seats: choice,
                promo_code: None,
                accessible: false,
            };
            match engine.hold(req).await {
                Ok(hold) => {
                    if !hold.quote.is_consistent() {
                        return fail(step, format!("a quote that does not add up: {:?}", hold.quote));
                    }
                    act.changes.push(Change::Claim {
                        lease: Lease::Hold(hold.id),
                        seats: hold.seats.to_vec(),
                        until: hold.expires_at,
                    });
                    act.holds = 1;
                    act.stage = Stage::Holding(hold);
                }
                Err(e @ BookingError::SeatUnavailable { .. }) => {
                    act.changes.push(Change::RefusedTaken(picks, e.clone()));
                    act.refusal = Some(e);
                }
                Err(e) => act.refusal = Some(e),
            }
        }
        Stage::Holding(hold) => match rng.below(5) {
            0 => match engine.extend_hold(hold.id, actor(&name), Some(hold.fence)).await {
                Ok(h) => {
                    if hold.expires_at <= now {
                        return fail(step, format!("{} extended though it expired", hold.id));
                    }
                    act.changes.push(Change::Give {
                        lease: Lease::Hold(h.id),
                        seats: h.seats.to_vec(),
                        until: h.expires_at,
                    });
                    act.stage = Stage::Holding(h);
                }
                Err(e) => act.refusal = Some(e),
            },
            1 => {
                let r = engine.release_hold(hold.id, actor(&name), None).await;
                if let Err(e) = r {
                    if hold.expires_at > now {
                        return fail(step, format!("the owner could not release live {}: {e}", hold.id));
                    }
                    act.refusal = Some(e);
                }
                act.changes.push(Change::TakeBack(Lease::Hold(hold.id)));
                act.stage = Stage::Browsing;
            }
            // Walks away: the hold will expire.
            2 if rng.one_in(3) => act.stage = Stage::Browsing,
            _ => {
                let key = key("create");
                match engine.create_booking(hold.id, actor(&name), &key, None).await {
                    Ok(b) => {
                        if hold.expires_at <= now {
                            return fail(step, format!("{} became a booking after it expired", hold.id));
                        }
                        let again = engine.create_booking(hold.id, actor(&name), &key, None).await;
                        if again.as_ref().map(|a| a.id) != Ok(b.id) {
                            return fail(step, format!("a retried create answered {again:?}, not {}", b.id));
                        }
                        act.changes.push(Change::TakeBack(Lease::Hold(hold.id)));
                        act.changes.push(Change::Give {
                            lease: Lease::Booking(b.id),
                            seats: b.seats.to_vec(),
                            until: b.payment_deadline,
                        });
                        act.stage = Stage::Paying(b);
                    }
                    Err(e) => {
                        if matches!(e, BookingError::HoldExpired { .. }) && hold.expires_at > now {
                            return fail(step, format!("a live hold was called expired: {e}"));
                        }
                        act.changes.push(Change::TakeBack(Lease::Hold(hold.id)));
                        act.stage = Stage::Browsing;
                        act.refusal = Some(e);
                    }
                }
            }
        },
        Stage::Paying(b) => match rng.below(6) {
            // The payment failed: the customer cancels.
            0 => {
                let r = engine.cancel_booking(b.id, actor(&name)).await;
                act.changes.push(Change::TakeBack(Lease::Booking(b.id)));
                act.stage = Stage::Browsing;
                match r {
                    Ok(done) => act.changes.push(Change::Terminal(b.id.0, done.status)),
                    Err(e) if b.payment_deadline > now => {
                        return fail(step, format!("the owner could not cancel pending {}: {e}", b.id));
                    }
                    Err(e) => act.refusal = Some(e),
                }
            }
            // The payment arrived (maybe late: the clock may have passed the deadline).
            _ => match engine.confirm_booking(b.id, actor(&name), "psp-ok", &key("pay")).await {
                Ok(done) => {
                    if b.payment_deadline <= now {
                        return fail(step, format!("{} was confirmed after its deadline", b.id));
                    }
                    if done.tickets.len() != b.seats.len() {
                        return fail(
                            step,
                            format!(
                                "{} got {} tickets for {} seats",
                                b.id,
                                done.tickets.len(),
                                b.seats.len()
                            ),
                        );
                    }
                    act.changes.push(Change::Give {
                        lease: Lease::Booking(b.id),
                        seats: b.seats.to_vec(),
                        until: Timestamp::MAX,
                    });
                    act.sold = 1;
                    act.stage = Stage::Ticketed(done.booking);
                }
                Err(e) => {
                    if b.payment_deadline > now {
                        return fail(step, format!("a payment in time was refused: {e}"));
                    }
                    act.changes.push(Change::TakeBack(Lease::Booking(b.id)));
                    act.changes.push(Change::Terminal(b.id.0, BookingStatus::Expired));
                    act.stage = Stage::Browsing;
                    act.refusal = Some(e);
                }
            },
        },
        Stage::Ticketed(b) => match rng.below(4) {
            0 => {
                let r = if rng.one_in(2) {
                    engine.refund_booking(b.id, Actor::Staff).await
                } else {
                    engine.cancel_booking(b.id, actor(&name)).await
                };
                act.stage = Stage::Browsing;
                match r {
                    Ok(done) => {
                        act.changes.push(Change::TakeBack(Lease::Booking(b.id)));
                        act.changes.push(Change::Terminal(b.id.0, done.status));
                    }
                    // Checked in: a terminal state that neither a refund nor a cancel leaves.
                    Err(e) => act.refusal = Some(e),
                }
            }
            1 => {
                let tickets =
                    engine.tickets(b.id, &actor(&name)).await.map_err(|e| format!("step {step}: {e}"))?;
                if let Some(t) = tickets.get(rng.below(tickets.len())) {
                    match engine.check_in(&t.code).await {
                        Ok(c) => act.changes.push(Change::Terminal(b.id.0, c.booking.status)),
                        Err(e) => act.refusal = Some(e),
                    }
                }
            }
            // Goes home with the tickets.
            _ => act.stage = Stage::Browsing,
        },
    }
    Ok(act)
}

/// Runs the seeds the environment asks for against stores that `open` makes, one per seed, and
/// answers the totals of their reports; panics at the first seed that breaks an invariant, with
/// the command that replays it (`replay`, e.g. `cargo test -p booking-core --test simulation`).
///
/// `BOOKING_SIM_SEED=S` runs seed S alone, `BOOKING_SIM_SEEDS=N` seeds 0 to N-1 (default
/// `seeds`), `BOOKING_SIM_STEPS=K` K steps each (default `steps`). Every run must together have
/// sold a seat and met a refusal: runs that exercised nothing fail.
pub async fn simulate_seeds<F, Fut>(replay: &str, seeds: u64, steps: usize, mut open: F) -> SimReport
where
    F: FnMut() -> Fut,
    Fut: Future<Output = DynStore>,
{
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let steps = env("BOOKING_SIM_STEPS").map_or(steps, |k| k as usize);
    let seeds: Vec<u64> = match env("BOOKING_SIM_SEED") {
        Some(seed) => vec![seed],
        None => (0..env("BOOKING_SIM_SEEDS").unwrap_or(seeds)).collect(),
    };
    let mut total = SimReport::default();
    for seed in seeds {
        match simulate(open().await, seed, 6, steps).await {
            Ok(r) => {
                total.steps += r.steps;
                total.holds += r.holds;
                total.sold += r.sold;
                total.refused += r.refused;
                total.events += r.events;
            }
            Err(e) => panic!(
                "seed {seed} broke an invariant: {e}\nreplay: BOOKING_SIM_SEED={seed} BOOKING_SIM_STEPS={steps} {replay}"
            ),
        }
    }
    assert!(total.sold > 0 && total.refused > 0, "the runs exercised nothing: {total:?}");
    total
}

async fn occupancy(engine: &BookingEngine, show: ShowId) -> Result<Vec<SeatOccupant>, String> {
    engine.store().seat_occupancy(show).await.map_err(|e| format!("occupancy: {e}"))
}

/// The sequence number of the show's last event, reading only what came after `after`.
async fn last_seq(engine: &BookingEngine, show: ShowId, after: u64) -> Result<u64, String> {
    let mut last = after;
    loop {
        let page =
            engine.events_since(show, last, EVENTS_PAGE_MAX).await.map_err(|e| format!("events: {e}"))?;
        match page.last() {
            Some(e) => last = e.seq,
            None => return Ok(last),
        }
    }
}

/// Invariants 1 and 3: the store's taken seats are exactly the ledger's live ones, each with the
/// lease the ledger names.
async fn check_seats(
    engine: &BookingEngine,
    show: &Show,
    ledger: &Ledger,
    now: Timestamp,
    step: usize,
) -> Result<(), String> {
    let stored = occupancy(engine, show.id).await?;
    for (seat, occupant) in stored.iter().enumerate() {
        let label = show.layout.seat(SeatIdx(seat as u32)).map_or("?", |s| &s.label);
        let lease = match occupant {
            SeatOccupant::Held { hold, .. } => Some(Lease::Hold(*hold)),
            SeatOccupant::Pending { booking, .. } | SeatOccupant::Sold { booking } => {
                Some(Lease::Booking(*booking))
            }
            SeatOccupant::Free => None,
        };
        match (occupant.is_taken(now), ledger.seats.get(&seat)) {
            (true, Some((_, l, until))) if Some(*l) == lease && now < *until => {}
            (false, None) => {}
            (false, Some((_, _, until))) if *until <= now => {}
            (taken, told) => {
                return fail(
                    step,
                    format!(
                        "seat {label}: the store says {occupant:?} (taken {taken}), customers were told {told:?}"
                    ),
                );
            }
        }
    }
    Ok(())
}

/// Invariant 4, on one terminal booking per step (all of them at the end would cost a read each).
async fn check_terminal(
    engine: &BookingEngine,
    ledger: &Ledger,
    now: Timestamp,
    step: usize,
    rng: &mut SimRng,
) -> Result<(), String> {
    let n = ledger.terminal.len();
    if let Some((id, status)) = ledger.terminal.iter().nth(rng.below(n)) {
        let b = engine.store().booking(BookingId(*id)).await.map_err(|e| format!("step {step}: {e}"))?;
        // A pending booking past its deadline is expired whether or not a sweep has written it.
        if b.status_at(now) != *status {
            return fail(
                step,
                format!("terminal booking {} moved from {status:?} to {:?}", b.id, b.status_at(now)),
            );
        }
    }
    Ok(())
}
