//! A rule's effect on a seat price: a percentage of the running price, or a fixed amount.

use crate::{Money, MoneyError, PricingError};
use serde::{Deserialize, Serialize};

/// Lowest percent adjustment, in basis points: -100 % makes the seat free; lower is meaningless.
pub const ADJUSTMENT_BP_MIN: i32 = -10_000;
/// Highest percent adjustment, in basis points (+1000 %): far above any real surcharge, low
/// enough that chained adjustments cannot overflow 64-bit minor units.
pub const ADJUSTMENT_BP_MAX: i32 = 100_000;
/// Largest amount in a policy (a base price, a fixed adjustment, a fee), in minor units.
pub const PRICE_MINOR_MAX: i64 = 10_000_000_000;

/// How a rule changes the running price of a seat.
///
/// JSON: `{"kind": "percent", "bp": -5000}` (half price) or `{"kind": "fixed", "minor": 200}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Adjustment {
    /// A share of the running price in basis points; negative is a discount (`-2500` = 25 % off).
    /// The amount is rounded half away from zero to a minor unit.
    Percent {
        /// Basis points of the running price, `ADJUSTMENT_BP_MIN..=ADJUSTMENT_BP_MAX`.
        bp: i32,
    },
    /// A fixed amount in minor units of the policy's currency; negative is a discount.
    Fixed {
        /// Minor units, at most `PRICE_MINOR_MAX` either way.
        minor: i64,
    },
}

impl Default for Adjustment {
    /// No change: what a plain ticket type such as `adult` carries.
    fn default() -> Self {
        Adjustment::Percent { bp: 0 }
    }
}

impl Adjustment {
    /// The amount this adjustment adds to `price` (negative for a discount): 50 % off 10.01 is
    /// -5.01, since percentages round half away from zero.
    pub fn amount(self, price: Money) -> Result<Money, MoneyError> {
        let minor = self.delta(price.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, price.currency))
    }

    /// [`Adjustment::amount`] in plain minor units, for the quote loop; `None` on overflow.
    pub(crate) fn delta(self, price_minor: i64) -> Option<i64> {
        match self {
            Adjustment::Percent { bp } => bp_of(price_minor, i64::from(bp)),
            Adjustment::Fixed { minor } => Some(minor),
        }
    }

    /// Checks the range; `field` names the adjustment in the error.
    pub(crate) fn check(self, field: &str) -> Result<(), PricingError> {
        match self {
            Adjustment::Percent { bp } if !(ADJUSTMENT_BP_MIN..=ADJUSTMENT_BP_MAX).contains(&bp) => {
                Err(invalid(
                    format!("{field}.bp"),
                    format!("must be {ADJUSTMENT_BP_MIN}..={ADJUSTMENT_BP_MAX} basis points, got {bp}"),
                ))
            }
            Adjustment::Fixed { minor } if !(-PRICE_MINOR_MAX..=PRICE_MINOR_MAX).contains(&minor) => {
                Err(invalid(
                    format!("{field}.minor"),
                    format!("must be within ±{PRICE_MINOR_MAX} minor units, got {minor}"),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// `minor * bp / 10_000` rounded half away from zero, exactly as `Money::mul_bp`, but in 64-bit
/// arithmetic when the product fits (always, within the policy limits): 128-bit division is slow
/// enough to dominate a quote.
pub(crate) fn bp_of(minor: i64, bp: i64) -> Option<i64> {
    match minor.checked_mul(bp).and_then(|product| product.checked_add(5_000 * product.signum())) {
        Some(rounded) => Some(rounded / 10_000),
        None => {
            let product = i128::from(minor) * i128::from(bp);
            i64::try_from((product + 5_000 * product.signum()) / 10_000).ok()
        }
    }
}

/// An `InvalidPolicy` error for `field`.
pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> PricingError {
    PricingError::InvalidPolicy { field: field.into(), reason: reason.into() }
}
