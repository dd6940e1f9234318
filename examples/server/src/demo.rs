//! Demo data: a small cinema chain in Lisbon and Porto, six films, a week of shows, and the
//! house tariff used when an admin schedules a show without its own prices.

use crate::app::AppState;
use crate::directory::MovieFields;
use crate::error::{ApiError, ApiResult};
use booking_core::{NewTheatre, PricingPolicy, ScheduleShow, SeatLayout, Timestamp};
use std::sync::Arc;

/// The house tariff (EUR): three seat categories, four ticket types, matinee and weekend
/// windows, early bird, a demand surcharge, a welcome promo, a booking fee and 6 % VAT included.
pub const HOUSE_TARIFF_JSON: &str = r#"{
  "currency": "EUR",
  "category_prices": { "standard": 850, "premium": 1100, "vip": 1500 },
  "ticket_types": [
    { "name": "adult", "adjustment": { "kind": "percent", "bp": 0 } },
    { "name": "child", "adjustment": { "kind": "percent", "bp": -3000 } },
    { "name": "senior", "adjustment": { "kind": "percent", "bp": -2000 } },
    { "name": "student", "adjustment": { "kind": "percent", "bp": -1500 } }
  ],
  "time_windows": [
    { "name": "matinee", "start_minute": 0, "end_minute": 1020, "adjustment": { "kind": "percent", "bp": -1500 } },
    { "name": "weekend", "days": ["saturday", "sunday"], "start_minute": 0, "end_minute": 1440, "adjustment": { "kind": "fixed", "minor": 100 } }
  ],
  "early_bird": [ { "min_lead_hours": 144, "adjustment": { "kind": "percent", "bp": -1000 } } ],
  "demand_tiers": [ { "min_occupancy_bp": 8000, "adjustment": { "kind": "percent", "bp": 1000 } } ],
  "promos": [ { "code": "WELCOME10", "discount": { "kind": "percent", "off_bp": 1000 }, "redemptions_max": 1000 } ],
  "fee_per_ticket_minor": 50,
  "tax": { "rate_bp": 600, "mode": "inclusive" },
  "rounding": { "increment_minor": 5, "mode": "nearest" }
}"#;

/// The house tariff, parsed.
pub fn house_tariff() -> PricingPolicy {
    // A constant checked by a test: it always parses.
    PricingPolicy::from_json(HOUSE_TARIFF_JSON)
        .unwrap_or_else(|_| PricingPolicy::simple(booking_core::Currency::EUR, &[("standard", 850)]))
}

/// A large screen: stalls with wheelchair places, a premium balcony with loveseats.
pub const GRAND_LAYOUT: &str = "\
layout \"Sala Grande\"
section Stalls category=standard
row A: w1 c2 3-6 _ 7-14 _ 15-18 c19 w20
row B: 1-6 _ 7-14 _ 15-20
row C: 1-6 _ 7-14 _ 15-20
row D: 1-6 _ 7-14@premium _ 15-20
row E: 1-6 _ 7-14@premium _ 15-20
row F: 1-6 _ 7-14 _ 15-20
row G: 1-6 _ 7-14 _ 15-20
section Balcony category=premium
row H: 1-6 _ 7-14 _ 15-20
row J offset=1: (1 2) (3 4) _ 5-12@vip _ (13 14) (15 16)
";

/// A small screen with a loveseat back row.
pub const STUDIO_LAYOUT: &str = "\
layout \"Estúdio\"
section Main category=standard
row A: w1 c2 3-8 c9 w10
row B: 1-10
row C: 1-10
row D: 1-10
row E category=vip: (1 2) (3 4) _ (5 6) (7 8)
";

/// A mid-size screen with a blocked seat (a pillar).
pub const CLASSIC_LAYOUT: &str = "\
layout \"Sala Clássica\"
section Plateia category=standard
row A: w1 c2 3-12
row B: 1-12
row C: 1-5 x6 7-12
row D: 1-12
row E category=premium: 1-12
row F category=vip: (1 2) (3 4) (5 6) (7 8)
";

const MOVIES: [(&str, u32, &str, &str); 6] = [
    ("Metropolis", 153, "M/12", "A futurist city, its workers below and its rulers above."),
    ("Nosferatu", 94, "M/14", "A count from the Carpathians comes to Wisborg."),
    ("The General", 79, "M/6", "A locomotive engineer chases his stolen train across the lines."),
    ("Sherlock Jr.", 45, "M/6", "A projectionist dreams himself into the film he screens."),
    ("The Cabinet of Dr. Caligari", 76, "M/14", "A hypnotist and his somnambulist at a fair."),
    ("Modern Times", 87, "M/6", "A factory worker against the machine age."),
];

/// Local start times of the day's shows (minutes after midnight).
const SLOTS_MINUTES: [i64; 3] = [14 * 60 + 30, 18 * 60, 21 * 60 + 30];
/// Days of shows from today.
const DAYS: i64 = 7;
const ZONE: &str = "Europe/Lisbon";

fn layout(text: &str) -> ApiResult<SeatLayout> {
    Ok(SeatLayout::parse_text(text).map_err(booking_core::BookingError::from)?)
}

/// Loads the demo data into an empty store, once per database; false when it was not needed.
pub async fn seed_if_empty(state: &Arc<AppState>) -> ApiResult<bool> {
    if !state.engine.theatres().await?.is_empty() || !state.directory.claim_once("demo-data").await? {
        return Ok(false);
    }
    let engine = &state.engine;
    let theatre =
        |name: &str, city: &str| NewTheatre { name: name.into(), city: city.into(), time_zone: ZONE.into() };
    let sao_jorge = engine.create_theatre(theatre("Cinema São Jorge", "Lisbon")).await?;
    let ideal = engine.create_theatre(theatre("Cinema Ideal", "Lisbon")).await?;
    let trindade = engine.create_theatre(theatre("Cinema Trindade", "Porto")).await?;
    let screens = [
        engine.add_screen(sao_jorge.id, "Sala Manoel de Oliveira", layout(GRAND_LAYOUT)?).await?,
        engine.add_screen(sao_jorge.id, "Sala 2", layout(CLASSIC_LAYOUT)?).await?,
        engine.add_screen(ideal.id, "Sala Única", layout(STUDIO_LAYOUT)?).await?,
        engine.add_screen(trindade.id, "Sala 1", layout(GRAND_LAYOUT)?).await?,
        engine.add_screen(trindade.id, "Sala 2", layout(STUDIO_LAYOUT)?).await?,
    ];
    let mut movies = Vec::new();
    for (title, runtime, rating, synopsis) in MOVIES {
        let fields = MovieFields {
            title: title.into(),
            runtime_minutes: runtime,
            rating: rating.into(),
            synopsis: synopsis.into(),
        };
        movies.push(state.directory.create_movie(fields).await?);
    }
    let tariff = Arc::new(house_tariff());
    let now = engine.now();
    let tz = jiff::tz::TimeZone::get(ZONE).map_err(|e| ApiError::internal(format!("time zone: {e}")))?;
    let today = now
        .to_jiff()
        .map(|t| t.to_zoned(tz.clone()).date())
        .ok_or_else(|| ApiError::internal("clock out of range"))?;
    let mut n = 0usize;
    for day in 0..DAYS {
        let date =
            today.checked_add(jiff::Span::new().days(day)).map_err(|e| ApiError::internal(e.to_string()))?;
        for (s, screen) in screens.iter().enumerate() {
            for (k, minutes) in SLOTS_MINUTES.iter().enumerate() {
                let movie = &movies[(s + k + usize::try_from(day).unwrap_or(0)) % movies.len()];
                let start = date
                    .to_datetime(jiff::civil::Time::midnight())
                    .checked_add(jiff::Span::new().minutes(*minutes))
                    .and_then(|dt| dt.to_zoned(tz.clone()))
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let starts_at = Timestamp(start.timestamp().as_millisecond());
                if starts_at <= now {
                    continue;
                }
                let runtime_ms =
                    (i64::from(movie.runtime_minutes) + crate::routes::TURNAROUND_MINUTES) * 60_000;
                let req = ScheduleShow {
                    screen: screen.id,
                    title: movie.title.clone(),
                    starts_at,
                    ends_at: starts_at.plus_millis(runtime_ms),
                    sales_open_at: None,
                    sales_close_at: None,
                    no_orphan: true,
                    tickets_per_owner_max: None,
                    pricing: tariff.clone(),
                    accessible_release_before_ms: None,
                };
                let show = engine.schedule_show(req).await?;
                state.directory.link_show(show.id, movie.id).await?;
                n += 1;
            }
        }
    }
    tracing::info!(shows = n, "demo data loaded");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tariff_and_layouts_are_valid() {
        assert!(PricingPolicy::from_json(HOUSE_TARIFF_JSON).is_ok());
        for text in [GRAND_LAYOUT, STUDIO_LAYOUT, CLASSIC_LAYOUT] {
            let l = SeatLayout::parse_text(text);
            assert!(l.is_ok(), "{l:?}");
            let l = l.unwrap_or_else(|_| unreachable!());
            let tariff = house_tariff();
            assert!(l.categories().iter().all(|c| tariff.base_price(c).is_some()));
            assert!(l.seats().iter().any(|s| s.flags.is_wheelchair()));
            assert!(l.seats().iter().any(|s| s.pair_group.is_some()));
        }
    }
}
