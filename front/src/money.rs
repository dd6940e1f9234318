//! An amount as every front reads it: exact integer minor units, the currency, and how many
//! decimals the currency has, so that no front assumes cents.

use booking_core::Money;
use serde::{Deserialize, Serialize};

/// An exact amount: integer minor units of an ISO 4217 currency, with the currency's exponent
/// (2 for EUR, 0 for JPY, 3 for BHD) and the amount written out in major units.
///
/// ```
/// use booking_core::{Currency, Money};
/// use booking_front::MoneyView;
/// let m = MoneyView::from(Money::new(1250, Currency::new("JPY").unwrap()));
/// assert_eq!((m.minor, m.exponent, m.amount.as_str()), (1250, 0, "1250"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Money))]
#[cfg_attr(feature = "napi", napi_derive::napi(object, js_name = "Money"))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "Money"))]
pub struct MoneyView {
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

impl From<Money> for MoneyView {
    fn from(m: Money) -> Self {
        MoneyView {
            minor: m.minor,
            currency: m.currency.code().to_string(),
            exponent: m.currency.exponent(),
            amount: m.amount_text(),
        }
    }
}
