#![allow(missing_docs)] // criterion_group! generates an undocumented function.
//! Core benchmarks: hold + release, best-available, quote.
//!
//! Run: `cargo bench -p booking-benches --bench core`

use booking_benches::*;
use booking_core::testkit::{T0, owner};
use booking_core::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use std::time::{Duration, Instant};

fn hold_release(c: &mut Criterion) {
    let config = EngineConfig { holds_per_owner_max: 1_000, ..Default::default() };
    let (engine, _store) = engine(config);
    let screen = screen(&engine, &big_layout_text(40, 25));
    let show = show(&engine, screen.id, 0, simple_pricing());
    let labels: Vec<String> = show.layout.seats().iter().map(|s| s.label.to_string()).collect();
    let show = show.id;
    let requests: Vec<Vec<SeatChoice>> =
        (0..240).map(|i| (0..4).map(|k| SeatChoice::new(&labels[i * 4 + k])).collect()).collect();

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));
    let who = owner("bench");
    let mut i = 0usize;
    group.bench_function("hold_release_4_seats/1_thread", |b| {
        b.iter(|| {
            i = (i + 1) % requests.len();
            let req = HoldRequest {
                places: Vec::new(),
                show,
                owner: who.clone(),
                seats: requests[i].clone(),
                promo_code: None,
                accessible: false,
            };
            let hold = ready(engine.hold(req)).unwrap_or_else(|e| panic!("{e}"));
            ready(engine.release_hold(hold.id, Actor::Staff, None)).unwrap_or_else(|e| panic!("{e}"));
        })
    });
    group.bench_function("hold_release_4_seats/2_threads_one_show", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            std::thread::scope(|scope| {
                for t in 0..2usize {
                    let (engine, requests, who) = (&engine, &requests, who.clone());
                    scope.spawn(move || {
                        for n in 0..iters / 2 {
                            // Each thread works its own half of the seats: contention is on the lock.
                            let r = &requests[t * 120 + (n as usize % 120)];
                            let req = HoldRequest {
                                places: Vec::new(),
                                show,
                                owner: who.clone(),
                                seats: r.clone(),
                                promo_code: None,
                                accessible: false,
                            };
                            let hold = ready(engine.hold(req)).unwrap_or_else(|e| panic!("{e}"));
                            ready(engine.release_hold(hold.id, Actor::Staff, None))
                                .unwrap_or_else(|e| panic!("{e}"));
                        }
                    });
                }
            });
            start.elapsed()
        })
    });
    group.finish();
}

fn best_available(c: &mut Criterion) {
    let (engine, _store) = engine(EngineConfig::default());
    let screen = screen(&engine, &big_layout_text(40, 25));
    let show = show(&engine, screen.id, 0, simple_pricing());
    let layout = show.layout.clone();
    // Half the seats taken, in a pattern that leaves gaps of every size.
    let taken: Vec<bool> = (0..layout.seat_count()).map(|i| (i * 7919) % 10 < 5).collect();
    let filter = BestFilter::default();
    let mut group = c.benchmark_group("selection");
    group.bench_function(BenchmarkId::new("best_available_4_of_1000_half_taken", "pure"), |b| {
        b.iter(|| black_box(booking_core::best_available(&layout, 4, &filter, |s| !taken[s.index()])))
    });
    group.finish();
}

fn quote(c: &mut Criterion) {
    let policy = six_rule_policy();
    let tz = jiff_tz();
    let labels: Vec<std::sync::Arc<str>> = (1..=6).map(|n| format!("F{n}").into()).collect();
    let seats: Vec<QuoteSeat> = (1..=6)
        .map(|n| QuoteSeat {
            label: &labels[n - 1],
            category: if n % 2 == 0 { "premium" } else { "standard" },
            ticket_type: if n == 3 { Some("child") } else { None },
        })
        .collect();
    let req = QuoteRequest {
        seats: &seats,
        show_starts_at: T0.plus_millis(10 * 86_400_000 + 15 * 3_600_000),
        time_zone: &tz,
        now: T0,
        occupancy_bp: 8_500,
        promo_code: Some("SPRING10"),
    };
    let quote = policy.quote(&req).unwrap_or_else(|e| panic!("{e}"));
    assert!(quote.is_consistent());
    c.bench_function("pricing/quote_6_seats_6_rules", |b| {
        b.iter(|| black_box(policy.quote(black_box(&req))))
    });
}

/// One ticket code signed (Ed25519, at confirmation, once per seat) and verified with the
/// public key alone (at the door, or offline in an app).
fn tickets(c: &mut Criterion) {
    use booking_core::{BookingId, SeatIdx, ShowId, TicketClaims, TicketSigner, TicketVerifier};
    let signer = TicketSigner::new(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
    let claims = TicketClaims { show: ShowId(12), booking: BookingId(345_678), seat: SeatIdx(42) };
    let code = signer.sign(&claims);
    let scanner = TicketVerifier::new([signer.public_key()]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scanner.verify(&code).ok(), Some(claims));
    c.bench_function("tickets/sign", |b| b.iter(|| black_box(signer.sign(black_box(&claims)))));
    c.bench_function("tickets/verify_public_key", |b| b.iter(|| black_box(scanner.verify(black_box(&code)))));
}

fn jiff_tz() -> booking_core::TimeZone {
    booking_core::TimeZone::get("Europe/Paris").unwrap_or_else(|e| panic!("{e}"))
}

/// Category prices, ticket types, a weekday window, early bird, demand tiers, a promo, a fee, tax
/// and rounding: the rules of DESIGN.md, six of them adjusting the price.
fn six_rule_policy() -> PricingPolicy {
    PricingPolicy::from_json(include_str!("six_rule_policy.json")).unwrap_or_else(|e| panic!("{e}"))
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = hold_release, best_available, quote, tickets }
criterion_main!(benches);
