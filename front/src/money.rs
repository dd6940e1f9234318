//! An amount as every front reads it: exact integer minor units, the currency, and how many
//! decimals the currency has, so that no front assumes cents.

use booking_core as bc;
use serde::{Deserialize, Serialize};

/// An exact amount: integer minor units of an ISO 4217 currency, with the currency's exponent
/// (2 for EUR, 0 for JPY, 3 for BHD) and the amount written out in major units.
///
/// ```
/// use booking_core::Currency;
/// let m = booking_front::Money::from(booking_core::Money::new(1250, Currency::new("JPY").unwrap()));
/// assert_eq!((m.minor, m.exponent, m.amount.as_str()), (1250, 0, "1250"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "napi", napi_derive::napi(object))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Money {
    /// Amount in minor units (cents for EUR); negative for discounts and refunds.
    pub minor: i64,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// Decimal places of the currency's minor unit (ISO 4217): `minor / 10^exponent` is the
    /// amount in major units.
    pub exponent: u8,
    /// The amount in major units as exact decimal text, e.g. `12.50`.
    pub amount: String,
}

impl From<bc::Money> for Money {
    fn from(m: bc::Money) -> Self {
        Money {
            minor: m.minor,
            currency: m.currency.code().to_string(),
            exponent: m.currency.exponent(),
            amount: m.amount_text(),
        }
    }
}
