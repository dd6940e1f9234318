//! The model-based property test (feature `testkit`): random operation sequences run against the
//! engine on any store and against a small reference model; after every step every invariant of
//! DESIGN.md section 4 is checked. Every store runs it with [`crate::model_tests!`].

use crate::testkit::{T0, TEST_LAYOUT, actor, owner, schedule};
use crate::*;
use proptest::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

const OWNERS: u8 = 3;
const HOLDS_PER_OWNER: u32 = 3;
/// The engine's cap of tickets per owner: low enough that random holds meet it often.
const TICKETS_PER_OWNER: u32 = 6;

/// One operation of the model test, on the show of [`run_model`].
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum ModelOp {
    Hold { who: u8, seats: Vec<u8> },
    Release { pick: usize, who: u8 },
    Extend { pick: usize, who: u8 },
    Create { pick: usize, who: u8, key: u8 },
    Confirm { pick: usize, who: u8, key: u8 },
    Cancel { pick: usize, who: u8 },
    Refund { pick: usize },
    CheckIn { pick: usize, seat: usize },
    Advance { ms: i64 },
    Sweep,
}

fn op() -> impl Strategy<Value = ModelOp> {
    prop_oneof![
        4 => (0..OWNERS, prop::collection::vec(0u8..26, 0..5)).prop_map(|(who, seats)| ModelOp::Hold { who, seats }),
        1 => (any::<usize>(), 0..=OWNERS).prop_map(|(pick, who)| ModelOp::Release { pick, who }),
        1 => (any::<usize>(), 0..=OWNERS).prop_map(|(pick, who)| ModelOp::Extend { pick, who }),
        2 => (any::<usize>(), 0..=OWNERS, 0u8..6).prop_map(|(pick, who, key)| ModelOp::Create { pick, who, key }),
        2 => (any::<usize>(), 0..=OWNERS, 0u8..6).prop_map(|(pick, who, key)| ModelOp::Confirm { pick, who, key }),
        1 => (any::<usize>(), 0..=OWNERS).prop_map(|(pick, who)| ModelOp::Cancel { pick, who }),
        1 => any::<usize>().prop_map(|pick| ModelOp::Refund { pick }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(pick, seat)| ModelOp::CheckIn { pick, seat }),
        1 => prop_oneof![Just(1_000i64), Just(60_000), Just(300_000), Just(660_000)].prop_map(|ms| ModelOp::Advance { ms }),
        1 => Just(ModelOp::Sweep),
    ]
}

#[derive(Debug, Clone)]
struct MHold {
    owner: u8,
    seats: Vec<SeatIdx>,
    expires: Timestamp,
    max: Timestamp,
}

#[derive(Debug, Clone)]
struct MBooking {
    owner: u8,
    seats: Vec<SeatIdx>,
    status: BookingStatus,
    deadline: Timestamp,
    checked: Vec<SeatIdx>,
}

impl MBooking {
    fn status_at(&self, now: Timestamp) -> BookingStatus {
        if self.status == BookingStatus::Pending && now >= self.deadline {
            BookingStatus::Expired
        } else {
            self.status
        }
    }
}

#[derive(Default)]
struct Model {
    holds: HashMap<HoldId, MHold>,
    all_holds: Vec<HoldId>,
    bookings: HashMap<BookingId, MBooking>,
    all_bookings: Vec<BookingId>,
    /// Idempotency keys per (owner, key): what each was first used for.
    keys: HashMap<(u8, String), (Option<HoldId>, BookingId)>,
}

impl Model {
    fn seat_taken(&self, seat: SeatIdx, now: Timestamp) -> bool {
        self.holds.values().any(|h| now < h.expires && h.seats.contains(&seat))
            || self.bookings.values().any(|b| b.status_at(now).holds_seats() && b.seats.contains(&seat))
    }

    fn live_holds(&self, who: u8, now: Timestamp) -> usize {
        self.holds.values().filter(|h| h.owner == who && now < h.expires).count()
    }

    /// The seats `who` has at `now`: of live holds, and of bookings that hold seats.
    fn tickets(&self, who: u8, now: Timestamp) -> usize {
        let held: usize =
            self.holds.values().filter(|h| h.owner == who && now < h.expires).map(|h| h.seats.len()).sum();
        let booked: usize = self
            .bookings
            .values()
            .filter(|b| b.owner == who && b.status_at(now).holds_seats())
            .map(|b| b.seats.len())
            .sum();
        held + booked
    }
}

struct World {
    engine: BookingEngine,
    clock: ManualClock,
    show: Arc<Show>,
    model: Model,
    cfg: EngineConfig,
}

fn name(who: u8) -> String {
    format!("owner-{who}")
}

impl World {
    async fn new(store: DynStore) -> World {
        let cfg = EngineConfig {
            holds_per_owner_max: HOLDS_PER_OWNER,
            tickets_per_owner_max: Some(TICKETS_PER_OWNER),
            hold_lifetime_ms_max: 12 * 60_000,
            ..Default::default()
        };
        let clock = ManualClock::new(T0);
        let signer = TicketSigner::new(&[3u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let engine = BookingEngine::new(store, Arc::new(clock.clone()), signer, cfg.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        let t = NewTheatre { name: "T".into(), city: "C".into(), time_zone: "Europe/Paris".into() };
        let t = engine.create_theatre(t).await.unwrap_or_else(|e| panic!("{e}"));
        let layout = SeatLayout::parse_text(TEST_LAYOUT).unwrap_or_else(|e| panic!("{e}"));
        let screen = engine.add_screen(t.id, "S", layout).await.unwrap_or_else(|e| panic!("{e}"));
        let show = engine.schedule_show(schedule(screen.id, 1)).await.unwrap_or_else(|e| panic!("{e}"));
        World { engine, clock, show, model: Model::default(), cfg }
    }

    fn pick_hold(&self, pick: usize) -> Option<HoldId> {
        (!self.model.all_holds.is_empty()).then(|| self.model.all_holds[pick % self.model.all_holds.len()])
    }

    fn pick_booking(&self, pick: usize) -> Option<BookingId> {
        (!self.model.all_bookings.is_empty())
            .then(|| self.model.all_bookings[pick % self.model.all_bookings.len()])
    }

    /// `who == OWNERS` stands for the real owner of what was picked, so that most acting
    /// operations are made by the owner and get past the ownership check.
    fn who(&self, who: u8, hold: Option<HoldId>, booking: Option<BookingId>) -> u8 {
        if who < OWNERS {
            return who;
        }
        let from_hold = hold.and_then(|h| self.model.holds.get(&h)).map(|h| h.owner);
        let from_booking = booking.and_then(|b| self.model.bookings.get(&b)).map(|b| b.owner);
        from_hold.or(from_booking).unwrap_or(0)
    }

    /// Runs one op; returns whether the model expected success and whether it succeeded.
    async fn step(&mut self, op: &ModelOp) -> (bool, bool) {
        let now = self.clock.now();
        let layout = self.show.layout.clone();
        match op {
            ModelOp::Hold { who, seats } => {
                let idx: Vec<SeatIdx> = seats.iter().map(|s| SeatIdx(u32::from(*s))).collect();
                let mut distinct = idx.clone();
                distinct.sort();
                distinct.dedup();
                let pairs_ok = idx.iter().all(|s| layout.pair_partners(*s).iter().all(|p| idx.contains(p)));
                let expect = !idx.is_empty()
                    && distinct.len() == idx.len()
                    && pairs_ok
                    && idx.iter().all(|s| {
                        !layout.seats()[s.index()].flags.is_blocked() && !self.model.seat_taken(*s, now)
                    })
                    && self.model.live_holds(*who, now) < HOLDS_PER_OWNER as usize
                    && self.model.tickets(*who, now) + idx.len() <= TICKETS_PER_OWNER as usize;
                let choices = idx.iter().map(|s| SeatChoice::new(&layout.seats()[s.index()].label)).collect();
                let req = HoldRequest {
                    places: Vec::new(),
                    show: self.show.id,
                    owner: owner(&name(*who)),
                    seats: choices,
                    promo_code: None,
                    accessible: false,
                };
                let r = self.engine.hold(req).await;
                if let Ok(h) = &r {
                    assert!(h.quote.is_consistent(), "quote does not add up: {:?}", h.quote);
                    let m = MHold {
                        owner: *who,
                        seats: h.seats.to_vec(),
                        expires: h.expires_at,
                        max: h.max_expires_at,
                    };
                    self.model.holds.insert(h.id, m);
                    self.model.all_holds.push(h.id);
                }
                (expect, r.is_ok())
            }
            ModelOp::Release { pick, who } => {
                let Some(id) = self.pick_hold(*pick) else { return (false, false) };
                let who = &self.who(*who, Some(id), None);
                let expect = self.model.holds.get(&id).is_some_and(|h| h.owner == *who && now < h.expires);
                let r = self.engine.release_hold(id, actor(&name(*who)), None).await;
                if r.is_ok() {
                    self.model.holds.remove(&id);
                }
                (expect, r.is_ok())
            }
            ModelOp::Extend { pick, who } => {
                let Some(id) = self.pick_hold(*pick) else { return (false, false) };
                let who = &self.who(*who, Some(id), None);
                let expect = self
                    .model
                    .holds
                    .get(&id)
                    .is_some_and(|h| h.owner == *who && now < h.expires && h.expires < h.max);
                let r = self.engine.extend_hold(id, actor(&name(*who)), None).await;
                if let (Ok(h), Some(m)) = (&r, self.model.holds.get_mut(&id)) {
                    let wanted = now.plus_millis(self.cfg.hold_ttl_ms).min(m.max);
                    m.expires = m.expires.max(wanted);
                    assert_eq!(h.expires_at, m.expires);
                }
                (expect, r.is_ok())
            }
            ModelOp::Create { pick, who, key } => {
                let Some(id) = self.pick_hold(*pick) else { return (false, false) };
                let who = &self.who(*who, Some(id), None);
                let key = format!("create-{key}");
                // The key's owner: the hold's, or the one who booked the hold with this key.
                let owner = self.model.holds.get(&id).map(|h| h.owner).or_else(|| {
                    let made_from = |(k, (h, _)): &(&(u8, String), &(Option<HoldId>, BookingId))| {
                        k.1 == key && *h == Some(id)
                    };
                    self.model.keys.iter().find(made_from).map(|((o, _), _)| *o)
                });
                let expect = match owner {
                    Some(o) if o == *who => match self.model.keys.get(&(o, key.clone())) {
                        Some((Some(h), _)) => *h == id,
                        Some(_) => false,
                        None => self.model.holds.get(&id).is_some_and(|h| now < h.expires),
                    },
                    _ => false,
                };
                let r = self.engine.create_booking(id, actor(&name(*who)), &key, None).await;
                if let Ok(b) = &r
                    && !self.model.bookings.contains_key(&b.id)
                {
                    let h = self.model.holds.remove(&id).unwrap_or_else(|| panic!("booked an unknown hold"));
                    let deadline = h.expires.max(now.plus_millis(self.cfg.payment_window_ms).min(h.max));
                    assert_eq!(b.payment_deadline, deadline);
                    let m = MBooking {
                        owner: *who,
                        seats: h.seats,
                        status: BookingStatus::Pending,
                        deadline,
                        checked: vec![],
                    };
                    self.model.bookings.insert(b.id, m);
                    self.model.all_bookings.push(b.id);
                    self.model.keys.insert((*who, key), (Some(id), b.id));
                }
                (expect, r.is_ok())
            }
            ModelOp::Confirm { pick, who, key } => {
                let Some(id) = self.pick_booking(*pick) else { return (false, false) };
                let who = &self.who(*who, None, Some(id));
                let key = format!("confirm-{key}");
                let slot = (*who, key);
                let owned = self.model.bookings.get(&id).filter(|b| b.owner == *who);
                let expect = owned.is_some_and(|b| match self.model.keys.get(&slot) {
                    Some((None, first)) => *first == id,
                    Some(_) => false,
                    None => b.status_at(now) == BookingStatus::Pending,
                });
                let first = !self.model.keys.contains_key(&slot);
                let key = &slot.1;
                let r = self.engine.confirm_booking(id, actor(&name(*who)), "pay", key).await;
                if r.is_ok() && first {
                    if let Some(b) = self.model.bookings.get_mut(&id) {
                        b.status = BookingStatus::Confirmed;
                    }
                    self.model.keys.insert(slot, (None, id));
                }
                (expect, r.is_ok())
            }
            ModelOp::Cancel { pick, who } => {
                let Some(id) = self.pick_booking(*pick) else { return (false, false) };
                let who = &self.who(*who, None, Some(id));
                let expect = self.model.bookings.get(&id).is_some_and(|b| {
                    b.owner == *who && b.status_at(now).apply(BookingAction::Cancel).is_ok()
                });
                let r = self.engine.cancel_booking(id, actor(&name(*who))).await;
                if r.is_ok()
                    && let Some(b) = self.model.bookings.get_mut(&id)
                {
                    b.status = BookingStatus::Cancelled;
                }
                (expect, r.is_ok())
            }
            ModelOp::Refund { pick } => {
                let Some(id) = self.pick_booking(*pick) else { return (false, false) };
                let expect = self
                    .model
                    .bookings
                    .get(&id)
                    .is_some_and(|b| b.status_at(now) == BookingStatus::Confirmed);
                let r = self.engine.refund_booking(id, Actor::Staff).await;
                if r.is_ok()
                    && let Some(b) = self.model.bookings.get_mut(&id)
                {
                    b.status = BookingStatus::Refunded;
                }
                (expect, r.is_ok())
            }
            ModelOp::CheckIn { pick, seat } => {
                let Some(id) = self.pick_booking(*pick) else { return (false, false) };
                let Ok(tickets) = self.engine.tickets(id, &Actor::Staff).await else { return (false, false) };
                let t = &tickets[seat % tickets.len()];
                let expect = self.model.bookings.get(&id).is_some_and(|b| !b.checked.contains(&t.seat));
                let r = self.engine.check_in(&t.code).await;
                if r.is_ok()
                    && let Some(b) = self.model.bookings.get_mut(&id)
                {
                    b.status = BookingStatus::CheckedIn;
                    b.checked.push(t.seat);
                }
                (expect, r.is_ok())
            }
            ModelOp::Advance { ms } => {
                self.clock.advance_millis(*ms);
                (true, true)
            }
            ModelOp::Sweep => {
                let r = self.engine.sweep_expired().await;
                self.model.holds.retain(|_, h| now < h.expires);
                for b in self.model.bookings.values_mut() {
                    if b.status_at(now) == BookingStatus::Expired && b.status == BookingStatus::Pending {
                        b.status = BookingStatus::Expired;
                    }
                }
                (true, r.is_ok())
            }
        }
    }

    async fn snapshot(&self) -> (Vec<SeatOccupant>, usize) {
        let occ = self.engine.store().seat_occupancy(self.show.id).await.unwrap_or_else(|e| panic!("{e}"));
        (occ, crate::testkit::all_events(&self.engine, self.show.id).await.len())
    }

    async fn check_invariants(&self) {
        let now = self.clock.now();
        let (occ, _) = self.snapshot().await;
        let events = crate::testkit::all_events(&self.engine, self.show.id).await;
        // 6. the log replays to the same seat states (and replay refuses any double take: 1.)
        let replayed = replay(occ.len(), &events).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(replayed, occ);
        for (i, o) in occ.iter().enumerate() {
            let seat = SeatIdx(i as u32);
            // 1 and 3. the store and the model agree on who has each seat now; expired leases are free.
            assert_eq!(o.is_taken(now), self.model.seat_taken(seat, now), "seat {i}: {o:?}");
        }
        // 4. booking states match the model (terminal states never changed).
        for (id, m) in &self.model.bookings {
            let b = self.engine.booking(*id, &Actor::Staff).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(b.status_at(now), m.status_at(now), "{id}");
        }
    }
}

/// Random operation sequences for [`run_model`]: 1 to 59 operations.
pub fn model_ops() -> impl Strategy<Value = Vec<ModelOp>> {
    prop::collection::vec(op(), 1..60)
}

/// Runs `ops` on a show of `store` and on the model: after each, the engine answers as the model
/// expects, a refused operation changed nothing and appended no event, and every invariant holds
/// (panics otherwise, with the operation).
pub async fn run_model(store: DynStore, ops: &[ModelOp]) {
    let mut w = World::new(store).await;
    for op in ops {
        let before = w.snapshot().await;
        let (expected, succeeded) = w.step(op).await;
        // Ops with nothing to act on report (false, false): they must fail too.
        assert_eq!(succeeded, expected, "model and engine disagree on {op:?}");
        if !succeeded {
            // 2. a failed operation changes nothing and appends no event.
            assert_eq!(w.snapshot().await, before, "failed {op:?} changed state");
        }
        w.check_invariants().await;
    }
}

/// The model test as a proptest of `cases` cases, each on a fresh store from `$store` (an
/// expression awaited in a multi-thread tokio runtime of its own).
///
/// ```ignore
/// booking_core::model_tests!(16, my_store().await);
/// ```
#[macro_export]
macro_rules! model_tests {
    ($cases:expr, $store:expr) => {
        $crate::testkit::proptest::proptest! {
            #![proptest_config($crate::testkit::proptest::prelude::ProptestConfig {
                cases: $cases,
                ..$crate::testkit::proptest::prelude::ProptestConfig::default()
            })]

            #[test]
            fn random_operations_keep_every_invariant(ops in $crate::testkit::model_ops()) {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .unwrap_or_else(|e| panic!("runtime: {e}"));
                runtime.block_on(async { $crate::testkit::run_model($store, &ops).await });
            }
        }
    };
}
