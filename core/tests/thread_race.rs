//! Races with real OS threads on the in-memory store: 8 threads x 10,000 attempts on the same
//! 20 seats. Every seat ends held or booked by at most one owner, and the log replays.

use booking_core::testkit::{T0, actor, owner, schedule};
use booking_core::*;
use std::collections::HashMap;
use std::sync::Arc;

const THREADS: usize = 8;
const ATTEMPTS: usize = 10_000;
const LAYOUT: &str = "section Main category=standard\nrow A: 1-10\nrow B: 1-10\n";

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt.block_on(f),
        Err(e) => panic!("runtime: {e}"),
    }
}

#[test]
fn eight_threads_race_for_twenty_seats() {
    let clock = ManualClock::new(T0);
    let store = Arc::new(MemoryStore::new());
    let config = EngineConfig { holds_per_owner_max: 1_000, ..Default::default() };
    let signer = TicketSigner::new(&[1u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let engine = BookingEngine::new(store.clone(), Arc::new(clock.clone()), signer, config)
        .unwrap_or_else(|e| panic!("{e}"));
    let show = block_on(async {
        let t = NewTheatre { name: "T".into(), city: "C".into(), time_zone: "UTC".into() };
        let t = engine.create_theatre(t).await?;
        let layout = SeatLayout::parse_text(LAYOUT)?;
        let screen = engine.add_screen(t.id, "S", layout).await?;
        engine.schedule_show(schedule(screen.id, 1)).await
    })
    .unwrap_or_else(|e| panic!("setup: {e}"));
    let labels: Vec<String> = show.layout.seats().iter().map(|s| s.label.to_string()).collect();

    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (engine, labels, show) = (engine.clone(), labels.clone(), show.id);
            std::thread::spawn(move || {
                block_on(async move {
                    let who = format!("racer-{t}");
                    let mut outcomes = HashMap::<&'static str, usize>::new();
                    for a in 0..ATTEMPTS {
                        let start = (t * 13 + a * 7) % labels.len();
                        let seats = (0..1 + a % 3)
                            .map(|k| SeatChoice::new(&labels[(start + k) % labels.len()]))
                            .collect();
                        let req = HoldRequest {
                            places: Vec::new(),
                            show,
                            owner: owner(&who),
                            seats,
                            promo_code: None,
                            accessible: false,
                        };
                        match engine.hold(req).await {
                            Ok(h) => {
                                *outcomes.entry("won").or_default() += 1;
                                // Book every fifth win and refund it until the last attempts, give
                                // the rest back: the seats keep changing hands until the end.
                                if a % 5 == 0 {
                                    let key = format!("{who}-{a}");
                                    let b = engine.create_booking(h.id, actor(&who), &key, None).await?;
                                    engine
                                        .confirm_booking(b.id, actor(&who), "pay", &format!("{key}-pay"))
                                        .await?;
                                    if a < ATTEMPTS - 100 {
                                        engine.refund_booking(b.id, Actor::Staff).await?;
                                    }
                                } else {
                                    engine.release_hold(h.id, actor(&who), None).await?;
                                }
                            }
                            Err(e) => {
                                assert_eq!(e.code(), ErrorCode::SeatUnavailable, "{e}");
                                *outcomes.entry("lost").or_default() += 1;
                            }
                        }
                    }
                    Ok::<_, BookingError>(outcomes)
                })
            })
        })
        .collect();
    let mut won = 0;
    for t in threads {
        let outcomes =
            t.join().unwrap_or_else(|_| panic!("a racer panicked")).unwrap_or_else(|e| panic!("{e}"));
        won += outcomes.get("won").copied().unwrap_or(0);
    }
    assert!(won > 0);

    let occupancy = block_on(store.seat_occupancy(show.id)).unwrap_or_else(|e| panic!("{e}"));
    let events = block_on(booking_core::testkit::all_events(&engine, show.id));
    // Replay refuses any event that takes a seat still occupied at that instant: a double sale
    // or double hold anywhere in the history fails here.
    let replayed = replay(occupancy.len(), &events).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(replayed, occupancy);
    let mut sold = 0;
    for (i, occ) in occupancy.iter().enumerate() {
        match occ {
            SeatOccupant::Sold { booking } => {
                let b = block_on(engine.booking(*booking, &Actor::Staff)).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(b.status, BookingStatus::Confirmed);
                assert!(b.seats.contains(&SeatIdx(i as u32)));
                sold += 1;
            }
            SeatOccupant::Free => {}
            other => panic!("seat {i} left in state {other:?}"),
        }
    }
    assert!(sold > 0, "no seat was sold at the end");
    assert!(events.len() > THREADS * ATTEMPTS / 10, "too few changes: {}", events.len());
}
