//! A quote: the price of a set of seats, explained line by line, and the request that asks for it.

use crate::{Currency, Money, Tax, TaxMode, Timestamp};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One seat to price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSeat<'a> {
    /// The seat label, copied into the quote line (`F12`).
    pub label: &'a str,
    /// The seat's category: a key of the policy's `category_prices`.
    pub category: &'a str,
    /// The ticket type; `None` is the policy's default type.
    pub ticket_type: Option<&'a str>,
}

/// Everything a quote depends on. The same request always gives the same quote.
#[derive(Debug, Clone, Copy)]
pub struct QuoteRequest<'a> {
    /// The seats, in the order the quote lines will have.
    pub seats: &'a [QuoteSeat<'a>],
    /// When the show starts: time windows use its local time, early bird its distance from `now`.
    pub show_starts_at: Timestamp,
    /// The theatre's time zone.
    pub time_zone: &'a jiff::tz::TimeZone,
    /// When the booking is made: early bird and promo validity use it.
    pub now: Timestamp,
    /// Share of the show's seats taken, in basis points (0..=10000), for demand tiers.
    pub occupancy_bp: u32,
    /// A promo code, matched ignoring ASCII case.
    pub promo_code: Option<&'a str>,
}

/// A named change to a seat price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteAdjustment {
    /// What made it, for people: `ticket type child`, `time window matinee`, `early bird 7 days`,
    /// `demand 80%`, `promo SUMMER10`, `clamp at zero`, `rounding`. Shared with the policy.
    pub rule: Arc<str>,
    /// The amount added to the price (negative for a discount).
    pub amount: Money,
}

/// One seat of a quote.
///
/// `base + adjustments + fee` is the seat total, plus `tax` when the tax is exclusive; with
/// inclusive tax, `tax` is the part of the total that is tax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    /// The seat label.
    pub seat: String,
    /// The ticket type priced (the default type when the seat named none).
    pub ticket_type: Arc<str>,
    /// The category's base price.
    pub base: Money,
    /// Every rule that changed the price, in order of application; rules that matched but changed
    /// nothing are left out.
    pub adjustments: Vec<QuoteAdjustment>,
    /// The per-ticket fee.
    pub fee: Money,
    /// The tax of this seat, on its price plus fee.
    pub tax: Money,
    /// What this seat costs.
    pub total: Money,
}

impl QuoteLine {
    /// The seat price before fee and tax: `base` plus every adjustment.
    pub fn price(&self) -> Option<Money> {
        self.adjustments.iter().try_fold(self.base, |acc, a| acc.checked_add(a.amount).ok())
    }
}

/// The price of a set of seats, explained.
///
/// `subtotal` sums the seat prices (after rounding), `fees` the fees, `tax` the lines' taxes;
/// `total` is `subtotal + fees`, plus `tax` when exclusive, and equals the sum of line totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The currency of every amount.
    pub currency: Currency,
    /// One line per seat, in request order.
    pub lines: Vec<QuoteLine>,
    /// Sum of the seat prices before fees and tax.
    pub subtotal: Money,
    /// Sum of the fees.
    pub fees: Money,
    /// Sum of the lines' taxes (included in or added to `total`, per `tax_mode`).
    pub tax: Money,
    /// What the customer pays.
    pub total: Money,
    /// The tax rate applied, in basis points.
    pub tax_rate_bp: u32,
    /// Whether `tax` is included in prices or added to them.
    pub tax_mode: TaxMode,
    /// The promo code applied, as the policy spells it.
    pub promo_code: Option<String>,
}

impl Quote {
    /// Whether the quote adds up (invariant 5): each line's parts make its total, the lines make
    /// the quote's totals, each tax follows from the rate, one currency, nothing negative.
    pub fn is_consistent(&self) -> bool {
        let tax_rule = Tax { rate_bp: self.tax_rate_bp, mode: self.tax_mode };
        let mut sums = [0i128; 4]; // subtotal, fees, tax, total
        for line in &self.lines {
            let Some(price) = line.price() else { return false };
            let amounts = [price, line.fee, line.tax, line.total];
            let mut parts = line.adjustments.iter().map(|a| a.amount).chain([line.base]).chain(amounts);
            if parts.any(|m| m.currency != self.currency) || amounts.iter().any(|m| m.minor < 0) {
                return false;
            }
            let added = if tax_rule.is_added() { line.tax.minor } else { 0 };
            let sum = i128::from(price.minor) + i128::from(line.fee.minor) + i128::from(added);
            let gross = price.minor.checked_add(line.fee.minor);
            if sum != i128::from(line.total.minor)
                || gross.and_then(|g| tax_rule.on(g)) != Some(line.tax.minor)
            {
                return false;
            }
            for (acc, m) in sums.iter_mut().zip(amounts) {
                *acc += i128::from(m.minor);
            }
        }
        let totals = [self.subtotal, self.fees, self.tax, self.total];
        let added = if tax_rule.is_added() { self.tax.minor } else { 0 };
        let parts = i128::from(self.subtotal.minor) + i128::from(self.fees.minor) + i128::from(added);
        totals.iter().all(|m| m.currency == self.currency)
            && totals.iter().zip(sums).all(|(m, s)| i128::from(m.minor) == s)
            && parts == i128::from(self.total.minor)
    }
}
