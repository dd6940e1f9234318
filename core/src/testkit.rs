//! The store conformance suite (feature `testkit`): every store must pass it.
//!
//! Each check is an async function over a fresh store; [`store_conformance_tests!`] expands them
//! into `#[tokio::test]`s for a store factory, so an adapter crate runs the whole suite with:
//!
//! ```text
//! booking_core::store_conformance_tests!(my_adapter::tests::fresh_store());
//! ```
//! The caller's crate needs `tokio` (with `macros` and `rt-multi-thread`) as a dev-dependency.
//! Time is a [`ManualClock`], so expiry is tested exactly and instantly. Most checks go through the
//! engine; those that send the store requests built by hand, which the engine would refuse first,
//! are in `testkit_store.rs` and re-exported here.

pub use crate::testkit_hooked::*;
pub use crate::testkit_model::{ModelOp, model_ops, run_model};
pub use crate::testkit_orphans::*;
pub use crate::testkit_places::*;
pub use crate::testkit_store::*;
use crate::*;
pub use proptest;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The layout every check uses: two rows, an aisle, a loveseat pair, wheelchair places and a
/// blocked seat.
pub const TEST_LAYOUT: &str = "\
layout \"Conformance\"
section Stalls category=standard
row A: 1-10
row B: 1-4 _ 5-8
row C: w1 c2 3-4 (5 6) x7 8
";

/// Start of the manual clock in every check: 2030-01-01T00:00:00Z.
pub const T0: Timestamp = Timestamp(1_893_456_000_000);

/// A store, an engine over it with a manual clock, and one show on sale.
pub struct Fixture {
    /// The engine.
    pub engine: BookingEngine,
    /// Its clock.
    pub clock: ManualClock,
    /// A show on sale now, starting in a day.
    pub show: Arc<Show>,
}

/// A boxed, sendable future, as the race check's spawner takes it.
pub type BoxedTask = Pin<Box<dyn Future<Output = Vec<HoldId>> + Send>>;

/// Owner `name` (panics on an invalid name: test code only).
pub fn owner(name: &str) -> OwnerId {
    OwnerId::new(name).unwrap_or_else(|e| panic!("owner {name:?}: {e}"))
}

/// The owner as an actor.
pub fn actor(name: &str) -> Actor {
    Actor::Owner(owner(name))
}

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

/// Builds the fixture on `store`: a theatre, a screen with [`TEST_LAYOUT`], one show.
pub async fn fixture(store: DynStore) -> Fixture {
    fixture_with(store, EngineConfig::default()).await
}

/// [`fixture`] with a chosen engine configuration.
pub async fn fixture_with(store: DynStore, config: EngineConfig) -> Fixture {
    let clock = ManualClock::new(T0);
    let signer = ok(TicketSigner::new(&[7u8; 32]), "signer");
    let engine = ok(BookingEngine::new(store, Arc::new(clock.clone()), signer, config), "engine");
    let theatre = NewTheatre { name: "Odeon".into(), city: "Paris".into(), time_zone: "Europe/Paris".into() };
    let theatre = ok(engine.create_theatre(theatre).await, "theatre");
    let layout = ok(SeatLayout::parse_text(TEST_LAYOUT), "layout");
    let screen = ok(engine.add_screen(theatre.id, "Screen 1", layout).await, "screen");
    let show = ok(engine.schedule_show(schedule(screen.id, 1)).await, "show");
    Fixture { engine, clock, show }
}

/// A request to schedule a show on `screen` starting `day` days after [`T0`], priced 10.00 EUR.
pub fn schedule(screen: ScreenId, day: i64) -> ScheduleShow {
    let start = T0.plus_millis(day * 86_400_000);
    ScheduleShow {
        screen,
        title: "Metropolis".into(),
        starts_at: start,
        ends_at: start.plus_millis(2 * 3_600_000),
        sales_open_at: None,
        sales_close_at: None,
        no_orphan: false,
        tickets_per_owner_max: None,
        pricing: PricingPolicy::simple(Currency::EUR, &[("standard", 1_000)]).into(),
        accessible_release_before_ms: None,
    }
}

impl Fixture {
    /// Holds `labels` for `who`.
    pub async fn hold(&self, who: &str, labels: &[&str]) -> Result<Hold, BookingError> {
        let seats = labels.iter().map(|l| SeatChoice::new(l)).collect();
        self.engine
            .hold(HoldRequest {
                places: Vec::new(),
                show: self.show.id,
                owner: owner(who),
                seats,
                promo_code: None,
                accessible: false,
            })
            .await
    }

    /// Every event of the show so far.
    pub async fn events(&self) -> Vec<Event> {
        all_events(&self.engine, self.show.id).await
    }

    /// The number of events so far.
    pub async fn event_count(&self) -> usize {
        self.events().await.len()
    }

    /// The status of the seat `label` now.
    pub async fn status(&self, label: &str) -> SeatStatus {
        let map = ok(self.engine.seat_map(self.show.id).await, "seat map");
        map.seats
            .iter()
            .find(|s| s.label == label)
            .map(|s| s.status)
            .unwrap_or_else(|| panic!("no seat {label}"))
    }

    /// Asserts invariant 6 and the log's order: replaying the log gives the store's seat states.
    pub async fn assert_log_replays(&self) {
        let events = self.events().await;
        for (i, e) in events.iter().enumerate() {
            assert_eq!(e.seq, i as u64 + 1, "event sequence has a gap");
            assert_eq!(e.show, self.show.id);
        }
        assert!(events.windows(2).all(|w| w[0].at <= w[1].at), "event times go backwards");
        let replayed = ok(replay(self.show.layout.seat_count(), &events), "replay");
        let stored = ok(self.engine.store().seat_occupancy(self.show.id).await, "occupancy");
        assert_eq!(replayed, stored, "the log does not replay to the store's seat states");
    }
}

/// Every event of `show`, paging through the log.
pub async fn all_events(engine: &BookingEngine, show: ShowId) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    loop {
        let after = out.last().map_or(0, |e| e.seq);
        let page = ok(engine.events_since(show, after, EVENTS_PAGE_MAX).await, "events");
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, BookingError>) -> ErrorCode {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.code(),
    }
}

/// A hold takes all its seats or none, and names every unavailable seat.
pub async fn hold_is_all_or_nothing(store: DynStore) {
    let f = fixture(store).await;
    ok(f.hold("ann", &["A1", "A2"]).await, "first hold");
    let before = f.event_count().await;
    let err = f.hold("bob", &["A2", "A3", "A1"]).await.err();
    match err {
        Some(BookingError::SeatUnavailable { seats }) => assert_eq!(seats, vec!["A2", "A1"]),
        other => panic!("expected SEAT_UNAVAILABLE, got {other:?}"),
    }
    assert_eq!(f.status("A3").await, SeatStatus::Available, "a failed hold took a seat");
    assert_eq!(f.event_count().await, before, "a failed hold appended an event");
    assert_eq!(code(f.hold("bob", &["C7"]).await), ErrorCode::SeatUnavailable, "blocked seat was held");
    f.assert_log_replays().await;
}

/// Bad requests are refused with a typed error and change nothing.
pub async fn bad_requests_change_nothing(store: DynStore) {
    let f = fixture(store).await;
    let before = f.event_count().await;
    assert_eq!(code(f.hold("ann", &[]).await), ErrorCode::InvalidInput);
    assert_eq!(code(f.hold("ann", &["Z99"]).await), ErrorCode::InvalidInput);
    assert_eq!(code(f.hold("ann", &["A1", "A1"]).await), ErrorCode::InvalidInput);
    let eleven: Vec<String> = (1..=10).map(|n| format!("A{n}")).chain(["B1".to_string()]).collect();
    let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
    assert_eq!(code(f.hold("ann", &eleven).await), ErrorCode::LimitExceeded);
    assert_eq!(code(f.hold("ann", &["C5"]).await), ErrorCode::SelectionRule, "loveseat split");
    let e = f.engine.hold(HoldRequest {
        places: Vec::new(),
        show: ShowId(u64::MAX >> 2),
        owner: owner("ann"),
        seats: vec![SeatChoice::new("A1")],
        promo_code: None,
        accessible: false,
    });
    assert_eq!(code(e.await), ErrorCode::NotFound);
    assert_eq!(
        code(f.engine.release_hold(HoldId(u64::MAX >> 2), actor("ann"), None).await),
        ErrorCode::NotFound
    );
    assert_eq!(f.event_count().await, before, "a refused request appended an event");
    assert_eq!(f.status("A1").await, SeatStatus::Available);
}

/// An expired hold frees its seats the instant it expires, with or without a sweep, and can
/// never be extended, released or booked.
pub async fn expired_holds_free_seats_at_once(store: DynStore) {
    let f = fixture(store).await;
    let hold = ok(f.hold("ann", &["A1", "A2"]).await, "hold");
    let ttl = f.engine.config().hold_ttl_ms;
    f.clock.advance_millis(ttl - 1);
    assert_eq!(f.status("A1").await, SeatStatus::Held);
    assert_eq!(code(f.hold("bob", &["A1"]).await), ErrorCode::SeatUnavailable);
    f.clock.advance_millis(1);
    assert_eq!(f.status("A1").await, SeatStatus::Available, "expired hold still blocks");
    let before = f.event_count().await;
    assert_eq!(code(f.engine.extend_hold(hold.id, actor("ann"), None).await), ErrorCode::HoldExpired);
    assert_eq!(
        code(f.engine.create_booking(hold.id, actor("ann"), "k1", None).await),
        ErrorCode::HoldExpired
    );
    assert_eq!(code(f.engine.release_hold(hold.id, actor("ann"), None).await), ErrorCode::HoldExpired);
    assert_eq!(f.event_count().await, before);
    ok(f.hold("bob", &["A1"]).await, "seat of an expired hold");
    let report = ok(f.engine.sweep_expired().await, "sweep");
    assert_eq!(report.holds_expired, 1);
    assert_eq!(f.status("A1").await, SeatStatus::Held, "the sweep freed another owner's seat");
    assert_eq!(f.status("A2").await, SeatStatus::Available);
    let again = ok(f.engine.sweep_expired().await, "second sweep");
    assert_eq!(again, SweepReport::default(), "a second sweep found work");
    let last = f.events().await;
    assert!(last.iter().any(|e| matches!(e.kind, EventKind::HoldExpired { hold: h, .. } if h == hold.id)));
    f.assert_log_replays().await;
}

/// Extensions grow the expiry and the fence, and stop at the maximum lifetime.
pub async fn extend_is_bounded_and_fenced(store: DynStore) {
    let f = fixture(store).await;
    let cfg = f.engine.config().clone();
    let hold = ok(f.hold("ann", &["A5"]).await, "hold");
    let other = ok(f.hold("bob", &["A9"]).await, "other hold");
    assert!(other.fence > hold.fence, "fences do not grow");
    f.clock.advance_millis(cfg.hold_ttl_ms / 2);
    assert_eq!(code(f.engine.extend_hold(hold.id, actor("bob"), None).await), ErrorCode::NotOwner);
    let ext = ok(f.engine.extend_hold(hold.id, actor("ann"), Some(hold.fence)).await, "extend");
    assert!(ext.expires_at > hold.expires_at && ext.fence > other.fence);
    let before = f.event_count().await;
    let stale = f.engine.extend_hold(hold.id, actor("ann"), Some(hold.fence)).await;
    assert_eq!(code(stale), ErrorCode::StaleFence);
    assert_eq!(f.event_count().await, before);
    let mut last = ext;
    for _ in 0..100 {
        f.clock.advance_millis(cfg.hold_ttl_ms / 2);
        match f.engine.extend_hold(hold.id, actor("ann"), None).await {
            Ok(h) => last = h,
            Err(e) => {
                assert_eq!(e.code(), ErrorCode::LimitExceeded);
                break;
            }
        }
    }
    assert_eq!(last.expires_at, hold.placed_at.plus_millis(cfg.hold_lifetime_ms_max));
    f.assert_log_replays().await;
}

/// Release frees the seats at once; only the owner (or staff) may release; never twice.
pub async fn release_frees_seats(store: DynStore) {
    let f = fixture(store).await;
    let hold = ok(f.hold("ann", &["B1", "B2"]).await, "hold");
    assert_eq!(code(f.engine.release_hold(hold.id, actor("bob"), None).await), ErrorCode::NotOwner);
    assert_eq!(
        code(f.engine.release_hold(hold.id, actor("ann"), Some(hold.fence + 1)).await),
        ErrorCode::StaleFence
    );
    ok(f.engine.release_hold(hold.id, actor("ann"), Some(hold.fence)).await, "release");
    assert_eq!(f.status("B1").await, SeatStatus::Available);
    assert_eq!(code(f.engine.release_hold(hold.id, actor("ann"), None).await), ErrorCode::NotFound);
    let staff = ok(f.hold("bob", &["B1"]).await, "hold again");
    ok(f.engine.release_hold(staff.id, Actor::Staff, None).await, "staff release");
    f.assert_log_replays().await;
}

/// `seats_taken` counts what `seat_occupancy` shows taken at the same instant: held seats, the
/// seats of pending and of paid bookings, not expired holds, free seats or the blocked seat.
pub async fn seats_taken_counts_what_occupancy_shows(store: DynStore) {
    let f = fixture(store).await;
    let taken = |f: &Fixture| {
        let (store, show, now) = (f.engine.store().clone(), f.show.id, f.engine.now());
        async move {
            let counted = ok(store.seats_taken(show, now).await, "seats taken");
            let occupancy = ok(store.seat_occupancy(show).await, "occupancy");
            (counted, occupancy.iter().filter(|o| o.is_taken(now)).count() as u32)
        }
    };
    assert_eq!(taken(&f).await, (0, 0));
    ok(f.hold("eve", &["A7", "A8"]).await, "a hold left to expire");
    f.clock.advance_millis(f.engine.config().hold_ttl_ms - 1);
    let paid = ok(f.hold("ann", &["A1", "A2"]).await, "hold to pay");
    let b = ok(f.engine.create_booking(paid.id, actor("ann"), "c-1", None).await, "create");
    ok(f.engine.confirm_booking(b.id, actor("ann"), "pay-1", "p-1").await, "pay");
    let pending = ok(f.hold("bob", &["A4"]).await, "hold to book");
    ok(f.engine.create_booking(pending.id, actor("bob"), "c-2", None).await, "pending booking");
    ok(f.hold("cat", &["B1", "B2"]).await, "live hold");
    assert_eq!(taken(&f).await, (7, 7));
    f.clock.advance_millis(1);
    // eve's hold has expired, unswept: 2 sold, 1 pending, 2 held.
    assert_eq!(taken(&f).await, (5, 5));
}

/// `seats_taken` stays what `seat_occupancy` shows taken through a long walk of every kind of
/// change: holds placed, extended, released, left to expire and swept; bookings created, paid,
/// left past their deadline, cancelled and refunded; refused requests among them. A store that
/// keeps a running count instead of counting cells must keep it exact through all of them.
pub async fn seats_taken_stays_exact_through_every_change(store: DynStore) {
    let config = EngineConfig { holds_per_owner_max: 50, ..Default::default() };
    let f = fixture_with(store, config).await;
    let labels: Vec<String> =
        (1..=10).map(|n| format!("A{n}")).chain((1..=8).map(|n| format!("B{n}"))).collect();
    let (ttl, window) = (f.engine.config().hold_ttl_ms, f.engine.config().payment_window_ms);
    let mut holds: Vec<Hold> = Vec::new();
    let mut bookings: Vec<Booking> = Vec::new();
    // A fixed walk (xorshift): the same on every store and every run.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut created, mut paid) = (0, 0);
    for step in 0..160 {
        let who = ["ann", "bob", "cat"][next(3)];
        match next(9) {
            0..=2 => {
                let (a, b) = (next(labels.len()), next(labels.len()));
                let seats: Vec<&str> = if a == b { vec![&labels[a]] } else { vec![&labels[a], &labels[b]] };
                if let Ok(h) = f.hold(who, &seats).await {
                    holds.push(h);
                }
            }
            3 if !holds.is_empty() => {
                let h = holds.swap_remove(next(holds.len()));
                let _ = f.engine.release_hold(h.id, Actor::Staff, None).await;
            }
            4 if !holds.is_empty() => {
                let h = &holds[next(holds.len())];
                let _ = f.engine.extend_hold(h.id, Actor::Staff, None).await;
            }
            5 if !holds.is_empty() => {
                let h = holds.swap_remove(next(holds.len()));
                if let Ok(b) = f.engine.create_booking(h.id, Actor::Staff, &format!("c-{step}"), None).await {
                    created += 1;
                    bookings.push(b);
                }
            }
            6 if !bookings.is_empty() => {
                let b = &bookings[next(bookings.len())];
                let (pay, key) = (format!("pay-{step}"), format!("p-{step}"));
                if f.engine.confirm_booking(b.id, Actor::Staff, &pay, &key).await.is_ok() {
                    paid += 1;
                }
            }
            7 if !bookings.is_empty() => {
                let b = bookings.swap_remove(next(bookings.len()));
                if f.engine.refund_booking(b.id, Actor::Staff).await.is_err() {
                    let _ = f.engine.cancel_booking(b.id, Actor::Staff).await;
                }
            }
            _ => {
                f.clock.advance_millis([ttl / 3, ttl / 2, window / 2, 1][next(4)]);
                if next(2) == 0 {
                    ok(f.engine.sweep_expired().await, "sweep");
                }
            }
        }
        let now = f.engine.now();
        let counted = ok(f.engine.store().seats_taken(f.show.id, now).await, "seats taken");
        let occupancy = ok(f.engine.store().seat_occupancy(f.show.id).await, "occupancy");
        let shown = occupancy.iter().filter(|o| o.is_taken(now)).count() as u32;
        assert_eq!(counted, shown, "step {step}: seats_taken {counted}, occupancy shows {shown} taken");
    }
    assert!(
        created >= 5 && paid >= 3,
        "the walk made too few bookings to check: {created} made, {paid} paid"
    );
    f.assert_log_replays().await;
}

/// A demand-priced hold is priced at the count of seats taken when it is placed, whichever
/// engine places it: two engines share the store, and each one's last view of the show goes
/// stale as the other sells and releases. Every hold's price is checked against the count read
/// just before it, across a tier's threshold up and down again.
pub async fn demand_prices_follow_the_count_at_placement(store: DynStore) {
    let f = fixture(store).await;
    let signer = ok(TicketSigner::new(&[7u8; 32]), "signer");
    let config = EngineConfig { holds_per_owner_max: 50, ..f.engine.config().clone() };
    let engines = [
        ok(
            BookingEngine::new(
                f.engine.store().clone(),
                Arc::new(f.clock.clone()),
                signer.clone(),
                config.clone(),
            ),
            "a",
        ),
        ok(BookingEngine::new(f.engine.store().clone(), Arc::new(f.clock.clone()), signer, config), "b"),
    ];
    let mut rules = PricingPolicy::simple(Currency::EUR, &[("standard", 1_000)]).rules().clone();
    rules.demand_tiers = vec![DemandTier {
        min_occupancy_bp: 2_500,
        categories: Vec::new(),
        adjustment: Adjustment::Percent { bp: 1_000 },
    }];
    let request = ScheduleShow {
        pricing: ok(PricingPolicy::new(rules), "tiered pricing").into(),
        ..schedule(f.show.screen, 2)
    };
    let show = ok(f.engine.schedule_show(request).await, "tiered show");
    let sellable = show.layout.seats().iter().filter(|s| !s.flags.is_blocked()).count() as u64;
    let labels: Vec<String> =
        (1..=10).map(|n| format!("A{n}")).chain((1..=8).map(|n| format!("B{n}"))).collect();
    let show = show.id;
    let hold = |engine: &BookingEngine, label: &str| {
        let req = HoldRequest {
            places: Vec::new(),
            show,
            owner: owner("ann"),
            seats: vec![SeatChoice { label: label.to_string(), ticket_type: None }],
            promo_code: None,
            accessible: false,
        };
        let (engine, store, now) = (engine.clone(), f.engine.store().clone(), f.engine.now());
        async move {
            let before = ok(store.seats_taken(show, now).await, "seats taken");
            let placed = ok(engine.hold(req).await, "hold");
            let expected = if u64::from(before) * 10_000 / sellable >= 2_500 { 1_100 } else { 1_000 };
            assert_eq!(
                placed.quote.total(),
                Money::new(expected, Currency::EUR),
                "{before} seats taken before"
            );
            placed
        }
    };
    // The first engine sees the show empty; the second then sells past the threshold.
    let mut held = vec![hold(&engines[0], &labels[0]).await];
    for label in &labels[1..8] {
        held.push(hold(&engines[1], label).await);
    }
    // The first engine's view is stale: it must not sell below the tier.
    held.push(hold(&engines[0], &labels[8]).await);
    held.push(hold(&engines[0], &labels[9]).await);
    // Released below the threshold again: the second engine's view is stale the other way.
    for h in held.drain(1..9) {
        ok(engines[0].release_hold(h.id, Actor::Staff, None).await, "release");
    }
    held.push(hold(&engines[1], &labels[10]).await);
    held.push(hold(&engines[0], &labels[11]).await);
    assert_eq!(held.len(), 4);
}

/// An owner may have at most `holds_per_owner_max` live holds on a show; expired ones do not count.
pub async fn holds_per_owner_are_limited(store: DynStore) {
    let config = EngineConfig { holds_per_owner_max: 2, ..Default::default() };
    let f = fixture_with(store, config).await;
    ok(f.hold("ann", &["A1"]).await, "1");
    ok(f.hold("ann", &["A3"]).await, "2");
    let before = f.event_count().await;
    assert_eq!(code(f.hold("ann", &["A5"]).await), ErrorCode::LimitExceeded);
    assert_eq!(f.event_count().await, before);
    ok(f.hold("bob", &["A5"]).await, "another owner is not limited by ann");
    f.clock.advance_millis(f.engine.config().hold_ttl_ms);
    ok(f.hold("ann", &["A7"]).await, "expired holds do not count");
}

/// Create and confirm are idempotent by key; a key reused for another request is refused.
pub async fn bookings_are_idempotent(store: DynStore) {
    let f = fixture(store).await;
    let h1 = ok(f.hold("ann", &["A1", "A2"]).await, "hold 1");
    let h2 = ok(f.hold("ann", &["A4"]).await, "hold 2");
    let b = ok(f.engine.create_booking(h1.id, actor("ann"), "create-1", Some(h1.fence)).await, "create");
    assert_eq!(b.status, BookingStatus::Pending);
    assert_eq!(b.quote.total(), Money::new(2_000, Currency::EUR));
    let events = f.event_count().await;
    let again = ok(f.engine.create_booking(h1.id, actor("ann"), "create-1", None).await, "retried create");
    assert_eq!(again.id, b.id);
    assert_eq!(f.event_count().await, events, "a retried create appended an event");
    let conflict = f.engine.create_booking(h2.id, actor("ann"), "create-1", None).await;
    assert_eq!(code(conflict), ErrorCode::IdempotencyConflict);
    assert_eq!(
        code(f.engine.create_booking(h1.id, actor("ann"), "create-2", None).await),
        ErrorCode::NotFound
    );
    assert_eq!(f.status("A1").await, SeatStatus::Pending, "a pending booking's seat reads pending");
    let c = ok(f.engine.confirm_booking(b.id, actor("ann"), "pay-1", "confirm-1").await, "confirm");
    assert_eq!(f.status("A1").await, SeatStatus::Booked, "a paid seat reads booked");
    assert_eq!(c.booking.status, BookingStatus::Confirmed);
    assert_eq!(c.tickets.len(), 2);
    let events = f.event_count().await;
    let again =
        ok(f.engine.confirm_booking(b.id, actor("ann"), "pay-1", "confirm-1").await, "retried confirm");
    assert_eq!(again.booking, c.booking);
    assert_eq!(f.event_count().await, events);
    assert_eq!(
        code(f.engine.confirm_booking(b.id, actor("ann"), "pay-1", "confirm-2").await),
        ErrorCode::InvalidTransition
    );
    f.assert_log_replays().await;
}

/// Idempotency keys are per owner: two customers who send the same key on one show make two
/// bookings; a retry answers its own owner (or staff) and nobody else; staff retries find the
/// booking after its hold is gone.
pub async fn idempotency_keys_are_per_owner(store: DynStore) {
    let f = fixture(store).await;
    let ann = ok(f.hold("ann", &["A1"]).await, "ann's hold");
    let bob = ok(f.hold("bob", &["A4"]).await, "bob's hold");
    let a = ok(f.engine.create_booking(ann.id, actor("ann"), "same", None).await, "ann creates");
    let b =
        ok(f.engine.create_booking(bob.id, actor("bob"), "same", None).await, "bob creates with ann's key");
    assert_ne!(a.id, b.id);
    assert_eq!((a.owner.as_str(), b.owner.as_str()), ("ann", "bob"));
    let events = f.event_count().await;
    assert_eq!(ok(f.engine.create_booking(ann.id, actor("ann"), "same", None).await, "ann retries").id, a.id);
    assert_eq!(
        ok(f.engine.create_booking(bob.id, Actor::Staff, "same", None).await, "staff retries").id,
        b.id
    );
    assert_eq!(
        code(f.engine.create_booking(ann.id, actor("bob"), "same", None).await),
        ErrorCode::NotOwner,
        "bob's retry of ann's create"
    );
    assert_eq!(f.event_count().await, events, "a retried create appended an event");
    let ann2 = ok(f.hold("ann", &["A6"]).await, "ann's second hold");
    assert_eq!(
        code(f.engine.create_booking(ann2.id, actor("ann"), "same", None).await),
        ErrorCode::IdempotencyConflict,
        "ann's key for another hold"
    );
    let paid_a = ok(f.engine.confirm_booking(a.id, actor("ann"), "pay-a", "pay").await, "ann pays");
    let paid_b =
        ok(f.engine.confirm_booking(b.id, actor("bob"), "pay-b", "pay").await, "bob pays with ann's key");
    assert_eq!(paid_b.booking.payment_ref.as_deref(), Some("pay-b"));
    let events = f.event_count().await;
    let again = ok(f.engine.confirm_booking(a.id, Actor::Staff, "pay-a", "pay").await, "staff retries ann's");
    assert_eq!(again.booking, paid_a.booking);
    assert_eq!(f.event_count().await, events, "a retried confirm appended an event");
    let a2 = ok(f.engine.create_booking(ann2.id, actor("ann"), "other", None).await, "ann creates again");
    assert_eq!(
        code(f.engine.confirm_booking(a2.id, actor("ann"), "pay-a2", "pay").await),
        ErrorCode::IdempotencyConflict,
        "ann's confirm key for another booking"
    );
    assert_eq!(f.status("A6").await, SeatStatus::Pending, "a refused confirm changed the seat");
    f.assert_log_replays().await;
}

/// The cap of tickets per owner counts held, pending and paid seats together, refuses a hold
/// that would pass it (changing nothing), gives back what is released, cancelled, refunded or
/// expired, is per owner, and comes from the engine's default unless the show sets its own.
pub async fn tickets_per_owner_are_capped(store: DynStore) {
    let config =
        EngineConfig { tickets_per_owner_max: Some(4), holds_per_owner_max: 50, ..Default::default() };
    let f = fixture_with(store, config).await;
    assert_eq!(f.show.tickets_per_owner_max, Some(4), "the engine's default cap");
    let h = ok(f.hold("ann", &["A1"]).await, "ann's first seat");
    let paid = ok(f.engine.create_booking(h.id, actor("ann"), "c1", None).await, "create 1");
    ok(f.engine.confirm_booking(paid.id, actor("ann"), "pay-1", "p1").await, "pay 1");
    let h = ok(f.hold("ann", &["A3"]).await, "ann's second seat");
    let pending = ok(f.engine.create_booking(h.id, actor("ann"), "c2", None).await, "create 2");
    let held = ok(f.hold("ann", &["A5", "A6"]).await, "ann's third and fourth seats");
    let before = f.event_count().await;
    let refused = f.hold("ann", &["A8"]).await;
    match &refused {
        Err(e) => assert_eq!(e.details(), serde_json::json!({"limit": "tickets_per_owner", "max": 4})),
        Ok(h) => panic!("a fifth ticket was held: {h:?}"),
    }
    assert_eq!(code(refused), ErrorCode::LimitExceeded);
    assert_eq!(f.event_count().await, before, "a refused hold appended an event");
    assert_eq!(f.status("A8").await, SeatStatus::Available);
    ok(f.hold("bob", &["A8", "A9", "A10"]).await, "bob is not capped by ann's tickets");
    ok(f.engine.release_hold(held.id, actor("ann"), None).await, "release");
    assert_eq!(
        code(f.hold("ann", &["B1", "B2", "B3"]).await),
        ErrorCode::LimitExceeded,
        "5 with 2 given back"
    );
    let held = ok(f.hold("ann", &["B1", "B2"]).await, "a released hold's seats count no more");
    ok(f.engine.cancel_booking(pending.id, actor("ann")).await, "cancel");
    ok(f.hold("ann", &["B3"]).await, "a cancelled booking's seat counts no more");
    assert_eq!(code(f.hold("ann", &["B4"]).await), ErrorCode::LimitExceeded);
    f.clock.advance_millis(f.engine.config().hold_ttl_ms);
    ok(f.engine.hold_info(held.id).await, "an expired hold is kept until it is swept");
    assert!(f.clock.now() >= paid.payment_deadline, "the paid booking's payment deadline has passed");
    assert_eq!(
        code(f.hold("ann", &["B5", "B6", "B7", "B8"]).await),
        ErrorCode::LimitExceeded,
        "a paid booking counts after its payment deadline"
    );
    ok(f.hold("ann", &["B5", "B6", "B7"]).await, "expired holds count no more, swept or not");
    ok(f.engine.refund_booking(paid.id, Actor::Staff).await, "refund");
    ok(f.hold("ann", &["A2"]).await, "a refunded booking's seat counts no more");
    f.assert_log_replays().await;

    let screen = f.show.screen;
    let own = ScheduleShow { tickets_per_owner_max: Some(2), ..schedule(screen, 2) };
    let show = ok(f.engine.schedule_show(own).await, "a show with its own cap");
    assert_eq!(show.tickets_per_owner_max, Some(2));
    let on = |labels: &[&str]| HoldRequest {
        places: Vec::new(),
        show: show.id,
        owner: owner("ann"),
        seats: labels.iter().map(|l| SeatChoice::new(l)).collect(),
        promo_code: None,
        accessible: false,
    };
    assert_eq!(code(f.engine.hold(on(&["A1", "A2", "A3"])).await), ErrorCode::LimitExceeded);
    ok(f.engine.hold(on(&["A1", "A2"])).await, "two on a show capped at two");
    for bad in [0, TICKETS_PER_OWNER_MAX + 1] {
        let r = f
            .engine
            .schedule_show(ScheduleShow { tickets_per_owner_max: Some(bad), ..schedule(screen, 3) })
            .await;
        match r {
            Err(e) => assert_eq!(e.details()["field"], "tickets_per_owner_max", "{e}"),
            Ok(s) => panic!("a cap of {bad} was accepted: {s:?}"),
        }
    }
}

/// Parallel holds by one owner cannot together pass the cap of tickets per owner: `tasks`
/// holds of two seats each, on a cap of five, leave exactly two holds (four tickets).
pub async fn tickets_cap_holds_under_a_race<S, F>(store: DynStore, tasks: usize, spawn: S)
where
    S: Fn(BoxedTask) -> F,
    F: Future<Output = Vec<HoldId>>,
{
    let config =
        EngineConfig { tickets_per_owner_max: Some(5), holds_per_owner_max: 50, ..Default::default() };
    let f = Arc::new(fixture_with(store, config).await);
    let pairs = [
        ["A1", "A2"],
        ["A3", "A4"],
        ["A5", "A6"],
        ["A7", "A8"],
        ["A9", "A10"],
        ["B1", "B2"],
        ["B3", "B4"],
        ["B5", "B6"],
    ];
    let mut handles = Vec::new();
    for t in 0..tasks {
        let f = f.clone();
        let pair = pairs[t % pairs.len()];
        let task: BoxedTask =
            Box::pin(async move { f.hold("ann", &pair).await.map(|h| vec![h.id]).unwrap_or_default() });
        handles.push(spawn(task));
    }
    let mut won = Vec::new();
    for h in handles {
        won.extend(h.await);
    }
    assert_eq!(won.len(), 2, "holds of two seats won under a cap of five: {won:?}");
    f.assert_log_replays().await;
}

/// A show keeps its wheelchair place (C1) and companion seat (C2) for buyers who ask for an
/// accessible place until 48 hours before its start, a companion seat goes only with or to the
/// holder of the wheelchair place beside it, best-available follows both, and from the release
/// instant on everyone may buy them. Refusals change nothing.
pub async fn accessible_places_are_kept_until_released(store: DynStore) {
    let f = fixture(store).await;
    assert!(!f.show.keeps_accessible(f.clock.now()), "a show a day away has released them");
    let early = ok(f.hold("zed", &["C1", "C2"]).await, "anyone, once released");
    ok(f.engine.release_hold(early.id, actor("zed"), None).await, "release");

    let show = ok(f.engine.schedule_show(schedule(f.show.screen, 5)).await, "a show five days away");
    let until = show.starts_at.plus_millis(-ACCESSIBLE_RELEASE_BEFORE_MS_DEFAULT);
    assert_eq!(show.accessible_until, Some(until));
    let hold = |who: &str, labels: &[&str], accessible: bool| HoldRequest {
        places: Vec::new(),
        show: show.id,
        owner: owner(who),
        seats: labels.iter().map(|l| SeatChoice::new(l)).collect(),
        promo_code: None,
        accessible,
    };
    let rule = |r: Result<Hold, BookingError>| match r {
        Err(BookingError::SelectionRule { rule, seats }) => (rule, seats),
        other => panic!("expected a selection rule, got {other:?}"),
    };
    let events = all_events(&f.engine, show.id).await.len();
    let kept = rule(f.engine.hold(hold("ann", &["C2", "C3"], false)).await);
    assert_eq!(kept, (SelectionRuleKind::AccessibleOnly, vec!["C2".to_string()]));
    let alone = rule(f.engine.hold(hold("ann", &["C2"], true)).await);
    assert_eq!(alone, (SelectionRuleKind::CompanionAlone, vec!["C2".to_string()]));
    assert_eq!(all_events(&f.engine, show.id).await.len(), events, "a refused hold appended an event");
    ok(f.engine.hold(hold("ann", &["C1"], true)).await, "a wheelchair place, asked for");
    let companion = ok(f.engine.hold(hold("ann", &["C2"], true)).await, "the companion seat, to its holder");
    ok(f.engine.release_hold(companion.id, actor("ann"), None).await, "release the companion seat");
    let alone = rule(f.engine.hold(hold("bob", &["C2"], true)).await);
    assert_eq!(alone.0, SelectionRuleKind::CompanionAlone, "beside ann's wheelchair place, not bob's");

    let best = async |accessible: bool, count: u32| {
        let req = BestRequest { count, category: None, zone: None, accessible };
        f.engine.best_available(show.id, &req).await
    };
    let all_but_row_c_edge = ok(best(false, 10).await, "best without asking");
    assert!(!all_but_row_c_edge.iter().any(|l| l == "C1" || l == "C2"), "{all_but_row_c_edge:?}");

    f.clock.set(until);
    assert!(!show.keeps_accessible(f.clock.now()));
    ok(f.engine.hold(hold("bob", &["C2"], false)).await, "released: anyone, alone");

    for bad in [-1, ACCESSIBLE_RELEASE_BEFORE_MS_MAX + 1] {
        let req = ScheduleShow { accessible_release_before_ms: Some(bad), ..schedule(f.show.screen, 9) };
        match f.engine.schedule_show(req).await {
            Err(e) => assert_eq!(e.details()["field"], "accessible_release_before_ms", "{e}"),
            Ok(s) => panic!("a release {bad} ms before was accepted: {s:?}"),
        }
    }
}

/// Best-available for a buyer who asks for an accessible place offers the wheelchair place with
/// its companion seat, and no companion seat without its wheelchair place.
pub async fn best_available_keeps_companions_with_their_wheelchair_place(store: DynStore) {
    let f = fixture(store).await;
    let show = ok(f.engine.schedule_show(schedule(f.show.screen, 5)).await, "a show five days away");
    let best = async |accessible: bool, count: u32| {
        let req = BestRequest { count, category: None, zone: None, accessible };
        f.engine.best_available(show.id, &req).await
    };
    let labels: Vec<String> = (3..=8)
        .map(|n| format!("C{n}"))
        .chain((1..=10).map(|n| format!("A{n}")))
        .chain((1..=8).map(|n| format!("B{n}")))
        .collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).filter(|l| *l != "C7").collect();
    let request = HoldRequest {
        places: Vec::new(),
        show: show.id,
        owner: owner("eve"),
        seats: labels.iter().map(|l| SeatChoice::new(l)).collect(),
        promo_code: None,
        accessible: false,
    };
    let config = f.engine.config().hold_seats_max as usize;
    for chunk in request.seats.chunks(config) {
        ok(
            f.engine.hold(HoldRequest { seats: chunk.to_vec(), ..request.clone() }).await,
            "fill all but C1, C2",
        );
    }
    assert_eq!(ok(best(true, 2).await, "two seats for a wheelchair user"), ["C1", "C2"]);
    assert_eq!(ok(best(true, 1).await, "one"), ["C1"], "never the companion seat alone");
    assert_eq!(code(best(false, 1).await), ErrorCode::SeatUnavailable, "kept from those who do not ask");
}

/// A payment after the deadline is refused, never produces a ticket, and the seats go free.
pub async fn late_payment_is_refused(store: DynStore) {
    let f = fixture(store).await;
    let hold = ok(f.hold("ann", &["A6"]).await, "hold");
    let b = ok(f.engine.create_booking(hold.id, actor("ann"), "c", None).await, "create");
    f.clock.set(b.payment_deadline);
    let before = f.event_count().await;
    assert_eq!(code(f.engine.confirm_booking(b.id, actor("ann"), "late", "k").await), ErrorCode::HoldExpired);
    assert_eq!(f.event_count().await, before);
    assert_eq!(f.status("A6").await, SeatStatus::Available);
    assert_eq!(code(f.engine.tickets(b.id, &actor("ann")).await), ErrorCode::InvalidTransition);
    let swept = ok(f.engine.sweep_expired().await, "sweep");
    assert_eq!(swept.bookings_expired, 1);
    let b = ok(f.engine.booking(b.id, &actor("ann")).await, "booking");
    assert_eq!(b.status, BookingStatus::Expired);
    f.assert_log_replays().await;
}

/// A promo code's redemption limit counts bookings, not holds: past it a booking is refused
/// with `PROMO_REJECTED` and changes nothing (its hold stays live), and bookings without the code
/// are not counted.
pub async fn promo_redemptions_are_capped(store: DynStore) {
    let f = fixture(store).await;
    let mut rules = f.show.pricing.rules().clone();
    let mut promo = Promo::new("DUO", PromoDiscount::Fixed { off_minor: 100 });
    promo.redemptions_max = Some(2);
    rules.promos = vec![promo];
    let mut req = schedule(f.show.screen, 2);
    req.pricing = ok(PricingPolicy::new(rules), "pricing").into();
    let show = ok(f.engine.schedule_show(req).await, "show");
    let hold = |who: &'static str, seat: &'static str, promo: bool| {
        let req = HoldRequest {
            places: Vec::new(),
            show: show.id,
            owner: owner(who),
            seats: vec![SeatChoice::new(seat)],
            promo_code: promo.then(|| "duo".to_string()),
            accessible: false,
        };
        f.engine.hold(req)
    };
    let book = |h: Hold, key: &'static str| f.engine.create_booking(h.id, Actor::Owner(h.owner), key, None);
    let plain = ok(hold("ann", "A1", false).await, "hold without the code");
    ok(book(plain, "k0").await, "booking without the code");
    for (who, seat, key) in [("bob", "A2", "k1"), ("cy", "A3", "k2")] {
        let h = ok(hold(who, seat, true).await, "hold with the code");
        assert_eq!(h.quote.promo_code.as_deref(), Some("DUO"));
        ok(book(h, key).await, "booking within the limit");
    }
    let late = ok(hold("dee", "A4", true).await, "a hold with the code is still priced with it");
    let before = all_events(&f.engine, show.id).await.len();
    assert_eq!(code(book(late.clone(), "k3").await), ErrorCode::PromoRejected);
    assert_eq!(all_events(&f.engine, show.id).await.len(), before, "a refused booking appended an event");
    let still = ok(f.engine.store().hold(late.id).await, "the refused booking's hold is still live");
    assert_eq!(still.seats, late.seats);
    let map = ok(f.engine.seat_map(show.id).await, "seat map");
    let status = |label: &str| map.seats.iter().find(|s| s.label == label).map(|s| s.status);
    assert_eq!(status("A4"), Some(SeatStatus::Held));
}

/// Cancel and refund follow the state machine; terminal states never change; seats free at once.
pub async fn booking_transitions_follow_the_state_machine(store: DynStore) {
    let f = fixture(store).await;
    let book = |labels: &'static [&'static str], key: &'static str| {
        let f = &f;
        async move {
            let h = ok(f.hold("ann", labels).await, "hold");
            ok(f.engine.create_booking(h.id, actor("ann"), key, None).await, "create")
        }
    };
    let pending = book(&["A1"], "k1").await;
    assert_eq!(code(f.engine.refund_booking(pending.id, actor("ann")).await), ErrorCode::InvalidTransition);
    assert_eq!(code(f.engine.cancel_booking(pending.id, actor("bob")).await), ErrorCode::NotOwner);
    let cancelled = ok(f.engine.cancel_booking(pending.id, actor("ann")).await, "cancel pending");
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(f.status("A1").await, SeatStatus::Available);
    let paid = book(&["A3"], "k2").await;
    ok(f.engine.confirm_booking(paid.id, actor("ann"), "p", "c2").await, "confirm");
    let refunded = ok(f.engine.refund_booking(paid.id, Actor::Staff).await, "refund");
    assert_eq!(refunded.status, BookingStatus::Refunded);
    assert_eq!(f.status("A3").await, SeatStatus::Available);
    let before = f.event_count().await;
    for id in [pending.id, paid.id] {
        assert_eq!(code(f.engine.cancel_booking(id, actor("ann")).await), ErrorCode::InvalidTransition);
        assert_eq!(code(f.engine.refund_booking(id, actor("ann")).await), ErrorCode::InvalidTransition);
        assert_eq!(
            code(f.engine.confirm_booking(id, actor("ann"), "p", &format!("x{id}")).await),
            ErrorCode::InvalidTransition
        );
    }
    assert_eq!(f.event_count().await, before);
    f.assert_log_replays().await;
}

/// A ticket checks in once, verified offline; forgeries are refused.
pub async fn tickets_check_in_once(store: DynStore) {
    let f = fixture(store).await;
    let h = ok(f.hold("ann", &["A8", "A9"]).await, "hold");
    let b = ok(f.engine.create_booking(h.id, actor("ann"), "k", None).await, "create");
    let c = ok(f.engine.confirm_booking(b.id, actor("ann"), "p", "c").await, "confirm");
    let code0 = c.tickets[0].code.clone();
    let done = ok(f.engine.check_in(&code0).await, "check in");
    assert_eq!(done.booking.status, BookingStatus::CheckedIn);
    assert_eq!(done.ticket.label, "A8");
    let before = f.event_count().await;
    assert_eq!(code(f.engine.check_in(&code0).await), ErrorCode::AlreadyCheckedIn);
    let forged = code0.replacen(&format!(".{}.", b.id.0), &format!(".{}.", b.id.0 + 1), 1);
    assert_eq!(code(f.engine.check_in(&forged).await), ErrorCode::InvalidTicket);
    assert_eq!(f.event_count().await, before);
    ok(f.engine.check_in(&c.tickets[1].code).await, "second ticket");
    assert_eq!(code(f.engine.cancel_booking(b.id, actor("ann")).await), ErrorCode::InvalidTransition);
    f.assert_log_replays().await;
}

/// Shows on one screen never overlap; a cancelled show refuses holds and releases everything.
pub async fn shows_schedule_and_cancel(store: DynStore) {
    let f = fixture(store).await;
    let screen = f.show.screen;
    let clash = ScheduleShow { starts_at: f.show.starts_at.plus_millis(3_600_000), ..schedule(screen, 1) };
    assert_eq!(code(f.engine.schedule_show(clash).await), ErrorCode::ShowOverlap);
    let later = ok(f.engine.schedule_show(schedule(screen, 2)).await, "later show");
    assert_ne!(later.id, f.show.id);
    let h = ok(f.hold("ann", &["A1"]).await, "hold");
    let hb = ok(f.hold("bob", &["A2"]).await, "hold b");
    let b = ok(f.engine.create_booking(hb.id, actor("bob"), "k", None).await, "booking");
    let out = ok(f.engine.cancel_show(f.show.id).await, "cancel");
    assert_eq!(out.holds, vec![h.id]);
    assert_eq!(out.bookings, vec![b.id]);
    assert_eq!(code(f.hold("ann", &["A5"]).await), ErrorCode::SalesClosed);
    assert_eq!(code(f.engine.cancel_show(f.show.id).await), ErrorCode::InvalidInput);
    let b = ok(f.engine.booking(b.id, &actor("bob")).await, "booking");
    assert_eq!(b.status, BookingStatus::Cancelled);
    ok(f.engine.schedule_show(schedule(screen, 1)).await, "a cancelled show frees its slot");
    f.assert_log_replays().await;
}

/// Theatres and screens change and go, but never from under a show: a show keeps the layout
/// and time zone it was scheduled with, and what a show was scheduled on stays.
pub async fn catalogue_changes_keep_history(store: DynStore) {
    let f = fixture(store).await;
    let (e, theatre, screen) = (&f.engine, f.show.theatre, f.show.screen);
    let read_theatre = |id| async move { e.store().theatre(id).await.map_err(BookingError::from) };
    let read_screen = |id| async move { e.store().screen(id).await.map_err(BookingError::from) };
    let renamed = NewTheatre { name: "Odéon".into(), city: "Lyon".into(), time_zone: "Europe/Paris".into() };
    let t = ok(e.update_theatre(theatre, renamed).await, "update theatre");
    assert_eq!((t.name.as_str(), t.city.as_str()), ("Odéon", "Lyon"));
    assert_eq!(ok(read_theatre(theatre).await, "theatre"), t);
    let same = || NewTheatre { name: t.name.clone(), city: t.city.clone(), time_zone: t.time_zone.clone() };
    let bad = NewTheatre { time_zone: "Mars/Olympus".into(), ..same() };
    assert_eq!(code(e.update_theatre(theatre, bad).await), ErrorCode::InvalidInput);
    assert_eq!(ok(read_theatre(theatre).await, "theatre"), t, "a refused update changes nothing");
    assert_eq!(code(e.update_theatre(TheatreId(u64::MAX >> 2), same()).await), ErrorCode::NotFound);

    let small = ok(SeatLayout::parse_text("section M category=standard\nrow Z: 1-3\n"), "layout");
    let s = ok(e.update_screen(screen, "Salle Z", small.clone()).await, "update screen");
    assert_eq!((s.name.as_str(), s.layout.seat_count(), s.theatre), ("Salle Z", 3, theatre));
    assert_eq!(ok(read_screen(screen).await, "screen").layout.seat_count(), 3);
    let kept = ok(e.show(f.show.id).await, "show");
    assert_eq!(kept.layout.seat_count(), f.show.layout.seat_count(), "the show keeps its layout");
    ok(f.hold("ann", &["A1"]).await, "the show still sells its own seats");
    let next = ok(e.schedule_show(schedule(screen, 3)).await, "a later show");
    assert_eq!(next.layout.seat_count(), 3, "a show scheduled now takes the new layout");
    assert_eq!(code(e.update_screen(screen, "", small.clone()).await), ErrorCode::InvalidInput);

    assert_eq!(code(e.remove_screen(screen).await), ErrorCode::InvalidInput, "shows were scheduled on it");
    assert_eq!(code(e.remove_theatre(theatre).await), ErrorCode::InvalidInput, "it has a screen");
    ok(read_screen(screen).await, "the screen stays");
    let other = NewTheatre { name: "Rex".into(), city: "Paris".into(), time_zone: "Europe/Paris".into() };
    let other = ok(e.create_theatre(other).await, "theatre");
    let spare = ok(e.add_screen(other.id, "Spare", small).await, "screen");
    assert_eq!(code(e.remove_theatre(other.id).await), ErrorCode::InvalidInput);
    ok(e.remove_screen(spare.id).await, "an unused screen goes");
    assert_eq!(code(read_screen(spare.id).await), ErrorCode::NotFound);
    assert_eq!(code(e.remove_screen(spare.id).await), ErrorCode::NotFound);
    ok(e.remove_theatre(other.id).await, "a theatre without screens goes");
    assert_eq!(code(read_theatre(other.id).await), ErrorCode::NotFound);
    assert_eq!(code(e.remove_theatre(other.id).await), ErrorCode::NotFound);
    f.assert_log_replays().await;
}

/// Events come in order without gaps; every change appends exactly one.
pub async fn events_are_ordered_without_gaps(store: DynStore) {
    let f = fixture(store).await;
    let h = ok(f.hold("ann", &["A1"]).await, "hold");
    f.clock.advance_millis(1_000);
    ok(f.engine.extend_hold(h.id, actor("ann"), None).await, "extend");
    let b = ok(f.engine.create_booking(h.id, actor("ann"), "k", None).await, "create");
    // A hold placed between the booking and its payment comes before the confirmation in the
    // log, and a refused confirmation in between leaves no trace.
    let other = ok(f.hold("bob", &["B1"]).await, "hold");
    let refused = f.engine.confirm_booking(b.id, actor("eve"), "p", "c0").await.err().map(|e| e.code());
    assert_eq!(refused, Some(ErrorCode::NotOwner));
    ok(f.engine.confirm_booking(b.id, actor("ann"), "p", "c").await, "confirm");
    ok(f.engine.release_hold(other.id, actor("bob"), None).await, "release");
    let kinds: Vec<&str> = f.events().await.iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "show_scheduled",
            "hold_placed",
            "hold_extended",
            "booking_created",
            "hold_placed",
            "booking_confirmed",
            "hold_released"
        ]
    );
    let tail = ok(f.engine.events_since(f.show.id, 3, 10).await, "tail");
    assert_eq!(tail.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![4, 5, 6, 7]);
    assert!(ok(f.engine.events_since(f.show.id, 7, 10).await, "empty").is_empty());
    assert_eq!(ok(f.engine.log_head(f.show.id).await, "head"), 7, "the head is the last seq");
    let unknown = f.engine.log_head(crate::ShowId(f.show.id.0 + 1_000_000)).await;
    assert_eq!(unknown.map_err(|e| e.code()), Err(crate::ErrorCode::NotFound), "an unknown show has no head");
    let page = ok(f.engine.events_since(f.show.id, 0, 2).await, "page");
    assert_eq!(page.len(), 2);
    f.assert_log_replays().await;
}

/// Several logs read in one call: each show's events after its cursor, the shows in the order
/// asked, at most `limit` of each, the same events as one read per show; an unknown show, a
/// zero limit and too many shows or events are refused.
pub async fn events_of_many_shows_come_in_one_call(store: DynStore) {
    let f = fixture(store).await;
    let second = ok(f.engine.schedule_show(schedule(f.show.screen, 2)).await, "second show");
    let (one, two) = (f.show.id, second.id);
    ok(f.hold("ann", &["A1"]).await, "hold");
    let request = HoldRequest {
        places: Vec::new(),
        show: two,
        owner: owner("bob"),
        seats: vec![SeatChoice::new("A2")],
        promo_code: None,
        accessible: false,
    };
    ok(f.engine.hold(request).await, "hold on the second show");
    let seqs = |events: &[Event]| events.iter().map(|e| (e.show, e.seq)).collect::<Vec<_>>();

    let both = ok(f.engine.events_since_each(&[(two, 0), (one, 1)], 10).await, "both");
    assert_eq!(seqs(&both), [(two, 1), (two, 2), (one, 2)]);
    let mut each = ok(f.engine.events_since(two, 0, 10).await, "second alone");
    each.extend(ok(f.engine.events_since(one, 1, 10).await, "first alone"));
    assert_eq!(both, each);
    let firsts = ok(f.engine.events_since_each(&[(one, 0), (two, 0)], 1).await, "one of each");
    assert_eq!(seqs(&firsts), [(one, 1), (two, 1)]);
    assert!(ok(f.engine.events_since_each(&[(one, 2), (two, 2)], 5).await, "caught up").is_empty());
    assert!(ok(f.engine.events_since_each(&[], 5).await, "no shows").is_empty());

    let code = |r: Result<Vec<Event>, BookingError>| r.err().map(|e| e.code());
    let unknown = ShowId(two.0 + 1_000);
    assert_eq!(
        code(f.engine.events_since_each(&[(one, 0), (unknown, 0)], 5).await),
        Some(ErrorCode::NotFound)
    );
    assert_eq!(code(f.engine.events_since_each(&[(one, 0)], 0).await), Some(ErrorCode::InvalidInput));
    let too_many = vec![(one, 0); EVENTS_SHOWS_MAX + 1];
    assert_eq!(code(f.engine.events_since_each(&too_many, 1).await), Some(ErrorCode::InvalidInput));
    let too_much = vec![(one, 0); EVENTS_EACH_MAX / EVENTS_PAGE_MAX + 1];
    assert_eq!(
        code(f.engine.events_since_each(&too_much, EVENTS_PAGE_MAX).await),
        Some(ErrorCode::InvalidInput)
    );
}

/// Many tasks race for the same seats: each seat ends with exactly one owner, and the log replays.
///
/// `spawn` runs a task concurrently (e.g. `tokio::spawn`) and yields the holds it won.
pub async fn race_has_one_winner_per_seat<S, F>(store: DynStore, tasks: usize, attempts: usize, spawn: S)
where
    S: Fn(BoxedTask) -> F,
    F: Future<Output = Vec<HoldId>>,
{
    let config = EngineConfig { holds_per_owner_max: 1_000, ..Default::default() };
    let f = Arc::new(fixture_with(store, config).await);
    let labels: Vec<String> =
        (1..=10).map(|n| format!("A{n}")).chain((1..=8).map(|n| format!("B{n}"))).collect();
    let labels = Arc::new(labels);
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (f, labels) = (f.clone(), labels.clone());
        let task: BoxedTask = Box::pin(async move {
            let mut won = Vec::new();
            for a in 0..attempts {
                let start = (t * 7 + a * 3) % labels.len();
                let pick: Vec<&str> =
                    (0..1 + (a % 3)).map(|k| labels[(start + k) % labels.len()].as_str()).collect();
                let who = format!("racer-{t}");
                if let Ok(h) = f.hold(&who, &pick).await {
                    if a % 4 == 0 {
                        // Churn: give some seats back so later attempts race for them again.
                        ok(f.engine.release_hold(h.id, actor(&who), None).await, "release own hold");
                    } else {
                        won.push(h.id);
                    }
                }
            }
            won
        });
        handles.push(spawn(task));
    }
    let mut winners = Vec::new();
    for h in handles {
        winners.extend(h.await);
    }
    assert!(!winners.is_empty(), "nobody won a seat");
    let occupancy = ok(f.engine.store().seat_occupancy(f.show.id).await, "occupancy");
    let mut owners_per_seat = vec![0usize; occupancy.len()];
    for id in &winners {
        let hold = ok(f.engine.hold_info(*id).await, "winner's hold");
        for s in hold.seats.iter() {
            owners_per_seat[s.index()] += 1;
            assert_eq!(occupancy[s.index()], SeatOccupant::Held { hold: *id, until: hold.expires_at });
        }
    }
    assert!(owners_per_seat.iter().all(|n| *n <= 1), "a seat was held twice: {owners_per_seat:?}");
    f.assert_log_replays().await;
}

/// Expands the whole conformance suite into `#[tokio::test]`s for a store factory expression
/// (evaluated afresh for every test; it may `.await`).
#[macro_export]
macro_rules! store_conformance_tests {
    ($factory:expr) => {
        $crate::store_conformance_tests!(@tests $factory;
            hold_is_all_or_nothing, bad_requests_change_nothing, expired_holds_free_seats_at_once,
            seats_taken_counts_what_occupancy_shows, seats_taken_stays_exact_through_every_change,
            demand_prices_follow_the_count_at_placement,
            extend_is_bounded_and_fenced, release_frees_seats, holds_per_owner_are_limited,
            bookings_are_idempotent, idempotency_keys_are_per_owner, tickets_per_owner_are_capped, accessible_places_are_kept_until_released,
            best_available_keeps_companions_with_their_wheelchair_place, late_payment_is_refused, promo_redemptions_are_capped, booking_transitions_follow_the_state_machine,
            tickets_check_in_once, shows_schedule_and_cancel, catalogue_changes_keep_history,
            events_are_ordered_without_gaps, events_of_many_shows_come_in_one_call,
            store_refuses_a_seat_named_twice, store_checks_the_seat_witness,
            orphan_rule_holds_when_another_hold_lands_first,
            places_are_held_by_quantity, bad_place_requests_change_nothing);

        #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn race_has_one_winner_per_seat() {
            let store = $factory;
            $crate::testkit::race_has_one_winner_per_seat(store, 16, 200, |task| async move {
                ::tokio::spawn(task).await.unwrap_or_default()
            })
            .await;
        }

        #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn tickets_cap_holds_under_a_race() {
            let store = $factory;
            $crate::testkit::tickets_cap_holds_under_a_race(store, 8, |task| async move {
                ::tokio::spawn(task).await.unwrap_or_default()
            })
            .await;
        }

        #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn zone_race_sells_exactly_what_is_left() {
            let store = $factory;
            $crate::testkit::zone_race_sells_exactly_what_is_left(store, 64, |task| async move {
                ::tokio::spawn(task).await.unwrap_or_default()
            })
            .await;
        }

        #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn orphan_rule_holds_under_a_race() {
            let store = $factory;
            $crate::testkit::orphan_rule_holds_under_a_race(store, 40, |task| async move {
                ::tokio::spawn(task).await.unwrap_or_default()
            })
            .await;
        }
    };
    (@tests $factory:expr; $($name:ident),*) => {
        $(
            #[::tokio::test]
            async fn $name() {
                let store = $factory;
                $crate::testkit::$name(store).await;
            }
        )*
    };
}
