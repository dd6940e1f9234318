//! Conformance checks of general admission by quantity ([`crate::places`]): every store picks
//! places in the hold's atomic step, gives them back as holds and bookings end (by a call or by
//! themselves), and never sells more than a zone has.

use crate::testkit::{BoxedTask, Fixture, T0, actor, owner, schedule};
use crate::{
    BookingEngine, Currency, DynStore, EngineConfig, ErrorCode, Hold, HoldId, HoldRequest, ManualClock,
    PlaceChoice, PricingPolicy, SeatChoice, SeatLayout, SeatOccupant, SeatStatus, TicketSigner,
};
use crate::{BookingError, NewTheatre, ScheduleShow};
use std::future::Future;
use std::sync::Arc;

/// A small hall: a row of seats, standing zones of 6 and 30, and a festival field of 50,000.
pub const PLACES_LAYOUT: &str = "\
layout \"Hall\"
section Hall category=standard
row A: 1-4
zone Floor capacity=6 category=standing
zone Pit capacity=30 category=standing
zone Field capacity=50000 category=field
";

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

fn code<T: std::fmt::Debug>(r: Result<T, BookingError>) -> ErrorCode {
    match r {
        Err(e) => e.code(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

/// A fixture whose show is on [`PLACES_LAYOUT`], priced 10, 8 and 5 EUR.
pub async fn places_fixture(store: DynStore, config: EngineConfig) -> Fixture {
    let clock = ManualClock::new(T0);
    let signer = ok(TicketSigner::new(&[7u8; 32]), "signer");
    let engine = ok(BookingEngine::new(store, Arc::new(clock.clone()), signer, config), "engine");
    let theatre =
        NewTheatre { name: "Hall".into(), city: "Berlin".into(), time_zone: "Europe/Berlin".into() };
    let theatre = ok(engine.create_theatre(theatre).await, "theatre");
    let layout = ok(SeatLayout::parse_text(PLACES_LAYOUT), "layout");
    let screen = ok(engine.add_screen(theatre.id, "Main", layout).await, "screen");
    let prices = [("standard", 1_000), ("standing", 800), ("field", 500)];
    let pricing = PricingPolicy::simple(Currency::EUR, &prices).into();
    let show = ok(engine.schedule_show(ScheduleShow { pricing, ..schedule(screen.id, 1) }).await, "show");
    Fixture { engine, clock, show }
}

/// A request for `seats` and `places` (zone, quantity) by `who`.
pub fn places_request(f: &Fixture, who: &str, seats: &[&str], places: &[(&str, u32)]) -> HoldRequest {
    HoldRequest {
        show: f.show.id,
        owner: owner(who),
        seats: seats.iter().map(|l| SeatChoice::new(l)).collect(),
        places: places.iter().map(|(z, n)| PlaceChoice::new(z, *n)).collect(),
        promo_code: None,
        accessible: false,
    }
}

/// The labels of a hold's seats, as the layout names them.
fn labels(f: &Fixture, hold: &Hold) -> Vec<String> {
    hold.seats.iter().filter_map(|s| f.show.layout.seat(*s)).map(|s| s.label.to_string()).collect()
}

/// How many places of `zone` are free now, by the seat map.
async fn free_places(f: &Fixture, zone: &str) -> usize {
    let map = ok(f.engine.seat_map(f.show.id).await, "seat map");
    let prefix = format!("{zone}-");
    map.seats.iter().filter(|s| s.label.starts_with(&prefix) && s.status == SeatStatus::Available).count()
}

/// A hold of places by quantity: the store picks free places, the quote names them, and the
/// hold is all or nothing with the seats beside it. A zone short of places is refused by name,
/// and places come back when holds are released, expire (swept or not) and bookings end.
pub async fn places_are_held_by_quantity(store: DynStore) {
    let f = places_fixture(store, EngineConfig::default()).await;
    let h = ok(f.engine.hold(places_request(&f, "ann", &["A1"], &[("Floor", 2)])).await, "A1 and 2 standing");
    let got = labels(&f, &h);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0], "A1");
    assert!(got[1..].iter().all(|l| l.starts_with("Floor-")) && got[1] != got[2], "{got:?}");
    let quoted: Vec<String> = h.quote.lines.iter().map(|l| l.seat.to_string()).collect();
    assert_eq!(quoted, got, "the quote names the places picked");
    assert_eq!(h.quote.total().minor, 1_000 + 2 * 800);
    let stored = ok(f.engine.hold_info(h.id).await, "hold info");
    assert_eq!(stored.quote.lines.iter().map(|l| l.seat.to_string()).collect::<Vec<_>>(), got);
    assert_eq!(&*stored.seats, &*h.seats);
    assert_eq!(free_places(&f, "Floor").await, 4);
    for l in &got {
        assert_eq!(f.status(l).await, SeatStatus::Held);
    }

    // All or nothing: a taken seat beside places takes no place; too many places take no seat.
    let before = f.event_count().await;
    assert_eq!(
        code(f.engine.hold(places_request(&f, "bob", &["A1"], &[("Floor", 1)])).await),
        ErrorCode::SeatUnavailable
    );
    let short = f.engine.hold(places_request(&f, "bob", &["A2"], &[("Floor", 5)])).await;
    match &short {
        Err(e) => assert_eq!(e.details(), serde_json::json!({"seats": ["Floor"]}), "the zone is named"),
        Ok(h) => panic!("5 of 4 free places were held: {h:?}"),
    }
    assert_eq!(f.event_count().await, before, "a refused hold appended an event");
    assert_eq!(f.status("A2").await, SeatStatus::Available);
    assert_eq!(free_places(&f, "Floor").await, 4);

    let rest =
        ok(f.engine.hold(places_request(&f, "bob", &[], &[("Floor", 4), ("Field", 3)])).await, "the rest");
    assert_eq!(rest.seats.len(), 7);
    assert_eq!(free_places(&f, "Floor").await, 0);
    assert_eq!(
        code(f.engine.hold(places_request(&f, "cat", &[], &[("Floor", 1)])).await),
        ErrorCode::SeatUnavailable
    );

    // Released places come back.
    ok(f.engine.release_hold(h.id, actor("ann"), None).await, "release");
    let again = ok(f.engine.hold(places_request(&f, "cat", &[], &[("Floor", 2)])).await, "released places");
    let mut back: Vec<String> = labels(&f, &again);
    let mut freed: Vec<String> = got[1..].to_vec();
    back.sort();
    freed.sort();
    assert_eq!(back, freed, "the only free places are the released ones");

    // Places of an expired hold are free at once, swept or not.
    f.clock.advance_millis(f.engine.config().hold_ttl_ms);
    let late = ok(f.engine.hold(places_request(&f, "dan", &[], &[("Floor", 6)])).await, "expired places");
    assert_eq!(late.seats.len(), 6);
    let swept = ok(f.engine.sweep_expired().await, "sweep");
    assert!(swept.holds_expired >= 2, "{swept:?}");

    ok(f.engine.release_hold(late.id, actor("dan"), None).await, "release the six");

    // Bookings of places: a numbered ticket per place, checked in by number; a refunded booking
    // gives its places back.
    let paid = |who: &'static str, n: u32| {
        let f = &f;
        async move {
            let h = ok(f.engine.hold(places_request(f, who, &[], &[("Floor", n)])).await, "hold places");
            let b = ok(f.engine.create_booking(h.id, actor(who), "k1", None).await, "book");
            (b.id, ok(f.engine.confirm_booking(b.id, actor(who), "pay", "p1").await, "pay"))
        }
    };
    let (_, dan) = paid("dan", 4).await;
    let mut tickets: Vec<String> = dan.tickets.iter().map(|t| t.label.clone()).collect();
    tickets.sort();
    tickets.dedup();
    assert_eq!(tickets.len(), 4, "a ticket per place: {tickets:?}");
    assert!(tickets.iter().all(|t| t.starts_with("Floor-")), "{tickets:?}");
    let checked = ok(f.engine.check_in(&dan.tickets[0].code).await, "check in a place");
    assert_eq!(checked.ticket.label, dan.tickets[0].label);
    let (eve, _) = paid("eve", 2).await;
    assert_eq!(free_places(&f, "Floor").await, 0);
    ok(f.engine.refund_booking(eve, crate::Actor::Staff).await, "refund");
    let after = ok(f.engine.hold(places_request(&f, "fay", &[], &[("Floor", 2)])).await, "refunded places");
    assert_eq!(after.seats.len(), 2);
    f.assert_log_replays().await;
}

/// Bad quantities are refused with the field named, and change nothing; the cap of tickets per
/// owner counts places as tickets.
pub async fn bad_place_requests_change_nothing(store: DynStore) {
    let config = EngineConfig { tickets_per_owner_max: Some(5), ..Default::default() };
    let f = places_fixture(store, config).await;
    let before = f.event_count().await;
    let max = f.engine.config().hold_seats_max;
    for (places, field) in [
        (vec![("Balcony", 1)], "places[0].zone"),
        (vec![("Floor", 0)], "places[0].quantity"),
        (vec![("Floor", 7)], "places[0].quantity"),
        (vec![("Floor", 1), ("Floor", 1)], "places[1].zone"),
    ] {
        match f.engine.hold(places_request(&f, "ann", &[], &places)).await {
            Err(e) => {
                assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
                assert_eq!(e.details()["field"], field, "{e}");
            }
            Ok(h) => panic!("{places:?} was held: {h:?}"),
        }
    }
    let too_many = places_request(&f, "ann", &["A1"], &[("Field", max)]);
    assert_eq!(code(f.engine.hold(too_many).await), ErrorCode::LimitExceeded);
    let none = places_request(&f, "ann", &[], &[]);
    assert_eq!(code(f.engine.hold(none).await), ErrorCode::InvalidInput);
    let capped = places_request(&f, "ann", &["A1"], &[("Floor", 2), ("Field", 3)]);
    assert_eq!(code(f.engine.hold(capped).await), ErrorCode::LimitExceeded, "6 tickets on a cap of 5");
    assert_eq!(f.event_count().await, before, "a refused hold appended an event");
    assert_eq!(free_places(&f, "Floor").await, 6);
    ok(
        f.engine.hold(places_request(&f, "ann", &["A1"], &[("Floor", 2), ("Field", 2)])).await,
        "5 on a cap of 5",
    );
    f.assert_log_replays().await;
}

/// `tasks` buyers race for a zone with 10 places left, each asking for 1 or 2 and buying what
/// they hold: exactly 10 places are sold, none twice.
pub async fn zone_race_sells_exactly_what_is_left<S, F>(store: DynStore, tasks: usize, spawn: S)
where
    S: Fn(BoxedTask) -> F,
    F: Future<Output = Vec<HoldId>>,
{
    let f = Arc::new(places_fixture(store, EngineConfig::default()).await);
    // 20 of the pit's 30 places are gone already: the race is for the last 10.
    for who in ["early-1", "early-2"] {
        ok(f.engine.hold(places_request(&f, who, &[], &[("Pit", 10)])).await, "fill the pit");
    }
    let mut handles = Vec::new();
    for t in 0..tasks {
        let f = f.clone();
        let task: BoxedTask = Box::pin(async move {
            let who = format!("buyer-{t}");
            let want = 1 + (t % 2) as u32;
            let Ok(h) = f.engine.hold(places_request(&f, &who, &[], &[("Pit", want)])).await else {
                return Vec::new();
            };
            let key = format!("k-{t}");
            let b = ok(f.engine.create_booking(h.id, actor(&who), &key, None).await, "book a won hold");
            ok(f.engine.confirm_booking(b.id, actor(&who), &format!("pay-{t}"), "p").await, "pay");
            vec![h.id]
        });
        handles.push(spawn(task));
    }
    let mut won = Vec::new();
    for h in handles {
        won.extend(h.await);
    }
    assert!(!won.is_empty(), "nobody won a place");
    let pit = ok(f.show.layout.zone_id("Pit").ok_or("no pit"), "pit");
    let places = f.show.layout.zones()[pit as usize].seats.clone();
    let occupancy = ok(f.engine.store().seat_occupancy(f.show.id).await, "occupancy");
    let sold = occupancy[places.start as usize..places.end as usize]
        .iter()
        .filter(|o| matches!(o, SeatOccupant::Sold { .. }))
        .count();
    assert_eq!(sold, 10, "places sold in the race");
    assert_eq!(free_places(&f, "Pit").await, 0);
    f.assert_log_replays().await;
}
