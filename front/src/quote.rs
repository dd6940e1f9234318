//! A quote as every front reads it: one line per seat, each adjustment named, and the totals
//! that are the sums of the lines.

use crate::money::Money;
use booking_core as bc;
use serde::{Deserialize, Serialize};

/// Whether the tax is included in prices or added to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(string_enum = "snake_case"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TaxMode {
    /// Prices include the tax; the quote shows the part that is tax.
    Inclusive,
    /// The tax is added on top of the price and the fee.
    Exclusive,
}

impl From<booking_core::TaxMode> for TaxMode {
    fn from(m: booking_core::TaxMode) -> Self {
        match m {
            booking_core::TaxMode::Inclusive => TaxMode::Inclusive,
            booking_core::TaxMode::Exclusive => TaxMode::Exclusive,
        }
    }
}

/// A named change to a seat's price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuoteAdjustment {
    /// The rule that made it, e.g. `ticket type child` or `promo SUMMER10`.
    pub rule: String,
    /// Added to the price (negative for a discount), in minor units of the quote's currency.
    pub amount_minor: i64,
}

/// One seat of a quote, in minor units of the quote's currency: `base + adjustments + fee` is
/// the seat's total, plus `tax` when the tax is exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuoteLine {
    /// Seat label, e.g. `F12`.
    pub seat: String,
    /// Ticket type priced.
    pub ticket_type: String,
    /// The category's base price.
    pub base_minor: i64,
    /// Every rule that changed the price, in the order applied.
    pub adjustments: Vec<QuoteAdjustment>,
    /// Per-ticket fee.
    pub fee_minor: i64,
    /// Tax of this seat.
    pub tax_minor: i64,
    /// What this seat costs.
    pub total_minor: i64,
}

/// The price of seats, explained line by line; the totals are the sums of the lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Quote {
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// Decimal places of the currency's minor unit.
    pub exponent: u8,
    /// One line per seat, in the order asked.
    pub lines: Vec<QuoteLine>,
    /// Seat prices before fees and tax.
    pub subtotal: Money,
    /// Fees.
    pub fees: Money,
    /// Tax (included in or added to the total, per `tax_mode`).
    pub tax: Money,
    /// What the customer pays.
    pub total: Money,
    /// Tax rate in basis points (1/100 of a percent).
    pub tax_rate_bp: u32,
    /// Whether the tax is included in prices or added to them.
    pub tax_mode: TaxMode,
    /// The promo code applied, as the pricing spells it.
    pub promo_code: Option<String>,
}

impl From<&bc::Quote> for Quote {
    fn from(q: &bc::Quote) -> Self {
        let lines = q
            .lines
            .iter()
            .map(|l| QuoteLine {
                seat: l.seat.to_string(),
                ticket_type: l.ticket_type.to_string(),
                base_minor: l.base_minor,
                adjustments: l
                    .adjustments
                    .iter()
                    .map(|a| QuoteAdjustment { rule: a.rule.to_string(), amount_minor: a.amount_minor })
                    .collect(),
                fee_minor: l.fee_minor,
                tax_minor: l.tax_minor,
                total_minor: l.total_minor,
            })
            .collect();
        Quote {
            currency: q.currency.code().to_string(),
            exponent: q.currency.exponent(),
            lines,
            subtotal: q.subtotal().into(),
            fees: q.fees().into(),
            tax: q.tax().into(),
            total: q.total().into(),
            tax_rate_bp: q.tax_rate_bp,
            tax_mode: q.tax_mode.into(),
            promo_code: q.promo_code.as_deref().map(str::to_string),
        }
    }
}
