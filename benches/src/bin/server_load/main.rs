//! Load generator for booking-server over HTTP: seat-map reads, holds and full bookings at a
//! number of concurrent connections, with the server's resident memory sampled during the run.
//!
//! Run (the server binary is built first; the generator starts it as a process of its own):
//!
//! ```sh
//! cargo build --release -p booking-server
//! cargo run --release -p booking-benches --bin server_load -- [--store memory|postgres|hybrid]
//!     [--seconds S] [--connections 1,16,64] [--only ping|seats|holds|bookings|ga] [--threads N]
//!     [--server PATH] [--pricing house|simple] [--smoke]
//! ```
//!
//! `--server` names the booking-server binary (default: `release/booking-server` in the target
//! dir, `$CARGO_TARGET_DIR` or `./target`). `--store postgres` gives the server
//! `BOOKING_BENCH_DATABASE_URL` (else `BOOKING_TEST_DATABASE_URL`, else the local server) with a
//! schema of the run's own, dropped at the end; `--store hybrid` adds `BOOKING_BENCH_REDIS_URL`
//! (else `BOOKING_TEST_REDIS_URL`, else `redis://127.0.0.1:6379`). The generator runs on
//! `--threads` tokio workers (default 1), leaving the other core to the server. `--smoke` runs
//! every phase briefly with 4 connections (the test script does). `--pricing simple` gives the
//! shows one flat price instead of the server's house tariff, whose demand tiers make every
//! hold count the seats taken first (see benches/README.md for what that costs).
//!
//! Phases, for each connection count (each connection is one client making one request at a
//! time, as a browser or an app does; the server's rate limits are off):
//! - ping: `GET /healthz`, the floor: what any request costs on this server and machine.
//! - seats: `GET /v1/shows/{id}/seats` of a random show of 20 shows of 300 seats.
//! - holds: `POST /v1/shows/{id}/holds` of 2 random seats, then `DELETE /v1/holds/{id}`; the rate
//!   is holds per second, the latency the hold request's; a pair taken by another client counts
//!   as refused.
//! - bookings: hold 2 seats no other booking takes, `POST /v1/bookings` with an
//!   `Idempotency-Key`, `POST /v1/bookings/{id}/pay` with the simulated gateway's `tok_visa`;
//!   the latency is the three requests'.
//! - ga bookings (`--only ga`): the same full bookings, each of 2 standing places asked for by
//!   quantity (`"places": [{"zone": "Floor", "quantity": 2}]`) on 8 shows of a 50,000-place
//!   field: a festival's rush, beside the seat rush.

mod client;
mod server;

use booking_benches::load::{Stats, Step, XorShift, run};
use booking_benches::{big_layout_text, row_name};
use client::Http;
use serde_json::json;
use server::Server;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SHOWS: usize = 20;
const ROWS: usize = 12;
const PER_ROW: usize = 25;
const SEATS: usize = ROWS * PER_ROW;
/// An upper bound of bookings per second, to schedule enough shows for a booking phase.
const BOOKINGS_PER_SEC_MAX: f64 = 8_000.0;
/// The festival field of the general-admission phase: its zone, its places, its shows.
const FIELD_ZONE: &str = "Floor";
const FIELD_PLACES: usize = 50_000;
const FIELD_SHOWS: usize = 8;

/// Where the server keeps its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// In memory (the default).
    Memory,
    /// PostgreSQL.
    Postgres,
    /// PostgreSQL with holds on Redis.
    Hybrid,
}

struct Args {
    store: Store,
    seconds: f64,
    connections: Vec<usize>,
    only: Option<String>,
    threads: usize,
    server: Option<String>,
    /// The shows' pricing as JSON; none for the server's house tariff.
    pricing: Option<serde_json::Value>,
}

fn args() -> Args {
    let mut out = Args {
        store: Store::Memory,
        seconds: 5.0,
        connections: vec![64],
        only: None,
        threads: 1,
        server: None,
        pricing: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--store" => {
                out.store = match value().as_str() {
                    "memory" => Store::Memory,
                    "postgres" => Store::Postgres,
                    "hybrid" => Store::Hybrid,
                    other => panic!("--store: memory, postgres or hybrid, not {other}"),
                }
            }
            "--seconds" => out.seconds = value().parse().unwrap_or_else(|e| panic!("--seconds: {e}")),
            "--connections" => {
                out.connections = value()
                    .split(',')
                    .map(|c| c.parse().unwrap_or_else(|e| panic!("--connections: {e}")))
                    .collect()
            }
            "--only" => out.only = Some(value()),
            "--threads" => out.threads = value().parse().unwrap_or_else(|e| panic!("--threads: {e}")),
            "--server" => out.server = Some(value()),
            "--pricing" => {
                out.pricing = match value().as_str() {
                    "house" => None,
                    "simple" => serde_json::from_str(&booking_benches::simple_pricing().to_json()).ok(),
                    other => panic!("--pricing: house or simple, not {other}"),
                }
            }
            "--smoke" => {
                out.seconds = 0.3;
                out.connections = vec![4];
            }
            other => panic!("unknown argument {other}"),
        }
    }
    out
}

/// The venue of a run: a theatre with one 300-seat screen, and the shows made so far.
struct Venue {
    screen: u64,
    /// A screen with a standing field of `FIELD_PLACES`.
    field: u64,
    next_slot: u64,
    starts: i64,
    pricing: Option<serde_json::Value>,
}

impl Venue {
    async fn new(http: &Http, admin: &str, pricing: Option<serde_json::Value>) -> Venue {
        let theatre = http
            .expect(
                0,
                201,
                http.post(
                    "/v1/admin/theatres",
                    Some(admin),
                    None,
                    &json!({
                        "name": "Bench", "city": "Lyon", "time_zone": "Europe/Paris"
                    }),
                ),
            )
            .await;
        let layout = big_layout_text(ROWS, PER_ROW);
        let path = format!("/v1/admin/theatres/{}/screens", theatre["id"]);
        let screen = http
            .expect(
                0,
                201,
                http.post(&path, Some(admin), None, &json!({ "name": "Main", "layout_text": layout })),
            )
            .await;
        let layout = format!(
            "section Bar category=standard\nrow A: 1-4\nzone {FIELD_ZONE} capacity={FIELD_PLACES} category=standard\n"
        );
        let field = http
            .expect(
                0,
                201,
                http.post(&path, Some(admin), None, &json!({ "name": "Field", "layout_text": layout })),
            )
            .await;
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let (screen, field) = (screen["id"].as_u64().unwrap_or(0), field["id"].as_u64().unwrap_or(0));
        Venue { screen, field, next_slot: 0, starts: (now + 2 * 86_400) as i64, pricing }
    }

    /// Schedules `n` more two-hour shows on the screen, one after another.
    async fn shows(&mut self, http: &Http, admin: &str, n: usize) -> Vec<u64> {
        let screen = self.screen;
        self.shows_on(http, admin, screen, n).await
    }

    /// Schedules `n` more two-hour shows on `screen`, one after another.
    async fn shows_on(&mut self, http: &Http, admin: &str, screen: u64, n: usize) -> Vec<u64> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let at =
                |secs: i64| jiff::Timestamp::from_second(secs).map(|t| t.to_string()).unwrap_or_default();
            let start = self.starts + self.next_slot as i64 * 7_200;
            self.next_slot += 1;
            let mut body = json!({
                "screen": screen, "title": "Bench", "starts_at": at(start),
                "ends_at": at(start + 7_000), "no_orphan": false
            });
            if let Some(pricing) = &self.pricing {
                body["pricing"] = pricing.clone();
            }
            let show = http.expect(0, 201, http.post("/v1/admin/shows", Some(admin), None, &body)).await;
            out.push(show["id"].as_u64().unwrap_or(0));
        }
        out
    }
}

/// Seats `first` and `first + 1` (0-based) of row `row`, side by side, as a hold's body.
fn pair_body(row: usize, first: usize) -> Vec<u8> {
    let name = row_name(row);
    let seats = [format!("{name}{}", first + 1), format!("{name}{}", first + 2)];
    serde_json::to_vec(&json!({ "seats": seats })).unwrap_or_default()
}

/// Pairs a show has that no other pair overlaps: a row's seats two by two.
const PAIRS_PER_SHOW: usize = ROWS * (PER_ROW / 2);

/// The floor: `GET /healthz`, the least a request can cost on this server and machine.
async fn ping_phase(http: &Http, connections: usize, seconds: f64) -> Stats {
    let http = http.clone();
    run(connections, seconds, move |c, _| {
        let http = http.clone();
        async move {
            http.expect_len(c, 200, http.get("/healthz", None)).await;
            Step::Done
        }
    })
    .await
}

async fn seats_phase(http: &Http, shows: &Arc<Vec<u64>>, connections: usize, seconds: f64) -> Stats {
    let (http, shows) = (http.clone(), shows.clone());
    run(connections, seconds, move |c, i| {
        let (http, shows) = (http.clone(), shows.clone());
        async move {
            let show = shows[XorShift::for_call(c, i).below(shows.len())];
            http.expect_len(c, 200, http.get(&format!("/v1/shows/{show}/seats"), None)).await;
            Step::Done
        }
    })
    .await
}

/// What a phase reads of a hold's or a booking's answer (or of a refusal).
#[derive(Debug, serde::Deserialize)]
struct Placed {
    id: Option<u64>,
    fence: Option<u64>,
    code: Option<String>,
}

async fn holds_phase(
    http: &Http,
    tokens: &Arc<Vec<String>>,
    shows: &Arc<Vec<u64>>,
    connections: usize,
    seconds: f64,
) -> Stats {
    let (http, tokens, shows) = (http.clone(), tokens.clone(), shows.clone());
    run(connections, seconds, move |c, i| {
        let (http, tokens, shows) = (http.clone(), tokens.clone(), shows.clone());
        async move {
            let mut rng = XorShift::for_call(c, i);
            let show = shows[rng.below(shows.len())];
            let token = Some(tokens[c].as_str());
            let t = Instant::now();
            let (status, hold) = http
                .send_as::<Placed>(
                    c,
                    http.post_raw(
                        &format!("/v1/shows/{show}/holds"),
                        token,
                        None,
                        pair_body(rng.below(ROWS), rng.below(PER_ROW - 1)),
                    ),
                )
                .await;
            let took = t.elapsed();
            let hold = match (status, hold) {
                (201, Ok(Placed { id: Some(id), fence: Some(fence), .. })) => (id, fence),
                (409, Ok(Placed { code: Some(code), .. })) if code == "SEAT_UNAVAILABLE" => {
                    return Step::Refused;
                }
                (other, body) => panic!("hold: {other} {body:?}"),
            };
            let release = format!("/v1/holds/{}?fence={}", hold.0, hold.1);
            http.expect_len(c, 200, http.delete(&release, token)).await;
            Step::Timed(took)
        }
    })
    .await
}

/// What a booking phase holds: its `p`-th hold's body on a show, of `per_show` such holds.
#[derive(Clone, Copy)]
struct Holds {
    per_show: usize,
    body: fn(usize) -> Vec<u8>,
}

/// A pair of seats no other pair of the show overlaps.
const SEAT_PAIRS: Holds =
    Holds { per_show: PAIRS_PER_SHOW, body: |p| pair_body(p / (PER_ROW / 2), 2 * (p % (PER_ROW / 2))) };

/// Two standing places of the field, asked for by quantity.
const FIELD_PAIRS: Holds = Holds {
    per_show: FIELD_PLACES / 2,
    body: |_| {
        serde_json::to_vec(&json!({ "seats": [], "places": [{ "zone": FIELD_ZONE, "quantity": 2 }] }))
            .unwrap_or_default()
    },
};

async fn bookings_phase(
    http: &Http,
    tokens: &Arc<Vec<String>>,
    shows: Arc<Vec<u64>>,
    holds: Holds,
    connections: usize,
    seconds: f64,
) -> Stats {
    let next = Arc::new(AtomicU64::new(0));
    let (http, tokens) = (http.clone(), tokens.clone());
    run(connections, seconds, move |c, _| {
        let (http, tokens, shows, next) = (http.clone(), tokens.clone(), shows.clone(), next.clone());
        async move {
            let n = next.fetch_add(1, Ordering::Relaxed) as usize;
            let (show, p) = (shows[n % shows.len()], n / shows.len());
            if p >= holds.per_show {
                return Step::Stop;
            }
            let token = Some(tokens[c].as_str());
            let path = format!("/v1/shows/{show}/holds");
            let (status, hold) =
                http.send_as::<Placed>(c, http.post_raw(&path, token, None, (holds.body)(p))).await;
            let (Ok(Placed { id: Some(hold), fence: Some(fence), .. }), 201) = (&hold, status) else {
                panic!("hold: {status} {hold:?}");
            };
            let key = format!("load-{n}");
            let body = json!({ "hold": hold, "fence": fence });
            let (status, booking) =
                http.send_as::<Placed>(c, http.post("/v1/bookings", token, Some(&key), &body)).await;
            let (Ok(Placed { id: Some(booking), .. }), 201) = (&booking, status) else {
                panic!("booking: {status} {booking:?}");
            };
            let pay = format!("/v1/bookings/{booking}/pay");
            http.expect_len(c, 200, http.post(&pay, token, None, &json!({ "payment_token": "tok_visa" })))
                .await;
            Step::Done
        }
    })
    .await
}

/// Logs in `n` customers at once (password hashing is slow by design); their tokens.
async fn customers(http: &Http, n: usize) -> Vec<String> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let http = http.clone();
            tokio::spawn(async move {
                let email = format!("load{i}-{}@example.com", std::process::id());
                let password = "correct horse battery";
                let body = json!({ "email": email, "password": password, "name": format!("Load {i}") });
                http.expect(i, 201, http.post("/v1/auth/register", None, None, &body)).await;
                let login = json!({ "email": email, "password": password });
                let answer = http.expect(i, 200, http.post("/v1/auth/login", None, None, &login)).await;
                answer["access_token"].as_str().unwrap_or_default().to_string()
            })
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await.unwrap_or_else(|e| panic!("customer: {e}")));
    }
    out
}

async fn bench(args: Args) {
    let server = Server::start(args.store, args.server.as_deref()).await;
    let http = Http::new(&server.url, args.connections.iter().copied().max().unwrap_or(1)).await;
    let want = |phase: &str| args.only.as_deref().is_none_or(|o| phase.contains(o));
    if !["seats", "holds", "bookings", "ga bookings"].into_iter().any(want) {
        // The floor alone needs no venue (and runs against any server with a /healthz).
        for &connections in &args.connections {
            let (stats, peak) = server.sampling(ping_phase(&http, connections, args.seconds)).await;
            stats.print("ping (GET /healthz)", connections, &[format!("{peak:.1} MiB")]);
        }
        return server.stop().await;
    }
    let admin = server.admin_token(&http).await;
    let mut venue = Venue::new(&http, &admin, args.pricing.clone()).await;
    let shows = Arc::new(venue.shows(&http, &admin, SHOWS).await);
    let max = args.connections.iter().copied().max().unwrap_or(1);
    let tokens = Arc::new(customers(&http, max).await);
    println!(
        "booking-server ({:?} store), {SHOWS} shows of {SEATS} seats, {} pricing, generator on {} thread(s); rss before load: {:.1} MiB",
        args.store,
        if args.pricing.is_some() { "simple" } else { "house" },
        args.threads,
        server.rss_mib()
    );
    println!(
        "| phase | connections | rate | p50 | p99 | refused | machine cpu/op | server rss (peak in phase) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for &connections in &args.connections {
        if want("ping") {
            let (stats, peak) = server.sampling(ping_phase(&http, connections, args.seconds)).await;
            stats.print("ping (GET /healthz)", connections, &[format!("{peak:.1} MiB")]);
        }
        if want("seats") {
            let (stats, peak) = server.sampling(seats_phase(&http, &shows, connections, args.seconds)).await;
            stats.print("seat map reads", connections, &[format!("{peak:.1} MiB")]);
        }
        if want("holds") {
            let (stats, peak) =
                server.sampling(holds_phase(&http, &tokens, &shows, connections, args.seconds)).await;
            stats.print("holds (each released after)", connections, &[format!("{peak:.1} MiB")]);
        }
        if want("bookings") {
            let needed =
                ((args.seconds * BOOKINGS_PER_SEC_MAX) as usize).div_ceil(PAIRS_PER_SHOW).max(connections);
            let book_shows = Arc::new(venue.shows(&http, &admin, needed).await);
            let phase = bookings_phase(&http, &tokens, book_shows, SEAT_PAIRS, connections, args.seconds);
            let (stats, peak) = server.sampling(phase).await;
            stats.print("full bookings (hold, create, pay)", connections, &[format!("{peak:.1} MiB")]);
        }
        if want("ga bookings") {
            let field = venue.field;
            let field_shows = Arc::new(venue.shows_on(&http, &admin, field, FIELD_SHOWS).await);
            let phase = bookings_phase(&http, &tokens, field_shows, FIELD_PAIRS, connections, args.seconds);
            let (stats, peak) = server.sampling(phase).await;
            let name = format!(
                "ga bookings (2 standing places of a {FIELD_PLACES}-place field, {FIELD_SHOWS} shows)"
            );
            stats.print(&name, connections, &[format!("{peak:.1} MiB")]);
        }
    }
    // The tail: memory once the load is gone, after the workers have had a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!("server rss after the run: {:.1} MiB (peak {:.1} MiB)", server.rss_mib(), server.peak_mib());
    server.stop().await;
}

fn main() {
    let args = args();
    // One thread: a current-thread runtime, with no wake-ups across threads.
    let runtime = if args.threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(args.threads).enable_all().build()
    };
    let runtime = runtime.unwrap_or_else(|e| panic!("runtime: {e}"));
    runtime.block_on(bench(args));
}
