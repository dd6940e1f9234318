//! A quote: the price of a set of seats, explained line by line, and the request that asks for it.

use crate::{Currency, Money, Tax, TaxMode, Timestamp};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One seat to price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSeat<'a> {
    /// The seat label (`F12`), shared with the quote line: pass the layout's own label so that a
    /// quote costs no allocation per seat for it.
    pub label: &'a Arc<str>,
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
    /// The amount added to the price (negative for a discount), in minor units of the quote's
    /// currency.
    pub amount_minor: i64,
}

/// One seat of a quote. Amounts are minor units of the quote's [`currency`](Quote::currency):
/// a quote has one currency, so its lines do not repeat it (a line is 80 bytes, and a hold keeps
/// its quote for as long as it lives).
///
/// `base + adjustments + fee` is the seat total, plus `tax` when the tax is exclusive; with
/// inclusive tax, `tax` is the part of the total that is tax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    /// The seat label, shared with the layout.
    pub seat: Arc<str>,
    /// The ticket type priced (the default type when the seat named none).
    pub ticket_type: Arc<str>,
    /// The category's base price.
    pub base_minor: i64,
    /// Every rule that changed the price, in order of application; rules that matched but changed
    /// nothing are left out.
    pub adjustments: Box<[QuoteAdjustment]>,
    /// The per-ticket fee.
    pub fee_minor: i64,
    /// The tax of this seat, on its price plus fee.
    pub tax_minor: i64,
    /// What this seat costs.
    pub total_minor: i64,
}

impl QuoteLine {
    /// The seat price before fee and tax: `base` plus every adjustment (`None` on overflow).
    pub fn price_minor(&self) -> Option<i64> {
        self.adjustments.iter().try_fold(self.base_minor, |acc, a| acc.checked_add(a.amount_minor))
    }
}

/// The price of a set of seats, explained.
///
/// The totals are methods that sum the lines, so they cannot disagree with them: [`subtotal`]
/// sums the seat prices (after rounding), [`fees`] the fees, [`tax`] the lines' taxes, and
/// [`total`] the line totals, which is `subtotal + fees`, plus `tax` when exclusive. In JSON the
/// four totals are written out beside the lines (and ignored when read back).
///
/// [`subtotal`]: Quote::subtotal
/// [`fees`]: Quote::fees
/// [`tax`]: Quote::tax
/// [`total`]: Quote::total
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Quote {
    /// The currency of every amount.
    pub currency: Currency,
    /// One line per seat, in request order.
    pub lines: Box<[QuoteLine]>,
    /// The tax rate applied, in basis points.
    pub tax_rate_bp: u32,
    /// Whether `tax` is included in prices or added to them.
    pub tax_mode: TaxMode,
    /// The promo code applied, as the policy spells it.
    pub promo_code: Option<Arc<str>>,
}

impl Quote {
    fn sum(&self, part: impl Fn(&QuoteLine) -> i64) -> Money {
        // Saturates only for a quote that is not consistent: one the pricing never makes.
        Money::new(self.lines.iter().fold(0i64, |acc, l| acc.saturating_add(part(l))), self.currency)
    }

    /// Sum of the seat prices before fees and tax.
    pub fn subtotal(&self) -> Money {
        self.sum(|l| l.price_minor().unwrap_or(i64::MAX))
    }

    /// Sum of the fees.
    pub fn fees(&self) -> Money {
        self.sum(|l| l.fee_minor)
    }

    /// Sum of the lines' taxes (included in or added to the total, per `tax_mode`).
    pub fn tax(&self) -> Money {
        self.sum(|l| l.tax_minor)
    }

    /// What the customer pays: the sum of the line totals.
    pub fn total(&self) -> Money {
        self.sum(|l| l.total_minor)
    }

    /// Whether the quote adds up (invariant 5): each line's parts make its total, each tax follows
    /// from the rate, nothing is negative and every total fits in an amount.
    pub fn is_consistent(&self) -> bool {
        let tax_rule = Tax { rate_bp: self.tax_rate_bp, mode: self.tax_mode };
        let mut sums = [0i128; 4]; // subtotal, fees, tax, total
        for line in self.lines.iter() {
            let Some(price) = line.price_minor() else { return false };
            let amounts = [price, line.fee_minor, line.tax_minor, line.total_minor];
            if amounts.iter().any(|m| *m < 0) {
                return false;
            }
            let added = if tax_rule.is_added() { line.tax_minor } else { 0 };
            let sum = i128::from(price) + i128::from(line.fee_minor) + i128::from(added);
            let gross = price.checked_add(line.fee_minor);
            if sum != i128::from(line.total_minor)
                || gross.and_then(|g| tax_rule.on(g)) != Some(line.tax_minor)
            {
                return false;
            }
            for (acc, m) in sums.iter_mut().zip(amounts) {
                *acc += i128::from(m);
            }
        }
        // Every total fits in an amount.
        sums.iter().all(|s| i64::try_from(*s).is_ok())
    }
}

/// The JSON form of a quote: its fields and its four totals.
#[derive(Serialize)]
struct QuoteJson<'a> {
    currency: Currency,
    lines: &'a [QuoteLine],
    subtotal: Money,
    fees: Money,
    tax: Money,
    total: Money,
    tax_rate_bp: u32,
    tax_mode: TaxMode,
    promo_code: &'a Option<Arc<str>>,
}

impl Serialize for Quote {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        QuoteJson {
            currency: self.currency,
            lines: &self.lines,
            subtotal: self.subtotal(),
            fees: self.fees(),
            tax: self.tax(),
            total: self.total(),
            tax_rate_bp: self.tax_rate_bp,
            tax_mode: self.tax_mode,
            promo_code: &self.promo_code,
        }
        .serialize(serializer)
    }
}
