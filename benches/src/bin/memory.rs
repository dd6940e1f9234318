//! Resident memory of the in-memory store: 10,000 shows of 500 seats with a fifth of the seats held.
//!
//! Run: `cargo run --release -p booking-benches --bin memory`

use booking_benches::*;
use booking_core::testkit::owner;
use booking_core::*;
use std::sync::Arc;

const SHOWS: usize = 10_000;
const SCREENS: usize = 100;
const SEATS_PER_HOLD: usize = 4;
const HOLDS_PER_SHOW: usize = 25; // 25 x 4 = 100 = a fifth of 500 seats

fn main() {
    let config = EngineConfig { holds_per_owner_max: 1_000, ..Default::default() };
    let (engine, store) = engine(config);
    let layout = big_layout_text(20, 25);
    let screens: Vec<Screen> = (0..SCREENS).map(|_| screen(&engine, &layout)).collect();
    // One tariff per screen, shared by its shows, as a chain schedules them.
    let tariffs: Vec<Arc<PricingPolicy>> = (0..SCREENS).map(|_| Arc::new(simple_pricing())).collect();
    let base = rss_bytes();
    let mut shows = Vec::with_capacity(SHOWS);
    for i in 0..SHOWS {
        let tariff = Arc::clone(&tariffs[i % SCREENS]);
        shows.push(show(&engine, screens[i % SCREENS].id, (i / SCREENS) as i64, tariff));
    }
    let after_shows = rss_bytes();
    let labels: Vec<String> = shows[0].layout.seats().iter().map(|s| s.label.to_string()).collect();
    for show in &shows {
        for h in 0..HOLDS_PER_SHOW {
            // Every other block of four, so holds spread over the rows.
            let seats = (0..SEATS_PER_HOLD).map(|k| SeatChoice::new(&labels[h * 8 + k])).collect();
            let req = HoldRequest {
                places: Vec::new(),
                show: show.id,
                owner: owner(&format!("user-{h}")),
                seats,
                promo_code: None,
                accessible: false,
            };
            ready(engine.hold(req)).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let after_holds = rss_bytes();
    let seats = SHOWS * 500;
    let holds = SHOWS * HOLDS_PER_SHOW;
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!("shows: {SHOWS} of 500 seats ({seats} seats), holds: {holds} of {SEATS_PER_HOLD} seats");
    println!(
        "seat states: {:.1} bytes per seat (cells and leases)",
        store.seat_state_bytes() as f64 / seats as f64
    );
    println!("rss before shows: {:.1} MiB", mib(base));
    println!(
        "rss after shows:  {:.1} MiB (+{:.0} bytes per show)",
        mib(after_shows),
        (after_shows - base) as f64 / SHOWS as f64
    );
    println!(
        "rss after holds:  {:.1} MiB (+{:.0} bytes per hold)",
        mib(after_holds),
        (after_holds - after_shows) as f64 / holds as f64
    );
    println!("total: {:.1} MiB (goal: under 256 MiB)", mib(after_holds));
}
