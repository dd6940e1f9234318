//! Tests of policy validation and JSON parsing: every refusal names its field.

use crate::pricing_tests::example;
use crate::{
    Adjustment, Currency, DemandTier, EarlyBirdTier, PricingError, PricingPolicy, PricingRules, Promo,
    PromoDiscount, Rounding, RoundingMode, Tax, TaxMode, TicketTypeRule, TimeWindow, Timestamp, Weekday,
};

/// The field and reason of a refused policy.
fn refusal(r: Result<PricingPolicy, PricingError>) -> (String, String) {
    match r {
        Err(PricingError::InvalidPolicy { field, reason }) => (field, reason),
        other => panic!("expected an invalid policy, got {other:?}"),
    }
}

fn field_of(f: impl FnOnce(&mut PricingRules)) -> String {
    let mut rules = example().rules().clone();
    f(&mut rules);
    refusal(PricingPolicy::new(rules)).0
}

fn json_field(json: &str) -> (String, String) {
    refusal(PricingPolicy::from_json(json))
}

fn promo(code: &str) -> Promo {
    Promo::new(code, PromoDiscount::Percent { off_bp: 1_000 })
}

#[test]
fn prices_fee_tax_and_rounding_are_range_checked() {
    assert_eq!(
        field_of(|r| {
            r.category_prices.insert("standard".into(), -5);
        }),
        "category_prices.standard"
    );
    assert_eq!(
        field_of(|r| {
            r.category_prices.insert("vip".into(), 0);
        }),
        "category_prices.vip"
    );
    assert_eq!(
        field_of(|r| {
            r.category_prices.insert(" vip".into(), 10);
        }),
        "category_prices. vip"
    );
    assert_eq!(field_of(|r| r.category_prices.clear()), "category_prices");
    assert_eq!(field_of(|r| r.fee_per_ticket_minor = -1), "fee_per_ticket_minor");
    assert_eq!(field_of(|r| r.tax = Tax { rate_bp: 10_001, mode: TaxMode::Exclusive }), "tax.rate_bp");
    let zero = Rounding { increment_minor: 0, mode: RoundingMode::Up };
    assert_eq!(field_of(|r| r.rounding = zero), "rounding.increment_minor");
    let (field, reason) = refusal(PricingPolicy::new(PricingRules {
        tax: Tax { rate_bp: 12_000, mode: TaxMode::Inclusive },
        ..example().rules().clone()
    }));
    assert_eq!(
        (field.as_str(), reason.as_str()),
        ("tax.rate_bp", "must be at most 10000 (100 %), got 12000")
    );
    let many: Vec<(String, i64)> = (0..65).map(|i| (format!("c{i}"), 100)).collect();
    let many: Vec<(&str, i64)> = many.iter().map(|(c, m)| (c.as_str(), *m)).collect();
    assert_eq!(
        refusal(PricingPolicy::simple(Currency::EUR, &many).validate().map(|()| example())).0,
        "category_prices"
    );
}

#[test]
fn rules_are_checked_field_by_field() {
    let bad_pct = Adjustment::Percent { bp: -10_001 };
    assert_eq!(field_of(|r| r.ticket_types[1].adjustment = bad_pct), "ticket_types[1].adjustment.bp");
    let dup = TicketTypeRule { name: "child".into(), adjustment: Adjustment::default() };
    assert_eq!(field_of(|r| r.ticket_types.push(dup)), "ticket_types[3].name");
    assert_eq!(field_of(|r| r.ticket_types[0].name = String::new()), "ticket_types[0].name");
    assert_eq!(field_of(|r| r.time_windows[1].end_minute = 0), "time_windows[1].end_minute");
    assert_eq!(field_of(|r| r.time_windows[1].end_minute = 1_441), "time_windows[1].end_minute");
    assert_eq!(field_of(|r| r.time_windows[0].start_minute = 1_440), "time_windows[0].start_minute");
    assert_eq!(field_of(|r| r.time_windows[0].days.clear()), "time_windows[0].days");
    assert_eq!(field_of(|r| r.time_windows[0].days.push(Weekday::Tuesday)), "time_windows[0].days[1]");
    assert_eq!(field_of(|r| r.time_windows[1].name = "cheap tuesday".into()), "time_windows[1].name");
    let fixed = Adjustment::Fixed { minor: 10_000_000_001 };
    assert_eq!(field_of(|r| r.time_windows[0].adjustment = fixed), "time_windows[0].adjustment.minor");
    assert_eq!(
        field_of(|r| r.time_windows[1].categories = vec!["balcony".into()]),
        "time_windows[1].categories[0]"
    );
    let tier = EarlyBirdTier { min_lead_hours: 0, categories: vec![], adjustment: Adjustment::default() };
    assert_eq!(field_of(|r| r.early_bird.push(tier)), "early_bird[1].min_lead_hours");
    let cats = vec!["premium".into(), "premium".into()];
    let tier = DemandTier { min_occupancy_bp: 9_000, categories: cats, adjustment: Adjustment::default() };
    assert_eq!(field_of(|r| r.demand_tiers.push(tier)), "demand_tiers[1].categories[1]");
    assert_eq!(field_of(|r| r.demand_tiers[0].min_occupancy_bp = 10_001), "demand_tiers[0].min_occupancy_bp");
    let windows = vec![
        TimeWindow {
            name: "w".into(),
            days: vec![Weekday::Monday],
            start_minute: 0,
            end_minute: 1,
            categories: vec![],
            adjustment: Adjustment::default()
        };
        65
    ];
    let windows: Vec<TimeWindow> =
        windows.into_iter().enumerate().map(|(i, w)| TimeWindow { name: format!("w{i}"), ..w }).collect();
    assert_eq!(field_of(|r| r.time_windows = windows), "time_windows");
}

#[test]
fn promos_are_checked() {
    let (field, reason) = refusal(PricingPolicy::new(PricingRules {
        promos: vec![promo("SUMMER10"), promo("Spring"), promo("summer10")],
        ..example().rules().clone()
    }));
    assert_eq!(
        (field.as_str(), reason.as_str()),
        ("promos[2].code", "duplicates promos[0].code (case ignored)")
    );
    assert_eq!(field_of(|r| r.promos = vec![promo("no spaces")]), "promos[0].code");
    assert_eq!(field_of(|r| r.promos = vec![promo(&"X".repeat(65))]), "promos[0].code");
    assert_eq!(field_of(|r| r.promos = vec![promo("Ünï")]), "promos[0].code");
    let off = |discount| Promo { discount, ..promo("A") };
    assert_eq!(
        field_of(|r| r.promos = vec![off(PromoDiscount::Percent { off_bp: 0 })]),
        "promos[0].discount.off_bp"
    );
    assert_eq!(
        field_of(|r| r.promos = vec![off(PromoDiscount::Percent { off_bp: 10_001 })]),
        "promos[0].discount.off_bp"
    );
    assert_eq!(
        field_of(|r| r.promos = vec![off(PromoDiscount::Fixed { off_minor: -5 })]),
        "promos[0].discount.off_minor"
    );
    let backwards = Promo { valid_from: Some(Timestamp(10)), valid_until: Some(Timestamp(10)), ..promo("A") };
    assert_eq!(field_of(|r| r.promos = vec![backwards]), "promos[0].valid_until");
    assert_eq!(
        field_of(|r| r.promos = vec![Promo { seats_min: Some(0), ..promo("A") }]),
        "promos[0].seats_min"
    );
    let inverted = Promo { seats_min: Some(4), seats_max: Some(2), ..promo("A") };
    assert_eq!(field_of(|r| r.promos = vec![inverted]), "promos[0].seats_max");
    assert_eq!(
        field_of(|r| r.promos = vec![Promo { redemptions_max: Some(0), ..promo("A") }]),
        "promos[0].redemptions_max"
    );
    let unknown = Promo { categories: vec!["balcony".into()], ..promo("A") };
    let (field, reason) =
        refusal(PricingPolicy::new(PricingRules { promos: vec![unknown], ..example().rules().clone() }));
    assert_eq!(
        (field.as_str(), reason.as_str()),
        ("promos[0].categories[0]", "unknown category \"balcony\"")
    );
}

#[test]
fn an_invalid_simple_policy_is_reported_and_refuses_to_quote() {
    let p = PricingPolicy::simple(Currency::EUR, &[("standard", -1)]);
    let err = p.validate().err();
    let expected = PricingError::InvalidPolicy {
        field: "category_prices.standard".into(),
        reason: "must be 1..=10000000000 minor units, got -1".into(),
    };
    assert_eq!(err, Some(expected.clone()));
    let tz = jiff::tz::TimeZone::UTC;
    let label = std::sync::Arc::from("A1");
    let seats = [crate::QuoteSeat { label: &label, category: "standard", ticket_type: None }];
    let req = crate::QuoteRequest {
        seats: &seats,
        show_starts_at: Timestamp(0),
        time_zone: &tz,
        now: Timestamp(0),
        occupancy_bp: 0,
        promo_code: None,
    };
    assert_eq!(p.quote(&req), Err(expected));
    assert_eq!(
        refusal(PricingPolicy::simple(Currency::EUR, &[]).validate().map(|()| p.clone())).0,
        "category_prices"
    );
    let twice = PricingPolicy::simple(Currency::EUR, &[("a", 1), ("a", 2)]);
    assert_eq!(refusal(twice.validate().map(|()| p.clone())).0, "category_prices");
    // Deserializing validates too: a stored policy is never less valid than a new one.
    assert!(serde_json::from_str::<PricingPolicy>(&p.to_json()).is_err());
}

#[test]
fn json_errors_name_the_field() {
    let cases = [
        (r#"{"currency":"EUR","category_prices":{"a":1},"colour":"red"}"#, "colour"),
        (r#"{"category_prices":{"a":1}}"#, "currency"),
        (r#"{"currency":"eur","category_prices":{"a":1}}"#, "currency"),
        (r#"{"currency":"EUR","category_prices":{"a":"ten"}}"#, "category_prices.a"),
        (
            r#"{"currency":"EUR","category_prices":{"a":1},"tax":{"rate_bp":-1,"mode":"inclusive"}}"#,
            "tax.rate_bp",
        ),
        (r#"{"currency":"EUR","category_prices":{"a":1},"tax":{"rate":5,"mode":"inclusive"}}"#, "tax.rate"),
        (
            r#"{"currency":"EUR","category_prices":{"a":1},"rounding":{"increment_minor":5,"mode":"sideways"}}"#,
            "rounding.mode",
        ),
        (
            r#"{"currency":"EUR","category_prices":{"a":1},"promos":[{"code":"A","discount":{"kind":"percent","off_bp":5}},{"code":"B","discount":{"kind":"percent","off":5}}]}"#,
            "promos[1].discount.off",
        ),
        (
            r#"{"currency":"EUR","category_prices":{"a":1},"promos":[{"discount":{"kind":"fixed","off_minor":5}}]}"#,
            "promos[0].code",
        ),
        (
            r#"{"currency":"EUR","category_prices":{"a":1},"time_windows":[{"name":"w","days":["monday","funday"],"start_minute":0,"end_minute":10,"adjustment":{"kind":"fixed","minor":1}}]}"#,
            "time_windows[0].days[1]",
        ),
        (r#"{"currency":"EUR","category_prices":{"a":1},"early_bird":{}}"#, "early_bird"),
        (
            r#"{"currency":"EUR","category_prices":{"a":1},"time_windows":[{"name":"w","start_minute":0,"end_minute":10,"adjustment":{"kind":"fixed","minor":1}}],"ticket_types":[{"name":"x","adjustment":{"kind":"percent","bp":0.5}}]}"#,
            "ticket_types[0].adjustment.bp",
        ),
        // Validation after parsing names fields the same way.
        (
            r#"{"currency":"EUR","category_prices":{"a":1},"time_windows":[{"name":"w","start_minute":600,"end_minute":540,"adjustment":{"kind":"fixed","minor":1}}]}"#,
            "time_windows[0].end_minute",
        ),
        (r#"{"currency":"EUR","category_prices":{"a":-3}}"#, "category_prices.a"),
        (r#"{"currency":"EUR","category_prices":{"a":1}"#, "policy"),
        (r#"[1, 2]"#, "policy"),
        ("", "policy"),
    ];
    for (json, field) in cases {
        assert_eq!(json_field(json).0, field, "{json}");
    }
    let (field, reason) = json_field(
        r#"{"currency":"EUR","category_prices":{"a":1},"promos":[{"code":"A","discount":{"kind":"percent","of_bp":5}}]}"#,
    );
    assert_eq!(field, "promos[0].discount.of_bp");
    assert!(reason.starts_with("unknown field `of_bp`, expected `off_bp` at line 1 column"), "{reason}");
    let huge = format!(
        "{{\"currency\":\"EUR\",\"category_prices\":{{\"a\":1}},\"promos\":[{}]}}",
        " ".repeat(1 << 20)
    );
    assert_eq!(json_field(&huge), ("policy".into(), "JSON is over 1048576 bytes".into()));
}
