//! Load generator for the PostgreSQL store and the hybrid store (holds on Redis), against the
//! textbook approach, in the same run.
//!
//! Run: `cargo run --release -p booking-benches --bin pg_load -- [--seconds S] [--clients 1,16,64]
//! [--only "holds redis"]` (`--only` keeps the phases whose name contains it: `holds`, `bookings`,
//! `postgres`, `redis`, `hybrid`, `textbook`, or one phase such as `bookings hybrid`)
//! Database: `BOOKING_BENCH_DATABASE_URL`, else `BOOKING_TEST_DATABASE_URL`, else the local
//! server (`postgres://postgres@127.0.0.1:5432/postgres`). It works in a schema of its own and
//! drops it at the end. Redis: `BOOKING_BENCH_REDIS_URL`, else `BOOKING_TEST_REDIS_URL`, else
//! `redis://127.0.0.1:6379`, under a key prefix of the run's own. `--smoke` runs every phase
//! briefly with 4 clients (the test script does).
//!
//! Phases, for each client count:
//! - holds: a client holds 2 seats of a random show of 20 shows of 300 seats through the engine,
//!   then releases them; the figure is hold+release pairs per second, the latency the pair's. On
//!   PostgreSQL, then on Redis (the hybrid store, its own 20 shows).
//! - fresh holds (`--only fresh`): holds only, each of 2 seats no other hold takes, spread over
//!   enough shows, never released; the figure is holds per second. On the hybrid store.
//! - stadium rush (`--only rush`): fresh holds as above, on 8 shows of a 100,000-seat stadium
//!   (the layout's maximum), so that 8 clients of 64 share each show, as in a rush for one
//!   event. On the hybrid store.
//! - general admission (`--only ga`): holds of 2 places of a standing zone by quantity, never
//!   released, on shows of a 300-place zone and on 8 shows of a 50,000-place field, on
//!   PostgreSQL and on the hybrid store: the store picks the places, and the two sizes should
//!   cost the same per hold.
//! - bookings: hold 2 seats, create the booking, confirm it; each booking takes a pair of seats
//!   no other booking takes, spread over enough shows; latency of the three calls together. On
//!   PostgreSQL, then on the hybrid store.
//! - the same two with the textbook transactions of `textbook.rs`.

mod textbook;

use booking_benches::load::{Stats, Step, XorShift, run};
use booking_benches::{big_layout_text, forget_redis_keys, show_request, simple_pricing};
use booking_core::testkit::{T0, actor, owner};
use booking_core::*;
use booking_postgres::{PgStore, PgStoreOptions};
use booking_redis::{HybridStore, RedisOptions};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const HOLD_SHOWS: usize = 20;
const ROWS: usize = 12;
const PER_ROW: usize = 25;
const SEATS: usize = ROWS * PER_ROW;
const STADIUM_SHOWS: usize = 8;
const STADIUM_ROWS: usize = 200;
const STADIUM_PER_ROW: usize = 500;
/// The standing zone of the general-admission phases.
const GA_ZONE: &str = "Floor";
/// Places of the small zone, and of the festival field.
const GA_SMALL: u32 = 300;
const GA_FIELD: u32 = 50_000;
const GA_FIELD_SHOWS: usize = 8;

struct Args {
    seconds: f64,
    clients: Vec<usize>,
    /// Connections in the pool (both approaches share it); default: the store's default (16), or
    /// fewer when there are fewer clients.
    pool: Option<u32>,
    /// Batch lanes per kind of request; default: the store's default.
    lanes: Option<usize>,
    /// Only the phases whose name contains this.
    only: Option<String>,
}

impl Default for Args {
    fn default() -> Self {
        Args { seconds: 5.0, clients: vec![1, 16, 64], pool: None, lanes: None, only: None }
    }
}

fn args() -> Args {
    let mut out = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => out.seconds = it.next().and_then(|s| s.parse().ok()).unwrap_or(out.seconds),
            "--clients" => {
                out.clients = it
                    .next()
                    .map(|s| s.split(',').filter_map(|c| c.parse().ok()).collect())
                    .unwrap_or(out.clients)
            }
            "--pool" => out.pool = it.next().and_then(|s| s.parse().ok()),
            "--lanes" => out.lanes = it.next().and_then(|s| s.parse().ok()),
            "--only" => out.only = it.next(),
            "--smoke" => out = Args { seconds: 0.3, clients: vec![4], ..Args::default() },
            other => panic!("unknown argument {other}"),
        }
    }
    out
}

fn pair(show: &Show, first: usize) -> Vec<SeatChoice> {
    (first..first + 2).map(|i| SeatChoice::new(&show.layout.seats()[i].label)).collect()
}

/// Hold + release pairs on random pairs of seats of `shows`, through `engine`.
async fn hold_phase(
    engine: &Arc<BookingEngine>,
    shows: &Arc<Vec<Arc<Show>>>,
    clients: usize,
    seconds: f64,
) -> Stats {
    let (e, shows) = (engine.clone(), shows.clone());
    run(clients, seconds, move |c, i| {
        let (e, shows) = (e.clone(), shows.clone());
        async move {
            let mut rng = XorShift::for_call(c, i);
            let show = &shows[rng.below(shows.len())];
            let who = format!("client-{c}");
            let req = HoldRequest {
                places: Vec::new(),
                show: show.id,
                owner: owner(&who),
                seats: pair(show, rng.below(SEATS - 1)),
                promo_code: None,
                accessible: false,
            };
            match e.hold(req).await {
                Ok(h) => {
                    e.release_hold(h.id, actor(&who), None).await.unwrap_or_else(|e| panic!("release: {e}"));
                    Step::Done
                }
                Err(BookingError::SeatUnavailable { .. }) => Step::Refused,
                Err(err) => panic!("hold: {err}"),
            }
        }
    })
    .await
}

/// Reads each show once before the clock starts: on the hybrid store that seeds it on Redis,
/// which its first hold would do (once per show, under PostgreSQL's show lock). What is measured
/// is the rush once sales are open, not a show's first call.
async fn warm(engine: &BookingEngine, shows: &[Arc<Show>]) {
    for show in shows {
        engine.store().seat_occupancy(show.id).await.unwrap_or_else(|e| panic!("warming {}: {e}", show.id));
    }
}

/// Holds through `engine`, every one on its own pair of seats of `shows`: with `book`, each is
/// booked and paid (a full booking); without, it is left to expire, as in the first seconds of a
/// rush (the figure is then holds per second).
async fn fresh_pairs_phase(
    engine: &Arc<BookingEngine>,
    shows: Arc<Vec<Arc<Show>>>,
    clients: usize,
    seconds: f64,
    book: bool,
) -> Stats {
    // Every show of a phase has the same layout.
    let pairs_per_show = shows.first().map_or(0, |s| s.layout.seat_count() / 2);
    warm(engine, &shows).await;
    let counter = Arc::new(AtomicU64::new(0));
    let (e, k) = (engine.clone(), counter);
    run(clients, seconds, move |_, _| {
        let (e, shows, k) = (e.clone(), shows.clone(), k.clone());
        async move {
            let n = k.fetch_add(1, Ordering::Relaxed) as usize;
            let (show, p) = (&shows[n % shows.len()], n / shows.len());
            if p >= pairs_per_show {
                return Step::Stop;
            }
            // A rush is many people holding once each: every hold has an owner of its own (an
            // owner's list of holds on a show is read on each of its holds).
            let who = format!("fan-{n}");
            let req = HoldRequest {
                places: Vec::new(),
                show: show.id,
                owner: owner(&who),
                seats: pair(show, 2 * p),
                promo_code: None,
                accessible: false,
            };
            let h = e.hold(req).await.unwrap_or_else(|e| panic!("hold: {e}"));
            if book {
                let b = e
                    .create_booking(h.id, actor(&who), &format!("b{n}"), None)
                    .await
                    .unwrap_or_else(|e| panic!("create: {e}"));
                e.confirm_booking(b.id, actor(&who), "pay", &format!("p{n}"))
                    .await
                    .unwrap_or_else(|e| panic!("confirm: {e}"));
            }
            Step::Done
        }
    })
    .await
}

/// Holds of 2 places of `shows`' standing zone `GA_ZONE` by quantity, each by its own owner,
/// never released, until every zone is sold out; the figure is holds per second.
async fn ga_phase(
    engine: &Arc<BookingEngine>,
    shows: Arc<Vec<Arc<Show>>>,
    clients: usize,
    seconds: f64,
) -> Stats {
    let holds_per_show =
        shows.first().map_or(0, |s| s.layout.zones().first().map_or(0, |z| z.capacity) as usize / 2);
    warm(engine, &shows).await;
    let counter = Arc::new(AtomicU64::new(0));
    let (e, k) = (engine.clone(), counter);
    run(clients, seconds, move |_, _| {
        let (e, shows, k) = (e.clone(), shows.clone(), k.clone());
        async move {
            let n = k.fetch_add(1, Ordering::Relaxed) as usize;
            if n / shows.len() >= holds_per_show {
                return Step::Stop;
            }
            let req = HoldRequest {
                places: vec![PlaceChoice::new(GA_ZONE, 2)],
                show: shows[n % shows.len()].id,
                owner: owner(&format!("fan-{n}")),
                seats: Vec::new(),
                promo_code: None,
                accessible: false,
            };
            e.hold(req).await.unwrap_or_else(|e| panic!("hold places: {e}"));
            Step::Done
        }
    })
    .await
}

/// `n` more shows on `screen`, in the slots from `next_slot` on.
async fn schedule_shows(
    engine: &BookingEngine,
    screen: &Screen,
    tariff: &Arc<PricingPolicy>,
    next_slot: &mut i64,
    n: usize,
) -> Vec<Arc<Show>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let req = show_request(screen.id, *next_slot, tariff.clone());
        *next_slot += 1;
        out.push(engine.schedule_show(req).await.unwrap_or_else(|e| panic!("{e}")));
    }
    out
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args = args();
    let url = std::env::var("BOOKING_BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("BOOKING_TEST_DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let schema = format!("bc_bench_{}", std::process::id());
    let admin = PgPool::connect(&url).await.unwrap_or_else(|e| panic!("cannot reach {url}: {e}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap_or_else(|e| panic!("{e}"));
    let max_clients = args.clients.iter().copied().max().unwrap_or(1) as u32;
    let options = PgStoreOptions {
        max_connections: args.pool.unwrap_or(max_clients.min(PgStoreOptions::default().max_connections)),
        migrate_on_connect: true,
        schema: Some(schema.clone()),
        acquire_timeout: Duration::from_secs(30),
        batch_lanes: args.lanes.unwrap_or(PgStoreOptions::default().batch_lanes),
        ..PgStoreOptions::default()
    };
    let pg = PgStore::connect(&url, options).await.unwrap_or_else(|e| panic!("{e}"));
    let pool = pg.pool().clone();
    sqlx::raw_sql(textbook::SCHEMA).execute(&pool).await.unwrap_or_else(|e| panic!("{e}"));

    let redis_url = std::env::var("BOOKING_BENCH_REDIS_URL")
        .or_else(|_| std::env::var("BOOKING_TEST_REDIS_URL"))
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let redis_options = RedisOptions { key_prefix: format!("{schema}:"), ..RedisOptions::default() };
    let hybrid_store = HybridStore::connect(pg.clone(), &redis_url, redis_options)
        .await
        .unwrap_or_else(|e| panic!("cannot reach redis at {redis_url}: {e}"));
    let config = EngineConfig::default();
    let new_engine = |store: DynStore| {
        let signer = TicketSigner::new(&[3u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        BookingEngine::new(store, Arc::new(ManualClock::new(T0)), signer, config.clone())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let engine = new_engine(Arc::new(pg));
    let hybrid = Arc::new(new_engine(Arc::new(hybrid_store)));
    let theatre = NewTheatre { name: "Bench".into(), city: "Lyon".into(), time_zone: "Europe/Paris".into() };
    let theatre = engine.create_theatre(theatre).await.unwrap_or_else(|e| panic!("{e}"));
    let layout = SeatLayout::parse_text(&big_layout_text(ROWS, PER_ROW)).unwrap_or_else(|e| panic!("{e}"));
    let screen = engine.add_screen(theatre.id, "Main", layout).await.unwrap_or_else(|e| panic!("{e}"));
    let tariff = Arc::new(simple_pricing());
    let engine = Arc::new(engine);
    let stadium = SeatLayout::parse_text(&big_layout_text(STADIUM_ROWS, STADIUM_PER_ROW))
        .unwrap_or_else(|e| panic!("{e}"));
    let stadium = engine.add_screen(theatre.id, "Stadium", stadium).await.unwrap_or_else(|e| panic!("{e}"));
    let mut stadium_slot = 0i64;
    let ga_screen = |capacity: u32| {
        let text = format!(
            "section Bar category=standard\nrow A: 1-4\nzone {GA_ZONE} capacity={capacity} category=standard\n"
        );
        SeatLayout::parse_text(&text).unwrap_or_else(|e| panic!("{e}"))
    };
    let ga_small =
        engine.add_screen(theatre.id, "Club", ga_screen(GA_SMALL)).await.unwrap_or_else(|e| panic!("{e}"));
    let ga_field =
        engine.add_screen(theatre.id, "Field", ga_screen(GA_FIELD)).await.unwrap_or_else(|e| panic!("{e}"));
    let mut ga_slot = 0i64;
    let mut next_slot = 0i64;
    let mut shows_for = async |n: usize| schedule_shows(&engine, &screen, &tariff, &mut next_slot, n).await;
    let hold_shows = Arc::new(shows_for(HOLD_SHOWS).await);
    let redis_hold_shows = Arc::new(shows_for(HOLD_SHOWS).await);
    let quote =
        serde_json::json!({"currency": "EUR", "lines": [], "tax_rate_bp": 0, "tax_mode": "inclusive"});
    textbook::setup(&pool, 1, HOLD_SHOWS as i64, SEATS as i32).await.unwrap_or_else(|e| panic!("{e}"));
    let mut textbook_next = 1 + HOLD_SHOWS as i64;

    println!("| phase | clients | rate | p50 | p99 | refused | machine cpu/op |");
    println!("|---|---|---|---|---|---|---|");
    let want = |phase: &str| args.only.as_deref().is_none_or(|o| phase.contains(o));
    for &clients in &args.clients {
        // Holds through the adapters: PostgreSQL, then Redis.
        if want("holds postgres") {
            let stats = hold_phase(&engine, &hold_shows, clients, args.seconds).await;
            stats.print("holds (hold + release), postgres", clients, &[]);
        }
        if want("holds redis") {
            let stats = hold_phase(&hybrid, &redis_hold_shows, clients, args.seconds).await;
            stats.print("holds (hold + release), redis", clients, &[]);
        }

        // Holds only, every one on seats of its own (a rush's first seconds), on Redis.
        if want("fresh holds redis") {
            // Enough pairs for the fastest rate seen per client, with room (a phase that runs out
            // of pairs stops early): 50,500/s at 64 clients on 2026-12-01.
            let planned = (clients as f64 * 4_000.0).clamp(10_000.0, 100_000.0);
            let needed = ((args.seconds * planned) as usize).div_ceil(SEATS / 2).max(clients);
            let fresh = Arc::new(shows_for(needed).await);
            let stats = fresh_pairs_phase(&hybrid, fresh, clients, args.seconds, false).await;
            stats.print("fresh holds (hold only), redis", clients, &[]);
        }

        // The same on a few stadium shows: many clients on each show.
        if want("rush fresh holds redis") {
            let shows =
                Arc::new(schedule_shows(&engine, &stadium, &tariff, &mut stadium_slot, STADIUM_SHOWS).await);
            let stats = fresh_pairs_phase(&hybrid, shows, clients, args.seconds, false).await;
            stats.print("stadium rush (hold only, 8 shows of 100,000 seats), redis", clients, &[]);
        }

        // General admission by quantity: a small zone, then a festival field.
        for (store, on) in [("postgres", &engine), ("redis", &hybrid)] {
            if want(&format!("ga small {store}")) {
                let planned = (clients as f64 * 2_000.0).clamp(5_000.0, 60_000.0);
                let needed = ((args.seconds * planned) as usize).div_ceil(GA_SMALL as usize / 2).max(clients);
                let shows = Arc::new(schedule_shows(&engine, &ga_small, &tariff, &mut ga_slot, needed).await);
                let stats = ga_phase(on, shows, clients, args.seconds).await;
                stats.print(
                    &format!("ga holds (2 places of a {GA_SMALL}-place zone), {store}"),
                    clients,
                    &[],
                );
            }
            if want(&format!("ga field {store}")) {
                let shows =
                    Arc::new(schedule_shows(&engine, &ga_field, &tariff, &mut ga_slot, GA_FIELD_SHOWS).await);
                let stats = ga_phase(on, shows, clients, args.seconds).await;
                stats.print(
                    &format!("ga rush (2 places of a {GA_FIELD}-place field, 8 shows), {store}"),
                    clients,
                    &[],
                );
            }
        }

        // Holds the textbook way.
        if want("holds textbook") {
            let p = pool.clone();
            let q = quote.clone();
            let stats = run(clients, args.seconds, move |c, i| {
                let (p, q) = (p.clone(), q.clone());
                async move {
                    let mut rng = XorShift::for_call(c, i);
                    let show = 1 + rng.below(HOLD_SHOWS) as i64;
                    let first = rng.below(SEATS - 1) as i32;
                    let now = T0.millis();
                    match textbook::hold(&p, show, &format!("client-{c}"), &[first, first + 1], now, &q).await
                    {
                        Ok(Some(h)) => {
                            textbook::release(&p, show, h, now)
                                .await
                                .unwrap_or_else(|e| panic!("release: {e}"));
                            Step::Done
                        }
                        Ok(None) => Step::Refused,
                        Err(e) => panic!("textbook hold: {e}"),
                    }
                }
            })
            .await;
            stats.print("holds (hold + release), textbook", clients, &[]);
        }

        // Full bookings through the adapter: every booking its own pair of seats.
        let pairs_per_show = SEATS / 2;
        let shows_needed = ((args.seconds * 6_000.0) as usize).div_ceil(pairs_per_show).max(clients);
        if want("bookings postgres") {
            let book_shows = Arc::new(shows_for(shows_needed).await);
            let stats = fresh_pairs_phase(&engine, book_shows, clients, args.seconds, true).await;
            stats.print("bookings (hold, create, confirm), postgres", clients, &[]);
        }
        if want("bookings hybrid") {
            let book_shows = Arc::new(shows_for(shows_needed).await);
            let stats = fresh_pairs_phase(&hybrid, book_shows, clients, args.seconds, true).await;
            stats.print("bookings (hold, create, confirm), hybrid", clients, &[]);
        }

        // Full bookings the textbook way.
        if want("bookings textbook") {
            let first = textbook_next;
            let n_shows = shows_needed as i64;
            textbook::setup(&pool, first, n_shows, SEATS as i32).await.unwrap_or_else(|e| panic!("{e}"));
            textbook_next += n_shows;
            let (p, q, k) = (pool.clone(), quote.clone(), Arc::new(AtomicU64::new(0)));
            let stats = run(clients, args.seconds, move |c, _| {
                let (p, q, k) = (p.clone(), q.clone(), k.clone());
                async move {
                    let n = k.fetch_add(1, Ordering::Relaxed) as i64;
                    let (show, pr) = (first + n % n_shows, n / n_shows);
                    if pr >= pairs_per_show as i64 {
                        return Step::Stop;
                    }
                    let seats = [2 * pr as i32, 2 * pr as i32 + 1];
                    let now = T0.millis();
                    let h = textbook::hold(&p, show, &format!("client-{c}"), &seats, now, &q)
                        .await
                        .unwrap_or_else(|e| panic!("hold: {e}"))
                        .unwrap_or_else(|| panic!("a fresh pair was taken"));
                    textbook::book(&p, show, h, now).await.unwrap_or_else(|e| panic!("book: {e}"));
                    Step::Done
                }
            })
            .await;
            stats.print("bookings (hold, create, confirm), textbook", clients, &[]);
        }
    }
    forget_redis_keys(&redis_url, &format!("{schema}:")).await;
    // The hybrid store may still be appending hold events in the background: a drop meanwhile
    // can deadlock with it, and is tried again.
    let drop = format!("DROP SCHEMA {schema} CASCADE");
    for attempt in 1.. {
        match sqlx::query(&drop).execute(&admin).await {
            Ok(_) => break,
            Err(e) if attempt < 10 => {
                eprintln!("dropping the bench schema, attempt {attempt}: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("{e}"),
        }
    }
}
