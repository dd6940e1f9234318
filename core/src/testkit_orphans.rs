//! Conformance checks of the no-orphan rule at the store's atomic step: the engine checks the
//! rule on what it read, and the store places the hold only if the seats the verdict rests on
//! ([`SeatWitness`]) are unchanged, so holds checked at the same moment never together strand a
//! seat that neither strands alone.

use crate::testkit::{BoxedTask, Fixture, HookedStore, StoreHook, fixture, owner, place, schedule};
use crate::*;
use std::future::Future;
use std::sync::Arc;

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

/// Row A of the conformance layout has ten seats: `A3..A5` and `A7 A8` are each fine alone (they
/// leave runs of two or more), but together they strand `A6`, and the rule refuses either after
/// the other (the run it takes from keeps two free seats beside it), so no order lets both in.
const LEFT: [&str; 3] = ["A3", "A4", "A5"];
const RIGHT: [&str; 2] = ["A7", "A8"];

/// A show of the fixture's screen with the no-orphan rule.
async fn orphan_show(f: &Fixture) -> Arc<Show> {
    let screen = f.show.screen;
    ok(
        f.engine.schedule_show(ScheduleShow { no_orphan: true, ..schedule(screen, 2) }).await,
        "no-orphan show",
    )
}

async fn hold_on(
    engine: &BookingEngine,
    show: &Show,
    who: &str,
    labels: &[&str],
) -> Result<Hold, BookingError> {
    let seats = labels.iter().map(|l| SeatChoice::new(l)).collect();
    engine
        .hold(HoldRequest {
            places: Vec::new(),
            show: show.id,
            owner: owner(who),
            seats,
            promo_code: None,
            accessible: false,
        })
        .await
}

fn seat(show: &Show, label: &str) -> SeatIdx {
    show.layout.find(label).unwrap_or_else(|| panic!("no seat {label}"))
}

/// The store compares the witness in its atomic step: a seat said to be free that is taken, or
/// said to be taken that is free, refuses the hold with `SeatsChanged` naming them, after any
/// unavailable seat of the hold itself, and nothing changes; a true witness places the hold.
pub async fn store_checks_the_seat_witness(store: DynStore) {
    let f = fixture(store).await;
    let show = orphan_show(&f).await;
    let held = ok(hold_on(&f.engine, &show, "bob", &["A1", "A2"]).await, "bob's hold");
    let before = ok(f.engine.store().head(show.id).await, "head");
    let [a1, a2, a3, a4, a5, a6] = ["A1", "A2", "A3", "A4", "A5", "A6"].map(|l| seat(&show, l));
    let now = f.clock.now();
    let place = |seats: Vec<SeatIdx>, free: Vec<SeatIdx>, taken: Vec<SeatIdx>| {
        let seats: Vec<u32> = seats.iter().map(|s| s.0).collect();
        PlaceHold { witness: SeatWitness { free, taken }, ..place(show.id, "ann", &seats, now, &held.quote) }
    };
    let store = f.engine.store();
    assert_eq!(
        store.place_hold(place(vec![a5], vec![a6, a2], vec![a3])).await.err(),
        Some(StoreError::SeatsChanged { seats: vec![a2, a3] }),
        "a witness wrong both ways"
    );
    assert_eq!(
        store.place_hold(place(vec![a1, a5], vec![a2], vec![])).await.err(),
        Some(StoreError::SeatUnavailable { seats: vec![a1] }),
        "the hold's own seats come first"
    );
    assert_eq!(ok(store.head(show.id).await, "head"), before, "a refused hold appended an event");
    let placed = ok(store.place_hold(place(vec![a4, a5], vec![a3, a6], vec![a2])).await, "true witness");
    assert_eq!(placed.seats.as_ref(), &[a4, a5]);
}

/// Another customer's hold lands between the engine's read and its store step: the store sees
/// the changed seats, the engine checks again on a fresh read and refuses the now-stranding hold
/// with `SELECTION_RULE` naming the stranded seat; the other hold stands and nothing else moved.
pub async fn orphan_rule_holds_when_another_hold_lands_first(store: DynStore) {
    let f = fixture(store.clone()).await;
    let show = orphan_show(&f).await;
    let (engine, other) = (f.engine.clone(), show.clone());
    let once = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hook: StoreHook = Arc::new(move |call| {
        let (engine, other, once) = (engine.clone(), other.clone(), once.clone());
        Box::pin(async move {
            if call == "place_hold" && !once.swap(true, std::sync::atomic::Ordering::SeqCst) {
                ok(hold_on(&engine, &other, "bob", &RIGHT).await, "bob's hold in between");
            }
        })
    });
    let signer = ok(TicketSigner::new(&[7u8; 32]), "signer");
    let hooked = HookedStore::wrap(store, hook);
    let ann =
        ok(BookingEngine::new(hooked, Arc::new(f.clock.clone()), signer, EngineConfig::default()), "engine");
    match hold_on(&ann, &show, "ann", &LEFT).await {
        Err(BookingError::SelectionRule { rule: SelectionRuleKind::OrphanSeat, seats }) => {
            assert_eq!(seats, vec!["A6"])
        }
        other => panic!("expected the orphan rule to refuse ann's hold, got {other:?}"),
    }
    let map = ok(f.engine.seat_map(show.id).await, "seat map");
    for s in &map.seats {
        let held = RIGHT.contains(&&*s.label);
        let want = if held { SeatStatus::Held } else { s.status };
        assert_eq!(s.status, want, "{}", s.label);
        if LEFT.contains(&&*s.label) || s.label == "A6" {
            assert_eq!(s.status, SeatStatus::Available, "{} moved", s.label);
        }
    }
}

/// Two customers race, many times over, for holds that together would strand a seat: never do
/// both win, on a store that runs them truly at once. `spawn` runs a task concurrently (e.g.
/// `tokio::spawn`) and yields the holds it won.
pub async fn orphan_rule_holds_under_a_race<S, F>(store: DynStore, rounds: usize, spawn: S)
where
    S: Fn(BoxedTask) -> F,
    F: Future<Output = Vec<HoldId>>,
{
    let f = Arc::new(fixture(store).await);
    let show = orphan_show(&f).await;
    let surprises = Arc::new(parking_lot::Mutex::new(Vec::new()));
    for round in 0..rounds {
        let mut tasks = Vec::new();
        for (who, labels) in [("ann", &LEFT[..]), ("bob", &RIGHT[..])] {
            let (f, show, surprises) = (f.clone(), show.clone(), surprises.clone());
            let task: BoxedTask = Box::pin(async move {
                match hold_on(&f.engine, &show, who, labels).await {
                    Ok(h) => vec![h.id],
                    Err(BookingError::SelectionRule { .. } | BookingError::StoreUnavailable { .. }) => vec![],
                    Err(e) => {
                        surprises.lock().push(format!("round {round}: {who}: {e:?}"));
                        vec![]
                    }
                }
            });
            tasks.push(spawn(task));
        }
        let mut won = Vec::new();
        for t in tasks {
            won.extend(t.await);
        }
        assert!(won.len() < 2, "round {round}: both holds won and stranded A6");
        for id in won {
            let hold = ok(f.engine.hold_info(id).await, "winner");
            ok(f.engine.release_hold(id, Actor::Owner(hold.owner.clone()), None).await, "release");
        }
    }
    assert_eq!(*surprises.lock(), Vec::<String>::new(), "holds failed for another reason");
}
