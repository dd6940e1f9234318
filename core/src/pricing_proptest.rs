//! Property tests of invariant 5: quotes add up, for random policies and requests.

use crate::pricing_tests::{DAY_MS, T0};
use crate::{
    Adjustment, Currency, DemandTier, EarlyBirdTier, PricingError, PricingPolicy, PricingRules, Promo,
    PromoDiscount, Quote, QuoteRequest, QuoteSeat, Rounding, RoundingMode, Tax, TaxMode, TicketTypeRule,
    TimeWindow, Timestamp, Weekday,
};
use proptest::prelude::*;
use proptest::sample::subsequence;
use std::collections::BTreeMap;

const CATEGORIES: [&str; 4] = ["a", "b", "c", "d"];
const TICKETS: [&str; 3] = ["adult", "child", "senior"];
const CODES: [&str; 3] = ["P0", "P1", "P2"];

fn adjustment() -> impl Strategy<Value = Adjustment> {
    prop_oneof![
        (-10_000..=30_000i32).prop_map(|bp| Adjustment::Percent { bp }),
        (-20_000..=20_000i64).prop_map(|minor| Adjustment::Fixed { minor }),
    ]
}

fn categories() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![Just(Vec::new()), subsequence(CATEGORIES.to_vec(), 1..=3)]
        .prop_map(|c| c.into_iter().map(String::from).collect())
}

fn window() -> impl Strategy<Value = TimeWindow> {
    (subsequence(Weekday::ALL.to_vec(), 1..=7), 0..1_440u16, 1..=1_440u16, categories(), adjustment())
        .prop_map(|(days, start_minute, len, categories, adjustment)| TimeWindow {
            name: format!("w{start_minute}-{len}"),
            days,
            start_minute,
            end_minute: start_minute.saturating_add(len).min(1_440),
            categories,
            adjustment,
        })
}

fn promo(code: &'static str) -> impl Strategy<Value = Promo> {
    let discount = prop_oneof![
        (1..=10_000u32).prop_map(|off_bp| PromoDiscount::Percent { off_bp }),
        (1..=5_000i64).prop_map(|off_minor| PromoDiscount::Fixed { off_minor }),
    ];
    let from = proptest::option::of(-5..5i64);
    let until = proptest::option::of(6..20i64);
    let seats = (proptest::option::of(1..=3u32), proptest::option::of(3..=8u32));
    (discount, from, until, seats, categories()).prop_map(
        move |(discount, from, until, (min, max), categories)| Promo {
            code: code.into(),
            discount,
            valid_from: from.map(|d| T0.plus_millis(d * DAY_MS)),
            valid_until: until.map(|d| T0.plus_millis(d * DAY_MS)),
            seats_min: min,
            seats_max: max,
            redemptions_max: None,
            categories,
        },
    )
}

prop_compose! {
    fn rules()(
        prices in proptest::collection::vec(1..=200_000i64, 4),
        tickets in subsequence(TICKETS.to_vec(), 0..=3),
        ticket_adjustments in proptest::collection::vec(adjustment(), 3),
        windows in proptest::collection::vec(window(), 0..=3),
        early in proptest::collection::vec((1..=2_000u32, categories(), adjustment()), 0..=3),
        demand in proptest::collection::vec((0..=10_000u32, categories(), adjustment()), 0..=3),
        promos in (promo(CODES[0]), promo(CODES[1]), promo(CODES[2]), 0..=3usize),
        fee in 0..=500i64,
        tax in (0..=10_000u32, any::<bool>()),
        rounding in (prop::sample::select(vec![1i64, 5, 10, 50, 100]), 0..3u8),
    ) -> PricingRules {
        let category_prices: BTreeMap<String, i64> = CATEGORIES.iter().map(|c| c.to_string()).zip(prices).collect();
        let ticket_types = tickets.iter().zip(ticket_adjustments)
            .map(|(name, adjustment)| TicketTypeRule { name: name.to_string(), adjustment }).collect();
        let (p0, p1, p2, n) = promos;
        let mode = [RoundingMode::Nearest, RoundingMode::Up, RoundingMode::Down][usize::from(rounding.1 % 3)];
        PricingRules {
            currency: Currency::EUR,
            category_prices,
            ticket_types,
            time_windows: windows,
            early_bird: early.into_iter().map(|(min_lead_hours, categories, adjustment)| EarlyBirdTier { min_lead_hours, categories, adjustment }).collect(),
            demand_tiers: demand.into_iter().map(|(min_occupancy_bp, categories, adjustment)| DemandTier { min_occupancy_bp, categories, adjustment }).collect(),
            promos: [p0, p1, p2].into_iter().take(n).collect(),
            fee_per_ticket_minor: fee,
            tax: Tax { rate_bp: tax.0, mode: if tax.1 { TaxMode::Inclusive } else { TaxMode::Exclusive } },
            rounding: Rounding { increment_minor: rounding.0, mode },
        }
    }
}

/// A seat request: category index, ticket type index (`None` for the default).
fn seats() -> impl Strategy<Value = Vec<(usize, Option<usize>)>> {
    proptest::collection::vec((0..4usize, proptest::option::of(0..3usize)), 0..=8)
}

fn zones() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "UTC",
        "Europe/Paris",
        "America/New_York",
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
    ])
}

/// Checks every add-up rule directly (not only through `is_consistent`).
fn check_adds_up(q: &Quote, rules: &PricingRules) -> Result<(), TestCaseError> {
    prop_assert!(q.is_consistent(), "is_consistent says no: {q:?}");
    let added = rules.tax.mode == TaxMode::Exclusive;
    let (mut totals, mut subtotal, mut fees, mut tax) = (0i64, 0i64, 0i64, 0i64);
    for line in &q.lines {
        let price = line.base_minor + line.adjustments.iter().map(|a| a.amount_minor).sum::<i64>();
        prop_assert!(price >= 0, "negative seat price in {line:?}");
        prop_assert_eq!(price % rules.rounding.increment_minor, 0, "price not rounded: {:?}", line);
        prop_assert!(line.adjustments.iter().all(|a| a.amount_minor != 0));
        prop_assert_eq!(price + line.fee_minor + if added { line.tax_minor } else { 0 }, line.total_minor);
        prop_assert_eq!(Some(line.tax_minor), rules.tax.on(price + line.fee_minor));
        prop_assert!(line.total_minor >= 0 && line.tax_minor >= 0);
        totals += line.total_minor;
        subtotal += price;
        fees += line.fee_minor;
        tax += line.tax_minor;
    }
    prop_assert_eq!(
        (subtotal, fees, tax, totals),
        (q.subtotal().minor, q.fees().minor, q.tax().minor, q.total().minor)
    );
    prop_assert_eq!(
        q.subtotal().minor + q.fees().minor + if added { q.tax().minor } else { 0 },
        q.total().minor
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn quotes_add_up(
        rules in rules(),
        seat_picks in seats(),
        start_min in -200_000i64..=600_000,
        now_min in -100_000i64..=100_000,
        occupancy_bp in 0..=10_000u32,
        promo in proptest::option::of(prop::sample::select(vec!["p0", "P1", "p2", "nope"])),
        zone in zones(),
    ) {
        let policy = PricingPolicy::new(rules.clone());
        prop_assert!(policy.is_ok(), "generated rules are valid: {:?}", policy.err());
        let Ok(policy) = policy else { return Ok(()) };
        let tz = jiff::tz::TimeZone::get(zone).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let offered: Vec<&str> = rules.ticket_types.iter().map(|t| t.name.as_str()).collect();
        let labels: Vec<std::sync::Arc<str>> = (0..seat_picks.len()).map(|i| format!("S{i}").into()).collect();
        let seats: Vec<QuoteSeat<'_>> = seat_picks.iter().zip(&labels).map(|(&(c, t), label)| QuoteSeat {
            label,
            category: CATEGORIES[c],
            ticket_type: t.and_then(|t| offered.get(t).copied()),
        }).collect();
        let req = QuoteRequest {
            seats: &seats,
            show_starts_at: T0.plus_millis(start_min * 60_000),
            time_zone: &tz,
            now: Timestamp(T0.0 + now_min * 60_000),
            occupancy_bp,
            promo_code: promo,
        };
        match policy.quote(&req) {
            Ok(q) => {
                check_adds_up(&q, &rules)?;
                prop_assert_eq!(q.lines.len(), seats.len());
                prop_assert_eq!(policy.quote(&req), Ok(q.clone()), "not deterministic");
                let json = serde_json::to_string(&q).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(serde_json::from_str::<Quote>(&json).ok(), Some(q));
            }
            Err(PricingError::PromoRejected { .. }) => prop_assert!(promo.is_some()),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
        let back = PricingPolicy::from_json(&policy.to_json());
        prop_assert_eq!(back.as_ref().ok(), Some(&policy), "JSON round trip: {:?}", back.as_ref().err());
    }
}
