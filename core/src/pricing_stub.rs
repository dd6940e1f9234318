//! TEMPORARY STUB.
#![allow(missing_docs)]
use crate::{Currency, Money, PricingError, Timestamp};
use serde::{Deserialize, Serialize};
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricingPolicy {
    pub currency: Currency,
    pub prices: Vec<(String, i64)>,
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub currency: Currency,
    pub total: Money,
    pub promo_code: Option<String>,
}
pub struct QuoteSeat<'a> {
    pub label: &'a str,
    pub category: &'a str,
    pub ticket_type: Option<&'a str>,
}
pub struct QuoteRequest<'a> {
    pub seats: &'a [QuoteSeat<'a>],
    pub show_starts_at: Timestamp,
    pub time_zone: &'a jiff::tz::TimeZone,
    pub now: Timestamp,
    pub occupancy_bp: u32,
    pub promo_code: Option<&'a str>,
}
impl Quote {
    pub fn is_consistent(&self) -> bool {
        true
    }
}
impl PricingPolicy {
    pub fn simple(currency: Currency, p: &[(&str, i64)]) -> Self {
        PricingPolicy { currency, prices: p.iter().map(|(c, m)| (c.to_string(), *m)).collect() }
    }
    pub fn from_json(s: &str) -> Result<Self, PricingError> {
        serde_json::from_str(s)
            .map_err(|e| PricingError::InvalidPolicy { field: String::new(), reason: e.to_string() })
    }
    pub fn validate(&self) -> Result<(), PricingError> {
        Ok(())
    }
    pub fn base_price(&self, c: &str) -> Option<Money> {
        self.prices.iter().find(|(x, _)| x == c).map(|(_, m)| Money::new(*m, self.currency))
    }
    pub fn uses_occupancy(&self) -> bool {
        false
    }
    pub fn promo_redemptions_max(&self, _c: &str) -> Option<u32> {
        None
    }
    pub fn quote(&self, r: &QuoteRequest) -> Result<Quote, PricingError> {
        let mut t = Money::zero(self.currency);
        for s in r.seats {
            t = t.checked_add(
                self.base_price(s.category)
                    .ok_or(PricingError::UnknownCategory { category: s.category.into() })?,
            )?;
        }
        Ok(Quote { currency: self.currency, total: t, promo_code: None })
    }
}
