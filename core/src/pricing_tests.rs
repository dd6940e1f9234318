//! Unit tests of pricing: each rule, the order of application, tax, rounding, promos, clamping.

use crate::{
    Adjustment, Currency, DemandTier, EarlyBirdTier, Money, PricingError, PricingPolicy, PricingRules, Promo,
    PromoDiscount, Quote, QuoteRequest, QuoteSeat, Rounding, RoundingMode, Tax, TaxMode, TicketTypeRule,
    TimeWindow, Timestamp, Weekday,
};
use jiff::tz::TimeZone;

/// 2030-01-01T00:00:00Z, a Tuesday.
pub(crate) const T0: Timestamp = Timestamp(1_893_456_000_000);
pub(crate) const HOUR_MS: i64 = 3_600_000;
pub(crate) const DAY_MS: i64 = 24 * HOUR_MS;
const EUR: Currency = Currency::EUR;

pub(crate) fn example() -> PricingPolicy {
    PricingPolicy::from_json(EXAMPLE_JSON).unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap_or_else(|e| panic!("{e}"))
}

/// The request around the seats, with defaults: a show ten days after `T0` (Friday 2030-01-11,
/// 01:00 in Paris), booked at `T0`, empty house, no promo.
pub(crate) struct Ask {
    pub(crate) start: Timestamp,
    pub(crate) now: Timestamp,
    pub(crate) occupancy_bp: u32,
    pub(crate) promo: Option<&'static str>,
    pub(crate) tz: TimeZone,
}

impl Default for Ask {
    fn default() -> Self {
        Ask { start: T0.plus_millis(10 * DAY_MS), now: T0, occupancy_bp: 0, promo: None, tz: paris() }
    }
}

type SeatSpec<'a> = (&'a str, &'a str, Option<&'a str>);

pub(crate) fn run(p: &PricingPolicy, seats: &[SeatSpec<'_>], ask: &Ask) -> Result<Quote, PricingError> {
    let labels: Vec<std::sync::Arc<str>> = seats.iter().map(|s| s.0.into()).collect();
    let seats: Vec<QuoteSeat<'_>> = seats
        .iter()
        .zip(&labels)
        .map(|(&(_, category, ticket_type), label)| QuoteSeat { label, category, ticket_type })
        .collect();
    let req = QuoteRequest {
        seats: &seats,
        show_starts_at: ask.start,
        time_zone: &ask.tz,
        now: ask.now,
        occupancy_bp: ask.occupancy_bp,
        promo_code: ask.promo,
    };
    let q = p.quote(&req)?;
    assert!(q.is_consistent(), "inconsistent quote {q:?}");
    assert_eq!(p.quote(&req).as_ref(), Ok(&q), "quote is not deterministic");
    Ok(q)
}

fn ok(p: &PricingPolicy, seats: &[SeatSpec<'_>], ask: &Ask) -> Quote {
    run(p, seats, ask).unwrap_or_else(|e| panic!("{e}"))
}

/// One standard seat with no ticket type.
fn one(p: &PricingPolicy, ask: &Ask) -> Quote {
    ok(p, &[("A1", "standard", None)], ask)
}

/// The adjustments of line `i` as `(rule, minor)`.
fn adj(q: &Quote, i: usize) -> Vec<(String, i64)> {
    q.lines.get(i).map_or_else(Vec::new, |l| {
        l.adjustments.iter().map(|a| (a.rule.to_string(), a.amount_minor)).collect()
    })
}

fn pairs(items: &[(&str, i64)]) -> Vec<(String, i64)> {
    items.iter().map(|&(r, m)| (r.to_string(), m)).collect()
}

/// `standard` at 10.00 and `premium` at 15.00, changed by `f`.
fn with(f: impl FnOnce(&mut PricingRules)) -> PricingPolicy {
    let mut rules = PricingPolicy::simple(EUR, &[("standard", 1_000), ("premium", 1_500)]).rules().clone();
    f(&mut rules);
    PricingPolicy::new(rules).unwrap_or_else(|e| panic!("{e}"))
}

fn pct(bp: i32) -> Adjustment {
    Adjustment::Percent { bp }
}

fn promo(code: &str, discount: PromoDiscount) -> Promo {
    Promo::new(code, discount)
}

fn window(
    name: &str,
    days: &[Weekday],
    start_minute: u16,
    end_minute: u16,
    adjustment: Adjustment,
) -> TimeWindow {
    TimeWindow {
        name: name.into(),
        days: days.to_vec(),
        start_minute,
        end_minute,
        categories: vec![],
        adjustment,
    }
}

/// Local Paris time on 2030-01-`day` (January: UTC+1) as a timestamp.
fn paris_at(day: i64, hour: i64, minute: i64) -> Timestamp {
    T0.plus_millis((day - 1) * DAY_MS + (hour - 1) * HOUR_MS + minute * 60_000)
}

#[test]
fn simple_policy_prices_by_category() {
    let p = PricingPolicy::simple(EUR, &[("standard", 1_000), ("premium", 1_500)]);
    assert_eq!(p.validate(), Ok(()));
    assert_eq!(p.base_price("premium"), Some(Money::new(1_500, EUR)));
    assert_eq!(p.base_price("balcony"), None);
    assert_eq!(p.default_ticket_type(), "adult");
    assert!(!p.uses_occupancy());
    let q = ok(&p, &[("A1", "standard", None), ("A2", "premium", Some("adult"))], &Ask::default());
    assert_eq!((q.subtotal().minor, q.fees().minor, q.tax().minor, q.total().minor), (2_500, 0, 0, 2_500));
    let line = &q.lines[1];
    assert_eq!(
        (&*line.seat, &*line.ticket_type, line.base_minor, line.total_minor),
        ("A2", "adult", 1_500, 1_500)
    );
    assert!(line.adjustments.is_empty());
    let unknown = run(&p, &[("A1", "balcony", None)], &Ask::default());
    assert_eq!(unknown, Err(PricingError::UnknownCategory { category: "balcony".into() }));
    let empty = ok(&p, &[], &Ask::default());
    assert_eq!((empty.lines.len(), empty.total()), (0, Money::zero(EUR)));
}

#[test]
fn ticket_types_adjust_and_adult_is_the_default() {
    let p = with(|r| {
        r.ticket_types = vec![
            TicketTypeRule { name: "child".into(), adjustment: pct(-3_000) },
            TicketTypeRule { name: "adult".into(), adjustment: Adjustment::default() },
            TicketTypeRule { name: "senior".into(), adjustment: Adjustment::Fixed { minor: -200 } },
        ]
    });
    assert_eq!(p.default_ticket_type(), "adult");
    let seats =
        [("A1", "standard", Some("child")), ("A2", "premium", Some("senior")), ("A3", "standard", None)];
    let q = ok(&p, &seats, &Ask::default());
    assert_eq!(adj(&q, 0), pairs(&[("ticket type child", -300)]));
    assert_eq!(adj(&q, 1), pairs(&[("ticket type senior", -200)]));
    assert_eq!(adj(&q, 2), pairs(&[]), "a zero adjustment is left out");
    assert_eq!(&*q.lines[2].ticket_type, "adult");
    assert_eq!(q.total().minor, 700 + 1_300 + 1_000);
    let pirate = run(&p, &[("A1", "standard", Some("pirate"))], &Ask::default());
    assert_eq!(pirate, Err(PricingError::UnknownTicketType { ticket_type: "pirate".into() }));
    let no_adult =
        with(|r| r.ticket_types = vec![TicketTypeRule { name: "child".into(), adjustment: pct(-5_000) }]);
    assert_eq!(no_adult.default_ticket_type(), "child", "without adult, the first listed is the default");
    assert_eq!(one(&no_adult, &Ask::default()).total().minor, 500);
    let plain = PricingPolicy::simple(EUR, &[("standard", 1_000)]);
    assert_eq!(ok(&plain, &[("A1", "standard", Some("adult"))], &Ask::default()).total().minor, 1_000);
}

#[test]
fn time_windows_use_the_local_start_and_the_first_match_wins() {
    let p = with(|r| {
        r.time_windows = vec![
            window("cheap tuesday", &[Weekday::Tuesday], 0, 1_440, pct(-5_000)),
            window("matinee", &Weekday::ALL, 0, 17 * 60, pct(-1_000)),
        ]
    });
    let at = |start| one(&p, &Ask { start, ..Ask::default() });
    // Tuesday 2030-01-08 at 14:00 in Paris: both match, the first listed applies.
    assert_eq!(adj(&at(paris_at(8, 14, 0)), 0), pairs(&[("time window cheap tuesday", -500)]));
    // Monday 16:59 is a matinee; 17:00 is not (the end is exclusive).
    assert_eq!(adj(&at(paris_at(7, 16, 59)), 0), pairs(&[("time window matinee", -100)]));
    assert_eq!(adj(&at(paris_at(7, 17, 0)), 0), pairs(&[]));
    // Tuesday 23:30 UTC is already Wednesday 00:30 in Paris: a matinee, not a cheap Tuesday.
    let late = T0.plus_millis(7 * DAY_MS + 23 * HOUR_MS + 30 * 60_000);
    assert_eq!(adj(&at(late), 0), pairs(&[("time window matinee", -100)]));
    let utc = one(&p, &Ask { start: late, tz: TimeZone::UTC, ..Ask::default() });
    assert_eq!(adj(&utc, 0), pairs(&[("time window cheap tuesday", -500)]), "the time zone decides");
}

#[test]
fn a_window_limited_to_categories_lets_the_next_one_apply() {
    let p = with(|r| {
        let mut premium_only = window("premium monday", &[Weekday::Monday], 0, 1_440, pct(-2_000));
        premium_only.categories = vec!["premium".into()];
        r.time_windows = vec![premium_only, window("monday", &[Weekday::Monday], 0, 1_440, pct(-1_000))];
    });
    let q = ok(
        &p,
        &[("A1", "premium", None), ("A2", "standard", None)],
        &Ask { start: paris_at(7, 20, 0), ..Ask::default() },
    );
    assert_eq!(adj(&q, 0), pairs(&[("time window premium monday", -300)]));
    assert_eq!(adj(&q, 1), pairs(&[("time window monday", -100)]));
}

#[test]
fn early_bird_takes_the_longest_lead_reached() {
    let p = with(|r| {
        r.early_bird = vec![
            EarlyBirdTier { min_lead_hours: 168, categories: vec![], adjustment: pct(-1_000) },
            EarlyBirdTier { min_lead_hours: 720, categories: vec![], adjustment: pct(-2_000) },
            EarlyBirdTier {
                min_lead_hours: 36,
                categories: vec![],
                adjustment: Adjustment::Fixed { minor: -50 },
            },
        ]
    });
    let start = T0.plus_millis(40 * DAY_MS);
    let booked = |lead_ms: i64| one(&p, &Ask { start, now: start.plus_millis(-lead_ms), ..Ask::default() });
    assert_eq!(adj(&booked(168 * HOUR_MS), 0), pairs(&[("early bird 7 days", -100)]));
    assert_eq!(adj(&booked(168 * HOUR_MS - 1), 0), pairs(&[("early bird 36 hours", -50)]));
    assert_eq!(adj(&booked(31 * DAY_MS), 0), pairs(&[("early bird 30 days", -200)]));
    assert_eq!(adj(&booked(HOUR_MS), 0), pairs(&[]));
    assert_eq!(adj(&booked(-HOUR_MS), 0), pairs(&[]), "after the start is not early");
}

#[test]
fn demand_takes_the_highest_tier_reached_for_the_seat() {
    let p = with(|r| {
        r.demand_tiers = vec![
            DemandTier { min_occupancy_bp: 8_000, categories: vec![], adjustment: pct(1_500) },
            DemandTier {
                min_occupancy_bp: 9_550,
                categories: vec!["premium".into()],
                adjustment: pct(3_000),
            },
        ]
    });
    assert!(p.uses_occupancy());
    let at = |occupancy_bp| {
        ok(&p, &[("A1", "standard", None), ("B1", "premium", None)], &Ask { occupancy_bp, ..Ask::default() })
    };
    assert_eq!(at(7_999).total().minor, 2_500);
    let q = at(8_000);
    assert_eq!((adj(&q, 0), adj(&q, 1)), (pairs(&[("demand 80%", 150)]), pairs(&[("demand 80%", 225)])));
    let q = at(9_600);
    assert_eq!(adj(&q, 0), pairs(&[("demand 80%", 150)]), "the 95.5% tier is for premium only");
    assert_eq!(adj(&q, 1), pairs(&[("demand 95.5%", 450)]));
}

#[test]
fn a_quotes_promo_cap_is_what_the_store_counts() {
    let mut capped = promo("Gold-5", PromoDiscount::Fixed { off_minor: 500 });
    capped.redemptions_max = Some(100);
    let free = promo("SUMMER10", PromoDiscount::Percent { off_bp: 1_000 });
    let p = with(|r| r.promos = vec![free.clone(), capped]);
    assert!(p.caps_promos());
    assert!(!with(|r| r.promos = vec![free]).caps_promos());
    let seats = [("A1", "standard", None)];
    let q = ok(&p, &seats, &Ask { promo: Some("gold-5"), ..Ask::default() });
    assert_eq!(p.promo_cap(&q), Some(("Gold-5", 100)));
    let q = ok(&p, &seats, &Ask { promo: Some("summer10"), ..Ask::default() });
    assert_eq!(p.promo_cap(&q), None, "unlimited");
    assert_eq!(p.promo_cap(&ok(&p, &seats, &Ask::default())), None, "no code");
}

#[test]
fn promos_match_ignoring_case_and_discount_eligible_seats() {
    let p = with(|r| {
        let mut premium = promo("Gold-5", PromoDiscount::Fixed { off_minor: 500 });
        premium.categories = vec!["premium".into()];
        premium.redemptions_max = Some(100);
        r.promos = vec![promo("SUMMER10", PromoDiscount::Percent { off_bp: 1_000 }), premium];
    });
    let seats = [("A1", "standard", None), ("B1", "premium", None)];
    let q = ok(&p, &seats, &Ask { promo: Some("summer10"), ..Ask::default() });
    assert_eq!(
        (adj(&q, 0), adj(&q, 1)),
        (pairs(&[("promo SUMMER10", -100)]), pairs(&[("promo SUMMER10", -150)]))
    );
    assert_eq!(q.promo_code.as_deref(), Some("SUMMER10"), "quotes spell the code as the policy does");
    let q = ok(&p, &seats, &Ask { promo: Some("GOLD-5"), ..Ask::default() });
    assert_eq!((adj(&q, 0), adj(&q, 1)), (pairs(&[]), pairs(&[("promo Gold-5", -500)])));
    assert_eq!(q.total().minor, 2_000);
    assert_eq!(p.promo_redemptions_max("gold-5"), Some(100));
    assert_eq!(p.promo_redemptions_max("SUMMER10"), None);
    assert_eq!(p.promo("Summer10").map(|p| p.code.as_str()), Some("SUMMER10"));
    let rejected = |seats: &[SeatSpec<'_>], code: &'static str| match run(
        &p,
        seats,
        &Ask { promo: Some(code), ..Ask::default() },
    ) {
        Err(PricingError::PromoRejected { code, reason }) => (code, reason),
        other => panic!("expected a rejection, got {other:?}"),
    };
    assert_eq!(rejected(&seats, "NOPE"), ("NOPE".into(), "unknown code".into()));
    let reason = rejected(&seats[..1], "gold-5");
    assert_eq!(reason, ("gold-5".into(), "applies to none of the selected seats".into()));
    assert_eq!(rejected(&seats, "SUMMER10 ").1, "unknown code");
    let long = "X".repeat(200).leak();
    assert_eq!(rejected(&seats, long).0.len(), 64, "caller input is kept short in errors");
}

#[test]
fn promo_validity_window_and_seat_limits() {
    let p = with(|r| {
        let mut spring = promo("SPRING", PromoDiscount::Percent { off_bp: 2_500 });
        spring.valid_from = Some(T0);
        spring.valid_until = Some(T0.plus_millis(DAY_MS));
        spring.seats_min = Some(2);
        spring.seats_max = Some(3);
        r.promos = vec![spring];
    });
    let seats = [
        ("A1", "standard", None),
        ("A2", "standard", None),
        ("A3", "standard", None),
        ("A4", "standard", None),
    ];
    let at = |now: Timestamp, n: usize| {
        run(&p, &seats[..n], &Ask { now, promo: Some("spring"), ..Ask::default() })
    };
    let reason = |r: Result<Quote, PricingError>| match r {
        Err(PricingError::PromoRejected { reason, .. }) => reason,
        other => panic!("expected a rejection, got {other:?}"),
    };
    assert_eq!(at(T0, 2).map(|q| q.total().minor), Ok(1_500));
    assert_eq!(at(T0.plus_millis(DAY_MS - 1), 3).map(|q| q.total().minor), Ok(2_250));
    assert_eq!(reason(at(T0.plus_millis(-1), 2)), "not valid before 2030-01-01T00:00:00Z");
    assert_eq!(reason(at(T0.plus_millis(DAY_MS), 2)), "expired at 2030-01-02T00:00:00Z");
    assert_eq!(reason(at(T0, 1)), "needs at least 2 seats, got 1");
    assert_eq!(reason(at(T0, 0)), "needs at least 2 seats, got 0");
    assert_eq!(reason(at(T0, 4)), "allows at most 3 seats, got 4");
}

#[test]
fn rules_apply_in_order_on_the_running_price() {
    // The example: Friday 16:00 in Paris (a matinee), booked ten days ahead (early bird), 85 %
    // full (demand +15 %), promo SPRING10, rounding to 0.10, a 0.50 fee, 20 % VAT included.
    let p = example();
    let ask =
        Ask { start: paris_at(11, 16, 0), occupancy_bp: 8_500, promo: Some("spring10"), ..Ask::default() };
    let q = ok(&p, &[("F3", "standard", Some("child")), ("F2", "premium", None)], &ask);
    let child = pairs(&[
        ("ticket type child", -300),  // 1000 -> 700
        ("time window matinee", -70), // -> 630
        ("early bird 7 days", -63),   // -> 567
        ("demand 80%", 85),           // 85.05 -> 652
        ("promo SPRING10", -65),      // 65.2 -> 587
        ("rounding", 3),              // -> 590
    ]);
    assert_eq!(adj(&q, 0), child);
    let line = &q.lines[0];
    assert_eq!((line.base_minor, line.fee_minor, line.tax_minor, line.total_minor), (1_000, 50, 107, 640));
    let adult = pairs(&[
        ("time window matinee", -150), // 1500 -> 1350
        ("early bird 7 days", -135),   // -> 1215
        ("demand 80%", 182),           // 182.25 -> 1397
        ("promo SPRING10", -140),      // 139.7 -> 1257
        ("rounding", 3),               // -> 1260
    ]);
    assert_eq!(adj(&q, 1), adult);
    let line = &q.lines[1];
    assert_eq!((line.fee_minor, line.tax_minor, line.total_minor), (50, 218, 1_310));
    assert_eq!(
        (q.subtotal().minor, q.fees().minor, q.tax().minor, q.total().minor),
        (1_850, 100, 325, 1_950)
    );
    assert_eq!(
        (q.tax_rate_bp, q.tax_mode, q.promo_code.as_deref()),
        (2_000, TaxMode::Inclusive, Some("SPRING10"))
    );
}

#[test]
fn tax_inclusive_shows_the_portion_and_exclusive_adds_it() {
    let taxed = |mode| {
        with(|r| {
            r.fee_per_ticket_minor = 50;
            r.tax = Tax { rate_bp: 2_000, mode };
        })
    };
    let q = one(&taxed(TaxMode::Inclusive), &Ask::default());
    // 10.50 including 20 % holds 1.75 of tax.
    let line = &q.lines[0];
    assert_eq!((line.fee_minor, line.tax_minor, line.total_minor), (50, 175, 1_050));
    assert_eq!((q.subtotal().minor, q.fees().minor, q.tax().minor, q.total().minor), (1_000, 50, 175, 1_050));
    let q = one(&taxed(TaxMode::Exclusive), &Ask::default());
    // 10.50 plus 20 % is 12.60.
    assert_eq!((q.lines[0].tax_minor, q.lines[0].total_minor), (210, 1_260));
    assert_eq!((q.subtotal().minor, q.fees().minor, q.tax().minor, q.total().minor), (1_000, 50, 210, 1_260));
    // Rounding of tax is per line, half away from zero: 0.07 of price at 7.5 % is 0.00525.
    assert_eq!(Tax { rate_bp: 750, mode: TaxMode::Exclusive }.on(7), Some(1));
    assert_eq!(Tax { rate_bp: 750, mode: TaxMode::Exclusive }.on(6), Some(0));
    assert_eq!(Tax { rate_bp: 10_000, mode: TaxMode::Inclusive }.on(1_001), Some(501));
    assert_eq!(Tax { rate_bp: 0, mode: TaxMode::Inclusive }.on(1_000), Some(0));
}

#[test]
fn rounding_modes_round_each_seat_and_show_the_difference() {
    let rounding = Rounding { increment_minor: 50, mode: RoundingMode::Nearest };
    assert_eq!(
        [1_224, 1_225, 1_250, 0].map(|m| rounding.apply(m)),
        [Some(1_200), Some(1_250), Some(1_250), Some(0)]
    );
    let up = Rounding { mode: RoundingMode::Up, ..rounding };
    assert_eq!([1_201, 1_250, 0].map(|m| up.apply(m)), [Some(1_250), Some(1_250), Some(0)]);
    let down = Rounding { mode: RoundingMode::Down, ..rounding };
    assert_eq!([1_249, 1_250, 49].map(|m| down.apply(m)), [Some(1_200), Some(1_250), Some(0)]);
    assert_eq!(Rounding { increment_minor: 0, ..rounding }.apply(5), None);
    let cases = [(RoundingMode::Nearest, -24), (RoundingMode::Up, 26), (RoundingMode::Down, -24)];
    for (mode, expected) in cases {
        let p = with(|r| {
            r.category_prices.insert("standard".into(), 1_224);
            r.rounding = Rounding { increment_minor: 50, mode };
        });
        let q = ok(&p, &[("A1", "standard", None), ("A2", "standard", None)], &Ask::default());
        assert_eq!(adj(&q, 0), pairs(&[("rounding", expected)]), "{mode:?}");
        assert_eq!(q.total().minor, 2 * (1_224 + expected), "{mode:?}");
    }
}

#[test]
fn prices_clamp_at_zero_with_a_named_adjustment() {
    let p = with(|r| {
        r.ticket_types =
            vec![TicketTypeRule { name: "comp".into(), adjustment: Adjustment::Fixed { minor: -1_200 } }];
        r.demand_tiers = vec![DemandTier { min_occupancy_bp: 0, categories: vec![], adjustment: pct(5_000) }];
        r.promos = vec![promo("FREE", PromoDiscount::Fixed { off_minor: 2_000 })];
        r.fee_per_ticket_minor = 75;
    });
    let q = ok(&p, &[("A1", "standard", None)], &Ask::default());
    // -12.00 on 10.00 is clamped to zero; +50 % of zero is nothing, so demand is left out.
    assert_eq!(adj(&q, 0), pairs(&[("ticket type comp", -1_200), ("clamp at zero", 200)]));
    assert_eq!(
        (q.lines[0].total_minor, q.subtotal().minor, q.total().minor),
        (75, 0, 75),
        "the fee still applies"
    );
    let q = ok(&p, &[("B1", "premium", None)], &Ask { promo: Some("free"), ..Ask::default() });
    // 15.00 - 12.00 = 3.00, +50 % = 4.50, -20.00 = -15.50, clamped: one clamp line of +15.50.
    let expected = pairs(&[
        ("ticket type comp", -1_200),
        ("demand 0%", 150),
        ("promo FREE", -2_000),
        ("clamp at zero", 1_550),
    ]);
    assert_eq!(adj(&q, 0), expected);
    assert_eq!(q.total().minor, 75);
}

#[test]
fn is_consistent_catches_quotes_that_do_not_add_up() {
    let p = example();
    let q = ok(
        &p,
        &[("F1", "standard", None), ("F2", "premium", Some("child"))],
        &Ask { promo: Some("SPRING10"), ..Ask::default() },
    );
    let mut broken = q.clone();
    broken.lines[0].total_minor += 1;
    assert!(!broken.is_consistent(), "a line total that is not the sum of its parts");
    let mut broken = q.clone();
    broken.lines[0].adjustments[0].amount_minor -= 1;
    assert!(!broken.is_consistent(), "a line whose parts do not make its total");
    let mut broken = q.clone();
    broken.lines[0].tax_minor += 1;
    broken.lines[0].total_minor += 1;
    assert!(!broken.is_consistent(), "a tax that does not follow from the rate");
    let mut broken = q.clone();
    broken.lines[0].fee_minor = i64::MAX / 2;
    broken.lines[1].fee_minor = i64::MAX / 2 + 2;
    assert!(!broken.is_consistent(), "fees that overflow");
    let mut broken = q;
    broken.tax_mode = TaxMode::Exclusive;
    assert!(!broken.is_consistent());
}

#[test]
fn quotes_serialize_and_read_back() {
    let p = example();
    let q = ok(&p, &[("F3", "standard", Some("child"))], &Ask { promo: Some("SPRING10"), ..Ask::default() });
    let json = serde_json::to_string(&q).unwrap_or_else(|e| panic!("{e}"));
    let back: Quote = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, q);
    assert!(json.contains(r#""adjustments":[{"rule":"ticket type child","amount_minor":-300}"#), "{json}");
    assert!(json.contains(r#""tax_rate_bp":2000,"tax_mode":"inclusive","promo_code":"SPRING10""#), "{json}");
    let total = serde_json::to_value(q.total()).unwrap_or_else(|e| panic!("{e}"));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value["total"], total, "the totals are written out: {json}");
}

#[test]
fn the_example_policy_snapshot_round_trips() {
    let p = example();
    assert_eq!(p.to_json(), EXAMPLE_JSON);
    let back = PricingPolicy::from_json(&p.to_json()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, p);
    let via_serde: PricingPolicy = serde_json::from_str(EXAMPLE_JSON).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(via_serde, p);
    assert_eq!(serde_json::to_string_pretty(&p).ok().as_deref(), Some(EXAMPLE_JSON));
    // The smallest policy: defaults fill in the rest, and are written out in full.
    let min = PricingPolicy::from_json(r#"{"currency":"EUR","category_prices":{"standard":1000}}"#);
    let min = min.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(min, PricingPolicy::simple(EUR, &[("standard", 1_000)]));
    let compact: serde_json::Value = serde_json::from_str(&min.to_json()).unwrap_or_default();
    let expected = serde_json::json!({
        "currency": "EUR", "category_prices": {"standard": 1000}, "ticket_types": [], "time_windows": [],
        "early_bird": [], "demand_tiers": [], "promos": [], "fee_per_ticket_minor": 0,
        "tax": {"rate_bp": 0, "mode": "inclusive"}, "rounding": {"increment_minor": 1, "mode": "nearest"}
    });
    assert_eq!(compact, expected);
}

/// The example policy: two categories, three ticket types, a weekday and a matinee window, early
/// bird, a demand tier, promo SPRING10, a fee, 20 % VAT included, rounding to 0.10. Exactly as
/// `to_json` writes it.
pub(crate) const EXAMPLE_JSON: &str = r#"{
  "currency": "EUR",
  "category_prices": {
    "premium": 1500,
    "standard": 1000
  },
  "ticket_types": [
    {
      "name": "adult",
      "adjustment": {
        "kind": "percent",
        "bp": 0
      }
    },
    {
      "name": "child",
      "adjustment": {
        "kind": "percent",
        "bp": -3000
      }
    },
    {
      "name": "senior",
      "adjustment": {
        "kind": "fixed",
        "minor": -200
      }
    }
  ],
  "time_windows": [
    {
      "name": "cheap tuesday",
      "days": [
        "tuesday"
      ],
      "start_minute": 0,
      "end_minute": 1440,
      "adjustment": {
        "kind": "percent",
        "bp": -5000
      }
    },
    {
      "name": "matinee",
      "start_minute": 0,
      "end_minute": 1020,
      "adjustment": {
        "kind": "percent",
        "bp": -1000
      }
    }
  ],
  "early_bird": [
    {
      "min_lead_hours": 168,
      "adjustment": {
        "kind": "percent",
        "bp": -1000
      }
    }
  ],
  "demand_tiers": [
    {
      "min_occupancy_bp": 8000,
      "adjustment": {
        "kind": "percent",
        "bp": 1500
      }
    }
  ],
  "promos": [
    {
      "code": "SPRING10",
      "discount": {
        "kind": "percent",
        "off_bp": 1000
      },
      "valid_from": 1890864000000,
      "valid_until": 1901232000000,
      "seats_max": 10,
      "redemptions_max": 500
    }
  ],
  "fee_per_ticket_minor": 50,
  "tax": {
    "rate_bp": 2000,
    "mode": "inclusive"
  },
  "rounding": {
    "increment_minor": 10,
    "mode": "nearest"
  }
}"#;

#[test]
fn fast_arithmetic_matches_the_reference() {
    use crate::pricing_adjustment::bp_of;
    let prices =
        [0, 1, 5, 7, 49, 50, 51, 999, 1_001, 12_345, 10_000_000_000, i64::MAX / 3, i64::MAX, i64::MIN + 1];
    for minor in prices.into_iter().flat_map(|m| [m, -m]) {
        for bp in [-10_000, -5_000, -3_333, -1, 0, 1, 2_500, 5_000, 9_999, 100_000] {
            let m = Money::new(minor, EUR);
            assert_eq!(bp_of(minor, bp), m.mul_bp(bp).ok().map(|m| m.minor), "{minor} * {bp}");
        }
        for rate_bp in [0, 1, 750, 2_000, 2_001, 10_000] {
            for mode in [TaxMode::Inclusive, TaxMode::Exclusive] {
                let divisor = i128::from(rate_bp) + if mode == TaxMode::Inclusive { 10_000 } else { 0 };
                let divisor = if mode == TaxMode::Exclusive { 10_000 } else { divisor };
                let n = i128::from(minor) * i128::from(rate_bp);
                let q = (n.abs() + divisor / 2) / divisor;
                let expected = i64::try_from(if n < 0 { -q } else { q }).ok();
                assert_eq!(Tax { rate_bp, mode }.on(minor), expected, "{minor} at {rate_bp} {mode:?}");
            }
        }
    }
}
