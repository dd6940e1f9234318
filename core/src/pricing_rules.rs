//! The rules of a pricing policy as written: the JSON form, plain data with public fields.
//!
//! [`crate::PricingPolicy`] validates and compiles these; this file only says what each rule
//! means. Every rule that adjusts a price carries an [`Adjustment`]; rules with a `categories`
//! list apply only to seats of those categories (an empty list means every category).

use crate::{Adjustment, Currency, Rounding, Tax, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most seat categories in a policy (a category set is a 64-bit mask when compiled).
pub const CATEGORIES_MAX: usize = 64;
/// Most ticket types in a policy.
pub const TICKET_TYPES_MAX: usize = 16;
/// Most time windows in a policy (the windows matching a show are a 64-bit mask).
pub const TIME_WINDOWS_MAX: usize = 64;
/// Most early-bird tiers in a policy.
pub const EARLY_BIRD_TIERS_MAX: usize = 16;
/// Most demand tiers in a policy.
pub const DEMAND_TIERS_MAX: usize = 16;
/// Most promo codes in a policy.
pub const PROMOS_MAX: usize = 256;
/// Longest category, ticket type or time window name, in bytes.
pub const PRICING_NAME_BYTES_MAX: usize = 64;
/// Longest promo code, in bytes (the engine refuses longer codes at its door too).
pub const PROMO_CODE_BYTES_MAX: usize = 64;
/// Longest early-bird lead, in hours (two years).
pub const EARLY_BIRD_LEAD_HOURS_MAX: u32 = 2 * 366 * 24;
/// Minutes in a day: the exclusive upper bound of a time window's `end_minute`.
pub const DAY_MINUTES: u16 = 24 * 60;
/// Full occupancy, in basis points.
pub const OCCUPANCY_BP_MAX: u32 = 10_000;

/// The rules of a pricing policy, exactly as in its JSON form.
///
/// Only `currency` and `category_prices` are required; every other rule defaults to "none".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PricingRules {
    /// The currency of every amount in the policy and its quotes.
    pub currency: Currency,
    /// Base price per seat category, in minor units; every price is above zero.
    pub category_prices: BTreeMap<String, i64>,
    /// Ticket types (adult, child...). The default type, used when a seat names none, is `adult`
    /// if listed, otherwise the first listed; with no list, there is one type, `adult`, at the
    /// base price.
    #[serde(default)]
    pub ticket_types: Vec<TicketTypeRule>,
    /// Windows on the show's local start time. At most one applies: the first listed that matches.
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Discounts for booking ahead. At most one applies: the longest lead reached.
    #[serde(default)]
    pub early_bird: Vec<EarlyBirdTier>,
    /// Surcharges (or discounts) by occupancy. At most one applies: the highest tier reached.
    #[serde(default)]
    pub demand_tiers: Vec<DemandTier>,
    /// Promo codes; a quote uses at most one.
    #[serde(default)]
    pub promos: Vec<Promo>,
    /// Fee per ticket in minor units, `0..=PRICE_MINOR_MAX`; added after rounding, before tax.
    #[serde(default)]
    pub fee_per_ticket_minor: i64,
    /// Tax rate and mode; default none.
    #[serde(default)]
    pub tax: Tax,
    /// Rounding of each seat price; default none (increment 1).
    #[serde(default)]
    pub rounding: Rounding,
}

/// A ticket type and its adjustment, e.g. `child` at -30 %.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TicketTypeRule {
    /// The name a seat asks for, matched exactly (`child`).
    pub name: String,
    /// The change to the base price; default none.
    #[serde(default)]
    pub adjustment: Adjustment,
}

/// A day of the week, in the show's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // The names say it all.
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// Every day, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// Monday is 0, Sunday 6 (as `jiff::civil::Weekday::to_monday_zero_offset`).
    pub fn monday_zero_offset(self) -> u8 {
        self as u8
    }

    fn all() -> Vec<Weekday> {
        Weekday::ALL.to_vec()
    }

    fn is_all(days: &[Weekday]) -> bool {
        days == Weekday::ALL
    }
}

/// A window on the show's local start time: "Tuesday half price", "matinee before 17:00".
///
/// Matches when the show starts on one of `days` at a minute of day in
/// `start_minute..end_minute` (half-open). A window cannot span midnight: use two windows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeWindow {
    /// Shown in quotes as `time window <name>`; unique in the policy.
    pub name: String,
    /// The local days it covers; default every day.
    #[serde(default = "Weekday::all", skip_serializing_if = "Weekday::is_all")]
    pub days: Vec<Weekday>,
    /// First minute of the local day covered, `0..DAY_MINUTES` (14:00 is 840).
    pub start_minute: u16,
    /// First minute of the local day no longer covered, `start_minute + 1..=DAY_MINUTES`.
    pub end_minute: u16,
    /// The seat categories it applies to; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The change to the running price.
    pub adjustment: Adjustment,
}

/// Early bird: booked at least `min_lead_hours` before the show starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EarlyBirdTier {
    /// Least time between booking (`now`) and show start, `1..=EARLY_BIRD_LEAD_HOURS_MAX`.
    pub min_lead_hours: u32,
    /// The seat categories it applies to; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The change to the running price.
    pub adjustment: Adjustment,
}

/// Demand pricing: applies once the show is at least `min_occupancy_bp` occupied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DemandTier {
    /// Occupancy threshold in basis points, `0..=OCCUPANCY_BP_MAX` (8000 = 80 % taken).
    pub min_occupancy_bp: u32,
    /// The seat categories it applies to; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// The change to the running price.
    pub adjustment: Adjustment,
}

/// A promo code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Promo {
    /// The code: ASCII letters, digits, `-` and `_`; matched ignoring ASCII case; unique in the
    /// policy ignoring case. Quotes show it as written here.
    pub code: String,
    /// What it takes off each eligible seat.
    pub discount: PromoDiscount,
    /// First instant (`now`) it is accepted; none means always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Timestamp>,
    /// First instant it is no longer accepted; none means never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// Fewest seats in the quote (all categories counted); none means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats_min: Option<u32>,
    /// Most seats in the quote (all categories counted); none means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats_max: Option<u32>,
    /// Most bookings that may use it. Pricing only carries it; the store enforces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redemptions_max: Option<u32>,
    /// The seat categories it discounts; empty means all. A quote with no such seat refuses it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

impl Promo {
    /// A promo code with a discount and no other condition.
    pub fn new(code: &str, discount: PromoDiscount) -> Promo {
        Promo {
            code: code.into(),
            discount,
            valid_from: None,
            valid_until: None,
            seats_min: None,
            seats_max: None,
            redemptions_max: None,
            categories: vec![],
        }
    }
}

/// What a promo code takes off each eligible seat, stated as a positive amount off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PromoDiscount {
    /// A share of the running price off, in basis points, `1..=10000` (1000 = 10 % off).
    Percent {
        /// Basis points off.
        off_bp: u32,
    },
    /// A fixed amount off each eligible seat, in minor units, `1..=PRICE_MINOR_MAX`.
    Fixed {
        /// Minor units off.
        off_minor: i64,
    },
}

impl PromoDiscount {
    /// The discount as a (negative) adjustment; saturates far outside the validated range.
    pub fn adjustment(self) -> Adjustment {
        match self {
            PromoDiscount::Percent { off_bp } => {
                Adjustment::Percent { bp: i32::try_from(off_bp).map_or(i32::MIN, |bp| -bp) }
            }
            PromoDiscount::Fixed { off_minor } => Adjustment::Fixed { minor: off_minor.saturating_neg() },
        }
    }
}
