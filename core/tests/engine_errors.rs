//! Engine-level refusals that the store conformance suite does not reach: catalogue validation,
//! sales windows, selection rules, pricing input. Each checks the code, the field, and that
//! nothing changed.

use booking_core::testkit::{Fixture, T0, actor, fixture, owner, schedule};
use booking_core::*;
use std::sync::Arc;

fn store() -> DynStore {
    Arc::new(MemoryStore::new())
}

fn field_of<T: std::fmt::Debug>(r: Result<T, BookingError>) -> (ErrorCode, String) {
    match r {
        Err(BookingError::InvalidInput { field, .. }) => (ErrorCode::InvalidInput, field),
        Err(e) => (e.code(), String::new()),
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

async fn state(f: &Fixture) -> (Vec<SeatOccupant>, usize) {
    let occ = f.engine.store().seat_occupancy(f.show.id).await.unwrap_or_else(|e| panic!("{e}"));
    (occ, f.event_count().await)
}

#[tokio::test]
async fn catalogue_input_is_validated() {
    let f = fixture(store()).await;
    let bad_zone = NewTheatre { name: "X".into(), city: "Y".into(), time_zone: "Mars/Olympus".into() };
    assert_eq!(
        field_of(f.engine.create_theatre(bad_zone).await),
        (ErrorCode::InvalidInput, "time_zone".into())
    );
    let no_name = NewTheatre { name: " ".into(), city: "Y".into(), time_zone: "UTC".into() };
    assert_eq!(field_of(f.engine.create_theatre(no_name).await), (ErrorCode::InvalidInput, "name".into()));
    let screen = f.show.screen;
    let backwards = ScheduleShow { ends_at: T0, ..schedule(screen, 5) };
    assert_eq!(
        field_of(f.engine.schedule_show(backwards).await),
        (ErrorCode::InvalidInput, "ends_at".into())
    );
    let s = schedule(screen, 5);
    let too_long = ScheduleShow { ends_at: s.starts_at.plus_millis(SHOW_DURATION_MS_MAX + 1), ..s };
    assert_eq!(field_of(f.engine.schedule_show(too_long).await), (ErrorCode::InvalidInput, "ends_at".into()));
    let s = schedule(screen, 5);
    let late_sales = ScheduleShow { sales_close_at: Some(s.ends_at.plus_millis(1)), ..s };
    assert_eq!(field_of(f.engine.schedule_show(late_sales).await).1, "sales_close_at");
    let unpriced = ScheduleShow {
        pricing: PricingPolicy::simple(Currency::EUR, &[("vip", 500)]).into(),
        ..schedule(screen, 5)
    };
    assert_eq!(field_of(f.engine.schedule_show(unpriced).await).1, "pricing.category_prices");
    let missing = ScheduleShow { screen: ScreenId(u64::MAX >> 2), ..schedule(screen, 5) };
    assert_eq!(field_of(f.engine.schedule_show(missing).await).0, ErrorCode::NotFound);
    let shows = f.engine.shows(&ShowFilter { screen: Some(screen), ..Default::default() }).await;
    assert_eq!(shows.map(|s| s.len()).ok(), Some(1), "a refused schedule created a show");
    let bad_layout = SeatLayout::parse_text("row A: 1-3\nrow A: 1-3\n").err().map(BookingError::from);
    assert_eq!(bad_layout.map(|e| e.code()), Some(ErrorCode::InvalidLayout));
}

#[tokio::test]
async fn holds_outside_the_sales_window_are_refused() {
    let f = fixture(store()).await;
    let s = schedule(f.show.screen, 3);
    let later = ScheduleShow { sales_open_at: Some(T0.plus_millis(60_000)), ..s };
    let show = f.engine.schedule_show(later).await.unwrap_or_else(|e| panic!("{e}"));
    let req = || HoldRequest {
        places: Vec::new(),
        show: show.id,
        owner: owner("ann"),
        seats: vec![SeatChoice::new("A1")],
        promo_code: None,
        accessible: false,
    };
    assert_eq!(f.engine.hold(req()).await.err().map(|e| e.code()), Some(ErrorCode::SalesClosed));
    f.clock.advance_millis(60_000);
    assert!(f.engine.hold(req()).await.is_ok());
    f.clock.set(show.sales_close_at);
    assert_eq!(f.engine.hold(req()).await.err().map(|e| e.code()), Some(ErrorCode::SalesClosed));
}

#[tokio::test]
async fn selection_rules_are_explained() {
    let f = fixture(store()).await;
    let s = ScheduleShow { no_orphan: true, ..schedule(f.show.screen, 4) };
    let show = f.engine.schedule_show(s).await.unwrap_or_else(|e| panic!("{e}"));
    let hold = |labels: &[&str]| {
        let seats = labels.iter().map(|l| SeatChoice::new(l)).collect();
        f.engine.hold(HoldRequest {
            places: Vec::new(),
            show: show.id,
            owner: owner("ann"),
            seats,
            promo_code: None,
            accessible: false,
        })
    };
    // A2 alone would strand A1 against the row edge while A1 itself is a better choice.
    match hold(&["A2"]).await {
        Err(BookingError::SelectionRule { rule: SelectionRuleKind::OrphanSeat, seats }) => {
            assert_eq!(seats, ["A1"])
        }
        other => panic!("expected an orphan refusal, got {other:?}"),
    }
    match hold(&["C5"]).await {
        Err(BookingError::SelectionRule { rule: SelectionRuleKind::PairSplit, seats }) => {
            assert_eq!(seats, ["C6"])
        }
        other => panic!("expected a pair refusal, got {other:?}"),
    }
    assert!(hold(&["C5", "C6"]).await.is_ok(), "the whole loveseat is fine");
    assert!(hold(&["A1", "A2"]).await.is_ok(), "taking the edge seats strands nobody");
    let events = f.engine.events_since(show.id, 0, 100).await.unwrap_or_default();
    assert_eq!(events.len(), 3, "refusals appended events: {events:?}");
}

#[tokio::test]
async fn pricing_input_is_validated_and_nothing_changes() {
    let f = fixture(store()).await;
    let before = state(&f).await;
    let req = HoldRequest {
        places: Vec::new(),
        show: f.show.id,
        owner: owner("ann"),
        seats: vec![SeatChoice { label: "A1".into(), ticket_type: Some("pirate".into()) }],
        promo_code: None,
        accessible: false,
    };
    assert_eq!(field_of(f.engine.hold(req).await), (ErrorCode::InvalidInput, "seats.ticket_type".into()));
    let promo = HoldRequest {
        places: Vec::new(),
        show: f.show.id,
        owner: owner("ann"),
        seats: vec![SeatChoice::new("A1")],
        promo_code: Some("NOPE".into()),
        accessible: false,
    };
    assert_eq!(f.engine.hold(promo).await.err().map(|e| e.code()), Some(ErrorCode::PromoRejected));
    let long = HoldRequest {
        places: Vec::new(),
        show: f.show.id,
        owner: owner("ann"),
        seats: vec![SeatChoice::new("A1")],
        promo_code: Some("X".repeat(65)),
        accessible: false,
    };
    assert_eq!(field_of(f.engine.hold(long).await).1, "promo_code");
    assert_eq!(state(&f).await, before);
    let q = f.engine.quote(f.show.id, &[SeatChoice::new("A1"), SeatChoice::new("A2")], &[], None).await;
    let q = q.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(q.total(), Money::new(2_000, Currency::EUR));
    assert!(q.is_consistent());
}

#[tokio::test]
async fn best_available_and_seat_map() {
    let f = fixture(store()).await;
    let best = async |count: u32| {
        f.engine.best_available(f.show.id, &BestRequest { count, ..Default::default() }).await
    };
    assert_eq!(field_of(best(0).await).1, "count");
    assert_eq!(field_of(best(11).await).1, "count");
    let wrong = BestRequest { count: 2, category: Some("balcony".into()), ..Default::default() };
    assert_eq!(field_of(f.engine.best_available(f.show.id, &wrong).await).1, "category");
    let two = best(2).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(two.len(), 2);
    let labels: Vec<&str> = two.iter().map(String::as_str).collect();
    f.hold("ann", &labels).await.unwrap_or_else(|e| panic!("{e}"));
    let map = f.engine.seat_map(f.show.id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(map.seats.len(), f.show.layout.seat_count());
    let held = map.seats.iter().filter(|s| s.status == SeatStatus::Held).count();
    assert_eq!(held, 2);
    assert!(map.seats.iter().any(|s| s.label == "C7" && s.status == SeatStatus::Blocked));
    assert!(map.seats.iter().all(|s| s.price == Some(Money::new(1_000, Currency::EUR))));
    assert_eq!(map.available as usize, map.seats.len() - 3);
    let again = best(2).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(again.iter().all(|l| !two.contains(l)), "best-available offered held seats");
}

#[tokio::test]
async fn tickets_and_bookings_are_private() {
    let f = fixture(store()).await;
    let h = f.hold("ann", &["A4"]).await.unwrap_or_else(|e| panic!("{e}"));
    let b = f.engine.create_booking(h.id, actor("ann"), "k", None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        f.engine.booking(b.id, &actor("bob")).await.err().map(|e| e.code()),
        Some(ErrorCode::NotOwner)
    );
    let c = f.engine.confirm_booking(b.id, actor("bob"), "p", "c").await;
    assert_eq!(c.err().map(|e| e.code()), Some(ErrorCode::NotOwner));
    assert_eq!(field_of(f.engine.confirm_booking(b.id, actor("ann"), "", "c").await).1, "payment_ref");
    assert_eq!(
        field_of(f.engine.confirm_booking(b.id, actor("ann"), "p", "has space").await).1,
        "idempotency_key"
    );
    let mine = f.engine.bookings_of(&owner("ann")).await.unwrap_or_default();
    assert_eq!(mine.iter().map(|b| b.id).collect::<Vec<_>>(), vec![b.id]);
    assert!(f.engine.bookings_of(&owner("bob")).await.unwrap_or_default().is_empty());
}
