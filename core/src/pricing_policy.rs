//! A pricing policy: validated, compiled rules that turn seats into an explainable quote.
//!
//! Order of application, per seat (each step works on the running price of the one before):
//! 1. base: the category price;
//! 2. ticket type;
//! 3. time window: the first listed window matching the show's local start;
//! 4. early bird: the longest lead reached by `now`;
//! 5. demand: the highest occupancy tier reached;
//! 6. promo;
//! 7. clamp at zero: the price never goes below zero. It is clamped after every step, so a
//!    percentage always works on a non-negative price; the amounts clamped show as one
//!    `clamp at zero` adjustment here;
//! 8. rounding to the policy's increment (shown as `rounding`);
//! 9. fee per ticket;
//! 10. tax, on price plus fee: its share of them (inclusive) or added to them (exclusive).
//!
//! Rules 3 to 6 may be limited to some categories; a seat outside them skips that rule (and a
//! window, tier or promo further down the list may then apply). Every step is exact integer
//! arithmetic; percentages and tax round half away from zero, per seat, so lines add up exactly.

use crate::pricing_adjustment::invalid;
use crate::pricing_compile::{Compiled, compile};
use crate::{Currency, Money, PricingError, PricingRules, Promo, Quote};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A validated pricing policy, compiled for fast quotes.
///
/// Built from its [`PricingRules`] ([`PricingPolicy::new`], [`PricingPolicy::from_json`], serde),
/// it is always valid; only [`PricingPolicy::simple`] can hold invalid rules, which
/// [`PricingPolicy::validate`] then reports and [`PricingPolicy::quote`] refuses.
/// Serializes as its rules.
#[derive(Clone)]
pub struct PricingPolicy {
    pub(crate) rules: PricingRules,
    pub(crate) compiled: Result<Compiled, PricingError>,
}

impl PricingPolicy {
    /// Validates and compiles `rules`; the error names the offending field, e.g. `tax.rate_bp`.
    pub fn new(rules: PricingRules) -> Result<Self, PricingError> {
        let compiled = compile(&rules)?;
        Ok(PricingPolicy { rules, compiled: Ok(compiled) })
    }

    /// Category prices and nothing else: no ticket types but `adult`, no rules, fee or tax.
    ///
    /// Never fails, so that it can build fixtures; a policy with bad prices (none, zero,
    /// negative) is reported by [`PricingPolicy::validate`] and refuses to quote.
    pub fn simple(currency: Currency, prices: &[(&str, i64)]) -> Self {
        let category_prices = prices.iter().map(|&(name, minor)| (name.to_string(), minor)).collect();
        let rules = PricingRules {
            currency,
            category_prices,
            ticket_types: Vec::new(),
            time_windows: Vec::new(),
            early_bird: Vec::new(),
            demand_tiers: Vec::new(),
            promos: Vec::new(),
            fee_per_ticket_minor: 0,
            tax: Default::default(),
            rounding: Default::default(),
        };
        let mut policy = PricingPolicy { compiled: compile(&rules), rules };
        if prices.len() != policy.rules.category_prices.len() {
            policy.compiled = Err(invalid("category_prices", "a category is priced twice"));
        }
        policy
    }

    /// Parses and validates the JSON form (see [`PricingRules`]). Errors name the field, e.g.
    /// `promos[2].discount` for a malformed discount or `time_windows[0].end_minute` for a
    /// window that ends before it starts.
    pub fn from_json(json: &str) -> Result<Self, PricingError> {
        PricingPolicy::new(crate::pricing_json::parse_rules(json)?)
    }

    /// The JSON form, pretty-printed; [`PricingPolicy::from_json`] reads it back.
    pub fn to_json(&self) -> String {
        // Cannot fail: every map has string keys and every serializer here is infallible.
        serde_json::to_string_pretty(&self.rules).unwrap_or_default()
    }

    /// `Ok` if the policy can quote; otherwise why not, naming the field.
    pub fn validate(&self) -> Result<(), PricingError> {
        self.compiled().map(|_| ())
    }

    /// The rules as written.
    pub fn rules(&self) -> &PricingRules {
        &self.rules
    }

    /// The currency of the policy's prices.
    pub fn currency(&self) -> Currency {
        self.rules.currency
    }

    /// The base price of a seat category, if the policy prices it.
    pub fn base_price(&self, category: &str) -> Option<Money> {
        self.rules.category_prices.get(category).map(|&minor| Money::new(minor, self.rules.currency))
    }

    /// The ticket type a seat gets when it names none: `adult` if offered, else the first listed.
    pub fn default_ticket_type(&self) -> &str {
        match &self.compiled {
            Ok(c) => c.ticket_types.get(c.default_ticket).map_or("", |t| &t.name),
            Err(_) => self
                .rules
                .ticket_types
                .first()
                .map_or(crate::pricing_compile::DEFAULT_TICKET_TYPE, |t| &t.name),
        }
    }

    /// The ticket types on sale, the default first (a policy without ticket types sells the
    /// default one only).
    pub fn ticket_types(&self) -> Vec<String> {
        let default = self.default_ticket_type();
        let mut names = vec![default.to_string()];
        names.extend(self.rules.ticket_types.iter().map(|t| t.name.clone()).filter(|n| n != default));
        names
    }

    /// Whether quotes depend on occupancy (the policy has demand tiers), so callers can skip
    /// counting seats when they do not.
    pub fn uses_occupancy(&self) -> bool {
        !self.rules.demand_tiers.is_empty()
    }

    /// The occupancy range, in basis points, `lo..hi`, around `occupancy_bp` in which quotes are
    /// the same as at `occupancy_bp`: between the demand tiers it reaches and the next one
    /// (`hi` is `u32::MAX` past the highest tier; `(0, u32::MAX)` without tiers).
    pub fn demand_band(&self, occupancy_bp: u32) -> (u32, u32) {
        let Ok(c) = &self.compiled else { return (0, u32::MAX) };
        let occupancy = i64::from(occupancy_bp);
        let thresholds = || c.demand.iter().map(|t| t.threshold);
        let lo = thresholds().filter(|&t| t <= occupancy).max().unwrap_or(0);
        let hi = thresholds().filter(|&t| t > occupancy).min();
        let bp = |t: i64| u32::try_from(t).unwrap_or(u32::MAX);
        (bp(lo), hi.map_or(u32::MAX, bp))
    }

    /// The promo with this code, matched ignoring ASCII case.
    pub fn promo(&self, code: &str) -> Option<&Promo> {
        let c = self.compiled.as_ref().ok()?;
        c.promo(code).and_then(|p| self.rules.promos.get(p.rule))
    }

    /// The redemption limit of a promo code, for the store to enforce; `None` when the code is
    /// unknown or unlimited.
    pub fn promo_redemptions_max(&self, code: &str) -> Option<u32> {
        self.promo(code).and_then(|p| p.redemptions_max)
    }

    /// Whether any promo code has a redemption limit: if none has, no booking needs counting.
    pub fn caps_promos(&self) -> bool {
        self.rules.promos.iter().any(|p| p.redemptions_max.is_some())
    }

    /// The promo code of `quote` and its redemption limit, for the store that books it to count
    /// atomically; `None` when the quote has no code or its code is unlimited.
    pub fn promo_cap<'q>(&self, quote: &'q Quote) -> Option<(&'q str, u32)> {
        let code = quote.promo_code.as_deref()?;
        self.promo_redemptions_max(code).map(|max| (code, max))
    }

    pub(crate) fn compiled(&self) -> Result<&Compiled, PricingError> {
        self.compiled.as_ref().map_err(Clone::clone)
    }
}

impl fmt::Debug for PricingPolicy {
    /// The rules, and the refusal if they are invalid; the compiled form is derived noise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("PricingPolicy");
        s.field("rules", &self.rules);
        if let Err(e) = &self.compiled {
            s.field("invalid", e);
        }
        s.finish()
    }
}

impl PartialEq for PricingPolicy {
    /// Policies are equal when their rules are.
    fn eq(&self, other: &Self) -> bool {
        self.rules == other.rules
    }
}

impl Eq for PricingPolicy {}

impl Serialize for PricingPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rules.serialize(s)
    }
}

impl<'de> Deserialize<'de> for PricingPolicy {
    /// Reads the rules and validates them: a stored policy is as valid as a new one.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rules = PricingRules::deserialize(d)?;
        PricingPolicy::new(rules).map_err(serde::de::Error::custom)
    }
}
